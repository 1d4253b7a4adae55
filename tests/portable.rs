//! Templates that travel across a mixed fleet (language.md §5, §5a): must-show 3 (settings a
//! printer cannot honour are skipped with a warning each, errors in strict mode) and must-show 5
//! (the `printer` variable chooses text per printer).

mod cli_support;

use slipmark::backend::{Catalogue, DialectName, Model};
use slipmark::printer::{Printer, RenderOptions};
use slipmark::{Environment, Template};

const SETTINGS: &str =
    "---\ncut: full\nvoice: 您有新的订单\nreminder: buzzer\ncopies: 3\n---\n# 订单 #1\n谢谢\n";

fn template(text: &str) -> Template {
    Environment::new()
        .template_from_str("t.slip", text)
        .unwrap()
}

/// The front-matter lines (1-based) a model must skip, from its record alone.
fn skipped_lines(m: &Model) -> Vec<usize> {
    let mut lines = Vec::new();
    if !m.cut {
        lines.push(2);
    }
    if m.voice.is_none() {
        lines.push(3);
    }
    // The reminder is honoured only where Yilianyun's `<MS>` buzzer stands in for a missing
    // `<MA>`; with `<MA>` it clashes with three copies, elsewhere there is no reminder at all.
    let honoured = m.dialect == DialectName::Yilianyun && !m.reminder && m.sound;
    if !honoured {
        lines.push(4);
    }
    lines
}

fn line_of(tpl: &Template, start: usize) -> usize {
    tpl.sources()[0].text[..start].matches('\n').count() + 1
}

#[test]
fn must_show_3_every_family_renders_with_a_warning_per_skipped_setting() {
    let tpl = template(SETTINGS);
    let cat = Catalogue::builtin();
    for m in cat.models() {
        let printer = Printer::from_model(m.clone());
        let job = tpl
            .render(&serde_json::json!({}), &printer)
            .unwrap_or_else(|e| panic!("{}: {e:#}", m.id));
        let mut lines: Vec<usize> = job
            .warnings
            .iter()
            .map(|w| line_of(&tpl, w.span.start as usize))
            .collect();
        lines.sort();
        lines.dedup();
        assert_eq!(lines, skipped_lines(m), "{}: {:?}", m.id, job.warnings);
        assert_eq!(job.settings.copies, Some(3), "{}", m.id);
        assert_eq!(job.settings.cut.is_some(), m.cut, "{}", m.id);
        let out = job.output.as_bytes();
        let has = |needle: &[u8]| out.windows(needle.len()).any(|w| w == needle);
        match m.dialect {
            DialectName::Yilianyun => assert_eq!(has(b"<MK>3</MK>"), m.cut, "{}", m.id),
            DialectName::Feieyun => assert_eq!(has(b"<CUT>"), m.cut, "{}", m.id),
            DialectName::Escpos => {
                assert_eq!(has(&[0x1d, b'V', 0]), m.cut, "{}", m.id);
                // No copies command: the job is there three times.
                assert_eq!(out.windows(2).filter(|w| *w == [0x1b, b'@']).count(), 3);
            }
            _ => {}
        }
        let strict = tpl.render_with(
            &serde_json::json!({}),
            &printer,
            RenderOptions::default().deny_warnings(true),
        );
        assert_eq!(strict.is_err(), !skipped_lines(m).is_empty(), "{}", m.id);
    }
}

#[test]
fn must_show_3_through_the_cli() {
    let dir = cli_support::TempDir::new("portable");
    let file = dir.file("t.slip", SETTINGS);
    let file = file.to_str().unwrap();
    for model in ["k4", "x1", "feieyun-58", "xpyun-80", "escpos-58"] {
        let out = cli_support::slipmark(&["render", file, "--model", model]);
        assert!(out.success, "{model}: {}", out.stderr);
        assert!(out.stderr.contains("warning"), "{model}: {}", out.stderr);
        let strict = cli_support::slipmark(&["render", file, "--model", model, "--deny-warnings"]);
        assert!(!strict.success, "{model}");
        assert!(strict.stdout.is_empty());
        assert!(
            strict.stderr.contains("warnings are errors"),
            "{}",
            strict.stderr
        );
    }
}

const CHOOSE: &str = "\
{% if printer.has.cut %}请沿切口取单{% else %}请沿齿线撕下{% endif %}
{% if printer.columns >= 48 %}宽幅 {{ printer.paper }}{% else %}窄幅 {{ printer.paper }}{% endif %}
{{ printer.vendor }} {{ printer.dialect }} {{ printer.model }}
";

fn lines(tpl: &Template, model: &str, options: RenderOptions) -> Vec<String> {
    let printer = Catalogue::builtin().printer(model).unwrap();
    let job = tpl
        .render_with(&serde_json::json!({}), &printer, options)
        .unwrap();
    job.preview_text()
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn must_show_5_the_printer_variable_chooses_text() {
    let tpl = template(CHOOSE);
    let d = RenderOptions::default();
    assert_eq!(
        lines(&tpl, "x1", d),
        ["请沿切口取单", "窄幅 58mm", "Yilianyun yilianyun x1"]
    );
    assert_eq!(
        lines(&tpl, "k7", d),
        ["请沿齿线撕下", "宽幅 80mm", "Yilianyun yilianyun k7"]
    );
    assert_eq!(
        lines(&tpl, "feieyun-80", d),
        ["请沿切口取单", "宽幅 80mm", "Feieyun feieyun feieyun-80"]
    );
    assert_eq!(
        lines(&tpl, "escpos-58", d),
        ["请沿切口取单", "窄幅 58mm", "ESC/POS escpos escpos-58"]
    );
    // The caller's paper and the template's own `paper:` are what `printer.columns` says.
    let narrow = RenderOptions::default().paper(slipmark::document::Paper::Mm58);
    assert_eq!(lines(&tpl, "k7", narrow)[1], "窄幅 58mm");
    let own = template(&format!("---\npaper: 58mm\n---\n{CHOOSE}"));
    assert_eq!(lines(&own, "k7", d)[1], "窄幅 58mm");
    // Data that has a `printer` of its own keeps it.
    let printer = Catalogue::builtin().printer("k7").unwrap();
    let tpl = template("{{ printer }}\n");
    let job = tpl
        .render(&serde_json::json!({ "printer": "后厨1号" }), &printer)
        .unwrap();
    assert_eq!(job.preview_text().trim_end(), "后厨1号");
}

#[test]
fn the_cash_drawer_opens_where_there_is_a_port_and_is_skipped_elsewhere() {
    let tpl = template("---\ndrawer: open\n---\n合计 12.00\n");
    let cat = Catalogue::builtin();
    for m in cat.models() {
        let job = tpl
            .render(&serde_json::json!({}), &Printer::from_model(m.clone()))
            .unwrap();
        let kicks =
            m.drawer && m.dialect != DialectName::Xpyun && m.dialect != DialectName::Yilianyun;
        assert_eq!(job.settings.drawer, kicks, "{}", m.id);
        assert_eq!(
            job.warnings.is_empty(),
            kicks,
            "{}: {:?}",
            m.id,
            job.warnings
        );
        let out = job.output.as_bytes();
        let has = |needle: &[u8]| out.windows(needle.len()).any(|w| w == needle);
        match m.dialect {
            DialectName::Feieyun => assert_eq!(has(b"<PLUGIN>"), kicks),
            DialectName::Escpos => assert_eq!(has(&[0x1b, b'p', 0, 25, 250]), kicks),
            _ => {}
        }
    }
}
