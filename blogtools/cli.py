"""``blogtools`` command line: ``lint``, ``rules``, ``rule`` and the commands in
:mod:`blogtools.commands` (each module there registers its own subcommands).

Exit codes: 0 nothing found, 1 findings (or changes with ``--diff``), 2 usage or config error.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import Sequence

from blogtools import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blogtools",
        description="Lint, fix and migrate blog content: Markdown with YAML/TOML/JSON front matter.",
    )
    parser.add_argument("--version", action="version", version=f"blogtools {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import blogtools.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"blogtools.commands.{info.name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("blogtools: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


def run() -> None:
    raise SystemExit(main())
