//! `/keps/` and `/keps/all/`: the cross-release matrix, one row per KEP
//! and one column per release, newest release first.
//!
//! `/keps/` is what matters now: the releases of [`recent_releases`] and
//! the KEPs active in them ([`is_active`]). `/keps/all/` is the full
//! history: every KEP of interest, every release. Which KEPs are of
//! interest is [`crate::model::KepEntry::is_of_interest`], and which KEPs
//! a release lists is [`crate::model::Model::lists`]; this file decides
//! neither.

use super::rows::{count_of, KepRow, ReleaseLink, StageView};
use super::{At, SiteCtx};
use crate::domain::K8sRelease;
use crate::model::KepEntry;
use crate::site::urls::PagePath;
use serde::Serialize;

/// How many released minors `/keps/` shows besides the cycle under way
/// and the next.
pub const RECENT_RELEASED: usize = 4;

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
    /// What the page shows and how many rows, in words.
    pub scope: String,
    /// The other view: to `/keps/all/` from `/keps/` and back; `None` in
    /// an archive, whose `/keps/` is all of it.
    pub other: Option<ReleaseLink>,
    /// One column per release, newest first.
    pub columns: Vec<ReleaseLink>,
    /// The KEPs, by number.
    pub rows: Vec<MatrixRow>,
}

/// The releases `/keps/` shows, newest first: the next cycle, the cycle
/// under way and the [`RECENT_RELEASED`] newest released minors, of those
/// that have a page. An archive's one release.
pub fn recent_releases(c: &At) -> Vec<K8sRelease> {
    let all = c.releases();
    let newest_out = all.iter().rposition(|r| c.model.calendar.is_out(*r));
    let start = match (c.scope, newest_out) {
        (Some(_), _) => 0,
        (None, Some(i)) => i.saturating_sub(RECENT_RELEASED - 1),
        (None, None) => all.len().saturating_sub(RECENT_RELEASED + 2),
    };
    all[start..].iter().rev().copied().collect()
}

/// Whether `k` is active in `releases`: one of their pages lists it (it
/// reached a stage, has a target, or its tracking issue names one of
/// them), or one of its containerd tracking issues is open.
pub fn is_active(c: &At, k: &KepEntry, releases: &[K8sRelease]) -> bool {
    releases.iter().any(|r| c.model.lists(k, *r))
        || c.model
            .containerd_tracking(k)
            .0
            .iter()
            .any(|i| i.state == crate::github::State::Open)
}

/// `/keps/`: the KEPs active in the recent releases.
pub fn recent(c: &At) -> MatrixPage {
    let releases = recent_releases(c);
    let keps: Vec<&KepEntry> = c
        .matrix_keps()
        .into_iter()
        .filter(|k| is_active(c, k, &releases))
        .collect();
    let all = c.matrix_keps().len();
    let span = match (releases.last(), releases.first()) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => "no release".into(),
    };
    let scope = match c.scope {
        Some(_) => format!(
            "{} of Kubernetes {span}, the release this archive is about.",
            count_of(keps.len(), "KEP", "KEPs")
        ),
        None => format!(
            "{} of {all} active in Kubernetes {span}: reaching a stage or targeted there, named by a tracking issue for one of them, or with an open containerd tracking issue. Newest release first.",
            count_of(keps.len(), "KEP", "KEPs"),
        ),
    };
    let other = c.scope.is_none().then(|| ReleaseLink {
        label: format!("Full history: all {all} KEPs, every release"),
        url: c.link(&PagePath::matrix_all()),
    });
    page(
        c,
        "KEPs across Kubernetes releases",
        scope,
        other,
        &releases,
        keps,
    )
}

/// `/keps/all/`: every KEP of interest in every release.
pub fn all(c: &At) -> MatrixPage {
    let releases: Vec<K8sRelease> = c.releases().into_iter().rev().collect();
    let keps = c.matrix_keps();
    let n = keps.len();
    let recent = recent_releases(c);
    let scope = format!(
        "All {} (owned by SIG Node or tracked in containerd) in {}, newest release first.",
        count_of(n, "KEP", "KEPs"),
        count_of(releases.len(), "Kubernetes release", "Kubernetes releases"),
    );
    let other = Some(ReleaseLink {
        label: format!(
            "Recent: the KEPs active in the last {} releases",
            recent.len()
        ),
        url: c.link(&PagePath::matrix()),
    });
    page(
        c,
        "KEPs across Kubernetes releases: full history",
        scope,
        other,
        &releases,
        keps,
    )
}

fn page(
    c: &At,
    title: &str,
    scope: String,
    other: Option<ReleaseLink>,
    releases: &[K8sRelease],
    keps: Vec<&KepEntry>,
) -> MatrixPage {
    let rows: Vec<MatrixRow> = keps
        .into_iter()
        .map(|k| MatrixRow {
            kep: c.kep_row(k, None),
            cells: releases
                .iter()
                .map(|r| c.model.stage_in(k, *r).map(|s| StageView::new(&s, k)))
                .collect(),
        })
        .collect();
    let mut site = c.site();
    // The filter script, where there are rows to filter.
    site.script = (!rows.is_empty()).then(|| c.root_link(&PagePath::script()));
    MatrixPage {
        site,
        description: format!(
            "{} across {}: the stage of each in each release.",
            count_of(rows.len(), "KEP", "KEPs"),
            count_of(releases.len(), "Kubernetes release", "Kubernetes releases")
        ),
        title: title.into(),
        scope,
        other,
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
