"""The site model: generator detection, URLs, aliases, resources, anchors, indexes.

The real-Hugo comparison is tests/test_hugo_agreement.py; these tests pin the rules the
profiles implement and check that odd input never crashes the model.
"""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
import time
from pathlib import Path

import pytest

from blogtools.document import Document
from blogtools.facts import extract
from blogtools.generators import github_anchor, heading_attributes, inline_text, number_duplicates, parse_date
from blogtools.generators.hugo import make_path, path_sanitize, urlize
from blogtools.site import Site, load_site, resolve_relative, url_key
from tests.conftest import EXAMPLE, FIXTURES

SITES = FIXTURES / "sites"


def model_of(root: Path, only: list[str] | None = None):
    site = load_site(str(root))
    paths = [p for d, _ in site.profile.content_dirs() for p in sorted(Path(d).rglob("*.md"))]
    if site.generator == "jekyll":
        paths = [p for p in paths if "_site" not in p.parts]
    if only is not None:
        paths = [p for p in paths if any(str(p).endswith(o) for o in only)]
    site.pages = [extract(Document.read(str(p))) for p in paths]
    return site, site.model()


# --------------------------------------------------------------------------- detection
def test_generators_are_detected_from_config_files(tmp_path: Path) -> None:
    assert load_site(str(EXAMPLE)).generator == "hugo"
    assert load_site(str(EXAMPLE / "content" / "posts" / "2022-03-22" / "index.md")).root == str(EXAMPLE)
    assert load_site(str(SITES / "jekyll-blog")).generator == "jekyll"
    assert load_site(str(SITES / "plain-notes")).generator == "plain"
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "hugo.toml").write_text('baseURL = "https://x.jp/"\n', encoding="utf-8")
    (tmp_path / "config" / "_default" / "params.toml").write_text('author = "a"\n', encoding="utf-8")
    (tmp_path / "config" / "_default" / "permalinks.yaml").write_text("posts: /:year/:slug/\n", encoding="utf-8")
    site = load_site(str(tmp_path))
    assert site.generator == "hugo" and site.setting("params.author") == "a"
    assert site.setting("permalinks.posts") == "/:year/:slug/"
    assert load_site(str(tmp_path), "plain").generator == "plain"


def test_site_of_a_path_finds_the_site_around_it() -> None:
    site = Site(str(EXAMPLE / "content" / "posts"))
    assert site.generator == "hugo" and site.root == str(EXAMPLE) and site.setting("timeZone") == "Asia/Tokyo"
    assert Site("/no/such/folder").generator == "plain"
    assert Site(str(EXAMPLE), "plain").generator == "plain"  # a named generator is taken as given


def test_a_broken_site_config_is_an_empty_config(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text("baseURL = [broken\n", encoding="utf-8")
    site = load_site(str(tmp_path))
    assert site.generator == "hugo" and site.config == {}
    site.pages = []
    assert site.model().pages == []


def test_site_pickles_without_its_caches() -> None:
    site = load_site(str(EXAMPLE))
    site.profile  # noqa: B018 - fills the cache
    site.pages = []
    site.model()
    again = pickle.loads(pickle.dumps(site))
    assert "_model" not in again.__dict__ and again.profile.name == "hugo"


# --------------------------------------------------------------------------- sanitising
@pytest.mark.parametrize("text, path, slug, title", [
    ("C++ & Go", "c++--go", "c++-go", "c-go"),
    ("a - b", "a---b", "a-b", "a-b"),
    ("x,y(z)!", "xyz", "xyz", "xyz"),
    ("日本語 タグ", "日本語-タグ", "日本語-タグ", "日本語-タグ"),
    ("Ünïcödé", "ünïcödé", "ünïcödé", "ünïcödé"),
    ("émoji 🎉 x", "émoji--x", "émoji-x", "émoji-x"),
    ("c#", "c#", "c#", "c"),
    ("a+b", "a+b", "a+b", "a-b"),
    ("end ", "end-", "end", "end"),
])
def test_hugo_has_three_sanitisers(text: str, path: str, slug: str, title: str) -> None:
    assert path_sanitize(text) == path  # file and folder names, taxonomy terms
    assert make_path(text) == slug  # slug, and the alias check
    assert urlize(text) == title  # :title and :slug in permalinks
    assert make_path("Upper", lower=False) == "Upper"


# --------------------------------------------------------------------------- URLs
def test_example_site_urls() -> None:
    _, model = model_of(EXAMPLE)
    by_rel = {p.rel: p for p in model.pages}
    medium = by_rel["posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md"]
    assert medium.url == "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/"
    assert [a.url for a in medium.aliases] == ["/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d/"]
    assert by_rel["posts/mlops-study-talk.md"].url == "/posts/mlops-study-talk/"
    assert by_rel["about.md"].url == "/about/"
    assert {p.url for p in model.generated} >= {"/", "/posts/", "/tags/", "/categories/", "/tags/open-source/",
                                                "/tags/machine-learning/", "/tags/machinelearning/"}
    assert model.resources(by_rel["posts/2020-06-13/index.md"]) == [
        "/posts/2020-06-13/images/1.png", "/posts/2020-06-13/images/2.png"]


def test_permalinks_slug_url_dates_and_drafts() -> None:
    _, model = model_of(SITES / "hugo-urls")
    url = {p.rel: p.url for p in model.pages}
    assert url["blog/first-post.md"] == "/2021/12/31/first-post-はじめに/"  # the date's own offset (UTC)
    assert url["blog/second.md"] == "/2021/06/01/second-slug/"  # a quoted date with an offset; slug urlized
    assert url["blog/third.md"] == "/2021/08/03/三つ目/"  # date only: read in timeZone
    assert url["notes/one.md"] == "/n/one/note-one/"
    assert url["about.md"] == "/about-us/"
    assert url["posts/url-override.md"] == "/Special/Path Here/"  # url is kept as written
    assert url["posts/C++ & Go 入門!.md"] == "/posts/c++--go-入門/"
    assert url["docs/Guide/_index.md"] == "/docs/guide/"
    by_rel = {p.rel: p for p in model.pages}
    assert [a.url for a in by_rel["posts/Bundle With Caps/index.md"].aliases] == [
        "/old/Bundle/", "/posts/relative-old/", "/legacy/page.html"]
    assert (by_rel["posts/draft.md"].published, by_rel["posts/draft.md"].unpublished_why) == (False, "draft")
    assert by_rel["posts/future.md"].unpublished_why == "dated in the future"
    assert by_rel["headless.md"].unpublished_why == "headless"
    assert "/topics/c/" in {p.url for p in model.generated}  # term permalink with :slug


def test_multilingual_prefixes_and_shared_bundle_files() -> None:
    _, model = model_of(SITES / "hugo-multilingual")
    by_rel = {p.rel: p for p in model.pages}
    ja, en = by_rel["posts/kaisai/index.md"], by_rel["posts/kaisai/index.en.md"]
    assert (ja.url, ja.lang, en.url, en.lang) == ("/posts/kaisai/", "ja", "/en/posts/kaisai/", "en")
    assert [a.url for a in en.aliases] == ["/en/2022/04/meetup/"]
    assert model.resources(ja) == ["/posts/kaisai/images/venue.png"] and model.resources(en) == []
    assert by_rel["posts/english-only.en.md"].url == "/en/posts/english-only/"


def test_jekyll_permalinks_categories_and_redirects() -> None:
    _, model = model_of(SITES / "jekyll-blog")
    url = {p.rel: p for p in model.pages}
    first = url["_posts/2020-01-02-first-post.md"]
    assert first.url == "/tech/2020/01/02/first-post/" and [a.url for a in first.aliases] == ["/old-first/"]
    assert url["tech/_posts/2021-05-06-folder-category.md"].url == "/tech/2021/05/06/folder-category/"
    assert url["about.md"].url == "/about/"
    assert url["_drafts/not-yet.md"].published is False
    assert "README.md" not in url  # no front matter: copied, not rendered
    assert model.resolve("/assets/img/photo.png").kind == "static"


def test_jekyll_permalink_styles(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-03-04-hello-world.md").write_text("---\ntitle: x\ncategory: News\n---\n",
                                                                   encoding="utf-8")
    (tmp_path / "page.md").write_text("---\ntitle: p\n---\n", encoding="utf-8")
    for style, post, page in (("date", "/news/2020/03/04/hello-world.html", "/page.html"),
                              ("none", "/news/hello-world.html", "/page.html"),
                              ("ordinal", "/news/2020/064/hello-world.html", "/page.html"),
                              ("/blog/:year/:title/", "/blog/2020/hello-world/", "/page/")):
        (tmp_path / "_config.yml").write_text(f"permalink: {style}\n", encoding="utf-8")
        _, model = model_of(tmp_path)
        assert {p.rel: p.url for p in model.pages} == {"_posts/2020-03-04-hello-world.md": post, "page.md": page}


def test_plain_folder_links_to_files() -> None:
    _, model = model_of(SITES / "plain-notes")
    index = next(p for p in model.pages if p.rel == "index.md")
    ref = model.split("guide/setup.md#必要なもの", index)
    assert (ref.path, ref.fragment) == ("/guide/setup.md", "必要なもの")
    assert model.resolve(ref.path).page.rel == "guide/setup.md"
    assert "必要なもの" in model.anchors(model.resolve(ref.path).page)


# --------------------------------------------------------------------------- links
def test_split_and_resolve() -> None:
    _, model = model_of(EXAMPLE)
    page = model.by_url["/posts/2022-03-31/"]
    assert model.split("https://blog.example.org/posts/2022-03-22/#x", page).path == "/posts/2022-03-22/"
    assert model.split("https://www.blog.example.org/about", page).path == "/about"
    assert model.split("https://mlct.connpass.com/", page) is None
    assert model.split("mailto:a@example.org", page) is None
    assert model.split("{{< ref \"x.md\" >}}", page) is None
    assert model.split("../2022-03-22/", page).path == "/posts/2022-03-22/"
    assert model.split("images/2.png", page).path == "/posts/2022-03-31/images/2.png"
    assert model.split("%E3%81%82/", page).path == "/posts/2022-03-31/あ/"
    assert model.resolve("/posts/2022-03-22").kind == "page"  # no trailing slash: the server adds it
    assert model.resolve("/posts/2021-01-10/index.html").kind == "page"
    assert model.resolve("/2021/01/k8s-batch/").kind == "alias"
    assert model.resolve("/posts/2022-03-31/images/2.png").kind == "resource"
    assert model.resolve("/images/logo.png").kind == "static"
    assert model.resolve("/tags/open-source/").kind == "list"
    assert model.resolve("/posts/2022-03-31/images/9.png") is None
    assert model.find_file("/posts/2022-03-31/IMAGES/2.PNG") is None
    assert model.find_file("/posts/2022-03-31/IMAGES/2.PNG", exact=False).file.endswith("images/2.png")
    assert resolve_relative("/a/b/", "../c") == "/a/c" and resolve_relative("/a/b.html", "c/") == "/a/c/"
    assert url_key("/a%20b") == "/a b/" and url_key("/x/index.html") == "/x/" and url_key("/x.png") == "/x.png"


def test_suggestions_are_blocked_not_all_pairs() -> None:
    _, model = model_of(EXAMPLE)
    assert model.suggest("/post/2022-03-22") == ["/posts/2022-03-22/"]
    assert model.suggest("/posts/2018-07-15") == [
        "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/"]
    assert model.suggest("/POSTS/2020-06-13/") == ["/posts/2020-06-13/"]
    assert model.suggest("/posts/2020-06-31/") == ["/posts/2020-06-13/"]  # similar: trigram block
    assert model.suggest("/posts/k8s-gpu-memo/") == ["/posts/k8s-gpu-node-memo/"]
    assert model.suggest("/zzz/") == []


def test_pages_missing_from_the_run_still_exist_on_disk() -> None:
    """pre-commit passes only staged files: a link to another post is not broken for that."""
    _, model = model_of(EXAMPLE, only=["2022-03-31/index.md"])
    assert model.resolve("/posts/2020-09-06/") is None
    assert model.content_exists("/posts/2020-09-06/") and not model.content_exists("/post/2022-03-22")


# --------------------------------------------------------------------------- anchors
def test_github_anchors_keep_cjk_and_number_duplicates() -> None:
    assert github_anchor("運営の手間を数えてみる") == "運営の手間を数えてみる"
    assert github_anchor("C++ & C# / Go: 2.0?") == "c--c--go-20"
    assert github_anchor("Hello   spaces") == "hello---spaces"
    assert github_anchor("日本語（全角）と「かっこ」、句読点。") == "日本語全角とかっこ句読点"
    assert github_anchor("Émoji 🎉 end") == "émoji--end"
    assert number_duplicates(["a", "a", "a-1", ""], "heading") == ["a", "a-1", "a-1-1", "heading"]
    assert inline_text("`code` と **強調** と [リンク](https://example.com/)") == "code と 強調 と リンク"
    assert inline_text("_強調_ と snake_case_name") == "強調 と snake_case_name"
    assert inline_text("___under_score") == "___under_score"
    assert heading_attributes("独自の ID {#custom-id}") == ("独自の ID", "custom-id")
    assert heading_attributes("波かっこ {だけ}") == ("波かっこ {だけ}", None)


def test_anchors_of_a_page_include_footnotes_and_kept_html_ids() -> None:
    _, model = model_of(EXAMPLE)
    page = model.by_url["/posts/2022-03-31/"]
    anchors = model.anchors(page)
    assert {"発表ごとのひとこと感想", "fn:hitl", "fnref:tw", "fn:1"} <= anchors


# --------------------------------------------------------------------------- robustness
def test_dates_in_every_shape() -> None:
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert parse_date("2021-04-18 10:00:00 +0900", dt.timezone.utc).utcoffset() == dt.timedelta(hours=9)
    assert parse_date("2018-07-15T09:31:28.466Z", tokyo).tzinfo == dt.timezone.utc
    assert parse_date(dt.date(2021, 8, 3), tokyo) == dt.datetime(2021, 8, 3, tzinfo=tokyo)
    assert parse_date("yesterday", tokyo) is None and parse_date(None, tokyo) is None
    assert parse_date("2021-02-30", tokyo) is None


BAD_FRONT_MATTER = [
    "---\naliases: 12\nslug: [1, 2]\nurl: {a: b}\ndate: tomorrow\ntags: {x: 1}\n---\nbody\n",
    "---\naliases: [null, 3.5, {a: b}, '', 'https://medium.com/x']\ntitle: [x]\n---\n",
    "---\n- a\n- b\n---\n",
    "+++\ntitle = 1\naliases = 'x'\ndate = 2020-01-01T00:00:00\n+++\n",
    "---\nunterminated: [\n",
    "\x00binary?",
    "",
]


@pytest.mark.parametrize("text", BAD_FRONT_MATTER)
def test_bad_input_never_crashes_the_model(tmp_path: Path, text: str) -> None:
    shutil.copy(EXAMPLE / "hugo.toml", tmp_path / "hugo.toml")
    (tmp_path / "content" / "posts" / "odd").mkdir(parents=True)
    post = tmp_path / "content" / "posts" / "odd" / "index.md"
    post.write_text(text, encoding="utf-8")
    site = load_site(str(tmp_path))
    try:
        facts = extract(Document.read(str(post)))
    except Exception:  # an unreadable file is BT001's; the model never sees it
        return
    site.pages = [facts]
    model = site.model()
    assert len(model.pages) == 1
    page = model.pages[0]
    model.anchors(page), model.links(page), model.resources(page)  # noqa: B018


def test_the_model_of_ten_thousand_pages_is_built_from_indexes(tmp_path: Path) -> None:
    """No all-pairs work: 10,000 pages with links and aliases are modelled in about a second."""
    site = load_site(str(EXAMPLE))
    base = str(EXAMPLE / "content" / "posts")
    pages = []
    for i in range(10_000):
        pages.append({
            "path": f"p{i}/index.md", "abspath": f"{base}/2099-{i:05d}/index.md",
            "front_matter": {"format": "yaml", "data": {"title": f"記事 {i}", "tags": [f"tag{i % 50}"],
                                                        "aliases": [f"/old/{i}/"]}, "keys": {}},
            "links": [{"kind": "link", "url": f"/posts/2099-{(i * 7) % 10_000:05d}/", "pos": (1, 1, 1, 2),
                       "url_pos": (1, 1, 1, 2), "url_span": (0, 1)},
                      {"kind": "link", "url": f"/post/2099-{i:05d}", "pos": (1, 1, 1, 2),
                       "url_pos": (1, 1, 1, 2), "url_span": (0, 1)}],
            "headings": [{"text": f"見出し {i}", "level": 2}],
        })
    site.pages = pages
    start = time.perf_counter()
    model = site.model()
    broken = 0
    for page in model.pages:
        for _link, ref, target in model.links(page):
            if target is None:
                broken += 1
                model.suggest(ref.path)
    elapsed = time.perf_counter() - start
    assert broken == 10_000 and len(model.by_alias) == 10_000
    assert elapsed < 10, elapsed  # about 1 s on one core; generous for loaded CI machines


@pytest.mark.parametrize("path", [
    "/site/content/posts/2018-07-15_開催しました/index.md",  # the usual case: returned as it is
    "/site//content/posts/a.md", "/site/content/posts/", "/site/./content/a.md", "/site/content/../a.md",
    "/site/.hidden/content/a.md", "content/posts/a.md", "./a.md", "", "/",
])
def test_absolute_is_abspath(path: str) -> None:
    """``site.absolute`` skips work only where ``os.path.abspath`` would change nothing."""
    import os

    from blogtools.site import absolute

    assert absolute(path) == os.path.abspath(path)


def test_content_root_cut_matches_walking_up(tmp_path: Path) -> None:
    """The content folder of a page, found by cutting its relative path off its file path,
    is the folder found by walking up (the fallback for a path that does not end with it)."""
    import os

    from blogtools.generators.hugo import _content_root
    from blogtools.site import Page

    content = tmp_path / "content"
    for rel in ("posts/日本語のバンドル/index.md", "about.md", "a/b/c/d.md"):
        page = Page(rel, str(content / rel), rel, "page", "/")
        assert _content_root(page) == str(content)
        odd = Page(rel, str(tmp_path / "elsewhere" / "x" / "y" / "z" / "w.md"), rel, "page", "/")
        walked = os.path.dirname(odd.abspath)
        for _ in range(rel.count("/")):
            walked = os.path.dirname(walked)
        assert _content_root(odd) == walked


def test_page_of_finds_the_page_of_each_files_facts() -> None:
    """``SiteModel.page_of`` keys a file's facts the way the model keyed its pages, also when
    the facts carry a path that is not normal."""
    import os

    site, model = model_of(EXAMPLE)
    assert model.pages
    for page in model.pages:
        facts = page.facts or {}
        assert model.page_of(facts) is page
        folder, name = os.path.split(facts["abspath"])
        odd = dict(facts, abspath=folder + os.sep + "." + os.sep + name)
        assert model.page_of(odd) is page


def _page_record(model, page) -> tuple:
    return (page.path, page.abspath, page.rel, page.kind, page.url, page.lang, page.title, page.aliases,
            page.bundle_dir, page.resource_url, page.leaf, page.published, page.unpublished_why)


@pytest.mark.parametrize("root", [EXAMPLE, SITES / "hugo-urls", SITES / "hugo-multilingual", SITES / "jekyll-blog",
                                  SITES / "plain-notes"], ids=lambda p: p.name)
def test_a_model_from_prepared_pages_is_the_model_made_from_scratch(root: Path) -> None:
    """The runner prepares pages (and splits their links) while the workers still run
    (``Site.prepare``); the model built after must be the one built without that, and must
    use what was prepared for the very facts it is made of, never for other ones."""
    site, whole = model_of(root)
    facts = site.pages
    assert len(facts) >= 2

    ahead = load_site(str(root))
    ahead.prepare(facts[:1])  # in parts, as the results arrive
    ahead.prepare(facts[1:])
    made = {page.abspath: page for _, page, _ in ahead.__dict__["_prepared"]._ahead.values() if page is not None}
    ahead.pages = facts
    model = ahead.model()
    assert "_prepared" not in ahead.__dict__  # used once, then dropped
    assert [_page_record(model, p) for p in model.pages] == [_page_record(whole, p) for p in whole.pages]
    # (by file: a profile may give the page the facts as the generator renders them, a copy)
    assert all(page is made[page.abspath] for page in model.pages)  # the prepared pages themselves
    assert sorted(model.by_url) == sorted(whole.by_url) and sorted(model.by_alias) == sorted(whole.by_alias)
    links = 0
    for mine, theirs in zip(model.pages, whole.pages):
        got, want = model.links(mine), whole.links(theirs)
        assert [(link, ref, t and (t.kind, t.url, t.file)) for link, ref, t in got] == \
               [(link, ref, t and (t.kind, t.url, t.file)) for link, ref, t in want]
        links += sum(1 for _, ref, _ in got if ref is not None)
    assert links > 10 or root != EXAMPLE  # (the other sites are about URLs: few links or none)

    # Facts equal to the prepared ones but not the same objects (another run): made anew.
    other = load_site(str(root))
    other.prepare(facts)
    stale = [page for _f, page, _ in other.__dict__["_prepared"]._ahead.values()]  # (held: ids stay unique)
    copies = [dict(f) for f in facts]
    other.pages = copies
    fresh = other.model()
    assert not any(p is s for p in fresh.pages for s in stale)
    assert [_page_record(fresh, p) for p in fresh.pages] == [_page_record(whole, p) for p in whole.pages]
