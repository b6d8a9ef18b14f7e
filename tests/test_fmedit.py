"""blogtools.fmedit: values written in each format, whole blocks converted and verified."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtools import fmedit, frontmatter
from tests.conftest import EXAMPLE

JST = dt.timezone(dt.timedelta(hours=9))
TOML_POST = """+++
author = "Aya Nishimura"
title = "特徴量ストアの勉強会で話してきた"
date = 2022-05-04T01:21:41+09:00
draft = false
share = true
tags = ["POEM"]
+++
"""


def _data(block: str) -> dict:
    fm = frontmatter.parse(block)
    assert fm is not None and fm.error is None, fm and fm.error
    return fm.data


def test_toml_post_to_yaml_and_back_is_the_same_text() -> None:
    yaml = fmedit.convert_block(TOML_POST, "yaml").text
    assert yaml.startswith("---\nauthor: \"Aya Nishimura\"\n")
    assert "date: 2022-05-04T01:21:41+09:00\n" in yaml and "draft: false\n" in yaml
    assert fmedit.convert_block(yaml, "toml").text == TOML_POST


@pytest.mark.parametrize("post", sorted(p.name for p in (EXAMPLE / "content" / "posts").iterdir()))
def test_example_posts_survive_every_round_trip(post: str) -> None:
    path = EXAMPLE / "content" / "posts" / post
    text = (path / "index.md" if path.is_dir() else path).read_text(encoding="utf-8")
    fm = frontmatter.parse(text)
    block = text[: fm.end]
    for target in ("yaml", "toml", "json"):
        if target == fm.format:
            continue
        there = fmedit.convert_block(block, target).text
        back = fmedit.convert_block(there, fm.format).text
        assert fmedit.same_data(_data(back), fm.data), (target, there)


def test_types_are_kept_yaml_to_toml() -> None:
    block = (
        "---\n"
        "date: 2018-07-15T09:31:28.466Z\n"
        "lastmod: 2019-06-16T18:18:12+09:00\n"
        "local: 2021-01-10T21:05:00\n"
        "day: 2021-08-03\n"
        "draft: false\n"
        "weight: 3\n"
        "ratio: 1.5\n"
        'quoted: "2021-08-03"\n'
        'yes_string: "true"\n'
        "cover:\n  image: /a.png\n  caption: 配信画面\n"
        "---\n"
    )
    toml = fmedit.convert_block(block, "toml").text
    data = _data(toml)
    assert data["date"] == dt.datetime(2018, 7, 15, 9, 31, 28, 466000, tzinfo=dt.timezone.utc)
    assert data["lastmod"].utcoffset() == dt.timedelta(hours=9)
    assert data["local"].tzinfo is None
    assert type(data["day"]) is dt.date
    assert data["draft"] is False and data["weight"] == 3 and data["ratio"] == 1.5
    assert data["quoted"] == "2021-08-03" and data["yes_string"] == "true"
    assert data["cover"] == {"image": "/a.png", "caption": "配信画面"}
    assert "date = 2018-07-15T09:31:28.466Z\n" in toml
    assert toml.index("[cover]") > toml.index("yes_string")  # TOML puts tables after plain keys


def test_comments_follow_their_keys() -> None:
    block = (
        "---\n# 移行メモ\ntitle: \"記事\"  # 仮\ntags:  # 小文字で\n  - a\n"
        "cover:\n  # 画像\n  image: /a.png\n# 最後のコメント\n---\n"
    )
    toml = fmedit.convert_block(block, "toml").text
    assert toml == (
        "+++\n# 移行メモ\ntitle = \"記事\"  # 仮\ntags = [\"a\"]  # 小文字で\n\n"
        "[cover]\n# 画像\nimage = \"/a.png\"\n# 最後のコメント\n+++\n"
    )
    back = fmedit.convert_block(toml, "yaml").text
    assert "# 移行メモ\ntitle: \"記事\"  # 仮\ntags:  # 小文字で\n  - a\n" in back
    assert "  # 画像\n  image: /a.png\n# 最後のコメント\n" in back


def test_json_has_no_comments_or_dates() -> None:
    block = "---\ntitle: x  # note\ndate: 2020-06-13T23:06:44+09:00\n---\n"
    conversion = fmedit.convert_block(block, "json")
    assert conversion.dropped == 1
    assert '"date": "2020-06-13T23:06:44+09:00"' in conversion.text
    back = _data(fmedit.convert_block(conversion.text, "yaml").text)
    assert back["date"] == dt.datetime(2020, 6, 13, 23, 6, 44, tzinfo=JST)


@pytest.mark.parametrize("block, target, words", [
    ("---\ndescription:\n---\n", "toml", "null"),
    ("+++\nat = 07:30:00\n+++\n", "yaml", "time of day"),
    ("---\nx: .nan\n---\n", "json", "NaN"),
    ("---\n1: a\n---\n", "toml", "not a string"),
])
def test_what_the_target_cannot_hold_stops_the_conversion(block: str, target: str, words: str) -> None:
    with pytest.raises(fmedit.ConversionError, match=words):
        fmedit.convert_block(block, target)


@pytest.mark.parametrize("text", ["true", "No", "null", "~", "3", "1.5", "2021-08-03", "a: b", "#tag", "",
                                  " padded ", "- item", "[x]", "'q'", '"dq"', "tab\there", "改行\nあり",
                                  "\u3000全角", "/posts/x/", "kubernetes", "@user", "%20", "\x85nel"])
def test_scalars_load_back_as_the_same_string(text: str) -> None:
    for fmt in ("yaml", "toml", "json"):
        value = fmedit.scalar(fmt, text)
        block = {"yaml": f"---\nk: {value}\n---\n", "toml": f"+++\nk = {value}\n+++\n"}.get(fmt, f'{{"k": {value}}}')
        assert _data(block)["k"] == text, (fmt, value)


def test_yaml_keeps_the_authors_quotes() -> None:
    assert fmedit.yaml_str("mlct", '"') == '"mlct"'
    assert fmedit.yaml_str("it's", "'") == "'it''s'"
    assert fmedit.yaml_str("mlct", "") == "mlct"
    assert fmedit.yaml_str("Machine Learning", "") == '"Machine Learning"'


def test_parse_date_text_reads_the_common_spellings() -> None:
    assert fmedit.parse_date_text("2019-10-29 10:00:00 +0900") == (dt.datetime(2019, 10, 29, 10, tzinfo=JST), False)
    assert fmedit.parse_date_text("2019/10/29") == (dt.date(2019, 10, 29), True)
    assert fmedit.parse_date_text("Tue, 29 Oct 2019 10:00:00 +0900")[0] == dt.datetime(2019, 10, 29, 10, tzinfo=JST)
    assert fmedit.parse_date_text("2019-02-30") is None
    assert fmedit.parse_date_text("未定") is None


# --------------------------------------------------------------------------- properties
KEY = st.text(st.sampled_from("abcxyzABC_-.0123 タグ記事"), min_size=1, max_size=8)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
TZ = st.sampled_from([None, dt.timezone.utc, JST, dt.timezone(dt.timedelta(hours=-5, minutes=-30))])
DATETIME = st.builds(lambda d, tz: d.replace(tzinfo=tz),
                     st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1)), TZ)
SCALAR = st.one_of(TEXT, st.booleans(), st.integers(-2**63, 2**63 - 1),
                   st.floats(allow_nan=False, allow_infinity=False), st.dates(), DATETIME)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEY, inner, max_size=4)), max_leaves=12)
DATA = st.dictionaries(KEY, VALUE, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA)
def test_random_data_survives_yaml_toml_yaml(data: dict) -> None:
    yaml = fmedit.render_block(data, "yaml")
    assert fmedit.same_data(_data(yaml), data), yaml
    toml = fmedit.convert_block(yaml, "toml").text
    assert fmedit.same_data(_data(toml), data), toml
    back = fmedit.convert_block(toml, "yaml").text
    assert fmedit.same_data(_data(back), data), back
    assert fmedit.convert_block(back, "toml").text == toml  # the second round trip is a fixed point


@settings(max_examples=60, deadline=None)
@given(DATA)
def test_random_data_survives_json(data: dict) -> None:
    toml = fmedit.render_block(data, "toml")
    json_block = fmedit.convert_block(toml, "json").text
    assert fmedit.same_data(_data(json_block), data, loose_dates=True)


def test_same_data_tells_types_apart() -> None:
    assert not fmedit.same_data(1, True)
    assert not fmedit.same_data(1, 1.0)
    assert not fmedit.same_data(dt.date(2020, 1, 1), "2020-01-01")
    assert fmedit.same_data(dt.date(2020, 1, 1), "2020-01-01", loose_dates=True)
    utc = dt.datetime(2019, 12, 31, 15, tzinfo=dt.timezone.utc)
    assert not fmedit.same_data(dt.datetime(2020, 1, 1, tzinfo=JST), utc)  # same instant, another offset
    assert fmedit.same_data(math.nan, math.nan)
