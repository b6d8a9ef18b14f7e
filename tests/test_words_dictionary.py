"""Typo dictionaries in prh format, and rule BT401 with user dictionaries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from blogtools import api, words
from tests.conftest import text_at


def rule(raw: object) -> words.DictRule:
    return words._rule(raw, "test")


def test_starter_dictionary_loads_and_its_specs_pass() -> None:
    rules = words.load_dictionary(words.builtin_path())
    expected = {r.expected for r in rules}
    assert {"JavaScript", "GitHub", "TensorFlow", "PyTorch", "$1ubernetes", "$1earning", "機械学習"} <= expected
    assert all(r.probes for r in rules)  # every entry has a fast pre-check


@pytest.mark.parametrize("before, after", [
    ("Machine Learing Casual Talks", "Machine Learning Casual Talks"),
    ("Kubernetsのノード", "Kubernetesのノード"), ("kubenetes", "kubernetes"),
    ("Github Actions", "GitHub Actions"), ("Tensorflow Lite", "TensorFlow Lite"), ("Pytorch", "PyTorch"),
    ("JavaScirpt", "JavaScript"), ("負荷のシュミレーション", "負荷のシミュレーション"),
    # correct and lower-case package names are left alone
    ("github tensorflow pytorch javascript", "github tensorflow pytorch javascript"),
    ("Learning clearing leaning", "Learning clearing leaning"),
])
def test_starter_dictionary_entries(before: str, after: str) -> None:
    text = before
    for r in words.load_dictionary(words.builtin_path()):
        text = words.apply_rule(r, text)
    assert text == after


def test_expected_alone_matches_any_case_and_width() -> None:
    r = rule("Cookie")
    assert words.apply_rule(r, "cookie と ＣＯＯＫＩＥ と COOKIE") == "Cookie と Cookie と Cookie"


def test_literal_patterns_are_case_sensitive_and_word_boundary_is_cjk_aware() -> None:
    r = rule({"expected": "js", "pattern": "JS", "options": {"wordBoundary": True}})
    assert words.apply_rule(r, "今日もJS祭り / altJS / JSON / ＪＳ") == "今日もjs祭り / altJS / JSON / ＪＳ"


def test_regex_patterns_follow_javascript() -> None:
    r = rule({"expected": "（$1）", "pattern": r"/\(([^)]+)\)/"})
    assert words.apply_rule(r, "(そのとおり)") == "（そのとおり）"
    r = rule({"expected": "$<x>!", "pattern": "/(?<x>ab)/i"})
    assert words.apply_rule(r, "AB") == "AB!"
    r = rule({"expected": "js", "pattern": r"/\bJS\b/"})  # \b is ASCII-only, as in JavaScript
    assert words.apply_rule(r, "今日もJS祭り") == "今日もjs祭り"


def test_regexp_must_empty() -> None:
    r = rule({"expected": "ソフトウェア", "pattern": "/(日経)?ソフトウエア/", "regexpMustEmpty": "$1"})
    assert words.apply_rule(r, "日経ソフトウエアと広義のソフトウエア") == "日経ソフトウエアと広義のソフトウェア"


def test_several_patterns_become_one_rule() -> None:
    r = rule({"expected": "ハードウェア", "patterns": ["ハードウエアー", "ハードウェアー", "ハードウエア"]})
    assert words.apply_rule(r, "ハードウエアーとハードウエア") == "ハードウェアとハードウェア"
    assert set(r.probes or ()) == {"ハードウエアー", "ハードウェアー", "ハードウエア"}


@pytest.mark.parametrize("raw, message", [
    ({"expected": "JavaScript", "specs": [{"from": "JAVASCRIPT", "to": "JavaScprit"}]}, "spec failed"),
    ({"pattern": "x"}, "'expected' is required"),
    ({"expected": "x", "pattern": "/(unclosed/"}, "bad regular expression"),
    ({"expected": "x", "patterns": []}, "'patterns' is empty"),
    ({"expected": "x", "specs": [{"from": 1}]}, "needs 'from' and 'to'"),
    (["not", "a", "rule"], "must be a mapping"),
])
def test_bad_rules_are_errors_naming_the_rule(raw: object, message: str) -> None:
    with pytest.raises(words.DictionaryError, match=message):
        rule(raw)


def test_load_dictionary_with_imports_and_ignored_rules(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text(
        "version: 1\nrules:\n  - expected: GitHub\n    pattern: Github\n  - expected: Docker\n    pattern: Dokcer\n",
        encoding="utf-8")
    (tmp_path / "team.yml").write_text(
        "version: 1\nimports:\n  - path: base.yml\n    ignoreRules: [Docker]\n  - team.yml\n"
        "rules:\n  - expected: MLCT\n    pattern: /(?<![A-Za-z])mlct(?![A-Za-z])/i\n"
        "    specs:\n      - {from: 'Mlct #13', to: 'MLCT #13'}\n",
        encoding="utf-8")
    rules = words.load_dictionary(str(tmp_path / "team.yml"))
    assert [r.expected for r in rules] == ["GitHub", "MLCT"]


def test_load_dictionary_errors(tmp_path: Path) -> None:
    with pytest.raises(words.DictionaryError, match="cannot read"):
        words.load_dictionary(str(tmp_path / "missing.yml"))
    bad = tmp_path / "bad.yml"
    bad.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(words.DictionaryError, match="bad.yml"):
        words.load_dictionary(str(bad))
    bad.write_text("rules: 3\n", encoding="utf-8")
    with pytest.raises(words.DictionaryError, match="'rules' must be a list"):
        words.load_dictionary(str(bad))


def test_user_dictionary_through_settings(tmp_path: Path) -> None:
    prh = tmp_path / "prh.yml"
    prh.write_text("version: 1\nrules:\n  - expected: サーバー\n    pattern: /サーバ(?!ー)/\n", encoding="utf-8")
    text = "[サーバの設定](https://example.com/server) と [Github](https://example.com/gh)\n"
    settings = {"typos.dictionaries": [str(prh)], "typos.scope": ["link-text"], "typos.case": True}
    diags = api.lint_text(text, select=["BT401"], settings=settings)
    assert [(d.message, text_at(text, d.line, d.column, d.end_line, d.end_column)) for d in diags] == [
        ('"サーバ" should be "サーバー" (prh.yml)', "サーバ"),
        ('"Github" should be "GitHub"', "Github"),
    ]
    assert api.fix_text(text, select=["BT401"], settings=settings) == \
        "[サーバーの設定](https://example.com/server) と [GitHub](https://example.com/gh)\n"
    assert [d.message for d in api.lint_text(text, select=["BT401"], settings=dict(settings, **{
        "typos.case": False}))] == ['"サーバ" should be "サーバー" (prh.yml)']  # capitalisations are opt-in
    only_user = dict(settings, **{"typos.builtin": False})
    assert [d.message for d in api.lint_text(text, select=["BT401"], settings=only_user)] == [
        '"サーバ" should be "サーバー" (prh.yml)']


def test_bad_user_dictionary_is_a_config_error(tmp_path: Path, cli) -> None:
    (tmp_path / "prh.yml").write_text(
        "rules:\n  - expected: JavaScript\n    specs:\n      - {from: JAVASCRIPT, to: JavaScprit}\n", encoding="utf-8")
    (tmp_path / "blogtools.toml").write_text('[typos]\ndictionaries = ["prh.yml"]\n', encoding="utf-8")
    (tmp_path / "post.md").write_text("[Github](https://example.com/)\n", encoding="utf-8")
    result = cli("lint", "post.md")
    assert result.returncode == 2
    assert "typos.dictionaries" in result.stderr and "spec failed" in result.stderr


def test_missing_user_dictionary_is_a_note_not_a_crash(tmp_path: Path, cli) -> None:
    (tmp_path / "blogtools.toml").write_text('[typos]\ndictionaries = ["nowhere.yml"]\n', encoding="utf-8")
    (tmp_path / "post.md").write_text("[Kubernets](https://example.com/)\n", encoding="utf-8")
    result = cli("lint", "post.md", "--select", "BT401")
    assert result.returncode == 1
    assert "BT401" in result.stdout and "nowhere.yml" in result.stderr
    assert result.stderr.count("nowhere.yml") == 1


def test_builtin_dictionary_loads_without_ruamel() -> None:
    """The starter dictionary loads with libyaml alone: no 30 ms ruamel import per run."""
    code = ("import sys\nfrom blogtools import yamlload\nfrom blogtools.words import BUILTIN\n"
            "rules = yamlload.load(open(BUILTIN, encoding='utf-8').read()).data['rules']\n"
            "assert rules and 'ruamel.yaml' not in sys.modules, sorted(sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
