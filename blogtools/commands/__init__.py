"""Subcommands. Each module defines ``register(subparsers)``; keep imports here light."""
