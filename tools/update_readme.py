"""Regenerate the README's generated blocks from the real tool (run after adding rules)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "blogtools", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", env={"NO_COLOR": "1", "PATH": ""}).stdout


def replace(text: str, name: str, content: str) -> str:
    return re.sub(rf"(<!-- OUTPUT:{name} -->\n).*?(<!-- /OUTPUT -->)",
                  lambda m: m.group(1) + content + m.group(2), text, flags=re.S)


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    lint = run("lint", "fixtures/sites/example", "--no-cache")
    text = replace(text, "lint-example", f"```text\n$ blogtools lint fixtures/sites/example\n{lint}```\n")
    text = replace(text, "rules-table", run("rules", "--output-format", "markdown"))
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
