//! Must-show 4 of the dialects issue: a receipt that does not fit one job is split at block
//! boundaries into jobs that each fit, in order, with ids derived from the caller's; `print`
//! sends them all once, in order, even when an answer is lost.

mod cli_support;
mod cloud_support;
mod common;

use slipmark::backend::{Catalogue, DialectName};
use slipmark::frame::Frame;
use slipmark::printer::Printer;
use slipmark::{Environment, Template};

use cloud_support::mock_platform::{Fault, MockPlatform};
use common::paper::PaperLine;

const LONG: &str = "---\ncopies: {{ copies }}\nreminder: buzzer\n---\n# 长单\n{% for it in items %}\n| {{ it.name }} | x{{ it.qty }} |\n{% endfor %}\n![qr](https://example.com/o/1)\n谢谢\n";

fn long_data(n: usize, copies: u8) -> serde_json::Value {
    let items: Vec<_> = (1..=n)
        .map(|i| serde_json::json!({ "name": format!("商品{i}号（大份）"), "qty": i % 9 + 1 }))
        .collect();
    serde_json::json!({ "items": items, "copies": copies })
}

fn template(text: &str) -> Template {
    Environment::new()
        .template_from_str("long.slip", text)
        .unwrap()
}

/// The simulated paper of a part, checked against the frame's items it claims.
fn part_paper(
    frame: &Frame,
    items: std::ops::Range<usize>,
    model: &slipmark::backend::Model,
    content: &str,
) -> Vec<PaperLine> {
    let mut sub = Frame::new(frame.columns, frame.encoding, frame.settings.clone());
    sub.extend_from(frame, items);
    common::check_content(&sub, model, content).lines
}

#[test]
fn fifteen_hundred_items_on_the_k4_are_several_jobs_each_within_the_limit() {
    let cat = Catalogue::builtin();
    let k4 = cat.resolve("k4").unwrap();
    let printer = Printer::from_model(k4.clone());
    let job = template(LONG)
        .render(&long_data(1500, 1), &printer)
        .unwrap();
    assert!(job.job_count() >= 2, "{} jobs", job.job_count());
    let max = k4.limits.max_content_chars as usize;
    let mut covered = 0;
    let mut starts = vec![0];
    starts.extend(job.more.iter().map(|p| p.items.start));
    let ends: Vec<usize> = starts
        .iter()
        .skip(1)
        .copied()
        .chain([job.frame.items().len()])
        .collect();
    for (k, (output, (start, end))) in job.outputs().zip(starts.iter().zip(&ends)).enumerate() {
        let content = output.as_text().unwrap();
        assert!(
            content.chars().count() <= max,
            "job {} is {} chars",
            k + 1,
            content.chars().count()
        );
        assert_eq!(*start, covered, "jobs are consecutive");
        part_paper(&job.frame, *start..*end, k4, content);
        // The reminder sounds once, with the first job.
        assert_eq!(content.starts_with("<MA>1</MA>"), k == 0, "job {}", k + 1);
        covered = *end;
    }
    assert_eq!(covered, job.frame.items().len(), "every item printed once");
    // Split between rows, not inside one: each part starts with a whole row.
    let preview = job.preview_text();
    assert!(preview.contains("-- job 2 --"), "{}", &preview[..200]);
}

#[test]
fn copies_of_a_split_receipt_repeat_the_sequence() {
    let cat = Catalogue::builtin();
    let printer = Printer::from_model(cat.resolve("k4").unwrap().clone());
    let one = template(LONG)
        .render(&long_data(1500, 1), &printer)
        .unwrap();
    let two = template(LONG)
        .render(&long_data(1500, 2), &printer)
        .unwrap();
    let n = one.job_count();
    assert_eq!(two.job_count(), 2 * n);
    let outs: Vec<_> = two
        .outputs()
        .map(|o| o.as_text().unwrap().to_string())
        .collect();
    assert!(
        outs.iter().all(|o| !o.contains("<MN>")),
        "no per-part copies"
    );
    assert_eq!(
        outs[n][..],
        outs[0][..],
        "the second copy starts like the first"
    );
}

#[test]
fn two_qr_codes_on_feieyun_are_two_jobs() {
    let tpl = template(
        "---\ncut: full\n---\n# 取餐\n![qr](https://a.example/1)\n中间\n![qr](https://a.example/2)\n",
    );
    let cat = Catalogue::builtin();
    for id in ["feieyun-58", "feieyun-80", "xpyun-58"] {
        let m = cat.resolve(id).unwrap();
        assert_ne!(m.dialect, DialectName::Yilianyun);
        let job = tpl
            .render(&serde_json::json!({}), &Printer::from_model(m.clone()))
            .unwrap();
        assert_eq!(job.job_count(), 2, "{id}");
        let outs: Vec<&str> = job.outputs().map(|o| o.as_text().unwrap()).collect();
        assert!(
            outs.iter().all(|o| o.matches("<QR>").count() == 1),
            "{outs:?}"
        );
        // The cut, if any, ends the last job only.
        assert!(!outs[0].contains("<CUT>"));
        assert_eq!(outs[1].ends_with("<CUT>"), m.cut, "{id}");
    }
    // One job where the printer takes several codes.
    let k4 = cat.printer("k4").unwrap();
    assert_eq!(
        tpl.render(&serde_json::json!({}), &k4).unwrap().job_count(),
        1
    );
}

#[test]
fn an_item_that_cannot_print_alone_is_still_the_error() {
    let tpl = template("![ean13](6901234567892)\n");
    let err = tpl
        .render(
            &serde_json::json!({}),
            &Catalogue::builtin().printer("feieyun-58").unwrap(),
        )
        .unwrap_err();
    assert!(
        err.message().contains("cannot print EAN-13"),
        "{}",
        err.message()
    );
}

const ID: &str = "1039521561";
const SECRET: &str = "abcdef0123456789";

#[test]
fn print_sends_every_job_once_in_order_even_when_an_answer_is_lost() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let dir = cli_support::TempDir::new("split-print");
    let file = dir.file("long.slip", LONG);
    let data = dir.file("long.json", &long_data(1500, 1).to_string());
    let tokens = dir.path().join("tokens.json");
    let env = [
        ("YLY_CLIENT_ID", ID.as_ref()),
        ("YLY_CLIENT_SECRET", SECRET.as_ref()),
        ("SLIPMARK_TOKEN_STORE", tokens.as_os_str()),
    ];
    // The first job is answered; the second is carried out and its answer dropped.
    mock.fault("/print/index", Fault::Delay(std::time::Duration::ZERO));
    mock.fault("/print/index", Fault::DropAfterAccept);
    let args = [
        "print",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--model",
        "K4",
        "--machine-code",
        "4004519454",
        "--origin-id",
        "order20261128x1500",
        "--api-base",
        &mock.base,
    ];
    let out = cli_support::slipmark_with_env(&args, &env);
    let expected = template(LONG)
        .render(
            &long_data(1500, 1),
            &Catalogue::builtin().printer("k4").unwrap(),
        )
        .unwrap();
    let contents: Vec<String> = expected
        .outputs()
        .map(|o| o.as_text().unwrap().to_string())
        .collect();
    let printed = mock.printed();
    let ids: Vec<&str> = printed.iter().map(|p| p.origin_id.as_str()).collect();
    let mut want_ids = vec!["order20261128x1500".to_string()];
    want_ids.extend((2..=contents.len()).map(|k| format!("order20261128x1500j{k}")));
    assert!(out.success, "{}", out.stderr);
    assert_eq!(ids, want_ids, "{}", out.stderr);
    let got: Vec<&str> = printed.iter().map(|p| p.content.as_str()).collect();
    assert_eq!(got, contents);
    // Running again with the same origin id prints nothing twice.
    let again = cli_support::slipmark_with_env(&args, &env);
    assert!(again.success, "{}", again.stderr);
    assert_eq!(mock.printed().len(), contents.len());
}

#[test]
fn a_blank_line_after_a_styled_line_stays_in_one_xpyun_job() {
    // Xpyun ends a styled line inside its closing tags (`<B>大字<BR></B>`); the blank line's
    // `<BR>` after them is a line of its own, not a misplaced line end. The verifier once
    // refused it, which split this three-line receipt into two jobs.
    let tpl = template("# 大字\n\n小\n");
    let xpyun = Catalogue::builtin().printer("xpyun-58").unwrap();
    let job = tpl.render(&serde_json::json!({}), &xpyun).unwrap();
    assert_eq!(job.job_count(), 1);
    assert_eq!(
        job.outputs()
            .next()
            .unwrap()
            .as_text()
            .unwrap()
            .trim_start(),
        "<B>大字<BR></B><BR>小<BR>"
    );
}
