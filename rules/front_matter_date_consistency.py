"""BT107: dates that contradict each other, the clock, or the date in the file or bundle name."""

from __future__ import annotations

import datetime as _dt
import os
import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.fmedit import parse_date_text
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import find_key, loaded, report_span, zone

_MODIFIED = ("lastmod", "updated", "last_modified_at", "modified")
_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")
_INDEX = ("index", "_index")


def _value(raw: Any) -> _dt.date | None:
    if isinstance(raw, str):
        parsed = parse_date_text(raw)
        return parsed[0] if parsed else None
    return raw if isinstance(raw, _dt.date) else None


def _instant(value: _dt.date, tz: Any) -> _dt.datetime:
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo is not None else value.replace(tzinfo=tz or _dt.timezone.utc)


def name_date(path: str) -> tuple[_dt.date, str] | None:
    """The date a post's file name (or its bundle folder's) starts with, and that name."""
    stem = os.path.splitext(os.path.basename(path))[0]
    name = os.path.basename(os.path.dirname(path)) if stem in _INDEX else stem
    m = _NAME_DATE.match(name)
    if m is None:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), name
    except ValueError:
        return None


def _naive(value: _dt.date) -> bool:
    """Written without an offset (a date, or a time without a zone)."""
    return not isinstance(value, _dt.datetime) or value.tzinfo is None


def _bounds(value: _dt.date, when: _dt.datetime, unknown: bool) -> tuple[_dt.datetime, _dt.datetime]:
    """The earliest and latest instant ``value`` may be: itself, unless it has no offset and
    the zone it is read in is unknown (a local time is UTC-12..UTC+14 away from UTC)."""
    if unknown and _naive(value):
        return when - _dt.timedelta(hours=14), when + _dt.timedelta(hours=12)
    return when, when


def _file_dates(site: Any) -> bool:
    """Whether Hugo reads a date from the file name at all, so that a different one in the
    front matter contradicts it: only when ``frontmatter.date`` lists ``:filename``. (Jekyll
    takes the front matter's date over the file name's: a day written differently there is
    on purpose, and only a day the site's ``timezone`` moves is reported.)"""
    if getattr(site, "generator", "") != "hugo":
        return False
    order = site.setting("frontmatter.date", None)
    return isinstance(order, list) and any(str(v).lower() == ":filename" for v in order)


class FrontMatterDateConsistency(Rule):
    """Dates that contradict each other, the clock, or the file name.

    What it does
        Reports ``lastmod`` (or ``updated``, ``last_modified_at``, ``modified``) on a day
        before ``date``'s (minutes earlier on the same day, an import's artefact, shows
        nothing: themes show the day); a ``date`` in the future on a post that is not a draft; and a
        ``date`` whose day differs from the date the file or bundle folder is named after
        (``2018-07-15_slug/index.md``, Jekyll's ``2018-07-15-title.md``) where that matters:
        in Hugo only when ``frontmatter.date`` reads ``:filename`` (else the name's date is
        just text); in Jekyll only when the site's ``timezone`` moves the day written (a
        different day written in the front matter is Jekyll's documented way to change a
        post's date, and the harness judged all 29 such findings on one blog noise). Values without an
        offset are read in the site's time zone (Hugo's ``timeZone``, UTC when unset;
        Jekyll's ``timezone``), and a day matches when it matches as written or in the
        site's time zone. A Jekyll site without ``timezone`` reads them in the zone of the
        machine that builds it, which cannot be known: only what holds in every zone is
        reported. A Jekyll site with ``future: true`` publishes future posts.

    Why it matters
        Hugo does not publish a future-dated post (without ``buildFuture``): it silently
        disappears from the build. A ``lastmod`` before ``date`` shows "updated" before
        "published". A bundle named ``2018-07-15`` whose ``date`` says the 16th breaks links
        that people write from the folder name, and Jekyll takes the date from the name
        when the front matter has none.

    Example
        In ``content/posts/2018-07-15_mlct-5/index.md``::

            date: 2018-07-16T09:31:28+09:00
            lastmod: 2018-07-01T10:00:00+09:00

    Use instead
        ::

            date: 2018-07-15T09:31:28+09:00
            lastmod: 2019-06-16T18:18:12+09:00

    Fix safety
        No automatic fix: which of the two dates is right is the author's call.
    """

    code = "BT107"
    name = "front-matter-date-consistency"
    summary = "lastmod is before date, date is in the future, or date disagrees with the file or bundle name"
    severity = "warning"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        key = find_key(fm.data, "date")
        date = _value(fm.data[key]) if key is not None else None
        if key is None or date is None:
            return
        tz = memo(self, site, "zone", lambda: zone(site))
        jekyll = getattr(site, "generator", "") == "jekyll"
        # Jekyll without ``timezone`` reads a date without offset in the clock's zone of the
        # machine that builds: that instant is known only to within UTC-12..UTC+14.
        unknown = jekyll and tz is None
        when = _instant(date, tz)
        low = _bounds(date, when, unknown)[0]
        for other in fm.data:
            if isinstance(other, str) and other.lower() in _MODIFIED:
                modified = _value(fm.data[other])
                if modified is None:
                    continue
                then = _instant(modified, tz)
                if unknown and _naive(modified) and _naive(date):
                    before = then.date() < when.date()  # (both in the same unknown zone)
                else:
                    shown = tz or _dt.timezone.utc  # (the day a theme shows, in the site's zone)
                    before = _bounds(modified, then, unknown)[1] < low and \
                        (unknown or then.astimezone(shown).date() < when.astimezone(shown).date())
                if before:
                    yield self.diagnostic(doc, *report_span(doc, fm, (other,)),
                                          f"{other!r} ({modified.isoformat()}) is before {key!r} ({date.isoformat()})")
        if low > memo(self, site, "now", lambda: _dt.datetime.now(_dt.timezone.utc)) \
                and not self._unpublished(fm.data) and not (jekyll and site.setting("future", False) is True):
            yield self.diagnostic(doc, *report_span(doc, fm, (key,)),
                                  f"{key!r} is in the future ({date.isoformat()}) on a post that is not a draft: "
                                  "it is not published until then")
        named = name_date(doc.path) if _NAME_DATE.search(doc.path) and (jekyll or _file_dates(site)) else None
        if named is not None:
            day, name = named
            local = when.astimezone(tz).date() if tz is not None else None
            written = date.date() if isinstance(date, _dt.datetime) else date
            utc = when.astimezone(_dt.timezone.utc)
            if unknown and not _naive(date) and (utc - _dt.timedelta(hours=12)).date() <= day \
                    <= (utc + _dt.timedelta(hours=14)).date():
                pass  # the day in the (unknown) zone of the build machine may well be the file's
            elif jekyll and day not in (written, utc.date()):
                pass  # another day written on purpose: Jekyll takes the front matter's (the URL says so)
            elif day not in (written, local):
                where = "folder" if os.path.splitext(os.path.basename(doc.path))[0] in _INDEX else "file"
                yield self.diagnostic(doc, *report_span(doc, fm, (key,)),
                                      f"{key!r} is {written.isoformat()} but the {where} name {name[:40]!r} "
                                      f"says {day.isoformat()}")

    @staticmethod
    def _unpublished(data: dict[str, Any]) -> bool:
        draft = find_key(data, "draft")
        published = find_key(data, "published")
        if draft is not None and (data[draft] is True or str(data[draft]).lower() == "true"):
            return True
        return published is not None and (data[published] is False or str(data[published]).lower() == "false")
