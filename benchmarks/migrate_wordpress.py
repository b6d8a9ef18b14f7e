#!/usr/bin/env python3
"""The figures of the WordPress table in ``docs/migrate.md`` for one WXR corpus.

    python3 benchmarks/migrate_wordpress.py SRC OUT [--images download|keep]

Migrates SRC (a WXR file or a folder holding one) into OUT with ``--from wordpress``,
builds OUT with the real Hugo, and prints as JSON: the items read (posts, pages, drafts),
the Jekyll posts migrated beside them, the old URLs of published items that are a file in
``public/`` (and the ``?p=``/``?page_id=`` URLs that need a server redirect), the images
copied into bundles and those left remote, and the visible words of each published item's
``source_html`` missing from its built page (an ordered word diff; each loss is printed).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def words(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return re.findall(r"\w+", soup.get_text(" "))


def main() -> int:
    from bs4 import BeautifulSoup

    from blogtools.migrate import Options, _hugo, migrate
    from blogtools.programs import find_program

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--images", choices=("download", "keep"), default="download")
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    result = migrate(Options(args.src, args.out, images=args.images, source_format="wordpress"))
    hugo = find_program("hugo")
    if hugo is None:
        print("hugo is not installed", file=sys.stderr)
        return 2
    public = os.path.join(args.out, "public")
    build = subprocess.run([hugo, "--quiet", "-s", args.out, "-d", public], capture_output=True, text=True,
                           check=False)
    wp = [p for p in result.posts if p.origin == "wordpress"]
    published = [p for p in wp if not p.draft]
    kept = [u for p in published for u in p.old_urls if os.path.isfile(os.path.join(public, _hugo.public_file(u)))]
    lost_urls = [(p.source, u) for p in published for u in p.old_urls
                 if not os.path.isfile(os.path.join(public, _hugo.public_file(u)))]
    lost_words: list[tuple[str, int, str]] = []
    total_words = 0
    for post in published:
        page = os.path.join(public, _hugo.public_file(post.url))
        if not os.path.isfile(page):
            lost_words.append((post.source, -1, "page missing"))
            continue
        with open(page, encoding="utf-8") as fh:
            soup = BeautifulSoup(fh.read(), "html.parser")
        body = soup.find("article") or soup.find("main") or soup
        for tag in body.find_all(["h1", "time"], recursive=False) + body.select("ul.tags"):
            tag.decompose()  # the layout's title, date and tags: not the body
        src, out = words(post.extra["source_html"]), words(str(body))
        total_words += len(src)
        ops = difflib.SequenceMatcher(None, src, out, autojunk=False).get_opcodes()
        gone = [w for tag, i1, i2, _, _ in ops if tag in ("delete", "replace") for w in src[i1:i2]]
        if gone:
            lost_words.append((post.source, len(gone), " ".join(gone)[:200]))
    local = [(p, a) for p in published for a in p.assets if a.src]
    localised = [a for p, a in local
                 if os.path.isfile(os.path.join(os.path.dirname(os.path.join(public, _hugo.public_file(p.url))), a.name))]
    print(json.dumps({
        "hugo_exit": build.returncode,
        "posts": sum(p.kind == "post" for p in wp), "pages": sum(p.kind == "page" for p in wp),
        "drafts": sum(p.draft for p in wp), "jekyll_posts": len(result.posts) - len(wp),
        "not_migrated": len(result.skipped),
        "old_urls_kept": len(kept), "old_urls_total": len(kept) + len(lost_urls),
        "query_urls_need_redirect": sum(len(p.extra.get("query_urls", [])) for p in published),
        "images_localised": len(localised), "images_local_total": len(local),
        "images_remote": len({a.url for p in published for a in p.assets if a.url}),
        "words_lost": sum(n for _, n, _ in lost_words if n > 0), "words_total": total_words,
        "downloads": result.downloads,
    }, indent=1))
    for source, url in lost_urls:
        print(f"URL not served: {source}: {url}")
    for source, n, what in lost_words:
        print(f"words lost: {source}: {n}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
