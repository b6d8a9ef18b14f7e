"""BT402: a rare spelling in link text or a heading, one edit from the site's usual word."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain
from typing import Any, Iterator

from blogtools import words
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule

SCOPES = {"link-text": "l", "headings": "h", "title": "t"}


def _scope(value: Any) -> str | None:
    bad = [v for v in value if v not in SCOPES]
    return f"unknown scope {', '.join(map(repr, bad))} (choose from {', '.join(SCOPES)})" if bad else None


def _positive(value: Any) -> str | None:
    return None if value >= 1 else f"expected an integer >= 1, got {value!r}"


class RareSpelling(Rule):
    """A word in link text or a heading that the rest of the site spells differently.

    What it does
        Uses the site as its dictionary. For every page it counts the words (ASCII words of
        three letters or more, folded: case and full-width/half-width forms do not matter)
        of the title, headings, link texts and prose; code, URLs and HTML are not counted.
        A word of a link text or heading that is *rare* (on at most ``words.rare-max``
        pages) and one edit away from a word used on more pages is reported when the
        context confirms it:

        - the corrected phrase is written elsewhere in titles, headings or link texts
          (``Machine Learing`` → ``Machine Learning``), and the usual spelling is on at
          least ``words.common-min`` pages and three times as many pages as the rare one; or
        - another link to the same target (URLs compared without scheme, ``www.`` and
          trailing slash) has the same text with the usual spelling, and the usual
          spelling is on more pages.

        Not reported: words that differ by letters added at either end (``Talk`` /
        ``Talks``, ``vue`` / ``vuex``), by a digit, or only in the last letter; words shorter
        than ``words.min-length``; link texts that are merely different (``MLCT``, ``here``,
        another title for the same page). Japanese text is counted (``blogtools vocab``
        shows it) but not compared letter by letter: kana and kanji one character apart
        are usually different words. rapidfuzz (the ``words`` extra) does the fuzzy
        search; without it the rule is skipped with a note.

    Why it matters
        A typo in a link text is the most visible kind, and no spell checker reads a
        Japanese post. The seed of this rule: ``[Machine Learing Casual Talks]`` linked to
        ``https://mlct.connpass.com/`` once, while the blog spells "Learning" dozens of
        times. The texts for that URL are "MLCT" three times, the correct name twice, the
        name plus " - connpass" once and the typo once: only the site's word counts tell
        which one is wrong.

    Example
        ::

            [Machine Learing Casual Talks](https://mlct.connpass.com/) の運営に加わりました。

    Use instead
        ::

            [Machine Learning Casual Talks](https://mlct.connpass.com/) の運営に加わりました。

    Fix safety
        Unsafe: the replacement is the site's usual spelling (in the case of the word it
        replaces), which is a good guess but a guess; a rare word can be right. Add such
        words to ``words.ignore``.

    Options
        ``words.scope``: ``link-text``, ``headings`` (both by default) and ``title``.
        ``words.rare-max``: at most this many pages make a spelling rare (2).
        ``words.common-min``: the usual spelling needs this many pages (3).
        ``words.min-length``: shorter words are never reported (6).
        ``words.ignore``: words never reported.
    """

    code = "BT402"
    name = "rare-spelling"
    summary = "A rare spelling in link text or a heading, one edit from the site's usual word"
    severity = "warning"
    fixable = "unsafe"
    default_enabled = False  # measured precision under 95% on real blogs (benchmarks/ACCURACY.md)
    site_wide = True
    reads_facts = ("words",)
    tags = ("words",)
    options = (
        Option("words.scope", ["link-text", "headings"], "where to report: link-text, headings, title",
               type=list, validate=_scope),
        Option("words.rare-max", 2, "a spelling on at most this many pages is rare", type=int, validate=_positive),
        Option("words.common-min", 3, "the usual spelling is on at least this many pages", type=int,
               validate=_positive),
        Option("words.min-length", 6, "shorter words are never reported", type=int, validate=_positive),
        Option("words.ignore", [], "words never reported", type=list),
    )

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        if len(site.pages) < 2:
            return  # one page has no majority spelling to compare with (and skips a 20 ms import)
        if not words.fuzzy_available():
            words.note_once(f"{self.code} {self.name} skipped: install rapidfuzz (pip install 'blogtools[words]')")
            return
        sw = words.site_words(site)
        pages = sw.pages
        counts = sw.counts
        rare_max, min_length = self.option("words.rare-max"), self.option("words.min-length")
        on_pages: dict[str, list[int]] = defaultdict(list)
        for i, page in enumerate(pages):
            for w in page["words"]["lw"].split():
                if len(w) >= min_length and counts.get(w, 0) <= rare_max:
                    on_pages[w].append(i)
        suspects = words.word_suspects(counts, on_pages, rare_max=rare_max, min_length=min_length,
                                       ignore=self.option("words.ignore"), is_word=words.is_english_word,
                                       max_distance=2)
        if not suspects:
            return
        evidence = _Evidence(pages)
        kinds = {SCOPES[s] for s in self.option("words.scope")}
        common_min = self.option("words.common-min")
        for s in suspects:
            for i in on_pages[s.rare]:
                for label in words.page_labels(pages[i]):
                    if label.kind not in kinds:
                        continue
                    toks = label.tokens()
                    for k, (written, folded, at) in enumerate(toks):
                        if folded != s.rare:
                            continue
                        path = pages[i]["path"]
                        line, col, _, _ = label.position(at, len(written))
                        if (path, line, col) in sw.claims:
                            continue  # BT401 reported it (a dictionary knows the word), with this evidence
                        right = words.match_case(written, s.rare, s.common)
                        why = None
                        if s.common_pages >= max(common_min, 3 * s.rare_pages):
                            why = evidence.phrase(label, toks, k, s.common, right)
                            if why is None and not s.real:
                                why = evidence.alone(label, toks, k, s, sw)
                        if why is None and label.kind == "l" and s.common_pages > s.rare_pages:
                            why = evidence.same_target(label, toks, k, s.common)
                        if why is None:
                            continue
                        yield self._diagnostic(path, label, written, right, at, s, why)

    def _diagnostic(self, path: str, label: words.Label, written: str, right: str, at: int,
                    s: words.WordSuspect, why: str) -> Diagnostic:
        start = label.start + at
        plural = lambda n: f"{n} page{'s' if n != 1 else ''}"  # noqa: E731
        message = (f'"{written}" looks like a misspelling of "{right}": "{s.rare}" is on {plural(s.rare_pages)}, '
                   f'"{s.common}" on {plural(s.common_pages)}; {why}')
        d = self.at(path, label.position(at, len(written)), message, offsets=(start, start + len(written)))
        d.fix = Fix((Edit(start, start + len(written), right),), safe=False, description=f"write {right!r}")
        return d


class _Evidence:
    """Context that confirms a correction, built on first use."""

    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages
        self._bigrams: set[str] | None = None
        self._targets: dict[str, list[str]] = {}

    def phrase(self, label: words.Label, toks: list[tuple[str, str, int]], k: int, common: str,
               shown_as: str) -> str | None:
        if self._bigrams is None:
            self._bigrams = set(chain.from_iterable(p["words"]["bg"].split() for p in self.pages))
        blanked = words.blank_markup(label.raw)
        for j, first in ((k - 1, True), (k + 1, False)):
            if not 0 <= j < len(toks):
                continue
            a, b = sorted((toks[j], toks[k]), key=lambda t: t[2])
            if blanked[a[2] + len(a[0]) : b[2]].strip(words.ADJACENT):
                continue  # not adjacent
            other = toks[j]
            pair = f"{other[1]}_{common}" if first else f"{common}_{other[1]}"
            if pair in self._bigrams:
                shown = f"{other[0]} {shown_as}" if first else f"{shown_as} {other[0]}"
                return f'"{shown}" is written elsewhere'
        return None

    def alone(self, label: words.Label, toks: list[tuple[str, str, int]], k: int, s: words.WordSuspect,
              sw: words.SiteWords) -> str | None:
        """A word with no Latin word beside it (glued to kana or kanji, in brackets, alone in
        a heading): no phrase can confirm it, so the site's usual spelling must be one of
        its terms or in wide use, and the rare spelling no English word."""
        written, _, at = toks[k]
        raw = label.raw
        end = at + len(written)
        if not (at > 0 and words.cjk_adjacent(raw[at - 1]) or end < len(raw) and words.cjk_adjacent(raw[end])):
            return None  # not glued to Japanese text: the phrase evidence decides
        if words.is_english_word(s.rare) or sw.terms.get(s.rare) or words.contraction(raw, at, end) \
                or words.CAMEL.search(written):
            return None
        as_term = sw.terms.get(s.common, 0)
        if as_term:
            return f'"{s.common}" is a tag or category on {as_term} page{"s" if as_term != 1 else ""}'
        if s.common_pages >= 10:
            return f'"{s.common}" is on {s.common_pages} pages and "{s.rare}" is no English word'
        return None

    def same_target(self, label: words.Label, toks: list[tuple[str, str, int]], k: int, common: str) -> str | None:
        target = words.normalize_url(label.target)
        if not target:
            return None
        wanted = tuple(common if j == k else t[1] for j, t in enumerate(toks))
        for text in self._texts(target):
            seq = tuple(words.fold(m.group(0)) for m in words.WORD.finditer(words.blank_markup(text)))
            if seq == wanted:
                return f'another link to {target} reads "{" ".join(text.split())}"'
        return None

    def _texts(self, target: str) -> list[str]:
        """The texts of the site's links to ``target``: the link labels of the word facts
        (a link whose text has no word is not among them, and could not confirm a word)."""
        if target not in self._targets:
            needle = target.lower()
            found = []
            for page in self.pages:
                if needle not in (page["words"].get("labels") or "").lower():
                    continue
                for label in words.page_labels(page):
                    url = label.target
                    if label.kind == "l" and needle in url.lower() and words.normalize_url(url) == target:
                        found.append(label.raw)
            self._targets[target] = found
        return self._targets[target]
