//! `kepboard serve` end to end: the real binary on 127.0.0.1, asked with
//! plain HTTP/1.1 over a TcpStream.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

/// The server, killed when the test ends (passes or fails).
struct Server {
    child: Child,
    addr: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kepboard"))
        .arg("serve")
        .args(["--port", "0"])
        .args(args)
        .current_dir(repo_root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kepboard serve");
    let (tx, stderr) = mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("serving http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server {
        child,
        addr,
        stderr,
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` with the path sent exactly as given.
fn get(addr: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

#[test]
fn serve_answers_like_pages_and_rebuilds_on_change() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let archives = dir.path().join("archive");
    std::fs::create_dir(&archives).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "do not serve").unwrap();
    let out = dir.path().join("public");
    let server = start(&[
        "--snapshot",
        snap.to_str().unwrap(),
        "--archives",
        archives.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    let addr = server.addr.as_str();

    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/k8s/v1.36/", "text/html; charset=utf-8"),
        ("/kep/127/index.html", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/favicon.ico", "image/x-icon"),
        ("/data/keps.json", "application/json"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/charts/keps-by-stage.svg", "image/svg+xml"),
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(ty), "{path}");
    }
    assert!(get(addr, "/").body.contains("<title>"));
    // A directory without its slash is redirected, as Pages does.
    let r = get(addr, "/k8s/v1.36");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location"), Some("/k8s/v1.36/"));
    // Missing: the 404 page, with 404; no directory listing.
    for path in ["/nope/", "/kep/1/", "/charts/", "/nope.css"] {
        let r = get(addr, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.contains("Page not found"), "{path}");
    }
    // Nothing outside the output directory, however it is spelt.
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/k8s/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/kep/..%5c..%5csecret.txt",
    ] {
        let r = get(addr, path);
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        assert!(!r.body.contains("do not serve"), "{path}");
    }

    // A changed snapshot is built again and served.
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    s["generated_at"] = "2027-02-03T04:05:06Z".into();
    std::fs::write(&snap, serde_json::to_vec(&s).unwrap()).unwrap();
    let changed = (0..600).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        get(addr, "/").body.contains("2027-02-03 04:05 UTC")
    });
    assert!(changed, "the site was not rebuilt");

    // A broken snapshot: the error is printed, the last good site stays.
    while server.stderr.try_recv().is_ok() {}
    std::fs::write(&snap, "{ not json").unwrap();
    let failed = (0..600).any(|_| {
        server
            .stderr
            .recv_timeout(std::time::Duration::from_millis(100))
            .is_ok_and(|l| l.contains("rebuild failed"))
    });
    assert!(failed, "no rebuild error printed");
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("2027-02-03 04:05 UTC"));
}
