//! Render a receipt and print it through the cloud client, exactly once, over an in-memory
//! transport that plays the Yilianyun platform: no network, no credentials. Swap
//! `MemoryTransport` for `HttpTransport::default()` (feature `http`) to print for real.
//!
//! ```sh
//! cargo run --example print_in_memory
//! ```

use std::sync::Arc;

use slipmark::Environment;
use slipmark::backend::Catalogue;
use slipmark::cloud::{Client, Credentials, HttpResponse, MemoryTransport, OriginId};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let template = Environment::new().template_from_file("templates/kitchen.slip")?;
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("templates/kitchen.json")?)?;
    let job = template.render(&data, &Catalogue::builtin().printer("K4")?)?;
    let content = job.content().expect("Yilianyun prints text");

    // The platform: a token for the app, then an accepted print job.
    let platform = Arc::new(MemoryTransport::new(|request| {
        let body = if request.url.ends_with("/oauth/oauth") {
            r#"{"error":0,"body":{"access_token":"T","refresh_token":"R","expires_in":2592000}}"#
        } else {
            r#"{"error":0,"body":{"id":"137550437","origin_id":"order1001"}}"#
        };
        Ok(HttpResponse {
            status: 200,
            body: body.as_bytes().to_vec(),
        })
    }));
    let client =
        Client::builder(Credentials::new("1039521561", "secret"), platform.clone()).build();
    // The origin id makes a retried print (after a lost answer) print once, not twice.
    let origin = OriginId::new("order1001")?;
    let accepted = client.print_text("4004519454", content, &origin)?;
    println!(
        "printed as job {} ({} requests sent)",
        accepted.id,
        platform.sent().len()
    );
    Ok(())
}
