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
