"""Medium's export ("Download your information" zip, or the unzipped folder) → Posts.

Reads ``posts/*.html`` (``draft_*.html`` become ``draft: true``). The article's header and
footer give title, subtitle (→ ``description``), ``dt-published`` (→ ``date``), author and
the canonical URL (its path → an alias). The body's "graf" elements are converted with
markdownify; Medium's own structures are replaced first by Markdown the converter would
not produce: consecutive ``pre.graf--pre`` as one fenced block, figures (→ ``figure``
shortcode with the caption), iframes and embedly embeds (→ shortcodes), mixtape cards
(→ links), section dividers (→ ``---``). The repeated title and subtitle are dropped.
"""

from __future__ import annotations

import calendar
import os
import re
import zipfile
from typing import Any, Iterator
from urllib.parse import urlsplit

from blogtools.migrate import _embeds, body as bodymod
from blogtools.migrate.model import Asset, Post, SourceSite
from blogtools.migrate.util import Guard, failure, parse_date, rel, slugify, walk

NAME = re.compile(r"^(?:(draft)_)?(?:(\d{4}-\d{2}-\d{2})_)?(.*?)(?:-([0-9a-f]{10,12}))?\.html$")
MAX_HTML = 8 * 1024 * 1024


def _files(src: str, skip: str | None, guard: Guard) -> Iterator[tuple[str, bytes | None, str | None, float]]:
    """(name shown, bytes or None, why unreadable, modification time) of every posts/*.html file."""
    if os.path.isfile(src):
        try:
            with zipfile.ZipFile(src) as zf:
                for info in sorted(zf.infolist(), key=lambda i: i.filename):
                    parts = info.filename.split("/")
                    if len(parts) < 2 or parts[-2] != "posts" or not parts[-1].endswith(".html"):
                        continue
                    stamp = calendar.timegm(info.date_time + (0, 0, 0))
                    if info.file_size > MAX_HTML:
                        yield info.filename, None, f"{info.file_size} bytes, over the {MAX_HTML} byte limit", stamp
                        continue
                    yield info.filename, zf.read(info), None, stamp
        except (zipfile.BadZipFile, OSError) as exc:
            yield os.path.basename(src), None, f"not a readable zip: {exc}", 0.0
        return
    from blogtools import safefs

    for path in walk(src, skip, guard):
        parts = rel(path, src).split("/")
        if len(parts) >= 2 and parts[-2] == "posts" and parts[-1].endswith(".html"):
            try:
                data = guard.read_bytes(path, MAX_HTML)  # never blocks, never leaves SRC
            except safefs.TooLarge:
                yield rel(path, src), None, f"over the {MAX_HTML} byte limit", 0.0
            except safefs.Refused as exc:
                yield rel(path, src), None, exc.reason, 0.0
            except OSError as exc:
                yield rel(path, src), None, f"cannot read: {exc.strerror or exc}", 0.0
            else:
                yield rel(path, src), data, None, os.path.getmtime(path)


def read(src: str, skip: str | None = None, guard: Guard | None = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    site = SourceSite("medium", src)
    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    for name, data, why, stamp in _files(src, skip, guard or Guard(src)):
        if data is None:
            skipped.append((name, why or "unreadable"))
            continue
        try:
            post = convert(name, data.decode("utf-8", "replace"))
        except Exception as exc:  # noqa: BLE001 - one bad file is reported, never fatal
            skipped.append((name, f"not converted: {failure(exc)}"))
            continue
        if post is None:
            skipped.append((name, "no article.h-entry: not a Medium post"))
        else:
            post.extra["mtime"] = stamp
            posts.append(post)
    hosts = {urlsplit(p.extra["canonical"]).netloc for p in posts if p.extra.get("canonical")}
    custom = sorted(h for h in hosts if h and not h.endswith("medium.com"))
    if len(custom) == 1:
        site.base_url = f"https://{custom[0]}/"
    return site, posts, skipped


def _text(el: Any) -> str:
    return re.sub(r"\s+", " ", el.get_text(" ") if el is not None else "").strip()


def convert(name: str, html: str) -> Post | None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.h-entry") or soup.find("article")
    if article is None:
        return None
    base = os.path.basename(name)
    m = NAME.match(base)
    draft, fdate, words, hexid = m.groups() if m else (None, None, base[:-5], None)
    post = Post(name, {}, "", origin="medium")
    title = _text(article.select_one("h1.p-name")) or _text(soup.title) or words.replace("-", " ")
    post.meta["title"] = title
    subtitle = _text(article.select_one('section[data-field="subtitle"]'))
    published = article.select_one("time.dt-published")
    when = parse_date(published.get("datetime")) if published is not None else None
    if when is None and fdate:
        when = parse_date(fdate)
    if when is not None:
        post.meta["date"] = when
    if subtitle:
        post.meta["description"] = subtitle
    author = article.select_one("a.p-author")
    if author is not None and _text(author):
        post.meta["author"] = _text(author)
    if draft:
        post.meta["draft"] = True
    canonical = article.select_one("a.p-canonical")
    href = canonical.get("href", "") if canonical is not None else ""
    if href and not draft:
        post.old_urls.append(urlsplit(href).path or "/")
        post.extra["canonical"] = href
        slug_from_url = re.sub(r"-[0-9a-f]{10,12}$", "", urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1])
    else:
        slug_from_url = ""
    keep = slugify(words or slug_from_url or title) or (hexid or "post")
    post.slug_hint = f"{fdate}_{keep}" if fdate else keep
    content = article.select_one('section[data-field="body"]') or article
    # the HTML Medium served for the body: what `--verify` compares the new page with (the
    # title and subtitle it repeats are front matter now)
    for part in content.select(".markup--mixtapeEmbed-strong, .markup--mixtapeEmbed-em"):
        part.insert_after(" ")  # a card's title, description and host are blocks on Medium
    post.extra["source_html"] = str(content)
    post.extra["source_drop"] = (".graf--title", ".graf--subtitle")
    post.body = body_markdown(content, post, title, subtitle)
    bodymod.medium_cleanup(post)
    return post


def body_markdown(content: Any, post: Post, title: str, subtitle: str) -> str:
    """The body section as Markdown (placeholders keep our blocks away from markdownify)."""
    blocks: list[str] = []

    def hold(el: Any, markdown: str) -> None:
        token = f"BTMIGRATEBLOCK{len(blocks):04d}X"
        blocks.append(markdown)
        new = content_soup.new_tag("p")
        new.string = token
        el.replace_with(new)

    content_soup = content
    while content_soup.parent is not None:
        content_soup = content_soup.parent
    for el in content.select("h3.graf--title, h1.graf--title, h2.graf--title"):
        if _text(el) == title or not title:
            el.decompose()
            post.note("repeated title dropped")
    for el in content.select("h4.graf--subtitle, h2.graf--subtitle"):
        if _text(el) == subtitle or not subtitle:
            el.decompose()
            post.note("subtitle → description")
    for code in content.select("code, pre"):  # @mentions inside code are code, not links
        for a in code.find_all("a"):
            a.replace_with(a.get_text())
    dividers = content.select("hr.section-divider")
    for i, hr in enumerate(dividers):
        holder = hr.parent if hr.parent is not None and "section-divider" in (hr.parent.get("class") or []) else hr
        if i == 0:
            holder.decompose()
        else:
            hold(holder, "---")
    _group_pre(content, hold, post)
    _breaks_in_emphasis(content)
    _blank_emphasis(content)
    _punctuation_out_of_emphasis(content)
    _escape_tags(content)
    for fig in content.select("figure"):
        _figure(fig, hold, post)
    for mix in content.select("div.graf--mixtapeEmbed"):
        _mixtape(mix, hold, post)
    for quote in content.select("blockquote.twitter-tweet, blockquote.instagram-media"):
        _post_embed(quote, hold, post)
    for frame in content.select("iframe, script"):
        _iframe(frame, hold, post)
    for obj in content.select("object"):
        _flash_object(obj, hold, post)
    markdown = _markdownify(content)
    for i, block in enumerate(blocks):
        markdown = markdown.replace(f"BTMIGRATEBLOCK{i:04d}X", block, 1)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return markdown


def _breaks_in_emphasis(content: Any) -> None:
    """``<strong>a<br>b</strong>`` → ``<strong>a</strong><br><strong>b</strong>``: Markdown
    emphasis cannot hold the hard break markdownify writes, and a part that is only
    punctuation (``<strong>.<br>Time</strong>``) is left plain, since ``**.**`` after a word
    does not open emphasis and would print its ``**``."""
    for em in content.select("strong, b, em, i"):
        if em.find("br") is None or em.find_parent("pre") is not None:
            continue
        parts: list[list[Any]] = [[]]
        for child in list(em.contents):
            if getattr(child, "name", None) == "br":
                parts.append([])
            else:
                parts[-1].append(child)
        soup = content
        while soup.parent is not None:
            soup = soup.parent
        anchor = em
        for i, part in enumerate(parts):
            if i:
                br = soup.new_tag("br")
                anchor.insert_after(br)
                anchor = br
            text = "".join(c.get_text() if hasattr(c, "get_text") else str(c) for c in part)
            if not text.strip():
                continue
            if re.fullmatch(r"[\W_]+", text.strip()):
                for c in part:
                    anchor.insert_after(c.extract())
                    anchor = c
                continue
            wrap = soup.new_tag(em.name)
            for c in part:
                wrap.append(c.extract())
            anchor.insert_after(wrap)
            anchor = wrap
        em.decompose()


def _blank_emphasis(content: Any) -> None:
    """``<strong><em> </em></strong>`` (Medium writes them between two runs) is a space:
    markdownify would drop it and run the words together (``Bots*month``). Emphasis of
    punctuation only (``pig-dog<em>.</em></strong>``) is plain: ``*.*`` after a letter opens
    nothing, and its asterisks would print."""
    for em in content.select("strong, b, em, i"):
        if em.parent is None or em.find(["img", "br"]) is not None:
            continue
        text = em.get_text()
        if not text.strip():
            em.replace_with(" " if text else "")
        elif re.fullmatch(r"[^\w\s]+", text.strip()) and em.find_parent("pre") is None:
            em.unwrap()


_LEAD_PUNCT = re.compile(r"\A[^\w\s]+")
_TRAIL_PUNCT = re.compile(r"[^\w\s]+\Z")
_LATIN_WORD = re.compile(r"[^\W_]")


def _punctuation_out_of_emphasis(content: Any) -> None:
    """``is<strong>: Not ready.</strong>``: Markdown's ``**`` between a letter and
    punctuation opens nothing and would print (``is**: Not ready.**``), so the punctuation
    at that edge moves out of the emphasis (``is: **Not ready.**``); the text a reader sees
    is the same. CJK text keeps its punctuation inside (the escaped space of
    :func:`blogtools.migrate.target_hugo.cjk_emphasis` makes it bold there)."""
    from bs4 import NavigableString

    from blogtools.migrate.target_hugo import CJK

    def edge(node: Any, last: bool) -> str:
        if node is None:
            return ""
        text = str(node) if isinstance(node, NavigableString) else node.get_text()
        return text[-1:] if last else text[:1]

    def word(ch: str) -> bool:
        return bool(ch) and bool(_LATIN_WORD.match(ch)) and not CJK.match(ch)

    for em in content.select("strong, b, em, i"):
        if em.parent is None or em.find_parent("pre") is not None:
            continue
        strings = [s for s in em.find_all(string=True)]
        if not strings:
            continue
        lead = _LEAD_PUNCT.match(str(strings[0]))
        if lead and word(edge(em.previous_sibling, True)) and str(strings[0]) != lead.group(0):
            strings[0].replace_with(str(strings[0])[lead.end():])
            em.insert_before(lead.group(0))
        strings = [s for s in em.find_all(string=True)]
        trail = _TRAIL_PUNCT.search(str(strings[-1]))
        if trail and word(edge(em.next_sibling, False)) and str(strings[-1]) != trail.group(0):
            strings[-1].replace_with(str(strings[-1])[:trail.start()])
            em.insert_after(trail.group(0))


def _escape_tags(content: Any) -> None:
    r"""Text that reads like a tag (``&lt;verb&gt;`` in Medium's HTML) would be raw HTML in
    Markdown, which Hugo drops: its ``<`` is escaped (``\<verb>``), outside code."""
    from bs4 import NavigableString
    from bs4.element import Comment

    for node in list(content.find_all(string=re.compile(r"<[A-Za-z/!?]"))):
        if isinstance(node, NavigableString) and not isinstance(node, Comment) \
                and node.find_parent(["code", "pre"]) is None:
            node.replace_with(re.sub(r"<(?=[A-Za-z/!?])", r"\\<", str(node)))


def _markdownify(content: Any) -> str:
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
            href = el.get("href") or el.get("data-href") or ""
            if not href or not text.strip():
                return text
            # a space at either end of the link text stays, outside the link ("or<a> mastodon</a>")
            lead = " " if text[:1].isspace() else ""
            trail = " " if text[-1:].isspace() else ""
            return f"{lead}[{text.strip()}]({href}){trail}"

        def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
            # an image in a table cell or a heading stays an image (markdownify writes only
            # its alt text there; Goldmark renders images in both)
            return super().convert_img(el, text, set(parent_tags) - {"_inline"})

    return Converter(heading_style="ATX", bullets="-", strong_em_symbol="*", escape_underscores=False,
                     escape_asterisks=False, escape_misc=False).convert_soup(content)


def _group_pre(content: Any, hold: Any, post: Post) -> None:
    seen: set[int] = set()
    for pre in content.select("pre.graf--pre, pre"):
        if id(pre) in seen:
            continue
        run = [pre]
        nxt = pre.find_next_sibling()
        while nxt is not None and nxt.name == "pre":
            run.append(nxt)
            nxt = nxt.find_next_sibling()
        seen.update(id(p) for p in run)
        lines = []
        for p in run:
            for br in p.find_all("br"):
                br.replace_with("\n")
            lines.append(p.get_text())
        code = "\n".join(lines).strip("\n")
        lang = run[0].get("data-code-block-lang") or ""
        fence = "```"
        while fence in code:
            fence += "`"
        for p in run[1:]:
            p.decompose()
        hold(run[0], f"{fence}{lang}\n{code}\n{fence}")
        if len(run) > 1:
            post.note(f"{len(run)} consecutive code paragraphs → one code block")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _figure(fig: Any, hold: Any, post: Post) -> None:
    if fig.find("iframe") is not None or fig.find("script") is not None:
        return
    imgs = fig.find_all("img")
    if not imgs:
        return
    caption_el = fig.find("figcaption")
    caption = _text(caption_el) if caption_el is not None else ""
    out = []
    for img in imgs:
        src = img.get("src") or ""
        if not src:
            continue
        alt = img.get("alt") or ""
        image_id = img.get("data-image-id") or ""
        post.assets.append(Asset(image_id and f"images/{image_id}", url=src, refs={src}))
        if caption:
            out.append(f'{{{{< figure src="{src}" alt="{_quote(alt or caption)}" caption="{_quote(caption)}" >}}}}')
        else:
            out.append(f"![{alt}]({src})")
    if out:
        hold(fig, "\n\n".join(out))
        post.note("figure with caption → figure shortcode" if caption else "figure → image")


def _iframe(el: Any, hold: Any, post: Post) -> None:
    src = el.get("src") or el.get("data-src") or ""
    holder = el.parent if el.parent is not None and el.parent.name == "figure" else el
    embed = _embeds.detect_url(src) if src else None
    call = _embeds.call(embed) if embed is not None else None
    caption = _text(holder.find("figcaption")) if holder is not el else ""
    if call is not None:
        hold(holder, call + (f"\n\n*{caption}*" if caption else ""))
        post.note(f"{embed.provider} embed → shortcode" + (" (from embedly)" if "embedly" in src else ""))
    elif el.name == "iframe" and post.origin != "medium" and src.startswith(("http://", "https://", "//")):
        # a source's own iframe of no known provider (a 3D viewer, a map) stays as it is
        # (Medium's are its own proxies: those become links)
        hold(el, str(el))
        post.raw(f"iframe of {urlsplit(src).netloc or src} kept as HTML (no shortcode for it)")
    elif src.startswith(("http://", "https://")):
        hold(holder, f"[{src}]({src})")
        post.warn(f"embed not recognised, kept as a link: {src}")
    else:
        holder.decompose()
        post.warn("embed without a source dropped")


def _flash_object(obj: Any, hold: Any, post: Post) -> None:
    """An old Flash player (``<object>`` with a ``movie`` param or an ``<embed>``) of a known
    provider (``youtube.com/v/ID``) → its shortcode; markdownify would drop it without a word."""
    movie = obj.find("param", attrs={"name": re.compile("^movie$", re.I)})
    inner = obj.find("embed")
    src = obj.get("data") or (movie.get("value") if movie is not None else "") or \
        (inner.get("src") if inner is not None else "") or ""
    embed = _embeds.detect_url(src) if src else None
    call = _embeds.call(embed) if embed is not None else None
    if call is not None:
        hold(obj, call)
        post.note(f"{embed.provider} Flash embed → shortcode")


def _post_embed(quote: Any, hold: Any, post: Post) -> None:
    """A tweet or Instagram blockquote (Medium writes an empty one, the status link only):
    the shortcode when it holds no text, else the blockquote as it is (its archived text
    stays, :func:`blogtools.embeds.shortcode_loses_text`); its widget script goes."""
    embed = _embeds.detect_html(str(quote))
    holder = quote.parent if quote.parent is not None and quote.parent.name == "figure" else quote
    for script in holder.find_all("script") if holder is not quote else []:
        script.decompose()
    if embed is None:
        return
    call = None
    if not _text(quote):
        params = dict(embed.params)
        call = _embeds.call(_embeds.make(embed.provider, embed.id, **params))
    if call is not None:
        hold(holder, call)
        post.note(f"{embed.provider} embed → shortcode")
    else:
        hold(holder, str(quote))
        post.raw(f"{embed.provider} post embed kept as a blockquote (its archived text)")


def _mixtape(mix: Any, hold: Any, post: Post) -> None:
    anchor = mix.select_one("a.markup--mixtapeEmbed-anchor") or mix.find("a")
    href = anchor.get("href") or anchor.get("data-href") if anchor is not None else ""
    if not href:
        return
    title = _text(mix.select_one("strong")) or _text(anchor) or href
    desc = _text(mix.select_one("em"))
    host = "".join(t for t in anchor.find_all(string=True, recursive=False)).strip() if anchor is not None else ""
    hold(mix, f"[{title}]({href})" + (f" — {desc}" if desc else "") + (f" ({host})" if host else ""))
    post.note("mixtape card → link")
