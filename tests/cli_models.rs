//! `slipmark models`, as a user runs it.

mod cli_support;

use cli_support::{TempDir, slipmark};

#[test]
fn the_catalogue_listing() {
    let ran = slipmark(&["models"]);
    assert!(ran.success);
    let out = ran.stdout; // named as the snapshot's expression
    insta::assert_snapshot!(out);
}

#[test]
fn one_model_by_number_and_as_json() {
    let out = slipmark(&["models", "K4-WGEAD", "--json"]);
    assert!(out.success);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["id"], "k4-a");
    assert_eq!(v[0]["voice"]["tag"], "audio");
}

#[test]
fn an_unknown_model_fails_with_the_nearest_names() {
    let out = slipmark(&["models", "K9-WA"]);
    assert!(!out.success);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr,
        "error[unknown-model]: unknown printer model `K9-WA`\n  = hint: did you mean `K4-WA`? nearest: K4-WA, K4-WAD, K4-WH; `slipmark models` lists them all\n"
    );
}

#[test]
fn a_user_catalogue_corrects_a_model() {
    let dir = TempDir::new("models-catalogue");
    let file = dir.file(
        "ours.toml",
        "[[model]]\nbase = \"k7-ghc\"\nid = \"k7-ghc\"\nname = \"K7-GHC (tested)\"\nmodels = [\"K7-GHC\"]\ncut = true\nassumed = []\n",
    );
    let out = slipmark(&["models", "k7-ghc", "--catalogue", file.to_str().unwrap()]);
    assert!(out.success);
    assert!(
        out.stdout
            .starts_with("k7-ghc   K7-GHC (tested), 80 mm (48 columns)\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("cut,"), "{}", out.stdout);
}
