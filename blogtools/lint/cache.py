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
import tempfile
from typing import Any

from blogtools import __version__

CACHE_VERSION = 2


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
    def __init__(self, key: str, directory: str | None = None) -> None:
        self.path = os.path.join(directory or cache_dir(), f"lint-{key}.pickle")
        self.entries: dict[str, tuple[bytes, tuple[int, int], Any]] = {}
        self.dirty = False
        try:
            with open(self.path, "rb") as fh:
                self.entries = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            self.entries = {}

    def get_by_stat(self, path: str, stat_key: tuple[int, int]) -> Any:
        entry = self.entries.get(path)
        if entry is not None and entry[1] == stat_key:
            return entry[2]
        return None

    def get(self, path: str, digest: bytes, stat_key: tuple[int, int]) -> Any:
        entry = self.entries.get(path)
        if entry is not None and entry[0] == digest:
            if entry[1] != stat_key:
                self.entries[path] = (digest, stat_key, entry[2])
                self.dirty = True
            return entry[2]
        return None

    def put(self, path: str, digest: bytes, stat_key: tuple[int, int], value: Any) -> None:
        self.entries[path] = (digest, stat_key, value)
        self.dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        if keep is not None and set(self.entries) - keep:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
            self.dirty = True
        if not self.dirty:
            return
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs speed


class SiteCache:
    """Site-wide diagnostics of the last run, reused while nothing they depend on changed."""

    def __init__(self, key: str, directory: str | None = None) -> None:
        self.path = os.path.join(directory or cache_dir(), f"site-{key}.pickle")

    def get(self, key: str) -> Any:
        try:
            with open(self.path, "rb") as fh:
                stored_key, value = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return None
        return value if stored_key == key else None

    def put(self, key: str, value: Any) -> None:
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((key, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass
