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

from blogtools import frontmatter
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


def decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 bytes → (text without BOM, had BOM). Raises LoadError naming the bad byte."""
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
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
        try:
            size = os.fstat(fd).st_size
            if size > max_bytes:
                raise _too_large(size, max_bytes)
            data = os.read(fd, size + 1)
            if len(data) != size:  # changed meanwhile, a short read, or no size (/proc): read on
                parts = [data]
                while parts[-1]:
                    parts.append(os.read(fd, 1 << 20))
                data = b"".join(parts)
                if len(data) > max_bytes:
                    raise _too_large(len(data), max_bytes)
        except OSError as exc:
            raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
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
        return parse_body(self.text, self.body_start)

    def nodes(self, *kinds: str) -> Iterator[Any]:
        return self.body.iter(*kinds)

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    @property
    def bundle_dir(self) -> str:
        return os.path.dirname(self.abspath)
