"""BT203: a link to an alias (a redirect page) instead of the page's own URL."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.site import MODEL_FACTS, markdown_url


class LinkToAlias(Rule):
    """Link to one of a page's aliases instead of its URL.

    What it does
        Finds internal links whose URL is an alias of another page (``aliases`` in Hugo,
        ``redirect_from`` in Jekyll): a redirect page the generator writes for an old URL.

    Why it matters
        An alias page is a meta-refresh redirect: the reader waits for a second page load,
        search engines see a redirect chain, and the link breaks the day the alias is
        cleaned up. Links inside the site should name the page itself.

    Example
        ::

            [CronJob の記事](/posts/k8s-cronjob-batch-inference/)

    Use instead
        ::

            [CronJob の記事](/posts/2021-01-10/)

    Fix safety
        Safe: the alias redirects to exactly that page, so the new link reaches the same
        page without the detour; a ``#fragment`` is kept. A bare URL (an autolink) gets no
        fix: its URL is the text the reader sees.
    """

    code = "BT203"
    name = "link-to-alias"
    summary = "Link to an alias (a redirect page) instead of the page's own URL"
    severity = "warning"
    fixable = "safe"
    default_enabled = False  # style: opt-in (see "Default rules" in the README)
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        for page, link, _ref, target in model.each_link(self.context.requested):
            if target is None or target.kind != "alias" or target.alias is None:
                continue
            url = link.get("url") or ""
            start, end = link.get("url_span") or (-1, -1)
            d = self.at(page.path, tuple(link["url_pos"]),
                        f"link to {url!r}, an alias of {model.href(target.url)!r} (a redirect page); link to the page itself",
                        offsets=(max(start, 0), max(end, 0)))
            if start >= 0 and link.get("kind") != "autolink":  # a bare URL's URL is its visible text
                new = markdown_url(model.href(target.url)) + (("#" + url.split("#", 1)[1]) if "#" in url else "")
                d.fix = Fix((Edit(start, end, new),), safe=True, description=f"link to {model.href(target.url)}")
            yield d
