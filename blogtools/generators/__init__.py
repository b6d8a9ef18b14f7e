"""Generator profiles: how a static site generator turns content files into URLs.

A profile reads the site's configuration (through :class:`blogtools.site.Site`) and answers,
for the facts of one content file, which page it becomes: its URL, its aliases, where its
resources are published. It also knows the generator's heading-anchor algorithm, its
built-in and project shortcodes, and what it does with raw HTML. ``hugo`` is the reference;
``jekyll`` and ``plain`` (a folder of Markdown files read on GitHub or in an editor) follow
the same interface.

Everything here works from facts (front matter data and the path relative to the content
folder); no content file is read. Listing a folder (layouts, a bundle) is allowed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from blogtools.site import Page, Site

CONTENT_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".html", ".htm", ".org", ".adoc", ".asciidoc",
                    ".rst", ".pandoc", ".pdc", ".ipynb")


def _unescape(text: str) -> str:
    """``html.unescape``, importing :mod:`html` (its entity table) only when needed."""
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


class Generator:
    """The interface every profile implements (the plain-folder behaviour by default)."""

    name = "plain"
    #: shortcode name → "" (built in); project templates are added by :meth:`shortcodes`
    builtin_shortcodes: dict[str, str] = {}
    #: shortcode name → (version it was removed in, what to use instead)
    removed_shortcodes: dict[str, tuple[str, str]] = {}
    #: rule code prefixes that do not run on this kind of site (its keys are not ours)
    quiet_codes: tuple[str, ...] = ()
    #: whether the site model knows its URLs (internal links and images are judged)
    judges_links = True
    def __init__(self, site: "Site") -> None:
        self.site = site

    @property
    def notice(self) -> str:
        """A sentence for the user when this kind of site is only partly understood (said
        once by lint); by default, that a WordPress export lies in the site's folder."""
        from blogtools.generators import wordpress

        return wordpress.notice(self.site.root)

    # -- folders ---------------------------------------------------------------------
    def content_dirs(self) -> list[tuple[str, str]]:
        """(absolute folder, language code or "") of every content folder."""
        return [(self.site.root, "")]

    def static_dirs(self) -> list[str]:
        """Folders whose files are published as they are, at the site root."""
        return [self.site.root]

    def layout_dirs(self) -> list[str]:
        return []

    # -- pages -----------------------------------------------------------------------
    def make_page(self, facts: dict[str, Any], content_dir: str, lang: str) -> "Page | None":
        from blogtools.site import Page

        rel = _rel(facts.get("abspath", ""), content_dir)
        return Page(facts.get("path", rel), facts.get("abspath", ""), rel, "page", "/" + rel, lang=lang,
                    title=str(_meta(facts).get("title") or ""), facts=facts)

    def list_pages(self, pages: list["Page"]) -> list["Page"]:
        """Pages with no content file of their own (home, sections, taxonomies)."""
        return []

    def language_prefix(self, lang: str) -> str:
        return ""

    def language_rank(self, lang: str) -> int:
        """Order of a language (0 first): a bundle shared by translations publishes its files
        once, with the first language's page."""
        return 0

    @property
    def body_resources_resolved(self) -> bool:
        """A relative image or link in the body is looked up among the page's resources (Hugo's
        default render hooks, on in multilingual sites), not only as a URL."""
        return False

    # -- rendering -------------------------------------------------------------------
    def anchor_ids(self, headings: Iterable[str]) -> list[str]:
        """Heading ids, in order, the way this generator writes them (duplicates numbered)."""
        return number_duplicates((github_anchor(inline_text(h)) for h in headings), "")

    @property
    def raw_html_rendered(self) -> bool:
        return True

    @property
    def emoji_enabled(self) -> bool:
        return True

    @property
    def rewrites_markdown_links(self) -> bool:
        """True when a link to ``other.md`` works as it is (GitHub, editors)."""
        return True

    def shortcodes(self) -> dict[str, str]:
        """Shortcode name → template path ("" for a built-in)."""
        return {}

    def paired_shortcodes(self) -> set[str]:
        """Shortcodes whose template reads ``.Inner`` (they must be closed)."""
        return set()

    def version(self) -> tuple[int, ...] | None:
        return None

    def embedded_hook(self, kind: str) -> bool:
        """Whether the generator's own ``kind`` ("link"/"image") render hook looks
        destinations up as pages and page resources before taking them as URLs."""
        return False

    def writes_output(self, key: str, model: Any) -> bool:
        """Whether the generator writes a file at URL ``key`` that is no page, alias or
        static file (a feed, a sitemap); ``model`` is the site model asking."""
        return False

    def static_file(self, path: str, model: Any) -> str | None:
        """The source file the generator publishes at URL ``path`` (decoded) where the URL is
        not the file's own path below a static folder, or None."""
        return None

    def serves_unlisted(self, path: str) -> bool:
        """Whether URL ``path`` may be served by the platform from outside the tree (Hatena's
        archives and category pages): then a link to it cannot be judged."""
        return False


def for_site(site: "Site") -> Generator:
    if site.generator == "hugo":
        from blogtools.generators.hugo import Hugo

        return Hugo(site)
    if site.generator == "jekyll":
        from blogtools.generators.jekyll import Jekyll

        return Jekyll(site)
    if site.generator == "hatena":
        from blogtools.generators.hatena import Hatena

        return Hatena(site)
    from blogtools.generators.plain import Plain

    return Plain(site)


# --------------------------------------------------------------------------- helpers
def _rel(abspath: str, root: str) -> str:
    prefix = root.rstrip(os.sep) + os.sep
    if abspath.startswith(prefix) and os.sep + "." not in abspath[len(prefix) - 1 :]:
        return abspath[len(prefix) :].replace(os.sep, "/")
    try:
        return os.path.relpath(abspath, root).replace(os.sep, "/")
    except ValueError:
        return os.path.basename(abspath)


def content_path(facts: dict[str, Any], content_dir: str) -> tuple[str, list[str], str] | None:
    """(path relative to the content folder, its parts, the file name's stem) of a content
    file; None for a file outside the folder or not a content format."""
    rel = _rel(facts.get("abspath", ""), content_dir)
    parts = rel.split("/")
    stem, ext = os.path.splitext(parts[-1])
    if ext.lower() not in CONTENT_SUFFIXES or rel.startswith("../"):
        return None
    return rel, parts, stem


def _meta(facts: dict[str, Any]) -> dict[str, Any]:
    data = (facts.get("front_matter") or {}).get("data") or {}
    return data if isinstance(data, dict) else {}


def lower_keys(data: dict[str, Any]) -> dict[str, Any]:
    """Front matter with lower-cased keys (Hugo reads keys case-insensitively); first wins."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        out.setdefault(str(k).lower(), v)
    return out


def number_duplicates(ids: Iterable[str], empty: str) -> list[str]:
    """goldmark's id factory: an empty id becomes ``empty``; a repeat gets -1, -2, ..."""
    used: set[str] = set()
    out = []
    for base in ids:
        if not base:
            if not empty:
                out.append("")
                continue
            base = empty
        anchor = base
        if anchor in used:
            i = 1
            while f"{base}-{i}" in used:
                i += 1
            anchor = f"{base}-{i}"
        used.add(anchor)
        out.append(anchor)
    return out


def _is_word(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    import unicodedata

    cat = unicodedata.category(ch)
    return cat[0] == "L" or cat == "Nd"


def github_anchor(text: str, ascii_only: bool = False) -> str:
    """Hugo/goldmark ``autoHeadingIDType = "github"``: lower-case, keep letters (any script),
    digits and ``_``, turn ``-`` and each space into ``-``, drop everything else."""
    if ascii_only:
        text = remove_accents(text)
    out = []
    for ch in text.strip():
        if ascii_only and not ch.isascii():
            continue
        if ch in "- ":
            out.append("-")
        elif ch == "_" or _is_word(ch):
            out.append(ch.lower())
    return "".join(out)


def blackfriday_anchor(text: str) -> str:
    out: list[str] = []
    dash = False
    for ch in text:
        if _is_word(ch) or (not ch.isascii() and ch.isnumeric()):
            if dash and out:
                out.append("-")
            dash = False
            out.append(ch.lower())
        else:
            dash = True
    return "".join(out)


def remove_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


# --------------------------------------------------------------------------- inline text
_CODE = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]*)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_ATTR = r"(?:[#.][\w-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|\S+))"
_ATTR_LIST = re.compile(rf"\s*{_ATTR}(?:\s+{_ATTR})*\s*")


def heading_attributes(text: str) -> tuple[str, str | None]:
    """Split a trailing ``{#id .class}`` off a heading: (text, id or None)."""
    m = _ATTRS.search(text)
    if not m or not _ATTR_LIST.fullmatch(m.group(1)):
        return text, None
    ident = re.search(r"(?:^|\s)#([\w-]+)", m.group(1))
    return text[: m.start()], ident.group(1) if ident else None


def inline_text(md: str) -> str:
    """The text a reader sees for inline Markdown (what goldmark hands the id generator)."""
    codes: list[str] = []

    def keep_code(m: re.Match[str]) -> str:
        inner = m.group(2)
        if len(inner) > 2 and inner[0] == " " and inner[-1] == " ":
            inner = inner[1:-1]
        codes.append(inner)
        return f"\x00{len(codes) - 1}\x00"

    s = _CODE.sub(keep_code, md)
    for _ in range(3):  # nested links and images
        s2 = _IMAGE.sub(r"\1", s)
        s2 = _LINK.sub(r"\1", s2)
        if s2 == s:
            break
        s = s2
    s = _AUTOLINK.sub(r"\1", s)
    s = _TAG.sub("", s)
    s = _strip_emphasis(s)
    s = _ESCAPE.sub(r"\1", s)
    s = _unescape(s)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], s)


def _strip_emphasis(s: str) -> str:
    """Drop ``*``/``_``/``~`` runs that open and close emphasis; literal ones stay."""
    runs = list(re.finditer(r"(\*+|_+|~~)", s))
    if not runs:
        return s
    drop: set[int] = set()
    stack: list[tuple[str, int]] = []
    for i, m in enumerate(runs):
        a, b = m.start(), m.end()
        before = s[a - 1] if a else " "
        after = s[b] if b < len(s) else " "
        left = not after.isspace() and (before.isspace() or not _is_word(before) or m.group(0)[0] == "*")
        right = not before.isspace() and (after.isspace() or not _is_word(after) or m.group(0)[0] == "*")
        ch = m.group(0)[0]
        if right:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == ch:
                    drop.add(stack[k][1])
                    drop.add(i)
                    del stack[k:]
                    break
            else:
                if left:
                    stack.append((ch, i))
            continue
        if left:
            stack.append((ch, i))
    out = []
    pos = 0
    for i, m in enumerate(runs):
        if i in drop:
            out.append(s[pos : m.start()])
            pos = m.end()
    out.append(s[pos:])
    return "".join(out)


# --------------------------------------------------------------------------- dates
_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


@lru_cache(maxsize=32)
def timezone(name: str | None) -> dt.tzinfo:
    if not name:
        return dt.timezone.utc
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # unknown zone or no tz database: Hugo would fail; we read UTC
        return dt.timezone.utc


def parse_date(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """A front matter date as an aware datetime (no offset → ``tz``), or None."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        return None
    m = _DATE.match(value)
    if not m:
        return None
    y, mo, d, h, mi, s, frac, off = m.groups()
    try:
        when = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                           int((frac or "0")[:6].ljust(6, "0")))
    except ValueError:
        return None
    if off is None:
        return when.replace(tzinfo=tz)
    if off in ("Z", "z", "UTC"):
        return when.replace(tzinfo=dt.timezone.utc)
    sign = -1 if off[0] == "-" else 1
    digits = off[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return when.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes)))
