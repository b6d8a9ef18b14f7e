"""BT201: link text that starts or ends with whitespace or a line break."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools import kramdown_body
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule

_SPACE = " \t\r\n\u3000"


class LinkTextWhitespace(Rule):
    """Link text with leading or trailing whitespace or a line break.

    What it does
        Finds links whose visible text starts or ends with spaces, tabs, ideographic
        spaces (U+3000) or a line break, such as text copied from a page title with its
        newline: ``[メルカリ : TensorFlow Lite ...\\n](https://...)``.

    Why it matters
        The whitespace is rendered inside the ``<a>`` element: an underlined gap, or in
        Japanese text a visible space where none belongs. A link text that ends in a line
        break also hides the link's end from readers of the Markdown.

    Example
        ::

            - [メルカリ : TensorFlow Lite で気付きにくい便利機能
            ](https://example.com/tflite)
            - [ 資料ページ](https://example.com/slides)

    Use instead
        ::

            - [メルカリ : TensorFlow Lite で気付きにくい便利機能](https://example.com/tflite)
            - [資料ページ](https://example.com/slides)

    Fix safety
        Safe: the whitespace at the edges of the link text moves outside the link (one
        space, written only where the text around the link has none), so the words keep
        their spacing; the URL and the words are untouched. A link whose text is only
        whitespace is reported without a fix.
    """

    code = "BT201"
    name = "link-text-whitespace"
    summary = "Link text starts or ends with whitespace or a line break"
    severity = "warning"
    fixable = "safe"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        text = doc.text
        for node in kramdown_body.nodes(doc, "link"):  # (on Jekyll, as kramdown reads the body)
            a, b = node.text_start, node.text_end
            if a < 0 or b <= a:
                continue
            label = text[a:b]
            inner = label.strip(_SPACE)
            if label == inner:
                continue
            if not inner:
                yield self.diagnostic(doc, a, b, "link text is blank: readers see an empty link")
                continue
            lead = len(label) - len(label.lstrip(_SPACE))
            trail = len(label) - len(label.rstrip(_SPACE))
            what = []
            if lead:
                what.append("starts with whitespace")
            if trail:
                what.append("ends with a line break" if "\n" in label[len(label) - trail :] else "ends with whitespace")
            start, end = (a, a + lead) if lead else (b - trail, b)
            # The blank moves outside the link rather than going: "[read\n](u)more" must not
            # become "readmore". A space is written only where the text around has none.
            before = node.start > 0 and text[node.start - 1] not in _SPACE
            after = node.end < len(text) and text[node.end] not in _SPACE
            edits = [Edit(node.start, node.start, " ")] if lead and before else []
            edits += [Edit(a, a + lead, "")] if lead else []
            edits += [Edit(b - trail, b, "")] if trail else []
            edits += [Edit(node.end, node.end, " ")] if trail and after else []
            fix = Fix(tuple(edits), safe=True, description="move the blank out of the link text")
            shown = inner if len(inner) <= 40 else inner[:39] + "…"
            yield self.diagnostic(doc, start, end, f"link text {' and '.join(what)}: {shown!r}", fix)
