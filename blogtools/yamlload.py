"""Load the YAML of a front matter block into plain data with exact positions.

How
---
libyaml (PyYAML's C parser and composer, ``yaml.CParser``) builds the node tree; every
node carries its start and end marks. Plain scalars are then resolved here with the YAML
1.2 core schema, the way Hugo reads YAML: ``yes``/``no``/``on``/``off`` stay strings,
``0o17`` is octal, ``~`` and ``null`` are null (the patterns are ruamel.yaml's 1.2 ones,
so the values are what the previous loader, ruamel's round-trip loader, gave). PyYAML's
own resolver is YAML 1.1 and is never used. Without libyaml (``yaml.__with_libyaml__``
false) PyYAML's pure-Python parser builds the same tree, more slowly.

Plain form
----------
``Loaded.data`` holds ``dict`` (insertion ordered), ``list``, ``str``, ``int``,
``float``, ``bool``, ``None``, ``datetime.date`` and ``datetime.datetime``; aware
date-times carry the written offset as a fixed ``datetime.timezone`` (``Z`` gives
``timezone.utc``). An empty block loads as ``{}``; a root that is not a mapping is
returned as is. Rare explicit tags give ``set`` (``!!set``), ``bytes`` (``!!binary``);
a key written as a collection becomes a tuple (of pairs, for a mapping); an unknown tag
(``!foo``, ``!!python/...``) is ignored: nothing but plain data is ever built.

``Loaded.positions`` maps a path (mapping keys, list indexes) to a ``Span`` tuple
``(key_line, key_col, value_line, value_col, value_end_line, value_end_col)``; all
0-based and relative to the text. For list items the key position repeats the value
start. The value span covers a scalar as written (quotes included, trailing spaces and
comments excluded), a flow collection with its brackets, and a block collection from the
start of its first item to the end of its last item's value. An empty value sits just
after its ``:`` (or ``-``), where libyaml puts it. Keys merged in with ``<<`` have no
position of their own.
``Loaded.duplicates`` lists ``(path, line, column)`` for every repeated key (sorted by
position); the first value is kept and the repeated one is not read further.

Where libyaml is YAML 1.1
-------------------------
libyaml's scanner follows YAML 1.1 in two places that YAML 1.2 (and Hugo) read: inside
``[...]``/``{...}`` a plain scalar may not start or end with ``:`` (``[a, :x]``,
``[x:, y]``), and ``- : x`` (an empty key after a dash) is refused. Both are a
:class:`YamlError` here; none of the 6,446 YAML front matter blocks of the development
corpora has one. Hugo reads ``017`` as octal 15 (as YAML 1.1 does); the 1.2 core schema,
here, reads 17.

Limits
------
Front matter nested more than :data:`DEEP_LEVELS` collections deep is a
:class:`YamlError` at the collection that goes too deep; so is one whose aliases expand
to more than :data:`MAX_NODES` nodes ("billion laughs"). A recursive alias (an anchored
collection that contains itself) reads as null inside itself.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import functools
import re
from typing import Any, Callable

from blogtools.record import dataclass, field

__all__ = ["DEEP_LEVELS", "MAX_NODES", "Loaded", "Path", "Span", "YamlError", "load"]

MAX_NODES = 100_000
"""Most nodes a block may expand to through its aliases before it is refused."""

DEEP_LEVELS = 100
"""Most collections nested inside the root collection."""

Path = tuple[Any, ...]

Span = tuple[int, int, int, int, int, int]
"""(key_line, key_col, value_line, value_col, value_end_line, value_end_col).

A plain tuple rather than a NamedTuple: one is built per key of every post.
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


class _LazyPattern:
    """A regular expression compiled on first use (``import blogtools.yamlload`` stays free)."""

    __slots__ = ("pattern", "flags", "match", "sub")
    match: Callable[..., re.Match[str] | None]
    sub: Callable[..., str]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str) -> Any:  # only called while uncompiled
        compiled = re.compile(self.pattern, self.flags)
        self.match, self.sub = compiled.match, compiled.sub
        return getattr(compiled, name)


# ---------------------------------------------------------------------------
# The YAML 1.2 core resolver (ruamel.yaml's patterns: resolver.py, constructor.py)
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
_SPECIAL_START = frozenset("tTfFnN~-+0123456789.")  # plain scalars that may not be str


def _resolve_plain(text: str) -> Any:
    """Value of a plain scalar under the YAML 1.2 core schema (as ruamel.yaml resolves it)."""
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
        raise ValueError(f"not a timestamp: {text!r}")
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
# Explicit tags (rare in front matter): read as ruamel.yaml's round-trip loader reads them
# ---------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_BOOL_WORDS = {"yes": True, "no": False, "y": True, "n": False, "true": True, "false": False,
               "on": True, "off": False}


def _tagged_scalar(tag: str, text: str) -> Any:
    """The value of ``!!tag text``; ValueError when the text is not of that type."""
    kind = tag[len(_TAG):] if tag.startswith(_TAG) else ""
    if kind == "null":
        return None
    if kind == "bool":
        value = _BOOL_WORDS.get(text.lower())
        if value is None:
            raise ValueError(f"not a boolean: {text!r}")
        return value
    if kind == "int":
        if not _INT_RE.match(text):
            raise ValueError(f"not an integer: {text!r}")
        return _to_int(text)
    if kind == "float":
        if not (_FLOAT_RE.match(text) or _INT_RE.match(text)):
            raise ValueError(f"not a number: {text!r}")
        return _to_float(text)
    if kind == "timestamp":
        return _to_timestamp(text)
    if kind == "binary":
        try:
            return base64.decodebytes(text.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise ValueError(f"not base64 data: {exc}") from None
    return text  # !!str, and any tag blogtools does not know: the text as written


# ---------------------------------------------------------------------------
# The parser: libyaml (or PyYAML's pure-Python port of it) with a resolver that leaves
# every plain scalar to _resolve_plain
# ---------------------------------------------------------------------------

_PLAIN = "?plain"  # the tag the composer gives a plain scalar without an explicit tag
_STR = _TAG + "str"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"


class _Parsers:
    """The PyYAML classes a load uses (see :func:`_parsers`)."""

    __slots__ = ("fast", "reusing", "pure", "libyaml", "scalar", "mapping", "start", "end", "error")

    def __init__(self, **classes: Any) -> None:
        for name, value in classes.items():
            setattr(self, name, value)


@functools.lru_cache(maxsize=None)
def _parsers() -> Any:
    """The composer classes, built on first use (importing PyYAML costs ~10 ms that a
    process reading no YAML need not pay).

    ``fast`` composes in C when libyaml is there; ``reusing`` composes in Python on the
    same parser and lets an anchor be defined again (YAML 1.2; libyaml's composer refuses
    it); ``pure`` is PyYAML's pure-Python parser and composer (the whole path without
    libyaml)."""
    import yaml
    from yaml.composer import Composer
    from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class Resolver:
        """Plain scalars are left to _resolve_plain; the rest get their default tag. (The
        composer calls these three for every node: the two that do nothing are builtins, no
        Python frame.)"""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is SequenceNode else _MAP

        descend_resolver = staticmethod({}.get)  # (current_node, current_index) -> None
        ascend_resolver = staticmethod(tuple)  # () -> ()

    class ReusingComposer(Composer):
        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if event.__class__ is not AliasEvent and getattr(event, "anchor", None) in self.anchors:
                del self.anchors[event.anchor]  # a later definition replaces the earlier one
            return super().compose_node(parent, index)

    class Pure(Reader, Scanner, Parser, ReusingComposer, Resolver):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            ReusingComposer.__init__(self)

    fast = reusing = Pure
    libyaml = getattr(yaml, "__with_libyaml__", False) and not _FORCE_PURE
    if libyaml:
        from yaml._yaml import CParser

        class Fast(CParser, Resolver):  # type: ignore[misc]
            pass

        class Reusing(ReusingComposer, CParser, Resolver):  # type: ignore[misc]
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                ReusingComposer.__init__(self)

        fast, reusing = Fast, Reusing
    return _Parsers(fast=fast, reusing=reusing, pure=Pure, libyaml=libyaml, scalar=ScalarNode,
                    mapping=MappingNode, start=CollectionStartEvent, end=CollectionEndEvent,
                    error=yaml.YAMLError)


_FORCE_PURE = False  # tests set it (and clear _parsers' cache) to check the pure-Python path


def load(text: str) -> Loaded:
    """Load front matter YAML to plain data, positions and duplicate keys.

    Raises :class:`YamlError` (message, 0-based line and column) for invalid YAML."""
    parsers = _parsers()
    if not parsers.libyaml and "\t" in text:  # PyYAML's own scanner: see _TRAILING_TABS
        text = _TRAILING_TABS.sub(_spaces, text)
    stand_ins = "\x85" in text or "\u2028" in text or "\u2029" in text
    if stand_ins:
        text = text.translate(_STAND_IN)
    if _may_nest_deeper(text):
        _check_depth(parsers, text)
    try:
        try:
            node = _compose(parsers.fast, text)
        except parsers.error as exc:
            if "found duplicate anchor" not in str(getattr(exc, "context", "")):
                raise
            node = _compose(parsers.reusing, text)
    except parsers.error as exc:
        raise _yaml_error(exc, text) from None
    except UnicodeEncodeError as exc:  # a lone surrogate: libyaml reads UTF-8 only
        raise _at_offset("unacceptable character #x%04x: special characters are not allowed"
                         % ord(text[exc.start]), text, exc.start) from None
    if node is None:
        return Loaded({}, {}, [])
    if stand_ins:
        _restore(node, parsers.scalar)
    if "*" in text:  # aliases are possible
        _check_size(node)
    converter = _Converter(parsers.scalar, parsers.mapping)
    data = converter.value(node, (), 0)
    duplicates = converter.duplicates
    if len(duplicates) > 1:
        duplicates.sort(key=lambda dup: (dup[1], dup[2]))
    return Loaded({} if data is None else data, converter.positions, duplicates)


_TRAILING_TABS = _LazyPattern(r"[ \t]*\t[ \t]*$", re.M)
"""Blanks ending a line, tabs among them: libyaml (as Hugo and Jekyll) reads them as
blanks, PyYAML's pure-Python scanner refuses them; they become spaces (no offset moves)."""


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group())


_STAND_IN = {0x85: 0xFDD0, 0x2028: 0xFDD1, 0x2029: 0xFDD2}
"""NEL, LS and PS end a line in YAML 1.1 (libyaml), not in 1.2, nor for blogtools' line
numbers: they are read as three noncharacters (libyaml lets them through, no text has
them), one character each so no position moves, and put back in every scalar."""
_PUT_BACK = {value: key for key, value in _STAND_IN.items()}


def _restore(root: Any, scalar_node: type) -> None:
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.__class__ is scalar_node:
            node.value = node.value.translate(_PUT_BACK)
        else:
            for item in node.value:
                todo.extend(item) if item.__class__ is tuple else todo.append(item)


def _compose(parser_class: Any, text: str) -> Any:
    parser = parser_class(text)
    try:
        return parser.get_single_node()
    finally:
        parser.dispose()


def _may_nest_deeper(text: str) -> bool:
    """False when ``text`` cannot nest more than DEEP_LEVELS collections: a level needs a new
    line, a ``[``/``{``, or a ``- ``/``? `` indicator (which may open two: ``- a: b``)."""
    bound = text.count("\n") + text.count("\r") + text.count("[") + text.count("{")
    if bound > DEEP_LEVELS:
        return True
    for indicator in ("- ", "? ", "-\t", "?\t"):
        bound += 2 * text.count(indicator)
    return bound > DEEP_LEVELS


def _check_depth(parsers: Any, text: str, parser_class: Any = None) -> None:
    """Refuse nesting deeper than DEEP_LEVELS before anything recurses over it (libyaml's
    composer recurses in C): the parser's events are counted, which takes no recursion."""
    parser = (parser_class or parsers.fast)(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, parsers.start):
                depth += 1
                if depth > DEEP_LEVELS + 1:  # the root collection is not nested in anything
                    raise _too_deep(event.start_mark)
            elif isinstance(event, parsers.end):
                depth -= 1
    except parsers.error as exc:
        # libyaml's scanner looks ahead for a possible key and stops at its own limit (1000
        # levels) before the parser reaches ours: PyYAML's parser (no limit, and no
        # recursion either) finds the place
        if "maximum nesting depth" in str(exc) and parser_class is None and parsers.libyaml:
            _check_depth(parsers, text, parsers.pure)
        # anything else: composing reports the syntax error
    finally:
        parser.dispose()


def _too_deep(mark: Any) -> YamlError:
    return YamlError(f"front matter nested more than {DEEP_LEVELS} levels deep (lists or mappings"
                     " inside each other): not read", mark.line, mark.column)


def _check_size(root: Any) -> None:
    """Refuse a block whose aliases expand past MAX_NODES nodes, counted on the node graph
    (an aliased node is one object: memoised, this stays linear for a "billion laughs")."""
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Any, depth: int) -> int:
        value = node.value
        if isinstance(value, str):
            return 1
        key = id(node)
        known = memo.get(key)
        if known is not None:
            return known
        if key in active:
            return 1  # a recursive alias: read as null
        if depth > DEEP_LEVELS:
            raise _too_deep(node.start_mark)
        active.add(key)
        total = 1
        for item in value:
            if isinstance(item, tuple):
                total += size(item[0], depth + 1) + size(item[1], depth + 1)
            else:
                total += size(item, depth + 1)
            if total > MAX_NODES:
                raise YamlError(f"front matter expands to more than {MAX_NODES} nodes")
        active.discard(key)
        memo[key] = total
        return total

    size(root, 0)


def _yaml_error(exc: Exception, text: str) -> YamlError:
    """A PyYAML error as a YamlError: the first line of its problem, at its problem mark."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    message = getattr(exc, "problem", None) or getattr(exc, "context", None)
    position = getattr(exc, "position", None)
    if message is None and getattr(exc, "reason", None):  # ReaderError
        character = exc.character  # type: ignore[attr-defined]
        code = character if isinstance(character, int) else ord(character)
        message = "unacceptable character #x%04x: %s" % (code, exc.reason)  # type: ignore[attr-defined]
    message = (str(message or exc).strip().splitlines() or [type(exc).__name__])[0]
    if mark is not None:
        if message == "found character that cannot start any token" and 0 <= mark.index < len(text):
            message = f"found character {text[mark.index]!r} that cannot start any token"  # (a tab)
        return YamlError(message, mark.line, mark.column)
    if isinstance(position, int):  # ReaderError: libyaml counts bytes of UTF-8, PyYAML characters
        if _parsers().libyaml:
            position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        return _at_offset(message, text, position)
    return YamlError(message)


def _at_offset(message: str, text: str, offset: int) -> YamlError:
    before = text[:offset]
    return YamlError(message, before.count("\n"), offset - before.rfind("\n") - 1)


class _Converter:
    """Nodes -> plain data, with positions and duplicate keys."""

    __slots__ = ("positions", "duplicates", "active", "scalar_node", "mapping_node")

    def __init__(self, scalar_node: type, mapping_node: type) -> None:
        self.positions: dict[Path, Span] = {}
        self.duplicates: list[tuple[Path, int, int]] = []
        self.active: set[int] = set()
        self.scalar_node, self.mapping_node = scalar_node, mapping_node

    def value(self, node: Any, path: Path, depth: int) -> Any:
        """The plain value of ``node``; ``depth``: the collections around it."""
        if node.__class__ is self.scalar_node:
            return self.scalar(node)
        key = id(node)
        if key in self.active:
            return None  # a recursive alias: the inner reference reads as null (as in ruamel)
        if depth > DEEP_LEVELS:
            raise _too_deep(node.start_mark)
        self.active.add(key)
        try:
            tag = node.tag
            if node.__class__ is self.mapping_node:
                if tag == _TAG + "set":
                    return {self.key(k, depth) for k, _ in node.value}
                return self.mapping(node, path, depth + 1)
            if tag == _TAG + "omap" or tag == _TAG + "pairs":
                pairs = [(self.key(k, depth), self.value(v, (), depth + 2))
                         for item in node.value if item.__class__ is self.mapping_node
                         for k, v in item.value]
                return dict(pairs) if tag == _TAG + "omap" else [list(pair) for pair in pairs]
            return self.sequence(node, path, depth + 1)
        finally:
            self.active.discard(key)

    def scalar(self, node: Any) -> Any:
        tag = node.tag
        try:
            if tag is _PLAIN:
                text = node.value
                return _resolve_plain(text) if not text or text[0] in _SPECIAL_START else text
            if tag is _STR:
                return node.value
            return _tagged_scalar(tag, node.value)
        except (ValueError, OverflowError) as exc:  # 2019-02-30, !!int abc
            mark = node.start_mark
            raise YamlError(f"cannot read {node.value!r}: {exc}", mark.line, mark.column) from None

    def key(self, node: Any, depth: int) -> Any:
        """A mapping key: a scalar's value; a collection as a tuple (of pairs for a mapping),
        which a dict can hold. Keys record no positions."""
        if node.__class__ is self.scalar_node:
            return self.scalar(node)
        if id(node) in self.active:
            return None
        if depth > DEEP_LEVELS:
            raise _too_deep(node.start_mark)
        self.active.add(id(node))
        try:
            if node.__class__ is self.mapping_node:
                pairs: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = self.key(key_node, depth + 1)
                    if key not in pairs:  # the first value stays, as in any mapping
                        pairs[key] = self.key(value_node, depth + 1)
                return tuple(pairs.items())
            return tuple(self.key(item, depth + 1) for item in node.value)
        finally:
            self.active.discard(id(node))

    def end(self, node: Any) -> tuple[int, int]:
        """End of a node; for a block collection the end of its last item's value. (PyYAML's
        pure-Python parser leaves the style of an indentless sequence unset: not flow.)"""
        seen: set[int] | None = None
        while node.__class__ is not self.scalar_node and node.flow_style is not True and node.value:
            if seen is None:
                seen = set()
            elif id(node) in seen:
                break  # a recursive alias makes the graph cyclic
            seen.add(id(node))
            last = node.value[-1]
            node = last[1] if last.__class__ is tuple else last
        mark = node.end_mark
        return mark.line, mark.column

    def mapping(self, node: Any, path: Path, depth: int) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        positions, scalar_node = self.positions, self.scalar_node
        merges = []
        for key_node, value_node in node.value:
            if key_node.__class__ is scalar_node:
                tag = key_node.tag
                key = key_node.value
                if tag is _PLAIN:
                    if key == "<<":
                        merges.append(value_node)
                        continue
                    if not key or key[0] in _SPECIAL_START:
                        key = _resolve_plain(key)
                elif tag is not _STR:
                    key = self.scalar(key_node)
            else:
                key = self.key(key_node, depth)
            start = key_node.start_mark
            item_path = path + (key,)
            if key in data:  # the first value stays
                self.duplicates.append((item_path, start.line, start.column))
                continue
            value_start = value_node.start_mark
            if value_node.__class__ is scalar_node:  # (most values: inlined)
                tag, value = value_node.tag, value_node.value
                if tag is not _STR and (tag is not _PLAIN or not value or value[0] in _SPECIAL_START):
                    value = self.scalar(value_node)
                data[key] = value
                end = value_node.end_mark
                positions[item_path] = (start.line, start.column, value_start.line,
                                        value_start.column, end.line, end.column)
                continue
            data[key] = self.value(value_node, item_path, depth)
            positions[item_path] = (start.line, start.column, value_start.line, value_start.column,
                                    *self.end(value_node))
        if merges:
            self.merge(data, merges, path, depth)
        return data

    def merge(self, data: dict[Any, Any], merges: list[Any], path: Path, depth: int) -> None:
        """``<<: *base`` / ``<<: [*a, *b]``: keys not set yet come from the mappings, the
        first mapping first (as ruamel merges). Merged keys have no position of their own;
        what is inside them keeps its own, and reports its repeated keys."""
        saved = self.positions, self.duplicates
        added: set[Any] = set()
        scratch: dict[Path, Span] = {}
        repeated: list[tuple[Path, int, int]] = []
        try:
            for value_node in merges:
                sources = value_node.value if value_node.__class__ is not self.mapping_node \
                    and value_node.__class__ is not self.scalar_node else [value_node]
                for source in sources:
                    if source.__class__ is not self.mapping_node:
                        mark = source.start_mark
                        raise YamlError("a merge key (<<) takes a mapping or a list of mappings",
                                        mark.line, mark.column)
                    self.positions, self.duplicates = scratch, repeated
                    merged = self.value(source, path, depth - 1)
                    for key, value in (merged or {}).items():
                        if key not in data:
                            data[key] = value
                            added.add(key)
        finally:
            self.positions, self.duplicates = saved
        size = len(path) + 1
        for item_path, span in scratch.items():
            if len(item_path) > size and item_path[size - 1] in added:
                self.positions.setdefault(item_path, span)
        self.duplicates.extend(repeat for repeat in repeated
                               if len(repeat[0]) > size and repeat[0][size - 1] in added)

    def sequence(self, node: Any, path: Path, depth: int) -> list[Any]:
        out: list[Any] = []
        positions, scalar_node = self.positions, self.scalar_node
        for index, item in enumerate(node.value):
            start = item.start_mark
            if item.__class__ is scalar_node:  # (most items: inlined)
                tag, value = item.tag, item.value
                if tag is not _STR and (tag is not _PLAIN or not value or value[0] in _SPECIAL_START):
                    value = self.scalar(item)
                out.append(value)
                end = item.end_mark
                positions[path + (index,)] = (start.line, start.column, start.line, start.column,
                                              end.line, end.column)
                continue
            out.append(self.value(item, path + (index,), depth))
            positions[path + (index,)] = (start.line, start.column, start.line, start.column,
                                          *self.end(item))
        return out
