//! `/` (and an archive's overview): the cycle under way, its counts, its
//! KEPs, and the chart of KEPs per release by stage.
//!
//! Not the chart's drawing (that is [`crate::site::chart`]); this file
//! only counts what it shows.

use super::rows::{Count, KepRow};
use super::{Ctx, SiteCtx};
use crate::check;
use crate::domain::Stage;
use crate::site::chart::Bar;
use crate::site::urls::{anchored, PagePath};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct HomePage {
    pub site: SiteCtx,
    pub title: String,
    pub current: Option<String>,
    /// The newest release out, and its date.
    pub latest_released: Option<String>,
    pub latest_released_date: Option<String>,
    pub by_stage: Vec<Count>,
    pub by_tracking: Vec<Count>,
    pub attention: Vec<Count>,
    pub chart: String,
    /// The chart's numbers, as a table.
    pub chart_table: Vec<Bar>,
    pub releases: Vec<Count>,
    pub rows: Vec<KepRow>,
}

pub fn page(c: &Ctx, site: SiteCtx, chart: String, bars: &[Bar]) -> HomePage {
    let current = c.current_release();
    // An archive's overview is about its own release, not the calendar.
    let latest = match c.scope {
        None => c.model.calendar.latest_released(),
        Some(_) => None,
    };
    let rows: Vec<KepRow> = current.map(|r| c.release_rows(r)).unwrap_or_default();
    let count_by = |f: &dyn Fn(&KepRow) -> &str, order: &[&str]| -> Vec<Count> {
        order
            .iter()
            .map(|label| Count {
                label: label.to_string(),
                count: rows.iter().filter(|r| f(r) == *label).count(),
                url: None,
            })
            .collect()
    };
    // The cycle under way is not out: what counts there are targets. A
    // count with a URL (to the release page) is a stage.
    let release_url = current.map(|r| c.link(&PagePath::release(r)));
    let mut by_stage = count_by(
        &|r: &KepRow| match &r.stage {
            Some(s) if s.target => s.stage,
            _ => "no new stage",
        },
        &[
            "alpha",
            "beta",
            "stable",
            "deprecated",
            "removed",
            "no new stage",
        ],
    );
    by_stage.retain(|s| s.count > 0 || !matches!(s.label.as_str(), "deprecated" | "removed"));
    for s in by_stage.iter_mut().filter(|s| s.label != "no new stage") {
        s.url = release_url.clone();
    }
    let by_tracking = count_by(&|r: &KepRow| r.tracking_state, &["open", "closed", "none"]);
    let health = c.link(&PagePath::health());
    let attention = check::Kind::ALL
        .iter()
        .filter_map(|kind| {
            let n = c.findings.iter().filter(|f| f.kind == *kind).count();
            (n > 0).then(|| Count {
                label: kind.title().into(),
                count: n,
                url: Some(anchored(&health, kind.slug())),
            })
        })
        .collect();
    let releases = c
        .releases()
        .into_iter()
        .rev()
        .map(|r| Count {
            label: r.to_string(),
            count: c.release_keps(r).len(),
            url: Some(c.link(&PagePath::release(r))),
        })
        .collect();
    HomePage {
        site,
        title: match current {
            Some(r) => format!("containerd × SIG Node KEPs — Kubernetes {r}"),
            None => "containerd × SIG Node KEPs".into(),
        },
        current: current.map(|r| r.to_string()),
        latest_released: latest.map(|r| r.to_string()),
        latest_released_date: latest
            .and_then(|r| c.model.calendar.date(r))
            .map(|d| d.to_string()),
        by_stage,
        by_tracking,
        attention,
        chart,
        chart_table: bars.iter().rev().cloned().collect(),
        releases,
        rows,
    }
}

/// Counts for the overview chart: per release, KEPs on its page by stage
/// in that release (targets, for the cycles not out yet).
pub fn chart_bars(c: &Ctx) -> Vec<Bar> {
    c.releases()
        .into_iter()
        .map(|r| {
            let mut counts = vec![0u32; 3];
            for k in c.release_keps(r) {
                let stage = c.model.stage_in(k, r).map(|s| s.stage);
                if let Some(i) = stage.and_then(|s| Stage::GRADUATION.iter().position(|g| *g == s))
                {
                    counts[i] += 1;
                }
            }
            let label = match c.model.calendar.is_out(r) {
                true => r.to_string(),
                false => format!("{r} (targets)"),
            };
            Bar { label, counts }
        })
        .collect()
}
