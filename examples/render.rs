//! Render a template with its order data for one printer model, and show the content the print
//! API takes next to what the paper will look like.
//!
//! ```sh
//! cargo run --example render                    # templates/takeaway.slip for a K4-WA
//! cargo run --example render -- templates/queue.slip K7
//! ```

use slipmark::Environment;
use slipmark::backend::Catalogue;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "templates/takeaway.slip".into());
    let model = args.next().unwrap_or_else(|| "K4-WA".into());

    // Compile once (syntax, filters, includes are checked here)…
    let template = Environment::new().template_from_file(&path)?;
    // …and render many times, for any printer of the catalogue.
    let printer = Catalogue::builtin().printer(&model)?;
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.replace(".slip", ".json"))?)?;
    let job = match template.render(&data, &printer) {
        Ok(job) => job,
        Err(e) => {
            // `{:#}` renders the error as a snippet of the template with a caret.
            eprintln!("{e:#}");
            std::process::exit(1);
        }
    };
    for warning in &job.warnings {
        eprintln!("{}", template.describe_warning(warning));
    }
    println!("----- content for {} -----", job.printer);
    println!("{}", job.content().unwrap_or("(bytes)"));
    println!("----- paper -----");
    print!("{}", job.preview_text());
    Ok(())
}
