//! The bundled chart font. Charts use plotters' `ab_glyph` text renderer with DejaVu Sans
//! (Bitstream Vera license, see `font/LICENSE-DejaVu.txt`) compiled into the binary, so text
//! renders the same on every OS and no system font lookup can fail at run time.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use super::error::ChartError;

/// Also the font of PDF documents (`crate::documents`).
pub(crate) static DEJAVU_SANS: &[u8] = include_bytes!("font/DejaVuSans.ttf");

/// The bundled font's name and license, for the app's About panel.
pub const NAME: &str = "DejaVu Sans";
pub const LICENSE: &str = include_str!("font/LICENSE-DejaVu.txt");

/// The family name charts ask for; registered on first use.
pub const FAMILY: &str = "sans-serif";

/// Registers the font once per process; later calls return the first outcome.
pub fn ensure_registered() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        // One file serves both styles: bold falls back to it (titles are set apart by size).
        register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok()
            && register_font(FAMILY, FontStyle::Bold, DEJAVU_SANS).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}
