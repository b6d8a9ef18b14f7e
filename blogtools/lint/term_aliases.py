"""Keep a taxonomy term's URL alive when fixes rename it (Hugo).

A fix that corrects or merges a term (``reids`` → ``redis``) moves every page off the old
term, and Hugo stops writing ``/categories/reids/``: links and search results that point
there break. After the fixes, :func:`plan` compares each fixed file's terms before and
after; an old term that no page of the site uses any more, and whose URL no remaining term
has, gets a redirect page in the static folder, ``static/<taxonomy>/<old>/index.html``: the
page Hugo itself writes for an alias (a refresh to the new term's URL, with a canonical
link). The new term's own page is left as it is: an ``_index.md`` with ``aliases`` would
also set its title, which Hugo otherwise takes from the term. When a file is in the way,
nothing is written and the report says what to add.

Only Hugo sites with the default term URLs (no ``permalinks`` entry for the taxonomy) are
handled: elsewhere the URL of a term is not known, and nothing is guessed.
"""

from __future__ import annotations

import html
import os
from typing import Any

from blogtools.document import Document, LoadError


def taxonomies(site: Any) -> dict[str, str]:
    """Front matter key → URL folder of each taxonomy (Hugo's defaults without a setting)."""
    configured = site.setting("taxonomies")
    if isinstance(configured, dict):
        return {str(plural).lower(): str(plural) for plural in configured.values() if isinstance(plural, str)}
    return {"tags": "tags", "categories": "categories"}


def _terms(data: dict[str, Any] | None, keys: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for key, value in (data or {}).items():
        k = str(key).lower()
        if k not in keys:
            continue
        values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        out.setdefault(k, set()).update(str(v).strip() for v in values if isinstance(v, (str, int, float)) and str(v).strip())
    return out


def plan(site: Any, files: list[str], originals: dict[str, Document], texts: dict[str, str]) -> tuple[
        dict[str, str], list[tuple[str, str]]]:
    """(files to create: absolute path → text, problems: (path, why)) for the term renames
    the fixed ``texts`` make."""
    if getattr(site, "generator", "") != "hugo":
        return {}, []
    keys = taxonomies(site)
    permalinks = site.setting("permalinks") or {}
    if isinstance(permalinks, dict):
        keys = {k: v for k, v in keys.items() if v not in permalinks and k not in permalinks
                and not any(isinstance(p, dict) and (v in p or k in p) for p in permalinks.values())}
    from blogtools.generators.hugo import urlize

    lower = not bool(site.setting("disablePathToLower", False))
    renamed: dict[tuple[str, str], set[str]] = {}  # (key, new term) -> old terms
    for abspath, text in texts.items():
        before = _terms(originals[abspath].meta, keys)
        after_doc = Document(originals[abspath].path, text, False, "\n", abspath)
        after = _terms(after_doc.meta, keys)
        for key, old_terms in before.items():
            gone = old_terms - after.get(key, set())
            added = after.get(key, set()) - old_terms
            for old in gone:
                new = _closest(old, added)
                if new is not None:
                    renamed.setdefault((key, new), set()).add(old)
    if not renamed:
        return {}, []
    used = _site_terms(files, texts, keys)
    static = os.path.join(os.path.abspath(site.root), str(site.setting("staticDir") or "static"))
    base = str(site.setting("baseURL") or "/").rstrip("/")
    creates: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for (key, new), olds in sorted(renamed.items()):
        served = {urlize(t, lower) for t in used.get(key, set())}
        target = f"{base}/{keys[key]}/{urlize(new, lower)}/"
        for old in sorted(olds):
            if urlize(old, lower) in served:
                continue  # another page keeps the old term, or it shares the new one's URL
            path = os.path.join(static, keys[key], urlize(old, lower), "index.html")
            if os.path.lexists(path):
                problems.append((path, f"the {key} term {old!r} became {new!r}: {path} is in the way of "
                                       f"the redirect from its old URL to {target}"))
                continue
            creates[path] = REDIRECT.format(url=html.escape(target, quote=True))
    return creates, problems


REDIRECT = ('<!DOCTYPE html><html><head><title>{url}</title><link rel="canonical" href="{url}">'
            '<meta charset="utf-8"><meta http-equiv="refresh" content="0; url={url}"></head></html>\n')


def _closest(old: str, added: set[str]) -> str | None:
    if not added:
        return None
    if len(added) == 1:
        return next(iter(added))
    from difflib import SequenceMatcher

    best = max(sorted(added), key=lambda t: SequenceMatcher(None, old.lower(), t.lower()).ratio())
    return best if SequenceMatcher(None, old.lower(), best.lower()).ratio() >= 0.6 else None


def _site_terms(files: list[str], texts: dict[str, str], keys: dict[str, str]) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for path in files:
        try:
            doc = Document(path, texts[path], False, "\n", path) if path in texts else Document.read(path)
        except LoadError:
            continue
        for key, terms in _terms(doc.meta, keys).items():
            used.setdefault(key, set()).update(terms)
    return used
