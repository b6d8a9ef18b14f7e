"""Render a post's body to HTML, for the fix applier's check that a fix changes nothing else.

The body is prepared exactly as the linter reads it (:func:`blogtools.markdown.prepare_body`:
shortcodes and Liquid masked, so a template is an opaque run of text) and rendered by
mistune with the GitHub extensions Goldmark enables in Hugo (tables, strikethrough, task
lists, footnotes, bare-URL autolinks). Raw HTML passes through as Hugo with ``unsafe =
true`` would pass it: a fix must not change it either way.

The HTML is only ever compared with another rendering of the same post, never shown.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from blogtools.markdown import prepare_body

_MD: Any = None
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)")


def _markdown() -> Any:
    global _MD
    if _MD is None:
        import mistune

        from blogtools.markdown import goldmark_definitions

        goldmark_definitions()
        _MD = mistune.create_markdown(
            escape=False, plugins=["footnotes", "table", "strikethrough", "task_lists", "url"])
    return _MD


@lru_cache(maxsize=8)
def render_body(text: str, body_start: int) -> str:
    """The HTML of ``text[body_start:]`` (templates masked). Remembered for the last few
    texts: the fix applier compares every candidate with the same original rendering."""
    _, masked = prepare_body(text, body_start)
    return str(_markdown()(masked))


def tags(html: str) -> list[str]:
    """The element structure of ``html``: its opening and closing tag names, in order."""
    return [m.group(1).lower() for m in _TAG.finditer(html)]
