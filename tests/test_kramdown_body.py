"""Jekyll posts are read as kramdown renders them (``blogtools/kramdown_body.py``), and the
real Jekyll 4.3 is the judge: the fixture site ``fixtures/sites/jekyll-kramdown/`` holds one
case of each kramdown difference that changes a link, an image or an id (``docs/kramdown.md``),
each broken target marked ``nowhere-N`` / ``missing-N``.

- the href/src of the built post are exactly the links and images blogtools lists for it;
- the links and images blogtools reports broken are exactly those broken in the build;
- ids written with an attribute list (``{: #id}``) and a header's ``{#id}`` are anchors
  (``{#id .class}`` at a header's end is not: kramdown shows it as text);
- the same text in a Hugo site is read as Goldmark reads it (nothing changes there).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from blogtools import facts, kramdown_body, words
from blogtools.document import Document
from tests.builds import Refs, broken_in_build
from tests.conftest import FIXTURES, run_cli, text_at
from tests.test_jekyll_oracle import jekyll_build

POST = "_posts/2020-01-01-kramdown.md"
MARKER = re.compile(r"(?:nowhere|missing)-\d+")
LINK_RULES = ("BT202", "BT206", "BT301", "BT302", "BT303")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("kramdown")
    site = root / "jekyll-kramdown"
    shutil.copytree(FIXTURES / "sites" / "jekyll-kramdown", site)
    r = jekyll_build(site, root / "public")
    assert r.returncode == 0, r.stdout + r.stderr
    return site, root / "public"


def _built_refs(public: Path, page: str) -> list[str]:
    parser = Refs()
    parser.feed((public / page).read_text(encoding="utf-8"))
    return parser.refs


def _listed(path: Path) -> list[str]:
    return [link["url"] for link in facts.extract(Document.read(str(path)))["links"]]


def test_the_links_and_images_of_the_post_are_those_jekyll_renders(built: tuple[Path, Path]) -> None:
    site, public = built
    rendered = _built_refs(public, "2020/01/01/kramdown/index.html")
    # (the build itself shows the kramdown cases: not a trivially empty comparison)
    assert "/nowhere-2/" in rendered and "/nowhere-11/" in rendered and "/assets/missing-8.png" in rendered
    assert "/nowhere-16/" in rendered  # raw HTML up to </div>: the indented <a> is no code block
    assert not {"https://example.com/nowhere-1/", "/nowhere-3/", "/nowhere-4/", "/nowhere-5/", "/nowhere-7/",
                "/nowhere-9/", "/nowhere-15/", "HTTPS://example.com/nowhere-17/", "tel:0312345678", "/nowhere-18/",
                "/nowhere-19/"} & set(rendered)
    assert sorted(_listed(site / POST)) == sorted(rendered)


def test_broken_links_reported_are_those_broken_in_the_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    site, public = built
    broken, working = broken_in_build(public, "https://example.com/")
    assert "/about/" in working and "https://example.com/about/" in working
    r = run_cli("lint", str(site), "--output-format", "json", "--no-cache", cwd=site.parent)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    found = json.loads(r.stdout)
    reported = {}
    for d in found:
        if d["code"] not in LINK_RULES:
            continue
        text = (site.parent / d["path"]).read_text(encoding="utf-8")
        reported[MARKER.search(text_at(text, d["line"], d["column"], d["end_line"], d["end_column"])).group(0)] = \
            d["code"]
    assert sorted(reported) == sorted(MARKER.search(b).group(0) for b in broken)
    assert reported["missing-8"] == "BT301"
    # fragments: {: #para-id} and the header's {#id} are ids of the built page; #no-such-id is not
    page = (public / "2020/01/01/kramdown/index.html").read_text(encoding="utf-8")
    assert 'id="para-id"' in page and 'id="custom-id"' in page and 'id="no-such-id"' not in page
    assert 'id="h-id"' not in page  # ``{#h-id .c}`` is no header id for kramdown: text
    # ``{: #ial-heading}`` on the line after a heading replaces its GFM id
    assert 'id="ial-heading"' in page and 'id="次の行の属性で-id-が決まる見出し"' not in page
    fragments = sorted(d["message"].split()[0].lstrip("#") for d in found if d["code"] == "BT204")
    assert fragments == ["h-id", "no-such-id", "次の行の属性で-id-が決まる見出し"], found
    # a bare URL to the site's own host is no link on Jekyll: BT207 says nothing of it
    assert not [d for d in found if d["code"] == "BT207" and "nowhere-1" in d["message"]], found


def test_attribute_lists_are_markup_not_words(built: tuple[Path, Path]) -> None:
    site, _ = built
    doc = Document.read(str(site / POST))
    kd = kramdown_body.view(doc)
    assert kd is not None and "para-id" in kd.ids
    marked = [doc.text[a:b] for a, b in kd.markup]
    assert '{:target="_blank"}' in marked and "{: .lead #para-id}\n" in marked
    listed = set(words.extract(doc)["w"].split())
    assert "target" not in listed and "_blank" not in listed and "blank" not in listed
    assert "lead" not in listed
    # an abbreviation's definition is not shown (its title is, on hover: no word rule reads it)
    assert "*[HTML]: Hypertext Markup Languag\n" in marked and "languag" not in listed


def test_the_same_body_on_a_hugo_site_is_read_as_goldmark_reads_it(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.com/"\n', encoding="utf-8")
    post = tmp_path / "content" / "posts" / "kramdown.md"
    post.parent.mkdir(parents=True)
    post.write_text((FIXTURES / "sites" / "jekyll-kramdown" / POST).read_text(encoding="utf-8"), encoding="utf-8")
    doc = Document.read(str(post))
    assert kramdown_body.view(doc) is None
    listed = _listed(post)
    assert "https://example.com/nowhere-1/" in listed and "/nowhere-4/" in listed  # Goldmark: autolink, a link
    assert "/nowhere-2/" not in listed  # Goldmark: one HTML block


@pytest.mark.parametrize("config", ["markdown: CommonMarkGhPages\n", "markdown: GFM\n"])
def test_another_markdown_converter_is_not_read_as_kramdown(tmp_path: Path, config: str) -> None:
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    post = tmp_path / "_posts" / "2020-01-01-a.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: a\n---\n\nhttps://example.com/x/\n", encoding="utf-8")
    kramdown_body.site_options.cache_clear()
    assert kramdown_body.view(Document.read(str(post))) is None


def test_markdown_inside_nested_html_and_unclosed_extensions_stay_linear() -> None:
    """Nested ``<div markdown="1">`` deeper than MAX_DEPTH stay HTML; an unclosed ``{::comment}``
    or ``$$`` hides nothing (kramdown prints them as text); long inputs take linear time."""
    import time

    opts = kramdown_body.Options()

    def read(text: str) -> kramdown_body.KramdownBody:
        from blogtools.markdown import parse_body

        return kramdown_body.read(text, parse_body(text, 0).nodes, opts)

    deep = '<div markdown="1">\n' * 20 + "[deep](/deep/)\n" + "</div>\n" * 20
    assert not [n for n in read(deep).nodes if n.kind == "link"]
    shallow = '<div markdown="1">\n' * 3 + "[x](/x/)\n" + "</div>\n" * 3
    assert [n.url for n in read(shallow).nodes if n.kind == "link"] == ["/x/"]
    assert [n.url for n in read("{::comment}\n\n[a](/a/)\n").nodes if n.kind == "link"] == ["/a/"]
    assert [n.url for n in read("$$ [a](/a/)\n").nodes if n.kind == "link"] == ["/a/"]
    for unit in ("{::comment} $$ {: #a} ", "$$ x ", "{::nomarkdown}{:/} ", '<div markdown="1">\n',
                 '<div markdown="1">\n\n[a](/a/)\n\n', "<div>\n\n[a](/a/)\n\n", "</div>\n\n<p>\n\n",
                 "<span>\n[a](/a/)\n\n", "<BOOL:x> <a@b> "):
        times = []
        for size in (25_000, 100_000):  # best of three CPU times per size (the machine may be busy)
            text = unit * (size // len(unit))
            best = float("inf")
            for _ in range(3):
                t = time.process_time()
                read(text)
                best = min(best, time.process_time() - t)
            times.append(best)
        assert times[1] < 1.0 and times[1] < 8 * times[0] + 0.05, (unit, times)


_PIECES = ('<div markdown="1">', "</div>", "<div>", "<p>", "</p>", "<span>", "</span>", '<a href="/x/">', "</a>",
           "[l](/l/)", "![i](/i.png)", "{::comment}", "{:/comment}", "{::nomarkdown}", "{:/}", "$$", "\\$$",
           "{: #id}", '{:target="_blank"}', "<https://a/>", "<tel:1>", "https://bare/", "`code`", "```", "    ",
           "\n", "\n\n", "> ", "- ", "# ", "text ", "{% raw %}", "{% endraw %}", "{{ x }}", "<!--", "-->",
           '{::options parse_block_html="true" /}', "<section>", "</section>", "*[A]: b", "| a | b |", "|---|---|")


def test_random_documents_give_sorted_nodes_inside_the_text_each_once() -> None:
    """5,000 documents pieced together from kramdown and HTML syntax (elements closed in the
    wrong order, inside one another, unclosed): the nodes stay in document order, inside the
    text, each node once (an element closed only outside its parent is not read past it)."""
    import random

    from blogtools.markdown import parse_body

    rnd = random.Random(19)
    for _ in range(5000):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 40)))
        parsed = parse_body(text, 0).nodes
        for pbh in (False, True):
            found = kramdown_body.read(text, parsed, kramdown_body.Options(parse_block_html=pbh)).nodes
            spans = [(n.start, n.end) for n in found]
            assert spans == sorted(spans), text
            assert len({(n.kind, n.start, n.end) for n in found}) == len(found), text
            assert all(0 <= n.start <= n.end <= len(text) + 1 for n in found), text
            assert all(0 <= n.url_start <= n.url_end <= len(text) for n in found
                       if n.kind in ("link", "image") and n.url_start >= 0), text
