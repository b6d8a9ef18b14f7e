"""The Markdown body as nodes with exact source spans.

The block and inline structure comes from pulldown-cmark, a compiled CommonMark parser
with GFM tables, strikethrough, task lists and footnotes (the ``pyromark`` wheel), whose
events carry source ranges: :mod:`blogtools.cmark` turns them into the :class:`Node` and
:class:`Leaf` records every rule reads, and corrects what Goldmark (Hugo's parser) reads
differently. This module holds the records, the template masking and the entry points.

Hugo shortcodes (``{{< >}}``, ``{{% %}}``) and Liquid tags (``{% %}``, ``{{ }}``) are found
before block parsing and masked with ``\\x1a`` characters of the same length (not spaces: a masked
line start must not become indented code), so offsets never shift and
nothing inside them is read as Markdown. Paired code-like tags (``highlight``, ``raw``) mask
their inner text too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from operator import attrgetter
from typing import Any

from blogtools.record import dataclass, field

# --------------------------------------------------------------------------- nodes


@dataclass(slots=True)
class Node:
    """A piece of the body. Offsets are absolute offsets in the document text."""

    kind: str
    start: int
    end: int
    text: str = ""  # link/image text, heading text, code, shortcode name, html source
    url: str = ""  # link/image/autolink destination; footnote label; shortcode params
    text_start: int = -1  # span of ``text`` (link label, heading text)
    text_end: int = -1
    url_start: int = -1
    url_end: int = -1
    level: int = 0  # heading level; 1 for a closing shortcode
    container: str = ""  # e.g. "list_item/block_quote" (innermost last)
    attrs: dict[str, Any] | None = None


@dataclass(slots=True)
class Leaf:
    """Inline text of one leaf block (its source, container prefixes left out), with a map
    back to the document."""

    kind: str  # paragraph | heading | table_cell | footnote
    text: str
    container: str
    _starts: list[int] = field(repr=False, default_factory=list)
    _offsets: list[int] = field(repr=False, default_factory=list)

    def to_abs(self, i: int) -> int:
        k = bisect_right(self._starts, i) - 1
        return self._offsets[k] + (i - self._starts[k])


@dataclass(slots=True)
class Body:
    nodes: list[Node]
    leaves: list[Leaf]
    # (nodes list, its length, kind -> nodes, kind -> their indexes in ``nodes``), built on the
    # first :meth:`iter` call: some twenty rules and facts each ask for a few kinds of a post's
    # nodes, and most kinds are absent from most posts.
    _kinds: Any = field(default=None, repr=False, compare=False)

    def iter(self, *kinds: str) -> Iterator[Node]:
        """The nodes of the given kinds, in document order (the order of ``nodes``)."""
        index = self._kinds
        nodes = self.nodes
        if index is None or index[0] is not nodes or index[1] != len(nodes):
            index = self._kinds = _kind_index(nodes)
        by_kind = index[2]
        if len(kinds) == 1:
            return iter(by_kind.get(kinds[0], ()))
        present = [k for k in dict.fromkeys(kinds) if k in by_kind]
        if not present:
            return iter(())
        if len(present) == 1:
            return iter(by_kind[present[0]])
        where = index[3]
        order: list[int] = []
        for k in present:
            order += where[k]
        order.sort()
        return map(nodes.__getitem__, order)


def _kind_index(nodes: list[Node]) -> tuple[list[Node], int, dict[str, list[Node]], dict[str, list[int]]]:
    by_kind: dict[str, list[Node]] = {}
    where: dict[str, list[int]] = {}
    for i, node in enumerate(nodes):
        same = by_kind.get(node.kind)
        if same is None:
            by_kind[node.kind] = [node]
            where[node.kind] = [i]
        else:
            same.append(node)
            where[node.kind].append(i)
    return nodes, len(nodes), by_kind, where


# --------------------------------------------------------------------------- masking
# Each of these is searched for only up to the last closer in the text: past it no match can
# end, and every opener there would be tried to the end of the text (quadratic time on a
# post of thousands of "{{< a"). Written so that no opener backtracks over a run of spaces
# twice: the parameters run to the first closer (group 4 keeps the spaces before it).
_SHORTCODE = re.compile(r"\{\{([<%])\s*(?:(/)\s*)?([A-Za-z0-9_.-][A-Za-z0-9_./-]*)((?:(?![>%]\}\}).)*)[>%]\}\}",
                        re.S)
_ESCAPED_SHORTCODE = re.compile(r"\{\{([<%])/\*.*?\*/[>%]\}\}", re.S)
_LIQUID_START = re.compile(r"\{%|\{\{(?![<%])")
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_LIQUID_OUTPUT = re.compile(r"\{\{(?![<%])(.*?)\}\}", re.S)
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*$", re.M)
_PAIRED_CODE = {"highlight", "raw", "comment", "code"}


def _fenced_ranges(src: str) -> list[tuple[int, int]]:
    ranges = []
    pos = 0
    while True:
        m = _FENCE.search(src, pos)
        if not m:
            return ranges
        marker = m.group(2)
        close = re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$", re.M)
        c = close.search(src, m.end() + 1)
        end = c.end() if c else len(src)
        ranges.append((m.start(), end))
        pos = end


def _inside(ranges: list[tuple[int, int]], pos: int) -> bool:
    """Is ``pos`` in one of ``ranges`` (sorted, not overlapping)?"""
    k = bisect_right(ranges, (pos, float("inf"))) - 1
    return k >= 0 and pos < ranges[k][1]


def _last_end(src: str, *closers: str) -> int:
    """The index after the last of ``closers`` in ``src`` (0 when there is none)."""
    return max((src.rfind(c) + len(c) if c in src else 0) for c in closers)


def _liquid(src: str) -> Iterator[re.Match[str]]:
    """The Liquid tags and outputs of ``src``, as ``{%...%}|{{...}}`` (not ``{{<``/``{{%``)
    would find them with ``finditer``."""
    tag_end, output_end = _last_end(src, "%}"), _last_end(src, "}}")
    pos = 0
    while True:
        start = _LIQUID_START.search(src, pos)
        if start is None:
            return
        at = start.start()
        if src.startswith("{%", at):
            m = _LIQUID_TAG.match(src, at, tag_end) if at < tag_end else None
        else:
            m = _LIQUID_OUTPUT.match(src, at, output_end) if at < output_end else None
        if m is None:
            pos = at + 1
            continue
        yield m
        pos = m.end()


MASK = "\x1a"  # not whitespace: a masked line start must not turn into indented code


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = MASK


def find_templates(src: str, base: int) -> tuple[list[Node], str]:
    """Shortcode and Liquid nodes of ``src`` and the masked copy of ``src``."""
    if "{{" not in src and "{%" not in src:
        return [], src
    fences = _fenced_ranges(src)
    nodes: list[Node] = []
    chars = list(src)
    open_paired: dict[str, int] = {}
    for m in _ESCAPED_SHORTCODE.finditer(src, 0, _last_end(src, "*/>}}", "*/%}}")):  # {{</* x */>}} is literal
        if not _inside(fences, m.start()):
            nodes.append(Node("shortcode", base + m.start(), base + m.end(), text="", attrs={"escaped": True}))
            _mask(chars, m.start(), m.end())
    for m in _SHORTCODE.finditer(src, 0, _last_end(src, ">}}", "%}}")):
        if _inside(fences, m.start()) or _masked(chars, m):
            continue
        name = m.group(3)
        closing = bool(m.group(2))
        nodes.append(
            Node("shortcode", base + m.start(), base + m.end(), text=name, url=m.group(4).strip(),
                 level=1 if closing else 0, attrs={"delim": m.group(1)})
        )
        _mask(chars, m.start(), m.end())
        if name in _PAIRED_CODE:
            if closing and name in open_paired:
                _mask(chars, open_paired.pop(name), m.start())
            elif not closing:
                open_paired[name] = m.end()
    for m in _liquid(src):
        if _inside(fences, m.start()) or chars[m.start()] == MASK:
            continue
        tag = m.group(1) if m.re is _LIQUID_TAG else ""
        nodes.append(Node("liquid", base + m.start(), base + m.end(), text=tag or "output",
                          url=(m.group(2) if tag else m.group(1) or "").strip()))
        _mask(chars, m.start(), m.end())
        if tag in _PAIRED_CODE:
            open_paired["liquid:" + tag] = m.end()
        elif tag.startswith("end") and "liquid:" + tag[3:] in open_paired:
            _mask(chars, open_paired.pop("liquid:" + tag[3:]), m.start())
    nodes.sort(key=lambda n: n.start)
    return nodes, "".join(chars)


def _masked(chars: list[str], m: re.Match[str]) -> bool:
    return all(c == MASK or c in "\r\n" for c in chars[m.start() : m.end()])


# --------------------------------------------------------------------------- mistune
# mistune renders bodies for the fix applier's check (blogtools/render.py); it reads
# definitions as Goldmark does with this.
def definition_href(src: str, start_pos: int, block: bool = False, **kw: Any) -> tuple[Any, Any]:
    """A link reference definition's destination as Goldmark (Hugo) reads it: as mistune's
    ``parse_link_href``, except that a ``(`` left open does not end the definition
    (``[x]: /a(b`` is a link to ``/a(b`` in Hugo 0.168; CommonMark would make it text).
    An inline link's destination still needs its parentheses balanced, in both."""
    from mistune import helpers

    href, pos = helpers.parse_link_href(src, start_pos, block, **kw)
    if href is not None or not block:
        return href, pos
    start = helpers._skip_link_start_whitespace(src, start_pos)
    _, _, end = helpers._parse_link_href(src, start_pos, block=True, **kw)
    if start >= len(src) or src[start] == "<" or src[start] in " \t\r\n" or end <= start \
            or end < len(src) and src[end] not in " \t\r\n" or "(" not in src[start:end]:
        return None, None
    return src[start:end], end


def goldmark_definitions() -> None:
    """Make mistune's block parser read definitions as :func:`definition_href` does (for
    the linter's model and the fix applier's rendering alike)."""
    import mistune.block_parser

    mistune.block_parser.parse_link_href = definition_href  # type: ignore[assignment]


# --------------------------------------------------------------------------- parsing
def prepare_body(text: str, body_start: int) -> tuple[list[Node], str]:
    """The template nodes of ``text[body_start:]`` and the text the block parsers read:
    templates masked, ``\r`` replaced in place (offsets stay exact), ending in a newline."""
    src = text[body_start:]
    # \r\n and \r become " \n" and "\n" in place, so that offsets stay exact.
    if "\r" in src:
        src = re.sub(r"\r(?=\n)", " ", src).replace("\r", "\n")
    templates, masked = find_templates(src, body_start)
    if not masked.endswith("\n"):
        masked += "\n"
    return templates, masked


_BY_SPAN = attrgetter("start", "end")  # node order (the same tuples a lambda would build, in C)


_BY_SPAN = attrgetter("start", "end")  # node order (the same tuples a lambda would build, in C)


def parse_body(text: str, body_start: int) -> Body:
    """Parse ``text[body_start:]`` and return nodes with absolute offsets."""
    from blogtools import cmark

    templates, masked = prepare_body(text, body_start)
    body = Body(list(templates), [])
    cmark.parse(masked, body_start, body)
    body.nodes.sort(key=_BY_SPAN)
    return body


def parse_html_body(text: str, body_start: int) -> Body:
    """The body of an HTML document (a Jekyll post or page written in ``.html``): no Markdown
    is read, the whole body is one ``html_block`` node (its comments ``html_comment`` nodes),
    and Liquid tags are found and masked as in Markdown, with the same exact offsets."""
    templates, masked = prepare_body(text, body_start)
    body = Body(list(templates), [])
    end = len(text)
    while end > body_start and text[end - 1] in " \t\r\n":
        end -= 1
    if end > body_start:
        raw = masked[: end - body_start]
        body.nodes.append(Node("html_block", body_start, end, text=raw))
        _html_comments(body, raw, body_start, "")
    body.nodes.sort(key=_BY_SPAN)
    return body


def _html_comments(body: Body, raw: str, base: int, container: str) -> None:
    """The ``<!-- -->`` comments in an HTML block. (Found with two searches each, not with
    ``<!--(.*?)-->``: that regex tried every ``<!--`` to the end of a block with no ``-->``,
    quadratic time in a block of thousands of them.)"""
    pos = 0
    while True:
        a = raw.find("<!--", pos)
        if a < 0:
            return
        b = raw.find("-->", a + 4)
        if b < 0:
            return  # (no later "<!--" has a "-->" either)
        body.nodes.append(Node("html_comment", base + a, base + b + 3, text=raw[a + 4 : b].strip(),
                               container=container))
        pos = b + 3


def ref_key(label: str) -> str:
    """A link label as definitions and references are matched: Unicode case folding (``ẞ``
    matches ``SS``, as CommonMark and Goldmark fold) and runs of spaces ignored."""
    return " ".join(label.casefold().split())
