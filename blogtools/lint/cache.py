"""Per-file results cached on disk, keyed by content hash.

One pickle per configuration "salt" (tool version + selected rules + their settings + the
site config), in the user cache dir (``BLOGTOOLS_CACHE_DIR`` overrides it). An entry maps a
file's absolute path to (content hash, (mtime_ns, size), result); a changed file misses, an
unchanged site re-lints from facts without parsing anything. A file whose modification time
and size are unchanged is not even read (as ruff does); otherwise its content hash decides,
so touching a file without changing it costs one read, not a re-lint.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from typing import Any

from blogtools import __version__

CACHE_VERSION = 6  # 6: Jekyll facts (written URLs, .html documents)


def cache_dir() -> str:
    env = os.environ.get("BLOGTOOLS_CACHE_DIR")
    if env:
        return env
    from platformdirs import user_cache_dir

    return user_cache_dir("blogtools")


def content_hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def salt(*parts: Any) -> str:
    h = hashlib.blake2b(repr((CACHE_VERSION, __version__) + parts).encode(), digest_size=10)
    return h.hexdigest()


class Cache:
    """Per-file results: diagnostics in one pickle, facts in another, read only when needed.

    Each file has a small journal beside it (``*.delta.pickle``): a run that changed a few
    entries (a pre-commit run after editing one post) writes only the journal instead of
    rewriting tens of megabytes; the journal is folded into the main file once it holds more
    than :data:`JOURNAL_LIMIT` entries or a run prunes deleted files. Loading applies the
    journal over the main file (``None`` in a journal deletes an entry).
    """

    def __init__(self, key: str, directory: str | None = None) -> None:
        base = directory or cache_dir()
        self.path = os.path.join(base, f"lint-{key}.pickle")
        self.facts_path = os.path.join(base, f"facts-{key}.pickle")
        # path -> (content hash, (mtime_ns, size, ctime_ns, inode), display path, diagnostics)
        self.entries: dict[str, tuple[bytes, tuple[int, ...], str, Any]] = _load_journaled(self.path)[0]
        self._facts: dict[str, Any] | None = None
        self._changed: set[str] = set()  # entries (and facts) changed by this run
        self._facts_changed: set[str] = set()
        self._rewrite = False  # fold everything into the main files

    def _entry(self, path: str, value: Any) -> Any:
        from blogtools.lint.runner import FileResult

        return FileResult(value[2], path, value[3], None, self.facts_for)

    def get_by_stat(self, path: str, stat_key: tuple[int, ...]) -> Any:
        entry = self.entries.get(path)
        if entry is not None and entry[1] == stat_key:
            return self._entry(path, entry)
        return None

    def get(self, path: str, digest: bytes, stat_key: tuple[int, ...]) -> Any:
        entry = self.entries.get(path)
        if entry is not None and entry[0] == digest:
            if entry[1] != stat_key:
                self.entries[path] = (digest, stat_key, entry[2], entry[3])
                self._changed.add(path)
            return self._entry(path, entry)
        return None

    def _load_facts(self) -> dict[str, Any]:
        if self._facts is None:
            self._facts = _load_journaled(self.facts_path)[0]
        return self._facts

    def facts_for(self, path: str) -> Any:
        return self._load_facts().get(path)

    def put(self, path: str, digest: bytes, stat_key: tuple[int, ...], value: Any) -> None:
        self.entries[path] = (digest, stat_key, value.path, value.diagnostics)
        self._load_facts()[path] = value.facts
        self._changed.add(path)
        self._facts_changed.add(path)

    def save(self, keep: set[str] | None = None) -> None:
        if keep is not None and set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self._facts = {k: v for k, v in self._load_facts().items() if k in keep}
            self._rewrite = True
        _save_journaled(self.path, self.entries, self._changed, self._rewrite)
        if self._facts is not None:
            _save_journaled(self.facts_path, self._facts, self._facts_changed, self._rewrite)
        self._changed, self._facts_changed, self._rewrite = set(), set(), False


JOURNAL_LIMIT = 256  # entries a journal may hold before it is folded into its main file


def _delta_path(path: str) -> str:
    return path[: -len(".pickle")] + ".delta.pickle"


def _load_journaled(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the data with its journal applied, the journal)."""
    data = _load_entries(path)
    delta = _load_entries(_delta_path(path))
    for key, value in delta.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data, delta


def _save_journaled(path: str, data: dict[str, Any], changed: set[str], rewrite: bool) -> None:
    if not changed and not rewrite:
        return
    delta_path = _delta_path(path)
    journal = _load_entries(delta_path) if not rewrite else {}
    journal.update((k, data.get(k)) for k in changed)
    if rewrite or len(journal) > JOURNAL_LIMIT or not os.path.exists(path):
        _dump_entries(path, data)
        try:
            os.unlink(delta_path)
        except OSError:
            pass
    else:
        _dump_entries(delta_path, journal)


_ENTRIES_MAGIC = b"blogtools-entries-1\n"

_LOAD_ERRORS = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError,
                TypeError, IndexError, KeyError)


def _load_entries(path: str) -> dict[str, Any]:
    """Read a file written by :func:`_dump_entries`; a damaged or partial file reads as empty."""
    data: dict[str, Any] = {}
    try:
        with open(path, "rb") as fh:
            if fh.read(len(_ENTRIES_MAGIC)) != _ENTRIES_MAGIC:
                return {}
            count = pickle.load(fh)
            for _ in range(count):  # one unpickler per entry: each entry's memo starts empty
                key, value = pickle.load(fh)
                data[key] = value
    except _LOAD_ERRORS:
        return {}
    return data


def _dump_entries(path: str, data: dict[str, Any]) -> None:
    """Write a dict as a count followed by one small pickle per entry.

    One pickle of the whole dict would keep a memo of every object in it while it writes:
    for the facts of 10,000 posts that is ~100 MB on top of the data (it set the peak memory
    of a first, cache-filling run). Per-entry pickles keep the memo to one entry.
    """

    def write(fh: Any) -> None:
        fh.write(_ENTRIES_MAGIC)
        pickle.dump(len(data), fh, protocol=pickle.HIGHEST_PROTOCOL)
        pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
        for item in data.items():
            pickler.dump(item)
            pickler.clear_memo()

    _write_atomic(path, write)


def _dump(path: str, data: Any) -> None:
    _write_atomic(path, lambda fh: pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL))


def _write_atomic(path: str, write: Any) -> None:
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        import tempfile  # (imports shutil, random...: only when writing)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:  # a cache that cannot be written only costs speed
            try:
                os.unlink(tmp)
            except OSError:
                pass


class SiteCache:
    """Site-wide diagnostics, reused while nothing they depend on changed.

    One file per state (a whole-site run and a pre-commit run on a few files have different
    keys and alternate); the oldest beyond ``KEEP`` are removed.
    """

    KEEP = 4

    def __init__(self, salt_key: str, directory: str | None = None) -> None:
        self.directory = directory or cache_dir()
        self.prefix = f"site-{salt_key}-"

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, f"{self.prefix}{key}.pickle")

    def get(self, key: str) -> Any:
        try:
            with open(self._path(key), "rb") as fh:
                stored_key, value = pickle.load(fh)
        except _LOAD_ERRORS:
            return None
        return value if stored_key == key else None

    def put(self, key: str, value: Any) -> None:
        _dump(self._path(key), (key, value))
        try:
            mine = sorted((e for e in os.scandir(self.directory) if e.name.startswith("site-")),
                          key=lambda e: e.stat().st_mtime_ns, reverse=True)
        except OSError:
            return
        for entry in mine[self.KEEP :]:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


class DiscoveryMemo:
    """Folder listings of the last walk (see :func:`blogtools.lint.runner.discover`).

    Listing 16,000 folders takes longer than the rest of a warm run; a ``stat`` of each
    tells which ones changed. A folder changed in the last :data:`RACY_NS` is not
    recorded: its mtime could still change within the same clock tick without looking
    different (git's "racily clean" problem). One file per root and include/exclude set.
    """

    RACY_NS = 2_000_000_000

    def __init__(self, root: str, patterns: Any, directory: str | None = None) -> None:
        key = salt("discovery", os.path.abspath(root), patterns)
        self.path = os.path.join(directory or cache_dir(), f"discovery-{key}.pickle")
        self.entries: dict[str, Any] = _load_entries(self.path)
        self._changed = False
        self._visited: set[str] = set()
        self._now = time.time_ns()

    def get(self, folder: str, mtime_ns: int) -> Any:
        self._visited.add(folder)
        entry = self.entries.get(folder)
        return entry[1] if entry is not None and entry[0] == mtime_ns else None

    def put(self, folder: str, mtime_ns: int, listing: Any) -> None:
        self._visited.add(folder)
        if self._now - mtime_ns > self.RACY_NS:
            self.entries[folder] = (mtime_ns, listing)
            self._changed = True
        elif self.entries.pop(folder, None) is not None:
            self._changed = True

    def save(self) -> None:
        """Write the listings if any changed. A folder that was not reached although a folder
        above it was walked is gone (removed, renamed, excluded): its listing is dropped."""
        if not self._changed:
            return
        visited = self._visited

        def stale(folder: str) -> bool:
            parent = os.path.dirname(folder)
            while parent and parent != folder:
                if parent in visited:
                    return True
                folder, parent = parent, os.path.dirname(parent)
            return False

        self.entries = {f: e for f, e in self.entries.items() if f in visited or not stale(f)}
        _dump_entries(self.path, self.entries)
        self._changed = False
