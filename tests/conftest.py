from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXAMPLE = FIXTURES / "sites" / "example"


def run_cli(*args: str, cwd: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None,
            input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m blogtools`` as a user would (a separate process)."""
    full_env = dict(os.environ)
    full_env.setdefault("BLOGTOOLS_CACHE_DIR", str(Path(cwd or ROOT) / ".blogtools-test-cache"))
    full_env.pop("FORCE_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "blogtools", *args], cwd=cwd, env=full_env, input=input,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


@pytest.fixture
def cli(tmp_path: Path):
    def _run(*args: str, cwd: str | os.PathLike[str] | None = None, **kw):
        kw.setdefault("env", {"BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")})
        return run_cli(*args, cwd=cwd or tmp_path, **kw)

    return _run


def text_at(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The text between two 1-based positions (the way every diagnostic is checked)."""
    from blogtools.lines import LineIndex

    index = LineIndex(text)
    return text[index.offset(line, column) : index.offset(end_line, end_column)]
