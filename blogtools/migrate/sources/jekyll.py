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
import re
from datetime import datetime, timezone
from typing import Any

from blogtools.migrate import _embeds, _hugo, body as bodymod
from blogtools.migrate.model import Asset, Post, SourceSite
from blogtools.migrate.util import IMAGE_EXT, Guard, isolated, load_document, parse_date, read_text, rel, walk

POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)\.(md|markdown|html)$")
DRAFT_NAME = re.compile(r"^(.+)\.(md|markdown|html)$")
NOT_STATIC = {"vendor", "node_modules", "Gemfile", "Gemfile.lock", "README.md", "LICENSE", "CNAME"}
DROP_KEYS = ("layout", "permalink", "redirect_from", "excerpt_separator", "published", "tag", "category")
EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,}:(?![\w:])")


def read(src: str, skip: str | None = None, guard: Guard | None = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
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
    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    skip_real = os.path.realpath(skip) if skip else None
    for path in walk(src, skip, guard):
        r = rel(path, src)
        parts = r.split("/")
        name = parts[-1]
        if "_posts" in parts[:-1] or "_drafts" in parts[:-1]:
            draft = "_drafts" in parts[:-1]
            m = (DRAFT_NAME if draft else POST_NAME).match(name)
            if not m:
                if name.lower().endswith((".md", ".markdown", ".html")):
                    skipped.append((r, "file name is not YYYY-MM-DD-title.ext"))
                continue
            post, why = isolated(read_post, path, src, config, draft, gen, guard)
            if post is None:
                skipped.append((r, why or "unreadable"))
            else:
                posts.append(post)
        elif len(parts) == 1 and name.lower().endswith((".md", ".markdown")) and name not in NOT_STATIC:
            post, why = isolated(read_page, path, src, config, gen, guard)
            if post is None:
                skipped.append((r, why or "unreadable"))
            elif post is not False:
                posts.append(post)
    for entry in sorted(os.listdir(src)):
        full = os.path.join(src, entry)
        if (entry.startswith(("_", ".")) or entry in NOT_STATIC or not os.path.isdir(full)
                or os.path.realpath(full) == skip_real):
            continue
        site.copy_dirs.append((full, f"static/{entry}"))
    site.emoji = "jemoji" in plugins
    return site, posts, skipped


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
    post = Post(rel(path, src), meta, doc.text[doc.body_start:].lstrip("\n"), origin="jekyll")
    post.extra["mtime"] = os.path.getmtime(path)
    if draft:
        slug = DRAFT_NAME.match(name).group(1)
        fdate = None
    else:
        m = POST_NAME.match(name)
        slug = m.group(4)
        fdate = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
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
    when = parse_date(raw, str(config.get("timezone") or "") or None) or (parse_date(fdate) if fdate else None)
    if when is not None:
        meta["date"] = when
    elif "date" in meta:
        post.warn(f"date {meta['date']!r} not understood; left out")
        meta.pop("date")
    post.slug_hint = slug if draft or not fdate else f"{fdate}-{slug}"
    post.extra["jekyll_name"] = os.path.splitext(name)[0]
    _urls(post, gen, path, src)
    categories = _categories(meta, rel(path, src))
    tags = _as_list(meta.get("tags")) + _as_list(meta.get("tag"))
    _taxonomies(post, "tags", tags, ("tag", "tags"))
    _taxonomies(post, "categories", categories, ("category", "categories"))
    if meta.get("published") is False or draft:
        meta["draft"] = True
    _common(post, meta, config, path, src, guard)
    return post, None


def read_page(path: str, src: str, config: dict[str, Any], gen: Any,
              guard: Guard | None = None) -> tuple[Post | None | bool, str | None]:
    doc, why = load_document(path, guard or Guard(src))
    if doc is None:
        return None, why
    if doc.front_matter is None:
        return False, None  # Jekyll only renders files with front matter
    meta = dict(doc.meta)
    name = os.path.splitext(os.path.basename(path))[0]
    if name == "index":
        return False, None  # the theme's home page; the new site has its own
    post = Post(rel(path, src), meta, doc.text[doc.body_start:].lstrip("\n"), kind="page", origin="jekyll")
    post.extra["mtime"] = os.path.getmtime(path)
    post.page_path = name
    _urls(post, gen, path, src)
    _common(post, meta, config, path, src, guard)
    return post, None


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


def _urls(post: Post, gen: Any, path: str, src: str) -> None:
    """The page's Jekyll URL and its ``redirect_from`` paths (:mod:`blogtools.generators.jekyll`)."""
    url, aliases, refused, published = _hugo.page(gen, os.path.abspath(path), dict(post.meta), os.path.abspath(src))
    if published and url:
        post.old_urls.append(url)
    post.old_urls += aliases
    if aliases:
        post.note("redirect_from → aliases")
    for why in refused:
        post.warn(f"redirect_from {why}: not kept")


# --------------------------------------------------------------------------- body and keys
def _common(post: Post, meta: dict[str, Any], config: dict[str, Any], path: str, src: str,
            guard: Guard | None = None) -> None:
    if meta.get("redirect_to"):
        post.warn(f"redirect_to {meta['redirect_to']!r} kept as a parameter: Hugo has no page-level redirect")
    separator = meta.get("excerpt_separator") or config.get("excerpt_separator")
    for key in DROP_KEYS:
        if key in meta and key not in ("tag", "category"):
            meta.pop(key)
    post.body = liquid(post, post.body)
    if isinstance(separator, str) and separator.strip() and separator != "\n\n" and separator in post.body:
        if separator.strip() != "<!--more-->":
            post.body = post.body.replace(separator, "\n<!--more-->\n" if "\n" in separator else "<!--more-->", 1)
            post.note("excerpt separator → <!--more-->")
    if path.endswith(".html"):
        post.raw("the post is HTML (kept as raw HTML in Markdown)")
    _local_images(post, path, src, guard or Guard(src))


_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)((?:\s+[\w=\"'-]+)*)\s*-?%\}\n?(.*?)\n?\{%-?\s*endhighlight\s*-?%\}", re.S)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_INCLUDE = re.compile(r"\{%-?\s*include\s+([\w./-]+)(.*?)-?%\}", re.S)
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BASEURL = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
_URL_FILTER = re.compile(r"""\{\{-?\s*(["'])(.*?)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}""")
_IAL = re.compile(r"^\{:\s*[^}]*\}[ \t]*\n?", re.M)
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def liquid(post: Post, text: str) -> str:
    saved: list[str] = []

    def keep(s: str) -> str:
        saved.append(s)
        return f"\x00{len(saved) - 1}\x00"

    def highlight(m: re.Match[str]) -> str:
        lang, opts, code = m.group(1), m.group(2) or "", m.group(3)
        fence = "```"
        while fence in code:
            fence += "`"
        attrs = " {linenos=true}" if "linenos" in opts else ""
        post.note("{% highlight %} → fenced code")
        return keep(f"{fence}{lang}{attrs}\n{code.strip(chr(10))}\n{fence}")

    text = _HIGHLIGHT.sub(highlight, text)

    def raw(m: re.Match[str]) -> str:
        post.note("{% raw %} unwrapped")
        return keep(m.group(1))

    text = _RAW.sub(raw, text)
    # fenced code is Markdown's business: never rewrite inside it
    text = re.sub(r"(?ms)^(```+|~~~+)[^\n]*\n.*?^\1[ \t]*$", lambda m: keep(m.group(0)), text)
    text, n = _BASEURL.subn("", text)
    if n:
        post.note("{{ site.baseurl }} dropped (links are site-relative)")
    text, n = _URL_FILTER.subn(lambda m: m.group(2), text)
    if n:
        post.note("relative_url/absolute_url filters → plain paths")
    text = _INCLUDE.sub(lambda m: include(post, m), text)
    text, n = _IAL.subn("", text)
    if n:
        post.warn(f"{n} kramdown attribute list(s) {{: ...}} removed (Goldmark does not read them)")
    text = _LIQUID.sub(lambda m: _unknown_liquid(post, m.group(0)), text)
    if EMOJI.search(text):
        post.extra["emoji"] = True
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], text)


def _unknown_liquid(post: Post, tag: str) -> str:
    """Liquid Hugo cannot run would print as text: kept as an HTML comment (Hugo drops
    comments without the raw-HTML warning) and reported."""
    if re.match(r"\{\{[<%]|\{%-?\s*post_url\b", tag):
        return tag
    inner = re.sub(r"-{2,}", "-", re.sub(r"^\{[{%]-?\s*|\s*-?[}%]\}$", "", tag)).strip()
    post.raw(f"Liquid {tag[:80]} (no Hugo equivalent: kept as an HTML comment)")
    return f"<!-- blogtools migrate: Jekyll Liquid `{inner}` has no Hugo equivalent -->"


def include(post: Post, m: re.Match[str]) -> str:
    name = m.group(1)
    params = {k: a or b or c for k, a, b, c in _PARAM.findall(m.group(2))}
    base = os.path.splitext(os.path.basename(name))[0].lower()
    values = list(params.values())
    embed = None
    for value in values:
        embed = _embeds.detect_url(value)
        if embed:
            break
    if embed is None and values:
        ident = params.get("id") or params.get("video_id") or values[0]
        for provider in ("youtube", "vimeo", "speakerdeck", "slideshare", "instagram"):
            if provider in base:
                embed = _embeds.make(provider, ident)
        if embed is None and base in ("tweet", "twitter", "x") and params.get("user"):
            embed = _embeds.make("x", ident, user=params["user"])
        if embed is None and "gist" in base and params.get("user"):
            embed = _embeds.make("gist", ident, user=params["user"], file=params.get("file", ""))
    call = _embeds.call(embed) if embed is not None else None
    if call is None:
        return m.group(0)  # reported and commented out with the other unknown Liquid
    post.note(f"{{% include {name} %}} → {embed.provider} shortcode")
    return call


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
