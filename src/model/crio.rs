//! CRI-O, the second runtime: which of its pull requests did a KEP's work,
//! and the first CRI-O release that shipped each.
//!
//! A CRI-O PR is joined to the KEPs it names itself (`KEP-NNNN`, a
//! kubernetes/enhancements link or `kep.k8s.io/NNNN` in its title, branch
//! or body). A backport (merged into `release-1.NN`) carries the KEPs of
//! the PR it backports, named as `Backport of #N` / `cherry-pick of #N` in
//! its body or `cherry-pick-N-to-...` in its branch. The first release
//! follows the same rules as containerd's (`shipping`): a merge into main
//! ships in the next `v1.NN.0`, a backport in the next patch of its line.
//!
//! What it is not: PRs that do a KEP's work without naming it are not
//! found here (most CRI-O PRs); configuring them per KEP is still to come.

use super::PullEntry;
use crate::domain::{ContainerdVersion, KepNumber};
use crate::github::{PullRequest, Release};
use crate::links::GitHubLinks;
use crate::shipping::{self, PullFacts, Tag};
use crate::tracking;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// CRI-O's pull requests that name a KEP (themselves or through the PR
/// they backport), by number, with their first CRI-O release.
pub fn join(
    pulls: &[PullRequest],
    releases: &[Release],
    links: &GitHubLinks,
) -> BTreeMap<u64, PullEntry> {
    let tags = tags(releases);
    let own: BTreeMap<u64, Vec<KepNumber>> =
        pulls.iter().map(|pr| (pr.number, named_keps(pr))).collect();
    pulls
        .iter()
        .filter_map(|pr| {
            let mut keps: BTreeSet<KepNumber> =
                own.get(&pr.number).into_iter().flatten().copied().collect();
            if let Some(original) = backport_of(pr) {
                keps.extend(own.get(&original).into_iter().flatten().copied());
            }
            (!keps.is_empty()).then(|| (pr.number, entry(pr, keps, &tags, links)))
        })
        .collect()
}

fn entry(
    pr: &PullRequest,
    keps: BTreeSet<KepNumber>,
    tags: &[Tag],
    links: &GitHubLinks,
) -> PullEntry {
    let facts = PullFacts {
        merged_at: pr.merged_at,
        base: pr.base.as_ref().map(|b| b.name.as_str()),
        milestone: None,
    };
    // CRI-O's milestones are not release names kepboard knows: the date
    // rules decide.
    PullEntry::from_github(
        pr,
        links.crio_pull(pr.number),
        keps.into_iter().collect(),
        Vec::new(),
        shipping::first_release(&facts, tags),
    )
}

/// KEPs a PR names in its title, branch or body.
fn named_keps(pr: &PullRequest) -> Vec<KepNumber> {
    let branch = pr.head.as_ref().map(|h| h.name.as_str()).unwrap_or("");
    let body = pr.body.as_deref().unwrap_or("");
    let mut out = tracking::kep_mentions(&pr.title);
    for n in tracking::kep_mentions(branch)
        .into_iter()
        .chain(tracking::kep_mentions(body))
    {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The PR a backport carries: `Backport of #N`, `cherry-pick of #N` in the
/// body, or a `cherry-pick-N-to-release-1.NN` branch.
fn backport_of(pr: &PullRequest) -> Option<u64> {
    static BODY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:backport|cherry[- ]?pick)\s+of\s+#(\d{1,7})\b").expect("valid regex")
    });
    static BRANCH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)cherry-pick-(\d{1,7})-to-").expect("valid regex"));
    let base = pr.base.as_ref()?.name.as_str();
    if !base.starts_with("release-") {
        return None;
    }
    let body = pr.body.as_deref().unwrap_or("");
    let branch = pr.head.as_ref().map(|h| h.name.as_str()).unwrap_or("");
    BODY.captures(body)
        .or_else(|| BRANCH.captures(branch))
        .and_then(|c| c.get(1)?.as_str().parse().ok())
}

/// CRI-O's release tags in date order, for the shipping rules.
fn tags(releases: &[Release]) -> Vec<Tag> {
    let mut tags: Vec<Tag> = releases
        .iter()
        .filter(|r| !r.draft)
        .filter_map(|r| {
            Some(Tag {
                version: ContainerdVersion::from_tag(&r.tag_name)?,
                date: r.date()?,
            })
        })
        .collect();
    tags.sort_by(|a, b| (a.date, &a.version).cmp(&(b.date, &b.version)));
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pr(v: serde_json::Value) -> PullRequest {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn prs_naming_a_kep_and_their_backports() {
        let pulls = [
            pr(
                json!({"number": 10, "title": "Add image volumes (KEP-4639)", "state": "closed",
                "merged_at": "2024-06-01T00:00:00Z", "base": {"ref": "main"}}),
            ),
            pr(
                json!({"number": 11, "title": "[release-1.30] Add image volumes", "state": "closed",
                "merged_at": "2024-06-10T00:00:00Z", "base": {"ref": "release-1.30"},
                "head": {"ref": "cherry-pick-10-to-release-1.30"}}),
            ),
            pr(
                json!({"number": 12, "title": "Bump deps", "state": "closed",
                "merged_at": "2024-06-02T00:00:00Z", "base": {"ref": "main"}}),
            ),
        ];
        let releases: Vec<Release> = serde_json::from_value(json!([
            {"tag_name": "v1.30.2", "published_at": "2024-06-20T00:00:00Z"},
            {"tag_name": "v1.31.0", "published_at": "2024-08-20T00:00:00Z"},
        ]))
        .unwrap();
        let links = GitHubLinks::new("containerd/containerd", &Default::default());
        let joined = join(&pulls, &releases, &links);
        assert_eq!(joined.keys().copied().collect::<Vec<_>>(), [10, 11]);
        let k = KepNumber::new(4639).unwrap();
        assert_eq!(joined[&11].kep_numbers, [k]);
        let shipped = |n: u64| joined[&n].shipped.as_ref().and_then(|s| s.release.clone());
        assert_eq!(shipped(10), ContainerdVersion::parse("v1.31.0"));
        assert_eq!(shipped(11), ContainerdVersion::parse("v1.30.2"));
    }
}
