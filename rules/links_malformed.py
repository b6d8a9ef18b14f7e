"""BT205: a link URL that is broken by its shape: ``(/https://...)``, spaces, brackets."""

from __future__ import annotations

import re
from typing import Any, Iterator

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
        a stray bracket (``[text]](url)``); those render as literal text. On a Hugo site
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
        for node in doc.nodes("link", "image"):
            if node.url_start < 0:
                continue
            covered.append((node.start, node.end))
            url = node.url
            if "%" in url and _BAD_ESCAPE.search(url):
                yield from self._escape(doc, site, node)
            if url.startswith(("https://", "http://")) and "\\" not in url:
                continue  # the usual URL: none of _url's checks can fire (saves a generator per link)
            yield from self._url(doc, url, node.url_start, node.url_end)
        if doc.text.count("](", doc.body_start) <= len(covered):
            return  # every "](" opens a destination Markdown read (the usual case)
        skip = sorted(covered + [(n.start, n.end) for n in doc.nodes("code_span", "autolink", "html_inline",
                                                                        "shortcode", "liquid")])
        for leaf in doc.body.leaves:
            yield from self._syntax(doc, leaf, skip)

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

    def _syntax(self, doc: Document, leaf: Any, skip: list[tuple[int, int]]) -> Iterator[Diagnostic]:
        s = leaf.text
        for m in re.finditer(r"\]\(", s):
            at = leaf.to_abs(m.start())
            if _inside(skip, at):
                continue
            line_end = s.find("\n", m.end())
            line_end = len(s) if line_end < 0 else line_end
            close = _balanced_close(s, m.end(), line_end)
            open_ = s.rfind("[", 0, m.start())
            if close < 0:
                yield self.diagnostic(doc, at, leaf.to_abs(line_end),
                                      "link not closed: ')' is missing, Markdown shows the brackets as text")
                continue
            dest = s[m.end() : close]
            d0 = leaf.to_abs(m.end())
            if _SPACE.search(dest.strip()) and not re.search(r"\s[\"'(]", dest):
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
            if open_ >= 0 and s[open_ + 1 : m.start()].count("]") > s[open_ + 1 : m.start()].count("["):
                yield self.diagnostic(doc, leaf.to_abs(m.start()), leaf.to_abs(m.start() + 1),
                                      "stray ']' before '(': Markdown shows the brackets and the URL as text")
            elif dest.count("(") != dest.count(")"):
                yield self.diagnostic(doc, d0, leaf.to_abs(close), "unbalanced parentheses in the link URL: "
                                      "encode them as %28 and %29")
            elif (open_ < 0 or "\n\n" in s[open_:m.start()]) and m.start() > 0:
                # (a leaf that starts with "](" is the rest of a link the block parser split:
                # not reported)
                yield self.diagnostic(doc, at, at + 1, "']' without a matching '[': Markdown shows the text as it is")


def _balanced_close(s: str, start: int, limit: int) -> int:
    depth = 0
    for i in range(start, limit):
        c = s[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
    # an unbalanced "(" inside: the first ")" after the destination still closes it
    k = s.find(")", start, limit)
    return k


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """``at`` lies in one of the sorted spans (the covering one starts shortly before it)."""
    from bisect import bisect_right

    i = bisect_right(spans, (at, float("inf"))) - 1
    for k in range(i, max(i - 32, -1), -1):
        a, b = spans[k]
        if a <= at < b:
            return True
    return False
