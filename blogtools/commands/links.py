"""``blogtools links [PATHS...]``: check external links, a shortcut for
``blogtools lint --select BT7 --external`` with the same output formats and exit codes.

``--list`` prints every external URL with the places that use it and checks nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from blogtools.commands.lint import add_common, codes


def register(sub: Any) -> None:
    p = sub.add_parser("links", help="check external links (lint --select BT7 --external)")
    add_common(p)
    p.add_argument("--ignore", type=codes, default=[], help="skip these rules (e.g. BT703)")
    p.add_argument("--offline", action="store_true", help="never touch the network: report from the cache only")
    p.add_argument("--refresh", action="store_true", help="check every URL again, whatever the cache holds")
    p.add_argument("--check-anchors", action="store_true", help="also look for #fragments on linked pages (BT704)")
    p.add_argument("--list", action="store_true", help="print every external URL and where it is used; check nothing")
    p.add_argument("--fix", action="store_true", help="apply fixes (all BT7 fixes are unsafe: add --unsafe-fixes)")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply the unsafe fixes")
    p.add_argument("--diff", action="store_true", help="print the fixes as a diff instead of writing them")
    p.add_argument("--generator", choices=("auto", "hugo", "jekyll", "hatena", "plain"), default=None)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from blogtools import links
    from blogtools.lint import output
    from blogtools.lint.rule import Diagnostic
    from blogtools.lint.run import LintOptions, apply_fixes, only_requested, prepare, with_site_context
    from blogtools.lint.runner import Runner, display_path

    args.select, args.extend_select, args.external = ["BT7"], [], not args.list
    options = LintOptions.from_args(args)
    config, rules, site, found = prepare(options)
    if args.refresh:
        config.rule_settings["links.ttl-ok"] = config.rule_settings["links.ttl-error"] = 0
    if args.check_anchors:
        config.rule_settings["links.check-anchors"] = True
    fmt = args.output_format or config.get("output-format")
    runner = Runner(config, rules, site, jobs=args.jobs, use_cache=not args.no_cache and not (args.fix or args.diff))
    if args.list:
        return _list(runner.lint_files(found.files), fmt)
    # From here on as `blogtools lint` does it (see the report of issue 7 for letting lint do it all).
    unreadable = [Diagnostic(display_path(p), 1, 1, 1, 1, "BT001", "file-unreadable", "error", why)
                  for p, why in found.problems]
    files, fixed = with_site_context(found.files, rules, site, config, options.paths), 0
    before = links.last_session()
    if args.diff or args.fix:
        fixed, changed, result = apply_fixes(runner, files, options, set(found.files))
    else:
        changed, result = 0, runner.run(files)
    if links.missing_linkchecker():  # (each rule would report it as an internal error)
        print(f"blogtools: {links.MISSING}", file=sys.stderr)
        return 2
    if args.diff:
        return int(bool(changed))
    shown = sorted(unreadable + only_requested(result, found.files), key=Diagnostic.sort_key)
    session = links.last_session()
    if (args.offline and not shown and not fixed and fmt == "text" and session is not None
            and session is not before and session.not_checked and not session.results):
        n = len(session.not_checked)
        print(f"Nothing checked: the cache has no result for any of the {n} external URL{'s' if n != 1 else ''}"
              f" ({len(found.files)} file{'s' if len(found.files) != 1 else ''}) and --offline reads only the"
              " cache; run `blogtools links` without --offline to check them.")
        return 0
    output.emit(fmt, shown, len(found.files), rules, sys.stdout, fixed=fixed, unsafe=args.unsafe_fixes)
    return int(bool(shown) and not args.exit_zero)


def _list(results: list[Any], fmt: str) -> int:
    """Every external URL (as checked) with each use: ``path:line:col``."""
    from blogtools import links

    uses = links.collect(r.facts for r in results if r.facts is not None)
    by_key: dict[str, list[Any]] = {}
    for use in sorted(uses, key=lambda u: (u.key, u.path, u.pos)):
        by_key.setdefault(use.key, []).append(use)
    if fmt == "json":
        json.dump([{"url": key, "uses": [{"path": u.path, "line": u.pos[0], "column": u.pos[1], "written": u.written,
                                          "where": u.where} for u in group]} for key, group in by_key.items()],
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for key, group in by_key.items():
        print(key)
        for u in group:
            print(f"  {u.path}:{u.pos[0]}:{u.pos[1]}: {u.where}")
    print(f"{len(by_key)} external URL{'s' if len(by_key) != 1 else ''}, {len(uses)} use{'s' if len(uses) != 1 else ''}.",
          file=sys.stderr)
    return 0
