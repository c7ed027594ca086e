//! What a person sees when an input is wrong: each bad input gives one
//! clear message naming the file and what was wrong, exit status 1, and
//! no panic. The messages are insta snapshots, so a change to any of them
//! shows in review. Temporary paths are written as `[TMP]`.

mod common;
use common::*;
use std::path::Path;

/// Runs kepboard and returns "exit N\n<stderr>" with `dir` as `[TMP]`.
/// No GitHub token: its presence would change what fetch prints.
fn fails(dir: &Path, args: &[&str]) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kepboard"))
        .args(args)
        .current_dir(repo_root())
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .output()
        .expect("run kepboard");
    let err = stderr(&o).replace(&dir.to_string_lossy().into_owned(), "[TMP]");
    assert!(!err.contains("panicked"), "{err}");
    format!("exit {}\n{err}", o.status.code().unwrap_or(-1))
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn build_without_a_snapshot() {
    let d = tmp();
    let snap = path(d.path(), "missing.json");
    let out = path(d.path(), "public");
    insta::assert_snapshot!(fails(
        d.path(),
        &["build", "--snapshot", &snap, "--out", &out]
    ));
}

#[test]
fn build_from_malformed_json() {
    let d = tmp();
    std::fs::write(
        d.path().join("s.json"),
        "{\n  \"schema_version\": 1,\n  oops\n}\n",
    )
    .unwrap();
    let snap = path(d.path(), "s.json");
    let out = path(d.path(), "public");
    insta::assert_snapshot!(fails(
        d.path(),
        &["build", "--snapshot", &snap, "--out", &out]
    ));
}

#[test]
fn build_from_another_schema_version() {
    let d = tmp();
    let text = std::fs::read_to_string(repo_root().join("content/snapshot.json"))
        .unwrap()
        .replacen("\"schema_version\": 1", "\"schema_version\": 99", 1);
    std::fs::write(d.path().join("s.json"), text).unwrap();
    let snap = path(d.path(), "s.json");
    let out = path(d.path(), "public");
    insta::assert_snapshot!(fails(
        d.path(),
        &["build", "--snapshot", &snap, "--out", &out]
    ));
}

#[test]
fn build_with_a_broken_template() {
    let d = tmp();
    let templates = d.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("index.html"),
        "{% extends \"base.html\" %}{% block content %}{{ oops(}}{% endblock content %}",
    )
    .unwrap();
    let out = path(d.path(), "public");
    insta::assert_snapshot!(fails(
        d.path(),
        &[
            "build",
            "--templates",
            &templates.to_string_lossy(),
            "--out",
            &out
        ]
    ));
}

#[test]
fn import_of_issues_that_are_not_json() {
    let d = tmp();
    std::fs::write(d.path().join("issues.json"), "[{\"number\": 1,]").unwrap();
    let keps = d.path().join("keps");
    std::fs::create_dir(&keps).unwrap();
    insta::assert_snapshot!(fails(
        d.path(),
        &[
            "import",
            "--issues",
            &path(d.path(), "issues.json"),
            "--keps",
            &keps.to_string_lossy(),
            "-o",
            &path(d.path(), "s.json"),
        ]
    ));
    assert!(!d.path().join("s.json").exists());
}

#[test]
fn fetch_with_an_invalid_config() {
    let d = tmp();
    std::fs::write(
        d.path().join("kepboard.toml"),
        "tracking_repo = \"containerd\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(fails(
        d.path(),
        &[
            "fetch",
            "--config",
            &path(d.path(), "kepboard.toml"),
            "-o",
            &path(d.path(), "s.json"),
        ]
    ));
}

#[test]
fn check_without_a_snapshot() {
    let d = tmp();
    insta::assert_snapshot!(fails(
        d.path(),
        &["check", "--snapshot", &path(d.path(), "none.json")]
    ));
}
