"""The one applier of fixes: sort, skip overlaps, repeat to a fixed point, verify, write atomically.

Rules only describe edits; this module is the only code that changes files (``lint --fix``
and ``migrate`` both call :func:`fix_document`). Every round is verified before it is kept:

- the text is loaded again: a fix that brings a new front-matter syntax error or a new
  unreadable-file error is dropped;
- the front matter still loads to the same data for every key the edits do not touch (a
  conversion to another format must keep all of it);
- the body renders (:mod:`blogtools.render`) to the same HTML outside the edits: both texts
  are rendered with each edit replaced by the same opaque token, which must give identical
  HTML; and for safe fixes that do not declare ``markup`` (an embed becoming a
  shortcode), the real renderings must have the same element structure (a repair that
  turns text into a link, or a stray ``**`` into emphasis, changes it: such a fix is
  unsafe, and ``--unsafe-fixes`` may apply it).

A fix that fails is dropped and named as a bug of its rule (ruff's behaviour for a fix that
introduces an error); the others are kept. A file is written to a temporary file in its own
folder and renamed over the original, keeping BOM, newline style and mode; a symlink is
followed and its target replaced, never the link.
"""

from __future__ import annotations

import difflib
import os
import re
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
    creates: dict[str, str] = field(default_factory=dict)  # new files the applied fixes add

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
    rejected: set[Fix] = set()
    for round_ in range(MAX_ROUNDS):
        code_of: dict[Fix, str] = {}
        for d in diagnostics:
            if d.fix and (d.fix.safe or unsafe):
                fix = _newlines(d.fix, doc.newline)
                if fix not in rejected:
                    code_of.setdefault(fix, d.code)
        if not code_of:
            return result
        result.rounds = round_ + 1
        new_text, chosen = apply_edits(current.text, list(code_of))
        for fix in chosen:
            if not fix.edits and fix.creates and fix.creates[0][0] not in result.creates:
                result.creates.update(fix.creates)  # a new file only: nothing in this text to verify
                result.applied += 1
        if new_text == current.text:
            return result
        candidate = _reload(current, new_text)
        new_diags = lint(candidate)
        if _breaks(diagnostics, new_diags) or verify(current, candidate, chosen) is not None:
            chosen = _one_by_one(current, chosen, diagnostics, lint, code_of, result, rejected)
            if not chosen:
                return result
            new_text, chosen = apply_edits(current.text, chosen)
            candidate = _reload(current, new_text)
            new_diags = lint(candidate)
        result.applied += sum(1 for fix in chosen if fix.edits)
        for fix in chosen:
            result.creates.update(fix.creates)
        current = candidate
        result.text = new_text
        diagnostics = new_diags
    result.problems.append(f"fixes did not converge after {MAX_ROUNDS} rounds (a bug in a rule: please report)")
    return result


@dataclass
class FixRun:
    """What :func:`fix_files` did: the fixed text of each changed file (by absolute path),
    the documents as first read, the fixes applied and what was refused (path, why)."""

    texts: dict[str, str] = field(default_factory=dict)
    originals: dict[str, Document] = field(default_factory=dict)
    applied: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    creates: dict[str, str] = field(default_factory=dict)  # new files: alias pages of renamed terms

    def changed(self) -> list[str]:
        return [p for p, text in self.texts.items() if text != self.originals[p].text]


def fix_files(runner: object, files: list[str], unsafe: bool, requested: set[str] | None = None,
              display: Callable[[str], str] | None = None) -> FixRun:
    """The fix loop of ``lint --fix`` and ``migrate``: lint ``files`` (site-wide rules see
    the fixed texts of earlier rounds), fix each file in ``requested`` (all when None) with
    :func:`fix_document`, and repeat until no file changes; then plan the alias pages that
    keep renamed terms' URLs (:mod:`blogtools.lint.term_aliases`). Nothing is written here."""
    from blogtools.lint.runner import lint_document

    rule_classes = runner.rule_classes  # type: ignore[attr-defined]
    config, site = runner.config, runner.site  # type: ignore[attr-defined]
    instances = [cls(config.rule_settings) for cls in rule_classes]
    site_codes = {c.code for c in rule_classes if c.site_wide}
    runner.freeze_after = False  # type: ignore[attr-defined]  # several rounds: let each round's garbage go
    run = FixRun()
    for _ in range(MAX_ROUNDS):
        result = runner.run(files, run.texts)  # type: ignore[attr-defined]
        by_file: dict[str, list[Diagnostic]] = {}
        for d in result.diagnostics:
            if d.fix and (d.fix.safe or unsafe):
                by_file.setdefault(d.path, []).append(d)
        abs_of = {r.path: r.abspath for r in result.results}
        progress = False
        for path, diags in by_file.items():
            abspath = abs_of.get(path)
            if abspath is None or requested is not None and abspath not in requested:
                continue
            if abspath not in run.originals:
                try:
                    run.originals[abspath] = Document.read(abspath, config.get("max-file-size"))
                except LoadError:
                    continue
                if display is not None:
                    run.originals[abspath].path = display(abspath)
            base = run.originals[abspath]
            doc = _reload(base, run.texts.get(abspath, base.text))
            ff = fix_document(doc, lambda d: lint_document(d, instances, site), unsafe,
                              [d for d in diags if d.code in site_codes])
            run.problems.extend((path, problem) for problem in ff.problems)
            run.creates.update(ff.creates)
            if ff.changed:
                run.texts[abspath] = ff.text
                run.applied[abspath] = run.applied.get(abspath, 0) + ff.applied
                progress = True
        if not progress:
            break
    from blogtools.lint import term_aliases

    aliases, problems = term_aliases.plan(site, files, run.originals, {p: run.texts[p] for p in run.changed()})
    run.creates.update(aliases)
    run.problems.extend(problems)
    return run


def create(path: str, text: str, root: str | None = None) -> None:
    """Write a new file the fixes need (never over an existing one), atomically."""
    from blogtools import safefs

    if root is not None:
        safefs.check_inside(os.path.dirname(path), root)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        raise OSError(f"{path} exists already; not written")
    write_atomic(path, text.encode("utf-8"))


def _one_by_one(doc: Document, fixes: list[Fix], before: list[Diagnostic], lint: LintFn, code_of: dict[Fix, str],
                result: FileFix, rejected: set[Fix]) -> list[Fix]:
    """The fixes that verify, added one at a time; each one dropped is reported once."""
    good: list[Fix] = []
    for fix in fixes:
        text, _ = apply_edits(doc.text, good + [fix])
        candidate = _reload(doc, text)
        if _breaks(before, lint(candidate)):
            problem = "would break the file's front matter"
        else:
            problem = verify(doc, candidate, good + [fix]) or ""
        if not problem:
            good.append(fix)
            continue
        rejected.add(fix)
        what = f" ({fix.description})" if fix.description else ""
        result.problems.append(f"{code_of.get(fix, 'a')} fix{what} not applied: it {problem}; this is a bug in "
                               "the rule, please report it")
    return good


# --------------------------------------------------------------------------- verification
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
TOKEN = "bTfIxQ{}Qz"  # letters only: as inert as a word wherever it stands


def verify(doc: Document, after: Document, fixes: list[Fix]) -> str | None:
    """None when ``after`` (``doc`` with ``fixes`` applied: the document the caller has
    already linted, so nothing is parsed twice) changes nothing but the fixes' own edits;
    otherwise what else it changes."""
    edits = sorted((e for f in fixes for e in f.edits), key=lambda e: (e.start, e.end))
    if not edits:
        return None
    problem = _front_matter_kept(doc, after, edits)
    if problem or doc.text[doc.body_start :] == after.text[after.body_start :]:
        return problem
    from blogtools.render import render_body, tags

    old_html = render_body(doc.text, doc.body_start)
    new_html = render_body(after.text, after.body_start)
    safe = all(f.safe and not f.markup for f in fixes)
    if safe and tags(old_html) != tags(new_html):
        return "would change the page's markup (what renders as a link, emphasis, code or a block)"
    template = _reload(doc, _tokenised(doc.text, edits))
    pieces = _pieces(render_body(template.text, template.body_start), len(edits))
    old_fits, new_fits = _fits(_squeeze(old_html), pieces), _fits(_squeeze(new_html), pieces)
    # Neither fitting means a token is not inert where it stands (a footnote label, a URL
    # scheme, indentation): the template says nothing, and the structure check above stands.
    # Only the old one fitting: the new text spills out of its edits. Only the new one: the
    # old span did more than its text (a repair of text that was no link): unsafe at most.
    if old_fits and not new_fits or new_fits and not old_fits and all(f.safe for f in fixes):
        return "would change the rendered page outside its edit"
    return None


def _tokenised(text: str, edits: list[Edit]) -> str:
    """``text`` with each edit's span replaced by a token of its own."""
    out: list[str] = []
    pos = 0
    for i, e in enumerate(edits):
        out.append(text[pos : e.start])
        out.append(TOKEN.format(i))
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _pieces(html: str, count: int) -> list[str]:
    """The rendering of the tokenised text cut at each token: what must surround the edits,
    unchanged, in both the old and the new rendering. A token that is a paragraph of its own
    takes the paragraph with it (an embed block may become a shortcode line)."""
    tokens = "|".join(TOKEN.format(i) for i in range(count))
    html = re.sub(f"<p>({tokens})</p>", r"\1", _squeeze(html))
    return re.split(tokens, html)


def _squeeze(html: str) -> str:
    # a masked template is a run of \x1a as long as its source: its length is not the page's
    return re.sub("\x1a+", "\x1a", html)


def _fits(html: str, pieces: list[str]) -> bool:
    """Whether ``html`` is the pieces in order with anything between them (leftmost match:
    when a slot's own HTML repeats the next piece the answer is no, which only drops a fix)."""
    first, last = pieces[0], pieces[-1]
    if len(pieces) == 1:
        return html == first
    if not html.startswith(first) or not html.endswith(last):
        return False
    pos = len(first)
    for piece in pieces[1:-1]:
        at = html.find(piece, pos)
        if at < 0:
            return False
        pos = at + len(piece)
    return pos <= len(html) - len(last)


def _front_matter_kept(doc: Document, new: Document, edits: list[Edit]) -> str | None:
    before = doc.front_matter
    if before is None or before.error or before.data is None:
        return None
    after = new.front_matter
    if after is not None and after.error:
        return "would leave front matter that does not load"
    data = after.data or {} if after is not None else {}  # an emptied block holds no keys
    if after is not None and after.format != before.format:  # a conversion keeps everything
        return None if _same(before.data, data) else "would change the front matter's data"
    for key, value in before.data.items():
        span = before.positions.get((key,))
        if span is None or any(e.start < span.value_end and span.key_start < e.end or e.start == e.end == span.key_start
                               for e in edits):
            continue
        if key not in data or not _same(data[key], value):
            return f"would change the front matter key {key!r}, which it does not edit"
    return None


def _same(a: object, b: object) -> bool:
    """Equal as the generator reads them: a date is the same whether the format wrote it as
    a date or as its RFC 3339 string (JSON has no date type); ``1`` is not ``True``."""
    return _plain(a) == _plain(b)


def _plain(value: object) -> object:
    import datetime as dt

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value):
        try:
            return (dt.datetime if "T" in value or " " in value or ":" in value else dt.date).fromisoformat(
                value).isoformat()
        except ValueError:
            return value
    return (type(value).__name__, value) if isinstance(value, (bool, int, float)) else value


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
