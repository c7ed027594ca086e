//! The site's icon, drawn here: a blue rounded square with three rising
//! bars (the overview's chart), as `favicon.svg` (linked from every page)
//! and the same drawing as a 32×32 `favicon.ico` (what browsers and
//! crawlers ask for at the root when a page links none).

/// The icon's blue (Kubernetes' own), RGB.
const BLUE: [u8; 3] = [0x32, 0x6c, 0xe5];
/// Side of the square, in pixels (and SVG user units).
const SIDE: u32 = 32;
/// Corner radius of the square.
const RADIUS: u32 = 6;
/// The bars: (x, y of the top, width, height), bottoms on y = 25.
const BARS: [(u32, u32, u32, u32); 3] = [(7, 17, 4, 8), (14, 11, 4, 14), (21, 7, 4, 18)];

/// `favicon.svg`.
pub const SVG: &str = concat!(
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\" width=\"32\" height=\"32\">",
    "<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#326ce5\"/>",
    "<rect x=\"7\" y=\"17\" width=\"4\" height=\"8\" fill=\"#fff\"/>",
    "<rect x=\"14\" y=\"11\" width=\"4\" height=\"14\" fill=\"#fff\"/>",
    "<rect x=\"21\" y=\"7\" width=\"4\" height=\"18\" fill=\"#fff\"/>",
    "</svg>\n"
);

/// The pixel at (`x`, `y`), top-left origin, as RGBA.
fn pixel(x: u32, y: u32) -> [u8; 4] {
    // Outside the rounded corners: transparent. Pixel centres at +0.5.
    let corner = |v: u32| -> Option<f64> {
        let c = if v < RADIUS {
            RADIUS
        } else if v >= SIDE - RADIUS {
            SIDE - RADIUS
        } else {
            return None;
        };
        Some(v as f64 + 0.5 - c as f64)
    };
    if let (Some(dx), Some(dy)) = (corner(x), corner(y)) {
        if dx * dx + dy * dy > (RADIUS * RADIUS) as f64 {
            return [0, 0, 0, 0];
        }
    }
    let in_bar = BARS
        .iter()
        .any(|&(bx, by, w, h)| (bx..bx + w).contains(&x) && (by..by + h).contains(&y));
    if in_bar {
        [0xff, 0xff, 0xff, 0xff]
    } else {
        [BLUE[0], BLUE[1], BLUE[2], 0xff]
    }
}

/// `favicon.ico`: one 32×32 32-bit image, stored as a BMP (`DIB`), which
/// every reader of the format understands.
pub fn ico() -> Vec<u8> {
    let pixels = (SIDE * SIDE * 4) as usize;
    // The 1-bit AND mask, rows padded to 4 bytes; all 0 (alpha decides).
    let mask = (SIDE.div_ceil(32) * 4 * SIDE) as usize;
    let image = 40 + pixels + mask;
    let mut b = Vec::with_capacity(6 + 16 + image);
    let u16le = |b: &mut Vec<u8>, v: u16| b.extend_from_slice(&v.to_le_bytes());
    let u32le = |b: &mut Vec<u8>, v: u32| b.extend_from_slice(&v.to_le_bytes());
    // ICONDIR: reserved, type 1 (icon), one image.
    u16le(&mut b, 0);
    u16le(&mut b, 1);
    u16le(&mut b, 1);
    // ICONDIRENTRY: 32×32, no palette, 1 plane, 32 bits, size, offset.
    b.extend_from_slice(&[SIDE as u8, SIDE as u8, 0, 0]);
    u16le(&mut b, 1);
    u16le(&mut b, 32);
    u32le(&mut b, image as u32);
    u32le(&mut b, 6 + 16);
    // BITMAPINFOHEADER; the height counts the image and its mask.
    u32le(&mut b, 40);
    u32le(&mut b, SIDE);
    u32le(&mut b, SIDE * 2);
    u16le(&mut b, 1);
    u16le(&mut b, 32);
    u32le(&mut b, 0);
    u32le(&mut b, (pixels + mask) as u32);
    b.extend_from_slice(&[0; 16]);
    // Rows bottom-up, BGRA.
    for y in (0..SIDE).rev() {
        for x in 0..SIDE {
            let [r, g, bl, a] = pixel(x, y);
            b.extend_from_slice(&[bl, g, r, a]);
        }
    }
    b.resize(b.len() + mask, 0);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ico_is_one_32_pixel_bmp_image() {
        let b = ico();
        assert_eq!(b.len(), 6 + 16 + 40 + 32 * 32 * 4 + 128);
        assert_eq!(&b[..6], &[0, 0, 1, 0, 1, 0]);
        assert_eq!(&b[6..8], &[32, 32]);
        let size = u32::from_le_bytes(b[14..18].try_into().unwrap()) as usize;
        let offset = u32::from_le_bytes(b[18..22].try_into().unwrap()) as usize;
        assert_eq!((offset, offset + size), (22, b.len()));
        // Corners transparent, the middle of the tall bar white, blue beside it.
        assert_eq!(pixel(0, 0)[3], 0);
        assert_eq!(pixel(22, 20), [0xff; 4]);
        assert_eq!(pixel(3, 16), [0x32, 0x6c, 0xe5, 0xff]);
    }

    #[test]
    fn svg_draws_the_same_bars() {
        for (x, y, w, h) in BARS {
            let rect = format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"");
            assert!(SVG.contains(&rect), "{rect}");
        }
        assert!(SVG.contains(&format!("rx=\"{RADIUS}\"")));
    }
}
