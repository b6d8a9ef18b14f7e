"""Jekyll sites → Posts: ``_posts`` and ``_drafts``, top-level Markdown pages, ``_config.yml``.

Each post's old permalink (the site's ``permalink`` style or the post's own) and its
``redirect_from`` entries become aliases; ``tag``/``tags``/``category``/``categories``
strings become lists; Liquid is translated where Hugo has an equivalent (``highlight`` →
fenced code, ``raw`` unwrapped, ``post_url`` → the new URL, ``include`` embeds →
shortcodes, ``site.baseurl`` and ``relative_url`` dropped), the excerpt separator becomes
``<!--more-->``, and what has no equivalent is kept and reported.
"""

from __future__ import annotations

import os
import posixpath
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from blogtools.migrate import _hugo, body as bodymod, kramdown, liquid
from blogtools.migrate.model import Asset, Post, SourceSite
from blogtools.migrate.util import IMAGE_EXT, Guard, isolated, load_document, parse_date, read_text, rel, walk

MARKDOWN_EXT = (".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown")
HTML_EXT = (".html", ".htm")
POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.(md|markdown|html)$")
DRAFT_NAME = re.compile(r"^(.+)\.(md|markdown|html)$")
DROP_KEYS = ("layout", "permalink", "redirect_from", "excerpt_separator", "published", "tag", "category")
# front matter keys that are plain data to Jekyll but that Hugo acts on
HUGO_READS = ("url", "type", "kind", "path", "lang", "outputs", "cascade", "build", "headless", "markup")
EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,}:(?![\w:])")


def read(src: str, skip: str | None = None, guard: Guard | None = None,
         progress: Any = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    from blogtools.yamlload import YamlError, load

    guard = guard or Guard(src)
    site = SourceSite("jekyll", src)
    config: dict[str, Any] = {}
    for name in ("_config.yml", "_config.yaml"):
        path = os.path.join(src, name)
        if os.path.lexists(path):
            text, why = read_text(path, guard)
            try:
                data = load(text or "").data if text is not None else None
            except YamlError as exc:
                data = None
                why = exc.message
            except RecursionError:
                data = None
                why = "nested too deeply (RecursionError)"
            if isinstance(data, dict):
                config = data
            else:
                site.warnings.append(f"{name} not read: {why or 'not a mapping'}")
            break
    site.config = config
    from blogtools.generators.jekyll import Jekyll
    from blogtools.site import Site

    gen = Jekyll(Site(os.path.abspath(src), "jekyll", config=config))
    site.title = str(config.get("title") or "")
    site.base_url = str(config.get("url") or "").rstrip("/") + "/" if config.get("url") else ""
    site.time_zone = str(config.get("timezone") or "")
    site.language = str(config.get("lang") or config.get("locale") or "")
    plugins = [str(p) for p in (config.get("plugins") or config.get("gems") or []) if isinstance(p, str)]
    posts, skipped = _files(src, skip, guard, config, gen, site, progress)
    site.emoji = "jemoji" in plugins
    site.feed = _feed_name(src, config, plugins)
    return site, posts, skipped


def _feed_name(src: str, config: dict[str, Any], plugins: list[str]) -> str:
    """The name of the feed Jekyll writes at the site's root: jekyll-feed's (``feed.xml``, or
    its ``feed: path:``), else a top-level ``feed.xml``/``atom.xml``/``rss.xml`` template."""
    if "jekyll-feed" in plugins:
        feed = config.get("feed")
        path = feed.get("path") if isinstance(feed, dict) else None
        path = path if isinstance(path, str) and path.strip("/") else "feed.xml"
        return path.strip("/") if "/" not in path.strip("/") and path.endswith(".xml") else ""
    return next((n for n in ("feed.xml", "atom.xml", "rss.xml") if os.path.isfile(os.path.join(src, n))), "")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v for v in value.split() if v]
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return []


def read_post(path: str, src: str, config: dict[str, Any], draft: bool, gen: Any,
              guard: Guard | None = None) -> tuple[Post | None, str | None]:
    doc, why = load_document(path, guard or Guard(src))
    if doc is None:
        return None, why
    name = os.path.basename(path)
    meta = dict(doc.meta)
    _last_wins(doc, meta)
    post = Post(rel(path, src), meta, doc.text[doc.body_start:].lstrip("\n"), origin="jekyll")
    post.extra["mtime"] = os.path.getmtime(path)
    if draft:
        slug = DRAFT_NAME.match(name).group(1)
        fdate = None
    else:
        m = POST_NAME.match(name)
        slug = m.group(4)
        fdate = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    _urls(post, gen, path, src)  # from the front matter as Jekyll reads it
    raw = meta.get("date")
    if isinstance(raw, datetime) and raw.tzinfo is None:
        # an unquoted YAML timestamp without offset: Ruby's YAML reads it as UTC before Jekyll
        # sees it (the real Jekyll 4.3 publishes 2020-02-01 21:30:00 under 2020/02/02 in Tokyo)
        raw = raw.replace(tzinfo=timezone.utc)
        try:  # shown in the site's zone, as Jekyll shows it
            from zoneinfo import ZoneInfo

            raw = raw.astimezone(ZoneInfo(str(config.get("timezone")))) if config.get("timezone") else raw
        except Exception:  # noqa: BLE001 - an unknown zone: UTC
            pass
    when = parse_date(raw, str(config.get("timezone") or "") or None)
    if when is None and raw is not None:
        from blogtools.generators.jekyll import parse_time

        when = parse_time(raw, gen.tz)  # "June 2, 2020": Ruby's Time.parse reads it
    when = when or (parse_date(fdate) if fdate else None)
    if when is not None:
        meta["date"] = when
    elif "date" in meta:
        post.warn(f"date {meta['date']!r} not understood; left out")
        meta.pop("date")
    post.slug_hint = slug if draft or not fdate else f"{fdate}-{slug}"
    post.extra["jekyll_name"] = os.path.splitext(name)[0]
    categories = _categories(meta, rel(path, src))
    tags = _as_list(meta.get("tags")) + _as_list(meta.get("tag"))
    _taxonomies(post, "tags", tags, ("tag", "tags"))
    _taxonomies(post, "categories", categories, ("category", "categories"))
    if meta.get("published") is False or draft:
        meta["draft"] = True
    _common(post, meta, config, path, src, gen, guard)
    return post, None


def read_page(path: str, src: str, config: dict[str, Any], gen: Any,
              guard: Guard | None = None) -> tuple[Post | None, str | None]:
    """A page or a collection document Jekyll renders: a Hugo page at the path of its
    Jekyll URL (``/about/`` → ``content/about.md``, ``/speaking.html`` → ``content/speaking.md``
    with the old URL as an alias). An HTML page stays HTML (``content/<path>.html``)."""
    doc, why = load_document(path, guard or Guard(src))
    if doc is None:
        return None, why
    meta = dict(doc.meta)
    _last_wins(doc, meta)
    post = Post(rel(path, src), meta, doc.text[doc.body_start:].lstrip("\n"), kind="page", origin="jekyll")
    # no "mtime": a Jekyll page has no date, and the new one gets none (not the migration day)
    if path.lower().endswith(HTML_EXT):
        post.extra["html"] = True
    if not _urls(post, gen, path, src) or not post.old_urls:
        # no page, and jekyll-redirect-from writes no redirect for it either
        return None, "not published by Jekyll (published: false)"
    post.page_path = page_path(post.old_urls[0])
    _common(post, meta, config, path, src, gen, guard)
    return post, None


def page_path(url: str) -> str:
    """Where a page lives under ``content/`` so Hugo serves it at (or next to) its Jekyll
    URL: ``/a/b/`` and ``/a/b.html`` → ``a/b`` (Hugo: ``/a/b/``; ``.html`` stays an alias)."""
    path = unquote(url.split("?", 1)[0].split("#", 1)[0]).strip("/")
    for ext in HTML_EXT:
        if path.lower().endswith(ext):
            path = path[: -len(ext)]
            break
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")].rstrip("/")
    return "/".join(p for p in path.split("/") if p not in ("", ".", ".."))


# --------------------------------------------------------------------------- every file
_FOLDER_WHY = {
    "_layouts": "Jekyll layouts (Liquid templates): not converted, the Hugo site uses its own layouts",
    "_includes": "Jekyll includes (Liquid templates): not converted; the includes posts use are reported with them",
    "_sass": "Sass partials: not converted (Hugo Pipes can compile them)",
    "_data": "Jekyll data files (site.data, read by templates): not converted",
    "_plugins": "Jekyll plugins (Ruby): Hugo cannot run them",
    "_site": "Jekyll's output folder: not source",
}
HUGO_DATA = (".yml", ".yaml", ".json", ".toml", ".csv", ".xml")  # the data files Hugo reads
HUGO_OWN = ("tags", "categories")  # the taxonomies the new site lists by itself


def _files(src: str, skip: str | None, guard: Guard, config: dict[str, Any], gen: Any,
           site: SourceSite, progress: Any = None) -> tuple[list[Post], list[tuple[str, str]]]:
    """Every file under SRC, as Jekyll sees it (:meth:`Jekyll.kind_of`): posts and drafts,
    pages and collection documents with front matter (→ Hugo pages at their URLs), files
    without front matter (→ ``static/``, where Jekyll copies them), and what Jekyll does not
    publish or Hugo cannot use, listed with the reason (one line per folder)."""
    from blogtools.generators.jekyll import has_front_matter

    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    folders: dict[str, list] = {}  # "folder/" → [count, reason]
    homes: list[tuple[str, Post]] = []
    statics: dict[str, str] | None = None
    data_files: list[tuple[str, str]] = []
    data_dir = str(config.get("data_dir") or "_data").strip("/")
    paths: dict[str, Post] = {}

    def skip_file(r: str, why: str, folder: bool = True) -> None:
        parts = r.split("/")
        if folder and len(parts) > 1:
            key = parts[0] + "/"
            entry = folders.setdefault(key, [0, _FOLDER_WHY.get(parts[0], why)])
            entry[0] += 1
        else:
            skipped.append((r, why))

    files = list(walk(src, skip, guard, follow=True))
    if progress is not None:
        progress.start("read", len(files))
    for n, path in enumerate(files, 1):
        if progress is not None and (n % 50 == 0 or n == len(files)):
            progress.update(n)
        r = rel(path, src)
        parts = r.split("/")
        name = parts[-1]
        if r in ("_config.yml", "_config.yaml"):
            continue  # read above
        if not guard.allow(path):
            continue  # listed with the refused files
        if gen.excluded(r):
            skip_file(r, "excluded by Jekyll (exclude: in _config.yml, or Jekyll's defaults): not part of the site")
            continue
        kind, detail = gen.kind_of(r)
        if kind in ("post", "draft"):
            draft = kind == "draft"
            m = (DRAFT_NAME if draft else POST_NAME).match(name)
            if not m:
                if has_front_matter(path):
                    skipped.append((r, "file name is not YYYY-MM-DD-title.ext"))
                else:
                    site.copy_dirs.append((path, f"static/{static_path(r)}"))
                continue
            post, why = isolated(read_post, path, src, config, draft, gen, guard)
            if post is None:
                skipped.append((r, why or "unreadable"))
            else:
                posts.append(post)
            continue
        if kind == "skip":
            if parts[0] == data_dir and len(parts) > 1 and os.path.splitext(name)[1].lower() in HUGO_DATA:
                data_files.append((path, "data/" + "/".join(parts[1:])))
            skip_file(r, f"{detail}")
            continue
        if kind == "collection" and not detail[1]:
            key = "/".join(parts[: detail[3] + 1]) + "/"
            entry = folders.setdefault(key, [0, f"collection {detail[0]!r} has no output: true:"
                                                " Jekyll writes no page for its documents"])
            entry[0] += 1
            continue
        if not has_front_matter(path):
            if kind == "collection":
                if statics is None:  # StaticFile#url of a collection's file: its permalink
                    statics = {os.path.realpath(f): u for u, f in gen._static_urls().items()}
                url = statics.get(os.path.realpath(path))
                if url is None or ".." in url.split("/"):
                    skipped.append((r, "a collection file without front matter: not converted"))
                else:
                    site.copy_dirs.append((path, "static/" + unquote(url).lstrip("/")))
            else:
                site.copy_dirs.append((path, f"static/{static_path(r)}"))  # Jekyll copies it
            continue
        ext = os.path.splitext(name)[1].lower()
        if ext not in MARKDOWN_EXT + HTML_EXT:
            why = isolated(_rendered_file, path, src, gen, guard, site)[1]
            if why:
                skipped.append((r, why))
            continue
        post, why = isolated(read_page, path, src, config, gen, guard)
        if post is None:
            skipped.append((r, why or "unreadable"))
            continue
        first = post.page_path.split("/", 1)[0]
        if not post.page_path:
            if len(post.old_urls) < 2 or "_index" in paths:
                homes.append((r, post))  # (its /page2/... redirect to the new home page)
                continue
            # its redirect_from URLs are kept as aliases of the new home page (content/_index.md)
            post.page_path = "_index"
            _home_body(post)
            paths["_index"] = post
            posts.append(post)
            continue
        if first in HUGO_OWN:
            # /tags/ and /tags/<term>/ are Hugo's taxonomy pages: the page becomes their content
            # (``content/tags/<term>/_index.md``) and its old URL an alias of the term's page
            from blogtools.generators.hugo import make_path

            rest = post.page_path[len(first):].strip("/")
            post.page_path = f"{first}/{make_path(rest)}/_index" if rest else f"{first}/_index"
            post.note(f"the page of {first} {rest!r} → the content of Hugo's taxonomy page" if rest
                      else f"the {first} index → the content of Hugo's {first} list")
        want, n = post.page_path, 2
        while post.page_path in paths or post.page_path.split("/", 1)[0] == "posts":
            post.page_path = f"{want}-{n}"
            n += 1
        if post.page_path != want:
            post.warn(f"content/{want} is taken: this page is content/{post.page_path} (its old URL is an alias)")
        paths[post.page_path] = post
        posts.append(post)
    pager, urls = _paginated(config, posts + [p for _r, p in homes])
    if pager is not None and any(pager is p for _r, p in homes):
        # the home page is the new site's (not a page to migrate): its other pages redirect to it
        from blogtools.migrate.target_hugo import REDIRECT_PAGE

        for url in urls:
            dest = _hugo.public_file(url)
            if ".." not in dest.split("/"):
                site.files.append((f"static/{dest}", REDIRECT_PAGE.format(url="/").encode("utf-8")))
        site.notes.append(f"jekyll-paginate's {len(urls)} further pages of the home page ({urls[0]} …) redirect"
                          " to the new home page, which lists the posts")
    elif pager is not None:
        pager.old_urls += [u for u in urls if u not in pager.old_urls]
        pager.warn(f"jekyll-paginate wrote {len(urls)} more pages of it ({urls[0]} …): each is an alias of this"
                   " page (the new site does not paginate it the same way)")
    for r, _post in homes:
        skipped.append((r, "the home page: the new site's home page (its layout) replaces it"))
    _archive_redirects(config, posts, site)
    if data_files and any(p.extra.get("hugo_template", ("", "", False))[2] for p in posts):
        site.copy_dirs += data_files  # site.data, read by the pages' shortcodes: Hugo's data/
        folders.pop(data_dir + "/", None)
        site.notes.append(f"{data_dir}/ → data/ ({len(data_files)} file(s)): the shortcodes made of the pages'"
                          " Liquid read them as site.Data")
    for key, (count, why) in sorted(folders.items()):
        skipped.append((key, f"{count} file{'s' if count != 1 else ''}: {why}"))
    return posts, skipped


def static_path(r: str) -> str:
    """Where Jekyll writes a static file (``StaticFile#url``): dots ending the name before its
    extension are dropped (``a..png`` → ``a.png``, ``cleaned_relative_path``)."""
    folder, _, name = r.rpartition("/")
    stem, ext = os.path.splitext(name)
    if not ext or not stem or not stem.endswith(".") or not stem.rstrip("."):
        return r
    return f"{folder}/{stem.rstrip('.')}{ext}" if folder else stem.rstrip(".") + ext


def _archive_redirects(config: dict[str, Any], posts: list[Post], site: SourceSite) -> None:
    """jekyll-archives' tag and category pages (``/tag/:name/``, ``:name`` Jekyll's slug of the
    term) where Hugo's term page has another URL (Hugo's ``urlize`` keeps dots: ``18f.gsa.gov``
    is ``/tags/18f-gsa-gov/`` to Jekyll, ``/tags/18f.gsa.gov/`` to Hugo): a redirect page in
    ``static/`` at the old URL, to the term's page. A URL a migrated page claims is left to it."""
    from blogtools.generators.hugo import make_path
    from blogtools.generators.jekyll import _fill, sanitize_url, slugify
    from blogtools.migrate.target_hugo import REDIRECT_PAGE

    plugins = config.get("plugins") or config.get("gems") or []
    archives = config.get("jekyll-archives")
    if not isinstance(plugins, list) or "jekyll-archives" not in plugins or not isinstance(archives, dict):
        return
    enabled = archives.get("enabled", [])
    links = {"tags": "/tag/:name/", "categories": "/category/:name/"}
    if isinstance(archives.get("permalinks"), dict):
        for key, tax in (("tag", "tags"), ("category", "categories")):
            if isinstance(archives["permalinks"].get(key), str):
                links[tax] = archives["permalinks"][key]
    claimed = {_hugo.normalise_url(u) for p in posts for u in p.old_urls}
    done: set[str] = set()
    for tax, kind in (("tags", "tag"), ("categories", "category")):
        if not (enabled is True or enabled == "all" or isinstance(enabled, list) and tax in enabled):
            continue
        terms = dict.fromkeys(t for p in posts if p.kind == "post" and not p.draft
                              for t in (p.meta.get(tax) or []) if isinstance(t, str))
        for term in terms:
            old = sanitize_url(_fill(links[tax], {"name": slugify(term), "type": kind}))
            new = f"/{tax}/{make_path(term)}/"
            dest = _hugo.public_file(old)
            if _hugo.normalise_url(old) in (new, *claimed) or dest in done or ".." in dest.split("/"):
                continue
            done.add(dest)
            site.files.append((f"static/{dest}", REDIRECT_PAGE.format(url=new).encode("utf-8")))
    if done:
        site.notes.append(f"{len(done)} jekyll-archives page(s) whose URL Hugo's term page does not share"
                          " (a slug of Jekyll's): redirect pages to the term's page in static/")


HOME_NOT_KEPT = "the home page's body is a Liquid template: not kept (the new home page lists the posts)"


def _home_body(post: Post) -> None:
    """A home page built by Liquid: its body goes (unless :func:`render_templates` keeps what
    Jekyll rendered for it), and the new home page lists the posts."""
    if re.search(r"\{%-?\s*for\b", post.body) or "<!-- blogtools migrate: Jekyll Liquid" in post.body:
        post.body = ""
        post.warn(HOME_NOT_KEPT)


def _paginated(config: dict[str, Any], posts: list[Post]) -> tuple[Post | None, list[str]]:
    """jekyll-paginate (v1) as Jekyll runs it: the ``index.html`` page nearest to the folder of
    ``paginate_path`` (default ``/page:num``) is written again at ``paginate_path`` with
    ``:num`` = 2 … ceil(posts / ``paginate``), each an index page. Those old URLs redirect to
    the page (Hugo's pagination cannot write ``/page2/``, and the new page is no Hugo list):
    the old links land on the list, and the report says so. Returns the page and the URLs."""
    plugins = config.get("plugins") or config.get("gems") or []
    per_page = config.get("paginate")
    if not isinstance(plugins, list) or "jekyll-paginate" not in plugins:
        return None, []
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page <= 0:
        return None, []
    path = config.get("paginate_path")
    path = path if isinstance(path, str) and ":num" in path else "/page:num"
    folder = posixpath.dirname("/" + path.lstrip("/"))
    ancestors = set()
    while True:  # Pager.in_hierarchy: the folder of paginate_path and every folder above it
        ancestors.add(folder.strip("/"))
        if folder in ("/", ""):
            break
        folder = posixpath.dirname(folder)
    candidates = [p for p in posts if p.kind == "page" and posixpath.basename(p.source) == "index.html"
                  and posixpath.dirname(p.source) in ancestors]
    if not candidates:
        return None, []
    page = max(candidates, key=lambda p: len(p.source))  # the deepest, as jekyll-paginate sorts them
    count = sum(1 for p in posts if p.kind == "post" and not p.draft and p.meta.get("hidden") is not True)
    pages = -(-count // per_page)
    urls = []
    for num in range(2, pages + 1):
        url = "/" + path.replace(":num", str(num), 1).lstrip("/")
        urls.append(url if url.endswith(("/", ".html")) else url + "/")
    return (page, urls) if urls else (None, [])


def _rendered_file(path: str, src: str, gen: Any, guard: Guard, site: SourceSite) -> tuple[None, str | None]:
    """A non-page file with front matter (``robots.txt``, ``site.webmanifest``...): Jekyll
    renders its Liquid and writes it at its URL. When that Liquid is only URLs (or none), the
    rendered text is written to ``static/`` at the same URL; otherwise the reason (None, why)."""
    ext = os.path.splitext(path)[1].lower()
    if ext in (".scss", ".sass", ".coffee"):
        return None, f"a {ext} file Jekyll compiles: not converted (Hugo Pipes can compile it)"
    doc, why = load_document(path, guard)
    if doc is None:
        return None, why
    from blogtools.generators.jekyll import _fill, sanitize_url

    meta = {**gen.defaults(rel(path, src), "pages"), **doc.meta}
    if meta.get("published") is False:
        return None, "not published by Jekyll (published: false)"
    folder, name = os.path.split(rel(path, src))
    custom = meta.get("permalink") if isinstance(meta.get("permalink"), str) and meta.get("permalink") else None
    url = sanitize_url(_fill(custom or "/:path/:basename:output_ext", {  # Jekyll's Page#url for such a file
        "path": "/" + folder if folder else "", "basename": os.path.splitext(name)[0], "output_ext": ext}))
    dest = unquote(url).lstrip("/")
    layout = meta.get("layout")
    if layout not in (None, "none", "null", ""):
        if ext not in FEED_EXTENSIONS or not isinstance(layout, str) or not _valid_dest(dest):
            return None, f"rendered into the layout {layout!r}: not converted"
        # a feed built by its layout (ruby-lang's /<lang>/feeds/news.rss): Jekyll's build
        # renders it with that layout, and render_templates writes what it rendered
        why = (f"a feed Jekyll renders into the layout {layout!r} (to {url}): not converted"
               " (a Hugo feed there needs an output format and a template)")
        site.liquid_files.append((rel(path, src), dest, why))
        site.liquid_layouts.append(layout)
        return None, why
    body = doc.text[doc.body_start:]
    text = liquid.evaluator(gen).evaluate(body, None) if "{{" in body or "{%" in body else body
    if not _valid_dest(dest):
        return None, f"its URL {url} cannot be a static file: not converted"
    if text is None:
        why = (f"a {ext or 'extension-less'} file Jekyll renders with Liquid (to {url}): not converted"
               " (Hugo writes its own feeds and sitemap; other outputs need a Hugo template)")
        site.liquid_files.append((rel(path, src), dest, why))  # Jekyll's build may render it (render_templates)
        return None, why
    site.files.append((f"static/{dest}", text.encode("utf-8")))
    return None, None


FEED_EXTENSIONS = (".rss", ".xml", ".atom")


def _valid_dest(dest: str) -> bool:
    return bool(dest) and not dest.endswith("/") and ".." not in dest.split("/")


def _last_wins(doc: Any, meta: dict[str, Any]) -> None:
    """A top-level key written twice: Jekyll's YAML (Psych) keeps the last value, the shared
    loader the first. Each later occurrence is read on its own (up to the next top-level
    line) and replaces the value, as Jekyll sees it."""
    from blogtools.yamlload import YamlError, load

    fm = doc.front_matter
    if fm is None or fm.format != "yaml" or not fm.duplicates:
        return
    text = doc.text
    for path, offset in sorted(fm.duplicates, key=lambda d: d[1]):
        if len(path) != 1 or not isinstance(path[0], str):
            continue
        end = offset
        while True:
            nl = text.find("\n", end, fm.content_end)
            if nl < 0 or nl + 1 >= fm.content_end or text[nl + 1:nl + 2] not in (" ", "\t", "-", "\n"):
                end = fm.content_end if nl < 0 else nl
                break
            end = nl + 1
        try:
            data = load(text[offset:end]).data
        except (YamlError, RecursionError):
            continue
        if isinstance(data, dict) and path[0] in data:
            meta[path[0]] = data[path[0]]


def _categories(meta: dict[str, Any], r: str) -> list[str]:
    cats = _as_list(meta.get("categories")) + _as_list(meta.get("category"))
    folder = [p for p in r.split("/")[:-1] if p not in ("_posts", "_drafts")]
    return folder + [c for c in cats if c not in folder]


def _taxonomies(post: Post, key: str, values: list[str], keys: tuple[str, ...]) -> None:
    raw = [post.meta.get(k) for k in keys]
    seen: list[str] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    for k in keys:
        post.meta.pop(k, None)
    if seen:
        post.meta[key] = seen
        if any(isinstance(r, str) for r in raw) or keys[0] in [k for k, r in zip(keys, raw) if r is not None]:
            post.note(f"{'/'.join(keys)} → {key} list")


def _urls(post: Post, gen: Any, path: str, src: str) -> bool:
    """The page's Jekyll URL and its ``redirect_from`` paths (:mod:`blogtools.generators.jekyll`);
    returns whether Jekyll publishes it."""
    url, aliases, refused, published = _hugo.page(gen, os.path.abspath(path), dict(post.meta), os.path.abspath(src))
    if published and url:
        if url.endswith("/index.html"):
            url = url[: -len("index.html")]  # the folder's page serves it; an alias would replace it
        post.old_urls.append(url)
    post.old_urls += aliases
    for old in list(post.old_urls):
        # Jekyll writes /a/b (no slash, no extension) as /a/b.html: that file is an old URL too
        last = old.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
        if last and "." not in last and f"{old}.html" not in post.old_urls:
            post.old_urls.append(f"{old}.html")
    if aliases:
        post.note("redirect_from → aliases")
    for why in refused:
        post.warn(f"redirect_from {why}: not kept")
    return published


# --------------------------------------------------------------------------- body and keys
def _common(post: Post, meta: dict[str, Any], config: dict[str, Any], path: str, src: str, gen: Any,
            guard: Guard | None = None) -> None:
    if meta.get("redirect_to"):
        post.warn(f"redirect_to {meta['redirect_to']!r} kept as a parameter: Hugo has no page-level redirect")
    separator = meta.get("excerpt_separator") or config.get("excerpt_separator")
    for key in DROP_KEYS:
        if key in meta and key not in ("tag", "category"):
            meta.pop(key)
    moved = [k for k in HUGO_READS if k in meta]
    if moved:  # data to Jekyll, instructions to Hugo (`url:` would move the page)
        params = meta.get("params") if isinstance(meta.get("params"), dict) else {}
        meta["params"] = {**params, **{k: meta.pop(k) for k in moved}}
        post.note(f"{', '.join(moved)} → params ({'it means' if len(moved) == 1 else 'they mean'} something else to Hugo)")
    html_page = path.lower().endswith(HTML_EXT)
    no_liquid = meta.get("render_with_liquid") is False  # Jekyll 4 shows the Liquid as written
    template = liquid.hugo_template(post.body) if post.kind == "page" and post.page_path and not no_liquid else None
    if template is not None:
        # Liquid that lists posts or site data: the same loop as a Hugo shortcode of the page
        name = "jekyll-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", os.path.splitext(post.source)[0]).strip("-").lower()
                            or "page")
        post.extra["hugo_template"] = (name, template[0], template[1])
        post.body = f"{{{{< {name} >}}}}" if html_page else f"{{{{% {name} %}}}}"
        post.note(f"its Liquid (a loop over site.posts or site.data) → the Hugo shortcode {name}"
                  f" (layouts/shortcodes/{name}.html), which does the same in Hugo")
        _local_images(post, path, src, guard or Guard(src))
        return
    if no_liquid:
        post.body = liquid.escape_shortcodes(post.body, post)
        post.note("render_with_liquid: false: its Liquid is text, as Jekyll showed it")
    else:
        post.body = liquid.convert(post, post.body, gen, html_page)
    if not html_page:
        post.body = kramdown.convert(post, post.body)
        # kramdown math: TeX that MathJax reads, which Goldmark must not touch
        if "$$" in post.body and str(config.get("markdown") or "kramdown").lower() == "kramdown":
            post.extra["math_passthrough"] = True
            post.note("kramdown math ($$) kept as it is: hugo.toml turns on Goldmark's passthrough for $$")
    if EMOJI.search(post.body):
        post.extra["emoji"] = True
    if isinstance(separator, str) and separator.strip() and separator != "\n\n" and separator in post.body:
        if separator.strip() != "<!--more-->":
            post.body = post.body.replace(separator, "\n<!--more-->\n" if "\n" in separator else "<!--more-->", 1)
            post.note("excerpt separator → <!--more-->")
    if html_page:
        post.body, wrapped = bodymod.html_body(post.body)
        post.raw("the page is HTML: kept as one raw HTML block (blank lines between tags dropped"
                 + (", wrapped in a <div>)" if wrapped else ")"))
    _local_images(post, path, src, guard or Guard(src))


def _local_images(post: Post, path: str, src: str, guard: Guard) -> None:
    doc = bodymod.parse(post.body)
    refs = [n.url for n in doc.nodes("image") if n.url]
    for key in ("image", "images", "cover", "thumbnail"):
        v = post.meta.get(key)
        refs += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
    for ref in refs:
        if re.match(r"[a-z][a-z0-9+.-]*:|//", ref, re.I):
            if ref.startswith(("http://", "https://")):
                post.assets.append(Asset("", url=ref, refs={ref}))
            continue
        clean = ref.split("?", 1)[0].split("#", 1)[0]
        target = os.path.normpath(os.path.join(src, clean.lstrip("/")) if clean.startswith("/")
                                  else os.path.join(os.path.dirname(path), clean))
        if clean.lower().endswith(IMAGE_EXT) and os.path.lexists(target) and guard.allow(target):
            post.assets.append(Asset("images/" + os.path.basename(target), src=target, refs={ref}))


# --------------------------------------------------------------------------- Liquid templates, as Jekyll rendered them
def _jekyll_installed() -> bool:
    from blogtools.programs import find_program

    return find_program("jekyll") is not None


def render_templates(site: SourceSite, posts: list[Post], skipped: list[tuple[str, str]], mode: str,
                     verify: bool, plugins: bool = False) -> list[str]:
    """Pages and posts whose Liquid builds them from the site's data (a loop over
    ``site.posts``, ``site.tags``, ``site.data.x``, ``capture``, ``where``...: counted by
    :func:`blogtools.migrate.liquid._template`) have no Hugo equivalent the migration can
    write. With ``mode`` ``rendered`` (``auto``: whenever Jekyll is installed, so that the
    output does not depend on ``--verify``) the source is built by Jekyll (:func:`blogtools.migrate.source_build.jekyll_content_build`:
    bare layouts, the site's own ``_plugins`` not run) and the HTML it rendered for each such
    page's content becomes the page's body, one raw HTML block, reported on the page: the
    words, images and links the old page showed, frozen as they were at migration time.
    Otherwise they stay HTML comments (reported per tag) and one note says how to render
    them. The same goes for the other files Jekyll renders with Liquid the migration cannot
    evaluate (``robots.txt``, ``vcard.vcf``, a feed over ``site.data``: ``site.liquid_files``):
    the file Jekyll wrote goes to ``static/`` at its URL and leaves ``skipped``.
    With ``plugins`` (``--jekyll-plugins``: the site's own ``_plugins`` are Ruby of the source,
    never run by default) that build runs them, and in the other posts each Liquid tag or
    filter of a plugin (kept as an HTML comment: ``post.extra["liquid_plugin"]``) becomes
    what Jekyll rendered for it in that post (inserted after the kramdown conversion: its
    Markdown is not converted; see docs/migrate.md). Returns notes for the report."""
    wanted = [p for p in posts if p.extra.get("liquid_template") and p.old_urls]
    chosen = {id(p) for p in wanted}
    plugged = [p for p in posts if plugins and p.extra.get("liquid_plugin") and id(p) not in chosen]
    # the root feed is Hugo's own RSS under the old name (site.feed), kept live: never a snapshot
    files, site.liquid_files = [f for f in site.liquid_files if f[1] != site.feed], []
    if not wanted and not files and not plugged:
        return []
    if mode == "comment" or mode == "auto" and not (verify or _jekyll_installed()):
        return [f"{len(wanted)} page(s) hold Liquid templates Hugo cannot run (loops over site.posts, site.data...),"
                " kept as HTML comments: --liquid-pages rendered keeps the HTML Jekyll renders for them instead"] \
            if wanted else []
    import shutil
    import tempfile

    from blogtools.migrate import _hugo, source_build

    tmp = tempfile.mkdtemp(prefix="blogtools-liquid-")
    try:
        render = [(p.source, tag) for p in plugged for tag in p.extra["liquid_plugin"].values()]
        b = source_build.jekyll_content_build(site.root, tmp, site.config, plugins, render,
                                              keep_layouts=site.liquid_layouts)
        if not b.ok and site.liquid_layouts:  # a feed's own layout fails the build: built bare, as before
            shutil.rmtree(tmp, ignore_errors=True)
            os.makedirs(tmp)
            b = source_build.jekyll_content_build(site.root, tmp, site.config, plugins, render)
            files = [f for f in files if not f[2].startswith("a feed ")]  # (they stay not migrated)
        if not b.ok:
            if verify:  # verify's build would be this one again: it says why instead of failing twice
                site.build = b
            return [f"{len(wanted) + len(plugged)} page(s) and {len(files)} file(s) with Liquid templates not"
                    f" rendered: the source's Jekyll build failed ({b.problem})"]
        notes = [f"Liquid templates rendered by Jekyll; that build: {n}" for n in b.notes]
        done: set[str] = set()
        for r, dest, _why in files:
            try:
                with open(os.path.join(b.public, dest), "rb") as fh:
                    data = fh.read()
            except OSError:
                continue  # stays listed as not migrated
            site.files.append((f"static/{dest}", data))
            done.add(r)
            notes.append(f"{r}: its Liquid rendered by Jekyll, written as static/{dest} (a snapshot: it no longer"
                         " changes with the site's data)")
        skipped[:] = [s for s in skipped if s[0] not in done]
        folder = os.path.join(site.root, str(site.config.get("includes_dir") or "_includes"))
        for post in wanted:
            text, _why = read_text(os.path.join(site.root, post.source), Guard(site.root))
            absent = sorted({n for n in source_build.INCLUDE.findall(text or "")
                             if ".." in n.split("/") or not os.path.isfile(os.path.join(folder, n))})
            if absent:  # a theme's include: the build writes nothing for it, the comments keep its text
                post.warn(f"its Liquid is kept as HTML comments, not rendered: it includes {', '.join(absent)},"
                          " which the site does not hold (its theme's)")
                continue
            path = os.path.join(b.public, _hugo.public_file(post.old_urls[0]))
            try:
                with open(path, encoding="utf-8") as fh:
                    inner = _rendered_content(fh.read())
            except (OSError, UnicodeDecodeError):
                inner = None
            if inner is None:
                post.warn(f"Jekyll's build has no page at {post.old_urls[0]}: its Liquid is kept as HTML comments")
                continue
            post.body = bodymod.html_body(liquid.escape_shortcodes(inner, post))[0]
            post.kept_raw = [k for k in post.kept_raw if not k.startswith("Liquid ")]
            post.warnings = [w for w in post.warnings if not (w.startswith("Liquid ") and "inside an HTML tag" in w)
                             and w != HOME_NOT_KEPT]
            post.extra.pop("math_passthrough", None)
            post.raw(f"Liquid template ({post.extra['liquid_template']} tag(s) Hugo cannot run): the body is the"
                     " HTML Jekyll rendered for it, kept as raw HTML (it no longer changes with the site's data)")
        for post in plugged:
            _plugin_liquid(post, b.rendered)
        if verify:  # the same build verify compares with: kept for it (the pipeline removes it)
            site.build, tmp = b, ""
        return notes
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _plugin_liquid(post: Post, rendered: dict[tuple[str, str], str | None]) -> None:
    """Each comment standing for a plugin's Liquid → what Jekyll rendered for it (reported),
    in a Markdown post as kramdown reads that output (a tag it prints as text stays text);
    one Jekyll could not render stays a comment."""
    markdown = not post.source.lower().endswith(HTML_EXT)
    for comment, tag in post.extra.pop("liquid_plugin").items():
        value = rendered.get((post.source, tag))
        if value is None:
            post.warn(f"Liquid {tag[:80]} of a plugin: Jekyll did not render it here, kept as an HTML comment")
            continue
        if markdown and "<" in value:
            value = kramdown.tags_kramdown_prints(post, value)
        post.body = post.body.replace(comment, liquid.escape_shortcodes(value, post))
        post.kept_raw = [k for k in post.kept_raw if k != liquid.kept_as_comment(tag)]
        post.raw(f"Liquid {tag[:80]} of the site's plugins: what Jekyll rendered for it ({value.strip()[:60]!r})")


def _rendered_content(html: str) -> str | None:
    """What the bare layout wrapped: between the marker ``<div>`` and the last ``</div>``; a
    page without a layout is its content as a whole."""
    from blogtools.migrate.compare import MARKER

    opener = f'<div id="{MARKER}">'
    start = html.find(opener)
    end = html.rfind("</div>")
    if start < 0:
        return html.strip("\n")
    if end < start:
        return None
    return html[start + len(opener):end].strip("\n")
