//! The static site: `kepboard build`.
//!
//! A pure function of a snapshot (plus frozen archives) and the templates:
//! [`pages`] computes what each page shows, tera lays it out ([`templates`]),
//! [`render`] decides which files the site has, [`output`] swaps the
//! finished site in. Nothing here reads the network or the clock; the only
//! time shown is the snapshot's own, so the same snapshot gives
//! byte-identical output.

pub mod chart;
pub mod export;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod render;
pub mod templates;
pub mod urls;

pub use render::render;
pub use templates::load_templates;

use crate::archive::{self, Archive};
use crate::snapshot::Snapshot;
use anyhow::{anyhow, Result};
use output::OutFile;
use std::path::PathBuf;
use tera::Tera;
use urls::Urls;

/// What `kepboard build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The snapshot of the live site.
    pub snapshot: PathBuf,
    /// The site's directory, replaced whole.
    pub out: PathBuf,
    /// `--base-url`: `/`, `/kepboard/` or an absolute URL.
    pub base_url: String,
    /// The directory of frozen archives (`v1.NN.json`).
    pub archives: PathBuf,
    /// A directory of templates to use instead of the built-in ones.
    pub templates: Option<PathBuf>,
}

/// What a build wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// HTML pages.
    pub pages: usize,
    /// All files.
    pub files: usize,
    /// Frozen archives rendered.
    pub archives: usize,
}

/// Builds the whole site and swaps it into `opts.out`.
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let snapshot = Snapshot::read(&opts.snapshot)?;
    let archives = archive::load_all(&opts.archives)?;
    let urls = Urls::new(&opts.base_url).map_err(|e| anyhow!(e))?;
    let tera = load_templates(opts.templates.as_deref())?;
    // Checks `--out` before any work; dropped (and removed) on any error.
    let staging = output::Staging::new(&opts.out)?;
    let written = render(&tera, &urls, &snapshot, &archives, &staging)?;
    staging.commit()?;
    Ok(Report {
        pages: written.pages,
        files: written.files,
        archives: archives.len(),
    })
}

/// What a rendering wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// HTML pages.
    pub pages: usize,
    /// All files.
    pub files: usize,
}

/// [`render`] into memory, files sorted by path.
pub fn render_to_vec(
    tera: &Tera,
    urls: &Urls,
    snapshot: &Snapshot,
    archives: &[Archive],
) -> Result<Vec<OutFile>> {
    let sink = std::sync::Mutex::new(Vec::new());
    render(tera, urls, snapshot, archives, &sink)?;
    let mut files = sink
        .into_inner()
        .map_err(|_| anyhow!("output collector poisoned"))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
