"""`slipmark schema` checked by an independent JSON Schema validator (Python's `jsonschema`).

Run by .ci/run as `python tests/python/schema_validates_data.py target/debug/slipmark`:

- every schema printed for a template in templates/ is a valid 2020-12 schema;
- each template's sample data (its sibling .json) is valid against its schema;
- templates/takeaway.json with `order.items[0].price` removed is rejected, at that path;
- a price given as a word is rejected too (arithmetic needs a number).
"""

import copy
import json
import pathlib
import subprocess
import sys

from jsonschema import Draft202012Validator

slipmark = sys.argv[1]
root = pathlib.Path(__file__).resolve().parents[2]


def schema(template):
    out = subprocess.run(
        [slipmark, "schema", str(template)], cwd=root, capture_output=True, text=True, check=True
    )
    s = json.loads(out.stdout)
    Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema", s
    return Draft202012Validator(s)


checked = 0
for template in sorted((root / "templates").glob("*.slip")):
    data_file = template.with_suffix(".json")
    validator = schema(template.relative_to(root))
    if data_file.exists():
        data = json.loads(data_file.read_text())
        errors = list(validator.iter_errors(data))
        assert not errors, f"{template.name}: {[e.message for e in errors]}"
        checked += 1

takeaway = schema("templates/takeaway.slip")
data = json.loads((root / "templates/takeaway.json").read_text())
takeaway.validate(data)

broken = copy.deepcopy(data)
del broken["order"]["items"][0]["price"]
errors = list(takeaway.iter_errors(broken))
assert len(errors) == 1, [e.message for e in errors]
assert list(errors[0].absolute_path) == ["order", "items", 0], errors[0].absolute_path
assert "'price' is a required property" in errors[0].message, errors[0].message

word = copy.deepcopy(data)
word["order"]["items"][1]["qty"] = "two"
errors = list(takeaway.iter_errors(word))
assert [list(e.absolute_path) for e in errors] == [["order", "items", 1, "qty"]], errors

print(f"schema_validates_data: {checked} templates valid against their data; takeaway rejects the broken data")
