#!/usr/bin/env python3
"""Changes one word at the end of a file, back and forth, so that each build after it has a
page to write (for scripts/bench.sh's "one source changed" row)."""
import sys

path = sys.argv[1]
text = open(path, encoding="utf-8").read()
a, b = "brief-bench-a", "brief-bench-b"
if a in text:
    text = text.replace(a, b)
elif b in text:
    text = text.replace(b, a)
else:
    text = text.rstrip("\n") + " " + a + "\n"
open(path, "w", encoding="utf-8").write(text)
