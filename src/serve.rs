//! `kepboard serve`: a local preview. Builds the site, serves it on
//! 127.0.0.1 as GitHub Pages would (`dir/` is `dir/index.html`, a missing
//! path is `404.html` with status 404, no directory listings), and builds
//! it again when the snapshot, the archives, the change log or the
//! templates change (their modification times, polled every second). A
//! failed rebuild prints the error and the last good site stays served.
//!
//! Not a production server: one thread answers, and it reads nothing
//! outside the output directory.

use crate::site::{self, BuildOptions};
use anyhow::{anyhow, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the inputs are looked at.
const POLL: Duration = Duration::from_secs(1);

/// Builds the site, then serves it on `127.0.0.1:port` (`0`: any free
/// port) until killed. The address is printed on stdout:
/// `serving http://127.0.0.1:3000/`.
pub fn serve(opts: &BuildOptions, port: u16) -> Result<()> {
    let mut seen = fingerprint(opts);
    let report = site::build(opts)?;
    eprintln!("built {} pages into {}", report.pages, opts.out.display());
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow!("not listening on an IP address"))?;
    println!("serving http://{addr}/");
    std::io::stdout().flush()?;

    let watched = opts.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(POLL);
        let now = fingerprint(&watched);
        if now == seen {
            continue;
        }
        seen = now;
        match site::build(&watched) {
            Ok(r) => eprintln!("rebuilt: {} pages", r.pages),
            Err(e) => eprintln!("rebuild failed, still serving the last good site: {e:#}"),
        }
    });

    for request in server.incoming_requests() {
        let response = respond(&opts.out, request.method(), request.url());
        // A client that went away is no error of the server.
        let _ = request.respond(response);
    }
    Ok(())
}

/// What the inputs look like: every watched file with its modification
/// time and size, sorted.
type Fingerprint = Vec<(PathBuf, Option<SystemTime>, u64)>;

fn fingerprint(opts: &BuildOptions) -> Fingerprint {
    let mut roots = vec![opts.snapshot.clone(), opts.archives.clone()];
    roots.extend(opts.templates.clone());
    roots.extend(opts.changes.clone());
    let mut files: Fingerprint = roots
        .iter()
        .flat_map(|root| {
            walkdir::WalkDir::new(root)
                .into_iter()
                .filter_map(Result::ok)
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().ok();
            (
                e.path().to_path_buf(),
                meta.as_ref().and_then(|m| m.modified().ok()),
                meta.map_or(0, |m| m.len()),
            )
        })
        .collect();
    files.sort();
    files
}

/// Where a request path leads in the site.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file of the site.
    File(PathBuf),
    /// A directory named without its `/`: redirect there.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path that is not a path of the site (`..`, bad escapes).
    Bad,
}

/// Maps the path of a request URL to a file below `root`.
fn resolve(root: &Path, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path) else {
        return Target::Bad;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Target::Bad;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Target::Bad;
    }
    let mut file = root.to_path_buf();
    file.extend(&segments);
    if decoded.ends_with('/') {
        file.push("index.html");
    } else if file.is_dir() {
        return Target::Redirect(format!("{path}/"));
    }
    // Nothing outside the root, even through a link.
    let inside = match (file.canonicalize(), root.canonicalize()) {
        (Ok(f), Ok(r)) => f.starts_with(r) && f.is_file(),
        _ => false,
    };
    match inside {
        true => Target::File(file),
        false => Target::NotFound,
    }
}

/// `%XX` escapes decoded; `None` for a bad escape or text that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The content type of a site file, by its extension.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

type Response = tiny_http::Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn text(status: u16, body: &str) -> Response {
    tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// The answer to one request.
fn respond(root: &Path, method: &tiny_http::Method, url: &str) -> Response {
    use tiny_http::Method;
    if !matches!(method, Method::Get | Method::Head) {
        return text(405, "only GET and HEAD\n").with_header(header("Allow", "GET, HEAD"));
    }
    let file = |status: u16, f: &Path| -> Option<Response> {
        let bytes = std::fs::read(f).ok()?;
        Some(
            tiny_http::Response::from_data(bytes)
                .with_status_code(status)
                .with_header(header("Content-Type", content_type(f)))
                .with_header(header("Cache-Control", "no-cache")),
        )
    };
    let not_found =
        || file(404, &root.join("404.html")).unwrap_or_else(|| text(404, "not found\n"));
    match resolve(root, url) {
        Target::File(f) => file(200, &f).unwrap_or_else(not_found),
        Target::Redirect(to) => text(301, "moved\n").with_header(header("Location", &to)),
        Target::NotFound => not_found(),
        Target::Bad => text(400, "bad path\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("k8s/v1.36")).unwrap();
        std::fs::write(root.join("k8s/v1.36/index.html"), "x").unwrap();
        std::fs::write(root.join("index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/k8s/v1.36/?x=1"),
            Target::File(root.join("k8s/v1.36/index.html"))
        );
        assert_eq!(
            resolve(&root, "/k8s/v1.36"),
            Target::Redirect("/k8s/v1.36/".into())
        );
        assert_eq!(resolve(&root, "/k8s/"), Target::NotFound);
        for bad in [
            "/../secret",
            "/%2e%2e/secret",
            "/k8s/%2E%2E/../secret",
            "/..%2fsecret",
            "/%zz",
            "/a%00",
        ] {
            assert_eq!(resolve(&root, bad), Target::Bad, "{bad}");
        }
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
        assert_eq!(content_type(Path::new("a/favicon.ico")), "image/x-icon");
    }
}
