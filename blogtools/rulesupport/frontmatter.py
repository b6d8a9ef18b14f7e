"""Shared by the front matter rules (BT1xx): options, the schema per generator, where keys
and values are written, and the small edits the fixes are made of.

Everything here is cheap on a file without findings: no YAML or TOML library is imported,
the schema is a Python module, and edits are only built for a finding.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from blogtools.fmedit import key_token_end, scalar
from blogtools.frontmatter import FrontMatter
from blogtools.lint.rule import Edit, Option
from blogtools.rulesupport import memo

Path = tuple[Any, ...]
TYPES = ("string", "bool", "int", "number", "date", "path", "url", "strings", "paths", "table", "tables",
         "list", "any", "taxonomy")
SCHEMAS = ("auto", "hugo", "jekyll", "zola", "plain", "none")


def _flat_keys(value: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, spec in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(spec, dict):
            out.update(_flat_keys(spec, name))
        else:
            out[name] = spec
    return out


def _check_keys(value: Any) -> str | None:
    for key, spec in _flat_keys(value).items():
        if not isinstance(spec, str) or not all(part.strip() in TYPES for part in spec.split("|")):
            return f"{key!r}: expected a type ({', '.join(TYPES)}, or several joined by '|'), got {spec!r}"
    return None


def check_str_map(value: Any) -> str | None:
    bad = [k for k, v in value.items() if not isinstance(v, str)]
    return f"expected a table of strings, but {bad[0]!r} is not a string" if bad else None


def check_str_list(value: Any) -> str | None:
    return None if all(isinstance(v, str) for v in value) else f"expected a list of strings, got {value!r}"


SCHEMA = Option("front-matter.schema", "auto", "which generator's keys and types apply (auto: the site's)",
                type=str, choices=SCHEMAS)
KEYS = Option("front-matter.keys", {}, "theme and user keys with their types, e.g. share = \"bool\", "
              "\"cover.image\" = \"path\"", type=dict, validate=_check_keys)
REQUIRED = Option("front-matter.required", ["title", "date"], "keys every post must have (dotted for nested)",
                  type=list, validate=check_str_list)
SYNONYMS = Option("front-matter.synonyms", {}, "extra key renames, e.g. author_name = \"author\"", type=dict,
                  validate=check_str_map)


# --------------------------------------------------------------------------- schema
def schema_table() -> dict[str, dict[str, str]]:
    """Each generator's known keys with their types (``frontmatter_schema.SCHEMAS``)."""
    from blogtools.rulesupport.frontmatter_schema import SCHEMAS

    return SCHEMAS


def schema_name(rule: Any, site: Any) -> str:
    name = rule.option("front-matter.schema") if any(o.key == "front-matter.schema" for o in rule.options) else "auto"
    if name == "auto":
        return site.generator if site.generator in ("hugo", "jekyll", "zola") else "plain"
    return name


def taxonomies(site: Any) -> tuple[str, ...]:
    """Plural taxonomy keys: the Hugo site's ``taxonomies`` table, else tags and categories."""
    if site.generator == "hugo":
        table = site.setting("taxonomies")
        if isinstance(table, dict):
            return tuple(v for v in table.values() if isinstance(v, str))
    return ("tags", "categories")


class Schema:
    """Known keys with their types; Hugo matches keys case-insensitively, the others exactly."""

    def __init__(self, name: str, keys: dict[Path, str], fold: bool) -> None:
        self.name = name
        self.keys = keys
        self.fold = fold
        self.lower = {tuple(str(p).lower() for p in path): path for path in keys}
        self.parents = {path[:i] for path in keys for i in range(1, len(path))}  # keys with declared children
        self.top = {path[0]: path for path in keys if len(path) == 1}
        self.top_lower = {str(path[0]).lower(): path for path in keys if len(path) == 1}

    def canonical(self, path: Path) -> Path | None:
        if len(path) == 1:  # the common case, without building tuples
            found = self.top.get(path[0])
            if found is None and self.fold and isinstance(path[0], str):
                found = self.top_lower.get(path[0].lower())
            return found
        if path in self.keys:
            return path
        return self.lower.get(tuple(str(p).lower() for p in path)) if self.fold else None

    def spec(self, path: Path) -> str | None:
        found = self.canonical(path)
        return self.keys[found] if found is not None else None


def walk_keys(known: Schema, data: dict[str, Any], prefix: Path = ()) -> Iterator[tuple[Path, Any, Path | None]]:
    """Each key as (written path, value, the schema's path or None), going below a key only
    where the schema declares children (``cover.image``), never into open tables (``params``)."""
    for key, value in data.items():
        path = prefix + (key,)
        found = known.canonical(path)
        yield path, value, found
        if found is not None and isinstance(value, dict) and found in known.parents:
            yield from walk_keys(known, value, path)


def schema(rule: Any, site: Any) -> Schema:
    return memo(rule, site, "schema", lambda: _build_schema(rule, site))


def _build_schema(rule: Any, site: Any) -> Schema:
    name = schema_name(rule, site)
    keys: dict[Path, str] = {}
    if name != "none":
        keys = {(k,): v for k, v in schema_table().get(name, {}).items()}
        for tax in taxonomies(site) if name in ("hugo", "plain") else ():
            keys[(tax,)] = "taxonomy"
    for dotted, spec in _flat_keys(rule.option("front-matter.keys")).items():
        path = tuple(dotted.split("."))
        keys[path] = spec
        for i in range(1, len(path)):
            keys.setdefault(path[:i], "table")
    return Schema(name, keys, fold=name == "hugo")


def zone(site: Any) -> Any:
    """The site's ``timeZone`` (Hugo) or ``timezone`` (Jekyll) as a tzinfo; None if unset or unknown."""
    name = site.setting("timeZone")
    if not isinstance(name, str) or not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ImportError, ValueError, OSError):
        return None


# --------------------------------------------------------------------------- positions
def loaded(doc: Any) -> FrontMatter | None:
    """The front matter when it parsed to a mapping; None otherwise (BT002 reports it)."""
    fm = doc.front_matter
    return fm if fm is not None and isinstance(fm.data, dict) else None


def fence_span(doc: Any, fm: FrontMatter) -> tuple[int, int]:
    """The opening fence (``---``, ``+++`` or ``{``): where a missing key is reported."""
    return fm.start, fm.start + (1 if fm.format == "json" else 3)


def key_span(doc: Any, fm: FrontMatter, path: Path) -> tuple[int, int] | None:
    span = fm.positions.get(path)
    if span is None or not isinstance(path[-1], str):
        return None
    return span.key_start, key_token_end(doc.text, span.key_start, path[-1])


def value_span(doc: Any, fm: FrontMatter, path: Path) -> tuple[int, int] | None:
    span = fm.positions.get(path)
    if span is None:
        return None
    if fm.format == "json":
        try:
            return span.value_start, json.JSONDecoder().raw_decode(doc.text, span.value_start)[1]
        except ValueError:
            return None
    if span.value_end < span.value_start or (span.value_end == span.value_start and isinstance(path[-1], str)):
        return None  # an empty YAML value has no text of its own
    return span.value_start, span.value_end


def report_span(doc: Any, fm: FrontMatter, path: Path) -> tuple[int, int]:
    """The value if it has text, else the key (the ``-`` of an empty list item), else the
    nearest written parent, else the fence."""
    span = fm.positions.get(path)
    if span is not None and not isinstance(path[-1], str) and span.value_end <= span.value_start:
        text = doc.text
        line = _line_start(text, span.value_start)
        if line == span.value_start and line > 0:  # the empty item's position is the next line
            line = _line_start(text, line - 1)
        dash = text.rfind("-", line, max(span.value_start, line + 1))
        if dash >= 0:
            return dash, dash + 1
    for p in (path[:i] for i in range(len(path), 0, -1)):
        found = value_span(doc, fm, p) if p == path else None
        found = found or key_span(doc, fm, p)
        if found:
            return found
    return fence_span(doc, fm)


def quote_of(written: str) -> str:
    """The quote a YAML scalar was written with (``""`` for plain)."""
    return written[:1] if written[:1] in ("'", '"') else ""


def render(fmt: str, value: Any, written: str = "") -> str:
    """``value`` in ``fmt``, quoted the way ``written`` (the old value's text) was."""
    if fmt == "toml" and isinstance(value, str) and written.startswith("'") and "'" not in value \
            and value.isprintable():
        return f"'{value}'"
    return scalar(fmt, value, quote_of(written) if fmt == "yaml" else None)


def find_key(data: dict[str, Any], name: str) -> str | None:
    """The key of ``data`` equal to ``name`` ignoring case (exact match first)."""
    if name in data:
        return name
    low = name.lower()
    return next((k for k in data if isinstance(k, str) and k.lower() == low), None)


# --------------------------------------------------------------------------- edits
_BLANK = re.compile(r"[ \t]*\r?\n")
_ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]*\Z")
_EMPTY_ITEM = re.compile(r"[ \t]*-[ \t]*(?:#[^\n]*)?\r?\n")
_TAIL = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _through_line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def remove_entry(doc: Any, fm: FrontMatter, key: str) -> Edit | None:
    """Delete a top-level ``key`` with its value (and a blank line left doubled)."""
    text = doc.text
    keys = key_span(doc, fm, (key,))
    if keys is None:
        return None
    if fm.format == "json":
        return _remove_json_member(text, keys[0] - 1, value_span(doc, fm, (key,)))
    start = _line_start(text, keys[0])
    if text[start : keys[0]].strip():
        return None
    value = value_span(doc, fm, (key,))
    end = _through_line_end(text, max(keys[1], value[1] - 1) if value else keys[1])
    if start > 0 and _BLANK.fullmatch(text, _line_start(text, start - 1), start) and _BLANK.match(text, end) \
            and end < fm.content_end:
        end = _BLANK.match(text, end).end()
    return Edit(start, end, "")


def _remove_json_member(text: str, start: int, value: tuple[int, int] | None) -> Edit | None:
    if value is None:
        return None
    end = value[1]
    after = len(text[end:]) - len(text[end:].lstrip())
    if text[end + after : end + after + 1] == ",":
        end += after + 1
    else:
        before = text[:start].rstrip()
        if before.endswith(","):
            start = len(before) - 1
    line = _line_start(text, start)
    if not text[line:start].strip() and _BLANK.match(text, end):
        start, end = line, _BLANK.match(text, end).end()
    return Edit(start, end, "")


def remove_item(doc: Any, fm: FrontMatter, path: Path) -> Edit | None:
    """Delete one list item: its line in a block list, the item and a comma in a flow list."""
    span = fm.positions.get(path)
    if span is None or fm.format == "json":
        return None
    text = doc.text
    s, e = span.value_start, max(span.value_end, span.value_start)
    line = _line_start(text, s)
    if s == e and s == line and s > 0:  # an empty YAML item "-": its position is the next line
        prev = _line_start(text, s - 1)
        return Edit(prev, s, "") if _EMPTY_ITEM.fullmatch(text, prev, s) else None
    if _ITEM_PREFIX.match(text, line, s):
        tail = _TAIL.match(text, e)
        return Edit(line, tail.end(), "") if tail else None
    j = e + len(text[e:]) - len(text[e:].lstrip(" \t"))
    if text[j : j + 1] == ",":
        end = j + 1 + len(text[j + 1 :]) - len(text[j + 1 :].lstrip(" \t"))
        if not text[line:s].strip() and text[end : end + 1] in ("\n", "\r"):
            return Edit(line, _through_line_end(text, end), "")
        return Edit(s, end, "")
    before = text[:s].rstrip()
    if before.endswith(","):
        return Edit(len(before) - 1, e, "")
    return Edit(s, e, "")


def replace_value(doc: Any, fm: FrontMatter, key: str, content: str) -> Edit | None:
    """Replace a top-level value; a YAML block value (``- a`` lines) is replaced from the key."""
    span = value_span(doc, fm, (key,))
    if span is None:
        return None
    if fm.format == "yaml" and doc.text.startswith("-", span[0]):
        start = key_token_end(doc.text, fm.positions[(key,)].key_start, key)
        return Edit(start, span[1], f": {content}")
    return Edit(span[0], span[1], content)


# --------------------------------------------------------------------------- taxonomy terms
def plan_terms(items: list[Any], tax: str, case: str, aliases: dict[str, str], fold: bool
               ) -> tuple[dict[int, tuple[str | None, str]], dict[int, bool], list[tuple[int, str]]]:
    """What to do with each term of a taxonomy list.

    Returns ``plan`` (index → (new term, or None to remove it; why)), ``safe`` (index → is the
    change safe) and the terms that are not strings (index, what they are). A term is
    trimmed, mapped through ``aliases`` (keys case-folded) and lower-cased when ``case`` is
    ``lower``; a later term equal to an earlier one (case-folded when ``fold``) is removed.
    A change is unsafe when the collision only comes from trimming a term.
    """
    plan: dict[int, tuple[str | None, str]] = {}
    groups: dict[str, list[int]] = {}
    odd: list[tuple[int, str]] = []
    for i, item in enumerate(items):
        if item is None or isinstance(item, str) and not item.strip():
            plan[i] = (None, "is empty")
            continue
        if not isinstance(item, str):
            odd.append((i, f"the {'boolean' if isinstance(item, bool) else 'number'} {item!r}"
                        if isinstance(item, (int, float)) else f"a {type(item).__name__}"))
            continue
        new, why = item.strip(), []
        if new != item:
            why.append("has surrounding whitespace")
        alias = aliases.get(new.casefold())
        if alias is not None and alias != new:
            new = alias
            why.append(f"is listed in {tax}.aliases")
        if case == "lower" and new != new.lower():
            new = new.lower()
            why.append(f"is not lower case ({tax}.case)")
        groups.setdefault(new.casefold() if fold else new, []).append(i)
        if why:
            plan[i] = (new, " and ".join(why))
    safe = {i: True for i in plan}
    for group in groups.values():
        padded = any(items[k] != items[k].strip() for k in group)
        if len(group) > 1 and group[0] in plan:
            safe[group[0]] = not padded
        for k in group[1:]:
            plan[k], safe[k] = (None, f"repeats term {group[0] + 1}"), not padded
    return plan, safe, odd
