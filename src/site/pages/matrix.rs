//! `/keps/`: the cross-release matrix, one row per KEP of interest and one
//! column per release.
//!
//! Which KEPs are of interest is [`crate::model::KepEntry::is_of_interest`];
//! this file does not decide it.

use super::rows::{count_of, KepRow, ReleaseLink, StageView};
use super::{At, SiteCtx};
use crate::site::urls::PagePath;
use serde::Serialize;

/// One KEP of the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow {
    /// The KEP.
    pub kep: KepRow,
    /// One cell per column: the stage, or `None`.
    pub cells: Vec<Option<StageView>>,
}

/// The context of `keps.html`.
#[derive(Debug, Serialize)]
pub struct MatrixPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// One column per release, oldest first.
    pub columns: Vec<ReleaseLink>,
    /// KEPs of interest, by number.
    pub rows: Vec<MatrixRow>,
}

/// `/keps/`: the cross-release matrix.
pub fn page(c: &At) -> MatrixPage {
    let releases = c.releases();
    let rows: Vec<MatrixRow> = c
        .matrix_keps()
        .into_iter()
        .map(|k| MatrixRow {
            kep: c.kep_row(k, None),
            cells: releases
                .iter()
                .map(|r| c.model.stage_in(k, *r).map(|s| StageView::new(&s, k)))
                .collect(),
        })
        .collect();
    MatrixPage {
        site: c.site(),
        description: format!(
            "{} across {}: the stage of each in each release.",
            count_of(rows.len(), "KEP", "KEPs"),
            count_of(releases.len(), "Kubernetes release", "Kubernetes releases")
        ),
        title: "KEPs across Kubernetes releases".into(),
        columns: releases
            .iter()
            .map(|r| ReleaseLink {
                label: r.to_string(),
                url: c.link(&PagePath::release(*r)),
            })
            .collect(),
        rows,
    }
}
