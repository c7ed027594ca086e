//! The snapshot: one versioned JSON file of the raw facts a build needs.
//!
//! `fetch` and `import` write it; `build` and `check` read it. It holds
//! facts as GitHub and kubernetes/enhancements state them (issues, pull
//! requests, releases, kep.yaml files), never conclusions: parsing issue
//! bodies and joining KEPs happens at build time in `model`, so improving a
//! rule needs no new fetch. The one fact that is not GitHub's is the
//! deployment's own word from `kepboard.toml`: which CRI-O pull requests
//! do a KEP's work without naming it ([`CrioKepLink`]), recorded so a
//! build stays a function of the snapshot alone. Writes are atomic.

use crate::domain::KepNumber;
use crate::github::{Issue, PullRequest, Release};
use crate::kep::{KepFile, LoadError};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The snapshot format this build reads and writes. Bump it when a change
/// would make an old reader misread a new file.
pub const SCHEMA_VERSION: u32 = 1;

/// How a snapshot was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// `kepboard import`, from files.
    Import,
    /// `kepboard fetch`, from GitHub.
    Fetch,
}

/// Where the facts came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Which command made the snapshot.
    pub kind: SourceKind,
    /// Free-form description of the inputs (file names, repositories,
    /// commit of kubernetes/enhancements), shown on the site.
    #[serde(default)]
    pub details: Vec<String>,
    /// Whether every issue body is whole, as the GitHub API gives it. When
    /// false (copies that may be cut short), the last line of a body that
    /// does not end with a newline is read as possibly cut: a value there
    /// is unknown, never a person. Fetched snapshots are whole.
    #[serde(default)]
    pub whole_bodies: bool,
}

impl Source {
    /// Whether issue bodies can be trusted to be complete.
    pub fn bodies_are_whole(&self) -> bool {
        self.whole_bodies || self.kind == SourceKind::Fetch
    }
}

/// An explicit link between a tracking issue and a pull request, as GitHub
/// records it in the issue timeline (cross-references, closing references).
/// Links that can be read from PR bodies are derived at build time instead.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IssuePrLink {
    /// The issue.
    pub issue: u64,
    /// The pull request.
    pub pull: u64,
    /// How the timeline links them.
    pub kind: LinkKind,
}

/// How GitHub's timeline links an issue and a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// The PR mentions the issue (`CrossReferencedEvent`).
    CrossReference,
    /// Linked by hand in the sidebar (`ConnectedEvent`).
    Connected,
    /// The PR closed the issue (`ClosedEvent`), itself or by one of its
    /// commits.
    Closing,
    /// A commit of the merged PR referenced the issue (`ReferencedEvent`).
    Referenced,
}

/// A CRI-O pull request that does a KEP's work without naming it, as the
/// `[crio_pulls]` table of `kepboard.toml` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CrioKepLink {
    /// The KEP.
    pub kep: KepNumber,
    /// The pull request of cri-o/cri-o.
    pub pull: u64,
}

/// The raw facts of one gathering: the input of `check` and `build`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The format version; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// When the facts were gathered. The only time a build shows.
    pub generated_at: DateTime<Utc>,
    /// Where the facts came from.
    pub source: Source,
    /// The repository holding the tracking issues, `owner/name`.
    pub tracking_repo: String,
    /// Where the kep.yaml files come from (for links to them).
    #[serde(default)]
    pub enhancements: crate::links::Enhancements,
    /// Issues of the tracking repository (tracking, related, others).
    pub issues: Vec<Issue>,
    /// Pull requests of the tracking repository.
    #[serde(default)]
    pub pulls: Vec<PullRequest>,
    /// Issue-PR links from the issue timelines.
    #[serde(default)]
    pub issue_pr_links: Vec<IssuePrLink>,
    /// Every kep.yaml, as written.
    pub keps: Vec<KepFile>,
    /// kep.yaml files that could not be read: reported on the site.
    #[serde(default)]
    pub kep_errors: Vec<LoadError>,
    /// Releases of containerd.
    #[serde(default)]
    pub containerd_releases: Vec<Release>,
    /// Releases of Kubernetes (their `.0` dates make the calendar).
    #[serde(default)]
    pub kubernetes_releases: Vec<Release>,
    /// Pull requests of CRI-O (cri-o/cri-o), the second runtime.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crio_pulls: Vec<PullRequest>,
    /// Releases of CRI-O.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crio_releases: Vec<Release>,
    /// CRI-O pull requests configured per KEP in `kepboard.toml`
    /// (`[crio_pulls]`), by KEP then PR number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crio_kep_links: Vec<CrioKepLink>,
    /// Kubernetes' `versioned_feature_list.yaml`, as written: the history
    /// of every feature gate (see `gates`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_gates: Option<String>,
    /// containerd's RELEASES.md, for its Kubernetes support table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containerd_releases_md: Option<String>,
}

/// Just enough of a snapshot to check its version before reading the rest.
#[derive(Deserialize)]
struct VersionProbe {
    schema_version: u32,
}

impl Snapshot {
    /// Reads and validates a snapshot. Errors name the file, and the line
    /// and column for malformed JSON.
    pub fn read(path: &Path) -> Result<Snapshot> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read snapshot", path.display()))?;
        Snapshot::from_json(&text)
            .with_context(|| format!("{}: not a usable snapshot", path.display()))
    }

    /// Parses snapshot text; see [`Snapshot::read`].
    pub fn from_json(text: &str) -> Result<Snapshot> {
        let unsupported = |v: u32| {
            anyhow::anyhow!(
                "schema_version {v} is not supported (this kepboard reads version {SCHEMA_VERSION}); \
                 regenerate it with `kepboard import` or `kepboard fetch`"
            )
        };
        // One parse in the common case; the version probe only runs to
        // explain a failure, since another version may well fail to parse.
        match serde_json::from_str::<Snapshot>(text) {
            Ok(s) if s.schema_version == SCHEMA_VERSION => Ok(s),
            Ok(s) => Err(unsupported(s.schema_version)),
            Err(e) => match serde_json::from_str::<VersionProbe>(text) {
                Ok(p) if p.schema_version != SCHEMA_VERSION => Err(unsupported(p.schema_version)),
                _ => Err(json_error(e)),
            },
        }
    }

    /// Whether two snapshots hold the same facts: everything but the time
    /// they were gathered and the words describing their inputs (which
    /// name, e.g., the enhancements commit even when no kep.yaml changed).
    pub fn same_facts(&self, other: &Snapshot) -> bool {
        let facts = |s: &Snapshot| Snapshot {
            generated_at: DateTime::<Utc>::MIN_UTC,
            source: Source {
                details: Vec::new(),
                ..s.source.clone()
            },
            ..s.clone()
        };
        facts(self) == facts(other)
    }

    /// Writes the snapshot atomically: a failure leaves any existing file as it was.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut json = serde_json::to_vec_pretty(self).context("serialising snapshot")?;
        json.push(b'\n');
        crate::fsutil::write_atomic(path, &json)
    }
}

/// serde_json's message already ends with "at line L column C".
fn json_error(e: serde_json::Error) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> String {
        r#"{"schema_version": 1, "generated_at": "2026-01-01T00:00:00Z",
            "source": {"kind": "import"}, "tracking_repo": "containerd/containerd",
            "issues": [], "keps": []}"#
            .to_string()
    }

    #[test]
    fn reads_minimal_snapshot() {
        let s = Snapshot::from_json(&minimal()).unwrap();
        assert_eq!(s.tracking_repo, "containerd/containerd");
        assert!(s.pulls.is_empty());
    }

    #[test]
    fn the_time_and_the_source_words_are_not_facts() {
        let a = Snapshot::from_json(&minimal()).unwrap();
        let mut b = a.clone();
        b.generated_at = Utc::now();
        b.source.details = vec!["keps: kubernetes/enhancements master at 1234".into()];
        assert!(a.same_facts(&b));
        b.tracking_repo = "me/fork".into();
        assert!(!a.same_facts(&b));
    }

    #[test]
    fn unknown_version_is_refused() {
        let e = Snapshot::from_json(
            &minimal().replace("\"schema_version\": 1", "\"schema_version\": 99"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("schema_version 99"), "{e}");
    }

    #[test]
    fn malformed_json_gives_line_and_column() {
        let e = Snapshot::from_json("{\n  \"schema_version\": 1,\n  oops\n}").unwrap_err();
        assert!(e.to_string().contains("line 3 column"), "{e}");
        let e = Snapshot::from_json(&minimal().replace("\"issues\": [], ", "")).unwrap_err();
        assert!(e.to_string().contains("missing field `issues`"), "{e}");
    }
}
