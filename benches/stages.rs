//! Time and allocations of each pipeline stage on the benchmark receipt, one stage at a time:
//! `cargo bench --bench stages -- [ITEMS] [ITERATIONS] [MODEL]` (default 15 items, 5000
//! iterations, K7). A quick profile to read before and after a change to one stage; the
//! criterion benches (`pipeline`, `peers`) are the figures to report.

mod support;
use slipmark::backend::Catalogue;
use std::time::Instant;
#[global_allocator]
static A: support::Counting = support::Counting;
fn t<T>(label: &str, iters: usize, mut f: impl FnMut() -> T) {
    let _ = f();
    let (_, n) = support::allocations(&mut f);
    let s = Instant::now();
    for _ in 0..iters {
        std::hint::black_box(f());
    }
    println!(
        "{label:>12}: {:8.2} µs  {n:6} allocs",
        s.elapsed().as_secs_f64() * 1e6 / iters as f64
    );
}
fn main() {
    // `cargo bench` passes `--bench`; the rest are ITEMS ITERATIONS MODEL.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let items: usize = args
        .first()
        .map_or(15, |s| s.parse().expect("ITEMS is a number"));
    let iters: usize = args
        .get(1)
        .map_or(5000, |s| s.parse().expect("ITERATIONS is a number"));
    let model = args.get(2).cloned().unwrap_or_else(|| "K7".into());
    let env = slipmark::Environment::new();
    let tpl = env.template_from_str("r.slip", support::TEMPLATE).unwrap();
    let data = support::receipt(items).data;
    let p = Catalogue::builtin().printer(&model).unwrap();
    let opts = slipmark::printer::RenderOptions::default();
    t("compile", iters / 5, || {
        env.template_from_str("r.slip", support::TEMPLATE).unwrap()
    });
    t("bind", iters, || tpl.bind_for(&data, &p, opts).unwrap());
    t("bind json", iters, || {
        tpl.bind_json_for(&data, &p, opts).unwrap()
    });
    let doc = tpl.bind_for(&data, &p, opts).unwrap();
    t("clone doc", iters, || doc.clone());
    t("prepare", iters, || {
        let mut d = doc.clone();
        p.dialect().prepare(&mut d, p.model())
    });
    let mut d = doc.clone();
    p.dialect().prepare(&mut d, p.model());
    let lo = p.layout_options(p.paper_columns(None, &d.settings));
    t("layout", iters, || {
        slipmark::layout::layout(&d, &lo).unwrap()
    });
    let laid = slipmark::layout::layout(&d, &lo).unwrap();
    // a receipt too long for one job fails here (render splits it): timed all the same
    t("lower", iters, || {
        p.dialect().lower(&laid.frame, p.model(), opts).is_ok()
    });
    t("render", iters, || tpl.render(&data, &p).unwrap());
    t("render json", iters, || tpl.render_json(&data, &p).unwrap());
}
