#!/usr/bin/env python3
"""What codespell finds in a site's link texts and headings that blogtools' word rules miss.

    python benchmarks/codespell_compare.py SITE RESULTS.json [--name NAME] [--json OUT]

SITE is a blog folder (or a corpus name under ``$BLOGTOOLS_CORPORA``); RESULTS.json is
``benchmarks/accuracy.py --json`` of the same site: its default-rule findings are blogtools'
side. Every file blogtools lints is parsed with blogtools' own parser; the text of each
heading and link (code spans, URLs and templates blanked as the word rules do) is written one
per line to a temporary file, and **codespell itself** (``codespell_lib``, its default
dictionaries ``clear,rare``) is run on it. Each codespell hit is mapped back to its file, line
and column; it is *found* when a BT401/BT402/BT403 finding covers that position, else it is
listed as a miss with the line, for judging (is the miss a typo of the author's, or a name, a
quoted title, the site's vocabulary?). Issue 22, deliverable 5: the target is 0 misses that
are the author's typos.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORD_RULES = ("BT401", "BT402", "BT403")
_HIT = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fix>.+)$")


def labels(site: str) -> list[tuple[str, int, str, object, str]]:
    """(path relative to the site, offset of the text, text, document, link URL or "") of every
    heading and link text, markup blanked (same length) as the word rules blank it."""
    from blogtools import words
    from blogtools.config import load
    from blogtools.document import Document
    from blogtools.lint.runner import discover

    out = []
    for path in discover([site], load(site, None)).files:
        try:
            doc = Document.read(path)
        except Exception:  # noqa: BLE001 - unreadable: blogtools reports it itself
            continue
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(site))
        for n in doc.nodes("heading", "link"):
            if 0 <= n.text_start < n.text_end:
                out.append((rel, n.text_start, words.blank_markup(doc.text[n.text_start : n.text_end]), doc,
                            n.url if n.kind == "link" else ""))
    return out


def codespell_hits(texts: list[str]) -> list[tuple[int, str, str]]:
    """(index of the text, word, correction) of every codespell finding in the texts."""
    import codespell_lib

    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "labels.txt")
        with open(target, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(t.replace("\r", " ").replace("\n", " ") + "\n")
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            codespell_lib.main(target)
    out = []
    for line in buf.getvalue().splitlines():
        m = _HIT.match(line)
        if m:
            out.append((int(m.group("line")) - 1, m.group("word"), m.group("fix")))
    return out


def why_not(word: str, text: str, url: str, line: str) -> str:
    """Why blogtools' BT401 leaves a codespell hit alone, where its own rules say so (else "")."""
    from blogtools import words
    from blogtools.urls import unquote
    from blogtools_rules.typos import quoted_title

    if url and quoted_title(url, text, line if line.endswith("\n") else line + "\n"):
        return "quoted title of the linked page"
    if url and words.fold(word) in words.fold(unquote(url)):
        return "the link's URL spells it so (a name, or the linked page's title)"
    eng = words.english()
    if eng is not None and eng.lookup(words.fold(word)) is None:
        return "technical word or not in blogtools' English table"
    return ""


def compare(site: str, results: dict, name: str) -> dict:
    found = {}
    for f in results["runs"]["default rules"]["findings"]:
        if f["code"] in WORD_RULES:
            found.setdefault((f["path"], f["line"]), []).append((f["column"], f["end_column"], f["code"]))
    items = labels(site)
    hits = codespell_hits([t for _, _, t, _, _ in items])
    seen = set()
    rows = []
    for index, word, fix in hits:
        rel, start, text, doc, url = items[index]
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text):
            line, col = doc.position(start + m.start())
            key = (rel, line, col, word)
            if key in seen:
                continue
            seen.add(key)
            by = [code for a, b, code in found.get((rel, line), []) if a <= col < max(b, a + 1)]
            src = doc.text.splitlines()[line - 1] if line <= len(doc.text.splitlines()) else ""
            rows.append({"path": rel, "line": line, "column": col, "word": word, "codespell": fix,
                         "found_by": by, "why": "" if by else why_not(word, text, url, src),
                         "source_line": src.strip()[:300]})
    missed = [r for r in rows if not r["found_by"]]
    return {"corpus": name, "codespell_hits": len(rows), "found": len(rows) - len(missed), "missed": missed,
            "hits": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site")
    ap.add_argument("results", help="benchmarks/accuracy.py --json output for the same site")
    ap.add_argument("--name")
    ap.add_argument("--json", dest="out")
    args = ap.parse_args(argv)
    site = args.site
    if not os.path.isdir(site) and os.environ.get("BLOGTOOLS_CORPORA"):
        site = os.path.join(os.environ["BLOGTOOLS_CORPORA"], site)
    results = json.loads(Path(args.results).read_text(encoding="utf-8"))
    report = compare(site, results, args.name or os.path.basename(site.rstrip("/")))
    print(f"**{report['corpus']}**: codespell finds {report['codespell_hits']} words in link texts and headings; "
          f"blogtools reports {report['found']}, misses {len(report['missed'])}")
    for r in report["missed"]:
        print(f"  {r['path']}:{r['line']}:{r['column']} {r['word']} ==> {r['codespell']} [{r['why'] or '?'}] | "
              f"{r['source_line'][:140]}")
    if args.out:
        Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
