//! Shared test helpers: locating the real fixture data (outside the
//! repository, through `KEPBOARD_FIXTURES`), turning its TSV files into
//! GitHub's JSON shapes, and running the `kepboard` binary.
#![allow(dead_code)]

pub mod cost;
pub mod mock;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fixture directory, when `KEPBOARD_FIXTURES` is set. Set but missing
/// is a failure, not a skip: CI sets it and must not pass without the data.
pub fn fixtures() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("KEPBOARD_FIXTURES").filter(|v| !v.is_empty())?);
    assert!(
        dir.join("README.md").is_file(),
        "KEPBOARD_FIXTURES={} is set but holds no fixture data",
        dir.display()
    );
    Some(dir)
}

/// Like [`fixtures`], printing why a test is skipped when it is not set.
pub fn fixtures_or_skip(test: &str) -> Option<PathBuf> {
    let f = fixtures();
    if f.is_none() {
        eprintln!("{test}: KEPBOARD_FIXTURES not set, skipping the real-data part");
    }
    f
}

/// Reads a tab-separated file with a header row, without quoting rules.
pub fn read_tsv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(str::to_string))
                .collect()
        })
        .collect()
}

/// `containerd/releases.tsv` as GitHub REST release objects.
pub fn containerd_releases_json(fixtures: &Path) -> Value {
    let rows = read_tsv(&fixtures.join("containerd/releases.tsv"));
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "tag_name": r["tag"],
                    "published_at": r["date"],
                    "prerelease": r["is_prerelease"] == "true",
                    "draft": false,
                    "html_url": format!("https://github.com/containerd/containerd/releases/tag/{}", r["tag"]),
                })
            })
            .collect(),
    )
}

/// `kubernetes/releases.tsv` as GitHub REST release objects of the `.0` tags.
pub fn kubernetes_releases_json(fixtures: &Path) -> Value {
    let rows = read_tsv(&fixtures.join("kubernetes/releases.tsv"));
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "tag_name": format!("v{}.0", r["version"]),
                    "published_at": format!("{}T00:00:00Z", r["ga_date"]),
                    "prerelease": false,
                    "draft": false,
                })
            })
            .collect(),
    )
}

/// `containerd/kep-prs.tsv` as GitHub REST pull request objects (all merged
/// into `main`, as the file records).
pub fn kep_prs_json(fixtures: &Path) -> Value {
    let rows = read_tsv(&fixtures.join("containerd/kep-prs.tsv"));
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "number": r["pr_number"].parse::<u64>().unwrap(),
                    "title": r["title"],
                    "html_url": format!("https://github.com/containerd/containerd/pull/{}", r["pr_number"]),
                    "state": "closed",
                    "body": null,
                    "base": {"ref": "main"},
                    "head": {"ref": r["branch"]},
                    "merged_at": r["merge_date"],
                    "closed_at": r["merge_date"],
                    "merge_commit_sha": r["merge_commit"],
                    "milestone": null,
                })
            })
            .collect(),
    )
}

/// CRI-O's KEP pull requests (`crio/kep-prs.tsv`, merged into main) and
/// their backports (`crio/backports.tsv`) as GitHub REST pull request
/// objects. Most do not name their KEP; as a deployment would configure
/// it, the fixture's KEP is written into the body (`KEP-NNNN`), and a
/// backport's body says which PR it carries.
pub fn crio_pulls_json(fixtures: &Path) -> Value {
    let kep_refs = |k: &str| {
        k.split(';')
            .filter(|n| !n.is_empty())
            .map(|n| format!("KEP-{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let pull = |r: &std::collections::BTreeMap<String, String>, base: &str, body: String| {
        json!({
            "number": r["pr_number"].parse::<u64>().unwrap(),
            "title": r["title"],
            "html_url": format!("https://github.com/cri-o/cri-o/pull/{}", r["pr_number"]),
            "state": "closed",
            "body": body,
            "base": {"ref": base},
            "merged_at": r["merge_date"],
        })
    };
    let mut out: Vec<Value> = read_tsv(&fixtures.join("crio/kep-prs.tsv"))
        .iter()
        .map(|r| pull(r, "main", kep_refs(&r["kep_number"])))
        .collect();
    out.extend(
        read_tsv(&fixtures.join("crio/backports.tsv"))
            .iter()
            .map(|r| {
                pull(
                    r,
                    &r["base_branch"],
                    format!("Backport of #{}", r["backport_of"]),
                )
            }),
    );
    Value::Array(out)
}

/// `crio/releases.tsv` as GitHub REST release objects.
pub fn crio_releases_json(fixtures: &Path) -> Value {
    let rows = read_tsv(&fixtures.join("crio/releases.tsv"));
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({"tag_name": r["tag"], "published_at": r["date"],
                            "prerelease": r["is_prerelease"] == "true"})
            })
            .collect(),
    )
}

/// Writes a JSON value to `dir/name` and returns the path.
pub fn write_json(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    p
}

/// Imports the real fixture data into `dir/snapshot.json`.
pub fn import_fixtures(fixtures: &Path, dir: &Path) -> PathBuf {
    let pulls = write_json(dir, "pulls.json", &kep_prs_json(fixtures));
    let cd = write_json(
        dir,
        "containerd-releases.json",
        &containerd_releases_json(fixtures),
    );
    let k8s = write_json(
        dir,
        "kubernetes-releases.json",
        &kubernetes_releases_json(fixtures),
    );
    let crio_pulls = write_json(dir, "crio-pulls.json", &crio_pulls_json(fixtures));
    let crio_releases = write_json(dir, "crio-releases.json", &crio_releases_json(fixtures));
    let out = dir.join("snapshot.json");
    let o = kepboard(&[
        "import",
        "--crio-pulls",
        crio_pulls.to_str().unwrap(),
        "--crio-releases",
        crio_releases.to_str().unwrap(),
        "--issues",
        fixtures
            .join("github/containerd-sig-node-issues.json")
            .to_str()
            .unwrap(),
        "--keps",
        fixtures.join("enhancements/keps").to_str().unwrap(),
        "--pulls",
        pulls.to_str().unwrap(),
        "--containerd-releases",
        cd.to_str().unwrap(),
        "--kubernetes-releases",
        k8s.to_str().unwrap(),
        "--containerd-releases-md",
        fixtures
            .join("containerd/RELEASES-kubernetes-support.md")
            .to_str()
            .unwrap(),
        "--feature-gates",
        fixtures
            .join("kubernetes/versioned_feature_list.yaml")
            .to_str()
            .unwrap(),
        "--generated-at",
        "2026-11-25T00:00:00Z",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// The model of the real fixture data as of 2026-11-25 (see
/// [`import_fixtures`]), with the directory holding its snapshot; `None`
/// when the fixtures are not configured (`test` names the caller).
pub fn real_model(test: &str) -> Option<(tempfile::TempDir, kepboard::model::Model)> {
    let fixtures = fixtures_or_skip(test)?;
    let dir = tempfile::tempdir().unwrap();
    let snap = import_fixtures(&fixtures, dir.path());
    let snapshot = kepboard::snapshot::Snapshot::read(&snap).unwrap();
    Some((dir, kepboard::model::Model::build(&snapshot)))
}

/// Imports the demo data shipped in `content/demo` into `dir/snapshot.json`.
pub fn import_demo(dir: &Path) -> PathBuf {
    let demo = repo_root().join("content/demo");
    let out = dir.join("snapshot.json");
    let p = |n: &str| demo.join(n).to_str().unwrap().to_string();
    let o = kepboard(&[
        "import",
        "--issues",
        &p("issues.json"),
        "--pulls",
        &p("pulls.json"),
        "--keps",
        &p("keps"),
        "--containerd-releases",
        &p("containerd-releases.json"),
        "--kubernetes-releases",
        &p("kubernetes-releases.json"),
        "--containerd-releases-md",
        &p("RELEASES.md"),
        "--feature-gates",
        &p("feature-gates.yaml"),
        "--crio-pulls",
        &p("crio-pulls.json"),
        "--crio-releases",
        &p("crio-releases.json"),
        "--generated-at",
        "2026-11-01T00:00:00Z",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "demo import failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the kepboard binary with `args`, from the repository root.
pub fn kepboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kepboard"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("run kepboard")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
