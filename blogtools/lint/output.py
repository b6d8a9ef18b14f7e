"""Output formats: text (ruff-style), json (stable), github (workflow commands), sarif 2.1.0."""

from __future__ import annotations

import json
import os
import sys
from typing import IO, Any, Iterable

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


# SARIF 2.1.0 (OASIS): https://docs.oasis-open.org/sarif/sarif/v2.1.0/ ; the schema's own id.
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# The URI base id of the folder the reported paths are relative to (the working folder).
SARIF_BASE_ID = "SRCROOT"
# Where each built-in rule's documentation is published: the one place to change it.
# The project has no published URL yet: pyproject.toml declares no [project.urls], and the
# README's pre-commit example names the repository https://github.com/OWNER/blogtools. The
# page docs/rules/<CODE>.md is meant to hold what `blogtools rule CODE` prints (the rule's
# docstring, which is also in each rule descriptor's ``help``); replace OWNER, and write
# those pages, when the repository is published.
RULE_HELP_URI = "https://github.com/OWNER/blogtools/blob/main/docs/rules/{code}.md"


def _file_uri(path: str) -> str:
    """An absolute path as a ``file:`` URI, percent-encoded (RFC 3986 / RFC 8089)."""
    from pathlib import Path

    return Path(path).as_uri()


def _relative_uri(rel: str) -> str:
    """A relative path as a relative reference: ``/`` kept, everything but unreserved
    characters percent-encoded (``%``, ``:``, ``,``, spaces; non-ASCII as UTF-8 bytes; an
    undecodable file name byte as itself)."""
    from urllib.parse import quote

    if os.sep != "/":
        rel = rel.replace(os.sep, "/")
    return quote(rel, safe="/", errors="surrogateescape")


def _artifact_location(path: str, base: str) -> dict[str, str]:
    """A path as shown (relative to ``base``, the working folder, or absolute outside it):
    a relative ``uri`` with ``uriBaseId`` inside ``base``, an absolute ``file:`` URI outside."""
    absolute = os.path.abspath(os.path.join(base, path))
    prefix = base.rstrip(os.sep) + os.sep
    if absolute.startswith(prefix):
        return {"uri": _relative_uri(absolute[len(prefix):]), "uriBaseId": SARIF_BASE_ID}
    return {"uri": _file_uri(absolute)}


def _base_uri(base: str) -> str:
    uri = _file_uri(base)
    return uri if uri.endswith("/") else uri + "/"


def _first_paragraph(doc: str) -> str:
    """The first paragraph of a rule's docstring (its one-line description)."""
    return doc.split("\n\n", 1)[0].strip()


def _rule_descriptor(rule: Any, level: dict[str, str]) -> dict[str, object]:
    doc = rule.doc()
    code = rule.code
    out: dict[str, object] = {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or code},
        "fullDescription": {"text": _first_paragraph(doc) or rule.summary or code},
        "help": {"text": (doc + "\n\n" if doc else "") + f"`blogtools rule {code}` prints this documentation."},
        "defaultConfiguration": {"level": level.get(rule.severity, "warning")},
    }
    # Only the built-in rules are documented in this repository; a plugin's rule is not.
    if rule.__module__.split(".", 1)[0] == "blogtools_rules":
        out["helpUri"] = RULE_HELP_URI.format(code=code)
    return out


class _Texts:
    """The text of each reported file, read once, as the rules saw it (decoded, without BOM,
    newlines as in the file) with its line index: a Fix holds offsets, SARIF wants lines."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.docs: dict[str, Any] = {}

    def get(self, path: str) -> Any:
        if path not in self.docs:
            from blogtools.document import Document, LoadError

            try:
                self.docs[path] = Document.read(os.path.join(self.base, path), sys.maxsize)
            except (LoadError, OSError):
                self.docs[path] = None
        return self.docs[path]


def _sarif_fix(d: Diagnostic, location: dict[str, str], texts: _Texts) -> dict[str, object] | None:
    """A Diagnostic's Fix as a SARIF ``fix``: one artifactChange (every edit of a Fix is in the
    diagnostic's file), a replacement per edit in the order the fixer applies them, each
    deletedRegion by line and column of the unmodified file (columns in code points, see
    ``columnKind``; lines broken as ``newlineSequences`` says), the inserted text with the
    file's newline style as the fixer writes it. None when the file can no longer be read or
    no longer matches the edits, or when the Fix has no edits (built only when applied)."""
    from blogtools.lint.fixer import _newlines

    fix = d.fix
    if fix is None or not fix.edits:
        return None
    doc = texts.get(d.path)
    if doc is None:
        return None
    text, lines = doc.text, doc.lines
    edits = sorted(_newlines(fix, doc.newline).edits, key=lambda e: (e.start, e.end))
    if any(not 0 <= e.start <= e.end <= len(text) for e in edits):
        return None
    replacements = []
    for e in edits:
        line, column, end_line, end_column = lines.span(e.start, e.end)
        replacement: dict[str, object] = {"deletedRegion": {
            "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}}
        if e.content:
            replacement["insertedContent"] = {"text": e.content}
        replacements.append(replacement)
    return {
        "description": {"text": fix.description or f"{d.code} ({d.name}): {d.message}"},
        "artifactChanges": [{"artifactLocation": dict(location), "replacements": replacements}],
        # applied by `blogtools lint --fix` when safe, by `--fix --unsafe-fixes` otherwise
        "properties": {"safe": fix.safe},
    }


def sarif(diagnostics: list[Diagnostic], stream: IO[str], rules: Iterable[type], base: str | None = None) -> None:
    """SARIF 2.1.0. ``base``: the folder the diagnostics' relative paths are relative to (the
    working folder, as :func:`blogtools.lint.runner.display_path` makes them)."""
    base = os.path.abspath(base or os.getcwd())
    level = {"error": "error", "warning": "warning", "info": "note"}
    rule_classes = list(rules)
    known = {getattr(r, "code", None) for r in rule_classes}
    missing = sorted({d.code for d in diagnostics} - known)
    if missing:  # e.g. BT001 for an unreadable file while BT0 is not selected
        from blogtools.lint.registry import all_rules

        everything = all_rules()
        rule_classes += [everything[c] for c in missing if c in everything]
    rule_list = [_rule_descriptor(r, level) for r in rule_classes]
    index = {r["id"]: i for i, r in enumerate(rule_list)}
    texts = _Texts(base)
    results = []
    for d in diagnostics:
        location = _artifact_location(d.path, base)
        result: dict[str, object] = {"ruleId": d.code}
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        result.update({
            "level": level.get(d.severity, "warning"),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": location,
                "region": {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column},
            }}],
        })
        fix = _sarif_fix(d, location, texts)
        if fix is not None:
            result["fixes"] = [fix]
        results.append(result)
    run = {
        "tool": {"driver": {"name": "blogtools", "version": __version__, "rules": rule_list}},
        "originalUriBaseIds": {SARIF_BASE_ID: {
            "uri": _base_uri(base), "description": {"text": "The folder blogtools ran in; paths are relative to it."}}},
        # Columns count Unicode code points (a kanji or an emoji is one column) and a lone CR
        # ends a line too, as blogtools.lines.LineIndex counts them.
        "columnKind": "unicodeCodePoints",
        "newlineSequences": ["\r\n", "\r", "\n"],
        "results": results,
    }
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    json.dump(doc, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def statistics(fmt: str, diagnostics: list[Diagnostic], files: int, stream: IO[str] = sys.stdout) -> None:
    """``--statistics``: the count of findings per rule, most frequent first (as ruff's)."""
    rows: dict[str, dict[str, Any]] = {}
    for d in diagnostics:
        row = rows.setdefault(d.code, {"code": d.code, "name": d.name, "count": 0, "fixable": 0})
        row["count"] += 1
        row["fixable"] += bool(d.fix)
    ordered = sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))
    if fmt == "json":
        json.dump(ordered, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    width = max((len(str(r["count"])) for r in ordered), default=1)
    for r in ordered:
        mark = "[*]" if r["fixable"] == r["count"] else "[-]" if r["fixable"] else "   "
        stream.write(f"{r['count']:>{width}}  {r['code']}  {mark} {r['name']}\n")
    summary(diagnostics, files, stream)


def emit(fmt: str, diagnostics: list[Diagnostic], files: int, rules: Iterable[type], stream: IO[str] = sys.stdout,
         fixed: int = 0, unsafe: bool = False, quiet: bool = False) -> None:
    if fmt == "json":
        as_json(diagnostics, stream)
    elif fmt == "github":
        github(diagnostics, stream)
    elif fmt == "sarif":
        sarif(diagnostics, stream, rules)
    else:
        text(diagnostics, stream)
        if not quiet:  # (-q: the findings alone, no summary lines)
            summary(diagnostics, files, stream, fixed, unsafe)
