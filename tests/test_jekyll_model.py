"""Jekyll's own semantics, pinned with exact positions (tests/test_jekyll_oracle.py builds
sites with the real Jekyll; these tests pin the rules it showed):

- ``Utils.pluralized_array_from_hash``: the singular ``tag``/``category`` is taken as it is
  (``tag: a b`` is ONE tag with a space; a ``tag`` hides ``tags``); the plural string is
  split at spaces (``tags: a b`` is Jekyll's own form);
- ``category`` and ``tag`` are Jekyll keys, not synonyms; posts get their title from the
  file name; pages need no date;
- ``timezone``: a date without offset is read in it; without it Jekyll reads it in the
  build machine's zone, which cannot be known, so only what holds in every zone is said;
- Liquid in URLs, ``.html`` documents, and what discovery reads.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from blogtools import api
from blogtools.config import load
from blogtools.document import Document
from blogtools.facts import extract
from blogtools.generators.jekyll import categories_of, slugify, tags_of
from blogtools.lint.runner import discover
from blogtools.site import load_site
from tests.conftest import text_at


def _site(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _lint(root: Path, select: list[str], only: str | None = None) -> list[tuple[str, str, str]]:
    """(code, text at the reported position, message) of each finding."""
    paths = [str(root / only)] if only else [str(root)]
    out = []
    for d in api.lint_paths(paths, select=select, root=str(root)):
        text = Path(d.path).read_text(encoding="utf-8")
        out.append((d.code, text_at(text, d.line, d.column, d.end_line, d.end_column), d.message))
    return out


def _model(root: Path):
    site = load_site(str(root))
    config = load(str(root), None)
    site.pages = [extract(Document.read(p)) for p in discover([str(root)], config).files]
    return site.model()


# --------------------------------------------------------------------------- tags and categories
def test_pluralized_array_from_hash() -> None:
    assert tags_of({"tags": "機械学習 統計"}) == ["機械学習", "統計"]  # the plural string is split
    assert tags_of({"tag": "機械 学習"}) == ["機械 学習"]  # the singular is one tag, spaces and all
    assert tags_of({"tag": "a", "tags": ["b", "c"]}) == ["a"]  # the singular wins
    assert tags_of({"tags": ["a", None, "b"]}) == ["a", "b"]
    assert categories_of({"categories": "日記 技術"}, []) == ["日記", "技術"]
    assert categories_of({"category": "夜 更かし"}, []) == ["夜 更かし"]
    # categories from the folders, the plural key, then the singular one, each once
    assert categories_of({"categories": ["a", "b"], "category": "c"}, ["tech"]) == ["tech", "a", "b", "c"]
    assert categories_of({"categories": "a b"}, ["a"]) == ["a", "b"]


def test_singular_tag_with_spaces_is_one_tag(tmp_path: Path) -> None:
    root = _site(tmp_path, "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\ntag: 機械 学習\n---\n\n本文\n",
        "_posts/2020-01-02-b.md": "---\ntitle: b\ntags: 機械学習 統計\ncategories: 日記 技術\n---\n\n本文\n",
        "_posts/2020-01-03-c.md": "---\ntitle: c\ntag: 統計\ntags: [機械学習, 確率]\n---\n\n本文\n",
        "_posts/2020-01-04-d.md": "---\ntitle: d\ntags: 機械学習, 統計\n---\n\n本文\n",
        "_posts/2020-01-05-e.md": "---\ntitle: e\ncategory: 夜 更かし\n---\n\n本文\n",
    })
    found = {Path(p).name: f for p, f in ((d.path, (d.code, d.message)) for d in
                                          api.lint_paths([str(root)], select=["BT108"], root=str(root)))}
    assert "2020-01-02-b.md" not in found  # Jekyll's own space-separated form: nothing to say
    got = _lint(root, ["BT108"], "_posts/2020-01-01-a.md")
    assert got == [("BT108", "機械 学習", ("'tag' is one tag '機械 学習', spaces and all: Jekyll takes the singular "
                                        "key as it is and does not split it (write 'tags' for 2 tags)"))]
    got = _lint(root, ["BT108"], "_posts/2020-01-03-c.md")
    assert len(got) == 1 and got[0][1] == "[機械学習, 確率]" and "'tags' is ignored" in got[0][2] \
        and "'統計'" in got[0][2]
    got = _lint(root, ["BT108"], "_posts/2020-01-04-d.md")
    assert len(got) == 1 and got[0][1] == "機械学習, 統計" and "commas stay in the terms" in got[0][2]
    got = _lint(root, ["BT108"], "_posts/2020-01-05-e.md")
    assert len(got) == 1 and got[0][1] == "夜 更かし" and "one category" in got[0][2]
    # The unsafe fix renames the key: Jekyll then splits the string into two tags.
    text = (root / "_posts/2020-01-01-a.md").read_text(encoding="utf-8")
    site = load_site(str(root))
    fixed = api.fix_text(text, str(root / "_posts/2020-01-01-a.md"), select=["BT108"], unsafe=True, site=site)
    assert "\ntags: 機械 学習\n" in fixed
    assert api.fix_text(text, str(root / "_posts/2020-01-01-a.md"), select=["BT108"], site=site) == text


def test_category_and_tag_are_jekyll_keys(tmp_path: Path) -> None:
    root = _site(tmp_path, "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\ncategory: 日記\ntag: 統計\nCategory: x\n---\n\n本文\n"})
    got = _lint(root, ["BT105"])
    assert [(code, text) for code, text, _ in got] == [("BT105", "Category")]
    assert "should be written 'category'" in got[0][2]


def test_titles_come_from_post_file_names_and_pages_need_no_date(tmp_path: Path) -> None:
    root = _site(tmp_path, "title: t\ncollections:\n  notes:\n    output: true\n", {
        "_posts/2020-01-01-my-post.md": "---\nlayout: post\n---\n\n本文\n",
        "_drafts/later.md": "---\nlayout: post\n---\n\n本文\n",
        "_notes/first.md": "---\nlayout: note\n---\n\n本文\n",
        "about.md": "---\nlayout: page\n---\n\n本文\n",
        "contact.md": "---\ntitle: 連絡先\n---\n\n本文\n",
        "index.html": "---\nlayout: home\n---\n<p>ホーム</p>\n",  # the site's title is the home page's
        "404.html": "---\nlayout: default\npermalink: /404.html\n---\n<p>見つかりません</p>\n",
    })
    got = [(Path(d.path).name, d.line, d.column, d.message)
           for d in api.lint_paths([str(root)], select=["BT104"], root=str(root))]
    # A page without title shows the site's (themes and jekyll-seo-tag fall back to
    # site.title): nothing is asked of Jekyll documents; 25 such pages on 18F were intended.
    assert got == []
    custom = api.lint_paths([str(root)], select=["BT104"], root=str(root),
                            settings={"front-matter.required": ["title", "description"]})
    assert {(Path(d.path).name, d.message) for d in custom} >= {("about.md", "required key 'description' is missing")}


# --------------------------------------------------------------------------- timezone
def test_timezone_is_the_instant_of_a_date_without_offset(tmp_path: Path) -> None:
    post = ("---\ntitle: a\ndate: 2019-01-02 08:00:00\nlast_modified_at: 2019-01-01 23:30:00 +0000\n---\n\n本文\n")
    tokyo = _site(tmp_path / "tokyo", "title: t\ntimezone: Asia/Tokyo\n", {"_posts/2019-01-02-a.md": post})
    # 08:00 in Tokyo is 23:00 UTC the day before: the update at 23:30 UTC comes after it.
    assert _lint(tokyo, ["BT107"]) == []
    utc = _site(tmp_path / "utc", "title: t\ntimezone: Etc/UTC\n", {"_posts/2019-01-02-a.md": post})
    got = _lint(utc, ["BT107"])
    assert [(c, t) for c, t, _ in got] == [("BT107", "2019-01-01 23:30:00 +0000")]
    # Without timezone the build machine's zone decides: nothing can be said.
    unknown = _site(tmp_path / "unknown", "title: t\n", {"_posts/2019-01-02-a.md": post})
    assert _lint(unknown, ["BT107"]) == []
    # What holds in every zone is still said.
    certain = post.replace("2019-01-01 23:30:00 +0000", "2018-12-30 00:00:00 +0000")
    (unknown / "_posts/2019-01-02-a.md").write_text(certain, encoding="utf-8")
    got = _lint(unknown, ["BT107"])
    assert [(c, t) for c, t, _ in got] == [("BT107", "2018-12-30 00:00:00 +0000")]
    assert "is before 'date'" in got[0][2]


def test_file_name_day_and_offsets(tmp_path: Path) -> None:
    post = "---\ntitle: a\ndate: 2019-01-06 23:30:00 -0500\n---\n\n本文\n"
    # In Tokyo (the site's zone) that is the 7th, as the file says: Jekyll's URL says the 7th.
    tokyo = _site(tmp_path / "tokyo", "title: t\ntimezone: Asia/Tokyo\n", {"_posts/2019-01-07-a.md": post})
    assert _lint(tokyo, ["BT107"]) == []
    assert _model(tokyo).pages[0].url == "/2019/01/07/a.html"
    ny = _site(tmp_path / "ny", "title: t\ntimezone: America/New_York\n", {"_posts/2019-01-07-a.md": post})
    got = _lint(ny, ["BT107"])
    assert [(c, t) for c, t, _ in got] == [("BT107", "2019-01-06 23:30:00 -0500")]
    assert _model(ny).pages[0].url == "/2019/01/06/a.html"
    unknown = _site(tmp_path / "unknown", "title: t\n", {"_posts/2019-01-07-a.md": post})
    assert _lint(unknown, ["BT107"]) == []  # some zone makes it the 7th


def test_future_posts_are_published_with_future_true(tmp_path: Path) -> None:
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    post = f"---\ntitle: a\ndate: {later} 10:00:00 +0900\n---\n\n本文\n"
    name = f"_posts/{later}-a.md"
    hidden = _site(tmp_path / "hidden", "title: t\n", {name: post})
    assert [c for c, _, _ in _lint(hidden, ["BT107"])] == ["BT107"]
    shown = _site(tmp_path / "shown", "title: t\nfuture: true\n", {name: post})
    assert _lint(shown, ["BT107"]) == []


# --------------------------------------------------------------------------- Liquid and .html
def test_liquid_urls_are_evaluated_as_jekyll_renders_them(tmp_path: Path) -> None:
    root = _site(tmp_path, 'title: t\nurl: "https://example.com"\nbaseurl: /blog\n', {
        "_posts/2020-01-01-a.md": "---\ntitle: a\ncategories: 日記\n---\n\n本文\n",
        "about.md": "---\ntitle: about\n---\n\n本文\n",
        "assets/x.png": "x",
    })
    profile = load_site(str(root)).profile
    assert profile.evaluate("{{ site.baseurl }}/about/", None) == "/blog/about/"
    assert profile.evaluate("{{site.url}}{{site.baseurl}}/about/", None) == "https://example.com/blog/about/"
    assert profile.evaluate('{{ "about/" | relative_url }}', None) == "/blog/about/"
    assert profile.evaluate("{{ '/about/' | absolute_url }}", None) == "https://example.com/blog/about/"
    assert profile.evaluate('{{ "/about/" | prepend: site.baseurl }}', None) == "/blog/about/"
    assert profile.evaluate("{% link about.md %}#x", None) == "/blog/about.html#x"
    assert profile.evaluate("{% link assets/x.png %}", None) == "/blog/assets/x.png"
    assert profile.evaluate("{% post_url 2020-01-01-a %}", None) == "/blog/%E6%97%A5%E8%A8%98/2020/01/01/a.html"
    assert profile.evaluate("{{ site.baseurl }}{% post_url 2020-01-01-a %}", None).startswith("/blog/blog/")
    for unknown in ("{% link nowhere.md %}", "{% post_url 2019-01-01-gone %}", "{{ page.image }}",
                    "{{ site.data.x }}/a", '{{ "/a" | downcase }}', "{% include x.html %}"):
        assert profile.evaluate(unknown, None) is None, unknown
    assert slugify("Hello, World_2") == "hello-world-2" and slugify("a b.c", pretty=True, cased=True) == "a-b.c"


def test_html_documents_are_read_with_their_positions(tmp_path: Path) -> None:
    root = _site(tmp_path, 'title: t\ncollections:\n  notes:\n    output: true\n  drafts_box: {}\n', {
        "_posts/2020-01-01-import.html": "---\ntitle: import\n---\n<p>本文 <a href=\"/nowhere/\">消えた</a>\n"
                                         "<img src='/missing.png' alt=\"\"></p>\n"
                                         "<video controls><source src=\"/missing.mp4\"></video>\n",
        "page.html": "---\ntitle: page\n---\n<a href=\"{{ site.baseurl }}/gone/\">x</a>\n",
        "static.html": "<p><a href=\"/nowhere-static/\">前付けなし</a></p>\n",
        "_layouts/default.html": "---\n---\n<a href=\"/nowhere-layout/\">x</a>\n",
        "_includes/x.html": "---\n---\n<a href=\"/nowhere-include/\">x</a>\n",
        "_notes/n.html": "---\ntitle: n\n---\n<a href=\"/nowhere-note/\">x</a>\n",
        "_drafts_box/d.html": "---\ntitle: d\n---\n<a href=\"/nowhere-box/\">x</a>\n",
        "node_modules/pkg/readme.html": "---\n---\n<a href=\"/nowhere-vendor/\">x</a>\n",
    })
    files = sorted(Path(p).relative_to(root).as_posix() for p in discover([str(root)], load(str(root), None)).files)
    assert files == ["_notes/n.html", "_posts/2020-01-01-import.html", "page.html"]
    got = sorted(_lint(root, ["BT202", "BT301"]))
    assert [(c, t) for c, t, _ in got] == [("BT202", "/nowhere-note/"), ("BT202", "/nowhere/"),
                                           ("BT202", "{{ site.baseurl }}/gone/"), ("BT301", "/missing.mp4"),
                                           ("BT301", "/missing.png")]
    assert not any("\x1a" in m for _, _, m in got)


def test_anchors_written_with_liquid_are_not_judged(tmp_path: Path) -> None:
    """A tags page whose ids come from a loop (``id="{{ tag[0] }}"``) has anchors nobody can
    list; a page whose ids are plain still has its fragments checked."""
    root = _site(tmp_path, "title: t\n", {
        "tags.html": "---\ntitle: tags\n---\n{% for tag in site.tags %}<h2 id=\"{{ tag[0] }}\">{{ tag[0] }}</h2>"
                     "{% endfor %}\n",
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n\n[機械学習のタグ](/tags.html#機械学習) と "
                                  "[この記事の節](#ない節) と <a href='#見出し'>節</a>\n\n## 見出し\n",
    })
    got = _lint(root, ["BT204"])
    assert [(c, t) for c, t, _ in got] == [("BT204", "#ない節")]


def test_html_in_an_unused_reference_label_is_read(tmp_path: Path) -> None:
    """``[<a href='#r_1'>1</a><a name='rb_1'></a>][…]``: with no such reference both brackets
    are text, and the anchors in the second one exist on the page."""
    root = _site(tmp_path, "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n\n"
                                  "本文[<a href='#r_1'>1</a><a name='rb_1'></a>][<a href='#r_2'>2</a><a name='rb_2'></a>]\n\n"
                                  "1. <a name='r_1'></a> 文献 <a href='#rb_1'>[返回]</a>\n"
                                  "2. <a name='r_2'></a> 文献 <a href='#rb_2'>[返回]</a> <a href='#rb_3'>[返回]</a>\n",
    })
    got = _lint(root, ["BT204"])
    assert [(c, t) for c, t, _ in got] == [("BT204", "#rb_3")]


def test_discovery_memo_listed_without_html_files_is_listed_again(tmp_path: Path) -> None:
    """A folder listing remembered from a run that did not look for .html files is not
    reused for a Jekyll site (its .html posts would stay invisible)."""
    from blogtools.lint.cache import DiscoveryMemo
    from blogtools.lint.runner import discovery_patterns

    root = _site(tmp_path / "site", "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n",
        "_posts/2020-01-02-b.html": "---\ntitle: b\n---\n<p>b</p>\n",
    })
    config = load(str(root), None)
    memo = DiscoveryMemo(str(root), discovery_patterns(config), directory=str(tmp_path / "cache"))
    posts = str(root / "_posts")
    mtime = os.stat(posts).st_mtime_ns
    memo._now = mtime + 2 * DiscoveryMemo.RACY_NS  # (the folder is old enough to be remembered)
    memo.put(posts, mtime, ([(posts + "/2020-01-01-a.md", 0)], [], []))  # an old, Markdown-only listing
    assert memo.get(posts, mtime) is not None
    names = sorted(Path(p).name for p in discover([str(root)], config, memo).files)
    assert names == ["2020-01-01-a.md", "2020-01-02-b.html"]


def test_findings_on_liquid_urls_point_into_the_source_and_offer_no_fix(tmp_path: Path) -> None:
    """A fragment finding points at the fragment as written after the Liquid; no fix writes an
    evaluated URL over the author's Liquid (nor a layout's prefix into the front matter)."""
    root = _site(tmp_path, 'title: t\nbaseurl: /blog\nurl: "https://example.com"\n', {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n\n## 見出し\n",
        "_posts/2020-01-02-b.md": "---\ntitle: b\nlayout: post\nimage: Cover.png\n---\n\n"
                                  "[前の記事]({% post_url 2020-01-01-a %}#ない見出し) と "
                                  "![写真]({{ site.baseurl }}/assets/Photo.png)\n",
        "_layouts/post.html": "<img src=\"{{ site.baseurl }}/assets/{{ page.image }}\">{{ content }}\n",
        "assets/photo.png": "p",
        "assets/cover.png": "c",
    })
    got = _lint(root, ["BT204", "BT303"])
    assert sorted((c, t) for c, t, _ in got) == [("BT204", "#ない見出し"), ("BT303", "Cover.png"),
                                                 ("BT303", "{{ site.baseurl }}/assets/Photo.png")]
    assert all(d.fix is None for d in api.lint_paths([str(root)], select=["BT204", "BT303"], root=str(root)))


def test_plugins_pages_are_urls_of_the_site(tmp_path: Path) -> None:
    """jekyll-archives writes a page per tag, category and date (its permalinks, ``:name``
    slugified); jekyll-paginate ``/page2/``...; without the plugin there is nothing there."""
    posts = {f"_posts/2020-01-0{i}-p{i}.md": f"---\ntitle: p{i}\ntags: [Open Source, 機械学習]\n"
                                             f"categories: news\n---\n\n本文\n" for i in range(1, 6)}
    config = ("title: t\npaginate: 2\nplugins: [jekyll-archives, jekyll-paginate]\n"
              "jekyll-archives:\n  enabled: [tags, categories, year]\n  permalinks:\n    tag: /tags/:name/\n")
    model = _model(_site(tmp_path / "with", config, posts))
    for url in ("/tags/open-source/", "/tags/機械学習/", "/category/news/", "/2020/", "/page2/", "/page3/"):
        assert model.resolve(url) is not None, url
    for url in ("/page4/", "/tags/Open Source/", "/2020/01/"):
        assert model.resolve(url) is None, url
    bare = _model(_site(tmp_path / "without", "title: t\npaginate: 2\n", posts))
    assert bare.resolve("/tags/open-source/") is None and bare.resolve("/page2/") is None


def test_dates_are_read_as_ruby_reads_them() -> None:
    from blogtools.generators.jekyll import parse_time

    utc = dt.timezone.utc
    assert parse_time("December 15, 2020", utc) == dt.datetime(2020, 12, 15, tzinfo=utc)
    assert parse_time("2016-01-01 (optional)", utc) == dt.datetime(2016, 1, 1, tzinfo=utc)
    assert parse_time("2015-06-01 10:00 EDT", utc) == dt.datetime(2015, 6, 1, 14, 0, tzinfo=utc)
    assert parse_time("3 March 2021 4:30 pm", utc) == dt.datetime(2021, 3, 3, 16, 30, tzinfo=utc)
    assert parse_time("2019-01-02 08:00:00 +0900", utc) == dt.datetime(2019, 1, 1, 23, 0, tzinfo=utc)
    assert parse_time("someday", utc) is None and parse_time("2021-02-30", utc) is None


def test_baseurl_without_url_is_the_base_path(tmp_path: Path) -> None:
    """A Jekyll site with `baseurl: /blog` and no `url`: links carry /blog, as on the site."""
    from blogtools import api

    (tmp_path / "_posts").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\nbaseurl: /blog\n", encoding="utf-8")
    (tmp_path / "_posts" / "2020-01-01-a.md").write_text("---\ntitle: a\n---\n本文\n", encoding="utf-8")
    (tmp_path / "_posts" / "2020-01-02-b.md").write_text(
        "---\ntitle: b\n---\n[前](/blog/2020/01/01/a.html) [無い](/blog/2020/01/01/none.html)\n", encoding="utf-8")
    found = [(d.code, d.message.split("'")[1]) for d in api.lint_paths([str(tmp_path)], select=["BT202"])]
    assert found == [("BT202", "/blog/2020/01/01/none.html")], found


def test_jekyll_dates_and_messages_speak_jekyll(tmp_path: Path) -> None:
    """Ruby's Time.parse reads "December 15, 2020" and "2015-06-01 10:00 EDT" (a real Jekyll
    blog had them called unreadable); messages name Jekyll's timezone and kramdown."""
    from blogtools import api

    (tmp_path / "_posts").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "_posts" / "2020-12-15-a.md").write_text(
        '---\ntitle: a\ndate: "December 15, 2020"\nlast_modified_at: "2015-06-01 10:00 EDT"\n---\n'
        "脚注[^x]\n", encoding="utf-8")
    (tmp_path / "_posts" / "2020-12-16-b.md").write_text(
        '---\ntitle: b\ndate: "someday soon"\n---\n本文\n', encoding="utf-8")
    found = api.lint_paths([str(tmp_path)], select=["BT106", "BT501"])
    by = sorted((Path(d.path).name, d.code, d.message) for d in found)
    assert [(n, c) for n, c, _ in by] == [("2020-12-15-a.md", "BT501"), ("2020-12-16-b.md", "BT106")], by
    assert "Jekyll (kramdown) prints it" in by[0][2] and "Ruby's Time.parse" in by[1][2]
    assert not [m for _, _, m in by if "Hugo" in m or "timeZone" in m]


def test_a_key_written_twice_takes_its_last_value_as_ruby_does(tmp_path: Path) -> None:
    """Ruby's YAML keeps the last of two equal keys: with ``redirect_from: /old-a/`` then
    ``redirect_from: /old-b/`` jekyll-redirect-from writes /old-b/ only, so a link to
    /old-a/ is broken and one to /old-b/ works."""
    root = _site(tmp_path, "title: t\nplugins:\n  - jekyll-redirect-from\n", {
        "home.md": "---\npermalink: /\ntitle: ホーム\nredirect_from: /old-a/\nredirect_from:\n  - /old-b/\n"
                   "layout: default\n---\n本文\n",
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n[古い入口](/old-a/)と[新しい入口](/old-b/)\n",
    })
    got = [(c, t) for c, t, _ in _lint(root, ["BT202", "BT003"])]
    assert got == [("BT202", "/old-a/"), ("BT003", "redirect_from")], got


def test_kramdown_links_with_spaces_in_the_url_are_links(tmp_path: Path) -> None:
    """kramdown makes ``[x](my page)`` a link to "my page" (CommonMark makes it text): on a
    Jekyll site BT202 judges where it lands and BT205 says nothing of the spaces."""
    root = _site(tmp_path, "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n詳しくは [論文](see https://arxiv.example/abs/1) を、"
                                  "[資料](/files/a b.pdf) と `[コード](c d)` も。\n",
        "files/a b.pdf": "%PDF",
    })
    got = [(c, t) for c, t, _ in _lint(root, ["BT202", "BT205"])]
    assert got == [("BT202", "see https://arxiv.example/abs/1")], got


def test_a_date_without_offset_on_a_jekyll_site_without_timezone_is_not_guessed_at(tmp_path: Path) -> None:
    """Jekyll reads ``2015-03-19 10:00:00`` as UTC and writes the day in the build machine's
    zone (a Tokyo build moves 23:30 to the next day, a UTC build never): GitHub Pages builds
    in UTC, so nothing is reported; with ``timezone`` set the instant is known."""
    post = "---\ntitle: a\ndate: 2015-03-19 10:00:00\n---\n\n本文\n"
    root = _site(tmp_path / "none", "title: t\n", {"_posts/2015-03-19-a.md": post})
    assert _lint(root, ["BT106"]) == []


def test_static_files_of_collections_and_names_with_dots_are_where_jekyll_writes_them(tmp_path: Path) -> None:
    """``StaticFile#url``: a collection's file (no front matter) is published at the
    collection's permalink with its extension, and ``a..png`` as ``a.png`` (trailing dots of
    the name are dropped); both checked against a real Jekyll 4.3 build."""
    root = _site(tmp_path, "title: t\ncollections:\n  principles:\n    output: true\n"
                           "    permalink: /partnership-principles/:path/\n", {
        "_principles/index.md": "---\ntitle: 原則\n---\n[PDF](/partnership-principles/P.pdf) "
                                "[無い PDF](/partnership-principles/Q.pdf)\n",
        "_principles/P.pdf": "%PDF",
        "assets/a..png": "png",
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n![図](/assets/a.png) ![無い図](/assets/b.png)\n",
    })
    got = sorted((c, t) for c, t, _ in _lint(root, ["BT202", "BT301"]))
    assert got == [("BT202", "/partnership-principles/Q.pdf"), ("BT301", "/assets/b.png")], got
