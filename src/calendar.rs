//! The Kubernetes release calendar: which minors are out, which cycle is
//! under way, and which releases the site has a page for.
//!
//! Everything is decided from the Kubernetes release data (the `.0` date of
//! each minor) and the time the snapshot was taken, never from kep.yaml:
//! milestones there are plans as much as records (a kep.yaml may name
//! `stable: v1.41` years ahead, or `latest-milestone: "2.0"`). Without
//! release data nothing is known to be out and there is no current cycle;
//! the site says so instead of guessing.
//!
//! Every walk over releases here is bounded by the calendar itself, so no
//! milestone string can make a loop run away.

use crate::domain::K8sRelease;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// The releases known to be out at a given time, and the cycle under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// `.0` dates of the minors the release data names (out or not).
    dates: BTreeMap<K8sRelease, NaiveDate>,
    /// The newest minor whose `.0` is out at the snapshot's time.
    latest: Option<K8sRelease>,
}

/// Where a release stands at the snapshot's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Its `.0` is out.
    Released,
    /// The cycle under way: the first minor whose `.0` is not out.
    Current,
    /// The cycle after the one under way (enhancements are already opted in).
    Next,
    /// Further ahead, or unknown (no release data): plans only.
    Later,
}

impl Calendar {
    /// The calendar of a snapshot: its Kubernetes releases' `.0` dates
    /// (drafts and pre-releases left out), as of its time.
    pub fn from_snapshot(snapshot: &crate::snapshot::Snapshot) -> Calendar {
        Calendar::new(k8s_release_dates(snapshot), snapshot.generated_at)
    }

    /// The calendar at `as_of` from the `.0` dates of Kubernetes minors.
    /// A date after `as_of` is a release not out yet.
    pub fn new(dates: BTreeMap<K8sRelease, NaiveDate>, as_of: DateTime<Utc>) -> Calendar {
        let today = as_of.date_naive();
        let latest = dates
            .iter()
            .filter(|(_, d)| **d <= today)
            .map(|(r, _)| *r)
            .max();
        Calendar { dates, latest }
    }

    /// The newest released minor, if the data names any.
    pub fn latest_released(&self) -> Option<K8sRelease> {
        self.latest
    }

    /// The cycle under way: the minor after the newest released one.
    pub fn current(&self) -> Option<K8sRelease> {
        self.latest.and_then(K8sRelease::next)
    }

    /// The cycle after the current one.
    pub fn next(&self) -> Option<K8sRelease> {
        self.current().and_then(K8sRelease::next)
    }

    /// Whether `r` is out: it is the newest released minor or older.
    pub fn is_out(&self, r: K8sRelease) -> bool {
        self.latest.is_some_and(|latest| r <= latest)
    }

    /// Where `r` stands at the snapshot's time.
    pub fn phase(&self, r: K8sRelease) -> Phase {
        if self.is_out(r) {
            Phase::Released
        } else if Some(r) == self.current() {
            Phase::Current
        } else if Some(r) == self.next() {
            Phase::Next
        } else {
            Phase::Later
        }
    }

    /// Whether `r` is the cycle under way or the next one, where planned
    /// milestones and declared targets are shown as targets.
    pub fn is_upcoming(&self, r: K8sRelease) -> bool {
        matches!(self.phase(r), Phase::Current | Phase::Next)
    }

    /// The `.0` date of `r`, when the release data has it.
    pub fn date(&self, r: K8sRelease) -> Option<NaiveDate> {
        self.dates.get(&r).copied()
    }

    /// The release being developed on `day`: the first minor whose `.0` is
    /// on or after it (the release a change merged that day went into).
    pub fn cycle_on(&self, day: NaiveDate) -> Option<K8sRelease> {
        match self.dates.iter().find(|(_, d)| **d >= day) {
            Some((r, _)) => Some(*r),
            None => self.dates.keys().next_back().and_then(|r| r.next()),
        }
    }

    /// Every minor that gets a page: from `first` (or the cycle under way,
    /// if earlier) up to the next cycle, without gaps, oldest first.
    /// Releases of another major than the cycle under way, and anything
    /// after the next cycle, are left out.
    pub fn releases_from(&self, first: Option<K8sRelease>) -> Vec<K8sRelease> {
        let (Some(current), Some(last)) = (self.current(), self.next()) else {
            return Vec::new();
        };
        // The cycle under way and the next always have a page.
        let start = match first {
            Some(f) if f.major == current.major => f.minor.min(current.minor),
            _ => current.minor,
        };
        (start..=last.minor)
            .map(|m| K8sRelease::new(last.major, m))
            .collect()
    }
}

/// Kubernetes minors and the date of their `.0` (the earliest date of a
/// minor line), from the non-draft, non-prerelease releases.
fn k8s_release_dates(snapshot: &crate::snapshot::Snapshot) -> BTreeMap<K8sRelease, NaiveDate> {
    let mut out = BTreeMap::new();
    for r in &snapshot.kubernetes_releases {
        if r.draft || r.prerelease {
            continue;
        }
        let (Some(rel), Some(date)) = (K8sRelease::parse(&r.tag_name), r.date()) else {
            continue;
        };
        let d = out.entry(rel).or_insert(date.date_naive());
        *d = (*d).min(date.date_naive());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(released: &[(u16, &str)], as_of: &str) -> Calendar {
        let dates = released
            .iter()
            .map(|(m, d)| (K8sRelease::new(1, *m), d.parse().unwrap()))
            .collect();
        Calendar::new(dates, format!("{as_of}T00:00:00Z").parse().unwrap())
    }
    fn r(m: u16) -> K8sRelease {
        K8sRelease::new(1, m)
    }

    #[test]
    fn the_cycle_under_way_follows_the_newest_release_out() {
        let c = cal(&[(36, "2026-04-22"), (37, "2026-08-26")], "2026-11-25");
        assert_eq!(c.latest_released(), Some(r(37)));
        assert_eq!(c.current(), Some(r(38)));
        assert_eq!(c.next(), Some(r(39)));
        assert!(c.is_out(r(37)) && c.is_out(r(5)) && !c.is_out(r(38)));
        assert_eq!(c.phase(r(40)), Phase::Later);
        assert_eq!(c.phase(K8sRelease::new(2, 0)), Phase::Later);
        // The day before v1.37's release, v1.37 is the cycle under way.
        let c = cal(&[(36, "2026-04-22"), (37, "2026-08-26")], "2026-08-25");
        assert_eq!(c.current(), Some(r(37)));
    }

    #[test]
    fn without_release_data_nothing_is_out() {
        let c = Calendar::new(BTreeMap::new(), Utc::now());
        assert_eq!(c.current(), None);
        assert!(!c.is_out(r(1)));
        assert!(c.releases_from(Some(r(20))).is_empty());
    }

    #[test]
    fn pages_run_without_gaps_to_the_next_cycle_and_stay_bounded() {
        let c = cal(&[(36, "2026-04-22"), (37, "2026-08-26")], "2026-11-25");
        let pages = c.releases_from(Some(r(30)));
        assert_eq!(pages.first(), Some(&r(30)));
        assert_eq!(pages.last(), Some(&r(39)));
        assert_eq!(pages.len(), 10);
        // A milestone of another major or far ahead opens no page.
        assert_eq!(c.releases_from(Some(K8sRelease::new(2, 0))), [r(38), r(39)]);
        assert_eq!(c.releases_from(Some(r(999))), [r(38), r(39)]);
        assert_eq!(c.releases_from(None), [r(38), r(39)]);
    }

    #[test]
    fn cycle_of_a_day() {
        let c = cal(&[(36, "2026-04-22"), (37, "2026-08-26")], "2026-11-25");
        assert_eq!(c.cycle_on("2026-05-01".parse().unwrap()), Some(r(37)));
        assert_eq!(c.cycle_on("2026-08-26".parse().unwrap()), Some(r(37)));
        assert_eq!(c.cycle_on("2026-09-01".parse().unwrap()), Some(r(38)));
    }
}
