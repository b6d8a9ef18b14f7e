"""The Hugo version a site builds with and the shortcodes it can call, shared by the
shortcode and embed rules (BT602, BT603, BT604, BT610, BT611)."""

from __future__ import annotations

import re
from typing import Any

from blogtools.document import Document
from blogtools.lint.rule import Option, Rule


def _version(value: Any) -> str | None:
    if value == "" or (isinstance(value, str) and re.match(r"^v?\d+\.\d+", value)):
        return None
    return f"expected a version such as \"0.156\" (or \"\" to detect it), got {value!r}"


HUGO_VERSION = Option("shortcodes.hugo-version", "", "the Hugo version the site builds with; \"\" reads it from "
                      "the site's hugo dependency (package.json, requirements.txt, pyproject.toml), "
                      "module.hugoVersion, netlify.toml, GitHub workflows or .hugo-version, else the installed "
                      "Hugo, else the latest",
                      type=str, validate=_version)


def site_version(rule: Rule, site: Any) -> tuple[int, int]:
    from blogtools.generators.hugo import LATEST, parse_version

    given = parse_version(rule.option("shortcodes.hugo-version") or "")
    if given:
        return given
    found = site.profile.version()
    return tuple(found[:2]) if found else LATEST  # type: ignore[return-value]


def available(rule: Rule, site: Any) -> dict[str, str]:
    """Shortcodes the site can call at its Hugo version: name → template ("" built in)."""
    from blogtools.generators.hugo import BUILTINS, REMOVED

    version = site_version(rule, site)
    names = {n: p for n, p in site.profile.shortcodes().items() if p}
    for name, since in BUILTINS.items():
        if since <= version and not (name in REMOVED and REMOVED[name][0] <= version):
            names.setdefault(name, "")
    return names


def name_span(doc: Document, start: int, end: int, name: str) -> tuple[int, int]:
    raw = doc.text[start:end]
    at = raw.find(name, 3)
    return (start + at, start + at + len(name)) if at >= 0 else (start, end)
