"""``blogtools server``: the language server as an editor runs it (a subprocess speaking LSP
over its stdin/stdout), with a small JSON-RPC client written here."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, require_module, run_cli

TIMEOUT = 15.0  # seconds for any one answer: the test never hangs


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lsp_position(text: str, offset: int) -> dict[str, int]:
    """The LSP position (0-based line, UTF-16 character) of an offset (lines end at \\n here)."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": utf16(text[start:offset])}


def lsp_range(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": lsp_position(text, start), "end": lsp_position(text, end)}


def offset_of(text: str, pos: dict[str, int]) -> int:
    lines = text.split("\n")
    base = sum(len(l) + 1 for l in lines[: pos["line"]])
    line, units = lines[pos["line"]], 0
    for i, ch in enumerate(line):
        if units >= pos["character"]:
            return base + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return base + len(line)


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    spans = sorted(((offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


class Client:
    """Content-Length framed JSON-RPC over a subprocess's pipes; a reader thread queues
    what the server sends (answering its requests with null)."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "blogtools", "server"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        self.stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            body = json.loads(out.read(length))
            if "method" in body and "id" in body:  # a request from the server
                self._send({"jsonrpc": "2.0", "id": body["id"], "result": None})
            self.messages.put(body)

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        msg_id = self.next_id
        self._send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        answer = self.wait(lambda m: m.get("id") == msg_id and "method" not in m, f"the answer to {method}")
        assert "error" not in answer, answer
        return answer["result"]

    def wait(self, test: Any, what: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} within {timeout} s; server said: "
                                     + b"".join(self.stderr).decode("utf-8", "replace")[-3000:])
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if test(message):
                return message

    def diagnostics(self, uri: str, test: Any = lambda ds: True, what: str = "diagnostics") -> list[dict[str, Any]]:
        """The next diagnostics published for ``uri`` that pass ``test``."""
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri and test(m["params"]["diagnostics"]), what)
        return message["params"]["diagnostics"]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)


POST = (
    "---\n"
    'title: "最初の記事"\n'
    "date: 2024-01-10T10:00:00+09:00\n"
    "---\n"
    "\n"
    "🎉𠮷 [リンク ](https://example.com/) と [Machine Learing の話](/posts/nowhere/) と [次](/posts/second/)。\n"
)
SECOND = (
    "---\n"
    'title: "二番目"\n'
    "date: 2024-01-11T10:00:00+09:00\n"
    "---\n"
    "\n"
    "[最初](/posts/first/) を見てください。\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.com/"\ntitle = "t"\n', encoding="utf-8")
    (root / "content" / "posts" / "first.md").write_text(POST, encoding="utf-8")
    (root / "content" / "posts" / "second.md").write_text(SECOND, encoding="utf-8")
    return root


def test_server_publishes_fixes_and_documents(site: Path, tmp_path: Path) -> None:
    require_module("pygls", "pip install 'blogtools[lsp]'")
    env = dict(os.environ, BLOGTOOLS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("FORCE_COLOR", None)
    post = site / "content" / "posts" / "first.md"
    uri = post.as_uri()
    text = POST
    began = time.monotonic()
    client = Client(tmp_path, env)
    try:
        init = client.request("initialize", {"processId": os.getpid(), "rootUri": site.as_uri(),
                                             "capabilities": {}})
        caps = init["capabilities"]
        assert caps["hoverProvider"] and caps["codeActionProvider"]
        assert caps.get("positionEncoding", "utf-16") == "utf-16"
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                "version": 1, "text": text}})
        # A first answer may hold the file rules only; then the site-wide rules' findings come.
        found = client.diagnostics(uri, lambda ds: any(d["code"] == "BT202" for d in ds), "BT202")
        by_code = {d["code"]: d for d in found}
        assert sorted(by_code) == ["BT201", "BT202", "BT401"], found

        # Exact ranges in UTF-16 code units: 🎉 and 𠮷 are two units each (one code point).
        space = text.index("リンク ") + len("リンク")
        typo = text.index("Learing")
        link = text.index("/posts/nowhere/")
        assert by_code["BT201"]["range"] == lsp_range(text, space, space + 1)
        assert by_code["BT401"]["range"] == lsp_range(text, typo, typo + len("Learing"))
        assert by_code["BT202"]["range"] == lsp_range(text, link, link + len("/posts/nowhere/"))
        # 🎉𠮷 [リンク: 7 code points (blogtools' column 8), 9 UTF-16 code units
        assert by_code["BT201"]["range"]["start"] == {"line": 5, "character": 9}
        assert by_code["BT202"]["severity"] == 1 and by_code["BT201"]["severity"] == 2
        for d in found:
            assert d["source"] == "blogtools"
            assert d["codeDescription"]["href"].endswith(f"/docs/rules/{d['code']}.md")

        # The quick fix of BT201 removes the space (the edit applied as an editor would).
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": by_code["BT201"]["range"],
            "context": {"diagnostics": [by_code["BT201"]]}})
        quick = [a for a in actions if a.get("kind") == "quickfix" and "BT201" in a["title"]]
        assert len(quick) == 1, actions
        assert "(unsafe)" not in quick[0]["title"] and quick[0]["isPreferred"]
        fixed = apply(text, quick[0]["edit"]["changes"][uri])
        assert fixed == text.replace("[リンク ](", "[リンク]("), fixed
        fix_all = [a for a in actions if a.get("kind") == "source.fixAll.blogtools"]
        assert [a["title"] for a in fix_all] == ["Fix all safe problems in this file"]
        everything = apply(text, fix_all[0]["edit"]["changes"][uri])
        assert "[リンク](" in everything and "Machine Learning の話" in everything

        # An incremental change: a suppression comment above the line, and the broken
        # link fixed; the post's other findings stay.
        comment = "<!-- blogtools-disable-next-line BT401 -->\n"
        at = text.index("🎉")
        changes = [
            {"range": lsp_range(text, link, link + len("/posts/nowhere/")), "text": "/posts/second/"},
            {"range": lsp_range(text, at, at), "text": comment},
        ]
        new_text = text.replace("/posts/nowhere/", "/posts/second/")
        new_text = new_text[:at] + comment + new_text[at:]
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": changes})
        after = client.diagnostics(uri, lambda ds: not any(d["code"] == "BT202" for d in ds), "no BT202")
        assert [d["code"] for d in after] == ["BT201"], after
        space = new_text.index("リンク ") + len("リンク")
        assert after[0]["range"] == lsp_range(new_text, space, space + 1)

        # Hover on the rule code of a suppression comment, and on a finding: the page
        # `blogtools rule CODE` prints.
        code_at = new_text.index("BT401", new_text.index("<!--"))
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": lsp_position(new_text, code_at + 2)})
        assert hover["contents"]["kind"] == "plaintext"
        assert hover["contents"]["value"] == run_cli("rule", "BT401", cwd=tmp_path, env=env).stdout
        assert hover["range"] == lsp_range(new_text, code_at, code_at + len("BT401"))
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": after[0]["range"]["start"]})
        page = run_cli("rule", "BT201", cwd=tmp_path, env=env).stdout
        assert page.startswith("BT201 link-text-whitespace")
        assert hover["contents"]["value"] == page

        # A file the server does not know: empty answers.
        other = (site / "content" / "posts" / "second.md").as_uri()
        assert client.request("textDocument/codeAction", {
            "textDocument": {"uri": other}, "range": after[0]["range"], "context": {"diagnostics": []}}) == []
        assert client.request("textDocument/hover", {"textDocument": {"uri": other},
                                                     "position": {"line": 0, "character": 0}}) is None

        # Closing clears the document's diagnostics.
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert client.diagnostics(uri, what="cleared diagnostics") == []

        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        client.close()
    assert time.monotonic() - began < 20


def test_bad_text_is_a_diagnostic_and_the_server_goes_on(site: Path, tmp_path: Path) -> None:
    require_module("pygls", "pip install 'blogtools[lsp]'")
    env = dict(os.environ, BLOGTOOLS_CACHE_DIR=str(tmp_path / "cache"))
    posts = site / "content" / "posts"
    bad = {
        "binary.md": "---\ntitle: x\n---\n\x00\x01\x02",
        "deep.md": '+++\na = ' + "[" * 20000 + "]" * 20000 + "\n+++\n",
        "broken.md": "---\ntitle: [x\n---\n本文\n",
    }
    client = Client(tmp_path, env)
    try:
        client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        client.notify("initialized", {})
        for name, text in bad.items():
            uri = (posts / name).as_uri()  # (not on disk: the editor's text is what counts)
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                    "version": 1, "text": text}})
            found = client.diagnostics(uri, lambda ds: any(d["code"] in ("BT001", "BT002") for d in ds),
                                       f"the finding for {name}")
            assert not [d for d in found if "internal error" in d["message"]], found
        # Still answering.
        uri = (posts / "first.md").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                "version": 1, "text": POST}})
        client.diagnostics(uri, lambda ds: any(d["code"] == "BT202" for d in ds), "BT202")
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        client.close()


def test_positions_in_utf16_utf8_and_code_points() -> None:
    require_module("lsprotocol", "pip install 'blogtools[lsp]'")
    from blogtools.server import TextMap, apply_change, minimal_edit

    text = "\ufeff🎉a\r\n𠮷b\rc\n"
    tm = TextMap(text, "utf-16", shift=1)
    assert tm.doc_position(1, 2) == (0, 3)  # after the BOM (kept by the editor) and 🎉
    assert tm.doc_position(2, 2) == (1, 2)
    assert tm.doc_position(3, 1) == (2, 0)
    assert tm.doc_position(2, 99) == (1, 3)  # clamped to the line's end, never past its break
    assert tm.offset(1, 2) == text.index("b") and tm.offset(9, 0) == len(text)
    assert TextMap(text, "utf-8").position(text.index("b")) == (1, 4)
    assert TextMap(text, "utf-32").position(text.index("b")) == (1, 1)

    class Change:
        def __init__(self, start: tuple[int, int], end: tuple[int, int], new: str) -> None:
            pos = lambda p: type("P", (), {"line": p[0], "character": p[1]})
            self.range = type("R", (), {"start": pos(start), "end": pos(end)})
            self.text = new

    assert apply_change(text, Change((1, 2), (1, 3), "B"), "utf-16") == text.replace("b", "B")
    old, new = "a\r\nb\r\n", "a\r\nb\r\nc\r\n"
    a, b, inserted = minimal_edit(old, new)
    assert old[:a] + inserted + old[b:] == new and not old[:a].endswith("\r")


def test_server_is_listed_and_needs_pygls_only_to_run(tmp_path: Path) -> None:
    r = run_cli("--help", cwd=tmp_path)
    assert "server" in r.stdout
    r = run_cli("server", "--help", cwd=tmp_path)
    assert r.returncode == 0 and "--stdio" in r.stdout
    code = "import sys, blogtools.cli; blogtools.cli.build_parser(); print('pygls' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                       check=False)
    assert r.stdout.strip() == "False", r.stderr


def _start(tmp_path: Path, capabilities: dict[str, Any] | None = None) -> Client:
    require_module("pygls", "pip install 'blogtools[lsp]'")
    env = dict(os.environ, BLOGTOOLS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("FORCE_COLOR", None)
    client = Client(tmp_path, env)
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": capabilities or {}})
    client.notify("initialized", {})
    return client


def _open(client: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                            "version": 1, "text": text}})
    return uri


def _codes(found: list[dict[str, Any]]) -> list[str]:
    return sorted(d["code"] for d in found)


def test_config_and_files_changed_on_disk_are_seen(site: Path, tmp_path: Path) -> None:
    client = _start(tmp_path)
    try:
        uri = _open(client, site / "content" / "posts" / "first.md", POST)
        client.diagnostics(uri, lambda ds: _codes(ds) == ["BT201", "BT202", "BT401"], "all three findings")
        # The config is read again when it changed (here: on the next save).
        (site / "blogtools.toml").write_text('ignore = ["BT201"]\n', encoding="utf-8")
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        client.diagnostics(uri, lambda ds: _codes(ds) == ["BT202", "BT401"], "BT201 ignored by the new config")
        # A post created on disk (the editor's file watcher says so): the link resolves.
        nowhere = site / "content" / "posts" / "nowhere.md"
        nowhere.write_text(SECOND.replace("二番目", "どこにもない"), encoding="utf-8")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": nowhere.as_uri(), "type": 1}]})
        client.diagnostics(uri, lambda ds: _codes(ds) == ["BT401"], "BT202 gone with the new post")
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        client.close()


def test_crlf_text_full_sync_and_utf8_positions(site: Path, tmp_path: Path) -> None:
    client = _start(tmp_path, {"general": {"positionEncodings": ["utf-8", "utf-16"]},
                               "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}})
    try:
        text = POST.replace("\n", "\r\n")
        uri = _open(client, site / "content" / "posts" / "first.md", text)
        found = client.diagnostics(uri, lambda ds: "BT202" in _codes(ds), "BT202")
        space = text.index("リンク ") + len("リンク")
        line_start = text.rfind("\n", 0, space) + 1
        d = next(d for d in found if d["code"] == "BT201")
        assert d["range"]["start"] == {"line": 5, "character": len(text[line_start:space].encode("utf-8"))}
        # Full-text sync: the broken link fixed, a line added at the top of the body.
        new = text.replace("/posts/nowhere/", "/posts/second/").replace("---\r\n\r\n", "---\r\n\r\n追記\r\n\r\n")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": new}]})
        found = client.diagnostics(uri, lambda ds: "BT202" not in _codes(ds), "no BT202")
        d = next(d for d in found if d["code"] == "BT201")
        assert d["range"]["start"]["line"] == 7
        # The fix-all edit keeps the file's CRLF line ends.
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                    "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}})
        assert [a["kind"] for a in actions] == ["source.fixAll.blogtools"]
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": d["range"]["start"]})
        assert hover["contents"]["kind"] == "markdown"
        assert hover["contents"]["value"].startswith("# BT201 `link-text-whitespace`")
        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        assert client.proc.wait(timeout=TIMEOUT) == 0
    finally:
        client.close()
