"""A rule's documentation as a terminal page (``blogtools rule CODE``) and as a Markdown page
(``docs/rules/CODE.md``), both from the rule's docstring, its options and its measured
precision (``rules/data/precision.toml``), so the two never differ.

Docstrings are written in a small reST subset: section titles on their own line, ``::``
before an indented literal block, ````code```` in double backquotes.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from blogtools.lint.rule import DOC_SECTIONS

TITLES = DOC_SECTIONS + ("Use instead", "Options", "Measured precision")

_DOUBLE = re.compile(r"``(.+?)``", re.S)


def toml_value(value: Any) -> str:
    """A value as it is written in blogtools.toml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)


def _blocks(doc: str) -> list[tuple[str, list[str]]]:
    """(section title, lines) in order; the text before the first section is titled ""."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in doc.splitlines():
        if line.strip() in TITLES and not line.startswith(" "):
            out.append((line.strip(), []))
        else:
            out[-1][1].append(line)
    return out


def _inline(text: str, code: str) -> str:
    return _DOUBLE.sub(lambda m: code + m.group(1) + code, text)


def _dedent(lines: list[str]) -> list[str]:
    width = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return [l[width:] for l in lines]


def _paragraphs(lines: list[str], markdown: bool) -> list[str]:
    """Body lines with ``::`` literal blocks turned into plain indented text or fences."""
    out: list[str] = []
    lines = _dedent(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.rstrip()
        literal = stripped.endswith("::")
        if literal:
            head = stripped[:-2].rstrip()
            if head:
                out.append(_inline(head + ":", "`"))
            i += 1
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i])
                i += 1
            while block and not block[0].strip():
                block.pop(0)
            trailing = 0
            while block and not block[-1].strip():
                block.pop()
                trailing += 1
            code = _dedent(block)
            if markdown:
                out += ["", "```", *code, "```"]
            else:
                out += ["", *("    " + c if c else "" for c in code)]
            out += [""] * min(trailing, 1)
            continue
        out.append(_inline(line, "`"))
        i += 1
    while out and not out[-1].strip():
        out.pop()
    return out


@lru_cache(maxsize=1)
def _precision_table() -> dict[str, Any]:
    from importlib import resources

    from blogtools import _toml

    try:
        raw = resources.files("blogtools_rules").joinpath("data/precision.toml").read_text(encoding="utf-8")
        return _toml.tomllib().loads(raw)
    except (OSError, ValueError, ModuleNotFoundError):
        return {}


def precision(code: str) -> dict[str, Any] | None:
    """The measured precision of a rule (``rules/data/precision.toml``), or None."""
    entry = _precision_table().get(code)
    return entry if isinstance(entry, dict) else None


def _measured(rule: Any) -> list[str]:
    entry = precision(rule.code)
    if entry is None:
        return ["Not measured yet against real blogs (benchmarks/accuracy.py)."]
    lines = [f"{entry.get('summary', '')}".strip()]
    return [l for l in lines if l]


def _header(rule: Any) -> str:
    return (f"severity: {rule.severity}; fix: {rule.fixable or 'no'}; "
            f"{'on' if rule.default_enabled else 'off'} by default"
            + ("; site-wide" if rule.site_wide else "") + ("; needs the network" if rule.needs_network else ""))


def terminal(rule: Any) -> str:
    """The page ``blogtools rule CODE`` prints: plain text, no markup."""
    out = [f"{rule.code} {rule.name}: {rule.summary}", _header(rule), ""]
    for title, lines in _blocks(rule.doc()):
        if title == "Options":
            continue  # (listed below from the options themselves, with their real defaults)
        body = _paragraphs(lines, markdown=False)
        if title:
            out += [title, *("    " + l if l else "" for l in body), ""]
        else:
            out += [*body, ""]
    out += ["Measured precision", *("    " + l for l in _measured(rule)), ""]
    if rule.options:
        out.append("Options (blogtools.toml)")
        for opt in rule.options:
            out.append(f"    {opt.key} = {toml_value(opt.default)}")
            if opt.help:
                out.append(f"        {opt.help}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def markdown(rule: Any) -> str:
    """The page ``docs/rules/CODE.md``: the same content as Markdown."""
    out = [f"# {rule.code} `{rule.name}`", "", f"{rule.summary}.", "", f"*{_header(rule)}*", ""]
    for title, lines in _blocks(rule.doc()):
        if title == "Options":
            continue
        body = _paragraphs(lines, markdown=True)
        if title:
            out += [f"## {title}", "", *body, ""]
        else:
            out += [*body, ""]
    out += ["## Measured precision", "", *_measured(rule), ""]
    if rule.options:
        out += ["## Options", "", "| key | default | meaning |", "|---|---|---|"]
        for opt in rule.options:
            meaning = opt.help.replace("|", "\\|")
            out.append(f"| `{opt.key}` | `{toml_value(opt.default)}` | {meaning} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
