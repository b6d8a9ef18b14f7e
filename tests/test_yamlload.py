"""Tests for blogtools.yamlload: the fast loader must agree with ruamel."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
import timeit
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtools.yamlload import (
    MAX_NODES,
    Loaded,
    YamlError,
    _simple_patterns,
    load,
    load_fast,
    load_ruamel,
)

JST = dt.timezone(dt.timedelta(hours=9))


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

_PLAIN_TYPES = (str, int, float, bool, type(None), dt.date, dt.datetime)


def typed(obj: Any) -> Any:
    """A comparable form that tells apart 1 / 1.0 / True, naive / aware, offsets."""
    if isinstance(obj, dict):
        assert type(obj) is dict
        return ("dict", [(typed(k), typed(v)) for k, v in obj.items()])
    if isinstance(obj, list):
        assert type(obj) is list
        return ("list", [typed(item) for item in obj])
    if isinstance(obj, tuple):
        return ("tuple", [typed(item) for item in obj])
    assert type(obj) in _PLAIN_TYPES, f"not a plain value: {type(obj)!r}"
    if isinstance(obj, dt.datetime):
        return ("datetime", obj.isoformat(), repr(obj.tzinfo))
    return (type(obj).__name__, repr(obj))


def assert_same(fast: Loaded, slow: Loaded, text: str) -> None:
    assert typed(fast.data) == typed(slow.data), text
    assert fast.positions == slow.positions, text
    assert fast.duplicates == slow.duplicates, text


def check_against_ruamel(text: str) -> Loaded | None:
    """load_fast is None, or equal to load_ruamel; it never accepts bad YAML."""
    fast = load_fast(text)
    try:
        slow = load_ruamel(text)
    except YamlError:
        assert fast is None, f"fast loader accepted invalid YAML: {text!r}"
        return None
    if fast is not None:
        assert_same(fast, slow, text)
    return fast


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def fm(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# ---------------------------------------------------------------------------
# corpus: (name, text, fast path expected to answer)
# ---------------------------------------------------------------------------

HUGO = fm("""
    title: "My First Post"
    date: 2020-06-13T23:06:44+09:00
    draft: false
    tags: ["hugo", "blog"]
    categories:
      - tech
    """)
MEDIUM = fm("""
    title: Understanding Transformers
    subtitle: A gentle introduction
    author: Jane Doe
    published: 2018-07-15T09:31:28.466Z
    canonical_url: https://medium.com/@jane/understanding-transformers-1a2b3c
    tags:
    - Machine Learning\x20
    - Deep Learning\x20\x20
    - NLP\x20
    """)
HATENA = fm("""
    Title: はてなブログの記事
    Category:
    - 日記
    - プログラミング
    Date: 2019-10-29T10:00:00+09:00
    URL: https://example.hatenablog.com/entry/2019/10/29/100000
    EditURL: https://blog.hatena.ne.jp/example/example.hatenablog.com/atom/entry/2600
    Draft: true
    """)
TYPICAL = fm("""
    title: "Building a static blog with Hugo"
    description: A walk through themes, shortcodes and deployment
    date: 2021-03-04T05:06:07+09:00
    lastmod: 2021-03-05
    draft: false
    author: Taro Yamada
    tags: [hugo, "static site", go]
    categories:
      - web
      - tutorial
    cover:
      image: "images/cover.png"
      alt: "Hugo logo"
    """)

CORPUS: list[tuple[str, str, bool]] = [
    ("hugo", HUGO, True),
    ("hugo-crlf", crlf(HUGO), True),
    ("medium", MEDIUM, True),
    ("medium-crlf", crlf(MEDIUM), True),
    ("hatena", HATENA, True),
    ("typical", TYPICAL, True),
    ("jekyll", fm("""
        layout: post
        title:  "Welcome to Jekyll!"
        date:   2019-10-29 10:00:00 +0900
        categories: jekyll update
        """), True),
    ("date-only", "date: 2016-06-13\n", True),
    ("date-utc-millis", "date: 2018-07-15T09:31:28.466Z\n", True),
    ("date-offset", "date: 2020-06-13T23:06:44+09:00\n", True),
    ("date-quoted", 'date: "2019-10-29 10:00:00 +0900"\n', True),
    ("date-space-offset", "date: 2019-10-29 10:00:00 +09:00\n", True),
    ("date-naive", "date: 2019-10-29 10:00:00\nd2: 2019-1-2\nd3: 2019-01-02 1:00:00\n", True),
    ("date-fraction", "a: 2021-03-04 05:06:07.1234567\nb: 2021-03-04T05:06:07.9999999Z\n", True),
    ("cover", fm("""
        title: "Post"
        cover:
          image: "images/cover.png"
          alt: "A cover"
          caption: "Photo by someone"
          relative: false
          hidden: true
        weight: 3
        """), True),
    ("empty-values", "description:\nsummary: ~\nimage: null\nnote: Null\nother: NULL\nlast:", True),
    ("empty-value-comment", "description:   # none yet\ntitle: x\nsummary:\n\n# trailing\n", True),
    ("comments", fm("""
        # comment at top
        title: x # trailing
        # between
        tags: # tags
          - a # one
            # odd indent comment
          - b
        """), True),
    ("booleans", "draft: yes\ncomments: on\ntoc: True\nmath: FALSE\nmermaid: no\nx: off\n", True),
    ("numbers", fm("""
        weight: 10
        rating: 4.5
        version: 1.10
        id: 007
        hex: 0x1F
        oct: 0o17
        bin: 0b101
        big: 1_000
        neg: -3
        pos: +3
        exp: 1e3
        small: .5
        """), True),
    ("special-floats", "a: .inf\nb: -.INF\nc: .NaN\nd: +.Inf\ne: -0.0\n", True),
    ("escapes", 'title: "He said \\"hi\\"\\tand \\\\ left"\nsummary: \'It\'\'s fine\'\n'
                'emoji: "\\U0001F600 \\u00e9 \\x41 \\/"\n', True),
    ("japanese", "title: 日本語のタイトル：副題\n"
                 "説明: これはテストです。\n", True),
    ("url-colon", "link: https://example.com:8080/path?x=1#frag\n", True),
    ("hash-in-plain", "title: C# tips\nissue: Issue #42\n", True),
    ("brackets-in-plain", "title: Hello [World]\nlist: a, b\nbraces: x {y}\n", True),
    ("seq-of-maps", fm("""
        authors:
          - name: Alice
            url: https://alice.example
          - name: Bob
        resources:
        - src: "a.jpg"
          title: "A"
        -   src: b.jpg
            params:
              credit: me
        """), True),
    ("empty-flow", "tags: []\naliases: [ ]\n", True),
    ("flow-mixed", "keywords: [Machine Learning, \"AI\", 3, 2016-06-13, true, ~, 'it''s']\n", True),
    ("key-forms", '"quoted key": 1\n\'single key\': 2\nkey with spaces: 3\ntitle : x\n', True),
    ("duplicates", "title: a\ntags: [x]\ntitle: b\ncover:\n  image: x\n  image: y\n", True),
    ("duplicate-block", "a:\n  x: 1\nb: 2\na:\n  y: 1\n  y: 2\n", True),
    ("sexagesimal", "time: 12:30\nversion: 1.2.3\n", True),
    ("empty", "", True),
    ("comment-only", "# just a comment\n\n", True),
    ("deep", fm("""
        a:
          b:
            c:
              - d: [1, 2]
                e: f
              -
                g: h
              -
                - nested
        z: end
        """), True),
    ("seq-nulls", "tags:\n-\n- a\n-   # nothing\nnext: 1\n", True),
    ("trailing-spaces", "title: 'x'   \nname: y   \nn: 3  \nl: [a]  \n", True),
    ("eof-no-newline", "title: x\nempty:", True),
    ("indented-root", "  title: x\n  tags:\n  - a\n", True),
    # outside the subset: the fast path must step aside
    ("anchors", "defaults: &d\n  a: 1\nother: *d\n", False),
    ("merge", "base: &b\n  a: 1\nderived:\n  <<: *b\n  c: 2\n", False),
    ("block-literal", "description: |\n  line one\n  line two\n", False),
    ("block-folded", "description: >-\n  folded\n  text\n", False),
    ("multi-line-plain", "description: a long\n  continued line\n", False),
    ("multi-line-quoted", 'description: "a long\n  continued"\n', False),
    ("flow-mapping", "params: {a: 1, b: 2}\n", False),
    ("tag", "date: !!str 2020-01-01\n", False),
    ("python-tag", 'x: !!python/object/apply:os.system ["echo hi"]\n', False),
    ("int-key", "2020: year\n", False),
    ("bool-key", "true: x\n", False),
    ("complex-key", "? a\n: b\n", False),
    ("root-list", "- a\n- b\n", False),
    ("doc-markers", "a: 1\n---\nb: 2\n", False),
    ("tab", "a:\n\tb: 1\n", False),
    ("directive", "%YAML 1.1\n---\na: yes\n", False),
    ("multi-line-flow", "tags: [a,\n  b]\n", False),
    ("invalid-nested-value", "title: a: b\n", False),
    ("invalid-indent", "a:\n  b: 1\n c: 2\n", False),
]


@pytest.mark.parametrize("name,text,fast_expected", CORPUS, ids=[c[0] for c in CORPUS])
def test_corpus_fast_matches_ruamel(name: str, text: str, fast_expected: bool) -> None:
    fast = check_against_ruamel(text)
    assert (fast is not None) == fast_expected


def test_corpus_is_big_enough() -> None:
    assert sum(1 for _, _, fast in CORPUS if fast) >= 30


def test_hugo_values() -> None:
    loaded = load_fast(HUGO)
    assert loaded is not None
    assert loaded.data == {
        "title": "My First Post",
        "date": dt.datetime(2020, 6, 13, 23, 6, 44, tzinfo=JST),
        "draft": False,
        "tags": ["hugo", "blog"],
        "categories": ["tech"],
    }
    assert loaded.data["date"].utcoffset() == dt.timedelta(hours=9)


def test_date_formats() -> None:
    text = fm("""
        a: 2016-06-13
        b: 2018-07-15T09:31:28.466Z
        c: 2020-06-13T23:06:44+09:00
        d: "2019-10-29 10:00:00 +0900"
        e: 2019-10-29 10:00:00 +09:00
        f: 2019-10-29 10:00:00 +0900
        g: 2019-10-29 10:00:00
        """)
    for loaded in (load_fast(text), load_ruamel(text)):
        assert loaded is not None
        data = loaded.data
        assert type(data["a"]) is dt.date and data["a"] == dt.date(2016, 6, 13)
        assert data["b"] == dt.datetime(2018, 7, 15, 9, 31, 28, 466000, tzinfo=dt.timezone.utc)
        assert data["b"].tzinfo is dt.timezone.utc
        assert data["c"] == dt.datetime(2020, 6, 13, 23, 6, 44, tzinfo=JST)
        assert data["c"].hour == 23 and data["c"].utcoffset() == dt.timedelta(hours=9)
        assert data["d"] == "2019-10-29 10:00:00 +0900"
        assert data["e"].hour == 10 and data["e"].utcoffset() == dt.timedelta(hours=9)
        assert data["f"] == "2019-10-29 10:00:00 +0900"  # not a YAML timestamp
        assert data["g"] == dt.datetime(2019, 10, 29, 10) and data["g"].tzinfo is None


def test_trailing_spaces_are_stripped() -> None:
    loaded = load_fast(MEDIUM)
    assert loaded is not None
    assert loaded.data["tags"] == ["Machine Learning", "Deep Learning", "NLP"]
    assert loaded.positions[("tags", 0)] == (6, 2, 6, 2, 6, 18)


def test_yes_no_are_strings_and_empty_is_null() -> None:
    loaded = load("draft: yes\ntoc: off\nsummary:\nx: ~\n")
    assert loaded.data == {"draft": "yes", "toc": "off", "summary": None, "x": None}


# ---------------------------------------------------------------------------
# positions
# ---------------------------------------------------------------------------

def _slice(lines: list[str], line: int, col: int, end_line: int, end_col: int) -> str:
    if line == end_line:
        return lines[line][col:end_col]
    parts = [lines[line][col:], *lines[line + 1:end_line], lines[end_line][:end_col]]
    return "\n".join(parts)


def _check_value_text(value: Any, written: str) -> None:
    if isinstance(value, dict):
        first = next(iter(value))
        assert written.lstrip("'\"").startswith(str(first)[:1])
    elif isinstance(value, list):
        assert written[:1] in ("-", "[")
        if written[:1] == "[":
            assert written.endswith("]")
    elif isinstance(value, str) and written[:1] in ("'", '"'):
        assert written[-1] == written[0] and len(written) >= 2
    elif isinstance(value, str):
        assert written == value
    elif value is None:
        assert written in ("", "~", "null", "Null", "NULL")
    else:
        assert written and written == written.strip() and " #" not in written


def _check_positions(text: str, loaded: Loaded) -> None:
    lines = [line.rstrip("\r") for line in text.split("\n")]
    for path, span in loaded.positions.items():
        assert isinstance(span, tuple) and len(span) == 6
        value: Any = loaded.data
        for part in path:
            value = value[part]
        written = _slice(lines, *span[2:])
        _check_value_text(value, written)
        key = path[-1]
        if isinstance(key, int):
            assert span[:2] == span[2:4]
        else:
            at_key = lines[span[0]][span[1]:]
            quoted = at_key[:1] in ("'", '"') and key in at_key.replace("''", "'")
            assert at_key.startswith(key) or quoted


@pytest.mark.parametrize("name,text,fast_expected",
                         [c for c in CORPUS if c[2]], ids=[c[0] for c in CORPUS if c[2]])
def test_positions_point_at_keys_and_values(name: str, text: str, fast_expected: bool) -> None:
    for loaded in (load_fast(text), load_ruamel(text)):
        assert loaded is not None
        _check_positions(text, loaded)


def test_positions_exact() -> None:
    text = fm("""
        title: "Hello"  # c
        tags:
          - a
          - [x, 'y']
        cover:
          image: pic.png
        """)
    loaded = load_fast(text)
    assert loaded is not None
    pos = loaded.positions
    assert pos[("title",)] == (0, 0, 0, 7, 0, 14)
    assert pos[("tags",)] == (1, 0, 2, 2, 3, 12)
    assert pos[("tags", 0)] == (2, 4, 2, 4, 2, 5)
    assert pos[("tags", 1)] == (3, 4, 3, 4, 3, 12)
    assert pos[("tags", 1, 1)] == (3, 8, 3, 8, 3, 11)
    assert pos[("cover",)] == (4, 0, 5, 2, 5, 16)
    assert pos[("cover", "image")] == (5, 2, 5, 9, 5, 16)
    assert load_ruamel(text).positions == pos


# ---------------------------------------------------------------------------
# errors, safety, duplicates
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,line,column,message", [
    ("title: ok\ndesc: a: b\n", 1, 7, "mapping values are not allowed here"),
    ("a: 1\nb: [x, y\nc: 2\n", 2, 1, None),
    ("a: 1\nb:\n\t- x\n", 2, 0, None),
    ('a: "unterminated\n', 1, 0, None),
    ("a: 1\nb: \x00\n", 1, 3, None),
])
def test_syntax_errors(text: str, line: int, column: int, message: str | None) -> None:
    with pytest.raises(YamlError) as info:
        load(text)
    error = info.value
    assert (error.line, error.column) == (line, column)
    assert "\n" not in error.message and error.message
    if message is not None:
        assert error.message == message
    assert load_fast(text) is None


def test_python_tags_construct_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: calls.append(a))
    text = fm("""
        a: !!python/object/apply:os.system ["echo hi"]
        b: !!python/object/new:subprocess.Popen [["echo", "hi"]]
        c: !!python/name:os.system
        d: !!python/object:os.PathLike {x: 1}
        """)
    loaded = load(text)
    assert calls == []
    assert loaded.data["a"] == ["echo hi"]
    assert loaded.data["b"] == [["echo", "hi"]]
    assert loaded.data["c"] == ""
    assert loaded.data["d"] == {"x": 1}
    typed(loaded.data)  # only plain values
    root = load_ruamel('!!python/object/apply:os.system ["echo hi"]\n')
    assert calls == [] and root.data == ["echo hi"]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    with pytest.raises(YamlError, match=str(MAX_NODES)):
        load(text)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("text", ["a: &a [1, *a]\n", "a: &a {x: *a}\n", "a: &a\n  x: *a\n",
                                  "a: &a\n  - *a\n"])
def test_recursive_alias_terminates(text: str) -> None:
    started = time.perf_counter()
    try:
        typed(load(text).data)  # ruamel loads the inner reference as None
    except YamlError:
        pass
    assert time.perf_counter() - started < 1.0


def test_small_aliases_are_fine() -> None:
    loaded = load("base: &b\n  x: 1\nother: *b\n")
    assert loaded.data == {"base": {"x": 1}, "other": {"x": 1}}
    assert loaded.positions[("other", "x")] == (1, 2, 1, 5, 1, 6)


def test_duplicates_reported_at_second_occurrence() -> None:
    text = "title: first\ntags: [a]\ntitle: second\ncover:\n  image: a\n  image: b\n"
    fast, slow = load_fast(text), load_ruamel(text)
    assert fast is not None
    for loaded in (fast, slow):
        assert loaded.data == {"title": "first", "tags": ["a"], "cover": {"image": "a"}}
        assert loaded.duplicates == [(("title",), 2, 0), (("cover", "image"), 5, 2)]
        assert loaded.positions[("title",)] == (0, 0, 0, 7, 0, 12)
    assert_same(fast, slow, text)


def test_ruamel_types_become_plain() -> None:
    text = fm("""
        a: !!set {x, y}
        b: !!omap [p: 1, q: 2]
        c: &n 0x10
        d: *n
        e: !custom 3
        f: !!binary aGk=
        g: 2020-06-13T23:06:44+09:00
        ? [k1, k2]
        : complex
        """)
    loaded = load(text)
    data = loaded.data
    assert data["a"] == {"x", "y"} and type(data["a"]) is set
    assert data["b"] == {"p": 1, "q": 2} and type(data["b"]) is dict
    assert (data["c"], data["d"], data["e"]) == (16, 16, "3")
    assert type(data["c"]) is int and type(data["e"]) is str
    assert data["f"] == b"hi"
    assert type(data["g"]) is dt.datetime and data["g"].tzinfo == JST
    assert data[("k1", "k2")] == "complex"


def test_duplicates_in_ruamel_path() -> None:
    text = "a: &x 1\na: 2\nb: *x\n"
    loaded = load(text)
    assert loaded.data == {"a": 1, "b": 1}
    assert loaded.duplicates == [(("a",), 1, 0)]


def test_load_uses_fast_path_and_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import blogtools.yamlload as module

    def boom(text: str) -> Loaded:
        raise AssertionError("fallback used")

    monkeypatch.setattr(module, "load_ruamel", boom)
    assert load(TYPICAL).data["title"] == "Building a static blog with Hugo"
    monkeypatch.undo()
    assert load("a: &x 1\nb: *x\n").data == {"a": 1, "b": 1}


def test_module_import_does_not_import_ruamel() -> None:
    code = ("import sys, blogtools.yamlload as y; y.load_fast('a: 1\\n'); "
            "sys.exit('ruamel.yaml' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_unusual_text_falls_back() -> None:
    for text in ["a: b\x85c\n", "a: b\u2028c\n", "\ufeffa: 1\n", "a: 1\rb: 2\n", "a:\tb\n"]:
        check_against_ruamel(text)
        assert load_fast(text) is None


# ---------------------------------------------------------------------------
# hypothesis: random front matter from the subset grammar
# ---------------------------------------------------------------------------

KEYS = ["title", "date", "tags", "draft", "cover", "image", "Title", "説明", "key with space",
        "a", "b", "x_y", "URL", "C#", "a:b", "it's", "1a", "null_x", "truthy", "n"]
QUOTED_KEYS = ['"title"', "'title'", '"x y"', "'it''s'", '"true"', '"1"', '"\\u00e9"']
PLAIN_VALUES = [
    "hello", "Hello World", "Machine Learning", "C# tips", "a:b", "Issue #42",
    "https://example.com/a?b=1#c", "タイトル：副題", "yes", "no", "on", "off", "y", "n",
    "~", "null", "Null", "NULL", "true", "False", "TRUE", "0", "-1", "+3", "007", "0o17",
    "0x1F", "0b101", "1_000", "1.5", "-2.5e3", "1e5", "1E5", ".inf", "-.Inf", ".NaN", ".5",
    "1.", "2016-06-13", "2018-07-15T09:31:28.466Z", "2020-06-13T23:06:44+09:00",
    "2019-10-29 10:00:00 +0900", "2019-10-29 10:00:00 +09:00", "2019-10-29 10:00:00",
    "2019-1-2", "2019-01-02 1:00:00", "2019-02-30", "2019-10-29T10:00:00-5",
    "2021-03-04 05:06:07.1234567", "x [y]", "a, b", "-foo", "100%", "v1.2.3", "1.2.3",
    "12:30", "$var", "a'b", 'a"b', "x {y}", "a  b", "-", "--", "a?b", "==", "<",
    "a\u3000b", "\u3000lead", "nbsp\xa0", "\xa0x",
]
# what real front matter looks like: the fast path must answer for all of it
COMMON_KEYS = [k for k in KEYS if k not in ("C#", "a:b")] + ['"title"', "'it''s'", '"x y"']
COMMON_VALUES = [v for v in PLAIN_VALUES if v not in ("2019-02-30", "-")]
SAFE_STRINGS = ["", "x", "Hello, World", "it's", 'say "hi"', "a: b", "# not comment",
                "tab\there", "back\\slash", "é", "日本", "😀", " lead", "trail ", "\u3000"]
WILD_VALUES = ["&a x", "*a", "!!str x", "|", ">-", "{a: 1}", "? x", "[a, [b]]", "[a,]",
               "[a, , b]", "@x", "`x`", "%x", "a: b", "x:", "[a, b", "'unterminated",
               '"bad \\q escape"', "- x", ":x", "?x", "[a:b]", "[a #b]", "#x", "x\ty"]


def _dq(text: str, draw: Any) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\t":
            out.append(draw(st.sampled_from(["\\t", "\\u0009", "\\x09"])))
        elif ord(ch) > 127 and draw(st.booleans()):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@st.composite
def scalar_text(draw: Any, wild: bool, flow: bool = False, common: bool = False) -> str:
    kinds = ["plain"] * 4 + ["dq", "sq"] + ([] if common else ["text"]) + (["wild"] if wild else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "plain":
        value = draw(st.sampled_from(COMMON_VALUES if common else PLAIN_VALUES))
        if flow and any(c in value for c in ",[]{}#:?"):
            value = "flow"
        return value
    if kind == "dq":
        return _dq(draw(st.sampled_from(SAFE_STRINGS)), draw)
    if kind == "sq":
        text = draw(st.sampled_from(SAFE_STRINGS)).replace("\t", " ")
        return "'" + text.replace("'", "''") + "'"
    if kind == "text":
        alphabet = "ab 09:#-_.,'\"eE+T/" if wild else "abc09-_.eE+T/"
        text = draw(st.text(alphabet=alphabet, min_size=1, max_size=10)).strip(" ")
        return text or "z"
    return draw(st.sampled_from(WILD_VALUES))


def _key(draw: Any, wild: bool, common: bool) -> str:
    if common:
        return draw(st.sampled_from(COMMON_KEYS))
    if wild and draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["2020", "true", "~", "<<", "-k", "? k", "k #c", "[k]"]))
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(QUOTED_KEYS))
    return draw(st.sampled_from(KEYS))


def _comment(draw: Any) -> str:
    return draw(st.sampled_from(["", "", "", " # note", "  # c: x", " #"]))


def _extras(draw: Any, indent: int, wild: bool) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(0, 1))):
        pad = " " * draw(st.sampled_from([0, indent, indent + 3]))
        lines.append(draw(st.sampled_from(["", "   ", pad + "# comment", pad + "#"])))
    if wild and draw(st.integers(0, 14)) == 0:
        lines.append(draw(st.sampled_from(["---", "...", "  continued", "\tx: 1", " x: 1",
                                           "- stray", "%TAG x", "  - deeper"])))
    return lines


def _flow(draw: Any, wild: bool, common: bool) -> str:
    items = draw(st.lists(scalar_text(wild, flow=True, common=common), max_size=4))
    sep = draw(st.sampled_from([", ", ",", " , ", ",  "]))
    inner = sep.join(items)
    pad = draw(st.sampled_from(["", " "])) if items else draw(st.sampled_from(["", " "]))
    return "[" + pad + inner + pad + "]"


def _value_line(draw: Any, wild: bool, common: bool) -> str:
    if draw(st.integers(0, 4)) == 0:
        value = _flow(draw, wild, common)
    else:
        value = draw(scalar_text(wild, common=common))
    return value + " " * draw(st.integers(0, 2)) + _comment(draw)


def render_mapping(draw: Any, indent: int, depth: int, wild: bool, common: bool) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        pad = " " * indent
        key = _key(draw, wild, common)
        kinds = ["scalar", "scalar", "empty"] + (["seq", "map"] if depth < 3 else [])
        kind = draw(st.sampled_from(kinds))
        colon = draw(st.sampled_from([":", ":", " :"]))
        if kind == "scalar":
            space = " " * draw(st.integers(1, 3))
            lines.append(pad + key + colon + space + _value_line(draw, wild, common))
        elif kind == "empty":
            lines.append(pad + key + colon + draw(st.sampled_from(["", " ", " # none"])))
        elif kind == "seq":
            lines.append(pad + key + colon + _comment(draw))
            child = indent + draw(st.sampled_from([0, 2, 4]))
            lines += render_sequence(draw, child, depth + 1, wild, common)
        else:
            lines.append(pad + key + colon + _comment(draw))
            child = indent + draw(st.sampled_from([1, 2, 4]))
            lines += render_mapping(draw, child, depth + 1, wild, common)
        lines += _extras(draw, indent, wild)
    return lines


def render_sequence(draw: Any, indent: int, depth: int, wild: bool, common: bool) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        pad = " " * indent
        dash = "-" + " " * draw(st.integers(1, 3))
        kinds = ["scalar", "scalar", "empty"] + (["compact", "map", "seq"] if depth < 3 else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "scalar":
            lines.append(pad + dash + _value_line(draw, wild, common))
        elif kind == "empty":
            lines.append(pad + draw(st.sampled_from(["-", "- ", "-  # none"])))
        elif kind == "compact":
            col = indent + len(dash)
            block = render_mapping(draw, col, depth + 1, wild, common)
            lines.append(pad + dash + block[0][col:])
            lines += block[1:]
        else:
            lines.append(pad + "-" + _comment(draw))
            child = indent + draw(st.sampled_from([1, 2, 4]))
            render = render_mapping if kind == "map" else render_sequence
            lines += render(draw, child, depth + 1, wild, common)
        lines += _extras(draw, indent, wild)
    return lines


@st.composite
def front_matter(draw: Any, wild: bool = False, common: bool = False) -> str:
    lines = _extras(draw, 0, False) + render_mapping(draw, 0, 0, wild, common)
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n# end\n"]))
    if draw(st.booleans()):
        text = crlf(text)
    return text


HYPOTHESIS = settings(max_examples=300, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(front_matter())
def test_random_front_matter_fast_equals_ruamel(text: str) -> None:
    check_against_ruamel(text)


@HYPOTHESIS
@given(front_matter(wild=True))
def test_random_wild_front_matter_never_wrong(text: str) -> None:
    check_against_ruamel(text)


@HYPOTHESIS
@given(front_matter(common=True))
def test_random_common_front_matter_takes_fast_path(text: str) -> None:
    assert check_against_ruamel(text) is not None, text


@pytest.mark.skipif(sys.version_info < (3, 11), reason="needs possessive quantifiers")
@settings(max_examples=200, deadline=None)
@given(front_matter(wild=True))
def test_python310_patterns_agree(text: str) -> None:
    """The pattern variant used on Python 3.10 matches exactly like the 3.11 one."""
    possessive, plain = _simple_patterns(True), _simple_patterns(False)
    for line in text.replace("\r", "").split("\n"):
        content = line.lstrip(" ")
        for fast_re, slow_re in zip(possessive, plain):
            a, b = fast_re.match(content), slow_re.match(content)
            assert (a and a.groupdict(), a and a.regs) == (b and b.groupdict(), b and b.regs)


def test_long_keys_follow_ruamel_limit() -> None:
    for key in ["k" * 990, "k" * 1000, "k" * 1030, '"' + "k" * 1000 + '"']:
        for spaces in (0, 20, 30):
            check_against_ruamel(f"a: 1\n{key}{' ' * spaces}: v\n")
            check_against_ruamel(f"a:\n- {key}{' ' * spaces}: v\n")


COMMON_SHAPES = [
    "title: Hello\n",
    "title: 'Hello'\n",
    'title: "Hello"\n',
    "tags:\n- a\n- b\n",
    "tags:\n  - a\n  - b\n",
    "tags: [a, b]\n",
    'tags: ["a", "b"]\n',
    "cover:\n  image: x\n  caption: y\n",
    'cover:\n  image: "x"\n  caption: "y"\n',
    "date: 2016-06-13\n",
    "date: 2018-07-15T09:31:28.466Z\n",
    "date: 2020-06-13T23:06:44+09:00\n",
    'date: "2019-10-29 10:00:00 +0900"\n',
    "date: 2019-10-29 10:00:00 +09:00\n",
    "draft: true\n",
    "weight: 3\n",
    "summary:\n",
    "title: x # comment\n",
    "# comment\ntitle: x\n",
    "title: x\r\ntags:\r\n- a\r\n",
    "tags:\n- Machine Learning \n- AI  \n",
    "authors:\n  - name: a\n    url: b\n",
    HUGO, MEDIUM, HATENA, TYPICAL,
]


@pytest.mark.parametrize("text", COMMON_SHAPES)
def test_common_shapes_use_fast_path(text: str) -> None:
    assert check_against_ruamel(text) is not None


# ---------------------------------------------------------------------------
# micro benchmark (printed, not asserted)
# ---------------------------------------------------------------------------

def test_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    assert TYPICAL.count("\n") == 13
    load_ruamel(TYPICAL)  # import ruamel outside the timing
    fast_n, slow_n = 2000, 100
    # CPU time, not wall time: less noise when other processes share the cores
    cpu = time.process_time
    fast = min(timeit.repeat(lambda: load_fast(TYPICAL), number=fast_n, repeat=5, timer=cpu))
    slow = min(timeit.repeat(lambda: load_ruamel(TYPICAL), number=slow_n, repeat=3, timer=cpu))
    fast, slow = fast / fast_n, slow / slow_n
    with capsys.disabled():
        print(f"\n[yamlload benchmark, 13-line front matter] load_fast {fast * 1e6:.1f} us/call, "
              f"load_ruamel {slow * 1e6:.0f} us/call, speed-up x{slow / fast:.0f}")


def test_unforeseen_fast_path_failure_falls_back_to_ruamel() -> None:
    from blogtools import yamlload as module

    with pytest.raises(module.YamlError) as err:
        module.load("title: [\n")
    assert err.value.line >= 0
