//! `slipmark models`, as a user runs it.

use std::process::Command;

fn slipmark(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slipmark"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_catalogue_listing() {
    let (ok, out, _) = slipmark(&["models"]);
    assert!(ok);
    insta::assert_snapshot!(out);
}

#[test]
fn one_model_by_number_and_as_json() {
    let (ok, out, _) = slipmark(&["models", "K4-WGEAD", "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["id"], "k4-a");
    assert_eq!(v[0]["voice"]["tag"], "audio");
}

#[test]
fn an_unknown_model_fails_with_the_nearest_names() {
    let (ok, out, err) = slipmark(&["models", "K9-WA"]);
    assert!(!ok);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "error[unknown-model]: unknown printer model `K9-WA`\n  = hint: nearest: K4-WA, K4-WAD, K4-WH; `slipmark models` lists them all\n"
    );
}

#[test]
fn a_user_catalogue_corrects_a_model() {
    let dir = std::env::temp_dir().join(format!("slipmark-models-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ours.toml");
    std::fs::write(
        &file,
        "[[model]]\nbase = \"k7-ghc\"\nid = \"k7-ghc\"\nname = \"K7-GHC (tested)\"\nmodels = [\"K7-GHC\"]\ncut = true\nassumed = []\n",
    )
    .unwrap();
    let (ok, out, _) = slipmark(&["models", "k7-ghc", "--catalogue", file.to_str().unwrap()]);
    assert!(ok);
    assert!(
        out.starts_with("k7-ghc   K7-GHC (tested), 80 mm (48 columns)\n"),
        "{out}"
    );
    assert!(out.contains("cut,"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}
