"""Inline suppressions written as HTML comments (invisible in the rendered post).

- ``<!-- blogtools-disable-next-line BT201 -->``: the next line (codes optional: all rules).
- ``<!-- blogtools-disable BT201 -->`` ... ``<!-- blogtools-enable BT201 -->``: a range.
- ``<!-- blogtools-disable-file BT201 -->``: the whole file.
Codes may be separated by spaces or commas; a rule name works as well as a code.

A comment whose text starts with ``blogtools-`` is read as a directive and matched whole:
the directive word is one of the four above, followed by whitespace or the end of the
comment, and every code names a rule. Anything else suppresses nothing and is recorded in
:attr:`Suppressions.problems`, which the ``suppression-invalid`` rule reports (a misspelt
``blogtools-disable-next-lin BT201`` is not read as ``blogtools-disable``).

Each code of each directive is an :class:`Entry` that remembers whether it suppressed a
finding; the ``suppression-unused`` rule (opt-in) reports those that did not, for rules that
ran: file rules in :func:`apply`, site-wide rules in :func:`filter_site` (their findings
come later, in the main process; the entries travel there in the file's facts).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from blogtools.document import Document
    from blogtools.lint.rule import Diagnostic, Rule

ALL = "*"
KINDS = ("disable-next-line", "disable-file", "disable", "enable")
PREFIX = "blogtools-"
INVALID_NAME = "suppression-invalid"  # the rules reporting what is recorded here
UNUSED_NAME = "suppression-unused"

_WORD = re.compile(r"blogtools-(\S*)", re.I)  # the directive word runs to whitespace: matched whole
_TOKEN = re.compile(r"[^\s,]+")
_FAR = 1 << 30  # "to the end of the file"


class Entry:
    """One code of one directive (``ALL`` for a directive without codes), the lines it
    covers, where it is written (offsets and 1-based span), and whether it was used."""

    __slots__ = ("kind", "code", "first", "last", "start", "end", "pos", "used", "pending")

    def __init__(self, kind: str, code: str, first: int, last: int, start: int, end: int,
                 pos: tuple[int, int, int, int] | None) -> None:
        self.kind, self.code, self.first, self.last = kind, code, first, last
        self.start, self.end, self.pos = start, end, pos
        self.used = False
        self.pending = False  # a site-wide rule's code: judged after the site rules ran

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, k) for k in self.__slots__)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for k, v in zip(self.__slots__, state):
            setattr(self, k, v)

    def applies(self, diag: "Diagnostic") -> bool:
        return self.first <= diag.line <= self.last and (self.code == ALL or self.code == diag.code)

    def describe(self) -> str:
        what = "every rule" if self.code == ALL else self.code
        if self.kind == "enable":
            written = "" if self.code == ALL else " " + self.code
            return f"blogtools-enable{written}: no blogtools-disable{written} is open here, so it enables nothing"
        if self.first > self.last:
            return f"blogtools-disable {what}: already disabled by an earlier blogtools-disable"
        if self.kind == "disable-next-line":
            where = f"on line {self.first}"
        elif self.kind == "disable-file":
            where = "in this file"
        else:
            where = f"on lines {self.first}-{self.last}"
        return f"blogtools-{self.kind} {what}: no {what} finding {where} to suppress; remove it"


class Suppressions:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.stray: list[Entry] = []  # enable directives (or codes) with no open range
        self.problems: list[tuple[int, int, str]] = []  # (start, end, message): not directives

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __getstate__(self) -> dict[str, Any]:
        # Travels in the facts (site-wide findings honour it); problems are reported per file.
        return {"entries": self.entries, "stray": self.stray, "problems": []}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.entries = state.get("entries", [])
        self.stray = state.get("stray", [])
        self.problems = state.get("problems", [])
        if "entries" not in state:  # pickled by an older version (file, lines, ranges)
            for code in state.get("file", ()):
                self.entries.append(Entry("disable-file", code, 1, _FAR, 0, 0, None))
            for line, codes in state.get("lines", {}).items():
                self.entries.extend(Entry("disable-next-line", c, line, line, 0, 0, None) for c in codes)
            for a, b, codes in state.get("ranges", ()):
                self.entries.extend(Entry("disable", c, a, b, 0, 0, None) for c in codes)

    def matching(self, diag: "Diagnostic") -> list[int]:
        """Indexes of the entries that suppress ``diag``."""
        return [i for i, e in enumerate(self.entries) if e.applies(diag)]

    def covers(self, diag: "Diagnostic") -> bool:
        return any(e.applies(diag) for e in self.entries)

    def mark(self, diag: "Diagnostic") -> bool:
        """Does an entry suppress ``diag``? Every entry that does is marked used."""
        hit = False
        for e in self.entries:
            if e.applies(diag):
                e.used = hit = True
        return hit


def _rules() -> tuple[dict[str, Any], dict[str, str]]:
    from blogtools.lint.registry import all_rules, retired

    return all_rules(), retired()


def _resolve(token: str, rules: dict[str, Any], retired: dict[str, str], where: str) -> tuple[str | None, str]:
    """(rule code, "") for a code or name, else (None, why it names no rule)."""
    if token.upper() in rules:
        return token.upper(), ""
    for code, rule in rules.items():
        if rule.name == token:
            return code, ""
    if token.upper() in retired:
        return None, f"rule {token.upper()} was retired ({where}: {retired[token.upper()]})"
    if token.upper() == "ALL":
        return None, f"'ALL' is not a rule code ({where}: leave the codes out to suppress every rule)"
    if re.fullmatch(r"BT\d{0,2}", token, re.I) and any(c.startswith(token.upper()) for c in rules):
        return None, f"'{token}' is a code prefix ({where} takes whole codes or rule names)"
    import difflib

    close = difflib.get_close_matches(token, list(rules) + [r.name for r in rules.values()], n=1, cutoff=0.75)
    hint = f"did you mean '{close[0]}'?" if close else "see `blogtools rules`"
    return None, f"unknown rule code '{token}' ({where}: {hint})"


def _unknown_directive(written: str) -> str:
    word = written[len(PREFIX):]
    low = word.lower()
    if low in KINDS:
        hint = f"directives are written in lower case: 'blogtools-{low}'"
    else:
        glued = next((k for k in KINDS if low.startswith(k) and not re.match(r"[\w-]", low[len(k)])), None) \
            if low else None
        if glued is not None:
            hint = f"put a space between 'blogtools-{glued}' and the codes"
        else:
            import difflib

            close = difflib.get_close_matches(low, KINDS, n=1, cutoff=0.6)
            hint = (f"did you mean 'blogtools-{close[0]}'?" if close
                    else "directives are " + ", ".join(f"blogtools-{k}" for k in KINDS))
    return f"'{written}' is not a blogtools directive ({hint}): it suppresses nothing"


def _find(raw: str, token: str, cursor: int) -> tuple[int, str]:
    """Where ``token`` (from the comment's text) is in the comment as written, and as
    written there: the parser masks shortcodes (``{{< x >}}``) with U+001A in its text."""
    if "\x1a" not in token:
        at = raw.find(token, cursor)
        return (at, token) if at >= 0 else (cursor, token)
    pattern = re.compile("".join("." if c == "\x1a" else re.escape(c) for c in token), re.S)
    while cursor < len(raw) and (raw[cursor].isspace() or raw[cursor] == ","):
        cursor += 1
    m = pattern.match(raw, cursor) or pattern.search(raw, cursor)
    return (m.start(), m.group(0)) if m else (cursor, token)


def collect(doc: "Document") -> Suppressions:
    """The document's directives (computed once per document: the rules reporting invalid
    and unused directives, the suppression of findings and the facts share one result)."""
    known = doc.__dict__.get("_blogtools_suppressions")
    if known is not None:
        return known
    sup = doc.__dict__["_blogtools_suppressions"] = Suppressions()
    text = doc.text
    if "logtools-" not in text and "LOGTOOLS-" not in text:  # (blogtools-, Blogtools-, BLOGTOOLS-)
        return sup
    rules = retired = None
    span = doc.lines.span
    open_ranges: dict[str, Entry] = {}
    for node in doc.nodes("html_comment"):
        m = _WORD.match(node.text)
        if not m:
            continue
        # Positions: the tokens are found in the comment as written (node.text is the
        # comment's text with a container's prefixes, such as a blockquote's "> ", removed).
        raw = text[node.start : node.end]
        found, written = _find(raw, m.group(0), 0)
        at = node.start + found
        cursor = found + len(written)
        word = m.group(1)
        if not written.startswith(PREFIX) or word not in KINDS:
            sup.problems.append((at, at + len(written), _unknown_directive(written)))
            continue
        if rules is None:
            rules, retired = _rules()
        codes: list[tuple[str, int, int]] = []
        tokens = _TOKEN.findall(node.text, m.end())
        for token in tokens:
            a, token = _find(raw, token, cursor)
            cursor = a + len(token)
            code, why = _resolve(token, rules, retired, f"blogtools-{word}")
            if code is None:
                start = node.start + a
                sup.problems.append((start, start + len(token), f"{why}: it suppresses nothing"))
            else:
                codes.append((code, node.start + a, node.start + a + len(token)))
        if tokens and not codes:
            continue  # every code unknown: it suppresses nothing (never every rule)
        if not tokens:
            codes = [(ALL, at, at + len(written))]
        line = doc.position(node.start)[0]
        end_line = doc.position(node.end)[0]
        for code, a, b in codes:
            pos = span(a, b)
            if word == "disable-file":
                sup.entries.append(Entry(word, code, 1, _FAR, a, b, pos))
            elif word == "disable-next-line":
                sup.entries.append(Entry(word, code, end_line + 1, end_line + 1, a, b, pos))
            elif word == "disable":
                entry = Entry(word, code, line, _FAR, a, b, pos)
                if code in open_ranges:
                    entry.first, entry.last = 1, 0  # already open: covers nothing
                else:
                    open_ranges[code] = entry
                sup.entries.append(entry)
            else:
                closing = list(open_ranges) if code == ALL else [code]
                closed = [open_ranges.pop(c) for c in closing if c in open_ranges]
                for entry in closed:
                    entry.last = line
                if not closed:
                    sup.stray.append(Entry("enable", code, 1, 0, a, b, pos))
    last = len(doc.lines.starts)
    for entry in open_ranges.values():
        entry.last = last  # open to the end of the file
    return sup


def apply(doc: "Document", diagnostics: list["Diagnostic"], rules: Iterable["Rule"] = ()) -> list["Diagnostic"]:
    """The diagnostics no directive suppresses. ``rules``: the rules that ran on ``doc``
    without failing; with ``suppression-unused`` among them, its findings are added for the
    codes of the file rules that ran (site-wide rules' codes are left to :func:`filter_site`)."""
    sup = collect(doc)
    if not sup.entries and not sup.stray:
        return diagnostics
    for e in sup.entries:
        e.used = e.pending = False
    kept = [d for d in diagnostics if not sup.mark(d)]
    ran = {r.code: r for r in rules}
    unused = next((r for r in ran.values() if r.name == UNUSED_NAME), None)
    if unused is None:
        return kept
    found = [unused.diagnostic(doc, e.start, e.end, e.describe()) for e in sup.stray]
    for e in sup.entries:
        if not judged(e, ran, unused.code):
            continue
        if ran[e.code].site_wide:
            e.pending = True
        else:
            found.append(unused.diagnostic(doc, e.start, e.end, e.describe()))
    kept.extend(d for d in found if not sup.mark(d))
    return kept


def judged(e: Entry, ran: dict[str, Any], unused_code: str) -> bool:
    """Can this run call ``e`` unused? Only for a rule that ran, and never: a directive
    without codes (a rule that did not run may be what it hides), the unused rule's own code,
    or a network rule's (what it finds depends on the network and its cache)."""
    if e.used or e.code == ALL or e.code == unused_code or e.pos is None:
        return False
    rule = ran.get(e.code)
    return rule is not None and not rule.needs_network


def filter_site(diagnostics: list["Diagnostic"], results: Iterable[Any], ran: Iterable[type["Rule"]] = (),
                selected: Iterable[type["Rule"]] = ()) -> list["Diagnostic"]:
    """Site-wide diagnostics without those the directives of the file they point into
    suppress; with ``suppression-unused`` selected, its findings for the directives of
    site-wide rules that ran (``ran``: without failing) and suppressed nothing, in the file
    or site-wide. The entries in the facts are not changed (cached results share them)."""
    from blogtools.lint.rule import Diagnostic

    results = list(results)
    by_path = {r.path: r for r in results}
    used: set[tuple[str, int]] = set()
    out = []
    for d in diagnostics:
        r = by_path.get(d.path)
        sup = r.facts.get("suppressions") if r is not None and r.facts is not None else None
        if sup:
            hits = sup.matching(d)
            if hits:
                used.update((d.path, i) for i in hits)
                continue
        out.append(d)
    unused = next((cls for cls in selected if cls.name == UNUSED_NAME), None)
    ran_codes = {cls.code for cls in ran}
    if unused is None:
        return out
    for r in results:
        sup = r.facts.get("suppressions") if r.facts is not None else None
        if not sup:
            continue
        for i, e in enumerate(sup.entries):
            if e.pending and not e.used and (r.path, i) not in used and e.code in ran_codes:
                d = Diagnostic(r.path, *e.pos, unused.code, unused.name, unused.severity, e.describe(), None,
                               e.start, e.end)
                if not sup.covers(d):
                    out.append(d)
    return out
