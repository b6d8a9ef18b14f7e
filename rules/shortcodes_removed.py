"""BT602: a shortcode Hugo removed (``gist``, ``tweet``, ``twitter`` since 0.156; ``speakerdeck`` since 0.42)."""

from __future__ import annotations

import os
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.embeds import HUGO_TEMPLATES
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.shortcodes import HUGO_VERSION, available, name_span, site_version
from blogtools.site import shortcode_args


class ShortcodeRemoved(Rule):
    """Shortcode that Hugo no longer ships, with no project template to replace it.

    What it does
        Reports ``{{< gist >}}``, ``{{< tweet >}}``, ``{{< twitter >}}`` and
        ``{{< twitter_simple >}}`` (removed in Hugo 0.156), ``{{< speakerdeck >}}`` (removed
        in 0.42) and ``{{< instagram_simple >}}``, when the site builds with a Hugo at or
        past the removal and has no template of that name in ``layouts/shortcodes/`` (or a
        theme). The version comes from ``shortcodes.hugo-version``, else from the site's
        own dependency on Hugo (``package.json``'s ``hugo-bin``/``hugo-extended``,
        ``requirements.txt`` or ``pyproject.toml``'s ``hugo``), ``module.hugoVersion``,
        ``netlify.toml``, GitHub workflows or ``.hugo-version``, else the Hugo installed
        where blogtools runs, else the latest Hugo.

    Why it matters
        Hugo stops the build with ``template for shortcode "gist" not found``: an upgrade
        of Hugo breaks a post nobody touched in years.

    Example
        ::

            {{< tweet user="kmorioka_ml" id="1493012345678901234" >}}

    Use instead
        ::

            {{< x user="kmorioka_ml" id="1493012345678901234" >}}

        For ``gist`` and ``speakerdeck``: add a template to ``layouts/shortcodes/``.

    Fix safety
        ``tweet``/``twitter`` with both ``user`` and ``id`` become ``x`` (built in since
        0.141), which embeds the same post: safe. ``gist`` and ``speakerdeck`` have no
        built-in successor: the fix writes a small template of that name into
        ``layouts/shortcodes/`` (the one ``blogtools migrate`` writes: the gist's script,
        the deck's player), so every call renders again without touching a post: safe.
        The post text itself is not changed. The others: no fix.

    Options
        ``shortcodes.hugo-version``.
    """

    code = "BT602"
    name = "shortcode-removed"
    summary = "Shortcode removed from Hugo (gist, tweet, twitter since 0.156; speakerdeck since 0.42)"
    severity = "error"
    fixable = "sometimes"
    options = (HUGO_VERSION,)

    @staticmethod
    def _template_fix(site: Any, name: str) -> Fix | None:
        """Write the shortcode's template into the site's layouts: every call keeps working."""
        layouts = os.path.join(os.path.abspath(site.root), str(site.setting("layoutDir") or "layouts"))
        path = os.path.join(layouts, "shortcodes", f"{name}.html")
        if os.path.lexists(path) or os.path.lexists(os.path.join(layouts, "_shortcodes", f"{name}.html")):
            return None
        return Fix((), safe=True, description=f"write layouts/shortcodes/{name}.html",
                   creates=((path, HUGO_TEMPLATES[name]),))

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or "{{" not in doc.text \
                or not any(True for _ in doc.nodes("shortcode")) or not site.is_content(doc.abspath):
            return
        from blogtools.generators.hugo import REMOVED

        version = site_version(self, site)
        names = available(self, site)
        for node in doc.nodes("shortcode"):
            name = node.text
            if not name or node.level or name not in REMOVED or name in names:
                continue
            gone, instead = REMOVED[name]
            if version < gone:
                continue
            a, b = name_span(doc, node.start, node.end, name)
            fix = None
            if name in ("tweet", "twitter", "twitter_simple") and "x" in names:
                args = {k: v for k, v, _, _ in shortcode_args(node.url) if k}
                if args.get("user") and args.get("id"):
                    new = '{{< x user="%s" id="%s" >}}' % (args["user"], args["id"])
                    fix = Fix((Edit(node.start, node.end, new),), safe=True, description="use the x shortcode")
            elif name in HUGO_TEMPLATES:
                fix = self._template_fix(site, name)
            yield self.diagnostic(doc, a, b, f"{{{{< {name} >}}}} was removed in Hugo {gone[0]}.{gone[1]} and the "
                                  f"site has no layouts/shortcodes/{name}.html: the build fails; use {instead}", fix)
