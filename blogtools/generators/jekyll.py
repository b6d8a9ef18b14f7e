"""Jekyll: posts in ``_posts/``, ``permalink`` styles, ``redirect_from``, kramdown anchors.

- A post ``_posts/2020-01-02-my-title.md`` (or ``cat/_posts/...``: ``cat`` becomes a
  category) is published at the site ``permalink`` (``date`` by default:
  ``/:categories/:year/:month/:day/:title:output_ext``; named styles ``date pretty ordinal
  weekdate none``, or a pattern); the front matter ``permalink`` wins. ``:title`` is the
  file's slug (or the ``slug`` key), ``:slug`` its slugified form, categories are
  lower-cased.
- Any other Markdown file with front matter is a page: ``/about.html`` (``/about/`` with a
  pretty permalink), ``index.md`` is its folder. Files without front matter are copied as
  they are; folders starting with ``_`` are not published; ``_drafts`` are drafts.
- ``redirect_from`` (jekyll-redirect-from) is the alias list.
- Headings get kramdown's GFM ids (lower-case, word characters of any script, ``-``; spaces
  become ``-``); ``{% post_url 2010-07-21-name %}`` links to a post by its file name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from blogtools.generators import (
    Generator, _meta, content_path, inline_text, number_duplicates, parse_date, timezone,
)
from blogtools.site import Alias, Page, absolute

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")


def slugify(text: str) -> str:
    """Jekyll's ``Utils.slugify`` (default mode): non-alphanumerics → ``-``, lower-cased."""
    return re.sub(r"[^\w]+|_+", "-", text, flags=re.UNICODE).strip("-").lower()


def gfm_anchor(text: str) -> str:
    return re.sub(r"[ \t]", "-", re.sub(r"[^\w\- \t]", "", text.lower()))


class Jekyll(Generator):
    name = "jekyll"

    def __init__(self, site: Any) -> None:
        super().__init__(site)
        perma = site.setting("permalink", "date")
        self.permalink = STYLES.get(perma, perma) if isinstance(perma, str) and perma else STYLES["date"]
        self.tz = timezone(site.setting("timezone", None) if isinstance(site.setting("timezone", None), str) else None)
        plugins = (site.setting("plugins", []) or []) + (site.setting("gems", []) or [])
        self.plugins = {str(p) for p in plugins} if isinstance(plugins, list) else set()
        self.pretty = self.permalink.endswith("/")
        exclude = site.setting("exclude", []) or []
        extra = [str(e).strip("/") for e in exclude if isinstance(e, str)] if isinstance(exclude, list) else []
        self.exclude = {"vendor", "node_modules", "Gemfile", "Gemfile.lock", ".bundle", ".jekyll-cache", ".sass-cache",
                        *extra}
        self.now = dt.datetime.now(dt.timezone.utc)

    def static_dirs(self) -> list[str]:
        return [self.site.root]

    def make_page(self, facts: dict[str, Any], content_dir: str, lang: str) -> Page | None:
        split = content_path(facts, content_dir)
        if split is None:
            return None
        rel, parts, stem = split
        if (facts.get("front_matter") or {}).get("format") is None:
            return None  # copied as it is, not rendered
        if parts[0] in self.exclude or rel in self.exclude:
            return None  # not part of the site (exclude: in _config.yml, and Jekyll's defaults)
        meta = {str(k).lower(): v for k, v in _meta(facts).items()}
        dirs = parts[:-1]
        posts = "_posts" in dirs or "_drafts" in dirs
        if not posts and any(d.startswith("_") for d in dirs):
            return None
        page = Page(facts.get("path", rel), absolute(facts.get("abspath", "")), rel, "page", "/",
                    title=str(meta.get("title") or ""), facts=facts)
        custom = meta.get("permalink")
        if posts:
            cut = dirs.index("_posts") if "_posts" in dirs else dirs.index("_drafts")
            m = _POST.match(stem)
            title = m.group(4) if m else stem
            date = parse_date(meta.get("date"), self.tz)
            if date is None and m:
                date = dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=self.tz)
            cats = [d for d in dirs[:cut]] + _list(meta.get("categories")) + _list(meta.get("category"))
            pattern = custom if isinstance(custom, str) and custom else self.permalink
            page.url = self._expand(pattern, date, str(meta.get("slug") or title), cats, stem)
            if "_drafts" in dirs:
                page.published, page.unpublished_why = False, "draft"
            elif date is not None and date > self.now and not self.site.setting("future", False):
                page.published, page.unpublished_why = False, "dated in the future"
        else:
            if isinstance(custom, str) and custom:
                page.url = custom if custom.startswith("/") else "/" + custom
            elif stem == "index":
                page.url = "/" + "/".join(dirs) + ("/" if dirs else "")
            else:
                path = "/".join(dirs + [stem])
                page.url = "/" + path + ("/" if self.pretty else ".html")
        if meta.get("published") is False:
            page.published, page.unpublished_why = False, "published: false"
        page.url = re.sub(r"/{2,}", "/", page.url)
        page.aliases = self._aliases(meta.get("redirect_from"))
        return page

    def _expand(self, pattern: str, date: dt.datetime | None, title: str, cats: list[str], name: str) -> str:
        d = date or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        values = {
            "year": f"{d.year:04d}", "month": f"{d.month:02d}", "i_month": str(d.month), "day": f"{d.day:02d}",
            "i_day": str(d.day), "short_year": f"{d.year % 100:02d}", "hour": f"{d.hour:02d}",
            "minute": f"{d.minute:02d}", "second": f"{d.second:02d}", "y_day": f"{d.timetuple().tm_yday:03d}",
            "short_month": d.strftime("%b"), "long_month": d.strftime("%B"), "short_day": d.strftime("%a"),
            "long_day": d.strftime("%A"), "week": f"{d.isocalendar()[1]:02d}", "title": title,
            "slug": slugify(title), "name": name, "categories": "/".join(c.lower() for c in cats),
            "output_ext": ".html",
        }
        tokens = "|".join(sorted(values, key=len, reverse=True))
        path = re.sub(r":(" + tokens + ")", lambda m: values[m.group(1)], pattern)
        path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
        return path

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
        if any(p.url == "/" for p in pages):
            return []
        return [Page("", "", "", "home", "/", title="home")]

    def anchor_ids(self, headings: Iterable[str]) -> list[str]:
        ids = []
        for raw in headings:
            m = re.search(r"\s*\{:?\s*#([\w-]+)[^}]*\}\s*$", raw)
            ids.append(m.group(1) if m else gfm_anchor(inline_text(raw)))
        return number_duplicates(ids, "section")

    @property
    def emoji_enabled(self) -> bool:
        return "jemoji" in self.plugins

    @property
    def rewrites_markdown_links(self) -> bool:
        return "jekyll-relative-links" in self.plugins


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return []
