//! Compile + render on every printer of the built-in catalogue: the input is a template and a
//! JSON document separated by a NUL byte (or a template alone, with data made of its own text).
//! Never a panic, and no Yilianyun content holds `@@` made from data (`@@` is a Yilianyun
//! instruction; the other dialects print it as text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use slipmark::backend::Catalogue;
use slipmark::printer::Printer;
use slipmark::{Budgets, Data, Environment, MemoryLoader};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (template, json) = text.split_once('\0').unwrap_or((text, ""));
    let env =
        Environment::new().with_loader(MemoryLoader::new().with("partials/footer.slip", "谢谢\n"));
    let Ok(t) = env.template_from_str("t.slip", template) else {
        return;
    };
    let data = match Data::from_json_str(json, &Budgets::default()) {
        Ok(d) => d,
        // Not JSON: bind the text itself under a few names.
        Err(_) => {
            let v =
                serde_json::json!({ "note": json, "x": json, "items": [json, json], "shop": json });
            match Data::from_json_str(&v.to_string(), &Budgets::default()) {
                Ok(d) => d,
                Err(_) => return,
            }
        }
    };
    let catalogue = Catalogue::builtin();
    let printers = catalogue
        .models()
        .iter()
        .map(|m| Printer::from_model(m.clone()))
        .chain([Printer::generic()]);
    for printer in printers {
        // JSON read in place renders as the converted data does.
        let json = t.render_json(data.as_json(), &printer);
        let converted = t.render(&data, &printer);
        assert_eq!(
            json.as_ref().map_err(|e| format!("{e:#}")),
            converted.as_ref().map_err(|e| format!("{e:#}"))
        );
        if let Ok(job) = json {
            let _ = job.preview_text();
            // The independent re-reading on every output (release builds skip it).
            if printer.dialect().name() == "yilianyun" {
                for output in job.outputs() {
                    let content = output.as_text().expect("yilianyun prints text");
                    slipmark::backend::yilianyun::verify(content, printer.model())
                        .expect("the Yilianyun verifier accepts every output");
                }
            }
            if let Some(content) = job
                .content()
                .filter(|_| printer.dialect().name() == "yilianyun")
            {
                assert!(
                    !content.contains("@@") || template.contains("@@"),
                    "{content:?}"
                );
            }
        }
    }
});
