"""``blogtools lint [PATHS...]``: check (and with ``--fix`` repair) blog content."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


LINT_EPILOG = """\
exit codes:
  0  nothing found (or --exit-zero)
  1  findings (with --diff: fixes to apply)
  2  usage or configuration error (an unknown rule, key or path; a missing extra)

examples:
  blogtools lint                              the site in the current folder
  blogtools lint content/posts/new-post.md    one post (site-wide rules still see the site)
  blogtools lint --fix                        apply safe fixes
  blogtools lint --statistics                 findings per rule
  blogtools lint --extend-select BT110,BT207  add opt-in style rules
  blogtools lint --output-format github       annotations in a GitHub Actions log
"""


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the current folder)")
    p.add_argument("--config", metavar="FILE", help="use this blogtools.toml / pyproject.toml instead of searching")
    p.add_argument("--output-format", choices=("text", "json", "github", "sarif"), default=None)
    p.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    p.add_argument("--quiet", "-q", action="store_true", help="print the findings only: no summary, no notices")


def register(sub: Any) -> None:
    import argparse as _argparse

    p = sub.add_parser("lint", help="check blog content (the pre-commit hook and CI job)",
                       formatter_class=_argparse.RawDescriptionHelpFormatter, epilog=LINT_EPILOG)
    add_common(p)
    p.add_argument("--select", type=_codes, metavar="CODES",
                   help="only these codes, prefixes or names (comma-separated; ALL for all)")
    p.add_argument("--extend-select", type=_codes, default=[], metavar="CODES",
                   help="add these rules to the selection (e.g. the opt-in BT110,BT207)")
    p.add_argument("--ignore", type=_codes, default=[], metavar="CODES", help="skip these rules")
    p.add_argument("--fix", action="store_true", help="apply safe fixes")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: also apply unsafe fixes")
    p.add_argument("--diff", action="store_true", help="print the fixes as a diff instead of writing them")
    p.add_argument("--statistics", action="store_true",
                   help="print the number of findings per rule instead of the findings")
    p.add_argument("--external", action="store_true", help="also check external links (needs the network)")
    p.add_argument("--offline", action="store_true", help="never touch the network (external checks use the cache only)")
    p.add_argument("--generator", choices=("auto", "hugo", "jekyll", "hatena", "plain"), default=None)
    p.set_defaults(func=main)


def prepare(args: argparse.Namespace) -> Any:
    """Config, selected rules, site and files for a run; raises SystemExit(2) on usage errors."""
    from blogtools.config import ConfigError, load
    from blogtools.lint.registry import RegistryError
    from blogtools.lint.runner import Selection, discover, selected_rules, unknown_selectors
    from blogtools.site import load_site

    paths = args.paths or ["."]
    try:
        config = load(paths[0], args.config)
        selection = Selection(getattr(args, "select", None), getattr(args, "extend_select", []),
                              getattr(args, "ignore", []), getattr(args, "external", False))
        bad = unknown_selectors((selection.select or []) + selection.extend_select + selection.ignore
                                + list(config.get("select") or []) + list(config.get("extend-select"))
                                + list(config.get("ignore")))
        if bad:
            raise ConfigError(f"unknown rule selector(s): {', '.join(bad)} (see `blogtools rules`)")
        rules = selected_rules(config, selection)
    except (ConfigError, RegistryError) as exc:
        print(f"blogtools: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if getattr(args, "offline", False):
        config.rule_settings["links.offline"] = True
    config.rule_settings.update(getattr(args, "rule_settings", None) or {})
    site = load_site(paths[0], getattr(args, "generator", None) or config.get("generator"))
    profile = site.profile
    if profile.quiet_codes:  # keys and checks that are not ours on this kind of site
        rules = [r for r in rules if not r.code.startswith(profile.quiet_codes)]
    if profile.notice and not getattr(args, "quiet", False):
        print(f"blogtools: {os.path.relpath(site.root)}: {profile.notice}", file=sys.stderr)
    found = discover(paths, config, discovery_memo(config, not getattr(args, "no_cache", False)),
                     site.content_folders())
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


def main(args: argparse.Namespace) -> int:
    from blogtools.lint import output
    from blogtools.lint.rule import Diagnostic
    from blogtools.lint.runner import Runner, display_path, facts_plan

    config, rules, site, found = prepare(args)
    if args.no_cache:  # nothing is read from or written to the cache dir, workers included
        os.environ["BLOGTOOLS_NO_CACHE"] = "1"
    fmt = args.output_format or config.get("output-format")
    # Only the facts the selected site-wide rules read are extracted (none without one).
    facts, skip_facts = facts_plan(rules)
    runner = Runner(config, rules, site, jobs=args.jobs, use_cache=not args.no_cache, facts=facts,
                    skip_facts=skip_facts)
    runner.discovery = found
    extra = [Diagnostic(display_path(p), 1, 1, 1, 1, "BT001", "file-unreadable", "error", why)
             for p, why in found.problems]
    fixed = 0
    files = with_site_context(found.files, rules, site, config, args.paths or ["."], seen=found)
    # Site-wide rules may limit expensive work (external checks) to the requested files.
    site.requested = set(found.files) if len(files) > len(found.files) else None
    # Expensive fix text (a whole front matter conversion) is built only when it is applied.
    site.fix_mode = bool(args.fix or args.diff)
    if args.fix or args.diff:
        fixed, changed, result = _fix(runner, files, args, set(found.files))
        if args.diff:
            return 1 if changed else 0
    else:
        result = runner.run(files)
    if any(r.needs_network for r in rules):
        from blogtools import links

        if links.missing_linkchecker():  # (each network rule would say it as an internal error)
            print(f"blogtools: {links.MISSING}", file=sys.stderr)
            return 2
    diagnostics = sorted(extra + only_requested(result, found.files), key=Diagnostic.sort_key)
    if getattr(args, "statistics", False):
        output.statistics(fmt, diagnostics, len(found.files), sys.stdout)
    else:
        output.emit(fmt, diagnostics, len(found.files), rules, sys.stdout, fixed=fixed, unsafe=args.unsafe_fixes,
                    quiet=getattr(args, "quiet", False))
    if args.exit_zero:
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
    wanted = set(requested)
    shown = {r.path for r in result.results if r.abspath in wanted}
    known = {r.path for r in result.results}
    return [d for d in result.diagnostics if d.path in shown or d.path not in known]


def _fix(runner: Any, files: list[str], args: argparse.Namespace, requested: set[str]) -> tuple[int, int, Any]:
    from blogtools.lint import fixer
    from blogtools.lint.runner import display_path

    run = fixer.fix_files(runner, files, args.unsafe_fixes, requested, display_path)
    for path, problem in run.problems:
        print(f"blogtools: {path}: {problem}", file=sys.stderr)
    changed = run.changed()
    for abspath in changed:
        base = run.originals[abspath]
        ff = fixer.FileFix(base.path, abspath, base.text, run.texts[abspath])
        if args.diff:
            sys.stdout.write(fixer.unified_diff(ff))
            continue
        try:
            fixer.write(ff, base.bom, runner.config.root)
        except OSError as exc:
            print(f"blogtools: {base.path}: not written: {exc}", file=sys.stderr)
    for path, text in sorted(run.creates.items()):
        if args.diff:
            shown = display_path(path)
            lines = text.splitlines(keepends=True)
            sys.stdout.write(f"--- /dev/null\n+++ b/{shown}\n@@ -0,0 +1,{len(lines)} @@\n" + "".join("+" + x for x in lines))
            continue
        try:
            fixer.create(path, text, runner.config.root)
        except OSError as exc:
            print(f"blogtools: {display_path(path)}: not written: {exc}", file=sys.stderr)
    applied = sum(run.applied.values())
    if args.diff:
        return applied, len(changed) + len(run.creates), None
    final = runner.run(files)
    return applied, len(changed), final
