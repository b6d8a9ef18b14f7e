"""BT106: a front matter date that cannot be read, has no UTC offset, or is not in the site's style."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.fmedit import DATE_KEYS, date_literal, in_style, parse_date_text
from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import loaded, report_span, value_span, zone

STYLE = Option("dates.style", "any", "how dates are written: rfc3339 (2018-07-15T09:31:28+09:00), jekyll "
               "(2018-07-15 09:31:28 +0900) or any (the default: only dates the generator misreads are "
               "reported)", type=str, choices=("rfc3339", "jekyll", "any"))
_STYLE_NAME = {"rfc3339": "RFC 3339", "jekyll": "Jekyll's style"}


class FrontMatterDateFormat(Rule):
    """A date that cannot be read, lacks a UTC offset, or is not written in the site's style.

    What it does
        Checks ``date``, ``lastmod``, ``publishDate``, ``expiryDate``, ``updated``,
        ``last_modified_at`` (any case): a string no generator reads as a date is an error,
        ``2019/10/29`` (which Hugo cannot read) is an error; a date-time without offset on a
        Hugo site without ``timeZone`` is a warning. (Jekyll reads one as UTC and writes the
        post's day in the building machine's zone: GitHub Pages and CI build in UTC, where
        the written day stays, so on a Jekyll site without ``timezone`` nothing is said.) With ``dates.style`` set (``rfc3339`` or
        ``jekyll``; opt-in), any other date not written in that style (e.g.
        ``"2021-04-18 10:00:00 +0900"`` under ``rfc3339``) is reported with a fix; by
        default (``any``) a date the generator reads correctly is never reported: on real
        blogs 228 of 231 style findings were dates Hugo reads fine. A date alone
        (``2021-08-03``) is a calendar day and passes.

    Why it matters
        Hugo reads a date-time without offset in ``timeZone``, UTC by default: a post
        written at 01:00 in Tokyo lands on the previous day and may be "in the future" at
        build time. Five spellings of one date defeat every script and ``grep`` over the
        front matter.

    Example
        ::

            date: "2021-04-18 10:00:00 +0900"
            lastmod: 2021/05/01

    Use instead
        ::

            date: 2021-04-18T10:00:00+09:00
            lastmod: 2021-05-01

    Fix safety
        Safe when the instant is unchanged: the same date-time with the same offset is
        rewritten in the configured style (milliseconds kept). Unsafe when an offset is
        filled in from the site's ``timeZone`` or ``YYYY/MM/DD`` is rewritten with dashes
        (the generator did not read it before). No fix for an unreadable date, or a
        missing offset on a site without ``timeZone``.

    Options
        ``dates.style``: ``any`` (default: no style check), ``rfc3339`` or ``jekyll``.
    """

    code = "BT106"
    name = "front-matter-date"
    summary = "A front matter date is unreadable, has no UTC offset, or is not in the site's style"
    severity = "warning"
    fixable = "sometimes"
    options = (STYLE,)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        for key, value in fm.data.items():
            if isinstance(key, str) and key.lower() in DATE_KEYS and value is not None:
                yield from self._one(doc, fm, site, key, value)

    def _one(self, doc: Document, fm: Any, site: Any, key: str, value: Any) -> Iterator[Diagnostic]:
        span = value_span(doc, fm, (key,))
        style = memo(self, site, "style", lambda: self.option("dates.style"))
        if span is not None and style != "any" and (isinstance(value, _dt.datetime) and value.tzinfo is not None
                                                    or type(value) is _dt.date or fm.format == "json") \
                and in_style(doc.text, style, fm.format, *span):
            return  # the common case: a date already written in the site's style
        where = report_span(doc, fm, (key,))
        slashes = False
        jekyll = getattr(site, "generator", "") == "jekyll"
        if jekyll and isinstance(value, str):
            # Jekyll reads a date string with Ruby's Time.parse: "December 15, 2020",
            # "2019/10/29", "2015-06-01 10:00 EDT" are all dates there
            from blogtools.generators.jekyll import parse_time

            read = parse_time(value, _dt.timezone.utc)
            if read is None:
                yield self.diagnostic(doc, *where, f"{key!r} cannot be read as a date: {value!r} (Jekyll reads "
                                      "dates with Ruby's Time.parse, and stops the build on this one)",
                                      severity="error")
            return  # (a readable string: its offset, if any, is Ruby's business; no style check)
        if isinstance(value, str):
            parsed = parse_date_text(value)
            if parsed is None:
                yield self.diagnostic(doc, *where, f"{key!r} cannot be read as a date: {value!r}", severity="error")
                return
            value, slashes = parsed
        elif not isinstance(value, _dt.date):
            yield self.diagnostic(doc, *where, f"{key!r} should be a date, not a {type(value).__name__}",
                                  severity="error")
            return
        if slashes:
            fix = self._fix(span, value, "rfc3339" if style == "any" else style, fm.format, "write it with dashes",
                            safe=False)
            yield self.diagnostic(doc, *where, f"{key!r} is written YYYY/MM/DD, which Hugo cannot read", fix,
                                  severity="error")
            return
        if isinstance(value, _dt.datetime) and value.tzinfo is None:
            tz = zone(site)
            if tz is None:
                if jekyll:
                    return  # read as UTC, where GitHub Pages and CI build: the written day stays
                yield self.diagnostic(doc, *where, f"{key!r} has no UTC offset and the site sets no timeZone: "
                                      "it is read as UTC, which can move the post to another day")
                return
            fixed = value.replace(tzinfo=_dt.timezone(value.replace(tzinfo=tz).utcoffset() or _dt.timedelta(0)))
            fix = self._fix(span, fixed, "rfc3339" if style == "any" else style, fm.format,
                            f"add the offset of {site.setting('timeZone')}", safe=False)
            yield self.diagnostic(doc, *where, f"{key!r} has no UTC offset (read in {site.setting('timeZone')}): "
                                  "write the offset so the instant does not depend on the config", fix)
            return
        if style == "any" or span is None:
            return
        text = doc.text[span[0] : span[1]]
        if not in_style(text, style, fm.format):
            fix = self._fix(span, value, style, fm.format, f"write it in {_STYLE_NAME[style]}", safe=True)
            yield self.diagnostic(doc, *where, f"{key!r} is not written in {_STYLE_NAME[style]}: {text}", fix)

    @staticmethod
    def _fix(span: tuple[int, int] | None, value: _dt.date, style: str, fmt: str, what: str, safe: bool) -> Fix | None:
        if span is None:
            return None
        return Fix((Edit(span[0], span[1], date_literal(value, style, fmt)),), safe=safe, description=what)
