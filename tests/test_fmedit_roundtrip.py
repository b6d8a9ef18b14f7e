"""blogtools.fmedit writing whole blocks through tomlkit and ruamel.yaml: the layout each
library is set up for, the values it must not change, the verify step, lazy imports."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from blogtools import fmedit, frontmatter
from tests.conftest import EXAMPLE, FIXTURES, ROOT

JST = dt.timezone(dt.timedelta(hours=9))
MLOPS = FIXTURES / "sites" / "front-matter" / "mixed-hugo" / "content" / "posts" / "mlops-study-talk.md"
MLOPS_YAML = """---
author: "Aya Nishimura"
title: "特徴量ストアの勉強会で話してきた"
description: "社内で特徴量ストアを導入したときの話をした感想"
date: 2022-05-04T01:21:41+09:00
draft: false
share: true
showLicense: false
support: true
tags:
  - POEM
---
"""


def _data(block: str) -> dict:
    fm = frontmatter.parse(block)
    assert fm is not None and fm.error is None, fm and fm.error
    return fm.data


def test_the_mixed_hugo_toml_post_goes_to_yaml_and_back_unchanged() -> None:
    toml = MLOPS.read_text(encoding="utf-8").split("\n+++\n")[0] + "\n+++\n"
    yaml = fmedit.convert_block(toml, "yaml").text
    assert yaml == MLOPS_YAML
    assert fmedit.convert_block(yaml, "toml").text == toml


# --------------------------------------------------------------------------- YAML values
def test_yaml_keeps_offsets_fractions_dates_and_string_types() -> None:
    data = {
        "date": dt.datetime(2020, 6, 13, 23, 6, 44, tzinfo=JST),
        "medium": dt.datetime(2018, 7, 15, 9, 31, 28, 466000, tzinfo=dt.timezone.utc),
        "local": dt.datetime(2021, 1, 10, 21, 5),
        "day": dt.date(2021, 8, 3),
        "strings": ["true", "2020-01-01", "123", "null", "yes", "1.5", "~", "off"],
        "description": None,
    }
    block = fmedit.render_block(data, "yaml")
    assert "date: 2020-06-13T23:06:44+09:00\n" in block
    assert "medium: 2018-07-15T09:31:28.466Z\n" in block
    assert "local: 2021-01-10T21:05:00\n" in block and "day: 2021-08-03\n" in block
    assert '  - "true"\n  - "2020-01-01"\n  - "123"\n  - "null"\n  - "yes"\n' in block
    assert "description: null\n" in block
    assert fmedit.same_data(_data(block), data)


def test_yaml_layout_is_the_common_hugo_style() -> None:
    title = "機械学習の勉強会を十三回開いてわかった、オンライン配信の構成と当日の進め方についての長い記録" * 2
    data = {"title": title, "tags": ["mlops", "kubernetes"], "cover": {"image": "/a.png", "relative": True},
            "links": [{"name": "GitHub", "url": "https://github.com/x"}], "matrix": [[1, 2], ["a", {"k": "v"}]],
            "none": [], "nothing": {}}
    assert fmedit.render_block(data, "yaml") == (
        "---\n"
        f'title: "{title}"\n'  # one line however long
        "tags:\n  - mlops\n  - kubernetes\n"
        "cover:\n  image: /a.png\n  relative: true\n"
        'links:\n  - name: GitHub\n    url: "https://github.com/x"\n'
        "matrix:\n  - [1, 2]\n  - [a, {k: v}]\n"
        "none: []\nnothing: {}\n"
        "---\n"
    )


def test_a_value_used_twice_is_written_twice() -> None:
    day = dt.datetime(2020, 6, 13, 23, 6, 44, tzinfo=JST)
    tags = ["a"]
    block = fmedit.render_block({"date": day, "lastmod": day, "tags": tags, "keywords": tags}, "yaml")
    assert "&" not in block and "*" not in block
    assert "lastmod: 2020-06-13T23:06:44+09:00\n" in block


def test_yaml_comments_go_above_the_item_and_after_the_value() -> None:
    comments = fmedit.Comments(
        before={("links", 0, "name"): ["# 最初のリンク"], ("links", 0, "url"): ["#短縮URL"]},
        eol={("links", 0, "url"): "# 要確認", ("tags",): "# 小文字で"},
        trailing=["# 最後"],
    )
    data = {"tags": ["a"], "links": [{"name": "a", "url": "u"}]}
    content, dropped = fmedit.dump(data, "yaml", comments)
    assert dropped == 0
    assert content == (
        "tags:  # 小文字で\n  - a\n"
        "links:\n  # 最初のリンク\n  - name: a\n    # 短縮URL\n    url: u  # 要確認\n"
        "# 最後\n"
    )


# --------------------------------------------------------------------------- TOML layout
def test_toml_tables_arrays_and_comments() -> None:
    comments = fmedit.Comments(
        before={("cover",): ["# 画像"], ("links", 1, "name"): ["#二つ目"]},
        eol={("cover",): "# テーマ用", ("title",): "# 仮"},
    )
    data = {
        "title": "記事",
        "cover": {"image": "/a.png"},
        "markup": {"goldmark": {"renderer": {"unsafe": True}}},
        "links": [{"name": "a"}, {"name": "b"}],
        "aliases": ["/2019/10/29/" + "x" * 40, "/2019/10/29/" + "y" * 40],
        "mixed": [{"a": 1}, 2],
    }
    content, _ = fmedit.dump(data, "toml", comments)
    assert content == (
        'title = "記事"  # 仮\n'
        "aliases = [\n"
        f'    "/2019/10/29/{"x" * 40}",\n'
        f'    "/2019/10/29/{"y" * 40}",\n'
        "]\n"
        "mixed = [{a = 1}, 2]\n"
        "\n# 画像\n[cover]  # テーマ用\nimage = \"/a.png\"\n"
        "\n[markup.goldmark.renderer]\nunsafe = true\n"
        '\n[[links]]\nname = "a"\n'
        '\n[[links]]\n#二つ目\nname = "b"\n'
    )
    assert fmedit.same_data(_data(f"+++\n{content}+++\n"), data)


# --------------------------------------------------------------------------- the checks
@pytest.mark.parametrize("target", ["yaml", "toml"])
def test_an_offset_with_seconds_stops_the_conversion(target: str) -> None:
    odd = dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(seconds=30)))
    with pytest.raises(fmedit.ConversionError, match="seconds"):
        fmedit.render_block({"date": odd}, target)
    assert fmedit.render_block({"ok": 1}, target)  # the cached dumper still works


@pytest.mark.parametrize("emitter, target, source", [
    ("_yaml_text", "yaml", '+++\ntitle = "x"\n+++\n'),
    ("_toml_text", "toml", "---\ntitle: x\n---\n"),
])
def test_the_converted_block_is_loaded_again_and_compared(monkeypatch, emitter: str, target: str,
                                                          source: str) -> None:
    wrong = {"yaml": "title: true\n", "toml": "title = true\n"}[target]
    monkeypatch.setattr(fmedit, emitter, lambda data, comments: wrong)
    with pytest.raises(fmedit.ConversionError, match="would change the data"):
        fmedit.convert_block(source, target)


# --------------------------------------------------------------------------- imports
def _imported(code: str) -> str:
    script = f"import sys\n{code}\nprint(sorted(m for m in ('tomlkit', 'ruamel.yaml') if m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_linting_front_matter_imports_no_round_trip_library() -> None:
    lint = ("from blogtools import api\n"
            f"api.lint_paths([{str(EXAMPLE)!r}], select=['BT1'], settings={{'front-matter.format': 'any'}})\n"
            "from blogtools import fmedit\n"
            "fmedit.scalar('yaml', 'x'); fmedit.flow_list('toml', ['a']); fmedit.parse_date_text('2019/10/29')\n")
    assert _imported(lint) == "[]"


def test_a_conversion_imports_only_the_library_of_its_target() -> None:
    convert = "from blogtools import fmedit\nfmedit.convert_block({!r}, {!r})"
    assert _imported(convert.format("---\ntitle: x  # c\n---\n", "toml")) == "['tomlkit']"
    assert _imported(convert.format('+++\ntitle = "x"  # c\n+++\n', "yaml")) == "['ruamel.yaml']"
    assert _imported(convert.format('+++\ntitle = "x"\n+++\n', "json")) == "[]"
