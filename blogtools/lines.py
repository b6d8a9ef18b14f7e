"""Offsets in a text ↔ 1-based line:column.

Columns count Unicode code points (a kanji, a kana or an emoji is one column), the way
ruff and most editors' "column" setting count them. ``\\r\\n``, ``\\r`` and ``\\n`` all end a line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, count
from operator import add

_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps offsets of ``text`` to positions and back."""

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        if "\r" in text:
            self.starts = [0]
            self.starts.extend(m.end() for m in _NEWLINE.finditer(text))
        else:
            # Only ``\n`` ends a line (nearly every file): line k starts after the k lines
            # before it and their k newlines, summed in C rather than one match at a time.
            starts = list(map(add, accumulate(map(len, text.split("\n")), initial=0), count()))
            starts.pop()
            self.starts = starts
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        if offset < 0:
            offset = 0
        elif offset > self.length:
            offset = self.length
        starts = self.starts
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """1-based (line, column, end line, end column) of ``start``..``end``: one call for
        the positions facts store by the hundred per file."""
        length, starts = self.length, self.starts
        start = 0 if start < 0 else length if start > length else start
        end = 0 if end < 0 else length if end > length else end
        line = bisect_right(starts, start)
        # most spans end on their first line: test that before searching
        if line == len(starts) or end < starts[line]:
            end_line = line if end >= starts[line - 1] else bisect_right(starts, end)
        else:
            end_line = bisect_right(starts, end, line)
        return line, start - starts[line - 1] + 1, end_line, end - starts[end_line - 1] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Offset of a 1-based (line, column)."""
        line = max(1, min(line, len(self.starts)))
        return min(self.starts[line - 1] + column - 1, self.length)

    def line_start(self, offset: int) -> int:
        return self.starts[bisect_right(self.starts, offset) - 1]
