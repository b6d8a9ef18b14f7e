"""Hugo URL facts for the migrator, on top of :mod:`blogtools.generators.hugo`.

Page URLs and path sanitising come from :mod:`blogtools.generators.hugo` (the site model);
this module adds what only the migrator needs: old URLs normalised for aliases, the file
Hugo writes for a URL, and why an alias would not serve its old URL. Aliases are *not*
sanitised by Hugo (0.168 writes them verbatim, case kept), see :func:`alias_problems`.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote

try:  # the site model's sanitiser is the one source of truth
    from blogtools.generators.hugo import make_path
except ImportError:  # pragma: no cover - only before the generators package existed
    def make_path(s: str, lower: bool = True) -> str:  # type: ignore[misc]
        out = "".join(c for c in s if c.isalnum() or c in "./_#+~-@")
        return out.lower() if lower else out


def generator(site: Any = None) -> Any:
    """The site model's Hugo profile for ``site`` (an empty site when None)."""
    from blogtools.generators.hugo import Hugo
    from blogtools.site import Site

    return Hugo(site if site is not None else Site(os.path.abspath(os.sep + "blogtools-migrate")))


def page(gen: Any, abspath: str, meta: dict[str, Any], content_dir: str) -> tuple[str, list[str], list[str], bool]:
    """(URL, alias URLs, why an alias is refused, published) of a content file, as the site
    model's generator profile (:mod:`blogtools.generators`) computes them."""
    facts = {"path": abspath, "abspath": abspath, "front_matter": {"format": "yaml", "data": meta, "keys": {}}}
    p = gen.make_page(facts, content_dir, "")
    if p is None:
        return "", [], [], False
    return (p.url, [a.url for a in p.aliases if a.url], [f"{a.raw}: {a.error}" for a in p.aliases if a.error],
            p.published)


def _setting(config: dict[str, Any], key: str, default: Any) -> Any:
    for k, v in config.items():
        if k.lower() == key.lower():
            return v
    return default


def normalise_url(url: str) -> str:
    """A site path for comparison and for an alias: percent-decoded (a web server decodes the
    request before looking up the file), leading slash, no query or fragment."""
    u = url.split("#", 1)[0].split("?", 1)[0].strip()
    u = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", u, flags=re.I)
    u = unquote(u) if "%2f" not in u.lower() else u
    u = "/" + u.lstrip("/")
    return re.sub(r"/{2,}", "/", u)


def public_file(url: str) -> str:
    """The file under ``public/`` that serves ``url`` (page or alias)."""
    path = normalise_url(url).lstrip("/")
    if path.endswith(".html") or path.endswith(".xml"):
        return path
    return (path.rstrip("/") + "/index.html").lstrip("/")


def alias_problems(alias: str) -> list[str]:
    """Why an alias would not serve its old URL once Hugo writes it (empty when fine)."""
    problems = []
    if re.match(r"[a-z][a-z0-9+.-]*:", alias, re.I):
        problems.append("an absolute URL cannot be an alias (Hugo rejects http aliases)")
    if alias.strip("/") == "":
        problems.append("the site root cannot be an alias")
    if ".." in alias.split("/"):
        problems.append("'..' would leave the site")
    last = alias.rstrip("/").rsplit("/", 1)[-1]
    if "." in last and not last.endswith(".html") and not alias.endswith("/"):
        problems.append(f"Hugo writes it as a folder ({last}/index.html): a server will not serve it for {last}")
    if "?" in alias:
        problems.append("a query string cannot be served by a static file")
    if re.search(r'[#"<>|*:\\]', alias.split("?", 1)[0]):
        problems.append("contains characters a file name cannot hold on every system (# : * \" < > | \\)")
    return problems
