"""BT210: an alias that is a full URL, lacks its leading ``/``, or is not a string."""

from __future__ import annotations

import os
import re
from typing import Any, Iterator
from urllib.parse import unquote

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.aliases import alias_span, alias_values
from blogtools.rulesupport.baseurl import host_of, own_base
from blogtools.urls import urlsplit

ALIAS_KEYS = {"hugo": "aliases", "jekyll": "redirect_from"}
NAME_MAX = 255  # bytes in one file name (ext4, APFS, NTFS in UTF-16 units: the common limit)
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_KEEP_ENCODED = re.compile(r"%(?:2[fF]|3[fF]|23|25|00)")  # / ? # % NUL: decoding would change the path
# A Medium post id ends the old Medium URLs (/why-i-joined-4a7c19e2b05d): there the old URL
# was at the site root, so an alias without "/" provably misses it.
_MEDIUM_ID = re.compile(r"-[0-9a-f]{10,12}/?$")


def page_url(doc: Document, site: Any) -> str:
    """The URL the generator gives this document ("" when it is no content file)."""
    try:
        profile = site.profile
        for folder, lang in profile.content_dirs():
            if os.path.abspath(doc.abspath).startswith(os.path.abspath(folder) + os.sep):
                facts = {"path": doc.path, "abspath": doc.abspath,
                         "front_matter": {"format": "yaml", "data": doc.meta, "keys": {}}}
                page = profile.make_page(facts, folder, lang)
                return page.url if page is not None else ""
    except Exception:  # noqa: BLE001 - an odd config never stops the rule
        return ""
    return ""


def _too_long(path: str) -> int:
    """The byte length of the longest part of ``path`` over :data:`NAME_MAX` (0: none)."""
    longest = max((len(part.encode("utf-8", "surrogatepass")) for part in path.split("/")), default=0)
    return longest if longest > NAME_MAX else 0


class AliasMalformed(Rule):
    """Alias written as a full URL, without its leading ``/``, or not as a string.

    What it does
        Checks each entry of ``aliases`` (Hugo) or ``redirect_from`` (Jekyll): an entry
        with a scheme (``https://medium.com/@user/post-4a7c19e2b05d``), an entry that is
        not a string, and in Hugo: a percent-encoded entry (``/%E6%97%A5%E8%A8%98/``), a part
        longer than a file name may be (255 bytes), and a Medium-era entry without its
        leading ``/`` (``why-i-joined-4a7c19e2b05d``: the old Medium URL was at the root).
        Any other entry without ``/`` is left alone: Hugo writes it in the page's folder,
        which may well be where the old URL was.

    Why it matters
        An alias is a path on this site where the generator writes a redirect page. Hugo
        stops the build on an alias with a scheme ("http* aliases not supported"), and no
        static site can redirect a URL of another domain anyway. An alias without ``/`` is
        relative to the folder of the page's URL: ``old-post`` on ``/posts/new-post/``
        becomes ``/posts/old-post/``, not ``/old-post/``. Medium imports produce both.
        Hugo (0.168) writes an alias verbatim: ``/%E6%97%A5/`` becomes a folder named
        ``%E6%97%A5``, while a web server decodes the request ``/%E6%97%A5/`` to ``/日/``
        and finds nothing; and a part over 255 bytes fails the whole build ("file name too
        long"), which an encoded Japanese title reaches at 29 characters.

    Example
        ::

            aliases:
              - https://blog.example.org/old-post/
              - why-i-joined-4a7c19e2b05d

    Use instead
        ::

            aliases:
              - /old-post/
              - /why-i-joined-4a7c19e2b05d

    Fix safety
        A full URL on the site's own host (``baseURL``): safe, the path is the same
        address. A percent-encoded alias: safe, decoded (the address a browser asks for is
        the same); not offered when an escape stands for ``/ ? # %``. Another host: no fix (keep its path only if that domain now serves this
        site). A missing ``/``: unsafe, because it moves the redirect from the page's
        folder to the site root, which is usually, but not provably, what was meant.
    """

    code = "BT210"
    name = "alias-malformed"
    summary = "Alias that is a full URL, percent-encoded, too long for a file name, or not a string"
    severity = "error"
    fixable = "sometimes"

    def _written(self, doc: Document, alias: str, a: int, b: int, exact: bool) -> Iterator[Diagnostic]:
        """What Hugo does with the alias text as it is: it writes it verbatim as a folder
        (0.168), escapes included, and stops the build on a name the file system refuses."""
        path = alias.split("?", 1)[0]
        if _ESCAPE.search(path) and not _KEEP_ENCODED.search(path):  # (an escaped / ? # %: servers differ)
            try:
                decoded = unquote(path, errors="strict")
            except UnicodeDecodeError:
                decoded = ""
            long = _too_long(decoded or path)
            fix = None
            if exact and decoded:
                fix = Fix((Edit(a, b, decoded + alias[len(path):]),), safe=True,
                          description=f"write the path decoded: {decoded}")
            yield self.diagnostic(
                doc, a, b, f"alias {alias!r} is percent-encoded: Hugo writes the folder with the escapes as "
                f"they are, while a web server decodes the request, so the old URL 404s"
                + (f"; write it decoded: {decoded!r}" if decoded else "")
                + (f" (still, a part of it is {long} bytes, over the {NAME_MAX} a file name may have: "
                   "Hugo stops the build with 'file name too long')" if long else ""), fix)
            return
        long = _too_long(path)
        if long:
            yield self.diagnostic(doc, a, b, f"alias {alias!r} has a part of {long} bytes, over the {NAME_MAX} "
                                  "a file name may have: Hugo stops the build with 'file name too long'")

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        key = ALIAS_KEYS.get(getattr(site, "generator", ""))
        if key is None or not doc.meta or not any(str(k).lower() == key for k in doc.meta) \
                or not site.is_content(doc.abspath):
            return
        base = own_base(site)
        for path, value in alias_values(doc, key):
            if value is None:
                continue  # an empty key (redirect_from:): no alias at all, nothing to break
            a, b, exact = alias_span(doc, path)
            if not isinstance(value, str):
                yield self.diagnostic(doc, a, b, f"alias {value!r} is not a string: the generator ignores it "
                                      "or stops the build")
                continue
            alias = value.strip()
            if not alias:
                continue
            if "://" in alias or alias.startswith("//"):
                parts = urlsplit(alias if "://" in alias else "https:" + alias)
                new = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                if base is not None and host_of(parts.netloc) == base[0]:
                    prefix = base[1]
                    if prefix and (new + "/").startswith(prefix + "/"):
                        new = new[len(prefix):] or "/"
                    fix = Fix((Edit(a, b, new),), safe=True, description=f"use the path {new}") if exact else None
                    yield self.diagnostic(doc, a, b, f"alias {alias!r} is a full URL of this site: write the path "
                                          f"{new!r} (Hugo stops the build on an alias with a scheme)", fix)
                else:
                    yield self.diagnostic(doc, a, b, f"alias {alias!r} is a URL of another site ({parts.netloc}): "
                                          "a static site cannot redirect it, and Hugo stops the build on an alias "
                                          f"with a scheme; remove it, or keep the path {new!r} only if "
                                          f"{parts.netloc} now serves this site")
                continue
            if site.generator == "hugo":
                yield from self._written(doc, alias, a, b, exact)
            if not alias.startswith("/") and site.generator == "hugo" and _MEDIUM_ID.search(alias):
                url = page_url(doc, site)
                where = ""
                if url:
                    folder = url.rstrip("/").rsplit("/", 1)[0]
                    target = folder + "/" + alias
                    if not target.endswith(("/", ".html")):
                        target += "/"
                    where = f" (written at {target!r})"
                fix = Fix((Edit(a, a, "/"),), safe=False, description="make it a site path") if exact else None
                yield self.diagnostic(doc, a, b, f"alias {alias!r} has no leading '/': it is relative to the "
                                      f"page's folder{where}, not the site root", fix, severity="warning")
