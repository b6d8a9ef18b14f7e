"""The Hugo target: slugs, URLs and aliases, rewritten bodies, the files of the new site.

Posts go to ``content/posts/<slug>/index.md`` with their files beside them; pages keep
their path under ``content/``. Every old URL that differs from the new one becomes an
alias (percent-decoded, checked against what Hugo writes); two posts wanting one slug get
``-2``, ``-3``... in source order, reported. ``hugo.toml`` is minimal (the source's settings
that still apply, ``unsafe`` only when raw HTML is kept, ``enableEmoji`` only when a post
uses ``:emoji:``), and a site without a theme gets a small layout set so every page renders.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any, Callable

from blogtools.migrate import _embeds, _hugo, body as bodymod
from blogtools.migrate.model import Post, SourceSite
from blogtools.migrate.util import replace_surrogates, slugify, surrogates

DROPPED_CONFIG = {"permalinks", "uglyurls", "contentdir", "publishdir", "enableemoji", "canonifyurls",
                  "enablegitinfo"}  # DIR is a new folder, no git repository: Hugo would fail
FIRST_KEYS = ("title", "date", "lastmod", "draft", "description", "author")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
KANA = re.compile(r"[\u3040-\u30ff]")  # Japanese, not Chinese: Han characters alone say no language


# --------------------------------------------------------------------------- slugs and URLs
def _date_slug(post: Post) -> str:
    d = post.meta.get("date")
    return d.isoformat()[:10] if hasattr(d, "isoformat") else ""


def _valid_folder(name: str) -> bool:
    return bool(name) and _hugo.make_path(name) == name and "/" not in name and name not in (".", "..")


def _guarded(on_error: Callable[[Post, BaseException], None] | None, post: Post, fn: Callable[[], Any]) -> None:
    """``fn()`` for one post; with ``on_error`` a failure is handed to it (the pipeline lists
    the post as not migrated) and the step goes on with the other posts."""
    if post.extra.get("failed"):
        return
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - one bad post is reported, never fatal
        if on_error is None:
            raise
        on_error(post, exc)


def assign_slugs(posts: list[Post], mode: str = "keep", ascii_only: bool = False,
                 on_error: Callable[[Post, BaseException], None] | None = None,
                 source: SourceSite | None = None) -> None:
    """Give every post a unique slug (bundle folder name); pages get their output path, and
    their URL as the new site's Hugo computes it: a Hugo source's taxonomies and their
    permalinks are kept (:func:`_taxonomy_permalinks`), so ``content/authors/admin/_index.md``
    stays at ``/author/<its title>/``."""
    taken: dict[str, Post] = {}
    gen = _hugo.generator(_target_site(source) if source is not None and source.kind == "hugo" else None)
    content = os.path.join(gen.site.root, "content")
    for post in posts:
        _guarded(on_error, post, lambda post=post: _assign_slug(post, taken, gen, content, mode, ascii_only))


def _assign_slug(post: Post, taken: dict[str, Post], gen: Any, content: str, mode: str, ascii_only: bool) -> None:
    if post.kind == "page":
        post.out_path = f"content/{post.page_path}.md"
        post.url = _hugo.page(gen, os.path.join(content, post.page_path + ".md"), post.meta, content)[0]
        old = _hugo.normalise_url(post.old_urls[0]) if post.old_urls else ""
        if old != post.url and old.lower() == post.url.lower() and old.endswith("/") and "url" not in post.meta:
            # Hugo lower-cases a path made from a file name (/AI-services/ → /ai-services/), and a
            # server tells the two apart; an alias cannot help (on a case-insensitive disk it
            # would overwrite the page). A front matter url is written as it is.
            post.meta["url"] = post.url = old
            post.note(f"url: {old} keeps the case of its old URL (Hugo lower-cases the path of a file name)")
        return
    keep = post.slug_hint if _valid_folder(post.slug_hint) and not (ascii_only and not post.slug_hint.isascii()) \
        else slugify(post.slug_hint, ascii_only)
    if mode == "date":
        want = _date_slug(post) or keep
    elif mode == "title":
        want = slugify(post.title, ascii_only) or keep
    else:
        want = keep
    want = want or _date_slug(post) or "post"
    slug, n = want, 2
    while slug in taken:
        slug = f"{want}-{n}"
        n += 1
    if slug != want:
        post.warn(f"slug {want!r} is taken by {taken[want].source}; this post is {slug!r}")
        taken[want].warn(f"slug {want!r} also wanted by {post.source} (it became {slug!r})")
    taken[slug] = post
    post.slug = slug
    post.out_path = f"content/posts/{slug}/index.md"
    post.url = f"/posts/{slug}/"


def plan_aliases(posts: list[Post], on_error: Callable[[Post, BaseException], None] | None = None) -> None:
    """old URLs → ``aliases``: normalised, deduplicated, never over another page's URL."""
    urls = {p.url: p for p in posts if not p.draft}
    claimed: dict[str, Post] = {}
    for post in posts:
        _guarded(on_error, post, lambda post=post: _plan_aliases(post, urls, claimed))


def _plan_aliases(post: Post, urls: dict[str, Post], claimed: dict[str, Post]) -> None:
    aliases: list[str] = []
    for old in post.old_urls:
        alias = _hugo.normalise_url(old)
        problems = _hugo.alias_problems(old.split("#", 1)[0]) + _hugo.alias_problems(alias)
        if not alias.endswith(("/", ".html")):
            alias += "/"  # where Hugo writes it (x/index.html) either way
        if alias == post.url or alias in aliases:
            continue
        if alias.lower() == post.url.lower():
            continue  # Hugo serves it already (same path, other case)
        fatal = [p for p in problems if "every system" not in p and "folder" not in p]
        if fatal:
            post.warn(f"old URL {old} not kept: {'; '.join(fatal)}")
            continue
        if any("folder" in p for p in problems) and not alias.rstrip("/").endswith(".html") and \
                not any("every system" in p for p in problems):
            # /paper.pdf: Hugo would write /paper.pdf/index.html; the redirect page goes to
            # static/paper.pdf, as jekyll-redirect-from writes it (an HTML page by that name)
            path = alias.rstrip("/")
            if path in claimed and claimed[path] is not post or path in urls:
                post.warn(f"old URL {old} is also claimed by another page; kept there")
                continue
            claimed[path] = post
            files = post.extra.setdefault("redirect_files", [])
            if path not in files:
                files.append(path)
            post.note(f"old URL {old} → a redirect page written at static{path} (Hugo would write an alias"
                      " there as a folder)")
            continue
        for p in dict.fromkeys(problems):
            post.warn(f"alias {alias}: {p}")
        if alias in urls and urls[alias] is not post:
            post.warn(f"old URL {old} is now the URL of {urls[alias].source}; no alias")
            continue
        if alias in claimed and claimed[alias] is not post:
            post.warn(f"old URL {old} is also claimed by {claimed[alias].source}; kept there")
            continue
        claimed[alias] = post
        aliases.append(alias)
    if aliases:
        post.meta["aliases"] = aliases
    else:
        post.meta.pop("aliases", None)


# --------------------------------------------------------------------------- bodies
_POST_URL = re.compile(r"\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}")


def rewrite_links(posts: list[Post], hosts: set[str],
                  on_error: Callable[[Post, BaseException], None] | None = None) -> None:
    """Links to an old URL of a migrated post → its new URL; ``{% post_url %}`` resolved."""
    by_old: dict[str, Post] = {}
    by_name: dict[str, Post] = {}
    for post in posts:
        if post.draft or post.extra.get("failed"):
            continue
        for old in post.old_urls:
            by_old.setdefault(_hugo.normalise_url(old).rstrip("/").lower(), post)
        name = post.extra.get("jekyll_name")
        if name:
            by_name[name] = post
            by_name[name.split("/")[-1]] = post
    by_path, by_base = _ref_targets(posts)
    for post in posts:
        _guarded(on_error, post, lambda post=post: _rewrite_links(post, hosts, by_old, by_name, by_path))
        if by_path and "ref" in post.body:
            _guarded(on_error, post, lambda post=post: _rewrite_refs(post, by_path, by_base))


_REF = re.compile(r"""({{[<%]-?\s*(?:rel)?ref\s+)(["`]?)([^"`\s>%}#]*)((?:#[^"`\s>%}]*)?)(\2)""")


def _page_key(path: str) -> str:
    """A content path as ``ref`` names it: no extension, no ``/index``/``/_index``, lower case."""
    key = re.sub(r"\.(md|markdown|html?)$", "", path.strip().strip("/"), flags=re.I)
    key = re.sub(r"(^|/)_?index$", "", key)
    return key.lower()


def _ref_targets(posts: list[Post]) -> tuple[dict[str, str], dict[str, str | None]]:
    """(old content path → new one, file name → new path when only one page has that name)."""
    by_path: dict[str, str] = {}
    by_base: dict[str, str | None] = {}
    for post in posts:
        old = post.extra.get("content_path")
        if not old or post.extra.get("failed") or not post.out_path.startswith("content/"):
            continue
        new = _page_key(post.out_path[len("content/"):])
        key = _page_key(old)
        if key == new:
            continue
        by_path[key] = new
        base = key.rsplit("/", 1)[-1]
        by_base[base] = None if base in by_base else new
    return by_path, by_base


def _rewrite_refs(post: Post, by_path: dict[str, str], by_base: dict[str, str | None]) -> None:
    """``{{< ref "posts/ethereum/x" >}}`` → the page's new path (Hugo stops the build with
    REF_NOT_FOUND when a ref names a page that moved)."""
    here = os.path.dirname(post.extra.get("content_path") or "")
    changed = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal changed
        target = m.group(3)
        if not target:
            return m.group(0)
        key = _page_key(target)
        new = by_path.get(key) if target.startswith("/") else (
            by_path.get(_page_key(os.path.normpath(os.path.join(here, target)).replace(os.sep, "/")))
            or by_path.get(key))
        if new is None and "/" not in target.strip("/"):
            new = by_base.get(key)
        if new is None:
            return m.group(0)
        changed += 1
        return f"{m.group(1)}{m.group(2)}{'/' if target.startswith('/') else ''}{new}{m.group(4)}{m.group(5)}"

    post.body = _REF.sub(repl, post.body)
    if changed:
        post.note(f"{changed} {{{{< ref >}}}} target(s) → the pages' new paths")


def _rewrite_links(post: Post, hosts: set[str], by_old: dict[str, Post], by_name: dict[str, Post],
                   by_path: dict[str, str] | None = None) -> None:
    def post_url(m: re.Match[str], post: Post = post) -> str:
        name = m.group(1).rsplit("/", 1)[-1]
        name = re.sub(r"\.(md|markdown|html)$", "", name)
        target = by_name.get(name)
        if target is None:
            post.warn(f"{{% post_url {m.group(1)} %}}: no such post; kept")
            return m.group(0)
        post.note("{% post_url %} → new URL")
        return target.url

    if "{%" in post.body:
        post.body = _POST_URL.sub(post_url, post.body)
    if "](" not in post.body and "]:" not in post.body:
        return
    doc = bodymod.parse(post.body)
    edits = []
    for node in doc.nodes("link", "ref_def"):
        url = node.url
        if node.url_start < 0 or not url or url.startswith("#"):
            continue
        m = re.match(r"https?://([^/]+)", url, re.I)
        if m and m.group(1).lower() not in hosts:
            continue
        if not m and not url.startswith("/"):
            # a content path written as a link (posts/a/b/): a render hook that resolves links
            # with .GetPage (Hugo's embedded one, a theme's) finds the page by it; it follows
            # the page to its new path, and still means nothing where no hook reads it
            path, frag = url.partition("#")[::2]
            if by_path and "://" not in path and not path.startswith((".", "?")) and \
                    not re.search(r"\.\w+$", path) and _page_key(path) in by_path:
                new = by_path[_page_key(path)] + ("/" if path.endswith("/") else "") + ("#" + frag if frag else "")
                edits.append((node.url_start, node.url_end, new))
            continue
        key = _hugo.normalise_url(url).rstrip("/").lower()
        target = by_old.get(key)
        if target is not None and target.url != url:
            frag = "#" + url.split("#", 1)[1] if "#" in url else ""
            edits.append((node.url_start, node.url_end, target.url + frag))
    if edits:
        post.body = bodymod.splice(doc.text, edits)
        post.note(f"{len(edits)} link(s) to old URLs → new URLs")


def replace_refs(post: Post, mapping: dict[str, str]) -> None:
    """Rewrite image references (body and front matter) ``old → new``."""
    if not mapping:
        return
    doc = bodymod.parse(post.body)
    edits = []
    for node in doc.nodes("image", "link", "ref_def"):
        if node.url_start >= 0 and node.url in mapping:
            edits.append((node.url_start, node.url_end, mapping[node.url]))
    for node in doc.nodes("shortcode", "html_block", "html_inline"):
        snippet = doc.text[node.start:node.end]
        new = snippet
        for old, repl in mapping.items():
            new = new.replace(f'"{old}"', f'"{repl}"').replace(f"'{old}'", f"'{repl}'")
        if new != snippet:
            edits.append((node.start, node.end, new))
    if edits:
        post.body = bodymod.splice(doc.text, edits)
    post.meta = _replace_meta(post.meta, mapping)


def _replace_meta(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return mapping.get(value.strip(), value)
    if isinstance(value, list):
        return [_replace_meta(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: (_replace_meta(v, mapping) if k != "aliases" else v) for k, v in value.items()}
    return value


def unlink_images(post: Post, urls: set[str]) -> None:
    """``--images skip``: a remote image becomes a link to it (nothing is fetched or shown)."""
    doc = bodymod.parse(post.body)
    edits = []
    for node in doc.nodes("image"):
        if node.url in urls:
            edits.append((node.start, node.start + 1, ""))
    for node in doc.nodes("shortcode"):
        if node.text == "figure":
            m = re.search(r'src="([^"]+)"', node.url)
            if m and m.group(1) in urls:
                cap = re.search(r'caption="((?:[^"\\]|\\.)*)"', node.url)
                edits.append((node.start, node.end, f"[{cap.group(1) if cap else 'image'}]({m.group(1)})"))
    if edits:
        post.body = bodymod.splice(doc.text, edits)
        post.warn(f"{len(edits)} remote image(s) turned into links (--images skip)")


# --------------------------------------------------------------------------- files
def ordered_meta(meta: dict[str, Any]) -> dict[str, Any]:
    out = {k: meta[k] for k in FIRST_KEYS if k in meta}
    out.update({k: v for k, v in meta.items() if k not in out and k != "aliases"})
    if meta.get("aliases"):
        out["aliases"] = meta["aliases"]
    return out


def _clean(value: Any) -> Any:
    """``None`` left out (TOML cannot hold it; Hugo reads a missing key the same)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value if v is not None]
    return value


def post_text(post: Post, fmt: str) -> str:
    """Front matter through :mod:`blogtools.fmedit` (the same emitters the rules' fixes use)."""
    from blogtools import fmedit

    body = post.body.strip("\n")
    return fmedit.render_block(_clean(ordered_meta(post.meta)), fmt) + ("\n" + body + "\n" if body else "")


def used_shortcodes(posts: list[Post]) -> set[str]:
    names = set()
    for post in posts:
        for m in re.finditer(r"\{\{[<%]\s*([\w-]+)", post.body):
            names.add(m.group(1))
    return names


PER_LANGUAGE = {"menus", "menu", "params", "languages"}


def _languages_agree(cfg: dict[str, Any]) -> None:
    """``defaultContentLanguage`` names one of the kept ``[languages.*]`` (Hugo refuses to
    load the config otherwise): the first language then, by weight, as Hugo orders them."""
    languages = next((v for k, v in cfg.items() if k.lower() == "languages"), None)
    if not isinstance(languages, dict) or not languages:
        return
    key = next((k for k in cfg if k.lower() == "defaultcontentlanguage"), "defaultContentLanguage")
    names = {str(k).lower(): k for k in languages}
    if str(cfg.get(key, "")).lower() in names:
        return
    def weight(k: Any) -> tuple[int, str]:
        v = languages[k]
        w = v.get("weight") if isinstance(v, dict) else None
        return (w if isinstance(w, int) and w > 0 else 1 << 30, str(k))
    cfg[key] = str(sorted(languages, key=weight)[0])


# Emphasis next to punctuation, as CommonMark (Goldmark) reads it: a closing ``**`` after
# punctuation and before a letter (``**これ。**それ``), or an opening one after a letter and
# before punctuation (``それ**「これ」**``), is no delimiter and prints; kramdown and Medium
# made it bold. Hugo's CJK extension with ``escapedSpace`` reads ``\ `` as an invisible space
# that makes the delimiter one (verified with Hugo 0.168): ``**これ。**\ それ``.
_PUNCT = "。、！？．，：；」』）】〕〉》”’.,!?:;)\\]\"'「『（【〔〈《“‘(\\["
_OPEN_PUNCT = "「『（【〔〈《“‘(\\[\"'"
CJK_EMPHASIS = re.compile(
    rf"(?P<open>(?<=[^\s{_PUNCT}*_\\])(?=(?:\*\*|\*)[{_OPEN_PUNCT}]))"
    rf"|(?<=[{_PUNCT}])(?P<close>\*\*|\*)(?=[^\s{_PUNCT}*_\\])")


def cjk_openers(body: str) -> dict[int, bool]:
    """For each ``*``/``**`` run of one or two, whether it is the paragraph's first, third...
    of its length (an opener when they pair up); one pass."""
    count = {1: 0, 2: 0}
    out: dict[int, bool] = {}
    for m in re.finditer(r"\n[ \t]*\n|\*+", body):
        n = len(m.group(0))
        if m.group(0)[0] == "\n":
            count = {1: 0, 2: 0}
        elif n in count:
            out[m.start()] = count[n] % 2 == 0
            count[n] += 1
    return out


def cjk_space(e: re.Match[str], first: bool) -> str:
    """The replacement of a :data:`CJK_EMPHASIS` match: Hugo's escaped space only where the
    delimiter is the opener (closer) of its pair (``first``, from :func:`cjk_openers`): after
    punctuation before a letter an opener is one for Goldmark already (``です。**太字**も``),
    and so is a closer before punctuation (``**これ**「``). (Also used by
    :mod:`blogtools.migrate.kramdown_emphasis` to know what this pass will make of a paragraph.)"""
    if e.group("open") is not None:
        return "\\ " if first else ""
    return e.group(0) if first else e.group("close") + "\\ "


def cjk_emphasis(post: Post) -> None:
    """Emphasis delimiters beside punctuation made delimiters again (see above), outside code
    and HTML; the site then sets ``markup.goldmark.extensions.cjk`` (``escapedSpace``)."""
    if "*" not in post.body or not CJK.search(post.body):
        return
    opener = cjk_openers(post.body)
    body, n = bodymod.prose_sub(post.body, CJK_EMPHASIS, lambda e: cjk_space(e, opener.get(e.start(), True)))
    if n:
        post.body = body
        post.extra["cjk_escaped_space"] = True
        post.note(f"{n} emphasis delimiter(s) beside punctuation given an escaped space (\\ ) so Hugo renders"
                  " them bold, as the source did (markup.goldmark.extensions.cjk.escapedSpace)")


def site_config(site: SourceSite, posts: list[Post], unsafe: bool, emoji: bool) -> str:
    cfg: dict[str, Any] = {
        "baseURL": site.base_url or "https://example.org/",
        "title": site.title or "Migrated blog",
    }
    lang = site.language or ("ja" if any(KANA.search(p.title + p.body[:400]) for p in posts) else "")
    source_default = _hugo._setting(site.config, "defaultContentLanguage", None) if site.kind == "hugo" else None
    if lang:
        cfg["locale"] = lang  # languageCode before Hugo 0.158
        if isinstance(source_default, str) and source_default:
            cfg["defaultContentLanguage"] = source_default  # the source's own, not a guess
        elif re.fullmatch(r"[a-z]{2}", lang.split("-")[0].lower()):
            cfg["defaultContentLanguage"] = lang.split("-")[0].lower()
    if site.time_zone:
        cfg["timeZone"] = site.time_zone
    if any(CJK.search(p.title + p.body[:400]) for p in posts):
        cfg["hasCJKLanguage"] = True
    if emoji:
        cfg["enableEmoji"] = True
    if site.kind == "hugo":
        for key, value in site.config.items():
            if key.lower() == "languagecode" and "locale" in cfg:
                continue
            if key.lower() in DROPPED_CONFIG or any(k.lower() == key.lower() for k in cfg):
                continue
            if "." in key and key.split(".", 1)[0].lower() in PER_LANGUAGE:
                # config/_default/menus.en.toml: the menus of language en, not a key "menus.en"
                what, code = key.split(".", 1)
                languages = cfg.setdefault("languages", {})
                if isinstance(languages, dict):
                    languages.setdefault(code, {}).setdefault(what, value)
                continue
            cfg[key] = value
        kept = _taxonomy_permalinks(site.config, cfg)
        if kept:
            cfg["permalinks"] = kept
        _languages_agree(cfg)
    markup = cfg.setdefault("markup", {}) if isinstance(cfg.get("markup", {}), dict) else {}
    goldmark = markup.setdefault("goldmark", {})
    renderer = goldmark.setdefault("renderer", {})
    if unsafe:
        renderer["unsafe"] = True
    else:
        renderer.pop("unsafe", None)
        if not renderer:
            goldmark.pop("renderer")
        if not goldmark:
            markup.pop("goldmark")
        if not markup:
            cfg.pop("markup")
    if any(p.extra.get("cjk_escaped_space") for p in posts):
        markup = cfg.setdefault("markup", {})
        cjk = markup.setdefault("goldmark", {}).setdefault("extensions", {}).setdefault("cjk", {})
        cjk.update({"enable": True, "escapedSpace": True})
    if site.kind == "jekyll" and str(site.config.get("markdown") or "kramdown").lower() == "kramdown":
        # kramdown links no bare URL (https://…, www.…): they stay text, as the source showed
        # them (Goldmark's linkify would make links the source never had, some to pages gone)
        markup = cfg.setdefault("markup", {})
        markup.setdefault("goldmark", {}).setdefault("extensions", {}).setdefault("linkify", False)
    if any(p.extra.get("math_passthrough") for p in posts):
        # inline delimiters only: a $$ block is one paragraph, and $$ inside a paragraph
        # stays inline (as a block delimiter too, Hugo would cut the paragraph around it)
        markup = cfg.setdefault("markup", {})
        passthrough = markup.setdefault("goldmark", {}).setdefault("extensions", {}).setdefault("passthrough", {})
        if not passthrough.get("enable"):
            passthrough.update({"enable": True, "delimiters": {"inline": [["$$", "$$"]]}})
    if site.feed and not any(k.lower() == "outputformats" for k in cfg):
        # the old feed URL (jekyll-feed's /feed.xml) is Hugo's RSS under that name (an alias
        # cannot serve a feed: it is an HTML redirect); section feeds follow (/posts/feed.xml)
        cfg["outputFormats"] = {"RSS": {"baseName": site.feed.rsplit(".", 1)[0]}}
    if not any(k.lower() == "taxonomies" for k in cfg):
        cfg["taxonomies"] = {"tag": "tags", "category": "categories"}
    from blogtools import fmedit

    return fmedit.dump(_clean(cfg), "toml")[0]


def _target_site(source: SourceSite) -> Any:
    """The new site as the site model sees it before it is written: the taxonomies and the
    taxonomy permalinks it keeps from a Hugo source."""
    from blogtools.site import Site

    tax = _hugo._setting(source.config, "taxonomies", None)
    cfg: dict[str, Any] = {"taxonomies": tax} if isinstance(tax, dict) else {}  # else Hugo's tags and categories
    perm = _taxonomy_permalinks(source.config, cfg)
    if perm:
        cfg["permalinks"] = perm
    return Site(os.path.abspath(os.sep + "blogtools-migrate"), generator="hugo", config=cfg)


def _taxonomy_permalinks(config: dict[str, Any], cfg: dict[str, Any]) -> dict[str, Any]:
    """The source's permalinks of its taxonomy and term pages (``authors = "/author/:slug/"``):
    those pages keep their URLs (the posts' own permalinks go: their old URLs are aliases)."""
    perm = _hugo._setting(config, "permalinks", None)
    if not isinstance(perm, dict):
        return {}
    tax = next((v for k, v in cfg.items() if k.lower() == "taxonomies"), None)
    plurals = {v for v in tax.values() if isinstance(v, str)} if isinstance(tax, dict) else {"tags", "categories"}
    out: dict[str, Any] = {}
    for key, value in perm.items():
        if isinstance(value, str) and key in plurals:
            out[key] = value
        elif isinstance(value, dict) and key.lower() in ("term", "taxonomy"):
            sub = {k: v for k, v in value.items() if k in plurals and isinstance(v, str)}
            if sub:
                out[key] = sub
    return out


LAYOUTS = {
    "layouts/_default/baseof.html": (
        '<!DOCTYPE html>\n<html lang="{{ site.Language.Lang }}">\n<head>\n'
        '  <meta charset="utf-8">\n  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "  <title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>\n"
        '  {{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}\n</head>\n<body>\n'
        '  <header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>\n'
        '  <main>{{ block "main" . }}{{ end }}</main>\n</body>\n</html>\n'
    ),
    "layouts/_default/single.html": (
        '{{ define "main" }}\n<article>\n  <h1>{{ .Title }}</h1>\n'
        '  {{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">'
        '{{ .Date.Format "2006-01-02" }}</time>{{ end }}\n  {{ .Content }}\n'
        '  {{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">'
        "{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}\n</article>\n{{ end }}\n"
    ),
    "layouts/_default/list.html": (
        '{{ define "main" }}\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n'
        '  {{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}\n</ul>\n{{ end }}\n'
    ),
    "layouts/index.html": (
        '{{ define "main" }}\n<h1>{{ site.Title }}</h1>\n{{ .Content }}\n<ul>\n'
        '  {{ range where site.RegularPages "Section" "posts" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>'
        ' <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}\n</ul>\n{{ end }}\n'
    ),
}


def _old_sections(out: str, site: SourceSite, posts: list[Post], fmt: str) -> list[str]:
    """A Hugo source's section lists whose posts all moved to ``posts/`` (``/post/``, served
    by any theme's list layout) stay served, from ``content/posts/_index.md`` (unless the source
    has a page there already): the largest is its ``url``, so its feed stays too; the others
    are its aliases."""
    if site.kind != "hugo" or any(p.out_path == "content/posts/_index.md" for p in posts):
        return []
    # the old sections posts moved out of, with how many each
    sizes = Counter(p.extra["content_path"].split("/")[0] for p in posts
                    if p.kind == "post" and "/" in (p.extra.get("content_path") or "") and not p.draft)
    kept = {p.out_path.split("/")[1] for p in posts if p.kind == "page" and p.out_path.count("/") >= 2}
    olds = sorted(set(sizes) - kept - {"posts"}, key=lambda s: (-sizes[s], s))
    if not olds:
        return []
    # the largest old section's URL becomes the list's own (``url``): its list and its feed
    # (/post/index.xml) stay live at their old URLs; any other is an alias (an HTML redirect)
    url, aliases = f"/{_hugo.make_path(olds[0])}/", [f"/{_hugo.make_path(s)}/" for s in olds[1:]]
    meta: dict[str, Any] = {"title": "Posts", "url": url}
    if aliases:
        meta["aliases"] = aliases
    page = Post("content/posts/_index.md", meta, "", kind="page", page_path="posts/_index")
    page.out_path = "content/posts/_index.md"
    _write_post(out, page, fmt)
    notes = [f"content/posts/_index.md written with url {url}: the old section list and its feed"
             f" ({url}index.xml) stay at their URLs"]
    if aliases:
        notes.append(f"the other old section list(s) {', '.join(aliases)} are aliases of it (their feeds are not"
                     " kept: an alias is an HTML redirect)")
    return notes


def theme_names(config: dict[str, Any]) -> list[str]:
    theme = _hugo._setting(config, "theme", None)
    names = [theme] if isinstance(theme, str) else list(theme) if isinstance(theme, list) else []
    return [n for n in names if isinstance(n, str) and n and "/" not in n.strip("/")]


def theme_problems(out: str, site: SourceSite) -> list[str]:
    """Why a theme the config names cannot render the site: not there (a git submodule that
    was not checked out), or a folder without layouts (a built site copied in its place)."""
    if site.kind != "hugo":
        return []
    problems = []
    for name in theme_names(site.config):
        folder = os.path.join(out, "themes", name)
        submodule = _submodule_url(site.root, f"themes/{name}")
        if not os.path.isdir(folder) and submodule is not None:
            problems.append(f"theme missing: themes/{name} is a git submodule of the source that is not checked out"
                            f" ({submodule}); run `git submodule update --init themes/{name}` in the source and"
                            " migrate again (the content was compared without it)")
        elif not os.path.isdir(folder):
            problems.append(f"theme missing: themes/{name} is not in the source (a git submodule not checked out?);"
                            f" add it to themes/{name} (git submodule add <its repository> themes/{name}) before building")
        elif not os.path.isdir(os.path.join(folder, "layouts")) and not any(
                os.path.isfile(os.path.join(folder, n)) for n in ("theme.toml", "hugo.toml", "config.toml", "go.mod")):
            problems.append(f"theme missing: themes/{name} holds no layouts (a built site?); put the theme itself there")
    module = _hugo._setting(site.config, "module", None)
    imports = module.get("imports") if isinstance(module, dict) else None
    for imp in imports if isinstance(imports, list) else []:
        path = imp.get("path") if isinstance(imp, dict) else None
        if isinstance(path, str) and "." in path.split("/", 1)[0] and not os.path.isdir(os.path.join(out, "themes", path)) \
                and not os.path.isdir(os.path.join(out, "_vendor", path)):
            problems.append(f"theme missing: the Hugo module {path} is not in the new folder; fetch it with Go"
                            " (hugo mod get, which needs go.mod and the network) or vendor it (hugo mod vendor)")
    return problems


def _submodule_url(root: str, path: str) -> str | None:
    """The URL ``.gitmodules`` of ``root`` gives the submodule at ``path`` ("" without one), or
    None when it names no submodule there."""
    try:
        with open(os.path.join(root, ".gitmodules"), encoding="utf-8", errors="replace") as fh:
            text = fh.read(200_000)
    except OSError:
        return None
    for block in re.split(r"(?m)^\s*\[submodule\b", text)[1:]:
        m = re.search(r"(?m)^\s*path\s*=\s*(.+?)\s*$", block)
        if m and m.group(1).strip("/") == path:
            url = re.search(r"(?m)^\s*url\s*=\s*(.+?)\s*$", block)
            return url.group(1) if url else ""
    return None


def has_template(out: str, name: str) -> bool:
    candidates = [os.path.join(out, "layouts", d, f"{name}.html") for d in ("shortcodes", "_shortcodes")]
    themes = os.path.join(out, "themes")
    if os.path.isdir(themes):
        for theme in sorted(os.listdir(themes)):
            candidates += [os.path.join(themes, theme, "layouts", d, f"{name}.html") for d in ("shortcodes", "_shortcodes")]
    return any(os.path.isfile(c) for c in candidates)


def _write_post(out: str, post: Post, fmt: str) -> None:
    data = post_text(post, fmt).encode("utf-8")  # before anything is written
    path = os.path.normpath(os.path.join(out, post.out_path))
    if os.path.isabs(post.out_path) or not path.startswith(os.path.normpath(out) + os.sep):
        raise ValueError(f"{post.out_path}: would be written outside the output folder")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="en-US">
  <meta charset="utf-8">
  <title>Redirecting&hellip;</title>
  <link rel="canonical" href="{url}">
  <script>location="{url}"</script>
  <meta http-equiv="refresh" content="0; url={url}">
  <meta name="robots" content="noindex">
  <h1>Redirecting&hellip;</h1>
  <a href="{url}">Click here if you are not redirected.</a>
</html>
"""


def _write_redirect(out: str, path: str, post: Post) -> None:
    """The redirect page jekyll-redirect-from writes, at ``static/<path>`` (an old URL that
    names a file: Hugo's alias would be a folder); a static file already there is kept."""
    import html as htmlmod

    parts = [p for p in path.split("/") if p]
    if not parts or ".." in parts or "." in parts:
        return
    dest = os.path.join(out, "static", *parts)
    if os.path.lexists(dest):
        post.warn(f"old URL {path}: static{path} is a file of the site already; no redirect written")
        return
    try:
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(REDIRECT_PAGE.format(url=htmlmod.escape(post.url)))
    except OSError as exc:  # a file where a folder must be (/a.pdf, then /a.pdf/b.zip): that URL only
        post.warn(f"old URL {path}: no redirect written ({exc.strerror or exc})")


def write_site(out: str, site: SourceSite, posts: list[Post], fmt: str, unsafe: bool, emoji: bool,
               on_error: Callable[[Post, BaseException], None] | None = None) -> list[str]:
    """Write the pages, ``hugo.toml`` and the layouts; not the folders copied as they are nor
    the bundles' files (the pipeline copies those, checked). Returns notes. A page that
    cannot be written is handed to ``on_error`` (nothing of it is left on disk)."""
    notes = []
    for post in posts:
        # bodies whose ** the source made bold beside punctuation: kramdown's, and those
        # converted from the HTML the source served (Medium, Hatena's export, WordPress)
        if post.origin in ("jekyll", "medium") or "source_html" in post.extra:
            _guarded(on_error, post, lambda post=post: cjk_emphasis(post))
    for post in posts:
        _guarded(on_error, post, lambda post=post: _write_post(out, post, fmt))
    posts = [p for p in posts if not p.extra.get("failed")]
    written: set[str] = set()  # the shortcodes written for pages in this run
    for post in posts:
        for path in post.extra.get("redirect_files", ()):
            _write_redirect(out, path, post)
        if "hugo_template" in post.extra:  # a Jekyll page's Liquid as a shortcode (liquid.hugo_template)
            name, text = post.extra["hugo_template"][:2]
            if name in written:  # two pages whose names reduce alike (ブログ/index, アーカイブ/index)
                n = 2
                while f"{name}-{n}" in written or has_template(out, f"{name}-{n}"):
                    n += 1
                post.body = post.body.replace(f"{{{{< {name} >}}}}", f"{{{{< {name}-{n} >}}}}").replace(
                    f"{{{{% {name} %}}}}", f"{{{{% {name}-{n} %}}}}")
                name = f"{name}-{n}"
                _guarded(on_error, post, lambda post=post: _write_post(out, post, fmt))  # with the new name
            written.add(name)
            path = os.path.join(out, "layouts", "shortcodes", f"{name}.html")
            if not has_template(out, name):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
    notes += _old_sections(out, site, posts, fmt)
    config = site_config(site, posts, unsafe, emoji)
    bad = surrogates(config)
    if bad:
        config = replace_surrogates(config)
        notes.append(f"hugo.toml: {', '.join(bad)} (lone surrogate) cannot be written as UTF-8; replaced by U+FFFD")
    with open(os.path.join(out, "hugo.toml"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(config)
    if unsafe:
        had = site.kind == "hugo" and isinstance(_hugo._setting(site.config, "markup", None), dict) and \
            ((site.config.get("markup") or {}).get("goldmark") or {}).get("renderer", {}).get("unsafe") is True
        kept = sum(len(p.kept_raw) for p in posts)
        notes.append(f"markup.goldmark.renderer.unsafe = true {'kept from the source' if had else 'switched on'}:"
                     f" {kept} raw HTML element(s) kept as written, listed per post under 'kept raw'")
    if site.kind == "hugo" and _hugo._setting(site.config, "enableGitInfo", False) is True:
        notes.append("enableGitInfo dropped: the new folder is no git repository (Hugo fails without one);"
                     " set it again once the site is committed")
    notes += theme_problems(out, site)
    if not site.has_theme:
        for rel, text in LAYOUTS.items():
            path = os.path.join(out, rel)
            if not os.path.exists(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
        notes.append("no theme in the source: a minimal layout set was written to layouts/")
    for name in sorted(used_shortcodes(posts) & set(_embeds.PROJECT_SHORTCODES)):
        if has_template(out, name):
            continue
        path = os.path.join(out, "layouts", "shortcodes", f"{name}.html")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(_embeds.TEMPLATES[name])
        notes.append(f"shortcode template written: layouts/shortcodes/{name}.html")
    if any(p.extra.get("math_passthrough") for p in posts):
        rel_hook = os.path.join("layouts", "_markup", "render-passthrough.html")
        if not any(os.path.exists(os.path.join(out, d, "_markup", "render-passthrough.html"))
                   for d in ("layouts", os.path.join("layouts", "_default"))):
            os.makedirs(os.path.join(out, "layouts", "_markup"), exist_ok=True)
            with open(os.path.join(out, rel_hook), "w", encoding="utf-8", newline="\n") as fh:
                fh.write(PASSTHROUGH_HOOK)
            notes.append("render hook written: layouts/_markup/render-passthrough.html (kramdown math as \\(...\\),"
                         " HTML-escaped, as kramdown writes it for MathJax)")
    return notes


# kramdown's math output for MathJax: \( \) inline, \[ \] display; the TeX HTML-escaped (a raw
# ``x_{<t}`` would open a tag)
PASSTHROUGH_HOOK = ('{{- if eq .Type "block" -}}\\[{{ .Inner }}\\]'
                    '{{- else -}}\\({{ .Inner }}\\){{- end -}}\n')
