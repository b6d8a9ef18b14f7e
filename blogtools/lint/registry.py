"""Every rule, found once: the built-in modules of ``blogtools_rules`` and third-party
modules registered under the ``blogtools.rules`` entry point group."""

from __future__ import annotations

import importlib
import pkgutil
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

    names = sorted(m.name for m in pkgutil.iter_modules(blogtools_rules.__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"blogtools_rules.{name}") for name in names]


def _plugin_modules() -> list[object]:
    from importlib.metadata import entry_points

    modules = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            modules.append(ep.load())
        except Exception as exc:  # a broken plugin must not stop the run
            print(f"blogtools: cannot load rule plugin {ep.name!r} ({ep.value}): {exc}", file=sys.stderr)
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
