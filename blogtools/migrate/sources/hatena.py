"""Hatena Blog → Posts: a blogsync tree, or the Movable Type export Hatena offers.

**blogsync** (``<blog>/entry/<path>.md`` with ``Title Category Date URL EditURL Draft``
headers): the ``URL:`` header is the entry's address (custom domains too); its path
(``/entry/2019/03/26/044728``) is kept as an alias and the most common host becomes the
new ``baseURL``. ``Category`` → ``categories`` (Hatena's own word; its category pages are
``/archive/category/NAME``), ``Draft: true`` → ``draft: true``. Static pages (an
``EditURL`` of ``/atom/page/``) keep their path under ``content/``. The body, in Hatena
syntax mode or Markdown mode, goes through :func:`blogtools.hatena_notation.to_markdown`.

**Movable Type export** (``AUTHOR: TITLE: BASENAME: STATUS: DATE: CATEGORY: IMAGE:`` then
``BODY:`` / ``EXTENDED BODY:`` HTML, entries separated by ``--------``): the URL is
``/entry/<BASENAME>``, dates are the blog's local time (Asia/Tokyo, Hatena's default),
``STATUS: Draft`` stays a draft. The HTML is Hatena's rendering: keyword autolinks are
unwrapped, embed cards become links or shortcodes, footnotes Markdown footnotes, ``<pre
class="code" data-lang>`` fenced code with its language, then the Medium reader's
HTML→Markdown converter does the rest. ``post.extra["source_html"]`` holds that HTML.

Fotolife images (``[f:id:...]`` or ``cdn-ak.f.st-hatena.com/images/fotolife/...``) whose
file (``<stamp>.<ext>``) is in SRC are copied into the bundle; the others stay remote assets
(downloaded with ``--images download``, listed otherwise).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from blogtools import hatena_notation as notation
from blogtools.migrate import _embeds
from blogtools.migrate.model import Asset, Post, SourceSite
from blogtools.migrate.util import Guard, IMAGE_EXT, failure, load_document, parse_date, read_text, rel, walk

MT_KEYS = ("AUTHOR", "TITLE", "BASENAME", "STATUS", "ALLOW COMMENTS", "CONVERT BREAKS", "DATE", "CATEGORY",
           "IMAGE", "PRIMARY CATEGORY", "ALLOW PINGS", "EMOJI")
_MT_START = re.compile(r"(?:AUTHOR|TITLE|BASENAME): ")
_STAMP_FILE = re.compile(r"(\d{14})\.(png|jpe?g|gif|webp)$", re.I)
TIME_ZONE = "Asia/Tokyo"
MORE = "BTHATENAMOREX"  # where <!-- more --> was (markdownify drops comments)


# --------------------------------------------------------------------------- detection
def mt_export(src: str) -> str | None:
    """The Movable Type export file ``src`` is, or holds at its top level; None otherwise."""
    candidates = [src] if os.path.isfile(src) else (
        [os.path.join(src, n) for n in sorted(os.listdir(src)) if n.endswith(".txt")] if os.path.isdir(src) else [])
    for path in candidates:
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096).decode("utf-8", "replace").lstrip("\ufeff")
        except OSError:
            continue
        if _MT_START.match(head) and "\nBODY:" in head or _MT_START.match(head) and "\n-----\n" in head:
            return path
    return None


def blogsync_tree(src: str) -> bool:
    """A folder with ``blogsync.yaml``, or a ``<host>/entry/`` folder at its top (or under
    ``entries/``, blogsync's usual ``local_root``)."""
    if not os.path.isdir(src):
        return False
    names = os.listdir(src)
    if "blogsync.yaml" in names or "blogsync.yml" in names:
        return True
    for base in (src, os.path.join(src, "entries")):
        if os.path.isdir(base):
            for n in os.listdir(base):
                if "." in n and os.path.isdir(os.path.join(base, n, "entry")):
                    return True
    return False


def detect(src: str) -> bool:
    return blogsync_tree(src) or mt_export(src) is not None


# --------------------------------------------------------------------------- reading
def read(src: str, skip: str | None = None, guard: Guard | None = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    guard = guard or Guard(src)
    export = None if blogsync_tree(src) else mt_export(src)
    folder = src  # an export given as a file: no folder to look for its images in (SRC is the file)
    images = _image_index(folder, skip, guard) if os.path.isdir(src) else {}
    site = SourceSite("hatena", src)
    if export:
        posts, skipped = _read_mt(export, folder, images, guard)
        site.time_zone = TIME_ZONE
    else:
        posts, skipped = _read_blogsync(src, skip, guard, images)
    hosts = Counter(p.extra["host"] for p in posts if p.extra.get("host"))
    if hosts:
        scheme, host = hosts.most_common(1)[0][0]
        site.base_url = f"{scheme}://{host}/"
    for post in posts:  # links to the blog's own entries are rewritten only for this host
        post.extra.pop("host", None)
    if not posts:
        site.warnings.append("no Hatena entry found: no .md file with a blogsync header (Title, URL, "
                             "EditURL) and no Movable Type export (.txt starting with AUTHOR:/TITLE:/BASENAME:)")
    posts += category_pages(posts, site)
    site.language = "ja" if any(notation_cjk(p.title) for p in posts) else ""
    return site, posts, skipped


def category_pages(posts: list[Post], site: SourceSite | None = None) -> list[Post]:
    """One term page per category of a published entry (``content/categories/<term>/_index.md``)
    with Hatena's category URL ``/archive/category/<name>`` as its old URL, so the category
    pages Hatena served, and the links to them, keep working."""
    names: dict[str, list[str]] = {}
    for post in posts:
        if not post.draft:
            for name in post.meta.get("categories") or ():
                names.setdefault(name, [f"/archive/category/{quote(name, safe='')}"])
    from blogtools.migrate.terms import term_pages

    return term_pages("categories", names, "hatena", "Hatena category page → term page with its old URL", site)


def notation_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text))


def _image_index(folder: str, skip: str | None, guard: Guard) -> dict[str, str]:
    """``<stamp>.<ext>`` (lower case) → path of every fotolife-named image file in SRC."""
    out: dict[str, str] = {}
    if not os.path.isdir(folder):
        return out
    for path in walk(folder, skip, guard):
        name = os.path.basename(path)
        if name.lower().endswith(IMAGE_EXT) and _STAMP_FILE.search(name):
            out.setdefault(name.lower(), path)
    return out


def _localise(post: Post, images: dict[str, str], guard: Guard) -> None:
    """Fotolife URLs in the body (and ``images``) → bundle files when SRC has them, remote
    assets otherwise."""
    post.assets = [a for a in post.assets if not (a.url and notation.FOTOLIFE_URL.match(a.url))]
    seen: set[str] = set()
    texts = [post.body] + [v for v in post.meta.get("images") or [] if isinstance(v, str)]
    local = remote = 0
    for text in texts:
        for m in notation.FOTOLIFE_URL.finditer(text):
            url = m.group(0)
            if url in seen:
                continue
            seen.add(url)
            stamp, ext = m.group(1), m.group(2).lower()
            path = images.get(f"{stamp}.{ext}") or images.get(f"{stamp}.{'jpeg' if ext == 'jpg' else ext}")
            if path and guard.allow(path):
                post.assets.append(Asset(f"images/{os.path.basename(path)}", src=path, refs={url}))
                local += 1
            else:
                post.assets.append(Asset("", url=url, refs={url}))
                remote += 1
    if local:
        post.note(f"{local} fotolife image(s) found in the tree → bundle")
    if remote:  # downloaded with --images download; otherwise they stay on Hatena's CDN
        post.extra["remote_fotolife"] = remote
        post.note(f"{remote} fotolife image(s) not in the tree: remote asset")


def _embed_call(url: str) -> str | None:
    found = _embeds.detect_url(url)
    return _embeds.call(found) if found is not None else None


# --------------------------------------------------------------------------- blogsync
def _read_blogsync(src: str, skip: str | None, guard: Guard, images: dict[str, str]) -> tuple[list[Post], list[tuple[str, str]]]:
    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    for path in walk(src, skip, guard):
        r = rel(path, src)
        if not path.endswith(".md") or "/node_modules/" in f"/{r}":
            continue
        if not guard.allow(path):
            continue
        doc, why = load_document(path, guard)
        if doc is None:
            skipped.append((r, why or "unreadable"))
            continue
        meta = doc.meta if isinstance(doc.meta, dict) else {}
        if not (notation.is_blogsync(meta) or "Title" in meta and ("URL" in meta or "Draft" in meta)):
            if "/entry/" in f"/{r}" or r.startswith(("entries/", "draft_entries/")):
                skipped.append((r, "no blogsync header (Title, URL, EditURL): not a Hatena entry"))
            continue
        try:
            posts.append(_blogsync_post(r, doc, meta, images, guard))
        except Exception as exc:  # noqa: BLE001 - one bad entry is reported, never fatal
            skipped.append((r, f"not converted: {failure(exc)}"))
    return posts, skipped


def _blogsync_post(r: str, doc: Any, meta: dict[str, Any], images: dict[str, str], guard: Guard) -> Post:
    post = Post(r, {}, "", origin="hatena")
    stem = os.path.splitext(r)[0]
    title = meta.get("Title")
    post.meta["title"] = str(title) if title is not None else ""
    when = parse_date(meta.get("Date"))
    if when is not None:
        post.meta["date"] = when
    cats = meta.get("Category")
    cats = [cats] if isinstance(cats, str) else cats if isinstance(cats, list) else []
    cats = [str(c) for c in cats if c not in (None, "")]
    if cats:
        post.meta["categories"] = cats
    if meta.get("Draft") is True or str(meta.get("Draft")).lower() == "true":
        post.meta["draft"] = True
    url = meta.get("URL")
    path = ""
    if isinstance(url, str) and url.strip():
        parts = urlsplit(url.strip())
        path = unquote(parts.path) or "/"
        if parts.netloc and parts.scheme in ("http", "https"):
            post.extra["host"] = (parts.scheme, parts.netloc.lower())
        if not post.draft:
            post.old_urls.append(path)
    from blogtools.generators.hatena import entry_path

    custom = entry_path(meta) if isinstance(meta.get("CustomPath"), str) else ""
    if custom and custom != path and not post.draft:
        post.old_urls.insert(0, custom)  # CustomPath: the entry's path after the next push
        path = custom
    if not post.old_urls and not post.draft and "/entry/" in "/" + stem:
        # pushed, not pulled back: blogsync keeps an entry at <host><URL path>.md, and its author
        # links to it there; kept as an alias (Hatena's real URL for it is not in the tree)
        path = "/entry/" + ("/" + stem).split("/entry/", 1)[1]
        post.old_urls.append(path)
        post.warn(f"no URL: header (pushed, not pulled back from Hatena): {path}, its path in the tree, kept as "
                  "its old URL")
    edit = str(meta.get("EditURL") or "")
    if "/atom/page/" in edit and path and not path.startswith("/entry/"):
        post.kind = "page"
        post.page_path = path.strip("/") or "index"
    hint = path[len("/entry/"):] if path.startswith("/entry/") else \
        stem.split("/entry/", 1)[1] if "/entry/" in stem else os.path.basename(stem)
    post.slug_hint = hint.strip("/").replace("/", "-") or os.path.basename(stem)
    body = doc.text[doc.body_start:].lstrip("\n")
    mode = notation.syntax_mode(body)
    post.extra["hatena_mode"] = mode
    if mode == "hatena":
        post.note("Hatena syntax mode body → Markdown")

    def image(n: notation.Notation) -> str:
        return n.url

    post.body = notation.to_markdown(body, mode, image, _embed_call, post.note)
    _localise(post, images, guard)
    return post


# --------------------------------------------------------------------------- Movable Type
def _read_mt(export: str, folder: str, images: dict[str, str], guard: Guard) -> tuple[list[Post], list[tuple[str, str]]]:
    name = rel(export, folder) if os.path.isdir(folder) else os.path.basename(export)
    text, why = read_text(export, guard)
    if text is None:
        return [], [(name, why or "unreadable")]
    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    line = 1
    for n, chunk in enumerate(text.split("\n--------\n")):
        start_line = line
        line += chunk.count("\n") + 2
        if not chunk.strip():
            continue
        where = f"{name}:{start_line}"
        try:
            post = _mt_post(where, chunk, start_line)
        except ValueError as exc:
            skipped.append((where, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad entry is reported, never fatal
            skipped.append((where, f"not converted: {failure(exc)}"))
            continue
        post.extra["source_file"], post.extra["source_line"] = name, start_line  # where verify finds its links
        _localise(post, images, guard)
        posts.append(post)
    _own_host(posts)
    return posts, skipped


def _mt_post(where: str, chunk: str, start_line: int) -> Post:
    chunk = chunk.rstrip("\n")
    if chunk.endswith("\n-----"):  # the last section's closing line
        chunk = chunk[:-6]
    head, sep, rest = chunk.partition("\n-----\n")
    if not sep:
        raise ValueError(f"entry at line {start_line} has no '-----' after its header: not read")
    fields: dict[str, list[str]] = {}
    for i, row in enumerate(head.split("\n")):
        key, colon, value = row.partition(": ")
        if not colon and row.endswith(":"):
            key, colon, value = row[:-1], ":", ""
        if not colon or key not in MT_KEYS:
            raise ValueError(f"line {start_line + i}: {row[:60]!r} is no Movable Type header line: entry not read")
        fields.setdefault(key, []).append(value)
    sections: dict[str, str] = {}
    for part in rest.split("\n-----\n"):
        label, colon, content = part.lstrip("\n").partition(":\n")
        if colon and label in ("BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT"):
            if label == "COMMENT":
                sections["COMMENT"] = sections.get("COMMENT", "") + "x"
            else:
                sections[label] = content
    basename = (fields.get("BASENAME") or [""])[0].strip()
    title = (fields.get("TITLE") or [""])[0]
    post = Post(where, {"title": title}, "", origin="hatena")
    date = (fields.get("DATE") or [""])[0].strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})", date)
    if m:
        mo, d, y, h, mi, s = m.groups()
        when = parse_date(f"{y}-{int(mo):02d}-{int(d):02d}T{int(h):02d}:{mi}:{s}", TIME_ZONE)
        if when is not None:
            post.meta["date"] = when
    elif date:
        post.warn(f"DATE {date!r} (line {start_line}) is not MM/DD/YYYY hh:mm:ss: no date")
    cats = [c for c in fields.get("CATEGORY", []) if c.strip()]
    if cats:
        post.meta["categories"] = cats
    if (fields.get("STATUS") or [""])[0].strip().lower() == "draft":
        post.meta["draft"] = True
    cover = [v.strip() for v in fields.get("IMAGE", []) if v.strip()]
    if cover:
        post.meta["images"] = cover
    if basename and not post.draft:
        post.old_urls.append("/entry/" + basename.strip("/"))
    post.slug_hint = basename.strip("/").replace("/", "-") or re.sub(r"\W+", "-", title).strip("-")
    html = sections.get("BODY", "")
    if sections.get("EXTENDED BODY", "").strip():
        html += "\n<!-- more -->\n" + sections["EXTENDED BODY"]
    post.extra["source_html"] = html
    post.extra["basename"] = basename
    post.body = html_markdown(html.replace("<!-- more -->", f"<p>{MORE}</p>"), post).replace(MORE, "<!--more-->")
    return post


def html_markdown(html: str, post: Post) -> str:
    """Hatena's rendered HTML → Markdown: its own structures first, then the Medium reader's
    converter (:func:`blogtools.migrate.sources.medium.body_markdown`)."""
    from bs4 import BeautifulSoup

    from blogtools.migrate.sources.medium import body_markdown

    soup = BeautifulSoup(f"<div>{html}</div>", "html.parser")
    content = soup.div
    dropped = 0
    for a in content.select("a.keyword"):
        a.unwrap()
        dropped += 1
    if dropped:
        post.note("keyword autolinks dropped")
    for toc in content.select("ul.table-of-contents"):
        toc.decompose()
        post.note("table of contents ([:contents]) dropped")
    for script in content.find_all("script"):
        if "twitter.com/widgets.js" in (script.get("src") or "") or "instagram.com/embed.js" in (script.get("src") or ""):
            script.decompose()
    for frame in content.select("iframe"):
        src = frame.get("src") or ""
        if "hatenablog-parts.com/embed" not in src:
            continue
        from urllib.parse import parse_qs

        target = (parse_qs(urlsplit(src).query).get("url") or [""])[0]
        cite = frame.find_next_sibling("cite")
        if cite is None or "hatena-citation" not in (cite.get("class") or []):
            cite = None
        call = _embed_call(target) if target else None
        new = soup.new_tag("p")
        if call:
            new.string = call
        elif target:
            link = soup.new_tag("a", href=target)
            link.string = frame.get("title") or target
            new.append(link)
        if cite is not None:  # the card's citation (the site's name, linked) stays visible
            new.append(" ")
            new.append(cite.extract())
            cite.unwrap()
        frame.replace_with(new)
        post.note("Hatena embed card → link" if not call else "Hatena embed card → shortcode")
    for box in content.select("div.hatena-asin-detail"):
        _asin_box(soup, box)
        post.note("Amazon product box → its image, title, details and link")
    notes: dict[str, str] = {}
    for div in content.select("div.footnote"):
        for p in div.select("p.footnote"):
            num = p.select_one("a.footnote-number") or p.find("a")
            body = p.select_one("span.footnote-text")
            if num is not None and body is not None:  # inline text: "<b>T</b>ribute" is one word
                notes[(num.get("href") or "").lstrip("#")] = body.get_text().strip()
        div.decompose()
    for div in content.select("div.footnotes"):  # Markdown mode: <li id="fn:1">...<a rev="footnote">
        for li in div.select('li[id^="fn:"]'):
            for back in li.select('a[href^="#fnref:"]'):
                back.decompose()
            notes["#" + li["id"]] = li.get_text().strip()
        div.decompose()
    labels: list[str] = []
    for a in content.select('a[href^="#f-"], a[href^="#fn:"]'):
        href = a.get("href") or ""
        key = a.get("id") or a.get("name") or ""
        text = notes.get(href) if href.startswith("#fn:") else notes.get(key) or (a.get("title") or "").strip()
        labels.append(text or "")
        holder = a.parent if a.parent is not None and a.parent.name == "sup" and len(a.parent.contents) == 1 else a
        mark = f"BTHATENAFN{len(labels):04d}X"
        figure = a.find_parent("figure")
        if figure is not None:  # a caption becomes a shortcode's parameter, where no footnote can be:
            holder.extract()  # the reference follows the figure (else the note would not render)
            para = soup.new_tag("p")
            para.string = mark
            figure.insert_after(para)
        else:
            holder.replace_with(mark)
    for pre in content.select("pre.code"):
        lang = pre.get("data-lang") or next((c[5:] for c in pre.get("class") or [] if c.startswith("lang-")), "")
        if lang:
            pre["data-code-block-lang"] = lang
    markdown = body_markdown(content, post, "", "")
    if labels:
        for i in range(1, len(labels) + 1):
            markdown = markdown.replace(f"BTHATENAFN{i:04d}X", f"[^{i}]", 1)
        defs = [" ".join(t.split()) or "(empty)" for t in labels]
        markdown = markdown.rstrip("\n") + "\n\n" + "\n".join(f"[^{i}]: {t}" for i, t in enumerate(defs, 1)) + "\n"
        post.note("Hatena footnotes → Markdown footnotes")
    return markdown


BLOCK_TAGS = ("p", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6")


def _asin_box(soup: Any, box: Any) -> None:
    """An ``[asin:...]`` product box as Hatena renders it (the product's image linked, its
    title linked, a list of maker/author lines, an "Amazon" button) → the same content as
    plain blocks: the image link, the title, the list and the button each a paragraph (the
    box's ``div``s unwrapped, Hatena's ``<p>`` around it dropped)."""
    holder = box
    parent = box.parent
    if parent is not None and parent.name == "p" and all(
            c is box or isinstance(c, str) and not c.strip() for c in parent.contents):
        holder = parent  # <p><div class="hatena-asin-detail">...</div></p>: one block
    for div in box.find_all("div"):
        div.unwrap()
    blocks = []
    for child in list(box.contents):
        if isinstance(child, str) and not child.strip():
            continue
        if getattr(child, "name", None) in BLOCK_TAGS:
            blocks.append(child.extract())
        else:  # a link (the image, the button) or text: a paragraph of its own
            para = soup.new_tag("p")
            para.append(child.extract())
            blocks.append(para)
    for block in blocks:
        holder.insert_before(block)
    holder.decompose()


def _own_host(posts: list[Post]) -> None:
    """The blog's host: the one whose ``/entry/<BASENAME>`` links name entries of the export."""
    known = {p.extra.get("basename") for p in posts if p.extra.get("basename")}
    hosts: Counter[tuple[str, str]] = Counter()
    rx = re.compile(r"(https?)://([A-Za-z0-9.-]+)/entry/([^\s\"')<>#?]+)")
    for p in posts:
        for m in rx.finditer(p.extra.get("source_html", "")):
            if m.group(3).rstrip("/") in known and "hatenablog-parts" not in m.group(2):
                hosts[(m.group(1), m.group(2).lower())] += 1
    if hosts and posts:
        posts[0].extra["host"] = hosts.most_common(1)[0][0]
