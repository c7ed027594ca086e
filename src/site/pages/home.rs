//! `/` (and an archive's overview): the cycle under way, its counts, its
//! KEPs, and the chart of KEPs per release by stage.
//!
//! Not the chart's drawing (that is [`crate::site::chart`]); this file
//! only counts what it shows.

use super::rows::{count_of, Count, KepRow};
use super::{At, Ctx, SiteCtx};
use crate::check;
use crate::domain::Stage;
use crate::site::chart::{self, Bar};
use crate::site::urls::{anchored, PagePath};
use serde::Serialize;

/// A count of the overview's "Targets" card: KEPs of the cycle with a
/// stage target, or with none.
#[derive(Debug, Serialize)]
pub struct TargetCount {
    /// The stage (its CSS class), `None` for "no new stage".
    pub stage: Option<&'static str>,
    /// `alpha target`, `no new stage`.
    pub label: String,
    /// How many KEPs of the cycle.
    pub count: usize,
}

/// The context of `index.html`.
#[derive(Debug, Serialize)]
pub struct HomePage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// The cycle under way (an archive's own release).
    pub current: Option<String>,
    /// The newest release out, and its date.
    pub latest_released: Option<String>,
    /// The date of `latest_released`.
    pub latest_released_date: Option<String>,
    /// `12 KEPs`: how many KEPs the cycle lists.
    pub kep_count: String,
    /// Targets of the cycle by stage; the cycle is not out, so they are
    /// targets, not stages.
    pub by_stage: Vec<TargetCount>,
    /// KEPs of the cycle by containerd tracking state (`open`, `closed`, `none`).
    pub by_tracking: Vec<Count>,
    /// Findings by kind, linked to their section of `/health/`.
    pub attention: Vec<Count>,
    /// The link to the chart's SVG.
    pub chart: String,
    /// The chart's series names, the columns of `chart_table`.
    pub chart_series: Vec<&'static str>,
    /// The chart's numbers, as a table.
    pub chart_table: Vec<Bar>,
    /// Every release page with its KEP count, newest first.
    pub releases: Vec<Count>,
    /// The KEPs of the cycle.
    pub rows: Vec<KepRow>,
}

/// The cycle's KEPs by the stage they target (the cycle is not out).
fn targets(rows: &[KepRow]) -> Vec<TargetCount> {
    let count = |s: Option<Stage>| {
        rows.iter()
            .filter(|r| r.stage.as_ref().filter(|v| v.target).map(|v| v.value) == s)
            .count()
    };
    let stages = [
        Stage::Alpha,
        Stage::Beta,
        Stage::Stable,
        Stage::Deprecated,
        Stage::Removed,
    ];
    let mut out: Vec<TargetCount> = stages
        .into_iter()
        .map(|s| (s, count(Some(s))))
        // Graduation stages always; the others only when a KEP targets them.
        .filter(|(s, n)| *n > 0 || Stage::GRADUATION.contains(s))
        .map(|(s, n)| TargetCount {
            stage: Some(s.as_str()),
            label: format!("{s} target"),
            count: n,
        })
        .collect();
    out.push(TargetCount {
        stage: None,
        label: "no new stage".into(),
        count: count(None),
    });
    out
}

/// The overview of the cycle under way (or of an archive's release).
pub fn page(c: &At, chart: &PagePath, bars: &[Bar]) -> HomePage {
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
    let by_tracking = count_by(&|r: &KepRow| r.tracking_state, &["open", "closed", "none"]);
    let health = c.link(&PagePath::health());
    let attention = check::Kind::ALL
        .iter()
        .filter(|kind| kind.needs_attention())
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
        site: c.site(),
        description: match current {
            Some(r) => format!(
                "containerd's work on Kubernetes SIG Node KEPs, Kubernetes {r} cycle: {}; containerd tracking issues: {}.",
                count_of(rows.len(), "KEP", "KEPs"),
                by_tracking
                    .iter()
                    .map(|t| format!("{} {}", t.count, t.label))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "containerd's work on Kubernetes SIG Node KEPs.".into(),
        },
        title: match current {
            Some(r) => format!("containerd × SIG Node KEPs — Kubernetes {r}"),
            None => "containerd × SIG Node KEPs".into(),
        },
        current: current.map(|r| r.to_string()),
        latest_released: latest.map(|r| r.to_string()),
        latest_released_date: latest
            .and_then(|r| c.model.calendar.date(r))
            .map(|d| d.to_string()),
        kep_count: count_of(rows.len(), "KEP", "KEPs"),
        by_stage: targets(&rows),
        by_tracking,
        attention,
        chart: c.root_link(chart),
        chart_series: chart::STAGE_COLOURS
            .iter()
            .map(|(s, _)| s.as_str())
            .collect(),
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
