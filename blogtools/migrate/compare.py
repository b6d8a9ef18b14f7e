"""What a reader sees of one post, and what of it the migration lost.

Both builds (the source's own generator, Hugo for the new site) render each post through a
bare layout that writes only the post's content inside :data:`MARKER` (see
:mod:`blogtools.migrate.source_build`), so what is compared is the content area, never a
theme's header, sidebar or footer. From that HTML :func:`extract` takes:

- **words**: the visible text (no ``script``/``style``, no line numbers of highlighted
  code, no ``:emoji:`` codes; an ordered list's numbers count), NFC-normalised, split into Latin/Cyrillic/... word runs and single CJK characters
  (Japanese and Chinese have no spaces: a character is the unit), punctuation ignored; the
  comparison is of counts, so moving a footnote or a merged code block loses nothing;
- **images**: every ``img``, with whether it resolves (a remote URL counts as resolving);
- **code blocks**: every ``pre`` (adjacent ``pre`` elements joined, as Medium writes one per
  line), as its text without whitespace; a block is lost when that text is found in no
  code block of the new page;
- **tables**: every ``table`` that is not a code block's line-number table, as its cell
  text without whitespace, matched the same way;
- **markup**: ``**``, ``__``, ``{{``, ``{%`` printed as text outside code, more often than
  in the source (a bold repair gone wrong, Liquid or a shortcode left visible);
- **embeds**: YouTube/Vimeo/SpeakerDeck/SlideShare/other iframes, tweet and Instagram
  blockquotes, gist scripts, each as (provider, id).

A table of contents the generator writes from the headings (kramdown's ``{:toc}``,
``#markdown-toc``; Hatena's ``[:contents]``, ``ul.table-of-contents``) is left out: it is navigation, which a Hugo layout writes with
``.TableOfContents``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any, Callable

from blogtools.record import dataclass, field

MARKER = "blogtools-content"
# navigation a generator writes from the headings, not content: kramdown's {:toc} list and
# Hatena's [:contents] (Hugo writes its own from a layout, .TableOfContents)
# generated navigation, not the author's words: kramdown's {:toc}, and the footnotes' back
# links (kramdown numbers the second and later ones, "↩²"; Goldmark does not)
GENERATED = ("#markdown-toc", "ul.table-of-contents", "a.reversefootnote", "a.footnote-backref",
             'a[role="doc-backlink"]')
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f"
TOKEN = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")
SPACE = re.compile(r"\s+")
HIDDEN = ("script", "style", "noscript", "template", "head", "title")
# the line-number gutters of Chroma (Hugo) and Rouge (Jekyll)
LINENO_CLASSES = {"lnt", "ln", "lineno", "gutter", "gl", "rouge-gutter"}
EMBED_IDS = (
    ("youtube", re.compile(r"(?:youtube(?:-nocookie)?\.com/(?:embed/|watch\?v=|v/)|youtu\.be/)([\w-]{6,})")),
    ("vimeo", re.compile(r"vimeo\.com/(?:video/)?(\d+)")),
    ("x", re.compile(r"(?:twitter|x)\.com/[^/\s]+/status(?:es)?/(\d+)")),
    ("instagram", re.compile(r"instagram\.com/(?:[^/\s]+/)?(?:p|reel|tv)/([\w-]+)")),
    ("gist", re.compile(r"gist\.github\.com/(?:[^/\s]+/)?([0-9a-f]{5,})")),
    ("speakerdeck", re.compile(r"speakerdeck\.com/(?:player/)?([\w/-]+)")),
    ("slideshare", re.compile(r"slideshare\.net/(?:slideshow/embed_code/(?:key/)?)?([\w/-]+)")),
)


@dataclass
class Content:
    words: Counter = field(default_factory=Counter)
    images: list[tuple[str, bool]] = field(default_factory=list)  # (src, resolves)
    code: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    embeds: Counter = field(default_factory=Counter)
    markup: Counter = field(default_factory=Counter)  # Markdown/Liquid/shortcode syntax printed as text
    found: bool = True  # the marker was there (False: the whole body was taken)
    redirect: bool = False  # a redirect page (``redirect_to``, an alias): no content of its own


@dataclass
class Loss:
    words: int = 0
    images: int = 0
    code: int = 0
    tables: int = 0
    embeds: int = 0
    markup: int = 0  # more literal ** {{ {% than the source showed: syntax printed as text
    lines: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.words or self.images or self.code or self.tables or self.embeds or self.markup)


# an :emoji: code, also a one-letter one (:x:) and one a word runs on from (:tada:s): jemoji
# and Hugo both replace those
EMOJI_CODE = re.compile(r"(?<![\w:]):[a-z0-9_+-]+:(?!:)")
# what is left of a rendered emoji after its code is gone: the picture, its variation selector,
# the joiner of a sequence
EMOJI_CHARS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def tokens(text: str) -> list[str]:
    """Word tokens; an ``:emoji:`` code is none (rendered, it is a picture: whether a build
    rendered it depends on a plugin such as jemoji, not on the migration)."""
    return TOKEN.findall(EMOJI_CODE.sub(" ", unicodedata.normalize("NFC", text)))


# typographic quotes: kramdown and Goldmark's typographer curl ' and " different ways
_QUOTES = str.maketrans("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f", "''''" + '""""')


def _cells(text: str) -> str:
    """A table's text as compared: no whitespace, quotes straight (which way a typographer
    curls one is no loss), and no emoji, written as a code or as the picture (whether a
    build rendered ``:x:`` depends on a plugin, not on the migration)."""
    text = EMOJI_CHARS.sub("", EMOJI_CODE.sub("", unicodedata.normalize("NFC", text))).translate(_QUOTES)
    return SPACE.sub("", "".join(ch for ch in text if unicodedata.category(ch) != "So"))


def _classes(tag: Any) -> set[str]:
    value = tag.get("class") or []
    return set(value if isinstance(value, list) else str(value).split())


def extract(html: str, resolve: Callable[[str], bool] | None = None, whole: bool = False,
            drop: tuple[str, ...] = ()) -> Content:
    """The content of a built page: the element whose id is :data:`MARKER`, or (``whole``,
    or no marker) the page's body. ``drop`` are CSS selectors removed first (Medium's
    repeated title). ``resolve(src)`` says whether a local image is served."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = None if whole else soup.find(id=MARKER)
    out = Content(found=root is not None or whole)
    if root is None:
        root = soup.body or soup
    out.redirect = soup.find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}) is not None
    for sel in drop + GENERATED:
        for tag in root.select(sel):
            tag.decompose()
    for tag in root.find_all(HIDDEN):
        if tag.name != "script" or not _embed_of(tag):
            tag.decompose()
    for tag in root.find_all(lambda t: bool(_classes(t) & LINENO_CLASSES)):
        if not tag.decomposed:
            tag.decompose()
    # embeds first (a tweet's text still counts as words: its blockquote is content)
    for tag in root.find_all(["iframe", "blockquote", "script", "embed", "object", "video", "audio"]):
        key = _embed_of(tag)
        if key:
            out.embeds[key] += 1
    for tag in root.find_all("script"):
        tag.decompose()
    for img in root.find_all("img"):
        src = (img.get("src") or img.get("data-src") or "").strip()
        ok = True if resolve is None or not src or re.match(r"[a-z][a-z0-9+.-]*:|//", src, re.I) else resolve(src)
        out.images.append((src, ok))
    # code: adjacent pre elements are one block (Medium writes one pre per line)
    pres = root.find_all("pre")
    inner = [p for p in pres if not p.find_parent("pre")]
    blocks: list[list[Any]] = []
    for pre in inner:
        prev = pre.find_previous_sibling(True)
        if blocks and prev is blocks[-1][-1] and not SPACE.sub("", _between(prev, pre)):
            blocks[-1].append(pre)
        else:
            blocks.append([pre])
    out.code = [key for key in (SPACE.sub("", "".join(p.get_text() for p in block)) for block in blocks) if key]
    for table in root.find_all("table"):
        if table.find("pre") or table.find_parent("pre"):
            continue  # a highlighter's line-number table
        # a footnote reference is shown as the generator writes it (Hatena "*1", Goldmark "1"):
        # its number is counted with the words, not as the table's text
        out.tables.append(_cells(" ".join(t for t in table.find_all(string=True) if not _footnote_ref(t))))
    out.words = Counter(tokens(visible_text(root)))
    for code in root.find_all(["pre", "code"]):
        code.decompose()
    out.markup = Counter(MARKUP.findall(visible_text(root)))
    return out


MARKUP = re.compile(r"\*\*|__|{{|}}|{%|%}")


BLOCKS = frozenset("address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure footer "
                   "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th "
                   "thead tr ul iframe img".split())


def visible_text(root: Any) -> str:
    """The text as a reader sees it: inline elements run together (a drop cap
    ``<span>O</span>ver`` is one word), block elements are separated from what comes before
    and after them (a space is put after each one)."""
    from bs4 import NavigableString
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    for block in root.find_all(BLOCKS):  # a block ends its words too: "<ul><li>iKBC</li></ul><a>Amazon</a>"
        if block.parent is not None:
            block.insert_after(" ")
    for ref in root.find_all(["a", "sup"]):  # a footnote reference is a mark of its own: Hatena's "*1*2"
        if ref.parent is not None and (ref.name == "a" and FOOTNOTE_REF.match(ref.get("href") or "")
                                       or ref.name == "sup" and str(ref.get("id") or "").startswith("fnref")):
            ref.insert_before(" ")  # (and Goldmark's two <sup>s) are two numbers, not "12"
            ref.insert_after(" ")
    parts: list[str] = []
    for node in root.descendants:
        if isinstance(node, NavigableString):
            if not isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
                parts.append(str(node))
        elif node.name in BLOCKS:
            parts.append(" ")
            if node.name == "li" and node.parent is not None and node.parent.name == "ol":
                parts.append(f"{_number(node)}. ")  # the marker a reader sees ("1. A device" as a list)
    return "".join(parts)


FOOTNOTE_REF = re.compile(r"#(?:f-|fn[:-]?)")


def _footnote_ref(text: Any) -> bool:
    """Whether a string is (inside) a footnote reference: Hatena's ``<a href="#f-...">*1</a>``,
    Goldmark's and kramdown's ``<sup id="fnref:1"><a href="#fn:1">1</a></sup>``."""
    for parent in text.parents:
        if parent.name == "a" and FOOTNOTE_REF.match(parent.get("href") or ""):
            return True
        if parent.name == "sup" and str(parent.get("id") or "").startswith("fnref"):
            return True
        if parent.name in ("td", "th", "table"):
            return False
    return False


def _number(li: Any) -> int:
    ol = li.parent
    try:
        start = int(ol.get("start") or 1)
    except ValueError:
        start = 1
    return start + sum(1 for _ in li.find_previous_siblings("li"))


def _between(a: Any, b: Any) -> str:
    text = []
    node = a.next_sibling
    while node is not None and node is not b:
        text.append(node if isinstance(node, str) else "x")
        node = node.next_sibling
    return "".join(text)


def _embed_of(tag: Any) -> tuple[str, str] | None:
    """(provider, id) of an embed element: :mod:`blogtools.embeds` (the provider table lint
    and migrate share, Medium's embedly wrapper included), else the patterns below."""
    if tag.name in ("iframe", "script", "blockquote"):
        from blogtools import embeds

        found = embeds.detect_html(str(tag))
        if found is not None:
            return found.provider, found.id
    if tag.name == "blockquote":
        classes = _classes(tag)
        if not classes & {"twitter-tweet", "instagram-media", "twitter-video"}:
            return None
        link = " ".join(a.get("href") or "" for a in tag.find_all("a")) + " " + (tag.get("data-instgrm-permalink") or "")
    elif tag.name == "script":
        link = tag.get("src") or ""
        if "gist.github.com" not in link and "speakerdeck.com" not in link:
            return None
        if "speakerdeck.com" in link:
            ident = tag.get("data-id") or ""
            return ("speakerdeck", ident) if ident else None
    else:
        link = tag.get("src") or tag.get("data") or tag.get("data-src") or ""
        if not link:
            return None
    for provider, rx in EMBED_IDS:
        m = rx.search(link)
        if m:
            return provider, m.group(1).rstrip("/")
    if tag.name == "iframe":
        if "hatenablog-parts.com/embed" in link:
            return None  # Hatena's blog card: a preview of a link, which the migrated post keeps as a link
        return "iframe", re.sub(r"^[a-z]+:", "", link.split("?", 1)[0])
    return None


def compare(src: Content, out: Content, limit: int = 8) -> Loss:
    """What of ``src`` is not in ``out`` (counts, and readable lines for the report)."""
    loss = Loss()
    missing = src.words - out.words
    loss.words = sum(missing.values())
    if loss.words:
        shown = ", ".join(f"{w}" + (f" ×{n}" if n > 1 else "") for w, n in missing.most_common(limit))
        loss.lines.append(f"{loss.words} word(s) lost: {shown}{' …' if len(missing) > limit else ''}")
    src_ok = sum(1 for _, ok in src.images if ok)
    out_ok = sum(1 for _, ok in out.images if ok)
    loss.images = max(0, src_ok - out_ok)
    if loss.images:
        broken = [s for s, ok in out.images if not ok]
        loss.lines.append(f"{loss.images} image(s) lost ({src_ok} in the source, {out_ok} served in the new page"
                          + (f"; not served: {', '.join(broken[:limit])}" if broken else "") + ")")
    lost_code = _unmatched(src.code, out.code)
    loss.code = len(lost_code)
    for key in lost_code[:limit]:
        loss.lines.append(f"code block lost or changed: {_short(key)}")
    lost_tables = _unmatched(src.tables, out.tables)
    loss.tables = len(lost_tables)
    for key in lost_tables[:limit]:
        loss.lines.append(f"table lost or changed: {_short(key)}")
    shown = out.markup - src.markup
    loss.markup = sum(shown.values())
    if loss.markup:
        loss.lines.append("markup printed as text: " + ", ".join(f"{k} ×{n}" for k, n in sorted(shown.items())))
    gone = src.embeds - out.embeds
    loss.embeds = sum(gone.values())
    for (provider, ident), n in sorted(gone.items())[:limit]:
        loss.lines.append(f"embed lost: {provider} {ident}" + (f" ×{n}" if n > 1 else ""))
    return loss


def _unmatched(src: list[str], out: list[str]) -> list[str]:
    """The ``src`` keys found in no ``out`` key (exact first, then as a part of one: a block
    split or joined differently is not lost)."""
    left = Counter(out)
    joined = "\x00".join(out)
    lost = []
    for key in src:
        if left[key] > 0:
            left[key] -= 1
        elif not key or key in joined:
            continue
        else:
            lost.append(key)
    return lost


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"
