"""Inline suppressions written as HTML comments (invisible in the rendered post).

- ``<!-- blogtools-disable-next-line BT201 -->``: the next line (codes optional: all rules).
- ``<!-- blogtools-disable BT201 -->`` ... ``<!-- blogtools-enable BT201 -->``: a range.
- ``<!-- blogtools-disable-file BT201 -->``: the whole file.
Codes may be separated by spaces or commas; a rule name works as well as a code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blogtools.document import Document
    from blogtools.lint.rule import Diagnostic

_DIRECTIVE = re.compile(r"^blogtools-(disable-next-line|disable-file|disable|enable)\b(.*)$", re.S)
ALL = "*"


def _codes(rest: str) -> set[str]:
    codes = {c for c in re.split(r"[\s,]+", rest.strip()) if c}
    return codes or {ALL}


class Suppressions:
    def __init__(self) -> None:
        self.file: set[str] = set()
        self.lines: dict[int, set[str]] = {}
        self.ranges: list[tuple[int, int, set[str]]] = []

    def __bool__(self) -> bool:
        return bool(self.file or self.lines or self.ranges)

    def covers(self, diag: "Diagnostic") -> bool:
        keys = {diag.code, diag.name, ALL}
        if self.file & keys:
            return True
        if self.lines.get(diag.line, set()) & keys:
            return True
        return any(a <= diag.line <= b and codes & keys for a, b, codes in self.ranges)


def collect(doc: "Document") -> Suppressions:
    sup = Suppressions()
    if "blogtools-" not in doc.text:
        return sup
    open_ranges: dict[str, int] = {}
    for node in doc.nodes("html_comment"):
        m = _DIRECTIVE.match(node.text)
        if not m:
            continue
        kind, codes = m.group(1), _codes(m.group(2))
        line = doc.position(node.start)[0]
        end_line = doc.position(node.end)[0]
        if kind == "disable-file":
            sup.file |= codes
        elif kind == "disable-next-line":
            sup.lines.setdefault(end_line + 1, set()).update(codes)
        elif kind == "disable":
            for code in codes:
                open_ranges.setdefault(code, line)
        else:
            for code in codes if codes != {ALL} else set(open_ranges):
                start = open_ranges.pop(code, None)
                if start is not None:
                    sup.ranges.append((start, line, {code}))
    last = len(doc.lines.starts)
    for code, start in open_ranges.items():
        sup.ranges.append((start, last, {code}))
    return sup


def apply(doc: "Document", diagnostics: list["Diagnostic"]) -> list["Diagnostic"]:
    sup = collect(doc)
    if not sup:
        return diagnostics
    return [d for d in diagnostics if not sup.covers(d)]
