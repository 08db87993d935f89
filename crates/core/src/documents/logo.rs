//! The agency's logo: a PNG or SVG file the owner picked, checked before agencydesk keeps a
//! copy, and drawn into documents (SVG as vectors).

use std::sync::Arc;

use krilla::geom::{Size, Transform};
use krilla::surface::Surface;
use krilla::Data;
use krilla_svg::{SurfaceExt as _, SvgSettings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use usvg::{fontdb, ImageHrefResolver};

use super::error::DocumentError;
use crate::charts::font::DEJAVU_SANS;

/// Larger files are refused: a letterhead logo needs far less.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// Pixels per side a PNG may have (also bounds the memory a decode takes).
const MAX_PNG_SIDE: u32 = 6_000;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum LogoKind {
    Png,
    Svg,
}

impl LogoKind {
    /// The name of the copy in the data folder's `branding/`: fixed, never chosen by a caller.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Png => "logo.png",
            Self::Svg => "logo.svg",
        }
    }

    pub fn from_file_name(name: &str) -> Option<Self> {
        [Self::Png, Self::Svg]
            .into_iter()
            .find(|k| k.file_name() == name)
    }
}

/// A logo that was read whole and can be drawn.
#[derive(Debug, Clone)]
pub struct Logo {
    kind: LogoKind,
    bytes: Arc<Vec<u8>>,
    width: f32,
    height: f32,
}

impl Logo {
    /// Checks `bytes` are a PNG or an SVG that draws, whatever the file was called.
    pub fn parse(bytes: Vec<u8>) -> Result<Self, DocumentError> {
        let refuse = |why: &str| {
            Err(DocumentError::Logo(format!(
                "The logo {why}. Choose a PNG or SVG file under {} MB.",
                MAX_LOGO_BYTES / (1024 * 1024)
            )))
        };
        if bytes.is_empty() {
            return refuse("file is empty");
        }
        if bytes.len() > MAX_LOGO_BYTES {
            return refuse("file is too large");
        }
        let (kind, (width, height)) = if bytes.starts_with(PNG_MAGIC) {
            match png_size(&bytes) {
                Some(size) => (LogoKind::Png, size),
                None => return refuse("is not a PNG image agencydesk can read"),
            }
        } else {
            match usvg::Tree::from_data(&bytes, &svg_options()) {
                Ok(tree) => (LogoKind::Svg, (tree.size().width(), tree.size().height())),
                Err(_) => return refuse("is neither a PNG nor an SVG image agencydesk can read"),
            }
        };
        if !(width > 0.0 && height > 0.0) {
            return refuse("has no size");
        }
        Ok(Self {
            kind,
            bytes: Arc::new(bytes),
            width,
            height,
        })
    }

    pub fn kind(&self) -> LogoKind {
        self.kind
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The largest size of the logo's proportions within `max_w` x `max_h`.
    pub(super) fn fit(&self, max_w: f32, max_h: f32) -> (f32, f32) {
        let scale = (max_w / self.width).min(max_h / self.height);
        (self.width * scale, self.height * scale)
    }

    /// Draws the logo with its top left corner at `x`, `y`, `w` x `h` points.
    pub(super) fn draw(
        &self,
        surface: &mut Surface<'_>,
        (x, y): (f32, f32),
        (w, h): (f32, f32),
    ) -> Result<(), DocumentError> {
        let size = Size::from_wh(w, h).ok_or_else(|| DocumentError::Pdf("logo size".into()))?;
        surface.push_transform(&Transform::from_translate(x, y));
        let drawn = match self.kind {
            LogoKind::Png => {
                let data: Data = Arc::clone(&self.bytes).into();
                krilla::image::Image::from_png(data, true).map(|image| {
                    surface.draw_image(image, size);
                })
            }
            LogoKind::Svg => usvg::Tree::from_data(&self.bytes, &svg_options())
                .map_err(|e| e.to_string())
                .and_then(|tree| {
                    surface
                        .draw_svg(&tree, size, SvgSettings::default())
                        .ok_or_else(|| "the SVG logo could not be drawn".to_owned())
                }),
        };
        surface.pop();
        drawn.map_err(DocumentError::Pdf)
    }
}

/// Width and height of a PNG, decoding it whole so a damaged file is caught now, not when an
/// invoice is printed.
fn png_size(bytes: &[u8]) -> Option<(f32, f32)> {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().ok()?;
    let info = reader.info();
    let (w, h) = (info.width, info.height);
    if w == 0 || h == 0 || w > MAX_PNG_SIDE || h > MAX_PNG_SIDE {
        return None;
    }
    let mut buffer = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut buffer).ok()?;
    Some((w as f32, h as f32))
}

fn no_file(_href: &str, _options: &usvg::Options<'_>) -> Option<usvg::ImageKind> {
    None
}

/// SVG parsing that reads no file: `<image href="/any/path">` resolves to nothing (embedded
/// `data:` images still draw), and text uses the bundled font, never a system lookup.
fn svg_options() -> usvg::Options<'static> {
    let mut fonts = fontdb::Database::new();
    fonts.load_font_data(DEJAVU_SANS.to_vec());
    // Charts ask for the generic family (plotters writes `sans-serif`).
    fonts.set_sans_serif_family("DejaVu Sans");
    usvg::Options {
        font_family: "DejaVu Sans".to_owned(),
        image_href_resolver: ImageHrefResolver {
            resolve_data: ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(no_file),
        },
        fontdb: Arc::new(fonts),
        ..usvg::Options::default()
    }
}
