"""The neutral post: what every source reader produces and the Hugo writer consumes."""

from __future__ import annotations

from typing import Any

from blogtools.record import dataclass, field


@dataclass
class Asset:
    """A file the post refers to: copied (``src`` on disk) or fetched (``url``) into the bundle.

    ``name`` is the path inside the bundle (``images/1.png``); ``refs`` are the exact strings
    the body and front matter use for it today, each rewritten to ``name`` (or kept when a
    download fails).
    """

    name: str
    src: str | None = None  # a local file
    url: str | None = None  # a remote image
    refs: set[str] = field(default_factory=set)


@dataclass
class Post:
    source: str  # path of the source file, relative to SRC (shown in the report)
    meta: dict[str, Any]  # front matter data (plain values)
    body: str  # Markdown
    kind: str = "post"  # "post" → content/posts/<slug>/index.md; "page" → content/<path>
    slug_hint: str = ""  # the name --slug keep uses
    page_path: str = ""  # for pages: the path under content/ without extension (about, docs/x)
    old_urls: list[str] = field(default_factory=list)  # URLs the post had; each becomes an alias
    assets: list[Asset] = field(default_factory=list)
    origin: str = ""  # hugo | medium | jekyll | medium-to-hugo
    converted: list[str] = field(default_factory=list)
    kept_raw: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # reader facts (jekyll name, emoji, canonical)
    # filled in by the pipeline
    slug: str = ""
    out_path: str = ""  # relative to DIR
    url: str = ""  # the new URL

    @property
    def title(self) -> str:
        value = self.meta.get("title")
        return value if isinstance(value, str) else ""

    @property
    def draft(self) -> bool:
        return self.meta.get("draft") is True

    def note(self, what: str) -> None:
        if what not in self.converted:
            self.converted.append(what)

    def warn(self, what: str) -> None:
        if what not in self.warnings:
            self.warnings.append(what)

    def raw(self, what: str) -> None:
        if what not in self.kept_raw:
            self.kept_raw.append(what)


@dataclass
class SourceSite:
    """What a reader learnt about the whole source: config facts the target carries over."""

    kind: str  # hugo | medium | jekyll
    root: str
    title: str = ""
    base_url: str = ""
    language: str = ""
    time_zone: str = ""
    has_theme: bool = False  # layouts or a theme that renders every page
    config: dict[str, Any] = field(default_factory=dict)
    copy_dirs: list[tuple[str, str]] = field(default_factory=list)  # (source dir, dest dir under DIR)
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (path under DIR, content) the reader made
    copy_files: list[tuple[str, str]] = field(default_factory=list)  # (source file, dest path under DIR)
    notes: list[str] = field(default_factory=list)  # what the reader did for the whole site
    emoji: bool = False
    feed: str = ""  # the file name of the site's feed at its root (jekyll-feed's feed.xml)
    # Jekyll: files rendered with Liquid the reader cannot evaluate: (source, path under static/, why)
    liquid_files: list[tuple[str, str, str]] = field(default_factory=list)
    # Jekyll: the layouts such a file is rendered into (a feed's): real, not bare, in that build
    liquid_layouts: list[str] = field(default_factory=list)
    build: Any = None  # the source's own content build (source_build.Build), kept for verify
    warnings: list[str] = field(default_factory=list)
