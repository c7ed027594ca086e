//! SVG charts drawn with plotters. Text is emitted as SVG `<text>`, so no
//! system fonts are needed to build, and the browser picks the font.

use plotters::prelude::*;

/// One stacked bar: a label and one count per series.
pub struct Bar {
    pub label: String,
    pub counts: Vec<u32>,
}

/// A stacked bar chart of `bars`, one colour (and pattern via its legend
/// order) per series. Returns the SVG document.
pub fn stacked_bars(
    title: &str,
    series: &[(&str, RGBColor)],
    bars: &[Bar],
) -> Result<String, String> {
    let mut svg = String::new();
    let width = (120 + 34 * bars.len() as u32).max(480);
    {
        let root = SVGBackend::with_string(&mut svg, (width, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let max = bars
            .iter()
            .map(|b| b.counts.iter().sum::<u32>())
            .max()
            .unwrap_or(0)
            .max(1);
        let n = bars.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d(0u32..n, 0u32..max + max / 10 + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len().max(1))
            .x_label_formatter(&|i| {
                bars.get(*i as usize)
                    .map(|b| b.label.clone())
                    .unwrap_or_default()
            })
            .y_desc("KEPs")
            .draw()
            .map_err(|e| e.to_string())?;
        for (si, (name, colour)) in series.iter().enumerate() {
            let colour = *colour;
            chart
                .draw_series(bars.iter().enumerate().map(|(i, b)| {
                    let below: u32 = b.counts.iter().take(si).sum();
                    let here = b.counts.get(si).copied().unwrap_or(0);
                    let mut r = Rectangle::new(
                        [(i as u32, below), (i as u32 + 1, below + here)],
                        colour.filled(),
                    );
                    r.set_margin(0, 0, 4, 4);
                    r
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
/// one bar per label. Returns the SVG document.
pub fn signed_bars(title: &str, y_desc: &str, bars: &[(String, i64)]) -> Result<String, String> {
    let mut svg = String::new();
    let width = (120 + 40 * bars.len() as u32).max(480);
    {
        let root = SVGBackend::with_string(&mut svg, (width, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        // f64 axes: plotters' integer key points overflow on wide i64 ranges.
        let lo = bars.iter().map(|b| b.1).min().unwrap_or(0).min(0) as f64;
        let hi = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
        let pad = ((hi - lo) / 10.0).max(1.0);
        let n = bars.len().max(1) as u32;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0u32..n, (lo - pad)..(hi + pad))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len().max(1))
            .x_label_formatter(&|i| {
                bars.get(*i as usize)
                    .map(|b| b.0.clone())
                    .unwrap_or_default()
            })
            .y_desc(y_desc)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
                let colour = if *v < 0 {
                    RGBColor(0x1b, 0x9e, 0x77)
                } else {
                    RGBColor(0xd9, 0x5f, 0x02)
                };
                let mut r = Rectangle::new(
                    [(i as u32, 0.0), (i as u32 + 1, *v as f64)],
                    colour.filled(),
                );
                r.set_margin(0, 0, 4, 4);
                r
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
