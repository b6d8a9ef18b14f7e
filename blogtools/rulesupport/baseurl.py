"""The site's own public URL (host and path prefix), shared by BT207 and BT210."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from blogtools.urls import urlsplit


def host_of(netloc: str) -> str:
    """The host of a URL's netloc, lower case, without user, port or ``www.``."""
    host = netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def own_base(site: Any) -> tuple[str, str] | None:
    """(host, path prefix) of the site's public URL, from ``baseURL`` (Hugo) or ``url`` +
    ``baseurl`` (Jekyll); None when the config has none."""
    if site is None or not getattr(site, "config", None):
        return None
    if site.generator == "jekyll":
        url, prefix = site.setting("url", ""), site.setting("baseurl", "")
    else:
        url, prefix = site.setting("baseURL", ""), ""
    return _base(url, str(prefix or "")) if isinstance(url, str) else None


@lru_cache(maxsize=16)
def _base(url: str, prefix: str) -> tuple[str, str] | None:
    if "://" not in url:
        return None
    parts = urlsplit(url)
    path = (parts.path.rstrip("/") + "/" + str(prefix or "").strip("/")).rstrip("/")
    return host_of(parts.netloc), path
