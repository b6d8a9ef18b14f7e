"""The benchmark scripts run: ``benchmarks/parsers.py`` on a small corpus of its own.

Their figures are not checked here (speed is measured by the benchmarks, not by tests),
only that each script runs on a fresh corpus and reports what it says it reports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_the_parser_comparison_times_blogtools_and_mistune_on_a_generated_corpus(tmp_path) -> None:
    env = dict(os.environ, BLOGTOOLS_BENCH_CACHE=str(tmp_path / "bench"))
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "parsers.py"), "--corpus-posts", "30", "--posts", "30",
         "--repeat", "2"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("30 posts of " + str(tmp_path / "bench")), proc.stdout
    rows = dict(re.findall(r"^\| (\S+) \| ([0-9.]+) ms \| [0-9.]+ ms \|$", proc.stdout, re.M))
    assert {"blogtools", "mistune"} <= set(rows), proc.stdout
    assert all(float(v) > 0 for v in rows.values()), rows
    # the corpus was generated where the environment said, and kept for the next run
    assert any(name.startswith("posts30-seed0-") for name in os.listdir(tmp_path / "bench"))
