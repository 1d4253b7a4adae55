//! A paper simulator for ESC/POS bytes, written from the command table of
//! `shared/spec/other-dialects.md` and the Epson command reference, not from the lowering: it
//! reads the bytes as a printer would (`ESC @` starts a job, `FS &` Chinese mode, GBK double
//! bytes, `GS !` sizes, `ESC E` bold, `GS ( k` QR, `GS k` barcodes, `GS V` cut, `LF`), puts
//! every character on a grid of dots, and counts a character that passes the paper (the
//! printer would wrap it) in `overflows`. Commands it does not know are listed in `unknown`.

#![allow(dead_code)]

use super::paper::{Glyph, PaperLine};

/// What the printer did with the bytes.
#[derive(Debug, Clone, Default)]
pub struct EscPaper {
    /// One entry per job started by `ESC @` (copies are repeated jobs): its lines.
    pub jobs: Vec<Vec<PaperLine>>,
    /// Commands or bytes the simulator does not know.
    pub unknown: Vec<String>,
    /// Characters that passed the paper.
    pub overflows: usize,
    /// `GS V` cuts.
    pub cuts: usize,
    /// Lines fed by `ESC d` (before a cut), not part of the receipt's lines.
    pub fed: usize,
    /// Whether each job entered Chinese mode before its first text.
    pub chinese: Vec<bool>,
    /// Cash drawer kicks (`ESC p`).
    pub drawer_kicks: usize,
    /// Every command read, in order, with its parameters (`ESC E 1`, `GS ! 17`, `GS k 73`…;
    /// code data is not part of the name).
    pub commands: Vec<String>,
}

/// Simulates `bytes` on a paper `columns` half-width columns wide.
pub fn simulate(bytes: &[u8], columns: u16) -> EscPaper {
    let paper = u32::from(columns) * 12;
    let mut out = EscPaper::default();
    let mut line: Vec<Glyph> = Vec::new();
    let (mut x, mut sw, mut sh, mut bold, mut chinese) = (0u32, 1u32, 1u32, false, false);
    let mut i = 0;
    let get = |i: usize| bytes.get(i).copied().unwrap_or(0);
    macro_rules! lines {
        () => {
            out.jobs.last_mut().expect("text before ESC @")
        };
    }
    while i < bytes.len() {
        let b = bytes[i];
        if (0x1b..=0x1d).contains(&b) {
            let name = match (b, get(i + 1)) {
                (0x1b, c @ (b'E' | b'a' | b'd')) => {
                    format!("ESC {} {}", char::from(c), get(i + 2))
                }
                (0x1d, c @ (b'!' | b'V' | b'h' | b'w' | b'H')) => {
                    format!("GS {} {}", char::from(c), get(i + 2))
                }
                (0x1d, b'(') => format!("GS ( k {}", get(i + 6)),
                (0x1d, b'k') => format!("GS k {}", get(i + 2)),
                (0x1b, c) => format!("ESC {}", char::from(c)),
                (0x1c, c) => format!("FS {}", char::from(c)),
                (_, c) => format!("GS {}", char::from(c)),
            };
            out.commands.push(name);
        }
        match b {
            0x1b => match get(i + 1) {
                b'@' => {
                    if !line.is_empty() {
                        lines!().push(PaperLine::Text(std::mem::take(&mut line)));
                    }
                    out.jobs.push(Vec::new());
                    out.chinese.push(false);
                    (x, sw, sh, bold, chinese) = (0, 1, 1, false, false);
                    i += 2;
                }
                b'E' => {
                    bold = get(i + 2) & 1 == 1;
                    i += 3;
                }
                b'a' => i += 3,
                b'd' => {
                    out.fed += usize::from(get(i + 2));
                    i += 3;
                }
                b'p' => {
                    out.drawer_kicks += 1;
                    i += 5;
                }
                other => {
                    out.unknown.push(format!("ESC {other:#04x}"));
                    i += 2;
                }
            },
            0x1c => match get(i + 1) {
                b'&' => {
                    chinese = true;
                    *out.chinese.last_mut().unwrap() = true;
                    i += 2;
                }
                other => {
                    out.unknown.push(format!("FS {other:#04x}"));
                    i += 2;
                }
            },
            0x1d => match get(i + 1) {
                b'!' => {
                    let n = get(i + 2);
                    sw = u32::from(n >> 4) + 1;
                    sh = u32::from(n & 15) + 1;
                    i += 3;
                }
                b'V' => {
                    out.cuts += 1;
                    i += 3;
                }
                b'h' | b'w' | b'H' => i += 3,
                b'(' if get(i + 2) == b'k' => {
                    let len = usize::from(get(i + 3)) + 256 * usize::from(get(i + 4));
                    let (cn, fun) = (get(i + 5), get(i + 6));
                    let data = &bytes[(i + 8).min(bytes.len())..(i + 5 + len).min(bytes.len())];
                    if cn == 49 && fun == 80 {
                        // Store: remembered until printed.
                        lines!().push(PaperLine::Code(
                            "QR".into(),
                            String::from_utf8_lossy(data).into_owned(),
                        ));
                    } else if !(cn == 49 && matches!(fun, 65 | 67 | 69 | 81)) {
                        out.unknown.push(format!("GS ( k {cn} {fun}"));
                    }
                    i += 5 + len;
                }
                b'k' => {
                    let (m, n) = (get(i + 2), usize::from(get(i + 3)));
                    let data = &bytes[(i + 4).min(bytes.len())..(i + 4 + n).min(bytes.len())];
                    let code = match m {
                        67 => {
                            // 12 digits; the printer adds the check digit.
                            let d: Vec<u32> = data.iter().map(|b| u32::from(b - b'0')).collect();
                            let sum: u32 = d
                                .iter()
                                .enumerate()
                                .map(|(i, v)| if i % 2 == 0 { *v } else { v * 3 })
                                .sum();
                            let s = String::from_utf8_lossy(data);
                            Some(("BR", format!("{s}{}", (10 - sum % 10) % 10)))
                        }
                        73 => Some(decode_code128(data)),
                        _ => None,
                    };
                    match code {
                        Some((kind, text)) => lines!().push(PaperLine::Code(kind.into(), text)),
                        None => out.unknown.push(format!("GS k {m}")),
                    }
                    i += 4 + n;
                }
                other => {
                    out.unknown.push(format!("GS {other:#04x}"));
                    i += 2;
                }
            },
            b'\n' => {
                lines!().push(PaperLine::Text(std::mem::take(&mut line)));
                x = 0;
                i += 1;
            }
            0x20..=0x7e | 0x81..=0xfe => {
                let (ch, len) = if b < 0x80 {
                    (char::from(b), 1)
                } else {
                    let (s, _, bad) = encoding_rs::GBK.decode(&bytes[i..(i + 2).min(bytes.len())]);
                    if bad || !chinese {
                        out.unknown
                            .push(format!("byte {b:#04x} outside Chinese mode or GBK"));
                    }
                    (s.chars().next().unwrap_or('\u{fffd}'), 2)
                };
                let w = 12 * len as u32 * sw;
                if x + w > paper {
                    out.overflows += 1;
                    lines!().push(PaperLine::Text(std::mem::take(&mut line)));
                    x = 0;
                }
                line.push(Glyph {
                    x,
                    ch,
                    bold,
                    w: 3 * sw,
                    h: 3 * sh,
                });
                x += w;
                i += len;
            }
            other => {
                out.unknown.push(format!("byte {other:#04x}"));
                i += 1;
            }
        }
    }
    if !line.is_empty() {
        lines!().push(PaperLine::Text(line));
    }
    out
}

/// A `GS k 73` body: `{B`/`{C` code-set switches, `{{` a literal `{`. Returns the kind as
/// `expected_paper` names it (`BR2` set B only, `BR3` when set C carries digits) and the text a
/// scanner reads.
fn decode_code128(data: &[u8]) -> (&'static str, String) {
    let (mut set, mut text, mut used_c) = (b'B', String::new(), false);
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'{' && i + 1 < data.len() && data[i + 1] != b'{' {
            set = data[i + 1];
            i += 2;
            continue;
        }
        if data[i] == b'{' {
            i += 1;
        }
        if set == b'C' {
            used_c = true;
            text.push_str(&format!("{:02}", data[i]));
        } else {
            text.push(char::from(data[i]));
        }
        i += 1;
    }
    (if used_c { "BR3" } else { "BR2" }, text)
}
