"""BT101: front matter written in another format than the rest of the site."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.facts import EXTRACTORS
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import SCHEMA, fence_span, loaded, schema_name

FORMATS = ("yaml", "toml", "json")
FORMAT = Option("front-matter.format", "auto", "yaml, toml or json for every post; auto: the format most "
                "posts of the site use; any: no policy", type=str, choices=("auto", "any") + FORMATS)


def _block(doc: Document) -> dict[str, Any] | None:
    """Fact: the block's format, text and opening fence, so a site rule can convert it."""
    fm = loaded(doc)
    if fm is None:
        return None
    width = 1 if fm.format == "json" else 3  # the fence opens the file: no line index needed
    return {"format": fm.format, "text": doc.text[fm.start : fm.end], "fence": (1, 1, 1, 1 + width)}


EXTRACTORS["front_matter_block"] = _block


class FrontMatterFormat(Rule):
    """Front matter in YAML, TOML or JSON when the site has chosen another format.

    What it does
        Checks that every post's front matter is in the site's format: the one set in
        ``front-matter.format``, or by default the format most posts use (ties go to YAML,
        then TOML). On a Jekyll site it must be YAML, the only format Jekyll reads. With
        ``auto`` the majority is counted over the files linted in one run, so a pre-commit
        hook that sees a few files should set the format explicitly.

    Why it matters
        A blog that moved between tools collects dialects: a TOML post pasted into a YAML
        site (``+++`` fences), JSON from an importer. Each is read by different rules (TOML
        has no null, JSON no dates and no comments), scripts that edit front matter break on
        the odd ones, and Jekyll ignores anything but YAML.

    Example
        A TOML post in a site where every other post is YAML::

            +++
            title = "MLOps 勉強会で登壇した感想"
            date = 2022-05-04T01:21:41+09:00
            share = true
            +++

    Use instead
        ::

            ---
            title: "MLOps 勉強会で登壇した感想"
            date: 2022-05-04T01:21:41+09:00
            share: true
            ---

    Fix safety
        Unsafe: the whole block is rewritten (``blogtools.fmedit``). Data and types are kept
        (dates stay dates with their offsets, booleans stay booleans, nested tables such as
        ``cover`` stay nested) and checked by loading the result again; comments move to the
        key they precede or follow, quoting and layout are the emitter's, and in TOML nested
        tables go after the plain keys. JSON holds no comments (they are dropped; the fix
        says how many) and no dates (they become RFC 3339 strings). A block holding a value
        the target cannot write (``null`` in TOML) is reported without a fix.

    Options
        ``front-matter.format``: ``auto`` (default), ``yaml``, ``toml``, ``json`` or ``any``;
        ``front-matter.schema`` (``jekyll`` implies YAML).
    """

    code = "BT101"
    name = "front-matter-format"
    summary = "Front matter is not in the site's format (YAML, TOML or JSON)"
    severity = "warning"
    fixable = "unsafe"
    default_enabled = False  # style: opt-in (see "Default rules" in the README)
    site_wide = True
    reads_facts = ("front_matter_block",)  # (and each page's path)
    options = (FORMAT, SCHEMA)

    def _fixed_target(self, site: Any) -> str | None:
        chosen = self.option("front-matter.format")
        if chosen in FORMATS:
            return chosen
        return "yaml" if chosen == "auto" and schema_name(self, site) == "jekyll" else None

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        target = memo(self, site, "target", lambda: self._fixed_target(site))
        fm = loaded(doc) if target is not None else None
        if fm is None or fm.format == target:
            return
        if self.option("front-matter.format") == "auto":
            why, severity = "Jekyll reads YAML front matter only", "error"
        else:
            why, severity = f"the site's format is {target.upper()} (front-matter.format)", None
        # (a plain lint run only needs to know a fix exists: the conversion is built for --fix)
        message, fix = _finding(doc.text[fm.start : fm.end], fm.start, fm.format, target, why,
                                self.context.fix_mode)
        yield self.diagnostic(doc, *fence_span(doc, fm), message, fix, severity)

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        if self._fixed_target(site) is not None or self.option("front-matter.format") == "any":
            return
        blocks = [(page["path"], page.get("front_matter_block")) for page in site.pages]
        counts = Counter(block["format"] for _, block in blocks if block)
        if len(counts) < 2:
            return
        target = max(FORMATS, key=lambda f: (counts[f], -FORMATS.index(f)))
        total = sum(counts.values())
        why = f"{counts[target]} of {total} posts use {target.upper()}"
        for path, block in blocks:
            if block and block["format"] != target:
                message, fix = _finding(block["text"], 0, block["format"], target, why,
                                        self.context.fix_mode)
                diagnostic = self.at(path, block["fence"], message, offsets=(0, 1 if block["format"] == "json" else 3))
                diagnostic.fix = fix
                yield diagnostic


def _finding(block: str, start: int, fmt: str, target: str, why: str, build: bool = True) -> tuple[str, Fix | None]:
    from blogtools import fmedit

    message = f"front matter is {fmt.upper()}, but {why}"
    if not build:
        # Converting a block costs milliseconds (and imports ruamel.yaml or tomlkit); a lint
        # run that will not apply it only says the fix exists. --fix/--diff build it.
        return message, Fix((), safe=False, description=f"convert the front matter to {target.upper()}")
    try:
        conversion = fmedit.convert_block(block, target)
    except fmedit.ConversionError as exc:
        return f"{message} (no automatic conversion: {exc})", None
    note = ""
    if conversion.dropped:
        note = f"; JSON cannot hold comments: {conversion.dropped} dropped"
    elif conversion.comments:
        note = "; comments move to the key they belong to"
    edit = Edit(start, start + len(block), conversion.text)
    return message, Fix((edit,), safe=False, description=f"convert the front matter to {target.upper()}{note}")
