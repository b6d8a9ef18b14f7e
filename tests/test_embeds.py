"""The embed provider table (blogtools.embeds): every provider in every form, and the Hugo
shortcode it becomes for the shortcodes a site has."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogtools import embeds
from blogtools.document import Document
from blogtools.embeds import Embed, detect_html, detect_url, hugo_shortcode
from tests.conftest import FIXTURES

BUILTINS = {"youtube": "", "vimeo": "", "x": "", "instagram": ""}


@pytest.mark.parametrize("url, provider, ident, params", [
    ("https://www.youtube.com/embed/Z7rLq0wYc4E", "youtube", "Z7rLq0wYc4E", ()),
    ("https://www.youtube-nocookie.com/embed/Z7rLq0wYc4E?start=90", "youtube", "Z7rLq0wYc4E", (("start", "90"),)),
    ("https://youtube.googleapis.com/v/Z7rLq0wYc4E", "youtube", "Z7rLq0wYc4E", ()),
    ("https://youtu.be/Qm3Xv8TkP2a?t=1m30s", "youtube", "Qm3Xv8TkP2a", (("start", "90"),)),
    ("https://www.youtube.com/watch?feature=share&v=Qm3Xv8TkP2a", "youtube", "Qm3Xv8TkP2a", ()),
    ("https://player.vimeo.com/video/123456789", "vimeo", "123456789", ()),
    ("https://vimeo.com/123456789", "vimeo", "123456789", ()),
    ("https://twitter.com/kmorioka_ml/status/1493012345678901234", "x", "1493012345678901234",
     (("user", "kmorioka_ml"),)),
    ("https://x.com/kmorioka_ml/status/1493012345678901234?s=20", "x", "1493012345678901234",
     (("user", "kmorioka_ml"),)),
    ("https://www.instagram.com/p/CaBcDeFgHiJ/", "instagram", "CaBcDeFgHiJ", ()),
    ("https://speakerdeck.com/player/b2c9e4f7a1d34c8e9f60d2a7b5e1c3f8", "speakerdeck",
     "b2c9e4f7a1d34c8e9f60d2a7b5e1c3f8", ()),
    ("https://gist.github.com/example/0123456789abcdef0123.js?file=values.yaml", "gist", "0123456789abcdef0123",
     (("file", "values.yaml"), ("user", "example"))),
    ("https://www.slideshare.net/slideshow/embed_code/key/AbCdEfGhIjKl", "slideshare", "AbCdEfGhIjKl", ()),
    ("https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fwww.youtube.com%2Fembed%2FQm3Xv8TkP2a"
     "&display_name=YouTube", "youtube", "Qm3Xv8TkP2a", ()),
])
def test_urls(url: str, provider: str, ident: str, params: tuple) -> None:
    embed = detect_url(url)
    assert embed is not None and (embed.provider, embed.id, embed.params) == (provider, ident, params)
    assert embed.url.startswith("https://")


@pytest.mark.parametrize("url", ["https://mlct.connpass.com/event/240318/", "https://speakerdeck.com/example/deck",
                                 "https://www.youtube.com/channel/UCxyz", "not a url", ""])
def test_other_urls_are_no_embeds(url: str) -> None:
    assert detect_url(url) is None


def test_html_forms() -> None:
    tweet = ('<blockquote class="twitter-tweet"><p lang="ja">再開します</p>&mdash; Example (@kmorioka_ml) '
             '<a href="https://twitter.com/kmorioka_ml/status/1493012345678901234?ref_src=twsrc%5Etfw">'
             'February 14, 2022</a></blockquote> <script async src="https://platform.twitter.com/widgets.js"'
             ' charset="utf-8"></script>')
    found = embeds.find_in_html(tweet)
    assert [(f.embed.provider, f.embed.form, f.start, f.end) for f in found] == [("x", "blockquote", 0, len(tweet))]
    script = ('<script async class="speakerdeck-embed" data-id="3f8e2a1c" data-ratio="1.77" '
              'src="//speakerdeck.com/assets/embed.js"></script>')
    assert detect_html(script) == Embed("speakerdeck", "3f8e2a1c", "script", (("ratio", "1.77"),))
    insta = ('<blockquote class="instagram-media" '
             'data-instgrm-permalink="https://www.instagram.com/p/CaBcDeFgHiJ/?utm_source=ig"></blockquote>')
    assert detect_html(insta).id == "CaBcDeFgHiJ"
    gist = '<script src="https://gist.github.com/example/0123456789abcdef0123.js"></script>'
    assert detect_html(gist).param("user") == "example"
    assert detect_html('<iframe src="https://forms.example.jp/embed"></iframe>') is None
    assert detect_html('<script src="https://example.com/app.js"></script>') is None


def test_hugo_shortcodes_for_builtins_and_project_templates() -> None:
    assert hugo_shortcode(detect_url("https://youtu.be/Qm3Xv8TkP2a"), BUILTINS) == "{{< youtube Qm3Xv8TkP2a >}}"
    assert hugo_shortcode(detect_url("https://youtu.be/Qm3Xv8TkP2a?t=90"), BUILTINS) == \
        '{{< youtube id="Qm3Xv8TkP2a" start="90" >}}'
    assert hugo_shortcode(detect_url("https://x.com/a_b/status/123"), BUILTINS) == '{{< x user="a_b" id="123" >}}'
    assert hugo_shortcode(Embed("x", "123", "url"), BUILTINS) is None  # x needs the user
    assert hugo_shortcode(detect_url("https://speakerdeck.com/player/abcdef0123456789"), BUILTINS) is None
    example = FIXTURES / "sites" / "example" / "layouts" / "shortcodes" / "speakerdeck.html"
    assert hugo_shortcode(Embed("speakerdeck", "abc", "script"), {"speakerdeck": str(example)}) == \
        '{{< speakerdeck id="abc" >}}'


def test_positional_project_templates(tmp_path: Path) -> None:
    template = tmp_path / "gist.html"
    template.write_text('<script src="https://gist.github.com/{{ .Get 0 }}/{{ .Get 1 }}.js"></script>\n',
                        encoding="utf-8")
    embed = detect_url("https://gist.github.com/example/0123456789abcdef0123.js")
    assert hugo_shortcode(embed, {"gist": str(template)}) == "{{< gist example 0123456789abcdef0123 >}}"


def test_embeds_in_a_document_have_exact_offsets() -> None:
    path = FIXTURES / "sites" / "defects" / "content" / "posts" / "embeds" / "index.md"
    doc = Document.read(str(path))
    found = embeds.in_document(doc)
    assert [e.embed.provider for e in found] == ["vimeo", "x", "gist", "slideshare", "youtube", "speakerdeck"]
    for e in found:
        element = doc.text[e.start:e.end]
        assert element.startswith("<") and element.endswith(">")
        assert e.start <= e.src_start < e.src_end <= e.end
    assert doc.text[found[1].start:found[1].end].endswith("widgets.js\" charset=\"utf-8\"></script>")
