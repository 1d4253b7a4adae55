//! Compiling any text (with includes from memory) returns a template or errors, never a panic,
//! and every error's span lies on character boundaries of its source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slipmark::{Environment, MemoryLoader};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loader = MemoryLoader::new()
        .with("a.inc", text)
        .with("b.inc", "{% include \"a.inc\" %}\n");
    let env = Environment::new().with_loader(loader);
    // Spans point into the source as compiled: without a leading byte-order mark.
    let source = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(errors) = env.compile("t.slip", text) {
        for e in errors {
            let _ = format!("{e:#}");
            if let Some(span) = e.span() {
                if span.source == 0 {
                    assert!(source.is_char_boundary(span.start as usize), "{e:?}");
                    assert!(source.is_char_boundary(span.end as usize), "{e:?}");
                }
            }
        }
    }
});
