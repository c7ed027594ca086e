//! Rendering: the page set of one model (the live site or one archive)
//! through tera into a [`Sink`], pages in parallel, then the files that
//! span renderings (archive list, 404, feed, sitemap).
//!
//! Not what a page shows ([`super::pages`]) nor the templates
//! ([`super::templates`]): this file only decides which files a site has
//! and writes them.

use super::chart;
use super::output::{OutFile, Sink};
use super::pages::{self, containerd, ArchiveCtx, Ctx, SiteCtx};
use super::templates::{tera_error, Templates};
use super::urls::{PagePath, Urls};
use super::{export, Built, SiteInput, Written};
use crate::changes::Change;
use crate::domain::{ContainerdLine, K8sRelease, KepNumber};
use crate::model::Model;
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
    let (mut paths, live_site) = render_one(&out, live, PagePath::home(), None)?;
    let mut archive_list = Vec::new();
    for (release, a) in &input.archives {
        let prefix = PagePath::archive(*release);
        let frozen = ArchiveCtx {
            release: release.to_string(),
            date: a.model.generated_at.format("%Y-%m-%d").to_string(),
            live_home: urls.link(&PagePath::home()),
        };
        archive_list.push(pages::archives::ArchiveEntry {
            release: frozen.release.clone(),
            date: frozen.date.clone(),
            url: urls.link(&prefix),
        });
        paths.extend(render_one(&out, a, prefix, Some((*release, frozen)))?.0);
    }
    archive_list.reverse();
    let mut files = vec![OutFile {
        path: PagePath::stylesheet().file(),
        bytes: templates.stylesheet.as_bytes().to_vec(),
    }];
    let changes = input.changes.newest_first();
    files.extend(site_wide(
        &out,
        &live.model,
        live_site,
        archive_list,
        &changes,
    )?);
    for f in files {
        paths.push(f.path.clone());
        sink.put(f)?;
    }
    let f = sitemap(&out, &paths)?;
    paths.push(f.path.clone());
    sink.put(f)?;
    Ok(Written {
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len(),
    })
}

/// The files outside any one rendering: the archive list, the 404 page, and
/// the changes page and feed (of the live site).
fn site_wide(
    out: &Out,
    live: &Model,
    site: SiteCtx,
    archives: Vec<pages::archives::ArchiveEntry>,
    changes: &[&Change],
) -> Result<Vec<OutFile>> {
    let page = pages::changes::page(live, out.urls, site.clone(), changes);
    let changes_page = out.html("changes.html", &page, &PagePath::changes())?;
    let page = pages::archives::ArchivesPage {
        site: site.clone(),
        title: "Archives".into(),
        archives,
    };
    let archives = out.html("archives.html", &page, &PagePath::archives())?;
    let page = pages::archives::SimplePage {
        site,
        title: "Page not found".into(),
    };
    let not_found = out.html("404.html", &page, &PagePath::not_found())?;
    let feed = out.html(
        "feed.xml",
        &pages::feed::page(live, out.urls, changes),
        &PagePath::feed(),
    )?;
    Ok(vec![archives, not_found, changes_page, feed])
}

/// The sitemap: every page written (`…/index.html`), as URLs, sorted.
fn sitemap(out: &Out, paths: &[String]) -> Result<OutFile> {
    let mut locs: Vec<String> = paths
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .map(|p| out.urls.absolute(&PagePath::from_file(p)))
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
    Kep(KepNumber),
    Health,
    Policy,
    People,
    Containerd,
    Line(ContainerdLine),
}

/// The charts of one rendering, drawn before the pages that link them.
struct Charts {
    overview_path: PagePath,
    overview_svg: String,
    bars: Vec<chart::Bar>,
    lag_path: PagePath,
    /// `None` when no KEP stage has both dates: no chart, no link.
    lag_svg: Option<String>,
}

impl Charts {
    fn draw(ctx: &Ctx, prefix: &PagePath) -> Result<Charts> {
        let bars = pages::home::chart_bars(ctx);
        let overview_svg = chart::stacked_bars(
            "KEPs per Kubernetes release by stage",
            &chart::stage_series(),
            &bars,
        )
        .map_err(|e| anyhow!("drawing the overview chart: {e}"))?;
        let lag_rows = containerd::lag_rows(ctx);
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
        Ok(Charts {
            overview_path: PagePath::chart("keps-by-stage").under(prefix),
            overview_svg,
            bars,
            lag_path: PagePath::chart("containerd-lag").under(prefix),
            lag_svg,
        })
    }

    /// The chart files.
    fn files(self) -> Vec<OutFile> {
        let mut files = vec![OutFile {
            path: self.overview_path.file(),
            bytes: self.overview_svg.into_bytes(),
        }];
        if let Some(svg) = self.lag_svg {
            files.push(OutFile {
                path: self.lag_path.file(),
                bytes: svg.into_bytes(),
            });
        }
        files
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
    jobs.extend(containerd::line_list(ctx).into_iter().map(Job::Line));
    jobs.extend(ctx.releases().into_iter().map(Job::Release));
    jobs.extend(
        ctx.keps_with_pages()
            .into_iter()
            .map(|k| Job::Kep(k.number)),
    );
    jobs
}

/// Renders the page set of one model: the live site (`prefix` empty) or
/// one frozen archive scoped to its release. Returns the paths written and
/// the site context, for the pages outside any one rendering (archive
/// index, 404), so they do not recompute findings.
fn render_one(
    out: &Out,
    built: &Built,
    prefix: PagePath,
    archive: Option<(K8sRelease, ArchiveCtx)>,
) -> Result<(Vec<String>, SiteCtx)> {
    let model = &built.model;
    let scope = archive.as_ref().map(|(r, _)| *r);
    let frozen = archive.map(|(_, a)| a);
    let ctx = Ctx::new(model, out.urls, prefix.clone(), &built.findings, scope);
    let site = ctx.site(frozen);
    let charts = Charts::draw(&ctx, &prefix)?;
    // Each page goes to the sink as soon as it is rendered, so writing
    // overlaps rendering and no page is held longer than needed.
    let mut paths: Vec<String> = jobs(&ctx)
        .par_iter()
        .map(|job| {
            let f = render_job(out, &ctx, site.clone(), &charts, job)?;
            let path = f.path.clone();
            out.sink.put(f)?;
            Ok(path)
        })
        .collect::<Result<_>>()?;
    let keps = ctx.keps_with_pages();
    let mut json = serde_json::to_vec_pretty(&export::export(model, &keps))
        .context("serialising keps.json")?;
    json.push(b'\n');
    let mut files = charts.files();
    files.push(OutFile {
        path: PagePath::keps_json().under(&prefix).file(),
        bytes: json,
    });
    for f in files {
        paths.push(f.path.clone());
        out.sink.put(f)?;
    }
    Ok((paths, site))
}

/// One page of a rendering.
fn render_job(out: &Out, ctx: &Ctx, s: SiteCtx, charts: &Charts, job: &Job) -> Result<OutFile> {
    let prefix = &ctx.prefix;
    match job {
        Job::Home => out.html(
            "index.html",
            &pages::home::page(ctx, s, out.urls.link(&charts.overview_path), &charts.bars),
            &PagePath::home().under(prefix),
        ),
        Job::Release(r) => out.html(
            "release.html",
            &pages::release::page(ctx, s, *r),
            &PagePath::release(*r).under(prefix),
        ),
        Job::Matrix => out.html(
            "keps.html",
            &pages::matrix::page(ctx, s),
            &PagePath::matrix().under(prefix),
        ),
        Job::Kep(n) => out.html(
            "kep.html",
            &pages::kep::page(ctx, s, &ctx.model.keps[n]),
            &PagePath::kep(*n).under(prefix),
        ),
        Job::Health => out.html(
            "health.html",
            &pages::health::page(ctx, s),
            &PagePath::health().under(prefix),
        ),
        Job::Policy => out.html(
            "policy.html",
            &pages::readiness::page(ctx, s),
            &PagePath::policy().under(prefix),
        ),
        Job::People => out.html(
            "people.html",
            &pages::people::page(ctx, s),
            &PagePath::people().under(prefix),
        ),
        Job::Containerd => {
            let lag_link = charts
                .lag_svg
                .as_ref()
                .map(|_| out.urls.link(&charts.lag_path));
            out.html(
                "containerd.html",
                &containerd::index(ctx, s, lag_link),
                &PagePath::containerd().under(prefix),
            )
        }
        Job::Line(l) => out.html(
            "containerd_line.html",
            &containerd::line_page(ctx, s, *l),
            &PagePath::containerd_line(*l).under(prefix),
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
