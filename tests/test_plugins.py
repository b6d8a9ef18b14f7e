"""Third-party rules arrive through the ``blogtools.rules`` entry point group."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import run_cli

PLUGIN = '''
from blogtools.lint.rule import Rule


class NoTodo(Rule):
    """Flags TODO in headings.

    What it does
        Reports headings that contain TODO.
    Why it matters
        Unfinished posts get published.
    Example
        ## TODO 書く
    Fix safety
        No fix.
    """

    code = "XT001"
    name = "no-todo-heading"
    summary = "Heading contains TODO"

    def check(self, doc, site):
        for node in doc.nodes("heading"):
            at = node.text.find("TODO")
            if at >= 0:
                yield self.diagnostic(doc, node.text_start + at, node.text_start + at + 4, "TODO in a heading")
'''


def test_entry_point_rule_is_listed_documented_and_run(tmp_path: Path) -> None:
    site_packages = tmp_path / "sp"
    (site_packages / "mytodo").mkdir(parents=True)
    (site_packages / "mytodo" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    dist = site_packages / "mytodo-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mytodo\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[blogtools.rules]\nmytodo = mytodo\n", encoding="utf-8")
    (tmp_path / "post.md").write_text("---\ntitle: x\n---\n\n## 見出し TODO 書く\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(site_packages), os.environ.get("PYTHONPATH", "")])}
    rules = json.loads(run_cli("rules", "--output-format", "json", env=env, cwd=tmp_path).stdout)
    assert any(r["code"] == "XT001" for r in rules)
    assert "Unfinished posts" in run_cli("rule", "XT001", env=env, cwd=tmp_path).stdout
    r = run_cli("lint", "post.md", "--extend-select", "XT001", "--output-format", "json", "--no-cache", env=env, cwd=tmp_path)
    found = [d for d in json.loads(r.stdout) if d["code"] == "XT001"]
    assert [(d["line"], d["column"]) for d in found] == [(5, 8)]


def test_entry_points_are_read_as_importlib_metadata_reads_them(tmp_path: Path) -> None:
    from importlib.metadata import Distribution

    from blogtools.lint.registry import ENTRY_POINT_GROUP, entry_point_section

    text = ("# generated\n[console_scripts]\nmytodo = mytodo.cli:main\n\n"
            f"[{ENTRY_POINT_GROUP}]\nmytodo=mytodo\n  other = mytodo.extra:RULES  \n# a comment\n"
            "[other.group]\nnot_ours = x\n")
    dist = tmp_path / "mytodo-1.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text(text, encoding="utf-8")
    expected = [(ep.name, ep.value) for ep in Distribution.at(dist).entry_points if ep.group == ENTRY_POINT_GROUP]
    assert entry_point_section(text, ENTRY_POINT_GROUP) == expected == [("mytodo", "mytodo"),
                                                                      ("other", "mytodo.extra:RULES")]
