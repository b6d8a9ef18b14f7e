"""BT110: empty front matter values left behind by importers (``description: ""``, ``images: []``)."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Fix, Option, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import (
    REQUIRED, check_str_list, find_key, key_span, loaded, remove_entry, report_span,
)

ALLOW_EMPTY = Option("front-matter.allow-empty", [], "keys that may stay empty (e.g. a theme that tests "
                     "isset)", type=list, validate=check_str_list)


def _empty(value: Any) -> str | None:
    if value is None:
        return "null"
    if value == "" or value == [] or value == {}:
        return {str: '""', list: "[]", dict: "{}"}[type(value)]
    return None


class FrontMatterEmptyValue(Rule):
    """A front matter key with an empty value: a leftover from an importer.

    What it does
        Reports top-level keys whose value is ``""``, ``[]``, ``{}`` or null, the way the
        Medium importer leaves ``description: ""`` and ``subtitle: ""`` and archetypes leave
        ``images: []``. Keys in ``front-matter.allow-empty`` are left alone; required keys
        (``front-matter.required``) and a blank ``title`` are reported by BT104 and BT109.

    Why it matters
        An empty key is noise that hides the keys that matter, and some themes test whether
        a key is set rather than whether it has a value (``isset``), so an empty
        ``description`` can print an empty ``<meta name="description">`` instead of the
        summary.

    Example
        ::

            title: "Machine Learning Casual Talks #5 を開催しました"
            description: ""

            subtitle: "運営側として参加したお話"
            images: []

    Use instead
        ::

            title: "Machine Learning Casual Talks #5 を開催しました"

            subtitle: "運営側として参加したお話"

    Fix safety
        Safe: the key's line is removed (and a blank line it leaves doubled); templates read
        an absent key and an empty one the same way with ``with`` and ``if``. List
        ``front-matter.allow-empty`` keys a theme tests with ``isset``.

    Options
        ``front-matter.allow-empty``: keys that may be empty (default none).
    """

    code = "BT110"
    name = "front-matter-empty-value"
    summary = "A front matter key is empty (a leftover such as description: \"\")"
    severity = "warning"
    fixable = "safe"
    default_enabled = False  # style: opt-in (see "Default rules" in the README)
    options = (ALLOW_EMPTY, REQUIRED)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        if not any(v is None or v == "" or v == [] or v == {} for v in fm.data.values()):
            return
        skip = memo(self, site, "skip", self._skip)
        for key, value in fm.data.items():
            shown = _empty(value)
            if shown is None or not isinstance(key, str) or key.lower() in skip:
                continue
            if find_key(fm.data, key) != key:
                continue
            edit = remove_entry(doc, fm, key)
            fix = Fix((edit,), safe=True, description=f"remove the empty {key!r}") if edit else None
            yield self.diagnostic(doc, *(key_span(doc, fm, (key,)) or report_span(doc, fm, (key,))),
                                  f"{key!r} is empty ({shown}): remove it or give it a value", fix)

    def _skip(self) -> set[str]:
        """Keys left to other rules or allowed empty: title (BT109), required keys (BT104)."""
        skip = {k.lower() for k in self.option("front-matter.allow-empty")} | {"title"}
        return skip | {k.lower() for k in self.option("front-matter.required") if "." not in k}
