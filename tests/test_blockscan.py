"""The fast block scanner must give exactly the body mistune gives, or step aside.

Every comparison parses the same text both ways (``BLOGTOOLS_PARSER`` switched in-process)
and compares every node and leaf field, positions included. Inputs: every Markdown file under
``fixtures/`` and ``tests/``, posts from the benchmark generator, and random documents built
from the block shapes blog posts have (and the awkward ones: lazy lines, tabs, setext
underlines, tables that are not tables, unclosed fences, nested containers).
"""

from __future__ import annotations

import os
import random
import sys

import pytest

from blogtools import blockscan, markdown
from blogtools.document import Document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _both(text: str, start: int = 0) -> tuple[markdown.Body, markdown.Body | None, str]:
    saved = markdown.PARSER
    try:
        markdown.PARSER = "mistune"
        reference = markdown.parse_body(text, start)
    finally:
        markdown.PARSER = saved
    templates, masked = markdown.prepare_body(text, start)
    body = markdown.Body(list(templates), [])
    try:
        blockscan.parse(masked, start, body)
    except blockscan.Fallback as exc:
        return reference, None, str(exc)
    markdown.resolve_references(body)
    body.nodes.sort(key=lambda n: (n.start, n.end))
    return reference, body, ""


def _key(body: markdown.Body) -> tuple[list[tuple], list[tuple]]:
    nodes = [(n.kind, n.start, n.end, n.text, n.url, n.text_start, n.text_end, n.url_start, n.url_end,
              n.level, n.container, n.attrs) for n in body.nodes]
    leaves = [(leaf.kind, leaf.text, leaf.container, leaf._starts, leaf._offsets) for leaf in body.leaves]
    return nodes, leaves


def _assert_same(text: str, start: int = 0, label: str = "") -> bool:
    reference, fast, _why = _both(text, start)
    if fast is None:
        return False
    ref_nodes, ref_leaves = _key(reference)
    fast_nodes, fast_leaves = _key(fast)
    assert fast_nodes == ref_nodes, f"{label}: nodes differ for {text!r}"
    assert fast_leaves == ref_leaves, f"{label}: leaves differ for {text!r}"
    return True


def _markdown_files() -> list[str]:
    found = []
    for base in ("fixtures", "tests"):
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, base)):
            found += [os.path.join(dirpath, f) for f in files if f.endswith((".md", ".markdown"))]
    return sorted(found)


def test_fixtures_parse_the_same_and_mostly_fast() -> None:
    fast = total = 0
    for path in _markdown_files():
        try:
            doc = Document.read(path)
            doc.front_matter  # noqa: B018 - sets body_start
        except Exception:  # noqa: BLE001 - bad-input fixtures
            continue
        total += 1
        fast += _assert_same(doc.text, doc.body_start, os.path.relpath(path, ROOT))
    assert total > 100
    assert fast / total > 0.9, f"only {fast} of {total} fixture posts took the fast path"


def test_generated_posts_parse_the_same_and_all_fast(tmp_path) -> None:
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    generate.generate(300, str(tmp_path), seed=7)
    paths = [os.path.join(d, f) for d, _s, fs in os.walk(tmp_path / "content") for f in fs if f.endswith(".md")]
    assert len(paths) == 300
    fast = 0
    for path in paths:
        doc = Document.read(path)
        doc.front_matter  # noqa: B018
        fast += _assert_same(doc.text, doc.body_start, path)
    assert fast == len(paths)


# --------------------------------------------------------------------------- random documents
_WORDS = ["静的サイト", "移行", "Hugo", "設定", "テスト", "review", "Kubernetes", "の", "を", "です。",
          "`code`", "[リンク](/posts/a/)", "![画像](images/1.png)", "[^1]", "**太字**", "a|b", "<span>x</span>",
          "https://example.com/x", "\u3000", "#tag", "1.", "- ", "> ", "\x1a\x1a", "[GitHub の\nリポジトリ](/x/)",
          "\\*", "&amp;", "---", "==", "<!-- c -->", "~~~", "```", "[ref]", "[本文][Ref]", "[ref][]"]


def _inline(r: random.Random) -> str:
    return " ".join(r.choice(_WORDS) for _ in range(r.randint(1, 6)))


def _paragraph(r: random.Random) -> str:
    return "\n".join(_inline(r) for _ in range(r.randint(1, 3)))


def _list(r: random.Random, depth: int = 0) -> str:
    ordered = r.random() < 0.3
    bullet = r.choice("-*+")
    out = []
    for k in range(r.randint(1, 4)):
        marker = f"{r.choice([1, k + 1, 2])}{r.choice('..)')}" if ordered else bullet
        gap = " " * r.choice([1, 1, 1, 2, 4, 5])
        pad = " " * r.choice([0, 0, 1, 3]) if depth == 0 else ""
        text = _inline(r) if r.random() < 0.95 else ""
        out.append(f"{pad}{marker}{gap}{text}")
        width = len(pad) + len(marker) + len(gap)
        roll = r.random()
        if roll < 0.2 and depth < 2:
            out += [" " * width + line for line in _list(r, depth + 1).split("\n")]
        elif roll < 0.3:
            out.append(" " * r.choice([width, width - 1, 0, width + 2]) + _inline(r))
        elif roll < 0.35:
            out.append(" " * width + "```\n" + " " * width + "code\n" + " " * width + "```")
        elif roll < 0.4:
            out.append("")
    return "\n".join(out)


def _block(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.3:
        return _paragraph(r)
    if kind < 0.4:
        return " " * r.choice([0, 0, 1, 4]) + "#" * r.randint(1, 7) + r.choice([" ", "", "\t"]) + _inline(r) + r.choice(["", " ##", " #\u3000"])
    if kind < 0.5:
        fence = r.choice(["```", "~~~", "````"])
        info = r.choice(["", "python", "go {linenos=true}", "a`b", "x\\y"])
        close = r.choice([fence, fence, "", "```"])
        return " " * r.choice([0, 0, 2]) + fence + info + "\n" + "\tcode\n  more\n" + close
    if kind < 0.65:
        return _list(r)
    if kind < 0.72:
        lines = [r.choice(["> ", ">", "  > ", "> > "]) + _inline(r) for _ in range(r.randint(1, 3))]
        if r.random() < 0.3:
            lines.append(_inline(r))  # lazy
        if r.random() < 0.2:
            lines.insert(1, "> - item")
        return "\n".join(lines)
    if kind < 0.78:
        head = r.choice(["| a | b |", "a | b", "|a|b|", "| a |"])
        align = r.choice(["|---|---|", "--- | ---", "|:-:|--:|", "|---|", "| x |"])
        rows = [r.choice(["| 1 | 2 |", "1 | 2", "| 1 |", "| [l](/a/) | `c|d` |"]) for _ in range(r.randint(0, 3))]
        return "\n".join([head, align, *rows])
    if kind < 0.83:
        return r.choice([
            "<div class=\"x\">\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n</div>",
            "<!-- note -->", "<!--\nmulti\n-->", "<script>\nx()\n</script>", "<span>inline</span>",
            "<img src=\"a.png\">", "</div>", "<?php x ?>", "<!DOCTYPE html>", "<DIV>\nx", "<custom-tag a=1>",
        ])
    if kind < 0.9:
        key = r.choice(["1", "note", "twitter", "長い"])
        extra = r.choice(["", "\n    続き", "\n\n    > 引用\n    > 続き", "\nlazy line", "\n  two"])
        return f"[^{key}]: {_inline(r)}{extra}"
    if kind < 0.93:
        return r.choice(["---", "***", "___", "- - -", "* * *", "===", "--", "-", "+", "1."])
    if kind < 0.95:
        # link reference definitions, as mistune reads them (the scanner reads them too)
        return r.choice(["[ref]: https://example.com/", '[ref]: /a "title"', "[Ref]: <my url> 'title'",
                         '[ref]:\n/next-line\n"title"', '[ref]: /a "title" junk', "[ref]: /a\n'two\nlines'",
                         "[]: /empty", "[ref]:", "  [ref]: /b (paren title)", "[a\nb]: /ml", "- [ref]: /item",
                         "1. x\n   [ref]: /in-item", "text\n[ref]: /in-paragraph", "[ref]: /a\n[ref]: /b",
                         "[ref]: /a\n\n'not a title'", "[ref]: /a 'unclosed", "[ref\\]]: /esc", "[ref]: /x ((y))"])
    if kind < 0.97:
        return r.choice(["    indented code", "\tindented", "     ", "text\n===", "\x1a\x1a\x1a\x1a"])
    return r.choice(["{{< figure src=\"a.png\" >}}", "{{< youtube x >}}", "{% include x %}"])


def _document(r: random.Random) -> str:
    parts = [_block(r) for _ in range(r.randint(1, 8))]
    seps = ["\n\n", "\n\n", "\n", "\n\n\n", "\n  \n"]
    text = parts[0]
    for part in parts[1:]:
        text += r.choice(seps) + part
    if r.random() < 0.1:
        text = text.replace("\n", "\r\n")
    return text + r.choice(["", "\n", "\n\n"])


@pytest.mark.parametrize("seed", range(4))
def test_random_documents_parse_the_same(seed: int) -> None:
    r = random.Random(seed)
    fast = 0
    runs = 1500
    for k in range(runs):
        text = _document(r)
        prefix = "---\ntitle: x\n---\n" if k % 3 == 0 else ""
        fast += _assert_same(prefix + text, len(prefix), f"seed {seed} doc {k}")
    assert fast > runs * 0.25  # the shapes above are awkward on purpose; most still go fast


def test_parser_switch_is_honoured(monkeypatch) -> None:
    calls = []
    original = blockscan.parse

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(blockscan, "parse", spy)
    markdown.parse_body("# a\n\ntext\n", 0)
    assert calls
    calls.clear()
    monkeypatch.setattr(markdown, "PARSER", "mistune")
    markdown.parse_body("# a\n\ntext\n", 0)
    assert not calls
