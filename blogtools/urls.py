"""``urllib.parse`` functions, imported on first call.

Importing :mod:`urllib.parse` imports :mod:`ipaddress` (~5 ms of every start), and a
one-file run often never parses a URL; the rules and the site model import these names.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def urlsplit(url: str, scheme: str = "", allow_fragments: bool = True) -> Any:
    from urllib.parse import urlsplit as real

    return real(url, scheme, allow_fragments)


def urlunsplit(components: Any) -> str:
    from urllib.parse import urlunsplit as real

    return real(components)


def unquote(text: str, encoding: str = "utf-8", errors: str = "replace") -> str:
    if "%" not in text:  # (what urllib.parse.unquote does first, without the import)
        return text
    if encoding == "utf-8" and errors == "replace":
        return _unquote_utf8(text)
    from urllib.parse import unquote as real

    return real(text, encoding, errors)


@lru_cache(maxsize=8192)
def _unquote_utf8(text: str) -> str:
    """Remembered: the site-wide rules decode the same percent-encoded (Japanese) URLs
    several times each, and urllib's decoder is slow on them."""
    from urllib.parse import unquote as real

    return real(text)


def quote(text: str, safe: str = "/", **kwargs: Any) -> str:
    from urllib.parse import quote as real

    return real(text, safe, **kwargs)


def parse_qs(query: str, **kwargs: Any) -> dict[str, list[str]]:
    from urllib.parse import parse_qs as real

    return real(query, **kwargs)
