//! Runtime readiness as pages show it: a KEP's verdict in a release (the
//! release page's column, the KEP page's table) and `/policy/`, the
//! verdicts across releases, violations first.
//!
//! The rules are `crate::model::policy`'s; this file only lays out their
//! answers.

use super::rows::{count_of, StageView, NONE};
use super::{At, SiteCtx};
use crate::domain::{ContainerdVersion, K8sRelease};
use crate::model::policy::{side_words, PolicyAt, Runtime, Verdict};
use crate::model::KepEntry;
use crate::site::urls::PagePath;
use serde::Serialize;

/// A KEP's runtime readiness in one release.
#[derive(Debug, Clone, Serialize)]
pub struct ReadinessView {
    /// `v1.33`.
    pub release: String,
    /// The release's page.
    pub release_url: String,
    /// The stage, with its source in `why`.
    pub stage: StageView,
    /// `feature-gate`, `kep.yaml` or `tracking-issue`.
    pub source: &'static str,
    /// containerd's side, short (`v2.0.0`, `not recorded`).
    pub containerd: String,
    /// containerd's side in words.
    pub containerd_why: String,
    /// CRI-O's side, short.
    pub crio: String,
    /// CRI-O's side in words.
    pub crio_why: String,
    /// `ok`, `violated`, `at-risk`, `ready`, `none` (CSS class too).
    pub verdict: Verdict,
    /// The verdict as shown: `OK`, `violated`, `at risk`, `ready`, `—`.
    pub verdict_label: &'static str,
    /// Why, in words.
    pub reason: String,
    /// `containerd ≥ v2.0.0 (of those RELEASES.md recommends for v1.33,
    /// 1.7.24+ lacks it) · CRI-O ≥ v1.31.0`, when a runtime has it.
    pub needs: Option<String>,
}

/// The verdict as a page shows it.
pub fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "OK",
        Verdict::Violated => "violated",
        Verdict::AtRisk => "at risk",
        Verdict::Ready => "ready",
        Verdict::None => NONE,
    }
}

impl At<'_, '_> {
    /// KEP `k` in release `r`; `None` when it has no stage there.
    pub fn readiness(&self, k: &KepEntry, r: K8sRelease) -> Option<ReadinessView> {
        let stage = self.model.stage_in(k, r)?;
        let p = self.model.policy(k, r);
        let deadline = p.deadline;
        Some(ReadinessView {
            release: r.to_string(),
            release_url: self.link(&PagePath::release(r)),
            stage: StageView::new(&stage, k),
            source: stage.source(),
            containerd: p.containerd.short(Runtime::Containerd, r),
            containerd_why: side_words(Runtime::Containerd, &p.containerd, r, deadline),
            crio: p.crio.short(Runtime::Crio, r),
            crio_why: side_words(Runtime::Crio, &p.crio, r, deadline),
            verdict: p.verdict,
            verdict_label: verdict_label(p.verdict),
            needs: self.needs(&p, r),
            reason: p.reason,
        })
    }

    /// Every release of the site in which `k` has a stage, oldest first;
    /// empty when no runtime work is recorded for it.
    pub fn readiness_table(&self, k: &KepEntry) -> Vec<(K8sRelease, ReadinessView)> {
        if !self.model.needs_runtime_work(k) {
            return Vec::new();
        }
        self.releases()
            .into_iter()
            .filter_map(|r| Some((r, self.readiness(k, r)?)))
            .collect()
    }

    /// "needs containerd ≥ X / CRI-O ≥ Y", set against containerd's
    /// support matrix for `r`.
    fn needs(&self, p: &PolicyAt, r: K8sRelease) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(v) = p.containerd.release() {
            parts.push(format!("containerd ≥ {v}{}", self.support_note(v, r)));
        }
        if let Some(v) = p.crio.release() {
            parts.push(format!("CRI-O ≥ {v}"));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Which of the containerd versions recommended for `r` lack `first`.
    fn support_note(&self, first: &ContainerdVersion, r: K8sRelease) -> String {
        let Some(row) = self.model.support.as_ref().and_then(|s| s.for_k8s(r)) else {
            return String::new();
        };
        let lacking: Vec<&str> = row.lacking(first).iter().map(|m| m.raw.as_str()).collect();
        match lacking.is_empty() {
            true => format!(" (every containerd RELEASES.md recommends for {r} has it)"),
            false => format!(
                " (of those RELEASES.md recommends for {r}, {} lack it)",
                lacking.join(", ")
            ),
        }
    }
}

/// One KEP on `/policy/`.
#[derive(Debug, Serialize)]
pub struct PolicyRow {
    /// The KEP number.
    pub number: u32,
    /// The title.
    pub title: String,
    /// The KEP's page (its readiness table).
    pub url: String,
    /// Its verdicts, oldest release first, consecutive releases with one
    /// verdict together, `none` left out.
    pub verdicts: Vec<VerdictSpan>,
    /// Releases with a stage but no verdict.
    pub no_verdict: usize,
}

/// Consecutive releases with one verdict.
#[derive(Debug, Serialize)]
pub struct VerdictSpan {
    /// `v1.25–v1.30`, or `v1.31`.
    pub releases: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict as shown.
    pub verdict_label: &'static str,
    /// The reason of the span's last release.
    pub reason: String,
}

/// Groups `table` (release order) into spans of consecutive releases with
/// one verdict, leaving out `none`.
fn spans(table: &[(K8sRelease, ReadinessView)]) -> Vec<VerdictSpan> {
    let mut out: Vec<(K8sRelease, K8sRelease, &ReadinessView)> = Vec::new();
    for (r, v) in table.iter().filter(|(_, v)| v.verdict != Verdict::None) {
        match out.last_mut() {
            Some((_, to, last)) if last.verdict == v.verdict && r.previous() == Some(*to) => {
                *to = *r;
                *last = v;
            }
            _ => out.push((*r, *r, v)),
        }
    }
    out.into_iter()
        .map(|(from, to, v)| VerdictSpan {
            releases: match from == to {
                true => from.to_string(),
                false => format!("{from}–{to}"),
            },
            verdict: v.verdict,
            verdict_label: v.verdict_label,
            reason: v.reason.clone(),
        })
        .collect()
}

/// The context of `policy.html`.
#[derive(Debug, Serialize)]
pub struct PolicyPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// Violations, newest release first.
    pub violated: Vec<(PolicyRef, ReadinessView)>,
    /// At risk in the cycles not out yet.
    pub at_risk: Vec<(PolicyRef, ReadinessView)>,
    /// Every KEP with recorded runtime work.
    pub rows: Vec<PolicyRow>,
    /// KEPs of interest with no runtime work recorded.
    pub without_work: usize,
}

/// A KEP, linked.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyRef {
    /// The KEP number.
    pub number: u32,
    /// The title.
    pub title: String,
    /// Its page.
    pub url: String,
}

/// `/policy/`: SIG Node's runtime policy across releases.
pub fn page(c: &At) -> PolicyPage {
    let keps: Vec<&KepEntry> = c
        .keps_with_pages()
        .into_iter()
        .filter(|k| c.model.needs_runtime_work(k))
        .collect();
    let mut violated = Vec::new();
    let mut at_risk = Vec::new();
    let mut rows = Vec::new();
    for k in &keps {
        let kref = PolicyRef {
            number: k.number.get(),
            title: k.title(c.model).to_string(),
            url: c.link(&PagePath::kep(k.number)),
        };
        let table = c.readiness_table(k);
        for (r, v) in &table {
            match v.verdict {
                Verdict::Violated => violated.push((*r, kref.clone(), v.clone())),
                Verdict::AtRisk => at_risk.push((*r, kref.clone(), v.clone())),
                _ => {}
            }
        }
        rows.push(PolicyRow {
            number: kref.number,
            title: kref.title,
            url: kref.url,
            verdicts: spans(&table),
            no_verdict: table
                .iter()
                .filter(|(_, v)| v.verdict == Verdict::None)
                .count(),
        });
    }
    // Newest release first; KEP number order within one.
    let newest_first = |list: &mut Vec<(K8sRelease, PolicyRef, ReadinessView)>| {
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.number.cmp(&b.1.number)));
        list.drain(..).map(|(_, k, v)| (k, v)).collect::<Vec<_>>()
    };
    let (violated, at_risk) = (newest_first(&mut violated), newest_first(&mut at_risk));
    let without_work = c
        .keps_with_pages()
        .iter()
        .filter(|k| k.is_of_interest() && !c.model.needs_runtime_work(k))
        .count();
    PolicyPage {
        site: c.site(),
        description: format!(
            "SIG Node's runtime policy, release by release, for {}: {} violated, {} at risk.",
            count_of(
                rows.len(),
                "KEP with runtime work",
                "KEPs with runtime work"
            ),
            violated.len(),
            at_risk.len()
        ),
        title: "SIG Node runtime policy".into(),
        violated,
        at_risk,
        rows,
        without_work,
    }
}
