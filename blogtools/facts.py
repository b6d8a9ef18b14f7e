"""Facts: the small, picklable summary of a document that site-wide rules read.

Per-file work (parsing) happens once, in parallel, and is cached; site-wide checks then run
over the facts of every page without re-reading any file. An extractor is a function
``(doc) -> value`` registered in :data:`EXTRACTORS` under the fact's name.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable

from blogtools import kramdown_body
from blogtools.document import Document
from blogtools.lint import suppress

Pos = tuple[int, int, int, int]  # line, column, end_line, end_column (1-based)


def pos(doc: Document, start: int, end: int) -> Pos:
    return doc.lines.span(start, end)


def _links(doc: Document) -> list[dict[str, Any]]:
    """Body links, images and autolinks: what site rules read of them (kind, url, text,
    url_pos, url_span). Nothing reads a link's whole span, text span, container or bareness
    from facts, so they are not stored: every key is pickled to the main process per link.

    ``url`` is the URL as written: a Liquid tag or a shortcode in it (masked in the parsed
    body) is given back as it is in the source, for the generator profile to evaluate
    (Jekyll renders Liquid before Markdown) or to leave unjudged; an image whose URL is a
    shortcode is left out (nothing can tell what it names). In a Jekyll site, where
    kramdown passes raw HTML through, ``<a href>`` and ``<img src>`` of raw HTML (all of an
    ``.html`` document's links) are listed too, marked ``html``."""
    out = []
    span = doc.lines.span
    text = doc.text
    kd = kramdown_body.view(doc)  # a Jekyll post: the body as kramdown reads it
    for n in kd.iter("link", "image", "autolink") if kd is not None else \
            kramdown_body.nodes(doc, "link", "image", "autolink"):  # (bare URLs only where Hugo linkifies)
        a, b = (n.url_start, n.url_end) if n.url_start >= 0 else (n.start, n.end)
        url = n.url
        if MASK in url:
            url = _as_written(text, n)
            if url is None or n.kind == "image" and ("{{<" in url or "{{%" in url):
                continue
        out.append({"kind": n.kind, "url": url, "text": n.text, "url_pos": span(a, b),
                    "url_span": (n.url_start, n.url_end)})
    if _jekyll_document(doc) or "](" in text and _jekyll_site_document(doc):
        found = _html_links(doc, kd) + _kramdown_links(doc, kd)
        if found:
            out = sorted(out + found, key=lambda link: link["url_span"][0])
    return out


# ``[text](a destination with spaces)``: CommonMark (Goldmark, mistune) reads no link there,
# kramdown does, with the spaces in its href (and a ``>`` in it: ``(https://a/> b/)`` is the
# href ``https://a/> b/``, and a line break: ``(http://\nx.org/)``, checked with Jekyll 4.3)
_SPACED_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(([^()<]*)\)")
_BLANK = re.compile(r"[ \t\u3000\n]")


def _kramdown_links(doc: Document, kd: kramdown_body.KramdownBody | None = None) -> list[dict[str, Any]]:
    """The links kramdown makes of ``[text](url with spaces)``, which the parsed body (CommonMark's
    rules) has as text: their href is the destination as written, spaces and all (none where
    kramdown reads no Markdown: ``kd.hidden``)."""
    if "](" not in doc.text:
        return []
    from bisect import bisect_right

    covered = sorted([(n.start, n.end) for n in doc.nodes("link", "image", "code_span", "autolink", "html_inline",
                                                            "shortcode", "liquid")] + (kd.hidden if kd else []))
    starts = [a for a, _ in covered]
    reach = []  # the furthest end of the spans up to each one (spans may nest)
    for _, b in covered:
        reach.append(max(b, reach[-1]) if reach else b)
    span = doc.lines.span
    out: list[dict[str, Any]] = []
    for leaf in doc.body.leaves:
        if "](" not in leaf.text:
            continue
        for m in _SPACED_LINK.finditer(leaf.text):
            dest = m.group(2).strip()
            if not dest or not _BLANK.search(dest) or re.search(r"\s[\"'(]", m.group(2)):
                continue  # a title after the URL: CommonMark's link too
            a = leaf.to_abs(m.start(2) + len(m.group(2)) - len(m.group(2).lstrip()))
            b = a + len(dest)
            opener = leaf.to_abs(m.start())
            k = bisect_right(starts, opener) - 1
            if k >= 0 and reach[k] > opener or doc.text[a:b] != dest:
                continue  # inside code, a link or a template; or not contiguous in the source
            out.append({"kind": "link", "url": dest, "text": m.group(1), "url_pos": span(a, b), "url_span": (a, b)})
    return out


MASK = "\x1a"  # (blogtools.markdown.MASK: a template's characters in the parsed body)


def _as_written(text: str, node: Any) -> str | None:
    """The URL of a link whose parsed URL holds masked templates, as written in the source;
    None when the source at its span is not that URL (then it is not listed at all)."""
    if node.url_start < 0:
        return None
    src = text[node.url_start : node.url_end]
    masked = node.url
    for cand in (src, src.strip().strip("<>").strip()):
        if len(cand) == len(masked) and all(m == MASK or m == c for m, c in zip(masked, cand)):
            return cand
    return None


_A_OR_IMG = re.compile(r"<(a|img|audio|video|source|track)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# What a browser does not read as tags: comments, scripts, styles, templates, text areas
_NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style|template|textarea)\b.*?(?:</\1\s*>|\Z)", re.S | re.I)


def _has_link_tag(lowered: str) -> bool:
    """Whether lower-cased HTML may hold a tag :data:`_A_OR_IMG` reads (``<audio`` starts with ``<a``)."""
    return "<a" in lowered or "<img" in lowered or "<video" in lowered or "<source" in lowered or "<track" in lowered


def _html_links(doc: Document, kd: kramdown_body.KramdownBody | None = None) -> list[dict[str, Any]]:
    """``<a href>`` (kind ``link``) and ``<img src>`` (kind ``image``; the ``src`` of
    ``<audio>``, ``<video>``, ``<source>`` and ``<track>`` too, the files a browser plays) of the raw HTML of a
    document, each marked ``html``. Tags are read in a copy with Liquid masked (a quote inside
    ``{{ "/x" | relative_url }}`` does not end the attribute); values are taken from the
    source at the same offsets. Comments, scripts, styles, templates and text areas are
    skipped."""
    from blogtools.markdown import find_templates

    out: list[dict[str, Any]] = []
    text = doc.text
    span = doc.lines.span
    for node in (kd.iter if kd is not None else doc.nodes)("html_block", "html_inline"):
        src = text[node.start : node.end]
        lowered = src.lower()
        if not _has_link_tag(lowered):
            continue
        masked = find_templates(src, 0)[1] if "{" in src else src
        if "<!--" in masked or "<script" in lowered or "<style" in lowered or "<template" in lowered \
                or "<textarea" in lowered:
            masked = _NOT_MARKUP.sub(lambda m: " " * len(m.group(0)), masked)
        for tag in _A_OR_IMG.finditer(masked):
            name = tag.group(1).lower()
            wanted = "href" if name == "a" else "src"
            for attr in _ATTR.finditer(tag.group(2)):
                if attr.group(1).lower() != wanted:
                    continue
                group = next((g for g in (2, 3, 4) if attr.group(g) is not None), None)
                if group is None:
                    break
                a = node.start + tag.start(2) + attr.start(group)
                b = node.start + tag.start(2) + attr.end(group)
                value = text[a:b]
                if "&" in value and "{" not in value:
                    import html

                    value = html.unescape(value)
                out.append({"kind": "link" if name == "a" else "image", "url": value.strip(), "text": "",
                            "url_pos": span(a, b), "url_span": (a, b), "html": True})
                break
    return out


def _jekyll_document(doc: Document) -> bool:
    """A document Jekyll renders: an ``.html`` document (only Jekyll sites' are read), or one
    under a Jekyll site's root (its ``_config.yml``, no Hugo config)."""
    if getattr(doc, "is_html", False):
        return True
    if not any(_has_link_tag(n.text.lower()) for n in doc.nodes("html_block", "html_inline")):
        return False  # (no raw HTML link or image: the site need not be known)
    return _jekyll_folder(os.path.dirname(doc.abspath or os.path.abspath(doc.path)))


def _jekyll_folder(folder: str) -> bool:
    """The folder is in a Jekyll site: the nearest folder above it with a site config has
    Jekyll's (and no Hugo config, which :func:`blogtools.site.load_site` prefers)."""
    return kramdown_body.jekyll_root(folder) is not None


def _headings(doc: Document) -> list[dict[str, Any]]:
    """Headings (level, text, position). In a Jekyll document a Liquid tag that writes markup
    (``{% include %}``, ``{% for %}``) writes headings and ids nobody can list: it is given as
    a heading whose text is masked (as Liquid inside a heading's text is), so that the page's
    anchors are known to be incomplete."""
    span = doc.lines.span
    kd = kramdown_body.view(doc)
    out = [{"level": n.level, "text": _heading_text(n, kd), "pos": span(n.text_start, n.text_end)}
           for n in (kd.iter if kd is not None else doc.nodes)("heading")]
    made = [n for n in doc.nodes("liquid") if n.text in _MARKUP_TAGS]
    if made and _jekyll_site_document(doc):
        n = made[0]
        out.append({"level": 0, "text": MASK * (n.end - n.start), "pos": span(n.start, n.end)})
    return out


def _heading_text(node: Any, kd: kramdown_body.KramdownBody | None) -> str:
    """A heading's text; on Jekyll, with `` {#id}`` when an attribute list on the next line
    gives it its id (how :meth:`blogtools.generators.jekyll.Jekyll.anchor_ids` reads an id)."""
    given = kd.heading_ids.get(node.start) if kd is not None else None
    return node.text if given is None else f"{node.text} {{#{given}}}"


_MARKUP_TAGS = frozenset({"include", "include_relative", "render", "for", "tablerow"})


def _jekyll_site_document(doc: Document) -> bool:
    return getattr(doc, "is_html", False) or \
        _jekyll_folder(os.path.dirname(doc.abspath or os.path.abspath(doc.path)))


def _front_matter(doc: Document) -> dict[str, Any]:
    fm = doc.front_matter
    if fm is None:
        return {"format": None, "data": {}, "keys": {}}
    span = doc.lines.span
    keys = {".".join(map(str, p)): span(s.key_start, s.value_end) for p, s in fm.positions.items()}
    out = {"format": fm.format, "data": fm.data or {}, "error": fm.error, "keys": keys}
    if fm.duplicates and fm.format == "yaml":
        last = _last_values(doc.text, fm)
        if last:
            out["last"] = last
    return out


def _last_values(text: str, fm: Any) -> dict[str, Any]:
    """The value of each top-level YAML key written more than once, as its last occurrence
    says (``data`` keeps the first, as ruamel does; Ruby's YAML, and so Jekyll, keeps the
    last). Each last occurrence is loaded alone: its line up to the next top-level line."""
    from blogtools import yamlload

    out: dict[str, Any] = {}
    for path, at in fm.duplicates:
        if len(path) != 1 or not isinstance(path[0], str) or at < fm.content_start or at >= fm.content_end:
            continue
        start = text.rfind("\n", fm.content_start, at) + 1 if at > fm.content_start else fm.content_start
        if text[start:at].strip():
            continue  # not a key at the start of its line: a flow mapping, left alone
        end = at
        while True:
            nl = text.find("\n", end, fm.content_end)
            if nl < 0:
                end = fm.content_end
                break
            end = nl + 1
            if end < fm.content_end and text[end] not in " \t\r\n#":
                break
        try:
            loaded = yamlload.load(text[at:end])
        except Exception:  # noqa: BLE001 - a value the loader cannot read: the first one stays
            continue
        if isinstance(loaded.data, dict) and path[0] in loaded.data:
            out[path[0]] = loaded.data[path[0]]
    return out


def _suppressions(doc: Document) -> suppress.Suppressions | None:
    found = suppress.collect(doc)
    return found or None  # most posts have none: nothing to pickle and rebuild per post


EXTRACTORS: dict[str, Callable[[Document], Any]] = {
    "front_matter": _front_matter,
    "links": _links,
    "headings": _headings,
    "suppressions": _suppressions,  # so site-wide diagnostics honour inline comments too
}


# Facts that only the network rules (BT7xx) and ``blogtools links`` read: ``blogtools lint``
# skips them when no network rule is selected.
NETWORK_ONLY: set[str] = set()


def extract(doc: Document, skip: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    facts: dict[str, Any] = {"path": doc.path, "abspath": doc.abspath}
    for name, fn in EXTRACTORS.items():
        if name not in skip:
            facts[name] = fn(doc)
    return facts


import blogtools.site  # noqa: E402,F401 - registers the "site" extractor (the cycle is safe here)
