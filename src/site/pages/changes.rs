//! `/changes/`: the change log of the live site, newest first, grouped by
//! day, each change a sentence linked to where it happened, with its
//! stable id as the element id. Also where a change links to, which the
//! feed ([`super::feed`]) shares.
//!
//! Live site only: archives have no changes page.

use super::{At, SiteCtx};
use crate::changes::Change;
use crate::model::Model;
use crate::site::urls::{anchored, issue_anchor, PagePath, Urls};
use serde::Serialize;

/// Where a change links to.
pub enum Target {
    /// A page of the site, with an anchor on it.
    Page(PagePath, Option<String>),
    /// A page elsewhere (an issue or PR on GitHub).
    External(String),
}

impl Target {
    /// The link from the page `at`.
    pub fn link(&self, at: &At) -> String {
        self.url(at.link(&self.page_path()))
    }

    /// The absolute URL when the site's URLs are (for the feed).
    pub fn absolute(&self, urls: &Urls) -> String {
        self.url(urls.absolute(&self.page_path()))
    }

    fn page_path(&self) -> PagePath {
        match self {
            Target::Page(p, _) => p.clone(),
            Target::External(_) => PagePath::home(),
        }
    }

    fn url(&self, page: String) -> String {
        match self {
            Target::Page(_, Some(a)) => anchored(&page, a),
            Target::Page(_, None) => page,
            Target::External(u) => u.clone(),
        }
    }
}

/// Where `c` links to in the site of `model`: its KEP's page (at its
/// issue's section, when the page has it), else the issue or PR on GitHub,
/// else `/health/` for a finding about a file. `None`: nowhere.
pub fn target(model: &Model, c: &Change) -> Option<Target> {
    let s = c.subject();
    if let Some(kep) = s.kep.and_then(|k| model.keps.get(&k)) {
        let on_page = |n: &u64| kep.tracking_issues.contains(n) || kep.related_issues.contains(n);
        let anchor = s.issue.filter(on_page).map(issue_anchor);
        return Some(Target::Page(PagePath::kep(kep.number), anchor));
    }
    if let Some(n) = s.issue {
        let url = model.issues.get(&n).map(|i| i.url.clone());
        return Some(Target::External(
            url.unwrap_or_else(|| model.links.issue(n)),
        ));
    }
    if let Some(n) = s.pull {
        return Some(Target::External(pull_url(model, n)));
    }
    match c.what() {
        crate::changes::What::FindingAppeared { .. }
        | crate::changes::What::FindingResolved { .. }
        | crate::changes::What::FindingChanged { .. } => {
            Some(Target::Page(PagePath::health(), None))
        }
        _ => None,
    }
}

/// A pull request of the tracking repository on GitHub.
fn pull_url(model: &Model, n: u64) -> String {
    model
        .pulls
        .get(&n)
        .map(|p| p.url.clone())
        .unwrap_or_else(|| model.links.pull(n))
}

/// One change on the page.
#[derive(Debug, Serialize)]
pub struct Item {
    /// The stable id: the element id, and the fragment of its link.
    pub id: String,
    /// The change in words (untrusted titles included; escaped by tera).
    pub sentence: String,
    /// Where it links to, if anywhere.
    pub url: Option<String>,
    /// The pull request on GitHub, when the change is about one and the
    /// main link goes elsewhere.
    pub pull_url: Option<String>,
    /// The time of the refresh that saw it: `06:00 UTC`.
    pub time: String,
}

/// The changes seen on one day.
#[derive(Debug, Serialize)]
pub struct Day {
    /// `2026-11-08`.
    pub date: String,
    /// Its changes, newest first.
    pub changes: Vec<Item>,
}

/// The context of `changes.html`.
#[derive(Debug, Serialize)]
pub struct ChangesPage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary (`<meta name="description">`).
    pub description: String,
    /// Days with changes, newest first.
    pub days: Vec<Day>,
    /// How many changes are recorded.
    pub count: usize,
}

/// `changes` (newest first) as the page `at` (`/changes/` of the live
/// site) shows them.
pub fn page(at: &At, changes: &[&Change]) -> ChangesPage {
    let model = at.model;
    let mut days: Vec<Day> = Vec::new();
    for c in changes {
        let date = c.when().format("%Y-%m-%d").to_string();
        let target = target(model, c);
        let pull_url = match (&target, c.subject().pull) {
            (Some(Target::Page(..)), Some(n)) => Some(pull_url(model, n)),
            _ => None,
        };
        let item = Item {
            id: c.id().to_string(),
            sentence: c.sentence(),
            url: target.map(|t| t.link(at)),
            pull_url,
            time: c.when().format("%H:%M UTC").to_string(),
        };
        match days.last_mut() {
            Some(d) if d.date == date => d.changes.push(item),
            _ => days.push(Day {
                date,
                changes: vec![item],
            }),
        }
    }
    ChangesPage {
        site: at.site(),
        title: "What changed".into(),
        description: match changes.first() {
            Some(c) => format!(
                "{} changes recorded between refreshes of the data; the newest on {}: {}",
                changes.len(),
                c.when().format("%Y-%m-%d"),
                c.sentence()
            ),
            None => "No changes recorded yet between refreshes of the data.".into(),
        },
        days,
        count: changes.len(),
    }
}
