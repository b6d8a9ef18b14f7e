"""Inline suppressions as a user writes them, and the config and command errors around them:
a directive is matched whole (A); what does not work is reported (B, C); what suppresses
nothing can be reported (D); ``blogtools links`` says what it could not do (E)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import text_at

HEAD = "---\ntitle: \"勉強会の資料\"\ndate: 2021-01-10T10:00:00+09:00\n---\n\n"


def findings(r, root: Path) -> list[tuple[str, str, str]]:
    """(file name, code, the text at the reported position) of a JSON run."""
    out = []
    for d in json.loads(r.stdout):
        text = (root / d["path"]).read_text(encoding="utf-8")
        out.append((Path(d["path"]).name, d["code"], text_at(text, d["line"], d["column"], d["end_line"], d["end_column"])))
    return sorted(out)


# --------------------------------------------------------------------------- A
def test_a_misspelt_directive_is_not_read_as_a_shorter_one(cli, tmp_path: Path) -> None:
    """``blogtools-disable-next-lin`` is no ``blogtools-disable``: nothing after it is silenced."""
    (tmp_path / "a.md").write_text(
        HEAD + "<!-- blogtools-disable-next-lin BT201 -->\n[ 資料 ](https://example.com/slides)\n\n"
        "後半の[ スライド](https://example.com/deck)もどうぞ。\n"
        "<!-- blogtools-disable-filex BT201 -->\n<!-- blogtools-disable:BT201 -->\n[動画 ](https://example.com/v)\n",
        encoding="utf-8")
    r = cli("lint", "a.md", "--select", "BT201", "--output-format", "json")
    assert r.returncode == 1, r.stderr
    lines = [d["line"] for d in json.loads(r.stdout) if d["code"] == "BT201"]
    assert lines == [7, 9, 12]  # ' 資料 ', then the links after it
    # The correctly spelt directive still works.
    (tmp_path / "a.md").write_text(
        HEAD + "<!-- blogtools-disable-next-line BT201 -->\n[ 資料 ](https://example.com/slides)\n", encoding="utf-8")
    assert cli("lint", "a.md", "--select", "BT201").returncode == 0


# --------------------------------------------------------------------------- B
def test_b_invalid_directives_and_unknown_codes_are_reported(cli, tmp_path: Path) -> None:
    """By a rule that is on by default, at the offending text; an unknown code in
    per-file-ignores stops the run (exit 2) naming the file and line."""
    (tmp_path / "a.md").write_text(
        HEAD + "<!-- blogtools-disable-next-lin BT201 -->\n[資料](https://example.com/slides)\n\n"
        "<!-- blogtools-disable-next-line BT999, link-text-whitespace -->\n[ スライド ](https://example.com/deck)\n\n"
        "> 引用: <!-- blogtools-disable-next-line BT2O1 -->\n"
        "```markdown\n<!-- blogtools-disable-next-lin BT201 -->\n```\n",  # (code: no directive)
        encoding="utf-8")
    r = cli("lint", "a.md", "--output-format", "json")  # the default selection
    assert r.returncode == 1, r.stderr
    assert findings(r, tmp_path) == [("a.md", "BT004", "BT2O1"), ("a.md", "BT004", "BT999"),
                                     ("a.md", "BT004", "blogtools-disable-next-lin")]
    messages = [d["message"] for d in json.loads(r.stdout)]
    assert "did you mean 'blogtools-disable-next-line'?" in messages[0] and "suppresses nothing" in messages[0]
    # An unknown code never widens a directive to every rule: BT999 alone suppresses nothing.
    (tmp_path / "b.md").write_text(HEAD + "<!-- blogtools-disable-next-line BT999 -->\n[ 資料](https://example.com/a)\n",
                                   encoding="utf-8")
    r = cli("lint", "b.md", "--output-format", "json")
    assert findings(r, tmp_path) == [("b.md", "BT004", "BT999"), ("b.md", "BT201", " ")]

    (tmp_path / "blogtools.toml").write_text(
        '[per-file-ignores]\n"a.md" = ["BT201"]\n"content/**" = ["BT104", "BT2O1"]\n', encoding="utf-8")
    r = cli("lint", "a.md")
    assert r.returncode == 2 and r.stdout == ""
    assert "blogtools.toml:3: per-file-ignores: 'content/**': unknown rule selector 'BT2O1'" in r.stderr


# --------------------------------------------------------------------------- C
def test_c_unknown_selector_in_the_config_names_the_file_and_line(cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEAD + "本文\n", encoding="utf-8")
    (tmp_path / "blogtools.toml").write_text('# 設定\nselect = [\n  "BT2",\n  "BT999",\n]\n', encoding="utf-8")
    r = cli("lint", "a.md")
    assert r.returncode == 2
    assert f"{tmp_path / 'blogtools.toml'}:4: select: unknown rule selector 'BT999'" in r.stderr
    (tmp_path / "blogtools.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.other]\nignore = ["BT999"]\n\n[tool.blogtools]\nignore = ["BT999"]\n',
                                             encoding="utf-8")
    r = cli("lint", "a.md")
    assert r.returncode == 2 and f"{tmp_path / 'pyproject.toml'}:5: ignore: unknown rule selector 'BT999'" in r.stderr


# --------------------------------------------------------------------------- D
def test_d_unused_suppressions_are_reported_for_rules_that_ran(cli, tmp_path: Path) -> None:
    """BT005 is opt-in, points at the unused code, and says nothing about a rule that did not
    run; site-wide rules' directives are judged after the site rules (cached or not)."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text(
        HEAD + "<!-- blogtools-disable-next-line BT201 -->\n[ 資料 ](https://example.com/slides)\n\n"
        "<!-- blogtools-disable-next-line BT201 BT202 -->\n[前の記事](/posts/b/)\n\n"
        "<!-- blogtools-disable-next-line link-target-missing -->\n[消えた記事](/posts/gone/)\n\n"
        "<!-- blogtools-disable-next-line -->\n本文\n<!-- blogtools-enable BT201 -->\n", encoding="utf-8")
    (posts / "b.md").write_text(HEAD + "<!-- blogtools-disable-file BT202 -->\n本文\n", encoding="utf-8")
    assert cli("lint", "content").returncode == 0  # off by default
    for args in (("--no-cache",), (), ()):  # computed, then from the file and site caches
        r = cli("lint", "content", "--select", "BT201,BT202,BT005", "--output-format", "json", *args)
        assert r.returncode == 1, r.stderr
        assert findings(r, tmp_path) == [("a.md", "BT005", "BT201"), ("a.md", "BT005", "BT201"),
                                         ("a.md", "BT005", "BT202"), ("b.md", "BT005", "BT202")]
    # Without BT202 in the run, its directives cannot be shown unused; BT201's still can.
    r = cli("lint", "content", "--select", "BT201,BT005", "--output-format", "json")
    assert findings(r, tmp_path) == [("a.md", "BT005", "BT201"), ("a.md", "BT005", "BT201")]
    r = cli("lint", "content", "--select", "BT005", "--output-format", "json")  # only the stray enable
    assert [(d["line"], d["message"]) for d in json.loads(r.stdout)] == [
        (17, "blogtools-enable BT201: no blogtools-disable BT201 is open here, so it enables nothing")]


# --------------------------------------------------------------------------- E
def test_e_links_without_linkchecker_and_offline_without_cache(cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEAD + "公式サイトは[こちら](https://www.python.org/about/)。\n", encoding="utf-8")
    hidden = tmp_path / "hidden"  # linkchecker's package is `linkcheck`: made unimportable
    (hidden / "linkcheck").mkdir(parents=True)
    (hidden / "linkcheck" / "__init__.py").write_text('raise ImportError("hidden by the test")\n', encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(hidden), os.environ.get("PYTHONPATH", "")]),
           "BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}
    r = cli("links", "a.md", env=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.strip().splitlines() == [
        "blogtools: external links are checked with linkchecker, which is not installed: pip install 'blogtools[links]'"]
    assert "internal error" not in r.stdout + r.stderr
    r = cli("lint", "a.md", "--external", env=env)  # the same through lint
    assert r.returncode == 2 and "pip install 'blogtools[links]'" in r.stderr, r.stdout + r.stderr
    assert "internal error" not in r.stdout + r.stderr
    # Offline with an empty cache: nothing was checked, and it says so (no linkchecker needed).
    r = cli("links", "a.md", "--offline", env=env)
    assert r.returncode == 0, r.stderr
    assert "All checks passed" not in r.stdout
    assert r.stdout.startswith("Nothing checked: the cache has no result for any of the 1 external URL")
