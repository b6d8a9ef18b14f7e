#!/usr/bin/env python3
"""Benchmark the blogtools CLI the way a user runs it.

    python3 benchmarks/run.py [--posts 10000] [--repeat 5] [--out results.json]
                              [--cmd CMD] [--compare CMD ...]

Scenarios (each run as a subprocess, wall time includes interpreter start):

  one     blogtools lint post.md --no-cache   (one post of the corpus, copied alone
          into an empty folder: the standalone-file case the 150 ms target is about)
  cold    blogtools lint <site> --no-cache
  warm    blogtools lint <site>            (BLOGTOOLS_CACHE_DIR filled by one untimed run)
          and blogtools lint <one post of the site> with that cache (the pre-commit case),
          unchanged and then edited before each run
  memory  one more cold run, sampling the RSS of the whole process tree every 20 ms

Exit status 0 and 1 of the command under test are normal (1 = problems found);
anything else stops the benchmark and prints the command's stderr.

Only the standard library is used; Linux only (/proc, os.wait4).  See README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True               # no __pycache__ inside benchmarks/
import generate  # noqa: E402  (benchmarks/generate.py)

SCENARIOS = ("one", "cold", "warm", "memory")

# Targets from the project brief; memory is checked against the process-tree peak.
TARGETS = {
    "one": ("median_s", 0.150, "<= 150 ms"),
    "cold": ("median_s", 8.0, "<= 8 s"),
    "warm": ("median_s", 1.0, "<= 1 s"),
    "memory": ("tree_peak_mb", 300.0, "<= 300 MB"),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------

def default_cache_root() -> str:
    env = os.environ.get("BLOGTOOLS_BENCH_CACHE")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "blogtools-bench")


def generator_digest() -> str:
    with open(os.path.join(HERE, "generate.py"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:10]


def ensure_corpus(posts: int, seed: int, root: str, images: bool) -> tuple[str, dict]:
    """Return (site_dir, info); generate the site unless a finished copy exists."""
    key = f"posts{posts}-seed{seed}-gen{generator_digest()}" + ("-img" if images else "")
    site = os.path.join(root, key)
    done = site + ".done.json"
    if os.path.isdir(site) and os.path.exists(done):
        with open(done, encoding="utf-8") as f:
            info = json.load(f)
        info["reused"] = True
        log(f"reusing corpus {site}")
        return site, info
    os.makedirs(root, exist_ok=True)
    if os.path.exists(site):                     # an unfinished earlier attempt
        shutil.rmtree(site)
    # Drop corpora made by older versions of generate.py for the same N and seed.
    stale_prefix = f"posts{posts}-seed{seed}-gen"
    digest = generator_digest()
    for name in os.listdir(root):
        if name.startswith(stale_prefix) and not name.startswith(stale_prefix + digest):
            path = os.path.join(root, name)
            log(f"removing stale corpus {path}")
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
    tmp = tempfile.mkdtemp(prefix=key + ".tmp-", dir=root)
    log(f"generating {posts} posts (seed {seed}) ...")
    t0 = time.perf_counter()
    stats = generate.generate(posts, tmp, seed, images)
    gen_s = time.perf_counter() - t0
    os.rename(tmp, site)
    info = dict(stats, generation_s=round(gen_s, 3), path=site, key=key)
    with open(done, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2)
    info["reused"] = False
    log(f"generated in {gen_s:.2f} s -> {site}")
    return site, info


def corpus_files(site: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(site, "content")):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".md", ".markdown")):
                out.append(os.path.join(dirpath, name))
    return out


def prime_page_cache(paths: list[str]) -> int:
    total = 0
    for p in paths:
        with open(p, "rb") as f:
            total += len(f.read())
    return total


# --------------------------------------------------------------------------
# Process-tree RSS sampler
# --------------------------------------------------------------------------

def _read(path: str) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        return os.read(fd, 8192)
    except OSError:
        return None
    finally:
        os.close(fd)


def _ppid(pid: int) -> int | None:
    data = _read(f"/proc/{pid}/stat")
    if not data:
        return None
    # comm may contain spaces and parentheses: fields start after the last ')'
    rest = data[data.rfind(b")") + 2:].split(None, 2)
    try:
        return int(rest[1])
    except (IndexError, ValueError):
        return None


def _field_kb(pid: int, field: bytes, fname: str = "status") -> int:
    data = _read(f"/proc/{pid}/{fname}")
    if not data:
        return 0
    i = data.find(field)
    if i < 0:
        return 0
    try:
        return int(data[i + len(field):data.index(b"kB", i)])
    except ValueError:
        return 0


class TreeSampler(threading.Thread):
    """Sum VmRSS (and optionally Pss) over the descendants of `root`.

    `root` is the measuring helper; it is not counted.  Every `interval` s the
    sampler lists /proc, reads the ppid (from /proc/<pid>/stat) of each pid it
    has not seen before, and adds it to the tree if its parent is in the tree.
    A process stays counted after its parent exits (orphaned workers still use
    memory).  Only new pids are read, so a sample costs well under a ms.
    """

    def __init__(self, root: int, interval: float, pss: bool):
        super().__init__(daemon=True)
        self.root, self.interval, self.pss = root, interval, pss
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_procs = 0
        self.samples = 0
        self.tree: set[int] = {root}
        self.known: set[int] = set()
        self._halt = threading.Event()

    def _scan(self) -> None:
        alive = {int(n) for n in os.listdir("/proc") if n.isdigit()}
        self.known &= alive                     # forget pids that went away (pid reuse)
        self.tree &= alive | {self.root}
        new = {}
        for pid in alive - self.known:
            pp = _ppid(pid)
            if pp is not None:
                new[pid] = pp
        self.known |= new.keys()
        changed = True
        while changed:                          # a child and its grandchild may both be new
            changed = False
            for pid, pp in new.items():
                if pid not in self.tree and pp in self.tree:
                    self.tree.add(pid)
                    changed = True

    def sample(self) -> None:
        self._scan()
        pids = [p for p in self.tree if p != self.root]
        rss = sum(_field_kb(p, b"VmRSS:") for p in pids)
        if rss == 0:                            # not started yet or already gone
            return
        self.samples += 1
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        self.peak_procs = max(self.peak_procs, len(pids))
        if self.pss:
            pss = sum(_field_kb(p, b"Pss:", "smaps_rollup") for p in pids)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)

    def run(self) -> None:
        self.sample()
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --------------------------------------------------------------------------
# Running one command
# --------------------------------------------------------------------------

class CommandFailed(Exception):
    pass


# The command under test is started by this tiny helper, not by run.py itself:
# a child's ru_maxrss starts at the RSS of the process that forked it (run.py
# can be 30+ MB), so measuring through a ~9 MB helper keeps the floor low.  The
# helper also takes the wall time right around posix_spawn/wait, so its own
# interpreter start is not counted.
HELPER = r"""
import os, sys, time, resource
out, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
try:
    pid = os.posix_spawnp(argv[0], argv, os.environ)
except OSError as e:
    with open(out, "w") as f:
        f.write("spawn-error " + repr(str(e)))
    sys.exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t0
rc = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    f.write("%r %d %d %d %r %r" % (wall, os.waitstatus_to_exitcode(status), ru.ru_maxrss,
                                   rc.ru_maxrss, ru.ru_utime, ru.ru_stime))
"""


def run_once(argv: list[str], env: dict, cwd: str, timeout: float,
             sampler_interval: float | None = None, pss: bool = False) -> dict:
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    fd, report = tempfile.mkstemp(prefix="blogtools-bench-", suffix=".txt")
    os.close(fd)
    helper = [sys.executable, "-I", "-S", "-c", HELPER, report] + argv
    try:
        p = subprocess.Popen(helper, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             env=env, cwd=cwd, start_new_session=True)
    except OSError as e:
        raise CommandFailed(f"cannot start {shlex.join(argv)}: {e}") from e
    sampler = None
    if sampler_interval:
        sampler = TreeSampler(p.pid, sampler_interval, pss)
        sampler.start()
    timed_out = threading.Event()

    def on_timeout():
        timed_out.set()
        try:
            os.killpg(p.pid, signal.SIGKILL)     # the session created for this run only
        except OSError:
            pass

    timer = threading.Timer(timeout, on_timeout)
    timer.start()
    p.wait()
    timer.cancel()
    if sampler:
        sampler.stop()
    out.seek(0)
    stdout = out.read()
    err.seek(0)
    stderr = err.read()
    out.close()
    err.close()
    with open(report, encoding="utf-8") as f:
        fields = f.read().split()
    os.unlink(report)
    stderr_tail = stderr[-4000:].decode("utf-8", "replace")
    if timed_out.is_set():
        raise CommandFailed(f"timed out after {timeout} s: {shlex.join(argv)}\n{stderr_tail}")
    if len(fields) < 6 or fields[0] == "spawn-error":
        raise CommandFailed(f"cannot run {shlex.join(argv)}: {' '.join(fields) or 'helper exit %s' % p.returncode}\n"
                            f"{stderr_tail}")
    wall, code, maxrss_kb, children_maxrss_kb = float(fields[0]), int(fields[1]), int(fields[2]), int(fields[3])
    res = {
        "wall_s": wall,
        "exit": code,
        # getrusage(RUSAGE_CHILDREN).ru_maxrss in the helper = the largest RSS of
        # the command or of any descendant it waited for.
        "maxrss_mb": children_maxrss_kb / 1024,
        "wait4_maxrss_mb": maxrss_kb / 1024,
        "user_s": float(fields[4]),
        "sys_s": float(fields[5]),
        "stdout_bytes": len(stdout),
        "stdout_lines": stdout.count(b"\n"),
        "stdout_sorted_sha": hashlib.sha256(b"\n".join(sorted(stdout.splitlines()))).hexdigest()[:16],
        "stderr_tail": stderr_tail,
    }
    if sampler:
        res["tree_peak_mb"] = sampler.peak_rss_kb / 1024
        res["tree_peak_procs"] = sampler.peak_procs
        res["tree_samples"] = sampler.samples
        if pss:
            res["tree_peak_pss_mb"] = sampler.peak_pss_kb / 1024
    if code >= 2 or code < 0:
        raise CommandFailed(
            f"exit status {code} from: {shlex.join(argv)}\n"
            f"--- stderr (last 4000 chars) ---\n{stderr_tail}")
    return res


def dir_has_files(path: str) -> bool:
    for _, _, files in os.walk(path):
        if files:
            return True
    return False


# --------------------------------------------------------------------------
# Benchmark
# --------------------------------------------------------------------------

def default_command() -> list[str]:
    """The installed console script, avoiding version-manager shims.

    A pyenv/asdf shim is a shell script that re-resolves the interpreter on
    every call and adds tens of milliseconds to each start, which would be
    charged to blogtools in the one-file scenario.
    """
    beside = os.path.join(os.path.dirname(sys.executable), "blogtools")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return [beside]
    exe = shutil.which("blogtools")
    if exe and not is_shim(exe):
        return [exe]
    return [sys.executable, "-m", "blogtools"]


def is_shim(path: str) -> bool:
    return os.sep + "shims" + os.sep in os.path.realpath(path)


def show_cmd(argv: list[str], env_note: dict | None = None) -> str:
    prefix = "".join(f"{k}={shlex.quote(v)} " for k, v in (env_note or {}).items())
    return prefix + shlex.join(argv)


def summarize(runs: list[dict]) -> dict:
    times = [r["wall_s"] for r in runs]
    s = {
        "runs": len(runs),
        "times_s": [round(t, 4) for t in times],
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_rss_mb": max(r["maxrss_mb"] for r in runs),
        "user_s_median": statistics.median(r["user_s"] for r in runs),
        "sys_s_median": statistics.median(r["sys_s"] for r in runs),
        # user + system time of the command and every process it waited for (the pool's
        # workers): on a shared machine it moves less than the wall time
        "cpu_s_median": statistics.median(r["user_s"] + r["sys_s"] for r in runs),
        "exit_codes": sorted({r["exit"] for r in runs}),
        "stdout_lines": [r["stdout_lines"] for r in runs],
        "stdout_sorted_sha": sorted({r["stdout_sorted_sha"] for r in runs}),
    }
    for k in ("tree_peak_mb", "tree_peak_pss_mb", "tree_peak_procs"):
        vals = [r[k] for r in runs if k in r]
        if vals:
            s[k] = max(vals)
    return s


def machine_info() -> dict:
    info = {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "loadavg_start": os.getloadavg(),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["mem_total_mb"] = int(line.split()[1]) // 1024
                    break
    except OSError:
        pass
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10)
        info["git_head"] = rev.stdout.strip() if rev.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        info["git_head"] = None
    return info


def tool_version(argv: list[str], env: dict, cwd: str) -> str | None:
    try:
        r = subprocess.run(argv + ["--version"], capture_output=True, text=True,
                           env=env, cwd=cwd, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (r.stdout or r.stderr).strip()
    return text.splitlines()[0][:200] if r.returncode == 0 and text else None


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def render_markdown(result: dict) -> str:
    m = result["machine"]
    c = result["corpus"]
    lines = ["## blogtools benchmark", ""]
    lines.append(f"- machine: {m['nproc']} CPUs ({m.get('usable_cpus')} usable), "
                 f"{m.get('cpu', '?')}, {m.get('mem_total_mb', '?')} MB RAM; "
                 f"load avg at start {m['loadavg_start'][0]:.2f}, at end {m['loadavg_end'][0]:.2f}")
    lines.append(f"- python {m['python']} ({m['platform']}); git HEAD of {REPO}: {m.get('git_head') or 'n/a'}")
    seed = c["seed"] if c.get("seed") is not None else "n/a"
    origin = "reused" if c.get("reused") else "generated in %.2f s" % c.get("generation_s", 0)
    lines.append(f"- corpus: {c['posts']} posts, {c['markdown_bytes'] / 1e6:.1f} MB Markdown, seed {seed}, "
                 f"{origin} ({c['path']})")
    lines.append(f"- repeat {result['settings']['repeat']} (median reported), warm-up runs {result['settings']['warmup']}; "
                 f"commands run interleaved when comparing")
    for cmd in result["commands"]:
        ver = f" — `{cmd['version']}`" if cmd.get("version") else ""
        lines.append(f"- `{cmd['label']}`: `{shlex.join(cmd['argv'])}`{ver}")
    lines.append("")
    lines.append("| scenario | command | median | min | max | CPU (median) | posts/s | peak MB (largest proc) "
                 "| peak MB (tree) | target |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in result["scenarios"]:
        pps = f"{row['posts_per_s']:.0f}" if row.get("posts_per_s") else ""
        tree = f"{row['tree_peak_mb']:.0f}" if "tree_peak_mb" in row else ""
        if "tree_peak_pss_mb" in row:
            tree += f" (PSS {row['tree_peak_pss_mb']:.0f})"
        target = ""
        if row.get("target"):
            target = ("✅ " if row["target_met"] else "❌ ") + row["target"]
        cpu = fmt_s(row["cpu_s_median"]) if "cpu_s_median" in row else ""
        lines.append(f"| {row['scenario']} | {row['label']} | {fmt_s(row['median_s'])} | {fmt_s(row['min_s'])} | "
                     f"{fmt_s(row['max_s'])} | {cpu} | {pps} | {row['peak_rss_mb']:.0f} | {tree} | {target} |")
    lines.append("")
    lines.append("Exact commands (cwd = corpus root):")
    lines.append("")
    for row in result["scenarios"]:
        lines.append(f"- {row['scenario']} / {row['label']}: `{row['command']}`")
    if result["warnings"]:
        lines.append("")
        lines.append("Warnings:")
        lines.append("")
        lines += [f"- {w}" for w in result["warnings"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark the blogtools CLI on a generated Hugo site.")
    ap.add_argument("--posts", type=int, default=10000, help="posts in the generated corpus (default 10000)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per scenario and command (default 5)")
    ap.add_argument("--warmup", type=int, default=1,
                    help="untimed runs of the one-file scenario per command before timing (default 1)")
    ap.add_argument("--out", help="also write the results as JSON to this file")
    ap.add_argument("--cmd", help="command under test, as a shell-quoted string "
                    "(default: 'blogtools' if on PATH, else 'python3 -m blogtools'). "
                    "e.g. --cmd \"python3 -c 'import sys'\" as a stand-in")
    ap.add_argument("--compare", action="append", default=[], metavar="CMD",
                    help="another command to time side by side on the same corpus (repeatable)")
    ap.add_argument("--args", default="", help="extra arguments appended to every lint invocation")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS),
                    help=f"comma-separated subset of {','.join(SCENARIOS)}")
    ap.add_argument("--corpus", help="use this existing site directory instead of generating one")
    ap.add_argument("--cache-root", default=default_cache_root(),
                    help="where generated corpora are kept and reused (default %(default)s)")
    ap.add_argument("--images", action="store_true", help="generate the corpus with tiny image files")
    ap.add_argument("--interval", type=float, default=0.02, help="RSS sampling interval in s (default 0.02)")
    ap.add_argument("--pss", action="store_true",
                    help="also sum Pss from /proc/<pid>/smaps_rollup (shared pages counted once)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a single run is killed")
    args = ap.parse_args(argv)

    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    bad = [s for s in scenarios if s not in SCENARIOS]
    if bad:
        ap.error(f"unknown scenario(s): {', '.join(bad)}")
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")

    commands = [("main", shlex.split(args.cmd) if args.cmd else default_command())]
    for i, c in enumerate(args.compare, 1):
        commands.append((f"compare{i}" if len(args.compare) > 1 else "compare", shlex.split(c)))
    extra = shlex.split(args.args)
    early_warnings = []
    for label, cmd in commands:
        exe = shutil.which(cmd[0])
        if exe is None:
            ap.error(f"{label}: command not found: {cmd[0]}")
        if is_shim(exe):
            early_warnings.append(f"{label}: `{cmd[0]}` is a version-manager shim ({exe}); "
                                  "every start pays for the shim's shell script")

    # ---- corpus ----
    if args.corpus:
        site = os.path.abspath(args.corpus)
        files = corpus_files(site)
        corpus = {"path": site, "posts": len(files), "seed": None, "reused": True,
                  "markdown_bytes": sum(os.path.getsize(f) for f in files)}
    else:
        site, corpus = ensure_corpus(args.posts, args.seed, os.path.abspath(args.cache_root), args.images)
        files = corpus_files(site)
        corpus["posts"] = len(files)
    if not files:
        log(f"no Markdown files under {site}/content")
        return 2
    n_posts = len(files)
    one_post = files[len(files) // 2]
    prime_page_cache(files)

    work = tempfile.mkdtemp(prefix="blogtools-bench-")
    base_env = dict(os.environ)
    warnings: list[str] = list(early_warnings)
    results: list[dict] = []
    result = {
        "machine": machine_info(),
        "corpus": corpus,
        "settings": {"repeat": args.repeat, "warmup": args.warmup, "scenarios": scenarios,
                     "interval_s": args.interval, "one_post": one_post},
        "commands": [],
        "scenarios": results,
        "warnings": warnings,
    }
    for label, cmd in commands:
        result["commands"].append({"label": label, "argv": cmd,
                                   "version": tool_version(cmd, base_env, site)})

    counter = [0]

    def fresh_dir(tag: str) -> str:
        counter[0] += 1
        d = os.path.join(work, f"{tag}-{counter[0]}")
        os.mkdir(d)
        return d

    def lint_argv(cmd: list[str], target: str, no_cache: bool) -> list[str]:
        return cmd + ["lint", target] + (["--no-cache"] if no_cache else []) + extra

    standalone_dir = os.path.join(work, "standalone")
    os.mkdir(standalone_dir)
    standalone = os.path.join(standalone_dir, "post.md")
    shutil.copyfile(one_post, standalone)

    def run_nocache(label: str, argv: list[str], sample: bool = False, cwd: str | None = None) -> dict:
        cache_dir = fresh_dir("nocache")
        env = dict(base_env, BLOGTOOLS_CACHE_DIR=cache_dir)
        r = run_once(argv, env, cwd or site, args.timeout,
                     args.interval if sample else None, args.pss)
        if dir_has_files(cache_dir):
            warnings.append(f"{label}: `--no-cache` run wrote files into BLOGTOOLS_CACHE_DIR")
        shutil.rmtree(cache_dir, ignore_errors=True)
        return r

    def add_row(scenario: str, label: str, command: str, runs: list[dict], per_run_posts: int) -> dict:
        s = summarize(runs)
        row = {"scenario": scenario, "label": label, "command": command, **s,
               "stderr_tail_last_run": runs[-1]["stderr_tail"][-1000:]}
        row["posts_per_s"] = per_run_posts / s["median_s"] if s["median_s"] > 0 else None
        if scenario in TARGETS and label == "main":
            key, limit, text = TARGETS[scenario]
            row["target"] = text
            row["target_met"] = row.get(key, float("inf")) <= limit
        if len(s["stdout_sorted_sha"]) > 1 and scenario not in ("warm (fill)", "one edited in site (warm)"):
            warnings.append(f"{scenario}/{label}: output differed between repeated runs")
        results.append(row)
        log(f"  {scenario:<12} {label:<9} median {fmt_s(s['median_s'])}  "
            f"(min {fmt_s(s['min_s'])}, max {fmt_s(s['max_s'])}), peak {s['peak_rss_mb']:.0f} MB")
        return row

    try:
        # Untimed warm-up: byte-compiles, fills the page cache for the installed code.
        for label, cmd in commands:
            for _ in range(args.warmup):
                run_nocache(label, lint_argv(cmd, standalone, True), cwd=standalone_dir)

        cold_sha: dict[str, list[str]] = {}

        if "one" in scenarios:
            log("scenario one: lint one standalone post, --no-cache")
            runs = {label: [] for label, _ in commands}
            for _ in range(args.repeat):
                for label, cmd in commands:          # interleaved: A B A B ...
                    runs[label].append(run_nocache(label, lint_argv(cmd, standalone, True), cwd=standalone_dir))
            for label, cmd in commands:
                add_row("one", label, show_cmd(lint_argv(cmd, "<tmp>/post.md", True),
                                               {"BLOGTOOLS_CACHE_DIR": "<empty tmp>"}), runs[label], 1)

        if "cold" in scenarios:
            log("scenario cold: lint the whole site, --no-cache")
            runs = {label: [] for label, _ in commands}
            for _ in range(args.repeat):
                for label, cmd in commands:
                    runs[label].append(run_nocache(label, lint_argv(cmd, site, True)))
            for label, cmd in commands:
                row = add_row("cold", label, show_cmd(lint_argv(cmd, site, True),
                                                      {"BLOGTOOLS_CACHE_DIR": "<empty tmp>"}), runs[label], n_posts)
                cold_sha[label] = row["stdout_sorted_sha"]

        if "warm" in scenarios:
            log("scenario warm: fill a fresh cache once, then lint the unchanged site")
            cache_dirs = {label: fresh_dir("cache") for label, _ in commands}

            def warm_env(label: str) -> dict:
                return dict(base_env, BLOGTOOLS_CACHE_DIR=cache_dirs[label])

            def warm_runs(target: str, before=None) -> dict:
                """--repeat interleaved runs of every command on ``target`` with its cache;
                ``before(k, label)`` runs ahead of each."""
                runs = {label: [] for label, _ in commands}
                for k in range(args.repeat):
                    for label, cmd in commands:
                        if before is not None:
                            before(k, label)
                        runs[label].append(run_once(lint_argv(cmd, target, False), warm_env(label), site,
                                                    args.timeout))
                return runs

            def warm_shown(label: str, cmd: list[str], target: str) -> str:
                return show_cmd(lint_argv(cmd, target, False), {"BLOGTOOLS_CACHE_DIR": f"<cache of {label}>"})

            fills = {}
            for label, cmd in commands:
                fills[label] = run_once(lint_argv(cmd, site, False), warm_env(label), site, args.timeout)
                if not dir_has_files(cache_dirs[label]):
                    warnings.append(f"warm/{label}: nothing was written to BLOGTOOLS_CACHE_DIR by the fill run")
            runs = warm_runs(site)
            for label, cmd in commands:
                shown = warm_shown(label, cmd, site)
                add_row("warm (fill)", label, shown, [fills[label]], n_posts)
                row = add_row("warm", label, shown, runs[label], n_posts)
                if label in cold_sha and row["stdout_sorted_sha"] != cold_sha[label]:
                    warnings.append(f"warm/{label}: output differs from the cold run's output")
            # The pre-commit case: one staged post inside the site, the rest from the cache.
            runs = warm_runs(one_post)
            for label, cmd in commands:
                add_row("one in site (warm)", label, warm_shown(label, cmd, one_post), runs[label], 1)
            # The same after editing that post (a real commit): its file result and the
            # site-wide results must be recomputed. The post is restored afterwards, bytes
            # and mtime, so the cached corpus stays as generated.
            original = open(one_post, "rb").read()
            st = os.stat(one_post)

            def edit(k: int, label: str) -> None:  # a new edit before every run
                with open(one_post, "wb") as f:
                    f.write(original + f"\n追記 {k} {label}\n".encode())

            try:
                runs = warm_runs(one_post, before=edit)
            finally:
                with open(one_post, "wb") as f:
                    f.write(original)
                os.utime(one_post, ns=(st.st_atime_ns, st.st_mtime_ns))
            for label, cmd in commands:
                add_row("one edited in site (warm)", label, warm_shown(label, cmd, one_post), runs[label], 1)

        if "memory" in scenarios:
            log(f"scenario memory: one cold run, sampling the process tree every {args.interval * 1000:.0f} ms")
            for label, cmd in commands:
                r = run_nocache(label, lint_argv(cmd, site, True), sample=True)
                add_row("memory", label, show_cmd(lint_argv(cmd, site, True),
                                                  {"BLOGTOOLS_CACHE_DIR": "<empty tmp>"}), [r], n_posts)
    except CommandFailed as e:
        log(f"\nFAILED: {e}")
        shutil.rmtree(work, ignore_errors=True)
        return 2
    shutil.rmtree(work, ignore_errors=True)

    result["machine"]["loadavg_end"] = os.getloadavg()
    md = render_markdown(result)
    sys.stdout.write(md)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
            f.write("\n")
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
