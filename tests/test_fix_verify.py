"""The fix applier checks every fix before it is kept: the front matter keeps the values the
edits do not touch, and the body renders the same outside the edits (and, for a safe fix,
with the same element structure). A fix that fails is dropped and named as a bug of its
rule; the others go in. The last test runs ``lint --fix --unsafe-fixes`` on a small Hugo site
and builds it with the real Hugo before and after."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from blogtools.document import Document
from blogtools.lint import fixer
from blogtools.lint.rule import Diagnostic, Edit, Fix
from tests.conftest import FIXTURES, run_cli

POST = """---
title: "録画の公開"
draft: false
tags: [勉強会]
---

第 13 回の録画を公開しました。資料は [前回の記事](/posts/second/) にあります。

コードは `greet("世界")` で呼び出し、結果は *表示* されます。
"""


def doc(text: str = POST) -> Document:
    return Document("content/posts/x/index.md", text, False, "\n", "/site/content/posts/x/index.md")


def at(text: str, needle: str, occurrence: int = 0) -> int:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    return pos


def check(fix: Fix, text: str = POST) -> str | None:
    new, chosen = fixer.apply_edits(text, [fix])
    assert chosen == [fix]
    return fixer.verify(doc(text), doc(new), [fix])


def replace(needle: str, content: str, safe: bool = True, markup: bool = False, text: str = POST) -> Fix:
    start = at(text, needle)
    return Fix((Edit(start, start + len(needle), content),), safe=safe, description="test", markup=markup)


def test_a_fix_that_changes_only_its_own_span_passes() -> None:
    assert check(replace("/posts/second/", "/posts/second-take/")) is None  # a link's URL
    assert check(replace("表示", "表示結果")) is None  # words inside emphasis
    assert check(replace('title: "録画の公開"', 'title: "録画を公開"')) is None  # front matter only


EMPHASIS = POST.replace("にあります。", "にあります。注意**。")  # a lone "**" that closes nothing yet
CODE = POST.replace('コードは `greet("世界")` で呼び出し', 'コードは 呼び出し、結果は `greet("世界")` で確認')


def test_a_safe_fix_that_adds_emphasis_is_refused() -> None:
    # "**" written before the paragraph's first word pairs with the lone "**": new emphasis
    problem = check(replace("第 13 回", "**第 13 回", text=EMPHASIS), EMPHASIS)
    assert problem is not None and "markup" in problem


def test_a_fix_whose_text_reaches_outside_its_span_is_refused() -> None:
    # A backtick written by the fix pairs with the code span's opening backtick further on:
    # the element count stays (one code span) but the text around the edit changes.
    problem = check(replace("コードは", "コードは`", text=CODE), CODE)
    assert problem == "would change the rendered page outside its edit"


def test_a_fix_that_turns_text_into_a_link_is_unsafe_only() -> None:
    text = POST.replace("[前回の記事](/posts/second/)", "[前回の記事](/posts/second notes/)")
    safe = replace("/posts/second notes/", "/posts/second%20notes/", text=text)
    assert "markup" in (check(safe, text) or "")
    unsafe = replace("/posts/second notes/", "/posts/second%20notes/", safe=False, text=text)
    assert check(unsafe, text) is None


def test_a_declared_markup_change_may_replace_a_block() -> None:
    text = POST + '\n<iframe src="https://www.youtube.com/embed/Qm3Xv8TkP2a"></iframe>\n\n最後の段落です。\n'
    fix = replace('<iframe src="https://www.youtube.com/embed/Qm3Xv8TkP2a"></iframe>',
                  "{{< youtube Qm3Xv8TkP2a >}}", markup=True, text=text)
    assert check(fix, text) is None
    undeclared = Fix(fix.edits, safe=True, description="test")
    assert "markup" in (check(undeclared, text) or "")


def test_front_matter_values_the_edits_do_not_touch_must_stay() -> None:
    # An edit of the title that also writes another key: draft changes without being edited.
    fix = replace('"録画の公開"', '"録画の公開"\ndraft: true\nx: 1')
    problem = check(fix, POST.replace("draft: false\n", "draft: false\n", 1))
    assert problem is not None and "front matter" in problem
    broken = replace('"録画の公開"', '"録画の公開')
    assert check(broken) == "would leave front matter that does not load"


def test_a_format_conversion_must_keep_every_value() -> None:
    toml = '+++\ntitle = "録画の公開"\ndate = 2024-03-02T10:00:00+09:00\ntags = ["勉強会"]\n+++\n\n本文。\n'
    end = toml.index("+++", 3) + 4
    good = Fix((Edit(0, end, '---\ntitle: 録画の公開\ndate: 2024-03-02T10:00:00+09:00\ntags: [勉強会]\n---\n'),),
               safe=False)
    assert check(good, toml) is None
    lossy = Fix((Edit(0, end, '---\ntitle: 録画の公開\ntags: [勉強会]\n---\n'),), safe=False)
    assert check(lossy, toml) == "would change the front matter's data"


def test_fix_document_keeps_the_good_fixes_and_names_the_bad_rule() -> None:
    good = replace("/posts/second/", "/posts/second-take/", text=EMPHASIS)
    bad = Fix(replace("第 13 回", "**第 13 回", text=EMPHASIS).edits, safe=True, description="test")

    def lint(d: Document) -> list[Diagnostic]:
        out = []
        if "/posts/second/" in d.text:
            out.append(Diagnostic(d.path, 1, 1, 1, 1, "BT202", "link-target-missing", "error", "m", good))
        if "**第" not in d.text:
            out.append(Diagnostic(d.path, 1, 1, 1, 1, "BT999", "test-rule", "error", "m", bad))
        return out

    result = fixer.fix_document(doc(EMPHASIS), lint, unsafe=False)
    assert "/posts/second-take/" in result.text and "**第" not in result.text
    assert result.applied == 1
    assert len(result.problems) == 1 and result.problems[0].startswith("BT999 fix (test) not applied")
    assert "bug in the rule" in result.problems[0]


# --------------------------------------------------------------------------- a real site
class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words.extend(re.findall(r"\w+|[^\w\s]", data))


def _pages(public: Path) -> dict[str, list[str]]:
    """The words of each page; a redirect page (an alias) has none, it only has to exist."""
    out = {}
    for page in sorted(public.rglob("index.html")):
        parser = _Text()
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' not in html:
            parser.feed(html)
        out[str(page.relative_to(public))] = parser.words
    return out


def _build(hugo: str, site: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([hugo, "--source", str(site), "--destination", str(dest)],
                          capture_output=True, text=True, timeout=120)


def test_fixing_a_site_keeps_it_building_and_its_text(tmp_path: Path, hugo: str) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "sites" / "fix-roundtrip", site)
    before = _build(hugo, site, tmp_path / "before")
    assert before.returncode == 0, before.stderr

    run = run_cli("lint", "--fix", "--unsafe-fixes", str(site), env={"BLOGTOOLS_CACHE_DIR": str(tmp_path / "c")})
    assert "not applied" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stdout + run.stderr  # every finding was fixable

    after = _build(hugo, site, tmp_path / "after")
    assert after.returncode == 0, after.stderr
    old, new = _pages(tmp_path / "before"), _pages(tmp_path / "after")
    assert set(old) == set(new)  # no page URL dropped, the renamed tag's included:
    reids = (tmp_path / "after" / "tags" / "reids" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in reids and "/tags/redis/" in reids
    assert (site / "static" / "tags" / "reids" / "index.html").is_file()
    assert "reids" not in (site / "content" / "posts" / "third" / "index.md").read_text(encoding="utf-8")
    first = "posts/first/index.html"
    # What the fixes say they change, and nothing else: the Liquid tags Hugo printed go, the
    # embed Hugo dropped appears, the link text loses its padding (same words).
    # The misspelt tag goes from the tag list (its URL now redirects to the right one).
    liquid = {"{", "}", "%", "highlight", "endhighlight", "raw", "endraw", "python", "Reids"}
    for page in old:
        if page == "tags/reids/index.html":
            continue  # now the alias of /tags/redis/
        lost = [w for w in old[page] if w not in new[page]]
        assert set(lost) <= liquid, (page, lost)
    assert "highlight" in old[first] and "highlight" not in new[first]
    html = (tmp_path / "after" / first).read_text(encoding="utf-8")
    assert "youtube" in html and "<pre" in html and 'href="/posts/second/"' in html
    assert (tmp_path / "after" / "posts" / "second" / "index.html").read_text(encoding="utf-8").count("{{ name }}") == 1


# --------------------------------------------------------------------------- the Hugo version
def test_the_hugo_version_comes_from_the_sites_own_settings_in_order(tmp_path: Path, hugo: str) -> None:
    from blogtools.generators import hugo as profile

    def version(files: dict[str, str], module: str = "") -> tuple[int, ...] | None:
        root = tmp_path / f"site{len(list(tmp_path.iterdir()))}"
        root.mkdir()
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        return profile.detect_version(str(root), module)

    netlify = {"netlify.toml": '[build.environment]\n  HUGO_VERSION = "0.139.4"\n'}
    assert version(netlify) == (0, 139)
    assert version({**netlify, "package.json": '{"devDependencies": {"hugo-extended": "^0.121.2"}}'}) == (0, 121)
    assert version({**netlify, "requirements.txt": "mkdocs\nhugo==0.140.2\n"}) == (0, 140)
    assert version(netlify, "{'min': '0.128.0'}") == (0, 128)  # module.hugoVersion before build settings
    # Nothing in the site: the Hugo installed here, as `hugo version` prints it.
    out = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    installed = tuple(int(x) for x in re.search(r"v(\d+)\.(\d+)", out).groups())
    assert version({}) == installed


def test_a_removed_gist_shortcode_gets_its_template_and_the_site_builds_again(tmp_path: Path, hugo: str) -> None:
    site = tmp_path / "site"
    (site / "content" / "posts" / "gist").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://fix.example.jp/"\ntitle = "t"\n', encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("{{ .Title }}", encoding="utf-8")
    post = site / "content" / "posts" / "gist" / "index.md"
    text = '---\ntitle: "設定ファイル"\n---\n\n設定は次のとおりです。\n\n{{< gist kmorioka a1b2c3d4e5 >}}\n'
    post.write_text(text, encoding="utf-8")
    before = _build(hugo, site, tmp_path / "before")
    assert before.returncode != 0 and "gist" in before.stdout + before.stderr  # Hugo 0.156 removed it

    run = run_cli("lint", "--fix", str(site), env={"BLOGTOOLS_CACHE_DIR": str(tmp_path / "c")})
    assert "not applied" not in run.stderr, run.stderr
    assert post.read_text(encoding="utf-8") == text  # the post is not touched
    template = site / "layouts" / "shortcodes" / "gist.html"
    assert template.is_file()
    after = _build(hugo, site, tmp_path / "after")
    assert after.returncode == 0, after.stderr
    html = (tmp_path / "after" / "posts" / "gist" / "index.html").read_text(encoding="utf-8")
    assert 'src="https://gist.github.com/kmorioka/a1b2c3d4e5.js"' in html and "設定は次のとおりです" in html
