//! SVG charts drawn with plotters. Text is emitted as SVG `<text>`, so no
//! system fonts are needed to build, and the browser picks the font.

use crate::domain::Stage;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// `text` safe as SVG/XML text or an attribute value: markup characters
/// escaped, characters XML forbids (controls) dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The name of the series drawn in grey: KEPs on a release page without a
/// graduation stage there (deprecated, removed, or none).
pub const OTHER: &str = "no graduation stage";

/// The overview's series: one per graduation stage, then [`OTHER`], so a
/// bar is as tall as its release page's list.
pub fn overview_series() -> Vec<(&'static str, RGBColor)> {
    let mut s = stage_series();
    s.push((OTHER, stage_colour(Stage::Removed)));
    s
}

/// The size a chart is drawn at, in CSS pixels: pages show it at that
/// size (never scaled up, scaled down only when the page is narrower), so
/// its text renders at the sizes below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// How many bars (the newest) it shows at most.
    pub bars: usize,
}

/// For pages at least 62rem (992 px) wide: the newest 13 bars.
pub const WIDE: Size = Size {
    width: 960,
    height: 400,
    bars: 13,
};

/// For narrower pages (a 390 px phone shows it at 358 px): the newest 6.
pub const NARROW: Size = Size {
    width: 360,
    height: 340,
    bars: 6,
};

/// Axis labels, legend and axis names, in px as rendered at 1:1.
pub const LABEL_PX: f64 = 14.0;
/// The notes above bars (`target`).
pub const NOTE_PX: f64 = 13.0;

/// A font of `px` CSS pixels: plotters' SVG backend writes a size as
/// `size / 1.24`.
fn font(px: f64) -> FontDesc<'static> {
    ("sans-serif", px * 1.24).into_font()
}

/// A generous estimate of a text's width at `px` (sans-serif averages
/// about 0.55 em a character): for layout and the tests' fit check.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * 0.62 * px
}

/// One stacked bar: a label, one count per series, and an optional note
/// written above it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Bar {
    /// The x-axis label, e.g. `v1.36`.
    pub label: String,
    /// One count per series, in the series' order.
    pub counts: Vec<u32>,
    /// Written above the bar, e.g. `target` for a release not out yet.
    pub note: Option<String>,
}

type Frame<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<SegmentedCoord<RangedCoordu32>, RangedCoordf64>>;
type Area<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;

/// Lays the legend out in rows across `width`: each entry's swatch x,
/// its row, for `entries`. Returns the positions and the rows' height.
fn legend_layout(entries: &[(&str, RGBColor)], width: u32) -> (Vec<(i32, i32)>, u32) {
    let row_h = (LABEL_PX * 1.6) as i32;
    let (mut x, mut row) = (10i32, 0i32);
    let mut at = Vec::new();
    for (name, _) in entries {
        let w = 20 + text_width(name, LABEL_PX).ceil() as i32 + 16;
        if x > 10 && x + w > width as i32 - 10 {
            x = 10;
            row += 1;
        }
        at.push((x, row * row_h + 6));
        x += w;
    }
    (at, ((row + 1) * row_h + 8) as u32)
}

/// The legend: a swatch and the series' name for each entry.
fn draw_legend(area: &Area, entries: &[(&str, RGBColor)], at: &[(i32, i32)]) -> Result<(), String> {
    let style = TextStyle::from(font(LABEL_PX)).pos(Pos::new(HPos::Left, VPos::Center));
    let half = (LABEL_PX / 2.0) as i32;
    for ((name, colour), (x, y)) in entries.iter().zip(at) {
        let mid = y + half + 2;
        area.draw(&Rectangle::new(
            [(*x, mid - 7), (*x + 14, mid + 7)],
            colour.filled(),
        ))
        .map_err(|e| e.to_string())?;
        area.draw(&Text::new(name.to_string(), (*x + 20, mid), style.clone()))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The frame both charts share: a legend above, axes, one label centred
/// under each bar, and a y axis on `y`. f64 on y: plotters' integer key
/// points overflow on wide ranges.
fn bar_frame<'a, 'b>(
    root: &'a Area<'b>,
    size: Size,
    legend: &[(&str, RGBColor)],
    labels: &[String],
    y: std::ops::Range<f64>,
    y_desc: &str,
) -> Result<Frame<'a, 'b>, String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (at, legend_h) = legend_layout(legend, size.width);
    let (top, body) = root.split_vertically(legend_h);
    draw_legend(&top, legend, &at)?;
    let n = labels.len().max(1) as u32;
    let y_label_w = [y.start, y.end]
        .iter()
        .map(|v| text_width(&format!("{v:.0}"), LABEL_PX))
        .fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(&body)
        .margin_left(4)
        .margin_right(12)
        .margin_bottom(4)
        .x_label_area_size((LABEL_PX * 2.0) as u32)
        .y_label_area_size((y_label_w + LABEL_PX * 2.0 + 10.0) as u32)
        .build_cartesian_2d((0u32..n - 1).into_segmented(), y)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(labels.len().max(1))
        .x_label_style(font(LABEL_PX))
        .y_label_style(font(LABEL_PX))
        .axis_desc_style(font(LABEL_PX))
        .y_labels(6)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                labels.get(*i as usize).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        })
        .y_desc(y_desc)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(chart)
}

/// One bar's rectangle, between two y values.
fn bar(i: usize, from: f64, to: f64, colour: RGBColor) -> Rectangle<(SegmentValue<u32>, f64)> {
    let i = i as u32;
    let mut r = Rectangle::new(
        [
            (SegmentValue::Exact(i), from),
            (SegmentValue::Exact(i + 1), to),
        ],
        colour.filled(),
    );
    r.set_margin(0, 0, 6, 6);
    r
}

/// The newest `n` of `items`.
pub fn newest<T>(items: &[T], n: usize) -> &[T] {
    &items[items.len().saturating_sub(n)..]
}

/// Puts `<title>` (the chart in words, for screen readers and as a
/// tooltip) first in the SVG document.
fn with_title(svg: String, title: &str) -> String {
    match svg.find('>') {
        Some(i) => format!(
            "{}<title>{}</title>{}",
            &svg[..=i],
            xml_escape(title),
            &svg[i + 1..]
        ),
        None => svg,
    }
}

/// A stacked bar chart of the newest `size.bars` of `bars`, one colour per
/// series, with a legend naming them. `title` is the chart in words (its
/// `<title>`; pages show it as the figure's caption). Returns the SVG.
pub fn stacked_bars(
    title: &str,
    series: &[(&str, RGBColor)],
    bars: &[Bar],
    size: Size,
) -> Result<String, String> {
    let bars = newest(bars, size.bars);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        let max = bars
            .iter()
            .map(|b| b.counts.iter().sum::<u32>())
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let top = max * 1.15 + 1.0;
        let chart = bar_frame(&root, size, series, &labels, 0.0..top, "KEPs")?;
        let mut chart = chart;
        for (si, (_, colour)) in series.iter().enumerate() {
            let colour = *colour;
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    let below: u32 = b.counts.iter().take(si).sum();
                    let here = b.counts.get(si).copied().unwrap_or(0);
                    bar(i, below as f64, (below + here) as f64, colour)
                }))
                .map_err(|e| e.to_string())?;
        }
        let note = TextStyle::from(font(NOTE_PX)).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
                let total: u32 = b.counts.iter().sum();
                let text = b.note.clone()?;
                Some(Text::new(
                    text,
                    (SegmentValue::CenterOf(i as u32), total as f64 + max * 0.03),
                    note.clone(),
                ))
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(with_title(svg, title))
}

/// A bar chart of the newest `size.bars` signed values (e.g. days of lag,
/// negative when early), one bar per label: values of 0 or more in the
/// first legend entry's colour, negative ones in the second's. Returns
/// the SVG document.
pub fn signed_bars(
    title: &str,
    y_desc: &str,
    legend: [(&str, RGBColor); 2],
    bars: &[(String, i64)],
    size: Size,
) -> Result<String, String> {
    let bars = newest(bars, size.bars);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
        let lo = bars.iter().map(|b| b.1).min().unwrap_or(0).min(0) as f64;
        let hi = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
        let pad = ((hi - lo) / 10.0).max(1.0);
        let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
        let y = (lo - pad)..(hi + pad);
        let mut chart = bar_frame(&root, size, &legend, &labels, y, y_desc)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                let colour = if *v < 0 { legend[1].1 } else { legend[0].1 };
                bar(i, 0.0, *v as f64, colour)
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(with_title(svg, title))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// One `<text>` of a plotters SVG: where, how big, anchored how, what.
    #[derive(Debug)]
    pub struct SvgText {
        pub x: f64,
        pub y: f64,
        pub px: f64,
        pub anchor: String,
        pub rotated: bool,
        pub text: String,
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let rest = &tag[at..];
        Some(rest[..rest.find('"')?].to_string())
    }

    /// The `<text>` elements of an SVG document.
    pub fn texts(svg: &str) -> Vec<SvgText> {
        svg.split("<text")
            .skip(1)
            .map(|part| {
                let (tag, rest) = part.split_once('>').unwrap();
                let body = rest.split("</text>").next().unwrap().trim().to_string();
                let num = |n: &str| attr(tag, n).map_or(0.0, |v| v.parse().unwrap());
                SvgText {
                    x: num("x"),
                    y: num("y"),
                    px: num("font-size"),
                    anchor: attr(tag, "text-anchor").unwrap_or_else(|| "start".into()),
                    rotated: tag.contains("rotate("),
                    text: body,
                }
            })
            .collect()
    }

    /// The viewBox's width and height.
    pub fn view_box(svg: &str) -> (f64, f64) {
        let v = attr(svg, "viewBox").unwrap();
        let n: Vec<f64> = v.split(' ').map(|x| x.parse().unwrap()).collect();
        (n[2], n[3])
    }

    /// Every text at least `min_px` when the chart is shown `shown` px
    /// wide, and inside the viewBox (by [`text_width`]'s estimate).
    pub fn assert_readable(svg: &str, shown: f64, min_px: f64) {
        let (w, h) = view_box(svg);
        let scale = (shown / w).min(1.0);
        let texts = texts(svg);
        assert!(!texts.is_empty());
        for t in &texts {
            assert!(
                t.px * scale >= min_px,
                "{:?} renders at {:.1} px when shown {shown} px wide",
                t.text,
                t.px * scale
            );
            let tw = text_width(&t.text, t.px);
            let (along, limit) = if t.rotated { (t.y, h) } else { (t.x, w) };
            let (from, to) = match t.anchor.as_str() {
                "middle" => (along - tw / 2.0, along + tw / 2.0),
                "end" => (along - tw, along),
                _ => (along, along + tw),
            };
            assert!(
                from >= 0.0 && to <= limit,
                "{:?} spans {from:.0}..{to:.0}, outside 0..{limit}",
                t.text
            );
        }
    }

    fn releases(n: u32) -> Vec<Bar> {
        (0..n)
            .map(|i| Bar {
                label: format!("v1.{}", i + 4),
                counts: vec![i % 7, i % 5, i % 3, 1],
                note: (i + 1 == n).then(|| "target".into()),
            })
            .collect()
    }

    #[test]
    fn draws_labels_as_svg_text() {
        let svg = stacked_bars("KEPs by stage", &overview_series(), &releases(2), WIDE).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("<title>KEPs by stage</title>"));
        assert!(svg.contains("v1.4") && svg.contains("v1.5"));
        assert!(svg.contains("<rect"));
        // No release yet: an empty chart, not a panic.
        assert!(stacked_bars("x", &overview_series(), &[], NARROW).is_ok());
    }

    #[test]
    fn forty_releases_are_readable_wide_and_on_a_phone() {
        let bars = releases(40);
        for (size, shown) in [(WIDE, 1200.0), (WIDE, 992.0 - 32.0), (NARROW, 390.0 - 32.0)] {
            let svg = stacked_bars("KEPs", &overview_series(), &bars, size).unwrap();
            assert_readable(&svg, shown, 12.0);
            let labels: Vec<String> = texts(&svg).into_iter().map(|t| t.text).collect();
            // The newest bars, the cycle's note, a legend entry per series.
            assert!(labels.contains(&"v1.43".to_string()), "{labels:?}");
            let oldest = format!("v1.{}", 44 - size.bars);
            assert!(labels.contains(&oldest), "{labels:?}");
            let older = format!("v1.{}", 43 - size.bars);
            assert!(!labels.contains(&older), "{labels:?}");
            assert!(labels.contains(&"target".to_string()));
            for (name, _) in overview_series() {
                assert!(labels.contains(&name.to_string()), "legend: {name}");
            }
        }
    }

    #[test]
    fn the_lag_chart_is_readable_with_its_legend() {
        let bars: Vec<(String, i64)> = (20..40)
            .map(|i| (format!("v1.{i}"), i * 37 - 900))
            .collect();
        let legend = [
            ("containerd after", stage_colour(Stage::Alpha)),
            ("containerd first", stage_colour(Stage::Stable)),
        ];
        for (size, shown) in [(WIDE, 1200.0), (NARROW, 358.0)] {
            let svg = signed_bars("Lag", "days", legend, &bars, size).unwrap();
            assert_readable(&svg, shown, 12.0);
            assert!(svg.contains("containerd after") && svg.contains("containerd first"));
            assert!(
                svg.contains(">\nv1.39\n<") || svg.contains(">v1.39<"),
                "{svg}"
            );
        }
        assert!(signed_bars("Lag", "days", legend, &[], NARROW).is_ok());
    }

    #[test]
    fn titles_are_escaped() {
        let svg = with_title("<svg a=\"1\"><g/></svg>".into(), "a <b> & \"c\"\u{7}");
        assert_eq!(
            svg,
            "<svg a=\"1\"><title>a &lt;b&gt; &amp; &quot;c&quot;</title><g/></svg>"
        );
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
}
