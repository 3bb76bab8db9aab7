#!/usr/bin/env python3
"""Edit-to-reload latency of `podium serve` on a generated hub.

    bench/reload.py SIZE [--edits 7] [--seed 1] [--work /tmp/podium-bench]

Copies the generated hub (generating it if needed, cached like run.sh) to a scratch folder,
starts `target/release/podium serve` on a free loopback port, subscribes to the
Server-Sent Events on /__podium/events, then in turn appends a sentence to one seminar file,
appends one to a post file, and gives that post a new title (the post has tags, so its
title shows on tag pages and its section's list), --edits times each. For every edit: the
time from just before the write to the `"kind":"reload"` event, and a check that the served
page then contains the new text. Prints the median per kind, the
server's startup time and its peak RSS (VmHWM from /proc/PID/status). Loopback only; every
wait has a timeout. Build the release binary first (bench/run.sh does).
"""

import argparse
import hashlib
import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
# Appended text past a seminar's or a post's summary (the talk's listings and feeds, the
# post's page), and a post's new title (also its section list's and tag pages' cards).
KINDS = ("seminar", "post", "retitle")
REPO = os.path.dirname(BENCH)
PODIUM = os.path.join(REPO, "target", "release", "podium")


def hub_for(size, seed, work):
    version = hashlib.sha1(open(os.path.join(BENCH, "generate.py"), "rb").read()).hexdigest()[:10]
    hub = os.path.join(work, f"{size}-seed{seed}-{version}", "hub")
    if not os.path.isfile(os.path.join(hub, "expected.json")):
        print(f"generating {size} hub into {hub}", file=sys.stderr)
        subprocess.run(["nice", "-n", "10", sys.executable, os.path.join(BENCH, "generate.py"),
                        size, hub, "--seed", str(seed), "--force"], check=True, timeout=3600)
    return hub


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])  # kB
    except OSError:
        pass
    return None


def get(port, path, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class Events(threading.Thread):
    """Reads the SSE stream; puts (monotonic time, parsed data) on a queue."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.q = queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.conn.request("GET", "/__podium/events", headers={"Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        if self.resp.status != 200:
            raise RuntimeError(f"/__podium/events: HTTP {self.resp.status}")

    def run(self):
        data = []
        try:
            while True:
                line = self.resp.readline()
                if not line:
                    self.q.put((time.monotonic(), None))
                    return
                line = line.decode("utf-8").rstrip("\r\n")
                if line.startswith("data:"):
                    data.append(line[5:].lstrip(" "))
                elif line == "" and data:
                    now = time.monotonic()
                    text = "\n".join(data)
                    data = []
                    try:
                        self.q.put((now, json.loads(text)))
                    except ValueError:
                        self.q.put((now, {"kind": "unparsed", "text": text}))
        except Exception as e:  # the server went away, or a timeout
            self.q.put((time.monotonic(), {"kind": "stream-error", "text": repr(e)}))

    def drain(self):
        while True:
            try:
                self.q.get_nowait()
            except queue.Empty:
                return

    def wait_reload(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None, None
            try:
                t, ev = self.q.get(timeout=left)
            except queue.Empty:
                return None, None
            if ev is None:
                raise RuntimeError("the event stream closed")
            if ev.get("kind") in ("reload", "error", "stream-error"):
                return t, ev


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("size", choices=["tiny", "small", "medium", "large"])
    ap.add_argument("--edits", type=int, default=7, help="edits per kind (default 7)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=os.environ.get("BENCH_WORK", "/tmp/podium-bench"))
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for one reload")
    ap.add_argument("--settle", type=float, default=0.5, help="pause between edits, seconds")
    args = ap.parse_args()
    if not os.access(PODIUM, os.X_OK):
        sys.exit(f"{PODIUM} missing: run `cargo build --release` first")

    src = hub_for(args.size, args.seed, args.work)
    expected = json.load(open(os.path.join(src, "expected.json"), encoding="utf-8"))
    scratch = tempfile.mkdtemp(prefix=f"podium-reload-{args.size}-")
    hub = os.path.join(scratch, "hub")
    shutil.copytree(src, hub)
    base = expected["base_path"]
    # The middle post and seminar: deterministic, and the post has tags (tag pages depend on it).
    post = expected["posts"][len(expected["posts"]) // 2]
    seminar = expected["seminars"][len(expected["seminars"]) // 2]
    targets = {
        "seminar": (os.path.join(hub, "content", "seminars", seminar + ".md"), f"{base}seminars/{seminar}/"),
        "post": (os.path.join(hub, "content", "news", post + ".md"), f"{base}news/{post}/"),
    }
    targets["retitle"] = targets["post"]

    port = free_port()
    log = open(os.path.join(scratch, "serve.log"), "w")
    t0 = time.monotonic()
    proc = subprocess.Popen([PODIUM, "serve", "--root", hub, "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    results = {kind: [] for kind in KINDS}
    problems = []
    events = None
    try:
        deadline = time.monotonic() + 1800
        while True:
            if proc.poll() is not None:
                sys.exit(f"podium serve exited with {proc.returncode}; see {log.name}")
            try:
                status, _ = get(port, base, timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("podium serve did not answer within 30 minutes")
            time.sleep(0.05)
        startup = time.monotonic() - t0
        rss_after_start = vm(proc.pid, "VmRSS")
        events = Events(port)
        events.start()
        time.sleep(1.0)
        events.drain()

        order = [k for _ in range(args.edits) for k in KINDS]
        for n, kind in enumerate(order):
            path, url = targets[kind]
            marker = f"Benchmark edit {n} zqedit{n}x."
            start = time.monotonic()
            if kind == "retitle":
                # A new title shows on the post's cards: its section's list and tag pages.
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                text = re.sub(r'^title = ".*"$', f'title = "{marker}"', text, count=1, flags=re.M)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            else:
                with open(path, "a", encoding="utf-8") as f:
                    f.write(f"\n{marker}\n")
            t, ev = events.wait_reload(args.timeout)
            if t is None:
                problems.append(f"edit {n} ({kind}): no reload within {args.timeout} s")
                continue
            if ev.get("kind") != "reload":
                problems.append(f"edit {n} ({kind}): got {ev.get('kind')}: {str(ev)[:200]}")
                continue
            results[kind].append(t - start)
            status, body = get(port, url)
            if status != 200 or f"zqedit{n}x".encode() not in body:
                problems.append(f"edit {n} ({kind}): {url} does not show the edit (HTTP {status})")
            paths = ev.get("paths") or []
            if not ev.get("all") and not any(p.rstrip("/").endswith(url.rstrip("/")) or
                                             url in p for p in paths):
                problems.append(f"edit {n} ({kind}): reload event does not name {url}")
            print(f"  {kind:7} edit {n // len(KINDS) + 1}: {1000 * (t - start):8.1f} ms"
                  f"  ({len(paths)} paths in the event)", file=sys.stderr)
            time.sleep(args.settle)
            events.drain()
        hwm = vm(proc.pid, "VmHWM")
    finally:
        if events is not None:
            # Close the event stream first: serve's graceful shutdown waits for open streams.
            try:
                events.resp.fp and events.resp.fp.raw._sock.shutdown(socket.SHUT_RDWR)
            except (AttributeError, OSError):
                pass
            events.conn.close()
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log.close()

    print(f"\n{args.size} hub, podium serve on 127.0.0.1:{port}, {os.cpu_count()} cores, "
          f"load average {open('/proc/loadavg').read().split()[0]}")
    print(f"startup (first build until the home page answers): {startup:.2f} s, "
          f"RSS then {rss_after_start / 1024:.0f} MB")
    for kind in KINDS:
        xs = results[kind]
        if xs:
            print(f"{kind} edit → reload: median {1000 * statistics.median(xs):.0f} ms "
                  f"(min {1000 * min(xs):.0f}, max {1000 * max(xs):.0f}, n={len(xs)})")
        else:
            print(f"{kind} edit → reload: no measurement")
    print(f"serve peak RSS (VmHWM): {hwm / 1024:.0f} MB" if hwm else "serve peak RSS: unknown")
    for p in problems:
        print(f"problem: {p}")
    shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
