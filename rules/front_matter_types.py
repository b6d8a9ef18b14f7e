"""BT102: a front matter value of the wrong type for its key."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.fmedit import DATE_KEYS, parse_date_text
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.frontmatter import (
    KEYS, SCHEMA, schema_table, loaded, render, report_span, schema, value_span, walk_keys,
)

_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False, "t": True, "f": False}  # Go's ParseBool
_EXPECT = {"string": "a string", "bool": "true or false", "int": "a whole number", "number": "a number",
           "date": "a date", "path": "a path", "url": "a URL or a path", "strings": "a list of strings",
           "paths": "a list of paths", "table": "a table", "tables": "a list of tables", "list": "a list"}
_ITEM = {"strings": "string", "paths": "path", "tables": "table"}


def _fits(value: Any, base: str) -> bool:
    if base == "any":
        return True
    if base in _ITEM:
        return isinstance(value, list)  # items are checked one by one
    if base == "date":
        return isinstance(value, _dt.date) or isinstance(value, str) and parse_date_text(value) is not None
    if base in ("path", "url", "string"):
        return isinstance(value, str) and not (base == "path" and _URL.match(value))
    if base in ("int", "number", "bool"):
        kinds = {"int": int, "number": (int, float), "bool": bool}[base]
        return isinstance(value, kinds) and (base == "bool") == isinstance(value, bool)
    return isinstance(value, {"table": dict, "list": list}[base])


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the URL {value!r}" if _URL.match(value) else f"the string {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return {dict: "a table", list: "a list"}.get(type(value), f"a {type(value).__name__}")


class FrontMatterType(Rule):
    """A front matter value whose type is not the one its key needs.

    What it does
        Checks each key the generator defines (Hugo, Jekyll or Zola, see
        ``blogtools/rulesupport/frontmatter_schema.py``) and each key declared in
        ``front-matter.keys`` against its type: ``draft: "false"`` (a string, not a boolean),
        ``weight: "3"``, ``aliases`` that is one string or holds URLs instead of paths,
        ``url: https://...`` where Hugo wants a path, ``cover.image`` declared as a path.
        Date keys are checked by BT106 and taxonomies (``tags``) by BT108.

    Why it matters
        Templates test values, not spellings: ``{{ if .Params.share }}`` is true for the
        string ``"false"``; a Hugo alias that is a URL writes a redirect page at a nonsense
        path. Hugo converts some values silently, other tools do not.

    Example
        ::

            draft: "false"
            weight: "3"
            aliases: "/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d"

    Use instead
        ::

            draft: false
            weight: 3
            aliases: ["/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d"]

    Fix safety
        Safe only where Hugo itself converts the value the same way: a Hugo boolean key
        written as a ``strconv.ParseBool`` word, a Hugo integer key written as digits, and
        Hugo's ``aliases`` as one string (read as a list of one). On other generators and
        for theme keys (``share: "false"`` is true in a template) the same fix is unsafe.
        Anything else is reported without a fix.

    Options
        ``front-matter.schema`` (``auto``: the site's generator; ``hugo``, ``jekyll``,
        ``zola``, ``plain`` or ``none``); ``front-matter.keys``: a table of key = type, with
        dotted keys for nested values (``"cover.image" = "path"``). Types: string, bool,
        int, number, date, path, url, strings, paths, table, tables, list, any; ``a|b``.
    """

    code = "BT102"
    name = "front-matter-type"
    summary = "A front matter value has the wrong type for its key"
    severity = "warning"
    fixable = "sometimes"
    options = (SCHEMA, KEYS)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        known = schema(self, site)
        for path, value, found in walk_keys(known, fm.data) if known.keys else ():
            spec = known.keys[found] if found is not None else None
            if spec is None or value is None or spec == "taxonomy" \
                    or spec == "date" and str(path[-1]).lower() in DATE_KEYS:  # BT108 and BT106 check those
                continue
            bases = [b.strip() for b in spec.split("|")]
            if "string" in bases and isinstance(value, (int, float)) and not isinstance(value, bool):
                continue  # Hugo and Jekyll print a number as its text (title: 2022 is "2022")
            if not any(_fits(value, b) for b in bases):
                expected = " or ".join(_EXPECT.get(b, b) for b in bases)
                fix = self._fix(doc, fm, known, path, value, bases)
                yield self.diagnostic(doc, *report_span(doc, fm, path),
                                      f"{'.'.join(map(str, path))!r} should be {expected}, not {_shown(value)}", fix)
            elif isinstance(value, list) and not any(b not in _ITEM and _fits(value, b) for b in bases):
                item_base = next(_ITEM[b] for b in bases if b in _ITEM)
                for i, item in enumerate(value):
                    if not _fits(item, item_base):
                        yield self.diagnostic(doc, *report_span(doc, fm, path + (i,)),
                                              f"item {i + 1} of {'.'.join(map(str, path))!r} should be "
                                              f"{_EXPECT[item_base]}, not {_shown(item)}")

    def _fix(self, doc: Document, fm: Any, known: Any, path: tuple, value: Any, bases: list[str]) -> Fix | None:
        span = value_span(doc, fm, path)
        if span is None or not isinstance(value, str):
            return None
        builtin = known.name == "hugo" and len(path) == 1 and known.canonical(path) in \
            {(k,) for k in schema_table()["hugo"]}
        if "bool" in bases and value.strip().lower() in _BOOL_WORDS:
            new, what = _BOOL_WORDS[value.strip().lower()], "write a boolean"
        elif "int" in bases and re.fullmatch(r"[+-]?\d+", value.strip()):
            new, what = int(value.strip()), "write a number"
        elif "paths" in bases and not _URL.match(value):
            new, what = [value], "make it a list"
        else:
            return None
        text = doc.text[span[0] : span[1]]
        content = render(fm.format, new, text if isinstance(new, list) else "")
        return Fix((Edit(span[0], span[1], content),), safe=builtin, description=what)
