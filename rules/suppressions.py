"""BT004-BT005: inline suppression comments that do not work, or do nothing.

The directives are read by :mod:`blogtools.lint.suppress` (once per document); these rules
report what it recorded. BT005's findings are made there too: whether a directive suppressed
something is known only once every other rule has run (site-wide ones included).
"""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint import suppress
from blogtools.lint.rule import Diagnostic, Rule


class SuppressionInvalid(Rule):
    """A ``blogtools-`` comment that is no directive, or names a rule that does not exist.

    What it does
        Reads every HTML comment whose text starts with ``blogtools-`` as a suppression
        directive and reports, at the offending text: a directive word that is not
        ``blogtools-disable-next-line``, ``-disable``, ``-enable`` or ``-disable-file``
        (a misspelling, a capital letter, or codes glued to the word as in
        ``blogtools-disable:BT201``), and a code or name in the list that is no rule (an
        unknown or retired code, a prefix such as ``BT2``, ``ALL``).

    Why it matters
        Such a directive suppresses nothing (a misspelt ``blogtools-disable-next-lin`` is
        not read as ``blogtools-disable``, which would silence the rule for the rest of the
        file), yet it reads as if it did: the finding it was written for comes back, or a
        later edit hides behind a comment that never worked.

    Example
        ::

            <!-- blogtools-disable-next-lin BT201 -->
            [ 資料 ](https://example.com/slides)

            <!-- blogtools-disable-next-line BT999 -->
            [ スライド ](https://example.com/deck)

    Use instead
        ::

            <!-- blogtools-disable-next-line BT201 -->
            [ 資料 ](https://example.com/slides)

            <!-- blogtools-disable-next-line link-text-whitespace -->
            [ スライド ](https://example.com/deck)

    Fix safety
        No fix: correcting the directive starts suppressing findings, which is the author's
        decision.
    """

    code = "BT004"
    name = suppress.INVALID_NAME
    summary = "Suppression comment that is no directive or names an unknown rule: it suppresses nothing"
    severity = "warning"
    tags = ("suppressions",)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        for start, end, message in suppress.collect(doc).problems:
            yield self.diagnostic(doc, start, end, message)


class SuppressionUnused(Rule):
    """A suppression directive that suppressed nothing (off by default).

    What it does
        Reports each code of a ``blogtools-disable-next-line``, ``-disable`` or
        ``-disable-file`` directive that suppressed no finding of that rule in this run, at
        the code; and a ``blogtools-enable`` with no open ``blogtools-disable`` to end.
        A code is reported only when its rule ran in this run (a rule that is not selected
        cannot show that nothing needs suppressing), so select the rules the directives
        name, or ``ALL``. Never reported: directives without codes (they cover every rule,
        including rules that did not run), the codes of the external link rules BT701-BT704
        (what they find depends on the network and the cache) and this rule's own code.
        The code of a site-wide rule (BT202, BT211 ...) is judged after the site rules ran.

    Why it matters
        A suppression outlives the finding it was written for: the link was fixed, the
        post was moved. Left in place, it silently hides the next real problem on that line
        or in that range.

    Example
        ::

            <!-- blogtools-disable-next-line BT201 -->
            [資料](https://example.com/slides)

    Use instead
        ::

            [資料](https://example.com/slides)

    Fix safety
        No fix: remove the comment or the code by hand (the finding it was written for may
        be expected back, in a draft).
    """

    code = "BT005"
    name = suppress.UNUSED_NAME
    summary = "Suppression comment that suppressed nothing in this run"
    severity = "info"
    default_enabled = False
    tags = ("suppressions",)
    # The findings are made by the engine (blogtools.lint.suppress.apply and filter_site):
    # check() has nothing to add.
