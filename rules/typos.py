"""BT401: a known misspelling, from a typo dictionary in prh format."""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_right
from typing import Any, Iterator

from blogtools import words
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule

SCOPES = ("link-text", "headings", "prose", "title")
_WIDTH_FORMS = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uff9f]")
_URLISH = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./@_:~-%?=&+#\\")


def _scope(value: Any) -> str | None:
    bad = [v for v in value if v not in SCOPES]
    return f"unknown scope {', '.join(map(repr, bad))} (choose from {', '.join(SCOPES)})" if bad else None


def _dictionaries(value: Any) -> str | None:
    if not all(isinstance(v, str) and v for v in value):
        return f"expected a list of file paths, got {value!r}"
    for path in value:
        if os.path.isfile(path):  # relative paths may be relative to the site: checked when linting
            try:
                words.dictionary(path)
            except words.DictionaryError as exc:
                return str(exc)
    return None


class Typos(Rule):
    """A misspelling listed in a typo dictionary (prh format).

    What it does
        Looks up the text of link labels (and, by option, headings, prose and the title)
        in typo dictionaries: the starter dictionary shipped with blogtools
        (``rules/data/typos.yml``: Machine Learning, Kubernetes, JavaScript, GitHub,
        TensorFlow, PyTorch, シミュレーション, ...) and your own files. The dictionary format
        is prh's (``expected``, ``pattern``/``patterns`` with ``/regex/flags``,
        ``options.wordBoundary``, ``regexpMustEmpty``, ``specs`` and ``imports``), so an
        existing ``prh.yml`` works as it is; every ``specs`` example is checked when the
        dictionary loads and a failing one is a configuration error.

        Matching is CJK-aware: word boundaries are "no Latin letter or digit beside it"
        (full-width ones included), never ``\\b``, so ``Kubernets`` is found in
        ``Kubernetsのノード``. Code, URLs, shortcodes, HTML and front matter keys are never
        read, and a match that is part of a host name, path, e-mail address or
        ``@handle`` (``github.com``, ``/Github/``) is skipped. The diagnostic points at the
        misspelt word itself.

    Why it matters
        A spell checker does not run over Japanese posts, and link text is where a typo
        is most visible: ``[Machine Learing Casual Talks](https://mlct.connpass.com/)``
        sits in the middle of the page, underlined.

    Example
        ::

            [Machine Learing Casual Talks](https://mlct.connpass.com/) の運営に参加した。

    Use instead
        ::

            [Machine Learning Casual Talks](https://mlct.connpass.com/) の運営に参加した。

    Fix safety
        Safe: the dictionary says what the text should be, and only the misspelt words
        change. Review your own dictionaries' entries with that in mind: a pattern that
        also matches a correct word would "fix" it too (write a ``specs`` example for it).

    Options
        ``typos.scope``: where to look: ``link-text`` (default), ``headings``, ``prose``
        (paragraphs, lists, tables, footnotes; link text included) and ``title``.
        ``typos.dictionaries``: more dictionary files (a ``prh.yml`` too), relative to the
        site root or the current folder. ``typos.builtin``: use the starter dictionary.
    """

    code = "BT401"
    name = "typos"
    summary = "A misspelling from the typo dictionary (link text by default)"
    severity = "warning"
    fixable = "safe"
    tags = ("words",)
    options = (
        Option("typos.scope", ["link-text"], "where to look: link-text, headings, prose, title",
               type=list, validate=_scope),
        Option("typos.dictionaries", [], "more prh-format dictionaries (e.g. your prh.yml)",
               type=list, validate=_dictionaries),
        Option("typos.builtin", True, "use the starter dictionary shipped with blogtools", type=bool),
    )

    @classmethod
    def cache_key(cls, settings: dict[str, Any]) -> str:
        """What the results depend on besides the file and the settings: the dictionaries'
        modification times (for a result cache that asks for it)."""
        stamps = []
        for path in [words.builtin_path(), *settings.get("typos.dictionaries", [])]:
            try:
                stamps.append((path, os.stat(path).st_mtime_ns))
            except OSError:
                stamps.append((path, 0))
        return repr(stamps)

    def _rules(self, site: Any) -> list[tuple[str, words.DictRule]]:
        cached = getattr(self, "_cache", None)
        root = getattr(site, "root", "") or ""
        if cached is not None and cached[0] == root:
            return cached[1]
        paths = ([words.builtin_path()] if self.option("typos.builtin") else []) + [
            self._resolve(p, root) for p in self.option("typos.dictionaries")]
        rules: list[tuple[str, words.DictRule]] = []
        for k, path in enumerate(paths):
            label = "" if k == 0 and self.option("typos.builtin") else os.path.basename(path)
            try:
                rules.extend((label, r) for r in words.dictionary(path))
            except words.DictionaryError as exc:
                words.note_once(f"{self.code} {self.name}: dictionary skipped: {exc}")
        self._cache = (root, rules)
        return rules

    def _probes(self, rules: list[tuple[str, words.DictRule]]) -> "_Probes":
        cached = getattr(self, "_probe_cache", None)
        if cached is None or cached.rules is not rules:
            cached = self._probe_cache = _Probes(rules)
        return cached

    @staticmethod
    def _resolve(path: str, root: str) -> str:
        if os.path.isabs(path) or not root:
            return path
        beside_site = os.path.join(root, path)
        return beside_site if os.path.exists(beside_site) else os.path.abspath(path)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        rules = self._rules(site)
        regions = _regions(doc, self.option("typos.scope"))
        if not rules or not regions:
            return
        text = doc.text
        views = [_View(text, a, b) for a, b in regions]
        views += [v for v in (_View.nfkc(text, a, b) for a, b in regions) if v is not None]
        everything = words.fold("\n".join(v.text[v.lo : v.hi] for v in views))
        skip: list[tuple[int, int]] | None = None  # found on the first match (most posts have none)
        starts: list[int] = []
        seen: set[tuple[int, int]] = set()
        for source, rule in self._probes(rules).candidates(everything):
            for view in views:
                for m in rule.regex.finditer(view.text, view.lo, view.hi):
                    if m.end() <= m.start() or _url_like(view.text, m.start(), m.end(), view.lo, view.hi):
                        continue
                    new = rule.replacement(m)
                    if new is None or new == m.group(0):
                        continue
                    i, j, replacement = _narrow(m.group(0), new)
                    start, end = view.source(m.start() + i, m.start() + j)
                    if skip is None:
                        skip = words.non_prose(doc)
                        starts = [a for a, _ in skip]
                    if (start, end) in seen or _overlaps(skip, starts, start, end) or text[start:end] == replacement:
                        continue
                    seen.add((start, end))
                    where = f" ({source})" if source else ""
                    fix = Fix((Edit(start, end, replacement),), safe=True, description=f"write {replacement!r}")
                    yield self.diagnostic(doc, start, end, f'"{text[start:end]}" should be "{replacement}"{where}', fix)


class _Probes:
    """Which dictionary rules may match a text: :meth:`words.DictRule.may_match` for all of
    them at once.

    Asking each rule costs some 130 substring searches per post; one regular expression of
    all the probes finds the places where any of them starts instead (most posts have a
    handful or none). At each such place the expression takes the longest probe, and every
    other probe found there is a prefix of it, so the probes present are exactly those
    prefixes, and the rules to try are the rules of those probes.
    """

    def __init__(self, rules: list[tuple[str, words.DictRule]]) -> None:
        self.rules = rules
        # rules without probes (or with an empty one) may match anything
        self.always = {id(r) for _, r in rules if r.probes is None or not all(r.probes)}
        probes = sorted({p for _, r in rules if id(r) not in self.always for p in r.probes or ()},
                        key=lambda p: (-len(p), p))
        self.finder = re.compile("|".join(map(re.escape, probes))) if probes else None
        # for the longest probe found at a place: the rules (by index) of it and its prefixes
        owners: dict[str, set[int]] = {p: set() for p in probes}
        for k, (_, r) in enumerate(rules):
            if id(r) not in self.always:
                for p in r.probes or ():
                    owners[p].add(k)
        self.rules_of = {q: frozenset().union(*(owners[p] for p in probes if q.startswith(p))) for q in probes}
        self.always_indexes = frozenset(k for k, (_, r) in enumerate(rules) if id(r) in self.always)

    def candidates(self, folded: str) -> list[tuple[str, words.DictRule]]:
        """The rules whose may_match(folded) is true, in dictionary order."""
        found = set(self.always_indexes)
        pos = 0
        while self.finder is not None and (m := self.finder.search(folded, pos)) is not None:
            found |= self.rules_of[m.group()]
            pos = m.start() + 1
        return [self.rules[k] for k in sorted(found)]


class _View:
    """A region as the dictionary sees it: the text itself, or its NFKC form mapped back."""

    def __init__(self, text: str, lo: int, hi: int, starts: list[int] | None = None,
                 ends: list[int] | None = None) -> None:
        self.text, self.lo, self.hi = text, lo, hi
        self._starts, self._ends = starts, ends

    def source(self, i: int, j: int) -> tuple[int, int]:
        if self._starts is None or self._ends is None:
            return i, j
        return self._starts[i], self._ends[j - 1] if j > i else self._starts[i]

    @classmethod
    def nfkc(cls, text: str, lo: int, hi: int) -> "_View | None":
        """The NFKC form of text[lo:hi] (full-width Latin → ASCII, half-width kana → kana),
        or None when the region has no such characters (full-width punctuation does not count)."""
        if not _WIDTH_FORMS.search(text, lo, hi):
            return None
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        k = lo
        while k < hi:
            e = k + 1
            while e < hi and unicodedata.combining(unicodedata.normalize("NFKD", text[e])[0]):
                e += 1  # a base character with its (half-width) voicing marks
            piece = unicodedata.normalize("NFKC", text[k:e])
            for c in piece:
                out.append(c)
                starts.append(k)
                ends.append(e)
            k = e
        return cls("".join(out), 0, len(out), starts, ends)


def _regions(doc: Document, scope: list[str]) -> list[tuple[int, int]]:
    """Spans of the document to look at, merged."""
    spans: list[tuple[int, int]] = []
    if "prose" in scope:
        for leaf in doc.body.leaves:
            if leaf.kind != "heading" and leaf.text:
                spans.append((leaf.to_abs(0), leaf.to_abs(len(leaf.text))))
    if "headings" in scope or "link-text" in scope:
        kinds = (("heading",) if "headings" in scope else ()) + (("link",) if "link-text" in scope else ())
        for n in doc.nodes(*kinds):
            if 0 <= n.text_start < n.text_end:
                spans.append((n.text_start, n.text_end))
    if "title" in scope:
        title = words.title_span(doc)
        if title:
            spans.append(title)
    return words.merge_spans(spans)


def _overlaps(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """Whether [a, b) meets one of ``spans`` (sorted, merged; ``starts`` their starts)."""
    k = bisect_right(starts, b - 1) - 1
    return k >= 0 and spans[k][1] > a


def _url_like(text: str, a: int, b: int, lo: int, hi: int) -> bool:
    """Whether text[a:b] is part of a host name, path, address or handle."""
    i = a
    while i > lo and text[i - 1] in _URLISH:
        i -= 1
    j = b
    while j < hi and text[j] in _URLISH:
        j += 1
    left, right = text[i:a], text[b:j].rstrip(".,;:!?'\"")
    if "://" in text[i:j] or text[i:j].lower().startswith("www."):
        return True
    return bool(left and left[-1] in "./@_:\\~" or right and right[0] in "./@_:\\")


def _narrow(matched: str, new: str) -> tuple[int, int, str]:
    """The changed words: (start, end) in ``matched`` and their replacement."""
    p, s = words.common_ends(matched, new)
    i, j = p, len(matched) - s

    def inside(k: int) -> bool:
        c = matched[k]
        return c.isalnum() or c in ".+#" and 0 < k < len(matched) - 1 and matched[k - 1].isalnum() \
            and matched[k + 1].isalnum()

    while i > 0 and inside(i - 1):
        i -= 1
    while j < len(matched) and inside(j):
        j += 1
    return i, j, new[i : len(new) - (len(matched) - j)]
