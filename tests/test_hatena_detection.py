"""A Hatena Blog tree (blogsync) is recognised and linted with Hatena's profile: no noise on
its header keys (a real blogsync tree of 321 entries had 1,002 BT105 findings on its
Title/Date/URL keys before), and URLs from the URL: header, so a link to an entry that does
not exist is found (more in tests/test_hatena.py)."""

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


def test_lint_reads_urls_from_the_header_with_no_key_noise(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    r = run_cli("lint", str(tree), "--select", "ALL", "--output-format", "json", "--no-cache", cwd=tmp_path)
    found = json.loads(r.stdout)
    codes = sorted((d["code"], d["line"], d["column"]) for d in found)
    # the padded link text, and the link to /entry/2019/10/01/120000, an entry the tree does not have
    assert codes == [("BT201", 15, 5), ("BT202", 11, 29)], found
    assert "Hatena" not in r.stderr, r.stderr
