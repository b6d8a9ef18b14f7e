"""Offsets in a text ↔ 1-based line:column.

Columns count Unicode code points (a kanji, a kana or an emoji is one column), the way
ruff and most editors' "column" setting count them. ``\\r\\n``, ``\\r`` and ``\\n`` all end a line.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps offsets of ``text`` to positions and back."""

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(m.end() for m in _NEWLINE.finditer(text))
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Offset of a 1-based (line, column)."""
        line = max(1, min(line, len(self.starts)))
        return min(self.starts[line - 1] + column - 1, self.length)

    def line_start(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1]
