"""Small helpers shared by the readers and the writer: dates, slugs, file walking."""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

_DATE_RX = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$")


def parse_date(value: Any, tz: str | None = None) -> date | datetime | None:
    """A date, naive or aware datetime from front matter values and strings in the formats
    real posts carry (``2016-06-13``, ``2018-07-15T09:31:28.466Z``, ``2019-10-29 10:00:00 +0900``).
    ``tz`` (an IANA name) is attached to a naive datetime, so the instant is kept explicitly."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        m = _DATE_RX.match(value.strip())
        if not m:
            return None
        y, mo, d, h, mi, s, frac, off = m.groups()
        try:
            if h is None:
                return date(int(y), int(mo), int(d))
            micro = int(round(float(frac) * 1_000_000)) if frac else 0
            dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro)
        except ValueError:
            return None
        if off:
            if off == "Z":
                dt = dt.replace(tzinfo=timezone.utc)
            else:
                sign = 1 if off[0] == "+" else -1
                hh, mm = int(off[1:3]), int(off[-2:])
                dt = dt.replace(tzinfo=timezone(sign * timedelta(hours=hh, minutes=mm)))
    else:
        return None
    if dt.tzinfo is None and tz:
        try:
            from zoneinfo import ZoneInfo

            dt = dt.replace(tzinfo=ZoneInfo(tz))
        except Exception:  # noqa: BLE001 - an unknown zone leaves the date naive
            pass
    return dt


def format_date(value: date | datetime) -> str:
    """RFC 3339 text that keeps the instant and the offset (``Z`` for UTC)."""
    if not isinstance(value, datetime):
        return value.isoformat()
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        frac = f"{value.microsecond:06d}"
        text += "." + (frac[:3] if frac.endswith("000") else frac)
    off = value.utcoffset()
    if off is None:
        return text
    if off == timedelta(0) and getattr(value.tzinfo, "key", None) is None:
        return text + "Z"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def slugify(text: str, ascii_only: bool = False) -> str:
    """A URL segment Hugo keeps as it is: lower case, letters and digits of any script,
    ``-`` and ``_``; with ``ascii_only`` accents are folded and other scripts dropped."""
    text = unicodedata.normalize("NFKC", text)
    if ascii_only:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("#", "sharp")
    out = re.sub(r"[^\w-]+", "-", text, flags=re.U).strip("-_")
    return re.sub(r"-{2,}", "-", out)[:80].strip("-_")


def walk(root: str, skip: str | None = None) -> Iterator[str]:
    """Files under ``root`` (absolute paths), sorted, hidden entries and ``skip`` left out."""
    skip_real = os.path.realpath(skip) if skip else None
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and os.path.realpath(os.path.join(dirpath, d)) != skip_real)
        for name in sorted(filenames):
            if not name.startswith("."):
                yield os.path.join(dirpath, name)


def rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def read_text(path: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, why) for a UTF-8 file."""
    from blogtools.document import LoadError, decode

    try:
        with open(path, "rb") as fh:
            data = fh.read()
        text, _ = decode(data)
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    except LoadError as exc:
        return None, exc.message
    return text.replace("\r\n", "\n"), None


IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico", ".tif", ".tiff")


def load_document(path: str) -> tuple[Any, str | None]:
    """(Document, None) for a content file, or (None, why) when it or its front matter
    cannot be read."""
    from blogtools.document import Document

    text, why = read_text(path)
    if text is None:
        return None, why
    doc = Document.from_text(path, text)
    fm = doc.front_matter
    if fm is not None and fm.error:
        return None, f"front matter not readable (line {doc.position(fm.error_offset)[0]}): {fm.error}"
    return doc, None
