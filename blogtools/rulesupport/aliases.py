"""Where aliases are written, shared by the alias rules (BT210 malformed, BT211 duplicate,
BT212 shadowed, BT213 sanitised)."""

from __future__ import annotations

from typing import Any

from blogtools.document import Document
from blogtools.site import value_span


def alias_values(doc: Document, key: str) -> list[tuple[tuple[Any, ...], Any]]:
    """(front matter path, value) of each alias, for a string or a list value."""
    meta = doc.meta
    real = next((k for k in meta if str(k).lower() == key), None)
    if real is None:
        return []
    value = meta[real]
    if isinstance(value, list):
        return [((real, i), v) for i, v in enumerate(value)]
    return [((real,), value)]


def alias_span(doc: Document, path: tuple[Any, ...]) -> tuple[int, int, bool]:
    """(start, end, exact) of a front matter value without its quotes."""
    fm = doc.front_matter
    span = fm.positions.get(path) if fm is not None else None
    if span is None:
        off = fm.key_offset(path[0]) if fm is not None else 0
        return off, off, False
    a, b = span.value_start, span.value_end
    raw = doc.text[a:b]
    if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]:
        return a + 1, b - 1, True
    return a, b, True


def alias_pos(page: Any, alias: Any) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """Position and offsets of an alias value in its page's front matter."""
    f = page.facts or {}
    data = (f.get("front_matter") or {}).get("data") or {}
    key = "aliases" if "aliases" in {str(k).lower() for k in data} else "redirect_from"
    dotted = key if alias.index < 0 else f"{key}.{alias.index}"
    hit = value_span(f, dotted)
    if hit is not None:
        return tuple(hit[2]), (hit[0], hit[1])
    keys = (f.get("front_matter") or {}).get("keys") or {}
    p = keys.get(dotted) or keys.get(key) or (1, 1, 1, 1)
    return tuple(p), (0, 0)
