//! SIG Node's runtime policy, checked for a KEP in a Kubernetes release.
//!
//! SIG Node ("Kubernetes feature development and container runtimes",
//! kubernetes.dev) asks of the two participating runtimes, containerd and
//! CRI-O, for a feature that needs CRI work:
//!
//! - **alpha** in vN: an implementation merged in at least one runtime;
//! - **beta, gate off by default**: a GA release of at least one runtime
//!   with it;
//! - **beta, gate on by default**, and **GA**: GA releases of both.
//!
//! "At the moment of the Kubernetes release", read as two rules:
//! - **containerd**: a GA release counts for vN when it is out by vN's `.0`
//!   date (a release the day after does not);
//! - **CRI-O**: its minors are made for the Kubernetes minor of the same
//!   number (CRI-O's README compatibility matrix) and v1.N.0 is tagged one
//!   to four weeks after Kubernetes v1.N.0, so CRI-O v1.N.x counts for vN,
//!   and so does any earlier CRI-O GA release.
//!
//! A runtime's work for vN is its PRs for the KEP merged by vN's `.0` date
//! (for a release not out yet: merged so far); it is in a GA release when
//! every one of them is. Work merged later belongs to later releases.
//!
//! The verdict: for a released vN, `ok` or `violated` (the stage shipped
//! before the runtimes were ready, naming the rule and the runtime); for the
//! cycle under way and the next, for a targeted stage, `ready` or `at-risk`.
//! `none` when there is no verdict: no stage, no runtime work recorded for
//! the KEP, or the data cannot tell (a runtime whose work is not recorded,
//! a beta whose gate default no source gives). The reason says which.
//!
//! What it is not: it does not decide stages ([`super::stage`]) nor which
//! PRs are a KEP's ([`super`]); "not marked experimental" for GA is not
//! checked (no source records it).

use super::{KepEntry, Model, StageAt};
use crate::domain::{ContainerdVersion, GateDefault, K8sRelease, Stage};
use chrono::NaiveDate;
use serde::Serialize;

/// The policy's answer for a KEP in a Kubernetes release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The stage shipped before the runtimes were ready.
    Violated,
    /// Targeted for a release not out yet, and the runtimes are not ready.
    AtRisk,
    /// Targeted for a release not out yet, and the runtimes are ready.
    Ready,
    /// Released, and the runtimes were ready.
    Ok,
    /// No verdict: the reason says why.
    None,
}

impl Verdict {
    /// The word of `keps.json` and the pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Violated => "violated",
            Verdict::AtRisk => "at-risk",
            Verdict::Ready => "ready",
            Verdict::Ok => "ok",
            Verdict::None => "none",
        }
    }
}

/// One of the two runtimes the policy names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// containerd.
    Containerd,
    /// CRI-O.
    Crio,
}

impl Runtime {
    /// Its name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Containerd => "containerd",
            Runtime::Crio => "CRI-O",
        }
    }
}

/// What the policy asks of the runtimes for a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// alpha: an implementation merged in one runtime.
    MergedInOne,
    /// beta, gate off: a GA release of one runtime.
    GaInOne,
    /// beta, gate on, and GA: GA releases of both.
    GaInBoth,
    /// beta whose gate default no source gives: one runtime if off, both
    /// if on.
    GaInOneOrBoth,
}

impl Requirement {
    /// The requirement for a stage; `None` for deprecated or removed.
    pub fn for_stage(s: &StageAt) -> Option<Requirement> {
        Some(match (s.stage, s.beta_default()) {
            (Stage::Alpha, _) => Requirement::MergedInOne,
            (Stage::Beta, Some(GateDefault::Off)) => Requirement::GaInOne,
            (Stage::Beta, Some(GateDefault::On)) | (Stage::Stable, _) => Requirement::GaInBoth,
            (Stage::Beta, None) => Requirement::GaInOneOrBoth,
            (Stage::Deprecated | Stage::Removed, _) => return None,
        })
    }

    /// The requirement in words.
    pub fn describe(self) -> &'static str {
        match self {
            Requirement::MergedInOne => "an implementation merged in one runtime",
            Requirement::GaInOne => "a GA release of one runtime with it",
            Requirement::GaInBoth => "GA releases of both runtimes with it",
            Requirement::GaInOneOrBoth => {
                "a GA release of one runtime if the gate is off by default, of both if on"
            }
        }
    }
}

/// A merged PR as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    /// The PR number.
    pub pull: u64,
    /// The day it was merged.
    pub merged: NaiveDate,
    /// The first GA release with it, and that release's day.
    pub release: Option<(ContainerdVersion, Option<NaiveDate>)>,
    /// The CRI-O line of a backport branch (`release-1.33` → 33); `None`
    /// for main.
    pub branch_minor: Option<u64>,
}

/// Where one runtime stands for a KEP in a Kubernetes release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum Side {
    /// No merged PR of this runtime is recorded for the KEP.
    NotRecorded,
    /// Nothing merged by the deadline; the first merge came later.
    NotMerged {
        /// The first recorded merge, after the deadline.
        first: NaiveDate,
    },
    /// Merged, and a PR of it is in no GA release yet.
    Unreleased {
        /// That PR.
        pull: u64,
        /// CRI-O only: the release it will be in counts for the release
        /// (see the module docs).
        will_count: bool,
    },
    /// In a GA release.
    Released {
        /// The release with all the work.
        release: ContainerdVersion,
        /// Its day, when known.
        date: Option<NaiveDate>,
        /// Whether it counts for the Kubernetes release.
        counts: bool,
    },
}

impl Side {
    /// Whether some work was merged by the deadline.
    pub fn merged(&self) -> bool {
        matches!(self, Side::Unreleased { .. } | Side::Released { .. })
    }

    /// Whether a GA release with the work counts for the release.
    pub fn ga_counts(&self) -> bool {
        matches!(
            self,
            Side::Released { counts: true, .. }
                | Side::Unreleased {
                    will_count: true,
                    ..
                }
        )
    }

    /// Whether the runtime was known not to be ready: work merged by the
    /// deadline whose GA release does not count (or is not out and will
    /// not count). Work recorded only after the deadline proves nothing:
    /// earlier work may simply not be recorded.
    pub fn known_late(&self) -> bool {
        matches!(
            self,
            Side::Released { counts: false, .. }
                | Side::Unreleased {
                    will_count: false,
                    ..
                }
        )
    }
}

impl Side {
    /// The side in a table cell for release `r`: `v2.0.0`, `v2.0.0 (out
    /// after v1.31)`, `#123 merged, unreleased`, `not recorded`.
    pub fn short(&self, rt: Runtime, r: K8sRelease) -> String {
        match self {
            Side::NotRecorded => "not recorded".into(),
            Side::NotMerged { .. } => format!("nothing merged by {r}"),
            Side::Unreleased { pull, .. } => format!("#{pull} merged, unreleased"),
            Side::Released {
                release,
                counts: true,
                ..
            } => release.to_string(),
            Side::Released { release, .. } => match rt {
                Runtime::Containerd => format!("{release} (out after {r})"),
                Runtime::Crio => format!("{release} (for a later Kubernetes)"),
            },
        }
    }

    /// The GA release with the work, whether or not it counts.
    pub fn release(&self) -> Option<&ContainerdVersion> {
        match self {
            Side::Released { release, .. } => Some(release),
            _ => None,
        }
    }
}

/// One runtime's side, in words, for the release `r` (whose `.0` is on
/// `deadline`, when out).
pub fn side_words(rt: Runtime, side: &Side, r: K8sRelease, deadline: Option<NaiveDate>) -> String {
    let name = rt.name();
    let by = match deadline {
        Some(d) => format!("by {r}'s release ({d})"),
        None => "so far".to_string(),
    };
    match side {
        Side::NotRecorded => format!("{name}: no work recorded"),
        Side::NotMerged { first } => {
            format!("{name}: nothing merged {by}; the first recorded merge is of {first}")
        }
        Side::Unreleased {
            pull,
            will_count: true,
        } => format!(
            "{name}: #{pull} merged, not in a CRI-O release in the data yet; the CRI-O minor it goes into counts for {r}"
        ),
        Side::Unreleased { pull, .. } => format!("{name}: #{pull} merged, in no GA release yet"),
        Side::Released {
            release,
            date,
            counts,
        } => released_words(rt, release, *date, *counts, r, deadline),
    }
}

fn released_words(
    rt: Runtime,
    release: &ContainerdVersion,
    date: Option<NaiveDate>,
    counts: bool,
    r: K8sRelease,
    deadline: Option<NaiveDate>,
) -> String {
    let on = date.map(|d| format!(" ({d})")).unwrap_or_default();
    match (rt, counts, deadline) {
        (Runtime::Containerd, true, Some(d)) => {
            format!("containerd {release}{on}, out by {r}'s release ({d})")
        }
        (Runtime::Containerd, true, None) => format!("containerd {release}{on}, out already"),
        (Runtime::Containerd, false, Some(d)) => {
            format!("containerd {release}{on}, out after {r}'s release ({d})")
        }
        (Runtime::Containerd, false, None) => format!("containerd {release}{on}"),
        (Runtime::Crio, true, _) => format!(
            "CRI-O {release}{on}: CRI-O v1.{}.x counts for {r}",
            release.minor()
        ),
        (Runtime::Crio, false, _) => {
            format!("CRI-O {release}{on}: made for a later Kubernetes than {r}",)
        }
    }
}

/// Where one runtime stands: its `work` (every merged PR of the KEP),
/// for release `r` whose `.0` is on `deadline` (`None`: not out yet).
pub fn side(rt: Runtime, work: &[Work], r: K8sRelease, deadline: Option<NaiveDate>) -> Side {
    let Some(first) = work.iter().map(|w| w.merged).min() else {
        return Side::NotRecorded;
    };
    let done: Vec<&Work> = work
        .iter()
        .filter(|w| deadline.is_none_or(|d| w.merged <= d))
        .collect();
    if done.is_empty() {
        return Side::NotMerged { first };
    }
    if let Some(w) = done.iter().find(|w| w.release.is_none()) {
        // CRI-O: main goes into the minor being made for the Kubernetes
        // release under way (at most vN for work merged by vN's .0), a
        // release-1.M branch into v1.M.
        let will_count = rt == Runtime::Crio
            && u64::from(r.major) == 1
            && w.branch_minor.is_none_or(|m| m <= u64::from(r.minor));
        return Side::Unreleased {
            pull: w.pull,
            will_count,
        };
    }
    let (release, date) = done
        .iter()
        .filter_map(|w| w.release.clone())
        .max_by(|a, b| a.0.cmp(&b.0))
        .expect("every PR of `done` has a release");
    let counts = match rt {
        Runtime::Containerd => match deadline {
            Some(d) => date.is_some_and(|x| x <= d),
            None => true,
        },
        Runtime::Crio => {
            release.major() == u64::from(r.major) && release.minor() <= u64::from(r.minor)
        }
    };
    Side::Released {
        release,
        date,
        counts,
    }
}

/// The policy for a KEP in a release: both sides, the verdict and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyAt {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, in words: the requirement, the rule and the runtimes.
    pub reason: String,
    /// containerd's side.
    pub containerd: Side,
    /// CRI-O's side.
    pub crio: Side,
    /// The release's `.0` date when it is out: the runtimes' deadline.
    /// `None` for a release not out yet.
    pub deadline: Option<NaiveDate>,
}

/// The verdict for a stage, from the requirement and the two sides.
/// `upcoming`: a target for a release not out yet (ready / at risk).
pub fn verdict(req: Requirement, upcoming: bool, c: &Side, o: &Side) -> (Verdict, &'static str) {
    let one = |f: fn(&Side) -> bool| f(c) || f(o);
    let both = |f: fn(&Side) -> bool| f(c) && f(o);
    let met = match req {
        Requirement::MergedInOne => one(Side::merged),
        Requirement::GaInOne => one(Side::ga_counts),
        Requirement::GaInBoth | Requirement::GaInOneOrBoth => both(Side::ga_counts),
    };
    match (upcoming, met) {
        (true, true) => return (Verdict::Ready, "ready"),
        (true, false) if req == Requirement::GaInOneOrBoth && one(Side::ga_counts) => {
            return (
                Verdict::AtRisk,
                "ready only if the gate is off by default, which no source says yet",
            )
        }
        (true, false) => return (Verdict::AtRisk, "not ready yet"),
        (false, true) => return (Verdict::Ok, "met"),
        (false, false) => {}
    }
    // Violated only on proof: a runtime whose work was merged in time but
    // released too late, where the rule needed it.
    let violated = match req {
        Requirement::MergedInOne => false,
        Requirement::GaInOne | Requirement::GaInOneOrBoth => both(Side::known_late),
        Requirement::GaInBoth => one(Side::known_late),
    };
    match (violated, req) {
        (true, _) => (Verdict::Violated, "not met"),
        (false, Requirement::GaInOneOrBoth) if one(Side::ga_counts) => (
            Verdict::None,
            "met if the gate was off by default, not if on; no source gives the default",
        ),
        (false, _) => (
            Verdict::None,
            "cannot tell: what the runtimes had by then is not (all) recorded",
        ),
    }
}

impl Model {
    /// Whether the data records runtime work for `k`: a containerd
    /// tracking issue (template or before it) or runtime PRs.
    pub fn needs_runtime_work(&self, k: &KepEntry) -> bool {
        k.is_tracked() || !k.pulls.is_empty() || !k.crio_pulls.is_empty()
    }

    /// SIG Node's policy for `k` in release `r`; see the module docs.
    pub fn policy(&self, k: &KepEntry, r: K8sRelease) -> PolicyAt {
        let deadline = self.calendar.date(r).filter(|_| self.calendar.is_out(r));
        let containerd = side(
            Runtime::Containerd,
            &self.work(Runtime::Containerd, k),
            r,
            deadline,
        );
        let crio = side(Runtime::Crio, &self.work(Runtime::Crio, k), r, deadline);
        let stage = self.stage_in(k, r);
        let (verdict, reason) = self.judge(k, r, stage, deadline, &containerd, &crio);
        PolicyAt {
            verdict,
            reason,
            containerd,
            crio,
            deadline,
        }
    }

    fn judge(
        &self,
        k: &KepEntry,
        r: K8sRelease,
        stage: Option<StageAt>,
        deadline: Option<NaiveDate>,
        c: &Side,
        o: &Side,
    ) -> (Verdict, String) {
        if !self.needs_runtime_work(k) {
            return (
                Verdict::None,
                "no runtime work is recorded for this KEP".into(),
            );
        }
        let Some(stage) = stage else {
            return (Verdict::None, format!("no stage in {r}"));
        };
        let Some(req) = Requirement::for_stage(&stage) else {
            return (
                Verdict::None,
                format!("{} asks nothing of runtimes", stage.stage),
            );
        };
        let upcoming = deadline.is_none();
        if upcoming && !stage.is_target() {
            return (Verdict::None, format!("no stage change planned for {r}"));
        }
        let (v, summary) = verdict(req, upcoming, c, o);
        let sides = [(Runtime::Containerd, c), (Runtime::Crio, o)]
            .map(|(rt, s)| side_words(rt, s, r, deadline))
            .join("; ");
        let label = stage.label();
        let reason = format!(
            "{label} in {r} needs {}: {summary}. {sides}",
            req.describe()
        );
        (v, reason)
    }

    /// The merged PRs of `k` in runtime `rt`, as the policy sees them.
    fn work(&self, rt: Runtime, k: &KepEntry) -> Vec<Work> {
        let (numbers, pulls): (Vec<u64>, _) = match rt {
            Runtime::Containerd => (k.pulls.clone(), &self.pulls),
            Runtime::Crio => (
                k.crio_pulls.iter().map(|(n, _)| *n).collect(),
                &self.crio_pulls,
            ),
        };
        numbers
            .iter()
            .filter_map(|n| pulls.get(n))
            .filter_map(|p| {
                let release = p.shipped.as_ref().and_then(|s| s.release.clone());
                Some(Work {
                    pull: p.number,
                    merged: p.merged_at?.date_naive(),
                    release: release.map(|v| {
                        let day = self.release_day(rt, &v);
                        (v, day)
                    }),
                    branch_minor: p.base.as_deref().and_then(release_branch_minor),
                })
            })
            .collect()
    }

    /// The day a release came out: containerd's, from its release list
    /// (CRI-O's rule goes by version, not day).
    fn release_day(&self, rt: Runtime, v: &ContainerdVersion) -> Option<NaiveDate> {
        if rt != Runtime::Containerd {
            return None;
        }
        self.containerd_releases
            .iter()
            .find(|x| x.version == *v)
            .and_then(|x| x.date)
            .map(|d| d.date_naive())
    }
}

/// `release-1.33` → 33; `main` and other branches → `None`.
fn release_branch_minor(base: &str) -> Option<u64> {
    let v = base.strip_prefix("release-")?;
    let (_, minor) = v.split_once('.')?;
    minor.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn v(s: &str) -> ContainerdVersion {
        ContainerdVersion::parse(s).unwrap()
    }

    fn r(m: u16) -> K8sRelease {
        K8sRelease::new(1, m)
    }

    fn work(merged: &str, release: Option<(&str, Option<&str>)>) -> Work {
        Work {
            pull: 1,
            merged: day(merged),
            release: release.map(|(x, d)| (v(x), d.map(day))),
            branch_minor: None,
        }
    }

    /// Kubernetes v1.31.0 came out on 2024-08-13.
    const V131: &str = "2024-08-13";

    #[test]
    fn containerd_counts_when_out_by_the_release_date() {
        let on = |released: &str| {
            let w = [work("2024-06-01", Some(("2.0.0", Some(released))))];
            side(Runtime::Containerd, &w, r(31), Some(day(V131))).ga_counts()
        };
        assert!(on("2024-08-12"));
        assert!(on("2024-08-13"), "the same day counts");
        assert!(!on("2024-08-14"), "a day after does not");
        // For a release not out yet, a release out already counts.
        let w = [work("2024-06-01", Some(("2.0.0", Some("2024-08-14"))))];
        assert!(side(Runtime::Containerd, &w, r(32), None).ga_counts());
        // Merged, no GA release yet: not ready.
        let w = [work("2024-06-01", None)];
        let s = side(Runtime::Containerd, &w, r(32), None);
        assert!(s.merged() && !s.ga_counts());
    }

    #[test]
    fn crio_counts_by_minor() {
        let on = |release: &str| {
            let w = [work("2024-06-01", Some((release, None)))];
            side(Runtime::Crio, &w, r(31), Some(day(V131))).ga_counts()
        };
        assert!(
            on("1.31.0"),
            "CRI-O v1.N.0 counts for vN, though tagged after it"
        );
        assert!(on("1.30.4"), "an earlier CRI-O release counts");
        assert!(!on("1.32.0"), "CRI-O v1.(N+1).0 does not");
        // Merged on main, in no release in the data yet: it goes into the
        // minor being made, which counts; a backport to a later line not.
        let mut w = work("2024-06-01", None);
        assert!(side(Runtime::Crio, &[w.clone()], r(31), Some(day(V131))).ga_counts());
        w.branch_minor = Some(32);
        assert!(!side(Runtime::Crio, &[w], r(31), Some(day(V131))).ga_counts());
    }

    #[test]
    fn work_is_what_was_merged_by_the_release() {
        // Merged after v1.31.0: not v1.31's work.
        let w = [work("2024-09-01", Some(("2.1.0", Some("2025-05-01"))))];
        assert_eq!(
            side(Runtime::Containerd, &w, r(31), Some(day(V131))),
            Side::NotMerged {
                first: day("2024-09-01")
            }
        );
        assert_eq!(
            side(Runtime::Containerd, &[], r(31), None),
            Side::NotRecorded
        );
        // All the work merged in time must be released: the latest counts.
        let w = [
            work("2024-01-01", Some(("1.7.0", Some("2024-02-01")))),
            work("2024-07-01", Some(("2.0.0", Some("2024-11-05")))),
        ];
        assert!(!side(Runtime::Containerd, &w, r(31), Some(day(V131))).ga_counts());
    }

    fn released(counts: bool) -> Side {
        Side::Released {
            release: v("2.0.0"),
            date: None,
            counts,
        }
    }

    #[test]
    fn each_stage_asks_its_own() {
        let (ok, late, none) = (released(true), released(false), Side::NotRecorded);
        let merged_late = Side::NotMerged {
            first: day("2025-01-01"),
        };
        use Requirement::*;
        let v = |req, c: &Side, o: &Side| verdict(req, false, c, o).0;
        // alpha: merged in one runtime (a late release is still merged).
        assert_eq!(v(MergedInOne, &late, &none), Verdict::Ok);
        assert_eq!(v(MergedInOne, &merged_late, &none), Verdict::None);
        // beta off: a GA release of one.
        assert_eq!(v(GaInOne, &late, &ok), Verdict::Ok);
        assert_eq!(v(GaInOne, &late, &late), Verdict::Violated);
        assert_eq!(v(GaInOne, &late, &none), Verdict::None);
        // beta on and GA: both.
        assert_eq!(v(GaInBoth, &ok, &ok), Verdict::Ok);
        assert_eq!(v(GaInBoth, &late, &ok), Verdict::Violated);
        assert_eq!(v(GaInBoth, &ok, &none), Verdict::None);
        // Work recorded only after the release proves nothing.
        assert_eq!(v(GaInBoth, &merged_late, &ok), Verdict::None);
        // beta, default unknown: both is ok, none is violated, one is open.
        assert_eq!(v(GaInOneOrBoth, &ok, &ok), Verdict::Ok);
        assert_eq!(v(GaInOneOrBoth, &late, &late), Verdict::Violated);
        assert_eq!(v(GaInOneOrBoth, &ok, &late), Verdict::None);
        // Not out yet: ready or at risk.
        assert_eq!(verdict(GaInBoth, true, &ok, &ok).0, Verdict::Ready);
        assert_eq!(verdict(GaInBoth, true, &ok, &none).0, Verdict::AtRisk);
        assert_eq!(verdict(MergedInOne, true, &none, &none).0, Verdict::AtRisk);
    }
}
