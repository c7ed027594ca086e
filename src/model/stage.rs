//! The stage of a KEP in a Kubernetes release: the one rule every page, the
//! chart, `keps.json` and `check` use.
//!
//! A kep.yaml is a plan as much as a record: its `milestone:` block is often
//! written before the releases happen. A milestone is **reached** when its
//! release is out, its stage is not beyond the file's own `stage:`, and it
//! is not after `latest-milestone`; otherwise it is **planned** (a release
//! not out yet) or **not reached** (the release is out but the file does
//! not confirm it). A KEP whose status is withdrawn, rejected, replaced or
//! deferred reaches nothing new: its unreached milestones are dropped.
//!
//! The stage of KEP K in release R is the latest milestone reached at or
//! before R. In the cycle under way and the next one, a milestone planned
//! for R, or else a tracking issue's declared target for R, is shown as a
//! **target**: visibly not (yet) a stage the KEP has.

use super::KepEntry;
use crate::calendar::{Calendar, Phase};
use crate::domain::{K8sRelease, Stage};
use crate::kep::Kep;
use serde::Serialize;

/// What a kep.yaml milestone amounts to at the snapshot's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneState {
    /// The release is out and the file's stage and latest milestone confirm it.
    Reached,
    /// The release is not out yet.
    Planned,
    /// The release is out, but the file's `stage:` or `latest-milestone`
    /// is behind it: the plan did not happen (as far as kep.yaml says).
    NotReached,
    /// The KEP is withdrawn, rejected, replaced or deferred.
    Dropped,
}

/// One `milestone:` entry of a kep.yaml with its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// The stage the milestone is for.
    pub stage: Stage,
    /// The release kep.yaml names for it.
    pub release: K8sRelease,
    /// Reached, planned, not reached or dropped.
    pub state: MilestoneState,
}

/// Why a KEP has the stage shown for a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "basis")]
pub enum Basis {
    /// The kep.yaml milestone reached in `since` (at or before the release).
    Reached {
        /// The release of that milestone.
        since: K8sRelease,
    },
    /// A kep.yaml milestone planned for this release, not out yet.
    Planned,
    /// A tracking issue declares this stage for this release, not out yet.
    Declared {
        /// The tracking issue's number.
        issue: u64,
    },
}

/// The stage of a KEP in one release, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageAt {
    /// The stage.
    pub stage: Stage,
    /// Why the KEP has it.
    #[serde(flatten)]
    pub basis: Basis,
}

impl StageAt {
    /// A target for a release not out yet, not a stage the KEP has.
    pub fn is_target(&self) -> bool {
        !matches!(self.basis, Basis::Reached { .. })
    }
}

/// The state of every milestone of `kep`, in release order.
pub fn milestones(kep: &Kep, cal: &Calendar) -> Vec<Milestone> {
    let mut out: Vec<Milestone> = kep
        .milestones
        .iter()
        .map(|(stage, release)| Milestone {
            stage: *stage,
            release: *release,
            state: milestone_state(kep, *stage, *release, cal),
        })
        .collect();
    out.sort_by_key(|m| (m.release, m.stage));
    out
}

/// The reached-vs-planned rule for one milestone.
fn milestone_state(kep: &Kep, stage: Stage, release: K8sRelease, cal: &Calendar) -> MilestoneState {
    let confirmed =
        kep.stage.is_none_or(|s| stage <= s) && kep.latest_milestone.is_none_or(|l| release <= l);
    match (cal.is_out(release), confirmed) {
        (true, true) => MilestoneState::Reached,
        _ if kep.is_inactive() => MilestoneState::Dropped,
        (true, false) => MilestoneState::NotReached,
        (false, _) => MilestoneState::Planned,
    }
}

/// The stage of `k` in release `r`, by the rule in the module docs; `None`
/// for releases after the next cycle, which are plans only.
/// `declared` gives the targets the KEP's tracking issues declare, as
/// (issue, stage, release).
pub fn stage_in(
    k: &KepEntry,
    r: K8sRelease,
    cal: &Calendar,
    declared: impl Iterator<Item = (u64, Stage, K8sRelease)>,
) -> Option<StageAt> {
    if cal.phase(r) == Phase::Later {
        // Beyond the next cycle (or no release data): plans only.
        return None;
    }
    let inactive = k.kep.as_ref().is_some_and(Kep::is_inactive);
    if cal.is_upcoming(r) && !inactive {
        let planned = k
            .milestones
            .iter()
            .filter(|m| m.release == r && m.state == MilestoneState::Planned)
            .map(|m| m.stage)
            .max();
        if let Some(stage) = planned {
            return Some(StageAt {
                stage,
                basis: Basis::Planned,
            });
        }
        let declared = declared
            .filter(|(_, _, rel)| *rel == r)
            .max_by_key(|(issue, stage, _)| (*stage, std::cmp::Reverse(*issue)));
        if let Some((issue, stage, _)) = declared {
            return Some(StageAt {
                stage,
                basis: Basis::Declared { issue },
            });
        }
    }
    reached_at(k, r)
}

/// The latest milestone reached at or before `r`. An inactive KEP has no
/// stage after its latest milestone (or its last reached one).
fn reached_at(k: &KepEntry, r: K8sRelease) -> Option<StageAt> {
    let last = k
        .milestones
        .iter()
        .filter(|m| m.state == MilestoneState::Reached && m.release <= r)
        .max_by_key(|m| (m.release, m.stage))?;
    let meta = k.kep.as_ref()?;
    if meta.is_inactive()
        && r > meta
            .latest_milestone
            .unwrap_or(last.release)
            .max(last.release)
    {
        return None;
    }
    Some(StageAt {
        stage: last.stage,
        basis: Basis::Reached {
            since: last.release,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kep::parse_file;
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    /// Kubernetes v1.19 to v1.37 out, at 2026-11-25 (as in the real data).
    fn calendar() -> Calendar {
        let dates: BTreeMap<K8sRelease, NaiveDate> = (19..=37)
            .map(|m| {
                let d = NaiveDate::from_ymd_opt(2020 + (m as i32 - 19) / 3, 1, 1).unwrap();
                (K8sRelease::new(1, m), d)
            })
            .collect();
        Calendar::new(dates, "2026-11-25T00:00:00Z".parse().unwrap())
    }

    fn entry(yaml: &str) -> KepEntry {
        let file = parse_file("sig-node/4216-x/kep.yaml", yaml).unwrap();
        let kep = Kep::from_file(&file).unwrap();
        KepEntry {
            number: kep.number,
            milestones: milestones(&kep, &calendar()),
            kep: Some(kep),
            other_files: Vec::new(),
            tracking_issues: Vec::new(),
            related_issues: Vec::new(),
            pulls: Vec::new(),
            crio_pulls: Vec::new(),
            shipped: BTreeMap::new(),
        }
    }

    fn states(k: &KepEntry) -> Vec<(Stage, String, MilestoneState)> {
        k.milestones
            .iter()
            .map(|m| (m.stage, m.release.to_string(), m.state))
            .collect()
    }

    /// The stage shown for v1.`minor`, as a page shows it.
    fn shown(k: &KepEntry, minor: u16, declared: &[(u64, Stage, u16)]) -> String {
        let declared = declared
            .iter()
            .map(|(i, s, m)| (*i, *s, K8sRelease::new(1, *m)));
        match stage_in(k, K8sRelease::new(1, minor), &calendar(), declared) {
            None => "-".into(),
            Some(s) if s.is_target() => format!("{} target", s.stage),
            Some(s) => s.stage.to_string(),
        }
    }

    #[test]
    fn milestones_written_ahead_are_plans_not_stages() {
        // KEP-4216 as written: alpha, latest v1.29, beta and stable planned.
        let k = entry("kep-number: 4216\nstage: alpha\nlatest-milestone: \"v1.29\"\nmilestone:\n  alpha: \"v1.29\"\n  beta: \"v1.31\"\n  stable: \"v1.35\"\n");
        assert_eq!(
            states(&k),
            [
                (Stage::Alpha, "v1.29".into(), MilestoneState::Reached),
                (Stage::Beta, "v1.31".into(), MilestoneState::NotReached),
                (Stage::Stable, "v1.35".into(), MilestoneState::NotReached),
            ]
        );
        assert_eq!(shown(&k, 28, &[]), "-");
        assert_eq!(shown(&k, 29, &[]), "alpha");
        assert_eq!(shown(&k, 31, &[]), "alpha");
        assert_eq!(shown(&k, 37, &[]), "alpha");
    }

    #[test]
    fn a_stage_beyond_the_files_own_stage_is_not_reached() {
        // latest-milestone is ahead, but the file still says beta.
        let k = entry("kep-number: 1\nstage: beta\nlatest-milestone: v1.36\nmilestone:\n  alpha: v1.30\n  beta: v1.33\n  stable: v1.36\n");
        assert_eq!(shown(&k, 35, &[]), "beta");
        assert_eq!(shown(&k, 36, &[]), "beta");
        assert_eq!(k.milestones[2].state, MilestoneState::NotReached);
    }

    #[test]
    fn graduated_keps_stay_graduated() {
        let k = entry("kep-number: 127\nstage: stable\nlatest-milestone: v1.36\nmilestone:\n  alpha: v1.25\n  beta: v1.35\n  stable: v1.36\n");
        assert_eq!(shown(&k, 24, &[]), "-");
        assert_eq!(shown(&k, 25, &[]), "alpha");
        assert_eq!(shown(&k, 34, &[]), "alpha");
        assert_eq!(shown(&k, 35, &[]), "beta");
        assert_eq!(shown(&k, 36, &[]), "stable");
        assert_eq!(shown(&k, 37, &[]), "stable");
        // In the cycle under way without a target: still stable.
        assert_eq!(shown(&k, 38, &[]), "stable");
    }

    #[test]
    fn targets_only_in_the_cycle_under_way_and_the_next() {
        let k = entry("kep-number: 1\nstage: beta\nlatest-milestone: v1.38\nmilestone:\n  alpha: v1.36\n  beta: v1.38\n  stable: v1.41\n");
        assert_eq!(shown(&k, 37, &[]), "alpha");
        assert_eq!(shown(&k, 38, &[]), "beta target");
        assert_eq!(shown(&k, 39, &[]), "alpha");
        // v1.41 is a plan, never a stage or a target.
        assert_eq!(shown(&k, 41, &[]), "-");
        assert_eq!(k.milestones[2].state, MilestoneState::Planned);
        // kep.yaml's plan wins over an issue's declared target.
        assert_eq!(shown(&k, 38, &[(7, Stage::Stable, 38)]), "beta target");
        // Without a plan for v1.39, the issue's target shows, as a target.
        assert_eq!(shown(&k, 39, &[(7, Stage::Stable, 39)]), "stable target");
        // A declared target for a release out is not a stage.
        assert_eq!(shown(&k, 37, &[(7, Stage::Stable, 37)]), "alpha");
    }

    #[test]
    fn withdrawn_keps_reach_nothing_new() {
        let k = entry("kep-number: 1\nstatus: withdrawn\nstage: alpha\nlatest-milestone: v1.30\nmilestone:\n  alpha: v1.30\n  beta: v1.38\n");
        assert_eq!(shown(&k, 30, &[]), "alpha");
        assert_eq!(shown(&k, 31, &[]), "-");
        assert_eq!(shown(&k, 38, &[(7, Stage::Beta, 38)]), "-");
        assert_eq!(k.milestones[1].state, MilestoneState::Dropped);
    }

    #[test]
    fn odd_milestones_never_hang_or_invent() {
        // Another major, a far minor, "0.0": plans at most.
        let k = entry("kep-number: 1\nstage: stable\nlatest-milestone: \"2.0\"\nmilestone:\n  alpha: \"1.999\"\n  beta: \"2.0\"\n  stable: '0.0'\n");
        assert!(k
            .milestones
            .iter()
            .all(|m| m.state == MilestoneState::Planned));
        for minor in [0, 37, 38, 999, u16::MAX] {
            assert_eq!(shown(&k, minor, &[]), "-", "v1.{minor}");
        }
    }
}
