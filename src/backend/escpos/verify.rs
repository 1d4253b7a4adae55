//! The independent re-reading of ESC/POS bytes (the lowering runs it in debug builds and tests,
//! and a caller can on [`Job::outputs`](crate::printer::Job::outputs)): re-reads one copy of
//! the job and refuses it unless it starts with `ESC @ FS &`, holds only the commands the lowering writes
//! (with values in range), text is valid GBK, `ESC a` stands at line starts, no line passes the
//! paper and nothing follows the cut.

use crate::backend::Model;
use crate::error::{Error, ErrorKind};

use super::{ESC, FS, GS, LF};

/// Checks one copy of a job's bytes against `model` on a paper of `columns`.
pub fn verify(bytes: &[u8], model: &Model, columns: u16) -> Result<(), Error> {
    let bug = |msg: String, at: usize| {
        Error::new(ErrorKind::Model, format!("{msg} at byte {at}"))
            .with_hint("this is a slipmark bug; please report it")
    };
    if !bytes.starts_with(&[ESC, b'@', FS, b'&']) {
        return Err(bug("the job does not start with ESC @ FS &".into(), 0));
    }
    let paper = u32::from(columns) * 12;
    let (mut x, mut wide, mut i, mut cut) = (0u32, 1u32, 4usize, false);
    let arg = |i: usize| {
        bytes
            .get(i)
            .copied()
            .ok_or_else(|| bug("a truncated command".into(), i))
    };
    while i < bytes.len() {
        let b = bytes[i];
        if cut {
            return Err(bug("bytes after the cut".into(), i));
        }
        let mut advance = |dots: u32, at: usize| {
            x += dots * wide;
            if x > paper {
                Err(bug(format!("a line passes the {columns}-column paper"), at))
            } else {
                Ok(())
            }
        };
        match b {
            LF => {
                x = 0;
                i += 1;
            }
            ESC if arg(i + 1)? == b'p' && model.drawer => {
                arg(i + 4)?;
                i += 5;
            }
            ESC => {
                let (cmd, n) = (arg(i + 1)?, arg(i + 2)?);
                match cmd {
                    b'E' if n <= 1 && model.styles.bold => {}
                    b'a' if n <= 2 && x == 0 => {}
                    b'd' => {}
                    _ => return Err(bug(format!("unexpected ESC {cmd:#04x} {n}"), i)),
                }
                i += 3;
            }
            GS => {
                let cmd = arg(i + 1)?;
                match cmd {
                    b'!' => {
                        let n = arg(i + 2)?;
                        let (w, h) = (n >> 4, n & 0x0f);
                        if w > 1
                            || h > 1
                            || (w == 1 && !model.styles.wide2)
                            || (h == 1 && !model.styles.tall2)
                        {
                            return Err(bug(format!("size GS ! {n:#04x}"), i));
                        }
                        wide = u32::from(w) + 1;
                        i += 3;
                    }
                    b'V' if arg(i + 2)? <= 1 && model.cut => {
                        cut = true;
                        i += 3;
                    }
                    b'h' | b'w' | b'H' => i += 3,
                    b'(' => {
                        if arg(i + 2)? != b'k' || arg(i + 5)? != 49 || model.codes.qr.is_none() {
                            return Err(bug("an unexpected GS ( command".into(), i));
                        }
                        let len = usize::from(arg(i + 3)?) + 256 * usize::from(arg(i + 4)?);
                        if !matches!(arg(i + 6)?, 65 | 67 | 69 | 80 | 81) || len < 3 {
                            return Err(bug("an unexpected QR function".into(), i));
                        }
                        i += 5 + len;
                    }
                    b'k' => {
                        let (m, n) = (arg(i + 2)?, usize::from(arg(i + 3)?));
                        let ok = match m {
                            67 => model.codes.ean13 && n == 12,
                            73 => model.codes.code128.is_some() || model.codes.code128c.is_some(),
                            _ => false,
                        };
                        if !ok {
                            return Err(bug(format!("barcode GS k {m}"), i));
                        }
                        i += 4 + n;
                    }
                    _ => return Err(bug(format!("unexpected GS {cmd:#04x}"), i)),
                }
                if i > bytes.len() {
                    return Err(bug("a truncated command".into(), bytes.len()));
                }
            }
            0x20..=0x7e => {
                advance(12, i)?;
                i += 1;
            }
            0x81..=0xfe => {
                let trail = arg(i + 1)?;
                if !(0x40..=0xfe).contains(&trail) || trail == 0x7f {
                    return Err(bug(format!("invalid GBK bytes {b:#04x} {trail:#04x}"), i));
                }
                advance(24, i)?;
                i += 2;
            }
            _ => return Err(bug(format!("a stray byte {b:#04x}"), i)),
        }
    }
    Ok(())
}
