//! View models: what each page shows, computed from the [`Model`].
//!
//! Each function here turns the model into a serialisable context for one
//! template. All logic (which KEPs a release page lists, which flags a row
//! carries, sort orders, links) lives here; templates only lay it out.
//! Every link is built through [`Urls`]/[`PagePath`].

use super::markdown;
use super::urls::{PagePath, Urls};
use crate::check::{self, Finding, Subject};
use crate::declared::{FieldKey, Owner};
use crate::domain::{ContainerdVersion, K8sRelease, KepNumber, Login, Stage};
use crate::kep::Kep;
use crate::model::{Basis, IssueEntry, KepEntry, Milestone, MilestoneState, Model, StageAt};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What every page knows about the site it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    pub generated_at: String,
    pub source: Vec<String>,
    pub current_release: Option<String>,
    /// Set on pages of a frozen archive.
    pub archive: Option<ArchiveCtx>,
    pub nav: Nav,
    pub stylesheet: String,
    pub csp: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArchiveCtx {
    pub release: String,
    pub date: String,
    /// The live site's overview.
    pub live_home: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Nav {
    pub home: String,
    pub current: Option<String>,
    pub matrix: String,
    pub health: String,
    pub people: String,
    pub containerd: String,
    pub archives: String,
    pub data: String,
    pub feed: String,
}

/// No script at all, nothing from other hosts.
pub const CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

/// The link context of one rendering: the deployment's URLs and the prefix
/// of an archive (empty for the live site).
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub urls: &'a Urls,
    pub prefix: PagePath,
    pub findings: &'a [Finding],
    /// Findings by subject, for row flags.
    pub by_subject: BTreeMap<&'a Subject, Vec<&'a Finding>>,
    /// `Some` for an archive: only this release is shown.
    pub scope: Option<K8sRelease>,
    /// The KEPs of each release page, computed once (see [`Model::lists`]).
    by_release: BTreeMap<K8sRelease, Vec<&'a KepEntry>>,
    current: Option<K8sRelease>,
    releases: Vec<K8sRelease>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        model: &'a Model,
        urls: &'a Urls,
        prefix: PagePath,
        findings: &'a [Finding],
        scope: Option<K8sRelease>,
    ) -> Self {
        let mut by_subject: BTreeMap<&Subject, Vec<&Finding>> = BTreeMap::new();
        for f in findings {
            by_subject.entry(&f.subject).or_default().push(f);
        }
        let current = scope.or_else(|| model.current_release());
        let releases = match scope {
            Some(r) => vec![r],
            None => model.k8s_releases(),
        };
        let by_release = releases
            .iter()
            .map(|r| (*r, model.release_keps(*r)))
            .collect();
        Ctx {
            model,
            urls,
            prefix,
            findings,
            by_subject,
            scope,
            by_release,
            current,
            releases,
        }
    }

    /// The KEPs listed on the page of release `r`.
    pub fn release_keps(&self, r: K8sRelease) -> Vec<&'a KepEntry> {
        self.by_release.get(&r).cloned().unwrap_or_default()
    }

    /// The link to a page of this rendering (inside the archive, if any).
    pub fn link(&self, p: &PagePath) -> String {
        self.urls.link(&p.under(&self.prefix))
    }

    pub fn site(&self, archive: Option<ArchiveCtx>) -> SiteCtx {
        let current = self.current_release();
        SiteCtx {
            generated_at: self
                .model
                .generated_at
                .format("%Y-%m-%d %H:%M UTC")
                .to_string(),
            source: self.model.source.details.clone(),
            current_release: current.map(|r| r.to_string()),
            archive,
            nav: Nav {
                home: self.link(&PagePath::home()),
                current: current.map(|r| self.link(&PagePath::release(r))),
                matrix: self.link(&PagePath::matrix()),
                health: self.link(&PagePath::health()),
                people: self.link(&PagePath::people()),
                containerd: self.link(&PagePath::containerd()),
                archives: self.urls.link(&PagePath::archives()),
                data: self.link(&PagePath::keps_json()),
                feed: self.urls.link(&PagePath::feed()),
            },
            stylesheet: self.urls.link(&PagePath::stylesheet()),
            csp: CSP,
        }
    }

    /// The release cycle the overview is about.
    pub fn current_release(&self) -> Option<K8sRelease> {
        self.current
    }

    /// Releases that get a page, oldest first.
    pub fn releases(&self) -> Vec<K8sRelease> {
        self.releases.clone()
    }

    /// KEPs that get a page: all of them, or in an archive those on its release page.
    pub fn keps_with_pages(&self) -> Vec<&'a KepEntry> {
        match self.scope {
            None => self.model.keps.values().collect(),
            Some(r) => self.release_keps(r),
        }
    }

    /// KEPs of interest (the rows of the cross-release matrix).
    pub fn matrix_keps(&self) -> Vec<&'a KepEntry> {
        let scoped: Vec<&KepEntry> = self.keps_with_pages();
        scoped.into_iter().filter(|k| k.is_of_interest()).collect()
    }
}

// ---------------------------------------------------------------- rows

#[derive(Debug, Clone, Serialize)]
pub struct IssueRef {
    pub number: u64,
    pub url: String,
    pub title: String,
    pub state: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct PullRef {
    pub number: u64,
    pub url: String,
    pub title: String,
    pub status: &'static str,
    pub merged_at: Option<String>,
    pub base: Option<String>,
    /// The containerd release that first shipped it.
    pub shipped: Option<ReleaseRef>,
    /// The first prerelease that had it, when known.
    pub shipped_pre: Option<String>,
    /// "by milestone" / "by merge date (...)".
    pub rule: Option<&'static str>,
}

/// A containerd release, linking to its line's page.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseRef {
    pub version: String,
    pub url: String,
    /// The KEP stage the release shipped, where that is the point.
    pub stage: Option<&'static str>,
}

/// A KEP's stage in one release as pages show it: a reached stage, or a
/// target (planned or declared) for a release not out yet.
#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    pub stage: &'static str,
    /// For a grid cell: `α`, `β`, `GA`, `dep.`, `rem.`.
    pub short: &'static str,
    pub target: bool,
    /// Why, in words: `reached in v1.33`, `target (kep.yaml milestone)`.
    pub why: String,
}

impl StageView {
    pub fn new(s: &StageAt) -> StageView {
        StageView {
            stage: s.stage.as_str(),
            short: match s.stage {
                Stage::Alpha => "α",
                Stage::Beta => "β",
                Stage::Stable => "GA",
                Stage::Deprecated => "dep.",
                Stage::Removed => "rem.",
            },
            target: s.is_target(),
            why: match s.basis {
                Basis::Reached { since } => format!("{} since {since} (kep.yaml)", s.stage),
                Basis::Planned => format!("{} target (kep.yaml milestone)", s.stage),
                Basis::Declared { issue } => {
                    format!("{} target (declared in tracking issue #{issue})", s.stage)
                }
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    pub slug: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRef {
    pub login: String,
    pub url: String,
}

/// One KEP as a row of a table.
#[derive(Debug, Clone, Serialize)]
pub struct KepRow {
    pub number: u32,
    pub title: String,
    pub url: String,
    pub enhancements_url: String,
    pub owning_sig: Option<String>,
    pub has_kep_yaml: bool,
    /// Stage in the release of the page, if any.
    pub stage: Option<StageView>,
    /// The containerd issues tracking the KEP (see [`Model::containerd_tracking`]).
    pub tracking: Vec<IssueRef>,
    /// `tracking` are issues written before the tracking template.
    pub pre_template: bool,
    /// `open`, `closed` or `none`.
    pub tracking_state: &'static str,
    pub shepherds: Vec<PersonRef>,
    /// A tracking issue's shepherd line is beyond the text we have.
    pub shepherds_unknown: bool,
    pub liaisons: Vec<PersonRef>,
    pub pulls: Vec<PullRef>,
    /// Per stage, the containerd release that shipped the runtime side.
    pub containerd: Vec<ReleaseRef>,
    pub flags: Vec<Flag>,
}

impl Ctx<'_> {
    pub fn release_ref(&self, v: &ContainerdVersion, stage: Option<Stage>) -> ReleaseRef {
        ReleaseRef {
            version: v.to_string(),
            url: self.link(&PagePath::containerd_line(v.line())),
            stage: stage.map(Stage::as_str),
        }
    }

    pub fn issue_ref(&self, i: &IssueEntry) -> IssueRef {
        IssueRef {
            number: i.number,
            url: i.url.clone(),
            title: i.title.clone(),
            state: i.state.as_str(),
        }
    }

    pub fn person(&self, l: &Login) -> PersonRef {
        PersonRef {
            login: l.to_string(),
            url: format!("{}#{}", self.link(&PagePath::people()), l.key()),
        }
    }

    pub fn pull_refs(&self, numbers: &[u64]) -> Vec<PullRef> {
        numbers
            .iter()
            .filter_map(|n| self.model.pulls.get(n))
            .map(|p| PullRef {
                number: p.number,
                url: p.url.clone(),
                title: p.title.clone(),
                status: p.status(),
                merged_at: p.merged_at.map(|d| d.format("%Y-%m-%d").to_string()),
                base: p.base.clone(),
                shipped: p
                    .shipped
                    .as_ref()
                    .and_then(|s| s.release.as_ref())
                    .map(|v| self.release_ref(v, None)),
                shipped_pre: p
                    .shipped
                    .as_ref()
                    .and_then(|s| s.prerelease.as_ref())
                    .map(|v| v.to_string()),
                rule: p.shipped.as_ref().map(|s| s.rule.describe()),
            })
            .collect()
    }

    /// The rows of release `r`'s table: its KEPs, graduating first.
    pub fn release_rows(&self, r: K8sRelease) -> Vec<KepRow> {
        let mut rows: Vec<KepRow> = self
            .release_keps(r)
            .into_iter()
            .map(|k| self.kep_row(k, Some(r)))
            .collect();
        rows.sort_by_key(|a| (stage_order(a.stage.as_ref()), a.number));
        rows
    }

    /// A KEP as a table row; `release` picks the stage shown.
    pub fn kep_row(&self, k: &KepEntry, release: Option<K8sRelease>) -> KepRow {
        let template: Vec<&IssueEntry> = self.model.tracking_issues(k).collect();
        let people = |f: fn(&IssueEntry) -> &Vec<Login>| -> Vec<PersonRef> {
            let set: BTreeSet<&Login> = template.iter().flat_map(|i| f(i).iter()).collect();
            set.into_iter().map(|l| self.person(l)).collect()
        };
        let stage = release.and_then(|r| self.model.stage_in(k, r));
        let (issues, pre_template) = self.model.containerd_tracking(k);
        let tracking_state = if issues.is_empty() {
            "none"
        } else if issues.iter().any(|i| i.state == crate::github::State::Open) {
            "open"
        } else {
            "closed"
        };
        KepRow {
            number: k.number.get(),
            title: k.title(self.model).to_string(),
            url: self.link(&PagePath::kep(k.number)),
            enhancements_url: self.model.links.enhancement(k.number),
            owning_sig: k.owning_sig().map(str::to_string),
            has_kep_yaml: k.kep.is_some(),
            stage: stage.as_ref().map(StageView::new),
            tracking: issues.iter().map(|i| self.issue_ref(i)).collect(),
            pre_template,
            tracking_state,
            shepherds: people(|i| &i.parsed.shepherds),
            shepherds_unknown: template
                .iter()
                .any(|i| i.parsed.is_unknown(FieldKey::Shepherd)),
            liaisons: people(|i| &i.parsed.liaisons),
            pulls: self.pull_refs(&k.pulls),
            containerd: k
                .shipped
                .iter()
                .filter(|(s, _)| release.is_none() || stage.map(|x| x.stage) == Some(**s))
                .map(|(s, v)| self.release_ref(v, Some(*s)))
                .collect(),
            flags: self.flags(k, &template),
        }
    }

    fn flags(&self, k: &KepEntry, issues: &[&IssueEntry]) -> Vec<Flag> {
        let mut kinds: BTreeSet<check::Kind> = BTreeSet::new();
        let subjects = std::iter::once(Subject::Kep(k.number))
            .chain(issues.iter().map(|i| Subject::Issue(i.number)));
        for s in subjects {
            for f in self.by_subject.get(&s).into_iter().flatten() {
                kinds.insert(f.kind);
            }
        }
        let mut out: Vec<Flag> = kinds
            .into_iter()
            .filter_map(|kind| {
                let text = match kind {
                    check::Kind::NoShepherd => "no shepherd",
                    check::Kind::OneShepherd => "one shepherd",
                    check::Kind::ShepherdUnknown => "shepherd unknown",
                    check::Kind::StageDisagreement => "stage disagrees with kep.yaml",
                    check::Kind::Untracked => "untracked",
                    check::Kind::ParseWarning => "unreadable fields",
                    check::Kind::NoReleaseLabel => "no release label",
                    check::Kind::RuntimeWorkPending => "runtime work pending",
                    _ => return None,
                };
                Some(Flag {
                    slug: kind.slug(),
                    text: text.into(),
                })
            })
            .collect();
        if k.kep.is_none() {
            out.push(Flag {
                slug: "no-kep-yaml",
                text: "no kep.yaml found".into(),
            });
        }
        out
    }
}

// ---------------------------------------------------------------- overview

#[derive(Debug, Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
    pub url: Option<String>,
}

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
    pub chart_table: Vec<super::chart::Bar>,
    pub releases: Vec<Count>,
    pub rows: Vec<KepRow>,
}

pub fn home(c: &Ctx, site: SiteCtx, chart: String, bars: &[super::chart::Bar]) -> HomePage {
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
                url: Some(format!("{health}#{}", kind.slug())),
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
pub fn chart_bars(c: &Ctx) -> Vec<super::chart::Bar> {
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
            super::chart::Bar { label, counts }
        })
        .collect()
}

// ---------------------------------------------------------------- release page

#[derive(Debug, Serialize)]
pub struct ReleasePage {
    pub site: SiteCtx,
    pub title: String,
    pub release: String,
    pub ga_date: Option<String>,
    /// "Released 2026-08-26." or that the cycle is under way.
    pub phase: String,
    pub liaisons: Vec<PersonRef>,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// containerd versions RELEASES.md recommends for this release.
    pub run_containerd: Vec<String>,
    pub containerd_url: String,
    pub rows: Vec<KepRow>,
}

pub fn release(c: &Ctx, site: SiteCtx, r: K8sRelease) -> ReleasePage {
    let keps = c.release_keps(r);
    let liaisons: BTreeSet<&Login> = keps
        .iter()
        .flat_map(|k| c.model.tracking_issues(k))
        .filter(|i| i.names_release(r))
        .flat_map(|i| &i.parsed.liaisons)
        .collect();
    let releases = c.releases();
    let pos = releases.iter().position(|x| *x == r);
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| releases.get(i))
            .map(|x| c.link(&PagePath::release(*x)))
    };
    let rows = c.release_rows(r);
    ReleasePage {
        site,
        title: format!("Kubernetes {r}: KEPs and containerd"),
        release: r.to_string(),
        ga_date: c.model.calendar.date(r).map(|d| d.to_string()),
        phase: phase_text(c.model, r),
        liaisons: liaisons.into_iter().map(|l| c.person(l)).collect(),
        previous: neighbour(pos.and_then(|p| p.checked_sub(1))),
        next: neighbour(pos.map(|p| p + 1)),
        run_containerd: c
            .model
            .support
            .as_ref()
            .and_then(|s| s.for_k8s(r))
            .map(|row| row.containerd.iter().map(|m| m.raw.clone()).collect())
            .unwrap_or_default(),
        containerd_url: c.link(&PagePath::containerd()),
        rows,
    }
}

fn stage_order(s: Option<&StageView>) -> u8 {
    match s.map(|s| s.stage) {
        Some("stable") => 0,
        Some("beta") => 1,
        Some("alpha") => 2,
        Some(_) => 3,
        None => 4,
    }
}

/// Where release `r` stands, in words, for its page.
fn phase_text(model: &Model, r: K8sRelease) -> String {
    use crate::calendar::Phase;
    match model.calendar.phase(r) {
        Phase::Released => match model.calendar.date(r) {
            Some(d) => format!("Released {d}."),
            None => "Released.".into(),
        },
        Phase::Current => {
            "The release cycle under way: stages shown are targets, not reached yet.".into()
        }
        Phase::Next => "The cycle after the one under way: stages shown are targets.".into(),
        Phase::Later => "Not planned yet.".into(),
    }
}

// ---------------------------------------------------------------- matrix

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
    pub columns: Vec<Count>,
    pub rows: Vec<MatrixRow>,
}

pub fn matrix(c: &Ctx, site: SiteCtx) -> MatrixPage {
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
            .map(|r| Count {
                label: r.to_string(),
                count: 0,
                url: Some(c.link(&PagePath::release(*r))),
            })
            .collect(),
        rows,
    }
}

// ---------------------------------------------------------------- KEP page

#[derive(Debug, Serialize)]
pub struct Field {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct IssueView {
    pub issue: IssueRef,
    /// Related (pre-template) issues show no template fields.
    pub is_tracking: bool,
    pub anchor: String,
    pub author: Option<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    pub labels: Option<Vec<String>>,
    pub assignees: Vec<PersonRef>,
    pub kep_numbers: Vec<u32>,
    pub targets: Vec<Field>,
    pub owners: Vec<String>,
    pub liaisons: Vec<PersonRef>,
    pub shepherds: Vec<PersonRef>,
    /// The shepherd, owner or liaison line is beyond the issue text we have.
    pub shepherds_unknown: bool,
    pub owners_unknown: bool,
    pub liaisons_unknown: bool,
    pub kep_issue_links: Vec<String>,
    pub kep_pr_links: Vec<String>,
    pub fields: Vec<Field>,
    pub warnings: Vec<Field>,
    /// Sanitized HTML of the body.
    pub body_html: String,
    pub pulls: Vec<PullRef>,
}

/// A kep.yaml milestone and what it amounts to.
#[derive(Debug, Serialize)]
pub struct MilestoneView {
    pub stage: &'static str,
    pub release: String,
    /// `reached`, `planned`, `not-reached` or `dropped`.
    pub state: &'static str,
    /// The state in words.
    pub note: String,
}

/// A kep.yaml declaring the same number as the one used.
#[derive(Debug, Serialize)]
pub struct OtherFile {
    pub path: String,
    pub url: String,
    pub status: Option<String>,
}

/// Releases `from`..=`to` in which the KEP had one stage.
#[derive(Debug, Serialize)]
pub struct Span {
    pub from: String,
    pub to: String,
    pub stage: StageView,
}

#[derive(Debug, Serialize)]
pub struct KepPage {
    pub site: SiteCtx,
    pub title: String,
    pub row: KepRow,
    pub kep_yaml_path: Option<String>,
    /// The kep.yaml and the KEP's README on GitHub.
    pub kep_yaml_url: Option<String>,
    pub kep_readme_url: Option<String>,
    pub status: Option<String>,
    pub stage: Option<&'static str>,
    pub participating_sigs: Vec<String>,
    pub feature_gates: Vec<String>,
    pub authors: Vec<String>,
    pub milestones: Vec<MilestoneView>,
    pub latest_milestone: Option<String>,
    /// Whether the KEP is withdrawn, rejected, replaced or deferred.
    pub inactive: bool,
    /// The stage by release, consecutive releases with the same stage merged.
    pub timeline: Vec<Span>,
    /// Other kep.yaml files with this number (not used).
    pub other_files: Vec<OtherFile>,
    pub tracking: Vec<IssueView>,
    pub related: Vec<IssueView>,
}

pub fn kep(c: &Ctx, site: SiteCtx, k: &KepEntry) -> KepPage {
    let row = c.kep_row(k, None);
    let view = |n: &u64| c.model.issues.get(n).map(|i| issue_view(c, i));
    let meta = k.kep.as_ref();
    KepPage {
        site,
        title: format!("KEP-{}: {}", k.number, row.title),
        kep_yaml_path: meta.map(|m| m.path.clone()),
        kep_yaml_url: meta.map(|m| c.model.links.kep_yaml(&m.path)),
        kep_readme_url: meta.map(|m| c.model.links.kep_readme(&m.path)),
        status: meta.and_then(|m| m.status.clone()),
        stage: meta.and_then(|m| m.stage).map(Stage::as_str),
        participating_sigs: meta
            .map(|m| m.participating_sigs.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        feature_gates: meta.map(|m| m.feature_gates.clone()).unwrap_or_default(),
        authors: meta.map(|m| m.authors.clone()).unwrap_or_default(),
        milestones: k
            .milestones
            .iter()
            .map(|m| milestone_view(c.model, meta, m))
            .collect(),
        latest_milestone: meta.and_then(|m| m.latest_milestone).map(|r| r.to_string()),
        inactive: k.is_inactive(),
        timeline: timeline(c, k),
        other_files: k
            .other_files
            .iter()
            .map(|f| OtherFile {
                path: f.path.clone(),
                url: c.model.links.kep_yaml(&f.path),
                status: f.status.clone(),
            })
            .collect(),
        tracking: k.tracking_issues.iter().filter_map(view).collect(),
        related: k.related_issues.iter().filter_map(view).collect(),
        row,
    }
}

/// Why a milestone whose release is out was not reached, from kep.yaml.
fn not_reached_note(kep: Option<&Kep>, m: &Milestone) -> String {
    let mut why = Vec::new();
    if let Some(s) = kep.and_then(|k| k.stage).filter(|s| m.stage > *s) {
        why.push(format!("its stage is still {s}"));
    }
    if let Some(l) = kep
        .and_then(|k| k.latest_milestone)
        .filter(|l| m.release > *l)
    {
        why.push(format!("its latest milestone is {l}"));
    }
    format!(
        "not reached: {} is out, but kep.yaml says {}",
        m.release,
        why.join(" and ")
    )
}

fn milestone_view(model: &Model, kep: Option<&Kep>, m: &Milestone) -> MilestoneView {
    let (state, note) = match m.state {
        MilestoneState::Reached => ("reached", format!("reached in {}", m.release)),
        MilestoneState::Planned => match model.calendar.is_upcoming(m.release) {
            true => ("planned", format!("target for {}, not out yet", m.release)),
            false => ("planned", format!("planned: {} in {}", m.stage, m.release)),
        },
        MilestoneState::NotReached => ("not-reached", not_reached_note(kep, m)),
        MilestoneState::Dropped => ("dropped", "not reached; the KEP reaches nothing new".into()),
    };
    MilestoneView {
        stage: m.stage.as_str(),
        release: m.release.to_string(),
        state,
        note,
    }
}

/// The KEP's stage in each release of the site, as spans.
fn timeline(c: &Ctx, k: &KepEntry) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for r in c.releases() {
        let Some(s) = c.model.stage_in(k, r) else {
            continue;
        };
        let view = StageView::new(&s);
        match out.last_mut() {
            Some(last)
                if last.stage.stage == view.stage
                    && last.stage.target == view.target
                    && r.previous().map(|p| p.to_string()) == Some(last.to.clone()) =>
            {
                last.to = r.to_string();
            }
            _ => out.push(Span {
                from: r.to_string(),
                to: r.to_string(),
                stage: view,
            }),
        }
    }
    out
}

fn issue_view(c: &Ctx, i: &IssueEntry) -> IssueView {
    let p = &i.parsed;
    let date =
        |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.format("%Y-%m-%d").to_string());
    IssueView {
        issue: c.issue_ref(i),
        is_tracking: i.is_tracking(),
        anchor: format!("issue-{}", i.number),
        author: i.author.clone(),
        created: date(i.created_at),
        updated: date(i.updated_at),
        labels: i.labels.clone(),
        assignees: i.assignees.iter().map(|l| c.person(l)).collect(),
        kep_numbers: p.kep_numbers.iter().map(|n| n.get()).collect(),
        targets: p
            .targets
            .iter()
            .map(|t| {
                let gate = match t.gate {
                    Some(crate::domain::GateDefault::On) => " (gate on)",
                    Some(crate::domain::GateDefault::Off) => " (gate off)",
                    None => "",
                };
                Field {
                    key: format!("{}{gate}", t.stage),
                    value: t
                        .k8s_release
                        .map(|r| r.to_string())
                        .unwrap_or_else(|| "release not set".into()),
                }
            })
            .collect(),
        owners: p
            .owners
            .iter()
            .map(|o| match o {
                Owner::Person(l) => l.to_string(),
                Owner::Group(s) => s.to_string(),
            })
            .collect(),
        liaisons: p.liaisons.iter().map(|l| c.person(l)).collect(),
        shepherds: p.shepherds.iter().map(|l| c.person(l)).collect(),
        shepherds_unknown: p.is_unknown(FieldKey::Shepherd),
        owners_unknown: p.is_unknown(FieldKey::KepOwner),
        liaisons_unknown: p.is_unknown(FieldKey::Liaison),
        kep_issue_links: p
            .kep_issue_links
            .iter()
            .filter_map(|u| crate::github::web_url(Some(u)))
            .collect(),
        kep_pr_links: p
            .kep_pr_links
            .iter()
            .filter_map(|u| crate::github::web_url(Some(u)))
            .collect(),
        fields: p
            .fields
            .iter()
            .map(|f| {
                let mut value = f.value.clone();
                for s in &f.sub_lines {
                    value.push_str("\n  ");
                    value.push_str(s);
                }
                Field {
                    key: f.key.clone(),
                    value,
                }
            })
            .collect(),
        warnings: p
            .warnings
            .iter()
            .map(|w| Field {
                key: w.field.clone(),
                value: format!("{} (raw: {:?})", w.message, w.raw),
            })
            .collect(),
        body_html: markdown::render(&i.body),
        pulls: c.pull_refs(&i.pulls),
    }
}

// ---------------------------------------------------------------- health

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub subject: String,
    pub url: String,
    pub title: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct FindingGroup {
    pub slug: &'static str,
    pub title: &'static str,
    pub items: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
pub struct HealthPage {
    pub site: SiteCtx,
    pub title: String,
    pub total: usize,
    pub groups: Vec<FindingGroup>,
}

pub fn health(c: &Ctx, site: SiteCtx) -> HealthPage {
    let groups: Vec<FindingGroup> = check::Kind::ALL
        .iter()
        .filter_map(|kind| {
            let items: Vec<FindingView> = c
                .findings
                .iter()
                .filter(|f| f.kind == *kind)
                .map(|f| finding_view(c, f))
                .collect();
            (!items.is_empty()).then_some(FindingGroup {
                slug: kind.slug(),
                title: kind.title(),
                items,
            })
        })
        .collect();
    HealthPage {
        site,
        title: "Process health".into(),
        total: groups.iter().map(|g| g.items.len()).sum(),
        groups,
    }
}

/// The findings an archive scoped to `scope` shows: those about its KEPs
/// and their tracking issues. The live site shows all.
pub fn scoped_findings(
    model: &Model,
    scope: Option<K8sRelease>,
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let Some(r) = scope else { return findings };
    let keps: BTreeSet<KepNumber> = model.release_keps(r).iter().map(|k| k.number).collect();
    findings
        .into_iter()
        .filter(|f| match &f.subject {
            Subject::Kep(k) => keps.contains(k),
            Subject::Issue(n) => model
                .issues
                .get(n)
                .is_some_and(|i| i.parsed.kep_numbers.iter().any(|k| keps.contains(k))),
            Subject::File(_) => false,
        })
        .collect()
}

fn finding_view(c: &Ctx, f: &Finding) -> FindingView {
    let (url, title) = match &f.subject {
        Subject::Issue(n) => match c.model.issues.get(n) {
            // The issue's section on its KEP's page, else the issue on GitHub.
            Some(i) => match i.parsed.kep_numbers.first() {
                Some(k) => (
                    format!("{}#issue-{n}", c.link(&PagePath::kep(*k))),
                    i.title.clone(),
                ),
                None => (i.url.clone(), i.title.clone()),
            },
            None => (String::new(), String::new()),
        },
        Subject::Kep(k) => (
            c.link(&PagePath::kep(*k)),
            c.model
                .keps
                .get(k)
                .map(|e| e.title(c.model).to_string())
                .unwrap_or_default(),
        ),
        Subject::File(_) => (String::new(), String::new()),
    };
    FindingView {
        subject: f.subject.to_string(),
        url,
        title,
        message: f.message.clone(),
    }
}

// ---------------------------------------------------------------- people

#[derive(Debug, Serialize)]
pub struct KepLink {
    pub number: u32,
    pub url: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct PersonView {
    pub login: String,
    pub anchor: String,
    pub github: String,
    pub shepherd: Vec<KepLink>,
    pub owner: Vec<KepLink>,
    pub liaison: Vec<KepLink>,
    pub assignee: Vec<KepLink>,
}

#[derive(Debug, Serialize)]
pub struct PeoplePage {
    pub site: SiteCtx,
    pub title: String,
    pub people: Vec<PersonView>,
}

pub fn people(c: &Ctx, site: SiteCtx) -> PeoplePage {
    #[derive(Default)]
    struct Roles {
        shepherd: BTreeSet<KepNumber>,
        owner: BTreeSet<KepNumber>,
        liaison: BTreeSet<KepNumber>,
        assignee: BTreeSet<KepNumber>,
    }
    // Keyed by login without case: the first spelling seen is shown.
    let mut by_login: BTreeMap<Login, Roles> = BTreeMap::new();
    for k in c.keps_with_pages() {
        for i in c.model.tracking_issues(k) {
            let p = &i.parsed;
            let mut add = |l: &Login, pick: fn(&mut Roles) -> &mut BTreeSet<KepNumber>| {
                pick(by_login.entry(l.clone()).or_default()).insert(k.number);
            };
            p.shepherds.iter().for_each(|l| add(l, |r| &mut r.shepherd));
            p.liaisons.iter().for_each(|l| add(l, |r| &mut r.liaison));
            i.assignees.iter().for_each(|l| add(l, |r| &mut r.assignee));
            for o in &p.owners {
                if let Owner::Person(l) = o {
                    add(l, |r| &mut r.owner);
                }
            }
        }
    }
    let links = |set: &BTreeSet<KepNumber>| -> Vec<KepLink> {
        set.iter()
            .map(|n| KepLink {
                number: n.get(),
                url: c.link(&PagePath::kep(*n)),
                title: c
                    .model
                    .keps
                    .get(n)
                    .map(|k| k.title(c.model).to_string())
                    .unwrap_or_default(),
            })
            .collect()
    };
    let mut people: Vec<PersonView> = by_login
        .into_iter()
        .map(|(login, r)| PersonView {
            github: c.model.links.user(&login),
            anchor: login.key(),
            shepherd: links(&r.shepherd),
            owner: links(&r.owner),
            liaison: links(&r.liaison),
            assignee: links(&r.assignee),
            login: login.to_string(),
        })
        .collect();
    // Those carrying the most shepherding first: the page is about load.
    people.sort_by(|a, b| {
        b.shepherd
            .len()
            .cmp(&a.shepherd.len())
            .then_with(|| a.anchor.cmp(&b.anchor))
    });
    PeoplePage {
        site,
        title: "People".into(),
        people,
    }
}

// ---------------------------------------------------------------- archives, 404

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
