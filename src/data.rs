//! The data directory: the deployment's memory between runs.
//!
//! A checkout of the data branch (`kepboard-data`) holding the live
//! snapshot, its change log and the frozen archives, in a fixed layout
//! ([`DataDir`]). `kepboard record` moves a freshly fetched snapshot into
//! it, and only when the facts changed, so the branch's history is the
//! record of what changed and when; it also freezes the archive of a
//! Kubernetes release the first time a snapshot shows it out.
//!
//! Not git: committing and pushing the branch is the workflow's script
//! (`.github/scripts/publish`), so that building and fetching never hold
//! a token that can write.

use crate::archive::{self, Frozen};
use crate::calendar::Calendar;
use crate::domain::K8sRelease;
use crate::snapshot::Snapshot;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// The layout of a data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The data directory at `root`.
    pub fn new(root: PathBuf) -> DataDir {
        DataDir { root }
    }
    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// The live snapshot: `snapshot.json`.
    pub fn snapshot(&self) -> PathBuf {
        self.root.join("snapshot.json")
    }
    /// The change log: `changes.json`.
    pub fn changes(&self) -> PathBuf {
        self.root.join("changes.json")
    }
    /// The frozen archives: `archive/v1.NN.json`.
    pub fn archives(&self) -> PathBuf {
        self.root.join("archive")
    }
}

/// What [`record`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The facts differed from the live snapshot's (or there was none), so
    /// the new snapshot replaced it.
    pub replaced: bool,
    /// The time of the live snapshot that was kept or replaced.
    pub previous: Option<chrono::DateTime<chrono::Utc>>,
    /// Changes added to the change log.
    pub changes: usize,
    /// The archive frozen by this run.
    pub archived: Option<K8sRelease>,
}

/// Records a fetched snapshot in the data directory: replaces the live
/// snapshot when the facts changed (a new time alone is no change), logs
/// what changed, and freezes the archive of a release this snapshot is
/// the first to show out.
pub fn record(data: &DataDir, fetched: &Snapshot) -> Result<Recorded> {
    let path = data.snapshot();
    let previous = if path.exists() {
        Some(Snapshot::read(&path)?)
    } else {
        None
    };
    let mut done = Recorded {
        previous: previous.as_ref().map(|p| p.generated_at),
        ..Recorded::default()
    };
    if previous.as_ref().is_some_and(|p| p.same_facts(fetched)) {
        return Ok(done);
    }
    done.changes = crate::changes::record(previous.as_ref(), fetched, &data.changes())?;
    fetched.write(&path)?;
    done.replaced = true;
    if let Some(release) = newly_out(previous.as_ref(), fetched) {
        if !archive::path_for(&data.archives(), release).exists() {
            match archive::freeze_snapshot(fetched, &path, &data.archives(), release, false)? {
                Frozen::Created(_) => done.archived = Some(release),
                Frozen::Replaced(_) => unreachable!("freeze without force never replaces"),
            }
        }
    }
    Ok(done)
}

/// The newest released minor in `now`, if the previous recorded snapshot
/// did not show it out yet: `now` is then the first snapshot after its
/// `.0`. On a first run (no previous snapshot) nothing is: a release
/// months old would otherwise be frozen as if it were new (`kepboard
/// archive` freezes one by hand).
fn newly_out(previous: Option<&Snapshot>, now: &Snapshot) -> Option<K8sRelease> {
    let release = Calendar::from_snapshot(now).latest_released()?;
    let before = Calendar::from_snapshot(previous?);
    (!before.is_out(release)).then_some(release)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(releases: &[(&str, &str)], at: &str) -> Snapshot {
        let rels: Vec<serde_json::Value> = releases
            .iter()
            .map(|(tag, date)| serde_json::json!({"tag_name": tag, "published_at": date}))
            .collect();
        Snapshot::from_json(
            &serde_json::json!({
                "schema_version": crate::snapshot::SCHEMA_VERSION,
                "generated_at": at,
                "source": {"kind": "fetch"},
                "tracking_repo": "containerd/containerd",
                "issues": [], "keps": [],
                "kubernetes_releases": rels,
            })
            .to_string(),
        )
        .unwrap()
    }

    const V36: (&str, &str) = ("v1.36.0", "2026-04-22T17:00:00Z");
    const V37: (&str, &str) = ("v1.37.0", "2026-08-26T17:00:00Z");

    #[test]
    fn a_new_time_alone_is_no_change_and_a_release_is_frozen_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path().join("data"));
        // First run: recorded, nothing frozen (v1.36 is not new to anyone).
        let first = record(&data, &snapshot(&[V36], "2026-08-01T00:00:00Z")).unwrap();
        assert!(first.replaced && first.archived.is_none() && first.previous.is_none());
        let bytes = std::fs::read(data.snapshot()).unwrap();
        // Same facts, later: the live snapshot is left as it was.
        let same = record(&data, &snapshot(&[V36], "2026-08-02T00:00:00Z")).unwrap();
        assert!(!same.replaced, "{same:?}");
        assert_eq!(std::fs::read(data.snapshot()).unwrap(), bytes);
        // v1.37 is out: recorded and frozen, once.
        let out = record(&data, &snapshot(&[V36, V37], "2026-08-27T00:00:00Z")).unwrap();
        assert_eq!(out.archived, Some(K8sRelease::new(1, 37)));
        let frozen = std::fs::read(archive::path_for(&data.archives(), K8sRelease::new(1, 37)));
        let mut later = snapshot(&[V36, V37], "2026-08-28T00:00:00Z");
        later.tracking_repo = "containerd/other".into();
        let again = record(&data, &later).unwrap();
        assert!(again.replaced && again.archived.is_none(), "{again:?}");
        assert_eq!(
            std::fs::read(archive::path_for(&data.archives(), K8sRelease::new(1, 37))).unwrap(),
            frozen.unwrap()
        );
        assert_eq!(std::fs::read_dir(data.archives()).unwrap().count(), 1);
    }

    #[test]
    fn an_unreadable_live_snapshot_is_an_error_naming_it_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path().to_path_buf());
        std::fs::write(data.snapshot(), "{ not json").unwrap();
        let e = format!(
            "{:#}",
            record(&data, &snapshot(&[V36], "2026-08-01T00:00:00Z")).unwrap_err()
        );
        assert!(e.contains("snapshot.json"), "{e}");
        assert_eq!(
            std::fs::read_to_string(data.snapshot()).unwrap(),
            "{ not json"
        );
    }
}
