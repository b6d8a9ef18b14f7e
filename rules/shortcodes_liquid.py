"""BT605: Liquid tags (Jekyll's templates) in a Hugo site, where they print as text."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule

_OUTPUT = re.compile(r"^\s*(?:site|page|include|layout|content|paginator|jekyll|post)\b"
                     r"|^\s*[\"'][^\"']*[\"']\s*\|\s*\w+")
ADVICE = {
    "highlight": "use a fenced code block (```lang)",
    "endhighlight": "use a fenced code block (```lang)",
    "raw": "Hugo has no Liquid to escape: remove it",
    "endraw": "Hugo has no Liquid to escape: remove it",
    "post_url": "link to the page's URL, or {{< ref \"file.md\" >}}",
    "link": "link to the page's URL, or {{< ref \"file.md\" >}}",
    "include": "use a shortcode",
    "include_relative": "use a shortcode",
    "output": "write the value itself, or use a shortcode",
}


class LiquidInHugo(Rule):
    """Liquid tag (``{% ... %}``, ``{{ site.baseurl }}``) in a Hugo site.

    What it does
        Reports Jekyll's Liquid tags and Liquid output in the posts of a Hugo site:
        ``{% highlight %}``, ``{% raw %}``, ``{% post_url %}``, ``{% include %}``,
        ``{{ site.baseurl }}``, ``{{ "/p" | relative_url }}``. Go-template text such as
        ``{{ .Values.image.tag }}`` in prose or code is left alone, and so is anything in
        a code span or code block, or in a ``<script>`` or ``<style>`` element (code the
        browser runs, never shown: a Jekyll page rendered for the migration keeps the
        ``{{ site.baseurl }}`` its JavaScript held as a string, as Jekyll wrote it).

    Why it matters
        Hugo does not run Liquid: the tags appear as literal text in the post, the code
        block they meant never forms, and links built with ``post_url`` go nowhere.
        Posts moved from Jekyll keep them.

    Example
        ::

            {% highlight python %}
            print("hello")
            {% endhighlight %}

    Use instead
        ::

            ```python
            print("hello")
            ```

    Fix safety
        ``{% highlight lang %}`` / ``{% endhighlight %}`` alone on their lines become a
        code fence, which renders the same highlighted block: safe (``linenos`` is
        dropped). The two are one fix, offered only when both are found: a fence opened
        alone would turn the rest of the post into code. ``{% raw %}`` / ``{% endraw %}``
        alone on a line are removed (they only guard Liquid, which Hugo does not run):
        safe. Other tags: no fix.
    """

    code = "BT605"
    name = "liquid-in-hugo"
    summary = "Liquid tag ({% ... %}, {{ site.baseurl }}) in a Hugo site: printed as text"
    severity = "error"
    fixable = "sometimes"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or not any(True for _ in doc.nodes("liquid")) \
                or not site.is_content(doc.abspath):
            return
        code = [(n.start, n.end) for n in doc.nodes("code_span", "code_block")]
        text = doc.text
        code += _script_spans(text)
        found = []
        for node in doc.nodes("liquid"):
            if any(a <= node.start < b for a, b in code):
                continue
            tag = node.text
            if tag == "output" and not _OUTPUT.search(node.url):
                continue
            found.append((node, tag, self._fix(doc, node, tag)))
        fixes = _pair_fences(found)
        for (node, tag, _), fix in zip(found, fixes):
            shown = text[node.start : node.end]
            advice = ADVICE.get(tag, "Hugo has no Liquid; use a shortcode")
            yield self.diagnostic(doc, node.start, node.end, f"Liquid {shown[:40]!r} in a Hugo site is printed as "
                                  f"text: {advice}", fix)

    def _fix(self, doc: Document, node: Any, tag: str) -> Fix | None:
        text = doc.text
        line_start = text.rfind("\n", 0, node.start) + 1
        line_end = text.find("\n", node.end)
        line_end = len(text) if line_end < 0 else line_end
        if text[line_start : node.start].strip() or text[node.end : line_end].strip():
            return None
        if tag == "highlight":
            lang = (node.url.split() or [""])[0]
            return Fix((Edit(node.start, node.end, "```" + lang),), safe=True, description="use a code fence")
        if tag == "endhighlight":
            return Fix((Edit(node.start, node.end, "```"),), safe=True, description="close the code fence")
        if tag in ("raw", "endraw"):
            end = line_end + 1 if line_end < len(text) else line_end
            return Fix((Edit(line_start, end, ""),), safe=True, description=f"remove {{% {tag} %}}", markup=True)
        return None


_SCRIPT_TAG = re.compile(r"<(/?)(script|style)\b", re.IGNORECASE)


def _script_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``<script>``/``<style>`` elements, each opener paired with the next
    closer of its name (one pass; an element left open runs to the end)."""
    if "<" not in text:
        return []
    spans = []
    opened: tuple[int, str] | None = None
    for m in _SCRIPT_TAG.finditer(text):
        name = m.group(2).lower()
        if opened is None and not m.group(1):
            opened = (m.start(), name)
        elif opened is not None and m.group(1) and name == opened[1]:
            spans.append((opened[0], m.end()))
            opened = None
    if opened is not None:
        spans.append((opened[0], len(text)))
    return spans


def _pair_fences(found: list[tuple[Any, str, Fix | None]]) -> list[Fix | None]:
    """The fix of each tag, with ``highlight`` and its ``endhighlight`` as one fix: an opening
    fence written alone would turn the rest of the post into code. A tag without its partner
    gets no fix. Both diagnostics carry the same fix; the applier applies it once."""
    fixes = [fix for _, _, fix in found]
    opened: int | None = None
    for i, (_, tag, fix) in enumerate(found):
        if tag == "highlight":
            if opened is not None:
                fixes[opened] = None
            opened = i
        elif tag == "endhighlight":
            if opened is not None and fixes[opened] is not None and fix is not None:
                pair = fixes[opened]
                both = Fix(pair.edits + fix.edits, safe=True, markup=True,
                           description=f"{pair.description} and close it")
                fixes[opened] = fixes[i] = both
            else:
                fixes[i] = None
            opened = None
    if opened is not None:
        fixes[opened] = None
    return fixes
