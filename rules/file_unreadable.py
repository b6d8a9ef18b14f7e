"""BT001: a file that cannot be read as a text document."""

from __future__ import annotations

from blogtools.lint.rule import Rule


class FileUnreadable(Rule):
    """A content file blogtools cannot read as UTF-8 text.

    What it does
        Reports a file that is binary (has NUL bytes), is not valid UTF-8 (the position of
        the first bad byte is given), is larger than ``max-file-size`` (4 MiB by default), is
        a broken symbolic link, or cannot be opened. The run goes on with the other files.

    Why it matters
        Hugo and Jekyll fail or silently garble such a file; a linter that crashes on it
        would hide every other finding.

    Example
        A post saved as Shift_JIS by an old editor::

            content/posts/old.md:3:7: BT001 not valid UTF-8: byte 0x82 cannot be decoded

    Use instead
        Re-save the file as UTF-8 (``iconv -f SHIFT_JIS -t UTF-8``), or exclude it.

    Fix safety
        No automatic fix: re-encoding needs a human to confirm the source encoding.
    """

    code = "BT001"
    name = "file-unreadable"
    summary = "File is binary, not UTF-8, too large or unreadable"
    severity = "error"
