"""A fast block scanner for the Markdown most posts are made of.

mistune's block parser costs about 1.3 ms per post, most of it in list items (each item is
cut out, re-indented and parsed as a document of its own) and in the alignment that maps
those rewritten texts back to the file. This scanner walks the lines once and produces the
same :class:`~blogtools.markdown.Body` (nodes, leaves, spans) directly, for the block kinds
blog posts use: paragraphs, ATX headings, fenced code, bullet and ordered lists (nested,
tight or loose), thematic breaks, tables, HTML blocks, footnote definitions and link
reference definitions (read with mistune's own ``parse_link_href``/``parse_link_title`` and
the steps of its ``parse_ref_link``; two thirds of a real blog's posts have one).

It follows mistune's own rules (the order in which block starts are tried, which blocks may
interrupt a paragraph, how a list item ends), not a looser idea of Markdown: the two must
agree, because a rule must not find a link in one run and miss it in the next. Anything it
does not model exactly raises :class:`Fallback`, and the caller parses the post with mistune
instead: block quotes, indented code, setext headings, lazy continuation lines in list items, tabs in indentation, empty list items. ``tests/
test_blockscan.py`` checks that both parsers give identical bodies on every fixture, on a
generated corpus and on random documents, and how often the fallback is taken.

Set ``BLOGTOOLS_PARSER=mistune`` to switch the scanner off.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate, count
from operator import add, sub

from blogtools.markdown import (
    Body,
    Node,
    _align,
    _dedent_footnote,
    _html_comments,
    _join,
    _lazy_continuation_end,
    _rstrip_end,
    _table_cells,
    make_leaf,
    ref_def_node,
    scan_deferred,
)


class Fallback(Exception):
    """The text uses a construct this scanner does not model: parse it with mistune."""


MAX_DEPTH = 8

_ATX = re.compile(r" {0,3}(#{1,6})(?!#+)([ \t]*|[ \t]+.*?)$")
_ATX_TRIM = re.compile(r"(\s+|^)#+\s*$")
_SETEXT = re.compile(r" {0,3}(?:=|-)+[ \t]*$")
_ODD_BREAKS = re.compile("[\x1c\x1d\x1e\x85\u2028\u2029]")
_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})[ \t]*(.*?)$")
_THEMATIC = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$")
_LIST = re.compile(r"( {0,3})([*+-]|\d{1,9}[.)])([ \t]*|[ \t].+)$")
_REF_LINK = re.compile(r" {0,3}\[(?:[^\\\[\]]|\\.){0,999}\]:")
# mistune's own patterns for a definition (``LINK_LABEL``, ``BLANK_LINE``, ``_BLANK_TO_LINE``)
_MISTUNE_REF_LINK = re.compile(r" {0,3}\[((?=[\s\S]{0,999}\])(?:[^\\\[\]]|\\.){0,999})\]:")
_BLANK_LINES = re.compile(r"(^[ \t\v\f]*\n)+", re.M)
_BLANK_TO_LINE = re.compile(r"[ \t]*\n")
_FOOTNOTE = re.compile(
    r"^(?P<lead> {0,4})\[\^(?P<key>(?:[^\\\[\]\s]|\\.){1,500})]:[ \t\n]"
    r"(?P<text>[^\n]*(?:\n+|$)(?:(?P=lead) {1,4}(?! )[^\n]*\n+)*)",
    re.M,
)
_RAW_HTML = re.compile(r" {0,3}(</?[A-Za-z][A-Za-z0-9-]*|<!--|<\?|<![A-Z]|<!\[CDATA\[)")
_ATTRS = r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^ !\"'=<>`]+|'[^']*?'|\"[^\"]*?\"))?)*"
_OPEN_TAG_END = re.compile(_ATTRS + r"[ \t]*>[ \t]*$")
_CLOSE_TAG_END = re.compile(r"[ \t]*>[ \t]*$")
_PIPE_TABLE = re.compile(r" {0,3}\|[^\n]*\|[ \t]*$")
_NP_TABLE = re.compile(r" {0,3}\S[^\n]*\|[^\n]*$")
_ALIGN = re.compile(r" *:?-+:? *$")
_PRE_TAGS = frozenset(("pre", "script", "style", "textarea"))
# CommonMark's HTML block type 6 tag names, as mistune lists them.
_BLOCK_TAGS = frozenset((
    "address article aside base basefont blockquote body caption center col colgroup dd details "
    "dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 "
    "head header hr html iframe legend li link main menu menuitem meta nav noframes ol optgroup "
    "option p param section source summary table tbody td tfoot th thead title tr track ul"
).split())
_BULLET = {".": r"\d{1,9}\.", ")": r"\d{1,9}\)", "*": r"\*", "+": r"\+", "-": "-"}
_BLOCK_CHARS = frozenset("#`~-=*_+>0123456789<[")  # first characters of lines that may start a block
_item_patterns: dict[tuple[str, int], re.Pattern[str]] = {}
_fence_ends: dict[tuple[str, int], re.Pattern[str]] = {}


def parse(masked: str, body_start: int, body: Body) -> None:
    """Add the blocks of ``masked`` (the body, templates masked, ending in a newline) to
    ``body``. Raises :class:`Fallback` when mistune must parse it instead."""
    if "\v" in masked or "\f" in masked or _ODD_BREAKS.search(masked):
        raise Fallback("vertical tab, form feed or a Unicode line separator")
    # A definition may follow the references to it: where one may stand, the leaves are
    # scanned once every definition is known (as on the mistune path).
    defer = "]:" in masked
    if defer:
        body._unscanned = []
    block = _Container(masked, None, body_start, "", top=True)
    block.run(body, 0)
    if defer:
        scan_deferred(body)


class _Container:
    """The text of one container (the body, a list item, a footnote) as mistune builds it,
    with the absolute offset of each of its lines."""

    __slots__ = ("src", "lines", "starts", "absmap", "to_abs", "name", "top", "pending", "blanks")

    def __init__(self, src: str, absmap: list[int] | None, base: int, name: str, *, top: bool,
                 lines: list[str] | None = None) -> None:
        """``lines``, when given, must be ``src`` split at its line breaks (the caller has them)."""
        self.src = src
        if lines is None:
            lines = src.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
        # Line k starts after the k lines before it and their k newlines (summed in C).
        starts = list(map(add, accumulate(map(len, lines), initial=0), count()))
        starts.pop()
        self.lines = lines
        self.starts = starts
        self.name = name
        self.top = top
        self.pending = (-1, -1)  # the open paragraph (first line, stop), emitted before a block
        self.blanks: list[int] | None = None  # (:meth:`blank_starts`)
        if absmap is None:
            self.absmap = [base + s for s in starts]
            self.to_abs = base.__add__
        else:
            self.map_lines(absmap)

    def map_lines(self, absmap: list[int]) -> None:
        """Set the absolute offset of each line (at least one per line)."""
        self.absmap = absmap
        # The body itself, and most list items, are cut at the same column on every line: an
        # offset then maps by one addition (``int.__add__``, in C), not a bisection.
        shifts = set(map(sub, absmap, self.starts))
        self.to_abs = shifts.pop().__add__ if len(shifts) == 1 else self._to_abs

    def flush(self, body: Body) -> None:
        first, stop = self.pending
        if first >= 0:
            self.pending = (-1, -1)
            self.paragraph(body, first, stop)

    def _to_abs(self, pos: int) -> int:
        k = bisect_right(self.starts, pos) - 1
        if k < 0:
            k = 0
        return self.absmap[k] + (pos - self.starts[k])

    def end_of(self, i: int) -> int:
        """Offset just after line ``i`` (its newline included)."""
        return self.starts[i + 1] if i + 1 < len(self.starts) else len(self.src)

    def line_at(self, pos: int) -> int:
        """Index of the line starting at ``pos`` (``len(lines)`` at the end)."""
        if pos >= len(self.src):
            return len(self.lines)
        return bisect_right(self.starts, pos) - 1

    # ------------------------------------------------------------------ the block loop
    def run(self, body: Body, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise Fallback("deep nesting")
        lines = self.lines
        n = len(lines)
        top = self.top
        i = 0
        par = -1  # first line of the open paragraph, -1 when none is open
        while i < n:
            line = lines[i]
            s = line.lstrip(" ")
            ind = len(line) - len(s)
            if not s:
                if ind > 4:
                    raise Fallback("whitespace line read as indented code")
                if par >= 0:
                    self.paragraph(body, par, i)
                    par = -1
                i += 1
                continue
            c = s[0]
            if c == "\t":
                raise Fallback("tab in indentation")
            if ind >= 4:
                if par >= 0:  # an indented line continues a paragraph
                    i += 1
                    continue
                raise Fallback("indented code")
            if c not in _BLOCK_CHARS and not (top and "|" in line):
                # Paragraph text (what block() would find, without the call); most lines are.
                if par < 0:
                    par = i
                i += 1
                continue
            self.pending = (par, i)
            nxt = self.block(body, i, line, c, par >= 0, depth)
            if nxt is None:  # a paragraph line
                self.pending = (-1, -1)
                if par < 0:
                    par = i
                i += 1
                continue
            self.flush(body)  # (a block that emitted nothing)
            par = -1
            i = nxt
        if par >= 0:
            self.paragraph(body, par, n)

    def block(self, body: Body, i: int, line: str, c: str, in_par: bool, depth: int) -> int | None:
        """Parse the block starting at line ``i``; the index of the line after it, or None
        when the line is paragraph text (new, or continuing the open paragraph)."""
        if c == "#":
            m = _ATX.match(line)
            if m:
                return self.heading(body, i, m)
        elif c == "`" or c == "~":
            m = _FENCE.match(line)
            if m:
                return self.fence(body, i, m)
        elif c in "-=*_+":
            if _SETEXT.match(line):
                if in_par or c == "=" or not _THEMATIC.match(line):
                    raise Fallback("setext heading")
                return self.thematic(body, i)
            if _THEMATIC.match(line):
                return self.thematic(body, i)
            if c != "=" and c != "_":
                m = _LIST.match(line)
                if m:
                    return self.list(body, i, m, in_par, depth)
        elif c == ">":
            return self.quote(body, i, depth)
        elif "0" <= c <= "9":
            m = _LIST.match(line)
            if m:
                return self.list(body, i, m, in_par, depth)
        elif c == "<":
            m = _RAW_HTML.match(line)
            if m:
                return self.html(body, i, m, in_par)
        elif c == "[":
            if self.top:
                m = _FOOTNOTE.match(self.src, self.starts[i])
                if m:
                    return self.footnote(body, i, m, depth)
            if _REF_LINK.match(self.src, self.starts[i]):
                # mistune adds a definition's line to an open paragraph (it cannot interrupt one)
                return None if in_par else self.definition(body, i)
        if self.top and "|" in line:
            return self.table(body, i, line, in_par)
        return None

    # ------------------------------------------------------------------ leaf blocks
    def definition(self, body: Body, i: int) -> int | None:
        """A link reference definition at line ``i``, read with mistune's own functions and
        steps (``BlockParser.parse_ref_link``): the line after it, or None when the line is
        paragraph text after all."""
        from mistune.helpers import parse_link_title
        from mistune.util import unikey

        from blogtools.markdown import definition_href as parse_link_href

        src = self.src
        start = self.starts[i]
        m = _MISTUNE_REF_LINK.match(src, start)
        if m is None or not unikey(m.group(1)):
            return None
        href, href_pos = parse_link_href(src, m.end(), block=True)
        if href is None:
            return None
        blanks = self.blank_starts()
        k = bisect_left(blanks, href_pos)
        max_pos = blanks[k] if k < len(blanks) else len(src)
        title, title_pos = parse_link_title(src, href_pos, max_pos)
        if title_pos:
            m2 = _BLANK_TO_LINE.match(src, title_pos)
            title_pos = m2.end() if m2 else None
        if title_pos is None:
            m3 = _BLANK_TO_LINE.match(src, href_pos)
            href_pos = m3.end() if m3 else None
        end = title_pos or href_pos
        if not end:
            return None
        self.flush(body)
        a, b = self.node_span(start, end)
        ref_def_node(body, src, start, end, a, b, self.to_abs, self.name)
        return self.line_at(end)

    def blank_starts(self) -> list[int]:
        """Where each run of blank lines of ``src`` starts (mistune's ``BLANK_LINE`` matches)."""
        if self.blanks is None:
            self.blanks = [m.start() for m in _BLANK_LINES.finditer(self.src)]
        return self.blanks

    def paragraph(self, body: Body, first: int, stop: int) -> None:
        start = self.starts[first]
        raw = self.src[start : self.end_of(stop - 1)]
        stripped = raw.strip(" \r\n\t\f")
        if stripped:
            at = start + (len(raw) - len(raw.lstrip(" \r\n\t\f")))
            make_leaf(body, "paragraph", stripped, at, self.to_abs, self.name)

    def node_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_abs(start), self.to_abs(_rstrip_end(self.src, start, end))

    def heading(self, body: Body, i: int, m: re.Match[str]) -> int:
        self.flush(body)
        start = self.starts[i]
        end = self.end_of(i)
        a, b = self.node_span(start, end)
        text = m.group(2).strip(" \t\n\r\x0b\x0c")
        if text:
            text = _ATX_TRIM.sub("", text)
        node = Node("heading", a, b, level=len(m.group(1)), container=self.name)
        stripped = text.strip(" \r\n\t\f")
        at = self.src.find(stripped, start) if stripped else -1
        if at >= 0:
            leaf = make_leaf(body, "heading", stripped, at, self.to_abs, self.name)
            node.text = leaf.text
            node.text_start, node.text_end = leaf.to_abs(0), leaf.to_abs(len(leaf.text))
        else:
            node.text_start = node.text_end = b
        body.nodes.append(node)
        return i + 1

    def fence(self, body: Body, i: int, m: re.Match[str]) -> int | None:
        spaces, marker, info = m.group(1), m.group(2), m.group(3)
        if info and marker[0] == "`" and "`" in info:
            return None  # not a fence: paragraph text
        if "\\" in info or "&" in info:
            raise Fallback("escape in a fence info string")
        self.flush(body)
        key = (marker[0], len(marker))
        close = _fence_ends.get(key)
        if close is None:
            close = _fence_ends[key] = re.compile(r" {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
        lines = self.lines
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        start = self.starts[i]
        code_start = self.end_of(i)
        if j < len(lines):
            code = self.src[code_start : self.starts[j]]
            end = self.end_of(j)
        else:
            code = self.src[code_start:] if code_start <= len(self.src) else ""
            end = len(self.src)
        if spaces and code:
            code = re.sub("^ {0," + str(len(spaces)) + "}", "", code, flags=re.M)
        a, b = self.node_span(start, end)
        body.nodes.append(Node("code_block", a, b, text=code, url=info.strip(), container=self.name,
                               attrs={"style": "fenced"}))
        return j + 1

    def thematic(self, body: Body, i: int) -> int:
        self.flush(body)
        a, b = self.node_span(self.starts[i], self.end_of(i))
        body.nodes.append(Node("thematic_break", a, b, container=self.name))
        return i + 1

    def html(self, body: Body, i: int, m: re.Match[str], in_par: bool) -> int | None:
        marker = m.group(0).strip()
        src = self.src
        start = self.starts[i]
        after = start + m.end()
        if marker == "<!--":
            end = self._html_to(src.find("-->", after))
        elif marker == "<?":
            end = self._html_to(src.find("?>", after))
        elif marker == "<![CDATA[":
            end = self._html_to(src.find("]]>", after))
        elif marker.startswith("<!"):
            end = self._html_to(src.find(">", after))
        else:
            closing = marker.startswith("</")
            tag = marker[2:].lower() if closing else marker[1:].lower()
            if not closing and tag in _PRE_TAGS:
                end = self._html_to(src.find("</" + tag + ">", after))
            elif tag in _BLOCK_TAGS:
                end = self._html_to_blank(i)
            else:  # type 7: a whole tag alone on its line; it cannot interrupt a paragraph
                if in_par:
                    return None
                rest = self.lines[i][m.end():]
                if not (_CLOSE_TAG_END if closing else _OPEN_TAG_END).match(rest):
                    return None
                end = self._html_to_blank(i)
        raw = src[start:end]
        self.flush(body)
        a, b = self.node_span(start, end)
        body.nodes.append(Node("html_block", a, b, text=raw, container=self.name))
        _html_comments(body, raw, a, self.name)
        return self.line_at(end)

    def _html_to(self, found: int) -> int:
        if found < 0:
            return len(self.src)
        nl = self.src.find("\n", found)
        return len(self.src) if nl < 0 else nl + 1

    def _html_to_blank(self, i: int) -> int:
        lines = self.lines
        j = i + 1
        while j < len(lines) and lines[j].strip(" \t"):
            j += 1
        return self.starts[j] if j < len(lines) else len(self.src)

    def table(self, body: Body, i: int, line: str, in_par: bool) -> int | None:
        # mistune's two table forms: with outer pipes a malformed table becomes a paragraph
        # of its own (not modelled: fall back); without them the line is paragraph text.
        if _PIPE_TABLE.match(line):
            row_of, strict = _pipe_row, True
        elif _NP_TABLE.match(line):
            row_of, strict = _np_row, False
        else:
            return None
        lines = self.lines
        head = row_of(line)
        align = row_of(lines[i + 1] if i + 1 < len(lines) else "")
        if head is None or align is None:
            return None
        width = _head_width(head, align)
        j = i + 2
        while width is not None and j < len(lines):
            row = row_of(lines[j])
            if row is None:
                break
            if len(_cells(row)) != width:
                width = None
            else:
                j += 1
        if width is None:
            if strict:
                raise Fallback("invalid pipe table")
            return None
        start, end = self.starts[i], self.end_of(j - 1)
        self.flush(body)
        a, b = self.node_span(start, end)
        body.nodes.append(Node("table", a, b, container=self.name))
        _table_cells(body, self, start, end, self.to_abs, self.name, "")
        return j

    # ------------------------------------------------------------------ containers
    def footnote(self, body: Body, i: int, m: re.Match[str], depth: int) -> int:
        self.flush(body)
        src = self.src
        key = m.group("key")
        first = m.start("text")
        end = _lazy_continuation_end(src, m.end())
        child_src = _dedent_footnote(src[first:end])
        a, b = self.node_span(m.start(), end)
        ka = self.to_abs(m.start("key"))
        body.nodes.append(Node("footnote_def", a, b, text=key, url=key, text_start=ka, text_end=ka + len(key),
                               container=self.name))
        if child_src.strip():
            starts, offsets, _ = _align(src, src.rfind("\n", 0, first) + 1, child_src)
            child = _Container(child_src, None, 0, _join(self.name, "footnote"), top=True)
            if child.starts != starts[: len(child.starts)]:
                raise Fallback("footnote alignment")
            child.map_lines([self.to_abs(o) for o in offsets[: len(child.starts)]])
            child.run(body, depth + 1)
        return self.line_at(end)

    def quote(self, body: Body, i: int, depth: int) -> int:
        """A block quote: its ``>`` lines, ended by a blank line or a block that breaks it
        (lazy continuation lines fall back to mistune)."""
        self.flush(body)
        lines = self.lines
        n = len(lines)
        parts = []
        absmap = []
        first = True
        require_marker = False
        prev_blank = False
        j = i
        while j < n:
            raw = lines[j]
            s = raw.lstrip(" ")
            ind = len(raw) - len(s)
            if ind <= 3 and s.startswith(">"):
                content = s[1:]
                if "\t" in content:
                    raise Fallback("tab in a block quote")
                cut = ind + 1
                if content.startswith(" "):
                    content = content[1:]
                    cut += 1
                parts.append(content)
                absmap.append(self.absmap[j] + cut)
                if first:  # (mistune does not count the first line as a blank one)
                    first = False
                    require_marker = (not content.strip(" ") or content.startswith("    ")
                                      or bool(_FENCE.match(content)))
                else:
                    prev_blank = not content.strip()  # (mistune: any Unicode space)
                j += 1
                continue
            if require_marker or prev_blank or not s:
                break
            if s[0] == "\t":
                raise Fallback("tab in indentation")
            if ind <= 3:
                c = s[0]
                if _THEMATIC.match(raw):
                    break
                if c in "-*+" or "0" <= c <= "9":
                    if _LIST.match(raw):
                        # mistune parses the list first and then puts the quote before the
                        # last token, which is not the list when the list ended on another block.
                        raise Fallback("list right after a block quote")
                if c in "`~<" and _breaks_list(raw, c):
                    break
            if "\t" in raw:
                raise Fallback("tab in a block quote")
            parts.append(raw)  # lazy continuation
            absmap.append(self.absmap[j])
            j += 1
        child_src = "\n".join(parts) + ("\n" if j < n or self.src.endswith("\n") else "")
        child = _Container(child_src, absmap, 0, _join(self.name, "block_quote"), top=False)
        child.run(body, depth + 1)
        return j

    def list(self, body: Body, i: int, m: re.Match[str], in_par: bool, depth: int) -> int | None:
        text = m.group(3)
        marker = m.group(2)
        if not text.strip():
            if in_par:
                return None  # an empty item cannot interrupt a paragraph
            raise Fallback("empty list item")
        if in_par and len(marker) > 1 and int(marker[:-1]) != 1:
            return None  # only a list starting at 1 interrupts a paragraph
        self.flush(body)
        bullet = _BULLET[marker[-1]]
        lines = self.lines
        n = len(lines)
        name = _join(self.name, "list_item")
        spaces = m.group(1)
        item_lead = -1  # the lead item_re and cap are for (items of a list mostly share it)
        while True:
            lead = len(spaces) + len(marker)
            if "\t" in text:
                raise Fallback("tab after a list marker")
            body_text = text.lstrip(" ")
            if not text.strip():  # (Unicode spaces too, as mistune's ``\S``)
                raise Fallback("empty list item")
            gap = len(text) - len(body_text)
            if gap >= 5:
                raise Fallback("list item starting with indented code")
            width = lead + gap
            if lead != item_lead:
                item_lead = lead
                item_re = _item_pattern(bullet, lead)
                cap = min(lead, 3)
            # Collect the item's lines as mistune does.
            parts = [text[gap:]]
            absmap = [self.absmap[i] + width]
            j = i + 1
            prev_blank = False
            nxt_item = None
            while j < n:
                raw = lines[j]
                s = raw.lstrip(" ")
                ind = len(raw) - len(s)
                if not s:
                    parts.append("")
                    absmap.append(self.absmap[j] + len(raw))
                    prev_blank = True
                    j += 1
                    continue
                if s[0] == "\t":
                    raise Fallback("tab in indentation")
                if ind >= width:
                    parts.append(raw[width:])
                    absmap.append(self.absmap[j] + width)
                    prev_blank = False
                    j += 1
                    continue
                if ind <= cap:
                    if s[0] in "-*_" and _THEMATIC.match(raw):
                        break
                    im = item_re.match(raw)
                    if im:
                        nxt_item = im
                        break
                    if _breaks_list(raw, s[0]):
                        break
                if prev_blank:
                    break
                # A lazy continuation line (e.g. the rest of a link text broken over two
                # lines): kept as it is; the item's own parse decides what it continues.
                parts.append(raw)
                absmap.append(self.absmap[j])
                j += 1
            # mistune drops the blank (whitespace only) lines at the item's end.
            k = len(parts)
            while k > 1 and (not parts[k - 1] or parts[k - 1].isspace()):
                k -= 1
            first = parts[0]
            if k == 1 and (first[0] not in _BLOCK_CHARS or _plain_item_text(first)):
                # The common item: one line of text. Its own parse would find one paragraph.
                make_leaf(body, "paragraph", first.strip(" \r\n\t\f"), 0, absmap[0].__add__, name)
            else:
                if k < len(parts):
                    del parts[k:]
                    del absmap[k:]
                child = _Container("\n".join(parts) + "\n", absmap, 0, name, top=False, lines=parts)
                child.run(body, depth + 1)
            if nxt_item is None:
                return j
            i = j
            spaces, marker, text = nxt_item.groups()


def _plain_item_text(line: str) -> bool:
    """Is ``line`` (the first line of a list item, no indentation) paragraph text, for
    :meth:`_Container.block` in the item's own container? Only the cheap, frequent cases say
    yes (an item starting with a code span or a link); the rest is parsed in full."""
    c = line[0]
    if c not in _BLOCK_CHARS:
        return True
    if c == "`" or c == "~":
        return _FENCE.match(line) is None
    if c == "[":  # (a list item's container is not ``top``: no footnote definitions)
        return _REF_LINK.match(line) is None
    return False


def _breaks_list(line: str, c: str) -> bool:
    """Does an unindented line end the list (a block mistune's list parser stops at)?"""
    if c == "`" or c == "~":
        m = _FENCE.match(line)
        if m:
            if m.group(3) and m.group(2)[0] == "`" and "`" in m.group(3):
                raise Fallback("fence-like line after a list item")
            return True
        return False
    if c == "#":
        return bool(_ATX.match(line))
    if c == ">":
        return True
    if c == "<":
        m = _RAW_HTML.match(line)
        if not m:
            return False
        marker = m.group(0).strip()
        if marker.startswith("<!") or marker == "<?":
            return True
        tag = marker[2:] if marker.startswith("</") else marker[1:]
        rest = line[m.end():]
        if tag in _BLOCK_TAGS or tag in _PRE_TAGS:
            return not rest or rest[0] in " \t"
        return False
    if c in "-*+" or "0" <= c <= "9":
        return bool(_LIST.match(line))
    return False


def _item_pattern(bullet: str, lead: int) -> re.Pattern[str]:
    key = (bullet, lead)
    p = _item_patterns.get(key)
    if p is None:
        p = _item_patterns[key] = re.compile(
            r"( {0," + str(min(lead, 3)) + r"})(" + bullet + r")([ \t]*|[ \t][^\n]+)$")
    return p


def _pipe_row(line: str) -> str | None:
    text = line.rstrip(" \t")
    if not text.startswith("|") and text.startswith((" ", "\t")):
        text = text.lstrip(" ")
    if not text.startswith("|") or not text.endswith("|"):
        return None
    return text[1:-1]


def _np_row(line: str) -> str | None:
    text = line.rstrip(" \t")
    return text if text and "|" in text else None


def _cells(text: str) -> list[str]:
    cells = []
    start = 0
    k = 0
    n = len(text)
    while k < n:
        if text[k] == "|":
            back = 0
            p = k - 1
            while p >= 0 and text[p] == "\\":
                back += 1
                p -= 1
            if back % 2 == 0:
                cells.append(text[start:k].strip())
                start = k + 1
        k += 1
    cells.append(text[start:].strip())
    return cells


def _head_width(head: str, align: str) -> int | None:
    heads = _cells(head)
    aligns = _cells(align)
    if len(heads) != len(aligns):
        return None
    for v in aligns:
        if v.strip() and not _ALIGN.match(v):
            return None
    return len(heads)
