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
from blogtools.migrate import util
from blogtools.migrate.sources import detect, read
from blogtools.migrate.sources.wordpress import WXRError
from blogtools.migrate.util import Guard, failure, replace_surrogates, surrogates, walk
from blogtools.record import dataclass, field

# rules whose safe fixes normalise a migrated tree: front matter, links, images, footnotes,
# embeds. Chosen by selector at run time, so a rule that does not exist yet is simply absent.
FIX_SELECTORS = ("BT0", "BT1", "BT2", "BT3", "BT5", "BT6")
# Style rules that lint runs only when asked (opt-in) but a migration applies: its output is
# a new site, written once in one consistent form (no empty keys, one key spelling,
# root-relative links to itself, links to pages rather than their redirects).
NORMALISE = ("BT101", "BT105", "BT109", "BT110", "BT203", "BT207")
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
    comments: bool = False  # a WordPress export's approved comments → data/comments/<slug>.json
    unsafe_fixes: bool = False
    liquid_pages: str = "auto"  # Jekyll: auto | rendered | comment (sources.jekyll.render_templates)
    jekyll_plugins: bool = False  # Jekyll: run the site's own _plugins (Ruby of SRC) in the Jekyll builds
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


def _within(path_real: str, root_real: str) -> bool:
    """Whether ``path_real`` is ``root_real`` or below it (also on a case-insensitive disk:
    each existing folder on the way up is compared by identity)."""
    if path_real == root_real or path_real.startswith(root_real.rstrip(os.sep) + os.sep):
        return True
    here = path_real
    while True:
        try:
            if os.path.exists(here) and os.path.samefile(here, root_real):
                return True
        except OSError:
            pass
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent


def check_paths(options: Options) -> str:
    src, out = os.path.realpath(options.src), os.path.realpath(options.out)
    if not os.path.exists(src):
        raise MigrateError(f"{options.src}: no such file or directory")
    if not (os.path.isdir(src) or os.path.isfile(src)):
        raise MigrateError(f"{options.src}: not a folder or a regular file")
    # migrate writes only inside DIR and reads only inside SRC: they must not overlap
    if _within(out, src):
        raise MigrateError(f"{options.out}: the output folder cannot be SRC or inside it ({options.src}):"
                           " migrate never writes into the source; choose a folder outside it")
    if _within(src, out):
        raise MigrateError(f"{options.out}: the output folder cannot contain SRC ({options.src}):"
                           " its content is replaced; choose a folder outside it")
    kind = options.source_format if options.source_format != "auto" else detect(options.src)
    if kind is None:
        raise MigrateError(f"{options.src}: cannot tell the format (not a Hugo site, a Jekyll site, a Medium"
                           " export, a WordPress export or a Hatena Blog tree or export); name it with --from")
    if kind in ("medium", "wordpress") or kind == "hatena" and _hatena_export(options.src):
        try:
            import bs4  # noqa: F401
            import markdownify  # noqa: F401
        except ImportError:
            raise MigrateError(f"reading a {kind.title()} export needs markdownify: pip install 'blogtools[migrate]'") from None
    if os.path.lexists(out) and not os.path.isdir(out):
        raise MigrateError(f"{options.out}: exists and is not a folder")
    if (not options.dry_run and not options.diff and os.path.isdir(out) and os.listdir(out)
            and not options.force):
        raise MigrateError(f"{options.out}: not empty (use --force to replace its content)")
    return kind


def _hatena_export(src: str) -> bool:
    """Hatena's Movable Type export (HTML bodies: needs markdownify), not a blogsync tree."""
    from blogtools.migrate.sources import hatena

    return not hatena.blogsync_tree(src) and hatena.mt_export(src) is not None


def _once(src: str, posts: list[Post]) -> tuple[list[Post], list[tuple[str, str]]]:
    """Each source file migrated once: a post reached again through a symbolic link inside
    SRC (beside its target, or two links) is dropped, keeping the post read under the file's
    own name when there is one; the dropped ones are listed with the reason."""
    def real(post: Post) -> str:
        return os.path.realpath(os.path.join(src, post.source))

    def is_link(post: Post) -> bool:
        return os.path.islink(os.path.join(src, post.source))

    keep: dict[str, Post] = {}
    for post in posts:
        key = real(post)
        held = keep.get(key)
        if held is None or is_link(held) and not is_link(post):
            keep[key] = post
    kept = {id(p) for p in keep.values()}
    twice = [(p.source, f"the same file as {keep[real(p)].source} (a symbolic link): migrated once")
             for p in posts if id(p) not in kept]
    return [p for p in posts if id(p) in kept], twice


def migrate(options: Options) -> Result:
    """Every post is handled on its own: one that cannot be read, converted or written is
    listed under "Not migrated" with the reason, and the others are migrated."""
    kind = check_paths(options)
    result = Result(options)
    t0 = time.perf_counter()
    from blogtools.migrate import _embeds

    guard = Guard(options.src)
    layouts = [os.path.join(options.src, "layouts")] if kind == "hugo" else []
    if kind == "hugo" and os.path.isdir(os.path.join(options.src, "themes")):
        layouts += [os.path.join(options.src, "themes", t, "layouts") for t in sorted(os.listdir(os.path.join(options.src, "themes")))]
    _embeds.configure(layouts, options.src)
    progress = Progress(options.progress)
    try:
        site, posts, skipped = read(options.src, kind, skip=options.out, guard=guard, progress=progress)
    except WXRError as exc:  # a WordPress export that cannot be read: file and line
        raise MigrateError(str(exc)) from None
    posts, twice = _once(options.src, posts)
    if kind == "jekyll":
        from blogtools.migrate.sources import jekyll

        verify = options.verify and not (options.dry_run or options.diff)
        site.notes += jekyll.render_templates(site, posts, skipped, options.liquid_pages, verify,
                                               options.jekyll_plugins)
    try:
        result.site, result.posts, result.skipped = site, posts, list(skipped) + twice
        result.notes += site.notes
        copy_files = _copy_plan(site, guard)
        result.timings["read"] = time.perf_counter() - t0
        progress.start("convert", len(posts))
        for n, post in enumerate(list(posts), 1):
            _each(result, "not converted", _convert, post, site)
            progress.update(n)
        for post in list(result.posts):
            _each(result, "not converted", _writable, post)
        failed = _failed(result, "not converted")
        target_hugo.assign_slugs(result.posts, options.slug, options.ascii_slugs, on_error=failed, source=site)
        if kind == "hugo":  # the files of bundles that moved keep their old URLs too
            from blogtools.migrate.sources.hugo import old_bundle_files

            moved = [(p, d) for p, d in old_bundle_files(result.posts)
                     if not os.path.lexists(os.path.join(options.src, d))]
            copy_files += moved
            if moved:
                result.notes.append(f"{len(moved)} file(s) of page bundles that moved also copied to static/ at"
                                    " their old URL (the source served them there)")
        target_hugo.plan_aliases(result.posts, on_error=failed)
        hosts = {h for h in (_host(site.base_url), "medium.com" if kind == "medium" else "") if h}
        target_hugo.rewrite_links(result.posts, hosts, on_error=failed)
        _drop_failed(result)
        result.timings["convert"] = time.perf_counter() - t0
        parent = os.path.dirname(os.path.realpath(options.out)) if not (options.dry_run or options.diff) else None
        if parent:
            os.makedirs(parent, exist_ok=True)
        stage = tempfile.mkdtemp(prefix=".blogtools-migrate-", dir=parent)
        try:
            plan_files = _images(result, result.posts, progress)
            _drop_failed(result)
            posts = result.posts
            result.unsafe = any(bodymod.needs_unsafe(p.body) for p in posts)
            emoji = _emoji(site, posts)
            _copy_files(stage, copy_files, guard)
            _write_files(stage, [(dest, None, data) for dest, data in site.files], guard, result)
            result.notes += target_hugo.write_site(stage, site, posts, options.front_matter, result.unsafe, emoji,
                                                   on_error=_failed(result, "not written"))
            _drop_failed(result)
            if options.comments and kind == "wordpress":
                from blogtools.migrate.sources import wordpress

                result.notes += wordpress.write_comments(stage, posts)
            _write_files(stage, plan_files, guard, result)
            result.timings["write"] = time.perf_counter() - t0
            try:
                lint_fix(stage, result)
            except Exception as exc:  # noqa: BLE001 - the new site stays, without the fixes
                result.notes.append(f"lint --fix stopped ({failure(exc)}): the site is written without its fixes")
            result.timings["fix"] = time.perf_counter() - t0
            _add_refused(result, guard)
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
    finally:
        if site.build is not None:  # the source's build, kept for verify
            shutil.rmtree(os.path.dirname(site.build.public), ignore_errors=True)
            site.build = None
    return result


# --------------------------------------------------------------------------- one post at a time
def _each(result: Result, stage: str, fn: Any, post: Post, *args: Any) -> bool:
    """``fn(post, *args)``; when it fails the post leaves ``result.posts`` for "Not migrated"."""
    try:
        fn(post, *args)
        return True
    except Exception as exc:  # noqa: BLE001 - one bad post is reported, never fatal
        _fail(result, post, stage, exc)
        return False


def _fail(result: Result, post: Post, stage: str, exc: BaseException) -> None:
    if post.extra.get("failed"):
        return
    post.extra["failed"] = True
    result.skipped.append((post.source, f"{stage}: {failure(exc)}"))
    if post in result.posts:
        result.posts.remove(post)


def _failed(result: Result, stage: str) -> Any:
    """The ``on_error`` callback of the target's whole-site steps: the post is marked and
    removed afterwards (:func:`_drop_failed`), the step goes on with the others."""
    def on_error(post: Post, exc: BaseException) -> None:
        if not post.extra.get("failed"):
            post.extra["failed"] = True
            result.skipped.append((post.source, f"{stage}: {failure(exc)}"))

    return on_error


def _drop_failed(result: Result) -> None:
    result.posts[:] = [p for p in result.posts if not p.extra.get("failed")]


def _convert(post: Post, site: SourceSite) -> None:
    _date(post, site)
    bodymod.convert_html(post)
    bodymod.normalise_footnotes(post)
    bodymod.code_after_more(post)


def _writable(post: Post) -> None:
    """Text that cannot be written as UTF-8 (a lone surrogate such as ``"\\ud800"``, a valid
    YAML or JSON escape) is replaced by U+FFFD and reported, so the post is written, not lost.
    (A page the writer still cannot write is listed as not written by :func:`write_site`.)"""
    found: dict[str, list[str]] = {}

    def clean(value: Any, where: str) -> Any:
        if isinstance(value, str):
            bad = surrogates(value)
            if bad:
                found.setdefault(where, []).extend(bad)
                return replace_surrogates(value)
            return value
        if isinstance(value, list):
            return [clean(v, where) for v in value]
        if isinstance(value, dict):
            return {clean(k, where): clean(v, where) for k, v in value.items()}
        return value

    post.meta = {clean(k, str(k)): clean(v, replace_surrogates(str(k))) for k, v in post.meta.items()}
    post.body = clean(post.body, "body")
    post.slug_hint = clean(post.slug_hint, "file name")
    for url in [u for u in post.old_urls if surrogates(u)]:
        shown = url.encode("utf-8", "backslashreplace").decode("utf-8")
        post.warn(f"old URL {shown} not kept: it holds bytes that are not UTF-8 (no alias can be written for it)")
        post.old_urls.remove(url)
    for where, codes in found.items():
        post.warn(f"{where}: {', '.join(sorted(set(codes)))} (lone surrogate) cannot be written as UTF-8;"
                  " replaced by U+FFFD")


def _date(post: Post, site: SourceSite) -> None:
    """A post without a date gets its file's modification time (Jekyll does the same for
    drafts); Hugo would sort it as 0001-01-01. Pages (``about.md``) and section lists need none:
    the migration day would be shown as theirs."""
    if post.meta.get("date") or post.kind == "page" or not post.extra.get("mtime"):
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
    counts = [0, 0]  # downloaded, failed
    for post in list(posts):
        mine: list[tuple[str, str | None, bytes | None]] = []
        got = [0, 0]
        try:
            _post_images(post, opts, fetched, mine, got)
        except Exception as exc:  # noqa: BLE001 - one bad post is reported, never fatal
            _fail(result, post, "not written", exc)
            continue
        files += mine
        counts = [counts[0] + got[0], counts[1] + got[1]]
    result.downloads = {"requested": len(remote) if opts.images == "download" else 0, "downloaded": counts[0],
                        "failed": counts[1], "mode": opts.images}
    return files


def _post_images(post: Post, opts: Options, fetched: dict[str, assetmod.Fetched],
                 files: list[tuple[str, str | None, bytes | None]], counts: list[int]) -> None:
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
                counts[1] += 1
                post.warn(f"image not downloaded, remote URL kept: {url} ({got.error if got else 'not fetched'})")
                continue
            hint = next((a.name for a in post.assets if a.url == url and a.name), "")
            name = "images/" + assetmod.unique(assetmod.safe_name(hint, url, got.content_type),
                                               {t.split("/")[-1] for t in taken if t.startswith("images/")})
            taken.add(name)
            files.append((f"{folder}/{name}", None, got.data))
            mapping[url] = name
            counts[0] += 1
            post.note(f"image downloaded: {url} → {name}")
    target_hugo.replace_refs(post, mapping)


def _bundled(post: Post) -> bool:
    return post.kind == "post" or post.out_path.endswith(("/index.md", "/_index.md"))  # branch bundles hold files too


def _copy_plan(site: SourceSite, guard: Guard) -> list[tuple[str, str]]:
    """(source file, path under DIR) of every file of the folders copied as they are
    (``static/``, ``layouts/``...): regular files inside SRC only, hidden ones left out (but
    those Hugo publishes from a Hugo source's ``static/``);
    a FIFO, a socket or a link out of SRC is noted in ``guard`` instead."""
    files: list[tuple[str, str]] = []
    for src_dir, dest in site.copy_dirs:
        if not os.path.isdir(src_dir):  # a single file (Jekyll: a static file outside any folder copied whole)
            if guard.allow(src_dir):
                files.append((src_dir, dest))
            continue
        # Hugo publishes the hidden files of static/ too (.well-known/): a Hugo source keeps them
        published = util.walk_static(src_dir, guard) if site.kind == "hugo" and dest == "static" \
            else walk(src_dir, None, guard, follow=True)
        for path in published:
            if guard.allow(path):
                files.append((path, f"{dest}/{util.rel(path, src_dir)}"))
    files += [(path, dest) for path, dest in site.copy_files if guard.allow(path)]
    return files


def _inside_stage(stage: str, rel_path: str) -> str:
    """``stage/rel_path``, refused unless it stays inside the stage (DIR-to-be)."""
    path = os.path.normpath(os.path.join(stage, rel_path))
    if os.path.isabs(rel_path) or not path.startswith(os.path.normpath(stage) + os.sep):
        raise ValueError(f"{rel_path}: would be written outside the output folder")
    return path


def _copy(guard: Guard, src: str, dest: str) -> None:
    """Copy a regular file inside SRC without blocking or following a link out of SRC."""
    fd = guard.open(src)
    try:
        with open(dest, "wb") as fh:
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                fh.write(chunk)
        st = os.fstat(fd)
        os.utime(dest, ns=(st.st_atime_ns, st.st_mtime_ns))
    finally:
        os.close(fd)


def _copy_files(stage: str, files: list[tuple[str, str]], guard: Guard) -> None:
    from blogtools import safefs

    for src, rel_path in files:
        try:
            dest = _inside_stage(stage, rel_path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            _copy(guard, src, dest)
        except (safefs.Refused, OSError, ValueError) as exc:
            guard.note(src, failure(exc))


def _write_files(stage: str, files: list[tuple[str, str | None, bytes | None]], guard: Guard,
                 result: Result) -> None:
    from blogtools import safefs

    for rel_path, src, data in files:
        try:
            path = _inside_stage(stage, rel_path)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if src is not None:
                _copy(guard, src, path)
            elif data is not None:
                with open(path, "wb") as fh:
                    fh.write(data)
        except (safefs.Refused, OSError, ValueError) as exc:
            if src is not None:
                guard.note(src, failure(exc))
            else:
                result.notes.append(f"{rel_path} not written: {failure(exc)}")


def _add_refused(result: Result, guard: Guard) -> None:
    """The files refused on the way (not regular, or leading out of SRC), each listed once."""
    listed = {s for s, _ in result.skipped}
    result.skipped += [(r, why) for r, why in guard.refused if r not in listed]


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
    from blogtools.lint import fixer
    from blogtools.lint.registry import all_rules, matches
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    rules = [r for r in all_rules().values() if r.fixable and (r.default_enabled or r.code in NORMALISE)
             and not r.needs_network and any(matches(r, s) for s in FIX_SELECTORS)]
    result.fix_rules = [f"{r.code} {r.name}" for r in rules]
    if not rules:
        return
    settings: dict[str, Any] = {}
    keys = {o.key for r in rules for o in r.options}
    if "front-matter.format" in keys:
        settings["front-matter.format"] = result.options.front_matter
    if "dates.style" in keys:
        settings["dates.style"] = "rfc3339"  # one date form in the new site
    config = Config(root=root, rule_settings=settings)
    site = load_site(root, "hugo")
    runner = Runner(config, rules, site, jobs=0, use_cache=False)
    files = discover([os.path.join(root, "content")], config).files
    run = fixer.fix_files(runner, files, result.options.unsafe_fixes)
    for abspath in run.changed():
        fixer.write_atomic(abspath, run.originals[abspath].encode(run.texts[abspath]))
        result.fixes[os.path.relpath(abspath, root).replace(os.sep, "/")] = run.applied[abspath]
    for path, text in sorted(run.creates.items()):
        fixer.create(path, text, root)
        result.fixes[os.path.relpath(path, root).replace(os.sep, "/")] = 1
    for path, problem in run.problems:
        result.notes.append(f"lint --fix: {os.path.relpath(path, root) if os.path.isabs(path) else path}: {problem}")


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
    old_real, new_real = os.path.realpath(old_root), os.path.realpath(new_root)
    chunks, changed = [], 0
    for rel in sorted(set(old) | set(new)):
        a = _read(old.get(rel), old_real)
        b = _read(new.get(rel), new_real)
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


def _read(path: str | None, root_real: str) -> str | bytes | None:
    """A file of DIR for the diff: only regular files inside it are read (never blocks)."""
    from blogtools import safefs

    if path is None:
        return None
    try:
        if not safefs.is_inside(path, root_real):
            return f"(symbolic link to {os.path.realpath(path)}, outside the folder: not read)\n"
        data = safefs.read_bytes(path)
    except safefs.Refused as exc:
        return f"({exc.reason})\n"
    except OSError as exc:
        return f"(cannot read: {exc.strerror or exc})\n"
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data
