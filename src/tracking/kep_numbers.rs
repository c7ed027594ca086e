//! KEP numbers: where an issue names them (the `KEP(s):` field, the title,
//! the `KEP Issue:` link, the body) and which of them the issue is about.
//!
//! [`kep_mentions`] finds KEPs named or linked in any text (`KEP-5714`,
//! `kep.k8s.io/127`, `.../enhancements/issues/4639`, `.../keps/sig-node/2400-...`);
//! the title also gives a bare number after its `[SIG-Node]:` prefix, and the
//! `KEP(s):` field bare numbers before any words. [`title_subject`] is the
//! title without that prefix and number.
//!
//! What it is not: it does not check that a KEP exists or belongs to
//! SIG-Node; joining with kep.yaml happens in `model`.

use super::block::Block;
use super::fields::field_text;
use super::{
    push_unique, re, warning, FieldKey, IssueKind, KepSource, Parsed, Warning, TITLE_PREFIX,
};
use crate::domain::KepNumber;
use regex::Regex;
use std::sync::LazyLock;

/// A bare KEP number right after the title prefix: `[SIG-Node]: 5758 - ...`.
static TITLE_BARE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^#?(\d{1,6})(?:$|[\s:,)\-\u{2013}\u{2014}])"));
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
pub(super) fn title_kep_numbers(title: &str) -> Vec<KepNumber> {
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
pub(super) fn field_kep_numbers(text: &str) -> Vec<KepNumber> {
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

/// Chooses the KEP numbers. Tracking issues: the `KEP(s):` field, else the
/// title, else the `KEP Issue:` link, else mentions in the body; a number a
/// later source names that the first does not is kept too, with a warning.
/// Other issues: mentions in the title, then in the body.
pub(super) fn choose_kep_numbers(
    p: &mut Parsed,
    block: &Block,
    field_numbers: Vec<KepNumber>,
    title_numbers: &[KepNumber],
    title: &str,
    body: &str,
    w: &mut Vec<Warning>,
) {
    if p.kind != IssueKind::Tracking {
        related_kep_numbers(p, title_numbers, body);
        return;
    }
    let mut first_name: Option<String> = None;
    for source in sources(p, block, field_numbers, title_numbers, title) {
        if source.numbers.is_empty() {
            continue;
        }
        match &first_name {
            Some(first) => add_disagreeing(p, source, first, w),
            None => {
                p.kep_source = Some(source.source);
                push_unique(&mut p.kep_numbers, source.numbers);
                first_name = Some(source.name);
            }
        }
    }
    if p.kep_numbers.is_empty() {
        body_kep_numbers(p, block, title, body, w);
    }
}

/// A related (or unrelated) issue's KEP numbers: the title's, then the
/// body's.
fn related_kep_numbers(p: &mut Parsed, title_numbers: &[KepNumber], body: &str) {
    let body_numbers = kep_mentions(body);
    p.kep_source = match (title_numbers.is_empty(), body_numbers.is_empty()) {
        (false, _) => Some(KepSource::Title),
        (true, false) => Some(KepSource::Body),
        (true, true) => None,
    };
    push_unique(&mut p.kep_numbers, title_numbers.iter().copied());
    push_unique(&mut p.kep_numbers, body_numbers);
}

/// A place a tracking issue names KEP numbers.
struct Source {
    /// Which place.
    source: KepSource,
    /// The numbers it names, in order.
    numbers: Vec<KepNumber>,
    /// Its name for warnings: the key as written, or `title`.
    name: String,
    /// Its text for warnings (empty: the numbers are listed instead).
    raw: String,
}

/// The places a tracking issue names KEP numbers, the most trusted first:
/// the `KEP(s):` field, the title, the `KEP Issue:` links.
fn sources(
    p: &Parsed,
    block: &Block,
    field_numbers: Vec<KepNumber>,
    title_numbers: &[KepNumber],
    title: &str,
) -> [Source; 3] {
    let key_as_written = |k: FieldKey| {
        block
            .fields
            .iter()
            .find(|f| f.known == Some(k))
            .map(|f| f.key.clone())
            .unwrap_or_default()
    };
    let url_numbers = p.kep_issue_links.iter().flat_map(|l| kep_mentions(l));
    [
        Source {
            source: KepSource::KepField,
            numbers: field_numbers,
            name: key_as_written(FieldKey::Keps),
            raw: String::new(),
        },
        Source {
            source: KepSource::Title,
            numbers: title_numbers.to_vec(),
            name: "title".to_string(),
            raw: title.to_string(),
        },
        Source {
            source: KepSource::KepIssueUrl,
            numbers: url_numbers.collect(),
            name: key_as_written(FieldKey::KepIssue),
            raw: p.kep_issue_links.join(" "),
        },
    ]
}

/// Adds the numbers of a later source that the first (named `first`) does
/// not name, with a warning that they disagree.
fn add_disagreeing(p: &mut Parsed, source: Source, first: &str, w: &mut Vec<Warning>) {
    let extra: Vec<KepNumber> = source
        .numbers
        .iter()
        .copied()
        .filter(|n| !p.kep_numbers.contains(n))
        .collect();
    if extra.is_empty() {
        return;
    }
    let list = |v: &[KepNumber]| {
        v.iter()
            .map(|n| format!("KEP-{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = format!(
        "`{}` names {} but `{first}` names {}",
        source.name,
        list(&extra),
        list(&p.kep_numbers)
    );
    let raw = if source.raw.is_empty() {
        let numbers: Vec<String> = source.numbers.iter().map(|n| n.to_string()).collect();
        numbers.join(", ")
    } else {
        source.raw
    };
    w.push(warning(&source.name, &raw, &message));
    push_unique(&mut p.kep_numbers, extra);
}

/// A tracking issue that names no KEP in its field, title or link: the
/// body's mentions, or a warning on the `KEP(s):` field (or the title).
fn body_kep_numbers(p: &mut Parsed, block: &Block, title: &str, body: &str, w: &mut Vec<Warning>) {
    let body_numbers = kep_mentions(body);
    if !body_numbers.is_empty() {
        p.kep_source = Some(KepSource::Body);
        p.kep_numbers = body_numbers;
        return;
    }
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

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
