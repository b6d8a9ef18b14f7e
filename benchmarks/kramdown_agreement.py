#!/usr/bin/env python3
"""Does blogtools list, page by page, the links and images Jekyll renders? (docs/kramdown.md)

    python benchmarks/kramdown_agreement.py KEEP_DIR [--show N]

KEEP_DIR is a folder written by ``benchmarks/accuracy.py SITE --keep KEEP_DIR`` on a Jekyll
site: ``public/`` (the build, bare layouts: each page is its content and a marker naming its
source) and ``site/`` (the copy blogtools lints). For every built page with a Markdown source,
the ``href``/``src`` of the page (footnote anchors ``#fn:``/``#fnref:`` and the links of a
``{:toc}`` left out: they are no links of the source) are compared, as multisets, with the URLs of the links and images
blogtools lists for that source (its ``links`` facts). Pages whose listed URLs hold Liquid are
counted apart (the built URL is the evaluated one). Run it with ``PYTHONPATH`` naming the
blogtools to measure (e.g. a ``git archive`` of an older commit).
"""

from __future__ import annotations

import argparse
import collections
import html
import os
import sys
from urllib.parse import unquote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(1, HERE)

from blogtools import facts  # noqa: E402 - first: accuracy.py puts this checkout first on sys.path
from blogtools.document import Document  # noqa: E402
from accuracy import MARKER_RE, RefParser  # noqa: E402 (after the sys.path insert)


class _Refs(RefParser):
    """The harness's href/src, without the links kramdown's ``{:toc}`` writes (``id="markdown-toc-…"``):
    they are made from the headings, not written in the source."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not any(k == "id" and (v or "").startswith("markdown-toc-") for k, v in attrs):
            super().handle_starttag(tag, attrs)

    handle_startendtag = handle_starttag


# what blogtools lists: Markdown links and images, raw HTML's <a href>, and the src of <img>,
# <audio>, <video>, <source>, <track>
_LISTED = {("a", "href"), ("img", "src"), ("audio", "src"), ("video", "src"), ("source", "src"), ("track", "src")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("keep")
    ap.add_argument("--show", type=int, default=0, help="print up to N disagreements")
    args = ap.parse_args(argv)

    public, site = os.path.join(args.keep, "public"), os.path.join(args.keep, "site")
    count = collections.Counter()
    shown = 0
    for folder, _, files in os.walk(public):
        for name in files:
            if not name.endswith(".html"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                page = f.read()
            m = MARKER_RE.search(page)
            src = m.group(1).strip() if m else ""
            if not src.endswith((".md", ".markdown")) or not os.path.isfile(os.path.join(site, src)):
                continue
            parser = _Refs()
            parser.feed(page)
            built = collections.Counter(unquote(v) for tag, attr, v, *_ in parser.refs
                                        if (tag, attr) in _LISTED
                                        and not v.startswith(("#fn:", "#fnref:")))
            links = facts.extract(Document.read(os.path.join(site, src)))["links"]
            if any("{" in (link["url"] or "") for link in links):
                count["pages with Liquid in a URL (not compared)"] += 1
                continue
            listed = collections.Counter(unquote(html.unescape(link["url"])) for link in links)
            count["pages"] += 1
            only_built, only_listed = built - listed, listed - built
            count["refs built"] += sum(built.values())
            count["only in the build"] += sum(only_built.values())
            count["only listed by blogtools"] += sum(only_listed.values())
            if only_built or only_listed:
                count["pages that differ"] += 1
                if shown < args.show:
                    shown += 1
                    print(f"{src}: build only {sorted(only_built)[:5]}, blogtools only {sorted(only_listed)[:5]}")
    for k, v in count.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
