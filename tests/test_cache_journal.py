"""The per-file cache writes a small journal for a few changes instead of rewriting itself."""

from __future__ import annotations

import os
from pathlib import Path

from blogtools.lint import cache as cache_mod
from blogtools.lint.cache import Cache
from blogtools.lint.runner import FileResult


def _result(path: str, n: int) -> FileResult:
    return FileResult(os.path.basename(path), path, [f"diag-{n}"], {"abspath": path, "n": n})


def _fill(directory: Path, count: int) -> Cache:
    c = Cache("k", str(directory))
    for i in range(count):
        p = f"/site/p{i}.md"
        c.put(p, b"h%d" % i, (i, i), _result(p, i))
    c.save()
    return c


def test_a_few_changes_go_to_the_journal_and_load_back(tmp_path: Path) -> None:
    _fill(tmp_path, 300)
    main = tmp_path / "lint-k.pickle"
    facts = tmp_path / "facts-k.pickle"
    before = (main.stat().st_mtime_ns, facts.stat().st_mtime_ns)
    assert not (tmp_path / "lint-k.delta.pickle").exists()

    c = Cache("k", str(tmp_path))
    c.put("/site/p7.md", b"new", (99, 99), _result("/site/p7.md", 700))
    c.put("/site/new.md", b"n", (1, 1), _result("/site/new.md", 1000))
    c.save()
    assert (main.stat().st_mtime_ns, facts.stat().st_mtime_ns) == before  # main files untouched
    assert (tmp_path / "lint-k.delta.pickle").exists() and (tmp_path / "facts-k.delta.pickle").exists()

    again = Cache("k", str(tmp_path))
    assert len(again.entries) == 301
    assert again.get_by_stat("/site/p7.md", (99, 99)).diagnostics == ["diag-700"]
    assert again.facts_for("/site/p7.md")["n"] == 700 and again.facts_for("/site/p3.md")["n"] == 3
    assert again.get_by_stat("/site/p7.md", (7, 7)) is None  # the old entry is gone


def test_the_journal_is_folded_when_it_grows_or_files_are_pruned(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_mod, "JOURNAL_LIMIT", 5)
    _fill(tmp_path, 20)
    for round_ in range(3):  # 3 rounds of 2 changes: the third overflows the journal
        c = Cache("k", str(tmp_path))
        for i in (round_ * 2, round_ * 2 + 1):
            p = f"/site/p{i}.md"
            c.put(p, b"x", (100 + i, 1), _result(p, 100 + i))
        c.save()
    assert not (tmp_path / "lint-k.delta.pickle").exists()  # folded into the main file
    folded = Cache("k", str(tmp_path))
    assert [folded.facts_for(f"/site/p{i}.md")["n"] for i in range(7)] == [100, 101, 102, 103, 104, 105, 6]

    c = Cache("k", str(tmp_path))
    c.put("/site/p0.md", b"y", (5, 5), _result("/site/p0.md", 5))
    c.save(keep={"/site/p0.md", "/site/p1.md"})  # the other files were deleted
    pruned = Cache("k", str(tmp_path))
    assert sorted(pruned.entries) == ["/site/p0.md", "/site/p1.md"]
    assert not (tmp_path / "lint-k.delta.pickle").exists()


def test_a_lost_journal_only_costs_speed(tmp_path: Path) -> None:
    _fill(tmp_path, 10)
    c = Cache("k", str(tmp_path))
    c.put("/site/p1.md", b"changed", (50, 50), _result("/site/p1.md", 50))
    c.save()
    (tmp_path / "lint-k.delta.pickle").write_bytes(b"not a pickle")
    broken = Cache("k", str(tmp_path))
    # The old entry is back: a stale stat key and digest miss for the edited file, which
    # is then linted again; nothing wrong is served.
    assert broken.get_by_stat("/site/p1.md", (50, 50)) is None
    assert broken.get("/site/p1.md", b"changed", (50, 50)) is None


def test_entry_files_round_trip_and_damage_reads_as_empty(tmp_path: Path) -> None:
    shared = ["tag"] * 2
    data = {f"/site/p{i}.md": {"tags": [shared, shared], "n": i, "text": "機械学習" * i} for i in range(50)}
    path = str(tmp_path / "facts-x.pickle")
    cache_mod._dump_entries(path, data)
    back = cache_mod._load_entries(path)
    assert back == data
    assert back["/site/p3.md"]["tags"][0] is back["/site/p3.md"]["tags"][1]  # sharing inside an entry kept

    size = os.path.getsize(path)
    with open(path, "r+b") as fh:  # a run killed mid-write on a filesystem without atomic rename
        fh.truncate(size // 2)
    assert cache_mod._load_entries(path) == {}

    import pickle

    with open(path, "wb") as fh:  # a cache file from an older version (one pickle of the dict)
        pickle.dump(data, fh)
    assert cache_mod._load_entries(path) == {}
    assert not list(tmp_path.glob("*.tmp"))
