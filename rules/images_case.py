"""BT303: an image path that matches a file only when case is ignored."""

from __future__ import annotations

import os
from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.site import MODEL_FACTS
from blogtools.rulesupport.images import FRONT_MATTER_KEYS, SHORTCODE_PARAMS, each


def recase(url: str, real_file: str) -> str | None:
    """``url`` with its last segments spelled like the file on disk (None if it cannot be)."""
    if "%" in url or "?" in url or "#" in url:
        return None
    parts = url.split("/")
    real = os.path.normpath(real_file).split(os.sep)
    changed = False
    for i in range(1, min(len(parts), len(real)) + 1):
        if parts[-i] == real[-i]:
            continue
        if parts[-i].lower() != real[-i].lower():
            break
        parts[-i] = real[-i]
        changed = True
    return "/".join(parts) if changed else None


class ImagePathCase(Rule):
    """Image path that differs from the file only in upper/lower case.

    What it does
        Reports a local image whose path matches no file exactly but matches one when case
        is ignored (``images/Photo.png`` for ``images/photo.PNG``). The lookup compares
        folder listings, so it finds the mismatch on a case-insensitive disk too.

    Why it matters
        macOS and Windows disks ignore case, so the image shows in ``hugo server`` on the
        author's laptop; the Linux server or CDN that hosts the site does not, and the
        image 404s in production only.

    Example
        ::

            ![配信画面](images/Screen.PNG)    # the file is images/screen.png

    Use instead
        ::

            ![配信画面](images/screen.png)

    Fix safety
        Safe: the path is rewritten with the file's own spelling, which names the same
        file on every system.

    Options
        ``images.front-matter-keys``, ``images.shortcode-params``.
    """

    code = "BT303"
    name = "image-path-case"
    summary = "Image path that matches a file only when case is ignored (404 on Linux)"
    severity = "error"
    fixable = "safe"
    site_wide = True
    reads_facts = MODEL_FACTS
    options = (FRONT_MATTER_KEYS, SHORTCODE_PARAMS)

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        for _model, page, ref, target in each(self, site, "case"):
            new = recase(ref.url.strip(), target.file)
            real = "/".join(os.path.normpath(target.file).split(os.sep)[-2:])
            d = self.at(page.path, ref.pos, f"image {ref.url!r} matches {real!r} only when case is ignored: it "
                        "shows on macOS and Windows and 404s on a Linux server", offsets=ref.span or (0, 0))
            if new and ref.span is not None:
                d.fix = Fix((Edit(ref.span[0], ref.span[1], new),), safe=True, description=f"use {new}")
            yield d
