//! Snapshots of what `tracking::parse` reads from issues, one per issue,
//! named after its number, in `tests/snapshots/`.
//!
//! - The demo issues (`content/demo/issues.json`, written for this project):
//!   the whole [`Parsed`] result, raw text and all.
//! - The real issues (`$KEPBOARD_FIXTURES/github/containerd-sig-node-issues.json`,
//!   public data the repository must not copy, not even transformed): the
//!   facts only ([`Facts`]): kind, KEP numbers, targets, counts, logins,
//!   field names and warning messages, never text of the issue. Skipped with
//!   a note when `KEPBOARD_FIXTURES` is not set; set but missing fails.
//!
//! A change in what the parser reads shows up as a failing snapshot. Look
//! at it, and when the new reading is right, write the snapshots anew with
//! `INSTA_UPDATE=always cargo test --test tracking_snapshots` (or
//! `cargo insta review`) and read every changed file before committing it.

mod common;

use common::{fixtures_or_skip, repo_root};
use kepboard::domain::{GateDefault, K8sRelease, Login, Stage};
use kepboard::tracking::{self, FieldKey, IssueKind, KepSource, Owner, Parsed};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

/// An issue of a GitHub REST issue list: (number, title, body).
fn issues(path: &Path) -> Vec<(u64, String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let list: Vec<Value> = serde_json::from_str(&text).expect("a JSON list of issues");
    list.iter()
        .map(|i| {
            let number = i["number"].as_u64().expect("issue number");
            let title = i["title"].as_str().unwrap_or_default().to_string();
            let body = i["body"].as_str().unwrap_or_default().to_string();
            (number, title, body)
        })
        .collect()
}

#[test]
fn demo_issues_parse_as_their_snapshots() {
    let demo = issues(&repo_root().join("content/demo/issues.json"));
    assert!(!demo.is_empty());
    for (number, title, body) in &demo {
        insta::assert_json_snapshot!(format!("demo_{number}"), tracking::parse(title, body));
    }
}

#[test]
fn real_issues_read_as_their_snapshots_say() {
    let Some(fixtures) = fixtures_or_skip("real_issues_read_as_their_snapshots_say") else {
        return;
    };
    let real = issues(&fixtures.join("github/containerd-sig-node-issues.json"));
    assert!(!real.is_empty());
    for (number, title, body) in &real {
        let facts = Facts::of(*number, &tracking::parse(title, body));
        insta::assert_json_snapshot!(format!("real_{number}"), facts);
    }
}

/// What the parser read from a real issue, without any of its text.
#[derive(Serialize)]
struct Facts {
    number: u64,
    kind: IssueKind,
    has_template: bool,
    kep_numbers: Vec<u32>,
    kep_source: Option<KepSource>,
    targets: Vec<TargetFacts>,
    kep_issue_links: usize,
    kep_pr_links: usize,
    owners: Vec<Owner>,
    liaisons: Vec<Login>,
    shepherds: Vec<Login>,
    unknown: Vec<FieldKey>,
    /// (field, message): the field as a template field, `title`, `body` or
    /// `unknown key`; the message with any text of the issue left out.
    warnings: Vec<(String, String)>,
}

/// A target without the text it was read from.
#[derive(Serialize)]
struct TargetFacts {
    stage: Stage,
    gate: Option<GateDefault>,
    release: Option<K8sRelease>,
}

impl Facts {
    fn of(number: u64, p: &Parsed) -> Facts {
        let field = |written: &str| field_name(p, written);
        Facts {
            number,
            kind: p.kind,
            has_template: p.has_template,
            kep_numbers: p.kep_numbers.iter().map(|n| n.get()).collect(),
            kep_source: p.kep_source,
            targets: p
                .targets
                .iter()
                .map(|t| TargetFacts {
                    stage: t.stage,
                    gate: t.gate,
                    release: t.k8s_release,
                })
                .collect(),
            kep_issue_links: p.kep_issue_links.len(),
            kep_pr_links: p.kep_pr_links.len(),
            owners: p.owners.clone(),
            liaisons: p.liaisons.clone(),
            shepherds: p.shepherds.clone(),
            unknown: p.unknown.clone(),
            warnings: p
                .warnings
                .iter()
                .map(|w| (field(&w.field), message_facts(&w.message, &field)))
                .collect(),
        }
    }
}

/// A field named as written, as the template field it is (`shepherd`),
/// or `title`, `body`, `unknown key`: never the key as the issue wrote it.
fn field_name(p: &Parsed, written: &str) -> String {
    if matches!(written, "title" | "body") {
        return written.to_string();
    }
    let known = p
        .fields
        .iter()
        .find(|f| f.key == written)
        .and_then(|f| f.known);
    match known {
        Some(key) => serde_json::to_value(key)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string(),
        None => "unknown key".to_string(),
    }
}

/// The parser's messages that hold no text of the issue.
const FIXED_MESSAGES: &[&str] = &[
    tracking::Warning::CUT_SHORT,
    "line in the references list has no `Key: value` form",
    "no stage (alpha, beta, GA) found",
    "several releases for one stage; cannot tell which one is planned",
    "no Kubernetes release (e.g. 1.36) found",
    "no link (http:// or https:// URL) found",
    "release differs from the one given with the stage",
    "release given without a stage",
    "cannot tell which release belongs to which stage",
    "no KEP number found in the KEP(s) field, the title or the KEP Issue link",
];

/// A warning message without text of the issue: the logins that could not
/// be read are left out, field names are given as [`field_name`] gives
/// them. A message of another shape fails the test, so that no new message
/// brings text of a real issue into a snapshot unseen.
fn message_facts(message: &str, field: &dyn Fn(&str) -> String) -> String {
    if FIXED_MESSAGES.contains(&message) {
        return message.to_string();
    }
    if message.starts_with("not read as GitHub login(s): ") {
        return "not read as GitHub login(s)".to_string();
    }
    // "`{field}` names KEP-1 but `{first field}` names KEP-2"
    let parts: Vec<&str> = message.split('`').collect();
    match parts.as_slice() {
        ["", later, names, first, first_names] if names.contains(" but ") => {
            format!("`{}`{names}`{}`{first_names}", field(later), field(first))
        }
        _ => panic!("a warning message this test does not know: {message:?}"),
    }
}
