//! View models of the containerd axis: `/containerd/` (release lines, the
//! Kubernetes support matrix, the lag chart) and `/containerd/vX.Y/` (what a
//! containerd minor line shipped, by Kubernetes release and stage).
//! The shipping rules themselves live in `crate::shipping`.

use super::rows::{count_of, KepLink, PullRef, NONE};
use super::{At, Ctx, Figure, SiteCtx};
use crate::domain::{ContainerdLine, ContainerdVersion, K8sRelease, Stage};
use crate::model::{ContainerdRelease, KepEntry, MilestoneState};
use crate::site::urls::PagePath;
use serde::Serialize;
use std::collections::BTreeMap;

/// A containerd minor line and its dates.
#[derive(Debug, Serialize)]
pub struct Line {
    /// `v2.2`.
    pub line: String,
    /// The line's page.
    pub url: String,
    /// Its first `.0` prerelease.
    pub first_prerelease: Option<Dated>,
    /// Its `.0` release.
    pub first_release: Option<Dated>,
    /// Its latest final release.
    pub latest: Option<Dated>,
    /// KEP stages whose runtime side this line shipped.
    pub kep_work: usize,
}

/// A containerd release and its date.
#[derive(Debug, Clone, Serialize)]
pub struct Dated {
    /// `v2.2.0`.
    pub version: String,
    /// `2025-11-06`, or empty when the data has no date.
    pub date: String,
}

/// One row of the support matrix.
#[derive(Debug, Serialize)]
pub struct SupportRowView {
    /// The Kubernetes release.
    pub k8s: String,
    /// Its release page, when the site has one.
    pub url: Option<String>,
    /// Recommended containerd versions as written (`2.1.0+`).
    pub containerd: Vec<String>,
    /// The CRI version as written.
    pub cri: String,
}

/// One KEP stage's lag from Kubernetes to containerd.
#[derive(Debug, Serialize)]
pub struct LagRow {
    /// The KEP.
    pub kep: KepLink,
    /// The stage.
    pub stage: &'static str,
    /// The Kubernetes release that shipped the stage.
    pub k8s: String,
    /// Its date.
    pub k8s_date: String,
    /// The containerd release that shipped the runtime side.
    pub containerd: String,
    /// Its date.
    pub containerd_date: String,
    /// Days from the Kubernetes to the containerd release (negative: containerd first).
    pub days: i64,
}

/// The lag chart's name: `charts/containerd-lag.svg`.
pub const LAG_CHART: &str = "containerd-lag";

/// The lag chart's SVG title (its caption says more).
pub const LAG_TITLE: &str = "Mean days from a Kubernetes release to containerd's";

/// One bar of the lag chart.
#[derive(Debug, Clone, Serialize)]
pub struct LagBar {
    /// The Kubernetes release that shipped the stages.
    pub k8s: String,
    /// How many KEP stages of it have both dates.
    pub stages: usize,
    /// Their mean lag in days, rounded toward zero.
    pub mean_days: i64,
}

/// The context of `containerd.html`.
#[derive(Debug, Serialize)]
pub struct ContainerdPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// containerd minor lines, newest first.
    pub lines: Vec<Line>,
    /// The support matrix of RELEASES.md, by Kubernetes release.
    pub support: Vec<SupportRowView>,
    /// The deprecated table: containerd, Kubernetes, CRI, as written.
    pub deprecated: Vec<[String; 3]>,
    /// Why a support table could not be read.
    pub support_warnings: Vec<String>,
    /// Per KEP stage, the lag from Kubernetes to containerd.
    pub lag: Vec<LagRow>,
    /// The lag chart, when there is one.
    pub lag_chart: Option<Figure>,
    /// The lag chart's numbers: mean days per Kubernetes release, newest
    /// first.
    pub lag_table: Vec<LagBar>,
}

/// KEP work a line shipped: one KEP stage.
#[derive(Debug, Serialize)]
pub struct Work {
    /// The KEP.
    pub kep: KepLink,
    /// The stage.
    pub stage: &'static str,
    /// The containerd release of this line that shipped it.
    pub release: String,
    /// The KEP's PRs this line shipped.
    pub pulls: Vec<PullRef>,
}

/// KEP work of a line, grouped by the Kubernetes release of the stage.
#[derive(Debug, Serialize)]
pub struct WorkGroup {
    /// `Kubernetes v1.33`: the release in which the KEPs reached the stage,
    /// or that it is unknown.
    pub heading: String,
    /// The release's page, when the site has one.
    pub url: Option<String>,
    /// The work.
    pub items: Vec<Work>,
}

/// The context of `containerd_line.html`.
#[derive(Debug, Serialize)]
pub struct LinePage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// The line and its dates.
    pub line: Line,
    /// The line's first prerelease and its date, or `—`.
    pub first_prerelease: String,
    /// The line's `.0` release and its date, or `not yet`.
    pub first_release: String,
    /// The line's latest patch release and its date, or `—`.
    pub latest: String,
    /// Every release of the line, newest first.
    pub releases: Vec<Dated>,
    /// Kubernetes releases RELEASES.md recommends this line for.
    pub k8s_recommended: Vec<String>,
    /// KEP work shipped, by Kubernetes release, newest first.
    pub groups: Vec<WorkGroup>,
}

/// A release and its date in words, or `none` without one.
fn text(d: Option<&Dated>, none: &str) -> String {
    match d {
        Some(d) => format!("{} {}", d.version, d.date),
        None => none.to_string(),
    }
}

fn dated(r: &ContainerdRelease) -> Dated {
    Dated {
        version: r.version.to_string(),
        date: r
            .date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    }
}

/// containerd releases grouped by minor line, newest line first.
fn lines<'a>(c: &Ctx<'a>) -> Vec<(ContainerdLine, Vec<&'a ContainerdRelease>)> {
    let mut by: BTreeMap<ContainerdLine, Vec<&ContainerdRelease>> = BTreeMap::new();
    for r in &c.model.containerd_releases {
        by.entry(r.version.line()).or_default().push(r);
    }
    by.into_iter().rev().collect()
}

/// The lines with a page.
pub fn line_list(c: &Ctx) -> Vec<ContainerdLine> {
    lines(c).into_iter().map(|(l, _)| l).collect()
}

/// Every (KEP, stage, version) the model says shipped.
fn shipped<'a>(
    c: &Ctx<'a>,
) -> impl Iterator<Item = (&'a KepEntry, Stage, &'a ContainerdVersion)> + 'a {
    let keps = c.keps_with_pages();
    keps.into_iter()
        .flat_map(|k| k.shipped.iter().map(move |(s, v)| (k, *s, v)))
}

fn line_view(c: &At, line: ContainerdLine, rs: &[&ContainerdRelease]) -> Line {
    let first_prerelease = rs
        .iter()
        .find(|r| r.version.is_prerelease() && r.version.patch() == 0)
        .map(|r| dated(r));
    let first_release = rs
        .iter()
        .find(|r| !r.version.is_prerelease())
        .map(|r| dated(r));
    let latest = rs
        .iter()
        .rev()
        .find(|r| !r.version.is_prerelease())
        .map(|r| dated(r));
    Line {
        line: line.to_string(),
        url: c.link(&PagePath::containerd_line(line)),
        first_prerelease,
        first_release,
        latest,
        kep_work: shipped(c).filter(|(_, _, v)| line.contains(v)).count(),
    }
}

fn kep_link(c: &At, k: &KepEntry) -> KepLink {
    KepLink {
        number: k.number.get(),
        url: c.link(&PagePath::kep(k.number)),
        title: k.title(c.model).to_string(),
    }
}

/// `/containerd/`: release lines, the support matrix and the lag.
pub fn index(c: &At, lag_chart: bool) -> ContainerdPage {
    let lag = lag_rows(c);
    let bars = lag_bars(&lag);
    let lines: Vec<Line> = lines(c)
        .iter()
        .map(|(l, rs)| line_view(c, *l, rs))
        .collect();
    let releases: Vec<K8sRelease> = c.releases();
    let support = c.model.support.as_ref();
    ContainerdPage {
        site: c.site(),
        description: format!(
            "containerd's release lines ({}), the Kubernetes releases each supports, and the days from a KEP stage in Kubernetes to its runtime side in containerd.",
            lines.iter().map(|l| l.line.as_str()).collect::<Vec<_>>().join(", ")
        ),
        title: "containerd releases and Kubernetes".into(),
        lines,
        support: support
            .map(|s| {
                s.rows
                    .iter()
                    .map(|r| SupportRowView {
                        k8s: r.k8s.to_string(),
                        url: releases
                            .contains(&r.k8s)
                            .then(|| c.link(&PagePath::release(r.k8s))),
                        containerd: r.containerd.iter().map(|m| m.raw.clone()).collect(),
                        cri: r.cri.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        deprecated: support
            .map(|s| {
                s.deprecated
                    .iter()
                    .map(|d| [d.containerd.clone(), d.kubernetes.clone(), d.cri.clone()])
                    .collect()
            })
            .unwrap_or_default(),
        support_warnings: support.map(|s| s.warnings.clone()).unwrap_or_default(),
        lag_chart: lag_chart.then(|| lag_figure(c, &bars)),
        lag_table: bars.into_iter().rev().collect(),
        lag,
    }
}

/// Per KEP stage: days from the Kubernetes release that shipped the stage
/// to the containerd release that shipped its runtime side (negative when
/// containerd was first). Only where both dates are known.
pub fn lag_rows(c: &At) -> Vec<LagRow> {
    let cd_dates: BTreeMap<&ContainerdVersion, chrono::NaiveDate> = c
        .model
        .containerd_releases
        .iter()
        .filter_map(|r| Some((&r.version, r.date?.date_naive())))
        .collect();
    let mut rows: Vec<LagRow> = shipped(c)
        .filter_map(|(k, stage, v)| {
            let k8s = k
                .milestones
                .iter()
                .find(|m| m.stage == stage && m.state == MilestoneState::Reached)?
                .release;
            let k8s_date = c.model.calendar.date(k8s)?;
            let cd_date = *cd_dates.get(v)?;
            Some(LagRow {
                kep: kep_link(c, k),
                stage: stage.as_str(),
                k8s: k8s.to_string(),
                k8s_date: k8s_date.to_string(),
                containerd: v.to_string(),
                containerd_date: cd_date.to_string(),
                days: (cd_date - k8s_date).num_days(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.k8s_date, a.kep.number, a.stage).cmp(&(&b.k8s_date, b.kep.number, b.stage))
    });
    rows
}

/// Mean lag per Kubernetes release, oldest first: the chart's bars.
pub fn lag_bars(rows: &[LagRow]) -> Vec<LagBar> {
    let mut by: BTreeMap<K8sRelease, (i64, usize)> = BTreeMap::new();
    for r in rows {
        if let Some(k) = K8sRelease::parse(&r.k8s) {
            let e = by.entry(k).or_default();
            e.0 += r.days;
            e.1 += 1;
        }
    }
    by.into_iter()
        .map(|(k, (sum, n))| LagBar {
            k8s: k.to_string(),
            stages: n,
            mean_days: sum / n.max(1) as i64,
        })
        .collect()
}

/// The lag chart's bars as it draws them: (label, value).
pub fn lag_values(bars: &[LagBar]) -> Vec<(String, i64)> {
    bars.iter().map(|b| (b.k8s.clone(), b.mean_days)).collect()
}

/// The lag chart's legend: bars of 0 days or more, then negative ones.
pub fn lag_legend() -> [(&'static str, plotters::style::RGBColor); 2] {
    use crate::site::chart::stage_colour;
    [
        ("containerd after", stage_colour(Stage::Alpha)),
        ("containerd first", stage_colour(Stage::Stable)),
    ]
}

fn lag_figure(c: &At, bars: &[LagBar]) -> Figure {
    use crate::site::chart::{newest, NARROW, WIDE};
    let span = |n: usize| {
        let b = newest(bars, n);
        match (b.first(), b.last()) {
            (Some(a), Some(z)) if a.k8s != z.k8s => format!("{}–{}", a.k8s, z.k8s),
            (Some(a), _) => a.k8s.clone(),
            _ => "none".into(),
        }
    };
    c.figure(
        LAG_CHART,
        format!(
            "Mean days from each Kubernetes release to the containerd release that shipped the runtime side of its KEP stages ({}); below zero, containerd shipped first.",
            span(WIDE.bars)
        ),
        format!(
            "Bar chart of the mean days from Kubernetes release to containerd release, {} (on narrow screens {}); the tables below have every value.",
            span(WIDE.bars),
            span(NARROW.bars)
        ),
    )
}

/// `/containerd/vX.Y/`: what one minor line shipped.
pub fn line_page(c: &At, line: ContainerdLine) -> LinePage {
    let all = lines(c);
    let rs: Vec<&ContainerdRelease> = all
        .iter()
        .find(|(l, _)| *l == line)
        .map(|(_, rs)| rs.clone())
        .unwrap_or_default();
    let mut groups: BTreeMap<Option<K8sRelease>, Vec<Work>> = BTreeMap::new();
    for (k, stage, v) in shipped(c).filter(|(_, _, v)| line.contains(v)) {
        let k8s = k
            .kep
            .as_ref()
            .and_then(|m| m.milestones.get(&stage).copied());
        // The PRs of this KEP that this line shipped.
        let pulls: Vec<u64> = k
            .pulls
            .iter()
            .copied()
            .filter(|n| {
                c.model
                    .pulls
                    .get(n)
                    .and_then(|p| p.shipped.as_ref()?.release.as_ref())
                    .is_some_and(|r| line.contains(r))
            })
            .collect();
        groups.entry(k8s).or_default().push(Work {
            kep: kep_link(c, k),
            stage: stage.as_str(),
            release: v.to_string(),
            pulls: c.pull_refs(&pulls),
        });
    }
    let k8s_recommended = c
        .model
        .support
        .as_ref()
        .map(|s| s.rows.iter().filter(|r| r.min_for_line(line).is_some()))
        .into_iter()
        .flatten()
        .map(|r| r.k8s.to_string())
        .collect();
    let view = line_view(c, line, &rs);
    LinePage {
        site: c.site(),
        description: format!(
            "containerd {line}: first release {}, latest {}; {} shipped in it.",
            text(view.first_release.as_ref(), "not yet"),
            text(view.latest.as_ref(), NONE),
            count_of(view.kep_work, "KEP stage", "KEP stages")
        ),
        title: format!("containerd {line}"),
        first_prerelease: text(view.first_prerelease.as_ref(), NONE),
        first_release: text(view.first_release.as_ref(), "not yet"),
        latest: text(view.latest.as_ref(), NONE),
        line: view,
        releases: rs.iter().rev().map(|r| dated(r)).collect(),
        k8s_recommended,
        groups: groups
            .into_iter()
            .rev()
            .map(|(k8s, items)| WorkGroup {
                heading: match k8s {
                    Some(r) => format!("Kubernetes {r}"),
                    None => "Kubernetes release unknown".into(),
                },
                url: k8s
                    .filter(|r| c.releases().contains(r))
                    .map(|r| c.link(&PagePath::release(r))),
                items,
            })
            .collect(),
    }
}
