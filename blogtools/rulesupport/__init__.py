"""Helpers the built-in rules share, public so that no rule imports another rule or a
private name (``tests/test_architecture.py`` checks it).

One module per concern: ``frontmatter`` (the BT1xx options, schema, positions and edits),
``images`` (image options and classification), ``footnotes``, ``aliases``, ``baseurl``,
``shortcodes`` (the Hugo version and the shortcodes it has) and ``vocabulary`` (taxonomy terms).
"""

from __future__ import annotations

from typing import Any


def memo(rule: Any, site: Any, name: str, build: Any) -> Any:
    """``build()`` once per rule instance and site: options and site settings do not change
    during a run, and ``check`` runs on every file."""
    cache = rule.__dict__.setdefault("_memo", {})
    key = (name, id(site))
    if key not in cache:
        cache[key] = build()
    return cache[key]
