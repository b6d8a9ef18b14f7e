"""WordPress body HTML as WordPress renders it: shortcodes and ``wpautop``.

:func:`render` turns a post's ``content:encoded`` into the HTML WordPress would serve, in
WordPress's own order: ``[code]``/``[sourcecode]`` blocks are set aside first (the
SyntaxHighlighter plugins protect them from ``wpautop``), then ``wpautop`` (skipped for
block-editor content, as WordPress does), then ``[caption]``, ``[gallery]`` and ``[embed]``
become the HTML elements the HTML→Markdown converter already understands (``figure`` with
``figcaption``, ``iframe``). Other shortcodes are left as text and reported.

Everything here is linear in the size of the body: shortcode tags are found with one regex
pass and paired with a stack; no pattern searches from every opener.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

CODE_TAGS = ("code", "sourcecode")
HANDLED = ("caption", "wp_caption", "gallery", "embed") + CODE_TAGS
_TAG = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:\s[^\[\]]*)?)\]")
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'\]]+))|"([^"]*)"|(\S+)""")


def attrs(text: str) -> dict[str, str]:
    """``id="a" width=300 "x"`` → ``{"id": "a", "width": "300", "0": "x"}`` (WordPress's
    ``shortcode_parse_atts``: names lower-cased, bare values numbered)."""
    out: dict[str, str] = {}
    n = 0
    for m in _ATTR.finditer(text):
        if m.group(1):
            out[m.group(1).lower()] = next((g for g in m.group(2, 3, 4) if g is not None), "")
        else:
            out[str(n)] = m.group(5) if m.group(5) is not None else m.group(6)
            n += 1
    return out


class Shortcode:
    __slots__ = ("attrs", "end", "inner", "name", "start")

    def __init__(self, name: str, attrs_: dict[str, str], start: int, end: int, inner: str | None) -> None:
        self.name, self.attrs, self.start, self.end, self.inner = name, attrs_, start, end, inner


def find(text: str, names: tuple[str, ...]) -> list[Shortcode]:
    """The outermost shortcodes of ``names`` in ``text`` (self-closing or with their closing
    tag), in order. ``[[x]]`` is WordPress's escape for a literal ``[x]``: not a shortcode."""
    opens: list[tuple[str, dict[str, str], int, int]] = []  # stack of (name, attrs, start, end of tag)
    found: list[Shortcode] = []
    counts: dict[str, int] = {}
    wanted = {n.lower() for n in names}
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name not in wanted:
            continue
        if m.start() > 0 and text[m.start() - 1] == "[" and text[m.end():m.end() + 1] == "]":
            continue
        if m.group(1):  # a closing tag: pairs with the nearest open one of its name
            if not counts.get(name):
                continue
            while opens[-1][0] != name:  # opened inside it and never closed: inside it
                counts[opens.pop()[0]] -= 1
            o = opens.pop()
            counts[name] -= 1
            while found and found[-1].start > o[2]:  # the ones closed inside it
                found.pop()
            found.append(Shortcode(name, o[1], o[2], m.end(), text[o[3]:m.start()]))
            continue
        opens.append((name, attrs(m.group(3)), m.start(), m.end()))
        counts[name] = counts.get(name, 0) + 1
    for name, a, start, end in opens:  # never closed: self-closing
        found.append(Shortcode(name, a, start, end, None))
    found.sort(key=lambda s: s.start)
    out: list[Shortcode] = []
    last = -1
    for s in found:
        if s.start >= last:
            out.append(s)
            last = s.end
    return out


def replace(text: str, shortcodes: list[Shortcode], fn: Callable[[Shortcode], str]) -> str:
    parts, pos = [], 0
    for s in shortcodes:
        parts.append(text[pos:s.start])
        parts.append(fn(s))
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- wpautop
_BLOCKS = ("(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|"
           "blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|"
           "figure|figcaption|details|menu|summary)")
_OPEN = {name: re.compile(rf"<{name}\b", re.IGNORECASE) for name in ("pre", "script", "style", "svg", "math")}
_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _OPEN}


def elements(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of ``<name ...>...</name>`` (each opener with the first closer after it, as
    WordPress's non-greedy patterns match), found in one pass: an opener with no closer left
    is no element, and no search is repeated from every opener."""
    spans: list[tuple[int, int]] = []
    for name in names:
        closers = [m.end() for m in _CLOSE[name].finditer(text)]
        i, pos = 0, 0
        for m in _OPEN[name].finditer(text):
            if m.start() < pos:
                continue
            while i < len(closers) and closers[i] <= m.end():
                i += 1
            if i == len(closers):
                break
            spans.append((m.start(), closers[i]))
            pos = closers[i]
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:  # one kind inside another (a <pre> in a <script>): the outer one
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out


def _map_spans(text: str, spans: list[tuple[int, int]], fn: Callable[[str], str]) -> str:
    parts, pos = [], 0
    for a, b in spans:
        parts += [text[pos:a], fn(text[a:b])]
        pos = b
    parts.append(text[pos:])
    return "".join(parts)
_IN_TAG = re.compile(r"<[^<>]*>")
_BLOCK_COMMENT = re.compile(r"[ \t]*<!-- /?wp:[^>]*?-->[ \t]*")


def wpautop(text: str) -> str:
    """WordPress's ``wpautop`` (wp-includes/formatting.php), step by step: blank lines make
    paragraphs, single newlines ``<br />``, nothing inside ``<pre>`` or a tag is touched."""
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    pres: list[str] = []
    if "<pre" in text.lower():
        def keep(element: str) -> str:
            pres.append(element)
            return f"<pre wp-pre-tag-{len(pres) - 1}></pre>"

        text = _map_spans(text, elements(text, ("pre",)), keep)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"(<" + _BLOCKS + r"[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(</" + _BLOCKS + ">)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"(<hr\s*/?>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = _IN_TAG.sub(lambda m: m.group(0).replace("\n", " <!-- wpnl --> "), text)
    if "<figcaption" in text:
        text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = re.sub(r"</figcaption>\s*", "</figcaption>", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + _BLOCKS + r"[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li[^\n]+)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + _BLOCKS + r"[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"(</?" + _BLOCKS + r"[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    # newlines inside script/style/svg/math stay newlines
    keep_lines = elements(text, ("script", "style", "svg", "math"))
    if keep_lines:
        text = _map_spans(text, keep_lines, lambda element: element.replace("\n", "<WPPreserveNewline />"))
    text = re.sub(r"<br\s*/?>", "<br />", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!<br />)[ \t]*\n", "<br />\n", text)
    text = text.replace("<WPPreserveNewline />", "\n")
    text = re.sub(r"(</?" + _BLOCKS + r"[^>]*>)\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"\n</p>$", "</p>", text)
    if pres:
        text = re.sub(r"<pre wp-pre-tag-(\d+)></pre>", lambda m: pres[int(m.group(1))], text)
    return text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")


# --------------------------------------------------------------------------- the body
def code_block(s: Shortcode) -> str:
    """``[code language="python"]...[/code]`` → ``<pre data-code-block-lang="python">``: the
    code as text (entities the editor stored are decoded once, then escaped for the parser)."""
    lang = s.attrs.get("language") or s.attrs.get("lang") or s.attrs.get("0", "")
    lang = re.sub(r"[^\w+#.-]", "", lang)
    code = html.unescape(s.inner or "").strip("\n")
    attr = f' data-code-block-lang="{html.escape(lang)}"' if lang else ""
    return f"<pre{attr}>{html.escape(code, quote=False)}</pre>"


def render(content: str, gallery: Callable[[Shortcode], str], notes: Callable[[str], None],
           warn: Callable[[str], None]) -> str:
    """The body HTML a visitor saw (the ``source_html`` of a post), shortcodes converted.

    ``gallery(s)`` returns the ``<img>`` elements of a ``[gallery]`` (the attachments are
    the reader's business); ``notes``/``warn`` report what was converted or kept."""
    blocks = (content or "").strip()
    code = find(blocks, CODE_TAGS)
    if code:
        blocks = replace(blocks, code, code_block)
        notes("[code]/[sourcecode] → fenced code")
    if "<!-- wp:" not in blocks:  # the block editor's content is never run through wpautop
        blocks = wpautop(blocks)
    else:  # its block delimiters are comments (invisible) between the blocks
        blocks = _BLOCK_COMMENT.sub("\n", blocks)
        blocks = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", blocks).strip()

    def convert(s: Shortcode) -> str:
        inner = s.inner or ""
        if s.name in ("caption", "wp_caption"):
            caption = s.attrs.get("caption", "")
            m = re.search(r"<img\b[^>]*>", inner, re.IGNORECASE)
            if not m:
                return inner
            if not caption:
                caption = re.sub(r"<[^>]*>", "", inner[m.end():]).replace("</a>", "").strip()
            notes("[caption] → figure with its caption")
            return f"<figure>{m.group(0)}<figcaption>{caption}</figcaption></figure>"
        if s.name == "gallery":
            images = gallery(s)
            if not images:
                warn("[gallery] without images found in the export: dropped")
                return ""
            notes("[gallery] → images")
            return f"<figure>{images}</figure>"
        if s.name == "embed":
            url = (inner or s.attrs.get("src", "") or s.attrs.get("0", "")).strip()
            url = re.sub(r"<[^>]*>", "", url).strip()
            if not url:
                return ""
            return f'<figure><iframe src="{html.escape(url)}"></iframe></figure>'
        return blocks[s.start:s.end]

    others = find(blocks, ("caption", "wp_caption", "gallery", "embed"))
    if others:
        blocks = replace(blocks, others, convert)
        # a shortcode alone in its paragraph (shortcode_unautop)
        blocks = re.sub(r"<p>\s*(<figure>)", r"\1", blocks)
        blocks = re.sub(r"(</figure>)\s*(?:<br />\s*)?</p>", r"\1", blocks)
    rest = sorted({m.group(2).lower() for m in _TAG.finditer(blocks)
                   if not m.group(1) and _looks_like_shortcode(blocks, m)})
    if rest:
        warn("shortcode(s) kept as text (no Hugo equivalent): " + ", ".join(f"[{n}]" for n in rest[:10]))
    return blocks


_KNOWN_OTHERS = {"video", "audio", "playlist", "youtube", "vimeo", "googlevideo", "slideshare", "gist", "tweet",
                 "contact-form", "contact-form-7", "php", "sql", "js", "javascript", "python", "html", "xml", "css",
                 "bash", "ruby", "java", "cpp", "csharp", "latex", "wpvideo", "soundcloud", "instagram", "dailymotion"}


def _looks_like_shortcode(text: str, m: re.Match[str]) -> bool:
    """A known shortcode name outside code: ``[1]``, ``[sic]`` and array indexes are prose."""
    return m.group(2).lower() in _KNOWN_OTHERS and "<pre" not in text[max(0, m.start() - 200):m.start()]
