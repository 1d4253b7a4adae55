"""The `slipmark` wheel as a Python user meets it, checked against the CLI.

SLIPMARK_BIN names the CLI binary (the test script sets it); SLIPMARK_ROOT the repository.
"""

import json
import os
import pathlib
import subprocess
import threading

import pytest

import slipmark

ROOT = pathlib.Path(os.environ.get("SLIPMARK_ROOT", pathlib.Path(__file__).parents[3]))
BIN = os.environ.get("SLIPMARK_BIN", str(ROOT / "target" / "debug" / "slipmark"))
TEMPLATES = sorted((ROOT / "templates").glob("*.slip"))


def cli(*args: str) -> str:
    out = subprocess.run([BIN, *args], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def load(path: pathlib.Path):
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
@pytest.mark.parametrize("printer", ["K4-WA", "k7", "generic"])
def test_every_template_renders_like_the_cli(path, printer):
    rel = str(path.relative_to(ROOT))
    t = slipmark.Template.from_file(path)
    job = t.render(load(path), printer=printer)
    assert job.content == cli("render", rel, "--model", printer, "--format", "content")
    assert job.preview == cli("render", rel, "--model", printer, "--format", "preview")
    assert job.printer == json.loads(cli("render", rel, "--model", printer, "--format", "json"))["model"]


def test_the_default_printer_is_the_clis():
    path = ROOT / "templates" / "kitchen.slip"
    job = slipmark.Template.from_file(path).render(load(path))
    assert job.printer == "k4"
    assert job.content == cli("render", "templates/kitchen.slip", "--format", "content")


def test_a_template_error_carries_its_position_and_hint():
    with pytest.raises(slipmark.SlipmarkError) as e:
        slipmark.compile("# 合计 {{ total | mony }}\n", name="bad.slip")
    err = e.value
    assert (err.kind, err.file, err.line, err.column) == ("filter", "bad.slip", 1, 17)
    assert err.message == "unknown filter `mony`"
    assert err.hint and "money" in err.hint
    assert err.span == (20, 24)  # bytes: "合计" is 6
    assert str(err).startswith("error[filter]: unknown filter `mony`")


def test_the_message_matches_the_cli(tmp_path):
    bad = tmp_path / "bad.slip"
    bad.write_text("{% for x in xs %}\n{{ x }}\n", encoding="utf-8")
    out = subprocess.run([BIN, "check", str(bad)], capture_output=True, text=True)
    assert out.returncode == 1
    with pytest.raises(slipmark.SlipmarkError) as e:
        slipmark.Template.from_file(bad)
    assert e.value.diagnostics[0].rendered in out.stderr


def test_missing_data_and_a_model_limit_are_errors_with_positions():
    t = slipmark.compile("{{ order.total }}\n![code128]({{ no }})\n", name="t.slip")
    with pytest.raises(slipmark.SlipmarkError) as e:
        t.render({"no": "A1"})
    assert (e.value.kind, e.value.line) == ("undefined", 1)
    with pytest.raises(slipmark.SlipmarkError) as e:
        t.render({"order": {"total": 1}, "no": "A1"}, printer="k2s")
    assert (e.value.kind, e.value.line, e.value.column) == ("model", 2, 15)  # at the data
    with pytest.raises(slipmark.SlipmarkError) as e:
        t.render('{"order": ', printer="k4")
    assert e.value.kind == "data"
    with pytest.raises(slipmark.SlipmarkError) as e:
        t.render({}, printer="Q9")
    assert e.value.kind == "unknown-model"


def test_includes_from_a_mapping_and_nowhere_else():
    source = '{% include "footer.slip" %}\n'
    with pytest.raises(slipmark.SlipmarkError) as e:
        slipmark.compile(source)
    assert e.value.kind == "include"
    t = slipmark.compile(source, includes={"footer.slip": "-> 谢谢 <-\n"})
    assert t.render({}, printer="generic").preview.strip() == "谢谢"


def test_warnings_come_back_as_diagnostics():
    t = slipmark.compile("# {{ x }}\n", name="w.slip")
    job = t.render({"x": "好😀"}, printer="k4")
    (w,) = job.warnings
    assert (w.severity, w.kind, w.line, w.column) == ("warning", "replaced-char", 1, 6)
    assert "□" in job.preview


def test_check_lists_every_error():
    t = slipmark.compile("{{ a }}\n{{ b }}\n")
    assert [d.line for d in t.check({})] == [1, 2]
    assert t.check({"a": 1, "b": 2}) == []


def test_printers_list_the_catalogue():
    ids = [p["id"] for p in slipmark.printers()]
    assert "k4-a" in ids and ids[-1] == "generic"


def test_one_template_renders_from_many_threads():
    path = ROOT / "templates" / "takeaway.slip"
    t = slipmark.Template.from_file(path)
    data = load(path)
    want = t.render(data, printer="K4-WA").content
    results, errors = [], []

    def work():
        try:
            for _ in range(50):
                results.append(t.render(data, printer="K4-WA").content)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    assert len(results) == 400 and all(r == want for r in results)


def test_the_schema_is_the_clis():
    path = ROOT / "templates" / "takeaway.slip"
    t = slipmark.Template(
        path.read_text(encoding="utf-8"),
        name="templates/takeaway.slip",  # the name the CLI shows in the schema's descriptions
        include_dir=path.parent,
    )
    schema = t.schema()
    assert schema == json.loads(cli("schema", "templates/takeaway.slip"))
    assert schema["$schema"].endswith("2020-12/schema")
