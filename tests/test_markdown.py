"""Exact spans for every node kind, in every container, in CJK text and CRLF files."""

from __future__ import annotations

import pytest

from blogtools.document import Document
from tests.conftest import text_at

POST = """\
---
title: "位置のテスト"
tags:
  - test
---

# 見出し：日本語

段落の中の [リンク](https://example.com/a) と ![画像](images/1.png "title") です。

- リスト項目 [リスト内のリンク](/posts/x/)
  - 入れ子 [深いリンク](/posts/y/) と `[code](/no)`
- 改行で終わるリンク [メルカリ : 長いタイトル
](https://example.com/b)

> 引用 [引用内のリンク](https://example.com/q)
> > 二重引用 [二重](https://example.com/qq)

| 列 | リンク |
|----|--------|
| 表 | [表内](https://example.com/t) |

本文の脚注[^note]と https://example.com/bare の裸の URL。

```python
print("[not a link](/nowhere)")
```

{{< youtube id="abc" >}} と {{% notice %}}[中](/x){{% /notice %}}

{% highlight ruby %}
puts "[liquid](/nope)"
{% endhighlight %}

<!-- blogtools-disable-next-line BT201 -->
<div>raw <a href="/h">html</a></div>

[参照リンク][ref] と [^note2]

[ref]: https://example.com/ref
[^note]: 脚注の中の [脚注リンク](https://example.com/fn)

    続きの段落 [続き](https://example.com/fn2)
[^note2]: 二つ目
"""


@pytest.fixture(scope="module")
def doc() -> Document:
    return Document.from_text("post.md", POST)


def _links(doc: Document) -> dict[str, object]:
    return {n.text: n for n in doc.nodes("link", "image")}


@pytest.mark.parametrize(
    "label, url, container",
    [
        ("リンク", "https://example.com/a", ""),
        ("画像", "images/1.png", ""),
        ("リスト内のリンク", "/posts/x/", "list_item"),
        ("深いリンク", "/posts/y/", "list_item/list_item"),
        ("メルカリ : 長いタイトル\n", "https://example.com/b", "list_item"),
        ("引用内のリンク", "https://example.com/q", "block_quote"),
        ("二重", "https://example.com/qq", "block_quote/block_quote"),
        ("表内", "https://example.com/t", ""),
        ("参照リンク", "https://example.com/ref", ""),
        ("脚注リンク", "https://example.com/fn", "footnote"),
        ("続き", "https://example.com/fn2", "footnote"),
    ],
)
def test_link_spans(doc: Document, label: str, url: str, container: str) -> None:
    node = _links(doc)[label]
    assert node.url == url
    assert node.container == container
    assert doc.text[node.text_start : node.text_end] == label
    assert doc.text[node.start] in "[!"
    if label != "参照リンク":
        assert doc.text[node.url_start : node.url_end] == url
    # line:column round trip
    line, col = doc.position(node.text_start)
    assert doc.text.splitlines(keepends=True)[line - 1][col - 1 :].startswith(label.split("\n")[0])


def test_nothing_inside_code_shortcodes_or_liquid_is_a_link(doc: Document) -> None:
    urls = {n.url for n in doc.nodes("link", "image", "autolink")}
    assert "/nowhere" not in urls and "/no" not in urls and "/nope" not in urls
    assert "/x" in urls  # the inner text of a {{% %}} shortcode is Markdown
    kinds = [n.kind for n in doc.nodes("code_span", "code_block", "shortcode", "liquid")]
    assert kinds.count("shortcode") == 3
    assert kinds.count("liquid") == 2


def test_headings_footnotes_and_bare_urls(doc: Document) -> None:
    heading = next(doc.nodes("heading"))
    assert heading.text == "見出し：日本語" and heading.level == 1
    assert doc.text[heading.text_start : heading.text_end] == "見出し：日本語"
    refs = [n.text for n in doc.nodes("footnote_ref")]
    assert refs == ["note", "note2"]
    defs = [n for n in doc.nodes("footnote_def")]
    assert [d.text for d in defs] == ["note", "note2"]
    assert doc.text[defs[0].text_start : defs[0].text_end] == "note"
    bare = [n for n in doc.nodes("autolink") if n.attrs and n.attrs.get("bare")]
    assert [n.url for n in bare] == ["https://example.com/bare"]
    assert doc.text[bare[0].start : bare[0].end] == "https://example.com/bare"


def test_html_and_comments(doc: Document) -> None:
    comments = [n.text for n in doc.nodes("html_comment")]
    assert "blogtools-disable-next-line BT201" in comments
    blocks = [n for n in doc.nodes("html_block")]
    assert any("<div>" in b.text for b in blocks)


def test_crlf_and_bom_positions() -> None:
    raw = POST.replace("\n", "\r\n").encode("utf-8")
    doc = Document.from_bytes("crlf.md", b"\xef\xbb\xbf" + raw)
    assert doc.bom and doc.newline == "\r\n"
    lf = Document.from_text("lf.md", POST)
    for a, b in zip(doc.nodes("link"), lf.nodes("link")):
        assert doc.position(a.text_start) == lf.position(b.text_start)
        assert doc.text[a.url_start : a.url_end] == b.url


def test_wide_characters_and_surrogates_count_as_one_column() -> None:
    doc = Document.from_text("e.md", "😀漢字 [x](y)\n")
    node = next(doc.nodes("link"))
    assert doc.position(node.start) == (1, 5)
    assert text_at(doc.text, 1, 5, 1, 11) == "[x](y)"


def test_unterminated_front_matter_has_no_body() -> None:
    doc = Document.from_text("u.md", "---\ntitle: x\n[a](b)\n")
    assert doc.front_matter.error
    assert list(doc.nodes("link")) == []


def test_json_front_matter_positions() -> None:
    doc = Document.from_text("j.md", '{\n  "title": "JSON",\n  "tags": ["a"]\n}\n\n[x](y)\n')
    fm = doc.front_matter
    assert fm.format == "json" and fm.data["title"] == "JSON"
    assert doc.text[fm.positions[("title",)].key_start :].startswith('title"')
    assert next(doc.nodes("link")).url == "y"


def test_toml_positions() -> None:
    doc = Document.from_text("t.md", '+++\ntitle = "T"\ntags = ["a", "b "]\n[cover]\nimage = "x.png"\n+++\nbody\n')
    fm = doc.front_matter
    span = fm.positions[("tags", 1)]
    assert doc.text[span.value_start : span.value_end] == '"b "'
    span = fm.positions[("cover", "image")]
    assert doc.text[span.key_start : span.key_end] == "image"
    assert doc.text[span.value_start : span.value_end] == '"x.png"'


def test_footnote_lazy_continuation_keeps_its_link() -> None:
    text = "本文[^memo]。\n\n[^memo]: [発表資料\n](https://example.com/slides)\n[^b]: 次\n"
    doc = Document.from_text("f.md", text)
    link = next(doc.nodes("link"))
    assert link.container == "footnote" and link.url == "https://example.com/slides"
    assert doc.text[link.text_start : link.text_end] == "発表資料\n"
    assert [n.text for n in doc.nodes("footnote_def")] == ["memo", "b"]


# --------------------------------------------------------------------------- kind index
def _walk(body, *kinds):  # the definition Body.iter must keep: a filter over ``nodes``
    return [n for n in body.nodes if n.kind in kinds]


KIND_POST = POST + """
Text with `code`, <span>html</span>, <https://auto.example>, https://bare.example/x and [^1].
{{< figure src="a.png" >}} {{% note %}}x{{% /note %}} {% raw %}{{ y }}{% endraw %}

```go
fmt.Println("[not](a-link)")
```

<!-- a comment -->

[^1]: A footnote with [a link](/f/).
"""


def test_kind_index_gives_exactly_what_a_walk_gives() -> None:
    body = Document.from_text("p.md", KIND_POST).body
    kinds = sorted({n.kind for n in body.nodes}) + ["no_such_kind"]
    assert len(kinds) > 10
    for a in kinds:
        assert list(body.iter(a)) == _walk(body, a), a
        for b in kinds:
            assert list(body.iter(a, b)) == _walk(body, a, b), (a, b)
            assert list(body.iter(b, a, b)) == _walk(body, a, b), (a, b)
    assert list(body.iter("link", "image", "autolink", "heading")) == _walk(body, "link", "image", "autolink", "heading")
    assert list(body.iter()) == []


def test_kind_index_keeps_document_order_for_nodes_with_the_same_span() -> None:
    from blogtools.markdown import Body, Node

    nodes = [Node("b", 0, 5), Node("a", 0, 5), Node("b", 0, 5), Node("a", 2, 3)]
    body = Body(nodes, [])
    assert list(body.iter("a", "b")) == nodes
    assert [id(n) for n in body.iter("b", "a")] == [id(n) for n in nodes]


def test_kind_index_follows_a_replaced_or_grown_node_list() -> None:
    from blogtools.markdown import Body, Node

    body = Body([Node("a", 0, 1)], [])
    assert len(list(body.iter("a"))) == 1
    body.nodes.append(Node("a", 2, 3))
    assert len(list(body.iter("a"))) == 2
    body.nodes = [Node("b", 0, 1)]
    assert list(body.iter("a")) == [] and len(list(body.iter("b"))) == 1
