"""BT108: taxonomy terms (tags, categories) that are padded, empty, duplicated, a string, or off-policy."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.fmedit import flow_list
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import (
    SCHEMA, check_str_map, key_span, loaded, plan_terms, quote_of, remove_item, render, replace_value,
    report_span, schema_name, taxonomies, value_span,
)

_CASES = ("any", "lower")
OPTIONS = tuple(
    opt for tax in ("tags", "categories") for opt in (
        Option(f"{tax}.case", "any", f"case of {tax}: any or lower", type=str, choices=_CASES),
        Option(f"{tax}.aliases", {}, f"{tax} to replace, e.g. \"Machine Learning\" = \"machinelearning\"",
               type=dict, validate=check_str_map),
    )
)


class FrontMatterTaxonomy(Rule):
    """Tags or categories that are padded, empty, duplicated, one string, or off-policy.

    What it does
        For each taxonomy key (``tags``, ``categories``; on Hugo those in the site's
        ``taxonomies``): a string where a list belongs (on Hugo; Jekyll splits
        ``tags: ml kubernetes`` at spaces, which is its own form, but keeps the commas of
        ``tags: ml, kubernetes`` in the terms), terms with surrounding whitespace
        (``"Machine Learning "``), empty terms, duplicates (ignoring case on Hugo, which
        lower-cases term URLs), terms that are not strings, terms listed in ``tags.aliases``
        and, with ``tags.case = "lower"``, terms not in lower case. ``categories.*`` work
        alike. On a Jekyll post also the singular keys, which
        ``Utils.pluralized_array_from_hash`` takes as they are: ``tag: machine learning`` is
        ONE tag with a space, and a ``tag`` hides ``tags``. The generator is the site's, or the one ``front-matter.schema`` names.

    Why it matters
        Every spelling is a term page of its own: ``"Machine Learning "`` and ``"Machine
        Learning"`` split one tag in two, an empty term makes an empty page (Jekyll) or
        an empty tag in a theme that lists ``.Params.tags`` (Hugo), and a string is one term
        on Hugo but several on Jekyll (one on Jekyll's singular keys). On Hugo a list of
        nothing but ``null`` or ``""`` (an archetype's ``tags:`` with a bare ``-``) is an
        empty list: Hugo makes no term of it, and it is not reported (``" "`` is a term
        page ``/tags/-/``).

    Example
        A Medium import and a Jekyll post::

            tags: ["Machine Learning ", "Mlct", "", "mlct"]
            tag: machine-learning kubernetes

    Use instead
        With ``tags.aliases = { "Machine Learning" = "machinelearning" }``::

            tags: ["machinelearning", "Mlct"]
            tags: machine-learning kubernetes

    Fix safety
        Safe: trimming a term, removing an empty term or an exact duplicate (a duplicate
        up to case on Hugo), applying ``tags.aliases`` and ``tags.case``, and turning a
        string into the list the generator already reads (one term on Hugo). Unsafe:
        trimming when the trimmed term collides with another term (the post leaves a term
        page), splitting a comma-separated string (Hugo reads it as one term, Jekyll keeps
        the commas), and renaming Jekyll's singular ``tag``/``category`` holding several
        words to the plural key (the post gets several terms instead of one). A term that
        is not a string is reported without a fix.

    Options
        ``tags.case`` (``any`` or ``lower``), ``tags.aliases`` (a table of term = term);
        ``categories.case``, ``categories.aliases``; ``front-matter.schema``.
    """

    code = "BT108"
    name = "front-matter-taxonomy"
    summary = "Tags or categories are padded, empty, duplicated, a string, or off-policy"
    severity = "warning"
    fixable = "sometimes"
    options = OPTIONS + (SCHEMA,)

    def _policy(self, tax: str) -> tuple[str, dict[str, str]]:
        if tax not in ("tags", "categories"):
            return "any", {}
        aliases = {k.strip().casefold(): v for k, v in self.option(f"{tax}.aliases").items()}
        return self.option(f"{tax}.case"), aliases

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        data = fm.data
        for tax in memo(self, site, "taxonomies", lambda: taxonomies(site)):
            if tax not in data:
                continue
            value = data[tax]
            if isinstance(value, str) and value.strip():
                found = self._string(doc, fm, site, tax, value)
                if found is not None:
                    yield found
            elif isinstance(value, list):
                yield from self._items(doc, fm, site, tax, value)
            elif value is not None and value != "":
                yield self.diagnostic(doc, *report_span(doc, fm, (tax,)),
                                      f"{tax!r} should be a list of terms, not a {type(value).__name__}")
        if schema_name(self, site) == "jekyll" and _jekyll_post(doc):
            yield from self._jekyll_singular(doc, fm)

    def _jekyll_singular(self, doc: Document, fm: Any) -> Iterator[Diagnostic]:
        """Jekyll's singular ``tag`` and ``category`` (``Utils.pluralized_array_from_hash``):
        the value is taken as it is, so a string with spaces is ONE term; a ``tag`` also
        hides ``tags`` (the singular key wins; ``category`` adds to ``categories``). Posts
        only: the site's tags and categories are its posts' (``site.tags``), while on a
        page or a collection's document ``tag`` is the theme's own variable."""
        data = fm.data
        for single, plural, what in (("tag", "tags", "tag"), ("category", "categories", "category")):
            if single not in data:
                continue
            value = data[single]
            if single == "tag" and plural in data and data[plural] not in (None, "", []):
                yield self.diagnostic(doc, *report_span(doc, fm, (plural,)),
                                      f"'tags' is ignored: Jekyll reads the singular 'tag' when both are set "
                                      f"(Utils.pluralized_array_from_hash), so this post's tags are {value!r} only")
                continue
            if isinstance(value, str) and len(value.split()) > 1:
                fix = None
                if plural not in data:
                    span = key_span(doc, fm, (single,))
                    if span is not None and doc.text[span[0]:span[1]] == single:
                        fix = Fix((Edit(span[0], span[1], plural),), safe=False,
                                  description=f"rename {single!r} to {plural!r} (Jekyll splits it at spaces)")
                yield self.diagnostic(
                    doc, *report_span(doc, fm, (single,)),
                    f"{single!r} is one {what} {value!r}, spaces and all: Jekyll takes the singular key as it is "
                    f"and does not split it (write {plural!r} for {len(value.split())} {plural})", fix)

    def _string(self, doc: Document, fm: Any, site: Any, tax: str, value: str) -> Diagnostic | None:
        generator = schema_name(self, site)
        if generator == "jekyll":
            if "," not in value:
                return None  # Jekyll splits it at spaces: the space-separated form is Jekyll's own
            terms, safe = [t for t in re.split(r"[,\s]+", value) if t], False
            why = f"Jekyll splits it at spaces only, so the commas stay in the terms: {value.split()!r}"
        elif "," in value:
            terms, safe, why = [t.strip() for t in value.split(",") if t.strip()], False, \
                f"{'Hugo' if generator == 'hugo' else 'the generator'} reads it as the single term {value!r}"
        else:
            terms, safe, why = [value], True, "it is read as one term"
        span = value_span(doc, fm, (tax,)) or (0, 0)
        quote = quote_of(doc.text[span[0] : span[1]]) if fm.format == "yaml" else None
        edit = replace_value(doc, fm, tax, flow_list(fm.format, terms, quote))
        fix = Fix((edit,), safe=safe, description="write a list") if edit else None
        return self.diagnostic(doc, *report_span(doc, fm, (tax,)), f"{tax!r} is a string, not a list ({why})", fix)

    def _items(self, doc: Document, fm: Any, site: Any, tax: str, items: list) -> Iterator[Diagnostic]:
        case, aliases = memo(self, site, tax, lambda: self._policy(tax))
        fold = memo(self, site, "fold", lambda: schema_name(self, site) == "hugo")
        if not aliases and all(type(t) is str and t and t == t.strip() and (case == "any" or t == t.lower())
                               for t in items) and len({t.casefold() if fold else t for t in items}) == len(items):
            return  # the common case: nothing to report
        if fold and all(t is None or t == "" for t in items):
            return  # Hugo makes no term of null or "": a list of only those is an empty list (" " is a term "-")
        plan, safe, odd = plan_terms(items, tax, case, aliases, fold)
        for i, kind in odd:
            yield self.diagnostic(doc, *report_span(doc, fm, (tax, i)), f"{tax} term {i + 1} is {kind}, not a string")
        if not plan:
            return
        if len(plan) == len(items) and all(new is None for new, _ in plan.values()):
            yield self._emptied(doc, fm, tax)
            return
        whole = None
        if fm.format == "json":  # no positions for items: the list is rewritten as a whole
            final = [plan[i][0] if i in plan else item for i, item in enumerate(items)]
            edit = replace_value(doc, fm, tax, flow_list("json", [t for t in final if t is not None]))
            whole = Fix((edit,), safe=all(safe.values()), description=f"rewrite the {tax} list") if edit else None
        for i, (new, why) in sorted(plan.items()):
            fix = whole if fm.format == "json" else self._item_fix(doc, fm, (tax, i), new, safe[i])
            shown = repr(items[i]) if items[i] is not None else "null"
            yield self.diagnostic(doc, *report_span(doc, fm, (tax, i)),
                                  f"{tax} term {shown} {why}" + ("" if new is None else f": {new!r}"), fix)

    @staticmethod
    def _item_fix(doc: Document, fm: Any, path: tuple, new: str | None, safe: bool) -> Fix | None:
        if new is None:
            edit = remove_item(doc, fm, path)
            return Fix((edit,), safe=safe, description="remove the term") if edit else None
        span = value_span(doc, fm, path)
        if span is None:
            return None
        content = render(fm.format, new, doc.text[span[0] : span[1]])
        return Fix((Edit(span[0], span[1], content),), safe=safe, description="normalise the term")

    def _emptied(self, doc: Document, fm: Any, tax: str) -> Diagnostic:
        edit = replace_value(doc, fm, tax, "[]")
        fix = Fix((edit,), safe=True, description="write an empty list") if edit else None
        return self.diagnostic(doc, *report_span(doc, fm, (tax,)), f"every term of {tax!r} is empty", fix)


def _jekyll_post(doc: Document) -> bool:
    """A Jekyll post or draft (a file in a ``_posts`` or ``_drafts`` folder)."""
    parts = (doc.abspath or doc.path).replace("\\", "/").split("/")[:-1]
    return "_posts" in parts or "_drafts" in parts
