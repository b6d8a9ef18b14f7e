"""The hostile audit, kept as a regression suite: bad files, symbolic links, stale caches,
deep nesting, undecodable text, leftovers of a killed run; and a property test over
thousands of generated posts (lint never fails inside, --fix is idempotent, fixed front
matter still parses).

Each command that reads a site runs as a separate process with a timeout: a FIFO used to
block a reader forever, so a regression shows up as a timeout here, not a hung suite.
(Migrate's share of the audit is in test_migrate_hostile.py, suppressions in
test_suppressions.py, SARIF in test_sarif.py.)
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from blogtools import api
from blogtools.document import Document
from tests.conftest import run_cli, text_at

HUGO_CONFIG = 'baseURL = "https://example.com/"\ntitle = "テスト"\n'
POST = "---\ntitle: 投稿\ndate: 2021-01-01T00:00:00+09:00\ntags: [日記]\n---\n\n本文の [リンク ](https://example.org/a)。\n"
COMMANDS = [("lint",), ("lint", "--fix"), ("site",), ("vocab",), ("links", "--offline")]


def _site(root: Path) -> Path:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (root / "content" / "posts" / "ok.md").write_text(POST, encoding="utf-8")
    return root


def _run(tmp_path: Path, *args: str, timeout: float = 60):
    return run_cli(*args, cwd=tmp_path, env={"BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}, timeout=timeout)


def _no_traceback(r) -> None:
    assert "Traceback" not in r.stdout + r.stderr, r.stdout + r.stderr
    assert "internal error" not in r.stdout + r.stderr, r.stdout + r.stderr


# --------------------------------------------------------------------------- non-regular files
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_a_fifo_never_blocks_a_command(tmp_path: Path, command: tuple[str, ...]) -> None:
    site = _site(tmp_path / "site")
    os.mkfifo(site / "content" / "posts" / "p.md")
    r = _run(tmp_path, *command, str(site), timeout=60)  # blocked forever before the fix
    _no_traceback(r)
    said = r.stdout + r.stderr
    assert "p.md" in said and "named pipe (FIFO), not a regular file" in said, said
    assert r.returncode in (0, 1), said


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_given_by_name_is_named_not_opened(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    fifo = site / "content" / "posts" / "p.md"
    os.mkfifo(fifo)
    r = _run(tmp_path, "lint", str(fifo), "--output-format", "json")
    _no_traceback(r)
    found = json.loads(r.stdout)
    assert [(d["code"], "FIFO" in d["message"]) for d in found] == [("BT001", True)]
    with pytest.raises(Exception, match="not a regular file"):
        Document.read(str(fifo))


# --------------------------------------------------------------------------- symbolic links
def _outside_link(tmp_path: Path) -> tuple[Path, Path, bytes]:
    site = _site(tmp_path / "site")
    outside = tmp_path / "outside" / "secret.md"
    outside.parent.mkdir()
    data = "---\ntitle: 外\n---\n\n秘密の [リンク ](https://example.org/s) zyxwvutsr\n".encode("utf-8")
    outside.write_bytes(data)
    (site / "content" / "posts" / "linked.md").symlink_to(outside)
    return site, outside, data


def test_a_link_out_of_the_tree_is_not_read_and_never_written(tmp_path: Path) -> None:
    site, outside, data = _outside_link(tmp_path)
    r = _run(tmp_path, "lint", str(site), "--fix", "--unsafe-fixes")
    _no_traceback(r)
    assert outside.read_bytes() == data  # --fix used to rewrite the file outside the site
    assert "linked.md" in r.stdout and f"symbolic link to {outside}" in r.stdout, r.stdout
    assert "outside" in r.stdout and "not read, not written" in r.stdout
    # The post inside the site was fixed as usual.
    assert "[リンク](https://example.org/a)" in (site / "content/posts/ok.md").read_text(encoding="utf-8")


def test_site_and_vocab_do_not_index_a_file_outside_the_tree(tmp_path: Path) -> None:
    site, outside, _ = _outside_link(tmp_path)
    r = _run(tmp_path, "site", str(site), "--output-format", "json")
    _no_traceback(r)
    pages = json.loads(r.stdout)
    paths = [p["path"] for p in (pages["pages"] if isinstance(pages, dict) else pages)]
    assert "content/posts/ok.md" in paths and not any("linked" in p for p in paths), paths
    assert "linked.md" in r.stderr and "outside" in r.stderr  # named, once
    r = _run(tmp_path, "vocab", str(site), "--output-format", "json")
    _no_traceback(r)
    assert "zyxwvutsr" not in r.stdout and "linked.md" in r.stderr


def test_a_link_inside_the_tree_is_read_once(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    (site / "content" / "posts" / "again.md").symlink_to("ok.md")
    r = _run(tmp_path, "lint", str(site), "--select", "BT201", "--output-format", "json")
    _no_traceback(r)
    found = json.loads(r.stdout)
    assert len(found) == 1 and found[0]["code"] == "BT201", found


def test_link_loops_and_broken_links_are_named_as_such(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    posts = site / "content" / "posts"
    (posts / "loop-a.md").symlink_to("loop-b.md")
    (posts / "loop-b.md").symlink_to("loop-a.md")
    (posts / "gone.md").symlink_to("nowhere.md")
    r = _run(tmp_path, "lint", str(site), "--output-format", "json")
    _no_traceback(r)
    why = {Path(d["path"]).name: d["message"] for d in json.loads(r.stdout) if d["code"] == "BT001"}
    assert why["loop-a.md"] == why["loop-b.md"] == "symbolic link loop: not read"
    assert why["gone.md"] == "broken symbolic link: its target does not exist"


# --------------------------------------------------------------------------- the cache
def test_a_same_size_edit_with_the_old_mtime_is_not_served_from_the_cache(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    post = site / "content" / "posts" / "ok.md"
    first = _run(tmp_path, "lint", str(site), "--select", "BT201", "--output-format", "json")
    assert len(json.loads(first.stdout)) == 1
    st = os.stat(post)
    text = post.read_text(encoding="utf-8").replace("[リンク ](", "[リンク](") + " "
    assert len(text.encode("utf-8")) == st.st_size
    post.write_text(text, encoding="utf-8")
    os.utime(post, ns=(st.st_atime_ns, st.st_mtime_ns))  # touch -d: the old mtime put back
    assert os.stat(post).st_mtime_ns == st.st_mtime_ns and os.stat(post).st_size == st.st_size
    again = _run(tmp_path, "lint", str(site), "--select", "BT201", "--output-format", "json")
    assert json.loads(again.stdout) == [], again.stdout  # the stale finding used to come back


# --------------------------------------------------------------------------- deep nesting
DEEP = 20000


@pytest.mark.parametrize("kind,text,opener", [
    ("json", '{\n"title": "x",\n"a": ' + "[" * DEEP + "]" * DEEP + "\n}\n本文\n", "["),
    ("toml", '+++\ntitle = "x"\na = ' + "[" * DEEP + "]" * DEEP + "\n+++\n本文\n", "["),
    ("yaml-flow", "---\ntitle: x\na: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n---\n本文\n", "{"),
    ("yaml-block", "---\n" + "".join(" " * i + "- \n" for i in range(1500)) + "---\n本文\n", "-"),
])
def test_deep_front_matter_is_a_syntax_error_at_its_position(kind: str, text: str, opener: str) -> None:
    found = api.lint_text(text, "post.md")
    assert not [d for d in found if "internal error" in d.message], [str(d) for d in found][:3]
    errors = [d for d in found if d.code == "BT002"]
    assert len(errors) == 1, [str(d) for d in found][:5]
    d = errors[0]
    assert "nested more than 100 levels deep" in d.message
    assert text_at(text, d.line, d.column, d.line, d.column + 1) == opener
    assert d.line > 1  # the place where it goes too deep, not the top of the file


def test_deep_front_matter_in_a_run_gives_one_line(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    (site / "content/posts/deep.md").write_text('+++\na = ' + "[" * DEEP + "]" * DEEP + "\n+++\n",
                                                encoding="utf-8")
    r = _run(tmp_path, "lint", str(site), "--output-format", "json")
    _no_traceback(r)
    deep = [d for d in json.loads(r.stdout) if d["path"].endswith("deep.md")]
    assert [d["code"] for d in deep] == ["BT002"], deep


# --------------------------------------------------------------------------- undecodable text
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_a_lone_surrogate_in_front_matter_never_breaks_the_output(tmp_path: Path, fmt: str) -> None:
    site = _site(tmp_path / "site")
    (site / "content/posts/s.md").write_text('---\ntitle: " \\ud800 "\n---\n\n[\\ud800 ](https://example.org/)\n',
                                             encoding="utf-8")
    r = _run(tmp_path, "lint", str(site), "--output-format", fmt)
    _no_traceback(r)
    assert r.returncode == 1
    if fmt in ("json", "sarif"):
        json.loads(r.stdout)


@pytest.mark.parametrize("encoding,name", [
    ("utf-16", "UTF-16 (little-endian, with a BOM)"),
    ("utf-16-be", "UTF-16 (big-endian, no BOM)"),
    ("utf-32", "UTF-32 (little-endian, with a BOM)"),
])
def test_utf16_and_utf32_are_named(tmp_path: Path, encoding: str, name: str) -> None:
    site = _site(tmp_path / "site")
    data = "---\ntitle: x\n---\n本文\n".encode(encoding)
    if encoding == "utf-16-be":
        data = "---\ntitle: x\n---\nbody text\n".encode(encoding)  # no BOM: told by the NULs of ASCII
    (site / "content/posts/w.md").write_bytes(data)
    r = _run(tmp_path, "lint", str(site), "--output-format", "json")
    message = next(d["message"] for d in json.loads(r.stdout) if d["path"].endswith("w.md"))
    assert message.startswith(f"encoded as {name}, not UTF-8"), message


# --------------------------------------------------------------------------- leftovers
def test_a_killed_fix_leaves_nothing_for_the_next_run(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    posts = site / "content" / "posts"
    stale, fresh = posts / ".blogtools-abcd1234.tmp", posts / ".blogtools-efgh5678.tmp"
    for leftover in (stale, fresh):
        leftover.write_text("half a post", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    r = _run(tmp_path, "lint", str(site), "--fix")
    _no_traceback(r)
    assert not stale.exists()  # a SIGKILLed run's temporary is removed
    assert fresh.exists()  # one this young may belong to a run still writing
    r = _run(tmp_path, "site", str(site), "--output-format", "json")
    assert ".blogtools-" not in r.stdout


# --------------------------------------------------------------------------- property test
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_WORDS = ["機械学習", "Kubernetes", "メモ", "Machine Learing", "テスト", "hello", "  ", "\t", "データ", "GitHub",
          "é", "😀", "\\", "`", "*", "_", "<", ">", "&amp;", "[", "]", "(", ")", "{{", "}}", "|", "#", ":"]
_text = st.lists(st.sampled_from(_WORDS) | st.text(max_size=6), max_size=6).map("".join)
_url = st.sampled_from(["https://example.com/a", "/posts/x/", "../x.md", "images/1.png", "", " ", "<>",
                        "http://a b", "#frag", "mailto:a@b.c", "javascript:x", "%zz", "/タグ/"])
_scalar = st.one_of(_text, st.integers(-5, 5), st.booleans(), st.none(),
                    st.sampled_from(["2021-01-01", "2016-08-12T18:54:27+09:00", "yes", "null", "~", "'", '"']))
_key = st.sampled_from(["title", "date", "tags", "categories", "aliases", "draft", "description", "image",
                        "slug", "url", "lastmod", "images", "keywords", "Title", " title", "タグ"])


def _yaml_value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_yaml_value(x) for x in v) + "]"
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return json.dumps(v, ensure_ascii=False) if any(c in v for c in ":#[]{}\"'\n") or not v.strip() else v


@st.composite
def _front_matter(draw) -> str:
    items = draw(st.lists(st.tuples(_key, st.one_of(_scalar, st.lists(_scalar, max_size=3))), max_size=6))
    fmt = draw(st.sampled_from(["yaml", "toml", "json", "none", "broken"]))
    if fmt == "none":
        return ""
    if fmt == "json":
        return json.dumps({k: v for k, v in items}, ensure_ascii=False, default=str) + "\n"
    if fmt == "toml":
        lines = [f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}" for k, v in items
                 if v is not None and not (isinstance(v, list) and None in v)]
        return "+++\n" + "\n".join(lines) + "\n+++\n"
    body = "\n".join(f"{k}: {_yaml_value(v)}" for k, v in items)
    return "---\n" + body + ("\n" if fmt == "broken" else "\n---\n")


_block = st.one_of(
    _text,
    st.builds(lambda t, u: f"[{t}]({u})", _text, _url),
    st.builds(lambda t, u: f"![{t}]({u})", _text, _url),
    st.builds(lambda t: f"## {t}", _text),
    st.builds(lambda t: f"```\n{t}\n```", _text),
    st.builds(lambda t: f"- {t}\n  - {t}", _text),
    st.builds(lambda t: f"> {t}", _text),
    st.builds(lambda t: f"脚注[^{t or 1}]\n\n[^{t or 1}]: {t}", _text),
    st.builds(lambda t: f"<div>{t}</div>", _text),
    st.builds(lambda u: f'<iframe src="{u}"></iframe>', _url),
    st.builds(lambda t: f"{{{{< youtube {t} >}}}}", _text),
    st.builds(lambda t: f"{{% raw %}}{t}{{% endraw %}}", _text),
    st.builds(lambda t: f"| a | {t} |\n|---|---|\n| {t} | b |", _text),
    st.builds(lambda t, u: f"[{t}][r]\n\n[r]: {u}", _text, _url),
)


@st.composite
def _post(draw) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = draw(_front_matter()) + "\n" + "\n\n".join(draw(st.lists(_block, max_size=8))) + "\n"
    return text.replace("\n", newline) if newline != "\n" else text


EXAMPLES = int(os.environ.get("BLOGTOOLS_HOSTILE_EXAMPLES", "2000"))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_post())
def test_lint_never_fails_inside_and_fix_is_idempotent(text: str) -> None:
    found = api.lint_text(text, "post.md")
    assert not [d for d in found if "internal error" in d.message], [str(d) for d in found]
    for d in found:
        assert (d.line, d.column) <= (d.end_line, d.end_column)
    fixed = api.fix_text(text, "post.md", unsafe=True)
    assert api.fix_text(fixed, "post.md", unsafe=True) == fixed  # a second --fix changes nothing
    before, after = Document.from_text("post.md", text), Document.from_text("post.md", fixed)
    if before.front_matter is not None and before.front_matter.error is None:
        assert after.front_matter is not None and after.front_matter.error is None, fixed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("name", ["hugo.toml", "blogtools.toml"])
def test_a_fifo_as_a_config_file_never_blocks(tmp_path: Path, name: str) -> None:
    site = _site(tmp_path / "site")
    if name == "hugo.toml":
        (site / "hugo.toml").unlink()
    os.mkfifo(site / name)
    r = _run(tmp_path, "lint", str(site), timeout=60)  # (not taken for a config: not a regular file)
    _no_traceback(r)
    assert r.returncode == 1 and "BT201" in r.stdout, r.stdout + r.stderr
    r = _run(tmp_path, "lint", str(site), "--config", str(site / name), timeout=60)
    _no_traceback(r)
    if name == "blogtools.toml":  # named explicitly: refused with the reason
        assert r.returncode == 2 and "not a regular file" in r.stderr, r.stderr
