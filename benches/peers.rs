//! slipmark beside ReceiptLine 4.0.4 on the same receipts, in one run on one machine.
//!
//! Run `benches/peers/run.sh` (it installs ReceiptLine from npm first). For each receipt it
//! prints:
//! - slipmark's render time (compiled once, rendered many times, for a K7 at 48 columns; the
//!   data is a `serde_json::Value`, so it is read in place by
//!   [`slipmark::Template::render_json`]);
//! - the same render through the generic `Serialize` entry point
//!   ([`slipmark::Template::render`], which converts the data first);
//! - slipmark's compile + render;
//! - ReceiptLine's `text` transform (its cheapest target, which draws no codes) at 48 columns,
//!   and the ratios.
//!
//! Without Node or ReceiptLine it prints slipmark's figures only. Last, it renders the
//! ~4,000-line receipt and prints how its cost grows: its render time ÷ the ~40-line receipt's
//! (100× the lines; linear growth is about 100×), timed with an earlier result held and
//! without.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use slipmark::Environment;
use slipmark::backend::Catalogue;

use support::{TEMPLATE, receipt};

/// Microseconds per call of `f`: repeated for about a second, best mean of three rounds.
fn time(mut f: impl FnMut()) -> f64 {
    for _ in 0..50 {
        f();
    }
    let round = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        let mut n = 0u32;
        while start.elapsed() < Duration::from_secs(1) {
            for _ in 0..10 {
                f();
            }
            n += 10;
        }
        start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    };
    (0..3).map(|_| round(&mut f)).fold(f64::INFINITY, f64::min)
}

fn receiptline(doc: &str) -> Option<f64> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/peers");
    if !std::path::Path::new(dir)
        .join("node_modules/receiptline")
        .is_dir()
    {
        return None;
    }
    let file = std::env::temp_dir().join(format!("slipmark-peer-{}.txt", std::process::id()));
    std::fs::write(&file, doc).ok()?;
    let out = Command::new("node")
        .arg(format!("{dir}/receiptline.js"))
        .arg(&file)
        .arg("48")
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&file);
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

fn main() {
    let env = Environment::new();
    let printer = Catalogue::builtin().printer("K7").expect("K7 is built in");
    let template = env.template_from_str("receipt.slip", TEMPLATE).unwrap();
    println!(
        "receipt          | slipmark render | via Serialize | compile+render | ReceiptLine text | RL ÷ render | RL ÷ compile+render"
    );
    let mut small = f64::NAN;
    for (items, label) in [(15, "~40 lines"), (375, "~400 lines")] {
        let r = receipt(items);
        let lines = template
            .render(&r.data, &printer)
            .unwrap()
            .preview_text()
            .lines()
            .count();
        let render = time(|| {
            std::hint::black_box(template.render_json(&r.data, &printer).unwrap());
        });
        let serialize = time(|| {
            std::hint::black_box(template.render(&r.data, &printer).unwrap());
        });
        let both = time(|| {
            let t = env.template_from_str("receipt.slip", TEMPLATE).unwrap();
            std::hint::black_box(t.render_json(&r.data, &printer).unwrap());
        });
        if items == 15 {
            small = render;
        }
        let label = format!("{label} ({lines})");
        match receiptline(&r.receiptline) {
            Some(rl) => println!(
                "{label:<16} | {render:>12.1} µs | {serialize:>10.1} µs | {both:>11.1} µs | {rl:>13.1} µs | {:>10.1}× | {:>10.1}×",
                rl / render,
                rl / both
            ),
            None => println!(
                "{label:<16} | {render:>12.1} µs | {serialize:>10.1} µs | {both:>11.1} µs | (ReceiptLine not installed: run benches/peers/run.sh)"
            ),
        }
    }
    let large = receipt(3975);
    let jobs = template.render_json(&large.data, &printer).unwrap();
    let lines = jobs.preview_text().lines().count();
    let render_large = || {
        time(|| {
            std::hint::black_box(template.render_json(&large.data, &printer).unwrap());
        })
    };
    // Timed twice: with that first result still held, as a caller keeping jobs would, and
    // after dropping it. glibc's heap behaves differently in the two (with the result held it
    // gives the heap's top back after each render and faults it in again), and both are real.
    let held = render_large();
    let held_faults = faults_per_render(|| template.render_json(&large.data, &printer).unwrap());
    drop(jobs);
    let alone = render_large();
    let alone_faults = faults_per_render(|| template.render_json(&large.data, &printer).unwrap());
    println!(
        "~4000 lines ({lines}): render {held:.0} µs = {:.0}× the ~40-line render (linear: ~100×); \
         {alone:.0} µs = {:.0}× with no earlier result held",
        held / small,
        alone / small
    );
    if let (Some(held), Some(alone)) = (held_faults, alone_faults) {
        println!(
            "  page faults per ~4000-line render: {held:.0} with the first result held, {alone:.0} without \
             (each a page the allocator was given back and is given again)"
        );
    }
}

/// The process's minor page faults so far (Linux: field 10 of `/proc/self/stat`).
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the command name (field 2) is in parentheses and may hold spaces: count after it
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split(' ').nth(7)?.parse().ok()
}

/// Minor page faults per call of `render` (its result dropped at once), over 100 calls.
fn faults_per_render<T>(mut render: impl FnMut() -> T) -> Option<f64> {
    let before = minor_faults()?;
    for _ in 0..100 {
        std::hint::black_box(render());
    }
    Some((minor_faults()? - before) as f64 / 100.0)
}
