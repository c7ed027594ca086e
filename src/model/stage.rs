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
//! The stage of KEP K in a released R is, first, what Kubernetes' own
//! feature-gate history says of the KEP's gate in R (the record of what
//! shipped, with the gate's default: "beta (on)"); where no gate is known
//! (no gate, a gate not in the list, or R newer than the list), the latest
//! kep.yaml milestone reached at or before R, marked as such, but never
//! behind the gate's last known stage. In the cycle
//! under way and the next one, a milestone planned for R, or else a
//! tracking issue's declared target for R, is shown as a **target**:
//! visibly not (yet) a stage the KEP has.
//!
//! The KEP's gate is the first gate its kep.yaml names that Kubernetes'
//! list has (kep.yaml lists the main gate first; later ones are helpers,
//! such as KEP-1287's `InPlacePodVerticalScalingAllocatedStatus`). Gates
//! whose history starts with a `1.0` GA entry describe behaviour older
//! than the gate (the fixture README's quirk) and are never a KEP's gate.

use super::KepEntry;
use crate::calendar::{Calendar, Phase};
use crate::domain::{GateDefault, K8sRelease, Stage};
use crate::gates::{GateHistory, PreRelease};
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

/// The feature gate that stands for a KEP, with how far Kubernetes'
/// list reaches: what it says of later releases is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KepGate {
    /// The gate's history.
    pub history: GateHistory,
    /// The newest release the list names.
    pub covered_until: K8sRelease,
}

impl KepGate {
    /// The KEP's gate among `gates` (kep.yaml order, already joined to the
    /// list): the first that describes a feature. See the module docs.
    pub fn choose<'a>(
        gates: impl IntoIterator<Item = &'a GateHistory>,
        covered_until: K8sRelease,
    ) -> Option<KepGate> {
        let history = gates.into_iter().find(|g| describes_feature(g))?;
        Some(KepGate {
            history: history.clone(),
            covered_until,
        })
    }

    /// The stage the gate says shipped in `r`; `None` before the gate
    /// existed or after the list ends.
    fn stage_at(&self, r: K8sRelease) -> Option<StageAt> {
        if r > self.covered_until {
            return None;
        }
        let spec = self.history.at(r)?;
        Some(StageAt {
            stage: spec.pre_release.stage(),
            basis: Basis::Gate {
                since: spec.version,
            },
            default: Some(if spec.default {
                GateDefault::On
            } else {
                GateDefault::Off
            }),
        })
    }
}

/// False for gates whose first entry is `1.0` and GA: they describe
/// behaviour that existed before the gate (mostly deprecation gates).
fn describes_feature(g: &GateHistory) -> bool {
    g.specs
        .first()
        .is_some_and(|s| !(s.version == K8sRelease::new(1, 0) && s.pre_release == PreRelease::Ga))
}

/// Why a KEP has the stage shown for a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "basis")]
pub enum Basis {
    /// Kubernetes' feature list: the KEP's gate had this stage in the
    /// release, unchanged since `since`.
    Gate {
        /// The release of the gate's last change at or before the release.
        since: K8sRelease,
    },
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
    /// Whether the gate was on by default: from the feature list, or from
    /// a declared `beta w/gate on|off`; `None` when no source says.
    pub default: Option<GateDefault>,
}

impl StageAt {
    /// A target for a release not out yet, not a stage the KEP has.
    pub fn is_target(&self) -> bool {
        matches!(self.basis, Basis::Planned | Basis::Declared { .. })
    }

    /// The gate default that matters: only beta can be on or off.
    pub fn beta_default(&self) -> Option<GateDefault> {
        self.default.filter(|_| self.stage == Stage::Beta)
    }

    /// `beta (on)`, `beta (off)`, `alpha`: the stage as the tracking
    /// template distinguishes it.
    pub fn label(&self) -> String {
        match self.beta_default() {
            Some(GateDefault::On) => format!("{} (on)", self.stage),
            Some(GateDefault::Off) => format!("{} (off)", self.stage),
            None => self.stage.to_string(),
        }
    }

    /// Where the stage comes from: `feature-gate`, `kep.yaml` or
    /// `tracking-issue` (the words of `keps.json`).
    pub fn source(&self) -> &'static str {
        match self.basis {
            Basis::Gate { .. } => "feature-gate",
            Basis::Reached { .. } | Basis::Planned => "kep.yaml",
            Basis::Declared { .. } => "tracking-issue",
        }
    }

    /// Why, in words: `gate UserNamespacesSupport: beta, default on, since
    /// v1.33`, `alpha since v1.29 (kep.yaml)`. `k` is the KEP it is of.
    pub fn why(&self, k: &KepEntry) -> String {
        let default = match self.default {
            Some(GateDefault::On) => ", default on",
            Some(GateDefault::Off) => ", default off",
            None => "",
        };
        match self.basis {
            Basis::Gate { since } => {
                let gate = k.gate.as_ref().map_or("?", |g| g.history.name.as_str());
                format!("gate {gate}: {}{default}, since {since}", self.stage)
            }
            Basis::Reached { since } => format!("{} since {since} (kep.yaml)", self.stage),
            Basis::Planned => format!("{} target (kep.yaml milestone)", self.stage),
            Basis::Declared { issue } => format!(
                "{}{default} target (declared in tracking issue #{issue})",
                self.stage
            ),
        }
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
/// `declared` gives the targets the KEP's tracking issues declare.
pub fn stage_in(
    k: &KepEntry,
    r: K8sRelease,
    cal: &Calendar,
    declared: impl Iterator<Item = DeclaredTarget>,
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
        let declared: Vec<DeclaredTarget> = declared.filter(|d| d.release == r).collect();
        if let Some(stage) = planned {
            // The plan's stage; an issue declaring the same stage may say
            // whether the gate is on.
            let default = declared
                .iter()
                .filter(|d| d.stage == stage)
                .find_map(|d| d.default);
            return Some(StageAt {
                stage,
                basis: Basis::Planned,
                default,
            });
        }
        let declared = declared
            .into_iter()
            .max_by_key(|d| (d.stage, d.default, std::cmp::Reverse(d.issue)));
        if let Some(d) = declared {
            return Some(StageAt {
                stage: d.stage,
                basis: Basis::Declared { issue: d.issue },
                default: d.default,
            });
        }
    }
    let Some(gate) = &k.gate else {
        return reached_at(k, r);
    };
    if r <= gate.covered_until {
        return gate.stage_at(r);
    }
    // After the list ends, kep.yaml fills in, but a stage never goes back
    // behind the gate's last known one (kep.yaml lags behind more often
    // than gates are demoted).
    let last = gate.stage_at(gate.covered_until);
    let filled = reached_at(k, r);
    match (filled, last) {
        (Some(f), Some(l)) if l.stage > f.stage => Some(l),
        (None, Some(l)) if !k.is_inactive() => Some(l),
        (f, _) => f,
    }
}

/// A stage a tracking issue declares for a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclaredTarget {
    /// The issue's number.
    pub issue: u64,
    /// The stage declared.
    pub stage: Stage,
    /// `beta w/gate on|off`, when said.
    pub default: Option<GateDefault>,
    /// The release it is declared for.
    pub release: K8sRelease,
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
        default: None,
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
            gate: None,
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
        let declared = declared.iter().map(|(i, s, m)| DeclaredTarget {
            issue: *i,
            stage: *s,
            default: None,
            release: K8sRelease::new(1, *m),
        });
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

    /// KEP-127 as kep.yaml has it, with UserNamespacesSupport's real
    /// history (Kubernetes' list ends at v1.34).
    fn userns() -> KepEntry {
        let mut k = entry("kep-number: 127\nstage: stable\nlatest-milestone: v1.36\nmilestone:\n  alpha: v1.25\n  beta: v1.35\n  stable: v1.36\nfeature-gates:\n  - name: UserNamespacesSupport\n");
        let gates = crate::gates::FeatureGates::parse("- name: UserNamespacesSupport\n  versionedSpecs:\n  - {default: false, lockToDefault: false, preRelease: Alpha, version: \"1.25\"}\n  - {default: false, lockToDefault: false, preRelease: Beta, version: \"1.30\"}\n  - {default: true, lockToDefault: false, preRelease: Beta, version: \"1.33\"}\n- name: Other\n  versionedSpecs:\n  - {default: true, lockToDefault: false, preRelease: GA, version: \"1.34\"}\n").unwrap();
        k.gate = KepGate::choose(gates.get("usernamespacessupport"), gates.newest().unwrap());
        k
    }

    fn shown_why(k: &KepEntry, minor: u16) -> (String, &'static str) {
        let s = stage_in(
            k,
            K8sRelease::new(1, minor),
            &calendar(),
            std::iter::empty(),
        )
        .unwrap();
        (s.label(), s.source())
    }

    #[test]
    fn the_gate_history_says_what_shipped() {
        let k = userns();
        // kep.yaml says alpha until v1.35; the gate says beta from v1.30.
        assert_eq!(shown_why(&k, 29), ("alpha".into(), "feature-gate"));
        assert_eq!(shown_why(&k, 30), ("beta (off)".into(), "feature-gate"));
        assert_eq!(shown_why(&k, 32), ("beta (off)".into(), "feature-gate"));
        assert_eq!(shown_why(&k, 33), ("beta (on)".into(), "feature-gate"));
        assert_eq!(shown_why(&k, 34), ("beta (on)".into(), "feature-gate"));
        // After the list ends, kep.yaml fills in, marked as such.
        assert_eq!(shown_why(&k, 35), ("beta".into(), "kep.yaml"));
        assert_eq!(shown_why(&k, 36), ("stable".into(), "kep.yaml"));
        let s = stage_in(&k, K8sRelease::new(1, 33), &calendar(), std::iter::empty()).unwrap();
        assert_eq!(
            s.why(&k),
            "gate UserNamespacesSupport: beta, default on, since v1.33"
        );
        // Before the gate existed: no stage, whatever kep.yaml says.
        assert_eq!(shown(&k, 24, &[]), "-");
    }

    #[test]
    fn gates_older_than_their_history_are_no_kep_gate() {
        let gates = crate::gates::FeatureGates::parse("- name: LegacySidecarContainers\n  versionedSpecs:\n  - {default: true, lockToDefault: false, preRelease: GA, version: \"1.0\"}\n  - {default: false, lockToDefault: false, preRelease: Deprecated, version: \"1.33\"}\n- name: SidecarContainers\n  versionedSpecs:\n  - {default: false, lockToDefault: false, preRelease: Alpha, version: \"1.28\"}\n").unwrap();
        let joined =
            ["LegacySidecarContainers", "SidecarContainers"].map(|n| gates.get(n).unwrap());
        let gate = KepGate::choose(joined, K8sRelease::new(1, 34)).unwrap();
        assert_eq!(gate.history.name, "SidecarContainers");
        assert!(KepGate::choose([joined[0]], K8sRelease::new(1, 34)).is_none());
    }

    #[test]
    fn a_declared_gate_default_rides_with_the_target() {
        let k = entry("kep-number: 1\nstage: beta\nlatest-milestone: v1.38\nmilestone:\n  alpha: v1.36\n  beta: v1.38\n");
        let declared = [DeclaredTarget {
            issue: 7,
            stage: Stage::Beta,
            default: Some(GateDefault::On),
            release: K8sRelease::new(1, 38),
        }];
        let s = stage_in(
            &k,
            K8sRelease::new(1, 38),
            &calendar(),
            declared.into_iter(),
        )
        .unwrap();
        assert_eq!((s.label(), s.source()), ("beta (on)".into(), "kep.yaml"));
        assert!(s.is_target());
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
