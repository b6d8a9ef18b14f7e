"""BT205: a link URL that is broken by its shape: ``(/https://...)``, spaces, brackets."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, Iterator

from blogtools import kramdown_body
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule

_SLASH_SCHEME = re.compile(r"^/+(https?://)", re.I)
_BAD_SCHEME = re.compile(r"^(?:(h?t?tps?|https?)(:/(?!/)|//|:(?!//))|(htp|htps|hhtps?|https?s)://)", re.I)
_SPACE = re.compile(r"[ \t\u3000]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})[0-9A-Za-z]{0,2}")


class LinkUrlMalformed(Rule):
    """Link URL malformed by a typo: a leading ``/`` before ``https://``, a broken scheme,
    spaces, backslashes, unbalanced brackets or parentheses.

    What it does
        Checks the destination of every link and image: ``/https://...`` (a slash typed
        before a full URL makes it a path on the site itself), ``https:/x`` or
        ``htps://x`` (a broken scheme), ``\\`` as a path separator, an empty ``()``.
        It also finds link syntax that Markdown does not read as a link at all: a
        destination with spaces (``[a](my page.md)``), a ``](`` whose ``)`` is missing, or
        a stray bracket (``[text]](url)``); those render as literal text. (On a Jekyll site
        kramdown does make a link of a destination with spaces, href and all: BT202 then
        says whether it lands, and this rule says nothing of it.) On a Hugo site
        whose link or image render hook parses destinations with ``urls.Parse`` (Hugo's
        embedded hook with ``useEmbedded = "always"``, or on a multilingual site; a
        project or theme ``_markup/render-link.html`` that calls it), a ``%`` not followed
        by two hex digits is an error: the whole build stops ("invalid URL escape").

    Why it matters
        Each of these renders as a 404 or as visible brackets and parentheses in the post.
        They come from copy and paste, and from editors that insert a ``/`` when a link is
        "made relative".

    Example
        ::

            [資料](/https://speakerdeck.com/example/slides)
            [写真](images\\photo.png)
            [議事録](meeting notes.md)

    Use instead
        ::

            [資料](https://speakerdeck.com/example/slides)
            [写真](images/photo.png)
            [議事録](meeting%20notes.md)

    Fix safety
        Unsafe: the fix changes where the link goes (removes the leading ``/``, repairs the
        scheme, turns ``\\`` into ``/``, encodes spaces as ``%20``, a stray ``%`` as ``%25``), which is what the
        author almost surely meant but cannot be proven. Stray brackets and unclosed
        links are reported without a fix.
    """

    code = "BT205"
    name = "link-url-malformed"
    summary = "Malformed link URL: /https://, broken scheme, spaces, backslashes, unbalanced brackets"
    severity = "error"
    fixable = "sometimes"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        covered: list[tuple[int, int]] = []
        written = 0  # links written as Markdown, each with its "](" (not Hatena's [url:title] notation)
        for node in kramdown_body.nodes(doc, "link", "image"):  # (on Jekyll, as kramdown reads the body)
            if node.url_start < 0:
                continue
            covered.append((node.start, node.end))
            written += not (node.attrs or {}).get("hatena")
            url = node.url
            if "%" in url and _BAD_ESCAPE.search(url):
                yield from self._escape(doc, site, node)
            if url.startswith(("https://", "http://")) and "\\" not in url:
                continue  # the usual URL: none of _url's checks can fire (saves a generator per link)
            yield from self._url(doc, url, node.url_start, node.url_end)
        if doc.text.count("](", doc.body_start) <= written:
            return  # every "](" opens a destination Markdown read (the usual case)
        kd = kramdown_body.view(doc)  # (a Jekyll post: no Markdown in {::comment}, {::nomarkdown}, $$math$$)
        skip = sorted(covered + [(n.start, n.end) for n in doc.nodes("code_span", "autolink", "html_inline",
                                                                        "shortcode", "liquid")]
                      + (kd.hidden if kd is not None else []))
        for leaf in doc.body.leaves:
            yield from self._syntax(doc, leaf, skip, site)

    def _escape(self, doc: Document, site: Any, node: Any) -> Iterator[Diagnostic]:
        """A ``%`` not followed by two hex digits, where a render hook parses the URL."""
        profile = getattr(site, "profile", None)
        hook = profile.parsing_hook(node.kind) if getattr(profile, "name", "") == "hugo" else ""
        if not hook:
            return  # (Goldmark itself writes the % as %25: a link elsewhere, which BT202 judges)
        raw = doc.text[node.url_start:node.url_end]
        m = _BAD_ESCAPE.search(raw)
        at = node.url_start + m.start() if m and raw == node.url else node.url_start
        end = at + (len(m.group(0)) if m and raw == node.url else node.url_end - node.url_start)
        fix = None
        if raw == node.url:
            fixed = _BAD_ESCAPE.sub(lambda x: "%25" + x.group(0)[1:], raw)
            fix = Fix((Edit(node.url_start, node.url_end, fixed),), safe=False, description=f"write {fixed}")
        yield self.diagnostic(doc, at, end, f"invalid URL escape in {node.url!r}: {hook} parses it with urls.Parse, "
                              "which stops the build (\"invalid URL escape\")", fix, severity="error")

    def _url(self, doc: Document, url: str, a: int, b: int) -> Iterator[Diagnostic]:
        if url[:1] not in "/hH" and "\\" not in url and ":" not in url[:8]:
            return
        raw = doc.text[a:b]
        if url != raw:
            return  # reference definitions and <...> destinations: positions would not match
        m = _SLASH_SCHEME.match(url)
        if m:
            yield self.diagnostic(doc, a, a + m.end(), f"{url!r} starts with '/' before {m.group(1)!r}: "
                                  "the link points into this site, not at the other one",
                                  Fix((Edit(a, a + m.start(1), ""),), safe=False, description="remove the leading '/'"))
            return
        m = _BAD_SCHEME.match(url)
        if m and not url.lower().startswith(("http://", "https://")):
            good = "https://" if "s" in m.group(0).lower() else "http://"
            yield self.diagnostic(doc, a, a + m.end(), f"broken scheme {m.group(0)!r} in {url!r}: browsers read it "
                                  "as a relative path", Fix((Edit(a, a + m.end(), good),), safe=False,
                                                            description=f"use {good}"))
            return
        if "\\" in url and not re.match(r"^[a-z]+:", url, re.I):
            k = url.index("\\")
            yield self.diagnostic(doc, a + k, a + k + 1, f"backslash in {url!r}: URLs separate folders with '/'",
                                  Fix((Edit(a, b, url.replace("\\", "/")),), safe=False, description="use '/'"))

    def _syntax(self, doc: Document, leaf: Any, skip: list[tuple[int, int]], site: Any = None) -> Iterator[Diagnostic]:
        s = leaf.text
        found = [m for m in re.finditer(r"\]\(", s) if not _inside(skip, leaf.to_abs(m.start()))]
        if not found:
            return
        where = _Brackets(s)
        line_end = -1
        for k, m in enumerate(found):
            at = leaf.to_abs(m.start())
            if line_end < m.end():  # (once per line, not per "](": a long line has thousands)
                line_end = s.find("\n", m.end())
                line_end = len(s) if line_end < 0 else line_end
            close = where.balanced_close(m.end(), line_end)
            open_ = where.last_open_before(m.start())
            if close < 0:
                yield self.diagnostic(doc, at, leaf.to_abs(line_end),
                                      "link not closed: ')' is missing, Markdown shows the brackets as text")
                continue
            if k + 1 < len(found) and found[k + 1].start() < close:
                # Another "](" inside this destination: the finding is that one's (each
                # destination is then looked at once, and a line of nested ones stays linear).
                continue
            if open_ >= 0 and _inside(skip, leaf.to_abs(open_)):
                # the last "[" is inside code ("`a [b` c](d e)"): no link was written here, the
                # brackets are text for Markdown whatever the destination holds
                continue
            dest = s[m.end() : close]
            d0 = leaf.to_abs(m.end())
            if _SPACE.search(dest.strip()) and not re.search(r"\s[\"'(]", dest):
                if getattr(site, "generator", "") == "jekyll":
                    continue  # kramdown makes it a link, spaces and all: BT202 says whether it lands
                fixed = re.sub(r"[ \t\u3000]", lambda c: "%20" if c.group(0) != "\u3000" else "%E3%80%80", dest.strip())
                lead = len(dest) - len(dest.lstrip())
                a, b = d0 + lead, d0 + lead + len(dest.strip())
                if doc.text[a:b] == dest.strip():
                    yield self.diagnostic(doc, a, b, f"spaces in the link URL {dest.strip()!r}: Markdown does not "
                                          "read this as a link", Fix((Edit(a, b, fixed),), safe=False,
                                                                     description="encode the spaces"))
                else:
                    yield self.diagnostic(doc, a, a + 1,
                                          "spaces in the link URL: Markdown does not read this as a link")
                continue
            if open_ >= 0 and where.close_between(open_ + 1, m.start()):  # (no "[" there: open_ is the last)
                yield self.diagnostic(doc, leaf.to_abs(m.start()), leaf.to_abs(m.start() + 1),
                                      "stray ']' before '(': Markdown shows the brackets and the URL as text")
            elif dest.count("(") != dest.count(")"):
                yield self.diagnostic(doc, d0, leaf.to_abs(close), "unbalanced parentheses in the link URL: "
                                      "encode them as %28 and %29")
            elif (open_ < 0 or where.blank_line_between(open_, m.start())) and m.start() > 0:
                # (a leaf that starts with "](" is the rest of a link the block parser split:
                # not reported)
                yield self.diagnostic(doc, at, at + 1, "']' without a matching '[': Markdown shows the text as it is")


class _Brackets:
    """The brackets and parentheses of one leaf, indexed once: each "](" is then looked at
    in logarithmic time, not by a scan to the end of its line or back to its "[" (a line of
    thousands of unclosed links took quadratic time)."""

    __slots__ = ("opens", "closes", "blank_lines", "parens", "depths", "reached", "paren_closes")

    def __init__(self, s: str) -> None:
        self.opens = [m.start() for m in re.finditer(r"\[", s)]
        self.closes = [m.start() for m in re.finditer(r"\]", s)]
        self.blank_lines = [m.start() for m in re.finditer(r"\n(?=\n)", s)]
        self.parens: list[int] = []  # where each "(" and ")" is
        self.depths: list[int] = []  # the depth after each (counted from the start of the leaf)
        self.paren_closes: list[int] = []
        # depth -> the indexes in ``parens`` after which it is the depth: a destination that
        # starts at depth d closes at the first ")" after which it is d - 1
        self.reached: dict[int, list[int]] = {}
        depth = 0
        for k, m in enumerate(re.finditer(r"[()]", s)):
            if m.group(0) == "(":
                depth += 1
            else:
                depth -= 1
                self.paren_closes.append(m.start())
            self.parens.append(m.start())
            self.depths.append(depth)
            self.reached.setdefault(depth, []).append(k)

    def balanced_close(self, start: int, limit: int) -> int:
        """The ")" that closes a destination starting at ``start`` (the parentheses in it
        balanced) before ``limit``; else the first ")" after ``start`` (an unbalanced "("
        inside: it still closes the link); or -1."""
        k = bisect_left(self.parens, start)
        depth = self.depths[k - 1] if k else 0
        reached = self.reached.get(depth - 1)
        if reached:
            j = bisect_left(reached, k)
            if j < len(reached) and self.parens[reached[j]] < limit:
                return self.parens[reached[j]]
        j = bisect_left(self.paren_closes, start)
        if j < len(self.paren_closes) and self.paren_closes[j] < limit:
            return self.paren_closes[j]
        return -1

    def last_open_before(self, end: int) -> int:
        k = bisect_left(self.opens, end)
        return self.opens[k - 1] if k else -1

    def close_between(self, start: int, end: int) -> bool:
        k = bisect_left(self.closes, start)
        return k < len(self.closes) and self.closes[k] < end

    def blank_line_between(self, start: int, end: int) -> bool:
        """Is there a "\\n\\n" in ``s[start:end]``?"""
        k = bisect_left(self.blank_lines, start)
        return k < len(self.blank_lines) and self.blank_lines[k] + 2 <= end


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """``at`` lies in one of the sorted spans (the covering one starts shortly before it)."""
    from bisect import bisect_right

    i = bisect_right(spans, (at, float("inf"))) - 1
    for k in range(i, max(i - 32, -1), -1):
        a, b = spans[k]
        if a <= at < b:
            return True
    return False
