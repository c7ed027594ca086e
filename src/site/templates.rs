//! The templates: built into the binary from `templates/`, optionally
//! replaced by `--templates DIR`, loaded into tera with autoescaping.
//!
//! Not what the templates show (that is [`super::pages`]) nor where the
//! output goes ([`super::output`]).

use anyhow::{anyhow, Context, Result};
use std::path::Path;
use tera::Tera;

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

/// The site's stylesheet, copied to `/style.css`.
pub const STYLESHEET: &str = include_str!("../../templates/style.css");

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
pub(super) fn tera_error(e: tera::Error) -> anyhow::Error {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    anyhow!(msg)
}
