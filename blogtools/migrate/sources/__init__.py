"""Source readers: each turns a blog in its own format into neutral :class:`Post` objects.

``read(src, kind)`` returns the :class:`SourceSite` facts and the posts, sorted by source
path. ``detect(src)`` names the format of a folder or zip.
"""

from __future__ import annotations

import os
import zipfile
from typing import Any

from blogtools.migrate.model import Post, SourceSite

KINDS = ("hugo", "medium", "jekyll", "wordpress", "hatena")


def detect(src: str) -> str | None:
    """hugo | medium | jekyll | wordpress | hatena, or None when the folder is none of them.

    A WordPress export (WXR) wins over a Jekyll site beside it (jekyll-import's output):
    the export is the source of truth, the Jekyll URLs become aliases."""
    if os.path.isfile(src) and zipfile.is_zipfile(src):
        return "medium"
    from blogtools.migrate.sources import hatena, wordpress

    if hatena.detect(src):  # a blogsync tree, or Hatena's Movable Type export (file or folder)
        return "hatena"
    if os.path.isfile(src):
        return "wordpress" if wordpress.is_export(src) else None
    if not os.path.isdir(src):
        return None
    names = set(os.listdir(src))
    from blogtools.site import HUGO_CONFIGS

    hugo = bool(names & set(HUGO_CONFIGS)) or os.path.isdir(os.path.join(src, "config", "_default"))
    if not hugo and wordpress.find_exports(src):  # a Hugo site holding an old export is a Hugo site
        return "wordpress"
    if "_config.yml" in names or "_config.yaml" in names or "_posts" in names:
        return "jekyll"
    if hugo:
        return "hugo"
    if os.path.isdir(os.path.join(src, "posts")) and any(
        n.endswith(".html") for n in os.listdir(os.path.join(src, "posts"))
    ):
        return "medium"
    if os.path.isdir(os.path.join(src, "content")):
        return "hugo"
    return None


def read(src: str, kind: str, skip: str | None = None, guard: Any = None,
         progress: Any = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    """(site, posts, skipped files with the reason) for ``src`` in format ``kind``.

    ``skip`` is a folder never read. ``guard`` (:class:`blogtools.migrate.util.Guard`)
    collects the files refused because they are not regular files or lead outside ``src``;
    ``progress`` (:class:`blogtools.migrate.pipeline.Progress`) shows a reader's progress."""
    if kind == "hugo":
        from blogtools.migrate.sources import hugo as reader
    elif kind == "medium":
        from blogtools.migrate.sources import medium as reader  # type: ignore[no-redef]
    elif kind == "jekyll":
        from blogtools.migrate.sources import jekyll as reader  # type: ignore[no-redef]
    elif kind == "wordpress":
        from blogtools.migrate.sources import wordpress as reader  # type: ignore[no-redef]
    elif kind == "hatena":
        from blogtools.migrate.sources import hatena as reader  # type: ignore[no-redef]
    else:
        raise ValueError(f"unknown source format {kind!r}")
    if kind == "jekyll":
        return reader.read(src, skip, guard, progress)  # the slow reader: Liquid and kramdown per file
    return reader.read(src, skip, guard)
