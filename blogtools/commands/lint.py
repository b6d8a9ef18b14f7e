"""``blogtools lint [PATHS...]``: check (and with ``--fix`` repair) blog content.

This module parses the arguments; :func:`blogtools.lint.run.run` does the run."""

from __future__ import annotations

import argparse
from typing import Any


LINT_EPILOG = """\
exit codes:
  0  nothing found (or --exit-zero)
  1  findings (with --diff: fixes to apply)
  2  usage or configuration error (an unknown rule, key or path; a missing extra)

examples:
  blogtools lint                              the site in the current folder
  blogtools lint content/posts/new-post.md    one post (site-wide rules still see the site)
  blogtools lint --fix                        apply safe fixes
  blogtools lint --statistics                 findings per rule
  blogtools lint --extend-select BT110,BT207  add opt-in style rules
  blogtools lint --output-format github       annotations in a GitHub Actions log
"""


def codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    p.add_argument("--config", metavar="FILE", help="use this blogtools.toml / pyproject.toml instead of searching")
    p.add_argument("--output-format", choices=("text", "json", "github", "sarif"), default=None)
    p.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    p.add_argument("--quiet", "-q", action="store_true", help="print the findings only: no summary, no notices")


def register(sub: Any) -> None:
    import argparse as _argparse

    p = sub.add_parser("lint", help="check blog content (the pre-commit hook and CI job)",
                       formatter_class=_argparse.RawDescriptionHelpFormatter, epilog=LINT_EPILOG)
    add_common(p)
    p.add_argument("--select", type=codes, metavar="CODES",
                   help="only these codes, prefixes or names (comma-separated; ALL for all)")
    p.add_argument("--extend-select", type=codes, default=[], metavar="CODES",
                   help="add these rules to the selection (e.g. the opt-in BT110,BT207)")
    p.add_argument("--ignore", type=codes, default=[], metavar="CODES", help="skip these rules")
    p.add_argument("--fix", action="store_true", help="apply safe fixes")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: also apply unsafe fixes")
    p.add_argument("--diff", action="store_true", help="print the fixes as a diff instead of writing them")
    p.add_argument("--statistics", action="store_true",
                   help="print the number of findings per rule instead of the findings")
    p.add_argument("--external", action="store_true", help="also check external links (needs the network)")
    p.add_argument("--offline", action="store_true", help="never touch the network (external checks use the cache only)")
    p.add_argument("--generator", choices=("auto", "hugo", "jekyll", "hatena", "plain"), default=None)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from blogtools.lint.run import LintOptions, run

    return run(LintOptions.from_args(args))
