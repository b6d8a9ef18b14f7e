"""The GitHub Action (action.yml) and the README's workflow: their commands are run as the
runner would run them (no act: each composite `run:` step, with the inputs substituted, in
bash), on a copy of the example site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import EXAMPLE, ROOT

ACTION = ROOT / "action.yml"


def _action() -> dict:
    return YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))


def _expand(text: str, inputs: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        expr = m.group(1).strip()
        if expr == "github.action_path":
            return str(ROOT)
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        raise AssertionError(f"unexpected expression {expr!r}")

    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def _run_steps(workdir: Path, given: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    action = _action()
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update(given)
    results = []
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               BLOGTOOLS_CACHE_DIR=str(workdir / ".cache"))
    for step in action["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue  # (setup-python and the upload are GitHub's; installing is test_packaging's)
        condition = step.get("if", "")
        if "inputs.sarif == 'true'" in condition and inputs["sarif"] != "true":
            continue
        assert step["shell"] == "bash"
        step_env = {k: _expand(str(v), inputs) for k, v in (step.get("env") or {}).items()}
        results.append(subprocess.run(["bash", "-c", _expand(step["run"], inputs)], cwd=workdir,
                                      env={**env, **step_env}, capture_output=True, text=True, timeout=300))
    return results


def test_the_action_annotates_the_example_site_and_fails_the_job(tmp_path: Path) -> None:
    site = tmp_path / "repo"
    shutil.copytree(EXAMPLE, site)
    (lint,) = _run_steps(site, {})
    assert lint.returncode == 1, lint.stderr  # findings fail the job
    lines = lint.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), lines[:3]
    assert any("title=BT202 link-target-missing" in line for line in lines)


def test_the_action_writes_sarif_when_asked(tmp_path: Path) -> None:
    import json

    site = tmp_path / "repo"
    shutil.copytree(EXAMPLE, site)
    lint, sarif = _run_steps(site, {"sarif": "true", "args": "--select BT2"})
    assert lint.returncode == 1 and sarif.returncode == 0, sarif.stderr
    doc = json.loads((site / "blogtools.sarif").read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0" and {r["ruleId"][:3] for r in doc["runs"][0]["results"]} == {"BT2"}


def test_the_readme_workflow_uses_the_action_as_declared() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.github/workflows/blog\.yml\n.*?)```", readme, re.S)
    assert block, "the README shows the workflow"
    workflow = YAML(typ="safe").load(block.group(1))
    steps = workflow["jobs"]["lint"]["steps"]
    uses = [s for s in steps if "blogtools" in str(s.get("uses", ""))]
    assert len(uses) == 1
    assert set(uses[0].get("with", {})) <= set(_action()["inputs"])
    assert any(str(s.get("uses", "")).startswith("actions/checkout@") for s in steps)
