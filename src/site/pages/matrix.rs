//! `/keps/`: the cross-release matrix, one row per KEP of interest and one
//! column per release.
//!
//! Which KEPs are of interest is [`crate::model::KepEntry::is_of_interest`];
//! this file does not decide it.

use super::rows::{KepRow, ReleaseLink, StageView};
use super::{Ctx, SiteCtx};
use crate::site::urls::PagePath;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct MatrixRow {
    pub kep: KepRow,
    /// One cell per column: the stage, or `None`.
    pub cells: Vec<Option<StageView>>,
}

#[derive(Debug, Serialize)]
pub struct MatrixPage {
    pub site: SiteCtx,
    pub title: String,
    pub columns: Vec<ReleaseLink>,
    pub rows: Vec<MatrixRow>,
}

pub fn page(c: &Ctx, site: SiteCtx) -> MatrixPage {
    let releases = c.releases();
    let rows = c
        .matrix_keps()
        .into_iter()
        .map(|k| MatrixRow {
            kep: c.kep_row(k, None),
            cells: releases
                .iter()
                .map(|r| c.model.stage_in(k, *r).as_ref().map(StageView::new))
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
