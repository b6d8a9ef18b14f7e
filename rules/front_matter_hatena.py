"""BT120: a Hatena Blog (blogsync) header that Hatena or blogsync would read wrongly."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.rulesupport.frontmatter import loaded, render, report_span, value_span

_SPACE = " \t\r\n\u3000"


class HatenaHeader(Rule):
    """A blogsync header key or value that Hatena Blog would not read as meant.

    What it does
        Runs on entries with a blogsync header (an ``EditURL`` on ``blog.hatena.ne.jp``)
        and checks them against the keys blogsync writes: ``Title``, ``Date``, ``URL``,
        ``EditURL``, ``Category``, ``Draft``, ``PreviewURL`` and ``CustomPath``. Reports a
        key blogsync does not know (``title:`` where ``Title:`` is meant), a blank or padded
        ``Title``, a ``Date`` that is no date, a ``URL`` that is no http(s) URL, a
        ``Category`` that is not a list of names (a blank, padded or repeated name), and a
        ``Draft`` that is not ``true``/``false``. Each finding points at the value (or the
        key) in the file.

    Why it matters
        blogsync sends only the keys it knows: a misspelt key is silently dropped on
        ``blogsync push``, a padded title or category shows up in every list and makes a
        second category page, an unreadable date or draft flag changes what is published.
        The key names themselves are blogsync's: the generic front matter rules (which would
        suggest ``title``) do not run on a Hatena tree.

    Example
        ::

            ---
            Title: " 小説を読んだ "
            Category:
            - 読書
            - 読書
            Date: 2019-13-03T16:39:13+09:00
            Draft: yes
            EditURL: https://blog.hatena.ne.jp/example/example.hatenablog.com/atom/entry/1
            ---

    Use instead
        ::

            ---
            Title: 小説を読んだ
            Category:
            - 読書
            Date: 2019-11-03T16:39:13+09:00
            Draft: true
            EditURL: https://blog.hatena.ne.jp/example/example.hatenablog.com/atom/entry/1
            ---

    Fix safety
        Safe for a padded ``Title`` or category name (only the whitespace at the ends is
        removed, the quoting kept). The others need a person: no fix.
    """

    code = "BT120"
    name = "front-matter-hatena"
    summary = "A Hatena Blog (blogsync) header key or value that Hatena would not read as meant"
    severity = "warning"
    fixable = "sometimes"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        from blogtools.generators.hatena import HEADER_KEYS
        from blogtools.hatena_notation import is_blogsync

        data = fm.data
        if not is_blogsync(data):
            return
        by_lower = {k.lower(): k for k in HEADER_KEYS}
        for key in data:
            if key in HEADER_KEYS:
                continue
            known = by_lower.get(str(key).lower())
            hint = f"; blogsync reads {known!r}" if known else ""
            yield self.diagnostic(doc, *_key(doc, fm, key), f"{str(key)!r} is no blogsync header key: it is "
                                  f"dropped on push{hint}")
        yield from self._title(doc, fm, data.get("Title"), "Title" in data)
        if "Date" in data:
            yield from self._date(doc, fm, data["Date"])
        for key in ("URL", "PreviewURL"):
            value = data.get(key)
            if key in data and value is not None and not (isinstance(value, str)
                                                          and value.strip().startswith(("https://", "http://"))):
                yield self.diagnostic(doc, *report_span(doc, fm, (key,)),
                                      f"{key} {value!r} is no http(s) URL: the entry's address cannot be read")
        if "Category" in data:
            yield from self._categories(doc, fm, data["Category"])
        draft = data.get("Draft")
        if "Draft" in data and draft is not None and not isinstance(draft, bool):
            yield self.diagnostic(doc, *report_span(doc, fm, ("Draft",)),
                                  f"Draft {draft!r} is not true or false: blogsync does not read it as a draft flag")

    def _title(self, doc: Document, fm: Any, value: Any, present: bool) -> Iterator[Diagnostic]:
        if not present:
            return
        if not isinstance(value, str) or not value.strip(_SPACE):
            what = "blank" if value is None or isinstance(value, str) else f"not text ({type(value).__name__})"
            yield self.diagnostic(doc, *report_span(doc, fm, ("Title",)), f"Title is {what}: the entry has no "
                                  "title on Hatena", severity="error")
            return
        trimmed = value.strip(_SPACE)
        if trimmed != value:
            yield from self._padded(doc, fm, ("Title",), value, "Title")

    def _padded(self, doc: Document, fm: Any, path: tuple[Any, ...], value: str, what: str) -> Iterator[Diagnostic]:
        trimmed = value.strip(_SPACE)
        span = value_span(doc, fm, path)
        fix = None
        if span is not None:
            fix = Fix((Edit(span[0], span[1], render(fm.format, trimmed, doc.text[span[0]:span[1]])),), safe=True,
                      description=f"trim the {what}")
        yield self.diagnostic(doc, *report_span(doc, fm, path), f"{what} starts or ends with whitespace: "
                              f"{trimmed[:40]!r}", fix)

    def _date(self, doc: Document, fm: Any, value: Any) -> Iterator[Diagnostic]:
        import datetime as dt

        from blogtools.generators import parse_date

        if isinstance(value, (dt.date, dt.datetime)):
            return
        if value is None or parse_date(value, dt.timezone.utc) is None:
            yield self.diagnostic(doc, *report_span(doc, fm, ("Date",)), f"Date {value!r} is no date "
                                  "(blogsync writes 2019-11-03T16:39:13+09:00): Hatena cannot read it")

    def _categories(self, doc: Document, fm: Any, value: Any) -> Iterator[Diagnostic]:
        if value is None:
            return  # "Category:" with nothing: blogsync's own way of writing no category
        if not isinstance(value, list):
            yield self.diagnostic(doc, *report_span(doc, fm, ("Category",)), f"Category {value!r} is not a list: "
                                  "blogsync reads a list of category names (- name)")
            return
        seen: set[str] = set()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip(_SPACE):
                yield self.diagnostic(doc, *report_span(doc, fm, ("Category", i)),
                                      f"category {item!r} is blank or not a name")
                continue
            if item.strip(_SPACE) != item:
                yield from self._padded(doc, fm, ("Category", i), item, "category")
            elif item in seen:
                yield self.diagnostic(doc, *report_span(doc, fm, ("Category", i)),
                                      f"category {item!r} is listed twice")
            seen.add(item.strip(_SPACE))


def _key(doc: Document, fm: Any, key: Any) -> tuple[int, int]:
    span = fm.positions.get((key,))
    if span is None:
        return report_span(doc, fm, (key,))
    return span.key_start, span.key_start + len(str(key))
