"""Remote images → files in the bundle: bounded, checked downloads and names that stay inside.

Every download has a timeout (per read and overall), a size cap, a content-type check
(``image/*`` only), a few retries for transient failures (timeouts, connection errors,
5xx) and follows redirects; a failure leaves the remote URL in place and is reported.
Names come from the URL (or Medium's image id), reduced to ``[A-Za-z0-9._-]``, with the
extension the content type says, and are unique within the bundle's ``images/`` folder:
no ``..``, no absolute path, no odd characters can reach the file system.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit

from blogtools.record import dataclass

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT = 15.0
RETRIES = 2
USER_AGENT = "blogtools-migrate (+https://pypi.org/project/blogtools/)"
EXT_FOR = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
           "image/svg+xml": ".svg", "image/avif": ".avif", "image/bmp": ".bmp", "image/x-icon": ".ico",
           "image/vnd.microsoft.icon": ".ico", "image/tiff": ".tiff"}


@dataclass
class Fetched:
    url: str
    data: bytes | None = None
    content_type: str = ""
    error: str = ""
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.data is not None


class _Transient(Exception):
    pass


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES, retries: int = RETRIES,
          opener: Callable[..., object] | None = None) -> Fetched:
    """One image over HTTP(S), checked; never raises."""
    result = Fetched(url)
    if urlsplit(url).scheme not in ("http", "https"):
        result.error = "not an http(s) URL"
        return result
    for attempt in range(retries + 1):
        result.attempts = attempt + 1
        try:
            result.data, result.content_type = _get(url, timeout, max_bytes, opener)
            result.error = ""
            return result
        except _Transient as exc:
            result.error = str(exc)
            if attempt < retries:
                time.sleep(min(0.2 * 2 ** attempt, 2.0))
        except ValueError as exc:  # permanent: wrong type, too big, 4xx
            result.error = str(exc)
            return result
    return result


def _get(url: str, timeout: float, max_bytes: int, opener: Callable[..., object] | None) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    deadline = time.monotonic() + timeout
    try:
        response = (opener or urllib.request.urlopen)(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise _Transient(f"HTTP {exc.code}") from None
        raise ValueError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Transient(f"cannot connect: {reason}") from None
    with response:  # type: ignore[attr-defined]
        ctype = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()  # type: ignore[attr-defined]
        if not ctype.startswith("image/"):
            raise ValueError(f"not an image (Content-Type {ctype or 'missing'})")
        length = response.headers.get("Content-Length")  # type: ignore[attr-defined]
        if length and length.isdigit() and int(length) > max_bytes:
            raise ValueError(f"{int(length)} bytes, over the {max_bytes} byte limit")
        chunks, total = [], 0
        while True:
            if time.monotonic() > deadline:
                raise _Transient(f"timed out after {timeout:g} s")
            try:
                chunk = response.read(65536)  # type: ignore[attr-defined]
            except (TimeoutError, OSError) as exc:
                raise _Transient(f"read failed: {exc}") from None
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise ValueError(f"over the {max_bytes} byte limit")
            chunks.append(chunk)
    return b"".join(chunks), ctype


def fetch_all(urls: Iterable[str], workers: int = 8, progress: Callable[[int], None] | None = None,
              **kw: object) -> dict[str, Fetched]:
    """Each distinct URL fetched once, in parallel; results keyed by URL."""
    unique = sorted(set(urls))
    out: dict[str, Fetched] = {}
    if not unique:
        return out
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(unique)))) as pool:
        for n, res in enumerate(pool.map(lambda u: fetch(u, **kw), unique), 1):  # type: ignore[arg-type]
            out[res.url] = res
            if progress:
                progress(n)
    return out


def safe_name(hint: str, url: str = "", content_type: str = "") -> str:
    """A file name for an image: only ``[A-Za-z0-9._-]``, no leading dot, a sensible extension."""
    base = hint.replace("\\", "/").rsplit("/", 1)[-1] if hint else ""
    if not base and url:
        base = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.")[:80].strip("-.")
    stem, ext = os.path.splitext(base)
    want = EXT_FOR.get(content_type) or (mimetypes.guess_extension(content_type) if content_type else None)
    if want and ext.lower() not in (want, ".jpeg" if want == ".jpg" else want):
        ext = want
    if not stem or stem in (".", ".."):
        stem = "image-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
    return (stem + ext.lower())[:96]


def unique(name: str, taken: set[str]) -> str:
    """``name`` or ``stem-2.ext``, ``stem-3.ext``... not yet in ``taken`` (compared case-insensitively)."""
    lowered = {t.lower() for t in taken}
    if name.lower() not in lowered:
        return name
    stem, ext = os.path.splitext(name)
    n = 2
    while f"{stem}-{n}{ext}".lower() in lowered:
        n += 1
    return f"{stem}-{n}{ext}"


def inside(root: str, rel: str) -> bool:
    """True when ``root/rel`` stays inside ``root``."""
    if not rel or os.path.isabs(rel) or rel.startswith(("/", "\\")):
        return False
    full = os.path.realpath(os.path.join(root, rel))
    return full.startswith(os.path.realpath(root) + os.sep)
