"""Messy files never crash the run: each gets a diagnostic naming the file and the line."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from blogtools.document import Document, LoadError
from blogtools.lint import fixer
from blogtools.lint.rule import Edit, Fix

BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh"))
    + "---\nbody\n"
)

CASES: dict[str, tuple[bytes, str, int, str]] = {
    # name: (content, expected code, expected line, words in the message)
    "binary.md": (b"PNG\x00\x01\x02", "BT001", 1, "binary"),
    "latin1.md": ("---\ntitle: café\n---\n".encode("latin-1"), "BT001", 2, "not valid UTF-8"),
    "shift-jis.md": ("---\ntitle: x\n---\n\n日本語の本文\n".encode("shift_jis"), "BT001", 5, "not valid UTF-8"),
    "unterminated.md": (b"---\ntitle: x\n\nbody\n", "BT002", 1, "unterminated"),
    "bad-yaml.md": (b"---\ntitle: [unclosed\ndate: 2020-01-01\n---\n", "BT002", 3, "invalid YAML"),
    "bad-toml.md": (b'+++\ntitle = "a\n+++\n', "BT002", 2, "invalid TOML"),
    "bad-json.md": (b'{"title": "x",\n "date": }\n', "BT002", 2, "invalid JSON"),
    "python-tag.md": (b"---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n", "", 0, ""),
    "bomb.md": (BOMB.encode(), "BT002", 0, "nodes"),
    "dup-yaml.md": (b"---\ntitle: a\ntitle: b\n---\n", "BT003", 3, "duplicate key"),
    "dup-toml.md": (b'+++\ntitle = "a"\ntitle = "b"\n+++\n', "BT002", 3, "set twice"),
    "empty.md": (b"", "", 0, ""),
    "bom-crlf.md": (b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n\r\n[a ](b)\r\n", "BT201", 5, "whitespace"),
    "only-fence.md": (b"---\n", "BT002", 1, "unterminated"),
}


@pytest.fixture(scope="module")
def lint_result(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], str]:
    from tests.conftest import run_cli

    root = tmp_path_factory.mktemp("bad")
    for name, (data, *_rest) in CASES.items():
        (root / name).write_bytes(data)
    big = "---\ntitle: big\n---\n" + ("長い段落 [link](https://example.com/x) " * 30 + "\n\n") * 8200
    (root / "huge.md").write_text(big, encoding="utf-8")
    assert (root / "huge.md").stat().st_size > 10 * 1024 * 1024
    (root / "loop").mkdir()
    os.symlink("..", root / "loop" / "up")
    os.symlink("missing.md", root / "dangling.md")
    (root / "dir.md").mkdir()
    start = time.monotonic()
    r = run_cli("lint", ".", "--output-format", "json", "--no-cache", cwd=root, timeout=60)
    elapsed = time.monotonic() - start
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert elapsed < 30
    return root, json.loads(r.stdout), r.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_gets_its_diagnostic(lint_result, name: str) -> None:
    _root, diags, _ = lint_result
    content, code, line, words = CASES[name]
    mine = [d for d in diags if d["path"] == name]
    if not code:
        assert not [d for d in mine if d["severity"] == "error"], mine
        return
    match = [d for d in mine if d["code"] == code]
    assert match, mine
    if line:
        assert match[0]["line"] == line
    assert words in match[0]["message"]


def test_python_tags_construct_nothing(lint_result) -> None:
    root, _diags, _ = lint_result
    assert not (root / "pwned").exists()
    doc = Document.from_bytes("p.md", CASES["python-tag.md"][0])
    assert doc.meta["title"] == ["touch pwned"]  # the tag is ignored: plain data, nothing run


def test_huge_symlinks_and_folders(lint_result) -> None:
    _root, diags, _ = lint_result
    huge = [d for d in diags if d["path"] == "huge.md"]
    assert huge and huge[0]["code"] == "BT001" and "MiB" in huge[0]["message"]
    assert any(d["path"] == "dangling.md" and "broken symbolic link" in d["message"] for d in diags)
    assert not any(d["path"].startswith("loop") for d in diags)  # a symlink loop is not followed


def test_unreadable_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read|not a regular file"):
        Document.read(str(tmp_path))  # a folder where a file was expected (EISDIR)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_a_file_that_reports_no_size_is_read_to_its_end() -> None:
    # /proc files stat as 0 bytes: the reader must not trust the size for how much to read.
    doc = Document.read("/proc/self/status")
    assert doc.text.startswith("Name:") and "\nPid:" in doc.text


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(LoadError, match="max-file-size"):
        Document.read(str(big), max_bytes=1024)
    assert Document.read(str(big), max_bytes=2048).text == "x" * 2048


def test_utf8_error_position_counts_characters() -> None:
    data = "---\ntitle: 日本\n---\n".encode() + "\nあいう".encode() + b"\xff\n"
    with pytest.raises(LoadError) as err:
        Document.from_bytes("x.md", data)
    assert (err.value.line, err.value.column) == (5, 4)


def test_fixer_skips_overlapping_edits_and_keeps_both_sides() -> None:
    text = "0123456789"
    fixes = [Fix((Edit(2, 5, "X"),)), Fix((Edit(4, 6, "Y"),)), Fix((Edit(8, 9, "Z"),))]
    new, chosen = fixer.apply_edits(text, fixes)
    assert new == "01X56789".replace("8", "Z") and len(chosen) == 2


def test_fixer_refuses_a_fix_that_breaks_front_matter() -> None:
    from blogtools.lint.rule import Diagnostic, Rule

    class Breaker(Rule):
        code, name = "BT999", "breaker"

        def check(self, doc, site):
            if doc.text.startswith("---\ntitle: ok"):
                yield self.diagnostic(doc, 11, 13, "break it", Fix((Edit(11, 13, '"unclosed'),)))

    from blogtools.lint.runner import lint_document
    from rules.front_matter_syntax import FrontMatterSyntax

    doc = Document.from_text("b.md", "---\ntitle: ok\n---\n")
    rules = [Breaker(), FrontMatterSyntax()]
    result = fixer.fix_document(doc, lambda d: lint_document(d, rules, None), unsafe=True)
    assert result.text == doc.text
    assert result.problems and "front matter" in result.problems[0]
    assert isinstance(Diagnostic, type)
