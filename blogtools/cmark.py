"""The body model from pulldown-cmark (the ``pyromark`` wheel): a compiled CommonMark parser
with GFM tables, strikethrough, task lists and footnotes, whose events carry source ranges.

:func:`parse` turns the events of the masked body (:func:`blogtools.markdown.prepare_body`)
into the nodes and leaves of :class:`blogtools.markdown.Body`, with the same meaning the
hand-written parsers gave them:

- offsets: pulldown-cmark counts UTF-8 bytes; every range is converted once to a character
  offset (sorted, each slice of bytes decoded once: linear, and nothing to do for ASCII);
- templates: shortcodes and Liquid tags are masked (``\\x1a``) as before; the parser reads
  the mask as a private-use letter instead (``\\ue000``), as Hugo reads its own shortcode
  placeholders (letters): ``[a]({{< ref "b" >}})`` is a link, an ASCII control character
  would end its destination;
- what Goldmark (Hugo) reads and pulldown-cmark does not: bare URLs (Goldmark's linkify,
  on in Hugo) are found in each leaf's text outside other nodes, with the rules of
  :mod:`blogtools.markdown`'s scanner; ``[^x]`` with no definition stays a
  ``footnote_ref`` (pulldown-cmark leaves it text; the footnote rules report it);
- link and image destinations are kept as written (``url`` holds the source text, its span
  exact), reference links take their definition's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import pyromark

from blogtools.markdown import MASK, Body, Leaf, Node, _html_comments, ref_key

_O = pyromark.Options
OPTIONS = _O.ENABLE_TABLES | _O.ENABLE_FOOTNOTES | _O.ENABLE_STRIKETHROUGH | _O.ENABLE_TASKLISTS
_LETTER = "\ue000"  # what the parser reads in place of a masked template
_CONTAINERS = {"BlockQuote": "block_quote", "Item": "list_item", "FootnoteDefinition": "footnote"}
_LEAVES = {"Paragraph": "paragraph", "Heading": "heading", "TableCell": "table_cell"}
_INLINE_NODES = frozenset(("code_span", "html_inline", "html_comment", "autolink", "footnote_ref"))
_INLINE = frozenset(("Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"))
# A node's ``container`` names at most this many enclosing containers (the outermost): a post
# of 50,000 nested list markers would otherwise build paths of quadratic total length.
MAX_CONTAINER_PATH = 32
_LINKIFY_OR_BRACKET = re.compile(r"\\.|\[|\]|https?://|www\.", re.S)


def _offsets(text: str) -> Callable[[int], int]:
    """UTF-8 byte offset -> character offset in a text that is not ASCII. Offsets are asked
    for nearly in order: each slice of bytes is decoded once while they grow; one behind the
    last starts from the nearest offset known below it, every offset asked for being kept (a
    link's start is asked for at its start event: its end event's lookups stay inside it)."""
    data = text.encode()
    bs = [0]
    cs = [0]
    last_b = last_c = 0

    def conv(b: int) -> int:
        nonlocal last_b, last_c
        if b >= last_b:
            c = last_c + len(data[last_b:b].decode())
            if b > last_b:
                bs.append(b)
                cs.append(c)
                last_b, last_c = b, c
            return c
        k = bisect_right(bs, b) - 1
        c = cs[k] + len(data[bs[k]:b].decode())
        bs.insert(k + 1, b)  # (kept too: the next offsets are likely near it)
        cs.insert(k + 1, c)
        return c

    return conv


def parse(src: str, base: int, body: Body) -> None:
    """Add the nodes and leaves of ``src`` (a masked body starting at document offset
    ``base``) to ``body``."""
    text = src.replace(MASK, _LETTER) if MASK in src else src
    if "](" in text:
        text = _OPEN_PAREN_DEST.sub(_balance_dest, text)
    if "\t" in text:
        text = _FENCE_TAB.sub(_untab, text)
    if "]:" in text and "(" in text:
        text = _OPEN_PAREN_DEF.sub(_balance, text)
    conv = None if text.isascii() else _offsets(text)
    defs = _definitions(text, src, base, conv) if "]:" in src else []
    _Walk(src, base, body, conv, defs).run(pyromark.events_with_range(text, options=OPTIONS))


# A link reference definition whose destination leaves a "(" open (``[x]: /a(b``): Goldmark
# (Hugo 0.168) reads it as a definition of ``/a(b``, CommonMark as text (and the definitions
# after it as the same paragraph). The parser is shown the "(" as a "%" (same length; the
# nodes take the destination from the source).
_OPEN_PAREN_DEF = re.compile(r"^((?:[ \t]*>)*[ \t]{0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:[ \t]*)([^\s<][^\s]*)$", re.M)


def _balance(m: re.Match[str]) -> str:
    dest = m.group(2)
    if dest.count("(") <= dest.count(")"):
        return m.group(0)
    return m.group(1) + dest.replace("(", "%")


# A fence followed by a tab: CommonMark and Goldmark close a code block with it,
# pulldown-cmark 0.13 does not (and reads the rest of the post as code). The parser is
# shown spaces.
_FENCE_TAB = re.compile(r"^([ \t>]*(?:`{3,}|~{3,}))([ \t]*\t[ \t]*)$", re.MULTILINE)


def _untab(m: re.Match[str]) -> str:
    return m.group(1) + " " * len(m.group(2))


# An inline link's destination with its parentheses unbalanced, ended by a space
# (``[a]((http://x "t")``): Goldmark reads the destination ``(http://x`` and the title,
# CommonMark no link. The parser is shown its parentheses as "%".
_OPEN_PAREN_DEST = re.compile(r"\]\((?!<)([^\s()]*\([^\s]*)(?=[ \t\n])")


def _balance_dest(m: re.Match[str]) -> str:
    dest = m.group(1)
    depth = 0
    for c in dest:  # (a ")" at depth 0 closes the link: nothing to show differently)
        if c == "(":
            depth += 1
        elif c == ")":
            if not depth:
                return m.group(0)
            depth -= 1
    if not depth:
        return m.group(0)
    return "](" + dest.replace("(", "%").replace(")", "%")


def _definitions(text: str, src: str, base: int, conv: Callable[[int], int] | None) -> list[tuple[int, Node]]:
    """The ``ref_def`` nodes, each with its start in bytes (the walk sets their container)."""
    found = pyromark.reference_definitions(text, options=OPTIONS)
    tmp = Body([], [])
    starts = []
    for d in sorted(found.values(), key=lambda d: d["span"]["start"]):
        a, b = d["span"]["start"], d["span"]["end"]
        starts.append(a)
        if conv is not None:
            a, b = conv(a), conv(b)
        a = _line_start(src, a)
        while b > a and src[b - 1] in " \t\n":
            b -= 1
        ref_def_node(tmp, src, a, b, base + a, base + b, base.__add__, "")
        if len(tmp.nodes) < len(starts):  # (not a definition by our reading: none)
            starts.pop()
    return list(zip(starts, tmp.nodes))


class _Walk:
    """One pass over the events, with a stack of the open containers, the open leaf block and
    the open links. Offsets stay UTF-8 bytes until a node or a leaf needs them (``_C``): most
    events are text, which needs a character offset only where a line of a leaf starts."""

    def __init__(self, src: str, base: int, body: Body, conv: Callable[[int], int] | None,
                 defs: list[tuple[int, Node]]) -> None:
        self.src = src
        self.base = base
        self.body = body
        self.conv = conv
        self.defs = defs
        self.def_at = 0
        self.by_key: dict[str, Node] = {}
        for _, d in defs:
            self.by_key.setdefault(ref_key(d.text), d)
        self.containers: list[str] = []
        self.container = ""

    def _place_defs(self, pos: int) -> None:
        """Give the definitions before ``pos`` (bytes) the current container (and add them)."""
        defs = self.defs
        while self.def_at < len(defs) and defs[self.def_at][0] < pos:
            d = defs[self.def_at][1]
            d.container = self.container
            self.body.nodes.append(d)
            self.def_at += 1

    def run(self, events: Any) -> None:  # noqa: C901, PLR0912, PLR0915 - one loop over every event, kept flat for speed
        src, base, body, conv = self.src, self.base, self.body, self.conv
        C = conv if conv is not None else _same  # noqa: N806
        nodes = body.nodes
        has_defs = bool(self.defs)
        # the open leaf block: [kind, line segments [start, end] (characters), index of its
        # first node, heading node, implicit (a tight list item's text)]
        leaf: list[Any] | None = None
        segs: list[list[int]] = []
        broken = False  # a line break was the last event of the leaf: the next one starts a line
        last_b = 0  # (bytes) where the leaf's last event ended
        # [kind, info, start (characters), end of what is inside so far (bytes), len(nodes)]
        links: list[list[Any]] = []
        code: list[Any] | None = None  # [start, end, text ranges (bytes), style, info]
        html: list[Any] | None = None  # [start, end, ranges (bytes)]
        ends: list[Node] = []  # the open footnote definitions and tables, their ends set at their End
        for ev, r in events:
            if ev.__class__ is str:  # SoftBreak, HardBreak, Rule
                if ev == "Rule":
                    if leaf is not None:
                        self._leaf(leaf, segs, last_b)
                        leaf = None
                    if has_defs:
                        self._place_defs(r["start"])
                    a = C(r["start"])
                    nodes.append(Node("thematic_break", base + a, base + _rstrip(src, a, C(r["end"])),
                                      container=self.container))
                elif leaf is not None:
                    if segs and not broken:
                        s0 = segs[-1][0]
                        segs[-1][1] = _rstrip(src, s0, C(r["start"]))
                    broken = True
                    if links and r["end"] > links[-1][3]:
                        links[-1][3] = r["end"]
                continue
            if "Text" in ev:
                if leaf is not None:
                    if broken or not segs:
                        segs.append([_unescaped(src, C(r["start"])), -1])
                        broken = False
                    last_b = r["end"]
                    if links and last_b > links[-1][3]:
                        links[-1][3] = last_b
                elif code is not None:
                    code[2].append((r["start"], r["end"]))
                else:  # a tight list item's text: no Paragraph event
                    leaf = ["paragraph", None, len(nodes), None, True]
                    segs = [[_unescaped(src, C(r["start"])), -1]]
                    broken = False
                    last_b = r["end"]
                continue
            ((key, val),) = ev.items()
            if key == "Start":
                name = val if val.__class__ is str else next(iter(val))
                if name in _INLINE:
                    if leaf is None:
                        leaf = ["paragraph", None, len(nodes), None, True]
                        segs = []
                    if broken or not segs:
                        segs.append([C(r["start"]), -1])
                        broken = False
                    last_b = r["end"]
                    if links and last_b > links[-1][3]:
                        links[-1][3] = last_b
                    if name in ("Link", "Image"):
                        links.append([name, val[name], C(r["start"]), r["start"] + (2 if name == "Image" else 1),
                                      len(nodes)])
                    continue
                if leaf is not None:  # (only an implicit one: a block inside a tight item)
                    self._leaf(leaf, segs, last_b)
                    leaf = None
                if has_defs:
                    self._place_defs(r["start"])
                if name in _LEAVES:
                    heading = None
                    if name == "Heading":
                        a = C(r["start"])
                        heading = Node("heading", base + _line_start(src, a), -1, level=int(val[name]["level"][1]),
                                       container=self.container)
                        nodes.append(heading)
                    leaf = [_LEAVES[name], None, len(nodes), heading, False]
                    segs = []
                    broken = False
                    continue
                if name in _CONTAINERS:
                    self.containers.append(_CONTAINERS[name])
                    if len(self.containers) <= MAX_CONTAINER_PATH:
                        self.container = "/".join(self.containers)
                    if name == "FootnoteDefinition":
                        a = C(r["start"])
                        label = val[name]
                        node = Node("footnote_def", base + a, -1, text=label, url=label, text_start=base + a + 2,
                                    text_end=base + a + 2 + len(label), container=_parent(self.containers))
                        nodes.append(node)
                        ends.append(node)
                elif name == "CodeBlock":
                    a = C(r["start"])
                    info = val[name]
                    fenced = info.__class__ is dict
                    # the range starts after the indentation; the node, as before, at the line
                    code = [_line_start(src, a) if fenced else _indent_start(src, a), a, [],
                            "fenced" if fenced else "indent", info["Fenced"] if fenced else ""]
                elif name == "HtmlBlock":
                    a = C(r["start"])
                    html = [_line_start(src, a), a, []]
                elif name == "Table":
                    node = Node("table", base + C(r["start"]), -1, container=self.container)
                    nodes.append(node)
                    ends.append(node)
                continue
            if key == "End":
                name = val if val.__class__ is str else next(iter(val))
                if name in _INLINE:
                    if broken and leaf is not None:  # an end (")" of a link) first on its line
                        e = C(r["end"])
                        k = src.rfind("\n", 0, e - 1) + 1
                        while k < e - 1 and src[k] in " \t>":
                            k += 1
                        segs.append([k, -1])
                        broken = False
                    last_b = r["end"]
                    if name in ("Link", "Image"):
                        link = links.pop()
                        if links and last_b > links[-1][3]:
                            links[-1][3] = last_b
                        self._link(link, link[2], C(r["end"]))
                    elif links and last_b > links[-1][3]:
                        links[-1][3] = last_b
                    continue
                if leaf is not None:
                    implicit, heading = leaf[4], leaf[3]
                    if heading is not None:
                        heading.end = base + _rstrip(src, heading.start - base, C(r["end"]))
                    self._leaf(leaf, segs, last_b)
                    leaf = None
                    if not implicit:
                        continue
                if has_defs:
                    self._place_defs(r["end"])
                if name in _CONTAINERS:
                    self.containers.pop()
                    if len(self.containers) < MAX_CONTAINER_PATH:
                        self.container = "/".join(self.containers)
                    if name == "FootnoteDefinition":
                        node = ends.pop()
                        node.end = base + _rstrip(src, node.start - base, C(r["end"]))
                elif name == "Table":
                    node = ends.pop()
                    node.end = base + _rstrip(src, node.start - base, C(r["end"]))
                elif name == "CodeBlock" and code is not None:
                    s0, _, ranges, style, info = code
                    e0 = C(r["end"])
                    text = "".join(src[C(x):C(y)] for x, y in ranges)
                    nodes.append(Node("code_block", base + s0, base + _rstrip(src, s0, e0), text=text, url=info,
                                      container=self.container, attrs={"style": style}))
                    code = None
                elif name == "HtmlBlock" and html is not None:
                    s0, _, ranges = html
                    e0 = C(r["end"])
                    end = _rstrip(src, s0, e0)
                    nodes.append(Node("html_block", base + s0, base + end,
                                      text="".join(src[C(x):C(y)] for x, y in ranges), container=self.container))
                    _html_comments(body, src[s0:end], base + s0, self.container)
                    html = None
                continue
            if html is not None and key == "Html":
                html[2].append((r["start"], r["end"]))
                continue
            if key == "TaskListMarker":
                continue
            # Code, InlineHtml, FootnoteReference: an inline node
            a, b = C(r["start"]), C(r["end"])
            if leaf is None:
                leaf = ["paragraph", None, len(nodes), None, True]
                segs = []
            if broken or not segs:
                segs.append([a, -1])
                broken = False
            last_b = r["end"]
            if links and last_b > links[-1][3]:
                links[-1][3] = last_b
            if key == "Code":
                ticks = _run(src, a, "`")
                # (positional: a record built from keywords costs half as much again, per node)
                nodes.append(Node("code_span", base + a, base + b, src[a + ticks: b - ticks], "", -1, -1, -1, -1, 0,
                                  self.container))
            elif key in ("InlineHtml", "Html"):
                if src.startswith("<!--", a):
                    inner = src[a + 4: b - 3] if src.endswith("-->", a, b) else src[a + 4: b]
                    nodes.append(Node("html_comment", base + a, base + b, inner.strip(), "", -1, -1, -1, -1, 0,
                                      self.container))
                else:
                    nodes.append(Node("html_inline", base + a, base + b, src[a:b], "", -1, -1, -1, -1, 0,
                                      self.container))
            elif key == "FootnoteReference":
                nodes.append(Node("footnote_ref", base + a, base + b, text=val, url=val, text_start=base + a + 2,
                                  text_end=base + b - 1, container=self.container))
        if leaf is not None:
            self._leaf(leaf, segs, last_b)
        if has_defs:
            self._place_defs(len(src) * 4 + 1)  # (bytes: past the end)

    def _link(self, link: list[Any], a: int, b: int) -> None:
        """The node of a link or image from ``a`` to ``b`` (characters)."""
        src, base = self.src, self.base
        kind, info, start, inside, first = link
        if self.conv is not None:
            inside = self.conv(inside)
        ltype = info["link_type"]
        nodes = self.body.nodes
        if kind == "Image":
            del nodes[first:]  # nothing inside an image description is a node
        if ltype in ("Autolink", "Email"):
            nodes.append(Node("autolink", base + a, base + b, text=src[a + 1: b - 1],
                              url=("mailto:" + info["dest_url"]) if ltype == "Email" else src[a + 1: b - 1],
                              text_start=base + a + 1, text_end=base + b - 1, url_start=base + a + 1,
                              url_end=base + b - 1, container=self.container))
            return
        if ltype == "Collapsed" and src.startswith("[]", b):  # (the range stops before "[]")
            b += 2
        lb = start + 1 if kind == "Image" else start
        rb = src.find("]", inside, b)
        if rb < 0:
            rb = b - 1
        node = Node(kind.lower(), base + a, base + b, text=src[lb + 1: rb], url=info["dest_url"],
                    text_start=base + lb + 1, text_end=base + rb, container=self.container)
        if ltype == "Inline":
            dest = _destination(src, rb + 1) if src.startswith("(", rb + 1) else None
            if dest is not None and dest[2] == b:
                d0, d1, _ = dest
                node.url, node.url_start, node.url_end = src[d0:d1].strip(), base + d0, base + d1
        else:
            label = info["id"] or src[lb + 1: rb]
            key = ref_key(label)
            d = self.by_key.get(key)
            node.attrs = {"ref": key}
            if d is not None:
                node.url, node.url_start, node.url_end = d.url, d.url_start, d.url_end
        nodes.append(node)

    def _leaf(self, leaf: list[Any], segs: list[list[int]], last_b: int) -> None:
        kind, _, first_node, heading, _ = leaf
        src, base, body = self.src, self.base, self.body
        if not segs:
            if heading is not None:
                heading.text_start = heading.text_end = heading.end
            return
        if segs[-1][1] < 0:
            segs[-1][1] = max(segs[-1][0], self.conv(last_b) if self.conv is not None else last_b)
        if len(segs) == 1:
            s0, e0 = segs[0]
            text = src[s0:e0]
            lf = Leaf(kind, text, self.container, [0], [base + s0])
        else:
            text = "\n".join(src[s0:e0] for s0, e0 in segs)
            starts, offsets = [], []
            at = 0
            for s0, e0 in segs:
                starts.append(at)
                offsets.append(base + s0)
                at += e0 - s0 + 1
            lf = Leaf(kind, text, self.container, starts, offsets)
        body.leaves.append(lf)
        if heading is not None:
            heading.text = text
            heading.text_start, heading.text_end = base + segs[0][0], base + segs[-1][1]
        if "[^" in text or "http" in text or "www." in text:
            self._inline_extras(lf, body.nodes[first_node:])

    def _inline_extras(self, lf: Leaf, made: list[Node]) -> None:
        """What Goldmark reads in a leaf and pulldown-cmark does not: bare URLs (linkify) and
        ``[^x]`` left undefined (still a reference for the footnote rules)."""
        text = lf.text
        taken = sorted((n.start, n.end, n.kind) for n in made)
        out = self.body.nodes
        found: list[Node] = []
        k = 0
        for m in _FOOTNOTE_REF.finditer(text) if "[^" in text else ():
            a, b = lf.to_abs(m.start()), lf.to_abs(m.end())
            while k < len(taken) and taken[k][1] <= a:
                k += 1
            j, clash = k, False
            while j < len(taken) and taken[j][0] < b:
                s, _, kind = taken[j]
                if kind in _INLINE_NODES or s == a or kind == "image":
                    clash = True
                    break
                j += 1
            if clash or text.startswith("(", m.end()):
                continue
            found.append(Node("footnote_ref", a, b, text=m.group(1), url=m.group(1), text_start=a + 2,
                              text_end=b - 1, container=lf.container))
        if ("http" in text or "www." in text) and _outside_nodes(lf, taken):
            self._linkify(lf, taken, found)
        out += found

    def _linkify(self, lf: Leaf, taken: list[tuple[int, int, str]], found: list[Node]) -> None:
        """Bare URLs (Goldmark's linkify): at a line start or after a space or ``*_~(``,
        outside every other node, and not while a ``[`` is open (``IsInLinkLabel``)."""
        text = lf.text
        code = [t for t in taken if t[2] in _INLINE_NODES]
        k = c = depth = 0
        pos = 0
        while True:
            m = _LINKIFY_OR_BRACKET.search(text, pos)
            if m is None:
                return
            i = m.start()
            pos = m.end()
            tok = m.group(0)
            a = lf.to_abs(i)
            while c < len(code) and code[c][1] <= a:
                c += 1
            if c < len(code) and code[c][0] <= a:
                continue  # inside code, html, an autolink
            if tok[0] == "\\":
                continue
            if tok == "[":
                depth += 1
                continue
            if tok == "]":
                depth = max(0, depth - 1)
                continue
            while k < len(taken) and taken[k][1] <= a:
                k += 1
            if depth or k < len(taken) and taken[k][0] <= a:
                continue  # in a link label, inside a link...
            if i > 0 and not (text[i - 1].isspace() or text[i - 1] in "*_~("):
                continue
            um = _BARE_URL.match(text, i)
            if um is None:
                continue  # "https://" alone, or before a non-ASCII host: text in Goldmark
            url = _trim_url(um.group(0))
            if k < len(taken) and a + len(url) > taken[k][0]:
                url = url[: taken[k][0] - a]
            # a www autolink gets Hugo's linkifyProtocol, https by default
            href = "https://" + url if url.startswith("www.") else url
            b = lf.to_abs(i + len(url))
            found.append(Node("autolink", a, b, text=url, url=href, text_start=a, text_end=b, url_start=a,
                              url_end=b, container=lf.container, attrs={"bare": True}))
            pos = i + len(url)


_LINKIFY = re.compile(r"https?://|www\.")


def _outside_nodes(lf: Leaf, taken: list[tuple[int, int, str]]) -> bool:
    """Does a bare URL start outside every node of the leaf (``taken``: their spans, sorted)?
    Most ``http`` of a leaf are in a link's destination: the bracket scan is then skipped."""
    starts = [t[0] for t in taken]
    reach = []  # the furthest end of the nodes up to each one
    far = -1
    for t in taken:
        far = max(far, t[1])
        reach.append(far)
    for m in _LINKIFY.finditer(lf.text):
        a = lf.to_abs(m.start())
        k = bisect_right(starts, a) - 1
        if k < 0 or reach[k] <= a:
            return True
    return False


def _unescaped(src: str, a: int) -> int:
    """The start of a text event, with the backslash of an escaped first character (its
    range starts after it)."""
    return a - 1 if a and src[a - 1] == "\\" else a


def _same(b: int) -> int:
    return b


def _line_start(src: str, a: int) -> int:
    """The start of the line of ``a`` when only spaces precede it there (else ``a``)."""
    k = a
    while k > 0 and src[k - 1] in " \t":
        k -= 1
    return k if k == 0 or src[k - 1] == "\n" else a


def _indent_start(src: str, a: int) -> int:
    """Where the indentation of the indented code line at ``a`` starts (4 columns back)."""
    if a > 0 and src[a - 1] == "\t":
        return a - 1
    k = a
    while k > a - 4 and k > 0 and src[k - 1] == " ":
        k -= 1
    return k


def _rstrip(src: str, a: int, b: int) -> int:
    while b > a and src[b - 1] in " \t\n":
        b -= 1
    return b


def _run(src: str, a: int, c: str) -> int:
    n = a
    while n < len(src) and src[n] == c:
        n += 1
    return n - a


def _parent(containers: list[str]) -> str:
    return "/".join(containers[: min(len(containers) - 1, MAX_CONTAINER_PATH)])


# --------------------------------------------------------------------------- source
# a definition: the label (escaped "]" allowed), the destination
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


_BARE_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# ``[^label]``: up to the first ``]``, no whitespace, no ``[`` (Goldmark's footnote parser
# gives up at a nested ``[``); escapes are skipped.
_FOOTNOTE_REF = re.compile(r"\[\^((?:[^\\\[\]\s]|\\\S)+)\]")

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
