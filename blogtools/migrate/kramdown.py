"""kramdown syntax Goldmark reads differently → what Goldmark renders the same way.

- tables: ``|---+---|`` rules, a top border, separator lines between rows and the
  ``|===`` footer rule → one GFM table (header row + delimiter row);
- attribute lists: ``* TOC`` + ``{:toc}`` removed (Hugo's layouts show a table of contents
  with ``.TableOfContents``); ``{: …}`` lines and span IALs removed; ``{::options … /}`` removed;
  ``{::comment}`` removed with its content, ``{::nomarkdown}`` unwrapped;
- ``<div markdown="1">``: blank lines around its content, so Goldmark reads it as Markdown
  inside the HTML (kramdown drops the attribute);
- a tab right after ``>``: kramdown reads the quoted line as code, CommonMark as text
  (the ``>`` takes one column of the tab): written as spaces;
- ``<a …>`` alone on a line followed by Markdown (``![](…)``): kramdown reads ``<a>`` as a
  span and its content as Markdown; in Goldmark the line would start a raw HTML block,
  so the next line is joined to it;
- a block element's tag (``<div>``, ``</p>``, ``<table>``...) inside a paragraph, list item,
  heading or table cell: kramdown prints it as text, Goldmark passes it through as HTML (a
  lone ``</div>`` would close the theme's content element): its ``<`` is written ``&lt;``.

Fenced code is set aside first (:class:`blogtools.migrate.util.Placeholders`), so nothing
inside code changes. Every pass is linear in the size of the body.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from blogtools.kramdown_body import EXTENSIONS, IAL_LINE, OPTIONS, span_ials
from blogtools.migrate import body as bodymod
from blogtools.migrate import kramdown_emphasis
from blogtools.migrate.body import splice
from blogtools.migrate.model import Post
from blogtools.migrate.util import Placeholders, blocks, set_aside_fences

_TOC = re.compile(r"(?m)^[ \t]{0,3}(?:[*+-]|\d+\.)[ \t]+[^\n]*\n[ \t]{0,3}\{:[ \t]*\.?toc[ \t]*\}[ \t]*(?:\n|\Z)")
_RULE = re.compile(r"[ \t]{0,3}(?=[^\n]*[|+])[ \t|+:-]*-[ \t|+:-]*")
_QUOTE_TAB = re.compile(r"(?m)^((?:[ \t]{0,3}>)+)\t")  # kramdown: the tab opens code; CommonMark: 3 columns
_NOT_TABLE = re.compile(r"[ \t]*(?:[>#<$]|[*+-][ \t]|\d+[.)][ \t])")
_FOOTER = re.compile(r"[ \t]{0,3}\|[ \t|+:=]*=[ \t|+:=]*")
_MD_OPEN = re.compile(r"(?m)^[ \t]{0,3}<([A-Za-z][\w-]*)\b([^<>]*?)\s+markdown=([\"']?)(1|block)\3([^<>]*)>")
_A_LINE = re.compile(r"(?m)^([ \t]{0,3}<a\b[^<>\n]*>)[ \t]*\n(?=[ \t]*!?\[)")


def convert(post: Post, text: str) -> str:
    if not any(s in text for s in ("{:", "|", "<", ">\t", "\\", "~", "```", "*", "_", "^")) \
            and not _NOT_FIRST_ITEM.search(text):
        return _spaced_destinations(post, text) if "](" in text else text
    ph = Placeholders(text)
    texts: list[str] = []

    def not_fence(line: str, closed: bool) -> str | None:
        instead = _not_a_kramdown_fence(line, closed)
        if instead is not None:
            texts.append(line)
        return instead

    text = set_aside_fences(text, ph, not_fence=not_fence)
    if texts:
        post.note(f"{len(texts)} line(s) opening a fence kramdown does not read (text after the info word, or no"
                  " closing fence) escaped: kramdown shows them as text")
    text, n = _TOC.subn("", text)
    if n:
        post.warn("kramdown table of contents ({:toc}) removed: Hugo's layouts show one with .TableOfContents")
    for name, (open_rx, close_rx) in EXTENSIONS.items():
        if open_rx.search(text):
            keep = name == "nomarkdown"
            text = blocks(text, open_rx, close_rx, lambda m, inner, c, keep=keep: inner if keep else "")
            post.note(f"kramdown {{::{name}}} {'unwrapped' if keep else 'removed'}")
    text, n = OPTIONS.subn("", text)
    if n:
        post.note("kramdown {::options} removed")
    text, n = IAL_LINE.subn("", text)
    text, n = _QUOTE_TAB.subn(r"\1     ", text)
    if n:
        post.note("a tab after '>' (code in kramdown) → spaces, so Goldmark reads code too")
    if _LAZY_CODE.search(text):
        text = _lazy_code(post, text)
    if "^" in text:
        text, n = _EOB.subn(EOB_INSTEAD, text)
        if n:
            post.note(f"{n} kramdown end-of-block marker(s) (a '^' line) → an HTML comment, which ends the list or"
                      " paragraph before it in Goldmark too")
    if _NOT_FIRST_ITEM.search(text):
        text = _ordered_lists(post, text)
    if "|" in text:
        text = _tables(post, text)
    if "{:" in text:
        text, m = _span_ials(text)
        n += m
    if n:
        post.warn(f"{n} kramdown attribute list(s) {{: ...}} removed (Goldmark does not read them)")
    if "<" in text:
        text = _whole_html_blocks(post, text)
        text = _block_tags_in_spans(post, text)
        text = tags_kramdown_prints(post, text)
    if "markdown=" in text:
        text = _markdown_html(post, text)
    text, n = _A_LINE.subn(r"\1", text)
    if n:
        post.note("Markdown inside <a> joined to its tag's line (Goldmark renders it, as kramdown did)")
    if "\\" in text or "~" in text:
        text = _backslashes(post, text)
    if "](" in text:
        text = _spaced_destinations(post, text)
    if "**" in text:
        text = _punctuation_strong(post, text)
    if "*" in text or "_" in text:
        text = kramdown_emphasis.convert(post, text)
    return ph.restore(text)


def _span_ials(text: str) -> tuple[str, int]:
    """The span IALs removed, but those in a table cell that holds no ``[`` before them: kramdown
    parses each cell alone, so ``| a | b](/x){: .c}`` closes no link and the IAL is text (in
    Goldmark's cell too)."""
    spans = [(s.start(), s.end(), "") for s in span_ials(text)]
    if spans and "|" in text:
        tables = [(t.start, t.end) for t in bodymod.parse(text).nodes("table")]
        if tables:
            import bisect

            starts = [a for a, _ in tables]

            def in_cell_text(a: int) -> bool:
                k = bisect.bisect_right(starts, a) - 1
                if k < 0 or a >= tables[k][1]:
                    return False
                line = text[text.rfind("\n", 0, a) + 1:a]
                return "[" not in re.split(r"(?<!\\)\|", line)[-1]

            spans = [s for s in spans if not in_cell_text(s[0])]
    return (splice(text, spans) if spans else text), len(spans)


# (with an attribute block: the fence liquid.py writes for {% highlight lang linenos %})
_KRAMDOWN_FENCE = re.compile(r"[ ]{0,3}(?:`{3,}|~{3,})[ \t]*\S*(?:[ \t]+\{[^{}\n]*\})?[ \t]*")


def _not_a_kramdown_fence(line: str, closed: bool) -> str | None:
    """kramdown-parser-gfm opens a fence only with one word after it (```` ```The bits… ````
    is a paragraph's text), and only when a closing fence follows; CommonMark opens one in
    both cases. Such a line gets a backslash before its first backtick or tilde, so Goldmark
    reads text too."""
    if (closed and _KRAMDOWN_FENCE.fullmatch(line)) or "\t" in line[:4]:
        return None  # (a tab first: indented code, for both)
    at = len(line) - len(line.lstrip(" \t"))
    return line[:at] + "\\" + line[at:]


# kramdown's end-of-block marker (EOB_MARKER: a "^" line): it ends the block before it (a
# list, a paragraph) and shows nothing; Goldmark would show "^" as text in that block. A
# comment ends the same blocks (an HTML block interrupts a paragraph; at column 0 it is no
# list item's line) and shows nothing either (``unsafe = false`` writes it as a comment).
_EOB = re.compile(r"(?m)^\^[ \t]*$")
EOB_INSTEAD = "<!-- -->"
# an indented line followed directly by a line that is not
_LAZY_CODE = re.compile(r"(?m)^(?: {4}|\t)[^\n]*\S[^\n]*\n[ ]{0,3}\S")
# where kramdown's lazy code lines stop: an attribute list, the end-of-block marker, HTML
_ITEM_START = re.compile(r"[ ]{0,3}(?:[*+-]|\d{1,9}\.)(?:[ \t]|$)")
_LAZY_STOP = re.compile(r"[ ]{0,3}(?:\{:|\^[ \t]*$|</?[A-Za-z])")


def _lazy_code(post: Post, text: str) -> str:
    """kramdown's indented code goes on over the lines right after it that are not indented
    (``CODEBLOCK_MATCH``: "lazy" lines, up to a blank line), where CommonMark ends the code
    block: such lines get the four spaces, so Goldmark keeps them in the code. Only code
    blocks outside quotes. Inside a list item kramdown first joins the lines that follow the
    item's text to it (a line not indented, a heading's too, up to a blank line or the next
    item), and its code block then takes them as lazy lines: they get the code's indentation."""
    doc = bodymod.parse(text)
    edits: list[tuple[int, int, str]] = []
    for node in doc.nodes("code_block"):
        if text[node.start:node.start + 1] not in (" ", "\t"):
            continue
        if node.container and set(node.container.split("/")) != {"list_item"}:
            continue
        indent = "    "
        if node.container:  # the code's own indentation: the item's content and four more
            lines = [ln for ln in text[text.rfind("\n", 0, node.start) + 1:node.end].split("\n") if ln.strip()]
            indent = " " * min(len(ln.expandtabs(4)) - len(ln.expandtabs(4).lstrip()) for ln in lines)
        at = text.find("\n", node.end - 1 if text[node.end - 1:node.end] == "\n" else node.end)
        while at >= 0:
            end = text.find("\n", at + 1)
            line = text[at + 1:len(text) if end < 0 else end]
            if not line.strip() or _LAZY_STOP.match(line) or node.container and (
                    _ITEM_START.match(line) or len(line) - len(line.lstrip(" ")) >= len(indent)):
                break
            lead = len(line) - len(line.lstrip(" \t")) if node.container else 0
            edits.append((at + 1, at + 1 + lead, indent))
            at = end
    if not edits:
        return text
    post.note(f"{len(edits)} line(s) right after indented code indented: kramdown keeps them in the code block")
    return bodymod.splice(text, edits)


# an ordered list item whose number is not 1, or one with a ")" (kramdown has none)
_NOT_FIRST_ITEM = re.compile(r"(?m)(?:^|[ \t>])(?:(?!0*1\.)\d{1,9}\.|\d{1,9}\))[ \t]")
_ITEM_AFTER_TEXT = re.compile(rb"\n((?:[ \t]*>)*)[ \t]{0,3}\d{1,9}\.[ \t]+\S")
_MARKER = re.compile(rb"[ \t]*(\d{1,9})([.)])")
_ITEM_MARK = re.compile(rb"(?:[*+-]|\d{1,9}[.)])[ \t]*")
_NUMBER_LINE = re.compile(rb"(?!0*1\.)(\d{1,9})\.[ \t]+\S")


def _column(data: bytes, at: int) -> int:
    """The column of byte ``at`` in its line (quote markers counted: an item's content and
    the lines it goes on with carry the same prefix)."""
    return at - data.rfind(b"\n", 0, at) - 1


def _ordered_lists(post: Post, text: str) -> str:
    """Ordered lists as kramdown renders them (checked with Jekyll 4.3):

    - kramdown writes ``<ol>`` without a start: ``2.`` starting a list shows "1."; Goldmark
      writes ``<ol start="2">``: the first number is written 1;
    - a ``2.`` line right after a paragraph's line starts a list (kramdown's GFM parser lets
      any list interrupt a paragraph, CommonMark only one starting at 1): a blank line (in
      the same quote) is put before it;
    - ``1)`` is no list marker for kramdown (the line is text): its ``)`` is escaped.

    Read with pulldown-cmark (CommonMark, as Goldmark), twice at most."""
    import pyromark

    from blogtools.cmark import OPTIONS

    data = text.encode()
    edits: list[tuple[int, int, bytes]] = []
    content: list[int] = []  # per open list item: the column its content starts at
    line_start = False  # the last event was a line break inside a paragraph
    for event, span in pyromark.events_with_range(text, options=OPTIONS):
        if event == {"Start": "Item"}:
            mark = _ITEM_MARK.match(data, span["start"])
            content.append(_column(data, span["start"]) + (len(mark.group(0)) if mark else 2))
        elif event == {"End": "Item"}:
            content.pop()
        elif event == {"Start": "Paragraph"} and not content:
            m = _ITEM_AFTER_TEXT.search(data, span["start"], span["end"])
            if m is not None:  # the first item only: the lines after it are the list's (a tight one)
                edits.append((m.start() + 1, m.start() + 1, m.group(1).strip() + b"\n"))
        elif line_start and content and isinstance(event, dict) and "Text" in event:
            # inside a list item kramdown starts a list there too: the line's number becomes 1,
            # which Goldmark lets interrupt a paragraph (a blank line would make the list loose)
            m = _NUMBER_LINE.match(data, span["start"])
            if m is not None and content[-1] <= _column(data, span["start"]) <= content[-1] + 3:
                edits.append((m.start(1), m.end(1), b"1"))
        line_start = event in ("SoftBreak", "HardBreak")
    if edits:
        post.note(f"{len(edits)} numbered list(s) right after a paragraph's line set apart (a blank line, or"
                  " numbered 1 inside a list item): kramdown starts a list there, Goldmark would not")
        data = b"".join(_splice_bytes(data, edits))
        text = data.decode()
    edits = []
    ordered: list[bool] = []  # per open list: whether its items are ordered with ")"
    for event, span in pyromark.events_with_range(text, options=OPTIONS):
        start = event.get("Start") if isinstance(event, dict) else None
        if isinstance(start, dict) and "List" in start:
            m = _MARKER.match(data, span["start"]) if start["List"] is not None else None
            ordered.append(m is not None and m.group(2) == b")")
            if m is not None and m.group(2) == b"." and int(m.group(1)) != 1:
                edits.append((m.start(1), m.end(1), b"1"))
        elif isinstance(event, dict) and isinstance(event.get("End"), dict) and "List" in event["End"]:
            ordered.pop()
        elif start == "Item" and ordered and ordered[-1]:
            m = _MARKER.match(data, span["start"])
            if m is not None:
                edits.append((m.start(2), m.end(2), b"\\)"))
    if not edits:
        return text
    post.note(f"{len(edits)} list number(s) written as kramdown showed them (its lists start at 1; '1)' is text)")
    return b"".join(_splice_bytes(data, edits)).decode()


def _splice_bytes(data: bytes, edits: list[tuple[int, int, bytes]]) -> list[bytes]:
    out, pos = [], 0
    for a, b, new in sorted(edits):
        out += [data[pos:a], new]
        pos = b
    out.append(data[pos:])
    return out


# `18F**,** I`: the opening ** follows a letter and precedes punctuation, so it is not
# left-flanking in CommonMark (no strong; both ** printed), where kramdown bolds the comma
_PUNCT_STRONG = re.compile(r"(?<=[^\W_])\*\*([!-)+-/:-@\[-`{-~]{1,3})\*\*(?=\s|\Z)")


def _punctuation_strong(post: Post, text: str) -> str:
    """``word**,**`` → ``word<strong>,</strong>``, as kramdown renders it, outside code, HTML
    and links (:func:`blogtools.migrate.body.protected`)."""
    import bisect

    from blogtools.migrate import body as bodymod

    found = list(_PUNCT_STRONG.finditer(text))
    if not found:
        return text
    spans = bodymod.protected(bodymod.parse(text))
    starts = [a for a, _ in spans]
    ends = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end so far
    edits = []
    for m in found:
        i = bisect.bisect_left(starts, m.end()) - 1
        if i >= 0 and ends[i] > m.start():
            continue  # inside code, HTML or a link's URL
        edits.append((m.start(), m.end(), f"<strong>{m.group(1)}</strong>"))
    if edits:
        post.note(f"{len(edits)} bold punctuation after a word (18F**,**) → <strong>: kramdown bolds it, Goldmark"
                  " would print the asterisks")
    return splice(text, edits) if edits else text


def _spaced_destinations(post: Post, text: str) -> str:
    """``[text](https://a/> b/)``: kramdown makes a link whose href holds the space (and the
    ``>``: a quote's marker left in a wrapped URL), where Goldmark reads no link at all. The
    browser requests that href with the space as ``%20``; written so, Goldmark makes the same
    link (a line break inside is dropped, as a browser drops it from a URL)."""
    from blogtools.facts import _BLANK, _SPACED_LINK, _kramdown_links

    if not any(_BLANK.search(m.group(2).strip()) for m in _SPACED_LINK.finditer(text)):
        return text  # no destination with a blank (the usual post): no parse needed
    edits = []
    for link in _kramdown_links(bodymod.parse(text)):
        a, b = link["url_span"]
        href = re.sub(r"[\r\n\t]", "", text[a:b])
        edits.append((a, b, href.replace(" ", "%20").replace("\u3000", "%E3%80%80").replace(">", "%3E")))
    if not edits:
        return text
    post.note(f"{len(edits)} link(s) with spaces in the URL (kramdown links them; Goldmark does not): spaces"
              " written %20")
    return bodymod.splice(text, edits)


# kramdown's escapable characters (ESCAPED_CHARS, with GFM's ~); before any other ASCII
# punctuation (or a space) kramdown prints the backslash, where CommonMark reads an escape and
# drops it (and Hugo's CJK ``escapedSpace``, which the migration may turn on, drops ``\ ``)
_KRAMDOWN_ESCAPES = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
def _span_tokens(part: str, rx: re.Pattern[str], i: int = 0,
                 skip: list[int] | None = None) -> Iterator[re.Match[str] | None]:
    """The matches of ``rx`` (which also matches backtick runs, ``$$`` and ``<!--``) in ``part``
    from ``i`` on that lie outside code spans (a backtick run opens one only when a run of its
    length follows), ``$$`` math and comments; ``None`` last when a comment opens that
    ``part`` does not close. A caller that read a match further puts where to go on in
    ``skip[0]``. Linear: each position is searched once."""
    last: dict[int, int] = {}
    for m in re.finditer(r"`+", part):
        last[len(m.group(0))] = m.start()
    code, math = 0, False
    while True:
        m = rx.search(part, i)
        if m is None:
            return
        tok, i = m.group(0), m.end()
        if tok.startswith("`"):
            if code == 0 and last.get(len(tok), -1) > m.start():
                code = len(tok)
            elif code == len(tok):
                code = 0
        elif code:
            continue
        elif tok == "$$":
            math = not math
        elif math:
            continue
        elif tok == "<!--":
            end = part.find("-->", i)
            if end < 0:
                yield None
                return
            i = end + 3
        else:
            yield m
            if skip and skip[0] > i:
                i, skip[0] = skip[0], 0


_ESC_TOKEN = re.compile(r"\\[ !-/:-@\[-`{-~]|`+|\$\$|<!--|<[A-Za-z/][^<>\n]*>|(?<!~)~(?!~)")
_URL_RUN = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s<>]*")


def _backslashes(post: Post, text: str) -> str:
    """Punctuation kramdown shows as it is and Goldmark would read as markup, in text:

    - ``\\/``, ``\\,``, ``\\%``, ``\\ ``...: kramdown shows the backslash, Goldmark would read
      an escape and drop it (``\\ `` is an invisible space under Hugo's CJK ``escapedSpace``):
      the backslash is doubled;
    - a lone ``~`` (``master~2``, ``0~0.06``): kramdown-parser-gfm strikes through only
      ``~~text~~``, GFM (Goldmark) also ``~text~``: written ``\\~`` where the paragraph has a
      second lone one (with one, Goldmark strikes nothing), not inside a URL.

    Not in code spans, ``$$`` math, HTML tags and comments, nor in blocks that are HTML or
    indented code (as :func:`_block_tags_in_spans` tells them). One pass over the text."""
    edits: list[tuple[int, int, str]] = []
    tildes = 0
    pos = 0
    for part in re.split(r"(\n[ \t]*\n)", text):
        start, pos = pos, pos + len(part)
        if not ("\\" in part or "~" in part) or part.startswith("\n") or _LINE_TAG.match(part.lstrip("\n")) \
                or part.lstrip("\n").startswith(("    ", "\t")):
            continue
        urls = [(u.start(), u.end()) for u in _URL_RUN.finditer(part)] if "~" in part else []
        lone: list[int] = []
        u = 0
        for m in _span_tokens(part, _ESC_TOKEN):
            tok = m.group(0) if m is not None else ""
            if m is None or tok.startswith("<"):
                continue  # a comment to the end, an HTML tag
            if tok == "~":
                while u < len(urls) and urls[u][1] <= m.start():
                    u += 1
                if u == len(urls) or urls[u][0] > m.start():
                    lone.append(start + m.start())
            elif tok[0] == "\\" and tok[1] not in _KRAMDOWN_ESCAPES:
                edits.append((start + m.start(), start + m.start() + 1, "\\\\"))
        if len(lone) > 1:
            tildes += len(lone)
            edits += [(at, at + 1, "\\~") for at in lone]
    if not edits:
        return text
    edits.sort()
    if len(edits) > tildes:
        post.note(f"{len(edits) - tildes} backslash(es) before punctuation or a space kramdown does not escape (\\/)"
                  " doubled: kramdown shows them, Goldmark would drop them")
    if tildes:
        post.note(f"{tildes} lone '~' written \\~: kramdown shows them, Goldmark would strike the text between through")
    return splice(text, edits)


def _cells(line: str) -> list[str]:
    """A table row's cells (``|`` inside backticks or escaped kept)."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, buf, code = [], [], False
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            buf.append(s[i:i + 2])
            i += 2
            continue
        if ch == "`":
            code = not code
        if ch == "|" and not code:
            cells.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    cells.append("".join(buf))
    return cells


def _table_line(line: str) -> bool:
    """kramdown's TABLE_LINE: a line holding a ``|`` that is not escaped or in code."""
    if "|" not in line or line.startswith(("    ", "\t")) or _NOT_TABLE.match(line):
        return False  # code, a quote, a heading, a list item or HTML comes first
    code = False
    prev = ""
    for ch in line:
        if ch == "`":
            code = not code
        elif ch == "|" and not code and prev != "\\":
            return True
        prev = ch
    return False


_ITEM = re.compile(r"([ \t]{0,3}(?:[*+-]|\d+[.)])[ \t]+)(?=\S)")


def _tables(post: Post, text: str) -> str:
    """Each kramdown table: consecutive lines holding a ``|``, starting a block (after a
    blank line; kramdown's tables do not interrupt a paragraph), or starting a list item
    (``* a | b``: kramdown makes the item a table, its rows going on in the item's indented
    lines)."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        item = _ITEM.match(lines[i]) if "|" in lines[i] else None
        if item is not None and _table_line(lines[i][item.end():]):
            col = len(item.group(1).expandtabs(4))
            j = i + 1
            while j < len(lines) and lines[j][:col].strip() == "" and _table_line(lines[j][col:]):
                j += 1
            rows = _table(post, [lines[i][item.end():]] + [line[col:] for line in lines[i + 1:j]])
            out += [item.group(1) + rows[0]] + [" " * col + r for r in rows[1:]]
            i = j
            continue
        if (i and lines[i - 1].strip()) or not _table_line(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _table_line(lines[j]):
            j += 1
        if j < len(lines) and lines[j].strip() and lines[j].strip() != EOB_INSTEAD:
            # kramdown: a table ends at a block boundary (a blank line, "^"); a line after
            # its rows that holds no "|" makes the whole block a paragraph
            out += lines[i:j]
            i = j
            continue
        out += _table(post, lines[i:j])
        i = j
    return "\n".join(out)


def _table(post: Post, rows: list[str]) -> list[str]:
    kinds = ["rule" if _RULE.fullmatch(r.rstrip()) else "footer" if _FOOTER.fullmatch(r.rstrip()) else "row"
             for r in rows]
    gfm = len(rows) >= 2 and kinds[0] == "row" and kinds[1] == "rule" and "+" not in rows[1] \
        and all(k == "row" for k in kinds[2:]) and len(_cells(rows[0])) == len(_cells(rows[1]))
    # (GFM reads no table when the delimiter row has another number of cells than the header;
    # kramdown does: `| a | b |` over `| --- |`)
    if gfm or "row" not in kinds:
        return rows  # already a GFM table (or not a table at all)
    if not rows[0].lstrip().startswith("|"):
        # kramdown: when the table's first line has no leading pipe, a row's leading pipe
        # opens an empty first cell (GFM would read it as a border)
        rows = ["| " + r.lstrip() if k == "row" and r.lstrip().startswith("|") else r for r, k in zip(rows, kinds)]
    body = [r for r, k in zip(rows, kinds) if k == "row"]
    first = kinds.index("row")
    header_rule = first + 1 < len(rows) and kinds[first + 1] == "rule"
    ncol = max(len(_cells(r)) for r in body)
    indent = re.match(r"[ \t]*", body[0]).group(0)
    rule = rows[first + 1] if header_rule else next((rows[k] for k in range(len(rows)) if kinds[k] == "rule"), "")
    align: list[str] = []
    for cell in _cells(rule.replace("+", "|")) if rule else []:
        c = cell.strip()
        align.append((":" if c.startswith(":") else "") + "---" + (":" if c.endswith(":") and len(c) > 1 else ""))
    align = (align + ["---"] * ncol)[:ncol]
    if header_rule:
        header, rest = body[0], body[1:]
    else:  # kramdown writes no <thead>; Goldmark needs a header row: an empty one
        header, rest = indent + "|" + " |" * ncol, body
        post.warn("kramdown table without a header row: an empty header row added (Goldmark tables need one)")
    post.note("kramdown table (|---+---| rules) → GFM table")
    return [header, indent + "|" + "|".join(align) + "|"] + rest


_ANY_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)\b[^<>]*>")


def _markdown_html(post: Post, text: str) -> str:
    """``<tag markdown="1">…</tag>`` → the tag without the attribute, its content between
    blank lines (Goldmark: HTML block, Markdown, HTML block). Tags are matched with one
    stack per name in a single pass."""
    openers = {m.start(): m for m in _MD_OPEN.finditer(text)}
    if not openers:
        return text
    stacks: dict[str, list[int]] = {}
    pairs: list[tuple[re.Match[str], tuple[int, int]]] = []
    for t in _ANY_TAG.finditer(text):
        name = t.group(2).lower()
        if not t.group(1):
            if not t.group(0).endswith("/>"):
                start = t.start() - (len(t.group(0)) - len(t.group(0).lstrip()))
                line_start = text.rfind("\n", 0, t.start()) + 1
                opener = openers.get(line_start) if text[line_start:t.start()].strip() == "" else None
                stacks.setdefault(name, []).append(line_start if opener is not None and opener.group(1).lower() == name
                                                   else -1 - start)
        elif stacks.get(name):
            at = stacks[name].pop()
            if at >= 0:
                pairs.append((openers[at], (t.start(), t.end())))
    edits: list[tuple[int, int, str]] = []
    for m, close in pairs:
        opening = f"<{m.group(1)}{m.group(2)}{m.group(5)}>"
        end = m.end() + (text[m.end():m.end() + 1] == "\n")
        edits.append((m.start(), end, f"{opening}\n\n"))
        start = close[0] - (text[close[0] - 1:close[0]] == "\n")
        after = "\n" if text[close[1]:close[1] + 2] == "\n\n" or close[1] == len(text) else "\n\n"
        edits.append((start, close[1], f"\n\n{text[close[0]:close[1]]}{after}"))
    if not edits:
        return text
    post.note('<div markdown="1"> → Markdown between the HTML tags (blank lines around it)')
    return splice(text, edits)


# kramdown's HTML_BLOCK_ELEMENTS (kramdown 2): in a span context their tags are text
KRAMDOWN_BLOCK = frozenset(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol optgroup p pre section "
    "summary table tbody td th thead tfoot tr ul".split())
_VOID = frozenset("area base br col command embed hr img input keygen link meta param source track wbr".split())
# a tag as CommonMark reads raw HTML (so one Goldmark passes through), a comment, or a backtick run
_SPAN_TOKEN = re.compile(r"(?<!\{\{)<(/?)([A-Za-z][A-Za-z0-9-]*)"
                         r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>"
                         r"|<!--|`+")
_LINE_TAG = re.compile(r"(?m)^[ \t]{0,3}</?([A-Za-z][A-Za-z0-9-]*)")


_BLOCK_START = re.compile(r"(?:\A|\n[ \t]*\n)[ \t]{0,3}(?=<([A-Za-z][\w-]*))")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _whole_html_blocks(post: Post, text: str) -> str:
    """An HTML block element holding blank lines → one raw HTML block (kramdown reads the
    element whole, to its end tag, or to the end of the text when it has none). Elements
    with ``markdown=`` are :func:`_markdown_html`'s. Linear: each element is scanned once,
    and the search goes on after it."""
    from blogtools.migrate.body import html_body

    edits: list[tuple[int, int, str]] = []
    closers: dict[str, re.Pattern[str]] = {}
    pos = 0
    for m in _BLOCK_START.finditer(text):
        start = m.end()
        name = m.group(1).lower()
        if start < pos or name not in KRAMDOWN_BLOCK:
            continue
        tag = _KD_TAG.match(text[start:start + _KD_WINDOW])
        if tag is None or "markdown=" in tag.group(0) or tag.group(0).endswith("/>") or name in _VOID:
            continue
        rx = closers.setdefault(name, re.compile(rf"<(/?){name}(?=[\s/>])[^<>]*>", re.IGNORECASE))
        depth, end = 1, len(text)
        for t in rx.finditer(text, start + tag.end()):
            depth += -1 if t.group(1) else 0 if t.group(0).endswith("/>") else 1
            if depth == 0:
                line_end = text.find("\n", t.end())
                end = len(text) if line_end < 0 else line_end
                break
        pos = end
        if _BLANK_LINE.search(text, start, end):
            edits.append((start, end, html_body(text[start:end])[0]))
    if not edits:
        return text
    post.note(f"{len(edits)} HTML block(s) with blank lines inside made one raw HTML block (kramdown reads the"
              " element whole; Goldmark would end it at the blank line)")
    return splice(text, edits)


def _block_tags_in_spans(post: Post, text: str) -> str:
    """Block elements' tags inside span text → ``&lt;`` (kramdown prints them), and so are
    closing tags that close no open span element (a stray ``</em>``, ``"</Foo>"`` while
    ``<Bar>`` is open): kramdown prints them, Goldmark passes them through. Blocks are
    the text between blank lines; one that opens a line with a tag is an HTML block for both
    parsers, and the blocks until its elements are closed are left alone, as are indented
    code and code spans (fenced code is set aside already). One pass over the text."""
    edits: list[tuple[int, int, str]] = []
    depth = 0
    pos = 0
    for part in re.split(r"(\n[ \t]*\n)", text):
        start, pos = pos, pos + len(part)
        if not part.strip() or part.startswith("\n"):
            continue
        tags, spans, stray = _span_tags(part)
        html = any(m.group(1).lower() in KRAMDOWN_BLOCK for m in _LINE_TAG.finditer(part)) \
            or part.lstrip("\n").startswith(("    ", "\t"))
        if depth > 0 or html:
            for m in tags:
                if m.group(2).lower() not in _VOID and not m.group(0).endswith("/>"):
                    depth = max(0, depth + (-1 if m.group(1) else 1))
            continue
        edits += [(start + m.start(), start + m.start() + 1, "&lt;") for m in spans + stray]
    if not edits:
        return text
    edits.sort()
    post.warn(f"{len(edits)} HTML block tag(s) or stray closing tag(s) inside a paragraph written as text (&lt;), "
              "as kramdown shows them; Goldmark would pass them through as HTML")
    return splice(text, edits)


# kramdown's HTML tag (kramdown/parser/html.rb HTML_TAG_RE, names as REXML's): every
# attribute a name, or a name and a word or quoted value
_KD_NAME = r"[^\W\d][\w.-]*(?::[^\W\d][\w.-]*)?"
# (a value may be a word, unquoted: `<a name=top>`; no lazy space before the attributes, which
# backtracked quadratically over a long run of spaces)
_KD_TAG = re.compile(rf"<{_KD_NAME}(?:\s+{_KD_NAME}(?:\s*=\s*(?:\w+|\"[^\"]*\"|'[^']*'))?)*\s*/?>")
_KD_TOKEN = re.compile(r"<(/?)([A-Za-z][\w:.-]*)(?=[\s/>])|<!--|`+|\$\$")
_INDENTED = re.compile(r"(?:\n*(?: {4}|\t)[^\n]*(?:\n|\Z))+")
# an autolink kramdown and Goldmark both read (kramdown's AUTOLINK_START without a space,
# which CommonMark's autolinks do not hold)
_AUTOLINK = re.compile(r"<(?:mailto|https?|ftps?):[^\s<>]+>")
_KD_WINDOW = 4096  # a tag longer than this is left as it is (the scan stays linear)


def tags_kramdown_prints(post: Post, text: str) -> str:
    """Tags kramdown prints as text → ``&lt;``: an opening tag its HTML parser does not
    match (:data:`_KD_TAG`: an unquoted or unclosed attribute value), and a closing tag when
    no element of its name is open (one whose opening tag was text, a stray ``</div>``).
    Outside code spans, ``$$`` math, comments and the indented code a block opens with; one
    pass over the text."""
    edits: list[tuple[int, int, str]] = []
    opened: dict[str, int] = {}
    comment = False
    pos = 0
    for n, part in enumerate(re.split(r"(\n[ \t]*\n)", text)):
        start, pos = pos, pos + len(part)
        if n % 2:
            continue  # a blank line between blocks
        if comment:
            end = part.find("-->")
            if end < 0:
                continue
            comment, i = False, end + 3
        else:
            i = 0
        code_lines = _INDENTED.match(part, i)  # indented code first (a paragraph may follow it)
        i = code_lines.end() if code_lines else i
        if "<" not in part[i:]:
            continue
        skip = [0]
        for m in _span_tokens(part, _KD_TOKEN, i, skip):
            if m is None:
                comment = True  # closed in a later block
            elif m.start() and part[m.start() - 1] == "\\":
                continue  # an escaped \<tag>: text for both parsers already
            elif m.group(1):  # </name>
                name = m.group(2).lower()
                if opened.get(name):
                    opened[name] -= 1
                elif re.match(r"\s*>", part[m.end():m.end() + _KD_WINDOW]):
                    edits.append((start + m.start(), start + m.start() + 1, "&lt;"))
            else:
                tag = _KD_TAG.match(part[m.start():m.start() + _KD_WINDOW])
                name = m.group(2).lower()
                link = _AUTOLINK.match(part, m.start(), m.start() + _KD_WINDOW) if tag is None else None
                if link is not None:
                    skip[0] = link.end()  # <https://…>: a link for both parsers
                elif tag is not None:
                    if name not in _VOID and not tag.group(0).endswith("/>"):
                        opened[name] = opened.get(name, 0) + 1
                    skip[0] = m.start() + tag.end()  # past the whole tag
                elif len(part) - m.start() < _KD_WINDOW or part.find(">", m.start(), m.start() + _KD_WINDOW) >= 0:
                    edits.append((start + m.start(), start + m.start() + 1, "&lt;"))
    if not edits:
        return text
    post.warn(f"{len(edits)} HTML tag(s) kramdown prints as text (an attribute value without quotes or its closing"
              " quote, a closing tag with nothing open) written as text (&lt;), as kramdown shows them")
    return splice(text, edits)


def _span_tags(part: str) -> tuple[list[re.Match[str]], list[re.Match[str]], list[re.Match[str]]]:
    """The block elements' tags of ``part`` outside comments, those of them outside code
    spans too (a backtick run opens a span only when a run of its length follows), and the
    closing tags of span elements outside code that do not close the innermost open one
    (kramdown's span parser prints those), unless they open a line."""
    last: dict[int, int] = {}
    for m in re.finditer(r"`+", part):
        last[len(m.group(0))] = m.start()
    tags: list[re.Match[str]] = []
    spans: list[re.Match[str]] = []
    stray: list[re.Match[str]] = []
    open_: list[str] = []
    code = 0  # the length of the run that opened the code span we are in
    i = 0
    while True:
        m = _SPAN_TOKEN.search(part, i)
        if m is None:
            break
        tok = m.group(0)
        i = m.end()
        if tok == "<!--":
            end = part.find("-->", i)
            i = len(part) if end < 0 else end + 3
        elif tok.startswith("`"):
            if code == 0 and last.get(len(tok), -1) > m.start():
                code = len(tok)
            elif code == len(tok):
                code = 0
        elif part[m.start() - 1:m.start()] == "\\":
            continue  # \<tag>: an escaped "<", text for both
        elif m.group(2).lower() in KRAMDOWN_BLOCK:
            tags.append(m)
            if code == 0:
                spans.append(m)
        elif code == 0:
            name = m.group(2).lower()
            if not m.group(1):
                if name not in _VOID and not tok.endswith("/>"):
                    open_.append(name)
            elif open_ and open_[-1] == name:
                open_.pop()
            elif part[part.rfind("\n", 0, m.start()) + 1:m.start()].strip(" "):
                stray.append(m)  # (a tag opening a line starts an HTML block for Goldmark: left alone)
    return tags, spans, stray
