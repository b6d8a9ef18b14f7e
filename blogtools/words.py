"""Words: tokens, folding, edit distance, typo dictionaries and the per-file word facts.

Tokens
    *ASCII words*: a Latin letter, then letters or digits (full-width ``Ｇｉｔ`` counts and
    folds to ``git``). *CJK runs*: two or more kanji (with 々 〆 ヶ), or two or more
    katakana (with ー and half-width katakana). Hiragana are grammar rather than vocabulary
    and are not counted. There is no ``\\b`` anywhere: a word ends where a non-letter
    begins, so ``MLCT復活`` gives ``MLCT`` and ``復活`` and ``今日もJS祭り`` gives ``JS``.
Folding
    NFKC (full-width and half-width forms compare equal), then case folding. Terms (tags,
    categories) also drop separators, so ``open source``, ``open-source``, ``open_source``
    and ``Open Source`` are one term.
Distance
    Optimal string alignment: an insertion, a deletion, a substitution or a swap of two
    adjacent letters is one edit. rapidfuzz (the ``words`` extra) computes it and the
    blocked candidate search; :func:`fuzzy_available` says whether it is installed, and
    the site-wide fuzzy checks are skipped with a one-line note when it is not.
Dictionaries
    prh-compatible YAML typo dictionaries (:func:`load_dictionary`).
Facts
    :func:`extract` (registered as ``facts["words"]``) keeps a few compact strings per file.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from typing import Any, Iterable, Iterator

from blogtools import kramdown_body
from blogtools.lines import LineIndex
from blogtools.record import dataclass, field

# --------------------------------------------------------------------------- tokens
_LATIN = "A-Za-z\uff21-\uff3a\uff41-\uff5a"
_DIGIT = "0-9\uff10-\uff19"
WORD = re.compile(f"[{_LATIN}][{_LATIN}{_DIGIT}]*")
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3005\u3006\u30f6"
_KATAKANA = "\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f"
CJK_RUN = re.compile(f"[{_KANJI}]{{2,}}|[{_KATAKANA}]{{2,}}")
ALNUM_CLASS = f"{_LATIN}{_DIGIT}"
_SEPARATORS = re.compile(r"[\s\-_./\u30fb\u2010\u2011\u2013\u2014]+")
MIN_WORD = 3  # shorter ASCII words are not counted
# The words of WORD that are at least MIN_WORD long: a word is a maximal run, so a run too
# short for this pattern at its first letter has no long enough tail either.
_WORD3 = re.compile(f"[{_LATIN}][{_LATIN}{_DIGIT}]{{{MIN_WORD - 1},}}")
_HALF_WIDTH_KANA = re.compile("[\uff66-\uff9f]")


def fold(text: str) -> str:
    """NFKC + case folding (ASCII takes the fast path)."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def fold_term(term: str) -> str:
    """The comparison key of a tag or category: folded, separators removed."""
    return _SEPARATORS.sub("", fold(term.strip()))


def urlize(term: str) -> str:
    """Roughly how Hugo writes a term in its URL (lower case, spaces as hyphens)."""
    return re.sub(r"\s+", "-", term.strip().lower())


def words(text: str) -> Iterator[re.Match[str]]:
    """ASCII word matches of ``text`` (any length)."""
    return WORD.finditer(text)


def cjk_runs(text: str) -> list[str]:
    return CJK_RUN.findall(text)


def match_case(written: str, rare: str, common: str) -> str:
    """``common`` (folded) written the way ``written`` (a spelling of folded ``rare``) is.

    The letters ``written`` shares with ``common`` keep their case and the edited letters
    take the case of the word: ``JavaScirpt`` → ``JavaScript``, ``Learing`` → ``Learning``,
    ``KUBERNETS`` → ``KUBERNETES``.
    """
    if not unicodedata.is_normalized("NFKC", written):
        written = unicodedata.normalize("NFKC", written)  # the correction is written in ASCII
    if len(written) != len(rare):  # folding changed the length: keep only the case pattern
        if written.isupper() and len(written) > 1:
            return common.upper()
        return common[:1].upper() + common[1:] if written[:1].isupper() else common
    p, s = common_ends(rare, common)
    middle = common[p : len(common) - s]
    if written.isupper() and len(written) > 1:
        middle = middle.upper()
    return written[:p] + middle + written[len(written) - s :]


def common_ends(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of two strings."""
    n = min(len(a), len(b))
    p = 0
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return p, s


def plausible_typo(rare: str, common: str) -> bool:
    """Whether folded ``rare`` can be a slip of folded ``common`` rather than another word.

    Not when one is the other plus letters at either end (``vue``/``vuex``,
    ``model``/``models``, ``java``/``javascript``), when the edit touches a digit
    (``python2``/``python3``), or when it touches the last letter (``lecturer``/``lectures``,
    the place of inflections).
    """
    if rare == common or not rare or not common:
        return False
    if rare.startswith(common) or common.startswith(rare) or rare.endswith(common) or common.endswith(rare):
        return False
    p, s = common_ends(rare, common)
    changed = rare[p : len(rare) - s] + common[p : len(common) - s]
    if any(c.isdigit() for c in changed):
        return False
    return s > 0


_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\W\d_A-Za-z]+")


def term_parts(term: str) -> list[str]:
    """The words of a term, camel case split and folded (``AlphaGoZero`` → alpha go zero)."""
    return [fold(p) for p in _PARTS.findall(unicodedata.normalize("NFKC", term))]


def words_added(a: str, b: str) -> bool:
    """Whether one term is the other with whole words added (``AlphaGoZero``/``AlphaZero``,
    ``Deep Q-Learning``/``deep learning``): another name, not a slip of a letter."""
    x, y = term_parts(a), term_parts(b)
    if len(x) == len(y):
        return False
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    it = iter(long_)
    return bool(short) and all(any(p == q for q in it) for p in short)


# --------------------------------------------------------------------------- distance
@lru_cache(maxsize=1)
def fuzzy_available() -> bool:
    try:
        import rapidfuzz  # noqa: F401
    except ImportError:
        return False
    return True


_NOTED: set[str] = set()


def note_once(message: str) -> None:
    """Print a one-line note on stderr, once per process."""
    if message not in _NOTED:
        _NOTED.add(message)
        print(f"blogtools: {message}", file=sys.stderr)


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (rapidfuzz when installed)."""
    if fuzzy_available():
        from rapidfuzz.distance import OSA

        return int(OSA.distance(a, b))
    return _osa(a, b)


def _osa(a: str, b: str) -> int:
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


class NearIndex:
    """Words blocked by (length, first letter) and (length, last letter).

    A query compares only against words of about its length that share its first or its
    last letter (every word one edit away does), through ``rapidfuzz.process.extract``:
    the cost grows with the block sizes, never with the square of the vocabulary.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.blocks: dict[tuple[int, str], list[str]] = defaultdict(list)
        for w in words:
            if w:
                self.blocks[(len(w), w[0])].append(w)
                self.blocks[(len(w), "$" + w[-1])].append(w)

    def near(self, word: str, max_distance: int = 1) -> list[tuple[str, int]]:
        """Indexed words within ``max_distance`` edits of ``word`` (itself excluded)."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        choices: list[str] = []
        seen = {word}
        for n in range(len(word) - max_distance, len(word) + max_distance + 1):
            for key in ((n, word[0]), (n, "$" + word[-1])):
                for w in self.blocks.get(key, ()):
                    if w not in seen:
                        seen.add(w)
                        choices.append(w)
        if not choices:
            return []
        found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=max_distance, limit=None)
        return sorted(((c, int(d)) for c, d, _ in found), key=lambda x: (x[1], x[0]))


# --------------------------------------------------------------------------- URLs
def normalize_url(url: str) -> str:
    """A link target for comparison: no scheme, no ``www.``, host in lower case, no trailing slash."""
    u = url.strip()
    low = u.lower()
    for scheme in ("https://", "http://", "//"):
        if low.startswith(scheme):
            rest = u[len(scheme) :]
            host, sep, path = rest.partition("/")
            host = host.lower()
            if host.startswith("www."):
                host = host[4:]
            u = host + sep + path
            break
    while u.endswith("/") and len(u) > 1:
        u = u[:-1]
    return u


# --------------------------------------------------------------------------- markup in labels
_LABEL_MARKUP = re.compile(
    r"`+[^`]*`+"  # code spans
    r"|!\[[^\]]*\]\([^)]*\)"  # images
    r"|\]\([^)]*\)"  # link destinations
    r"|\]\[[^\]]*\]"  # reference labels
    r"|\[\^[^\]\s]+\]"  # footnote references
    r"|<[^>\n]*>"  # HTML tags, autolinks
    r"|(?:https?://|www\.)\S+"  # bare URLs
    r"|\{\{.*?\}\}|\{%.*?%\}"  # shortcodes, Liquid
    r"|\{:?[ \t]*[#.][^{}\n]*\}",  # attributes of a heading ({#id}, kramdown's {: #id .class}): names, not text
    re.S,
)


_MARKUP_HINT = re.compile(r"[`<\[\]{]|https?:|www\.")


def blank_markup(raw: str) -> str:
    """``raw`` with code, URLs, HTML and template tags replaced by spaces (same length)."""
    if not _MARKUP_HINT.search(raw):
        return raw
    return _LABEL_MARKUP.sub(lambda m: re.sub(r"[^\r\n]", " ", m.group(0)), raw)


_NEWLINE = re.compile(r"\r\n|\r|\n")


def advance(line: int, column: int, raw: str, index: int) -> tuple[int, int]:
    """Position of ``raw[index]`` when ``raw`` starts at (line, column)."""
    last = None
    for m in _NEWLINE.finditer(raw, 0, index):
        line += 1
        last = m.end()
    if last is None:
        return line, column + index
    return line, index - last + 1


# --------------------------------------------------------------------------- facts
TERM_KEYS = ("tags", "tag", "categories", "category", "series", "keywords", "topics")
_NOT_PROSE = frozenset(("code_block", "code_span", "html_block", "html_inline", "html_comment", "autolink",
                        "image", "shortcode", "liquid", "ref_def", "footnote_ref"))
ADJACENT = " \t*_~"  # what may stand between two words of one phrase (spaces, emphasis marks)
_SEP = "\x1f"
_REC = "\x1e"
FACTS_VERSION = 1  # bump when the layout of the strings changes (old cached facts are then ignored)


def _clean(s: str) -> str:
    return s.replace(_SEP, " ").replace(_REC, " ") if _SEP in s or _REC in s else s


@dataclass(slots=True)
class Label:
    """A link text, heading or title of one page, as stored in the facts."""

    kind: str  # "l" link text | "h" heading | "t" title
    start: int  # offset of ``raw`` in the document
    line: int
    column: int
    target: str  # link destination as written ("" for headings and titles)
    raw: str  # the source text

    def tokens(self) -> list[tuple[str, str, int]]:
        """ASCII words: (as written, folded, index in ``raw``), markup skipped."""
        return [(m.group(0), fold(m.group(0)), m.start()) for m in WORD.finditer(blank_markup(self.raw))]

    def position(self, index: int, length: int) -> tuple[int, int, int, int]:
        line, col = advance(self.line, self.column, self.raw, index)
        return line, col, line, col + length


@dataclass(slots=True)
class Term:
    """One value of a taxonomy key in one page's front matter."""

    key: str  # lower case
    index: int  # position in the list (-1 for a single string)
    value: str
    start: int  # offsets of the value text (-1 when not exactly known)
    end: int
    pos: tuple[int, int, int, int]
    path: str = ""


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping and touching ones merged."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _scan_nodes(doc: Any) -> tuple[list[tuple[int, int]], list[tuple[str, int, int, str]]]:
    """Spans of the body that are not prose, and the labels (link texts, headings)."""
    skip: list[tuple[int, int]] = []
    labels: list[tuple[str, int, int, str]] = []
    kd = kramdown_body.view(doc)  # a Jekyll post: kramdown's attribute lists, comments and math are no prose
    if kd is not None:
        skip += kd.markup
    for n in (kd.nodes if kd is not None else doc.body.nodes):
        kind = n.kind
        if kind == "link":
            if n.text_start >= 0:
                skip.append((n.start, n.text_start))
                skip.append((n.text_end, n.end))
                labels.append(("l", n.text_start, n.text_end, n.url))
            else:
                skip.append((n.start, n.end))
        elif kind == "heading":
            if n.text_end > n.text_start:
                labels.append(("h", n.text_start, n.text_end, ""))
        elif kind == "footnote_def":
            skip.append((n.start, n.text_end + 2))
        elif kind in _NOT_PROSE:
            skip.append((n.start, n.end))
    return skip, labels


def non_prose(doc: Any) -> list[tuple[int, int]]:
    """Merged spans of code, URLs, link destinations, HTML, templates and footnote labels."""
    return merge_spans(_scan_nodes(doc)[0])


def _prose(doc: Any) -> tuple[str, list[tuple[str, int, int, str]]]:
    """The body's prose (code, URLs, HTML, templates cut out) and its labels."""
    text = doc.text
    skip, labels = _scan_nodes(doc)
    skip.sort()
    pieces = []
    pos = doc.body_start
    for a, b in skip:
        if a > pos:
            pieces.append(text[pos:a])
        pos = max(pos, b)
    pieces.append(text[pos:])
    return " ".join(pieces), labels


def title_span(doc: Any) -> tuple[int, int] | None:
    fm = doc.front_matter
    title = doc.meta.get("title")
    if fm is None or not isinstance(title, str) or not title.strip():
        return None
    span = fm.positions.get(("title",))
    if span is None:
        return None
    return _value_span(doc.text, span.value_start, span.value_end, title)


def _value_span(text: str, start: int, end: int, value: str) -> tuple[int, int] | None:
    raw = text[start:end]
    if raw == value:
        return start, end
    if len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0] and raw[1:-1] == value:
        return start + 1, end - 1
    at = raw.find(value) if value else -1
    return (start + at, start + at + len(value)) if at >= 0 else None


def _terms(doc: Any, position: Any = None) -> list[str]:
    fm = doc.front_matter
    if fm is None or not fm.data:
        return []
    position = position or _positions(doc)
    out = []
    for key, value in fm.data.items():
        if not isinstance(key, str) or key.lower() not in TERM_KEYS:
            continue
        items = [(-1, value)] if isinstance(value, str) else list(enumerate(value)) if isinstance(value, list) else []
        for i, item in items:
            if not isinstance(item, str) or not item.strip():
                continue
            span = fm.positions.get((key,) if i < 0 else (key, i))
            exact = _value_span(doc.text, span.value_start, span.value_end, item) if span else None
            start, end = exact if exact else ((span.value_start, span.value_end) if span else (0, 0))
            line, col = position(start)
            end_line, end_col = position(end)
            out.append(f"{key.lower()}{_SEP}{_clean(item)}{_SEP}{i}{_SEP}{start if exact else -1}{_SEP}"
                       f"{end if exact else -1}{_SEP}{line}{_SEP}{col}{_SEP}{end_line}{_SEP}{end_col}")
    return out


def _positions(doc: Any) -> Any:
    """``doc.position`` as one call of a local function (the label and term loops look up
    every entry's position; the method goes through two calls and the clamping)."""
    index = getattr(doc, "lines", None)
    if not isinstance(index, LineIndex):
        return doc.position
    starts, length = index.starts, index.length

    def position(offset: int) -> tuple[int, int]:
        if not 0 <= offset <= length:
            return index.position(offset)
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    return position


# Two words of one phrase: a word, then only ADJACENT characters, then the next word (in the
# look-ahead, so that it can start the next pair). A match cannot start inside a word: the
# whole word would have matched there first.
_PAIR = re.compile(f"({WORD.pattern})[{re.escape(ADJACENT)}]+(?=({WORD.pattern}))")


def _fold_each(found: set[str]) -> set[str]:
    """:func:`fold` of each string; when all are ASCII (nearly always), in one call."""
    joined = " ".join(found)
    if joined.isascii():
        return set(joined.lower().split(" ")) if found else set()
    return {fold(w) for w in found}


def extract(doc: Any) -> dict[str, str]:
    """The word facts of one document, as compact strings (cheap to cache and to load).

    ``w``: distinct folded ASCII words (>= 3 letters) of the title and the body's prose
    (headings and link texts included; code, URLs, HTML and templates not);
    ``c``: distinct CJK runs of the title, headings and link texts (the prose's would
    triple the size of the facts for a list only ``blogtools vocab`` shows);
    ``lw``: distinct folded words of link texts, headings and the title;
    ``bg``: distinct folded pairs of adjacent words in those (``machine_learning``);
    ``labels``: each link text, heading and title with its position and source text;
    ``terms``: taxonomy values (tags, categories, ...) with exact positions.
    Counts are of pages, not occurrences: the site rules ask how many pages use a word.
    """
    prose, spans = _prose(doc)
    title = title_span(doc)
    if title is not None:
        spans.append(("t", title[0], title[1], ""))
        prose = prose + " " + doc.text[title[0] : title[1]]
    counted = _fold_each(set(_WORD3.findall(prose)))
    records = []
    blanked_labels = []
    text = doc.text
    position = _positions(doc)
    label_text = " ".join(text[a:b] for _, a, b, _ in spans)
    cjk = set(CJK_RUN.findall(label_text))
    if _HALF_WIDTH_KANA.search(label_text):
        cjk = {unicodedata.normalize("NFKC", r) for r in cjk}
    for kind, a, b, target in spans:
        raw = text[a:b]
        blanked = blank_markup(raw)
        if not WORD.search(blanked):
            continue  # no words: not a label the site rules look at
        blanked_labels.append(blanked)
        line, col = position(a)
        records.append(f"{kind}{_SEP}{a}{_SEP}{line}{_SEP}{col}{_SEP}{_clean(target)}{_SEP}{_clean(raw)}")
    # All labels at once: a line break is neither a word character nor ADJACENT, so no word
    # and no pair runs from one label into the next.
    blanked = "\n".join(blanked_labels)
    label_words = _fold_each(set(_WORD3.findall(blanked)))
    bigrams = _fold_each({first + "_" + second for first, second in _PAIR.findall(blanked)})
    return {
        "v": FACTS_VERSION,
        "w": " ".join(sorted(counted)),
        "c": " ".join(sorted(cjk)),
        "lw": " ".join(sorted(label_words)),
        "bg": " ".join(sorted(bigrams)),
        "labels": _REC.join(records),
        "terms": _REC.join(_terms(doc, position)),
    }


def facts_of(page: dict[str, Any]) -> dict[str, str]:
    """The page's word facts, or {} when missing or written by another version."""
    f = page.get("words")
    return f if isinstance(f, dict) and f.get("v") == FACTS_VERSION else {}


def page_labels(page: dict[str, Any]) -> list[Label]:
    raw = facts_of(page).get("labels") or ""
    out = []
    for rec in raw.split(_REC) if raw else ():
        kind, a, line, col, target, text = rec.split(_SEP, 5)
        out.append(Label(kind, int(a), int(line), int(col), target, text))
    return out


def page_terms(page: dict[str, Any]) -> list[Term]:
    raw = facts_of(page).get("terms") or ""
    out = []
    for rec in raw.split(_REC) if raw else ():
        key, value, i, a, b, l1, c1, l2, c2 = rec.split(_SEP)
        out.append(Term(key, int(i), value, int(a), int(b), (int(l1), int(c1), int(l2), int(c2)),
                        page.get("path", "")))
    return out


def term_values(page: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(key, value, index) of the page's terms: the cheap part of :func:`page_terms`."""
    raw = facts_of(page).get("terms") or ""
    out = []
    for rec in raw.split(_REC) if raw else ():
        key, value, i, _ = rec.split(_SEP, 3)
        out.append((key, value, int(i)))
    return out


def _register() -> None:
    from blogtools import facts

    facts.EXTRACTORS.setdefault("words", extract)


_register()


# --------------------------------------------------------------------------- site analysis
@dataclass
class Variant:
    written: str
    pages: int
    how: str  # "case", "separators", "width", "spelling", combined with " and "
    why: str = ""  # for a spelling: what decided it (the dictionary, the site's evidence)


@dataclass
class Cluster:
    """Spellings of one term: the one to keep and the variants to replace."""

    key: str
    keep: str
    pages: int
    variants: list[Variant] = field(default_factory=list)


def _difference(variant: str, keep: str) -> str:
    """How two spellings of a term differ: width, separators, case, or spelling."""
    if fold_term(variant) != fold_term(keep):
        return "spelling"
    how = []
    nv, nk = unicodedata.normalize("NFKC", variant), unicodedata.normalize("NFKC", keep)
    if nv != variant or nk != keep:
        how.append("width")
    if _SEPARATORS.findall(nv) != _SEPARATORS.findall(nk):
        how.append("separators")
    if _SEPARATORS.sub("", nv) != _SEPARATORS.sub("", nk):
        how.append("case")
    return " and ".join(how) or "case"


def _preference(written: str, pages: int) -> tuple[Any, ...]:
    w = written.strip()
    return (-pages, w != urlize(w), w != w.lower(), w)


def term_clusters(terms: Iterable[tuple[str, str, Any]], fuzzy: bool = True, min_length: int = 5,
                  ignore: Iterable[str] = (), evidence: Any = None, misspelt: Any = None,
                  is_word: Any = None) -> list[Cluster]:
    """Near-duplicate spellings among taxonomy terms, per key.

    ``terms`` are (key, term as written, page) triples. Spellings with the same
    :func:`fold_term` key differ only by case, separators or width:
    the one used on the most pages is kept (a tie goes to the spelling already written the
    way the URL is, then to lower case). With ``fuzzy``, a term of at least ``min_length``
    letters used on at most half as many pages as a term one edit away (two for terms of
    ten letters or more) is a misspelling of it (see :func:`plausible_typo`).

    The site and the dictionaries can decide instead of the counts of one key:
    ``evidence(folded)`` is the number of pages using a term anywhere (every taxonomy, link
    texts, headings, prose), so a 2-2 tie of tags goes to the spelling the rest of the site
    uses; ``misspelt(folded)`` is the set of folded corrections the dictionaries know for a
    term: a known misspelling loses to its correction whatever the counts, and a correction
    never becomes its misspelling; ``is_word(folded)``: two real words are never merged, nor
    two terms one of which only adds whole words (:func:`words_added`).
    """
    skip = {fold_term(i) for i in ignore}
    pages: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    folded: dict[str, str] = {}
    for key, value, page in terms:
        written = value.strip()
        if written:
            f = folded.get(written)
            if f is None:
                f = folded[written] = fold_term(written)
            pages[(key, f)][written].add(page)
    groups: dict[tuple[str, str], tuple[str, int, int]] = {}  # (key, fold) → (keep, keep pages, total)
    clusters: dict[tuple[str, str], Cluster] = {}
    for gk, forms in pages.items():
        ranked = sorted(forms.items(), key=lambda kv: _preference(kv[0], len(kv[1])))
        keep, keep_pages = ranked[0][0], len(ranked[0][1])
        total = len(set().union(*forms.values()))
        groups[gk] = (keep, keep_pages, total)
        if len(ranked) > 1 and gk[1] not in skip:
            cl = clusters.setdefault(gk, Cluster(gk[0], keep, keep_pages))
            for written, ps in ranked[1:]:
                cl.variants.append(Variant(written, len(ps), _difference(written, keep)))
    if fuzzy and fuzzy_available():
        by_key: dict[str, list[str]] = defaultdict(list)
        for key, f in groups:
            if f.isascii() and len(f) >= min_length - 1:
                by_key[key].append(f)
        for key, folds in by_key.items():
            index = NearIndex(folds)
            for f in folds:
                if len(f) < min_length or f in skip:
                    continue
                total = groups[(key, f)][2]
                wrong = misspelt(f) if misspelt is not None else ()
                ev_f = max(total, evidence(f)) if evidence is not None else total
                best, best_score, why = None, -1, ""
                for other, d in index.near(f, 2 if len(f) >= 10 else 1):
                    if not plausible_typo(f, other) or words_added(groups[(key, f)][0], groups[(key, other)][0]):
                        continue
                    o_total = groups[(key, other)][2]
                    if other in wrong:
                        score, reason = 10**9 + o_total, "a known misspelling"
                    elif misspelt is not None and f in misspelt(other):
                        continue  # the other one is the misspelling
                    elif is_word is not None and is_word(f) and is_word(other):
                        continue  # two words
                    else:
                        ev_o = max(o_total, evidence(other)) if evidence is not None else o_total
                        if not (ev_o >= 2 * ev_f and ev_o >= 2):
                            continue
                        score = ev_o
                        reason = "" if evidence is None or (o_total >= 2 * total and ev_o == o_total) else \
                            f"the site uses it on {ev_o} page{'s' if ev_o != 1 else ''}, this spelling on {ev_f}"
                    if score > best_score:
                        best, best_score, why = other, score, reason
                if best is None:
                    continue
                keep, keep_pages, _ = groups[(key, best)]
                cl = clusters.setdefault((key, best), Cluster(key, keep, keep_pages))
                for written, ps in sorted(pages[(key, f)].items()):
                    cl.variants.append(Variant(written, len(ps), "spelling", why))
    return sorted(clusters.values(), key=lambda c: (c.key, -c.pages, c.keep))


@dataclass
class WordSuspect:
    """A rare word one edit from a frequent one (folded forms, page counts)."""

    rare: str
    common: str
    rare_pages: int
    common_pages: int
    real: bool = False  # both are English words (a confusion only context can confirm)


def word_counts(pages: Iterable[dict[str, Any]], field_name: str = "w") -> dict[str, int]:
    """Number of pages using each folded word (``w``) or CJK run (``c``)."""
    from collections import Counter
    from itertools import chain

    return Counter(chain.from_iterable((facts_of(p).get(field_name) or "").split() for p in pages))


def word_suspects(counts: dict[str, int], candidates: Iterable[str], *, rare_max: int = 2,
                  min_length: int = 6, ignore: Iterable[str] = (), is_word: Any = None,
                  max_distance: int = 1) -> list[WordSuspect]:
    """For each rare candidate word, the most used word one edit away that it may misspell.

    Only ASCII words of at least ``min_length`` letters used on at most ``rare_max``
    pages are candidates; a neighbour must be used on more pages and pass
    :func:`plausible_typo`. Whether the context supports the correction is for the caller.
    With ``is_word`` (a dictionary test), a pair of two words is marked ``real``; with
    ``max_distance`` 2, words of nine letters or more may be two edits apart.
    """
    skip = {fold(i) for i in ignore}
    cands = sorted({c for c in candidates if c.isascii() and len(c) >= min_length and c not in skip
                    and 0 < counts.get(c, 0) <= rare_max})
    if not cands:
        return []
    frequent = [w for w, n in counts.items() if n > 1 and len(w) >= min_length - 1 and w.isascii()]
    index = NearIndex(frequent)
    out = []
    for c in cands:
        best = None
        for other, d in index.near(c, max_distance if len(c) >= 9 else 1):
            if counts[other] > counts[c] and plausible_typo(c, other) and (d == 1 or counts[other] >= 3 * counts[c]):
                if best is None or counts[other] > counts[best]:
                    best = other
        if best is not None:
            real = is_word is not None and is_word(c) and is_word(best)
            out.append(WordSuspect(c, best, counts[c], counts[best], real))
    return out


# --------------------------------------------------------------------------- dictionaries
class DictionaryError(ValueError):
    pass


_ALNUM_SPREAD = {}
for _c in "abcdefghijklmnopqrstuvwxyz":
    _u = _c.upper()
    _ALNUM_SPREAD[_c] = _ALNUM_SPREAD[_u] = f"[{_u}{_c}{chr(ord(_u) + 0xFEE0)}{chr(ord(_c) + 0xFEE0)}]"
for _c in "0123456789":
    _ALNUM_SPREAD[_c] = f"[{_c}{chr(ord(_c) + 0xFEE0)}]"
_BOUNDARY_BEFORE = f"(?<![{ALNUM_CLASS}])"
_BOUNDARY_AFTER = f"(?![{ALNUM_CLASS}])"


@dataclass
class DictRule:
    """One dictionary entry: where ``regex`` matches, write ``expected`` (``$1`` expanded)."""

    expected: str
    regex: re.Pattern[str]
    source: str  # file (or "builtin") and the entry's position, for messages
    probes: tuple[str, ...] | None  # every match contains one of these (folded), or None
    must_empty: int | str | None = None  # prh regexpMustEmpty: skip matches where this group is set

    def replacement(self, m: re.Match[str]) -> str | None:
        """The text to write instead of the match, or None when the entry does not apply."""
        if self.must_empty is not None:
            try:
                if m.group(self.must_empty):
                    return None
            except IndexError:
                pass
        return expand(self.expected, m)

    def may_match(self, folded: str) -> bool:
        """False when no match is possible in a text whose :func:`fold` is ``folded``."""
        return self.probes is None or any(p in folded for p in self.probes)


_REPLACE_TOKEN = re.compile(r"\$(\$|&|`|'|<([^>]*)>|\d{1,2})")


def expand(template: str, m: re.Match[str]) -> str:
    """JavaScript ``String.replace`` substitutions: ``$1`` ``$&`` ``$$`` ``$<name>`` ``$``` ``$'``."""
    if "$" not in template:
        return template

    def sub(t: re.Match[str]) -> str:
        tok = t.group(1)
        if tok == "$":
            return "$"
        if tok == "&":
            return m.group(0)
        if tok == "`":
            return m.string[: m.start()]
        if tok == "'":
            return m.string[m.end() :]
        if t.group(2) is not None:
            try:
                return m.group(t.group(2)) or ""
            except IndexError:
                return t.group(0)
        n = int(tok)
        if n <= (m.re.groups or 0):
            return m.group(n) or ""
        if len(tok) == 2 and int(tok[0]) <= (m.re.groups or 0) and int(tok[0]) > 0:
            return (m.group(int(tok[0])) or "") + tok[1]
        return t.group(0)

    return _REPLACE_TOKEN.sub(sub, template)


_JS_REGEX = re.compile(r"^/(.+)/([a-z]*)$", re.S)


def _js_regex(source: str, flags: str, where: str) -> re.Pattern[str]:
    """A prh (JavaScript) regular expression as a Python one.

    ``\\w \\d \\b`` are ASCII-only in JavaScript, so the pattern is compiled with
    ``re.ASCII`` (a ``\\b`` then works beside kana and kanji as it does in prh).
    """
    py = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", source)
    py = re.sub(r"\\k<([A-Za-z_]\w*)>", r"(?P=\1)", py)
    f = re.ASCII
    if "i" in flags:
        f |= re.IGNORECASE
    if "m" in flags:
        f |= re.MULTILINE
    if "s" in flags:
        f |= re.DOTALL
    try:
        return re.compile(py, f)
    except re.error as exc:
        raise DictionaryError(f"{where}: bad regular expression /{source}/: {exc}") from None


def spread_alnum(text: str) -> str:
    """prh's default pattern: letters and digits match any case and width."""
    return "".join(_ALNUM_SPREAD.get(c) or re.escape(c) for c in text)


def _leading(seq: Any) -> str:
    """The literal text a parsed pattern always starts with."""
    out = []
    for op, av in seq:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "SUBPATTERN":
            inner = _leading(av[-1])
            out.append(inner)
            if len(inner) != sum(1 for o, _ in av[-1] if str(o) == "LITERAL") or not inner:
                break
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        else:
            break
    return "".join(out)


def _required(items: Any) -> tuple[str, ...] | None:
    """Literal texts one of which every match of a parsed pattern contains, or None."""
    best = ""
    run: list[str] = []
    alternatives: tuple[str, ...] | None = None

    def shortest(t: tuple[str, ...] | None) -> int:
        return min(map(len, t)) if t else 0

    def flush() -> None:
        nonlocal best, run
        if len(run) > len(best):
            best = "".join(run)
        run = []

    def walk(seq: Any) -> None:
        nonlocal alternatives
        for op, av in seq:
            name = str(op)
            if name == "LITERAL":
                run.append(chr(av))
            elif name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue  # zero width: the literals around it are adjacent in the match
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name == "ATOMIC_GROUP":
                walk(av)
            elif name == "BRANCH":
                prefix = "".join(run)
                flush()
                choices = []
                leads = [_leading(branch) for branch in av[1]]
                if all(leads) or prefix:  # "Type" + (script|Sript|...) -> typescript, typesript, ...
                    choices.append(tuple(prefix + lead for lead in leads))
                subs = [_required(branch) for branch in av[1]]
                if subs and all(subs):
                    choices.append(tuple(x for sub in subs for x in sub))  # type: ignore[union-attr]
                for choice in choices:
                    if shortest(choice) > shortest(alternatives):
                        alternatives = choice
            else:
                flush()

    walk(items)
    flush()
    if len(best) >= 2 and len(best) >= shortest(alternatives):
        return (best,)
    return alternatives if shortest(alternatives) >= 2 else None


def _probes(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    try:
        parser = getattr(re, "_parser", None)
        if parser is None:  # Python 3.10
            import sre_parse as parser  # type: ignore[no-redef]
        required = _required(parser.parse(regex.pattern, regex.flags))
    except Exception:  # noqa: BLE001 - a pre-check we cannot derive is only slower
        return None
    if not required:
        return None
    folded = tuple(fold(r) for r in required)
    return folded if all(folded) else None


def _compile_pattern(pattern: Any, boundary: bool, where: str) -> re.Pattern[str]:
    """One prh pattern string: ``/regex/flags`` or a literal text."""
    if not isinstance(pattern, str) or not pattern:
        raise DictionaryError(f"{where}: a pattern must be a non-empty string, got {pattern!r}")
    m = _JS_REGEX.match(pattern)
    if m:
        return _js_regex(m.group(1), m.group(2), where)
    source = re.escape(pattern)
    if boundary:
        source = _BOUNDARY_BEFORE + source + _BOUNDARY_AFTER
    return re.compile(source, re.ASCII)


def _scoped(rx: re.Pattern[str]) -> str:
    flags = ("i" if rx.flags & re.IGNORECASE else "") + ("m" if rx.flags & re.MULTILINE else "") + \
            ("s" if rx.flags & re.DOTALL else "")
    return f"(?{flags}:{rx.pattern})" if flags else f"(?:{rx.pattern})"


def _rule(raw: Any, where: str) -> DictRule:
    if isinstance(raw, str):
        raw = {"expected": raw}
    if not isinstance(raw, dict):
        raise DictionaryError(f"{where}: a rule must be a mapping with 'expected', got {raw!r}")
    expected = raw.get("expected")
    if not isinstance(expected, str) or not expected:
        raise DictionaryError(f"{where}: 'expected' is required (a string)")
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise DictionaryError(f"{where}: 'options' must be a mapping")
    boundary = bool(options.get("wordBoundary", False))
    pattern = raw.get("patterns", raw.get("pattern"))
    if pattern is None:
        source = spread_alnum(expected)
        if boundary:
            source = _BOUNDARY_BEFORE + source + _BOUNDARY_AFTER
        regex = re.compile(source, re.ASCII)
        probes: tuple[str, ...] | None = (fold(expected),)
    else:
        items = pattern if isinstance(pattern, list) else [pattern]
        if not items:
            raise DictionaryError(f"{where}: 'patterns' is empty")
        parts = [_compile_pattern(p, boundary, where) for p in items]
        # As in prh, several patterns become one alternation (group numbers of later
        # patterns shift: a rule that uses $1 is best written as one regular expression).
        try:
            regex = parts[0] if len(parts) == 1 else re.compile("|".join(map(_scoped, parts)), re.ASCII)
        except re.error as exc:
            raise DictionaryError(f"{where}: patterns cannot be combined: {exc}") from None
        each = [_probes(p) for p in parts]
        probes = None if any(p is None for p in each) else tuple(x for p in each for x in p)  # type: ignore[union-attr]
    must_empty = raw.get("regexpMustEmpty")
    if isinstance(must_empty, str) and must_empty.startswith("$") and must_empty[1:].isdigit():
        must_empty = int(must_empty[1:])
    rule = DictRule(expected, regex, where, probes, must_empty)
    for k, spec in enumerate(raw.get("specs") or []):
        if not isinstance(spec, dict) or not isinstance(spec.get("from"), str) or not isinstance(spec.get("to"), str):
            raise DictionaryError(f"{where}: spec {k + 1} needs 'from' and 'to' strings")
        got = apply_rule(rule, spec["from"])
        if got != spec["to"]:
            raise DictionaryError(f"{where}: {expected} spec failed: {spec['from']!r} should become "
                                  f"{spec['to']!r} but became {got!r} (pattern {regex.pattern!r})")
    return rule


def apply_rule(rule: DictRule, text: str) -> str:
    """Every replacement of ``rule`` applied to ``text`` (the way specs are checked)."""
    out, pos = [], 0
    for m in rule.regex.finditer(text):
        new = rule.replacement(m)
        if new is None:
            continue
        out.append(text[pos : m.start()])
        out.append(new)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def parse_dictionary(data: Any, source: str, base: str = "", seen: frozenset[str] = frozenset()) -> list[DictRule]:
    """Rules of a loaded prh document (``version``, ``imports``, ``rules``)."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise DictionaryError(f"{source}: expected a mapping with 'rules', got {type(data).__name__}")
    rules: list[DictRule] = []
    for imp in data.get("imports") or []:
        path, ignore, nested = (imp, [], True) if isinstance(imp, str) else (
            imp.get("path"), imp.get("ignoreRules") or [], not imp.get("disableImports", False)) if isinstance(imp, dict) \
            else (None, [], True)
        if not isinstance(path, str):
            raise DictionaryError(f"{source}: bad import {imp!r}")
        full = os.path.normpath(os.path.join(base, path))
        if full in seen:
            continue
        imported = load_dictionary(full, seen | {full}, imports=nested)
        drop = {i if isinstance(i, str) else (i.get("expected") or i.get("pattern")) for i in ignore}
        rules.extend(r for r in imported if r.expected not in drop and f"/{r.regex.pattern}/" not in drop)
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise DictionaryError(f"{source}: 'rules' must be a list")
    for k, raw in enumerate(raw_rules):
        rules.append(_rule(raw, f"{source}: rule {k + 1}"))
    return rules


def _cached_yaml(path: str, text: str, load: Any) -> Any:
    """A dictionary's data, parsed once per content (a large prh file takes a while to load,
    on every start)."""
    if os.environ.get("BLOGTOOLS_NO_CACHE"):
        return load(text).data
    import hashlib
    import pickle

    from blogtools.lint.cache import cache_dir

    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    memo = os.path.join(cache_dir(), f"dict-{digest}.pickle")
    try:
        with open(memo, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError, ImportError):
        pass
    data = load(text).data
    try:
        os.makedirs(os.path.dirname(memo), exist_ok=True)
        tmp = f"{memo}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, memo)
    except OSError:
        pass
    return data


def load_dictionary(path: str, seen: frozenset[str] = frozenset(), imports: bool = True) -> list[DictRule]:
    """Load a prh-compatible YAML dictionary; raises :class:`DictionaryError` with the reason."""
    from blogtools.yamlload import YamlError, load

    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = _cached_yaml(path, text, load)
    except (YamlError, ValueError) as exc:
        raise DictionaryError(f"{path}: invalid YAML: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a loader failure is still "this file cannot be read"
        raise DictionaryError(f"{path}: invalid YAML: {type(exc).__name__}: {exc}") from None
    if not imports and isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "imports"}
    return parse_dictionary(data, os.path.basename(path), os.path.dirname(path), seen | {os.path.abspath(path)})


BUILTIN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules", "data", "typos.yml")


def builtin_path() -> str:
    try:
        import blogtools_rules

        return os.path.join(os.path.dirname(blogtools_rules.__file__), "data", "typos.yml")
    except ImportError:  # pragma: no cover
        return BUILTIN


@lru_cache(maxsize=16)
def _cached(path: str, mtime: float) -> tuple[DictRule, ...]:
    return tuple(load_dictionary(path))


def dictionary(path: str) -> tuple[DictRule, ...]:
    """A dictionary file's rules, loaded once per process (again when the file changes)."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return _cached(os.path.abspath(path), mtime)


# --------------------------------------------------------------------------- English
# The English misspelling dictionary is codespell's (PyPI ``codespell``, data in
# ``codespell_lib/data/``), read from the installed package at run time: its word lists are
# CC BY-SA 3.0 (derived from Wikipedia's lists of common misspellings) and are neither
# copied into blogtools nor changed (see rules/data/ENGLISH-DICTIONARY.md). Only the data
# files are read; codespell's (GPL-2.0) code is never imported.
ENGLISH_FILES = ("dictionary.txt", "dictionary_rare.txt")  # codespell's default, "clear,rare"
_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules", "data")
_TRIPLE = re.compile(r"([a-z])\1\1")
_ASCII_WORD = re.compile(r"[a-z][a-z0-9]*\Z")


def data_path(name: str) -> str:
    """A file of rules/data (installed as blogtools_rules/data)."""
    try:
        import blogtools_rules

        return os.path.join(os.path.dirname(blogtools_rules.__file__), "data", name)
    except ImportError:  # pragma: no cover
        return os.path.join(_DATA, name)


def english_files() -> list[str]:
    """The codespell dictionary files to read, [] when codespell is not installed."""
    from importlib.util import find_spec

    try:
        spec = find_spec("codespell_lib")  # finds the package without importing it
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    for base in spec.submodule_search_locations:
        files = [os.path.join(base, "data", f) for f in ENGLISH_FILES]
        if all(os.path.isfile(f) for f in files):
            return files
    return []


def english_stamp() -> str:
    """What English results depend on (for cache keys): the dictionary files' sizes and times."""
    out = []
    for path in [*english_files(), data_path("technical-words.txt")]:
        try:
            st = os.stat(path)
            out.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            out.append(f"{path}:-")
    return ";".join(out)


class English:
    """codespell's misspellings (``misspelling->correction``), parsed on first use.

    An entry has one correction (fixable), several (``aache->cache, ache,``: no fix) or one
    with a reason (``x->y, reason``: no fix). ``is_word`` knows the words that are the
    corrections of some misspelling (some 18,000 common English words), the words of
    ``rules/data/technical-words.txt`` and nothing else: it is a "certainly a word" test,
    not a spell checker.
    """

    source = "codespell"

    def __init__(self, files: Iterable[str], technical: Iterable[str] = ()) -> None:
        self.files = list(files)
        self.technical = frozenset(fold(t) for t in technical)
        self._table: dict[str, str] | None = None
        self._known: frozenset[str] | None = None

    @property
    def table(self) -> dict[str, str]:
        if self._table is None:
            table: dict[str, str] = {}
            for path in self.files:
                try:
                    with open(path, encoding="utf-8") as fh:
                        for line in fh:
                            key, sep, data = line.partition("->")
                            if sep:
                                table[key.lower()] = data.strip()
                except OSError:
                    continue
            for t in self.technical:
                table.pop(t, None)
            self._table = table
        return self._table

    def lookup(self, folded: str) -> tuple[tuple[str, ...], bool] | None:
        """(corrections, fixable) of a misspelt folded word, or None."""
        data = self.table.get(folded)
        if data is None:
            return None
        comma = data.rfind(",")
        if comma < 0:
            return (data,), True
        if comma == len(data) - 1:
            data = data[:comma]
        else:
            data = data[:comma]  # the rest is the reason
        return tuple(c.strip() for c in data.split(",") if c.strip()), False

    def single(self, folded: str) -> str | None:
        """The one correction of a misspelt word (folded), or None."""
        found = self.lookup(folded)
        return fold(found[0][0]) if found and found[1] and " " not in found[0][0] else None

    @property
    def known(self) -> frozenset[str]:
        if self._known is None:
            values = "\n".join(self.table.values()).lower()
            self._known = frozenset(re.findall(r"[a-z][a-z0-9']*", values)) | self.technical
        return self._known

    def is_word(self, folded: str) -> bool:
        return folded in self.known and folded not in self.table


@lru_cache(maxsize=1)
def english() -> English | None:
    """The English dictionary (codespell's), or None when codespell is not installed."""
    files = english_files()
    if not files:
        return None
    return English(files, _technical_words())


def _technical_words() -> list[str]:
    try:
        with open(data_path("technical-words.txt"), encoding="utf-8") as fh:
            return [w.strip() for w in fh if w.strip() and not w.startswith("#")]
    except OSError:
        return []


def fix_case(written: str, correction: str) -> str:
    """``correction`` in the case of ``written`` (codespell's rule; a correction with capitals
    of its own, a name like ``Kubernetes``, keeps them unless the word is all capitals)."""
    if written.isupper() and len(written) > 1:
        return correction.upper()
    if correction != correction.lower():
        return correction
    if written[:1].isupper():
        return correction[:1].upper() + correction[1:]
    return correction


def triple_letter(folded: str, is_known: Any) -> str | None:
    """``esssay`` → ``essay``: one letter written three times inside a word (no English
    word has that); the doubled or single form that ``is_known``, else None."""
    if len(folded) < 5 or not _ASCII_WORD.match(folded):
        return None
    runs = list(_TRIPLE.finditer(folded))
    if len(runs) != 1:
        return None
    m = runs[0]
    a, b, c = m.start(), m.end(), m.group(1)
    if a == 0 or b >= len(folded) or folded[b] == c:
        return None  # at an end (brrr, ahhh, www) or four or more (emphasis)
    for candidate in (folded[:a] + c * 2 + folded[b:], folded[:a] + c + folded[b:]):
        if is_known(candidate):
            return candidate
    return None


def compound(folded: str, eng: English, is_known: Any) -> str | None:
    """``numericalcomputaion`` → ``numericalcomputation``: a term written as one word whose
    one part is a known word and the other a misspelling with a single correction."""
    if len(folded) < 9 or not _ASCII_WORD.match(folded):
        return None
    for i in range(3, len(folded) - 3):
        left, right = folded[:i], folded[i:]
        # The misspelt part has six letters or more and its slip is away from the joint:
        # else a letter moved across it (signals+ervice, observ+ability) fits too.
        if len(right) >= 6 and is_known(left):
            fixed = eng.single(right)
            if fixed and fixed.isalpha() and common_ends(right, fixed)[0] >= 2:
                return left + fixed
        if len(left) >= 6 and is_known(right):
            fixed = eng.single(left)
            if fixed and fixed.isalpha() and common_ends(left, fixed)[1] >= 2:
                return fixed + right
    return None


@dataclass
class Spelling:
    """A misspelt word: what to write instead and which dictionary says so."""

    written: str
    corrections: tuple[str, ...]  # written the way the word is (case)
    fixable: bool
    source: str  # "codespell", "letters" (a letter tripled), "compound", or a prh file's label
    how: str = ""  # a short reason for the message


ENGLISH_MIN = 4  # shorter words are not looked up (rin, COO, LoD, add-ons: names and parts)
CAMEL = re.compile(r"[a-z][A-Z]")
APOSTROPHES = "'\u2019"


_CJK_ADJACENT = re.compile(f"[{_KANJI}{_KATAKANA}\u3040-\u309f\u3000-\u303f\uff01-\uff20\uff3b-\uff40\uff5b-\uff65]")


def cjk_adjacent(ch: str) -> bool:
    """Whether a character next to a Latin word is Japanese or Chinese text: kana, kanji,
    CJK or full-width punctuation (``Kubernetsクラスタ``, ``（Kubernets）``)."""
    return bool(_CJK_ADJACENT.match(ch))


def contraction(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a word with an apostrophe (couldn't, O'Reilly)."""
    if end + 1 < len(text) and text[end] in APOSTROPHES and text[end + 1].isalpha():
        return True
    return start >= 2 and text[start - 1] in APOSTROPHES and text[start - 2].isalpha()


def speller_check(written: str, eng: English | None, is_known: Any, *, terms: bool = False,
                  site_word: Any = None) -> Spelling | None:
    """What the English dictionary (and the tripled-letter and compound checks) say of one
    word as written. ``is_known(folded)``: a word of the site or of English;
    ``site_word(folded)``: a word the site uses on several pages (never a compound slip)."""
    if eng is None:
        return None
    folded = fold(written)
    if not folded.isascii() or len(folded) < ENGLISH_MIN or CAMEL.search(written):
        return None  # short words and identifiers (doubleClick, SemVer) are no prose words
    found = eng.lookup(folded)
    if found is not None:
        corrections, fixable = found
        if not corrections:
            return None
        return Spelling(written, tuple(fix_case(written, c) for c in corrections), fixable, "codespell")
    if eng.is_word(folded) or len(folded) < 5:
        return None
    fixed = triple_letter(folded, is_known)
    how = "a letter written three times"
    if fixed is None and terms:
        # a term is a name, never an interjection: the doubled letter without confirmation
        m = _TRIPLE.search(folded)
        if m and _ASCII_WORD.match(folded) and len(_TRIPLE.findall(folded)) == 1 and 0 < m.start() \
                and m.end() < len(folded) and folded[m.end()] != m.group(1):
            fixed = folded[: m.start()] + m.group(1) * 2 + folded[m.end() :]
    if fixed is not None:
        return Spelling(written, (match_case(written, folded, fixed),), True, "letters", how)
    fixed = None if site_word is not None and site_word(folded) else compound(folded, eng, is_known)
    if fixed is not None:
        return Spelling(written, (match_case(written, folded, fixed),), True, "compound",
                        "a misspelt word inside it")
    return None


class SiteWords:
    """The site's word evidence, built once per run from the word facts and shared by the
    word rules: page counts of words (prose, labels, title), of terms (every taxonomy key,
    folded with :func:`fold_term`) and of label bigrams; and the positions BT401 reported,
    so that BT402 and BT403 say nothing more at the same place."""

    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages
        self.counts: dict[str, int] = word_counts(pages)
        self._terms: dict[str, int] | None = None
        self._bigrams: dict[str, int] | None = None
        self._forms: dict[str, str] | None = None
        self.claims: dict[tuple[str, int], str] = {}  # (path, start offset) -> message part
        self.claimed_terms: set[tuple[str, int, int]] = set()  # (path, line, column) of terms

    @property
    def terms(self) -> dict[str, int]:
        if self._terms is None:
            from collections import Counter

            c: Counter[str] = Counter()
            for p in self.pages:
                c.update({fold_term(v) for _, v, _ in term_values(p) if v.strip()})
            self._terms = dict(c)
        return self._terms

    @property
    def bigrams(self) -> dict[str, int]:
        """Pages using each pair of adjacent label words, keyed ``first_second``."""
        if self._bigrams is None:
            self._bigrams = word_counts(self.pages, "bg")
        return self._bigrams

    def term_form(self, folded_term: str) -> str | None:
        """The site's most used spelling of a term (folded with fold_term), or None."""
        if self._forms is None:
            from collections import Counter

            forms: dict[str, Counter[str]] = defaultdict(Counter)
            for p in self.pages:
                for w in {v.strip() for _, v, _ in term_values(p) if v.strip()}:
                    forms[fold_term(w)][w] += 1
            self._forms = {f: min(c.items(), key=lambda kv: _preference(kv[0], kv[1]))[0] for f, c in forms.items()}
        return self._forms.get(folded_term)

    def evidence(self, folded_term: str) -> int:
        """Pages using a term (folded with fold_term) anywhere: as a term of any taxonomy or
        as a word of the prose, headings, link texts and titles (the larger count)."""
        return max(self.terms.get(folded_term, 0), self.counts.get(folded_term, 0))

    def site_word(self, folded: str) -> bool:
        """A word of the site's own prose: on two pages or more (a term does not count: a
        misspelt category is copied from post to post)."""
        return self.counts.get(folded, 0) >= 2

    def is_known(self, folded: str) -> bool:
        """A word the site uses (on any page, as a word or a term) or English knows."""
        if self.counts.get(folded) or self.terms.get(folded):
            return True
        eng = english()
        return eng is not None and eng.is_word(folded)


_SITE_WORDS: list[Any] = [None, None, 0]


def site_words(site: Any) -> SiteWords:
    """The :class:`SiteWords` of this run's pages, built once and shared by the word rules
    (a run sets ``site.pages`` to a new list: the list and its length identify the run)."""
    pages = site.pages
    if _SITE_WORDS[0] is not pages or _SITE_WORDS[2] != len(pages):
        _SITE_WORDS[:] = [pages, SiteWords([p for p in pages if facts_of(p)]), len(pages)]
    return _SITE_WORDS[1]


def dictionary_misspelt(rules: Iterable[DictRule] = (), use_english: bool = True) -> Any:
    """``misspelt(folded_term) -> set of folded corrections``: what the English dictionary
    (with the tripled-letter and compound checks) and the prh ``rules`` know of a term."""
    eng = english() if use_english else None
    rules = list(rules)
    memo: dict[str, frozenset[str]] = {}

    def is_known(f: str) -> bool:
        return eng is not None and eng.is_word(f)

    def misspelt(folded: str) -> frozenset[str]:
        if folded in memo:
            return memo[folded]
        out: set[str] = set()
        if folded.isascii():
            found = speller_check(folded, eng, is_known, terms=True) if _ASCII_WORD.match(folded) else None
            if found is not None:
                out |= {fold_term(c) for c in found.corrections}
        for rule in rules:
            if rule.may_match(folded):
                new = apply_rule(rule, folded)
                if new != folded:
                    out.add(fold_term(new))
        memo[folded] = frozenset(out)
        return memo[folded]

    return misspelt


def builtin_rules(extra: Iterable[str] = (), builtin: bool = True) -> list[DictRule]:
    """The prh rules of the starter dictionary and of ``extra`` files (unreadable ones skipped)."""
    out: list[DictRule] = []
    for path in ([builtin_path()] if builtin else []) + list(extra):
        try:
            out.extend(dictionary(path))
        except DictionaryError:
            continue
    return out


def is_english_word(folded: str) -> bool:
    eng = english()
    return eng is not None and eng.is_word(folded)
