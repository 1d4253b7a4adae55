//! The PNG preview: the [SVG preview](super::svg()) rasterised by `resvg` (feature `png`).
//!
//! Glyphs come from the fonts installed on the system (loaded once per process through
//! fontdb/fontconfig), tried in the order of [`FONT_FAMILY`](super::svg::FONT_FAMILY). Install a
//! CJK font for Chinese text: Debian/Ubuntu `fonts-noto-cjk` or `fonts-wqy-zenhei`; macOS ships
//! PingFang SC and Hiragino Sans GB. Without one, CJK glyphs are missing (empty cells), while
//! the positions, codes and paper stay exact, since none of them depends on a font.

use std::sync::{Arc, OnceLock};

use crate::error::{Error, ErrorKind};
use crate::frame::Frame;

/// Pixels per printer dot in [`png`]: 2 gives 768 pixels across 58 mm paper.
pub const PIXELS_PER_DOT: f32 = 2.0;

fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_system_fonts();
        Arc::new(db)
    })
    .clone()
}

/// The PNG of `frame`, [`PIXELS_PER_DOT`] pixels per printer dot.
pub fn png(frame: &Frame) -> Result<Vec<u8>, Error> {
    png_from_svg(&super::svg(frame), PIXELS_PER_DOT)
}

/// Rasterises an SVG (such as [`super::svg()`]'s) at `scale` pixels per unit. External images
/// are never loaded.
pub fn png_from_svg(svg: &str, scale: f32) -> Result<Vec<u8>, Error> {
    let fail = |what: String| Error::new(ErrorKind::Io, format!("cannot draw the PNG: {what}"));
    let options = resvg::usvg::Options {
        fontdb: fonts(),
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| fail(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| fail("the picture has no size".into()))?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
            fail(format!(
                "{}×{} pixels is too large",
                size.width(),
                size.height()
            ))
        })?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| fail(e.to_string()))
}
