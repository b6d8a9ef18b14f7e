"""Offsets ↔ 1-based line:column (``blogtools.lines``), on every line-ending style."""

from __future__ import annotations

from hypothesis import given, strategies as st

from blogtools.lines import LineIndex

# "\r" and "\n" side by side make CRLF line ends too
TEXT = st.text(alphabet=st.sampled_from(["a", "漢", "😀", "\n", "\r", "\u3000"]), max_size=40)


def test_positions_count_code_points_and_every_newline_style() -> None:
    index = LineIndex("ab\r\n漢字\rx\ny")
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 1)  # after "\r\n"
    assert index.position(5) == (2, 2)  # one kanji is one column
    assert index.position(7) == (3, 1)  # after a lone "\r"
    assert index.position(9) == (4, 1)
    assert index.position(99) == (4, 2)  # clamped to the end
    assert index.position(-5) == (1, 1)


@given(TEXT, st.integers(-3, 45), st.integers(-3, 45))
def test_span_is_the_two_positions(text: str, start: int, end: int) -> None:
    index = LineIndex(text)
    assert index.span(start, end) == index.position(start) + index.position(end)


@given(TEXT, st.integers(0, 45))
def test_offset_inverts_position(text: str, offset: int) -> None:
    index = LineIndex(text)
    offset = min(offset, len(text))
    if offset == len(text) or text[offset - 1 : offset + 1] != "\r\n":  # not inside a CRLF
        assert index.offset(*index.position(offset)) == offset


@given(st.text(alphabet=st.sampled_from(["a", "漢", "\n", "\r", " "]), max_size=60))
def test_line_starts_are_the_ends_of_every_newline(text: str) -> None:
    import re

    expected = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    assert LineIndex(text).starts == expected
    assert LineIndex(text.replace("\r", "")).starts == [0] + [m.end() for m in re.finditer("\n", text.replace("\r", ""))]
