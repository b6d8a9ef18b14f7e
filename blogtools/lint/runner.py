"""Discover files, lint each once (in parallel, cached), then run site-wide rules.

Per-file work happens in worker processes when there are many files; a worker returns the
file's diagnostics and facts. Site-wide rules then run once over all facts. A file that
cannot be read is one diagnostic; a rule that raises is one diagnostic with the rule's code;
neither stops the run.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import re
import sys
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Iterable, Iterator

from blogtools.config import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, Config
from blogtools.document import Document, LoadError
from blogtools import lint as engine, safefs
from blogtools.lint import suppress
from blogtools.lint.registry import all_rules, matches
from blogtools.lint.rule import Diagnostic, Rule, RunContext
from blogtools.record import dataclass, field
from blogtools.site import Site

MARKDOWN_SUFFIXES = (".md", ".markdown")
# Jekyll also renders HTML files with front matter (posts, pages, collection documents):
# discovery finds them in a Jekyll site (see :func:`_jekyll_reader`).
HTML_SUFFIXES = (".html", ".htm")
PARALLEL_THRESHOLD = 48


# --------------------------------------------------------------------------- selection
@dataclass
class Selection:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    external: bool = False


def selected_rules(config: Config, cli: Selection) -> list[type[Rule]]:
    """Config first, then the command line (which wins)."""
    rules = all_rules()
    select = cli.select if cli.select is not None else config.get("select")
    if select is None:
        chosen = {code for code, r in rules.items() if r.default_enabled}
    else:
        chosen = {code for code, r in rules.items() if any(matches(r, s) for s in select)}
    for s in list(config.get("extend-select")) + cli.extend_select:
        chosen |= {code for code, r in rules.items() if matches(r, s)}
    if cli.external or config.get("external"):
        # Network rules are off by default; --external turns on those the selection allows.
        chosen |= {code for code, r in rules.items() if r.needs_network
                   and (select is None or any(matches(r, s) for s in select))}
    else:
        chosen -= {code for code, r in rules.items() if r.needs_network}
    for s in list(config.get("ignore")) + cli.ignore:
        chosen -= {code for code, r in rules.items() if matches(r, s)}
    return [rules[c] for c in sorted(chosen)]


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    rules = all_rules().values()
    return [s for s in selectors if not any(matches(r, s) for r in rules)]


def facts_plan(rule_classes: Iterable[type[Rule]]) -> tuple[bool, frozenset[str]]:
    """(extract facts at all, names of facts to skip) for a run of these rules.

    Facts are what site-wide rules read: none without such a rule; only those the site-wide
    rules list (:attr:`Rule.reads_facts`) when all of them list theirs; the network rules'
    facts only with a network rule. Suppressions are always kept: site-wide findings honour
    them."""
    from blogtools.facts import EXTRACTORS, NETWORK_ONLY

    site_rules = [r for r in rule_classes if r.site_wide]
    if not site_rules:
        return False, frozenset()
    skip = set() if any(r.needs_network for r in site_rules) else set(NETWORK_ONLY)
    if all(r.reads_facts is not None for r in site_rules):
        wanted = {name for r in site_rules for name in r.reads_facts or ()} | {"suppressions"}
        skip |= set(EXTRACTORS) - wanted
    return True, frozenset(skip)


# --------------------------------------------------------------------------- discovery
@lru_cache(maxsize=256)
def _glob_re(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i)
            if j < 0:
                out.append(re.escape(c))
            else:
                out.append(fnmatch.translate(pattern[i : j + 1])[4:-3])
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(rel: str, patterns: Iterable[str]) -> bool:
    return _matcher(tuple(patterns))(rel)


@lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]) -> Any:
    """One compiled test for a set of globs (called for every file: keep it a single regex).

    A pattern without ``/`` also matches the last path component, like .gitignore.
    """
    full, bare = [], []
    for p in patterns:
        p = p[2:] if p.startswith("./") else p
        full.append(_glob_re(p).pattern[: -len(r"\Z")])
        if "/" not in p:
            bare.append(_glob_re(p).pattern[: -len(r"\Z")])
    rx_full = re.compile("(?:" + "|".join(full) + r")\Z") if full else None
    rx_bare = re.compile("(?:" + "|".join(bare) + r")\Z") if bare else None

    def match(rel: str) -> bool:
        if rx_full is not None and rx_full.match(rel):
            return True
        return rx_bare is not None and bool(rx_bare.match(rel.rsplit("/", 1)[-1]))

    return match


def _rel(path: str, root: str) -> str:
    prefix = root.rstrip(os.sep) + os.sep
    if path.startswith(prefix):
        rel = path[len(prefix) :]
        return rel if os.sep == "/" else rel.replace(os.sep, "/")
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def display_path(path: str, cwd: str | None = None) -> str:
    """``path`` relative to the working folder when inside it (``cwd``: the caller's
    :func:`os.getcwd`, when it asks for many paths)."""
    absolute = os.path.abspath(path)
    cwd = cwd or os.getcwd()
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return path


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)  # absolute paths
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    # Every folder the walk read, with its mtime (the site cache key watches folders: this
    # saves a second walk of the content tree; recorded only by a walk with a memo, that is
    # with the cache on), and the folders it did not enter.
    folders: dict[str, int] = field(default_factory=dict)
    pruned: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # named files outside the content folders
    memo: Any = field(default=None, repr=False, compare=False)  # what later walks may reuse


# What a listed Markdown name is (kept in the discovery memo; 0 and 1 read as the booleans
# older memos stored): a regular file, a symbolic link (checked anew on every run), or
# something else (a FIFO, socket or device: never opened).
REGULAR, LINK, SPECIAL = 0, 1, 2
Listing = tuple[list[tuple[str, int]], list[str], list[str]]


def discovery_patterns(config: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(include globs, exclude globs) that decide which files :func:`discover` finds."""
    return (tuple(config.get("include")),
            tuple(DEFAULT_EXCLUDE) + tuple(config.get("exclude")) + tuple(config.get("extend-exclude")))


def discover(paths: list[str], config: Config, memo: Any = None, content: Iterable[str] | None = None) -> Discovery:
    """Markdown files under ``paths``, in a stable order, honouring include/exclude.

    ``content``: the generator's content folders. Only files inside them are found (a Hugo
    site's ``archetypes/``, ``themes/``, ``layouts/`` or root README are no posts), and only
    folders on the way to them are entered; a file named on the command line outside them
    is listed in ``Discovery.outside`` (pre-commit passes every staged Markdown file).

    Directory symlinks are not followed (no loops); a symlinked file is read through its
    link when its target is a regular file inside the tree (``config.root``), and a file
    reached twice (two links, or a path given twice) is linted once. What is not read gets
    one line in ``problems``: a link out of the tree, a link loop, a broken link, and
    anything that is not a regular file (a FIFO would block a reader forever).

    ``memo``: a :class:`blogtools.lint.cache.DiscoveryMemo`. A folder whose modification
    time is the one recorded is not listed again: adding, removing or renaming an entry
    changes its folder's mtime, editing a file does not. Symbolic links are checked anew.
    """
    include_patterns, exclude_patterns = discovery_patterns(config)
    include, exclude = _matcher(include_patterns), _matcher(exclude_patterns)
    root = config.root
    # The Jekyll site each walked path is in (its .html documents are found too), or None.
    jekyll = {given: _jekyll_reader(os.path.abspath(given)) for given in paths if os.path.isdir(given)}
    # (``include`` left at its default names Markdown only: Jekyll's HTML documents count too)
    html_default = tuple(include_patterns) == tuple(DEFAULT_INCLUDE)
    root_real = safefs.real_root(root)
    inside = [os.path.abspath(c).rstrip(os.sep) + os.sep for c in content] if content is not None else None

    def in_content(path: str) -> bool:
        return inside is None or any(path.startswith(c) for c in inside)

    def leads_to_content(folder: str) -> bool:
        here = folder.rstrip(os.sep) + os.sep
        return inside is None or any(here.startswith(c) or c.startswith(here) for c in inside)
    found = Discovery(memo=memo)
    seen: set[str] = set()

    def refused(path: str, link: int) -> str | None:
        """Why ``path`` is not read (None: it is a regular file to read)."""
        if link == SPECIAL:
            try:
                return safefs.not_regular(os.lstat(path).st_mode)
            except OSError as exc:
                return f"cannot read file: {exc.strerror}"
        if not link:
            return None
        try:
            safefs.check_regular(path)
            safefs.check_inside(path, root, root_real)
        except safefs.Refused as exc:
            return exc.reason
        except OSError as exc:
            return f"cannot read file: {exc.strerror}"
        return None

    def add(path: str, is_link: bool) -> None:
        key = os.path.realpath(path) if is_link else path
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    def listing(directory: str, html: bool) -> Listing:
        """(Markdown files, and HTML files with ``html``, with whether each is a symlink,
        sub-folders to enter, pruned ones)."""
        with os.scandir(directory) as it:
            entries = sorted(it, key=_entry_name)
        files: list[tuple[str, int]] = []
        subdirs: list[str] = []
        pruned: list[str] = []
        suffixes = MARKDOWN_SUFFIXES + HTML_SUFFIXES if html else MARKDOWN_SUFFIXES
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                rel = _rel(entry.path, root)
                if not name.startswith(".") and not exclude(rel) and not exclude(rel + "/"):
                    subdirs.append(entry.path)
                else:
                    pruned.append(entry.path)
                continue
            if not name.lower().endswith(suffixes):
                continue  # (images and other files: no path work at all)
            rel = _rel(entry.path, root)
            if exclude(rel) or not (include(rel) or html_default and name.lower().endswith(HTML_SUFFIXES)):
                continue
            if entry.is_symlink():
                files.append((entry.path, LINK))
            else:
                try:
                    regular = entry.is_file(follow_symlinks=False)
                except OSError:
                    regular = False
                files.append((entry.path, REGULAR if regular else SPECIAL))
        return files, subdirs, pruned

    def walk(directory: str, site: Any = None) -> None:
        html = site is not None
        try:
            if memo is None:  # (folder times serve the caches only: no stat without them)
                known, mtime = None, 0
            else:
                mtime = os.stat(directory).st_mtime_ns
                known = memo.get(directory, mtime)
                if known is not None and (len(known) > 3) != html:
                    known = None  # listed for another generator (with or without HTML files)
            files, subdirs, pruned = known[:3] if known is not None else listing(directory, html)
        except OSError as exc:
            found.problems.append((directory, f"cannot read folder: {exc.strerror}"))
            return
        if memo is not None:
            found.folders[directory] = mtime
            if known is None:
                memo.put(directory, mtime, (files, subdirs, pruned, "html") if html else (files, subdirs, pruned))
        found.pruned.extend(pruned)
        if not in_content(directory + os.sep):
            files = []
        for path, link in files:
            if link == LINK and os.path.isdir(path):
                continue  # a directory symlink named *.md: not followed
            if html and path.lower().endswith(HTML_SUFFIXES) and not site(path):
                continue  # an HTML file Jekyll does not render (no front matter, a layout, excluded)
            why = refused(path, link)
            if why is not None:
                found.problems.append((path, why))
                continue
            add(path, link == LINK)
        for sub in subdirs:
            if leads_to_content(sub):
                walk(sub, site)

    for given in paths:
        absolute = os.path.abspath(given)
        if os.path.islink(given) and not os.path.exists(given):
            why = refused(given, LINK)
            found.problems.append((given, why or "broken symbolic link"))
        elif os.path.isdir(given):
            if leads_to_content(absolute):
                walk(absolute, jekyll.get(given))
        elif os.path.lexists(given):
            if not in_content(absolute):
                found.outside.append(absolute)
            elif not exclude(_rel(absolute, root)):
                why = refused(absolute, LINK if os.path.islink(given) else
                              REGULAR if os.path.isfile(given) else SPECIAL)
                if why is not None:
                    found.problems.append((given, why))
                else:
                    add(absolute, True)
        else:
            found.problems.append((given, "no such file or directory"))
    if memo is not None:
        memo.save()
    return found


def _jekyll_reader(folder: str) -> Any:
    """For a folder in a Jekyll site: a test of an HTML file's path, true when Jekyll renders
    it (front matter on its first line; a post, draft, page or document of a collection with
    ``output: true``; not excluded, not under a ``_`` folder such as ``_layouts``); None
    for a folder in no Jekyll site."""
    from blogtools.site import JEKYLL_CONFIGS, find_site_root

    root = find_site_root(folder)
    if root is None:
        return None
    stamps = []
    for name in JEKYLL_CONFIGS:
        try:
            stamps.append(os.stat(os.path.join(root, name)).st_mtime_ns)
        except OSError:
            stamps.append(None)
    return _jekyll_reader_at(root, tuple(stamps))


@lru_cache(maxsize=64)
def _jekyll_reader_at(root: str, _stamps: tuple[Any, ...]) -> Any:
    """(:func:`_jekyll_reader` for a site root, made again when its config file changes)"""
    from blogtools.site import load_site

    site = load_site(root)
    if site.generator != "jekyll":
        return None
    from blogtools.generators.jekyll import has_front_matter

    profile = site.profile
    prefix = site.root.rstrip(os.sep) + os.sep

    def reads(path: str) -> bool:
        if not path.startswith(prefix):
            return False
        rel = path[len(prefix):].replace(os.sep, "/")
        return profile.reads_file(rel) and has_front_matter(path)

    return reads


def report_skipped(problems: Iterable[tuple[str, str]], results: Iterable["FileResult"] = (),
                   stream: Any = None) -> int:
    """One line on stderr per file a command that prints no findings (``site``, ``vocab``)
    did not read: what discovery refused and what could not be loaded. Returns the count."""
    stream = stream if stream is not None else sys.stderr
    count = 0
    for path, why in problems:
        print(f"blogtools: {display_path(path)}: {why}", file=stream)
        count += 1
    for r in results:
        if r.facts is None:
            why = next((d.message for d in r.diagnostics if d.code == "BT001"), "could not be read")
            print(f"blogtools: {r.path}: not read: {why}", file=stream)
            count += 1
    return count


# --------------------------------------------------------------------------- per file
@dataclass
class FileResult:
    path: str  # display path
    abspath: str
    diagnostics: list[Diagnostic]
    _facts: dict[str, Any] | None = None
    # A cached result loads its facts only when a site rule needs them (the facts of 10,000
    # posts are ~40 MB; an unchanged site never needs them: its site results are cached).
    _loader: Any = field(default=None, repr=False, compare=False)

    @property
    def facts(self) -> dict[str, Any] | None:
        if self._loader is not None:
            self._facts, self._loader = self._loader(self.abspath), None
        return self._facts

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "abspath": self.abspath, "diagnostics": self.diagnostics,
                "_facts": self.facts, "_loader": None}


_WORKER: dict[str, Any] = {}


def make_rules(rule_classes: Iterable[type[Rule]], settings: dict[str, Any], context: RunContext) -> list[Rule]:
    """Instances of ``rule_classes`` for a run: its settings, and its context on each."""
    out = []
    for cls in rule_classes:
        rule = cls(settings)
        rule.context = context
        out.append(rule)
    return out


def _init_worker(rule_classes: list[type[Rule]], settings: dict[str, Any], site: Site, config: Config,
                 facts: bool = True, skip_facts: frozenset[str] = frozenset(),
                 context: RunContext = RunContext()) -> None:
    _WORKER["rules"] = make_rules(rule_classes, settings, context)
    _WORKER["facts"] = facts
    _WORKER["skip_facts"] = skip_facts
    _WORKER["site"] = site
    _WORKER["config"] = config
    _WORKER["cwd"] = os.getcwd()


def _init_pool_worker(*args: Any) -> None:
    _init_worker(*args)
    # Everything alive now (modules, rules, the site) lives as long as the worker: the
    # collector need not scan it again for every full collection.
    # Linting makes almost no cyclic garbage (the body model is built from the parser's
    # events without reference cycles), so automatic collection is replaced by one collection
    # per chunk, which bounds whatever garbage there is to a chunk's worth.
    gc.freeze()
    gc.disable()


@contextmanager
def _collector_paused(freeze: bool = False) -> Iterator[None]:
    """Run without automatic garbage collection while building what stays alive until the
    run ends (the results received from the workers, the site model): each full collection
    would scan every object built so far (millions on a large site) and find nothing. The
    little cyclic garbage made meanwhile is collected after.

    ``freeze``: move everything built meanwhile to the permanent generation instead. Once
    collection resumes, the millions of objects allocated while it was off are all "young":
    the next few collections would scan every one of them (about 0.8 s on 10,000 posts)
    while the results are sorted and printed. Only for a process that exits after the run
    (frozen cyclic garbage is never collected)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze:
                gc.freeze()
            gc.enable()


def unreadable(path: str, error: LoadError) -> Diagnostic:
    return Diagnostic(path, error.line, error.column, error.line, error.column, "BT001", "file-unreadable",
                      "error", error.message)


def lint_document(doc: Document, rules: list[Rule], site: Site) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    failed: set[str] = set()
    for rule in rules:
        try:
            out.extend(rule.check(doc, site))
        except Exception as exc:  # noqa: BLE001 - a failing rule is reported, never fatal
            failed.add(rule.code)
            out.append(Diagnostic(doc.path, 1, 1, 1, 1, rule.code, rule.name, "error",
                                  f"internal error in rule {rule.code} ({rule.name}): {type(exc).__name__}: {exc}"))
    return suppress.apply(doc, out, [r for r in rules if r.code not in failed] if failed else rules)  # (what ran)


def lint_one(abspath: str, text: str | None = None) -> FileResult:
    rules, site, config = _WORKER["rules"], _WORKER["site"], _WORKER["config"]
    shown = display_path(abspath, _WORKER.get("cwd"))
    try:
        if text is None:
            doc = Document.read(abspath, config.get("max-file-size"))
            doc.path = shown
        else:
            doc = Document.from_text(shown, text)
    except LoadError as exc:
        return FileResult(shown, abspath, [unreadable(shown, exc)], None)
    diagnostics = lint_document(doc, rules, site)
    if not _WORKER.get("facts", True):
        return FileResult(shown, abspath, diagnostics, None)
    try:
        from blogtools.facts import extract

        facts = extract(doc, _WORKER.get("skip_facts", ()))
    except Exception as exc:  # noqa: BLE001
        facts = None
        diagnostics.append(Diagnostic(shown, 1, 1, 1, 1, "BT001", "file-unreadable", "error",
                                      f"internal error while indexing the file: {type(exc).__name__}: {exc}"))
    return FileResult(shown, abspath, diagnostics, facts)


def _lint_chunk(paths: list[str]) -> list[FileResult]:
    gc.collect()  # the previous chunk's cyclic garbage (automatic collection is off here)
    return [lint_one(p) for p in paths]


# --------------------------------------------------------------------------- the run
def _templates(root: str) -> list[str]:
    """Template files rules read from disk (Hugo shortcodes, Jekyll layouts and includes,
    which decide front matter image prefixes and anchors): part of the cache key."""
    bases = [os.path.join(root, "layouts"), os.path.join(root, "_layouts"), os.path.join(root, "_includes")]
    themes = os.path.join(root, "themes")
    if os.path.isdir(themes):
        bases += [os.path.join(themes, t, "layouts") for t in sorted(os.listdir(themes))]
    names = []
    for base in bases:
        for dirpath, _dirs, files in os.walk(base):
            names.extend(os.path.relpath(os.path.join(dirpath, f), root) for f in files)
    return sorted(names)


@dataclass
class RunResult:
    results: list[FileResult]
    diagnostics: list[Diagnostic]
    files: int
    site: Site


class Runner:
    def __init__(self, config: Config, rule_classes: list[type[Rule]], site: Site, *, jobs: int = 0,
                 use_cache: bool = True, facts: bool = True, skip_facts: Iterable[str] = (),
                 context: RunContext | None = None) -> None:
        """``facts``: index each file for site-wide work (``FileResult.facts``); a run with no
        site-wide rule and no other reader of the facts skips it (a quarter of a file's cost).
        ``skip_facts``: names of facts (:data:`blogtools.facts.EXTRACTORS`) nobody will read.
        ``context``: the run's options every rule instance gets (the requested files, fix mode)."""
        self.config = config
        self.context = context or RunContext()
        self.rule_classes = rule_classes
        self.facts = facts
        self.skip_facts = frozenset(skip_facts)
        self.site = site
        self.jobs = jobs or config.get("jobs") or os.cpu_count() or 1
        self.use_cache = use_cache and config.get("cache")
        self._stat_keys: dict[str, tuple[int, ...]] = {}
        self._overlaid = False
        self._salt_memo: str | None = None
        self.discovery: Discovery | None = None  # set by a command that walked the site
        # Freeze the run's objects after it (see _collector_paused); a caller that runs
        # again in the same process (the fixer's rounds) turns this off.
        self.freeze_after = engine.FREEZE_AFTER_RUN
        _init_worker(rule_classes, config.rule_settings, site, config, facts, self.skip_facts, self.context)

    def _salt(self) -> str:
        """The cache key of this run's configuration, computed once per run (it walks the
        template folders and stats data files)."""
        if self._salt_memo is None:
            self._salt_memo = self._compute_salt()
        return self._salt_memo

    def _compute_salt(self) -> str:
        from blogtools.facts import EXTRACTORS
        from blogtools.lint.cache import salt

        return salt(
            [c.code for c in self.rule_classes],
            sorted((k, repr(v)) for k, v in self.config.rule_settings.items()),
            self.site.generator, repr(self.site.config), self.config.get("max-file-size"),
            [c.cache_key(self.config.rule_settings) for c in self.rule_classes],
            sorted(set(EXTRACTORS) - self.skip_facts) if self.facts else [],
            _templates(self.site.root), self.context.fix_mode,
        )

    def _cache(self) -> Any:
        if not self.use_cache:
            return None
        from blogtools.lint.cache import Cache

        return Cache(self._salt())

    def _site_key(self, results: list[FileResult]) -> str | None:
        """What site-wide results depend on: every file's (path, mtime, size), the folders
        holding them (an image added or removed changes its bundle folder) and static files.
        Not which files were asked for: whole-site results of a state serve every subset
        (:meth:`site_diagnostics` adds the subset to the key for results computed for a
        subset only). None when they must run (network rules, no cache)."""
        if not self.use_cache or self._overlaid or any(c.needs_network for c in self.rule_classes if c.site_wide):
            return None
        import hashlib

        h = hashlib.blake2b(self._salt().encode(), digest_size=16)
        tops = set()
        for r in sorted(results, key=lambda r: r.abspath):
            h.update(f"{r.abspath}\0{self._stat_keys.get(r.abspath)}\n".encode())
            tops.add(os.path.dirname(r.abspath))
        if tops:
            top = os.path.commonpath(sorted(tops))
            root = os.path.abspath(self.site.root)
            if top != root and not top.startswith(root + os.sep):
                return None  # files from outside the site: nothing bounded to watch
            tops = {top}
        static = os.path.join(self.site.root, "static")
        if os.path.isdir(static):
            tops.add(static)
        folders: dict[str, int | None] = {}
        for top in tops:  # every folder below: resources live in bundle subfolders
            folders.update(self._folders(top))
        for folder in sorted(folders):
            h.update(f"{folder}\0{'-' if folders[folder] is None else folders[folder]}\n".encode())
        return h.hexdigest()

    def _folders(self, top: str) -> dict[str, int | None]:
        """Every folder below ``top`` with its mtime: from the discovery walk when it
        covered ``top`` (folders it did not enter are walked here), else by walking."""
        known = self.discovery
        out: dict[str, int | None] = {}
        if known is not None and top in known.folders:
            prefix = top.rstrip(os.sep) + os.sep
            out.update((d, m) for d, m in known.folders.items() if d == top or d.startswith(prefix))
            walk = [p for p in known.pruned if p.startswith(prefix)]
        else:
            walk = [top]
        for base in walk:
            for dirpath, _dirs, _files in os.walk(base):
                try:
                    out[dirpath] = os.stat(dirpath).st_mtime_ns
                except OSError:
                    out[dirpath] = None
        return out

    def lint_files(self, files: list[str], overlay: dict[str, str] | None = None) -> list[FileResult]:
        overlay = overlay or {}
        self._overlaid = bool(overlay)
        _WORKER["cwd"] = os.getcwd()  # (paths are shown relative to it)
        self._salt_memo = None  # template folders and data files may change between runs
        cache = self._cache()  # files being fixed in memory (overlay) bypass it
        results: dict[str, FileResult] = {}
        todo: list[str] = []
        digests: dict[str, tuple[bytes, tuple[int, ...]]] = {}
        if cache is not None:
            from blogtools.lint.cache import content_hash

            for path in files:
                if path in overlay:
                    todo.append(path)
                    continue
                try:
                    st = os.stat(path)
                except OSError:
                    todo.append(path)
                    continue
                # As git's index: mtime and size alone miss a same-size edit whose old
                # mtime was put back (touch -d, an unpacked archive); the inode change time
                # cannot be set back, and the inode changes when a file is replaced.
                stat_key = (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)
                self._stat_keys[path] = stat_key
                hit = cache.get_by_stat(path, stat_key)
                if hit is None:
                    try:
                        digest = content_hash(safefs.read_bytes(path))
                    except OSError:
                        todo.append(path)
                        continue
                    digests[path] = (digest, stat_key)
                    hit = cache.get(path, digest, stat_key)
                if hit is not None:
                    results[path] = hit
                else:
                    todo.append(path)
        else:
            todo = list(files)
        fresh = self._run(todo, overlay)
        for r in fresh:
            results[r.abspath] = r
            if cache is not None and r.abspath in digests:
                cache.put(r.abspath, *digests[r.abspath], r)
        if cache is not None:
            # Prune entries of deleted files only when this run covered the whole cache.
            cache.save(keep=None if len(files) < len(cache.entries) else set(files))
        return [results[p] for p in files if p in results]

    def _run(self, todo: list[str], overlay: dict[str, str]) -> list[FileResult]:
        if overlay or self.jobs <= 1 or len(todo) < PARALLEL_THRESHOLD:
            return [lint_one(p, overlay.get(p)) for p in todo]
        chunk = max(8, min(64, len(todo) // (self.jobs * 8) or 1))
        chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
        from concurrent.futures import ProcessPoolExecutor

        out: list[FileResult] = []
        try:
            with _collector_paused(), ProcessPoolExecutor(
                max_workers=self.jobs, initializer=_init_pool_worker,
                initargs=(self.rule_classes, self.config.rule_settings, self.site, self.config, self.facts,
                          self.skip_facts, self.context),
            ) as pool:
                prepare = self._prepare_model()
                for part in pool.map(_lint_chunk, chunks):
                    out.extend(part)
                    if prepare:  # (while the workers lint the next chunks)
                        prepare = self._prepare_pages(part)
        except (OSError, RuntimeError) as exc:  # no process support: run here
            print(f"blogtools: parallel run unavailable ({exc}); linting in one process", file=sys.stderr)
            out = [lint_one(p) for p in todo]
        return out

    def _prepare_model(self) -> bool:
        """Is a site model going to be built (a selected site-wide rule reads the facts the
        model is made of)? Then its page-local part is done as results arrive."""
        from blogtools.site import MODEL_FACTS

        return self.facts and any(cls.site_wide and set(MODEL_FACTS) <= set(cls.reads_facts or ())
                                  for cls in self.rule_classes)

    def _prepare_pages(self, part: list[FileResult]) -> bool:
        """Prepare the model's pages of ``part`` (:meth:`Site.prepare`); on any error, drop
        what was prepared (the model then makes every page itself, and reports the error
        as it always did) and prepare nothing more."""
        try:
            self.site.prepare([r.facts for r in part if r.facts is not None])
            return True
        except Exception:  # noqa: BLE001
            self.site.drop_prepared()
            return False

    def site_diagnostics(self, results: list[FileResult], context: RunContext | None = None) -> list[Diagnostic]:
        """The site rules' diagnostics over ``results``; ``context``: this call's, in place of
        the runner's (the editor reports on its open files with the runner it keeps)."""
        context = context or self.context
        site_rules = make_rules([cls for cls in self.rule_classes if cls.site_wide], self.config.rule_settings,
                                context)
        if not site_rules:
            return []
        key = self._site_key(results) if context == self.context else None  # (the salt has the runner's)
        requested = context.requested
        if key is not None:
            from blogtools.lint.cache import SiteCache

            store = SiteCache(self._salt())
            cached = store.get(key)  # whole-site results of this state serve any subset
            if cached is not None:
                return cached
            if requested:
                # A pre-commit run: site rules report on the given files only (much less
                # work than the whole site), so their results are stored for that subset.
                import hashlib

                key += "-" + hashlib.blake2b(repr(sorted(requested)).encode(), digest_size=8).hexdigest()
                cached = store.get(key)
                if cached is not None:
                    return cached
        self.site.pages = [r.facts for r in results if r.facts is not None]
        out: list[Diagnostic] = []
        failed: set[str] = set()
        for rule in site_rules:
            try:
                out.extend(rule.check_site(self.site))
            except Exception as exc:  # noqa: BLE001
                failed.add(rule.code)
                out.append(Diagnostic(self.site.root, 1, 1, 1, 1, rule.code, rule.name, "error",
                                      f"internal error in site rule {rule.code} ({rule.name}): {type(exc).__name__}: {exc}"))
        out = self._filter_site(out, results, [type(r) for r in site_rules if r.code not in failed])
        if key is not None:
            store.put(key, out)
        return out

    def run(self, files: list[str], overlay: dict[str, str] | None = None) -> RunResult:
        with _collector_paused(self.freeze_after):
            results = self.lint_files(files, overlay)
            diagnostics = [d for r in results for d in r.diagnostics]
            diagnostics.extend(self.site_diagnostics(results))
            self.site.drop_prepared()  # (unused when the site results were cached)
            diagnostics = self._per_file_ignores(diagnostics, results)
            diagnostics.sort(key=Diagnostic.sort_key)
            return RunResult(results, diagnostics, len(files), self.site)

    def _filter_site(self, diagnostics: list[Diagnostic], results: list[FileResult],
                     ran: Iterable[type[Rule]] = ()) -> list[Diagnostic]:
        """Site-wide diagnostics honour the inline suppressions of the file they point into;
        with suppression-unused selected, directives for the site rules that ``ran`` (without
        failing) and suppressed nothing are reported (see :func:`suppress.filter_site`)."""
        return suppress.filter_site(diagnostics, results, ran, self.rule_classes)

    def _per_file_ignores(self, diagnostics: list[Diagnostic], results: list[FileResult]) -> list[Diagnostic]:
        table = self.config.get("per-file-ignores")
        if not table:
            return diagnostics
        rules = all_rules()
        abs_of = {r.path: r.abspath for r in results}
        out = []
        for d in diagnostics:
            rel = _rel(abs_of.get(d.path, os.path.abspath(d.path)), self.config.root)
            ignored = [s for pattern, sels in table.items() if glob_match(rel, [pattern]) for s in sels]
            rule = rules.get(d.code)
            if ignored and rule is not None and any(matches(rule, s) for s in ignored):
                continue
            out.append(d)
        return out
