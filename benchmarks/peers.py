#!/usr/bin/env python3
"""blogtools side by side with rumdl and markdownlint-cli2 on the same files (issue 19).

    python3 benchmarks/peers.py --rumdl /tmp/rumdl-venv/bin/rumdl \\
        [--markdownlint /tmp/mdl/node_modules/.bin/markdownlint-cli2] [--posts 10000] \\
        [--blog-posts 200] [--repeat 5] [--sizes one,blog,big] [--out results.json]

Three corpora: one post (copied alone into an empty folder), a generated blog of
``--blog-posts`` posts and one of ``--posts`` posts (``generate.py``, kept in the same cache as
run.py's), or ``--corpus DIR`` for the big one. Each tool lints the same Markdown files with
its default rules:

  blogtools          <cmd> lint <site> [--no-cache]        (cwd = site; BLOGTOOLS_CACHE_DIR)
  rumdl              rumdl check content [--no-cache | --cache-dir D]
  markdownlint-cli2  markdownlint-cli2 "content/**/*.md"    (no cache: cold only)

"cold" runs without a cache; "warm" runs on a cache filled by one untimed run, corpus
unchanged. The runs of the tools are interleaved (A B C A B C ...) so that they share the
machine's load; medians of ``--repeat`` runs, CPU = user + system time of the command and
every process it waited for, "peak MB (largest proc)" from ``getrusage`` and, sampled in the
last cold run of each tool, "peak MB (tree)": the summed RSS of the whole process tree
(run.py's sampler). Ratios are to rumdl's median of the same row. Exit status 0 and 1 are
normal (1 = findings). Linux only; the standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import run  # noqa: E402  (benchmarks/run.py: corpus, runner, sampler, summaries)

SIZES = ("one", "blog", "big")


def tool_argv(tool: str, cmd: list[str], target: str, cache: str | None) -> list[str]:
    """The command line of ``tool`` on ``target`` (a file, or a site's root); ``cache`` is the
    cache folder of a warm run, None for a cold run."""
    if tool == "blogtools":
        return cmd + ["lint", target] + ([] if cache else ["--no-cache"])
    files = target if target.endswith(".md") else os.path.join(target, "content")
    if tool == "rumdl":
        return cmd + ["check", files] + (["--cache-dir", cache] if cache else ["--no-cache"])
    if tool == "markdownlint-cli2":
        return cmd + ([":" + files] if files.endswith(".md") else [os.path.join(files, "**", "*.md")])
    raise ValueError(tool)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--blogtools", default=shlex.join(run.default_command()),
                    help="the blogtools command (default: %(default)s)")
    ap.add_argument("--rumdl", required=True, help="the rumdl command (the reference of the ratios)")
    ap.add_argument("--markdownlint", help="the markdownlint-cli2 command (left out without it)")
    ap.add_argument("--posts", type=int, default=10000, help="posts of the big corpus (default 10000)")
    ap.add_argument("--blog-posts", type=int, default=200, help="posts of the blog corpus (default 200)")
    ap.add_argument("--corpus", help="an existing site to use as the big corpus instead of generating one")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per row (default 5)")
    ap.add_argument("--sizes", default=",".join(SIZES), help=f"subset of {','.join(SIZES)}")
    ap.add_argument("--cache-root", default=run.default_cache_root())
    ap.add_argument("--interval", type=float, default=0.02, help="RSS sampling interval in s")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--out", help="also write the results as JSON here")
    args = ap.parse_args(argv)
    sizes = [s for s in args.sizes.split(",") if s]
    if any(s not in SIZES for s in sizes):
        ap.error(f"--sizes: one of {', '.join(SIZES)}")

    tools = [("blogtools", shlex.split(args.blogtools)), ("rumdl", shlex.split(args.rumdl))]
    if args.markdownlint:
        tools.append(("markdownlint-cli2", shlex.split(args.markdownlint)))
    for name, cmd in tools:
        if shutil.which(cmd[0]) is None:
            ap.error(f"{name}: command not found: {cmd[0]}")

    root = os.path.abspath(args.cache_root)
    work = tempfile.mkdtemp(prefix="blogtools-peers-")
    # A shell with PYTHONDONTWRITEBYTECODE set makes every blogtools process compile its
    # modules again (RESULTS.md, caveat of 45c5748): not the state a user's install is in.
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result: dict = {"machine": run.machine_info(), "repeat": args.repeat, "corpora": {}, "rows": [],
                    "tools": [{"name": n, "argv": c, "version": run.tool_version(c, base_env, work)}
                              for n, c in tools]}
    counter = [0]

    def fresh(tag: str) -> str:
        counter[0] += 1
        d = os.path.join(work, f"{tag}-{counter[0]}")
        os.mkdir(d)
        return d

    big_site = None
    corpora: list[tuple[str, str, str, int]] = []  # (size, cwd, target, posts)
    for size in sizes:
        if size == "big" and args.corpus:
            site = big_site = os.path.abspath(args.corpus)
        elif size in ("big", "one"):
            if big_site is None:
                big_site, _ = run.ensure_corpus(args.posts, args.seed, root, False)
            site = big_site
        else:
            site, _ = run.ensure_corpus(args.blog_posts, args.seed, root, False)
        files = run.corpus_files(site)
        run.prime_page_cache(files)
        if size == "one":
            folder = fresh("one")
            target = os.path.join(folder, "post.md")
            shutil.copyfile(files[len(files) // 2], target)
            corpora.append((size, folder, target, 1))
            result["corpora"][size] = {"path": files[len(files) // 2], "posts": 1}
        else:
            corpora.append((size, site, site, len(files)))
            result["corpora"][size] = {"path": site, "posts": len(files),
                                       "markdown_bytes": sum(os.path.getsize(f) for f in files)}

    def once(name: str, cmd: list[str], cwd: str, target: str, cache: str | None, sample: bool = False) -> dict:
        env = dict(base_env, BLOGTOOLS_CACHE_DIR=cache or fresh("nocache"), RUMDL_CACHE_DIR=cache or fresh("nocache"))
        return run.run_once(tool_argv(name, cmd, target, cache), env, cwd, args.timeout,
                            args.interval if sample else None)

    try:
        for size, cwd, target, posts in corpora:
            run.log(f"{size}: {posts} posts")
            if size == corpora[0][0]:  # untimed warm-up: byte-compiles, loads the programs
                for name, cmd in tools:
                    once(name, cmd, cwd, target, None)
            caches = {name: fresh("cache") for name, _ in tools}
            modes = [("cold", None)]
            for name, cmd in tools:  # the run that fills each cache (untimed)
                if name != "markdownlint-cli2":
                    once(name, cmd, cwd, target, caches[name])
            modes.append(("warm", caches))
            for mode, cache_of in modes:
                runs: dict[str, list[dict]] = {name: [] for name, _ in tools}
                for k in range(args.repeat):
                    for name, cmd in tools:
                        if mode == "warm" and name == "markdownlint-cli2":
                            continue
                        # the last cold run also samples the process tree's RSS (a thread of
                        # this process lists /proc every --interval s: negligible next to a run)
                        sample = mode == "cold" and k == args.repeat - 1
                        runs[name].append(once(name, cmd, cwd, target, cache_of[name] if cache_of else None,
                                               sample))
                for name, cmd in tools:
                    if not runs[name]:
                        continue
                    s = run.summarize(runs[name])
                    shown = "post.md" if size == "one" else "<site>"
                    row = {"size": size, "posts": posts, "mode": mode, "tool": name,
                           "command": shlex.join(tool_argv(name, cmd, shown, "<cache>" if cache_of else None)),
                           **s}
                    result["rows"].append(row)
                    run.log(f"  {mode:<5} {name:<18} median {run.fmt_s(s['median_s'])} "
                            f"cpu {run.fmt_s(s['cpu_s_median'])} peak {s['peak_rss_mb']:.0f} MB")
    except run.CommandFailed as e:
        run.log(f"\nFAILED: {e}")
        shutil.rmtree(work, ignore_errors=True)
        return 2
    shutil.rmtree(work, ignore_errors=True)
    result["machine"]["loadavg_end"] = os.getloadavg()
    sys.stdout.write(render(result))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
            f.write("\n")
    return 0


def render(result: dict) -> str:
    m = result["machine"]
    out = [f"- machine: {m['nproc']} CPUs, {m.get('cpu', '?')}; load {m['loadavg_start'][0]:.2f} at start, "
           f"{m['loadavg_end'][0]:.2f} at end; blogtools at {m.get('git_head') or '?'}; "
           f"medians of {result['repeat']} interleaved runs",
           *[f"- {t['name']}: `{shlex.join(t['argv'])}` ({t['version'] or '?'})" for t in result["tools"]],
           *[f"- {size}: {c['posts']} posts" + (f", {c['markdown_bytes'] / 1e6:.1f} MB of Markdown" if "markdown_bytes" in c else "")
             for size, c in result["corpora"].items()],
           "",
           "| corpus | mode | tool | median | min–max | × rumdl | CPU (median) | CPU × rumdl | peak MB (largest proc) | peak MB (tree) |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    rumdl = {(r["size"], r["mode"]): r for r in result["rows"] if r["tool"] == "rumdl"}
    for r in result["rows"]:
        ref = rumdl.get((r["size"], r["mode"]))
        ratio = f"{r['median_s'] / ref['median_s']:.2f}" if ref else ""
        cpu_ratio = f"{r['cpu_s_median'] / ref['cpu_s_median']:.2f}" if ref and ref["cpu_s_median"] else ""
        tree = f"{r['tree_peak_mb']:.0f}" if "tree_peak_mb" in r else ""
        out.append(f"| {r['size']} ({r['posts']}) | {r['mode']} | {r['tool']} | {run.fmt_s(r['median_s'])} | "
                   f"{run.fmt_s(r['min_s'])}–{run.fmt_s(r['max_s'])} | {ratio} | {run.fmt_s(r['cpu_s_median'])} | "
                   f"{cpu_ratio} | {r['peak_rss_mb']:.0f} | {tree} |")
    out += ["", "Commands (cwd = the corpus; `<cache>` a folder filled by one untimed run):", ""]
    seen = set()
    for r in result["rows"]:
        key = (r["tool"], r["mode"], r["size"] == "one")
        if key not in seen:
            seen.add(key)
            out.append(f"- {r['tool']} {r['mode']}: `{r['command']}`")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
