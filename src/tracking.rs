//! Reading containerd's SIG-Node tracking issues: which issues track a KEP,
//! and the tolerant parser for the "KEP/SIG-Node References" block.
//!
//! This module is a pure function of an issue's title and body. It never
//! fails: whatever it cannot understand is kept as raw text and reported as
//! a [`Warning`] on the issue. It knows nothing about kep.yaml or the site;
//! joining with KEP metadata happens in `model`.

use crate::domain::{GateDefault, K8sRelease, KepNumber, Login, SigName, Stage};
use regex::Regex;
use std::sync::LazyLock;

pub use crate::declared::{
    FieldKey, IssueKind, KepSource, Owner, Parsed, RawField, Target, Warning,
};

/// Parses an issue. Never panics, never fails; see the module docs.
///
/// A body that does not end with a newline is treated as possibly cut short
/// (as in digest copies): when its last line is inside the references list,
/// a warning says so, that line gives no values (a cut `@AkihiroS` is not a
/// person), and its field and the fields the text does not reach are listed
/// in [`Parsed::unknown`]. Use [`parse_complete`] for bodies known to be
/// whole.
pub fn parse(title: &str, body: &str) -> Parsed {
    parse_body(title, body, true)
}

/// Like [`parse`], for a body known to be complete (fetched from the GitHub
/// API, whose bodies often end without a newline): no cut-off warning.
pub fn parse_complete(title: &str, body: &str) -> Parsed {
    parse_body(title, body, false)
}

/// The kind of an issue: the same answer as `parse(title, body).kind`.
pub fn classify(title: &str, body: &str) -> IssueKind {
    let body = body.replace("\r\n", "\n");
    let has_heading = references_heading(&body).is_some();
    kind_of(title.trim(), &body, has_heading)
}

/// Tracking: `[SIG-Node]` title or references heading; Related: a KEP named
/// or linked in the title or body; otherwise Unrelated.
fn kind_of(title: &str, body: &str, has_heading: bool) -> IssueKind {
    if is_tracking_title(title) || has_heading {
        IssueKind::Tracking
    } else if !title_kep_numbers(title).is_empty() || !kep_mentions(body).is_empty() {
        IssueKind::Related
    } else {
        IssueKind::Unrelated
    }
}

/// What the fields say before targets and KEP numbers are chosen.
#[derive(Default)]
struct Gathered {
    field_numbers: Vec<KepNumber>,
    stage_targets: Vec<Target>,
    stage_field_given: bool,
    releases: Vec<ReleaseNote>,
    release_key: Option<String>,
}

fn parse_body(title: &str, body: &str, may_be_cut: bool) -> Parsed {
    let title = title.trim();
    let body = body.replace("\r\n", "\n");
    let block = read_block(&body, is_tracking_title(title), may_be_cut);
    let title_numbers = title_kep_numbers(title);
    let kind = kind_of(title, &body, block.has_heading);

    let mut p = Parsed {
        kind,
        has_template: block.has_heading,
        kep_numbers: Vec::new(),
        kep_source: None,
        title_has_kep_number: !title_numbers.is_empty(),
        targets: Vec::new(),
        kep_issue_links: Vec::new(),
        kep_pr_links: Vec::new(),
        owners: Vec::new(),
        liaisons: Vec::new(),
        shepherds: Vec::new(),
        fields: Vec::new(),
        unknown: unknown_fields(&block),
        warnings: Vec::new(),
    };
    let mut w = Vec::new();
    if block.ends_inside {
        let key = block
            .cut
            .map(|(idx, _)| block.fields[idx].key.as_str())
            .filter(|k| !k.is_empty())
            .unwrap_or("body");
        let last_line = body.rsplit('\n').next().unwrap_or("").trim();
        w.push(warning(key, last_line, Warning::CUT_SHORT));
    }

    let mut g = Gathered::default();
    for (idx, field) in block.fields.iter().enumerate() {
        let cut_here = block.cut.filter(|c| c.0 == idx);
        if block.malformed.contains(&idx) && cut_here.is_none() {
            w.push(warning(
                &field.key,
                &field.key,
                "line in the references list has no `Key: value` form",
            ));
        }
        let Some(known) = field.known else { continue };
        for (piece, text) in pieces(field) {
            // The piece holding the body's last line may be cut short: it
            // gives nothing (a cut `@AkihiroS` is not a person).
            if cut_here.is_some_and(|c| c.1 == Some(piece)) || text.trim().is_empty() {
                continue;
            }
            read_piece(&mut p, &mut g, field, known, text.trim(), &mut w);
        }
        match known {
            FieldKey::Stage => g.stage_field_given |= field_text(field).next().is_some(),
            FieldKey::K8sRelease => g.release_key = g.release_key.or(Some(field.key.clone())),
            _ => {}
        }
    }

    p.targets = combine_targets(
        g.stage_targets,
        g.releases,
        g.stage_field_given,
        g.release_key.as_deref().unwrap_or("K8s-Release"),
        &mut w,
    );
    choose_kep_numbers(
        &mut p,
        &block,
        g.field_numbers,
        &title_numbers,
        title,
        &body,
        &mut w,
    );
    p.fields = block.fields;
    p.warnings = w;
    p
}

/// Reads one piece (the value, or one sub-line) of a known field.
fn read_piece(
    p: &mut Parsed,
    g: &mut Gathered,
    field: &RawField,
    known: FieldKey,
    text: &str,
    w: &mut Vec<Warning>,
) {
    let mut warn = |message: &str| w.push(warning(&field.key, text, message));
    match known {
        FieldKey::Keps => g.field_numbers.extend(field_kep_numbers(text)),
        FieldKey::Stage => {
            let (found, unclear) = targets_from_text(text);
            if found.is_empty() && !is_placeholder(text) {
                warn("no stage (alpha, beta, GA) found");
            }
            if unclear {
                warn("several releases for one stage; cannot tell which one is planned");
            }
            g.stage_targets.extend(found);
        }
        FieldKey::K8sRelease => {
            let found = releases_from_text(text);
            if found.is_empty() && !is_placeholder(text) {
                warn("no Kubernetes release (e.g. 1.36) found");
            }
            g.releases.extend(found);
        }
        FieldKey::KepIssue | FieldKey::KepPr => {
            let found = links_from_text(text);
            if found.is_empty() && !is_placeholder(text) && !SEE_ISSUE.is_match(text) {
                warn("no link (http:// or https:// URL) found");
            }
            let links = if known == FieldKey::KepIssue {
                &mut p.kep_issue_links
            } else {
                &mut p.kep_pr_links
            };
            push_unique(links, found);
        }
        FieldKey::KepOwner | FieldKey::Liaison | FieldKey::Shepherd => {
            let (people, bad) = people_from_text(text, known == FieldKey::KepOwner);
            if !bad.is_empty() {
                warn(&format!("not read as GitHub login(s): {}", bad.join(", ")));
            }
            add_people(p, known, people);
        }
    }
}

fn add_people(p: &mut Parsed, known: FieldKey, people: Vec<Owner>) {
    for person in people {
        match (known, person) {
            (FieldKey::KepOwner, o) => push_unique(&mut p.owners, [o]),
            (FieldKey::Liaison, Owner::Person(l)) => push_unique(&mut p.liaisons, [l]),
            (FieldKey::Shepherd, Owner::Person(l)) => push_unique(&mut p.shepherds, [l]),
            _ => {}
        }
    }
}

/// The template fields the text does not reach or cuts short: none unless
/// the body ends inside the references list; then the field holding the
/// last line, and the fields not seen that come after every field seen in
/// the template's order (a field left out before them is absent).
fn unknown_fields(block: &Block) -> Vec<FieldKey> {
    if !block.ends_inside {
        return Vec::new();
    }
    let position = |k: FieldKey| FieldKey::TEMPLATE.iter().position(|&t| t == k);
    let reached = block
        .fields
        .iter()
        .filter_map(|f| f.known.and_then(position))
        .max();
    let cut_key = block.cut.and_then(|(idx, _)| block.fields[idx].known);
    FieldKey::TEMPLATE
        .into_iter()
        .enumerate()
        .filter(|&(i, k)| cut_key == Some(k) || reached.is_none_or(|r| i > r))
        .map(|(_, k)| k)
        .collect()
}

// ---------------------------------------------------------------------------
// Recognisers: one regex (or function) per rule.

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid built-in regex")
}

/// `[SIG-Node]`, `[sig node]:` at the start of a title.
static TITLE_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*\[\s*sig[-_ ]?node\s*\]\s*:?\s*"));
/// A bare KEP number right after the title prefix: `[SIG-Node]: 5758 - ...`.
static TITLE_BARE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^#?(\d{1,6})(?:$|[\s:,)\-\u{2013}\u{2014}])"));
/// The "KEP/SIG-Node References" heading (or bold line) of the template.
static REFERENCES_HEADING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[\s#>*_]*kep\s*/\s*sig[-_ ]?node\s+references?[\s*_:]*$"));
/// Any markdown ATX heading, which ends the references block.
static HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^ {0,3}#{1,6}(?:\s|$)"));
/// A KEP named or linked in text. Each alternative captures the number.
static KEP_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\bkeps?[-\s]?#?(\d{1,6})\b",
        r"|\bkep\.k8s\.io/(\d{1,6})\b",
        r"|github\.com/kubernetes/enhancements/issues/(\d{1,6})\b",
        r"|\bkubernetes/enhancements#(\d{1,6})\b",
        r"|/keps/sig-[a-z0-9-]+/(\d{1,6})(?:-|/|\b)",
    ))
});
/// A list bullet at the start of a (trimmed) line.
static BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:[-*+]|\d{1,3}[.)])(?:\s+|$)"));
/// A Kubernetes release such as `1.36` or `v1.37.2`.
static RELEASE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bv?\d{1,4}\.\d{1,4}(?:\.\d{1,4})?"));
/// A stage word.
static STAGE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:alpha|beta|ga|stable|general\s+availability|deprecated|removed)\b")
});
/// Whether a beta feature gate is on or off by default.
static GATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:gate|beta)\W{0,3}(?:is\s+)?(on|off|enabled|disabled)\b|\b(on|off|enabled|disabled)\s+by\s+default",
    )
});
/// An http(s) URL, starting at a word boundary (`@userhttps://x` is not a
/// URL after a handle); trailing punctuation is trimmed afterwards.
static URL: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)\bhttps?://[^\s<>"'`\[\]]+"#));
/// The template's "see the issue" phrases used instead of a link.
static SEE_ISSUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^see\s+(?:the\s+)?(?:kep\s+)?issue(?:\s+links?)?(?:\s+above)?\.?$"));
/// A markdown link `[text](url)`; people fields keep the text.
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]]*)\]\([^)]*\)"));
/// A parenthesised note after a login: `kannon92 (Red Hat)`.
static PAREN_NOTE: LazyLock<Regex> = LazyLock::new(|| re(r"\([^)]*\)?"));
static LIAISON_KEY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:sig)?(?:node)?(?:member)?liai?si?ons?$"));
static SHEPHERD_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:kep|containerd)?sheph?[ae]rds?$"));

/// The line index of the "KEP/SIG-Node References" heading, if any.
fn references_heading(body: &str) -> Option<usize> {
    body.split('\n')
        .position(|l| REFERENCES_HEADING.is_match(l))
}

/// What a tracking title is about, without the `[SIG-Node]:` prefix and
/// the KEP number: `[SIG-Node]: KEP-5714: cgroup namespaces` gives
/// `cgroup namespaces`, as do the template's angle brackets left in
/// (`KEP-<5714>: ...`, `<KEP-5714>: <cgroup namespaces>`). Titles without
/// the prefix are returned whole.
pub fn title_subject(title: &str) -> &str {
    static LEADING_KEP: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)^<?(?:keps?[-\s]?)?<?#?\d{1,6}>?\s*(?:[:\-\u{2013}\u{2014}]\s*)?")
    });
    let Some(prefix) = TITLE_PREFIX.find(title) else {
        return title.trim();
    };
    let rest = title.get(prefix.end()..).unwrap_or("");
    let rest = match LEADING_KEP.find(rest) {
        Some(m) => rest.get(m.end()..).unwrap_or(""),
        None => rest,
    };
    let rest = rest.trim();
    let rest = rest
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .map_or(rest, str::trim);
    if rest.is_empty() {
        title.trim()
    } else {
        rest
    }
}

fn is_tracking_title(title: &str) -> bool {
    TITLE_PREFIX.is_match(title)
}

/// Values that mean "nothing yet" and give neither data nor a warning, also
/// in formatting: `TBD.`, `_No response_`, `(tbd)`, `**N/A**`.
fn is_placeholder(s: &str) -> bool {
    let s = s
        .trim()
        .trim_matches(|c: char| {
            c.is_whitespace() || DECORATION.contains(&c) || c == '.' || c == '_'
        })
        .to_lowercase();
    matches!(
        s.as_str(),
        "" | "tbd"
            | "tba"
            | "tbc"
            | "none"
            | "n/a"
            | "na"
            | "-"
            | "_no response_"
            | "no response"
            | "to be determined"
    )
}

/// KEP numbers named or linked in free text, in order, without duplicates.
/// `KEP 1.25` (a version after the word) is not a KEP.
pub fn kep_mentions(text: &str) -> Vec<KepNumber> {
    let mut out = Vec::new();
    for caps in KEP_MENTION.captures_iter(text) {
        let Some(digits) = caps.iter().skip(1).flatten().next() else {
            continue;
        };
        let mut after = text.get(digits.end()..).unwrap_or("").chars();
        if after.next() == Some('.') && after.next().is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        push_unique(&mut out, KepNumber::parse(digits.as_str()));
    }
    out
}

/// KEP numbers the title names: any mention, or a bare number right after
/// the `[SIG-Node]:` prefix. The template's angle brackets are ignored
/// (`KEP-<5714>`, `<KEP-5714>`).
fn title_kep_numbers(title: &str) -> Vec<KepNumber> {
    let title = title.replace(['<', '>'], "");
    let title = title.as_str();
    let mut out = Vec::new();
    if let Some(prefix) = TITLE_PREFIX.find(title) {
        let rest = title.get(prefix.end()..).unwrap_or("");
        if let Some(caps) = TITLE_BARE_NUMBER.captures(rest) {
            push_unique(
                &mut out,
                caps.get(1).and_then(|m| KepNumber::parse(m.as_str())),
            );
        }
    }
    push_unique(&mut out, kep_mentions(title));
    out
}

/// KEP numbers in one piece of the `KEP(s):` field: mentions and links
/// anywhere, plus bare numbers (`5714`, `#6061`) in the leading list, before
/// any descriptive words (`KEP-5365 - ImageVolume with digest 2` gives 5365).
fn field_kep_numbers(text: &str) -> Vec<KepNumber> {
    let mut out = Vec::new();
    let mut bare_ok = true;
    for token in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';') {
        let mentioned = kep_mentions(token);
        if !mentioned.is_empty() {
            push_unique(&mut out, mentioned);
            continue;
        }
        let t = token.trim_matches(|c: char| {
            matches!(c, '(' | ')' | '[' | ']' | '<' | '>' | '.' | ':' | '`' | '*')
        });
        if t.is_empty()
            || matches!(
                t.to_lowercase().as_str(),
                "kep" | "keps" | "and" | "&" | "-" | "/" | "+"
            )
        {
            continue;
        }
        match KepNumber::parse(t) {
            Some(n) if bare_ok => push_unique(&mut out, [n]),
            _ => bare_ok = false,
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The references block.

struct Block {
    has_heading: bool,
    fields: Vec<RawField>,
    /// The field (and piece: 0 = value, i = sub_lines[i-1]) holding the body's
    /// last line, when the body ends without a newline inside the list.
    cut: Option<(usize, Option<usize>)>,
    /// The body may be cut and ends inside the references block: in a field
    /// (`cut`), or right after the heading.
    ends_inside: bool,
    /// Fields read from a bulleted line without `Key:`.
    malformed: Vec<usize>,
}

enum Line<'a> {
    Field {
        key: &'a str,
        value: &'a str,
        bulleted: bool,
    },
    BulletOnly(&'a str),
    Text,
}

/// Reads a top-level line of the list.
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

/// Finds the references block and reads its fields. Without the heading the
/// block is looked for only in issues with a `[SIG-Node]` title, starting at
/// the first line with a known key.
fn read_block(body: &str, tracking_title: bool, may_be_cut: bool) -> Block {
    let mut block = Block {
        has_heading: false,
        fields: Vec::new(),
        cut: None,
        ends_inside: false,
        malformed: Vec::new(),
    };
    let lines: Vec<&str> = body.split('\n').collect();
    let heading = references_heading(body);
    block.has_heading = heading.is_some();
    let start = match heading {
        Some(i) => i + 1,
        None if tracking_title => 0,
        None => return block,
    };
    let ends_open = may_be_cut && !body.is_empty() && !body.ends_with('\n');
    let last = lines.len().saturating_sub(1);
    let mut base_indent = 0;
    block.ends_inside = ends_open && heading == Some(last);

    for (i, line) in lines.iter().enumerate().skip(start) {
        if line.trim().is_empty() {
            continue;
        }
        let is_last = ends_open && i == last;
        if HEADING.is_match(line) {
            if heading.is_some() || !block.fields.is_empty() {
                break;
            }
            continue;
        }
        let indent = indent_of(line);
        if let Some(field) = block
            .fields
            .last_mut()
            .filter(|_| indent >= base_indent + 2)
        {
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
            if is_last {
                block.cut = Some((block.fields.len() - 1, piece));
            }
            continue;
        }
        let first = block.fields.is_empty();
        let (key, value, malformed) = match classify_line(line) {
            Line::Field {
                key,
                value,
                bulleted,
            } => {
                let known = field_key(key).is_some();
                if first && heading.is_none() && !known {
                    continue;
                }
                if !bulleted && !known {
                    if first {
                        continue;
                    }
                    break;
                }
                (key, value, false)
            }
            Line::BulletOnly(text) => {
                if first && heading.is_none() && field_key(text).is_none() {
                    continue;
                }
                (text, "", true)
            }
            Line::Text if first => continue,
            Line::Text => break,
        };
        if first {
            base_indent = indent;
        }
        if malformed {
            block.malformed.push(block.fields.len());
        }
        block.fields.push(RawField {
            key: key.to_string(),
            known: field_key(key),
            value: value.to_string(),
            sub_lines: Vec::new(),
            line: i + 1,
        });
        if is_last {
            block.cut = Some((block.fields.len() - 1, Some(0)));
        }
    }
    block.ends_inside |= block.cut.is_some();
    block
}

/// Matches a key as written to a template field: case, spaces, hyphens and
/// parenthesised qualifiers (`KEP PR (alpha)`, `KEP(s)`) are ignored.
fn field_key(key: &str) -> Option<FieldKey> {
    let mut k = String::new();
    let mut depth = 0usize;
    for c in key.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => k.extend(c.to_lowercase()),
            _ => {}
        }
    }
    Some(match k.as_str() {
        "kep" | "keps" | "kepnumber" | "kepnumbers" => FieldKey::Keps,
        "stage" | "stages" | "kepstage" | "targetstage" => FieldKey::Stage,
        "kepissue" | "kepissues" | "enhancementissue" | "enhancementsissue" => FieldKey::KepIssue,
        "keppr" | "kepprs" | "keppullrequest" | "keppullrequests" => FieldKey::KepPr,
        "k8srelease" | "k8sreleases" | "kubernetesrelease" | "kubernetesreleases"
        | "k8sversion" | "kubernetesversion" | "targetrelease" => FieldKey::K8sRelease,
        "kepowner" | "kepowners" | "owner" | "owners" => FieldKey::KepOwner,
        _ if LIAISON_KEY.is_match(&k) => FieldKey::Liaison,
        _ if SHEPHERD_KEY.is_match(&k) => FieldKey::Shepherd,
        _ => return None,
    })
}

/// The value and the sub-lines of a field, in order.
fn field_text(field: &RawField) -> impl Iterator<Item = &str> {
    std::iter::once(field.value.as_str())
        .chain(field.sub_lines.iter().map(String::as_str))
        .filter(|s| !s.trim().is_empty())
}

/// The value (piece 0) and the sub-lines (pieces 1..) of a field.
fn pieces(field: &RawField) -> impl Iterator<Item = (usize, &str)> {
    std::iter::once(field.value.as_str())
        .chain(field.sub_lines.iter().map(String::as_str))
        .enumerate()
}

fn warning(field: &str, raw: &str, message: &str) -> Warning {
    Warning {
        field: field.to_string(),
        raw: raw.to_string(),
        message: message.to_string(),
    }
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, items: impl IntoIterator<Item = T>) {
    for item in items {
        if !v.contains(&item) {
            v.push(item);
        }
    }
}

// ---------------------------------------------------------------------------
// Field values.

/// Splits a value into segments at `,`, `;`, ` and `, `->`, `→` outside
/// parentheses, brackets and backticks. Returns byte ranges into `text`.
fn segments(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut depth, mut in_code, mut start) = (0usize, false, 0usize);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let sep_len = match c {
            '`' => {
                in_code = !in_code;
                0
            }
            '(' | '[' if !in_code => {
                depth += 1;
                0
            }
            ')' | ']' if !in_code => {
                depth = depth.saturating_sub(1);
                0
            }
            _ if in_code || depth > 0 => 0,
            ',' | ';' | '\u{2192}' => c.len_utf8(),
            '-' if chars.peek().map(|p| p.1) == Some('>') => 2,
            ' ' if text
                .get(i..i + 5)
                .is_some_and(|s| s.eq_ignore_ascii_case(" and ")) =>
            {
                5
            }
            _ => 0,
        };
        if sep_len > 0 {
            out.push((start, i));
            start = i + sep_len;
        }
    }
    out.push((start, text.len()));
    out.into_iter()
        .filter(|&(a, b)| text.get(a..b).is_some_and(|s| !s.trim().is_empty()))
        .collect()
}

fn stage_in(text: &str) -> Option<Stage> {
    STAGE_WORD
        .find(text)
        .and_then(|m| Stage::parse(&m.as_str().split_whitespace().collect::<Vec<_>>().join(" ")))
}

fn gate_in(stage: Stage, text: &str) -> Option<GateDefault> {
    if stage != Stage::Beta {
        return None;
    }
    let caps = GATE.captures(text)?;
    let word = caps
        .get(1)
        .or_else(|| caps.get(2))?
        .as_str()
        .to_ascii_lowercase();
    Some(if word == "on" || word == "enabled" {
        GateDefault::On
    } else {
        GateDefault::Off
    })
}

/// The distinct releases named in `text` (read it [`without_urls`]), in
/// order: `1.36/1.37` gives two, `v1.37 (release 1.37)` one.
fn release_in(text: &str) -> Vec<K8sRelease> {
    let mut out = Vec::new();
    push_unique(
        &mut out,
        RELEASE
            .find_iter(text)
            .filter_map(|m| K8sRelease::parse(m.as_str())),
    );
    out
}

/// `text` with each URL overwritten by spaces, so that numbers and words in
/// a URL (`.../releases/release-1.37`) are not read as values, while byte
/// offsets still point at the same places in `text`.
fn without_urls(text: &str) -> String {
    let mut out = text.to_string();
    for m in URL.find_iter(text) {
        let len = trim_url(m.as_str()).len();
        out.replace_range(m.start()..m.start() + len, &" ".repeat(len));
    }
    out
}

/// Targets from one piece of the `stage:` field: `beta w/gate on`,
/// `alpha in 1.36, beta in 1.38`, `Beta: 1.38 (hopefully).`. A segment with
/// neither a stage nor a release (`off by default`) is a note on the
/// previous one. The flag says a stage was given several releases
/// (`alpha 1.36/1.37`): that stage gets none.
fn targets_from_text(text: &str) -> (Vec<Target>, bool) {
    let scan = without_urls(text);
    let mut out: Vec<(Target, usize, usize)> = Vec::new();
    let mut unclear = false;
    for (a, b) in segments(&scan) {
        let seg = scan.get(a..b).unwrap_or("");
        let releases = release_in(seg);
        match stage_in(seg) {
            Some(stage) => {
                unclear |= releases.len() > 1;
                let target = Target {
                    stage,
                    gate: gate_in(stage, seg),
                    k8s_release: releases.first().copied().filter(|_| releases.len() == 1),
                    raw: String::new(),
                };
                out.push((target, a, b));
            }
            None => match out.last_mut().filter(|_| releases.is_empty()) {
                Some(prev) => {
                    prev.2 = b;
                    prev.0.gate = prev.0.gate.or_else(|| gate_in(prev.0.stage, seg));
                }
                None => return (Vec::new(), false),
            },
        }
    }
    let whole = out.len() == 1;
    let targets = out
        .into_iter()
        .map(|(mut t, a, b)| {
            let raw = if whole {
                text
            } else {
                text.get(a..b).unwrap_or(text)
            };
            t.raw = raw.trim().to_string();
            t
        })
        .collect();
    (targets, unclear)
}

/// One release named in the `K8s-Release:` field, with the stage it is for
/// when the text says so (`v1.37 (target for Alpha)`).
struct ReleaseNote {
    stage: Option<Stage>,
    release: K8sRelease,
    raw: String,
}

/// Releases in one piece of the `K8s-Release:` field: `1.36 (hopefully)`,
/// `v1.36 / v1.37`, `v1.37 https://.../release-1.37`, `1.36 (alpha), 1.38
/// (beta)`. The same release for the same stage is given once.
fn releases_from_text(text: &str) -> Vec<ReleaseNote> {
    let scan = without_urls(text);
    let mut out: Vec<ReleaseNote> = Vec::new();
    for (a, b) in segments(&scan) {
        let seg = scan.get(a..b).unwrap_or("");
        let stage = stage_in(seg);
        for release in release_in(seg) {
            if out.iter().any(|r| r.release == release && r.stage == stage) {
                continue;
            }
            out.push(ReleaseNote {
                stage,
                release,
                raw: text.get(a..b).unwrap_or("").trim().to_string(),
            });
        }
    }
    out
}

/// Joins the stages with the `K8s-Release:` value: a release tagged with a
/// stage goes to that stage (or becomes a target of its own), a single
/// untagged release goes to every target without one, several untagged
/// releases pair up with the targets without one in order.
fn combine_targets(
    mut targets: Vec<Target>,
    releases: Vec<ReleaseNote>,
    stage_field_given: bool,
    release_key: &str,
    w: &mut Vec<Warning>,
) -> Vec<Target> {
    let mut untagged = Vec::new();
    for r in releases {
        let Some(stage) = r.stage else {
            untagged.push(r);
            continue;
        };
        let same: Vec<&mut Target> = targets.iter_mut().filter(|t| t.stage == stage).collect();
        if same.is_empty() {
            targets.push(Target {
                stage,
                gate: None,
                k8s_release: Some(r.release),
                raw: r.raw,
            });
            continue;
        }
        let mut matched = false;
        for t in same {
            matched |= t.k8s_release.is_none() || t.k8s_release == Some(r.release);
            t.k8s_release.get_or_insert(r.release);
        }
        if !matched {
            w.push(warning(
                release_key,
                &r.raw,
                "release differs from the one given with the stage",
            ));
        }
    }
    let lacking: Vec<usize> = (0..targets.len())
        .filter(|&i| targets[i].k8s_release.is_none())
        .collect();
    if untagged.is_empty() {
        // Nothing left to place.
    } else if targets.is_empty() {
        if !stage_field_given {
            let mut raws: Vec<&str> = Vec::new();
            push_unique(&mut raws, untagged.iter().map(|r| r.raw.as_str()));
            for raw in raws {
                w.push(warning(release_key, raw, "release given without a stage"));
            }
        }
    } else if untagged.len() == 1 && !lacking.is_empty() {
        for &i in &lacking {
            targets[i].k8s_release = Some(untagged[0].release);
        }
    } else if untagged.len() == lacking.len() {
        for (&i, r) in lacking.iter().zip(&untagged) {
            targets[i].k8s_release = Some(r.release);
        }
    } else if !lacking.is_empty() {
        let mut raws: Vec<&str> = Vec::new();
        push_unique(&mut raws, untagged.iter().map(|r| r.raw.as_str()));
        let raw = raws.join(", ");
        w.push(warning(
            release_key,
            &raw,
            "cannot tell which release belongs to which stage",
        ));
    } else {
        for r in untagged
            .iter()
            .filter(|r| !targets.iter().any(|t| t.k8s_release == Some(r.release)))
        {
            w.push(warning(
                release_key,
                &r.raw,
                "release differs from the one given with the stage",
            ));
        }
    }
    targets
}

/// URLs in a `KEP Issue:` / `KEP PR:` value; markdown links give their URL.
fn links_from_text(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in URL.find_iter(text) {
        let url = trim_url(m.as_str());
        let has_host = url
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty());
        if has_host {
            push_unique(&mut out, [url.to_string()]);
        }
    }
    out
}

/// A URL as matched by [`URL`] without the punctuation that follows it in prose.
fn trim_url(url: &str) -> &str {
    url.trim_end_matches(['.', ',', ';', ':', ')', '>', '*', '_', '!', '?'])
}

/// Words that show a people field holds prose (`see issue`, `I can
/// volunteer`), not a list of logins. (`a` is left out: `a, b and c`.)
const NOT_LOGINS: &[&str] = &[
    "about",
    "above",
    "after",
    "all",
    "also",
    "an",
    "any",
    "anyone",
    "approver",
    "approvers",
    "as",
    "ask",
    "asked",
    "assigned",
    "at",
    "author",
    "authors",
    "be",
    "before",
    "below",
    "but",
    "by",
    "can",
    "cc",
    "chair",
    "chairs",
    "containerd",
    "could",
    "currently",
    "determined",
    "do",
    "etc",
    "find",
    "for",
    "from",
    "have",
    "he",
    "help",
    "her",
    "his",
    "i",
    "if",
    "in",
    "interested",
    "is",
    "issue",
    "issues",
    "it",
    "kep",
    "kubernetes",
    "later",
    "lead",
    "leads",
    "liaison",
    "link",
    "links",
    "looking",
    "maintainer",
    "maintainers",
    "maybe",
    "me",
    "member",
    "members",
    "merged",
    "merges",
    "my",
    "myself",
    "need",
    "needed",
    "needs",
    "no",
    "nobody",
    "node",
    "not",
    "now",
    "of",
    "on",
    "once",
    "one",
    "or",
    "our",
    "owner",
    "owners",
    "pending",
    "please",
    "reviewer",
    "reviewers",
    "same",
    "see",
    "self",
    "she",
    "shepherd",
    "shepherds",
    "should",
    "sig",
    "someone",
    "tba",
    "tbc",
    "tbd",
    "team",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "they",
    "this",
    "title",
    "to",
    "unknown",
    "until",
    "us",
    "volunteer",
    "volunteers",
    "wanted",
    "we",
    "when",
    "who",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
];

/// Characters around a bare login that are formatting, not part of it.
const DECORATION: &[char] = &['*', '`', '"', '\'', '<', '>', '[', ']', '(', ')'];

/// People in one piece of a people field. With `@`-mentions, the mentions
/// are the people, wherever they stand (`@a (backup: @b)`) and whatever
/// prose surrounds them. Without, the bare words are logins only when the
/// whole piece is a list of them (`kannon92.`, `a, b and c`); other text
/// gives nobody and is returned whole as unreadable. With `groups`, SIG
/// names (`sig-network`, `SIG Node`) are groups. Returns the people in
/// order of appearance and the text that could not be read.
fn people_from_text(text: &str, groups: bool) -> (Vec<Owner>, Vec<String>) {
    if is_placeholder(text) {
        return (Vec::new(), Vec::new());
    }
    let unreadable = || (Vec::new(), vec![text.trim().to_string()]);
    let linked = MD_LINK.replace_all(text, " $1 ");
    let scan = without_urls(&linked);
    let sigs = if groups { sig_names(&scan) } else { Vec::new() };
    let mut people: Vec<(usize, Owner)> = sigs
        .iter()
        .map(|(at, _, g)| (*at, Owner::Group(g.clone())))
        .collect();
    let mut bad = Vec::new();
    let found = mentions(&scan);
    if found.is_empty() {
        let Some(logins) = bare_logins(&linked, &sigs) else {
            return unreadable();
        };
        people.extend(logins.into_iter().map(|(at, l)| (at, Owner::Person(l))));
    }
    for (at, mention) in found {
        match mentioned(mention, groups) {
            Some(owner) => people.push((at, owner)),
            None => bad.push(mention.to_string()),
        }
    }
    if people.is_empty() && bad.is_empty() {
        return unreadable();
    }
    people.sort_by_key(|(at, _)| *at);
    (people.into_iter().map(|(_, o)| o).collect(), bad)
}

/// The `@`-mentions in `text` with their byte offsets: `@` not preceded by a
/// letter or digit (`me@example.com` is an address), then a handle as
/// written up to the first character that cannot be in one (so `@foo_bar`
/// stays whole and is then rejected). `@org/team` is one mention.
fn mentions(text: &str) -> Vec<(usize, &str)> {
    let handle_len = |s: &str| {
        s.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(s.len())
    };
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '@' && !prev.is_some_and(char::is_alphanumeric) {
            let rest = &text[i + 1..];
            let mut len = handle_len(rest);
            if len > 0 && rest[len..].starts_with('/') {
                let team = handle_len(&rest[len + 1..]);
                if team > 0 {
                    len += 1 + team;
                }
            }
            if len > 0 {
                out.push((i, &text[i..i + 1 + len]));
            }
        }
        prev = Some(c);
    }
    out
}

/// A mention as a person, or with `groups` a SIG (`@kubernetes/sig-node`).
/// Other teams and invalid handles give `None`.
fn mentioned(mention: &str, groups: bool) -> Option<Owner> {
    if let Some(group) = SigName::parse(mention).filter(|_| groups) {
        return Some(Owner::Group(group));
    }
    if mention.contains('/') {
        return None;
    }
    Login::parse(mention).map(Owner::Person)
}

/// SIG and WG names written bare (`sig-network`, `SIG Node`), with their
/// byte ranges; not inside a handle, a path or a longer word.
fn sig_names(text: &str) -> Vec<(usize, usize, SigName)> {
    static SIG_NAME: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)(?:^|[^\w@/-])((?:sig|wg)(-|[ \t]+)([a-z][a-z0-9]*(?:-[a-z0-9]+)*))\b")
    });
    let mut out = Vec::new();
    for caps in SIG_NAME.captures_iter(text) {
        let (Some(all), Some(sep), Some(name)) = (caps.get(1), caps.get(2), caps.get(3)) else {
            continue;
        };
        let spaced = sep.as_str() != "-";
        if spaced && matches!(name.as_str().to_ascii_lowercase().as_str(), "and" | "or") {
            continue;
        }
        let normal = all
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if let Some(group) = SigName::parse(&normal) {
            out.push((all.start(), all.end(), group));
        }
    }
    out
}

/// Bare logins when `text`, less the SIG names `sigs` and notes in
/// parentheses, is only a list of login-shaped words (separated by commas,
/// semicolons, whitespace, `and`, `&`, `/`; trailing dots allowed). `None`
/// when any word is not a login, is an English word or names a SIG.
fn bare_logins(text: &str, sigs: &[(usize, usize, SigName)]) -> Option<Vec<(usize, Login)>> {
    let mut rest = text.to_string();
    for (a, b, _) in sigs {
        rest.replace_range(*a..*b, &" ".repeat(b - a));
    }
    let notes: Vec<(usize, usize)> = PAREN_NOTE
        .find_iter(&rest)
        .map(|m| (m.start(), m.end()))
        .collect();
    for (a, b) in notes {
        rest.replace_range(a..b, &" ".repeat(b - a));
    }
    let mut out = Vec::new();
    for word in rest.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '&' | '/')) {
        let at = word.as_ptr() as usize - rest.as_ptr() as usize;
        let t = word.trim_matches(DECORATION).trim_end_matches('.');
        let skip = t.is_empty()
            || t.eq_ignore_ascii_case("and")
            || (is_placeholder(t) && t.chars().any(char::is_alphanumeric));
        if skip {
            continue;
        }
        let shaped = t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let english = NOT_LOGINS.contains(&t.to_ascii_lowercase().as_str());
        let sig = SigName::parse(t).is_some();
        let login = Login::parse(t).filter(|_| shaped && !english && !sig)?;
        out.push((at, login));
    }
    Some(out)
}

// ---------------------------------------------------------------------------
// KEP numbers.

/// Chooses the KEP numbers. Tracking issues: the `KEP(s):` field, else the
/// title, else the `KEP Issue:` link, else mentions in the body; a number a
/// later source names that the first does not is kept too, with a warning.
/// Other issues: mentions in the title, then in the body.
fn choose_kep_numbers(
    p: &mut Parsed,
    block: &Block,
    field_numbers: Vec<KepNumber>,
    title_numbers: &[KepNumber],
    title: &str,
    body: &str,
    w: &mut Vec<Warning>,
) {
    let field_key_as_written = |k: FieldKey| {
        block
            .fields
            .iter()
            .find(|f| f.known == Some(k))
            .map(|f| f.key.clone())
            .unwrap_or_default()
    };
    if p.kind != IssueKind::Tracking {
        let body_numbers = kep_mentions(body);
        p.kep_source = match (title_numbers.is_empty(), body_numbers.is_empty()) {
            (false, _) => Some(KepSource::Title),
            (true, false) => Some(KepSource::Body),
            (true, true) => None,
        };
        push_unique(&mut p.kep_numbers, title_numbers.iter().copied());
        push_unique(&mut p.kep_numbers, body_numbers);
        return;
    }
    let url_numbers: Vec<KepNumber> = p
        .kep_issue_links
        .iter()
        .flat_map(|l| kep_mentions(l))
        .collect();
    let sources = [
        (
            KepSource::KepField,
            field_numbers,
            field_key_as_written(FieldKey::Keps),
            String::new(),
        ),
        (
            KepSource::Title,
            title_numbers.to_vec(),
            "title".to_string(),
            title.to_string(),
        ),
        (
            KepSource::KepIssueUrl,
            url_numbers,
            field_key_as_written(FieldKey::KepIssue),
            p.kep_issue_links.join(" "),
        ),
    ];
    let mut first: Option<(KepSource, String)> = None;
    for (source, numbers, name, raw) in sources {
        if numbers.is_empty() {
            continue;
        }
        if let Some((_, first_name)) = &first {
            let extra: Vec<KepNumber> = numbers
                .iter()
                .copied()
                .filter(|n| !p.kep_numbers.contains(n))
                .collect();
            if !extra.is_empty() {
                let list = |v: &[KepNumber]| {
                    v.iter()
                        .map(|n| format!("KEP-{n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let message = format!(
                    "`{name}` names {} but `{first_name}` names {}",
                    list(&extra),
                    list(&p.kep_numbers)
                );
                let raw = if raw.is_empty() {
                    numbers
                        .iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    raw
                };
                w.push(warning(&name, &raw, &message));
                push_unique(&mut p.kep_numbers, extra);
            }
        } else {
            first = Some((source, name));
            p.kep_source = Some(source);
            push_unique(&mut p.kep_numbers, numbers);
        }
    }
    if p.kep_numbers.is_empty() {
        let body_numbers = kep_mentions(body);
        if body_numbers.is_empty() {
            let field = block
                .fields
                .iter()
                .find(|f| f.known == Some(FieldKey::Keps));
            let (name, raw) = match field {
                Some(f) => (f.key.clone(), field_text(f).collect::<Vec<_>>().join(" ")),
                None => ("title".to_string(), title.to_string()),
            };
            w.push(warning(
                &name,
                &raw,
                "no KEP number found in the KEP(s) field, the title or the KEP Issue link",
            ));
        } else {
            p.kep_source = Some(KepSource::Body);
            p.kep_numbers = body_numbers;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "### KEP/SIG-Node References\n\n";

    fn tracking(body_fields: &str) -> Parsed {
        parse("[SIG-Node]: something", &format!("{HEAD}{body_fields}"))
    }
    fn nums(p: &Parsed) -> Vec<u32> {
        p.kep_numbers.iter().map(|n| n.get()).collect()
    }
    fn logins(v: &[Login]) -> Vec<&str> {
        v.iter().map(Login::as_str).collect()
    }
    fn owners(p: &Parsed) -> Vec<String> {
        p.owners
            .iter()
            .map(|o| match o {
                Owner::Person(l) => l.to_string(),
                Owner::Group(g) => format!("group:{g}"),
            })
            .collect()
    }
    fn warned(p: &Parsed, field: &str) -> bool {
        p.warnings.iter().any(|w| w.field == field)
    }
    fn target(
        stage: Stage,
        gate: Option<GateDefault>,
        rel: Option<(u16, u16)>,
    ) -> (Stage, Option<GateDefault>, Option<K8sRelease>) {
        (stage, gate, rel.map(|(a, b)| K8sRelease::new(a, b)))
    }
    fn targets(p: &Parsed) -> Vec<(Stage, Option<GateDefault>, Option<K8sRelease>)> {
        p.targets
            .iter()
            .map(|t| (t.stage, t.gate, t.k8s_release))
            .collect()
    }
    fn field(p: &Parsed, key: FieldKey) -> &RawField {
        p.fields
            .iter()
            .find(|f| f.known == Some(key))
            .expect("field present")
    }

    // ----- kind -----

    #[test]
    fn kind_tracking_by_title_prefix_any_spelling() {
        for title in [
            "[SIG-Node]: KEP-1: x",
            "[sig-node] x",
            "  [SIG-NODE]: x",
            "[SIG Node]: x",
            "[Sig-Node]x",
        ] {
            let p = parse(title, "no template here");
            assert_eq!(p.kind, IssueKind::Tracking, "{title}");
            assert!(!p.has_template);
        }
        assert_eq!(parse("SIG-Node: x", "").kind, IssueKind::Unrelated);
        assert_eq!(parse("Re [SIG-Node]: x", "").kind, IssueKind::Unrelated);
    }

    #[test]
    fn kind_tracking_by_heading_only_any_case() {
        for heading in [
            "### KEP/SIG-Node References",
            "### kep/sig-node references",
            "## KEP / SIG Node References",
            "**KEP/SIG-Node References**",
        ] {
            let p = parse(
                "cgroup namespaces",
                &format!("{heading}\n\n- KEP(s): 5714\n"),
            );
            assert_eq!(p.kind, IssueKind::Tracking, "{heading}");
            assert!(p.has_template);
            assert_eq!(nums(&p), [5714]);
            assert_eq!(p.kep_source, Some(KepSource::KepField));
        }
    }

    #[test]
    fn kind_related_for_each_way_of_naming_a_kep() {
        let cases = [
            ("Implements KEP-2400 in the shim", 2400),
            ("see KEP 2400 for details", 2400),
            ("see https://kep.k8s.io/127 please", 127),
            ("Refers to https://github.com/kubernetes/enhancements/issues/4639", 4639),
            (
                "per https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/2400-node-swap#api",
                2400,
            ),
            ("See [KEP-2400: Node Swap](https://example.com/x) for more", 2400),
            ("support for [user namespaces][kep-issue]\n\n[kep-issue]: https://github.com/kubernetes/enhancements/issues/127", 127),
            ("tracked in kubernetes/enhancements#3386", 3386),
        ];
        for (body, n) in cases {
            let p = parse("Some feature", body);
            assert_eq!(p.kind, IssueKind::Related, "{body}");
            assert_eq!(nums(&p), [n], "{body}");
            assert_eq!(p.kep_source, Some(KepSource::Body));
            assert!(!p.title_has_kep_number);
            assert!(p.fields.is_empty() && p.warnings.is_empty());
        }
    }

    #[test]
    fn related_title_mention_comes_first() {
        let p = parse("Support KEP 2400 swap", "also see KEP-127");
        assert_eq!(p.kind, IssueKind::Related);
        assert!(p.title_has_kep_number);
        assert_eq!(nums(&p), [2400, 127]);
        assert_eq!(p.kep_source, Some(KepSource::Title));
    }

    #[test]
    fn kind_unrelated_for_look_alikes() {
        for body in [
            "graduated in https://github.com/kubernetes/kubernetes/pull/130135",
            "field in https://github.com/kubernetes/cri-api/blob/1b6a/pkg/apis/runtime/v1/api.proto#L274",
            "the PR https://github.com/kubernetes/enhancements/pull/6062 is merged",
            "RuntimeVersion:  v2.1.0-beta.0-18-g8237c496\nv1.33.0-beta.0.616+71eb04295ad273",
            "needs KEP 1.25 behaviour",
            "kep-issue is a label",
            "",
        ] {
            let p = parse("Bump runc", body);
            assert_eq!(p.kind, IssueKind::Unrelated, "{body}");
            assert!(p.kep_numbers.is_empty());
            assert_eq!(p.kep_source, None);
        }
        assert_eq!(classify("Bump runc", "nothing"), IssueKind::Unrelated);
        assert_eq!(classify("[SIG-Node] x", ""), IssueKind::Tracking);
    }

    // ----- fields -----

    #[test]
    fn field_keys_are_matched_tolerantly() {
        let cases = [
            ("KEP(s)", FieldKey::Keps),
            ("KEPs", FieldKey::Keps),
            ("KEP", FieldKey::Keps),
            ("stage", FieldKey::Stage),
            ("Stage", FieldKey::Stage),
            ("stages", FieldKey::Stage),
            ("KEP Issue", FieldKey::KepIssue),
            ("KEP PR", FieldKey::KepPr),
            ("KEP PR (alpha)", FieldKey::KepPr),
            ("KEP PRs", FieldKey::KepPr),
            ("K8s-Release", FieldKey::K8sRelease),
            ("K8s Release", FieldKey::K8sRelease),
            ("Kubernetes release", FieldKey::K8sRelease),
            ("KEP-Owner", FieldKey::KepOwner),
            ("KEP Owners", FieldKey::KepOwner),
            ("SIG-Node member liason", FieldKey::Liaison),
            ("SIG-Node member liaison", FieldKey::Liaison),
            ("SIG-Node liaison", FieldKey::Liaison),
            ("KEP-Shepherd", FieldKey::Shepherd),
            ("KEP Shepherds", FieldKey::Shepherd),
            ("Shepherd(s)", FieldKey::Shepherd),
        ];
        for (key, want) in cases {
            assert_eq!(field_key(key), Some(want), "{key}");
        }
        assert_eq!(field_key("KEP File"), None);
        assert_eq!(field_key("SIG"), None);
        assert_eq!(field_key(""), None);
    }

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

    // ----- KEP numbers -----

    #[test]
    fn kep_field_forms() {
        let cases: [(&str, &[u32]); 9] = [
            ("- KEP(s): KEP-6061\n", &[6061]),
            ("- KEP(s): 6061\n", &[6061]),
            ("- KEP(s): #6061\n", &[6061]),
            ("- KEP(s): KEP-5365 - ImageVolume with an image digest 2\n", &[5365]),
            ("- KEP(s): KEP-1287, KEP-5419\n", &[1287, 5419]),
            ("- KEP(s): 1287 and 5419\n", &[1287, 5419]),
            ("- KEP(s): https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/4216-image-pull\n", &[4216]),
            ("- KEP(s): https://kep.k8s.io/127\n", &[127]),
            ("- KEP(s):\n  - https://github.com/kubernetes/enhancements/issues/3386\n", &[3386]),
        ];
        for (body, want) in cases {
            let p = parse("[SIG-Node]: thing", &format!("{HEAD}{body}"));
            assert_eq!(nums(&p), want, "{body}");
            assert_eq!(p.kep_source, Some(KepSource::KepField), "{body}");
            assert!(!p.title_has_kep_number);
            assert!(p.warnings.is_empty(), "{body}: {:?}", p.warnings);
        }
    }

    #[test]
    fn kep_number_from_title_when_field_empty_or_tbd() {
        for (title, n) in [
            ("[SIG-Node]: KEP-6313 - Something", 6313),
            ("[SIG-Node]: KEP-4191: Separate layers", 4191),
            ("[SIG-Node]: 5758 - Per-container ulimits", 5758),
            ("[SIG-Node] 4216 - Image pull per runtime class", 4216),
            ("[SIG-Node]: #4216: x", 4216),
        ] {
            for field in [
                "- KEP(s): TBD\n",
                "- KEP(s): see title\n",
                "- KEP(s):\n",
                "- stage: alpha\n",
            ] {
                let p = parse(title, &format!("{HEAD}{field}"));
                assert_eq!(nums(&p), [n], "{title} / {field}");
                assert_eq!(p.kep_source, Some(KepSource::Title));
                assert!(p.title_has_kep_number);
                assert!(p.warnings.is_empty(), "{title} / {field}: {:?}", p.warnings);
            }
        }
    }

    #[test]
    fn title_number_rules() {
        assert!(!parse("[SIG-Node]: 1.36 cleanups", "").title_has_kep_number);
        assert!(!parse("[SIG-Node]: cgroup v2 1234", "").title_has_kep_number);
        assert!(parse("[SIG-Node]: cgroup ns (KEP-5714)", "").title_has_kep_number);
        assert!(!parse("[SIG-Node]: 2 things", "").kep_numbers.is_empty());
    }

    #[test]
    fn kep_number_from_issue_url_last() {
        let p = parse(
            "[SIG-Node]: cgroup namespaces",
            &format!("{HEAD}- KEP(s): TBD\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5714\n"),
        );
        assert_eq!(nums(&p), [5714]);
        assert_eq!(p.kep_source, Some(KepSource::KepIssueUrl));
        assert!(!p.title_has_kep_number);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn field_and_title_disagree_keeps_both_and_warns() {
        let p = parse(
            "[SIG-Node]: KEP-4191: layers",
            &format!("{HEAD}- KEP(s): KEP-5714\n"),
        );
        assert_eq!(nums(&p), [5714, 4191]);
        assert_eq!(p.kep_source, Some(KepSource::KepField));
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "title");
        assert!(p.warnings[0].message.contains("4191"));
        // The same number in both places is fine.
        let p = parse(
            "[SIG-Node]: KEP-5714: x",
            &format!("{HEAD}- KEP(s): 5714\n"),
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn issue_url_disagreeing_with_field_warns() {
        let p = tracking(
            "- KEP(s): 1\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/2\n",
        );
        assert_eq!(nums(&p), [1, 2]);
        assert!(warned(&p, "KEP Issue"));
    }

    #[test]
    fn no_kep_number_anywhere_warns() {
        let p = tracking("- KEP(s): see title\n- stage: alpha\n");
        assert!(p.kep_numbers.is_empty());
        assert_eq!(p.kep_source, None);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP(s)");
        assert_eq!(p.warnings[0].raw, "see title");
        let p = parse("[SIG-Node]: thing", "");
        assert!(warned(&p, "title"));
    }

    // ----- targets -----

    #[test]
    fn stage_values() {
        let cases = [
            ("alpha", target(Stage::Alpha, None, None)),
            ("Alpha.", target(Stage::Alpha, None, None)),
            ("beta", target(Stage::Beta, None, None)),
            (
                "beta w/gate off",
                target(Stage::Beta, Some(GateDefault::Off), None),
            ),
            (
                "beta w/gate on",
                target(Stage::Beta, Some(GateDefault::On), None),
            ),
            (
                "Beta w/ gate on.",
                target(Stage::Beta, Some(GateDefault::On), None),
            ),
            (
                "beta (gate on)",
                target(Stage::Beta, Some(GateDefault::On), None),
            ),
            (
                "beta, on by default",
                target(Stage::Beta, Some(GateDefault::On), None),
            ),
            ("GA", target(Stage::Stable, None, None)),
            ("ga", target(Stage::Stable, None, None)),
            ("stable", target(Stage::Stable, None, None)),
            (
                "alpha (kubelet feature gate `RuntimeClassInImageCriApi`, off by default)",
                target(Stage::Alpha, None, None),
            ),
        ];
        for (value, want) in cases {
            let p = tracking(&format!("- KEP(s): 1\n- stage: {value}\n"));
            assert_eq!(targets(&p), [want], "{value}");
            assert_eq!(p.targets[0].raw, value);
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn stage_sub_lines_give_one_target_each() {
        let p = tracking("- KEP(s): 1\n- stage:\n  - Alpha: 1.36.\n  - Beta: 1.38 (hopefully).\n");
        assert_eq!(
            targets(&p),
            [
                target(Stage::Alpha, None, Some((1, 36))),
                target(Stage::Beta, None, Some((1, 38)))
            ]
        );
        assert_eq!(p.targets[0].raw, "Alpha: 1.36.");
        assert_eq!(p.targets[1].raw, "Beta: 1.38 (hopefully).");
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn stage_line_with_releases() {
        let p = tracking("- KEP(s): 1\n- stage: alpha in 1.36, beta in 1.38\n- K8s-Release: TBD\n");
        assert_eq!(
            targets(&p),
            [
                target(Stage::Alpha, None, Some((1, 36))),
                target(Stage::Beta, None, Some((1, 38)))
            ]
        );
        assert_eq!(p.targets[0].raw, "alpha in 1.36");
        assert_eq!(p.targets[1].raw, "beta in 1.38");
        let p = tracking("- KEP(s): 1\n- stage: alpha (1.36)\n");
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 36)))]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn k8s_release_values() {
        let cases = [
            ("1.38", Some((1, 38))),
            ("v1.37 (target for Alpha)", Some((1, 37))),
            ("TBD", None),
            ("", None),
            ("v1.36.0", Some((1, 36))),
        ];
        for (value, want) in cases {
            let p = tracking(&format!(
                "- KEP(s): 1\n- stage: alpha\n- K8s-Release: {value}\n"
            ));
            assert_eq!(targets(&p), [target(Stage::Alpha, None, want)], "{value}");
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn k8s_release_per_stage() {
        let p = tracking("- KEP(s): 1\n- stage: alpha\n- K8s-Release: 1.36 (alpha), 1.38 (beta)\n");
        assert_eq!(
            targets(&p),
            [
                target(Stage::Alpha, None, Some((1, 36))),
                target(Stage::Beta, None, Some((1, 38)))
            ]
        );
        assert_eq!(p.targets[1].raw, "1.38 (beta)");
        assert!(p.warnings.is_empty());
        // One release applies to every stage without one.
        let p = tracking("- KEP(s): 1\n- stage: alpha, beta\n- K8s-Release: 1.36\n");
        assert_eq!(
            targets(&p),
            [
                target(Stage::Alpha, None, Some((1, 36))),
                target(Stage::Beta, None, Some((1, 36)))
            ]
        );
        // As many releases as stages pair up in order.
        let p = tracking("- KEP(s): 1\n- stage: alpha, beta\n- K8s-Release: 1.36, 1.38\n");
        assert_eq!(
            targets(&p),
            [
                target(Stage::Alpha, None, Some((1, 36))),
                target(Stage::Beta, None, Some((1, 38)))
            ]
        );
        // The stage line's own release wins.
        let p = tracking("- KEP(s): 1\n- stage: alpha (1.36)\n- K8s-Release: 1.36\n");
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 36)))]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn unreadable_stage_or_release_warns() {
        let p = tracking("- KEP(s): 1\n- stage: soon-ish\n- K8s-Release: next one\n");
        assert!(p.targets.is_empty());
        let stage_warning = p
            .warnings
            .iter()
            .find(|w| w.field == "stage")
            .expect("stage warning");
        assert_eq!(stage_warning.raw, "soon-ish");
        let release_warning = p
            .warnings
            .iter()
            .find(|w| w.field == "K8s-Release")
            .expect("release warning");
        assert_eq!(release_warning.raw, "next one");
        // TBD stage: no target, no warning.
        let p = tracking("- KEP(s): 1\n- stage: TBD\n");
        assert!(p.targets.is_empty() && p.warnings.is_empty());
    }

    #[test]
    fn release_without_stage() {
        let p = tracking("- KEP(s): 1\n- K8s-Release: 1.36\n");
        assert!(p.targets.is_empty());
        assert!(warned(&p, "K8s-Release"));
        // A release tagged with its stage makes a target even without `stage:`.
        let p = tracking("- KEP(s): 1\n- K8s-Release: v1.37 (target for Alpha)\n");
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 37)))]);
        assert!(p.warnings.is_empty());
    }

    // ----- people -----

    #[test]
    fn owner_forms() {
        let cases: [(&str, &[&str]); 8] = [
            ("@saschagrunert", &["saschagrunert"]),
            ("kannon92", &["kannon92"]),
            ("kannon92.", &["kannon92"]),
            (
                "@rst0git @viktoriaas @adrianreber @andreyvelich",
                &["rst0git", "viktoriaas", "adrianreber", "andreyvelich"],
            ),
            // Next to @-mentions, bare words are not logins.
            ("@a, @b and c", &["a", "b"]),
            ("@a (containerd), @b (Red Hat)", &["a", "b"]),
            ("@ab @AB ab", &["ab"]),
            (
                "sig-network, SIG Node and @x",
                &["group:sig-network", "group:sig-node", "x"],
            ),
        ];
        for (value, want) in cases {
            let p = tracking(&format!("- KEP(s): 1\n- KEP-Owner: {value}\n"));
            assert_eq!(owners(&p), want, "{value}");
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn liaisons_and_shepherds() {
        let p = tracking(
            "- KEP(s): 1\n- SIG-Node member liason: @SergeyKanzhelev\n- KEP-Shepherd: @mikebrow @fuweid\n- Shepherd(s): [@dmcgowan](https://github.com/dmcgowan), mikebrow\n",
        );
        assert_eq!(logins(&p.liaisons), ["SergeyKanzhelev"]);
        assert_eq!(logins(&p.shepherds), ["mikebrow", "fuweid", "dmcgowan"]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn people_placeholders_and_prose() {
        for value in ["TBD", "none", "N/A", "", "tbd."] {
            let p = tracking(&format!("- KEP(s): 1\n- KEP-Shepherd: {value}\n"));
            assert!(p.shepherds.is_empty(), "{value}");
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
        for value in ["see issue", "?", "looking for a volunteer"] {
            let p = tracking(&format!("- KEP(s): 1\n- KEP-Shepherd: {value}\n"));
            assert!(p.shepherds.is_empty(), "{value}");
            assert_eq!(p.warnings.len(), 1, "{value}");
            assert_eq!(p.warnings[0].field, "KEP-Shepherd");
            assert_eq!(p.warnings[0].raw, value);
        }
        // Mixed: the mention is the value, the prose around it a note
        // (kept in `fields`), read without a warning.
        let p = tracking("- KEP(s): 1\n- KEP-Shepherd: @mikebrow and see issue\n");
        assert_eq!(logins(&p.shepherds), ["mikebrow"]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    // ----- links -----

    #[test]
    fn link_forms() {
        let p = tracking(
            "- KEP(s): 1\n- KEP Issue: <https://github.com/kubernetes/enhancements/issues/1>.\n- KEP PR: [#6062](https://github.com/kubernetes/enhancements/pull/6062)\n- KEP PR (beta): https://github.com/kubernetes/enhancements/pull/7000).\n",
        );
        assert_eq!(
            p.kep_issue_links,
            ["https://github.com/kubernetes/enhancements/issues/1"]
        );
        assert_eq!(
            p.kep_pr_links,
            [
                "https://github.com/kubernetes/enhancements/pull/6062",
                "https://github.com/kubernetes/enhancements/pull/7000"
            ]
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn link_placeholders_and_text() {
        for value in ["see issue link", "See issue link.", "TBD", ""] {
            let p = tracking(&format!("- KEP(s): 1\n- KEP PR: {value}\n"));
            assert!(p.kep_pr_links.is_empty());
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
        let p = tracking("- KEP(s): 1\n- KEP PR: will open next week\n");
        assert!(p.kep_pr_links.is_empty());
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].raw, "will open next week");
    }

    // ----- cut-off bodies -----

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
    fn classify_agrees_with_parse() {
        for (title, body) in [
            ("[SIG-Node]: x", ""),
            ("x", "### KEP/SIG-Node References\r\n- KEP(s): 1"),
            ("KEP-1 thing", ""),
            ("x", "see kep.k8s.io/2"),
            ("x", "nothing"),
        ] {
            assert_eq!(
                classify(title, body),
                parse(title, body).kind,
                "{title} / {body}"
            );
        }
    }

    // ----- modelled on the fixture issues (own short bodies) -----

    #[test]
    fn like_6302_kep_in_link_text_and_tree_url() {
        let p = parse(
            "Add swap limits via CRI",
            "### What\n\nSee [KEP-2400: Node Swap#API](https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/2400-node-swap#api) here.\n\nCRI-O: https://github.com/cri-o/cri-o/commit/cd8bc4c",
        );
        assert_eq!(
            (p.kind, nums(&p), p.kep_source),
            (IssueKind::Related, vec![2400], Some(KepSource::Body))
        );
    }

    #[test]
    fn like_7063_reference_style_links() {
        let p = parse(
            "Support user namespaces phase I in Kubernetes 1.25+",
            "Kubernetes 1.25 will have [userns][kep-issue], [phase I][kep-phase1].\n\n[kep-issue]: https://github.com/kubernetes/enhancements/issues/127\n[kep-phase1]: https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/127-user-namespaces#phase-1\n\n- netns ownership: the namespac",
        );
        assert_eq!((p.kind, nums(&p)), (IssueKind::Related, vec![127]));
        assert!(!p.title_has_kep_number);
        assert!(p.fields.is_empty() && p.warnings.is_empty());
    }

    #[test]
    fn like_10496_bare_issue_url() {
        let p = parse(
            "Add OCI Volume Source support",
            "Refers to https://github.com/kubernetes/enhancements/issues/4639\n\nhttps://github.com/containerd/containerd/blob/323ba43/core/images/image.go#L35-L56",
        );
        assert_eq!((p.kind, nums(&p)), (IssueKind::Related, vec![4639]));
    }

    #[test]
    fn like_11580_short_url_and_version_noise() {
        let p = parse(
            "Support CRI `image_sub_path`",
            "[KEP-4639](https://kep.k8s.io/4639) graduated ([beta](https://github.com/kubernetes/kubernetes/pull/130135)) via [cri](https://github.com/kubernetes/cri-api/blob/1b6a/pkg/apis/runtime/v1/api.proto#L274).\n\n```console\nctr github.com/containerd/containerd/v2 v2.1.0-beta.0-18-g8237c496\nkind-control-plane   Ready   13m   v1.33.0-beta.0.616+71eb04295ad273\n```",
        );
        assert_eq!((p.kind, nums(&p)), (IssueKind::Related, vec![4639]));
    }

    #[test]
    fn like_13546_cut_after_shepherd_colon() {
        let p = parse(
            "[SIG-Node]: KEP-6061 - OCI Artifact-Based Security Profiles",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-6061\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/6061\n- KEP PR: https://github.com/kubernetes/enhancements/pull/6062\n- K8s-Release: TBD\n- KEP-Owner: @saschagrunert\n- SIG-Node member liaison: @SergeyKanzhelev\n- KEP-Shepherd:",
        );
        assert_eq!(p.kind, IssueKind::Tracking);
        assert!(p.has_template && p.title_has_kep_number);
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![6061], Some(KepSource::KepField))
        );
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert_eq!(
            p.kep_issue_links,
            ["https://github.com/kubernetes/enhancements/issues/6061"]
        );
        assert_eq!(
            p.kep_pr_links,
            ["https://github.com/kubernetes/enhancements/pull/6062"]
        );
        assert_eq!(owners(&p), ["saschagrunert"]);
        assert_eq!(logins(&p.liaisons), ["SergeyKanzhelev"]);
        assert!(p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Shepherd]);
        assert_eq!(p.fields.len(), 8);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP-Shepherd");
    }

    #[test]
    fn like_13572_tab_sub_line_and_cut_pr_sub_line() {
        let p = parse(
            "[SIG-Node]: 5758 - Per-container ulimits configuration",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-5758 - Per-container ulimits configuration\n\t- https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/5758-per-container-ulimits-configuration\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5758\n- KEP PR: \n  - htt",
        );
        assert_eq!(p.kind, IssueKind::Tracking);
        assert!(p.title_has_kep_number);
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![5758], Some(KepSource::KepField))
        );
        assert_eq!(
            field(&p, FieldKey::Keps).value,
            "KEP-5758 - Per-container ulimits configuration"
        );
        assert_eq!(field(&p, FieldKey::Keps).sub_lines.len(), 1);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert!(p.kep_pr_links.is_empty());
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP PR");
        use FieldKey as F;
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
        assert!(!p.is_unknown(F::Stage) && !p.is_unknown(F::KepIssue));
    }

    #[test]
    fn like_13970_prose_mention() {
        let p = parse(
            "Proposal: Support Pod-level checkpoint and restore",
            "### What is the problem\n\nThis issue tracks implementation work for KEP-5823. The Sandbox API remains open for review",
        );
        assert_eq!(
            (p.kind, nums(&p), p.kep_source),
            (IssueKind::Related, vec![5823], Some(KepSource::Body))
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn like_13978_see_issue_link_and_free_text_after() {
        let p = parse(
            "[SIG-Node]: KEP-4191: Separate Read and write only layers",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-4191\n- stage: beta\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/4191\n- KEP PR: see issue link\n- K8s-Release: 1.31\n- KEP-Owner: kannon92\n- SIG-Node member liason: kannon92\n- KEP-Shepherd: kannon92\n\nBasically this is beta on but there is no ",
        );
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![4191], Some(KepSource::KepField))
        );
        assert_eq!(targets(&p), [target(Stage::Beta, None, Some((1, 31)))]);
        assert_eq!(p.targets[0].raw, "beta");
        assert!(p.kep_pr_links.is_empty());
        assert_eq!(owners(&p), ["kannon92"]);
        assert_eq!(logins(&p.liaisons), ["kannon92"]);
        assert_eq!(logins(&p.shepherds), ["kannon92"]);
        assert_eq!(p.fields.len(), 8);
        assert_eq!(field(&p, FieldKey::Liaison).key, "SIG-Node member liason");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert!(p.unknown.is_empty());
    }

    #[test]
    fn like_13979_release_for_alpha_and_cut_key() {
        let p = parse(
            "[SIG-Node]: KEP-5823: Pod-Level Checkpoint/Restore",
            "### KEP/SIG-Node References\n\n- KEP(s): KEP-5823\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5823\n- KEP PR: https://github.com/kubernetes/enhancements/pull/5851\n- K8s-Release: v1.37 (target for Alpha)\n- KEP-Owner: @rst0git @viktoriaas @adrianreber @andreyvelich\n- SIG",
        );
        assert_eq!(nums(&p), [5823]);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 37)))]);
        assert_eq!(
            owners(&p),
            ["rst0git", "viktoriaas", "adrianreber", "andreyvelich"]
        );
        assert!(p.liaisons.is_empty() && p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Liaison, FieldKey::Shepherd]);
        assert_eq!(
            p.fields.last().map(|f| (f.key.as_str(), f.known)),
            Some(("SIG", None))
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "SIG");
    }

    #[test]
    fn like_14252_tree_url_in_keps_and_cut_key_without_colon() {
        let p = parse(
            "[SIG-Node]: 4216 - Support image pull per runtime class",
            "### KEP/SIG-Node References\n\n- KEP(s): https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/4216-image-pull-per-runtime-class\n- stage: alpha (kubelet feature gate `RuntimeClassInImageCriApi`, off by default)\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/4216\n- KEP PR",
        );
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![4216], Some(KepSource::KepField))
        );
        assert!(p.title_has_kep_number);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert_eq!(
            p.fields.last().map(|f| (f.key.as_str(), f.known)),
            Some(("KEP PR", Some(FieldKey::KepPr)))
        );
        use FieldKey as F;
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
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP PR");
    }

    #[test]
    fn like_14267_cut_handle() {
        let p = parse(
            "[SIG-Node]: KEP-5714: cgroup namespaces",
            "### KEP/SIG-Node References\n\n- KEP(s): 5714\n- stage: alpha\n- KEP Issue: https://github.com/kubernetes/enhancements/issues/5714\n- KEP PR: https://github.com/kubernetes/enhancements/pull/5715\n- K8s-Release: 1.38\n- KEP-Owner: @AkihiroSuda\n- SIG-Node member liason: @AkihiroSuda\n- KEP-Shepherd: @AkihiroS",
        );
        assert_eq!(nums(&p), [5714]);
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 38)))]);
        assert_eq!(owners(&p), ["AkihiroSuda"]);
        assert_eq!(logins(&p.liaisons), ["AkihiroSuda"]);
        // The last handle may be cut (the real one is @AkihiroSuda): unknown.
        assert!(p.shepherds.is_empty());
        assert_eq!(p.unknown, [FieldKey::Shepherd]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].field, "KEP-Shepherd");
        // The same body known to be whole gives the handle as written.
        let whole = parse_complete(
            "[SIG-Node]: KEP-5714: cgroup namespaces",
            "### KEP/SIG-Node References\n\n- KEP(s): 5714\n- KEP-Shepherd: @AkihiroS",
        );
        assert_eq!(logins(&whole.shepherds), ["AkihiroS"]);
        assert!(whole.unknown.is_empty() && whole.warnings.is_empty());
    }

    // ----- people as people write them -----

    fn shepherd_field(value: &str) -> Parsed {
        tracking(&format!("- KEP(s): 1\n- KEP-Shepherd: {value}\n"))
    }

    #[test]
    fn people_mentions_are_the_logins_wherever_they_stand() {
        let cases: [(&str, &[&str]); 9] = [
            ("@a (backup: @b)", &["a", "b"]),
            ("@mikebrow will shepherd once the KEP merges", &["mikebrow"]),
            ("[@dmcgowan](https://github.com/dmcgowan)", &["dmcgowan"]),
            ("(@rata)", &["rata"]),
            ("cc @AkihiroSuda.", &["AkihiroSuda"]),
            ("@samuelkarp/@dmcgowan", &["samuelkarp", "dmcgowan"]),
            ("@fuweid; write to fu@example.com", &["fuweid"]),
            ("@mike-brown or someone from Red Hat", &["mike-brown"]),
            ("**@kannon92**", &["kannon92"]),
        ];
        for (value, want) in cases {
            let p = shepherd_field(value);
            assert_eq!(logins(&p.shepherds), want, "{value}");
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn people_bad_mentions_are_warned_not_kept() {
        let cases: [(&str, &[&str], &str); 4] = [
            ("@mike_brow", &[], "@mike_brow"),
            ("@a--b and @ok", &["ok"], "@a--b"),
            ("@containerd/maintainers", &[], "@containerd/maintainers"),
            ("@AkihiroSüda", &[], "@AkihiroSüda"),
        ];
        for (value, want, bad) in cases {
            let p = shepherd_field(value);
            assert_eq!(logins(&p.shepherds), want, "{value}");
            assert_eq!(p.warnings.len(), 1, "{value}");
            assert_eq!(p.warnings[0].field, "KEP-Shepherd");
            assert_eq!(p.warnings[0].raw, value);
            assert!(p.warnings[0].message.ends_with(bad), "{value}");
        }
    }

    #[test]
    fn people_bare_words_only_as_a_plain_list() {
        let cases: [(&str, &[&str]); 9] = [
            ("kannon92", &["kannon92"]),
            ("kannon92.", &["kannon92"]),
            ("a, b and c", &["a", "b", "c"]),
            (
                "mikebrow; fuweid & dmcgowan / samuelkarp.",
                &["mikebrow", "fuweid", "dmcgowan", "samuelkarp"],
            ),
            ("mikebrow fuweid", &["mikebrow", "fuweid"]),
            ("`kannon92`", &["kannon92"]),
            ("[kannon92](https://github.com/kannon92)", &["kannon92"]),
            ("kannon92 (Red Hat)", &["kannon92"]),
            ("kannon92, TBD", &["kannon92"]),
        ];
        for (value, want) in cases {
            let p = shepherd_field(value);
            assert_eq!(logins(&p.shepherds), want, "{value}");
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn people_free_text_gives_nobody_and_one_warning() {
        for value in [
            "looking for a volunteer",
            "I can volunteer",
            "see issue",
            "the containerd maintainers",
            "mikebrow will shepherd",
            "kannon92 - Red Hat",
            "mike_brow",
            "fu@example.com",
            "@ kannon92",
            "SIG Node",
        ] {
            let p = shepherd_field(value);
            assert!(p.shepherds.is_empty(), "{value}: {:?}", p.shepherds);
            assert_eq!(p.warnings.len(), 1, "{value}: {:?}", p.warnings);
            assert_eq!(p.warnings[0].field, "KEP-Shepherd");
            assert_eq!(p.warnings[0].raw, value);
        }
    }

    #[test]
    fn people_placeholders_give_nobody_and_no_warning() {
        for value in [
            "TBD",
            "N/A",
            "none",
            "_No response_",
            "",
            "TBD.",
            "(tbd)",
            "**N/A**",
        ] {
            let p = tracking(&format!(
                "- KEP(s): 1\n- KEP-Owner: {value}\n- SIG-Node member liason: {value}\n- KEP-Shepherd: {value}\n"
            ));
            assert!(p.owners.is_empty() && p.liaisons.is_empty() && p.shepherds.is_empty());
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn urls_start_at_a_word_boundary() {
        // Found by the property tests: a "URL" inside a word must not cut
        // a handle short.
        let p = shepherd_field("@AkihiroSudahttps://g");
        assert_eq!(logins(&p.shepherds), ["AkihiroSudahttps"]);
        let p = shepherd_field("@AkihiroSuda https://github.com/AkihiroSuda");
        assert_eq!(logins(&p.shepherds), ["AkihiroSuda"]);
        let p = tracking(
            "- KEP(s): 1\n- KEP PR: seehttps://github.com/kubernetes/enhancements/pull/1\n",
        );
        assert!(p.kep_pr_links.is_empty());
    }

    #[test]
    fn owners_sig_names_stay_groups() {
        let cases: [(&str, &[&str]); 6] = [
            ("sig-node", &["group:sig-node"]),
            ("SIG Node", &["group:sig-node"]),
            ("@kubernetes/sig-node", &["group:sig-node"]),
            ("SIG Node, kannon92", &["group:sig-node", "kannon92"]),
            ("@a from sig-node", &["a", "group:sig-node"]),
            ("SIG and @x", &["x"]),
        ];
        for (value, want) in cases {
            let p = tracking(&format!("- KEP(s): 1\n- KEP-Owner: {value}\n"));
            assert_eq!(owners(&p), want, "{value}");
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
        // Only owners have groups.
        let p = tracking("- KEP(s): 1\n- SIG-Node member liason: sig-node\n");
        assert!(p.liaisons.is_empty());
        assert_eq!(p.warnings.len(), 1);
    }

    // ----- unknown fields of cut bodies -----

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

    #[test]
    fn unknown_is_serialised_only_when_present() {
        let p = tracking("- KEP(s): 1\n- KEP-Shepherd: @a");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["unknown"], serde_json::json!(["shepherd"]));
        let back: Parsed = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
        let p = tracking("- KEP(s): 1\n- KEP-Shepherd: @a\n");
        let mut json = serde_json::to_value(&p).unwrap();
        assert!(json.get("unknown").is_none());
        json.as_object_mut().unwrap().remove("unknown");
        let back: Parsed = serde_json::from_value(json).unwrap();
        assert!(back.unknown.is_empty());
    }

    // ----- releases as people write them -----

    #[test]
    fn k8s_release_forms() {
        let cases = [
            ("1.36 (hopefully)", (1, 36)),
            ("1.36.", (1, 36)),
            ("v1.37 (release 1.37)", (1, 37)),
            ("v1.37 https://github.com/kubernetes/sig-release/tree/master/releases/release-1.37", (1, 37)),
            ("[v1.37](https://github.com/kubernetes/sig-release/tree/master/releases/release-1.38)", (1, 37)),
            ("1.36, 1.36", (1, 36)),
        ];
        for (value, (a, b)) in cases {
            let p = tracking(&format!(
                "- KEP(s): 1\n- stage: alpha\n- K8s-Release: {value}\n"
            ));
            assert_eq!(
                targets(&p),
                [target(Stage::Alpha, None, Some((a, b)))],
                "{value}"
            );
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
        }
    }

    #[test]
    fn k8s_release_slash_gives_two_releases() {
        for value in ["1.36/1.37", "v1.36 / v1.37"] {
            let found = releases_from_text(value);
            let got: Vec<K8sRelease> = found.iter().map(|r| r.release).collect();
            assert_eq!(
                got,
                [K8sRelease::new(1, 36), K8sRelease::new(1, 37)],
                "{value}"
            );
            // Two stages take them in order.
            let p = tracking(&format!(
                "- KEP(s): 1\n- stage: alpha, beta\n- K8s-Release: {value}\n"
            ));
            assert_eq!(
                targets(&p),
                [
                    target(Stage::Alpha, None, Some((1, 36))),
                    target(Stage::Beta, None, Some((1, 37)))
                ],
                "{value}"
            );
            assert!(p.warnings.is_empty(), "{value}: {:?}", p.warnings);
            // One stage cannot take two: said once, with the text as written.
            let p = tracking(&format!(
                "- KEP(s): 1\n- stage: alpha\n- K8s-Release: {value}\n"
            ));
            assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
            assert_eq!(p.warnings.len(), 1, "{value}: {:?}", p.warnings);
            assert_eq!(p.warnings[0].raw, value);
            assert!(p.warnings[0].message.contains("cannot tell"));
        }
    }

    #[test]
    fn releases_in_the_stage_field() {
        let p = tracking("- KEP(s): 1\n- stage: beta in v1.37 (see https://github.com/kubernetes/sig-release/tree/master/releases/release-1.38)\n");
        assert_eq!(targets(&p), [target(Stage::Beta, None, Some((1, 37)))]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let p = tracking("- KEP(s): 1\n- stage: alpha in v1.36 (release 1.36).\n");
        assert_eq!(targets(&p), [target(Stage::Alpha, None, Some((1, 36)))]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        // Two releases for one stage: the stage, no release, a warning.
        let p = tracking("- KEP(s): 1\n- stage: alpha 1.36/1.37\n");
        assert_eq!(targets(&p), [target(Stage::Alpha, None, None)]);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].raw, "alpha 1.36/1.37");
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

    // ----- keys and values in other shapes -----

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
    fn markdown_links_and_angle_brackets_as_values() {
        let p = tracking(
            "- KEP(s): [KEP-5714](https://github.com/kubernetes/enhancements/issues/5714)\n- KEP Issue: [#5714](https://github.com/kubernetes/enhancements/issues/5714)\n- KEP-Shepherd: [@x](https://github.com/x)\n",
        );
        assert_eq!(
            (nums(&p), p.kep_source),
            (vec![5714], Some(KepSource::KepField))
        );
        assert_eq!(
            p.kep_issue_links,
            ["https://github.com/kubernetes/enhancements/issues/5714"]
        );
        assert_eq!(logins(&p.shepherds), ["x"]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let p = tracking("- KEP(s): <5714>\n- KEP-Owner: <@x>\n");
        assert_eq!((nums(&p), owners(&p)), (vec![5714], vec!["x".to_string()]));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn template_angle_brackets_left_in_the_title() {
        for title in [
            "[SIG-Node]: KEP-<5714>: cgroup namespaces",
            "[SIG-Node]: <KEP-5714>: <cgroup namespaces>",
            "[SIG-Node]: <5714>: cgroup namespaces",
        ] {
            let p = parse(title, &format!("{HEAD}- KEP(s): TBD\n"));
            assert_eq!(
                (nums(&p), p.kep_source),
                (vec![5714], Some(KepSource::Title)),
                "{title}"
            );
            assert!(p.title_has_kep_number);
            assert!(p.warnings.is_empty(), "{title}: {:?}", p.warnings);
            assert_eq!(title_subject(title), "cgroup namespaces", "{title}");
        }
        // The unfilled template names no KEP.
        let p = parse("[SIG-Node]: KEP-<NNNN>: <title>", "");
        assert!(p.kep_numbers.is_empty() && !p.title_has_kep_number);
    }

    // ----- robustness -----

    #[test]
    fn never_panics_on_odd_input() {
        let long = "x".repeat(100_000);
        let long_field = format!(
            "{HEAD}- KEP(s): {}\n- stage: {}",
            "9".repeat(50_000),
            "é".repeat(30_000)
        );
        let bodies: Vec<String> = vec![
            String::new(),
            "\r\n".into(),
            "\r\n\r\n\r".into(),
            "\r".into(),
            format!("{HEAD}- :"),
            format!("{HEAD}- KEP(s):"),
            format!("{HEAD}- KEP(s):\n"),
            format!("{HEAD}-"),
            format!("{HEAD}- KEP-Shepherd: @Aki\u{e9}"),
            format!("{HEAD}- KEP-Owner: 日本語, @ü, sig-"),
            format!("{HEAD}- stage: bêta → ga; and , ,"),
            format!("{HEAD}- K8s-Release: 1.\u{2013}"),
            format!("{HEAD}- KEP PR: https://"),
            format!("{HEAD}- KEP(s): KEP-1\n\t\t\n  -\n    - (((\n- stage: `alpha"),
            format!("{HEAD}- KEP(s): KEP-99999999999 kep.k8s.io/0 #0"),
            format!("{HEAD}{long}"),
            format!("{HEAD}- stage: {long}"),
            long_field,
            "### KEP/SIG-Node References".into(),
            "KEP-".into(),
            "🦀🦀 KEP-🦀 kep.k8s.io/🦀".into(),
        ];
        let titles = [
            "",
            "[SIG-Node]",
            "[SIG-Node]: ",
            "[SIG-Node]: 🦀 1",
            "\r\n",
            "[SIG-Node]: 1234567",
        ];
        for body in &bodies {
            for title in titles {
                let p = parse(title, body);
                assert!(p.kep_source.is_some() || p.kep_numbers.is_empty());
            }
        }
        // Multibyte characters at every cut point of a real-looking body.
        let full = "### KEP/SIG-Node References\n\n- KEP(s): KEP-5714 – cgroup ñamespaces\n- stage: béta w/gate ön\n- KEP-Shepherd: @Akihiro Süda (コンテナ)\n";
        for (i, _) in full.char_indices() {
            let _ = parse("[SIG-Node]: KEP-5714: ü", &full[..i]);
        }
    }

    // ----- properties -----

    mod props {
        use super::super::*;
        use proptest::prelude::*;
        use proptest::sample::{select, Index};

        /// Pieces people put in titles and bodies, to be strung together.
        const FRAGMENTS: &[&str] = &[
            "### KEP/SIG-Node References\n",
            "\n",
            "\n\n",
            "\r\n",
            "- ",
            "  - ",
            "\t- ",
            "* ",
            "**",
            "KEP(s): ",
            "stage: ",
            "KEP Issue: ",
            "KEP PR: ",
            "K8s-Release: ",
            "KEP-Owner: ",
            "SIG-Node member liason: ",
            "KEP-Shepherd: ",
            "**KEP-Shepherd**: ",
            "@AkihiroSuda",
            "@AkihiroS",
            "@a",
            "@mike-brow",
            "@foo_bar",
            "@x--y",
            "@-x",
            "@kubernetes/sig-node",
            "@containerd/maintainers",
            "me@example.com",
            "kannon92",
            "kannon92.",
            "mikebrow",
            "sig-node",
            "SIG Node",
            " and ",
            ", ",
            "; ",
            " / ",
            " & ",
            "TBD",
            "_No response_",
            "N/A",
            "1.36",
            "v1.37",
            "1.36/1.37",
            "1.36.",
            "(hopefully)",
            "(target for Alpha)",
            "alpha",
            "beta w/gate on",
            "GA",
            "KEP-5714",
            "#6061",
            "<5714>",
            "https://github.com/kubernetes/enhancements/issues/5714",
            "https://github.com/kubernetes/sig-release/tree/master/releases/release-1.37",
            "https://github.com/@someone",
            "[@dmcgowan](https://github.com/dmcgowan)",
            "[KEP-5714](https://kep.k8s.io/5714)",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "`",
            ":",
            "-",
            ".",
            " ",
            "looking for a volunteer",
            "will shepherd once merged",
            "é",
            "ü",
            "🦀",
            "日本",
            "Basically this is beta on",
            "v1.33.0-beta.0.616+71eb04295ad273",
        ];
        const TITLES: &[&str] = &[
            "",
            "[SIG-Node]: KEP-5714: cgroup namespaces",
            "[SIG-Node]: KEP-<5714>: <x>",
            "[SIG-Node]: 5758 - ulimits",
            "Support KEP 2400",
            "@AkihiroSuda's idea",
            "[sig node]",
        ];

        /// Template-ish text, cut at an arbitrary character boundary.
        fn templateish() -> impl Strategy<Value = String> {
            (
                prop::collection::vec(select(FRAGMENTS), 0..40),
                any::<Index>(),
            )
                .prop_map(|(parts, cut)| {
                    let text = parts.concat();
                    let bounds: Vec<usize> = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([text.len()])
                        .collect();
                    text[..bounds[cut.index(bounds.len())]].to_string()
                })
        }

        fn title() -> impl Strategy<Value = String> {
            prop_oneof![
                select(TITLES).prop_map(String::from),
                templateish(),
                any::<String>()
            ]
        }

        fn body() -> impl Strategy<Value = String> {
            prop_oneof![
                3 => templateish(),
                1 => any::<String>(),
                1 => "[-@_a-zA-Z0-9 .,;:/()\\[\\]<>*`\r\n]{0,80}",
            ]
        }

        fn handle_char(c: char) -> bool {
            c.is_alphanumeric() || c == '-' || c == '_'
        }

        /// Whether `needle` occurs in `hay` (both ASCII-lowercased) as a whole
        /// token: not right after or right before a character of a handle.
        fn occurs_as_token(hay: &str, needle: &str) -> bool {
            hay.match_indices(needle).any(|(i, m)| {
                !hay[..i].chars().next_back().is_some_and(handle_char)
                    && !hay[i + m.len()..].chars().next().is_some_and(handle_char)
            })
        }

        fn people(p: &Parsed) -> Vec<&Login> {
            let owners = p.owners.iter().filter_map(|o| match o {
                Owner::Person(l) => Some(l),
                Owner::Group(_) => None,
            });
            owners.chain(&p.liaisons).chain(&p.shepherds).collect()
        }

        /// Every login is written in the text we read, whole; for a body that
        /// may be cut, never (only) on its last line.
        fn check(title: &str, body: &str) -> Result<(), TestCaseError> {
            let body_n = body.replace("\r\n", "\n");
            let whole = format!("{title}\n{body_n}").to_ascii_lowercase();
            let read_part = match body_n.rfind('\n') {
                _ if body_n.ends_with('\n') => whole.clone(),
                Some(i) => format!("{title}\n{}", &body_n[..i]).to_ascii_lowercase(),
                None => title.to_ascii_lowercase(),
            };
            let complete = parse_complete(title, body);
            for login in people(&complete) {
                prop_assert!(
                    occurs_as_token(&whole, &login.key()),
                    "{login} in {whole:?}"
                );
            }
            prop_assert!(complete.unknown.is_empty());
            let p = parse(title, body);
            for login in people(&p) {
                prop_assert!(
                    occurs_as_token(&read_part, &login.key()),
                    "{login} in {read_part:?}"
                );
            }
            prop_assert_eq!(p.kind, classify(title, body));
            prop_assert_eq!(p.kind, complete.kind);
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(384))]

            #[test]
            fn logins_are_whole_tokens_of_the_text(title in title(), body in body()) {
                check(&title, &body)?;
            }

            #[test]
            fn template_bodies_under_tracking_titles(body in templateish()) {
                check("[SIG-Node]: KEP-5714: cgroup namespaces", &body)?;
                check("", &format!("### KEP/SIG-Node References\n\n{body}"))?;
            }
        }
    }

    #[test]
    fn title_subjects() {
        assert_eq!(
            title_subject("[SIG-Node]: KEP-5714: cgroup namespaces"),
            "cgroup namespaces"
        );
        assert_eq!(
            title_subject("[SIG-Node]: 5758 - Per-container ulimits"),
            "Per-container ulimits"
        );
        assert_eq!(
            title_subject("[sig-node] KEP-4191 Separate layers"),
            "Separate layers"
        );
        assert_eq!(title_subject("[SIG-Node]: OCI artifacts"), "OCI artifacts");
        assert_eq!(
            title_subject("Add OCI Volume Source support"),
            "Add OCI Volume Source support"
        );
        assert_eq!(title_subject("[SIG-Node]: KEP-1"), "[SIG-Node]: KEP-1");
    }
}
