//! The command line: argument parsing and the glue that runs one pipeline
//! stage per subcommand. No logic of its own beyond reporting.

use crate::check;
use crate::import::{self, Inputs};
use crate::model::Model;
use crate::snapshot::Snapshot;
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Builds the status site for containerd's work on Kubernetes SIG-Node KEPs.
#[derive(Debug, Parser)]
#[command(name = "kepboard", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, one per pipeline stage.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Gather a snapshot from GitHub (token from GITHUB_TOKEN or GH_TOKEN).
    Fetch(FetchArgs),
    /// Build a snapshot offline from files in GitHub's JSON shapes.
    Import(ImportArgs),
    /// Print the process findings (missing shepherds, stage disagreements, ...).
    Check(CheckArgs),
    /// Render the static site from a snapshot (and the frozen archives).
    Build(BuildArgs),
    /// Freeze the live snapshot as the archive of a Kubernetes release.
    Archive(ArchiveArgs),
    /// Move a fetched snapshot into the data directory when its facts
    /// changed: log the changes, freeze a newly released Kubernetes minor.
    Record(RecordArgs),
    /// Build the site and serve it on 127.0.0.1, rebuilding when the
    /// snapshot, the archives or the templates change: a local preview.
    Serve(ServeArgs),
}

/// Options of `kepboard serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// What to build, as for `kepboard build`.
    #[command(flatten)]
    pub build: BuildArgs,
    /// The port on 127.0.0.1 (0: any free one; the address is printed).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
}

/// Options of `kepboard build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The snapshot to build from.
    #[arg(long, default_value = "content/snapshot.json", value_name = "FILE")]
    pub snapshot: PathBuf,
    /// Where the site goes; replaced whole, and only when the build succeeded.
    #[arg(long, default_value = "public", value_name = "DIR")]
    pub out: PathBuf,
    /// The site's public URL, absolute (`https://containerd.github.io/kepboard`):
    /// for the sitemap, the feed and canonical links. Without it there is
    /// no sitemap.xml; links work either way (they are relative).
    #[arg(long, value_name = "URL")]
    pub site_url: Option<String>,
    /// Old name: an absolute URL is the site URL; a path (`/kepboard/`)
    /// only sets where the 404 page links to.
    #[arg(long, value_name = "URL", hide = true, conflicts_with = "site_url")]
    pub base_url: Option<String>,
    /// Directory of frozen per-release archives (`v1.NN.json`).
    #[arg(long, default_value = "content/archive", value_name = "DIR")]
    pub archives: PathBuf,
    /// Use the templates in DIR instead of the built-in ones of the same
    /// names (DIR may hold only those it changes, and style.css).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The change log rendered as /changes/ and the feed; a missing file
    /// means no changes recorded yet.
    #[arg(long, default_value = "content/changes.json", value_name = "FILE")]
    pub changes: PathBuf,
    /// When the last refresh failed (RFC 3339): every live page then says
    /// its data is as of the snapshot's time, and that this refresh failed.
    #[arg(long, value_name = "TIME")]
    pub refresh_failed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Options of `kepboard archive`.
#[derive(Debug, clap::Args)]
pub struct ArchiveArgs {
    /// The Kubernetes release the archive is for, e.g. v1.36.
    #[arg(value_name = "RELEASE")]
    pub release: crate::domain::K8sRelease,
    /// The snapshot to freeze; default: the live one, `snapshot.json` in
    /// the data directory.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Directory of frozen archives; default: `archive/` in the data directory.
    #[arg(long, value_name = "DIR")]
    pub archives: Option<PathBuf>,
    /// The data directory; default: `data_dir` of the configuration.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Where the data directory is configured (`data_dir`).
    #[arg(long, default_value = "kepboard.toml", value_name = "FILE")]
    pub config: PathBuf,
    /// Replace an existing archive of the same release.
    #[arg(long)]
    pub force: bool,
}

/// Options of `kepboard record`.
#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The snapshot just fetched.
    #[arg(value_name = "SNAPSHOT")]
    pub fetched: PathBuf,
    /// The data directory; default: `data_dir` of the configuration.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Where the data directory is configured (`data_dir`).
    #[arg(long, default_value = "kepboard.toml", value_name = "FILE")]
    pub config: PathBuf,
}

/// The data directory: `--data`, else the configuration's `data_dir`.
fn data_dir(data: Option<PathBuf>, config: &std::path::Path) -> Result<crate::data::DataDir> {
    Ok(match data {
        Some(d) => crate::data::DataDir::new(d),
        None => crate::config::Config::load(config)?.data(),
    })
}

/// Options of `kepboard fetch`.
#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// Where to write the snapshot (atomically; its ETag cache goes beside it).
    #[arg(
        short,
        long,
        default_value = "content/snapshot.json",
        value_name = "FILE"
    )]
    pub output: PathBuf,
    /// Repositories and searches; a missing file means containerd's defaults.
    #[arg(long, default_value = "kepboard.toml", value_name = "FILE")]
    pub config: PathBuf,
    /// REST API base (env: GITHUB_API_URL; default `https://api.github.com`).
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// GraphQL endpoint (env: GITHUB_GRAPHQL_URL; default: `<api-url>/graphql`).
    #[arg(long, value_name = "URL")]
    pub graphql_url: Option<String>,
    /// Longest total time to spend waiting on retries and rate limits, in seconds.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub max_wait: u64,
    /// Longest time one request may take, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub timeout: u64,
    /// Print nothing but errors, and warnings of what could not be gathered.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every request.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Options of `kepboard import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// JSON array of GitHub REST issue objects (`gh api --paginate repos/containerd/containerd/issues`).
    #[arg(long, value_name = "FILE")]
    pub issues: PathBuf,
    /// JSON array of GitHub REST pull request objects.
    #[arg(long, value_name = "FILE")]
    pub pulls: Option<PathBuf>,
    /// A directory laid out like kubernetes/enhancements `keps/`.
    #[arg(long, value_name = "DIR")]
    pub keps: PathBuf,
    /// JSON array of GitHub REST release objects of containerd.
    #[arg(long, value_name = "FILE")]
    pub containerd_releases: Option<PathBuf>,
    /// JSON array of GitHub REST release objects of kubernetes/kubernetes.
    #[arg(long, value_name = "FILE")]
    pub kubernetes_releases: Option<PathBuf>,
    /// containerd's RELEASES.md (for its Kubernetes support table).
    #[arg(long, value_name = "FILE")]
    pub containerd_releases_md: Option<PathBuf>,
    /// Kubernetes' feature-gate history (`test/compatibility_lifecycle/reference/versioned_feature_list.yaml`).
    #[arg(long, value_name = "FILE")]
    pub feature_gates: Option<PathBuf>,
    /// JSON array of GitHub REST pull request objects of cri-o/cri-o.
    #[arg(long, value_name = "FILE")]
    pub crio_pulls: Option<PathBuf>,
    /// JSON array of GitHub REST release objects of cri-o/cri-o.
    #[arg(long, value_name = "FILE")]
    pub crio_releases: Option<PathBuf>,
    /// Its `[crio_pulls]` (CRI-O PRs per KEP) go into the snapshot; a
    /// missing file configures none.
    #[arg(long, default_value = "kepboard.toml", value_name = "FILE")]
    pub config: PathBuf,
    /// The repository the issues come from.
    #[arg(
        long,
        default_value = "containerd/containerd",
        value_name = "OWNER/NAME"
    )]
    pub repo: String,
    /// The time to record as the snapshot's (RFC 3339); default: now.
    #[arg(long, value_name = "TIME")]
    pub generated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The issue bodies are whole, as exported from the GitHub API. Without
    /// it, a body that ends without a newline inside the references list
    /// is read as possibly cut short (digest or archive copies): the last
    /// value is then unknown.
    #[arg(long)]
    pub whole_bodies: bool,
    /// Where to write the snapshot (atomically).
    #[arg(
        short,
        long,
        default_value = "content/snapshot.json",
        value_name = "FILE"
    )]
    pub output: PathBuf,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For machines.
    Json,
}

/// Options of `kepboard check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The snapshot to check.
    #[arg(long, default_value = "content/snapshot.json", value_name = "FILE")]
    pub snapshot: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit non-zero when SIG Node's runtime policy is violated or a
    /// target of the cycle under way (or the next) is at risk, for CI.
    #[arg(long)]
    pub strict: bool,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Fetch(a) => run_fetch(a),
        Command::Import(a) => run_import(a),
        Command::Check(a) => run_check(a),
        Command::Build(a) => run_build(a),
        Command::Archive(a) => run_archive(a),
        Command::Record(a) => run_record(a),
        Command::Serve(a) => crate::serve::serve(&a.build.options(), a.port),
    }
}

impl BuildArgs {
    /// The build these options ask for.
    fn options(self) -> crate::site::BuildOptions {
        crate::site::BuildOptions {
            snapshot: self.snapshot,
            out: self.out,
            site_url: self.site_url,
            base_url: self.base_url,
            archives: self.archives,
            templates: self.templates,
            changes: Some(self.changes),
            refresh_failed_at: self.refresh_failed_at,
        }
    }
}

/// Says, once, what a build without a site URL leaves out.
fn note_site_url(opts: &crate::site::BuildOptions) -> Result<()> {
    if !opts.urls()?.has_site_url() {
        eprintln!("no --site-url: sitemap.xml and feed.xml left out (their URLs must be absolute); canonical links omitted");
    }
    Ok(())
}

fn run_build(a: BuildArgs) -> Result<()> {
    let opts = a.options();
    let started = std::time::Instant::now();
    let report = crate::site::build(&opts)?;
    eprintln!(
        "built {} pages ({} files, {} archives) into {} in {:.2?}",
        report.pages,
        report.files,
        report.archives,
        opts.out.display(),
        started.elapsed()
    );
    note_site_url(&opts)
}

fn run_archive(a: ArchiveArgs) -> Result<()> {
    use crate::archive::Frozen;
    let data = data_dir(a.data, &a.config)?;
    let snapshot = a.snapshot.unwrap_or_else(|| data.snapshot());
    let archives = a.archives.unwrap_or_else(|| data.archives());
    if !snapshot.exists() {
        bail!(
            "{}: no live snapshot there (check out the data branch into {}, or pass --snapshot)",
            snapshot.display(),
            data.root().display()
        );
    }
    match crate::archive::freeze(&snapshot, &archives, a.release, a.force)? {
        Frozen::Created(p) => eprintln!("froze {} as {}", snapshot.display(), p.display()),
        Frozen::Replaced(p) => eprintln!(
            "WARNING: --force: REPLACED the existing archive {} with {}; the previous frozen data is gone",
            p.display(),
            snapshot.display()
        ),
    }
    Ok(())
}

fn run_record(a: RecordArgs) -> Result<()> {
    let data = data_dir(a.data, &a.config)?;
    let fetched = Snapshot::read(&a.fetched)?;
    let done = crate::data::record(&data, &fetched)?;
    let live = data.snapshot();
    match (done.replaced, done.previous) {
        (false, Some(t)) => eprintln!(
            "{}: the facts are those of {} (as of {t}); left unchanged",
            a.fetched.display(),
            live.display()
        ),
        (true, None) => eprintln!(
            "{}: first snapshot, recorded as {} (no changes logged on a first run)",
            a.fetched.display(),
            live.display()
        ),
        (_, _) => eprintln!(
            "{}: the facts changed; recorded as {}, {} change(s) logged in {}",
            a.fetched.display(),
            live.display(),
            done.changes,
            data.changes().display()
        ),
    }
    if let Some(r) = done.archived {
        eprintln!(
            "Kubernetes {r} is out: froze this snapshot as {}",
            crate::archive::path_for(&data.archives(), r).display()
        );
    }
    Ok(())
}

fn run_fetch(a: FetchArgs) -> Result<()> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let token = env("GITHUB_TOKEN").or_else(|| env("GH_TOKEN"));
    if token.is_none() && !a.quiet {
        eprintln!(
            "warning: neither GITHUB_TOKEN nor GH_TOKEN is set: unauthenticated requests are limited to 60 an hour, \
             and github.com answers GraphQL only with a token"
        );
    }
    let api_url = a
        .api_url
        .or_else(|| env("GITHUB_API_URL"))
        .unwrap_or_else(|| "https://api.github.com".into());
    let api_url = api_url.trim_end_matches('/').to_string();
    let graphql_url = a
        .graphql_url
        .or_else(|| env("GITHUB_GRAPHQL_URL"))
        .unwrap_or_else(|| format!("{api_url}/graphql"));
    let opts = crate::fetch::FetchOptions {
        out: a.output.clone(),
        config: crate::config::Config::load(&a.config)?,
        client: crate::fetch::client::Options {
            api_url,
            graphql_url,
            token,
            max_wait: std::time::Duration::from_secs(a.max_wait),
            timeout: std::time::Duration::from_secs(a.timeout.max(1)),
            verbose: a.verbose,
            quiet: a.quiet,
        },
        quiet: a.quiet,
    };
    let s = crate::fetch::run(opts)?;
    if !a.quiet {
        let st = &s.stats;
        eprintln!(
            "fetched {} issues, {} pull requests, {} kep.yaml, {} CRI-O pull requests and {} releases{} into {}{}",
            s.issues,
            s.pulls,
            s.keps,
            s.crio_pulls,
            s.crio_releases,
            if s.feature_gates {
                ", the feature-gate list"
            } else {
                ""
            },
            a.output.display(),
            if s.unchanged.is_empty() {
                String::new()
            } else {
                format!(" (unchanged: {})", s.unchanged.join(", "))
            }
        );
        eprintln!("{}", st.cost_line());
    }
    Ok(())
}

fn run_import(a: ImportArgs) -> Result<()> {
    let inputs = Inputs {
        issues: a.issues,
        pulls: a.pulls,
        keps: a.keps,
        containerd_releases: a.containerd_releases,
        kubernetes_releases: a.kubernetes_releases,
        containerd_releases_md: a.containerd_releases_md,
        feature_gates: a.feature_gates,
        crio_pulls: a.crio_pulls,
        crio_releases: a.crio_releases,
        config: Some(a.config),
        tracking_repo: a.repo,
        generated_at: a.generated_at,
        whole_bodies: a.whole_bodies,
    };
    let (snapshot, summary) = import::import(&inputs)?;
    for e in &summary.kep_errors {
        eprintln!("warning: skipped {}", e.message);
    }
    snapshot.write(&a.output)?;
    eprintln!(
        "imported {} issues ({} pull-request items skipped), {} pull requests, {} kep.yaml ({} unreadable), \
         {} containerd and {} Kubernetes releases into {}",
        summary.issues,
        summary.skipped_pull_requests,
        summary.pulls,
        summary.keps,
        summary.kep_errors.len(),
        summary.containerd_releases,
        summary.kubernetes_releases,
        a.output.display()
    );
    Ok(())
}

fn run_check(a: CheckArgs) -> Result<()> {
    let snapshot = Snapshot::read(&a.snapshot)?;
    let model = Model::build(&snapshot);
    let findings = check::findings(&model);
    let text = match a.format {
        Format::Text => check::render_text(&model, &findings),
        Format::Json => {
            let doc = serde_json::json!({
                "schema_version": 1,
                "generated_at": model.generated_at,
                "findings": findings,
            });
            serde_json::to_string_pretty(&doc).context("serialising findings")? + "\n"
        }
    };
    write_stdout(&text)?;
    let count = |k: check::Kind| findings.iter().filter(|f| f.kind == k).count();
    let (violated, at_risk) = (
        count(check::Kind::PolicyViolated),
        count(check::Kind::PolicyAtRisk),
    );
    if a.strict && violated + at_risk > 0 {
        let n = |count: usize, one: &str, many: &str| match count {
            1 => format!("1 {one}"),
            _ => format!("{count} {many}"),
        };
        bail!(
            "--strict: {} and {} of SIG Node's runtime policy (listed above)",
            n(violated, "violation", "violations"),
            n(at_risk, "target at risk", "targets at risk")
        );
    }
    Ok(())
}

/// Writes the report; a reader that went away (`| head`) is not an error.
fn write_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing the report to standard output"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// clap's own consistency checks of every subcommand and argument.
    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
