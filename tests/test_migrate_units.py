"""`blogtools migrate` pieces: image downloads against a local server, bad input, body
transforms (Medium artefacts, footnotes, embeds), aliases, and the 1,000-post benchmark."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
import zipfile
from pathlib import Path
from typing import Iterator

import pytest

from blogtools.migrate import Options, assets, migrate
from blogtools.migrate.body import convert_html, medium_cleanup, normalise_footnotes
from blogtools.migrate.model import Post
from blogtools.migrate.verify import hugo_binary

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


# --------------------------------------------------------------------------- a local image server
class Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, code: int, ctype: str, body: bytes, length: int | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        try:
            self._get()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def _get(self) -> None:
        path = self.path.split("?", 1)[0]
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        if path.startswith("/ok/") or path.startswith("/img/"):
            self._send(200, "image/png", PNG)
        elif path == "/redirect.png":
            self.send_response(302)
            self.send_header("Location", "/ok/target.png")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow.png":
            time.sleep(1.5)
            self._send(200, "image/png", PNG)
        elif path == "/huge.png":
            self._send(200, "image/png", b"\0" * 4096)
        elif path == "/wrong.png":
            self._send(200, "text/html; charset=utf-8", b"<html>login</html>")
        elif path == "/flaky.png" and Handler.hits[path] == 1:
            self._send(503, "text/plain", b"busy")
        elif path == "/flaky.png":
            self._send(200, "image/jpeg", PNG)
        else:
            self._send(404, "text/plain", b"missing")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def medium_post(images: list[tuple[str, str]]) -> str:
    figures = "".join(
        f'<figure class="graf graf--figure"><img class="graf-image" data-image-id="{iid}" src="{src}">'
        f"<figcaption class=\"imageCaption\">図 {n}</figcaption></figure>" for n, (iid, src) in enumerate(images))
    return ('<html><body><article class="h-entry"><header><h1 class="p-name">画像のテスト</h1></header>'
            '<section data-field="body" class="e-content"><section class="section"><div class="section-content">'
            '<div class="section-inner"><h3 class="graf graf--h3 graf--title">画像のテスト</h3>'
            f'<p class="graf graf--p">本文です。</p>{figures}</div></div></section></section>'
            '<footer><time class="dt-published" datetime="2020-01-02T03:04:05.000Z">x</time>'
            '<a class="p-canonical" href="https://medium.com/@u/image-test-0123456789ab">c</a></footer>'
            "</article></body></html>")


def test_image_downloads_against_a_local_server(server: str, tmp_path: Path) -> None:
    images = [
        ("1*ok.png", f"{server}/ok/1*ok.png"),
        ("", f"{server}/missing.png"),
        ("", f"{server}/slow.png"),
        ("", f"{server}/huge.png"),
        ("", f"{server}/wrong.png"),
        ("", f"{server}/redirect.png"),
        ("", f"{server}/flaky.png"),
        ("../../escape.png", f"{server}/img/..%2F..%2Fescape.png"),
        ("/etc/passwd", f"{server}/img/odd%20name%3F%3A.png"),
    ]
    src = tmp_path / "export"
    (src / "posts").mkdir(parents=True)
    (src / "posts" / "2020-01-02_Image-Test-0123456789ab.html").write_text(medium_post(images), encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    result = migrate(Options(str(src), str(out), timeout=1.0, max_image_bytes=1024))
    assert time.monotonic() - started < 30
    bundle = out / "content/posts/2020-01-02_image-test"
    names = sorted(p.name for p in (bundle / "images").iterdir())
    assert names == ["1-ok.png", "escape.png", "flaky.jpg", "passwd.png", "redirect.png"]
    for path in (bundle / "images").iterdir():
        assert path.resolve().is_relative_to(bundle.resolve()) and path.read_bytes() == PNG
    text = (bundle / "index.md").read_text(encoding="utf-8")
    assert 'src="images/1-ok.png"' in text and 'src="images/flaky.jpg"' in text
    for failed in ("missing.png", "slow.png", "huge.png", "wrong.png"):
        assert f'src="{server}/{failed}"' in text  # a failed download keeps the remote URL
    warnings = " ".join(result.posts[0].warnings)
    assert "HTTP 404" in warnings and "timed out" in warnings or "read failed" in warnings
    assert "over the 1024 byte limit" in warnings and "not an image (Content-Type text/html)" in warnings
    assert Handler.hits["/flaky.png"] == 2  # retried after the 503
    assert Handler.hits["/missing.png"] == 1  # a 404 is not retried
    rep = json.loads((out / "migration.json").read_text(encoding="utf-8"))
    assert rep["totals"]["images_downloaded"] == 5 and rep["totals"]["images_failed"] == 4
    if hugo_binary():
        from blogtools.migrate.verify import verify

        v = verify(str(out), result)
        assert v.ok, v.problems


def test_images_keep_never_touches_the_network(server: str, tmp_path: Path) -> None:
    src = tmp_path / "export"
    (src / "posts").mkdir(parents=True)
    (src / "posts" / "2020-01-02_Keep-0123456789ab.html").write_text(
        medium_post([("k.png", f"{server}/ok/keep-only.png")]), encoding="utf-8")
    migrate(Options(str(src), str(tmp_path / "keep"), images="keep"))
    assert "/ok/keep-only.png" not in Handler.hits
    migrate(Options(str(src), str(tmp_path / "skip"), images="skip"))
    assert "/ok/keep-only.png" not in Handler.hits
    text = (tmp_path / "skip/content/posts/2020-01-02_keep/index.md").read_text(encoding="utf-8")
    assert f"[図 0]({server}/ok/keep-only.png)" in text and "figure" not in text


def test_safe_names() -> None:
    assert assets.safe_name("1*Qx7b.png", "", "image/png") == "1-Qx7b.png"
    assert assets.safe_name("", "https://x/a/..%2F..%2Fetc/passwd", "image/png") == "passwd.png"
    assert assets.safe_name("", "https://x/", "image/gif").startswith("image-")
    assert assets.safe_name(".hidden", "", "image/webp") == "hidden.webp"
    assert assets.unique("a.png", {"A.png", "a-2.png"}) == "a-3.png"
    assert not assets.inside("/tmp/b", "../x.png") and not assets.inside("/tmp/b", "/etc/x")
    assert assets.inside("/tmp/b", "images/x.png")


# --------------------------------------------------------------------------- bad input
def test_bad_input_is_reported_never_fatal(tmp_path: Path) -> None:
    site = tmp_path / "site"
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    (site / "hugo.toml").write_text('title = "t"\n', encoding="utf-8")
    (posts / "good.md").write_text("---\ntitle: ok\ndate: 2020-01-01\n---\n本文\n", encoding="utf-8")
    (posts / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    (posts / "latin1.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    (posts / "binary.md").write_bytes(b"\x00\x01\x02")
    (posts / "unterminated.md").write_text("---\ntitle: x\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in posts.iterdir()}
    result = migrate(Options(str(site), str(tmp_path / "out"), images="keep"))
    assert [p.source for p in result.posts] == ["content/posts/good.md"]
    assert sorted(s for s, _ in result.skipped) == [
        "content/posts/binary.md", "content/posts/broken.md", "content/posts/latin1.md", "content/posts/unterminated.md"]
    assert {p.name: p.read_bytes() for p in posts.iterdir()} == before
    # a broken zip and HTML that is not a Medium post
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    result = migrate(Options(str(tmp_path / "bad.zip"), str(tmp_path / "out2"), source_format="medium", images="keep"))
    assert result.posts == [] and result.skipped
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("posts/2020-01-01_x-0123456789ab.html", "<html><body><p>no article</p></body></html>")
        zf.writestr("posts/2020-01-02_y-0123456789ac.html", b"\xff\xfe<article class='h-entry'>")
    result = migrate(Options(str(export), str(tmp_path / "out3"), images="keep"))
    assert len(result.skipped) == 1 and "not a Medium post" in result.skipped[0][1]
    assert len(result.posts) == 1  # undecodable bytes are replaced, the post still comes through


# --------------------------------------------------------------------------- body transforms
def post(body: str) -> Post:
    return Post("x.md", {}, body)


def test_medium_cleanup_is_safe_and_idempotent() -> None:
    p = post("#### A\n\ntext **a**[**b**](https://x.example/)**c** end (x)*   item\n\n"
             "_one  \n_two\n\n**_three  \n_**four\n\n```\n#### code *   stays\n```\n\n### B\n")
    medium_cleanup(p)
    assert p.body == ("### A\n\ntext **a[b](https://x.example/)c** end (x)\n\n*   item\n\n"
                      "_one_  \ntwo\n\n**_three_**  \nfour\n\n```\n#### code *   stays\n```\n\n## B\n")
    again = p.body
    medium_cleanup(p)
    assert p.body == again


def test_footnotes_move_to_the_end_whole() -> None:
    p = post("a[^n] b[^2]\n\n[^n]: one\n\n    > quoted\n    > more\n\nmiddle\n\n[^2]: two\n")
    normalise_footnotes(p)
    assert p.body == "a[^n] b[^2]\n\nmiddle\n\n[^n]: one\n\n    > quoted\n    > more\n\n[^2]: two\n"
    normalise_footnotes(p)
    assert p.body.endswith("[^2]: two\n") and p.converted == ["footnote definitions moved to the end"]


def test_html_embeds_to_shortcodes_and_raw_html_reported() -> None:
    p = post('<iframe src="https://player.vimeo.com/video/12345" width="640"></iframe>\n\n'
             '<blockquote class="twitter-tweet"><p>hi</p>&mdash; A (@ann) '
             '<a href="https://twitter.com/ann/status/123456789">date</a></blockquote>\n'
             '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n\n'
             '<script src="https://gist.github.com/octo/0a1b2c3d.js"></script>\n\n'
             'line<br>\nnext <b>bold</b>\n')
    convert_html(p)
    assert "{{< vimeo 12345 >}}" in p.body
    # the tweet keeps its archived text: {{< x >}} would replace it by a fetch at build time
    # (an offline build or a deleted tweet shows nothing), BT610's rule too
    assert "{{< x" not in p.body and '<blockquote class="twitter-tweet"><p>hi</p>' in p.body
    assert any(k.startswith("<blockquote>") for k in p.kept_raw)
    assert "{{< gist" in p.body and "0a1b2c3d" in p.body
    assert "line\\\nnext <b>bold</b>" in p.body
    assert p.kept_raw == ["<b> (body line 9)", "</b> (body line 9)"] or any("<b>" in k for k in p.kept_raw)


def test_old_urls_that_cannot_be_aliases_are_reported(tmp_path: Path) -> None:
    src = tmp_path / "blog"
    (src / "_posts").mkdir(parents=True)
    (src / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (src / "_posts" / "2020-01-01-a.md").write_text(
        "---\ntitle: a\nredirect_from:\n  - /index.php?p=12\n  - https://old.example.com/a/\n  - /old page (1)/\n---\nx\n",
        encoding="utf-8")
    result = migrate(Options(str(src), str(tmp_path / "out"), images="keep"))
    (p,) = result.posts
    assert p.meta["aliases"] == ["/2020/01/01/a.html", "/old page (1)/"]  # Hugo writes aliases verbatim
    warnings = " ".join(p.warnings)
    assert "/index.php?p=12 not kept: a query string" in warnings
    assert "redirect_from https://old.example.com/a/: jekyll-redirect-from expects a path" in warnings


# --------------------------------------------------------------------------- benchmark
def make_site(root: Path, n: int) -> None:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://b.example/"\ntitle = "bench"\ntimeZone = "Asia/Tokyo"\n',
                                    encoding="utf-8")
    def name(i: int) -> str:
        return f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}-post-{i:04d}"

    for i in range(n):
        bundle = root / "content" / "posts" / name(i)
        bundle.mkdir()
        (bundle / "index.md").write_text(
            f"---\ntitle: \"投稿 {i} のタイトル\"\ndate: 2020-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+09:00\n"
            f"tags:\n  - bench\n  - t{i % 7}\naliases: \"/old/{i}/\"\n---\n\n"
            f"本文 {i}。[前の投稿](/posts/{name(max(i - 1, 0))}/) も参照。\n\n## 見出し\n\n"
            "- 項目 1\n- 項目 2\n\n```python\nprint('x')\n```\n\n"
            '<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>\n\n'
            f"脚注つき[^1]。\n\n[^1]: 脚注 {i}\n",
            encoding="utf-8")


@pytest.mark.usefixtures("hugo")
def test_benchmark_1000_posts(tmp_path: Path) -> None:
    make_site(tmp_path / "big", 1000)
    started = time.perf_counter()
    result = migrate(Options(str(tmp_path / "big"), str(tmp_path / "out"), images="keep"))
    migration = time.perf_counter() - started
    from blogtools.migrate.verify import verify

    started = time.perf_counter()
    v = verify(str(tmp_path / "out"), result)
    checked = time.perf_counter() - started
    print(f"\n1,000 posts: migration {migration:.1f} s, verify (hugo build + checks + lint) {checked:.1f} s")
    assert v.ok, v.problems[:5]
    assert v.checked["pages"] == 1000 and v.checked["old_urls"] == 1000
    assert migration < float(os.environ.get("BLOGTOOLS_MIGRATE_BUDGET", "60"))


def test_an_html_block_of_two_embeds_is_kept_whole() -> None:
    """A row holding a YouTube iframe and a SpeakerDeck script (the script is that embed, not
    a widget helper): replacing the block by the YouTube shortcode lost the slides. A block
    of more than one embed stays HTML; one embed with its widget script still becomes the
    shortcode."""
    two = ('<div class="row">\n  <div><iframe src="https://www.youtube.com/embed/abcDEF12345"></iframe></div>\n'
           '  <div><script async class="speakerdeck-embed" data-id="0123456789abcdef0123456789abcdef" '
           'src="https://speakerdeck.com/assets/embed.js"></script></div>\n</div>\n')
    post = Post("p.md", {}, "Talk.\n\n" + two + "\nAfter.\n")
    convert_html(post)
    assert two in post.body and "{{<" not in post.body
    one = ('<blockquote class="twitter-tweet"><a href="https://twitter.com/ann/status/42">x</a></blockquote>\n'
           '<script async src="https://platform.twitter.com/widgets.js"></script>\n')
    post = Post("p.md", {}, "Tweet.\n\n" + one + "\nAfter.\n")
    convert_html(post)
    assert "blockquote" in post.body or "{{< x" in post.body  # one embed: handled as before
