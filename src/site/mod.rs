//! The static site: `kepboard build`.
//!
//! A pure function of a snapshot (plus frozen archives) and the templates:
//! [`pages`] computes what each page shows, tera lays it out, [`output`]
//! swaps the finished site in. Nothing here reads the network or the clock;
//! the only time shown is the snapshot's own, so the same snapshot gives
//! byte-identical output.

pub mod chart;
pub mod containerd;
pub mod export;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod urls;

use crate::archive::{self, Archive};
use crate::check;
use crate::domain::K8sRelease;
use crate::model::{IssueEntry, Model};
use crate::snapshot::Snapshot;
use anyhow::{anyhow, Context, Result};
use output::{OutFile, Sink};
use pages::{ArchiveCtx, Ctx};
use plotters::style::RGBColor;
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tera::Tera;
use urls::{PagePath, Urls};

/// The templates shipped in `templates/`, built into the binary so a build
/// works from any directory. `--templates DIR` replaces them.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("release.html", include_str!("../../templates/release.html")),
    ("keps.html", include_str!("../../templates/keps.html")),
    ("kep.html", include_str!("../../templates/kep.html")),
    ("health.html", include_str!("../../templates/health.html")),
    ("people.html", include_str!("../../templates/people.html")),
    (
        "archives.html",
        include_str!("../../templates/archives.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    (
        "containerd.html",
        include_str!("../../templates/containerd.html"),
    ),
    (
        "containerd_line.html",
        include_str!("../../templates/containerd_line.html"),
    ),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];
const STYLESHEET: &str = include_str!("../../templates/style.css");

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub snapshot: PathBuf,
    pub out: PathBuf,
    pub base_url: String,
    pub archives: PathBuf,
    /// A directory of templates to use instead of the built-in ones.
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub archives: usize,
}

/// Builds the whole site and swaps it into `opts.out`.
pub fn build(opts: &BuildOptions) -> Result<Report> {
    let snapshot = Snapshot::read(&opts.snapshot)?;
    let archives = archive::load_all(&opts.archives)?;
    let urls = Urls::new(&opts.base_url).map_err(|e| anyhow!(e))?;
    let tera = load_templates(opts.templates.as_deref())?;
    // Checks `--out` before any work; dropped (and removed) on any error.
    let staging = output::Staging::new(&opts.out)?;
    let written = render(&tera, &urls, &snapshot, &archives, &staging)?;
    staging.commit()?;
    Ok(Report {
        pages: written.pages,
        files: written.files,
        archives: archives.len(),
    })
}

/// Loads the templates; errors name the template and what is wrong.
pub fn load_templates(dir: Option<&Path>) -> Result<Tera> {
    let mut tera = Tera::default();
    match dir {
        None => tera
            .add_raw_templates(TEMPLATES.iter().copied())
            .map_err(tera_error)?,
        Some(dir) => {
            let mut files = Vec::new();
            for (name, _) in TEMPLATES {
                let p = dir.join(name);
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("{}: cannot read template", p.display()))?;
                files.push((name.to_string(), text));
            }
            tera.add_raw_templates(files)
                .map_err(tera_error)
                .with_context(|| format!("templates in {}", dir.display()))?;
        }
    }
    tera.autoescape_on(vec![".html", ".xml"]);
    Ok(tera)
}

/// Tera keeps the useful part of a message in the error's sources.
fn tera_error(e: tera::Error) -> anyhow::Error {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    anyhow!(msg)
}

/// What a rendering wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub pages: usize,
    pub files: usize,
}

/// Renders every file of the site, live pages and archives, into `sink`.
pub fn render(
    tera: &Tera,
    urls: &Urls,
    snapshot: &Snapshot,
    archives: &[Archive],
    sink: &dyn Sink,
) -> Result<Written> {
    let model = Model::build(snapshot);
    let (mut paths, live_site) = render_one(tera, urls, &model, PagePath::home(), None, sink)?;
    let mut put = |f: OutFile| -> Result<()> {
        paths.push(f.path.clone());
        sink.put(f)
    };
    put(OutFile {
        path: PagePath::stylesheet().file(),
        bytes: STYLESHEET.as_bytes().to_vec(),
    })?;
    let mut archive_list = Vec::new();
    let mut archive_paths = Vec::new();
    for a in archives {
        let m = Model::build(&a.snapshot);
        let prefix = PagePath::archive(a.release);
        let frozen = ArchiveCtx {
            release: a.release.to_string(),
            date: m.generated_at.format("%Y-%m-%d").to_string(),
            live_home: urls.link(&PagePath::home()),
        };
        archive_list.push(pages::ArchiveEntry {
            release: frozen.release.clone(),
            date: frozen.date.clone(),
            url: urls.link(&prefix),
        });
        archive_paths
            .extend(render_one(tera, urls, &m, prefix, Some((a.release, frozen)), sink)?.0);
    }
    archive_list.reverse();
    let page = pages::ArchivesPage {
        site: live_site.clone(),
        title: "Archives".into(),
        archives: archive_list,
    };
    put(html(tera, "archives.html", &page, &PagePath::archives())?)?;
    let page = pages::SimplePage {
        site: live_site,
        title: "Page not found".into(),
    };
    put(html(tera, "404.html", &page, &PagePath::not_found())?)?;
    put(feed(tera, urls, &model)?)?;
    paths.extend(archive_paths);

    let mut locs: Vec<String> = paths
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| urls.absolute(&PagePath::from_file(p)))
        .collect();
    locs.sort();
    let mut sitemap = tera::Context::new();
    sitemap.insert("urls", &locs);
    let f = render_file(tera, "sitemap.xml", &sitemap, &PagePath::sitemap())?;
    paths.push(f.path.clone());
    sink.put(f)?;
    Ok(Written {
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len(),
    })
}

/// [`render`] into memory, files sorted by path.
pub fn render_to_vec(
    tera: &Tera,
    urls: &Urls,
    snapshot: &Snapshot,
    archives: &[Archive],
) -> Result<Vec<OutFile>> {
    let sink = std::sync::Mutex::new(Vec::new());
    render(tera, urls, snapshot, archives, &sink)?;
    let mut files = sink
        .into_inner()
        .map_err(|_| anyhow!("output collector poisoned"))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// One page to render.
enum Job {
    Home,
    Release(K8sRelease),
    Matrix,
    Kep(crate::domain::KepNumber),
    Health,
    People,
    Containerd,
    Line(crate::domain::ContainerdLine),
}

/// Renders the page set of one model: the live site (`prefix` empty) or
/// one frozen archive scoped to its release.
fn render_one(
    tera: &Tera,
    urls: &Urls,
    model: &Model,
    prefix: PagePath,
    archive: Option<(K8sRelease, ArchiveCtx)>,
    sink: &dyn Sink,
) -> Result<(Vec<String>, pages::SiteCtx)> {
    // The site context is returned for the pages outside any one rendering
    // (archive index, 404), so they do not recompute findings.
    let scope = archive.as_ref().map(|(r, _)| *r);
    let findings = pages::scoped_findings(model, scope, check::findings(model));
    let frozen = archive.map(|(_, a)| a);
    let ctx = Ctx::new(model, urls, prefix.clone(), &findings, scope);
    let site = ctx.site(frozen);

    let chart_path = PagePath::chart("keps-by-stage").under(&prefix);
    let bars = pages::chart_bars(&ctx);
    let chart_svg = chart::stacked_bars(
        "KEPs per Kubernetes release by stage",
        &[
            ("alpha", RGBColor(0xd9, 0x5f, 0x02)),
            ("beta", RGBColor(0x75, 0x70, 0xb3)),
            ("stable", RGBColor(0x1b, 0x9e, 0x77)),
        ],
        &bars,
    )
    .map_err(|e| anyhow!("drawing the overview chart: {e}"))?;

    let lag_rows = containerd::lag_rows(&ctx);
    let lag_chart_path = PagePath::chart("containerd-lag").under(&prefix);
    let lag_svg = if lag_rows.is_empty() {
        None
    } else {
        Some(
            chart::signed_bars(
                "Days from Kubernetes release to containerd release, per KEP stage (mean)",
                "days",
                &containerd::lag_bars(&lag_rows),
            )
            .map_err(|e| anyhow!("drawing the lag chart: {e}"))?,
        )
    };
    let lag_link = lag_svg.as_ref().map(|_| urls.link(&lag_chart_path));

    let mut jobs = vec![
        Job::Home,
        Job::Matrix,
        Job::Health,
        Job::People,
        Job::Containerd,
    ];
    jobs.extend(containerd::line_list(&ctx).into_iter().map(Job::Line));
    jobs.extend(ctx.releases().into_iter().map(Job::Release));
    jobs.extend(
        ctx.keps_with_pages()
            .into_iter()
            .map(|k| Job::Kep(k.number)),
    );
    // Each page goes to the sink as soon as it is rendered, so writing
    // overlaps rendering and no page is held longer than needed.
    let mut paths: Vec<String> = jobs
        .par_iter()
        .map(|job| {
            let s = site.clone();
            let f = match job {
                Job::Home => html(
                    tera,
                    "index.html",
                    &pages::home(&ctx, s, urls.link(&chart_path), &bars),
                    &PagePath::home().under(&prefix),
                ),
                Job::Release(r) => html(
                    tera,
                    "release.html",
                    &pages::release(&ctx, s, *r),
                    &PagePath::release(*r).under(&prefix),
                ),
                Job::Matrix => html(
                    tera,
                    "keps.html",
                    &pages::matrix(&ctx, s),
                    &PagePath::matrix().under(&prefix),
                ),
                Job::Kep(n) => {
                    let k = &model.keps[n];
                    html(
                        tera,
                        "kep.html",
                        &pages::kep(&ctx, s, k),
                        &PagePath::kep(*n).under(&prefix),
                    )
                }
                Job::Health => html(
                    tera,
                    "health.html",
                    &pages::health(&ctx, s),
                    &PagePath::health().under(&prefix),
                ),
                Job::People => html(
                    tera,
                    "people.html",
                    &pages::people(&ctx, s),
                    &PagePath::people().under(&prefix),
                ),
                Job::Containerd => html(
                    tera,
                    "containerd.html",
                    &containerd::index(&ctx, s, lag_link.clone()),
                    &PagePath::containerd().under(&prefix),
                ),
                Job::Line(v) => html(
                    tera,
                    "containerd_line.html",
                    &containerd::line_page(&ctx, s, *v),
                    &PagePath::containerd_line(*v).under(&prefix),
                ),
            }?;
            let path = f.path.clone();
            sink.put(f)?;
            Ok(path)
        })
        .collect::<Result<_>>()?;
    let mut put = |f: OutFile| -> Result<()> {
        paths.push(f.path.clone());
        sink.put(f)
    };
    put(OutFile {
        path: chart_path.file(),
        bytes: chart_svg.into_bytes(),
    })?;
    if let Some(svg) = lag_svg {
        put(OutFile {
            path: lag_chart_path.file(),
            bytes: svg.into_bytes(),
        })?;
    }
    let keps = ctx.keps_with_pages();
    let mut json = serde_json::to_vec_pretty(&export::export(model, &keps))
        .context("serialising keps.json")?;
    json.push(b'\n');
    put(OutFile {
        path: PagePath::keps_json().under(&prefix).file(),
        bytes: json,
    })?;
    Ok((paths, site))
}

fn html<T: Serialize>(tera: &Tera, template: &str, page: &T, path: &PagePath) -> Result<OutFile> {
    let ctx = tera::Context::from_serialize(page).map_err(tera_error)?;
    render_file(tera, template, &ctx, path)
}

fn render_file(
    tera: &Tera,
    template: &str,
    ctx: &tera::Context,
    path: &PagePath,
) -> Result<OutFile> {
    let text = tera
        .render(template, ctx)
        .map_err(tera_error)
        .with_context(|| format!("rendering {} with template {template}", path.file()))?;
    Ok(OutFile {
        path: path.file(),
        bytes: text.into_bytes(),
    })
}

/// The Atom feed of tracking issues, most recently updated first.
fn feed(tera: &Tera, urls: &Urls, model: &Model) -> Result<OutFile> {
    #[derive(Serialize)]
    struct Entry {
        id: String,
        title: String,
        url: String,
        updated: String,
        summary: String,
    }
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
                url: match i.parsed.kep_numbers.first() {
                    Some(k) => format!("{}#issue-{}", urls.absolute(&PagePath::kep(*k)), i.number),
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
    let mut ctx = tera::Context::new();
    ctx.insert("entries", &entries);
    ctx.insert(
        "updated",
        &model
            .generated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    );
    ctx.insert("self_url", &urls.absolute(&PagePath::feed()));
    ctx.insert("home_url", &urls.absolute(&PagePath::home()));
    render_file(tera, "feed.xml", &ctx, &PagePath::feed())
}
