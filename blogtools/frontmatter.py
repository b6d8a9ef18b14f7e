"""Front matter: detect the fenced block, load it to plain data, and locate every key.

Formats (Hugo's rules): YAML between ``---`` lines, TOML between ``+++`` lines, JSON as an
object that opens the file. Loading gives *plain* data (dicts, lists, str, int, float,
bool, None, ``date``/``datetime``; a datetime is timezone-aware exactly when an offset is
written) and each key's position, so every rule can point at the offending key or value.
Round-trip editing (ruamel.yaml, tomlkit) lives in :mod:`blogtools.fmedit` and is only
imported by fixes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from blogtools import _toml
from blogtools.lines import LineIndex
from blogtools.record import dataclass, field


Path_ = tuple  # a key path: ("tags", 0), ("cover", "image")

FENCES = {"yaml": "---", "toml": "+++"}
_CLOSE = {
    "yaml": re.compile(r"^---[ \t]*(?:\r\n|\r|\n|\Z)", re.M),
    "toml": re.compile(r"^\+\+\+[ \t]*(?:\r\n|\r|\n|\Z)", re.M),
}
_OPEN = re.compile(r"(---|\+\+\+)[ \t]*(\r\n|\r|\n)")


@dataclass(slots=True)
class Span:
    """Absolute offsets of a key and its value in the document text."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int


@dataclass(slots=True)
class FrontMatter:
    format: str  # "yaml" | "toml" | "json"
    start: int  # offset of the opening fence (always 0)
    end: int  # offset just after the closing fence line (where the body starts)
    content_start: int
    content_end: int
    data: dict[str, Any] | None = None
    error: str | None = None  # why the block could not be loaded
    error_offset: int = 0
    positions: dict[Path_, Span] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int]] = field(default_factory=list)  # second occurrences

    def span(self, *path: Any) -> Span | None:
        return self.positions.get(tuple(path))

    def key_offset(self, *path: Any) -> int:
        """Offset of a key (falls back to the opening fence when unknown)."""
        span = self.positions.get(tuple(path))
        return span.key_start if span else self.start


MAX_DEPTH = 100  # lists and tables inside each other; no blog's front matter comes near
_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting_offset(text: str, start: int, end: int, stop_at_zero: bool = False) -> int | None:
    """Where the brackets of ``text[start:end]`` first nest deeper than :data:`MAX_DEPTH`
    (None: they do not). Quotes are not tracked: the count only errs upward on brackets
    inside strings, and a hundred unclosed ones in strings are not front matter anyone
    writes. ``stop_at_zero``: stop when the first outermost bracket closes (JSON)."""
    if text.count("[", start, end) + text.count("{", start, end) <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text, start, end):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif depth:
            depth -= 1
            if stop_at_zero and not depth:
                return None
    return None


def _too_deep(fm: FrontMatter, offset: int) -> FrontMatter:
    fm.error = (f"front matter nested more than {MAX_DEPTH} levels deep (lists or tables inside each other):"
                " not read")
    fm.error_offset = offset
    fm.data = None
    return fm


def parse(text: str) -> FrontMatter | None:
    """Find and load the front matter that opens ``text``; None when there is none.

    Front matter nested deeper than :data:`MAX_DEPTH` is an error at the bracket that goes
    too deep, never a RecursionError (the parsers, and every rule walking the data, recurse)."""
    try:
        return _parse(text)
    except RecursionError:  # (a nesting the bracket count cannot see: YAML block indentation)
        fm = FrontMatter("json" if text.startswith("{") else "toml" if text.startswith("+") else "yaml",
                         0, len(text), 0, len(text))
        return _too_deep(fm, _nesting_offset(text, 0, len(text)) or 0)


def _parse(text: str) -> FrontMatter | None:
    if text.startswith("{"):
        deep = _nesting_offset(text, 0, len(text), stop_at_zero=True)
        if deep is not None:
            return _too_deep(FrontMatter("json", 0, len(text), 0, len(text)), deep)
        return _parse_json(text)
    m = _OPEN.match(text)
    if not m:
        return None
    fmt = "yaml" if m.group(1) == "---" else "toml"
    close = _CLOSE[fmt].search(text, m.end())
    if close is None:
        fm = FrontMatter(fmt, 0, len(text), m.end(), len(text))
        fm.error = f"unterminated front matter: no closing '{FENCES[fmt]}' line for the fence opened here"
        return fm
    fm = FrontMatter(fmt, 0, close.end(), m.end(), close.start())
    content = text[fm.content_start : fm.content_end]
    if fmt == "yaml":  # (the YAML loader measures nesting itself, exactly)
        _load_yaml(fm, content)
        return fm
    deep = _nesting_offset(text, fm.content_start, fm.content_end)
    if deep is not None:
        return _too_deep(fm, deep)
    _load_toml(fm, content)
    return fm


# --------------------------------------------------------------------------- YAML
def _load_yaml(fm: FrontMatter, content: str) -> None:
    from blogtools import yamlload

    index = LineIndex(content)
    base = fm.content_start
    try:
        loaded = yamlload.load(content)
    except yamlload.YamlError as exc:
        # (a block too deep or too large says so itself; the rest are syntax errors)
        fm.error = exc.message if exc.message.startswith("front matter ") else f"invalid YAML: {exc.message}"
        fm.error_offset = base + index.offset(exc.line + 1, exc.column + 1)
        return
    if loaded.data is None:
        fm.data = {}
        return
    if not isinstance(loaded.data, dict):
        fm.error = f"front matter is a YAML {type(loaded.data).__name__}, not a mapping of keys"
        fm.error_offset = base
        return
    fm.data = loaded.data
    # This loop runs for every key and list item of every post, so LineIndex.offset is
    # inlined: three method calls per entry cost as much as loading the YAML. The loaders
    # give 0-based positions inside the text; anything else takes the clamping method.
    starts, length, positions = index.starts, index.length, fm.positions
    lines = len(starts)
    for path, (kl, kc, vl, vc, el, ec) in loaded.positions.items():
        if 0 <= kl < lines and 0 <= vl < lines and 0 <= el < lines and kc >= 0 and vc >= 0 and ec >= 0:
            key_at = min(starts[kl] + kc, length)
            value_start = base + min(starts[vl] + vc, length)
            value_end = base + min(starts[el] + ec, length)
        else:
            key_at = index.offset(kl + 1, kc + 1)
            value_start = base + index.offset(vl + 1, vc + 1)
            value_end = base + index.offset(el + 1, ec + 1)
        key = path[-1]
        key_len = len(key) if isinstance(key, str) else 0
        # only a key written in quotes can match (the pattern opens with one)
        quoted = _YAML_QUOTED_KEY.match(content, key_at) if key_len and content[key_at : key_at + 1] in _QUOTES \
            else None
        if quoted:  # a quoted key: the span ends after the closing quote
            key_len = quoted.end() - quoted.start()
        positions[path] = Span(base + key_at, base + key_at + key_len, value_start, value_end)
    fm.duplicates = [(p, base + index.offset(line + 1, col + 1)) for p, line, col in loaded.duplicates]


_YAML_QUOTED_KEY = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'")
_QUOTES = ("\"", "'")


# --------------------------------------------------------------------------- TOML
_TOML_ERR = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$")
_TOML_TABLE = re.compile(r"^[ \t]*\[\[?[ \t]*([^\]]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$")
_TOML_KEY = re.compile(r"^[ \t]*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)[ \t]*=[ \t]*")
# A value that ends on its line, then only blanks or a comment: _toml_value_end scans such
# a line character by character to find the same end (anything else still goes there).
_TOML_SIMPLE_VALUE = re.compile(r"""("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"'#\[\]{}]+)[ \t]*(?:#.*)?$""")
_TOML_STR = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'")


def _load_toml(fm: FrontMatter, content: str) -> None:
    base = fm.content_start
    tomllib = _toml.tomllib()
    try:
        fm.data = tomllib.loads(content.replace("\r\n", "\n"))
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_ERR.match(msg)
        index = LineIndex(content)
        if m:
            fm.error = f"invalid TOML: {m.group(1)}"
            line, col = int(m.group(2)), int(m.group(3))
            if m.group(1).startswith("Cannot overwrite"):  # a duplicate key: point at the key
                fm.error = "invalid TOML: a key is set twice (Cannot overwrite a value)"
                text_line = content.splitlines()[line - 1] if line <= len(content.splitlines()) else ""
                col = len(text_line) - len(text_line.lstrip()) + 1
            fm.error_offset = base + index.offset(line, col)
        else:
            fm.error = f"invalid TOML: {msg}"
            fm.error_offset = base
        return
    _toml_positions(fm, content)


def _split_key(raw: str) -> tuple[str, ...]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+", raw)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def _toml_positions(fm: FrontMatter, content: str) -> None:
    """Key and value offsets for TOML: a line scanner good for front matter shapes."""
    base = fm.content_start
    prefix: tuple[str, ...] = ()
    pos = 0
    lines = content.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.rstrip("\r\n")
        table = _TOML_TABLE.match(stripped)
        m = None if table else _TOML_KEY.match(stripped)
        if table:
            prefix = _split_key(table.group(1))
        elif m:
            path = prefix + _split_key(m.group(1))
            key_start = base + pos + len(line) - len(line.lstrip(" \t"))
            value_start = pos + m.end()
            simple = _TOML_SIMPLE_VALUE.match(stripped, m.end())
            if simple:  # a one-line string or bare value: where _toml_value_end would end it
                value_end, consumed = pos + simple.end(1), len(line)
            else:
                value_end, i, consumed = _toml_value_end(lines, i, m.end(), pos)
            fm.positions[path] = Span(key_start, key_start + len(m.group(1)), base + value_start, base + value_end)
            value_text = content[value_start:value_end]
            if value_text.startswith("["):
                for n, sm in enumerate(_TOML_STR.finditer(value_text)):
                    start = base + value_start + sm.start()
                    fm.positions[path + (n,)] = Span(start, start, start, base + value_start + sm.end())
            pos += consumed
            i += 1
            continue
        pos += len(line)
        i += 1


def _toml_value_end(lines: list[str], i: int, col: int, start_of_line: int) -> tuple[int, int, int]:
    """End offset (relative to content) of a value starting at ``lines[i][col:]``;
    ``start_of_line``: the offset of ``lines[i]`` (the caller's running position, rather
    than a sum over every line before it for each multi-line or array value).

    Returns (end offset, index of the last line of the value, characters consumed from the
    start of line i to the end of that last line).
    """
    depth = 0
    consumed = 0
    j = i
    text = lines[i][col:]
    offset_in_line = col
    while True:
        in_str = None
        end_col = None
        k = 0
        while k < len(text):
            c = text[k]
            if in_str:
                if c == "\\" and in_str == '"':
                    k += 2
                    continue
                if c == in_str:
                    in_str = None
            elif c in "\"'":
                in_str = c
            elif c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
            elif c == "#":
                break
            k += 1
            if not in_str and depth == 0 and c not in " \t\r\n":
                end_col = offset_in_line + k
        consumed += len(lines[j])
        if depth <= 0 or j + 1 >= len(lines):
            line_start = start_of_line + consumed - len(lines[j])
            end = line_start + (end_col if end_col is not None else len(lines[j].rstrip("\r\n")))
            return end, j, consumed
        j += 1
        text = lines[j]
        offset_in_line = 0


# --------------------------------------------------------------------------- JSON
def _parse_json(text: str) -> FrontMatter:
    decoder = json.JSONDecoder()
    try:
        data, end = decoder.raw_decode(text)
    except json.JSONDecodeError as exc:
        fm = FrontMatter("json", 0, len(text), 0, len(text))
        fm.error = f"invalid JSON: {exc.msg}"
        fm.error_offset = exc.pos
        return fm
    nl = re.compile(r"[ \t]*(?:\r\n|\r|\n|\Z)").match(text, end)
    block_end = nl.end() if nl else end
    fm = FrontMatter("json", 0, block_end, 0, end)
    if not isinstance(data, dict):
        fm.error = "JSON front matter must be an object"
        return fm
    fm.data = data
    seen: set[str] = set()
    for m in re.finditer(r"\"((?:[^\"\\]|\\.)*)\"[ \t]*:[ \t]*", text[:end]):
        key = m.group(1)
        if key in data and key not in seen:
            seen.add(key)
            try:
                value_end = decoder.raw_decode(text, m.end())[1]
            except json.JSONDecodeError:
                value_end = m.end()
            fm.positions[(key,)] = Span(m.start() + 1, m.start() + 1 + len(key), m.end(), value_end)
    return fm
