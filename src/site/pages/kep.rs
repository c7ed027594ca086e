//! `/kep/NNNN/`: one KEP: its kep.yaml metadata and milestones, its stage
//! by release, its tracking and related issues with their parsed fields,
//! and its pull requests.
//!
//! Not the stage rule (that is `crate::model::stage`) nor issue parsing;
//! this file only shows their results.

use super::rows::{plural, IssueRef, KepRow, PersonRef, PullRef, StageView, NONE};
use super::{At, SiteCtx};
use crate::declared::FieldKey;
use crate::domain::{K8sRelease, Stage};
use crate::kep::Kep;
use crate::model::policy::Side;
use crate::model::{CrioLink, IssueEntry, KepEntry, Milestone, MilestoneState, Model};
use crate::site::badge::Badge;
use crate::site::chart::stage_colour;
use crate::site::urls::{issue_anchor, PagePath};
use crate::site::{markdown, text};
use serde::Serialize;

/// A key and its value, as shown.
#[derive(Debug, Serialize)]
pub struct Field {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// An issue as a section of a KEP page.
#[derive(Debug, Serialize)]
pub struct IssueView {
    /// The issue.
    pub issue: IssueRef,
    /// Related (pre-template) issues show no template fields.
    pub is_tracking: bool,
    /// The section's anchor (`issue-N`).
    pub anchor: String,
    /// Who opened it (login).
    pub author: Option<String>,
    /// When it was opened, `YYYY-MM-DD`.
    pub created: Option<String>,
    /// When it was last updated, `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Its labels; `None` when the data does not say.
    pub labels: Option<Vec<String>>,
    /// GitHub assignees.
    pub assignees: Vec<PersonRef>,
    /// The KEPs it names.
    pub kep_numbers: Vec<u32>,
    /// Declared stages (`beta (gate on)`) with their release.
    pub targets: Vec<Field>,
    /// KEP owners: logins or a SIG's name.
    pub owners: Vec<String>,
    /// SIG Node liaisons.
    pub liaisons: Vec<PersonRef>,
    /// containerd shepherds.
    pub shepherds: Vec<PersonRef>,
    /// The shepherd, owner or liaison line is beyond the issue text we have.
    pub shepherds_unknown: bool,
    /// The issue names no shepherd, and its text reaches the shepherd line.
    pub no_shepherd: bool,
    /// The owner line is beyond the issue text we have.
    pub owners_unknown: bool,
    /// The liaison line is beyond the issue text we have.
    pub liaisons_unknown: bool,
    /// Links to the KEP's enhancements issue.
    pub kep_issue_links: Vec<String>,
    /// Links to KEP pull requests.
    pub kep_pr_links: Vec<String>,
    /// The template's fields as written.
    pub fields: Vec<Field>,
    /// Fields that could not be read, and why.
    pub warnings: Vec<Field>,
    /// Sanitized HTML of the body.
    pub body_html: String,
    /// Its linked pull requests.
    pub pulls: Vec<PullRef>,
}

/// A kep.yaml milestone and what it amounts to.
#[derive(Debug, Serialize)]
pub struct MilestoneView {
    /// The stage.
    pub stage: &'static str,
    /// The release it names.
    pub release: String,
    /// `reached`, `planned`, `not-reached` or `dropped`.
    pub state: &'static str,
    /// The state in words.
    pub note: String,
}

/// A kep.yaml declaring the same number as the one used.
#[derive(Debug, Serialize)]
pub struct OtherFile {
    /// The file's path in kubernetes/enhancements.
    pub path: String,
    /// The file on GitHub.
    pub url: String,
    /// Its `status`.
    pub status: Option<String>,
}

/// A feature gate kep.yaml names, and what shipped of it.
#[derive(Debug, Serialize)]
pub struct GateView {
    /// The name as kep.yaml writes it.
    pub name: String,
    /// The gate's changes by release (`v1.33: beta, on by default`); empty
    /// when the feature list does not have it or was not gathered.
    pub history: Vec<String>,
    /// Why there is no history, when there is none.
    pub note: Option<String>,
}

/// The KEP's gates: joined to the feature list when it was gathered, else
/// just their names.
fn gate_views(c: &At, k: &KepEntry) -> Vec<GateView> {
    let joins = c.model.gate_joins(k);
    if joins.is_empty() {
        let names = k.kep.iter().flat_map(|m| &m.feature_gates);
        return names
            .map(|name| GateView {
                name: name.clone(),
                history: Vec::new(),
                note: None,
            })
            .collect();
    }
    joins
        .iter()
        .map(|g| GateView {
            name: g.name.to_string(),
            history: g
                .history
                .iter()
                .flat_map(|h| &h.specs)
                .map(text::gate_change)
                .collect(),
            note: g
                .history
                .is_none()
                .then(|| "not in Kubernetes' feature list".to_string()),
        })
        .collect()
}

/// Releases `from`..=`to` in which the KEP had one stage.
#[derive(Debug, Serialize)]
pub struct Span {
    /// `v1.25–v1.27`, or `v1.25` for one release.
    pub releases: String,
    /// The stage.
    pub stage: StageView,
}

/// The context of `kep.html`.
#[derive(Debug, Serialize)]
pub struct KepPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// The KEP as a row (links, tracking, flags, PRs).
    pub row: KepRow,
    /// The kep.yaml used.
    pub kep_yaml_path: Option<String>,
    /// The kep.yaml and the KEP's README on GitHub.
    pub kep_yaml_url: Option<String>,
    /// The KEP's README on GitHub.
    pub kep_readme_url: Option<String>,
    /// kep.yaml's `status`, or `—`.
    pub status: String,
    /// kep.yaml's `stage`.
    pub stage: Option<&'static str>,
    /// kep.yaml's participating SIGs.
    pub participating_sigs: Vec<String>,
    /// kep.yaml's feature gates, each with what Kubernetes' feature list
    /// records of it.
    pub feature_gates: Vec<GateView>,
    /// kep.yaml's authors.
    pub authors: Vec<String>,
    /// kep.yaml's milestones and what they amount to.
    pub milestones: Vec<MilestoneView>,
    /// kep.yaml's `latest-milestone`.
    pub latest_milestone: Option<String>,
    /// Whether the KEP is withdrawn, rejected, replaced or deferred.
    pub inactive: bool,
    /// The stage by release, consecutive releases with the same stage merged.
    pub timeline: Vec<Span>,
    /// Other kep.yaml files with this number (not used).
    pub other_files: Vec<OtherFile>,
    /// The containerd tracking issues.
    pub tracking: Vec<IssueView>,
    /// `containerd tracking issue(s)`, as many as `tracking` has.
    pub tracking_heading: String,
    /// Pre-template issues naming the KEP.
    pub related: Vec<IssueView>,
    /// CRI-O pull requests joined to the KEP.
    pub crio_pulls: Vec<CrioPullView>,
    /// Runtime readiness per release with a stage; empty when no runtime
    /// work is recorded.
    pub readiness: Vec<super::readiness::ReadinessView>,
    /// Whether runtime work is recorded (a containerd tracking issue, or
    /// containerd or CRI-O PRs).
    pub runtime_work: bool,
    /// CRI-O pull requests configured for the KEP that the data lacks.
    pub crio_unknown: Vec<CrioUnknownView>,
    /// The KEP's status badge and how to embed it (live site only).
    pub badge: Option<BadgeView>,
}

/// The status badge on a KEP page.
#[derive(Debug, Serialize)]
pub struct BadgeView {
    /// The badge's link from the page.
    pub src: String,
    /// What it says now.
    pub alt: String,
    /// Markdown that embeds it, linked to the KEP's page: absolute URLs
    /// when the site URL is known, else paths from the site's root.
    pub markdown: String,
}

/// What a KEP's badge says: its stage in the cycle under way (the model's
/// stage rule) and containerd's side for it (the policy's).
pub fn badge(c: &At, k: &KepEntry) -> Badge {
    let n = k.number;
    let stage = c.current_release().map(|r| (r, c.model.stage_in(k, r)));
    let stage_words = match stage {
        None => "release cycle unknown".to_string(),
        Some((r, None)) => format!("no stage {r}"),
        Some((r, Some(s))) if s.is_target() => format!("{} target {r}", s.label()),
        Some((r, Some(s))) => format!("{} {r}", s.label()),
    };
    let side = c.current_release().map(|r| c.model.policy(k, r).containerd);
    let containerd = match side {
        Some(Side::Released { release, .. }) => format!("containerd shipped {release}"),
        Some(Side::Unreleased { pull, .. }) => format!("containerd #{pull} merged, unreleased"),
        _ if !k.pulls.is_empty() => "containerd: no PR merged".into(),
        _ => "containerd: no PR".into(),
    };
    let message = format!("{stage_words} · {containerd}");
    Badge {
        label: format!("KEP-{n}"),
        title: format!("KEP-{n} {}: {message}", k.title(c.model)),
        message,
        stripe: stage_colour(
            stage
                .and_then(|(_, s)| s)
                .map_or(Stage::Removed, |s| s.stage),
        ),
    }
}

fn badge_view(c: &At, k: &KepEntry) -> Option<BadgeView> {
    if c.scope.is_some() {
        return None;
    }
    let b = badge(c, k);
    let url = |p: &PagePath| {
        c.urls
            .canonical(p)
            .unwrap_or_else(|| format!("/{}", p.as_str()))
    };
    Some(BadgeView {
        src: c.link(&PagePath::kep_badge(k.number)),
        markdown: format!(
            "[![KEP-{n} status]({})]({})",
            url(&PagePath::kep_badge(k.number)),
            url(&PagePath::kep(k.number)),
            n = k.number
        ),
        alt: b.title,
    })
}

/// A CRI-O pull request configured for the KEP, not in the data.
#[derive(Debug, Serialize)]
pub struct CrioUnknownView {
    /// The PR number.
    pub number: u64,
    /// The PR on GitHub.
    pub url: String,
}

/// A CRI-O pull request on a KEP page.
#[derive(Debug, Serialize)]
pub struct CrioPullView {
    /// The PR number.
    pub number: u64,
    /// The PR on GitHub.
    pub url: String,
    /// Its title (untrusted).
    pub title: String,
    /// `merged`, `open` or `closed`.
    pub status: &'static str,
    /// The merge day.
    pub merged_at: Option<String>,
    /// The release branch of a backport.
    pub into_branch: Option<String>,
    /// The first CRI-O release with it, and by which rule.
    pub shipped: Option<String>,
    /// Where the link comes from: `named in PR`, `backport of #N`, `configured`.
    pub link: String,
    /// `named`, `backport` or `configured`, for the class.
    pub link_slug: &'static str,
}

/// Where a CRI-O PR's link to the KEP comes from, in words.
fn crio_link_words(link: CrioLink) -> String {
    match link {
        CrioLink::Named => "named in PR".into(),
        CrioLink::Backport { of } => format!("backport of #{of}"),
        CrioLink::Configured => "configured".into(),
    }
}

fn crio_pull_views(c: &At, k: &KepEntry) -> Vec<CrioPullView> {
    k.crio_pulls
        .iter()
        .filter_map(|(n, link)| Some((c.model.crio_pulls.get(n)?, *link)))
        .map(|(p, link)| CrioPullView {
            number: p.number,
            url: p.url.clone(),
            title: p.title.clone(),
            status: p.status(),
            merged_at: p.merged_at.map(|d| d.format("%Y-%m-%d").to_string()),
            into_branch: p.base.clone().filter(|b| b != "main"),
            shipped: p.shipped.as_ref().and_then(|s| {
                let v = s.release.as_ref()?;
                Some(format!("{v}, {}", s.rule.describe()))
            }),
            link: crio_link_words(link),
            link_slug: link.slug(),
        })
        .collect()
}

fn crio_unknown_views(c: &At, k: &KepEntry) -> Vec<CrioUnknownView> {
    let unknown = &c.model.unknown_crio_links;
    let start = unknown.partition_point(|(kep, _)| *kep < k.number);
    unknown[start..]
        .iter()
        .take_while(|(kep, _)| *kep == k.number)
        .map(|&(_, number)| CrioUnknownView {
            number,
            url: c.model.links.crio_pull(number),
        })
        .collect()
}

/// `/kep/NNNN/`: one KEP.
pub fn page(c: &At, k: &KepEntry) -> KepPage {
    let row = c.kep_row(k, None);
    let view = |n: &u64| c.model.issues.get(n).map(|i| issue_view(c, i));
    let meta = k.kep.as_ref();
    let tracking: Vec<IssueView> = k.tracking_issues.iter().filter_map(view).collect();
    KepPage {
        site: c.site(),
        description: kep_description(c, k, &row),
        title: format!("KEP-{}: {}", k.number, row.title),
        kep_yaml_path: meta.map(|m| m.path.clone()),
        kep_yaml_url: meta.map(|m| c.model.links.kep_yaml(&m.path)),
        kep_readme_url: meta.map(|m| c.model.links.kep_readme(&m.path)),
        status: meta
            .and_then(|m| m.status.clone())
            .unwrap_or_else(|| NONE.into()),
        stage: meta.and_then(|m| m.stage).map(Stage::as_str),
        participating_sigs: meta
            .map(|m| m.participating_sigs.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
        feature_gates: gate_views(c, k),
        authors: meta.map(|m| m.authors.clone()).unwrap_or_default(),
        milestones: k
            .milestones
            .iter()
            .map(|m| milestone_view(c.model, meta, m))
            .collect(),
        latest_milestone: meta.and_then(|m| m.latest_milestone).map(|r| r.to_string()),
        inactive: k.is_inactive(),
        timeline: timeline(c, k),
        other_files: k
            .other_files
            .iter()
            .map(|f| OtherFile {
                path: f.path.clone(),
                url: c.model.links.kep_yaml(&f.path),
                status: f.status.clone(),
            })
            .collect(),
        tracking_heading: format!(
            "containerd tracking {}",
            plural(tracking.len(), "issue", "issues")
        ),
        tracking,
        related: k.related_issues.iter().filter_map(view).collect(),
        crio_pulls: crio_pull_views(c, k),
        readiness: c.readiness_table(k).into_iter().map(|(_, v)| v).collect(),
        runtime_work: c.model.needs_runtime_work(k),
        crio_unknown: crio_unknown_views(c, k),
        badge: badge_view(c, k),
        row,
    }
}

/// A KEP in one sentence: `KEP-127 Support User Namespaces: beta (on) in
/// v1.33; containerd v2.0.0 (beta); tracked in containerd#7063.`
fn kep_description(c: &At, k: &KepEntry, row: &KepRow) -> String {
    let mut parts = vec![format!("KEP-{} {}", k.number, row.title)];
    let mut facts = Vec::new();
    let reached = k
        .milestones
        .iter()
        .rfind(|m| m.state == MilestoneState::Reached);
    match reached.and_then(|m| Some((c.model.stage_in(k, m.release)?, m.release))) {
        Some((s, r)) => facts.push(format!("{} in {r}", s.label())),
        None => facts.push("no stage reached yet".into()),
    }
    if let Some((s, v)) = k.shipped.iter().next_back() {
        facts.push(format!("containerd {v} ({s})"));
    }
    facts.push(match row.tracking.as_slice() {
        [] => "no containerd tracking issue".into(),
        issues => format!(
            "tracked in {}",
            issues
                .iter()
                .map(|i| format!("containerd#{}", i.number))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    });
    parts.push(facts.join("; "));
    parts.join(": ") + "."
}

/// Why a milestone whose release is out was not reached, from kep.yaml.
fn not_reached_note(kep: Option<&Kep>, m: &Milestone) -> String {
    let mut why = Vec::new();
    if let Some(s) = kep.and_then(|k| k.stage).filter(|s| m.stage > *s) {
        why.push(format!("its stage is still {s}"));
    }
    if let Some(l) = kep
        .and_then(|k| k.latest_milestone)
        .filter(|l| m.release > *l)
    {
        why.push(format!("its latest milestone is {l}"));
    }
    format!(
        "not reached: {} is out, but kep.yaml says {}",
        m.release,
        why.join(" and ")
    )
}

fn milestone_view(model: &Model, kep: Option<&Kep>, m: &Milestone) -> MilestoneView {
    let (state, note) = match m.state {
        MilestoneState::Reached => ("reached", format!("reached in {}", m.release)),
        MilestoneState::Planned => match model.calendar.is_upcoming(m.release) {
            true => ("planned", format!("target for {}, not out yet", m.release)),
            false => ("planned", format!("planned: {} in {}", m.stage, m.release)),
        },
        MilestoneState::NotReached => ("not-reached", not_reached_note(kep, m)),
        MilestoneState::Dropped => ("dropped", "not reached; the KEP reaches nothing new".into()),
    };
    MilestoneView {
        stage: m.stage.as_str(),
        release: m.release.to_string(),
        state,
        note,
    }
}

/// The KEP's stage in each release of the site, as spans.
fn timeline(c: &At, k: &KepEntry) -> Vec<Span> {
    let mut spans: Vec<(K8sRelease, K8sRelease, StageView)> = Vec::new();
    for r in c.releases() {
        let Some(s) = c.model.stage_in(k, r) else {
            continue;
        };
        let view = StageView::new(&s, k);
        match spans.last_mut() {
            Some((_, to, last))
                if last.label == view.label
                    && last.why == view.why
                    && r.previous() == Some(*to) =>
            {
                *to = r;
            }
            _ => spans.push((r, r, view)),
        }
    }
    spans
        .into_iter()
        .map(|(from, to, stage)| Span {
            releases: match from == to {
                true => from.to_string(),
                false => format!("{from}–{to}"),
            },
            stage,
        })
        .collect()
}

fn issue_view(c: &At, i: &IssueEntry) -> IssueView {
    let p = &i.parsed;
    let date =
        |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.format("%Y-%m-%d").to_string());
    IssueView {
        issue: c.issue_ref(i),
        is_tracking: i.is_tracking(),
        anchor: issue_anchor(i.number),
        author: i.author.clone(),
        created: date(i.created_at),
        updated: date(i.updated_at),
        labels: i.labels.clone(),
        assignees: i.assignees.iter().map(|l| c.person(l)).collect(),
        kep_numbers: p.kep_numbers.iter().map(|n| n.get()).collect(),
        targets: p
            .targets
            .iter()
            .map(|t| Field {
                key: text::declared_stage(t.stage, t.gate),
                value: t
                    .k8s_release
                    .map(|r| r.to_string())
                    .unwrap_or_else(|| "release not set".into()),
            })
            .collect(),
        owners: p.owners.iter().map(text::owner).collect(),
        liaisons: p.liaisons.iter().map(|l| c.person(l)).collect(),
        shepherds: p.shepherds.iter().map(|l| c.person(l)).collect(),
        shepherds_unknown: p.is_unknown(FieldKey::Shepherd),
        no_shepherd: p.shepherds.is_empty() && !p.is_unknown(FieldKey::Shepherd),
        owners_unknown: p.is_unknown(FieldKey::KepOwner),
        liaisons_unknown: p.is_unknown(FieldKey::Liaison),
        kep_issue_links: p
            .kep_issue_links
            .iter()
            .filter_map(|u| crate::github::web_url(Some(u)))
            .collect(),
        kep_pr_links: p
            .kep_pr_links
            .iter()
            .filter_map(|u| crate::github::web_url(Some(u)))
            .collect(),
        fields: p
            .fields
            .iter()
            .map(|f| {
                let mut value = f.value.clone();
                for s in &f.sub_lines {
                    value.push_str("\n  ");
                    value.push_str(s);
                }
                Field {
                    key: f.key.clone(),
                    value,
                }
            })
            .collect(),
        warnings: p
            .warnings
            .iter()
            .map(|w| Field {
                key: w.field.clone(),
                value: format!("{} (raw: {:?})", w.message, w.raw),
            })
            .collect(),
        body_html: markdown::render(&i.body),
        pulls: c.pull_refs(&i.pulls),
    }
}
