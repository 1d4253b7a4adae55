//! Job settings as control tags at the very start of the content (spec G6).
//!
//! Decisions:
//! - Order: `<PW>`, `<MN>`, `<MA>`, `<MS>`, `<MC>`, `<MK>`, `<ML>`, then the voice tag; no
//!   newline after them (a job of only control tags prints nothing, spec G10).
//! - `copies: 1` with a reminder emits no `<MN>` (one copy is what any job prints) so the two do
//!   not clash; `copies` above 1 with a reminder (`<MN>` must not be combined with `<MA>`)
//!   prints the copies and skips the reminder with a warning whose hint gives the other way
//!   (drop `copies:` and send the job n times).
//! - `sound: buzzer|speaker [0–3]` is `<MS>mode,volume</MS>` (mode 0 buzzer, 1 speaker; volume 2
//!   when not given). `reminder: buzzer` on a model with `<MS>` but no `<MA>` (X1) is sent as
//!   `<MS>0,2</MS>`, the same buzzer.
//! - `confirm: on|SECONDS` is `<MC>4,SSSSS,2</MC>`: state 4 (confirmation on, no automatic footer
//!   and no print after the key press, so the paper stays what the preview shows), the timeout
//!   in five digits, 2 = no automatic report on timeout.
//! - `<PW>` (K5) is emitted when the frame's width differs from the model's default paper:
//!   `columns × 12 dots ÷ 8 dots/mm` mm, three digits.
//! - Voice: `<audio>text,volume,0</audio>` (the 3-field form of S-AUDIO, female voice, the
//!   model's default volume when none is set) or `<TTS>text</TTS>`. The limit counts characters
//!   (S-AUDIO). Commas in the text become `，` so they cannot shift the fields; `<`, `>` and line
//!   breaks are neutralised as in text. `volume` without voice, or with `<TTS>` (no volume
//!   field), is ignored with a warning.
//! - `cut:`, `voice:`, `volume:`, `reminder:`, `sound:` and `confirm:` on a model without them
//!   are skipped with a warning (`language.md` §5: their loss prints nothing less); strict mode
//!   ([`RenderOptions::deny_warnings`]) makes them errors. Codes the model lacks are errors.
//! - `<RS>`, `<MP>` exist in the catalogue but no template setting asks for them, so they are
//!   never emitted.

use crate::backend::model::{Model, VoiceTag};
use crate::document::{Cut, JobSettings, Reminder, Sound, SoundDevice};
use crate::error::{Error, ErrorKind, Warning, WarningKind};
use crate::printer::{JobSummary, RenderOptions, VoiceSummary};
use crate::span::{Span, Spanned};

use super::neutralise::neutralise_text;

/// Builds the control tags. `logo` is the span of a logo item, if the frame has one.
pub(crate) fn control_tags(
    settings: &JobSettings,
    model: &Model,
    columns: u16,
    logo: Option<Span>,
    options: RenderOptions,
    warnings: &mut Vec<Warning>,
) -> Result<JobSummary, Error> {
    let _ = options;
    let mut sum = JobSummary::default();
    // A setting the model cannot honour whose loss prints nothing less: a warning, nothing sent.
    let skip = |msg: String, span: Span, warnings: &mut Vec<Warning>| {
        warnings.push(
            Warning::new(
                WarningKind::Approximated,
                format!("{msg}; the order prints without it"),
                span,
            )
            .with_hint(
                "guard the setting with `{% if printer.has.… %}`, or pass --deny-warnings to make this an error",
            ),
        );
    };
    // `reminder: buzzer` on a model with `<MS>` but no `<MA>` (X1) is the buzzer sound.
    let mut sound = settings.sound.as_ref().map(|s| s.value);
    let reminder = match &settings.reminder {
        Some(rem) if !model.reminder => {
            if rem.value == Reminder::Buzzer && model.sound && sound.is_none() {
                sound = Some(Sound {
                    device: SoundDevice::Buzzer,
                    volume: 2,
                });
            } else if rem.value != Reminder::None {
                skip(
                    format!("the {} has no new-order reminder (`<MA>`)", model.name),
                    rem.span,
                    warnings,
                );
            }
            None
        }
        other => other.as_ref(),
    };
    // `<MN>` must not be combined with `<MA>`: more than one copy wins (it prints more), the
    // reminder is skipped like any sound the job cannot carry.
    let reminder = match (reminder, &settings.copies) {
        (Some(rem), Some(copies)) if copies.value > 1 && model.copies.is_some() => {
            warnings.push(
                Warning::new(
                    WarningKind::Approximated,
                    format!(
                        "the {} cannot combine copies with a reminder (`<MN>` with `<MA>`); \
                         the order prints {} copies without the reminder",
                        model.name, copies.value
                    ),
                    rem.span,
                )
                .with_label(copies.span, "copies set here")
                .with_hint(format!(
                    "to keep the reminder, drop `copies:` and send the job {} times",
                    copies.value
                )),
            );
            None
        }
        (other, _) => other,
    };
    let paper_span = settings.paper.as_ref().map_or(Span::default(), |p| p.span);
    print_width(model, columns, paper_span, &mut sum)?;
    if let Some(copies) = &settings.copies {
        copies_tag(copies, reminder, model, &mut sum)?;
    }
    if let Some(rem) = reminder {
        let n = match rem.value {
            Reminder::None => 0,
            Reminder::Buzzer => 1,
            Reminder::Voice => 2,
            Reminder::System => 3,
        };
        sum.reminder = Some(rem.value);
        sum.tags.push(format!("<MA>{n}</MA>"));
    }
    match (sound, model.sound) {
        (Some(s), true) => {
            let mode = match s.device {
                SoundDevice::Buzzer => 0,
                SoundDevice::Speaker => 1,
            };
            sum.sound = Some(s);
            sum.tags.push(format!("<MS>{mode},{}</MS>", s.volume));
        }
        (Some(_), false) => {
            let span = settings.sound.as_ref().map_or(Span::default(), |s| s.span);
            skip(
                format!("the {} has no new-order sound (`<MS>`)", model.name),
                span,
                warnings,
            );
        }
        (None, _) => {}
    }
    if let Some(confirm) = &settings.confirm {
        if model.confirm {
            // 4: confirmation on, no footer or post-action print the preview would not show;
            // 2: no automatic report on timeout.
            sum.confirm = Some(confirm.value.timeout_secs);
            sum.tags
                .push(format!("<MC>4,{:05},2</MC>", confirm.value.timeout_secs));
        } else {
            skip(
                format!("the {} has no order confirmation (`<MC>`)", model.name),
                confirm.span,
                warnings,
            );
        }
    }
    if let Some(cut) = &settings.cut {
        if model.cut {
            cut_tag(cut, &mut sum);
        } else if cut.value != Cut::None {
            skip(
                format!("the {} has no cutter", model.name),
                cut.span,
                warnings,
            );
        }
    }

    if let Some(drawer) = &settings.drawer {
        skip(
            format!("the {} has no cash drawer instruction", model.name),
            drawer.span,
            warnings,
        );
    }
    if logo.is_some() {
        sum.logo = true;
        sum.tags.push("<ML>1</ML>".into());
    }

    if let (Some(v), None) = (&settings.voice, model.voice) {
        skip(format!("the {} has no voice", model.name), v.span, warnings);
        if let Some(vol) = &settings.volume {
            skip(
                format!("the {} has no voice volume", model.name),
                vol.span,
                warnings,
            );
        }
        return Ok(sum);
    }
    voice(settings, model, &mut sum, warnings)?;
    Ok(sum)
}

/// A limit of the model, at `span`.
fn err(msg: String, span: Span) -> Error {
    Error::new(ErrorKind::Model, msg).at(span)
}

/// `<PW>` when the paper differs from the model's default (and the model can set it); an error
/// when the paper is wider than the model prints.
fn print_width(
    model: &Model,
    columns: u16,
    paper_span: Span,
    sum: &mut JobSummary,
) -> Result<(), Error> {
    match model.print_width {
        Some(pw) if columns != model.paper.default_columns => {
            let mm = u32::from(columns) * 12 / 8;
            if mm > u32::from(pw.max_mm) {
                return Err(err(
                    format!(
                        "{columns} columns need {mm} mm; the {} prints at most {} mm",
                        model.name, pw.max_mm
                    ),
                    paper_span,
                ));
            }
            let mm = mm as u16;
            sum.print_width_mm = Some(mm);
            sum.tags.push(format!("<PW>{mm:03}</PW>"));
        }
        None if columns > model.paper.max_columns => {
            return Err(err(
                format!(
                    "the paper is {columns} columns; the {} prints at most {}",
                    model.name, model.paper.max_columns
                ),
                paper_span,
            ));
        }
        _ => {}
    }
    Ok(())
}

/// `<MN>`: within the model's range, never more than one copy with a reminder, and left out
/// for one copy with a reminder.
fn copies_tag(
    copies: &Spanned<u8>,
    reminder: Option<&Spanned<Reminder>>,
    model: &Model,
    sum: &mut JobSummary,
) -> Result<(), Error> {
    let caps = model.copies.ok_or_else(|| {
        err(
            format!("the {} cannot print copies", model.name),
            copies.span,
        )
    })?;
    let n = copies.value;
    if !(caps.min..=caps.max).contains(&n) {
        return Err(err(
            format!(
                "{n} copies; the {} prints {}–{}",
                model.name, caps.min, caps.max
            ),
            copies.span,
        ));
    }
    if reminder.is_none() || n > 1 {
        sum.copies = Some(n);
        sum.tags.push(format!("<MN>{n}</MN>"));
    }
    Ok(())
}

/// `<MK>`, on a model with a cutter.
fn cut_tag(cut: &Spanned<Cut>, sum: &mut JobSummary) {
    let n = match cut.value {
        Cut::None => 0,
        Cut::Half => 1,
        Cut::Partial => 2,
        Cut::Full => 3,
    };
    sum.cut = Some(cut.value);
    sum.tags.push(format!("<MK>{n}</MK>"));
}

fn voice(
    settings: &JobSettings,
    model: &Model,
    sum: &mut JobSummary,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let Some(voice) = &settings.voice else {
        if let Some(vol) = &settings.volume {
            warnings.push(Warning::new(
                WarningKind::Approximated,
                "volume has no effect without voice",
                vol.span,
            ));
        }
        return Ok(());
    };
    let caps = model.voice.ok_or_else(|| {
        Error::new(ErrorKind::Model, format!("the {} has no voice", model.name))
            .at(voice.span)
            .with_hint("voice needs a model with `A` (<audio>) or `S` (<TTS>) in its number")
    })?;
    let text = neutralise_text(&voice.value).replace(',', "，");
    let text = text.trim();
    if text.is_empty() {
        warnings.push(Warning::new(
            WarningKind::Approximated,
            "voice text is empty; nothing is spoken",
            voice.span,
        ));
        return Ok(());
    }
    let n = text.chars().count();
    if n > usize::from(caps.max_chars) {
        return Err(Error::new(
            ErrorKind::Model,
            format!(
                "voice text is {n} characters; the {} speaks at most {}",
                model.name, caps.max_chars
            ),
        )
        .at(voice.span));
    }
    let volume = match (caps.volume, &settings.volume) {
        (Some(range), Some(v)) if !(range.min..=range.max).contains(&v.value) => {
            return Err(Error::new(
                ErrorKind::Model,
                format!(
                    "volume {}; the {} takes {}–{}",
                    v.value, model.name, range.min, range.max
                ),
            )
            .at(v.span));
        }
        (Some(_), Some(v)) => Some(v.value),
        (Some(range), None) => Some(range.default),
        (None, Some(v)) => {
            warnings.push(Warning::new(
                WarningKind::Approximated,
                format!("the {} voice has no volume; ignored", model.name),
                v.span,
            ));
            None
        }
        (None, None) => None,
    };
    let tag = match (caps.tag, volume) {
        (VoiceTag::Audio, Some(v)) => format!("<audio>{text},{v},0</audio>"),
        (VoiceTag::Audio, None) => format!("<audio>{text},,0</audio>"),
        (VoiceTag::Tts, _) => format!("<TTS>{text}</TTS>"),
    };
    sum.tags.push(tag);
    sum.voice = Some(VoiceSummary {
        tag: caps.tag,
        text: text.to_string(),
        volume,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::span::Spanned;

    fn at(n: usize) -> Span {
        Span::new(0, n, n + 1)
    }

    fn run(settings: &JobSettings, model: &str, columns: u16) -> Result<JobSummary, Error> {
        let cat = Catalogue::builtin();
        let model = cat.resolve(model).unwrap();
        control_tags(
            settings,
            model,
            columns,
            None,
            RenderOptions::default(),
            &mut Vec::new(),
        )
    }

    #[test]
    fn copies_reminder_and_cut_become_control_tags() {
        let s = JobSettings {
            copies: Some(Spanned::new(2, at(1))),
            cut: Some(Spanned::new(Cut::Partial, at(2))),
            ..JobSettings::default()
        };
        assert_eq!(
            run(&s, "x1", 32).unwrap().tags,
            ["<MN>2</MN>", "<MK>2</MK>"]
        );
        let s = JobSettings {
            copies: Some(Spanned::new(1, at(1))),
            reminder: Some(Spanned::new(Reminder::Voice, at(2))),
            ..JobSettings::default()
        };
        assert_eq!(run(&s, "k2s", 32).unwrap().tags, ["<MA>2</MA>"]);
    }

    #[test]
    fn limits_fail_at_the_setting_span() {
        let copies = |n| JobSettings {
            copies: Some(Spanned::new(n, at(1))),
            ..JobSettings::default()
        };
        let e = run(&copies(10), "k4", 32).unwrap_err();
        assert_eq!(e.message(), "10 copies; the K4 (old firmware) prints 1–9");
        assert_eq!(e.span(), Some(at(1)));
        assert!(run(&copies(0), "k4", 32).is_err());
        let s = JobSettings {
            reminder: Some(Spanned::new(Reminder::Buzzer, at(3))),
            ..copies(3)
        };
        let mut warnings = Vec::new();
        let cat = Catalogue::builtin();
        let sum = control_tags(
            &s,
            cat.resolve("k2s").unwrap(),
            32,
            None,
            RenderOptions::default(),
            &mut warnings,
        )
        .unwrap();
        assert_eq!(sum.tags, ["<MN>3</MN>"]);
        assert!(
            warnings[0]
                .message
                .contains("cannot combine copies with a reminder")
        );
        assert_eq!(warnings[0].span, at(3));
        let s = JobSettings {
            cut: Some(Spanned::new(Cut::None, at(4))),
            ..JobSettings::default()
        };
        assert!(run(&s, "k4", 32).unwrap().tags.is_empty());
    }

    #[test]
    fn voice_is_checked_and_its_fields_cannot_shift() {
        let voice = |text: &str| JobSettings {
            voice: Some(Spanned::new(text.into(), at(5))),
            ..JobSettings::default()
        };
        assert_eq!(
            run(&voice("新订单,请接单"), "k4-a", 32).unwrap().tags,
            ["<audio>新订单，请接单,5,0</audio>"]
        );
        assert_eq!(
            run(&voice("新订单"), "k4-s", 32).unwrap().tags,
            ["<TTS>新订单</TTS>"]
        );
        assert_eq!(
            run(&voice("<audio>买,9,0</audio>"), "k4-a", 32)
                .unwrap()
                .tags,
            ["<audio>＜audio＞买，9，0＜/audio＞,5,0</audio>"]
        );
        assert!(run(&voice("新订单"), "k4", 32).unwrap().tags.is_empty());
        assert!(run(&voice(&"单".repeat(100)), "k4-a", 32).is_ok());
        let e = run(&voice(&"单".repeat(101)), "k4-a", 32).unwrap_err();
        assert_eq!(
            e.message(),
            "voice text is 101 characters; the K4 with AI voice (A models) speaks at most 100"
        );
        let s = JobSettings {
            volume: Some(Spanned::new(10, at(6))),
            ..voice("到")
        };
        assert_eq!(run(&s, "k4-a", 32).unwrap_err().span(), Some(at(6)));
    }

    #[test]
    fn print_width_follows_the_paper_on_k5_and_other_models_refuse_wide_paper() {
        assert!(
            run(&JobSettings::default(), "k5", 72)
                .unwrap()
                .tags
                .is_empty()
        );
        assert_eq!(
            run(&JobSettings::default(), "k5", 32).unwrap().tags,
            ["<PW>048</PW>"]
        );
        assert_eq!(
            run(&JobSettings::default(), "k5", 48).unwrap().tags,
            ["<PW>072</PW>"]
        );
        assert!(run(&JobSettings::default(), "k5", 80).is_err());
        let e = run(&JobSettings::default(), "k4", 48).unwrap_err();
        assert_eq!(
            e.message(),
            "the paper is 48 columns; the K4 (old firmware) prints at most 32"
        );
        assert!(
            run(&JobSettings::default(), "k7", 32)
                .unwrap()
                .tags
                .is_empty()
        );
    }

    #[test]
    fn settings_a_model_lacks_are_skipped_with_a_warning() {
        let s = JobSettings {
            copies: Some(Spanned::new(2, at(1))),
            reminder: Some(Spanned::new(Reminder::Voice, at(2))),
            voice: Some(Spanned::new("新订单".into(), at(3))),
            confirm: Some(Spanned::new(
                crate::document::Confirm { timeout_secs: 30 },
                at(4),
            )),
            ..JobSettings::default()
        };
        let cat = Catalogue::builtin();
        let x1 = cat.resolve("x1").unwrap();
        let mut warnings = Vec::new();
        let sum = control_tags(&s, x1, 32, None, RenderOptions::default(), &mut warnings).unwrap();
        // The reminder is left out, so copies no longer clash with it.
        assert_eq!(sum.tags, ["<MN>2</MN>"]);
        let spans: Vec<Span> = warnings.iter().map(|w| w.span).collect();
        assert_eq!(spans, [at(2), at(4), at(3)]);
        assert_eq!(
            warnings[2].message,
            "the X1 (58 mm auto-cutter) has no voice; the order prints without it"
        );
        let cut = JobSettings {
            cut: Some(Spanned::new(Cut::Full, at(5))),
            ..JobSettings::default()
        };
        let mut warnings = Vec::new();
        let k7a = cat.resolve("k7-a").unwrap();
        let sum =
            control_tags(&cut, k7a, 48, None, RenderOptions::default(), &mut warnings).unwrap();
        assert!(sum.tags.is_empty());
        assert_eq!(
            warnings[0].message,
            "the K7 with AI voice (A models) has no cutter; the order prints without it"
        );
    }

    #[test]
    fn sound_and_confirm_where_the_model_has_them() {
        let s = JobSettings {
            sound: Some(Spanned::new(
                Sound {
                    device: SoundDevice::Speaker,
                    volume: 3,
                },
                at(1),
            )),
            confirm: Some(Spanned::new(
                crate::document::Confirm { timeout_secs: 120 },
                at(2),
            )),
            ..JobSettings::default()
        };
        assert_eq!(
            run(&s, "k4", 32).unwrap().tags,
            ["<MS>1,3</MS>", "<MC>4,00120,2</MC>"]
        );
        // X1 has <MS> but no <MA>: `reminder: buzzer` is its buzzer sound.
        let s = JobSettings {
            reminder: Some(Spanned::new(Reminder::Buzzer, at(3))),
            ..JobSettings::default()
        };
        let mut warnings = Vec::new();
        let cat = Catalogue::builtin();
        let sum = control_tags(
            &s,
            cat.resolve("x1").unwrap(),
            32,
            None,
            RenderOptions::default(),
            &mut warnings,
        )
        .unwrap();
        assert_eq!(sum.tags, ["<MS>0,2</MS>"]);
        assert!(warnings.is_empty());
    }
}
