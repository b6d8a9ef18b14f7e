"""BT603: a shortcode with no template in ``layouts/``, the theme or Hugo's built-ins."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport.shortcodes import HUGO_VERSION, available, name_span


class ShortcodeUnknown(Rule):
    """Shortcode whose template does not exist.

    What it does
        Looks each shortcode name up in the project's ``layouts/shortcodes/`` (and
        ``layouts/_shortcodes/``), the themes' layouts and Hugo's built-ins for the
        site's Hugo version, and reports the ones found nowhere, with the closest existing
        name. Shortcodes Hugo removed are BT602's. When a theme or module the config
        names is not on disk (a git submodule not checked out), nothing is reported: its
        templates cannot be read, and lint says so once instead.

    Why it matters
        Hugo stops the build (``template for shortcode "speakerdek" not found``). A post
        copied from another blog brings that blog's shortcodes along.

    Example
        ::

            {{< speakerdek id="5d2e8b1a7c3f4e9a8b6d0c2f4a1e3b5d" >}}

    Use instead
        ::

            {{< speakerdeck id="5d2e8b1a7c3f4e9a8b6d0c2f4a1e3b5d" >}}

    Fix safety
        No fix: the closest name is only a hint; a missing template may need to be
        written instead.

    Options
        ``shortcodes.hugo-version``.
    """

    code = "BT603"
    name = "shortcode-unknown"
    summary = "Shortcode with no template in layouts/, the theme or Hugo's built-ins"
    severity = "error"
    fixable = None
    options = (HUGO_VERSION,)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or "{{" not in doc.text \
                or not any(True for _ in doc.nodes("shortcode")) or not site.is_content(doc.abspath):
            return
        from blogtools.generators.hugo import REMOVED

        if site.profile.missing_templates():
            return  # the theme holding the templates is not on disk: nothing can be known (one notice)
        names = available(self, site)
        for node in doc.nodes("shortcode"):
            name = node.text
            if not name or node.level or name in names or name in REMOVED:
                continue
            a, b = name_span(doc, node.start, node.end, name)
            import difflib
            close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else f": add layouts/shortcodes/{name}.html"
            yield self.diagnostic(doc, a, b, f"no template for shortcode {name!r} in layouts/shortcodes/, the theme "
                                  f"or Hugo's built-ins: the build fails{hint}")
