"""Structure the code must keep: a rule imports only public names of the ``blogtools``
package (helpers rules share live in ``blogtools.rulesupport``), never another rule
(``blogtools_rules.*``) nor a private module or name."""

from __future__ import annotations

import ast
from pathlib import Path

RULES = Path(__file__).resolve().parent.parent / "rules"


def bad_imports(source: str) -> list[tuple[int, str]]:
    """(line, what) of each import a rule module may not make."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                out.append((node.lineno, f"relative import {'.' * node.level}{module}"))
                continue
            if module == "__future__":
                continue
            parts = module.split(".")
            if parts[0] in ("blogtools_rules", "rules"):
                out.append((node.lineno, f"another rule: {module}"))
            elif any(p.startswith("_") for p in parts):
                out.append((node.lineno, f"private module {module}"))
            out.extend((node.lineno, f"private name {module}.{a.name}") for a in node.names
                       if a.name.startswith("_"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] in ("blogtools_rules", "rules"):
                    out.append((node.lineno, f"another rule: {alias.name}"))
                elif any(p.startswith("_") for p in parts):
                    out.append((node.lineno, f"private module {alias.name}"))
    return out


def test_the_check_finds_each_kind_of_bad_import():
    source = "\n".join([
        "from __future__ import annotations",
        "import datetime as _dt",                                  # a private alias is fine
        "from blogtools.site import MODEL_FACTS",                  # fine
        "from blogtools_rules.other_rule import helper",           # 4
        "from blogtools.site import _private, key_index",          # 5
        "from blogtools._toml import loads",                       # 6
        "import blogtools_rules.external_links",                   # 7
        "from . import typos",                                     # 8
        "def f():",
        "    from rules._shared import memo",                      # 10 (inside a function too)
    ])
    assert [line for line, _ in bad_imports(source)] == [4, 5, 6, 7, 8, 10]


def test_no_rule_imports_another_rule_or_a_private_name():
    files = sorted(RULES.glob("*.py"))
    assert len(files) > 40  # the rules folder was found
    found = [f"{path.name}:{line}: {what}" for path in files
             for line, what in bad_imports(path.read_text(encoding="utf-8"))]
    assert not found, "rules import what they should not (move it to blogtools.rulesupport):\n" + "\n".join(found)


def test_no_private_modules_in_rules():
    assert [p.name for p in RULES.glob("_*.py") if p.name != "__init__.py"] == []
