//! The static site: `kepboard build`.
//!
//! A pure function of a snapshot (plus frozen archives) and the templates,
//! in two steps, as Zola separates loading a site from rendering it:
//!
//! 1. [`load`] reads the snapshot and archives and builds each model and
//!    its findings once, into a [`SiteInput`];
//! 2. [`render()`] renders a [`SiteInput`]: [`pages`] computes what each
//!    page shows, tera lays it out ([`templates`]), [`mod@render`] decides which
//!    files the site has, and [`output`] swaps the finished site in.
//!
//! Only [`load`] sees the snapshot; pages see the model, domain and
//! declared types. Nothing here reads the network or the clock; the only
//! time shown is the snapshot's own, so the same snapshot gives
//! byte-identical output.

pub mod badge;
pub mod chart;
pub mod export;
pub mod icon;
pub mod load;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod render;
pub mod templates;
pub mod text;
pub mod urls;

pub use render::render;
pub use templates::{load_templates, Templates};

use crate::changes::ChangeLog;
use crate::check::{self, Finding};
use crate::domain::K8sRelease;
use crate::model::Model;
use anyhow::{anyhow, Result};
use output::OutFile;
use std::path::PathBuf;
use urls::Urls;

/// What `kepboard build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The snapshot of the live site.
    pub snapshot: PathBuf,
    /// The site's directory, replaced whole.
    pub out: PathBuf,
    /// `--site-url`: where the site is served, absolute
    /// (`https://containerd.github.io/kepboard`), for the sitemap, the
    /// feed and canonical links. Without it, there is no sitemap.
    pub site_url: Option<String>,
    /// The old `--base-url`: an absolute URL is the site URL, a path only
    /// (`/kepboard/`) only sets where the 404 page links to.
    pub base_url: Option<String>,
    /// The directory of frozen archives (`v1.NN.json`).
    pub archives: PathBuf,
    /// A directory of templates to use instead of the built-in ones of the
    /// same names (see [`load_templates`]).
    pub templates: Option<PathBuf>,
    /// The change log rendered as `/changes/` and the feed (see
    /// [`crate::changes`]); a missing file, or `None`, is no change recorded.
    pub changes: Option<PathBuf>,
    /// When the last refresh failed, if it did: the live pages say so.
    pub refresh_failed_at: Option<chrono::DateTime<chrono::Utc>>,
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

/// A model and its findings: what one rendering (the live site or one
/// archive) is made from, built once.
pub struct Built {
    /// The joined model.
    pub model: Model,
    /// `check::findings` of the model, all of them (an archive shows those
    /// about its release; see [`pages::Ctx::new`]).
    pub findings: Vec<Finding>,
}

impl Built {
    /// Runs the checks on `model`.
    pub fn new(model: Model) -> Built {
        let findings = check::findings(&model);
        Built { model, findings }
    }
}

/// Everything a build renders: the live site and the frozen archives.
pub struct SiteInput {
    /// The current snapshot's model.
    pub live: Built,
    /// Frozen archives, oldest release first, each rendered under
    /// `/archive/v1.NN/` and scoped to its release.
    pub archives: Vec<(K8sRelease, Built)>,
    /// What changed between refreshes: `/changes/` and the feed.
    pub changes: ChangeLog,
    /// When the refresh that should have replaced the live snapshot failed.
    pub refresh_failed_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl SiteInput {
    /// A site of `model` alone, without archives.
    pub fn live(model: Model) -> SiteInput {
        SiteInput {
            live: Built::new(model),
            archives: Vec::new(),
            changes: ChangeLog::default(),
            refresh_failed_at: None,
        }
    }
}

impl BuildOptions {
    /// The deployment's URLs, from `--site-url` (or the old `--base-url`).
    pub fn urls(&self) -> Result<Urls> {
        match (&self.site_url, &self.base_url) {
            (Some(u), _) => Urls::site_url(u),
            (None, Some(b)) => Urls::new(b),
            (None, None) => Ok(Urls::unknown()),
        }
        .map_err(|e| anyhow!(e))
    }
}

/// Builds the whole site and swaps it into `opts.out`: loads it
/// ([`load::load`]), then renders it ([`render()`]).
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let urls = opts.urls()?;
    let templates = load_templates(opts.templates.as_deref())?;
    let input = SiteInput {
        refresh_failed_at: opts.refresh_failed_at,
        ..load::load(&opts.snapshot, &opts.archives, opts.changes.as_deref())?
    };
    // Checks `--out` before any work; dropped (and removed) on any error.
    let staging = output::Staging::new(&opts.out)?;
    let written = render(&templates, &urls, &input, &staging)?;
    staging.commit()?;
    Ok(Report {
        pages: written.pages,
        files: written.files,
        archives: input.archives.len(),
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

/// [`render()`] into memory, files sorted by path.
pub fn render_to_vec(
    templates: &Templates,
    urls: &Urls,
    input: &SiteInput,
) -> Result<Vec<OutFile>> {
    let sink = std::sync::Mutex::new(Vec::new());
    render(templates, urls, input, &sink)?;
    let mut files = sink
        .into_inner()
        .map_err(|_| anyhow!("output collector poisoned"))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
