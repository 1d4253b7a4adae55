//! Benchmarks of the pipeline stages on the realistic templates, and of the budget that stops a
//! runaway template (issue: "ends within a second").
//!
//! Run with `cargo bench`.

use criterion::{Criterion, criterion_group, criterion_main};
use slipmark::Environment;

fn load(name: &str) -> (String, serde_json::Value) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/");
    let text = std::fs::read_to_string(format!("{dir}{name}.slip")).unwrap();
    let data = serde_json::from_str(&std::fs::read_to_string(format!("{dir}{name}.json")).unwrap())
        .unwrap();
    (text, data)
}

fn stages(c: &mut Criterion) {
    let env = Environment::new();
    for name in ["takeaway", "supermarket"] {
        let (text, data) = load(name);
        let path = format!("{}/templates/{name}.slip", env!("CARGO_MANIFEST_DIR"));
        c.bench_function(&format!("compile {name}"), |b| {
            b.iter(|| env.template_from_str(&path, &text).unwrap())
        });
        let template = env.template_from_str(&path, &text).unwrap();
        c.bench_function(&format!("bind {name}"), |b| {
            b.iter(|| template.bind(&data).unwrap())
        });
    }
}

fn runaway(c: &mut Criterion) {
    let env = Environment::new();
    let text = "{% for a in xs %}\n{% for b in xs %}\n{% for c in xs %}\n{% for d in xs %}\n{{ a }}{{ b }}{{ c }}{{ d }}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n";
    let template = env.template_from_str("fuel.slip", text).unwrap();
    let data = serde_json::json!({ "xs": (0..1000).collect::<Vec<u32>>() });
    let mut group = c.benchmark_group("budget");
    group.sample_size(10);
    group.bench_function("10^12 lines stop at the fuel budget", |b| {
        b.iter(|| assert!(template.bind(&data).is_err()))
    });
    group.finish();
}

criterion_group!(benches, stages, runaway);
criterion_main!(benches);
