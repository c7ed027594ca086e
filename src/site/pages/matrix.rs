//! `/keps/`: the cross-release matrix, one row per KEP of interest and one
//! column per release.
//!
//! Which KEPs are of interest is [`crate::model::KepEntry::is_of_interest`];
//! this file does not decide it.

use super::rows::{KepRow, ReleaseLink, StageView};
use super::{Ctx, SiteCtx};
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
    /// One column per release, oldest first.
    pub columns: Vec<ReleaseLink>,
    /// KEPs of interest, by number.
    pub rows: Vec<MatrixRow>,
}

/// `/keps/`: the cross-release matrix.
pub fn page(c: &Ctx, site: SiteCtx) -> MatrixPage {
    let releases = c.releases();
    let rows = c
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
        site,
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
