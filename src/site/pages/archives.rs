//! `/archive/` (the list of frozen archives) and the pages with no data of
//! their own (`/404.html`).
//!
//! Not the archives' own pages: each archive is rendered like the live
//! site, below its prefix.

use super::SiteCtx;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ArchiveEntry {
    pub release: String,
    pub date: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct ArchivesPage {
    pub site: SiteCtx,
    pub title: String,
    pub archives: Vec<ArchiveEntry>,
}

#[derive(Debug, Serialize)]
pub struct SimplePage {
    pub site: SiteCtx,
    pub title: String,
}
