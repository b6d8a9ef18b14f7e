"""Taxonomy terms of the site's pages, shared by BT403 (near-duplicate terms), BT401
(misspelt terms) and ``blogtools vocab``."""

from __future__ import annotations

import re
from typing import Any

from blogtools import words

SINGULAR = {"tags": "tag", "categories": "category", "keywords": "keyword", "topics": "topic"}
JEKYLL_ALIASES = {"tag": "tags", "category": "categories"}  # Jekyll's singular keys


def site_clusters(values: list[list[tuple[str, str]]], sw: "words.SiteWords | None", settings: dict[str, Any],
                  fuzzy: bool = True) -> list[words.Cluster]:
    """The near-duplicate clusters of the site's terms, with the site's evidence (every
    taxonomy, labels and prose) and the dictionaries deciding ties and direction."""
    rules = words.builtin_rules(settings.get("typos.dictionaries", []), settings.get("typos.builtin", True))
    english = settings.get("typos.english", True)
    return words.term_clusters(((key, value, i) for i, vs in enumerate(values) for key, value in vs),
                               fuzzy=fuzzy, min_length=settings.get("vocabulary.min-length", 5),
                               ignore=settings.get("vocabulary.ignore", []),
                               evidence=sw.evidence if sw is not None else None,
                               misspelt=words.dictionary_misspelt(rules, english),
                               is_word=words.is_english_word if english else None)


def taxonomy_keys(site: Any, configured: list[str]) -> list[str]:
    """The front matter keys holding terms, lower case."""
    if configured:
        return [k.lower() for k in configured]
    taxonomies = site.setting("taxonomies") if site.generator == "hugo" else None
    if isinstance(taxonomies, dict) and taxonomies:
        return [str(v).lower() for v in taxonomies.values() if isinstance(v, str)]
    return ["tags", "categories"]


def term_values(page: dict[str, Any], keys: list[str], generator: str = "hugo") -> list[tuple[str, str]]:
    """(key, term) pairs of one page: what grouping needs, without positions."""
    out: list[tuple[str, str]] = []
    jekyll = generator == "jekyll"
    for key, value, index in words.term_values(page):
        if jekyll:
            key = JEKYLL_ALIASES.get(key, key)
            if key in keys and index < 0:
                out.extend((key, v) for v in value.split())
                continue
        if key in keys:
            out.append((key, value))
    if not _stored(keys):
        out.extend((t.key, t.value) for t in _from_data(page, keys, {k for k, _ in out}))
    return out


def _stored(keys: list[str]) -> bool:
    """Whether the word facts keep every one of ``keys``."""
    return all(k in words.TERM_KEYS for k in keys)


def page_terms(page: dict[str, Any], keys: list[str], generator: str = "hugo") -> list[words.Term]:
    """The terms of one page under ``keys`` (from the word facts, else the front matter data)."""
    out = []
    stored = words.page_terms(page)
    have = set()
    for t in stored:
        key = JEKYLL_ALIASES.get(t.key, t.key) if generator == "jekyll" else t.key
        if key not in keys:
            continue
        have.add(t.key)
        t.key = key
        if generator == "jekyll" and t.index < 0:
            out.extend(_split(t))
        else:
            out.append(t)
    if not _stored(keys):
        out.extend(_from_data(page, keys, have))
    return out


def _from_data(page: dict[str, Any], keys: list[str], have: set[str]) -> list[words.Term]:
    """Terms of keys the word facts do not keep, from the front matter facts (no exact offsets)."""
    out = []
    fm = page.get("front_matter") or {}
    for name, value in (fm.get("data") or {}).items():
        if not isinstance(name, str) or name.lower() not in keys or name.lower() in have:
            continue
        items = [(-1, value)] if isinstance(value, str) else list(enumerate(value)) if isinstance(value, list) else []
        for i, item in items:
            pos = (fm.get("keys") or {}).get(name if i < 0 else f"{name}.{i}")
            if isinstance(item, str) and item.strip() and pos:
                out.append(words.Term(name.lower(), i, item, -1, -1, tuple(pos), page.get("path", "")))
    return out


def _split(t: words.Term) -> list[words.Term]:
    """Jekyll reads a string of tags as space-separated terms."""
    out = []
    for m in re.finditer(r"\S+", t.value):
        exact = t.start >= 0 and t.pos[0] == t.pos[2]
        start = t.start + m.start() if exact else -1
        col = t.pos[1] + m.start() if exact else t.pos[1]
        pos = (t.pos[0], col, t.pos[0], col + len(m.group(0))) if exact else t.pos
        out.append(words.Term(t.key, t.index, m.group(0), start, start + len(m.group(0)) if exact else -1, pos, t.path))
    return out
