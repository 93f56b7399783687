#!/usr/bin/env python3
"""Measure how fast `brief serve` starts and how fast a save reaches the open page.

    scripts/measure-reload.py BRIEF_BINARY SITE_DIR [--saves N] [--starts N]
                              [--kinds source,annotation] [--source REL] [--annotation REL]
                              [--json FILE]

Copies the briefing in SITE_DIR (site.toml, content/, templates/, static/) to a temporary
folder and measures, on that copy:

- **start**: the time from launching `brief serve` until its first page (`/`) answers 200,
  against the time of `brief build -o /dev/shm/…` of the same copy (a fresh output folder
  each run, on tmpfs). Both are run `--starts` times, interleaved (build, serve, serve,
  build, …) so a drift of the machine falls on both alike; medians are printed, with the
  ratio.
- **save-to-reload**, for each kind of edit in `--kinds`: serve runs, a live-reload
  WebSocket is open as the page the edit shows on would open it, and `--saves` times the file
  is edited; the time is from the write to the end of the page's new answer (the `reload`
  message for that page arrived and a GET of the page returned it, with the edit in it: what a
  browser does). A *source* edit appends a sentence to a source's text (its page is
  /sources/ID/); an *annotation* edit adds words to the first claim `text:` of a collection
  file (the page of its item, /COLLECTION/ITEM/). serve's own time for each rebuild (its
  `rebuilt in` line) is printed beside.

Prints each figure and the medians; with --json, writes them to FILE as well. Standard
library only.
"""

import argparse
import base64
import http.client
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
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
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


def get(port, path, timeout=5):
    """(status, body) of a GET, or (None, b"") when nothing answers yet."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except OSError:
        return None, b""


def cpu_seconds(pid):
    """The CPU time (user and system) a process has used so far, from /proc (None
    elsewhere): on a shared machine a steadier figure than the wall clock."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Serve:
    """A `brief serve` process on the copy, its terminal output gathered."""

    def __init__(self, brief, work, verbose=False):
        self.port = free_port()
        args = [brief] + (["-v"] if verbose else []) + ["-C", work, "serve", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.log = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stderr:
            self.log.append(line.rstrip("\n"))

    def wait_first_page(self, timeout=600):
        """Polls / until it answers 200; returns the seconds since the launch's caller
        started the clock (the caller times it)."""
        deadline = time.time() + timeout
        while True:
            status, _ = get(self.port, "/", timeout=2)
            if status == 200:
                return
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("serve never answered:\n" + "\n".join(self.log))
            time.sleep(0.005)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def measure_start(brief, work, runs):
    """Medians of `brief build` and of serve's first page, interleaved."""
    out_dir = tempfile.mkdtemp(prefix="brief-start-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    out = os.path.join(out_dir, "x")
    builds, starts = [], []

    def build():
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        r = subprocess.run(
            [brief, "-q", "-C", work, "build", "-o", out],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        t = time.perf_counter() - t0
        if r.returncode != 0:
            raise SystemExit("the build failed:\n" + r.stderr)
        builds.append(t)
        print(f"  build: {t:.2f} s", flush=True)

    def serve():
        t0 = time.perf_counter()
        s = Serve(brief, work)
        try:
            s.wait_first_page()
            t = time.perf_counter() - t0
        finally:
            s.stop()
        starts.append(t)
        print(f"  serve to first page: {t:.2f} s", flush=True)

    try:
        for i in range(runs):
            # A B B A: each gets the same share of the machine's drift.
            for step in (build, serve) if i % 2 == 0 else (serve, build):
                step()
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    b, s = statistics.median(builds), statistics.median(starts)
    print(f"start: serve {s:.2f} s against build {b:.2f} s (median of {runs}): {s / b:.2f}×")
    return {"build_s": b, "serve_start_s": s, "ratio": s / b, "builds": builds, "starts": starts}


def source_edit(work, rel):
    """The file, the page it shows on, and how to edit it the i-th time."""
    if rel is None:
        names = sorted(os.listdir(os.path.join(work, "content", "sources")))
        rel = os.path.join("content", "sources", names[0])
    page = "/sources/" + os.path.splitext(os.path.basename(rel))[0] + "/"

    def edit(original, stamp):
        return original.rstrip("\n") + f" Edit {stamp}.\n"

    return rel, page, edit


def annotation_edit(work, rel):
    """As [`source_edit`], for the first claim `text:` of a collection file (the largest
    one, by default: the costliest to parse again) and the page of its item."""
    folder = os.path.join(work, "content", "annotations")
    if rel is None:
        names = [n for n in os.listdir(folder) if n.endswith((".yaml", ".yml"))]
        names.sort(key=lambda n: (-os.path.getsize(os.path.join(folder, n)), n))
        rel = os.path.join("content", "annotations", names[0])
    original = open(os.path.join(work, rel), encoding="utf-8").read()
    claim = re.search(r"\n\s*(?:- )?text: (?=[A-Za-z])", original)
    if not claim:
        raise SystemExit(f"{rel} has no claim `text:` to edit")
    ids = list(re.finditer(r"\n\s*- id: ([\w-]+)", original[: claim.start()]))
    if not ids:
        raise SystemExit(f"{rel}: no item id before its first claim")
    collection = os.path.splitext(os.path.basename(rel))[0]
    page = f"/{collection}/{ids[-1].group(1)}/"
    at = claim.end()

    def edit(original, stamp):
        return original[:at] + f"Edit {stamp}, " + original[at:]

    return rel, page, edit


def measure_reload(brief, work, kinds, saves, source_rel, annotation_rel, page_override=None):
    serve = Serve(brief, work, verbose=True)
    results = {}
    try:
        serve.wait_first_page()
        print(next((l for l in serve.log if l.startswith("built ")), "(built)"), flush=True)
        for kind in kinds:
            rel, page, edit = (
                source_edit(work, source_rel) if kind == "source" else annotation_edit(work, annotation_rel)
            )
            page = page_override or page
            status, _ = get(serve.port, page, timeout=60)
            if status != 200:
                raise SystemExit(f"{page} answers {status}: pick another file")
            target = os.path.join(work, rel)
            original = open(target, encoding="utf-8").read()
            s = ws_connect(serve.port, page)
            ws_read(s)  # hello
            times, own, cpu = [], [], []
            print(f"{kind} edit: {rel}, open page {page}", flush=True)
            try:
                for i in range(saves):
                    stamp = f"number {i} at {time.time_ns()}"
                    text = edit(original, stamp)
                    rebuilt_before = sum("rebuilt in" in l or "build failed" in l for l in serve.log)
                    c0 = cpu_seconds(serve.proc.pid)
                    t0 = time.perf_counter()
                    with open(target, "w", encoding="utf-8") as f:
                        f.write(text)
                    while True:
                        m = json.loads(ws_read(s))
                        if m.get("type") == "error":
                            raise SystemExit("the build failed:\n" + m.get("text", ""))
                        if m.get("type") == "reload" and (m.get("pages") is None or page in m["pages"]):
                            break
                    status, body = get(serve.port, page, timeout=60)
                    t1 = time.perf_counter()
                    if status != 200 or stamp.encode() not in body:
                        raise SystemExit(f"{page} does not show the edit after the reload ({status})")
                    times.append((t1 - t0) * 1000)
                    c1 = cpu_seconds(serve.proc.pid)
                    if c0 is not None and c1 is not None:
                        cpu.append((c1 - c0) * 1000)
                    # serve's own line for this rebuild.
                    deadline = time.time() + 10
                    while time.time() < deadline:
                        lines = [l for l in serve.log if "rebuilt in" in l or "build failed" in l]
                        if len(lines) > rebuilt_before:
                            break
                        time.sleep(0.01)
                    m = re.search(r"rebuilt in ([\d.]+) (ms|s)", lines[-1]) if lines else None
                    if m:
                        own.append(float(m.group(1)) * (1 if m.group(2) == "ms" else 1000))
                    print(
                        f"  save {i + 1}: {times[-1]:.0f} ms"
                        + (f" (serve's rebuild {own[-1]:.0f} ms" if m else " (")
                        + (f", {cpu[-1]:.0f} ms of CPU)" if cpu else ")"),
                        flush=True,
                    )
                    time.sleep(0.4)
            finally:
                with open(target, "w", encoding="utf-8") as f:
                    f.write(original)
                s.close()
                time.sleep(1.0)
            results[kind] = {
                "median_ms": statistics.median(times),
                "min_ms": min(times),
                "max_ms": max(times),
                "serve_rebuild_median_ms": statistics.median(own) if own else None,
                "serve_cpu_median_ms": statistics.median(cpu) if cpu else None,
                "times_ms": times,
                "file": rel,
                "page": page,
            }
            print(
                f"{kind} save-to-reload: median {statistics.median(times):.0f} ms "
                f"(min {min(times):.0f}, max {max(times):.0f}, {len(times)} saves)"
                + (f"; serve's own rebuild median {statistics.median(own):.0f} ms" if own else "")
                + (f", {statistics.median(cpu):.0f} ms of CPU" if cpu else ""),
                flush=True,
            )
        stages = [l.strip() for l in serve.log if l.strip().startswith("(build ")]
        if stages:
            print("last rebuild's stages: " + stages[-1], flush=True)
    finally:
        serve.stop()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("brief")
    ap.add_argument("site")
    ap.add_argument("--saves", type=int, default=5, help="saves per kind of edit (0: none)")
    ap.add_argument("--starts", type=int, help="runs of build and of serve's start (default 3; 0: none)")
    ap.add_argument("--kinds", default="source,annotation", help="source, annotation or both")
    ap.add_argument("--source", help="the source file to edit, relative to the site")
    ap.add_argument("--annotation", help="the collection file to edit, relative to the site")
    ap.add_argument("--json", help="also write the figures to this file")
    # The interface of earlier versions: one file (its kind by its extension), one page.
    ap.add_argument("--file", help="edit only this file (a source, or a collection .yaml)")
    ap.add_argument("--page", help="the page the edit shows on, when not the one guessed")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    if args.file:
        kind = "annotation" if args.file.endswith((".yaml", ".yml")) else "source"
        kinds = [kind]
        if kind == "source":
            args.source = args.file
        else:
            args.annotation = args.file
    if args.starts is None:
        # The one-file form of earlier versions measured the reload only.
        args.starts = 0 if args.file else 3
    for k in kinds:
        if k not in ("source", "annotation"):
            raise SystemExit(f"unknown kind of edit {k!r}")
    brief = os.path.abspath(args.brief)

    work = tempfile.mkdtemp(prefix="brief-measure-")
    try:
        for name in ["site.toml", "strings.toml", "content", "templates", "static"]:
            src = os.path.join(args.site, name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(work, name))
            elif os.path.exists(src):
                shutil.copy(src, work)
        figures = {"site": args.site}
        if args.starts > 0:
            figures["start"] = measure_start(brief, work, args.starts)
        if args.saves > 0 and kinds:
            figures["reload"] = measure_reload(
                brief, work, kinds, args.saves, args.source, args.annotation, args.page
            )
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(figures, f, indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
