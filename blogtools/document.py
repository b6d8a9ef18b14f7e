"""Document: one content file, loaded once, with everything rules read.

bytes → text (UTF-8; a BOM and the newline style are remembered so a fix writes them back),
front matter (see :mod:`blogtools.frontmatter`), and the body parsed lazily into nodes with
exact spans (see :mod:`blogtools.markdown`). All offsets are offsets of ``text``: the decoded
file without its BOM, newlines as they are in the file.
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any, Iterator

from blogtools import frontmatter, safefs
from blogtools.lines import LineIndex
from blogtools.record import dataclass

MAX_BYTES = 4 * 1024 * 1024


class LoadError(Exception):
    """A file that cannot be read as a text document; carries a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_WIDE_BOMS = (  # longest first: UTF-32 LE starts with UTF-16 LE's BOM
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with a BOM)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with a BOM)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with a BOM)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with a BOM)"),
)


def _wide_encoding(data: bytes) -> str | None:
    """The name of a UTF-16/UTF-32 encoding ``data`` is written in (by its BOM, or by the
    NUL pattern of ASCII text without one), or None."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    head = data[:64]
    if len(head) >= 8 and len(head) % 2 == 0:
        if head[1::2].count(0) == len(head) // 2 and head[0::2].count(0) == 0:
            return "UTF-16 (little-endian, no BOM)"
        if head[0::2].count(0) == len(head) // 2 and head[1::2].count(0) == 0:
            return "UTF-16 (big-endian, no BOM)"
    return None


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 bytes → (text without BOM, had BOM). Raises LoadError naming the bad byte."""
    wide = _wide_encoding(data)
    if wide is not None:
        raise LoadError(f"encoded as {wide}, not UTF-8: Hugo and Jekyll read UTF-8; re-save the file as UTF-8")
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise LoadError(f"binary file (NUL byte at offset {nul}), not a text document")
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise LoadError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded"
            " (re-save the file as UTF-8)",
            line,
            column,
        ) from None
    return text, bom


def _too_large(size: int, max_bytes: int) -> LoadError:
    return LoadError(f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit"
                     " (max-file-size); not linted")


def newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    return "\r\n" if crlf > lf else "\n"


@dataclass
class Document:
    path: str  # as shown to the user (relative to the working directory when possible)
    text: str
    bom: bool = False
    newline: str = "\n"
    abspath: str = ""

    @classmethod
    def from_bytes(cls, path: str, data: bytes, abspath: str = "") -> "Document":
        text, bom = decode(data)
        return cls(path, text, bom, newline_style(text), abspath or os.path.abspath(path))

    @classmethod
    def from_text(cls, path: str, text: str) -> "Document":
        return cls(path, text, False, newline_style(text), os.path.abspath(path))

    @classmethod
    def read(cls, path: str, max_bytes: int = MAX_BYTES) -> "Document":
        # One open, one fstat, one read: a buffered file object costs as much again as the
        # system calls for a post of a few kilobytes (this runs for every file of a site).
        # Opened without blocking and refused unless it is a regular file (a FIFO would wait
        # for a writer forever).
        try:
            data = safefs.read_bytes(path, max_bytes)
        except safefs.TooLarge as exc:
            raise _too_large(exc.size, max_bytes) from None
        except safefs.Refused as exc:
            raise LoadError(exc.reason) from None
        except OSError as exc:
            raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
        return cls.from_bytes(path, data)

    def encode(self, text: str | None = None) -> bytes:
        text = self.text if text is None else text
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")

    # -- structure -------------------------------------------------------------------
    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def front_matter(self) -> frontmatter.FrontMatter | None:
        return frontmatter.parse(self.text)

    @property
    def meta(self) -> dict[str, Any]:
        """Front matter data, or {} when absent or unreadable."""
        fm = self.front_matter
        return fm.data if fm is not None and fm.data is not None else {}

    @property
    def body_start(self) -> int:
        fm = self.front_matter
        return fm.end if fm is not None else 0

    @cached_property
    def body(self) -> Any:
        from blogtools.markdown import parse_body

        fm = self.front_matter
        if fm is not None and fm.error and fm.end >= len(self.text):
            from blogtools.markdown import Body

            return Body([], [])  # unterminated fence: there is no body to read
        if self.is_html:
            from blogtools.markdown import parse_html_body

            return parse_html_body(self.text, self.body_start)
        if fm is not None and isinstance(fm.data, dict) and "EditURL" in fm.data:
            from blogtools import hatena_notation

            if hatena_notation.is_blogsync(fm.data):  # a Hatena Blog entry: its notation too
                return hatena_notation.parse_body(self.text, self.body_start)
        return parse_body(self.text, self.body_start)

    @property
    def is_html(self) -> bool:
        """An HTML document (a Jekyll post or page written in ``.html``): its body is HTML, not
        Markdown (one ``html_block`` node; Liquid tags found as in Markdown)."""
        return (self.abspath or self.path).lower().endswith((".html", ".htm"))

    def nodes(self, *kinds: str) -> Iterator[Any]:
        return self.body.iter(*kinds)

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    @property
    def bundle_dir(self) -> str:
        return os.path.dirname(self.abspath)
