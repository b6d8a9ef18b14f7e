"""BT207: an absolute link to the site's own ``baseURL`` where a root-relative one belongs."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools import kramdown_body
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.baseurl import host_of, own_base
from blogtools.urls import urlsplit


class LinkOwnBaseUrl(Rule):
    """Absolute link to a page of this very site.

    What it does
        Finds links and images whose URL starts with the site's own address
        (``baseURL`` in Hugo, ``url`` + ``baseurl`` in Jekyll; ``http``/``https`` and
        ``www.`` ignored) and offers the root-relative path.

    Why it matters
        An absolute link leaves the preview: ``hugo server``, a pull-request preview or a
        staging copy sends the reader to production, and the link checker checks the live
        site instead of the build. After a move to a new domain every such link points at
        the old one.

    Example
        ::

            [前回の記事](https://blog.example.org/posts/2022-02-22/)

    Use instead
        ::

            [前回の記事](/posts/2022-02-22/)

    Fix safety
        Unsafe: on the published site the root-relative path is the same page, but the
        post's text changes for everything that reads it outside the site: an RSS or Atom
        reader, a syndicated copy (dev.to, Qiita, Zenn), a mail digest resolve a
        root-relative link against their own host. Bare URLs (``https://blog.example.org/...``
        written as text) are reported without a fix, because the fix would change the
        visible text.
    """

    code = "BT207"
    name = "link-own-base-url"
    summary = "Absolute link to the site's own baseURL where a root-relative path belongs"
    severity = "warning"
    fixable = "unsafe"
    default_enabled = False  # style: opt-in (see "Default rules" in the README)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        base = memo(self, site, "base", lambda: own_base(site))  # the site's config is fixed for a run
        if base is None:
            return
        host, prefix = base
        # Only posts whose text has the host are checked. Lower-casing the whole post to ask
        # costs more than the rest of the check, so it is asked only once a URL has the host
        # (host is lower case: if the text has it as it is, its lower-case form has it too).
        text_has_host: bool | None = None
        for node in kramdown_body.nodes(doc, "link", "image", "autolink"):  # (on Jekyll: no bare URL is a link)
            url = node.url
            if host not in url.lower() or not url.lower().startswith(("http://", "https://", "//")) \
                    or node.url_start < 0:
                continue
            if text_has_host is None:
                text_has_host = host in doc.text or host in doc.text.lower()
            if not text_has_host:
                return
            parts = urlsplit(url)
            if host_of(parts.netloc) != host:
                continue
            path = parts.path or "/"
            if prefix and not (path + "/").startswith(prefix + "/"):
                continue  # the same host but outside the site
            new = path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
            a, b = node.url_start, node.url_end
            fix = None
            if node.kind != "autolink" and doc.text[a:b] == url:
                fix = Fix((Edit(a, b, new),), safe=False, description=f"use {new}")
            yield self.diagnostic(doc, a, b, f"absolute link to this site: use the root-relative {new!r}", fix)
