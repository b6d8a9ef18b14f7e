"""Case tables: every file in fixtures/cases/<rule-name>/ is linted with that rule alone and
fixed; diagnostics (with the text at each reported position) and the fixed text are compared
with the ``.snap`` file beside it. A missing or different snapshot fails the test;
``BLOGTOOLS_UPDATE_SNAPSHOTS=1`` (and only it) writes the snapshots (review the diff before
committing), as insta's and ruff's snapshot tests do.

A case may have a ``<case>.toml`` beside it with ``path`` (the virtual file path, for rules
that read it), ``unsafe`` (apply unsafe fixes too) and ``[settings]`` (rule options by key).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogtools import _toml, api
from blogtools.lint.registry import all_rules
from tests.conftest import FIXTURES, ROOT, check_snapshot, text_at

tomllib = _toml.tomllib()

CASES = FIXTURES / "cases"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.glob("*/*") if p.suffix in (".md", ".markdown"))


def _options(case: Path) -> dict:
    opt = case.with_suffix(".toml")
    return tomllib.loads(opt.read_text(encoding="utf-8")) if opt.exists() else {}


def _render(case: Path) -> tuple[str, str, list, str]:
    rule_name = case.parent.name
    rule = next((r for r in all_rules().values() if r.name == rule_name), None)
    assert rule is not None, f"{case}: no rule named {rule_name!r}"
    opts = _options(case)
    text = case.read_bytes().decode("utf-8")
    path = str(ROOT / opts["path"]) if "path" in opts else case.name
    settings = opts.get("settings", {})
    diags = api.lint_text(text, path, [rule.code], settings)
    lines = ["# diagnostics"]
    for d in diags:
        lines.append(f"{d.line}:{d.column}-{d.end_line}:{d.end_column} {d.code} {d.message}"
                     + (" [fix]" if d.fix and d.fix.safe else " [unsafe fix]" if d.fix else ""))
        lines.append(f"  | {text_at(text, d.line, d.column, d.end_line, d.end_column)!r}")
    fixed = api.fix_text(text, path, [rule.code], bool(opts.get("unsafe")), settings)
    lines.append("# fixed")
    lines.append("(unchanged)" if fixed == text else fixed)
    return "\n".join(lines) + "\n", text, diags, fixed


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(case: Path) -> None:
    rendered, text, diags, fixed = _render(case)
    snap = case.with_name(case.name + ".snap")
    check_snapshot(snap, rendered, "tests/test_rule_cases.py")
    # Every diagnostic points inside the file.
    for d in diags:
        assert (d.line, d.column) <= (d.end_line, d.end_column)
    # A fixed text has nothing fixable left, and fixing again changes nothing.
    rule_name = case.parent.name
    rule = next(r for r in all_rules().values() if r.name == rule_name)
    opts = _options(case)
    path = str(ROOT / opts["path"]) if "path" in opts else case.name
    unsafe = bool(opts.get("unsafe"))
    settings = opts.get("settings", {})
    again = api.lint_text(fixed, path, [rule.code], settings)
    # (a fix that only adds a file, such as a shortcode template, stays offered: no text changes)
    assert not [d for d in again if d.fix and d.fix.edits and (d.fix.safe or unsafe)], again
    assert api.fix_text(fixed, path, [rule.code], unsafe, settings) == fixed


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fix_passes_the_appliers_verification(case: Path) -> None:
    """No fix of a rule, safe or unsafe, is refused by the applier on the rule's own cases:
    each changes the page only inside its edits (see tests/test_fix_verify.py)."""
    from blogtools.document import Document
    from blogtools.lint import fixer
    from blogtools.lint.runner import lint_document
    from blogtools.site import Site

    rule = next(r for r in all_rules().values() if r.name == case.parent.name)
    opts = _options(case)
    path = str(ROOT / opts["path"]) if "path" in opts else case.name
    doc = Document.from_text(path, case.read_bytes().decode("utf-8"))
    instances = [rule(opts.get("settings", {}))]
    site = Site(os.path.dirname(os.path.abspath(path)))
    result = fixer.fix_document(doc, lambda d: lint_document(d, instances, site), unsafe=True)
    assert not result.problems, result.problems


def test_every_file_rule_has_cases() -> None:
    have = {p.name for p in CASES.iterdir() if p.is_dir() and any(p.glob("*.md"))}
    missing = [r.name for r in all_rules().values() if not r.site_wide and r.name not in have
               and r.code != "BT001" and not r.needs_network]
    assert not missing, f"rules without a case folder in fixtures/cases: {missing}"
