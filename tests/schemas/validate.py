"""Validates JSON files against a JSON Schema (draft 2020-12), for tests/schemas.rs.

usage: validate.py SCHEMA FILE...

Checks the schema itself first (check_schema), then prints `ok FILE` or `invalid FILE: …`
for each file; exits 1 when the schema or any file is invalid.
"""

import json
import sys

import jsonschema


def main():
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            instance = json.load(f)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            bad += 1
            shown = "; ".join(
                f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5]
            )
            print(f"invalid {path}: {shown}")
        else:
            print(f"ok {path}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
