"""Configuration: one TOML table found by walking up from the linted path.

``blogtools.toml`` (keys at the top level) or ``pyproject.toml`` (under ``[tool.blogtools]``);
the nearest one wins, ``blogtools.toml`` before ``pyproject.toml`` in the same folder. Every
key is validated: an unknown key or a bad value is an error naming the key and the file.
Rule options live in tables named by their dotted keys (``[front-matter] format = "toml"``).
"""

from __future__ import annotations

import os
from typing import Any

from blogtools import _toml
from blogtools.record import dataclass, field


DEFAULT_INCLUDE = ("**/*.md", "**/*.markdown")
DEFAULT_EXCLUDE = (
    ".git/**", "**/.git/**", "**/node_modules/**", "public/**", "resources/**", "_site/**",
    "**/.venv/**", "**/venv/**", ".hugo_build.lock",
)
GENERATORS = ("auto", "hugo", "jekyll", "hatena", "plain")
FORMATS = ("text", "json", "github", "sarif")


class ConfigError(Exception):
    pass


def _str_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"expected a list of strings, got {value!r}"
    return None


def _per_file(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a table of glob = [codes], got {value!r}"
    for k, v in value.items():
        if _str_list(v):
            return f"{k!r}: expected a list of codes, got {v!r}"
    return None


# key → (default, validator returning an error or None)
CORE_KEYS: dict[str, tuple[Any, Any]] = {
    "include": (list(DEFAULT_INCLUDE), _str_list),
    "exclude": ([], _str_list),
    "extend-exclude": ([], _str_list),
    "select": (None, _str_list),
    "extend-select": ([], _str_list),
    "ignore": ([], _str_list),
    "per-file-ignores": ({}, _per_file),
    "generator": ("auto", lambda v: None if v in GENERATORS else f"expected one of {', '.join(GENERATORS)}, got {v!r}"),
    "content-dir": (None, lambda v: None if isinstance(v, str) else f"expected a string, got {v!r}"),
    "max-file-size": (4 * 1024 * 1024, lambda v: None if isinstance(v, int) and v > 0 else f"expected a positive integer, got {v!r}"),
    "cache": (True, lambda v: None if isinstance(v, bool) else f"expected true or false, got {v!r}"),
    "jobs": (0, lambda v: None if isinstance(v, int) and v >= 0 else f"expected an integer >= 0, got {v!r}"),
    "output-format": ("text", lambda v: None if v in FORMATS else f"expected one of {', '.join(FORMATS)}, got {v!r}"),
    "external": (False, lambda v: None if isinstance(v, bool) else f"expected true or false, got {v!r}"),
}


# The JSON schema of each core key: what CORE_KEYS' validators accept, for editors
# (tests/test_config_schema.py checks that both agree on the same values).
_STRINGS = {"type": "array", "items": {"type": "string"}}
CORE_SCHEMA: dict[str, dict[str, Any]] = {
    "include": {**_STRINGS, "description": "globs of the files to lint (default: every .md / .markdown)"},
    "exclude": {**_STRINGS, "description": "globs never linted (replaces the built-in list's additions)"},
    "extend-exclude": {**_STRINGS, "description": "globs never linted, added to exclude"},
    "select": {**_STRINGS, "description": "rule codes, prefixes (BT2) or names; ALL for every rule"},
    "extend-select": {**_STRINGS, "description": "rules added to the selection (e.g. opt-in style rules)"},
    "ignore": {**_STRINGS, "description": "rules taken out of the selection"},
    "per-file-ignores": {"type": "object", "additionalProperties": _STRINGS,
                         "description": "glob = [codes] ignored in the matching files"},
    "generator": {"enum": list(GENERATORS), "description": "the site's generator (auto: detected)"},
    "content-dir": {"type": "string", "description": "the content folder when it is not the generator's"},
    "max-file-size": {"type": "integer", "exclusiveMinimum": 0, "description": "bytes; larger files are not linted"},
    "cache": {"type": "boolean", "description": "keep results between runs"},
    "jobs": {"type": "integer", "minimum": 0, "description": "worker processes (0: all cores)"},
    "output-format": {"enum": list(FORMATS), "description": "how findings are printed"},
    "external": {"type": "boolean", "description": "also check external links (needs the network)"},
}


def _option_schema(opt: Any) -> dict[str, Any]:
    types = opt.type if isinstance(opt.type, tuple) else (opt.type,)
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}
    out: dict[str, Any] = {}
    kinds = [names[t] for t in types if t in names]
    if kinds:
        out["type"] = kinds[0] if len(kinds) == 1 else kinds
    if opt.choices is not None:
        out["enum"] = list(opt.choices)
    if opt.default is not None:
        out["default"] = opt.default
    if opt.help:
        out["description"] = opt.help
    return out


def json_schema() -> dict[str, Any]:
    """The JSON schema of blogtools.toml (and of [tool.blogtools] in pyproject.toml), made
    from the definitions that validate the config: CORE_SCHEMA and every rule's options."""
    properties: dict[str, Any] = {}
    for key, schema in CORE_SCHEMA.items():
        default = CORE_KEYS[key][0]
        properties[key] = {**schema, **({"default": default} if default is not None else {})}
    for key, opt in sorted(option_keys().items()):
        node = properties
        *tables, leaf = key.split(".")
        for table in tables:
            entry = node.setdefault(table, {"type": "object", "properties": {}, "additionalProperties": False})
            node = entry["properties"]
        node[leaf] = _option_schema(opt)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "blogtools.schema.json",
        "title": "blogtools configuration (blogtools.toml, or [tool.blogtools] in pyproject.toml)",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


@dataclass
class Config:
    root: str  # folder of the config file (or the linted path when there is none)
    path: str | None = None  # the config file
    values: dict[str, Any] = field(default_factory=dict)  # core keys, validated
    rule_settings: dict[str, Any] = field(default_factory=dict)  # dotted option key → value

    def get(self, key: str) -> Any:
        return self.values.get(key, CORE_KEYS[key][0])


def find_config_file(start: str) -> tuple[str | None, dict[str, Any]]:
    """Walk up from ``start`` to the first blogtools.toml or pyproject.toml with our table."""
    here = os.path.abspath(start)
    if os.path.isfile(here):
        here = os.path.dirname(here)
    while True:
        candidate = os.path.join(here, "blogtools.toml")
        if os.path.isfile(candidate):
            return candidate, _read(candidate)
        candidate = os.path.join(here, "pyproject.toml")
        if os.path.isfile(candidate):
            data = _read(candidate)
            table = data.get("tool", {}).get("blogtools")
            if table is not None:
                return candidate, table
        parent = os.path.dirname(here)
        if parent == here:
            return None, {}
        here = parent


def _read(path: str) -> dict[str, Any]:
    tomllib = _toml.tomllib()
    from blogtools import safefs

    try:
        return tomllib.loads(safefs.read_bytes(path, 16 << 20).decode("utf-8"))
    except safefs.Refused as exc:
        raise ConfigError(f"{path}: {exc.reason}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def load(start: str, explicit: str | None = None) -> Config:
    if explicit:
        data = _read(explicit)
        if os.path.basename(explicit) == "pyproject.toml":
            data = data.get("tool", {}).get("blogtools", {})
        path: str | None = explicit
    else:
        path, data = find_config_file(start)
    root = os.path.dirname(os.path.abspath(path)) if path else _default_root(start)
    config = Config(root=root, path=path)
    _validate(config, data, path or "<defaults>")
    return config


def _default_root(start: str) -> str:
    """Without a config file, globs are relative to the site (or the linted folder)."""
    from blogtools.site import find_site_root

    here = os.path.abspath(start)
    return find_site_root(here) or (here if os.path.isdir(here) else os.path.dirname(here))


def option_keys() -> dict[str, Any]:
    from blogtools.lint.registry import all_rules

    keys: dict[str, Any] = {}
    for rule in all_rules().values():
        for opt in rule.options:
            keys.setdefault(opt.key, opt)
    return keys


def _validate(config: Config, data: dict[str, Any], source: str) -> None:
    options = None
    for key, value in data.items():
        if key in CORE_KEYS:
            error = CORE_KEYS[key][1](value)
            if error:
                raise ConfigError(f"{source}: {key}: {error}")
            config.values[key] = value
            continue
        if options is None:
            options = option_keys()
        _validate_option(config, options, key, value, source)
    _validate_selectors(config, source)


SELECTOR_KEYS = ("select", "extend-select", "ignore")


def _validate_selectors(config: Config, source: str) -> None:
    """Every rule selector names a rule: a typo in ``select`` or ``per-file-ignores`` would
    otherwise select or ignore nothing, silently."""
    lists = [(key, None, config.values[key]) for key in SELECTOR_KEYS if config.values.get(key)]
    lists += [("per-file-ignores", glob, codes) for glob, codes in (config.values.get("per-file-ignores") or {}).items()]
    if not any(sels for _, _, sels in lists):
        return  # (the rules are imported only when a selector is written)
    from blogtools.lint.registry import all_rules, matches

    rules = all_rules().values()
    for key, glob, selectors in lists:
        for selector in selectors:
            if any(matches(rule, selector) for rule in rules):
                continue
            line = _line_of(config.path, key, selector) if config.path else None
            where = f"{source}:{line}" if line else source
            what = f"{key}: {glob!r}" if glob is not None else key
            raise ConfigError(f"{where}: {what}: unknown rule selector {selector!r} (see `blogtools rules`)")


def _line_of(path: str, key: str, value: str) -> int | None:
    """The 1-based line where ``value`` is written as a string under ``key`` (the first
    after the key, within our table of a pyproject.toml), or None. Only for error messages."""
    import re

    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    quoted = [q + value + q for q in ('"', "'")]
    start = next((i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\.blogtools\b", line)), 0)
    key_re = re.compile(rf"\s*(?:\[\s*(?:tool\.blogtools\.)?{re.escape(key)}\s*\]|[\"']?{re.escape(key)}[\"']?\s*=)")
    start = next((i for i in range(start, len(lines)) if key_re.match(lines[i])), start)
    for i in list(range(start, len(lines))) + list(range(0, start)):
        if any(q in lines[i] for q in quoted):
            return i + 1
    return None


def _validate_option(config: Config, options: dict[str, Any], key: str, value: Any, source: str) -> None:
    if key in options:
        error = options[key].check(value)
        if error:
            raise ConfigError(f"{source}: {key}: {error}")
        config.rule_settings[key] = value
        return
    if isinstance(value, dict) and any(k.startswith(key + ".") for k in options):
        for sub, subvalue in value.items():
            _validate_option(config, options, f"{key}.{sub}", subvalue, source)
        return
    import difflib

    known = list(options) + list(CORE_KEYS)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    raise ConfigError(f"{source}: unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                      + " (`blogtools rule CODE` lists each rule's keys)")
