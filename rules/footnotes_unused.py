"""BT502: a footnote definition that nothing refers to."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport.footnotes import definitions, renderer


class FootnoteUnused(Rule):
    """A footnote definition that no ``[^label]`` reference uses.

    What it does
        Finds ``[^label]: ...`` definitions whose label is never referenced in the file
        (labels compared exactly, as Hugo does; references inside code do not count).

    Why it matters
        Hugo leaves unreferenced footnotes out of the page: whatever the definition says
        is silently lost. Usually the reference was deleted while editing, or its label
        was changed on one side only.

    Example
        ::

            論文を書いたことがあります。

            [^paper]: [OpML'20 で発表した論文](/posts/2020-09-06/)

    Use instead
        ::

            論文を書いた[^paper]ことがあります。

            [^paper]: [OpML'20 で発表した論文](/posts/2020-09-06/)

    Fix safety
        No fix: whether to add the reference or delete the note is the author's call.
    """

    code = "BT502"
    name = "footnote-unused"
    summary = "A footnote definition is never referenced"
    severity = "warning"
    fixable = None
    tags = ("footnotes",)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        defs = definitions(doc)
        starts = {d.node_start for d in defs}
        used = {n.text for n in doc.nodes("footnote_ref") if n.start not in starts}
        seen: set[str] = set()
        for d in defs:
            if d.label in used or d.label in seen:
                continue
            seen.add(d.label)
            yield self.diagnostic(doc, d.start, d.end,
                                  f"footnote [^{d.label}] is never referenced: {renderer(site)} leaves it out of "
                                  "the page")
