"""BT109: a title or description that is blank or padded with whitespace."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.frontmatter import loaded, render, report_span, value_span

TEXT_KEYS = ("title", "description", "summary", "linkTitle", "subtitle", "excerpt")


class FrontMatterTextField(Rule):
    """A ``title`` or ``description`` that is blank or starts or ends with whitespace.

    What it does
        Checks the text keys ``title``, ``description``, ``summary``, ``linkTitle``,
        ``subtitle`` and ``excerpt``: a blank ``title`` (``""`` or only spaces) is an error;
        a value with spaces, tabs, ideographic spaces (U+3000) or line breaks at either end
        is reported with a fix; a ``description`` of only spaces is trimmed to ``""`` (then
        BT110 reports the empty leftover). Plain YAML scalars cannot carry such whitespace;
        these are quoted values, usually from an importer or a copy and paste.

    Why it matters
        The padding ends up in ``<title>``, ``og:title`` and the meta description, and in
        Japanese text a trailing U+3000 is a visible gap in every list of posts. A blank
        title shows the file name instead.

    Example
        ::

            title: " Machine Learning Casual Talks #5 を開催しました　"
            description: "第18回の MLOps 勉強会の感想\\n"

    Use instead
        ::

            title: "Machine Learning Casual Talks #5 を開催しました"
            description: "第18回の MLOps 勉強会の感想"

    Fix safety
        Safe: only whitespace at the ends is removed, the quoting style is kept. A blank
        title is reported without a fix.
    """

    code = "BT109"
    name = "front-matter-text-field"
    summary = "A title or description is blank or padded with whitespace"
    severity = "warning"
    fixable = "sometimes"
    default_enabled = False  # style: opt-in (see "Default rules" in the README)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        for key in TEXT_KEYS:
            value = fm.data.get(key)
            if not isinstance(value, str):
                continue
            trimmed = value.strip()
            if key == "title" and not trimmed:
                yield self.diagnostic(doc, *report_span(doc, fm, (key,)), "'title' is blank: the post shows its "
                                      "file name in lists and feeds", severity="error")
                continue
            if trimmed == value:
                continue
            span = value_span(doc, fm, (key,))
            fix = None
            if span is not None:
                content = render(fm.format, trimmed, doc.text[span[0] : span[1]])
                fix = Fix((Edit(span[0], span[1], content),), safe=True, description=f"trim the {key}")
            what = "is only whitespace" if not trimmed else "starts or ends with whitespace"
            yield self.diagnostic(doc, *report_span(doc, fm, (key,)), f"{key!r} {what}: {trimmed[:40]!r}", fix)
