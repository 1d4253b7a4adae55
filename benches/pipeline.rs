//! The pipeline on receipts of about 40, 400 and 4,000 printed lines: compile, bind, render per
//! dialect (Yilianyun, Feieyun, Xpyun, ESC/POS and the generic preview profile), render + text
//! preview, render + SVG preview; and allocations per render, counted by a global allocator and
//! printed before the timings. The data is a `serde_json::Value`, so it is read in place
//! (`Template::render_json`, `bind_json`); the generic `Serialize` entry points (`render`,
//! `bind`), which convert it first, are measured beside them.
//!
//! Run with `cargo bench --bench pipeline` (`-- render` to pick a group).

mod support;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use slipmark::Environment;
use slipmark::backend::Catalogue;

use support::{Counting, TEMPLATE, allocations, receipt};

#[global_allocator]
static ALLOC: Counting = Counting;

/// Item counts giving about 40, 400 and 4,000 printed lines at 48 columns.
const SIZES: [(usize, &str); 3] = [(15, "40 lines"), (375, "400 lines"), (3975, "4000 lines")];

/// The printers measured: one model per dialect at 48 columns, and the generic preview profile.
const PRINTERS: [&str; 5] = ["K7", "feieyun-80", "xpyun-80", "escpos-80", "generic"];

fn report_allocations() {
    let template = Environment::new()
        .template_from_str("receipt.slip", TEMPLATE)
        .unwrap();
    for (items, label) in SIZES {
        let data = receipt(items).data;
        let _ = template.bind_json(&data); // steady state: what a first call sets up is shared
        let (_, n) = allocations(|| template.bind_json(&data).unwrap());
        let (_, s) = allocations(|| template.bind(&data).unwrap());
        println!("{label}: {n} allocations per bind ({s} through Serialize)");
        for name in PRINTERS {
            let printer = Catalogue::builtin().printer(name).unwrap();
            let _ = template.render_json(&data, &printer); // steady state: a printer is reused
            let (job, n) = allocations(|| template.render_json(&data, &printer));
            let (_, s) = allocations(|| template.render(&data, &printer));
            match job {
                Ok(job) => println!(
                    "{label}: {items} items, {} printed lines, {n} allocations per render on {name} ({s} through Serialize)",
                    job.preview_text().lines().count()
                ),
                Err(e) => println!("{label} on {name}: not measured ({e})"),
            }
        }
    }
}

fn pipeline(c: &mut Criterion) {
    report_allocations();
    let env = Environment::new();
    let catalogue = Catalogue::builtin();
    let template = env.template_from_str("receipt.slip", TEMPLATE).unwrap();
    let mut compile = c.benchmark_group("compile");
    compile.bench_function("receipt", |b| {
        b.iter(|| env.template_from_str("receipt.slip", TEMPLATE).unwrap())
    });
    compile.finish();
    for (items, label) in SIZES {
        let data = receipt(items).data;
        let mut group = c.benchmark_group(label);
        if items > 100 {
            group.sample_size(20);
        }
        group.bench_function("bind", |b| b.iter(|| template.bind_json(&data).unwrap()));
        group.bench_function("bind through Serialize", |b| {
            b.iter(|| template.bind(&data).unwrap())
        });
        for name in PRINTERS {
            let printer = catalogue.printer(name).unwrap();
            if template.render_json(&data, &printer).is_err() {
                continue; // past the model's limits (reported above)
            }
            group.bench_function(BenchmarkId::new("render", name), |b| {
                b.iter(|| template.render_json(&data, &printer).unwrap())
            });
            group.bench_function(BenchmarkId::new("render + text preview", name), |b| {
                b.iter(|| {
                    template
                        .render_json(&data, &printer)
                        .unwrap()
                        .preview_text()
                })
            });
            if name == "K7" {
                group.bench_function(BenchmarkId::new("render through Serialize", name), |b| {
                    b.iter(|| template.render(&data, &printer).unwrap())
                });
                group.bench_function(BenchmarkId::new("render + SVG preview", name), |b| {
                    b.iter(|| {
                        let job = template.render_json(&data, &printer).unwrap();
                        slipmark::preview::svg(&job.frame)
                    })
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
