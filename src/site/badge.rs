//! A KEP's status badge (`/kep/NNNN/badge.svg`), drawn in Rust as a small
//! shields-style SVG: "KEP-NNNN" | what the KEP page says of it now. No
//! fonts, images or scripts; every text escaped.
//!
//! Not what the badge says (that is [`super::pages::kep::badge`], from the
//! model's stage and policy rules); this file only draws it.

use super::chart::xml_escape;
use plotters::style::RGBColor;

const HEIGHT: u32 = 20;
/// Space on each side of a text.
const PAD: f64 = 6.0;
/// The left part: white on near-black (15:1).
const LABEL_BG: &str = "#24292f";
/// The right part: near-black on light grey (14:1).
const MESSAGE_BG: &str = "#f6f8fa";
const MESSAGE_FG: &str = "#1d2329";
/// The stage's colour, as a stripe before the message (decoration only).
const STRIPE: f64 = 4.0;

/// The width of `text` in 11px Verdana, generously: a width per kind of
/// character. The SVG fits the text to it (`textLength`), so a browser's
/// other font cannot overflow.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 3.5,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '·' | 'I' => 5.0,
            'm' | 'w' | 'M' | 'W' => 11.0,
            'A'..='Z' => 8.0,
            c if c.is_ascii() => 7.0,
            _ => 11.0,
        })
        .sum()
}

/// One badge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// Left: `KEP-127`.
    pub label: String,
    /// Right: `beta (on) v1.38 · containerd shipped v2.1.0`.
    pub message: String,
    /// The stage's colour, for the stripe.
    pub stripe: RGBColor,
    /// The badge in words: its `<title>` and `aria-label`.
    pub title: String,
}

impl Badge {
    /// The SVG document.
    pub fn svg(&self) -> String {
        let lw = (text_width(&self.label) + 2.0 * PAD).ceil();
        let mw = (text_width(&self.message) + 2.0 * PAD).ceil();
        let width = lw + STRIPE + mw;
        let RGBColor(r, g, b) = self.stripe;
        let title = xml_escape(&self.title);
        let text = |x: f64, fill: &str, len: f64, s: &str| {
            format!(
                "<text x=\"{x}\" y=\"14\" fill=\"{fill}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\">{}</text>",
                len,
                xml_escape(s)
            )
        };
        [
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{HEIGHT}\" viewBox=\"0 0 {width} {HEIGHT}\" role=\"img\" aria-label=\"{title}\">"),
            format!("<title>{title}</title>"),
            format!("<rect width=\"{lw}\" height=\"{HEIGHT}\" fill=\"{LABEL_BG}\"/>"),
            format!("<rect x=\"{lw}\" width=\"{STRIPE}\" height=\"{HEIGHT}\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>"),
            format!("<rect x=\"{}\" width=\"{mw}\" height=\"{HEIGHT}\" fill=\"{MESSAGE_BG}\"/>", lw + STRIPE),
            "<g font-family=\"Verdana,DejaVu Sans,Geneva,sans-serif\" font-size=\"11\">".into(),
            text(PAD, "#fff", lw - 2.0 * PAD, &self.label),
            text(lw + STRIPE + PAD, MESSAGE_FG, mw - 2.0 * PAD, &self.message),
            "</g></svg>\n".into(),
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn badge(message: &str, title: &str) -> Badge {
        Badge {
            label: "KEP-127".into(),
            message: message.into(),
            stripe: RGBColor(0x75, 0x70, 0xb3),
            title: title.into(),
        }
    }

    #[test]
    fn width_follows_the_text() {
        let short = badge("alpha v1.38", "t").svg();
        let long = badge("alpha v1.38 · containerd shipped v2.1.0", "t").svg();
        let width = |s: &str| -> f64 {
            let at = s.find("width=\"").unwrap() + 7;
            s[at..at + s[at..].find('"').unwrap()].parse().unwrap()
        };
        assert!(width(&long) > width(&short) + 100.0);
        assert!(width(&short) >= text_width("KEP-127") + text_width("alpha v1.38") + 24.0);
    }

    #[test]
    fn hostile_text_stays_text() {
        let evil = "</text><script>alert(1)</script><a href=\"x\" onload='y'>&amp;\u{0}";
        let svg = badge(evil, evil).svg();
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("onload='"), "{svg}");
        assert!(!svg.contains('\u{0}'));
        assert_eq!(svg.matches("<text").count(), 2);
        assert_eq!(svg.matches("</text>").count(), 2);
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;"));
        assert!(svg.contains("&amp;amp;"));
        // Still one well-formed element per tag: every < opens a known one.
        for tag in svg.split('<').skip(1) {
            let name: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                .collect();
            assert!(
                ["svg", "title", "/title", "rect", "g", "text", "/text", "/g", "/svg"]
                    .contains(&name.as_str()),
                "{name}"
            );
        }
    }
}
