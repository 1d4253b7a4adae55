//! One compiled template shared by N threads: receipts rendered per second for N = 1 up to the
//! cores available (at least 2), and the speed-up over one thread.
//!
//! Run with `cargo bench --bench threads`. Each thread renders the ~40-line receipt for a K7 in
//! a loop for two seconds; all threads share one `Template` and one `Printer` by reference.

mod support;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use slipmark::backend::Catalogue;
use slipmark::{Environment, Template};

/// Receipts per second rendered by `threads` threads sharing `template` and `printer`.
fn throughput(template: &Template, printer: &slipmark::printer::Printer, threads: usize) -> f64 {
    let data = support::receipt(15).data;
    let done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    std::hint::black_box(template.render_json(&data, printer).unwrap());
                    n += 1;
                }
                done.fetch_add(n, Ordering::Relaxed);
            });
        }
        std::thread::sleep(Duration::from_secs(2));
        stop.store(true, Ordering::Relaxed);
    });
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let template = Environment::new()
        .template_from_str("receipt.slip", support::TEMPLATE)
        .unwrap();
    let printer = Catalogue::builtin().printer("K7").unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{cores} cores available");
    let one = throughput(&template, &printer, 1);
    println!("1 thread: {one:.0} receipts/s");
    for threads in 2..=cores.max(2) {
        let n = throughput(&template, &printer, threads);
        println!(
            "{threads} threads: {n:.0} receipts/s = {:.2}× one thread",
            n / one
        );
    }
}
