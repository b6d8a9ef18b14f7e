"""A Hatena Blog tree (blogsync) is recognised, said once, and its header keys and internal
URLs are left alone until Hatena has a profile of its own (a real blogsync tree of 321
entries had 1,002 BT105 findings on its Title/Date/URL keys, and broken-link findings on
URLs that Hatena, not the file paths, decides)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from blogtools.site import load_site
from tests.conftest import FIXTURES, run_cli

TREE = FIXTURES / "sites" / "hatena-blogsync"


def test_a_blogsync_tree_is_detected_as_hatena() -> None:
    entry = next(TREE.rglob("*.md"))
    assert load_site(str(entry)).generator == "hatena"
    assert load_site(str(TREE)).generator == "hatena"


def test_lint_says_so_once_and_stays_quiet_on_headers_and_urls(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    r = run_cli("lint", str(tree), "--select", "ALL", "--output-format", "json", "--no-cache", cwd=tmp_path)
    found = json.loads(r.stdout)
    codes = sorted(d["code"] for d in found)
    assert codes == ["BT201"], found  # the padded link text is still found; no BT1xx, BT202, BT301
    assert r.stderr.count("Hatena Blog tree (blogsync)") == 1, r.stderr
