"""BT204: a ``#fragment`` that names no heading or anchor of the target page."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.site import MODEL_FACTS
from blogtools.urls import quote


class LinkFragmentMissing(Rule):
    """Link to a ``#fragment`` the target page does not have.

    What it does
        Computes each page's heading ids with the generator's own algorithm (Hugo's
        ``autoHeadingIDType``: ``github`` by default, which keeps Japanese and other
        non-ASCII letters, drops punctuation and numbers repeats ``-1``, ``-2``; custom
        ``{#id}`` attributes; kramdown's for Jekyll), adds footnote anchors and ``id``s in
        raw HTML the generator keeps, and reports a link whose fragment matches none of
        them, on the same page or on another page of the site.

    Why it matters
        A heading was renamed, or the fragment was typed by hand with different
        punctuation or case: the link still opens the page but at the top, and the reader
        has to hunt for the section.

    Example
        ::

            [運営の手間](#運営の手間を数える)

            ## 運営の手間を数えてみる

    Use instead
        ::

            [運営の手間](#運営の手間を数えてみる)

    Fix safety
        Unsafe: the closest anchor (same text but for case, or a similar one) is a guess.
        No fix when nothing is close. Pages whose content comes partly from ``{{% %}}``
        shortcodes or unknown shortcodes are skipped (their anchors cannot be known).
    """

    code = "BT204"
    name = "link-fragment-missing"
    summary = "Link to a #fragment that is no heading or anchor of the target page"
    severity = "warning"
    fixable = "sometimes"
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        for page, link, ref, target in model.each_link(self.context.requested):
            url = link.get("url") or ""
            if "#" not in url or ref is None or not ref.fragment or _RUNTIME.match(ref.fragment):
                continue
            if ref.path:
                if target is None or target.page is None or target.kind not in ("page", "alias"):
                    continue
                dest = target.page
            else:
                dest = page
            anchors = model.anchors(dest)
            if anchors is None or ref.fragment in anchors or model.anchors_uncertain(dest):
                continue
            if ref.fragment.startswith(("fn:", "fnref:")) and any(a.startswith("fn:") for a in anchors):
                continue
            yield self._report(page.facts or {}, link, url, ref.fragment, anchors, dest.url if dest is not page else "")

    def _report(self, f: dict[str, Any], link: dict[str, Any], url: str, fragment: str, anchors: set[str],
                other: str) -> Diagnostic:
        url = link.get("written") or url  # (as in the source: a profile may have evaluated Liquid in it)
        raw = url.split("#", 1)[1]
        line, col, end_line, end_col = link["url_pos"]
        at = url.index("#")
        pos = (line, col + at, line, col + len(url)) if line == end_line else tuple(link["url_pos"])
        start, end = link.get("url_span") or (-1, -1)
        where = f"on {other!r}" if other else "on this page"
        best = _closest(fragment, anchors)
        if best is None:
            return self.at(f["path"], pos, f"#{fragment} is no heading or anchor {where}",
                           offsets=(max(start, 0) + at, max(end, 0)))
        d = self.at(f["path"], pos, f"#{fragment} is no heading or anchor {where}; did you mean #{best}?",
                    offsets=(max(start, 0) + at, max(end, 0)))
        if start >= 0:
            new = quote(best, safe="") if "%" in raw else best
            d.fix = Fix((Edit(start + at + 1, end, new),), safe=False, description=f"link to #{best}")
        return d


# Anchors a comment system writes into the page at run time (Disqus, WordPress, utterances):
# no build has them, so nothing can be said of a link to one.
_RUNTIME = re.compile(r"^(?:comment-?\d+|comments?|disqus_thread|respond|utterances)$", re.I)


def _closest(fragment: str, anchors: set[str]) -> str | None:
    low = fragment.lower()
    same = sorted(a for a in anchors if a.lower() == low)
    if same:
        return same[0]
    cands = [a for a in anchors if not a.startswith(("fn:", "fnref:")) and a != "TableOfContents"]
    import difflib
    hits = difflib.get_close_matches(low, cands, n=1, cutoff=0.7)
    return hits[0] if hits else None
