//! The "KEP/SIG-Node References" block: finding it in a body and reading its
//! `- Key: value` lines as [`RawField`]s, with their sub-lines and 1-based
//! line numbers, and noting where a body that may be cut short ends inside
//! it.
//!
//! The block starts after the references heading or, in an issue with a
//! `[SIG-Node]` title and no heading, at the first line with a known key. It
//! ends at a heading, at a line of prose, at a block that holds no fields,
//! or at the end of the body. A body that may be cut short (it does not end
//! with a newline) and ends inside the block leaves the field it ends in,
//! and the fields it does not reach, unknown (`Block::unknown_fields`).
//!
//! # What Markdown decides, what the lines as written decide
//!
//! The text after the heading is read with pulldown-cmark: its events and
//! their byte ranges give each line a role (`Role`). The events decide:
//!
//! - which lines belong to a block that holds no fields: fenced code, an
//!   HTML block or comment, a block quote, a table, a thematic break
//!   (`* * *`), a footnote definition. Before the first field such a block is
//!   skipped whole (a template example in a comment or a code block is not
//!   the list); after it, it ends the block;
//! - which lines are headings that end the block: ATX headings, at the top
//!   level or in an item (a `# comment` in a code block is not one);
//! - which list items are nested in another item: their first lines are
//!   sub-lines of the field above, however they are indented.
//!
//! The lines as written decide where Markdown's rules and the way people
//! fill in the template part:
//!
//! - where the block starts: the first line that reads as the heading,
//!   whatever Markdown makes of it (an ATX heading, a bold line, a quoted
//!   heading), as `classify` finds it without Markdown;
//! - the key and the value of a line: split at the first colon, bold keys
//!   with the colon inside or outside, the list marker (`-`, `*`, `+`, `1.`,
//!   `2)`) as written; the value is kept as written, markup and all;
//! - one field or sub-line per line: where Markdown folds lines into one
//!   paragraph (keys without bullets; `stage: beta` right under
//!   `* KEP(s): 1`, a lazy continuation to Markdown), each `Key: value` line
//!   is a field of its own and each indented line a sub-line;
//! - sub-lines by indentation: a line indented two columns past the first
//!   field (a tab counts four) is a sub-line of the field above, also where
//!   Markdown starts a new list (`  - x` under `1. KEP PR:`) or a paragraph
//!   of its own;
//! - the end of the block at prose: a line that is not indented and is
//!   neither a field nor a bullet ends the block, also right under the last
//!   item, where Markdown would go on with that item's paragraph;
//! - a list indented by four spaces or a tab, which Markdown shows as code,
//!   and a setext heading are read line by line as written, and so is a line
//!   in no Markdown block (a link reference definition);
//! - lines are counted at `\n` (the caller makes `\r\n` one `\n`; a lone
//!   `\r`, a line break to Markdown, is not one here), and an event counts
//!   for a line only when it starts at the line's first non-blank character.
//!
//! What it is not: it does not know what a value means. Keys are matched to
//! template fields by `fields::field_key`; values are read in `fields`,
//! `people` and `kep_numbers`.

use super::fields::field_key;
use super::{re, FieldKey, RawField};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// The "KEP/SIG-Node References" heading (or bold line) of the template.
static REFERENCES_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[\s#>*_]*kep\s*/\s*sig[-_ ]?node\s+references?[\s*_:]*$"));
/// An ATX heading line as written: up to three spaces, then one to six `#`.
static HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^ {0,3}#{1,6}(?:\s|$)"));
/// A list marker at the start of a (trimmed) line, as written.
static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:[-*+]|\d{1,3}[.)])(?:\s+|$)"));

/// The Markdown extensions GitHub renders issue bodies with that make
/// blocks of their own.
const MARKDOWN: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_STRIKETHROUGH);

/// The line index of the "KEP/SIG-Node References" heading, if any.
pub(super) fn references_heading(body: &str) -> Option<usize> {
    body.split('\n')
        .position(|l| REFERENCES_HEADING.is_match(l))
}

/// The references block as read: its fields and where the body ends in it.
pub(super) struct Block {
    /// Whether the body has the references heading.
    pub(super) has_heading: bool,
    /// The fields in the order written.
    pub(super) fields: Vec<RawField>,
    /// The field (and piece: 0 = value, i = sub_lines[i-1]) holding the body's
    /// last line, when the body ends without a newline inside the list.
    pub(super) cut: Option<(usize, Option<usize>)>,
    /// The body may be cut and ends inside the references block: in a field
    /// (`cut`), or right after the heading.
    pub(super) ends_inside: bool,
    /// Fields read from a bulleted line without `Key:`.
    pub(super) malformed: Vec<usize>,
}

impl Block {
    /// The template fields the text does not reach or cuts short: none
    /// unless the body ends inside the references list; then the field
    /// holding the last line, and the fields not seen that come after every
    /// field seen in the template's order (a field left out before them is
    /// absent).
    pub(super) fn unknown_fields(&self) -> Vec<FieldKey> {
        if !self.ends_inside {
            return Vec::new();
        }
        let position = |k: FieldKey| FieldKey::TEMPLATE.iter().position(|&t| t == k);
        let reached = self
            .fields
            .iter()
            .filter_map(|f| f.known.and_then(position))
            .max();
        let cut_key = self.cut.and_then(|(idx, _)| self.fields[idx].known);
        FieldKey::TEMPLATE
            .into_iter()
            .enumerate()
            .filter(|&(i, k)| cut_key == Some(k) || reached.is_none_or(|r| i > r))
            .map(|(_, k)| k)
            .collect()
    }
}

/// Finds the references block and reads its fields. Without the heading the
/// block is looked for only in issues with a `[SIG-Node]` title, starting at
/// the first line with a known key. `body` has `\n` line ends.
pub(super) fn read_block(body: &str, tracking_title: bool, may_be_cut: bool) -> Block {
    let heading = references_heading(body);
    let block = Block {
        has_heading: heading.is_some(),
        fields: Vec::new(),
        cut: None,
        ends_inside: false,
        malformed: Vec::new(),
    };
    let start = match heading {
        Some(i) => i + 1,
        None if tracking_title => 0,
        None => return block,
    };
    let last = body.matches('\n').count();
    let ends_open = may_be_cut && !body.is_empty() && !body.ends_with('\n');
    let mut reader = Reader {
        block,
        base_indent: 0,
        cut_line: Some(last).filter(|_| ends_open),
    };
    reader.block.ends_inside = ends_open && heading == Some(last);
    let text = from_line(body, start);
    let lines = text.split('\n').zip(line_roles(text));
    for (i, (line, role)) in lines.enumerate() {
        if reader.read(start + i, line, role) == Step::Stop {
            break;
        }
    }
    let mut block = reader.block;
    block.ends_inside |= block.cut.is_some();
    block
}

/// `text` from the start of its line `n` (0-based) on; empty past the end.
fn from_line(text: &str, n: usize) -> &str {
    match n.checked_sub(1) {
        None => text,
        Some(k) => text
            .match_indices('\n')
            .nth(k)
            .map_or("", |(i, _)| &text[i + 1..]),
    }
}

/// Whether the reader goes on to the next line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Read the next line.
    Next,
    /// The block has ended.
    Stop,
}

impl Step {
    /// `Next` when `go_on`.
    fn next_if(go_on: bool) -> Step {
        if go_on {
            Step::Next
        } else {
            Step::Stop
        }
    }
}

/// The block being read, line by line.
struct Reader {
    block: Block,
    /// The indentation of the first field: two columns more make a sub-line.
    base_indent: usize,
    /// The 0-based index of the body's last line when the body may be cut
    /// short there.
    cut_line: Option<usize>,
}

impl Reader {
    /// Reads line `n` (0-based in the body), whose role Markdown gave.
    fn read(&mut self, n: usize, line: &str, role: Role) -> Step {
        let first = self.block.fields.is_empty();
        match role {
            Role::Blank => Step::Next,
            // A heading ends the block, except a heading before the list of
            // an issue without the references heading.
            Role::Heading => Step::next_if(first && !self.block.has_heading),
            _ if !first
                && (role == Role::NestedItem || indent_of(line) >= self.base_indent + 2) =>
            {
                self.sub_line(n, line);
                Step::Next
            }
            Role::Other => Step::next_if(first),
            Role::Text | Role::NestedItem => self.field_line(n, line),
        }
    }

    /// Adds an indented line (without its marker) to the last field.
    fn sub_line(&mut self, n: usize, line: &str) {
        let idx = self.block.fields.len() - 1;
        let field = &mut self.block.fields[idx];
        let text = line.trim();
        let text = BULLET
            .find(text)
            .map_or(text, |m| text.get(m.end()..).unwrap_or(""))
            .trim();
        let mut piece = None;
        if !text.is_empty() {
            field.sub_lines.push(text.to_string());
            piece = Some(field.sub_lines.len());
        }
        if self.cut_line == Some(n) {
            self.block.cut = Some((idx, piece));
        }
    }

    /// Reads a line that is not a sub-line: a new field, a line to skip
    /// before the first field, or the end of the block.
    fn field_line(&mut self, n: usize, line: &str) -> Step {
        let first = self.block.fields.is_empty();
        // Without the heading, the list starts at the first known key.
        let opens = |key: &str| self.block.has_heading || field_key(key).is_some();
        let (key, value, malformed) = match classify_line(line) {
            Line::Field { key, bulleted, .. } if !bulleted && field_key(key).is_none() => {
                return Step::next_if(first)
            }
            Line::Field { key, .. } if first && !opens(key) => return Step::Next,
            Line::Field { key, value, .. } => (key, value, false),
            Line::BulletOnly(text) if first && !opens(text) => return Step::Next,
            Line::BulletOnly(text) => (text, "", true),
            Line::Text => return Step::next_if(first),
        };
        if first {
            self.base_indent = indent_of(line);
        }
        if malformed {
            self.block.malformed.push(self.block.fields.len());
        }
        self.block.fields.push(RawField {
            key: key.to_string(),
            known: field_key(key),
            value: value.to_string(),
            sub_lines: Vec::new(),
            line: n + 1,
        });
        if self.cut_line == Some(n) {
            self.block.cut = Some((self.block.fields.len() - 1, Some(0)));
        }
        Step::Next
    }
}

/// What a line that is not a sub-line holds, as written.
enum Line<'a> {
    /// `Key: value`, with or without a list marker.
    Field {
        key: &'a str,
        value: &'a str,
        bulleted: bool,
    },
    /// A line with a list marker and without `Key:`: its text.
    BulletOnly(&'a str),
    /// Anything else.
    Text,
}

/// Reads a line that is not a sub-line, as written.
fn classify_line(line: &str) -> Line<'_> {
    let text = line.trim();
    let (bulleted, rest) = match BULLET.find(text) {
        Some(m) => (true, text.get(m.end()..).unwrap_or("")),
        None => (false, text),
    };
    if let Some((key, value)) = rest.split_once(':') {
        let key_ok = key.chars().count() <= 60
            && key.chars().all(|c| {
                c.is_alphanumeric()
                    || matches!(
                        c,
                        ' ' | '\t' | '-' | '_' | '(' | ')' | '/' | '.' | '&' | '*' | '\''
                    )
            });
        if key_ok && !value.starts_with("//") {
            let bold = key.trim_start().starts_with(['*', '_']);
            let key = key.trim().trim_matches(['*', '_']).trim();
            let value = if bold {
                value.trim_start_matches(['*', '_'])
            } else {
                value
            };
            return Line::Field {
                key,
                value: value.trim(),
                bulleted,
            };
        }
    }
    if bulleted {
        Line::BulletOnly(rest.trim())
    } else {
        Line::Text
    }
}

/// Indentation width, a tab counting as four columns.
fn indent_of(line: &str) -> usize {
    line.chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// What Markdown makes of one line of the text after the heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Empty, or only whitespace.
    Blank,
    /// A line of a paragraph, a list, a setext heading or an indented code
    /// block, or a line in no block: read as written.
    Text,
    /// The first line of a list item inside another item.
    NestedItem,
    /// An ATX heading, at the top level or in a list item.
    Heading,
    /// A line of a block that holds no fields: fenced code, HTML, a block
    /// quote, a table, a thematic break, a footnote definition.
    Other,
}

/// The role of each line of `text` (split at `\n`), from pulldown-cmark's
/// events: a top-level block gives its lines its role; inside a top-level
/// list, nested items and headings mark the line they start on.
fn line_roles(text: &str) -> Vec<Role> {
    let lines = LineStarts::of(text);
    let mut roles = vec![Role::Blank; lines.count()];
    let (mut depth, mut items, mut in_list) = (0usize, 0usize, false);
    for (event, range) in Parser::new_ext(text, MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    in_list = matches!(tag, Tag::List(_));
                    lines.fill(&mut roles, range.clone(), top_level_role(&tag));
                } else if in_list {
                    let role = match tag {
                        Tag::Item if items > 0 => Some(Role::NestedItem),
                        Tag::Heading { .. } => Some(Role::Heading),
                        _ => None,
                    };
                    if let Some(role) = role {
                        lines.mark(&mut roles, range.start, role);
                    }
                }
                items += usize::from(matches!(tag, Tag::Item));
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                items -= usize::from(matches!(tag, pulldown_cmark::TagEnd::Item) && items > 0);
            }
            Event::Rule if depth == 0 => lines.fill(&mut roles, range, Role::Other),
            _ => {}
        }
    }
    for (role, line) in roles.iter_mut().zip(text.split('\n')) {
        *role = match *role {
            _ if line.trim().is_empty() => Role::Blank,
            // In no block (a link reference definition, or a line after a
            // lone `\r` that pulldown-cmark gives no event): as written.
            Role::Blank => Role::Text,
            Role::Heading if !HEADING.is_match(line) => Role::Text,
            r => r,
        };
    }
    roles
}

/// The role a top-level block gives its lines (a setext heading's lines are
/// made `Text` afterwards, as they do not read as an ATX heading).
fn top_level_role(tag: &Tag) -> Role {
    match tag {
        Tag::Paragraph | Tag::List(_) | Tag::CodeBlock(CodeBlockKind::Indented) => Role::Text,
        Tag::Heading { .. } => Role::Heading,
        _ => Role::Other,
    }
}

/// Where each line of a text starts, to map byte offsets to lines.
struct LineStarts<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    /// The line starts of `text`.
    fn of(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineStarts { text, starts }
    }

    /// The number of lines (one more than the number of `\n`).
    fn count(&self) -> usize {
        self.starts.len()
    }

    /// The line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The first non-blank character at or after `offset` (events may start
    /// at the line end before their first character).
    fn first_char(&self, offset: usize) -> Option<usize> {
        let rest = self.text.get(offset..)?;
        rest.find(|c: char| !c.is_whitespace()).map(|i| offset + i)
    }

    /// Gives the lines of `range` that have no role yet `role`.
    fn fill(&self, roles: &mut [Role], range: Range<usize>, role: Role) {
        let Some(first) = self.first_char(range.start).filter(|&f| f < range.end) else {
            return;
        };
        let last = self.line_of(range.end - 1);
        for r in &mut roles[self.line_of(first)..=last] {
            if *r == Role::Blank {
                *r = role;
            }
        }
    }

    /// Gives the line an event starts on `role`, when the event starts at the
    /// line's first non-blank character.
    fn mark(&self, roles: &mut [Role], offset: usize, role: Role) {
        let Some(at) = self.first_char(offset) else {
            return;
        };
        let line = self.line_of(at);
        let before = self.text.get(self.starts[line]..at).unwrap_or("x");
        if before.trim().is_empty() {
            roles[line] = role;
        }
    }
}
#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use crate::domain::Stage;

    #[test]
    fn fields_keep_raw_text_unknown_keys_and_line_numbers() {
        let p = tracking(
            "- KEP(s): KEP-6061\n- KEP File: keps/sig-node/6061/README.md\n- stage:   alpha  \n",
        );
        assert_eq!(p.fields.len(), 3);
        assert_eq!(p.fields[0].key, "KEP(s)");
        assert_eq!(p.fields[0].value, "KEP-6061");
        assert_eq!(p.fields[0].line, 3);
        assert_eq!(p.fields[1].key, "KEP File");
        assert_eq!(p.fields[1].known, None);
        assert_eq!(p.fields[1].value, "keps/sig-node/6061/README.md");
        assert_eq!(p.fields[2].value, "alpha");
        assert_eq!(p.fields[2].line, 5);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn sub_lines_with_tabs_spaces_and_bullets_are_folded() {
        let p = tracking(
            "- KEP(s): KEP-5758\n\t- https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/5758-ulimits\n- KEP PR:\n  - https://github.com/kubernetes/enhancements/pull/1\n    https://github.com/kubernetes/enhancements/pull/2\n  * [third](https://github.com/kubernetes/enhancements/pull/3)\n",
        );
        let keps = field(&p, FieldKey::Keps);
        assert_eq!(
            keps.sub_lines,
            ["https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/5758-ulimits"]
        );
        let pr = field(&p, FieldKey::KepPr);
        assert_eq!(pr.value, "");
        assert_eq!(pr.sub_lines.len(), 3);
        assert_eq!(
            p.kep_pr_links,
            [
                "https://github.com/kubernetes/enhancements/pull/1",
                "https://github.com/kubernetes/enhancements/pull/2",
                "https://github.com/kubernetes/enhancements/pull/3"
            ]
        );
        assert_eq!(nums(&p), [5758]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn crlf_is_normalised() {
        let p = parse(
            "[SIG-Node]: KEP-6061 - x",
            "### KEP/SIG-Node References\r\n\r\n- KEP(s): KEP-6061\r\n- stage: alpha\r\n- KEP-Owner: @saschagrunert\r\n",
        );
        assert_eq!(p.fields.len(), 3);
        assert_eq!(p.fields[1].value, "alpha");
        assert_eq!(p.fields[2].line, 5);
        assert_eq!(owners(&p), ["saschagrunert"]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn bullets_star_and_no_bullet_keys_are_fields() {
        let p = tracking("* KEP(s): 1\nstage: beta\n**KEP-Owner:** @a\n");
        assert_eq!(p.fields.len(), 3);
        assert_eq!(targets(&p), [target(Stage::Beta, None, None)]);
        assert_eq!(owners(&p), ["a"]);
        assert_eq!(p.fields[2].key, "KEP-Owner");
    }

    #[test]
    fn bold_keys_with_the_colon_inside_or_outside() {
        for body in [
            "- **KEP(s):** 5714\n- **stage:** alpha\n- **KEP-Shepherd:** @x\n",
            "- **KEP(s)**: 5714\n- **stage**: alpha\n- **KEP-Shepherd**: @x\n",
            "**KEP(s)**: 5714\n**stage**: alpha\n**KEP-Shepherd**: @x\n",
            "- __KEP(s)__: 5714\n- *stage*: alpha\n- __KEP-Shepherd:__ @x\n",
        ] {
            let p = tracking(body);
            assert_eq!(nums(&p), [5714], "{body}");
            assert_eq!(p.kep_source, Some(KepSource::KepField));
            assert_eq!(targets(&p), [target(Stage::Alpha, None, None)], "{body}");
            assert_eq!(logins(&p.shepherds), ["x"], "{body}");
            assert_eq!(p.fields[0].key, "KEP(s)");
            assert!(p.warnings.is_empty(), "{body}: {:?}", p.warnings);
        }
    }

    #[test]
    fn block_ends_at_heading_or_paragraph() {
        let p = tracking(
            "- KEP(s): 1\n- stage: beta\n\nBasically this is beta on: nothing else.\n- KEP-Owner: @late\n",
        );
        assert_eq!(p.fields.len(), 2);
        assert!(p.owners.is_empty());
        let p = tracking("- KEP(s): 1\n\n### Implementation\n\n- KEP-Owner: @late\n");
        assert_eq!(p.fields.len(), 1);
        assert!(p.owners.is_empty());
        // Blank lines inside the list do not end it.
        let p = tracking("- KEP(s): 1\n\n- stage: alpha\n");
        assert_eq!(p.fields.len(), 2);
    }

    #[test]
    fn versions_in_prose_are_not_field_values() {
        let p = tracking(
            "- KEP(s): 1\n- stage: beta\n- K8s-Release: 1.33\n\n```console\nkind-control-plane   Ready   13m   v1.33.0-beta.0.616+71eb04295ad273\nRuntimeVersion:  v2.1.0-beta.0-18-g8237c496\n```\n",
        );
        assert_eq!(targets(&p), [target(Stage::Beta, None, Some((1, 33)))]);
        assert_eq!(p.fields.len(), 3);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn bullet_without_colon_is_kept_and_warned() {
        // At the very end of a complete body.
        let p = tracking("- KEP(s): 1\n- KEP PR\n");
        let f = &p.fields[1];
        assert_eq!(
            (f.key.as_str(), f.known, f.value.as_str()),
            ("KEP PR", Some(FieldKey::KepPr), "")
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP PR");
        // Cut off: one warning, about the cut.
        let p = tracking("- KEP(s): 1\n- KEP PR");
        assert_eq!(p.fields[1].key, "KEP PR");
        assert_eq!(p.warnings.len(), 1);
        assert!(p.warnings[0].message.contains("cut"));
    }

    #[test]
    fn list_shapes_people_write() {
        // `+` bullets, numbered items (`1.` and `2)`), sub-bullets two
        // columns in under a numbered item (where Markdown would start a new
        // list), a sub-line after a blank line.
        for body in [
            "+ KEP(s): 5714\n+ stage: alpha\n+ KEP PR:\n  + https://github.com/kubernetes/enhancements/pull/1\n",
            "1. KEP(s): 5714\n2) stage: alpha\n3. KEP PR:\n  - https://github.com/kubernetes/enhancements/pull/1\n",
            "- KEP(s): 5714\n- stage: alpha\n- KEP PR:\n\n  https://github.com/kubernetes/enhancements/pull/1\n",
        ] {
            let p = tracking(body);
            assert_eq!(nums(&p), [5714], "{body}");
            assert_eq!(targets(&p), [target(Stage::Alpha, None, None)], "{body}");
            assert_eq!(
                p.kep_pr_links,
                ["https://github.com/kubernetes/enhancements/pull/1"],
                "{body}"
            );
            assert_eq!(p.fields.len(), 3, "{body}");
            assert_eq!(
                field(&p, FieldKey::KepPr).sub_lines.len(),
                1,
                "{body}"
            );
            assert!(p.warnings.is_empty(), "{body}: {:?}", p.warnings);
        }
    }

    #[test]
    fn a_list_indented_as_code_is_still_the_list() {
        // Four spaces or a tab before every line: Markdown shows code, the
        // writer meant the list.
        for indent in ["    ", "\t"] {
            let body = format!(
                "{indent}- KEP(s): 5714\n{indent}- stage: alpha\n{indent}  - note\n{indent}- KEP-Owner: @a\n"
            );
            let p = tracking(&body);
            assert_eq!(p.fields.len(), 3, "{body:?}");
            assert_eq!(field(&p, FieldKey::Stage).sub_lines, ["note"]);
            assert_eq!(p.fields[2].line, 6, "{body:?}");
            assert_eq!(owners(&p), ["a"], "{body:?}");
        }
    }

    #[test]
    fn text_right_under_the_list_ends_it() {
        // No blank line: Markdown continues the last item's paragraph, the
        // writer started a new one.
        let p = tracking(
            "- KEP(s): 1\n- KEP-Shepherd: @a\nThanks for looking: more later\n- KEP-Owner: @late\n",
        );
        assert_eq!(p.fields.len(), 2);
        assert_eq!(field(&p, FieldKey::Shepherd).sub_lines.len(), 0);
        assert!(p.owners.is_empty());
        // A known key right under an item is a field of its own.
        let p = tracking("- KEP(s): 1\nstage: alpha\nKEP-Owner: @a\n");
        assert_eq!(p.fields.len(), 3);
        assert_eq!(owners(&p), ["a"]);
        // Without the heading too, under a `[SIG-Node]` title.
        let p = parse(
            "[SIG-Node]: x",
            "Details below.\n\nKEP(s): 5714\nstage: alpha\nThat is all.\n",
        );
        assert_eq!((nums(&p), p.fields.len()), (vec![5714], 2));
    }

    #[test]
    fn blocks_that_hold_no_fields_are_skipped_before_the_list() {
        // A template example in a comment or a code block is not the list.
        for before in [
            "<!-- Example:\n- KEP(s): 1234\n- KEP-Owner: @example\n-->\n",
            "```\n- KEP(s): 1234\n- KEP-Owner: @example\n```\n",
            "> - KEP(s): 1234\n> - KEP-Owner: @example\n\n",
        ] {
            let p = tracking(&format!("{before}- KEP(s): 5714\n- KEP-Owner: @a\n"));
            assert_eq!(nums(&p), [5714], "{before}");
            assert_eq!(owners(&p), ["a"], "{before}");
            assert_eq!(p.fields.len(), 2, "{before}");
            assert_eq!(
                p.fields[0].line,
                3 + before.matches('\n').count(),
                "{before}"
            );
            assert!(p.warnings.is_empty(), "{before}: {:?}", p.warnings);
        }
    }

    #[test]
    fn blocks_that_hold_no_fields_end_the_list() {
        for after in [
            "* * *\n",
            "---\n",
            "```console\n$ ctr version\n```\n",
            "> quoted: text\n",
            "<details>\n",
        ] {
            let p = tracking(&format!("- KEP(s): 5714\n{after}- KEP-Owner: @late\n"));
            assert_eq!(p.fields.len(), 1, "{after}");
            assert!(p.owners.is_empty(), "{after}");
            assert!(p.warnings.is_empty(), "{after}: {:?}", p.warnings);
        }
    }

    #[test]
    fn code_in_an_item_is_sub_lines_and_its_comments_are_no_headings() {
        let p = tracking(
            "- KEP(s): 5714\n- Notes:\n  ```sh\n  # build it\n  make\n  ```\n- KEP-Owner: @a\n",
        );
        assert_eq!(p.fields.len(), 3);
        assert_eq!(
            p.fields[1].sub_lines,
            ["```sh", "# build it", "make", "```"]
        );
        assert_eq!(owners(&p), ["a"]);
        // A heading in an item ends the block, as at the top level.
        let p = tracking("- KEP(s): 5714\n  ## Notes\n- KEP-Owner: @late\n");
        assert_eq!(p.fields.len(), 1);
        assert!(p.owners.is_empty());
    }

    #[test]
    fn nested_items_are_sub_lines_as_markdown_nests_them() {
        // The first field indented more than the next: the item under
        // `KEP PR` is nested in it, though not two columns past the first.
        let p = tracking(
            "  - KEP(s): 5714\n- KEP PR:\n  - https://github.com/kubernetes/enhancements/pull/1\n",
        );
        assert_eq!(p.fields.len(), 2);
        assert_eq!(field(&p, FieldKey::KepPr).sub_lines.len(), 1);
        assert_eq!(
            p.kep_pr_links,
            ["https://github.com/kubernetes/enhancements/pull/1"]
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn headingless_tracking_issue_reads_the_list() {
        let p = parse(
            "[SIG-Node]: ulimits",
            "Hi all: here it is\n\n- KEP(s): 5758\n- stage: alpha\n\nThanks",
        );
        assert!(!p.has_template);
        assert_eq!(p.fields.len(), 2);
        assert_eq!(nums(&p), [5758]);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
    }

    #[test]
    fn cut_inside_a_handle_gives_no_person_and_an_unknown_field() {
        let p = tracking("- KEP(s): 5714\n- KEP-Shepherd: @AkihiroS");
        assert!(p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Shepherd]);
        assert!(p.is_unknown(FieldKey::Shepherd));
        assert_eq!(field(&p, FieldKey::Shepherd).value, "@AkihiroS");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP-Shepherd");
        assert_eq!(p.warnings[0].raw, "- KEP-Shepherd: @AkihiroS");
        assert!(p.warnings[0].message.contains("cut short"));
    }

    #[test]
    fn cut_after_colon_and_inside_key() {
        use FieldKey as F;
        let p = tracking(
            "- KEP(s): 5714\n- KEP-Owner: @a\n- SIG-Node member liason: @b\n- KEP-Shepherd:",
        );
        assert!(p.shepherds.is_empty());
        assert_eq!(p.unknown, [F::Shepherd]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP-Shepherd");
        // Cut inside a key: the fields not reached are unknown.
        let p = tracking("- KEP(s): 5714\n- SIG");
        let last = p.fields.last().unwrap();
        assert_eq!((last.key.as_str(), last.known), ("SIG", None));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "SIG");
        assert_eq!(
            p.unknown,
            [
                F::Stage,
                F::KepIssue,
                F::KepPr,
                F::K8sRelease,
                F::KepOwner,
                F::Liaison,
                F::Shepherd
            ]
        );
        assert!(!p.is_unknown(F::Keps));
    }

    #[test]
    fn cut_in_a_sub_line_warns_once() {
        let p = tracking("- KEP(s): 5758\n- KEP PR: \n  - htt");
        assert!(p.kep_pr_links.is_empty());
        assert_eq!(field(&p, FieldKey::KepPr).sub_lines, ["htt"]);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert_eq!(p.warnings[0].field, "KEP PR");
        assert_eq!(p.warnings[0].raw, "- htt");
        use FieldKey as F;
        // `stage` and `KEP Issue` were left out before `KEP PR`: absent.
        assert_eq!(
            p.unknown,
            [
                F::KepPr,
                F::K8sRelease,
                F::KepOwner,
                F::Liaison,
                F::Shepherd
            ]
        );
    }

    #[test]
    fn no_cut_warning_when_complete_or_outside_block() {
        let p = tracking("- KEP(s): 5714\n- KEP-Shepherd: @AkihiroSuda\n");
        assert!(p.warnings.is_empty() && p.unknown.is_empty());
        let p = tracking("- KEP(s): 5714\n\nBasically this is beta on but there is no ");
        assert!(p.warnings.is_empty());
        // The list ended before the body did: missing fields are absent.
        assert!(p.unknown.is_empty());
        let p = parse("Feature", "prose cut mid-wo");
        assert!(p.warnings.is_empty() && p.unknown.is_empty());
    }

    #[test]
    fn parse_complete_skips_the_cut_off_warning() {
        let body = format!("{HEAD}- KEP(s): 5714\n- KEP-Shepherd: @AkihiroSuda");
        let p = parse_complete("[SIG-Node]: x", &body);
        assert_eq!(logins(&p.shepherds), ["AkihiroSuda"]);
        assert!(p.warnings.is_empty());
        // Fields missing from a whole body are absent, not unknown.
        assert!(p.unknown.is_empty());
        let cut = parse("[SIG-Node]: x", &body);
        assert_eq!(cut.warnings.len(), 1);
        assert!(cut.shepherds.is_empty() && cut.is_unknown(FieldKey::Shepherd));
    }

    #[test]
    fn unknown_when_the_body_ends_in_the_list() {
        use FieldKey as F;
        let full = "- KEP(s): 5714\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5714\n- KEP PR: https://github.com/kubernetes/enhancements/pull/5715\n- K8s-Release: 1.38\n- KEP-Owner: @AkihiroSuda\n- SIG-Node member liason: @AkihiroSuda\n";
        let p = tracking(&format!("{full}- KEP-Shepherd:"));
        assert_eq!(p.unknown, [F::Shepherd]);
        let p = tracking(&format!("{full}- KEP-Shepherd: @AkihiroS"));
        assert_eq!(p.unknown, [F::Shepherd]);
        assert!(p.shepherds.is_empty());
        assert_eq!(logins(&p.liaisons), ["AkihiroSuda"]);
        // Ends after the liaison line: the shepherd is not reached, and the
        // liaison line itself may be cut.
        let p = tracking(full.trim_end());
        assert_eq!(p.unknown, [F::Liaison, F::Shepherd]);
        assert!(p.liaisons.is_empty());
        assert_eq!(owners(&p), ["AkihiroSuda"]);
        // A complete list with text after it: nothing unknown.
        let p = tracking(&format!(
            "{full}- KEP-Shepherd: kannon92\n\nBasically this is beta on but there is no "
        ));
        assert_eq!(logins(&p.shepherds), ["kannon92"]);
        assert!(p.unknown.is_empty() && p.warnings.is_empty());
        // Ends right after the heading: every field is unknown.
        let p = parse("[SIG-Node]: KEP-5714: x", "### KEP/SIG-Node References");
        assert_eq!(p.unknown, FieldKey::TEMPLATE);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "body");
        // Whole bodies and lists that ended have nothing unknown.
        assert!(
            parse_complete("[SIG-Node]: x", &format!("{HEAD}- KEP(s): 1"))
                .unknown
                .is_empty()
        );
        assert!(tracking("- KEP(s): 1\n\n### Details\n\nmore")
            .unknown
            .is_empty());
        assert!(tracking("- KEP(s): 1\n").unknown.is_empty());
    }

    #[test]
    fn the_cut_piece_gives_no_values_of_any_kind() {
        use FieldKey as F;
        // A cut KEP number is not a KEP: the title's number is used.
        let p = parse("[SIG-Node]: KEP-5714: x", &format!("{HEAD}- KEP(s): 57"));
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![5714], Some(KepSource::Title))
        );
        assert!(p.is_unknown(F::Keps));
        // A cut stage, release or link gives none.
        let p = tracking("- KEP(s): 1\n- stage: beta w/gate o");
        assert!(p.targets.is_empty());
        assert!(p.is_unknown(F::Stage));
        let p = tracking("- KEP(s): 1\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/57");
        assert!(p.kep_issue_links.is_empty() && p.is_unknown(F::KepIssue));
        let p = tracking("- KEP(s): 1\n- stage: alpha\n- K8s-Release: 1.3");
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        // Only the cut piece is dropped: the value line above it is read.
        let p = tracking("- KEP(s): 1\n- KEP-Owner: @a\n  - @bo");
        assert_eq!(owners(&p), ["a"]);
        assert_eq!(p.unknown, [F::KepOwner, F::Liaison, F::Shepherd]);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    }
}
