"""`blogtools migrate` against a hostile source: FIFOs, links out of SRC, DIR inside SRC, one
bad post among good ones. Each test failed before migrate was hardened (a FIFO hung the
run, a link copied a file from outside SRC, ``--out SRC/out`` wrote into the source, one
post killed the run with a traceback and wrote nothing).

Everything is made under ``tmp_path``; every CLI run is a subprocess with a timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from blogtools.migrate import Options, migrate
from tests.conftest import FIXTURES, run_cli

MIGRATE = FIXTURES / "migrate"
TIMEOUT = 90  # a normal run takes a second or two; the old code hung forever on a FIFO
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
needs_links = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")


def copy(name: str, tmp: Path) -> Path:
    dest = tmp / name
    shutil.copytree(MIGRATE / name, dest)
    return dest


def cli(tmp: Path, *args: str):
    return run_cli("migrate", *args, "--images", "keep", cwd=tmp, timeout=TIMEOUT,
                   env={"BLOGTOOLS_CACHE_DIR": str(tmp / "cache")})


def report(out: Path) -> tuple[str, dict]:
    return ((out / "MIGRATION.md").read_text(encoding="utf-8"),
            json.loads((out / "migration.json").read_text(encoding="utf-8")))


def skipped(data: dict) -> dict[str, str]:
    return {s["source"]: s["reason"] for s in data["skipped"]}


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*")) if not p.is_symlink() and (p.is_file() or p.is_dir())}


# --------------------------------------------------------------------------- 1. FIFOs
@needs_fifo
def test_fifo_in_the_source_is_skipped_with_a_notice_never_opened(tmp_path: Path) -> None:
    jekyll = copy("jekyll", tmp_path)
    os.mkfifo(jekyll / "_posts" / "2020-03-03-p.md")  # a post name
    os.mkfifo(jekyll / "assets" / "images" / "p.png")  # in a folder copied as it is
    hugo = copy("medium-to-hugo", tmp_path)
    os.mkfifo(hugo / "content" / "posts" / "p.md")
    medium = copy("medium", tmp_path)
    os.mkfifo(medium / "posts" / "p.html")

    # (the Jekyll fixture's layouts and home page are listed too, with their own reasons)
    for src, fifos, others in ((jekyll, ["_posts/2020-03-03-p.md", "assets/images/p.png"], 2),
                               (hugo, ["content/posts/p.md"], 0), (medium, ["posts/p.html"], 0)):
        out = tmp_path / f"{src.name}-out"
        proc = cli(tmp_path, str(src), "--out", str(out))  # hung forever before: TimeoutExpired
        assert proc.returncode == 0, proc.stderr
        assert f"{len(fifos) + others} not migrated" in proc.stderr
        text, data = report(out)
        for fifo in fifos:
            assert "named pipe (FIFO)" in skipped(data)[fifo]
            assert text.count(f"`{fifo}`") == 1  # one notice each
        assert data["totals"]["skipped"] == len(fifos) + others
        assert data["totals"]["posts"] > 0  # the other posts are migrated
        assert not any(p.is_fifo() for p in out.rglob("*"))


# --------------------------------------------------------------------------- 2. links out of SRC
@needs_links
def test_links_leading_out_of_the_source_are_not_read_nor_copied(tmp_path: Path) -> None:
    outside = tmp_path / "outside"  # beside SRC, never inside it
    (outside / "folder").mkdir(parents=True)
    secret = "root:x:0:0:OUTSIDE-SECRET-7f3a9c:/root:/bin/bash\n"
    (outside / "passwd").write_text(secret, encoding="utf-8")
    (outside / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\nOUTSIDE-SECRET-7f3a9c")
    (outside / "folder" / "notes.txt").write_text(secret, encoding="utf-8")

    src = copy("jekyll", tmp_path)
    (src / "_posts" / "2020-05-05-passwd.md").symlink_to(outside / "passwd")  # named like a post
    (src / "assets" / "images" / "photo.png").symlink_to(outside / "photo.png")  # like an asset
    (src / "assets" / "folder").symlink_to(outside / "folder", target_is_directory=True)
    (src / "_posts" / "2020-05-06-photo.md").write_text(
        "---\ntitle: Photo\n---\n![a photo](/assets/images/photo.png)\n", encoding="utf-8")
    # a link inside SRC to a file inside SRC is fine
    (src / "_store").mkdir()
    (src / "_store" / "kept.md").write_text("---\ntitle: Kept through a link\n---\nInside SRC.\n", encoding="utf-8")
    (src / "_posts" / "2020-05-07-kept.md").symlink_to(Path("..") / "_store" / "kept.md")

    hugo = copy("medium-to-hugo", tmp_path)
    bundle = next((hugo / "content" / "posts").iterdir())
    (bundle / "photo.png").symlink_to(outside / "photo.png")  # a bundle file
    (hugo / "content" / "posts" / "passwd.md").symlink_to(outside / "passwd")
    (hugo / "static").mkdir()
    (hugo / "static" / "passwd.txt").symlink_to(outside / "passwd")

    for src_dir, links in ((src, ["_posts/2020-05-05-passwd.md", "assets/images/photo.png", "assets/folder"]),
                           (hugo, [f"content/posts/{bundle.name}/photo.png", "content/posts/passwd.md",
                                   "static/passwd.txt"])):
        out = tmp_path / f"{src_dir.name}-out"
        proc = cli(tmp_path, str(src_dir), "--out", str(out))
        assert proc.returncode == 0, proc.stderr
        for path in out.rglob("*"):
            assert not path.is_symlink()
            if path.is_file():
                assert b"OUTSIDE-SECRET-7f3a9c" not in path.read_bytes(), path
        text, data = report(out)
        reasons = skipped(data)
        for link in links:
            assert "outside the source" in reasons[link] and "not read" in reasons[link], reasons
            assert text.count(f"`{link}`") == 1
    kept = (tmp_path / "jekyll-out" / "content" / "posts" / "2020-05-07-kept" / "index.md").read_text(encoding="utf-8")
    assert "Inside SRC." in kept
    assert (outside / "passwd").read_text(encoding="utf-8") == secret  # untouched


# --------------------------------------------------------------------------- 3. DIR inside SRC
def test_out_inside_or_equal_to_the_source_is_refused(tmp_path: Path) -> None:
    src = copy("jekyll", tmp_path)
    before = tree_hash(src)
    cases = [src / "out", src, src / "assets" / ".." / "new"]
    if sys.platform != "win32":
        (tmp_path / "link").symlink_to(src, target_is_directory=True)
        cases.append(tmp_path / "link" / "out")  # inside SRC through a link
    for out in cases:
        proc = cli(tmp_path, str(src), "--out", str(out))
        assert proc.returncode == 2, (out, proc.stderr)
        assert "cannot be SRC or inside it" in proc.stderr and "Traceback" not in proc.stderr
        for flag in ("--dry-run", "--diff"):
            assert cli(tmp_path, str(src), "--out", str(out), flag).returncode == 2
    proc = cli(tmp_path, str(src), "--out", str(tmp_path), "--force")  # DIR holding SRC: replaced, never
    assert proc.returncode == 2 and "cannot contain SRC" in proc.stderr
    assert tree_hash(src) == before
    assert not (src / "out").exists() and not (src / "new").exists()
    assert cli(tmp_path, str(src), "--out", str(tmp_path / "beside")).returncode == 0


# --------------------------------------------------------------------------- 4. one bad post
DEEP = 20_000


def bad_posts(src: Path) -> None:
    posts = src / "_posts"
    (posts / "2021-01-01-deep-yaml.md").write_text(
        "---\ntitle: deep\nitems: " + "[" * DEEP + "]" * DEEP + "\n---\nbody\n", encoding="utf-8")
    (posts / "2021-01-02-deep-json.md").write_text(
        '{"a": ' + "[" * DEEP + "]" * DEEP + "}\n\nbody\n", encoding="utf-8")
    (posts / "2021-01-03-deep-toml.md").write_text(
        "+++\na = " + "[" * DEEP + "]" * DEEP + "\n+++\nbody\n", encoding="utf-8")
    (posts / "2021-01-04-surrogate.md").write_text('---\ntitle: "\\ud800"\n---\nStill here.\n', encoding="utf-8")


def test_one_bad_post_never_stops_the_run(tmp_path: Path) -> None:
    src = copy("jekyll", tmp_path)
    bad_posts(src)
    out = tmp_path / "out"
    proc = cli(tmp_path, str(src), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    # the 4 bad posts, plus the fixture's layouts and home page (listed with their reason)
    assert "Traceback" not in proc.stderr and "6 not migrated" in proc.stderr
    text, data = report(out)  # both reports are valid UTF-8 (read_text would raise otherwise)
    reasons = skipped(data)
    for name in ("2021-01-01-deep-yaml", "2021-01-02-deep-json", "2021-01-03-deep-toml",
                 "2021-01-04-surrogate"):
        reason = reasons[f"_posts/{name}.md"]
        assert "front matter" in reason and "(line " in reason, reason  # file and line
        assert f"`_posts/{name}.md`" in text
    # "\ud800" (a lone surrogate) is an invalid escape to libyaml, as to Jekyll (Psych) and Hugo
    assert "invalid Unicode character escape" in reasons["_posts/2021-01-04-surrogate.md"]
    assert not (out / "content" / "posts" / "2021-01-04-surrogate").exists()
    assert (out / "content" / "posts" / "2019-10-29-mlops-reading-group" / "index.md").is_file()


def test_an_exception_in_one_post_is_reported_for_that_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Independent of the front-matter parser's own depth limit: whatever one post raises
    (RecursionError, UnicodeError, ValueError, OSError, any Exception) is that post's reason."""
    from blogtools import frontmatter
    from blogtools.migrate import body, target_hugo

    src = copy("jekyll", tmp_path)
    (src / "_posts" / "2021-02-01-recursion.md").write_text("---\ntitle: RECURSE\n---\nx\n", encoding="utf-8")
    (src / "_posts" / "2021-02-02-internal.md").write_text("---\ntitle: internal\n---\nBOOM\n", encoding="utf-8")
    (src / "_posts" / "2021-02-03-unwritable.md").write_text("---\ntitle: unwritable\n---\nx\n", encoding="utf-8")

    parse, convert, render = frontmatter.parse, body.convert_html, target_hugo.post_text

    def deep_parse(text: str):  # a parser without a depth limit
        if "RECURSE" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return parse(text)

    def bad_convert(post) -> None:
        if "BOOM" in post.body:
            raise KeyError("boom")
        convert(post)

    def bad_render(post, fmt: str) -> str:
        if post.title == "unwritable":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return render(post, fmt)

    monkeypatch.setattr(frontmatter, "parse", deep_parse)
    monkeypatch.setattr(body, "convert_html", bad_convert)
    monkeypatch.setattr(target_hugo, "post_text", bad_render)
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    reasons = dict(result.skipped)
    assert "RecursionError" in reasons["_posts/2021-02-01-recursion.md"]
    assert "line 1" in reasons["_posts/2021-02-01-recursion.md"]
    assert "internal error (KeyError" in reasons["_posts/2021-02-02-internal.md"]
    assert "UnicodeEncodeError" in reasons["_posts/2021-02-03-unwritable.md"]
    assert len(result.posts) == 4 and (out / "MIGRATION.md").is_file()  # the fixture's own, all written
    assert not any("2021-02" in p.name for p in (out / "content" / "posts").iterdir())


# --------------------------------------------------------------------------- 5. totals
def test_report_totals_count_the_posts_not_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from blogtools.migrate import body

    src = copy("jekyll", tmp_path)
    bad_posts(src)
    convert = body.convert_html

    def bad_convert(post) -> None:
        if "kubernetes" in post.source:
            raise RecursionError("maximum recursion depth exceeded")
        convert(post)

    monkeypatch.setattr(body, "convert_html", bad_convert)
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    text, data = report(out)
    not_migrated = {"_posts/2021-01-01-deep-yaml.md", "_posts/2021-01-02-deep-json.md",
                    "_posts/2021-01-03-deep-toml.md", "_posts/2021-01-04-surrogate.md",
                    "_posts/2020-02-01-hello-kubernetes.markdown",
                    "_layouts/", "index.html"}  # the layouts and the home page are listed too, with their reason
    assert set(skipped(data)) == not_migrated
    assert data["totals"]["skipped"] == 7
    assert "- skipped: 7" in text and "## Not migrated" in text
    assert "`_posts/2020-02-01-hello-kubernetes.markdown`: not converted: nested too deeply" in text
    written = {p["source"] for p in data["posts"]}
    assert not written & not_migrated
    assert data["totals"]["posts"] + data["totals"]["pages"] == len(written) == len(result.posts)
    from blogtools.migrate import report as reportmod

    assert "7 not migrated" in reportmod.summary(result)


def test_a_post_linked_inside_src_is_migrated_once(tmp_path: Path) -> None:
    """A symbolic link beside its target inside SRC: one post, at the target's own URL."""
    plain = migrate(Options(str(FIXTURES / "migrate" / "jekyll"), str(tmp_path / "plain"), images="keep"))
    src = tmp_path / "src"
    shutil.copytree(FIXTURES / "migrate" / "jekyll", src)
    first = sorted((src / "_posts").glob("*.md"))[0]
    (src / "_posts" / "0000-00-00-alias-of-first.md").symlink_to(first.name)
    linked = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    assert [(p.source, p.out_path) for p in linked.posts] == [(p.source, p.out_path) for p in plain.posts]
