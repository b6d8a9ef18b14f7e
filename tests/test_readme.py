"""The README's promises: the quick start's two commands, the rules table and the shown output."""

from __future__ import annotations

import re

from blogtools.lint.registry import all_rules
from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(name: str) -> str:
    m = re.search(rf"<!-- OUTPUT:{name} -->\n(.*?)<!-- /OUTPUT -->", README, re.S)
    assert m, name
    return m.group(1)


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "blogtools lint fixtures/sites/example" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_rules_table_lists_every_rule() -> None:
    table = _block("rules-table")
    for rule in all_rules().values():
        assert f"| {rule.code} | `{rule.name}` |" in table, rule.code


def test_shown_output_is_real() -> None:
    shown = _block("lint-example")
    r = run_cli("lint", "fixtures/sites/example", "--no-cache", cwd=ROOT)
    assert r.returncode == 1
    body = re.search(r"```text\n\$ blogtools lint fixtures/sites/example\n(.*?)```", shown, re.S)
    assert body, "README must show the example run"
    assert body.group(1) == r.stdout


def test_every_rule_documents_itself() -> None:
    for rule in all_rules().values():
        assert not rule.missing_doc_sections(), (rule.code, rule.missing_doc_sections())
        assert rule.summary and rule.name and rule.code.startswith("BT")


def test_rule_pages_are_generated_from_the_rules() -> None:
    """docs/rules/CODE.md is what `blogtools rule CODE --output-format markdown` prints
    (regenerate with `python tools/update_readme.py`)."""
    from blogtools import ruledoc
    from blogtools.lint.registry import all_rules

    folder = ROOT / "docs" / "rules"
    rules = all_rules()
    assert {p.stem for p in folder.glob("BT*.md")} == set(rules)
    for code, rule in rules.items():
        page = (folder / f"{code}.md").read_text(encoding="utf-8")
        assert page == ruledoc.markdown(rule), f"docs/rules/{code}.md is stale: run python tools/update_readme.py"


def test_rule_page_in_the_terminal_is_plain_text() -> None:
    r = run_cli("rule", "BT106", cwd=ROOT)
    assert r.returncode == 0
    assert "``" not in r.stdout and "::" not in r.stdout  # no reST markup
    assert 'dates.style = "any"' in r.stdout  # options as TOML, not Python reprs
    assert "Measured precision" in r.stdout
    r = run_cli("rule", "BT2O1", cwd=ROOT)
    assert r.returncode == 2 and "did you mean BT201" in r.stderr
