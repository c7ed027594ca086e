//! The GraphQL documents `fetch` sends (kept as `.graphql` files beside
//! this module and checked against GitHub's schema in CI) and the mapping
//! of their answers to the REST shapes of [`crate::github`], which the
//! snapshot stores whatever the source.

use crate::github::{GitRef, Issue, Label, Milestone, PullRequest, Release, State, User};
use crate::snapshot::LinkKind;
use anyhow::{anyhow, Result};
use serde_json::Value;

/// Tracking and related issues with the PRs their timelines link.
pub const ISSUES: &str = include_str!("graphql/issues.graphql");
/// The rest of one issue's timeline, after the first page.
pub const ISSUE_TIMELINE: &str = include_str!("graphql/issue_timeline.graphql");
/// Releases of a repository.
pub const RELEASES: &str = include_str!("graphql/releases.graphql");
/// The two-alias form of [`kep_blobs`]; the generator must reproduce it.
pub const KEP_BLOBS_FORM: &str = include_str!("graphql/kep_blobs.graphql");
/// The newest release of a repository.
pub const LATEST_RELEASE: &str = include_str!("graphql/latest_release.graphql");
/// Per source, the newest change GitHub records (see [`watermarks`]).
pub const WATERMARKS: &str = include_str!("graphql/watermarks.graphql");
/// The two-alias form of [`commit_pulls`].
pub const COMMIT_PULLS_FORM: &str = include_str!("graphql/commit_pulls.graphql");
/// The two-alias form of [`k8s_releases`].
pub const K8S_RELEASES_FORM: &str = include_str!("graphql/k8s_releases.graphql");
/// The two-alias form of [`pull_searches`].
pub const PULL_SEARCHES_FORM: &str = include_str!("graphql/pull_searches.graphql");
/// The two-alias form of [`pulls_by_number`].
pub const PULLS_BY_NUMBER_FORM: &str = include_str!("graphql/pulls_by_number.graphql");

/// A pull request with the pull requests that reference it (cross-
/// references: a backport's `Backport of #N` leaves one on #N): the
/// fragments of the checked PullsByNumber file, so they are written once.
fn pull_fragments() -> &'static str {
    &PULLS_BY_NUMBER_FORM[PULLS_BY_NUMBER_FORM
        .find("fragment PullWithReferences")
        .expect("pulls_by_number.graphql has its fragments")..]
}

/// The PullsByNumber document with `n` aliased pull requests (`p0..`,
/// variables `$n0..`), each with the pull requests that reference it.
pub fn pulls_by_number(n: usize) -> String {
    aliased(
        "PullsByNumber",
        "n",
        "Int",
        "p",
        "pullRequest(number: $",
        "PullWithReferences",
        pull_fragments(),
        n,
    )
}

/// The PullSearches document with `n` aliased searches (`s0..`, variables
/// `$q0..` for the query and `$c0..` for the page cursor), a page of 100
/// pull requests each, with the pull requests that reference them.
pub fn pull_searches(n: usize) -> String {
    let vars: Vec<String> = (0..n)
        .map(|i| {
            let sep = if i > 0 { ", " } else { "" };
            format!("{sep}$q{i}: String!, $c{i}: String")
        })
        .collect();
    let mut s = format!("query PullSearches({}) {{\n", vars.concat());
    for i in 0..n {
        s.push_str(&format!(
            "  s{i}: search(query: $q{i}, type: ISSUE, first: 100, after: $c{i}) {{\n    ...PullHits\n  }}\n"
        ));
    }
    s.push_str("  rateLimit {\n    cost\n    remaining\n    resetAt\n  }\n}\n\n");
    s.push_str(
        "fragment PullHits on SearchResultItemConnection {\n  issueCount\n  pageInfo {\n    hasNextPage\n    endCursor\n  }\n  nodes {\n    ... on PullRequest {\n      ...PullWithReferences\n    }\n  }\n}\n\n",
    );
    s.push_str(pull_fragments());
    s
}

/// The KepBlobs document with `n` aliased objects (`b0..`, variables `$o0..`).
pub fn kep_blobs(n: usize) -> String {
    aliased(
        "KepBlobs",
        "o",
        "GitObjectID",
        "b",
        "object(oid: $",
        "KepBlob",
        "fragment KepBlob on Blob {\n  oid\n  text\n  isTruncated\n}\n",
        n,
    )
}

/// The CommitPulls document with `n` aliased commits (`k0..`, `$c0..`).
pub fn commit_pulls(n: usize) -> String {
    let fragments = &COMMIT_PULLS_FORM[COMMIT_PULLS_FORM
        .find("fragment CommitPull")
        .expect("commit_pulls.graphql has its fragment")..];
    aliased(
        "CommitPulls",
        "c",
        "GitObjectID",
        "k",
        "object(oid: $",
        "CommitPull",
        fragments,
        n,
    )
}

/// The K8sReleases document with `n` aliased releases (`r0..`, `$t0..`).
pub fn k8s_releases(n: usize) -> String {
    aliased(
        "K8sReleases",
        "t",
        "String",
        "r",
        "release(tagName: $",
        "K8sRelease",
        "fragment K8sRelease on Release {\n  tagName\n  name\n  publishedAt\n  createdAt\n  isPrerelease\n  isDraft\n  url\n}\n",
        n,
    )
}

#[allow(clippy::too_many_arguments)]
fn aliased(
    op: &str,
    var: &str,
    ty: &str,
    alias: &str,
    field: &str,
    frag: &str,
    fragment: &str,
    n: usize,
) -> String {
    let vars: Vec<String> = (0..n).map(|i| format!(", ${var}{i}: {ty}!")).collect();
    let mut s = format!(
        "query {op}($owner: String!, $name: String!{}) {{\n",
        vars.concat()
    );
    s.push_str("  repository(owner: $owner, name: $name) {\n");
    for i in 0..n {
        s.push_str(&format!(
            "    {alias}{i}: {field}{var}{i}) {{\n      ...{frag}\n    }}\n"
        ));
    }
    s.push_str("  }\n  rateLimit {\n    cost\n    remaining\n    resetAt\n  }\n}\n\n");
    s.push_str(fragment);
    s
}

/// A document without its leading `#` comment lines.
pub fn strip_comments(doc: &str) -> &str {
    let mut rest = doc;
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
    }
    rest
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(String::from)
}

fn date(v: &Value, k: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    v.get(k)
        .and_then(Value::as_str)
        .and_then(|d| d.parse().ok())
}

fn login(v: &Value) -> Option<User> {
    v.get("author")
        .and_then(|a| s(a, "login"))
        .map(|login| User { login })
}

fn state(v: &Value, what: &str) -> Result<State> {
    match v.get("state").and_then(Value::as_str) {
        Some("OPEN") => Ok(State::Open),
        Some("CLOSED") | Some("MERGED") => Ok(State::Closed),
        other => Err(anyhow!("{what}: unexpected state {other:?}")),
    }
}

fn milestone(v: &Value) -> Option<Milestone> {
    v.get("milestone")
        .and_then(|m| s(m, "title"))
        .map(|title| Milestone { title })
}

fn number(v: &Value, what: &str) -> Result<u64> {
    v.get("number")
        .and_then(Value::as_u64)
        .ok_or_else(|| anyhow!("{what}: an item has no number"))
}

/// What timeline items link: pull requests of the repository, and commits
/// of it whose merged pull requests are to be looked up ([`commit_pulls`]),
/// each with the kind of link.
#[derive(Debug, Default)]
pub struct Links {
    /// Pull requests, with the kind of link.
    pub pulls: Vec<(PullRequest, LinkKind)>,
    /// Commit ids, with the kind of link.
    pub commits: Vec<(String, LinkKind)>,
}

/// An issue and what its timeline links.
pub type IssueWithPulls = (Issue, Links);

/// An issue node of [`ISSUES`], and the pull requests of `repo` its
/// timeline links.
pub fn issue(node: &Value, repo: &str) -> Result<Option<IssueWithPulls>> {
    // Search results may hold pull requests too; their nodes have no fields
    // selected, so they come back empty.
    if node.get("number").is_none() {
        return Ok(None);
    }
    let what = "issue search";
    let n = number(node, what)?;
    let names = |k: &str, f: &str| -> Option<Vec<String>> {
        node.get(k)?
            .get("nodes")?
            .as_array()
            .map(|a| a.iter().filter_map(|x| s(x, f)).collect())
    };
    let issue = Issue {
        number: n,
        title: s(node, "title").unwrap_or_default(),
        html_url: s(node, "url"),
        state: state(node, &format!("issue #{n}"))?,
        body: s(node, "body"),
        user: login(node),
        labels: names("labels", "name").map(|v| v.into_iter().map(|name| Label { name }).collect()),
        assignees: names("assignees", "login")
            .map(|v| v.into_iter().map(|login| User { login }).collect()),
        milestone: milestone(node),
        created_at: date(node, "createdAt"),
        updated_at: date(node, "updatedAt"),
        closed_at: date(node, "closedAt"),
        comments: None,
        pull_request: None,
    };
    let items = node
        .pointer("/timelineItems/nodes")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    Ok(Some((issue, timeline_links(items, repo)?)))
}

/// A node a timeline item may hold a pull request in, and the kind of link.
type Linked<'a> = (Option<&'a Value>, LinkKind);

/// What timeline items link in `repo`: a PR that cross-references the
/// issue, is connected to it (on either side of the event) or closed it;
/// a commit that closed or referenced it (its merged PRs are looked up
/// afterwards, as a connection here would cost on every item).
pub fn timeline_links(items: &[Value], repo: &str) -> Result<Links> {
    let mut out = Links::default();
    let in_repo = |v: &Value| {
        v.pointer("/repository/nameWithOwner")
            .and_then(Value::as_str)
            .is_some_and(|r| r.eq_ignore_ascii_case(repo))
    };
    for item in items {
        let (pulls, commit): (Vec<Linked>, Option<(&Value, LinkKind)>) =
            match item.get("__typename").and_then(Value::as_str) {
                Some("CrossReferencedEvent") => {
                    (vec![(item.get("source"), LinkKind::CrossReference)], None)
                }
                Some("ConnectedEvent") => (
                    vec![
                        (item.get("source"), LinkKind::Connected),
                        (item.get("subject"), LinkKind::Connected),
                    ],
                    None,
                ),
                Some("ClosedEvent") => (
                    vec![(item.get("closer"), LinkKind::Closing)],
                    item.get("closer").map(|c| (c, LinkKind::Closing)),
                ),
                Some("ReferencedEvent") => (
                    Vec::new(),
                    item.get("commit").map(|c| (c, LinkKind::Referenced)),
                ),
                _ => continue,
            };
        for (pr, kind) in pulls {
            if let Some(pr) = pr.filter(|p| p.get("number").is_some() && in_repo(p)) {
                out.pulls.push((pull(pr)?, kind));
            }
        }
        if let Some((c, kind)) = commit.filter(|(c, _)| in_repo(c)) {
            if let Some(oid) = c.get("oid").and_then(Value::as_str) {
                out.commits.push((oid.to_string(), kind));
            }
        }
    }
    Ok(out)
}

/// The merged pull requests of a commit node of [`commit_pulls`].
pub fn commit_pull_requests(v: &Value) -> Result<Vec<PullRequest>> {
    v.pointer("/associatedPullRequests/nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("mergedAt").is_some_and(|m| !m.is_null()))
        .map(pull)
        .collect()
}

/// A pull request node of [`pull_searches`] or [`pulls_by_number`]: the
/// pull request, and those of the same repository that reference it.
#[derive(Debug)]
pub struct PullWithReferences {
    /// The pull request.
    pub pull: PullRequest,
    /// The pull requests of its repository that reference it.
    pub references: Vec<PullRequest>,
    /// GitHub has more references than the answer holds (over 100).
    pub references_cut: bool,
}

/// Maps a node of [`pull_searches`] or [`pulls_by_number`]; `None` for a
/// search hit that is no pull request, or one of another repository than
/// `repo`. References from other repositories are left out.
pub fn pull_with_references(node: &Value, repo: &str) -> Result<Option<PullWithReferences>> {
    let of_repo = |v: &Value| {
        v.pointer("/repository/nameWithOwner")
            .and_then(Value::as_str)
            .is_none_or(|r| r.eq_ignore_ascii_case(repo))
    };
    if node.get("number").is_none() || !of_repo(node) {
        return Ok(None);
    }
    let items = node.get("timelineItems");
    let mut references = Vec::new();
    for item in items
        .and_then(|t| t.get("nodes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        match item.get("source") {
            Some(src) if src.get("number").is_some() && of_repo(src) => references.push(pull(src)?),
            _ => {}
        }
    }
    Ok(Some(PullWithReferences {
        pull: pull(node)?,
        references,
        references_cut: items
            .and_then(|t| t.pointer("/pageInfo/hasNextPage"))
            .and_then(Value::as_bool)
            == Some(true),
    }))
}

fn pull(v: &Value) -> Result<PullRequest> {
    let n = number(v, "pull request")?;
    Ok(PullRequest {
        number: n,
        title: s(v, "title").unwrap_or_default(),
        html_url: s(v, "url"),
        state: state(v, &format!("pull request #{n}"))?,
        body: s(v, "body"),
        user: login(v),
        labels: None,
        milestone: milestone(v),
        base: s(v, "baseRefName").map(|name| GitRef { name }),
        head: s(v, "headRefName").map(|name| GitRef { name }),
        merged_at: date(v, "mergedAt"),
        merge_commit_sha: v
            .pointer("/mergeCommit/oid")
            .and_then(Value::as_str)
            .map(String::from),
        created_at: date(v, "createdAt"),
        updated_at: date(v, "updatedAt"),
        closed_at: date(v, "closedAt"),
    })
}

/// The marks of a [`WATERMARKS`] answer by source (the keys of fetch's
/// probes); a source GitHub said nothing about has no mark.
pub fn watermarks(
    data: &Value,
    feature_gates_key: &str,
) -> std::collections::BTreeMap<String, String> {
    let text = |p: &str| {
        data.pointer(p)
            .filter(|v| !v.is_null())
            .map(|v| v.to_string())
    };
    let both = |a: Option<String>, b: Option<String>| Some(format!("{} {}", a?, b?));
    let releases = |repo: &str| {
        both(
            text(&format!("/{repo}/releases/totalCount")),
            text(&format!("/{repo}/releases/nodes/0")),
        )
    };
    [
        (
            "issues",
            both(
                text("/tracking/issues/nodes/0/updatedAt"),
                text("/tracking/pullRequests/nodes/0/updatedAt"),
            ),
        ),
        ("releases", releases("tracking")),
        ("releases_md", text("/tracking/releasesMd/oid")),
        ("keps", text("/enhancements/ref/target/history/nodes/0/oid")),
        ("k8s_releases", releases("kubernetes")),
        (feature_gates_key, text("/kubernetes/gates/oid")),
        ("crio_releases", releases("crio")),
        ("crio_pulls", text("/crio/pullRequests/nodes/0/updatedAt")),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_string(), v?)))
    .collect()
}

/// A release node of [`RELEASES`] or [`k8s_releases`].
pub fn release(v: &Value) -> Option<Release> {
    Some(Release {
        tag_name: s(v, "tagName")?,
        name: s(v, "name"),
        published_at: date(v, "publishedAt"),
        created_at: date(v, "createdAt"),
        prerelease: v
            .get("isPrerelease")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        draft: v.get("isDraft").and_then(Value::as_bool).unwrap_or(false),
        html_url: s(v, "url"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_timeline_documents_use_the_same_fragments() {
        let tail = |doc: &'static str| &doc[doc.find("fragment TimelineLink").unwrap()..];
        assert_eq!(tail(ISSUES), tail(ISSUE_TIMELINE));
    }

    #[test]
    fn commits_and_connections_link_their_pull_requests() {
        let pr = |n: u64, merged: bool| {
            serde_json::json!({"number": n, "title": "t", "state": if merged {"MERGED"} else {"OPEN"},
                "mergedAt": if merged {serde_json::json!("2026-02-01T00:00:00Z")} else {Value::Null},
                "repository": {"nameWithOwner": "o/r"}})
        };
        let commit = |oid: &str, repo: &str| serde_json::json!({"oid": oid, "repository": {"nameWithOwner": repo}});
        let items = vec![
            serde_json::json!({"__typename": "ClosedEvent", "closer": commit("c1", "o/r")}),
            serde_json::json!({"__typename": "ReferencedEvent", "commit": commit("c2", "o/r")}),
            serde_json::json!({"__typename": "ReferencedEvent", "commit": commit("c3", "other/repo")}),
            serde_json::json!({"__typename": "ConnectedEvent", "source": pr(4, false), "subject": {}}),
            serde_json::json!({"__typename": "ConnectedEvent", "source": {}, "subject": pr(5, true)}),
        ];
        let links = timeline_links(&items, "o/r").unwrap();
        let pulls: Vec<(u64, LinkKind)> = links.pulls.iter().map(|(p, k)| (p.number, *k)).collect();
        assert_eq!(pulls, [(4, LinkKind::Connected), (5, LinkKind::Connected)]);
        assert_eq!(
            links.commits,
            [
                ("c1".to_string(), LinkKind::Closing),
                ("c2".to_string(), LinkKind::Referenced)
            ]
        );
        let node = serde_json::json!({"oid": "c1", "associatedPullRequests": {"nodes": [pr(1, true), pr(2, false)]}});
        let merged: Vec<u64> = commit_pull_requests(&node)
            .unwrap()
            .iter()
            .map(|p| p.number)
            .collect();
        assert_eq!(merged, [1]);
    }

    #[test]
    fn generated_documents_match_the_checked_files() {
        assert_eq!(kep_blobs(2), strip_comments(KEP_BLOBS_FORM));
        assert_eq!(k8s_releases(2), strip_comments(K8S_RELEASES_FORM));
        assert_eq!(commit_pulls(2), strip_comments(COMMIT_PULLS_FORM));
        assert!(kep_blobs(250).contains("b249: object(oid: $o249)"));
        assert_eq!(pull_searches(2), strip_comments(PULL_SEARCHES_FORM));
        assert_eq!(pulls_by_number(2), strip_comments(PULLS_BY_NUMBER_FORM));
        assert!(pull_searches(1).starts_with("query PullSearches($q0: String!, $c0: String) {"));
    }

    #[test]
    fn maps_issue_nodes_and_their_pull_requests() {
        let node = serde_json::json!({
            "number": 7, "title": "[SIG-Node]: KEP-1: x", "url": "https://github.com/o/r/issues/7",
            "state": "OPEN", "body": "b", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": null, "closedAt": null,
            "author": {"login": "a"}, "labels": {"nodes": [{"name": "k8s/1.36"}]}, "assignees": {"nodes": []},
            "milestone": null,
            "timelineItems": {"nodes": [
                {"__typename": "CrossReferencedEvent", "source": {"number": 9, "title": "t", "state": "MERGED",
                  "mergedAt": "2026-02-01T00:00:00Z", "baseRefName": "main", "headRefName": "x",
                  "mergeCommit": {"oid": "abc"}, "repository": {"nameWithOwner": "o/r"}}},
                {"__typename": "CrossReferencedEvent", "source": {"number": 5, "title": "other repo", "state": "OPEN",
                  "repository": {"nameWithOwner": "kubernetes/kubernetes"}}},
                {"__typename": "CrossReferencedEvent", "source": {}},
                {"__typename": "ClosedEvent", "closer": null}
            ]}
        });
        let (issue, links) = issue(&node, "o/r").unwrap().unwrap();
        let pulls = links.pulls;
        assert_eq!(issue.number, 7);
        assert_eq!(issue.labels.unwrap()[0].name, "k8s/1.36");
        assert_eq!(pulls.len(), 1);
        assert_eq!(pulls[0].0.number, 9);
        assert_eq!(pulls[0].0.state, State::Closed);
        assert!(pulls[0].0.is_merged());
        assert_eq!(pulls[0].1, LinkKind::CrossReference);
        assert!(super::issue(&serde_json::json!({}), "o/r")
            .unwrap()
            .is_none());
        assert!(super::issue(&serde_json::json!({"number": 1, "state": "WEIRD"}), "o/r").is_err());
    }

    #[test]
    fn maps_pull_nodes_and_the_pull_requests_referencing_them() {
        let pr = |n: u64, repo: &str, base: &str| {
            serde_json::json!({"number": n, "title": "t", "url": format!("https://github.com/{repo}/pull/{n}"),
                "state": "MERGED", "body": "Backport of #1", "mergedAt": "2026-02-01T00:00:00Z",
                "baseRefName": base, "headRefName": "x", "author": {"login": "a"},
                "mergeCommit": {"oid": "abc"}, "repository": {"nameWithOwner": repo}})
        };
        let mut node = pr(1, "cri-o/cri-o", "main");
        node["timelineItems"] = serde_json::json!({"pageInfo": {"hasNextPage": true}, "nodes": [
            {"source": pr(2, "cri-o/cri-o", "release-1.31")},
            {"source": pr(3, "someone/fork", "release-1.31")},
            {"source": {}},
            {}
        ]});
        let got = pull_with_references(&node, "cri-o/cri-o").unwrap().unwrap();
        assert_eq!(got.pull.number, 1);
        assert_eq!(got.pull.merge_commit_sha.as_deref(), Some("abc"));
        assert_eq!(got.pull.base.as_ref().unwrap().name, "main");
        assert_eq!(got.references.len(), 1);
        assert_eq!(got.references[0].number, 2);
        assert!(got.references_cut);
        assert!(pull_with_references(&node, "other/repo").unwrap().is_none());
        assert!(pull_with_references(&serde_json::json!({}), "cri-o/cri-o")
            .unwrap()
            .is_none());
    }
}
