"""The installed tool, as users get it: a wheel in a fresh virtual environment, and the hook
run by the real pre-commit. Both need PyPI for dependencies (allowed: registries only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, require_program


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


@pytest.mark.slow
def test_wheel_installs_every_rule(tmp_path: Path) -> None:
    r = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)])
    assert r.returncode == 0, r.stderr
    wheel = next((tmp_path / "dist").glob("blogtools-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    r = _run([str(py), "-m", "pip", "install", "-q", str(wheel)])
    assert r.returncode == 0, r.stderr
    exe = env_dir / "bin" / "blogtools"
    here = _run([sys.executable, "-m", "blogtools", "rules", "--output-format", "json"])
    there = _run([str(exe), "rules", "--output-format", "json"], cwd=tmp_path)
    assert there.returncode == 0, there.stderr
    assert there.stdout == here.stdout  # the wheel finds every rule (rules/ ships as blogtools_rules)
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "blogtools/data/blogtools.schema.json" in names  # the editor schema ships in the package
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    r = _run([str(exe), "lint", str(site), "--no-cache"], cwd=tmp_path)
    assert r.returncode == 1 and "BT201" in r.stdout, r.stdout + r.stderr
    r = _run([str(py), "-c", "import blogtools_rules, blogtools; print(blogtools_rules.__file__)"], cwd=tmp_path)
    assert "site-packages" in r.stdout


@pytest.mark.slow
def test_pre_commit_runs_the_hook(tmp_path: Path) -> None:
    pre_commit = require_program("pre-commit", "pip install pre-commit")
    repo = tmp_path / "blog"
    repo.mkdir()
    git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    _run(["git", "init", "-q", str(repo)])
    post = repo / "post.md"
    post.write_text("---\ntitle: x\ndate: 2021-01-10T10:00:00+09:00\n---\n\n[資料 ](https://example.com/x)\n", encoding="utf-8")
    (repo / "notes.txt").write_text("[ignored ](x)\n", encoding="utf-8")
    _run(["git", "add", "."], cwd=repo)
    _run(git + ["commit", "-qm", "init"], cwd=repo)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"), BLOGTOOLS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PYTHONPATH", None)
    r = _run([pre_commit, "try-repo", str(ROOT), "blogtools-lint", "--all-files"], cwd=repo, env=env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "post.md:6:4: BT201" in r.stdout
    assert "notes.txt" not in r.stdout  # types: [markdown]
    r = _run([pre_commit, "try-repo", str(ROOT), "blogtools-fix", "--all-files"], cwd=repo, env=env)
    assert r.returncode == 1  # pre-commit fails a hook that changed files
    assert post.read_text(encoding="utf-8").endswith("[資料](https://example.com/x)\n")
    r = _run([pre_commit, "try-repo", str(ROOT), "blogtools-lint", "--all-files"], cwd=repo, env=env)
    assert r.returncode == 0, r.stdout


@pytest.mark.slow
def test_the_readme_pre_commit_snippet_works_as_pasted(tmp_path: Path) -> None:
    """The README's .pre-commit-config.yaml, with its repository URL pointing at a clone of
    this repository, tagged as the README's ``rev`` names the release (the package version)."""
    import re
    import tomllib

    pre_commit = require_program("pre-commit", "pip install pre-commit")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(# \.pre-commit-config\.yaml of your blog\n.*?)```", readme, re.S).group(1)
    rev = re.search(r"rev: (\S+)", snippet).group(1)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert rev == f"v{version}"  # the snippet names this release's tag
    git = ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    hooks = tmp_path / "hooks"
    assert _run(["git", "clone", "-q", str(ROOT), str(hooks)]).returncode == 0
    if _run(["git", "rev-parse", "-q", "--verify", f"refs/tags/{rev}"], cwd=hooks).returncode != 0:
        assert _run(git + ["tag", rev], cwd=hooks).returncode == 0  # (a checkout without tags)
    url = re.search(r"repo: (\S+)", snippet).group(1)
    repo = tmp_path / "blog"
    repo.mkdir()
    _run(["git", "init", "-q", str(repo)])
    (repo / ".pre-commit-config.yaml").write_text(snippet.replace(url, str(hooks)), encoding="utf-8")
    (repo / "post.md").write_text("---\ntitle: x\n---\n\n[資料 ](https://example.com/x)\n", encoding="utf-8")
    _run(["git", "add", "."], cwd=repo)
    _run(git + ["commit", "-qm", "init"], cwd=repo)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pc-home"), BLOGTOOLS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PYTHONPATH", None)
    r = _run([pre_commit, "run", "--all-files"], cwd=repo, env=env)
    assert r.returncode == 1 and "post.md:5:4: BT201" in r.stdout, r.stdout + r.stderr
