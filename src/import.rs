//! `kepboard import`: builds a snapshot offline from files in GitHub's own
//! JSON shapes and a local `keps/` directory.
//!
//! Inputs are what `gh api --paginate` prints (one array, or several arrays
//! back to back) and a checkout of kubernetes/enhancements. Every error names
//! the file, and the line and column or the item, that was wrong. Nothing
//! here touches the network. Of `kepboard.toml` (`--config`) only the
//! `[crio_pulls]` table matters here: it is recorded in the snapshot as
//! `crio_kep_links`; a missing file means no such links.

use crate::github::{Issue, PullRequest, Release};
use crate::kep;
use crate::snapshot::{Snapshot, Source, SourceKind, SCHEMA_VERSION};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The inputs of one import.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// GitHub REST issue objects.
    pub issues: PathBuf,
    /// GitHub REST pull request objects.
    pub pulls: Option<PathBuf>,
    /// A `keps/` folder of kubernetes/enhancements.
    pub keps: PathBuf,
    /// GitHub REST release objects of containerd.
    pub containerd_releases: Option<PathBuf>,
    /// GitHub REST release objects of Kubernetes.
    pub kubernetes_releases: Option<PathBuf>,
    /// containerd's RELEASES.md.
    pub containerd_releases_md: Option<PathBuf>,
    /// Kubernetes' `versioned_feature_list.yaml`.
    pub feature_gates: Option<PathBuf>,
    /// GitHub REST pull request objects of cri-o/cri-o.
    pub crio_pulls: Option<PathBuf>,
    /// GitHub REST release objects of cri-o/cri-o.
    pub crio_releases: Option<PathBuf>,
    /// `kepboard.toml`, for its `[crio_pulls]`; a missing file, or `None`,
    /// configures none.
    pub config: Option<PathBuf>,
    /// `owner/name` of the repository the issues come from.
    pub tracking_repo: String,
    /// The snapshot's time; `None` means now.
    pub generated_at: Option<DateTime<Utc>>,
    /// The issue bodies are whole (exported from the GitHub API), not
    /// copies that may be cut short.
    pub whole_bodies: bool,
}

/// What an import read, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Issues imported.
    pub issues: usize,
    /// Pull requests found among the issues and skipped.
    pub skipped_pull_requests: usize,
    /// Pull requests imported.
    pub pulls: usize,
    /// kep.yaml files read.
    pub keps: usize,
    /// kep.yaml files that could not be read.
    pub kep_errors: Vec<kep::LoadError>,
    /// containerd releases imported.
    pub containerd_releases: usize,
    /// Kubernetes releases imported.
    pub kubernetes_releases: usize,
}

/// Reads every input and returns the snapshot; writes nothing.
pub fn import(inputs: &Inputs) -> Result<(Snapshot, Summary)> {
    let all_issues: Vec<Issue> = read_array(&inputs.issues, "issue")?;
    let (prs, issues): (Vec<Issue>, Vec<Issue>) =
        all_issues.into_iter().partition(Issue::is_pull_request);
    let pulls: Vec<PullRequest> = read_optional(inputs.pulls.as_deref(), "pull request")?;
    let containerd_releases: Vec<Release> =
        read_optional(inputs.containerd_releases.as_deref(), "release")?;
    let kubernetes_releases: Vec<Release> =
        read_optional(inputs.kubernetes_releases.as_deref(), "release")?;
    let crio_pulls: Vec<PullRequest> = read_optional(inputs.crio_pulls.as_deref(), "pull request")?;
    let crio_releases: Vec<Release> = read_optional(inputs.crio_releases.as_deref(), "release")?;
    let containerd_releases_md = read_text(inputs.containerd_releases_md.as_deref())?;
    let feature_gates = read_feature_gates(inputs.feature_gates.as_deref())?;
    let crio_kep_links = match &inputs.config {
        Some(p) => crate::config::Config::load(p)?.crio_kep_links(),
        None => Vec::new(),
    };
    let (keps, kep_errors) = kep::load_dir(&inputs.keps)?;

    let mut details = source_details(inputs);
    details.push(format!("keps: {} kep.yaml files", keps.len()));
    if let (Some(p), false) = (&inputs.config, crio_kep_links.is_empty()) {
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        details.push(format!(
            "CRI-O pulls per KEP: {} configured in {name}",
            crio_kep_links.len()
        ));
    }

    let summary = Summary {
        issues: issues.len(),
        skipped_pull_requests: prs.len(),
        pulls: pulls.len(),
        keps: keps.len(),
        kep_errors: kep_errors.clone(),
        containerd_releases: containerd_releases.len(),
        kubernetes_releases: kubernetes_releases.len(),
    };
    let snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        generated_at: inputs.generated_at.unwrap_or_else(Utc::now),
        source: Source {
            kind: SourceKind::Import,
            details,
            whole_bodies: inputs.whole_bodies,
        },
        tracking_repo: inputs.tracking_repo.clone(),
        enhancements: Default::default(),
        issues,
        pulls,
        issue_pr_links: Vec::new(),
        keps,
        kep_errors,
        containerd_releases,
        kubernetes_releases,
        containerd_releases_md,
        feature_gates,
        crio_pulls,
        crio_releases,
        crio_kep_links,
    };
    Ok((snapshot, summary))
}

/// What the footer says the snapshot was made from: file names only, never
/// the paths of the machine that built it.
fn source_details(inputs: &Inputs) -> Vec<String> {
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut details = vec![format!("issues: {}", name(&inputs.issues))];
    for (what, p) in [
        ("pulls", &inputs.pulls),
        ("containerd releases", &inputs.containerd_releases),
        ("kubernetes releases", &inputs.kubernetes_releases),
        ("containerd RELEASES.md", &inputs.containerd_releases_md),
        ("feature gates", &inputs.feature_gates),
        ("CRI-O pulls", &inputs.crio_pulls),
        ("CRI-O releases", &inputs.crio_releases),
    ] {
        if let Some(p) = p {
            details.push(format!("{what}: {}", name(p)));
        }
    }
    details
}

fn read_text(path: Option<&Path>) -> Result<Option<String>> {
    path.map(|p| {
        std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))
    })
    .transpose()
}

/// Kubernetes' feature-gate list, checked to be one before it is kept.
fn read_feature_gates(path: Option<&Path>) -> Result<Option<String>> {
    let Some(p) = path else {
        return Ok(None);
    };
    let text =
        std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))?;
    crate::gates::FeatureGates::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a feature-gate list: {e}", p.display()))?;
    Ok(Some(text))
}

fn read_optional<T: DeserializeOwned>(path: Option<&Path>, what: &str) -> Result<Vec<T>> {
    path.map(|p| read_array(p, what))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Reads a JSON array of GitHub objects. Accepts several arrays back to back
/// (`gh api --paginate` without `--slurp`) and an array of such pages
/// (`--slurp`).
pub fn read_array<T: DeserializeOwned>(path: &Path, what: &str) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    parse_array(&text, what)
        .with_context(|| format!("{}: not a JSON array of {what} objects", path.display()))
}

/// See [`read_array`].
pub fn parse_array<T: DeserializeOwned>(text: &str, what: &str) -> Result<Vec<T>> {
    let mut items = Vec::new();
    let mut pages = 0;
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = value.map_err(|e| anyhow::anyhow!("{e}"))?;
        pages += 1;
        match value {
            Value::Array(page) if page.iter().all(Value::is_array) && !page.is_empty() => {
                items.extend(page.into_iter().flat_map(|p| match p {
                    Value::Array(v) => v,
                    _ => Vec::new(),
                }))
            }
            Value::Array(page) => items.extend(page),
            other => bail!(
                "expected an array of {what} objects, found {} (use `gh api --paginate` on a list endpoint)",
                kind_of(&other)
            ),
        }
    }
    if pages == 0 {
        bail!("the file is empty; expected an array of {what} objects");
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let id = v
                .get("number")
                .or_else(|| v.get("tag_name"))
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            serde_json::from_value(v).map_err(|e| anyhow::anyhow!("{what} #{i}{id}: {e}"))
        })
        .collect()
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_pages_and_slurped_pages() {
        let one: Vec<Release> = parse_array(r#"[{"tag_name":"v1"}]"#, "release").unwrap();
        assert_eq!(one.len(), 1);
        let two: Vec<Release> = parse_array(
            "[{\"tag_name\":\"v1\"}]\n[{\"tag_name\":\"v2\"}]",
            "release",
        )
        .unwrap();
        assert_eq!(two.len(), 2);
        let slurped: Vec<Release> =
            parse_array(r#"[[{"tag_name":"v1"}],[{"tag_name":"v2"}]]"#, "release").unwrap();
        assert_eq!(slurped.len(), 2);
        let empty: Vec<Release> = parse_array("[]", "release").unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn clear_errors() {
        let e = parse_array::<Issue>(r#"{"message": "Not Found"}"#, "issue").unwrap_err();
        assert!(e.to_string().contains("found an object"), "{e}");
        let e = parse_array::<Issue>("[{\"number\": 1, \"state\": \"open\"}, {\"num", "issue")
            .unwrap_err();
        assert!(e.to_string().contains("line 1 column"), "{e}");
        let e = parse_array::<Issue>(r#"[{"number": 7, "state": "weird"}]"#, "issue").unwrap_err();
        assert!(e.to_string().contains("issue #0 (7)"), "{e}");
        assert!(parse_array::<Issue>("", "issue").is_err());
    }
}
