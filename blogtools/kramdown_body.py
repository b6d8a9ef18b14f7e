"""A Jekyll post's body as kramdown renders it: a layer over the parsed body (Goldmark's reading).

Jekyll renders Markdown with kramdown (``input: GFM`` by default in Jekyll 4), not with a
CommonMark parser. :func:`view` gives, for a document of a Jekyll site whose ``markdown`` is
kramdown, the body nodes as kramdown reads them, changed from the parsed body only where
kramdown renders other links, images, headings or ids (each checked with Jekyll 4.3; see
``docs/kramdown.md``):

- a bare URL is text (kramdown's GFM parser does not linkify), and ``<url>`` is a link only
  for kramdown's schemes (lower-case ``http``, ``https``, ``ftp``, ``ftps``, ``mailto``, or an
  address): no ``autolink`` node otherwise;
- a block HTML element is raw HTML up to its matching closing tag, blank lines included
  (CommonMark ends the HTML block at the first blank line and reads on as Markdown);
- ``{::comment}…{:/comment}`` is an HTML comment and ``$$…$$`` math is not Markdown:
  nothing inside is a link, image or heading; ``{::nomarkdown}…{:/}`` is written as it is
  (its raw HTML stays, its Markdown is text);
- the content of ``<div markdown="1">`` (``block``, ``span``), of an HTML block that starts
  with a span element (``<a href>``, ``<span>``, ``<img>`` alone on a line: kramdown reads a
  paragraph) and, when ``parse_block_html`` is on (``_config.yml`` ``kramdown:`` or
  ``{::options parse_block_html="true" /}``), of block elements, is Markdown: it is parsed
  (up to the matching closing tag) and its nodes replace the HTML block's (the tags stay
  HTML nodes);
- attribute lists (``{: .class}``, ``{:target="_blank"}``, ``{: #id}``), the extension tags,
  abbreviation definitions (``*[HTML]: …``) and math are markup, not prose
  (:attr:`KramdownBody.markup`); the ids their ``#id`` give an element are anchors
  (:attr:`KramdownBody.ids`).

Anything else (tables, footnotes, definition lists, abbreviations, header ids) renders the
same links and images in both readings, or is handled where it is used (a heading's
``{#id}``: :meth:`blogtools.generators.jekyll.Jekyll.anchor_ids`).

Everything here is one pass over the nodes or the text (closing tags are matched in one pass
with a stack per element name; the inner parse of an HTML element reads its text once per
nesting level, at most :data:`MAX_DEPTH`).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, Iterable, Iterator

from blogtools.record import dataclass

MAX_DEPTH = 8  # HTML blocks with Markdown inside, nested (deeper: left as HTML)

# kramdown's HTML_SPAN_ELEMENTS: a line that starts with one of these starts a paragraph
SPAN_ELEMENTS = frozenset(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt "
    "rtc ruby s samp select small span strike strong sub sup textarea tt u var".split())
# kramdown's HTML_CONTENT_MODEL_BLOCK and _SPAN: with parse_block_html their content is Markdown
# (the raw ones, ``pre script style textarea code``..., and those it does not list, stay raw)
_PARSED_CONTENT = frozenset(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form header "
    "hgroup iframe li main map menu nav noscript object section summary td "
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend optgroup p q "
    "rb rbc rp rt rtc ruby select small span strong sub sup th tt".split())
# kramdown's syntax (shared with the migration converter, blogtools/migrate/kramdown.py)
IAL_LINE = re.compile(r"(?m)^[ \t]{0,3}\{:[^}\n]*\}[ \t]*(?:\n|\Z)")  # a block IAL or ALD line
OPTIONS = re.compile(r"\{::options\b[^}\n]*/\}[ \t]*\n?")
EXTENSIONS = {"comment": (re.compile(r"\{::comment\}"), re.compile(r"\{:/(?:comment)?\}")),
              "nomarkdown": (re.compile(r"\{::nomarkdown\}"), re.compile(r"\{:/(?:nomarkdown)?\}"))}
SPAN_IAL = re.compile(r"(?<=[*_)\]`])\{:[^}\n]*\}")  # right after a span element
# a paragraph break, a span IAL, or a run of emphasis delimiters
_SPAN_SCAN = re.compile(r"\n[ \t]*\n|(?P<ial>(?<=[*_)\]`])\{:[^}\n]*\})|\*+|_+")


def span_ials(text: str) -> Iterator[re.Match[str]]:
    """The span IALs of ``text``: ``{:...}`` right after a span element. After ``*`` or ``_``
    only when that run closes emphasis (kramdown: an opener is not before a space, and ``_``
    not after a letter or digit; a closer is not after a space): in ``$K_{:j}$`` or ``x*{:j}``
    nothing is open and kramdown prints ``{:j}``. One pass."""
    open_: dict[str, bool] = {"*": False, "_": False}
    closed_at = -1  # the end of the last run that closed emphasis
    for m in _SPAN_SCAN.finditer(text):
        tok = m.group(0)
        if tok[0] == "\n":
            open_ = {"*": False, "_": False}
        elif m.group("ial") is None:
            c, before, after = tok[0], text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
            if open_[c] and before.strip():
                open_[c] = False
                closed_at = m.end()
            elif after.strip() and not (c == "_" and before.isalnum()):
                open_[c] = True
        elif text[m.start() - 1] not in "*_" or closed_at == m.start():
            yield m
_OPEN_TAG = re.compile(r"[ \t]{0,3}<([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_MARKDOWN_ATTR = re.compile(r"""\smarkdown\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`/]+))""", re.I)
_ABBREVIATION = re.compile(r"(?m)^[ \t]{0,3}\*\[[^\]\n]+\]:[^\n]*(?:\n|\Z)")  # *[HTML]: Hyper Text…: not shown
_PBH_OPTION = re.compile(r"""\bparse_block_html\s*=\s*["']?(true|false)""")
_IAL_ID = re.compile(r"(?:^\{:?|\s)#([A-Za-z][\w:-]*)")
_CODE = ("code_span", "code_block", "html_comment", "shortcode", "liquid")


@dataclass(slots=True)
class Options:
    """The ``kramdown:`` settings of a Jekyll site that change what a lint tool sees."""

    parse_block_html: bool = False


@dataclass(slots=True)
class KramdownBody:
    nodes: list[Any]  # the body's nodes as kramdown reads them, in document order
    markup: list[tuple[int, int]]  # attribute lists, extension tags and their hidden content, math
    ids: list[str]  # ids given by attribute lists (``{: #id}``)
    heading_ids: dict[int, str]  # a heading's id set by the attribute list on the next line (by its start)
    hidden: list[tuple[int, int]]  # where Markdown is not read (comments, nomarkdown, math)

    def iter(self, *kinds: str) -> Iterator[Any]:
        return (n for n in self.nodes if n.kind in kinds)


# ------------------------------------------------------------------------------ the site
@lru_cache(maxsize=4096)
def site_root(folder: str) -> tuple[str, str] | None:
    """(generator, root) of the site ``folder`` is in: the root
    :func:`blogtools.site.find_site_root` finds (as :func:`blogtools.site.load_site` does) and
    whether its config is Hugo's or Jekyll's (a Hugo config wins); None for another site or
    none. Remembered per folder: every document asks, and a site's posts share few folders."""
    from blogtools.site import HUGO_CONFIGS, JEKYLL_CONFIGS, find_site_root

    root = find_site_root(folder)
    if root is None:
        return None
    if any(os.path.isfile(os.path.join(root, n)) for n in HUGO_CONFIGS) or \
            os.path.isdir(os.path.join(root, "config", "_default")):
        return "hugo", root
    if any(os.path.isfile(os.path.join(root, n)) for n in JEKYLL_CONFIGS):
        return "jekyll", root
    return None


def jekyll_root(folder: str) -> str | None:
    """The root of the Jekyll site ``folder`` is in (:func:`site_root`); else None."""
    found = site_root(folder)
    return found[1] if found is not None and found[0] == "jekyll" else None


@lru_cache(maxsize=64)
def site_options(root: str) -> Options | None:
    """The site's kramdown options; None when its ``markdown`` is not kramdown (a CommonMark
    converter plugin: the parsed body is then the right reading)."""
    from blogtools.site import load_site

    try:
        site = load_site(root, "jekyll")
    except Exception:  # noqa: BLE001 - an unreadable config: Jekyll's defaults (the config rules say why)
        return Options()
    engine = site.setting("markdown", "kramdown")
    if isinstance(engine, str) and engine.lower() != "kramdown":
        return None
    conf = site.setting("kramdown", {})
    conf = conf if isinstance(conf, dict) else {}
    return Options(parse_block_html=conf.get("parse_block_html") is True)


def options_of(doc: Any) -> Options | None:
    """The kramdown options of the document's Jekyll site; None when Jekyll does not render
    it with kramdown (another generator's document, an ``.html`` one, another converter)."""
    if getattr(doc, "is_html", False):
        return None
    root = jekyll_root(os.path.dirname(doc.abspath or os.path.abspath(doc.path)))
    return site_options(root) if root is not None else None


# ------------------------------------------------------------------------------ the view
def view(doc: Any) -> KramdownBody | None:
    """The body as kramdown reads it, for a document Jekyll renders with kramdown (cached on
    the document); None for any other document."""
    cached = doc.__dict__.get("_kramdown_view", False)
    if cached is not False:
        return cached
    options = options_of(doc)
    result = read(doc.text, doc.body.nodes, options) if options is not None else None
    doc.__dict__["_kramdown_view"] = result
    return result


def nodes(doc: Any, *kinds: str) -> Iterable[Any]:
    """``doc.nodes(*kinds)``, as the site's generator reads them: kramdown's reading on a
    Jekyll site; on a Hugo site whose ``markup.goldmark.extensions.linkify`` is false, no
    bare URL is a link (Goldmark's linkify is on by default)."""
    v = view(doc)
    if v is not None:
        return v.iter(*kinds)
    if "autolink" in kinds and not linkify(doc):
        return [n for n in doc.nodes(*kinds) if not (n.kind == "autolink" and (n.attrs or {}).get("bare"))]
    return doc.nodes(*kinds)


def linkify(doc: Any) -> bool:
    """Whether bare URLs are links where the document is rendered: False only on a Hugo site
    that turns Goldmark's linkify off (cached on the document)."""
    cached = doc.__dict__.get("_linkify")
    if cached is None:
        root = hugo_root(os.path.dirname(doc.abspath or os.path.abspath(doc.path)))
        cached = doc.__dict__["_linkify"] = hugo_linkify(root) if root is not None else True
    return cached


def hugo_root(folder: str) -> str | None:
    """The root of the Hugo site ``folder`` is in (:func:`site_root`); else None."""
    found = site_root(folder)
    return found[1] if found is not None and found[0] == "hugo" else None


@lru_cache(maxsize=64)
def hugo_linkify(root: str) -> bool:
    """``markup.goldmark.extensions.linkify`` of the Hugo site at ``root`` (true by default)."""
    from blogtools.site import load_site

    try:
        site = load_site(root, "hugo")
    except Exception:  # noqa: BLE001 - an unreadable config: Hugo's default (the config rules say why)
        return True
    return site.setting("markup.goldmark.extensions.linkify", True) is not False


def read(text: str, parsed: list[Any], options: Options) -> KramdownBody:
    """kramdown's reading of ``text`` whose parsed body nodes are ``parsed``."""
    covered = _Spans((n.start, n.end) for n in parsed if n.kind in _CODE)
    markup: list[tuple[int, int]] = []
    hidden: list[tuple[int, int]] = []  # where no Markdown is read
    keep_html: list[tuple[int, int]] = []  # those of them whose raw HTML is written ({::nomarkdown})
    if "{::" in text:
        for name, (open_rx, close_rx) in EXTENSIONS.items():
            for a, b, inner_a, inner_b in _pairs(text, open_rx, close_rx, covered):
                hidden.append((a, b))
                if name == "nomarkdown":
                    markup += [(a, inner_a), (inner_b, b)]
                    keep_html.append((a, b))
                else:
                    markup.append((a, b))
    if "$$" in text:
        math = _math(text, covered)
        hidden += math
        markup += math
    if "*[" in text:
        markup += [(m.start(), m.end()) for m in _ABBREVIATION.finditer(text) if not covered.inside(m.start())]
    pbh_at: list[tuple[int, bool]] = [(0, options.parse_block_html)]
    after_line: dict[int, str] = {}  # an attribute list's line start -> the id it gives
    ids: list[str] = []
    heading_ids: dict[int, str] = {}
    if "{:" in text or "{#" in text:
        for rx in (IAL_LINE, SPAN_IAL, OPTIONS):
            for m in (span_ials(text) if rx is SPAN_IAL else rx.finditer(text)):
                if covered.inside(m.start()):
                    continue
                markup.append((m.start(), m.end()))
                if rx is OPTIONS:
                    o = _PBH_OPTION.search(m.group(0))
                    if o:
                        pbh_at.append((m.start(), o.group(1) == "true"))
                elif not m.group(0).startswith("{::"):
                    found = _IAL_ID.findall(m.group(0).strip().rstrip("}").strip())
                    ids += found
                    if found and rx is IAL_LINE:
                        after_line[m.start()] = found[-1]
    if after_line:
        # ``## Heading`` then ``{: #id}``: the attribute list gives the heading its id
        for n in parsed:
            if n.kind == "heading":
                nl = text.find("\n", max(n.end - 1, n.start))
                if nl >= 0 and nl + 1 in after_line:
                    heading_ids[n.start] = after_line[nl + 1]
    ctx = _Context(text, _Spans(hidden), _Spans(keep_html), pbh_at, _closing_tags(text, covered))
    out = _walk(ctx, parsed, 0, len(text))
    return KramdownBody(out, sorted(markup), ids, heading_ids, sorted(hidden))


class _Context:
    __slots__ = ("text", "hidden", "html_kept", "pbh_starts", "pbh_values", "closes")

    def __init__(self, text: str, hidden: "_Spans", html_kept: "_Spans", pbh_at: list[tuple[int, bool]],
                 closes: dict[int, tuple[int, int]]) -> None:
        self.text, self.hidden, self.html_kept, self.closes = text, hidden, html_kept, closes
        self.pbh_starts = [p for p, _ in pbh_at]
        self.pbh_values = [v for _, v in pbh_at]

    def pbh(self, at: int) -> bool:
        return self.pbh_values[bisect_right(self.pbh_starts, at) - 1]


def _walk(ctx: _Context, parsed: list[Any], depth: int, limit: int) -> list[Any]:
    """``parsed`` (nodes in document order, all before ``limit``: the end of the element they
    are in) as kramdown reads them."""
    text = ctx.text
    out: list[Any] = []
    replaced = -1  # the end of the last HTML element read here (the nodes inside are replaced)
    templates = False  # whether the template nodes inside it are kept (raw HTML: Liquid still runs)
    moved = False
    for n in parsed:
        if n.start < replaced:
            if templates and n.kind in ("liquid", "shortcode"):
                out.append(n)
            if n.kind != "html_block" or n.end <= replaced:
                continue
            # an HTML block that goes on after the element's closing tag: the rest is read anew
            from blogtools.markdown import Node

            rest = replaced + len(text[replaced : n.end]) - len(text[replaced : n.end].lstrip())
            if rest >= n.end:
                continue
            n = Node("html_block", rest, n.end, text[rest : n.end], container=n.container)
        if n.kind == "autolink":
            if (n.attrs or {}).get("bare") or not _AUTOLINK.fullmatch(text, n.start, n.end):
                continue  # kramdown's GFM parser links no bare URL, and <url> only for its schemes
        if ctx.hidden.inside(n.start):
            if not (n.kind in ("html_block", "html_inline") and ctx.html_kept.inside(n.start)):
                continue
        elif n.kind == "html_block":
            element = _element(ctx, n, depth, limit)
            if element is not None:
                found, replaced, templates = element
                out += found
                moved = True
                continue
        out.append(n)
    if moved:
        out.sort(key=lambda n: (n.start, n.end))
    return out


def _element(ctx: _Context, node: Any, depth: int, limit: int) -> tuple[list[Any], int, bool] | None:
    """An HTML block as kramdown reads it: (its nodes, where it ends, whether the template
    nodes inside are kept), or None when the parsed body's reading stands.

    - ``markdown="1"`` (``block``, ``span``), or a block element under ``parse_block_html``:
      the opening tag and closing tag (``html_inline`` nodes) and the content parsed as Markdown,
      up to the matching closing tag (blank lines and all);
    - a span element opening a line: a paragraph, parsed as Markdown (to the block's end);
    - any other element: raw HTML up to its matching closing tag, blank lines and indented
      lines included (CommonMark ends the HTML block at the first blank line)."""
    text = ctx.text
    m = _OPEN_TAG.match(text, node.start, node.end)
    if m is None:
        return None
    name = m.group(1).lower()
    attr = _MARKDOWN_ATTR.search(m.group(2))
    value = next((g for g in attr.groups() if g is not None), "") if attr else None
    lt = m.start(1) - 1
    close = ctx.closes.get(lt)
    if close is not None and close[1] > limit:
        close = None  # closed only outside the element this one is in: not within it
    markdown = value.lower() in ("1", "block", "span") if value is not None else \
        name in SPAN_ELEMENTS or ctx.pbh(node.start) and name in _PARSED_CONTENT
    from blogtools.markdown import Node

    if not markdown:
        if close is None or close[1] <= node.end:
            return None
        return [Node("html_block", node.start, close[1], text[node.start : close[1]])], close[1], True
    if depth >= MAX_DEPTH:
        return None
    inner_end, end = (close[0], close[1]) if close and (value is not None or name not in SPAN_ELEMENTS) \
        else (node.end, node.end)
    found = [Node("html_inline", lt, m.end(), text[lt : m.end()])]
    found += _walk(ctx, _parse(text, m.end(), inner_end), depth + 1, inner_end)
    if end > inner_end:
        found.append(Node("html_inline", inner_end, end, text[inner_end:end]))
    return found, end, False


def _parse(text: str, start: int, end: int) -> list[Any]:
    """The body nodes of ``text[start:end]``, with offsets into ``text`` (the piece alone is
    parsed: copying the text before it for each element would take quadratic time)."""
    from blogtools.markdown import parse_body

    found = parse_body(text[start:end], 0).nodes
    for n in found:
        n.start += start
        n.end += start
        for field in ("text_start", "text_end", "url_start", "url_end"):
            if getattr(n, field) >= 0:
                setattr(n, field, getattr(n, field) + start)
    return found


# kramdown's AUTOLINK_START (kramdown 2.4): lower-case mailto, http, https, ftp, ftps, or an address
_AUTOLINK = re.compile(r"<(?:(?:mailto|https?|ftps?):.+?|[\w.-]+?@[\w.-]+?)>")
# a tag (attributes up to the next ``<`` or ``>``: no backtracking over a run twice)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _closing_tags(text: str, covered: "_Spans") -> dict[int, tuple[int, int]]:
    """Where each element's opening tag (its ``<``) is closed: (start, end) of the matching
    closing tag, for the tags outside code and comments. One stack per element name, one pass."""
    if "</" not in text:
        return {}
    stacks: dict[str, list[int]] = {}
    closes: dict[int, tuple[int, int]] = {}
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name in _VOID or m.group(3) or covered.inside(m.start()):
            continue
        if not m.group(1):
            stacks.setdefault(name, []).append(m.start())
        elif stacks.get(name):
            closes[stacks[name].pop()] = (m.start(), m.end())
    return closes


_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")


def _math(text: str, covered: "_Spans") -> list[tuple[int, int]]:
    """kramdown's math (``$$…$$``) outside code: a block (``$$`` opening a block, the closing
    ``$$`` ending one: blank lines may come between) or a span (inside one paragraph: no blank
    line between). A ``$$`` that closes neither is text. One pass over the ``$$`` runs."""
    marks = [m.start() for m in re.finditer(r"(?<!\\)\$\$", text) if not covered.inside(m.start())]
    out: list[tuple[int, int]] = []
    i = 0
    while i + 1 < len(marks):
        a, b = marks[i], marks[i + 1]
        end = b + 2
        if _BLANK_LINE.search(text, a, b) is None:
            out.append((a, end))  # a span (or a block: nothing between crosses a paragraph)
            i += 2
            continue
        line = text.rfind("\n", 0, a) + 1
        before = text.rfind("\n", 0, max(line - 1, 0)) + 1 if line else 0
        opens = not text[line:a].strip(" ") and (line == 0 or not text[before:line].strip())
        rest = text.find("\n", end)
        rest = len(text) if rest < 0 else rest
        after = text.find("\n", rest + 1)
        closes = not text[end:rest].strip() and not text[rest + 1 : len(text) if after < 0 else after].strip()
        if opens and closes:
            out.append((a, end))
            i += 2
        else:
            i += 1  # this ``$$`` is text; the next may open math
    return out


def _pairs(text: str, open_rx: "re.Pattern[str]", close_rx: "re.Pattern[str]",
           covered: "_Spans") -> Iterator[tuple[int, int, int, int]]:
    """Each ``open … close`` outside code: (start, end, content start, content end). An
    opener with no closer after it ends the search (no later one has one)."""
    pos = 0
    while True:
        m = open_rx.search(text, pos)
        if m is None:
            return
        if covered.inside(m.start()):
            pos = m.end()
            continue
        c = close_rx.search(text, m.end())
        while c is not None and covered.inside(c.start()):
            c = close_rx.search(text, c.end())
        if c is None:
            return
        yield m.start(), c.end(), m.end(), c.start()
        pos = c.end()


class _Spans:
    """Sorted (possibly nested) spans: is an offset inside one?"""

    __slots__ = ("starts", "reach")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the spans up to each one
        for _, b in ordered:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def inside(self, at: int) -> bool:
        k = bisect_right(self.starts, at) - 1
        return k >= 0 and self.reach[k] > at
