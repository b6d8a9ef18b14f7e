"""``blogtools server``: a Language Server (LSP over stdio, built on pygls 2).

Editors get blogtools' diagnostics while a post is being written, quick fixes, a "fix all"
source action and the rules' documentation on hover. See docs/editors.md for the editor
settings.

How a change is linted
    The text the editor holds is linted, never the file on disk. The file rules run on a
    :class:`~blogtools.document.Document` made from that text (``lint_document``, as
    ``blogtools lint`` does for each file). The site-wide rules (BT202 broken links, BT301
    images, BT401-BT403 words...) need every page's facts: the first time a post of a site
    is opened, the site's files are discovered and linted with the normal
    :class:`~blogtools.lint.runner.Runner` (the per-file cache makes that cheap when
    ``blogtools lint`` ran before; it fills the cache otherwise). After that, each change
    replaces the facts of that one file with the facts extracted from the editor's text
    (:func:`blogtools.facts.extract`) and the site rules run again
    (``Runner.site_diagnostics``, with suppressions and ``per-file-ignores`` applied as in a
    run), reporting on the open files only (the ``requested`` files of its
    :class:`~blogtools.lint.rule.RunContext`).

Where things run
    Changes are debounced (:data:`DEBOUNCE` seconds); linting runs in one worker thread, so
    the event loop keeps reading messages and the engine's state is only ever touched by
    that thread. Results for a text that changed meanwhile are not published (a newer run
    is already scheduled).

Positions
    blogtools reports 1-based lines and code-point columns; LSP wants 0-based lines and
    columns in the negotiated position encoding (UTF-16 code units unless the client offers
    UTF-8 or UTF-32). Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` for both, so only columns are
    converted, against the editor's text (a BOM the editor kept shifts the first line).

Configuration
    A file's site and config are found the way ``blogtools lint FILE`` finds them
    (:func:`blogtools.config.load`, :func:`blogtools.site.load_site`). Before every run the
    config files' modification times are compared with those seen when the site was
    loaded: an edited ``blogtools.toml``/``pyproject.toml``/``hugo.toml``/``_config.yml``
    (or a file under ``config/``) is read again on the next change or save. A config file
    created where there was none is seen through ``workspace/didChangeWatchedFiles`` (the
    server registers a watcher when the client allows it) or after a restart. Network rules
    (BT7xx) never run in the editor.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from bisect import bisect_right
from typing import Any, Iterable

from blogtools.lines import LineIndex

DEBOUNCE = 0.3  # seconds after the last change before a post is linted again
SOURCE = "blogtools"
MARKDOWN_SUFFIXES = (".md", ".markdown")
FIX_ALL_KIND = "source.fixAll.blogtools"
FIX_ALL_TITLE = "Fix all safe problems in this file"
CONFIG_NAMES = ("blogtools.toml", "pyproject.toml")


# --------------------------------------------------------------------------- positions
def _encoding(value: Any) -> str:
    """``utf-8``, ``utf-16`` or ``utf-32`` from a PositionEncodingKind (or None: UTF-16)."""
    text = str(getattr(value, "value", value) or "utf-16").lower()
    return text if text in ("utf-8", "utf-16", "utf-32") else "utf-16"


def units(text: str, encoding: str = "utf-16") -> int:
    """The length of ``text`` in the encoding's code units (LSP columns)."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _unit(char: str, encoding: str) -> int:
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return len(char.encode("utf-8", "surrogatepass"))
    return 2 if ord(char) > 0xFFFF else 1


class TextMap:
    """Offsets of the editor's text ↔ LSP (line, character) in one position encoding.

    ``shift``: how many characters the editor's text has before the linted text (a BOM the
    editor kept): a blogtools offset plus ``shift`` is an offset of the editor's text."""

    __slots__ = ("text", "encoding", "shift", "starts")

    def __init__(self, text: str, encoding: str = "utf-16", shift: int = 0) -> None:
        self.text = text
        self.encoding = encoding
        self.shift = shift
        self.starts = LineIndex(text).starts  # (\r\n, \r and \n end a line, as in LSP)

    def _bounds(self, line: int) -> tuple[int, int]:
        """(start, end without the line break) of 0-based ``line``."""
        start = self.starts[line]
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            text = self.text
            if end > start and text[end - 1] == "\n":
                end -= 1
                if end > start and text[end - 1] == "\r":
                    end -= 1
            elif end > start and text[end - 1] == "\r":
                end -= 1
        else:
            end = len(self.text)
        return start, end

    def position(self, offset: int) -> tuple[int, int]:
        """0-based (line, character) of an offset of the editor's text."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start, end = self._bounds(line)
        return line, units(self.text[start : min(offset, end)], self.encoding)

    def doc_position(self, line: int, column: int) -> tuple[int, int]:
        """0-based (line, character) of a blogtools 1-based (line, code-point column)."""
        if line < 1:
            return 0, 0
        if line > len(self.starts):
            return self.position(len(self.text))
        start, end = self._bounds(line - 1)
        offset = start + max(column, 1) - 1 + (self.shift if line == 1 else 0)
        return line - 1, units(self.text[start : min(offset, end)], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of the editor's text at an LSP position (past the end: the end)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self._bounds(line)
        segment = self.text[start:end]
        if self.encoding == "utf-32" or segment.isascii():
            return start + max(0, min(character, len(segment)))
        count = 0
        for i, char in enumerate(segment):
            if count >= character:
                return start + i
            count += _unit(char, self.encoding)
        return end

    def end(self) -> tuple[int, int]:
        return self.position(len(self.text))


def apply_change(text: str, change: Any, encoding: str) -> str:
    """``text`` after one ``TextDocumentContentChangeEvent`` (incremental or full)."""
    rng = getattr(change, "range", None)
    if rng is None:
        return change.text
    tm = TextMap(text, encoding)
    start = tm.offset(rng.start.line, rng.start.character)
    end = tm.offset(rng.end.line, rng.end.character)
    if end < start:
        start, end = end, start
    return text[:start] + change.text + text[end:]


def minimal_edit(old: str, new: str) -> tuple[int, int, str]:
    """(start, end, replacement) in ``old`` turning it into ``new``, as small as the
    common prefix and suffix allow (never between the ``\\r`` and ``\\n`` of a line end)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    while prefix > 0 and old[prefix - 1] == "\r":
        prefix -= 1
    while suffix > 0 and old[len(old) - suffix] == "\n" and len(old) - suffix > 0 \
            and old[len(old) - suffix - 1] == "\r":
        suffix -= 1
    return prefix, len(old) - suffix, new[prefix : len(new) - suffix]


# --------------------------------------------------------------------------- documents
def uri_to_path(uri: str) -> str | None:
    """The local path of a ``file:`` URI (None for ``untitled:`` and other schemes)."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]
    if parsed.netloc and parsed.netloc != "localhost":
        path = f"//{parsed.netloc}{path}"
    return os.path.normpath(path)


def is_markdown(path: str | None) -> bool:
    return path is not None and path.lower().endswith(MARKDOWN_SUFFIXES)


class Snapshot:
    """What the engine is asked to lint: a document's text at one generation."""

    __slots__ = ("uri", "path", "text", "gen")

    def __init__(self, uri: str, path: str, text: str, gen: int) -> None:
        self.uri, self.path, self.text, self.gen = uri, path, text, gen


class EngineDoc:
    """An open document as the engine last linted it."""

    def __init__(self, uri: str, path: str) -> None:
        self.uri = uri
        self.path = path
        self.text = ""
        self.gen = -1
        self.state: Any = None  # the SiteState it belongs to
        self.linted = False  # a content file blogtools lints (else: nothing to report)
        self.doc: Any = None  # the Document (None: unreadable text)
        self.shift = 0  # a BOM the editor kept
        self.result: Any = None  # FileResult of the editor text (file diagnostics, facts)
        self.diagnostics: list[Any] = []  # everything reported for this text
        self.problem: str | None = None  # a config error: the one thing reported
        self.complete = False  # site-wide rules included
        self.fixed: tuple[int, str] | None = None  # (gen, text after the safe fixes)


# --------------------------------------------------------------------------- one site
class SiteState:
    """A site (its config, rules, site model and every page's facts) the open documents
    belong to: what ``blogtools lint`` prepares from a file's path."""

    def __init__(self, path: str) -> None:
        from blogtools.config import ConfigError, load
        from blogtools.lint.run import for_site
        from blogtools.lint.runner import (
            Selection,
            facts_plan,
            selected_rules,
            unknown_selectors,
        )
        from blogtools.site import load_site

        config = load(path)
        bad = unknown_selectors(list(config.get("select") or []) + list(config.get("extend-select"))
                                + list(config.get("ignore")))
        if bad:
            raise ConfigError(f"unknown rule selector(s): {', '.join(bad)} (see `blogtools rules`)")
        rules = [r for r in selected_rules(config, Selection()) if not r.needs_network]
        site = load_site(path, config.get("generator"))
        rules = for_site(rules, site)
        self.config = config
        self.rules = rules
        self.site = site
        self.instances = [cls(config.rule_settings) for cls in rules]
        self.facts, self.skip_facts = facts_plan(rules)
        self.site_wide = any(r.site_wide for r in rules)
        self.key = (config.path or config.root, site.root, site.generator)
        self.stamps = self._stamps()
        self.results: dict[str, Any] = {}  # abspath -> FileResult of the files on disk
        self.built = False
        self.runner = self._runner(use_cache=False)
        self.stale: set[str] = set()  # files changed on disk since they were read
        self.discovered: set[str] = set()

    # -- config -----------------------------------------------------------------------
    def _stamp_files(self) -> list[str]:
        from blogtools.site import HATENA_CONFIGS, HUGO_CONFIGS, JEKYLL_CONFIGS

        root = self.site.root
        names = [self.config.path or "", self.site.config_file or ""]
        names += [os.path.join(root, n) for n in HUGO_CONFIGS + JEKYLL_CONFIGS + HATENA_CONFIGS + CONFIG_NAMES]
        config_dir = os.path.join(root, "config")
        if os.path.isdir(config_dir):
            for dirpath, _dirs, files in os.walk(config_dir):
                names.append(dirpath)
                names.extend(os.path.join(dirpath, f) for f in files)
        return sorted({n for n in names if n})

    def _stamps(self) -> tuple[Any, ...]:
        out = []
        for name in self._stamp_files():
            try:
                st = os.stat(name)
                out.append((name, st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((name, None, None))
        return tuple(out)

    def fresh(self) -> bool:
        """The config files are as they were when this site was loaded."""
        return self._stamps() == self.stamps

    # -- the files on disk --------------------------------------------------------------
    def _runner(self, use_cache: bool, context: Any = None) -> Any:
        from blogtools.lint.runner import Runner

        runner = Runner(self.config, self.rules, self.site, jobs=0, use_cache=use_cache, facts=self.facts,
                        skip_facts=self.skip_facts, context=context)
        runner.freeze_after = False  # a long-lived process: let garbage go
        return runner

    def _read(self, files: list[str], discovery: Any = None) -> list[Any]:
        """FileResults of files on disk through the per-file cache (as ``blogtools lint``)."""
        if not files:
            return []
        from blogtools.lint.rule import RunContext

        # As a lint run (no fix text): the cache entries are shared with it.
        runner = self._runner(use_cache=not os.environ.get("BLOGTOOLS_NO_CACHE"), context=RunContext(fix_mode=False))
        runner.discovery = discovery
        try:
            return runner.lint_files(files)
        finally:
            self.runner = self._runner(use_cache=False)  # (Runner() also sets up lint_one's rules)

    def build(self) -> int:
        """Read every content file of the site (their facts): once, on first use."""
        self.built = True
        if not self.site_wide or not self.site.config_file:
            # No site rule, or a loose folder without a site config: as `blogtools lint FILE`,
            # the site is the files being linted (here: the open ones).
            return 0
        from blogtools.lint.run import discovery_memo
        from blogtools.lint.runner import discover

        found = discover([self.site.root], self.config, discovery_memo(self.config, True),
                         self.site.content_folders())
        self.discovered = set(found.files)
        results = self._read(found.files, found)
        self.results = {r.abspath: r for r in results}
        return len(results)

    def refresh(self) -> None:
        """Read again the files that changed on disk (didChangeWatchedFiles, didClose)."""
        if not self.stale:
            return
        paths, self.stale = sorted(self.stale), set()
        if not self.built or not self.site_wide or not self.site.config_file:
            return
        for p in paths:
            if not os.path.isfile(p):
                self.results.pop(p, None)
                self.discovered.discard(p)
        wanted = [p for p in paths if os.path.isfile(p) and (p in self.results or self.lints(p))]
        for r in self._read(wanted):
            self.results[r.abspath] = r
            self.discovered.add(r.abspath)

    def lints(self, path: str) -> bool:
        """Would ``blogtools lint`` read this file of the site (in a content folder, not
        excluded)? A file not on disk yet counts when it is in a content folder."""
        if not is_markdown(path):
            return False
        if path in self.discovered:
            return True
        from blogtools.lint.runner import discover

        if not os.path.lexists(path):
            folders = self.site.content_folders()
            return folders is None or any(path.startswith(os.path.abspath(f).rstrip(os.sep) + os.sep)
                                          for f in folders)
        found = discover([path], self.config, None, self.site.content_folders())
        return path in found.files

    # -- the editor's text --------------------------------------------------------------
    def lint_doc(self, d: EngineDoc) -> None:
        """File rules and facts of the editor's text (as ``lint_one`` does for a file)."""
        from blogtools.document import Document, LoadError
        from blogtools.lint.rule import Diagnostic
        from blogtools.lint.runner import (
            FileResult,
            display_path,
            lint_document,
            unreadable,
        )

        shown = display_path(d.path)
        limit = self.config.get("max-file-size")
        try:
            data = d.text.encode("utf-8", "surrogatepass")
            if limit and len(data) > limit:
                raise LoadError(f"file is {len(data) / 1048576:.1f} MiB, over the {limit / 1048576:.0f} MiB"
                                " limit (max-file-size); not linted")
            doc = Document.from_bytes(shown, data, d.path)
        except LoadError as exc:
            d.doc, d.shift = None, 0
            d.result = FileResult(shown, d.path, [unreadable(shown, exc)], None)
            return
        d.doc = doc
        d.shift = 1 if doc.bom else 0
        diagnostics = lint_document(doc, self.instances, self.site)
        facts = None
        if self.facts:
            try:
                from blogtools.facts import extract

                facts = extract(doc, self.skip_facts)
            except Exception as exc:  # noqa: BLE001 - as lint_one: one diagnostic, never a crash
                diagnostics.append(Diagnostic(shown, 1, 1, 1, 1, "BT001", "file-unreadable", "error",
                                              f"internal error while indexing the file: {type(exc).__name__}: {exc}"))
        d.result = FileResult(shown, d.path, diagnostics, facts)

    def report(self, docs: list[EngineDoc], complete: bool) -> dict[str, list[Any]]:
        """Every diagnostic of each open document (path -> diagnostics): its file
        diagnostics and, with ``complete``, the site rules' over the site with the editor's
        texts in place of the files."""
        from blogtools.lint.rule import Diagnostic, RunContext

        out: dict[str, list[Any]] = {d.path: list(d.result.diagnostics) for d in docs}
        if not complete or not self.site_wide:
            return self._ignored(out, [d.result for d in docs])
        results = dict(self.results)
        for d in docs:
            results[d.path] = d.result
        ordered = list(results.values())
        shown = {d.result.path: d.path for d in docs}
        try:  # (the editor's fixes are built: fix_mode, as the rules' default)
            found = self.runner.site_diagnostics(ordered, RunContext(requested=frozenset(shown.values())))
        finally:
            self.site.drop_prepared()
        known = {r.path for r in ordered}
        for diag in found:
            if diag.path in shown:
                out[shown[diag.path]].append(diag)
            elif diag.path not in known:  # (a site rule's internal error: said on every open post)
                for path in out:
                    out[path].append(Diagnostic(path, 1, 1, 1, 1, diag.code, diag.name, diag.severity,
                                                diag.message))
        return self._ignored(out, ordered)

    def _ignored(self, out: dict[str, list[Any]], results: list[Any]) -> dict[str, list[Any]]:
        """``per-file-ignores`` applied (as a run does), then sorted."""
        from blogtools.lint.rule import Diagnostic

        keep = getattr(self.runner, "_per_file_ignores", None)
        for path, diags in out.items():
            if keep is not None and diags:
                diags = keep(diags, results)
            out[path] = sorted(diags, key=Diagnostic.sort_key)
        return out


# --------------------------------------------------------------------------- the engine
class Engine:
    """The lint state of the open documents and their sites. Only one thread calls it."""

    def __init__(self, encoding: str = "utf-16", markdown_hover: bool = False) -> None:
        self.encoding = encoding
        self.markdown_hover = markdown_hover
        self.docs: dict[str, EngineDoc] = {}
        self.states: dict[Any, SiteState] = {}
        self.folders: dict[str, Any] = {}  # folder -> state key
        self.log: list[str] = []  # messages for the client's log (taken by the server)

    # -- sites --------------------------------------------------------------------------
    def _state(self, path: str) -> SiteState:
        folder = os.path.dirname(path)
        key = self.folders.get(folder)
        state = self.states.get(key) if key is not None else None
        if state is not None and state.fresh():
            return state
        new = SiteState(path)
        old = self.states.get(new.key)
        if old is not None and old.fresh() and old is not state:
            self.folders[folder] = old.key
            return old
        if old is not None:  # the config changed: drop the old site's facts
            self.log.append(f"blogtools: configuration of {new.site.root} changed: reloaded")
            self.folders = {f: k for f, k in self.folders.items() if k != old.key}
        self.states[new.key] = new
        self.folders[folder] = new.key
        notice = getattr(new.site.profile, "notice", None)
        if notice:
            self.log.append(f"blogtools: {new.site.root}: {notice}")
        return new

    def reset(self) -> None:
        """Forget every site (a config file was created or removed): the open documents
        are linted under their sites read again at the next run."""
        self.states.clear()
        self.folders.clear()

    def files_changed(self, paths: Iterable[str]) -> None:
        """Files changed on disk (workspace/didChangeWatchedFiles)."""
        from blogtools.site import HATENA_CONFIGS, HUGO_CONFIGS, JEKYLL_CONFIGS

        configs = set(HUGO_CONFIGS + JEKYLL_CONFIGS + HATENA_CONFIGS + CONFIG_NAMES)
        for path in paths:
            parts = path.replace(os.sep, "/").split("/")
            if parts[-1] in configs or "config" in parts[:-1] and not is_markdown(path):
                self.reset()
                return
            if is_markdown(path):
                for state in self.states.values():
                    if path.startswith(state.site.root.rstrip(os.sep) + os.sep):
                        state.stale.add(path)

    # -- linting ------------------------------------------------------------------------
    def _owned(self, d: EngineDoc) -> bool:
        """Is ``d`` linted under its site's current state (not one whose config changed)?"""
        return d.state is not None and self.states.get(d.state.key) is d.state

    def _take(self, snap: Snapshot, out: dict[str, tuple[int, list[Any]]]) -> SiteState | None:
        """Lint one document's text with the file rules; its site (None: nothing more)."""
        d = self.docs.get(snap.uri)
        if d is None:
            d = self.docs[snap.uri] = EngineDoc(snap.uri, snap.path)
        d.text, d.gen, d.path = snap.text, snap.gen, snap.path
        d.fixed = None
        try:
            state = self._state(d.path)
        except Exception as exc:  # noqa: BLE001 - a config error: said on the document
            d.state, d.linted, d.problem = None, False, _config_problem(exc)
            d.diagnostics, d.result, d.doc = [], None, None
            out[d.uri] = (d.gen, self._lsp(d))
            return None
        if state is not d.state:
            d.state = state
            d.linted = state.lints(d.path)
        d.problem = None
        if not d.linted:
            d.diagnostics, d.result, d.doc = [], None, None
            out[d.uri] = (d.gen, [])
            return None
        state.lint_doc(d)
        return state

    def lint(self, snaps: list[Snapshot], complete: bool = True) -> dict[str, tuple[int, list[Any]]]:
        """Lint the changed documents; returns (generation, LSP diagnostics) of every open
        document whose diagnostics may have changed (the changed ones and the other open
        documents of their sites). ``complete`` false: file rules only, for a site whose
        files have not been read yet (a first, fast answer)."""
        touched: dict[int, SiteState] = {}
        out: dict[str, tuple[int, list[Any]]] = {}
        done: set[str] = set()
        queue = list(snaps)
        while queue:
            for snap in queue:
                done.add(snap.uri)
                state = self._take(snap, out)
                if state is not None:
                    touched[id(state)] = state
            # Open documents of a site whose config changed: linted again with the new settings.
            queue = [Snapshot(d.uri, d.path, d.text, d.gen) for d in self.docs.values()
                     if d.uri not in done and d.state is not None and not self._owned(d)]
        for state in touched.values():
            if self.states.get(state.key) is state:  # (a site read already is always reported whole)
                out.update(self._report(state, complete or state.built))
        return out

    def _report(self, state: SiteState, complete: bool) -> dict[str, tuple[int, list[Any]]]:
        if complete and not state.built:
            import time

            began = time.monotonic()
            count = state.build()
            if count:
                self.log.append(f"blogtools: read {count} files of {state.site.root} in "
                                f"{time.monotonic() - began:.1f} s")
        if complete:
            state.refresh()
        members = [d for d in self.docs.values() if d.state is state and d.linted and d.result is not None]
        found = state.report(members, complete)
        out = {}
        for d in members:
            d.diagnostics = found.get(d.path, [])
            d.complete = complete
            out[d.uri] = (d.gen, self._lsp(d))
        return out

    def needs_build(self, snaps: list[Snapshot]) -> bool:
        """Will linting these read a site's files first (a slow first run)?"""
        for snap in snaps:
            key = self.folders.get(os.path.dirname(snap.path))
            state = self.states.get(key) if key is not None else None
            if state is None or not state.built:
                return True
        return False

    def close(self, uri: str) -> dict[str, tuple[int, list[Any]]]:
        """Forget a document; its file is read from disk again and the other open
        documents of its site are reported again (the unsaved text no longer counts)."""
        d = self.docs.pop(uri, None)
        if d is None or d.state is None or not self._owned(d):
            return {}
        state = d.state
        state.stale.add(d.path)
        others = [o for o in self.docs.values() if o.state is state and o.linted and o.result is not None]
        if not others or not state.built:
            return {}
        return self._report(state, True)

    def current(self, snap: Snapshot | None) -> EngineDoc | None:
        """The engine's document for ``snap``, linted at that generation (None: unknown)."""
        if snap is None:
            return None
        d = self.docs.get(snap.uri)
        if d is None or d.gen != snap.gen:
            self.lint([snap])
            d = self.docs.get(snap.uri)
        return d

    # -- conversions --------------------------------------------------------------------
    def textmap(self, d: EngineDoc) -> TextMap:
        return TextMap(d.text, self.encoding, d.shift)

    def _lsp(self, d: EngineDoc) -> list[Any]:
        from lsprotocol import types as T

        tm = self.textmap(d)
        out = []
        if d.problem:
            out.append(T.Diagnostic(range=T.Range(T.Position(0, 0), T.Position(0, 0)), message=d.problem,
                                    severity=T.DiagnosticSeverity.Error, source=SOURCE))
        for diag in d.diagnostics:
            out.append(lsp_diagnostic(diag, tm))
        return out

    # -- code actions -------------------------------------------------------------------
    def code_actions(self, snap: Snapshot | None, start: tuple[int, int], end: tuple[int, int],
                     only: list[str] | None) -> list[Any]:
        from lsprotocol import types as T

        d = self.current(snap)
        if d is None or d.doc is None or not d.linted:
            return []
        tm = self.textmap(d)
        out: list[Any] = []
        if _wanted(only, "quickfix"):
            for diag in d.diagnostics:
                if diag.fix is None or not diag.fix.edits:
                    continue
                ld = lsp_diagnostic(diag, tm)
                a, b = (ld.range.start.line, ld.range.start.character), (ld.range.end.line, ld.range.end.character)
                if a > end or start > b:
                    continue
                title = f"{diag.fix.description or 'Fix'} ({diag.code})"
                if not diag.fix.safe:
                    title += " (unsafe)"
                out.append(T.CodeAction(
                    title=title, kind=T.CodeActionKind.QuickFix, diagnostics=[ld],
                    is_preferred=bool(diag.fix.safe),
                    edit=T.WorkspaceEdit(changes={d.uri: fix_edits(diag.fix, d, tm)})))
        if _wanted(only, FIX_ALL_KIND) and any(x.fix is not None and x.fix.safe and x.fix.edits
                                               for x in d.diagnostics):
            fixed = self.fix_all(d)
            if fixed != d.doc.text:
                a, b, new = minimal_edit(d.doc.text, fixed)
                edit = T.TextEdit(range=T.Range(T.Position(*tm.position(a + d.shift)),
                                                T.Position(*tm.position(b + d.shift))), new_text=new)
                out.append(T.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND,
                                        edit=T.WorkspaceEdit(changes={d.uri: [edit]})))
        return out

    def fix_all(self, d: EngineDoc) -> str:
        """The text after blogtools' fixer applied every safe fix (file and site rules)."""
        if d.fixed is not None and d.fixed[0] == d.gen:
            return d.fixed[1]
        from blogtools.lint import fixer
        from blogtools.lint.runner import lint_document

        state = d.state
        text = d.doc.text
        if state is not None:
            site_codes = {c.code for c in state.rules if c.site_wide}
            extra = [x for x in d.diagnostics if x.code in site_codes and x.fix is not None]
            ff = fixer.fix_document(d.doc, lambda doc: lint_document(doc, state.instances, state.site), False, extra)
            text = ff.text
        d.fixed = (d.gen, text)
        return text

    # -- hover --------------------------------------------------------------------------
    def hover(self, snap: Snapshot | None, line: int, character: int) -> Any:
        from lsprotocol import types as T

        d = self.current(snap)
        if d is None or d.doc is None:
            return None
        tm = self.textmap(d)
        offset = tm.offset(line, character) - d.shift
        codes: list[str] = []
        rng = None
        from blogtools.lint import suppress

        sup = suppress.collect(d.doc)
        for entry in list(sup.entries) + list(sup.stray):
            if entry.code != suppress.ALL and entry.start <= offset <= entry.end:
                codes.append(entry.code)
                rng = T.Range(T.Position(*tm.position(entry.start + d.shift)),
                              T.Position(*tm.position(entry.end + d.shift)))
                break
        if not codes:
            here = (line, character)
            for diag in d.diagnostics:
                ld = lsp_diagnostic(diag, tm)
                a, b = (ld.range.start.line, ld.range.start.character), (ld.range.end.line, ld.range.end.character)
                if a <= here <= b and diag.code not in codes:
                    codes.append(diag.code)
                    rng = rng or ld.range
        pages = [p for p in (rule_page(c, self.markdown_hover) for c in codes) if p]
        if not pages:
            return None
        sep = "\n---\n\n" if self.markdown_hover else "\n" + "-" * 40 + "\n\n"
        kind = T.MarkupKind.Markdown if self.markdown_hover else T.MarkupKind.PlainText
        return T.Hover(contents=T.MarkupContent(kind=kind, value=sep.join(pages)), range=rng)


def _wanted(only: list[str] | None, kind: str) -> bool:
    """Does a code action request's ``only`` allow actions of ``kind``?"""
    if not only:
        return True
    return any(kind == k or kind.startswith(k + ".") for k in only)


def _config_problem(exc: Exception) -> str:
    from blogtools.config import ConfigError

    if isinstance(exc, ConfigError):
        return f"blogtools: {exc}"
    return f"blogtools: cannot load the site's configuration: {type(exc).__name__}: {exc}"


_SEVERITY = {"error": 1, "warning": 2, "info": 3}


def lsp_diagnostic(diag: Any, tm: TextMap) -> Any:
    from lsprotocol import types as T

    from blogtools.lint.output import RULE_HELP_URI
    from blogtools.lint.registry import all_rules

    start = tm.doc_position(diag.line, diag.column)
    end = tm.doc_position(diag.end_line, diag.end_column)
    end = max(end, start)
    rule = all_rules().get(diag.code)
    href = None
    if rule is not None and rule.__module__.split(".", 1)[0] == "blogtools_rules":
        href = T.CodeDescription(href=RULE_HELP_URI.format(code=diag.code))
    return T.Diagnostic(range=T.Range(T.Position(*start), T.Position(*end)), message=diag.message,
                        severity=T.DiagnosticSeverity(_SEVERITY.get(diag.severity, 2)), code=diag.code,
                        code_description=href, source=SOURCE)


def fix_edits(fix: Any, d: EngineDoc, tm: TextMap) -> list[Any]:
    """A blogtools Fix as LSP TextEdits (newlines as the document writes them)."""
    from lsprotocol import types as T

    newline = d.doc.newline if d.doc is not None else "\n"
    out = []
    for e in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        content = e.content
        if newline != "\n":
            content = content.replace("\r\n", "\n").replace("\n", newline)
        out.append(T.TextEdit(range=T.Range(T.Position(*tm.position(e.start + d.shift)),
                                            T.Position(*tm.position(e.end + d.shift))), new_text=content))
    return out


_PAGES: dict[tuple[str, bool], str | None] = {}


def rule_page(code: str, markdown: bool = False) -> str | None:
    """What ``blogtools rule CODE`` prints (``docs/rules/CODE.md``'s Markdown with
    ``markdown``)."""
    key = (code, markdown)
    if key not in _PAGES:
        from blogtools import ruledoc
        from blogtools.lint.registry import lookup

        rule = lookup(code)
        _PAGES[key] = None if rule is None else (ruledoc.markdown(rule) if markdown else ruledoc.terminal(rule))
    return _PAGES[key]


# --------------------------------------------------------------------------- the server
def create_server() -> Any:
    """The pygls LanguageServer with blogtools' features."""
    from lsprotocol import types as T
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol
    from pygls.protocol.language_server import lsp_method

    from blogtools import __version__

    class Protocol(LanguageServerProtocol):
        """Open documents are kept by the server itself (pygls' store splits lines at
        U+2028 and other characters LSP does not count as line ends)."""

        @lsp_method(T.TEXT_DOCUMENT_DID_OPEN)
        def lsp_text_document__did_open(self, params: Any) -> Any:
            if (handler := self.fm.features.get(T.TEXT_DOCUMENT_DID_OPEN)) is not None:
                yield handler, (params,), None

        @lsp_method(T.TEXT_DOCUMENT_DID_CHANGE)
        def lsp_text_document__did_change(self, params: Any) -> Any:
            if (handler := self.fm.features.get(T.TEXT_DOCUMENT_DID_CHANGE)) is not None:
                yield handler, (params,), None

        @lsp_method(T.TEXT_DOCUMENT_DID_CLOSE)
        def lsp_text_document__did_close(self, params: Any) -> Any:
            if (handler := self.fm.features.get(T.TEXT_DOCUMENT_DID_CLOSE)) is not None:
                yield handler, (params,), None

    class Open:
        __slots__ = ("path", "text", "version", "gen")

        def __init__(self, path: str, text: str, version: int | None, gen: int) -> None:
            self.path, self.text, self.version, self.gen = path, text, version, gen

    class Server(LanguageServer):
        def __init__(self) -> None:
            super().__init__("blogtools", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental,
                             protocol_cls=Protocol)
            self.open: dict[str, Open] = {}
            self.engine = Engine()
            # One worker: the engine is only ever used by it.
            self.worker = _worker()
            self.pending: set[str] = set()
            self.timer: asyncio.TimerHandle | None = None
            self.busy = False  # a flush is running
            self.counter = 0
            self.shut_down = False

        # -- plumbing -------------------------------------------------------------------
        async def call(self, fn: Any, *args: Any) -> Any:
            return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

        def snapshot(self, uri: str) -> Snapshot | None:
            o = self.open.get(uri)
            return None if o is None else Snapshot(uri, o.path, o.text, o.gen)

        def schedule(self, uri: str, delay: float) -> None:
            self.pending.add(uri)
            if self.timer is not None:
                self.timer.cancel()
            self.timer = asyncio.get_running_loop().call_later(delay, self._fire)

        def _fire(self) -> None:
            self.timer = None
            if not self.busy:  # (else the running flush starts the next one when it ends)
                asyncio.ensure_future(self.flush())

        async def flush(self) -> None:
            self.busy = True
            snaps: list[Snapshot] = []
            try:
                uris, self.pending = self.pending, set()
                snaps = [s for s in (self.snapshot(u) for u in sorted(uris)) if s is not None]
                if snaps:
                    if await self.call(self.engine.needs_build, snaps):
                        self.publish(await self.call(self.engine.lint, snaps, False))
                    self.publish(await self.call(self.engine.lint, snaps, True))
            except Exception as exc:  # noqa: BLE001 - said in the editor, never a crash
                self.failed(snaps, exc)
            finally:
                self.busy = False
                self.log()
            if self.pending and self.timer is None:
                self._fire()  # changes that came while this one ran, their pause already over

        def publish(self, results: dict[str, tuple[int, list[Any]]]) -> None:
            for uri, (gen, diagnostics) in results.items():
                o = self.open.get(uri)
                if o is None or o.gen != gen:
                    continue  # closed, or changed since: a newer run is on its way
                self.text_document_publish_diagnostics(
                    T.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=o.version))

        def failed(self, snaps: list[Snapshot], exc: BaseException) -> None:
            print("blogtools server: internal error\n" + "".join(traceback.format_exception(exc)),
                  file=sys.stderr)
            message = f"blogtools: internal error: {type(exc).__name__}: {exc} (see the server's log)"
            for s in snaps:
                o = self.open.get(s.uri)
                if o is not None and o.gen == s.gen:
                    self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
                        uri=s.uri, version=o.version, diagnostics=[T.Diagnostic(
                            range=T.Range(T.Position(0, 0), T.Position(0, 0)), message=message,
                            severity=T.DiagnosticSeverity.Error, source=SOURCE)]))

        def log(self) -> None:
            while self.engine.log:
                self.window_log_message(T.LogMessageParams(type=T.MessageType.Info,
                                                           message=self.engine.log.pop(0)))

    server = Server()

    @server.feature(T.INITIALIZE)
    def initialize(ls: Server, params: T.InitializeParams) -> None:
        ls.engine.encoding = _encoding(ls.workspace.position_encoding)
        text_document = params.capabilities.text_document
        hover = text_document.hover if text_document else None
        formats = [str(getattr(f, "value", f)) for f in (hover.content_format if hover else None) or []]
        ls.engine.markdown_hover = formats[:1] == ["markdown"]  # (the client's first choice)

    @server.feature(T.INITIALIZED)
    async def initialized(ls: Server, params: T.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is None or not watch.dynamic_registration:
            return
        from blogtools.site import HATENA_CONFIGS, HUGO_CONFIGS, JEKYLL_CONFIGS

        names = ",".join(sorted(set(HUGO_CONFIGS + JEKYLL_CONFIGS + HATENA_CONFIGS + CONFIG_NAMES)))
        watchers = [T.FileSystemWatcher(glob_pattern=g) for g in
                    ("**/*.{md,markdown}", f"**/{{{names}}}", "**/config/**")]
        try:
            await ls.client_register_capability_async(T.RegistrationParams(registrations=[T.Registration(
                id="blogtools-watch", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
        except Exception:  # noqa: BLE001 - without a watcher, config edits are seen on save
            pass

    @server.feature(T.SHUTDOWN)
    def shutdown(ls: Server, params: Any = None) -> None:
        ls.shut_down = True

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: Server, params: T.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        path = uri_to_path(doc.uri)
        if not is_markdown(path):
            return
        ls.counter += 1
        ls.open[doc.uri] = Open(path, doc.text, doc.version, ls.counter)  # type: ignore[arg-type]
        ls.schedule(doc.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: Server, params: T.DidChangeTextDocumentParams) -> None:
        o = ls.open.get(params.text_document.uri)
        if o is None:
            return
        text = o.text
        for change in params.content_changes:
            text = apply_change(text, change, ls.engine.encoding)
        ls.counter += 1
        o.text, o.version, o.gen = text, params.text_document.version, ls.counter
        ls.schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE, T.SaveOptions(include_text=False))
    def did_save(ls: Server, params: T.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri in ls.open:
            # (a config edited meanwhile is seen by the run: its files' times are compared)
            ls.schedule(params.text_document.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Server, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.open.pop(uri, None) is None:
            return
        ls.pending.discard(uri)
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

        async def forget() -> None:  # (the other open posts of the site, without its text)
            try:
                ls.publish(await ls.call(ls.engine.close, uri))
            except Exception as exc:  # noqa: BLE001
                ls.failed([], exc)

        asyncio.ensure_future(forget())

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: Server, params: T.DidChangeWatchedFilesParams) -> None:
        paths = [p for p in (uri_to_path(c.uri) for c in params.changes) if p]
        if not paths:
            return
        await ls.call(ls.engine.files_changed, paths)
        for uri in ls.open:
            ls.schedule(uri, DEBOUNCE)

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(
        code_action_kinds=[T.CodeActionKind.QuickFix, FIX_ALL_KIND]))  # type: ignore[list-item]
    async def code_action(ls: Server, params: T.CodeActionParams) -> list[Any]:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return []
        r = params.range
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        try:
            return await ls.call(ls.engine.code_actions, snap, (r.start.line, r.start.character),
                                 (r.end.line, r.end.character), only)
        except Exception as exc:  # noqa: BLE001
            ls.failed([], exc)
            return []

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    async def hover(ls: Server, params: T.HoverParams) -> Any:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        try:
            return await ls.call(ls.engine.hover, snap, params.position.line, params.position.character)
        except Exception as exc:  # noqa: BLE001
            ls.failed([], exc)
            return None

    return server


def _worker() -> Any:
    """The one lint thread, started now with a main thread's stack: deeply nested front
    matter is parsed recursively and must end as a diagnostic (BT002), never overflow the
    smaller stack some systems give threads."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="blogtools-lint")
    try:
        previous = threading.stack_size(32 * 1024 * 1024)
    except (ValueError, RuntimeError):
        previous = None
    try:
        worker.submit(int).result()  # (the thread is made now, with that stack)
    finally:
        if previous is not None:
            threading.stack_size(previous)
    return worker


def serve() -> int:
    """Run the server on stdin/stdout until the client says exit; 0 after a shutdown
    request, 1 without one (as LSP asks)."""
    import logging

    import blogtools.lint

    blogtools.lint.FREEZE_AFTER_RUN = False  # (a long-lived process)
    # The protocol gets its own descriptors; fd 0 and 1 become /dev/null and stderr, so that
    # nothing else (a print, a subprocess, a worker process) can read or corrupt the
    # channel, and no worker process inherits a stdin object a reader thread has locked.
    stdin = os.fdopen(os.dup(0), "rb")
    stdout = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="blogtools server: %(message)s")
    server = create_server()
    try:
        server.start_io(stdin, stdout)
    finally:
        server.worker.shutdown(wait=False, cancel_futures=True)
    return 0 if server.shut_down else 1
