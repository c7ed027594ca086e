//! `/` (and an archive's overview): the cycle under way, its counts, its
//! KEPs, and the chart of KEPs per release by stage.
//!
//! Not the chart's drawing (that is [`crate::site::chart`]); this file
//! only counts what it shows.

use super::rows::{count_of, Count, KepRow};
use super::{At, Ctx, Figure, SiteCtx};
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

/// The chart's name: `charts/keps-by-stage.svg`.
pub const CHART: &str = "keps-by-stage";

/// One release in the overview chart's table.
#[derive(Debug, Serialize)]
pub struct ChartRow {
    /// `v1.36`.
    pub release: String,
    /// Its page.
    pub url: String,
    /// KEPs by stage there, in [`chart::overview_series`] order.
    pub counts: Vec<u32>,
    /// KEPs its page lists: the bar's height.
    pub total: u32,
    /// `target` for a release not out yet: its counts are targets.
    pub note: Option<String>,
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
    /// The chart of KEPs per release by stage (the newest releases).
    pub chart: Figure,
    /// The chart's series names, the count columns of `chart_table`.
    pub chart_series: Vec<&'static str>,
    /// The chart's numbers for every release, newest first.
    pub chart_table: Vec<ChartRow>,
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
pub fn page(c: &At, bars: &[Bar]) -> HomePage {
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
        chart: figure(c, bars),
        chart_series: chart::overview_series().iter().map(|(s, _)| *s).collect(),
        chart_table: chart_table(c, bars),
        releases,
        rows,
    }
}

/// The chart's numbers for every release, newest first.
fn chart_table(c: &At, bars: &[Bar]) -> Vec<ChartRow> {
    c.releases()
        .into_iter()
        .zip(bars)
        .rev()
        .map(|(r, b)| ChartRow {
            release: b.label.clone(),
            url: c.link(&PagePath::release(r)),
            counts: b.counts.clone(),
            total: b.counts.iter().sum(),
            note: b.note.clone(),
        })
        .collect()
}

/// The bars the chart draws from (it shows the newest of them): up to the
/// cycle under way, not the next one. The table has them all.
pub fn drawn<'b>(c: &Ctx, bars: &'b [Bar]) -> &'b [Bar] {
    let end = c
        .current_release()
        .and_then(|r| c.releases().iter().position(|x| *x == r))
        .map_or(bars.len(), |i| i + 1);
    &bars[..end.min(bars.len())]
}

/// The overview chart's caption and alt text.
fn figure(c: &At, bars: &[Bar]) -> Figure {
    let bars = drawn(c, bars);
    let shown = |n: usize| {
        let b = chart::newest(bars, n);
        match (b.first(), b.last()) {
            (Some(a), Some(z)) => format!("{}–{}", a.label, z.label),
            _ => "none".into(),
        }
    };
    let targets: Vec<&str> = bars
        .iter()
        .filter(|b| b.note.is_some())
        .map(|b| b.label.as_str())
        .collect();
    let caption = format!(
        "KEPs on each Kubernetes release page by stage in that release, the newest releases ({}){}. Every release is in the table below.",
        shown(chart::WIDE.bars),
        match targets.as_slice() {
            [] => String::new(),
            t => format!("; {} not out yet: stages targeted", t.join(", ")),
        }
    );
    let alt = format!(
        "Stacked bar chart: KEPs per Kubernetes release, {} (on narrow screens {}), coloured by stage: {}. The table below has the numbers.",
        shown(chart::WIDE.bars),
        shown(chart::NARROW.bars),
        chart::overview_series().iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
    );
    c.figure(CHART, caption, alt)
}

/// Counts for the overview chart: per release, oldest first, the KEPs on
/// its page by stage in that release (targets, for the cycles not out
/// yet), then those with no graduation stage there.
pub fn chart_bars(c: &Ctx) -> Vec<Bar> {
    c.releases()
        .into_iter()
        .map(|r| {
            let n = Stage::GRADUATION.len();
            let mut counts = vec![0u32; n + 1];
            for k in c.release_keps(r) {
                let stage = c.model.stage_in(k, r).map(|s| s.stage);
                let i = stage.and_then(|s| Stage::GRADUATION.iter().position(|g| *g == s));
                counts[i.unwrap_or(n)] += 1;
            }
            Bar {
                label: r.to_string(),
                counts,
                note: (!c.model.calendar.is_out(r)).then(|| "target".into()),
            }
        })
        .collect()
}
