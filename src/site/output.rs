//! Writing the site: every file goes into a staging directory next to
//! `--out` as soon as it is rendered, and the staging directory replaces
//! the old site only when everything was written ([`Staging::commit`]).
//! A failed build drops the staging directory and leaves the previous site
//! as it was. A build that was killed (a cancelled runner, Ctrl-C) leaves
//! its staging directory behind; the next build into the same `--out`
//! removes it, recognising it by the note kepboard wrote in it (its process
//! and `--out`), and never removes anything else.

use crate::fsutil::parent_dir;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Marks a directory as kepboard output, so `build` never replaces a
/// directory it did not create (a mistyped `--out .`).
pub const MARKER: &str = ".kepboard-site";

/// The note in a staging directory: which process stages which `--out`.
const STAGING_NOTE: &str = ".kepboard-staging";
/// Prefixes of the directories [`Staging`] creates beside `--out`.
const STAGING_PREFIX: &str = ".kepboard-build-";
const OLD_PREFIX: &str = ".kepboard-old-";

/// One output file: path relative to the site root, and its bytes.
pub struct OutFile {
    /// Path relative to the site root, `/`-separated: `kep/127/index.html`.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Where rendered files go. Shared by the parallel renderers.
pub trait Sink: Sync {
    /// Writes `file` (called from several threads).
    fn put(&self, file: OutFile) -> Result<()>;
}

/// Collects files in memory (tests, benchmarks).
impl Sink for Mutex<Vec<OutFile>> {
    fn put(&self, file: OutFile) -> Result<()> {
        self.lock()
            .map_err(|_| anyhow::anyhow!("output collector poisoned"))?
            .push(file);
        Ok(())
    }
}

/// A directory being filled with the next version of the site.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Checks that `out` may be replaced and creates the staging directory
    /// beside it.
    pub fn new(out: &Path) -> Result<Staging> {
        if out.exists() {
            if !out.is_dir() {
                bail!("{}: exists and is not a directory", out.display());
            }
            let empty = std::fs::read_dir(out)
                .with_context(|| format!("{}: cannot read", out.display()))?
                .next()
                .is_none();
            if !empty && !out.join(MARKER).exists() {
                bail!(
                    "{}: not empty and not a kepboard site (no {MARKER} file); refusing to replace it",
                    out.display()
                );
            }
        }
        let parent = parent_dir(out);
        std::fs::create_dir_all(parent)
            .with_context(|| format!("{}: cannot create", parent.display()))?;
        remove_stale(parent, out);
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(parent)
            .with_context(|| format!("{}: cannot create a staging directory", parent.display()))?;
        std::fs::write(dir.path().join(STAGING_NOTE), note(out))
            .with_context(|| format!("{}: cannot write", dir.path().display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Moves the staged site into place, replacing the old one.
    pub fn commit(self) -> Result<()> {
        let root = self.dir.path();
        std::fs::remove_file(root.join(STAGING_NOTE)).context("removing the staging note")?;
        std::fs::write(
            root.join(MARKER),
            b"Built by kepboard; replaced whole on every build.\n",
        )
        .context("writing the site marker")?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Staging directories are created private; a site is meant to be read.
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755))
                .with_context(|| format!("{}: cannot set permissions", root.display()))?;
        }
        let out = &self.out;
        let parent = parent_dir(out);
        let staged = self.dir.keep();
        if out.exists() {
            let old = tempfile::Builder::new()
                .prefix(OLD_PREFIX)
                .tempdir_in(parent)
                .with_context(|| {
                    format!(
                        "{}: cannot create a directory for the old site",
                        parent.display()
                    )
                })?
                .keep();
            // `old` exists (empty); rename over an empty directory is allowed.
            std::fs::rename(out, &old)
                .with_context(|| format!("{}: cannot move the old site aside", out.display()))?;
            if let Err(e) = std::fs::rename(&staged, out) {
                // Put the old site back before reporting.
                let _ = std::fs::rename(&old, out);
                let _ = std::fs::remove_dir_all(&staged);
                return Err(e)
                    .with_context(|| format!("{}: cannot move the new site in", out.display()));
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&staged, out)
                .with_context(|| format!("{}: cannot move the new site in", out.display()))?;
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, f: OutFile) -> Result<()> {
        let p = self.dir.path().join(&f.path);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create", dir.display()))?;
        }
        std::fs::write(&p, &f.bytes).with_context(|| format!("{}: cannot write", p.display()))
    }
}

/// The staging note for `out`: this process and the output it stages.
fn note(out: &Path) -> String {
    format!(
        "pid {}\nout {}\n",
        std::process::id(),
        absolute(out).display()
    )
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Removes what killed builds into `out` left beside it: staging
/// directories whose note names `out` and a process that is gone, and old
/// sites set aside (they hold the site marker) more than an hour ago.
/// Anything else, and anything it cannot read, stays.
fn remove_stale(parent: &Path, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let ours = format!("out {}", absolute(out).display());
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        let stale = if name.starts_with(STAGING_PREFIX) {
            std::fs::read_to_string(path.join(STAGING_NOTE))
                .is_ok_and(|n| n.lines().any(|l| l == ours) && !process_alive(&n, &path))
        } else if name.starts_with(OLD_PREFIX) {
            path.join(MARKER).exists() && older_than(&path, std::time::Duration::from_secs(3600))
        } else {
            false
        };
        if stale && path.is_dir() {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether the process a staging note names is still running. Where that
/// cannot be known (no `/proc`), a note younger than a day counts as alive.
fn process_alive(note: &str, dir: &Path) -> bool {
    let pid = note
        .lines()
        .find_map(|l| l.strip_prefix("pid "))
        .and_then(|p| p.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => {
            Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => !older_than(
            &dir.join(STAGING_NOTE),
            std::time::Duration::from_secs(86_400),
        ),
    }
}

fn older_than(path: &Path, age: std::time::Duration) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|e| e > age)
}

/// Replaces `out` with a directory holding exactly `files`.
pub fn replace_dir(out: &Path, files: Vec<OutFile>) -> Result<()> {
    let staging = Staging::new(out)?;
    for f in files {
        staging.put(f)?;
    }
    staging.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_whole_site_and_refuses_foreign_directories() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        replace_dir(&out, vec![file("a/index.html", "1"), file("old.html", "x")]).unwrap();
        replace_dir(&out, vec![file("a/index.html", "2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "2"
        );
        assert!(!out.join("old.html").exists());
        // Nothing left behind next to it but the site itself.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        let foreign = dir.path().join("src");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("main.rs"), "fn main() {}").unwrap();
        let e = replace_dir(&foreign, vec![file("index.html", "x")]).unwrap_err();
        assert!(e.to_string().contains("refusing"), "{e}");
        assert!(foreign.join("main.rs").exists());
    }

    #[test]
    fn a_killed_builds_staging_directory_is_removed_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stale = |name: &str, note: &str| {
            let d = dir.path().join(name);
            std::fs::create_dir(&d).unwrap();
            std::fs::write(d.join("index.html"), "half").unwrap();
            if !note.is_empty() {
                std::fs::write(d.join(STAGING_NOTE), note).unwrap();
            }
            d
        };
        let ours = format!("out {}", absolute(&out).display());
        // A process id above Linux's maximum: no such process.
        let killed = stale(".kepboard-build-killed", &format!("pid 99999999\n{ours}\n"));
        let running = stale(
            ".kepboard-build-running",
            &format!("pid {}\n{ours}\n", std::process::id()),
        );
        let other_out = stale(
            ".kepboard-build-other",
            "pid 99999999\nout /elsewhere/public\n",
        );
        let no_note = stale(".kepboard-build-unknown", "");
        let unrelated = stale("notes", "");
        replace_dir(&out, vec![file("index.html", "new")]).unwrap();
        assert!(!killed.exists());
        for kept in [&running, &other_out, &no_note, &unrelated] {
            assert!(kept.exists(), "{}", kept.display());
        }
        // The staging note does not end up in the site.
        assert!(!out.join(STAGING_NOTE).exists());
    }

    #[test]
    fn an_uncommitted_staging_directory_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        replace_dir(&out, vec![file("index.html", "old")]).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.put(file("index.html", "new")).unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
