"""``blogtools`` command line: ``lint``, ``rules``, ``rule`` and the commands in
:mod:`blogtools.commands` (each module there registers its own subcommands).

Exit codes: 0 nothing found, 1 findings (or changes with ``--diff``), 2 usage or config error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from blogtools import __version__, submodules


def _command_modules() -> list[str]:
    import blogtools.commands as commands

    return submodules(commands)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``command`` (a module name) only that command's module
    is imported, so ``blogtools lint`` does not pay for ``migrate``'s imports."""
    parser = argparse.ArgumentParser(
        prog="blogtools",
        description="Lint, fix and migrate blog content: Markdown with YAML/TOML/JSON front matter.",
    )
    parser.add_argument("--version", action="version", version=f"blogtools {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _command_modules():
        if command is None or name == command:
            importlib.import_module(f"blogtools.commands.{name}").register(sub)
    return parser


def _tolerant_streams() -> None:
    """Text that cannot be encoded (a lone surrogate from a ``"\\ud800"`` escape in front
    matter, or a terminal that is not UTF-8) is written as a backslash escape, never a
    UnicodeEncodeError halfway through the output."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = args_list[0] if args_list else ""
    parser = build_parser(first if first in _command_modules() else None)
    args = parser.parse_args(args_list)
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
    """The console script: :func:`main`, then a quick exit. A run over a large site leaves
    millions of objects (results, site model) that a normal interpreter exit frees one by
    one: about a second on 10,000 posts, with everything already written. So the exit
    handlers run and the streams are flushed, and the process ends without that teardown
    (as mypy's ``hard_exit`` does)."""
    import atexit
    import os

    import blogtools.lint

    blogtools.lint.FREEZE_AFTER_RUN = True
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader gone, or stream closed
            pass
    os._exit(code)
