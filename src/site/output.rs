//! Writing the site: every file goes into a staging directory next to
//! `--out` as soon as it is rendered, and the staging directory replaces
//! the old site only when everything was written ([`Staging::commit`]).
//! A failed build drops the staging directory and leaves the previous site
//! as it was.

use crate::fsutil::parent_dir;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Marks a directory as kepboard output, so `build` never replaces a
/// directory it did not create (a mistyped `--out .`).
pub const MARKER: &str = ".kepboard-site";

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
        let dir = tempfile::Builder::new()
            .prefix(".kepboard-build-")
            .tempdir_in(parent)
            .with_context(|| format!("{}: cannot create a staging directory", parent.display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Moves the staged site into place, replacing the old one.
    pub fn commit(self) -> Result<()> {
        let root = self.dir.path();
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
                .prefix(".kepboard-old-")
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
