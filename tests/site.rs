//! `kepboard build` end to end: builds the demo and the real data, parses
//! the HTML it wrote (never greps it) and checks pages, links, safety,
//! determinism, the output swap and archives.

mod common;
use common::*;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn build(snapshot: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    kepboard(&args)
}

fn build_ok(snapshot: &Path, out: &Path, extra: &[&str]) {
    let o = build(snapshot, out, extra);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
}

fn page(out: &Path, rel: &str) -> Html {
    let p = out.join(rel);
    Html::parse_document(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
}

fn text(e: scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// All files of a built site, path → bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

/// The stage shown for `kep` on a release page.
fn release_stage(out: &Path, release: &str, kep: u32) -> Option<String> {
    let doc = page(out, &format!("k8s/{release}/index.html"));
    let row = doc
        .select(&sel(&format!("tr[data-kep=\"{kep}\"]")))
        .next()?;
    row.select(&sel("td.stage-cell")).next().map(text)
}

/// The checks the site issue names, on any snapshot that has KEP 127.
fn assert_core_pages(snapshot: &Path, out: &Path) {
    assert_eq!(release_stage(out, "v1.36", 127).as_deref(), Some("stable"));
    let doc = page(out, "kep/127/index.html");
    let milestones: Vec<String> = doc
        .select(&sel("table.milestones tbody tr"))
        .map(|r| {
            let cells: Vec<String> = r.select(&sel("td")).map(text).collect();
            cells[..2].join(" ")
        })
        .collect();
    assert_eq!(
        milestones,
        vec!["alpha v1.25", "beta v1.35", "stable v1.36"]
    );

    // Every tracking issue in the data appears on its KEP's page.
    let snap: serde_json::Value =
        serde_json::from_slice(&std::fs::read(snapshot).unwrap()).unwrap();
    let model =
        kepboard::model::Model::build(&kepboard::snapshot::Snapshot::read(snapshot).unwrap());
    let mut seen = 0;
    for issue in model.issues.values().filter(|i| i.is_tracking()) {
        for k in &issue.parsed.kep_numbers {
            let doc = page(out, &format!("kep/{k}/index.html"));
            let found = doc
                .select(&sel(&format!("article#issue-{}", issue.number)))
                .next();
            assert!(
                found.is_some(),
                "tracking issue #{} missing on KEP-{k}'s page",
                issue.number
            );
            seen += 1;
        }
    }
    assert!(seen > 0);
    assert!(snap["issues"].as_array().unwrap().len() >= seen);

    // keps.json holds every KEP with its stages.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/keps.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    let keps = json["keps"].as_array().unwrap();
    // Every KEP page has its entry, and the other way round.
    let in_json: BTreeSet<u64> = keps.iter().map(|k| k["number"].as_u64().unwrap()).collect();
    let pages: BTreeSet<u64> = std::fs::read_dir(out.join("kep"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().parse().unwrap())
        .collect();
    assert_eq!(in_json, pages);
    let k127 = keps.iter().find(|k| k["number"] == 127).unwrap();
    assert_eq!(k127["stages"]["v1.25"], "alpha");
    assert_eq!(k127["stages"]["v1.36"], "stable");
}

#[test]
fn demo_site_has_the_core_pages() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    assert_core_pages(&snap, &out);
    // A KEP named only by a tracking issue gets a page and a release-page row.
    let doc = page(&out, "kep/5714/index.html");
    let warning = doc
        .select(&sel("p.warning"))
        .next()
        .map(text)
        .unwrap_or_default();
    assert!(warning.contains("No kep.yaml found"), "{warning}");
    // Its issue declares alpha for v1.36 (out) and beta for v1.38 (the cycle
    // under way): with no kep.yaml to confirm it, v1.36 shows no stage and
    // v1.38 shows the declared target, marked as a target.
    assert_eq!(release_stage(&out, "v1.36", 5714).as_deref(), Some("—"));
    assert_eq!(
        release_stage(&out, "v1.38", 5714).as_deref(),
        Some("beta target")
    );
    // Health lists the demo's issue without a shepherd, linked.
    let doc = page(&out, "health/index.html");
    let items: Vec<String> = doc
        .select(&sel("section#no-shepherd li"))
        .map(text)
        .collect();
    assert!(items.iter().any(|t| t.contains("#13655")), "{items:?}");
    // People: a shepherd with the KEPs they shepherd.
    let doc = page(&out, "people/index.html");
    let row = doc
        .select(&sel("tr#mikebrow"))
        .next()
        .expect("mikebrow on /people/");
    assert!(text(row).contains("KEP-4960"), "{}", text(row));
    // The feed (only with a site URL: its ids are absolute) parses and
    // has one entry per change of the demo's change log (the default
    // `--changes`), newest first, as `/changes/` lists them.
    let with_url = dir.path().join("with-url");
    build_ok(&snap, &with_url, &["--site-url", SITE_URL]);
    let feed = std::fs::read_to_string(with_url.join("feed.xml")).unwrap();
    let feed = Html::parse_fragment(&feed);
    let log =
        kepboard::changes::ChangeLog::read(&repo_root().join("content/changes.json")).unwrap();
    let expected: Vec<String> = log.newest_first().iter().map(|c| c.sentence()).collect();
    let titles: Vec<String> = feed.select(&sel("entry title")).map(text).collect();
    assert!(!titles.is_empty());
    assert_eq!(titles, expected);
    let doc = page(&out, "changes/index.html");
    let listed: Vec<String> = doc
        .select(&sel("ul.changes li > a:first-child"))
        .map(text)
        .collect();
    assert_eq!(listed, expected);
    // Without a site URL there is no sitemap (its URLs must be absolute),
    // and the build says so.
    assert!(!out.join("sitemap.xml").exists());
}

const SITE_URL: &str = "https://containerd.github.io/kepboard";

/// With `--site-url`: an absolute sitemap and feed, canonical links and
/// `og:url` on every page but the 404, robots.txt names the sitemap.
#[test]
fn a_site_url_gives_absolute_urls() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    let o = build(&snap, &out, &["--site-url", SITE_URL]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("--site-url"), "{}", stderr(&o));
    let sitemap = Html::parse_fragment(&std::fs::read_to_string(out.join("sitemap.xml")).unwrap());
    let locs: BTreeSet<String> = sitemap.select(&sel("loc")).map(text).collect();
    assert!(
        locs.contains(&format!("{SITE_URL}/k8s/v1.36/"))
            && locs.contains(&format!("{SITE_URL}/kep/127/"))
            && locs.contains(&format!("{SITE_URL}/")),
        "{locs:?}"
    );
    assert!(locs
        .iter()
        .all(|l| l.starts_with(SITE_URL) && l.ends_with('/')));
    assert_eq!(
        locs.len(),
        html_files(&out).len() - 1,
        "every page but 404.html"
    );
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {SITE_URL}/sitemap.xml")),
        "{robots}"
    );
    let feed = Html::parse_fragment(&std::fs::read_to_string(out.join("feed.xml")).unwrap());
    let id = feed.select(&sel("feed > id")).next().map(text).unwrap();
    assert_eq!(id, format!("{SITE_URL}/feed.xml"));
    for f in html_files(&out) {
        let doc = page(&out, f.to_str().unwrap());
        let canonical = doc
            .select(&sel("link[rel=canonical]"))
            .next()
            .and_then(|l| l.value().attr("href").map(str::to_string));
        let og_url = doc
            .select(&sel("meta[property=\"og:url\"]"))
            .next()
            .and_then(|l| l.value().attr("content").map(str::to_string));
        assert_eq!(canonical, og_url, "{}", f.display());
        if f == Path::new("404.html") {
            assert_eq!(canonical, None);
            continue;
        }
        let want = format!(
            "{SITE_URL}/{}",
            f.to_str().unwrap().strip_suffix("index.html").unwrap()
        );
        assert_eq!(canonical.as_deref(), Some(want.as_str()), "{}", f.display());
        assert!(locs.contains(&want), "{want} not in the sitemap");
    }
    // The 404 page links from the site URL's path.
    let doc = page(&out, "404.html");
    let brand = doc.select(&sel("a.brand")).next().unwrap();
    assert_eq!(brand.value().attr("href"), Some("/kepboard/"));
    // A relative or otherwise invalid site URL is refused.
    for bad in [
        "/kepboard/",
        "ftp://host/",
        "https://host/a b/",
        "https://ho\"st/",
    ] {
        let o = build(&snap, &dir.path().join("bad"), &["--site-url", bad]);
        assert!(!o.status.success(), "{bad} accepted");
    }
}

/// Without a site URL: no sitemap, no canonical links, robots.txt without
/// a Sitemap line, said once on stderr; the icons are there either way.
#[test]
fn without_a_site_url_there_is_no_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    let o = build(&snap, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let note = "no --site-url: sitemap.xml and feed.xml left out (their URLs must be absolute); canonical links omitted";
    assert_eq!(stderr(&o).matches(note).count(), 1, "{}", stderr(&o));
    assert!(!out.join("sitemap.xml").exists());
    assert!(!out.join("feed.xml").exists());
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert_eq!(robots, "User-agent: *\nAllow: /\n");
    let doc = page(&out, "index.html");
    assert!(doc.select(&sel("link[rel=canonical]")).next().is_none());
    assert!(doc
        .select(&sel("meta[property=\"og:url\"]"))
        .next()
        .is_none());
    assert!(std::fs::read_to_string(out.join("favicon.svg"))
        .unwrap()
        .starts_with("<svg"));
    assert_eq!(
        &std::fs::read(out.join("favicon.ico")).unwrap()[..4],
        &[0, 0, 1, 0]
    );
    // The 404 page, without a base path, links from the root.
    let doc = page(&out, "404.html");
    let brand = doc.select(&sel("a.brand")).next().unwrap();
    assert_eq!(brand.value().attr("href"), Some("index.html"));
    // Head tags carry the page's own summary, escaped.
    let doc = page(&out, "kep/127/index.html");
    let description = doc
        .select(&sel("meta[name=description]"))
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap()
        .to_string();
    assert!(
        description.starts_with("KEP-127 Support User Namespaces: ")
            && description.contains("containerd#"),
        "{description}"
    );
}

#[test]
fn real_site_has_the_core_pages() {
    let Some(fixtures) = fixtures_or_skip("real_site") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let snap = import_fixtures(&fixtures, dir.path());
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    assert_core_pages(&snap, &out);
    // Every kep.yaml of the data with a KEP number has its page.
    for e in walkdir::WalkDir::new(fixtures.join("enhancements/keps")) {
        let e = e.unwrap();
        if e.file_name() != "kep.yaml" {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let number = text.lines().find_map(|l| {
            let v = l.strip_prefix("kep-number:")?.trim().trim_matches('"');
            v.parse::<u32>().ok().filter(|n| *n > 0)
        });
        if let Some(n) = number {
            assert!(
                out.join(format!("kep/{n}/index.html")).exists(),
                "{}",
                e.path().display()
            );
        }
    }
}

/// A page has a title, a strict CSP, a viewport, a description and Open
/// Graph tags, the icon, and no script but the site's own `filter.js`,
/// deferred, on pages with KEP tables.
fn assert_self_contained(f: &Path, doc: &Html) {
    let title = doc
        .select(&sel("head > title"))
        .next()
        .map(text)
        .unwrap_or_default();
    assert!(!title.is_empty(), "{}: no <title>", f.display());
    let csp = doc
        .select(&sel("meta[http-equiv=\"Content-Security-Policy\"]"))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string))
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"),
        "{}: CSP {csp:?}",
        f.display()
    );
    assert!(
        doc.select(&sel("meta[name=viewport]")).next().is_some(),
        "{}",
        f.display()
    );
    let meta = |s: &str| {
        doc.select(&sel(s))
            .next()
            .and_then(|m| m.value().attr("content").map(str::to_string))
            .unwrap_or_else(|| panic!("{}: no {s}", f.display()))
    };
    assert!(
        !meta("meta[name=description]").is_empty(),
        "{}",
        f.display()
    );
    assert_eq!(
        meta("meta[property=\"og:description\"]"),
        meta("meta[name=description]")
    );
    assert!(title.starts_with(&meta("meta[property=\"og:title\"]")));
    assert_eq!(meta("meta[property=\"og:type\"]"), "website");
    assert_eq!(meta("meta[property=\"og:site_name\"]"), "kepboard");
    assert!(
        doc.select(&sel("link[rel=icon][href]")).next().is_some(),
        "{}: no icon",
        f.display()
    );
    assert!(
        csp.contains("script-src 'self'"),
        "{}: CSP {csp:?}",
        f.display()
    );
    for s in doc.select(&sel("script")) {
        let src = s.value().attr("src").unwrap_or_default();
        assert!(
            src.ends_with("filter.js") && s.value().attr("defer").is_some(),
            "{}: script {src:?}",
            f.display()
        );
        assert_eq!(s.inner_html().trim(), "", "{}: inline script", f.display());
    }
    let scripts = doc.select(&sel("script")).count();
    let has_tables = doc.select(&sel("table[data-filterable]")).next().is_some();
    assert!(
        scripts == 0 || (scripts == 1 && has_tables),
        "{}: a script on a page without KEP tables",
        f.display()
    );
}

/// The links of a page to the site itself: relative, or root-absolute
/// (`/…`, the 404 page only). What it loads (stylesheets, images, the
/// icon) must come from the site itself.
fn internal_links(f: &Path, doc: &Html) -> Vec<String> {
    let mut links = Vec::new();
    for (s, attr) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("img[src]", "src"),
        ("script[src]", "src"),
        ("source[srcset]", "srcset"),
    ] {
        for e in doc.select(&sel(s)) {
            let v = e.value().attr(attr).unwrap().to_string();
            if e.value().attr("rel") == Some("canonical") {
                continue;
            }
            let external = v.contains(':') || v.starts_with("//");
            // Nothing is loaded from another host.
            assert!(s == "a[href]" || !external, "{}: loads {v}", f.display());
            if !external {
                links.push(v);
            }
        }
    }
    links
}

/// Where link `link` on page `from` (a file below the site root) leads,
/// as a file below the site root, and its fragment. A root-absolute link
/// must start with `base` (only the 404 page has those); a relative one
/// must name a file, not a directory, so it also works from disk.
fn resolve(from: &Path, link: &str, base: &str) -> (String, Option<String>) {
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    if let Some(abs) = path.strip_prefix('/') {
        assert_eq!(
            from,
            Path::new("404.html"),
            "{}: root-absolute link {link}",
            from.display()
        );
        let rel = format!("/{abs}");
        let rel = rel
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{}: {link} is outside {base}", from.display()));
        let file = if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        return (file, fragment);
    }
    let mut parts: Vec<&str> = from
        .parent()
        .map(|p| {
            p.to_str()
                .unwrap()
                .split('/')
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if path.is_empty() {
        return (from.to_str().unwrap().to_string(), fragment);
    }
    assert!(
        !path.ends_with('/'),
        "{}: {link} names a directory: it does not open from disk",
        from.display()
    );
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts
                    .pop()
                    .unwrap_or_else(|| panic!("{}: {link} leaves the site", from.display()));
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    (parts.join("/"), fragment)
}

/// Every internal link resolves to a file of the site, and every fragment
/// to an id of that file. Returns how many links were checked.
fn assert_links_resolve(
    out: &Path,
    base: &str,
    links: &[(PathBuf, String)],
    ids: &BTreeMap<PathBuf, BTreeSet<String>>,
) -> usize {
    for (from, link) in links {
        let (file, fragment) = resolve(from, link, base);
        assert!(
            out.join(&file).is_file(),
            "{}: broken link {link}",
            from.display()
        );
        if let Some(fragment) = fragment {
            let target = ids
                .get(Path::new(&file))
                .unwrap_or_else(|| panic!("{file} not parsed"));
            assert!(
                target.contains(&fragment),
                "{}: {link}: no id {fragment:?}",
                from.display()
            );
        }
    }
    links.len()
}

/// Links are relative and name files, so the site works from disk, at
/// `/` and under any path; the 404 page, shown at any depth, links from
/// the base path (here the old `--base-url`).
#[test]
fn every_page_is_self_contained_and_links_resolve_relatively() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    let o = kepboard(&[
        "archive",
        "v1.35",
        "--snapshot",
        snap.to_str().unwrap(),
        "--archives",
        dir.path().join("archive").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("public");
    build_ok(
        &snap,
        &out,
        &[
            "--base-url",
            "/kepboard/",
            "--archives",
            dir.path().join("archive").to_str().unwrap(),
        ],
    );

    let files = html_files(&out);
    for page in [
        "index.html",
        "keps/index.html",
        "kep/127/index.html",
        "archive/v1.35/index.html",
    ] {
        assert!(files.iter().any(|f| f.ends_with(page)), "{page}");
    }
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut links: Vec<(PathBuf, String)> = Vec::new();
    for f in &files {
        let doc = page(&out, f.to_str().unwrap());
        assert_self_contained(f, &doc);
        ids.insert(
            f.clone(),
            doc.select(&sel("[id]"))
                .filter_map(|e| e.value().id().map(str::to_string))
                .collect(),
        );
        // The brand links to the overview of the page's rendering.
        let brand = doc
            .select(&sel("a.brand"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_else(|| panic!("{}: no link to the overview", f.display()));
        let (home, _) = resolve(f, brand, "/kepboard/");
        let rendering = if f.starts_with("archive/v1.35") {
            "archive/v1.35/index.html"
        } else {
            "index.html"
        };
        assert_eq!(home, rendering, "{}", f.display());
        links.extend(internal_links(f, &doc).into_iter().map(|l| (f.clone(), l)));
    }
    let checked = assert_links_resolve(&out, "/kepboard/", &links, &ids);
    assert!(checked > 500, "only {checked} links checked");
    // The archive is there, frozen and scoped to its release.
    let doc = page(&out, "archive/v1.35/index.html");
    assert!(doc
        .select(&sel("p.frozen"))
        .next()
        .map(text)
        .unwrap_or_default()
        .contains("v1.35"));
    assert!(out.join("archive/v1.35/k8s/v1.35/index.html").exists());
    assert!(!out.join("archive/v1.35/k8s/v1.36/index.html").exists());
    let doc = page(&out, "archive/index.html");
    assert_eq!(
        doc.select(&sel("ul.archives a[href=\"v1.35/index.html\"]"))
            .count(),
        1
    );
}

#[test]
fn hostile_issue_text_produces_no_executable_markup() {
    hostile_kep_titles_stay_text_in_the_badge();
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    let evil = "### KEP/SIG-Node References\n\n- KEP(s): KEP-127\n- stage: alpha\n- KEP-Owner: <script>alert(1)</script>\n\
                - KEP-Shepherd: @a\" onmouseover=\"alert(2)\n- KEP Issue: javascript:alert(3)\n\n\
                <script>alert(4)</script>\n\n<img src=x onerror=alert(5)>\n\n[x](javascript:alert(6))\n\n\
                <iframe src=\"https://evil.example\"></iframe>\n\n<form action=\"https://evil.example\"><input></form>\n\n\
                <a href=\"https://ok.example\" onclick=\"alert(7)\" style=\"color:red\">ok</a>\n\n<svg onload=alert(8)></svg>";
    s["issues"].as_array_mut().unwrap().push(serde_json::json!({
        "number": 99999, "state": "open",
        "title": "[SIG-Node]: KEP-127: <script>alert('title')</script>",
        "html_url": "javascript:alert(9)",
        "body": evil,
        "user": {"login": "<img src=x onerror=alert(10)>"},
        "labels": [{"name": "<script>alert(11)</script>"}, {"name": "k8s/1.36\" onclick=\"x"}],
        "assignees": [{"login": "\"><script>alert(12)</script>"}]
    }));
    std::fs::write(&snap, serde_json::to_vec(&s).unwrap()).unwrap();
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);

    let mut saw_issue = false;
    for f in html_files(&out) {
        let doc = page(&out, f.to_str().unwrap());
        for e in doc
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let name = e.value().name();
            // The site's own script, in the head, is the one allowed.
            let own_script = name == "script"
                && e.parent()
                    .and_then(scraper::ElementRef::wrap)
                    .map(|p| p.value().name())
                    == Some("head")
                && e.value()
                    .attr("src")
                    .is_some_and(|s| s.ends_with("/filter.js"))
                && e.inner_html().is_empty();
            assert!(
                own_script
                    || ![
                        "script", "iframe", "form", "input", "style", "object", "embed", "svg",
                        "base"
                    ]
                    .contains(&name),
                "{}: <{name}> in the page",
                f.display()
            );
            for (attr, value) in e.value().attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{}: event handler {attr}={value:?}",
                    f.display()
                );
                assert!(attr != "style", "{}: inline style", f.display());
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "{}: {attr}={value:?}",
                    f.display()
                );
            }
        }
        if f == Path::new("kep/127/index.html") {
            let article = doc
                .select(&sel("article#issue-99999"))
                .next()
                .expect("the hostile issue is shown");
            // The text is shown, as text.
            assert!(text(article).contains("<script>alert('title')</script>"));
            saw_issue = true;
        }
    }
    assert!(saw_issue);
}

#[test]
fn builds_are_deterministic_and_replace_the_previous_site_only_when_complete() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build_ok(&snap, &a, &[]);
    build_ok(&snap, &b, &[]);
    assert_eq!(tree(&a), tree(&b), "two builds of one snapshot differ");

    // Building over an existing site replaces it whole.
    std::fs::write(a.join("stale.html"), "old").unwrap();
    build_ok(&snap, &a, &[]);
    assert!(!a.join("stale.html").exists());
    assert_eq!(tree(&a), tree(&b));

    // A broken template: the build fails, naming it, and the old site stays.
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    for e in std::fs::read_dir(repo_root().join("templates")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), templates.join(e.file_name())).unwrap();
    }
    std::fs::write(templates.join("kep.html"), "{% extends \"base.html\" %}{% block content %}{{ row.number | nope }}{% endblock content %}").unwrap();
    let o = build(&snap, &a, &["--templates", templates.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("kep.html"), "{}", stderr(&o));
    assert_eq!(tree(&a), tree(&b), "a failed build changed the site");
    // A failure while rendering (not parsing) leaves it too.
    std::fs::write(
        templates.join("kep.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value }}{% endblock content %}",
    )
    .unwrap();
    let o = build(&snap, &a, &["--templates", templates.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("kep/127/index.html"), "{}", stderr(&o));
    assert_eq!(tree(&a), tree(&b));
    // Nothing left behind beside the site.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".kepboard"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A bad snapshot fails cleanly too.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": 1,").unwrap();
    let o = build(&bad, &a, &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad.json"));
    assert_eq!(tree(&a), tree(&b));

    // And a directory that is not a kepboard site is never replaced.
    let o = build(&snap, &templates, &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("refusing"), "{}", stderr(&o));
    assert!(templates.join("base.html").exists());
}

/// `--templates DIR` replaces only the templates DIR holds: a directory with
/// just `base.html` changes every page built on it and leaves the rest to
/// the built-in templates. A file that is no template is an error naming it.
#[test]
fn a_templates_directory_overrides_only_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let base = std::fs::read_to_string(repo_root().join("templates/base.html")).unwrap();
    let marked = base.replace(
        "<main>",
        "<p class=\"house-banner\">Built from a local base.html</p>\n<main>",
    );
    assert_ne!(marked, base);
    std::fs::write(templates.join("base.html"), marked).unwrap();
    let out = dir.path().join("public");
    build_ok(&snap, &out, &["--templates", templates.to_str().unwrap()]);
    let plain = dir.path().join("plain");
    build_ok(&snap, &plain, &[]);
    let banner = |doc: &Html| doc.select(&sel("p.house-banner")).next().map(text);
    for rel in [
        "index.html",
        "kep/127/index.html",
        "health/index.html",
        "404.html",
    ] {
        let doc = page(&out, rel);
        assert_eq!(
            banner(&doc).as_deref(),
            Some("Built from a local base.html"),
            "{rel} does not use the local base.html"
        );
        assert!(banner(&page(&plain, rel)).is_none(), "{rel}");
        // The rest of the page is the built-in templates' as before.
        let h1 = |doc: &Html| doc.select(&sel("main h1")).next().map(text);
        assert_eq!(h1(&doc), h1(&page(&plain, rel)), "{rel}");
    }
    // Files that extend no template are the built-in ones, unchanged.
    let (a, b) = (tree(&out), tree(&plain));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for f in ["style.css", "data/keps.json"] {
        assert_eq!(a[Path::new(f)], b[Path::new(f)], "{f}");
    }

    // The stylesheet can be replaced too.
    std::fs::write(templates.join("style.css"), "body { color: black; }\n").unwrap();
    build_ok(&snap, &out, &["--templates", templates.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).unwrap(),
        "body { color: black; }\n"
    );

    // An unknown name is an error that names the file; the site stays.
    let before = tree(&out);
    std::fs::write(templates.join("bsae.html"), "{{ title }}").unwrap();
    let o = build(&snap, &out, &["--templates", templates.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("bsae.html") && err.contains("not one of kepboard's templates"),
        "{err}"
    );
    assert_eq!(tree(&out), before);
}

#[test]
fn archive_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let archives = dir.path().join("archive");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "archive",
            "v1.36",
            "--snapshot",
            snap.to_str().unwrap(),
            "--archives",
            archives.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        kepboard(&args)
    };
    assert!(run(&[]).status.success());
    let file = archives.join("v1.36.json");
    let frozen = std::fs::read(&file).unwrap();
    // The live snapshot moves on; the archive must not.
    let mut s: serde_json::Value = serde_json::from_slice(&frozen).unwrap();
    s["generated_at"] = "2026-12-01T00:00:00Z".into();
    std::fs::write(&snap, serde_json::to_vec(&s).unwrap()).unwrap();
    let o = run(&[]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("already exists") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&file).unwrap(), frozen);
    // A build reads archives but never writes them.
    let out = dir.path().join("public");
    build_ok(&snap, &out, &["--archives", archives.to_str().unwrap()]);
    assert_eq!(std::fs::read(&file).unwrap(), frozen);
    // --force replaces, and says so loudly.
    let o = run(&["--force"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("REPLACED"), "{}", stderr(&o));
    assert_ne!(std::fs::read(&file).unwrap(), frozen);
    // An invalid release is refused before anything is written.
    let o = kepboard(&[
        "archive",
        "1.x",
        "--snapshot",
        snap.to_str().unwrap(),
        "--archives",
        archives.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
}

/// Without Kubernetes release data the overview says it cannot tell the
/// cycle, instead of guessing one from kep.yaml plans.
#[test]
fn without_release_data_the_overview_says_so() {
    use kepboard::site::{self, urls::Urls};
    let path = repo_root().join("content/snapshot.json");
    let mut snap = kepboard::snapshot::Snapshot::read(&path).unwrap();
    snap.kubernetes_releases.clear();
    let tera = site::load_templates(None).unwrap();
    let input = site::SiteInput::live(kepboard::model::Model::build(&snap));
    let files = site::render_to_vec(&tera, &Urls::new("/").unwrap(), &input).unwrap();
    assert!(files.iter().all(|f| !f.path.starts_with("k8s/")));
    let home = files.iter().find(|f| f.path == "index.html").unwrap();
    let doc = Html::parse_document(std::str::from_utf8(&home.bytes).unwrap());
    let warning = doc.select(&sel("main p.warning")).next().map(text);
    assert!(
        warning
            .as_deref()
            .is_some_and(|w| w.contains("no Kubernetes release dates")),
        "{warning:?}"
    );
}

/// The footer names the sources, not the paths of the machine that built it.
#[test]
fn the_footer_names_sources_without_local_paths() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    let footer = text(
        page(&out, "index.html")
            .select(&sel("footer"))
            .next()
            .unwrap(),
    );
    assert!(footer.contains("issues: issues.json"), "{footer}");
    let root = repo_root().to_string_lossy().into_owned();
    assert!(
        !footer.contains(&root) && !footer.contains("content/demo"),
        "{footer}"
    );
}

/// A KEP page says where each CRI-O pull request's link comes from (named
/// in the PR, a backport, configured in kepboard.toml), lists configured
/// PRs the data lacks, and keps.json carries the same as `link`.
#[test]
fn kep_pages_say_where_each_crio_pull_request_comes_from() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    let merged = |n: u64, title: &str, base: &str, branch: &str| {
        serde_json::json!({"number": n, "title": title, "state": "closed",
            "merged_at": "2026-03-01T00:00:00Z", "base": {"ref": base}, "head": {"ref": branch}})
    };
    s["crio_pulls"] = serde_json::json!([
        merged(
            8123,
            "Add idmapped mounts <script>alert(1)</script>",
            "main",
            "idmap"
        ),
        merged(
            8124,
            "[1.35] Add idmapped mounts",
            "release-1.35",
            "cherry-pick-8123-to-release-1.35"
        ),
        merged(8200, "userns: KEP-127 follow-up", "main", "x"),
    ]);
    s["crio_kep_links"] = serde_json::json!([
        {"kep": 127, "pull": 8123}, {"kep": 127, "pull": 8200}, {"kep": 127, "pull": 8999},
    ]);
    std::fs::write(&snap, serde_json::to_vec(&s).unwrap()).unwrap();
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);

    let doc = page(&out, "kep/127/index.html");
    let items: Vec<String> = doc.select(&sel("ul.crio-pulls li")).map(text).collect();
    assert_eq!(items.len(), 4, "{items:#?}");
    let link_of = |n: &str| -> String {
        let li = doc
            .select(&sel("ul.crio-pulls li"))
            .find(|li| li.select(&sel("a")).next().map(text).as_deref() == Some(n))
            .unwrap_or_else(|| panic!("{n} not listed: {items:#?}"));
        li.select(&sel(".crio-link"))
            .next()
            .map(text)
            .unwrap_or_default()
    };
    assert_eq!(link_of("#8123"), "(configured)");
    assert_eq!(link_of("#8124"), "(backport of #8123)");
    // Named and configured: named.
    assert_eq!(link_of("#8200"), "(named in PR)");
    // The title is shown as text.
    assert!(items[0].contains("<script>alert(1)</script>"), "{items:#?}");
    assert!(doc.select(&sel("main script")).next().is_none());
    let missing: Vec<String> = doc.select(&sel("li.crio-unknown")).map(text).collect();
    assert_eq!(missing, ["configured #8999: not in the data"]);

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/keps.json")).unwrap()).unwrap();
    let kep = json["keps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["number"] == 127)
        .unwrap();
    let links: Vec<(u64, &str)> = kep["crio_pull_requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["number"].as_u64().unwrap(), p["link"].as_str().unwrap()))
        .collect();
    assert_eq!(
        links,
        [(8123, "configured"), (8124, "backport"), (8200, "named")]
    );

    let health = page(&out, "health/index.html");
    let found: Vec<String> = health
        .select(&sel("section#unknown-crio-link li"))
        .map(text)
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("CRI-O #8999"), "{found:#?}");
}

#[test]
fn the_policy_page_the_check_and_the_kep_pages_agree_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    let read = |rel: &str| Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap());
    // The demo's containerd PRs for KEP-127 and KEP-3619 first shipped in
    // v2.2.0 (2025-11-06), after v1.34.0 (2025-08-27), where both gates
    // were beta and on by default (demo feature-gates.yaml): both runtimes
    // were needed.
    let policy = read("policy/index.html");
    let violated: Vec<String> = policy
        .select(&sel("section#violated li"))
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(violated.len(), 2, "{violated:?}");
    assert!(violated[0].contains("KEP-127") && violated[0].contains("v1.34"));
    assert!(violated[1].contains("KEP-3619") && violated[1].contains("out after v1.34"));
    // The KEP page's table says the same, with the gate's default.
    let kep = read("kep/127/index.html");
    let row: Vec<String> = kep
        .select(&sel("table.readiness tbody tr"))
        .map(|tr| tr.text().collect::<Vec<_>>().join("|"))
        .filter(|t| t.starts_with("v1.34|"))
        .collect();
    assert_eq!(row.len(), 1);
    assert!(
        row[0].contains("beta (on)") && row[0].contains("violated"),
        "{}",
        row[0]
    );
    // check lists them and --strict fails, naming the counts; without it,
    // check still succeeds.
    let snap = snap.to_str().unwrap();
    let o = kepboard(&["check", "--snapshot", snap]);
    assert!(o.status.success());
    assert!(stdout(&o)
        .contains("Runtime policy violated: stages that shipped before the runtimes were ready"));
    let o = kepboard(&["check", "--snapshot", snap, "--strict"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("2 violations and 1 target at risk"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn archive_refuses_a_release_that_is_not_out() {
    // The demo snapshot (2026-11-01) has v1.37 out; v1.38 is the cycle under
    // way, v2.0 and v1.99 are no releases at all.
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let archives = dir.path().join("archive");
    for release in ["v1.38", "v2.0", "v1.99"] {
        let o = kepboard(&[
            "archive",
            release,
            "--snapshot",
            snap.to_str().unwrap(),
            "--archives",
            archives.to_str().unwrap(),
        ]);
        assert!(!o.status.success(), "{release}");
        assert!(
            stderr(&o).contains(&format!("{release} is not a released Kubernetes minor"))
                && stderr(&o).contains("the newest released minor in it is v1.37"),
            "{}",
            stderr(&o)
        );
        assert!(!archives.exists(), "nothing is written for {release}");
    }
}

#[test]
fn archive_takes_the_live_snapshot_from_kepboard_toml_never_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let kepboard_in = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kepboard"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    // No data directory yet: a clear error, not the demo frozen instead.
    let o = kepboard_in(&["archive", "v1.36"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("data/snapshot.json") && e.contains("no live snapshot"),
        "{e}"
    );
    // `data_dir` of kepboard.toml is where the live snapshot and archives are.
    let live = dir.path().join("live");
    std::fs::create_dir(&live).unwrap();
    std::fs::copy(import_demo(dir.path()), live.join("snapshot.json")).unwrap();
    std::fs::write(dir.path().join("kepboard.toml"), "data_dir = \"live\"\n").unwrap();
    let o = kepboard_in(&["archive", "v1.36"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(live.join("archive/v1.36.json").exists());
    let o = kepboard_in(&["archive", "v1.99"]);
    assert!(stderr(&o).contains("not a released Kubernetes minor"));
}

/// `/keps/` shows the recent releases newest first and the KEPs active in
/// them, `/keps/all/` everything; release pages group their KEPs; rows
/// carry the data the filter script reads; the script is written and
/// loaded only where there are tables to filter.
#[test]
fn the_grid_the_groups_and_the_filter_data_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    std::fs::create_dir(dir.path().join("archive")).unwrap();
    let o = kepboard(&[
        "archive",
        "v1.35",
        "--snapshot",
        snap.to_str().unwrap(),
        "--archives",
        dir.path().join("archive").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("public");
    build_ok(
        &snap,
        &out,
        &["--archives", dir.path().join("archive").to_str().unwrap()],
    );
    let rows = |doc: &Html| -> Vec<u32> {
        doc.select(&sel("table.matrix tbody tr[data-kep]"))
            .map(|tr| tr.value().attr("data-kep").unwrap().parse().unwrap())
            .collect()
    };
    let columns = |doc: &Html| -> Vec<String> {
        doc.select(&sel("table.matrix thead th a"))
            .map(text)
            .collect()
    };
    let recent = page(&out, "keps/index.html");
    let all = page(&out, "keps/all/index.html");
    assert_eq!(
        columns(&recent),
        ["v1.39", "v1.38", "v1.37", "v1.36", "v1.35", "v1.34"]
    );
    let all_columns = columns(&all);
    assert_eq!(all_columns.first().map(String::as_str), Some("v1.39"));
    assert_eq!(all_columns.last().map(String::as_str), Some("v1.22"));
    let (r, a) = (rows(&recent), rows(&all));
    assert!(r.len() < a.len(), "{r:?} {a:?}");
    assert!(r.iter().all(|n| a.contains(n)));
    // KEP-5714 is targeted for the cycle under way; KEP-2033 (alpha since
    // long ago, untracked) is history only.
    assert!(r.contains(&5714) && !r.contains(&2033) && a.contains(&2033));
    let scope = |doc: &Html| text(doc.select(&sel("p.scope")).next().unwrap());
    assert!(scope(&recent).starts_with(&format!("{} KEPs of {} active", r.len(), a.len())));
    assert!(scope(&all).starts_with(&format!("All {} KEPs", a.len())));
    let link_in_scope = |doc: &Html| {
        doc.select(&sel("p.scope a"))
            .next()
            .and_then(|a| a.value().attr("href").map(str::to_string))
    };
    assert_eq!(link_in_scope(&recent).as_deref(), Some("all/index.html"));
    assert_eq!(link_in_scope(&all).as_deref(), Some("../index.html"));
    // The data the filter reads, on every row of every filterable table.
    for f in [
        "keps/index.html",
        "keps/all/index.html",
        "k8s/v1.35/index.html",
    ] {
        let doc = page(&out, f);
        let trs: Vec<_> = doc
            .select(&sel("table[data-filterable] tbody tr[data-kep]"))
            .collect();
        assert!(!trs.is_empty(), "{f}");
        for tr in trs {
            let v = tr.value();
            let sig = v.attr("data-sig").unwrap();
            assert!(!sig.is_empty() && !sig.starts_with("sig-"), "{f}: {sig}");
            let stage = v.attr("data-stage").unwrap();
            assert!(
                ["alpha", "beta", "stable", "deprecated", "removed", "none"].contains(&stage),
                "{f}: {stage}"
            );
            let status: Vec<&str> = v.attr("data-status").unwrap().split(' ').collect();
            assert!(
                matches!(status[0], "tracked" | "untracked"),
                "{f}: {status:?}"
            );
            assert!(status[1..]
                .iter()
                .all(|s| matches!(*s, "shipped" | "pending")));
            let n = v.attr("data-kep").unwrap();
            let t = v.attr("data-text").unwrap();
            assert!(
                t.starts_with(&format!("kep-{n} ")) && t == t.to_lowercase(),
                "{t}"
            );
        }
    }
    let kep = |doc: &Html, n: u32| {
        doc.select(&sel(&format!("tr[data-kep=\"{n}\"]")))
            .next()
            .unwrap_or_else(|| panic!("KEP-{n}"))
            .value()
            .clone()
    };
    assert_eq!(kep(&all, 127).attr("data-sig"), Some("node"));
    assert_eq!(kep(&all, 127).attr("data-status"), Some("tracked shipped"));
    assert_eq!(kep(&all, 2033).attr("data-status"), Some("untracked"));
    assert_eq!(kep(&all, 4216).attr("data-status"), Some("tracked pending"));
    assert!(kep(&all, 127)
        .attr("data-text")
        .unwrap()
        .contains("user namespaces"));
    // Release pages: one section per group, with its count.
    let groups = |f: &str| -> Vec<(String, String, usize)> {
        page(&out, f)
            .select(&sel("section.group"))
            .map(|s| {
                (
                    s.value().id().unwrap().to_string(),
                    text(s.select(&sel("h2 .count")).next().unwrap()),
                    s.select(&sel("tr[data-kep]")).count(),
                )
            })
            .collect()
    };
    assert_eq!(
        groups("k8s/v1.38/index.html"),
        [("targeting".to_string(), "2 KEPs".to_string(), 2)]
    );
    let v135 = groups("k8s/v1.35/index.html");
    assert_eq!(v135.len(), 2, "{v135:?}");
    assert_eq!((v135[0].0.as_str(), v135[0].2), ("graduating", 4));
    assert_eq!(
        (v135[1].0.as_str(), v135[1].1.as_str()),
        ("in-force", "1 KEP")
    );
    let v138 = page(&out, "k8s/v1.38/index.html");
    let badges: Vec<String> = v138
        .select(&sel("section#targeting .cstatus"))
        .map(text)
        .collect();
    assert_eq!(badges, ["shipped in v2.3.0", "merged, not released"]);
    // The script: written, loaded (deferred) where tables are filtered,
    // nowhere else; an archive has its one release's /keps/ only.
    let script = std::fs::read_to_string(out.join("filter.js")).unwrap();
    assert!(script.contains("hashchange") && !script.contains("eval("));
    let src = |f: &str| {
        page(&out, f)
            .select(&sel("script"))
            .next()
            .and_then(|s| s.value().attr("src").map(str::to_string))
    };
    assert_eq!(src("keps/index.html").as_deref(), Some("../filter.js"));
    assert_eq!(
        src("keps/all/index.html").as_deref(),
        Some("../../filter.js")
    );
    assert_eq!(
        src("k8s/v1.38/index.html").as_deref(),
        Some("../../filter.js")
    );
    assert_eq!(src("kep/127/index.html"), None);
    assert_eq!(src("index.html"), None);
    assert!(out.join("archive/v1.35/keps/index.html").is_file());
    assert!(!out.join("archive/v1.35/keps/all").exists());
    let archived = page(&out, "archive/v1.35/keps/index.html");
    assert_eq!(columns(&archived), ["v1.35"]);
    assert_eq!(link_in_scope(&archived), None);
}

/// The `<text>` contents of an SVG chart.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|p| {
            let body = p.split_once('>').unwrap().1;
            body.split("</text>").next().unwrap().trim().to_string()
        })
        .collect()
}

/// The overview chart on the demo: its table has every release, each
/// release's "KEPs listed" is the number of KEPs its page lists and the
/// sum of the stage columns; the drawings show the newest releases of the
/// table, with a legend naming each series; the figure says what it shows.
#[test]
fn the_overview_chart_and_its_table_agree_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    let home = page(&out, "index.html");
    let heads: Vec<String> = home
        .select(&sel("table.chart-table thead th"))
        .map(text)
        .collect();
    assert_eq!(
        heads,
        [
            "Release",
            "alpha",
            "beta",
            "stable",
            "no graduation stage",
            "KEPs listed"
        ]
    );
    let mut releases = Vec::new();
    for tr in home.select(&sel("table.chart-table tbody tr")) {
        let r = tr.value().attr("data-release").unwrap().to_string();
        let n: Vec<usize> = tr
            .select(&sel("td"))
            .map(|td| text(td).parse().unwrap())
            .collect();
        assert_eq!(n.len(), 5);
        assert_eq!(n[..4].iter().sum::<usize>(), n[4], "{r}");
        let listed = page(&out, &format!("k8s/{r}/index.html"))
            .select(&sel("table.keps tbody tr[data-kep]"))
            .count();
        assert_eq!(n[4], listed, "{r}: table vs release page");
        releases.push(r);
    }
    releases.reverse();
    let current = home.select(&sel("main > p a")).next().map(text).unwrap();
    let drawn: Vec<String> = releases
        .iter()
        .take_while(|r| **r != current)
        .cloned()
        .chain([current.clone()])
        .collect();
    let on_disk = std::fs::read_dir(out.join("k8s")).unwrap().count();
    assert_eq!(releases.len(), on_disk);
    for (file, n) in [("keps-by-stage.svg", 13), ("keps-by-stage-narrow.svg", 6)] {
        let svg = std::fs::read_to_string(out.join("charts").join(file)).unwrap();
        let labels: Vec<String> = svg_texts(&svg)
            .into_iter()
            .filter(|t| t.starts_with("v1."))
            .collect();
        let newest = &drawn[drawn.len().saturating_sub(n)..];
        assert_eq!(labels, newest, "{file}");
        for series in ["alpha", "beta", "stable", "no graduation stage"] {
            assert!(
                svg_texts(&svg).contains(&series.to_string()),
                "{file}: {series}"
            );
        }
    }
    let figure = home.select(&sel("figure.chart")).next().expect("a figure");
    let caption = figure.select(&sel("figcaption")).next().map(text).unwrap();
    assert!(
        caption.contains("KEPs on each Kubernetes release page"),
        "{caption}"
    );
    let img = figure.select(&sel("img")).next().unwrap();
    assert_eq!(img.value().attr("src"), Some("charts/keps-by-stage.svg"));
    assert!(img.value().attr("alt").unwrap().contains("table below"));
    let source = figure.select(&sel("source")).next().unwrap();
    assert_eq!(
        source.value().attr("srcset"),
        Some("charts/keps-by-stage-narrow.svg")
    );
    // The lag chart's table has the chart's bars: per release, the mean
    // of the per-KEP table's days.
    let doc = page(&out, "containerd/index.html");
    let mut days: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for tr in doc.select(&sel("table.lag tbody tr")) {
        let tds: Vec<String> = tr.select(&sel("td")).map(text).collect();
        let k8s = tds[2].split_whitespace().next().unwrap().to_string();
        days.entry(k8s).or_default().push(tds[4].parse().unwrap());
    }
    let table: BTreeMap<String, (usize, i64)> = doc
        .select(&sel("table.lag-chart-table tbody tr"))
        .map(|tr| {
            let k8s = text(tr.select(&sel("th")).next().unwrap());
            let n: Vec<i64> = tr
                .select(&sel("td"))
                .map(|td| text(td).parse().unwrap())
                .collect();
            (k8s, (n[0] as usize, n[1]))
        })
        .collect();
    assert!(!table.is_empty());
    let expected: BTreeMap<String, (usize, i64)> = days
        .iter()
        .map(|(k, d)| (k.clone(), (d.len(), d.iter().sum::<i64>() / d.len() as i64)))
        .collect();
    assert_eq!(table, expected);
    let svg = std::fs::read_to_string(out.join("charts/containerd-lag.svg")).unwrap();
    for k in table.keys() {
        assert!(svg_texts(&svg).contains(k), "lag chart: {k}");
    }
}

/// KEP-127's badge on the demo, its embedding snippet and its README link.
#[test]
fn kep_pages_show_a_badge_to_embed_and_the_readme() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    let svg = std::fs::read_to_string(out.join("kep/127/badge.svg")).unwrap();
    insta::assert_snapshot!("demo_kep_127_badge", svg);
    let doc = page(&out, "kep/127/index.html");
    let img = doc.select(&sel(".badge-embed img")).next().unwrap();
    assert_eq!(img.value().attr("src"), Some("badge.svg"));
    assert!(img
        .value()
        .attr("alt")
        .unwrap()
        .starts_with("KEP-127 Support User Namespaces: "));
    let md = text(doc.select(&sel(".badge-embed pre")).next().unwrap());
    assert_eq!(md, "[![KEP-127 status](/kep/127/badge.svg)](/kep/127/)");
    let readme = doc
        .select(&sel("a"))
        .find(|a| text(*a) == "README")
        .and_then(|a| a.value().attr("href"));
    assert_eq!(
        readme,
        Some("https://github.com/kubernetes/enhancements/blob/master/keps/sig-node/127-user-namespaces/README.md")
    );
    // With the site URL, the snippet is absolute; every KEP page has a badge.
    let with_url = dir.path().join("with-url");
    build_ok(&snap, &with_url, &["--site-url", SITE_URL]);
    let doc = page(&with_url, "kep/127/index.html");
    let md = text(doc.select(&sel(".badge-embed pre")).next().unwrap());
    assert_eq!(
        md,
        format!("[![KEP-127 status]({SITE_URL}/kep/127/badge.svg)]({SITE_URL}/kep/127/)")
    );
    for e in std::fs::read_dir(out.join("kep")).unwrap() {
        assert!(e.unwrap().path().join("badge.svg").exists());
    }
    // Archives have none: a frozen page's badge would not be a status.
    for f in html_files(&out) {
        if f.starts_with("archive") {
            assert!(page(&out, f.to_str().unwrap())
                .select(&sel(".badge-embed"))
                .next()
                .is_none());
        }
    }
}

/// A KEP whose title is hostile (no kep.yaml: it comes from the issue)
/// gets a badge whose text cannot leave the SVG's text.
fn hostile_kep_titles_stay_text_in_the_badge() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let mut s: serde_json::Value = serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    s["issues"].as_array_mut().unwrap().push(serde_json::json!({
        "number": 99998, "state": "open",
        "title": "[SIG-Node]: KEP-9998: </text><script>alert('badge')</script>\"&",
        "html_url": "https://github.com/containerd/containerd/issues/99998",
        "body": "### KEP/SIG-Node References\n\n- KEP(s): KEP-9998\n- stage: alpha\n",
        "user": {"login": "a"}, "labels": [], "assignees": []
    }));
    std::fs::write(&snap, serde_json::to_vec(&s).unwrap()).unwrap();
    let out = dir.path().join("public");
    build_ok(&snap, &out, &[]);
    let svg = std::fs::read_to_string(out.join("kep/9998/badge.svg")).unwrap();
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    assert!(!svg.contains("<script"), "{svg}");
    assert_eq!(svg.matches("<text").count(), 2, "{svg}");
}
