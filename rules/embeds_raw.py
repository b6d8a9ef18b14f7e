"""BT610: a raw HTML embed (iframe, script, blockquote) where the site has a shortcode, or lacks one."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools import embeds
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.shortcodes import HUGO_VERSION, available


# Query parameters the written shortcode carries over (the rest would be dropped silently).
_CARRIED = {"youtube": {"start"}}


def _would_lose(src: str, embed: Any, site: Any) -> str:
    """What the shortcode would lose of this embed ("" when nothing): the archived text of
    a post embed, the privacy-enhanced domain, a provider option it has no parameter for."""
    if embeds.shortcode_loses_text(embed):
        return embeds.ARCHIVED_TEXT_LOST
    from urllib.parse import parse_qsl, urlsplit

    try:
        parts = urlsplit(src.strip().strip("\"'"))
        if parts.netloc.lower().endswith("embedly.com"):  # Medium's wrapper: the embed is its src
            inner = dict(parse_qsl(parts.query)).get("src", "")
            parts = urlsplit(inner) if inner else parts
    except ValueError:
        return ""
    if embed.provider == "youtube" and "youtube-nocookie.com" in parts.netloc.lower() \
            and site.setting("privacy.youtube.privacyEnhanced", False) is not True:
        return "load youtube.com instead of youtube-nocookie.com (set privacy.youtube.privacyEnhanced = true)"
    dropped = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
                     - _CARRIED.get(embed.provider, set()))
    if dropped:
        return "drop the option" + ("s " if len(dropped) > 1 else " ") + ", ".join(f"{k}=" for k in dropped)
    return ""


class EmbedRawHtml(Rule):
    """Raw HTML embed of a known provider in a Hugo post.

    What it does
        Recognises YouTube, Vimeo, X/Twitter, Instagram, SpeakerDeck, GitHub Gist and
        SlideShare embeds written as HTML (``<iframe>``, ``<script>``, ``<blockquote
        class="twitter-tweet">``, Medium's ``cdn.embedly.com`` wrapper; the provider table
        is :mod:`blogtools.embeds`). Where the site has the matching shortcode (a Hugo
        built-in such as ``youtube``, ``vimeo``, ``x``, ``instagram``, or a template in
        ``layouts/shortcodes/``, whose parameters are read from the template), the fix
        writes the shortcode. Where it has none, the diagnostic names the template to add.
        Reported only where ``markup.goldmark.renderer.unsafe`` is off, so that Hugo drops
        the embed; with ``unsafe = true`` the raw HTML renders as written and there is
        nothing to repair (real blogs with ``unsafe = true`` had every such finding wrong).

    Why it matters
        With ``unsafe = false`` the video or slides simply vanish from the page.

    Example
        ::

            <iframe width="560" height="315" src="https://www.youtube.com/embed/Z7rLq0wYc4E"
              title="YouTube video player" frameborder="0" allowfullscreen></iframe>

    Use instead
        ::

            {{< youtube Z7rLq0wYc4E >}}

    Fix safety
        Unsafe: the shortcode embeds the same content, but its markup differs from the
        HTML (sizes, attributes), and with ``unsafe = false`` the fix makes visible what
        the built site did not show. No fix is offered where the shortcode would lose
        something: the archived text of an X/Twitter or Instagram post (an offline build
        or a deleted post shows nothing), the privacy-enhanced youtube-nocookie.com domain
        (unless ``privacy.youtube.privacyEnhanced`` is on), or an option the shortcode has
        no parameter for (``rel=0``, ``list=``, ``si=``; YouTube's ``start`` is kept). A
        shortcode Hugo removed (``gist`` since 0.156, ``tweet``/``twitter`` since 0.142)
        is never written: the message names the template to add instead.

    Options
        ``shortcodes.hugo-version``.
    """

    code = "BT610"
    name = "embed-raw-html"
    summary = "Raw HTML embed (YouTube, SpeakerDeck, X, Gist...) instead of the site's shortcode"
    severity = "warning"
    fixable = "sometimes"
    options = (HUGO_VERSION,)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or "<" not in doc.text or not site.is_content(doc.abspath):
            return
        dropped = not site.profile.raw_html_rendered
        if not dropped:
            return  # markup.goldmark.renderer.unsafe: the raw embed renders as it is
        found = embeds.in_document(doc)
        if not found:
            return
        # the shortcodes depend on the options and the site only (their template folders are
        # read once per process): build the table once, not for every post with an embed
        names = memo(self, site, "shortcodes", lambda: available(self, site))
        severity = "error" if dropped else "warning"
        effect = "Hugo drops it (markup.goldmark.renderer.unsafe is false)" if dropped else "raw HTML"
        for e in found:
            provider = embeds.PROVIDERS[e.embed.provider]
            call = embeds.hugo_shortcode(e.embed, names)
            form = {"iframe": "<iframe>", "script": "<script>", "blockquote": "<blockquote>"}.get(e.embed.form, "HTML")
            what = f"raw {form} embed ({provider.title})"
            lost = _would_lose(doc.text[e.src_start:e.src_end], e.embed, site) if call is not None else ""
            if call is not None and lost:
                yield self.diagnostic(doc, e.src_start, e.src_end, f"{what}: {effect}; {call} would {lost}, so "
                                      "no fix is offered: keep the content visible another way (a link to "
                                      f"{e.embed.url}) or set unsafe = true", severity=severity)
            elif call is not None:
                yield self.diagnostic(doc, e.src_start, e.src_end, f"{what}: {effect}; use {call}",
                                      Fix((Edit(e.start, e.end, call),), safe=False, description=f"use {call}",
                                          markup=True),
                                      severity=severity)
            elif provider.shortcode in names:
                yield self.diagnostic(doc, e.src_start, e.src_end, f"{what}: {effect}; the {provider.shortcode!r} "
                                      "shortcode needs a parameter this embed lacks", severity=severity)
            else:
                yield self.diagnostic(doc, e.src_start, e.src_end, f"{what}: {effect}; "
                                      f"the site has no {provider.shortcode!r} shortcode: add "
                                      f"layouts/shortcodes/{provider.shortcode}.html", severity=severity)
