"""`blogtools migrate --from wordpress`: a WXR export (1.0 and 1.2) → a Hugo site that builds
with the real Hugo and serves every old WordPress URL it can.

The fixtures are written for these tests: ``fixtures/migrate/wordpress`` (a WXR 1.2 export in
``data/`` beside a Jekyll copy of one post, uploads in ``wp-content/uploads``) and
``fixtures/migrate/wordpress-1.0.xml`` (the old namespace, given as the file itself).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from blogtools.migrate import Options, _hugo, migrate
from blogtools.migrate.pipeline import MigrateError
from blogtools.migrate.sources import detect, wordpress
from blogtools.migrate.wp_shortcodes import find, render, wpautop
from tests.conftest import FIXTURES, best_cpu_time, run_cli

WP = FIXTURES / "migrate" / "wordpress"
WXR10 = FIXTURES / "migrate" / "wordpress-1.0.xml"


def build(hugo: str, out: Path) -> Path:
    proc = subprocess.run([hugo, "--quiet", "-s", str(out), "-d", str(out / "public")], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return out / "public"


def by_title(result, title: str):
    return next(p for p in result.posts if p.title == title)


# --------------------------------------------------------------------------- end to end
def test_wxr_folder_builds_with_hugo_and_serves_every_old_url(tmp_path: Path, hugo: str) -> None:
    src = tmp_path / "site"
    shutil.copytree(WP, src)
    assert detect(str(src)) == "wordpress"  # the export wins over the Jekyll copy beside it
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    public = build(hugo, out)
    notes = by_title(result, "Field notes with pictures")
    # the link, the old slug WordPress redirects and the Jekyll copy's URL
    assert notes.old_urls == ["/2020/01/field-notes/", "/2020/01/notes-from-the-field/", "/2020/01/10/field-notes.html"]
    japanese = by_title(result, "日本語の記事")
    assert japanese.old_urls == ["/2020/02/%e6%97%a5%e6%9c%ac%e8%aa%9e/"]
    old = [u for p in result.posts if p.origin == "wordpress" and not p.draft and not p.source.startswith("(")
           for u in p.old_urls]
    assert len(old) == 6
    terms = [u for p in result.posts if p.source.startswith("(") for u in p.old_urls]  # /category/x/, /tag/x/
    assert terms and all(u.startswith(("/category/", "/tag/")) for u in terms)
    old += terms
    for url in old:
        assert (public / _hugo.public_file(url)).is_file(), url
    # ?p=ID cannot be an alias: reported as a server redirect, never claimed kept
    assert notes.extra["query_urls"] == ["/?p=10"]
    assert any("/?p=10 needs a server redirect" in w for w in notes.warnings)
    assert not any("?" in a for p in result.posts for a in p.meta.get("aliases", []))
    # the Jekyll copy is not a second post; the Jekyll-only post is migrated
    assert [p.title for p in result.posts].count("Field notes with pictures") == 1
    assert (public / "posts" / "2021-05-05-after-the-move" / "index.html").is_file()
    # pages: a page with a child page is a branch bundle, both at their WordPress URL
    assert (out / "content" / "about" / "_index.md").is_file()
    assert (out / "content" / "about" / "team" / "index.md").is_file()
    assert (public / "about" / "team" / "index.html").is_file()
    # a branch bundle holds its images too; a link to a migrated post points at its new URL
    about = (out / "content" / "about" / "_index.md").read_text(encoding="utf-8")
    assert "![Our cat](images/cat.png)" in about and "[field notes](/posts/field-notes/)" in about
    assert (public / "about" / "images" / "cat.png").is_file()
    # the export itself is not published (it holds e-mail addresses)
    assert not list(public.rglob("*.WordPress.*"))
    # nothing menu-like, no attachment pages
    assert not any(p.title in ("Home", "cat", "dog", "bird") for p in result.posts)


def test_wxr_post_content_metadata_and_images(tmp_path: Path, hugo: str) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(WP), str(out), images="keep"))
    public = build(hugo, out)
    text = (out / "content" / "posts" / "field-notes" / "index.md").read_text(encoding="utf-8")
    meta, body = text.split("\n---\n", 1)
    assert "date: 2020-01-10T12:04:05+09:00" in meta  # post_date with the offset post_date_gmt gives
    assert "author: \"Kenji Sato\"" in meta and "description: \"Notes from the field.\"" in meta
    assert "categories:\n  - Travel\ntags:\n  - cats\n  - roofs" in meta
    assert "images:\n  - images/dog.png" in meta  # the featured image (_thumbnail_id)
    # wpautop: one newline inside a paragraph is a line break
    assert body.startswith("\nFirst paragraph of the notes.  \nA second line in the same paragraph.")
    assert '{{< figure src="images/cat.png" alt="A cat" caption="The cat on the roof" >}}' in body  # [caption]
    assert "![dog](images/dog.png)" in body and "![bird](https://cdn.example.net/bird.jpg)" in body  # [gallery]
    assert "{{< youtube dQw4w9WgXcQ >}}" in body  # [embed]
    assert '```python\ndef greet(name):\n\n    return "<b>" + name + "</b>"\n```' in body  # [code], blank line kept
    html = (public / "posts" / "field-notes" / "index.html").read_text(encoding="utf-8")
    assert "&lt;/rant&gt;" in html  # an escaped tag stays text, not raw HTML Goldmark drops
    # the resized copy in the caption and the gallery's original are one bundle file
    images = sorted(p.name for p in (out / "content" / "posts" / "field-notes" / "images").iterdir())
    assert images == ["cat.png", "dog.png"]
    assert (WP / "wp-content/uploads/2020/01/cat.png").read_bytes() == (public / "posts/field-notes/images/cat.png").read_bytes()
    # the block editor's post: no wpautop, its comments gone, code language from the class
    ja = (out / "content" / "posts" / "日本語" / "index.md").read_text(encoding="utf-8")
    assert "これは日本語の段落です。**太字**もあります。" in ja and "wp:paragraph" not in ja
    assert "![犬](images/dog.png)" in ja  # a Jetpack (i0.wp.com) URL of an upload in the tree
    assert "```sql\nSELECT 1;\n```" in ja
    # the gallery block: each image with its own caption, then the gallery's caption
    assert ('{{< figure src="images/cat.png" alt="猫" caption="屋根の猫" >}}\n\n![犬](images/dog.png)\n\n*二匹*'
            in ja)
    assert '{{< x user="jack" id="20" >}}' in ja  # the block editor's embed: a URL in a wrapper
    # a tweet quoted in the classic editor keeps its text; its loader script is not a link
    assert "just setting up my twttr" in html and "widgets.js" not in body
    # the body HTML WordPress served, for --verify
    notes = by_title(result, "Field notes with pictures")
    assert notes.extra["source_html"].startswith("<p>First paragraph of the notes.<br />\nA second line")
    draft = by_title(result, "Unfinished thoughts")
    assert draft.draft and draft.old_urls == []
    assert not (public / "posts" / "unfinished-thoughts").exists()


def test_comments_only_when_asked(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    migrate(Options(str(WP), str(plain), images="keep"))
    assert not (plain / "data").exists()
    out = tmp_path / "out"
    proc = run_cli("migrate", str(WP), "--out", str(out), "--images", "keep", "--comments")
    assert proc.returncode == 0, proc.stderr
    comments = json.loads((out / "data" / "comments" / "field-notes.json").read_text(encoding="utf-8"))
    assert [c["author"] for c in comments] == ["Aiko"]  # the spam one is not kept
    assert comments[0]["content"] == "Lovely cat!" and "email" not in json.dumps(comments)


def test_wxr_1_0_file_as_source(tmp_path: Path, hugo: str) -> None:
    assert detect(str(WXR10)) == "wordpress"
    out = tmp_path / "out"
    result = migrate(Options(str(WXR10), str(out), images="keep"))
    public = build(hugo, out)
    post = by_title(result, "Ruby tricks")
    assert post.meta["categories"] == ["Code"] and post.meta["author"] == "admin"
    assert "```ruby\nputs [1, 2].map { |x| x * 2 }\n```" in post.body  # [sourcecode language=...]
    assert (public / "2010" / "03" / "ruby-tricks" / "index.html").is_file()
    # not in the tree: the remote URL is kept and listed as an asset to fetch
    assert [a.url for a in post.assets] == ["http://old.example.com/wp-content/uploads/2010/03/gone.jpg"]
    page = by_title(result, "Projects")
    assert page.draft and page.kind == "page"  # private → draft
    secret = by_title(result, "Members only")  # password-protected: never published openly
    assert secret.draft and secret.old_urls == [] and not (public / "2010" / "04").exists()
    assert ("wordpress-1.0.xml", "1 item(s) of post type 'portfolio' not migrated (only posts and pages are)") \
        in result.skipped


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("xml, where", [
    (('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaa">]>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">'
      "<channel>&a;</channel></rss>"), "export.xml:2: a document type declaration is not allowed"),
    (('<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n<item><title>x</item>\n'
      "</channel></rss>"), "export.xml:3:"),
])
def test_bad_xml_is_a_clear_message(tmp_path: Path, xml: str, where: str) -> None:
    src = tmp_path / "export.xml"
    src.write_text(xml, encoding="utf-8")
    with pytest.raises(MigrateError, match=where.replace("[", r"\[")):
        migrate(Options(str(src), str(tmp_path / "out"), source_format="wordpress"))
    proc = run_cli("migrate", str(src), "--from", "wordpress", "--out", str(tmp_path / "out2"))
    assert proc.returncode == 2 and where in proc.stderr and "Traceback" not in proc.stderr


def test_not_a_wxr_file_is_said_so(tmp_path: Path) -> None:
    src = tmp_path / "feed.xml"
    src.write_text('<?xml version="1.0"?><rss><channel><item><title>x</title></item></channel></rss>',
                   encoding="utf-8")
    proc = run_cli("migrate", str(src), "--from", "wordpress", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "feed.xml: not a WordPress export" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_external_entity_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    src = tmp_path / "export.xml"
    src.write_text(f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
                   '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&x;</title>'
                   "</item></channel></rss>", encoding="utf-8")
    with pytest.raises(MigrateError, match="document type declaration"):
        migrate(Options(str(src), str(tmp_path / "out"), source_format="wordpress"))


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "deep.xml"
    src.write_text('<rss xmlns:wp="http://wordpress.org/export/1.2/">' + "<a>" * 10000 + "</a>" * 10000 + "</rss>",
                   encoding="utf-8")
    with pytest.raises(MigrateError, match="deep.xml:1: elements nested more than"):
        migrate(Options(str(src), str(tmp_path / "out"), source_format="wordpress"))


# --------------------------------------------------------------------------- units
def test_wpautop_paragraphs_breaks_and_pre() -> None:
    assert wpautop("one\ntwo\n\nthree") == "<p>one<br />\ntwo</p>\n<p>three</p>\n"
    assert wpautop("<pre>a\n\nb</pre>\n\nafter") == "<pre>a\n\nb</pre>\n<p>after</p>\n"
    assert wpautop("<ul>\n<li>x</li>\n</ul>\n\ntext") == "<ul>\n<li>x</li>\n</ul>\n<p>text</p>\n"
    assert wpautop("<a\nhref='u'>link</a>") == "<p><a\nhref='u'>link</a></p>\n"  # a newline inside a tag


def test_shortcodes_pairing_and_escapes() -> None:
    text = '[caption id="a"]<img src="x"> cap[/caption] [[caption]] [gallery ids="1,2"]'
    found = find(text, ("caption", "gallery"))
    assert [(s.name, s.inner) for s in found] == [("caption", '<img src="x"> cap'), ("gallery", None)]
    assert found[1].attrs == {"ids": "1,2"}
    html = render("[sourcecode lang='js']if (a &lt; b) {}\n\nx()[/sourcecode]", lambda s: "", lambda n: None,
                  lambda w: None)
    assert html == '<pre data-code-block-lang="js">if (a &lt; b) {}\n\nx()</pre>\n'


@pytest.mark.parametrize("unit", ["[caption]", "[caption][/gallery]", "[code]x[/code]\n", "</pre><pre>x",
                                  "</script><script>a\n", "<pre>x</pre>", "<p>a "])
def test_body_rendering_is_linear(unit: str) -> None:
    """Unclosed shortcodes, <pre> and <script> openers and many elements: each part of the
    rendering stays linear (4x the input, well under the 16x of a quadratic scan)."""
    times = []
    for n in (10000, 40000):
        text = unit * n

        def run(text: str = text) -> None:
            find(text, ("caption", "gallery", "code"))
            render(text, lambda s: "", lambda n: None, lambda w: None)

        times.append(best_cpu_time(run))  # the best of three CPU times, the collector off
    assert times[1] < 5.0 and times[1] < 10 * max(times[0], 0.05), times


def test_a_hugo_site_holding_an_export_stays_a_hugo_site(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('title = "x"\n', encoding="utf-8")
    (tmp_path / "static").mkdir()
    shutil.copy(WXR10, tmp_path / "static" / "wordpress.xml")
    assert detect(str(tmp_path)) == "hugo"


def test_find_exports_reads_only_heads(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><rss><channel/></rss>', encoding="utf-8")
    (tmp_path / "_import").mkdir()
    shutil.copy(WXR10, tmp_path / "_import" / "wordpress.xml")
    assert [Path(p).name for p in wordpress.find_exports(str(tmp_path))] == ["wordpress.xml"]


def test_lint_says_once_that_a_wxr_export_is_not_linted() -> None:
    proc = run_cli("lint", str(WP))
    assert proc.stderr.count("a WordPress export (WXR), not linted") == 1
    assert "data/example.WordPress.2024-01-01.xml" in proc.stderr and "--from wordpress" in proc.stderr
    plain = run_cli("lint", str(FIXTURES / "migrate" / "jekyll"))
    assert "WordPress" not in plain.stderr


def test_export_link_out_of_the_source_is_listed_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.xml"
    shutil.copy(WXR10, outside)
    src = tmp_path / "site"
    shutil.copytree(WP, src)
    (src / "old.xml").symlink_to(outside)
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    assert "Ruby tricks" not in [p.title for p in result.posts]
    assert next(why for s, why in result.skipped if s == "old.xml").startswith("symbolic link to")


def test_hugo_writes_a_query_alias_as_a_folder_no_server_reaches(tmp_path: Path, hugo: str) -> None:
    """Why ``/?p=ID`` is reported as needing a server redirect: Hugo writes the alias
    ``/?p=123`` as the folder ``public/?p=123/``, while a request for ``/?p=123`` is a
    request for ``/`` with a query string (the home page)."""
    site = tmp_path / "site"
    (site / "content" / "posts" / "a").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "t"\n', encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("list", encoding="utf-8")
    (site / "content" / "posts" / "a" / "index.md").write_text('---\ntitle: a\naliases: ["/?p=123"]\n---\nbody\n',
                                                              encoding="utf-8")
    public = build(hugo, site)
    assert (public / "?p=123" / "index.html").is_file()
    assert (public / "index.html").read_text(encoding="utf-8") == "list"  # what "/?p=123" gets: the home page


def test_an_item_over_the_size_limit_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordpress, "MAX_HTML", 40)
    result = migrate(Options(str(WXR10), str(tmp_path / "out"), images="keep"))
    assert "Ruby tricks" not in [p.title for p in result.posts]
    assert any("post 7" in s and "over the 40 byte limit" in why for s, why in result.skipped)


ARCHIVES = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Blog</title><link>https://wp.example.com</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://wp.example.com</wp:base_blog_url>
<wp:category><wp:category_nicename>tech</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>Tech</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>python</wp:category_nicename><wp:category_parent>tech</wp:category_parent><wp:cat_name>Python</wp:cat_name></wp:category>
<item><title>One</title><link>https://wp.example.com/2011/02/one/</link><dc:creator>ann</dc:creator>
<category domain="category" nicename="python"><![CDATA[Python]]></category>
<category domain="tag" nicename="snakes"><![CDATA[Snakes]]></category>
<category domain="post_tag" nicename="%e6%97%a5%e6%9c%ac"><![CDATA[日本]]></category>
<content:encoded><![CDATA[Hello.LINK]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2011-02-23 10:00:00</wp:post_date><wp:post_date_gmt>2011-02-23 10:00:00</wp:post_date_gmt>
<wp:post_name>one</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


@pytest.mark.parametrize("link, base, why", [
    ("", "category", "WordPress's default: the export does not record category_base"),
    (' See <a href="https://wp.example.com/topics/tech/python/">Python</a>.', "topics",
     "the base 1 link(s) of the posts to a category archive use"),
])
def test_category_and_tag_archives_kept_on_term_pages(tmp_path: Path, hugo: str, link: str, base: str,
                                                       why: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "wordpress.xml").write_text(ARCHIVES.replace("LINK", link), encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    one = by_title(result, "One")
    # WXR 1.0's domain="tag" is a tag too
    assert one.meta["categories"] == ["Python"] and one.meta["tags"] == ["Snakes", "日本"]
    terms = {p.page_path: p.old_urls for p in result.posts if p.kind == "page"}
    assert terms["categories/python/_index"] == [f"/{base}/tech/python/"]  # the parent's slug comes first
    assert terms["tags/snakes/_index"] == ["/tag/snakes/"]
    assert terms["tags/日本/_index"] == ["/tag/%e6%97%a5%e6%9c%ac/"]
    public = build(hugo, out)
    for url in (f"/{base}/tech/python/", "/tag/snakes/", "/tag/日本/"):
        page = (public / _hugo.public_file(url)).read_text(encoding="utf-8")
        assert "/tags/" in page or "/categories/" in page, url  # a redirect to the term page
    assert (public / "categories" / "python" / "index.html").is_file()
    notes = "\n".join(result.notes)
    assert f"WordPress category archives: 1 kept as the aliases of term pages at /{base}/SLUG/ ({why}" in notes
    # what Hugo cannot serve is said, per URL, never silently dropped
    assert "WordPress date archives not kept (3: " in notes and "/2011/, /2011/02/, /2011/02/23/" in notes
    assert "WordPress author archives not kept (1: " in notes and "/author/ann/" in notes


def test_embedded_tweet_keeps_the_html_wordpress_served_from_its_oembed_cache(tmp_path: Path) -> None:
    tweet = ('<blockquote class="twitter-tweet"><p lang="en">Data copied is still data.</p>&mdash; Someone '
             '(@someone) <a href="https://twitter.com/someone/status/1483500385180418048">January 18, 2022</a>'
             '</blockquote><script async src="https://platform.twitter.com/widgets.js"></script>')
    body = ('<!-- wp:paragraph --><p>And then:</p><!-- /wp:paragraph --><!-- wp:embed {"url":"https://twitter.com/'
            'someone/status/1483500385180418048"} --><figure class="wp-block-embed is-provider-twitter"><div '
            'class="wp-block-embed__wrapper"> https://twitter.com/someone/status/1483500385180418048 </div></figure>'
            '<!-- /wp:embed -->')
    xml = ARCHIVES.replace("Hello.LINK", body.replace("]]>", "")).replace(
        "<wp:post_name>one", f"<wp:postmeta><wp:meta_key>_oembed_0123abcd</wp:meta_key><wp:meta_value><![CDATA[{tweet}]]>"
        "</wp:meta_value></wp:postmeta><wp:postmeta><wp:meta_key>_oembed_time_0123abcd</wp:meta_key><wp:meta_value>"
        "1642500000</wp:meta_value></wp:postmeta><wp:post_name>one")
    src = tmp_path / "src"
    src.mkdir()
    (src / "wordpress.xml").write_text(xml, encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    one = by_title(result, "One")
    # the reader saw the tweet's text, not its URL: the source text verify compares, and the new body
    assert "Data copied is still data." in one.extra["source_html"]
    assert "Data copied is still data." in one.body and "— Someone (@someone)" in one.body
    assert "embedded URL → the HTML WordPress served for it (its oEmbed cache)" in one.converted
