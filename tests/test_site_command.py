"""``blogtools site``: the model the rules use, as text and JSON, and ``--resolve``."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLE, FIXTURES, ROOT

MEDIUM = "posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct"


def test_json_lists_every_page_with_path_url_aliases_and_resources(cli) -> None:
    r = cli("site", str(EXAMPLE), "--output-format", "json")
    assert r.returncode == 0, r.stderr
    pages = json.loads(r.stdout)
    assert len(pages) == 11 and all({"path", "url", "aliases", "resources"} <= set(p) for p in pages)
    by_path = {p["path"]: p for p in pages}
    medium = by_path[f"content/{MEDIUM}/index.md"]
    assert medium["url"] == f"/{MEDIUM}/"
    assert medium["aliases"] == ["/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d/"]
    assert medium["resources"] == [f"/{MEDIUM}/images/{n}.png" for n in (1, 2, 3)]
    assert by_path["content/posts/2021-01-10/index.md"]["aliases"] == [
        "/posts/k8s-cronjob-batch-inference/", "/2021/01/k8s-batch/"]


def test_text_output_and_generated_pages(cli) -> None:
    r = cli("site", str(FIXTURES / "sites" / "hugo-urls"), "--all")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("hugo site at ")
    assert "/posts/bundle-with-caps/  ← content/posts/Bundle With Caps/index.md" in out
    assert "    alias     /posts/relative-old/" in out
    assert "    resource  /posts/bundle-with-caps/images/Photo.JPG" in out
    assert "/posts/draft/  ← content/posts/draft.md  [not published: draft]" in out
    assert "/topics/open-source/  ← (term)" in out


def test_resolve_explains_a_url(cli) -> None:
    r = cli("site", str(EXAMPLE), "--resolve", "/post/2022-03-22", "--resolve", "/2021/01/k8s-batch/",
            "--resolve", "https://blog.example.org/images/logo.png")
    assert r.returncode == 1  # one URL resolves to nothing
    lines = r.stdout.splitlines()
    assert lines[0] == "/post/2022-03-22: no page, alias or file (closest: /posts/2022-03-22/)"
    assert lines[1].startswith("/2021/01/k8s-batch/: alias /posts/2021-01-10/ (")
    assert lines[2].startswith("https://blog.example.org/images/logo.png: static /images/logo.png (")
    r = cli("site", str(EXAMPLE), "--resolve", "/posts/2020-06-13/images/2.png", "--output-format", "json")
    assert r.returncode == 0 and json.loads(r.stdout)[0]["resolves"] == "resource"


def test_jekyll_and_plain_and_missing_path(cli) -> None:
    r = cli("site", str(FIXTURES / "sites" / "jekyll-blog"), "--output-format", "json")
    urls = {p["path"]: p["url"] for p in json.loads(r.stdout)}
    assert urls["_posts/2020-01-02-first-post.md"] == "/tech/2020/01/02/first-post/"
    r = cli("site", str(FIXTURES / "sites" / "plain-notes"), "--output-format", "json")
    assert {p["url"] for p in json.loads(r.stdout)} == {"/index.md", "/guide/setup.md"}
    r = cli("site", str(ROOT / "no-such-site"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_a_page_with_broken_front_matter_still_gets_a_url(cli, tmp_path) -> None:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://x.jp/"\n', encoding="utf-8")
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "broken.md").write_text("---\ntitle: [unclosed\n---\n本文\n", encoding="utf-8")
    (tmp_path / "content" / "posts" / "bad-bytes.md").write_bytes(b"---\ntitle: \xff\n---\n")
    r = cli("site", str(tmp_path), "--output-format", "json")
    assert r.returncode == 0, r.stderr
    assert [p["url"] for p in json.loads(r.stdout)] == ["/posts/broken/"]
