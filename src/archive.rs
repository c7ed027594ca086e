//! Frozen per-release archives: `kepboard archive v1.NN` (or `record`, on
//! the first snapshot after a release) copies the live snapshot to
//! `archive/v1.NN.json` in the data directory; `build` renders each one
//! under `/archive/v1.NN/`. Archives are never rewritten by a build, and
//! only replaced by `archive --force`.

use crate::domain::K8sRelease;
use crate::snapshot::Snapshot;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// One archive read back for a build.
pub struct Archive {
    /// The Kubernetes release it freezes.
    pub release: K8sRelease,
    /// The archive file (`v1.NN.json`).
    pub path: PathBuf,
    /// The snapshot as frozen.
    pub snapshot: Snapshot,
}

/// The file of the archive for `release` in `dir`.
pub fn path_for(dir: &Path, release: K8sRelease) -> PathBuf {
    dir.join(format!("{}.json", release.slug()))
}

/// What `freeze` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Frozen {
    /// A new archive was written here.
    Created(PathBuf),
    /// An existing archive was replaced (`--force`).
    Replaced(PathBuf),
}

/// Freezes the snapshot at `snapshot` as the archive of `release`. Refuses
/// a release that is not a released Kubernetes minor in that snapshot
/// (`v2.0`, `v1.99`, the cycle under way), and to replace an existing
/// archive unless `force`.
pub fn freeze(snapshot: &Path, dir: &Path, release: K8sRelease, force: bool) -> Result<Frozen> {
    // Read and validate first: never archive something a build cannot read.
    let snap = Snapshot::read(snapshot)?;
    freeze_snapshot(&snap, snapshot, dir, release, force)
}

/// [`freeze`] of a snapshot already read from `name`.
pub fn freeze_snapshot(
    snap: &Snapshot,
    name: &Path,
    dir: &Path,
    release: K8sRelease,
    force: bool,
) -> Result<Frozen> {
    let snapshot = name;
    let calendar = crate::calendar::Calendar::from_snapshot(snap);
    if !calendar.is_out(release) {
        let newest = calendar
            .latest_released()
            .map(|r| format!("the newest released minor in it is {r}"))
            .unwrap_or_else(|| "it has no Kubernetes release dates".into());
        bail!(
            "{}: {release} is not a released Kubernetes minor in this snapshot ({newest}); an archive freezes a release that is out",
            snapshot.display()
        );
    }
    let target = path_for(dir, release);
    let existed = target.exists();
    if existed && !force {
        bail!(
            "{}: an archive for {release} already exists; it was left unchanged (use --force to replace it)",
            target.display()
        );
    }
    snap.write(&target)?;
    Ok(if existed {
        Frozen::Replaced(target)
    } else {
        Frozen::Created(target)
    })
}

/// Reads every `v1.NN.json` in `dir`, oldest release first. A missing
/// directory means no archives; an unreadable archive is an error naming it.
pub fn load_all(dir: &Path) -> Result<Vec<Archive>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read archive directory", dir.display()))?;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("{}: cannot read archive directory", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        let Some(release) = K8sRelease::parse(stem).filter(|r| r.slug() == stem) else {
            bail!(
                "{}: archive files are named like v1.36.json",
                path.display()
            );
        };
        let snapshot = Snapshot::read(&path)?;
        out.push(Archive {
            release,
            path,
            snapshot,
        });
    }
    out.sort_by_key(|a| a.release);
    Ok(out)
}
