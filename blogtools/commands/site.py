"""``blogtools site [PATH]``: the site model the link and image rules use.

Every page with its source file, URL, aliases and resources, computed the way the generator
does (see :mod:`blogtools.generators`); ``--resolve URL`` explains what a URL lands on, or
what is closest when it lands on nothing. The pages are read through the lint cache, so a
second run costs only the model.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("site", help="print the site model: every page's URL, aliases and resources")
    p.add_argument("path", nargs="?", default=".", help="the site (or any folder or file in it)")
    p.add_argument("--output-format", choices=("text", "json"), default="text")
    p.add_argument("--generator", choices=("auto", "hugo", "jekyll", "hatena", "plain"), default="auto")
    p.add_argument("--all", action="store_true", help="also list pages with no file (home, sections, taxonomies)")
    p.add_argument("--resolve", action="append", default=[], metavar="URL",
                   help="explain what a URL resolves to (repeatable)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    p.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)")
    p.set_defaults(func=main)


def build(path: str, generator: str = "auto", use_cache: bool = True, jobs: int = 0) -> Any:
    """The site at ``path`` with the facts of every content file, and its model."""
    from blogtools.config import ConfigError, load
    from blogtools.lint.runner import Runner, discover, report_skipped
    from blogtools.site import load_site

    site = load_site(path, generator)
    try:
        config = load(site.root)
    except ConfigError as exc:
        print(f"blogtools: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    folders = [d for d, _ in site.profile.content_dirs() if os.path.isdir(d)]
    found = discover(folders, config) if folders else None
    files = found.files if found else []
    runner = Runner(config, [], site, jobs=jobs, use_cache=use_cache)
    results = runner.lint_files(files)
    report_skipped(found.problems if found else (), results)
    site.pages = [r.facts for r in results if r.facts is not None]
    return site, site.model()


def describe(site: Any, model: Any, include_generated: bool = False) -> list[dict[str, Any]]:
    out = []
    for page in sorted(model.pages, key=lambda p: (p.url, p.rel)):
        out.append({
            "path": os.path.relpath(page.abspath, site.root).replace(os.sep, "/"),
            "url": page.url,
            "aliases": [a.url for a in page.aliases if a.url],
            "resources": model.resources(page),
            "kind": page.kind,
            "lang": page.lang,
            "title": page.title,
            "published": page.published,
            **({"unpublished": page.unpublished_why} if not page.published else {}),
            **({"alias_errors": [f"{a.raw}: {a.error}" for a in page.aliases if a.error]}
               if any(a.error for a in page.aliases) else {}),
        })
    if include_generated:
        for page in sorted(model.generated, key=lambda p: p.url):
            out.append({"path": None, "url": page.url, "aliases": [], "resources": [], "kind": page.kind,
                        "lang": page.lang, "title": page.title, "published": True})
    return out


def explain(model: Any, url: str) -> dict[str, Any]:
    ref = model.split(url, None)
    if ref is None:
        return {"url": url, "resolves": None, "why": "external or not a site path"}
    path = ref.path or "/"
    target = model.resolve(path)
    if target is None:
        if model.content_exists(path):
            return {"url": url, "resolves": "content", "why": "a content file exists but was not read"}
        return {"url": url, "resolves": None, "why": "no page, alias or file", "closest": model.suggest(path, 3)}
    out: dict[str, Any] = {"url": url, "resolves": target.kind, "target": target.url}
    if target.page is not None and target.page.abspath:
        out["page"] = target.page.path
    if target.file:
        out["file"] = target.file
    return out


def main(args: argparse.Namespace) -> int:
    if not os.path.exists(args.path):
        print(f"blogtools: {args.path}: no such file or directory", file=sys.stderr)
        return 2
    site, model = build(args.path, args.generator, not args.no_cache, args.jobs)
    pages = describe(site, model, args.all)
    answers = [explain(model, u) for u in args.resolve]
    if args.output_format == "json":
        json.dump(answers if args.resolve else pages, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 1 if args.resolve and any(a["resolves"] is None for a in answers) else 0
    if args.resolve:
        for a in answers:
            if a["resolves"] is None:
                closest = ", ".join(a.get("closest") or []) or "nothing close"
                print(f"{a['url']}: {a['why']} (closest: {closest})")
            else:
                extra = f" ({a['page']})" if a.get("page") else f" ({a['file']})" if a.get("file") else ""
                print(f"{a['url']}: {a['resolves']} {a.get('target', '')}{extra}")
        return 1 if any(a["resolves"] is None for a in answers) else 0
    root = os.path.relpath(site.root) if site.root != os.getcwd() else "."
    print(f"{site.generator} site at {root}: {len(model.pages)} pages"
          + (f", {len(model.generated)} generated (--all lists them)" if not args.all else ""))
    for p in pages:
        flag = "" if p["published"] else f"  [not published: {p.get('unpublished')}]"
        print(f"{p['url']}  ← {p['path'] or '(' + p['kind'] + ')'}{flag}")
        for a in p["aliases"]:
            print(f"    alias     {a}")
        for e in p.get("alias_errors", []):
            print(f"    bad alias {e}")
        for r in p["resources"]:
            print(f"    resource  {r}")
    return 0
