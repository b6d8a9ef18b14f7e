"""Source readers: each turns a blog in its own format into neutral :class:`Post` objects.

``read(src, kind)`` returns the :class:`SourceSite` facts and the posts, sorted by source
path. ``detect(src)`` names the format of a folder or zip.
"""

from __future__ import annotations

import os
import zipfile
from typing import Any

from blogtools.migrate.model import Post, SourceSite

KINDS = ("hugo", "medium", "jekyll", "hatena")


def detect(src: str) -> str | None:
    """hugo | medium | jekyll | hatena, or None when the folder is none of them."""
    if os.path.isfile(src) and zipfile.is_zipfile(src):
        return "medium"
    from blogtools.migrate.sources import hatena

    if hatena.detect(src):  # a blogsync tree, or Hatena's Movable Type export (file or folder)
        return "hatena"
    if not os.path.isdir(src):
        return None
    names = set(os.listdir(src))
    if "_config.yml" in names or "_config.yaml" in names or "_posts" in names:
        return "jekyll"
    from blogtools.site import HUGO_CONFIGS

    if names & set(HUGO_CONFIGS) or os.path.isdir(os.path.join(src, "config", "_default")):
        return "hugo"
    if os.path.isdir(os.path.join(src, "posts")) and any(
        n.endswith(".html") for n in os.listdir(os.path.join(src, "posts"))
    ):
        return "medium"
    if os.path.isdir(os.path.join(src, "content")):
        return "hugo"
    return None


def read(src: str, kind: str, skip: str | None = None, guard: Any = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    """(site, posts, skipped files with the reason) for ``src`` in format ``kind``.

    ``skip`` is a folder never read. ``guard`` (:class:`blogtools.migrate.util.Guard`)
    collects the files refused because they are not regular files or lead outside ``src``."""
    if kind == "hugo":
        from blogtools.migrate.sources import hugo as reader
    elif kind == "medium":
        from blogtools.migrate.sources import medium as reader  # type: ignore[no-redef]
    elif kind == "jekyll":
        from blogtools.migrate.sources import jekyll as reader  # type: ignore[no-redef]
    elif kind == "hatena":
        from blogtools.migrate.sources import hatena as reader  # type: ignore[no-redef]
    else:
        raise ValueError(f"unknown source format {kind!r}")
    return reader.read(src, skip, guard)
