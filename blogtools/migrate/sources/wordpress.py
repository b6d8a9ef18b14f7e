"""A WordPress export (WXR 1.0-1.2, ``wordpress.xml``) → Posts.

SRC is the XML file or a folder holding one (``*.xml`` whose root declares the
``wordpress.org/export/`` namespace). Posts and pages (``wp:post_type``) are read;
attachments give the images of ``[gallery]`` and featured images; menu items, revisions,
auto-drafts and trashed items are not content. ``publish`` is published; ``draft``,
``pending``, ``future`` and ``private`` become ``draft: true``.

Old URLs: the item's ``<link>`` (the permalink structure WordPress served) and the slugs in
``_wp_old_slug`` (WordPress redirects them). ``/?p=ID`` and ``/?page_id=ID`` cannot be
served by a static file (Hugo 0.168 writes the alias ``/?p=1`` as ``public/?p=1/index.html``,
which a server never reaches for that query): each is reported as needing a server redirect.

When a Jekyll site sits beside the XML (jekyll-import's output), the XML is the source of
truth: a Jekyll post or page of the same WordPress id, URL or slug gives only its Jekyll URL
(an extra alias); Jekyll posts the export does not have are migrated as Jekyll posts.

The XML is parsed with expat in a streaming pass: a document type declaration (and so any
entity, internal or external) is refused, nesting is bounded, and a malformed file is
reported with its line and column.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

from blogtools.generators.wordpress import find_exports as _find_exports
from blogtools.generators.wordpress import looks_like_wxr
from blogtools.migrate import wp_shortcodes
from blogtools.migrate.model import Asset, Post, SourceSite
from blogtools.migrate.util import IMAGE_EXT, Guard, failure, rel, slugify, walk

NS_PREFIX = {"http://purl.org/rss/1.0/modules/content/": "content", "http://purl.org/dc/elements/1.1/": "dc",
             "http://wellformedweb.org/CommentAPI/": "wfw"}
MAX_XML = 1 << 30  # 1 GiB: far above real exports, bounds a hostile one
MAX_DEPTH = 64
MAX_HTML = 8 * 1024 * 1024  # one item's body, as for a Medium post
DRAFT_STATUS = {"draft", "pending", "future", "private"}
# the site's machinery, not its content: never listed
NOT_PAGES = {"attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset", "oembed_cache",
             "user_request", "wp_block", "wp_template", "wp_template_part", "wp_global_styles", "wp_navigation",
             "wp_font_family", "wp_font_face"}
NOT_CONTENT = {"auto-draft", "trash", "inherit"}
JEKYLL_EXCLUDES = ["vendor/bundle", "vendor/cache", "vendor/gems", "vendor/ruby", "node_modules"]
WIDGET_SCRIPT = re.compile(r"platform\.twitter\.com/widgets\.js|instagram\.com/embed\.js|speakerdeck\.com/assets/embed\.js")
LT_MARK = "\ue000"  # a private-use character: never in a real post's text


class WXRError(ValueError):
    """A WXR file that cannot be read: the message names the file and the line."""


# --------------------------------------------------------------------------- finding the file
def is_export(path: str) -> bool:
    """Whether the regular file ``path`` starts like a WXR document."""
    from blogtools import safefs

    try:
        fd = safefs.open_regular(path)
    except (safefs.Refused, OSError):
        return False
    try:
        return looks_like_wxr(os.read(fd, 8192))
    finally:
        os.close(fd)


def find_exports(src: str, guard: Guard | None = None, skip: str | None = None) -> list[str]:
    """The WXR files of SRC: SRC itself, or those at its top or one folder down."""
    if os.path.isfile(src):
        return [src]
    if guard is None:
        return _find_exports(src, None, skip)
    from blogtools import safefs

    def opener(path: str) -> int:  # a link out of SRC or a FIFO named *.xml is listed, not read
        try:
            return guard.open(path)
        except safefs.Refused as exc:
            guard.note(path, exc.reason)
            raise

    return _find_exports(src, opener, skip)


# --------------------------------------------------------------------------- parsing
class El:
    """An element of the channel or of one item: tag (``wp:post_id``), attributes, text, children."""

    __slots__ = ("attrs", "children", "line", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag, self.attrs, self.text, self.children, self.line = tag, attrs, "", [], line

    def find(self, tag: str) -> El | None:
        return next((c for c in self.children if c.tag == tag), None)

    def get(self, tag: str, default: str = "") -> str:
        el = self.find(tag)
        return el.text.strip() if el is not None else default

    def all(self, tag: str) -> list[El]:
        return [c for c in self.children if c.tag == tag]


def _name(raw: str) -> str:
    if "}" not in raw:
        return raw
    uri, local = raw.rsplit("}", 1)
    if uri.startswith(("http://wordpress.org/export/", "https://wordpress.org/export/")):
        return ("excerpt:" if uri.rstrip("/").endswith("excerpt") else "wp:") + local
    return f"{NS_PREFIX.get(uri, uri)}:{local}"


def parse(data_chunks: Iterator[bytes], name: str) -> tuple[El, list[El]]:
    """(channel without its items, items) of a WXR document given as byte chunks."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[El] = []
    items: list[El] = []
    channel = El("channel", {}, 0)
    texts: list[list[str]] = []

    def refuse(*_: Any) -> None:
        raise WXRError(f"{name}:{parser.CurrentLineNumber}: a document type declaration is not allowed in a"
                       " WordPress export (refused: it could define entities)")

    def start(tag: str, attrs: dict[str, str]) -> None:
        if len(stack) >= MAX_DEPTH:
            raise WXRError(f"{name}:{parser.CurrentLineNumber}: elements nested more than {MAX_DEPTH} deep:"
                           " not a WordPress export")
        el = El(_name(tag), {_name(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        stack.append(el)
        texts.append([])

    def end(tag: str) -> None:
        el = stack.pop()
        el.text = "".join(texts.pop())
        if el.tag == "item":
            items.append(el)  # not kept in the channel: one item at a time
        elif el.tag == "channel":
            channel.children, channel.line = el.children, el.line
        elif stack:
            stack[-1].children.append(el)

    def chars(data: str) -> None:
        if texts:
            texts[-1].append(data)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        for chunk in data_chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise WXRError(f"{name}:{exc.lineno}:{exc.offset + 1}: not well-formed XML"
                       f" ({expat.ErrorString(exc.code)})") from None
    return channel, items


def _chunks(guard: Guard, path: str) -> Iterator[bytes]:
    fd = guard.open(path)
    total = 0
    try:
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return
            total += len(chunk)
            if total > MAX_XML:
                raise WXRError(f"{os.path.basename(path)}: over the {MAX_XML} byte limit")
            yield chunk
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- the reader
def read(src: str, skip: str | None = None, guard: Guard | None = None,
         ) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    from blogtools import safefs

    guard = guard or Guard(src if os.path.isdir(src) else os.path.dirname(os.path.abspath(src)))
    root = src if os.path.isdir(src) else os.path.dirname(os.path.abspath(src))
    site = SourceSite("wordpress", src)
    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    exports = find_exports(src, guard, skip)
    if not exports:
        raise WXRError(f"{src}: no WordPress export (WXR .xml file) found")
    if os.path.isfile(src) and not is_export(src):
        raise WXRError(f"{src}: not a WordPress export (no wordpress.org/export/ namespace in its first"
                       " 8 KB): export it from WordPress with Tools → Export")
    images = _ImageIndex(root, guard, skip) if os.path.isdir(src) else None
    errors = []
    for path in exports:
        shown = rel(path, root)
        try:
            channel, items = parse(_chunks(guard, path), shown)
        except (WXRError, safefs.Refused, OSError) as exc:
            errors.append(str(exc) if isinstance(exc, WXRError) else f"{shown}: {failure(exc)}")
            skipped.append((shown, errors[-1]))
            continue
        _site_facts(site, channel)
        posts += _items(shown, channel, items, images, skipped)
    if errors and not posts:
        raise WXRError(errors[0])
    if os.path.isdir(src):
        posts = _with_jekyll(src, skip, guard, site, posts, skipped, exports)
    posts += archive_pages(site, posts)
    return site, posts, skipped


def _site_facts(site: SourceSite, channel: El) -> None:
    site.title = site.title or channel.get("title")
    base = channel.get("wp:base_blog_url") or channel.get("link")
    if base and not site.base_url:
        site.base_url = base.rstrip("/") + "/"
    lang = channel.get("language")
    if lang and not site.language:
        site.language = lang
    site.config.setdefault("wxr_version", channel.get("wp:wxr_version"))
    parents = site.config.setdefault("category_parents", {})
    for c in channel.all("wp:category"):  # the category tree: a child's archive is /category/PARENT/CHILD/
        if c.get("wp:category_nicename"):
            parents[c.get("wp:category_nicename")] = c.get("wp:category_parent")
    authors = site.config.setdefault("authors", {})
    for a in channel.all("wp:author"):
        login = a.get("wp:author_login")
        if login:
            authors[login] = a.get("wp:author_display_name") or login


def _date(local: str, gmt: str) -> datetime | None:
    """``wp:post_date`` (the blog's local time) with the offset ``post_date_gmt`` implies."""
    def parse_one(value: str) -> datetime | None:
        try:
            return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None

    lt, ut = parse_one(local), parse_one(gmt)
    if lt is None and ut is None:
        return None
    if ut is None:
        return lt
    if lt is None:
        return ut.replace(tzinfo=timezone.utc)
    offset = lt - ut
    if abs(offset) > timedelta(hours=14) or offset.total_seconds() % 900:
        return ut.replace(tzinfo=timezone.utc)
    return lt.replace(tzinfo=timezone(offset))


def _items(shown: str, channel: El, items: list[El], images: _ImageIndex | None,
           skipped: list[tuple[str, str]]) -> list[Post]:
    attachments: dict[str, El] = {}
    children: dict[str, list[El]] = {}
    for it in items:
        if it.get("wp:post_type") == "attachment":
            attachments[it.get("wp:post_id")] = it
            children.setdefault(it.get("wp:post_parent"), []).append(it)
    base = channel.get("wp:base_blog_url") or channel.get("link")
    host = urlsplit(base).netloc.lower()
    authors = {a.get("wp:author_login"): a.get("wp:author_display_name") for a in channel.all("wp:author")}
    page_links = {it.get("wp:post_id"): it for it in items if it.get("wp:post_type") == "page"}
    page_paths = _page_paths(page_links, host)
    posts = []
    other: dict[str, int] = {}
    for it in items:
        kind, status = it.get("wp:post_type"), it.get("wp:status")
        if kind not in ("post", "page"):
            if kind not in NOT_PAGES:
                other[kind or "(none)"] = other.get(kind or "(none)", 0) + 1
            continue
        where = f"{shown} (line {it.line}, {kind} {it.get('wp:post_id')})"
        if status in NOT_CONTENT:
            skipped.append((where, f"status {status}: not published content"))
            continue
        size = len(it.get("content:encoded").encode("utf-8", "replace"))
        if size > MAX_HTML:
            skipped.append((where, f"body of {size} bytes, over the {MAX_HTML} byte limit"))
            continue
        try:
            posts.append(_post(where, it, kind, status, host, authors, attachments, children, images, page_paths))
            body_el = it.find("content:encoded")  # where verify finds the body's links
            posts[-1].extra["source_file"] = shown
            posts[-1].extra["source_line"] = body_el.line if body_el is not None else it.line
        except Exception as exc:  # noqa: BLE001 - one bad item is reported, never fatal
            skipped.append((where, f"not converted: {failure(exc)}"))
    for kind, n in sorted(other.items()):
        skipped.append((shown, f"{n} item(s) of post type {kind!r} not migrated (only posts and pages are)"))
    return posts


def _page_paths(pages: dict[str, El], host: str) -> dict[str, str]:
    """post id → path under content/ of each page: the path of its link, ``x/_index`` when
    another page lives below it (a branch bundle), ``x/index`` otherwise (a leaf bundle)."""
    paths: dict[str, str] = {}
    for pid, it in pages.items():
        link = urlsplit(it.get("link"))
        path = unquote(link.path).strip("/")
        if not path or link.query or link.netloc.lower() not in (host, ""):
            path = _slug(it) or f"page-{pid}"
        path = "/".join(slugify(p) or p for p in path.split("/"))
        paths[pid] = path
    parents = {"/".join(p.split("/")[:i]) for p in paths.values() for i in range(1, p.count("/") + 1)}
    return {pid: f"{p}/_index" if p in parents else f"{p}/index" for pid, p in paths.items()}


def _slug(it: El) -> str:
    return unquote(it.get("wp:post_name"))


def _post(where: str, it: El, kind: str, status: str, host: str, authors: dict[str, str],
          attachments: dict[str, El], children: dict[str, list[El]], images: _ImageIndex | None,
          page_paths: dict[str, str]) -> Post:
    pid = it.get("wp:post_id")
    post = Post(where, {}, "", kind=kind, origin="wordpress")
    post.extra["wordpress_id"] = pid
    title = it.get("title")
    post.meta["title"] = title or _slug(it) or f"{kind} {pid}"
    when = _date(it.get("wp:post_date"), it.get("wp:post_date_gmt"))
    if when is not None:
        post.meta["date"] = when
    if status in DRAFT_STATUS:
        post.meta["draft"] = True
        if status != "draft":
            post.note(f"status {status} → draft")
    if it.get("wp:post_password"):  # a static site cannot ask for it: never published openly
        post.meta["draft"] = True
        post.warn("password-protected on WordPress: kept as a draft (a static site cannot ask for the password)")
    creator = it.get("dc:creator")
    post.extra["wordpress_author"] = creator
    if creator:
        post.meta["author"] = authors.get(creator) or creator
    excerpt = it.get("excerpt:encoded")
    if excerpt:
        post.meta["description"] = re.sub(r"\s+", " ", _plain(excerpt)).strip()
    cats, tags = [], []
    slugs: list[tuple[str, str, str]] = []  # (category|tag, name, slug): the archive URLs WordPress served
    for c in it.all("category"):
        name = c.text.strip()
        domain = {"post_tag": "tag"}.get(c.attrs.get("domain", ""), c.attrs.get("domain", ""))  # WXR 1.0: "tag"
        if name and domain in ("category", "tag"):
            names = cats if domain == "category" else tags
            if name not in names:
                names.append(name)
            if c.attrs.get("nicename"):
                slugs.append((domain, name, c.attrs["nicename"]))
    post.extra["wordpress_terms"] = slugs
    if cats:
        post.meta["categories"] = cats
    if tags:
        post.meta["tags"] = tags
    slug = _slug(it)
    post.slug_hint = slugify(slug) if slug and slugify(slug) != slug else slug
    post.slug_hint = post.slug_hint or slugify(title) or f"{kind}-{pid}"
    if kind == "page":
        post.page_path = page_paths[pid]
    post.extra["wordpress_slug"] = slug
    _old_urls(post, it, kind, status, host, pid)
    meta = {m.get("wp:meta_key"): m.get("wp:meta_value") for m in it.all("wp:postmeta")}
    body_assets = _Assets(post, host, images)
    thumb = attachments.get(meta.get("_thumbnail_id", ""))
    if thumb is not None and thumb.get("wp:attachment_url"):
        url = thumb.get("wp:attachment_url")
        body_assets.add(url)
        post.meta["images"] = [url]
        post.note("featured image → images")

    def gallery(s: wp_shortcodes.Shortcode) -> str:
        ids = [i.strip() for i in (s.attrs.get("ids") or s.attrs.get("include") or "").split(",") if i.strip()]
        found = [attachments[i] for i in ids if i in attachments] if ids else \
            [a for a in children.get(pid, []) if a.get("wp:attachment_url").lower().endswith(IMAGE_EXT)]
        out = []
        for a in found:
            alt = _attr(a.get("excerpt:encoded") or a.get("title"))
            out.append(f'<img src="{_attr(a.get("wp:attachment_url"))}" alt="{alt}">')
        return "".join(out)

    html_body = wp_shortcodes.render(it.get("content:encoded"), gallery, post.note, post.warn)
    html_body = _oembeds(html_body, meta, post)
    post.extra["source_html"] = html_body
    post.body = _markdown(html_body, post, body_assets)
    comments = [_comment(c) for c in it.all("wp:comment") if c.get("wp:comment_approved") == "1"]
    if comments:
        post.extra["comments"] = comments
    return post


# --------------------------------------------------------------------------- archives
def archive_pages(site: SourceSite, posts: list[Post]) -> list[Post]:
    """The archives WordPress served for the published items: a category's
    (``/category/PARENT/SLUG/``) and a tag's (``/tag/SLUG/``) become the aliases of Hugo's term
    pages. The export does not record the blog's ``category_base`` and ``tag_base``; a base
    is taken from links of the posts to a term's archive when there are some, else
    WordPress's defaults, and the report says which. Date archives (``/2011/``,
    ``/2011/02/``, ``/2011/02/23/``) and author archives (``/author/LOGIN/``) have no Hugo
    page to stand for them: each is listed in the report as not kept."""
    from blogtools.migrate.terms import term_pages

    published = [p for p in posts if p.origin == "wordpress" and not p.draft and p.kind == "post"]
    terms = {(d, slug): name for p in published for d, name, slug in p.extra.get("wordpress_terms") or ()}
    if not published:
        return []
    parents: dict[str, str] = site.config.get("category_parents") or {}

    def chain(slug: str) -> str:
        seen = [slug]
        while parents.get(seen[-1]) and parents[seen[-1]] not in seen and len(seen) < 16:
            seen.append(parents[seen[-1]])
        return "/".join(reversed(seen))

    bases = {d: _base(published, d, {s for (dd, s) in terms if dd == d}, site) for d in ("category", "tag")}
    pages: list[Post] = []
    for domain, taxonomy in (("category", "categories"), ("tag", "tags")):
        names: dict[str, list[str]] = {}
        for (d, slug), name in sorted(terms.items()):
            if d == domain:
                path = chain(slug) if domain == "category" else slug
                names.setdefault(name, []).append(f"/{bases[domain][0]}/{path}/")
        if names:
            pages += term_pages(taxonomy, names, "wordpress", f"WordPress {domain} archive → term page with its old URL",
                                site)
            site.notes.append(f"WordPress {domain} archives: {len(names)} kept as the aliases of term pages at "
                              f"/{bases[domain][0]}/SLUG/ ({bases[domain][1]})")
    dates: set[str] = set()
    for p in published:
        when = p.meta.get("date")
        if when is not None:
            dates.update((f"/{when:%Y}/", f"/{when:%Y/%m}/", f"/{when:%Y/%m/%d}/"))
    if dates:
        site.notes.append(f"WordPress date archives not kept ({len(dates)}: Hugo has no date archive pages; a server "
                          "redirect to /posts/ can stand for them): " + ", ".join(sorted(dates)))
    authors = sorted({a for p in published for a in [p.extra.get("wordpress_author")] if a})
    if authors:
        site.notes.append(f"WordPress author archives not kept ({len(authors)}: the export does not give the author's "
                          "URL name, WordPress's user_nicename; a server redirect can stand for them): "
                          + ", ".join(f"/author/{a}/" for a in authors))
    return pages


def _base(posts: list[Post], domain: str, slugs: set[str], site: SourceSite) -> tuple[str, str]:
    """(the archive base of ``domain``, why): from the posts' links to ``/BASE/SLUG/`` of a
    known term slug on the blog itself, else WordPress's default (``category``, ``tag``)."""
    from collections import Counter

    default = domain
    if not slugs:
        return default, "WordPress's default"
    host = re.escape(urlsplit(site.base_url).netloc or "-")
    rx = re.compile(rf'href=["\'](?:https?://{host})?/([^/"\'?#]+)/(?:[^"\'?#]*/)?([^/"\'?#]+)/?["\']', re.I)
    found: Counter[str] = Counter()
    for p in posts:
        for m in rx.finditer(p.extra.get("source_html") or ""):
            if m.group(2).lower() in slugs and not m.group(1).isdigit():
                found[m.group(1)] += 1
    if found:
        base, n = found.most_common(1)[0]
        return base, f"the base {n} link(s) of the posts to a {domain} archive use"
    return default, (f"WordPress's default: the export does not record {domain}_base and no link of the posts "
                     f"names a {domain} archive")


def _oembeds(html_body: str, meta: dict[str, str], post: Post) -> str:
    """An embedded URL (a block editor embed, or a URL alone on its line) → the HTML WordPress
    served for it, from the oEmbed cache the export keeps in the item's ``_oembed_*`` meta
    (a tweet's blockquote with its text): what the reader saw, which a shortcode fetching
    the tweet at build time would lose."""
    cached = [v for k, v in meta.items() if k and k.startswith("_oembed_") and not k.startswith("_oembed_time_")
              and v and v.strip() != "{{unknown}}" and "<" in v]
    if not cached:
        return html_body

    def served(url: str) -> str | None:
        ident = url.rstrip("/").rsplit("/", 1)[-1]
        for value in cached:
            if url in value or (len(ident) >= 6 and f"/{ident}" in value):
                return value.strip()
        return None

    def repl(m: re.Match[str]) -> str:
        found = served(m.group(2))
        if found is None:
            return m.group(0)
        post.note("embedded URL → the HTML WordPress served for it (its oEmbed cache)")
        return m.group(1) + found + m.group(3)

    wrapper = re.compile(r'(<div class="wp-block-embed__wrapper">)\s*(https?://[^\s<]+)\s*(</div>)')
    alone = re.compile(r"(<p>)\s*(https?://[^\s<]+)\s*(</p>)")
    return alone.sub(repl, wrapper.sub(repl, html_body))


def _attr(value: str) -> str:
    import html

    return html.escape(value or "", quote=True)


def _plain(fragment: str) -> str:
    import html

    spaced = re.sub(r"<(?:br|/p|/li|/div|/h\d)\b[^>]*>", " ", fragment, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]*>", "", spaced))


def _old_urls(post: Post, it: El, kind: str, status: str, host: str, pid: str) -> None:
    query = f"/?p={pid}" if kind == "post" else f"/?page_id={pid}"
    if status != "publish" or post.draft:
        return  # never served to visitors
    link = urlsplit(it.get("link"))
    if link.netloc.lower() not in (host, "") and link.netloc:
        post.warn(f"link {it.get('link')} is on another host: not an alias")
    elif link.query:
        pass  # the query form, reported below
    elif link.path.strip("/"):
        post.old_urls.append(link.path)
        parent = link.path.rstrip("/").rsplit("/", 1)[0]
        for m in it.all("wp:postmeta"):
            if m.get("wp:meta_key") == "_wp_old_slug" and m.get("wp:meta_value"):
                post.old_urls.append(f"{parent}/{m.get('wp:meta_value')}/")
                post.note("_wp_old_slug → alias")
    else:
        post.warn(f"the WordPress front page ({it.get('link')}) is the home page of the new site: no alias")
    post.extra["query_urls"] = [query]
    post.warn(f"old URL {query} needs a server redirect (a static file cannot serve a query string)")


def _comment(c: El) -> dict[str, Any]:
    when = _date(c.get("wp:comment_date"), c.get("wp:comment_date_gmt"))
    out = {"id": c.get("wp:comment_id"), "parent": c.get("wp:comment_parent") or "0",
           "author": c.get("wp:comment_author"), "url": c.get("wp:comment_author_url"),
           "date": when.isoformat() if when else "", "type": c.get("wp:comment_type") or "comment",
           "content": c.get("wp:comment_content")}
    return {k: v for k, v in out.items() if v not in ("", None) or k in ("content", "author")}


# --------------------------------------------------------------------------- images
_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_RESIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


class _ImageIndex:
    """The image files of SRC, by path and by name, walked once."""

    def __init__(self, root: str, guard: Guard, skip: str | None) -> None:
        self.root = root
        self.guard = guard
        self.by_rel: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for path in walk(root, skip, guard):
            if path.lower().endswith(IMAGE_EXT):
                r = rel(path, root)
                self.by_rel[r.lower()] = path
                self.by_name.setdefault(r.rsplit("/", 1)[-1].lower(), []).append(path)

    def lookup(self, url_path: str) -> str | None:
        url_path = unquote(url_path)
        m = _UPLOADS.search(url_path)
        tail = m.group(1) if m else url_path.lstrip("/")
        for candidate in (url_path.lstrip("/"), f"wp-content/uploads/{tail}", tail):
            hit = self.by_rel.get(candidate.lower())
            if hit:
                return hit
        suffix = "/" + tail.lower()
        ends = [p for r, p in self._suffixes(tail) if ("/" + r).endswith(suffix)]
        if len(ends) == 1:
            return ends[0]
        named = self.by_name.get(tail.rsplit("/", 1)[-1].lower(), [])
        return named[0] if len(named) == 1 else None

    def _suffixes(self, tail: str) -> list[tuple[str, str]]:
        name = tail.rsplit("/", 1)[-1].lower()
        return [(rel(p, self.root).lower(), p) for p in self.by_name.get(name, [])]


class _Assets:
    """The images of one post: a file of SRC when the tree has it, else the remote URL."""

    def __init__(self, post: Post, host: str, images: _ImageIndex | None) -> None:
        self.post, self.host, self.images = post, host, images
        self.by_url: dict[str, Asset] = {}
        self.by_src: dict[str, Asset] = {}
        self.names: set[str] = set()

    def _local(self, url: str) -> str | None:
        if self.images is None:
            return None
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
        path = parts.path
        if re.fullmatch(r"i\d\.wp\.com", netloc):  # Jetpack's image CDN: /HOST/PATH
            netloc, _, path = path.lstrip("/").partition("/")
            path = "/" + path
        own = netloc in ("", self.host) or netloc.endswith(".files.wordpress.com") or "/wp-content/uploads/" in path
        if not own:
            return None
        hit = self.images.lookup(path)
        if hit is None and _RESIZED.search(path):
            hit = self.images.lookup(_RESIZED.sub("", path))
            if hit is not None:
                self.post.note("resized upload → its original file")
        return hit

    def add(self, url: str) -> None:
        if not url or url in self.by_url or url.startswith("data:"):
            return
        from blogtools.migrate import assets as assetmod

        local = self._local(url)
        if local is not None and local in self.by_src:  # one file under several URLs (a resized copy)
            self.by_src[local].refs.add(url)
            self.by_url[url] = self.by_src[local]
            return
        if local is not None:
            name = assetmod.unique(assetmod.safe_name(os.path.basename(local)), self.names)
            self.names.add(name)
            self.by_url[url] = self.by_src[local] = Asset(f"images/{name}", src=local, refs={url})
            self.post.note("WordPress upload found in the tree → bundle file")
        elif url.startswith(("http://", "https://", "//")):
            full = "https:" + url if url.startswith("//") else url
            self.by_url[url] = Asset("", url=full, refs={url})
        else:
            return
        self.post.assets.append(self.by_url[url])


def _markdown(html_body: str, post: Post, found: _Assets) -> str:
    """The rendered body → Markdown with the Medium reader's converter (same rules, same output)."""
    from bs4 import BeautifulSoup

    from blogtools.migrate.sources.medium import body_markdown

    soup = BeautifulSoup(f"<div>{html_body}</div>", "html.parser")
    content = soup.div
    for pre in content.find_all("pre"):  # the language of a code block, where WordPress wrote it
        code = pre.find("code")
        lang = ""
        for el in (pre, code):
            if el is None:
                continue
            lang = lang or el.get("data-code-block-lang") or el.get("lang") or ""
            for cls in el.get("class") or []:
                if cls.startswith("language-"):
                    lang = lang or cls[len("language-"):]
            brush = re.search(r"brush:\s*([\w+#-]+)", " ".join(el.get("class") or []))
            lang = lang or (brush.group(1) if brush else "")
        if lang:
            pre["data-code-block-lang"] = re.sub(r"[^\w+#.-]", "", lang)
    from blogtools.migrate import _embeds

    for gallery in content.select("figure.wp-block-gallery"):  # the block editor's gallery: one
        # figure per image (each with its own caption), then the gallery's caption
        caption = gallery.find("figcaption", recursive=False)
        items = [f.extract() for f in gallery.find_all("figure")]
        if not items:
            items = [soup.new_tag("figure")]
            for img in gallery.find_all("img"):
                items[0].append(img.extract())
        if caption is not None:
            para = soup.new_tag("p")
            em = soup.new_tag("em")
            em.string = caption.get_text(" ").strip()
            para.append(em)
            items.append(para)
        for item in reversed(items):
            gallery.insert_after(item)
        gallery.decompose()
        post.note("gallery block → its images")
    for fig in content.select("figure.wp-block-embed"):  # the block editor's embed: a URL in a div
        url = fig.get_text(" ").strip().split()[0] if fig.get_text(" ").strip() else ""
        if url.startswith(("http://", "https://")) and fig.find("iframe") is None:
            cap = fig.find("figcaption")
            new = soup.new_tag("figure")
            frame = soup.new_tag("iframe", src=url)
            new.append(frame)
            if cap is not None:
                new.append(cap.extract())
            fig.replace_with(new)
    for p in content.find_all("p"):  # a URL alone on its line: WordPress's auto-embed
        if p.find(True) is None or (len(p.contents) == 1 and p.a is not None and p.a.get_text() == p.a.get("href")):
            text = p.get_text().strip()
            if re.fullmatch(r"https?://\S+", text) and _embeds.detect_url(text) is not None:
                new = soup.new_tag("figure")
                new.append(soup.new_tag("iframe", src=text))
                p.replace_with(new)
                post.note("auto-embedded URL → embed")
    for script in content.find_all("script"):  # an embed's loader shows nothing by itself
        if WIDGET_SCRIPT.search(script.get("src") or ""):
            script.decompose()
    for img in content.find_all("img"):
        found.add(img.get("src") or "")
    for a in content.find_all("a"):
        href = a.get("href") or ""
        if urlsplit(href).path.lower().endswith(IMAGE_EXT) and a.find("img") is not None:
            found.add(href)
    # a literal "<" in the text (an escaped "&lt;/rant&gt;") would reach Goldmark as raw
    # HTML, which it drops: the converter writes text as it is, so it is held as a mark here
    for text in content.find_all(string=lambda t: "<" in t):
        if text.find_parent(["pre", "code"]) is None and type(text).__name__ == "NavigableString":
            text.replace_with(text.replace("<", LT_MARK))
    markdown = body_markdown(content, post, "", "")
    return markdown.replace(LT_MARK, "&lt;")


# --------------------------------------------------------------------------- Jekyll beside it
def _with_jekyll(src: str, skip: str | None, guard: Guard, site: SourceSite, posts: list[Post],
                 skipped: list[tuple[str, str]], exports: list[str]) -> list[Post]:
    """Jekyll posts and pages beside the export: their URLs become aliases of the same
    WordPress item; the others are migrated as Jekyll content."""
    names = set(os.listdir(src))
    if not ({"_config.yml", "_config.yaml", "_posts"} & names):
        return posts
    from blogtools.migrate.sources import jekyll

    jsite, jposts, jskipped = jekyll.read(src, skip, guard)
    excluded = [str(e).strip("/") for e in (jsite.config.get("exclude") or []) if isinstance(e, str) and e.strip("/")]
    excluded += JEKYLL_EXCLUDES
    inside = [p for p in jposts if any(p.source == e or p.source.startswith(e + "/") for e in excluded)]
    if inside:
        jposts = [p for p in jposts if p not in inside]
        skipped += [(p.source, "excluded from the Jekyll site (_config.yml exclude or Jekyll's default)")
                    for p in inside]
    site.has_theme = site.has_theme or jsite.has_theme
    site.time_zone = site.time_zone or jsite.time_zone
    site.emoji = jsite.emoji
    site.warnings += jsite.warnings
    export_dirs = {os.path.realpath(os.path.dirname(p)) for p in exports}
    export_files = {os.path.realpath(p) for p in exports}
    for folder, dest in jsite.copy_dirs:
        if os.path.realpath(folder) in export_files:  # (the Jekyll reader lists single files too)
            site.warnings.append(f"{rel(folder, src)} is the WordPress export: not published")
            continue
        if os.path.realpath(folder) in export_dirs and os.path.isdir(folder) and all(
                n.lower().endswith(".xml") or n.startswith(".") for n in os.listdir(folder)):
            site.warnings.append(f"{rel(folder, src)}/ holds only the WordPress export: not published")
            continue
        site.copy_dirs.append((folder, dest))
    by_id = {p.extra["wordpress_id"]: p for p in posts}
    by_slug: dict[tuple[str, str], Post] = {}
    for p in posts:
        by_slug.setdefault((p.kind, p.extra.get("wordpress_slug", "").lower()), p)
    by_url = {u.rstrip("/").lower(): p for p in posts for u in p.old_urls}
    kept = list(posts)
    matched = 0
    for jp in jposts:
        wp = _match(jp, by_id, by_slug, by_url)
        if wp is None:
            kept.append(jp)
            continue
        matched += 1
        for url in _jekyll_urls(jp):
            if url not in wp.old_urls:
                wp.old_urls.append(url)
        wp.note(f"Jekyll copy {jp.source}: its URL kept as an alias (the export is the source)")
    # top-level Jekyll pages the Jekyll reader does not read (HTML): their URL, when a
    # WordPress page of that name has it
    gen = None
    for wp in posts:
        if wp.kind != "page" or not wp.extra.get("wordpress_slug"):
            continue
        for ext in (".html", ".md", ".markdown"):
            path = os.path.join(src, wp.extra["wordpress_slug"] + ext)
            if os.path.isfile(path) and not any(j.source == rel(path, src) for j in jposts) and guard.allow(path):
                if gen is None:
                    from blogtools.generators.jekyll import Jekyll
                    from blogtools.site import Site

                    gen = Jekyll(Site(os.path.abspath(src), "jekyll", config=jsite.config))
                page, _ = jekyll.read_page(path, src, jsite.config, gen, guard)
                if isinstance(page, Post):
                    matched += 1
                    for url in _jekyll_urls(page):
                        if url not in wp.old_urls:
                            wp.old_urls.append(url)
                    wp.note(f"Jekyll copy {page.source}: its URL kept as an alias (the export is the source)")
    skipped += jskipped
    site.warnings.append(f"Jekyll site beside the export: {matched} Jekyll copies of WordPress items (their URLs kept"
                         f" as aliases), {len(kept) - len(posts)} Jekyll posts and pages not in the export migrated"
                         " as they are")
    return kept


def _jekyll_urls(jp: Post) -> list[str]:
    """A Jekyll page's URLs; an extensionless one (``/:basename`` under a custom permalink
    style) is written as ``NAME.html``, which the server serves under both names."""
    out = []
    for url in jp.old_urls:
        out.append(url)
        last = url.rsplit("/", 1)[-1]
        if last and "." not in last and jp.source.endswith((".html", ".md", ".markdown")):
            out.append(url + ".html")
    return out


def _match(jp: Post, by_id: dict[str, Post], by_slug: dict[tuple[str, str], Post],
           by_url: dict[str, Post]) -> Post | None:
    meta = jp.meta
    for key in ("wordpress_id", "postid", "post_id", "wp_id"):
        value = meta.get(key)
        if value is not None and str(value) in by_id:
            return by_id[str(value)]
    guid = str(meta.get("guid") or "")
    m = re.search(r"[?&](?:p|page_id)=(\d+)", guid)
    if m and m.group(1) in by_id:
        return by_id[m.group(1)]
    url = str(meta.get("wordpress_url") or "")
    if url:
        hit = by_url.get(urlsplit(url).path.rstrip("/").lower())
        if hit is not None:
            return hit
    name = jp.extra.get("jekyll_name") or jp.page_path or ""
    slug = re.sub(r"^\d{4}-\d{1,2}-\d{1,2}-", "", name.rsplit("/", 1)[-1]).lower()
    return by_slug.get((jp.kind, slug)) if slug else None


# --------------------------------------------------------------------------- comments
def write_comments(out: str, posts: list[Post]) -> list[str]:
    """``data/comments/<slug>.json`` for every post with approved comments (``--comments``)."""
    notes = []
    n = 0
    for post in posts:
        comments = post.extra.get("comments")
        if not comments or post.extra.get("failed"):
            continue
        name = post.slug or post.page_path.replace("/", "-").removesuffix("-index").removesuffix("-_index")
        path = os.path.join(out, "data", "comments", f"{name}.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(comments, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
        post.note(f"{len(comments)} comment(s) → data/comments/{name}.json")
        n += len(comments)
    if n:
        notes.append(f"{n} approved comment(s) written to data/comments/ (--comments)")
    return notes
