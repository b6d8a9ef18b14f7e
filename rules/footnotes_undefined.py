"""BT501: a footnote reference with no definition."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.footnotes import definitions, renderer


class FootnoteUndefined(Rule):
    """A footnote reference ``[^label]`` whose label has no definition.

    What it does
        Finds ``[^label]`` references with no ``[^label]: ...`` definition in the same
        file. Labels must match exactly: Hugo (goldmark) compares them byte for byte, so
        ``[^Paper]`` does not find ``[^paper]:`` (the message names the definition that
        differs only by case). References inside code spans and code blocks are text,
        not references, and are never counted; nor is a label without a letter or digit
        (``[^>]``, ``[^/]``: a character class of a regular expression in prose, which
        kramdown does not even read as a footnote).

    Why it matters
        Hugo prints an undefined reference literally: the reader sees ``[^hitl]`` in the
        middle of a sentence, and the note the author meant to add is missing.

    Example
        ::

            先週の記事で予告した[^hitl]とおり、勉強会を開催しました。

            [^HITL]: [Human-in-the-Loop という考え方](/posts/2022-03-22/)

    Use instead
        ::

            先週の記事で予告した[^hitl]とおり、勉強会を開催しました。

            [^hitl]: [Human-in-the-Loop という考え方](/posts/2022-03-22/)

    Fix safety
        Unsafe, and only when exactly one definition differs from the reference by case:
        the reference is rewritten to that label, which makes a footnote appear on the
        page. Otherwise there is no fix: write the missing definition.
    """

    code = "BT501"
    name = "footnote-undefined"
    summary = "A footnote reference has no definition"
    severity = "warning"
    fixable = "sometimes"
    tags = ("footnotes",)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        defs = definitions(doc)
        labels = {d.label for d in defs}
        def_starts = {d.node_start for d in defs}
        by_folded: dict[str, set[str]] | None = None  # (built once: not a pass over defs per reference)
        for ref in doc.nodes("footnote_ref"):
            if ref.text in labels or ref.start in def_starts or not any(c.isalnum() for c in ref.text):
                continue  # (a label of punctuation only, [^>]: a regex class in prose, no footnote)
            if by_folded is None:
                by_folded = {}
                for d in defs:
                    by_folded.setdefault(d.label.casefold(), set()).add(d.label)
            near = sorted(by_folded.get(ref.text.casefold(), ()))
            if len(near) == 1:
                fix = Fix((Edit(ref.text_start, ref.text_end, near[0]),), safe=False,
                          description=f"refer to [^{near[0]}]")
                yield self.diagnostic(doc, ref.text_start, ref.text_end,
                                      f"footnote [^{ref.text}] is not defined; the definition is [^{near[0]}] "
                                      f"and {renderer(site)} matches labels case-sensitively", fix)
            else:
                yield self.diagnostic(doc, ref.text_start, ref.text_end,
                                      f"footnote [^{ref.text}] is not defined: {renderer(site)} prints it as "
                                      "plain text")
