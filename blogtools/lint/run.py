"""One ``blogtools lint`` run: :func:`run` takes the options of the command line as a
:class:`LintOptions` record and does everything after argument parsing (config and rule
selection, discovery, the site context, the runner, fixes, output), returning the exit code.

The pieces are public for the commands that share them: ``blogtools links`` (prepare,
site context, fixes), ``blogtools vocab`` (prepare) and the editor server (the discovery memo).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from blogtools.record import dataclass, field


@dataclass(frozen=True)
class LintOptions:
    """What a lint run was asked for (``blogtools lint``'s options; the defaults are its own)."""

    paths: list[str] = field(default_factory=lambda: ["."])  # never empty
    config: str | None = None  # --config FILE
    select: list[str] | None = None  # None: the config's selection
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    external: bool = False
    offline: bool = False
    generator: str | None = None  # None: the config's, else detected
    output_format: str | None = None  # None: the config's
    no_cache: bool = False
    jobs: int = 0
    exit_zero: bool = False
    quiet: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    statistics: bool = False
    rule_settings: dict[str, Any] = field(default_factory=dict)  # over the config's

    @classmethod
    def from_args(cls, args: Any) -> "LintOptions":
        """The options of an argparse namespace; options a command does not have take the
        defaults (``blogtools vocab`` and ``links`` share the preparation)."""
        def get(name: str, default: Any) -> Any:
            value = getattr(args, name, None)
            return default if value is None else value

        return cls(paths=list(getattr(args, "paths", None) or ["."]), config=getattr(args, "config", None),
                   select=getattr(args, "select", None), extend_select=list(get("extend_select", [])),
                   ignore=list(get("ignore", [])), external=bool(get("external", False)),
                   offline=bool(get("offline", False)), generator=getattr(args, "generator", None),
                   output_format=getattr(args, "output_format", None), no_cache=bool(get("no_cache", False)),
                   jobs=int(get("jobs", 0)), exit_zero=bool(get("exit_zero", False)),
                   quiet=bool(get("quiet", False)), fix=bool(get("fix", False)),
                   unsafe_fixes=bool(get("unsafe_fixes", False)), diff=bool(get("diff", False)),
                   statistics=bool(get("statistics", False)), rule_settings=dict(get("rule_settings", {})))


def prepare(options: LintOptions) -> Any:
    """Config, selected rules, site and files for a run; raises SystemExit(2) on usage errors."""
    from blogtools.config import ConfigError, load
    from blogtools.lint.registry import RegistryError
    from blogtools.lint.runner import Selection, discover, selected_rules, unknown_selectors
    from blogtools.site import load_site

    paths = options.paths
    try:
        config = load(paths[0], options.config)
        selection = Selection(options.select, options.extend_select, options.ignore, options.external)
        bad = unknown_selectors((selection.select or []) + selection.extend_select + selection.ignore
                                + list(config.get("select") or []) + list(config.get("extend-select"))
                                + list(config.get("ignore")))
        if bad:
            raise ConfigError(f"unknown rule selector(s): {', '.join(bad)} (see `blogtools rules`)")
        rules = selected_rules(config, selection)
    except (ConfigError, RegistryError) as exc:
        print(f"blogtools: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if options.offline:
        config.rule_settings["links.offline"] = True
    config.rule_settings.update(options.rule_settings)
    site = load_site(paths[0], options.generator or config.get("generator"))
    rules = for_site(rules, site)
    if site.profile.notice and not options.quiet:
        print(f"blogtools: {os.path.relpath(site.root)}: {site.profile.notice}", file=sys.stderr)
    found = discover(paths, config, discovery_memo(config, not options.no_cache), site.content_folders())
    if found.outside and not found.files:
        folders = ", ".join(os.path.relpath(d, site.root) + "/" for d in site.content_folders() or ())
        print(f"blogtools: no file named is in the site's content folders ({folders}): nothing to lint",
              file=sys.stderr)
    missing = [p for p, why in found.problems if why == "no such file or directory"]
    if missing:
        for p in missing:
            print(f"blogtools: {p}: no such file or directory", file=sys.stderr)
        raise SystemExit(2)
    return config, rules, site, found


def for_site(rules: list[Any], site: Any) -> list[Any]:
    """The rules that run on this kind of site (a profile's ``quiet_codes`` are keys and
    checks that are not ours there)."""
    quiet = site.profile.quiet_codes
    return [r for r in rules if not r.code.startswith(quiet)] if quiet else rules


def run(options: LintOptions) -> int:
    """A whole ``blogtools lint`` run; the exit code (0 clean, 1 findings or fixes to
    apply, 2 usage error). Findings go to stdout, notices to stderr."""
    from blogtools.lint import output
    from blogtools.lint.rule import Diagnostic, RunContext
    from blogtools.lint.runner import Runner, display_path, facts_plan

    config, rules, site, found = prepare(options)
    if options.no_cache:  # nothing is read from or written to the cache dir, workers included
        os.environ["BLOGTOOLS_NO_CACHE"] = "1"
    fmt = options.output_format or config.get("output-format")
    # Only the facts the selected site-wide rules read are extracted (none without one).
    facts, skip_facts = facts_plan(rules)
    files = with_site_context(found.files, rules, site, config, options.paths, seen=found)
    context = RunContext(
        # Site-wide rules report on (and limit expensive work to) the requested files only.
        requested=frozenset(found.files) if len(files) > len(found.files) else None,
        # Expensive fix text (a whole front matter conversion) is built only when it is applied.
        fix_mode=options.fix or options.diff)
    runner = Runner(config, rules, site, jobs=options.jobs, use_cache=not options.no_cache, facts=facts,
                    skip_facts=skip_facts, context=context)
    runner.discovery = found
    extra = [Diagnostic(display_path(p), 1, 1, 1, 1, "BT001", "file-unreadable", "error", why)
             for p, why in found.problems]
    fixed = 0
    if options.fix or options.diff:
        fixed, changed, result = apply_fixes(runner, files, options, set(found.files))
        if options.diff:
            return 1 if changed else 0
    else:
        result = runner.run(files)
    if any(r.needs_network for r in rules):
        from blogtools import links

        if links.missing_linkchecker():  # (each network rule would say it as an internal error)
            print(f"blogtools: {links.MISSING}", file=sys.stderr)
            return 2
    diagnostics = sorted(extra + only_requested(result, found.files), key=Diagnostic.sort_key)
    if options.statistics:
        output.statistics(fmt, diagnostics, len(found.files), sys.stdout)
    else:
        output.emit(fmt, diagnostics, len(found.files), rules, sys.stdout, fixed=fixed, unsafe=options.unsafe_fixes,
                    quiet=options.quiet)
    if options.exit_zero:
        return 0
    return 1 if diagnostics else 0


def discovery_memo(config: Any, use_cache: bool) -> Any:
    """The folder listings of the last run (None with ``--no-cache`` or ``cache = false``)."""
    if not use_cache or not config.get("cache") or os.environ.get("BLOGTOOLS_NO_CACHE"):
        return None
    from blogtools.lint.cache import DiscoveryMemo
    from blogtools.lint.runner import discovery_patterns

    return DiscoveryMemo(config.root, discovery_patterns(config))


def with_site_context(files: list[str], rules: list[Any], site: Any, config: Any,
                      given: list[str] | None = None, seen: Any = None) -> list[str]:
    """Add every content file of the site when a site-wide rule runs on a subset.

    pre-commit passes only the staged files; a link to another post must still resolve and
    a duplicate alias must still be seen, so the other pages are read too but not reported
    on. They come from the cache when unchanged (the first run fills it); with
    ``--no-cache`` they are all parsed again, which on a large site costs a full run.
    ``seen``: the run's :class:`Discovery`, given the folders walked here (the site cache
    key reads their mtimes instead of walking them again).
    """
    from blogtools.lint.runner import discover

    if not files or not site.config_file or not any(r.site_wide for r in rules):
        return files
    given = given or []
    content = site.root
    if site.generator == "hugo":
        content = os.path.join(site.root, str(site.setting("contentDir", "content")))
    if not os.path.isdir(content):
        return files
    content = os.path.abspath(content)
    if any(os.path.isdir(p) and (content + os.sep).startswith(os.path.abspath(p).rstrip(os.sep) + os.sep)
           for p in given):
        return files  # the whole content folder is being linted already
    requested = set(files)
    context = discover([content], config, seen.memo if seen is not None else None)
    if seen is not None:
        seen.folders.update(context.folders)
        seen.pruned.extend(context.pruned)
    return files + [f for f in context.files if f not in requested]


def only_requested(result: Any, requested: list[str]) -> list[Any]:
    """The diagnostics of the requested files (and of none read for context only)."""
    wanted = set(requested)
    shown = {r.path for r in result.results if r.abspath in wanted}
    known = {r.path for r in result.results}
    return [d for d in result.diagnostics if d.path in shown or d.path not in known]


def apply_fixes(runner: Any, files: list[str], options: LintOptions, requested: set[str]) -> tuple[int, int, Any]:
    """``--fix`` (write the fixed files, then lint again) or ``--diff`` (print the fixes):
    (fixes applied, files changed or created, the final result; None with ``--diff``)."""
    from blogtools.lint import fixer
    from blogtools.lint.runner import display_path

    run = fixer.fix_files(runner, files, options.unsafe_fixes, requested, display_path)
    for path, problem in run.problems:
        print(f"blogtools: {path}: {problem}", file=sys.stderr)
    changed = run.changed()
    for abspath in changed:
        base = run.originals[abspath]
        ff = fixer.FileFix(base.path, abspath, base.text, run.texts[abspath])
        if options.diff:
            sys.stdout.write(fixer.unified_diff(ff))
            continue
        try:
            fixer.write(ff, base.bom, runner.config.root)
        except OSError as exc:
            print(f"blogtools: {base.path}: not written: {exc}", file=sys.stderr)
    for path, text in sorted(run.creates.items()):
        if options.diff:
            shown = display_path(path)
            lines = text.splitlines(keepends=True)
            sys.stdout.write(f"--- /dev/null\n+++ b/{shown}\n@@ -0,0 +1,{len(lines)} @@\n" + "".join("+" + x for x in lines))
            continue
        try:
            fixer.create(path, text, runner.config.root)
        except OSError as exc:
            print(f"blogtools: {display_path(path)}: not written: {exc}", file=sys.stderr)
    applied = sum(run.applied.values())
    if options.diff:
        return applied, len(changed) + len(run.creates), None
    final = runner.run(files)
    return applied, len(changed), final
