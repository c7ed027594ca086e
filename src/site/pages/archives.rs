//! `/archive/` (the list of frozen archives) and the pages with no data of
//! their own (`/404.html`).
//!
//! Not the archives' own pages: each archive is rendered like the live
//! site, below its prefix.

use super::SiteCtx;
use serde::Serialize;

/// One frozen archive on `/archive/`.
#[derive(Debug, Serialize)]
pub struct ArchiveEntry {
    /// The Kubernetes release it froze: `v1.35`.
    pub release: String,
    /// When it was frozen (the archived data's date).
    pub date: String,
    /// Its overview.
    pub url: String,
}

/// The context of `archives.html`.
#[derive(Debug, Serialize)]
pub struct ArchivesPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// Archives, newest release first.
    pub archives: Vec<ArchiveEntry>,
}

/// The context of a page with no data of its own (`404.html`).
#[derive(Debug, Serialize)]
pub struct SimplePage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
}
