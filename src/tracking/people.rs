//! People fields as people write them: the `KEP-Owner:`, liaison and
//! shepherd values read as GitHub logins, and for owners SIG groups
//! (`sig-node`, `@kubernetes/sig-node`).
//!
//! `@`-mentions are the people wherever they stand in the text; without
//! any, the bare words are logins only when the whole value is a list of
//! them. Everything else (prose, a handle GitHub would not accept) gives
//! nobody and is handed back as text that could not be read.
//!
//! What it is not: it does not decide whether a person is a SIG-Node member
//! or a containerd maintainer, and does not check that a login exists; a
//! login is only as valid as [`Login::parse`] says.

use super::fields::{is_placeholder, without_urls, DECORATION};
use super::{re, Owner};
use crate::domain::{Login, SigName};
use regex::Regex;
use std::sync::LazyLock;

/// A markdown link `[text](url)`; people fields keep the text.
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]]*)\]\([^)]*\)"));
/// A parenthesised note after a login: `kannon92 (Red Hat)`.
static PAREN_NOTE: LazyLock<Regex> = LazyLock::new(|| re(r"\([^)]*\)?"));

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

/// People in one piece of a people field. With `@`-mentions, the mentions
/// are the people, wherever they stand (`@a (backup: @b)`) and whatever
/// prose surrounds them. Without, the bare words are logins only when the
/// whole piece is a list of them (`kannon92.`, `a, b and c`); other text
/// gives nobody and is returned whole as unreadable. With `groups`, SIG
/// names (`sig-network`, `SIG Node`) are groups. Returns the people in
/// order of appearance and the text that could not be read.
pub(super) fn people_from_text(text: &str, groups: bool) -> (Vec<Owner>, Vec<String>) {
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;

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
}
