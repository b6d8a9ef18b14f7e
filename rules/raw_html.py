"""BT601: raw HTML that Hugo replaces with ``<!-- raw HTML omitted -->``."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools import embeds
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule

_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")
_BLOCKY = {"iframe", "script", "video", "audio", "object", "embed", "table", "details", "div", "figure", "form",
           "style", "svg", "canvas", "picture", "img", "blockquote", "dl", "ul", "ol", "pre"}


class RawHtmlOmitted(Rule):
    """Raw HTML in Markdown that Hugo drops because ``markup.goldmark.renderer.unsafe`` is off.

    What it does
        In a Hugo site whose config leaves ``markup.goldmark.renderer.unsafe`` at its
        default ``false``, reports every raw HTML block and inline tag: Hugo writes
        ``<!-- raw HTML omitted -->`` in its place. A block (an ``<iframe>``, a
        ``<script>``, a ``<table>``, a ``<div>``) vanishes with everything inside it; an
        inline tag (``<span class="marker">``, ``<br>``) is dropped while the text around
        it stays. HTML comments are not reported (they are invisible either way), nor are
        embeds the provider table knows (BT610 offers their shortcode).

    Why it matters
        The post looks right in the editor and on GitHub, and the built page silently
        lacks the video, the table or the line breaks. Posts imported from Medium,
        WordPress or Hatena are full of such HTML.

    Example
        ::

            そもそもこの勉強会はどんな場なのか？<br>
            公式の説明を自分なりにまとめると...

    Use instead
        ::

            そもそもこの勉強会はどんな場なのか？\\
            公式の説明を自分なりにまとめると...

        For anything else: a shortcode, plain Markdown, or ``unsafe = true`` under
        ``[markup.goldmark.renderer]`` if the site trusts its authors' HTML.

    Fix safety
        A ``<br>`` at the end of a line inside a paragraph becomes Markdown's hard line
        break ``\\``, which renders the same ``<br>``: safe. Other HTML: no fix.
    """

    code = "BT601"
    name = "raw-html-omitted"
    summary = "Raw HTML that Hugo replaces with <!-- raw HTML omitted --> (unsafe = false)"
    severity = "error"
    fixable = "sometimes"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or not site.is_content(doc.abspath) \
                or site.profile.raw_html_rendered:
            return
        skip = [(e.start, e.end) for e in embeds.in_document(doc)]
        text = doc.text
        for node in doc.nodes("html_block", "html_inline"):
            if any(a <= node.start < b for a, b in skip):
                continue
            raw = text[node.start : node.end]
            if raw.lstrip().startswith("<!--") and raw.rstrip().endswith("-->"):
                continue
            m = _TAG.search(raw)
            tag = m.group(2).lower() if m else "html"
            closing = bool(m and m.group(1))
            a = node.start + (m.start() if m else 0)
            b = node.start + (raw.find(">", m.start()) + 1 if m and raw.find(">", m.start()) >= 0 else len(raw))
            if node.kind == "html_block":
                if closing:
                    continue  # the rest of a block a blank line split: reported with its opening tag
                what = f"<{tag}>" if tag != "html" else "raw HTML"
                yield self.diagnostic(doc, a, b, f"raw HTML block {what}: Hugo renders <!-- raw HTML omitted --> "
                                      "instead, and everything in the block is lost "
                                      "(markup.goldmark.renderer.unsafe is false)")
                continue
            if _BR.fullmatch(raw.strip()):
                yield self._br(doc, node)
                continue
            if closing:
                continue  # reported with its opening tag
            severity = "error" if tag in _BLOCKY else "warning"
            effect = "it is not shown" if tag in _BLOCKY else "the tag is dropped, the text around it stays"
            yield self.diagnostic(doc, a, b, f"inline raw HTML <{tag}>: Hugo writes <!-- raw HTML omitted --> "
                                  f"instead; {effect} (markup.goldmark.renderer.unsafe is false)", severity=severity)

    def _br(self, doc: Document, node: Any) -> Diagnostic:
        text = doc.text
        end = node.end
        fix = None
        after = end
        while after < len(text) and text[after] in " \t":
            after += 1
        nl = text.startswith("\r\n", after) and 2 or text.startswith("\n", after) and 1 or 0
        if nl:
            nxt = after + nl
            line_end = text.find("\n", nxt)
            next_line = text[nxt : line_end if line_end >= 0 else len(text)]
            body = next_line.lstrip(" >\t")
            if body.strip() and not re.match(r"([-*+]|\d+[.)])\s|#{1,6}\s|```|~~~|\|", body):
                fix = Fix((Edit(node.start, after, "\\"),), safe=True, description="use a Markdown hard line break")
        return self.diagnostic(doc, node.start, node.end, "<br> is raw HTML: Hugo drops it and the line break with "
                               "it (markup.goldmark.renderer.unsafe is false)", fix, severity="warning")
