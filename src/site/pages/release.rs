//! `/k8s/v1.NN/`: one Kubernetes release, its KEPs, its liaisons and the
//! containerd to run with it.
//!
//! Which KEPs a release lists is the model's answer ([`super::Ctx::release_keps`]);
//! this file does not decide it.

use super::rows::{count_of, plural, KepRow, PersonRef};
use super::{At, SiteCtx};
use crate::domain::{K8sRelease, KepNumber, Login};
use crate::model::policy::Verdict;
use crate::model::stage::{Basis, StageAt};
use crate::model::{KepEntry, Model};
use crate::site::urls::PagePath;
use serde::Serialize;
use std::collections::BTreeSet;

/// The context of `release.html`.
#[derive(Debug, Serialize)]
pub struct ReleasePage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// `v1.36`.
    pub release: String,
    /// Its `.0` release date.
    pub ga_date: Option<String>,
    /// "Released 2026-08-26." or that the cycle is under way.
    pub phase: String,
    /// Liaisons named by tracking issues that name this release.
    pub liaisons: Vec<PersonRef>,
    /// `SIG Node liaison(s)`, as many as `liaisons` has.
    pub liaisons_label: String,
    /// The previous release's page.
    pub previous: Option<String>,
    /// The next release's page.
    pub next: Option<String>,
    /// containerd versions RELEASES.md recommends for this release.
    pub run_containerd: Vec<String>,
    /// `/containerd/` (its support matrix).
    pub containerd_url: String,
    /// The release's KEPs in groups by what is happening to them
    /// (graduating, targeting, in force, no stage), empty groups left out.
    pub groups: Vec<Group>,
    /// How many KEPs the groups hold together.
    pub total: usize,
    /// In the cycle under way: KEPs targeted for it whose runtimes are not
    /// ready by SIG Node's policy yet.
    pub at_risk: Vec<KepRow>,
}

/// What is happening to a KEP in a release, by the stage the model gives
/// it there ([`crate::model::Model::stage_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Happening {
    /// Reaches a new stage in this release: the gate changed, or a
    /// kep.yaml milestone was reached, in it.
    Graduating,
    /// A stage planned or declared for this release, not reached: the
    /// release is not out yet.
    Targeting,
    /// At a stage reached before this release and carried into it.
    InForce,
    /// Listed (its tracking issue names the release, or kep.yaml's latest
    /// milestone is it) without a stage there.
    NoStage,
}

impl Happening {
    /// What is happening to `k` in `r`.
    pub fn of(model: &Model, k: &KepEntry, r: K8sRelease) -> Happening {
        match model.stage_in(k, r) {
            Some(s) if s.is_target() => Happening::Targeting,
            Some(StageAt {
                basis: Basis::Gate { since } | Basis::Reached { since },
                ..
            }) if since == r => Happening::Graduating,
            Some(_) => Happening::InForce,
            // Named for a release not out yet: planned, without a stage.
            None if !model.calendar.is_out(r) => Happening::Targeting,
            None => Happening::NoStage,
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Happening::Graduating => "graduating",
            Happening::Targeting => "targeting",
            Happening::InForce => "in-force",
            Happening::NoStage => "no-stage",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Happening::Graduating => "Graduating",
            Happening::Targeting => "Targeting",
            Happening::InForce => "In force",
            Happening::NoStage => "No stage",
        }
    }

    fn blurb(self, r: K8sRelease) -> String {
        match self {
            Happening::Graduating => format!("Reaching a new stage in {r}."),
            Happening::Targeting => {
                format!("Planned for {r}, not reached: {r} is not out yet.")
            }
            Happening::InForce => format!("At a stage reached before {r}, carried into it."),
            Happening::NoStage => format!(
                "Named for {r} by a tracking issue or kep.yaml's latest milestone, with no stage reached in it."
            ),
        }
    }
}

/// One group of a release page's KEPs.
#[derive(Debug, Serialize)]
pub struct Group {
    /// `graduating`, `targeting`, `in-force`, `no-stage`: the section's id.
    pub slug: &'static str,
    /// `Graduating`.
    pub heading: &'static str,
    /// What the group means, for this release.
    pub blurb: String,
    /// `3 KEPs`.
    pub count: String,
    /// Its KEPs, graduating stages first.
    pub rows: Vec<KepRow>,
}

/// `/k8s/v1.NN/`: one Kubernetes release.
pub fn page(c: &At, r: K8sRelease) -> ReleasePage {
    let keps = c.release_keps(r);
    let liaisons: BTreeSet<&Login> = keps
        .iter()
        .flat_map(|k| c.model.tracking_issues(k))
        .filter(|i| i.names_release(r))
        .flat_map(|i| &i.parsed.liaisons)
        .collect();
    let releases = c.releases();
    let pos = releases.iter().position(|x| *x == r);
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| releases.get(i))
            .map(|x| c.link(&PagePath::release(*x)))
    };
    let rows = c.release_rows(r);
    let total = rows.len();
    let groups = groups(c, r, &rows);
    let at_risk = match c.model.calendar.phase(r) {
        crate::calendar::Phase::Current => rows
            .iter()
            .filter(|row| {
                row.readiness
                    .as_ref()
                    .is_some_and(|v| v.verdict == Verdict::AtRisk)
            })
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let mut site = c.site();
    // The filter script, where there are rows to filter.
    site.script = (total > 0).then(|| c.root_link(&PagePath::script()));
    ReleasePage {
        site,
        description: format!(
            "Kubernetes {r}: {}{}. {}",
            count_of(total, "KEP", "KEPs"),
            match at_risk.len() {
                0 => String::new(),
                n => format!(", {n} at risk"),
            },
            phase_text(c.model, r)
        ),
        title: format!("Kubernetes {r}: KEPs and containerd"),
        release: r.to_string(),
        ga_date: c.model.calendar.date(r).map(|d| d.to_string()),
        phase: phase_text(c.model, r),
        liaisons_label: format!("SIG Node {}", plural(liaisons.len(), "liaison", "liaisons")),
        liaisons: liaisons.into_iter().map(|l| c.person(l)).collect(),
        previous: neighbour(pos.and_then(|p| p.checked_sub(1))),
        next: neighbour(pos.map(|p| p + 1)),
        run_containerd: c
            .model
            .support
            .as_ref()
            .and_then(|s| s.for_k8s(r))
            .map(|row| row.containerd.iter().map(|m| m.raw.clone()).collect())
            .unwrap_or_default(),
        containerd_url: c.link(&PagePath::containerd()),
        groups,
        total,
        at_risk,
    }
}

/// The rows of release `r` in groups by [`Happening`], empty ones left out.
fn groups(c: &At, r: K8sRelease, rows: &[KepRow]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for h in [
        Happening::Graduating,
        Happening::Targeting,
        Happening::InForce,
        Happening::NoStage,
    ] {
        let rows: Vec<KepRow> = rows
            .iter()
            .filter(|row| {
                let k = &c.model.keps[&KepNumber::new(row.number).expect("a KEP's number")];
                Happening::of(c.model, k, r) == h
            })
            .cloned()
            .collect();
        if !rows.is_empty() {
            groups.push(Group {
                slug: h.slug(),
                heading: h.heading(),
                blurb: h.blurb(r),
                count: count_of(rows.len(), "KEP", "KEPs"),
                rows,
            });
        }
    }
    groups
}

/// Where release `r` stands, in words, for its page.
fn phase_text(model: &Model, r: K8sRelease) -> String {
    use crate::calendar::Phase;
    match model.calendar.phase(r) {
        Phase::Released => match model.calendar.date(r) {
            Some(d) => format!("Released {d}."),
            None => "Released.".into(),
        },
        Phase::Current => {
            "The release cycle under way: stages shown are targets, not reached yet.".into()
        }
        Phase::Next => "The cycle after the one under way: stages shown are targets.".into(),
        Phase::Later => "Not planned yet.".into(),
    }
}
