//! Process findings: what a KEP shepherd or liaison should look at.
//!
//! Derived from the joined [`Model`] only. Findings are facts about the
//! process (no shepherd, stage disagreeing with kep.yaml, fields that could
//! not be read, SIG Node's runtime policy violated or at risk), not
//! failures of kepboard: `kepboard check` prints them and exits 0 (with
//! `--strict`, non-zero on policy findings); the site shows them on
//! `/health/`.

use crate::declared::FieldKey;
use crate::domain::{GateDefault, K8sRelease, KepNumber, Stage};
use crate::model::{IssueEntry, KepEntry, Model};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of finding, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A stage shipped before the runtimes were ready, by SIG Node's policy.
    PolicyViolated,
    /// A target of a cycle not out yet whose runtimes are not ready.
    PolicyAtRisk,
    /// No shepherd named (and the text reaches the shepherd line).
    NoShepherd,
    /// One shepherd; the process prefers two.
    OneShepherd,
    /// The issue text we have ends before or inside the shepherd line.
    ShepherdUnknown,
    /// The issue names no KEP.
    NoKepNumber,
    /// The title names no KEP number.
    TitleWithoutKepNumber,
    /// No label for a Kubernetes release.
    NoReleaseLabel,
    /// A declared stage or release disagrees with kep.yaml.
    StageDisagreement,
    /// A declared stage (or beta gate default) for a Kubernetes release out
    /// is not what its feature-gate list says shipped.
    DeclaredNotShipped,
    /// A field could not be read.
    ParseWarning,
    /// A tracked KEP has no kep.yaml in the data.
    NoKepYaml,
    /// More than one open tracking issue for a KEP.
    SeveralTrackingIssues,
    /// A SIG Node KEP of the cycle under way without a tracking issue.
    Untracked,
    /// A stage reached in a released Kubernetes, the tracking issue open, no merged PR linked.
    RuntimeWorkPending,
    /// An active KEP tracked only by issues written before the template.
    PreTemplateOnly,
    /// An issue names a KEP number without kep.yaml beside one with.
    UnknownKepNumber,
    /// An issue whose KEP numbers name no kep.yaml, joined to a KEP by a
    /// feature gate its text names.
    JoinedByGate,
    /// Several kep.yaml files declare one KEP number.
    DuplicateKep,
    /// A SIG Node kep.yaml names a gate Kubernetes' feature list does not have.
    UnmatchedGate,
    /// A kep.yaml could not be read.
    KepYamlError,
    /// containerd's RELEASES.md support table has a problem.
    SupportTable,
    /// A CRI-O PR configured for a KEP (kepboard.toml) that the data lacks.
    UnknownCrioLink,
}

impl Kind {
    /// Every kind, in the order reports list them.
    pub const ALL: [Kind; 23] = [
        Kind::PolicyViolated,
        Kind::PolicyAtRisk,
        Kind::NoShepherd,
        Kind::OneShepherd,
        Kind::ShepherdUnknown,
        Kind::NoKepNumber,
        Kind::TitleWithoutKepNumber,
        Kind::NoReleaseLabel,
        Kind::StageDisagreement,
        Kind::DeclaredNotShipped,
        Kind::ParseWarning,
        Kind::NoKepYaml,
        Kind::SeveralTrackingIssues,
        Kind::Untracked,
        Kind::RuntimeWorkPending,
        Kind::PreTemplateOnly,
        Kind::UnknownKepNumber,
        Kind::JoinedByGate,
        Kind::DuplicateKep,
        Kind::UnmatchedGate,
        Kind::KepYamlError,
        Kind::SupportTable,
        Kind::UnknownCrioLink,
    ];

    /// The finding's name: in `check --format json`, and as the anchor of
    /// its section on `/health/`. The one place these names are written.
    pub fn slug(self) -> &'static str {
        match self {
            Kind::PolicyViolated => "policy-violated",
            Kind::PolicyAtRisk => "policy-at-risk",
            Kind::NoShepherd => "no-shepherd",
            Kind::OneShepherd => "one-shepherd",
            Kind::ShepherdUnknown => "shepherd-unknown",
            Kind::NoKepNumber => "no-kep-number",
            Kind::TitleWithoutKepNumber => "title-without-kep-number",
            Kind::NoReleaseLabel => "no-release-label",
            Kind::StageDisagreement => "stage-disagreement",
            Kind::DeclaredNotShipped => "declared-not-shipped",
            Kind::ParseWarning => "parse-warning",
            Kind::NoKepYaml => "no-kep-yaml",
            Kind::SeveralTrackingIssues => "several-tracking-issues",
            Kind::Untracked => "untracked",
            Kind::RuntimeWorkPending => "runtime-work-pending",
            Kind::PreTemplateOnly => "pre-template-only",
            Kind::UnknownKepNumber => "unknown-kep-number",
            Kind::JoinedByGate => "joined-by-gate",
            Kind::DuplicateKep => "duplicate-kep",
            Kind::UnmatchedGate => "unmatched-gate",
            Kind::KepYamlError => "kep-yaml-error",
            Kind::SupportTable => "support-table",
            Kind::UnknownCrioLink => "unknown-crio-link",
        }
    }

    /// Whether the overview's "Needs attention" card counts this kind: a
    /// gap in the process someone acts on, not a note about the data
    /// (unreadable or duplicate kep.yaml files, gate names the feature list
    /// lacks, support-table problems, configured CRI-O PRs the data lacks),
    /// which only `/health/` lists.
    pub fn needs_attention(self) -> bool {
        !matches!(
            self,
            Kind::UnmatchedGate
                | Kind::KepYamlError
                | Kind::DuplicateKep
                | Kind::SupportTable
                | Kind::UnknownCrioLink
        )
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            Kind::PolicyViolated => {
                "Runtime policy violated: stages that shipped before the runtimes were ready"
            }
            Kind::PolicyAtRisk => {
                "Runtime policy at risk: targets whose runtimes are not ready yet"
            }
            Kind::NoShepherd => "Tracking issues without a shepherd",
            Kind::OneShepherd => "Tracking issues with only one shepherd (two preferred)",
            Kind::ShepherdUnknown => {
                "Tracking issues whose shepherd line the issue text we have does not reach"
            }
            Kind::NoKepNumber => "Tracking issues naming no KEP",
            Kind::TitleWithoutKepNumber => "Tracking issue titles without a KEP number",
            Kind::NoReleaseLabel => "Tracking issues without a Kubernetes release label",
            Kind::StageDisagreement => "Declared stage or release disagrees with kep.yaml",
            Kind::DeclaredNotShipped => {
                "Declared stage or gate default not what Kubernetes shipped (its feature-gate list)"
            }
            Kind::ParseWarning => "Tracking issue fields that could not be read",
            Kind::NoKepYaml => "Tracked KEPs with no kep.yaml in the data",
            Kind::SeveralTrackingIssues => "KEPs with more than one open tracking issue",
            Kind::Untracked => {
                "SIG-Node KEPs in the current cycle without a containerd tracking issue"
            }
            Kind::RuntimeWorkPending => {
                "KEPs at a stage in a released Kubernetes whose tracking issue is open with no merged PR linked to it"
            }
            Kind::PreTemplateOnly => {
                "Active KEPs tracked only by issues written before the tracking template"
            }
            Kind::UnknownKepNumber => {
                "Issues naming a KEP number that has no kep.yaml, beside one that has"
            }
            Kind::JoinedByGate => {
                "Issues naming KEP numbers without kep.yaml, joined to a KEP by a feature gate they name"
            }
            Kind::DuplicateKep => "KEP numbers declared by more than one kep.yaml",
            Kind::UnmatchedGate => {
                "Feature gates of SIG Node kep.yaml files not in Kubernetes' feature list"
            }
            Kind::KepYamlError => "kep.yaml files that could not be read",
            Kind::SupportTable => "containerd RELEASES.md support table problems",
            Kind::UnknownCrioLink => {
                "CRI-O pull requests configured for a KEP in kepboard.toml that the data lacks"
            }
        }
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.slug())
    }
}

/// Read back by name (the change log keeps findings).
impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Kind::ALL
            .into_iter()
            .find(|k| k.slug() == s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding kind {s:?}")))
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type", content = "id")]
pub enum Subject {
    /// A tracking or related issue, by number.
    Issue(u64),
    /// A KEP.
    Kep(KepNumber),
    /// A file (a kep.yaml, RELEASES.md).
    File(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Issue(n) => write!(f, "issue #{n}"),
            Subject::Kep(k) => write!(f, "KEP-{k}"),
            Subject::File(p) => f.write_str(p),
        }
    }
}

/// One thing to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of finding.
    pub kind: Kind,
    /// What it is about.
    pub subject: Subject,
    /// The finding in words.
    pub message: String,
}

/// Violations and at-risk targets of SIG Node's runtime policy, per KEP
/// and release (see `model::policy`).
fn policy_findings(model: &Model, out: &mut Vec<Finding>) {
    use crate::model::policy::Verdict;
    let releases = model.k8s_releases();
    for kep in model.keps.values().filter(|k| model.needs_runtime_work(k)) {
        for r in &releases {
            let p = model.policy(kep, *r);
            let kind = match p.verdict {
                Verdict::Violated => Kind::PolicyViolated,
                Verdict::AtRisk => Kind::PolicyAtRisk,
                _ => continue,
            };
            out.push(Finding {
                kind,
                subject: Subject::Kep(kep.number),
                message: p.reason,
            });
        }
    }
}

/// Every finding, grouped by kind, then by subject.
pub fn findings(model: &Model) -> Vec<Finding> {
    let mut out = Vec::new();
    for issue in model.issues.values().filter(|i| i.is_tracking()) {
        issue_findings(model, issue, &mut out);
    }
    let current = model.current_release();
    for kep in model.keps.values() {
        kep_findings(model, kep, current, &mut out);
    }
    for e in &model.kep_errors {
        out.push(Finding {
            kind: Kind::KepYamlError,
            subject: Subject::File(e.path.clone()),
            message: e.message.clone(),
        });
    }
    for (n, paths) in &model.duplicate_keps {
        out.push(Finding {
            kind: Kind::DuplicateKep,
            subject: Subject::Kep(*n),
            message: format!(
                "KEP-{n} is declared by {} kep.yaml files; using {} (the live one), also {}",
                paths.len(),
                paths[0],
                paths[1..].join(", ")
            ),
        });
    }
    for (issue, n) in &model.unknown_kep_refs {
        let others: Vec<String> = model
            .issues
            .get(issue)
            .into_iter()
            .flat_map(|i| &i.joined_keps)
            .map(|k| format!("KEP-{k}"))
            .collect();
        out.push(Finding {
            kind: Kind::UnknownKepNumber,
            subject: Subject::Issue(*issue),
            message: format!(
                "names KEP-{n}, which has no kep.yaml, and {}; joined to {} only",
                others.join(", "),
                others.join(", ")
            ),
        });
    }
    gate_join_findings(model, &mut out);
    for w in model.support.iter().flat_map(|s| &s.warnings) {
        out.push(Finding {
            kind: Kind::SupportTable,
            subject: Subject::File("RELEASES.md".into()),
            message: w.clone(),
        });
    }
    crio_link_findings(model, &mut out);
    policy_findings(model, &mut out);
    out.sort_by(|a, b| (a.kind, &a.subject).cmp(&(b.kind, &b.subject)));
    out
}

/// `[crio_pulls]` links no page can show: about the KEP when it has a
/// page, else about kepboard.toml.
fn crio_link_findings(model: &Model, out: &mut Vec<Finding>) {
    for &(kep, pull) in &model.unknown_crio_links {
        let pr_missing = !model.crio_pulls.contains_key(&pull);
        let (subject, message) = match (model.keps.contains_key(&kep), pr_missing) {
            (true, _) => (
                Subject::Kep(kep),
                format!("CRI-O #{pull} is configured for KEP-{kep} but is not among the data's CRI-O pull requests"),
            ),
            (false, also) => (
                Subject::File("kepboard.toml".into()),
                format!(
                    "[crio_pulls] lists CRI-O #{pull} for KEP-{kep}, which is not in the data (no kep.yaml, no issue){}",
                    if also { "; nor is the pull request" } else { "" }
                ),
            ),
        };
        out.push(Finding {
            kind: Kind::UnknownCrioLink,
            subject,
            message,
        });
    }
}

fn issue_findings(model: &Model, issue: &IssueEntry, out: &mut Vec<Finding>) {
    let p = &issue.parsed;
    let mut push = |kind, message: String| {
        out.push(Finding {
            kind,
            subject: Subject::Issue(issue.number),
            message,
        })
    };
    match p.shepherds.len() {
        // A copy cut short before or inside the shepherd line says nothing
        // about the shepherds: neither "none" nor "one".
        _ if p.is_unknown(FieldKey::Shepherd) => push(
            Kind::ShepherdUnknown,
            "shepherd unknown: the issue text we have ends before it (or inside it)".into(),
        ),
        0 => push(
            Kind::NoShepherd,
            "no KEP-Shepherd named in the issue body".into(),
        ),
        1 => push(
            Kind::OneShepherd,
            format!(
                "only one shepherd ({}); the process prefers two",
                p.shepherds[0]
            ),
        ),
        _ => {}
    }
    if p.kep_numbers.is_empty() {
        push(
            Kind::NoKepNumber,
            "no KEP number in the KEP(s) field, the title or the KEP Issue link".into(),
        );
    }
    if !p.title_has_kep_number {
        push(
            Kind::TitleWithoutKepNumber,
            format!("title {:?} names no KEP number", issue.title),
        );
    }
    if issue.labels.is_some() && issue.release_labels.is_empty() {
        push(
            Kind::NoReleaseLabel,
            "no label for a Kubernetes release".into(),
        );
    }
    // A copy cut short is not a field that could not be read; what it
    // hides is reported as unknown (the shepherd above).
    for w in p.warnings.iter().filter(|w| !w.is_cut_short()) {
        push(
            Kind::ParseWarning,
            format!("{}: {} (raw: {:?})", w.field, w.message, w.raw),
        );
    }
    for n in &p.kep_numbers {
        let Some(kep) = model.keps.get(n).and_then(|k| k.kep.as_ref()) else {
            continue;
        };
        for t in &p.targets {
            if let Some(msg) = disagreement(
                kep.milestones.get(&t.stage).copied(),
                t.stage,
                t.k8s_release,
            ) {
                push(Kind::StageDisagreement, format!("KEP-{n}: {msg}"));
            }
        }
    }
    for msg in declared_not_shipped(model, issue) {
        push(Kind::DeclaredNotShipped, msg);
    }
}

/// Where a tracking issue declares, for a Kubernetes release out, a stage
/// (or a beta gate default) other than what Kubernetes' feature-gate list
/// says shipped in it. Only the list counts: kep.yaml is a plan.
fn declared_not_shipped(model: &Model, issue: &IssueEntry) -> Vec<String> {
    let mut out = Vec::new();
    for kep in issue.joined_keps.iter().filter_map(|n| model.keps.get(n)) {
        let Some(gate) = &kep.gate else {
            continue;
        };
        let gate = &gate.history.name;
        for t in &issue.parsed.targets {
            let Some(r) = t.k8s_release.filter(|r| model.calendar.is_out(*r)) else {
                continue;
            };
            let Some(s) = model
                .stage_in(kep, r)
                .filter(|s| matches!(s.basis, crate::model::Basis::Gate { .. }))
            else {
                continue;
            };
            let declared = match t.gate.filter(|_| t.stage == Stage::Beta) {
                Some(d) => format!("{} w/gate {}", t.stage, on_off(d)),
                None => t.stage.to_string(),
            };
            let shipped = match s.beta_default() {
                Some(d) => format!("{}, default {}", s.stage, on_off(d)),
                None => s.stage.to_string(),
            };
            let (issue, k) = (issue.number, kep.number);
            if s.stage != t.stage {
                out.push(format!(
                    "#{issue} declares {declared} for {r} (KEP-{k}), but {r} shipped {shipped} (gate {gate}, Kubernetes' feature list)"
                ));
            } else if t.gate.is_some_and(|d| s.beta_default() != Some(d)) {
                out.push(format!(
                    "#{issue} declares {declared} for {r} (KEP-{k}); gate {gate} was {shipped}, in {r} (Kubernetes' feature list)"
                ));
            }
        }
    }
    out
}

/// `on` or `off`, as the tracking template writes a beta gate's default.
fn on_off(d: GateDefault) -> &'static str {
    match d {
        GateDefault::On => "on",
        GateDefault::Off => "off",
    }
}

/// Issues joined to a KEP by a gate their text names, since the KEP
/// numbers they state name no kep.yaml.
fn gate_join_findings(model: &Model, out: &mut Vec<Finding>) {
    for j in &model.gate_joined_issues {
        let stated: Vec<String> = j.stated.iter().map(|n| format!("KEP-{n}")).collect();
        let which = if stated.len() == 1 {
            "which has"
        } else {
            "which have"
        };
        out.push(Finding {
            kind: Kind::JoinedByGate,
            subject: Subject::Issue(j.issue),
            message: format!(
                "#{} names {}, {which} no kep.yaml; its text names gate {} of KEP-{}: joined to KEP-{}",
                j.issue,
                stated.join(", "),
                j.gate,
                j.kep,
                j.kep
            ),
        });
    }
}

/// Compares one declared target with kep.yaml's milestone for that stage.
fn disagreement(
    kep_yaml: Option<K8sRelease>,
    stage: Stage,
    declared: Option<K8sRelease>,
) -> Option<String> {
    let declared = declared?;
    match kep_yaml {
        Some(r) if r == declared => None,
        Some(r) => Some(format!(
            "issue declares {stage} in {declared}, kep.yaml plans {stage} in {r}"
        )),
        None => Some(format!(
            "issue declares {stage} in {declared}, kep.yaml has no {stage} milestone"
        )),
    }
}

fn kep_findings(
    model: &Model,
    kep: &KepEntry,
    current: Option<K8sRelease>,
    out: &mut Vec<Finding>,
) {
    let mut push = |kind, message: String| {
        out.push(Finding {
            kind,
            subject: Subject::Kep(kep.number),
            message,
        })
    };
    if kep.kep.is_none() && !kep.tracking_issues.is_empty() {
        push(
            Kind::NoKepYaml,
            format!(
                "KEP-{} is tracked but its kep.yaml is not in the data",
                kep.number
            ),
        );
    }
    let open: Vec<String> = model
        .tracking_issues(kep)
        .filter(|i| i.state == crate::github::State::Open)
        .map(|i| format!("#{}", i.number))
        .collect();
    if open.len() > 1 {
        push(
            Kind::SeveralTrackingIssues,
            format!("open tracking issues {}", open.join(", ")),
        );
    }
    if let Some(msg) = runtime_work_pending(model, kep) {
        push(Kind::RuntimeWorkPending, msg);
    }
    if kep.owning_sig() == Some(crate::model::SIG_NODE) {
        for g in model.gate_joins(kep).iter().filter(|g| g.history.is_none()) {
            push(Kind::UnmatchedGate, unmatched_gate(model, kep, g.name));
        }
    }
    let Some(current) = current.filter(|r| model.lists(kep, *r)) else {
        return;
    };
    let stage = model
        .stage_in(kep, current)
        .map(|s| describe_stage(&s, current))
        .unwrap_or_else(|| format!("worked on in {current}"));
    let (issues, pre_template) = model.containerd_tracking(kep);
    if kep.owning_sig() == Some(crate::model::SIG_NODE) && issues.is_empty() {
        push(
            Kind::Untracked,
            format!("{stage}; no containerd tracking issue (fine if it needs no runtime work)"),
        );
    }
    if pre_template {
        let numbers: Vec<String> = issues.iter().map(|i| format!("#{}", i.number)).collect();
        push(
            Kind::PreTemplateOnly,
            format!(
                "{stage}; tracked only by {} (before the template): open a tracking issue in the [SIG-Node] template's form",
                numbers.join(", ")
            ),
        );
    }
}

/// Why a gate kep.yaml names may be missing from Kubernetes' feature list.
fn unmatched_gate(model: &Model, kep: &KepEntry, name: &str) -> String {
    let newest = match &model.feature_gates {
        Some(Ok(g)) => g.newest(),
        _ => None,
    };
    let meta = kep.kep.as_ref();
    let latest = meta.and_then(|m| m.latest_milestone);
    let stage = meta.and_then(|m| m.stage);
    let why = match (newest, latest, stage) {
        (Some(n), Some(l), _) if l > n => {
            format!("the KEP's latest milestone {l} is newer than the list (it ends at {n})")
        }
        (_, _, Some(s @ (Stage::Stable | Stage::Deprecated | Stage::Removed))) => {
            format!("the KEP is {s}: Kubernetes deletes a gate some releases after GA")
        }
        _ => "not there under this name: spelled differently, or not added yet".to_string(),
    };
    format!("gate {name}: {why}")
}

/// `beta target for v1.38` or `alpha since v1.33`, for messages.
pub fn describe_stage(s: &crate::model::StageAt, r: K8sRelease) -> String {
    use crate::model::Basis;
    match s.basis {
        Basis::Gate { since } => format!("{} in {r} (gate, since {since})", s.label()),
        Basis::Reached { since } => format!("{} in {r} (since {since})", s.stage),
        Basis::Planned => format!("{} target for {r} (kep.yaml)", s.stage),
        Basis::Declared { issue } => format!("{} target for {r} (declared in #{issue})", s.stage),
    }
}

/// A tracked KEP that reached a stage in a Kubernetes release already out
/// while every tracking issue is open and no linked PR is merged: the
/// runtime side is lagging.
fn runtime_work_pending(model: &Model, kep: &KepEntry) -> Option<String> {
    let issues: Vec<&IssueEntry> = model.tracking_issues(kep).collect();
    if issues.is_empty() || issues.iter().any(|i| i.state != crate::github::State::Open) {
        return None;
    }
    if kep
        .pulls
        .iter()
        .filter_map(|n| model.pulls.get(n))
        .any(|p| p.merged_at.is_some())
    {
        return None;
    }
    let last = kep
        .milestones
        .iter()
        .filter(|m| m.state == crate::model::MilestoneState::Reached)
        .max_by_key(|m| (m.release, m.stage))?;
    let date = model
        .calendar
        .date(last.release)
        .map(|d| format!(" (released {d})"))
        .unwrap_or_default();
    let numbers: Vec<String> = issues.iter().map(|i| format!("#{}", i.number)).collect();
    Some(format!(
        "{} in {}{date}; tracking issue {} open, no merged PR linked (by the timeline, a PR text or a KEP number in a PR title)",
        last.stage,
        last.release,
        numbers.join(", ")
    ))
}

/// The human-readable report of `kepboard check`.
pub fn render_text(model: &Model, findings: &[Finding]) -> String {
    use std::fmt::Write;
    let tracking = model.issues.values().filter(|i| i.is_tracking()).count();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} tracking issues, {} related issues, {} KEPs; {} findings",
        tracking,
        model.issues.len() - tracking,
        model.keps.len(),
        findings.len()
    );
    for kind in Kind::ALL {
        let of_kind: Vec<&Finding> = findings.iter().filter(|f| f.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{} ({})", kind.title(), of_kind.len());
        for f in of_kind {
            let title = match &f.subject {
                Subject::Issue(n) => model.issues.get(n).map(|i| i.title.as_str()),
                Subject::Kep(k) => model.keps.get(k).map(|k| k.title(model)),
                Subject::File(_) => None,
            };
            match title.filter(|t| !t.is_empty()) {
                Some(t) => {
                    let _ = writeln!(s, "  {}  {}\n      {}", f.subject, one_line(t), f.message);
                }
                None => {
                    let _ = writeln!(s, "  {}\n      {}", f.subject, f.message);
                }
            }
        }
    }
    s
}

/// Keeps control characters from untrusted titles out of the terminal.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_snapshot::{snapshot, tracking};
    use serde_json::json;

    #[test]
    fn finding_names_are_unique_and_serialised_as_named() {
        let slugs: std::collections::BTreeSet<&str> = Kind::ALL.iter().map(|k| k.slug()).collect();
        assert_eq!(slugs.len(), Kind::ALL.len());
        for k in Kind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), k.slug());
        }
    }

    #[test]
    fn disagreement_rules() {
        let r = |m| Some(K8sRelease::new(1, m));
        assert_eq!(disagreement(r(35), Stage::Beta, r(35)), None);
        assert_eq!(disagreement(r(35), Stage::Beta, None), None);
        assert!(disagreement(r(35), Stage::Beta, r(36))
            .unwrap()
            .contains("kep.yaml plans beta in v1.35"));
        assert!(disagreement(None, Stage::Beta, r(36))
            .unwrap()
            .contains("no beta milestone"));
    }

    /// ImageVolume as Kubernetes' list has it, ending at v1.35.
    const IMAGE_VOLUME: &str = "- name: ImageVolume\n  versionedSpecs:\n  - {default: false, lockToDefault: false, preRelease: Alpha, version: \"1.31\"}\n  - {default: false, lockToDefault: false, preRelease: Beta, version: \"1.33\"}\n  - {default: true, lockToDefault: false, preRelease: Beta, version: \"1.35\"}\n";

    /// KEP-4639 with the ImageVolume gate; KEP-1111 without a gate.
    const KEPS: [(&str, &str); 2] = [
        (
            "sig-node/4639-oci-volume-source/kep.yaml",
            "kep-number: 4639\nowning-sig: sig-node\nstage: beta\nlatest-milestone: v1.33\nmilestone:\n  alpha: v1.31\n  beta: v1.33\nfeature-gates:\n  - name: ImageVolume\n",
        ),
        (
            "sig-node/1111-x/kep.yaml",
            "kep-number: 1111\nowning-sig: sig-node\nstage: alpha\nlatest-milestone: v1.33\nmilestone:\n  alpha: v1.33\n",
        ),
    ];

    /// The messages of one kind for tracking issues (number, KEP, stage
    /// as written, release) with the KEPs and feature list above.
    fn messages(kind: Kind, issues: &[(u64, &str, &str, &str)]) -> Vec<String> {
        let issues: Vec<serde_json::Value> = issues
            .iter()
            .map(|(n, kep, stage, r)| tracking(*n, kep, stage, r))
            .collect();
        let model = Model::build(&snapshot(&KEPS, json!(issues), Some(IMAGE_VOLUME)));
        findings(&model)
            .into_iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_declared_gate_default_the_list_contradicts() {
        assert_eq!(
            messages(
                Kind::DeclaredNotShipped,
                &[(1, "4639", "beta w/gate on", "1.33")]
            ),
            ["#1 declares beta w/gate on for v1.33 (KEP-4639); gate ImageVolume was beta, default off, in v1.33 (Kubernetes' feature list)"]
        );
        // What the list says: no finding.
        let agree = [
            (2, "4639", "beta w/gate off", "1.33"),
            (3, "4639", "beta w/gate on", "1.35"),
            (4, "4639", "beta", "1.34"),
            (5, "4639", "alpha", "1.32"),
        ];
        assert!(messages(Kind::DeclaredNotShipped, &agree).is_empty());
    }

    #[test]
    fn a_declared_stage_that_never_shipped() {
        assert_eq!(
            messages(Kind::DeclaredNotShipped, &[(1, "4639", "beta", "1.31")]),
            ["#1 declares beta for v1.31 (KEP-4639), but v1.31 shipped alpha (gate ImageVolume, Kubernetes' feature list)"]
        );
        assert_eq!(
            messages(Kind::DeclaredNotShipped, &[(2, "4639", "alpha", "1.35")]),
            ["#2 declares alpha for v1.35 (KEP-4639), but v1.35 shipped beta, default on (gate ImageVolume, Kubernetes' feature list)"]
        );
    }

    #[test]
    fn only_the_feature_list_of_a_release_out_counts() {
        let issues = [
            // After the list ends (v1.35) the stage is kep.yaml's: a plan,
            // never contradicted here.
            (1, "4639", "stable", "1.36"),
            // No gate: kep.yaml only (StageDisagreement's business).
            (2, "1111", "beta", "1.33"),
            // The cycle under way: a target, not a record.
            (3, "4639", "stable", "1.38"),
        ];
        assert!(messages(Kind::DeclaredNotShipped, &issues).is_empty());
        assert_eq!(messages(Kind::StageDisagreement, &issues[1..2]).len(), 1);
    }
}
