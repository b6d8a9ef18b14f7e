"""Every rule, found once: the built-in modules of ``blogtools_rules`` and third-party
modules registered under the ``blogtools.rules`` entry point group."""

from __future__ import annotations

import importlib
import sys
from functools import lru_cache

from blogtools.lint.rule import SEVERITIES, Rule

ENTRY_POINT_GROUP = "blogtools.rules"


class RegistryError(Exception):
    pass


def _rules_in(module: object) -> list[type[Rule]]:
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.code:
            if value.__module__ == getattr(module, "__name__", None):
                found.append(value)
    return found


def _builtin_modules() -> list[object]:
    import blogtools_rules

    from blogtools import submodules

    return [importlib.import_module(f"blogtools_rules.{name}") for name in submodules(blogtools_rules)]


def _entry_points() -> list[tuple[str, str]]:
    """(name, "module[:attr]") of every ``blogtools.rules`` entry point on sys.path.

    Reads the ``entry_points.txt`` of installed distributions directly: the same data
    ``importlib.metadata.entry_points`` returns, without its ~25 ms import and scan, which a
    one-file pre-commit run would pay on every commit.
    """
    import os

    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        try:
            names = os.listdir(entry)
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            path = os.path.join(entry, name, "entry_points.txt")
            try:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if ENTRY_POINT_GROUP not in text:
                continue
            for ep_name, value in entry_point_section(text, ENTRY_POINT_GROUP):
                if ep_name not in seen:
                    seen.add(ep_name)
                    found.append((ep_name, value))
    return found


def entry_point_section(text: str, group: str) -> list[tuple[str, str]]:
    """The ``name = value`` lines of one ``[group]`` of an ``entry_points.txt``, read the way
    :mod:`importlib.metadata` reads them (a line format, not full INI: no configparser import)."""
    out: list[tuple[str, str]] = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] == "#":
            continue
        if line[0] == "[" and line[-1] == "]":
            inside = line[1:-1].strip() == group
        elif inside and "=" in line:
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out


def _plugin_modules() -> list[object]:
    modules = []
    for name, value in _entry_points():
        module_name, _, attr = value.partition(":")
        try:
            module = importlib.import_module(module_name.strip())
            modules.append(getattr(module, attr.strip()) if attr else module)
        except Exception as exc:  # a broken plugin must not stop the run
            print(f"blogtools: cannot load rule plugin {name!r} ({value}): {exc}", file=sys.stderr)
    return modules


@lru_cache(maxsize=1)
def all_rules() -> dict[str, type[Rule]]:
    """Code → rule class, sorted by code."""
    rules: dict[str, type[Rule]] = {}
    for module in _builtin_modules() + _plugin_modules():
        for rule in _rules_in(module):
            if rule.code in rules and rules[rule.code] is not rule:
                raise RegistryError(f"rule code {rule.code} is defined twice: {rules[rule.code].__module__} and {rule.__module__}")
            if rule.severity not in SEVERITIES:
                raise RegistryError(f"rule {rule.code}: unknown severity {rule.severity!r}")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


def retired() -> dict[str, str]:
    import blogtools_rules

    return dict(getattr(blogtools_rules, "RETIRED", {}))


def lookup(code_or_name: str) -> type[Rule] | None:
    key = code_or_name.strip()
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.name == key:
            return rule
    return None


def matches(rule: type[Rule], selector: str) -> bool:
    """``ALL``, a code prefix (``BT2``), a full code, or a rule name."""
    s = selector.strip()
    return s.upper() == "ALL" or rule.code.startswith(s.upper()) or rule.name == s
