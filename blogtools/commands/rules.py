"""``blogtools rules`` lists every rule; ``blogtools rule CODE`` prints one rule's documentation."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("rules", help="list every rule")
    p.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")
    p.set_defaults(func=list_rules)
    p = sub.add_parser("schema", help="print the JSON schema of blogtools.toml (for editors)")
    p.set_defaults(func=show_schema)
    p = sub.add_parser("rule", help="print the documentation of one rule")
    p.add_argument("code", metavar="CODE", help="rule code (BT201) or name (link-text-whitespace)")
    p.add_argument("--output-format", choices=("text", "markdown"), default="text",
                   help="text for the terminal (default) or the Markdown of docs/rules/CODE.md")
    p.set_defaults(func=show_rule)


def _fix(rule: Any) -> str:
    return rule.fixable or "no"


def list_rules(args: argparse.Namespace) -> int:
    from blogtools.lint.registry import all_rules, retired

    rules = list(all_rules().values())
    if args.output_format == "json":
        json.dump([{"code": r.code, "name": r.name, "summary": r.summary, "severity": r.severity,
                    "fix": r.fixable, "default": r.default_enabled, "site_wide": r.site_wide,
                    "options": [o.key for o in r.options]} for r in rules], sys.stdout, indent=2)
        print()
        return 0
    if args.output_format == "markdown":
        print("| code | name | severity | fix | default | summary |")
        print("|---|---|---|---|---|---|")
        for r in rules:
            print(f"| {r.code} | `{r.name}` | {r.severity} | {_fix(r)} | {'on' if r.default_enabled else 'off'} | {r.summary} |")
        return 0
    width = max((len(r.name) for r in rules), default=10)
    for r in rules:
        flag = "" if r.default_enabled else " (off by default)"
        print(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  fix:{_fix(r):<9} {r.summary}{flag}")
    for code, why in retired().items():
        print(f"{code}  (retired) {why}")
    return 0


def show_schema(args: argparse.Namespace) -> int:
    from blogtools.config import json_schema

    json.dump(json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


def show_rule(args: argparse.Namespace) -> int:
    from blogtools import ruledoc
    from blogtools.lint.registry import all_rules, lookup

    rule = lookup(args.code)
    if rule is None:
        import difflib

        known = [r.code for r in all_rules().values()] + [r.name for r in all_rules().values()]
        asked = args.code.strip()
        if asked[:2].lower() == "bt":  # BT2O1, bt2l0: letters typed for digits
            asked = "BT" + asked[2:].upper().translate(str.maketrans("OILS", "0115"))
        close = [asked] if asked in known else difflib.get_close_matches(asked, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        print(f"blogtools: unknown rule {args.code!r}{hint} (see `blogtools rules`)", file=sys.stderr)
        return 2
    page = ruledoc.markdown(rule) if getattr(args, "output_format", "text") == "markdown" else ruledoc.terminal(rule)
    sys.stdout.write(page)
    return 0
