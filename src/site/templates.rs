//! The templates: built into the binary from `templates/`, optionally
//! replaced by `--templates DIR`, loaded into tera with autoescaping.
//!
//! Not what the templates show (that is [`super::pages`]) nor where the
//! output goes ([`super::output`]).

use anyhow::{anyhow, bail, Context, Result};
use std::path::Path;
use tera::Tera;

/// The templates shipped in `templates/`, built into the binary so a build
/// works from any directory. `--templates DIR` replaces those it holds.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("release.html", include_str!("../../templates/release.html")),
    ("keps.html", include_str!("../../templates/keps.html")),
    ("kep.html", include_str!("../../templates/kep.html")),
    ("health.html", include_str!("../../templates/health.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("policy.html", include_str!("../../templates/policy.html")),
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
    ("changes.html", include_str!("../../templates/changes.html")),
    ("feed.xml", include_str!("../../templates/feed.xml")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
];

/// The site's stylesheet, copied to `/style.css`.
pub const STYLESHEET: &str = include_str!("../../templates/style.css");

/// The stylesheet's file name in `templates/` and in a `--templates` directory.
const STYLESHEET_NAME: &str = "style.css";

/// The site's one script, copied to `/filter.js`: filtering and sorting
/// of KEP tables, on the pages that have them. Every page works without it.
pub const SCRIPT: &str = include_str!("../../templates/filter.js");

/// The script's file name in `templates/` and in a `--templates` directory.
const SCRIPT_NAME: &str = "filter.js";

/// The loaded templates and the stylesheet they link.
pub struct Templates {
    /// Every template, built in or overridden, with autoescaping for
    /// `.html` and `.xml`.
    pub tera: Tera,
    /// The text of `/style.css`.
    pub stylesheet: String,
    /// The text of `/filter.js`.
    pub script: String,
}

/// Loads the built-in templates, with those in `dir` (`--templates`)
/// replacing the built-in ones of the same name: a directory may hold only
/// the templates it changes (and `style.css`). A file in `dir` that is not
/// one of them is an error naming it, as are template errors (naming the
/// template and what is wrong).
pub fn load_templates(dir: Option<&Path>) -> Result<Templates> {
    let mut files: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut stylesheet = STYLESHEET.to_string();
    let mut script = SCRIPT.to_string();
    if let Some(dir) = dir {
        for (name, text) in overrides(dir)? {
            if name == STYLESHEET_NAME {
                stylesheet = text;
            } else if name == SCRIPT_NAME {
                script = text;
            } else if let Some(slot) = files.iter_mut().find(|(n, _)| *n == name) {
                slot.1 = text;
            }
        }
    }
    let mut tera = Tera::default();
    tera.add_raw_templates(files)
        .map_err(tera_error)
        .with_context(|| match dir {
            Some(dir) => format!("templates, with those in {}", dir.display()),
            None => "built-in templates".to_string(),
        })?;
    tera.autoescape_on(vec![".html", ".xml"]);
    Ok(Templates {
        tera,
        stylesheet,
        script,
    })
}

/// The files of a `--templates` directory, by name, sorted. Every entry
/// must be a known template or the stylesheet.
fn overrides(dir: &Path) -> Result<Vec<(String, String)>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))?;
    let mut paths = Vec::new();
    for e in entries {
        paths.push(
            e.with_context(|| format!("{}: cannot read", dir.display()))?
                .path(),
        );
    }
    paths.sort();
    let known = |n: &str| {
        n == STYLESHEET_NAME || n == SCRIPT_NAME || TEMPLATES.iter().any(|(t, _)| *t == n)
    };
    let mut out = Vec::new();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !known(name) || !p.is_file() {
            let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
            bail!(
                "{}: not one of kepboard's templates ({}, {STYLESHEET_NAME}, {SCRIPT_NAME}); a --templates directory holds only the templates it replaces",
                p.display(),
                names.join(", ")
            );
        }
        let text = std::fs::read_to_string(&p)
            .with_context(|| format!("{}: cannot read template", p.display()))?;
        out.push((name.to_string(), text));
    }
    Ok(out)
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
