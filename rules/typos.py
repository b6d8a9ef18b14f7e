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
from blogtools.rulesupport.vocabulary import SINGULAR, page_terms
from blogtools.urls import unquote

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


def _positive(value: Any) -> str | None:
    return None if value >= 1 else f"expected an integer >= 1, got {value!r}"


# A link to an issue, a pull request, a commit or a bug report: its text is that item's
# title, quoted as its author wrote it (the judged sample's false positives were these).
# A mailing-list archive's message: its text is the message's subject.
_TRACKER = re.compile(r"/(?:pull|pulls|issues|merge_requests|commit)/\w+|bug\.php\?id=|bugzilla|show_bug\.cgi|"
                      r"/browse/[A-Z][A-Z0-9]+-\d+|/bugs?/\d+|/pipermail/|/mailman/|mail-archive\.com/", re.I)
# A page's <title> copied into a link text: "Title - Site", "Title | Site", "Title － Publickey"
_TITLE_SEPARATOR = re.compile(r"\s[-|\u2013\u2014\uff0d\uff5c]\s|\uff5c")
# A bookmark: a list item that is one link and nothing else ("- [Title](https://…)"), its text
# as long as a page's title (a short one, "- [Kubernetes 入門](…)", is the author's own label)
_TITLE_LENGTH = 25
_BOOKMARK = re.compile(r"[ \t]*(?:[-*+\u2212]|\d+[.)])[ \t]+\[.*\]\([^()\s]*\)[ \t]*\r?\n?")


def quoted_title(target: str, raw: str, line: str) -> bool:
    """Whether a link's text quotes the title of the page it links to, as that page spells
    it: an issue, pull request, bug or mailing-list message, or another site's page whose
    title is copied with its site name or stands alone as a bookmark (``line``: the source
    line the link is on)."""
    if _TRACKER.search(target):
        return True
    return "://" in target and (bool(_TITLE_SEPARATOR.search(raw)) or len(raw.strip()) >= _TITLE_LENGTH
                                and bool(_BOOKMARK.fullmatch(line)))


class Typos(Rule):
    """A misspelling that a dictionary knows: the English one (codespell's) or a prh one.

    What it does
        Looks up the words of link texts and headings (and, by option, the title and the
        body's prose), and the site's taxonomy terms (tags, categories, series, keywords),
        in the dictionaries:

        - blogtools' own entries (``rules/data/typos.yml``: Machine Learning, Kubernetes,
          JavaScript, GitHub, TensorFlow, PyTorch, シミュレーション, 機械学習, ...) and your
          own files (``typos.dictionaries``, a ``prh.yml`` works as it is). The format is
          prh's (``expected``, ``pattern``/``patterns`` with ``/regex/flags``,
          ``options.wordBoundary``, ``regexpMustEmpty``, ``specs`` and ``imports``); every
          ``specs`` example is checked when the dictionary loads and a failing one is a
          configuration error. These are curated: what they match is always reported.
        - the English misspelling dictionary of codespell (some 65,000 entries: ``rigth``,
          ``confguration``, ``computaion``, ``kubenetes``), read from the installed
          ``codespell`` package. Two checks derive from it: a letter written three times
          inside a word (``esssay`` → ``essay``) and a term written as one word whose one
          part is misspelt (``numericalcomputaion`` → ``numericalcomputation``).

        The site decides what is vocabulary: a word of the English dictionary that the
        site's prose uses on ``typos.vocabulary-min`` pages or more is the site's own word
        and never "corrected" (unless the site uses the correction on more pages still),
        and neither are the technical words of ``rules/data/technical-words.txt`` and those
        in ``typos.ignore``. A misspelt term is corrected to the site's own spelling of the
        correction when the site has one (``kubenetes`` → the site's tag ``kubernetes``).

        Matching is CJK-aware: a word ends where a kana, kanji or full-width character
        begins (never ``\\b``), so ``Kubernetsクラスタ`` and ``(Kubernets 1.14以降)`` are
        found. Code, URLs, shortcodes, HTML and front matter keys are never read, and a
        match that is part of a host name, path, e-mail address or ``@handle``
        (``github.com``, ``/Github/``) is skipped, and so is a link text quoting the title
        of the page it links to: an issue, pull request, bug report or mailing-list message,
        another site's page whose title is copied with its site name (``Title - Site``,
        ``Title | Site``) or listed alone as a bookmark (``- [A Title of 25 Characters or
        More](https://…)``), or a
        page whose URL has the word spelt the same way
        (``/the-issue-of-compling-from-source/``): the spelling is theirs. A word in capitals
        that the dictionary can only guess at (``STAP``: step or stop?) is an acronym, and a
        heading's attribute (``{#id}``) is a name, not text. The diagnostic points at the misspelt
        word (at the whole term for a tag or category). A word reported here is not
        reported again by BT402 or BT403; their evidence (how many pages of the site use
        the correction) is in this message.

    Why it matters
        A spell checker does not run over Japanese posts, and link text, headings and tags
        are where a typo is most visible: ``[Machine Learing Casual Talks](...)`` sits in
        the middle of the page, underlined, and a misspelt category is a page of its own.

    Example
        ::

            categories: [esssay]
            [Machine Learing Casual Talks](https://mlct.connpass.com/) の運営に参加した。
            ## Kubernetsクラスタの作り方

    Use instead
        ::

            categories: [essay]
            [Machine Learning Casual Talks](https://mlct.connpass.com/) の運営に参加した。
            ## Kubernetesクラスタの作り方

    Fix safety
        Safe for the prh dictionaries' entries in text: the dictionary says what the text
        should be, and only the misspelt words change (review your own entries with that in
        mind, and write a ``specs`` example). Unsafe for the English dictionary and for
        terms: a word it lists can be a name, and renaming a term moves the page to another
        taxonomy page. An entry with several corrections (``aache`` → cache, ache) has none.

    Options
        ``typos.scope``: where to look in the text: ``link-text`` and ``headings``
        (default), ``prose`` (paragraphs, lists, tables, footnotes) and ``title``.
        ``typos.terms``: check taxonomy terms (default true). ``typos.dictionaries``: more
        prh dictionary files (a ``prh.yml`` too), relative to the site root or the current
        folder. ``typos.builtin``: use blogtools' own entries. ``typos.english``: use the
        English dictionary (codespell's; needs the ``codespell`` package, a dependency of
        blogtools). ``typos.ignore``: words never reported. ``typos.vocabulary-min``: a
        word on this many pages of the site (3) is the site's vocabulary.

    Dictionary licences
        codespell's code is GPL-2.0 and its dictionaries are CC BY-SA 3.0 (derived from
        Wikipedia's lists of common misspellings). blogtools reads the dictionary files of
        the installed package at run time and neither copies nor changes them, and never
        imports codespell's code (``rules/data/ENGLISH-DICTIONARY.md`` says more). typos'
        MIT/Apache-2.0 list was the alternative; its PyPI package ships only a compiled
        binary, so using it would mean vendoring it.
    """

    code = "BT401"
    name = "typos"
    summary = "A misspelling from the typo dictionaries (link text, headings and terms by default)"
    severity = "warning"
    fixable = "sometimes"
    site_wide = True
    reads_facts = ("words",)
    tags = ("words",)
    options = (
        Option("typos.scope", ["link-text", "headings"], "where to look: link-text, headings, prose, title",
               type=list, validate=_scope),
        Option("typos.terms", True, "check taxonomy terms (tags, categories, series, keywords)", type=bool),
        Option("typos.dictionaries", [], "more prh-format dictionaries (e.g. your prh.yml)",
               type=list, validate=_dictionaries),
        Option("typos.builtin", True, "use blogtools' own dictionary entries", type=bool),
        Option("typos.case", False, "also report a word of blogtools' own dictionary written in another case "
               "(Github for GitHub): off by default, since link texts quote other pages' titles as they are",
               type=bool),
        Option("typos.english", True, "use the English misspelling dictionary (codespell's)", type=bool),
        Option("typos.ignore", [], "words never reported", type=list),
        Option("typos.vocabulary-min", 3, "a word on this many pages is the site's vocabulary", type=int,
               validate=_positive),
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
        if settings.get("typos.english", True):
            stamps.append(("english", words.english_stamp()))
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

    # -- the prh dictionaries, per file ------------------------------------------------
    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        rules = self._rules(site)
        regions = _regions(doc, self.option("typos.scope"))
        if not rules or not regions:
            return
        text = doc.text
        skip: list[tuple[int, int]] | None = None  # found on the first match (most posts have none)
        starts: list[int] = []
        case = self.option("typos.case")
        for start, end, replacement, source in _prh_matches(self._probes(rules), text, regions):
            if not case and not source and text[start:end].lower() == replacement.lower():
                continue  # a capitalisation of the built-in entries: opt-in (typos.case)
            if skip is None:
                skip = words.merge_spans(words.non_prose(doc) + _quoted_links(doc))
                starts = [a for a, _ in skip]
            if _overlaps(skip, starts, start, end):
                continue
            where = f" ({source})" if source else ""
            fix = Fix((Edit(start, end, replacement),), safe=True, description=f"write {replacement!r}")
            yield self.diagnostic(doc, start, end, f'"{text[start:end]}" should be "{replacement}"{where}', fix)

    # -- the English dictionary and the terms, over the site ---------------------------
    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        sw = words.site_words(site)
        sw.claims.clear()
        sw.claimed_terms.clear()
        eng = None
        if self.option("typos.english"):
            eng = words.english()
            if eng is None:
                words.note_once(f"{self.code} {self.name}: the English dictionary is skipped: install codespell "
                                "(pip install codespell)")
        rules = self._rules(site)
        probes = self._probes(rules) if rules else None
        scope = self.option("typos.scope")
        kinds = {k for s, k in (("link-text", "l"), ("headings", "h"), ("title", "t")) if s in scope}
        check = _Checker(self, sw, eng)
        for page in sw.pages:
            path = page.get("path", "")
            labels = [lab for lab in words.page_labels(page)
                      if lab.kind in kinds or (lab.kind == "l" and "prose" in scope)]
            # Most pages have nothing to report: their label words (folded) and texts are
            # tried at once, and the labels one by one only when something may match.
            english = any(check.word(w, w) is not None for w in (words.facts_of(page).get("lw") or "").split())
            prh = probes is not None and labels and bool(probes.candidates(words.fold("\n".join(
                lab.raw for lab in labels))))
            if not english and not prh:
                labels = []
            for label in labels:
                if label.kind == "l" and quoted_title(label.target or "", label.raw, ""):
                    continue  # the title of an issue, a bug, a message or another site's page, quoted as it is
                external = label.kind == "l" and "://" in (label.target or "")
                # a link whose URL has the word as written (``/the-issue-of-compling-…``) quotes
                # the linked page's title: the spelling is that page's, not the author's
                target = words.fold(unquote(label.target or "")) if label.kind == "l" else ""
                blanked = words.blank_markup(label.raw)
                taken = [] if not prh else [
                    (a, b)
                    for a, b, _, _ in _prh_matches(probes, label.raw, [(0, len(label.raw))])]
                for a, b in taken:  # the file part reports these
                    line, col, _, _ = label.position(a, b - a)
                    sw.claims[(path, line, col)] = "prh"
                for written, folded, at in label.tokens():
                    end = at + len(written)
                    if any(a < end and at < b for a, b in taken) or _url_like(blanked, at, end, 0, len(blanked)) \
                            or words.contraction(blanked, at, end):
                        continue
                    found = check.word(written, folded) if english else None
                    if found is None or target and folded in target:
                        continue
                    if external and quoted_title(label.target, label.raw, check.line(page, label.line)):
                        break  # a bookmark: a list item of one link to another site, titled as it is
                    pos = label.position(at, len(written))
                    if (path, pos[0], pos[1]) in sw.claims:
                        continue  # a link in a heading: one label reported it
                    yield check.diagnostic(path, pos, (label.start + at, label.start + end), found)
            if self.option("typos.terms"):
                yield from check.terms(page, probes, site)
        if "prose" in scope and eng is not None:
            yield from check.prose(probes)


class _Checker:
    """The English checks of one run: words of labels, prose and terms against the
    dictionary, with the site's vocabulary protected."""

    def __init__(self, rule: Typos, sw: words.SiteWords, eng: words.English | None) -> None:
        self.rule, self.sw, self.eng = rule, sw, eng
        self.ignore = {words.fold(i) for i in rule.option("typos.ignore")}
        self.vocabulary_min = rule.option("typos.vocabulary-min")
        self._memo: dict[str, words.Spelling | None] = {}
        self._lines: dict[str, list[str]] = {}

    def line(self, page: dict[str, Any], number: int) -> str:
        """A source line of a page (read only for a page with a finding to weigh)."""
        path = page.get("abspath") or page.get("path", "")
        lines = self._lines.get(path)
        if lines is None:
            try:
                with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
                    lines = f.read().splitlines(keepends=True)
            except OSError:
                lines = []
            self._lines[path] = lines
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def word(self, written: str, folded: str, terms: bool = False) -> words.Spelling | None:
        key = ("t:" if terms else "w:") + written
        if key in self._memo:
            return self._memo[key]
        found = None
        if folded not in self.ignore and len(folded) >= 3 and folded.isascii():
            found = words.speller_check(written, self.eng, self.sw.is_known, terms=terms,
                                        site_word=self.sw.site_word)
            if found is not None and not found.fixable and len(written) > 1 and written.isupper():
                found = None  # an acronym the dictionary can only guess at (STAP: step or stop?)
            if found is not None and self._vocabulary(folded, found):
                found = None
        self._memo[key] = found
        return found

    def _vocabulary(self, folded: str, found: words.Spelling) -> bool:
        """Whether the site's prose uses the word as its own (and its correction less)."""
        n = self.sw.counts.get(folded, 0)
        if n < self.vocabulary_min:
            return False
        best = max((self.sw.evidence(words.fold_term(c)) for c in found.corrections), default=0)
        return best <= n

    def evidence(self, correction: str) -> str:
        n = self.sw.evidence(words.fold_term(correction))
        if not n:
            return ""
        return f'; the site uses "{correction}" on {n} page{"s" if n != 1 else ""}'

    def diagnostic(self, path: str, pos: tuple[int, int, int, int], offsets: tuple[int, int],
                   found: words.Spelling) -> Diagnostic:
        self.sw.claims[(path, pos[0], pos[1])] = self.rule.code
        return self._make(path, pos, offsets, found.written, found)

    def _make(self, path: str, pos: tuple[int, int, int, int], offsets: tuple[int, int], written: str,
              found: words.Spelling, replacement: str | None = None, what: str = "") -> Diagnostic:
        rule = self.rule
        source = {"codespell": "English dictionary", "letters": found.how, "compound": found.how}.get(
            found.source, found.source)
        where = f" ({source})" if source else ""
        if found.fixable:
            right = replacement if replacement is not None else found.corrections[0]
            message = f'{what}"{written}" should be "{right}"{where}{self.evidence(right)}'
        else:
            right = None
            choices = " or ".join(f'"{c}"' for c in found.corrections)
            message = f'{what}"{written}" is a misspelling of {choices}{where}{self.evidence(found.corrections[0])}'
        d = rule.at(path, pos, message, offsets=offsets)
        if right is not None and offsets[0] >= 0 and offsets[1] > offsets[0]:
            d.fix = Fix((Edit(offsets[0], offsets[1], right),), safe=False, description=f"write {right!r}")
        return d

    def terms(self, page: dict[str, Any], probes: "_Probes | None", site: Any) -> Iterator[Diagnostic]:
        keys = sorted(set(words.TERM_KEYS) | set(_taxonomies(site)))
        for t in page_terms(page, keys, getattr(site, "generator", "hugo")):
            value = t.value.strip()
            if not value:
                continue
            new, found = self._term(value, probes)
            if new is None or found is None or words.fold_term(new) == words.fold_term(value):
                continue  # case and separators of a term are BT403's
            keep = self.sw.term_form(words.fold_term(new))
            if keep is not None:
                new = keep
            found = words.Spelling(value, (new,), found.fixable, found.source, found.how)
            what = f'{SINGULAR.get(t.key, t.key)} '
            self.sw.claimed_terms.add((t.path, t.pos[0], t.pos[1]))
            self.sw.claims[(t.path, t.pos[0], t.pos[1])] = self.rule.code
            offsets = (t.start, t.end) if t.start >= 0 else (-1, -1)
            yield self._make(t.path, t.pos, offsets, value, found, new, what)

    def _term(self, value: str, probes: "_Probes | None") -> tuple[str | None, words.Spelling | None]:
        """The corrected term and why, or (None, None)."""
        if probes is not None:
            new = value
            source = ""
            for src, rule in probes.candidates(words.fold(value)):
                changed = words.apply_rule(rule, new)
                if changed != new:
                    new, source = changed, src
            if new != value:
                return new, words.Spelling(value, (new,), True, source)
        out, pos, why = [], 0, None
        for m in words.WORD.finditer(value):
            found = self.word(m.group(0), words.fold(m.group(0)), terms=True)
            if found is None or not found.fixable:
                continue
            out.append(value[pos : m.start()])
            out.append(found.corrections[0])
            pos = m.end()
            why = why or found
        if why is None:
            return None, None
        out.append(value[pos:])
        return "".join(out), why

    def prose(self, probes: "_Probes | None") -> Iterator[Diagnostic]:
        """Prose (opt-in): pages whose words include a misspelling are read again."""
        from blogtools.document import Document

        for page in self.sw.pages:
            ws = (words.facts_of(page).get("w") or "").split()
            if not any(self.word(w, w) for w in ws if w in self.eng.table):  # type: ignore[union-attr]
                continue
            try:
                doc = Document.read(page.get("abspath") or page["path"])
            except Exception:  # noqa: BLE001 - unreadable now: the file rules say so
                continue
            doc.path = page.get("path", doc.path)
            regions = _regions(doc, ["prose"])
            labels = words.merge_spans((n.text_start, n.text_end) for n in doc.nodes("link", "heading")
                                       if 0 <= n.text_start < n.text_end)
            skip = words.merge_spans(words.non_prose(doc) + labels)
            if probes is not None:
                skip = words.merge_spans(skip + [(a, b) for a, b, _, _ in _prh_matches(probes, doc.text, regions)])
            starts = [a for a, _ in skip]
            text = doc.text
            for a, b in regions:
                for m in words.WORD.finditer(text, a, b):
                    if m.end() - m.start() < 3 or _overlaps(skip, starts, m.start(), m.end()):
                        continue
                    if _url_like(text, m.start(), m.end(), a, b) or words.contraction(text, m.start(), m.end()):
                        continue
                    found = self.word(m.group(0), words.fold(m.group(0)))
                    if found is None:
                        continue
                    line, col = doc.position(m.start())
                    yield self.diagnostic(doc.path, (line, col, line, col + len(m.group(0))), (m.start(), m.end()),
                                          found)


def _taxonomies(site: Any) -> list[str]:
    taxonomies = site.setting("taxonomies") if getattr(site, "generator", "") == "hugo" else None
    if isinstance(taxonomies, dict):
        return [str(v).lower() for v in taxonomies.values() if isinstance(v, str)]
    return []


def _prh_matches(probes: "_Probes", text: str, regions: list[tuple[int, int]],
                 base: int = 0) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, replacement, source) of every prh dictionary match in the regions
    (offsets in ``text``, plus ``base``)."""
    views = [_View(text, a, b) for a, b in regions]
    views += [v for v in (_View.nfkc(text, a, b) for a, b in regions) if v is not None]
    everything = words.fold("\n".join(v.text[v.lo : v.hi] for v in views))
    seen: set[tuple[int, int]] = set()
    for source, rule in probes.candidates(everything):
        for view in views:
            for m in rule.regex.finditer(view.text, view.lo, view.hi):
                if m.end() <= m.start() or _url_like(view.text, m.start(), m.end(), view.lo, view.hi):
                    continue
                new = rule.replacement(m)
                if new is None or new == m.group(0):
                    continue
                i, j, replacement = _narrow(m.group(0), new)
                start, end = view.source(m.start() + i, m.start() + j)
                if (start, end) in seen or text[start:end] == replacement:
                    continue
                seen.add((start, end))
                yield start + base, end + base, replacement, source


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


def _quoted_links(doc: Document) -> list[tuple[int, int]]:
    """Text spans of the links whose text quotes the linked page's title (:func:`quoted_title`)."""
    out = []
    text = doc.text
    for n in doc.nodes("link"):
        if 0 <= n.text_start < n.text_end and n.url:
            a = text.rfind("\n", 0, n.start) + 1
            b = text.find("\n", n.end)
            line = text[a : b + 1 if b >= 0 else len(text)]
            if quoted_title(n.url, text[n.text_start : n.text_end], line):
                out.append((n.text_start, n.text_end))
    return out


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
    if left.endswith("::") and not left.endswith(":::"):
        left = ""  # a name space separator (Redis::Object, std::vector): the word is a name part
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
