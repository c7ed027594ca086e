//! The shape of the code, checked: what a person would check by reading
//! `use` lines.
//!
//! The site renders from the built model: pages see view types, the model,
//! domain and declared types, never the tracking-issue parser, the fetch
//! code or the snapshot file. Only `src/site/load.rs`, which reads the
//! snapshot and builds the model, may name the snapshot.

use std::path::{Path, PathBuf};

/// Modules the site must not name, and the one file allowed each.
const FORBIDDEN: &[(&str, Option<&str>)] = &[
    ("tracking", None),
    ("fetch", None),
    ("snapshot", Some("load.rs")),
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The code of a file without its comments (a doc comment may name a
/// module to say it is not used).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every way a file can name `crate::module`: a path, or a `use crate::{..}`
/// group listing it.
fn names_module(code: &str, module: &str) -> bool {
    let flat: String = code.split_whitespace().collect();
    let path = format!("crate::{module}");
    let by_path = flat.match_indices(&path).any(|(i, _)| {
        let next = flat[i + path.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    });
    let by_group = flat.match_indices("crate::{").any(|(i, _)| {
        let group = &flat[i + "crate::{".len()..];
        let group = &group[..group.find('}').unwrap_or(group.len())];
        group
            .split(',')
            .any(|m| m == module || m.starts_with(&format!("{module}::")))
    });
    by_path || by_group
}

#[test]
fn the_site_renders_from_the_model_not_from_the_parser_fetch_or_snapshot() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/site");
    let files = rust_files(&site);
    assert!(files.len() > 5, "no site files found in {}", site.display());
    let mut wrong = Vec::new();
    for f in &files {
        let text = code(&std::fs::read_to_string(f).unwrap());
        let rel = f
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for (module, allowed) in FORBIDDEN {
            if names_module(&text, module) && *allowed != Some(rel.as_str()) {
                wrong.push(format!("src/site/{rel} names crate::{module}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_finds_every_spelling() {
    assert!(names_module("use crate::tracking::Parsed;", "tracking"));
    assert!(names_module("use crate::{domain, snapshot};", "snapshot"));
    assert!(names_module(
        "use crate::{\n    fetch::Client,\n    model::Model,\n};",
        "fetch"
    ));
    assert!(names_module(
        "let s = crate::snapshot::Snapshot::read(p);",
        "snapshot"
    ));
    assert!(!names_module("use crate::snapshots_of_views;", "snapshot"));
    assert!(!names_module(&code("// not crate::tracking"), "tracking"));
}
