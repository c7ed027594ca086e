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
            .x_labels(bars.len())
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
    }
}
