"""Discovery reuses the folder listings of the last run while the folders' mtimes hold."""

from __future__ import annotations

import os
import time
from pathlib import Path

from blogtools.config import Config
from blogtools.lint.cache import DiscoveryMemo
from blogtools.lint.runner import discover

PATTERNS = ("test",)


def _site(root: Path) -> None:
    for name in ("2021-a", "2022-b", "2023-c"):
        bundle = root / "content" / "posts" / name
        (bundle / "images").mkdir(parents=True)
        (bundle / "index.md").write_text(f"---\ntitle: {name}\n---\n本文\n", encoding="utf-8")
        (bundle / "images" / "1.png").write_bytes(b"\x89PNG")
    (root / "content" / "about.md").write_text("# About\n", encoding="utf-8")
    (root / "content" / "drafts").mkdir()
    (root / "content" / "drafts" / "notes.markdown").write_text("メモ\n", encoding="utf-8")
    (root / "node_modules" / "pkg").mkdir(parents=True)  # excluded by default
    (root / "node_modules" / "pkg" / "README.md").write_text("x\n", encoding="utf-8")
    _age(root)


def _age(root: Path) -> None:
    """Back-date every folder so that the racy window does not hide it from the memo."""
    old = time.time() - 3600
    for folder, _dirs, _files in os.walk(root):
        os.utime(folder, (old, old))


def _view(found):  # everything a Discovery tells its callers
    return found.files, sorted(found.problems), found.folders, sorted(found.pruned)


def _both(root: Path, cache: Path):
    """A walk with the memo, checked against a plain walk; returns it and the memo."""
    config = Config(root=str(root))
    plain = discover([str(root)], config)
    # Without a memo (no cache) folder times are of no use: the walk does not stat folders.
    assert plain.folders == {}
    memo = DiscoveryMemo(str(root), PATTERNS, str(cache))
    remembered = discover([str(root)], config, memo)
    assert _view(remembered)[:2] == _view(plain)[:2] and _view(remembered)[3] == _view(plain)[3]
    entered = {d for d, _dirs, _files in os.walk(root) if "node_modules" not in d}
    assert set(remembered.folders) == entered
    assert all(remembered.folders[d] == os.stat(d).st_mtime_ns for d in entered)
    return remembered, memo


def test_listings_are_recorded_then_reused_with_the_same_result(tmp_path: Path) -> None:
    root, cache = tmp_path / "site", tmp_path / "cache"
    _site(root)
    plain, memo = _both(root, cache)
    assert len(plain.files) == 5 and any(p.endswith("node_modules") for p in plain.pruned)
    assert set(memo.entries) == set(plain.folders)
    assert len(list(cache.glob("discovery-*.pickle"))) == 1

    reused = DiscoveryMemo(str(root), PATTERNS, str(cache))
    assert set(reused.entries) == set(plain.folders)
    calls = []
    original = os.scandir
    try:
        os.scandir = lambda p: calls.append(p) or original(p)  # type: ignore[assignment]
        again = discover([str(root)], Config(root=str(root)), reused)
    finally:
        os.scandir = original  # type: ignore[assignment]
    assert calls == []  # nothing listed again
    assert _view(again) == _view(plain)


def test_added_removed_and_renamed_entries_are_seen(tmp_path: Path) -> None:
    root, cache = tmp_path / "site", tmp_path / "cache"
    _site(root)
    _both(root, cache)
    posts = root / "content" / "posts"
    (posts / "2024-d").mkdir()
    (posts / "2024-d" / "index.md").write_text("新しい記事\n", encoding="utf-8")
    (posts / "2021-a" / "index.md").rename(posts / "2021-a" / "index.markdown")
    for sub in ("images",):
        (posts / "2022-b" / sub / "1.png").unlink()
        (posts / "2022-b" / sub).rmdir()
    (root / "content" / "about.md").unlink()
    plain, memo = _both(root, cache)
    rel = sorted(os.path.relpath(f, root) for f in plain.files)
    assert rel == sorted(["content/posts/2021-a/index.markdown", "content/posts/2022-b/index.md",
                          "content/posts/2023-c/index.md", "content/posts/2024-d/index.md",
                          "content/drafts/notes.markdown"])
    # The removed folder's listing is dropped when the memo is written.
    assert str(posts / "2022-b" / "images") not in DiscoveryMemo(str(root), PATTERNS, str(cache)).entries


def test_a_symlink_is_checked_every_time(tmp_path: Path) -> None:
    root, cache = tmp_path / "site", tmp_path / "cache"
    _site(root)
    target = root / "notes" / "elsewhere.txt"  # inside the site, outside content/
    target.parent.mkdir()
    target.write_text("リンク先\n", encoding="utf-8")
    (root / "content" / "linked.md").symlink_to(target)
    _age(root)
    plain, _ = _both(root, cache)
    assert any(f.endswith("linked.md") for f in plain.files) and not plain.problems
    target.unlink()  # the folder holding the link does not change
    plain, _ = _both(root, cache)
    assert [why for p, why in plain.problems if p.endswith("linked.md")] == [
        "broken symbolic link: its target does not exist"]


def test_a_folder_changed_just_now_is_not_trusted(tmp_path: Path) -> None:
    root, cache = tmp_path / "site", tmp_path / "cache"
    _site(root)
    fresh = root / "content" / "posts" / "2023-c"
    os.utime(fresh)  # modified now: within the racy window
    _plain, memo = _both(root, cache)
    assert str(fresh) not in memo.entries and str(root / "content") in memo.entries


def test_a_damaged_memo_is_ignored(tmp_path: Path) -> None:
    root, cache = tmp_path / "site", tmp_path / "cache"
    _site(root)
    _both(root, cache)
    memo_file = next(cache.glob("discovery-*.pickle"))
    memo_file.write_bytes(memo_file.read_bytes()[:100])
    _plain, memo = _both(root, cache)
    assert memo.entries  # rebuilt
