"""blogtools.words: tokens, folding, distance, blocking, facts."""

from __future__ import annotations

import pytest

from blogtools import words
from blogtools.document import Document
from blogtools.facts import EXTRACTORS, extract
from blogtools.lines import LineIndex


def test_ascii_words_stop_at_kana_and_kanji() -> None:
    assert [m.group(0) for m in words.words("MLCT復活させたい、今日もJS祭りとKubernetsのノード")] == \
        ["MLCT", "JS", "Kubernets"]


def test_full_width_letters_are_words_and_fold_to_ascii() -> None:
    found = [m.group(0) for m in words.words("Ｍａｃｈｉｎｅ　Ｌｅａｒｎｉｎｇ と AWS")]
    assert found == ["Ｍａｃｈｉｎｅ", "Ｌｅａｒｎｉｎｇ", "AWS"]
    assert [words.fold(w) for w in found] == ["machine", "learning", "aws"]


def test_cjk_runs_split_by_script_and_skip_hiragana() -> None:
    assert words.cjk_runs("機械学習エンジニアの勉強会を開催した") == ["機械学習", "エンジニア", "勉強会", "開催"]
    assert words.cjk_runs("ｼｭﾐﾚｰｼｮﾝ") == ["ｼｭﾐﾚｰｼｮﾝ"]  # half-width katakana is a run too


@pytest.mark.parametrize("a, b", [
    ("open source", "open-source"), ("open_source", "Open Source"), ("machinelearning", "Machine Learning"),
    ("ＡＷＳ", "aws"), ("ﾃｽﾄ", "テスト"), ("node.js", "NodeJS"), ("オープン・ソース", "オープンソース"),
])
def test_fold_term_merges_case_separator_and_width_variants(a: str, b: str) -> None:
    assert words.fold_term(a) == words.fold_term(b)


@pytest.mark.parametrize("a, b", [("c#", "c"), ("c++", "c"), ("バッチ", "パッチ"), ("設計", "設定")])
def test_fold_term_keeps_different_terms_apart(a: str, b: str) -> None:
    assert words.fold_term(a) != words.fold_term(b)


@pytest.mark.parametrize("rare, common, expected", [
    ("learing", "learning", True), ("kubenetes", "kubernetes", True), ("reviedog", "reviewdog", True),
    ("kubernets", "kubernetes", True), ("javascirpt", "javascript", True),
    ("vuex", "vue", False), ("java", "javascript", False), ("models", "model", False), ("preact", "react", False),
    ("python2", "python3", False), ("es2015", "es2016", False), ("lecturer", "lectures", False),
])
def test_plausible_typo(rare: str, common: str, expected: bool) -> None:
    assert words.plausible_typo(rare, common) is expected


@pytest.mark.parametrize("written, rare, common, expected", [
    ("Learing", "learing", "learning", "Learning"), ("JavaScirpt", "javascirpt", "javascript", "JavaScript"),
    ("KUBERNETS", "kubernets", "kubernetes", "KUBERNETES"), ("reviedog", "reviedog", "reviewdog", "reviewdog"),
    ("Ｌｅａｒｉｎｇ", "learing", "learning", "Learning"),
])
def test_match_case(written: str, rare: str, common: str, expected: str) -> None:
    assert words.match_case(written, rare, common) == expected


def test_distance_is_optimal_string_alignment_with_and_without_rapidfuzz() -> None:
    for a, b, d in [("learing", "learning", 1), ("casual", "causal", 1), ("kubenetes", "kubernetes", 1),
                    ("connection", "collection", 2), ("", "abc", 3)]:
        assert words.distance(a, b) == d
        assert words._osa(a, b) == d


def test_near_index_finds_neighbours_by_first_or_last_letter() -> None:
    import rapidfuzz  # noqa: F401  (a dependency of blogtools: never skipped)
    index = words.NearIndex(["learning", "kubernetes", "cubernetes", "machine", "talks"])
    assert [w for w, _ in index.near("learing")] == ["learning"]
    assert {w for w, _ in index.near("kubernetes")} == {"cubernetes"}  # itself excluded
    assert [w for w, _ in index.near("xubernetes")] == ["cubernetes", "kubernetes"]  # first letter typo
    assert index.near("zzzzzz") == []


def test_near_index_compares_within_blocks_only() -> None:
    """The cost follows the block sizes: words of another length and both ends never compared."""
    import rapidfuzz  # noqa: F401  (a dependency of blogtools: never skipped)
    vocabulary = [f"w{i:05d}x" for i in range(20000)] + ["learning"]
    index = words.NearIndex(vocabulary)
    block = index.blocks[(8, "l")] + index.blocks[(8, "$g")]
    assert block == ["learning", "learning"]
    assert [w for w, _ in index.near("learing")] == ["learning"]


@pytest.mark.parametrize("url, expected", [
    ("https://mlct.connpass.com/", "mlct.connpass.com"), ("http://mlct.connpass.com", "mlct.connpass.com"),
    ("https://www.MLCT.connpass.com/", "mlct.connpass.com"), ("//mlct.connpass.com/event/", "mlct.connpass.com/event"),
    ("/posts/2020-06-13/", "/posts/2020-06-13"), ("https://example.com/a?q=1#x", "example.com/a?q=1#x"),
])
def test_normalize_url(url: str, expected: str) -> None:
    assert words.normalize_url(url) == expected


def test_blank_markup_keeps_length_and_hides_code_and_urls() -> None:
    raw = "Learing `Learing` ![Learing](x.png) https://learing.example/ <b>Learing</b> {{< x Learing >}}"
    blanked = words.blank_markup(raw)
    assert len(blanked) == len(raw)
    assert [m.group(0) for m in words.words(blanked)] == ["Learing", "Learing"]


def test_advance_counts_code_points_and_every_newline_style() -> None:
    raw = "🎉 a\r\nb\rc\nd"
    text = "xx" + raw
    index = LineIndex(text)
    for i, ch in enumerate(raw):
        if ch in "abcd":
            assert words.advance(1, 3, raw, i) == index.position(2 + i)


POST = """---
title: "Machine Learning Casual Talks #5 を開催しました"
tags:
  - Machine Learning
  - "kubenetes"
categories: [イベント]
aliases: [/old/]
---

[Machine Learing Casual Talks](https://mlct.connpass.com/) と `Learing` と [MLCT](https://mlct.connpass.com/)

## Prometheus Operator の導入

```python
Pyhton = "code"
```

本文の Learning と https://learing.example/ と <span>Spanword</span>。
"""


def test_extract_keeps_compact_strings() -> None:
    doc = Document.from_text("p.md", POST)
    facts = extract(doc)
    assert "words" in EXTRACTORS
    f = facts["words"]
    assert set(f) == {"v", "w", "c", "lw", "bg", "labels", "terms"}
    assert all(isinstance(v, (str, int)) for v in f.values())
    counted = f["w"].split()
    assert {"machine", "learning", "learing", "casual", "talks", "prometheus", "operator", "mlct"} <= set(counted)
    assert "pyhton" not in counted and "span" not in counted and "example" not in counted
    assert "spanword" in counted  # text between inline HTML tags is rendered prose
    assert f["lw"].split() == sorted({"machine", "learing", "casual", "talks", "mlct", "prometheus", "operator",
                                      "learning"})
    assert "machine_learing" in f["bg"].split() and "prometheus_operator" in f["bg"].split()
    assert "勉強会" not in f["c"] and "導入" in f["c"].split()


def test_labels_and_terms_point_at_their_text() -> None:
    doc = Document.from_text("p.md", POST)
    page = {"path": "p.md", **extract(doc)}
    index = LineIndex(POST)
    labels = words.page_labels(page)
    assert [(lab.kind, lab.raw) for lab in labels][:2] == [("l", "Machine Learing Casual Talks"), ("l", "MLCT")]
    for lab in labels:
        for written, _, at in lab.tokens():
            line, col, end_line, end_col = lab.position(at, len(written))
            assert POST[index.offset(line, col) : index.offset(end_line, end_col)] == written
            assert POST[lab.start + at : lab.start + at + len(written)] == written
    terms = words.page_terms(page)
    assert [(t.key, t.value) for t in terms] == [("tags", "Machine Learning"), ("tags", "kubenetes"),
                                                 ("categories", "イベント")]
    for t in terms:
        assert POST[t.start : t.end] == t.value
        line, col, end_line, end_col = t.pos
        assert POST[index.offset(line, col) : index.offset(end_line, end_col)] == t.value


def test_facts_of_another_version_are_ignored() -> None:
    page = {"words": {"v": -1, "w": "learning", "terms": "garbage"}}
    assert words.facts_of(page) == {}
    assert words.page_terms(page) == [] and words.page_labels(page) == []
    assert words.word_counts([page]) == {}


@pytest.mark.parametrize("text", [
    "", "---\n", "---\ntitle: \"open\n---\n", "---\ntags: 3\ntitle: 5\n---\n# \n", "[](x)\n## \n",
    "\x00", "---\ntags:\n  - \n  - null\n  - [a]\n---\n", "+++\ntags = [\"a\", 1]\n+++\n[a\nb](c)\n",
])
def test_extract_survives_odd_input(text: str) -> None:
    doc = Document.from_text("p.md", text)
    f = extract(doc)["words"]
    assert isinstance(f["w"], str)
    page = {"path": "p.md", "words": f}
    words.page_labels(page)
    words.page_terms(page)


def test_term_clusters_majority_and_ties() -> None:
    import rapidfuzz  # noqa: F401  (a dependency of blogtools: never skipped)
    occ = [("tags", "kubernetes", p) for p in "abc"] + [("tags", "kubenetes", "d")]
    occ += [("tags", "open source", "a"), ("tags", "open-source", "b")]
    occ += [("tags", "java", p) for p in "abc"] + [("tags", "javascript", "d")]
    occ += [("tags", "vue", p) for p in "ab"] + [("tags", "vuex", "c")]
    clusters = {c.keep: c for c in words.term_clusters(occ)}
    assert set(clusters) == {"kubernetes", "open-source"}
    assert [(v.written, v.how) for v in clusters["kubernetes"].variants] == [("kubenetes", "spelling")]
    assert [(v.written, v.how) for v in clusters["open-source"].variants] == [("open source", "separators")]
    assert words.term_clusters(occ, ignore=["kubenetes", "open source"]) == []


def test_term_clusters_without_fuzzy_keeps_exact_groups() -> None:
    occ = [("tags", "kubernetes", p) for p in "abc"] + [("tags", "kubenetes", "d"), ("tags", "Kubernetes", "e")]
    clusters = words.term_clusters(occ, fuzzy=False)
    assert [(c.keep, [v.written for v in c.variants]) for c in clusters] == [("kubernetes", ["Kubernetes"])]
