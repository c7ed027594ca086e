//! The joined model: KEPs with their stage per Kubernetes release, their
//! tracking and related issues, and the pull requests that did the work.
//!
//! Built from a [`Snapshot`] by one pure function, [`Model::build`]. Joins go
//! through maps keyed by KEP and issue number, never nested scans, so the
//! cost grows with the data, not its square. This module decides *what is
//! linked to what*; `check` decides what is wrong with it and `site` how it
//! looks.

pub mod crio;
pub mod gate_evidence;
pub mod policy;
pub mod stage;
#[cfg(test)]
pub(crate) mod test_snapshot;

use crate::calendar::Calendar;
use crate::declared::{IssueKind, Parsed};
use crate::domain::{ContainerdVersion, K8sRelease, KepNumber, Login, Stage};
use crate::gates::FeatureGates;
use crate::github::{self, State};
use crate::kep::{Kep, LoadError};
use crate::links::GitHubLinks;
use crate::shipping::{self, Shipped};
use crate::snapshot::Snapshot;
use crate::tracking;
use chrono::{DateTime, Utc};
pub use crio::CrioLink;
pub use gate_evidence::GateJoinedIssue;
use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;
pub use stage::{Basis, DeclaredTarget, KepGate, Milestone, MilestoneState, StageAt};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// A tracking or related issue with what its text says.
#[derive(Debug, Clone, Serialize)]
pub struct IssueEntry {
    /// The issue number.
    pub number: u64,
    /// The title as written (untrusted).
    pub title: String,
    /// The issue on github.com.
    pub url: String,
    /// Open or closed.
    pub state: State,
    /// Who opened it, when known.
    pub author: Option<String>,
    /// `None` when the source did not say (not the same as no labels).
    pub labels: Option<Vec<String>>,
    /// Kubernetes releases named by the issue's labels (`k8s/1.36`).
    pub release_labels: Vec<K8sRelease>,
    /// GitHub assignees, kept apart from the shepherds the body declares.
    pub assignees: Vec<Login>,
    /// When it was opened, when known.
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed, when known.
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was closed, when known.
    pub closed_at: Option<DateTime<Utc>>,
    /// The body as written (untrusted Markdown).
    pub body: String,
    /// What the title and body declare.
    pub parsed: Parsed,
    /// The KEPs the issue is joined to: its KEP numbers, less those that
    /// name no kep.yaml while another of them does; when none has one, the
    /// KEP whose gate its text names, if exactly one (see [`gate_evidence`]).
    pub joined_keps: Vec<KepNumber>,
    /// Pull requests linked to this issue, by number.
    pub pulls: Vec<u64>,
    /// The latest containerd release among its merged PRs' first releases.
    pub containerd_release: Option<ContainerdVersion>,
}

impl IssueEntry {
    /// Whether it is a tracking issue in the template's form.
    pub fn is_tracking(&self) -> bool {
        self.parsed.kind == IssueKind::Tracking
    }

    /// Releases the issue names: its declared targets and its release labels.
    pub fn named_releases(&self) -> impl Iterator<Item = K8sRelease> + '_ {
        self.parsed
            .targets
            .iter()
            .filter_map(|t| t.k8s_release)
            .chain(self.release_labels.iter().copied())
    }

    /// Whether it targets or is labelled for `r`.
    pub fn names_release(&self, r: K8sRelease) -> bool {
        self.named_releases().any(|x| x == r)
    }
}

/// A pull request of the tracking repository that did KEP work.
#[derive(Debug, Clone, Serialize)]
pub struct PullEntry {
    /// The PR number.
    pub number: u64,
    /// The title as written (untrusted).
    pub title: String,
    /// The PR on github.com.
    pub url: String,
    /// Open or closed.
    pub state: State,
    /// When it was merged; `None` if it was not.
    pub merged_at: Option<DateTime<Utc>>,
    /// The branch it was merged into (`main`, `release/2.1`).
    pub base: Option<String>,
    /// Its milestone title.
    pub milestone: Option<String>,
    /// Who opened it.
    pub author: Option<String>,
    /// KEPs the PR's title or branch names itself.
    pub kep_numbers: Vec<KepNumber>,
    /// Tracking or related issues it is linked to.
    pub issues: Vec<u64>,
    /// The containerd release that first shipped it, and by which rule.
    pub shipped: Option<Shipped>,
}

impl PullEntry {
    /// A GitHub pull request with what the caller joined to it: the KEPs
    /// and issues it is linked to and the release that shipped it. `url`
    /// is used when GitHub gave none.
    pub fn from_github(
        pr: &github::PullRequest,
        url: String,
        kep_numbers: Vec<KepNumber>,
        issues: Vec<u64>,
        shipped: Option<Shipped>,
    ) -> PullEntry {
        PullEntry {
            number: pr.number,
            title: pr.title.clone(),
            url: github::web_url(pr.html_url.as_deref()).unwrap_or(url),
            state: pr.state,
            merged_at: pr.merged_at,
            base: pr.base.as_ref().map(|b| b.name.clone()),
            milestone: pr.milestone.as_ref().map(|m| m.title.clone()),
            author: pr.user.as_ref().map(|u| u.login.clone()),
            kep_numbers,
            issues,
            shipped,
        }
    }

    /// `merged`, `open` or `closed` (closed without merging).
    pub fn status(&self) -> &'static str {
        match (self.merged_at, self.state) {
            (Some(_), _) => "merged",
            (None, State::Open) => "open",
            (None, State::Closed) => "closed",
        }
    }
}

/// One KEP: metadata when its kep.yaml is known, and everything linked to it.
#[derive(Debug, Clone, Serialize)]
pub struct KepEntry {
    /// The KEP number.
    pub number: KepNumber,
    /// `None`: a tracking issue names the KEP but no kep.yaml was found.
    pub kep: Option<Kep>,
    /// Other kep.yaml files with the same number, not used (see
    /// [`live_first`]); kept so the KEP's page can link them.
    pub other_files: Vec<Kep>,
    /// kep.yaml milestones with their state (reached, planned, ...), in
    /// release order. See [`stage`].
    pub milestones: Vec<Milestone>,
    /// Tracking issues in the template's form, by number.
    pub tracking_issues: Vec<u64>,
    /// Issues that name the KEP without the template: pre-template tracking
    /// issues and other mentions, by number.
    pub related_issues: Vec<u64>,
    /// Pull requests that did its work, by number.
    pub pulls: Vec<u64>,
    /// CRI-O pull requests joined to it, in number order, each with where
    /// the link comes from (see [`crio`]).
    pub crio_pulls: Vec<(u64, CrioLink)>,
    /// The feature gate that stands for it in Kubernetes' feature list,
    /// when one is known (see [`stage`]).
    #[serde(skip)]
    pub gate: Option<KepGate>,
    /// Per stage, the containerd release that shipped the runtime side: the
    /// latest first release among the merged PRs counted toward that stage
    /// (see `Model::stage_of_merge`).
    pub shipped: BTreeMap<Stage, ContainerdVersion>,
}

impl KepEntry {
    /// The title from kep.yaml, else from the first tracking issue's title.
    pub fn title<'a>(&'a self, model: &'a Model) -> &'a str {
        if let Some(k) = self.kep.as_ref().filter(|k| !k.title.is_empty()) {
            return &k.title;
        }
        self.tracking_issues
            .iter()
            .chain(&self.related_issues)
            .filter_map(|n| model.issues.get(n))
            .map(|i| tracking::title_subject(&i.title))
            .next()
            .unwrap_or("")
    }

    /// The owning SIG, from kep.yaml.
    pub fn owning_sig(&self) -> Option<&str> {
        self.kep.as_ref()?.owning_sig.as_ref().map(|s| s.as_str())
    }

    /// The KEPs kepboard is about: owned by SIG Node, or tracked in the
    /// tracking repository (template or pre-template issues).
    pub fn is_of_interest(&self) -> bool {
        self.owning_sig() == Some(SIG_NODE) || self.is_tracked()
    }

    /// Whether any issue of the tracking repository tracks the KEP, in the
    /// template's form or before it.
    pub fn is_tracked(&self) -> bool {
        !self.tracking_issues.is_empty() || !self.related_issues.is_empty()
    }

    /// Withdrawn, rejected, replaced or deferred: reaches nothing new.
    pub fn is_inactive(&self) -> bool {
        self.kep.as_ref().is_some_and(Kep::is_inactive)
    }

    /// The milestones not reached (planned, not confirmed by kep.yaml, or
    /// dropped): plans the KEP's page shows, never stages.
    pub fn plans(&self) -> impl Iterator<Item = &Milestone> {
        self.milestones
            .iter()
            .filter(|m| m.state != MilestoneState::Reached)
    }
}

/// A feature gate named in a kep.yaml, joined to Kubernetes' record of it.
#[derive(Debug, Clone, Copy)]
pub struct GateJoin<'a> {
    /// The name as kep.yaml writes it.
    pub name: &'a str,
    /// The gate's history, when Kubernetes' feature list has it.
    pub history: Option<&'a crate::gates::GateHistory>,
}

/// The SIG whose KEPs kepboard covers.
pub const SIG_NODE: &str = "sig-node";

/// A release of containerd.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerdRelease {
    /// The version.
    pub version: ContainerdVersion,
    /// When it was published.
    pub date: Option<DateTime<Utc>>,
    /// Its page on github.com.
    pub url: Option<String>,
}

/// The joined model: everything a site build and `check` read.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// When the snapshot was taken: the only time the site shows.
    pub generated_at: DateTime<Utc>,
    /// Where the facts came from.
    pub source: crate::snapshot::Source,
    /// `owner/name` of the tracking repository.
    pub tracking_repo: String,
    /// Every KEP: with kep.yaml, or only named by an issue.
    pub keps: BTreeMap<KepNumber, KepEntry>,
    /// Tracking and related issues; unrelated issues are left out.
    pub issues: BTreeMap<u64, IssueEntry>,
    /// Pull requests of the tracking repository.
    pub pulls: BTreeMap<u64, PullEntry>,
    /// CRI-O pull requests joined to a KEP, with their first CRI-O release.
    pub crio_pulls: BTreeMap<u64, PullEntry>,
    /// CRI-O pull requests configured for a KEP (`kepboard.toml`) that no
    /// page can show: the PR is not among the data's CRI-O PRs, or the KEP
    /// is not in the data. (KEP, PR), in that order.
    pub unknown_crio_links: Vec<(KepNumber, u64)>,
    /// Which Kubernetes releases are out at `generated_at`, and when.
    #[serde(skip)]
    pub calendar: Calendar,
    /// github.com URLs for the snapshot's repositories.
    #[serde(skip)]
    pub links: GitHubLinks,
    /// containerd releases, oldest first (drafts and non-version tags left out).
    pub containerd_releases: Vec<ContainerdRelease>,
    /// kep.yaml files that could not be read, or had no KEP number.
    pub kep_errors: Vec<LoadError>,
    /// KEP numbers declared by more than one kep.yaml: the used file first.
    pub duplicate_keps: Vec<(KepNumber, Vec<String>)>,
    /// KEP numbers an issue names that no kep.yaml has, while another
    /// number of the same issue does: (issue, number). Not joined.
    pub unknown_kep_refs: Vec<(u64, KepNumber)>,
    /// Issues whose KEP numbers name no kep.yaml, joined to the one KEP
    /// whose feature gate their text names, by issue number.
    pub gate_joined_issues: Vec<GateJoinedIssue>,
    /// containerd's Kubernetes support matrix, when RELEASES.md was gathered.
    pub support: Option<crate::support::SupportMatrix>,
    /// Kubernetes' feature-gate history, when gathered; an unreadable file
    /// is the error message instead.
    #[serde(skip)]
    pub feature_gates: Option<Result<FeatureGates, String>>,
}

impl Model {
    /// Joins the snapshot's facts. Pure and infallible: problems in the data
    /// become warnings and findings, not errors. The result does not depend
    /// on the order of the snapshot's lists.
    pub fn build(snapshot: &Snapshot) -> Model {
        let calendar = Calendar::from_snapshot(snapshot);
        let (mut keps, mut kep_errors, duplicate_keps) = load_keps(snapshot, &calendar);
        let links = GitHubLinks::new(&snapshot.tracking_repo, &snapshot.enhancements);
        let (issues, unknown_kep_refs, gate_joined_issues) =
            join_issues(snapshot, &mut keps, &links);
        let containerd_releases = containerd_releases(snapshot);
        let mut model = Model {
            generated_at: snapshot.generated_at,
            source: snapshot.source.clone(),
            tracking_repo: snapshot.tracking_repo.clone(),
            keps,
            issues,
            pulls: BTreeMap::new(),
            crio_pulls: BTreeMap::new(),
            unknown_crio_links: Vec::new(),
            calendar,
            links,
            containerd_releases,
            kep_errors: Vec::new(),
            duplicate_keps,
            unknown_kep_refs,
            gate_joined_issues,
            support: snapshot
                .containerd_releases_md
                .as_deref()
                .map(crate::support::parse),
            feature_gates: snapshot.feature_gates.as_deref().map(FeatureGates::parse),
        };
        model.join_gates();
        model.join_pulls(snapshot);
        model.join_crio(snapshot);
        model.ship();
        kep_errors.sort_by(|a, b| a.path.cmp(&b.path));
        model.kep_errors = kep_errors;
        for k in model.keps.values_mut() {
            for v in [&mut k.tracking_issues, &mut k.related_issues, &mut k.pulls] {
                v.sort_unstable();
                v.dedup();
            }
        }
        model
    }

    /// Gives each KEP its feature gate, when Kubernetes' list has one.
    fn join_gates(&mut self) {
        let Some(Ok(gates)) = &self.feature_gates else {
            return;
        };
        let Some(newest) = gates.newest() else {
            return;
        };
        let chosen: Vec<(KepNumber, KepGate)> = self
            .keps
            .values()
            .filter_map(|k| {
                let joined = self.gate_joins(k).into_iter().filter_map(|g| g.history);
                Some((k.number, KepGate::choose(joined, newest)?))
            })
            .collect();
        for (n, gate) in chosen {
            if let Some(k) = self.keps.get_mut(&n) {
                k.gate = Some(gate);
            }
        }
    }

    /// Reads every pull request, works out its first release, and links it
    /// to its issues and KEPs through the maps.
    fn join_pulls(&mut self, snapshot: &Snapshot) {
        let tags = shipping_tags(&self.containerd_releases);
        let explicit: BTreeSet<(u64, u64)> = snapshot
            .issue_pr_links
            .iter()
            .map(|l| (l.pull, l.issue))
            .collect();
        for pr in &snapshot.pulls {
            let entry = pull_entry(pr, &explicit, &self.issues, &self.links, &tags);
            self.pulls.insert(pr.number, entry);
        }
        for pr in self.pulls.values() {
            let mut kep_set: BTreeSet<KepNumber> = pr.kep_numbers.iter().copied().collect();
            for n in &pr.issues {
                if let Some(issue) = self.issues.get_mut(n) {
                    issue.pulls.push(pr.number);
                    kep_set.extend(issue.joined_keps.iter().copied());
                }
            }
            for k in kep_set {
                self.keps
                    .entry(k)
                    .or_insert_with(|| KepEntry::unknown(k))
                    .pulls
                    .push(pr.number);
            }
        }
        for issue in self.issues.values_mut() {
            issue.pulls.sort_unstable();
            issue.pulls.dedup();
        }
    }

    /// CRI-O's pull requests, joined to the KEPs in the model (see
    /// [`crio`]); configured links no page can show are kept aside.
    fn join_crio(&mut self, snapshot: &Snapshot) {
        let links = &snapshot.crio_kep_links;
        let joined = crio::join(
            &snapshot.crio_pulls,
            &snapshot.crio_releases,
            links,
            &self.links,
        );
        for (k, pulls) in joined.by_kep {
            if let Some(kep) = self.keps.get_mut(&k) {
                kep.crio_pulls = pulls;
            }
        }
        let mut unknown = joined.missing;
        let no_kep = links.iter().filter(|l| !self.keps.contains_key(&l.kep));
        unknown.extend(no_kep.map(|l| (l.kep, l.pull)));
        unknown.sort_unstable();
        unknown.dedup();
        self.unknown_crio_links = unknown;
        self.crio_pulls = joined.pulls;
    }

    /// The containerd release of each issue and of each KEP stage.
    fn ship(&mut self) {
        for issue in self.issues.values_mut() {
            issue.containerd_release = issue
                .pulls
                .iter()
                .filter_map(|n| self.pulls.get(n)?.shipped.as_ref()?.release.clone())
                .max();
        }
        let mut shipped: Vec<(KepNumber, Stage, ContainerdVersion)> = Vec::new();
        for kep in self.keps.values() {
            for n in &kep.pulls {
                let Some(pr) = self.pulls.get(n) else {
                    continue;
                };
                let (Some(merged), Some(release)) = (
                    pr.merged_at,
                    pr.shipped.as_ref().and_then(|s| s.release.clone()),
                ) else {
                    continue;
                };
                if let Some(stage) = self.stage_of_merge(kep, merged) {
                    shipped.push((kep.number, stage, release));
                }
            }
        }
        for (k, stage, release) in shipped {
            let Some(kep) = self.keps.get_mut(&k) else {
                continue;
            };
            let slot = kep.shipped.entry(stage).or_insert_with(|| release.clone());
            if release > *slot {
                *slot = release;
            }
        }
    }

    /// The stage of KEP `k` in release `r`, and why: see [`stage`]. The one
    /// answer every page, the chart, `keps.json` and `check` use.
    pub fn stage_in(&self, k: &KepEntry, r: K8sRelease) -> Option<StageAt> {
        let declared = self.tracking_issues(k).flat_map(|i| {
            i.parsed.targets.iter().filter_map(move |t| {
                Some(DeclaredTarget {
                    issue: i.number,
                    stage: t.stage,
                    default: t.gate,
                    release: t.k8s_release?,
                })
            })
        });
        stage::stage_in(k, r, &self.calendar, declared)
    }

    /// The feature gates kep.yaml names for `k`, each with its history in
    /// Kubernetes' feature list when the list has it (names compared
    /// without case). Placeholders (`NA`, `n/a`, `MyFeature`) are left out.
    /// Empty when no feature list was gathered.
    pub fn gate_joins<'a>(&'a self, k: &'a KepEntry) -> Vec<GateJoin<'a>> {
        let Some(Ok(gates)) = &self.feature_gates else {
            return Vec::new();
        };
        k.kep
            .iter()
            .flat_map(|m| &m.feature_gates)
            .filter(|g| !gate_evidence::is_placeholder_gate(g))
            .map(|name| GateJoin {
                name,
                history: gates.get(name),
            })
            .collect()
    }

    /// The cycle under way: see [`Calendar::current`].
    pub fn current_release(&self) -> Option<K8sRelease> {
        self.calendar.current()
    }

    /// Every release that gets a page, oldest first: from the first release
    /// a KEP of interest reached a stage in (or a tracking issue names) up
    /// to the next cycle, without gaps.
    pub fn k8s_releases(&self) -> Vec<K8sRelease> {
        let first = self
            .keps
            .values()
            .filter(|k| k.is_of_interest())
            .flat_map(|k| self.named_releases(k))
            .min();
        self.calendar.releases_from(first)
    }

    /// Whether release `r`'s page lists KEP `k`: a KEP of interest that
    /// reached a milestone in `r` (or whose gate changed in `r`, by
    /// Kubernetes' feature list), has a target for `r`, or whose tracking
    /// issue targets or is labelled for `r`; in a released `r` also one whose
    /// latest milestone is `r`. Withdrawn (etc.) KEPs are not listed in the
    /// cycles not out yet.
    pub fn lists(&self, k: &KepEntry, r: K8sRelease) -> bool {
        if !k.is_of_interest() || (k.is_inactive() && !self.calendar.is_out(r)) {
            return false;
        }
        let worked_on =
            k.kep.as_ref().and_then(|m| m.latest_milestone) == Some(r) && self.calendar.is_out(r);
        worked_on
            || k.milestones
                .iter()
                .any(|m| m.release == r && m.state == MilestoneState::Reached)
            || self
                .stage_in(k, r)
                .is_some_and(|s| s.is_target() || s.basis == Basis::Gate { since: r })
            || self.tracking_issues(k).any(|i| i.names_release(r))
    }

    /// The KEPs release `r`'s page lists, by number.
    pub fn release_keps(&self, r: K8sRelease) -> Vec<&KepEntry> {
        self.keps.values().filter(|k| self.lists(k, r)).collect()
    }

    /// Releases a KEP has a reached milestone in, or a tracking issue names.
    fn named_releases<'a>(&'a self, k: &'a KepEntry) -> impl Iterator<Item = K8sRelease> + 'a {
        let reached = k
            .milestones
            .iter()
            .filter(|m| m.state == MilestoneState::Reached)
            .map(|m| m.release);
        let declared = self
            .tracking_issues(k)
            .flat_map(|i| i.named_releases())
            .filter(|r| self.calendar.is_out(*r) || self.calendar.is_upcoming(*r));
        reached.chain(declared)
    }

    /// The template tracking issues of `kep`.
    pub fn tracking_issues<'a>(
        &'a self,
        kep: &'a KepEntry,
    ) -> impl Iterator<Item = &'a IssueEntry> {
        kep.tracking_issues
            .iter()
            .filter_map(|n| self.issues.get(n))
    }

    /// The issues that track `kep` in the tracking repository, for display:
    /// its template tracking issues, or else the issues written before the
    /// template that name it (`true`: these are pre-template issues).
    pub fn containerd_tracking<'a>(&'a self, kep: &'a KepEntry) -> (Vec<&'a IssueEntry>, bool) {
        let template: Vec<&IssueEntry> = self.tracking_issues(kep).collect();
        if !template.is_empty() {
            return (template, false);
        }
        let pre: Vec<&IssueEntry> = kep
            .related_issues
            .iter()
            .filter_map(|n| self.issues.get(n))
            .collect();
        let is_pre = !pre.is_empty();
        (pre, is_pre)
    }

    /// The KEP stage a PR merged at `merged` worked toward: the KEP's stage
    /// in the Kubernetes release being developed then; before its first
    /// reached milestone, the first stage it reached. Without reached
    /// milestones, the one stage its tracking issues declare, if just one.
    fn stage_of_merge(&self, kep: &KepEntry, merged: DateTime<Utc>) -> Option<Stage> {
        if let Some(cycle) = self.calendar.cycle_on(merged.date_naive()) {
            if let Some(s) = self.stage_in(kep, cycle) {
                return Some(s.stage);
            }
            let first = kep
                .milestones
                .iter()
                .find(|m| m.state == MilestoneState::Reached);
            if let Some(m) = first.filter(|m| m.release > cycle) {
                return Some(m.stage);
            }
        }
        let declared: BTreeSet<Stage> = self
            .tracking_issues(kep)
            .flat_map(|i| i.parsed.targets.iter().map(|t| t.stage))
            .collect();
        let mut it = declared.into_iter();
        match (it.next(), it.next()) {
            (Some(s), None) => Some(s),
            _ => None,
        }
    }
}

impl KepEntry {
    fn unknown(number: KepNumber) -> KepEntry {
        KepEntry {
            number,
            kep: None,
            other_files: Vec::new(),
            milestones: Vec::new(),
            tracking_issues: Vec::new(),
            related_issues: Vec::new(),
            pulls: Vec::new(),
            crio_pulls: Vec::new(),
            gate: None,
            shipped: BTreeMap::new(),
        }
    }

    /// The entry of a KEP from its live kep.yaml and the other files
    /// declaring its number.
    fn from_files(live: Kep, others: Vec<Kep>, cal: &Calendar) -> KepEntry {
        let number = live.number;
        KepEntry {
            milestones: stage::milestones(&live, cal),
            kep: Some(live),
            other_files: others,
            ..KepEntry::unknown(number)
        }
    }
}

/// Orders kep.yaml files declaring the same KEP number, the live one first:
/// not withdrawn/replaced/..., folder named after the number, the newest
/// `latest-milestone`, then by path.
pub fn live_first(a: &Kep, b: &Kep) -> std::cmp::Ordering {
    let rank = |k: &Kep| {
        (
            k.is_inactive(),
            !k.folder_matches_number(),
            std::cmp::Reverse(k.latest_milestone),
        )
    };
    rank(a).cmp(&rank(b)).then_with(|| a.path.cmp(&b.path))
}

/// What [`load_keps`] gives: the KEPs, the files that could not be used,
/// and the numbers declared by several files (the used path first).
type LoadedKeps = (
    BTreeMap<KepNumber, KepEntry>,
    Vec<LoadError>,
    Vec<(KepNumber, Vec<String>)>,
);

/// Interprets every kep.yaml; a number declared by several files keeps the
/// live one (see [`live_first`]) and lists the others.
fn load_keps(snapshot: &Snapshot, cal: &Calendar) -> LoadedKeps {
    let mut errors = snapshot.kep_errors.clone();
    let mut by_number: BTreeMap<KepNumber, Vec<Kep>> = BTreeMap::new();
    for file in &snapshot.keps {
        match Kep::from_file(file) {
            Some(kep) => by_number.entry(kep.number).or_default().push(kep),
            None if file.path.starts_with("NNNN") => {}
            None => errors.push(LoadError {
                path: file.path.clone(),
                message: format!("{}: no usable kep-number", file.path),
            }),
        }
    }
    let mut duplicates = Vec::new();
    let keps = by_number
        .into_iter()
        .filter_map(|(n, mut files)| {
            files.sort_by(live_first);
            let mut files = files.into_iter();
            let entry = KepEntry::from_files(files.next()?, files.collect(), cal);
            if !entry.other_files.is_empty() {
                let used = entry.kep.iter().chain(&entry.other_files);
                duplicates.push((n, used.map(|k| k.path.clone()).collect()));
            }
            Some((n, entry))
        })
        .collect();
    (keps, errors, duplicates)
}

/// What [`join_issues`] gives: the issues by number, the KEP numbers named
/// beside a known one (not joined), and the issues joined by a gate name.
type JoinedIssues = (
    BTreeMap<u64, IssueEntry>,
    Vec<(u64, KepNumber)>,
    Vec<GateJoinedIssue>,
);

/// Parses every issue and joins it to its KEPs. A number no kep.yaml has,
/// named beside one that has one, is reported instead of joined; an issue
/// none of whose numbers has one is joined to the KEP whose gate its text
/// names, when exactly one (see [`gate_evidence`]), else to its numbers.
fn join_issues(
    snapshot: &Snapshot,
    keps: &mut BTreeMap<KepNumber, KepEntry>,
    links: &GitHubLinks,
) -> JoinedIssues {
    // Bodies from the API are whole; imported copies (digests, archives)
    // may be cut off, which the parser then takes into account.
    let parse = if snapshot.source.bodies_are_whole() {
        tracking::parse_complete
    } else {
        tracking::parse
    };
    // Parsing bodies is the costly part of the join: in parallel, in order.
    let parsed: Vec<(&github::Issue, Parsed)> = snapshot
        .issues
        .par_iter()
        .filter(|i| !i.is_pull_request())
        .map(|i| (i, parse(&i.title, i.body.as_deref().unwrap_or(""))))
        .collect();
    // Before any issue adds a KEP without kep.yaml: only kep.yaml gates.
    let gates = gate_evidence::GateIndex::new(keps);
    let mut issues = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut by_gate = Vec::new();
    for (issue, parsed) in parsed {
        if parsed.kind == IssueKind::Unrelated {
            continue;
        }
        let stated = &parsed.kep_numbers;
        let known: Vec<KepNumber> = stated
            .iter()
            .copied()
            .filter(|n| keps.get(n).is_some_and(|k| k.kep.is_some()))
            .collect();
        let texts = [issue.title.as_str(), issue.body.as_deref().unwrap_or("")];
        let joined = if !known.is_empty() {
            let not_known = stated.iter().filter(|n| !known.contains(n));
            unknown.extend(not_known.map(|n| (issue.number, *n)));
            known
        } else if let Some((kep, gate)) = (!stated.is_empty())
            .then(|| gates.evidence(&texts))
            .flatten()
        {
            by_gate.push(GateJoinedIssue {
                issue: issue.number,
                stated: stated.clone(),
                kep,
                gate,
            });
            vec![kep]
        } else {
            stated.clone()
        };
        for n in &joined {
            let entry = keps.entry(*n).or_insert_with(|| KepEntry::unknown(*n));
            match parsed.kind {
                IssueKind::Tracking => entry.tracking_issues.push(issue.number),
                _ => entry.related_issues.push(issue.number),
            }
        }
        let mut entry = issue_entry(issue, parsed, links);
        entry.joined_keps = joined;
        issues.insert(issue.number, entry);
    }
    unknown.sort_unstable();
    by_gate.sort_by_key(|j| j.issue);
    (issues, unknown, by_gate)
}

/// containerd releases by version; tags that are not `v`-prefixed
/// versions (the API module's `api/v1.0.0`, the 2015 `0.0.2`) are left out.
fn containerd_releases(snapshot: &Snapshot) -> Vec<ContainerdRelease> {
    let mut out: Vec<ContainerdRelease> = snapshot
        .containerd_releases
        .iter()
        .filter(|r| !r.draft)
        .filter_map(|r| {
            Some(ContainerdRelease {
                version: ContainerdVersion::from_tag(&r.tag_name)?,
                date: r.date(),
                url: github::web_url(r.html_url.as_deref()),
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.version, a.date).cmp(&(&b.version, b.date)));
    out.dedup_by(|a, b| a.version == b.version);
    out
}

/// The tags the shipping rules walk, in date order.
fn shipping_tags(releases: &[ContainerdRelease]) -> Vec<shipping::Tag> {
    let mut tags: Vec<shipping::Tag> = releases
        .iter()
        .filter_map(|r| {
            Some(shipping::Tag {
                version: r.version.clone(),
                date: r.date?,
            })
        })
        .collect();
    tags.sort_by(|a, b| (a.date, &a.version).cmp(&(b.date, &b.version)));
    tags
}

/// One pull request with the issues it is linked to (by the timeline or by
/// its text) and the release that first shipped it.
fn pull_entry(
    pr: &github::PullRequest,
    explicit: &BTreeSet<(u64, u64)>,
    issues: &BTreeMap<u64, IssueEntry>,
    links: &GitHubLinks,
    tags: &[shipping::Tag],
) -> PullEntry {
    let mut linked: BTreeSet<u64> = explicit
        .range((pr.number, 0)..=(pr.number, u64::MAX))
        .map(|(_, i)| *i)
        .collect();
    let text = format!("{}\n{}", pr.title, pr.body.as_deref().unwrap_or(""));
    linked.extend(issue_refs(&text, links.tracking_repo()).filter(|n| issues.contains_key(n)));
    let branch = pr.head.as_ref().map(|h| h.name.as_str()).unwrap_or("");
    let facts = shipping::PullFacts {
        merged_at: pr.merged_at,
        base: pr.base.as_ref().map(|b| b.name.as_str()),
        milestone: pr.milestone.as_ref().map(|m| m.title.as_str()),
    };
    PullEntry::from_github(
        pr,
        links.pull(pr.number),
        pr_kep_numbers(&pr.title, branch),
        linked.into_iter().collect(),
        shipping::first_release(&facts, tags),
    )
}

fn issue_entry(issue: &github::Issue, parsed: Parsed, links: &GitHubLinks) -> IssueEntry {
    let labels: Option<Vec<String>> = issue
        .labels
        .as_ref()
        .map(|l| l.iter().map(|l| l.name.clone()).collect());
    let mut release_labels: Vec<K8sRelease> = labels
        .iter()
        .flatten()
        .filter_map(|l| release_label(l))
        .collect();
    release_labels.sort();
    release_labels.dedup();
    IssueEntry {
        number: issue.number,
        title: issue.title.clone(),
        url: github::web_url(issue.html_url.as_deref())
            .unwrap_or_else(|| links.issue(issue.number)),
        state: issue.state,
        author: issue.user.as_ref().map(|u| u.login.clone()),
        labels,
        release_labels,
        assignees: issue
            .assignees
            .iter()
            .flatten()
            .filter_map(|u| Login::parse(&u.login))
            .collect(),
        created_at: issue.created_at,
        updated_at: issue.updated_at,
        closed_at: issue.closed_at,
        body: issue.body.clone().unwrap_or_default(),
        parsed,
        joined_keps: Vec::new(),
        pulls: Vec::new(),
        containerd_release: None,
    }
}

/// The Kubernetes release a label names: `k8s/1.36`, `kubernetes/v1.36`,
/// `k8s-1.36`, `area/k8s-v1.36`. Labels not about Kubernetes give `None`.
pub fn release_label(label: &str) -> Option<K8sRelease> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:k8s|kubernetes|kube)\b[^0-9]{0,3}(v?\d+\.\d+)\b").unwrap()
    });
    K8sRelease::parse(RE.captures(label)?.get(1)?.as_str())
}

/// Issue numbers a PR text refers to: `#123`, `owner/repo#123`, or the
/// issue's URL in the tracking repository.
fn issue_refs<'a>(text: &'a str, repo: &'a str) -> impl Iterator<Item = u64> + 'a {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:(?:^|[\s(\[])#|\b([\w.-]+/[\w.-]+)#|https://github\.com/([\w.-]+/[\w.-]+)/issues/)(\d{1,7})\b")
            .unwrap()
    });
    RE.captures_iter(text).filter_map(move |c| {
        let other_repo = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str());
        if other_repo.is_some_and(|r| !r.eq_ignore_ascii_case(repo)) {
            return None;
        }
        c.get(3)?.as_str().parse().ok()
    })
}

/// KEPs a PR names in its title or head branch: `[KEP-4639]`, `(KEP-127, ...)`,
/// `kep.k8s.io/2371`, branch `user/kep-3619-...`. The title is the better
/// witness: a branch name can carry a typo, so it counts only when the
/// title names none.
fn pr_kep_numbers(title: &str, branch: &str) -> Vec<KepNumber> {
    let from_title = tracking::kep_mentions(title);
    if from_title.is_empty() {
        tracking::kep_mentions(branch)
    } else {
        from_title
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A snapshot as of 2026-11-25 with Kubernetes v1.36 and v1.37 out.
    fn snapshot(keps: &[(&str, &str)], issues: serde_json::Value) -> Snapshot {
        let files: Vec<serde_json::Value> = keps
            .iter()
            .map(|(path, yaml)| {
                serde_json::to_value(crate::kep::parse_file(path, yaml).unwrap()).unwrap()
            })
            .collect();
        serde_json::from_value(json!({
            "schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
            "source": {"kind": "import"}, "tracking_repo": "containerd/containerd",
            "issues": issues, "keps": files,
            "kubernetes_releases": [
                {"tag_name": "v1.36.0", "published_at": "2026-04-22T00:00:00Z"},
                {"tag_name": "v1.37.0", "published_at": "2026-08-26T00:00:00Z"},
            ],
        }))
        .unwrap()
    }

    fn issue(number: u64, title: &str, body: &str) -> serde_json::Value {
        json!({"number": number, "title": title, "body": body, "state": "open"})
    }

    #[test]
    fn the_live_kep_yaml_wins_a_shared_number() {
        let snap = snapshot(
            &[
                (
                    "sig-cloud-provider/2133-out-of-tree/kep.yaml",
                    "kep-number: 2133
status: replaced # by sig-node
owning-sig: sig-cloud-provider
",
                ),
                (
                    "sig-node/2133-kubelet-credential-providers/kep.yaml",
                    "kep-number: 2133
status: implemented
owning-sig: sig-node
latest-milestone: v1.26
",
                ),
            ],
            json!([]),
        );
        let model = Model::build(&snap);
        let k = &model.keps[&KepNumber::new(2133).unwrap()];
        assert_eq!(k.owning_sig(), Some("sig-node"));
        assert_eq!(k.other_files.len(), 1);
        assert_eq!(
            model.duplicate_keps,
            [(
                KepNumber::new(2133).unwrap(),
                vec![
                    "sig-node/2133-kubelet-credential-providers/kep.yaml".to_string(),
                    "sig-cloud-provider/2133-out-of-tree/kep.yaml".to_string()
                ]
            )]
        );
    }

    #[test]
    fn a_kep_number_without_kep_yaml_beside_one_with_is_not_a_new_kep() {
        let snap = snapshot(
            &[(
                "sig-node/127-user-namespaces/kep.yaml",
                "kep-number: 127
owning-sig: sig-node
",
            )],
            json!([issue(
                5,
                "[SIG-Node]: KEP-127: user namespaces",
                "### KEP/SIG-Node References\n\n- KEP(s): 1277\n- stage: beta\n"
            )]),
        );
        let model = Model::build(&snap);
        assert_eq!(model.unknown_kep_refs, [(5, KepNumber::new(1277).unwrap())]);
        assert!(!model.keps.contains_key(&KepNumber::new(1277).unwrap()));
        assert_eq!(
            model.keps[&KepNumber::new(127).unwrap()].tracking_issues,
            [5]
        );
        assert_eq!(model.issues[&5].joined_keps, [KepNumber::new(127).unwrap()]);
        // A KEP too new for kep.yaml, named alone, is still joined.
        let snap = snapshot(&[], json!([issue(6, "[SIG-Node]: KEP-6061: profiles", "")]));
        let model = Model::build(&snap);
        assert!(model.unknown_kep_refs.is_empty());
        assert_eq!(
            model.keps[&KepNumber::new(6061).unwrap()].tracking_issues,
            [6]
        );
    }

    #[test]
    fn pre_template_issues_track_a_kep_for_display() {
        let snap = snapshot(
            &[(
                "sig-node/127-user-namespaces/kep.yaml",
                "kep-number: 127
owning-sig: sig-node
",
            )],
            json!([issue(
                7063,
                "Support user namespaces",
                "See https://github.com/kubernetes/enhancements/issues/127"
            )]),
        );
        let model = Model::build(&snap);
        let k = &model.keps[&KepNumber::new(127).unwrap()];
        let (issues, pre_template) = model.containerd_tracking(k);
        assert_eq!(issues.iter().map(|i| i.number).collect::<Vec<_>>(), [7063]);
        assert!(pre_template && k.is_tracked());
    }

    #[test]
    fn release_pages_list_what_happens_in_them() {
        let snap = snapshot(
            &[
                (
                    "sig-node/1-a/kep.yaml",
                    "kep-number: 1
owning-sig: sig-node
stage: beta
latest-milestone: v1.38
milestone:\n  alpha: v1.36\n  beta: v1.38\n",
                ),
                (
                    "sig-node/2-b/kep.yaml",
                    "kep-number: 2
owning-sig: sig-node
status: withdrawn
stage: alpha
latest-milestone: v1.36
milestone:\n  alpha: v1.36\n  beta: v1.38\n",
                ),
                (
                    "sig-storage/3-c/kep.yaml",
                    "kep-number: 3
owning-sig: sig-storage
milestone:\n  alpha: v1.36\n",
                ),
            ],
            json!([]),
        );
        let model = Model::build(&snap);
        let on = |m| -> Vec<u32> {
            model
                .release_keps(K8sRelease::new(1, m))
                .iter()
                .map(|k| k.number.get())
                .collect()
        };
        // Another SIG's KEP, untracked, is not on the pages.
        assert_eq!(on(36), [1, 2]);
        assert_eq!(on(37), Vec::<u32>::new());
        // The withdrawn KEP's plan for v1.38 is not a target.
        assert_eq!(on(38), [1]);
        assert_eq!(
            model.k8s_releases(),
            [36, 37, 38, 39].map(|m| K8sRelease::new(1, m))
        );
        assert_eq!(model.current_release(), Some(K8sRelease::new(1, 38)));
    }

    #[test]
    fn release_labels() {
        assert_eq!(release_label("k8s/1.36"), Some(K8sRelease::new(1, 36)));
        assert_eq!(
            release_label("kubernetes/v1.35"),
            Some(K8sRelease::new(1, 35))
        );
        assert_eq!(release_label("K8s-1.9"), Some(K8sRelease::new(1, 9)));
        assert_eq!(release_label("area/cri"), None);
        assert_eq!(release_label("kind/feature"), None);
    }

    #[test]
    fn pr_issue_references() {
        let refs: Vec<u64> = issue_refs(
            "Fixes #12 and containerd/containerd#13 (see #14)",
            "containerd/containerd",
        )
        .collect();
        assert_eq!(refs, vec![12, 13, 14]);
        let refs: Vec<u64> = issue_refs(
            "ref https://github.com/containerd/containerd/issues/99 not other/repo#5 nor abc#6",
            "containerd/containerd",
        )
        .collect();
        assert_eq!(refs, vec![99]);
    }

    #[test]
    fn pr_kep_mentions() {
        assert_eq!(
            pr_kep_numbers("[KEP-4639] Support image volume subpath", ""),
            vec![KepNumber::new(4639).unwrap()]
        );
        assert_eq!(
            pr_kep_numbers("Support userns (KEP-127, k8s >= 1.27)", ""),
            vec![KepNumber::new(127).unwrap()]
        );
        // The title wins over a mistyped branch name.
        assert_eq!(
            pr_kep_numbers(
                "KEP-3619: SupplementalGroupsPolicy",
                "everpeace/kep-3169-SupplementalGroupsPolicy"
            ),
            vec![KepNumber::new(3619).unwrap()]
        );
        assert_eq!(
            pr_kep_numbers("cri: add swap", "dani/kep-2400-swap"),
            vec![KepNumber::new(2400).unwrap()]
        );
        assert!(pr_kep_numbers("Bump runc to v1.2.5", "dependabot/x").is_empty());
    }
}
