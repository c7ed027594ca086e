//! The site built from the real data (`KEPBOARD_FIXTURES`), read as a
//! SIG-Node contributor reads it: the cycle under way, what each release
//! page says, the KEPs people know, and that every page tells the same
//! story about a KEP's stage. Facts are derived from the fixture files
//! where they can be (a kep.yaml's milestones, an issue's text), not
//! counts that happen to hold today.

mod common;
use common::*;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The real site, built once for all tests of this file.
struct Site {
    fixtures: PathBuf,
    out: PathBuf,
    snapshot: PathBuf,
}

fn site() -> Option<&'static Site> {
    static SITE: OnceLock<Option<Site>> = OnceLock::new();
    SITE.get_or_init(|| {
        let fixtures = fixtures_or_skip("real_site")?;
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("real-site");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let snapshot = import_fixtures(&fixtures, &dir);
        let out = dir.join("public");
        let o = kepboard(&[
            "build",
            "--snapshot",
            snapshot.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "build failed: {}", stderr(&o));
        Some(Site {
            fixtures,
            out,
            snapshot,
        })
    })
    .as_ref()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(site: &Site, rel: &str) -> Html {
    let p = site.out.join(rel);
    Html::parse_document(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stage as a page shows it: `beta`, or `beta target`.
fn shown(class: &str) -> Option<String> {
    let classes: Vec<&str> = class.split_whitespace().collect();
    let stage = classes
        .iter()
        .find_map(|c| c.strip_prefix("stage-"))
        .filter(|s| *s != "cell")?;
    Some(match classes.contains(&"target") {
        true => format!("{stage} target"),
        false => stage.to_string(),
    })
}

/// The rows of a KEP table (release page or overview): KEP -> stage shown.
fn table_stages(doc: &Html) -> BTreeMap<u32, Option<String>> {
    doc.select(&sel("table.keps tbody tr[data-kep]"))
        .map(|tr| {
            let n = tr.value().attr("data-kep").unwrap().parse().unwrap();
            let stage = tr
                .select(&sel("td.stage-cell span.stage"))
                .next()
                .and_then(|s| shown(s.value().attr("class").unwrap_or("")));
            (n, stage)
        })
        .collect()
}

/// The release pages, oldest first.
fn release_pages(site: &Site) -> Vec<String> {
    let mut v: Vec<(u32, u32, String)> = std::fs::read_dir(site.out.join("k8s"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .map(|name| {
            let (a, b) = name.trim_start_matches('v').split_once('.').unwrap();
            (a.parse().unwrap(), b.parse().unwrap(), name)
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, _, n)| n).collect()
}

/// The full grid (`/keps/all/`): KEP -> release -> stage shown.
fn grid(site: &Site) -> BTreeMap<u32, BTreeMap<String, Option<String>>> {
    let doc = page(site, "keps/all/index.html");
    let columns: Vec<String> = doc
        .select(&sel("table.matrix thead th a"))
        .map(text)
        .collect();
    doc.select(&sel("table.matrix tbody tr"))
        .map(|tr| {
            let n = tr.value().attr("id").unwrap()["kep-".len()..]
                .parse()
                .unwrap();
            let cell = sel("td.cell");
            let cells: Vec<Option<String>> = tr
                .select(&cell)
                .map(|td| shown(td.value().attr("class").unwrap_or("")))
                .collect();
            (n, columns.iter().cloned().zip(cells).collect())
        })
        .collect()
}

fn keps_json(site: &Site) -> BTreeMap<u32, Value> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(site.out.join("data/keps.json")).unwrap()).unwrap();
    v["keps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["number"].as_u64().unwrap() as u32, k.clone()))
        .collect()
}

/// keps.json's stage of a KEP in a release, as a page shows it.
fn json_stage(k: &Value, release: &str) -> Option<String> {
    if let Some(s) = k["stages"][release].as_str() {
        return Some(s.to_string());
    }
    k["targets"][release]["stage"]
        .as_str()
        .map(|s| format!("{s} target"))
}

/// Every kep.yaml of the fixtures: (path under keps/, text).
fn kep_yamls(site: &Site) -> Vec<(String, String)> {
    let root = site.fixtures.join("enhancements/keps");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "kep.yaml")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

fn yaml_value<'a>(yaml: &'a str, key: &str) -> Option<&'a str> {
    yaml.lines().find_map(|l| {
        let v = l.trim_start().strip_prefix(key)?.strip_prefix(':')?;
        Some(
            v.split(" #")
                .next()
                .unwrap()
                .trim()
                .trim_matches(['"', '\'']),
        )
    })
}

fn issues(site: &Site) -> Vec<Value> {
    let p = site.fixtures.join("github/containerd-sig-node-issues.json");
    serde_json::from_slice::<Value>(&std::fs::read(p).unwrap())
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_overview_names_the_cycle_under_way_and_lists_its_keps() {
    let Some(site) = site() else { return };
    // v1.37 is the newest release in the data (2026-08-26) and the data is
    // as of 2026-11-25: v1.38 is under way.
    let home = page(site, "index.html");
    let intro = text(home.select(&sel("main p")).next().unwrap());
    assert!(
        intro.contains("cycle under way is v1.38")
            && intro.contains("v1.37 was released 2026-08-26"),
        "{intro}"
    );
    let listed = table_stages(&home);
    assert!(!listed.is_empty());
    assert_eq!(listed, table_stages(&page(site, "k8s/v1.38/index.html")));
    // Every active SIG Node kep.yaml that plans a stage for v1.38 is there,
    // as a target.
    for (path, yaml) in kep_yamls(site) {
        let status = yaml_value(&yaml, "status").unwrap_or("");
        if !path.starts_with("sig-node/")
            || ["withdrawn", "rejected", "replaced", "deferred"].contains(&status)
        {
            continue;
        }
        for stage in ["alpha", "beta", "stable"] {
            if yaml_value(&yaml, stage).is_some_and(|r| r.trim_start_matches('v') == "1.38") {
                let n: u32 = yaml_value(&yaml, "kep-number").unwrap().parse().unwrap();
                let got = listed.get(&n).cloned().flatten().unwrap_or_default();
                assert!(got.ends_with("target"), "KEP-{n} ({path}) shows {got:?}");
            }
        }
    }
}

#[test]
fn release_pages_stop_at_the_next_cycle_without_gaps() {
    let Some(site) = site() else { return };
    let pages = release_pages(site);
    assert_eq!(pages.last().map(String::as_str), Some("v1.39"));
    for w in pages.windows(2) {
        let minor = |s: &str| s.split('.').nth(1).unwrap().parse::<u32>().unwrap();
        assert!(w[0].starts_with("v1.") && w[1].starts_with("v1."));
        assert_eq!(
            minor(&w[0]) + 1,
            minor(&w[1]),
            "gap between {} and {}",
            w[0],
            w[1]
        );
    }
    let mut grid_columns: Vec<String> = page(site, "keps/all/index.html")
        .select(&sel("table.matrix thead th a"))
        .map(text)
        .collect();
    // Newest first.
    grid_columns.reverse();
    assert_eq!(grid_columns, pages);
}

#[test]
fn kep_4216_planned_beta_and_stable_are_never_shown_as_reached() {
    let Some(site) = site() else { return };
    // Its kep.yaml says stage alpha, latest-milestone v1.29; beta v1.31 and
    // stable v1.35 were written in advance.
    for r in release_pages(site) {
        let doc = page(site, &format!("k8s/{r}/index.html"));
        if let Some(s) = table_stages(&doc).get(&4216) {
            assert_eq!(s.as_deref(), Some("alpha"), "{r}");
        }
    }
    for (r, s) in &grid(site)[&4216] {
        assert!(matches!(s.as_deref(), None | Some("alpha")), "{r}: {s:?}");
    }
    let k = &keps_json(site)[&4216];
    for (r, s) in k["stages"].as_object().unwrap() {
        assert_eq!(s, "alpha", "{r}");
    }
    let doc = page(site, "kep/4216/index.html");
    let states: Vec<String> = doc
        .select(&sel("table.milestones tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(text)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    assert_eq!(
        states,
        [
            "alpha | v1.29 | reached in v1.29",
            "beta | v1.31 | not reached: v1.31 is out, but kep.yaml says its stage is still alpha and its latest milestone is v1.29",
            "stable | v1.35 | not reached: v1.35 is out, but kep.yaml says its stage is still alpha and its latest milestone is v1.29",
        ]
    );
    // check does not call it stable either.
    let o = kepboard(&["check", "--snapshot", site.snapshot.to_str().unwrap()]);
    let report = stdout(&o);
    assert!(!report.contains("stable in v1.35"), "{report}");
}

#[test]
fn kep_2133_uses_its_live_sig_node_file() {
    let Some(site) = site() else { return };
    for (r, want) in [("v1.20", "alpha"), ("v1.24", "beta"), ("v1.26", "stable")] {
        let doc = page(site, &format!("k8s/{r}/index.html"));
        let row = doc
            .select(&sel("tr[data-kep=\"2133\"]"))
            .next()
            .unwrap_or_else(|| panic!("KEP-2133 missing on {r}"));
        assert_eq!(text(row.select(&sel("td")).nth(1).unwrap()), "sig-node");
        assert_eq!(table_stages(&doc)[&2133].as_deref(), Some(want), "{r}");
    }
    let doc = page(site, "kep/2133/index.html");
    let links: Vec<String> = doc
        .select(&sel("main a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(links
        .iter()
        .any(|l| l.ends_with("keps/sig-node/2133-kubelet-credential-providers/kep.yaml")));
    // The replaced file stays reachable from the page, and on /health/.
    assert!(
        links.iter().any(|l| l.contains("sig-cloud-provider/2133-")),
        "{links:?}"
    );
    let health = text(
        page(site, "health/index.html")
            .select(&sel("section#duplicate-kep"))
            .next()
            .unwrap(),
    );
    assert!(
        health.contains("KEP-2133") && health.contains("sig-cloud-provider/2133-"),
        "{health}"
    );
}

#[test]
fn keps_tracked_before_the_template_are_not_untracked() {
    let Some(site) = site() else { return };
    // #7063 (KEP-127) and #6302 (KEP-2400) predate the template.
    let doc = page(site, "keps/all/index.html");
    for (n, issue) in [(127, "#7063"), (2400, "#6302")] {
        let row = doc.select(&sel(&format!("tr#kep-{n}"))).next().unwrap();
        let cell = text(row.select(&sel("td")).next().unwrap());
        assert!(
            !cell.contains("untracked") && cell.contains(issue),
            "KEP-{n}: {cell}"
        );
        assert!(cell.contains("pre-template"), "KEP-{n}: {cell}");
    }
}

/// Whether `login` occurs in `text` as a whole token, as written. The end
/// of a text cut short is no token boundary: `@AkihiroS` at the end of a
/// cut copy may be the start of `@AkihiroSuda`.
fn occurs_as_token(text: &str, login: &str, complete: bool) -> bool {
    text.match_indices(login).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + login.len()..].chars().next();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '-';
        !before.is_some_and(word) && after.map_or(complete, |c| !word(c))
    })
}

#[test]
fn every_person_is_in_an_issue_as_written() {
    let Some(site) = site() else { return };
    let texts: Vec<(String, bool)> = issues(site)
        .iter()
        .map(|i| {
            let text = format!(
                "{}\n{}",
                i["title"].as_str().unwrap_or(""),
                i["body"].as_str().unwrap_or("")
            );
            (text, i["_fixture"]["body_complete"].as_bool() == Some(true))
        })
        .collect();
    let doc = page(site, "people/index.html");
    let logins: Vec<String> = doc
        .select(&sel("table.people tbody th a"))
        .map(|a| text(a).trim_start_matches('@').to_string())
        .collect();
    assert!(!logins.is_empty());
    for login in logins {
        assert!(
            texts
                .iter()
                .any(|(t, complete)| occurs_as_token(t, &login, *complete)),
            "@{login} on /people/ is in no issue as written"
        );
    }
}

#[test]
fn shepherd_findings_only_where_the_text_reaches_the_shepherd_line() {
    let Some(site) = site() else { return };
    let by_number: BTreeMap<u64, Value> = issues(site)
        .into_iter()
        .map(|i| (i["number"].as_u64().unwrap(), i))
        .collect();
    let doc = page(site, "health/index.html");
    for section in ["no-shepherd", "one-shepherd"] {
        for li in doc.select(&sel(&format!("section#{section} li a"))) {
            let n: u64 = text(li)
                .trim_start_matches("issue #")
                .parse()
                .unwrap_or_else(|_| panic!("{}", text(li)));
            let issue = &by_number[&n];
            let body = issue["body"].as_str().unwrap();
            let complete = issue["_fixture"]["body_complete"].as_bool() == Some(true);
            // The shepherd line is followed by more text: it is whole.
            let line_whole = body
                .lines()
                .position(|l| l.to_ascii_lowercase().contains("shepherd"))
                .is_some_and(|i| i + 1 < body.lines().count() || body.ends_with('\n'));
            assert!(
                complete || line_whole,
                "{section} finding on #{n}, whose text we have ends before its shepherd line"
            );
        }
    }
}

#[test]
fn every_page_tells_the_same_stage() {
    let Some(site) = site() else { return };
    let grid = grid(site);
    let json = keps_json(site);
    let home = page(site, "index.html");
    // The chart's table: release -> [alpha, beta, stable].
    let chart: BTreeMap<String, Vec<u32>> = home
        .select(&sel("table.chart-table tbody tr"))
        .map(|tr| {
            let label = text(tr.select(&sel("th")).next().unwrap());
            let counts = tr
                .select(&sel("td"))
                .take(3)
                .map(|td| text(td).parse().unwrap())
                .collect();
            (label.split_whitespace().next().unwrap().to_string(), counts)
        })
        .collect();
    let mut compared = 0;
    for r in release_pages(site) {
        let rows = table_stages(&page(site, &format!("k8s/{r}/index.html")));
        let mut counts = vec![0u32; 3];
        for (n, stage) in &rows {
            assert_eq!(
                &grid[n][&r], stage,
                "KEP-{n} in {r}: release page vs /keps/"
            );
            assert_eq!(
                &json_stage(&json[n], &r),
                stage,
                "KEP-{n} in {r}: release page vs keps.json"
            );
            let base = stage.as_deref().map(|s| s.trim_end_matches(" target"));
            if let Some(i) = ["alpha", "beta", "stable"]
                .iter()
                .position(|s| Some(*s) == base)
            {
                counts[i] += 1;
            }
            compared += 1;
        }
        assert_eq!(chart[&r], counts, "{r}: chart vs release page");
    }
    assert!(compared > 100);
    // The grid and keps.json agree everywhere, not only on release pages.
    for (n, cells) in &grid {
        for (r, stage) in cells {
            assert_eq!(
                &json_stage(&json[n], r),
                stage,
                "KEP-{n} in {r}: /keps/ vs keps.json"
            );
        }
    }
    // check's untracked KEPs of the cycle are the untracked rows of v1.38.
    let o = kepboard(&[
        "check",
        "--snapshot",
        site.snapshot.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let untracked: BTreeSet<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "untracked")
        .map(|f| f["subject"]["id"].as_u64().unwrap())
        .collect();
    let doc = page(site, "k8s/v1.38/index.html");
    let rows_untracked: BTreeSet<u64> = doc
        .select(&sel("table.keps tbody tr[data-kep]"))
        .filter(|tr| {
            text(*tr).contains("untracked")
                && text(tr.select(&sel("td")).nth(1).unwrap()) == "sig-node"
        })
        .map(|tr| tr.value().attr("data-kep").unwrap().parse().unwrap())
        .collect();
    assert_eq!(untracked, rows_untracked);
}

#[test]
fn kep_pages_show_what_shipped_of_their_feature_gates() {
    let Some(site) = site() else { return };
    // Kubernetes' feature list: UserNamespacesSupport alpha in v1.25, beta
    // with the gate off in v1.30, on from v1.33.
    let doc = page(site, "kep/127/index.html");
    let gates: Vec<String> = doc.select(&sel("ul.gates li")).map(text).collect();
    assert_eq!(
        gates,
        ["UserNamespacesSupport: v1.25: alpha, off by default; v1.30: beta, off by default; v1.33: beta, on by default"]
    );
}

#[test]
fn kep_pages_list_crio_pull_requests_with_their_first_release() {
    let Some(site) = site() else { return };
    // crio/kep-prs.tsv: #6004 (KEP-127) merged into main 2022-07-02, first
    // in v1.25.0; each backport of crio/backports.tsv is on its KEP's page
    // with the release its row names.
    let json = keps_json(site);
    let release_of = |kep: u32, pr: u64| {
        json[&kep]["crio_pull_requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["number"] == pr)
            .map(|p| p["crio_release"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(release_of(127, 6004).as_deref(), Some("v1.25.0"));
    for r in read_tsv(&site.fixtures.join("crio/backports.tsv")) {
        if r["first_release_tag"].is_empty() {
            continue;
        }
        let kep: u32 = r["kep_number"].split(';').next().unwrap().parse().unwrap();
        let pr: u64 = r["pr_number"].parse().unwrap();
        assert_eq!(
            release_of(kep, pr).as_deref(),
            Some(r["first_release_tag"].as_str()),
            "#{pr}"
        );
    }
    let doc = page(site, "kep/127/index.html");
    let items: Vec<String> = doc.select(&sel("section li")).map(text).collect();
    assert!(
        items
            .iter()
            .any(|t| t.starts_with("#6004 ") && t.contains("shipped in v1.25.0")),
        "{items:?}"
    );
}

#[test]
fn runtime_readiness_is_the_same_on_every_page() {
    let Some(site) = site() else { return };
    // (KEP, release) per verdict, from keps.json.
    let json = keps_json(site);
    let of = |verdict: &str| -> BTreeSet<(u32, String)> {
        json.iter()
            .flat_map(|(n, k)| {
                k["per_release"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(_, p)| p["policy"] == verdict)
                    .map(|(r, _)| (*n, r.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // Read from the data (tests/policy_real.rs has why): RecursiveReadOnlyMounts
    // went beta, on by default, in v1.31 while containerd's work came out
    // in v2.0.0 three months later; cgroup namespaces targets alpha in
    // v1.38 with nothing merged.
    let violated = of("violated");
    let at_risk = of("at-risk");
    assert_eq!(violated, BTreeSet::from([(3857, "v1.31".to_string())]));
    assert_eq!(at_risk, BTreeSet::from([(5714, "v1.38".to_string())]));
    // /policy/ lists the same.
    let doc = page(site, "policy/index.html");
    let listed = |id: &str| -> BTreeSet<(u32, String)> {
        doc.select(&sel(&format!("section#{id} li")))
            .map(|li| {
                let links: Vec<String> = li.select(&sel("a")).map(text).collect();
                let n = links[0].trim_start_matches("KEP-").parse().unwrap();
                (n, links[1].clone())
            })
            .collect()
    };
    assert_eq!(listed("violated"), violated);
    assert_eq!(listed("at-risk"), at_risk);
    // check reports the same, and --strict fails on them.
    let o = kepboard(&[
        "check",
        "--snapshot",
        site.snapshot.to_str().unwrap(),
        "--format",
        "json",
        "--strict",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("1 violation and 1 target at risk"),
        "{}",
        stderr(&o)
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<(String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().unwrap().starts_with("policy-"))
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["subject"]["id"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("policy-violated".to_string(), 3857),
            ("policy-at-risk".to_string(), 5714)
        ]
    );
    // The release page of the cycle under way puts the at-risk list first.
    let doc = page(site, "k8s/v1.38/index.html");
    let risk: Vec<String> = doc.select(&sel("section.at-risk li a")).map(text).collect();
    assert_eq!(risk.first().map(String::as_str), Some("KEP-5714"));
    let cell: Vec<String> = doc
        .select(&sel("tr[data-kep=\"5714\"] td.readiness > span"))
        .map(text)
        .collect();
    assert_eq!(
        cell,
        ["containerd not recorded", "CRI-O not recorded", "at risk"]
    );
}

#[test]
fn kep_127_readiness_follows_its_gate_release_by_release() {
    let Some(site) = site() else { return };
    let doc = page(site, "kep/127/index.html");
    let rows: BTreeMap<String, Vec<String>> = doc
        .select(&sel("table.readiness tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr.select(&sel("td")).map(text).collect();
            (cells[0].clone(), cells)
        })
        .collect();
    // (release, stage, source, containerd, CRI-O, verdict): the gate was
    // beta off in v1.30-v1.32 and on from v1.33 (Kubernetes' list, to
    // v1.34); containerd's KEP-127 PRs first shipped together in v2.0.0
    // (2024-11-05); CRI-O had it from v1.25.0.
    let expect = [
        (
            "v1.30",
            "beta (off)",
            "feature-gate",
            "v2.0.0 (out after v1.30)",
            "v1.30.0",
            "OK",
        ),
        (
            "v1.32",
            "beta (off)",
            "feature-gate",
            "v2.0.0",
            "v1.31.0",
            "OK",
        ),
        (
            "v1.33",
            "beta (on)",
            "feature-gate",
            "v2.0.0",
            "v1.31.0",
            "OK",
        ),
        ("v1.35", "beta", "kep.yaml", "v2.0.0", "v1.31.0", "OK"),
    ];
    for (r, stage, source, containerd, crio, verdict) in expect {
        let cells = &rows[r];
        assert_eq!(&cells[1..5], [stage, source, containerd, crio], "{r}");
        assert!(cells[5].starts_with(verdict), "{r}: {}", cells[5]);
    }
    // A KEP with no runtime work recorded says so instead of a verdict.
    let doc = page(site, "kep/4188/index.html");
    let section = doc
        .select(&sel("section#readiness"))
        .map(text)
        .next()
        .unwrap();
    assert!(section.contains("No runtime work is recorded"), "{section}");
}

#[test]
fn every_sig_node_gate_joins_or_is_listed_as_unmatched() {
    let Some(site) = site() else { return };
    let json = keps_json(site);
    let health = page(site, "health/index.html");
    let unmatched: String = health
        .select(&sel("section#unmatched-gate li"))
        .map(text)
        .collect::<Vec<_>>()
        .join("\n");
    let mut joined = 0;
    let mut listed = 0;
    for k in json.values().filter(|k| k["owning_sig"] == "sig-node") {
        for g in k["feature_gates"].as_array().unwrap() {
            let name = g["name"].as_str().unwrap();
            if g["matched"] == true {
                joined += 1;
                assert!(!g["history"].as_array().unwrap().is_empty(), "{name}");
            } else {
                listed += 1;
                let line = format!("KEP-{} ", k["number"]);
                assert!(
                    unmatched
                        .lines()
                        .any(|l| l.starts_with(&line) && l.contains(&format!("gate {name}:"))),
                    "KEP-{}: gate {name} neither joins nor is listed on /health/",
                    k["number"]
                );
            }
        }
    }
    // Both happen on the real data: most gates join, the newer ones (the
    // list ends at v1.34) and misspelt ones do not.
    assert!(joined > 0 && listed > 0, "{joined} joined, {listed} listed");
}

/// The rows of a matrix page: KEP numbers in order.
fn matrix_rows(doc: &Html) -> Vec<u32> {
    doc.select(&sel("table.matrix tbody tr[data-kep]"))
        .map(|tr| tr.value().attr("data-kep").unwrap().parse().unwrap())
        .collect()
}

fn matrix_columns(doc: &Html) -> Vec<String> {
    doc.select(&sel("table.matrix thead th a"))
        .map(text)
        .collect()
}

#[test]
fn keps_opens_on_the_cycle_under_way_and_all_has_every_kep_of_interest() {
    let Some(site) = site() else { return };
    let recent = page(site, "keps/index.html");
    let all = page(site, "keps/all/index.html");
    // The cycle under way (the navigation's release) is among the first
    // columns, newest first: the next cycle, then it.
    let current = text(
        recent
            .select(&sel("header nav a"))
            .find(|a| text(*a).starts_with("Kubernetes v1."))
            .unwrap(),
    )
    .trim_start_matches("Kubernetes ")
    .to_string();
    assert_eq!(current, "v1.38");
    let columns = matrix_columns(&recent);
    assert_eq!(&columns[..2], &["v1.39", "v1.38"], "{columns:?}");
    assert!(columns.len() <= 8, "{columns:?}");
    let all_columns = matrix_columns(&all);
    assert_eq!(&all_columns[..columns.len()], &columns[..]);
    assert!(all_columns.len() > 30);
    // /keps/all/: every KEP of interest (owned by SIG Node, or named by a
    // tracking issue), as keps.json says.
    let of_interest: BTreeSet<u32> = keps_json(site)
        .into_iter()
        .filter(|(_, k)| {
            k["owning_sig"] == "sig-node"
                || !k["tracking_issues"].as_array().unwrap().is_empty()
                || !k["related_issues"].as_array().unwrap().is_empty()
        })
        .map(|(n, _)| n)
        .collect();
    let all_rows: BTreeSet<u32> = matrix_rows(&all).into_iter().collect();
    assert_eq!(all_rows, of_interest);
    // /keps/: fewer rows, all of them in /keps/all/, and every KEP of the
    // cycle under way's page among them (KEP-5714 among others).
    let recent_rows: BTreeSet<u32> = matrix_rows(&recent).into_iter().collect();
    assert!(recent_rows.len() < all_rows.len() && recent_rows.is_subset(&all_rows));
    let cycle: BTreeSet<u32> = table_stages(&page(site, "k8s/v1.38/index.html"))
        .into_keys()
        .collect();
    assert!(cycle.contains(&5714));
    assert!(
        cycle.is_subset(&recent_rows),
        "{:?}",
        cycle.difference(&recent_rows)
    );
    // Each page says what it shows, with its count, and links the other.
    for (doc, n, other) in [
        (&recent, recent_rows.len(), "all/index.html"),
        (&all, all_rows.len(), "../index.html"),
    ] {
        let scope = doc.select(&sel("p.scope")).next().unwrap();
        assert!(
            text(scope).contains(&format!("{n} KEPs")),
            "{}",
            text(scope)
        );
        assert!(scope
            .select(&sel("a"))
            .any(|a| a.value().attr("href") == Some(other)));
    }
}

#[test]
fn release_pages_group_keps_by_what_happens_to_them() {
    let Some(site) = site() else { return };
    let group_of = |doc: &Html, n: u32| -> Option<String> {
        doc.select(&sel("section.group"))
            .find(|s| {
                s.select(&sel(&format!("tr[data-kep=\"{n}\"]")))
                    .next()
                    .is_some()
            })
            .map(|s| s.value().id().unwrap().to_string())
    };
    // KEP-5714 (cgroup namespaces) is planned for the cycle under way.
    let v138 = page(site, "k8s/v1.38/index.html");
    assert_eq!(group_of(&v138, 5714).as_deref(), Some("targeting"));
    for r in release_pages(site) {
        let doc = page(site, &format!("k8s/{r}/index.html"));
        let stages = table_stages(&doc);
        let out = text(doc.select(&sel("main p")).next().unwrap()).starts_with("Released");
        for section in doc.select(&sel("section.group")) {
            let id = section.value().id().unwrap();
            let rows: Vec<u32> = section
                .select(&sel("tr[data-kep]"))
                .map(|tr| tr.value().attr("data-kep").unwrap().parse().unwrap())
                .collect();
            // The heading counts the group's rows.
            let h2 = text(section.select(&sel("h2")).next().unwrap());
            assert!(
                h2.ends_with(&format!(
                    "{} KEP{}",
                    rows.len(),
                    if rows.len() == 1 { "" } else { "s" }
                )),
                "{r} {id}: {h2}"
            );
            for n in rows {
                let stage = stages[&n].as_deref();
                let target = stage.is_some_and(|s| s.ends_with(" target"));
                match id {
                    "graduating" | "in-force" => {
                        assert!(stage.is_some() && !target, "{r} KEP-{n}: {stage:?}")
                    }
                    "targeting" => assert!(
                        !out && stage.is_none_or(|_| target),
                        "{r} KEP-{n}: {stage:?}"
                    ),
                    "no-stage" => assert!(stage.is_none(), "{r} KEP-{n}"),
                    _ => panic!("{r}: group {id}"),
                }
            }
        }
        // Every row says containerd's side in a word.
        for tr in doc.select(&sel("table.keps tbody tr[data-kep]")) {
            let badge = tr
                .select(&sel(".cstatus"))
                .next()
                .map(text)
                .unwrap_or_default();
            assert!(
                [
                    "shipped in v",
                    "merged, not released",
                    "PR open",
                    "tracked, no PR",
                    "untracked"
                ]
                .iter()
                .any(|w| badge.starts_with(w)),
                "{r}: {badge:?}"
            );
        }
    }
}

/// The overview chart as a reader checks it: it shows the cycle under way
/// and the twelve releases before it (not v1.4 of 2016), and its table's
/// "KEPs listed" for every release is the number of KEPs that release's
/// page lists.
#[test]
fn the_overview_chart_shows_the_cycle_and_the_releases_before_it() {
    let Some(site) = site() else { return };
    let home = page(site, "index.html");
    let current = home
        .select(&sel("main > p a"))
        .next()
        .map(text)
        .expect("the cycle under way");
    let releases = release_pages(site);
    let at = releases.iter().position(|r| *r == current).unwrap();
    let svg = std::fs::read_to_string(site.out.join("charts/keps-by-stage.svg")).unwrap();
    let labels: Vec<String> = svg
        .split("<text")
        .skip(1)
        .map(|p| {
            p.split_once('>')
                .unwrap()
                .1
                .split("</text>")
                .next()
                .unwrap()
                .trim()
                .to_string()
        })
        .filter(|t| t.starts_with("v1."))
        .collect();
    assert_eq!(labels.last(), Some(&current), "{labels:?}");
    assert_eq!(labels, releases[at - 12..=at], "{labels:?}");
    assert!(!labels.contains(&"v1.4".to_string()));
    let mut checked = 0;
    for tr in home.select(&sel("table.chart-table tbody tr")) {
        let r = tr.value().attr("data-release").unwrap();
        let total: usize = text(tr.select(&sel("td.total")).next().unwrap())
            .parse()
            .unwrap();
        let listed = page(site, &format!("k8s/{r}/index.html"))
            .select(&sel("table.keps tbody tr[data-kep]"))
            .count();
        assert_eq!(total, listed, "{r}: chart table vs release page");
        checked += 1;
    }
    assert_eq!(checked, releases.len());
}

/// KEP-127's page links its README beside the kep.yaml it was read from,
/// and has a badge.
#[test]
fn kep_127_links_its_readme_and_has_a_badge() {
    let Some(site) = site() else { return };
    let (path, _) = kep_yamls(site)
        .into_iter()
        .find(|(p, _)| p.contains("/127-"))
        .expect("KEP-127's kep.yaml in the fixtures");
    let dir = path.rsplit_once('/').unwrap().0;
    let dir = &dir[dir.find("sig-node/").expect("a SIG Node KEP")..];
    let doc = page(site, "kep/127/index.html");
    let href = |label: &str| {
        doc.select(&sel("a"))
            .find(|a| text(*a) == label)
            .and_then(|a| a.value().attr("href"))
            .map(str::to_string)
    };
    let base = "https://github.com/kubernetes/enhancements/blob/master/keps";
    assert_eq!(href("README"), Some(format!("{base}/{dir}/README.md")));
    assert_eq!(href("kep.yaml"), Some(format!("{base}/{dir}/kep.yaml")));
    let badge = std::fs::read_to_string(site.out.join("kep/127/badge.svg")).unwrap();
    assert!(
        badge.contains("KEP-127") && badge.contains("containerd"),
        "{badge}"
    );
}
