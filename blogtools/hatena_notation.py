"""Hatena Blog notation (はてな記法) with exact offsets: read by lint and converted by migrate.

A blogsync entry is written either in Hatena syntax mode (``>|lang|`` ... ``||<`` code,
``>>`` ... ``<<`` quotes, ``*`` headings) or in Markdown mode, where Hatena still expands
its bracket notation: ``[f:id:USER:STAMPp:plain]`` images, ``[URL:title]``,
``[URL:title=Text]``, ``[URL:embed]`` and ``[URL:embed:cite]`` links and cards,
``[asin:ID:detail]``, ``[tex:...]``, ``[:contents]`` and ``((footnotes))``.

:func:`scan` finds all of it in one pass over the body (no search repeated per opener);
:func:`body_nodes` turns it into the :class:`blogtools.markdown.Node` kinds the rules read;
:func:`to_markdown` rewrites a body as Markdown for Hugo.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.record import dataclass, field

#: fotolife file types: p → png, j → jpg, g → gif (no letter: jpg)
FOTOLIFE_EXT = {"p": "png", "j": "jpg", "g": "gif", "": "jpg"}
FOTOLIFE_CDN = "https://cdn-ak.f.st-hatena.com/images/fotolife"
FOTOLIFE_URL = re.compile(r"https?://(?:cdn-ak\.f\.st-hatena\.com|cdn-ak2?\.f\.st-hatena\.com|f\.st-hatena\.com|"
                          r"cdn-ak\.f\.hatena\.ne\.jp|f\.hatena\.ne\.jp)/images/fotolife/\w/[\w-]+/\d{8}/(\d{14})"
                          r"(?:_[a-z0-9]+)?\.(\w+)")

_INLINE = re.compile(
    r"\[(?:"
    r"f:id:(?P<fuser>[A-Za-z][\w-]*):(?P<fstamp>\d{14})(?P<fext>[pjgb]?)(?P<fopts>(?::[^\]\n]*)?)"
    r"|(?P<url>https?://[^\s\[\]]+?)(?::(?P<how>title|embed|image|detail|bookmark|barcode|movie)"
    r"(?:=(?P<label>[^\]\n]*)|(?P<opts>(?::[a-z]+)*)))?"
    r"|asin:(?P<asin>[0-9A-Za-z]{10})(?P<aopts>(?::[^\]\n]*)?)"
    r"|tex:(?P<tex>(?:\\.|[^\]\\\n])*)"
    r"|(?P<toc>:contents)"
    r")\]"
)
_CODE_OPEN = re.compile(r">\|([\w+#.-]*|\?)\|[ \t]*$")
_CODE_CLOSE = re.compile(r"\|\|<[ \t]*$")
_PRE_OPEN = re.compile(r">\|[ \t]*$")
_PRE_CLOSE = re.compile(r"\|<[ \t]*$")
_QUOTE_OPEN = re.compile(r">(?:https?://[^>\s]*(?::title(?:=[^>]*)?)?)?>[ \t]*$")
_QUOTE_CLOSE = re.compile(r"<<[ \t]*$")
_HEADING = re.compile(r"(\*{1,3})(?:\d{9,10}\*|[\w-]+\*(?=\S))?[ \t]*(?=[^*\s])([^\n]*)$")
_HEADING_SIGN = re.compile(r"\*{1,3}(?=[^*\s])")  # for the mode: "* item" is a Markdown list too
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_MD_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_MORE = re.compile(r"(?:====|<!--\s*more\s*-->)[ \t]*$")


@dataclass(slots=True)
class Notation:
    """One piece of Hatena notation: ``kind`` is image, link, embed, asin, tex, toc,
    footnote, code, quote_open, quote_close, heading or more; offsets are absolute."""

    kind: str
    start: int
    end: int
    url: str = ""
    text: str = ""
    text_start: int = -1
    text_end: int = -1
    level: int = 0
    attrs: dict[str, Any] = field(default_factory=dict)


def is_blogsync(meta: dict[str, Any]) -> bool:
    """Whether front matter is a blogsync header (its EditURL is Hatena's AtomPub URL)."""
    edit = meta.get("EditURL")
    return isinstance(edit, str) and "blog.hatena.ne.jp/" in edit


def fotolife_url(user: str, stamp: str, ext_letter: str) -> str:
    return f"{FOTOLIFE_CDN}/{user[0]}/{user}/{stamp[:8]}/{stamp}.{FOTOLIFE_EXT.get(ext_letter, 'jpg')}"


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end without the newline) of each line of ``text[start:end]``."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop - 1 if stop > pos and text[stop - 1] == "\r" else stop
        pos = stop + 1


def syntax_mode(text: str, start: int = 0, end: int | None = None) -> str:
    """"hatena" when the body uses Hatena syntax mode's block notation (``>|lang|`` code,
    ``>>`` quotes, ``*`` headings) and no Markdown fences or ``#`` headings; else "markdown"."""
    end = len(text) if end is None else end
    hatena = markdown = 0
    in_code = False
    for a, b in _lines(text, start, end):
        line = text[a:b]
        if in_code:
            if line.endswith("||<"):
                in_code = False
            continue
        if _CODE_OPEN.match(line) or line.startswith(">||"):
            hatena += 1
            in_code = not (line.endswith("||<") and len(line) > 3)
        elif _QUOTE_OPEN.match(line) or _QUOTE_CLOSE.match(line):
            hatena += 1
        elif _HEADING_SIGN.match(line) and not line.startswith("**"):
            hatena += 1
        elif _FENCE.match(line) or _MD_HEADING.match(line):
            markdown += 1
    return "hatena" if hatena and not markdown else "markdown"


def scan(text: str, start: int, end: int, mode: str) -> list[Notation]:
    """Every piece of notation in ``text[start:end]`` in document order. Block notation only
    in Hatena syntax mode; bracket notation and footnotes outside code in both modes (in
    Markdown mode the caller drops what falls inside Markdown code)."""
    out: list[Notation] = []
    inline_ranges: list[tuple[int, int]] = []
    if mode == "hatena":
        code: tuple[int, str, bool] | None = None  # (start, lang, super-pre)
        for a, b in _lines(text, start, end):
            line = text[a:b]
            if code is not None:
                c_start, lang, sup = code
                closer = "||<" if sup else "|<"
                if line.endswith(closer) and (sup or not line.endswith("||<")):
                    inner_end = b - len(closer)
                    body_start = text.find("\n", c_start, end) + 1
                    out.append(Notation("code", c_start, b, url=lang, text=text[body_start:max(body_start, inner_end)],
                                        text_start=body_start, text_end=max(body_start, inner_end),
                                        attrs={"pre": not sup}))
                    code = None
                continue
            m = _CODE_OPEN.match(line)
            if m or line.startswith(">||"):
                lang = "" if not m or m.group(1) == "?" else m.group(1)
                code = (a, lang, True)
                if line.startswith(">||") and len(line) > 3 and line.endswith("||<"):
                    out.append(Notation("code", a, b, text=line[3:-3], text_start=a + 3, text_end=b - 3,
                                        attrs={"pre": False}))
                    code = None
                continue
            if _PRE_OPEN.match(line):
                code = (a, "", False)
                continue
            if _QUOTE_OPEN.match(line):
                src = line[1:].rstrip()[:-1]
                out.append(Notation("quote_open", a, b, url=src.split(":title", 1)[0] if src else ""))
                continue
            if _QUOTE_CLOSE.match(line):
                out.append(Notation("quote_close", a, b))
                continue
            if _MORE.match(line):
                out.append(Notation("more", a, b))
                continue
            h = _HEADING.match(line)
            if h:
                ts = a + h.start(2)
                out.append(Notation("heading", a, b, text=h.group(2).strip(), text_start=ts, text_end=b,
                                    level=len(h.group(1))))
            inline_ranges.append((a, b + 1))
        if code is not None:  # unclosed: Hatena shows the rest as code; so do we
            c_start, lang, sup = code
            body_start = min(end, text.find("\n", c_start, end) + 1 or end)
            out.append(Notation("code", c_start, end, url=lang, text=text[body_start:end], text_start=body_start,
                                text_end=end, attrs={"pre": not sup, "unclosed": True}))
    else:
        inline_ranges.append((start, end))
    for a, b in inline_ranges:
        _scan_inline(text, a, min(b, end), out)
    out.sort(key=lambda n: n.start)
    return out


def _scan_inline(text: str, a: int, b: int, out: list[Notation]) -> None:
    if "[" in text[a:b]:
        for m in _INLINE.finditer(text, a, b):
            s, e = m.span()
            if (s > 0 and text[s - 1] in "!]\\") or text[e:e + 1] in ("(", "[", ":"):
                continue  # Markdown: an image, a link [text](url) or [text][ref], a definition
            if m.group("fstamp"):
                opts = m.group("fopts") or ""
                alt = ""
                am = re.search(r":alt=([^:]*)", opts) or re.search(r':title="([^"]*)"', opts)
                if am:
                    alt = am.group(1)
                fo = m.start("fopts")
                out.append(Notation("image", s, e, url=fotolife_url(m.group("fuser"), m.group("fstamp"), m.group("fext")),
                                    text=alt, text_start=fo + am.start(1) if am else -1,
                                    text_end=fo + am.end(1) if am else -1,
                                    attrs={"stamp": m.group("fstamp"), "user": m.group("fuser"),
                                           "ext": FOTOLIFE_EXT.get(m.group("fext"), "jpg")}))
            elif m.group("url"):
                how = m.group("how") or ""
                kind = "embed" if how == "embed" else "link"
                label = m.group("label")
                n = Notation(kind, s, e, url=m.group("url"), attrs={"how": how, "cite": ":cite" in (m.group("opts") or "")})
                n.attrs["url_start"], n.attrs["url_end"] = m.span("url")
                if label is not None:
                    n.text, n.text_start, n.text_end = label, m.start("label"), m.end("label")
                out.append(n)
            elif m.group("asin"):
                n = Notation("asin", s, e, url=f"https://www.amazon.co.jp/dp/{m.group('asin')}",
                             attrs={"opts": m.group("aopts") or ""})
                out.append(n)
            elif m.group("tex") is not None:
                out.append(Notation("tex", s, e, text=m.group("tex"), text_start=m.start("tex"), text_end=m.end("tex")))
            else:
                out.append(Notation("toc", s, e))
    if "((" in text[a:b]:
        _footnotes(text, a, b, out)


def _footnotes(text: str, a: int, b: int, out: list[Notation]) -> None:
    """``((text))`` on one line (the first ``))`` closes it; ``)((`` is Hatena's escape for a
    literal ``((``). The next closer and the next line end are pointers that only move
    forward, so a line of thousands of unclosed ``((`` is read in linear time."""
    pos, close, nl, last_end = a, a - 1, a - 1, a
    while True:
        i = text.find("((", pos, b)
        if i < 0:
            return
        pos = i + 1
        if text.startswith("(", i + 2) or i > last_end and text[i - 1] == ")":
            continue  # "(((" , or the escape ")((" (not the end of the footnote before: "((a))((b))")
        if close < i + 3:
            close = text.find("))", i + 3, b)
            if close < 0:
                return
        if nl < i:
            nl = text.find("\n", i, b)
            nl = b if nl < 0 else nl
        if nl < close:
            continue  # no closer on this line
        end = close
        while text.startswith(")", end + 2) and end + 3 <= b:
            end += 1  # "((a)))": the text is "a)"
        out.append(Notation("footnote", i, end + 2, text=text[i + 2:end], text_start=i + 2, text_end=end))
        pos = last_end = end + 2


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) overlaps one of the sorted, disjoint ``spans`` (binary search)."""
    from bisect import bisect_right

    i = bisect_right(spans, (a, float("inf"))) - 1
    if i >= 0 and spans[i][1] > a:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < b


def _within(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) lies inside one of the sorted, disjoint ``spans``."""
    from bisect import bisect_right

    i = bisect_right(spans, (a, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= a and b <= spans[i][1]


def code_spans(nodes: Any) -> list[tuple[int, int]]:
    """Sorted, merged spans of Markdown code, HTML and templates, where no notation is read."""
    spans = sorted((n.start, n.end) for n in nodes
                   if n.kind in ("code_block", "code_span", "html_block", "html_inline", "html_comment",
                                 "shortcode", "liquid", "autolink"))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


# --------------------------------------------------------------------------- lint
def mask_blocks(text: str, notes: list[Notation]) -> str:
    """``text`` with Hatena code blocks and quote markers blanked (same length, newlines
    kept), for the Markdown parser: ``>|perl|`` is no block quote, code is no prose."""
    chars = None
    for n in notes:
        if n.kind in ("code", "quote_open", "quote_close", "more"):
            if chars is None:
                chars = list(text)
            for i in range(n.start, n.end):
                if chars[i] not in "\r\n":
                    chars[i] = " "
    return text if chars is None else "".join(chars)


_NOT_HATENA = frozenset(("link", "image", "footnote_ref", "footnote_def", "ref_def", "code_span", "code_block",
                         "heading"))


def parse_body(text: str, body_start: int) -> Any:
    """The body of a blogsync entry as :class:`blogtools.markdown.Body`: Markdown nodes plus
    the Hatena notation as nodes of the same kinds (image, link, code_block, code_span,
    footnote_ref and footnote_def, heading), every offset exact in ``text``."""
    from blogtools.markdown import Node, parse_body as md_parse

    mode = syntax_mode(text, body_start)
    notes = scan(text, body_start, len(text), mode)
    masked = mask_blocks(text, notes) if mode == "hatena" else text
    body = md_parse(masked, body_start)
    if mode == "hatena":  # no Markdown here: "[^/]" or "[a](b)" is text on Hatena; bare URLs are linked
        body.nodes = [nd for nd in body.nodes if nd.kind not in _NOT_HATENA]
        body._kinds = None
    if not notes:
        return body
    protected = code_spans(body.nodes) if mode == "markdown" else []
    if mode == "markdown":
        notes = [n for n in notes if not _overlaps(protected, n.start, n.end)]
    spans = sorted((n.start, n.end) for n in notes if n.kind not in ("heading", "quote_open", "quote_close", "more"))
    # Markdown nodes inside notation ([https://...:title] is no autolink; code is code)
    # and Markdown links around a footnote: Hatena reads "[text]((note))" as text + footnote
    notes_at = sorted((n.start, n.end) for n in notes if n.kind == "footnote")
    kept = [nd for nd in body.nodes if not (spans and _within(spans, nd.start, nd.end))
            and not (notes_at and nd.kind in ("link", "image", "autolink") and _overlaps(notes_at, nd.start, nd.end))]
    count = 0
    for n in notes:
        if n.kind == "image":
            kept.append(Node("image", n.start, n.end, text=n.text, url=n.url, text_start=n.text_start,
                             text_end=n.text_end, attrs={"hatena": "fotolife"}))
        elif n.kind in ("link", "embed", "asin"):
            kept.append(Node("link", n.start, n.end, text=n.text or "", url=n.url, text_start=n.text_start,
                             text_end=n.text_end, url_start=n.attrs.get("url_start", -1),
                             url_end=n.attrs.get("url_end", -1), attrs={"hatena": n.kind}))
        elif n.kind == "tex":
            kept.append(Node("code_span", n.start, n.end, text=n.text, text_start=n.text_start, text_end=n.text_end,
                             attrs={"hatena": "tex"}))
        elif n.kind == "code":
            kept.append(Node("code_block", n.start, n.end, text=n.text, url=n.url, text_start=n.text_start,
                             text_end=n.text_end, attrs={"hatena": "code"}))
        elif n.kind == "footnote":
            count += 1
            label = f"hatena-{count}"
            kept.append(Node("footnote_ref", n.start, n.end, text=label, attrs={"hatena": "footnote"}))
            kept.append(Node("footnote_def", n.text_start, n.text_end, text=label, text_start=n.text_start,
                             text_end=n.text_end, container="footnote", attrs={"hatena": "footnote"}))
        elif n.kind == "heading" and mode == "hatena":
            kept.append(Node("heading", n.start, n.end, text=n.text, text_start=n.text_start, text_end=n.text_end,
                             level=n.level, attrs={"hatena": "heading"}))
    kept.sort(key=lambda nd: (nd.start, nd.end))
    body.nodes = kept
    body._kinds = None
    return body


# --------------------------------------------------------------------------- migrate
def _fence(code: str) -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return fence


def _md_escape_text(label: str) -> str:
    return label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def to_markdown(text: str, mode: str, image: Any, embed: Any, note: Any) -> str:
    """The body ``text`` (no header) as Markdown for Hugo.

    ``image(notation) -> str`` gives the URL (or bundle path) for a fotolife image;
    ``embed(url) -> str | None`` the shortcode call for an embeddable URL; ``note(what)``
    records each kind of conversion for the report."""
    from blogtools.markdown import parse_body as md_parse

    notes = scan(text, 0, len(text), mode)
    if not notes and mode == "markdown":
        return text
    if mode == "markdown":
        protected = code_spans(md_parse(text, 0).nodes)
        notes = [n for n in notes if not _overlaps(protected, n.start, n.end)]
    edits: list[tuple[int, int, str]] = []
    footnotes: list[str] = []
    quote_depth = 0
    quote_lines: list[tuple[int, int]] = []  # spans of lines inside >> ... <<
    open_at: list[int] = []
    for n in notes:
        if n.kind == "image":
            url = image(n)
            alt = n.text.replace("]", "\\]")
            edits.append((n.start, n.end, f"![{alt}]({url})"))
            note("fotolife image [f:id] → Markdown image")
        elif n.kind in ("link", "asin"):
            label = n.text or (n.attrs.get("opts", "").lstrip(":") if n.kind == "asin" else "")
            if n.kind == "asin":
                label = ""
            if label:
                edits.append((n.start, n.end, f"[{_md_escape_text(label)}]({n.url})"))
            else:
                edits.append((n.start, n.end, f"<{n.url}>"))
            note("Hatena link notation → Markdown link" if n.kind == "link" else "[asin:...] → Amazon link")
        elif n.kind == "embed":
            call = embed(n.url)
            own_line = (n.start == 0 or text[n.start - 1] == "\n") and text[n.end:n.end + 1] in ("\n", "")
            pad = "\n" if own_line and mode == "hatena" else ""  # a card is a block of its own
            if call and own_line:
                edits.append((n.start, n.end, pad + call + pad))
                note("[URL:embed] → shortcode")
            else:
                edits.append((n.start, n.end, f"{pad}<{n.url}>{pad}"))
                note("[URL:embed] card → link")
        elif n.kind == "tex":
            edits.append((n.start, n.end, _tex(n.text)))
            note("[tex:...] → tex shortcode")
        elif n.kind == "toc":
            end = n.end + 1 if text[n.end:n.end + 1] == "\n" else n.end
            edits.append((n.start, end, ""))
            note("[:contents] (table of contents) dropped")
        elif n.kind == "footnote":
            footnotes.append(n.text)
            edits.append((n.start, n.end, f"[^{len(footnotes)}]"))
            note("((footnote)) → Markdown footnote")
        elif n.kind == "code":
            fence = _fence(n.text)
            code = n.text if n.text.endswith("\n") or not n.text else n.text + "\n"
            edits.append((n.start, n.end, f"{fence}{n.url}\n{code}{fence}"))
            note(">|lang| code → fenced code")
        elif n.kind == "quote_open":
            quote_depth += 1
            open_at.append(n.end + 1)
            edits.append((n.start, min(len(text), n.end + 1), ""))
            note(">> quote << → block quote")
        elif n.kind == "quote_close":
            if open_at:
                a = open_at.pop()
                if not open_at:
                    quote_lines.append((a, n.start))
                quote_depth -= 1
            edits.append((n.start, min(len(text), n.end + 1), ""))
        elif n.kind == "more":
            edits.append((n.start, n.end, "<!--more-->"))
        elif n.kind == "heading":
            edits.append((n.start, n.text_start, "#" * n.level + " "))
            note("* heading → # heading")
    if mode == "hatena" and quote_lines:
        edits = _quote_prefixes(text, quote_lines, edits)
    if mode == "hatena":
        edits += _lists_and_tables(text, notes, note)
        edits += _hard_breaks(text, notes, edits)
    out = _splice(text, edits)
    if footnotes:
        out = out.rstrip("\n") + "\n\n" + "\n".join(f"[^{i}]: {t.strip()}" for i, t in enumerate(footnotes, 1)) + "\n"
    return out


def _tex(src: str) -> str:
    if "`" not in src:
        return "{{< tex `" + src + "` >}}"
    return '{{< tex "' + src.replace("\\", "\\\\").replace('"', '\\"') + '" >}}'


def _quote_prefixes(text: str, spans: list[tuple[int, int]], edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``> `` at the start of each line inside ``>>`` ... ``<<`` (nested quotes flattened)."""
    out = list(edits)
    for a, b in spans:
        pos = a
        while pos < b:
            out.append((pos, pos, "> "))
            nl = text.find("\n", pos, b)
            if nl < 0:
                break
            pos = nl + 1
    return out


def _hard_breaks(text: str, notes: list[Notation], edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Hatena syntax mode keeps each line break (``<br>``): a backslash at the end of a prose
    line followed by another prose line keeps it in Markdown."""
    blocked = sorted((n.start, n.end) for n in notes if n.kind in ("code", "quote_open", "quote_close", "heading", "more")
                     or n.kind == "embed" and (n.start == 0 or text[n.start - 1] == "\n")
                     and text[n.end:n.end + 1] in ("\n", ""))
    out = []
    prev_end = -1
    prev_prose = False
    for a, b in _lines(text, 0, len(text)):
        line = text[a:b]
        prose = bool(line.strip()) and not (blocked and _overlaps(blocked, a, max(a + 1, b))) \
            and not re.match(r"\s*(?:[-+*|>#:]|\d+\.\s|<|\{\{)", line)
        if prose and prev_prose and not text[prev_end - 1:prev_end] in ("\\", " "):
            out.append((prev_end, prev_end, "\\"))
        prev_end, prev_prose = b, prose
    return out


_LIST = re.compile(r"(-{1,3}|\+{1,3})(?!-)[ \t]?(?=\S)")
_DT = re.compile(r":(?!:)([^:\n]+):(.*)$")  # :term:description (Hatena syntax mode's <dl>)
_DD = re.compile(r"::(.*)$")  # ::one more description of the term above
_ROW = re.compile(r"\|.*\|[ \t]*$")


def _lists_and_tables(text: str, notes: list[Notation], note: Any) -> list[tuple[int, int, str]]:
    """Hatena syntax mode's ``-item`` / ``--nested`` / ``+numbered`` lists, ``|*head|cell|``
    tables and ``:term:description`` lists as Markdown lists, pipe tables (the first row is
    the header, as Hatena shows it) and definition lists (``term`` then ``: description``,
    Goldmark's definitionList extension, on in Hugo by default)."""
    blocked = sorted((n.start, n.end) for n in notes if n.kind == "code")
    out: list[tuple[int, int, str]] = []
    table: list[tuple[int, int]] = []
    prev_blank = True

    def flush() -> None:
        if not table:
            return
        for i, (a, b) in enumerate(table):
            cells = [c.strip() for c in text[a:b].strip()[1:-1].split("|")]
            cells = [c[1:].strip() if c.startswith("*") else c for c in cells]
            row = "| " + " | ".join(cells) + " |"
            if i == 0:
                row = ("" if prev_blank_before[0] else "\n") + row + "\n|" + "---|" * len(cells)
            if i == len(table) - 1:
                row += "\n"  # a following line would be read as one more row
            out.append((a, b, row))
        note("Hatena table → pipe table")
        table.clear()

    prev_blank_before = [True]
    in_dl = False
    for a, b in _lines(text, 0, len(text)):
        if blocked and _overlaps(blocked, a, max(a + 1, b)):
            flush()
            prev_blank = in_dl = False
            continue
        line = text[a:b]
        dt = _DT.match(line)
        dd = _DD.match(line) if in_dl and dt is None else None
        if dt or dd:
            flush()
            if dd:
                out.append((a, b, ": " + dd.group(1).strip()))
            else:  # a blank line before the list and between its items (a term after a
                # paragraph line would take the paragraph as its term)
                term, desc = dt.group(1).strip(), dt.group(2).strip()
                out.append((a, b, ("" if prev_blank and not in_dl else "\n") + term + (f"\n: {desc}" if desc else "")))
                note("Hatena :term:description → definition list")
            in_dl, prev_blank = True, False
            continue
        if in_dl and line.strip():
            out.append((a, a, "\n"))  # else the line would continue the last description
        in_dl = False
        if _ROW.match(line):
            if not table:
                prev_blank_before[0] = prev_blank
            table.append((a, b))
            prev_blank = False
            continue
        flush()
        m = _LIST.match(line)
        if m and not line.startswith("----"):
            depth = len(m.group(1))
            bullet = "-" if m.group(1)[0] == "-" else "1."
            out.append((a, a + m.end(), "    " * (depth - 1) + bullet + " "))  # 4: inside "- " and "1. " items
            note("Hatena list → Markdown list")
        prev_blank = not line.strip()
    flush()
    return out


def _splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for a, b, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(new)
        pos = b
    out.append(text[pos:])
    return "".join(out)
