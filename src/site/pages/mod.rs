//! View models: what each page shows, computed from the [`Model`] and its
//! findings.
//!
//! One file per page kind turns the model into a serialisable context for
//! one template. All logic (which KEPs a release page lists, which flags a
//! row carries, sort orders, texts, links) lives here; templates only lay
//! it out. Every link is built through [`Urls`]/[`PagePath`], relative to
//! the page it is on: a page is computed from an [`At`] (`ctx.at(&path)`),
//! the rendering's [`Ctx`] seen from that page, and only an [`At`] makes
//! links.
//!
//! This file holds what every page kind shares: the per-rendering [`Ctx`]
//! (the live site, or one frozen archive), the [`SiteCtx`] every page
//! carries (footer, navigation, archive banner) and the findings an archive
//! shows. It computes no page itself; the row types pages share are in
//! [`rows`].

pub mod archives;
pub mod changes;
pub mod containerd;
pub mod feed;
pub mod health;
pub mod home;
pub mod kep;
pub mod matrix;
pub mod people;
pub mod readiness;
pub mod release;
pub mod rows;

use super::chart::{Size, NARROW, WIDE};
use super::urls::{PagePath, Urls};
use crate::check::{Finding, Subject};
use crate::domain::{K8sRelease, KepNumber};
use crate::model::{KepEntry, Model};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What every page knows about the site it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    /// The data's time: `2026-11-01 00:00 UTC`.
    pub generated_at: String,
    /// When the last refresh failed, if it did (live pages only): the
    /// data is then older than it should be, and every page says so.
    pub refresh_failed_at: Option<String>,
    /// Where the data came from, as the snapshot says.
    pub source: Vec<String>,
    /// The cycle under way (an archive's own release).
    pub current_release: Option<String>,
    /// Set on pages of a frozen archive.
    pub archive: Option<ArchiveCtx>,
    /// Links of the navigation and footer.
    pub nav: Nav,
    /// The stylesheet's link.
    pub stylesheet: String,
    /// The favicon's link (`favicon.svg`).
    pub favicon: String,
    /// The page's absolute, clean URL when the site URL is known
    /// (`<link rel="canonical">`, `og:url`).
    pub canonical: Option<String>,
    /// The Content-Security-Policy, [`CSP`].
    pub csp: &'static str,
    /// `/filter.js`, on pages with KEP tables to filter and sort (set by
    /// those pages); every page works without it.
    pub script: Option<String>,
}

/// The banner of a frozen archive's pages.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveCtx {
    /// The archived release: `v1.35`.
    pub release: String,
    /// When it was frozen: the time of its snapshot.
    pub date: String,
    /// The release's `.0` date, when the snapshot has it.
    pub released: Option<String>,
    /// The same page on the live site.
    pub live_page: String,
}

/// The links of the navigation and footer.
#[derive(Debug, Clone, Serialize)]
pub struct Nav {
    /// The overview (of this rendering).
    pub home: String,
    /// The release page of the cycle under way.
    pub current: Option<String>,
    /// The cross-release matrix.
    pub matrix: String,
    /// Process health.
    pub health: String,
    /// People.
    pub people: String,
    /// SIG Node's runtime policy.
    pub policy: String,
    /// containerd releases.
    pub containerd: String,
    /// The archive list (always the live one).
    pub archives: String,
    /// `keps.json`.
    pub data: String,
    /// The feed (always the live one); none without a site URL, whose
    /// absolute ids a feed needs.
    pub feed: Option<String>,
    /// What changed (always the live one).
    pub changes: String,
}

/// A chart as a page shows it: two drawings (wide, and narrow for
/// phones), each shown at its own size or smaller, a caption and alt text.
#[derive(Debug, Serialize)]
pub struct Figure {
    /// The wide drawing.
    pub src: String,
    /// Its size.
    pub size: Size,
    /// The narrow drawing, for pages under 62rem.
    pub narrow_src: String,
    /// Its size.
    pub narrow_size: Size,
    /// What it shows, as the figure's caption.
    pub caption: String,
    /// The image in words, with where its numbers are.
    pub alt: String,
}

/// Nothing from other hosts; no inline script or style, no `eval`: the
/// only script is the site's own `/filter.js`.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

/// The context of one rendering (the live site or one archive): the
/// model, the deployment's URLs and the prefix of an archive (empty for
/// the live site). Links are made from one page: [`Ctx::at`].
pub struct Ctx<'a> {
    /// The model.
    pub model: &'a Model,
    /// The deployment's URLs.
    pub urls: &'a Urls,
    /// The archive's root, or empty for the live site.
    pub prefix: PagePath,
    /// The findings this rendering shows (an archive's: about its release).
    pub findings: Vec<&'a Finding>,
    /// Findings by subject, for row flags.
    pub by_subject: BTreeMap<&'a Subject, Vec<&'a Finding>>,
    /// `Some` for an archive: only this release is shown.
    pub scope: Option<K8sRelease>,
    /// When the refresh after the live snapshot failed (live site only).
    pub refresh_failed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The KEPs of each release page, computed once (see [`Model::lists`]).
    by_release: BTreeMap<K8sRelease, Vec<&'a KepEntry>>,
    current: Option<K8sRelease>,
    releases: Vec<K8sRelease>,
}

/// A rendering seen from one of its pages: what page functions take. It
/// is its [`Ctx`] (it derefs to it) whose links are relative to the page.
pub struct At<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// The page, relative to the site root (an archive's prefix included).
    page: PagePath,
    /// The same page of the live site (no archive prefix).
    live: PagePath,
}

impl<'a> std::ops::Deref for At<'_, 'a> {
    type Target = Ctx<'a>;
    fn deref(&self) -> &Ctx<'a> {
        self.ctx
    }
}

impl<'a> Ctx<'a> {
    /// The context of one rendering: the live site (`scope` `None`, `prefix`
    /// empty) or the archive of release `scope` below `prefix`. `findings`
    /// are all of the model's; an archive keeps those about its release.
    pub fn new(
        model: &'a Model,
        urls: &'a Urls,
        prefix: PagePath,
        findings: &'a [Finding],
        scope: Option<K8sRelease>,
    ) -> Self {
        let findings = scoped(model, scope, findings);
        let mut by_subject: BTreeMap<&Subject, Vec<&Finding>> = BTreeMap::new();
        for f in findings.iter().copied() {
            by_subject.entry(&f.subject).or_default().push(f);
        }
        let current = scope.or_else(|| model.current_release());
        let releases = match scope {
            Some(r) => vec![r],
            None => model.k8s_releases(),
        };
        let by_release = releases
            .iter()
            .map(|r| (*r, model.release_keps(*r)))
            .collect();
        Ctx {
            model,
            urls,
            prefix,
            findings,
            by_subject,
            scope,
            refresh_failed_at: None,
            by_release,
            current,
            releases,
        }
    }

    /// The KEPs listed on the page of release `r`.
    pub fn release_keps(&self, r: K8sRelease) -> Vec<&'a KepEntry> {
        self.by_release.get(&r).cloned().unwrap_or_default()
    }

    /// This rendering seen from its page `p` (below the archive's prefix,
    /// if any): `ctx.at(&PagePath::kep(n))`.
    pub fn at<'c>(&'c self, p: &PagePath) -> At<'c, 'a> {
        At {
            ctx: self,
            page: p.under(&self.prefix),
            live: p.clone(),
        }
    }

    /// The release cycle the overview is about.
    pub fn current_release(&self) -> Option<K8sRelease> {
        self.current
    }

    /// Releases that get a page, oldest first.
    pub fn releases(&self) -> Vec<K8sRelease> {
        self.releases.clone()
    }

    /// KEPs that get a page: all of them, or in an archive those on its release page.
    pub fn keps_with_pages(&self) -> Vec<&'a KepEntry> {
        match self.scope {
            None => self.model.keps.values().collect(),
            Some(r) => self.release_keps(r),
        }
    }

    /// KEPs of interest (the rows of the cross-release matrix).
    pub fn matrix_keps(&self) -> Vec<&'a KepEntry> {
        let scoped: Vec<&KepEntry> = self.keps_with_pages();
        scoped.into_iter().filter(|k| k.is_of_interest()).collect()
    }
}

impl At<'_, '_> {
    /// The page this is, relative to the site root.
    pub fn page(&self) -> &PagePath {
        &self.page
    }

    /// The link from this page to page `p` of its rendering (inside the
    /// archive, if any).
    pub fn link(&self, p: &PagePath) -> String {
        self.urls.link(&self.page, &p.under(&self.prefix))
    }

    /// The link from this page to `p` of the live site (the stylesheet,
    /// the archive list, the feed), even from an archive's page.
    pub fn root_link(&self, p: &PagePath) -> String {
        self.urls.link(&self.page, p)
    }

    /// The chart `name` of this rendering as this page shows it.
    pub fn figure(&self, name: &str, caption: String, alt: String) -> Figure {
        Figure {
            src: self.link(&PagePath::chart(name)),
            size: WIDE,
            narrow_src: self.link(&PagePath::chart_narrow(name)),
            narrow_size: NARROW,
            caption,
            alt,
        }
    }

    /// What every page carries: navigation, footer, the archive's banner.
    pub fn site(&self) -> SiteCtx {
        let current = self.current_release();
        let archive = self.scope.map(|r| ArchiveCtx {
            release: r.to_string(),
            date: self.model.generated_at.format("%Y-%m-%d").to_string(),
            released: self.model.calendar.date(r).map(|d| d.to_string()),
            live_page: self.root_link(&self.live),
        });
        let time = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
        SiteCtx {
            generated_at: time(self.model.generated_at),
            refresh_failed_at: self.refresh_failed_at.map(time),
            source: self.model.source.details.clone(),
            current_release: current.map(|r| r.to_string()),
            archive,
            nav: Nav {
                home: self.link(&PagePath::home()),
                current: current.map(|r| self.link(&PagePath::release(r))),
                matrix: self.link(&PagePath::matrix()),
                health: self.link(&PagePath::health()),
                people: self.link(&PagePath::people()),
                policy: self.link(&PagePath::policy()),
                containerd: self.link(&PagePath::containerd()),
                archives: self.root_link(&PagePath::archives()),
                data: self.link(&PagePath::keps_json()),
                feed: self
                    .urls
                    .has_site_url()
                    .then(|| self.root_link(&PagePath::feed())),
                changes: self.root_link(&PagePath::changes()),
            },
            stylesheet: self.root_link(&PagePath::stylesheet()),
            favicon: self.root_link(&PagePath::favicon()),
            canonical: self.urls.canonical(&self.page),
            csp: CSP,
            script: None,
        }
    }
}

/// The findings an archive scoped to `scope` shows: those about its KEPs
/// and their tracking issues. The live site shows all.
fn scoped<'a>(
    model: &Model,
    scope: Option<K8sRelease>,
    findings: &'a [Finding],
) -> Vec<&'a Finding> {
    let Some(r) = scope else {
        return findings.iter().collect();
    };
    let keps: BTreeSet<KepNumber> = model.release_keps(r).iter().map(|k| k.number).collect();
    findings
        .iter()
        .filter(|f| match &f.subject {
            Subject::Kep(k) => keps.contains(k),
            Subject::Issue(n) => model
                .issues
                .get(n)
                .is_some_and(|i| i.joined_keps.iter().any(|k| keps.contains(k))),
            Subject::File(_) => false,
        })
        .collect()
}
