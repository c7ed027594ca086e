//! Template fields and their values: matching a key as written to a
//! [`FieldKey`], and reading stage, release and link values as people write
//! them (`beta w/gate on`, `1.36 (hopefully)`, `[#6062](https://...)`).
//!
//! Each reader takes one piece of a field (its value, or one sub-line) and
//! returns what it found; words that mean "nothing yet" (`TBD`, `N/A`,
//! `_No response_`) are placeholders that give neither data nor a warning.
//! The stages and the `K8s-Release:` value are joined into targets at the end
//! ([`combine_targets`]).
//!
//! What it is not: it does not find the fields (that is `block`) and does
//! not read people (`people`) or KEP numbers (`kep_numbers`).

use super::{push_unique, re, warning, FieldKey, RawField, Target, Warning};
use crate::domain::{GateDefault, K8sRelease, Stage};
use regex::Regex;
use std::sync::LazyLock;

/// Matches a key as written to a template field: case, spaces, hyphens and
/// parenthesised qualifiers (`KEP PR (alpha)`, `KEP(s)`) are ignored.
pub(super) fn field_key(key: &str) -> Option<FieldKey> {
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
pub(super) fn field_text(field: &RawField) -> impl Iterator<Item = &str> {
    std::iter::once(field.value.as_str())
        .chain(field.sub_lines.iter().map(String::as_str))
        .filter(|s| !s.trim().is_empty())
}

/// The value (piece 0) and the sub-lines (pieces 1..) of a field.
pub(super) fn pieces(field: &RawField) -> impl Iterator<Item = (usize, &str)> {
    std::iter::once(field.value.as_str())
        .chain(field.sub_lines.iter().map(String::as_str))
        .enumerate()
}

/// The template's "see the issue" phrases used instead of a link.
pub(super) static SEE_ISSUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^see\s+(?:the\s+)?(?:kep\s+)?issue(?:\s+links?)?(?:\s+above)?\.?$"));
/// A liaison key once case, spaces and punctuation are gone (`liason` too).
static LIAISON_KEY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:sig)?(?:node)?(?:member)?liai?si?ons?$"));
/// A shepherd key once case, spaces and punctuation are gone.
static SHEPHERD_KEY: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:kep|containerd)?sheph?[ae]rds?$"));

/// Values that mean "nothing yet" and give neither data nor a warning, also
/// in formatting: `TBD.`, `_No response_`, `(tbd)`, `**N/A**`.
pub(super) fn is_placeholder(s: &str) -> bool {
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

/// Characters around a bare login that are formatting, not part of it.
pub(super) const DECORATION: &[char] = &['*', '`', '"', '\'', '<', '>', '[', ']', '(', ')'];

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

/// The first stage word in `text`, as a stage.
fn stage_in(text: &str) -> Option<Stage> {
    STAGE_WORD
        .find(text)
        .and_then(|m| Stage::parse(&m.as_str().split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// For a beta stage, whether `text` says its gate is on or off by default.
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
pub(super) fn without_urls(text: &str) -> String {
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
pub(super) fn targets_from_text(text: &str) -> (Vec<Target>, bool) {
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
pub(super) struct ReleaseNote {
    /// The stage the text gives the release for, if any.
    stage: Option<Stage>,
    /// The release.
    release: K8sRelease,
    /// The segment of the text it was read from.
    raw: String,
}

/// Releases in one piece of the `K8s-Release:` field: `1.36 (hopefully)`,
/// `v1.36 / v1.37`, `v1.37 https://.../release-1.37`, `1.36 (alpha), 1.38
/// (beta)`. The same release for the same stage is given once.
pub(super) fn releases_from_text(text: &str) -> Vec<ReleaseNote> {
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
pub(super) fn combine_targets(
    mut targets: Vec<Target>,
    releases: Vec<ReleaseNote>,
    stage_field_given: bool,
    release_key: &str,
    w: &mut Vec<Warning>,
) -> Vec<Target> {
    let (tagged, untagged): (Vec<ReleaseNote>, Vec<ReleaseNote>) =
        releases.into_iter().partition(|r| r.stage.is_some());
    for r in tagged {
        place_tagged(&mut targets, r, release_key, w);
    }
    if !untagged.is_empty() {
        place_untagged(&mut targets, &untagged, stage_field_given, release_key, w);
    }
    targets
}

/// Gives a release tagged with a stage to the targets of that stage (a
/// warning when they have another one), or makes it a target of its own.
fn place_tagged(
    targets: &mut Vec<Target>,
    r: ReleaseNote,
    release_key: &str,
    w: &mut Vec<Warning>,
) {
    let Some(stage) = r.stage else { return };
    let same: Vec<&mut Target> = targets.iter_mut().filter(|t| t.stage == stage).collect();
    if same.is_empty() {
        targets.push(Target {
            stage,
            gate: None,
            k8s_release: Some(r.release),
            raw: r.raw,
        });
        return;
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

/// Gives the releases without a stage to the targets without a release:
/// one to all of them, or as many as there are in order; otherwise says
/// why not.
fn place_untagged(
    targets: &mut [Target],
    untagged: &[ReleaseNote],
    stage_field_given: bool,
    release_key: &str,
    w: &mut Vec<Warning>,
) {
    let lacking: Vec<usize> = (0..targets.len())
        .filter(|&i| targets[i].k8s_release.is_none())
        .collect();
    let mut raws: Vec<&str> = Vec::new();
    push_unique(&mut raws, untagged.iter().map(|r| r.raw.as_str()));
    if targets.is_empty() {
        if !stage_field_given {
            for raw in raws {
                w.push(warning(release_key, raw, "release given without a stage"));
            }
        }
    } else if untagged.len() == 1 && !lacking.is_empty() {
        for &i in &lacking {
            targets[i].k8s_release = Some(untagged[0].release);
        }
    } else if untagged.len() == lacking.len() {
        for (&i, r) in lacking.iter().zip(untagged) {
            targets[i].k8s_release = Some(r.release);
        }
    } else if !lacking.is_empty() {
        w.push(warning(
            release_key,
            &raws.join(", "),
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
}

/// An http(s) URL, starting at a word boundary (`@userhttps://x` is not a
/// URL after a handle); trailing punctuation is trimmed afterwards.
static URL: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)\bhttps?://[^\s<>"'`\[\]]+"#));

/// URLs in a `KEP Issue:` / `KEP PR:` value; markdown links give their URL.
pub(super) fn links_from_text(text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::*;
    use crate::domain::GateDefault;

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
}
