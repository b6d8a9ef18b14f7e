"""BT701-BT704: external links, checked over the network (``--external`` or ``external = true``).

Site-wide rules over the facts of every page: each URL is checked once (through
:mod:`blogtools.links`, which holds the extraction, the cache and the scheduler around
linkchecker) and reported at every place that uses it. The four rules share one
:class:`~blogtools.links.LinkSession` per run, so selecting all of them costs one pass over the
network (plus one for the https:// twins of http:// links when BT703 is selected).
"""

from __future__ import annotations

import weakref
from typing import Any, Iterator

from blogtools import links
from blogtools.facts import EXTRACTORS, NETWORK_ONLY
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule

EXTRACTORS["external_urls"] = links.extract
NETWORK_ONLY.add("external_urls")  # read by these rules and `blogtools links --list` only


def _positive(value: Any) -> str | None:
    return None if not isinstance(value, bool) and value > 0 else f"expected a number > 0, got {value!r}"


def _globs(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"expected a list of patterns, got {value!r}"
    return None


OPTIONS = (
    Option("links.timeout", 10, "seconds to wait for a host to connect or answer", type=(int, float), validate=_positive),
    Option("links.per-host", 2, "requests in flight to one host at a time", type=int, validate=_positive),
    Option("links.rate", 5.0, "request starts per second to one host", type=(int, float), validate=_positive),
    Option("links.retries", 2, "retries after 429, 5xx or a dropped connection (backoff; Retry-After honoured)",
           type=int, validate=lambda v: None if v >= 0 else f"expected an integer >= 0, got {v!r}"),
    Option("links.concurrency", 16, "requests in flight in all", type=int, validate=_positive),
    Option("links.ttl-ok", "7d", "how long a good result is trusted (seconds, or 30m, 12h, 7d, 2w)",
           type=(int, float, str), validate=links.duration_error),
    Option("links.ttl-error", "1d", "how long a failure is trusted before it is checked again",
           type=(int, float, str), validate=links.duration_error),
    Option("links.exclude", [], "URLs never checked: globs over the URL (with ://) or over the host",
           type=list, validate=_globs),
    Option("links.skip-reserved", True, "skip localhost, private addresses, example.com, *.invalid, *.test ...",
           type=bool),
    Option("links.check-anchors", False, "fetch pages linked with a #fragment and look for the anchor (BT704)",
           type=bool),
    Option("links.offline", False, "never touch the network: cached results only (set by --offline)", type=bool),
)

_MEMO: dict[str, Any] = {}


def _short(url: str, width: int = 90) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"


class ExternalLinkRule(Rule):
    """Shared plumbing of the BT7xx rules (not a rule: it has no code)."""

    site_wide = True
    needs_network = True
    default_enabled = False
    tags = ("links", "network")
    options = OPTIONS

    def link_settings(self) -> links.Settings:
        o = self.option
        return links.Settings(
            timeout=float(o("links.timeout")), per_host=o("links.per-host"), rate=float(o("links.rate")),
            retries=o("links.retries"), concurrency=o("links.concurrency"),
            ttl_ok=links.parse_duration(o("links.ttl-ok")), ttl_error=links.parse_duration(o("links.ttl-error")),
            exclude=tuple(o("links.exclude")), skip_reserved=o("links.skip-reserved"),
            check_anchors=o("links.check-anchors"), offline=o("links.offline"),
        )

    def session(self, site: Any) -> links.LinkSession:
        """One session per run: the rules of the family share what was checked."""
        settings = self.link_settings()
        known = _MEMO.get("site")
        if known is None or known() is not site or _MEMO.get("settings") != settings:
            _MEMO.update(site=weakref.ref(site), settings=settings, session=links.LinkSession(settings))
        return _MEMO["session"]

    def lookup(self, site: Any) -> tuple[links.LinkSession, list[links.Use], dict[str, dict[str, Any]]]:
        session = self.session(site)
        # Only the files the user asked about: when pre-commit passes two staged posts, the
        # rest of the site is read for context but its URLs are not fetched. (Needs
        # the run's ``context.requested``; without it every page is in scope.)
        requested = self.context.requested
        pages = [p for p in site.pages if requested is None or p.get("abspath") in requested]
        uses = links.collect(pages)
        return session, uses, session.lookup(session.wanted(uses))

    def report(self, use: links.Use, message: str, fix: Fix | None = None) -> Diagnostic:
        d = self.at(use.path, use.pos, message, offsets=use.span or (0, 0))
        d.fix = fix if use.span else None
        return d


class ExternalLinkBroken(ExternalLinkRule):
    """An external URL that does not answer, or answers with an error.

    What it does
        Checks every external URL of the site once (body links, images, autolinks, front
        matter URL fields, ``src``/``href`` of raw HTML such as iframes, and URLs in shortcode
        parameters) and reports it at every place that uses it when the answer is a 4xx or 5xx
        status (after retries), a DNS failure, a TLS error, a refused connection or no answer
        within ``links.timeout``. A 429 (rate limited) is never reported as broken: the URL is
        left for the next run.

    Why it matters
        Old posts rot: conference pages vanish, profile links die. A checker that crawls the
        built site reports the URL in ``public/``; this one reports the line in the Markdown
        that has to change, and only re-checks a URL when its cached result has expired.

    Example
        ::

            資料は[こちら](https://conference.example.org/2019/slides)。

        (``404 Not Found``)

    Use instead
        The page's new address, an archived copy
        (``https://web.archive.org/web/2019/https://...``), or plain text.

    Fix safety
        No fix: only the author knows where the content went.

    Options
        ``links.timeout``, ``links.per-host``, ``links.rate``, ``links.retries``,
        ``links.concurrency``, ``links.ttl-ok``, ``links.ttl-error``, ``links.exclude``,
        ``links.skip-reserved``, ``links.offline`` (shared by BT701-BT704; see
        ``docs/external-links.md``).
    """

    code = "BT701"
    name = "external-link-broken"
    summary = "External link is broken (4xx/5xx, DNS, TLS, timeout)"
    severity = "error"
    fixable = None

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        _, uses, results = self.lookup(site)
        for use in uses:
            entry = results.get(use.key)
            if entry is None or entry.get("kind") != "broken":
                continue
            final = entry.get("final") or ""
            via = f" (redirected to {_short(final)})" if final and links.split_key(final)[0] != use.key else ""
            yield self.report(use, f"broken link {_short(use.key)}: {entry.get('reason')}{via}")


class ExternalLinkRedirect(ExternalLinkRule):
    """An external URL that has moved permanently (301 or 308).

    What it does
        Reports a URL whose first answer is a permanent redirect and whose last answer is
        good, with the address it moved to: the end of the leading permanent redirects
        (``301 → 301 → 200`` gives the final URL; ``301 → 302 → 200`` the 302's URL, since
        what follows a temporary redirect is not a move). Temporary redirects (302, 303,
        307) are not reported.

    Why it matters
        Every reader pays the extra round trips, and a moved page is one step from a dead
        one: hosts drop old redirects when they migrate again.

    Example
        ::

            [Hugo のドキュメント](http://gohugo.io/overview/introduction/)

    Use instead
        ::

            [Hugo のドキュメント](https://gohugo.io/about/introduction/)

    Fix safety
        Unsafe: the link is rewritten to the address the redirect gives today, which may be a
        different page (a site that sends every old URL to its home page). The fragment
        written in the source is kept; a redirect to a login gate (the old URL in the new
        URL's query) gets no fix. Review with ``--diff``.

    Options
        Those of BT701.
    """

    code = "BT702"
    name = "external-link-redirect"
    summary = "External link redirects permanently; point it at the new address"
    severity = "warning"
    fixable = "unsafe"

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        _, uses, results = self.lookup(site)
        for use in uses:
            entry = results.get(use.key)
            target = links.permanent_target(entry) if entry and use.scheme else None
            if target is None or links.split_key(target[0])[0] == use.key:
                continue
            url, status, hops = target
            new = links.fixed_url(use.written, url, use.fragment)
            fix = Fix((Edit(use.span[0], use.span[1], new),), safe=False, description=f"use {new}") \
                if new and use.span else None
            after = f" after {hops} redirects" if hops > 1 else ""
            yield self.report(use, f"permanent redirect ({status}) to {_short(url)}{after}", fix)


class ExternalLinkHttps(ExternalLinkRule):
    """An ``http://`` link whose ``https://`` twin works.

    What it does
        For each link written with ``http://`` that does not already redirect to an
        ``https://`` address (that case is BT702's), requests the same URL with ``https://``
        and reports the link when the twin answers with a good status.

    Why it matters
        Browsers mark plain HTTP pages as not secure, may upgrade or block them, and the
        reader's connection can be read and altered on the way.

    Example
        ::

            <iframe src="http://www.slideshare.net/slideshow/embed_code/key/abc"></iframe>

    Use instead
        ::

            <iframe src="https://www.slideshare.net/slideshow/embed_code/key/abc"></iframe>

    Fix safety
        Unsafe: only ``http`` becomes ``https``, but a host may serve different content (or a
        different site) over HTTPS than over HTTP. Links written ``//host`` or ``www.host``
        are not reported.

    Options
        Those of BT701.
    """

    code = "BT703"
    name = "external-link-https"
    summary = "http:// link whose https:// twin works"
    severity = "warning"
    fixable = "unsafe"

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        session, uses, results = self.lookup(site)
        candidates = []
        for use in uses:
            entry = results.get(use.key)
            twin = use.https_twin
            if twin is None or entry is None or (entry.get("final") or "").lower().startswith("https://"):
                continue
            candidates.append((use, twin))
        s = session.settings
        wanted = {twin: set() for _, twin in candidates if not links.excluded(twin, s.exclude, s.skip_reserved)}
        twins = session.lookup(wanted, "Checking https:// twins") if wanted else {}
        for use, twin in candidates:
            if twins.get(twin, {}).get("kind") == "ok":
                fix = Fix((Edit(use.span[0], use.span[0] + 4, "https"),), safe=False, description="use https://") \
                    if use.span else None
                yield self.report(use, f"{_short(use.written)} also works over HTTPS: use https://", fix)


class ExternalLinkAnchor(ExternalLinkRule):
    """A ``#fragment`` that names no element on the linked page.

    What it does
        With ``links.check-anchors = true``, fetches each linked page that is used with a
        fragment and reports a fragment that matches no ``id`` and no ``<a name>`` on it
        (GitHub's ``user-content-`` prefix is understood). Fragments that are not element
        names are skipped: ``#top``, text fragments (``#:~:text=``), ``#!/`` and ``#/``
        routes, GitHub line anchors (``#L10-L20``).

    Why it matters
        The link still opens the page but not the section the post points at: headings are
        renamed and documentation is reorganised under the same URL.

    Example
        ::

            [設定](https://gohugo.io/getting-started/configuration/#configure-server)

    Use instead
        The section's current anchor, found by opening the page.

    Fix safety
        No fix. A page that builds its headings with JavaScript has no anchors in its HTML:
        exclude such hosts with ``links.exclude``.

    Options
        ``links.check-anchors`` (off by default: it downloads each page), and those of BT701.
    """

    code = "BT704"
    name = "external-link-anchor"
    summary = "Link fragment not found on the linked page"
    severity = "warning"
    fixable = None

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        if not self.option("links.check-anchors"):
            return
        _, uses, results = self.lookup(site)
        for use in uses:
            entry = results.get(use.key)
            anchors = (entry or {}).get("anchors") or {}
            if entry and entry.get("kind") == "ok" and anchors.get(use.fragment) is False:
                yield self.report(use, f"anchor #{use.fragment} not found on {_short(use.key)}")
