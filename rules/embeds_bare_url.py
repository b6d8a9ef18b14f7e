"""BT611: a provider URL alone in a paragraph, which Hugo renders as a plain link."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools import embeds
from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.shortcodes import HUGO_VERSION, available


class EmbedBareUrl(Rule):
    """Bare video, post or slides URL on a line of its own, where an embed was meant.

    What it does
        Finds a paragraph that is only a YouTube, Vimeo, X/Twitter, Instagram, SpeakerDeck,
        Gist or SlideShare URL (bare, ``<url>`` or ``[url](url)``), at the top level of a
        Hugo post, and offers the site's shortcode. Off by default: enable it for sites
        migrated from platforms that turn such URLs into embeds (Medium, Hatena, WordPress).

    Why it matters
        Medium and Hatena embed a URL written alone on a line; Hugo shows it as a link.
        After a migration the videos and tweets of old posts have become bare links.

    Example
        ::

            https://youtu.be/Qm3Xv8TkP2a

    Use instead
        ::

            {{< youtube Qm3Xv8TkP2a >}}

    Fix safety
        Unsafe: it turns a link into an embed, which changes what readers see.

    Options
        ``shortcodes.hugo-version``.
    """

    code = "BT611"
    name = "embed-bare-url"
    summary = "Provider URL alone in a paragraph: Hugo shows a link, not the embed"
    severity = "info"
    fixable = "sometimes"
    default_enabled = False
    options = (HUGO_VERSION,)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") != "hugo" or "://" not in doc.text or not site.is_content(doc.abspath):
            return
        names = None
        for leaf in doc.body.leaves:
            if leaf.kind != "paragraph" or leaf.container:
                continue
            text = leaf.text.strip()
            if not text or len(text.split(None, 1)) > 1:  # (a bare URL is one word)
                continue
            a = leaf.to_abs(leaf.text.index(text))
            b = leaf.to_abs(leaf.text.index(text) + len(text))
            nodes = [n for n in doc.nodes("autolink", "link") if n.start == a and n.end == b]
            if not nodes or (nodes[0].kind == "link" and nodes[0].text.strip() != nodes[0].url):
                continue
            embed = embeds.detect_url(nodes[0].url)
            if embed is None:
                continue
            if names is None:
                names = available(self, site)
            call = embeds.hugo_shortcode(embed, names)
            fix = Fix((Edit(a, b, call),), safe=False, description=f"use {call}", markup=True) if call else None
            template = embeds.PROVIDERS[embed.provider].shortcode
            hint = f"use {call}" if call else f"add layouts/shortcodes/{template}.html"
            yield self.diagnostic(doc, a, b, f"{embed.title} as a bare URL: Hugo shows a plain link, not the embed; {hint}",
                                  fix)
