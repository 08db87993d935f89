//! The document font: DejaVu Sans, laid out glyph by glyph with its own advances.
//!
//! Text is placed without shaping (one glyph per character, the font's advance), which is what
//! Latin, Greek and Cyrillic need and makes widths exact for right-aligned figures. A character
//! the font lacks prints as its empty box but keeps its Unicode text, so it still extracts.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};
use krilla::text::{Font, GlyphId, KrillaGlyph};

use super::error::DocumentError;
use crate::charts::font::DEJAVU_SANS;

pub(super) struct Face {
    pub pdf: Font,
    metrics: FontRef<'static>,
    units_per_em: f32,
}

/// The font, loaded once per process.
pub(super) fn face() -> Result<&'static Face, DocumentError> {
    static FACE: OnceLock<Option<Face>> = OnceLock::new();
    FACE.get_or_init(|| {
        let metrics = FontRef::try_from_slice(DEJAVU_SANS).ok()?;
        let units_per_em = metrics.units_per_em()?;
        let pdf = Font::new(DEJAVU_SANS.into(), 0)?;
        Some(Face {
            pdf,
            metrics,
            units_per_em,
        })
    })
    .as_ref()
    .ok_or(DocumentError::Font)
}

impl Face {
    /// One glyph per character of `text`, advances in em units.
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(at, c)| {
                let id = self.metrics.glyph_id(c);
                let advance = self.metrics.h_advance_unscaled(id) / self.units_per_em;
                KrillaGlyph::new(
                    GlyphId::new(u32::from(id.0)),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    at..at + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.metrics.h_advance_unscaled(self.metrics.glyph_id(c)))
            .sum::<f32>()
            / self.units_per_em
            * size
    }
}
