"""BT604: a paired shortcode left open (or a closing one with no opening)."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport.shortcodes import name_span


class ShortcodeUnclosed(Rule):
    """Paired shortcode without its closing tag, or a closing tag without an opening one.

    What it does
        A shortcode whose template reads ``.Inner`` (the built-in ``highlight``,
        ``details``, ``comment``; any project or theme template using ``.Inner``) takes
        the content up to ``{{< /name >}}``. The rule reports an opening tag that is never
        closed (and not self-closed with ``/>}}``), and a closing tag with nothing open.

    Why it matters
        Hugo stops the build (``shortcode "details" must be closed or self-closed``), or
        an unmatched closing tag swallows the wrong part of the post.

    Example
        ::

            {{< details summary="設定ファイル" >}}
            ...

    Use instead
        ::

            {{< details summary="設定ファイル" >}}
            ...
            {{< /details >}}

    Fix safety
        No fix: where the content should end is for the author to say.
    """

    code = "BT604"
    name = "shortcode-unclosed"
    summary = "Paired shortcode left open, or closed without being opened"
    severity = "error"
    fixable = None

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or "{{" not in doc.text \
                or not any(True for _ in doc.nodes("shortcode")) or not site.is_content(doc.abspath):
            return
        paired = site.profile.paired_shortcodes()
        known = site.profile.shortcodes()
        stack: list[Any] = []
        for node in doc.nodes("shortcode"):
            name = node.text
            if not name:
                continue
            if not node.level:
                if not node.url.rstrip().endswith("/"):  # {{< name />}} is self-closed
                    stack.append(node)
                continue
            for k in range(len(stack) - 1, -1, -1):
                if stack[k].text == name:
                    del stack[k]
                    break
            else:
                a, b = name_span(doc, node.start, node.end, name)
                yield self.diagnostic(doc, a, b, f"closing {{{{< /{name} >}}}} without an opening "
                                      f"{{{{< {name} >}}}} before it")
                continue
            if name in known and name not in paired:
                a, b = name_span(doc, node.start, node.end, name)
                yield self.diagnostic(doc, a, b, f"{{{{< /{name} >}}}}: the {name!r} template does not read .Inner, "
                                      "yet a closing tag was given; Hugo stops the build")
        for node in stack:
            if node.text not in paired:
                continue
            a, b = name_span(doc, node.start, node.end, node.text)
            name = node.text
            yield self.diagnostic(doc, a, b, f"{{{{< {name} >}}}} is never closed: its template reads .Inner, "
                                  f"so Hugo needs {{{{< /{name} >}}}} (or a self-closing {{{{< {name} />}}}})")
