"""Front matter editing: render values in each format, convert whole blocks between formats.

Rules fix front matter with small edits on offsets (a key renamed, one value rewritten, one
line removed), so everything they do not touch stays byte for byte as the author wrote it.
This module gives those edits their text: :func:`scalar` and :func:`flow_list` write one
value as YAML, TOML or JSON by hand, keeping the author's quoting where the format allows it
and importing no library, so linting stays cheap.

Whole blocks (:func:`convert_block`, :func:`dump`, :func:`render_block`) are written by the
libraries: a ``tomlkit`` document for TOML, ruamel.yaml's round-trip dumper for YAML,
``json.dumps`` for JSON. Each library is imported inside the functions that use it, by the
first block written in its format. Linting imports neither, except where BT101 reports a
block to convert: its fix, the converted block, is built with the diagnostic. What stays ours:

- The data. It comes from the loaders every rule already trusts (:mod:`blogtools.frontmatter`),
  not from the libraries' round-trip loaders, so the emitters see plain values and the
  library only decides layout.
- The comments. :func:`collect_comments` gives each source comment line to the key it
  precedes, and each end-of-line comment to the value it follows; the emitters hand them to
  the library (``tomlkit.comment`` items and ``Item.comment``; ruamel's
  ``yaml_set_comment_before_after_key`` and ``yaml_add_eol_comment``). A comment that finds
  no place goes to the end of the block.
- The choices the libraries leave open. YAML strings are plain only when no reader could
  take them for something else (identifiers and paths, not ``yes`` or ``off``) and
  double-quoted otherwise, so ``"true"``, ``"2020-01-01"``, ``"123"`` and titles stay strings.
  Date-times are written as RFC 3339 text we format, keeping the written offset
  (``2020-06-13T23:06:44+09:00``) and ``Z`` with the fraction (``2018-07-15T09:31:28.466Z``):
  ruamel would write ``+00:00`` with six digits or move the value to UTC, tomlkit six digits.
  ``None`` is written ``null`` in YAML (ruamel leaves the value empty).
- The check. Every converted block is loaded again with our loaders and compared with the
  source data, types included (:func:`same_data`); a difference, or a value the target
  cannot hold (``null`` in TOML, a time of day in YAML, NaN in JSON, a non-string key),
  raises :class:`ConversionError` and the rule reports the finding without a fix.

Layout. YAML: two spaces per level, lists indented under their key (``tags:`` then
``  - a``, ``indent(mapping=2, sequence=4, offset=2)``, as most Hugo posts and themes write it),
a list inside a list in flow style (``- [a, b]``), no line folding however long a Japanese
title, two spaces before an end-of-line comment, and every full-line comment written
``# text`` by ruamel (``#text`` gains a space, a bare ``#`` becomes an empty line). TOML:
plain keys first, then tables (``[cover]``) and arrays of tables (``[[x]]``), since TOML
cannot return to a table after a header; a table holding only tables is not written
(``[markup.goldmark.renderer]`` alone); an array longer than 100 characters one item a line;
comments exactly as written. JSON holds no comments and no dates: dates become RFC 3339
strings (Hugo reads them as dates) and converting JSON back turns those strings under the
date keys into dates. Key order is kept everywhere except where TOML moves tables.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import re
from functools import lru_cache
from typing import Any

from blogtools import frontmatter
from blogtools.record import dataclass, field

FENCES = {"yaml": "---", "toml": "+++"}
LINE_WIDTH = 100  # a longer TOML array is written one item a line
DATE_KEYS = frozenset(("date", "lastmod", "publishdate", "expirydate", "updated", "last_modified_at",
                       "modified", "pubdate"))
Path = tuple[Any, ...]


class ConversionError(ValueError):
    """The data cannot be written in the target format without changing it."""


# --------------------------------------------------------------------------- dates
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})?)?\Z"
)


def parse_iso(text: str) -> _dt.date | None:
    """An RFC 3339 date-time (offset optional) or a plain ``YYYY-MM-DD``; None otherwise."""
    m = _ISO.match(text)
    if m is None:
        return None
    try:
        if m.group(4) is None:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        micro = int((m.group(7) or "0")[:6].ljust(6, "0"))
        tz = m.group(8)
        tzinfo = None
        if tz in ("Z", "z"):
            tzinfo = _dt.timezone.utc
        elif tz:
            minutes = int(tz[1:3]) * 60 + int(tz[4:6])
            tzinfo = _dt.timezone(_dt.timedelta(minutes=-minutes if tz[0] == "-" else minutes))
        return _dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                            int(m.group(5)), int(m.group(6)), micro, tzinfo)
    except ValueError:
        return None


_LOOSE = re.compile(
    r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"[ \t]*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\Z"
)


def parse_date_text(text: str) -> tuple[_dt.date, bool] | None:
    """A date written as a string, the ways blogs write them: ``2019-10-29 10:00:00 +0900``,
    ``2019/10/29``, RFC 3339, RFC 2822. Returns (value, slashes) or None when unreadable;
    ``slashes`` marks ``YYYY/MM/DD``, which Hugo cannot read."""
    stripped = text.strip()
    m = _LOOSE.match(stripped)
    if m is None:
        if stripped[:1].isalpha():
            from email.utils import parsedate_to_datetime

            try:
                return parsedate_to_datetime(stripped), False
            except (TypeError, ValueError, IndexError):
                return None
        return None
    year, _, month, day, hour, minute, second, fraction, tz = m.groups()
    try:
        if hour is None:
            if tz:
                return None
            return _dt.date(int(year), int(month), int(day)), m.group(2) == "/"
        tzinfo = None
        if tz in ("Z", "z", "UTC", "GMT"):
            tzinfo = _dt.timezone.utc
        elif tz:
            digits = tz[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
            tzinfo = _dt.timezone(_dt.timedelta(minutes=-minutes if tz[0] == "-" else minutes))
        value = _dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                             int((fraction or "0")[:6].ljust(6, "0")), tzinfo)
    except ValueError:
        return None
    return value, m.group(2) == "/"


def format_offset(offset: _dt.timedelta, colon: bool = True, utc_z: bool = True) -> str:
    seconds = int(offset.total_seconds())
    if seconds % 60:
        raise ConversionError(f"UTC offset {offset} has seconds; no front matter format can write it")
    if seconds == 0 and utc_z:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" if colon else f"{sign}{hours:02d}{minutes:02d}"


def format_date(value: _dt.date, style: str = "rfc3339") -> str:
    """``2018-07-15T09:31:28.466Z`` (rfc3339) or ``2018-07-15 09:31:28 +0000`` (jekyll)."""
    if not isinstance(value, _dt.datetime):
        return value.isoformat()
    frac = f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
    offset = value.utcoffset()
    if style == "jekyll":
        tail = "" if offset is None else " " + format_offset(offset, colon=False, utc_z=False)
        return f"{value:%Y-%m-%d %H:%M:%S}{frac}{tail}"
    tail = "" if offset is None else format_offset(offset)
    return f"{value:%Y-%m-%dT%H:%M:%S}{frac}{tail}"


_DAY = r"\d{4}-\d{2}-\d{2}"
_RFC3339 = _DAY + r"(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))?"
_JEKYLL = _DAY + r"(?: \d{2}:\d{2}:\d{2}(?:\.\d+)? [+-]\d{4})?"
_IN_STYLE = {  # (style, JSON?) → a date already written in that style
    ("rfc3339", False): re.compile(_RFC3339), ("rfc3339", True): re.compile(f'"{_RFC3339}"'),
    ("jekyll", False): re.compile(f'{_DAY}|"?{_JEKYLL}"?'), ("jekyll", True): re.compile(f'"{_JEKYLL}"'),
}


def in_style(text: str, style: str, fmt: str, start: int = 0, end: int | None = None) -> bool:
    """Is ``text[start:end]`` a date written in ``style`` (``rfc3339`` or ``jekyll``)?"""
    return _IN_STYLE[style, fmt == "json"].fullmatch(text, start, len(text) if end is None else end) is not None


def date_literal(value: _dt.date, style: str, fmt: str) -> str:
    """``value`` as a ``fmt`` value in ``style``: a native date where the format has one."""
    text = format_date(value, style)
    if fmt == "json":
        return json.dumps(text)
    if style == "jekyll" and isinstance(value, _dt.datetime) and fmt == "toml":
        return toml_str(text)  # not a TOML date-time: a string, as Jekyll reads it
    return text


# --------------------------------------------------------------------------- scalars
_YAML_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./-]*\Z")
_YAML11_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"))
_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")
_TOML_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_YAML_ESC = {'"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}


def _escape(text: str, table: dict[str, str], yaml: bool) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in table:
            out.append(table[ch])
        elif code < 0x20 or code == 0x7F or (yaml and (0x80 <= code <= 0x9F or ch in "\u2028\u2029\ufeff")):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def yaml_plain(text: str) -> bool:
    """Can ``text`` be a plain YAML scalar that every reader takes for this string? (an
    identifier or a path, not a YAML 1.1 word such as ``yes`` or ``off``)"""
    return bool(_YAML_PLAIN.match(text)) and text.lower() not in _YAML11_WORDS


def yaml_str(text: str, quote: str | None = None) -> str:
    """A YAML scalar for ``text``: plain when that is unambiguous, else quoted.

    ``quote`` keeps an author's style: ``'"'`` double quotes, ``"'"`` single quotes (when the
    text allows it), ``""`` plain when safe.
    """
    plain_ok = yaml_plain(text)
    if quote == "'" and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    if quote == "" and plain_ok or quote is None and plain_ok:
        return text
    return _escape(text, _YAML_ESC, True)


def yaml_key(key: str) -> str:
    return key if yaml_plain(key) else _escape(key, _YAML_ESC, True)


def toml_str(text: str) -> str:
    return _escape(text, _TOML_ESC, False)


def toml_key(key: str) -> str:
    return key if _TOML_BARE.match(key) else toml_str(key)


def _float(value: float, fmt: str) -> str:
    if math.isnan(value):
        if fmt == "json":
            raise ConversionError("NaN cannot be written in JSON")
        return ".nan" if fmt == "yaml" else "nan"
    if math.isinf(value):
        if fmt == "json":
            raise ConversionError("infinity cannot be written in JSON")
        sign = "-" if value < 0 else ""
        return f"{sign}.inf" if fmt == "yaml" else f"{sign}inf"
    text = repr(value)
    return text if any(c in text for c in ".en") else text + ".0"


def scalar(fmt: str, value: Any, quote: str | None = None) -> str:
    """``value`` written as a YAML, TOML or JSON value (flow style for lists and tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        if fmt == "toml":
            raise ConversionError("TOML has no null value")
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value, fmt)
    if isinstance(value, str):
        if fmt == "yaml":
            return yaml_str(value, quote)
        return toml_str(value) if fmt == "toml" else json.dumps(value, ensure_ascii=False)
    if isinstance(value, _dt.date):
        text = format_date(value)
        return json.dumps(text) if fmt == "json" else text
    if isinstance(value, _dt.time):
        if fmt == "toml":
            return value.isoformat()
        raise ConversionError(f"a time of day ({value}) cannot be written in {fmt.upper()}")
    if isinstance(value, (list, tuple)):
        return flow_list(fmt, value, quote)
    if isinstance(value, dict):
        if not value:
            return "{}"
        sep = " = " if fmt == "toml" else ": "
        key = {"toml": toml_key, "yaml": yaml_key}.get(fmt, lambda k: json.dumps(k, ensure_ascii=False))
        return "{ " + ", ".join(f"{key(_str_key(k, fmt))}{sep}{scalar(fmt, v)}" for k, v in value.items()) + " }"
    raise ConversionError(f"cannot write a {type(value).__name__} value")


def flow_list(fmt: str, values: Any, quote: str | None = None) -> str:
    return "[" + ", ".join(scalar(fmt, v, quote) for v in values) + "]"


def _str_key(key: Any, fmt: str) -> str:
    if not isinstance(key, str):
        raise ConversionError(f"key {key!r} is not a string; {fmt.upper()} keys are strings")
    return key


# --------------------------------------------------------------------------- comments
@dataclass
class Comments:
    """Comment lines of a block, by the key path they belong to."""

    before: dict[Path, list[str]] = field(default_factory=dict)
    eol: dict[Path, str] = field(default_factory=dict)
    trailing: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.before or self.eol or self.trailing)

    def count(self) -> int:
        return sum(map(len, self.before.values())) + len(self.eol) + len(self.trailing)


_TOML_HEADER = re.compile(r"[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?")


def _mapping_path(path: Path) -> Path:
    while path and not isinstance(path[-1], str):
        path = path[:-1]
    return path


def key_token_end(text: str, key_start: int, key: str) -> int:
    """End of a key as written: past the closing quote of a quoted key."""
    q = text[key_start : key_start + 1]
    if q not in ("'", '"'):
        return key_start + len(key)
    i = key_start + 1
    while i < len(text) and text[i] != q and text[i] != "\n":
        i += 2 if q == '"' and text[i] == "\\" else 1
    return min(i + 1, len(text))


def collect_comments(text: str, fm: frontmatter.FrontMatter) -> Comments:
    """Full-line comments go with the next key, end-of-line comments with the value before them."""
    out = Comments()
    if fm.format == "json" or "#" not in text[fm.content_start : fm.content_end]:
        return out
    from blogtools.lines import LineIndex

    index = LineIndex(text)
    keys: dict[int, Path] = {}
    ends: dict[int, tuple[int, Path]] = {}
    for path, span in fm.positions.items():
        if isinstance(path[-1], str):
            line = index.position(span.key_start)[0]
            if line not in keys or fm.positions[keys[line]].key_start > span.key_start:
                keys[line] = path
        if span.value_end > span.value_start:
            line = index.position(span.value_end - 1)[0]
            if line not in ends or ends[line][0] < span.value_end:
                ends[line] = (span.value_end, path)
    pending: list[str] = []
    first, last = index.position(fm.content_start)[0], index.position(fm.content_end)[0]
    for line in range(first, last + (fm.content_end > index.offset(last))):
        start = index.offset(line)
        raw = text[start : index.offset(line + 1)].rstrip("\r\n")
        stripped = raw.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
            continue
        path = keys.get(line)
        rest = None
        if path is None and fm.format == "toml":
            header = _TOML_HEADER.match(raw)
            if header:
                path = frontmatter._split_key(header.group(1))
                rest = raw[header.end() :]
        if path is not None and pending:
            out.before.setdefault(_mapping_path(path), []).extend(pending)
            pending = []
        if line in ends:
            end, owner = ends[line]
            rest = raw[end - start :]
        elif path is not None and rest is None:
            span = fm.positions[path]
            owner = path
            rest = raw[key_token_end(text, span.key_start, str(path[-1])) - start :].lstrip(" \t:=")
        else:
            owner = path or ()
        rest = (rest or "").lstrip(" \t,]}")
        if rest.startswith("#") and owner:
            if isinstance(owner[-1], str):
                out.eol[owner] = rest.rstrip()
            else:
                out.before.setdefault(_mapping_path(owner), []).append(rest.rstrip())
    out.trailing = pending
    return out


class _Placer:
    """Hands out comments to the emitters and remembers which ones found a place."""

    def __init__(self, comments: Comments | None) -> None:
        self.c = comments or Comments()
        self.used: set[tuple[str, Path]] = set()

    def before(self, path: Path) -> list[str]:
        self.used.add(("b", path))
        return self.c.before.get(path, [])

    def eol(self, path: Path) -> str:
        self.used.add(("e", path))
        return self.c.eol.get(path, "")

    def leftovers(self) -> list[str]:
        lost = [line for p, lines in self.c.before.items() if ("b", p) not in self.used for line in lines]
        lost += [text for p, text in self.c.eol.items() if ("e", p) not in self.used]
        return lost + self.c.trailing


# --------------------------------------------------------------------------- TOML (tomlkit)
def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and bool(value)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_table(v) for v in value)


def _toml_text(data: dict[str, Any], comments: Comments | None) -> str:
    import tomlkit

    c = _Placer(comments)
    doc = tomlkit.document()
    _toml_fill(doc, data, (), c)
    for line in c.leftovers():
        doc.add(_toml_comment(line))
    return tomlkit.dumps(doc)


def _toml_fill(container: Any, data: dict[str, Any], path: Path, c: _Placer) -> None:
    """Plain keys first, then tables and arrays of tables (TOML cannot go back to the
    enclosing table after a header)."""
    import tomlkit
    from tomlkit.container import Container

    for key, value in data.items():
        if _is_table(value) or _is_table_array(value):
            continue
        here = path + (key,)
        for line in c.before(here):
            container.add(_toml_comment(line))
        item = _toml_value(value)
        name = _str_key(key, "toml")
        if isinstance(value, list) and len(value) > 1 \
                and len(f"{tomlkit.key(name).as_string()} = {item.as_string()}") > LINE_WIDTH:
            item.multiline(True)
        container.add(name, item)
        _toml_eol(item, c.eol(here))
    for key, value in data.items():
        here = path + (key,)
        if _is_table(value):
            node = tomlkit.table()
            _toml_fill(node, value, here, c)
            head = node
        elif _is_table_array(value):
            node = tomlkit.aot()
            for i, item in enumerate(value):
                table = tomlkit.table()
                _toml_fill(table, item, here + (i,), c)
                node.append(table)
            head = node[0]
        else:
            continue
        before = c.before(here)
        body = container.body if isinstance(container, Container) else container.value.body
        if before and body:
            container.add(tomlkit.nl())  # the blank line goes above the comment, not between it and the header
        for line in before:
            container.add(_toml_comment(line))
        container.add(_str_key(key, "toml"), node)
        if before:
            head.trivia.indent = ""
        _toml_eol(head, c.eol(here))


def _toml_value(value: Any) -> Any:
    """A tomlkit item for a value that is not a table: dicts inside arrays are inline tables."""
    import tomlkit

    if value is None:
        raise ConversionError("TOML has no null value")
    if isinstance(value, _dt.datetime):  # our RFC 3339 text: a fraction as written (.466Z, not .466000Z)
        return tomlkit.value(format_date(value))
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_toml_value(v) for v in value)
        return array
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        for key, item in value.items():
            table.append(_str_key(key, "toml"), _toml_value(item))
        return table
    if isinstance(value, (bool, int, float, str, _dt.date, _dt.time)):
        return tomlkit.item(value)
    raise ConversionError(f"cannot write a {type(value).__name__} value")


def _toml_comment(line: str) -> Any:
    import tomlkit

    item = tomlkit.comment("")
    item.trivia.comment = line  # the author's text as is (tomlkit.comment would add "# ")
    return item


def _toml_eol(item: Any, text: str) -> None:
    if text:
        item.comment(text)
        item.trivia.comment_ws = "  "


# --------------------------------------------------------------------------- YAML (ruamel.yaml)
@lru_cache(maxsize=1)
def _yaml_dumper() -> Any:
    """ruamel.yaml's round-trip dumper, set up for front matter (see the module docstring)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import Emitter
    from ruamel.yaml.representer import RoundTripRepresenter

    class FrontMatterEmitter(Emitter):
        def write_comment(self, comment: Any, pre: bool = False) -> None:
            if not pre and self.column:  # an end-of-line comment: two spaces before the "#"
                comment.start_mark.column = self.column + 2
            super().write_comment(comment, pre)

    class FrontMatterRepresenter(RoundTripRepresenter):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # a date used twice is written twice, never as &anchor / *alias

    def datetime_(rep: Any, value: _dt.datetime) -> Any:  # ruamel would write "+00:00" or move it to UTC
        return rep.represent_scalar("tag:yaml.org,2002:timestamp", format_date(value))

    def null(rep: Any, value: None) -> Any:  # ruamel writes an empty value; "null" says it
        return rep.represent_scalar("tag:yaml.org,2002:null", "null")

    FrontMatterRepresenter.add_representer(_dt.datetime, datetime_)
    FrontMatterRepresenter.add_representer(type(None), null)
    yaml = YAML(typ="rt")
    yaml.Emitter = FrontMatterEmitter
    yaml.Representer = FrontMatterRepresenter
    yaml.width = 1 << 30  # never fold a long title
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # tags:\n  - a
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [x, {a: b}], not [x, a: b]
    return yaml


def _yaml_text(data: dict[str, Any], comments: Comments | None) -> str:
    c = _Placer(comments)
    out = io.StringIO()
    if data:
        root = _yaml_map(data, (), 0, c)
        _yaml_dumper().dump(root, out)
    return out.getvalue() + "".join(line + "\n" for line in c.leftovers())


def _yaml_map(data: dict[str, Any], path: Path, indent: int, c: _Placer | None, item: bool = False) -> Any:
    """A CommentedMap whose keys start at column ``indent``; ``item``: it is a list item,
    whose first key's comments the list places above the ``-``."""
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    for n, (key, value) in enumerate(data.items()):
        here = path + (key,)
        name = _yaml_scalar(_str_key(key, "yaml"))
        node[name] = _yaml_value(value, here, indent + 2, c)
        if c is None:
            continue
        if not (item and n == 0):
            _yaml_before(node, name, c.before(here), indent)
        eol = c.eol(here)
        if eol:
            node.yaml_add_eol_comment(eol, name, column=0)
    return node


def _yaml_value(value: Any, path: Path, indent: int, c: _Placer | None) -> Any:
    """``indent``: the column of a nested mapping's keys or of a list's ``-``."""
    from ruamel.yaml.comments import CommentedSeq

    if isinstance(value, dict) and value:
        return _yaml_map(value, path, indent, c)
    if isinstance(value, list) and value:
        node = CommentedSeq()
        if c is None:  # inside a list: [a, b] on the item's line
            node.fa.set_flow_style()
        for i, item in enumerate(value):
            if isinstance(item, dict) and item and c is not None:
                node.append(_yaml_map(item, path + (i,), indent + 2, c, item=True))
                _yaml_before(node, i, c.before(path + (i, next(iter(item)))), indent)
            else:
                node.append(_yaml_value(item, path + (i,), indent + 2, None))
        return node
    if isinstance(value, (dict, list)):
        return type(value)()  # {} and []
    return _yaml_scalar(value)


def _yaml_scalar(value: Any) -> Any:
    """Strings plain only when nothing else could read them as another type or need quoting;
    double-quoted otherwise (``"true"``, ``"2020-01-01"``, ``"Aya Nishimura"``)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, str):
        return value if yaml_plain(value) else DoubleQuotedScalarString(value)
    if isinstance(value, _dt.time):
        raise ConversionError(f"a time of day ({value}) cannot be written in YAML")
    if isinstance(value, _dt.datetime):
        format_date(value)  # an offset with seconds raises here, not inside ruamel's dump
    if value is None or isinstance(value, (bool, int, float, _dt.date)):
        return value
    raise ConversionError(f"cannot write a {type(value).__name__} value")


def _yaml_before(node: Any, key: Any, lines: list[str], indent: int) -> None:
    """Full-line comments above ``key``. ruamel writes each line as ``# text``."""
    if lines:
        text = "\n".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)
        node.yaml_set_comment_before_after_key(key, before=text, indent=indent)


# --------------------------------------------------------------------------- JSON
def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {_str_key(k, "json"): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, _dt.date):
        return format_date(value)
    if isinstance(value, _dt.time):
        return value.isoformat()
    if isinstance(value, float):
        _float(value, "json")
    return value


def _json(value: Any, indent: int) -> str:
    """Indented objects; lists of plain values on one line, as people write them."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        items = [f"{pad}  {json.dumps(k, ensure_ascii=False)}: {_json(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) and v for v in value):
        return "[\n" + ",\n".join(f"{pad}  {_json(v, indent + 2)}" for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


# --------------------------------------------------------------------------- blocks
def dump(data: dict[str, Any], fmt: str, comments: Comments | None = None) -> tuple[str, int]:
    """Block content (no fences) and the number of comments that could not be kept.

    Imports tomlkit (TOML) or ruamel.yaml (YAML) on first use."""
    if fmt == "json":
        return _json(_json_ready(data), 0) + "\n", comments.count() if comments else 0
    if fmt == "yaml":
        return _yaml_text(data, comments), 0
    if fmt == "toml":
        return _toml_text(data, comments), 0
    raise ValueError(f"unknown front matter format {fmt!r}")


def render_block(data: dict[str, Any], fmt: str, comments: Comments | None = None) -> str:
    content, _ = dump(data, fmt, comments)
    if fmt == "json":
        return content
    return f"{FENCES[fmt]}\n{content}{FENCES[fmt]}\n"


# --------------------------------------------------------------------------- conversion
@dataclass
class Conversion:
    text: str  # the new block, fences included, "\n" line ends
    comments: int  # comments in the source
    dropped: int  # comments the target could not hold (JSON)


def revive_dates(data: dict[str, Any]) -> dict[str, Any]:
    """JSON → YAML/TOML: RFC 3339 strings under the date keys become dates."""
    out = {}
    for key, value in data.items():
        if isinstance(value, str) and key.lower() in DATE_KEYS:
            parsed = parse_iso(value)
            out[key] = parsed if parsed is not None else value
        else:
            out[key] = value
    return out


def convert_block(block: str, target: str) -> Conversion:
    """Convert a whole front matter block (fences included) to ``target``; verified."""
    fm = frontmatter.parse(block)
    if fm is None or fm.data is None:
        raise ConversionError("the front matter cannot be read")
    if fm.format == target:
        raise ConversionError(f"the front matter is already {target.upper()}")
    comments = collect_comments(block, fm)
    data = revive_dates(fm.data) if fm.format == "json" else fm.data
    content, dropped = dump(data, target, comments)
    text = content if target == "json" else f"{FENCES[target]}\n{content}{FENCES[target]}\n"
    if not block.endswith(("\n", "\r")):
        text = text[:-1]
    check = frontmatter.parse(text)
    loose = "json" in (fm.format, target)
    if check is None or check.data is None or not same_data(data, check.data, loose):
        raise ConversionError(f"converting to {target.upper()} would change the data")
    return Conversion(text, comments.count(), dropped)


def same_data(a: Any, b: Any, loose_dates: bool = False) -> bool:
    """Equal data with equal types (``1`` is not ``True``, a date is not a string)."""
    if loose_dates and isinstance(a, (str, _dt.date)) and isinstance(b, (str, _dt.date)):
        a, b = (format_date(x) if isinstance(x, _dt.date) else x for x in (a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k], loose_dates) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y, loose_dates) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, _dt.datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)
