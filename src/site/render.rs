//! Rendering: the page set of one model (the live site or one archive)
//! through tera into a [`Sink`], pages in parallel, then the files that
//! span renderings (archive list, 404, feed, sitemap, robots.txt, icons).
//!
//! Not what a page shows ([`super::pages`]) nor the templates
//! ([`super::templates`]): this file only decides which files a site has
//! and writes them.

use super::chart;
use super::output::{OutFile, Sink};
use super::pages::{self, containerd, Ctx};
use super::templates::{tera_error, Templates};
use super::urls::{PagePath, Urls};
use super::{export, icon, SiteInput, Written};
use crate::changes::Change;
use crate::domain::{ContainerdLine, K8sRelease, KepNumber};
use anyhow::{anyhow, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::Tera;

/// What every rendering writes with: the templates, the deployment's URLs
/// and where files go.
struct Out<'a> {
    tera: &'a Tera,
    urls: &'a Urls,
    sink: &'a dyn Sink,
}

impl Out<'_> {
    /// Renders `page` with `template` to the file of `path`.
    fn html<T: Serialize>(&self, template: &str, page: &T, path: &PagePath) -> Result<OutFile> {
        let ctx = tera::Context::from_serialize(page).map_err(tera_error)?;
        render_file(self.tera, template, &ctx, path)
    }
}

/// Renders every file of the site, live pages and archives, into `sink`.
pub fn render(
    templates: &Templates,
    urls: &Urls,
    input: &SiteInput,
    sink: &dyn Sink,
) -> Result<Written> {
    let out = Out {
        tera: &templates.tera,
        urls,
        sink,
    };
    let live = &input.live;
    let mut live_ctx = Ctx::new(&live.model, urls, PagePath::home(), &live.findings, None);
    live_ctx.refresh_failed_at = input.refresh_failed_at;
    let mut paths = render_one(&out, &live_ctx)?;
    let mut archive_list = Vec::new();
    for (release, a) in &input.archives {
        let prefix = PagePath::archive(*release);
        let ctx = Ctx::new(&a.model, urls, prefix, &a.findings, Some(*release));
        archive_list.push((
            *release,
            a.model.generated_at.format("%Y-%m-%d").to_string(),
        ));
        paths.extend(render_one(&out, &ctx)?);
    }
    archive_list.reverse();
    let mut files = vec![
        OutFile {
            path: PagePath::stylesheet().file(),
            bytes: templates.stylesheet.as_bytes().to_vec(),
        },
        OutFile {
            path: PagePath::script().file(),
            bytes: templates.script.as_bytes().to_vec(),
        },
        OutFile {
            path: PagePath::favicon().file(),
            bytes: icon::SVG.as_bytes().to_vec(),
        },
        OutFile {
            path: PagePath::favicon_ico().file(),
            bytes: icon::ico(),
        },
        robots(urls),
    ];
    let changes = input.changes.newest_first();
    files.extend(site_wide(&out, &live_ctx, archive_list, &changes)?);
    for f in files {
        paths.push(f.path.clone());
        sink.put(f)?;
    }
    // Sitemap URLs must be absolute: without the site URL there is none.
    if urls.has_site_url() {
        let f = sitemap(&out, &paths)?;
        paths.push(f.path.clone());
        sink.put(f)?;
    }
    Ok(Written {
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len(),
    })
}

/// `robots.txt`: everything may be crawled; the sitemap when there is one.
fn robots(urls: &Urls) -> OutFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(sitemap) = urls.canonical(&PagePath::sitemap()) {
        text.push_str(&format!("Sitemap: {sitemap}\n"));
    }
    OutFile {
        path: PagePath::robots().file(),
        bytes: text.into_bytes(),
    }
}

/// The files outside any one rendering: the archive list, the 404 page, and
/// the changes page and feed (of the live site; the feed only with a site
/// URL).
fn site_wide(
    out: &Out,
    live: &Ctx,
    archives: Vec<(K8sRelease, String)>,
    changes: &[&Change],
) -> Result<Vec<OutFile>> {
    let page = pages::changes::page(&live.at(&PagePath::changes()), changes);
    let changes_page = out.html("changes.html", &page, &PagePath::changes())?;
    let at = live.at(&PagePath::archives());
    let archives = pages::archives::list(&at, archives);
    let archives = out.html("archives.html", &archives, &PagePath::archives())?;
    let page = pages::archives::not_found(&live.at(&PagePath::not_found()));
    let not_found = out.html("404.html", &page, &PagePath::not_found())?;
    let mut files = vec![archives, not_found, changes_page];
    // A feed's ids must be absolute: without a site URL there is none.
    if out.urls.has_site_url() {
        files.push(out.html(
            "feed.xml",
            &pages::feed::page(live.model, out.urls, changes),
            &PagePath::feed(),
        )?);
    }
    Ok(files)
}

/// The sitemap: every page written (`…/index.html`), as URLs, sorted.
fn sitemap(out: &Out, paths: &[String]) -> Result<OutFile> {
    let mut locs: Vec<String> = paths
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .filter_map(|p| out.urls.canonical(&PagePath::from_file(p)))
        .collect();
    locs.sort();
    let mut sitemap = tera::Context::new();
    sitemap.insert("urls", &locs);
    render_file(out.tera, "sitemap.xml", &sitemap, &PagePath::sitemap())
}

/// One page to render.
enum Job {
    Home,
    Release(K8sRelease),
    Matrix,
    MatrixAll,
    Kep(KepNumber),
    Health,
    Policy,
    People,
    Containerd,
    Line(ContainerdLine),
}

/// The charts of one rendering, drawn before the pages that link them:
/// each wide and narrow ([`chart::WIDE`], [`chart::NARROW`]).
struct Charts {
    bars: Vec<chart::Bar>,
    /// Whether there is a lag chart: none when no KEP stage has both
    /// dates (no chart, no link).
    lag: bool,
    files: Vec<OutFile>,
}

impl Charts {
    fn draw(ctx: &Ctx) -> Result<Charts> {
        let prefix = &ctx.prefix;
        let file = |path: PagePath, svg: String| OutFile {
            path: path.under(prefix).file(),
            bytes: svg.into_bytes(),
        };
        let both = |name: &str, draw: &dyn Fn(chart::Size) -> Result<String, String>| {
            let wide = draw(chart::WIDE).map_err(|e| anyhow!("drawing chart {name}: {e}"))?;
            let narrow = draw(chart::NARROW).map_err(|e| anyhow!("drawing chart {name}: {e}"))?;
            Ok::<_, anyhow::Error>([
                file(PagePath::chart(name), wide),
                file(PagePath::chart_narrow(name), narrow),
            ])
        };
        let bars = pages::home::chart_bars(ctx);
        let series = chart::overview_series();
        let mut files = Vec::from(both(pages::home::CHART, &|size| {
            let drawn = pages::home::drawn(ctx, &bars);
            chart::stacked_bars("KEPs per Kubernetes release by stage", &series, drawn, size)
        })?);
        let lag_rows = containerd::lag_rows(&ctx.at(&PagePath::containerd()));
        let lag = !lag_rows.is_empty();
        if lag {
            let values = containerd::lag_values(&containerd::lag_bars(&lag_rows));
            files.extend(both(containerd::LAG_CHART, &|size| {
                chart::signed_bars(
                    containerd::LAG_TITLE,
                    "days",
                    containerd::lag_legend(),
                    &values,
                    size,
                )
            })?);
        }
        Ok(Charts { bars, lag, files })
    }
}

/// Every page of one rendering.
fn jobs(ctx: &Ctx) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Matrix,
        Job::Health,
        Job::Policy,
        Job::People,
        Job::Containerd,
    ];
    // An archive shows one release: its /keps/ is the whole of it.
    if ctx.scope.is_none() {
        jobs.push(Job::MatrixAll);
    }
    jobs.extend(containerd::line_list(ctx).into_iter().map(Job::Line));
    jobs.extend(ctx.releases().into_iter().map(Job::Release));
    jobs.extend(
        ctx.keps_with_pages()
            .into_iter()
            .map(|k| Job::Kep(k.number)),
    );
    jobs
}

/// Renders the page set of one rendering: the live site (prefix empty)
/// or one frozen archive scoped to its release. Returns the paths written.
fn render_one(out: &Out, ctx: &Ctx) -> Result<Vec<String>> {
    let model = ctx.model;
    let mut charts = Charts::draw(ctx)?;
    // Each page goes to the sink as soon as it is rendered, so writing
    // overlaps rendering and no page is held longer than needed.
    let mut paths: Vec<String> = jobs(ctx)
        .par_iter()
        .map(|job| {
            let f = render_job(out, ctx, &charts, job)?;
            let path = f.path.clone();
            out.sink.put(f)?;
            Ok(path)
        })
        .collect::<Result<_>>()?;
    let keps = ctx.keps_with_pages();
    // Badges: the live site's only (embedders want the current status).
    if ctx.scope.is_none() {
        let badges: Vec<String> = keps
            .par_iter()
            .map(|k| {
                let path = PagePath::kep_badge(k.number);
                let svg = pages::kep::badge(&ctx.at(&PagePath::kep(k.number)), k).svg();
                out.sink.put(OutFile {
                    path: path.file(),
                    bytes: svg.into_bytes(),
                })?;
                Ok(path.file())
            })
            .collect::<Result<_>>()?;
        paths.extend(badges);
    }
    let mut json = serde_json::to_vec_pretty(&export::export(model, &keps))
        .context("serialising keps.json")?;
    json.push(b'\n');
    let mut files = std::mem::take(&mut charts.files);
    files.push(OutFile {
        path: PagePath::keps_json().under(&ctx.prefix).file(),
        bytes: json,
    });
    for f in files {
        paths.push(f.path.clone());
        out.sink.put(f)?;
    }
    Ok(paths)
}

/// One page of a rendering.
fn render_job(out: &Out, ctx: &Ctx, charts: &Charts, job: &Job) -> Result<OutFile> {
    let path = match job {
        Job::Home => PagePath::home(),
        Job::Release(r) => PagePath::release(*r),
        Job::Matrix => PagePath::matrix(),
        Job::MatrixAll => PagePath::matrix_all(),
        Job::Kep(n) => PagePath::kep(*n),
        Job::Health => PagePath::health(),
        Job::Policy => PagePath::policy(),
        Job::People => PagePath::people(),
        Job::Containerd => PagePath::containerd(),
        Job::Line(l) => PagePath::containerd_line(*l),
    };
    let at = ctx.at(&path);
    let file = at.page();
    match job {
        Job::Home => out.html("index.html", &pages::home::page(&at, &charts.bars), file),
        Job::Release(r) => out.html("release.html", &pages::release::page(&at, *r), file),
        Job::Matrix => out.html("keps.html", &pages::matrix::recent(&at), file),
        Job::MatrixAll => out.html("keps.html", &pages::matrix::all(&at), file),
        Job::Kep(n) => out.html("kep.html", &pages::kep::page(&at, &ctx.model.keps[n]), file),
        Job::Health => out.html("health.html", &pages::health::page(&at), file),
        Job::Policy => out.html("policy.html", &pages::readiness::page(&at), file),
        Job::People => out.html("people.html", &pages::people::page(&at), file),
        Job::Containerd => out.html("containerd.html", &containerd::index(&at, charts.lag), file),
        Job::Line(l) => out.html(
            "containerd_line.html",
            &containerd::line_page(&at, *l),
            file,
        ),
    }
}

/// Renders `template` with `ctx` to the file of `path`; errors name both.
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
