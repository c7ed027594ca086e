//! CRI-O's pull requests for `fetch`: the ones the model can join to a KEP,
//! in the REST shapes `import --crio-pulls` reads.
//!
//! - **Named**: the merged PRs that `crio_pull_searches` find (`KEP`,
//!   `"kubernetes/enhancements"`, `"kep.k8s.io"` in title or body). The
//!   searches go out together, aliased in one GraphQL request, and each
//!   follows its own pages. GitHub gives at most 1,000 results a search:
//!   a search it counts more for is a warning naming it, never a silent cut.
//! - **Configured**: the PRs `[crio_pulls]` of `kepboard.toml` lists that
//!   the searches did not find, by number, 100 aliased in a request. A
//!   number that is no PR of the repository is a warning.
//! - **Backports**: every PR above comes with the PRs that reference it
//!   (timeline cross-references, in the same request): a backport's
//!   `Backport of #N` / `cherry-pick of #N` leaves one on #N. Those merged
//!   into a `release-*` branch are kept; the model decides which really
//!   carry their PR. A PR referenced more than 100 times has its list cut:
//!   for those, a search (`N in:body`) finds the backports instead, ten
//!   searches to a request.
//!
//! Cost: one request for the searches (plus one per further 100 results of
//! any of them), one per 100 configured PRs not found, and nothing for the
//! backports unless a reference list was cut. None of it is conditional:
//! every fetch asks again.

use super::{graphql, Progress, MAX_PAGES};
use crate::config::{split_repo, Config};
use crate::fetch::client::Client;
use crate::github::PullRequest;
use anyhow::{anyhow, bail, Result};
use graphql::PullWithReferences;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Searches sent in one GraphQL request.
const SEARCH_BATCH: usize = 10;
/// Pull requests asked for by number in one GraphQL request.
const NUMBER_BATCH: usize = 100;

/// CRI-O's pull requests the model can join, by number, and warnings about
/// what could not be gathered.
pub(super) async fn fetch_pulls(
    c: &Client,
    cfg: &Config,
    p: &Progress,
) -> Result<(Vec<PullRequest>, Vec<String>)> {
    let repo = cfg.crio_repo.as_str();
    let (owner, name) =
        split_repo(repo).ok_or_else(|| anyhow!("crio_repo {repo:?} is not owner/name"))?;
    let mut warnings = Vec::new();
    let mut found: BTreeMap<u64, PullWithReferences> = BTreeMap::new();

    // Named: the searches.
    let queries = cfg.crio_searches();
    for (query, nodes) in queries
        .iter()
        .zip(search_all(c, "CRI-O PR search", &queries, p, &mut warnings).await?)
    {
        for node in &nodes {
            let what = format!("CRI-O PR search {query:?}");
            if let Some(hit) =
                graphql::pull_with_references(node, repo).map_err(|e| anyhow!("{what}: {e}"))?
            {
                found.insert(hit.pull.number, hit);
            }
        }
    }

    // Configured: the rest of [crio_pulls], by number.
    let configured: BTreeSet<u64> = cfg.crio_kep_links().iter().map(|l| l.pull).collect();
    let missing: Vec<u64> = configured
        .into_iter()
        .filter(|n| !found.contains_key(n))
        .collect();
    let what = "CRI-O PRs configured in kepboard.toml";
    for (n, hit) in by_number(c, (owner, name), &missing, what, p).await? {
        match hit {
            Some(h) => {
                found.insert(n, h);
            }
            None => warnings.push(format!(
                "kepboard.toml [crio_pulls] lists #{n}, which is not a pull request of {repo}: not fetched"
            )),
        }
    }

    // Backports: the references; a search for the PRs whose list was cut.
    let mut pulls: BTreeMap<u64, PullRequest> = BTreeMap::new();
    let mut cut = Vec::new();
    for (n, f) in &found {
        if f.references_cut {
            cut.push(*n);
        }
        for r in f.references.iter().filter(|r| is_backport(r)) {
            pulls.entry(r.number).or_insert_with(|| r.clone());
        }
    }
    let searches: Vec<String> = cut
        .iter()
        .map(|n| format!("repo:{repo} is:pr is:merged {n} in:body"))
        .collect();
    let hits = search_all(c, "CRI-O backport search", &searches, p, &mut warnings).await?;
    for (n, nodes) in cut.iter().zip(hits) {
        for node in &nodes {
            let hit = graphql::pull_with_references(node, repo)
                .map_err(|e| anyhow!("CRI-O backport search for #{n}: {e}"))?;
            if let Some(pr) = hit
                .map(|h| h.pull)
                .filter(|pr| is_backport(pr) && mentions(pr, *n))
            {
                pulls.entry(pr.number).or_insert(pr);
            }
        }
    }
    // A PR's own answer wins over its copy as another's reference.
    pulls.extend(found.into_iter().map(|(n, f)| (n, f.pull)));
    Ok((pulls.into_values().collect(), warnings))
}

/// Merged into a release branch: what a backport is.
fn is_backport(pr: &PullRequest) -> bool {
    pr.is_merged()
        && pr
            .base
            .as_ref()
            .is_some_and(|b| b.name.starts_with("release-"))
}

/// Its body names `#n` (not `#n0`).
fn mentions(pr: &PullRequest, n: u64) -> bool {
    let body = pr.body.as_deref().unwrap_or("");
    let needle = format!("#{n}");
    body.match_indices(&needle).any(|(i, _)| {
        !body[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// Reads pull requests by number into `found`; a number that is not a
/// pull request of the repository is a warning.
/// Pull requests of `repo` by number, [`NUMBER_BATCH`] to a request,
/// with the PRs that reference them; `None` for a number that is no pull
/// request there. `what` names the requests.
async fn by_number(
    c: &Client,
    (owner, name): (&str, &str),
    numbers: &[u64],
    what: &str,
    p: &Progress,
) -> Result<Vec<(u64, Option<PullWithReferences>)>> {
    let repo = format!("{owner}/{name}");
    let batches = numbers.len().div_ceil(NUMBER_BATCH);
    let mut out = Vec::new();
    for (i, batch) in numbers.chunks(NUMBER_BATCH).enumerate() {
        let what = format!("{what}, batch {}/{batches}", i + 1);
        p.step(what.clone());
        let mut vars = json!({"owner": owner, "name": name});
        for (j, n) in batch.iter().enumerate() {
            vars[format!("n{j}")] = json!(n);
        }
        // GitHub answers a number that is no pull request with `null` and
        // a NOT_FOUND error for that alias; any other error fails.
        let alias_not_found = |e: &Value| {
            e.get("type").and_then(Value::as_str) == Some("NOT_FOUND")
                && e.get("path").and_then(Value::as_array).map(Vec::len) == Some(2)
        };
        let (data, _) = c
            .graphql_allowing(
                &what,
                &graphql::pulls_by_number(batch.len()),
                vars,
                alias_not_found,
            )
            .await?;
        for (j, n) in batch.iter().enumerate() {
            let node = data
                .pointer(&format!("/repository/p{j}"))
                .filter(|v| !v.is_null());
            let hit = match node {
                Some(v) => {
                    graphql::pull_with_references(v, &repo).map_err(|e| anyhow!("{what}: {e}"))?
                }
                None => None,
            };
            out.push((*n, hit));
        }
    }
    Ok(out)
}

/// Pull requests of `repo` by number, as they are now; a number that is
/// no pull request any more is a warning.
pub(super) async fn pulls_by_number(
    c: &Client,
    repo: (&str, &str),
    numbers: &[u64],
    what: &str,
    p: &Progress,
    warnings: &mut Vec<String>,
) -> Result<Vec<PullRequest>> {
    let mut out = Vec::new();
    for (n, hit) in by_number(c, repo, numbers, what, p).await? {
        match hit {
            Some(h) => out.push(h.pull),
            None => warnings.push(format!(
                "{what}: #{n} is not a pull request of {}/{}",
                repo.0, repo.1
            )),
        }
    }
    Ok(out)
}

/// One search's state while its pages are followed.
#[derive(Default)]
struct Search {
    cursor: Option<String>,
    seen: BTreeSet<String>,
    pages: usize,
    done: bool,
    count: Option<u64>,
    nodes: Vec<Value>,
}

/// Runs `queries` as aliased GraphQL searches, [`SEARCH_BATCH`] to a
/// request, each following its own pages; returns each query's nodes, in
/// order. A search GitHub counts more results for than it gave (it gives
/// at most 1,000) is a warning naming it.
pub(super) async fn search_all(
    c: &Client,
    what: &str,
    queries: &[String],
    p: &Progress,
    warnings: &mut Vec<String>,
) -> Result<Vec<Vec<Value>>> {
    let mut searches: Vec<Search> = queries.iter().map(|_| Search::default()).collect();
    for request in 1.. {
        let open: Vec<usize> = (0..queries.len())
            .filter(|&i| !searches[i].done)
            .take(SEARCH_BATCH)
            .collect();
        if open.is_empty() {
            break;
        }
        let label = format!("{what}, request {request}");
        p.step(format!("{label} ({} searches)", open.len()));
        let mut vars = json!({});
        for (j, &i) in open.iter().enumerate() {
            vars[format!("q{j}")] = json!(queries[i]);
            vars[format!("c{j}")] = json!(searches[i].cursor);
        }
        let data = c
            .graphql(&label, &graphql::pull_searches(open.len()), vars)
            .await?;
        for (j, &i) in open.iter().enumerate() {
            let q = &queries[i];
            let conn = data
                .get(format!("s{j}"))
                .filter(|v| !v.is_null())
                .ok_or_else(|| anyhow!("{label}: the answer has no results for {q:?}"))?;
            next_page(&mut searches[i], conn).map_err(|e| anyhow!("{what} {q:?}: {e}"))?;
        }
    }
    for (q, s) in queries.iter().zip(&searches) {
        if let Some(count) = s.count.filter(|&n| n > s.nodes.len() as u64) {
            warnings.push(format!(
                "{what} {q:?}: GitHub counts {count} results but gave {} (a search gives at most 1,000): \
                 the rest are not in the snapshot; narrow or split the search",
                s.nodes.len()
            ));
        }
    }
    Ok(searches.into_iter().map(|s| s.nodes).collect())
}

/// Takes one page of a search's answer; fails on a cursor that repeats.
fn next_page(s: &mut Search, conn: &Value) -> Result<()> {
    s.pages += 1;
    let nodes = conn
        .get("nodes")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("page {}: the answer has no nodes", s.pages))?;
    s.nodes.extend(nodes.iter().cloned());
    s.count = conn.get("issueCount").and_then(Value::as_u64);
    let info = conn.get("pageInfo");
    let more = info
        .and_then(|i| i.get("hasNextPage"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !more {
        s.done = true;
        return Ok(());
    }
    let next = info
        .and_then(|i| i.get("endCursor"))
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("page {}: more pages announced but no cursor", s.pages))?
        .to_string();
    if !s.seen.insert(next.clone()) {
        bail!(
            "page {}: the page cursor {next:?} repeats; stopping instead of looping",
            s.pages
        );
    }
    if s.pages >= MAX_PAGES {
        bail!("more than {MAX_PAGES} pages; stopping");
    }
    s.cursor = Some(next);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pr(v: Value) -> PullRequest {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn backports_are_merged_into_release_branches_and_name_their_pr() {
        let merged = |base: &str, body: &str| {
            pr(
                json!({"number": 2, "state": "closed", "merged_at": "2026-01-01T00:00:00Z",
                "base": {"ref": base}, "body": body}),
            )
        };
        assert!(is_backport(&merged("release-1.31", "")));
        assert!(!is_backport(&merged("main", "")));
        assert!(!is_backport(&pr(
            json!({"number": 2, "state": "closed", "base": {"ref": "release-1.31"}})
        )));
        assert!(mentions(
            &merged("release-1.31", "Backport of #8123."),
            8123
        ));
        assert!(mentions(
            &merged("release-1.31", "x #81234 and #8123"),
            8123
        ));
        assert!(!mentions(
            &merged("release-1.31", "Backport of #81234"),
            8123
        ));
        assert!(!mentions(&merged("release-1.31", "8123"), 8123));
    }

    #[test]
    fn search_pages_stop_on_a_repeating_cursor() {
        let page = json!({"issueCount": 3, "pageInfo": {"hasNextPage": true, "endCursor": "x"},
            "nodes": [{"number": 1}]});
        let mut s = Search::default();
        next_page(&mut s, &page).unwrap();
        assert_eq!(s.cursor.as_deref(), Some("x"));
        let e = next_page(&mut s, &page).unwrap_err();
        assert!(e.to_string().contains("repeats"), "{e}");
        let mut s = Search::default();
        next_page(
            &mut s,
            &json!({"pageInfo": {"hasNextPage": false}, "nodes": []}),
        )
        .unwrap();
        assert!(s.done);
    }
}
