//! The pieces pages share: a KEP as a table row ([`KepRow`]), its stage
//! ([`StageView`]), issue, pull request, release and person references,
//! and the flags a row carries.
//!
//! Not a page: each page's own types and its function are in the page's
//! file. Rows are built through [`At`] so links are relative to the page
//! they are on and stay inside an archive.

use super::At;
use crate::check::{self, Subject};
use crate::declared::FieldKey;
use crate::domain::{ContainerdVersion, GateDefault, K8sRelease, Login, Stage};
use crate::model::{IssueEntry, KepEntry, StageAt};
use crate::site::urls::{anchored, person_anchor, PagePath};
use serde::Serialize;
use std::collections::BTreeSet;

/// A GitHub issue, linked.
#[derive(Debug, Clone, Serialize)]
pub struct IssueRef {
    /// The number.
    pub number: u64,
    /// The issue on GitHub.
    pub url: String,
    /// The title.
    pub title: String,
    /// `open` or `closed`.
    pub state: &'static str,
}

/// A containerd pull request, linked, and where it shipped.
#[derive(Debug, Clone, Serialize)]
pub struct PullRef {
    /// The number.
    pub number: u64,
    /// The PR on GitHub.
    pub url: String,
    /// The title.
    pub title: String,
    /// `merged`, `open` or `closed`.
    pub status: &'static str,
    /// When it was merged, `YYYY-MM-DD`.
    pub merged_at: Option<String>,
    /// The branch it was merged into when that is not `main` (a backport).
    pub into_branch: Option<String>,
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
    /// `v2.2.0`.
    pub version: String,
    /// Its line's page.
    pub url: String,
    /// The KEP stage the release shipped, where that is the point.
    pub stage: Option<&'static str>,
}

/// A KEP's stage in one release as pages show it: a reached stage, or a
/// target (planned or declared) for a release not out yet.
#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    /// The stage's name, as in kep.yaml; also its CSS class (`stage-beta`).
    pub stage: &'static str,
    /// The stage, for Rust (not serialised).
    #[serde(skip)]
    pub value: Stage,
    /// In words: `beta`, or `beta target` for a target.
    pub label: String,
    /// For a grid cell: `α`, `β`, `β on`, `β off`, `GA`, `dep.`, `rem.`.
    pub short: &'static str,
    /// A target (planned or declared), not reached.
    pub target: bool,
    /// Why, in words: `reached in v1.33`, `target (kep.yaml milestone)`.
    pub why: String,
    /// Its place when a column is sorted by stage: alpha 1 … removed 5.
    pub rank: u8,
}

impl StageView {
    /// The view of a stage of the model.
    pub fn new(s: &StageAt, k: &KepEntry) -> StageView {
        StageView {
            stage: s.stage.as_str(),
            value: s.stage,
            label: match s.is_target() {
                true => format!("{} target", s.label()),
                false => s.label(),
            },
            short: match (s.stage, s.beta_default()) {
                (Stage::Beta, Some(GateDefault::On)) => "β on",
                (Stage::Beta, Some(GateDefault::Off)) => "β off",
                (stage, _) => match stage {
                    Stage::Alpha => "α",
                    Stage::Beta => "β",
                    Stage::Stable => "GA",
                    Stage::Deprecated => "dep.",
                    Stage::Removed => "rem.",
                },
            },
            target: s.is_target(),
            why: s.why(k),
            rank: s.stage as u8 + 1,
        }
    }
}

/// A row flag: a finding kind (or a missing kep.yaml) in words.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    /// Its CSS class suffix (`flag-no-shepherd`).
    pub slug: &'static str,
    /// The words.
    pub text: String,
}

/// A GitHub login, linked to its row on `/people/`.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRef {
    /// The login.
    pub login: String,
    /// Its row on `/people/`.
    pub url: String,
}

/// One KEP as a row of a table.
#[derive(Debug, Clone, Serialize)]
pub struct KepRow {
    /// The KEP number.
    pub number: u32,
    /// The title.
    pub title: String,
    /// The KEP's page.
    pub url: String,
    /// The KEP's kubernetes/enhancements issue.
    pub enhancements_url: String,
    /// The owning SIG, or `—` when no kep.yaml says.
    pub owning_sig: String,
    /// Whether a kep.yaml was found.
    pub has_kep_yaml: bool,
    /// Stage in the release of the page, if any.
    pub stage: Option<StageView>,
    /// The containerd issues tracking the KEP (see [`crate::model::Model::containerd_tracking`]).
    pub tracking: Vec<IssueRef>,
    /// `tracking` are issues written before the tracking template.
    pub pre_template: bool,
    /// `open`, `closed` or `none`.
    pub tracking_state: &'static str,
    /// Shepherds of its tracking issues.
    pub shepherds: Vec<PersonRef>,
    /// A tracking issue's shepherd line is beyond the text we have.
    pub shepherds_unknown: bool,
    /// Liaisons of its tracking issues.
    pub liaisons: Vec<PersonRef>,
    /// Its containerd pull requests.
    pub pulls: Vec<PullRef>,
    /// Per stage, the containerd release that shipped the runtime side.
    pub containerd: Vec<ReleaseRef>,
    /// Its flags, by finding kind.
    pub flags: Vec<Flag>,
    /// Runtime readiness in the row's release, when it has one and runtime
    /// work is recorded for the KEP.
    pub readiness: Option<super::readiness::ReadinessView>,
    /// containerd's side in one word, for reading at a glance.
    pub status: ContainerdStatus,
    /// What `/filter.js` reads: the row's `data-` attributes.
    pub filter: FilterData,
}

/// containerd's side of a KEP at a glance: the first that holds of
/// shipped (for the row's stage), a PR open, merged and not released,
/// shipped (for another stage), tracked without a PR, untracked.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerdStatus {
    /// `shipped`, `pr-open`, `merged`, `tracked` or `untracked`; also its
    /// CSS class (`status-shipped`).
    pub slug: &'static str,
    /// The words: `shipped in v2.1.0`, `merged, not released`, `PR open`,
    /// `tracked, no PR`, `untracked`.
    pub label: String,
    /// Its place when a column is sorted by it: shipped 1 … untracked 5.
    pub rank: u8,
}

/// The `data-` attributes of a KEP row, for the filter script: all
/// lower-case words, computed here so the script decides nothing.
#[derive(Debug, Clone, Serialize)]
pub struct FilterData {
    /// The owning SIG without `sig-` (`node`), or `none`.
    pub sig: String,
    /// The stage in the row's release (a KEP without a release: in the
    /// cycle under way, its target there included), or `none`.
    pub stage: &'static str,
    /// Space-separated: `tracked` or `untracked`, and `shipped` and/or
    /// `pending` (a PR open, or merged and not released).
    pub status: String,
    /// What free text is matched against: `kep-127 user namespaces node @login …`.
    pub text: String,
}

impl At<'_, '_> {
    /// A containerd release, linked to its line's page.
    pub fn release_ref(&self, v: &ContainerdVersion, stage: Option<Stage>) -> ReleaseRef {
        ReleaseRef {
            version: v.to_string(),
            url: self.link(&PagePath::containerd_line(v.line())),
            stage: stage.map(Stage::as_str),
        }
    }

    /// An issue, linked.
    pub fn issue_ref(&self, i: &IssueEntry) -> IssueRef {
        IssueRef {
            number: i.number,
            url: i.url.clone(),
            title: i.title.clone(),
            state: i.state.as_str(),
        }
    }

    /// A person, linked to their row on `/people/`.
    pub fn person(&self, l: &Login) -> PersonRef {
        PersonRef {
            login: l.to_string(),
            url: anchored(&self.link(&PagePath::people()), &person_anchor(l)),
        }
    }

    /// The pull requests `numbers` the model knows, in that order.
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
                into_branch: p.base.clone().filter(|b| b != "main"),
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
        let mut rows: Vec<(u8, KepRow)> = self
            .release_keps(r)
            .into_iter()
            .map(|k| {
                let stage = self.model.stage_in(k, r).map(|s| s.stage);
                (graduating_first(stage), self.kep_row(k, Some(r)))
            })
            .collect();
        rows.sort_by_key(|(order, row)| (*order, row.number));
        rows.into_iter().map(|(_, row)| row).collect()
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
        let status =
            self.containerd_status(k, release.and(stage.map(|s| s.stage)), !issues.is_empty());
        let filter_stage = release
            .or(self.current_release())
            .and_then(|r| self.model.stage_in(k, r))
            .map_or("none", |s| s.stage.as_str());
        let tracking_state = if issues.is_empty() {
            "none"
        } else if issues.iter().any(|i| i.state == crate::github::State::Open) {
            "open"
        } else {
            "closed"
        };
        let shepherds = people(|i| &i.parsed.shepherds);
        let liaisons = people(|i| &i.parsed.liaisons);
        let owning_sig = k.owning_sig().unwrap_or(NONE).to_string();
        let title = k.title(self.model).to_string();
        let text = std::iter::once(format!("kep-{} {title} {owning_sig}", k.number))
            .chain(issues.iter().map(|i| format!("#{}", i.number)))
            .chain(
                shepherds
                    .iter()
                    .chain(&liaisons)
                    .map(|p| format!("@{}", p.login)),
            )
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let filter = FilterData {
            sig: k.owning_sig().map_or("none".into(), |s| {
                s.trim_start_matches("sig-").to_lowercase()
            }),
            stage: filter_stage,
            status: status_tokens(&status, !issues.is_empty()),
            text,
        };
        KepRow {
            number: k.number.get(),
            title,
            url: self.link(&PagePath::kep(k.number)),
            enhancements_url: self.model.links.enhancement(k.number),
            owning_sig,
            has_kep_yaml: k.kep.is_some(),
            stage: stage.as_ref().map(|s| StageView::new(s, k)),
            tracking: issues.iter().map(|i| self.issue_ref(i)).collect(),
            pre_template,
            tracking_state,
            shepherds,
            shepherds_unknown: template
                .iter()
                .any(|i| i.parsed.is_unknown(FieldKey::Shepherd)),
            liaisons,
            pulls: self.pull_refs(&k.pulls),
            containerd: k
                .shipped
                .iter()
                .filter(|(s, _)| release.is_none() || stage.map(|x| x.stage) == Some(**s))
                .map(|(s, v)| self.release_ref(v, Some(*s)))
                .collect(),
            flags: self.flags(k, &template),
            readiness: release
                .filter(|_| self.model.needs_runtime_work(k))
                .and_then(|r| self.readiness(k, r)),
            status,
            filter,
        }
    }

    /// containerd's side of `k` at a glance (see [`ContainerdStatus`]);
    /// `stage` is the row's stage, when the row is of a release.
    fn containerd_status(
        &self,
        k: &KepEntry,
        stage: Option<Stage>,
        tracked: bool,
    ) -> ContainerdStatus {
        let shipped = |label: String| ContainerdStatus {
            slug: "shipped",
            label,
            rank: 1,
        };
        // For the row's stage; a row of no release: the newest shipped.
        let for_stage = match stage {
            Some(s) => k.shipped.get(&s),
            None => k.shipped.values().max(),
        };
        if let Some(v) = for_stage {
            return shipped(format!("shipped in {v}"));
        }
        let pulls: Vec<_> = k
            .pulls
            .iter()
            .filter_map(|n| self.model.pulls.get(n))
            .collect();
        if pulls.iter().any(|p| p.status() == "open") {
            return ContainerdStatus {
                slug: "pr-open",
                label: "PR open".into(),
                rank: 3,
            };
        }
        fn released(p: &crate::model::PullEntry) -> Option<&ContainerdVersion> {
            p.shipped.as_ref().and_then(|s| s.release.as_ref())
        }
        if pulls
            .iter()
            .any(|p| p.status() == "merged" && released(p).is_none())
        {
            return ContainerdStatus {
                slug: "merged",
                label: "merged, not released".into(),
                rank: 2,
            };
        }
        // Shipped, for another stage than the row's.
        let other = k
            .shipped
            .iter()
            .max_by_key(|(_, v)| *v)
            .map(|(s, v)| format!("shipped in {v} ({s})"))
            .or_else(|| {
                pulls
                    .iter()
                    .filter_map(|p| released(p))
                    .max()
                    .map(|v| format!("shipped in {v}"))
            });
        if let Some(label) = other {
            return shipped(label);
        }
        if tracked {
            ContainerdStatus {
                slug: "tracked",
                label: "tracked, no PR".into(),
                rank: 4,
            }
        } else {
            ContainerdStatus {
                slug: "untracked",
                label: "untracked".into(),
                rank: 5,
            }
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
                    check::Kind::PolicyViolated => "runtime policy violated",
                    check::Kind::PolicyAtRisk => "runtime at risk",
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

/// A labelled count, linked or not.
#[derive(Debug, Serialize)]
pub struct Count {
    /// The label.
    pub label: String,
    /// The count.
    pub count: usize,
    /// Where the count leads.
    pub url: Option<String>,
}

/// A KEP, linked.
#[derive(Debug, Serialize)]
pub struct KepLink {
    /// The KEP number.
    pub number: u32,
    /// The KEP's page.
    pub url: String,
    /// The title.
    pub title: String,
}

/// Release tables list graduating KEPs first: stable, beta, alpha, the
/// other stages, then KEPs without a stage.
fn graduating_first(s: Option<Stage>) -> u8 {
    match s {
        Some(Stage::Stable) => 0,
        Some(Stage::Beta) => 1,
        Some(Stage::Alpha) => 2,
        Some(Stage::Deprecated | Stage::Removed) => 3,
        None => 4,
    }
}

/// The status words the filter matches: `tracked`/`untracked`, and
/// `shipped` or `pending` (a PR open, or merged and not released).
fn status_tokens(s: &ContainerdStatus, tracked: bool) -> String {
    let mut t = vec![if tracked { "tracked" } else { "untracked" }];
    match s.slug {
        "shipped" => t.push("shipped"),
        "pr-open" | "merged" => t.push("pending"),
        _ => {}
    }
    t.join(" ")
}

/// What pages show for a value nobody gave.
pub const NONE: &str = "—";

/// `n` with its noun: `1 finding`, `3 findings`.
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// The noun for `n` things: `one` for 1, else `many`.
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A link to a release page, as a matrix column.
#[derive(Debug, Serialize)]
pub struct ReleaseLink {
    /// `v1.36`.
    pub label: String,
    /// The release page.
    pub url: String,
}
