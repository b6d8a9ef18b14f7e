"""BT213: an alias with characters Hugo's path sanitising would drop (``? # , ( ) ! :`` ...)."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.aliases import alias_span, alias_values


class AliasNotSanitized(Rule):
    """Alias with characters that never appear in the site's URLs.

    What it does
        Runs each Hugo alias through Hugo's own path sanitising (``urls.URLize``: letters
        of any script, digits, ``. / _ # + ~ - @`` and ``%XX`` kept, spaces turned into
        ``-``, everything else dropped) and reports an alias the sanitising changes.
        A ``?`` or ``#`` is an error; other characters (spaces, ``, ( ) ! :``) a warning.
        Upper case alone is not reported: an alias may keep an old URL's case on purpose.

    Why it matters
        Hugo writes an alias exactly as given, while it sanitises every page URL. An alias
        with ``(`` or a space was copied from a title, not from a URL the page ever had,
        so the old URL it should catch still 404s. A ``?`` or ``#`` can never be reached:
        the browser sends what precedes it as the path.

    Example
        ::

            aliases:
              - "/posts/MLCT #5 開催レポート!/"

    Use instead
        ::

            aliases:
              - "/posts/mlct-5-開催レポート/"

    Fix safety
        Unsafe: the sanitised path is what Hugo would have made of the same text, which
        is likely but not certainly the URL the page used to have.
    """

    code = "BT213"
    name = "alias-not-sanitized"
    summary = "Alias with characters Hugo's path sanitising drops (? # spaces , ( ) ! :)"
    severity = "warning"
    fixable = "unsafe"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or not any(str(k).lower() == "aliases" for k in doc.meta) \
                or not site.is_content(doc.abspath):
            return
        from blogtools.generators.hugo import make_path

        lower = not bool(site.setting("disablePathToLower", False))
        values = alias_values(doc, "aliases")
        present = {v.strip() for _, v in values if isinstance(v, str)}
        for path, value in values:
            if not isinstance(value, str) or "://" in value or not value.strip():
                continue
            alias = value.strip()
            clean = make_path(alias, lower=False)
            if clean == alias and "#" not in alias:
                continue
            a, b, exact = alias_span(doc, path)
            cut = next((c for c in alias if c in "?#"), "")
            fixed = make_path(alias.replace("#", " ").replace("?", " "), lower=lower)
            if alias.endswith("/") and not fixed.endswith("/"):
                fixed += "/"
            fix = Fix((Edit(a, b, fixed),), safe=False, description=f"use {fixed}") \
                if exact and fixed and fixed not in present else None
            advice = f"the sanitised path is {fixed!r}" + (", which the list already has: remove this one"
                                                            if fixed in present else "")
            dropped = "".join(sorted({c for c in alias if c not in clean or c in "?#"} - {"/"}))
            if cut:
                yield self.diagnostic(doc, a, b, f"alias {alias!r} contains {cut!r}: browsers cut the URL there, so "
                                      f"the redirect can never be reached; {advice}", fix,
                                      severity="error")
            else:
                yield self.diagnostic(doc, a, b, f"alias {alias!r} has characters Hugo drops from page URLs "
                                      f"({' '.join(repr(c) for c in dropped) or 'spaces'}): no page of this site "
                                      f"ever had this URL; {advice}", fix)
