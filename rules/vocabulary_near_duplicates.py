"""BT403: tags and categories that are near-duplicates of a term the site uses more often."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools import words
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule
from blogtools.rulesupport.vocabulary import SINGULAR, page_terms, site_clusters, taxonomy_keys, term_values



def _positive(value: Any) -> str | None:
    return None if value >= 1 else f"expected an integer >= 1, got {value!r}"


def _strings(value: Any) -> str | None:
    return None if all(isinstance(v, str) and v for v in value) else f"expected a list of strings, got {value!r}"


class VocabularyNearDuplicate(Rule):
    """A tag or category spelt differently from the same term on other pages.

    What it does
        Collects the values of the site's taxonomies (Hugo's ``[taxonomies]``, otherwise
        ``tags`` and ``categories``; or the keys in ``vocabulary.keys``) over every page and
        groups the spellings of one term:

        - spellings that differ only by case, separators (``open source`` /
          ``open-source`` / ``open_source``, ``Machine Learning`` / ``machinelearning``) or
          full-width and half-width forms (``ＡＷＳ`` / ``AWS``) are one term;
        - a term one edit away from a term used on at least twice as many pages is its
          misspelling (``kubenetes``, ``Kubernets``, ``reviedog``); two edits for terms of
          ten letters or more. Terms that differ by letters added at either end
          (``java`` / ``javascript``, ``vue`` / ``vuex``), by a digit (``python2`` /
          ``python3``) or only in the last letter are different terms, and Japanese terms
          are compared by width only.

        Each use of a minority spelling is reported with the spelling used on the most
        pages (on a tie: the one already written as it appears in the URL, lower case with
        hyphens). The search is blocked by length and first or last letter through
        rapidfuzz (the ``words`` extra); without it only case, separators and width are
        compared, with a note.

    Why it matters
        Hugo makes a taxonomy page per spelling: ``machine-learning`` and
        ``machinelearning`` split the posts about one subject between two lists, and a
        misspelt tag is a page with a single post that readers never find. On a Hugo site,
        spellings Hugo merges into one term page (``GitHub``/``github``, ``open source``/
        ``open-source``) split nothing: they are reported only with
        ``vocabulary.same-url = true`` (on real Hugo blogs every such finding was judged
        noise). In Jekyll, where terms are case-sensitive, they are always reported; there
        only posts' terms are compared (``site.tags`` and ``site.categories`` hold posts
        only: the tags of another collection's documents make no list to split). A term
        that only adds whole words to another (``AlphaGoZero`` / ``AlphaZero``, ``Deep
        Q-Learning`` / ``deep learning``) names another thing and is no misspelling of it.

    Example
        ::

            tags:
              - kubenetes   # the other posts say kubernetes
              - open source # the other posts say open-source

    Use instead
        ::

            tags:
              - kubernetes
              - open-source

    Fix safety
        Unsafe: renaming a term moves the page to another taxonomy page and changes its
        URL there; the majority is usually right but not always (add the term to
        ``vocabulary.ignore``). No fix when the value's exact position is unknown.

    Options
        ``vocabulary.keys``: front matter keys to compare (default: the site's taxonomies).
        ``vocabulary.ignore``: terms never reported. ``vocabulary.min-length``: terms
        shorter than this (5) are compared by case, separators and width only.
    """

    code = "BT403"
    name = "vocabulary-near-duplicate"
    summary = "A tag or category spelt differently from the same term on other pages"
    severity = "warning"
    fixable = "unsafe"
    site_wide = True
    reads_facts = ("words",)
    tags = ("words",)
    options = (
        Option("vocabulary.keys", [], "front matter keys to compare (default: the site's taxonomies)",
               type=list, validate=_strings),
        Option("vocabulary.ignore", [], "terms never reported", type=list, validate=_strings),
        Option("vocabulary.min-length", 5, "shorter terms are not compared by spelling", type=int,
               validate=_positive),
        Option("vocabulary.same-url", False, "also report spellings Hugo merges into one term page "
               "(case, separators: GitHub / github, open source / open-source)", type=bool),
    )

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        if len(site.pages) < 2:
            return  # nothing to compare one page's terms with
        keys = taxonomy_keys(site, self.option("vocabulary.keys"))
        fuzzy = words.fuzzy_available()
        if not fuzzy:
            words.note_once(f"{self.code} {self.name}: spelling comparison skipped: install rapidfuzz "
                            "(pip install 'blogtools[words]')")
        sw = words.site_words(site)
        taxonomy = _taxonomy_pages(site)
        values = [term_values(page, keys, site.generator) if taxonomy(page) else [] for page in site.pages]
        clusters = site_clusters(values, sw, self.settings, fuzzy)
        variants = {(c.key, v.written): (c, v) for c in clusters for v in c.variants}
        ignore = {words.fold_term(i) for i in self.option("vocabulary.ignore")}
        phrases = _PhraseCheck(sw, ignore, self.option("vocabulary.min-length")) if fuzzy else None
        merged = None
        if site.generator == "hugo" and not self.option("vocabulary.same-url"):
            from blogtools.generators.hugo import urlize

            lower = not bool(site.setting("disablePathToLower", False))
            merged = lambda term: urlize(term, lower=lower)  # noqa: E731 - the term page's URL
        for page, vs in zip(site.pages, values):
            if not vs:
                continue
            hit = any((key, value.strip()) in variants for key, value in vs)
            if not hit and (phrases is None or not any(phrases.suspect(value) for _, value in vs)):
                continue
            for t in page_terms(page, keys, site.generator):
                if (t.path, t.pos[0], t.pos[1]) in sw.claimed_terms:
                    continue  # BT401 reported it, with this evidence
                found = variants.get((t.key, t.value.strip()))
                if found is not None and merged is not None and found[1].how != "spelling" \
                        and merged(t.value.strip()) == merged(found[0].keep):
                    continue  # one term page on a Hugo site: nothing is split (vocabulary.same-url)
                if found is not None:
                    yield self._diagnostic(t, *found)
                elif phrases is not None:
                    fixed = phrases.fix(t.value.strip())
                    if fixed is not None:
                        yield self._phrase_diagnostic(t, *fixed)

    def _phrase_diagnostic(self, t: words.Term, new: str, why: str) -> Diagnostic:
        what = SINGULAR.get(t.key, t.key)
        value = t.value.strip()
        d = self.at(t.path, t.pos, f'{what} "{value}" looks like a misspelling of "{new}": {why}',
                    offsets=(t.start, t.end) if t.start >= 0 else (0, 0))
        if t.start >= 0:
            d.fix = Fix((Edit(t.start, t.end, new),), safe=False, description=f"write {new!r}")
        return d

    def _diagnostic(self, t: words.Term, cluster: words.Cluster, variant: words.Variant) -> Diagnostic:
        what = SINGULAR.get(t.key, t.key)
        pages = lambda n: f"{n} page{'s' if n != 1 else ''}"  # noqa: E731
        value = t.value.strip()
        if variant.how == "spelling":
            head = f'{what} "{value}" looks like a misspelling of "{cluster.keep}"'
        else:
            head = f'{what} "{value}" differs from "{cluster.keep}" only by {variant.how}'
        message = f'{head}: "{cluster.keep}" is on {pages(cluster.pages)}, "{value}" on {pages(variant.pages)}'
        if variant.why:
            message += f" ({variant.why})"
        elif variant.pages == cluster.pages:
            message += " (a tie goes to the spelling written as in the term's URL)"
        d = self.at(t.path, t.pos, message, offsets=(t.start, t.end) if t.start >= 0 else (0, 0))
        if t.start >= 0:
            d.fix = Fix((Edit(t.start, t.end, cluster.keep),), safe=False, description=f"write {cluster.keep!r}")
        return d


class _PhraseCheck:
    """A term of several words one of which is a rare slip of a common word, where the
    corrected phrase is written elsewhere (``transfer-leaning``: "Transfer Learning" is a
    heading or link text elsewhere; ``learning`` is on many pages, ``leaning`` on few)."""

    def __init__(self, sw: words.SiteWords, ignore: set[str], min_length: int) -> None:
        self.sw, self.ignore, self.min_length = sw, ignore, max(min_length, 5)
        self._index: words.NearIndex | None = None
        self._memo: dict[str, tuple[str, str] | None] = {}

    def suspect(self, value: str) -> bool:
        return self.fix(value.strip()) is not None

    def fix(self, value: str) -> tuple[str, str] | None:
        if value in self._memo:
            return self._memo[value]
        self._memo[value] = found = self._fix(value)
        return found

    def _fix(self, value: str) -> tuple[str, str] | None:
        toks = list(words.WORD.finditer(value))
        if len(toks) < 2 or words.fold_term(value) in self.ignore:
            return None
        counts = self.sw.counts
        if self._index is None:
            self._index = words.NearIndex(w for w, n in counts.items() if n >= 3 and w.isascii()
                                          and len(w) >= self.min_length - 1)
        for k, m in enumerate(toks):
            rare = words.fold(m.group(0))
            if len(rare) < self.min_length or not rare.isascii() or counts.get(rare, 0) > 2:
                continue
            for common, _ in self._index.near(rare, 1):
                if counts[common] < max(3, 3 * counts.get(rare, 0)) or not words.plausible_typo(rare, common):
                    continue
                folded = [words.fold(t.group(0)) for t in toks]
                folded[k] = common
                pairs = [f"{folded[j]}_{folded[j + 1]}" for j in (k - 1, k) if 0 <= j < len(folded) - 1]
                phrase = [p for p in pairs if self.sw.bigrams.get(p)]
                if not phrase and not self.sw.terms.get("".join(folded)):
                    continue
                right = words.match_case(m.group(0), rare, common)
                new = value[: m.start()] + right + value[m.end() :]
                keep = self.sw.term_form(words.fold_term(new))
                shown = phrase[0].replace("_", " ") if phrase else " ".join(folded)
                why = (f'"{common}" is on {counts[common]} pages, "{rare}" on {counts.get(rare, 0)}; '
                       f'"{shown}" is written elsewhere')
                return (keep or new), why
        return None


def _taxonomy_pages(site: Any) -> Any:
    """Which pages' terms make taxonomy pages: on a Jekyll site only posts' (``site.tags`` and
    ``site.categories`` are built from posts; a collection document's tags split no list);
    everywhere else every page's."""
    if site.generator != "jekyll":
        return lambda page: True
    import os

    root = os.path.abspath(getattr(site, "root", "") or ".").rstrip(os.sep) + os.sep
    profile = site.profile

    def is_post(page: dict[str, Any]) -> bool:
        full = os.path.abspath(page.get("abspath") or page.get("path", ""))
        parts = full.split(os.sep)
        if not full.startswith(root):
            return "_posts" in parts[:-1]
        try:
            return profile.kind_of(full[len(root):].replace(os.sep, "/"))[0] == "post"
        except Exception:  # noqa: BLE001 - an odd config: only the folder names count
            return "_posts" in parts[:-1]

    return is_post
