"""The body model against the CommonMark spec examples (issue 19).

The examples come from Goldmark's own copy of the spec (``_test/spec.json``), which Debian's
``golang-github-yuin-goldmark-dev`` installs (``.ci/run`` installs it; no PyPI wheel ships
the spec's examples). Goldmark is the parser Hugo renders with, and it passes every one.
``BLOGTOOLS_COMMONMARK_SPEC`` may point at another ``spec.json`` of the same shape.

For each example the expected HTML gives, in document order:

- every link (``<a href>``) and image (``<img src>``) with its destination;
- the level of every heading (``<h1>``..``<h6>``);
- the number of code blocks (``<pre>``).

blogtools' body model (``parse_body``, what ``doc.nodes`` reads; the whole example is body,
so ``---`` at its top is a thematic break, not front matter), its nodes ``link``, ``image``,
``autolink``, ``heading`` and ``code_block``, must give the same: links and autolinks as links, destinations compared after what a renderer does to them
(backslash escapes and entity references decoded, then percent-encoded as cmark does). Bare
URLs (``attrs["bare"]``, Goldmark's linkify extension that Hugo turns on) are left out: the
spec has no linkify. Tags the Markdown wrote as raw HTML are not links the parser made and
are left out too (a tag whose exact text appears in the Markdown).

``EXPECTED_FAILURES`` lists the examples blogtools reads differently, each with the reason.
It is checked both ways: a listed example that starts to agree fails the test, so the table
is removed from as the parser improves.
"""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from blogtools.markdown import parse_body
from tests.conftest import missing_component

SPEC_PATHS = [
    os.environ.get("BLOGTOOLS_COMMONMARK_SPEC", ""),
    "/usr/share/gocode/src/github.com/yuin/goldmark/_test/spec.json",
]


def _spec_path() -> str | None:
    return next((p for p in SPEC_PATHS if p and os.path.isfile(p)), None)


def _load() -> list[dict]:
    path = _spec_path()
    return json.loads(Path(path).read_text(encoding="utf-8")) if path else []


EXAMPLES = _load()

# example number -> why blogtools disagrees. Grouped by cause.
EXPECTED_FAILURES: dict[int, str] = {}


# --------------------------------------------------------------------------- expected side
class _Expected(HTMLParser):
    """Links, images, heading levels and code blocks of a rendered example."""

    def __init__(self, markdown: str) -> None:
        super().__init__(convert_charrefs=True)
        self.markdown = markdown
        self.links: list[tuple[str, str]] = []
        self.headings: list[int] = []
        self.code_blocks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if raw and raw in self.markdown:  # raw HTML passed through, not parsed Markdown
            return
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.links.append(("link", a["href"] or ""))
        elif tag == "img":
            self.links.append(("image", a.get("src") or ""))
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
        elif tag == "pre":
            self.code_blocks += 1


def expected(example: dict) -> tuple[list[tuple[str, str]], list[int], int]:
    p = _Expected(example["markdown"])
    p.feed(example["html"])
    p.close()
    return p.links, p.headings, p.code_blocks


# --------------------------------------------------------------------------- blogtools side
_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _entity(m: re.Match[str]) -> str:
    out = html.unescape(m.group(0))
    if out == m.group(0) or out == "\x00":
        return "\ufffd" if m.group(0).startswith("&#") else m.group(0)
    return out


def rendered_destination(url: str, literal: bool = False) -> str:
    """What a CommonMark renderer writes into ``href``/``src`` for the destination ``url``
    as written in the source: escapes and entity references decoded (not in an autolink,
    ``literal``), then percent-encoded as cmark's ``normalize_uri`` does."""
    if not literal:
        url = _ENTITY.sub(_entity, _ESCAPE.sub(r"\1", url))
    url = _PERCENT.sub("%25", url)
    return quote(url, safe="!#$%&'()*+,-./:;=?@_~")


def actual(example: dict) -> tuple[list[tuple[str, str]], list[int], int]:
    body = parse_body(example["markdown"], 0)  # the whole example is body (no front matter)
    links: list[tuple[str, str]] = []
    headings: list[int] = []
    code_blocks = 0
    for n in body.iter("link", "image", "autolink", "heading", "code_block"):
        if n.kind == "heading":
            headings.append(n.level)
        elif n.kind == "code_block":
            code_blocks += 1
        elif n.kind == "autolink":
            if not (n.attrs and n.attrs.get("bare")):
                links.append(("link", rendered_destination(n.url, literal=True)))
        else:
            links.append((n.kind, rendered_destination(n.url)))
    return links, headings, code_blocks


# --------------------------------------------------------------------------- tests
def test_spec_is_installed() -> None:
    if not EXAMPLES:
        missing_component("the CommonMark spec examples (Goldmark's _test/spec.json)",
                          "apt-get install golang-github-yuin-goldmark-dev")
    assert len(EXAMPLES) > 600
    assert set(EXPECTED_FAILURES) <= {e["example"] for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e['example']}" for e in EXAMPLES])
def test_example(example: dict) -> None:
    number = example["example"]
    got, want = actual(example), expected(example)
    if number in EXPECTED_FAILURES:
        assert got != want, (f"example {number} ({example['section']}) now agrees with the spec: "
                             f"remove it from EXPECTED_FAILURES ({EXPECTED_FAILURES[number]})")
        return
    assert got == want, (f"example {number} ({example['section']}):\n{example['markdown']!r}\n"
                         f"spec:      {want}\nblogtools: {got}")
    # and every destination's span is exact: the source there is the destination as written
    # (an autolink's ``mailto:`` is added, not written)
    md = example["markdown"]
    for n in parse_body(md, 0).iter("link", "image", "autolink"):
        source = md[n.url_start:n.url_end]
        assert source == n.url or (n.kind == "autolink" and "mailto:" + source == n.url), (number, n)


def test_rendered_destination() -> None:
    # the normalisation the comparison relies on, on the cases it exists for
    assert rendered_destination(r"foo\)\:") == "foo):"
    assert rendered_destination("&quot;f&ouml;&ouml;&quot;") == "%22f%C3%B6%C3%B6%22"
    assert rendered_destination("%20ok%zz") == "%20ok%25zz"
    assert rendered_destination("/url&notanentity") == "/url&notanentity"
    assert rendered_destination("http://a/\\[", literal=True) == "http://a/%5C%5B"
