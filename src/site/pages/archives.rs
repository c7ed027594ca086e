//! `/archive/` (the list of frozen archives) and the pages with no data of
//! their own (`/404.html`).
//!
//! Not the archives' own pages: each archive is rendered like the live
//! site, below its prefix.

use super::rows::count_of;
use super::{At, SiteCtx};
use crate::domain::K8sRelease;
use crate::site::urls::PagePath;
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
    /// The page's summary (`<meta name="description">`).
    pub description: String,
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
    /// The page's summary (`<meta name="description">`).
    pub description: String,
}

/// `/archive/`: the frozen archives (release, date), newest first.
pub fn list(c: &At, archives: Vec<(K8sRelease, String)>) -> ArchivesPage {
    ArchivesPage {
        site: c.site(),
        title: "Archives".into(),
        description: format!(
            "{} of the Kubernetes release cycles, as the cycle ended.",
            count_of(archives.len(), "frozen snapshot", "frozen snapshots")
        ),
        archives: archives
            .into_iter()
            .map(|(r, date)| ArchiveEntry {
                release: r.to_string(),
                date,
                url: c.link(&PagePath::archive(r)),
            })
            .collect(),
    }
}

/// `/404.html`.
pub fn not_found(c: &At) -> SimplePage {
    SimplePage {
        site: c.site(),
        title: "Page not found".into(),
        description: "There is no page at this address.".into(),
    }
}
