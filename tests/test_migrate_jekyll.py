"""Jekyll → Hugo: nothing lost (issue 23). Each test reproduces one defect on a fixture of
our own (``fixtures/migrate/jekyll-site``, or a few files written here) and builds the
result with the real Hugo where the claim is about what Hugo serves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from blogtools.migrate import Options, migrate
from tests.test_migrate import MIGRATE, copy_fixture, needs_hugo, report

SITE = MIGRATE / "jekyll-site"


def build(out: Path, hugo: str) -> Path:
    public = out.parent / (out.name + "-public")
    proc = subprocess.run([hugo, "--source", str(out), "-d", str(public), "--quiet"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return public


def serves(public: Path, url: str) -> bool:
    """Whether a static server finds a file for ``url`` in Hugo's output."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    return (public / path).is_file()


def migrated(tmp_path: Path, src: Path | None = None) -> tuple[Path, dict]:
    src = copy_fixture(src or SITE, tmp_path)
    out = tmp_path / "out"
    # the migration's own conversion of Liquid (the fallback to Jekyll's rendering of what it
    # cannot convert, the default where Jekyll is installed, is tested in test_jekyll_oracle.py)
    migrate(Options(str(src), str(out), images="keep", liquid_pages="comment"))
    return out, report(out)


# --------------------------------------------------------------------------- 1. pages anywhere
@needs_hugo
def test_pages_anywhere_keep_their_jekyll_urls(tmp_path: Path, hugo: str) -> None:
    out, _ = migrated(tmp_path)
    public = build(out, hugo)
    # the URLs `jekyll build` writes for this fixture (checked with Jekyll 4.3)
    for url in ("/about/", "/profile/", "/speaking.html", "/tag/python/", "/contact.html", "/works/",
                "/notes/first-note.html", "/2021/04/03/first.html", "/robots.txt", "/assets/img/logo.png",
                "/tags/", "/tags/入門/"):
        assert serves(public, url), url
    assert not serves(public, "/old-about/")  # redirect_from written twice: Jekyll keeps the last
    # a text file with front matter: Jekyll renders its Liquid; URL Liquid only → written rendered
    assert (public / "humans.txt").read_text(encoding="utf-8") == "Team: /about/\n"
    # pages are pages, never Markdown source copied into static/
    assert not [p for p in (out / "static").rglob("*") if p.suffix in (".md", ".markdown")]
    assert "週末に書いた開発メモ" in (public / "about/index.html").read_text(encoding="utf-8")
    contact = (public / "contact/index.html").read_text(encoding="utf-8")
    assert "<p>返事は週末です。</p>" in contact and "&lt;p&gt;" not in contact  # HTML stays HTML, not code
    # a Jekyll page at /tags/<term>/ is the content of Hugo's term page, its URL an alias
    assert "入門向けの記事です" in (public / "tags/入門/index.html").read_text(encoding="utf-8")
    assert "記事をタグで探せます" in (public / "tags/index.html").read_text(encoding="utf-8")
    # `url:` is data to Jekyll but would move the page in Hugo: it is kept under params
    note = (out / "content/notes/first-note.md").read_text(encoding="utf-8")
    assert "params:\n  url: \"https://example.org/notes-elsewhere\"" in note or "url: https" in note.split("params:")[1]


def test_dates_jekyll_reads_decide_the_old_url(tmp_path: Path) -> None:
    out, rep = migrated(tmp_path)
    post = next(p for p in rep["posts"] if p["source"] == "_posts/2021-04-01-first.md")
    assert "/2021/04/03/first.html" in [u["alias"] for u in post["old_urls"]]  # `date: April 3, 2021`
    assert "date: 2021-04-03" in (out / post["output"]).read_text(encoding="utf-8")


def test_every_file_is_migrated_or_listed_with_a_reason(tmp_path: Path) -> None:
    out, rep = migrated(tmp_path)
    skipped = {s["source"]: s["reason"] for s in rep["skipped"]}
    assert "feed.xml" in skipped and "Hugo" in skipped["feed.xml"]
    assert "_people/" in skipped and "output" in skipped["_people/"]
    assert "_layouts/" in skipped and "_includes/" in skipped
    assert "scripts/" in skipped and "exclude" in skipped["scripts/"]
    assert "index.html" in skipped and "home page" in skipped["index.html"]
    pages = {p["source"] for p in rep["posts"]}
    assert {"about/index.md", "speaking.md", "tag/python.md", "contact.html", "projects/list.html",
            "_notes/first-note.md", "_posts/2021-04-01-first.md"} <= pages
    text = (out / "MIGRATION.md").read_text(encoding="utf-8")
    assert f"{len(skipped)} not migrated" in text or "not migrated" in text.lower()
    assert rep["totals"]["skipped"] == len(skipped) > 0


def test_permalink_pretty_pages(tmp_path: Path) -> None:
    src = tmp_path / "blog"
    (src / "docs").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\npermalink: pretty\n", encoding="utf-8")
    (src / "docs" / "guide.md").write_text("---\ntitle: 手引き\n---\n本文\n", encoding="utf-8")
    (src / "faq.html").write_text("---\ntitle: FAQ\n---\n<p>よくある質問</p>\n", encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    urls = {p.source: p.url for p in result.posts}
    assert urls == {"docs/guide.md": "/docs/guide/", "faq.html": "/faq/"}  # Jekyll: the same URLs
    assert not any(p.meta.get("aliases") for p in result.posts)


# --------------------------------------------------------------------------- 4. Liquid
@needs_hugo
def test_liquid_raw_highlight_urls_and_unknown_tags(tmp_path: Path, hugo: str) -> None:
    out, rep = migrated(tmp_path)
    post = next(p for p in rep["posts"] if p["source"] == "_posts/2021-05-01-liquid.md")
    md = (out / post["output"]).read_text(encoding="utf-8")
    assert "{% raw %}" not in md and "{% endraw %}" not in md and "{% highlight" not in md
    assert "```go-html-template\n{{ range .Pages }}{{ .Title }}{{ end }}\n```" in md
    assert "本文中の {{ page.title }} はそのまま表示します。" in md
    assert '<img src="/assets/img/logo.png" alt="ロゴ">' in md  # prepend: site.baseurl, evaluated
    assert "[トップ](/)" in md and "[概要](/about/)" in md
    assert "[最初の記事](/posts/2021-04-01-first/)" in md  # {% post_url %} → the new URL
    assert "[リンク](/speaking/)" in md and "{{%" not in md.replace("{{%/*", "")  # Jekyll renders nothing
    # unknown Liquid inside an attribute stays as it is (a comment there would break the tag)
    assert '<a href="/about/" title="{{ page.title | upcase }}">概要</a>' in md
    assert "<!-- blogtools migrate: Jekyll Liquid `page.date | date: \"%Y\"` has no Hugo equivalent -->" in md
    assert any("page.date" in k for k in post["kept_raw"])
    assert any("inside an HTML tag" in w for w in post["warnings"])
    assert "非公開のメモ" not in md  # {% comment %} renders nothing
    assert '<aside class="note">注意書き</aside>' in md  # a plain include inlined, as Jekyll renders it
    assert "Jekyll Liquid `include note.html text=page.title` has no Hugo equivalent" in md  # a variable: kept
    assert '{{</* not a shortcode */>}}' in md
    public = build(out, hugo)  # no shortcode error
    page = (public / "posts/2021-05-01-liquid/index.html").read_text(encoding="utf-8")
    assert ".Pages" in page and "raw %" not in page and "endraw" not in page
    assert "&lt; not a shortcode &gt;" in page or "{{&lt; not a shortcode &gt;}}" in page


def test_no_placeholder_can_leak(tmp_path: Path) -> None:
    from blogtools.migrate.util import Placeholders

    src = tmp_path / "blog"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    # text that looks like a placeholder (private-use characters around a number)
    body = "a \ue0000\ue000 b \ue0010\ue001 {% raw %}{{ x }}{% endraw %}\n\n```\n{{ page.y }}\n```\n"
    (src / "_posts" / "2020-01-01-marks.md").write_text("---\ntitle: m\n---\n" + body, encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    text = result.posts[0].body
    assert "a \ue0000\ue000 b \ue0010\ue001 " in text and "{{ x }}" in text and "{{ page.y }}" in text
    ph = Placeholders("text")
    kept = ph.keep("code")
    assert ph.restore(f"a {kept} b") == "a code b"
    with pytest.raises(ValueError, match="placeholder"):
        ph.restore(f"a {kept[:-1]} b")  # damaged: fails loudly, never written
    with pytest.raises(ValueError, match="placeholder"):
        ph.restore(f"a {ph.mark}7{ph.mark}")


# --------------------------------------------------------------------------- 2, 3, 6. kramdown
@needs_hugo
def test_kramdown_tables_ials_markdown_html_and_code_after_more(tmp_path: Path, hugo: str) -> None:
    out, rep = migrated(tmp_path)
    post = next(p for p in rep["posts"] if p["source"] == "_posts/2021-06-01-kramdown.md")
    md = (out / post["output"]).read_text(encoding="utf-8")
    assert "{:" not in md.replace("{: #setup}", "")  # kramdown renders that one as text, and so does Goldmark
    assert "下書きのメモ" not in md
    page = (build(out, hugo) / "posts/2021-06-01-kramdown/index.html").read_text(encoding="utf-8")
    # the table kramdown renders (|---+---| rules, a row separator, a footer rule): every row kept
    assert page.count("<table>") == 1 and '<th style="text-align: left">名前</th>' in page
    assert '<th style="text-align: right">値</th>' in page
    for cell in ("速度", "速い", "容量", "小さい", "合計"):
        assert f">{cell}</td>" in page, cell
    assert "|---" not in page and "+---" not in page
    # indented code right after <!--more--> is still code (Hugo strips the space after it)
    assert "$ make build" in page.split("<pre")[1] and "<p>$ make build" not in page
    assert '<div class="box">' in page and "<strong>太字</strong>" in page  # markdown="1"
    assert 'markdown="1"' not in page
    # Markdown inside <a> is an image, as kramdown renders it
    assert '<a href="https://example.org/large.png"><img src="images/logo.png" alt="小さい画像"' in page
    assert "![小さい画像]" not in page
    assert "目次" not in page and "{:toc}" not in page  # the TOC list is Hugo's layouts' business
    assert any("table of contents" in w for w in post["warnings"])


def test_code_after_more_is_fenced_for_every_source() -> None:
    from blogtools.migrate import body
    from blogtools.migrate.model import Post

    post = Post("p.md", {}, "Intro.\n\n<!--more-->\n\n    if x:\n\n        y()\n\nAfter.\n")
    body.code_after_more(post)
    assert post.body == "Intro.\n\n<!--more-->\n\n```\nif x:\n\n    y()\n```\n\nAfter.\n"
    body.code_after_more(post)  # idempotent
    assert post.body.count("```") == 2


# --------------------------------------------------------------------------- linear time
JEKYLL_PATHOLOGICAL = {
    "unclosed markdown divs": '<div markdown="1">\n',
    "nested markdown divs": '<div markdown="1">\n',  # closed at the end, see below
    "unclosed raw": "{% raw %}x",
    "unclosed highlight": "{% highlight ruby %}\nx\n",
    "unclosed output": "{{ a ",
    "kramdown rules": "|---+---|\n| a | b |\n",
    "tags with Liquid": "<a href='{{ x | y }}'>",
    "more and code": "<!--more-->\n\n    code\n",
    "block tags in a paragraph": "a <div class='x'> b ``c` </p> <!-- d ",
    "block tags in an HTML block": "<div>\n\nx <p>\n\n",
    "backslashes": "a \\/ `x\\, $$\\% <!-- \\; ",
    "unclosed loops": "{% for p in site.posts %}{{ p.title | date: '%Y' }}{% if p.x %}",
    "unclosed outputs in a loop": "{% for p in site.posts %}{{ p.title ",
    "loops": "{% for p in site.data.x %}{{ p.title }}{% endfor %}\n",
    "tags kramdown prints": "<a href=x b='c d \"e </a> `<i j=k>` ",
    "unclosed attribute lists": "<a b c d e f ",
    "unclosed HTML blocks with blank lines": "\n\n<section class='s'>\n\n    <a>\n",
    "bold punctuation": "a**,** `b**.**` ",
    "lists from two": "\n\n2. x\n> 3. y\n",
    "fenced Liquid": "```\n{{ site.baseurl }}/a {{ x | y }}\n```\n",
    "unclosed emphasis": "a **b *c _d __e ",
    "emphasis kramdown pairs otherwise": "x**2 y*z (*)。a::*b ",
    "tildes and lists": "v~2 ~ 2. a\n",
    "lazy code": "\n    code\nlazy\n",
    "list tables": "* a | b\n  c | d\n",
    "CJK emphasis in table cells": "| 中xpy**2 中 2*xpy | 中xpy**2 中 2*xpy |\n",  # under a header: below
}


def test_a_long_tag_is_read_in_linear_time() -> None:
    """kramdown's tag pattern over a tag holding a long run of spaces (within the 4 KB a tag
    may take): four times the spaces, less than eight times as long."""
    import time

    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    def run(spaces: int) -> float:
        text = ("x <span" + " " * spaces + "b\n\n<div" + " " * spaces + "b\n\nx\n\n") * 4
        start = time.process_time()
        kramdown.convert(Post("p.md", {}, ""), text)
        return time.process_time() - start

    small, large = min(run(1000) for _ in range(3)), min(run(4000) for _ in range(3))
    assert large < 1.0 and large < 8 * small + 0.02, (small, large)


@pytest.mark.parametrize("name", sorted(JEKYLL_PATHOLOGICAL))
def test_jekyll_body_conversion_is_linear(name: str) -> None:
    """The Liquid and kramdown passes on 25 KB and 100 KB of one pattern: four times the
    input takes less than eight times as long (quadratic would be sixteen)."""
    import time

    from blogtools.generators.jekyll import Jekyll
    from blogtools.migrate import body, kramdown, liquid
    from blogtools.migrate.model import Post
    from blogtools.site import Site

    gen = Jekyll(Site(str(SITE.resolve()), "jekyll", config={}))
    unit = JEKYLL_PATHOLOGICAL[name]

    def run(size: int) -> float:
        n = size // len(unit)
        text = unit * n + ("</div>\n" * n if name == "nested markdown divs" else "")
        if name == "CJK emphasis in table cells":
            text = "| a | b |\n|---|---|\n" + text
        best = float("inf")
        for _ in range(3):
            post = Post("p.md", {}, text)
            start = time.process_time()
            liquid.hugo_template(text)
            post.body = kramdown.convert(post, liquid.convert(post, text, gen))
            body.code_after_more(post)
            best = min(best, time.process_time() - start)
        return best

    small, large = run(25_000), run(100_000)
    assert large < 2.0 and large < 8 * small + 0.05, (small, large)


@needs_hugo
def test_home_page_redirects_are_kept(tmp_path: Path, hugo: str) -> None:
    src = tmp_path / "blog"
    src.mkdir()
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "index.html").write_text("---\nredirect_from:\n  - /start/\n---\n{% for post in site.posts %}"
                                    "{{ post.title }}{% endfor %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    home = next(p for p in result.posts if p.source == "index.html")
    assert home.out_path == "content/_index.md" and home.body == ""
    assert serves(build(out, hugo), "/start/")


def test_kramdown_table_without_header_gets_an_empty_one() -> None:
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    post = Post("p.md", {}, "")
    text = "前\n\n| --- | --- |\n| 主張 | A |\n| 理由 | B |\n\n後\n"
    assert kramdown.convert(post, text) == "前\n\n| | |\n|---|---|\n| 主張 | A |\n| 理由 | B |\n\n後\n"
    gfm = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert kramdown.convert(post, gfm) == gfm  # a GFM table is left as it is
    assert kramdown.convert(post, "```\n|---+---|\n| a |\n```\n") == "```\n|---+---|\n| a |\n```\n"  # code


# --------------------------------------------------------------------------- 7. scale
def test_a_post_over_the_size_limit_is_refused_and_reported(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from blogtools.migrate import util

    assert util.MAX_POST_BYTES == 50 * 1024 * 1024
    monkeypatch.setattr(util, "MAX_POST_BYTES", 4096)  # the 50 MB limit, scaled down
    src = tmp_path / "blog"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "_posts" / "2020-01-01-small.md").write_text("---\ntitle: s\n---\n短い\n", encoding="utf-8")
    (src / "_posts" / "2020-01-02-huge.md").write_text("---\ntitle: h\n---\n" + "長い文章。" * 2000, encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    assert [p.source for p in result.posts] == ["_posts/2020-01-01-small.md"]
    why = dict(result.skipped)["_posts/2020-01-02-huge.md"]
    assert "larger than the 4,096-byte limit" in why
    assert "limit" in (out / "MIGRATION.md").read_text(encoding="utf-8")


@needs_hugo
def test_kramdown_tables_of_any_line_with_a_pipe(tmp_path: Path, hugo: str) -> None:
    """kramdown makes a table of a block whose lines hold a pipe, with or without rules and
    leading pipes (checked with Jekyll 4.3); Goldmark needs a header and a delimiter row."""
    src = tmp_path / "blog"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    body = "まとめ：\n\n--|--|--\n|鷹|鳩\n鷹| 損 | 得\n鳩| 0 | 得\n\n段落の中の\nx | y は表ではない\n"
    (src / "_posts" / "2020-01-01-t.md").write_text("---\ntitle: t\n---\n" + body, encoding="utf-8")
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep"))
    page = (build(out, hugo) / "posts/2020-01-01-t/index.html").read_text(encoding="utf-8")
    assert page.count("<table>") == 1
    rows = page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert rows == 3 and "<td>鷹</td>" in page and "<td>得</td>" in page
    assert "x | y は表ではない" in page  # no table inside a paragraph (a list item's first line is one:
    # test_kramdown_tables_in_list_items_and_with_a_short_delimiter_row)


def test_progress_on_a_terminal_covers_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    src = copy_fixture(SITE, tmp_path)
    migrate(Options(str(src), str(tmp_path / "out"), images="keep", progress=True))
    shown = term.getvalue()
    files = sum(1 for p in src.rglob("*") if p.is_file())
    assert f"read       [{'#' * 30}] {files}/{files}" in shown  # the Jekyll reader: every file
    assert "convert" in shown


def test_tab_after_quote_marker_stays_code() -> None:
    """``>\\tline``: kramdown renders code inside the quote (checked with Jekyll 4.3);
    CommonMark gives the tab's first column to the marker and reads a paragraph."""
    from blogtools.document import Document
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    text = kramdown.convert(Post("p.md", {}, ""), "詩：\n\n>\t天は覆せる碗のごとし\n")
    assert text == "詩：\n\n>     天は覆せる碗のごとし\n"
    assert [n.kind for n in Document.from_text("p.md", text).nodes("code_block")] == ["code_block"]


def test_block_html_tags_inside_a_paragraph_are_text_as_in_kramdown() -> None:
    """kramdown prints a block element's tag inside a paragraph, list item, heading or table
    cell as text (``&lt;div&gt;``; checked with kramdown 2 / Jekyll 4.3); Goldmark would
    pass it through as HTML, and a lone ``</div>`` closes the theme's content element. Span
    elements, code, HTML blocks and tags that open a line stay as they are."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    src = ("Write \"<div class='note'>text</div>\" or a regex like \"<div x[^>]>(.*)</div>\".\n"
           "Keep <span>span</span>, `</div>` and <!-- <p> --> here.\n\n"
           "* item <p>one</p>\n\n# head <table>\n\n"
           "<div class=\"box\">\n\ninside a block <p>kept</p>\n\n</div>\n\n"
           "    indented <div> code\n\n"
           "```\nfenced </div>\n```\n")
    post = Post("p.md", {}, "")
    out = kramdown.convert(post, src)
    # (the regex's "<div x[^>]>" is no tag for either parser: text either way, and written so)
    assert out == ("Write \"&lt;div class='note'>text&lt;/div>\" or a regex like \"&lt;div x[^>]>(.*)&lt;/div>\".\n"
                   "Keep <span>span</span>, `</div>` and <!-- <p> --> here.\n\n"
                   "* item &lt;p>one&lt;/p>\n\n# head &lt;table>\n\n"
                   # (kramdown reads the element whole, blank lines included: one raw block for Goldmark)
                   "<div class=\"box\">\ninside a block <p>kept</p>\n</div>\n\n"
                   "    indented <div> code\n\n"
                   "```\nfenced </div>\n```\n")
    assert any("6 HTML block tag(s) or stray closing tag(s) inside a paragraph" in w for w in post.warnings)


def test_liquid_page_variables_of_the_post_front_matter_are_evaluated(tmp_path: Path) -> None:
    """``{{ page.image }}`` and ``{{ page.images[1] }}`` name a value of the post's own front
    matter: Jekyll writes it, and so does the migration (before, a Liquid comment was left
    inside the image's destination, a broken image). A computed variable (``page.date``)
    and a value that is no string or number stay as they were."""
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\nbaseurl: /blog\n", encoding="utf-8")
    (src / "_posts/2020-03-04-vars.md").write_text(
        "---\ntitle: Vars\nimage: /assets/one.png\nimages:\n  - /assets/a.png\n  - /assets/b.png\n"
        "flags:\n  x: 1\n---\n\n![One]({{site.baseurl}}{{page.image}})\n\n"
        '<img src="{{ page.images[1] | relative_url }}" alt="B">\n\n'
        "Year {{ page.date | date: '%Y' }}, flags {{ page.flags }}.\n", encoding="utf-8")
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep", liquid_pages="comment"))  # the evaluator itself
    md = (out / "content/posts/2020-03-04-vars/index.md").read_text(encoding="utf-8")
    assert "![One](/assets/one.png)" in md
    assert '<img src="/assets/b.png" alt="B">' in md
    assert "Jekyll Liquid `page.date | date: '%Y'` has no Hugo equivalent" in md
    assert "Jekyll Liquid `page.flags` has no Hugo equivalent" in md


@needs_hugo
def test_kramdown_math_passes_through_goldmark(tmp_path: Path, hugo: str) -> None:
    """kramdown keeps the TeX between ``$$`` as it is (MathJax reads it); Goldmark would read
    ``1*1 & 2*1`` as emphasis and ``\\\\`` as an escaped backslash. The new site turns on
    Goldmark's passthrough for ``$$`` (checked with Hugo 0.168), so the TeX arrives whole."""
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "_posts/2020-03-04-math.md").write_text(
        "---\ntitle: Math\n---\n\nInline $$a_1 * b_2$$ and *em*, then $$x_{<t}$$ after.\n\n"
        "$$\n\\begin{bmatrix}\n1*1 & 2*1 \\\\\n4*2 & x_3\n\\end{bmatrix}\n$$\n", encoding="utf-8")
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep"))
    assert "passthrough" in (out / "hugo.toml").read_text(encoding="utf-8")
    page = (build(out, hugo) / "posts/2020-03-04-math/index.html").read_text(encoding="utf-8")
    # as kramdown writes math for MathJax, HTML-escaped (a raw x_{<t} would open a tag)
    assert r"\(a_1 * b_2\)" in page and "<em>em</em>" in page and r"\(x_{&lt;t}\) after" in page
    assert "1*1 &amp; 2*1 \\\\\n4*2" in page


@needs_hugo
def test_the_jekyll_feed_url_is_served_by_hugo(tmp_path: Path, hugo: str) -> None:
    """jekyll-feed writes /feed.xml; Hugo writes /index.xml, and an alias (an HTML redirect)
    cannot stand in for a feed. The new site names its RSS output after the old feed."""
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\nplugins:\n  - jekyll-feed\n", encoding="utf-8")
    (src / "_posts/2020-03-04-one.md").write_text("---\ntitle: One\n---\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep"))
    public = build(out, hugo)
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    assert "<rss" in feed and "One" in feed
    assert not (public / "index.xml").exists()


def test_liquid_loops_become_hugo_templates_only_when_every_tag_translates() -> None:
    from blogtools.migrate.liquid import hugo_template

    go, data = hugo_template("{% assign cs = site.data.clips | sort: 'date' | reverse %}\n"
                             "{% for c in cs %}{% if c.kind == 'tv' %}📺{% elsif c.url %}"
                             "<a href=\"{{ c.url }}\">{{ c.title }}</a>{% else %}{{ c.title | upcase }}"
                             "{% endif %}{{ c.date | date: '%b %-d, %Y' }}{% endfor %}")
    assert data
    assert '{{ $cs := (sort (site.Data.clips) "date" "desc") }}' in go
    assert '{{ if eq ($c.kind) ("tv") }}📺{{ else if $c.url }}' in go
    assert '{{ upper $c.title }}' in go and '{{ time.Format "Jan 2, 2006" $c.date }}' in go
    go, data = hugo_template("{%- for p in site.posts limit: 3 -%}\n* {{ p.title }} {{ p.author }}\n{%- endfor -%}")
    assert not data
    assert go == ('{{- range $p := (first 3 (where site.RegularPages "Section" "posts")) -}}\n'
                  '* {{ $p.Title }} {{ (index $p.Params "author") }}\n{{- end -}}')
    # anything outside the subset: not translated (the page keeps Jekyll's HTML, or comments)
    for text in ("{% for p in site.posts %}{% include card.html %}{% endfor %}",
                 "{% for p in site.posts %}{{ p.title | truncate: 5 }}{% endfor %}",
                 "{% for p in site.posts %}{{ p.date | date: '%Y 10' }}{% endfor %}",
                 "{% for t in site.tags %}{{ t[0] }}{% endfor %}",
                 "{% for p in site.posts %}{% assign x = p.title %}{% endfor %}",
                 "{% for p in site.posts %}{{ site.author }}{% endfor %}",
                 "{% for p in site.posts %}{% if p.a and p.b %}x{% endif %}{% endfor %}",
                 "{% for p in site.posts %}unclosed",
                 "{{ site.data.x }} and no loop"):
        assert hugo_template(text) is None, text


def test_rendered_liquid_pages_without_jekyll_say_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``liquid_pages="rendered"`` where Jekyll is not installed: the pages keep their Liquid
    as comments, the Liquid files stay listed as not migrated, and a note says why."""
    from blogtools import programs

    real = programs.find_program
    monkeypatch.setattr(programs, "find_program", lambda name, *a, **k: None if name == "jekyll" else real(name, *a, **k))
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "_posts/2020-01-01-a.md").write_text("---\ntitle: A\n---\n\nText.\n", encoding="utf-8")
    (src / "tags.md").write_text("---\ntitle: Tags\n---\n\n{% for t in site.tags %}{{ t[0] }}{% endfor %}\n",
                                 encoding="utf-8")
    (src / "robots.txt").write_text("---\nlayout: null\n---\n{% for p in site.posts %}{{ p.url }}{% endfor %}\n",
                                    encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep", liquid_pages="rendered"))
    assert any("Jekyll is not installed" in n for n in result.notes), result.notes
    tags = next(p for p in result.posts if p.source == "tags.md")
    assert "blogtools migrate: Jekyll Liquid" in tags.body
    assert "robots.txt" in {s for s, _ in result.skipped}


def test_two_pages_whose_shortcode_names_reduce_alike_get_their_own(tmp_path: Path) -> None:
    """``ブログ/index.md`` and ``アーカイブ/index.md`` both reduce to ``jekyll-index``: each page
    keeps its own listing (the second shortcode is ``jekyll-index-2``), none shows the other's."""
    src = tmp_path / "src"
    for name, text in {
        "_config.yml": "title: t\n",
        "_posts/2020-01-01-a.md": "---\ntitle: 最初\n---\n\n本文。\n",
        "ブログ/index.md": "---\ntitle: ブログ\n---\n\n{% for post in site.posts %}\n- {{ post.title }}\n{% endfor %}\n",
        "アーカイブ/index.md": "---\ntitle: アーカイブ\n---\n\n{% for post in site.posts limit: 1 %}\n"
                              "* {{ post.date | date: '%Y' }}\n{% endfor %}\n",
    }.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", liquid_pages="comment"))
    bodies = {p.source: (out / p.out_path).read_text(encoding="utf-8") for p in result.posts if p.kind == "page"}
    names = {src_name: re.search(r"\{\{[<%] (jekyll-[\w-]+) [>%]\}\}", body).group(1) for src_name, body in bodies.items()}
    assert sorted(names.values()) == ["jekyll-index", "jekyll-index-2"], names
    shortcodes = {n: (out / "layouts" / "shortcodes" / f"{n}.html").read_text(encoding="utf-8") for n in names.values()}
    assert "limit" in shortcodes[names["アーカイブ/index.md"]] or "first 1" in shortcodes[names["アーカイブ/index.md"]]
    assert shortcodes[names["ブログ/index.md"]] != shortcodes[names["アーカイブ/index.md"]]


def test_lone_tildes_and_backslash_spaces_stay_visible() -> None:
    """kramdown-parser-gfm strikes through only ``~~x~~`` and shows ``\\ `` (checked with Jekyll
    4.3); Goldmark strikes ``~a~`` through and, under the CJK ``escapedSpace`` the migration may
    turn on, hides ``\\ ``. Both are written so Goldmark shows them; a URL, code and a lone
    tilde (nothing to pair) are left alone."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    src = ("版 v~2 と v~10、範囲 0~1 と `a~b~c`、https://h.example/~u/x~y と $K(白\\ 犬)$\n\n"
           "一つだけ ~ なら\n\n~~消す~~ は同じ\n")
    out = kramdown.convert(Post("p.md", {}, ""), src)
    assert out == ("版 v\\~2 と v\\~10、範囲 0\\~1 と `a~b~c`、https://h.example/~u/x~y と $K(白\\\\ 犬)$\n\n"
                   "一つだけ ~ なら\n\n~~消す~~ は同じ\n")


def test_a_span_ial_only_after_a_span_element_that_closes() -> None:
    """``{:j}`` after an underscore inside a word (``$K_{:j}$``) or after a ``*`` that closes
    nothing is text to kramdown (it prints it; checked with Jekyll 4.3): kept. After a link,
    code or emphasis that closes, it is an attribute list: removed."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    src = "Math $K_{:j}$ and $V_{:j}$, [l](/x/){:target=\"_blank\"}, *em*{:.c}, __s__{:.d}, x*{:y}.\n"
    out = kramdown.convert(Post("p.md", {}, ""), src)
    assert out == "Math $K_{:j}$ and $V_{:j}$, [l](/x/), *em*, __s__, x*{:y}.\n"


def test_closing_tags_that_close_nothing_are_text_as_in_kramdown() -> None:
    """kramdown's span parser prints a closing tag that does not close the innermost open
    span element (``</em>`` with no ``<em>``, ``"</Foo>"`` while ``<Bar>`` is open; checked
    with Jekyll 4.3), where Goldmark passes it through and the browser hides it."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    src = ("余分な </em>閉じタグ、<b>太</b>、記号 \\</s> と \\<div>。\n\n"
           "型 \"<Foo>\"、\"<Bar>\" と \"</Foo>\"。\n\n"
           "<span>a <b>b</span> c</b> `</em>` <br> <img src=\"/i.png\"/> x</i>\n\n"
           "<details markdown=\"1\">\n<summary>s</summary>\n\n本文\n\n</details>\n")
    post = Post("p.md", {}, "")
    out = kramdown.convert(post, src)
    assert out == ("余分な &lt;/em>閉じタグ、<b>太</b>、記号 \\</s> と \\<div>。\n\n"
                   "型 \"<Foo>\"、\"<Bar>\" と \"&lt;/Foo>\"。\n\n"
                   "<span>a <b>b&lt;/span> c</b> `</em>` <br> <img src=\"/i.png\"/> x&lt;/i>\n\n"
                   "<details>\n\n<summary>s</summary>\n\n本文\n\n\n</details>\n\n\n")
    assert any("4 HTML block tag(s) or stray closing tag(s)" in w for w in post.warnings)


@needs_hugo
def test_kramdown_tables_in_list_items_and_with_a_short_delimiter_row(tmp_path: Path, hugo: str) -> None:
    """kramdown makes a table of a list item whose first line holds a pipe (its rows going on
    in the item's lines), and of a header whose delimiter row has fewer cells (checked with
    Jekyll 4.3); Goldmark reads neither. Each becomes a GFM table Hugo renders."""
    src = tmp_path / "blog"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    body = ("大きさ |\t速さ |\t言語\n--|--\n小 |\t32 |\t英\n\n"
            "* 管 \"|gzip -c >f.gz\" と \"\\|\" 記号\n* ふつう\n\n1. 一 | 二\n   三 | 四\n")
    (src / "_posts" / "2020-01-01-t.md").write_text("---\ntitle: t\n---\n" + body, encoding="utf-8")
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep"))
    page = (build(out, hugo) / "posts/2020-01-01-t/index.html").read_text(encoding="utf-8")
    assert page.count("<table>") == 3
    assert "<th>言語</th>" in page and "<td>32</td>" in page
    assert re.search(r"<li>\s*<table>", page) and re.search(r"<td>gzip -c &gt;f.gz\S+ と \S+\|\S+ 記号</td>", page)
    assert "<li>ふつう</li>" in page and "<td>三</td>" in page


def test_fences_kramdown_does_not_open_and_lazy_code_lines() -> None:
    """kramdown-parser-gfm opens a fence only with one word after it and a closing fence
    below (checked with Jekyll 4.3: ```` ```The bits… ```` is paragraph text, and the next
    bare fence then runs to the one after ```` ```shell ````); its indented code goes on over
    the unindented lines right after it. Both are written so Goldmark reads the same."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    src = ("出力:\n```The bits were not found:\n_tk\n```\n\n```shell\nsudo x\n```\n\n"
           "~~~ ruby\nputs 1\n~~~\n\n```c\n未完\n\n本文\n\n    for i:\n\tbody\n\\end{x}\nなお\n\n後\n")
    post = Post("p.md", {}, "")
    out = kramdown.convert(post, src)
    assert out == ("出力:\n\\```The bits were not found:\n_tk\n```\n\n```shell\nsudo x\n```\n\n"
                   "~~~ ruby\nputs 1\n~~~\n\n\\```c\n未完\n\n本文\n\n    for i:\n\tbody\n    \\end{x}\n    なお\n\n後\n")
    assert any("2 line(s) opening a fence" in n for n in post.converted)
    assert any("2 line(s) right after indented code" in n for n in post.converted)


def test_ordered_lists_are_numbered_as_kramdown_shows_them() -> None:
    """kramdown writes ``<ol>`` without a start (``2.`` first shows "1."), lets ``2.`` start
    a list right after a paragraph's line (in a quote too), and reads ``5)`` as text (checked
    with Jekyll 4.3). Goldmark would show "2.", keep the line in the paragraph, and make a
    list of ``5)``."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    src = ("段落\n2. 二\n\n>引用\n>3. 三\n\n5) 括弧\n6) 続き\n\n3. 三\n4. 四\n\n1. 一\n\n   2. 入れ子\n\n"
           "本文 10. は段落の途中\n\n* 2. 箇条書きの中\n")
    post = Post("p.md", {}, "")
    out = kramdown.convert(post, src)
    assert out == ("段落\n\n1. 二\n\n>引用\n>\n>1. 三\n\n5\\) 括弧\n6\\) 続き\n\n1. 三\n4. 四\n\n1. 一\n\n   1. 入れ子\n\n"
                   "本文 10. は段落の途中\n\n* 1. 箇条書きの中\n")


def test_an_undefined_liquid_variable_in_code_prints_nothing_as_in_jekyll(tmp_path: Path) -> None:
    """Jekyll runs Liquid over code too: ``${{ matrix.os }}`` in a fence showed ``$`` (checked
    with Jekyll 4.3). The new site shows the same, with a warning; a variable the post
    defines, Jekyll's own objects and ``{% raw %}`` code are left alone."""
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "_posts/2020-03-04-ci.md").write_text(
        "---\ntitle: CI\n---\n\n```yaml\nruns-on: ${{ matrix.os }}\nv: ${{matrix.python-version}}\n"
        "s: {{ site.title }} {{ n }}\n```\n\n{% for n in site.posts %}{% endfor %}\n\n"
        "{% raw %}\n```\nkeep ${{ a.b }}\n```\n{% endraw %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", liquid_pages="comment"))
    md = (out / "content/posts/2020-03-04-ci/index.md").read_text(encoding="utf-8")
    assert "runs-on: $\nv: $\ns: {{ site.title }} {{ n }}\n" in md and "keep ${{ a.b }}" in md
    warnings = result.posts[0].warnings
    assert any("{{ matrix.os }} in code prints nothing in Jekyll" in w for w in warnings), warnings


def test_emphasis_that_shows_the_same_is_left_as_written() -> None:
    """``***x***`` is strong around em for kramdown, em around strong for Goldmark: the same
    bold italic, so the paragraph is not rewritten; ``x**2 … 2*x`` is rewritten."""
    from blogtools.migrate import kramdown
    from blogtools.migrate.model import Post

    assert kramdown.convert(Post("p.md", {}, ""), "とても ***大事*** です。\n") == "とても ***大事*** です。\n"
    assert kramdown.convert(Post("p.md", {}, ""), "x**2 なので 2*x\n") == "x<em>\\*2 なので 2</em>x\n"
