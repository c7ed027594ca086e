//! `kepboard fetch`: gathers the snapshot's facts from GitHub. The only
//! module that touches the network.
//!
//! Cheap in requests: GraphQL reads issues with the PRs their timelines
//! link (100 a request), release pages, and kep.yaml texts in batches.
//! First, one small GraphQL query reads every source's *watermark* (its
//! newest change); a source whose mark, and the configuration, are the
//! last fetch's is taken from the previous snapshot without a request,
//! whatever the token. Otherwise it is asked with a conditional REST
//! request (ETag, `If-None-Match`; GitHub's ETags belong to the token, so
//! this helps only with a token that stays); a 304 costs no rate limit.
//! The marks and ETags live in a small cache file next to the snapshot. The runtime-readiness sources
//! are the same facts `import` takes: Kubernetes' feature-gate history
//! (one contents request, conditional like RELEASES.md), CRI-O's releases
//! (conditional, like containerd's) and CRI-O's pull requests ([`crio`];
//! asked again every time).
//!
//! All or nothing: the snapshot and the cache are written, atomically,
//! only when every source was gathered; any failure leaves both as they
//! were and names the request that failed.

pub mod client;
mod crio;
pub mod graphql;

use crate::config::{split_repo, Config};
use crate::domain::K8sRelease;
use crate::github::{Issue, PullRequest, Release};
use crate::kep::{self, KepFile, LoadError};
use crate::snapshot::{IssuePrLink, Snapshot, Source, SourceKind, SCHEMA_VERSION};
use crate::tracking::{self, IssueKind};
use anyhow::{anyhow, bail, Context, Result};
use client::{Client, Stats};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// kep.yaml texts asked for in one GraphQL request.
const BLOB_BATCH: usize = 250;
/// A guard against a server that keeps answering "there is more".
const MAX_PAGES: usize = 100;
/// The page size of a retry after a GraphQL timeout or resource limit.
const SMALLER_PAGE: u32 = 50;
/// The page size of the search for issues changed since the last fetch.
const INCREMENTAL_PAGE: u32 = 20;
/// Commits whose pull requests are asked for in one GraphQL request (each
/// costs one connection of at most 5 PRs: 100 stay within one point).
const COMMIT_BATCH: usize = 100;
/// The highest Kubernetes minor asked for when the latest release is
/// unknown: kep.yaml typos (`v1.999`) must not grow the query.
const MAX_K8S_MINOR: u16 = 60;

/// What `kepboard fetch` needs.
pub struct FetchOptions {
    /// Where the snapshot goes (the ETag cache sits beside it).
    pub out: PathBuf,
    /// The repositories and searches.
    pub config: Config,
    /// How to reach GitHub.
    pub client: client::Options,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// What a fetch gathered and what it cost.
#[derive(Debug)]
pub struct Summary {
    /// Requests made, retries and rate limit.
    pub stats: Stats,
    /// Issues gathered.
    pub issues: usize,
    /// Pull requests gathered.
    pub pulls: usize,
    /// kep.yaml files gathered.
    pub keps: usize,
    /// CRI-O pull requests gathered.
    pub crio_pulls: usize,
    /// CRI-O releases gathered.
    pub crio_releases: usize,
    /// Whether Kubernetes' feature-gate history was gathered.
    pub feature_gates: bool,
    /// Sources answered "not modified" and taken from the previous snapshot.
    pub unchanged: Vec<&'static str>,
    /// What could not be gathered although the fetch succeeded (a search
    /// beyond GitHub's 1,000 results, a configured PR that is none); also
    /// printed, `-q` or not.
    pub warnings: Vec<String>,
}

/// The ETags of the last successful fetch, and the blob ids of the
/// kep.yaml files it read.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    version: u32,
    etags: BTreeMap<String, String>,
    kep_blobs: BTreeMap<String, String>,
    /// Per source, the mark the last fetch read (see `watermarks`), with
    /// the configuration it was read under.
    #[serde(default)]
    watermarks: BTreeMap<String, String>,
    /// The newest change among the tracking repository's issues at the
    /// last fetch: where an incremental refresh starts.
    #[serde(default)]
    issues_since: Option<String>,
}

/// The cache file next to a snapshot: `snapshot.json` → `snapshot.fetch-cache.json`.
pub fn cache_path(snapshot: &Path) -> PathBuf {
    let stem = snapshot
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "snapshot".into());
    snapshot.with_file_name(format!("{stem}.fetch-cache.json"))
}

/// Runs a fetch and writes the snapshot and cache.
pub fn run(opts: FetchOptions) -> Result<Summary> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // octocrab's service stack needs the runtime when it is built.
    let _guard = runtime.enter();
    let client = Client::new(opts.client.clone())?;
    let cache_file = cache_path(&opts.out);
    // The previous snapshot is reused only if it came from a fetch too.
    let previous = Snapshot::read(&opts.out)
        .ok()
        .filter(|s| s.source.kind == SourceKind::Fetch);
    let cache: Cache = match &previous {
        Some(_) => std::fs::read(&cache_file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|c: &Cache| c.version == 1)
            .unwrap_or_default(),
        None => Cache::default(),
    };
    let progress = Progress::new(opts.quiet);
    let result = runtime.block_on(gather(
        &client,
        &opts.config,
        previous.as_ref(),
        &cache,
        &progress,
    ));
    progress.finish();
    let g = result.map_err(|e| anyhow!(client.redact(format!("{e:#}"))))?;
    g.snapshot.write(&opts.out)?;
    let mut bytes = serde_json::to_vec_pretty(&g.cache).context("serialising the fetch cache")?;
    bytes.push(b'\n');
    crate::fsutil::write_atomic(&cache_file, &bytes)?;
    let warnings: Vec<String> = g.warnings.into_iter().map(|w| client.redact(w)).collect();
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    let s = &g.snapshot;
    Ok(Summary {
        stats: client.stats(),
        issues: s.issues.len(),
        pulls: s.pulls.len(),
        keps: s.keps.len(),
        crio_pulls: s.crio_pulls.len(),
        crio_releases: s.crio_releases.len(),
        feature_gates: s.feature_gates.is_some(),
        unchanged: g.unchanged,
        warnings,
    })
}

/// Plain progress lines, or a spinner on a terminal; nothing with `-q`.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Progress { bar, quiet }
    }
    fn step(&self, msg: String) {
        match &self.bar {
            Some(b) => b.set_message(msg),
            None if !self.quiet => eprintln!("fetch: {msg}"),
            None => {}
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// What a successful gathering gives.
struct Gathered {
    snapshot: Snapshot,
    /// The cache this fetch writes.
    cache: Cache,
    /// Sources taken from the previous snapshot.
    unchanged: Vec<&'static str>,
    /// What could not be gathered; see [`Summary::warnings`].
    warnings: Vec<String>,
}

async fn gather(
    c: &Client,
    cfg: &Config,
    prev: Option<&Snapshot>,
    old: &Cache,
    p: &Progress,
) -> Result<Gathered> {
    let (marks, issues_since) = watermarks(c, cfg, p).await;
    let mut probes = Probes {
        c,
        prev,
        old,
        cache: Cache {
            version: 1,
            watermarks: marks.clone(),
            issues_since,
            ..Cache::default()
        },
        unchanged: Vec::new(),
        marks,
    };
    let tracking = gather_tracking(&mut probes, cfg, p).await?;

    // kep.yaml files.
    let (keps, kep_errors, enh_commit) = fetch_keps(&mut probes, cfg, p).await?;

    // Kubernetes .0 releases, for each minor the KEPs name.
    let (k_owner, k_name) = split_repo(&cfg.kubernetes_repo)
        .ok_or_else(|| anyhow!("kubernetes_repo is not owner/name"))?;
    p.step(format!("releases of {}", cfg.kubernetes_repo));
    let path = format!("/repos/{k_owner}/{k_name}/releases?per_page=1");
    let kubernetes_releases = match probes
        .ask("k8s_releases", "Kubernetes releases", &path)
        .await?
    {
        Probe::Unchanged(prev) => prev.kubernetes_releases.clone(),
        Probe::Changed(_) => fetch_k8s_releases(c, k_owner, k_name, &keps).await?,
    };

    let runtime = gather_runtime(&mut probes, cfg, p).await?;

    let snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        generated_at: chrono::Utc::now(),
        source: fetched_source(cfg, enh_commit),
        tracking_repo: cfg.tracking_repo.clone(),
        enhancements: crate::links::Enhancements {
            repo: cfg.enhancements_repo.clone(),
            branch: cfg.enhancements_branch.clone(),
            keps_dir: cfg.keps_dir.clone(),
        },
        issues: tracking.issues,
        pulls: tracking.pulls,
        issue_pr_links: tracking.links,
        keps,
        kep_errors,
        containerd_releases: tracking.releases,
        kubernetes_releases,
        containerd_releases_md: tracking.releases_md,
        feature_gates: runtime.feature_gates,
        crio_pulls: runtime.crio_pulls,
        crio_releases: runtime.crio_releases,
        // The configuration's word, recorded as `import` does; `check`
        // reports those the data lacks.
        crio_kep_links: cfg.crio_kep_links(),
    };
    Ok(Gathered {
        snapshot,
        cache: probes.cache,
        unchanged: probes.unchanged,
        warnings: tracking
            .warnings
            .into_iter()
            .chain(runtime.warnings)
            .collect(),
    })
}

/// The tracking repository's facts.
struct Tracking {
    issues: Vec<Issue>,
    pulls: Vec<PullRequest>,
    links: Vec<IssuePrLink>,
    releases: Vec<Release>,
    releases_md: Option<String>,
    /// What could not be gathered.
    warnings: Vec<String>,
}

async fn gather_tracking(probes: &mut Probes<'_>, cfg: &Config, p: &Progress) -> Result<Tracking> {
    let c = probes.c;
    let (owner, name) =
        split_repo(&cfg.tracking_repo).ok_or_else(|| anyhow!("tracking_repo is not owner/name"))?;

    // Issues, with the pull requests their timelines link.
    p.step(format!("issues of {}", cfg.tracking_repo));
    let path =
        format!("/repos/{owner}/{name}/issues?state=all&sort=updated&direction=desc&per_page=1");
    let mut warnings = Vec::new();
    let (issues, pulls, links) = match probes.ask("issues", "issues", &path).await? {
        Probe::Unchanged(prev) => (
            prev.issues.clone(),
            prev.pulls.clone(),
            prev.issue_pr_links.clone(),
        ),
        Probe::Changed(_) => match probes.incremental() {
            Some((prev, since)) => refresh_issues(c, cfg, p, prev, &since, &mut warnings).await?,
            None => fetch_issues(c, cfg, p, &mut warnings).await?,
        },
    };

    // containerd releases.
    p.step(format!("releases of {}", cfg.tracking_repo));
    let path = format!("/repos/{owner}/{name}/releases?per_page=1");
    let releases = match probes.ask("releases", "containerd releases", &path).await? {
        Probe::Unchanged(prev) => prev.containerd_releases.clone(),
        Probe::Changed(_) => fetch_releases(c, owner, name, p).await?,
    };

    // RELEASES.md: the probe's answer is the file itself.
    let path = format!("/repos/{owner}/{name}/contents/{}", cfg.releases_md);
    let releases_md = match probes.ask("releases_md", "RELEASES.md", &path).await? {
        Probe::Unchanged(prev) => prev.containerd_releases_md.clone(),
        Probe::Changed(body) => Some(
            contents_text(&body)
                .context("RELEASES.md: the contents answer is not the JSON expected")?,
        ),
    };
    Ok(Tracking {
        issues,
        pulls,
        links,
        releases,
        releases_md,
        warnings,
    })
}

/// The runtime-readiness facts: what `import` takes with
/// `--feature-gates`, `--crio-releases` and `--crio-pulls`.
struct Runtime {
    feature_gates: Option<String>,
    crio_releases: Vec<Release>,
    crio_pulls: Vec<PullRequest>,
    warnings: Vec<String>,
}

async fn gather_runtime(probes: &mut Probes<'_>, cfg: &Config, p: &Progress) -> Result<Runtime> {
    let feature_gates = Some(fetch_feature_gates(probes, cfg, p).await?);

    // CRI-O releases, as containerd's.
    let (owner, name) =
        split_repo(&cfg.crio_repo).ok_or_else(|| anyhow!("crio_repo is not owner/name"))?;
    p.step(format!("releases of {}", cfg.crio_repo));
    let path = format!("/repos/{owner}/{name}/releases?per_page=1");
    let crio_releases = match probes.ask("crio_releases", "CRI-O releases", &path).await? {
        Probe::Unchanged(prev) => prev.crio_releases.clone(),
        Probe::Changed(_) => fetch_releases(probes.c, owner, name, p).await?,
    };

    let (crio_pulls, warnings) = match probes
        .prev
        .filter(|_| probes.marked_unchanged("crio_pulls"))
    {
        Some(prev) => {
            probes.unchanged.push("CRI-O pull requests");
            (prev.crio_pulls.clone(), Vec::new())
        }
        None => crio::fetch_pulls(probes.c, cfg, p).await?,
    };
    Ok(Runtime {
        feature_gates,
        crio_releases,
        crio_pulls,
        warnings,
    })
}

/// Kubernetes' `versioned_feature_list.yaml`, as written: one contents
/// request, conditional like RELEASES.md. Missing, or not a feature-gate
/// list, is an error naming the repository and the path.
async fn fetch_feature_gates(
    probes: &mut Probes<'_>,
    cfg: &Config,
    p: &Progress,
) -> Result<String> {
    let (owner, name) = split_repo(&cfg.kubernetes_repo)
        .ok_or_else(|| anyhow!("kubernetes_repo is not owner/name"))?;
    let file = cfg.feature_gates_path.trim_matches('/');
    let place = format!("{file} of {}", cfg.kubernetes_repo);
    p.step(format!("feature gates: {place}"));
    let path = format!("/repos/{owner}/{name}/contents/{file}");
    // Keyed by the path too: another feature_gates_path is another file.
    let key = format!("feature_gates:{file}");
    let answer = probes
        .ask(&key, "feature gates", &path)
        .await
        .with_context(|| {
            format!("feature gates: cannot read {place} (feature_gates_path in kepboard.toml)")
        })?;
    let body = match answer {
        Probe::Unchanged(prev) => match &prev.feature_gates {
            Some(t) => return Ok(t.clone()),
            // Unchanged, yet not in the previous snapshot: ask again in full.
            None => probes.c.get(&path, None, "feature gates").await?.body,
        },
        Probe::Changed(body) => body,
    };
    let text = contents_text(&body).with_context(|| {
        format!("feature gates: {place}: the contents answer is not the JSON expected")
    })?;
    crate::gates::FeatureGates::parse(&text)
        .map_err(|e| anyhow!("feature gates: {place} is not a feature-gate list: {e}"))?;
    Ok(text)
}

/// Where a fetched snapshot's facts came from, for the site's footer.
fn fetched_source(cfg: &Config, enhancements_commit: Option<String>) -> Source {
    let mut keps = format!(
        "keps: {} {}",
        cfg.enhancements_repo, cfg.enhancements_branch
    );
    if let Some(sha) = enhancements_commit {
        keps.push_str(&format!(" at {sha}"));
    }
    Source {
        kind: SourceKind::Fetch,
        details: vec![
            format!("issues, pulls, releases: {}", cfg.tracking_repo),
            keps,
            format!("kubernetes releases: {}", cfg.kubernetes_repo),
            format!(
                "feature gates: {} {}",
                cfg.kubernetes_repo,
                cfg.feature_gates_path.trim_matches('/')
            ),
            format!("CRI-O pulls, releases: {}", cfg.crio_repo),
        ],
        whole_bodies: true,
    }
}

/// The conditional first request of each source, and what it decided.
struct Probes<'a> {
    c: &'a Client,
    prev: Option<&'a Snapshot>,
    old: &'a Cache,
    /// The cache this fetch will write.
    cache: Cache,
    /// Sources whose facts were taken from the previous snapshot.
    unchanged: Vec<&'static str>,
    /// This fetch's watermarks (see [`watermarks`]).
    marks: BTreeMap<String, String>,
}

enum Probe<'a> {
    /// 304, and a previous snapshot to take the facts from.
    Unchanged(&'a Snapshot),
    /// Fetch it; the probe's answer body.
    Changed(String),
}

impl<'a> Probes<'a> {
    /// GETs `path` with the ETag the last fetch saw for `key`.
    async fn ask(&mut self, key: &str, label: &'static str, path: &str) -> Result<Probe<'a>> {
        if let Some(prev) = self.prev.filter(|_| self.marked_unchanged(key)) {
            // Unchanged by its watermark: no request at all, whatever the
            // token; the ETag is kept for a token that stays.
            if let Some(e) = self.old.etags.get(key) {
                self.cache.etags.insert(key.to_string(), e.clone());
            }
            self.unchanged.push(label);
            return Ok(Probe::Unchanged(prev));
        }
        let etag = self.old.etags.get(key).map(String::as_str);
        let r = self
            .c
            .get(path, etag, &format!("{label} (changed?)"))
            .await?;
        if let Some(e) = &r.etag {
            self.cache.etags.insert(key.to_string(), e.clone());
        }
        match self.prev.filter(|_| r.not_modified()) {
            Some(prev) => {
                self.unchanged.push(label);
                Ok(Probe::Unchanged(prev))
            }
            None => Ok(Probe::Changed(r.body)),
        }
    }
}

impl<'a> Probes<'a> {
    /// The previous snapshot and where its issues' changes end, when an
    /// incremental refresh of the issues can start from it: same
    /// configuration, a previous fetch with watermarks.
    fn incremental(&self) -> Option<(&'a Snapshot, String)> {
        let digest = |m: Option<&String>| m.and_then(|m| m.rsplit(' ').next().map(String::from));
        let same_config = digest(self.marks.get("issues"))
            .is_some_and(|d| Some(d) == digest(self.old.watermarks.get("issues")));
        let since = self.old.issues_since.clone()?;
        (same_config).then_some((self.prev?, since))
    }

    /// Whether source `key`'s watermark is the one the last fetch read.
    fn marked_unchanged(&self, key: &str) -> bool {
        matches!(
            (self.marks.get(key), self.old.watermarks.get(key)),
            (Some(new), Some(old)) if new == old
        )
    }
}

/// Every source's watermark, each with a digest of the configuration (a
/// changed search or table is a change too). One GraphQL request, about a
/// point. A failure is not fatal: the fetch goes on without marks.
async fn watermarks(
    c: &Client,
    cfg: &Config,
    p: &Progress,
) -> (BTreeMap<String, String>, Option<String>) {
    use std::hash::{Hash, Hasher};
    p.step("what changed since the last fetch".into());
    let split = |r: &str| split_repo(r).map(|(o, n)| (o.to_string(), n.to_string()));
    let (Some(t), Some(e), Some(k), Some(o)) = (
        split(&cfg.tracking_repo),
        split(&cfg.enhancements_repo),
        split(&cfg.kubernetes_repo),
        split(&cfg.crio_repo),
    ) else {
        return (BTreeMap::new(), None);
    };
    let file = cfg.feature_gates_path.trim_matches('/');
    let vars = json!({
        "owner": t.0, "name": t.1, "releasesMd": format!("HEAD:{}", cfg.releases_md),
        "enhOwner": e.0, "enhName": e.1, "enhRef": format!("refs/heads/{}", cfg.enhancements_branch),
        "kepsDir": cfg.keps_dir.trim_matches('/'),
        "k8sOwner": k.0, "k8sName": k.1, "gates": format!("HEAD:{file}"),
        "crioOwner": o.0, "crioName": o.1,
    });
    let data = match c.graphql("watermarks", graphql::WATERMARKS, vars).await {
        Ok(d) => d,
        Err(e) => {
            eprintln!("fetch: no watermarks ({e:#}); every source is asked");
            return (BTreeMap::new(), None);
        }
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{cfg:?}").hash(&mut h);
    let digest = format!("{:016x}", h.finish());
    let marks = graphql::watermarks(&data, &format!("feature_gates:{file}"))
        .into_iter()
        .map(|(k, v)| (k, format!("{v} {digest}")))
        .collect();
    let since = data
        .pointer("/tracking/issues/nodes/0/updatedAt")
        .and_then(Value::as_str)
        .map(String::from);
    (marks, since)
}

/// Follows a GraphQL connection's pages; fails on a cursor that repeats.
async fn pages(
    c: &Client,
    what: &str,
    doc: &str,
    vars: Value,
    connection: &str,
    mut each: impl FnMut(&Value) -> Result<()>,
) -> Result<()> {
    // `vars.cursor` may start after a page already read.
    let mut cursor: Option<String> = vars.get("cursor").and_then(Value::as_str).map(String::from);
    let mut seen = BTreeSet::new();
    for page in 1..=MAX_PAGES {
        let mut v = vars.clone();
        v["cursor"] = cursor.clone().map(Value::String).unwrap_or(Value::Null);
        let data = match c
            .graphql(&format!("{what}, page {page}"), doc, v.clone())
            .await
        {
            Err(e) if e.is::<client::TooBig>() && doc.contains("$first: Int") => {
                // Once, with half the page: GitHub's timeouts and resource
                // limits grow with the page.
                v["first"] = json!(SMALLER_PAGE);
                c.graphql(
                    &format!("{what}, page {page}, {SMALLER_PAGE} a page"),
                    doc,
                    v,
                )
                .await
                .with_context(|| format!("{what}: failed again with a page of {SMALLER_PAGE}"))?
            }
            other => other?,
        };
        let conn = data
            .pointer(connection)
            .ok_or_else(|| anyhow!("{what}, page {page}: the answer has no {connection}"))?;
        let nodes = conn
            .get("nodes")
            .and_then(Value::as_array)
            .ok_or_else(|| anyhow!("{what}, page {page}: the answer has no nodes"))?;
        for n in nodes {
            each(n)?;
        }
        let info = conn.get("pageInfo");
        let more = info
            .and_then(|i| i.get("hasNextPage"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if !more {
            return Ok(());
        }
        let next = info
            .and_then(|i| i.get("endCursor"))
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("{what}, page {page}: more pages announced but no cursor"))?
            .to_string();
        if !seen.insert(next.clone()) {
            bail!("{what}, page {page}: the page cursor {next:?} repeats; stopping instead of looping");
        }
        cursor = Some(next);
    }
    bail!("{what}: more than {MAX_PAGES} pages; stopping")
}

/// What the issue searches gathered: issues, the PRs their timelines link,
/// and commits whose merged PRs are still to be looked up.
#[derive(Default)]
struct IssueLinks {
    issues: BTreeMap<u64, Issue>,
    pulls: BTreeMap<u64, PullRequest>,
    links: BTreeSet<IssuePrLink>,
    /// Commit id → the issues it closed or referenced, and how.
    commits: BTreeMap<String, BTreeSet<(u64, crate::snapshot::LinkKind)>>,
    /// Every issue the searches returned, kept or not.
    seen: BTreeSet<u64>,
}

impl IssueLinks {
    fn add(&mut self, issue: u64, found: graphql::Links) {
        for (pr, kind) in found.pulls {
            self.link(issue, pr, kind);
        }
        for (oid, kind) in found.commits {
            self.commits.entry(oid).or_default().insert((issue, kind));
        }
    }

    fn into_lists(self) -> (Vec<Issue>, Vec<PullRequest>, Vec<IssuePrLink>) {
        (
            self.issues.into_values().collect(),
            self.pulls.into_values().collect(),
            self.links.into_iter().collect(),
        )
    }

    fn link(&mut self, issue: u64, pr: PullRequest, kind: crate::snapshot::LinkKind) {
        self.links.insert(IssuePrLink {
            issue,
            pull: pr.number,
            kind,
        });
        self.pulls.insert(pr.number, pr);
    }
}

async fn fetch_issues(
    c: &Client,
    cfg: &Config,
    p: &Progress,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Issue>, Vec<PullRequest>, Vec<IssuePrLink>)> {
    let mut got = IssueLinks::default();
    search_issues(c, cfg, p, &cfg.searches(), None, &mut got).await?;
    kep_pulls(c, cfg, p, &mut got, warnings).await?;
    Ok(got.into_lists())
}

/// Runs issue searches (`first`: the page size, 100 when `None`), keeps
/// the issues the tracking-issue rule keeps, with what their whole
/// timelines link; records every issue number seen in `got.seen`.
async fn search_issues(
    c: &Client,
    cfg: &Config,
    p: &Progress,
    queries: &[String],
    first: Option<u32>,
    got: &mut IssueLinks,
) -> Result<()> {
    // Issues whose timeline has more than the first page: (number, cursor).
    let mut longer: BTreeMap<u64, String> = BTreeMap::new();
    for (i, query) in queries.iter().enumerate() {
        p.step(format!("issue search {}/{}: {query}", i + 1, queries.len()));
        let mut vars = json!({ "query": query });
        if let Some(f) = first {
            vars["first"] = json!(f);
        }
        pages(
            c,
            &format!("issue search {query:?}"),
            graphql::ISSUES,
            vars,
            "/search",
            |node| {
                let Some((issue, found)) = graphql::issue(node, &cfg.tracking_repo)? else {
                    return Ok(());
                };
                got.seen.insert(issue.number);
                // The tracking-issue rule decides what is kept.
                if tracking::classify(&issue.title, issue.body.as_deref().unwrap_or(""))
                    == IssueKind::Unrelated
                {
                    return Ok(());
                }
                if let Some(cursor) = more_timeline(node) {
                    longer.insert(issue.number, cursor);
                }
                got.add(issue.number, found);
                got.issues.insert(issue.number, issue);
                Ok(())
            },
        )
        .await?;
    }
    for (number, cursor) in longer {
        p.step(format!("the rest of the timeline of issue #{number}"));
        got.add(number, rest_of_timeline(c, cfg, number, cursor).await?);
    }
    commit_pulls(c, cfg, p, got).await
}

/// Issues changed since the last fetch, merged into its snapshot: one
/// search `updated:>=` the last fetch's newest change (small pages: each
/// costs about a point), the KEP PR searches again, and the pull requests
/// of the previous snapshot not merged or closed yet, by number.
async fn refresh_issues(
    c: &Client,
    cfg: &Config,
    p: &Progress,
    prev: &Snapshot,
    since: &str,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Issue>, Vec<PullRequest>, Vec<IssuePrLink>)> {
    let query = format!("repo:{} is:issue updated:>={since}", cfg.tracking_repo);
    let mut fresh = IssueLinks::default();
    search_issues(c, cfg, p, &[query], Some(INCREMENTAL_PAGE), &mut fresh).await?;
    let mut got = IssueLinks::default();
    for i in prev
        .issues
        .iter()
        .filter(|i| !fresh.seen.contains(&i.number))
    {
        got.issues.insert(i.number, i.clone());
    }
    got.links = prev
        .issue_pr_links
        .iter()
        .filter(|l| !fresh.seen.contains(&l.issue))
        .cloned()
        .collect();
    got.pulls = prev
        .pulls
        .iter()
        .map(|pr| (pr.number, pr.clone()))
        .collect();
    got.issues.extend(fresh.issues);
    got.links.extend(fresh.links);
    got.pulls.extend(fresh.pulls);
    let open: Vec<u64> = got
        .pulls
        .values()
        .filter(|pr| pr.merged_at.is_none() && pr.state == crate::github::State::Open)
        .map(|pr| pr.number)
        .collect();
    let repo =
        split_repo(&cfg.tracking_repo).ok_or_else(|| anyhow!("tracking_repo is not owner/name"))?;
    for pr in crio::pulls_by_number(
        c,
        repo,
        &open,
        "open pull requests linked before",
        p,
        warnings,
    )
    .await?
    {
        got.pulls.insert(pr.number, pr);
    }
    kep_pulls(c, cfg, p, &mut got, warnings).await?;
    Ok(got.into_lists())
}

/// The cursor after the first page of an issue node's timeline, when
/// GitHub says there is more.
fn more_timeline(node: &Value) -> Option<String> {
    let info = node.pointer("/timelineItems/pageInfo")?;
    match info.get("hasNextPage").and_then(Value::as_bool) {
        Some(true) => info.get("endCursor")?.as_str().map(String::from),
        _ => None,
    }
}

/// What the rest of issue `number`'s timeline links, page by page from
/// `cursor`: a busy issue keeps its newest links.
async fn rest_of_timeline(
    c: &Client,
    cfg: &Config,
    number: u64,
    cursor: String,
) -> Result<graphql::Links> {
    let (owner, name) =
        split_repo(&cfg.tracking_repo).ok_or_else(|| anyhow!("tracking_repo is not owner/name"))?;
    let mut out = graphql::Links::default();
    pages(
        c,
        &format!("timeline of issue #{number}"),
        graphql::ISSUE_TIMELINE,
        json!({"owner": owner, "name": name, "number": number, "cursor": cursor}),
        "/repository/issue/timelineItems",
        |item| {
            let found = graphql::timeline_links(std::slice::from_ref(item), &cfg.tracking_repo)?;
            out.pulls.extend(found.pulls);
            out.commits.extend(found.commits);
            Ok(())
        },
    )
    .await?;
    Ok(out)
}

/// The tracking repository's PRs that name a KEP (`pull_searches`),
/// linked from a tracking issue or not: the model joins them by the KEP
/// their title or branch names, as `import --pulls` does.
async fn kep_pulls(
    c: &Client,
    cfg: &Config,
    p: &Progress,
    got: &mut IssueLinks,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let queries = cfg.pull_searches();
    let hits = crio::search_all(c, "KEP pull request search", &queries, p, warnings).await?;
    for (query, nodes) in queries.iter().zip(hits) {
        for node in &nodes {
            let hit = graphql::pull_with_references(node, &cfg.tracking_repo)
                .map_err(|e| anyhow!("KEP pull request search {query:?}: {e}"))?;
            if let Some(h) = hit {
                // The search's copy is newer than a previous snapshot's.
                got.pulls.insert(h.pull.number, h.pull);
            }
        }
    }
    Ok(())
}

/// Links each issue to the merged PRs of the commits that closed or
/// referenced it, COMMIT_BATCH commits a request.
async fn commit_pulls(c: &Client, cfg: &Config, p: &Progress, got: &mut IssueLinks) -> Result<()> {
    let (owner, name) =
        split_repo(&cfg.tracking_repo).ok_or_else(|| anyhow!("tracking_repo is not owner/name"))?;
    let commits: Vec<(String, BTreeSet<(u64, crate::snapshot::LinkKind)>)> =
        std::mem::take(&mut got.commits).into_iter().collect();
    for (i, batch) in commits.chunks(COMMIT_BATCH).enumerate() {
        p.step(format!("pull requests of commits, batch {}", i + 1));
        let mut vars = json!({"owner": owner, "name": name});
        for (j, (oid, _)) in batch.iter().enumerate() {
            vars[format!("c{j}")] = json!(oid);
        }
        let what = format!(
            "pull requests of the commits that closed or referenced issues, batch {}",
            i + 1
        );
        let data = c
            .graphql(&what, &graphql::commit_pulls(batch.len()), vars)
            .await?;
        for (j, (_, issues)) in batch.iter().enumerate() {
            let Some(node) = data
                .pointer(&format!("/repository/k{j}"))
                .filter(|n| !n.is_null())
            else {
                continue;
            };
            for pr in graphql::commit_pull_requests(node)? {
                for (issue, kind) in issues {
                    got.link(*issue, pr.clone(), *kind);
                }
            }
        }
    }
    Ok(())
}

async fn fetch_releases(c: &Client, owner: &str, name: &str, p: &Progress) -> Result<Vec<Release>> {
    p.step(format!("release pages of {owner}/{name}"));
    let mut out = Vec::new();
    pages(
        c,
        &format!("releases of {owner}/{name}"),
        graphql::RELEASES,
        json!({"owner": owner, "name": name}),
        "/repository/releases",
        |n| {
            out.extend(graphql::release(n));
            Ok(())
        },
    )
    .await?;
    Ok(out)
}

/// The text of a REST contents answer (base64 `content`).
fn contents_text(body: &str) -> Result<String> {
    let v: Value = serde_json::from_str(body)?;
    match v.get("encoding").and_then(Value::as_str) {
        None | Some("base64") => {}
        // Files over 1 MB come without their content.
        Some(other) => bail!("GitHub gives no content for it (encoding {other:?}; over 1 MB?)"),
    }
    let b64: String = v
        .get("content")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("no content field"))?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let bytes = base64_decode(&b64).ok_or_else(|| anyhow!("content is not base64"))?;
    String::from_utf8(bytes).map_err(|_| anyhow!("content is not UTF-8"))
}

/// Standard base64 without padding checks beyond what decoding needs.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let s = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= val(*c)? << (18 - 6 * i);
        }
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        match chunk.len() {
            4 => out.extend_from_slice(&bytes),
            3 => out.extend_from_slice(&bytes[..2]),
            2 => out.push(bytes[0]),
            _ => return None,
        }
    }
    Some(out)
}

async fn fetch_keps(
    probes: &mut Probes<'_>,
    cfg: &Config,
    p: &Progress,
) -> Result<(Vec<KepFile>, Vec<LoadError>, Option<String>)> {
    let (owner, name) = split_repo(&cfg.enhancements_repo)
        .ok_or_else(|| anyhow!("enhancements_repo is not owner/name"))?;
    let branch = &cfg.enhancements_branch;
    let dir = cfg.keps_dir.trim_matches('/');
    p.step(format!("kep.yaml files of {owner}/{name}"));
    let path = format!("/repos/{owner}/{name}/commits?path={dir}&sha={branch}&per_page=1");
    let body = match probes.ask("keps", "kep.yaml files", &path).await? {
        Probe::Unchanged(prev) => {
            probes.cache.kep_blobs = probes.old.kep_blobs.clone();
            let sha = prev
                .source
                .details
                .iter()
                .find_map(|d| d.split(" at ").nth(1).map(String::from));
            return Ok((prev.keps.clone(), prev.kep_errors.clone(), sha));
        }
        Probe::Changed(body) => body,
    };
    let commit = serde_json::from_str::<Value>(&body).ok().and_then(|v| {
        v.pointer("/0/sha")
            .and_then(Value::as_str)
            .map(String::from)
    });
    let (c, prev, old) = (probes.c, probes.prev, probes.old);
    let wanted = kep_yaml_blobs(c, owner, name, branch, dir).await?;

    // Unchanged blobs are taken from the previous snapshot.
    let prev_files: BTreeMap<&str, &KepFile> = prev
        .iter()
        .flat_map(|s| &s.keps)
        .map(|k| (k.path.as_str(), k))
        .collect();
    let mut files: Vec<KepFile> = Vec::new();
    let mut errors: Vec<LoadError> = Vec::new();
    let mut to_read: Vec<(String, String)> = Vec::new();
    for (path, sha) in wanted {
        match (old.kep_blobs.get(&path), prev_files.get(path.as_str())) {
            (Some(old_sha), Some(f)) if *old_sha == sha => files.push((*f).clone()),
            _ => to_read.push((path.clone(), sha.clone())),
        }
        probes.cache.kep_blobs.insert(path, sha);
    }
    read_kep_blobs(c, owner, name, &to_read, p, &mut files, &mut errors).await?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, errors, commit))
}

/// Every `kep.yaml` under `dir` of the enhancements tree, as (path under
/// `dir`, blob sha), in path order.
async fn kep_yaml_blobs(
    c: &Client,
    owner: &str,
    name: &str,
    branch: &str,
    dir: &str,
) -> Result<Vec<(String, String)>> {
    let tree = c
        .get(
            &format!("/repos/{owner}/{name}/git/trees/{branch}?recursive=1"),
            None,
            "tree of kep.yaml files",
        )
        .await?;
    let tree: Value = serde_json::from_str(&tree.body)
        .context("tree of kep.yaml files: the answer is not the JSON expected")?;
    if tree.get("truncated").and_then(Value::as_bool) == Some(true) {
        bail!(
            "tree of {owner}/{name}: GitHub truncated the listing; too many files for one request"
        );
    }
    let prefix = format!("{dir}/");
    let mut wanted: Vec<(String, String)> = tree
        .get("tree")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("tree of {owner}/{name}: no tree in the answer"))?
        .iter()
        .filter(|e| e.get("type").and_then(Value::as_str) == Some("blob"))
        .filter_map(|e| {
            Some((
                e.get("path")?.as_str()?.to_string(),
                e.get("sha")?.as_str()?.to_string(),
            ))
        })
        .filter(|(path, _)| path.starts_with(&prefix) && (path.ends_with("/kep.yaml")))
        .map(|(path, sha)| (path[prefix.len()..].to_string(), sha))
        .collect();
    wanted.sort();
    Ok(wanted)
}

/// Reads the texts of `to_read` (path, blob sha) in GraphQL batches and
/// parses them; a text that is missing or truncated is an error naming it.
async fn read_kep_blobs(
    c: &Client,
    owner: &str,
    name: &str,
    to_read: &[(String, String)],
    p: &Progress,
    files: &mut Vec<KepFile>,
    errors: &mut Vec<LoadError>,
) -> Result<()> {
    for (i, batch) in to_read.chunks(BLOB_BATCH).enumerate() {
        p.step(format!(
            "kep.yaml texts, batch {}/{}",
            i + 1,
            to_read.len().div_ceil(BLOB_BATCH)
        ));
        let mut vars = json!({"owner": owner, "name": name});
        for (j, (_, sha)) in batch.iter().enumerate() {
            vars[format!("o{j}")] = json!(sha);
        }
        let data = c
            .graphql(
                &format!("kep.yaml texts, batch {}", i + 1),
                &graphql::kep_blobs(batch.len()),
                vars,
            )
            .await?;
        for (j, (path, _)) in batch.iter().enumerate() {
            let blob = data
                .pointer(&format!("/repository/b{j}"))
                .filter(|b| !b.is_null());
            let text = blob.and_then(|b| b.get("text")).and_then(Value::as_str);
            let truncated = blob
                .and_then(|b| b.get("isTruncated"))
                .and_then(Value::as_bool)
                == Some(true);
            match (text, truncated) {
                (Some(t), false) => match kep::parse_file(path, t) {
                    Ok(f) => files.push(f),
                    Err(e) => errors.push(e),
                },
                _ => errors.push(LoadError {
                    path: path.clone(),
                    message: format!(
                        "{path}: no text in the answer (missing, binary or truncated)"
                    ),
                }),
            }
        }
    }
    Ok(())
}

async fn fetch_k8s_releases(
    c: &Client,
    owner: &str,
    name: &str,
    keps: &[KepFile],
) -> Result<Vec<Release>> {
    // Every minor from 1.0 to one past the newest release: what exists.
    // Without a latest release, to one past the newest a KEP names, within
    // a bound (a typo such as v1.999 must not make a query of 1,000 fields).
    let latest = c
        .graphql(
            "latest Kubernetes release",
            graphql::LATEST_RELEASE,
            json!({"owner": owner, "name": name}),
        )
        .await?
        .pointer("/repository/latestRelease/tagName")
        .and_then(Value::as_str)
        .and_then(K8sRelease::parse)
        .filter(|r| r.major == 1);
    let top = match latest {
        Some(l) => l.minor,
        None => newest_named(keps).minor.min(MAX_K8S_MINOR),
    };
    let tags: Vec<String> = (0..=top + 1).map(|m| format!("v1.{m}.0")).collect();
    let mut vars = json!({"owner": owner, "name": name});
    for (i, t) in tags.iter().enumerate() {
        vars[format!("t{i}")] = json!(t);
    }
    let data = c
        .graphql(
            "Kubernetes .0 releases",
            &graphql::k8s_releases(tags.len()),
            vars,
        )
        .await?;
    Ok((0..tags.len())
        .filter_map(|i| {
            data.pointer(&format!("/repository/r{i}"))
                .and_then(graphql::release)
        })
        .collect())
}

/// The newest Kubernetes minor a kep.yaml names (1.0 without any).
fn newest_named(keps: &[KepFile]) -> K8sRelease {
    keps.iter()
        .filter_map(|k| k.milestone.as_ref())
        .flat_map(|m| [&m.alpha, &m.beta, &m.stable, &m.deprecated, &m.removed])
        .flatten()
        .chain(keps.iter().filter_map(|k| k.latest_milestone.as_ref()))
        .filter_map(|s| K8sRelease::parse(s))
        .filter(|r| r.major == 1)
        .max()
        .unwrap_or(K8sRelease::new(1, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_contents() {
        // "### Kubernetes Support\n" with GitHub's line breaks in the base64.
        let body = r#"{"content": "IyMjIEt1YmVy\nbmV0ZXMgU3VwcG9ydAo=\n", "encoding": "base64"}"#;
        assert_eq!(contents_text(body).unwrap(), "### Kubernetes Support\n");
        assert!(contents_text(r#"{"content": "!!!"}"#).is_err());
        assert!(contents_text("[]").is_err());
        let big = r#"{"content": "", "encoding": "none"}"#;
        assert!(contents_text(big)
            .unwrap_err()
            .to_string()
            .contains("over 1 MB"));
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
    }

    #[test]
    fn cache_sits_next_to_the_snapshot() {
        assert_eq!(
            cache_path(Path::new("content/snapshot.json")),
            Path::new("content/snapshot.fetch-cache.json")
        );
    }
}
