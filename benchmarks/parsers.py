#!/usr/bin/env python3
"""What the body parse costs, blogtools against the parsers it could use or used.

    python3 benchmarks/parsers.py [--posts 3000] [--corpus-posts 10000] [--repeat 3]
    python3 benchmarks/parsers.py --source /path/to/blog [--posts 3000]

Times, in one process and in CPU milliseconds per post, the body parse of the first
``--posts`` posts of the benchmark corpus (the one ``run.py`` generates and reuses), or of
the Markdown files under ``--source`` (a real blog):

  blogtools        ``Document.body``: blocks, inline nodes and their exact source spans,
                   what every rule reads (front matter is parsed before timing): the
                   events of pulldown-cmark turned into nodes (``blogtools/cmark.py``)
  pyromark         ``pyromark.events_with_range``: pulldown-cmark (Rust) alone, every
                   event with its byte range, the part of blogtools' time spent in Rust
  mistune          ``mistune.create_markdown(renderer=None)`` with footnotes and tables,
                   no positions (blogtools parsed with it, and a scanner agreeing with it,
                   until issue 19)
  markdown-it-pyrs ``MarkdownIt("commonmark").tree``: markdown-it (Rust), line maps for
                   blocks only, if ``pip install markdown-it-pyrs`` was done

The garbage collector is paused while a parser runs, as in blogtools' lint workers. To
compare with an older blogtools, run this script with ``PYTHONPATH`` set to its checkout.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from typing import Callable

import run  # benchmarks/run.py: the corpus


def _documents(files: list[str]) -> list:
    """Fresh documents of ``files``, front matter parsed (not part of any parser's time)."""
    from blogtools.document import Document

    docs = [Document.read(path) for path in files]
    for doc in docs:
        doc.front_matter  # noqa: B018
    return docs


def _markdown_files(root: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in ("public", "node_modules"))
        out += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith((".md", ".markdown"))]
    return out


def parsers() -> dict[str, Callable[[list], list]]:
    """name -> a function parsing each item of a list: blogtools' of fresh documents, the
    others' of body texts."""
    import mistune
    import pyromark

    from blogtools.cmark import OPTIONS

    found: dict[str, Callable[[list], list]] = {}
    found["blogtools"] = lambda docs: [doc.body for doc in docs]
    found["pyromark"] = lambda bodies: [tuple(pyromark.events_with_range(b, options=OPTIONS)) for b in bodies]
    md = mistune.create_markdown(renderer=None, plugins=["footnotes", "table"])
    found["mistune"] = lambda bodies: [md(b) for b in bodies]
    try:
        import markdown_it_pyrs
    except ImportError:
        print("markdown-it-pyrs: not installed (pip install markdown-it-pyrs)", file=sys.stderr)
    else:
        mdit = markdown_it_pyrs.MarkdownIt("commonmark")
        found["markdown-it-pyrs"] = lambda bodies: [mdit.tree(b) for b in bodies]
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, default=3000, help="posts parsed per repeat (default 3000)")
    ap.add_argument("--corpus-posts", type=int, default=10000, help="size of the corpus taken from (default 10000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--source", help="time the Markdown files under this folder instead (a real blog)")
    args = ap.parse_args(argv)
    if args.source:
        site, files = args.source, _markdown_files(args.source)[: args.posts]
    else:
        site, _ = run.ensure_corpus(args.corpus_posts, 0, run.default_cache_root(), images=True)
        files = run.corpus_files(site)[: args.posts]
    print(f"{len(files)} posts of {site}, {args.repeat} repeats (the parsers take turns), "
          "CPU time per post\n")
    found = parsers()
    times: dict[str, list[float]] = {name: [] for name in found}
    for _ in range(args.repeat):
        for name, parse in found.items():
            docs: list = _documents(files)  # (fresh: a document computes its body once)
            if name != "blogtools":
                docs = [doc.text[doc.body_start :] for doc in docs]
            gc.collect()
            gc.disable()  # as in blogtools' workers, which pause the collector while linting
            try:
                t = time.process_time()
                parsed = parse(docs)  # (kept until timed: freeing it is not the parse)
                times[name].append((time.process_time() - t) / len(files) * 1000)
                del parsed
            finally:
                gc.enable()
    print("| parser | median | min |")
    print("|---|---:|---:|")
    for name, ms in times.items():
        print(f"| {name} | {statistics.median(ms):.3f} ms | {min(ms):.3f} ms |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    raise SystemExit(main())
