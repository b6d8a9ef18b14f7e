"""Image rules on small sites built in a temporary folder: where each path lands, and the fixes."""

from __future__ import annotations

from pathlib import Path

from blogtools import api
from tests.conftest import FIXTURES, text_at

IMAGES = ["BT301", "BT302", "BT303"]


def make_site(root: Path, posts: dict[str, str], files: dict[str, bytes], config: str = "") -> Path:
    (root / "hugo.toml").write_text('baseURL = "https://img.example.jp/"\n' + config, encoding="utf-8")
    for rel, text in posts.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def findings(root: Path, select=IMAGES, settings=None) -> list[tuple[str, int, str, str]]:
    out = []
    for d in api.lint_paths([str(root)], select=select, settings=settings):
        text = Path(d.path).read_text(encoding="utf-8")
        at = text_at(text, d.line, d.column, d.end_line, d.end_column)
        out.append((Path(d.path).parent.name, d.line, d.code, at))
    return out


def test_where_images_land(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "posts/a/index.md": "---\ntitle: a\nthumbnail: images/thumb.png\ncover:\n  image: images/cover.png\n---\n\n"
                            "![相対](images/one.png)\n\n![静的ファイル](/img/logo.png)\n\n"
                            '{{< figure src="images/one.png" >}}\n\n![別の記事](/posts/b/images/two.png)\n',
        "posts/b/index.md": "---\ntitle: b\n---\n\n![自分の画像](images/two.png)\n",
        "posts/plain.md": "---\ntitle: plain\n---\n\n![バンドルではない](images/one.png)\n",
    }, {
        "content/posts/a/images/one.png": b"1", "content/posts/a/images/cover.png": b"c",
        "content/posts/a/images/two.png": b"different", "content/posts/b/images/two.png": b"2",
        "static/img/logo.png": b"l",
    })
    # a's link into b's bundle names a file that differs from a's own two.png: not a BT302
    assert findings(site) == [("posts", 5, "BT301", "images/one.png")]  # posts/plain.md is no bundle
    # an extra front matter key is checked when configured
    assert ("a", 3, "BT301", "images/thumb.png") in findings(
        site, settings={"images.front-matter-keys": ["thumbnail", "cover.image"]})


def test_front_matter_style_option(tmp_path: Path) -> None:
    post = "---\ntitle: x\nimages:\n  - \"/1.png\"\n---\n\n![写真](/posts/old-name/2.png)\n"
    site = make_site(tmp_path, {"posts/new-name/index.md": post},
                     {"content/posts/new-name/1.png": b"1", "content/posts/new-name/2.png": b"2"})
    assert [f[2] for f in findings(site)] == ["BT302", "BT302"]
    path = site / "content" / "posts" / "new-name" / "index.md"
    fixed = api.fix_text(path.read_text(encoding="utf-8"), str(path), ["BT302"])
    assert fixed == post  # a site rule: file-level fixing alone changes nothing

    from blogtools.lint.fixer import apply_edits

    for style, fm, body in (("relative", '"1.png"', "![写真](2.png)"),
                            ("absolute", '"/posts/new-name/1.png"', "![写真](2.png)")):
        diags = api.lint_paths([str(site)], select=["BT302"], settings={"images.front-matter-style": style})
        text, _ = apply_edits(post, [d.fix for d in diags])
        assert f"  - {fm}\n" in text and body in text, (style, text)


def test_case_only_mismatch_and_its_fix(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"posts/a/index.md": "---\ntitle: a\n---\n\n![配信画面](Images/Screen.PNG)\n"},
                     {"content/posts/a/images/screen.png": b"s"})
    diags = api.lint_paths([str(site)], select=IMAGES)
    assert [(d.code, d.line, d.column) for d in diags] == [("BT303", 5, 9)]
    assert diags[0].fix.safe and diags[0].fix.edits[0].content == "images/screen.png"


def test_multilingual_pages_share_their_bundle_images() -> None:
    """Hugo's default render hook resolves page resources in multilingual sites."""
    assert findings(FIXTURES / "sites" / "hugo-multilingual") == []


def test_jekyll_front_matter_image_is_a_site_path(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-01-01-a.md").write_text(
        "---\ntitle: a\nimage: /assets/og.png\n---\n\n![図](/assets/missing.png)\n", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "og.png").write_bytes(b"o")
    assert findings(tmp_path) == [("_posts", 6, "BT301", "/assets/missing.png")]


def test_raw_html_media_sources_are_checked_like_images(tmp_path: Path) -> None:
    # <audio src> and <source src> load a file the way <img src> does: the build links
    # them, and a missing one is as broken (an old post's recordings under /files/)
    post = ("---\ntitle: 録音\n---\n\n会話の録音です。\n\n<audio src=\"/files/talk/snd0.mp3\" controls>\n\n"
            "<video controls><source src=\"/files/talk/clip.mp4\" type=\"video/mp4\"></video>\n\n"
            "<audio src=\"/files/talk/here.mp3\" controls>\n")
    site = make_site(tmp_path, {"posts/talk.md": post}, {"static/files/talk/here.mp3": b"ID3"},
                     config="[markup.goldmark.renderer]\nunsafe = true\n")
    assert findings(site) == [("posts", 7, "BT301", "/files/talk/snd0.mp3"),
                              ("posts", 9, "BT301", "/files/talk/clip.mp4")]
    messages = [d.message for d in api.lint_paths([str(site)], select=["BT301"])]
    assert messages[0].startswith("<audio src> '/files/talk/snd0.mp3' not found")
    assert messages[1].startswith("<source src> '/files/talk/clip.mp4' not found")
