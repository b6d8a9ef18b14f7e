"""External links: find every URL in the content, check each once, remember what was learned.

Used by the BT7xx rules (``rules/external_links.py``) and ``blogtools links``:

- **where URLs are**: ``facts["links"]`` holds body links, images and autolinks; :func:`extract`
  (registered as the ``external_urls`` fact) adds front matter URL fields, ``src``/``href`` of
  raw HTML (iframes, scripts, images) and URLs in shortcode and Liquid parameters.
  :func:`collect` turns the facts of every page into :class:`Use` records, and each use carries
  the *key* it is checked under (normalised, without the fragment), so a URL used on forty
  pages is requested once and reported forty times.
- **what we learned**: :class:`LinkCache`, one JSON file in the blogtools cache dir, keyed by
  URL, with a TTL for good results and a shorter one for failures.
- **how we ask**: :func:`check_urls` is our scheduler (per-host concurrency, a per-host request
  rate, retries with backoff on 429/5xx honouring ``Retry-After``) around linkchecker, which
  makes each request (a GET that reads only the headers unless anchors are wanted; redirects
  followed, every hop recorded). Why linkchecker's Python API and not its command line, and
  exactly what it does versus what we do: ``docs/external-links.md``.

linkchecker (a heavy import) is loaded only when a URL is actually requested: a lint run
without ``--external``, an offline run and a warm run never import it.
"""

from __future__ import annotations

import fnmatch
import heapq
import itertools
import json
import os
import re
import sys
import threading
import time
from collections import deque
from typing import IO, Any, Callable, Iterable, Iterator

from blogtools.record import dataclass, field
from blogtools.urls import quote, unquote, urlsplit, urlunsplit

CACHE_VERSION = 1
MAX_RETRY_AFTER = 60.0  # seconds; a host asking for a longer pause is left for the next run
BACKOFF = 1.0  # first retry after a 5xx waits this long, then twice as long each time
DAY = 86400.0

Pos = tuple[int, int, int, int]


# --------------------------------------------------------------------------- URLs
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def _unescape(url: str) -> str:
    """Undo Markdown backslash escapes and HTML entities (both rare in URLs: checked first)."""
    if "\\" in url:
        out, i = [], 0
        while i < len(url):
            escaped = url[i] == "\\" and i + 1 < len(url) and url[i + 1] in _PUNCTUATION
            out.append(url[i + 1] if escaped else url[i])
            i += 2 if escaped else 1
        url = "".join(out)
    return _entities(url)


def _entities(text: str) -> str:
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


def absolute(written: str) -> str | None:
    """The http(s) URL that a URL as written points at, or None when it is not external.

    ``//host/x`` is taken as https, a bare ``www.host`` (a GFM autolink) as https, the way
    Hugo's linkify writes it (``markup.goldmark.extensions.linkifyProtocol``, https by
    default); Markdown backslash escapes and HTML entities are undone.
    """
    url = _unescape(written.strip())
    low = url[:8].lower()
    if low.startswith("//"):
        url = "https:" + url
    elif low.startswith("www."):
        url = "https://" + url
    elif not low.startswith(("http://", "https://")):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return url if host else None


def split_key(url: str) -> tuple[str, str]:
    """(key, fragment): the URL as checked and cached, and the fragment that was cut off.

    Scheme and host are lowercased, a default port and an empty path are dropped, and
    non-ASCII characters are percent-encoded, so ``/wiki/東京`` and ``/wiki/%E6%9D%B1%E4%BA%AC``
    are one key.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # not a port number: leave the URL to fail as written
        port, netloc = None, parts.netloc.lower()
    else:
        netloc = host if port in (None, {"http": 80, "https": 443}.get(scheme)) else f"{host}:{port}"
        if parts.username:
            netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return urlunsplit((scheme, netloc, path, query, "")), parts.fragment


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


_RESERVED_DOMAINS = ("localhost", "example.com", "example.net", "example.org",
                     "example", "invalid", "test", "local", "internal")


def reserved(host: str) -> bool:
    """Hosts that never answer from CI: loopback and private addresses, ``localhost``, the
    RFC 2606/6761 names (``example.com``, ``*.invalid``, ``*.test`` ...) and ``*.local``."""
    host = host.strip("[]").rstrip(".").lower()
    if any(host == d or host.endswith("." + d) for d in _RESERVED_DOMAINS):
        return True
    if not host or not (host[0].isdigit() or ":" in host):
        return False  # a host name, not an address (skips importing ipaddress)
    import ipaddress

    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False


def excluded(key: str, patterns: Iterable[str], skip_reserved: bool = True) -> bool:
    """True when a URL is not to be checked.

    A pattern with ``://`` is a glob over the whole URL (``https://twitter.com/*``); any other
    pattern is a glob over the host and also matches its subdomains (``linkedin.com`` covers
    ``jp.linkedin.com``). Case does not matter.
    """
    host = host_of(key)
    if skip_reserved and reserved(host):
        return True
    low = key.lower()
    for p in patterns:
        p = p.lower()
        if "://" in p:
            if fnmatch.fnmatchcase(low, p):
                return True
        elif fnmatch.fnmatchcase(host, p) or fnmatch.fnmatchcase(host, "*." + p.lstrip("*.")):
            return True
    return False


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": DAY, "w": 7 * DAY}


def parse_duration(value: Any) -> float:
    """Seconds from ``3600``, ``"45s"``, ``"30m"``, ``"12h"``, ``"7d"`` or ``"2w"``."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 7d, 12h or 3600, got {value!r}")
    if isinstance(value, (int, float)) and value >= 0:
        return float(value)
    m = _DURATION.match(value) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"expected a duration such as 7d, 12h or 3600, got {value!r}")
    return float(m.group(1)) * _UNIT[m.group(2)]


def duration_error(value: Any) -> str | None:
    try:
        parse_duration(value)
    except ValueError as exc:
        return str(exc)
    return None


def anchor_worth_checking(key: str, fragment: str) -> bool:
    """Fragments that name an element. Not: empty, ``#top`` (always valid in HTML), text
    fragments (``#:~:text=``), hash-bang and router paths (``#!/``, ``#/``), GitHub line anchors."""
    if not fragment or fragment.lower() == "top" or fragment.startswith((":~:", "!", "/")):
        return False
    if host_of(key) in ("github.com", "gitlab.com") and re.match(r"^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$", fragment):
        return False
    return True


# --------------------------------------------------------------------------- extraction
_TAG = re.compile(r"<([A-Za-z][\w-]*)(\s[^>]*)?>", re.S)
_ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_URL_ATTRS = frozenset({"src", "href", "poster", "data-src", "data"})
_PARAM_URL = re.compile(r"""(["'`])((?:https?:)?//[^\s"'`]+)\1|(https?://[^\s"'`{}<>]+)""", re.I)
_SELF_KEYS = frozenset({"url", "permalink", "canonical", "canonicalurl", "canonical_url", "canonicallink"})


def _entry(doc: Any, url: str, start: int, end: int, fixable: bool, where: str) -> dict[str, Any]:
    from blogtools.facts import pos

    return {"url": url, "pos": pos(doc, start, end), "span": (start, end) if fixable else None, "where": where}


def _front_matter_urls(doc: Any) -> Iterator[dict[str, Any]]:
    fm = doc.front_matter
    if fm is None or not isinstance(fm.data, dict):
        return

    def walk(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, path + (i,))
        elif isinstance(value, str) and absolute(value) and not any(c.isspace() for c in value.strip()):
            yield path, value.strip()

    for path, url in walk(fm.data, ()):
        names = [p for p in path if isinstance(p, str)]
        if names and names[-1].lower() in _SELF_KEYS:
            continue  # the page's own address, not a link
        span = fm.positions.get(path)
        where = "front matter " + ".".join(map(str, path))
        if span is None:
            yield _entry(doc, url, fm.key_offset(path[0]), fm.key_offset(path[0]), False, where)
            continue
        at = doc.text.find(url, span.value_start, span.value_end)
        if at >= 0:
            yield _entry(doc, url, at, at + len(url), True, where)
        else:  # written with escapes: point at the value, offer no fix
            yield _entry(doc, url, span.value_start, span.value_end, False, where)


def _html_urls(doc: Any, node: Any) -> Iterator[dict[str, Any]]:
    raw = _blank_comments(doc.text[node.start : node.end])
    # (a tag ends at a ">": none is looked for past the last one, where each "<a " would
    # otherwise be tried to the end of the block)
    for tag in _TAG.finditer(raw, 0, raw.rfind(">") + 1):
        if not tag.group(2):
            continue
        for attr in _ATTR.finditer(tag.group(2)):
            name = attr.group(1).lower()
            group = next(g for g in (2, 3, 4) if attr.group(g) is not None)
            value = attr.group(group)
            if name not in _URL_ATTRS or not absolute(value):
                continue
            start = node.start + tag.start(2) + attr.start(group)
            url = _entities(value)
            yield _entry(doc, url, start, start + len(value), url == value, f"<{tag.group(1).lower()} {name}>")


def _blank_comments(raw: str) -> str:
    """``raw`` with each ``<!-- -->`` comment replaced by spaces (offsets kept). Two searches per
    comment: ``<!--.*?-->`` tried every ``<!--`` of a block with no ``-->`` to its end."""
    if "<!--" not in raw:
        return raw
    parts = []
    pos = 0
    while True:
        a = raw.find("<!--", pos)
        b = raw.find("-->", a + 4) if a >= 0 else -1
        if b < 0:
            parts.append(raw[pos:])
            return "".join(parts)
        parts.append(raw[pos:a])
        parts.append(" " * (b + 3 - a))
        pos = b + 3


def _template_urls(doc: Any, node: Any) -> Iterator[dict[str, Any]]:
    if node.level == 1:  # a closing shortcode has no parameters
        return
    raw = doc.text[node.start : node.end]
    kind = "shortcode" if node.kind == "shortcode" else "Liquid tag"
    for m in _PARAM_URL.finditer(raw):
        group = 2 if m.group(2) else 3
        url = m.group(group) if group == 2 else m.group(group).rstrip("%")  # not the % of a closing %}
        start = node.start + m.start(group)
        yield _entry(doc, url, start, start + len(url), True, f"{kind} {node.text}")


def extract(doc: Any) -> list[dict[str, Any]]:
    """The ``external_urls`` fact: URLs outside Markdown links, each with its position.

    Front matter fields whose whole value is a URL (except the page's own ``url``,
    ``permalink`` and ``canonical*``), ``src``/``href``/``poster``/``data`` attributes of raw
    HTML (comments skipped), and URLs in shortcode and Liquid parameters (``{{< figure
    src="https://..." >}}``; ``{{< youtube id >}}`` has none). Code is never read.
    """
    # Walking every front matter value costs more than the rest; an absolute URL needs "//"
    # or "www." in the block as written, unless an escape or entity spells it.
    fm = doc.front_matter
    block = doc.text[fm.content_start : fm.content_end] if fm is not None else ""
    if "//" in block or "\\" in block or "&" in block or "www." in block.lower():
        out = list(_front_matter_urls(doc))
    else:
        out = []
    for node in doc.nodes("html_block", "html_inline"):
        out.extend(_html_urls(doc, node))
    for node in doc.nodes("shortcode", "liquid"):
        out.extend(_template_urls(doc, node))
    return out


@dataclass(frozen=True)
class Use:
    """One place in the content that uses an external URL."""

    path: str
    written: str  # the URL as in the source
    key: str  # what is checked and cached: normalised, without the fragment
    fragment: str
    pos: Pos  # of the URL itself
    span: tuple[int, int] | None  # offsets of the URL, when a fix may replace it
    where: str  # "link", "image", "front matter cover.image", "<iframe src>", ...
    scheme: bool  # the source spells http:// or https:// (not //host or www.host)

    @property
    def https_twin(self) -> str | None:
        """The https:// spelling of an http:// URL (its key), or None."""
        if not self.scheme or not self.written.lower().startswith("http://"):
            return None
        return split_key("https://" + self.key[len("http://") :])[0]


def collect(pages: Iterable[dict[str, Any]]) -> list[Use]:
    """Every use of an external URL in the facts of these pages, each place once."""
    out: list[Use] = []
    for facts in pages:
        path = facts.get("path", "")
        seen: set[tuple[Any, ...]] = set()
        items: list[tuple[str, Any, Any, str]] = []
        for link in facts.get("links") or ():
            span = tuple(link["url_span"]) if link.get("url_span") and link["url_span"][0] >= 0 else None
            # (an autolink's url is its href, https://www.x for www.x: the written text is its text)
            written = link["text"] if link["kind"] == "autolink" else link["url"]
            items.append((written, link["url_pos"], span, link["kind"]))
        for item in facts.get("external_urls") or ():
            items.append((item["url"], item["pos"], item["span"], item["where"]))
        for written, pos, span, where in items:
            url = absolute(written)
            if url is None or (path, tuple(pos), written) in seen:
                continue
            seen.add((path, tuple(pos), written))
            key, fragment = split_key(url)
            scheme = written.strip().lower().startswith(("http://", "https://"))
            out.append(Use(path, written, key, fragment, tuple(pos), span, where, scheme))  # type: ignore[arg-type]
    return out


# --------------------------------------------------------------------------- cache
def cache_path() -> str:
    from blogtools.lint.cache import cache_dir

    return os.path.join(cache_dir(), f"links-v{CACHE_VERSION}.json")


class LinkCache:
    """What each URL answered, and when. Good results live ``ttl_ok``, failures ``ttl_error``.

    An entry: ``{"kind": "ok"|"broken", "status": 404, "reason": "404 Not Found",
    "final": URL, "chain": [[URL, status], ...], "checked": epoch seconds,
    "anchors": {fragment: true|false|null} or absent}``. Saving merges with what another
    process wrote in the meantime and replaces the file atomically.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path or cache_path()
        self.entries: dict[str, dict[str, Any]] = self._load()
        self.fresh: dict[str, dict[str, Any]] = {}

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str, now: float, ttl_ok: float, ttl_error: float, stale: bool = False) -> dict[str, Any] | None:
        entry = self.entries.get(key)
        if entry is None or stale:
            return entry
        ttl = ttl_ok if entry.get("kind") == "ok" else ttl_error
        return entry if now - entry.get("checked", 0) < ttl else None

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.entries[key] = entry
        self.fresh[key] = entry

    def save(self, now: float, keep: float) -> None:
        """Write the new entries; entries older than ``keep`` seconds are dropped."""
        if not self.fresh:
            return
        merged = self._load()
        merged.update(self.fresh)
        merged = {k: v for k, v in merged.items() if now - v.get("checked", 0) < keep}
        tmp = None
        try:
            folder = os.path.dirname(self.path)
            os.makedirs(folder, exist_ok=True)
            import tempfile

            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": CACHE_VERSION, "entries": merged}, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
            return  # a cache that cannot be written only costs time
        self.entries = merged
        self.fresh = {}


# --------------------------------------------------------------------------- one request
@dataclass
class Settings:
    """The ``links.*`` options, read by the rules (see ``docs/external-links.md``)."""

    timeout: float = 10.0
    per_host: int = 2
    rate: float = 5.0
    retries: int = 2
    concurrency: int = 16
    ttl_ok: float = 7 * DAY
    ttl_error: float = DAY
    exclude: tuple[str, ...] = ()
    skip_reserved: bool = True
    check_anchors: bool = False
    offline: bool = False


@dataclass
class Attempt:
    """What one request (with its redirects) answered."""

    status: int | None  # of the last response; None when there was none
    reason: str
    problem: str = ""  # "", dns, timeout, tls, refused, reset, redirects, error (other), internal
    chain: list[tuple[str, int]] = field(default_factory=list)  # every response: (URL, status)
    retry_after: float | None = None
    anchors: set[str] | None = None  # ids and names on the page, when asked and HTML

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def retryable(self) -> bool:
        return self.status == 429 or (self.status is not None and self.status >= 500) or self.problem == "reset"


class _Hops:
    """A linkchecker connection plugin: records every response, redirects included."""

    def __init__(self) -> None:
        self.chain: list[tuple[str, int]] = []
        self.retry_after: str | None = None

    def applies_to(self, url_data: Any, **kwargs: Any) -> bool:
        return getattr(url_data, "url_connection", None) is not None

    def check(self, url_data: Any) -> None:
        response = url_data.url_connection
        self.chain.append((url_data.url, response.status_code))
        self.retry_after = response.headers.get("Retry-After")


class _Anchors:
    """A linkchecker content plugin: collects the ``id``s and ``<a name>``s of an HTML page
    with linkchecker's own parser (the one its AnchorCheck plugin uses)."""

    def __init__(self) -> None:
        self.found: set[str] | None = None

    def applies_to(self, url_data: Any, **kwargs: Any) -> bool:
        return url_data.is_html()

    def check(self, url_data: Any) -> None:
        from linkcheck.htmlutil import linkparse

        found: set[str] = set()
        linkparse.find_links(url_data.get_soup(), lambda url, **where: found.add(url), linkparse.AnchorTags)
        self.found = found


class _Sink:
    """Takes the result linkchecker logs (we read the url_data object itself)."""

    def log_url(self, url_data: Any) -> None:
        pass


_LC_LOCK = threading.Lock()
_LC: dict[str, Any] = {}
MISSING = "external links are checked with linkchecker, which is not installed: pip install 'blogtools[links]'"


def missing_linkchecker() -> bool:
    """Did a check in this process need linkchecker and find it missing?"""
    return bool(_LC.get("missing"))


def _linkcheck(settings: Settings) -> Any:
    """linkchecker's configuration for our requests (imported on first use)."""
    with _LC_LOCK:
        if "modules" not in _LC:
            import logging

            try:
                import linkcheck  # noqa: F401
            except ImportError:
                _LC["missing"] = True  # (for `blogtools links`: one line and exit 2, see missing_linkchecker)
                raise RuntimeError(MISSING) from None
            import linkcheck.checker
            import linkcheck.configuration
            import linkcheck.director
            from linkcheck.director import checker as director_checker

            logging.getLogger("linkcheck").setLevel(logging.CRITICAL)  # we report; it need not
            _LC["modules"] = (linkcheck, director_checker)
        linkcheck, _ = _LC["modules"]
        config = linkcheck.configuration.Configuration()
        config.update({
            "recursionlevel": 0, "threads": 0, "status": False, "robotstxt": False,
            "checkextern": True, "verbose": True, "timeout": settings.timeout,
            "useragent": user_agent(),
        })
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
        if bundle:
            config["sslverify"] = bundle
        else:
            config.sanitize_ssl()
        config.sanitize_plugins()
        return config


def user_agent() -> str:
    from blogtools import __version__

    try:
        from linkcheck.configuration import Version
    except ImportError:  # pragma: no cover
        Version = "?"
    return f"Mozilla/5.0 (compatible; blogtools/{__version__}; LinkChecker/{Version}; external link check)"


def request(url: str, config: Any, anchors: bool) -> Attempt:
    """One check of ``url`` through linkchecker: GET, headers only unless ``anchors``."""
    linkcheck, director_checker = _LC["modules"]
    aggregate = linkcheck.director.get_aggregate(config)  # per request: no result cache, no shared state
    hops, found = _Hops(), _Anchors()
    aggregate.plugin_manager.connection_plugins.append(hops)
    if anchors:
        aggregate.plugin_manager.content_plugins.append(found)
    aggregate.add_request_session()
    url_data = linkcheck.checker.get_url_from(url, 0, aggregate, extern=(0, 0))
    try:
        director_checker.check_url(url_data, _Sink())
    except Exception as exc:  # noqa: BLE001 - linkchecker's own failure is this URL's problem
        return Attempt(None, f"internal error in linkchecker: {type(exc).__name__}: {exc}", "internal")
    return _attempt_from(url_data, hops, found, config["timeout"])


def _attempt_from(url_data: Any, hops: _Hops, found: _Anchors, timeout: float) -> Attempt:
    from http import HTTPStatus

    chain = hops.chain
    if chain and (url_data.valid or chain[-1][1] >= 400):
        status = chain[-1][1]
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        return Attempt(status, f"{status} {phrase}".strip(), "", list(chain), _retry_after(hops.retry_after),
                       found.found)
    problem, reason = classify_error(str(url_data.result), timeout)
    return Attempt(None, reason, problem, list(chain))


_ERRORS = (
    ("dns", ("NameResolutionError", "Name or service not known", "nodename nor servname", "getaddrinfo failed",
             "Failed to resolve", "Hostname not found", "No address associated", "gaierror")),
    ("timeout", ("ConnectTimeout", "ReadTimeout", "timed out", "Timeout")),
    ("tls", ("SSLError", "SSL:", "CERTIFICATE_VERIFY_FAILED", "certificate")),
    ("refused", ("Connection refused", "ConnectionRefused")),
    ("reset", ("Connection reset", "RemoteDisconnected", "Connection aborted", "ConnectionResetError")),
    ("redirects", ("TooManyRedirects", "Exceeded")),
)


def classify_error(text: str, timeout: float) -> tuple[str, str]:
    """(problem, reason) from linkchecker's result text for a request without a response."""
    for problem, needles in _ERRORS:
        if any(n in text for n in needles):
            break
    else:
        return "error", text[:160]
    if problem == "dns":
        return problem, "DNS lookup failed"
    if problem == "timeout":
        return problem, f"no answer within {timeout:g} s"
    if problem == "tls":
        m = re.search(r"certificate verify failed: ([^()\"']+)", text)
        return problem, "TLS error: " + (f"certificate verify failed: {m.group(1).strip()}" if m else text[:120])
    return problem, {"refused": "connection refused", "reset": "connection reset by the server",
                     "redirects": "too many redirects"}[problem]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    import email.utils

    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# --------------------------------------------------------------------------- scheduling
class _Host:
    def __init__(self) -> None:
        self.queue: deque[tuple[str, int]] = deque()  # (url, tries so far)
        self.active = 0
        self.next_start = 0.0  # request starts are 1/rate apart; a pause moves this on
        self.offered = False  # in the ready heap


class _Scheduler:
    """Hands URLs to the worker threads. Per host: at most ``per_host`` requests in flight,
    starts ``1/rate`` seconds apart, and a pause when the host answers 429 or sends
    ``Retry-After``. Any host that may start a request is served, so a slow or paused host
    never holds a worker. Other retries wait in a timer heap without blocking anyone."""

    def __init__(self, urls: Iterable[str], settings: Settings) -> None:
        self.cond = threading.Condition()
        self.per_host = max(1, settings.per_host)
        self.gap = 1.0 / settings.rate if settings.rate > 0 else 0.0
        hosts: dict[str, _Host] = {}
        for url in urls:
            hosts.setdefault(host_of(url), _Host()).queue.append((url, 0))
        self.remaining = sum(len(h.queue) for h in hosts.values())
        self.ready: list[tuple[float, int, _Host]] = []
        self.timers: list[tuple[float, int, _Host, tuple[str, int]]] = []
        self.seq = itertools.count()
        for host in sorted(hosts.values(), key=lambda h: -len(h.queue)):  # the longest first
            self._offer(host, 0.0)

    def _offer(self, host: _Host, at: float) -> None:
        if host.queue and host.active < self.per_host and not host.offered:
            host.offered = True
            heapq.heappush(self.ready, (max(at, host.next_start), next(self.seq), host))

    def take(self) -> tuple[_Host, tuple[str, int]] | None:
        """The next (host, job) to request now, waiting as needed; None when all are done."""
        with self.cond:
            while True:
                now = time.monotonic()
                while self.timers and self.timers[0][0] <= now:
                    _, _, host, job = heapq.heappop(self.timers)
                    host.queue.appendleft(job)
                    self._offer(host, now)
                if self.ready and self.ready[0][0] <= now:
                    host = heapq.heappop(self.ready)[2]
                    host.offered = False
                    if host.next_start > now:  # paused after it was offered
                        self._offer(host, host.next_start)
                    elif host.queue and host.active < self.per_host:
                        host.active += 1
                        host.next_start = now + self.gap
                        job = host.queue.popleft()
                        self._offer(host, host.next_start)
                        return host, job
                    continue
                if self.remaining == 0:
                    return None
                waits = [heap[0][0] - now for heap in (self.ready, self.timers) if heap]
                self.cond.wait(min(waits) if waits else None)

    def done(self, host: _Host, job: tuple[str, int], retry_in: float | None, pause: bool) -> None:
        """A request finished: final (``retry_in`` None), or to be retried after ``retry_in``
        seconds, pausing the whole host when it asked for it."""
        with self.cond:
            now = time.monotonic()
            host.active -= 1
            if retry_in is None:
                self.remaining -= 1
            elif pause:
                host.next_start = max(host.next_start, now + retry_in)
                host.queue.appendleft(job)
            else:
                heapq.heappush(self.timers, (now + retry_in, next(self.seq), host, job))
            self._offer(host, now)
            self.cond.notify_all()


def retry_in(attempt: Attempt, tries: int, settings: Settings) -> tuple[float | None, bool]:
    """(seconds to wait before trying again or None to stop, whether to pause the host)."""
    if not attempt.retryable or tries > settings.retries:
        return None, False
    delay = attempt.retry_after if attempt.retry_after is not None else BACKOFF * 2 ** (tries - 1)
    if delay > MAX_RETRY_AFTER:
        return None, False  # left for the next run rather than holding CI
    return delay, attempt.retry_after is not None or attempt.status == 429


Requester = Callable[[str, Any, bool], Attempt]


def check_urls(urls: dict[str, bool], settings: Settings, progress: "Progress | None" = None,
               requester: Requester | None = None) -> dict[str, tuple[Attempt, int]]:
    """Check each URL (value: whether its anchors are wanted) with ``concurrency`` worker
    threads; returns (last attempt, number of requests) per URL."""
    requester = requester or request
    config = _linkcheck(settings) if requester is request else None
    scheduler = _Scheduler(urls, settings)
    results: dict[str, tuple[Attempt, int]] = {}

    def work() -> None:
        while (item := scheduler.take()) is not None:
            host, (url, tries) = item
            try:
                attempt = requester(url, config, urls[url])
            except Exception as exc:  # noqa: BLE001 - one URL's failure must not stop the others
                attempt = Attempt(None, f"internal error: {type(exc).__name__}: {exc}", "internal")
            wait, pause = retry_in(attempt, tries + 1, settings)
            if wait is None:
                results[url] = (attempt, tries + 1)
                if progress is not None:
                    progress.advance()
            scheduler.done(host, (url, tries + 1), wait, pause)

    workers = [threading.Thread(target=work, daemon=True) for _ in range(max(1, min(settings.concurrency, len(urls))))]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return results


# --------------------------------------------------------------------------- progress
class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal and not in CI."""

    WIDTH = 28

    def __init__(self, total: int, label: str, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        self.lock = threading.Lock()
        self.last = 0.0
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = total > 0 and bool(isatty and isatty()) and not os.environ.get("CI")
        self._draw(force=True)

    def advance(self) -> None:
        with self.lock:
            self.done += 1
            self._draw(force=self.done == self.total)

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (len(self.label) + self.WIDTH + 24) + "\r")
            self.stream.flush()


# --------------------------------------------------------------------------- the session
_LAST: dict[str, Any] = {}


def last_session() -> "LinkSession | None":
    """The session created last in this process (the rules of a run share one)."""
    return _LAST.get("session")


class LinkSession:
    """Results for URL keys: from this run, else the cache (within its TTL), else the network.

    Offline, the cache answers whatever the age of its entries, and a URL it does not know is
    left unchecked (counted in :attr:`not_checked`, never reported).
    """

    def __init__(self, settings: Settings, cache: LinkCache | None = None,
                 requester: Requester | None = None) -> None:
        _LAST["session"] = self  # (what `blogtools links` reports about the run: last_session)
        self.settings = settings
        self.cache = cache if cache is not None else LinkCache()
        self.requester = requester
        self.results: dict[str, dict[str, Any]] = {}
        self.not_checked: set[str] = set()
        self.unverified: set[str] = set()
        self.requests = 0

    def wanted(self, uses: Iterable[Use]) -> dict[str, set[str]]:
        """Keys to look up for these uses (excluded ones left out), with fragments to verify."""
        out: dict[str, set[str]] = {}
        s = self.settings
        for use in uses:
            if excluded(use.key, s.exclude, s.skip_reserved):
                continue
            frags = out.setdefault(use.key, set())
            if s.check_anchors and anchor_worth_checking(use.key, use.fragment):
                frags.add(use.fragment)
        return out

    def _covers(self, entry: dict[str, Any], fragments: set[str]) -> bool:
        if not fragments or entry.get("kind") != "ok":
            return True
        anchors = entry.get("anchors") or {}
        return all(f in anchors for f in fragments)

    def lookup(self, wanted: dict[str, set[str]], label: str = "Checking external links") -> dict[str, dict[str, Any]]:
        s = self.settings
        now = time.time()
        todo: dict[str, set[str]] = {}
        unknown = len(self.not_checked)
        for key, frags in wanted.items():
            known = self.results.get(key)
            if known is not None and (key in self.unverified or self._covers(known, frags)):
                continue
            entry = self.cache.get(key, now, s.ttl_ok, s.ttl_error, stale=s.offline)
            if entry is not None and (s.offline or self._covers(entry, frags)):
                self.results[key] = entry
            elif s.offline:
                self.not_checked.add(key)
            else:
                todo[key] = frags
        if todo:
            self._check(todo, label)
        if len(self.not_checked) > unknown:
            n = len(self.not_checked) - unknown
            print(f"blogtools: offline: {n} external URL{'s' if n != 1 else ''} not in the cache, not checked",
                  file=sys.stderr)
        return {k: self.results[k] for k in wanted if k in self.results}

    def _check(self, todo: dict[str, set[str]], label: str) -> None:
        s = self.settings
        progress = Progress(len(todo), label)
        try:
            done = check_urls({k: bool(f) for k, f in todo.items()}, s, progress, self.requester)
        finally:
            progress.close()
        now = time.time()
        unverified = 0
        for key, (attempt, tries) in done.items():
            self.requests += tries
            entry = entry_from(attempt, now, todo[key])
            self.results[key] = entry
            if entry["kind"] == "unverified":
                self.unverified.add(key)
                unverified += 1
                continue
            self.cache.put(key, entry)
            final = split_key(entry["final"])[0]
            if entry["kind"] == "ok" and final != key and final not in self.cache.entries:
                self.cache.put(final, {**entry, "chain": [[entry["final"], entry["status"]]], "anchors": None})
        self.cache.save(now, max(s.ttl_ok, s.ttl_error, 30 * DAY))
        if unverified:
            print(f"blogtools: {unverified} external URL{'s' if unverified != 1 else ''} could not be verified"
                  " (rate limited or the check failed); not cached, checked again next run", file=sys.stderr)


def entry_from(attempt: Attempt, now: float, fragments: set[str]) -> dict[str, Any]:
    """The cache entry for an attempt (``kind`` ok, broken or unverified)."""
    if attempt.ok:
        kind = "ok"
    elif attempt.status == 429 or attempt.problem == "internal":
        kind = "unverified"
    else:
        kind = "broken"
    entry: dict[str, Any] = {
        "kind": kind, "status": attempt.status, "reason": attempt.reason, "problem": attempt.problem,
        "final": attempt.chain[-1][0] if attempt.chain else "", "chain": [list(h) for h in attempt.chain],
        "checked": now,
    }
    if fragments and kind == "ok":
        page = attempt.anchors
        entry["anchors"] = {f: (None if page is None else anchor_on_page(f, page)) for f in fragments}
    return entry


def anchor_on_page(fragment: str, anchors: set[str]) -> bool:
    """Whether a fragment names an element (GitHub prefixes rendered ids with ``user-content-``)."""
    name = unquote(fragment)
    return name in anchors or fragment in anchors or f"user-content-{name}" in anchors


# --------------------------------------------------------------------------- redirects
PERMANENT = (301, 308)


def permanent_target(entry: dict[str, Any]) -> tuple[str, int, int] | None:
    """Where a link should point after its leading permanent redirects: (URL, first status, hops).

    ``301 → 301 → 200`` gives the final URL; ``301 → 302 → 200`` the 302's URL (the moved
    address; what follows is temporary); ``302 → ...`` gives None. Only for a good final answer.
    """
    chain = entry.get("chain") or []
    if entry.get("kind") != "ok" or len(chain) < 2 or chain[0][1] not in PERMANENT:
        return None
    hops = 0
    while hops + 1 < len(chain) and chain[hops][1] in PERMANENT:
        hops += 1
    return chain[hops][0], chain[0][1], hops


def fixed_url(written: str, target: str, fragment: str) -> str | None:
    """The replacement for a redirected URL, or None when it cannot be written safely.

    The original fragment is kept when the target has none; percent-encoded non-ASCII is
    decoded back when the author wrote non-ASCII; a gate (the old URL in the target's query,
    as login pages do) is not a move.
    """
    parts = urlsplit(target)
    if written.split("#")[0] and (quote(written.split("#")[0], safe="") in parts.query
                                  or written.split("#")[0] in unquote(parts.query)):
        return None
    new = urlunsplit(parts._replace(fragment=parts.fragment or fragment))
    if any(ord(c) > 127 for c in written):
        new = re.sub(r"(?:%[0-9A-Fa-f]{2})+", _decode_utf8, new)
    new = new.replace("(", "%28").replace(")", "%29") if new.count("(") != new.count(")") else new
    if any(c in new for c in " \t\r\n\"'<>\\`"):
        return None
    return new


def _decode_utf8(m: re.Match[str]) -> str:
    raw = m.group(0)
    try:
        text = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return raw
    return text if all(ord(c) > 127 for c in text) else raw
