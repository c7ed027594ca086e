//! A mock GitHub on 127.0.0.1 for the fetch tests: REST (conditional
//! requests with ETags, contents, git trees) and GraphQL (the operations
//! kepboard sends, with cursor pagination; pull request searches with
//! GitHub's result cap; pull requests by number, with NOT_FOUND errors;
//! cross-references from the pull requests whose bodies name `#N`), in
//! GitHub's shapes, built from files in GitHub's REST shapes. It counts
//! requests and can inject faults.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One injected fault, applied to the next requests whose path contains
/// `path` (`/graphql` for GraphQL; `/graphql#PullSearches` for one
/// operation), `times` times (`u32::MAX`: always).
#[derive(Clone, Debug)]
pub struct Fault {
    pub path: &'static str,
    pub times: u32,
    pub kind: FaultKind,
}

#[derive(Clone, Debug)]
pub enum FaultKind {
    Status(u16),
    /// 403 with x-ratelimit-remaining: 0 and a reset this far ahead.
    RateLimited(u64),
    /// GitHub's GraphQL way: 200, an error of type RATE_LIMITED, and
    /// x-ratelimit-remaining: 0 with a reset this far ahead.
    GraphqlRateLimited(u64),
    /// 429 with Retry-After.
    RetryAfter(u64),
    /// A 200 whose JSON body is cut in the middle.
    TruncatedJson,
    /// A GraphQL answer with `errors` a smaller page cannot help.
    GraphqlErrors,
    /// GitHub's timeout: partial data and an error; a smaller page passes.
    GraphqlTimeout,
    /// No answer for this long.
    Stall(Duration),
    /// Issue search pages that always announce the same next cursor.
    RepeatCursor,
}

#[derive(Default)]
pub struct Data {
    pub issues: Vec<Value>,
    /// Issue number → its timeline: pull request nodes (read as
    /// cross-references) or whole event nodes (with `__typename`), oldest
    /// first, served 100 a page as GitHub does.
    pub timeline: BTreeMap<u64, Vec<Value>>,
    /// Commit id → the pull request nodes it belongs to.
    pub commits: BTreeMap<String, Vec<Value>>,
    pub containerd_releases: Vec<Value>,
    pub kubernetes_releases: Vec<Value>,
    pub releases_md: String,
    /// (path below the repository root, blob sha, text)
    pub keps: Vec<(String, String, String)>,
    /// Kubernetes' versioned_feature_list.yaml; `None` answers 404.
    pub feature_gates: Option<String>,
    /// CRI-O's pull requests and releases (REST shapes).
    pub crio_pulls: Vec<Value>,
    /// The tracking repository's pull requests (REST shapes), found by PR
    /// searches (not by issue timelines, which `timeline` feeds).
    pub pulls: Vec<Value>,
    pub crio_releases: Vec<Value>,
    /// Issue and pull request search page size (GitHub's is 100; smaller
    /// tests pagination).
    pub page_size: usize,
    /// Release page size (GitHub's is 100).
    pub release_page_size: usize,
    /// The most results a search gives (GitHub's is 1,000).
    pub search_cap: usize,
    /// The most cross-references a pull request's timeline gives (the
    /// documents ask for 100).
    pub timeline_cap: usize,
    /// Bumped to change every ETag (data "changed").
    pub version: u32,
}

#[derive(Default, Debug, Clone)]
pub struct Counts {
    pub total: u32,
    /// Answers other than 304 (these cost rate limit on GitHub).
    pub rate_limited: u32,
    pub not_modified: u32,
    pub graphql: u32,
    /// GraphQL requests by operation name.
    pub ops: BTreeMap<String, u32>,
    pub authorizations: Vec<String>,
    /// The most release tags one K8sReleases query asked for.
    pub k8s_release_tags: usize,
    /// GraphQL points charged, by GitHub's rule (see `cost`).
    pub points: u64,
    /// The most nodes one GraphQL call could return.
    pub max_nodes: u64,
}

impl Counts {
    /// GraphQL requests of the operation `op`.
    pub fn op(&self, op: &str) -> u32 {
        self.ops.get(op).copied().unwrap_or(0)
    }
}

pub struct Mock {
    pub url: String,
    pub data: Arc<Mutex<Data>>,
    pub faults: Arc<Mutex<Vec<Fault>>>,
    pub counts: Arc<Mutex<Counts>>,
    server: Arc<tiny_http::Server>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

/// Mock data from files in GitHub's REST shapes (what `import` reads).
pub fn data_from(
    issues: &Path,
    keps: &Path,
    containerd_releases: &Value,
    kubernetes_releases: &Value,
    releases_md: &Path,
) -> Data {
    let issues: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(issues).unwrap()).unwrap();
    let mut kep_files = Vec::new();
    for e in walkdir::WalkDir::new(keps)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_name() == "kep.yaml" {
            let rel = e
                .path()
                .strip_prefix(keps)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).unwrap();
            kep_files.push((format!("keps/{rel}"), sha_of(&text), text));
        }
    }
    Data {
        issues: issues
            .into_iter()
            .filter(|i| i.get("pull_request").is_none())
            .collect(),
        timeline: BTreeMap::new(),
        commits: BTreeMap::new(),
        containerd_releases: containerd_releases.as_array().unwrap().clone(),
        kubernetes_releases: kubernetes_releases.as_array().unwrap().clone(),
        releases_md: std::fs::read_to_string(releases_md).unwrap(),
        keps: kep_files,
        feature_gates: None,
        crio_pulls: Vec::new(),
        pulls: Vec::new(),
        crio_releases: Vec::new(),
        page_size: 100,
        release_page_size: 100,
        search_cap: 1000,
        timeline_cap: 100,
        version: 1,
    }
}

/// A stable 40-hex-digit id for a text (not git's, but shaped like it).
pub fn sha_of(text: &str) -> String {
    let mut h: [u64; 3] = [0xcbf29ce484222325, 0x84222325cbf29ce4, 0x1234567890abcdef];
    for (i, b) in text.bytes().enumerate() {
        let k = i % 3;
        h[k] = (h[k] ^ b as u64).wrapping_mul(0x100000001b3);
    }
    format!("{:016x}{:016x}{:08x}", h[0], h[1], h[2] as u32)
}

impl Mock {
    pub fn start(data: Data) -> Mock {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let mock = Mock {
            url,
            data: Arc::new(Mutex::new(data)),
            faults: Arc::new(Mutex::new(Vec::new())),
            counts: Arc::new(Mutex::new(Counts::default())),
            server: server.clone(),
        };
        let (data, faults, counts) = (mock.data.clone(), mock.faults.clone(), mock.counts.clone());
        std::thread::spawn(move || {
            // Bounded: the test process ends, or Drop unblocks recv.
            while let Ok(req) = server.recv() {
                let (data, faults, counts) = (data.clone(), faults.clone(), counts.clone());
                std::thread::spawn(move || handle(req, &data, &faults, &counts));
            }
        });
        mock
    }

    pub fn fault(&self, f: Fault) {
        self.faults.lock().unwrap().push(f);
    }

    pub fn counts(&self) -> Counts {
        self.counts.lock().unwrap().clone()
    }

    pub fn reset_counts(&self) {
        *self.counts.lock().unwrap() = Counts::default();
    }
}

/// GitHub's GraphQL endpoint: `/graphql` on github.com, `/api/graphql` on
/// GitHub Enterprise Server.
fn is_graphql(url: &str) -> bool {
    url.starts_with("/graphql") || url.starts_with("/api/graphql")
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap()
}

fn respond(
    req: tiny_http::Request,
    counts: &Mutex<Counts>,
    status: u16,
    body: String,
    extra: Vec<tiny_http::Header>,
) {
    {
        let mut c = counts.lock().unwrap();
        if status == 304 {
            c.not_modified += 1;
        } else {
            c.rate_limited += 1;
        }
    }
    let mut r = tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
        .with_header(header("x-ratelimit-limit", "5000"))
        .with_header(header("x-ratelimit-remaining", "4999"))
        .with_header(header("x-ratelimit-resource", "core"));
    for h in extra {
        r = r.with_header(h);
    }
    let _ = req.respond(r);
}

fn handle(
    mut req: tiny_http::Request,
    data: &Mutex<Data>,
    faults: &Mutex<Vec<Fault>>,
    counts: &Mutex<Counts>,
) {
    let url = req.url().to_string();
    let mut body = String::new();
    let _ = req.as_reader().read_to_string(&mut body);
    // What faults match: the path, and a GraphQL request's operation.
    let op = operation(&body);
    let target = if url.starts_with("/graphql") {
        format!("{url}#{op}")
    } else {
        url.clone()
    };
    {
        let mut c = counts.lock().unwrap();
        c.total += 1;
        if is_graphql(&url) {
            c.graphql += 1;
            *c.ops.entry(op).or_default() += 1;
        }
        if let Some(a) = req
            .headers()
            .iter()
            .find(|h| h.field.equiv("Authorization"))
        {
            c.authorizations.push(a.value.to_string());
        }
    }
    let fault = {
        let mut f = faults.lock().unwrap();
        let hit = f
            .iter_mut()
            .find(|f| f.times > 0 && target.contains(f.path));
        hit.map(|f| {
            if f.times != u32::MAX {
                f.times -= 1;
            }
            f.kind.clone()
        })
    };
    let mut repeat_cursor = false;
    match fault {
        Some(FaultKind::Status(s)) => return respond(req, counts, s, json!({"message": "Server Error"}).to_string(), vec![]),
        Some(FaultKind::RateLimited(secs)) => {
            let reset = chrono::Utc::now().timestamp() as u64 + secs;
            let mut c = counts.lock().unwrap();
            c.rate_limited += 1;
            drop(c);
            let r = tiny_http::Response::from_string(json!({"message": "API rate limit exceeded"}).to_string())
                .with_status_code(403)
                .with_header(header("x-ratelimit-remaining", "0"))
                .with_header(header("x-ratelimit-reset", &reset.to_string()));
            let _ = req.respond(r);
            return;
        }
        Some(FaultKind::GraphqlRateLimited(secs)) => {
            let reset = chrono::Utc::now().timestamp() as u64 + secs;
            counts.lock().unwrap().rate_limited += 1;
            let body = json!({"errors": [{"type": "RATE_LIMITED", "message": "API rate limit already exceeded for user ID 1."}]});
            let r = tiny_http::Response::from_string(body.to_string())
                .with_status_code(200)
                .with_header(header("Content-Type", "application/json"))
                .with_header(header("x-ratelimit-remaining", "0"))
                .with_header(header("x-ratelimit-resource", "graphql"))
                .with_header(header("x-ratelimit-reset", &reset.to_string()));
            let _ = req.respond(r);
            return;
        }
        Some(FaultKind::RetryAfter(secs)) => {
            return respond(
                req,
                counts,
                429,
                json!({"message": "You have exceeded a secondary rate limit"}).to_string(),
                vec![header("Retry-After", &secs.to_string())],
            )
        }
        Some(FaultKind::Stall(d)) => std::thread::sleep(d),
        Some(FaultKind::GraphqlErrors) => {
            return respond(
                req,
                counts,
                200,
                json!({"data": null, "errors": [{"type": "INTERNAL", "message": "Something went wrong while executing your query."}]})
                    .to_string(),
                vec![],
            )
        }
        Some(FaultKind::GraphqlTimeout) => {
            return respond(
                req,
                counts,
                200,
                json!({"data": {"search": {"nodes": []}}, "errors": [{"message": "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists."}]})
                    .to_string(),
                vec![],
            )
        }
        Some(FaultKind::TruncatedJson) => {
            return respond(req, counts, 200, "{\"data\": {\"search\": {\"nodes\": [{\"numb".into(), vec![])
        }
        Some(FaultKind::RepeatCursor) => repeat_cursor = true,
        None => {}
    }
    let d = data.lock().unwrap();
    // GitHub's ETags are specific to the token that asked (github/docs
    // issue 34689): a new token never gets a 304 for another's ETag.
    let token = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.to_string())
        .unwrap_or_default();
    let etag = format!("\"v{}-{}\"", d.version, sha_of(&token));
    if is_graphql(&url) {
        let req_json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        if req_json["query"]
            .as_str()
            .is_some_and(|q| q.contains("query K8sReleases"))
        {
            let tags = req_json["variables"]
                .as_object()
                .map_or(0, |v| v.keys().filter(|k| k.starts_with('t')).count());
            let mut c = counts.lock().unwrap();
            c.k8s_release_tags = c.k8s_release_tags.max(tags);
        }
        let query = req_json["query"].as_str().unwrap_or("");
        let cost = match super::cost::cost(query, &req_json["variables"]) {
            Ok(c) => c,
            Err(message) => {
                drop(d);
                let body =
                    json!({"errors": [{"type": "EXCESSIVE_PAGINATION", "message": message}]});
                return respond(req, counts, 200, body.to_string(), vec![]);
            }
        };
        {
            let mut c = counts.lock().unwrap();
            c.points += cost.points;
            c.max_nodes = c.max_nodes.max(cost.nodes);
        }
        let answer = graphql(&d, &req_json, repeat_cursor, cost.points);
        drop(d);
        return respond(req, counts, 200, answer.to_string(), vec![]);
    }
    // REST: conditional probes, contents, tree.
    let not_modified = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .is_some_and(|h| h.value.as_str() == etag);
    let path = url.split('?').next().unwrap_or("");
    let answer = if path.ends_with("/issues") || path.ends_with("/releases") {
        Some(json!([{"id": 1}]))
    } else if path.ends_with("/commits") {
        Some(json!([{"sha": "0123456789abcdef0123456789abcdef01234567"}]))
    } else if path.ends_with("/contents/RELEASES.md") {
        Some(json!({"encoding": "base64", "content": base64(&d.releases_md)}))
    } else if path.contains("/contents/") && path.ends_with("/versioned_feature_list.yaml") {
        d.feature_gates
            .as_ref()
            .map(|t| json!({"encoding": "base64", "content": base64(t)}))
    } else if path.contains("/git/trees/") {
        let tree: Vec<Value> = d
            .keps
            .iter()
            .map(|(p, sha, _)| json!({"path": p, "type": "blob", "sha": sha}))
            .chain(std::iter::once(
                json!({"path": "keps/sig-node/README.md", "type": "blob", "sha": "f".repeat(40)}),
            ))
            .collect();
        Some(json!({"sha": "t", "tree": tree, "truncated": false}))
    } else {
        None
    };
    drop(d);
    match answer {
        None => respond(
            req,
            counts,
            404,
            json!({"message": "Not Found"}).to_string(),
            vec![],
        ),
        Some(_) if not_modified => {
            respond(req, counts, 304, String::new(), vec![header("ETag", &etag)])
        }
        Some(a) => respond(req, counts, 200, a.to_string(), vec![header("ETag", &etag)]),
    }
}

fn graphql(d: &Data, req: &Value, repeat_cursor: bool, points: u64) -> Value {
    let query = req.get("query").and_then(Value::as_str).unwrap_or("");
    let vars = req.get("variables").cloned().unwrap_or(Value::Null);
    let offset = |v: &Value| -> usize {
        v.get("cursor")
            .and_then(Value::as_str)
            .and_then(|c| c.strip_prefix('c'))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let rate = json!({"cost": points, "remaining": 4990, "resetAt": "2026-11-25T06:00:00Z"});
    if query.contains("query TrackingIssues") {
        let start = offset(&vars);
        // GitHub's `updated:>=` qualifier; other qualifiers are not read.
        let since = vars["query"]
            .as_str()
            .and_then(|q| {
                q.split_whitespace()
                    .find_map(|w| w.strip_prefix("updated:>="))
            })
            .unwrap_or("");
        let matching: Vec<&Value> = d
            .issues
            .iter()
            .filter(|i| i["updated_at"].as_str().unwrap_or("") >= since)
            .collect();
        let size = vars["first"]
            .as_u64()
            .map_or(d.page_size, |f| d.page_size.min(f as usize));
        let page: Vec<Value> = matching
            .iter()
            .skip(start)
            .take(size)
            .map(|i| issue_node(d, i))
            .collect();
        let more = start + size < matching.len();
        let cursor = if repeat_cursor {
            "same".to_string()
        } else {
            format!("c{}", start + size)
        };
        return json!({"data": {"search": {
            "pageInfo": {"hasNextPage": more || repeat_cursor, "endCursor": cursor},
            "nodes": page}, "rateLimit": rate}});
    }
    if query.contains("query Releases") {
        let start = offset(&vars);
        let mut rs = if vars["owner"] == "cri-o" {
            d.crio_releases.clone()
        } else {
            d.containerd_releases.clone()
        };
        rs.sort_by(|a, b| b["published_at"].as_str().cmp(&a["published_at"].as_str()));
        let size = d.release_page_size;
        let page: Vec<Value> = rs.iter().skip(start).take(size).map(release_node).collect();
        return json!({"data": {"repository": {"releases": {
            "pageInfo": {"hasNextPage": start + size < rs.len(), "endCursor": format!("c{}", start + size)},
            "nodes": page}}, "rateLimit": rate}});
    }
    if query.contains("query PullSearches") {
        let mut data = serde_json::Map::new();
        for i in 0.. {
            let Some(q) = vars.get(format!("q{i}")).and_then(Value::as_str) else {
                break;
            };
            let start = offset(&json!({"cursor": vars[format!("c{i}")]}));
            let (list, repo) = pull_list(d, q);
            let hits: Vec<&Value> = list.iter().filter(|pr| search_matches(q, pr)).collect();
            let given = hits.len().min(d.search_cap);
            let page: Vec<Value> = hits[start.min(given)..]
                .iter()
                .take(d.page_size.min(given.saturating_sub(start)))
                .map(|pr| pull_node(d, pr, repo, true))
                .collect();
            let next = start + d.page_size;
            data.insert(
                format!("s{i}"),
                json!({"issueCount": hits.len(),
                "pageInfo": {"hasNextPage": next < given, "endCursor": format!("c{next}")},
                "nodes": page}),
            );
        }
        data.insert("rateLimit".into(), rate);
        return json!({"data": data});
    }
    if query.contains("query PullsByNumber") {
        let mut repo = serde_json::Map::new();
        let mut errors = Vec::new();
        for i in 0.. {
            let Some(n) = vars.get(format!("n{i}")).and_then(Value::as_u64) else {
                break;
            };
            let crio = vars["owner"] == "cri-o";
            let (list, name) = match crio {
                true => (&d.crio_pulls, "cri-o/cri-o"),
                false => (&d.pulls, "containerd/containerd"),
            };
            let pr = list.iter().find(|pr| pr["number"] == n);
            if pr.is_none() {
                errors.push(json!({"type": "NOT_FOUND", "path": ["repository", format!("p{i}")],
                    "message": format!("Could not resolve to a PullRequest with the number of {n}.")}));
            }
            repo.insert(
                format!("p{i}"),
                pr.map(|pr| pull_node(d, pr, name, true))
                    .unwrap_or(Value::Null),
            );
        }
        return json!({"data": {"repository": repo, "rateLimit": rate}, "errors": errors});
    }
    if query.contains("query KepBlobs") {
        let mut repo = serde_json::Map::new();
        for i in 0.. {
            let Some(oid) = vars.get(format!("o{i}")).and_then(Value::as_str) else {
                break;
            };
            let blob = d
                .keps
                .iter()
                .find(|(_, sha, _)| sha == oid)
                .map(|(_, sha, text)| json!({"oid": sha, "text": text, "isTruncated": false}));
            repo.insert(format!("b{i}"), blob.unwrap_or(Value::Null));
        }
        return json!({"data": {"repository": repo, "rateLimit": rate}});
    }
    if query.contains("query Watermarks") {
        // Every mark moves with `version` (the data "changed").
        let v = format!("2026-11-{:02}T00:00:00Z", d.version % 28 + 1);
        let releases = json!({"totalCount": 1, "nodes": [{"tagName": "v1", "updatedAt": v}]});
        let updated = json!({"nodes": [{"updatedAt": v}]});
        // The issues' mark is their newest change, and moves with `version`.
        let newest = d
            .issues
            .iter()
            .filter_map(|i| i["updated_at"].as_str())
            .max()
            .unwrap_or("")
            .to_string();
        let issues = json!({"nodes": [{"updatedAt": newest.max(v.clone())}]});
        let oid = json!({"oid": format!("{:040}", d.version)});
        return json!({"data": {
            "tracking": {"issues": issues, "pullRequests": updated, "releases": releases, "releasesMd": oid},
            "enhancements": {"ref": {"target": {"history": {"nodes": [oid]}}}},
            "kubernetes": {"releases": releases, "gates": oid},
            "crio": {"pullRequests": updated, "releases": releases},
            "rateLimit": rate}});
    }
    if query.contains("query CommitPulls") {
        let mut repo = serde_json::Map::new();
        for i in 0.. {
            let Some(oid) = vars.get(format!("c{i}")).and_then(Value::as_str) else {
                break;
            };
            let node = d
                .commits
                .get(oid)
                .map(|prs| json!({"oid": oid, "associatedPullRequests": {"nodes": prs}}));
            repo.insert(format!("k{i}"), node.unwrap_or(Value::Null));
        }
        return json!({"data": {"repository": repo, "rateLimit": rate}});
    }
    if query.contains("query IssueTimeline") {
        let n = vars["number"].as_u64().unwrap_or(0);
        let page = timeline_page(d, n, offset(&vars));
        return json!({"data": {"repository": {"issue": {"timelineItems": page}}, "rateLimit": rate}});
    }
    if query.contains("query LatestRelease") {
        let latest = d
            .kubernetes_releases
            .iter()
            .filter(|r| r["prerelease"] != true && r["draft"] != true)
            .max_by(|a, b| a["published_at"].as_str().cmp(&b["published_at"].as_str()))
            .map(|r| json!({"tagName": r["tag_name"]}));
        return json!({"data": {"repository": {"latestRelease": latest}, "rateLimit": rate}});
    }
    if query.contains("query K8sReleases") {
        let mut repo = serde_json::Map::new();
        for i in 0.. {
            let Some(tag) = vars.get(format!("t{i}")).and_then(Value::as_str) else {
                break;
            };
            let r = d
                .kubernetes_releases
                .iter()
                .find(|r| r["tag_name"] == tag)
                .map(release_node);
            repo.insert(format!("r{i}"), r.unwrap_or(Value::Null));
        }
        return json!({"data": {"repository": repo, "rateLimit": rate}});
    }
    json!({"errors": [{"message": "mock: unknown operation"}]})
}

fn issue_node(d: &Data, i: &Value) -> Value {
    let n = i["number"].as_u64().unwrap();
    let nodes = |k: &str, f: &str| match i.get(k) {
        Some(Value::Array(a)) => {
            json!({"nodes": a.iter().map(|x| json!({f: x[f]})).collect::<Vec<_>>()})
        }
        _ => Value::Null,
    };
    let timeline = timeline_page(d, n, 0);
    json!({
        "number": n,
        "title": i["title"],
        "url": i["html_url"],
        "state": i["state"].as_str().unwrap_or("open").to_uppercase(),
        "body": i["body"],
        "createdAt": i.get("created_at").cloned().unwrap_or(Value::Null),
        "updatedAt": i.get("updated_at").cloned().unwrap_or(Value::Null),
        "closedAt": i.get("closed_at").cloned().unwrap_or(Value::Null),
        "author": i.get("user").cloned().unwrap_or(Value::Null),
        "labels": nodes("labels", "name"),
        "assignees": nodes("assignees", "login"),
        "milestone": i.get("milestone").cloned().unwrap_or(Value::Null),
        "timelineItems": timeline,
    })
}

/// One page (100 items, GitHub's most) of issue `n`'s timeline from `start`.
fn timeline_page(d: &Data, n: u64, start: usize) -> Value {
    let all: Vec<Value> = d
        .timeline
        .get(&n)
        .into_iter()
        .flatten()
        .map(|item| match item.get("__typename") {
            Some(_) => item.clone(),
            None => json!({"__typename": "CrossReferencedEvent", "source": item}),
        })
        .collect();
    let page: Vec<Value> = all.iter().skip(start).take(100).cloned().collect();
    json!({
        "pageInfo": {"hasNextPage": start + 100 < all.len(), "endCursor": format!("c{}", start + 100)},
        "nodes": page,
    })
}

/// The GraphQL operation a request body names (`query Name(`).
fn operation(body: &str) -> String {
    let query = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("query").and_then(Value::as_str).map(String::from))
        .unwrap_or_default();
    query
        .split_once("query ")
        .map(|(_, rest)| rest.chars().take_while(|c| c.is_alphanumeric()).collect())
        .unwrap_or_default()
}

/// Words as GitHub's search reads them: lower case, punctuation dropped.
fn words(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    format!(
        " {} ",
        spaced.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// Whether a pull request (REST shape) matches a search such as
/// `repo:cri-o/cri-o is:pr is:merged "kep.k8s.io" in:title,body`: every
/// term (a word or a quoted phrase) in one of the `in:` fields.
/// The pull requests a search's `repo:` names, and that repository.
fn pull_list<'a>(d: &'a Data, query: &str) -> (&'a [Value], &'static str) {
    match query.contains("repo:cri-o/cri-o") {
        true => (&d.crio_pulls, "cri-o/cri-o"),
        false => (&d.pulls, "containerd/containerd"),
    }
}

fn search_matches(query: &str, pr: &Value) -> bool {
    let mut fields = vec!["title", "body"];
    let mut terms = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        if i % 2 == 1 {
            terms.push(part.to_string());
            continue;
        }
        for w in part.split_whitespace() {
            match w.split_once(':') {
                Some(("is", "merged")) if pr["merged_at"].is_null() => return false,
                // GitHub: branch names beginning with the value.
                Some(("head", h)) => {
                    let head = pr
                        .pointer("/head/ref")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    if !head
                        .to_ascii_lowercase()
                        .starts_with(&h.to_ascii_lowercase())
                    {
                        return false;
                    }
                }
                Some(("in", f)) => fields = f.split(',').collect(),
                Some(_) => {}
                None => terms.push(w.to_string()),
            }
        }
    }
    terms.iter().all(|t| {
        fields
            .iter()
            .any(|f| words(pr[*f].as_str().unwrap_or("")).contains(&words(t)))
    })
}

/// Whether `body` names `#n` (not `#n0`).
fn names(body: &str, n: u64) -> bool {
    let needle = format!("#{n}");
    body.match_indices(&needle).any(|(i, _)| {
        !body[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// A CRI-O pull request (REST shape) as a GraphQL `Pull` node; with
/// `references`, its timeline's cross-references from the pull requests
/// whose bodies name it.
fn pull_node(d: &Data, pr: &Value, repo: &str, references: bool) -> Value {
    let get = |k: &str| pr.get(k).cloned().unwrap_or(Value::Null);
    let state = match (pr["merged_at"].is_null(), pr["state"].as_str()) {
        (false, _) => "MERGED",
        (true, Some("open")) => "OPEN",
        _ => "CLOSED",
    };
    let mut node = json!({
        "number": pr["number"], "title": get("title"), "url": get("html_url"), "state": state,
        "body": get("body"), "mergedAt": get("merged_at"), "createdAt": get("created_at"),
        "updatedAt": get("updated_at"), "closedAt": get("closed_at"),
        "baseRefName": pr.pointer("/base/ref").cloned().unwrap_or(Value::Null),
        "headRefName": pr.pointer("/head/ref").cloned().unwrap_or(Value::Null),
        "author": get("user"), "milestone": get("milestone"),
        "mergeCommit": pr.get("merge_commit_sha").filter(|v| !v.is_null()).map(|s| json!({"oid": s})),
        "repository": {"nameWithOwner": repo},
    });
    if references {
        let n = pr["number"].as_u64().unwrap();
        let list = match repo {
            "cri-o/cri-o" => &d.crio_pulls,
            _ => &d.pulls,
        };
        let refs: Vec<Value> = list
            .iter()
            .filter(|r| names(r["body"].as_str().unwrap_or(""), n))
            .map(|r| json!({"source": pull_node(d, r, repo, false)}))
            .collect();
        node["timelineItems"] = json!({
            "pageInfo": {"hasNextPage": refs.len() > d.timeline_cap},
            "nodes": refs.into_iter().take(d.timeline_cap).collect::<Vec<_>>(),
        });
    }
    node
}

fn release_node(r: &Value) -> Value {
    json!({
        "tagName": r["tag_name"],
        "name": r.get("name").cloned().unwrap_or(Value::Null),
        "publishedAt": r.get("published_at").cloned().unwrap_or(Value::Null),
        "createdAt": r.get("created_at").cloned().unwrap_or(Value::Null),
        "isPrerelease": r.get("prerelease").cloned().unwrap_or(json!(false)),
        "isDraft": r.get("draft").cloned().unwrap_or(json!(false)),
        "url": r.get("html_url").cloned().unwrap_or(Value::Null),
    })
}

fn base64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in s.as_bytes().chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push('\n'); // GitHub wraps its base64 lines
        }
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
