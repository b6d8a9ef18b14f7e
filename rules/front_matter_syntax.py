"""BT002: front matter that does not parse, reported where the parser stopped."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule


class FrontMatterSyntax(Rule):
    """Front matter that Hugo or Jekyll cannot read.

    What it does
        Loads the front matter block (YAML between ``---``, TOML between ``+++``, JSON
        object at the top) and reports the first syntax error at the line and column the
        parser names; an opening fence without a closing one is reported at the fence.
        YAML tags such as ``!!python/object`` are never constructed, and alias bombs are
        refused instead of being expanded.

    Why it matters
        A post whose front matter does not parse fails the whole build (Hugo) or is
        published with no title, date or tags (Jekyll renders it as a plain page).

    Example
        ::

            ---
            title: "Kubernetes の話
            date: 2021-01-10
            ---

        gives ``post.md:3:1: BT002 invalid YAML: ...`` at the line where the unterminated
        string runs into the next key.

    Use instead
        Close the string, fence or bracket the message points at.

    Fix safety
        No automatic fix: the intended value cannot be known.
    """

    code = "BT002"
    name = "front-matter-syntax"
    summary = "Front matter is not valid YAML, TOML or JSON, or its fence is not closed"
    severity = "error"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = doc.front_matter
        if fm is None or fm.error is None:
            return
        start = fm.error_offset
        line_end = doc.text.find("\n", start)
        end = len(doc.text) if line_end < 0 else line_end
        if end == start:
            end = min(start + 1, len(doc.text))
        yield self.diagnostic(doc, start, end, fm.error)


class FrontMatterDuplicateKey(Rule):
    """The same key twice in one front matter block.

    What it does
        Reports every second (or later) occurrence of a key in YAML front matter, at that
        key. (TOML forbids duplicates outright; those are reported as BT002.)

    Why it matters
        YAML loaders disagree: some keep the first value, ruamel.yaml refuses the file,
        Hugo keeps the last. A post whose ``date`` appears twice is dated by whichever
        tool reads it.

    Example
        ::

            title: "開催しました"
            date: 2018-07-15
            date: 2018-07-16

    Use instead
        Keep one of the two keys.

    Fix safety
        No automatic fix: which value is right is the author's call.
    """

    code = "BT003"
    name = "front-matter-duplicate-key"
    summary = "A key appears twice in the front matter"
    severity = "error"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = doc.front_matter
        if fm is None:
            return
        for path, offset in fm.duplicates:
            key = str(path[-1])
            yield self.diagnostic(doc, offset, offset + len(key),
                                  f"duplicate key {'.'.join(map(str, path))!r}: it was already set above")
