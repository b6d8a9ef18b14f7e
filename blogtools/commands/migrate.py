"""``blogtools migrate SRC --to hugo --out DIR``: a Medium export, a medium-to-hugo import, a
Jekyll site or Hugo content → a clean Hugo site that builds and keeps every old URL.

Exit codes: 0 done (and verified with ``--verify``), 1 verify failed or ``--diff`` found
changes, 2 usage error (bad SRC, DIR inside SRC or SRC inside DIR, non-empty DIR without
``--force``, unknown format).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("migrate", help="convert a Medium export, Jekyll or Hugo site into a clean Hugo site")
    p.add_argument("src", metavar="SRC",
                   help="the old blog: a site folder, Medium's export zip or folder, or a WordPress export (WXR)")
    p.add_argument("--to", choices=("hugo",), default="hugo", help="target generator (hugo)")
    p.add_argument("--out", metavar="DIR",
                   help="where the new site goes: outside SRC, and empty unless --force")
    p.add_argument("--from", dest="source_format",
                   choices=("auto", "hugo", "medium", "jekyll", "wordpress", "hatena"), default="auto",
                   help="source format (default: detected)")
    p.add_argument("--dry-run", action="store_true", help="print the report; write nothing, download nothing")
    p.add_argument("--diff", action="store_true", help="print what would change in DIR as a diff; write nothing")
    p.add_argument("--front-matter", choices=("yaml", "toml"), default="yaml", help="front matter dialect (yaml)")
    p.add_argument("--slug", choices=("keep", "date", "title"), default="keep",
                   help="bundle folder names: the source's name, the date, or the title (keep)")
    p.add_argument("--ascii-slugs", action="store_true",
                   help="transliterate slugs to ASCII (accents folded; other scripts dropped, falling back to the date)")
    p.add_argument("--images", choices=("download", "keep", "skip"), default="download",
                   help="remote images: download into the bundle, keep the remote URL (no network), or turn into links")
    p.add_argument("--comments", action="store_true",
                   help="WordPress: keep the approved comments in data/comments/<slug>.json (off by default)")
    p.add_argument("--verify", action="store_true", help="build DIR with Hugo and check every page and old URL")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="also apply the rules' unsafe fixes to the new site (e.g. broken internal links → closest URL)")
    p.add_argument("--liquid-pages", choices=("auto", "rendered", "comment"), default="auto",
                   help="Jekyll pages built by Liquid from the site's data (loops over site.posts, site.data):"
                        " keep the HTML Jekyll renders for them (rendered; auto, the default: when Jekyll is"
                        " installed) or keep the Liquid as HTML comments (comment)")
    p.add_argument("--jekyll-plugins", action="store_true",
                   help="Jekyll: run the site's own _plugins (Ruby from SRC: only for a site you trust) in the"
                        " Jekyll builds of --liquid-pages and --verify, and keep what Jekyll renders for the"
                        " Liquid of those plugins (off by default, as on GitHub Pages)")
    p.add_argument("--force", action="store_true", help="replace the content of a non-empty DIR")
    p.add_argument("--output-format", choices=("text", "json"), default="text", help="how to print the report")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from blogtools.migrate import report
    from blogtools.migrate.pipeline import MigrateError, Options, migrate

    if not args.out:
        if args.dry_run:
            args.out = args.src.rstrip("/\\") + "-hugo"
        else:
            print("blogtools: migrate: --out DIR is required", file=sys.stderr)
            return 2
    options = Options(
        src=args.src, out=args.out, source_format=args.source_format, front_matter=args.front_matter,
        slug=args.slug, ascii_slugs=args.ascii_slugs, images=args.images, dry_run=args.dry_run,
        diff=args.diff, force=args.force, verify=args.verify, comments=args.comments, unsafe_fixes=args.unsafe_fixes,
        liquid_pages=args.liquid_pages, jekyll_plugins=args.jekyll_plugins, progress=True,
    )
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a path or title: its escape, not a traceback
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    try:
        result = migrate(options)
    except MigrateError as exc:
        print(f"blogtools: migrate: {exc}", file=sys.stderr)
        return 2
    if args.diff:
        sys.stdout.write(result.diff_text)
        print(f"blogtools: migrate: {result.changed} file(s) would change in {args.out}", file=sys.stderr)
        return 1 if result.changed else 0
    if args.output_format == "json":
        json.dump(report.data(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.dry_run:
        sys.stdout.write(report.markdown(report.data(result)))
    where = "(dry run: nothing written)" if args.dry_run else f"→ {args.out} (report: {args.out}/MIGRATION.md)"
    print(f"blogtools: migrate: {report.summary(result)} in {result.timings.get('total', 0):.1f} s {where}",
          file=sys.stderr)
    if result.verify is not None:
        v = result.verify
        for problem in v.problems:
            print(f"blogtools: verify: {problem}", file=sys.stderr)
        if v.hugo:
            print(f"blogtools: verify: built with {v.hugo}", file=sys.stderr)
        for what in v.not_compared:
            print(f"blogtools: verify: not compared: {what}", file=sys.stderr)
        print(f"blogtools: verify: {v.summary()}", file=sys.stderr)
        return 0 if v.ok else 1
    return 0
