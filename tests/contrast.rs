//! The stylesheet's colours reach WCAG 2.x AA contrast in both colour
//! schemes: every text/background pair the pages use is at least 4.5:1,
//! and the borders and outlines that carry meaning (dashed targets, focus)
//! at least 3:1 against the page (WCAG's relative luminance and contrast
//! ratio formulas). A colour change that breaks AA fails here, before a
//! browser sees it; `.ci/run axe` checks the rendered pages too.

use std::collections::BTreeMap;

const CSS: &str = include_str!("../templates/style.css");

/// Text (foreground variable, background variable), each at least 4.5:1.
const TEXT: &[(&str, &str, &str)] = &[
    ("fg", "bg", "body text, headings, target badges and cells"),
    ("muted", "bg", "secondary text, the as-of line, footer"),
    ("accent", "bg", "links"),
    (
        "fg",
        "warn",
        "banners (.frozen, .stale, .warning) and flags",
    ),
    ("accent", "warn", "links in banners"),
    ("muted", "warn", "secondary text in banners"),
    ("fg", "code", "code"),
    ("on-stage", "alpha", "alpha badges and cells"),
    ("on-stage", "beta", "beta badges and cells"),
    ("on-stage", "stable", "stable (GA) badges and cells"),
    (
        "on-stage",
        "muted",
        "deprecated, removed and unknown badges",
    ),
    ("ok-fg", "ok-bg", "ok and ready verdicts"),
    ("bad-fg", "bad-bg", "violated verdicts"),
    ("risk-fg", "warn", "at-risk verdicts"),
    ("risk-fg", "bg", "containerd: untracked"),
    (
        "pend-fg",
        "pend-bg",
        "containerd: merged, not released / PR open",
    ),
];

/// Non-text marks against the page, each at least 3:1 (WCAG 1.4.11).
const MARKS: &[(&str, &str, &str)] = &[
    ("alpha", "bg", "dashed alpha target outlines"),
    ("beta", "bg", "dashed beta target outlines"),
    ("stable", "bg", "dashed stable target outlines"),
    ("muted", "bg", "dashed outlines of other targets"),
    ("accent", "bg", "focus outlines"),
];

/// The declarations `--name: value;` of the `:root { ... }` block that
/// starts at or after `from`.
fn root_vars(css: &str, from: usize) -> BTreeMap<String, String> {
    let start = from + css[from..].find(":root {").expect(":root block") + ":root {".len();
    let end = start + css[start..].find('}').expect("end of :root");
    css[start..end]
        .split(';')
        .filter_map(|d| d.trim().strip_prefix("--"))
        .filter_map(|d| d.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The light and the dark scheme's variables.
fn schemes() -> [(&'static str, BTreeMap<String, String>); 2] {
    let light = root_vars(CSS, 0);
    let media = "@media screen and (prefers-color-scheme: dark)";
    let at = CSS.find(media).expect("a dark colour scheme in style.css");
    let mut dark = light.clone();
    dark.extend(root_vars(CSS, at));
    [("light", light), ("dark", dark)]
}

fn rgb(hex: &str) -> [u8; 3] {
    let h = hex
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("{hex}: not #rgb"));
    let h: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => panic!("{hex}: not #rgb or #rrggbb"),
    };
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4)]
}

/// WCAG 2.x relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// WCAG 2.x contrast ratio, from 1 to 21.
fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(rgb(a)), luminance(rgb(b)));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn the_formula_matches_wcag() {
    assert!((contrast("#000", "#fff") - 21.0).abs() < 1e-9);
    assert!((contrast("#fff", "#fff") - 1.0).abs() < 1e-9);
    // The old alpha badge, white on Dark2's orange: the failure this fixed.
    assert!((contrast("#fff", "#d95f02") - 3.76).abs() < 0.01);
    assert!((contrast("#767676", "#fff") - 4.54).abs() < 0.01);
}

#[test]
fn every_pair_reaches_aa_in_both_schemes() {
    let mut failures = Vec::new();
    for (scheme, vars) in schemes() {
        let colour = |name: &str| {
            vars.get(name)
                .unwrap_or_else(|| panic!("--{name} is not defined in style.css ({scheme})"))
                .clone()
        };
        for (min, pairs) in [(4.5, TEXT), (3.0, MARKS)] {
            for (fg, bg, what) in pairs {
                let ratio = contrast(&colour(fg), &colour(bg));
                println!(
                    "{scheme}: --{fg} {} on --{bg} {}: {ratio:.2}:1 ({what})",
                    colour(fg),
                    colour(bg)
                );
                if ratio < min {
                    failures.push(format!(
                        "{scheme}: {what}: --{fg} on --{bg} is {ratio:.2}:1, below {min}:1"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_dark_scheme_sets_every_colour() {
    let light = root_vars(CSS, 0);
    let [_, (_, dark)] = schemes();
    let at = CSS
        .find("@media screen and (prefers-color-scheme: dark)")
        .unwrap();
    let own = root_vars(CSS, at);
    for (name, value) in &light {
        if value.starts_with('#') {
            assert!(own.contains_key(name), "--{name} has no dark value");
        }
    }
    assert_eq!(
        light.keys().collect::<Vec<_>>(),
        dark.keys().collect::<Vec<_>>()
    );
}

/// Every colour the rules use comes from a variable, and every variable
/// used as a text colour or a background is in a checked pair: a new
/// colour is checked, or this fails.
#[test]
fn every_colour_used_is_checked() {
    let body = &CSS[CSS.find("* {").expect("the rules after :root")..];
    let fgs: Vec<&str> = TEXT.iter().map(|p| p.0).collect();
    let bgs: Vec<&str> = TEXT.iter().map(|p| p.1).collect();
    let mut unchecked = Vec::new();
    for decl in body.split([';', '{', '}']) {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        let prop = prop.trim();
        let value = value.trim();
        if !matches!(prop, "color" | "background" | "background-color") {
            continue;
        }
        if matches!(value, "none" | "inherit" | "transparent" | "currentColor") {
            continue;
        }
        let Some(name) = value
            .strip_prefix("var(--")
            .and_then(|v| v.strip_suffix(')'))
        else {
            unchecked.push(format!("{prop}: {value} (not a variable)"));
            continue;
        };
        let known = if prop == "color" { &fgs } else { &bgs };
        if !known.contains(&name) {
            unchecked.push(format!("{prop}: {value} (in no checked pair)"));
        }
    }
    assert!(unchecked.is_empty(), "{}", unchecked.join("\n"));
}
