//! `/health/`: the findings of `kepboard check`, grouped by kind, each
//! linked to the page (or GitHub issue) it is about.
//!
//! Not the checks themselves (that is `crate::check`); this file only
//! groups and links them.

use super::rows::count_of;
use super::{At, SiteCtx};
use crate::check::{self, Finding, Subject};
use crate::site::urls::{anchored, issue_anchor, PagePath};
use serde::Serialize;

/// One finding, linked to what it is about.
#[derive(Debug, Serialize)]
pub struct FindingView {
    /// What it is about: `KEP-127`, `issue #13655`.
    pub subject: String,
    /// The page (or GitHub issue) of the subject, or empty.
    pub url: String,
    /// The subject's title.
    pub title: String,
    /// The finding in words.
    pub message: String,
}

/// The findings of one kind.
#[derive(Debug, Serialize)]
pub struct FindingGroup {
    /// The kind's slug, the section's anchor.
    pub slug: &'static str,
    /// The kind in words.
    pub title: &'static str,
    /// Its findings.
    pub items: Vec<FindingView>,
}

/// The context of `health.html`.
#[derive(Debug, Serialize)]
pub struct HealthPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// `3 findings`.
    pub total: String,
    /// Groups in `check::Kind::ALL` order, without empty ones.
    pub groups: Vec<FindingGroup>,
}

/// The findings of this rendering, by kind.
pub fn page(c: &At) -> HealthPage {
    let groups: Vec<FindingGroup> = check::Kind::ALL
        .iter()
        .filter_map(|kind| {
            let items: Vec<FindingView> = c
                .findings
                .iter()
                .filter(|f| f.kind == *kind)
                .map(|f| finding_view(c, f))
                .collect();
            (!items.is_empty()).then_some(FindingGroup {
                slug: kind.slug(),
                title: kind.title(),
                items,
            })
        })
        .collect();
    HealthPage {
        site: c.site(),
        description: format!(
            "Process health of containerd's KEP tracking: {}{}.",
            count_of(c.findings.len(), "finding", "findings"),
            match groups.is_empty() {
                true => String::new(),
                false => format!(
                    " ({})",
                    groups
                        .iter()
                        .map(|g| format!("{} {}", g.items.len(), g.title.to_lowercase()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        ),
        title: "Process health".into(),
        total: count_of(
            groups.iter().map(|g| g.items.len()).sum(),
            "finding",
            "findings",
        ),
        groups,
    }
}

fn finding_view(c: &At, f: &Finding) -> FindingView {
    let (url, title) = match &f.subject {
        Subject::Issue(n) => match c.model.issues.get(n) {
            // The issue's section on its KEP's page, else the issue on GitHub.
            Some(i) => match i.joined_keps.first() {
                Some(k) => (
                    anchored(&c.link(&PagePath::kep(*k)), &issue_anchor(*n)),
                    i.title.clone(),
                ),
                None => (i.url.clone(), i.title.clone()),
            },
            None => (String::new(), String::new()),
        },
        Subject::Kep(k) => (
            c.link(&PagePath::kep(*k)),
            c.model
                .keps
                .get(k)
                .map(|e| e.title(c.model).to_string())
                .unwrap_or_default(),
        ),
        Subject::File(_) => (String::new(), String::new()),
    };
    FindingView {
        subject: f.subject.to_string(),
        url,
        title,
        message: f.message.clone(),
    }
}
