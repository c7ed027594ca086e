//! SVG charts drawn with plotters. Text is emitted as SVG `<text>`, so no
//! system fonts are needed to build, and the browser picks the font.

use crate::domain::Stage;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;

/// The colour of each graduation stage, in [`Stage::GRADUATION`] order.
/// Pages colour stages with CSS classes; these are the same colours as the
/// `--alpha`, `--beta` and `--stable` variables of `templates/style.css`
/// (a test checks), for the SVG charts, which are drawn in Rust. The charts
/// keep a white background in the dark colour scheme too, so they use the
/// light scheme's colours (the first declarations in style.css).
pub const STAGE_COLOURS: [(Stage, RGBColor); 3] = [
    (Stage::Alpha, RGBColor(0xbd, 0x53, 0x02)),
    (Stage::Beta, RGBColor(0x70, 0x6b, 0xb0)),
    (Stage::Stable, RGBColor(0x16, 0x82, 0x62)),
];

/// The colour of a graduation stage (grey for the others).
pub fn stage_colour(stage: Stage) -> RGBColor {
    STAGE_COLOURS
        .iter()
        .find(|(s, _)| *s == stage)
        .map_or(RGBColor(0x5d, 0x68, 0x73), |(_, c)| *c)
}

/// The chart's series: one per graduation stage, named and coloured.
pub fn stage_series() -> Vec<(&'static str, RGBColor)> {
    STAGE_COLOURS
        .iter()
        .map(|(s, c)| (s.as_str(), *c))
        .collect()
}

/// One stacked bar: a label and one count per series.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Bar {
    /// The x-axis label, e.g. `v1.36` or `v1.38 (targets)`.
    pub label: String,
    /// One count per series, in the series' order.
    pub counts: Vec<u32>,
}

/// The frame both charts share: caption, axes, one x label per bar, and a
/// y axis on `y`. f64 on y: plotters' integer key points overflow on wide
/// ranges.
fn bar_frame<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    labels: &[String],
    y: std::ops::Range<f64>,
    y_desc: &str,
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordu32, RangedCoordf64>>, String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let n = labels.len().max(1) as u32;
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0u32..n, y)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(labels.len().max(1))
        .x_label_formatter(&|i| labels.get(*i as usize).cloned().unwrap_or_default())
        .y_desc(y_desc)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// One bar's rectangle, between two y values.
fn bar(i: usize, from: f64, to: f64, colour: RGBColor) -> Rectangle<(u32, f64)> {
    let mut r = Rectangle::new([(i as u32, from), (i as u32 + 1, to)], colour.filled());
    r.set_margin(0, 0, 4, 4);
    r
}

fn width_for(bars: usize) -> u32 {
    (120 + 40 * bars as u32).max(480)
}

/// A stacked bar chart of `bars`, one colour per series, with a legend.
/// Returns the SVG document.
pub fn stacked_bars(
    title: &str,
    series: &[(&str, RGBColor)],
    bars: &[Bar],
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width_for(bars.len()), 320)).into_drawing_area();
        let max = bars
            .iter()
            .map(|b| b.counts.iter().sum::<u32>())
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let mut chart = bar_frame(&root, title, &labels, 0.0..max * 1.1 + 1.0, "KEPs")?;
        for (si, (name, colour)) in series.iter().enumerate() {
            let colour = *colour;
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    let below: u32 = b.counts.iter().take(si).sum();
                    let here = b.counts.get(si).copied().unwrap_or(0);
                    bar(i, below as f64, (below + here) as f64, colour)
                }))
                .map_err(|e| e.to_string())?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// A bar chart of signed values (e.g. days of lag, negative when early),
/// one bar per label: negative bars in the stable colour, positive ones in
/// the alpha colour. Returns the SVG document.
pub fn signed_bars(title: &str, y_desc: &str, bars: &[(String, i64)]) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width_for(bars.len()), 320)).into_drawing_area();
        let lo = bars.iter().map(|b| b.1).min().unwrap_or(0).min(0) as f64;
        let hi = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
        let pad = ((hi - lo) / 10.0).max(1.0);
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = bar_frame(&root, title, &labels, (lo - pad)..(hi + pad), y_desc)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                let colour = if *v < 0 {
                    stage_colour(Stage::Stable)
                } else {
                    stage_colour(Stage::Alpha)
                };
                bar(i, 0.0, *v as f64, colour)
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_labels_as_svg_text() {
        let svg = stacked_bars(
            "KEPs by stage",
            &[("alpha", RED), ("beta", BLUE)],
            &[
                Bar {
                    label: "v1.35".into(),
                    counts: vec![2, 3],
                },
                Bar {
                    label: "v1.36".into(),
                    counts: vec![1, 0],
                },
            ],
        )
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("v1.35") && svg.contains("alpha"));
        assert!(svg.contains("<rect"));
        // No release yet: an empty chart, not a panic.
        assert!(stacked_bars("x", &[("alpha", RED)], &[]).is_ok());
    }

    /// `--NAME: #rrggbb;` in the stylesheet.
    fn css_colour(css: &str, name: &str) -> RGBColor {
        let decl = format!("--{name}:");
        let at = css
            .find(&decl)
            .unwrap_or_else(|| panic!("{decl} not in style.css"));
        let value = css[at + decl.len()..].trim_start();
        let hex = value.strip_prefix('#').expect("a #rrggbb colour");
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        RGBColor(byte(0), byte(2), byte(4))
    }

    #[test]
    fn stage_colours_are_the_stylesheets() {
        let css = include_str!("../../templates/style.css");
        for (stage, colour) in STAGE_COLOURS {
            assert_eq!(css_colour(css, stage.as_str()), colour, "{stage}");
        }
        let order: Vec<Stage> = STAGE_COLOURS.iter().map(|(s, _)| *s).collect();
        assert_eq!(order, Stage::GRADUATION);
        assert_eq!(css_colour(css, "muted"), stage_colour(Stage::Removed));
    }

    #[test]
    fn draws_negative_bars() {
        let svg = signed_bars(
            "Lag",
            "days",
            &[("v1.35".into(), -20), ("v1.36".into(), 45)],
        )
        .unwrap();
        assert!(svg.contains("v1.35") && svg.contains("<rect"));
        assert!(signed_bars("Lag", "days", &[]).is_ok());
    }
}
