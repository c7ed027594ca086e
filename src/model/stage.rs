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
use crate::calendar::Calendar;
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
    pub stage: Stage,
    pub release: K8sRelease,
    pub state: MilestoneState,
}

/// Why a KEP has the stage shown for a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "basis")]
pub enum Basis {
    /// The kep.yaml milestone reached in `since` (at or before the release).
    Reached { since: K8sRelease },
    /// A kep.yaml milestone planned for this release, not out yet.
    Planned,
    /// A tracking issue declares this stage for this release, not out yet.
    Declared { issue: u64 },
}

/// The stage of a KEP in one release, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageAt {
    pub stage: Stage,
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

/// The stage of `k` in release `r`, by the rule in the module docs.
/// `declared` gives the targets the KEP's tracking issues declare, as
/// (issue, stage, release).
pub fn stage_in(
    k: &KepEntry,
    r: K8sRelease,
    cal: &Calendar,
    declared: impl Iterator<Item = (u64, Stage, K8sRelease)>,
) -> Option<StageAt> {
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
