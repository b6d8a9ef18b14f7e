"""Jekyll (4.x): which files are documents, their URLs, and the page as Jekyll renders it.

Which files Jekyll reads
    A file with front matter (its first line ``---``) is a document; one without is copied
    as it is. Posts live in ``_posts/`` (``cat/_posts/``: ``cat`` becomes a category) and are
    named ``YYYY-MM-DD-title.ext``; drafts in ``_drafts/``; a collection's documents in
    ``_<label>/`` (published when the collection has ``output: true``); every other file is
    a page. Folders and files starting with ``_ . # ~`` are not published (except the ones
    above), nor what ``exclude`` names (with Jekyll's own defaults; a pattern also matches as
    a path prefix, as Jekyll matches it). Documents may be Markdown or HTML (``.html``: a
    WordPress import's posts): :func:`reads_file` is what discovery asks.

URLs (``Document#url``, ``Page#url``, ``Jekyll::URL``)
    Posts follow the site ``permalink`` (``date`` by default:
    ``/:categories/:year/:month/:day/:title:output_ext``; named styles ``date pretty ordinal
    weekdate none``, or a pattern), a collection ``/:collection/:path`` with the style's
    ending, a page ``/:path/:basename`` with the style's ending (``index`` is its folder); a
    ``permalink`` in the front matter or in ``defaults`` wins. ``:title`` is the ``slug`` or
    the file's slug (slugified "pretty", case kept), ``:slug`` and ``:name`` slugified,
    categories lower-cased: the folder categories, then ``categories`` (a string is split at
    spaces), then the singular ``category`` taken as it is (``Utils.pluralized_array_from_hash``).
    Dates are read in the site's ``timezone`` (UTC when unset: GitHub Pages builds in UTC).
    ``redirect_from`` (jekyll-redirect-from) is the alias list; jekyll-sitemap, jekyll-feed
    and jekyll-redirect-from add ``/sitemap.xml``, ``/robots.txt``, ``/feed.xml`` and
    ``/redirects.json`` (:meth:`Jekyll.list_pages`).

The page as Jekyll renders it (:meth:`Jekyll.rendered`)
    Jekyll renders Liquid before Markdown, so a link written ``{{ site.baseurl }}/about/`` is
    ``/blog/about/`` on the built page. The page's facts are given to the site model with
    every URL evaluated the way Jekyll does (``site.url``, ``site.baseurl``, ``page.url``,
    ``relative_url``, ``absolute_url``, ``prepend``, ``append``, ``{% link %}``,
    ``{% post_url %}``); each rewritten link keeps the URL as written under ``written`` (for
    messages). A URL whose Liquid cannot be evaluated is not judged: a link keeps its
    Liquid (the model leaves it alone), an image is left out. Front matter images are what
    the layouts make of them (``<img src="{{ site.baseurl }}/assets/{{ page.image }}">``:
    :meth:`Jekyll.front_matter_url`); when no layout the page uses shows the key, or its
    use cannot be read, the key is left out (nothing can be said of it).

Headings get kramdown's GFM ids (lower-case, word characters of any script, ``-``; spaces
become ``-``).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from typing import Any, Iterable
from urllib.parse import quote

from blogtools.generators import (
    Generator, _meta, content_path, inline_text, number_duplicates, parse_date, timezone,
)
from blogtools.site import Alias, Page, absolute, resolve_relative

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
# Document::DATE_FILENAME_MATCHER (the name part)
_POST = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$")
# Configuration::DEFAULTS["exclude"], added to the site's own list (add_default_excludes)
DEFAULT_EXCLUDES = (".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
                    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MARKDOWN = (".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".mdown")
_RENDERED = _MARKDOWN + HTML_SUFFIXES  # output_ext .html


def _slug_chars(text: str, pretty: bool) -> str:
    """``Utils.replace_character_sequence_with_hyphen``: a run of characters that are not
    letters, marks or decimal digits (nor ``._~!$&'()+,;=@`` in "pretty" mode) becomes ``-``."""
    import unicodedata

    out: list[str] = []
    dash = False
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LM" or cat == "Nd" or pretty and ch in "._~!$&'()+,;=@":
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out)


_ASCII_RUN = re.compile(r"[^A-Za-z0-9]+")
_ASCII_RUN_PRETTY = re.compile(r"[^A-Za-z0-9._~!$&'()+,;=@]+")


def slugify(text: str, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify`` (``default`` mode, or ``pretty``; lower-cased unless ``cased``)."""
    if text.isascii():
        slug = (_ASCII_RUN_PRETTY if pretty else _ASCII_RUN).sub("-", text)
    else:
        slug = _slug_chars(text, pretty)
    slug = re.sub(r"^-|-$", "", slug)
    return slug if cased else slug.lower()


def gfm_anchor(text: str) -> str:
    return re.sub(r"[ \t]", "-", re.sub(r"[^\w\- \t]", "", text.lower()))


def add_permalink_suffix(template: str, style: str) -> str:
    """``Utils.add_permalink_suffix``: the ending of the site's permalink style."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


def sanitize_url(url: str) -> str:
    """``URL#sanitize_url``: a leading slash, ``..`` and ``./`` dropped, slashes squeezed."""
    out = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", out)


def has_front_matter(path: str) -> bool:
    """``Utils.has_yaml_header?``: the file's first line is ``---`` (spaces after it allowed)."""
    try:
        with open(path, "rb") as fh:
            head = fh.readline(256)
    except OSError:
        return False
    return re.match(rb"---[ \t\r\f\v]*\r?\n", head) is not None


_MONTHS = {m: i for i, names in enumerate((("jan", "january"), ("feb", "february"), ("mar", "march"),
                                            ("apr", "april"), ("may",), ("jun", "june"), ("jul", "july"),
                                            ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
                                            ("nov", "november"), ("dec", "december")), 1) for m in names}
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "ut": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
          "pst": -8, "pdt": -7, "jst": 9}
_YMD = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_HMS = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([ap]\.?m\.?)?", re.I)
_OFFSET = re.compile(r"(?:(?<=\d)|\s)([+-])(\d{2}):?(\d{2})\b|\b([A-Za-z]{1,4})\s*$")


def parse_time(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """A front matter date as Jekyll reads it (``Utils.parse_date``: Ruby's ``Time.parse``,
    which takes ``December 15, 2020``, ``2016-01-01 (optional)`` or ``2015-06-01 10:00 EDT``
    as well as ISO dates), in ``tz`` when no offset is written; None when Ruby would fail.
    An unquoted YAML timestamp with a time and no offset (``date: 2020-02-01 21:30:00``)
    is UTC: Ruby's YAML (Psych) reads it so before Jekyll sees it (``Time`` 06:30 +09:00
    the next day in ``Asia/Tokyo``), as the real Jekyll 4.3 build shows."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    found = parse_date(value, tz)
    if found is not None or not isinstance(value, str):
        return found
    text = re.sub(r"\([^)]*\)", " ", value).strip()
    found = parse_date(text, tz)
    if found is not None:
        return found
    m = _YMD.search(text)
    try:
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            m = _MDY.search(text)
            if m and m.group(1).lower() in _MONTHS:
                y, mo, d = int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))
            else:
                m = _DMY.search(text)
                if not m or m.group(2).lower() not in _MONTHS:
                    return None
                y, mo, d = int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))
        rest = text[m.end():]
        h = mi = sec = 0
        t = _HMS.search(rest)
        if t:
            h, mi, sec = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
            if t.group(4):
                h = h % 12 + (12 if t.group(4).lower().startswith("p") else 0)
            rest = rest[t.end():]
        when = dt.datetime(y, mo, d, h, mi, sec)
    except ValueError:
        return None
    z = _OFFSET.search(rest)
    if z and z.group(1):
        delta = dt.timedelta(hours=int(z.group(2)), minutes=int(z.group(3)))
        return when.replace(tzinfo=dt.timezone(delta if z.group(1) == "+" else -delta))
    if z and z.group(4) and z.group(4).lower() in _ZONES:
        return when.replace(tzinfo=dt.timezone(dt.timedelta(hours=_ZONES[z.group(4).lower()])))
    return when.replace(tzinfo=tz)


_GEM = re.compile(r"""^\s*gem\s+["']([\w.-]+)["']""")


def _gemfile_plugins(root: str) -> set[str]:
    """The gems of the Gemfile's ``:jekyll_plugins`` group: Bundler loads them as plugins
    without _config.yml naming them (a real site had jemoji only there)."""
    try:
        with open(os.path.join(root, "Gemfile"), encoding="utf-8", errors="replace") as fh:
            lines = fh.read(200_000).splitlines()
    except OSError:
        return set()
    found, inside = set(), False
    for line in lines:
        stripped = line.strip()
        if re.match(r"group\s+:jekyll_plugins\b", stripped):
            inside = True
        elif inside and stripped == "end":
            inside = False
        elif inside or "group: :jekyll_plugins" in stripped or "group: [:jekyll_plugins" in stripped:
            m = _GEM.match(line)
            if m:
                found.add(m.group(1))
    return found


def _as_list(value: Any) -> list[Any]:
    """Ruby's ``Array(value)``."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _plural(value: Any) -> list[Any]:
    """``Utils.value_from_plural_key``: a string is split at whitespace, a list kept."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [v for v in value if v is not None]
    return []


def categories_of(meta: dict[str, Any], folders: list[str]) -> list[str]:
    """A post's categories as Jekyll builds them (``categories_from_path``,
    ``merge_categories!``, ``populate_categories``): the folders above ``_posts``, the
    ``categories`` key (a string split at spaces), then the singular ``category`` as it is
    (its string is one category, spaces and all), each once."""
    cats: list[Any] = list(folders)
    for c in _plural(meta.get("categories")):
        if c not in cats:
            cats.append(c)
    if "category" in meta:
        extra = _as_list(meta.get("category"))
    else:
        extra = _plural(meta.get("categories"))
    out: list[str] = []
    for c in cats + _flatten(extra):
        s = _ruby_str(c)
        if s not in out:
            out.append(s)
    return out


def tags_of(meta: dict[str, Any]) -> list[str]:
    """``populate_tags``: the singular ``tag`` as it is when present, else ``tags`` (a string
    split at spaces)."""
    value = _as_list(meta.get("tag")) if "tag" in meta else _plural(meta.get("tags"))
    return [_ruby_str(v) for v in _flatten(value) if v is not None]


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten(item))
        elif item is not None:
            out.append(item)
    return out


def _ruby_str(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class Jekyll(Generator):
    name = "jekyll"

    def __init__(self, site: Any) -> None:
        super().__init__(site)
        perma = site.setting("permalink", "date")
        self.style = perma if isinstance(perma, str) and perma else "date"
        self.permalink = STYLES.get(self.style, self.style)
        zone = site.setting("timezone", None)
        self.tz = timezone(zone if isinstance(zone, str) and zone else None)
        plugins = _as_list(site.setting("plugins", [])) + _as_list(site.setting("gems", []))
        self.plugins = {str(p) for p in plugins if isinstance(p, str)} | _gemfile_plugins(site.root)
        exclude = site.setting("exclude", []) or []
        extra = [str(e) for e in exclude if isinstance(e, str)] if isinstance(exclude, list) else []
        include = site.setting("include", []) or []
        self.include = [str(e).strip("/") for e in include if isinstance(e, str)] if isinstance(include, list) \
            else []
        self.exclude_patterns = [p.strip("/") for p in list(DEFAULT_EXCLUDES) + extra if p.strip("/")]
        self.exclude_patterns = [p for p in self.exclude_patterns if p not in self.include]
        self.destination = str(site.setting("destination", "_site") or "_site").strip("/")
        cdir = site.setting("collections_dir", "")
        self.collections_dir = cdir.strip("/") if isinstance(cdir, str) else ""
        self.collections = _collections(site.setting("collections", None))
        self.now = dt.datetime.now(dt.timezone.utc)
        url = site.setting("url", None)
        baseurl = site.setting("baseurl", None)
        self.url = url if isinstance(url, str) else "" if url is None else str(url)
        self.baseurl = baseurl if isinstance(baseurl, str) else "" if baseurl is None else str(baseurl)
        from blogtools.site import _base_url
        from blogtools.urls import urlsplit

        base = _base_url(site)
        # The path the site model takes off root-relative links (site.url + site.baseurl).
        self.base_path = urlsplit(base).path.rstrip("/") if base else ""
        self._sources: dict[str, str | None] = {}
        self._post_files: list[str] | None = None
        self._layouts: dict[str, Any] = {}
        self._file_text: dict[str, str] = {}

    def static_dirs(self) -> list[str]:
        return [self.site.root]

    # -- which files are documents -------------------------------------------------------
    def excluded(self, rel: str) -> bool:
        """``EntryFilter#excluded?`` for a path relative to the source: a pattern matches as a
        glob (``fnmatch``, ``*`` across ``/``) or as a prefix of the path."""
        test = self.__dict__.get("_excluded")
        if test is None:
            prefixes = tuple(self.exclude_patterns)
            globs = [fnmatch.translate(p) for p in self.exclude_patterns if any(c in p for c in "*?[")]
            rx = re.compile("|".join(globs)) if globs else None
            test = self.__dict__["_excluded"] = (prefixes, rx)
        prefixes, rx = test
        return rel.startswith(prefixes) or (rx is not None and rx.match(rel) is not None)

    def _special(self, name: str) -> bool:
        return name[:1] in "._#~" or name.endswith("~")

    def kind_of(self, rel: str) -> tuple[str, Any]:
        """What Jekyll makes of the file at ``rel`` (relative to the source): ("post", index of
        the ``_posts`` part), ("draft", index), ("collection", (label, output, permalink,
        index of its folder)), ("page", None), or ("skip", why)."""
        parts = rel.split("/")
        dirs = parts[:-1]
        if self.destination and (rel + "/").startswith(self.destination + "/"):
            return "skip", "the destination folder"
        for i, d in enumerate(dirs):
            if d in ("_posts", "_drafts"):
                if any(self._special(x) and x not in ("_posts", "_drafts") and not self._collection_dir(dirs, k)
                       for k, x in enumerate(dirs[:i])):
                    return "skip", "in a folder Jekyll does not read"
                return ("post" if d == "_posts" else "draft"), i
        coll = self._collection_of(parts)
        if coll is not None:
            return "collection", coll
        if any(self._special(p) and p not in self.include for p in parts):
            return "skip", "a name starting with _ . # ~ (Jekyll does not publish it)"
        return "page", None

    def _collection_dir(self, dirs: list[str], k: int) -> bool:
        base = self.collections_dir.split("/") if self.collections_dir else []
        return dirs[: len(base)] == base and k == len(base) and dirs[k][1:] in self.collections

    def _collection_of(self, parts: list[str]) -> tuple[str, bool, str | None, int] | None:
        base = self.collections_dir.split("/") if self.collections_dir else []
        if parts[: len(base)] != base or len(parts) <= len(base) + 1:
            return None
        folder = parts[len(base)]
        if not folder.startswith("_") or folder[1:] not in self.collections:
            return None
        output, permalink = self.collections[folder[1:]]
        return folder[1:], output, permalink, len(base)

    def reads_file(self, rel: str) -> bool:
        """Whether Jekyll renders the file at ``rel`` when it has front matter: a post, a draft,
        a document of a collection with ``output: true``, or a page, not excluded."""
        if self.excluded(rel):
            return False
        kind, detail = self.kind_of(rel)
        if kind == "collection":
            return bool(detail[1])
        return kind != "skip"

    # -- pages -------------------------------------------------------------------------
    def make_page(self, facts: dict[str, Any], content_dir: str, lang: str) -> Page | None:
        page = self._page(facts, content_dir)
        if page is not None and page.facts is not None:
            page.facts = self.rendered(page.facts, page)
        return page

    def defaults(self, rel: str, kind: str) -> dict[str, Any]:
        """``FrontmatterDefaults#all``: the ``defaults`` sets whose scope covers the file,
        the more specific (longer path, then a type) winning."""
        sets = self.site.setting("defaults", None)
        if not isinstance(sets, list):
            return {}
        out: dict[str, Any] = {}
        old: dict[str, Any] | None = None
        for item in sets:
            if not isinstance(item, dict) or not isinstance(item.get("values"), dict):
                continue
            scope = item.get("scope") if isinstance(item.get("scope"), dict) else {}
            if "type" in scope and str(scope.get("type")) != kind:
                continue
            path = scope.get("path")
            path = path.strip("/") if isinstance(path, str) else ""
            if path:
                if "*" in path:
                    if not fnmatch.fnmatchcase(rel, path) and not fnmatch.fnmatchcase(rel, path + "/*"):
                        continue
                elif not (rel == path or rel.startswith(path + "/")):
                    continue
            if old is None or _precedes(old, scope):
                out = {**out, **item["values"]}
                old = scope
            else:
                out = {**item["values"], **out}
        return out

    def _page(self, facts: dict[str, Any], content_dir: str) -> Page | None:
        split = content_path(facts, content_dir)
        if split is None:
            return None
        rel, parts, stem = split
        if (facts.get("front_matter") or {}).get("format") is None:
            return None  # copied as it is, not rendered
        if self.excluded(rel):
            return None  # not part of the site (exclude: in _config.yml, and Jekyll's defaults)
        kind, detail = self.kind_of(rel)
        if kind == "skip":
            return None
        ext = os.path.splitext(parts[-1])[1].lower()
        output_ext = ".html" if ext in _RENDERED else ext
        # a key written twice: Ruby's YAML keeps the last value (the loader the first)
        own = {str(k): v for k, v in {**_meta(facts), **((facts.get("front_matter") or {}).get("last") or {})}.items()}
        dtype = "posts" if kind in ("post", "draft") else detail[0] if kind == "collection" else "pages"
        meta = {**self.defaults(rel, dtype), **own}
        dirs = parts[:-1]
        page = Page(facts.get("path", rel), absolute(facts.get("abspath", "")), rel, "page", "/",
                    title=str(meta.get("title") or ""), facts=facts)
        custom = meta.get("permalink")
        custom = custom if isinstance(custom, str) and custom else None
        if kind in ("post", "draft"):
            cut = detail
            m = _POST.match(stem)
            if kind == "post" and m is None:
                page.published, page.unpublished_why = False, "in _posts without a date in its name (not a post)"
            slug = m.group(4) if m else stem
            slug = re.sub(r"\.+$", "", slug)
            date = self._date(meta, m)
            cats = categories_of(meta, [d for d in dirs[:cut] if d])
            data_slug = meta.get("slug")
            slug_value = str(data_slug) if data_slug not in (None, "") else slug
            page.url = self._expand(custom or self.permalink, {
                **self._dates(date), "title": slugify(slug_value, pretty=True, cased=True),
                "slug": slugify(slug_value), "name": slugify(stem),
                "categories": "/".join(dict.fromkeys(c.lower() for c in cats)),
                "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in cats)),
                "collection": "posts", "path": _cleaned_path(rel, ext, "_drafts" if kind == "draft" else "_posts"),
                "output_ext": output_ext})
            if kind == "draft":
                page.published, page.unpublished_why = False, "draft"
            elif date is not None and date > self.now and not self.site.setting("future", False):
                page.published, page.unpublished_why = False, "dated in the future"
        elif kind == "collection":
            label, output, template, at = detail
            if not output:
                page.published, page.unpublished_why = False, f"collection {label!r} has no output: true"
            inner = "/".join(parts[at + 1:])
            path = "/" + inner[: -len(ext)] if ext else "/" + inner
            path = re.sub(r"\.+$", "", path)
            m = _POST.match(stem)
            slug = re.sub(r"\.+$", "", m.group(4) if m else stem)
            data_slug = meta.get("slug")
            slug_value = str(data_slug) if data_slug not in (None, "") else slug
            date = self._date(meta, m)
            pattern = custom or template or add_permalink_suffix("/:collection/:path", self.style)
            page.url = self._expand(pattern, {
                **self._dates(date or self.now), "title": slugify(slug_value, pretty=True, cased=True),
                "slug": slugify(slug_value), "name": slugify(stem), "collection": label, "path": path,
                "categories": "/".join(dict.fromkeys(c.lower() for c in categories_of(meta, []))),
                "output_ext": output_ext})
        else:
            folder = "/".join(dirs)
            if ext not in _RENDERED:
                template = "/:path/:basename:output_ext"
            elif stem == "index":
                template = "/:path/"
            else:
                template = add_permalink_suffix("/:path/:basename", self.style)
            values = {"path": "/" + folder if folder else "", "basename": stem, "output_ext": output_ext}
            page.url = sanitize_url(_fill(custom or template, values))
        if meta.get("published") is False:
            page.published, page.unpublished_why = False, "published: false"
        page.aliases = self._aliases(meta.get("redirect_from"))
        return page

    def static_file(self, path: str, model: Any) -> str | None:
        """A static file Jekyll publishes at ``path`` under another name (``StaticFile#url``):
        a file of a collection with ``output: true`` at the collection's permalink (``/:collection/
        :path`` with its extension), and any file whose name has dots before its extension
        (``a..png`` is published as ``a.png``: ``cleaned_relative_path`` drops trailing dots)."""
        found = self._static_urls().get(path)
        if found is not None:
            return found
        folder, _, name = path.rpartition("/")
        stem, ext = os.path.splitext(name)
        if not ext or not stem:
            return None
        full = os.path.join(self.site.root, *[p for p in folder.split("/") if p])
        listing = model._listing(full)["exact"]
        for cand in sorted(listing):
            c_stem, c_ext = os.path.splitext(cand)
            if c_ext == ext and c_stem != stem and c_stem.rstrip(".") == stem and not self._special(cand):
                hit = os.path.join(full, cand)
                if os.path.isfile(hit) and not has_front_matter(hit):
                    return hit
        return None

    def _static_urls(self) -> dict[str, str]:
        """URL → file of every static file (no front matter) in a collection with output."""
        cached = self.__dict__.get("_static_url_map")
        if cached is not None:
            return cached
        out: dict[str, str] = {}
        base = os.path.join(self.site.root, *self.collections_dir.split("/")) if self.collections_dir \
            else self.site.root
        for label, (output, template) in self.collections.items():
            if not output or label == "posts":
                continue
            top = os.path.join(base, "_" + label)
            for folder, dirnames, filenames in os.walk(top):
                dirnames[:] = sorted(d for d in dirnames if not self._special(d))
                for name in filenames:
                    full = os.path.join(folder, name)
                    if self._special(name) or has_front_matter(full):
                        continue
                    inner = os.path.relpath(full, top).replace(os.sep, "/")
                    ext = os.path.splitext(inner)[1]
                    cleaned = re.sub(r"\.*$", "", inner[: len(inner) - len(ext)] if ext else inner)
                    url = self._expand(template or "/:collection/:path:output_ext", {
                        "collection": label, "path": "/" + cleaned, "output_ext": "", "name": slugify(
                            os.path.basename(cleaned)), "title": os.path.basename(cleaned),
                        "slug": slugify(os.path.basename(cleaned)), "categories": "", **self._dates(self.now)})
                    out.setdefault(url.rstrip("/") + ext, full)
        self.__dict__["_static_url_map"] = out
        return out

    def _dates(self, date: dt.datetime | None) -> dict[str, str]:
        """The date placeholders, in the site's time zone (Jekyll reads dates in local time)."""
        d = date.astimezone(self.tz) if date is not None else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        iso = d.isocalendar()
        return {
            "year": f"{d.year:04d}", "month": f"{d.month:02d}", "i_month": str(d.month), "day": f"{d.day:02d}",
            "i_day": str(d.day), "short_year": f"{d.year % 100:02d}", "hour": f"{d.hour:02d}",
            "minute": f"{d.minute:02d}", "second": f"{d.second:02d}", "y_day": f"{d.timetuple().tm_yday:03d}",
            "short_month": d.strftime("%b"), "long_month": d.strftime("%B"), "short_day": d.strftime("%a"),
            "long_day": d.strftime("%A"), "week": f"{iso[1]:02d}", "w_year": str(iso[0]), "w_day": str(iso[2]),
        }

    def _expand(self, pattern: str, values: dict[str, str]) -> str:
        """``URL#generate_url_from_drop`` then ``sanitize_url``."""
        def token(m: re.Match[str]) -> str:
            name = m.group(1)
            for key in ((name, name[:-1]) if name.endswith("_") else (name,)):
                if key in values:
                    rest = m.group(0)[1 + len(key):]
                    return (values[key] or "") + rest
            return m.group(0)

        return sanitize_url(re.sub(r":([a-z_]+)", token, pattern))

    def _aliases(self, value: Any) -> list[Alias]:
        items = [(-1, value)] if isinstance(value, str) else list(enumerate(value)) if isinstance(value, list) else []
        out = []
        for index, raw in items:
            if isinstance(raw, str) and raw.strip():
                a = raw.strip()
                if "://" in a:
                    out.append(Alias(raw, "", index, "jekyll-redirect-from expects a path, not a full URL"))
                    continue
                a = a if a.startswith("/") else "/" + a
                out.append(Alias(raw, a, index))
        return out

    def list_pages(self, pages: list[Page]) -> list[Page]:
        """Pages without a file of their own: the home page when no file makes one (the model's
        root), and the files Jekyll's plugins write."""
        out = []
        if not any(p.url == "/" for p in pages):
            out.append(Page("", "", "", "home", "/", title="home"))
        urls = self.generated_urls() + self._archive_urls(pages)
        for url, plugin in dict(urls).items():
            out.append(Page("", "", "", "list", url, title=plugin))
        return out

    def _posts_of(self, pages: list[Page]) -> list[tuple[Page, dict[str, Any], list[str]]]:
        """(page, front matter with defaults, folder categories) of each published post."""
        out = []
        for page in pages:
            if not page.published or not page.rel:
                continue
            kind, cut = self.kind_of(page.rel)
            if kind != "post":
                continue
            meta = {**self.defaults(page.rel, "posts"), **_meta(page.facts or {})}
            out.append((page, meta, [d for d in page.rel.split("/")[:cut] if d]))
        return out

    def _archive_urls(self, pages: list[Page]) -> list[tuple[str, str]]:
        """The pages jekyll-archives (tags, categories, years, months, days) and
        jekyll-paginate (``/page2/``...) write for the site's posts."""
        archives = "jekyll-archives" in self.plugins
        paginate = self.site.setting("paginate", None)
        paginate = paginate if "jekyll-paginate" in self.plugins and isinstance(paginate, int) \
            and not isinstance(paginate, bool) and paginate > 0 else 0
        if not archives and not paginate:
            return []
        posts = self._posts_of(pages)
        out: list[tuple[str, str]] = []
        if paginate and posts:
            pattern = self.site.setting("paginate_path", "/page:num/")
            pattern = pattern if isinstance(pattern, str) and ":num" in pattern else "/page:num/"
            for num in range(2, -(-len(posts) // paginate) + 1):
                out.append((sanitize_url(pattern.replace(":num", str(num))), "jekyll-paginate"))
        if not archives:
            return out
        config = self.site.setting("jekyll-archives", None)
        config = config if isinstance(config, dict) else {}
        enabled = config.get("enabled", [])
        links = {"year": "/:year/", "month": "/:year/:month/", "day": "/:year/:month/:day/",
                 "tag": "/tag/:name/", "category": "/category/:name/"}
        if isinstance(config.get("permalinks"), dict):
            links.update({k: v for k, v in config["permalinks"].items() if isinstance(v, str)})

        def on(kind: str) -> bool:
            return enabled is True or enabled == "all" or isinstance(enabled, list) and kind in enabled

        for page, meta, folders in posts:
            terms = []
            if on("tags"):
                terms += [("tag", t) for t in tags_of(meta)]
            if on("categories"):
                terms += [("category", c) for c in categories_of(meta, folders)]
            for kind, term in terms:
                slug = slugify(term)
                out.append((sanitize_url(_fill(links[kind], {"name": slug, "type": kind})), "jekyll-archives"))
            if on("year") or on("month") or on("day"):
                date = self._date_of(page, meta)
                if date is None:
                    continue
                d = self._dates(date)
                for kind in ("year", "month", "day"):
                    if on(kind):
                        out.append((sanitize_url(_fill(links[kind], {"year": d["year"], "month": d["month"],
                                                                     "day": d["day"], "type": kind})),
                                    "jekyll-archives"))
        return out

    def _date_of(self, page: Page, meta: dict[str, Any]) -> dt.datetime | None:
        date = parse_time(meta.get("date"), self.tz)
        if date is None:
            m = _POST.match(os.path.splitext(page.rel.rsplit("/", 1)[-1])[0])
            if m:
                try:
                    date = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=self.tz)
                except ValueError:
                    return None
        return date

    def generated_urls(self) -> list[tuple[str, str]]:
        """(URL, plugin) of the files the site's plugins write."""
        out = []
        if "jekyll-sitemap" in self.plugins:
            out.append(("/sitemap.xml", "jekyll-sitemap"))
            if not os.path.isfile(os.path.join(self.site.root, "robots.txt")):
                out.append(("/robots.txt", "jekyll-sitemap"))
        if "jekyll-feed" in self.plugins:
            path = self.site.setting("feed.path", None)
            out.append(("/" + (path.strip("/") if isinstance(path, str) and path.strip("/") else "feed.xml"),
                        "jekyll-feed"))
            cats = self.site.setting("feed.categories", None)
            for cat in cats if isinstance(cats, list) else []:
                out.append((f"/feed/{cat}.xml", "jekyll-feed"))
        if "jekyll-redirect-from" in self.plugins and self.site.setting("redirect_from.json", True) is not False:
            out.append(("/redirects.json", "jekyll-redirect-from"))
        return out

    def anchor_ids(self, headings: Iterable[str]) -> list[str]:
        ids = []
        for raw in headings:
            # kramdown's HEADER_ID: `` {#id}`` alone at the end (``{#id .class}`` and ``{: #id}``
            # are text there, and part of the GFM id; checked with Jekyll 4.3)
            m = re.search(r"[ \t]\{#([A-Za-z][\w:-]*)\}[ \t]*$", raw)
            ids.append(m.group(1) if m else gfm_anchor(inline_text(raw)))
        return number_duplicates(ids, "section")

    @property
    def emoji_enabled(self) -> bool:
        return "jemoji" in self.plugins

    @property
    def rewrites_markdown_links(self) -> bool:
        return "jekyll-relative-links" in self.plugins

    # -- the page as Jekyll renders it ----------------------------------------------------
    def rendered(self, facts: dict[str, Any], page: Page) -> dict[str, Any]:
        """``facts`` as Jekyll renders the page: Liquid in link and image URLs evaluated (the
        URL as written kept under ``written``), raw HTML images read from the links (the
        ``site`` fact's own list, which cannot see past a quote inside Liquid, is left out),
        front matter images as the layouts write them. The facts themselves (cached,
        shared) are never changed: a changed copy is returned."""
        links = facts.get("links") or ()
        extra = facts.get("site") or {}
        html = any(link.get("html") for link in links)
        liquid = any("{" in (link.get("url") or "") or _MASK in (link.get("url") or "") for link in links)
        images = self._front_matter_images(facts, page)
        # Ids written with Liquid (``<span id="{{ tag[0] }}">`` in a loop), headings holding
        # Liquid: the page's anchors are made when it is built and cannot be listed.
        made = any("{{" in i or "{%" in i for i in extra.get("ids") or ()) or \
            any(_MASK in (h.get("text") or "") for h in facts.get("headings") or ())
        name = self._layout_of(page)
        layout = self._layout(name) if name else None
        # (ids a layout makes with Liquid, a navigation menu's, are not counted: a link into a
        # post's content is checked against the content and the layout's plain ids)
        framed = layout is not None and bool(layout.ids)
        if not html and not liquid and images is None and not made and not framed:
            return facts
        out = dict(facts)
        if framed:
            # the ids the layout writes around the content (a header's, a form's) are anchors too
            site_facts = dict(out.get("site") or {})
            site_facts["ids"] = list(site_facts.get("ids") or ()) + sorted(layout.ids)
            out["site"] = site_facts
        if made:
            # (the model's sign for "more anchors than the facts show": a template that renders
            # markup, as a {{% shortcode %}} is on Hugo)
            site_facts = dict(out.get("site") or {})
            site_facts["shortcodes"] = list(site_facts.get("shortcodes") or ()) + [
                ("liquid", "%", False, "", (1, 1, 1, 1), (0, 0), [])]
            out["site"] = site_facts
        if html or liquid:
            new = []
            for link in links:
                url = link.get("url") or ""
                if "{{" in url or "{%" in url or _MASK in url:  # (masked: facts of an older version)
                    value = self.evaluate(url, page)
                    if value is None:
                        if link.get("kind") != "image":
                            new.append(link)  # kept with its Liquid: the model does not judge it
                        continue
                    if link.get("kind") == "image":
                        value = self._own_path(value)
                    # (no span: a fix would write the evaluated URL over the Liquid the author wrote)
                    link = {**link, "url": value, "written": url, "url_span": (-1, -1)}
                new.append(link)
            out["links"] = new
        if html and extra.get("images"):
            out["site"] = {k: v for k, v in (out.get("site") or extra).items() if k != "images"}
        if images is not None:
            fm = dict(facts.get("front_matter") or {})
            fm["data"], fm["written"] = images
            out["front_matter"] = fm
            values = (out.get("site") or extra).get("values")
            if fm["written"] and values:
                # a rewritten value is no longer the text at its span: no fix may write it back
                site_facts = dict(out.get("site") or extra)
                site_facts["values"] = {k: (v[:3] + (False,) + v[4:] if k in fm["written"] else v)
                                        for k, v in values.items()}
                out["site"] = site_facts
        return out

    def _own_path(self, url: str) -> str:
        """An image URL on the site's own host (``{{ site.url }}/...``) as its path: it names
        a file of this site, which the image rules look up (a full URL is another site's)."""
        if "://" not in url or not self.url:
            return url
        from blogtools.urls import urlsplit

        mine, theirs = urlsplit(self.url), urlsplit(url)
        if theirs.scheme in ("http", "https") and theirs.netloc.lower() == mine.netloc.lower():
            return (theirs.path or "/") + ("?" + theirs.query if theirs.query else "")
        return url

    def _front_matter_images(self, facts: dict[str, Any], page: Page) -> tuple[dict[str, Any], dict[str, str]] | None:
        """(front matter data with image keys as the layouts write them, key → value as
        written), or None when the page names no image key."""
        from blogtools.site import DEFAULT_IMAGE_KEYS

        data = (facts.get("front_matter") or {}).get("data")
        if not isinstance(data, dict):
            return None
        keys = [k for k in data if isinstance(k, str) and (k in DEFAULT_IMAGE_KEYS or k.lower() in _IMAGE_WORDS)]
        if not keys:
            return None
        new = dict(data)
        written: dict[str, str] = {}
        for key in keys:
            value = data[key]
            if not isinstance(value, str) or not value.strip():
                continue
            url = self.front_matter_url(key, value, page)
            if url is None:
                del new[key]  # no layout of the page shows it, or not in a way we can read
            elif url != value:
                new[key] = url
                written[key] = value
        return new, written

    def front_matter_url(self, key: str, value: str, page: Page) -> str | None:
        """The URL the page's layouts write for the front matter ``key`` holding ``value``
        (as on the built page, base path included), or None when no layout of the page shows
        it in an ``<img src>``/``<a href>`` (or a ``<meta content>``) we can read."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//", value.strip()):
            return value  # a full URL: what it names is elsewhere
        layout = self._layout_of(page)
        if not layout:
            return None
        uses = self._layout_uses(layout).get(key)
        if not uses or None in uses:
            return None  # not shown, or shown in a way we cannot read
        results = {self._apply(use, value.strip(), page) for use in uses}
        if len(results) != 1:
            return None  # written several ways: which one is broken cannot be told
        url = results.pop()
        if url is None:
            return None
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//|^/", url):
            url = self.base_path + resolve_relative(page.url, url)  # relative to the page
        return url

    def _layout_of(self, page: Page) -> str:
        rel = page.rel
        kind, detail = self.kind_of(rel)
        dtype = "posts" if kind in ("post", "draft") else detail[0] if kind == "collection" else "pages"
        meta = {**self.defaults(rel, dtype), **_meta(page.facts or {})}
        layout = meta.get("layout")
        return layout if isinstance(layout, str) else ""

    def _apply(self, use: tuple[str, list[tuple[str, str]], str], value: str, page: Page) -> str | None:
        before, filters, after = use
        result: str | None = value
        for name, arg in filters:
            result = self._filter(result, name, arg, page)
            if result is None:
                return None
        return before + result + after

    def _layout(self, name: str, seen: frozenset[str] = frozenset()) -> "_Layout":
        """What the layout ``name`` (with the layouts it sits in and the includes they use)
        writes around a page: how it writes ``page.<key>`` in URL attributes, and its ids."""
        cached = self._layouts.get(name)
        if cached is not None:
            return cached
        info = self._layouts[name] = _Layout()  # (a layout cycle ends here)
        path = self._layout_file(name)
        if path is not None and name not in seen:
            text = self._read(path)
            from blogtools.frontmatter import parse

            fm = parse(text)
            body = text[fm.end:] if fm is not None else text
            parent = fm.data.get("layout") if fm is not None and isinstance(fm.data, dict) else None
            self._scan_template(body, info, set())
            if isinstance(parent, str) and parent:
                outer = self._layout(parent, seen | {name})
                for k, v in outer.uses.items():
                    info.uses.setdefault(k, set()).update(v)
                info.ids |= outer.ids
        for found in info.uses.values():
            if None in found:
                found.clear()
                found.add(None)
        return info

    def _layout_uses(self, name: str) -> dict[str, set[Any]]:
        """Front matter key → how the layout ``name`` writes ``page.<key>`` in a URL
        attribute: (text before, filters, text after), or None for a use we cannot read."""
        return self._layout(name).uses

    def _layout_file(self, name: str) -> str | None:
        folder = self.site.setting("layouts_dir", "_layouts")
        folder = folder if isinstance(folder, str) and folder else "_layouts"
        base = os.path.join(self.site.root, folder)
        for cand in (name, name + ".html", name + ".md", name + ".xml"):
            full = os.path.join(base, cand)
            if os.path.isfile(full):
                return full
        return None

    def _read(self, path: str) -> str:
        text = self._file_text.get(path)
        if text is None:
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = fh.read(1 << 20)
            except OSError:
                text = ""
            self._file_text[path] = text
        return text

    _ATTR_VALUE = re.compile(r"""\s(src|href|content|data-src|poster)\s*=\s*(?:"((?:[^"{]|\{\{[^}]*\}\}|\{%[^%]*%\}|\{(?![{%]))*)"|'((?:[^'{]|\{\{[^}]*\}\}|\{%[^%]*%\}|\{(?![{%]))*)')""",
                             re.I)
    _INCLUDE = re.compile(r"\{%-?\s*include\s+([\w./-]+)")
    _SEO = re.compile(r"\{%-?\s*seo\b")

    _ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)

    def _scan_template(self, text: str, info: "_Layout", seen: set[str]) -> None:
        uses = info.uses
        for m in self._ATTR_VALUE.finditer(text):
            value = m.group(2) if m.group(2) is not None else m.group(3)
            if "page." not in value:
                continue
            for piece in _PIECE.finditer(value):
                expr = piece.group(1)
                if expr is None:
                    continue
                parts = _split_filters(expr)
                if not parts:
                    continue
                head = re.fullmatch(r"\s*page\.([\w-]+)\s*", parts[0])
                if head is None:
                    continue
                key = head.group(1)
                before = self.evaluate(value[: piece.start()], None)
                after = self.evaluate(value[piece.end():], None)
                filters: list[tuple[str, str]] | None = []
                for f in parts[1:]:
                    fm_ = re.fullmatch(r"\s*(\w+)\s*(?::\s*(.*?))?\s*", f, re.S)
                    if fm_ is None:
                        filters = None
                        break
                    filters.append((fm_.group(1), fm_.group(2) or ""))
                if before is None or after is None or filters is None or \
                        any(name not in _URL_FILTERS for name, _ in filters):
                    uses.setdefault(key, set()).add(None)  # a use we cannot read
                    continue
                uses.setdefault(key, set()).add((before, tuple(filters), after))
        if self._SEO.search(text) and "jekyll-seo-tag" in self.plugins:
            uses.setdefault("image", set()).add(("", (("absolute_url", ""),), ""))
        for m in self._ID.finditer(text):
            value = m.group(1) if m.group(1) is not None else m.group(2)
            if value and "{{" not in value and "{%" not in value:
                info.ids.add(value)
        for m in self._INCLUDE.finditer(text):
            name = m.group(1)
            if name in seen:
                continue
            seen.add(name)
            folder = self.site.setting("includes_dir", "_includes")
            folder = folder if isinstance(folder, str) and folder else "_includes"
            full = os.path.join(self.site.root, folder, name)
            if os.path.isfile(full):
                self._scan_template(self._read(full), info, seen)

    # -- Liquid ------------------------------------------------------------------------
    def evaluate(self, written: str, page: Page | None) -> str | None:
        """A URL with Liquid as Jekyll renders it, or None when some of its Liquid cannot be
        evaluated here (a variable other than ``site.url``, ``site.baseurl``, ``page.url``, a
        filter other than the URL ones, a tag other than ``link``/``post_url``) or names no
        file (``{% link %}``, ``{% post_url %}``: Jekyll stops the build)."""
        out = []
        pos = 0
        for m in _PIECE.finditer(written):
            out.append(written[pos : m.start()])
            if m.group(1) is not None:
                value = self._output(m.group(1), page)
            else:
                value = self._tag(m.group(2), m.group(3), page)
            if value is None:
                return None
            out.append(value)
            pos = m.end()
        out.append(written[pos:])
        result = "".join(out)
        if "{{" in result or "{%" in result or _MASK in result:
            return None
        return result

    def _value(self, expr: str, page: Page | None) -> str | None:
        expr = expr.strip()
        if len(expr) >= 2 and expr[0] in "\"'" and expr[-1] == expr[0]:
            return expr[1:-1]
        if expr == "site.url":
            return self.url
        if expr == "site.baseurl":
            return self.baseurl
        if expr == "page.url" and page is not None and page.url:
            return _escape_path(page.url)
        return None

    def _output(self, expr: str, page: Page | None) -> str | None:
        parts = _split_filters(expr)
        if not parts:
            return None
        value = self._value(parts[0], page)
        for f in parts[1:]:
            if value is None:
                return None
            m = re.fullmatch(r"\s*(\w+)\s*(?::\s*(.*?))?\s*", f, re.S)
            if m is None:
                return None
            value = self._filter(value, m.group(1), m.group(2) or "", page)
        return value

    def _filter(self, value: str, name: str, arg: str, page: Page | None) -> str | None:
        if name == "relative_url":
            return self.relative_url(value)
        if name == "absolute_url":
            return self.absolute_url(value)
        if name in ("prepend", "append"):
            other = self._value(arg, page)
            if other is None:
                return None
            return other + value if name == "prepend" else value + other
        return None

    def relative_url(self, value: str) -> str:
        """Jekyll's ``relative_url`` filter: the base URL in front of a path (a full URL is
        left as it is), non-ASCII characters percent-encoded (``Addressable::URI#normalize``)."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            return value
        base = self.baseurl.rstrip("/")
        parts = [p if not p or p.startswith("/") else "/" + p for p in (base, value)]
        return _normalize("".join(parts))

    def absolute_url(self, value: str) -> str:
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            return value
        if self.site.setting("url", None) is None:
            return self.relative_url(value)
        return _normalize(self.url + self.relative_url(value))

    def _tag(self, name: str, args: str, page: Page | None) -> str | None:
        args = args.strip()
        if not args or "{{" in args or "{%" in args:
            return None
        if name == "link":
            url = self.url_of_file(args)
        elif name == "post_url":
            url = self.post_url(args)
        else:
            return None
        return self.relative_url(_escape_path(url)) if url is not None else None

    def _date(self, meta: dict[str, Any], named: "re.Match[str] | None") -> dt.datetime | None:
        """A document's date: the front matter's as Ruby reads it, else the file name's
        (``2020-01-02-title.md``), at midnight in the site's zone."""
        date = parse_time(meta.get("date"), self.tz)
        if date is None and named:
            try:
                date = dt.datetime(int(named.group(1)), int(named.group(2)), int(named.group(3)), tzinfo=self.tz)
            except ValueError:
                date = None
        return date

    def url_of_file(self, rel: str) -> str | None:
        """The URL of the file at ``rel`` (relative to the source), as ``{% link %}`` finds
        it: a page, a post or a collection document Jekyll publishes, or a static file;
        None when Jekyll has none there."""
        rel = rel.strip().strip("/")
        if rel in self._sources:
            return self._sources[rel]
        url: str | None = None
        full = os.path.join(self.site.root, *rel.split("/"))
        if rel and ".." not in rel.split("/") and os.path.isfile(full) and not self.excluded(rel):
            if has_front_matter(full):
                from blogtools.frontmatter import parse

                fm = parse(self._read(full))
                data = fm.data if fm is not None and isinstance(fm.data, dict) else {}
                facts = {"path": rel, "abspath": os.path.abspath(full),
                         "front_matter": {"format": "yaml", "data": data, "keys": {}}}
                page = self._page(facts, self.site.root)
                if page is not None and page.published:
                    url = page.url
            elif self.kind_of(rel)[0] == "page":
                url = "/" + rel
        self._sources[rel] = url
        return url

    def post_url(self, name: str) -> str | None:
        """The URL ``{% post_url name %}`` writes (``PostComparer``: ``_posts/<path><name>.<ext>``
        or ``<path>_posts/<name>.<ext>``, then the deprecated match on date and slug); None
        when no post is named so (Jekyll stops the build)."""
        name = name.strip().lstrip("/")
        m = re.match(r"^((?:.+/)*)(\d+-\d+-\d+)-(.*)$", name)
        if m is None:
            return None
        path, date, slug = m.groups()
        pattern = re.compile(rf"^_posts/{re.escape(path)}{re.escape(date)}-{re.escape(slug)}\.[^.]+$|"
                             rf"^{re.escape(path)}_posts/?{re.escape(date)}-{re.escape(slug)}\.[^.]+$")
        files = self._posts()
        for rel in files:
            if pattern.match(rel):
                return self.url_of_file(self._source_rel(rel))
        for rel in files:  # deprecated: a post in a sub-folder, matched by date and slug
            base = os.path.splitext(rel.rsplit("/", 1)[-1])[0]
            pm = _POST.match(base)
            if pm and pm.group(4) == slug and [int(x) for x in pm.groups()[:3]] == \
                    [int(x) for x in date.split("-")]:
                return self.url_of_file(self._source_rel(rel))
        return None

    def _source_rel(self, rel: str) -> str:
        return f"{self.collections_dir}/{rel}" if self.collections_dir else rel

    def _posts(self) -> list[str]:
        """Every file in a ``_posts`` folder, relative to the collections folder."""
        if self._post_files is None:
            base = os.path.join(self.site.root, *self.collections_dir.split("/")) if self.collections_dir \
                else self.site.root
            found: list[str] = []
            for dirpath, dirnames, filenames in os.walk(base):
                rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
                rel_dir = "" if rel_dir == "." else rel_dir
                dirnames[:] = sorted(d for d in dirnames if (d == "_posts" or "_posts" in rel_dir.split("/")
                                                              or not self._special(d))
                                     and not self.excluded(f"{rel_dir}/{d}".lstrip("/")))
                if "_posts" in rel_dir.split("/"):
                    found.extend(f"{rel_dir}/{f}" for f in sorted(filenames))
            self._post_files = found
        return self._post_files


class _Layout:
    """What a layout chain writes around a page (see :meth:`Jekyll._layout`)."""

    __slots__ = ("uses", "ids")

    def __init__(self) -> None:
        self.uses: dict[str, set[Any]] = {}  # front matter key → how it is written in URLs
        self.ids: set[str] = set()  # the plain ids it writes (a header's, a form's)


def _precedes(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """``FrontmatterDefaults#has_precedence?``."""
    new_path = str(new.get("path") or "").strip("/")
    old_path = str(old.get("path") or "").strip("/")
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    return "type" in new or "type" not in old


def _collections(value: Any) -> dict[str, tuple[bool, str | None]]:
    """label → (output, permalink) of the site's collections (a list or a table); ``posts``
    is Jekyll's own."""
    out: dict[str, tuple[bool, str | None]] = {}
    if isinstance(value, list):
        for label in value:
            if isinstance(label, str):
                out[label] = (False, None)
    elif isinstance(value, dict):
        for label, meta in value.items():
            meta = meta if isinstance(meta, dict) else {}
            perma = meta.get("permalink")
            out[str(label)] = (meta.get("output") is True, perma if isinstance(perma, str) and perma else None)
    out.pop("posts", None)
    return out


def _cleaned_path(rel: str, ext: str, folder: str) -> str:
    """``Document#cleaned_relative_path``: the path without its extension, the collection's
    folder taken out, trailing dots dropped."""
    path = rel[: -len(ext)] if ext else rel
    path = path.replace(folder, "", 1)
    return re.sub(r"\.+$", "", path)


def _fill(template: str, values: dict[str, str]) -> str:
    """``URL#generate_url_from_hash``: each ``:key`` replaced (a page's placeholders)."""
    for key, value in values.items():
        template = template.replace(":" + key, value)
    return template


_MASK = "\x1a"  # (blogtools.markdown.MASK: Liquid in a heading's parsed text)
_PIECE = re.compile(r"\{\{-?(.*?)-?\}\}|\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_URL_FILTERS = {"relative_url", "absolute_url", "prepend", "append"}
_IMAGE_WORDS = {"image", "images", "featured_image", "featuredimage", "cover", "thumbnail", "header-img",
                "header_image", "og_image", "teaser"}


def _split_filters(expr: str) -> list[str]:
    """``a | f: x | g`` → ["a", "f: x", "g"], ``|`` inside quotes kept."""
    parts: list[str] = []
    buf: list[str] = []
    quote = ""
    for ch in expr:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            buf.append(ch)
        elif ch == "|":
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p for p in (x.strip() for x in parts)] if any(p.strip() for p in parts) else []


def _normalize(url: str) -> str:
    """``Addressable::URI#normalize`` as far as a link's path goes: characters outside ASCII
    and spaces percent-encoded; what is already encoded stays."""
    return quote(url, safe="/:?#[]@!$&'()*+,;=%~-._")


def _escape_path(path: str) -> str:
    """``URL.escape_path``: a URL Jekyll writes, percent-encoded beyond ``[A-Za-z0-9./-]``."""
    if not path or re.fullmatch(r"[a-zA-Z0-9./-]+", path):
        return path
    return quote(path, safe="/:?[]@!$&'()*+,;=%~-._").replace("#", "%23")
