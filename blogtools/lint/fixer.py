"""The one applier of fixes: sort, skip overlaps, repeat to a fixed point, verify, write atomically.

Rules only describe edits; this module is the only code that changes files. Before anything
is written the new text is loaded again: front matter that parsed before must still parse,
and a fix that brings a new front-matter syntax error or a new unreadable-file error is
dropped (the rest of the batch is retried alone). A file is written to a temporary file in
its own folder and renamed over the original, keeping BOM, newline style and mode; a symlink
is followed and its target replaced, never the link.
"""

from __future__ import annotations

import difflib
import os
import stat
from typing import Callable

from blogtools.document import Document, LoadError
from blogtools.lint.rule import Diagnostic, Edit, Fix
from blogtools.record import dataclass, field

MAX_ROUNDS = 10
VERIFY_CODES = ("BT001", "BT002")


@dataclass
class FileFix:
    path: str
    abspath: str
    original: str
    text: str
    applied: int = 0
    rounds: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def apply_edits(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    """Apply non-overlapping fixes (a fix's edits go in together or not at all)."""
    taken: list[tuple[int, int]] = []
    chosen: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: min((e.start for e in f.edits), default=0)):
        spans = [(e.start, e.end) for e in fix.edits]
        if any(a < d and c < b or (a == b == c == d) for a, b in spans for c, d in taken):
            continue
        taken.extend(spans)
        chosen.append(fix)
    edits: list[Edit] = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.start, e.end))
    out = []
    pos = 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.content)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), chosen


def _newlines(fix: Fix, newline: str) -> Fix:
    if newline == "\n":
        return fix
    edits = tuple(Edit(e.start, e.end, e.content.replace("\r\n", "\n").replace("\n", newline)) for e in fix.edits)
    return Fix(edits, fix.safe, fix.description)


def _breaks(before: list[Diagnostic], after: list[Diagnostic]) -> bool:
    count = lambda ds: sum(1 for d in ds if d.code in VERIFY_CODES)  # noqa: E731
    return count(after) > count(before)


LintFn = Callable[[Document], list[Diagnostic]]


def fix_document(doc: Document, lint: LintFn, unsafe: bool, extra: list[Diagnostic] | None = None) -> FileFix:
    """Fix one document in memory; nothing is written here."""
    result = FileFix(doc.path, doc.abspath, doc.text, doc.text)
    current = doc
    diagnostics = lint(current) + list(extra or [])
    for round_ in range(MAX_ROUNDS):
        fixes = [_newlines(d.fix, doc.newline) for d in diagnostics if d.fix and (d.fix.safe or unsafe)]
        if not fixes:
            return result
        result.rounds = round_ + 1
        new_text, chosen = apply_edits(current.text, fixes)
        if new_text == current.text:
            return result
        candidate = _reload(current, new_text)
        new_diags = lint(candidate)
        if _breaks(diagnostics, new_diags):
            chosen = _one_by_one(current, fixes, diagnostics, lint)
            if not chosen:
                result.problems.append("fixes skipped: applying them would break the file's front matter")
                return result
            new_text, chosen = apply_edits(current.text, chosen)
            candidate = _reload(current, new_text)
            new_diags = lint(candidate)
        result.applied += len(chosen)
        current = candidate
        result.text = new_text
        diagnostics = new_diags
    result.problems.append(f"fixes did not converge after {MAX_ROUNDS} rounds (a bug in a rule: please report)")
    return result


def _one_by_one(doc: Document, fixes: list[Fix], before: list[Diagnostic], lint: LintFn) -> list[Fix]:
    good = []
    for fix in fixes:
        text, _ = apply_edits(doc.text, [fix])
        if not _breaks(before, lint(_reload(doc, text))):
            good.append(fix)
    return good


def _reload(doc: Document, text: str) -> Document:
    return Document(doc.path, text, doc.bom, doc.newline, doc.abspath)


def unified_diff(fix: FileFix) -> str:
    return "".join(
        difflib.unified_diff(
            fix.original.splitlines(keepends=True), fix.text.splitlines(keepends=True),
            fromfile=f"a/{fix.path}", tofile=f"b/{fix.path}",
        )
    )


TEMP_PREFIX, TEMP_SUFFIX = ".blogtools-", ".tmp"
STALE_AFTER = 600  # seconds: no write of ours takes that long; an older temporary is a leftover


def is_temporary(name: str) -> bool:
    """A file name of ours: an atomic write's temporary (readers of a site skip them)."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def remove_stale_temporaries(directory: str) -> None:
    """Remove our temporaries left in ``directory`` by a killed run (SIGKILL, power loss)."""
    import time

    now = time.time()
    try:
        with os.scandir(directory) as it:
            for entry in it:
                if is_temporary(entry.name) and entry.is_file(follow_symlinks=False):
                    try:
                        if now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER:
                            os.unlink(entry.path)
                    except OSError:
                        pass
    except OSError:
        pass


def write_atomic(path: str, data: bytes) -> None:
    """Replace ``path``'s content atomically; keeps its mode; follows a symlink to its target."""
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o644
    import tempfile  # (imports shutil, random...: only when writing)
    remove_stale_temporaries(directory)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write(fix: FileFix, bom: bool, root: str | None = None) -> None:
    """Write a fixed file, after checking it did not change on disk since it was read.

    Only a regular file is written, and with ``root`` only one whose real path is inside it
    (a symbolic link out of the site is never followed to write)."""
    from blogtools import safefs

    if root is not None:
        safefs.check_inside(fix.abspath, root)
    on_disk = safefs.read_bytes(fix.abspath)
    try:
        from blogtools.document import decode

        current, _ = decode(on_disk)
    except LoadError:
        current = None
    if current != fix.original:
        raise OSError(f"{fix.path} changed on disk while it was being fixed; not written")
    write_atomic(fix.abspath, (b"\xef\xbb\xbf" if bom else b"") + fix.text.encode("utf-8"))
