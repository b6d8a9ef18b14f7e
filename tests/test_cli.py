"""The command line as a user runs it (subprocesses): formats, exit codes, config, fixes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, FIXTURES, text_at

POST = """\
---
title: "テスト"
date: 2021-01-10T10:00:00+09:00
---

本文の [リンク ](https://example.com/a) と [ 資料](https://example.com/b)。
"""


@pytest.fixture
def cli(cli):
    """These tests exercise the engine through BT0xx and BT201 only; other rules have their own."""

    def _run(*args: str, **kw):
        if args and args[0] == "lint":
            args = ("lint", "--select", "BT0,BT201", *args[1:])
        return cli(*args, **kw)

    return _run


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "a.md").write_text(POST, encoding="utf-8")
    (tmp_path / "content" / "posts" / "clean.md").write_text("---\ntitle: ok\n---\n\n[ok](https://example.com/ok)\n", encoding="utf-8")
    return tmp_path


def test_text_output_points_at_the_whitespace(cli, site: Path) -> None:
    r = cli("lint", "content")
    assert r.returncode == 1, r.stderr
    lines = [line for line in r.stdout.splitlines() if "BT201" in line]
    assert lines[0].startswith(os.path.join("content", "posts", "a.md") + ":6:9: BT201 [*] ")
    assert "Found 2 problems" in r.stdout
    assert "\x1b[" not in r.stdout  # not a TTY: no colour


def test_json_is_the_documented_interface(cli, site: Path) -> None:
    r = cli("lint", "content", "--output-format", "json")
    data = json.loads(r.stdout)
    assert {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message", "fixable"} <= set(data[0])
    text = (site / data[0]["path"]).read_text(encoding="utf-8")
    for d in data:
        assert text_at(text, d["line"], d["column"], d["end_line"], d["end_column"]) == " "
        assert d["fixable"] is True and d["code"] == "BT201"


def test_github_and_sarif_formats(cli, site: Path) -> None:
    r = cli("lint", "content", "--output-format", "github")
    assert r.stdout.splitlines()[0].startswith("::warning file=content/posts/a.md,line=6,col=9,endLine=6,endColumn=10,title=BT201 link-text-whitespace::")
    r = cli("lint", "content", "--output-format", "sarif")
    sarif = json.loads(r.stdout)
    result = sarif["runs"][0]["results"][0]
    assert sarif["version"] == "2.1.0" and result["ruleId"] == "BT201"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 6


def test_exit_codes(cli, site: Path) -> None:
    assert cli("lint", "content/posts/clean.md").returncode == 0
    assert cli("lint", "content").returncode == 1
    assert cli("lint", "content", "--exit-zero").returncode == 0
    assert cli("lint", "does-not-exist").returncode == 2
    assert cli("lint", "content", "--select", "BT999").returncode == 2
    assert cli("lint", "content", "--output-format", "xml").returncode == 2


def test_select_ignore_and_config(cli, site: Path) -> None:
    assert cli("lint", "content", "--ignore", "BT201").returncode == 0
    assert cli("lint", "content", "--select", "BT0").returncode == 0
    assert cli("lint", "content", "--select", "link-text-whitespace").returncode == 1
    (site / "blogtools.toml").write_text('ignore = ["BT2"]\n', encoding="utf-8")
    assert cli("lint", "content").returncode == 0
    assert cli("lint", "content", "--extend-select", "BT201").returncode == 0  # ignore still wins
    (site / "blogtools.toml").write_text('[per-file-ignores]\n"content/posts/a.md" = ["BT201"]\n', encoding="utf-8")
    assert cli("lint", "content").returncode == 0


def test_config_in_pyproject_and_unknown_keys(cli, site: Path) -> None:
    (site / "pyproject.toml").write_text('[tool.blogtools]\nexclude = ["content/posts/a.md"]\n', encoding="utf-8")
    assert cli("lint", "content").returncode == 0
    (site / "pyproject.toml").write_text('[tool.blogtools]\nbogus = 1\n', encoding="utf-8")
    r = cli("lint", "content")
    assert r.returncode == 2
    assert "unknown key 'bogus'" in r.stderr and "pyproject.toml" in r.stderr
    (site / "pyproject.toml").write_text('[tool.blogtools]\ninclude = "x"\n', encoding="utf-8")
    r = cli("lint", "content")
    assert r.returncode == 2 and "include" in r.stderr


def test_config_found_by_walking_up(cli, site: Path) -> None:
    (site / "blogtools.toml").write_text('ignore = ["BT201"]\n', encoding="utf-8")
    assert cli("lint", ".", cwd=site / "content" / "posts").returncode == 0


def test_fix_diff_and_byte_identity(cli, site: Path) -> None:
    clean = site / "content" / "posts" / "clean.md"
    before_clean = clean.read_bytes()
    post = site / "content" / "posts" / "a.md"
    before = post.read_bytes()
    r = cli("lint", "content", "--diff")
    assert r.returncode == 1
    assert "-本文の [リンク ](https://example.com/a) と [ 資料](https://example.com/b)。" in r.stdout
    assert "+本文の [リンク](https://example.com/a) と [資料](https://example.com/b)。" in r.stdout
    assert post.read_bytes() == before  # --diff never writes
    mode = 0o640
    os.chmod(post, mode)
    r = cli("lint", "content", "--fix")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Fixed 2 problems" in r.stdout
    assert post.read_text(encoding="utf-8") == POST.replace("[リンク ]", "[リンク]").replace("[ 資料]", "[資料]")
    assert os.stat(post).st_mode & 0o777 == mode
    assert clean.read_bytes() == before_clean
    after = post.read_bytes()
    assert cli("lint", "content", "--fix").returncode == 0
    assert post.read_bytes() == after  # a second --fix changes nothing
    assert not list(site.rglob(".blogtools-*.tmp"))


def test_fix_keeps_bom_crlf_and_follows_symlinks(cli, tmp_path: Path) -> None:
    """A link whose target is inside the linted tree is read and fixed through the link
    (the target is written, the link stays); one leading outside is not (test_hostile)."""
    target = tmp_path / "content" / "drafts" / "real.markdown"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n\r\n[a ](b)\r\n")
    link = tmp_path / "content" / "link.md"
    link.symlink_to(Path("drafts") / "real.markdown")
    (tmp_path / "content" / "blogtools.toml").write_text('exclude = ["drafts/"]\n', encoding="utf-8")
    r = cli("lint", "content", "--fix")
    assert r.returncode == 0, r.stdout + r.stderr
    assert link.is_symlink()
    assert target.read_bytes() == b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n\r\n[a](b)\r\n"


def test_inline_suppressions(cli, tmp_path: Path) -> None:
    (tmp_path / "s.md").write_text(
        "<!-- blogtools-disable-next-line BT201 -->\n[a ](b)\n\n[c ](d)\n\n"
        "<!-- blogtools-disable link-text-whitespace -->\n[e ](f)\n<!-- blogtools-enable link-text-whitespace -->\n\n[g ](h)\n",
        encoding="utf-8",
    )
    r = cli("lint", "s.md", "--output-format", "json")
    assert [d["line"] for d in json.loads(r.stdout)] == [4, 10]
    (tmp_path / "f.md").write_text("<!-- blogtools-disable-file -->\n[a ](b)\n", encoding="utf-8")
    assert cli("lint", "f.md").returncode == 0


def test_inline_suppressions_cover_site_wide_findings(cli, tmp_path: Path) -> None:
    """A site-wide rule's finding honours the comments of the file it points into (the
    suppressions travel with the file's facts; a file without any carries none)."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text("---\ntitle: a\ndate: 2021-01-10T10:00:00+09:00\n---\n\n"
                                "<!-- blogtools-disable-next-line BT202 -->\n[消えた記事](/posts/gone/)\n\n"
                                "[もう一つ](/posts/missing/)\n", encoding="utf-8")
    (posts / "b.md").write_text("---\ntitle: b\ndate: 2021-01-10T10:00:00+09:00\n---\n\n[前の記事](/posts/gone/)\n",
                                encoding="utf-8")
    for args in (("--no-cache",), ()):  # computed, then filled into and read from the cache
        r = cli("lint", "content", "--select", "BT202", "--output-format", "json", *args)
        assert r.returncode == 1, r.stderr
        found = sorted((Path(d["path"]).name, d["line"]) for d in json.loads(r.stdout))
        assert found == [("a.md", 9), ("b.md", 6)]


def test_rules_and_rule_docs(cli) -> None:
    r = cli("rules")
    assert r.returncode == 0 and "BT201  link-text-whitespace" in r.stdout
    r = cli("rule", "BT201")
    assert r.returncode == 0
    for section in ("What it does", "Why it matters", "Example", "Fix safety"):
        assert section in r.stdout
    assert cli("rule", "link-text-whitespace").stdout == r.stdout
    assert cli("rule", "BT999").returncode == 2
    data = json.loads(cli("rules", "--output-format", "json").stdout)
    assert any(d["code"] == "BT002" for d in data)


def test_no_color_and_force_color(cli, site: Path) -> None:
    assert "\x1b[" in cli("lint", "content", env={"FORCE_COLOR": "1", "BLOGTOOLS_CACHE_DIR": str(site / "c")}).stdout
    assert "\x1b[" not in cli("lint", "content", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "BLOGTOOLS_CACHE_DIR": str(site / "c")}).stdout


def test_cache_gives_the_same_results(cli, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "site")
    cold = cli("lint", "site", "--output-format", "json")
    warm = cli("lint", "site", "--output-format", "json")
    nocache = cli("lint", "site", "--output-format", "json", "--no-cache")
    assert json.loads(cold.stdout) == json.loads(warm.stdout) == json.loads(nocache.stdout)
    assert list((tmp_path / "cache").glob("lint-*.pickle"))
    post = tmp_path / "site" / "content" / "posts" / "2020-06-13" / "index.md"
    post.write_text(post.read_text(encoding="utf-8").replace("[ 資料ページ]", "[資料ページ]"), encoding="utf-8")
    changed = json.loads(cli("lint", "site", "--output-format", "json").stdout)
    assert len([d for d in changed if d["code"] == "BT201"]) == len([d for d in json.loads(cold.stdout) if d["code"] == "BT201"]) - 1


def test_parallel_run_matches_serial(cli, tmp_path: Path) -> None:
    posts = tmp_path / "many"
    posts.mkdir()
    for i in range(120):
        (posts / f"p{i:03}.md").write_text(POST.replace("テスト", f"テスト{i}"), encoding="utf-8")
    serial = json.loads(cli("lint", "many", "-j", "1", "--no-cache", "--output-format", "json").stdout)
    parallel = json.loads(cli("lint", "many", "-j", "2", "--no-cache", "--output-format", "json").stdout)
    assert serial == parallel and len(serial) == 240


def test_warm_site_results_follow_changes_on_disk(tmp_path: Path) -> None:
    """Site-wide results are reused only while files, folders and templates are unchanged."""
    from tests.conftest import run_cli

    shutil.copytree(EXAMPLE, tmp_path / "site")
    env = {"BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}

    def codes() -> list[tuple[str, int]]:
        out = run_cli("lint", "site", "--output-format", "json", cwd=tmp_path, env=env)
        return sorted((d["code"], d["line"]) for d in json.loads(out.stdout))

    first = codes()
    assert codes() == first
    assert list((tmp_path / "cache").glob("site-*.pickle"))
    bundle = tmp_path / "site" / "content" / "posts" / "2020-06-13" / "images"
    moved = bundle / "1.png"
    moved.rename(bundle / "moved.png")  # an image disappears: BT301 must notice
    after = codes()
    assert after != first and any(code == "BT301" for code, _ in after)
    (bundle / "moved.png").rename(moved)
    assert codes() == first


def test_fix_after_a_cached_lint_run_builds_deferred_fixes(tmp_path: Path) -> None:
    """A plain lint run caches BT101 without its (costly) edits; --fix must still convert."""
    from tests.conftest import run_cli

    shutil.copytree(EXAMPLE, tmp_path / "site")
    env = {"BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("lint", "site", "--select", "BT101", "--output-format", "json", cwd=tmp_path, env=env)
    [finding] = json.loads(first.stdout)
    assert finding["fixable"] and finding["fix"]["edits"] == []  # deferred in a plain run
    r = run_cli("lint", "site", "--select", "BT101", "--fix", "--unsafe-fixes", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    post = tmp_path / "site" / "content" / "posts" / "mlops-study-talk.md"
    assert post.read_text(encoding="utf-8").startswith("---\n")


def test_staged_subsets_reuse_whole_site_results_or_compute_only_their_own(tmp_path: Path) -> None:
    """pre-commit passes a few staged files: whole-site results of the same state are reused;
    without them, site rules report on the staged files only and give the same findings."""
    from tests.conftest import run_cli

    shutil.copytree(EXAMPLE, tmp_path / "site")
    warm = {"BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}
    whole = run_cli("lint", "site/content", "--output-format", "json", cwd=tmp_path, env=warm)
    by_file: dict[str, set[tuple[str, int, int]]] = {}
    for d in json.loads(whole.stdout):
        by_file.setdefault(d["path"], set()).add((d["code"], d["line"], d["column"]))
    site_wide = {"BT202", "BT203", "BT301", "BT402", "BT403"}
    picked = [p for p, found in sorted(by_file.items()) if {c for c, _, _ in found} & site_wide][:8]
    assert len(picked) >= 3, by_file.keys()
    entries = set((tmp_path / "cache").glob("site-*.pickle"))
    for k, env in enumerate([warm, {"BLOGTOOLS_CACHE_DIR": str(tmp_path / "fresh")}]):
        for path in picked:
            out = run_cli("lint", path, "--output-format", "json", cwd=tmp_path, env=env)
            got = {(d["code"], d["line"], d["column"]) for d in json.loads(out.stdout)}
            assert {d["path"] for d in json.loads(out.stdout)} == {path}
            assert got == by_file[path], (k, path)
        if k == 0:  # served from the whole-site results: nothing new stored
            assert set((tmp_path / "cache").glob("site-*.pickle")) == entries


def test_a_run_for_the_console_script_freezes_its_objects_once_done() -> None:
    """The console script's runs end with the run's objects frozen (no collector passes over
    them while the output is written); library callers and the fixer's rounds do not."""
    import gc

    from blogtools.api import rules_for
    from blogtools.config import Config
    import blogtools.lint as engine
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    config = Config(root=str(EXAMPLE))
    files = discover([str(EXAMPLE)], config).files
    gc.unfreeze()
    try:
        plain = Runner(config, rules_for(None), load_site(str(EXAMPLE)), jobs=1, use_cache=False)
        expected = plain.run(files).diagnostics
        assert gc.get_freeze_count() == 0 and gc.isenabled()

        engine.FREEZE_AFTER_RUN = True
        frozen = Runner(config, rules_for(None), load_site(str(EXAMPLE)), jobs=1, use_cache=False)
        assert frozen.run(files).diagnostics == expected  # same findings
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        engine.FREEZE_AFTER_RUN = False
        gc.unfreeze()


def test_site_rules_on_a_subset_report_what_the_whole_run_reports() -> None:
    """A pre-commit run names a few files (``RunContext.requested``); site-wide rules then judge only
    those pages against the whole model. Each file's site-wide findings must be the ones a
    whole-site run gives it."""
    from blogtools.api import rules_for
    from blogtools.config import Config
    from blogtools.lint.rule import RunContext
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    config = Config(root=str(EXAMPLE))
    files = discover([str(EXAMPLE)], config).files
    site_codes = {cls.code for cls in rules_for(None) if cls.site_wide}

    def run(requested: set[str] | None) -> list:
        context = RunContext(requested=frozenset(requested) if requested else None, fix_mode=False)
        diags = Runner(config, rules_for(None), load_site(str(EXAMPLE)), jobs=1, use_cache=False,
                       context=context).run(files).diagnostics
        return [d for d in diags if d.code in site_codes]

    whole = run(None)
    by_file: dict[str, list] = {}
    for d in whole:
        by_file.setdefault(d.path, []).append(d)
    abs_of = {os.path.relpath(f): f for f in files}
    checked = set()
    for path, expected in sorted(by_file.items()):
        if path not in abs_of:
            continue
        got = [d for d in run({abs_of[path]}) if d.path == path]
        assert got == expected, path
        checked.update(d.code for d in expected)
    assert {"BT202", "BT214", "BT302", "BT401", "BT403"} <= checked, checked


def test_a_post_added_after_a_cached_walk_is_linted(cli, tmp_path: Path) -> None:
    """The folder listings are remembered between runs; a new post still shows up."""
    import time

    shutil.copytree(EXAMPLE, tmp_path / "site")
    old = time.time() - 3600  # outside the racy window, so the listings are recorded
    for folder, _dirs, _files in os.walk(tmp_path / "site"):
        os.utime(folder, (old, old))
    first = json.loads(cli("lint", "site", "--output-format", "json").stdout)
    assert list((tmp_path / "cache").glob("discovery-*.pickle"))
    new = tmp_path / "site" / "content" / "posts" / "2099-new" / "index.md"
    new.parent.mkdir()
    new.write_text("---\ntitle: 新しい記事\ndate: 2020-01-01T00:00:00+09:00\n---\n\n[ 前後に空白 ](/about/)\n",
                   encoding="utf-8")
    second = json.loads(cli("lint", "site", "--output-format", "json").stdout)
    added = [d for d in second if d["path"].endswith("2099-new/index.md") and d["code"] == "BT201"]
    assert len(added) == 1 and len(second) > len(first)

    fresh = tmp_path / "fresh-cache"
    cli("lint", "site", "--no-cache", env={"BLOGTOOLS_CACHE_DIR": str(fresh)})
    assert not fresh.exists() or not list(fresh.iterdir())


def test_a_run_without_site_wide_rules_skips_the_facts(cli, tmp_path: Path, monkeypatch) -> None:
    """Facts are what site-wide rules read: a run without such a rule does not extract them,
    finds the same per-file problems, and leaves no fact-less cache entries for later runs."""
    from blogtools.api import rules_for
    from blogtools.config import Config
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    config = Config(root=str(EXAMPLE))
    files = discover([str(EXAMPLE)], config).files
    per_file = [cls for cls in rules_for(None) if not cls.site_wide]

    def run(facts: bool, use_cache: bool = False):
        return Runner(config, per_file, load_site(str(EXAMPLE)), jobs=1, use_cache=use_cache,
                      facts=facts).run(files)

    without, with_facts = run(False), run(True)
    assert all(r.facts is None for r in without.results)
    assert all(r.facts is not None for r in with_facts.results if not r.diagnostics
               or r.diagnostics[0].code != "BT001")
    assert without.diagnostics == with_facts.diagnostics and without.diagnostics

    # The same rules with facts wanted must not be served the fact-less cache entries.
    monkeypatch.setenv("BLOGTOOLS_CACHE_DIR", str(tmp_path / "cache"))
    assert all(r.facts is None for r in run(False, use_cache=True).results)
    cached = run(True, use_cache=True).results
    assert sum(r.facts is not None for r in cached) == sum(r.facts is not None for r in with_facts.results)

    shutil.copytree(EXAMPLE, tmp_path / "site")
    cli("lint", "site")  # BT0 and BT201 only: cached without facts
    pages = json.loads(cli("site", "site", "--output-format", "json").stdout)
    assert len(pages) >= 5 and all(p["url"] for p in pages)


def test_network_facts_are_skipped_without_a_network_rule(tmp_path: Path, monkeypatch) -> None:
    from blogtools.api import rules_for
    from blogtools.config import Config
    from blogtools.facts import NETWORK_ONLY
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    config = Config(root=str(EXAMPLE))
    files = discover([str(EXAMPLE)], config).files
    rules = rules_for(None)
    assert "external_urls" in NETWORK_ONLY and not any(r.needs_network for r in rules)
    monkeypatch.setenv("BLOGTOOLS_CACHE_DIR", str(tmp_path / "cache"))

    def run(skip):
        return Runner(config, rules, load_site(str(EXAMPLE)), jobs=1, use_cache=True, skip_facts=skip).run(files)

    lean, full = run(NETWORK_ONLY), run(())  # the second must not be served the first's entries
    assert lean.diagnostics == full.diagnostics
    indexed = [r for r in full.results if r.facts is not None]
    assert indexed and all("external_urls" in r.facts for r in indexed)
    assert not any("external_urls" in (r.facts or {}) for r in lean.results)


@pytest.mark.parametrize("select, site", [
    (["BT101"], "example"), (["BT402", "BT403"], "example"), (["BT101", "BT201", "BT403"], "example"),
    (["BT2", "BT3"], "defects"),  # every link, image and alias rule of the model finds something there
])
def test_site_rules_that_list_their_facts_get_only_those_and_find_the_same(select: list[str], site: str) -> None:
    from blogtools.api import rules_for
    from blogtools.config import Config
    from blogtools.facts import EXTRACTORS
    from blogtools.lint.runner import Runner, discover, facts_plan
    from blogtools.site import load_site

    root = FIXTURES / "sites" / site
    config = Config(root=str(root))
    files = discover([str(root)], config).files
    rules = rules_for(select)
    facts, skip = facts_plan(rules)
    wanted = {n for r in rules if r.site_wide for n in r.reads_facts} | {"suppressions"}
    assert facts and skip == set(EXTRACTORS) - wanted

    def run(skip_facts):
        return Runner(config, rules, load_site(str(root)), jobs=1, use_cache=False,
                      skip_facts=skip_facts).run(files)

    lean, full = run(skip), run(())
    assert not any(name in (r.facts or {}) for r in lean.results for name in skip)
    assert lean.diagnostics == full.diagnostics
    found = {d.code for d in lean.diagnostics}
    assert found & {r.code for r in rules if r.site_wide}  # the site has findings for them
    if site == "defects":
        assert {r.code for r in rules if r.site_wide} <= found


def test_the_default_rules_read_every_fact_but_the_network_ones() -> None:
    """...and the front matter blocks, which only the opt-in BT101 reads."""
    from blogtools.api import rules_for
    from blogtools.facts import NETWORK_ONLY
    from blogtools.lint.runner import facts_plan

    assert facts_plan(rules_for(None)) == (True, frozenset(NETWORK_ONLY) | {"front_matter_block"})
    assert facts_plan([r for r in rules_for(["ALL"]) if not r.needs_network])[1] == frozenset(NETWORK_ONLY)
    assert facts_plan(rules_for(["BT0", "BT201"])) == (False, frozenset())
    assert facts_plan(rules_for(["BT7"])) == (True, frozenset())


def test_the_parallel_run_prepares_the_site_model_and_finds_what_one_process_finds(tmp_path: Path,
                                                                                    monkeypatch) -> None:
    """With workers, the main process makes the model's pages as their results arrive
    (``Site.prepare``). The findings must be those of a run in one process, also when the
    preparing fails (it is then dropped and the model makes every page itself)."""
    from blogtools.api import rules_for
    from blogtools.config import Config
    from blogtools.lint.rule import RunContext
    from blogtools.lint.runner import PARALLEL_THRESHOLD, Runner, discover
    from blogtools.site import Site, SiteModel, load_site

    site_dir = tmp_path / "site"
    shutil.copytree(EXAMPLE, site_dir)
    posts = site_dir / "content" / "posts"
    for i in range(PARALLEL_THRESHOLD + 12):
        folder = posts / f"2030-01-{i:03d}"
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "図.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (folder / "index.md").write_text(
            f'---\ntitle: "記事 {i}"\ndate: 2030-01-01\naliases: ["/old/{i}/"]\n---\n\n'
            f"前回は[記事 {i - 1}](/posts/2030-01-{i - 1:03d}/)、次は[古い URL](/old/{i + 1}/)。\n\n"
            f"- [存在しない記事](/post/2030-01-{i:03d})\n- [見出し](#はじめに)\n\n"
            f"![図](images/図.png) ![ない図](images/ない.png)\n\n## まとめ\n", encoding="utf-8")
    config = Config(root=str(site_dir))
    files = discover([str(site_dir)], config).files
    assert len(files) >= PARALLEL_THRESHOLD
    rules = [cls for cls in rules_for(["BT2", "BT3"]) if not cls.needs_network]
    monkeypatch.chdir(site_dir)

    def run(jobs: int) -> list:
        return Runner(config, rules, load_site(str(site_dir)), jobs=jobs, use_cache=False,
                      context=RunContext(fix_mode=False)).run(files).diagnostics

    alone = run(1)
    codes = {d.code for d in alone}
    assert {"BT201", "BT202", "BT204", "BT301"} <= codes, codes
    n = PARALLEL_THRESHOLD + 12  # each new post: its missing link and image, fragment and alias link
    new = [d.code for d in alone if "2030-01-" in d.path]  # (+1: the first and the last post's neighbours)
    assert [new.count(c) for c in ("BT202", "BT203", "BT204", "BT301")] == [n + 2, n - 1, n, n]
    prepared: list[int] = []
    real_prepare = Site.prepare
    monkeypatch.setattr(Site, "prepare", lambda self, pages: (prepared.append(len(pages)),
                                                              real_prepare(self, pages))[1])
    assert run(2) == alone
    assert sum(prepared) == len(files) and len(prepared) > 1  # as the results arrived

    def broken(self, pages):
        raise RuntimeError("cannot prepare")

    monkeypatch.setattr(SiteModel, "prepare", broken)
    assert run(2) == alone


def test_statistics_count_the_findings_per_rule(cli, tmp_path: Path) -> None:
    import collections
    import json as _json

    full = _json.loads(cli("lint", str(EXAMPLE), "--output-format", "json", "--no-cache").stdout)
    expected = collections.Counter(d["code"] for d in full)
    r = cli("lint", str(EXAMPLE), "--statistics", "--output-format", "json", "--no-cache")
    assert r.returncode == 1
    stats = _json.loads(r.stdout)
    assert {s["code"]: s["count"] for s in stats} == dict(expected)
    assert [s["count"] for s in stats] == sorted((s["count"] for s in stats), reverse=True)
    text = cli("lint", str(EXAMPLE), "--statistics", "--no-cache").stdout.splitlines()
    code, count = expected.most_common(1)[0]
    assert text[0].split()[:2] == [str(count), code], text
    assert text[len(stats)].startswith(f"Found {sum(expected.values())} problems")


def test_style_rules_are_opt_in() -> None:
    from blogtools.lint.registry import all_rules

    rules = all_rules()
    for code in ("BT101", "BT105", "BT109", "BT110", "BT203", "BT207", "BT305"):
        assert not rules[code].default_enabled, code
    for code in ("BT001", "BT002", "BT202", "BT301", "BT601", "BT603"):
        assert rules[code].default_enabled, code


def test_quiet_prints_the_findings_only(cli) -> None:
    full = cli("lint", str(EXAMPLE), "--no-cache").stdout.splitlines()
    quiet = cli("lint", str(EXAMPLE), "-q", "--no-cache")
    assert quiet.returncode == 1
    assert quiet.stdout.splitlines() == [line for line in full if ": BT" in line]


def test_config_errors_read_as_sentences_with_a_suggestion(cli, tmp_path: Path) -> None:
    (tmp_path / "blogtools.toml").write_text('generator = "gatsby"\n', encoding="utf-8")
    r = cli("lint", str(tmp_path))
    assert r.returncode == 2 and "expected one of auto, hugo, jekyll, hatena, plain, got 'gatsby'" in r.stderr
    (tmp_path / "blogtools.toml").write_text("[links]\ncheck-anchor = true\n", encoding="utf-8")
    r = cli("lint", str(tmp_path))
    assert r.returncode == 2 and "did you mean 'links.check-anchors'?" in r.stderr, r.stderr


def test_help_has_metavars_exit_codes_and_examples(cli) -> None:
    r = cli("lint", "--help")
    assert "--select CODES" in r.stdout and "--config FILE" in r.stdout
    assert "exit codes:" in r.stdout and "examples:" in r.stdout


def test_lint_options_are_built_from_the_parsed_arguments() -> None:
    """`commands/lint.py` parses; `blogtools.lint.run.run` gets a LintOptions record whose
    defaults are the command's own (so API callers and other commands get the same run)."""
    from blogtools.cli import build_parser
    from blogtools.lint.run import LintOptions

    parser = build_parser("lint")
    assert LintOptions.from_args(parser.parse_args(["lint"])) == LintOptions()
    got = LintOptions.from_args(parser.parse_args(
        ["lint", "a.md", "b", "--select", "BT2,BT301", "--extend-select", "BT110", "--ignore", "BT202",
         "--fix", "--unsafe-fixes", "--external", "--offline", "-j", "3", "--output-format", "json",
         "--generator", "jekyll", "--no-cache", "--exit-zero", "--quiet", "--statistics"]))
    assert got == LintOptions(paths=["a.md", "b"], select=["BT2", "BT301"], extend_select=["BT110"],
                              ignore=["BT202"], fix=True, unsafe_fixes=True, external=True, offline=True, jobs=3,
                              output_format="json", generator="jekyll", no_cache=True, exit_zero=True,
                              quiet=True, statistics=True)
    # A command with fewer options (vocab) gets the defaults for the rest.
    vocab = build_parser("vocab").parse_args(["vocab", "site"])
    assert LintOptions.from_args(vocab) == LintOptions(paths=["site"], output_format=vocab.output_format)


def test_the_runner_hands_its_run_context_to_the_rules_it_makes(tmp_path: Path) -> None:
    """Per-run options (the requested files, fix mode) reach each rule as ``self.context``,
    file and site rules alike; a rule made elsewhere has the default; fix mode is part of
    the cache salt (a plain run's entries lack the fix text a --fix run needs)."""
    from blogtools.config import Config
    from blogtools.lint.rule import Rule, RunContext
    from blogtools.lint.runner import Runner
    from blogtools.site import load_site

    seen: list[tuple[str, RunContext]] = []

    class Probe(Rule):
        code, name, site_wide = "BT998", "probe", True

        def check(self, doc, site):
            seen.append(("file", self.context))
            return iter(())

        def check_site(self, site):
            seen.append(("site", self.context))
            return iter(())

    post = tmp_path / "a.md"
    post.write_text("---\ntitle: 本文\n---\n\n本文。\n", encoding="utf-8")
    config = Config(root=str(tmp_path))
    context = RunContext(requested=frozenset({str(post)}), fix_mode=False)
    runner = Runner(config, [Probe], load_site(str(tmp_path)), jobs=1, use_cache=False, context=context)
    runner.run([str(post)])
    assert seen == [("file", context), ("site", context)]
    assert Probe().context == RunContext(requested=None, fix_mode=True)
    results = runner.lint_files([str(post)])
    seen.clear()
    other = RunContext(requested=frozenset({"/elsewhere.md"}))
    runner.site_diagnostics(results, other)  # (the editor's call)
    assert seen == [("site", other)]
    default = Runner(config, [Probe], load_site(str(tmp_path)), jobs=1, use_cache=False)
    assert default.context == RunContext() and default._salt() != runner._salt()
