"""BT504: a footnote whose continuation is indented so that Hugo cuts it off."""

from __future__ import annotations

import re
from itertools import chain
from typing import Any, Iterable, Iterator, NamedTuple

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule

_BLOCK_START = re.compile(r"(?:>|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|<[A-Za-z/!?]"
                          r"|\[\^[^\]\s]+\]:|(?:[-*_][ \t]*){3,}$)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _indent(line: str) -> tuple[int, int]:
    """(width in columns, tabs to the next multiple of 4; characters of indentation)."""
    width = 0
    for k, c in enumerate(line):
        if c == " ":
            width += 1
        elif c == "\t":
            width += 4 - width % 4
        else:
            return width, k
    return width, len(line)


def _lines(text: str, start: int) -> Iterator[tuple[int, str]]:
    """(offset, line without its newline) from ``start`` to the end of the text."""
    pos = start
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        if m is None or m.end() == pos:
            return
        yield pos, m.group(0).rstrip("\r\n")
        pos = m.end()


class FootnoteContinuation(Rule):
    """A footnote continued by lines that are not indented enough, so Hugo cuts them off.

    What it does
        Follows each footnote definition line by line, the way Hugo's Markdown renderer
        (goldmark) reads it: a line belongs to the footnote when it is indented by at least
        4 columns more than the ``[^label]:`` line, or when it continues the footnote's
        paragraph directly (no blank line, not starting a block). It reports the first line
        that was evidently meant as part of the note but falls out of it:

        - a line after a blank line indented by 1 to 3 spaces (4 are needed);
        - a block quote ``>`` right after the definition, not indented.

        Definitions inside lists or block quotes are not checked; footnote-like text in
        code is not a definition.

    Why it matters
        The cut-off part is rendered where it stands, at the end of the post, outside the
        footnote: a quoted tweet ends up as a stray block quote under the footnote list,
        and the note itself keeps only its first line.

    Example
        ::

            [^tw]: https://twitter.com/example/status/1493012345678901234

              > 勉強会を再開しようと思っています。
              > 話してもいいよという方、リプライください!

    Use instead
        ::

            [^tw]: https://twitter.com/example/status/1493012345678901234

                > 勉強会を再開しようと思っています。
                > 話してもいいよという方、リプライください!

    Fix safety
        Unsafe: the lines are re-indented by 4 columns more than the definition, which
        moves them into the footnote and so changes the rendered page (as intended, but
        check it). Lines after the cut-off part that were not meant for the note would
        move too.
    """

    code = "BT504"
    name = "footnote-continuation"
    summary = "A footnote's continuation is indented so that Hugo cuts it off"
    severity = "warning"
    fixable = "unsafe"
    default_enabled = False  # measured precision under 95% on real blogs (benchmarks/ACCURACY.md)
    tags = ("footnotes",)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        text = doc.text
        for d in doc.nodes("footnote_def"):
            cut = None if d.container else _cut(text, d)
            if cut is None:
                continue
            width, chars = _indent(cut.line)
            start, end = cut.offset + chars, cut.offset + len(cut.line.rstrip())
            if cut.kind == "indent":
                extra = width - cut.lead
                message = (f"footnote [^{d.text}] continues with a line indented {extra} "
                           f"space{'s' if extra != 1 else ''}: Hugo needs 4, so the footnote ends before it")
            else:
                message = (f"footnote [^{d.text}] is followed by a block quote that is not indented: "
                           "Hugo ends the footnote before it")
            shift = cut.lead + 4 - width
            edits = tuple(Edit(off, off + _indent(line)[1], " " * (_indent(line)[0] + shift)) for off, line in cut.block)
            fix = Fix(edits, safe=False, description=f"indent the continuation by {cut.lead + 4} spaces", markup=True)
            yield self.diagnostic(doc, start, end, message, fix)


class Cut(NamedTuple):
    kind: str  # "indent" | "quote"
    offset: int  # where the first cut-off line starts
    line: str
    lead: int  # indentation of the definition line
    block: list[tuple[int, str]]  # the lines to re-indent


_NO_LAZY = re.compile(r"`{3,}|~{3,}|#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$")


def _cut(text: str, d: Any) -> Cut | None:
    """The first line meant for footnote ``d`` that Hugo leaves out of it, if any."""
    line_start = text.rfind("\n", 0, d.start) + 1
    lead = _indent(text[line_start : d.start] + "x")[0]
    first = _LINE.match(text, d.start)
    if first is None:
        return None
    paragraph = bool(text[d.text_end + 2 : first.end()].strip())  # lazy lines may continue it
    blank = False
    # Read lazily, up to where the footnote ends: listing the rest of the text for each of a
    # post's footnotes took quadratic time (100,000 footnotes: minutes).
    lines = _lines(text, first.end())
    for offset, line in lines:
        if not line.strip():
            blank = True
            continue
        width, chars = _indent(line)
        content = line[chars:]
        if width >= lead + 4:
            blank, paragraph = False, not _NO_LAZY.match(content)
            continue
        if not blank and paragraph and not _BLOCK_START.match(content):
            continue  # a lazy continuation line: still in the footnote
        if content.startswith("[^") and "]:" in content:
            return None  # the next definition
        if blank and lead < width:
            rest = chain([(offset, line)], lines)
            return Cut("indent", offset, line, lead, _block(rest, lead, stop_at_blank=False))
        if not blank and content.startswith(">"):
            rest = chain([(offset, line)], lines)
            return Cut("quote", offset, line, lead, _block(rest, lead, stop_at_blank=True))
        return None
    return None


def _block(lines: Iterable[tuple[int, str]], lead: int, stop_at_blank: bool) -> list[tuple[int, str]]:
    """The lines meant for the footnote, from the first cut-off one."""
    out: list[tuple[int, str]] = []
    blank = False
    for offset, line in lines:
        if not line.strip():
            if stop_at_blank:
                break
            blank = True
            continue
        width, _ = _indent(line)
        if out and (blank and width <= lead or line.lstrip().startswith("[^") and "]:" in line):
            break
        out.append((offset, line))
        blank = False
    return out
