//! `kepboard fetch` against a mock GitHub on 127.0.0.1: the real fetch code
//! (octocrab, real HTTP), fed from `$KEPBOARD_FIXTURES` (or the demo data
//! when it is not set). Checks completeness (same model as `import`), the
//! request budget, free refreshes, every fault, and that the token never
//! leaks.

mod common;
use common::mock::{Data, Fault, FaultKind, Mock};
use common::*;
use kepboard::model::Model;
use kepboard::snapshot::Snapshot;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// The inputs both `import` and the mock are built from.
struct Source {
    issues: PathBuf,
    keps: PathBuf,
    containerd_releases: Value,
    kubernetes_releases: Value,
    releases_md: PathBuf,
    feature_gates: String,
    crio_pulls: Value,
    crio_releases: Value,
    /// The tracking repository's KEP pull requests (found by PR searches).
    pulls: Value,
}

fn source() -> Source {
    match fixtures() {
        Some(f) => Source {
            issues: f.join("github/containerd-sig-node-issues.json"),
            keps: f.join("enhancements/keps"),
            containerd_releases: containerd_releases_json(&f),
            kubernetes_releases: kubernetes_releases_json(&f),
            releases_md: f.join("containerd/RELEASES-kubernetes-support.md"),
            feature_gates: std::fs::read_to_string(
                f.join("kubernetes/versioned_feature_list.yaml"),
            )
            .unwrap(),
            crio_pulls: crio_pulls_json(&f),
            crio_releases: crio_releases_json(&f),
            pulls: naming_a_kep(branch_names(kep_prs_json(&f))),
        },
        None => demo_source(),
    }
}

/// The demo data, with a small feature-gate list and CRI-O data written
/// for these tests (the demo has none).
/// Pull requests whose `head.ref` is `owner/branch` (the fixture's form)
/// with the branch name alone, as GitHub gives `headRefName`.
fn branch_names(mut pulls: Value) -> Value {
    for pr in pulls.as_array_mut().unwrap() {
        if let Some(Value::String(h)) = pr.pointer_mut("/head/ref") {
            if let Some((_, branch)) = h.split_once('/') {
                *h = branch.to_string();
            }
        }
    }
    pulls
}

/// The pull requests that name a KEP where GitHub's search can see it
/// (`KEP` in the title, a branch starting with `kep`): what fetch finds
/// without a timeline link, so what both sides get. The others join a KEP
/// only through an issue's timeline.
fn naming_a_kep(pulls: Value) -> Value {
    let named = |pr: &Value| {
        let title = pr["title"].as_str().unwrap_or("").to_ascii_lowercase();
        let head = pr
            .pointer("/head/ref")
            .and_then(Value::as_str)
            .unwrap_or("");
        title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "kep")
            || head.to_ascii_lowercase().starts_with("kep")
    };
    Value::Array(
        pulls
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| named(p))
            .cloned()
            .collect(),
    )
}

fn demo_source() -> Source {
    let d = repo_root().join("content/demo");
    let read =
        |n: &str| serde_json::from_str(&std::fs::read_to_string(d.join(n)).unwrap()).unwrap();
    Source {
        issues: d.join("issues.json"),
        keps: d.join("keps"),
        containerd_releases: read("containerd-releases.json"),
        kubernetes_releases: read("kubernetes-releases.json"),
        releases_md: d.join("RELEASES.md"),
        feature_gates: DEMO_GATES.into(),
        crio_pulls: demo_crio_pulls(),
        pulls: naming_a_kep(read("pulls.json")),
        crio_releases: serde_json::json!([
            {"tag_name": "v1.30.3", "published_at": "2024-06-28T00:00:00Z",
             "html_url": "https://github.com/cri-o/cri-o/releases/tag/v1.30.3"},
            {"tag_name": "v1.30.4", "published_at": "2024-07-25T00:00:00Z"},
            {"tag_name": "v1.31.0-rc.1", "published_at": "2024-08-10T00:00:00Z", "prerelease": true},
            {"tag_name": "v1.31.0", "published_at": "2024-08-20T00:00:00Z"},
        ]),
    }
}

/// Two gates of the demo KEPs, in the shape of Kubernetes'
/// `versioned_feature_list.yaml`.
const DEMO_GATES: &str = "\
- name: ImageVolume
  versionedSpecs:
  - default: false
    lockToDefault: false
    preRelease: Alpha
    version: \"1.31\"
  - default: false
    lockToDefault: false
    preRelease: Beta
    version: \"1.33\"
- name: UserNamespacesSupport
  versionedSpecs:
  - default: false
    lockToDefault: false
    preRelease: Alpha
    version: \"1.25\"
  - default: false
    lockToDefault: false
    preRelease: Beta
    version: \"1.30\"
";

/// CRI-O pull requests for the demo: three that name a KEP (found by the
/// `KEP` search), one configured-only candidate (9001, named by nothing),
/// a backport of 9002, and one that nothing joins.
fn demo_crio_pulls() -> Value {
    let pr = |n: u64, title: &str, body: &str, base: &str, merged: &str| {
        serde_json::json!({"number": n, "title": title, "body": body, "state": "closed",
            "html_url": format!("https://github.com/cri-o/cri-o/pull/{n}"),
            "base": {"ref": base}, "head": {"ref": format!("branch-{n}")},
            "merged_at": merged, "closed_at": merged, "user": {"login": "crio-dev"},
            "merge_commit_sha": format!("{n:040}")})
    };
    serde_json::json!([
        pr(
            9001,
            "Mount OCI artifacts as volumes",
            "Image volumes, first part.",
            "main",
            "2024-06-01T00:00:00Z"
        ),
        pr(
            9002,
            "Add image volume support",
            "Implements KEP-4639.",
            "main",
            "2024-07-10T00:00:00Z"
        ),
        pr(
            9003,
            "Bump dependencies",
            "Nothing to see.",
            "main",
            "2024-07-11T00:00:00Z"
        ),
        pr(
            9004,
            "User namespaces: idmapped mounts",
            "Part of KEP-127.",
            "main",
            "2024-07-12T00:00:00Z"
        ),
        pr(
            9005,
            "Swap: limit per container",
            "See https://kep.k8s.io/2400 and KEP-2400.",
            "main",
            "2024-07-13T00:00:00Z"
        ),
        pr(
            9010,
            "[release-1.30] Add image volume support",
            "This is an automated cherry-pick of #9002\n\n/assign x",
            "release-1.30",
            "2024-07-20T00:00:00Z"
        ),
    ])
}

fn mock_data(s: &Source) -> Data {
    let mut d = common::mock::data_from(
        &s.issues,
        &s.keps,
        &s.containerd_releases,
        &s.kubernetes_releases,
        &s.releases_md,
    );
    d.feature_gates = Some(s.feature_gates.clone());
    d.crio_pulls = s.crio_pulls.as_array().unwrap().clone();
    d.pulls = s.pulls.as_array().unwrap().clone();
    d.crio_releases = s.crio_releases.as_array().unwrap().clone();
    d
}

fn fetch_with(mock: &Mock, out: &Path, token: Option<&str>, extra: &[&str]) -> Output {
    fetch_config(
        mock,
        out,
        token,
        Path::new("/nonexistent/kepboard.toml"),
        extra,
    )
}

fn fetch_config(
    mock: &Mock,
    out: &Path,
    token: Option<&str>,
    config: &Path,
    extra: &[&str],
) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kepboard"));
    cmd.args([
        "fetch",
        "-o",
        out.to_str().unwrap(),
        "--api-url",
        &mock.url,
        "--config",
        config.to_str().unwrap(),
    ])
    .args(extra)
    .env_remove("GITHUB_TOKEN")
    .env_remove("GH_TOKEN")
    .env_remove("GITHUB_API_URL")
    .env_remove("GITHUB_GRAPHQL_URL");
    if let Some(t) = token {
        cmd.env("GITHUB_TOKEN", t);
    }
    cmd.output().expect("run kepboard fetch")
}

fn fetch(mock: &Mock, out: &Path, extra: &[&str]) -> Output {
    fetch_with(mock, out, Some("test-token"), extra)
}

/// The model of a snapshot without its time and source, for comparison.
/// Read as fetched: bodies from the API are whole, so an imported copy is
/// compared under the same reading (no cut-off warnings).
fn model_json(snapshot: &Path) -> Value {
    let mut snap = Snapshot::read(snapshot).unwrap();
    snap.source.kind = kepboard::snapshot::SourceKind::Fetch;
    let mut v = serde_json::to_value(Model::build(&snap)).unwrap();
    v.as_object_mut().unwrap().remove("generated_at");
    v.as_object_mut().unwrap().remove("source");
    v
}

/// `/data/keps.json` of the site built from `snapshot`, without its time.
/// Read as fetched, as [`model_json`] does.
fn keps_json(snapshot: &Path, site: &Path) -> Value {
    let mut snap = Snapshot::read(snapshot).unwrap();
    snap.source.kind = kepboard::snapshot::SourceKind::Fetch;
    let as_fetched = site.with_extension("snapshot.json");
    snap.write(&as_fetched).unwrap();
    let o = kepboard(&[
        "build",
        "--snapshot",
        as_fetched.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(site.join("data/keps.json")).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut().unwrap().remove("generated_at");
    v
}

#[test]
fn full_fetch_builds_the_import_model_within_budget_and_a_refresh_is_free() {
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let o = fetch(&mock, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = mock.counts();
    eprintln!(
        "full fetch: {} requests ({} GraphQL, {} points)",
        first.total, first.graphql, first.points
    );
    // The runtime sources: the gate file (1), CRI-O's releases (a probe
    // and a request per 100), and one request for the three CRI-O PR
    // searches, whose timelines bring the backports along. containerd's
    // KEP PR searches are one more request (fewer than 100 results each).
    let crio_release_pages = s.crio_releases.as_array().unwrap().len().div_ceil(100) as u32;
    assert_eq!(first.op("PullSearches"), 2, "{first:?}");
    assert_eq!(first.op("PullsByNumber"), 0, "{first:?}");
    let runtime = 1 + 1 + crio_release_pages + 1;
    assert!(
        first.total - runtime <= 20,
        "full fetch took {} requests ({runtime} for the runtime sources)",
        first.total
    );
    assert!(
        stderr(&o).contains(&format!("{} requests", first.total)),
        "{}",
        stderr(&o)
    );
    // The cost line: REST against the core limit, GraphQL in points, as
    // each answer's rateLimit says (the mock charges by GitHub's rule).
    let rest = first.total - first.graphql;
    let cost = format!(
        "REST: {rest} (0 answered 304 Not Modified, free), core rate limit 4999 of 5000 left. GraphQL: {} requests, {} points, 4990 left",
        first.graphql, first.points
    );
    // A full fetch: about 3 points per 100 issues of a search (labels,
    // assignees and timeline under each), 1-3 per PR search request, 1 per
    // other request; far from GitHub's 500,000-node limit per call.
    assert!(first.points <= 30, "{first:?}");
    assert!(first.max_nodes <= 50_000, "{first:?}");
    assert!(stderr(&o).contains(&cost), "{cost}\n{}", stderr(&o));
    assert!(out.with_file_name("snapshot.fetch-cache.json").exists());

    // The same facts through `import` give the same model, the feature
    // gates and CRI-O's side included.
    let k8s = write_json(dir.path(), "k8s.json", &s.kubernetes_releases);
    let cd = write_json(dir.path(), "cd.json", &s.containerd_releases);
    let crio_pulls = write_json(dir.path(), "crio-pulls.json", &s.crio_pulls);
    let crio_releases = write_json(dir.path(), "crio-releases.json", &s.crio_releases);
    let pulls = write_json(dir.path(), "pulls.json", &s.pulls);
    let gates = dir.path().join("versioned_feature_list.yaml");
    std::fs::write(&gates, &s.feature_gates).unwrap();
    let imported = dir.path().join("imported.json");
    let o = kepboard(&[
        "import",
        "--pulls",
        pulls.to_str().unwrap(),
        "--feature-gates",
        gates.to_str().unwrap(),
        "--crio-pulls",
        crio_pulls.to_str().unwrap(),
        "--crio-releases",
        crio_releases.to_str().unwrap(),
        "--issues",
        s.issues.to_str().unwrap(),
        "--keps",
        s.keps.to_str().unwrap(),
        "--containerd-releases",
        cd.to_str().unwrap(),
        "--kubernetes-releases",
        k8s.to_str().unwrap(),
        "--containerd-releases-md",
        s.releases_md.to_str().unwrap(),
        "-o",
        imported.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fetched = model_json(&out);
    assert_eq!(fetched, model_json(&imported), "fetch and import disagree");
    // The model's JSON leaves the gates out: compare what the site
    // publishes, stages by gate and runtime policy included.
    let keps = keps_json(&out, &dir.path().join("site-fetched"));
    assert_eq!(
        keps,
        keps_json(&imported, &dir.path().join("site-imported")),
        "keps.json of fetch and import disagree"
    );
    // KEPs whose containerd PRs name them but no tracking issue's timeline
    // links them get those PRs and their release from fetch too.
    if fixtures().is_some() {
        let model = Model::build(&Snapshot::read(&out).unwrap());
        for n in [3619, 3857, 4960] {
            let k = &model.keps[&kepboard::domain::KepNumber::new(n).unwrap()];
            assert!(
                !k.pulls.is_empty() && !k.shipped.is_empty(),
                "KEP-{n}: {:?}",
                k.pulls
            );
        }
    }
    assert!(
        keps.to_string()
            .contains(r#""stage_source":"feature-gate""#),
        "no stage from a feature gate"
    );
    let with_crio = fetched["keps"]
        .as_object()
        .unwrap()
        .values()
        .filter(|k| !k["crio_pulls"].as_array().unwrap().is_empty())
        .count();
    assert!(with_crio > 0, "no KEP has a CRI-O PR");

    // Nothing changed: one request, the watermarks (1 point), says so for
    // every source, and all is taken from the previous snapshot.
    mock.reset_counts();
    let before = model_json(&out);
    let o = fetch(&mock, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let second = mock.counts();
    assert_eq!(
        (second.total, second.op("Watermarks"), second.points),
        (1, 1, 1),
        "{second:?}"
    );
    assert_eq!(model_json(&out), before);
    assert!(stderr(&o).contains("unchanged: issues"), "{}", stderr(&o));

    // Something changed: it is fetched again.
    mock.data.lock().unwrap().version += 1;
    mock.reset_counts();
    let o = fetch(&mock, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(mock.counts().rate_limited > 0);
    assert_eq!(model_json(&out), before);
}

#[test]
fn pages_are_followed_and_timeline_pull_requests_gathered() {
    let s = source();
    let mut data = mock_data(&s);
    data.page_size = 3;
    // Only the timeline links PRs here (no KEP PR search results).
    data.pulls.clear();
    let tracked = first_tracking_issue(&data);
    let pr = merged_pr_node;
    data.timeline.insert(
        tracked,
        vec![
            pr(99001, "containerd/containerd"),
            pr(5, "kubernetes/kubernetes"),
        ],
    );
    let n_issues = data.issues.len();
    let mock = Mock::start(data);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let o = fetch(&mock, &out, &["-v"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let snap = Snapshot::read(&out).unwrap();
    let related_or_tracking = snap.issues.len();
    assert!(related_or_tracking > 0 && related_or_tracking <= n_issues);
    assert_eq!(snap.pulls.len(), 1, "only the tracking repository's PRs");
    assert_eq!(snap.pulls[0].number, 99001);
    assert_eq!(snap.issue_pr_links.len(), 1);
    assert_eq!(
        (snap.issue_pr_links[0].issue, snap.issue_pr_links[0].kind),
        (tracked, kepboard::snapshot::LinkKind::CrossReference)
    );
    let model = Model::build(&snap);
    assert!(model.issues[&tracked].pulls.contains(&99001));
    // -v shows the requests.
    assert!(
        stderr(&o).contains("POST ") && stderr(&o).contains("/graphql -> 200"),
        "{}",
        stderr(&o)
    );
}

/// The number of the first `[SIG-Node]` issue of the mock data.
fn first_tracking_issue(data: &Data) -> u64 {
    data.issues
        .iter()
        .find(|i| {
            i["title"]
                .as_str()
                .unwrap_or("")
                .to_ascii_lowercase()
                .starts_with("[sig-node]")
        })
        .map(|i| i["number"].as_u64().unwrap())
        .unwrap()
}

/// A merged pull request of `repo` as a GraphQL `Pull` node.
fn merged_pr_node(n: u64, repo: &str) -> Value {
    serde_json::json!({"number": n, "title": "cri: implement it", "url": format!("https://github.com/{repo}/pull/{n}"),
        "state": "MERGED", "mergedAt": "2026-09-01T00:00:00Z", "baseRefName": "main", "headRefName": "x",
        "mergeCommit": {"oid": "abc"}, "repository": {"nameWithOwner": repo}})
}

/// Runs a fetch with one fault injected over a good snapshot; returns the
/// output and whether the snapshot stayed byte-for-byte as it was.
fn with_fault(fault: Fault, extra: &[&str]) -> (Output, bool, Mock) {
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    assert!(fetch(&mock, &out, &[]).status.success());
    let before = std::fs::read(&out).unwrap();
    let cache_before = std::fs::read(out.with_file_name("snapshot.fetch-cache.json")).unwrap();
    // Make everything "changed", so the fetch goes past the probes.
    mock.data.lock().unwrap().version += 1;
    mock.fault(fault);
    mock.reset_counts();
    let o = fetch(&mock, &out, extra);
    let intact = std::fs::read(&out).unwrap() == before
        && std::fs::read(out.with_file_name("snapshot.fetch-cache.json")).unwrap() == cache_before;
    (o, intact, mock)
}

fn assert_clean_failure(o: &Output, intact: bool, expected: &[&str]) {
    assert!(!o.status.success(), "should fail: {}", stderr(o));
    assert!(intact, "the old snapshot or cache changed");
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in {err}");
    }
}

#[test]
fn a_500_is_retried() {
    let (o, _, mock) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::Status(500),
        },
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("HTTP 500") && stderr(&o).contains("retrying"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("1 retries"), "{}", stderr(&o));
    drop(mock);
}

#[test]
fn a_502_forever_fails_cleanly() {
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: u32::MAX,
            kind: FaultKind::Status(502),
        },
        &["--max-wait", "3"],
    );
    assert_clean_failure(
        &o,
        intact,
        &["issue search", "POST ", "HTTP 502", "Server Error"],
    );
}

#[test]
fn a_primary_rate_limit_waits_for_the_reset() {
    let started = std::time::Instant::now();
    let (o, _, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::RateLimited(2),
        },
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("HTTP 403: API rate limit exceeded"),
        "{}",
        stderr(&o)
    );
    // It waited for the reset rather than hammering (a lower bound, not a speed check).
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[test]
fn a_429_honours_retry_after() {
    let (o, _, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::RetryAfter(1),
        },
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("HTTP 429") && stderr(&o).contains("retrying in 1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_rate_limit_beyond_max_wait_fails_cleanly() {
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::RateLimited(120),
        },
        &["--max-wait", "5"],
    );
    assert_clean_failure(&o, intact, &["HTTP 403", "--max-wait"]);
}

#[test]
fn a_truncated_body_fails_cleanly() {
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::TruncatedJson,
        },
        &[],
    );
    assert_clean_failure(&o, intact, &["issue search", "not the JSON expected"]);
}

#[test]
fn graphql_errors_fail_cleanly() {
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::GraphqlErrors,
        },
        &[],
    );
    assert_clean_failure(&o, intact, &["GraphQL errors", "Something went wrong"]);
}

#[test]
fn a_repeating_cursor_fails_instead_of_looping() {
    let (o, intact, mock) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 3,
            kind: FaultKind::RepeatCursor,
        },
        &[],
    );
    assert_clean_failure(&o, intact, &["cursor", "repeats"]);
    assert!(mock.counts().total < 10);
}

#[test]
fn a_stalled_answer_times_out_and_is_retried() {
    let (o, _, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::Stall(Duration::from_secs(4)),
        },
        &["--timeout", "1"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // The read timeout or the per-request timeout, whichever fires first.
    let err = stderr(&o);
    assert!(
        (err.contains("timed out") || err.contains("within 1s")) && err.contains("retrying"),
        "{err}"
    );
}

#[test]
fn an_api_error_names_the_request_and_github_message() {
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/contents/",
            times: 1,
            kind: FaultKind::Status(404),
        },
        &[],
    );
    assert_clean_failure(
        &o,
        intact,
        &["RELEASES.md", "GET ", "/contents/RELEASES.md", "HTTP 404"],
    );
}

#[test]
fn the_token_never_appears_anywhere() {
    const MARKER: &str = "ghp_MARKERtoken0123456789abcdefSECRET";
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let o = fetch_with(&mock, &out, Some(MARKER), &["-v"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // It was sent, as a header, to the mock.
    assert!(mock
        .counts()
        .authorizations
        .iter()
        .all(|a| a.contains(MARKER)));
    // A failing run prints errors; they must not carry it either.
    mock.data.lock().unwrap().version += 1;
    mock.fault(Fault {
        path: "/graphql#TrackingIssues",
        times: u32::MAX,
        kind: FaultKind::Status(502),
    });
    let failed = fetch_with(&mock, &out, Some(MARKER), &["-v", "--max-wait", "1"]);
    assert!(!failed.status.success());
    for (what, text) in [
        ("stdout", stdout(&o) + &stdout(&failed)),
        ("stderr", stderr(&o) + &stderr(&failed)),
        ("snapshot", std::fs::read_to_string(&out).unwrap()),
        (
            "cache",
            std::fs::read_to_string(out.with_file_name("snapshot.fetch-cache.json")).unwrap(),
        ),
    ] {
        assert!(!text.contains(MARKER), "the token appears in {what}");
    }
}

#[test]
fn without_a_token_it_warns_and_still_works() {
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let o = fetch_with(&mock, &out, None, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("neither GITHUB_TOKEN nor GH_TOKEN"),
        "{}",
        stderr(&o)
    );
    assert!(mock.counts().authorizations.is_empty());
    // -q: silent, retries included.
    mock.data.lock().unwrap().version += 1;
    mock.fault(Fault {
        path: "/graphql#TrackingIssues",
        times: 1,
        kind: FaultKind::Status(500),
    });
    let q = fetch_with(&mock, &out, None, &["-q"]);
    assert!(q.status.success());
    assert!(stderr(&q).is_empty(), "-q printed: {}", stderr(&q));
}

#[test]
fn the_api_base_comes_from_the_github_actions_variables() {
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let o = Command::new(env!("CARGO_BIN_EXE_kepboard"))
        .args([
            "fetch",
            "-q",
            "-o",
            out.to_str().unwrap(),
            "--config",
            "/nonexistent/kepboard.toml",
        ])
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env("GH_TOKEN", "gh-cli-token")
        .env("GITHUB_API_URL", &mock.url)
        .env("GITHUB_GRAPHQL_URL", format!("{}/graphql", mock.url))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let c = mock.counts();
    assert!(c.graphql > 0);
    assert!(
        c.authorizations.iter().all(|a| a.contains("gh-cli-token")),
        "GH_TOKEN is used"
    );
}

fn kep(n: u32) -> kepboard::domain::KepNumber {
    kepboard::domain::KepNumber::new(n).unwrap()
}

/// A kepboard.toml in `dir` with `text`.
fn config(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("kepboard.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn fetch_gathers_the_feature_gates_and_crio_joined_as_import_would() {
    let s = demo_source();
    let mut data = mock_data(&s);
    // CRI-O's side only: containerd's KEP PR searches find nothing.
    data.pulls.clear();
    // Two pages of CRI-O releases and of the KEP search.
    data.page_size = 2;
    data.release_page_size = 2;
    let mock = Mock::start(data);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let cfg = config(dir.path(), "[crio_pulls]\n4639 = [9001]\n");
    let o = fetch_config(&mock, &out, Some("test-token"), &cfg, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("5 CRI-O pull requests and 4 releases, the feature-gate list"),
        "{}",
        stderr(&o)
    );
    let c = mock.counts();
    // containerd's KEP PR searches (nothing found); CRI-O's three searches
    // in one request, then the KEP search's second page; the configured PR
    // in one request; the backport came with 9002.
    assert_eq!(c.op("PullSearches"), 3, "{c:?}");
    assert_eq!(c.op("PullsByNumber"), 1, "{c:?}");

    let snap = Snapshot::read(&out).unwrap();
    assert_eq!(snap.feature_gates.as_deref(), Some(DEMO_GATES));
    assert_eq!(snap.crio_releases.len(), 4);
    let numbers: Vec<u64> = snap.crio_pulls.iter().map(|p| p.number).collect();
    assert_eq!(numbers, [9001, 9002, 9004, 9005, 9010]);
    let backport = &snap.crio_pulls[4];
    assert_eq!(backport.base.as_ref().unwrap().name, "release-1.30");
    assert_eq!(backport.head.as_ref().unwrap().name, "branch-9010");
    assert_eq!(backport.user.as_ref().unwrap().login, "crio-dev");
    assert_eq!(
        backport.merge_commit_sha.as_deref(),
        Some(&*format!("{:040}", 9010))
    );
    assert_eq!(snap.crio_kep_links.len(), 1);
    assert!(snap
        .source
        .details
        .iter()
        .any(|d| d == "CRI-O pulls, releases: cri-o/cri-o"));

    // The model joins them: named, configured, backport, each with its
    // first CRI-O release; the KEP's stage comes from its gate.
    use kepboard::model::CrioLink;
    let model = Model::build(&snap);
    let k = &model.keps[&kep(4639)];
    assert_eq!(
        k.crio_pulls,
        [
            (9001, CrioLink::Configured),
            (9002, CrioLink::Named),
            (9010, CrioLink::Backport { of: 9002 })
        ]
    );
    let first = |n: u64| {
        model.crio_pulls[&n]
            .shipped
            .as_ref()
            .and_then(|s| s.release.as_ref())
            .map(ToString::to_string)
    };
    assert_eq!(first(9002).as_deref(), Some("v1.31.0"));
    assert_eq!(first(9010).as_deref(), Some("v1.30.4"));
    let r = kepboard::domain::K8sRelease::new(1, 33);
    assert_eq!(model.stage_in(k, r).unwrap().source(), "feature-gate");
    assert!(model.unknown_crio_links.is_empty());
}

#[test]
fn what_fetch_cannot_gather_is_a_warning_naming_it() {
    let s = demo_source();
    let mut data = mock_data(&s);
    data.pulls.clear();
    // A search that GitHub cuts (at 1 here, 1,000 there), and timelines
    // that give no references, so backports need their own search.
    data.search_cap = 1;
    data.timeline_cap = 0;
    let mock = Mock::start(data);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let cfg = config(dir.path(), "[crio_pulls]\n4639 = [9001, 99999]\n");
    let o = fetch_config(&mock, &out, Some("test-token"), &cfg, &["-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(r#"warning: CRI-O PR search "repo:cri-o/cri-o is:pr is:merged KEP in:title,body": GitHub counts 3 results but gave 1"#),
        "{err}"
    );
    assert!(err.contains("at most 1,000"), "{err}");
    assert!(
        err.contains(
            "kepboard.toml [crio_pulls] lists #99999, which is not a pull request of cri-o/cri-o"
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "-q prints the warnings only: {err}");
    let snap = Snapshot::read(&out).unwrap();
    let numbers: Vec<u64> = snap.crio_pulls.iter().map(|p| p.number).collect();
    // 9004 is past the cut; 9010 was found by the backport search for 9002.
    assert_eq!(numbers, [9001, 9002, 9005, 9010]);
    // containerd's KEP PR searches (empty here), CRI-O's, the backports'.
    assert_eq!(mock.counts().op("PullSearches"), 3);
}

/// A failing source over a good snapshot, with the demo's data.
fn fails_cleanly(fault: Fault, expected: &[&str]) {
    let (o, intact, _m) = with_fault(fault, &["--max-wait", "1"]);
    assert_clean_failure(&o, intact, expected);
}

#[test]
fn api_errors_on_the_runtime_sources_name_them() {
    fails_cleanly(
        Fault {
            path: "versioned_feature_list.yaml",
            times: 1,
            kind: FaultKind::Status(404),
        },
        &[
            "feature gates: cannot read test/compatibility_lifecycle/reference/versioned_feature_list.yaml of kubernetes/kubernetes",
            "feature_gates_path",
            "HTTP 404",
        ],
    );
    fails_cleanly(
        Fault {
            path: "/repos/cri-o/cri-o/releases",
            times: 1,
            kind: FaultKind::Status(404),
        },
        &["CRI-O releases", "/repos/cri-o/cri-o/releases", "HTTP 404"],
    );
    fails_cleanly(
        Fault {
            path: "/graphql#PullSearches",
            times: u32::MAX,
            kind: FaultKind::Status(502),
        },
        // containerd's KEP PR searches go first.
        &["KEP pull request search, request 1", "HTTP 502"],
    );
    fails_cleanly(
        Fault {
            path: "/graphql#PullSearches",
            times: 1,
            kind: FaultKind::GraphqlErrors,
        },
        &["KEP pull request search", "GraphQL errors"],
    );
}

#[test]
fn a_gate_file_that_is_no_gate_list_fails_cleanly() {
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    assert!(fetch(&mock, &out, &[]).status.success());
    let before = std::fs::read(&out).unwrap();
    {
        let mut d = mock.data.lock().unwrap();
        d.version += 1;
        d.feature_gates = Some("- name: [unclosed\n".into());
    }
    let o = fetch(&mock, &out, &[]);
    assert_clean_failure(
        &o,
        std::fs::read(&out).unwrap() == before,
        &[
            "feature gates",
            "versioned_feature_list.yaml of kubernetes/kubernetes is not a feature-gate list",
        ],
    );
}

#[test]
fn a_rate_limit_answered_with_200_waits_for_the_reset_like_a_403() {
    // GitHub's GraphQL API answers its primary limit with 200 and an error
    // of type RATE_LIMITED; within --max-wait that is a wait, not a failure.
    let (o, _, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::GraphqlRateLimited(1),
        },
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("API rate limit already exceeded") && stderr(&o).contains("retrying"),
        "{}",
        stderr(&o)
    );
    // Beyond --max-wait it fails, naming the request and the limit.
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: u32::MAX,
            kind: FaultKind::GraphqlRateLimited(120),
        },
        &["--max-wait", "5"],
    );
    assert_clean_failure(
        &o,
        intact,
        &["POST ", "HTTP 200, GraphQL: API rate limit", "--max-wait"],
    );
}

/// `kepboard fetch` with the URLs GitHub Actions sets on GitHub Enterprise
/// Server runners, from the environment.
fn fetch_enterprise(out: &Path, api_url: &str, graphql_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kepboard"))
        .args([
            "fetch",
            "-o",
            out.to_str().unwrap(),
            "--config",
            "/nonexistent/kepboard.toml",
        ])
        .env("GITHUB_TOKEN", "test-token")
        .env_remove("GH_TOKEN")
        .env("GITHUB_API_URL", api_url)
        .env("GITHUB_GRAPHQL_URL", graphql_url)
        .output()
        .expect("run kepboard fetch")
}

#[test]
fn enterprise_server_urls_are_honoured_exactly_with_the_token() {
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    // REST under /api/v3, GraphQL at /api/graphql (not /api/v3/api/graphql).
    let o = fetch_enterprise(
        &out,
        &format!("{}/api/v3", mock.url),
        &format!("{}/api/graphql", mock.url),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c = mock.counts();
    assert!(c.graphql > 0);
    assert_eq!(
        c.authorizations.len() as u32,
        c.total,
        "every request carries the token"
    );
    // A GraphQL URL on another host than the REST base still gets the
    // token (localhost and 127.0.0.1 are different hosts to the client).
    mock.reset_counts();
    let other_host = mock.url.replace("127.0.0.1", "localhost");
    let out2 = dir.path().join("snapshot2.json");
    let o = fetch_enterprise(&out2, &mock.url, &format!("{other_host}/graphql"));
    assert!(o.status.success(), "{}", stderr(&o));
    let c = mock.counts();
    assert!(c.graphql > 0);
    assert_eq!(
        c.authorizations.len() as u32,
        c.total,
        "every request carries the token"
    );
    // An error names the URL actually requested.
    let out3 = dir.path().join("snapshot3.json");
    let o = fetch_enterprise(&out3, &mock.url, &format!("{}/api/nowhere", mock.url));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(&format!("POST {}/api/nowhere", mock.url)),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_typo_in_a_kep_yaml_does_not_grow_the_release_query() {
    // `v1.999` in one kep.yaml once made a query of 1,001 aliased fields.
    let s = source();
    let mut data = mock_data(&s);
    let text = "title: Typo\nkep-number: 9999\nowning-sig: sig-node\nlatest-milestone: v1.999\n";
    data.keps.push((
        "keps/sig-node/9999-typo/kep.yaml".into(),
        common::mock::sha_of(text),
        text.into(),
    ));
    let newest = data
        .kubernetes_releases
        .iter()
        .filter_map(|r| {
            r["tag_name"]
                .as_str()?
                .strip_prefix("v1.")?
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .max()
        .unwrap();
    let mock = Mock::start(data);
    let dir = tempfile::tempdir().unwrap();
    let o = fetch(&mock, &dir.path().join("snapshot.json"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // v1.0.0 to one past the newest release there is.
    assert_eq!(mock.counts().k8s_release_tags, newest + 2);
}

#[test]
fn long_timelines_are_paged_and_their_newest_links_kept() {
    // A busy tracking issue: 250 timeline events, oldest first (as GitHub
    // returns them); the PRs that link it are at the end, past the first
    // two pages. Also a commit that closed it (its merged PR counts) and a
    // connection read from its `source` side.
    let s = source();
    let mut data = mock_data(&s);
    let tracked = first_tracking_issue(&data);
    let pr = merged_pr_node;
    let mut events: Vec<Value> = (0..247)
        .map(|i| pr(50_000 + i, "kubernetes/kubernetes"))
        .collect();
    events.push(pr(99_001, "containerd/containerd"));
    events.push(serde_json::json!({"__typename": "ClosedEvent",
        "closer": {"oid": "c0ffee", "repository": {"nameWithOwner": "containerd/containerd"}}}));
    data.commits
        .insert("c0ffee".into(), vec![pr(99_002, "containerd/containerd")]);
    events.push(serde_json::json!({"__typename": "ConnectedEvent",
        "source": pr(99_003, "containerd/containerd"), "subject": {}}));
    assert_eq!(events.len(), 250);
    data.timeline.insert(tracked, events);
    let mock = Mock::start(data);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let o = fetch(&mock, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let snap = Snapshot::read(&out).unwrap();
    let links: Vec<(u64, kepboard::snapshot::LinkKind)> = snap
        .issue_pr_links
        .iter()
        .filter(|l| l.issue == tracked)
        .map(|l| (l.pull, l.kind))
        .collect();
    use kepboard::snapshot::LinkKind::*;
    assert_eq!(
        links,
        [
            (99_001, CrossReference),
            (99_002, Closing),
            (99_003, Connected)
        ]
    );
    assert!(stderr(&o).contains(&format!("the rest of the timeline of issue #{tracked}")));
}

#[test]
fn a_graphql_timeout_is_retried_once_with_a_smaller_page() {
    // GitHub's timeout: partial data and an error. Never taken as it is;
    // tried again with half the page, which passes.
    let (o, _, mock) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 1,
            kind: FaultKind::GraphqlTimeout,
        },
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(mock.counts().graphql > 1);
    // Timing out again fails, naming the request and the smaller page.
    let (o, intact, _m) = with_fault(
        Fault {
            path: "/graphql#TrackingIssues",
            times: 2,
            kind: FaultKind::GraphqlTimeout,
        },
        &[],
    );
    assert_clean_failure(
        &o,
        intact,
        &[
            "failed again with a page of 50",
            "couldn't respond to your request in time",
        ],
    );
}

#[test]
fn an_unchanged_refresh_costs_one_point_whatever_the_token() {
    // GitHub Actions' GITHUB_TOKEN is new every run and GitHub's ETags
    // belong to the token that asked, so they cannot save a refresh there.
    // The watermarks can: one small query, whatever the token.
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    let run = |token: &str| {
        mock.reset_counts();
        let o = fetch_with(&mock, &out, Some(token), &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        mock.counts()
    };
    let full = run("token-run-1");
    for token in ["token-run-2", "token-run-3"] {
        let c = run(token);
        assert_eq!((c.total, c.points), (1, 1), "{c:?}");
    }
    // Without watermarks (an old cache), the ETags of another token are
    // no help: everything but unchanged kep.yaml texts is asked again.
    let cache = out.with_file_name("snapshot.fetch-cache.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("watermarks");
    std::fs::write(&cache, serde_json::to_vec(&v).unwrap()).unwrap();
    let c = run("token-run-4");
    assert_eq!(c.not_modified, 0, "{c:?}");
    assert_eq!(
        c.total + full.op("KepBlobs"),
        full.total,
        "full {full:?}\nnow {c:?}"
    );
}

#[test]
fn without_watermarks_a_fetch_still_works() {
    // A GitHub that cannot answer the watermarks (an older Enterprise
    // Server, a GraphQL error): every source is asked, as before.
    let (o, _, mock) = with_fault(
        Fault {
            path: "/graphql#Watermarks",
            times: 1,
            kind: FaultKind::GraphqlErrors,
        },
        &[],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("no watermarks"), "{}", stderr(&o));
    assert!(mock.counts().op("TrackingIssues") > 0);
}

#[test]
fn a_refresh_where_one_issue_changed_costs_at_most_five_points() {
    // One tracking issue gains a shepherd, nothing else changes, and the
    // token is new (GitHub Actions): the refresh reads the watermarks, the
    // issues changed since the last fetch, the KEP PR searches and the
    // open PRs again, and gives what a full fetch would.
    let s = source();
    let mock = Mock::start(mock_data(&s));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("snapshot.json");
    assert!(fetch_with(&mock, &out, Some("token-run-1"), &[])
        .status
        .success());
    let changed = {
        let mut d = mock.data.lock().unwrap();
        let n = first_tracking_issue(&d);
        let issue = d.issues.iter_mut().find(|i| i["number"] == n).unwrap();
        let body = issue["body"].as_str().unwrap_or("").to_string();
        issue["body"] = Value::String(format!("{body}\n- KEP-Shepherd: @someone-new\n"));
        issue["updated_at"] = Value::String("2099-01-01T00:00:00Z".into());
        n
    };
    mock.reset_counts();
    let o = fetch_with(&mock, &out, Some("token-run-2"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let c = mock.counts();
    assert!(c.points <= 5, "{c:?}");
    assert_eq!(c.op("TrackingIssues"), 1, "{c:?}");
    let snap = Snapshot::read(&out).unwrap();
    let issue = snap.issues.iter().find(|i| i.number == changed).unwrap();
    assert!(issue.body.as_deref().unwrap_or("").contains("@someone-new"));
    // The same model as a full fetch of the same data.
    let full = dir.path().join("full.json");
    assert!(fetch_with(&mock, &full, Some("token-run-3"), &[])
        .status
        .success());
    assert_eq!(model_json(&out), model_json(&full));
}
