"""Pathological bodies lint in linear time: nested and unclosed brackets, long runs of
delimiters, deep containers, and a post of 100,000 footnotes.

Each input is made here at about 100 KB (the footnote post at the issue's size) and linted
with ``blogtools.api.lint_text`` and the default rules. For each: (a) the 100 KB post takes
well under a generous bound of CPU time (``time.process_time``; CI machines are slow and
noisy), (b) four times the input takes less than eight times as long (the minimum of three
runs at each size: linear time gives about four, quadratic sixteen), (c) the result is sane
(no rule failed inside, and what CommonMark and Goldmark make of the input: a link cannot
contain a link, an unclosed bracket is text, every footnote reference finds its note).

Before the linear rewrite most of these took minutes. A regression must fail, not hang the
suite: each in-process test stops itself after ``DEADLINE`` seconds, and the worst cases
also run through the real ``blogtools lint`` in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest

from blogtools import api
from blogtools.document import Document
from tests.conftest import best_cpu_time, run_cli

FRONT = "---\ntitle: 長い投稿\ndate: 2024-01-01T00:00:00+09:00\n---\n\n"
SIZE = 100_000  # characters of body per input
BOUND = 2.0  # CPU seconds allowed for a 100 KB post
GROWTH = 8.0  # the time at 4x the size, over the time at 1x, stays under this
SLACK = 0.02  # seconds of timer noise allowed on top of GROWTH x (for inputs that take ~nothing)
DEADLINE = 30  # wall seconds after which an in-process test gives up (a regression: minutes)


def _repeat(unit: str, n: int, tail: str = "\n") -> str:
    return unit * max(1, n // len(unit)) + tail


def _nested_lists(n: int) -> str:
    out, size, i = [], 0, 0
    while size < n:
        line = "  " * i + "- 項目\n"
        out.append(line)
        size += len(line)
        i += 1
    return "".join(out)


def _nested_quote_lines(n: int) -> str:
    out, size, i = [], 0, 1
    while size < n:
        line = ">" * i + " 引用\n"
        out.append(line)
        size += len(line)
        i += 1
    return "".join(out)


def _backtick_runs(n: int) -> str:
    """Runs of 1, 2, 3... backticks, none of them closed (each opener searched ahead)."""
    out, size, k = [], 0, 1
    while size < n:
        out.append("`" * k + "a")
        size += k + 1
        k += 1
    return "".join(out) + "\n"


def _ref_definitions(n: int) -> str:
    """References, then as many definitions, each a block of its own."""
    k = n // 22
    refs = " ".join(f"[r{i}]" for i in range(k))
    return refs + "\n\n" + "".join(f"[r{i}]: /u{i}\n\n" for i in range(k))


def _footnotes(count: int) -> str:
    refs = "".join(f"本文[^{i}]\n" for i in range(count))
    notes = "".join(f"[^{i}]: 注 {i}\n" for i in range(count))
    return refs + "\n" + notes


# name -> body of about n characters
INPUTS: dict[str, Callable[[int], str]] = {
    "nested-brackets": lambda n: "[" * (n // 2) + "]" * (n // 2) + "\n",
    "nested-links": lambda n: "[" * (n // 5) + "a" + "](u)" * (n // 5) + "\n",
    "nested-images": lambda n: "![" * (n // 6) + "a" + "](i)" * (n // 6) + "\n",
    "open-brackets": lambda n: _repeat("[", n),
    "close-brackets": lambda n: _repeat("]", n),
    "open-images": lambda n: _repeat("![", n),
    "open-parens": lambda n: _repeat("(", n),
    "unclosed-links": lambda n: _repeat("[a](b ", n),
    "unclosed-destinations": lambda n: _repeat("[a](", n),
    "unclosed-titles": lambda n: _repeat("[a](b (", n),
    "unclosed-pointy": lambda n: _repeat("[a](<", n),
    "links-in-open-brackets": lambda n: _repeat("[a [b](u) ", n),
    "backticks": lambda n: _repeat("`", n),
    "backtick-runs": _backtick_runs,
    "angles": lambda n: _repeat("<", n),
    "unclosed-tags": lambda n: _repeat('<a b="', n),
    "unclosed-comments": lambda n: "本文 " + _repeat("<!--", n),
    "html-block-comments": lambda n: "<div>\n" + _repeat("<!--", n),
    "stars": lambda n: _repeat("*", n, "a\n"),
    "underscores": lambda n: _repeat("_", n, "a\n"),
    "nested-emphasis": lambda n: "*a " * (n // 6) + "b" + " a*" * (n // 6) + "\n",
    "nested-strong": lambda n: "__a " * (n // 8) + "b" + " a__" * (n // 8) + "\n",
    "nested-lists": _nested_lists,
    "list-markers-on-one-line": lambda n: _repeat("- ", n, "a\n"),
    "nested-quotes": lambda n: _repeat(">", n, " a\n"),
    "nested-quote-lines": _nested_quote_lines,
    "nested-footnote-definitions": lambda n: _repeat("[^a]: ", n, "x\n"),
    "reference-definitions": _ref_definitions,
    "bare-url-parens": lambda n: "see http://example.com/" + ")" * n + "\n",
    "unclosed-shortcodes": lambda n: "本文\n" + _repeat("{{< a ", n),
    "unclosed-liquid": lambda n: "本文\n" + _repeat("{% a ", n),
}


class _TooSlow(BaseException):
    """Raised by the deadline (a BaseException: a rule's ``except Exception`` lets it through)."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: object) -> None:
        raise _TooSlow(f"still running after {seconds} s: a regression to super-linear time?")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TooSlow as exc:
        pytest.fail(str(exc))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _lint_time(text: str, runs: int = 3) -> float:
    return best_cpu_time(lambda: api.lint_text(text, "post.md"), runs)


def _assert_sane(text: str) -> Document:
    found = api.lint_text(text, "post.md")
    failed = [str(d) for d in found if "internal error" in d.message]
    assert not failed, failed[:3]
    doc = Document.from_text("post.md", text)
    body_length = len(text) - doc.body_start
    for node in doc.body.nodes:
        assert doc.body_start <= node.start <= node.end <= len(text), node
        if node.kind == "link":
            assert len(node.text) < body_length // 2, f"a link whose text spans the post: {node.text[:40]!r}..."
    return doc


def _kinds(doc: Document, *kinds: str) -> list:
    return list(doc.nodes(*kinds))


@pytest.mark.parametrize("name", list(INPUTS))
def test_a_pathological_body_lints_in_linear_time(name: str) -> None:
    make = INPUTS[name]
    small, large = FRONT + make(SIZE // 4), FRONT + make(SIZE)
    with _deadline(DEADLINE):
        api.lint_text(FRONT + make(1000), "post.md")  # (imports and caches, outside the timing)
        t1, t4 = _lint_time(small), _lint_time(large)
        assert t4 < BOUND * len(large) / SIZE, f"{name}: {t4:.2f} s for {len(large):,} characters"
        assert t4 < GROWTH * t1 + SLACK, f"{name}: {t1:.3f} s, then {t4:.3f} s for 4x the input"
        doc = _assert_sane(large)
        _CHECKS.get(name, lambda doc: None)(doc)


def _no_links(doc: Document) -> None:
    assert not _kinds(doc, "link", "image"), _kinds(doc, "link", "image")[:3]


def _innermost_link_only(doc: Document) -> None:
    links = _kinds(doc, "link")
    assert [(n.text, n.url) for n in links] == [("a", "u")]  # CommonMark: a link cannot contain a link


def _outermost_image_only(doc: Document) -> None:
    images = _kinds(doc, "image")  # (images may hold images: only the outermost is a node)
    assert len(images) == 1 and images[0].url == "i" and images[0].start == doc.text.index("![")


def _every_inner_link(doc: Document) -> None:
    links = _kinds(doc, "link")
    assert links and {(n.text, n.url) for n in links} == {("b", "u")}
    assert not _kinds(doc, "autolink")


def _no_nodes(*kinds: str) -> Callable[[Document], None]:
    def check(doc: Document) -> None:
        assert not _kinds(doc, *kinds), _kinds(doc, *kinds)[:3]

    return check


def _text_kept(word: str) -> Callable[[Document], None]:
    def check(doc: Document) -> None:
        assert any(word in leaf.text for leaf in doc.body.leaves)  # degraded to text, not lost

    return check


def _references_resolve(doc: Document) -> None:
    links = _kinds(doc, "link")
    assert links and all(n.url == "/u" + n.text[1:] for n in links), links[:3]
    assert len(links) == len(_kinds(doc, "ref_def"))


def _footnote_definitions_side_by_side(doc: Document) -> None:
    # Goldmark (Hugo 0.168) and pulldown-cmark read "[^a]: [^a]: ... x" as one definition per
    # "[^a]:", each ended by the next (the first, empty, is the one a reference shows), none
    # inside another: no recursion, nothing left as a reference.
    defs = _kinds(doc, "footnote_def")
    assert len(defs) == doc.text.count("[^a]:"), len(defs)
    assert all(d.container == "" and d.text == "a" for d in defs)
    assert not _kinds(doc, "footnote_ref")


def _one_trimmed_autolink(doc: Document) -> None:
    assert [n.url for n in _kinds(doc, "autolink")] == ["http://example.com/"]


_CHECKS: dict[str, Callable[[Document], None]] = {
    "nested-brackets": _no_links,
    "nested-links": _innermost_link_only,
    "nested-images": _outermost_image_only,
    "open-brackets": _no_links,
    "close-brackets": _no_links,
    "open-images": _no_links,
    "unclosed-links": _no_links,
    "unclosed-destinations": _no_links,
    "unclosed-titles": _no_links,
    "unclosed-pointy": _no_links,
    "links-in-open-brackets": _every_inner_link,
    "backticks": _no_nodes("code_span"),
    "backtick-runs": _no_nodes("code_span"),
    "angles": _no_nodes("html_inline", "autolink"),
    "unclosed-tags": _no_nodes("html_inline"),
    "unclosed-comments": _no_nodes("html_comment"),
    "html-block-comments": _no_nodes("html_comment"),
    "nested-emphasis": _text_kept("b"),
    "nested-strong": _text_kept("b"),
    "nested-lists": _text_kept("項目"),
    "list-markers-on-one-line": _text_kept("a"),
    "nested-quotes": _text_kept("a"),
    "nested-quote-lines": _text_kept("引用"),
    "nested-footnote-definitions": _footnote_definitions_side_by_side,
    "reference-definitions": _references_resolve,
    "bare-url-parens": _one_trimmed_autolink,
    "unclosed-shortcodes": _no_nodes("shortcode"),
    "unclosed-liquid": _no_nodes("liquid"),
}


# --------------------------------------------------------------------------- footnotes
FOOTNOTES = 100_000  # the post: about 3.3 MB


def test_a_post_of_100000_footnotes_lints_in_seconds() -> None:
    text = FRONT + _footnotes(FOOTNOTES)
    assert 3_000_000 < len(text.encode("utf-8")) < 4 * 1024 * 1024  # (under max-file-size: linted)
    with _deadline(DEADLINE * 2):
        start = time.process_time()
        found = api.lint_text(text, "post.md")
        took = time.process_time() - start
        assert took < 10, f"{took:.1f} s for {FOOTNOTES:,} footnotes"
        codes = {d.code for d in found}
        assert not codes & {"BT501", "BT502", "BT503", "BT504"}, [str(d) for d in found][:3]  # every pair resolves
        assert not [d for d in found if "internal error" in d.message]
        doc = Document.from_text("post.md", text)
        assert len(_kinds(doc, "footnote_ref")) == len(_kinds(doc, "footnote_def")) == FOOTNOTES


def test_footnotes_lint_in_linear_time() -> None:
    with _deadline(DEADLINE):
        t1 = _lint_time(FRONT + _footnotes(5_000))
        t4 = _lint_time(FRONT + _footnotes(20_000))
        assert t4 < GROWTH * t1 + SLACK, f"{t1:.3f} s for 5,000 footnotes, then {t4:.3f} s for 20,000"


# --------------------------------------------------------------------------- a real run
def test_the_worst_cases_do_not_hang_a_lint_run(tmp_path: Path) -> None:
    """The real command, in its own process with a timeout: the posts that used to take
    minutes each (nested brackets, a long line of unclosed links, unclosed shortcodes, the
    footnote post) finish together in seconds, and every rule ran."""
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    for name in ("nested-brackets", "unclosed-destinations", "html-block-comments", "unclosed-shortcodes"):
        (posts / f"{name}.md").write_text(FRONT + INPUTS[name](SIZE), encoding="utf-8")
    (posts / "footnotes.md").write_text(FRONT + _footnotes(FOOTNOTES), encoding="utf-8")
    start = time.monotonic()
    r = run_cli("lint", "--no-cache", "--output-format", "json", str(tmp_path / "content"), cwd=tmp_path,
                env={"BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}, timeout=120)
    took = time.monotonic() - start
    assert r.returncode in (0, 1), r.stderr[-2000:]
    found = json.loads(r.stdout)
    assert not [d for d in found if "internal error" in d["message"]], found[:3]
    assert {os.path.basename(d["path"]) for d in found if d["code"] in ("BT501", "BT502")} <= {"nested-brackets.md"}
    assert took < 60, f"{took:.1f} s"


if __name__ == "__main__":  # print the timings: python tests/test_pathological.py
    for name, make in INPUTS.items():
        t1, t4 = _lint_time(FRONT + make(SIZE // 4)), _lint_time(FRONT + make(SIZE))
        print(f"{name:28} {t1:7.3f} s {t4:7.3f} s  x{t4 / max(t1, 1e-9):.1f}", file=sys.stderr)
