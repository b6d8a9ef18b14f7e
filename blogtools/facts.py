"""Facts: the small, picklable summary of a document that site-wide rules read.

Per-file work (parsing) happens once, in parallel, and is cached; site-wide checks then run
over the facts of every page without re-reading any file. An extractor is a function
``(doc) -> value`` registered in :data:`EXTRACTORS` under the fact's name.
"""

from __future__ import annotations

from typing import Any, Callable

from blogtools.document import Document
from blogtools.lint import suppress

Pos = tuple[int, int, int, int]  # line, column, end_line, end_column (1-based)


def pos(doc: Document, start: int, end: int) -> Pos:
    return doc.lines.span(start, end)


def _links(doc: Document) -> list[dict[str, Any]]:
    """Body links, images and autolinks: what site rules read of them (kind, url, text,
    url_pos, url_span). Nothing reads a link's whole span, text span, container or bareness
    from facts, so they are not stored: every key is pickled to the main process per link."""
    out = []
    span = doc.lines.span
    for n in doc.nodes("link", "image", "autolink"):
        a, b = (n.url_start, n.url_end) if n.url_start >= 0 else (n.start, n.end)
        out.append({"kind": n.kind, "url": n.url, "text": n.text, "url_pos": span(a, b),
                    "url_span": (n.url_start, n.url_end)})
    return out


def _headings(doc: Document) -> list[dict[str, Any]]:
    span = doc.lines.span
    return [{"level": n.level, "text": n.text, "pos": span(n.text_start, n.text_end)} for n in doc.nodes("heading")]


def _front_matter(doc: Document) -> dict[str, Any]:
    fm = doc.front_matter
    if fm is None:
        return {"format": None, "data": {}, "keys": {}}
    span = doc.lines.span
    keys = {".".join(map(str, p)): span(s.key_start, s.value_end) for p, s in fm.positions.items()}
    return {"format": fm.format, "data": fm.data or {}, "error": fm.error, "keys": keys}


def _suppressions(doc: Document) -> suppress.Suppressions | None:
    found = suppress.collect(doc)
    return found or None  # most posts have none: nothing to pickle and rebuild per post


EXTRACTORS: dict[str, Callable[[Document], Any]] = {
    "front_matter": _front_matter,
    "links": _links,
    "headings": _headings,
    "suppressions": _suppressions,  # so site-wide diagnostics honour inline comments too
}


# Facts that only the network rules (BT7xx) and ``blogtools links`` read: ``blogtools lint``
# skips them when no network rule is selected.
NETWORK_ONLY: set[str] = set()


def extract(doc: Document, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    facts: dict[str, Any] = {"path": doc.path, "abspath": doc.abspath}
    for name, fn in EXTRACTORS.items():
        if name not in skip:
            facts[name] = fn(doc)
    return facts


import blogtools.site  # noqa: E402,F401 - registers the "site" extractor (the cycle is safe here)
