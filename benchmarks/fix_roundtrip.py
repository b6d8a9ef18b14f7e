"""Fix a real Hugo blog and let the real Hugo judge: does it still build, and what changed?

    BLOGTOOLS_CORPORA=DIR python benchmarks/fix_roundtrip.py NAME [--unsafe] [--json OUT]

Copies ``$BLOGTOOLS_CORPORA/NAME`` to a temporary folder, builds it with the bundled Hugo as
the accuracy harness does (bare page layouts, stand-ins for a missing theme: see
``accuracy.hugo_build``), runs ``blogtools lint --fix`` (with ``--unsafe`` also
``--unsafe-fixes``) on the copy, builds it again and compares the two outputs: every page
(HTML file) must still be there, and every word of each page's visible text must still be
on it (words are compared as multisets: a fix that moves a word loses nothing). Words that
disappear are listed per page with the fixes blogtools reported for that page, so each loss
can be read. Nothing is written into the corpus.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import accuracy  # noqa: E402 (benchmarks/ is not a package)

WORD = re.compile(r"\w+", re.UNICODE)
REDIRECT = re.compile(r'<meta http-equiv="?refresh', re.I)


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.words.extend(WORD.findall(data))


def pages(out: str) -> dict[str, collections.Counter | None]:
    """The visible words of each HTML page of ``out``; None for a redirect page."""
    found = {}
    for folder, _, names in os.walk(out):
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                parser = _Visible()
                with open(path, encoding="utf-8", errors="replace") as fh:
                    html = fh.read()
                # an alias is a redirect page: it must stay, its words are its target's URL
                if REDIRECT.search(html[:2000]):
                    found[os.path.relpath(path, out)] = None
                    continue
                parser.feed(html)
                found[os.path.relpath(path, out)] = collections.Counter(parser.words)
    return found


def _texts(root: str) -> dict[str, bytes]:
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith((".md", ".markdown", ".html", ".toml", ".yaml", ".yml")):
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    out[os.path.relpath(path, root)] = fh.read()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("name")
    ap.add_argument("--unsafe", action="store_true", help="also apply unsafe fixes")
    ap.add_argument("--json", help="write the result here")
    ap.add_argument("--keep", help="work in this folder (kept) instead of a temporary one")
    args = ap.parse_args(argv)
    corpora = os.environ.get("BLOGTOOLS_CORPORA")
    if not corpora:
        ap.error("set BLOGTOOLS_CORPORA to the folder holding the corpora")
    work = args.keep or tempfile.mkdtemp(prefix="blogtools-fix-")
    site = os.path.join(work, "site")
    accuracy.copy_site(os.path.join(corpora, args.name), site)
    before = accuracy.hugo_build(site, os.path.join(work, "before"), "bare", 900)
    if not before.ok:
        print(f"{args.name}: the site does not build before fixing: {before.errors[:3]}", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "blogtools", "lint", "--fix", "--no-cache", "--exit-zero", "--output-format", "json"]
    cmd += ["--unsafe-fixes"] if args.unsafe else []
    diff = subprocess.run([c for c in cmd if c not in ("--fix", "--output-format", "json")] + ["--diff", site],
                          capture_output=True, text=True, cwd=accuracy.REPO)
    edited = {w for line in diff.stdout.splitlines() if line.startswith("-") and not line.startswith("---")
              for w in WORD.findall(line)}
    sources = _texts(site)
    fixed = subprocess.run(cmd + [site], capture_output=True, text=True, cwd=accuracy.REPO)
    changed = [p for p, text in _texts(site).items() if sources.get(p) != text]
    after = accuracy.hugo_build(site, os.path.join(work, "after"), "bare", 900)
    old, new = pages(before.out), pages(after.out)
    # A second build of the unfixed copy would not be identical either (Hugo orders pages of
    # equal weight and date as it likes): words that differ between two builds of the same
    # text are noise, not losses. The copy is rebuilt from the corpus for that.
    again_site = os.path.join(work, "again-site")
    accuracy.copy_site(os.path.join(corpora, args.name), again_site)
    again = pages(accuracy.hugo_build(again_site, os.path.join(work, "again"), "bare", 900).out)
    lost_pages = sorted(set(old) - set(new))
    lost_words: dict[str, dict[str, int]] = {}
    noise = 0
    declared: collections.Counter = collections.Counter()
    redirected = sorted(p for p, words in old.items() if words is not None and p in new and new[p] is None)
    for page, words in old.items():
        if page in new and words is not None and new[page] is not None:
            gone = words - new[page]
            unstable = words - (again.get(page) or collections.Counter())
            noise += sum((gone & unstable).values())
            gone -= unstable
            for word in [w for w in gone if w in edited]:  # text a fix replaced, as its diff says
                declared[word] += gone.pop(word)
            if gone:
                lost_words[page] = dict(gone)
    refused = [line for line in fixed.stderr.splitlines() if "not applied" in line]
    result = {
        "corpus": args.name, "unsafe": args.unsafe, "built_before": before.ok, "built_after": after.ok,
        "after_errors": after.errors[:5], "pages": len(old), "pages_lost": lost_pages,
        "files_changed": len(changed), "findings_after_fix": len(json.loads(fixed.stdout or "[]")),
        "pages_now_redirects": redirected,
        "words": sum(sum(c.values()) for c in old.values() if c is not None),
        "words_lost": sum(sum(c.values()) for c in lost_words.values()), "lost_by_page": lost_words,
        "fixes_refused": refused, "unstable_words_ignored": noise, "words_replaced_by_fixes": dict(declared),
    }
    print(f"{args.name}{' (unsafe)' if args.unsafe else ''}: builds before {before.ok}, after {after.ok}; "
          f"{result['files_changed']} files fixed; pages {len(old)} -> {len(new)} (lost {len(lost_pages)}, "
          f"now redirects {len(redirected)}); "
          f"words replaced by a fix's edit {sum(declared.values())}; "
          f"other words lost {result['words_lost']} of {result['words']} ({noise} unstable between two builds of the same text "
          f"ignored); fixes refused by verification {len(refused)}")
    for page, words in sorted(lost_words.items())[:20]:
        print(f"  {page}: {dict(list(words.items())[:12])}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False, indent=1)
    return 0 if after.ok and not lost_pages else 1


if __name__ == "__main__":
    raise SystemExit(main())
