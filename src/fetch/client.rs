//! The HTTP side of `fetch`: one octocrab client, and the policy around
//! every request (kepboard owns it; octocrab's own retry layer is not
//! compiled in):
//!
//! - every request has a timeout;
//! - 5xx answers, connection errors and timeouts are retried with
//!   exponential backoff and jitter, a bounded number of times;
//! - 403/429 rate-limit answers wait for `Retry-After` or
//!   `x-ratelimit-reset` (primary and secondary limits), and so do GraphQL
//!   answers of 200 whose error is of type `RATE_LIMITED` (GitHub's way);
//! - REST goes to `api_url`, GraphQL exactly to `graphql_url`, both with
//!   the token, also on GitHub Enterprise Server (`/api/v3`, `/api/graphql`)
//!   or when GraphQL is on another host;
//! - all waiting together stays under `--max-wait`, else the request fails;
//! - any other failure names the request, the status and GitHub's message.
//!
//! It counts requests, and the 304 answers that cost no rate limit, and
//! keeps the last rate-limit figures for the summary. The token never
//! appears in anything it returns or prints.

use anyhow::{anyhow, bail, Result};
use http::header::{HeaderMap, HeaderValue, IF_NONE_MATCH};
use octocrab::Octocrab;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// An answer as octocrab hands it over, before its body is read.
type Answer = http::Response<http_body_util::combinators::BoxBody<bytes::Bytes, octocrab::Error>>;

/// How many times one request is tried before giving up.
const MAX_ATTEMPTS: u32 = 5;

/// How the client talks to GitHub.
#[derive(Debug, Clone)]
pub struct Options {
    /// REST base, e.g. `https://api.github.com` (no trailing slash needed).
    pub api_url: String,
    /// GraphQL endpoint, e.g. `https://api.github.com/graphql`.
    pub graphql_url: String,
    /// The token; never printed, logged or stored.
    pub token: Option<String>,
    /// Total time all retries and rate-limit waits of a fetch may take.
    pub max_wait: Duration,
    /// Time one request (answer and body) may take.
    pub timeout: Duration,
    /// Prints every request.
    pub verbose: bool,
    /// Prints nothing but errors (no retry notices).
    pub quiet: bool,
}

/// What the requests of a fetch cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// HTTP requests sent, retries included.
    pub requests: u32,
    /// Requests answered 304 Not Modified (free of rate limit).
    pub not_modified: u32,
    /// Requests retried after a transient failure.
    pub retries: u32,
    /// Time spent waiting for rate limits and backoff.
    pub waited: Duration,
    /// Per rate-limit resource (`core` for REST, `graphql`), the last
    /// (`x-ratelimit-remaining`, `x-ratelimit-limit`) GitHub sent.
    pub limits: std::collections::BTreeMap<String, (u64, Option<u64>)>,
    /// GraphQL requests sent (POST), retries included; the rest of
    /// `requests` are REST.
    pub graphql_requests: u32,
    /// GraphQL points spent, from each answer's `rateLimit.cost`.
    pub graphql_points: u64,
    /// GraphQL points left after the last answer (`rateLimit.remaining`).
    pub graphql_remaining: Option<u64>,
}

impl Stats {
    /// What the fetch cost, for people: REST requests (and how many were
    /// free 304 answers) and GraphQL points, each with what is left.
    pub fn cost_line(&self) -> String {
        let left = |resource: &str| match self.limits.get(resource) {
            Some((r, Some(l))) => format!("{r} of {l} left"),
            Some((r, None)) => format!("{r} left"),
            None => "left: not reported".into(),
        };
        let rest = self.requests.saturating_sub(self.graphql_requests);
        let graphql_left = match self.graphql_remaining {
            Some(r) => format!("{r} left"),
            None => left("graphql"),
        };
        format!(
            "{} requests ({} retries). REST: {rest} ({} answered 304 Not Modified, free), core rate limit {}. GraphQL: {} requests, {} points, {graphql_left}",
            self.requests,
            self.retries,
            self.not_modified,
            left("core"),
            self.graphql_requests,
            self.graphql_points
        )
    }
}

/// A successful (2xx or 304) REST answer.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The `ETag` header, for conditional requests next time.
    pub etag: Option<String>,
    /// The response body.
    pub body: String,
}

impl Response {
    /// `304 Not Modified`: the cached data is still current.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// The HTTP client with kepboard's retry and rate-limit policy.
pub struct Client {
    /// For REST, based at `api_url` (its path, `/api/v3` on GitHub
    /// Enterprise Server, prefixes every request path).
    octo: Octocrab,
    /// For GraphQL, based at the origin of `graphql_url` only: octocrab
    /// prefixes its base path to every request and sends the token only
    /// to its base host, so the REST client would post to
    /// `/api/v3/api/graphql`, or drop the token on another host.
    graphql_octo: Octocrab,
    opts: Options,
    stats: Mutex<Stats>,
}

/// Why one attempt failed, and whether trying again can help.
enum Failure {
    /// Retry after the backoff.
    Transient(String),
    /// Retry after exactly this long (rate limits).
    Wait(Duration, String),
    /// Give up now.
    Fatal(String),
}

impl Client {
    /// A client for `opts`; fails only on an unusable base URL or token.
    pub fn new(opts: Options) -> Result<Client> {
        let octo = octocrab_for(&opts, &opts.api_url, "API URL")?;
        let origin = origin(&opts.graphql_url)
            .ok_or_else(|| anyhow!("GraphQL URL {:?} is not a valid URL", opts.graphql_url))?;
        let graphql_octo = octocrab_for(&opts, &origin, "GraphQL URL")?;
        Ok(Client {
            octo,
            graphql_octo,
            opts,
            stats: Mutex::new(Stats::default()),
        })
    }

    /// The requests made so far, retries and rate limit.
    pub fn stats(&self) -> Stats {
        self.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// `GET {api}{path}`, conditional on `etag` when given. Returns 2xx or
    /// 304 answers; anything else is an error naming `what`.
    pub async fn get(&self, path: &str, etag: Option<&str>, what: &str) -> Result<Response> {
        let url = format!("{}{}", self.opts.api_url.trim_end_matches('/'), path);
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_static("application/vnd.github+json"),
        );
        if let Some(e) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
            headers.insert(IF_NONE_MATCH, e);
        }
        self.send(what, &format!("GET {url}"), || {
            let url = url.clone();
            let headers = headers.clone();
            async move {
                self.read(
                    self.octo
                        ._get_with_headers(url.as_str(), Some(headers))
                        .await?,
                )
                .await
            }
        })
        .await
    }

    /// A GraphQL query; returns its `data`. A reply with `errors`, or
    /// without data, is an error naming `what`.
    pub async fn graphql(&self, what: &str, query: &str, variables: Value) -> Result<Value> {
        let (data, _) = self
            .graphql_allowing(what, query, variables, |_| false)
            .await?;
        Ok(data)
    }

    /// Like [`Client::graphql`], but the errors `allowed` accepts (say,
    /// `NOT_FOUND` for one aliased field, which GitHub answers with `null`
    /// there and an error) come back beside the data instead of failing
    /// the request. Any other error still fails it.
    pub async fn graphql_allowing(
        &self,
        what: &str,
        query: &str,
        variables: Value,
        allowed: impl Fn(&Value) -> bool,
    ) -> Result<(Value, Vec<Value>)> {
        let url = self.opts.graphql_url.clone();
        let body = serde_json::json!({ "query": query, "variables": variables });
        let r = self
            .send(what, &format!("POST {url}"), || {
                let url = url.clone();
                let body = body.clone();
                async move {
                    self.read(self.graphql_octo._post(url.as_str(), Some(&body)).await?)
                        .await
                }
            })
            .await?;
        let mut v: Value = serde_json::from_str(&r.body)
            .map_err(|e| anyhow!("{what}: POST {url}: the answer is not the JSON expected: {e}"))?;
        // What the answer says it cost (GraphQL points, not requests).
        let cost = v.pointer("/data/rateLimit/cost").and_then(Value::as_u64);
        let remaining = v
            .pointer("/data/rateLimit/remaining")
            .and_then(Value::as_u64);
        self.bump(|s| {
            s.graphql_points += cost.unwrap_or(0);
            s.graphql_remaining = remaining.or(s.graphql_remaining);
        });
        let errors = match v.get_mut("errors").map(Value::take) {
            Some(Value::Array(errors)) => errors,
            _ => Vec::new(),
        };
        // Partial data with an error is never taken: the whole answer
        // fails, and a smaller page may be tried (see `TooBig`).
        if errors.iter().any(|e| !allowed(e)) {
            let msgs: Vec<String> = errors
                .iter()
                .map(|e| {
                    e.get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("(no message)")
                        .to_string()
                })
                .collect();
            let msg = format!(
                "{what}: POST {url}: GraphQL errors: {}",
                self.redact(msgs.join("; "))
            );
            if errors.iter().any(too_big) {
                return Err(TooBig(msg).into());
            }
            bail!(msg);
        }
        match v.get_mut("data") {
            Some(d) if !d.is_null() => Ok((d.take(), errors)),
            _ => bail!("{what}: POST {url}: the answer has no data"),
        }
    }

    /// Sends one request under the retry policy.
    async fn send<F, Fut>(&self, what: &str, line: &str, attempt_fn: F) -> Result<Response>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = octocrab::Result<(u16, HeaderMap, String)>>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let graphql = line.starts_with("POST ");
            self.bump(|s| {
                s.requests += 1;
                if graphql {
                    s.graphql_requests += 1;
                }
            });
            let outcome = match tokio::time::timeout(self.opts.timeout, attempt_fn()).await {
                Ok(Ok(answer)) => Ok(answer),
                Ok(Err(e)) => Err(Failure::Transient(self.redact(error_text(&e)))),
                Err(_) => Err(Failure::Transient(format!(
                    "no complete answer within {:?}",
                    self.opts.timeout
                ))),
            };
            let failure = match outcome {
                Ok((status, headers, body)) => {
                    self.note_rate(&headers);
                    if self.opts.verbose {
                        eprintln!("  {line} -> {status}");
                    }
                    match classify(status, &headers, &body) {
                        None => {
                            if status == 304 {
                                self.bump(|s| s.not_modified += 1);
                            }
                            let etag = headers
                                .get(http::header::ETAG)
                                .and_then(|v| v.to_str().ok())
                                .map(String::from);
                            return Ok(Response { status, etag, body });
                        }
                        Some(f) => f,
                    }
                }
                Err(f) => f,
            };
            let (wait, reason) = match failure {
                Failure::Fatal(msg) => bail!("{what}: {line}: {}", self.redact(msg)),
                Failure::Transient(msg) if attempt >= MAX_ATTEMPTS => {
                    bail!(
                        "{what}: {line}: {} (gave up after {attempt} attempts)",
                        self.redact(msg)
                    )
                }
                Failure::Transient(msg) => (backoff(attempt), msg),
                Failure::Wait(d, msg) => (d, msg),
            };
            let waited = self.stats().waited;
            if waited + wait > self.opts.max_wait {
                bail!(
                    "{what}: {line}: {} (waiting {:.0?} more would exceed --max-wait {:?})",
                    self.redact(reason),
                    wait,
                    self.opts.max_wait
                );
            }
            if !self.opts.quiet {
                eprintln!(
                    "  {what}: {} — retrying in {:.1?}",
                    self.redact(reason),
                    wait
                );
            }
            self.bump(|s| {
                s.retries += 1;
                s.waited += wait;
            });
            tokio::time::sleep(wait).await;
        }
    }

    /// Status, headers and the whole body of an answer.
    async fn read(&self, resp: Answer) -> octocrab::Result<(u16, HeaderMap, String)> {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = self.octo.body_to_string(resp).await?;
        Ok((status, headers, body))
    }

    fn bump(&self, f: impl FnOnce(&mut Stats)) {
        if let Ok(mut s) = self.stats.lock() {
            f(&mut s);
        }
    }

    fn note_rate(&self, h: &HeaderMap) {
        let num = |k: &str| {
            h.get(k)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok())
        };
        if let Some(rem) = num("x-ratelimit-remaining") {
            let limit = num("x-ratelimit-limit");
            let resource = h
                .get("x-ratelimit-resource")
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            self.bump(|s| {
                s.limits
                    .insert(resource.unwrap_or_else(|| "core".into()), (rem, limit));
            });
        }
    }

    /// Removes the token from any text that could be shown.
    pub fn redact(&self, s: String) -> String {
        match &self.opts.token {
            Some(t) if !t.is_empty() => s.replace(t.as_str(), "***"),
            _ => s,
        }
    }
}

/// A GraphQL answer that failed on a timeout or a resource limit GitHub
/// documents (partial data with an error): the same query with a smaller
/// page may pass. The text names the request.
#[derive(Debug)]
pub struct TooBig(pub String);

impl std::fmt::Display for TooBig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TooBig {}

/// Whether a GraphQL error is one a smaller page can avoid: a node or
/// resource limit, or GitHub's timeout.
fn too_big(e: &Value) -> bool {
    let kind = e.get("type").and_then(Value::as_str).unwrap_or("");
    let message = e
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(kind, "MAX_NODE_LIMIT_EXCEEDED" | "RESOURCE_LIMITS_EXCEEDED")
        || message.contains("couldn't respond to your request in time")
        || message.contains("timeout")
        || message.contains("timed out")
}

/// An octocrab client based at `base` with the token and timeouts of
/// `opts`; `what` names the URL in errors.
fn octocrab_for(opts: &Options, base: &str, what: &str) -> Result<Octocrab> {
    let mut b = Octocrab::builder()
        .set_connect_timeout(Some(opts.timeout))
        .set_read_timeout(Some(opts.timeout))
        .base_uri(base)
        .map_err(|_| anyhow!("{what} {base:?} is not a valid URL"))?;
    if let Some(t) = &opts.token {
        b = b.personal_token(t.clone());
    }
    b.build()
        .map_err(|e| anyhow!("cannot create the GitHub client for {what} {base:?}: {e}"))
}

/// `https://host:port` of an absolute URL, without its path.
fn origin(url: &str) -> Option<String> {
    let u: http::Uri = url.parse().ok()?;
    Some(format!("{}://{}", u.scheme_str()?, u.authority()?))
}

/// An error with its causes: octocrab's own message alone is often just
/// "Hyper error".
fn error_text(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        let c_text = c.to_string();
        if !s.contains(&c_text) {
            s.push_str(": ");
            s.push_str(&c_text);
        }
        src = c.source();
    }
    s
}

/// `None` when the answer is usable; otherwise why not.
fn classify(status: u16, h: &HeaderMap, body: &str) -> Option<Failure> {
    if (200..300).contains(&status) {
        // GraphQL answers a rate limit with 200 and an error of type
        // RATE_LIMITED: wait as for a 403 with the same headers.
        return graphql_rate_limited(body).map(|message| {
            let wait = rate_limit_wait(h, &message).unwrap_or(Duration::from_secs(60));
            Failure::Wait(wait, format!("HTTP {status}, GraphQL: {message}"))
        });
    }
    if status == 304 {
        return None;
    }
    let message = api_message(body);
    let msg = format!("HTTP {status}: {message}");
    Some(match status {
        403 | 429 => match rate_limit_wait(h, &message) {
            Some(d) => Failure::Wait(d, msg),
            None if status == 429 => Failure::Transient(msg),
            None => Failure::Fatal(msg),
        },
        500..=599 => Failure::Transient(msg),
        _ => Failure::Fatal(msg),
    })
}

/// The message of a GraphQL answer's rate-limit error (`type`
/// `RATE_LIMITED`, or a secondary limit said in words), if it has one.
fn graphql_rate_limited(body: &str) -> Option<String> {
    if !body.contains("RATE_LIMITED") && !body.contains("rate limit") {
        return None;
    }
    let v: Value = serde_json::from_str(body).ok()?;
    v.get("errors")?.as_array()?.iter().find_map(|e| {
        let message = e.get("message").and_then(Value::as_str).unwrap_or("");
        let limited = e.get("type").and_then(Value::as_str) == Some("RATE_LIMITED")
            || message
                .to_ascii_lowercase()
                .contains("secondary rate limit");
        limited.then(|| match message {
            "" => "rate limited".to_string(),
            m => m.to_string(),
        })
    })
}

/// GitHub's `message` from an error body, or the start of the body.
fn api_message(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(String::from))
        .unwrap_or_else(|| {
            body.chars()
                .take(200)
                .collect::<String>()
                .trim()
                .to_string()
        })
}

/// How long a rate-limited answer asks us to wait.
fn rate_limit_wait(h: &HeaderMap, message: &str) -> Option<Duration> {
    let header = |k: &str| h.get(k).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(secs) = header("retry-after").and_then(|v| v.parse::<u64>().ok()) {
        return Some(Duration::from_secs(secs.max(1)));
    }
    if header("x-ratelimit-remaining") == Some("0") {
        let reset = header("x-ratelimit-reset").and_then(|v| v.parse::<i64>().ok())?;
        let now = chrono::Utc::now().timestamp();
        return Some(Duration::from_secs((reset - now).max(0) as u64 + 1));
    }
    // A secondary limit without headers: GitHub asks for at least a minute.
    message
        .to_ascii_lowercase()
        .contains("secondary rate limit")
        .then(|| Duration::from_secs(60))
}

/// 0.5 s, 1 s, 2 s, 4 s, ... capped at 8 s, plus up to 50% jitter.
fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(500) * 2u32.pow((attempt - 1).min(4));
    let base = base.min(Duration::from_secs(8));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    base + base.mul_f64((nanos % 1000) as f64 / 2000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn classifies_answers() {
        assert!(classify(200, &HeaderMap::new(), "").is_none());
        assert!(classify(304, &HeaderMap::new(), "").is_none());
        assert!(matches!(
            classify(502, &HeaderMap::new(), ""),
            Some(Failure::Transient(_))
        ));
        match classify(404, &HeaderMap::new(), r#"{"message":"Not Found"}"#) {
            Some(Failure::Fatal(m)) => assert_eq!(m, "HTTP 404: Not Found"),
            _ => panic!("404 is fatal"),
        }
        let reset = chrono::Utc::now().timestamp() + 2;
        let h = headers(&[
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", reset.to_string()),
        ]);
        match classify(403, &h, r#"{"message":"API rate limit exceeded"}"#) {
            Some(Failure::Wait(d, _)) => {
                assert!(d >= Duration::from_secs(1) && d <= Duration::from_secs(3))
            }
            _ => panic!("primary rate limit waits"),
        }
        match classify(429, &headers(&[("retry-after", "3".into())]), "") {
            Some(Failure::Wait(d, _)) => assert_eq!(d, Duration::from_secs(3)),
            _ => panic!("retry-after waits"),
        }
        match classify(
            403,
            &HeaderMap::new(),
            r#"{"message":"You have exceeded a secondary rate limit"}"#,
        ) {
            Some(Failure::Wait(d, _)) => assert_eq!(d, Duration::from_secs(60)),
            _ => panic!("secondary limit waits"),
        }
        assert!(matches!(
            classify(
                403,
                &HeaderMap::new(),
                r#"{"message":"Resource not accessible"}"#
            ),
            Some(Failure::Fatal(_))
        ));
    }

    #[test]
    fn graphql_rate_limits_answered_with_200_wait_like_403() {
        let reset = chrono::Utc::now().timestamp() + 2;
        let h = headers(&[
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", reset.to_string()),
        ]);
        let body = r#"{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}"#;
        match classify(200, &h, body) {
            Some(Failure::Wait(d, m)) => {
                assert!(d >= Duration::from_secs(1) && d <= Duration::from_secs(3));
                assert!(m.contains("API rate limit exceeded"), "{m}");
            }
            _ => panic!("RATE_LIMITED waits for the reset"),
        }
        let secondary =
            r#"{"errors":[{"message":"You have exceeded a secondary rate limit. Please wait."}]}"#;
        assert!(matches!(
            classify(200, &HeaderMap::new(), secondary),
            Some(Failure::Wait(d, _)) if d == Duration::from_secs(60)
        ));
        // Other GraphQL errors, and data that merely mention the words, are
        // not rate limits.
        let other = r#"{"errors":[{"type":"NOT_FOUND","message":"Could not resolve"}]}"#;
        assert!(classify(200, &HeaderMap::new(), other).is_none());
        let data = r#"{"data":{"body":"RATE_LIMITED rate limit"}}"#;
        assert!(classify(200, &HeaderMap::new(), data).is_none());
    }

    #[test]
    fn graphql_goes_to_its_own_origin() {
        assert_eq!(
            origin("https://ghe.example.com/api/graphql").as_deref(),
            Some("https://ghe.example.com")
        );
        assert_eq!(
            origin("http://127.0.0.1:8080/api/graphql").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin("not a url"), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(
            backoff(1) >= Duration::from_millis(500) && backoff(1) < Duration::from_millis(751)
        );
        assert!(backoff(3) >= Duration::from_secs(2));
        assert!(backoff(30) <= Duration::from_secs(12));
    }
}
