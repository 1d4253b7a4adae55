//! Issue 10, must-show 1 and 2: includes that would read the host are errors that read nothing;
//! inputs built to exhaust time or memory end with a budget error. (Their cost is measured with
//! `/usr/bin/time -v` on a release build, not here: these tests only check the errors.)

mod cli_support;

use cli_support::{TempDir, slipmark};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use slipmark::{Budgets, Environment, ErrorKind, FsLoader};

fn include_error(dir: &TempDir, name: &str) -> slipmark::Error {
    let env = Environment::new().with_loader(FsLoader::new(dir.path()));
    let t = dir.file("t.slip", &format!("# x\n{{% include \"{name}\" %}}\n"));
    env.template_from_file(&t).unwrap_err()
}

#[test]
fn includes_cannot_read_the_host() {
    let dir = TempDir::new("hostile-includes");
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    dir.file(".env", "YLY_CLIENT_SECRET=s3cret\n");
    dir.file("sub/a.slip", "{% include \"../../outside.slip\" %}\n");
    // A file beside the root, that `..` would reach.
    let outside = dir.path().parent().unwrap().join("outside.slip");
    std::fs::write(&outside, "outside\n").unwrap();
    for name in [
        "/proc/self/environ",
        "/etc/passwd",
        "/dev/zero",
        "../outside.slip",
        "sub/../../outside.slip",
        ".env",
        "sub\\a.slip",
    ] {
        let err = include_error(&dir, name);
        assert_eq!(err.kind(), ErrorKind::Include, "{name}: {err}");
        assert!(!format!("{err:#}").contains("s3cret"), "{err:#}");
    }
    // Through a file that tries to climb out from a sub-folder.
    let err = include_error(&dir, "sub/a.slip");
    assert_eq!(err.kind(), ErrorKind::Include, "{err}");
    assert!(
        err.hint()
            .unwrap()
            .contains("climbs out of the include root"),
        "{err:#}"
    );
    // A symbolic link out of the root is refused too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link.slip")).unwrap();
        let err = include_error(&dir, "link.slip");
        assert!(err.hint().unwrap().contains("symbolic link"), "{err:#}");
        std::os::unix::fs::symlink("/dev", dir.path().join("dev")).unwrap();
        let err = include_error(&dir, "dev/zero");
        assert_eq!(err.kind(), ErrorKind::Include, "{err}");
    }
    let _ = std::fs::remove_file(outside);
}

#[test]
fn devices_and_big_files_are_refused_before_reading() {
    // A root that holds devices: still refused, as not a regular file (never read).
    let env = Environment::new().with_loader(FsLoader::new("/dev"));
    let err = env
        .template_from_str("t.slip", "{% include \"zero\" %}\n")
        .unwrap_err();
    assert!(
        err.hint().unwrap().contains("not a regular file"),
        "{err:#}"
    );
    let err = Environment::new()
        .template_from_file("/dev/zero")
        .unwrap_err();
    assert!(err.message().contains("not a regular file"), "{err:#}");
    // Over the loader's size cap.
    let dir = TempDir::new("hostile-big-include");
    dir.file("big.slip", &"x\n".repeat(1000));
    let env = Environment::new().with_loader(FsLoader::new(dir.path()).max_bytes(1000));
    let err = env
        .template_from_str("t.slip", "{% include \"big.slip\" %}\n")
        .unwrap_err();
    assert!(
        err.hint().unwrap().contains("larger than 1000 bytes"),
        "{err:#}"
    );
}

#[test]
fn the_cli_confines_includes_to_the_template_folder() {
    let dir = TempDir::new("hostile-cli");
    for name in [
        "/proc/self/environ",
        "/etc/passwd",
        "/dev/zero",
        "../x.slip",
    ] {
        let t = dir.file("t.slip", &format!("{{% include \"{name}\" %}}\n"));
        for cmd in ["render", "check"] {
            let out = slipmark(&[cmd, t.to_str().unwrap()]);
            assert_eq!(out.code, Some(1), "{cmd} {name}: {}", out.stdout);
            assert!(out.stderr.contains("cannot include"), "{}", out.stderr);
            assert!(out.stdout.is_empty());
        }
    }
    // --include-root widens (or narrows) the root.
    std::fs::create_dir_all(dir.path().join("shared")).unwrap();
    dir.file("shared/f.slip", "from shared\n");
    std::fs::create_dir_all(dir.path().join("tpl")).unwrap();
    let t = dir.file("tpl/t.slip", "{% include \"../shared/f.slip\" %}\n");
    let t = t.to_str().unwrap();
    let out = slipmark(&["render", t, "--model", "generic"]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    let root = dir.path().to_str().unwrap();
    let out = slipmark(&["render", t, "--model", "generic", "--include-root", root]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("from shared"), "{}", out.stdout);
    // templates/ (which includes partials/footer.slip) still renders.
    let out = slipmark(&["render", "templates/takeaway.slip"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

/// The 12-file fan-out: each file includes the next four times (4^11 expansions).
pub fn fan_out(dir: &TempDir) -> std::path::PathBuf {
    for i in 0..12 {
        let body = if i == 11 {
            "leaf {{ x }}\n".to_string()
        } else {
            format!("{{% include \"f{}.slip\" %}}\n", i + 1).repeat(4)
        };
        dir.file(&format!("f{i}.slip"), &body);
    }
    dir.file("fan.slip", "{% include \"f0.slip\" %}\n")
}

#[test]
fn an_include_fan_out_is_a_budget_error() {
    let dir = TempDir::new("hostile-fan");
    let t = fan_out(&dir);
    let env = Environment::new().with_loader(FsLoader::new(dir.path()));
    let err = env.template_from_file(&t).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Budget, "{err:#}");
    assert!(err.message().contains("more than 256 includes"), "{err:#}");
    // The CLI says the same.
    let out = slipmark(&["check", t.to_str().unwrap()]);
    assert!(
        out.stderr.contains("more than 256 includes"),
        "{}",
        out.stderr
    );
    // Included bytes count repeats: a 1 KiB file included 200 times is 200 KiB.
    let env = Environment::new()
        .with_loader(slipmark::MemoryLoader::new().with("k.inc", format!("{}\n", "k".repeat(1023))))
        .with_budgets(Budgets {
            max_include_bytes: 100_000,
            ..Budgets::default()
        });
    let err = env
        .template_from_str("t.slip", &"{% include \"k.inc\" %}\n".repeat(200))
        .unwrap_err();
    assert!(
        err.message().contains("included text larger than 100000"),
        "{err:#}"
    );
    assert_eq!(err.span().unwrap().start, 97 * 22, "the 98th include");
}

#[test]
fn a_huge_template_is_a_budget_error() {
    let text = "x\n".repeat(5 << 20); // 10 MiB
    let err = Environment::new()
        .template_from_str("t.slip", &text)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Budget);
    assert!(err.message().contains("larger than 262144 bytes"), "{err}");
    // Within the bytes but over the lines: points at the first line too many.
    let text = "x\n".repeat(30_000);
    let err = Environment::new()
        .template_from_str("t.slip", &text)
        .unwrap_err();
    assert!(
        err.message().contains("more than 5000 template lines"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "t.slip:5001:1: more than 5000 template lines"
    );
    // The CLI reads a file no further than the budget.
    let dir = TempDir::new("hostile-big-template");
    let t = dir.file("big.slip", &"x\n".repeat(5 << 20));
    let out = slipmark(&["render", t.to_str().unwrap()]);
    assert!(
        out.stderr.contains("larger than 262144 bytes"),
        "{}",
        out.stderr
    );
}

/// `count` small objects `{"a": 1}` in a list, produced lazily (no memory of its own).
struct SmallObjects(usize);

impl Serialize for SmallObjects {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0))?;
        for _ in 0..self.0 {
            seq.serialize_element(&One)?;
        }
        seq.end()
    }
}

struct One;

impl Serialize for One {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("a", &1)?;
        m.end()
    }
}

#[derive(serde::Serialize)]
struct Order {
    items: SmallObjects,
}

#[test]
fn huge_data_is_a_budget_error() {
    let t = Environment::new()
        .template_from_str("t.slip", "{{ items | length }}\n")
        .unwrap();
    // 10 MB of JSON's worth: 1.25 M objects.
    let err = t
        .bind(&Order {
            items: SmallObjects(1_250_000),
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Budget, "{err}");
    assert!(err.message().contains("data larger than"), "{err}");
    // As JSON text, through `Data` and through the CLI.
    let json = format!(
        "{{\"items\": [{}]}}",
        vec!["{\"a\": 1}"; 1_250_000].join(",")
    );
    assert!(json.len() > 10_000_000);
    let err = slipmark::Data::from_json_str(&json, &Budgets::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Budget, "{err}");
    let dir = TempDir::new("hostile-big-data");
    let d = dir.file("big.json", &json);
    let out = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--data",
        d.to_str().unwrap(),
    ]);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
    // Small data passes, exactly.
    let ok = t
        .bind(&Order {
            items: SmallObjects(1000),
        })
        .unwrap();
    assert!(ok.outline().contains("1000"), "{}", ok.outline());
}

/// Data nested `n` deep (`[[[…]]]`), produced lazily.
struct Deep(usize);

impl Serialize for Deep {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(1))?;
        if self.0 > 0 {
            seq.serialize_element(&Deep(self.0 - 1))?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct DeepOrder {
    x: Deep,
}

#[test]
fn deep_data_is_a_budget_error_on_a_small_stack() {
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let t = Environment::new()
                .template_from_str("t.slip", "{{ x | length }}\n")
                .unwrap();
            let deep = t
                .bind(&DeepOrder { x: Deep(100_000) })
                .map(|_| ())
                .unwrap_err();
            let json = format!("{{\"x\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
            let text = slipmark::Data::from_json_str(&json, &Budgets::default())
                .map(|_| ())
                .unwrap_err();
            let ok = t.bind(&DeepOrder { x: Deep(50) }).is_ok();
            (deep, text, ok)
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    for err in [result.0, result.1] {
        assert_eq!(err.kind(), ErrorKind::Budget, "{err}");
        assert!(err.message().contains("nested more than 64 deep"), "{err}");
    }
    assert!(result.2, "50 deep is within the budget");
}

/// A setting nests brackets as deep as a body line may (64), no deeper: 300 brackets in
/// `copies:` are a syntax error at the 65th, not a stack overflow on a 2 MiB thread.
#[test]
fn deep_nesting_in_a_setting_is_an_error_on_a_small_stack() {
    let errors = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let deep = format!(
                "---\ncopies: {{{{ {}1{} }}}}\n---\nhi\n",
                "(".repeat(300),
                ")".repeat(300)
            );
            let ok = format!(
                "---\ncopies: {{{{ {}1{} }}}}\n---\nhi\n",
                "(".repeat(60),
                ")".repeat(60)
            );
            let env = Environment::new();
            (
                env.compile("t.slip", &deep).err().unwrap_or_default(),
                env.compile("t.slip", &ok).is_ok(),
            )
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert_eq!(errors.0.len(), 1, "{:?}", errors.0);
    let err = &errors.0[0];
    assert_eq!(err.kind(), ErrorKind::Syntax, "{err}");
    assert!(err.message().contains("nested"), "{err}");
    // The 65th bracket: `---\ncopies: {{ ` is 15 bytes, then 64 accepted ones.
    assert_eq!(err.span().map(|s| s.start), Some(15 + 64), "{err:#}");
    assert!(errors.1, "60 deep is within the limit");
}

/// The 4.4 KB template that ran 8 min 40 s: a 1 MiB string, then `upper` in 100,000 iterations
/// (no output: the output budget never runs out).
pub fn upper_loop() -> String {
    let mut t = format!("{{% set s = \"{}\" %}}\n", "x".repeat(16));
    for _ in 0..16 {
        t.push_str("{% set s = s + s %}\n");
    }
    let ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
    for v in ["a", "b", "c", "d", "e"] {
        t.push_str(&format!("{{% for {v} in {ten} %}}\n"));
    }
    t.push_str("{% if (s | upper) == \"\" %}\nnever\n{% endif %}\n");
    t.push_str(&"{% endfor %}\n".repeat(5));
    t
}

#[test]
fn computing_in_a_loop_runs_out_of_fuel() {
    let t = Environment::new()
        .template_from_str("t.slip", &upper_loop())
        .unwrap();
    let err = t.bind(&serde_json::json!({})).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Budget, "{err}");
    assert!(err.message().contains("fuel exhausted"), "{err}");
    assert_eq!(t.snippet(err.span().unwrap()), Some("s | upper"));
    // Statements count even when they compute nothing big.
    let t = Environment::new()
        .template_from_str(
            "t.slip",
            "{% for a in xs %}\n{% set y = 1 %}{% set z = 2 %}\n{% endfor %}\n",
        )
        .unwrap();
    let err = t
        .bind(&serde_json::json!({ "xs": vec![0; 60_000] }))
        .unwrap_err();
    assert!(err.message().contains("fuel exhausted"), "{err}");
    assert!(t.bind(&serde_json::json!({ "xs": vec![0; 1000] })).is_ok());
}

#[test]
fn a_bom_before_the_front_matter_and_the_json_is_ignored() {
    let t = Environment::new()
        .template_from_str("t.slip", "\u{feff}---\ncopies: 2\n---\nhi {{ x }}\n")
        .unwrap();
    let data = slipmark::Data::from_json_str("\u{feff}{\"x\": 1}", &Budgets::default()).unwrap();
    let job = t
        .render(&data, &slipmark::printer::Printer::generic())
        .unwrap();
    assert_eq!(job.preview_text().trim(), "hi 1");
    assert_eq!(job.settings.copies, Some(2));
    // Errors point into the text after the mark (found by fuzzing the compile target).
    let err = Environment::new()
        .template_from_str("t.slip", "\u{feff}{% s# x\n")
        .unwrap_err();
    assert_eq!(err.to_string(), "t.slip:1:1: unclosed `{%`");
    // Through the CLI: files with a BOM.
    let dir = TempDir::new("hostile-bom");
    let tpl = dir.file("b.slip", "\u{feff}---\ncopies: 2\n---\nhi {{ x }}\n");
    dir.file("b.json", "\u{feff}{\"x\": 7}");
    let out = slipmark(&["render", tpl.to_str().unwrap(), "--model", "generic"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "hi 7");
}

#[test]
fn looking_for_suggestions_costs_fuel() {
    // Every undefined name in a loop compared itself with 1,000 data keys.
    let mut data = serde_json::Map::new();
    for i in 0..1000 {
        data.insert(format!("key_number_{i:010}"), serde_json::json!(i));
    }
    data.insert("items".into(), serde_json::json!(vec![0; 100_000]));
    let t = Environment::new()
        .template_from_str(
            "t.slip",
            "{% for i in items %}\n{% if key_number_00000000x %}\nx\n{% endif %}\n{% endfor %}\n",
        )
        .unwrap();
    let err = t.bind(&serde_json::Value::Object(data)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Budget, "{err}");
    assert!(err.message().contains("fuel exhausted"), "{err}");
}
