"""``blogtools vocab``: the site's vocabulary, its clusters, and a prh dictionary from them."""

from __future__ import annotations

import json
from pathlib import Path


from blogtools import words
from tests.conftest import EXAMPLE, FIXTURES

import rapidfuzz  # noqa: E402,F401  (a dependency of blogtools: never skipped)


def test_text_output_on_the_example_site(cli) -> None:
    result = cli("vocab", str(EXAMPLE), "--no-cache")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "tags (19 terms)" in out
    assert "machinelearning 5" in out and "kubenetes 1" in out and "勉強会 1" in out
    assert "tags: 'kubernetes' (3 pages) <- 'kubenetes' (1 page, spelling)" in out
    assert "tags: 'open-source' (1 page) <- 'open source' (1 page, separators)" in out
    assert "tags: 'machinelearning' (5 pages) <- 'Machine Learning' (1 page, separators and case)" in out
    assert "learing (1 page) -> learning (7 pages)" in out
    assert '[vocabulary]\n  ignore = ["Event", "Machine Learning", "Mlct", "kubenetes", "open source"]' in out


def test_json_output(cli) -> None:
    result = cli("vocab", str(FIXTURES / "sites" / "words-drift"), "--output-format", "json", "--top", "5")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pages"] == 10 and data["fuzzy"] is True
    assert ["kubernetes", 4] in data["terms"]["tags"]
    assert len(data["words"]) == 5 and data["words"][0] == ["machine", 7]
    assert {(s["rare"], s["common"]) for s in data["suspects"]} == {
        ("learing", "learning"), ("opertor", "operator"), ("pipelnes", "pipelines")}
    kept = {c["keep"]: [v["term"] for v in c["variants"]] for c in data["clusters"]}
    assert kept == {"kubernetes": ["Kubernets"], "aws": ["ＡＷＳ"], "iphone": ["iPhone"],
                    "open-source": ["open_source"], "reviewdog": ["reviedog"], "テスト": ["ﾃｽﾄ"]}


def test_prh_output_is_a_dictionary_that_fixes_the_site(tmp_path: Path, cli) -> None:
    result = cli("vocab", str(FIXTURES / "sites" / "words-drift"), "--output-format", "prh")
    assert result.returncode == 0, result.stderr
    prh = tmp_path / "site-prh.yml"
    prh.write_text(result.stdout, encoding="utf-8")
    rules = words.load_dictionary(str(prh))
    text = "Machine Learing, kubernets と Kubernets, Prometheus Opertor, reviedog"
    for r in rules:
        text = words.apply_rule(r, text)
    assert text == "Machine Learning, kubernetes と Kubernetes, Prometheus Operator, reviewdog"


def test_vocab_of_an_empty_folder(tmp_path: Path, cli) -> None:
    result = cli("vocab", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Vocabulary of 0 pages" in result.stdout and "none" in result.stdout


def test_vocab_of_a_missing_path(tmp_path: Path, cli) -> None:
    result = cli("vocab", str(tmp_path / "nowhere"))
    assert result.returncode == 2


def test_suggested_config_is_valid_config(tmp_path: Path, cli) -> None:
    """The snippets `vocab` prints are accepted by `blogtools lint` as they are."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    out = cli("vocab", str(site)).stdout
    snippets = [part.split("\n\n")[0] for part in out.split("add to blogtools.toml")[1:]]
    snippets += [part.split("To fix")[0] for part in out.split("add it to blogtools.toml:\n")[1:]]
    config = "\n".join(line[2:] for snippet in snippets for line in snippet.splitlines() if line.startswith("  "))
    assert "[vocabulary]" in config and "[words]" in config
    (site / "blogtools.toml").write_text(config, encoding="utf-8")
    result = cli("lint", str(site), "--select", "BT402,BT403")
    assert result.returncode in (0, 1), result.stderr
    assert "BT402" not in result.stdout and "BT403" not in result.stdout
