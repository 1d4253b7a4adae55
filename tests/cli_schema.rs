//! `slipmark schema` as a user runs it: the data contract of a template. (Python's `jsonschema`
//! checks the same schemas against real data in `tests/python/schema_validates_data.py`, run by
//! `.ci/run`.)

mod cli_support;

use cli_support::{TempDir, slipmark};

fn schema(text: &str) -> serde_json::Value {
    let dir = TempDir::new("schema");
    let t = dir.file("t.slip", text);
    let out = slipmark(&["schema", t.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn paths_loops_numbers_and_guards_make_the_schema() {
    let s = schema(
        "# {{ shop.name }}\n\
         {% for it in order.items %}\n\
         | {{ it.name }}{% if it.spec %}（{{ it.spec }}）{% endif %} | {{ (it.price * it.qty) | money }} |\n\
         {% endfor %}\n\
         {% if order.member %}会员 {{ order.member.card }}{% endif %}\n\
         {{ order.note | default(\"\") }}\n\
         {% set n = order.items | length %}{{ n }}\n\
         | 合计 | {{ order.total | money }} |\n",
    );
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["required"], serde_json::json!(["order", "shop"]));
    let order = &s["properties"]["order"];
    // guarded by `if` and `default`: optional; the rest required
    assert_eq!(order["required"], serde_json::json!(["items", "total"]));
    let item = &order["properties"]["items"]["items"];
    assert_eq!(order["properties"]["items"]["type"], "array");
    assert_eq!(
        item["required"],
        serde_json::json!(["name", "price", "qty"])
    );
    assert_eq!(item["properties"]["price"]["type"], "number");
    assert!(item["properties"]["spec"].is_object());
    // money reads numbers and numeric strings
    assert!(order["properties"]["total"]["anyOf"].is_array());
    // inside `if order.member`, the card is required of a member
    assert_eq!(
        order["properties"]["member"]["required"],
        serde_json::json!(["card"])
    );
    // `n` and `loop` are the template's, not data
    assert!(s["properties"].get("n").is_none());
    assert!(
        item["properties"]["price"]["description"]
            .as_str()
            .unwrap()
            .starts_with("read at ")
    );
}
