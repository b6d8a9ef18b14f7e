"""Hatena Blog: notation read into body nodes with exact positions, the lint profile (URLs
from the URL: header, internal links to entries judged, the header checked as blogsync's),
detection, and ``migrate --from hatena`` for a blogsync tree and a Movable Type export,
built with the real Hugo."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from blogtools import hatena_notation as notation
from blogtools.document import Document
from blogtools.migrate import Options, migrate
from blogtools.migrate.sources import detect
from blogtools.site import load_site
from tests.conftest import FIXTURES, run_cli

MIGRATE = FIXTURES / "migrate"

HEADER = ("---\nTitle: t\nDate: 2019-10-01T12:00:00+09:00\nURL: https://blog.example.jp/entry/a\n"
          "EditURL: https://blog.hatena.ne.jp/example/example.hatenablog.com/atom/entry/1\n---\n")


def nodes(body: str, *kinds: str) -> list[tuple[str, tuple[int, int], str, str, str]]:
    """(kind, (line, column) of the start, source text of the node, node text, url)."""
    doc = Document.from_text("entry.md", HEADER + body)
    return [(n.kind, doc.position(n.start), doc.text[n.start:n.end], n.text, n.url) for n in doc.nodes(*kinds)]


# --------------------------------------------------------------------------- notation → nodes
def test_fotolife_image_is_an_image_node_with_its_cdn_url_and_alt() -> None:
    found = nodes("図は[f:id:kiririmode:20160403123456p:plain:alt=構成図]です。\n[f:id:u-1:20200101000000j:image]\n",
                  "image")
    assert found == [
        ("image", (7, 3), "[f:id:kiririmode:20160403123456p:plain:alt=構成図]", "構成図",
         "https://cdn-ak.f.st-hatena.com/images/fotolife/k/kiririmode/20160403/20160403123456.png"),
        ("image", (8, 1), "[f:id:u-1:20200101000000j:image]", "",
         "https://cdn-ak.f.st-hatena.com/images/fotolife/u/u-1/20200101/20200101000000.jpg"),
    ]


def test_url_notation_is_a_link_node_with_exact_text_and_url_spans() -> None:
    body = ("[https://example.com/a:title] と [https://example.com/b:title=説明]、"
            "[https://example.com/c:embed:cite] [https://example.com/d:title:bookmark] [asin:4774142042:detail]\n")
    doc = Document.from_text("entry.md", HEADER + body)
    links = list(doc.nodes("link"))
    assert [(n.url, n.text) for n in links] == [
        ("https://example.com/a", ""), ("https://example.com/b", "説明"), ("https://example.com/c", ""),
        ("https://example.com/d", ""), ("https://www.amazon.co.jp/dp/4774142042", "")]
    b = links[1]
    assert doc.text[b.text_start:b.text_end] == "説明" and doc.text[b.url_start:b.url_end] == "https://example.com/b"
    assert doc.position(b.start) == (7, 33)
    assert [n.attrs["hatena"] for n in links] == ["link", "link", "embed", "link", "asin"]
    assert not list(doc.nodes("autolink"))  # the URL inside the brackets is no bare link


def test_footnote_tex_and_toc() -> None:
    found = nodes("本文((補足))。[tex:a_{i}]\n[:contents]\n", "footnote_ref", "footnote_def", "code_span")
    assert found == [
        ("footnote_ref", (7, 3), "((補足))", "hatena-1", ""),
        ("footnote_def", (7, 5), "補足", "hatena-1", ""),
        ("code_span", (7, 10), "[tex:a_{i}]", "a_{i}", ""),
    ]


def test_hatena_syntax_mode_code_quotes_and_headings() -> None:
    body = ("*見出し\n本文。\n**小見出し\n>|perl|\nmy $x = '[https://no.example/:title]';\n||<\n"
            ">>\n引用の[https://example.com/q:title=文]\n<<\n>||\nplain\n||<\n")
    doc = Document.from_text("entry.md", HEADER + body)
    assert notation.syntax_mode(doc.text, doc.body_start) == "hatena"
    heads = [(n.level, n.text, doc.position(n.text_start)) for n in doc.nodes("heading")]
    assert heads == [(1, "見出し", (7, 2)), (2, "小見出し", (9, 3))]
    codes = [(n.url, n.text, doc.position(n.start)) for n in doc.nodes("code_block")]
    assert codes == [("perl", "my $x = '[https://no.example/:title]';\n", (10, 1)), ("", "plain\n", (16, 1))]
    assert [n.url for n in doc.nodes("link")] == ["https://example.com/q"]  # nothing inside code


def test_markdown_mode_reads_bracket_notation_but_not_inside_code() -> None:
    body = "# 見出し\n\n```\n[f:id:u:20160403123456p:plain] ((no))\n```\n\n`[https://x.example/:title]` [f:id:u:20160403123456g:plain]\n"
    doc = Document.from_text("entry.md", HEADER + body)
    assert notation.syntax_mode(doc.text, doc.body_start) == "markdown"
    assert [n.url.rsplit("/", 1)[-1] for n in doc.nodes("image")] == ["20160403123456.gif"]
    assert not list(doc.nodes("footnote_ref")) and not list(doc.nodes("link"))


def test_markdown_link_around_a_url_is_not_notation() -> None:
    found = nodes("[https://example.com/](https://example.com/) ![f](x.png)\n", "link", "image")
    assert [(k, u) for k, _, _, _, u in found] == [("link", "https://example.com/"), ("image", "x.png")]


def test_a_plain_markdown_file_is_not_read_as_hatena() -> None:
    doc = Document.from_text("post.md", "---\ntitle: t\n---\n本文((括弧))と[https://example.com/:title]\n")
    assert not list(doc.nodes("footnote_ref")) and not list(doc.nodes("link"))


# --------------------------------------------------------------------------- lint profile
def _tree(tmp_path: Path, with_config: bool = True) -> Path:
    root = tmp_path / "blog"
    entry = root / "entries" / "example.hatenablog.com" / "entry"
    entry.mkdir(parents=True)
    if with_config:
        (root / "blogsync.yaml").write_text("example.hatenablog.com:\n  username: example\n", encoding="utf-8")

    def write(name: str, path: str, body: str) -> None:
        (entry / f"{name}.md").write_text(
            f"---\nTitle: {name}\nCategory:\n- Groonga\nDate: 2016-01-02T03:04:05+09:00\n"
            f"URL: https://blog.example.jp/entry/{path}\n"
            f"EditURL: https://blog.hatena.ne.jp/example/example.hatenablog.com/atom/entry/{len(name)}\n---\n\n{body}",
            encoding="utf-8")

    write("grn-mini-0.4", "grn-mini-0.4", "grn_mini 0.4 をリリースしました。\n")
    write("links", "links", "[前の記事](/entry/grn-mini-4.0) と [正しい](/entry/grn-mini-0.4)、"
          "[https://blog.example.jp/entry/grn-mini-4.0:title] と [アーカイブ](/archive/category/Groonga)、"
          "[絶対](https://blog.example.jp/entry/grn-mini-0.4)\n")
    return root


def test_internal_links_are_resolved_against_the_entries(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    r = run_cli("lint", str(root), "--output-format", "json", "--no-cache", cwd=tmp_path)
    found = [(d["code"], d["line"], d["column"]) for d in json.loads(r.stdout)]
    # the two links to the missing entry, at their URLs; the archive path is Hatena's own
    assert found == [("BT202", 10, 8), ("BT202", 10, 59)], r.stdout
    assert "grn-mini-0.4" in json.loads(r.stdout)[0]["message"]  # the closest entry is suggested
    assert "Hatena" not in r.stderr  # no "not understood" notice any more


def test_a_tree_without_blogsync_yaml_is_hatena_too(tmp_path: Path) -> None:
    root = _tree(tmp_path, with_config=False)
    entry = next(root.rglob("links.md"))
    assert load_site(str(entry)).generator == "hatena"
    assert load_site(str(root / "entries")).generator == "hatena"


def test_valid_headers_give_no_key_name_noise_and_padded_title_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    path = next(root.rglob("grn-mini-0.4.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("Title: grn-mini-0.4", "Title: ' grn-mini 0.4'"),
                    encoding="utf-8")
    r = run_cli("lint", str(root), "--output-format", "json", "--no-cache", "--select", "BT1", cwd=tmp_path)
    found = [(d["code"], d["path"].rsplit("/", 1)[-1], d["line"], d["column"]) for d in json.loads(r.stdout)]
    assert found == [("BT120", "grn-mini-0.4.md", 2, 8)], r.stdout


# --------------------------------------------------------------------------- detection
def test_detect_blogsync_trees_and_movable_type_exports(tmp_path: Path) -> None:
    assert detect(str(MIGRATE / "hatena-blogsync")) == "hatena"
    assert detect(str(MIGRATE / "hatena-mt")) == "hatena"
    assert detect(str(MIGRATE / "hatena-mt" / "raw_export.txt")) == "hatena"
    bare = tmp_path / "bare"
    shutil.copytree(MIGRATE / "hatena-blogsync" / "entries", bare)  # no blogsync.yaml
    assert detect(str(bare)) == "hatena"
    other = tmp_path / "notes"
    other.mkdir()
    (other / "notes.txt").write_text("AUTHORS: nobody\n", encoding="utf-8")
    assert detect(str(other)) is None


# --------------------------------------------------------------------------- migrate
def build(hugo: str, out: Path) -> None:
    done = subprocess.run([hugo, "--quiet", "-s", str(out), "-d", str(out / "public")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_migrate_blogsync_tree_builds_with_old_urls_and_converted_notation(tmp_path: Path, hugo: str) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(MIGRATE / "hatena-blogsync"), str(out), images="keep", verify=True))
    assert result.verify.ok, result.verify.problems
    build(hugo, out)
    assert sorted(p.slug for p in result.posts if p.kind == "post") == [
        "2019-10-01-120000", "2019-11-03-163913", "2019-12-01-26006613459910400", "26006613459910300"]
    public = out / "public"
    page = (public / "posts" / "2019-10-01-120000" / "index.html").read_text(encoding="utf-8")
    for alias in ("entry/2019/10/01/120000", "entry/2019/11/03/163913"):
        assert "/posts/" in (public / alias / "index.html").read_text(encoding="utf-8")
    assert 'class="language-perl"' in page and "[https://example.com/:title]" in page  # code kept as code
    assert "<blockquote>" in page and "引用された文章。" in page
    assert '<a href="https://example.com/docs">説明書</a>' in page
    assert 'alt="構成図"' in page and "20191001120000.png" in page  # remote: no fotolife file in the tree
    assert "補足の説明" in page and 'class="footnote' in page
    assert "<table>" in page and "テキスト処理" in page
    assert "youtube" in page and "[:contents]" not in page
    assert "<h1" in page and "概要" in page
    other = (public / "posts" / "2019-11-03-163913" / "index.html").read_text(encoding="utf-8")
    assert 'href="/posts/2019-10-01-120000/"' in other  # links to the blog's own entries follow them
    assert "Markdown モードの脚注" in other and "[f:id:example:20191001120000p:plain]" in other
    pushed = next(p for p in result.posts if p.slug == "2019-12-01-26006613459910400")
    assert pushed.old_urls == ["/entry/2019/12/01/26006613459910400"] and "not pulled back" in pushed.warnings[0]
    assert (public / "entry" / "2019" / "12" / "01" / "26006613459910400" / "index.html").is_file()
    assert "[^2]: 二" in (out / "content" / "posts" / "2019-12-01-26006613459910400" / "index.md").read_text(
        encoding="utf-8")
    draft = next(p for p in result.posts if p.slug == "26006613459910300")
    assert draft.draft and not draft.old_urls
    assert not (public / "posts" / "26006613459910300").exists()
    for name in ("Perl", "読書"):  # Hatena's category pages → term pages, at their old URL too
        assert (public / "archive" / "category" / name / "index.html").is_file()
        assert (public / "categories" / name.lower() / "index.html").is_file()
    text = (out / "content" / "posts" / "2019-10-01-120000" / "index.md").read_text(encoding="utf-8")
    assert "categories:\n  - Perl\n" in text and "aliases:\n  - /entry/2019/10/01/120000/" in text


def test_migrate_movable_type_export(tmp_path: Path, hugo: str) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(MIGRATE / "hatena-mt"), str(out), images="keep", verify=True))
    assert result.verify.ok, result.verify.problems
    build(hugo, out)
    first = next(p for p in result.posts if p.title == "造形の記録")
    assert "<a class=\"keyword\"" in first.extra["source_html"]  # the HTML Hatena served, for --verify
    assert first.meta["categories"] == ["3DCG", "記録"]
    public = out / "public"
    page = (public / "posts" / "2025-07-15-090000" / "index.html").read_text(encoding="utf-8")
    assert (public / "entry" / "2025" / "07" / "15" / "090000" / "index.html").is_file()
    assert (out / "content" / "posts" / "2025-07-15-090000" / "images" / "20250715084416.png").is_file()
    assert "images/20250715084416.png" in page and "cdn-ak.f.st-hatena.com" not in page  # localised
    assert "メタボール" in page and "d.hatena.ne.jp/keyword" not in page  # keyword autolink dropped
    assert "球の集まり" in page and 'class="footnote' in page
    assert 'class="language-python"' in page
    assert 'href="/posts/2025-07-14-080000/"' in page  # the embed card → a link to the migrated entry
    second = (out / "content" / "posts" / "2025-07-14-080000" / "index.md").read_text(encoding="utf-8")
    assert "最初の記録です。\n\n<!--more-->\n\n続きの文章。" in second and "いい記事です" not in second
    assert "timeZone = \"Asia/Tokyo\"" in (out / "hugo.toml").read_text(encoding="utf-8")
    assert "2025-07-14T08:00:00+09:00" in second
    draft = next(p for p in result.posts if p.title == "下書きの記録")
    assert draft.draft and not draft.old_urls


def test_migrate_refuses_nothing_and_names_a_bad_export_entry(tmp_path: Path) -> None:
    src = tmp_path / "export"
    src.mkdir()
    (src / "raw_export.txt").write_text(
        "AUTHOR: a\nTITLE: ok\nBASENAME: 2020/01/01/000000\nSTATUS: Publish\nDATE: 01/01/2020 00:00:00\n-----\n"
        "BODY:\n<p>本文</p>\n-----\n--------\n"
        "AUTHOR: a\nTITLE: broken\nNOT A HEADER\n-----\nBODY:\n<p>x</p>\n-----\n--------\n", encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    assert [p.title for p in result.posts] == ["ok"]
    assert result.skipped == [("raw_export.txt:11", "line 13: 'NOT A HEADER' is no Movable Type header line: "
                                                    "entry not read")]


def test_notation_scan_stays_linear_on_unclosed_openers() -> None:
    import time

    for text in ("(( a " * 20000 + "\n", "[https://a.example/x" * 20000, "*" + "a" * 100000 + "\n"):
        started = time.perf_counter()
        small = notation.scan(text[: len(text) // 4], 0, len(text) // 4, "hatena")
        t_small = time.perf_counter() - started
        started = time.perf_counter()
        full = notation.scan(text, 0, len(text), "hatena")
        t_full = time.perf_counter() - started
        assert not [n for n in small + full if n.kind == "footnote"]  # never closed: no footnote
        assert t_full < max(0.5, 10 * t_small), (text[:12], t_small, t_full)


def test_a_footnote_right_after_brackets_is_a_footnote_not_a_link_destination() -> None:
    found = nodes("[はてなブログ]((Web版のこと))を使う。\n", "link", "footnote_ref")
    assert found == [("footnote_ref", (7, 9), "((Web版のこと))", "hatena-1", "")]


def test_custom_path_is_the_entry_path_and_the_url_header_an_old_url() -> None:
    from blogtools.generators.hatena import entry_path

    meta = {"URL": "https://tech.example.com/entry/2023/06/16/000000", "CustomPath": "2024/01/11/000000"}
    assert entry_path(meta) == "/entry/2024/01/11/000000"
    assert entry_path({"URL": "https://b.example.jp/entry/%E6%97%A5%E6%9C%AC"}) == "/entry/日本"
    assert entry_path({}) == ""


def test_hatena_syntax_mode_has_no_markdown_links_or_footnotes() -> None:
    body = ">|perl|\nx\n||<\n正規表現 '/admin/([^/]*)/' と [文](https://example.com/) と https://example.com/bare\n"
    found = nodes(body, "link", "footnote_ref", "autolink", "code_block")
    assert [(k, u) for k, _, _, _, u in found] == [("code_block", "perl"), ("autolink", "https://example.com/bare")]


def test_footnotes_side_by_side_and_the_escape() -> None:
    found = nodes("文((一))((二))と)((三))\n", "footnote_ref")
    assert [(k, p, s) for k, p, s, _, _ in found] == [("footnote_ref", (7, 2), "((一))"), ("footnote_ref", (7, 7), "((二))")]


def test_hatena_heading_with_a_space_and_a_timestamp_name() -> None:
    body = ">||\nx\n||<\n* 空白つき\n*1234567890*名前つき\n"
    found = nodes(body, "heading")
    assert [(k, p, t) for k, p, _, t, _ in found] == [("heading", (10, 1), "空白つき"), ("heading", (11, 1), "名前つき")]
    out = notation.to_markdown(body, "hatena", lambda n: n.url, lambda u: None, lambda w: None)
    assert "# 空白つき\n# 名前つき\n" in out


def test_from_hatena_on_another_kind_of_folder_says_so(tmp_path: Path) -> None:
    src = tmp_path / "notes"
    src.mkdir()
    (src / "a.md").write_text("---\ntitle: a\n---\n\ntext\n", encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), source_format="hatena", images="keep"))
    assert result.posts == [] and "no Hatena entry found" in result.site.warnings[0]


def test_movable_type_bold_beside_cjk_punctuation_stays_bold(tmp_path: Path, hugo: str) -> None:
    """Hatena's HTML makes ``<strong>「検索」</strong>で`` bold; the Markdown ``**「検索」**で``
    is no emphasis for Goldmark (a closing ``**`` after punctuation before a letter): the
    migration gives it Hugo's escaped space, as for Jekyll and Medium, and verify, which
    compares with that HTML, finds no ``**`` printed."""
    src = tmp_path / "export"
    src.mkdir()
    (src / "raw_export.txt").write_text(
        "AUTHOR: a\nTITLE: 強調\nBASENAME: 2021/02/03/040506\nSTATUS: Publish\nCONVERT BREAKS: 0\n"
        "DATE: 02/03/2021 04:05:06\n-----\nBODY:\n<p>まず<strong>「検索」</strong>で調べた。<strong>終わり。</strong>次へ。</p>\n"
        "-----\n--------\n", encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    assert result.verify.ok, result.verify.problems
    assert result.verify.lost["markup shown"] == 0
    assert "escapedSpace = true" in (out / "hugo.toml").read_text(encoding="utf-8")
    build(hugo, out)
    page = (out / "public" / "posts" / "2021-02-03-040506" / "index.html").read_text(encoding="utf-8")
    assert "<strong>「検索」</strong>で" in page and "<strong>終わり。</strong>次へ" in page and "**" not in page


def test_an_iframe_of_no_known_provider_stays_an_iframe(tmp_path: Path, hugo: str) -> None:
    """A 3D viewer or a map embedded with an ``<iframe>`` (no shortcode for its provider)
    stays the iframe the source showed, reported as raw HTML; verify finds no embed lost.
    (Medium's export is another matter: its iframes are Medium's own proxies.)"""
    src = tmp_path / "export"
    src.mkdir()
    (src / "raw_export.txt").write_text(
        "AUTHOR: a\nTITLE: 模型\nBASENAME: 2021/02/03/040506\nSTATUS: Publish\nCONVERT BREAKS: 0\n"
        "DATE: 02/03/2021 04:05:06\n-----\nBODY:\n<p>模型です。</p>\n"
        '<iframe title="Rocket" width="100%" height="400" src="https://viewer.example.net/models/abc123/embed">'
        "</iframe>\n<p>以上。</p>\n-----\n--------\n", encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    assert result.verify.ok, result.verify.problems
    assert result.verify.lost["embeds"] == 0
    md = (out / "content" / "posts" / "2021-02-03-040506" / "index.md").read_text(encoding="utf-8")
    assert '<iframe height="400" src="https://viewer.example.net/models/abc123/embed" title="Rocket"' in md
    assert any("iframe" in k for k in result.posts[0].kept_raw)


ASIN_BOX = (
    '<p>椅子の話。</p>\n<p><div class="hatena-asin-detail"><a href="https://www.amazon.co.jp/dp/B000000001?tag=x-22" '
    'class="hatena-asin-detail-image-link"><img src="https://m.media-amazon.com/images/I/box._SL500_.jpg" '
    'class="hatena-asin-detail-image" alt="背もたれ クッション" title="背もたれ クッション"></a>'
    '<div class="hatena-asin-detail-info"><p class="hatena-asin-detail-title">'
    '<a href="https://www.amazon.co.jp/dp/B000000001?tag=x-22">背もたれ クッション</a></p>'
    '<ul class="hatena-asin-detail-meta"><li><span class="hatena-asin-detail-label">作者:</span>山田 太郎</li>'
    '<li>架空書房</li></ul><a href="https://www.amazon.co.jp/dp/B000000001?tag=x-22" class="asin-detail-buy">'
    'Amazon</a></div><div class="hatena-asin-detail-foot"></div></div></p>\n<p>良かった。</p>\n')


def test_amazon_product_box_keeps_its_image_title_and_text(tmp_path: Path, hugo: str) -> None:
    src = tmp_path / "export"
    src.mkdir()
    (src / "raw_export.txt").write_text(
        "AUTHOR: a\nTITLE: 椅子\nBASENAME: 2021/01/01/000000\nSTATUS: Publish\nDATE: 01/01/2021 00:00:00\n-----\n"
        f"BODY:\n{ASIN_BOX}-----\n--------\n", encoding="utf-8")
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    # the box's picture, title, maker lines and button are what the reader saw: nothing lost
    assert result.verify.ok, result.verify.problems
    assert result.verify.lost["words"] == 0 and result.verify.lost["images"] == 0
    text = (out / "content" / "posts" / "2021-01-01-000000" / "index.md").read_text(encoding="utf-8")
    link = "https://www.amazon.co.jp/dp/B000000001?tag=x-22"
    assert f"[![背もたれ クッション](https://m.media-amazon.com/images/I/box._SL500_.jpg" in text
    assert f"[背もたれ クッション]({link})" in text
    assert "- 作者:山田 太郎\n- 架空書房" in text and f"[Amazon]({link})" in text
    assert "椅子の話。" in text and "良かった。" in text


@pytest.mark.parametrize("line", [":用語:その説明", ":a:b"])
def test_hatena_definition_list_becomes_goldmark_definition_list(line: str) -> None:
    md = notation.to_markdown(f"*見出し\n前の段落。\n{line}\n::もう一つ\n次の段落。\n", "hatena",
                              lambda n: n.url, lambda u: None, lambda what: None)
    term, desc = line[1:].split(":", 1)
    assert f"前の段落。\n\n{term}\n: {desc}\n: もう一つ\n\n次の段落。" in md


def test_footnote_in_a_figure_caption_follows_the_figure() -> None:
    from blogtools.migrate.model import Post
    from blogtools.migrate.sources.hatena import html_markdown

    html = ('<p><figure class="figure-image"><img src="https://img.example/a.jpg"><figcaption>壁の図 '
            '<a href="#f-1" id="fn-1" name="fn-1" title="https://blog.example/より引用">*1</a></figcaption></figure></p>'
            '<p>本文<a href="#f-2" id="fn-2" name="fn-2" title="注の文">*2</a></p>')
    md = html_markdown(html, Post("x", {}, ""))
    # a caption is a shortcode parameter: the reference goes after the figure, so the note renders
    assert '{{< figure src="https://img.example/a.jpg" alt="壁の図" caption="壁の図" >}}\n\n[^1]\n' in md
    assert "本文[^2]" in md and "[^1]: https://blog.example/より引用\n[^2]: 注の文" in md
    assert "BTHATENAFN" not in md


def test_footnote_text_keeps_its_words_whole() -> None:
    from blogtools.migrate.model import Post
    from blogtools.migrate.sources.hatena import html_markdown

    html = ('<p>本文<a href="#f-1" id="fn-1" name="fn-1" title="x">*1</a></p><div class="footnote">'
            '<p class="footnote"><a href="#fn-1" id="f-1" name="f-1" class="footnote-number">*1</a>'
            '<span class="footnote-text"><b>T</b>ribute for <a class="keyword" href="https://d.hatena.ne.jp/k">'
            'ジョイント</a>コンパウンド</span></p></div>')
    md = html_markdown(html, Post("x", {}, ""))
    assert "[^1]: Tribute for ジョイントコンパウンド" in md


def test_malformed_markdown_link_found_beside_hatena_link_notation() -> None:
    from blogtools.api import lint_text

    text = ("---\nTitle: t\nURL: https://blog.example.jp/entry/1\n"
            "EditURL: https://blog.hatena.ne.jp/u/blog.example.jp/atom/entry/1\n---\n\n"
            "[https://example.com/a:title] と [古い](http://example.com/codes.html#OB XSI) を見る。\n")
    found = lint_text(text, "blog.example.jp/entry/1.md", select=["BT205"])
    # the notation is a link node too, but has no "](": it must not hide the Markdown one
    assert [(d.code, d.line) for d in found] == [("BT205", 7)]
