"""What a real build serves: the internal href/src of every built HTML page, split into
those the output has a file for and those it has not. The oracle of tests/test_site_oracle.py
(Hugo) and tests/test_jekyll_oracle.py (Jekyll)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class Refs(HTMLParser):
    """Every ``<a href>`` and ``<img src>`` of a page, as written."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (tag, name) in (("a", "href"), ("img", "src")):
                self.refs.append(value)


def served(public: Path, inside: str) -> bool:
    """What a static server (GitHub Pages, ``hugo server``, ``jekyll serve``) answers for a
    path: the file, a folder's ``index.html``, or ``x.html`` for ``/x``."""
    target = public / inside.lstrip("/")
    if inside.endswith("/"):
        return (target / "index.html").is_file()
    return target.is_file() or (target / "index.html").is_file() or target.with_name(target.name + ".html").is_file()


def broken_in_build(public: Path, base_url: str) -> tuple[list[str], set[str]]:
    """(broken, working): the site-internal href/src of every built page (as written in the
    output), split by whether the output serves them. Links to the host outside the base
    path are in neither: the site cannot tell."""
    base = urlsplit(base_url)
    prefix = base.path.rstrip("/")
    broken: list[str] = []
    working: set[str] = set()
    for page in sorted(public.rglob("*.html")):
        rel = page.relative_to(public).as_posix()
        page_url = f"{base.scheme}://{base.netloc}{prefix}/" + (rel[: -len("index.html")] if rel.endswith(
            "index.html") else rel)
        parser = Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            absolute = urlsplit(urljoin(page_url, ref))
            if absolute.scheme not in ("http", "https") or absolute.netloc != base.netloc:
                continue
            path = unquote(absolute.path)
            if not (path + "/").startswith(prefix + "/"):
                continue  # the host's, outside the site
            if served(public, path[len(prefix):] or "/"):
                working.add(ref)
            else:
                broken.append(ref)
    return broken, working
