//! A [`ChartData`] drawn to an SVG document or PNG bytes.

use plotters::prelude::*;

use super::data::ChartData;
use super::error::ChartError;
use super::font;
use super::render;

/// The chart as an SVG document.
pub fn render_svg(data: &ChartData, (width, height): (u32, u32)) -> Result<String, ChartError> {
    render::check_size(width, height)?;
    font::ensure_registered()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        render::draw(&root, data)?;
        root.present()?;
    }
    Ok(svg)
}

/// The chart as PNG bytes (8-bit RGB).
pub fn render_png(data: &ChartData, (width, height): (u32, u32)) -> Result<Vec<u8>, ChartError> {
    render::check_size(width, height)?;
    font::ensure_registered()?;
    // Bounded by check_size: at most 4000 x 4000 x 3 bytes.
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        render::draw(&root, data)?;
        root.present()?;
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
        writer.finish()?;
    }
    Ok(png_bytes)
}
