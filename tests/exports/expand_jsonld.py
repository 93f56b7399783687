"""Expands annotations.jsonld offline with PyLD and checks that no term was dropped.

Usage: expand_jsonld.py EXPORT CONTEXT_FILE
The W3C context URL is served from CONTEXT_FILE (no network). JSON-LD expansion silently
drops every key the context does not define, so the export is expanded and compacted back
with the same context: every key of the export (at any depth) must still be there, and every
annotation of the collection must expand to an oa:Annotation. Prints a line and exits 1 on
a problem.
"""

import json
import sys

from pyld import jsonld

CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"


def main():
    export_path, context_path = sys.argv[1], sys.argv[2]
    with open(context_path, encoding="utf-8") as f:
        context = json.load(f)

    def loader(url, options=None):
        if url.rstrip("/") != CONTEXT_URL:
            raise RuntimeError("no network in this test: asked for " + url)
        return {"contentType": "application/ld+json", "contextUrl": None,
                "documentUrl": url, "document": context}

    with open(export_path, encoding="utf-8") as f:
        doc = json.load(f)
    options = {"documentLoader": loader}
    expanded = jsonld.expand(doc, options)
    back = jsonld.compact(expanded, CONTEXT_URL, options)

    def keys(node, out):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "@context":
                    out.add(k)
                keys(v, out)
        elif isinstance(node, list):
            for v in node:
                keys(v, out)
        return out

    dropped = keys(doc, set()) - keys(back, set())
    if dropped:
        print("terms dropped by JSON-LD expansion: " + ", ".join(sorted(dropped)))
        sys.exit(1)

    annotations = 0

    def count(node):
        nonlocal annotations
        if isinstance(node, dict):
            if "http://www.w3.org/ns/oa#Annotation" in node.get("@type", []):
                annotations += 1
            for v in node.values():
                count(v)
        elif isinstance(node, list):
            for v in node:
                count(v)

    count(expanded)
    if annotations != doc["total"]:
        print(f"{annotations} oa:Annotation nodes after expansion, total says {doc['total']}")
        sys.exit(1)
    print(f"ok: {annotations} annotations, {len(keys(doc, set()))} terms, none dropped")


main()
