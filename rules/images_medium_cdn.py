"""BT304: images still hosted on Medium's CDN."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.site import key_index, lookup
from blogtools.urls import urlsplit
from blogtools.rulesupport.images import FRONT_MATTER_KEYS

MEDIUM_HOSTS = ("cdn-images-1.medium.com", "cdn-images-2.medium.com", "miro.medium.com")
_IMG = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(["'])([^"']*)\1""", re.I)


def on_medium(url: str) -> bool:
    # Most URLs are not on Medium: skip urlsplit unless the host could be there. (urlsplit
    # deletes tabs and newlines anywhere in the URL, so a URL with one takes the long way.)
    if "medium.com" not in url.lower() and "\t" not in url and "\n" not in url and "\r" not in url:
        return False
    try:
        host = urlsplit(url.strip()).netloc.lower()
    except ValueError:
        return False
    return host in MEDIUM_HOSTS


class ImageOnMediumCdn(Rule):
    """Image still served from Medium's CDN.

    What it does
        Finds images whose URL is on ``cdn-images-1.medium.com`` or ``miro.medium.com``:
        in the body (Markdown and ``<img>``) and in the image keys of the front matter.

    Why it matters
        Those files belong to the Medium post. They disappear when the post or the
        account is deleted, and Medium may change or block hotlinking at any time. An
        import that left them remote is not finished.

    Example
        ::

            ![image](https://cdn-images-1.medium.com/max/2560/0*Rk2fW9pLq7TnYc0a)

    Use instead
        Download the file into the page bundle and link it relatively:
        ``![会場の様子](images/4.jpg)`` (``blogtools migrate`` does this).

    Fix safety
        No fix: the file has to be downloaded first, which a lint fix never does.

    Options
        ``images.front-matter-keys``.
    """

    code = "BT304"
    name = "image-on-medium-cdn"
    summary = "Image still hosted on Medium's CDN (cdn-images-1.medium.com, miro.medium.com)"
    severity = "warning"
    fixable = None
    options = (FRONT_MATTER_KEYS,)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = doc.front_matter
        if fm is not None and fm.data:
            lowered = key_index(fm.data)  # (most posts have none of the keys: each miss would scan them all)
            for key in self.option("images.front-matter-keys"):
                value = lookup(fm.data, key, lowered)
                items = [((key,), value)] if isinstance(value, str) else \
                    [((key, i), v) for i, v in enumerate(value)] if isinstance(value, list) else []
                for path, v in items:
                    if isinstance(v, str) and on_medium(v):
                        span = _span(doc.text, fm, path)
                        if span is not None:
                            yield self.diagnostic(doc, span[0], span[1], f"front matter {'.'.join(map(str, path))!r} "
                                                  "is an image on Medium's CDN: it disappears with the Medium post; "
                                                  "download it into the bundle")
        for node in doc.nodes("image"):
            if node.url_start >= 0 and on_medium(node.url):
                yield self.diagnostic(doc, node.url_start, node.url_end, "image on Medium's CDN: it disappears with "
                                      "the Medium post or account; download it into the bundle")
        for node in doc.nodes("html_block", "html_inline"):
            for m in _IMG.finditer(doc.text, node.start, node.end):
                if on_medium(m.group(2)):
                    yield self.diagnostic(doc, m.start(2), m.end(2), "<img> on Medium's CDN: it disappears with the "
                                          "Medium post or account; download it into the bundle")


def _span(text: str, fm: Any, path: tuple[Any, ...]) -> tuple[int, int] | None:
    """The value of a front matter key, without its quotes."""
    for key, span in fm.positions.items():
        if len(key) == len(path) and all(str(a).lower() == str(b).lower() for a, b in zip(key, path)):
            a, b = span.value_start, span.value_end
            if b - a >= 2 and text[a] in "\"'" and text[b - 1] == text[a]:
                return a + 1, b - 1
            return a, b
    return None
