//! What `render` and `emulate` share: drawing a frame as SVG or PNG, writing the output, and the
//! legend of the text preview for `--help`.

use std::io::Write as _;
use std::path::Path;

use slipmark::frame::Frame;
use slipmark::{Error, ErrorKind};

/// How to read the text preview (`--format preview`), shown by `--help`.
pub const LEGEND: &str = "\
Reading the text preview (--format preview):
  美味 / Total     CJK and every other double-byte character takes two columns, as on paper;
                   ·—×①° are followed by a space so the columns line up in a terminal
  T o t a l        double width (×2): each glyph at its place on the paper
  \"   \"           a line of ditto marks under a line: that line is double height (×2)
  您好             ×1.33 text is drawn at normal size, packed; the columns it takes stay blank
  +----+           a box is a code or the logo: | QR |, | EAN-13 |, | CODE128 |, | LOGO |
  | QR |           with its data; the printer sizes and centres it
  bold is not drawn. --format svg or png draws all of these at their real size.";

/// The SVG (or PNG) of `frame`.
pub fn picture(frame: &Frame, png: bool) -> Result<Vec<u8>, Error> {
    if !png {
        return Ok(slipmark::preview::svg(frame).into_bytes());
    }
    #[cfg(feature = "png")]
    {
        slipmark::preview::png(frame)
    }
    #[cfg(not(feature = "png"))]
    {
        Err(Error::new(
            ErrorKind::Model,
            "this slipmark was built without the `png` feature: use --format svg",
        ))
    }
}

/// Writes `bytes` to `out`, or to stdout.
pub fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    let io = |what: String, e: std::io::Error| Error::new(ErrorKind::Io, what).with_cause(e);
    match out {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| io(format!("cannot write `{}`: {e}", path.display()), e)),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|()| stdout.flush())
                .map_err(|e| io(format!("cannot write the output: {e}"), e))
        }
    }
}
