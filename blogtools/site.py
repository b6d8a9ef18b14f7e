"""The site: generator profile, its configuration and (after the per-file pass) every page.

In the per-file pass a rule sees a Site with the profile and config but no pages; site-wide
rules (``check_site``) see every page's facts.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json")


@dataclass
class Site:
    root: str
    generator: str = "plain"
    config_file: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)  # facts, one per document

    def setting(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.config
        for part in dotted.split("."):
            if not isinstance(node, dict):
                return default
            # Hugo keys are case-insensitive
            match = next((k for k in node if k.lower() == part.lower()), None)
            if match is None:
                return default
            node = node[match]
        return node


def find_site_root(start: str) -> str | None:
    here = os.path.abspath(start)
    if os.path.isfile(here):
        here = os.path.dirname(here)
    while True:
        if any(os.path.isfile(os.path.join(here, n)) for n in HUGO_CONFIGS + ("_config.yml",)) or os.path.isdir(
            os.path.join(here, "config", "_default")
        ):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load_site(start: str, generator: str = "auto") -> Site:
    root = find_site_root(start)
    if root is None:
        return Site(os.path.abspath(start) if os.path.isdir(start) else os.path.dirname(os.path.abspath(start)),
                    "plain" if generator == "auto" else generator)
    site = Site(root)
    for name in HUGO_CONFIGS:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            site.generator = "hugo"
            site.config_file = path
            site.config = _read_config(path)
            break
    else:
        if os.path.isfile(os.path.join(root, "_config.yml")):
            site.generator = "jekyll"
            site.config_file = os.path.join(root, "_config.yml")
            site.config = _read_config(site.config_file)
        elif os.path.isdir(os.path.join(root, "config", "_default")):
            site.generator = "hugo"
            for name in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml"):
                path = os.path.join(root, "config", "_default", name)
                if os.path.isfile(path):
                    site.config_file = path
                    site.config = _read_config(path)
                    break
    if generator != "auto":
        site.generator = generator
    return site


def _read_config(path: str) -> dict[str, Any]:
    try:
        if path.endswith(".toml"):
            with open(path, "rb") as fh:
                return tomllib.load(fh)
        if path.endswith(".json"):
            import json

            with open(path, encoding="utf-8") as fh:
                return json.load(fh)
        from blogtools.yamlload import load

        with open(path, encoding="utf-8-sig") as fh:
            data = load(fh.read()).data
        return data if isinstance(data, dict) else {}
    except Exception:  # a broken site config is reported by lint, never a crash here
        return {}
