"""The body model built from pulldown-cmark's events (blogtools/cmark.py): exact character
offsets whatever the bytes (CJK, CRLF, masked templates), the node kinds, containers and
leaves rules read, and the places where the conversion follows Goldmark (Hugo) rather than
pulldown-cmark. (That the result agrees with the real Hugo is tests/test_hugo_links_oracle.py;
with the CommonMark spec, tests/test_commonmark_spec.py.)"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from blogtools import cmark
from blogtools.markdown import MASK, Body, parse_body, prepare_body


def _nodes(body: Body, *kinds: str) -> list:
    return [n for n in body.nodes if not kinds or n.kind in kinds]


def _check_spans(text: str, body: Body) -> None:
    """Every span is inside the text and says what the node says (in the text as parsed:
    templates masked, CR as a space)."""
    n = len(text)
    text = prepare_body(text, 0)[1]
    assert [(x.start, x.end) for x in body.nodes] == sorted((x.start, x.end) for x in body.nodes)
    for node in body.nodes:
        assert 0 <= node.start <= node.end <= n, node
        if node.kind in ("link", "image") and not (node.attrs and "ref" in node.attrs) and node.url_start >= 0:
            assert text[node.url_start:node.url_end] == node.url, node
        if node.kind == "link":
            assert text[node.text_start:node.text_end] == node.text, node
        if node.kind == "heading" and node.text:
            assert text[node.text_start:node.text_end].startswith(node.text.split("\n")[0]), node
        if node.kind in ("shortcode", "liquid"):
            assert set(text[node.start:node.end]) <= {MASK, "\n", " "}, node
    for leaf in body.leaves:
        for i, c in enumerate(leaf.text):
            if c not in "\n" + MASK:
                assert text[leaf.to_abs(i)] == c, (leaf, i)


def test_offsets_are_characters_in_cjk_and_crlf_text() -> None:
    text = ("---\r\ntitle: 題\r\n---\r\n# 見出しの[リンク](/見出し/)\r\n\r\n"
            "日本語の文に[リンク](/パス/ \"題\")と![画像](/画像.png)と`コード`。\r\n"
            "> 引用の[中](/引用/)\r\n> 続き https://例え.jp/ と www.example.com\r\n\r\n"
            "- 項目[^注]\r\n  - 入れ子の[項目](/入れ子/)\r\n\r\n[^注]: 注の[本文](/注/)\r\n")
    body = parse_body(text, text.index("# "))
    _check_spans(text, body)
    links = {n.url: n for n in _nodes(body, "link")}
    assert set(links) == {"/見出し/", "/パス/", "/引用/", "/入れ子/", "/注/"}
    assert links["/引用/"].container == "block_quote"
    assert links["/入れ子/"].container == "list_item/list_item"
    assert links["/注/"].container == "footnote"
    assert [n.url for n in _nodes(body, "image")] == ["/画像.png"]
    # (https://例え.jp/ is text in Hugo 0.168: its linkify takes ASCII hosts only)
    assert [n.url for n in _nodes(body, "autolink")] == ["https://www.example.com"]
    (heading,) = _nodes(body, "heading")
    assert heading.level == 1 and heading.text == "見出しの[リンク](/見出し/)"
    (code,) = _nodes(body, "code_span")
    assert code.text == "コード" and text[code.start:code.end] == "`コード`"


def test_tight_list_items_and_table_cells_are_leaves() -> None:
    text = "- 一つ目 [a](/a)\n- 二つ目\n\n| 表 | 列 |\n|---|---|\n| セル | [b](/b) |\n"
    body = parse_body(text, 0)
    _check_spans(text, body)
    kinds = [(leaf.kind, leaf.text, leaf.container) for leaf in body.leaves]
    assert kinds == [("paragraph", "一つ目 [a](/a)", "list_item"), ("paragraph", "二つ目", "list_item"),
                     ("table_cell", "表", ""), ("table_cell", "列", ""), ("table_cell", "セル", ""),
                     ("table_cell", "[b](/b)", "")]
    assert [n.kind for n in _nodes(body, "table")] == ["table"]


def test_templates_are_masked_and_a_shortcode_destination_is_a_link() -> None:
    text = ('[記事]({{< ref "a.md" >}}) と [参照][r]\n\n`{{< x >}}` の中\n\n'
            '[r]: {{< relref "b.md" >}} "題"\n')
    body = parse_body(text, 0)
    _check_spans(text, body)
    links = _nodes(body, "link")
    assert [text[n.url_start:n.url_end] for n in links] == ['{{< ref "a.md" >}}', '{{< relref "b.md" >}}']
    assert [n.text for n in _nodes(body, "shortcode")] == ["ref", "x", "relref"]  # (Hugo expands one in code too)
    (ref_def,) = _nodes(body, "ref_def")
    assert ref_def.text == "r" and text[ref_def.url_start:ref_def.url_end] == '{{< relref "b.md" >}}'


def test_footnote_references_defined_or_not() -> None:
    text = "本文[^a] と[^未定義] と `[^code]` と [^b](/link)\n\n[^a]: 注\n"
    body = parse_body(text, 0)
    _check_spans(text, body)
    assert [n.text for n in _nodes(body, "footnote_ref")] == ["a", "未定義"]
    assert [n.url for n in _nodes(body, "link")] == ["/link"]
    (note,) = _nodes(body, "footnote_def")
    assert note.text == "a" and text[note.text_start:note.text_end] == "a"


def test_linkify_as_goldmark() -> None:
    text = ("詳細はhttps://a.example/x と https://b.example/y. と [開いた https://c.example/ ]\n"
            "と *https://d.example/z* と www.e.example\n")
    body = parse_body(text, 0)
    _check_spans(text, body)
    assert [n.url for n in _nodes(body, "autolink")] == ["https://b.example/y", "https://d.example/z",
                                                       "https://www.e.example"]
    assert all(n.attrs == {"bare": True} for n in _nodes(body, "autolink"))


def test_goldmark_destinations_and_fences() -> None:
    text = '[a]((/x "t") [b][d]\n\n```\ncode [c](/no)\n```\t\n[e](/after)\n\n[d]: /w_(p\n'
    body = parse_body(text, 0)
    _check_spans(text, body)
    assert [(n.text, n.url) for n in _nodes(body, "link")] == [("a", "(/x"), ("b", "/w_(p"), ("e", "/after")]
    (code,) = _nodes(body, "code_block")
    assert code.text == "code [c](/no)\n" and code.attrs == {"style": "fenced"}


def test_nothing_inside_an_image_description_is_a_node() -> None:
    text = "![説明の [リンク](/in) と `code`](/img.png)\n"
    body = parse_body(text, 0)
    assert [(n.kind, n.url, n.text) for n in body.nodes] == [("image", "/img.png", "説明の [リンク](/in) と `code`")]


def test_container_paths_are_bounded() -> None:
    depth = cmark.MAX_CONTAINER_PATH + 40
    text = "> " * depth + "[a](/deep)\n"
    (link,) = _nodes(parse_body(text, 0), "link")
    assert link.container == "/".join(["block_quote"] * cmark.MAX_CONTAINER_PATH)


_PIECES = st.sampled_from([
    "本文 [リンク](/パス/) と", "![画](/i.png)", "`コード`", "https://example.com/x", "[^1]", "\n", "\n\n",
    "> ", "- ", "1. ", "  ", "\t", "# ", "```\n", "|a|b|\n|-|-|\n", "[r]: /r\n", "[r]", "<b>", "<!-- c -->",
    "{{< sc >}}", "{% tag %}", "\r\n", "**強調**", "ẞ", "😀", "\\[", "]", "(", ")", "[^1]: 注\n", "    ",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_random_bodies_keep_exact_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    _check_spans(text, parse_body(text, 0))
