//! `/feed.xml`: the Atom feed of what changed, one entry per change of the
//! change log, newest first, each with its stable id: the absolute URL of
//! the change's anchor on `/changes/`. Written only when the site URL is
//! known (Atom ids are absolute).
//!
//! Live site only: archives have no feed.

use super::changes::target;
use crate::changes::Change;
use crate::model::Model;
use crate::site::urls::{anchored, PagePath, Urls};
use serde::Serialize;

/// The most entries the feed holds: the newest changes.
pub const MAX_ENTRIES: usize = 200;

/// One entry of the feed: a change.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The change's anchor on `/changes/` (stable, unique).
    pub id: String,
    /// The change in words.
    pub title: String,
    /// Where the change happened: its KEP's page (at its issue), the issue
    /// or PR on GitHub, else its anchor on `/changes/`.
    pub url: String,
    /// When it was seen (RFC 3339, seconds).
    pub updated: String,
}

/// The context of `feed.xml`.
#[derive(Debug, Serialize)]
pub struct FeedPage {
    /// Changes, newest first, at most [`MAX_ENTRIES`].
    pub entries: Vec<Entry>,
    /// The newest change's time, else the data's time, RFC 3339.
    pub updated: String,
    /// The feed's own absolute URL.
    pub self_url: String,
    /// The live overview's absolute URL.
    pub home_url: String,
    /// `/changes/`, absolute.
    pub changes_url: String,
}

/// The feed of `changes` (newest first) for the site of `model`.
pub fn page(model: &Model, urls: &Urls, changes: &[&Change]) -> FeedPage {
    let rfc3339 =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let changes_url = urls.absolute(&PagePath::changes());
    let entries: Vec<Entry> = changes
        .iter()
        .take(MAX_ENTRIES)
        .map(|c| {
            let id = anchored(&changes_url, c.id());
            Entry {
                title: c.sentence(),
                url: target(model, c).map_or_else(|| id.clone(), |t| t.absolute(urls)),
                updated: rfc3339(c.when()),
                id,
            }
        })
        .collect();
    FeedPage {
        entries,
        updated: rfc3339(changes.first().map_or(model.generated_at, |c| c.when())),
        self_url: urls.absolute(&PagePath::feed()),
        home_url: urls.absolute(&PagePath::home()),
        changes_url,
    }
}
