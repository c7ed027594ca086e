//! The joined model: KEPs with their stage per Kubernetes release, their
//! tracking and related issues, and the pull requests that did the work.
//!
//! Built from a [`Snapshot`] by one pure function, [`Model::build`]. Joins go
//! through maps keyed by KEP and issue number, never nested scans, so the
//! cost grows with the data, not its square. This module decides *what is
//! linked to what*; `check` decides what is wrong with it and `site` how it
//! looks.

use crate::domain::{ContainerdVersion, K8sRelease, KepNumber, Login, Stage};
use crate::github::{self, State};
use crate::kep::{Kep, LoadError};
use crate::shipping::{self, Shipped};
use crate::snapshot::Snapshot;
use crate::tracking::{self, IssueKind, Parsed};
use chrono::{DateTime, NaiveDate, Utc};
use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// A tracking or related issue with what its text says.
#[derive(Debug, Clone, Serialize)]
pub struct IssueEntry {
    pub number: u64,
    pub title: String,
    pub url: String,
    pub state: State,
    pub author: Option<String>,
    /// `None` when the source did not say (not the same as no labels).
    pub labels: Option<Vec<String>>,
    /// Kubernetes releases named by the issue's labels (`k8s/1.36`).
    pub release_labels: Vec<K8sRelease>,
    /// GitHub assignees, kept apart from the shepherds the body declares.
    pub assignees: Vec<Login>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub body: String,
    pub parsed: Parsed,
    /// Pull requests linked to this issue, by number.
    pub pulls: Vec<u64>,
    /// The latest containerd release among its merged PRs' first releases.
    pub containerd_release: Option<ContainerdVersion>,
}

impl IssueEntry {
    pub fn is_tracking(&self) -> bool {
        self.parsed.kind == IssueKind::Tracking
    }
}

/// A pull request of the tracking repository that did KEP work.
#[derive(Debug, Clone, Serialize)]
pub struct PullEntry {
    pub number: u64,
    pub title: String,
    pub url: String,
    pub state: State,
    pub merged_at: Option<DateTime<Utc>>,
    pub base: Option<String>,
    pub milestone: Option<String>,
    pub author: Option<String>,
    /// KEPs the PR's title or branch names itself.
    pub kep_numbers: Vec<KepNumber>,
    /// Tracking or related issues it is linked to.
    pub issues: Vec<u64>,
    /// The containerd release that first shipped it, and by which rule.
    pub shipped: Option<Shipped>,
}

impl PullEntry {
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
    pub number: KepNumber,
    /// `None`: a tracking issue names the KEP but no kep.yaml was found.
    pub kep: Option<Kep>,
    /// Stage in each Kubernetes release, from kep.yaml milestones.
    pub stages: BTreeMap<K8sRelease, Stage>,
    pub tracking_issues: Vec<u64>,
    pub related_issues: Vec<u64>,
    pub pulls: Vec<u64>,
    /// Per stage, the containerd release that shipped the runtime side: the
    /// latest first release among the merged PRs counted toward that stage
    /// (see [`Model::stage_of_merge`]).
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

    pub fn owning_sig(&self) -> Option<&str> {
        self.kep.as_ref()?.owning_sig.as_ref().map(|s| s.as_str())
    }

    /// Releases in which kep.yaml names a milestone (a stage reached, or the
    /// latest milestone the KEP was worked on).
    pub fn milestone_releases(&self) -> BTreeSet<K8sRelease> {
        let Some(k) = &self.kep else {
            return BTreeSet::new();
        };
        k.milestones
            .values()
            .copied()
            .chain(k.latest_milestone)
            .collect()
    }
}

/// A release of containerd.
#[derive(Debug, Clone, Serialize)]
pub struct ContainerdRelease {
    pub version: ContainerdVersion,
    pub date: Option<DateTime<Utc>>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub generated_at: DateTime<Utc>,
    pub source: crate::snapshot::Source,
    pub tracking_repo: String,
    pub keps: BTreeMap<KepNumber, KepEntry>,
    /// Tracking and related issues; unrelated issues are left out.
    pub issues: BTreeMap<u64, IssueEntry>,
    pub pulls: BTreeMap<u64, PullEntry>,
    /// Kubernetes minor releases and the date of their `.0`, when known.
    pub k8s_release_dates: BTreeMap<K8sRelease, NaiveDate>,
    /// containerd releases, oldest first (drafts and non-version tags left out).
    pub containerd_releases: Vec<ContainerdRelease>,
    /// kep.yaml files that could not be read, or had no KEP number.
    pub kep_errors: Vec<LoadError>,
    /// KEP numbers declared by more than one kep.yaml: (number, paths).
    pub duplicate_keps: Vec<(KepNumber, Vec<String>)>,
    /// containerd's Kubernetes support matrix, when RELEASES.md was gathered.
    pub support: Option<crate::support::SupportMatrix>,
}

impl Model {
    /// Joins the snapshot's facts. Pure and infallible: problems in the data
    /// become warnings and findings, not errors.
    pub fn build(snapshot: &Snapshot) -> Model {
        let mut kep_errors = snapshot.kep_errors.clone();
        let mut keps: BTreeMap<KepNumber, KepEntry> = BTreeMap::new();
        let mut kep_paths: BTreeMap<KepNumber, Vec<String>> = BTreeMap::new();
        for file in &snapshot.keps {
            let Some(kep) = Kep::from_file(file) else {
                if !file.path.starts_with("NNNN") {
                    kep_errors.push(LoadError {
                        path: file.path.clone(),
                        message: format!("{}: no usable kep-number", file.path),
                    });
                }
                continue;
            };
            kep_paths
                .entry(kep.number)
                .or_default()
                .push(file.path.clone());
            keps.entry(kep.number).or_insert_with(|| KepEntry {
                number: kep.number,
                stages: kep.stages_by_release(),
                kep: Some(kep),
                tracking_issues: Vec::new(),
                related_issues: Vec::new(),
                pulls: Vec::new(),
                shipped: BTreeMap::new(),
            });
        }
        let duplicate_keps = kep_paths.into_iter().filter(|(_, p)| p.len() > 1).collect();

        // Bodies fetched from the API are whole; imported copies (digests,
        // archives) may be cut off, which the parser then warns about.
        let parse = if snapshot.source.kind == "fetch" {
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
        let mut issues = BTreeMap::new();
        for (issue, parsed) in parsed {
            if parsed.kind == IssueKind::Unrelated {
                continue;
            }
            for n in &parsed.kep_numbers {
                let entry = keps.entry(*n).or_insert_with(|| KepEntry::unknown(*n));
                match parsed.kind {
                    IssueKind::Tracking => entry.tracking_issues.push(issue.number),
                    _ => entry.related_issues.push(issue.number),
                }
            }
            issues.insert(
                issue.number,
                issue_entry(issue, parsed, &snapshot.tracking_repo),
            );
        }

        let k8s_release_dates = snapshot
            .kubernetes_releases
            .iter()
            .filter(|r| !r.draft && !r.prerelease)
            .filter_map(|r| {
                let rel = K8sRelease::parse(&r.tag_name)?;
                Some((rel, r.date()?.date_naive()))
            })
            .fold(BTreeMap::new(), |mut m, (rel, d)| {
                // The earliest date of a minor line is its `.0`.
                let e = m.entry(rel).or_insert(d);
                *e = (*e).min(d);
                m
            });
        let mut containerd_releases: Vec<ContainerdRelease> = snapshot
            .containerd_releases
            .iter()
            .filter(|r| !r.draft)
            .filter_map(|r| {
                Some(ContainerdRelease {
                    version: ContainerdVersion::parse(&r.tag_name)?,
                    date: r.date(),
                    url: github::web_url(r.html_url.as_deref()),
                })
            })
            .collect();
        containerd_releases.sort_by(|a, b| a.version.cmp(&b.version));
        // The shipping rules walk tags in date order.
        let mut tags: Vec<shipping::Tag> = containerd_releases
            .iter()
            .filter_map(|r| {
                Some(shipping::Tag {
                    version: r.version.clone(),
                    date: r.date?,
                })
            })
            .collect();
        tags.sort_by(|a, b| (a.date, &a.version).cmp(&(b.date, &b.version)));

        let mut pulls = BTreeMap::new();
        let explicit: BTreeSet<(u64, u64)> = snapshot
            .issue_pr_links
            .iter()
            .map(|l| (l.pull, l.issue))
            .collect();
        for pr in &snapshot.pulls {
            let mut linked: BTreeSet<u64> = explicit
                .range((pr.number, 0)..=(pr.number, u64::MAX))
                .map(|(_, i)| *i)
                .collect();
            let text = format!("{}\n{}", pr.title, pr.body.as_deref().unwrap_or(""));
            linked.extend(
                issue_refs(&text, &snapshot.tracking_repo).filter(|n| issues.contains_key(n)),
            );
            let branch = pr.head.as_ref().map(|h| h.name.as_str()).unwrap_or("");
            let kep_numbers = pr_kep_numbers(&pr.title, branch);
            let entry = PullEntry {
                number: pr.number,
                title: pr.title.clone(),
                url: github::web_url(pr.html_url.as_deref()).unwrap_or_else(|| {
                    format!(
                        "https://github.com/{}/pull/{}",
                        snapshot.tracking_repo, pr.number
                    )
                }),
                state: pr.state,
                merged_at: pr.merged_at,
                base: pr.base.as_ref().map(|b| b.name.clone()),
                milestone: pr.milestone.as_ref().map(|m| m.title.clone()),
                author: pr.user.as_ref().map(|u| u.login.clone()),
                kep_numbers,
                issues: linked.into_iter().collect(),
                shipped: shipping::first_release(
                    &shipping::PullFacts {
                        merged_at: pr.merged_at,
                        base: pr.base.as_ref().map(|b| b.name.as_str()),
                        milestone: pr.milestone.as_ref().map(|m| m.title.as_str()),
                    },
                    &tags,
                ),
            };
            pulls.insert(pr.number, entry);
        }
        // Link pulls to issues and KEPs, through the maps.
        for pr in pulls.values() {
            let mut kep_set: BTreeSet<KepNumber> = pr.kep_numbers.iter().copied().collect();
            for n in &pr.issues {
                if let Some(issue) = issues.get_mut(n) {
                    issue.pulls.push(pr.number);
                    kep_set.extend(issue.parsed.kep_numbers.iter().copied());
                }
            }
            for k in kep_set {
                keps.entry(k)
                    .or_insert_with(|| KepEntry::unknown(k))
                    .pulls
                    .push(pr.number);
            }
        }

        for issue in issues.values_mut() {
            issue.containerd_release = issue
                .pulls
                .iter()
                .filter_map(|n| pulls.get(n)?.shipped.as_ref()?.release.clone())
                .max();
        }
        for kep in keps.values_mut() {
            for n in &kep.pulls {
                let Some(pr) = pulls.get(n) else { continue };
                let (Some(merged), Some(release)) = (
                    pr.merged_at,
                    pr.shipped.as_ref().and_then(|s| s.release.clone()),
                ) else {
                    continue;
                };
                let Some(stage) = stage_of_merge(kep, &issues, merged, &k8s_release_dates) else {
                    continue;
                };
                let slot = kep.shipped.entry(stage).or_insert_with(|| release.clone());
                if release > *slot {
                    *slot = release;
                }
            }
        }

        Model {
            generated_at: snapshot.generated_at,
            source: snapshot.source.clone(),
            tracking_repo: snapshot.tracking_repo.clone(),
            keps,
            issues,
            pulls,
            k8s_release_dates,
            containerd_releases,
            kep_errors,
            duplicate_keps,
            support: snapshot
                .containerd_releases_md
                .as_deref()
                .map(crate::support::parse),
        }
    }

    /// The current Kubernetes release cycle: the newest release any KEP's
    /// milestones name.
    pub fn current_release(&self) -> Option<K8sRelease> {
        self.keps
            .values()
            .flat_map(|k| k.milestone_releases())
            .max()
    }

    /// Every Kubernetes release a KEP milestone or a tracking issue target
    /// names, oldest first.
    pub fn k8s_releases(&self) -> BTreeSet<K8sRelease> {
        let mut out: BTreeSet<K8sRelease> = self
            .keps
            .values()
            .flat_map(|k| k.milestone_releases())
            .collect();
        out.extend(
            self.issues
                .values()
                .filter(|i| i.is_tracking())
                .flat_map(|i| i.parsed.targets.iter().filter_map(|t| t.k8s_release)),
        );
        out
    }

    pub fn tracking_issues<'a>(
        &'a self,
        kep: &'a KepEntry,
    ) -> impl Iterator<Item = &'a IssueEntry> {
        kep.tracking_issues
            .iter()
            .filter_map(|n| self.issues.get(n))
    }
}

impl KepEntry {
    fn unknown(number: KepNumber) -> KepEntry {
        KepEntry {
            number,
            kep: None,
            stages: BTreeMap::new(),
            tracking_issues: Vec::new(),
            related_issues: Vec::new(),
            pulls: Vec::new(),
            shipped: BTreeMap::new(),
        }
    }
}

/// The KEP stage a PR merged at `merged` worked toward: the KEP's stage in
/// the Kubernetes release being developed then (the first release whose
/// `.0` came after the merge); after the last milestone, the last stage;
/// before the first, the first. Without KEP milestones or release dates,
/// the one stage its tracking issues declare, if they declare just one.
fn stage_of_merge(
    kep: &KepEntry,
    issues: &BTreeMap<u64, IssueEntry>,
    merged: DateTime<Utc>,
    k8s_dates: &BTreeMap<K8sRelease, NaiveDate>,
) -> Option<Stage> {
    let day = merged.date_naive();
    let cycle = k8s_dates.iter().find(|(_, d)| **d >= day).map(|(r, _)| *r);
    if let (Some(cycle), false) = (cycle, kep.stages.is_empty()) {
        let at_or_before = kep.stages.range(..=cycle).next_back().map(|(_, s)| *s);
        return at_or_before.or_else(|| kep.stages.values().next().copied());
    }
    let declared: BTreeSet<Stage> = kep
        .tracking_issues
        .iter()
        .filter_map(|n| issues.get(n))
        .flat_map(|i| i.parsed.targets.iter().map(|t| t.stage))
        .collect();
    let mut it = declared.into_iter();
    match (it.next(), it.next()) {
        (Some(s), None) => Some(s),
        _ => None,
    }
}

fn issue_entry(issue: &github::Issue, parsed: Parsed, repo: &str) -> IssueEntry {
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
            .unwrap_or_else(|| format!("https://github.com/{repo}/issues/{}", issue.number)),
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
            vec![KepNumber(4639)]
        );
        assert_eq!(
            pr_kep_numbers("Support userns (KEP-127, k8s >= 1.27)", ""),
            vec![KepNumber(127)]
        );
        // The title wins over a mistyped branch name.
        assert_eq!(
            pr_kep_numbers(
                "KEP-3619: SupplementalGroupsPolicy",
                "everpeace/kep-3169-SupplementalGroupsPolicy"
            ),
            vec![KepNumber(3619)]
        );
        assert_eq!(
            pr_kep_numbers("cri: add swap", "dani/kep-2400-swap"),
            vec![KepNumber(2400)]
        );
        assert!(pr_kep_numbers("Bump runc to v1.2.5", "dependabot/x").is_empty());
    }
}
