"""``blogtools server``: the language server (LSP over stdio) for editors (docs/editors.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

INSTALL = "pipx install 'blogtools[lsp]' (or pip install 'pygls>=2,<3' beside blogtools)"


def register(sub: Any) -> None:
    p = sub.add_parser("server", help="run the language server for editors (LSP over stdin/stdout)")
    # Clients such as vscode-languageclient add --stdio; it is the only transport anyway.
    p.add_argument("--stdio", action="store_true", help="speak LSP over stdin/stdout (the default)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    try:
        import pygls.lsp.server  # noqa: F401 - pygls 2 (pygls 1 has no pygls.lsp.server)
    except ImportError:
        print(f"blogtools: the language server needs pygls 2: {INSTALL}", file=sys.stderr)
        return 2
    from blogtools.server import serve

    return serve()
