"""Embed providers: one table, used by the embed rules and by the migrator.

An embed is found in any of the forms posts carry it in (FORMATS.md, "Embeds"):

- ``iframe``: ``<iframe src="https://www.youtube.com/embed/ID">``, SpeakerDeck's
  ``speakerdeck.com/player/ID``, SlideShare's ``embed_code/key/KEY``, Vimeo's player, and
  Medium's ``cdn.embedly.com/widgets/media.html?src=<encoded provider URL>`` wrapper;
- ``script``: ``<script class="speakerdeck-embed" data-id=ID>``, ``gist.github.com/USER/ID.js``;
- ``blockquote``: ``blockquote.twitter-tweet`` holding the status link,
  ``blockquote.instagram-media[data-instgrm-permalink]``;
- ``url``: the provider URL alone (``https://youtu.be/ID``, ``https://x.com/USER/status/ID``).

:func:`detect_url` and :func:`detect_html` return an :class:`Embed` (provider, id, params);
:func:`hugo_shortcode` writes it as the Hugo shortcode the site has (a built-in, or a
project template whose parameters are read from the template itself).
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from typing import Any

from blogtools.record import dataclass, field
from blogtools.urls import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class Embed:
    provider: str  # key of PROVIDERS
    id: str
    form: str  # iframe | script | blockquote | url
    params: tuple[tuple[str, str], ...] = ()  # extra parameters (start, user, file, ratio)

    def param(self, name: str, default: str = "") -> str:
        return dict(self.params).get(name, default)

    @property
    def url(self) -> str:
        """The content's public URL (a link that works when the embed cannot be shown)."""
        return PROVIDERS[self.provider].page_url(self)

    @property
    def title(self) -> str:
        return PROVIDERS[self.provider].title


@dataclass(frozen=True)
class Provider:
    name: str
    title: str
    shortcode: str  # the Hugo shortcode's name (built in or the usual project template name)
    sources: tuple[str, ...] = field(default_factory=tuple)  # URL regexes (case-insensitive)
    page: str = ""  # format of the public URL

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """Compiled on first use: most posts embed nothing, and compiling the table costs
        ~4 ms of every start."""
        return tuple(re.compile(p, re.I) for p in self.sources)

    def page_url(self, embed: Embed) -> str:
        values = dict(embed.params)
        values["id"] = embed.id
        try:
            return self.page.format(**values)
        except KeyError:
            return ""


def _unescape(text: str) -> str:
    """``html.unescape``, importing :mod:`html` (its entity table) only when needed."""
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


def _re(*patterns: str) -> tuple[str, ...]:
    return patterns


PROVIDERS: dict[str, Provider] = {
    "youtube": Provider("youtube", "YouTube video", "youtube", _re(
        r"^(?:https?:)?//(?:www\.|m\.)?youtube(?:-nocookie)?\.com/(?:embed|v|shorts|live)/(?P<id>[\w-]{11})",
        r"^(?:https?:)?//(?:www\.|m\.)?youtube\.com/watch\?(?:[^#]*&)?v=(?P<id>[\w-]{11})",
        r"^(?:https?:)?//youtube\.googleapis\.com/v/(?P<id>[\w-]{11})",
        r"^(?:https?:)?//youtu\.be/(?P<id>[\w-]{11})",
    ), "https://www.youtube.com/watch?v={id}"),
    "vimeo": Provider("vimeo", "Vimeo video", "vimeo", _re(
        r"^(?:https?:)?//player\.vimeo\.com/video/(?P<id>\d+)",
        r"^(?:https?:)?//(?:www\.)?vimeo\.com/(?:channels/[\w-]+/)?(?P<id>\d+)(?:[/?#]|$)",
    ), "https://vimeo.com/{id}"),
    "x": Provider("x", "X/Twitter post", "x", _re(
        r"^(?:https?:)?//(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<user>\w{1,15})/status(?:es)?/(?P<id>\d+)",
    ), "https://x.com/{user}/status/{id}"),
    "instagram": Provider("instagram", "Instagram post", "instagram", _re(
        r"^(?:https?:)?//(?:www\.)?instagram\.com/(?:[\w.]+/)?(?:p|reel|tv)/(?P<id>[\w-]+)",
    ), "https://www.instagram.com/p/{id}/"),
    "speakerdeck": Provider("speakerdeck", "Speaker Deck slides", "speakerdeck", _re(
        r"^(?:https?:)?//(?:www\.)?speakerdeck\.com/player/(?P<id>[0-9a-f]{16,})",
    ), "https://speakerdeck.com/player/{id}"),
    "gist": Provider("gist", "GitHub gist", "gist", _re(
        r"^(?:https?:)?//gist\.github\.com/(?P<user>[\w-]+)/(?P<id>[0-9a-f]{5,})(?:\.js)?"
        r"(?:\?file=(?P<file>[^&#\s]+))?(?:[#?]|$)",
    ), "https://gist.github.com/{user}/{id}"),
    "slideshare": Provider("slideshare", "SlideShare slides", "slideshare", _re(
        r"^(?:https?:)?//(?:www\.)?slideshare\.net/slideshow/embed_code/(?:key/)?(?P<id>[\w-]+)",
    ), "https://www.slideshare.net/slideshow/embed_code/key/{id}"),
}

_EMBEDLY = re.compile(r"^(?:https?:)?//cdn\.embedly\.com/widgets/media\.html\?(?P<q>.*)$", re.I)


def detect_url(url: str, form: str = "url") -> Embed | None:
    """The embed a provider URL stands for (None when it is no known embed)."""
    url = _unescape(url.strip())
    m = _EMBEDLY.match(url)
    if m:
        query = parse_qs(m.group("q"))
        for key in ("src", "url"):
            for inner in query.get(key, []):
                found = detect_url(unquote(inner), form)
                if found is not None:
                    return found
        return None
    for provider in PROVIDERS.values():
        for pattern in provider.patterns:
            hit = pattern.match(url)
            if hit is None:
                continue
            groups = {k: v for k, v in hit.groupdict().items() if v}
            ident = groups.pop("id")
            if provider.name == "youtube":
                start = _start(url)
                if start:
                    groups["start"] = start
            return Embed(provider.name, ident, form, tuple(sorted(groups.items())))
    return None


def _start(url: str) -> str:
    query = parse_qs(urlsplit(url).query)
    raw = (query.get("start") or query.get("t") or [""])[0]
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", raw)
    if not raw or not m:
        return ""
    h, mi, s = (int(g or 0) for g in m.groups())
    total = h * 3600 + mi * 60 + s
    return str(total) if total else ""


_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_OPEN = re.compile(r"<(iframe|script|blockquote)\b([^>]*)>", re.I)
_HREF = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']([^"']+)["']""", re.I)


def attributes(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): _unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(tag)}


@dataclass(frozen=True)
class Found:
    """An embed inside a piece of HTML, with its span in that HTML."""

    embed: Embed
    start: int
    end: int
    src_start: int  # the attribute (src / href / data-id) naming the content, for positions
    src_end: int


def find_in_html(source: str) -> list[Found]:
    """Every embed in an HTML fragment, each with the span of its element."""
    out: list[Found] = []
    pos = 0
    while True:
        m = _OPEN.search(source, pos)
        if m is None:
            return out
        tag = m.group(1).lower()
        close = re.compile(rf"</{tag}\s*>", re.I).search(source, m.end())
        end = close.end() if close else m.end()
        attrs = attributes(m.group(2))
        found = _element(tag, attrs, source[m.end() : close.start() if close else m.end()])
        if found is not None:
            embed, key = found
            a, b = _attr_span(source, m, key)
            if embed.provider == "x" or embed.provider == "instagram":
                end = _with_script(source, end)
            out.append(Found(embed, m.start(), end, a, b))
            pos = end
        else:
            pos = m.end()


def _attr_span(source: str, m: re.Match[str], key: str) -> tuple[int, int]:
    for a in _ATTR.finditer(m.group(0)):
        if a.group(1).lower() == key:
            g = 2 if a.group(2) is not None else 3 if a.group(3) is not None else 4
            return m.start() + a.start(g), m.start() + a.end(g)
    return m.start(), m.end()


_SUPPORT = re.compile(r"\s*<script\b[^>]*(?:platform\.twitter\.com/widgets\.js|instagram\.com/embed\.js)[^>]*>"
                      r"\s*</script>", re.I)


def _with_script(source: str, end: int) -> int:
    m = _SUPPORT.match(source, end)
    return m.end() if m else end


def _element(tag: str, attrs: dict[str, str], inner: str) -> tuple[Embed, str] | None:
    if tag == "iframe":
        src = attrs.get("src") or attrs.get("data-src") or ""
        embed = detect_url(src, "iframe")
        return (embed, "src") if embed else None
    if tag == "script":
        src = attrs.get("src", "")
        classes = attrs.get("class", "").split()
        if "speakerdeck-embed" in classes or "speakerdeck.com/assets/embed.js" in src:
            ident = attrs.get("data-id", "")
            if ident:
                params = (("ratio", attrs["data-ratio"]),) if attrs.get("data-ratio") else ()
                return Embed("speakerdeck", ident, "script", params), "data-id"
            return None
        embed = detect_url(src, "script")
        return (embed, "src") if embed and embed.provider == "gist" else None
    if tag == "blockquote":
        classes = attrs.get("class", "").split()
        if "instagram-media" in classes:
            embed = detect_url(attrs.get("data-instgrm-permalink", ""), "blockquote")
            return (embed, "data-instgrm-permalink") if embed else None
        if "twitter-tweet" in classes or "twitter-video" in classes:
            for href in reversed(_HREF.findall(inner)):
                embed = detect_url(_unescape(href), "blockquote")
                if embed is not None and embed.provider == "x":
                    return embed, "class"
    return None


ARCHIVED_TEXT_LOST = "replace the archived text of the post, which an offline build or a deleted post no longer shows"


def shortcode_loses_text(embed: Embed) -> bool:
    """Whether a shortcode would lose what this embed shows: an X/Twitter or Instagram post
    embed holds the post's archived text (a blockquote), which the shortcode replaces by a
    fetch at build time (an offline build or a deleted post shows nothing). BT610 offers no
    fix for it and the migrator keeps the blockquote (:data:`ARCHIVED_TEXT_LOST`)."""
    return embed.form == "blockquote" or embed.provider in ("x", "instagram")


def detect_html(source: str) -> Embed | None:
    """The first embed in an HTML fragment."""
    found = find_in_html(source)
    return found[0].embed if found else None


# --------------------------------------------------------------------------- Hugo
@lru_cache(maxsize=128)
def template_params(path: str) -> tuple[frozenset[str], bool]:
    """(named parameters, reads positional parameters) of a shortcode template."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return frozenset(), True
    named = frozenset(re.findall(r"""\.Get\s+["`](\w+)["`]""", text))
    positional = bool(re.search(r"\.Get\s+\d", text)) or not named
    return named, positional


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hugo_shortcode(embed: Embed, shortcodes: dict[str, str]) -> str | None:
    """The Hugo shortcode for an embed, given the site's shortcodes (name → template path,
    "" for a built-in); None when the site has none for this provider or it needs a
    parameter the embed lacks (``x`` needs the user name)."""
    name = PROVIDERS[embed.provider].shortcode
    if name not in shortcodes:
        return None
    path = shortcodes[name]
    args: list[tuple[str, str]] = [("id", embed.id)]
    if embed.provider == "youtube" and embed.param("start"):
        args.append(("start", embed.param("start")))
    if embed.provider == "x":
        if not embed.param("user"):
            return None
        args = [("user", embed.param("user")), ("id", embed.id)]
    if embed.provider == "gist":
        args = [("user", embed.param("user")), ("id", embed.id)]
        if embed.param("file"):
            args.append(("file", embed.param("file")))
    if not path:  # built in
        if embed.provider in ("youtube",) and len(args) == 1 or embed.provider in ("vimeo", "instagram"):
            return "{{< %s %s >}}" % (name, embed.id)
        return "{{< %s %s >}}" % (name, " ".join(f"{k}={_quote(v)}" for k, v in args))
    named, positional = template_params(path)
    if named and all(k in named for k, _ in args[:1]) and (not positional or args[0][0] in named):
        usable = [(k, v) for k, v in args if k in named]
        if len(usable) == len(args) or embed.provider != "gist":
            return "{{< %s %s >}}" % (name, " ".join(f"{k}={_quote(v)}" for k, v in usable))
    if positional:
        return "{{< %s %s >}}" % (name, " ".join(_quote(v) if re.search(r"[\s\"]", v) else v for _, v in args))
    return None


# --------------------------------------------------------------------------- in documents
@dataclass(frozen=True)
class DocEmbed:
    """An embed in a document: absolute offsets of the element and of its naming attribute."""

    embed: Embed
    start: int
    end: int
    src_start: int
    src_end: int


_BLANK_LINE = re.compile(r"\r?\n[ \t]*\r?\n")


def in_document(doc: Any) -> list[DocEmbed]:
    """Every raw HTML embed of a document (cached on the document)."""
    cached = doc.__dict__.get("_blogtools_embeds")
    if cached is not None:
        return cached
    out: list[DocEmbed] = []
    text = doc.text
    done = -1
    breaks: list[int] | None = None  # where paragraphs end (a blank line, CRLF files too)
    for node in doc.nodes("html_block", "html_inline"):
        if node.start < done:
            continue
        if node.kind == "html_block":
            chunk_end = node.end
        else:  # an inline tag: its element may run to the end of the paragraph
            if breaks is None:
                breaks = [m.start() for m in _BLANK_LINE.finditer(text)]
            k = bisect.bisect_left(breaks, node.start)
            chunk_end = breaks[k] if k < len(breaks) else min(len(text), node.start + 20000)
        chunk = text[node.start : chunk_end]
        if "<" not in chunk:
            continue
        for f in find_in_html(chunk):
            if node.kind == "html_inline" and f.start != 0:
                break
            out.append(DocEmbed(f.embed, node.start + f.start, node.start + f.end, node.start + f.src_start,
                                node.start + f.src_end))
            done = max(done, node.start + f.end)
            if node.kind == "html_inline":
                break
    doc.__dict__["_blogtools_embeds"] = out
    return out


def _param(var: str, name: str, pos: int) -> str:
    return (f'{{{{- ${var} := "" -}}}}{{{{- if .IsNamedParams -}}}}{{{{- ${var} = .Get "{name}" -}}}}'
            f'{{{{- else -}}}}{{{{- ${var} = .Get {pos} -}}}}{{{{- end -}}}}\n')


# Templates for the shortcodes Hugo no longer ships (or never did), written into a site's
# layouts/shortcodes/ by the migrator and by BT602's fix (never over a template it has).
HUGO_TEMPLATES = {
    "speakerdeck": (
        "{{- /* written by blogtools: Hugo removed its speakerdeck shortcode in 0.42 */ -}}\n"
        + _param("id", "id", 0)
        + '<div class="embed speakerdeck">\n'
        '<iframe src="https://speakerdeck.com/player/{{ $id }}" title="Speaker Deck" width="560" height="315"'
        ' style="border:0;aspect-ratio:16/9;width:100%;height:auto" loading="lazy" allowfullscreen></iframe>\n'
        "</div>\n"
    ),
    "gist": (
        "{{- /* written by blogtools: Hugo removed its gist shortcode in 0.156 */ -}}\n"
        + _param("user", "user", 0) + _param("id", "id", 1) + _param("file", "file", 2)
        + '<script src="https://gist.github.com/{{ $user }}/{{ $id }}.js{{ with $file }}?file={{ . }}{{ end }}"></script>\n'
    ),
    "tex": (  # Hatena's [tex:...]: the formula kept as TeX for MathJax/KaTeX, shown as text without them
        "{{- /* written by blogtools: Hatena's [tex:...] notation */ -}}\n"
        '<span class="math">\\({{ .Get 0 }}\\)</span>'
    ),
    "slideshare": (
        "{{- /* written by blogtools: Hugo has no slideshare shortcode */ -}}\n"
        + _param("key", "key", 0)
        + '<div class="embed slideshare">\n'
        '<iframe src="https://www.slideshare.net/slideshow/embed_code/key/{{ $key }}" title="SlideShare" width="595" height="485"'
        ' style="border:0;width:100%" loading="lazy" allowfullscreen></iframe>\n'
        "</div>\n"
    ),
}
