//! What changed between two refreshes: the events a watcher of containerd's
//! SIG-Node KEP work cares about, and the change log that keeps them.
//!
//! The scheduled deployment keeps the latest snapshot; each run compares
//! the new snapshot's [`Model`] with the previous one's ([`between`]) and
//! appends what changed to a change log file ([`ChangeLog`], [`record`]).
//! The site renders that log as `/changes/` and as the Atom feed.
//!
//! What counts as a change (see [`What`]):
//!
//! - a KEP of interest reached a stage in a Kubernetes release that is out
//!   (by the model's one stage rule, [`Model::stage_in`]; a stage merely
//!   carried on into a new release is not news), or its target for a cycle
//!   not out yet (kep.yaml's plan or a tracking issue's declaration) was
//!   set, changed or dropped;
//! - a tracking issue opened (or took the template's form), closed or
//!   reopened, gained or lost a shepherd or a SIG-Node liaison;
//! - a pull request was linked to a KEP, or a linked pull request merged
//!   (since the previous refresh);
//! - a containerd or CRI-O release shipped a KEP's work: the newest first
//!   release among the KEP's merged pull requests appeared or moved on;
//! - a finding of [`check::findings`] appeared, was resolved, or changed its
//!   message. Findings are compared by (kind, subject) first: a finding
//!   that stays but is worded differently is one change ("finding
//!   changed"), never a resolved one plus an appeared one.
//!
//! What it is not: a diff of the snapshot. Timestamps (`generated_at`,
//! `updated_at`), titles, bodies and labels that change nothing above are
//! not changes; issues that leave the data (deleted, moved) are not
//! reported; a KEP that newly becomes of interest does not replay its past
//! stages and releases (its tracking issue opening is the news).
//! `between(m, m)` is empty.
//!
//! Each [`Change`] has a stable id, derived from its content (kind,
//! subject, details and time), so recording the same refresh twice adds
//! nothing and links to a change keep working. The id is stored in the log
//! as written: a later kepboard computing ids differently does not move
//! old anchors.

use crate::check::{self, Finding};
use crate::domain::{ContainerdVersion, GateDefault, K8sRelease, KepNumber, Login, Stage};
use crate::model::policy::Runtime;
use crate::model::{IssueEntry, KepEntry, Model, PullEntry, StageAt};
use crate::snapshot::Snapshot;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// The change-log format this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// A stage as the tracking template distinguishes it: `beta (on)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StageLabel {
    /// The stage.
    pub stage: Stage,
    /// For beta, whether the gate is on by default, when a source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<GateDefault>,
}

impl StageLabel {
    /// The label of a stage the model gives (the default only for beta).
    pub fn of(s: &StageAt) -> StageLabel {
        StageLabel {
            stage: s.stage,
            default: s.beta_default(),
        }
    }
}

impl fmt::Display for StageLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.default {
            Some(GateDefault::On) => write!(f, "{} (on)", self.stage),
            Some(GateDefault::Off) => write!(f, "{} (off)", self.stage),
            None => write!(f, "{}", self.stage),
        }
    }
}

/// An issue or pull request of a repository: `containerd/containerd#12104`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GhRef {
    /// `owner/name`.
    pub repo: String,
    /// The issue or PR number.
    pub number: u64,
}

impl fmt::Display for GhRef {
    /// `containerd#12104`: the repository's name without its owner.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.repo.rsplit('/').next().unwrap_or(&self.repo);
        write!(f, "{name}#{}", self.number)
    }
}

/// What happened: the kind of change with the details needed to say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum What {
    /// The KEP's stage in a released Kubernetes is new.
    StageReached {
        /// The KEP.
        kep: KepNumber,
        /// The release it reached the stage in.
        release: K8sRelease,
        /// The stage now.
        to: StageLabel,
        /// What the previous refresh said of that release, if anything.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<StageLabel>,
    },
    /// The KEP's target for a cycle not out yet was set, changed or dropped.
    TargetChanged {
        /// The KEP.
        kep: KepNumber,
        /// The release targeted.
        release: K8sRelease,
        /// The target before (`None`: none).
        #[serde(default)]
        from: Option<StageLabel>,
        /// The target now (`None`: dropped).
        #[serde(default)]
        to: Option<StageLabel>,
    },
    /// A tracking issue appeared (opened, or took the template's form).
    IssueOpened {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
        /// Its title as written (untrusted).
        title: String,
    },
    /// A tracking issue was closed.
    IssueClosed {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
    },
    /// A tracking issue was reopened.
    IssueReopened {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
    },
    /// Someone became a shepherd of a tracking issue.
    ShepherdAdded {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
        /// The shepherd.
        login: Login,
    },
    /// Someone is no longer a shepherd of a tracking issue.
    ShepherdRemoved {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
        /// The former shepherd.
        login: Login,
    },
    /// Someone became the SIG-Node liaison of a tracking issue.
    LiaisonAdded {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
        /// The liaison.
        login: Login,
    },
    /// Someone is no longer the SIG-Node liaison of a tracking issue.
    LiaisonRemoved {
        /// The issue.
        issue: GhRef,
        /// The KEPs it is joined to.
        keps: Vec<KepNumber>,
        /// The former liaison.
        login: Login,
    },
    /// A pull request was linked to a KEP (through a tracking issue or by
    /// naming it).
    PullLinked {
        /// The pull request.
        pull: GhRef,
        /// The KEP.
        kep: KepNumber,
        /// The KEP's tracking issue the PR is linked to, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issue: Option<u64>,
        /// The PR's title as written (untrusted).
        title: String,
    },
    /// A pull request linked to a KEP or tracking issue merged.
    PullMerged {
        /// The pull request.
        pull: GhRef,
        /// The KEPs it is linked to.
        keps: Vec<KepNumber>,
        /// A tracking issue it is linked to, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issue: Option<u64>,
    },
    /// A runtime release is the newest to ship a KEP's work.
    ReleaseShipped {
        /// containerd or CRI-O.
        runtime: Runtime,
        /// The release.
        version: ContainerdVersion,
        /// The KEP.
        kep: KepNumber,
    },
    /// A finding of `kepboard check` appeared.
    FindingAppeared {
        /// The finding.
        finding: FindingRef,
    },
    /// A finding of `kepboard check` was resolved.
    FindingResolved {
        /// The finding, as it was.
        finding: FindingRef,
    },
    /// A finding stays, with another message.
    FindingChanged {
        /// The finding now.
        finding: FindingRef,
        /// Its message before.
        from: String,
    },
}

/// A finding as the change log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRef {
    /// Its kind.
    pub kind: check::Kind,
    /// What it is about.
    pub subject: check::Subject,
    /// Its message.
    pub message: String,
}

impl FindingRef {
    fn of(f: &Finding) -> FindingRef {
        FindingRef {
            kind: f.kind,
            subject: f.subject.clone(),
            message: f.message.clone(),
        }
    }
}

/// What a change is about, for links: a KEP, an issue, a pull request,
/// a release (any of them may be absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSubject {
    /// The KEP (the first, when several).
    pub kep: Option<KepNumber>,
    /// The tracking issue.
    pub issue: Option<u64>,
    /// The pull request (of the tracking repository; `None` for others).
    pub pull: Option<u64>,
    /// The Kubernetes release.
    pub release: Option<K8sRelease>,
}

impl What {
    /// The kind's name: in the change log and in ids.
    pub fn slug(&self) -> &'static str {
        match self {
            What::StageReached { .. } => "stage-reached",
            What::TargetChanged { .. } => "target-changed",
            What::IssueOpened { .. } => "issue-opened",
            What::IssueClosed { .. } => "issue-closed",
            What::IssueReopened { .. } => "issue-reopened",
            What::ShepherdAdded { .. } => "shepherd-added",
            What::ShepherdRemoved { .. } => "shepherd-removed",
            What::LiaisonAdded { .. } => "liaison-added",
            What::LiaisonRemoved { .. } => "liaison-removed",
            What::PullLinked { .. } => "pull-linked",
            What::PullMerged { .. } => "pull-merged",
            What::ReleaseShipped { .. } => "release-shipped",
            What::FindingAppeared { .. } => "finding-appeared",
            What::FindingResolved { .. } => "finding-resolved",
            What::FindingChanged { .. } => "finding-changed",
        }
    }

    /// What the change is about.
    pub fn subject(&self) -> ChangeSubject {
        let first = |keps: &[KepNumber]| keps.first().copied();
        match self {
            What::StageReached { kep, release, .. } | What::TargetChanged { kep, release, .. } => {
                ChangeSubject {
                    kep: Some(*kep),
                    release: Some(*release),
                    ..ChangeSubject::default()
                }
            }
            What::IssueOpened { issue, keps, .. }
            | What::IssueClosed { issue, keps }
            | What::IssueReopened { issue, keps }
            | What::ShepherdAdded { issue, keps, .. }
            | What::ShepherdRemoved { issue, keps, .. }
            | What::LiaisonAdded { issue, keps, .. }
            | What::LiaisonRemoved { issue, keps, .. } => ChangeSubject {
                kep: first(keps),
                issue: Some(issue.number),
                ..ChangeSubject::default()
            },
            What::PullLinked {
                pull, kep, issue, ..
            } => ChangeSubject {
                kep: Some(*kep),
                issue: *issue,
                pull: Some(pull.number),
                ..ChangeSubject::default()
            },
            What::PullMerged { pull, keps, issue } => ChangeSubject {
                kep: first(keps),
                issue: *issue,
                pull: Some(pull.number),
                ..ChangeSubject::default()
            },
            What::ReleaseShipped { kep, .. } => ChangeSubject {
                kep: Some(*kep),
                ..ChangeSubject::default()
            },
            What::FindingAppeared { finding }
            | What::FindingResolved { finding }
            | What::FindingChanged { finding, .. } => match &finding.subject {
                check::Subject::Kep(k) => ChangeSubject {
                    kep: Some(*k),
                    ..ChangeSubject::default()
                },
                check::Subject::Issue(n) => ChangeSubject {
                    issue: Some(*n),
                    ..ChangeSubject::default()
                },
                check::Subject::File(_) => ChangeSubject::default(),
            },
        }
    }

    /// The change in words: `KEP-127 reached beta (on) in v1.33`.
    pub fn sentence(&self) -> String {
        let on = |keps: &[KepNumber]| match keps {
            [] => String::new(),
            _ => {
                let names: Vec<String> = keps.iter().map(|k| format!("KEP-{k}")).collect();
                format!(" ({})", names.join(", "))
            }
        };
        match self {
            What::StageReached {
                kep,
                release,
                to,
                from,
            } => match from {
                Some(f) => format!("KEP-{kep} reached {to} in {release} (was {f})"),
                None => format!("KEP-{kep} reached {to} in {release}"),
            },
            What::TargetChanged {
                kep,
                release,
                from,
                to,
            } => match (from, to) {
                (None, Some(t)) => format!("KEP-{kep} targets {t} in {release}"),
                (Some(f), Some(t)) => format!("KEP-{kep} now targets {t} in {release} (was {f})"),
                (Some(f), None) => format!("KEP-{kep} no longer targets {f} in {release}"),
                (None, None) => format!("KEP-{kep}'s target in {release} changed"),
            },
            What::IssueOpened { issue, keps, title } => {
                format!("{issue} opened{}: {}", on(keps), one_line(title))
            }
            What::IssueClosed { issue, keps } => format!("{issue} closed{}", on(keps)),
            What::IssueReopened { issue, keps } => format!("{issue} reopened{}", on(keps)),
            What::ShepherdAdded { issue, login, .. } => {
                format!("@{login} became a shepherd of {issue}")
            }
            What::ShepherdRemoved { issue, login, .. } => {
                format!("@{login} is no longer a shepherd of {issue}")
            }
            What::LiaisonAdded { issue, login, .. } => {
                format!("@{login} became the SIG-Node liaison of {issue}")
            }
            What::LiaisonRemoved { issue, login, .. } => {
                format!("@{login} is no longer the SIG-Node liaison of {issue}")
            }
            What::PullLinked {
                pull, kep, title, ..
            } => format!("{pull} linked to KEP-{kep}: {}", one_line(title)),
            What::PullMerged { pull, keps, .. } => format!("{pull} merged{}", on(keps)),
            What::ReleaseShipped {
                runtime,
                version,
                kep,
            } => format!("{} {version} shipped KEP-{kep}'s work", runtime.name()),
            What::FindingAppeared { finding } => {
                format!("Finding appeared: {}: {}", finding.subject, finding.message)
            }
            What::FindingResolved { finding } => {
                format!("Finding resolved: {}: {}", finding.subject, finding.message)
            }
            What::FindingChanged { finding, .. } => {
                format!("Finding changed: {}: {}", finding.subject, finding.message)
            }
        }
    }
}

/// Keeps control characters of untrusted titles out of sentences.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// One change: when it was seen, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The stable id, derived from the content by [`Change::new`] and kept
    /// as written in the log.
    id: String,
    /// The `generated_at` of the newer snapshot.
    when: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    what: What,
}

impl Change {
    /// A change seen at `when` (the newer snapshot's time), with its id.
    pub fn new(when: DateTime<Utc>, what: What) -> Change {
        let id = id_of(when, &what);
        Change { id, when, what }
    }

    /// The stable id, usable as an HTML id and URL fragment:
    /// `c-20261108-stage-reached-kep-127-<16 hex digits>`. Equal for equal
    /// content, different for different content.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When it was seen: the `generated_at` of the newer snapshot.
    pub fn when(&self) -> DateTime<Utc> {
        self.when
    }

    /// What happened.
    pub fn what(&self) -> &What {
        &self.what
    }

    /// What the change is about (KEP, issue, PR, release).
    pub fn subject(&self) -> ChangeSubject {
        self.what.subject()
    }

    /// The change in words.
    pub fn sentence(&self) -> String {
        self.what.sentence()
    }
}

/// The id of a change: readable (date, kind, subject) and a digest of the
/// whole content (time and every detail), so different changes differ.
fn id_of(when: DateTime<Utc>, what: &What) -> String {
    use sha2::{Digest, Sha256};
    // The serialisation of a value of these types is deterministic: fields
    // in declaration order, lists in the order `between` gives them.
    let content = serde_json::to_string(&(when, what)).unwrap_or_default();
    let digest = Sha256::digest(content.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let s = what.subject();
    let about = match (s.kep, s.issue, s.pull) {
        (_, _, Some(p)) => format!("pr-{p}-"),
        (_, Some(i), None) => format!("issue-{i}-"),
        (Some(k), None, None) => format!("kep-{k}-"),
        (None, None, None) => String::new(),
    };
    format!("c-{}-{}-{about}{hex}", when.format("%Y%m%d"), what.slug())
}

/// The changes a watcher cares about from `before` to `after` (see the
/// module docs), seen at `after.generated_at`, in a fixed order: stages
/// and targets, tracking issues, pull requests, releases, findings; each
/// by KEP, issue or PR number.
pub fn between(before: &Model, after: &Model) -> Vec<Change> {
    let mut out = Vec::new();
    stage_changes(before, after, &mut out);
    issue_changes(before, after, &mut out);
    pull_changes(before, after, &mut out);
    release_changes(before, after, &mut out);
    finding_changes(&check::findings(before), &check::findings(after), &mut out);
    let mut seen = BTreeSet::new();
    out.into_iter()
        .map(|w| Change::new(after.generated_at, w))
        .filter(|c| seen.insert(c.id.clone()))
        .collect()
}

/// The KEPs both models watch: of interest in `after`, and in `before`
/// too (a KEP newly of interest does not replay its past).
fn watched<'a>(
    before: &'a Model,
    after: &'a Model,
) -> impl Iterator<Item = (&'a KepEntry, Option<&'a KepEntry>)> {
    after.keps.values().filter(|k| k.is_of_interest()).map(|k| {
        let old = before.keps.get(&k.number).filter(|o| o.is_of_interest());
        (k, old)
    })
}

fn stage_changes(before: &Model, after: &Model, out: &mut Vec<What>) {
    let releases = after.k8s_releases();
    let reached = |m: &Model, k: &KepEntry, r: K8sRelease| {
        m.stage_in(k, r)
            .filter(|s| !s.is_target())
            .map(|s| StageLabel::of(&s))
    };
    let target = |m: &Model, k: &KepEntry, r: K8sRelease| {
        m.stage_in(k, r)
            .filter(StageAt::is_target)
            .map(|s| StageLabel::of(&s))
    };
    for (k, old) in watched(before, after) {
        for &r in &releases {
            if after.calendar.is_out(r) {
                let Some(old) = old else { continue };
                let now = reached(after, k, r);
                let was = reached(before, old, r).filter(|_| before.calendar.is_out(r));
                let carried = r.previous().and_then(|p| reached(after, k, p));
                if let Some(to) = now.filter(|n| Some(*n) != was && Some(*n) != carried) {
                    out.push(What::StageReached {
                        kep: k.number,
                        release: r,
                        to,
                        from: was,
                    });
                }
            } else if after.calendar.is_upcoming(r) {
                let now = target(after, k, r);
                let was = old
                    .filter(|_| before.calendar.is_upcoming(r))
                    .and_then(|o| target(before, o, r));
                if now != was {
                    out.push(What::TargetChanged {
                        kep: k.number,
                        release: r,
                        from: was,
                        to: now,
                    });
                }
            }
        }
    }
}

fn issue_changes(before: &Model, after: &Model, out: &mut Vec<What>) {
    use crate::declared::FieldKey;
    let repo = &after.tracking_repo;
    for i in after.issues.values().filter(|i| i.is_tracking()) {
        let issue = GhRef {
            repo: repo.clone(),
            number: i.number,
        };
        let keps = i.joined_keps.clone();
        let Some(old) = before.issues.get(&i.number).filter(|o| o.is_tracking()) else {
            out.push(What::IssueOpened {
                issue: issue.clone(),
                keps: keps.clone(),
                title: i.title.clone(),
            });
            if i.state == crate::github::State::Closed {
                out.push(What::IssueClosed { issue, keps });
            }
            continue;
        };
        match (old.state, i.state) {
            (crate::github::State::Open, crate::github::State::Closed) => {
                out.push(What::IssueClosed {
                    issue: issue.clone(),
                    keps: keps.clone(),
                })
            }
            (crate::github::State::Closed, crate::github::State::Open) => {
                out.push(What::IssueReopened {
                    issue: issue.clone(),
                    keps: keps.clone(),
                })
            }
            _ => {}
        }
        let known = |key| !old.parsed.is_unknown(key) && !i.parsed.is_unknown(key);
        if known(FieldKey::Shepherd) {
            let (added, removed) = people(&old.parsed.shepherds, &i.parsed.shepherds);
            out.extend(added.into_iter().map(|login| What::ShepherdAdded {
                issue: issue.clone(),
                keps: keps.clone(),
                login,
            }));
            out.extend(removed.into_iter().map(|login| What::ShepherdRemoved {
                issue: issue.clone(),
                keps: keps.clone(),
                login,
            }));
        }
        if known(FieldKey::Liaison) {
            let (added, removed) = people(&old.parsed.liaisons, &i.parsed.liaisons);
            out.extend(added.into_iter().map(|login| What::LiaisonAdded {
                issue: issue.clone(),
                keps: keps.clone(),
                login,
            }));
            out.extend(removed.into_iter().map(|login| What::LiaisonRemoved {
                issue: issue.clone(),
                keps: keps.clone(),
                login,
            }));
        }
    }
}

/// Logins in `after` not in `before`, and the other way round, each in
/// login order (compared without case, as GitHub does).
fn people(before: &[Login], after: &[Login]) -> (Vec<Login>, Vec<Login>) {
    let b: BTreeSet<&Login> = before.iter().collect();
    let a: BTreeSet<&Login> = after.iter().collect();
    (
        a.difference(&b).map(|l| (*l).clone()).collect(),
        b.difference(&a).map(|l| (*l).clone()).collect(),
    )
}

/// The first tracking issue of `kep` that `pr` is linked to.
fn tracking_issue_of(kep: &KepEntry, pr: &PullEntry) -> Option<u64> {
    pr.issues
        .iter()
        .copied()
        .find(|n| kep.tracking_issues.contains(n))
}

fn pull_changes(before: &Model, after: &Model, out: &mut Vec<What>) {
    let repo = &after.tracking_repo;
    let pull_ref = |number| GhRef {
        repo: repo.clone(),
        number,
    };
    // The KEPs of interest each PR is linked to.
    let mut keps_of: BTreeMap<u64, Vec<KepNumber>> = BTreeMap::new();
    for (k, old) in watched(before, after) {
        for n in &k.pulls {
            keps_of.entry(*n).or_default().push(k.number);
            let Some(pr) = after.pulls.get(n) else {
                continue;
            };
            if old.is_some_and(|o| o.pulls.contains(n)) {
                continue;
            }
            out.push(What::PullLinked {
                pull: pull_ref(*n),
                kep: k.number,
                issue: tracking_issue_of(k, pr),
                title: pr.title.clone(),
            });
        }
    }
    for pr in after.pulls.values() {
        let Some(merged) = pr.merged_at else { continue };
        let tracking = pr
            .issues
            .iter()
            .copied()
            .find(|n| after.issues.get(n).is_some_and(IssueEntry::is_tracking));
        let keps = keps_of.get(&pr.number).cloned().unwrap_or_default();
        if keps.is_empty() && tracking.is_none() {
            continue;
        }
        let newly = match before.pulls.get(&pr.number) {
            Some(old) => old.merged_at.is_none(),
            None => merged > before.generated_at,
        };
        if newly {
            out.push(What::PullMerged {
                pull: pull_ref(pr.number),
                keps,
                issue: tracking,
            });
        }
    }
}

/// The newest first release among the merged PRs of `kep` for `rt`.
fn newest_release(model: &Model, kep: &KepEntry, rt: Runtime) -> Option<ContainerdVersion> {
    let (numbers, pulls): (Vec<u64>, _) = match rt {
        Runtime::Containerd => (kep.pulls.clone(), &model.pulls),
        Runtime::Crio => (
            kep.crio_pulls.iter().map(|(n, _)| *n).collect(),
            &model.crio_pulls,
        ),
    };
    numbers
        .iter()
        .filter_map(|n| pulls.get(n)?.shipped.as_ref()?.release.clone())
        .max()
}

fn release_changes(before: &Model, after: &Model, out: &mut Vec<What>) {
    for (k, old) in watched(before, after) {
        let Some(old) = old else { continue };
        for rt in [Runtime::Containerd, Runtime::Crio] {
            let now = newest_release(after, k, rt);
            if let Some(version) =
                now.filter(|v| Some(v) > newest_release(before, old, rt).as_ref())
            {
                out.push(What::ReleaseShipped {
                    runtime: rt,
                    version,
                    kep: k.number,
                });
            }
        }
    }
}

/// What findings are compared by first.
type FindingKey<'a> = (check::Kind, &'a check::Subject);

/// Findings by (kind, subject), in their order.
fn by_key(fs: &[Finding]) -> BTreeMap<FindingKey<'_>, Vec<&Finding>> {
    let mut m: BTreeMap<FindingKey, Vec<&Finding>> = BTreeMap::new();
    for f in fs {
        m.entry((f.kind, &f.subject)).or_default().push(f);
    }
    m
}

/// Findings compared by (kind, subject), then message: equal messages
/// are no change; per (kind, subject), a message gone and one new are
/// paired as one "finding changed" (in their order); the rest appeared or
/// were resolved.
fn finding_changes(before: &[Finding], after: &[Finding], out: &mut Vec<What>) {
    let (b, a) = (by_key(before), by_key(after));
    let keys: BTreeSet<&FindingKey> = b.keys().chain(a.keys()).collect();
    for key in keys {
        let was = b.get(key).map(Vec::as_slice).unwrap_or_default();
        let now = a.get(key).map(Vec::as_slice).unwrap_or_default();
        let gone: Vec<&Finding> = was
            .iter()
            .copied()
            .filter(|f| !now.iter().any(|n| n.message == f.message))
            .collect();
        let new: Vec<&Finding> = now
            .iter()
            .copied()
            .filter(|f| !was.iter().any(|o| o.message == f.message))
            .collect();
        let paired = gone.len().min(new.len());
        for (g, n) in gone.iter().zip(&new) {
            out.push(What::FindingChanged {
                finding: FindingRef::of(n),
                from: g.message.clone(),
            });
        }
        out.extend(gone[paired..].iter().map(|f| What::FindingResolved {
            finding: FindingRef::of(f),
        }));
        out.extend(new[paired..].iter().map(|f| What::FindingAppeared {
            finding: FindingRef::of(f),
        }));
    }
}

/// The history of changes, oldest first: the file the deployment keeps
/// beside its snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLog {
    /// The format version; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Every change recorded, in the order recorded.
    pub changes: Vec<Change>,
}

impl Default for ChangeLog {
    fn default() -> Self {
        ChangeLog {
            schema_version: SCHEMA_VERSION,
            changes: Vec::new(),
        }
    }
}

impl ChangeLog {
    /// Reads a change log. A missing file is an empty log; a file that is
    /// not a change log is an error naming it (and the line and column for
    /// malformed JSON).
    pub fn read(path: &Path) -> Result<ChangeLog> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ChangeLog::default()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("{}: cannot read change log", path.display()))
            }
        };
        ChangeLog::from_json(&text)
            .with_context(|| format!("{}: not a usable change log", path.display()))
    }

    /// Parses change-log text; see [`ChangeLog::read`].
    pub fn from_json(text: &str) -> Result<ChangeLog> {
        // serde_json's message ends with "at line L column C".
        let log: ChangeLog = serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        if log.schema_version != SCHEMA_VERSION {
            bail!(
                "schema_version {} is not supported (this kepboard reads version {SCHEMA_VERSION})",
                log.schema_version
            );
        }
        Ok(log)
    }

    /// Writes the log atomically: a failure leaves any existing file as it was.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut json = serde_json::to_vec_pretty(self).context("serialising change log")?;
        json.push(b'\n');
        crate::fsutil::write_atomic(path, &json)
    }

    /// Appends `changes`, leaving out those whose id the log already has
    /// (recording a refresh twice adds nothing). Returns how many were added.
    pub fn record(&mut self, changes: Vec<Change>) -> usize {
        let mut ids: BTreeSet<String> = self.changes.iter().map(|c| c.id.clone()).collect();
        let before = self.changes.len();
        for c in changes {
            if ids.insert(c.id.clone()) {
                self.changes.push(c);
            }
        }
        self.changes.len() - before
    }

    /// The changes, newest first (in recorded order within one time).
    pub fn newest_first(&self) -> Vec<&Change> {
        let mut v: Vec<&Change> = self.changes.iter().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.when));
        v
    }
}

/// Records what changed from `previous` to `current` in the change log at
/// `log` (created when missing): builds both models, appends [`between`],
/// and returns how many changes were added. Without a previous snapshot
/// (the first run) nothing is recorded: there is nothing to compare with,
/// and "everything is new" is not news. The log is written only when
/// something was added.
pub fn record(previous: Option<&Snapshot>, current: &Snapshot, log: &Path) -> Result<usize> {
    let mut changes = ChangeLog::read(log)?;
    let Some(previous) = previous else {
        return Ok(0);
    };
    if previous.generated_at > current.generated_at {
        bail!(
            "the previous snapshot ({}) is newer than the current one ({})",
            previous.generated_at,
            current.generated_at
        );
    }
    let before = Model::build(previous);
    let after = Model::build(current);
    let added = changes.record(between(&before, &after));
    if added > 0 {
        changes.write(log)?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_snapshot::{issue, snapshot, tracking};
    use serde_json::json;

    fn k(n: u32) -> KepNumber {
        KepNumber::new(n).unwrap()
    }

    fn r(m: u16) -> K8sRelease {
        K8sRelease::new(1, m)
    }

    fn label(stage: Stage) -> StageLabel {
        StageLabel {
            stage,
            default: None,
        }
    }

    fn gh(number: u64) -> GhRef {
        GhRef {
            repo: "containerd/containerd".into(),
            number,
        }
    }

    /// What changed from `before` to `after`, findings left out.
    fn whats(before: &Snapshot, after: &Snapshot) -> Vec<What> {
        between(&Model::build(before), &Model::build(after))
            .into_iter()
            .map(|c| c.what)
            .filter(|w| !w.slug().starts_with("finding-"))
            .collect()
    }

    fn kep_yaml(stage: &str, latest: &str, milestones: &str) -> String {
        format!("kep-number: 5000\nowning-sig: sig-node\nstage: {stage}\nlatest-milestone: {latest}\nmilestone:\n{milestones}")
    }

    const PATH: &str = "sig-node/5000-x/kep.yaml";

    #[test]
    fn a_stage_reached_in_a_release_out() {
        let before = kep_yaml("alpha", "v1.36", "  alpha: v1.36\n  beta: v1.37\n");
        let after = kep_yaml("beta", "v1.37", "  alpha: v1.36\n  beta: v1.37\n");
        let b = snapshot(&[(PATH, &before)], json!([]), None);
        let a = snapshot(&[(PATH, &after)], json!([]), None);
        let got = whats(&b, &a);
        assert_eq!(
            got,
            [What::StageReached {
                kep: k(5000),
                release: r(37),
                to: label(Stage::Beta),
                from: Some(label(Stage::Alpha)),
            }]
        );
        assert_eq!(
            got[0].sentence(),
            "KEP-5000 reached beta in v1.37 (was alpha)"
        );
    }

    #[test]
    fn a_target_set_and_dropped() {
        let before = kep_yaml("alpha", "v1.36", "  alpha: v1.36\n  beta: v1.38\n");
        let after = kep_yaml("alpha", "v1.36", "  alpha: v1.36\n  beta: v1.39\n");
        let b = snapshot(&[(PATH, &before)], json!([]), None);
        let a = snapshot(&[(PATH, &after)], json!([]), None);
        let got = whats(&b, &a);
        assert_eq!(
            got,
            [
                What::TargetChanged {
                    kep: k(5000),
                    release: r(38),
                    from: Some(label(Stage::Beta)),
                    to: None,
                },
                What::TargetChanged {
                    kep: k(5000),
                    release: r(39),
                    from: None,
                    to: Some(label(Stage::Beta)),
                }
            ]
        );
        assert_eq!(
            got[0].sentence(),
            "KEP-5000 no longer targets beta in v1.38"
        );
        assert_eq!(got[1].sentence(), "KEP-5000 targets beta in v1.39");
    }

    fn with_state(mut v: serde_json::Value, state: &str) -> serde_json::Value {
        v["state"] = json!(state);
        v
    }

    const KEPS: [(&str, &str); 1] = [(PATH, "kep-number: 5000\nowning-sig: sig-node\n")];

    #[test]
    fn tracking_issues_open_close_and_reopen() {
        let one = tracking(1, "5000", "alpha", "1.38");
        let b = snapshot(&KEPS, json!([one]), None);
        let a = snapshot(&KEPS, json!([with_state(one.clone(), "closed")]), None);
        assert_eq!(
            whats(&b, &a),
            [What::IssueClosed {
                issue: gh(1),
                keps: vec![k(5000)]
            }]
        );
        assert_eq!(
            whats(&a, &b),
            [What::IssueReopened {
                issue: gh(1),
                keps: vec![k(5000)]
            }]
        );
        let none = snapshot(&KEPS, json!([issue(9, "unrelated", "")]), None);
        let got = whats(&none, &b);
        // The issue's declaration is the KEP's new target.
        assert_eq!(
            got[0],
            What::TargetChanged {
                kep: k(5000),
                release: r(38),
                from: None,
                to: Some(label(Stage::Alpha)),
            }
        );
        assert_eq!(
            got[1..],
            [What::IssueOpened {
                issue: gh(1),
                keps: vec![k(5000)],
                title: "[SIG-Node]: KEP-5000: something".into()
            }]
        );
        assert_eq!(
            got[1].sentence(),
            "containerd#1 opened (KEP-5000): [SIG-Node]: KEP-5000: something"
        );
    }

    #[test]
    fn shepherds_and_liaisons_come_and_go() {
        let one = tracking(1, "5000", "alpha", "1.38");
        let mut two = one.clone();
        two["body"] = json!(one["body"]
            .as_str()
            .unwrap()
            .replace("@c @d", "@c @d @Alice")
            .replace("liaison: @b", "liaison: @x"));
        let b = snapshot(&KEPS, json!([one]), None);
        let a = snapshot(&KEPS, json!([two]), None);
        let login = |s| Login::parse(s).unwrap();
        let got = whats(&b, &a);
        let keps = vec![k(5000)];
        assert_eq!(
            got,
            [
                What::ShepherdAdded {
                    issue: gh(1),
                    keps: keps.clone(),
                    login: login("Alice")
                },
                What::LiaisonAdded {
                    issue: gh(1),
                    keps: keps.clone(),
                    login: login("x")
                },
                What::LiaisonRemoved {
                    issue: gh(1),
                    keps,
                    login: login("b")
                },
            ]
        );
        assert_eq!(
            got[0].sentence(),
            "@Alice became a shepherd of containerd#1"
        );
    }

    /// `snap` with containerd PR 77 (fixing issue 1), merged at `merged`,
    /// and the containerd releases `tags` (`v2.3.0` on 2026-11-20).
    fn with_pull(mut snap: Snapshot, merged: Option<&str>, tags: &[&str]) -> Snapshot {
        snap.pulls = serde_json::from_value(json!([{
            "number": 77, "title": "cri: do the KEP-5000 thing", "body": "Fixes #1",
            "state": if merged.is_some() { "closed" } else { "open" },
            "merged_at": merged, "base": {"ref": "main"},
        }]))
        .unwrap();
        let releases: Vec<serde_json::Value> = tags
            .iter()
            .map(|t| json!({"tag_name": t, "published_at": "2026-11-20T00:00:00Z"}))
            .collect();
        snap.containerd_releases = serde_json::from_value(json!(releases)).unwrap();
        snap
    }

    #[test]
    fn pull_requests_linked_merged_and_shipped() {
        let issues = json!([tracking(1, "5000", "alpha", "1.38")]);
        let plain = snapshot(&KEPS, issues.clone(), None);
        let open = with_pull(plain.clone(), None, &[]);
        assert_eq!(
            whats(&plain, &open),
            [What::PullLinked {
                pull: gh(77),
                kep: k(5000),
                issue: Some(1),
                title: "cri: do the KEP-5000 thing".into()
            }]
        );
        let merged = with_pull(plain.clone(), Some("2026-10-01T00:00:00Z"), &[]);
        let got = whats(&open, &merged);
        assert_eq!(
            got,
            [What::PullMerged {
                pull: gh(77),
                keps: vec![k(5000)],
                issue: Some(1)
            }]
        );
        assert_eq!(got[0].sentence(), "containerd#77 merged (KEP-5000)");
        let shipped = with_pull(plain, Some("2026-10-01T00:00:00Z"), &["v2.3.0"]);
        let got = whats(&merged, &shipped);
        assert_eq!(
            got,
            [What::ReleaseShipped {
                runtime: Runtime::Containerd,
                version: ContainerdVersion::parse("v2.3.0").unwrap(),
                kep: k(5000)
            }]
        );
        assert_eq!(
            got[0].sentence(),
            "containerd v2.3.0 shipped KEP-5000's work"
        );
    }

    #[test]
    fn a_pull_merged_before_the_previous_refresh_is_not_news() {
        let issues = json!([tracking(1, "5000", "alpha", "1.38")]);
        let plain = snapshot(&KEPS, issues, None);
        // Newly in the data, merged long before the previous refresh.
        let old = with_pull(plain.clone(), Some("2025-01-01T00:00:00Z"), &[]);
        assert!(whats(&plain, &old)
            .iter()
            .all(|w| !matches!(w, What::PullMerged { .. })));
    }

    fn finding(kind: check::Kind, issue: u64, message: &str) -> Finding {
        Finding {
            kind,
            subject: check::Subject::Issue(issue),
            message: message.into(),
        }
    }

    #[test]
    fn findings_appear_resolve_and_change_once() {
        use check::Kind::{NoShepherd, OneShepherd};
        let before = [
            finding(NoShepherd, 1, "no shepherd"),
            finding(OneShepherd, 2, "one shepherd: @a"),
            finding(OneShepherd, 3, "same"),
        ];
        let after = [
            finding(OneShepherd, 1, "one shepherd: @c"),
            finding(OneShepherd, 2, "one shepherd: @b"),
            finding(OneShepherd, 3, "same"),
        ];
        let mut out = Vec::new();
        finding_changes(&before, &after, &mut out);
        let sentences: Vec<String> = out.iter().map(What::sentence).collect();
        assert_eq!(
            sentences,
            [
                "Finding resolved: issue #1: no shepherd",
                "Finding appeared: issue #1: one shepherd: @c",
                "Finding changed: issue #2: one shepherd: @b",
            ]
        );
        assert!(matches!(&out[2], What::FindingChanged { from, .. } if from == "one shepherd: @a"));
    }

    #[test]
    fn nothing_changes_between_a_model_and_itself() {
        let issues = json!([tracking(1, "5000", "beta", "1.38")]);
        let snap = with_pull(
            snapshot(&KEPS, issues, None),
            Some("2026-10-01T00:00:00Z"),
            &["v2.3.0"],
        );
        let m = Model::build(&snap);
        assert!(!check::findings(&m).is_empty());
        assert_eq!(between(&m, &m), []);
    }

    #[test]
    fn ids_are_stable_readable_and_differ_with_the_content() {
        let when: DateTime<Utc> = "2026-11-08T06:00:00Z".parse().unwrap();
        let what = What::StageReached {
            kep: k(127),
            release: r(33),
            to: StageLabel {
                stage: Stage::Beta,
                default: Some(GateDefault::On),
            },
            from: None,
        };
        let c = Change::new(when, what.clone());
        assert_eq!(c.id(), Change::new(when, what.clone()).id());
        assert!(
            c.id().starts_with("c-20261108-stage-reached-kep-127-"),
            "{}",
            c.id()
        );
        assert!(c
            .id()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        assert_eq!(c.sentence(), "KEP-127 reached beta (on) in v1.33");
        let later = Change::new(when + chrono::Duration::hours(1), what.clone());
        assert_ne!(c.id(), later.id());
        let other = What::StageReached {
            kep: k(127),
            release: r(33),
            to: label(Stage::Beta),
            from: None,
        };
        assert_ne!(c.id(), Change::new(when, other).id());
    }

    fn sample_log() -> ChangeLog {
        let when: DateTime<Utc> = "2026-11-08T06:00:00Z".parse().unwrap();
        let mut log = ChangeLog::default();
        log.record(vec![
            Change::new(
                when,
                What::ShepherdAdded {
                    issue: gh(12104),
                    keps: vec![k(127)],
                    login: Login::parse("alice").unwrap(),
                },
            ),
            Change::new(
                when,
                What::FindingAppeared {
                    finding: FindingRef::of(&finding(check::Kind::NoShepherd, 5, "none")),
                },
            ),
            Change::new(
                when,
                What::ReleaseShipped {
                    runtime: Runtime::Crio,
                    version: ContainerdVersion::parse("v1.33.0").unwrap(),
                    kep: k(4639),
                },
            ),
        ]);
        log
    }

    #[test]
    fn the_log_round_trips_and_records_each_change_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("changes.json");
        assert_eq!(ChangeLog::read(&path).unwrap(), ChangeLog::default());
        let mut log = sample_log();
        assert_eq!(log.changes.len(), 3);
        log.write(&path).unwrap();
        let read = ChangeLog::read(&path).unwrap();
        assert_eq!(read, log);
        assert_eq!(
            read.changes[0].sentence(),
            "@alice became a shepherd of containerd#12104"
        );
        assert_eq!(
            read.changes[2].sentence(),
            "CRI-O v1.33.0 shipped KEP-4639's work"
        );
        let again = sample_log().changes;
        assert_eq!(log.record(again), 0);
        assert_eq!(log.changes.len(), 3);
    }

    #[test]
    fn a_bad_log_is_an_error_naming_the_file_and_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("changes.json");
        std::fs::write(&path, "{\n  \"schema_version\": 1,\n  oops\n}").unwrap();
        let e = format!("{:#}", ChangeLog::read(&path).unwrap_err());
        assert!(
            e.contains("changes.json") && e.contains("line 3 column"),
            "{e}"
        );
        std::fs::write(&path, "{\"schema_version\": 7, \"changes\": []}").unwrap();
        let e = format!("{:#}", ChangeLog::read(&path).unwrap_err());
        assert!(e.contains("schema_version 7"), "{e}");
    }

    #[test]
    fn record_without_a_previous_snapshot_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("changes.json");
        let issues = json!([tracking(1, "5000", "alpha", "1.38")]);
        let snap = snapshot(&KEPS, issues, None);
        assert_eq!(record(None, &snap, &path).unwrap(), 0);
        assert!(!path.exists());
        let mut later = with_pull(snap.clone(), None, &[]);
        later.generated_at = "2026-11-26T00:00:00Z".parse().unwrap();
        let added = record(Some(&snap), &later, &path).unwrap();
        assert!(added >= 1);
        assert_eq!(record(Some(&snap), &later, &path).unwrap(), 0);
        assert_eq!(ChangeLog::read(&path).unwrap().changes.len(), added);
        assert!(record(Some(&later), &snap, &path).is_err());
    }
}
