"""BT103: a front matter key neither the generator nor the site's config knows."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Option, Rule
from blogtools.rulesupport.frontmatter import KEYS, SCHEMA, key_span, loaded, report_span, schema, walk_keys

UNKNOWN = Option("front-matter.unknown-keys", False, "report keys that are neither the generator's nor "
                 "declared in front-matter.keys", type=bool)

_OWNERS = {"hugo": "Hugo", "jekyll": "Jekyll", "zola": "Zola", "plain": "common"}


class FrontMatterUnknownKey(Rule):
    """A front matter key that is not the generator's and not declared in the config.

    What it does
        With ``front-matter.unknown-keys = true``, reports every key that is neither one
        the generator defines (Hugo's ``title``, ``aliases``, ``expiryDate``...; Jekyll's;
        Zola's), nor a taxonomy, nor declared in ``front-matter.keys``. Nested keys are
        checked below a key whose children are declared (``cover.image`` declared makes
        ``cover.caption`` unknown); other tables (Hugo's ``params``, Zola's ``extra``, a key
        declared as ``table``) are not looked into. Off until the option is set,
        because a theme's keys have to be declared first.

    Why it matters
        Leftovers from other tools (Octopress ``comments``, Medium's ``subtitle``, a
        misspelt ``descripton``) are silently kept in ``.Params`` and never shown; once the
        site's own keys are declared, every other key is a mistake or dead weight.

    Example
        With ``[front-matter.keys] share = "bool"``::

            title: "MLOps 勉強会で登壇した感想"
            share: true
            comments: true
            descripton: "第18回の感想"

    Use instead
        Delete the leftovers, fix the spelling, or declare a key the theme really reads::

            title: "MLOps 勉強会で登壇した感想"
            share: true
            description: "第18回の感想"

    Fix safety
        No automatic fix: whether a key is a typo, a leftover or an undeclared theme key is
        the author's call. Case variants of known keys (``Title``) are BT105's.

    Options
        ``front-matter.unknown-keys`` (default ``false``), ``front-matter.keys``,
        ``front-matter.schema``.
    """

    code = "BT103"
    name = "front-matter-unknown-key"
    summary = "A front matter key is neither the generator's nor declared (needs front-matter.unknown-keys)"
    severity = "warning"
    options = (UNKNOWN, SCHEMA, KEYS)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if not self.option("front-matter.unknown-keys"):
            return
        fm = loaded(doc)
        if fm is None:
            return
        known = schema(self, site)
        owner = _OWNERS.get(known.name)
        for path, _value, found in walk_keys(known, fm.data):
            if found is None:
                where = key_span(doc, fm, path) or report_span(doc, fm, path)
                place = f" in {'.'.join(map(str, path[:-1]))!r}" if len(path) > 1 else ""
                why = (f"not a {owner} key and " if owner else "") + "not declared in front-matter.keys"
                yield self.diagnostic(doc, *where, f"unknown front matter key {str(path[-1])!r}{place}: {why}")
