//! `slipmark models`: the printer model catalogue, with what each model can print and which of
//! those facts are assumed.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use slipmark::backend::{Basis, Capability, Catalogue, DialectName, Model, VoiceTag};

/// Arguments of `slipmark models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Show only the model this name resolves to (family id or model number, e.g. K4-WA).
    pub name: Option<String>,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Print the records as JSON instead of a listing.
    #[arg(long)]
    pub json: bool,
}

/// Runs `slipmark models`.
pub fn run(args: ModelsArgs) -> ExitCode {
    match output(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the catalogue the flags ask for.
pub fn load_catalogue(path: Option<&PathBuf>) -> Result<Catalogue, slipmark::Error> {
    let Some(path) = path else {
        return Ok(Catalogue::builtin());
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        slipmark::Error::new(
            slipmark::ErrorKind::Io,
            format!("cannot read {}: {e}", path.display()),
        )
        .with_cause(e)
    })?;
    if path.extension().is_some_and(|e| e == "json") {
        Catalogue::from_json_str(&text)
    } else {
        Catalogue::from_toml_str(&text)
    }
}

fn output(args: &ModelsArgs) -> Result<String, slipmark::Error> {
    let cat = load_catalogue(args.catalogue.as_ref())?;
    let models: Vec<&Model> = match &args.name {
        Some(name) => vec![cat.resolve(name)?],
        None => cat.models().iter().collect(),
    };
    if args.json {
        let mut s = serde_json::to_string_pretty(&models).unwrap_or_default();
        s.push('\n');
        return Ok(s);
    }
    let mut out = String::new();
    for m in models {
        listing(&mut out, m);
    }
    out.push_str(
        "* assumed: the vendor's page for it was not seen; correct with --catalogue FILE\n",
    );
    Ok(out)
}

fn paper(columns: u16) -> String {
    match columns {
        32 => "58 mm (32 columns)".into(),
        48 => "80 mm (48 columns)".into(),
        72 => "108 mm (72 columns)".into(),
        n => format!("{n} columns"),
    }
}

/// What one capability looks like in the listing, with its limits.
fn describe(m: &Model, cap: Capability) -> String {
    let name = cap.name();
    match cap {
        Capability::Qr => match m.codes.qr {
            Some(q) => format!("qr ≤{}B", q.max_bytes),
            None => name.into(),
        },
        Capability::Code128 => match m.codes.code128 {
            Some(c) => format!("code128 ≤{}", c.max_len),
            None => name.into(),
        },
        Capability::Code128c => match m.codes.code128c {
            Some(c) => format!("code128c ≤{}/{}", c.max_odd, c.max_even),
            None => name.into(),
        },
        Capability::Copies => match m.copies {
            Some(c) => format!("copies {}–{}", c.min, c.max),
            None => name.into(),
        },
        Capability::Voice => match m.voice {
            Some(v) => {
                let tag = match v.tag {
                    VoiceTag::Audio => "<audio>",
                    VoiceTag::Tts => "<TTS>",
                    _ => "voice",
                };
                format!("voice {tag} ≤{} chars", v.max_chars)
            }
            None => name.into(),
        },
        Capability::PrintWidth => match m.print_width {
            Some(p) => format!("print-width ≤{} mm", p.max_mm),
            None => name.into(),
        },
        _ => name.into(),
    }
}

/// Whether a capability means anything in a dialect (Yilianyun's alignment tags, `<MA>`, `<MS>`,
/// `<MC>`, `<RS>`, `<PW>` have no counterpart in the others, so their listings leave them out).
fn listed(dialect: DialectName, cap: Capability) -> bool {
    if dialect == DialectName::Yilianyun {
        return cap != Capability::Drawer;
    }
    !matches!(
        cap,
        Capability::Center
            | Capability::Right
            | Capability::LeftRight
            | Capability::Table
            | Capability::Reminder
            | Capability::Sound
            | Capability::Confirm
            | Capability::RowSpacing
            | Capability::PrintWidth
    )
}

fn listing(out: &mut String, m: &Model) {
    let mark = |cap| {
        if m.basis(cap) == Basis::Assumed {
            "*"
        } else {
            ""
        }
    };
    let _ = writeln!(
        out,
        "{:<8} {}, {}{}",
        m.id,
        m.name,
        paper(m.paper.default_columns),
        mark(Capability::Paper)
    );
    let mut names: Vec<String> = m.models.clone();
    for s in &m.series {
        names.push(match m.letter {
            Some(c) => format!("{s}-…{c}…"),
            None => format!("{s}, {s}-…"),
        });
    }
    if !names.is_empty() {
        let _ = writeln!(out, "         names: {}", names.join(", "));
    }
    if m.dialect != DialectName::Yilianyun {
        let _ = writeln!(out, "         dialect: {}", m.dialect.name());
    }
    let (mut has, mut lacks) = (Vec::new(), Vec::new());
    for cap in Capability::ALL {
        if matches!(cap, Capability::Paper | Capability::Limits) || !listed(m.dialect, cap) {
            continue;
        }
        let item = format!("{}{}", describe(m, cap), mark(cap));
        if m.has(cap) {
            has.push(item);
        } else {
            lacks.push(item);
        }
    }
    let _ = writeln!(out, "         has: {}", has.join(", "));
    let _ = writeln!(out, "         lacks: {}", lacks.join(", "));
    if m.dialect == DialectName::Yilianyun {
        let _ = writeln!(
            out,
            "         limits{}: {} alignment tags per job, {} characters",
            mark(Capability::Limits),
            m.limits.native_budget,
            m.limits.max_content_chars
        );
    } else {
        let mut limits = Vec::new();
        if let Some(n) = m.codes.qr.and_then(|q| q.max_per_job) {
            limits.push(format!("{n} QR code per job"));
        }
        if let Some(b) = m.limits.max_content_bytes {
            limits.push(format!("{b} bytes"));
        }
        if !limits.is_empty() {
            let _ = writeln!(
                out,
                "         limits{}: {}",
                mark(Capability::Limits),
                limits.join(", ")
            );
        }
    }
    let _ = writeln!(out, "         source: {}", m.source);
    for note in &m.notes {
        let _ = writeln!(out, "         note: {note}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_model_listing_marks_assumed_capabilities() {
        let args = ModelsArgs {
            name: Some("K7-WEADC".into()),
            catalogue: None,
            json: false,
        };
        let text = output(&args).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "k7-a     K7 with AI voice (A models), 80 mm (48 columns)*"
        );
        assert!(lines[2].contains("table*"), "{}", lines[2]);
        assert!(
            lines[2].contains("voice <audio> ≤100 chars,"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("         lacks: logo*"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn an_unknown_name_is_an_error() {
        let args = ModelsArgs {
            name: Some("Z9".into()),
            catalogue: None,
            json: true,
        };
        assert_eq!(
            output(&args).unwrap_err().kind(),
            slipmark::ErrorKind::UnknownModel
        );
    }
}
