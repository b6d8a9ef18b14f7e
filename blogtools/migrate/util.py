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


JUNK = frozenset({".git", ".DS_Store"})  # hidden entries no site means to publish


def walk_static(root: str, guard: Guard) -> Iterator[str]:
    """Files under a Hugo ``static/`` folder as Hugo publishes them: :func:`walk`'s, plus the
    hidden files and folders directly under it (``.well-known/``, ``.htaccess``: Hugo copies
    them; ``.git`` and ``.DS_Store`` left out)."""
    yield from walk(root, None, guard, follow=True)
    if not os.path.isdir(root) or os.path.islink(root):
        return
    for name in sorted(os.listdir(root)):
        full = os.path.join(root, name)
        if not name.startswith(".") or name in JUNK or os.path.islink(full):
            continue
        if os.path.isdir(full):
            yield from walk(full, None, guard, follow=True)
        elif os.path.isfile(full):
            yield full


def walk(root: str, skip: str | None = None, guard: Guard | None = None, follow: bool = False) -> Iterator[str]:
    """Files under ``root`` (absolute paths), sorted, hidden entries and ``skip`` left out.

    A folder that is a symbolic link is entered only with ``follow`` and only when it leads
    inside ``guard``'s tree (and not back up into itself); one leading outside is noted in
    ``guard`` and never entered. The files yielded are not checked: read them with
    :meth:`Guard.read_bytes` or check them with :meth:`Guard.allow`."""
    skip_real = os.path.realpath(skip) if skip else None
    if guard is not None and not guard.inside(root):
        guard.note(root, guard.outside(root))
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow):
        here = os.path.realpath(dirpath)
        keep = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d.startswith("."):
                continue
            real = os.path.realpath(full)
            if real == skip_real:
                continue
            if os.path.islink(full):
                if guard is not None and not guard.inside(full):
                    guard.note(full, guard.outside(full))
                    continue
                if not follow or here == real or here.startswith(real.rstrip(os.sep) + os.sep):
                    continue  # not followed, or a loop back up
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.startswith("."):
                yield os.path.join(dirpath, name)


class Guard:
    """What migrate may read: regular files whose real path (links resolved) is inside SRC.

    Nothing is opened before it is checked, reads never block (:mod:`blogtools.safefs`), and
    each refused path is noted once in :attr:`refused` (path relative to SRC, reason), which
    the report lists under "Not migrated"."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.real = os.path.realpath(root)
        self.refused: list[tuple[str, str]] = []
        self._noted: set[str] = set()

    def inside(self, path: str) -> bool:
        from blogtools import safefs

        return safefs.is_inside(path, self.real)

    def outside(self, path: str) -> str:
        kind = "folder" if os.path.isdir(path) else "file"
        how = f"symbolic link to the {kind}" if os.path.islink(path) else f"leads to the {kind}"
        return f"{how} {os.path.realpath(path)}, outside the source {self.root}: not read, not copied"

    def check(self, path: str) -> str | None:
        """Why ``path`` is not read (None when it is a regular file inside the tree)."""
        from blogtools import safefs

        if not self.inside(path):
            return self.outside(path)
        try:
            safefs.check_regular(path)
        except safefs.Refused as exc:
            return exc.reason
        except OSError as exc:
            return f"cannot read: {exc.strerror or exc}"
        return None

    def allow(self, path: str) -> bool:
        """Whether ``path`` may be read; a refusal is noted."""
        why = self.check(path)
        if why is not None:
            self.note(path, why)
        return why is None

    def note(self, path: str, why: str) -> None:
        r = rel(path, self.root) if os.path.isdir(self.root) else os.path.basename(path)
        if r not in self._noted:
            self._noted.add(r)
            self.refused.append((r, why))

    def open(self, path: str) -> int:
        """A descriptor of the regular file ``path`` inside the tree; raises ``safefs.Refused``."""
        from blogtools import safefs

        if not self.inside(path):
            raise safefs.Refused(self.outside(path))
        return safefs.open_regular(path)

    def read_bytes(self, path: str, max_bytes: int | None = None) -> bytes:
        from blogtools import safefs

        if not self.inside(path):
            raise safefs.Refused(self.outside(path))
        return safefs.read_bytes(path, max_bytes)


def rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


MAX_POST_BYTES = 50 * 1024 * 1024  # a post or page larger than this is refused, not read


def read_text(path: str, guard: Guard | None = None, max_bytes: int | None = None) -> tuple[str | None, str | None]:
    """(text, None) or (None, why) for a UTF-8 file. Never blocks (a FIFO is refused, not
    opened for reading), with ``guard`` never reads through a link out of the tree, and
    never reads more than ``max_bytes`` (:data:`MAX_POST_BYTES` unless given): memory stays
    bounded whatever the source holds."""
    from blogtools import safefs
    from blogtools.document import LoadError, decode

    limit = MAX_POST_BYTES if max_bytes is None else max_bytes
    try:
        data = guard.read_bytes(path, limit) if guard is not None else safefs.read_bytes(path, limit)
        text, _ = decode(data)
    except safefs.TooLarge as exc:
        return None, f"{exc.size:,} bytes: larger than the {limit:,}-byte limit for a post (not read)"
    except safefs.Refused as exc:
        return None, exc.reason
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    except LoadError as exc:
        return None, exc.message
    return text.replace("\r\n", "\n"), None


IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico", ".tif", ".tiff")


def load_document(path: str, guard: Guard | None = None) -> tuple[Any, str | None]:
    """(Document, None) for a content file, or (None, why) when it or its front matter
    cannot be read (nested too deeply for the parser included)."""
    from blogtools.document import Document

    text, why = read_text(path, guard)
    if text is None:
        return None, why
    doc = Document.from_text(path, text)
    try:
        fm = doc.front_matter
    except RecursionError:
        return None, "front matter not readable (line 1): nested too deeply (RecursionError)"
    if fm is not None and fm.error:
        return None, f"front matter not readable (line {doc.position(fm.error_offset)[0]}): {fm.error}"
    return doc, None


def failure(exc: BaseException) -> str:
    """The one-line reason a post was not migrated, for what went wrong while it was handled."""
    from blogtools import safefs

    detail = str(exc).replace("\n", " ")
    if len(detail) > 200:
        detail = detail[:200] + "…"
    if isinstance(exc, RecursionError):
        return "nested too deeply to process (RecursionError)"
    if isinstance(exc, safefs.Refused):
        return exc.reason
    if isinstance(exc, UnicodeError):
        return f"text that cannot be encoded ({type(exc).__name__}: {detail})"
    if isinstance(exc, OSError):
        return f"cannot read or write: {exc.strerror or detail}"
    if isinstance(exc, ValueError):
        return f"a value that cannot be converted ({type(exc).__name__}: {detail})"
    return f"internal error ({type(exc).__name__}: {detail}); please report it"


def isolated(fn: Any, *args: Any) -> tuple[Any, str | None]:
    """``fn(*args)`` for one source file, returning (post or None, why): whatever goes wrong
    with one file is that file's reason, never the end of the run."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - one bad post is reported, never fatal
        return None, failure(exc)


_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogates(text: str) -> list[str]:
    """The lone surrogates in ``text`` (``U+D800``...): they cannot be written as UTF-8."""
    return sorted({f"U+{ord(c):04X}" for c in _SURROGATE.findall(text)})


def replace_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


class Placeholders:
    """Stand-ins for text set aside while the rest of a body is rewritten (code, ``{% raw %}``
    content, generated shortcodes). Each is framed by a private-use character that does not
    occur in the text, so no source text can look like one, and :meth:`restore` raises
    ``ValueError`` when one is left or damaged: the post is then listed as not migrated
    instead of carrying an internal marker into the output."""

    def __init__(self, text: str) -> None:
        mark = next((chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text), None)
        if mark is None:
            raise ValueError("the text uses every private-use character: no placeholder is safe")
        self.mark = mark
        self.saved: list[str] = []
        self._rx = re.compile(f"{mark}(\\d+){mark}")

    def keep(self, text: str) -> str:
        self.saved.append(text)
        return f"{self.mark}{len(self.saved) - 1}{self.mark}"

    def restore(self, text: str) -> str:
        def back(m: re.Match[str]) -> str:
            n = int(m.group(1))
            if n >= len(self.saved):
                raise ValueError("internal placeholder damaged (please report it): post not converted")
            return self._rx.sub(back, self.saved[n])  # a kept text may hold earlier ones

        out = self._rx.sub(back, text)
        if self.mark in out:
            raise ValueError("internal placeholder left in the text (please report it): post not converted")
        return out


def blocks(text: str, open_rx: "re.Pattern[str]", close_rx: "re.Pattern[str]",
           fn: "Any") -> str:
    """Each ``open … close`` span replaced by ``fn(open_match, inner, close_match)``, in one
    pass: an opener without a closer after it ends the search (no later one has one)."""
    out: list[str] = []
    pos = 0
    while True:
        m = open_rx.search(text, pos)
        if m is None:
            break
        c = close_rx.search(text, m.end())
        if c is None:
            break
        out.append(text[pos:m.start()])
        out.append(fn(m, text[m.end():c.start()], c))
        pos = c.end()
    out.append(text[pos:])
    return "".join(out)


FENCE_OPEN = re.compile(r"(?m)^[ \t]{0,3}(`{3,}|~{3,})[^\n]*$")


def set_aside_fences(text: str, ph: "Placeholders", keep: Any = None, not_fence: Any = None) -> str:
    """Every fenced code block set aside whole (``ph.keep``), after ``keep(block)`` when
    given. One pass: a fence is closed by the next line of at least its length, or by the
    end of the text. ``not_fence(line, closed)``, when given, may say that an opening line
    opens no fence for the source's parser (kramdown): it returns the text to write for the
    line instead (``None``: a fence), and the scan goes on after it."""
    out: list[str] = []
    pos = 0
    while True:
        m = FENCE_OPEN.search(text, pos)
        if m is None:
            break
        fence = m.group(1)
        c = re.compile(rf"(?m)^[ \t]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$").search(text, m.end())
        instead = not_fence(m.group(0), c is not None) if not_fence else None
        if instead is not None:
            out += [text[pos:m.start()], instead]
            pos = m.end()
            continue
        end = c.end() if c else len(text)
        block = text[m.start():end]
        out += [text[pos:m.start()], ph.keep(keep(block) if keep else block)]
        pos = end
    out.append(text[pos:])
    return "".join(out)
