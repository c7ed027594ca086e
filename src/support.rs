//! The "Kubernetes Support" tables of containerd's `RELEASES.md`, as data.
//!
//! containerd's `RELEASES.md` has a section "Kubernetes Support" with two
//! Markdown tables:
//!
//! - the current matrix: for each Kubernetes minor release, the containerd
//!   versions recommended for it (`2.1.0+, 2.0.1+, 1.7.24+`, the minimum patch
//!   of each containerd line) and the CRI API version;
//! - "Deprecated containerd and kubernetes versions": older containerd lines
//!   and the Kubernetes versions they went with, kept here as written.
//!
//! [`parse`] turns that Markdown into a [`SupportMatrix`]. It finds the tables
//! by their header cells, not by position, so an added column or a reordered
//! one still parses. Anything it cannot understand becomes a line in
//! [`SupportMatrix::warnings`] (meant for the `/health/` page) and parsing goes
//! on: it never fails and never panics, so the rest of the site still builds.
//!
//! What this module is not: it does not fetch `RELEASES.md`, does not know
//! which containerd releases exist (a `2.1.0+` entry is a minimum, not a
//! release list), and does not interpret the deprecated table or the
//! footnotes. Pure: no I/O.

use crate::domain::{ContainerdLine, ContainerdVersion, K8sRelease};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

/// Prefix of every warning, so `/health/` shows where it comes from.
const SOURCE: &str = "RELEASES.md";

/// One row of the current matrix: for a Kubernetes minor, the recommended containerd versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportRow {
    /// The Kubernetes release of the row.
    pub k8s: K8sRelease,
    /// `2.1.0+` entries in the order written: the minimum patch of each containerd line.
    pub containerd: Vec<ContainerdMin>,
    /// The CRI version cell as written, e.g. "v1".
    pub cri: String,
    /// The containerd cell as written.
    pub raw: String,
}

impl SupportRow {
    /// The minimum recommended patch for a containerd line, if that line is
    /// listed for this Kubernetes release.
    pub fn min_for_line(&self, line: ContainerdLine) -> Option<&ContainerdMin> {
        self.containerd.iter().find(|m| line.contains(&m.version))
    }

    /// The recommended entries that do not guarantee `first`, the first
    /// release with some work: their minimum is older (an older line, or
    /// earlier patches of the same line).
    pub fn lacking(&self, first: &ContainerdVersion) -> Vec<&ContainerdMin> {
        self.containerd
            .iter()
            .filter(|m| m.version < *first)
            .collect()
    }

    /// Whether `version` is recommended for this Kubernetes release: its line
    /// is listed and it is at least the listed minimum (so pre-releases of the
    /// minimum itself are not).
    pub fn recommends(&self, version: &ContainerdVersion) -> bool {
        self.min_for_line(version.line())
            .is_some_and(|m| *version >= m.version)
    }
}

/// One entry of a containerd cell: the minimum patch of a containerd line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerdMin {
    /// The minimum containerd version.
    pub version: ContainerdVersion,
    /// The text as written, e.g. "2.1.0+".
    pub raw: String,
}

/// A row of the "Deprecated containerd and kubernetes versions" table: containerd line(s) -> Kubernetes versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeprecatedRow {
    /// The containerd cell as written.
    pub containerd: String,
    /// The Kubernetes cell as written.
    pub kubernetes: String,
    /// The CRI cell as written.
    pub cri: String,
}

/// Both tables of the "Kubernetes Support" section, plus what went wrong
/// reading them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SupportMatrix {
    /// The current matrix, sorted by Kubernetes release, one row per release.
    pub rows: Vec<SupportRow>,
    /// The deprecated table, in the order written.
    pub deprecated: Vec<DeprecatedRow>,
    /// Human-readable problems, each starting with `RELEASES.md:`.
    pub warnings: Vec<String>,
}

impl SupportMatrix {
    /// The row for a Kubernetes release, if the matrix has one.
    pub fn for_k8s(&self, k8s: K8sRelease) -> Option<&SupportRow> {
        self.rows.iter().find(|r| r.k8s == k8s)
    }

    /// The Kubernetes releases for which `version` is recommended, oldest first.
    pub fn k8s_for(&self, version: &ContainerdVersion) -> Vec<K8sRelease> {
        self.rows
            .iter()
            .filter(|r| r.recommends(version))
            .map(|r| r.k8s)
            .collect()
    }
}

/// Reads the Kubernetes support tables out of `RELEASES.md` (or any Markdown
/// that holds them). Never fails: problems go to [`SupportMatrix::warnings`].
pub fn parse(markdown: &str) -> SupportMatrix {
    let tables = collect_tables(markdown);
    let mut out = SupportMatrix::default();

    let matrices: Vec<(&RawTable, MatrixColumns)> = tables
        .iter()
        .filter_map(|t| MatrixColumns::find(&t.header).map(|c| (t, c)))
        .collect();
    let deprecated: Vec<(&RawTable, DeprecatedColumns)> = tables
        .iter()
        .filter_map(|t| DeprecatedColumns::find(&t.header).map(|c| (t, c)))
        .collect();

    match prefer_section(&matrices, "Kubernetes support table") {
        Some(((table, cols), note)) => {
            out.warnings.extend(note);
            read_matrix(table, cols, &mut out);
        }
        None if tables.is_empty() => out.warnings.push(format!(
            "{SOURCE}: no Kubernetes support table found (no tables at all)"
        )),
        None => out.warnings.push(format!(
            "{SOURCE}: no Kubernetes support table found (no table with \"Kubernetes Version\" \
             as first column and a \"containerd Version\" column)"
        )),
    }

    // The deprecated table is history: missing it is not worth a warning.
    if let Some(((table, cols), note)) =
        prefer_section(&deprecated, "deprecated containerd versions table")
    {
        out.warnings.extend(note);
        out.deprecated = table
            .rows
            .iter()
            .filter(|r| !is_blank(r))
            .map(|r| DeprecatedRow {
                containerd: cell(r, Some(cols.containerd)),
                kubernetes: cell(r, Some(cols.kubernetes)),
                cri: cell(r, cols.cri),
            })
            .collect();
    }
    out
}

/// Picks the first table inside the "Kubernetes Support" section, or else the
/// first anywhere; notes when there was more than one to choose from.
fn prefer_section<'a, C>(
    found: &'a [(&'a RawTable, C)],
    what: &str,
) -> Option<(&'a (&'a RawTable, C), Option<String>)> {
    let in_section: Vec<_> = found.iter().filter(|(t, _)| t.in_section).collect();
    let scope: Vec<_> = if in_section.is_empty() {
        found.iter().collect()
    } else {
        in_section
    };
    let first = *scope.first()?;
    let note = (scope.len() > 1).then(|| {
        format!(
            "{SOURCE}: {} tables look like the {what}; using the first",
            scope.len()
        )
    });
    Some((first, note))
}

fn read_matrix(table: &RawTable, cols: &MatrixColumns, out: &mut SupportMatrix) {
    let mut rows: Vec<SupportRow> = Vec::new();
    for (i, r) in table.rows.iter().enumerate() {
        if is_blank(r) {
            continue;
        }
        let k8s_cell = cell(r, Some(cols.kubernetes));
        let Some(k8s) = parse_k8s(&k8s_cell) else {
            out.warnings.push(format!(
                "{SOURCE}: Kubernetes support table, row {}: Kubernetes version {k8s_cell:?} \
                 not understood; row skipped",
                i + 1
            ));
            continue;
        };
        let raw = cell(r, Some(cols.containerd));
        let mut containerd = Vec::new();
        for entry in split_entries(&raw) {
            match parse_containerd_min(entry) {
                Some(version) => containerd.push(ContainerdMin {
                    version,
                    raw: entry.to_string(),
                }),
                None => out.warnings.push(format!(
                    "{SOURCE}: Kubernetes support row {k8s}: containerd entry {entry:?} is not \
                     a version (expected e.g. 2.1.0+); entry skipped"
                )),
            }
        }
        if containerd.is_empty() && raw.is_empty() {
            out.warnings.push(format!(
                "{SOURCE}: Kubernetes support row {k8s}: no containerd versions listed"
            ));
        }
        if let Some(prev) = rows.iter().find(|p| p.k8s == k8s) {
            if prev.raw != raw {
                out.warnings.push(format!(
                    "{SOURCE}: Kubernetes support table has two rows for {k8s}; keeping the first"
                ));
            }
            continue;
        }
        rows.push(SupportRow {
            k8s,
            containerd,
            cri: cell(r, cols.cri),
            raw,
        });
    }
    rows.sort_by_key(|r| r.k8s);

    if rows.is_empty() {
        out.warnings.push(format!(
            "{SOURCE}: the Kubernetes support table has no usable rows"
        ));
    }
    for pair in rows.windows(2) {
        let (a, b) = (pair[0].k8s, pair[1].k8s);
        // One warning per gap, however wide (a typo like `1.320` must not
        // flood the health page).
        if a.major == b.major && b.minor > a.minor + 1 {
            let (first, last) = (
                K8sRelease::new(a.major, a.minor + 1),
                K8sRelease::new(b.major, b.minor - 1),
            );
            let missing = if first == last {
                format!("no row for Kubernetes {first}")
            } else {
                format!("no rows for Kubernetes {first} to {last}")
            };
            out.warnings.push(format!(
                "{SOURCE}: Kubernetes support table has {missing} (between {a} and {b})"
            ));
        }
    }
    out.rows = rows;
}

/// `1.32`, `v1.32`, also with a trailing note (`1.32 **`, `1.32 (beta)`).
fn parse_k8s(cell: &str) -> Option<K8sRelease> {
    K8sRelease::parse(strip_note(cell))
}

/// `2.1.0+`, `v2.1.0+`, `2.1.0`, also with a trailing note.
fn parse_containerd_min(entry: &str) -> Option<ContainerdVersion> {
    let head = strip_note(entry);
    let head = head.strip_suffix('+').unwrap_or(head).trim_end();
    ContainerdVersion::parse(head)
}

/// Cuts a trailing note: everything from the first `(`, `*`, `[`, `^` or `†`.
fn strip_note(s: &str) -> &str {
    let cut = s.find(['(', '*', '[', '^', '†', '‡']).unwrap_or(s.len());
    s[..cut].trim()
}

/// Splits a cell on commas (and semicolons) outside parentheses, dropping
/// empty entries: `2.1.0+ (a, b), 2.0.1+` gives two entries.
fn split_entries(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in cell.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                out.push(&cell[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&cell[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect()
}

/// A table as text cells, and whether it sits in the "Kubernetes Support" section.
#[derive(Debug)]
struct RawTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    in_section: bool,
}

fn cell(row: &[String], idx: Option<usize>) -> String {
    idx.and_then(|i| row.get(i)).cloned().unwrap_or_default()
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.is_empty())
}

/// Lower-cased, whitespace-collapsed header text.
fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_kubernetes_header(h: &str) -> bool {
    matches!(
        norm(h).as_str(),
        "kubernetes version" | "kubernetes versions" | "kubernetes" | "k8s version" | "k8s"
    )
}

fn is_containerd_header(h: &str) -> bool {
    matches!(
        norm(h).as_str(),
        "containerd version" | "containerd versions" | "containerd"
    )
}

fn is_cri_header(h: &str) -> bool {
    matches!(
        norm(h).as_str(),
        "cri version" | "cri versions" | "cri" | "cri api version"
    )
}

/// Column positions of the current matrix (Kubernetes first).
#[derive(Debug)]
struct MatrixColumns {
    kubernetes: usize,
    containerd: usize,
    cri: Option<usize>,
}

impl MatrixColumns {
    fn find(header: &[String]) -> Option<MatrixColumns> {
        if !is_kubernetes_header(header.first()?) {
            return None;
        }
        Some(MatrixColumns {
            kubernetes: 0,
            containerd: header.iter().position(|h| is_containerd_header(h))?,
            cri: header.iter().position(|h| is_cri_header(h)),
        })
    }
}

/// Column positions of the deprecated table (containerd first).
#[derive(Debug)]
struct DeprecatedColumns {
    containerd: usize,
    kubernetes: usize,
    cri: Option<usize>,
}

impl DeprecatedColumns {
    fn find(header: &[String]) -> Option<DeprecatedColumns> {
        if !is_containerd_header(header.first()?) {
            return None;
        }
        Some(DeprecatedColumns {
            containerd: 0,
            kubernetes: header.iter().position(|h| is_kubernetes_header(h))?,
            cri: header.iter().position(|h| is_cri_header(h)),
        })
    }
}

/// Every GFM table in the document, cells as plain text (inline code and
/// emphasis contribute their text; markup is dropped).
fn collect_tables(markdown: &str) -> Vec<RawTable> {
    let mut tables = Vec::new();
    // The "Kubernetes Support" section: its heading level while inside it.
    let mut section: Option<HeadingLevel> = None;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut table: Option<RawTable> = None;
    let mut in_head = false;
    let mut row: Vec<String> = Vec::new();
    let mut text: Option<String> = None;

    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = heading.take() {
                    if section.is_some_and(|s| level <= s) {
                        section = None;
                    }
                    if norm(&title).contains("kubernetes support") {
                        section = Some(level);
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                table = Some(RawTable {
                    header: Vec::new(),
                    rows: Vec::new(),
                    in_section: section.is_some(),
                })
            }
            Event::End(TagEnd::Table) => tables.extend(table.take()),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                row.clear();
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some(t) = table.as_mut() {
                    t.header = std::mem::take(&mut row);
                }
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableRow) => {
                if let (Some(t), false) = (table.as_mut(), in_head) {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => text = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let t = text.take().unwrap_or_default();
                row.push(t.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Event::Text(s) | Event::Code(s) | Event::InlineHtml(s) | Event::Html(s) => {
                if let Some(t) = text.as_mut() {
                    t.push_str(&s);
                } else if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&s);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(t) = text.as_mut() {
                    t.push(' ');
                } else if let Some((_, h)) = heading.as_mut() {
                    h.push(' ');
                }
            }
            _ => {}
        }
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(minor: u16) -> K8sRelease {
        K8sRelease::new(1, minor)
    }

    fn versions(row: &SupportRow) -> Vec<String> {
        row.containerd
            .iter()
            .map(|m| m.version.to_string())
            .collect()
    }

    /// The real section of containerd's RELEASES.md, row by row. The file is
    /// not in the repository: it is read from `$KEPBOARD_FIXTURES`.
    #[test]
    fn real_table_row_by_row() {
        let Some(dir) = std::env::var_os("KEPBOARD_FIXTURES") else {
            eprintln!("real_table_row_by_row: KEPBOARD_FIXTURES not set, skipping");
            return;
        };
        let path = std::path::Path::new(&dir).join("containerd/RELEASES-kubernetes-support.md");
        let md = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("KEPBOARD_FIXTURES is set but {}: {e}", path.display()));
        let m = parse(&md);
        assert_eq!(m.warnings, Vec::<String>::new());

        let expected: [(u16, &[&str], &str); 5] = [
            (32, &["v2.1.0", "v2.0.1", "v1.7.24", "v1.6.36"], "v1"),
            (33, &["v2.1.0", "v2.0.4", "v1.7.24", "v1.6.36"], "v1"),
            (34, &["v2.1.3", "v2.0.6", "v1.7.28", "v1.6.39"], "v1"),
            (35, &["v2.2.0", "v2.1.5", "v1.7.28"], "v1"),
            (36, &["v2.3.0", "v2.2.0"], "v1"),
        ];
        assert_eq!(m.rows.len(), expected.len());
        for (row, (minor, vs, cri)) in m.rows.iter().zip(expected) {
            println!("{} | {} | {}", row.k8s, row.raw, row.cri);
            assert_eq!(row.k8s, k(minor));
            assert_eq!(versions(row), vs, "row {}", row.k8s);
            assert_eq!(row.cri, cri);
        }
        assert_eq!(m.rows[0].raw, "2.1.0+, 2.0.1+, 1.7.24+, 1.6.36+");
        assert_eq!(m.rows[0].containerd[0].raw, "2.1.0+");
        assert_eq!(m.rows[4].raw, "2.3.0+, 2.2.0+");

        assert_eq!(m.deprecated.len(), 7);
        for d in &m.deprecated {
            println!(
                "deprecated: {} | {} | {}",
                d.containerd, d.kubernetes, d.cri
            );
        }
        assert_eq!(
            m.deprecated[0],
            DeprecatedRow {
                containerd: "v1.0 (w/ cri-containerd)".into(),
                kubernetes: "1.7, 1.8, 1.9".into(),
                cri: "v1alpha1".into(),
            }
        );
        assert_eq!(m.deprecated[5].cri, "v1 (1.23+), v1alpha2 (until 1.25) **");
        assert_eq!(
            m.deprecated[6],
            DeprecatedRow {
                containerd: "v1.6.15+, v1.7.0+".into(),
                kubernetes: "1.26+".into(),
                cri: "v1".into(),
            }
        );

        // Helpers on real data.
        let v = |s| ContainerdVersion::parse(s).unwrap();
        assert!(m.for_k8s(k(34)).unwrap().recommends(&v("2.1.3")));
        assert!(!m.for_k8s(k(34)).unwrap().recommends(&v("2.1.2")));
        assert_eq!(m.k8s_for(&v("2.2.0")), vec![k(35), k(36)]);
        assert_eq!(m.for_k8s(k(31)), None);
    }

    #[test]
    fn extra_column_is_found_by_name() {
        let md = "\
## Kubernetes Support

| Kubernetes Version | Notes | containerd Version | CRI Version |
|---|---|---|---|
| 1.40 | first one | 3.0.0+, 2.9.1+ | v1 |
| 1.41 | `fast` | 3.1.0+ | v1 |
";
        let m = parse(md);
        assert_eq!(m.warnings, Vec::<String>::new());
        assert_eq!(m.rows.len(), 2);
        assert_eq!(versions(&m.rows[0]), ["v3.0.0", "v2.9.1"]);
        assert_eq!(m.rows[1].raw, "3.1.0+");
        assert_eq!(m.rows[1].cri, "v1");
    }

    #[test]
    fn missing_row_is_named() {
        let md = "\
| Kubernetes Version | containerd Version | CRI Version |
|---|---|---|
| 1.32 | 2.1.0+ | v1 |
| 1.35 | 2.2.0+ | v1 |
| 1.33 | 2.1.0+ | v1 |
";
        let m = parse(md);
        let ks: Vec<_> = m.rows.iter().map(|r| r.k8s).collect();
        assert_eq!(ks, [k(32), k(33), k(35)], "sorted by release");
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        assert!(
            m.warnings[0].contains("no row for Kubernetes v1.34"),
            "{:?}",
            m.warnings
        );
    }

    #[test]
    fn no_table_at_all() {
        let m = parse("### Kubernetes Support\n\nWe support everything, always.\n");
        assert!(m.rows.is_empty());
        assert!(m.deprecated.is_empty());
        assert_eq!(m.warnings.len(), 1);
        assert!(m.warnings[0].starts_with("RELEASES.md: no Kubernetes support table found"));

        // Tables, but none of them the matrix.
        let m = parse("| Release | Status |\n|---|---|\n| 2.1 | Active |\n");
        assert!(m.rows.is_empty());
        assert!(m.warnings[0].contains("no Kubernetes support table found"));
    }

    #[test]
    fn unparsable_entry_warns_and_keeps_the_others() {
        let md = "\
| Kubernetes Version | containerd Version | CRI Version |
|---|---|---|
| 1.50 | 4.0.0+, soon, 3.9.2+ ** , v3.8.1+ (backport, see note) | v2 |
| one-fifty-one | 4.1.0+ | v2 |
";
        let m = parse(md);
        assert_eq!(m.rows.len(), 1);
        let row = &m.rows[0];
        assert_eq!(versions(row), ["v4.0.0", "v3.9.2", "v3.8.1"]);
        assert_eq!(row.containerd[1].raw, "3.9.2+ **");
        assert_eq!(row.cri, "v2");
        assert_eq!(m.warnings.len(), 2, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("row v1.50") && m.warnings[0].contains("\"soon\""));
        assert!(m.warnings[1].contains("\"one-fifty-one\"") && m.warnings[1].contains("skipped"));
    }

    #[test]
    fn columns_in_another_order() {
        let md = "\
| kubernetes version | CRI Version | *containerd* Version |
|:--|:-:|--:|
| v1.20 | v1alpha2 | 1.4.1+, `1.5.0+` |
";
        let m = parse(md);
        assert_eq!(m.warnings, Vec::<String>::new());
        assert_eq!(m.rows[0].k8s, k(20));
        assert_eq!(m.rows[0].cri, "v1alpha2");
        assert_eq!(versions(&m.rows[0]), ["v1.4.1", "v1.5.0"]);
        // A table with containerd first is the deprecated one, not the matrix.
        let md = "\
| Containerd Version | Kubernetes Version | CRI Version |
|---|---|---|
| v0.9 | 1.1+ | none |
";
        let m = parse(md);
        assert!(m.rows.is_empty());
        assert_eq!(
            m.deprecated,
            [DeprecatedRow {
                containerd: "v0.9".into(),
                kubernetes: "1.1+".into(),
                cri: "none".into()
            }]
        );
    }

    #[test]
    fn crlf_line_endings() {
        let md = "### Kubernetes Support\r\n\r\n\
| Kubernetes Version | containerd Version | CRI Version |\r\n\
|---|---|---|\r\n\
| 1.60 | 5.0.0+, 4.9.9+ | v1 |\r\n\
| 1.61 | 5.1.0+ | v1 |\r\n\r\n\
| Containerd Version | Kubernetes Version | CRI Version |\r\n\
|---|---|---|\r\n\
| v4.0 | 1.50+ | v1 |\r\n";
        let m = parse(md);
        assert_eq!(m.warnings, Vec::<String>::new());
        assert_eq!(m.rows.len(), 2);
        assert_eq!(versions(&m.rows[0]), ["v5.0.0", "v4.9.9"]);
        assert_eq!(m.rows[1].cri, "v1");
        assert_eq!(m.deprecated.len(), 1);
        assert_eq!(m.deprecated[0].cri, "v1");
    }

    #[test]
    fn prefers_the_tables_in_the_section() {
        let md = "\
# Elsewhere

| Kubernetes Version | containerd Version |
|---|---|
| 1.10 | 1.1.0+ |

## Kubernetes Support

| Kubernetes Version | containerd Version |
|---|---|
| 1.70 | 6.0.0+ |

## Something else

| Kubernetes Version | containerd Version |
|---|---|
| 1.11 | 1.2.0+ |
";
        let m = parse(md);
        assert_eq!(m.warnings, Vec::<String>::new());
        assert_eq!(m.rows.len(), 1);
        assert_eq!(m.rows[0].k8s, k(70));
        assert_eq!(m.rows[0].cri, "", "no CRI column: empty");
    }

    #[test]
    fn garbage_never_panics() {
        let inputs = [
            "",
            "|",
            "||\n|-|\n||",
            "| Kubernetes Version | containerd Version |\n|---|---|\n",
            "| Kubernetes Version | containerd Version |\n|---|---|\n| | |\n|,,,|+|\n| 1.1 |\n",
            "| Kubernetes Version | containerd Version |\n|---|---|\n| 1.9999 | 9999999999999999999999.0.0+ |\n| 1.0 | ,(,[,+ |",
            "# Kubernetes Support\n| Kubernetes Version\n|---\n| v1.2 \\| x",
            "\u{0}\u{feff}| ü | ∞ |\n|-|-|\n| 🦀 | 1.2.3.4+ |",
            "```\n| Kubernetes Version | containerd Version |\n|---|---|\n| 1.32 | 2.1.0+ |\n```",
            "<table><tr><td>Kubernetes Version</td></tr></table>",
        ];
        for input in inputs {
            let m = parse(input);
            assert!(!m.warnings.is_empty(), "{input:?} should warn: {m:?}");
        }
        let m = parse(inputs[5]);
        assert_eq!(m.rows.len(), 2);
        assert!(m
            .warnings
            .iter()
            .any(|w| w.contains("no rows for Kubernetes v1.1 to v1.9998")));
        assert!(m.rows.iter().all(|r| r.containerd.is_empty()));
        // Serializes (the site writes it as JSON).
        let json = serde_json::to_string(&parse(
            "| Kubernetes Version | containerd Version |\n|---|---|\n| 1.32 | 2.1.0+ |",
        ))
        .unwrap();
        assert!(json.contains("\"k8s\":\"v1.32\"") && json.contains("\"version\":\"v2.1.0\""));
    }
}
