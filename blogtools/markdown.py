"""The Markdown body as nodes with exact source spans.

mistune parses the block structure (headings, paragraphs, lists, block quotes, code,
tables, HTML blocks, footnote and link reference definitions). mistune's tokens carry no
positions, and container blocks hand their children a *rewritten* copy of the text (``> ``
and list indentation removed), so this module keeps a map from every nested state's text
back to the document: each block token records the cursor at which it was appended, and each
child state is aligned line by line with the lines of its parent it came from.

Inline syntax is scanned by :func:`scan_inline`, a small CommonMark-shaped scanner that
knows exactly where each link, image, code span, autolink, inline HTML and footnote
reference starts and ends (mistune's inline parser would tell what they are but not where).
Only the constructs rules need are recognised; emphasis is left as text.

Hugo shortcodes (``{{< >}}``, ``{{% %}}``) and Liquid tags (``{% %}``, ``{{ }}``) are found
before block parsing and masked with ``\\x1a`` characters of the same length (not spaces: a masked
line start must not become indented code), so offsets never shift and
nothing inside them is read as Markdown. Paired code-like tags (``highlight``, ``raw``) mask
their inner text too.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Any, Callable, Iterator

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
    """Inline text of one leaf block as mistune saw it, with a map back to the document."""

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
    # The normalized labels of the link reference definitions, which decide whether
    # ``[text]`` is a link; while they are not known yet (mistune's walk), the leaves to scan.
    ref_keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _unscanned: list[tuple[Leaf, Callable[[int], int] | None]] | None = field(default=None, repr=False,
                                                                               compare=False)

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


# --------------------------------------------------------------------------- mistune glue
_MD = None


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


def _markdown() -> Any:
    global _MD
    if _MD is None:
        import mistune
        from mistune.core import BlockState

        class State(BlockState):  # records where each token starts, and child alignment
            def __init__(self, parent: Any = None) -> None:
                super().__init__(parent)
                self.line_starts: list[int] = [0]
                self.line_offsets: list[int] = [0]
                self.scan = 0
                self.container_start = 0
                self.match_start: int | None = None
                self.children: dict[int, Any] = {}

            def _start_of(self, token: dict[str, Any]) -> int:
                if token["type"] in ("list", "block_quote"):
                    return self.container_start
                return self.match_start if self.match_start is not None else self.cursor

            def append_token(self, token: dict[str, Any]) -> None:
                token.setdefault("_start", self._start_of(token))
                self.tokens.append(token)

            def prepend_token(self, token: dict[str, Any]) -> None:
                token.setdefault("_start", self._start_of(token))
                self.tokens.insert(len(self.tokens) - 1, token)

            def add_paragraph(self, text: str) -> None:
                last = self.last_token()
                if last and last["type"] == "paragraph":
                    last["text"] += text
                else:
                    self.tokens.append({"type": "paragraph", "text": text, "_start": self.cursor})

            def child_state(self, src: str, lazy_line_starts: Any = None) -> Any:
                child = super().child_state(src, lazy_line_starts)
                child.line_starts, child.line_offsets, self.scan = _align(self.src, max(self.scan, 0), src)
                self.children[id(child.tokens)] = child
                return child

            def to_parent(self, i: int) -> int:
                k = bisect_right(self.line_starts, i) - 1
                return self.line_offsets[k] + (i - self.line_starts[k])

        _cache_list_patterns()
        goldmark_definitions()
        md = mistune.create_markdown(renderer=None, plugins=["footnotes", "table"])
        md.block.state_cls = State
        _wrap_parse_method(md)
        _wrap_container(md, "block_quote")
        _wrap_container(md, "list")
        _wrap_definitions(md)
        _MD = md
    return _MD


def _cache_list_patterns() -> None:
    """mistune compiles a list item's break pattern anew for every item (a third of its
    list-parsing time on real posts); the pattern depends only on the parser and the
    item's indent, so keep each one."""
    from mistune import list_parser

    original = getattr(list_parser, "_compile_list_break_sc", None)
    if original is None or getattr(original, "_blogtools_cached", False):
        return
    cache: dict[tuple[int, int], Any] = {}

    def cached(block: Any, leading_width: int) -> Any:
        key = (id(block), leading_width)
        if key not in cache:
            cache[key] = original(block, leading_width)
        return cache[key]

    cached._blogtools_cached = True  # type: ignore[attr-defined]
    list_parser._compile_list_break_sc = cached


def _wrap_parse_method(md: Any) -> None:
    """Remember where the current block's match starts (some methods move the cursor first)."""
    original = md.block.parse_method

    def parse_method(m: re.Match[str], state: Any) -> Any:
        saved = state.match_start
        state.match_start = m.start()
        try:
            return original(m, state)
        finally:
            state.match_start = saved

    md.block.parse_method = parse_method


def _wrap_container(md: Any, name: str) -> None:
    original = md.block._methods[name]

    def method(m: re.Match[str], state: Any) -> Any:
        # A container may parse another block while looking for its own end (a list ended
        # by a block quote): save and restore the alignment pointers around each call.
        saved = state.scan, state.container_start
        start = state.scan = state.container_start = state.cursor
        try:
            return original(m, state)
        finally:
            for tok in state.tokens:
                if tok["type"] in ("list", "block_quote") and "_start" not in tok:
                    tok["_start"] = start
            state.scan, state.container_start = saved

    md.block._methods[name] = method


# What a container at mistune's nesting limit may not hold (mistune's own list and block
# quote parsers leave out the last two there; footnotes are the plugin's and ours).
_CONTAINER_RULES = ("ref_footnote", "block_quote", "list")


def _wrap_definitions(md: Any) -> None:
    ref_link = md.block._methods["ref_link"]

    def parse_ref_link(m: re.Match[str], state: Any) -> Any:
        last = state.last_token()
        # A definition cannot interrupt a paragraph: mistune then adds the line to it.
        continues = last is not None and last["type"] == "paragraph"
        end = ref_link(m, state)
        if end and not continues:
            state.append_token({"type": "ref_def", "_start": state.cursor, "_end": end,
                                "key": m.group("reflink_1")})
        return end

    md.block._methods["ref_link"] = parse_ref_link

    def parse_footnote(m: re.Match[str], state: Any) -> int:
        # Keep mistune's bookkeeping, and record the definition as a container of its own.
        ref = state.env.setdefault("ref_footnotes", {})
        key = m.group("footnote_key")
        ref.setdefault(key.lower(), m.group("footnote_text"))
        first = m.start("footnote_text")
        end = _lazy_continuation_end(state.src, m.end())
        body = state.src[first:end]
        child = state.__class__(state)
        child.process(_dedent_footnote(body))
        child.line_starts, child.line_offsets, _ = _align(state.src, state.src.rfind("\n", 0, first) + 1, child.src)
        if child.src.strip():
            if state.depth() >= md.block.max_nested_level - 1:
                # At mistune's nesting limit, as its lists and block quotes do: no container
                # inside, "[^a]:" is text. (``[^a]: [^a]: ...`` recursed once per definition:
                # a RecursionError, and every rule that read the body failed.)
                md.block.parse(child, [r for r in md.block.rules if r not in _CONTAINER_RULES])
            else:
                md.block.parse(child)
        state.append_token({"type": "footnote_def", "_start": m.start(), "_end": end,
                            "key": key, "children": child.tokens, "_state": child,
                            "_key_start": m.start("footnote_key")})
        return end

    md.block._methods["ref_footnote"] = parse_footnote


_BLOCK_START = re.compile(r" {0,3}(?:\[\^|\[[^\]]*\]:|#|>|[-*+][ \t]|\d{1,9}[.)][ \t]|```|~~~|<|\||(?:[-*_][ \t]*){3,}$)")


def _lazy_continuation_end(src: str, end: int) -> int:
    """Goldmark keeps unindented lines right after a footnote's paragraph in it (lazy
    continuation, e.g. a link text that ends in a line break); mistune stops at them."""
    if end < 2 or src[end - 2] == "\n":  # the definition already ended with a blank line
        return end
    while end < len(src):
        line_end = src.find("\n", end)
        line_end = len(src) if line_end < 0 else line_end + 1
        line = src[end:line_end]
        if not line.strip() or _BLOCK_START.match(line):
            break
        end = line_end
    return end


def _dedent_footnote(body: str) -> str:
    lines = body.splitlines(keepends=True)
    out = [lines[0]] if lines else []
    indent = None
    for line in lines[1:]:
        if line.strip():
            width = len(line) - len(line.lstrip(" "))
            indent = width if indent is None else min(indent, width)
    for line in lines[1:]:
        out.append(line[indent or 0 :] if line.strip() else line)
    return "".join(out)


def _align(psrc: str, pos: int, csrc: str) -> tuple[list[int], list[int], int]:
    """Align each line of a child text with the parent line it was cut from.

    Returns the child's line starts, the parent offset of each, and the parent offset just
    after the last aligned line. Child lines are suffixes of parent lines (prefixes like
    ``> `` or list indentation removed); tabs expanded by mistune are matched by content.
    """
    starts: list[int] = []
    offsets: list[int] = []
    cpos = 0
    n = len(psrc)
    for line in csrc.splitlines(keepends=True):
        content = line.rstrip("\n")
        starts.append(cpos)
        cpos += len(line)
        if pos >= n:
            offsets.append(n)
            continue
        e = psrc.find("\n", pos)
        e = n if e < 0 else e
        pline = psrc[pos:e]
        if content.strip():  # skip parent lines that were blank-ish (e.g. bare ">")
            probe, probe_e = pos, e
            while not pline.endswith(content) and not pline.replace(">", " ").strip() and probe_e < n:
                probe = probe_e + 1
                probe_e = psrc.find("\n", probe)
                probe_e = n if probe_e < 0 else probe_e
                pline = psrc[probe:probe_e]
            if pline.endswith(content):
                pos, e = probe, probe_e
            else:
                pline = psrc[pos:e]
        if pline.endswith(content):
            offsets.append(e - len(content))
        else:
            stripped = content.lstrip(" \t")
            at = pline.rfind(stripped) if stripped else -1
            offsets.append(pos + at - (len(content) - len(stripped)) if at >= 0 else pos)
        pos = e + 1
    if not starts:
        starts, offsets = [0], [pos]
    return starts, offsets, pos


# --------------------------------------------------------------------------- parsing
# "mistune" parses every body with mistune; otherwise :mod:`blogtools.blockscan` first.
PARSER = os.environ.get("BLOGTOOLS_PARSER", "")


def prepare_body(text: str, body_start: int) -> tuple[list[Node], str]:
    """The template nodes of ``text[body_start:]`` and the text the block parsers read:
    templates masked, ``\r`` replaced in place (offsets stay exact), ending in a newline."""
    src = text[body_start:]
    # mistune rewrites \r\n to \n; replace \r in place instead so offsets stay exact.
    if "\r" in src:
        src = re.sub(r"\r(?=\n)", " ", src).replace("\r", "\n")
    templates, masked = find_templates(src, body_start)
    if not masked.endswith("\n"):
        masked += "\n"
    return templates, masked


_BY_SPAN = attrgetter("start", "end")  # node order (the same tuples a lambda would build, in C)


def parse_body(text: str, body_start: int) -> Body:
    """Parse ``text[body_start:]`` and return nodes with absolute offsets."""
    templates, masked = prepare_body(text, body_start)
    body = Body(list(templates), [])
    if PARSER == "pyromark":
        from blogtools import cmark

        cmark.parse(masked, body_start, body)
        body.nodes.sort(key=_BY_SPAN)
        return body
    if PARSER != "mistune":
        from blogtools import blockscan

        try:
            blockscan.parse(masked, body_start, body)
        except blockscan.Fallback:
            body = Body(list(templates), [])
        else:
            resolve_references(body)
            body.nodes.sort(key=_BY_SPAN)
            return body
    md = _markdown()
    state = md.block.state_cls()
    state.process(masked)
    state.line_offsets = [body_start]
    md.block.parse(state)
    # A definition may follow the references to it: the leaves are scanned once all are known.
    body._unscanned = []
    _walk(state.tokens, state, lambda i: state.to_parent(i), "", body, text)
    scan_deferred(body)
    resolve_references(body)
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


def _token_ends(tokens: list[dict[str, Any]], state_len: int) -> list[int]:
    """Where each token ends: its own ``_end``, else where the next token with a start
    starts. (Found walking back once: a copy of the tokens after each one was quadratic in
    a post of thousands of blocks, e.g. link reference definitions.)"""
    ends = [0] * len(tokens)
    nxt = state_len
    for k in range(len(tokens) - 1, -1, -1):
        tok = tokens[k]
        ends[k] = tok.get("_end", nxt)
        if "_start" in tok:
            nxt = tok["_start"]
    return ends


# a definition as mistune matched it: the label (escaped "]" allowed), the destination
_REF_DEF_LINE = re.compile(r"\s*\[((?:[^\]\\]|\\.)+)\]:\s*(<[^>]*>|\S+)", re.S)


def ref_def_node(body: Body, src: str, start: int, end: int, a: int, b: int,
                 to_abs: Callable[[int], int], container: str) -> None:
    """Add the ``ref_def`` node of the definition ``src[start:end]`` (spanning ``a``-``b`` of
    the document) to ``body``."""
    m = _REF_DEF_LINE.match(src, start, end)
    if m:
        d0, d1 = m.span(2)
        if m.group(2).startswith("<"):  # the span is the destination inside <...>, as
            d0, d1 = d0 + 1, d1 - 1     # for an inline link's: it holds ``url`` exactly
        body.nodes.append(Node("ref_def", a, b, text=m.group(1), url=src[d0:d1],
                               url_start=to_abs(d0), url_end=to_abs(d1), container=container))


def scan_deferred(body: Body) -> None:
    """Scan the leaves whose scan waited for every definition (``body._unscanned``)."""
    unscanned, body._unscanned = body._unscanned, None
    body.ref_keys = frozenset(ref_key(n.text) for n in body.nodes if n.kind == "ref_def")
    for leaf, to_abs in unscanned:
        scan_inline(leaf, body, to_abs)


def _walk(tokens: list[dict[str, Any]], state: Any, to_abs: Callable[[int], int], container: str,
          body: Body, text: str) -> None:
    ends = _token_ends(tokens, len(state.src))
    for tok, end in zip(tokens, ends):
        kind = tok["type"]
        start = tok.get("_start")
        if kind == "blank_line":
            continue
        if kind in ("block_quote", "list"):
            _walk_container(tok, state, to_abs, container, body, text)
            continue
        if start is None:
            continue
        raw_end = _rstrip_end(state.src, start, end)
        a, b = to_abs(start), to_abs(raw_end)
        if kind in ("paragraph", "block_text"):
            _leaf(body, "paragraph", tok["text"], state, start, to_abs, container, text)
        elif kind == "heading":
            node = Node("heading", a, b, level=tok["attrs"]["level"], container=container)
            leaf = _leaf(body, "heading", tok["text"], state, start, to_abs, container, text)
            if leaf is not None:
                node.text = leaf.text
                node.text_start, node.text_end = leaf.to_abs(0), leaf.to_abs(len(leaf.text))
            else:
                node.text_start = node.text_end = b
            body.nodes.append(node)
        elif kind == "block_code":
            info = (tok.get("attrs") or {}).get("info", "")
            body.nodes.append(Node("code_block", a, b, text=tok.get("raw", ""), url=info or "",
                                   container=container, attrs={"style": tok.get("style")}))
        elif kind == "block_html":
            body.nodes.append(Node("html_block", a, b, text=tok.get("raw", ""), container=container))
            _html_comments(body, tok.get("raw", ""), a, container)
        elif kind == "table":
            body.nodes.append(Node("table", a, b, container=container))
            _table_cells(body, state, start, end, to_abs, container, text)
        elif kind == "footnote_def":
            child = tok["_state"]
            ka = to_abs(tok["_key_start"])
            body.nodes.append(Node("footnote_def", a, b, text=tok["key"], url=tok["key"],
                                   text_start=ka, text_end=ka + len(tok["key"]), container=container))
            _walk(tok["children"], child, lambda i, c=child: to_abs(c.to_parent(i)),
                  _join(container, "footnote"), body, text)
        elif kind == "ref_def":
            ref_def_node(body, state.src, start, end, a, b, to_abs, container)
        elif kind == "thematic_break":
            body.nodes.append(Node("thematic_break", a, b, container=container))


def _walk_container(tok: dict[str, Any], state: Any, to_abs: Callable[[int], int], container: str,
                    body: Body, text: str) -> None:
    if tok["type"] == "list":
        for item in tok.get("children", []):
            child = state.children.get(id(item.get("children")))
            if child is None:
                continue
            _walk(item.get("children", []), child, lambda i, c=child: to_abs(c.to_parent(i)),
                  _join(container, "list_item"), body, text)
    else:
        child = state.children.get(id(tok.get("children")))
        if child is not None:
            _walk(tok.get("children", []), child, lambda i, c=child: to_abs(c.to_parent(i)),
                  _join(container, "block_quote"), body, text)


def _join(container: str, kind: str) -> str:
    return f"{container}/{kind}" if container else kind


def _rstrip_end(src: str, start: int, end: int) -> int:
    while end > start and src[end - 1] in " \t\n":
        end -= 1
    return end


def _leaf(body: Body, kind: str, raw: str, state: Any, start: int, to_abs: Callable[[int], int],
          container: str, text: str) -> Leaf | None:
    """Map a leaf's inline text to the document and scan it."""
    stripped = raw.strip(" \r\n\t\f")
    if not stripped:
        return None
    at = state.src.find(stripped, start)
    if at < 0:
        return None
    return make_leaf(body, kind, stripped, at, to_abs, container)


def make_leaf(body: Body, kind: str, stripped: str, at: int, to_abs: Callable[[int], int],
              container: str) -> Leaf:
    """A leaf for ``stripped``, which starts at ``at`` of a text that ``to_abs`` maps to the
    document line by line; its inline nodes are scanned into ``body``."""
    first = to_abs(at)
    nl = stripped.find("\n")
    if nl < 0:  # one line (most leaves): every position maps by one addition
        leaf = Leaf(kind, stripped, container, [0], [first])
        body.leaves.append(leaf)
        if body._unscanned is None:
            scan_inline(leaf, body, first.__add__)
        else:
            body._unscanned.append((leaf, first.__add__))
        return leaf
    starts, offsets = [0], [first]
    shift = first  # document offset minus leaf offset, while it is the same on every line
    while nl >= 0:
        off = to_abs(at + nl + 1)
        starts.append(nl + 1)
        offsets.append(off)
        if off - nl - 1 != shift:
            shift = None
        nl = stripped.find("\n", nl + 1)
    leaf = Leaf(kind, stripped, container, starts, offsets)
    body.leaves.append(leaf)
    # Most leaves are one line, or lines cut at the same column: every position then maps by
    # one addition, which ``int.__add__`` does without the bisection of ``Leaf.to_abs``.
    if body._unscanned is None:
        scan_inline(leaf, body, None if shift is None else shift.__add__)
    else:
        body._unscanned.append((leaf, None if shift is None else shift.__add__))
    return leaf


def _table_cells(body: Body, state: Any, start: int, end: int, to_abs: Callable[[int], int],
                 container: str, text: str) -> None:
    pos = start
    for line in state.src[start:end].splitlines(keepends=True):
        if re.match(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$", line):
            pos += len(line)
            continue
        for m in re.finditer(r"(?:^|(?<!\\)\|)([^|\n]*)", line):
            cell = m.group(1)
            if cell.strip():
                _leaf(body, "table_cell", cell, state, pos + m.start(1), to_abs, container, text)
        pos += len(line)


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


# --------------------------------------------------------------------------- inline
# Every alternative starts with a literal character (``` ``* ``, not `` `+ ``): re then skips
# to the next candidate character in C instead of trying each alternative at every position,
# several times faster on Japanese text. While a ``[`` is open, ``]`` is a trigger too and
# bare URLs are not (Goldmark does not linkify inside a link label).
_TRIGGER = re.compile(r"\\.|``*|<|!\[|\[|https?://|www\.", re.S)
_TRIGGER_IN_LABEL = re.compile(r"\\.|``*|<|!\[|\[|\]", re.S)
_AUTOLINK = re.compile(r"<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}):[^\s<>]*)>")
_EMAIL = re.compile(r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>")
_BARE_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# ``[^label]``: up to the first ``]``, no whitespace, no ``[`` (Goldmark's footnote parser
# gives up at a nested ``[``); escapes are skipped.
_FOOTNOTE_REF = re.compile(r"\[\^((?:[^\\\[\]\s]|\\\S)+)\]")
# The second label of ``[text][label]``: up to the first unescaped ``]``; a ``[`` ends it.
_REF_LABEL = re.compile(r"(?:[^\\\[\]]|\\.)*", re.S)
# CommonMark: "A link label can have at most 999 characters inside the square brackets";
# a longer one is never a reference (Goldmark checks the same).
MAX_LABEL = 999


def scan_inline(leaf: Leaf, body: Body, to_abs: Callable[[int], int] | None = None) -> None:
    """Scan ``leaf``'s inline nodes into ``body``; ``to_abs``: a cheaper equivalent of
    ``leaf.to_abs`` when the caller has one."""
    text = leaf.text
    m = _TRIGGER.search(text)
    if m is not None:  # (most leaves have no trigger character: no scan to set up)
        _scan(text, m.start(), len(text), to_abs or leaf.to_abs, leaf.container, body.nodes, body.ref_keys)


def _scan(s: str, pos: int, n: int, to_abs: Callable[[int], int], container: str, out: list[Node],
          refs: frozenset[str] | set[str] = frozenset()) -> None:
    """One pass over ``s[pos:n]``, in linear time whatever the input.

    Brackets are matched as CommonMark's "look for link or image" does (spec 6.3), with a
    stack of the open ``[`` and ``![``: a ``]`` closes the nearest one; when that makes a link,
    the ``[`` openers before it can no longer make one (a link cannot contain a link), and an
    image's description is not scanned for nodes (they are dropped when the image closes).
    ``refs``: the normalized labels of the link reference definitions; ``[text]``,
    ``[text][label]`` and ``[text][]`` are links only when their label is one of them.
    """
    openers: list[tuple[int, bool, int, int]] = []  # (start, image, len(out), len(images)) at the push
    inactive = 0  # link openers below this stack index cannot make a link any more
    images: list[tuple[Node, int, int]] = []  # an image's text, cut when the scan is done
    spans: _CodeSpans | None = None  # every backtick run, once a search for a closer failed
    no_comment_end = n  # no "-->" after the "<!--" here (one search failed)
    while pos < n:
        m = (_TRIGGER_IN_LABEL if openers else _TRIGGER).search(s, pos, n)
        if not m:
            break
        i = m.start()
        tok = m.group(0)
        c = tok[0]
        if c == "\\":
            pos = m.end()
        elif c == "`":
            ticks = len(tok)
            if spans is None and ticks <= _CACHED_TICKS:
                close = _code_span_end(s, m.end(), ticks)
                if close < 0:  # (later runs are looked up, not searched for again)
                    spans = _CodeSpans(s, m.end(), n)
            else:
                if spans is None:
                    spans = _CodeSpans(s, m.end(), n)
                close = spans.closer(m.end(), ticks)
            if close < 0:
                pos = m.end()
                continue
            out.append(Node("code_span", to_abs(i), to_abs(close + ticks), text=s[m.end():close],
                            container=container))
            pos = close + ticks
        elif c == "<":
            if s.startswith("<!--", i):
                end = s.find("-->", i + 4) if i < no_comment_end else -1
                if end < 0:
                    no_comment_end = min(no_comment_end, i)
                    pos = i + 1
                    continue
                out.append(Node("html_comment", to_abs(i), to_abs(end + 3), text=s[i + 4 : end].strip(),
                                container=container))
                pos = end + 3
            else:
                pos = _scan_angle(s, i, to_abs, container, out) or i + 1
        elif c == "[":
            if s.startswith("^", i + 1):
                fm = _FOOTNOTE_REF.match(s, i)
                if fm is not None and not s.startswith("(", fm.end()):
                    rb = fm.end() - 1
                    out.append(Node("footnote_ref", to_abs(i), to_abs(rb + 1), text=fm.group(1), url=fm.group(1),
                                    text_start=to_abs(i + 2), text_end=to_abs(rb), container=container))
                    pos = rb + 1
                    continue
            openers.append((i, False, len(out), len(images)))
            pos = i + 1
        elif c == "!":
            openers.append((i, True, len(out), len(images)))
            pos = i + 2
        elif c == "]":
            start, image, out_at, images_at = openers.pop()
            depth = len(openers)
            active = image or depth >= inactive
            if inactive > depth:
                inactive = depth
            pos = i + 1
            if not active:
                continue  # a "[" before a link: text
            made = _close_bracket(s, start, image, i, n, to_abs, container, refs)
            if made is None:
                continue
            node, pos = made
            if image:
                del out[out_at:]  # nothing inside an image description is a node
                del images[images_at:]
                images.append((node, start + 2, i))
            else:
                inactive = depth  # no "[" before this link makes a link now
            out.append(node)
        else:
            if i > 0 and not (s[i - 1].isspace() or s[i - 1] in "*_~("):
                # GFM (and Goldmark's linkify) start an autolink only at the start of a line,
                # after a space or * _ ~ ( : "詳細はhttps://..." and "pool.d/www.conf" stay text
                pos = m.end()
                continue
            um = _BARE_URL.match(s, i)
            url = _trim_url(um.group(0)) if um else tok
            # a www autolink gets Hugo's markup.goldmark.extensions.linkifyProtocol, https by
            # default (Hugo 0.168 writes href="https://www.example.com")
            href = "https://" + url if url.startswith("www.") else url
            out.append(Node("autolink", to_abs(i), to_abs(i + len(url)), text=url, url=href,
                            text_start=to_abs(i), text_end=to_abs(i + len(url)),
                            url_start=to_abs(i), url_end=to_abs(i + len(url)),
                            container=container, attrs={"bare": True}))
            pos = i + len(url)
    for node, a, b in images:  # (cut once: images nest, and each cut would copy the ones inside)
        node.text = s[a:b]


def _close_bracket(s: str, start: int, image: bool, rb: int, n: int, to_abs: Callable[[int], int],
                   container: str, refs: frozenset[str] | set[str]) -> tuple[Node, int] | None:
    """The link or image that the ``]`` at ``rb`` closes (opened at ``start``) and the index
    after it, or None when the brackets are text."""
    lb = start + 1 if image else start
    after = s[rb + 1] if rb + 1 < n else ""
    caret = not image and s.startswith("^", lb + 1)  # "[^x]" is a footnote or text, never a reference
    kind = "image" if image else "link"
    if after == "(":
        dest = _destination(s, rb + 1)
        if dest is not None:
            d0, d1, close = dest
            return Node(kind, to_abs(start), to_abs(close), text="" if image else s[lb + 1 : rb],
                        url=s[d0:d1].strip(), text_start=to_abs(lb + 1), text_end=to_abs(rb),
                        url_start=to_abs(d0), url_end=to_abs(d1), container=container), close
        if caret:
            return None
    if caret or not refs:
        return None
    end = rb + 1
    ref = None
    if after == "[":  # [text][label], [text][]
        e = _REF_LABEL.match(s, rb + 2).end()
        if e < n and s[e] == "]":
            ref = s[rb + 2 : e]
            if not ref.strip():
                ref = None
            end = e + 1
    if ref is None:
        if rb - lb - 1 > MAX_LABEL:
            return None
        ref = s[lb + 1 : rb]
    elif len(ref) > MAX_LABEL:
        return None
    key = ref_key(ref)
    if key not in refs:
        return None
    return Node(kind, to_abs(start), to_abs(end), text="" if image else s[lb + 1 : rb], url="",
                text_start=to_abs(lb + 1), text_end=to_abs(rb), container=container,
                attrs={"ref": key}), end


_code_span_closers: dict[int, re.Pattern[str]] = {}
_CACHED_TICKS = 16  # longer runs are looked up in a :class:`_CodeSpans` (no pattern per length)


def _code_span_end(s: str, start: int, ticks: int) -> int:
    pat = _code_span_closers.get(ticks)
    if pat is None:
        # ``ticks`` backticks, not next to another: written as literal backticks followed by
        # the checks (the one behind spans the run), so that re searches for the literal run
        # in C instead of trying the look-behind at every position.
        run = "`" * ticks
        pat = _code_span_closers[ticks] = re.compile(run + "(?<!`" + run + ")(?!`)")
    m = pat.search(s, start)
    return m.start() if m else -1


_BACKTICK_RUN = re.compile(r"`+")


class _CodeSpans:
    """The backtick runs of ``s[start:n]`` by length, to find a code span's closer without a
    search per opener: runs of many different lengths and no closers (```` `a``a```a ````...)
    would otherwise search to the end once per run."""

    __slots__ = ("by_length",)

    def __init__(self, s: str, start: int, n: int) -> None:
        by_length: dict[int, list[int]] = {}
        for m in _BACKTICK_RUN.finditer(s, start, n):
            by_length.setdefault(m.end() - m.start(), []).append(m.start())
        self.by_length = by_length

    def closer(self, start: int, ticks: int) -> int:
        """Start of the first run of exactly ``ticks`` backticks at or after ``start``, or -1."""
        runs = self.by_length.get(ticks)
        if not runs:
            return -1
        k = bisect_left(runs, start)
        return runs[k] if k < len(runs) else -1


_URL_TRAILING = frozenset(".,:;!?\"'*_~")


def _trim_url(url: str) -> str:
    end = len(url)
    while end and url[end - 1] in _URL_TRAILING:
        end -= 1
    if end and url[end - 1] == ")":
        opened, closed = url.count("(", 0, end), url.count(")", 0, end)
        while end and url[end - 1] == ")" and closed > opened:
            end -= 1
            closed -= 1
    return url[:end]


def _scan_angle(s: str, i: int, to_abs: Callable[[int], int], container: str, out: list[Node]) -> int:
    """An autolink or an inline HTML tag at ``s[i] == "<"`` (comments are the caller's): the
    index after it, or 0."""
    for pattern, kind in ((_AUTOLINK, "autolink"), (_EMAIL, "autolink")):
        m = pattern.match(s, i)
        if m:
            url = m.group(1) if pattern is _AUTOLINK else "mailto:" + m.group(1)
            out.append(Node(kind, to_abs(i), to_abs(m.end()), text=m.group(1), url=url,
                            text_start=to_abs(i + 1), text_end=to_abs(m.end() - 1),
                            url_start=to_abs(i + 1), url_end=to_abs(m.end() - 1), container=container))
            return m.end()
    m = _TAG.match(s, i)
    if m:
        out.append(Node("html_inline", to_abs(i), to_abs(m.end()), text=m.group(0), container=container))
        return m.end()
    return 0


_DEST_PLAIN = re.compile(r"[^\\ \t\n()]*")
_DEST_POINTY = re.compile(r"<((?:[^<>\n\\]|\\.)*)>")  # CommonMark: no line ending, no unescaped < or >
_TITLES = {  # up to the first unescaped closer; a "(" title cannot contain an unescaped "("
    '"': re.compile(r'"(?:[^"\\]|\\.)*"', re.S),
    "'": re.compile(r"'(?:[^'\\]|\\.)*'", re.S),
    "(": re.compile(r"\((?:[^()\\]|\\.)*\)", re.S),
}
# Parentheses nested in a destination, as cmark limits them: beyond this the brackets are
# text. Far above any real URL, and what keeps ``[a](((((...`` linear.
MAX_DEST_PARENS = 32


def _destination(s: str, k: int) -> tuple[int, int, int] | None:
    """Parse ``(dest "title")`` starting at ``s[k] == '('``: (dest start, dest end, close end)."""
    n = len(s)
    j = k + 1
    while j < n and s[j] in " \t\n":
        j += 1
    if j < n and s[j] == "<":
        m = _DEST_POINTY.match(s, j)
        if m is None:
            return None
        d0, d1 = j + 1, m.end() - 1
        j = m.end()
    else:
        d0 = j
        depth = 0
        skip = _DEST_PLAIN.match
        while True:
            j = skip(s, j).end()  # (a URL is mostly characters that need no look)
            if j >= n:
                break
            c = s[j]
            if c == "\\":
                j += 2
                continue
            if c in " \t\n":
                break
            if c == "(":
                depth += 1
                if depth > MAX_DEST_PARENS:
                    return None
            else:  # ")"
                if depth == 0:
                    break
                depth -= 1
            j += 1
        d1 = j
    while j < n and s[j] in " \t\n":
        j += 1
    if j < n and s[j] in "\"'(":
        m = _TITLES[s[j]].match(s, j)
        if m is None:
            return None
        j = m.end()
        while j < n and s[j] in " \t\n":
            j += 1
    if j < n and s[j] == ")":
        return d0, d1, j + 1
    return None


def ref_key(label: str) -> str:
    """A link label as definitions and references are matched: Unicode case folding (``ẞ``
    matches ``SS``, as CommonMark and Goldmark fold) and runs of spaces ignored."""
    return " ".join(label.casefold().split())


def resolve_references(body: Body) -> None:
    """Give reference-style links their URL; drop ``[x]`` that is plain text (no definition)."""
    defs: dict[str, Node] = {}
    for n in sorted((n for n in body.nodes if n.kind == "ref_def"), key=_BY_SPAN):
        defs.setdefault(ref_key(n.text), n)  # the first definition of a label wins (CommonMark)
    kept = []
    for node in body.nodes:
        if node.attrs and "ref" in node.attrs and node.kind in ("link", "image"):
            d = defs.get(node.attrs["ref"])
            if d is None:
                continue
            node.url, node.url_start, node.url_end = d.url, d.url_start, d.url_end
        kept.append(node)
    body.nodes = kept
