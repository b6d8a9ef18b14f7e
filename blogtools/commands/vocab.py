"""``blogtools vocab [PATHS...]``: the site's vocabulary with counts, and its near-duplicates.

Prints the terms of every taxonomy (tags, categories, ...) with the number of pages using
each, the clusters of near-duplicate spellings (what rule BT403 reports), the most used
words and Japanese (CJK) runs, and the rare words one edit from a common one (what rule
BT402 starts from, before it looks for confirming context). ``--output-format prh`` writes
those word pairs as a prh dictionary for ``typos.dictionaries`` (review it first: a rare word
can be right); ``json`` gives everything to scripts. Facts come from the same per-file pass
and cache as ``blogtools lint``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("vocab", help="print the site's vocabulary and its near-duplicate spellings")
    p.add_argument("paths", nargs="*", help="files or folders (default: the current folder)")
    p.add_argument("--config", help="use this blogtools.toml / pyproject.toml instead of searching")
    p.add_argument("--output-format", choices=("text", "json", "prh"), default="text")
    p.add_argument("--top", type=int, default=30, help="how many words and CJK runs to list (default 30)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    p.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: all cores)")
    p.set_defaults(func=main)


def collect(args: argparse.Namespace) -> dict[str, Any]:
    """Everything the command prints, as plain data."""
    from blogtools import words
    from blogtools.lint.registry import all_rules
    from blogtools.lint.run import LintOptions, prepare
    from blogtools.lint.runner import Runner, report_skipped
    from blogtools.rulesupport.vocabulary import site_clusters, taxonomy_keys, term_values

    config, _, site, found = prepare(LintOptions.from_args(args))
    # The word rules come along so worker processes (spawned or forked) register the facts.
    helpers = [r for r in all_rules().values() if r.code in ("BT402", "BT403")]
    runner = Runner(config, helpers, site, jobs=args.jobs, use_cache=not args.no_cache)
    results = runner.lint_files(found.files)
    report_skipped(found.problems, results)
    pages = [r.facts for r in results if r.facts is not None]
    settings = config.rule_settings
    keys = taxonomy_keys(site, settings.get("vocabulary.keys", []))
    values = [term_values(p, keys, site.generator) for p in pages]
    terms = [(key, value.strip(), i) for i, vs in enumerate(values) for key, value in vs if value.strip()]
    fuzzy = words.fuzzy_available()
    sw = words.SiteWords([p for p in pages if words.facts_of(p)])
    clusters = site_clusters(values, sw, settings, fuzzy)
    counts = sw.counts
    # Pairs of two English words (become/became, context/content) are different words, not
    # slips: only context could tell, so they are not listed (nor written as prh entries).
    suspects = [s for s in words.word_suspects(counts, counts, rare_max=settings.get("words.rare-max", 2),
                                               min_length=settings.get("words.min-length", 6),
                                               ignore=settings.get("words.ignore", []),
                                               is_word=words.is_english_word) if not s.real] if fuzzy else []
    by_key: dict[str, Counter[str]] = {}
    for key, value, _ in set(terms):
        by_key.setdefault(key, Counter())[value] += 1
    from blogtools.config import option_keys

    known = option_keys()
    aliases: dict[str, dict[str, str]] = {}
    for c in clusters:
        if f"{c.key}.aliases" in known:
            for v in c.variants:
                aliases.setdefault(c.key, {})[v.written] = c.keep
    return {
        "pages": len(pages),
        "fuzzy": fuzzy,
        "terms": {k: c.most_common() for k, c in sorted(by_key.items())},
        "clusters": [{"key": c.key, "keep": c.keep, "pages": c.pages,
                      "variants": [{"term": v.written, "pages": v.pages, "differs_by": v.how} for v in c.variants]}
                     for c in clusters],
        "words": Counter(counts).most_common(args.top),
        "cjk": Counter(words.word_counts(pages, "c")).most_common(args.top),
        "suspects": [{"rare": s.rare, "rare_pages": s.rare_pages, "common": s.common,
                      "common_pages": s.common_pages} for s in suspects],
        "aliases": aliases,
    }


def _pages(n: int) -> str:
    return f"{n} page{'s' if n != 1 else ''}"


def render_text(data: dict[str, Any], out: Any) -> None:
    w = out.write
    w(f"Vocabulary of {_pages(data['pages'])}\n")
    for key, items in data["terms"].items():
        w(f"\n{key} ({len(items)} terms)\n")
        w("  " + ", ".join(f"{t} {n}" for t, n in items) + "\n")
    w("\nNear-duplicate terms (rule BT403)\n")
    if not data["clusters"]:
        w("  none\n")
    for c in data["clusters"]:
        variants = ", ".join(f"{v['term']!r} ({_pages(v['pages'])}, {v['differs_by']})" for v in c["variants"])
        w(f"  {c['key']}: {c['keep']!r} ({_pages(c['pages'])}) <- {variants}\n")
    w(f"\nWords, by pages using them (top {len(data['words'])})\n")
    w("  " + ", ".join(f"{t} {n}" for t, n in data["words"]) + "\n")
    w(f"\nJapanese runs in titles, headings and link texts, by pages using them (top {len(data['cjk'])})\n")
    w("  " + ", ".join(f"{t} {n}" for t, n in data["cjk"]) + "\n")
    w("\nRare words one edit from a common one (rule BT402 reports those in link text and headings "
      "when the context agrees)\n")
    if not data["fuzzy"]:
        w("  (skipped: install rapidfuzz, pip install 'blogtools[words]')\n")
    elif not data["suspects"]:
        w("  none\n")
    for s in data["suspects"]:
        w(f"  {s['rare']} ({_pages(s['rare_pages'])}) -> {s['common']} ({_pages(s['common_pages'])})\n")
    if data["aliases"]:
        w("\nTo settle on the usual spellings, add to blogtools.toml (then `blogtools lint --fix` rewrites them):\n")
        for key, table in data["aliases"].items():
            w(f"  [{key}.aliases]\n")
            for variant, keep in table.items():
                w(f"  {json.dumps(variant, ensure_ascii=False)} = {json.dumps(keep, ensure_ascii=False)}\n")
    if data["clusters"] or data["suspects"]:
        w("\nTo keep a spelling that is not a mistake, add it to blogtools.toml:\n")
        if data["clusters"]:
            ignore = sorted({v["term"] for c in data["clusters"] for v in c["variants"]})
            w(f"  [vocabulary]\n  ignore = {json.dumps(ignore, ensure_ascii=False)}\n")
        if data["suspects"]:
            ignore = sorted({s["rare"] for s in data["suspects"]})
            w(f"  [words]\n  ignore = {json.dumps(ignore, ensure_ascii=False)}\n")
        w("To fix the rest everywhere, turn them into a dictionary: blogtools vocab --output-format prh\n")


def render_prh(data: dict[str, Any], out: Any) -> None:
    """The word pairs and misspelt terms as a prh dictionary (for typos.dictionaries)."""
    out.write("# Generated by `blogtools vocab --output-format prh`: review every entry before use.\n")
    out.write("version: 1\nrules:\n")
    pairs = [(s["common"], s["rare"]) for s in data["suspects"]]
    pairs += [(c["keep"], v["term"]) for c in data["clusters"] for v in c["variants"] if v["differs_by"] == "spelling"]
    for expected, wrong in sorted(set(pairs)):
        if wrong.isascii() and expected[:1].lower() == wrong[:1].lower() and wrong[:1].isalpha():
            # keep the case of the first letter: ([Ll])earing -> $1earning
            first = wrong[0]
            pattern = f"/(?<![A-Za-z0-9])([{first.upper()}{first.lower()}]){_js_escape(wrong[1:])}(?![A-Za-z0-9])/"
            expected = "$1" + expected[1:]
        elif wrong.isascii():
            pattern = f"/(?<![A-Za-z0-9]){_js_escape(wrong)}(?![A-Za-z0-9])/i"
        else:
            pattern = wrong
        out.write(f"  - expected: {json.dumps(expected, ensure_ascii=False)}\n")
        out.write(f"    pattern: {json.dumps(pattern, ensure_ascii=False)}\n")


def _js_escape(text: str) -> str:
    import re

    return re.sub(r"([\\^$.|?*+()\[\]{}/])", r"\\\1", text)


def main(args: argparse.Namespace) -> int:
    data = collect(args)
    if args.output_format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.output_format == "prh":
        render_prh(data, sys.stdout)
    else:
        render_text(data, sys.stdout)
    return 0
