//! `/feed.xml`: the Atom feed of tracking issues, most recently updated
//! first, each linked to its section on its KEP's page.
//!
//! Live site only: archives have no feed.

use crate::model::{IssueEntry, Model};
use crate::site::urls::{anchored, issue_anchor, PagePath, Urls};
use serde::Serialize;

/// One entry of the feed: a tracking issue.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The issue on GitHub (stable, unique).
    pub id: String,
    /// `#NNNN title`.
    pub title: String,
    /// The issue's section on its first KEP's page, else the issue on GitHub.
    pub url: String,
    /// RFC 3339, seconds.
    pub updated: String,
    /// The KEPs, state and shepherd count in words.
    pub summary: String,
}

/// The context of `feed.xml`.
#[derive(Debug, Serialize)]
pub struct FeedPage {
    /// Tracking issues, most recently updated first.
    pub entries: Vec<Entry>,
    /// The data's time, RFC 3339.
    pub updated: String,
    /// The feed's own absolute URL.
    pub self_url: String,
    /// The live overview's absolute URL.
    pub home_url: String,
}

/// The feed of the model's tracking issues.
pub fn page(model: &Model, urls: &Urls) -> FeedPage {
    let when = |i: &IssueEntry| i.updated_at.or(i.created_at).unwrap_or(model.generated_at);
    let mut issues: Vec<&IssueEntry> = model.issues.values().filter(|i| i.is_tracking()).collect();
    issues.sort_by(|a, b| when(b).cmp(&when(a)).then(a.number.cmp(&b.number)));
    let entries: Vec<Entry> = issues
        .iter()
        .map(|i| {
            let keps: Vec<String> = i
                .parsed
                .kep_numbers
                .iter()
                .map(|k| format!("KEP-{k}"))
                .collect();
            Entry {
                id: i.url.clone(),
                title: format!("#{} {}", i.number, i.title),
                url: match i.joined_keps.first() {
                    Some(k) => {
                        anchored(&urls.absolute(&PagePath::kep(*k)), &issue_anchor(i.number))
                    }
                    None => i.url.clone(),
                },
                updated: when(i).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                summary: format!(
                    "{} ({}), {}",
                    if keps.is_empty() {
                        "no KEP".into()
                    } else {
                        keps.join(", ")
                    },
                    i.state.as_str(),
                    i.parsed.shepherds.len()
                ) + " shepherd(s)",
            }
        })
        .collect();
    FeedPage {
        entries,
        updated: model
            .generated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        self_url: urls.absolute(&PagePath::feed()),
        home_url: urls.absolute(&PagePath::home()),
    }
}
