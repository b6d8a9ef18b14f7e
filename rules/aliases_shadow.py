"""BT212: an alias equal to a page's URL (another page's, or its own)."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Rule
from blogtools.site import MODEL_FACTS, url_key
from blogtools.rulesupport.aliases import alias_pos


class AliasShadowsPage(Rule):
    """Alias at the URL of a page.

    What it does
        Reports an alias whose URL is the URL of a page of the site (a post, a section,
        a taxonomy page, the home page), including the page's own URL.

    Why it matters
        The redirect page and the real page are written to the same file: one of them
        is lost, and which one depends on the generator's build order. An alias equal to
        the page's own URL is a redirect loop waiting to happen.

    Example
        ::

            # posts/2022-03-22/index.md
            aliases: ["/posts/2022-02-22/"]   # the URL of another post

    Use instead
        Remove the alias, or move it to the page that really lived at that URL.

    Fix safety
        No fix: removing an alias can break an old URL that still gets traffic.
    """

    code = "BT212"
    name = "alias-shadows-page"
    summary = "Alias equal to the URL of a page (another page's or its own)"
    severity = "error"
    fixable = None
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        for page in model.pages:
            for alias in page.aliases:
                if not alias.url:
                    continue
                other = model.by_url.get(url_key(alias.url))
                if other is None:
                    continue
                pos, offsets = alias_pos(page, alias)
                if other is page:
                    msg = f"alias {alias.raw!r} is the page's own URL: the redirect would replace the page"
                else:
                    what = model.name(other)
                    msg = (f"alias {alias.raw!r} is the URL of {what}: the redirect page and that page "
                           f"are written to the same file, {alias.url!r}")
                yield self.at(page.path, pos, msg, offsets=offsets)
