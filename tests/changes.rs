//! What changed between refreshes, end to end: `changes::between` on the
//! demo and the real data, `changes::record` into a change log, and the
//! `/changes/` page and Atom feed a build makes of it (parsed, never
//! grepped). Also keeps the demo's change log (`content/changes.json`)
//! what `record` gives for the demo's refreshes.

mod common;
use common::*;
use kepboard::changes::{self, Change, ChangeLog, What};
use kepboard::model::Model;
use kepboard::snapshot::Snapshot;
use proptest::prelude::*;
use scraper::{Html, Selector};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The demo snapshot as JSON.
fn demo() -> Value {
    serde_json::from_slice(&std::fs::read(repo_root().join("content/snapshot.json")).unwrap())
        .unwrap()
}

fn snap(v: &Value) -> Snapshot {
    serde_json::from_value(v.clone()).unwrap()
}

/// The element of `list` (issues, pulls, keps) whose `key` is `n`.
fn item<'a>(v: &'a mut Value, list: &str, key: &str, n: u64) -> &'a mut Value {
    v[list]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i[key] == n || i[key].as_str().and_then(|s| s.parse().ok()) == Some(n))
        .unwrap_or_else(|| panic!("no {list} {n}"))
}

/// Replaces `from` by `to` in issue `n`'s body.
fn edit_body(v: &mut Value, n: u64, from: &str, to: &str) {
    let i = item(v, "issues", "number", n);
    let body = i["body"].as_str().unwrap();
    assert!(body.contains(from), "#{n}: {from:?} not in the body");
    i["body"] = json!(body.replace(from, to));
}

#[test]
fn nothing_changes_between_a_model_and_itself() {
    let m = Model::build(&snap(&demo()));
    assert_eq!(changes::between(&m, &m), Vec::<Change>::new());
    let Some((_dir, real)) = real_model("changes") else {
        return;
    };
    assert!(!real.issues.is_empty());
    assert_eq!(changes::between(&real, &real), Vec::<Change>::new());
}

#[test]
fn nothing_changes_between_two_refreshes_of_the_same_data() {
    // Only the time differs: no change is news.
    let before = demo();
    let mut after = demo();
    after["generated_at"] = json!("2026-11-01T06:00:00Z");
    let got = changes::between(&Model::build(&snap(&before)), &Model::build(&snap(&after)));
    assert_eq!(got, Vec::<Change>::new());
}

/// The demo of 2026-11-01 and, a week later, the same with exactly a
/// shepherd more on #12187, KEP-3953 reached alpha in v1.37 (kep.yaml),
/// and #12276 merged.
fn three_changes() -> (Value, Value) {
    let before = demo();
    let mut after = demo();
    after["generated_at"] = json!("2026-11-08T06:00:00Z");
    edit_body(
        &mut after,
        12187,
        "@fuweid, @henry118",
        "@fuweid, @henry118, @alice",
    );
    let k = item(&mut after, "keps", "kep-number", 3953);
    k["latest-milestone"] = json!("v1.37");
    k["milestone"] = json!({"alpha": "v1.37"});
    let pr = item(&mut after, "pulls", "number", 12276);
    pr["merged_at"] = json!("2026-11-05T10:00:00Z");
    (before, after)
}

#[test]
fn a_shepherd_a_stage_and_a_merged_pr_are_exactly_what_the_site_shows() {
    let (before, after) = three_changes();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("changes.json");
    let added = changes::record(Some(&snap(&before)), &snap(&after), &log).unwrap();
    let sentences: Vec<String> = ChangeLog::read(&log)
        .unwrap()
        .changes
        .iter()
        .map(Change::sentence)
        .collect();
    assert_eq!(
        sentences,
        [
            "KEP-3953 reached alpha in v1.37",
            "@alice became a shepherd of containerd#12187",
            "containerd#12276 merged (KEP-3619)",
        ]
    );
    assert_eq!(added, 3);

    let snapshot = write_json(dir.path(), "after.json", &after);
    let out = dir.path().join("public");
    let o = kepboard(&[
        "build",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--changes",
        log.to_str().unwrap(),
        "--base-url",
        "https://example.github.io/kepboard/",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));

    let page =
        Html::parse_document(&std::fs::read_to_string(out.join("changes/index.html")).unwrap());
    let days: Vec<String> = page
        .select(&sel("section.changes-day h2"))
        .map(text)
        .collect();
    assert_eq!(days, ["2026-11-08"]);
    let items: Vec<(String, String, String)> = page
        .select(&sel("ul.changes li"))
        .map(|li| {
            let a = li.select(&sel("a")).next().unwrap();
            (
                li.value().id().unwrap().to_string(),
                text(a),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    let read = ChangeLog::read(&log).unwrap();
    let ids: Vec<&str> = read.changes.iter().map(Change::id).collect();
    assert_eq!(items.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(), ids);
    assert_eq!(
        items.iter().map(|i| i.1.clone()).collect::<Vec<_>>(),
        sentences
    );
    assert_eq!(
        items.iter().map(|i| i.2.as_str()).collect::<Vec<_>>(),
        [
            "../kep/3953/index.html",
            "../kep/4639/index.html#issue-12187",
            "../kep/3619/index.html#issue-12215",
        ]
    );

    // The feed: the same three, each with the absolute URL of its anchor.
    let feed = Html::parse_fragment(&std::fs::read_to_string(out.join("feed.xml")).unwrap());
    let entries: Vec<(String, String, String)> = feed
        .select(&sel("entry"))
        .map(|e| {
            let get = |s: &str| text(e.select(&sel(s)).next().unwrap());
            (get("id"), get("title"), get("updated"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = read
        .changes
        .iter()
        .map(|c| {
            (
                format!("https://example.github.io/kepboard/changes/#{}", c.id()),
                c.sentence(),
                "2026-11-08T06:00:00Z".to_string(),
            )
        })
        .collect();
    assert_eq!(entries, expected);
    let updated: Vec<String> = feed.select(&sel("feed > updated")).map(text).collect();
    assert_eq!(updated, ["2026-11-08T06:00:00Z"]);
}

#[test]
fn a_build_without_changes_says_so_and_a_bad_log_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo_root().join("content/snapshot.json");
    let out = dir.path().join("public");
    let missing = dir.path().join("none.json");
    let build = |log: &Path| {
        kepboard(&[
            "build",
            "--snapshot",
            snapshot.to_str().unwrap(),
            "--changes",
            log.to_str().unwrap(),
            "--site-url",
            "https://example.github.io/kepboard/",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let o = build(&missing);
    assert!(o.status.success(), "{}", stderr(&o));
    let page =
        Html::parse_document(&std::fs::read_to_string(out.join("changes/index.html")).unwrap());
    let said: Vec<String> = page.select(&sel("main p.muted")).map(text).collect();
    assert!(
        said.iter()
            .any(|t| t.contains("Changes are recorded from the second refresh on")),
        "{said:?}"
    );
    assert_eq!(page.select(&sel("ul.changes li")).count(), 0);
    let feed = Html::parse_fragment(&std::fs::read_to_string(out.join("feed.xml")).unwrap());
    assert_eq!(feed.select(&sel("entry")).count(), 0);
    let updated: Vec<String> = feed.select(&sel("feed > updated")).map(text).collect();
    assert_eq!(updated, ["2026-11-01T00:00:00Z"]);

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"schema_version\": 1,\n \"changes\": [}").unwrap();
    let o = build(&bad);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("bad.json") && e.contains("line 2 column"), "{e}");
}

#[test]
fn archives_have_no_changes_page() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = repo_root().join("content/snapshot.json");
    let archives = dir.path().join("archive");
    let o = kepboard(&[
        "archive",
        "v1.37",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--archives",
        archives.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("public");
    let o = kepboard(&[
        "build",
        "--snapshot",
        snapshot.to_str().unwrap(),
        "--archives",
        archives.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("changes/index.html").is_file());
    assert!(out.join("archive/v1.37/index.html").is_file());
    assert!(!out.join("archive/v1.37/changes").exists());
    // The archive's navigation links the live changes page.
    let page = Html::parse_document(
        &std::fs::read_to_string(out.join("archive/v1.37/index.html")).unwrap(),
    );
    let nav: Vec<&str> = page
        .select(&sel("nav a"))
        .filter(|a| text(*a) == "Changes")
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(nav, ["../../changes/index.html"]);
}

/// The demo's refreshes, oldest first: three snapshots before the demo's
/// own (2026-11-01), each a little different, written for the demo.
fn demo_refreshes() -> Vec<Value> {
    let current = demo();
    // 2026-10-25: #12262 still open; the liaison of #12320 not named yet.
    let mut oct25 = current.clone();
    oct25["generated_at"] = json!("2026-10-25T06:00:00Z");
    item(&mut oct25, "issues", "number", 12262)["state"] = json!("open");
    edit_body(&mut oct25, 12320, "liaison: @yujuhong", "liaison:");
    // 2026-10-18: besides, #14310 not opened yet, KEP-5758's PR not merged.
    let mut oct18 = oct25.clone();
    oct18["generated_at"] = json!("2026-10-18T06:00:00Z");
    oct18["issues"]
        .as_array_mut()
        .unwrap()
        .retain(|i| i["number"] != 14310);
    let pr = item(&mut oct18, "pulls", "number", 14352);
    pr["merged_at"] = Value::Null;
    pr["state"] = json!("open");
    // 2026-10-11: besides, #12063 with one shepherd fewer.
    let mut oct11 = oct18.clone();
    oct11["generated_at"] = json!("2026-10-11T06:00:00Z");
    edit_body(&mut oct11, 12063, "chrishenzie, mikebrow", "chrishenzie");
    vec![oct11, oct18, oct25, current]
}

/// `content/changes.json` is what `record` gives for the demo's
/// refreshes. `KEPBOARD_WRITE_DEMO=1` writes it.
#[test]
fn the_demo_change_log_is_what_record_gives() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("changes.json");
    let refreshes: Vec<Snapshot> = demo_refreshes().iter().map(snap).collect();
    assert_eq!(changes::record(None, &refreshes[0], &log).unwrap(), 0);
    for w in refreshes.windows(2) {
        assert!(changes::record(Some(&w[0]), &w[1], &log).unwrap() > 0);
    }
    let made = ChangeLog::read(&log).unwrap();
    let path: PathBuf = repo_root().join("content/changes.json");
    if std::env::var_os("KEPBOARD_WRITE_DEMO").is_some() {
        made.write(&path).unwrap();
    }
    let shipped = ChangeLog::read(&path).unwrap();
    assert_eq!(
        shipped, made,
        "content/changes.json is out of date: rerun with KEPBOARD_WRITE_DEMO=1"
    );
    let sentences: Vec<String> = made.changes.iter().map(Change::sentence).collect();
    for s in [
        "@mikebrow became a shepherd of containerd#12063",
        "containerd#14352 merged (KEP-5758)",
        "containerd#12262 closed (KEP-4960)",
        "@yujuhong became the SIG-Node liaison of containerd#12320",
    ] {
        assert!(
            sentences.iter().any(|x| x == s),
            "{s:?} not in {sentences:#?}"
        );
    }
}

fn arb_what() -> impl Strategy<Value = What> {
    let gh = |n: u64| changes::GhRef {
        repo: "containerd/containerd".into(),
        number: n,
    };
    let kep = |n: u32| kepboard::domain::KepNumber::new(n).unwrap();
    prop_oneof![
        (1u32..50, 1u64..50).prop_map(move |(k, i)| What::IssueClosed {
            issue: gh(i),
            keps: vec![kep(k)],
        }),
        (1u32..50, 1u64..50).prop_map(move |(k, i)| What::IssueReopened {
            issue: gh(i),
            keps: vec![kep(k)],
        }),
        (1u64..50, "[a-c]{1,2}").prop_map(move |(i, l)| What::ShepherdAdded {
            issue: gh(i),
            keps: vec![],
            login: kepboard::domain::Login::parse(&l).unwrap(),
        }),
        (1u32..50, 20u16..40).prop_map(move |(k, m)| What::TargetChanged {
            kep: kep(k),
            release: kepboard::domain::K8sRelease::new(1, m),
            from: None,
            to: None,
        }),
    ]
}

proptest! {
    /// Equal content, equal id; different content (or time), different id.
    #[test]
    fn ids_identify_the_content(
        a in arb_what(), b in arb_what(), da in 0i64..3, db in 0i64..3
    ) {
        let t0: chrono::DateTime<chrono::Utc> = "2026-11-01T00:00:00Z".parse().unwrap();
        let ca = Change::new(t0 + chrono::Duration::days(da), a.clone());
        let cb = Change::new(t0 + chrono::Duration::days(db), b.clone());
        prop_assert_eq!(ca.id() == cb.id(), a == b && da == db);
    }
}
