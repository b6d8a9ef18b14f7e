"""Footnote rules (BT501-BT504) beyond the case files: the example site, seed-004 shapes,
labels, line endings and odd input."""

from __future__ import annotations

import pytest

from blogtools import api
from tests.conftest import EXAMPLE, text_at

CODES = ["BT501", "BT502", "BT503", "BT504"]


def found(text: str, unsafe: bool = False) -> list[tuple[str, str]]:
    return [(d.code, text_at(text, d.line, d.column, d.end_line, d.end_column)) for d in api.lint_text(text, select=CODES)]


def test_example_site_footnotes_are_fine() -> None:
    """Seed 004's shape: five named footnotes, one continued by a blockquote indented 4 spaces."""
    assert api.lint_paths([str(EXAMPLE)], select=CODES) == []


def test_labels_are_case_sensitive_and_code_does_not_count() -> None:
    text = "a[^A] b[^b] `[^c]`\n\n```\n[^d]: not a definition\n```\n\n[^a]: one\n[^b]: two\n"
    assert found(text) == [("BT501", "A"), ("BT502", "a")]


def test_regex_classes_in_prose_are_no_footnotes() -> None:
    # a post explaining a pattern in running text: [^>] and [^<] are character classes
    text = "タグの中身は <[^>]*> で、外側は [^<]+ で取り出す[^n]。\n"
    assert found(text) == [("BT501", "n")]


def test_definition_without_a_space_after_the_colon() -> None:
    text = "a[^x] b[^y]\n\n[^x]:text\n[^y]:[link](https://example.com/)\n"
    assert found(text) == []
    assert found("a\n\n[^x]:never used\n") == [("BT502", "x")]


def test_crlf_and_tabs() -> None:
    text = "a[^tw]\r\n\r\n[^tw]: first\r\n\r\n  > quote\r\n  > more\r\n\r\nafter\r\n"
    assert found(text) == [("BT504", "> quote")]
    fixed = api.fix_text(text, select=["BT504"], unsafe=True)
    assert fixed == "a[^tw]\r\n\r\n[^tw]: first\r\n\r\n    > quote\r\n    > more\r\n\r\nafter\r\n"
    assert found("a[^tw]\n\n[^tw]: first\n\n\t> tab is four columns\n") == []


def test_a_definition_inside_a_list_counts_and_is_not_checked_for_continuation() -> None:
    assert found("a[^x]\n\n- [^x]: in a list\n  > quote\n") == []
    assert found("a[^x]\n\n> [^x]: in a quote\n> more\n") == []


def test_lazy_line_is_part_of_the_footnote_and_text_after_a_blank_line_is_not() -> None:
    text = "a[^x]\n\n[^x]: first line\nlazy line\n\nplain paragraph after the notes\n"
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "[^]", "[^ x]", "[^x]:", "[^x]:\n", "a[^x]\n[^x]: \n    \n", "[^x]: a\n\n   ", "\n".join(f"[^{i}]: n" for i in range(50)),
    "[^a]: [^b]: [^c]:", "> [^q]: in a quote\n> > deeper [^q]\n",
])
def test_odd_input_never_crashes(text: str) -> None:
    for d in api.lint_text(text, select=CODES):
        assert d.code in CODES
