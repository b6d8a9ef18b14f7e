"""BT105: a front matter key written in another case or under a synonym of the site's key."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import KEYS, SCHEMA, SYNONYMS, key_span, loaded, schema, taxonomies

# Synonym (lower case) → the key each generator reads.
_SYNONYMS = {
    "hugo": {"tag": "tags", "category": "categories", "redirect_from": "aliases", "updated": "lastmod",
             "modified": "lastmod", "last_modified_at": "lastmod", "pubdate": "publishDate"},
    # (Jekyll reads the singular ``tag`` and ``category`` itself: they are its keys, not synonyms;
    # BT108 reports a singular value that is one term with spaces)
    "jekyll": {"aliases": "redirect_from", "lastmod": "last_modified_at", "updated": "last_modified_at"},
    "zola": {"lastmod": "updated", "modified": "updated", "redirect_from": "aliases"},
    "plain": {"tag": "tags", "category": "categories"},
}


class FrontMatterKeyName(Rule):
    """A front matter key in another case, or a synonym of the key the site reads.

    What it does
        Reports top-level keys that are a case variant of a known key (Hatena's ``Title``,
        ``Category``, ``Date``; ``lastMod``) or a synonym of the key the generator reads:
        ``tag`` for ``tags``, ``category`` for ``categories`` (except on Jekyll, which reads
        both forms), and on Hugo Jekyll's ``redirect_from`` for ``aliases`` and Zola's
        ``updated`` for ``lastmod`` (and the other way round on Jekyll and Zola). Known keys
        are the generator's, the site's taxonomies and ``front-matter.keys``;
        ``front-matter.synonyms`` adds renames.

    Why it matters
        ``Tags`` is not ``tags`` to Jekyll, to most theme templates (``.Params.Tags`` vs
        ``.Params.tags``) or to scripts; ``redirect_from`` does nothing on Hugo, so the old
        URLs it lists are dead; ``category`` next to ``categories`` splits one taxonomy in
        two files' worth of spellings.

    Example
        A post imported from Hatena Blog and one from Jekyll::

            Title: "Kubernetes の CronJob でバッチ推論"
            Category:
              - kubernetes
            redirect_from:
              - /2021/01/k8s-batch/

    Use instead
        ::

            title: "Kubernetes の CronJob でバッチ推論"
            categories:
              - kubernetes
            aliases:
              - /2021/01/k8s-batch/

    Fix safety
        Safe when nothing is overwritten: the key is renamed in place (value, comments and
        layout untouched) only if the target key is not set and no other key would be
        renamed to it; otherwise the finding has no fix and the two must be merged by hand.

    Options
        ``front-matter.synonyms``: extra renames, ``old = "new"``; ``front-matter.keys``,
        ``front-matter.schema``.
    """

    code = "BT105"
    name = "front-matter-key-name"
    summary = "A front matter key is a case variant or synonym of the key the site reads"
    severity = "warning"
    fixable = "sometimes"
    default_enabled = False  # style: opt-in (see "Default rules" in the README)
    options = (SYNONYMS, SCHEMA, KEYS)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        exact, renames = memo(self, site, "renames", lambda: self._renames(site))
        targets: dict[str, str] = {}
        for key in fm.data:
            if key in exact or not isinstance(key, str):
                continue
            target = renames.get(key.lower())
            if target is not None and target != key:
                targets[key] = target
        if not targets:
            return
        counts = Counter(targets.values())
        for key, target in targets.items():
            span = key_span(doc, fm, (key,))
            if span is None:
                continue
            if key.lower() == target.lower():
                message = f"key {key!r} should be written {target!r}"
            else:
                message = f"key {key!r} is a synonym: this site reads {target!r}"
            fix = None
            if target in fm.data or counts[target] > 1:
                clash = target if target in fm.data else "another key"
                message += f" ({clash!r} is also set: merge them by hand)" if clash == target else \
                    " (another key would be renamed to it too: merge them by hand)"
            else:
                start, end = span
                if doc.text[start] in "'\"":
                    start, end = start + 1, end - 1
                fix = Fix((Edit(start, end, target),), safe=True, description=f"rename {key!r} to {target!r}")
            yield self.diagnostic(doc, *span, message, fix)

    def _renames(self, site: Any) -> tuple[frozenset[str], dict[str, str]]:
        """Keys that are fine as written, and lower-cased key → the key to write instead."""
        known = schema(self, site)
        names = {str(path[0]) for path in known.keys if len(path) == 1}
        renames = {name.lower(): name for name in names}
        synonyms = {k: v for k, v in _SYNONYMS.get(known.name, {}).items()
                    if v not in ("tags", "categories") or v in taxonomies(site)}
        synonyms.update({k.lower(): v for k, v in self.option("front-matter.synonyms").items()})
        renames.update(synonyms)
        return frozenset(names - set(synonyms)), renames
