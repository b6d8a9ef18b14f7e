"""BT211: the same alias on two pages."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport.aliases import alias_pos
from blogtools.site import MODEL_FACTS


class AliasDuplicate(Rule):
    """The same alias on two pages.

    What it does
        Indexes every alias of every page (``aliases`` in Hugo, ``redirect_from`` in
        Jekyll) by the URL the generator writes it at, and reports each alias that another
        page already claims. A page listing its own alias twice (``%3C3`` and ``<3``, one
        URL) writes the same redirect to itself: nothing to report.

    Why it matters
        Only one redirect page can live at a URL: the generator writes one and silently
        drops the other, so one of the old URLs sends readers to the wrong post. Medium
        imports copied between bundles are the usual source.

    Example
        ::

            # posts/2021-01-10/index.md
            aliases: ["/2021/01/k8s-batch/"]
            # posts/k8s-batch-v2/index.md
            aliases: ["/2021/01/k8s-batch/"]

    Use instead
        Keep the alias on the page the old URL really belonged to; remove it from the
        other.

    Fix safety
        No fix: which page owns the old URL is a decision for the author.
    """

    code = "BT211"
    name = "alias-duplicate"
    summary = "The same alias on two pages"
    severity = "error"
    fixable = None
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        for key, owners in model.by_alias.items():
            if len(owners) < 2:
                continue
            ordered = sorted(owners, key=lambda pa: (pa[0].path, pa[1].index))
            first_page, first = ordered[0]
            for page, alias in ordered[1:]:
                if page is first_page:
                    continue  # the page lists it again (in another encoding): the same redirect, to itself
                pos, offsets = alias_pos(page, alias)
                yield self.at(page.path, pos, f"alias {alias.raw!r} is claimed twice: {model.name(first_page)} "
                              f"already has it; only one redirect page can live at {alias.url!r}", offsets=offsets)
