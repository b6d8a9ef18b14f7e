"""The site: generator profile, its configuration and (after the per-file pass) every page.

In the per-file pass a rule sees a Site with the profile and config but no pages; site-wide
rules (``check_site``) see every page's facts, and ``site.model()`` turns them into the
:class:`SiteModel`: one :class:`Page` per content file with its URL(s), aliases and resource
folder, the pages without a file of their own (home, sections, taxonomy terms), and indexes
by URL, alias and path. The URLs are computed the way the generator computes them
(:mod:`blogtools.generators`), from facts only: nothing here reads a content file.

Files (bundle resources, static files) are looked up lazily with exact-case folder listings,
so a 10,000-page site pays only for the links it checks, and a case-only mismatch is found
even on a case-insensitive disk.
"""

from __future__ import annotations

import os
import posixpath
import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, Iterable

from blogtools import _toml
from blogtools import kramdown_body
from blogtools import facts as _facts
from blogtools.record import dataclass, field
from blogtools.urls import unquote, urlsplit


HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
                "config.toml", "config.yaml", "config.yml", "config.json")
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
HATENA_CONFIGS = ("blogsync.yaml", "blogsync.yml")  # a Hatena Blog tree synced with blogsync
# The facts the model and the checks built on it read: the Rule.reads_facts of the link,
# image and alias rules (the word facts, a sixth of a file's cost, are not among them).
MODEL_FACTS = ("front_matter", "site", "headings", "links")


@dataclass
class Site:
    """A site. ``Site(path)`` (generator ``"auto"``) finds the site around ``path`` the way
    :func:`load_site` does; with a generator named, the fields are taken as given."""

    root: str
    generator: str = "auto"
    config_file: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)  # facts, one per document

    def __post_init__(self) -> None:
        if self.generator == "auto":
            found = load_site(self.root) if os.path.isdir(self.root) or os.path.isfile(self.root) else None
            if found is None or found.generator == "auto":
                self.generator = "plain"
            else:
                self.root, self.generator = found.root, found.generator
                self.config_file, self.config = found.config_file, found.config or self.config

    def setting(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.config
        for part in dotted.split("."):
            if not isinstance(node, dict):
                return default
            # Hugo keys are case-insensitive
            match = next((k for k in node if str(k).lower() == part.lower()), None)
            if match is None:
                return default
            node = node[match]
        return node

    @property
    def profile(self) -> Any:
        """The generator profile (:mod:`blogtools.generators`), made once per Site."""
        cached = self.__dict__.get("_profile")
        if cached is None or cached.name != self.generator:
            from blogtools.generators import for_site

            cached = self.__dict__["_profile"] = for_site(self)
        return cached

    def is_content(self, path: str) -> bool:
        """``path`` is a content file of the site (under a content folder; Hugo's ``archetypes/``,
        a README or a theme's files are not)."""
        full = os.path.abspath(path)
        dirs = self.__dict__.get("_content_dirs")
        if dirs is None:
            try:
                dirs = [os.path.abspath(d).rstrip(os.sep) + os.sep for d, _ in self.profile.content_dirs()]
            except Exception:  # noqa: BLE001 - an odd config: treat everything as content
                dirs = [os.path.abspath(self.root).rstrip(os.sep) + os.sep]
            self.__dict__["_content_dirs"] = dirs
        return any(full.startswith(d) for d in dirs)

    def content_folders(self) -> list[str] | None:
        """The folders whose Markdown files are the site's content, for discovery: Hugo's
        content folders (contentDir, per-language ones, module mounts); None where every
        folder may hold content (Jekyll, a plain folder of posts)."""
        if self.generator != "hugo" or not self.config_file:
            return None  # (a generator named on the command line for a loose folder)
        try:
            return [d for d, _ in self.profile.content_dirs()]
        except Exception:  # noqa: BLE001 - an odd config: do not restrict
            return None

    def model(self) -> "SiteModel":
        """The site model over ``self.pages`` (built once per list of pages)."""
        cached = self.__dict__.get("_model")
        if cached is None or cached.source is not self.pages or cached.count != len(self.pages):
            cached = self.__dict__["_model"] = SiteModel(self, self.pages, self.__dict__.pop("_prepared", None))
        return cached

    def prepare(self, pages: Iterable[dict[str, Any]]) -> None:
        """Do the page-local part of the model for ``pages`` (facts) now, before the site is
        complete: the runner calls this as the workers' results arrive, so that the work is
        done while the workers still use the cores, not after them. The next :meth:`model`
        takes what was prepared for the facts it is built from (the same objects)."""
        prepared = self.__dict__.get("_prepared")
        if prepared is None:
            prepared = self.__dict__["_prepared"] = SiteModel(self, [])
        prepared.prepare(pages)

    def drop_prepared(self) -> None:
        """Forget what :meth:`prepare` made (a run whose model was not built, or failed)."""
        self.__dict__.pop("_prepared", None)

    def __getstate__(self) -> dict[str, Any]:  # caches stay in the process that built them
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}


# --------------------------------------------------------------------------- loading
def find_site_root(start: str) -> str | None:
    here = os.path.abspath(start)
    if os.path.isfile(here):
        here = os.path.dirname(here)
    while True:
        if any(os.path.isfile(os.path.join(here, n)) for n in HUGO_CONFIGS + JEKYLL_CONFIGS + HATENA_CONFIGS) \
                or os.path.isdir(
            os.path.join(here, "config", "_default")
        ):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load_site(start: str, generator: str = "auto") -> Site:
    """Detect the generator from the config files above ``start`` and read its config."""
    generator = generator or "auto"
    root = find_site_root(start)
    if root is None and generator in ("auto", "hatena"):
        root = hatena_tree_root(start)
        if root is not None:
            site = Site(root, "hatena")
            return site
    if root is None:
        base = os.path.abspath(start) if os.path.isdir(start) else os.path.dirname(os.path.abspath(start))
        return Site(base, "plain" if generator == "auto" else generator)
    site = Site(root, "plain")
    for name in HUGO_CONFIGS:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            site.generator, site.config_file, site.config = "hugo", path, _read_config(path)
            # Hugo merges the config folder over the root file, then the build's environment
            # (production for `hugo`): a real blog kept unsafe = true in config/_default/ and a
            # comment-only config.toml at the root.
            for env in ("_default", "production"):
                folder = os.path.join(root, "config", env)
                if os.path.isdir(folder):
                    site.config = _deep_merge(site.config, _read_config_dir(folder)[1])
            break
    else:
        default = os.path.join(root, "config", "_default")
        jekyll = next((os.path.join(root, n) for n in JEKYLL_CONFIGS if os.path.isfile(os.path.join(root, n))), None)
        if os.path.isdir(default):
            site.generator = "hugo"
            site.config_file, site.config = _read_config_dir(default)
            production = os.path.join(root, "config", "production")
            if os.path.isdir(production):
                site.config = _deep_merge(site.config, _read_config_dir(production)[1])
        elif jekyll:
            site.generator, site.config_file, site.config = "jekyll", jekyll, _read_config(jekyll)
        else:
            hatena = next((os.path.join(root, n) for n in HATENA_CONFIGS if os.path.isfile(os.path.join(root, n))),
                          None)
            if hatena:
                site.generator, site.config_file, site.config = "hatena", hatena, _read_config(hatena)
    if generator != "auto":
        site.generator = generator
    return site


def hatena_tree_root(start: str) -> str | None:
    """The folder holding ``<blog-host>/entry/`` (blogsync's layout without its
    ``blogsync.yaml``: only the synced entries were committed), at or above ``start``."""
    here = os.path.abspath(start)
    if os.path.isfile(here):
        here = os.path.dirname(here)
    parts = here.split(os.sep)
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "entry" and "." in parts[i - 1] and i >= 2:
            return os.sep.join(parts[: i - 1]) or os.sep
    try:
        with os.scandir(here) as entries:  # folders only (the file type comes with the listing)
            hosts = [e.name for e in entries if "." in e.name and not e.name.startswith(".") and e.is_dir()]
    except OSError:
        return None
    return here if any(os.path.isdir(os.path.join(here, name, "entry")) for name in hosts) else None


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base`` (tables merged key by key, ``over`` winning; keys
    compared without case, as Hugo does)."""
    out = dict(base)
    lower = {str(k).lower(): k for k in out}
    for key, value in over.items():
        mine = lower.get(str(key).lower())
        if mine is not None and isinstance(out[mine], dict) and isinstance(value, dict):
            out[mine] = _deep_merge(out[mine], value)
        else:
            if mine is not None:
                del out[mine]
            out[key] = value
            lower[str(key).lower()] = key
    return out


def _read_config_dir(folder: str) -> tuple[str | None, dict[str, Any]]:
    """Hugo's ``config/_default/``: ``hugo.*``/``config.*`` at the top, ``X.toml`` under key X."""
    merged: dict[str, Any] = {}
    main = None
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None, {}
    for name in names:
        stem, ext = os.path.splitext(name)
        if ext not in (".toml", ".yaml", ".yml", ".json"):
            continue
        path = os.path.join(folder, name)
        data = _read_config(path)
        if stem in ("hugo", "config"):
            main = main or path
            for k, v in data.items():
                merged.setdefault(k, v)
        else:
            # languages.toml holds the languages table itself; params.toml the params
            merged[stem] = data if stem not in merged else {**data, **merged[stem]}
    return main or folder, merged


def _read_config(path: str) -> dict[str, Any]:
    try:
        from blogtools import safefs

        raw = safefs.read_bytes(path, 16 << 20)  # (never blocks: a FIFO named hugo.toml is refused)
        if path.endswith(".toml"):
            return _toml.tomllib().loads(raw.decode("utf-8"))
        if path.endswith(".json"):
            import json

            data = json.loads(raw.decode("utf-8"))
            return data if isinstance(data, dict) else {}
        from blogtools.yamlload import load

        data = load(raw.decode("utf-8-sig")).data
        return data if isinstance(data, dict) else {}
    except Exception:  # a broken site config is reported by lint, never a crash here
        return {}


# --------------------------------------------------------------------------- the model
@dataclass(slots=True)
class Alias:
    raw: str  # as written in the front matter
    url: str  # where the generator writes the redirect page (a URL path); "" when it cannot
    index: int  # position in the aliases list (-1 for a string value)
    error: str = ""  # why the generator rejects it


@dataclass(slots=True)
class Page:
    path: str  # as shown to the user
    abspath: str
    rel: str  # relative to the content folder, "/"-separated ("" for generated pages)
    kind: str  # page | section | home | taxonomy | term | redirect
    url: str  # URL path of the page, decoded, starting with "/"
    lang: str = ""
    title: str = ""
    aliases: list[Alias] = field(default_factory=list)
    bundle_dir: str = ""  # the folder holding the page's resources ("" when none)
    resource_url: str = ""  # URL folder the resources are published under
    leaf: bool = False  # a leaf bundle: every file below bundle_dir is a resource
    published: bool = True
    unpublished_why: str = ""
    facts: dict[str, Any] | None = None

    def output_file(self) -> str:
        """The file the generator writes, relative to the output folder."""
        return output_file(self.url)


def absolute(path: str) -> str:
    """``os.path.abspath(path)``, without its work for a path that is already absolute and
    normal (the paths discovery gives: every page's, so the site model asks 10,000 times)."""
    if os.sep == "/" and path.startswith("/") and "/." not in path and "//" not in path and not path.endswith("/"):
        return path
    return os.path.abspath(path)


def output_file(url: str) -> str:
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


_SLASHES = re.compile(r"/{2,}")


def url_key(url: str) -> str:
    """Lookup key of a URL path: decoded, ``/index.html`` dropped, a folder ends in ``/``."""
    path = unquote(url) if "%" in url else url
    if not path.startswith("/"):
        path = "/" + path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        if "." not in last:
            path += "/"
    return _SLASHES.sub("/", path) if "//" in path else path


_IMAGE = object()  # (an image in a list of split links: the image rules resolve images)


@dataclass(slots=True)
class Target:
    """What an internal URL resolves to."""

    kind: str  # page | alias | resource | static | list | content
    url: str  # canonical URL path (for an alias: the page's URL)
    page: Page | None = None
    file: str = ""  # a resource or static file on disk
    alias: Alias | None = None


@dataclass(slots=True)
class Ref:
    """An internal link split up: the URL path it points at and its fragment."""

    path: str  # absolute URL path, decoded; "" for a same-page fragment
    fragment: str  # decoded, without "#"
    query: str


class SiteModel:
    """Pages of a site with their URLs, and indexes over them."""

    def __init__(self, site: Site, pages: list[dict[str, Any]], prepared: "SiteModel | None" = None) -> None:
        """``prepared``: a model whose :meth:`prepare` made pages ahead (see :meth:`Site.prepare`)."""
        self.site = site
        self.source = pages
        self.count = len(pages)
        self.profile = site.profile
        self.content_dirs = [(os.path.abspath(d), lang) for d, lang in self.profile.content_dirs()]
        self.static_dirs = [os.path.abspath(d) for d in self.profile.static_dirs()]
        self.pages: list[Page] = []
        self.by_abspath: dict[str, Page] = {}
        # Pages and link splits made ahead, by the facts' identity (kept only for facts that
        # are still the very objects they were made from, with the same profile).
        ahead = prepared._ahead if prepared is not None and prepared.site is site \
            and prepared.profile is self.profile and prepared.base_url == _base_url(site) else {}
        self._ahead: dict[int, tuple[dict[str, Any], Page | None, list[tuple[dict[str, Any], Any]] | None]] = {}
        self._splits: dict[str, list[tuple[dict[str, Any], Any]]] = {}
        for f in pages:
            if not f:
                continue
            hit = ahead.get(id(f))
            if hit is not None and hit[0] is f:
                page = hit[1]
                if page is not None and hit[2] is not None:
                    self._splits[page.abspath] = hit[2]
            else:
                page = self._page(f)
            if page is not None:
                self.pages.append(page)
                self.by_abspath[page.abspath] = page
        self.generated = self.profile.list_pages(self.pages)
        self.by_url: dict[str, Page] = {}
        self.by_alias: dict[str, list[tuple[Page, Alias]]] = {}
        for page in self.pages + self.generated:
            self.by_url.setdefault(url_key(page.url), page)
        for page in self.pages:
            for alias in page.aliases:
                if alias.url:
                    self.by_alias.setdefault(url_key(alias.url), []).append((page, alias))
        self._resource_roots: dict[str, Page] = {}
        first_lang: dict[str, Page] = {}  # a bundle shared by translations publishes its files once
        for page in self.pages:
            if page.bundle_dir and page.published:
                best = first_lang.get(page.bundle_dir)
                if best is None or self.profile.language_rank(page.lang) < self.profile.language_rank(best.lang):
                    first_lang[page.bundle_dir] = page
        for page in self.pages + self.generated:
            if page.bundle_dir and page.published and first_lang.get(page.bundle_dir, page) is page:
                self._resource_roots.setdefault(url_key(page.resource_url or page.url), page)
        self._listings: dict[str, dict[str, Any]] = {}
        self._bundles: dict[str, bool] = {}
        self._ci: bool | None = None
        self._anchors: dict[str, set[str]] = {}
        self._fuzzy: Any = None
        self.base_url = _base_url(site)
        self._base_host = _host(urlsplit(self.base_url).netloc) if self.base_url else ""
        # The path the site is served under ("/blog" for https://example.com/blog/): a
        # root-relative link must carry it (Goldmark writes "/posts/x/" as it is, which the
        # browser takes to the host's root), and page URLs in this model do not.
        self.base_path = urlsplit(self.base_url).path.rstrip("/") if self.base_url else ""
        if not self.base_url and site.generator == "jekyll":  # baseurl without url: the path alone
            base = str(site.setting("baseurl", "") or "").strip().strip("/")
            self.base_path = "/" + base if base and "{" not in base else ""
        self._links: dict[str, list[tuple[dict[str, Any], Ref | None, Target | None]]] = {}
        self._suggestions: dict[str, list[str]] = {}
        self._images: dict[tuple[Any, ...], Any] = {}

    # -- pages -------------------------------------------------------------------------
    def _page(self, f: dict[str, Any]) -> Page | None:
        abspath = absolute(f.get("abspath") or f.get("path") or "")
        for folder, lang in self.content_dirs:
            if abspath.startswith(folder.rstrip(os.sep) + os.sep):
                try:
                    return self.profile.make_page(f, folder, lang)
                except Exception:  # noqa: BLE001 - odd front matter never stops the run
                    return None
        return None

    def prepare(self, pages: Iterable[dict[str, Any]]) -> None:
        """Make the pages of ``pages`` (facts) and split their links, for a later model."""
        for f in pages:
            if f:
                page = self._page(f)
                self._ahead[id(f)] = (f, page, self._split_links(page) if page is not None else None)

    def name(self, page: Page) -> str:
        """A page's file relative to the site root (how messages name another page)."""
        if not page.abspath:
            return f"the {page.kind} page {page.url}"
        prefix = self.site.root.rstrip(os.sep) + os.sep
        return page.abspath[len(prefix):].replace(os.sep, "/") if page.abspath.startswith(prefix) else page.path

    def page_of(self, facts: dict[str, Any]) -> Page | None:
        """The page made from a file's facts (None for a file outside the content folders)."""
        return self.by_abspath.get(absolute(facts.get("abspath") or facts.get("path") or ""))

    # -- links -------------------------------------------------------------------------
    def _in_site(self, path: str) -> str | None:
        """A root-relative path as a URL of this model: the base path taken off; None for a
        path outside it (on a site served under /blog/, "/about/" is another application's
        or nothing: it cannot be judged from the site)."""
        prefix = self.base_path
        if not prefix:
            return path
        if path == prefix:
            return "/"
        if path.startswith(prefix + "/"):
            return path[len(prefix):]
        return None

    def another_site(self, path: str) -> bool:
        """Whether ``path`` may be served by another site on the same host, which this one
        cannot judge: on a GitHub Pages user site (``https://USER.github.io/``, or its custom
        domain, named in a ``CNAME`` file) every other repository of the user is published at
        ``/<repository>/``, so a path whose first segment is no top-level page, section or
        file of this site may well work."""
        if self.profile.serves_unlisted(path):
            return True
        pages_site = self.__dict__.get("_pages_site")
        if pages_site is None:
            pages_site = self._base_host.endswith(".github.io") or _user_pages_repo(self.site.root) and any(
                os.path.isfile(os.path.join(folder, "CNAME")) for folder in [self.site.root, *self.static_dirs])
            self.__dict__["_pages_site"] = pages_site
        if not pages_site or self.base_path:
            return False
        first = path.strip("/").split("/", 1)[0]
        if not first:
            return False
        tops = self.__dict__.get("_tops")
        if tops is None:
            tops = {p.url.strip("/").split("/", 1)[0].lower() for p in self.pages + self.generated}
            for folder in self.static_dirs:
                try:
                    tops.update(name.lower() for name in os.listdir(folder))
                except OSError:
                    pass
            self.__dict__["_tops"] = tops
        return first.lower() not in tops

    def href(self, url: str) -> str:
        """How content links to ``url`` (a URL of this model): under the base path."""
        return self.base_path + url if url.startswith("/") else url

    def split(self, url: str, page: Page | None) -> Ref | None:
        """An internal link as a :class:`Ref`; None for external links, templates, e-mail,
        and every link on a site whose URLs the model does not know."""
        if not self.profile.judges_links:
            return None
        url = url.strip()
        if not url or "{{" in url or "{%" in url or "\x1a" in url:
            return None  # a template or a masked shortcode, not a URL
        if url.startswith("#"):
            return Ref("", unquote(url[1:]), "")
        host = self._base_host
        if _SCHEME.match(url) and (not host or host not in url[: len(host) + 16].lower()):
            return None  # another site (the common case: answered without parsing)
        if ":" not in url and "?" not in url and "#" not in url:  # a plain path: no parsing needed
            path = url
            if not path.startswith("/"):
                if page is None:
                    return None
                path = resolve_relative(page.url, path)
            else:
                if "/." in path or "//" in path:
                    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
                if self.base_path:
                    path = self._in_site(path)  # type: ignore[assignment]
                    if path is None:
                        return None
            return Ref(unquote(path) if "%" in path else path, "", "")
        parts = urlsplit(url)
        if parts.scheme or url.startswith("//"):
            if parts.scheme not in ("http", "https") or not self.base_url:
                return None
            base = urlsplit(self.base_url)
            if _host(parts.netloc) != _host(base.netloc):
                return None
            path = parts.path or "/"
            prefix = base.path.rstrip("/")
            if prefix and (path + "/").startswith(prefix + "/"):
                path = path[len(prefix) :] or "/"
            elif prefix:
                return None  # the same host, outside the site's base path
            return Ref(unquote(path), unquote(parts.fragment), parts.query)
        path = parts.path
        if not path:
            return Ref("", unquote(parts.fragment), parts.query)
        if not path.startswith("/"):
            if page is None:
                return None
            path = resolve_relative(page.url, path)
        else:
            path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
            if self.base_path:
                path = self._in_site(path)  # type: ignore[assignment]
                if path is None:
                    return None
        return Ref(unquote(path), unquote(parts.fragment), parts.query)

    def resolve(self, path: str) -> Target | None:
        """What a URL path is on the built site (page, alias, resource or static file)."""
        key = url_key(path)
        page = self.by_url.get(key)
        if page is not None:
            return Target("page" if page.rel else "list", page.url, page)
        hits = self.by_alias.get(key)
        if hits:
            owner, alias = hits[0]
            return Target("alias", owner.url, owner, alias=alias)
        if not key.endswith("/"):
            page = self.by_url.get(key + "/")
            if page is not None:
                return Target("page" if page.rel else "list", page.url, page)
            if self.profile.writes_output(key, self):
                return Target("output", key)
        return self.find_file(path)

    def find_file(self, path: str, exact: bool = True) -> Target | None:
        """A resource or static file at URL ``path``; with ``exact=False`` case is ignored."""
        path = unquote(path)
        if path.endswith("/"):  # a folder: a web server answers with its index.html
            parts = [p for p in path.strip("/").split("/") if p] + ["index.html"]
            for folder in self.static_dirs:
                hit = self.locate(folder, parts, exact)
                if hit:
                    return Target("static", path, None, file=hit)
            return None
        parts = path.strip("/").split("/")
        for i in range(len(parts) - 1, -1, -1):
            owner = self._resource_roots.get(url_key("/" + "/".join(parts[:i]) + "/") if i else "/")
            if owner is None:
                continue
            hit = self.locate(owner.bundle_dir, parts[i:], exact, branch=not owner.leaf)
            if hit:
                return Target("resource", owner.resource_url + "/".join(_hit_parts(hit, owner.bundle_dir)),
                              owner, file=hit)
        for folder in self.static_dirs:
            hit = self.locate(folder, parts, exact)
            if hit:
                return Target("static", "/" + "/".join(_hit_parts(hit, folder)), None, file=hit)
        hit = self.profile.static_file("/" + "/".join(parts), self) if exact else None
        if hit:
            return Target("static", "/" + "/".join(parts), None, file=hit)
        return None

    def locate(self, folder: str, parts: list[str], exact: bool = True, branch: bool = False) -> str | None:
        """The file ``folder/parts...`` with exact case (or any case), or None.

        ``branch``: the folder is a section's; its sub-folders that are bundles or sections
        publish their files under their own page, so they are not entered. On a
        case-sensitive disk an exact lookup is one ``stat``; otherwise (and to find a file
        whose case differs) folder listings are compared, cached per model.
        """
        if not parts or "" in parts or "." in parts or ".." in parts:
            return None
        if exact and not self._case_insensitive(folder):
            # (``os.path.join`` without its checks: no part is empty or holds a separator)
            full = folder + os.sep + os.sep.join(parts) if os.sep not in "".join(parts) and \
                not folder.endswith(os.sep) else os.path.join(folder, *parts)
            if not os.path.isfile(full):
                return None
            if branch and len(parts) > 1 and any(self._bundle(os.path.join(folder, *parts[:k]))
                                                  for k in range(1, len(parts))):
                return None
            return full
        here = folder
        for k, name in enumerate(parts):
            if branch and k and self._bundle(here):
                return None
            listing = self._listing(here)
            if name in listing["exact"]:
                real = name
            elif not exact and name.lower() in listing["lower"]:
                real = listing["lower"][name.lower()][0]
            else:
                return None
            here = os.path.join(here, real)
        return here if os.path.isfile(here) else None

    def _case_insensitive(self, folder: str) -> bool:
        """The disk under ``folder`` ignores case (macOS, Windows); checked once per model."""
        if self._ci is None:
            probe = folder.rstrip(os.sep)
            swapped = probe[:-1] + probe[-1].swapcase() if probe and probe[-1].isalpha() else ""
            self._ci = bool(swapped) and swapped != probe and os.path.exists(swapped) \
                and os.path.samefile(probe, swapped)
        return self._ci

    def _bundle(self, folder: str) -> bool:
        flag = self._bundles.get(folder)
        if flag is None:
            flag = self._bundles[folder] = _is_bundle(self._listing(folder)["exact"])
        return flag

    def _listing(self, folder: str) -> dict[str, Any]:
        cached = self._listings.get(folder)
        if cached is None:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            lower: dict[str, list[str]] = {}
            for n in names:
                lower.setdefault(n.lower(), []).append(n)
            cached = self._listings[folder] = {"exact": set(names), "lower": lower}
        return cached

    def owns_resources(self, page: Page) -> bool:
        """The page publishes its bundle's files (a translation may share them instead)."""
        return self._resource_roots.get(url_key(page.resource_url or page.url)) is page

    def resources(self, page: Page) -> list[str]:
        """URLs of the files published with a page (its bundle's non-content files; a bundle
        shared by translations publishes them with the first language's page only)."""
        if not page.bundle_dir or not page.published or not os.path.isdir(page.bundle_dir):
            return []
        if not self.owns_resources(page):
            return []
        from blogtools.generators import CONTENT_SUFFIXES

        out = []
        for dirpath, dirnames, filenames in os.walk(page.bundle_dir):
            if dirpath != page.bundle_dir and not page.leaf and _is_bundle(set(filenames)):
                dirnames[:] = []
                continue
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name.lower().endswith(CONTENT_SUFFIXES):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), page.bundle_dir).replace(os.sep, "/")
                out.append(page.resource_url + rel)
        return out

    def content_exists(self, path: str) -> bool:
        """A content file for URL ``path`` exists on disk but was not among the linted files."""
        key = url_key(path).strip("/")
        if not key or "." in key.rsplit("/", 1)[-1]:
            return False
        return self.memo(("content", key), lambda: self._content_file(key))  # (missing targets repeat)

    def _content_file(self, key: str) -> bool:
        for folder, _lang in self.content_dirs:
            prefix = self.profile.language_prefix(_lang).strip("/")
            rel = key[len(prefix) :].strip("/") if prefix and (key + "/").startswith(prefix + "/") else key
            if not rel:
                continue
            for cand in (rel + ".md", rel + ".markdown", rel + "/index.md", rel + "/_index.md"):
                parts = cand.split("/")
                if os.path.join(folder, *parts) not in self.by_abspath and self.locate(folder, parts, exact=False):
                    return True
        return False

    def find_content(self, target: str, page: Page) -> bool:
        """A ``ref``/``relref`` or ``post_url`` target names an existing content file, the
        way Hugo's page lookup finds it: without regard to case, ``x.md`` for the bundle
        ``x/index.md``, a relative path from a leaf bundle's ``index.md`` against the bundle
        and the folder holding it, the path of a full URL, a top-level folder as its section
        (with or without ``_index.md``) and taxonomy and term pages by their path."""
        path = target.split("#", 1)[0].strip().strip("\"'")
        if not path:
            return True
        full_url = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]+", path)
        if full_url:
            path = path[full_url.end():] or "/"
        folders = [folder for folder, _ in self.content_dirs]
        bases = list(folders)
        if not path.startswith("/") and page.abspath:
            here = os.path.dirname(page.abspath)
            bases[:0] = [here, os.path.dirname(here)] if page.leaf else [here]
        for base in bases:
            full = os.path.normpath(os.path.join(base, path.lstrip("/")))
            cands = [full, full + ".md", full + ".markdown", os.path.join(full, "index.md"),
                     os.path.join(full, "_index.md")]
            if full.lower().endswith((".md", ".markdown")):
                stem = os.path.splitext(full)[0]
                cands += [os.path.join(stem, "index.md"), os.path.join(stem, "_index.md")]
            for cand in cands:
                if cand in self.by_abspath or os.path.isfile(cand) or self._exists_ignoring_case(cand):
                    return True
            if base in folders and os.path.dirname(full) == os.path.normpath(base) and os.path.isdir(full):
                return True  # a top-level folder: Hugo makes its section page without _index.md
        if path.startswith("/"):
            owner = self.by_url.get(url_key(path.rstrip("/") + "/"))
            if owner is not None and owner.kind in ("home", "section", "taxonomy", "term"):
                return True
        if "/" not in path.strip("/"):
            name = path.strip("/")
            stems = self._stems()
            return name in stems or os.path.splitext(name)[0] in stems
        return False

    def _exists_ignoring_case(self, path: str) -> bool:
        """A file at ``path`` inside a content folder, letters compared without case."""
        for folder, _ in self.content_dirs:
            prefix = folder.rstrip(os.sep) + os.sep
            if path.startswith(prefix):
                return self.locate(folder, path[len(prefix):].split(os.sep), exact=False) is not None
        return False

    def _stems(self) -> set[str]:
        cached = self.__dict__.get("_stem_set")
        if cached is None:
            cached = set()
            for p in self.pages:
                parts = p.rel.split("/")
                stem = os.path.splitext(parts[-1])[0]
                cached.add(parts[-1])
                cached.add(parts[-2] if stem in ("index", "_index") and len(parts) > 1 else stem)
            self.__dict__["_stem_set"] = cached
        return cached

    # -- anchors -----------------------------------------------------------------------
    def anchors(self, page: Page) -> set[str] | None:
        """Every fragment the page has (None when it cannot be known, e.g. generated pages)."""
        if page.facts is None:
            return None
        cached = self._anchors.get(page.abspath)
        if cached is None:
            f = page.facts
            extra = f.get("site") or {}
            headings = [h.get("text", "") for h in f.get("headings") or []]
            cached = set(self.profile.anchor_ids(headings))
            cached.discard("")
            if self.profile.raw_html_rendered:
                cached.update(extra.get("ids") or ())
            for i, label in enumerate(extra.get("footnotes") or (), 1):
                cached.update((f"fn:{label}", f"fnref:{label}", f"fn:{i}", f"fnref:{i}"))
            cached.add("TableOfContents")
            self._anchors[page.abspath] = cached
        return cached

    def anchors_uncertain(self, page: Page) -> bool:
        """True when a shortcode may add anchors we cannot see (``{{% %}}`` renders Markdown)."""
        extra = (page.facts or {}).get("site") or {}
        return any(sc[1] == "%" or sc[0] not in ("figure", "youtube", "vimeo", "x", "instagram", "ref", "relref")
                   for sc in extra.get("shortcodes") or () if not sc[2])

    def links(self, page: Page) -> list[tuple[dict[str, Any], Ref | None, Target | None]]:
        """Each link of a page with its :class:`Ref` and what it resolves to; computed once per
        page and shared by every link rule. Images are left unresolved (the image rules
        resolve them their own way: see :func:`resolve_image`)."""
        cached = self._links.get(page.abspath)
        if cached is None:
            split = self._splits.pop(page.abspath, None)
            if split is None:
                split = self._split_links(page)
            cached = self._links[page.abspath] = [
                (link, None, None) if ref is _IMAGE else
                (link, ref, self.resolve(ref.path) if ref is not None and ref.path else None)
                for link, ref in split]
        return cached

    def _split_links(self, page: Page) -> list[tuple[dict[str, Any], Any]]:
        """(link facts, :class:`Ref` or None) of each link of ``page`` (``_IMAGE`` for images):
        the page-local half of :meth:`links`, which :meth:`prepare` may do ahead."""
        return [(link, _IMAGE) if link.get("kind") == "image" else (link, self.split(link.get("url") or "", page))
                for link in (page.facts or {}).get("links") or ()]

    def report_pages(self, requested: frozenset[str] | set[str] | None) -> list[Page]:
        """The pages whose diagnostics are wanted: all of them, or only the files a
        pre-commit run was given (``requested``: the rule's ``context.requested``). Rules
        that check each page against the site loop over these; counts and duplicates still
        look at every page."""
        if not requested:
            return self.pages
        cached = self.__dict__.get("_report_pages")
        if cached is None or cached[0] != requested:
            cached = self.__dict__["_report_pages"] = (set(requested),
                                                        [p for p in self.pages if p.abspath in requested])
        return cached[1]

    def each_link(self, requested: frozenset[str] | set[str] | None = None
                  ) -> list[tuple[Page, dict[str, Any], Ref | None, Target | None]]:
        """(page, link facts, Ref, Target) of every link of every reported page (see
        :meth:`report_pages`), images left out; listed once, shared by the link rules."""
        pages = self.report_pages(requested)
        cached = self.__dict__.get("_each_link")
        if cached is None or cached[0] is not pages:
            out = [(page, link, ref, target) for page in pages for link, ref, target in self.links(page)
                   if link.get("kind") != "image"]
            cached = self.__dict__["_each_link"] = (pages, out)
        return cached[1]

    def memo(self, key: tuple[Any, ...], compute: Any) -> Any:
        """A value computed once per model (image classifications shared by the image rules,
        whether a content file exists for a missing link target)."""
        if key not in self._images:
            self._images[key] = compute()
        return self._images[key]

    # -- suggestions -------------------------------------------------------------------
    def suggest(self, path: str, limit: int = 1) -> list[str]:
        """The closest existing URLs to a missing one (blocked by last segment: never all pairs)."""
        key = url_key(path)
        hit = self._suggestions.get(key)
        if hit is None:
            if self._fuzzy is None:
                self._fuzzy = _FuzzyIndex([p.url for p in self.pages if p.published]
                                          + [p.url for p in self.generated])
            hit = self._suggestions[key] = self._fuzzy.closest(key, 3)
        return hit[:limit]


def _is_bundle(names: set[str]) -> bool:
    return any(n.split(".", 1)[0] in ("index", "_index") and n.rsplit(".", 1)[-1].lower() in _CONTENT_EXT
               for n in names)


_CONTENT_EXT = {"md", "markdown", "mdown", "html", "htm", "org", "adoc", "rst", "pandoc", "pdc", "ipynb"}


def markdown_url(url: str) -> str:
    """A URL as it can stand in a Markdown link: spaces, parentheses and ``<>`` encoded."""
    from urllib.parse import quote

    return re.sub(r"[\s()<>\"]", lambda m: quote(m.group(0), safe=""), url)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def _hit_parts(hit: str, folder: str) -> list[str]:
    prefix = folder.rstrip(os.sep) + os.sep
    if hit.startswith(prefix):
        return hit[len(prefix) :].split(os.sep)
    return os.path.relpath(hit, folder).replace(os.sep, "/").split("/")


_USER_REPO = re.compile(r"[/:]([\w.-]+)\.github\.(?:io|com)(?:\.git)?/?$", re.I)


def _user_pages_repo(root: str) -> bool:
    """Whether the site is a GitHub Pages *user* site (repository USER.github.io), which
    serves the user's other repositories at /<repo>/ on its custom domain too; a project
    site with a CNAME does not. Told by the clone's remote URL or its folder name."""
    here = os.path.abspath(root)
    for _ in range(4):
        if re.search(r"\.github\.(?:io|com)$", os.path.basename(here), re.I):
            return True
        try:
            with open(os.path.join(here, ".git", "config"), encoding="utf-8", errors="replace") as fh:
                return any(_USER_REPO.search(line.split("=", 1)[1].strip())
                           for line in fh if line.strip().startswith("url") and "=" in line)
        except OSError:
            pass
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return False


def _host(netloc: str) -> str:
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _base_url(site: Site) -> str:
    if site.generator == "jekyll":
        url = str(site.setting("url", "") or "")
        return url.rstrip("/") + "/" + str(site.setting("baseurl", "") or "").strip("/") if url else ""
    value = site.setting("baseURL", "")
    return value if isinstance(value, str) and "://" in value else ""


def resolve_relative(page_url: str, rel: str) -> str:
    """A relative URL against a page URL, as a browser resolves it."""
    base = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
    joined = posixpath.normpath(posixpath.join(base, rel))
    if rel.endswith("/") or rel in (".", "..") or rel.endswith("/.") or rel.endswith("/.."):
        joined = joined.rstrip("/") + "/"
    return joined if joined.startswith("/") else "/" + joined


class _FuzzyIndex:
    """Closest-URL lookup without comparing all pairs.

    Tiers: the same URL but for case; the same last segment in another folder; a last
    segment that a real one starts with (``2018-07-15`` → ``2018-07-15_machine-...``, found
    by bisection in the sorted segments); then at most 30 candidates sharing the most
    character trigrams with the last segment, ranked by edit similarity.
    """

    def __init__(self, urls: list[str]) -> None:
        self.urls = sorted(set(urls))
        self.by_last: dict[str, list[str]] = {}
        self.by_lower: dict[str, list[str]] = {}
        for u in self.urls:
            self.by_last.setdefault(_last(u), []).append(u)
            self.by_lower.setdefault(u.lower(), []).append(u)
        self.sorted_last = sorted((_last(u).lower(), u) for u in self.urls)
        self._grams: dict[str, list[int]] | None = None
        self.budget = 300  # similarity searches per run: suggestions are for the few broken links

    def _trigrams(self) -> dict[str, list[int]]:
        if self._grams is None:
            grams: dict[str, list[int]] = {}
            for i, (last, _u) in enumerate(self.sorted_last):
                for g in {last[k : k + 3] for k in range(max(1, len(last) - 2))}:
                    grams.setdefault(g, []).append(i)
            self._grams = grams
        return self._grams

    def closest(self, key: str, limit: int) -> list[str]:
        import difflib
        from bisect import bisect_left

        same_case = self.by_lower.get(key.lower())
        if same_case:
            return same_case[:limit]
        last = _last(key)
        ratio = lambda a, b: difflib.SequenceMatcher(None, a, b).ratio()  # noqa: E731
        same_last = self.by_last.get(last)
        if same_last:
            return sorted(same_last, key=lambda u: (-ratio(key, u), u))[:limit]
        low = last.lower()
        if len(low) < 3:
            return []
        i = bisect_left(self.sorted_last, (low, ""))
        prefixed = []
        while i < len(self.sorted_last) and self.sorted_last[i][0].startswith(low) and len(prefixed) < 50:
            prefixed.append(self.sorted_last[i][1])
            i += 1
        if prefixed:
            return sorted(prefixed, key=lambda u: (-ratio(key, u), u))[:limit]
        if self.budget <= 0:
            return []
        self.budget -= 1
        grams = self._trigrams()
        counts: dict[int, int] = {}
        mine = sorted({low[k : k + 3] for k in range(max(1, len(low) - 2))})[:40]
        for g in mine:
            posting = grams.get(g)
            if posting is None or len(posting) > 2000:
                continue  # a trigram every URL has says nothing
            for idx in posting:
                counts[idx] = counts.get(idx, 0) + 1
        if not counts:
            return []
        best = sorted(counts, key=lambda idx: -counts[idx])[:30]
        scored = []
        for idx in best:
            seg, u = self.sorted_last[idx]
            if 2 * min(len(low), len(seg)) < 0.75 * (len(low) + len(seg)):
                continue  # the lengths alone keep the ratio under 0.75 (difflib's real_quick_ratio)
            r = ratio(low, seg)
            if r >= 0.75:
                scored.append((-r, u))
        return [u for _, u in sorted(scored)[:limit]]


def _last(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- facts
def _site_facts(doc: Any) -> dict[str, Any]:
    """Facts the site model needs beyond links and headings (small and picklable)."""
    from blogtools.facts import pos

    out: dict[str, Any] = {}
    ids: list[str] = []
    images: list[tuple[Any, ...]] = []
    text = doc.text
    kd = kramdown_body.view(doc)  # a Jekyll post: ids of attribute lists, no HTML in {::comment}
    if kd is not None:
        ids += kd.ids
    for node in (kd.iter if kd is not None else doc.nodes)("html_block", "html_inline"):
        src = text[node.start : node.end]
        for m in _HTML_ID.finditer(src):
            ids.append(m.group(2) or m.group(3) or "")
        for m in _IMG_SRC.finditer(src):
            a = node.start + m.start(3)
            value = m.group(3)
            tag = m.group(1).lower()
            found = (value, pos(doc, a, a + len(value)), (a, a + len(value)))
            images.append(found if tag == "img" else (*found, tag))  # (the tag of a media file)
    shortcodes = []
    comments = sorted((n.start, n.end) for n in doc.nodes("html_comment")) if "<!--" in text else []
    comment_starts = [a for a, _ in comments]
    for node in doc.nodes("shortcode"):
        if not node.text or (node.attrs or {}).get("escaped"):
            continue
        k = bisect_right(comment_starts, node.start) - 1 if comments else -1
        if k >= 0 and comments[k][1] > node.start:
            continue  # Hugo does not run a shortcode inside an HTML comment (a ref there is never looked up)
        args = []
        raw = text[node.start : node.end]
        at = raw.find(node.url, 3 + len(node.text)) if node.url else -1
        if at >= 0:
            for index, (key, value, a, b) in enumerate(shortcode_args(node.url)):
                a, b = node.start + at + a, node.start + at + b
                args.append((key if key is not None else index, value, (a, b), pos(doc, a, b)))
        shortcodes.append((node.text, (node.attrs or {}).get("delim", "<"), bool(node.level), node.url,
                           pos(doc, node.start, node.end), (node.start, node.end), args))
    liquid = []
    for node in doc.nodes("liquid"):
        if node.text in ("post_url", "link"):
            liquid.append((node.text, node.url, pos(doc, node.start, node.end), (node.start, node.end)))
    footnotes = [node.text for node in doc.nodes("footnote_def")]
    values: dict[str, tuple[Any, ...]] = {}
    fm = doc.front_matter
    if fm is not None:
        for path, span in fm.positions.items():
            a, b = span.value_start, span.value_end
            raw = text[a:b]
            if b <= a or "\n" in raw:
                continue
            quote = ""
            if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]:
                a, b, quote = a + 1, b - 1, raw[0]
            value: Any = fm.data
            for part in path:
                try:
                    value = value[part]
                except (KeyError, IndexError, TypeError):
                    value = None
                    break
            if not isinstance(value, str):
                continue  # only strings are paths, URLs or aliases a rule may point at
            # exact: the text at the span is the value itself (no escapes), so a fix may rewrite it
            values[".".join(map(str, path))] = (a, b, pos(doc, a, b), isinstance(value, str) and text[a:b] == value,
                                                quote)
    if fm is not None and fm.format in ("yaml", "toml"):
        out["fm"] = (fm.format, fm.content_start, fm.content_end)
    found = {"ids": ids, "images": images, "shortcodes": shortcodes, "liquid": liquid, "footnotes": footnotes,
             "values": values}
    out.update((k, v) for k, v in found.items() if v)  # empty ones are left out: facts stay small
    return out


_ARG = re.compile(r"""(?:([\w-]+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|'([^']*)'|([^\s"'`=]+))""")


def shortcode_args(params: str) -> list[tuple[str | None, str, int, int]]:
    """Shortcode parameters: (name or None for a positional one, value, value start, value end)."""
    out = []
    for m in _ARG.finditer(params):
        for g in (2, 3, 4, 5):
            if m.group(g) is not None:
                value = m.group(g)
                if value == "/" and m.end() == len(params.rstrip()):
                    break  # the self-closing slash
                out.append((m.group(1), value.replace('\\"', '"') if g == 2 else value, m.start(g), m.end(g)))
                break
    return out


_HTML_ID = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
# ``src`` of the raw HTML elements that load a file: an image, or the media a browser plays
# (``<audio src>``, ``<video src>``, their ``<source>`` and ``<track>``): the build links them alike
_IMG_SRC = re.compile(r"""<(img|audio|video|source|track)\b[^>]*?\ssrc\s*=\s*(["'])([^"']*)\2""", re.I)

_facts.EXTRACTORS.setdefault("site", _site_facts)


def value_span(facts: dict[str, Any], key: str) -> tuple[int, int, tuple[int, int, int, int], bool, str] | None:
    """(start, end, position, exact, quote) of a front matter value (``"images.0"``, ``"cover.image"``):
    the span is inside the quotes; ``exact`` says the text there is the loaded value itself."""
    values = (facts.get("site") or {}).get("values") or {}
    hit = values.get(key)
    if hit is None:
        lowered = key.lower()
        hit = next((v for k, v in values.items() if k.lower() == lowered), None)
    return hit


# --------------------------------------------------------------------------- images
@dataclass(slots=True)
class ImageRef:
    """A local or remote image a page uses, with where it is written."""

    url: str
    where: str  # body | html | front matter | shortcode
    key: str  # front matter key ("images.0", "cover.image"), "figure src", a media tag ("audio"), or ""
    pos: tuple[int, int, int, int]
    span: tuple[int, int] | None  # offsets of the URL text when a fix may rewrite it


DEFAULT_IMAGE_KEYS = ("image", "images", "cover.image", "featured_image", "featuredImage")
DEFAULT_IMAGE_SHORTCODES = ("figure.src",)


def key_index(data: Any) -> dict[str, Any]:
    """``data``'s string keys by their lower case, the first spelling winning as in the scan of
    :func:`lookup`: for a caller looking up several keys of one front matter."""
    lowered: dict[str, Any] = {}
    if isinstance(data, dict):
        for k in data:
            if isinstance(k, str):
                lowered.setdefault(k.lower(), k)
    return lowered


def lookup(data: Any, dotted: str, lowered: dict[str, Any] | None = None) -> Any:
    """``data[a][b]`` for ``"a.b"``, keys matched ignoring case (Hugo's keys are).
    ``lowered``: :func:`key_index` of ``data``, when the caller looks up several keys."""
    node = data
    for depth, part in enumerate(dotted.split(".")):
        if not isinstance(node, dict):
            return None
        if part in node:
            node = node[part]
            continue
        low = part.lower()
        if depth == 0 and lowered is not None:
            match = lowered.get(low)
        else:
            match = next((k for k in node if isinstance(k, str) and k.lower() == low), None)
        if match is None:
            return None
        node = node[match]
    return node


@lru_cache(maxsize=16)
def _first_parts(keys: tuple[str, ...]) -> frozenset[str]:
    """The lower-cased first parts of dotted front matter keys (``cover`` of ``cover.image``)."""
    return frozenset(str(k).split(".", 1)[0].lower() for k in keys)


def image_refs(facts: dict[str, Any], keys: Any = DEFAULT_IMAGE_KEYS,
               shortcodes: Any = DEFAULT_IMAGE_SHORTCODES, html: bool = True) -> list[ImageRef]:
    """Every image a page names: body images, ``<img src>``, front matter keys, shortcode params."""
    out: list[ImageRef] = []
    for link in facts.get("links") or ():
        if link.get("kind") == "image" and link.get("url"):
            span = tuple(link["url_span"]) if link.get("url_span") and link["url_span"][0] >= 0 else None
            out.append(ImageRef(link["url"], "body", "", tuple(link["url_pos"]), span))
    extra = facts.get("site") or {}
    if html:
        for url, p, span, *tag in extra.get("images") or ():
            out.append(ImageRef(url, "html", tag[0] if tag else "", tuple(p), tuple(span)))
    fm = facts.get("front_matter") or {}
    data = fm.get("data") or {}
    keys_pos = fm.get("keys") or {}
    lowered = key_index(data)
    if lowered and not _first_parts(tuple(keys)).intersection(lowered):
        keys = ()  # (most posts: none of the image keys, no lookups to make)
    for key in keys:
        value = lookup(data, key, lowered)
        items = [(key, value)] if isinstance(value, str) else [(f"{key}.{i}", v) for i, v in enumerate(value)] \
            if isinstance(value, list) else []
        for k, v in items:
            if not isinstance(v, str) or not v.strip():
                continue
            hit = value_span(facts, k)
            if hit is not None:
                a, b, p, exact = hit[:4]
                out.append(ImageRef(v, "front matter", k, tuple(p), (a, b) if exact else None))
            else:
                p = keys_pos.get(k) or next((pp for kk, pp in keys_pos.items() if kk.lower() == k.lower()),
                                            (1, 1, 1, 1))
                out.append(ImageRef(v, "front matter", k, tuple(p), None))
    wanted: dict[str, set[str]] = {}
    for item in shortcodes:
        name, _, param = str(item).partition(".")
        wanted.setdefault(name, set()).add(param or "src")
    for sc in extra.get("shortcodes") or ():
        name, _delim, closing, _params, _p, _span = sc[:6]
        if closing or name not in wanted:
            continue
        for key, value, span, p in (sc[6] if len(sc) > 6 else ()):
            if key in wanted[name] and value:
                out.append(ImageRef(value, "shortcode", f"{name} {key}", tuple(p), tuple(span)))
    return out


def is_remote(url: str) -> bool:
    return bool(re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)", url.strip()))


def resolve_image(model: SiteModel, page: Page, ref: ImageRef) -> Target | None:
    """Where an image reference lands on the built site (None: nothing there)."""
    url = ref.url.strip()
    path = url.split("#", 1)[0].split("?", 1)[0]
    if page.leaf and path and path[0] not in "/." and ":" not in path and page.resource_url == page.url \
            and page.url.endswith("/") and model.owns_resources(page):
        # the common case: a path below the page's own folder, which is its bundle
        hit = model.locate(page.bundle_dir, unquote(path).split("/"))
        if hit:
            return Target("resource", page.url + unquote(path), page, file=hit)
    if ref.where in ("front matter", "shortcode") and path and not path.startswith("/"):
        # Hugo's templates try the page's own resources first (.Resources.Get)
        if page.bundle_dir:
            hit = model.locate(page.bundle_dir, unquote(path).split("/"), branch=not page.leaf)
            if hit:
                return Target("resource", page.resource_url + unquote(path), page, file=hit)
        if ref.where == "front matter":
            return model.resolve("/" + path)
    ref_ = model.split(url, page)
    if ref_ is None or not ref_.path:
        return None
    found = model.resolve(ref_.path)
    if found is None and page.bundle_dir and path and not path.startswith("/") and not is_remote(path) \
            and model.profile.body_resources_resolved:
        hit = model.locate(page.bundle_dir, unquote(path).split("/"), branch=not page.leaf)
        if hit:
            return Target("resource", page.resource_url + unquote(path), page, file=hit)
    return found
