"""Load the YAML of a front matter block into plain data with exact positions.

Why two loaders
---------------
The linter has to get through 10,000 posts in a few seconds. ruamel.yaml's
round-trip loader is correct and general but costs about 1.5 ms per front
matter block (and 13 ms just to import), which alone eats the time budget.
Real front matter uses a tiny part of YAML, so :func:`load_fast` is a small
hand-written loader for that part, and :func:`load_ruamel` is the general
path. :func:`load` tries the fast loader first and falls back to ruamel.

The fast subset
---------------
``load_fast`` accepts only:

* a block mapping at the root, with plain, ``'single'`` or ``"double"``
  quoted keys that load as ``str``;
* ``key: scalar`` where the scalar is a one-line plain, single-quoted
  (``''`` escape) or double-quoted (YAML escapes) scalar;
* ``key:`` followed by a more indented block mapping, or by a block
  sequence (indented or at the key's own column); sequence items are
  scalars, flow sequences, nested blocks or compact mappings
  (``- name: x``); nesting is recursive;
* one-line flow sequences of scalars: ``[a, "b", 3]``;
* comments (``#`` after whitespace) and blank lines, LF or CRLF line ends.

Plain scalars are resolved exactly like ruamel.yaml's YAML 1.2 resolver
(the regular expressions below are ruamel's): null, bool, int, float,
timestamp, otherwise ``str``. Anything else (anchors, aliases, tags, block
scalars, multi-line scalars, flow mappings, ``?`` keys, tabs, document
markers, directives, merge keys, non-``str`` keys, odd characters...) makes
``load_fast`` return ``None``; so does anything it is unsure about, since a
wrong answer is worse than a slower one. The test suite checks that both
loaders give identical data and positions wherever the fast one answers.

Plain form
----------
``Loaded.data`` holds ``dict`` (insertion ordered), ``list``, ``str``,
``int``, ``float``, ``bool``, ``None``, ``datetime.date`` and
``datetime.datetime``; aware date-times carry the written offset as a fixed
``datetime.timezone`` (``Z`` gives ``timezone.utc``). An empty block loads
as ``{}``; a root that is not a mapping is returned as is (ruamel path only).

``Loaded.positions`` maps a path (mapping keys, list indexes) to a
``Span`` tuple ``(key_line, key_col, value_line, value_col, value_end_line,
value_end_col)``; all 0-based and relative to the text. For list items the key
position repeats the value start. The value span covers a scalar as written
(quotes included, trailing spaces and comments excluded), a flow sequence
with its brackets, and a block collection from the start of its first item
to the end of its last item's value.
``Loaded.duplicates`` lists ``(path, line, column)`` for every repeated key;
as in ruamel with ``allow_duplicate_keys``, the first value is kept.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import sys
import warnings
from collections.abc import Set
from typing import Any, Callable

from blogtools.record import dataclass, field

__all__ = [
    "MAX_NODES",
    "Loaded",
    "Path",
    "Span",
    "YamlError",
    "load",
    "load_fast",
    "load_ruamel",
]

MAX_NODES = 100_000
"""Most nodes the ruamel path converts before refusing (alias bombs)."""

Path = tuple[Any, ...]
Mark = tuple[int, int]


Span = tuple[int, int, int, int, int, int]
"""(key_line, key_col, value_line, value_col, value_end_line, value_end_col).

A plain tuple rather than a NamedTuple: building one per entry is measurably
cheaper, and this module exists to be fast.
"""


class YamlError(ValueError):
    """The front matter is not valid YAML (or is too expensive to load)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (line {self.line + 1}, column {self.column + 1})"


@dataclass(slots=True)
class Loaded:
    """Plain data of a front matter block, with positions and duplicate keys."""

    data: Any
    positions: dict[Path, Span] = field(default_factory=dict)
    duplicates: list[tuple[Path, int, int]] = field(default_factory=list)


def load(text: str) -> Loaded:
    """Load front matter YAML: fast path when possible, ruamel otherwise.

    The fast path only ever answers for text it fully understands; should it stumble on an
    input it did not foresee, ruamel decides (and reports the syntax error properly).
    """
    try:
        loaded = load_fast(text)
    except (IndexError, ValueError, KeyError):
        loaded = None
    return loaded if loaded is not None else load_ruamel(text)


class _LazyPattern:
    """A regular expression compiled on first use.

    The fast path's dozen patterns take a few milliseconds to compile; doing
    it on first use keeps ``import blogtools.yamlload`` nearly free. After the
    first call the bound methods sit in slots, so matching costs the same as
    with a plain compiled pattern.
    """

    __slots__ = ("pattern", "flags", "match", "search", "sub")
    match: Callable[..., re.Match[str] | None]
    search: Callable[..., re.Match[str] | None]
    sub: Callable[..., str]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> Any:  # only called while uncompiled
        compiled = re.compile(self.pattern, self.flags)
        self.match, self.search, self.sub = compiled.match, compiled.search, compiled.sub
        return getattr(compiled, name)


# ---------------------------------------------------------------------------
# Scalar resolution, mirroring ruamel.yaml (resolver.py, constructor.py, util.py)
# ---------------------------------------------------------------------------

_BOOLS = {"true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}
_NULLS = frozenset(("~", "null", "Null", "NULL", ""))
_FLOAT_RE = _LazyPattern(r"""^(?:
     [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
_INT_RE = _LazyPattern(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""", re.X)
_TIMESTAMP_RE = _LazyPattern(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X)
_TIMESTAMP_PARTS_RE = _LazyPattern(r"""^(?P<year>[0-9][0-9][0-9][0-9])
    -(?P<month>[0-9][0-9]?)
    -(?P<day>[0-9][0-9]?)
    (?:((?P<t>[Tt])|[ \t]+)
    (?P<hour>[0-9][0-9]?)
    :(?P<minute>[0-9][0-9])
    :(?P<second>[0-9][0-9])
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9][0-9]?)
    (?::(?P<tz_minute>[0-9][0-9]))?))?)?$""", re.X)
_INF = float("inf")
_NAN = -_INF / _INF  # the same quiet NaN ruamel builds
_NUMBER_START = frozenset("-+0123456789.")
_DIGITS = frozenset("0123456789")


class _Unsupported(Exception):
    """Raised inside the fast loader when the text leaves the subset."""


def _resolve_plain(text: str) -> Any:
    """Value of a plain scalar under ruamel's YAML 1.2 implicit resolvers."""
    if not text:
        return None
    first = text[0]
    if first in "tTfF":
        value = _BOOLS.get(text)
        return text if value is None else value
    if first in "~nN":
        return None if text in _NULLS else text
    if first in _NUMBER_START:
        return _resolve_number(text)
    if first in "<=" and text in ("<<", "="):
        raise _Unsupported  # merge key / value tag
    return text


def _resolve_number(text: str) -> Any:
    if text[4:5] == "-":  # cannot be a float or an int: try the timestamp first
        if _TIMESTAMP_RE.match(text):
            return _to_timestamp(text)
        return text
    if _FLOAT_RE.match(text):
        return _to_float(text)
    if _INT_RE.match(text):
        return _to_int(text)
    if text[0] in _DIGITS and _TIMESTAMP_RE.match(text):
        return _to_timestamp(text)
    return text


def _to_int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits[:2] == "0b":
        return sign * int(digits[2:], 2)
    if digits[:2] == "0x":
        return sign * int(digits[2:], 16)
    if digits[:2] == "0o":
        return sign * int(digits[2:], 8)
    return sign * int(digits)


def _to_float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1 if digits[0] == "-" else 1
    if digits[0] in "+-":
        digits = digits[1:]
    if digits == ".inf":
        return sign * _INF
    if digits == ".nan":
        return _NAN
    return sign * float(digits)


def _to_timestamp(text: str) -> _dt.date:
    """Mirror of ruamel's create_timestamp, with the offset kept as written."""
    match = _TIMESTAMP_PARTS_RE.match(text)
    if match is None:
        raise _Unsupported
    year, month, day, _, _, hour, minute, second, fraction, tz, sign, tz_hour, tz_minute = (
        match.groups())
    if hour is None:
        return _dt.date(int(year), int(month), int(day))
    micro, carry = _fraction(fraction)
    tzinfo = _zone(tz, sign, tz_hour, tz_minute) if tz else None
    value = _dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                         int(second), micro, tzinfo)
    return value + _dt.timedelta(seconds=carry) if carry else value


def _fraction(fraction: str | None) -> tuple[int, int]:
    """Microseconds and carried seconds, rounded as ruamel's create_timestamp."""
    if not fraction:
        return 0, 0
    micro = int(fraction[:6].ljust(6, "0"))
    if len(fraction) > 6 and int(fraction[6]) > 4:
        micro += 1
    return (0, 1) if micro > 999_999 else (micro, 0)


@functools.lru_cache(maxsize=64)
def _zone(tz: str, sign: str | None, hours: str | None, minutes: str | None) -> _dt.timezone:
    """Fixed zone for a written offset ("Z", "+09:00", "-5", ...)."""
    if not sign:
        return _dt.timezone.utc
    offset = _dt.timedelta(hours=int(hours or 0), minutes=int(minutes) if minutes else 0)
    return _dt.timezone(-offset if sign == "-" else offset)


# ---------------------------------------------------------------------------
# The fast loader
# ---------------------------------------------------------------------------

# Characters the fast loader refuses anywhere: controls (tab included), C1
# controls and NEL, the Unicode line/paragraph separators, lone surrogates, the
# BOM and non-characters. (Listing these rather than negating the allowed set
# keeps the compile cheap: a negated class costs ~5 ms at import.)
_UNUSUAL_RE = _LazyPattern(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY_RE = _LazyPattern(r"""
    (?: "(?P<dq>(?:[^"\\]|\\.)*)"
      | '(?P<sq>(?:[^']|'')*)'
      | (?P<plain>[^\s\-?:,\[\]{}#&*!|>'"%@`][^:#]*?)
    ) \ * (?P<colon>:) (?:\ +|$)""", re.X)
_DQ_RE = _LazyPattern(r'"((?:[^"\\]|\\.)*)"')
_SQ_RE = _LazyPattern(r"'((?:[^']|'')*)'")
_ESCAPE_RE = _LazyPattern(r"""\\(?:
    (?P<char>[0abtnvfre "/\\N_LP])
    |x(?P<x>[0-9A-Fa-f]{2})|u(?P<u>[0-9A-Fa-f]{4})|U(?P<U>[0-9A-Fa-f]{8})
    |(?P<bad>.))""", re.X)
_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n",
            "v": "\x0b", "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ",
            '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}
_BAD_PLAIN_START = frozenset("?:,[]{}#&*!|>'\"%@`")
_FLOW_PLAIN_STOP = frozenset(",]")
_FLOW_PLAIN_BAD = frozenset("[]{}#:?")
_MAX_KEY = 1000  # ruamel drops a simple key whose ":" is over 1024 characters away
_SPECIAL_START = frozenset("tTfFnN~-+0123456789.<=")  # plain scalars that may not be str

# One-line forms that make up most front matter, matched by a single regex: a
# plain or quoted key (quoted without escapes), then a plain or quoted value or
# nothing (a nested block or null follows). A plain value stops before " #",
# may not contain ": " or end in ":". Groups: 1-3 key, 4-6 value, 7 blank.
def _simple_patterns(possessive: bool) -> tuple[_LazyPattern, _LazyPattern]:
    """``(entry, item)`` patterns; possessive runs (Python 3.11+) take fewer steps.

    Without them each step eats one character, which keeps the patterns
    linear (no nested quantifiers to backtrack through) but slower.
    """
    chars, spaces, star = ("++", r"\ ++", "*+") if possessive else ("", r"\ +", "*")
    first = r"""[^\s\-?:,\[\]{}#&*!|>'"%@`]"""
    plain = (rf"""(?:{first}|-(?=[^ ]))"""
             rf"""(?:[^ :]{chars}|:(?=[^ ])|{spaces}(?=[^ \#])){star}""")
    value = (rf"""(?:(?P<plain>{plain})|"(?P<dq>[^"\\]*)"|'(?P<sq>[^']*)')"""
             r"""\ *(?:(?<=\ )\#.*)?$""")
    key = (rf"""(?:(?P<pkey>{first}(?:[^:\# ]{chars}|{spaces}(?=[^:\# ])){star})"""
           r"""|"(?P<dkey>[^"\\]*)"|'(?P<skey>[^']*)')""")
    entry = key + r"""\ *:(?:\ +""" + value + r"""|(?P<blank>(?:\ +\#.*)?\ *)$)"""
    return _LazyPattern(entry, re.X), _LazyPattern(r"""-\ +""" + value, re.X)


_SIMPLE_ENTRY_RE, _SIMPLE_ITEM_RE = _simple_patterns(sys.version_info >= (3, 11))
_FLOW_ITEM_RE = _LazyPattern(  # groups: 1-3 value, then the "," or "]" after it
    r"""(?:(?P<plain>(?:[^\s\-?:,\[\]{}#&*!|>'"%@`]|-(?=[^ ,\]]))[^,\[\]{}\#:?]*?)"""
    r"""|"(?P<dq>[^"\\]*)"|'(?P<sq>[^']*)')\ *[,\]]""", re.X)


def load_fast(text: str) -> Loaded | None:
    """Load the common front matter subset quickly; ``None`` if outside it."""
    try:
        return _FastParser(text).parse()
    except (_Unsupported, ValueError, OverflowError, RecursionError):
        return None


def _unescape(match: re.Match[str]) -> str:
    groups = match.groupdict()
    if groups["char"] is not None:
        return _ESCAPES[groups["char"]]
    code = groups["x"] or groups["u"] or groups["U"]
    if code is None:
        raise _Unsupported
    return chr(int(code, 16))


def _quoted(rest: str, start: int) -> tuple[str, int]:
    """Decode the quoted scalar at ``rest[start]``; return it and its end."""
    if rest[start] == '"':
        match = _DQ_RE.match(rest, start)
        if match is None:
            raise _Unsupported  # unterminated on this line
        raw = match.group(1)
        value = _ESCAPE_RE.sub(_unescape, raw) if "\\" in raw else raw
    else:
        match = _SQ_RE.match(rest, start)
        if match is None:
            raise _Unsupported
        value = match.group(1).replace("''", "'")
    return value, match.end()


def _check_tail(rest: str, end: int) -> None:
    """After a quoted scalar or flow sequence only a comment may follow."""
    tail = rest[end:]
    stripped = tail.lstrip(" ")
    if stripped and (stripped[0] != "#" or len(stripped) == len(tail)):
        raise _Unsupported


def _is_entry(content: str) -> bool:
    return content[0] == "-" and (len(content) == 1 or content[1] == " ")


class _FastParser:
    """Recursive descent over the non-blank, non-comment lines of the text."""

    __slots__ = ("items", "pos", "eof", "positions", "duplicates")

    def __init__(self, text: str) -> None:
        if _UNUSUAL_RE.search(text):
            raise _Unsupported
        if "\r" in text:
            if text.count("\r") != text.count("\r\n"):
                raise _Unsupported  # lone CR line breaks
            text = text.replace("\r\n", "\n")  # columns do not change
        lines = text.split("\n")
        self.items = _content_lines(text, lines)
        self.pos = 0
        last = lines[-1]
        self.eof: Mark = (len(lines) - 1, len(last))
        self.positions: dict[Path, Span] = {}
        self.duplicates: list[tuple[Path, int, int]] = []

    def parse(self) -> Loaded:
        if not self.items:
            return Loaded({}, {}, [])
        first = self.items[0]
        if _is_entry(first[2]):
            raise _Unsupported  # root sequence
        data = self.mapping(first[1], ())[0]
        if self.pos != len(self.items):
            raise _Unsupported
        self.duplicates.sort(key=lambda dup: (dup[1], dup[2]))
        return Loaded(data, self.positions, self.duplicates)

    def next_mark(self) -> Mark:
        """Start of the next token: the next content line, or end of text."""
        if self.pos < len(self.items):
            line, indent, _ = self.items[self.pos]
            return line, indent
        return self.eof

    # -- block collections --------------------------------------------------

    def mapping(self, indent: int, path: Path) -> tuple[dict[str, Any], Mark, Mark]:
        items, positions = self.items, self.positions
        data: dict[str, Any] = {}
        start = (items[self.pos][0], indent)
        end = start
        while self.pos < len(items):
            line, col, content = items[self.pos]
            if col != indent:
                if col < indent:
                    break
                raise _Unsupported
            match = _SIMPLE_ENTRY_RE.match(content)
            if match is None:
                end = self.entry(data, line, col, content, path)
                continue
            groups = match.groups()
            key = _simple_key(content, groups)
            if key is None or key in data:
                end = self.entry(data, line, col, content, path)
                continue
            self.pos += 1
            blank = groups[6]
            if blank is None:
                value, value_start, value_end = _simple_value(match, groups, 3)
                vstart, end = (line, col + value_start), (line, col + value_end)
            else:
                value, vstart, end = self.block_value(
                    line, col, col + match.start(7), "#" in blank, path + (key,))
            positions[path + (key,)] = (line, col, *vstart, *end)
            data[key] = value
        return data, start, end

    def entry(self, data: dict[str, Any], line: int, col: int, content: str,
              path: Path) -> Mark:
        """Parse one ``key: value`` line (and its nested block); return value end."""
        match = _KEY_RE.match(content)
        if match is None:
            raise _Unsupported
        key = _key_text(match)
        key_path = path + (key,)
        duplicate = key in data
        if duplicate:
            self.duplicates.append((key_path, line, col))
            saved = self.positions, self.duplicates
            self.positions, self.duplicates = {}, []
        value, start, end = self.entry_value(content, match, line, col, key_path)
        if duplicate:
            self.positions, self.duplicates = saved
        else:
            data[key] = value
            self.positions[key_path] = (line, col, *start, *end)
        return end

    def entry_value(self, content: str, match: re.Match[str], line: int, col: int,
                    path: Path) -> tuple[Any, Mark, Mark]:
        rest_start = match.end()
        self.pos += 1
        if rest_start < len(content) and content[rest_start] != "#":
            return self.inline(content, rest_start, line, col, path)
        return self.block_value(line, col, col + match.end("colon"),
                                rest_start < len(content), path)

    def block_value(self, line: int, col: int, colon_end: int, comment: bool,
                    path: Path) -> tuple[Any, Mark, Mark]:
        """Value of a ``key:`` line without inline value: nested block or null."""
        nested = self.nested(col, path, indentless=True)
        if nested is not None:
            return nested
        mark = self.next_mark()
        if comment and mark[1] == col and self.pos < len(self.items):
            # ruamel quirk: an empty value sits at the end of the ":" when the
            # key line has a comment and the next key follows; otherwise at
            # the start of the next token.
            mark = (line, colon_end)
        return None, mark, mark

    def nested(self, indent: int, path: Path,
               indentless: bool) -> tuple[Any, Mark, Mark] | None:
        """The block collection below a ``key:`` / ``-`` line, if any."""
        if self.pos >= len(self.items):
            return None
        _, col, content = self.items[self.pos]
        if _is_entry(content):
            if col > indent or (indentless and col == indent):
                return self.sequence(col, path)
            return None
        if col > indent:
            return self.mapping(col, path)
        return None

    def sequence(self, indent: int, path: Path) -> tuple[list[Any], Mark, Mark]:
        items, positions = self.items, self.positions
        data: list[Any] = []
        start = (items[self.pos][0], indent)
        end = start
        while self.pos < len(items):
            line, col, content = items[self.pos]
            if col < indent or (col == indent and not _is_entry(content)):
                break
            if col > indent:
                raise _Unsupported
            match = _SIMPLE_ITEM_RE.match(content)
            if match is not None:
                value, value_start, value_end = _simple_value(match, match.groups(), 0)
                self.pos += 1
                vstart, end = (line, col + value_start), (line, col + value_end)
            else:
                value, vstart, end = self.item(line, col, content, path + (len(data),))
            positions[path + (len(data),)] = (*vstart, *vstart, *end)
            data.append(value)
        return data, start, end

    def item(self, line: int, col: int, content: str,
             path: Path) -> tuple[Any, Mark, Mark]:
        rest = content[1:].lstrip(" ")
        value_col = col + len(content) - len(rest)
        if not rest or rest[0] == "#":
            self.pos += 1
            nested = self.nested(col, path, indentless=False)
            if nested is not None:
                return nested
            return None, (line, col + 1), (line, col + 1)
        if _is_entry(rest):
            raise _Unsupported  # "- - x"
        if _KEY_RE.match(rest):  # compact mapping: "- name: x"
            self.items[self.pos] = (line, value_col, rest)
            return self.mapping(value_col, path)
        self.pos += 1
        return self.inline(rest, 0, line, value_col, path)

    # -- one-line values ----------------------------------------------------

    def inline(self, rest: str, start: int, line: int, col: int,
               path: Path) -> tuple[Any, Mark, Mark]:
        """The scalar or flow sequence at ``rest[start:]`` (``col`` is rest's column)."""
        first = rest[start]
        if first == '"' or first == "'":
            value, end = _quoted(rest, start)
            _check_tail(rest, end)
        elif first == "[":
            value, end = self.flow_sequence(rest, start, line, col, path)
            _check_tail(rest, end)
        else:
            value, end = _block_plain(rest, start)
        return value, (line, col + start), (line, col + end)

    def flow_sequence(self, rest: str, start: int, line: int, col: int,
                      path: Path) -> tuple[list[Any], int]:
        data: list[Any] = []
        positions = self.positions
        index = _skip_spaces(rest, start + 1)
        if rest[index:index + 1] == "]":
            return data, index + 1
        while True:
            match = _FLOW_ITEM_RE.match(rest, index)
            if match is not None:  # a simple item and its separator
                value, value_start, value_end = _simple_value(match, match.groups(), 0)
                index = match.end()
            else:
                value, value_end = _flow_item(rest, index)
                value_start = index
                index = _skip_spaces(rest, value_end) + 1
                if index > len(rest) or rest[index - 1] not in ",]":
                    raise _Unsupported  # continues on the next line, or junk
            positions[path + (len(data),)] = (line, col + value_start, line, col + value_start,
                                              line, col + value_end)
            data.append(value)
            if rest[index - 1] == "]":
                return data, index
            index = _skip_spaces(rest, index)
            if index >= len(rest) or rest[index] in ",]":
                raise _Unsupported  # empty entry or trailing comma


def _content_lines(text: str, lines: list[str]) -> list[tuple[int, int, str]]:
    """``(line, indent, content)`` for lines that are neither blank nor comments."""
    items = [(number, len(raw) - len(content), content)
             for number, raw in enumerate(lines)
             if (content := raw.lstrip(" ")) and content[0] != "#"]
    if "---" in text or "..." in text:
        for _, indent, content in items:
            if indent == 0 and content[:3] in ("---", "...") and content[3:4] in ("", " "):
                raise _Unsupported  # document marker
    return items


def _simple_key(content: str, groups: tuple[str | None, ...]) -> str | None:
    """The key of a ``_SIMPLE_ENTRY_RE`` match; None if it needs the general path."""
    plain, dq, sq = groups[0], groups[1], groups[2]
    key = plain if plain is not None else dq if dq is not None else sq
    if key is None or (plain is not None and key[0] in _SPECIAL_START):
        return None
    return None if len(content) > _MAX_KEY else key  # long lines: see _key_text


def _simple_value(match: re.Match[str], groups: tuple[str | None, ...],
                  index: int) -> tuple[Any, int, int]:
    """Value and span of the plain/dq/sq groups at ``groups[index:index + 3]``."""
    plain = groups[index]
    if plain is not None:
        start, end = match.span(index + 1)
        return (_resolve_plain(plain) if plain[0] in _SPECIAL_START else plain), start, end
    if groups[index + 1] is None:
        index += 1
    start, end = match.span(index + 2)
    return groups[index + 1], start - 1, end + 1


def _key_text(match: re.Match[str]) -> str:
    if match.start("colon") > _MAX_KEY:
        raise _Unsupported
    plain = match.group("plain")
    if plain is not None:
        key = _resolve_plain(plain)
        if type(key) is not str:
            raise _Unsupported  # ruamel would load a non-str key
        return key
    dq = match.group("dq")
    if dq is not None:
        return _ESCAPE_RE.sub(_unescape, dq) if "\\" in dq else dq
    return match.group("sq").replace("''", "'")


def _skip_spaces(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


def _block_plain(rest: str, start: int) -> tuple[Any, int]:
    """A one-line plain scalar in block context; return its value and end."""
    first = rest[start]
    if first in _BAD_PLAIN_START or (first == "-" and rest[start + 1:start + 2] in ("", " ")):
        raise _Unsupported
    comment = rest.find(" #", start)
    body = rest[start:comment] if comment >= 0 else rest[start:]
    body = body.rstrip(" ")
    if ": " in body or body[-1] == ":":
        raise _Unsupported  # a nested mapping on one line: invalid YAML
    return _resolve_plain(body), start + len(body)


def _flow_item(rest: str, start: int) -> tuple[Any, int]:
    """A scalar inside a one-line flow sequence; return its value and end."""
    first = rest[start]
    if first == '"' or first == "'":
        return _quoted(rest, start)
    after = rest[start + 1:start + 2]
    if first in _BAD_PLAIN_START or (first == "-" and after in ("", " ", ",", "]")):
        raise _Unsupported
    end = start
    while end < len(rest) and rest[end] not in _FLOW_PLAIN_STOP:
        if rest[end] in _FLOW_PLAIN_BAD:
            raise _Unsupported
        end += 1
    body = rest[start:end].rstrip(" ")
    return _resolve_plain(body), start + len(body)


# ---------------------------------------------------------------------------
# The ruamel.yaml path
# ---------------------------------------------------------------------------

_constructor_class: Any = None


def load_ruamel(text: str) -> Loaded:
    """Load any YAML with ruamel's round-trip loader (no Python objects built)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True
    yaml.Constructor = _recording_constructor()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. ReusedAnchorWarning on stderr
            data = yaml.load(text)
    except Exception as exc:  # ruamel raises many kinds; all mean "bad YAML"
        raise _yaml_error(exc, text) from exc
    converter = _Converter(yaml.constructor)
    try:
        if _expanded_size(data, {}, set()) > MAX_NODES:
            raise YamlError(f"front matter expands to more than {MAX_NODES} nodes")
        plain = converter.convert(data, ())
    except RecursionError as exc:
        raise _yaml_error(exc, text) from None
    converter.duplicates.sort(key=lambda dup: (dup[1], dup[2]))
    return Loaded({} if plain is None else plain, converter.positions,
                  converter.duplicates)


def _recording_constructor() -> Any:
    """A RoundTripConstructor that remembers the nodes behind each collection."""
    global _constructor_class
    if _constructor_class is not None:
        return _constructor_class
    from ruamel.yaml.constructor import RoundTripConstructor

    class RecordingConstructor(RoundTripConstructor):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # id(collection) -> (collection, node, {key: key_node}, [(key, key_node)])
            self.mappings: dict[int, tuple[Any, Any, dict[Any, Any], list[Any]]] = {}
            self.sequences: dict[int, tuple[Any, Any]] = {}

        def construct_mapping(self, node: Any, maptyp: Any, deep: bool = False) -> Any:
            self.mappings[id(maptyp)] = (maptyp, node, {}, [])
            return super().construct_mapping(node, maptyp, deep=deep)

        def check_mapping_key(self, node: Any, key_node: Any, mapping: Any,
                              key: Any, value: Any) -> bool:
            unique = bool(super().check_mapping_key(node, key_node, mapping, key, value))
            record = self.mappings.get(id(mapping))
            if record is not None:
                if unique:
                    record[2][key] = key_node
                else:
                    record[3].append((key, key_node))
            return unique

        def construct_rt_sequence(self, node: Any, seqtyp: Any, deep: bool = False) -> Any:
            self.sequences[id(seqtyp)] = (seqtyp, node)
            return super().construct_rt_sequence(node, seqtyp, deep=deep)

    _constructor_class = RecordingConstructor
    return RecordingConstructor


def _expanded_size(obj: Any, memo: dict[int, int], active: set[int]) -> int:
    """Node count once aliases are expanded, computed on the shared object graph.

    Aliased collections are the same Python object, so memoising by identity
    keeps this linear in the document even for a "billion laughs".
    """
    if isinstance(obj, dict):
        children: Any = obj.values()
    elif isinstance(obj, list):
        children = list.__iter__(obj)
    else:
        return 1
    key = id(obj)
    if key in memo:
        return memo[key]
    if key in active:
        return 1  # a recursive alias; the converter refuses it
    active.add(key)
    total = 1 + sum(_expanded_size(child, memo, active) for child in children)
    active.discard(key)
    memo[key] = total
    return total


DEEP_LEVELS = 100


def _deep_line(text: str) -> tuple[int, int]:
    """(0-based line, column) where block indentation first nests deeper than
    :data:`DEEP_LEVELS` levels (``- `` markers count as a level each); (0, 0) if nowhere."""
    stack: list[int] = []
    for number, line in enumerate(text.split("\n")):
        body = line.lstrip(" ")
        if not body.strip() or body.startswith("#"):
            continue
        indent = len(line) - len(body)
        while stack and stack[-1] >= indent:
            stack.pop()
        stack.append(indent)
        while body.startswith("- ") or body == "-":  # "- - - x": a sequence per marker
            indent += 2
            body = body[2:].lstrip(" ")
            stack.append(indent)
        if len(stack) > DEEP_LEVELS:
            return number, len(line) - len(line.lstrip(" "))
    return 0, 0


def _yaml_error(exc: Exception, text: str) -> YamlError:
    if isinstance(exc, RecursionError):
        line, column = _deep_line(text)
        return YamlError(f"front matter nested more than {DEEP_LEVELS} levels deep (lists or mappings inside"
                         " each other): not read", line, column)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    message = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    message = (str(message).strip().splitlines() or [type(exc).__name__])[0]
    if mark is not None:
        return YamlError(message, mark.line, mark.column)
    position = getattr(exc, "position", None)
    if isinstance(position, int):  # ReaderError: offset in the text
        before = text[:position]
        return YamlError(message, before.count("\n"), position - before.rfind("\n") - 1)
    return YamlError(message)


def _node_end(node: Any) -> Mark:
    """End of a node; for block collections the end of the last item's value."""
    seen: set[int] = set()
    while getattr(node, "flow_style", True) is False and node.value and id(node) not in seen:
        seen.add(id(node))  # recursive aliases make the node graph cyclic
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.line, node.end_mark.column


class _Converter:
    """ruamel round-trip objects -> plain data, positions and duplicates."""

    def __init__(self, constructor: Any) -> None:
        self.mappings = constructor.mappings
        self.sequences = constructor.sequences
        self.positions: dict[Path, Span] = {}
        self.duplicates: list[tuple[Path, int, int]] = []
        self.count = 0
        self.active: set[int] = set()

    def tick(self) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(f"front matter expands to more than {MAX_NODES} nodes")

    def convert(self, obj: Any, path: Path) -> Any:
        self.tick()
        if isinstance(obj, dict):
            return self.enter(obj, path, self.convert_mapping)
        if isinstance(obj, (list, tuple)):
            return self.enter(obj, path, self.convert_sequence)
        if isinstance(obj, Set):  # !!set
            return {_plain_key(item) for item in obj}
        return _plain_scalar(obj)

    def enter(self, obj: Any, path: Path, method: Any) -> Any:
        if id(obj) in self.active:
            raise YamlError("front matter contains a recursive alias")
        self.active.add(id(obj))
        try:
            return method(obj, path)
        finally:
            self.active.discard(id(obj))

    def convert_mapping(self, obj: Any, path: Path) -> dict[Any, Any]:
        record = self.mappings.get(id(obj))
        value_nodes = {} if record is None else {id(k): v for k, v in record[1].value}
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            plain_key = _plain_key(key)
            out[plain_key] = self.convert(value, path + (plain_key,))
            if record is not None:
                self.mapping_span(obj, record, value_nodes, key, path + (plain_key,))
        if record is not None:
            for key, key_node in record[3]:
                mark = key_node.start_mark
                self.duplicates.append((path + (_plain_key(key),), mark.line, mark.column))
        return out

    def mapping_span(self, obj: Any, record: Any, value_nodes: dict[int, Any],
                     key: Any, path: Path) -> None:
        key_node = record[2].get(key)
        line_cols = getattr(getattr(obj, "lc", None), "data", None)
        line_col = line_cols.get(key) if isinstance(line_cols, dict) else None
        value_node = None if key_node is None else value_nodes.get(id(key_node))
        if line_col is None or value_node is None:
            return  # e.g. a key merged in with "<<"
        self.positions[path] = (*line_col[:4], *_node_end(value_node))

    def convert_sequence(self, obj: Any, path: Path) -> list[Any]:
        record = self.sequences.get(id(obj))
        line_cols = getattr(getattr(obj, "lc", None), "data", None)
        if record is None or not isinstance(line_cols, dict):
            line_cols = {}
        nodes = record[1].value if record is not None else []
        out = []
        items = list.__iter__(obj) if isinstance(obj, list) else iter(obj)
        for index, value in enumerate(items):
            out.append(self.convert(value, path + (index,)))
            line_col = line_cols.get(index)
            if line_col is not None and index < len(nodes):
                line, col = line_col[:2]
                self.positions[path + (index,)] = (line, col, line, col, *_node_end(nodes[index]))
        return out


def _plain_key(key: Any) -> Any:
    if isinstance(key, tuple):  # CommentedKeySeq
        return tuple(_plain_key(item) for item in key)
    if isinstance(key, dict):  # CommentedKeyMap
        return tuple((_plain_key(k), _plain_key(v)) for k, v in key.items())
    return _plain_scalar(key)


def _plain_scalar(obj: Any) -> Any:
    """Strip ruamel's scalar subclasses (ScalarInt, TimeStamp, ...)."""
    kind = type(obj)
    if kind in (str, int, float, bool, type(None), _dt.date):
        return obj
    if isinstance(obj, _dt.datetime):
        return _plain_datetime(obj)
    if isinstance(obj, _dt.date):
        return _dt.date(obj.year, obj.month, obj.day)
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, bool) or type(obj).__name__ == "ScalarBoolean":
        return bool(obj)
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if hasattr(obj, "value") and type(obj).__name__ == "TaggedScalar":
        return _plain_scalar(obj.value)
    return obj


def _plain_datetime(value: _dt.datetime) -> _dt.datetime:
    """A plain datetime carrying the offset as written (see module docstring)."""
    offset = value.utcoffset()
    extra = getattr(value, "_yaml", None)
    if offset is None and extra and extra.get("tz"):
        # older ruamel: naive UTC value, written offset kept in _yaml["delta"]
        offset = extra.get("delta") or _dt.timedelta(0)
        value = value + offset
    tzinfo = None if offset is None else _dt.timezone(offset)
    return _dt.datetime(value.year, value.month, value.day, value.hour,
                        value.minute, value.second, value.microsecond, tzinfo)
