"""Markdown body transforms shared by every source: embeds, raw HTML, footnotes, images,
and the clean-up of Medium's conversion artefacts.

Every transform reads the body through :class:`blogtools.document.Document` (exact spans of
code, shortcodes, HTML and footnotes), so nothing inside code is ever touched, and each one
is idempotent: running it on its own output changes nothing.
"""

from __future__ import annotations

import re
from typing import Callable

from blogtools.document import Document
from blogtools.migrate import _embeds
from blogtools.migrate.model import Post


def parse(body: str) -> Document:
    doc = Document.from_text("post.md", body)
    doc.__dict__["front_matter"] = None  # all of it is body: one opening with "{{<" or "---" has no front matter
    return doc


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for a, b, new in sorted(edits):
        if a < pos:
            continue  # overlapping: first one wins
        out.append(text[pos:a])
        out.append(new)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def protected(doc: Document) -> list[tuple[int, int]]:
    """Spans no prose transform may touch: code, shortcodes, Liquid, HTML, autolinks."""
    return sorted((n.start, n.end) for n in doc.nodes("code_block", "code_span", "shortcode", "liquid",
                                                      "html_block", "html_inline", "html_comment", "autolink"))


def prose_sub(body: str, rx: re.Pattern[str], repl: Callable[[re.Match[str]], str] | str) -> tuple[str, int]:
    """``rx.sub`` on the body, skipping matches that overlap a protected span."""
    doc = parse(body)
    spans = protected(doc)
    edits = []
    for m in rx.finditer(body):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        new = repl(m) if callable(repl) else m.expand(repl)
        if new != m.group(0):
            edits.append((m.start(), m.end(), new))
    return (splice(body, edits), len(edits)) if edits else (body, 0)


# --------------------------------------------------------------------------- embeds and raw HTML
_WIDGET_SCRIPT = re.compile(
    r"<script[^>]*(?:platform\.twitter\.com/widgets\.js|instagram\.com/embed\.js|speakerdeck\.com/assets/embed\.js)"
    r"[^>]*>\s*</script>", re.I)
_BR_EOL = re.compile(r"<br\s*/?>[ \t]*$", re.I | re.M)
_COMMENT = re.compile(r"\A\s*<!--.*?-->\s*\Z", re.S)


def convert_html(post: Post) -> None:
    """HTML embeds → shortcodes, line-end ``<br>`` → hard breaks; other HTML kept and reported."""
    if "<" not in post.body:
        return
    doc = parse(post.body)
    edits: list[tuple[int, int, str]] = []
    for node in doc.nodes("html_block", "html_inline"):
        if "table" in node.container:
            continue
        snippet = doc.text[node.start:node.end]
        if _COMMENT.match(snippet):
            continue
        embed = _embeds.detect_html(snippet)
        call = _embeds.call(embed) if embed is not None else None
        if call is not None and node.kind == "html_block":
            rest = _WIDGET_SCRIPT.sub("", snippet)
            # a block holding the embed and nothing else (plus the provider's widget script);
            # one of two embeds would lose the other
            alone = len(_EMBED_ELEMENT.findall(snippet)) <= 1
            if alone and (_only_embed(snippet) or _only_embed(rest) or not rest.strip()):
                edits.append((node.start, node.end, call))
                post.note(f"{embed.provider} embed → shortcode")
                continue
        if node.kind == "html_block" and _WIDGET_SCRIPT.fullmatch(snippet.strip()):
            end = node.end
            while doc.text[end:end + 1] == "\n":
                end += 1
            edits.append((node.start, end, ""))
            post.note("embed widget script removed")
            continue
        if node.kind == "html_inline" and re.fullmatch(r"<br\s*/?>", snippet, re.I):
            after = doc.text[node.end:node.end + 2]
            if after[:1] in ("\n", "") or after[:1] in " \t" and doc.text[node.end:].lstrip(" \t")[:1] in ("\n", ""):
                end = node.end
                while end < len(doc.text) and doc.text[end] in " \t":
                    end += 1
                if end < len(doc.text):  # a hard break at the very end of the body means nothing
                    edits.append((node.start, end, "\\"))
                else:
                    edits.append((node.start, end, ""))
                post.note("line-end <br> → Markdown hard break")
                continue
        tag = re.match(r"<\s*/?\s*([A-Za-z][\w-]*)", snippet)
        name = tag.group(1).lower() if tag else "html"
        line = doc.position(node.start)[0]
        post.raw(f"<{name}> (body line {line})")
    if edits:
        post.body = splice(doc.text, edits)


# an element that is an embed itself (a SpeakerDeck or gist script is one; widgets.js is not)
_EMBED_ELEMENT = re.compile(r"<iframe\b|<script\b[^>]*(?:data-id=|gist\.github\.com)|"
                            r"<blockquote\b[^>]*(?:twitter-tweet|instagram-media)", re.I)


def _only_embed(snippet: str) -> bool:
    s = snippet.strip()
    return bool(re.fullmatch(r"(?is)<(iframe|script|blockquote|figure|div)\b.*</\1>|<script\b[^>]*/>", s)) and s.count("<iframe") <= 1


_VERBATIM = re.compile(r"<(/?)(pre|textarea|script|style)\b[^>]*>", re.I)
# CommonMark's HTML block start conditions 1-6 (a line starting so opens a raw block)
_HTML_START = re.compile(
    r"<(?:(?:script|pre|style|textarea)(?:\s|>|$)|!--|\?|![A-Za-z]|!\[CDATA\[|/?(?:address|article|aside|base|basefont|"
    r"blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|"
    r"footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    r"noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|"
    r"track|ul)(?:\s|/?>|$))", re.I)


def html_body(text: str) -> tuple[str, bool]:
    """An HTML page's body made one raw HTML block, so Goldmark (``unsafe = true``) passes it
    through unchanged: inside Markdown a blank line would end the block and an indented line
    after it would become code. Blank lines are dropped (whitespace between tags renders the
    same), except inside ``<pre>``/``<textarea>``, where an empty ``<span></span>`` keeps the
    empty line; a body that does not start with a block-level tag is wrapped in a ``<div>``.
    Returns (text, wrapped). Linear: one pass over the lines."""
    out: list[str] = []
    depth = 0  # inside pre/textarea/script/style
    verbatim = ""
    for line in text.split("\n"):
        if not line.strip():
            if depth and verbatim in ("pre", "textarea"):
                out.append("<span></span>" if verbatim == "pre" else "")
            elif depth:
                continue  # script/style: a blank line means nothing
            continue
        out.append(line)
        for m in _VERBATIM.finditer(line):
            if m.group(1):
                depth = max(depth - 1, 0)
            else:
                depth += 1
                verbatim = m.group(2).lower()
    body = "\n".join(out).strip("\n")
    first = body.lstrip(" \t")
    if body and not _HTML_START.match(first):
        return f"<div>\n{body}\n</div>", True
    return (first if body else ""), False


def needs_unsafe(body: str) -> bool:
    if "<" not in body:
        return False
    doc = parse(body)
    for node in doc.nodes("html_block", "html_inline"):
        if not _COMMENT.match(doc.text[node.start:node.end]):
            return True
    return False


# --------------------------------------------------------------------------- <!--more-->
_MORE = re.compile(r"<!--more-->(?=[ \t]*\n(?:[ \t]*\n)*(?: {4}|\t))")  # only when indented text follows


def code_after_more(post: Post) -> None:
    """Hugo drops the whitespace after the summary divider, so an indented code block right
    after ``<!--more-->`` would lose its indentation and become a paragraph: it is fenced."""
    m = _MORE.search(post.body)
    if m is None:
        return
    doc = parse(post.body)
    text = doc.text
    block = next((n for n in doc.nodes("code_block") if n.start >= m.end()), None)
    if block is None or text[m.end():block.start].strip():
        return
    lines = text[block.start:block.end].split("\n")
    if not lines or not (lines[0].startswith("    ") or lines[0].startswith("\t")):
        return  # a fenced block keeps its fence
    trailing = len(lines) - len("\n".join(lines).rstrip("\n").split("\n"))
    code = [_dedent4(line) for line in lines[: len(lines) - trailing]]
    fence = "```"
    while any(line.lstrip().startswith(fence) for line in code):
        fence += "`"
    post.body = text[:block.start] + "\n".join([fence, *code, fence] + [""] * trailing) + text[block.end:]
    post.note("indented code after <!--more--> fenced (Hugo strips the space after the divider)")


def _dedent4(line: str) -> str:
    if line.startswith("\t"):
        return line[1:]
    n = len(line) - len(line.lstrip(" "))
    return line[min(n, 4):]


# --------------------------------------------------------------------------- footnotes
def normalise_footnotes(post: Post) -> None:
    """Footnote definitions moved to the end of the body (in their order); a definition's
    continuation paragraphs (indented) move with it. Definitions already at the end stay."""
    if "[^" not in post.body:
        return
    doc = parse(post.body)
    defs = list(doc.nodes("footnote_def"))
    if not defs:
        return
    refs = [n.text for n in doc.nodes("footnote_ref")]
    text = doc.text
    blocks: dict[str, str] = {}
    for d in defs:
        blocks.setdefault(d.text, text[d.start:d.end].rstrip())
    rest = splice(text, [(d.start, d.end, "") for d in defs])
    if rest[defs[0].start:].strip():  # something other than definitions follows the first one
        rest = re.sub(r"\n{3,}", "\n\n", rest).rstrip()
        post.body = (rest + "\n\n" if rest else "") + "\n\n".join(blocks.values()) + "\n"
        post.note("footnote definitions moved to the end")
    unknown = sorted(set(refs) - set(blocks))
    for label in unknown:
        post.warn(f"footnote [^{label}] has no definition")


# --------------------------------------------------------------------------- Medium artefacts
def renders_better(old: str, new: str) -> bool:
    """A repair is kept only when rendering the paragraph shows it works: it still renders
    bold and prints no more literal ``*`` than before (``x ** y [**b**](u)** z`` joined would
    print ``****``: 4 literal asterisks would become 6)."""
    import mistune

    def rendered(text: str) -> tuple[str, int]:
        html = mistune.html(text)
        return html, re.sub(r"<[^>]+>", "", html).count("*")

    new_html, new_stars = rendered(new)
    old_html, old_stars = rendered(old)
    return new_stars <= old_stars and new_html.count("<strong>") >= 1 and new_html != old_html


_BOLD_SPLIT = re.compile(r"(?:\*\*([^*\n]+?)\*\*)?\[\*\*([^*\]\n]+?)\*\*\]\(([^()\s]+)\)(?:\*\*([^*\n]+?)\*\*)?")
_LIST_IN_PARA = re.compile(r"(?<=\S)\*   (?=\S)")
_BROKEN_EM = re.compile(r"(?<![\w*_])(\*\*_|_)(?=\S)([^\n_]*?\S)( {2,}|\\)\n(_\*\*|_)(?=\S)")
_MIRROR = {"_": "_", "**_": "_**"}


def medium_cleanup(post: Post) -> None:
    """Undo what medium-to-hugo style converters leave behind, where the fix is unambiguous."""
    body = post.body
    doc = parse(body)
    levels = [n.level for n in doc.nodes("heading") if "footnote" not in n.container]
    if levels and min(levels) > 2:
        shift = min(levels) - 2
        edits = []
        for n in doc.nodes("heading"):
            hashes = re.match(r"#{1,6}(?= )", doc.text[n.start:n.end])
            if hashes:
                edits.append((n.start, n.start + len(hashes.group(0)), "#" * (len(hashes.group(0)) - shift)))
        if edits:
            body = splice(doc.text, edits)
            post.note(f"Medium headings raised by {shift} level(s) (top heading is now ##)")

    def bold(m: re.Match[str]) -> str:
        if m.group(1) is None and m.group(4) is None:
            joined = f"**[{m.group(2)}]({m.group(3)})**"
        else:
            joined = f"**{m.group(1) or ''}[{m.group(2)}]({m.group(3)}){m.group(4) or ''}**"
        text = m.string  # the paragraph around the match, rendered before and after
        start = text.rfind("\n\n", 0, m.start()) + 1
        end = text.find("\n\n", m.end())
        end = len(text) if end < 0 else end
        before = text[start:end]
        after = text[start:m.start()] + joined + text[m.end():end]
        return joined if renders_better(before, after) else m.group(0)

    body, n = prose_sub(body, _BOLD_SPLIT, bold)
    if n:
        post.note("bold split around links joined")
    body, n = prose_sub(body, _LIST_IN_PARA, "\n\n*   ")
    if n:
        post.note("list marker inside a paragraph moved to its own line")

    def em(m: re.Match[str]) -> str:
        if _MIRROR[m.group(1)] != m.group(4):
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{m.group(4)}{m.group(3)}\n"

    body, n = prose_sub(body, _BROKEN_EM, em)
    if n:
        post.note("italics broken over hard line breaks closed on their line")
    post.body = body


def looks_like_medium(meta: dict, body: str) -> bool:
    aliases = meta.get("aliases")
    aliases = [aliases] if isinstance(aliases, str) else aliases if isinstance(aliases, list) else []
    hexalias = any(isinstance(a, str) and re.search(r"-[0-9a-f]{10,12}/?$", a) for a in aliases)
    return hexalias or "cdn-images-1.medium.com" in body or "miro.medium.com" in body
