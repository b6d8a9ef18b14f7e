"""Emphasis as kramdown pairs it, where Goldmark would pair it otherwise.

kramdown's rules (``parser/kramdown/emphasis.rb``) are not CommonMark's flanking rules: a
``*`` opens when no space follows and closes when no space comes before, whatever punctuation
is around (``Element(*)。div/child::*等`` is emphasis from the ``*)`` to the ``*等``); a ``**``
that finds no closing ``**`` falls back to ``*`` emphasis (``xpy**2 … 2*xpy`` shows
``xpy<em>*2 … 2</em>xpy``). Goldmark prints both as text. Where the two differ in a paragraph
or table cell, the pairs kramdown made are written as ``<em>``/``<strong>`` and every other
``*``/``_`` is escaped, so Goldmark renders what the reader of the Jekyll site saw.

Only plain text is rewritten: a paragraph holding code, a link, HTML, math, an escape or a URL
is left as it is (those spans change what kramdown's emphasis sees). The simulation has a step
budget proportional to the delimiters (kramdown itself rescans after an unclosed delimiter), so the
pass stays linear; past it the paragraph is left as it is.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from blogtools.migrate import body as bodymod
from blogtools.migrate.model import Post

# what makes a paragraph more than emphasis and text for kramdown's span parser
_OTHER_SPANS = re.compile(r"[`\[\]<>\\${}&~]|://|www\.")
_DELIMITER = re.compile(r"[*_]")
_TAGS = {"em": ("<em>", "</em>"), "strong": ("<strong>", "</strong>")}


class _Budget(Exception):
    pass


class _Kramdown:
    """kramdown's ``parse_spans`` for emphasis alone (text that holds no other span syntax)."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.steps = 8 * (s.count("*") + s.count("_")) + 100  # delimiters visited

    def spans(self, i: int, stop: tuple[str, str, int] | None, stack: tuple[str, ...]) -> tuple[int, list]:
        """Parse from ``i`` to the end or to ``stop`` = (delimiter, element, content start):
        (where the stop delimiter is, or -1; the pairs made)."""
        s, pairs = self.s, []
        tree = stack[-1] if stack else ""
        while True:
            m = _DELIMITER.search(s, i)
            if m is None:
                break
            i = m.start()
            self.steps -= 1
            if self.steps < 0:
                raise _Budget
            if stop is not None and s.startswith(stop[0], i) and self._closes(i, *stop):
                return i, pairs
            i, made = self.emphasis(i, stack, tree)
            pairs += made
        return -1, pairs

    def _closes(self, q: int, delim: str, elem: str, start: int) -> bool:
        s = self.s
        if q <= start or s[q - 1].isspace():
            return False
        if elem == "em" and s.startswith(delim * 2, q) and not s.startswith(delim * 3, q):
            return False
        after = s[q + len(delim):q + len(delim) + 1]
        return not (delim[0] == "_" and after.isalnum())

    def emphasis(self, i: int, stack: tuple[str, ...], tree: str) -> tuple[int, list]:
        s = self.s
        kind = s[i]
        run = kind * 2 if s.startswith(kind * 2, i) else kind
        element = "strong" if len(run) == 2 else "em"
        before = s[max(0, i - 2):i]
        after_alpha = before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha())
        nxt = s[i + len(run):i + len(run) + 1]
        if (kind == "_" and after_alpha) or nxt.isspace() or tree == element or element in stack:
            return i + len(run), []
        at, inner = self.spans(i + len(run), (run, element, i + len(run)), stack + (element,))
        if at >= 0:
            return at + len(run), inner + [(i, len(run), at, element)]
        if element == "strong" and tree != "em":
            at, inner = self.spans(i + 1, (kind, "em", i + 1), stack + ("em",))
            if at >= 0:
                return at + 1, inner + [(i, 1, at, "em")]
        return i + len(run), []


def kramdown_pairs(text: str) -> list[tuple[int, int, int, str]] | None:
    """(opener, delimiter length, closer, element) of each emphasis kramdown makes in
    ``text``; None when the step budget runs out."""
    sim = _Kramdown(text)
    try:
        return sim.spans(0, None, ())[1]
    except _Budget:
        return None


def commonmark_pairs(text: str) -> set[tuple[int, int, str]]:
    """(start, end, element) of each emphasis CommonMark (pulldown-cmark, as Goldmark) makes
    in the paragraph ``text``."""
    import pyromark

    from blogtools.cmark import OPTIONS

    src = "a " + text  # (a paragraph whatever the text starts with)
    data = src.encode()
    found: list[tuple[int, int, str]] = []
    for event, span in pyromark.events_with_range(src, options=OPTIONS):
        if isinstance(event, dict) and event.get("Start") in ("Emphasis", "Strong"):
            found.append((span["start"], span["end"], "em" if event["Start"] == "Emphasis" else "strong"))
    if not found:
        return set()
    # byte offsets → characters, decoding each stretch once
    offsets = sorted({b for a, z, _ in found for b in (a, z)})
    chars: dict[int, int] = {}
    last_b = last_c = 0
    for b in offsets:
        last_c += len(data[last_b:b].decode())
        last_b = b
        chars[b] = last_c - 2
    return {(chars[a], chars[z], kind) for a, z, kind in found}


def _with_cjk_spaces(text: str, leaf: Any, breaks: list[int],
                     openers: dict[tuple[int, int], dict[int, bool]]) -> set[tuple[int, int, str]]:
    """The pairs Goldmark makes of ``leaf`` once :func:`blogtools.migrate.target_hugo.cjk_emphasis`
    has given a delimiter beside punctuation Hugo's escaped space (``**これ。**\\ それ``), read
    with CJK ``escapedSpace`` (the escaped space is a space there: two spaces keep the offsets),
    in the leaf's offsets: where that pass makes the emphasis kramdown made, no HTML is needed.
    That pass counts delimiters per block between blank lines (a whole table): so is this."""
    from blogtools.migrate.target_hugo import CJK, CJK_EMPHASIS, cjk_openers, cjk_space

    s = leaf.text
    if not CJK.search(s):
        return set()
    i = bisect.bisect_right(breaks, leaf.to_abs(0) - 2) - 1
    block = breaks[i] + 2 if i >= 0 else 0
    j = bisect.bisect_left(breaks, leaf.to_abs(len(s) - 1))
    key = (block, breaks[j] if j < len(breaks) else len(text))
    if key not in openers:
        openers[key] = cjk_openers(text[key[0]:key[1]])
    opener = openers[key]
    parts, back, pos = [], [], 0  # back: offset in the new text -> offset in s
    for m in CJK_EMPHASIS.finditer(s):
        new = cjk_space(m, opener.get(leaf.to_abs(m.start()) - block, True))
        parts.append(s[pos:m.start()])
        back += range(pos, m.start())
        parts.append(new)
        # (an inserted space maps to the character after it; the delimiter keeps its offsets)
        kept = new.replace("\\ ", "")
        back += list(range(m.start(), m.start() + len(kept))) + [m.start() + len(kept)] * (len(new) - len(kept))
        pos = m.end()
    if not parts:
        return set()
    parts.append(s[pos:])
    back += range(pos, len(s) + 1)
    spaced = "".join(parts).replace("\\ ", "  ")
    return {(back[a], back[z], kind) for a, z, kind in commonmark_pairs(spaced)}


def _shown(n: int, pairs: set[tuple[int, int, str]]) -> tuple[set[int], list[int]]:
    """What a reader sees of emphasis pairs (start, end, element) over ``n`` characters: the
    delimiters they hide, and each character's style (``***x***`` is strong around em for
    kramdown, em around strong for CommonMark: the same bold italic)."""
    hidden: set[int] = set()
    style = [0] * (n + 1)
    for a, z, kind in pairs:
        width = 1 if kind == "em" else 2
        hidden.update(range(a, a + width))
        hidden.update(range(z - width, z))
        bit = 1 if kind == "em" else 2
        style[a] ^= bit  # (a difference array: each span toggles its bit on and off)
        style[z] ^= bit
    flags, cur = [], 0
    for i in range(n):
        cur ^= style[i]
        flags.append(0 if i in hidden else cur)
    return hidden, flags


def convert(post: Post, text: str) -> str:
    """Each plain paragraph or table cell whose emphasis kramdown pairs otherwise than
    Goldmark: kramdown's pairs as HTML, other delimiters escaped (see the module doc)."""
    doc = bodymod.parse(text)
    edits: list[tuple[int, int, str]] = []
    openers: dict[tuple[int, int], dict[int, bool]] = {}  # per block: a table's cells share one scan
    # where blank lines start, found once (a search per table cell is quadratic)
    breaks = [m.start() for m in re.finditer(r"(?=\n\n)", text)]
    for leaf in doc.body.leaves:
        s = leaf.text
        if ("*" not in s and "_" not in s) or _OTHER_SPANS.search(s):
            continue
        pairs = kramdown_pairs(s)
        if pairs is None:
            continue
        theirs = {(a, z + n, kind) for a, n, z, kind in pairs}
        ours = commonmark_pairs(s)
        if theirs == ours or _shown(len(s), theirs) == _shown(len(s), ours) \
                or _shown(len(s), theirs) == _shown(len(s), _with_cjk_spaces(text, leaf, breaks, openers)):
            continue
        used: dict[int, str] = {}
        for a, n, z, kind in pairs:
            used[a], used[z] = _TAGS[kind][0], _TAGS[kind][1]
            for k in range(1, n):
                used[a + k] = used[z + k] = ""
        for m in re.finditer(r"[*_]", s):
            i = m.start()
            new = used.get(i, "\\" + m.group(0))
            edits.append((leaf.to_abs(i), leaf.to_abs(i) + 1, new))
    if not edits:
        return text
    post.warn("emphasis kramdown pairs otherwise than Goldmark (xpy**2 … 2*xpy) written as <em>/<strong>, other"
              " '*' and '_' escaped: Hugo shows what Jekyll showed")
    return bodymod.splice(text, edits)

