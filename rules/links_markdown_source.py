"""BT206: a link to a ``.md`` source file, which the generator does not rewrite."""

from __future__ import annotations

import os
from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.site import MODEL_FACTS, markdown_url
from blogtools.urls import unquote


class LinkToMarkdownSource(Rule):
    """Relative link to a Markdown file that the generator publishes under another URL.

    What it does
        Finds links such as ``../2020-09-06/index.md`` or ``other-post.md`` that name a
        content file. On GitHub and in editors they work; Hugo writes the ``href`` exactly
        as it is (only a render hook would rewrite it), and Jekyll only with the
        ``jekyll-relative-links`` plugin. The rule looks the file up in the site model and
        offers the page's real URL.

    Why it matters
        The built page links to ``/posts/2022-03-22/other.md``, which is not published:
        a 404 that every preview outside the generator hides.

    Example
        ::

            [前回の記事](../2022-02-22/index.md)

    Use instead
        ::

            [前回の記事](/posts/2022-02-22/)

    Fix safety
        Safe: the new URL is the URL the generator gives that very file, so the link
        reaches the document it named; a ``#fragment`` is kept. A link to a ``.md`` file
        that does not exist is BT202's.
    """

    code = "BT206"
    name = "link-to-markdown-source"
    summary = "Link to a .md source file that the generator publishes under another URL"
    severity = "error"
    fixable = "safe"
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        if model.profile.rewrites_markdown_links:
            return
        for page in model.report_pages(self.context.requested):
            f = page.facts or {}
            for link in f.get("links") or ():
                url = link.get("url") or ""
                low = url.lower()
                if ".md" not in low and ".markdown" not in low and "%" not in url:
                    continue  # (most links: no source file name, even once decoded)
                raw = url.split("#", 1)[0].split("?", 1)[0]
                if link.get("kind") == "image" or "://" in raw or raw.startswith("//"):
                    continue  # (decoding keeps both: external links are left before it)
                path = unquote(raw)
                if not path.lower().endswith((".md", ".markdown")) or "://" in path or path.startswith("//"):
                    continue
                target = _target(model, page, path)
                if target is None:
                    continue
                start, end = link.get("url_span") or (-1, -1)
                d = self.at(f["path"], tuple(link["url_pos"]),
                            f"link to the source file {url!r}: {model.profile.name.capitalize()} does not rewrite "
                            f"it; the page is at {model.href(target.url)!r}", offsets=(max(start, 0), max(end, 0)))
                if start >= 0 and target.published:
                    new = markdown_url(model.href(target.url)) + (("#" + url.split("#", 1)[1]) if "#" in url else "")
                    d.fix = Fix((Edit(start, end, new),), safe=True, description=f"link to {target.url}")
                yield d


def _target(model: Any, page: Any, path: str) -> Any:
    if path.startswith("/"):
        cands = [os.path.join(d, path.lstrip("/")) for d, _ in model.content_dirs]
    else:
        cands = [os.path.normpath(os.path.join(os.path.dirname(page.abspath), path))]
    for cand in cands:
        hit = model.by_abspath.get(os.path.abspath(cand))
        if hit is not None:
            return hit
    return None
