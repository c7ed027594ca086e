//! `kepboard import` and `kepboard check` end to end: good inputs, bad
//! inputs with clear messages, and an earlier snapshot that survives them.

mod common;
use common::*;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const ISSUES: &str = r####"[
 {"number": 1, "title": "[SIG-Node]: KEP-127: user namespaces", "state": "open",
  "body": "### KEP/SIG-Node References\n\n- KEP(s): KEP-127\n- stage: ga\n- K8s-Release: 1.36\n- KEP-Shepherd: @a @b\n",
  "labels": [{"name": "k8s/1.36"}]},
 {"number": 2, "title": "a pull request", "state": "open", "pull_request": {"url": "x"}}
]"####;

const KEP: &str = "title: Support User Namespaces\nkep-number: 127\nowning-sig: sig-node\nmilestone:\n  alpha: v1.25\n  beta: v1.35\n  stable: v1.36\n";

struct Setup {
    dir: tempfile::TempDir,
    issues: String,
    keps: String,
    out: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let issues = write(dir.path(), "issues.json", ISSUES);
    write(
        dir.path(),
        "keps/sig-node/127-user-namespaces/kep.yaml",
        KEP,
    );
    let keps = dir.path().join("keps").to_str().unwrap().to_string();
    let out = dir
        .path()
        .join("snapshot.json")
        .to_str()
        .unwrap()
        .to_string();
    Setup {
        dir,
        issues,
        keps,
        out,
    }
}

fn import(s: &Setup, issues: &str, keps: &str) -> std::process::Output {
    kepboard(&["import", "--issues", issues, "--keps", keps, "-o", &s.out])
}

#[test]
fn import_then_check() {
    let s = setup();
    let o = import(&s, &s.issues, &s.keps);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("imported 1 issues (1 pull-request items skipped)"),
        "{}",
        stderr(&o)
    );
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&s.out).unwrap()).unwrap();
    assert_eq!(snap["schema_version"], 1);
    assert_eq!(snap["source"]["kind"], "import");
    assert_eq!(snap["issues"].as_array().unwrap().len(), 1);

    let o = kepboard(&["check", "--snapshot", &s.out, "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    // Two shepherds, a release label, a KEP number, agreeing stage: nothing to say about issue 1.
    assert!(
        findings
            .iter()
            .all(|f| f["subject"] != serde_json::json!({"type": "issue", "id": 1})),
        "{findings:#?}"
    );
    let o = kepboard(&["check", "--snapshot", &s.out]);
    assert!(o.status.success());
    assert!(
        stdout(&o).starts_with("1 tracking issues, 0 related issues, 1 KEPs"),
        "{}",
        stdout(&o)
    );
}

/// Runs a failing import over an existing good snapshot and checks that the
/// message says what is wrong and the snapshot is byte-for-byte unchanged.
fn assert_fails_cleanly(s: &Setup, issues: &str, keps: &str, expected: &[&str]) {
    let before = std::fs::read(&s.out).unwrap();
    let o = import(s, issues, keps);
    assert!(!o.status.success(), "import should fail");
    let err = stderr(&o);
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in {err:?}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(std::fs::read(&s.out).unwrap(), before, "snapshot changed");
}

#[test]
fn bad_inputs_fail_with_clear_messages_and_keep_the_old_snapshot() {
    let s = setup();
    assert!(import(&s, &s.issues, &s.keps).status.success());

    let truncated = write(s.dir.path(), "truncated.json", &ISSUES[..120]);
    assert_fails_cleanly(
        &s,
        &truncated,
        &s.keps,
        &["truncated.json", "EOF while parsing", "line"],
    );

    let object = write(
        s.dir.path(),
        "object.json",
        r#"{"message": "Bad credentials"}"#,
    );
    assert_fails_cleanly(&s, &object, &s.keps, &["object.json", "found an object"]);

    let bad_item = write(
        s.dir.path(),
        "bad-item.json",
        r#"[{"number": 5, "title": "x"}]"#,
    );
    assert_fails_cleanly(
        &s,
        &bad_item,
        &s.keps,
        &["bad-item.json", "issue #0 (5)", "missing field `state`"],
    );

    assert_fails_cleanly(
        &s,
        "/nonexistent/issues.json",
        &s.keps,
        &["/nonexistent/issues.json"],
    );
    assert_fails_cleanly(&s, &s.issues, "/nonexistent/keps", &["/nonexistent/keps"]);

    let bad_snapshot = write(
        s.dir.path(),
        "bad-snapshot.json",
        "{\n \"schema_version\": 1,\n",
    );
    let o = kepboard(&["check", "--snapshot", &bad_snapshot]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("bad-snapshot.json") && stderr(&o).contains("line 3"),
        "{}",
        stderr(&o)
    );
    let future = write(s.dir.path(), "future.json", r#"{"schema_version": 7}"#);
    let o = kepboard(&["check", "--snapshot", &future]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("future.json") && stderr(&o).contains("schema_version 7"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn broken_kep_yaml_is_reported_and_skipped() {
    let s = setup();
    write(
        s.dir.path(),
        "keps/sig-node/9999-broken/kep.yaml",
        "title: [unclosed\nkep-number: 9999\n",
    );
    let o = import(&s, &s.issues, &s.keps);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("sig-node/9999-broken/kep.yaml"), "{err}");
    assert!(err.contains("1 kep.yaml (1 unreadable)"), "{err}");
    assert!(!err.contains("panicked"));
    // The good file is in; the broken one is reported in the snapshot and by check.
    let o = kepboard(&["check", "--snapshot", &s.out]);
    assert!(
        stdout(&o).contains("kep.yaml files that could not be read (1)"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("sig-node/9999-broken/kep.yaml"));
}

#[test]
fn every_subcommand_has_help() {
    for cmd in [
        vec!["--help"],
        vec!["import", "--help"],
        vec!["check", "--help"],
    ] {
        let o = kepboard(&cmd);
        assert!(o.status.success(), "{cmd:?}");
        assert!(stdout(&o).contains("Usage: kepboard"), "{cmd:?}");
    }
}

/// CRI-O's pull requests and releases, and Kubernetes' feature-gate list,
/// are raw facts of the snapshot like containerd's.
#[test]
fn import_keeps_crio_and_feature_gates() {
    let s = setup();
    let dir = s.dir.path();
    let pulls = write_json(
        dir,
        "crio-pulls.json",
        &serde_json::json!([{"number": 7765, "title": "Add RRO support (KEP-3857)", "state": "closed",
            "merged_at": "2024-02-01T00:00:00Z", "base": {"ref": "main"}}]),
    );
    let releases = write_json(
        dir,
        "crio-releases.json",
        &serde_json::json!([{"tag_name": "v1.30.0", "published_at": "2024-04-18T00:00:00Z"}]),
    );
    let gates = dir.join("gates.yaml");
    std::fs::write(&gates, "- name: ImageVolume\n  versionedSpecs:\n  - default: false\n    lockToDefault: false\n    preRelease: Alpha\n    version: \"1.31\"\n").unwrap();
    let o = kepboard(&[
        "import",
        "--issues",
        &s.issues,
        "--keps",
        &s.keps,
        "-o",
        &s.out,
        "--crio-pulls",
        pulls.to_str().unwrap(),
        "--crio-releases",
        releases.to_str().unwrap(),
        "--feature-gates",
        gates.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&s.out).unwrap()).unwrap();
    assert_eq!(snap["crio_pulls"][0]["number"], 7765);
    assert_eq!(snap["crio_releases"][0]["tag_name"], "v1.30.0");
    assert!(snap["feature_gates"]
        .as_str()
        .unwrap()
        .contains("ImageVolume"));
    // A feature-gate list that is not one is refused, naming the file.
    std::fs::write(&gates, "- name: [oops\n").unwrap();
    let o = kepboard(&[
        "import",
        "--issues",
        &s.issues,
        "--keps",
        &s.keps,
        "-o",
        &s.out,
        "--feature-gates",
        gates.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("gates.yaml: not a feature-gate list"),
        "{}",
        stderr(&o)
    );
}

/// The `[crio_pulls]` table of kepboard.toml is recorded in the snapshot;
/// without a file there is none, and a bad table fails naming the file and
/// the key, leaving the previous snapshot as it was.
#[test]
fn import_records_crio_pulls_configured_in_kepboard_toml() {
    let s = setup();
    let dir = s.dir.path();
    let o = import(&s, &s.issues, &s.keps);
    assert!(o.status.success(), "{}", stderr(&o));
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&s.out).unwrap()).unwrap();
    assert!(snap.get("crio_kep_links").is_none(), "{snap:#}");

    let config = write(
        dir,
        "kepboard.toml",
        "[crio_pulls] # CRI-O PRs that do a KEP's work without naming it\n4639 = [8200, 8123]\n127 = [7000]\n",
    );
    let with_config = |config: &str| {
        kepboard(&[
            "import", "--issues", &s.issues, "--keps", &s.keps, "--config", config, "-o", &s.out,
        ])
    };
    let o = with_config(&config);
    assert!(o.status.success(), "{}", stderr(&o));
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&s.out).unwrap()).unwrap();
    assert_eq!(
        snap["crio_kep_links"],
        serde_json::json!([
            {"kep": 127, "pull": 7000},
            {"kep": 4639, "pull": 8123},
            {"kep": 4639, "pull": 8200},
        ])
    );
    let details = snap["source"]["details"].to_string();
    assert!(
        details.contains("3 configured in kepboard.toml"),
        "{details}"
    );

    let before = std::fs::read(&s.out).unwrap();
    let bad = write(dir, "bad.toml", "[crio_pulls]\nKEP-4639 = [8123]\n");
    let o = with_config(&bad);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("bad.toml") && err.contains("\"KEP-4639\" is not a KEP number"),
        "{err}"
    );
    assert_eq!(std::fs::read(&s.out).unwrap(), before, "snapshot changed");

    // A missing file configures nothing.
    let o = with_config(dir.join("none.toml").to_str().unwrap());
    assert!(o.status.success(), "{}", stderr(&o));
    let snap: serde_json::Value = serde_json::from_slice(&std::fs::read(&s.out).unwrap()).unwrap();
    assert!(snap.get("crio_kep_links").is_none());
}
