//! Build benchmark: `cargo bench --bench bench` (a plain program, `harness = false`).
//!
//! Generates a deterministic synthetic snapshot (10,000 KEPs, 5,000 tracking
//! issues, 3,000 pull requests, 40 Kubernetes and ~100 containerd releases),
//! writes it to a temporary directory, then builds the site from it exactly
//! as `kepboard build` does and prints the time, pages per second and peak
//! memory. Target on a 2-core machine: the whole build (reading the snapshot
//! included) under 2 s and under 300 MB.
//!
//! The build runs in a child process (this same binary, re-run with
//! `--child`) so that the peak memory reported (`VmHWM`) is the build's own
//! and not inflated by generating the synthetic data.
//!
//! Options: `--phases` also times each stage of the build separately (read,
//! model, page data, templates, markdown, write); `--runs N` builds N times,
//! the later runs replacing the site the previous one wrote (as a rebuild of
//! an existing `public/` does); `--keep DIR` writes the snapshot and site
//! into DIR instead of a temporary directory and keeps them.
//!
//! It is a benchmark, not a test: it exits 0 whether or not the target is
//! met, and non-zero only if the build fails.

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, TimeZone, Utc};
use kepboard::github::{GitRef, Issue, Label, PullRequest, Release, State, User};
use kepboard::kep::{FeatureGateRaw, KepFile, MilestonesRaw};
use kepboard::site::{self, BuildOptions};
use kepboard::snapshot::{Snapshot, Source, SCHEMA_VERSION};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const KEPS: usize = 10_000;
const TRACKING_ISSUES: usize = 5_000;
const PULLS: usize = 3_000;
const K8S_RELEASES: u32 = 40;
const CONTAINERD_RELEASES: usize = 100;
const TARGET_SECS: f64 = 2.0;
const TARGET_MB: f64 = 300.0;
const REPO: &str = "containerd/containerd";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        let [_, snapshot, out, phases, runs] = &args[..] else {
            bail!("usage: bench --child SNAPSHOT OUT PHASES RUNS");
        };
        return child(
            Path::new(snapshot),
            Path::new(out),
            phases == "1",
            runs.parse()?,
        );
    }
    let mut phases = false;
    let mut runs = 1u32;
    let mut keep: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            // `cargo bench` passes `--bench` to every benchmark binary.
            "--bench" => {}
            "--phases" => phases = true,
            "--runs" => runs = it.next().context("--runs needs a number")?.parse()?,
            "--keep" => keep = Some(it.next().context("--keep needs a directory")?.into()),
            other => bail!("unknown argument {other:?} (options: --phases, --runs N, --keep DIR)"),
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; run with `cargo bench --bench bench`");
    }

    let _tmp;
    let dir = match keep {
        Some(d) => {
            std::fs::create_dir_all(&d).with_context(|| format!("{}", d.display()))?;
            d
        }
        None => {
            _tmp = tempfile::tempdir().context("creating a temporary directory")?;
            _tmp.path().to_path_buf()
        }
    };
    let snapshot_path = dir.join("snapshot.json");
    let out = dir.join("public");

    println!(
        "kepboard bench: {KEPS} KEPs, {TRACKING_ISSUES} tracking issues, {K8S_RELEASES} releases \
         ({PULLS} pull requests, {CONTAINERD_RELEASES} containerd releases)"
    );
    let t = Instant::now();
    let snapshot = generate();
    snapshot.write(&snapshot_path)?;
    drop(snapshot);
    let gen_secs = t.elapsed().as_secs_f64();
    println!("synthetic snapshot generated and written in {gen_secs:.2} s (not counted)");

    // Build in a fresh process so VmHWM measures the build alone.
    let status = Command::new(std::env::current_exe()?)
        .arg("--child")
        .arg(&snapshot_path)
        .arg(&out)
        .arg(if phases { "1" } else { "0" })
        .arg(runs.max(1).to_string())
        .status()
        .context("running the build process")?;
    if !status.success() {
        bail!("build failed ({status})");
    }
    Ok(())
}

/// The measured part: read the snapshot, build the site, report.
fn child(snapshot_path: &Path, out: &Path, phases: bool, runs: u32) -> Result<()> {
    let t = Instant::now();
    let snapshot = Snapshot::read(snapshot_path)?;
    let read_secs = t.elapsed().as_secs_f64();
    drop(snapshot);
    let size = std::fs::metadata(snapshot_path)?.len();
    println!(
        "snapshot: {:.1} MB JSON, read in {read_secs:.2} s (Snapshot::read)",
        size as f64 / 1e6
    );

    let opts = BuildOptions {
        snapshot: snapshot_path.to_path_buf(),
        out: out.to_path_buf(),
        site_url: None,
        base_url: None,
        archives: out.with_file_name("archive-none"),
        templates: None,
        changes: None,
        refresh_failed_at: None,
    };
    let t = Instant::now();
    let report = site::build(&opts)?;
    let secs = t.elapsed().as_secs_f64();
    let peak = peak_mb();
    let html = count_html(out)?;
    if html != report.pages {
        println!(
            "note: report says {} pages, {html} .html files on disk",
            report.pages
        );
    }
    println!(
        "build: {} pages ({} files) in {secs:.2} s = {:.0} pages/s (site::build: read, model, render, write)",
        report.pages,
        report.files,
        report.pages as f64 / secs
    );
    match peak {
        Some(mb) => println!("peak memory (VmHWM): {mb:.0} MB"),
        None => println!("peak memory (VmHWM): unavailable (not Linux?)"),
    }
    let met = secs < TARGET_SECS && peak.is_none_or(|mb| mb < TARGET_MB);
    println!(
        "target (< {TARGET_SECS} s, < {TARGET_MB} MB, {} cores here): {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if met { "met" } else { "NOT met" }
    );
    // Later runs replace the site the previous one wrote, as a rebuild of
    // an existing `public/` does (that includes deleting the old site).
    for run in 2..=runs {
        let t = Instant::now();
        let report = site::build(&opts)?;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "build #{run} (replacing the previous site): {} pages in {secs:.2} s = {:.0} pages/s",
            report.pages,
            report.pages as f64 / secs
        );
    }
    if phases {
        phase_breakdown(&opts)?;
    }
    Ok(())
}

/// Times the stages of `site::build` one by one, through the same public
/// functions it calls. Runs after the measured build (its memory is not in
/// the VmHWM above).
fn phase_breakdown(opts: &BuildOptions) -> Result<()> {
    use kepboard::model::Model;
    println!("phases:");
    let t = Instant::now();
    let text = std::fs::read_to_string(&opts.snapshot)?;
    step("read file", t);
    let t = Instant::now();
    let snapshot = Snapshot::from_json(&text)?;
    step("parse JSON", t);
    drop(text);
    let t = Instant::now();
    let model = Model::build(&snapshot);
    step("Model::build", t);
    let t = Instant::now();
    let input = site::SiteInput::live(model);
    step("check::findings", t);
    let t = Instant::now();
    let templates = site::load_templates(None)?;
    step("load_templates", t);
    let urls = opts.urls()?;
    let t = Instant::now();
    let files = site::render_to_vec(&templates, &urls, &input)?;
    step("render (pages)", t);
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "  {:<28} {:>6.1} MB in {} files",
        "rendered output",
        bytes as f64 / 1e6,
        files.len()
    );
    page_kinds(&templates.tera, &urls, &input.live)?;
    markdown_phases(&snapshot);
    let out2 = opts.out.with_file_name("public-phases");
    let t = Instant::now();
    site::output::replace_dir(&out2, files)?;
    step("write (output::replace_dir)", t);
    let _ = std::fs::remove_dir_all(&out2);
    Ok(())
}

/// Prints how long phase `name`, started at `t`, took.
fn step(name: &str, t: Instant) {
    println!("  {name:<28} {:>6.3} s", t.elapsed().as_secs_f64());
}

/// Times the markdown of every issue body, and the part pulldown-cmark takes.
fn markdown_phases(snapshot: &Snapshot) {
    let t = Instant::now();
    let md: usize = snapshot
        .issues
        .iter()
        .map(|i| site::markdown::render(i.body.as_deref().unwrap_or("")).len())
        .sum();
    step("markdown of all issue bodies", t);
    let _ = md;
    let t = Instant::now();
    let md: usize = snapshot
        .issues
        .iter()
        .map(|i| {
            let mut raw = String::new();
            let opts = pulldown_cmark::Options::ENABLE_TABLES
                | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
                | pulldown_cmark::Options::ENABLE_TASKLISTS;
            let text = i.body.as_deref().unwrap_or("");
            pulldown_cmark::html::push_html(&mut raw, pulldown_cmark::Parser::new_ext(text, opts));
            raw.len()
        })
        .sum();
    step("  of which pulldown-cmark", t);
    let _ = md;
}

/// Time and size of one page kind, summed over its pages.
#[derive(Default)]
struct Acc {
    n: usize,
    data: std::time::Duration,
    context: std::time::Duration,
    render: std::time::Duration,
    bytes: usize,
    context_bytes: usize,
}

impl Acc {
    /// Makes one page's data with `make`, turns it into a tera context and
    /// renders it with `template`, timing each step.
    fn measure<T: serde::Serialize>(
        &mut self,
        tera: &tera::Tera,
        template: &str,
        make: impl FnOnce() -> T,
    ) -> Result<()> {
        let t = Instant::now();
        let page = make();
        self.data += t.elapsed();
        let t = Instant::now();
        let ctx = tera::Context::from_serialize(&page)?;
        self.context += t.elapsed();
        self.context_bytes += ctx.clone().into_json().to_string().len();
        let t = Instant::now();
        let text = tera.render(template, &ctx)?;
        self.render += t.elapsed();
        self.n += 1;
        self.bytes += text.len();
        Ok(())
    }
}

/// Renders every page of the live site on one thread, timing per page kind
/// the three steps of `site::render`: computing the page data (`pages::*`),
/// turning it into a tera context (`Context::from_serialize`) and rendering
/// the template.
fn page_kinds(
    tera: &tera::Tera,
    urls: &kepboard::site::urls::Urls,
    live: &site::Built,
) -> Result<()> {
    use kepboard::site::pages::{self, Ctx};
    use kepboard::site::urls::PagePath;

    let model = &live.model;
    let ctx = Ctx::new(model, urls, PagePath::home(), &live.findings, None);
    let t = Instant::now();
    let bars = pages::home::chart_bars(&ctx);
    println!(
        "  {:<28} {:>6.3} s ({} releases; serial, before the parallel pages)",
        "pages::home::chart_bars",
        t.elapsed().as_secs_f64(),
        bars.len()
    );
    let t = Instant::now();
    let n: usize = ctx
        .releases()
        .into_iter()
        .map(|r| model.release_keps(r).len())
        .sum();
    println!(
        "  {:<28} {:>6.3} s (one call per release, {n} rows)",
        "Model::release_keps x all",
        t.elapsed().as_secs_f64()
    );
    let mut kinds: Vec<(&str, Acc)> = Vec::new();
    let mut acc = Acc::default();
    acc.measure(tera, "index.html", || {
        pages::home::page(&ctx.at(&PagePath::home()), &bars)
    })?;
    kinds.push(("home", acc));
    let mut acc = Acc::default();
    acc.measure(tera, "keps.html", || {
        pages::matrix::all(&ctx.at(&PagePath::matrix_all()))
    })?;
    kinds.push(("matrix", acc));
    let mut acc = Acc::default();
    acc.measure(tera, "health.html", || {
        pages::health::page(&ctx.at(&PagePath::health()))
    })?;
    kinds.push(("health", acc));
    let mut acc = Acc::default();
    acc.measure(tera, "people.html", || {
        pages::people::page(&ctx.at(&PagePath::people()))
    })?;
    kinds.push(("people", acc));
    let mut acc = Acc::default();
    for r in ctx.releases() {
        acc.measure(tera, "release.html", || {
            pages::release::page(&ctx.at(&PagePath::release(r)), r)
        })?;
    }
    kinds.push(("release (all)", acc));
    let mut acc = Acc::default();
    for k in ctx.keps_with_pages() {
        acc.measure(tera, "kep.html", || {
            pages::kep::page(&ctx.at(&PagePath::kep(k.number)), k)
        })?;
    }
    kinds.push(("kep (all)", acc));
    print_kinds(&kinds);
    Ok(())
}

/// The per-kind table of [`page_kinds`].
fn print_kinds(kinds: &[(&str, Acc)]) {
    println!("  pages on one thread:   count   data  context   render   output  ctx JSON");
    for (name, a) in kinds {
        println!(
            "    {name:<18} {:>6} {:>6.3}s {:>7.3}s {:>7.3}s {:>6.1}MB {:>6.1}MB",
            a.n,
            a.data.as_secs_f64(),
            a.context.as_secs_f64(),
            a.render.as_secs_f64(),
            a.bytes as f64 / 1e6,
            a.context_bytes as f64 / 1e6
        );
    }
}

fn count_html(dir: &Path) -> Result<usize> {
    let mut n = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html") {
            n += 1;
        }
    }
    Ok(n)
}

/// Peak resident set size of this process, in MB (10^6 bytes).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0 / 1e6)
}

// ---------------------------------------------------------------------------
// Synthetic data

/// xorshift64*: small, deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u64, hi_incl: u64) -> u64 {
        lo + self.below(hi_incl - lo + 1)
    }
    /// True with probability `pct` percent.
    fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const SIGS: &[&str] = &[
    "sig-api-machinery",
    "sig-apps",
    "sig-architecture",
    "sig-auth",
    "sig-autoscaling",
    "sig-cli",
    "sig-cloud-provider",
    "sig-cluster-lifecycle",
    "sig-instrumentation",
    "sig-network",
    "sig-scheduling",
    "sig-storage",
    "sig-windows",
];

const WORDS: &[&str] = &[
    "pod",
    "container",
    "runtime",
    "sandbox",
    "cgroup",
    "namespace",
    "user",
    "memory",
    "cpu",
    "swap",
    "image",
    "pull",
    "volume",
    "mount",
    "device",
    "plugin",
    "resource",
    "quota",
    "probe",
    "readiness",
    "lifecycle",
    "hook",
    "seccomp",
    "apparmor",
    "checkpoint",
    "restore",
    "metrics",
    "eviction",
    "node",
    "kubelet",
    "shutdown",
    "graceful",
    "sidecar",
    "init",
    "dynamic",
    "allocation",
    "topology",
    "manager",
    "hugepages",
    "network",
    "status",
    "condition",
    "credential",
    "provider",
    "signal",
    "stop",
    "split",
    "filesystem",
    "log",
    "rotation",
    "streaming",
    "exec",
    "attach",
    "port",
    "forward",
    "windows",
    "hostprocess",
];

const COMPONENTS: &[&str] = &[
    "kubelet",
    "kube-apiserver",
    "kube-scheduler",
    "kube-controller-manager",
];

fn words(rng: &mut Rng, n: usize) -> Vec<&'static str> {
    (0..n).map(|_| *rng.pick(WORDS)).collect()
}

fn title_case(ws: &[&str]) -> String {
    ws.iter()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn login(prefix: &str, n: u64) -> String {
    format!("{prefix}{n}")
}

/// Release date of Kubernetes v1.N: v1.1 in mid 2015, one every 100 days,
/// so v1.40 falls before the snapshot date (2026-11-01).
fn k8s_date(minor: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 7, 1, 17, 0, 0).unwrap() + Duration::days(100 * (minor as i64 - 1))
}

struct KepInfo {
    number: u64,
    title: String,
    node: bool,
    /// (stage, minor) of the latest milestone.
    latest: (&'static str, u32),
}

fn generate() -> Snapshot {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let generated_at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    // KEPs: numbers 1..=KEPS, about a fifth owned by SIG Node.
    let (keps, infos): (Vec<KepFile>, Vec<KepInfo>) =
        (0..KEPS).map(|i| kep_file(&mut rng, i)).unzip();
    let node_keps: Vec<usize> = (0..KEPS).filter(|&i| infos[i].node).collect();
    // Tracking issues: even numbers from 4000 up; most for SIG Node KEPs,
    // a few for KEPs with no kep.yaml in the snapshot.
    let issues: Vec<Issue> = (0..TRACKING_ISSUES)
        .map(|i| tracking_issue(&mut rng, i, &infos, &node_keps, generated_at))
        .collect();
    // Pull requests: odd numbers, each fixing or mentioning a tracking issue.
    let pulls: Vec<PullRequest> = (0..PULLS).map(|j| pull(&mut rng, j, &issues)).collect();
    let kubernetes_releases = kubernetes_releases();
    let containerd_releases = containerd_releases();
    Snapshot {
        schema_version: SCHEMA_VERSION,
        generated_at,
        source: Source {
            kind: kepboard::snapshot::SourceKind::Import,
            details: vec!["synthetic data from benches/bench.rs".into()],
            whole_bodies: true,
        },
        tracking_repo: REPO.into(),
        enhancements: Default::default(),
        issues,
        pulls,
        issue_pr_links: Vec::new(),
        keps,
        kep_errors: Vec::new(),
        containerd_releases,
        kubernetes_releases,
        containerd_releases_md: Some(include_str!("../content/demo/RELEASES.md").to_string()),
        feature_gates: None,
        crio_pulls: Vec::new(),
        crio_releases: Vec::new(),
        crio_kep_links: Vec::new(),
    }
}

/// KEP `i` of the synthetic data: its kep.yaml and what the issues need.
fn kep_file(rng: &mut Rng, i: usize) -> (KepFile, KepInfo) {
    let number = i as u64 + 1;
    let node = rng.pct(20);
    let sig = if node { "sig-node" } else { *rng.pick(SIGS) };
    let n_words = 3 + rng.below(3) as usize;
    let ws = words(rng, n_words);
    let title = title_case(&ws);
    let slug = ws.join("-");
    // Milestones: alpha in some release, then maybe beta and stable.
    let alpha = rng.range(1, K8S_RELEASES as u64 - 2) as u32;
    let mut m = MilestonesRaw {
        alpha: Some(format!("v1.{alpha}")),
        ..Default::default()
    };
    let mut latest = ("alpha", alpha);
    if rng.pct(65) {
        let beta = (alpha + rng.range(1, 3) as u32).min(K8S_RELEASES);
        m.beta = Some(format!("v1.{beta}"));
        latest = ("beta", beta);
        if rng.pct(55) {
            let stable = (beta + rng.range(1, 4) as u32).min(K8S_RELEASES);
            m.stable = Some(format!("v1.{stable}"));
            latest = ("stable", stable);
        }
    }
    let status = match latest.0 {
        "stable" => "implemented",
        _ if rng.pct(10) => "withdrawn",
        _ => "implementable",
    };
    let gates = (0..rng.below(3))
        .map(|g| FeatureGateRaw {
            name: Some(format!(
                "{}{}",
                title.replace(' ', ""),
                if g > 0 { "Ext" } else { "" }
            )),
            components: Some(
                (0..rng.range(1, 2))
                    .map(|_| rng.pick(COMPONENTS).to_string())
                    .collect(),
            ),
        })
        .collect::<Vec<_>>();
    let created = k8s_date(alpha) - Duration::days(rng.range(30, 300) as i64);
    let file = KepFile {
        path: format!("{sig}/{number}-{slug}/kep.yaml"),
        title: Some(title.clone()),
        kep_number: Some(number.to_string()),
        authors: Some(
            (0..rng.range(1, 3))
                .map(|_| format!("@{}", login("author", rng.below(800))))
                .collect(),
        ),
        owning_sig: Some(sig.to_string()),
        participating_sigs: Some(if rng.pct(30) {
            vec![rng.pick(SIGS).to_string()]
        } else {
            Vec::new()
        }),
        status: Some(status.to_string()),
        creation_date: Some(created.format("%Y-%m-%d").to_string()),
        last_updated: Some(k8s_date(latest.1).format("%Y-%m-%d").to_string()),
        stage: Some(latest.0.to_string()),
        latest_milestone: Some(format!("v1.{}", latest.1)),
        milestone: Some(m),
        feature_gates: if gates.is_empty() { None } else { Some(gates) },
    };
    let info = KepInfo {
        number,
        title,
        node,
        latest,
    };
    (file, info)
}

/// Tracking issue `i` of the synthetic data.
fn tracking_issue(
    rng: &mut Rng,
    i: usize,
    infos: &[KepInfo],
    node_keps: &[usize],
    generated_at: DateTime<Utc>,
) -> Issue {
    let number = 4000 + 2 * i as u64;
    let (kep_number, kep_title, mut stage, mut minor) = if rng.pct(2) {
        let n = KEPS as u64 + 1 + rng.below(500);
        (
            n,
            title_case(&words(rng, 4)),
            "alpha",
            rng.range(30, 40) as u32,
        )
    } else {
        let k = if rng.pct(70) {
            &infos[*rng.pick(node_keps)]
        } else {
            &infos[rng.below(KEPS as u64) as usize]
        };
        (k.number, k.title.clone(), k.latest.0, k.latest.1)
    };
    // Some declared stages/releases disagree with kep.yaml.
    if rng.pct(8) {
        stage = *rng.pick(&["alpha", "beta", "stable"]);
        minor = (minor + 1).min(K8S_RELEASES);
    }
    let owner = login("owner", rng.below(400));
    let liaison = login("liaison", rng.below(25));
    let shepherds = match rng.below(10) {
        0 => String::new(),
        1..=2 => format!("@{}", login("shepherd", rng.below(40))),
        _ => format!(
            "@{} @{}",
            login("shepherd", rng.below(40)),
            login("shepherd", rng.below(40))
        ),
    };
    let body = issue_body(rng, kep_number, stage, minor, &owner, &liaison, &shepherds);
    let created = k8s_date(minor) - Duration::days(rng.range(20, 110) as i64);
    let updated = (created + Duration::days(rng.range(0, 400) as i64)).min(generated_at);
    let closed = rng.pct(55);
    let mut labels = vec![
        Label {
            name: "kind/feature".into(),
        },
        Label {
            name: "area/cri".into(),
        },
    ];
    if rng.pct(90) {
        labels.push(Label {
            name: format!("k8s/1.{minor}"),
        });
    }
    Issue {
        number,
        title: format!("[SIG-Node]: KEP-{kep_number}: {kep_title}"),
        html_url: Some(format!("https://github.com/{REPO}/issues/{number}")),
        state: if closed { State::Closed } else { State::Open },
        body: Some(body),
        user: Some(User { login: owner }),
        labels: Some(labels),
        assignees: Some(
            shepherds
                .split_whitespace()
                .map(|s| User {
                    login: s.trim_start_matches('@').to_string(),
                })
                .collect(),
        ),
        milestone: None,
        created_at: Some(created),
        updated_at: Some(updated),
        closed_at: closed.then_some(updated),
        comments: Some(rng.below(30)),
        pull_request: None,
    }
}

/// Pull request `j` of the synthetic data.
fn pull(rng: &mut Rng, j: usize, issues: &[Issue]) -> PullRequest {
    let number = 4001 + 2 * j as u64;
    let issue = &issues[rng.below(TRACKING_ISSUES as u64) as usize];
    let kep = issue
        .title
        .split(':')
        .nth(1)
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let ws = words(rng, 5);
    let merged = rng.pct(60);
    let created = issue.created_at.unwrap() + Duration::days(rng.range(1, 60) as i64);
    let done = created + Duration::days(rng.range(1, 45) as i64);
    let closed = merged || rng.pct(30);
    let verb = if rng.pct(70) { "Fixes" } else { "Part of" };
    let author = login("author", rng.below(800));
    PullRequest {
        number,
        title: if rng.pct(50) {
            format!("[{kep}] cri: {}", ws.join(" "))
        } else {
            format!("cri: {}", ws.join(" "))
        },
        html_url: Some(format!("https://github.com/{REPO}/pull/{number}")),
        state: if closed { State::Closed } else { State::Open },
        body: Some(format!(
            "{}.\n\n{verb} #{}\n\nSigned-off-by: {author} <{author}@example.com>\n",
            title_case(&words(rng, 12)),
            issue.number
        )),
        user: Some(User {
            login: author.clone(),
        }),
        labels: Some(vec![Label {
            name: "area/cri".into(),
        }]),
        milestone: None,
        base: Some(GitRef {
            name: if rng.pct(85) {
                "main".into()
            } else {
                format!("release/2.{}", rng.below(3))
            },
        }),
        head: Some(GitRef {
            name: format!("{author}:{}", ws[..2].join("-")),
        }),
        merged_at: merged.then_some(done),
        merge_commit_sha: merged.then(|| {
            format!(
                "{:016x}{:016x}{:08x}",
                rng.next(),
                rng.next(),
                rng.next() as u32
            )
        }),
        created_at: Some(created),
        updated_at: Some(if closed { done } else { created }),
        closed_at: closed.then_some(done),
    }
}

/// The Kubernetes `.0` releases v1.1..=v1.K8S_RELEASES, newest first.
fn kubernetes_releases() -> Vec<Release> {
    (1..=K8S_RELEASES)
        .rev()
        .map(|minor| Release {
            tag_name: format!("v1.{minor}.0"),
            name: Some(format!("Kubernetes v1.{minor}.0")),
            published_at: Some(k8s_date(minor)),
            created_at: None,
            prerelease: false,
            draft: false,
            html_url: Some(format!(
                "https://github.com/kubernetes/kubernetes/releases/tag/v1.{minor}.0"
            )),
        })
        .collect()
}

/// containerd: 1.0..1.7 and 2.0..2.3, patches and a few pre-releases,
/// newest first.
fn containerd_releases() -> Vec<Release> {
    let mut containerd_releases = Vec::new();
    let lines: &[(u32, u32)] = &[
        (1, 0),
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (1, 5),
        (1, 6),
        (1, 7),
        (2, 0),
        (2, 1),
        (2, 2),
        (2, 3),
    ];
    let mut date = Utc.with_ymd_and_hms(2017, 12, 5, 18, 0, 0).unwrap();
    'outer: for &(major, minor) in lines {
        for pre in ["beta.0", "rc.0"] {
            containerd_releases.push(cd_release(format!("v{major}.{minor}.0-{pre}"), date, true));
            date += Duration::days(10);
        }
        for patch in 0..7 {
            if containerd_releases.len() >= CONTAINERD_RELEASES {
                break 'outer;
            }
            containerd_releases.push(cd_release(format!("v{major}.{minor}.{patch}"), date, false));
            date += Duration::days(25);
        }
    }
    containerd_releases.reverse();
    containerd_releases
}

fn cd_release(tag: String, date: DateTime<Utc>, prerelease: bool) -> Release {
    Release {
        html_url: Some(format!("https://github.com/{REPO}/releases/tag/{tag}")),
        name: Some(tag.clone()),
        tag_name: tag,
        published_at: Some(date),
        created_at: None,
        prerelease,
        draft: false,
    }
}

/// A tracking-issue body in the issue template's form, followed by a few
/// paragraphs of markdown (about 1-2 KB in all).
fn issue_body(
    rng: &mut Rng,
    kep: u64,
    stage: &str,
    minor: u32,
    owner: &str,
    liaison: &str,
    shepherds: &str,
) -> String {
    let mut b = format!(
        "### KEP/SIG-Node References\n\n\
         - KEP(s): KEP-{kep}\n\
         - stage: {stage}\n\
         - KEP Issue: https://github.com/kubernetes/enhancements/issues/{kep}\n\
         - KEP PR: https://github.com/kubernetes/enhancements/pull/{}\n\
         - K8s-Release: 1.{minor}\n\
         - KEP-Owner: @{owner}\n\
         - SIG-Node member liaison: @{liaison}\n\
         - KEP-Shepherd: {shepherds}\n\n\
         ### Containerd Work\n\n",
        kep + 7 + rng.below(100)
    );
    let sentence = |rng: &mut Rng| {
        let mut s = title_case(&words(rng, 1));
        let n_words = 7 + rng.below(8) as usize;
        for w in words(rng, n_words) {
            s.push(' ');
            match rng.below(12) {
                0 => s.push_str(&format!("**{w}**")),
                1 => s.push_str(&format!("`{w}`")),
                2 => s.push_str(&format!(
                    "[{w}](https://github.com/{REPO}/issues/{})",
                    rng.range(1000, 14000)
                )),
                _ => s.push_str(w),
            }
        }
        s.push('.');
        s
    };
    for _ in 0..rng.range(2, 4) {
        for _ in 0..rng.range(2, 4) {
            b.push_str(&sentence(rng));
            b.push(' ');
        }
        b.push_str("\n\n");
    }
    b.push_str("Work items:\n\n");
    for _ in 0..rng.range(2, 5) {
        let done = if rng.pct(50) { "x" } else { " " };
        b.push_str(&format!("- [{done}] {}\n", sentence(rng)));
    }
    if rng.pct(40) {
        b.push_str("\n```go\nfunc (c *criService) RunPodSandbox(ctx context.Context, r *runtime.RunPodSandboxRequest) error {\n\treturn nil\n}\n```\n");
    }
    if rng.pct(30) {
        b.push_str(
            "\n| runtime | status |\n| --- | --- |\n| runc | done |\n| crun | in progress |\n",
        );
    }
    b.push_str(&format!("\nOpen question: {}\n", sentence(rng)));
    b
}
