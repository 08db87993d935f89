//! The sizes a chart may be drawn at (a leaf: the renderer checks them, the error names them).

pub const MIN_WIDTH: u32 = 320;
pub const MIN_HEIGHT: u32 = 200;
pub const MAX_SIDE: u32 = 4000;
/// The size used when the caller has no preference: 16:9, readable when scaled down.
pub const DEFAULT_SIZE: (u32, u32) = (960, 540);
