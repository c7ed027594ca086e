//! Which containerd release shipped a pull request, by rules that a
//! containerd maintainer would apply by hand, in this order:
//!
//! 1. **By milestone**: the PR's milestone names a release (`2.2`, `v2.1.4`):
//!    that release (for a minor line, its `.0`).
//! 2. **By merge date, `main`**: the first non-prerelease `vX.Y.0` tagged after
//!    the merge; the first prerelease of that line tagged after the merge is
//!    reported beside it.
//! 3. **By merge date, `release/X.Y`** (a backport): the first `vX.Y.Z` tagged
//!    after the merge.
//!
//! Unmerged PRs ship nowhere. The rule that decided is kept, so pages can say
//! "by milestone" or "by merge date". Release dates are the tag/publish
//! dates; a PR merged after the newest final release ships in none yet
//! (its prerelease may still be known).

use crate::domain::{ContainerdLine, ContainerdVersion};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A containerd release with its date, as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The release.
    pub version: ContainerdVersion,
    /// When it was tagged or published.
    pub date: DateTime<Utc>,
}

/// The rule that decided a PR's first release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The PR's milestone names the release.
    Milestone,
    /// Merged into `main`: the next `vX.Y.0` after the merge.
    MergeDateMain,
    /// Merged into `release/X.Y`: the next `vX.Y.Z` after the merge.
    MergeDateReleaseBranch,
}

impl Rule {
    /// The rule in words, for the site.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::Milestone => "by milestone",
            Rule::MergeDateMain => "by merge date (main)",
            Rule::MergeDateReleaseBranch => "by merge date (release branch)",
        }
    }
}

/// The answer for one PR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shipped {
    /// The first final release with the change; `None` when only a
    /// prerelease has it so far.
    pub release: Option<ContainerdVersion>,
    /// The first prerelease of that line with the change, when there is one.
    pub prerelease: Option<ContainerdVersion>,
    /// Which rule decided.
    pub rule: Rule,
}

/// The facts about a PR the rules look at.
pub struct PullFacts<'a> {
    /// When it was merged; `None` ships nowhere.
    pub merged_at: Option<DateTime<Utc>>,
    /// The branch it was merged into.
    pub base: Option<&'a str>,
    /// Its milestone title.
    pub milestone: Option<&'a str>,
}

/// Applies the rules; `tags` must be sorted by date (oldest first).
pub fn first_release(pr: &PullFacts, tags: &[Tag]) -> Option<Shipped> {
    let merged = pr.merged_at?;
    if let Some(v) = pr.milestone.and_then(|m| milestone_release(m, tags)) {
        return Some(Shipped {
            prerelease: None,
            release: Some(v),
            rule: Rule::Milestone,
        });
    }
    // A tag dated at the merge itself (a lightweight tag on the merge
    // commit, as CRI-O's v1.29.0) contains it.
    let after = || tags.iter().filter(move |t| t.date >= merged);
    match pr.base.and_then(ContainerdLine::from_release_branch) {
        Some(line) => {
            let t = after().find(|t| line.contains(&t.version) && !t.version.is_prerelease())?;
            Some(Shipped {
                release: Some(t.version.clone()),
                prerelease: None,
                rule: Rule::MergeDateReleaseBranch,
            })
        }
        None => {
            let release = after().find(|t| t.version.patch() == 0 && !t.version.is_prerelease());
            // The line the change lands in: that of the release, or, before
            // any release, that of the first prerelease after the merge.
            let pre = after().find(|t| {
                t.version.is_prerelease()
                    && t.version.patch() == 0
                    && release.is_none_or(|r| r.version.line() == t.version.line())
            });
            if release.is_none() && pre.is_none() {
                return None;
            }
            Some(Shipped {
                release: release.map(|t| t.version.clone()),
                prerelease: pre.map(|t| t.version.clone()),
                rule: Rule::MergeDateMain,
            })
        }
    }
}

/// A milestone that names a release: `2.2` (the line's `.0`), `v2.1.4`.
/// Milestones that name no known release (`backlog`, `2.3` not yet out)
/// fall through to the date rules.
fn milestone_release(m: &str, tags: &[Tag]) -> Option<ContainerdVersion> {
    let m = m.trim().trim_start_matches('v');
    let full = match m.split('.').count() {
        2 => format!("{m}.0"),
        _ => m.to_string(),
    };
    let v = ContainerdVersion::parse(&full)?;
    tags.iter()
        .find(|t| t.version == v)
        .map(|t| t.version.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(v: &str, date: &str) -> Tag {
        Tag {
            version: ContainerdVersion::parse(v).unwrap(),
            date: format!("{date}T00:00:00Z").parse().unwrap(),
        }
    }

    fn tags() -> Vec<Tag> {
        vec![
            tag("v2.1.0", "2025-05-07"),
            tag("v2.1.1", "2025-05-20"),
            tag("v2.2.0-rc.0", "2025-10-30"),
            tag("v2.1.5", "2025-11-01"),
            tag("v2.2.0", "2025-11-06"),
            tag("v2.3.0-beta.0", "2026-04-01"),
        ]
    }

    fn pr<'a>(merged: &str, base: &'a str, milestone: Option<&'a str>) -> PullFacts<'a> {
        PullFacts {
            merged_at: Some(format!("{merged}T12:00:00Z").parse().unwrap()),
            base: Some(base),
            milestone,
        }
    }

    fn v(s: &str) -> Option<ContainerdVersion> {
        ContainerdVersion::parse(s)
    }

    #[test]
    fn main_merges_ship_in_the_next_minor() {
        let s = first_release(&pr("2025-06-01", "main", None), &tags()).unwrap();
        assert_eq!(s.release, v("v2.2.0"));
        assert_eq!(s.prerelease, v("v2.2.0-rc.0"));
        assert_eq!(s.rule, Rule::MergeDateMain);
    }

    #[test]
    fn a_tag_on_the_merge_commit_itself_ships_it() {
        let tags = [tag("v1.29.0", "2023-12-21")];
        let merged = PullFacts {
            merged_at: Some("2023-12-21T00:00:00Z".parse().unwrap()),
            base: Some("main"),
            milestone: None,
        };
        assert_eq!(first_release(&merged, &tags).unwrap().release, v("v1.29.0"));
    }

    #[test]
    fn backports_ship_in_the_next_patch_of_their_line() {
        let s = first_release(&pr("2025-05-10", "release/2.1", None), &tags()).unwrap();
        assert_eq!(s.release, v("v2.1.1"));
        assert_eq!(s.rule, Rule::MergeDateReleaseBranch);
    }

    #[test]
    fn milestone_wins() {
        let s = first_release(&pr("2025-06-01", "main", Some("2.1")), &tags()).unwrap();
        assert_eq!(s.release, v("v2.1.0"));
        assert_eq!(s.rule, Rule::Milestone);
        // A milestone naming no known release falls back to the dates.
        let s = first_release(&pr("2025-06-01", "main", Some("backlog")), &tags()).unwrap();
        assert_eq!(s.rule, Rule::MergeDateMain);
    }

    #[test]
    fn only_a_prerelease_yet_or_nothing() {
        let s = first_release(&pr("2026-01-10", "main", None), &tags()).unwrap();
        assert_eq!(s.release, None);
        assert_eq!(s.prerelease, v("v2.3.0-beta.0"));
        assert_eq!(
            first_release(&pr("2026-06-01", "main", None), &tags()),
            None
        );
        let unmerged = PullFacts {
            merged_at: None,
            base: Some("main"),
            milestone: Some("2.1"),
        };
        assert_eq!(first_release(&unmerged, &tags()), None);
    }
}
