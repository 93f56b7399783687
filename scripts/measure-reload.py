#!/usr/bin/env python3
"""Measure brief serve's save-to-reload time.

    scripts/measure-reload.py BRIEF_BINARY SITE_DIR [--file REL] [--page URL] [--saves N] [--port P]

Copies the briefing in SITE_DIR (site.toml, content/, templates/, static/) to a temporary
folder, starts `brief serve` on it, listens on the live-reload WebSocket like the page at URL
does (default `/`, the front page), and N times: edits REL (default: the first source), and
times from the write to the `reload` message for that page (sent only once its new file is
in place; serve makes the open pages first and the rest of the site after). Prints each
time, the median, and serve's own build times. Standard library only.
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def ws_connect(port, page):
    path = "/__brief/ws?page=" + urllib.parse.quote(page, safe="")
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise SystemExit(f"no WebSocket: {head!r}")
    return s


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def ws_read(s):
    """One text message (the server's frames are small and unmasked)."""
    while True:
        b0, b1 = recv_exact(s, 2)
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack(">H", recv_exact(s, 2))[0]
        elif length == 127:
            length = struct.unpack(">Q", recv_exact(s, 8))[0]
        payload = recv_exact(s, length)
        if b0 & 0x0F == 1:
            return payload.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("brief")
    ap.add_argument("site")
    ap.add_argument("--file", help="the file to edit, relative to the site")
    ap.add_argument("--page", default="/", help="the page open in the browser (URL path)")
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="brief-measure-")
    try:
        for name in ["site.toml", "content", "templates", "static"]:
            src = os.path.join(args.site, name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(work, name))
            elif os.path.exists(src):
                shutil.copy(src, work)
        rel = args.file or os.path.join(
            "content", "sources", sorted(os.listdir(os.path.join(work, "content", "sources")))[0]
        )
        target = os.path.join(work, rel)

        port = args.port
        if port == 0:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
        proc = subprocess.Popen(
            [args.brief, "-v", "-C", work, "serve", "--port", str(port)],
            stderr=subprocess.PIPE,
            text=True,
        )
        log = []

        def pump():
            for line in proc.stderr:
                log.append(line.rstrip("\n"))

        threading.Thread(target=pump, daemon=True).start()
        try:
            deadline = time.time() + 300
            while not any(l.startswith("built ") or "failed" in l for l in log):
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit("serve did not build:\n" + "\n".join(log))
                time.sleep(0.05)
            print(next(l for l in log if l.startswith("built ") or "failed" in l))
            s = ws_connect(port, args.page)
            print("hello:", ws_read(s)[:80])

            original = open(target, encoding="utf-8").read()
            times = []
            for i in range(args.saves):
                # A change of the text that shows on its page, different every time: in an
                # annotation file, the first claim's `text:` (a plain scalar) gets words added.
                stamp = f"edit number {i} at {time.time_ns()}"
                claim = re.search(r"\n\s*(?:- )?text: (?=[A-Za-z])", original)
                if target.endswith((".yaml", ".yml")) and claim:
                    text = original[: claim.end()] + f"{stamp}, " + original[claim.end() :]
                else:
                    text = original.rstrip("\n") + f" {stamp}.\n"
                t0 = time.perf_counter()
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
                while True:
                    m = ws_read(s)
                    # A reload naming pages concerns only those.
                    if '"reload"' in m:
                        pages = json.loads(m).get("pages")
                        if pages is None or args.page in pages:
                            break
                    if '"error"' in m:
                        break
                t1 = time.perf_counter()
                if '"error"' in m:
                    raise SystemExit("the build failed:\n" + m)
                times.append((t1 - t0) * 1000)
                print(f"save {i + 1}: {times[-1]:.0f} ms")
                time.sleep(0.5)
            with open(target, "w", encoding="utf-8") as f:
                f.write(original)
            time.sleep(0.5)
            def ms(v, unit):
                return float(v) if unit == "ms" else float(v) * 1000

            def figures(pattern):
                return [
                    tuple(ms(m.group(i), m.group(i + 1)) for i in range(1, m.lastindex, 2))
                    for l in log
                    for m in [re.search(pattern, l)]
                    if m
                ][: args.saves]

            print(
                f"save-to-reload: median {statistics.median(times):.0f} ms, "
                f"min {min(times):.0f} ms, max {max(times):.0f} ms over {len(times)} saves"
            )
            first = figures(r"first, in ([\d.]+) (ms|s) \(build ([\d.]+) (ms|s), write ([\d.]+) (ms|s)\)")
            whole = figures(r"rebuilt in ([\d.]+) (ms|s)")
            if first:
                print(
                    f"serve's own time for the open page: median {statistics.median(f[0] for f in first):.0f} ms "
                    f"(load, resolve and render {statistics.median(f[1] for f in first):.0f} ms, "
                    f"write {statistics.median(f[2] for f in first):.0f} ms); "
                    "the rest is the watcher's debounce and settle"
                )
            if whole:
                print(
                    f"the whole site rebuilt and written: median {statistics.median(w[0] for w in whole):.0f} ms after the save was seen"
                )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
