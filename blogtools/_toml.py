"""The TOML reader (``tomllib``, or ``tomli`` before Python 3.11), imported on first use:
a post or a site without TOML does not pay for it on start-up."""

from __future__ import annotations

import sys
from typing import Any


def tomllib() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib as module
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as module
    return module
