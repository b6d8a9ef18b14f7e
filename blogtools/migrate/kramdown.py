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
- ``18F**,**``: kramdown bolds punctuation right after a word, CommonMark does not (that
  ``**`` cannot open) and prints the asterisks: written ``<strong>,</strong>``;
- a tag kramdown does not read as HTML (an attribute value without quotes, ``href="x>``
  missing its closing quote, ``title='our team's'``) and a closing tag with no element open
  to close: kramdown prints them as text, Goldmark may pass them through: their ``<`` is
  written ``&lt;``;
- an ordered list starting at another number than 1 (``2. Now type``): kramdown numbers
  every list from 1, Goldmark from its first number: the first marker is written ``1.``;
- an HTML block (a block element's tag opening a block) that holds blank lines: kramdown
  reads it whole, to its end tag (or the end of the post), as raw HTML, where Goldmark ends
  it at the first blank line and reads an indented line after it as code: the blank lines
  inside go, as in an HTML page (:func:`blogtools.migrate.body.html_body`);
- a block element's tag (``<div>``, ``</p>``, ``<table>``...) inside a paragraph, list item,
  heading or table cell: kramdown prints it as text, Goldmark passes it through as HTML (a
  lone ``</div>`` would close the theme's content element): its ``<`` is written ``&lt;``.

Fenced code is set aside first (:class:`blogtools.migrate.util.Placeholders`), so nothing
inside code changes. Every pass is linear in the size of the body.
"""

from __future__ import annotations

import itertools
import re

from blogtools.kramdown_body import EXTENSIONS, IAL_LINE, OPTIONS, SPAN_IAL
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
    if not any(s in text for s in ("{:", "|", "<", ">\t", "\\", "**")) and not _LIST_START.search(text):
        return _spaced_destinations(post, text) if "](" in text else text
    ph = Placeholders(text)
    text = set_aside_fences(text, ph)
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
    text, m = SPAN_IAL.subn("", text)
    if n or m:
        post.warn(f"{n + m} kramdown attribute list(s) {{: ...}} removed (Goldmark does not read them)")
    text, n = _QUOTE_TAB.subn(r"\1     ", text)
    if n:
        post.note("a tab after '>' (code in kramdown) → spaces, so Goldmark reads code too")
    if "|" in text:
        text = _tables(post, text)
    if "<" in text:
        text = _whole_html_blocks(post, text)
        text = _block_tags_in_spans(post, text)
        text = tags_kramdown_prints(post, text)
    if "markdown=" in text:
        text = _markdown_html(post, text)
    text, n = _A_LINE.subn(r"\1", text)
    if n:
        post.note("Markdown inside <a> joined to its tag's line (Goldmark renders it, as kramdown did)")
    if "\\" in text:
        text = _backslashes(post, text)
    if "](" in text:
        text = _spaced_destinations(post, text)
    if "**" in text:
        text = _punctuation_strong(post, text)
    if _LIST_START.search(text):
        text = _lists_from_one(post, text)
    return ph.restore(text)


_LIST_START = re.compile(r"(?m)^[ \t>]*(?:0|[2-9]|1\d)\d*\.[ \t]")


def _lists_from_one(post: Post, text: str) -> str:
    """The first marker of an ordered list that starts at another number → ``1.``: kramdown
    ignores the number (every ``<ol>`` counts from 1), Goldmark writes ``start``. Lists as
    CommonMark finds them (pulldown-cmark's events: one parse)."""
    import pyromark

    from blogtools.cmark import OPTIONS

    data = text.encode("utf-8")
    edits = []
    chars = done = 0
    for event, span in pyromark.events_with_range(text, options=OPTIONS):
        start = event.get("Start") if isinstance(event, dict) else None
        if not isinstance(start, dict) or start.get("List") in (None, 1):
            continue
        chars += len(data[done:span["start"]].decode("utf-8", "replace"))  # offsets grow: one decode in all
        done = span["start"]
        m = re.match(r"(\d+)\.", text[chars:chars + 12])
        if m:
            edits.append((chars, chars + len(m.group(1)), "1"))
    if edits:
        post.note(f"{len(edits)} ordered list(s) starting at another number → 1. (kramdown numbers every list from 1)")
    return splice(text, edits) if edits else text


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
    from blogtools.migrate import body as bodymod

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
# punctuation kramdown prints the backslash, where CommonMark reads an escape and drops it
_KRAMDOWN_ESCAPES = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
_ESC_TOKEN = re.compile(r"\\[!-/:-@\[-`{-~]|`+|\$\$|<!--|<[A-Za-z/][^<>\n]*>")


def _backslashes(post: Post, text: str) -> str:
    """``\\/``, ``\\,``, ``\\%``... in text: kramdown shows the backslash, Goldmark would read an
    escape and drop it: the backslash is doubled. Not in code spans, ``$$`` math, HTML tags
    and comments, nor in blocks that are HTML or indented code (as :func:`_block_tags_in_spans`
    tells them). One pass over the text."""
    edits: list[tuple[int, int, str]] = []
    pos = 0
    for part in re.split(r"(\n[ \t]*\n)", text):
        start, pos = pos, pos + len(part)
        if "\\" not in part or part.startswith("\n") or _LINE_TAG.match(part.lstrip("\n")) \
                or part.lstrip("\n").startswith(("    ", "\t")):
            continue
        last: dict[int, int] = {}
        for m in re.finditer(r"`+", part):
            last[len(m.group(0))] = m.start()
        code, math, i = 0, False, 0
        while True:
            m = _ESC_TOKEN.search(part, i)
            if m is None:
                break
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
                i = len(part) if end < 0 else end + 3
            elif tok[0] == "\\" and tok[1] not in _KRAMDOWN_ESCAPES:
                edits.append((start + m.start(), start + m.start() + 1, "\\\\"))
    if not edits:
        return text
    post.note(f"{len(edits)} backslash(es) before punctuation kramdown does not escape (\\/) doubled:"
              " kramdown shows them, Goldmark would drop them")
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


def _tables(post: Post, text: str) -> str:
    """Each kramdown table: consecutive lines holding a ``|``, starting a block (after a
    blank line; kramdown's tables do not interrupt a paragraph)."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if (i and lines[i - 1].strip()) or not _table_line(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and _table_line(lines[j]):
            j += 1
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
    """Block elements' tags inside span text → ``&lt;`` (kramdown prints them). Blocks are
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
        tags, spans = _span_tags(part)
        html = any(m.group(1).lower() in KRAMDOWN_BLOCK for m in _LINE_TAG.finditer(part)) \
            or part.lstrip("\n").startswith(("    ", "\t"))
        if depth > 0 or html:
            for m in tags:
                if m.group(2).lower() not in _VOID and not m.group(0).endswith("/>"):
                    depth = max(0, depth + (-1 if m.group(1) else 1))
            continue
        edits += [(start + m.start(), start + m.start() + 1, "&lt;") for m in spans]
    if not edits:
        return text
    post.warn(f"{len(edits)} HTML block tag(s) inside a paragraph written as text (&lt;), as kramdown shows them; "
              "Goldmark would pass them through as HTML")
    return splice(text, edits)


# kramdown's HTML tag (kramdown/parser/html.rb HTML_TAG_RE, names as REXML's): every
# attribute a name, or a name and a quoted value
_KD_NAME = r"[^\W\d][\w.-]*(?::[^\W\d][\w.-]*)?"
_KD_TAG = re.compile(rf"<{_KD_NAME}\s*?(?:\s+{_KD_NAME}(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'))?)*\s*/?>")
_KD_TOKEN = re.compile(r"<(/?)([A-Za-z][\w:.-]*)(?=[\s/>])|<!--|`+|\$\$")
_INDENTED = re.compile(r"(?:\n*(?: {4}|\t)[^\n]*(?:\n|\Z))+")
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
        last: dict[int, int] = {}
        for m in re.finditer(r"`+", part):
            last[len(m.group(0))] = m.start()
        code, math = 0, False
        while True:
            m = _KD_TOKEN.search(part, i)
            if m is None:
                break
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
                    comment, i = True, len(part)
                else:
                    i = end + 3
            elif m.group(1):  # </name>
                name = m.group(2).lower()
                if opened.get(name):
                    opened[name] -= 1
                elif re.match(r"\s*>", part[i:i + _KD_WINDOW]):
                    edits.append((start + m.start(), start + m.start() + 1, "&lt;"))
            else:
                tag = _KD_TAG.match(part[m.start():m.start() + _KD_WINDOW])
                name = m.group(2).lower()
                if tag is not None:
                    if name not in _VOID and not tag.group(0).endswith("/>"):
                        opened[name] = opened.get(name, 0) + 1
                    i = m.start() + tag.end()
                elif len(part) - m.start() < _KD_WINDOW or part.find(">", m.start(), m.start() + _KD_WINDOW) >= 0:
                    edits.append((start + m.start(), start + m.start() + 1, "&lt;"))
    if not edits:
        return text
    post.warn(f"{len(edits)} HTML tag(s) kramdown prints as text (an attribute value without quotes or its closing"
              " quote, a closing tag with nothing open) written as text (&lt;), as kramdown shows them")
    return splice(text, edits)


def _span_tags(part: str) -> tuple[list[re.Match[str]], list[re.Match[str]]]:
    """The block elements' tags of ``part`` outside comments, and those of them outside code
    spans too (a backtick run opens a span only when a run of its length follows)."""
    last: dict[int, int] = {}
    for m in re.finditer(r"`+", part):
        last[len(m.group(0))] = m.start()
    tags: list[re.Match[str]] = []
    spans: list[re.Match[str]] = []
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
        elif m.group(2).lower() in KRAMDOWN_BLOCK:
            tags.append(m)
            if code == 0:
                spans.append(m)
    return tags, spans
