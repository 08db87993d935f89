//! Pages as lists of placed items, laid out first and drawn after, so every page can say
//! "page 2 of 3". Coordinates are points from the top left corner of an A4 page.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::Document;

use super::error::DocumentError;
use super::font::Face;
use super::logo::Logo;

pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const MARGIN: f32 = 48.0;
/// Room kept at the foot of every page for the footer line.
const FOOTER: f32 = 36.0;

/// Text colours: body, secondary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ink {
    Body,
    Muted,
}

impl Ink {
    fn rgb(self) -> (u8, u8, u8) {
        match self {
            Self::Body => (20, 24, 31),
            Self::Muted => (95, 104, 117),
        }
    }
}

#[derive(Debug, Clone)]
enum Item {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        ink: Ink,
        text: String,
    },
    /// A filled rectangle, grey level 0 (black) to 255 (white).
    Band {
        rect: (f32, f32, f32, f32),
        grey: u8,
    },
    /// `pictures[index]` drawn at `at`, `size` points.
    Picture {
        index: usize,
        at: (f32, f32),
        size: (f32, f32),
    },
}

/// A document being laid out: pages of items and a cursor `y` on the last page.
pub(super) struct Pages<'f> {
    pub face: &'f Face,
    pages: Vec<Vec<Item>>,
    pictures: Vec<Logo>,
    pub y: f32,
}

impl<'f> Pages<'f> {
    pub fn new(face: &'f Face) -> Self {
        Self {
            face,
            pages: vec![Vec::new()],
            pictures: Vec::new(),
            y: MARGIN,
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Starts a new page unless `height` more points fit on this one; `true` if it did.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height <= PAGE_H - MARGIN - FOOTER {
            return false;
        }
        self.pages.push(Vec::new());
        self.y = MARGIN;
        true
    }

    /// Text with its baseline at `y`, starting at `x`.
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, ink: Ink, text: &str) {
        if !text.is_empty() {
            self.push(Item::Text {
                x,
                y,
                size,
                ink,
                text: text.to_owned(),
            });
        }
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, ink: Ink, text: &str) {
        let x = right - self.face.width(text, size);
        self.text_at(x, y, size, ink, text);
    }

    pub fn band(&mut self, x: f32, y: f32, w: f32, h: f32, grey: u8) {
        self.push(Item::Band {
            rect: (x, y, w, h),
            grey,
        });
    }

    /// A logo or chart (PNG or SVG) at `at`, `size` points.
    pub fn picture(&mut self, picture: &Logo, at: (f32, f32), size: (f32, f32)) {
        self.pictures.push(picture.clone());
        let index = self.pictures.len() - 1;
        self.push(Item::Picture { index, at, size });
    }

    /// Draws every page, with `footer(page, pages)` at the foot of each.
    pub fn finish(
        self,
        title: &str,
        footer: impl Fn(usize, usize) -> String,
    ) -> Result<Vec<u8>, DocumentError> {
        let face = self.face;
        let total = self.pages.len();
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .creator("agencydesk".to_owned()),
        );
        for (index, items) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| DocumentError::Pdf("page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for item in items {
                match item.clone() {
                    Item::Text {
                        x,
                        y,
                        size,
                        ink,
                        text,
                    } => draw_text(&mut surface, face, (x, y), size, ink, &text),
                    Item::Band { rect, grey } => {
                        let (x, y, w, h) = rect;
                        let mut path = PathBuilder::new();
                        if let Some(r) = Rect::from_xywh(x, y, w, h) {
                            path.push_rect(r);
                        }
                        if let Some(path) = path.finish() {
                            surface.set_fill(Some(fill((grey, grey, grey))));
                            surface.draw_path(&path);
                        }
                    }
                    Item::Picture { index, at, size } => {
                        if let Some(picture) = self.pictures.get(index) {
                            picture.draw(&mut surface, at, size)?;
                        }
                    }
                }
            }
            let text = footer(index + 1, total);
            draw_text(
                &mut surface,
                face,
                (MARGIN, PAGE_H - MARGIN + 12.0),
                8.0,
                Ink::Muted,
                &text,
            );
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
    }
}

fn fill((r, g, b): (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::default(),
    }
}

fn draw_text(
    surface: &mut krilla::surface::Surface<'_>,
    face: &Face,
    (x, y): (f32, f32),
    size: f32,
    ink: Ink,
    text: &str,
) {
    surface.set_fill(Some(fill(ink.rgb())));
    let glyphs = face.glyphs(text);
    surface.draw_glyphs(
        Point::from_xy(x, y),
        &glyphs,
        face.pdf.clone(),
        text,
        size,
        false,
    );
}
