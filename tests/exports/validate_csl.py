"""Validates sources.csl.json against the CSL-JSON schema with jsonschema.

Usage: validate_csl.py EXPORT SCHEMA_FILE
Prints every problem and exits 1 when the export is not valid CSL-JSON input data.
"""

import json
import sys

import jsonschema

export_path, schema_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
with open(export_path, encoding="utf-8") as f:
    data = json.load(f)
validator = jsonschema.Draft7Validator(schema)
errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
for e in errors:
    print("/".join(str(p) for p in e.path) + ": " + e.message)
if errors:
    sys.exit(1)
print(f"ok: {len(data)} items valid")
