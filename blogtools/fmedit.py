"""Front matter editing: render values in each format, convert whole blocks between formats.

Rules fix front matter with small edits on offsets (a key renamed, one value rewritten, one
line removed), so everything they do not touch stays byte for byte as the author wrote it.
This module gives those edits their text: :func:`scalar` and :func:`flow_list` write a value
as YAML, TOML or JSON, keeping the author's quoting where the format allows it.

Format conversion (:func:`convert_block`) rewrites a whole block. It does not round-trip
through ruamel.yaml or tomlkit: the data comes from the loaders every rule already trusts
(:mod:`blogtools.frontmatter`), comments are collected from the source lines by position
(:func:`collect_comments`), and small emitters write the target with full control over
types. Every conversion is loaded again and compared with the source data before it is
offered; a value the target cannot hold (``null`` in TOML, a local time in YAML, NaN in
JSON) stops the conversion with a message instead of changing the data.

What is kept: key order (TOML forces tables after plain keys, so nested tables such as
``cover`` move to the end there), value types (a date stays a date, an offset date-time
keeps its offset, a local date-time stays local, booleans and numbers stay what they are),
nesting, and comments, placed before the key they preceded or after the value they
followed. JSON holds no comments and no dates: dates become RFC 3339 strings (Hugo reads
them as dates) and converting JSON back turns those strings under the date keys into dates.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from blogtools import frontmatter

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


def yaml_str(text: str, quote: str | None = None) -> str:
    """A YAML scalar for ``text``: plain when that is unambiguous, else quoted.

    ``quote`` keeps an author's style: ``'"'`` double quotes, ``"'"`` single quotes (when the
    text allows it), ``""`` plain when safe.
    """
    plain_ok = bool(_YAML_PLAIN.match(text)) and text.lower() not in _YAML11_WORDS
    if quote == "'" and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    if quote == "" and plain_ok or quote is None and plain_ok:
        return text
    return _escape(text, _YAML_ESC, True)


def yaml_key(key: str) -> str:
    return key if _YAML_PLAIN.match(key) and key.lower() not in _YAML11_WORDS else _escape(key, _YAML_ESC, True)


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
        text = self.c.eol.get(path)
        return f"  {text}" if text else ""

    def leftovers(self) -> list[str]:
        lost = [line for p, lines in self.c.before.items() if ("b", p) not in self.used for line in lines]
        lost += [text for p, text in self.c.eol.items() if ("e", p) not in self.used]
        return lost + self.c.trailing


# --------------------------------------------------------------------------- emitters
def _yaml_map(data: dict[str, Any], indent: int, path: Path, out: list[str], c: _Placer) -> None:
    pad = " " * indent
    for key, value in data.items():
        here = path + (key,)
        out.extend(pad + line for line in c.before(here))
        head = pad + yaml_key(_str_key(key, "yaml")) + ":"
        if isinstance(value, dict) and value:
            out.append(head + c.eol(here))
            _yaml_map(value, indent + 2, here, out, c)
        elif isinstance(value, list) and value:
            out.append(head + c.eol(here))
            _yaml_seq(value, indent + 2, here, out, c)
        else:
            out.append(f"{head} {scalar('yaml', value)}{c.eol(here)}")


def _yaml_seq(items: list[Any], indent: int, path: Path, out: list[str], c: _Placer) -> None:
    pad = " " * indent
    for i, item in enumerate(items):
        if isinstance(item, dict) and item:
            sub: list[str] = []
            _yaml_map(item, indent + 2, path + (i,), sub, c)
            first = next(n for n, line in enumerate(sub) if not line.lstrip().startswith("#"))
            sub[first] = pad + "- " + sub[first][indent + 2 :]
            out.extend(sub)
        else:
            out.append(f"{pad}- {scalar('yaml', item)}")


def _is_table(value: Any) -> bool:
    return isinstance(value, dict) and bool(value)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_table(v) for v in value)


def _toml_table(data: dict[str, Any], header: Path, path: Path, out: list[str], c: _Placer) -> None:
    for key, value in data.items():
        if not (_is_table(value) or _is_table_array(value)):
            here = path + (key,)
            out.extend(c.before(here))
            line = f"{toml_key(_str_key(key, 'toml'))} = {scalar('toml', value)}"
            if len(line) > LINE_WIDTH and isinstance(value, list) and len(value) > 1:
                items = "".join(f"  {scalar('toml', v)},\n" for v in value)
                line = f"{toml_key(key)} = [\n{items}]"
            out.append(line + c.eol(here))
    for key, value in data.items():
        here, name = path + (key,), header + (key,)
        dotted = ".".join(toml_key(k) for k in name)
        if _is_table(value):
            out.extend([""] * bool(out) + c.before(here))
            out.append(f"[{dotted}]{c.eol(here)}")
            _toml_table(value, name, here, out, c)
        elif _is_table_array(value):
            out.extend([""] * bool(out) + c.before(here))
            for i, item in enumerate(value):
                if i:
                    out.append("")
                out.append(f"[[{dotted}]]" + (c.eol(here) if i == 0 else ""))
                _toml_table(item, name, here + (i,), out, c)


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


def dump(data: dict[str, Any], fmt: str, comments: Comments | None = None) -> tuple[str, int]:
    """Block content (no fences) and the number of comments that could not be kept."""
    if fmt == "json":
        return _json(_json_ready(data), 0) + "\n", comments.count() if comments else 0
    placer = _Placer(comments)
    out: list[str] = []
    if fmt == "yaml":
        _yaml_map(data, 0, (), out, placer)
    else:
        _toml_table(data, (), (), out, placer)
    out.extend(placer.leftovers())
    return "".join(line + "\n" for line in out), 0


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
