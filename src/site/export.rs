//! `/data/keps.json`: the joined model for other tools. Its shape is
//! documented in the README; change it only by adding fields, or by bumping
//! `schema_version`.

use super::text;
use crate::domain::K8sRelease;
use crate::model::policy::Side;
use crate::model::{CrioLink, IssueEntry, KepEntry, Milestone, Model, PullEntry, StageAt};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `schema_version` of `keps.json`; bumped only by a breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// `/data/keps.json`: every KEP with a page, joined.
#[derive(Serialize)]
pub struct Export<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The data's time, RFC 3339.
    pub generated_at: String,
    /// The KEPs, by number.
    pub keps: Vec<KepJson<'a>>,
}

/// One KEP in `keps.json`.
#[derive(Serialize)]
pub struct KepJson<'a> {
    /// The KEP number.
    pub number: u32,
    /// The title, from kep.yaml or else the tracking issue.
    pub title: &'a str,
    /// The owning SIG (`sig-node`), when kep.yaml says.
    pub owning_sig: Option<&'a str>,
    /// Whether a kep.yaml was found.
    pub has_kep_yaml: bool,
    /// kep.yaml's `status`.
    pub status: Option<&'a str>,
    /// kep.yaml's milestones as written: stage to release.
    pub milestones: BTreeMap<String, String>,
    /// The stage reached in each release (see `model::stage`), in release order.
    pub stages: ReleaseMap<&'static str>,
    /// Targets for the cycle under way and the next: stage and basis
    /// (`planned`: kep.yaml milestone; `declared`: a tracking issue).
    pub targets: ReleaseMap<StageAt>,
    /// kep.yaml milestones not reached: `planned`, `not-reached` (release
    /// out, not confirmed by kep.yaml) or `dropped` (inactive KEP).
    pub plans: Vec<Milestone>,
    /// Other kep.yaml files declaring the same number, not used.
    pub other_kep_yaml: Vec<&'a str>,
    /// The tracking issues in the template's form.
    pub tracking_issues: Vec<IssueJson<'a>>,
    /// Issues naming the KEP before or beside the template (pre-template).
    pub related_issues: Vec<u64>,
    /// containerd pull requests linked to the KEP.
    pub pull_requests: Vec<PullJson<'a>>,
    /// Per stage, the containerd release that shipped the runtime side.
    pub containerd_releases: BTreeMap<&'static str, String>,
    /// CRI-O pull requests joined to the KEP, with their first CRI-O release.
    pub crio_pull_requests: Vec<CrioPullJson<'a>>,
    /// The feature gates kep.yaml names, with Kubernetes' record of each.
    pub feature_gates: Vec<GateJson<'a>>,
    /// Per release with a stage: the stage and its source, the runtimes'
    /// releases and SIG Node's policy verdict (see `model::policy`).
    pub per_release: ReleaseMap<PerReleaseJson>,
}

/// A feature gate of a KEP in `keps.json`.
#[derive(Serialize)]
pub struct GateJson<'a> {
    /// The name as kep.yaml writes it.
    pub name: &'a str,
    /// Whether Kubernetes' feature list has it (names compared without case).
    pub matched: bool,
    /// Whether it is the gate that gives the KEP's stage.
    pub primary: bool,
    /// Its changes, oldest first; empty when not matched.
    pub history: Vec<GateSpecJson>,
}

/// One change of a feature gate.
#[derive(Serialize)]
pub struct GateSpecJson {
    /// The Kubernetes release of the change (`v1.33`).
    pub version: String,
    /// `alpha`, `beta`, `stable` or `deprecated`.
    pub stage: &'static str,
    /// Whether it is on by default from then on.
    pub default: bool,
    /// Whether it is locked to its default.
    pub locked: bool,
}

/// A KEP in one Kubernetes release, in `keps.json`'s `per_release`.
#[derive(Serialize)]
pub struct PerReleaseJson {
    /// The stage (a target, for the cycles not out yet).
    pub stage: &'static str,
    /// `on`/`off` when a source gives the gate's default, else null.
    pub gate_default: Option<&'static str>,
    /// `feature-gate`, `kep.yaml` or `tracking-issue`.
    pub stage_source: &'static str,
    /// The containerd GA release with the KEP's work merged by the
    /// release (whether or not it counts), or null.
    pub containerd_release: Option<String>,
    /// The same for CRI-O.
    pub crio_release: Option<String>,
    /// `ok`, `violated`, `at-risk`, `ready` or `none`.
    pub policy: &'static str,
    /// Why, in words.
    pub policy_reason: String,
}

/// A CRI-O pull request in `keps.json`.
#[derive(Serialize)]
pub struct CrioPullJson<'a> {
    /// The PR number (cri-o/cri-o).
    pub number: u64,
    /// The PR on GitHub.
    pub url: &'a str,
    /// The PR title.
    pub title: &'a str,
    /// `merged`, `open` or `closed`.
    pub state: &'static str,
    /// When it was merged, RFC 3339.
    pub merged_at: Option<String>,
    /// The branch it was merged into (`main`, `release-1.33`).
    pub base: Option<&'a str>,
    /// The first CRI-O release that shipped it (`v1.33.0`), or null.
    pub crio_release: Option<String>,
    /// Which rule decided: `merge-date-main` or `merge-date-release-branch`.
    pub crio_release_rule: Option<crate::shipping::Rule>,
    /// Where the link to the KEP comes from: `named` (the PR names it),
    /// `backport` (of a PR joined to it) or `configured` (kepboard.toml).
    pub link: &'static str,
}

/// A stage a tracking issue declares.
#[derive(Serialize)]
pub struct TargetJson {
    /// The stage, as in kep.yaml.
    pub stage: &'static str,
    /// `on`/`off` for `beta w/gate on/off`, else null.
    pub gate: Option<&'static str>,
    /// The release, or null for `TBD` or nothing.
    pub k8s_release: Option<String>,
}

/// A tracking issue in `keps.json`.
#[derive(Serialize)]
pub struct IssueJson<'a> {
    /// The tracking repository (`containerd/containerd`).
    pub repo: &'a str,
    /// The issue number.
    pub number: u64,
    /// The issue on GitHub.
    pub url: &'a str,
    /// `open` or `closed`.
    pub state: &'static str,
    /// The issue title.
    pub title: &'a str,
    /// The KEPs the issue names.
    pub kep_numbers: Vec<u32>,
    /// The stages it declares.
    pub targets: Vec<TargetJson>,
    /// KEP owners: logins, or a SIG's name.
    pub owners: Vec<String>,
    /// SIG Node liaisons (logins).
    pub liaisons: Vec<String>,
    /// containerd shepherds (logins).
    pub shepherds: Vec<String>,
    /// GitHub assignees (logins).
    pub assignees: Vec<String>,
    /// Fields that could not be read: `field: message`.
    pub warnings: Vec<String>,
    /// Its linked pull requests.
    pub pull_requests: Vec<PullJson<'a>>,
    /// The latest first release among its merged PRs.
    pub containerd_release: Option<String>,
}

/// A pull request in `keps.json`.
#[derive(Serialize)]
pub struct PullJson<'a> {
    /// The PR number.
    pub number: u64,
    /// The PR on GitHub.
    pub url: &'a str,
    /// The PR title.
    pub title: &'a str,
    /// `merged`, `open` or `closed`.
    pub state: &'static str,
    /// When it was merged, RFC 3339.
    pub merged_at: Option<String>,
    /// The branch it was merged into.
    pub base: Option<&'a str>,
    /// The first containerd release that shipped it (`v2.2.0`), or null.
    pub containerd_release: Option<String>,
    /// The first prerelease that had it, or null.
    pub containerd_prerelease: Option<String>,
    /// Which rule decided: `milestone`, `merge-date-main`, `merge-date-release-branch`.
    pub containerd_release_rule: Option<crate::shipping::Rule>,
}

/// A map keyed by Kubernetes release, serialised in release order
/// (`v1.9` before `v1.10`), not string order.
pub struct ReleaseMap<T>(pub Vec<(K8sRelease, T)>);

impl<T: Serialize> Serialize for ReleaseMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (r, v) in &self.0 {
            map.serialize_entry(&r.to_string(), v)?;
        }
        map.end()
    }
}

/// The stage of `k` in each release of the site that has one.
fn stages_of(model: &Model, k: &KepEntry, releases: &[K8sRelease]) -> Vec<(K8sRelease, StageAt)> {
    releases
        .iter()
        .filter_map(|r| Some((*r, model.stage_in(k, *r)?)))
        .collect()
}

fn pull_json(p: &PullEntry) -> PullJson<'_> {
    PullJson {
        number: p.number,
        url: &p.url,
        title: &p.title,
        state: p.status(),
        merged_at: p.merged_at.map(|d| d.to_rfc3339()),
        base: p.base.as_deref(),
        containerd_release: p
            .shipped
            .as_ref()
            .and_then(|s| s.release.as_ref())
            .map(|v| v.to_string()),
        containerd_prerelease: p
            .shipped
            .as_ref()
            .and_then(|s| s.prerelease.as_ref())
            .map(|v| v.to_string()),
        containerd_release_rule: p.shipped.as_ref().map(|s| s.rule),
    }
}

/// The pull requests `numbers` that the model knows, in that order.
fn pulls<'a>(model: &'a Model, numbers: &[u64]) -> Vec<PullJson<'a>> {
    numbers
        .iter()
        .filter_map(|n| model.pulls.get(n))
        .map(pull_json)
        .collect()
}

/// A tracking issue as `keps.json` shows it.
fn issue_json<'a>(model: &'a Model, i: &'a IssueEntry) -> IssueJson<'a> {
    let p = &i.parsed;
    IssueJson {
        repo: &model.tracking_repo,
        number: i.number,
        url: &i.url,
        state: i.state.as_str(),
        title: &i.title,
        kep_numbers: p.kep_numbers.iter().map(|n| n.get()).collect(),
        targets: p
            .targets
            .iter()
            .map(|t| TargetJson {
                stage: t.stage.as_str(),
                gate: t.gate.map(text::gate),
                k8s_release: t.k8s_release.map(|r| r.to_string()),
            })
            .collect(),
        owners: p.owners.iter().map(text::owner).collect(),
        liaisons: p.liaisons.iter().map(|l| l.to_string()).collect(),
        shepherds: p.shepherds.iter().map(|l| l.to_string()).collect(),
        assignees: i.assignees.iter().map(|l| l.to_string()).collect(),
        warnings: p
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.field, w.message))
            .collect(),
        pull_requests: pulls(model, &i.pulls),
        containerd_release: i.containerd_release.as_ref().map(|v| v.to_string()),
    }
}

/// One KEP as `keps.json` shows it; `releases` are the site's releases.
fn kep_json<'a>(model: &'a Model, k: &'a KepEntry, releases: &[K8sRelease]) -> KepJson<'a> {
    let stages = stages_of(model, k, releases);
    let per_release = per_release(model, k, &stages);
    KepJson {
        number: k.number.get(),
        title: k.title(model),
        owning_sig: k.owning_sig(),
        has_kep_yaml: k.kep.is_some(),
        status: k.kep.as_ref().and_then(|m| m.status.as_deref()),
        milestones: k
            .kep
            .iter()
            .flat_map(|m| &m.milestones)
            .map(|(s, r)| (s.to_string(), r.to_string()))
            .collect(),
        stages: ReleaseMap(
            stages
                .iter()
                .filter(|(_, s)| !s.is_target())
                .map(|(r, s)| (*r, s.stage.as_str()))
                .collect(),
        ),
        targets: ReleaseMap(stages.into_iter().filter(|(_, s)| s.is_target()).collect()),
        plans: k.plans().copied().collect(),
        other_kep_yaml: k.other_files.iter().map(|f| f.path.as_str()).collect(),
        tracking_issues: model
            .tracking_issues(k)
            .map(|i| issue_json(model, i))
            .collect(),
        related_issues: k.related_issues.clone(),
        pull_requests: pulls(model, &k.pulls),
        containerd_releases: k
            .shipped
            .iter()
            .map(|(s, v)| (s.as_str(), v.to_string()))
            .collect(),
        crio_pull_requests: k
            .crio_pulls
            .iter()
            .filter_map(|(n, link)| Some(crio_pull_json(model.crio_pulls.get(n)?, *link)))
            .collect(),
        feature_gates: gates_json(model, k),
        per_release,
    }
}

fn gates_json<'a>(model: &'a Model, k: &'a KepEntry) -> Vec<GateJson<'a>> {
    let primary = k.gate.as_ref().map(|g| g.history.name.as_str());
    model
        .gate_joins(k)
        .into_iter()
        .map(|g| GateJson {
            name: g.name,
            matched: g.history.is_some(),
            primary: g.history.is_some_and(|h| Some(h.name.as_str()) == primary),
            history: g
                .history
                .iter()
                .flat_map(|h| &h.specs)
                .map(|s| GateSpecJson {
                    version: s.version.to_string(),
                    stage: s.pre_release.stage().as_str(),
                    default: s.default,
                    locked: s.locked,
                })
                .collect(),
        })
        .collect()
}

fn per_release(
    model: &Model,
    k: &KepEntry,
    stages: &[(K8sRelease, StageAt)],
) -> ReleaseMap<PerReleaseJson> {
    let release = |s: &Side| match s {
        Side::Released { release, .. } => Some(release.to_string()),
        _ => None,
    };
    ReleaseMap(
        stages
            .iter()
            .map(|(r, s)| {
                let p = model.policy(k, *r);
                let json = PerReleaseJson {
                    stage: s.stage.as_str(),
                    gate_default: s.beta_default().map(text::gate),
                    stage_source: s.source(),
                    containerd_release: release(&p.containerd),
                    crio_release: release(&p.crio),
                    policy: p.verdict.as_str(),
                    policy_reason: p.reason,
                };
                (*r, json)
            })
            .collect(),
    )
}

fn crio_pull_json(p: &PullEntry, link: CrioLink) -> CrioPullJson<'_> {
    CrioPullJson {
        number: p.number,
        url: &p.url,
        title: &p.title,
        state: p.status(),
        merged_at: p.merged_at.map(|d| d.to_rfc3339()),
        base: p.base.as_deref(),
        crio_release: p
            .shipped
            .as_ref()
            .and_then(|s| s.release.as_ref())
            .map(|v| v.to_string()),
        crio_release_rule: p.shipped.as_ref().map(|s| s.rule),
        link: link.slug(),
    }
}

/// The export of `keps` (all of the model's, or an archive's selection).
pub fn export<'a>(model: &'a Model, keps: &[&'a KepEntry]) -> Export<'a> {
    let releases = model.k8s_releases();
    Export {
        schema_version: SCHEMA_VERSION,
        generated_at: model.generated_at.to_rfc3339(),
        keps: keps.iter().map(|k| kep_json(model, k, &releases)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_maps_keep_release_order() {
        let m = ReleaseMap(vec![
            (K8sRelease::new(1, 9), "alpha"),
            (K8sRelease::new(1, 10), "beta"),
        ]);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"v1.9":"alpha","v1.10":"beta"}"#
        );
    }
}
