"""Footnote definitions as Hugo's renderer reads them, shared by the footnote rules (BT501
undefined, BT502 unused, BT503 duplicate)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from blogtools.document import Document


def renderer(site: Any) -> str:
    """Who renders the Markdown, for messages."""
    return {"hugo": "Hugo", "jekyll": "Jekyll (kramdown)"}.get(getattr(site, "generator", ""),
                                                                "the Markdown renderer")


class Definition(NamedTuple):
    label: str
    start: int  # offsets of the label inside ``[^label]:``
    end: int
    node_start: int


def definitions(doc: Document) -> list[Definition]:
    """Footnote definitions in source order.

    Labels are compared exactly, as Hugo's Markdown renderer (goldmark) does: ``[^Note]``
    and ``[^note]:`` are different footnotes. ``[^x]:text`` without a space after the
    colon is a definition for goldmark too, though mistune reads it as a link reference
    definition or as a paragraph, so those count as well.
    """
    text = doc.text
    out = []
    line_starts: set[int] | None = None
    for n in doc.nodes("footnote_def", "ref_def", "footnote_ref"):
        if n.kind == "footnote_def":
            out.append(Definition(n.text, n.text_start, n.text_end, n.start))
        elif n.kind == "ref_def" and n.text.startswith("^") and len(n.text) > 1:
            at = text.find("[^", n.start, n.end)
            if at >= 0:
                out.append(Definition(n.text[1:], at + 2, at + 2 + len(n.text) - 1, n.start))
        elif n.kind == "footnote_ref" and text.startswith(":", n.end):
            line_starts = _line_starts(doc) if line_starts is None else line_starts
            if n.start in line_starts:
                out.append(Definition(n.text, n.text_start, n.text_end, n.start))
    out.sort(key=lambda d: d.node_start)
    return out


def _line_starts(doc: Document) -> set[int]:
    """Offsets where a line of a paragraph begins (inside containers too)."""
    starts = set()
    for leaf in doc.body.leaves:
        if leaf.kind == "paragraph":
            starts.add(leaf.to_abs(0))
            starts.update(leaf.to_abs(m.end()) for m in re.finditer("\n", leaf.text))
    return starts
