"""A small programmatic API: lint or fix text and files without the command line."""

from __future__ import annotations

import os
from typing import Any, Iterable

from blogtools.config import Config
from blogtools.document import Document
from blogtools.lint import fixer
from blogtools.lint.registry import all_rules, matches
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.lint.runner import Runner, lint_document
from blogtools.site import Site, load_site


def rules_for(select: Iterable[str] | None) -> list[type[Rule]]:
    rules = all_rules()
    if select is None:
        return [r for r in rules.values() if r.default_enabled]
    sel = list(select)
    return [r for r in rules.values() if any(matches(r, s) for s in sel)]


def lint_text(text: str, path: str = "post.md", select: Iterable[str] | None = None,
              settings: dict[str, Any] | None = None, site: Site | None = None) -> list[Diagnostic]:
    """Diagnostics of the file rules for one text (site-wide rules need :func:`lint_paths`)."""
    doc = Document.from_text(path, text)
    instances = [cls(settings or {}) for cls in rules_for(select)]
    out = lint_document(doc, instances, site or Site(os.path.dirname(os.path.abspath(path))))
    return sorted(out, key=Diagnostic.sort_key)


def fix_text(text: str, path: str = "post.md", select: Iterable[str] | None = None, unsafe: bool = False,
             settings: dict[str, Any] | None = None, site: Site | None = None) -> str:
    doc = Document.from_text(path, text)
    instances = [cls(settings or {}) for cls in rules_for(select)]
    the_site = site or Site(os.path.dirname(os.path.abspath(path)))
    return fixer.fix_document(doc, lambda d: lint_document(d, instances, the_site), unsafe).text


def lint_paths(paths: list[str], select: Iterable[str] | None = None, settings: dict[str, Any] | None = None,
               root: str | None = None) -> list[Diagnostic]:
    """File and site-wide diagnostics for files and folders (no cache, one process)."""
    from blogtools.lint.runner import discover

    root = root or (paths[0] if os.path.isdir(paths[0]) else os.path.dirname(paths[0]))
    config = Config(root=os.path.abspath(root), rule_settings=dict(settings or {}))
    site = load_site(root)
    runner = Runner(config, rules_for(select), site, jobs=1, use_cache=False)
    return runner.run(discover(paths, config, content=site.content_folders()).files).diagnostics
