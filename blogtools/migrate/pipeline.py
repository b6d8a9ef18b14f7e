"""The migration, start to end: read → convert → plan → fetch → write → lint --fix → report.

``migrate(Options)`` never modifies SRC and writes DIR only at the end (the new site is
built in a staging folder beside DIR and swapped in), so a failed run leaves DIR as it was.
With ``dry_run`` or ``diff`` nothing is written at all.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from typing import Any

from blogtools.migrate import assets as assetmod, body as bodymod, target_hugo
from blogtools.migrate.model import Post, SourceSite
from blogtools.migrate.sources import detect, read
from blogtools.record import dataclass, field

# rules whose safe fixes normalise a migrated tree: front matter, links, images, footnotes,
# embeds. Chosen by selector at run time, so a rule that does not exist yet is simply absent.
FIX_SELECTORS = ("BT0", "BT1", "BT2", "BT3", "BT5", "BT6")
REPORT_FILES = ("MIGRATION.md", "migration.json")


class MigrateError(Exception):
    """A usage problem: bad SRC, a non-empty DIR without --force, an unknown format."""


@dataclass
class Options:
    src: str
    out: str
    source_format: str = "auto"
    front_matter: str = "yaml"
    slug: str = "keep"
    ascii_slugs: bool = False
    images: str = "download"
    dry_run: bool = False
    diff: bool = False
    force: bool = False
    verify: bool = False
    unsafe_fixes: bool = False
    progress: bool = False
    timeout: float = assetmod.TIMEOUT
    max_image_bytes: int = assetmod.MAX_BYTES


@dataclass
class Result:
    options: Options
    site: SourceSite | None = None
    posts: list[Post] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fixes: dict[str, int] = field(default_factory=dict)  # output file → fixes applied
    fix_rules: list[str] = field(default_factory=list)
    downloads: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    diff_text: str = ""
    changed: int = 0
    verify: Any = None
    unsafe: bool = False


class Progress:
    """A one-line bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.label, self.total = "", 0

    def start(self, label: str, total: int) -> None:
        self.label, self.total = label, total
        self.update(0)

    def update(self, n: int) -> None:
        if not self.enabled or not self.total:
            return
        width = 30
        done = int(width * n / self.total)
        sys.stderr.write(f"\r{self.label:<10} [{'#' * done}{'.' * (width - done)}] {n}/{self.total}")
        if n >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def check_paths(options: Options) -> str:
    src, out = os.path.realpath(options.src), os.path.realpath(options.out)
    if not os.path.exists(src):
        raise MigrateError(f"{options.src}: no such file or directory")
    kind = options.source_format if options.source_format != "auto" else detect(options.src)
    if kind is None:
        raise MigrateError(f"{options.src}: cannot tell the format (not a Hugo site, a Jekyll site or a Medium"
                           " export); name it with --from")
    if kind == "medium":
        try:
            import bs4  # noqa: F401
            import markdownify  # noqa: F401
        except ImportError:
            raise MigrateError("reading a Medium export needs markdownify: pip install 'blogtools[migrate]'") from None
    if out == src or src.startswith(out + os.sep):
        raise MigrateError(f"{options.out}: the output folder cannot be SRC or contain it")
    if os.path.isfile(out):
        raise MigrateError(f"{options.out}: exists and is a file")
    if (not options.dry_run and not options.diff and os.path.isdir(out) and os.listdir(out)
            and not options.force):
        raise MigrateError(f"{options.out}: not empty (use --force to replace its content)")
    return kind


def migrate(options: Options) -> Result:
    kind = check_paths(options)
    result = Result(options)
    t0 = time.perf_counter()
    from blogtools.migrate import _embeds

    layouts = [os.path.join(options.src, "layouts")] if kind == "hugo" else []
    if kind == "hugo" and os.path.isdir(os.path.join(options.src, "themes")):
        layouts += [os.path.join(options.src, "themes", t, "layouts") for t in sorted(os.listdir(os.path.join(options.src, "themes")))]
    _embeds.configure(layouts)
    site, posts, skipped = read(options.src, kind, skip=options.out)
    result.site, result.posts, result.skipped = site, posts, skipped
    result.timings["read"] = time.perf_counter() - t0
    progress = Progress(options.progress)
    progress.start("convert", len(posts))
    for n, post in enumerate(posts, 1):
        _date(post, site)
        bodymod.convert_html(post)
        bodymod.normalise_footnotes(post)
        progress.update(n)
    target_hugo.assign_slugs(posts, options.slug, options.ascii_slugs)
    target_hugo.plan_aliases(posts)
    hosts = {h for h in (_host(site.base_url), "medium.com" if kind == "medium" else "") if h}
    target_hugo.rewrite_links(posts, hosts)
    result.timings["convert"] = time.perf_counter() - t0
    parent = os.path.dirname(os.path.realpath(options.out)) if not (options.dry_run or options.diff) else None
    if parent:
        os.makedirs(parent, exist_ok=True)
    stage = tempfile.mkdtemp(prefix=".blogtools-migrate-", dir=parent)
    try:
        plan_files = _images(result, posts, progress)
        result.unsafe = any(bodymod.needs_unsafe(p.body) for p in posts)
        emoji = _emoji(site, posts)
        result.notes += target_hugo.write_site(stage, site, posts, options.front_matter, result.unsafe, emoji)
        _write_files(stage, plan_files)
        result.timings["write"] = time.perf_counter() - t0
        lint_fix(stage, result)
        result.timings["fix"] = time.perf_counter() - t0
        from blogtools.migrate import report

        report.write(stage, result)
        if options.diff:
            result.diff_text, result.changed = tree_diff(options.out, stage)
        elif not options.dry_run:
            _swap(stage, options.out)
            stage = ""
    finally:
        if stage:
            shutil.rmtree(stage, ignore_errors=True)
    result.timings["total"] = time.perf_counter() - t0
    if options.verify and not (options.dry_run or options.diff):
        from blogtools.migrate import verify

        result.verify = verify.verify(options.out, result)
        report.write(options.out, result)
    return result


def _date(post: Post, site: SourceSite) -> None:
    """A post without a date gets its file's modification time (Jekyll does the same for
    drafts); Hugo would sort it as 0001-01-01. Section lists (``_index``) need none."""
    if post.meta.get("date") or post.page_path.endswith("_index") or not post.extra.get("mtime"):
        return
    from datetime import datetime, timezone

    tz: Any = timezone.utc
    if site.time_zone:
        try:
            from zoneinfo import ZoneInfo

            tz = ZoneInfo(site.time_zone)
        except Exception:  # noqa: BLE001 - unknown zone: UTC
            pass
    post.meta["date"] = datetime.fromtimestamp(int(post.extra["mtime"]), tz)
    post.warn("no date in the source: the file's modification time was used")


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc.lower() if url else ""


def _emoji(site: SourceSite, posts: list[Post]) -> bool:
    if site.kind == "hugo":
        from blogtools.migrate._hugo import _setting

        return bool(_setting(site.config, "enableEmoji", False))
    return site.emoji and any(p.extra.get("emoji") for p in posts)


# --------------------------------------------------------------------------- images
def _images(result: Result, posts: list[Post], progress: Progress) -> list[tuple[str, str | None, bytes | None]]:
    """Decide every bundle file; returns (path under DIR, source file or None, bytes or None)."""
    opts = result.options
    remote = sorted({a.url for p in posts for a in p.assets if a.url and _bundled(p)})
    fetched: dict[str, assetmod.Fetched] = {}
    if opts.images == "download" and remote and not opts.dry_run:
        progress.start("images", len(remote))
        fetched = assetmod.fetch_all(remote, progress=progress.update, timeout=opts.timeout,
                                     max_bytes=opts.max_image_bytes)
    files: list[tuple[str, str | None, bytes | None]] = []
    ok = failed = 0
    for post in posts:
        folder = os.path.dirname(post.out_path)
        taken: set[str] = set()
        mapping: dict[str, str] = {}
        for asset in post.assets:
            if asset.src and _bundled(post):
                name = asset.name
                if post.origin == "jekyll":
                    name = "images/" + assetmod.unique(os.path.basename(name), {t.split("/")[-1] for t in taken})
                if not assetmod.inside(folder or ".", name):
                    post.warn(f"bundle file {asset.name!r} skipped: its name leaves the bundle")
                    continue
                taken.add(name)
                files.append((f"{folder}/{name}", asset.src, None))
                for ref in asset.refs:
                    if ref != name:
                        mapping[ref] = name
        remote_urls = sorted({a.url for a in post.assets if a.url})
        if opts.images == "skip" and remote_urls:
            target_hugo.unlink_images(post, set(remote_urls))
        elif opts.images == "download" and remote_urls:
            if not _bundled(post):
                post.warn(f"{len(remote_urls)} remote image(s) kept: {post.out_path} is not a bundle")
            for url in remote_urls:
                if opts.dry_run:
                    post.note(f"would download {url}")
                    continue
                got = fetched.get(url)
                if got is None or not got.ok:
                    failed += 1
                    post.warn(f"image not downloaded, remote URL kept: {url} ({got.error if got else 'not fetched'})")
                    continue
                hint = next((a.name for a in post.assets if a.url == url and a.name), "")
                name = "images/" + assetmod.unique(assetmod.safe_name(hint, url, got.content_type),
                                                   {t.split("/")[-1] for t in taken if t.startswith("images/")})
                taken.add(name)
                files.append((f"{folder}/{name}", None, got.data))
                mapping[url] = name
                ok += 1
                post.note(f"image downloaded: {url} → {name}")
        target_hugo.replace_refs(post, mapping)
    result.downloads = {"requested": len(remote) if opts.images == "download" else 0, "downloaded": ok,
                        "failed": failed, "mode": opts.images}
    return files


def _bundled(post: Post) -> bool:
    return post.kind == "post" or post.out_path.endswith("/index.md")


def _write_files(stage: str, files: list[tuple[str, str | None, bytes | None]]) -> None:
    for rel, src, data in files:
        path = os.path.join(stage, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if src is not None:
            shutil.copyfile(src, path)
        elif data is not None:
            with open(path, "wb") as fh:
                fh.write(data)


def _swap(stage: str, out: str) -> None:
    if os.path.isdir(out) and os.listdir(out):
        old = tempfile.mkdtemp(prefix=".blogtools-old-", dir=os.path.dirname(os.path.realpath(out)))
        os.rename(out, os.path.join(old, "out"))
        os.rename(stage, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        if os.path.isdir(out):
            os.rmdir(out)
        os.rename(stage, out)
    os.chmod(out, 0o755)


# --------------------------------------------------------------------------- lint --fix
def lint_fix(root: str, result: Result) -> None:
    """The fixable rules of :data:`FIX_SELECTORS` run over the new content: safe fixes, and
    unsafe ones too with ``unsafe_fixes`` (e.g. a broken internal link → the closest URL)."""
    from blogtools.config import Config
    from blogtools.document import Document, LoadError
    from blogtools.lint import fixer
    from blogtools.lint.registry import all_rules, matches
    from blogtools.lint.runner import Runner, discover, lint_document
    from blogtools.site import load_site

    rules = [r for r in all_rules().values() if r.fixable and r.default_enabled and not r.needs_network
             and any(matches(r, s) for s in FIX_SELECTORS)]
    result.fix_rules = [f"{r.code} {r.name}" for r in rules]
    if not rules:
        return
    settings: dict[str, Any] = {}
    keys = {o.key for r in rules for o in r.options}
    if "front-matter.format" in keys:
        settings["front-matter.format"] = result.options.front_matter
    config = Config(root=root, rule_settings=settings)
    site = load_site(root, "hugo")
    runner = Runner(config, rules, site, jobs=0, use_cache=False)
    files = discover([os.path.join(root, "content")], config).files
    run = runner.run(files)
    by_file: dict[str, list[Any]] = {}
    abs_of = {r.path: r.abspath for r in run.results}
    site_codes = {r.code for r in rules if r.site_wide}
    for d in run.diagnostics:
        if d.fix is not None and (d.fix.safe or result.options.unsafe_fixes) and d.path in abs_of:
            by_file.setdefault(abs_of[d.path], []).append(d)
    instances = [cls(settings) for cls in rules]
    for abspath, diags in sorted(by_file.items()):
        try:
            doc = Document.read(abspath)
        except LoadError:
            continue
        extra = [d for d in diags if d.code in site_codes]
        ff = fixer.fix_document(doc, lambda d: lint_document(d, instances, site), result.options.unsafe_fixes, extra)
        if ff.changed:
            fixer.write_atomic(abspath, doc.encode(ff.text))
            result.fixes[os.path.relpath(abspath, root).replace(os.sep, "/")] = ff.applied


# --------------------------------------------------------------------------- --diff
def tree_diff(old_root: str, new_root: str) -> tuple[str, int]:
    import difflib

    def files(root: str) -> dict[str, str]:
        out = {}
        if os.path.isdir(root):
            for dirpath, dirnames, names in os.walk(root):
                dirnames.sort()
                for n in sorted(names):
                    full = os.path.join(dirpath, n)
                    rel = os.path.relpath(full, root).replace(os.sep, "/")
                    if rel not in REPORT_FILES and not rel.startswith("public/"):
                        out[rel] = full
        return out

    old, new = files(old_root), files(new_root)
    chunks, changed = [], 0
    for rel in sorted(set(old) | set(new)):
        a = _read(old.get(rel))
        b = _read(new.get(rel))
        if a == b:
            continue
        changed += 1
        if isinstance(a, bytes) or isinstance(b, bytes):
            chunks.append(f"Binary files a/{rel} and b/{rel} differ\n")
            continue
        chunks.append("".join(difflib.unified_diff(
            (a or "").splitlines(keepends=True), (b or "").splitlines(keepends=True),
            fromfile=f"a/{rel}" if a is not None else "/dev/null", tofile=f"b/{rel}" if b is not None else "/dev/null")))
    return "".join(chunks), changed


def _read(path: str | None) -> str | bytes | None:
    if path is None:
        return None
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data
