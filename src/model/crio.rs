//! CRI-O, the second runtime: which of its pull requests did a KEP's work,
//! where each link comes from, and the first CRI-O release that shipped
//! each PR.
//!
//! A CRI-O PR is joined to a KEP when
//! - it names the KEP itself (`KEP-NNNN`, a kubernetes/enhancements link or
//!   `kep.k8s.io/NNNN` in its title, branch or body): [`CrioLink::Named`];
//! - it is a backport (merged into `release-1.NN`) of a PR joined to the KEP
//!   by name or configuration, named as `Backport of #N` / `cherry-pick of
//!   #N` in its body or `cherry-pick-N-to-...` in its branch:
//!   [`CrioLink::Backport`];
//! - `kepboard.toml`'s `[crio_pulls]` lists it for the KEP (most CRI-O PRs
//!   do a KEP's work without naming it), as recorded in the snapshot:
//!   [`CrioLink::Configured`].
//!
//! When several hold, the data's word wins over the configuration's: named,
//! then backport, then configured. A configured PR that is not among the
//! snapshot's CRI-O PRs is kept as missing, never dropped. The first
//! release follows the same rules as containerd's (`shipping`): a merge
//! into main ships in the next `v1.NN.0`, a backport in the next patch of
//! its line.

use super::PullEntry;
use crate::domain::{ContainerdVersion, KepNumber};
use crate::github::{PullRequest, Release};
use crate::links::GitHubLinks;
use crate::shipping::{self, PullFacts, Tag};
use crate::snapshot::CrioKepLink;
use crate::tracking;
use regex::Regex;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Where the link between a KEP and a CRI-O pull request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "link")]
pub enum CrioLink {
    /// The PR names the KEP in its title, branch or body.
    Named,
    /// The PR backports `of`, which is joined to the KEP.
    Backport {
        /// The PR it backports.
        of: u64,
    },
    /// `kepboard.toml`'s `[crio_pulls]` lists it for the KEP.
    Configured,
}

impl CrioLink {
    /// `named`, `backport` or `configured`: the name `keps.json` uses.
    pub fn slug(self) -> &'static str {
        match self {
            CrioLink::Named => "named",
            CrioLink::Backport { .. } => "backport",
            CrioLink::Configured => "configured",
        }
    }
}

/// What [`join`] gives.
#[derive(Debug, Clone, Default)]
pub struct Joined {
    /// The PRs joined to a KEP, by number, with their first CRI-O release;
    /// `kep_numbers` holds every KEP each is joined to.
    pub pulls: BTreeMap<u64, PullEntry>,
    /// Per KEP, its PRs in number order and where each link comes from.
    pub by_kep: BTreeMap<KepNumber, Vec<(u64, CrioLink)>>,
    /// Configured links whose PR is not among the snapshot's CRI-O PRs,
    /// as (KEP, PR), in that order.
    pub missing: Vec<(KepNumber, u64)>,
}

/// Joins CRI-O's pull requests to KEPs: by name, by configuration
/// (`configured`), and through the PR a backport carries.
pub fn join(
    pulls: &[PullRequest],
    releases: &[Release],
    configured: &[CrioKepLink],
    links: &GitHubLinks,
) -> Joined {
    let tags = tags(releases);
    let mut by_config: BTreeMap<u64, BTreeSet<KepNumber>> = BTreeMap::new();
    for l in configured {
        by_config.entry(l.pull).or_default().insert(l.kep);
    }
    let named: BTreeMap<u64, Vec<KepNumber>> =
        pulls.iter().map(|pr| (pr.number, named_keps(pr))).collect();
    // The KEPs a PR is joined to by itself, which its backports carry.
    let own = |n: u64| {
        let named = named.get(&n).into_iter().flatten();
        named
            .chain(by_config.get(&n).into_iter().flatten())
            .copied()
    };
    let mut out = Joined::default();
    for pr in pulls {
        // Weakest first: a stronger source replaces a weaker one.
        let mut keps: BTreeMap<KepNumber, CrioLink> = BTreeMap::new();
        for k in by_config.get(&pr.number).into_iter().flatten() {
            keps.insert(*k, CrioLink::Configured);
        }
        if let Some(of) = backport_of(pr).filter(|of| *of != pr.number) {
            keps.extend(own(of).map(|k| (k, CrioLink::Backport { of })));
        }
        for k in named.get(&pr.number).into_iter().flatten() {
            keps.insert(*k, CrioLink::Named);
        }
        if keps.is_empty() {
            continue;
        }
        for (k, link) in &keps {
            out.by_kep.entry(*k).or_default().push((pr.number, *link));
        }
        let entry = entry(pr, keps.into_keys().collect(), &tags, links);
        out.pulls.insert(pr.number, entry);
    }
    for v in out.by_kep.values_mut() {
        v.sort_unstable();
        v.dedup_by_key(|(n, _)| *n);
    }
    out.missing = configured
        .iter()
        .filter(|l| !out.pulls.contains_key(&l.pull))
        .map(|l| (l.kep, l.pull))
        .collect();
    out.missing.sort_unstable();
    out.missing.dedup();
    out
}

fn entry(pr: &PullRequest, keps: Vec<KepNumber>, tags: &[Tag], links: &GitHubLinks) -> PullEntry {
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
        keps,
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

    fn kep(n: u32) -> KepNumber {
        KepNumber::new(n).unwrap()
    }

    fn links() -> GitHubLinks {
        GitHubLinks::new("containerd/containerd", &Default::default())
    }

    fn configured(links: &[(u32, u64)]) -> Vec<CrioKepLink> {
        links
            .iter()
            .map(|&(k, pull)| CrioKepLink { kep: kep(k), pull })
            .collect()
    }

    /// A PR merged into `base`; `title` and `branch` may name KEPs.
    fn merged(number: u64, title: &str, base: &str, branch: &str) -> PullRequest {
        pr(json!({"number": number, "title": title, "state": "closed",
            "merged_at": "2024-06-01T00:00:00Z", "base": {"ref": base}, "head": {"ref": branch}}))
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
        let joined = join(&pulls, &releases, &[], &links()).pulls;
        assert_eq!(joined.keys().copied().collect::<Vec<_>>(), [10, 11]);
        let k = KepNumber::new(4639).unwrap();
        assert_eq!(joined[&11].kep_numbers, [k]);
        let shipped = |n: u64| joined[&n].shipped.as_ref().and_then(|s| s.release.clone());
        assert_eq!(shipped(10), ContainerdVersion::parse("v1.31.0"));
        assert_eq!(shipped(11), ContainerdVersion::parse("v1.30.2"));
    }

    #[test]
    fn configured_prs_are_joined_and_say_so() {
        let pulls = [
            merged(20, "Add image volume mounts", "main", "img-vol"),
            // Named and configured: named wins.
            merged(21, "KEP-4639: subpath for image volumes", "main", "x"),
            // Backports of a configured PR carry its KEP.
            merged(
                22,
                "[1.31] Add image volume mounts",
                "release-1.31",
                "cherry-pick-20-to-release-1.31",
            ),
            // Configured itself, and a backport of a PR named in the data: backport.
            merged(
                23,
                "[1.31] subpath",
                "release-1.31",
                "cherry-pick-21-to-release-1.31",
            ),
            merged(24, "Bump deps", "main", "deps"),
        ];
        let conf = configured(&[(4639, 20), (4639, 21), (4639, 23), (127, 20)]);
        let j = join(&pulls, &[], &conf, &links());
        assert_eq!(
            j.pulls.keys().copied().collect::<Vec<_>>(),
            [20, 21, 22, 23]
        );
        assert_eq!(
            j.by_kep[&kep(4639)],
            [
                (20, CrioLink::Configured),
                (21, CrioLink::Named),
                (22, CrioLink::Backport { of: 20 }),
                (23, CrioLink::Backport { of: 21 }),
            ]
        );
        // One PR configured for two KEPs; its backport follows both.
        assert_eq!(
            j.by_kep[&kep(127)],
            [
                (20, CrioLink::Configured),
                (22, CrioLink::Backport { of: 20 })
            ]
        );
        assert_eq!(j.pulls[&22].kep_numbers, [kep(127), kep(4639)]);
        assert!(j.missing.is_empty());
        assert_eq!(CrioLink::Backport { of: 20 }.slug(), "backport");
    }

    #[test]
    fn configured_prs_missing_from_the_data_are_kept() {
        let pulls = [
            merged(20, "Add image volume mounts", "main", "img-vol"),
            // A backport of a configured PR the data lacks still follows it.
            merged(
                31,
                "[1.31] fix",
                "release-1.31",
                "cherry-pick-30-to-release-1.31",
            ),
        ];
        let conf = configured(&[(4639, 20), (4639, 30), (127, 99)]);
        let j = join(&pulls, &[], &conf, &links());
        assert_eq!(j.missing, [(kep(127), 99), (kep(4639), 30)]);
        assert_eq!(
            j.by_kep[&kep(4639)],
            [
                (20, CrioLink::Configured),
                (31, CrioLink::Backport { of: 30 })
            ]
        );
    }

    /// In the model: a KEP's CRI-O PRs with their provenance, and every
    /// configured link no page can show (PR or KEP not in the data).
    #[test]
    fn the_model_keeps_configured_links_it_cannot_show() {
        let yaml = "kep-number: 4639\nowning-sig: sig-node\n";
        let file = crate::kep::parse_file("sig-node/4639-image-volume/kep.yaml", yaml).unwrap();
        let snap: crate::snapshot::Snapshot = serde_json::from_value(json!({
            "schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
            "source": {"kind": "import"}, "tracking_repo": "containerd/containerd",
            "issues": [], "keps": [file],
            "crio_pulls": [
                {"number": 20, "title": "Add image volume mounts", "state": "open"},
                {"number": 21, "title": "Image volumes (KEP-4639)", "state": "open"},
            ],
            "crio_kep_links": [{"kep": 4639, "pull": 20}, {"kep": 4639, "pull": 30},
                               {"kep": 9999, "pull": 21}],
        }))
        .unwrap();
        let model = crate::model::Model::build(&snap);
        assert_eq!(
            model.keps[&kep(4639)].crio_pulls,
            [(20, CrioLink::Configured), (21, CrioLink::Named)]
        );
        assert!(!model.keps.contains_key(&kep(9999)));
        assert_eq!(model.unknown_crio_links, [(kep(4639), 30), (kep(9999), 21)]);
        // Reported by `check`: about the KEP's page when it has one, else
        // about kepboard.toml.
        use crate::check::{self, Kind, Subject};
        let found: Vec<(Subject, String)> = check::findings(&model)
            .into_iter()
            .filter(|f| f.kind == Kind::UnknownCrioLink)
            .map(|f| (f.subject, f.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, Subject::Kep(kep(4639)));
        assert!(found[0].1.contains("CRI-O #30"), "{found:?}");
        assert_eq!(found[1].0, Subject::File("kepboard.toml".into()));
        assert!(
            found[1]
                .1
                .contains("CRI-O #21 for KEP-9999, which is not in the data"),
            "{found:?}"
        );
        assert!(!Kind::UnknownCrioLink.needs_attention());
    }
}
