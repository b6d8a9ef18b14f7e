#!/usr/bin/env python3
"""Benchmark ``blogtools links`` end to end against local servers only (issue 7's figures).

    python3 benchmarks/links.py [--posts 200] [--hosts 4] [--repeat 3]
                                [--per-host 2 --rate 5 --concurrency 16 | --fast]

Starts a threaded HTTP server on each of 127.0.0.1..127.0.0.K (ephemeral ports):
``/ok/N`` -> 200 small HTML page, ``/moved/N`` -> 301 to ``/ok/N``, anything else
(``/gone/N``) -> 404; every request is counted.  Generates a Hugo site in a temp dir
with ~5 distinct links per post, then times ``blogtools links <site>`` (subprocess, via
run.py's helper) once with an empty ``BLOGTOOLS_CACHE_DIR`` (cold) and ``--repeat``
times with the filled cache (warm: must make 0 requests).  No other address is contacted:
proxy variables are removed from the child's environment.  Standard library only.
"""

from __future__ import annotations

import argparse
import http.server
import os
import shlex
import shutil
import signal
import statistics
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import run  # noqa: E402  (benchmarks/run.py: run_once, machine_info, default_command, show_cmd, fmt_s)

PAGE = b"<!doctype html><html><head><title>ok</title></head><body><h1 id='top'>ok</h1></body></html>\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        with self.server.lock:
            self.server.requests += 1
        kind = self.path.split("/")[1] if self.path.count("/") >= 2 else ""
        if kind == "ok":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif kind == "moved":
            self.send_response(301)
            self.send_header("Location", "/ok/" + self.path.split("/", 2)[2])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)

    do_HEAD = do_GET

    def log_message(self, *args) -> None:
        pass


def start_servers(k: int) -> list[http.server.ThreadingHTTPServer]:
    servers = []
    for i in range(1, k + 1):
        srv = http.server.ThreadingHTTPServer((f"127.0.0.{i}", 0), Handler)
        srv.daemon_threads, srv.requests, srv.lock = True, 0, threading.Lock()
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
    return servers


def make_site(root: str, posts: int, bases: list[str], args: argparse.Namespace) -> tuple[int, int]:
    """hugo.toml, blogtools.toml and `posts` posts with 5 distinct URLs each; returns (urls, moved)."""
    with open(os.path.join(root, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://bench.example.org/"\ntitle = "links bench"\n')
    with open(os.path.join(root, "blogtools.toml"), "w") as f:
        f.write(f"[links]\nskip-reserved = false\nper-host = {args.per_host}\nrate = {args.rate}\n"
                f"concurrency = {args.concurrency}\n")
    os.makedirs(os.path.join(root, "content", "posts"))
    n = moved = 0
    for p in range(posts):
        lines = ["---", f'title: "Post {p}"', f"date: 2024-01-{p % 28 + 1:02d}", "---", ""]
        for _ in range(5):
            kind = ("moved", "gone")[n % 10 - 8] if n % 10 >= 8 else "ok"   # 80 % ok, 10 % 301, 10 % 404
            moved += kind == "moved"
            lines.append(f"See [link {n}]({bases[n % len(bases)]}/{kind}/{n}) for details.\n")
            n += 1
        with open(os.path.join(root, "content", "posts", f"post-{p}.md"), "w") as f:
            f.write("\n".join(lines))
    return n, moved


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--hosts", type=int, default=4, help="servers on 127.0.0.1..127.0.0.K")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs")
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--rate", type=float, default=5)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--fast", action="store_true", help="per-host 8, rate 1000 (rate must be > 0), concurrency 32")
    ap.add_argument("--timeout", type=float, default=600, help="global limit in seconds")
    args = ap.parse_args()
    if args.fast:
        args.per_host, args.rate, args.concurrency = 8, 1000, 32
    if not 1 <= args.hosts <= 254:
        ap.error("--hosts must be 1..254")
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError(f"global timeout {args.timeout} s")))
    signal.setitimer(signal.ITIMER_REAL, args.timeout)
    machine = run.machine_info()
    servers = start_servers(args.hosts)
    work = tempfile.mkdtemp(prefix="blogtools-links-bench-")
    try:
        site, cache = os.path.join(work, "site"), os.path.join(work, "cache")
        os.makedirs(site)
        os.makedirs(cache)
        bases = [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]
        n_urls, n_moved = make_site(site, args.posts, bases, args)
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(BLOGTOOLS_CACHE_DIR=cache, NO_PROXY="*", no_proxy="*")
        env.pop("CI", None)
        # BT703 would also ask each http:// URL's https:// twin (issue 7's end-to-end figure ignores it).
        argv = run.default_command() + ["links", site, "--ignore", "BT703"]

        def timed() -> tuple[float, int, int]:
            before = sum(s.requests for s in servers)
            left = max(1.0, signal.getitimer(signal.ITIMER_REAL)[0])
            r = run.run_once(argv, env, site, left)
            return r["wall_s"], sum(s.requests for s in servers) - before, r["stdout_sorted_sha"]

        run.log(f"cold run: {n_urls} URLs on {args.hosts} hosts ...")
        cold_s, cold_req, cold_lines = timed()
        run.log(f"  {run.fmt_s(cold_s)}, {cold_req} requests; {args.repeat} warm runs ...")
        warm = [timed() for _ in range(args.repeat)]
        warm_s = [w[0] for w in warm]
        warm_req = sum(w[1] for w in warm)
        same = all(w[2] == cold_lines for w in warm)
    except (run.CommandFailed, TimeoutError) as e:
        run.log(f"FAILED: {e}")
        return 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for s in servers:
            s.shutdown()
            s.server_close()
        shutil.rmtree(work, ignore_errors=True)

    settings = f"per-host = {args.per_host}, rate = {args.rate:g}, concurrency = {args.concurrency}"
    out = [f"## blogtools links benchmark ({settings})", "",
           f"- {args.posts} posts, {n_urls} distinct URLs ({n_moved} × 301 → +{n_moved} hops, "
           f"{n_urls // 10} × 404) on {args.hosts} loopback hosts (127.0.0.1-{args.hosts}); "
           f"expected cold requests {n_urls + n_moved}",
           f"- machine: nproc {machine['nproc']} ({machine.get('usable_cpus')} usable), {machine.get('cpu', '?')}, "
           f"load avg {machine['loadavg_start'][0]:.2f}; python {machine['python']} ({sys.executable})",
           f"- git HEAD: {machine.get('git_head') or 'n/a'}", "",
           "| scenario | median | min | max | URLs/s | requests |", "|---|---|---|---|---|---|",
           f"| cold (empty cache) | {run.fmt_s(cold_s)} | {run.fmt_s(cold_s)} | {run.fmt_s(cold_s)} "
           f"| {n_urls / cold_s:.0f} | {cold_req} |",
           f"| warm ×{args.repeat} (within TTL) | {run.fmt_s(statistics.median(warm_s))} | {run.fmt_s(min(warm_s))} "
           f"| {run.fmt_s(max(warm_s))} | – | {warm_req} |", "",
           "Commands (cwd = the site; settings in `<site>/blogtools.toml` `[links]`, `skip-reserved = false`):", "",
           "```sh", shlex.join(["python3", "benchmarks/links.py", *sys.argv[1:]]),
           run.show_cmd(argv, {"BLOGTOOLS_CACHE_DIR": "<empty tmp, then the same>"}).replace(site, "<site>"), "```", "",
           f"- warm requests: {warm_req} ({'OK' if warm_req == 0 else 'FAIL: expected 0'}); "
           f"warm output {'identical to' if same else 'DIFFERS from'} cold (sorted stdout sha {cold_lines})"]
    print("\n".join(out))
    assert warm_req == 0, f"warm runs made {warm_req} requests"
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
