"""WordPress exports (WXR ``*.xml``) found in a site: not a site of their own.

A folder holding ``wordpress.xml`` (or ``data/site.WordPress.date.xml``), alone or beside the
Jekyll site jekyll-import made of it, is not linted as WordPress content: blogtools has no
WordPress profile. :func:`notice` says so once and names the command that reads the export;
:func:`find_exports` is shared with ``blogtools migrate --from wordpress``.
"""

from __future__ import annotations

import os
from collections.abc import Callable

SKIP_DIRS = {"node_modules", "vendor", "_site", "public", ".git"}
HEAD = 8192


def looks_like_wxr(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a WXR document (RSS with WordPress's
    ``wordpress.org/export/`` namespace, any version)."""
    return b"wordpress.org/export/" in head and b"<rss" in head


def find_exports(root: str, opener: Callable[[str], int] | None = None, skip: str | None = None) -> list[str]:
    """The WXR files at the top of ``root`` or one folder down (``_import/wordpress.xml``),
    sorted; only the first bytes of each ``*.xml`` are read, through ``opener`` (a
    descriptor of a regular file; :func:`blogtools.safefs.open_regular` by default)."""
    from blogtools import safefs

    opener = opener or safefs.open_regular
    skip_real = os.path.realpath(skip) if skip else None
    try:
        top = sorted(os.listdir(root))
    except OSError:
        return []
    candidates = []
    for name in top:
        full = os.path.join(root, name)
        if name.startswith(".") or name in SKIP_DIRS or (skip_real and os.path.realpath(full) == skip_real):
            continue
        if name.lower().endswith(".xml"):
            candidates.append(full)
        elif os.path.isdir(full) and not os.path.islink(full):
            try:
                candidates += [os.path.join(full, n) for n in sorted(os.listdir(full))
                               if n.lower().endswith(".xml") and not n.startswith(".")]
            except OSError:
                continue
    found = []
    for path in candidates:
        try:
            fd = opener(path)
        except (safefs.Refused, OSError):
            continue
        try:
            head = os.read(fd, HEAD)
        except OSError:
            continue
        finally:
            os.close(fd)
        if looks_like_wxr(head):
            found.append(path)
    return found


def notice(root: str) -> str:
    """A sentence for lint when ``root`` holds a WordPress export ("" otherwise)."""
    found = find_exports(root)
    if not found:
        return ""
    names = ", ".join(os.path.relpath(p, root).replace(os.sep, "/") for p in found[:3])
    return (f"{names}: a WordPress export (WXR), not linted (blogtools has no WordPress profile); "
            f"to convert it: blogtools migrate {os.path.relpath(root)} --from wordpress --to hugo --out DIR")
