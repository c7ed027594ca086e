//! The subset of GitHub's REST object shapes that kepboard keeps: issues,
//! pull requests and releases.
//!
//! These types are both the input format of `kepboard import` (files from
//! `gh api --paginate`) and the raw facts stored in the snapshot. Every field
//! that GitHub may omit or null is optional, and unknown fields are ignored,
//! so real API output and hand-written files both load. Interpretation
//! (which issue tracks which KEP, which release shipped a PR) lives elsewhere.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A GitHub account as the REST API nests it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The account's login.
    pub login: String,
}

/// An issue label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The label's name.
    pub name: String,
}

/// An issue or PR milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// The milestone's title (containerd names releases: `2.2`).
    pub title: String,
}

/// Whether an issue or PR is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Open.
    Open,
    /// Closed (for a PR: merged or not).
    Closed,
}

impl State {
    /// `open` or `closed`, as GitHub writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Closed => "closed",
        }
    }
}

/// A REST "issue" object (`GET /repos/{owner}/{repo}/issues`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// The issue number.
    pub number: u64,
    /// The title as written (untrusted).
    #[serde(default)]
    pub title: String,
    /// The issue's page on github.com.
    #[serde(default)]
    pub html_url: Option<String>,
    /// Open or closed.
    pub state: State,
    /// The body as written (untrusted Markdown).
    #[serde(default)]
    pub body: Option<String>,
    /// Who opened it, when the source says.
    #[serde(default)]
    pub user: Option<User>,
    /// `None` means "not known", which is different from "no labels".
    #[serde(default)]
    pub labels: Option<Vec<Label>>,
    /// GitHub assignees; `None` when the source did not say.
    #[serde(default)]
    pub assignees: Option<Vec<User>>,
    /// The milestone, if any.
    #[serde(default)]
    pub milestone: Option<Milestone>,
    /// When it was opened.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was closed.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// The number of comments, when known.
    #[serde(default)]
    pub comments: Option<u64>,
    /// Present on issue-list items that are really pull requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<serde_json::Value>,
}

impl Issue {
    /// The issues API also lists pull requests; these are not issues.
    pub fn is_pull_request(&self) -> bool {
        self.pull_request.is_some()
    }
    /// The names of its labels (none when unknown).
    pub fn label_names(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().flatten().map(|l| l.name.as_str())
    }
}

/// A web URL from untrusted data, kept only when it is http(s): a link to
/// anything else (`javascript:`, `data:`) must never reach a page.
pub fn web_url(url: Option<&str>) -> Option<String> {
    let u = url?.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| u.to_string())
}

/// A branch reference in a pull request (`base`, `head`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitRef {
    /// The branch name.
    #[serde(rename = "ref")]
    pub name: String,
}

/// A REST "pull request" object (`GET /repos/{owner}/{repo}/pulls/{n}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    /// The PR number.
    pub number: u64,
    /// The title as written (untrusted).
    #[serde(default)]
    pub title: String,
    /// The PR's page on github.com.
    #[serde(default)]
    pub html_url: Option<String>,
    /// Open or closed.
    pub state: State,
    /// The description as written (untrusted).
    #[serde(default)]
    pub body: Option<String>,
    /// Who opened it.
    #[serde(default)]
    pub user: Option<User>,
    /// Its labels; `None` when unknown.
    #[serde(default)]
    pub labels: Option<Vec<Label>>,
    /// Its milestone.
    #[serde(default)]
    pub milestone: Option<Milestone>,
    /// The branch it targets.
    #[serde(default)]
    pub base: Option<GitRef>,
    /// The branch it comes from.
    #[serde(default)]
    pub head: Option<GitRef>,
    /// When it was merged; `None` if it was not.
    #[serde(default)]
    pub merged_at: Option<DateTime<Utc>>,
    /// The merge commit.
    #[serde(default)]
    pub merge_commit_sha: Option<String>,
    /// When it was opened.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was closed.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

impl PullRequest {
    /// Whether it was merged.
    pub fn is_merged(&self) -> bool {
        self.merged_at.is_some()
    }
}

/// A REST "release" object (`GET /repos/{owner}/{repo}/releases`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// The tag (`v2.2.0`).
    pub tag_name: String,
    /// The release's title.
    #[serde(default)]
    pub name: Option<String>,
    /// When it was published.
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    /// When the tag was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// A pre-release.
    #[serde(default)]
    pub prerelease: bool,
    /// A draft, not published.
    #[serde(default)]
    pub draft: bool,
    /// The release's page on github.com.
    #[serde(default)]
    pub html_url: Option<String>,
}

impl Release {
    /// When the release became public: `published_at`, else `created_at`.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.published_at.or(self.created_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_are_kept() {
        assert_eq!(
            web_url(Some("https://github.com/x")).as_deref(),
            Some("https://github.com/x")
        );
        assert_eq!(
            web_url(Some("HTTP://ghe.example/x")).as_deref(),
            Some("HTTP://ghe.example/x")
        );
        assert_eq!(web_url(Some("javascript:alert(1)")), None);
        assert_eq!(web_url(Some("https://x y")), None);
        assert_eq!(web_url(Some("data:text/html,x")), None);
        assert_eq!(web_url(None), None);
    }
}
