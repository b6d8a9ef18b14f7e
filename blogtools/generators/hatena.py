"""Hatena Blog through blogsync (``blogsync.yaml``; ``<blog>/entry/...md`` with ``Title:``,
``Category:``, ``Date:``, ``URL:``, ``EditURL:`` and ``Draft:`` headers).

- **URLs**: an entry is published at the path of its ``URL:`` header (custom domains too:
  the blog's address is the host most entries name, and becomes the model's base URL, so
  ``https://<blog>/entry/x`` and ``/entry/x`` are both internal links). A draft (no URL) is
  not published. Nothing else of the tree is served: Hatena, not the files, serves images.
- **Judged**: links to ``/entry/...`` (an entry of the tree, or nothing). The other paths of
  the blog (``/archive/...``, ``/about``, categories, feeds, pages not synced) are Hatena's
  own and cannot be known from the tree: not judged.
- **Headers**: the keys are blogsync's (renaming them would break ``blogsync push``), so the
  generic front matter rules (BT101-BT110, which read ``title``/``date``) do not run; the
  header is checked against Hatena's schema by BT120 (``front-matter-hatena``).
- **Body**: Hatena notation is read by :mod:`blogtools.hatena_notation` into the same nodes
  as Markdown (the document does it for any file with a blogsync header).
- **Anchors**: Hatena's heading ids are not derived from the text: fragments are not judged.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from blogtools.generators import _meta, _rel
from blogtools.generators.plain import Plain

if TYPE_CHECKING:
    from blogtools.site import Page, Site

#: the blogsync header keys and the type each value must have
HEADER_KEYS = {"Title": "string", "Date": "date", "URL": "url", "EditURL": "url", "Category": "strings",
               "Draft": "bool", "PreviewURL": "url", "CustomPath": "string"}


class Hatena(Plain):
    name = "hatena"
    # the generic front matter rules read lower-case keys Hatena does not have (BT120 checks
    # the header instead); Hatena's heading ids are not the text's (no fragment checks)
    quiet_codes = ("BT10", "BT110", "BT204")
    judges_links = True
    notice = ""

    def __init__(self, site: "Site") -> None:
        super().__init__(site)
        if not isinstance(site.config, dict):
            site.config = {}
        if "baseURL" not in site.config:
            found = blog_url(site.root)
            if found:
                site.config["baseURL"] = found

    def static_dirs(self) -> list[str]:
        return []  # Hatena serves no file of the tree

    @property
    def rewrites_markdown_links(self) -> bool:
        return False

    def make_page(self, facts: dict[str, Any], content_dir: str, lang: str) -> "Page | None":
        from blogtools.site import Page

        rel = _rel(facts.get("abspath", ""), content_dir)
        meta = _meta(facts)
        url = meta.get("URL")
        title = str(meta.get("Title") or "")
        path = facts.get("path", rel)
        if isinstance(url, str) and url.strip() and meta.get("Draft") is not True:
            return Page(path, facts.get("abspath", ""), rel, "page", entry_path(meta) or "/", lang=lang, title=title,
                        facts=facts)
        where = rel[:-3] if rel.endswith(".md") else rel
        if meta.get("Draft") is not True and "/entry/" in "/" + where:
            # pushed, not pulled back yet: its URL is Hatena's to give. blogsync keeps an entry at
            # <host>/<its URL path>.md, which is where its author links to it: taken as its URL,
            # so links to it are not judged either way.
            return Page(path, facts.get("abspath", ""), rel, "page", "/entry/" + ("/" + where).split("/entry/", 1)[1],
                        lang=lang, title=title, facts=facts)
        page = Page(path, facts.get("abspath", ""), rel, "page", "/" + where, lang=lang, title=title, facts=facts)
        page.published = False
        page.unpublished_why = "a draft (Draft: true, no URL yet)" if meta.get("Draft") is True else "no URL: header"
        return page

    def serves_unlisted(self, path: str) -> bool:
        """Every path but ``/entry/...`` is Hatena's own (archives, categories, about, feeds,
        pages not in the tree): the tree cannot tell whether it exists."""
        return platform_path(path)


def platform_path(path: str) -> bool:
    """Whether Hatena serves ``path`` by itself (anything but an entry's ``/entry/...``)."""
    return not path.startswith("/entry/")


def entry_path(meta: dict[str, Any]) -> str:
    """The path an entry is published at: ``/entry/<CustomPath>`` when blogsync's
    ``CustomPath`` is set (the path the next push gives it, and the one its author links to),
    else the path of its ``URL:`` header; "" without either."""
    custom = meta.get("CustomPath")
    if isinstance(custom, str) and custom.strip().strip("/"):
        return "/entry/" + custom.strip().strip("/")
    url = meta.get("URL")
    if isinstance(url, str) and url.strip():
        return unquote(urlsplit(url.strip()).path)
    return ""


def blog_url(root: str) -> str:
    """``scheme://host/`` of the blog, from the ``URL:`` headers of a few entries (the most
    common one); "" when none is found. Reads at most 20 headers."""
    counts: Counter[str] = Counter()
    seen = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "node_modules")
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            url = _header_url(os.path.join(dirpath, name))
            if url:
                parts = urlsplit(url)
                if parts.scheme in ("http", "https") and parts.netloc:
                    counts[f"{parts.scheme}://{parts.netloc.lower()}/"] += 1
                    seen += 1
            if seen >= 20:
                return counts.most_common(1)[0][0]
    return counts.most_common(1)[0][0] if counts else ""


def _header_url(path: str) -> str:
    from blogtools import safefs

    try:
        head = safefs.read_bytes(path, 1 << 20)[:4096].decode("utf-8", "replace")
    except (OSError, safefs.Refused, safefs.TooLarge):
        return ""
    if not head.startswith("---"):
        return ""
    for line in head.split("\n")[1:40]:
        if line.strip() == "---":
            break
        if line.startswith("URL:"):
            return line[4:].strip().strip("'\"")
    return ""
