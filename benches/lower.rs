//! Benchmarks of the backend half of the pipeline on the realistic templates: neutralise + layout
//! + lower for one model, and lowering alone.
//!
//! Run with `cargo bench --bench lower`.

use criterion::{Criterion, criterion_group, criterion_main};
use slipmark::Environment;
use slipmark::backend::Catalogue;
use slipmark::backend::yilianyun::{lower_with, neutralise_document};
use slipmark::printer::{self, RenderOptions};

fn backend(c: &mut Criterion) {
    let env = Environment::new();
    let catalogue = Catalogue::builtin();
    let model = catalogue.resolve("K4-WA").unwrap();
    let printer = catalogue.printer("K4-WA").unwrap();
    let options = RenderOptions::default();
    for name in ["takeaway", "supermarket"] {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/");
        let template = env.template_from_file(format!("{dir}{name}.slip")).unwrap();
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}{name}.json")).unwrap())
                .unwrap();
        let doc = template.bind(&data).unwrap();
        c.bench_function(&format!("render {name} for K4-WA"), |b| {
            b.iter(|| printer::render(doc.clone(), &printer, options).unwrap())
        });
        let mut neutral = doc.clone();
        neutralise_document(&mut neutral, model);
        let frame =
            slipmark::layout::layout(&neutral, &model.layout_options(model.paper.default_columns))
                .unwrap()
                .frame;
        c.bench_function(&format!("lower {name} for K4-WA"), |b| {
            b.iter(|| lower_with(&frame, model, options).unwrap())
        });
    }
    c.bench_function("resolve K7-WEADC", |b| {
        b.iter(|| catalogue.resolve("K7-WEADC").unwrap())
    });
    c.bench_function("Catalogue::builtin", |b| b.iter(Catalogue::builtin));
}

criterion_group!(benches, backend);
criterion_main!(benches);
