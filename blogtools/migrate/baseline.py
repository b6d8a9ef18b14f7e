"""The lint baseline of ``--verify``: which lint errors of the new site the migration made.

The new site is linted (every default rule that needs no network, errors only). A migration
that loses nothing is not answerable for the links its source already had broken, so the
source is linted too, with its own generator's profile:

- a Hugo, Jekyll or Hatena blogsync source by the same rules, with the profile of its
  generator (:func:`lint_errors`);
- a source read as HTML (``post.extra["source_html"]``: a Movable Type export of Hatena, a
  WordPress export, Medium's export) by the links of that HTML (:func:`html_findings`):
  a link or image to the blog itself (its host, a root-relative or a relative path) is
  broken in the source when no entry of the source has that URL and no file of SRC is at
  that path; a path the platform serves by itself (Hatena: everything but ``/entry/``;
  WordPress: archives, feeds, ``wp-content``) cannot be judged from the export.

Each error is keyed by (post, target): the destination of the link or image at the error's
position, HTML entities and percent-encoding decoded, NFC, the blog's own host taken off,
without a trailing slash, lower case; an old URL the migration rewrote is mapped to the
post's new URL first. An error of the new site whose key the same post has among its source
findings is "already broken in the source" (listed with the source's file:line:column);
one whose target the source post links to but its platform serves unseen is "not known in
the source"; one in a draft, which Hugo does not publish, is listed as such; any other is
made by the migration, and fails ``--verify``.
"""

from __future__ import annotations

import html as htmlmod
import os
import re
import unicodedata
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from blogtools.record import dataclass, field

SKIP_SCHEMES = re.compile(r"(?:mailto|tel|javascript|data|ftp|irc|news|magnet|sms|skype|file):", re.I)
HAS_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
# what WordPress serves by itself, beside the items of its export: archives of a term, an
# author or a date, feeds, paged lists, its own folders, search and query URLs
WP_SERVES = re.compile(r"/(?:category|tag|author|feed|comments|page|search|wp-content|wp-admin|wp-includes|"
                       r"wp-login\.php|wp-json|xmlrpc\.php)(?:/|$)|^/\d{4}(?:/\d{1,2}){0,2}/?$|^/(?:index\.php)?$")


@dataclass
class Finding:
    """A lint error: where (``file:line:column``), its code and message, and its key."""

    where: str
    code: str
    message: str
    key: str


@dataclass
class Baseline:
    """The new site's lint errors, split by who made them."""

    introduced: list[Finding] = field(default_factory=list)  # made by the migration: verify fails
    already: dict[str, list[str]] = field(default_factory=dict)  # post source → errors already in the source
    unknown: dict[str, list[str]] = field(default_factory=dict)  # post source → targets the source cannot judge
    drafts: dict[str, list[str]] = field(default_factory=dict)  # post source → errors in a draft (not published)
    how: list[str] = field(default_factory=list)  # how the source was linted

    def count(self, what: dict[str, list[str]]) -> int:
        return sum(len(v) for v in what.values())


# --------------------------------------------------------------------------- linting a tree
def lint_errors(root: str, generator: str) -> tuple[Any, list[Any]]:
    """(site, error diagnostics) of the default rules (no network ones) on the tree ``root``
    linted with ``generator``'s profile; every diagnostic's ``path`` is absolute."""
    from blogtools.config import Config
    from blogtools.lint.registry import all_rules
    from blogtools.lint.run import for_site
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    site = load_site(root, generator)
    rules = for_site([r for r in all_rules().values() if r.default_enabled and not r.needs_network], site)
    config = Config(root=site.root)
    folders = site.content_folders() or [site.root]
    runner = Runner(config, rules, site, jobs=0, use_cache=False)
    found = discover([os.path.abspath(f) for f in folders], config, content=site.content_folders())
    errors = []
    for d in runner.run(found.files).diagnostics:
        if d.severity == "error":
            if not os.path.isabs(d.path):
                d.path = os.path.abspath(d.path)
            errors.append(d)
    return site, errors


# --------------------------------------------------------------------------- keys
def own_hosts(base_url: str) -> set[str]:
    host = urlsplit(base_url or "").netloc.lower()
    if not host:
        return set()
    bare = host[4:] if host.startswith("www.") else host
    return {bare, "www." + bare}


def key(url: str, hosts: set[str], renamed: dict[str, str] | None = None, bases: tuple[str, ...] = ()) -> str:
    """The comparable form of a link destination (see the module doc); ``bases`` are the
    site's base paths (Jekyll's ``baseurl``: ``/blog/``), taken off as the migration does."""
    u = unicodedata.normalize("NFC", unquote(htmlmod.unescape(url.strip())))
    m = re.match(r"(?:https?:)?//([^/?#]+)", u, re.I)
    if m and m.group(1).lower() in hosts:
        u = u[m.end():] or "/"
    for prefix in bases:
        if u.startswith(prefix):
            u = "/" + u[len(prefix):]
            break
    base, hash_, frag = u.partition("#")
    norm = base.rstrip("/").lower()
    if renamed and norm in renamed:
        norm = renamed[norm].rstrip("/").lower()
    return norm + (hash_ + frag if frag else "")


def base_paths(site: Any) -> tuple[str, ...]:
    """The site's base paths, longest first (``/blog/`` of a Jekyll ``baseurl`` or a base URL
    with a path)."""
    from blogtools.migrate.verify import base_paths as found

    return tuple(sorted(found(site), key=len, reverse=True))


def renamed_urls(posts: list[Any]) -> dict[str, str]:
    """Old URL (as :func:`key` writes it) → the post's new URL."""
    from blogtools.migrate._hugo import normalise_url

    out: dict[str, str] = {}
    for post in posts:
        if post.draft or not post.url:
            continue
        for old in post.old_urls:
            out.setdefault(normalise_url(old).rstrip("/").lower(), post.url)
    return out


def target_at(doc: Any, d: Any) -> str:
    """The destination of the link or image a diagnostic points at, else the text it covers."""
    if "on the built site" in d.message:  # Liquid in the URL, evaluated by the Jekyll profile ({{ site.baseurl }}/x)
        built = re.search(r"\((['\"])([^'\"]*)\1 on the built site\)", d.message)
        if built:
            return built.group(2)
    from blogtools import kramdown_body

    lines = doc.lines
    start = lines.offset(d.line, d.column)
    end = max(start, lines.offset(d.end_line, d.end_column))
    best = None
    # as the rule read the body: kramdown's links on a Jekyll site (`[a](/x> y/)` is a link there)
    for node in kramdown_body.nodes(doc, "link", "image", "autolink", "ref_def"):
        if node.start <= start < max(node.end, node.start + 1) and (best is None or node.start >= best.start):
            best = node
    if best is not None and best.url:
        return best.url
    return doc.text[start:end] or d.message


def _read_doc(path: str) -> Any:
    from blogtools.document import Document, LoadError

    try:
        return Document.read(path)
    except LoadError:
        return None


# --------------------------------------------------------------------------- the source
def _profile(post: Any, kind: str) -> str:
    origin = post.origin or kind
    return {"medium-to-hugo": "hugo"}.get(origin, origin)


def source_findings(result: Any, src: str, wanted: set[str]
                    ) -> tuple[dict[str, list[Finding]], dict[str, set[str]], list[str]]:
    """(post source → its lint errors in the source, post source → the link keys of the
    source post the source's platform serves without the tree saying so, how the source
    was linted); the whole source is linted (links are judged against all of it), the
    findings are kept for the posts of ``wanted``."""
    site = result.site
    kind = site.kind if site is not None else ""
    hosts = own_hosts(site.base_url if site is not None else "")
    bases = base_paths(site)
    renamed = renamed_urls(result.posts)
    findings: dict[str, list[Finding]] = {}
    unknown: dict[str, set[str]] = {}
    how: list[str] = []
    posts = [p for p in result.posts if not p.source.startswith("(")]
    by_html = [p for p in posts if "source_html" in p.extra and p.source in wanted]
    if by_html:
        findings.update(html_findings(by_html, posts, src, site, hosts, renamed, unknown))
        how.append(f"{len(by_html)} post(s) by the links of the HTML the source served")
    groups: dict[str, list[Any]] = {}
    for post in posts:
        if "source_html" not in post.extra:
            groups.setdefault(_profile(post, kind), []).append(post)
    root = site.root if site is not None and os.path.isdir(site.root) else src
    for profile, group in sorted(groups.items()):
        if profile not in ("hugo", "jekyll", "hatena") or not any(p.source in wanted for p in group):
            continue
        try:
            ssite, errors = lint_errors(root, profile)
        except Exception as exc:  # noqa: BLE001 - a source the linter cannot read is said, not fatal
            how.append(f"the source not linted with the {profile} profile: {exc}")
            continue
        by_file = {os.path.normpath(os.path.join(src, p.source)): p for p in group}
        docs: dict[str, Any] = {}
        shown = 0
        for d in errors:
            post = by_file.get(os.path.normpath(d.path))
            if post is None or post.source not in wanted:
                continue
            doc = docs.get(d.path) or docs.setdefault(d.path, _read_doc(d.path))
            target = target_at(doc, d) if doc is not None else d.message
            findings.setdefault(post.source, []).append(
                Finding(f"{post.source}:{d.line}:{d.column}", d.code, d.message, key(target, hosts, renamed, bases)))
            shown += 1
        profile_obj = ssite.profile
        for post in group:  # the links the platform serves unseen (Hatena's /archive/...)
            if post.source not in wanted:
                continue
            doc = _read_doc(os.path.join(src, post.source))
            if doc is None:
                continue
            for node in doc.nodes("link", "image", "autolink", "ref_def"):
                path = _own_path(node.url or "", hosts)
                if path is not None and profile_obj.serves_unlisted(path):
                    unknown.setdefault(post.source, set()).add(key(node.url, hosts, renamed, bases))
        how.append(f"{len(group)} post(s) linted with the {profile} profile ({shown} error(s) in those with an error"
                   " in the new site)")
    return findings, unknown, how


def _own_path(url: str, hosts: set[str]) -> str | None:
    """The URL path of a link to the blog itself (its host, or root-relative); None otherwise."""
    u = url.strip()
    m = re.match(r"(?:https?:)?//([^/?#]+)", u, re.I)
    if m:
        if m.group(1).lower() not in hosts:
            return None
        u = u[m.end():] or "/"
    elif HAS_SCHEME.match(u) or not u.startswith("/"):
        return None
    return unquote(u.split("#", 1)[0].split("?", 1)[0]) or "/"


def html_findings(posts: list[Any], every: list[Any], src: str, site: Any, hosts: set[str],
                  renamed: dict[str, str], unknown: dict[str, set[str]]) -> dict[str, list[Finding]]:
    """The links and images of each post's source HTML to the blog itself that no entry of
    the source and no file of SRC answers (see the module doc)."""
    from bs4 import BeautifulSoup

    from blogtools.migrate._hugo import normalise_url

    kind = site.kind if site is not None else ""
    bases = base_paths(site)
    served = {normalise_url(u).rstrip("/").lower() for p in every for u in p.old_urls}
    served.add("")
    folder = src if os.path.isdir(src) else os.path.dirname(os.path.abspath(src))
    files = _FileText(folder)
    out: dict[str, list[Finding]] = {}
    for post in posts:
        page = post.extra.get("source_url") or (post.old_urls[0] if post.old_urls else "/")
        page = page if page.endswith(("/", ".html")) else page + "/"
        soup = BeautifulSoup(post.extra["source_html"], "html.parser")
        for tag, attr in [(t, "href") for t in soup.find_all("a", href=True)] + \
                         [(t, "src") for t in soup.find_all("img", src=True)]:
            url = (tag.get(attr) or "").strip()
            if not url or url.startswith(("#", "?")) or SKIP_SCHEMES.match(url) or "{{" in url:
                continue
            m = re.match(r"(?:https?:)?//([^/?#]+)", url, re.I)
            if m and m.group(1).lower() not in hosts or not m and HAS_SCHEME.match(url):
                continue  # another site
            path = unquote(urlsplit(urljoin(page, url if not m else url[m.end():] or "/")).path)
            if urlsplit(url).query and (not path.strip("/") or kind == "wordpress"):
                continue  # ?p=ID and other queries: WordPress's own
            k = key(url, hosts, renamed, bases)
            if _platform_serves(kind, path):
                unknown.setdefault(post.source, set()).add(k)
                continue
            if normalise_url(path).rstrip("/").lower() in served or ".." not in path.split("/") and \
                    os.path.isfile(os.path.join(folder, path.lstrip("/"))):
                continue  # (a path climbing out of the source, /%2e%2e/..., names no file of it)
            what = "image" if attr == "src" else "link"
            out.setdefault(post.source, []).append(Finding(
                files.where(post, url), "BT301" if attr == "src" else "BT202",
                f"{what} to {url!r}: no entry of the source has this URL and no file of the source is at {path!r}", k))
    return out


def _platform_serves(kind: str, path: str) -> bool:
    """A path the source's platform serves by itself, which its export cannot tell."""
    if kind == "hatena":
        from blogtools.generators.hatena import platform_path

        return platform_path(path)
    if kind == "wordpress":
        return bool(WP_SERVES.search(path))
    return False


class _FileText:
    """The source files HTML posts came from, read once each, to give a link's exact
    ``file:line:column`` (the first occurrence of its text at or after the entry's line)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.texts: dict[str, Any] = {}

    def where(self, post: Any, url: str) -> str:
        name = post.extra.get("source_file") or post.source
        line = int(post.extra.get("source_line") or 1)
        got = self.texts.get(name)
        if got is None:
            from blogtools import safefs
            from blogtools.lines import LineIndex

            try:
                text = safefs.read_bytes(os.path.join(self.folder, name), 1 << 30).decode("utf-8", "replace")
            except (OSError, safefs.Refused, safefs.TooLarge):
                text = ""
            got = self.texts[name] = (text, LineIndex(text))
        text, lines = got
        if text:
            start = lines.offset(line, 1)
            for written in (url, htmlmod.escape(url, quote=True), htmlmod.escape(url, quote=False)):
                i = text.find(written, start)
                if i >= 0:
                    ln, col = lines.position(i)
                    return f"{name}:{ln}:{col}"
        return f"{name}:{line}" if name != post.source else post.source


# --------------------------------------------------------------------------- the split
def split(errors: list[Any], result: Any, root: str) -> Baseline:
    """Each error of the new site (``root``) as made by the migration, already in the
    source, or not known in the source."""
    out = Baseline()
    by_out = {os.path.normpath(os.path.join(root, p.out_path)): p for p in result.posts if p.out_path}
    site = result.site
    hosts = own_hosts(site.base_url if site is not None else "")
    bases = base_paths(site)
    src = result.options.src
    wanted = {by_out[p].source for p in (os.path.normpath(d.path if os.path.isabs(d.path) else os.path.join(root, d.path))
                                         for d in errors) if p in by_out and not by_out[p].draft}
    found, unknown, out.how = source_findings(result, src, wanted) if wanted else ({}, {}, [])
    docs: dict[str, Any] = {}
    for d in errors:
        path = os.path.normpath(d.path if os.path.isabs(d.path) else os.path.join(root, d.path))
        shown = f"{os.path.relpath(path, root).replace(os.sep, '/')}:{d.line}:{d.column}"
        post = by_out.get(path)
        k = ""
        if post is not None:
            doc = docs.get(path) or docs.setdefault(path, _read_doc(path))
            k = key(target_at(doc, d) if doc is not None else d.message, hosts, None, bases)
        before = [f for f in found.get(post.source, ()) if f.key == k] if post is not None else []
        if post is not None and post.draft:  # Hugo does not publish it: nothing of the site is broken
            out.drafts.setdefault(post.source, []).append(f"{shown}: {d.code} {d.message}")
        elif before:
            out.already.setdefault(post.source, []).append(
                f"{before[0].where}: {before[0].code} {before[0].message} (now {shown}: {d.code})")
        elif post is not None and k in unknown.get(post.source, ()):
            out.unknown.setdefault(post.source, []).append(
                f"{shown}: {d.code} {d.message} (the source's platform serves this path itself: not known whether it "
                "worked there)")
        else:
            out.introduced.append(Finding(shown, d.code, d.message, k))
    return out
