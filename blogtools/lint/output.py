"""Output formats: text (ruff-style), json (stable), github (workflow commands), sarif 2.1.0."""

from __future__ import annotations

import json
import os
import sys
from typing import IO, Iterable

from blogtools import __version__
from blogtools.lint.rule import Diagnostic

SEVERITY_COLOR = {"error": "31", "warning": "33", "info": "36"}


def use_color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _c(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def text(diagnostics: list[Diagnostic], stream: IO[str], *, show_fixes: bool = True) -> None:
    color = use_color(stream)
    for d in diagnostics:
        where = _c(f"{d.path}:{d.line}:{d.column}:", "1", color)
        code = _c(d.code, SEVERITY_COLOR.get(d.severity, "0") + ";1", color)
        mark = " [*]" if d.fix and show_fixes and d.fix.safe else (" [~]" if d.fix and show_fixes else "")
        stream.write(f"{where} {code}{mark} {d.message}\n")


def summary(diagnostics: list[Diagnostic], files: int, stream: IO[str], fixed: int = 0, unsafe: bool = False) -> None:
    color = use_color(stream)
    if fixed:
        stream.write(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.\n")
    if not diagnostics:
        if not fixed:
            stream.write(_c(f"All checks passed ({files} file{'s' if files != 1 else ''}).", "32", color) + "\n")
        return
    safe = sum(1 for d in diagnostics if d.fix and d.fix.safe)
    unsafe_n = sum(1 for d in diagnostics if d.fix and not d.fix.safe)
    by_sev = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning", "info")}
    parts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in by_sev.items() if n)
    stream.write(f"Found {len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''} ({parts}) in {files} file{'s' if files != 1 else ''}.\n")
    if safe:
        stream.write(f"[*] {safe} fixable with `blogtools lint --fix`.\n")
    if unsafe_n and not unsafe:
        stream.write(f"[~] {unsafe_n} more fixable with `--fix --unsafe-fixes` (review the result).\n")


def as_json(diagnostics: list[Diagnostic], stream: IO[str]) -> None:
    json.dump([d.to_json() for d in diagnostics], stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(diagnostics: list[Diagnostic], stream: IO[str]) -> None:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for d in diagnostics:
        props = (
            f"file={_gh_escape(d.path, True)},line={d.line},col={d.column},"
            f"endLine={d.end_line},endColumn={d.end_column},title={_gh_escape(d.code + ' ' + d.name, True)}"
        )
        stream.write(f"::{level.get(d.severity, 'warning')} {props}::{_gh_escape(d.message)}\n")


def sarif(diagnostics: list[Diagnostic], stream: IO[str], rules: Iterable[type]) -> None:
    level = {"error": "error", "warning": "warning", "info": "note"}
    rule_list = [
        {"id": r.code, "name": r.name, "shortDescription": {"text": r.summary},
         "fullDescription": {"text": r.doc()}, "defaultConfiguration": {"level": level[r.severity]}}
        for r in rules
    ]
    results = []
    for d in diagnostics:
        results.append({
            "ruleId": d.code,
            "level": level.get(d.severity, "warning"),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": d.path.replace(os.sep, "/")},
                "region": {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column},
            }}],
        })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "blogtools", "version": __version__, "rules": rule_list}}, "results": results}],
    }
    json.dump(doc, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def emit(fmt: str, diagnostics: list[Diagnostic], files: int, rules: Iterable[type], stream: IO[str] = sys.stdout,
         fixed: int = 0, unsafe: bool = False) -> None:
    if fmt == "json":
        as_json(diagnostics, stream)
    elif fmt == "github":
        github(diagnostics, stream)
    elif fmt == "sarif":
        sarif(diagnostics, stream, rules)
    else:
        text(diagnostics, stream)
        summary(diagnostics, files, stream, fixed, unsafe)
