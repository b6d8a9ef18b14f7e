"""BT503: two footnote definitions with the same label."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport.footnotes import definitions


class FootnoteDuplicate(Rule):
    """A footnote label defined more than once.

    What it does
        Reports every definition of a label after the first one (labels compared exactly,
        as Hugo does).

    Why it matters
        Hugo renders the first definition only; the later one disappears from the page,
        and a reader following the reference may get the wrong note. It usually comes
        from copying a footnote from another post.

    Example
        ::

            開催は 2 年ぶり[^1]、配信は初めて[^1]でした。

            [^1]: 前回は 2020 年 6 月。
            [^1]: 会場開催のときは録画だけでした。

    Use instead
        ::

            開催は 2 年ぶり[^1]、配信は初めて[^2]でした。

            [^1]: 前回は 2020 年 6 月。
            [^2]: 会場開催のときは録画だけでした。

    Fix safety
        No fix: which reference belongs to which note is for the author to decide.
    """

    code = "BT503"
    name = "footnote-duplicate"
    summary = "A footnote label is defined more than once"
    severity = "warning"
    fixable = None
    default_enabled = False  # measured precision under 95% on real blogs (benchmarks/ACCURACY.md)
    tags = ("footnotes",)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        first: dict[str, int] = {}
        for d in definitions(doc):
            if d.label not in first:
                first[d.label] = d.start
                continue
            line = doc.position(first[d.label])[0]
            yield self.diagnostic(doc, d.start, d.end,
                                  f"footnote [^{d.label}] is already defined on line {line}: "
                                  "Hugo shows only the first definition")
