"""The real Hugo is the judge of what is a link: a fixture site full of edge cases (fixtures/
sites/hugo-links-oracle: unbalanced parentheses, references, nesting, escapes, code, linkify,
CJK paths, links broken over a line, and where pulldown-cmark reads differently from Goldmark:
goldmark.md) is built, and on every page the multiset of href/src that Hugo renders must be
the multiset of link, image and autolink destinations blogtools reads; the footnote links
Hugo renders (``#fn:N``) must be blogtools' references to a defined footnote."""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from blogtools.document import Document
from tests.builds import Refs
from tests.conftest import FIXTURES

SITE = FIXTURES / "sites" / "hugo-links-oracle"


def _norm(url: str) -> str:
    # Hugo percent-encodes what it writes; the source has the characters themselves
    return unquote(html.unescape(url))


def _seen(doc: Document) -> Counter:
    out: Counter = Counter()
    for n in doc.nodes("link", "image", "autolink"):
        url = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", n.url)  # backslash escapes, as CommonMark
        out[_norm(url)] += 1
    return out


def test_every_href_and_src_hugo_renders_is_one_blogtools_reads(tmp_path: Path, hugo: str) -> None:
    r = subprocess.run([hugo, "--source", str(SITE), "--destination", str(tmp_path / "public")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    pages = sorted((SITE / "content" / "posts").glob("*.md"))
    assert len(pages) >= 2
    for source in pages:
        built = tmp_path / "public" / "posts" / source.stem / "index.html"
        refs = Refs()
        refs.feed(built.read_text(encoding="utf-8"))
        rendered = Counter(_norm(u) for u in refs.refs if not u.startswith(("#fn:", "#fnref")))
        doc = Document.read(str(source))
        assert _seen(doc) == rendered, (source.name, _seen(doc) - rendered, rendered - _seen(doc))
        defined = {n.text for n in doc.nodes("footnote_def")}
        notes = [n.text for n in doc.nodes("footnote_ref") if n.text in defined]
        assert len(notes) == sum(u.startswith("#fn:") for u in refs.refs), (source.name, notes)
