#!/usr/bin/env python3
"""Migrate real blogs to Hugo with ``--verify`` and print the measured table of docs/migrate.md.

    python3 benchmarks/migrate_corpora.py --corpora /path/to/corpora [NAME ...]

Each NAME is a folder under ``--corpora`` holding one blog at its fixed commit (see
``../shared/CORPORA.md``); a Medium export is read from its ``medium-export/`` folder when
there is one. Every blog is migrated with

    blogtools migrate SRC --to hugo --out TMP --images keep --verify --output-format json

(plus ``--jekyll-plugins`` for the blogs of ``RUN_PLUGINS``, whose own ``_plugins`` are run:
they are known public sites, and their posts use the plugins' filters)
into a temporary folder that is removed afterwards, and one Markdown row is printed per blog,
from the JSON report: posts and pages, the URLs the source served that the new build serves
(the source's own build for Hugo and Jekyll, the old URLs the reader computed otherwise),
what verify found lost, the verify result and the wall time. Use ``--keep DIR`` to keep the
outputs (``DIR/NAME``), their MIGRATION.md reports and the JSON reports (``DIR/NAME.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

COLUMNS = ("corpus", "source", "posts (pages)", "URLs kept", "words lost", "images lost",
           "code blocks / tables lost", "embeds lost", "markup shown", "`--verify`", "time")

# Jekyll blogs whose own _plugins (Ruby) the measurement runs: migrate never does by default
RUN_PLUGINS = frozenset({"18f"})


def source_folder(root: str, name: str) -> str:
    """The folder migrate reads for corpus NAME (a Medium export sits in ``medium-export/``)."""
    folder = os.path.join(root, name)
    medium = os.path.join(folder, "medium-export")
    return medium if os.path.isdir(medium) else folder


def row(name: str, report: dict, seconds: float, rc: int) -> list[str]:
    """One table row from migrate's JSON report."""
    totals = report.get("totals", {})
    verify = report.get("verify") or {}
    lost = verify.get("lost", {})
    kept = verify.get("source_page_urls") or {}
    checked = verify.get("checked", {})
    if kept.get("total"):
        urls = f"{kept.get('kept', 0):,} / {kept.get('total', 0):,}"
    elif "old_urls" in checked:
        failed = verify.get("failed", {}).get("old_urls", 0)
        urls = f"{checked['old_urls'] - failed:,} / {checked['old_urls']:,} (old URLs)"
    else:
        urls = "not compared"
    if verify.get("ok"):
        result = "passed"
    else:
        problems = verify.get("problems", [])
        result = f"FAILED ({len(problems)} problems)" if problems else f"FAILED (exit {rc})"
    return [
        name,
        str(report.get("source", {}).get("format", "?")),
        f"{totals.get('posts', 0):,} ({totals.get('pages', 0):,})",
        urls,
        f"{lost.get('words', 0):,}",
        f"{lost.get('images', 0):,}",
        f"{lost.get('code blocks', 0):,} / {lost.get('tables', 0):,}",
        f"{lost.get('embeds', 0):,}",
        f"{lost.get('markup shown', 0):,}",
        result,
        f"{seconds:.0f} s",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="corpora to migrate (default: every folder)")
    parser.add_argument("--corpora", required=True, metavar="DIR", help="folder holding one folder per blog")
    parser.add_argument("--blogtools", default=f"{shlex.quote(sys.executable)} -m blogtools",
                        metavar="CMD", help="the blogtools command (default: this Python's)")
    parser.add_argument("--keep", metavar="DIR", help="keep the outputs in DIR/NAME")
    parser.add_argument("--timeout", type=float, default=1800, metavar="S", help="per blog (default 1800)")
    args = parser.parse_args(argv)
    names = args.names or sorted(n for n in os.listdir(args.corpora)
                                 if os.path.isdir(os.path.join(args.corpora, n)))
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for name in names:
        work = tempfile.mkdtemp(prefix=f"bt-migrate-{name}-")
        out = os.path.join(args.keep, name) if args.keep else os.path.join(work, "out")
        if args.keep and os.path.exists(out):
            shutil.rmtree(out)
        cmd = shlex.split(args.blogtools) + ["migrate", source_folder(args.corpora, name), "--to", "hugo",
                                            "--out", out, "--images", "keep", "--verify",
                                            "--output-format", "json"] \
            + (["--jekyll-plugins"] if name in RUN_PLUGINS else [])
        start = time.monotonic()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"| {name} | timed out after {args.timeout:.0f} s |", flush=True)
            shutil.rmtree(work, ignore_errors=True)
            continue
        seconds = time.monotonic() - start
        try:
            report = json.loads(done.stdout)
        except ValueError:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"| {name} | no report (exit {done.returncode}): {last} |", flush=True)
        else:
            print("| " + " | ".join(row(name, report, seconds, done.returncode)) + " |", flush=True)
            if args.keep:  # the whole report beside the output, to look into a row later
                with open(os.path.join(args.keep, f"{name}.json"), "w", encoding="utf-8") as fh:
                    json.dump(report, fh, ensure_ascii=False, indent=1)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
