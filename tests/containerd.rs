//! The containerd axis of the site: `/containerd/` and `/containerd/vX.Y/`,
//! the support matrix on release pages, and a RELEASES.md that cannot be
//! read only giving a warning.

mod common;
use common::*;
use scraper::{Html, Selector};
use std::path::Path;

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap())
}

fn build(snap: &Path, out: &Path) {
    let o = kepboard(&[
        "build",
        "--snapshot",
        snap.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn demo_line_page_lists_the_keps_its_prs_shipped() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let out = dir.path().join("public");
    build(&snap, &out);
    let doc = page(&out, "containerd/v2.2/index.html");
    let mut keps: Vec<u32> = doc
        .select(&sel("section.work li[data-kep]"))
        .map(|li| li.value().attr("data-kep").unwrap().parse().unwrap())
        .collect();
    keps.sort();
    keps.dedup();
    // The demo PRs merged between v2.1.0 and v2.2.0 into main.
    assert_eq!(keps, vec![127, 1287, 3619, 4639, 4960]);
    // The release page says which containerd to run, and what shipped each KEP.
    let doc = page(&out, "k8s/v1.35/index.html");
    let p: Vec<String> = doc
        .select(&sel("main p"))
        .map(|e| e.text().collect())
        .collect();
    assert!(
        p.iter().any(|t| t.contains("Run containerd 2.2.0+")),
        "{p:?}"
    );
    let row = doc
        .select(&sel("tr[data-kep=\"127\"] td.shipped"))
        .next()
        .unwrap();
    assert_eq!(row.text().collect::<String>(), "v2.2.0");
    // keps.json carries the release of each PR and tracking issue.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/keps.json")).unwrap()).unwrap();
    let k127 = json["keps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["number"] == 127)
        .unwrap();
    let issue = &k127["tracking_issues"][0];
    assert_eq!(issue["containerd_release"], "v2.2.0");
    let pr = issue["pull_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == 12118)
        .unwrap();
    assert_eq!(pr["containerd_release"], "v2.2.0");
    // Its milestone "2.2" decides; no prerelease is inferred then.
    assert_eq!(pr["containerd_release_rule"], "milestone");
    let pr = issue["pull_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == 12350)
        .unwrap();
    assert_eq!(pr["containerd_release_rule"], "merge-date-main");
    assert_eq!(pr["containerd_prerelease"], "v2.2.0-rc.0");
    // /containerd/ shows the support matrix and the lag chart.
    let doc = page(&out, "containerd/index.html");
    assert_eq!(doc.select(&sel("table.support tbody tr")).count(), 5);
    assert!(out.join("charts/containerd-lag.svg").exists());
    // The demo's open 4216 issue with no merged PR, alpha in a released Kubernetes.
    let doc = page(&out, "health/index.html");
    let items: Vec<String> = doc
        .select(&sel("section#runtime-work-pending li"))
        .map(|e| e.text().collect())
        .collect();
    assert!(items.iter().any(|t| t.contains("KEP-4216")), "{items:?}");
}

#[test]
fn unreadable_support_tables_are_warnings_and_the_site_builds() {
    let dir = tempfile::tempdir().unwrap();
    let snap = import_demo(dir.path());
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&snap).unwrap()).unwrap();
    let cases = [
        (
            "extra column",
            "### Kubernetes Support\n\n| Kubernetes Version | Notes | containerd Version | CRI Version |\n|---|---|---|---|\n| 1.35 | x | 2.2.0+, 2.1.5+ | v1 |\n| 1.36 | y | 2.3.0+ | v1 |\n",
            None,
        ),
        (
            "missing row",
            "### Kubernetes Support\n\n| Kubernetes Version | containerd Version | CRI Version |\n|---|---|---|\n| 1.34 | 2.1.3+ | v1 |\n| 1.36 | 2.3.0+ | v1 |\n",
            Some("v1.35"),
        ),
        ("no table", "### Kubernetes Support\n\nSee the website.\n", Some("no Kubernetes support table")),
    ];
    for (name, md, warning) in cases {
        let mut s = original.clone();
        s["containerd_releases_md"] = md.into();
        std::fs::write(&snap, serde_json::to_vec(&s).unwrap()).unwrap();
        let out = dir
            .path()
            .join(format!("public-{}", name.replace(' ', "-")));
        build(&snap, &out);
        let doc = page(&out, "health/index.html");
        let items: Vec<String> = doc
            .select(&sel("section#support-table li"))
            .map(|e| e.text().collect())
            .collect();
        match warning {
            Some(w) => assert!(items.iter().any(|t| t.contains(w)), "{name}: {items:?}"),
            None => assert!(items.is_empty(), "{name}: {items:?}"),
        }
        assert!(out.join("containerd/index.html").exists(), "{name}");
        assert!(out.join("kep/127/index.html").exists(), "{name}");
    }
}
