"""Hugo sources (including medium-to-hugo imports): content files → Posts.

Top-level pages (``content/about.md``) and section lists (``_index.md``) keep their path;
every other page is a post, re-bundled as ``posts/<slug>/index.md``. A post's old URL (from
its path, ``slug``, ``url`` and the site's ``permalinks``) and its aliases become aliases of
the new page. Bundle files travel with the post; a bundle image referenced by a stale
absolute path (the bundle folder was renamed since) is found by its path inside the bundle.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote

from blogtools.migrate import _hugo, body as bodymod
from blogtools.migrate.model import Asset, Post, SourceSite
from blogtools.migrate.util import Guard, isolated, load_document, rel, walk

MARKDOWN = (".md", ".markdown")
COPY_DIRS = ("static", "layouts", "themes", "assets", "data", "i18n", "archetypes", "_vendor")
MODULE_FILES = ("go.mod", "go.sum")  # a site whose theme is a Hugo module: `hugo mod get` needs them
IMAGE_KEYS = ("image", "images", "cover", "featured_image", "featuredImage", "thumbnail", "feature")


def _config(src: str, guard: Guard) -> tuple[Any, dict[str, Any], str]:
    """(loaded site or None, its config, a warning) — read only when every config file of
    SRC itself is a regular file inside it (never a folder above SRC, a FIFO or a link out)."""
    from blogtools.site import HUGO_CONFIGS, load_site

    files = [os.path.join(src, n) for n in HUGO_CONFIGS if os.path.lexists(os.path.join(src, n))]
    folder = os.path.join(src, "config", "_default")
    if os.path.isdir(folder):
        if not guard.inside(folder):
            guard.note(folder, guard.outside(folder))
            return None, {}, "config/_default/ not read: it leads outside the source"
        files += [os.path.join(folder, n) for n in sorted(os.listdir(folder))
                  if n.endswith((".toml", ".yaml", ".yml", ".json"))]
    if not files:
        return None, {}, ""
    refused = [f for f in files if not guard.allow(f)]
    if refused:
        names = ", ".join(rel(f, src) for f in refused)
        return None, {}, f"site configuration not read ({names}: see Not migrated)"
    loaded = load_site(src, "hugo")
    if os.path.abspath(loaded.root) != os.path.abspath(src):
        return None, {}, ""
    return loaded, loaded.config, ""


def read(src: str, skip: str | None = None, guard: Guard | None = None) -> tuple[SourceSite, list[Post], list[tuple[str, str]]]:
    guard = guard or Guard(src)
    loaded, config, why = _config(src, guard)
    site = SourceSite("hugo", src, config=dict(config))
    if why:
        site.warnings.append(why)
    site.title = str(_hugo._setting(config, "title", "") or "")
    site.base_url = str(_hugo._setting(config, "baseURL", "") or "")
    site.language = str(_hugo._setting(config, "locale", "") or _hugo._setting(config, "languageCode", "") or "")
    site.time_zone = str(_hugo._setting(config, "timeZone", "") or "")
    theme = _hugo._setting(config, "theme", None)
    layouts = os.path.join(src, "layouts")
    site.has_theme = bool(theme and os.path.isdir(os.path.join(src, "themes"))) or any(
        os.path.isfile(os.path.join(layouts, *p)) for p in (("_default", "single.html"), ("single.html",), ("page.html",)))
    for name in COPY_DIRS:
        if os.path.isdir(os.path.join(src, name)):
            site.copy_dirs.append((os.path.join(src, name), name))
    for name in MODULE_FILES:
        if os.path.isfile(os.path.join(src, name)):
            site.copy_files.append((os.path.join(src, name), name))
    if os.path.isdir(os.path.join(src, "config", "_default")) and not config:
        site.warnings.append("config/_default/ read for facts only; merge its other files into hugo.toml by hand")
    content = os.path.join(src, str(_hugo._setting(config, "contentDir", "content") or "content"))
    gen = _hugo.generator(loaded if config else None)
    posts: list[Post] = []
    skipped: list[tuple[str, str]] = []
    if not os.path.isdir(content):
        site.warnings.append(f"no content folder ({rel(content, src)}/)")
        return site, posts, skipped
    files = list(walk(content, skip, guard))
    leaves = {os.path.dirname(p) for p in files if os.path.basename(p).lower() in ("index.md", "index.markdown")}
    branches = {os.path.dirname(p) for p in files if BRANCH_INDEX.match(os.path.basename(p))}
    static = os.path.join(src, "static")
    for path in files:
        if not path.lower().endswith(MARKDOWN):
            if html_document(path, guard):
                _static_copy(site, path, content, static, "an HTML file without front matter, which Hugo 0.146+"
                             " refuses as content (security.allowContent)")
            else:
                _loose_file(site, path, content, static, leaves, branches)
            continue
        if _leaf_of(path, content, leaves):
            site.notes.append(f"{rel(path, src)}: a content file inside a page bundle (a resource of that page,"
                              " never a page of its own) travels with its bundle")
            continue
        post, why = isolated(read_post, path, content, src, gen, guard)
        if post is None:
            skipped.append((rel(path, src), why or "unreadable"))
        else:
            posts.append(post)
    return site, posts, skipped


def headless(meta: dict[str, Any]) -> bool:
    """A page Hugo never renders: ``headless: true`` or ``build.render: never`` (``false``)."""
    build = meta.get("build") if isinstance(meta.get("build"), dict) else meta.get("_build")
    render = build.get("render") if isinstance(build, dict) else None
    return meta.get("headless") is True or render is False or str(render).lower() == "never"


def html_document(path: str, guard: Guard | None) -> bool:
    """An ``.html`` file under content/ without front matter (a page written by hand)."""
    if not path.lower().endswith((".html", ".htm")) or (guard is not None and not guard.allow(path)):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(3)
    except OSError:
        return False
    return head not in (b"---", b"+++") and not head.startswith(b"{")


def _link_html_documents(post: Post, bundle: str, content: str, guard: Guard) -> None:
    """Links to an HTML document of the bundle (moved to ``static/`` at its path) name it by
    its root-relative URL: the post moves, the document does not."""
    from blogtools.migrate.target_hugo import replace_refs

    mapping = {}
    refs, _ = references(post)
    for ref in refs:
        name = unquote(ref.split("#", 1)[0].split("?", 1)[0])
        if not name or "/" in name.lstrip("./") or re.match(r"[a-z][a-z0-9+.-]*:", name, re.I):
            continue
        path = os.path.join(bundle, name)
        if html_document(path, guard):
            mapping[ref] = "/" + rel(path, content) + ref[len(ref.split("#", 1)[0].split("?", 1)[0]):]
    if mapping:
        replace_refs(post, mapping)
        post.note(f"{len(mapping)} link(s) to HTML files of the bundle → their URL (they are static files now)")


def _leaf_of(path: str, content: str, leaves: set[str]) -> str:
    """The leaf bundle folder holding ``path`` ("" when none does); a bundle's own index file
    is not held by it."""
    folder = os.path.dirname(path)
    if folder in leaves and os.path.basename(path).lower() in ("index.md", "index.markdown"):
        folder = os.path.dirname(folder)
    while len(folder) >= len(content):
        if folder in leaves:
            return folder
        folder = os.path.dirname(folder)
    return ""


# a branch bundle's index, in any language (``_index.md``, ``_index.zh-hans.md``)
BRANCH_INDEX = re.compile(r"_index(?:\.[\w-]+)?\.(?:md|markdown)$", re.I)


def _loose_file(site: SourceSite, path: str, content: str, static: str, leaves: set[str],
                branches: set[str] = frozenset()) -> None:
    """A file under content/ that no leaf bundle holds. Beside an ``_index.md`` it is a
    resource of that branch page, published under the page's URL (a term page at
    ``/author/:slug/`` publishes its avatar there, not at its folder's path): the page keeps
    its content path, so the file stays beside it. Anywhere else (``content/images/x.png``)
    Hugo publishes it at its path, so it goes to ``static/`` at that path."""
    if _leaf_of(path, content, leaves):
        return  # a bundle file: it travels with its post
    if os.path.dirname(path) in branches:
        r = rel(path, content)
        site.copy_files.append((path, f"content/{r}"))
        site.notes.append(f"{rel(path, site.root)} → content/{r} (a resource of the branch bundle beside it,"
                          " served under that page's URL)")
        return
    _static_copy(site, path, content, static, "a file outside any page bundle")


def _static_copy(site: SourceSite, path: str, content: str, static: str, what: str) -> None:
    r = rel(path, content)
    if os.path.lexists(os.path.join(static, r)):
        site.notes.append(f"{rel(path, site.root)} not migrated: static/{r} exists and is served at that URL")
        return
    site.copy_files.append((path, f"static/{r}"))
    site.notes.append(f"{rel(path, site.root)} → static/{r} ({what}, served at /{r})")


def read_post(path: str, content: str, src: str, gen: Any, guard: Guard | None = None) -> tuple[Post | None, str | None]:
    guard = guard or Guard(src)
    doc, why = load_document(path, guard)
    if doc is None:
        return None, why
    text = doc.text
    meta = dict(doc.meta)
    r = rel(path, content)
    parts = r.split("/")
    name = os.path.splitext(parts[-1])[0]
    leaf = name == "index"
    post = Post(rel(path, src), meta, text[doc.body_start:].lstrip("\n"), origin="hugo")
    post.extra["mtime"] = os.path.getmtime(path)
    post.extra["content_path"] = r  # what {{< ref >}} calls it
    if name == "_index" or len(parts) == 1 or (leaf and len(parts) == 2):
        post.kind = "page"
        post.page_path = os.path.splitext(r)[0]
    old, aliases, refused, _ = _hugo.page(gen, os.path.abspath(path), meta, os.path.abspath(content))
    if headless(meta):
        post.note("headless (never rendered): it had no URL, and has none")
    else:
        post.old_urls += [old] + aliases
    for why in refused:
        post.warn(f"alias not kept: {why}")
    meta.pop("aliases", None)
    if "_build" in meta and "build" not in meta:  # Hugo 0.145 removed `_build`: it stops the build
        meta["build"] = meta.pop("_build")
        post.note("`_build` → `build` (Hugo 0.145 removed `_build`)")
    if post.kind == "post":
        post.slug_hint = (meta.get("slug") if isinstance(meta.get("slug"), str) and meta["slug"].strip()
                          else parts[-2] if leaf else name)
        section = parts[0] if len(parts) > 1 else ""
        if section and section != "posts" and "type" not in meta and _section_layouts(src, section):
            meta["type"] = section  # its layouts render it in posts/ as they did in its section
            post.note(f"`type: {section}`: the layouts of its old section {section}/ render it")
        for key in ("slug", "url"):
            if key in meta:
                meta.pop(key)
                post.note(f"`{key}` dropped: the bundle folder names the page, the old URL is an alias")
    bundle = os.path.dirname(path) if leaf else None
    _collect_assets(post, bundle, old, src, guard)
    if bundle and post.kind == "post":
        post.extra["bundle_url"] = old  # its files were served there: see old_bundle_files
    if bundle:
        _link_html_documents(post, bundle, content, guard)
    if bodymod.looks_like_medium(doc.meta, post.body):
        post.origin = "medium-to-hugo"
        bodymod.medium_cleanup(post)
    return post, None


_SECTION_LAYOUTS: dict[tuple[str, str], bool] = {}


def _section_layouts(src: str, section: str) -> bool:
    """Whether the site or one of its themes has layouts for ``section`` (``layouts/post/``)."""
    key = (src, section)
    if key not in _SECTION_LAYOUTS:
        roots = [os.path.join(src, "layouts")]
        themes = os.path.join(src, "themes")
        if os.path.isdir(themes):
            roots += [os.path.join(themes, t, "layouts") for t in sorted(os.listdir(themes))]
        _SECTION_LAYOUTS[key] = any(os.path.isdir(os.path.join(r, section)) for r in roots)
    return _SECTION_LAYOUTS[key]


def _meta_strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, list):
        for v in value:
            _meta_strings(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            _meta_strings(v, out)


def references(post: Post) -> tuple[list[str], set[str]]:
    """(every image or link destination in the body and image-like front matter values,
    the ones that are images)."""
    doc = bodymod.parse(post.body)
    refs = [n.url for n in doc.nodes("image", "link", "ref_def") if n.url]
    images = {n.url for n in doc.nodes("image")}
    refs += re.findall(r"""\bsrc\s*=\s*["']([^"']+)["']""", " ".join(
        doc.text[n.start:n.end] for n in doc.nodes("html_block", "html_inline", "shortcode")))
    for key in IMAGE_KEYS:
        strings: list[str] = []
        _meta_strings(post.meta.get(key), strings)
        refs += strings
        images.update(strings)
    return refs, images


def _collect_assets(post: Post, bundle: str | None, page_url: str, src: str, guard: Guard | None = None) -> None:
    guard = guard or Guard(src)
    files: dict[str, str] = {}
    if bundle:
        for f in walk(bundle, None, guard):
            r = rel(f, bundle)
            # content files (home/about.md of a headless bundle) are resources too: Hugo renders none alone
            if r.lower() not in ("index.md", "index.markdown") and guard.allow(f) and not html_document(f, guard):
                files[r] = f
    by_name: dict[str, Asset] = {}
    for name, f in sorted(files.items()):
        by_name[name] = Asset(name, src=f)
    refs, images = references(post)
    for ref in refs:
        if re.match(r"[a-z][a-z0-9+.-]*:", ref, re.I) or ref.startswith(("//", "#")):
            if re.match(r"https?://", ref, re.I) and ref in images:
                post.assets.append(Asset("", url=ref, refs={ref}))
            continue
        target = _bundle_file(ref, page_url, files, post)
        if target:
            by_name[target].refs.add(ref)
    post.assets = [a for a in by_name.values()] + [a for a in post.assets if a.url]


def old_bundle_files(posts: list[Post]) -> list[tuple[str, str]]:
    """(bundle file, ``static/<old URL><name>``) for every file of a post bundle whose page
    moved: the source served each beside its page, and links from elsewhere may name that
    URL, so it keeps resolving (the copy in the new bundle is the one the post uses)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for post in posts:
        old = post.extra.get("bundle_url")
        if not isinstance(old, str) or not old.endswith("/") or not post.url or post.url == old:
            continue
        base = unquote(old).strip("/")
        for asset in post.assets:
            if not asset.src or ".." in asset.name.split("/") or asset.name.lower().endswith(MARKDOWN):
                continue
            dest = f"static/{base}/{asset.name}" if base else f"static/{asset.name}"
            if dest not in seen and ".." not in dest.split("/"):
                seen.add(dest)
                out.append((asset.src, dest))
    return out


def _bundle_file(ref: str, page_url: str, files: dict[str, str], post: Post) -> str | None:
    path = unquote(ref.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if not path.startswith("/"):
        candidate = os.path.normpath(path).replace(os.sep, "/")
        if candidate in files:
            return candidate
        # another case (ZKEVM-model.png for zkevm-model.png): Hugo's own image hook finds a
        # page resource without regard to case; the reference is written as the file is named
        other = [name for name in files if name.lower() == candidate.lower()]
        if len(other) == 1:
            post.note(f"bundle file named in another case: {ref} → {other[0]}")
            return other[0]
        return None
    own = unquote(page_url)
    if path.lower().startswith(own.lower()) and path[len(own):] in files:
        return path[len(own):]
    segments = path.strip("/").split("/")
    # a stale absolute path into this post's bundle under an older folder name
    for k in range(1, len(segments)):
        tail = "/".join(segments[k:])
        if tail in files and k >= 2:
            post.note(f"stale bundle path repaired: {ref} → {tail}")
            return tail
    return None
