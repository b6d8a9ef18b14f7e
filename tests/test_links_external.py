"""External links (BT701-BT704, ``blogtools links``) against a real HTTP server on 127.0.0.1.

The server is started here (``http.server`` in a thread, an ephemeral port) and counts every
connection and every request, so the tests can say exactly how many requests a run made.

No test reaches a non-loopback address: a guard refuses every DNS lookup and connection that
is not loopback, in this process (an autouse fixture) and in the command-line runs (a
``sitecustomize`` put on their ``PYTHONPATH``); every test ends by asserting that nothing was
even attempted, except the DNS test, which provokes a failed lookup through the guard on
purpose. The extraction tests use ``*.invalid`` hosts, which are never fetched.
"""

from __future__ import annotations

import datetime
import http.server
import io
import json
import os
import socket
import ssl
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from blogtools import api, links
from blogtools.document import Document
from tests.conftest import require_module, run_cli, text_at

# --------------------------------------------------------------------------- the guard
GUARD = '''
import errno, os, socket

_LOOPBACK = {"127.0.0.1", "localhost", "::1", None}
_getaddrinfo, _connect, _connect_ex = socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex


def _note(what):
    BLOCKED.append(what)
    log = os.environ.get("BLOGTOOLS_TEST_GUARD_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(what + "\\n")


def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name not in _LOOPBACK:
        _note("dns " + str(name))
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (blocked by the test guard)")
    return _getaddrinfo(host, *args, **kwargs)


def _allowed(sock, address):
    return sock.family not in (socket.AF_INET, socket.AF_INET6) or address[0] in _LOOPBACK


def connect(self, address):
    if not _allowed(self, address):
        _note("connect " + str(address[0]))
        raise OSError(errno.ENETUNREACH, "blocked by the test guard")
    return _connect(self, address)


def connect_ex(self, address):
    if not _allowed(self, address):
        _note("connect " + str(address[0]))
        return errno.ENETUNREACH
    return _connect_ex(self, address)


BLOCKED = []
socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex = getaddrinfo, connect, connect_ex
'''


@pytest.fixture(autouse=True)
def guard(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Refuse non-loopback DNS and connections; fail the test if any was attempted."""
    saved = socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex
    namespace: dict[str, Any] = {}
    exec(GUARD, namespace)  # noqa: S102 - the guard's one source, shared with the subprocesses
    monkeypatch.setenv("BLOGTOOLS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    try:
        yield namespace["BLOCKED"]
    finally:
        socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex = saved
    assert namespace["BLOCKED"] == [], f"a non-loopback address was attempted: {namespace['BLOCKED']}"


def cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """``python -m blogtools ...`` with the guard installed; asserts it blocked nothing."""
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "guard.log"
    full = {"PYTHONPATH": os.pathsep.join([str(guard_dir), os.environ.get("PYTHONPATH", "")]),
            "BLOGTOOLS_TEST_GUARD_LOG": str(log), "BLOGTOOLS_CACHE_DIR": str(tmp_path / "cache")}
    result = run_cli(*args, cwd=tmp_path, env={**full, **(env or {})}, timeout=60)
    assert not log.exists(), f"a non-loopback address was attempted: {log.read_text()}"
    return result


# --------------------------------------------------------------------------- the server
PAGE = b'<!doctype html><html><body><h2 id="present">Here</h2><a name="named"></a></body></html>'


class Server(http.server.ThreadingHTTPServer):
    """HTTP and (once ``tls`` is set) HTTPS on the same port: the first byte tells them apart."""

    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.tls: ssl.SSLContext | None = None
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.connections = 0
            self.hits: dict[str, list[float]] = {}
            self.active = 0
            self.max_active = 0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.hits.values())

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.server_address[1]}{path}"

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = self.socket.accept()
        with self.lock:
            self.connections += 1
        sock.settimeout(5)
        if self.tls is not None and sock.recv(1, socket.MSG_PEEK) == b"\x16":
            sock = self.tls.wrap_socket(sock, server_side=True)
        sock.settimeout(None)
        return sock, addr

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout test) is expected


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        s = self.server
        path = self.path.split("?")[0]
        timed = path == "/sleep"  # in flight at once: counted for this endpoint only
        with s.lock:
            seen = s.hits.setdefault(self.path, [])
            seen.append(time.monotonic())
            nth = len(seen)
            s.active += timed
            s.max_active = max(s.max_active, s.active)
        try:
            self.route(path, nth)
        finally:
            with s.lock:
                s.active -= timed

    def route(self, path: str, nth: int) -> None:
        redirects = {"/old": (301, "/new"), "/chain": (301, "/hop"), "/hop": (302, "/final"),
                     "/temp": (302, "/final"), "/perm308": (308, "/new"), "/to-https": (301, None)}
        if path in redirects:
            code, target = redirects[path]
            return self.reply(code, headers={"Location": target or self.server.url("/page", "https")})
        if path == "/limited" and nth == 1:
            return self.reply(429, headers={"Retry-After": "1"})
        if path == "/patience":
            return self.reply(429, headers={"Retry-After": "3600"})
        if path == "/flaky" and nth == 1 or path == "/down":
            return self.reply(500)
        if path == "/slow":
            time.sleep(2.5)
        if path == "/sleep":
            time.sleep(0.3)
        if path in ("/missing", "/gone"):
            return self.reply(404 if path == "/missing" else 410)
        self.reply(200, PAGE)

    def reply(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server_instance() -> Any:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def server(server_instance: Server) -> Server:
    server_instance.reset()
    server_instance.tls = None
    return server_instance


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A CA and a certificate for 127.0.0.1 it signed: (ca.pem, cert.pem, key.pem)."""
    require_module("cryptography", "pip install cryptography (in the test extra)")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.timezone.utc)

    def build(subject: str, key: Any, issuer: Any, issuer_key: Any, ca: bool) -> Any:
        b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
             .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        if ca:
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
        else:
            import ipaddress

            b = b.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                critical=False)
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False)
        return b.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "blogtools test CA")])
    ca = build("blogtools test CA", ca_key, ca_name, ca_key, True)
    leaf = build("127.0.0.1", key, ca_name, ca_key, False)
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@pytest.fixture
def tls_server(server: Server, certificates: tuple[Path, Path, Path]) -> Server:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(certificates[1]), str(certificates[2]))
    server.tls = ctx
    return server


# --------------------------------------------------------------------------- helpers
FAST = {"links.skip-reserved": False, "links.timeout": 1, "links.rate": 200, "links.per-host": 8}


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    (root / "blogtools.toml").write_text("[links]\nskip-reserved = false\ntimeout = 2\n")  # for the CLI runs
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lint(root: Path, select: list[str], **settings: Any) -> list[Any]:
    return api.lint_paths([str(root)], select=select, settings={**FAST, **settings})


def at(d: Any, root: Path) -> str:
    """The text a diagnostic points at (the URL itself)."""
    path = Path(d.path) if os.path.isabs(d.path) else Path.cwd() / d.path
    return text_at(path.read_text(encoding="utf-8"), d.line, d.column, d.end_line, d.end_column)


def by_code(diagnostics: list[Any], root: Path) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for d in diagnostics:
        out.setdefault(d.code, []).append((at(d, root), d.message))
    return out


# --------------------------------------------------------------------------- extraction
EVERY_PLACE = """\
---
title: 置き場所
cover:
  image: "https://img.example.invalid/cover.png"
links:
  - https://fm.example.invalid/list
canonicalURL: https://self.example.invalid/this-post/
---
本文の[リンク](https://body.example.invalid/a?x=1&y=2#sec)と![画像](https://img.example.invalid/b.png)。
<https://auto.example.invalid/c> と https://bare.example.invalid/d 、 www.www.example.invalid も。

> - 引用の中の [link](https://quote.example.invalid/e)

<iframe src="https://embed.example.invalid/f" width="560"></iframe>
<p>inline <img src='https://html.example.invalid/g.png'> and <a href="https://html.example.invalid/h?a=1&amp;b=2">x</a></p>

{{< figure src="https://shortcode.example.invalid/i.png" title="t" >}}
{{< youtube dQw4w9WgXcQ >}}
{% embed https://liquid.example.invalid/j %}

[ref]: https://ref.example.invalid/k
[参照][ref] と [もう一度][ref]

`https://code.example.invalid/span` and <!-- https://comment.example.invalid/x -->

```sh
curl https://code.example.invalid/block
```
"""


def test_every_place_a_url_can_be_with_its_position() -> None:
    import blogtools_rules.external_links  # noqa: F401 - registers the external_urls fact
    from blogtools.facts import extract

    doc = Document.from_text("post.md", EVERY_PLACE)
    uses = links.collect([extract(doc)])
    found = {(u.written, u.where) for u in uses}
    assert found == {
        ("https://img.example.invalid/cover.png", "front matter cover.image"),
        ("https://fm.example.invalid/list", "front matter links.0"),
        ("https://body.example.invalid/a?x=1&y=2#sec", "link"),
        ("https://img.example.invalid/b.png", "image"),
        ("https://auto.example.invalid/c", "autolink"),
        ("https://bare.example.invalid/d", "autolink"),
        ("www.www.example.invalid", "autolink"),
        ("https://quote.example.invalid/e", "link"),
        ("https://embed.example.invalid/f", "<iframe src>"),
        ("https://html.example.invalid/g.png", "<img src>"),
        ("https://html.example.invalid/h?a=1&b=2", "<a href>"),
        ("https://shortcode.example.invalid/i.png", "shortcode figure"),
        ("https://liquid.example.invalid/j", "Liquid tag embed"),
        ("https://ref.example.invalid/k", "link"),
    }
    for u in uses:  # every position is the URL itself (the escaped one: as written in the HTML)
        shown = text_at(EVERY_PLACE, *u.pos)
        assert shown == u.written or shown == u.written.replace("&", "&amp;"), (u, shown)
        if u.span is not None:
            assert EVERY_PLACE[u.span[0] : u.span[1]] == u.written
    assert len([u for u in uses if u.key == "https://ref.example.invalid/k"]) == 1  # two refs, one definition
    keys = {u.key for u in uses}
    assert "https://body.example.invalid/a?x=1&y=2" in keys  # the fragment is not part of the key
    assert "https://www.www.example.invalid/" in keys
    hosts = {links.host_of(k) for k in keys}  # nothing from code, comments or the page's own address
    assert not hosts & {"code.example.invalid", "comment.example.invalid", "self.example.invalid"}


def test_keys_and_exclusions() -> None:
    assert links.split_key("HTTPS://Ja.Example.invalid:443/wiki/東京#歴史") == (
        "https://ja.example.invalid/wiki/%E6%9D%B1%E4%BA%AC", "歴史")
    assert links.split_key("https://ja.example.invalid/wiki/%E6%9D%B1%E4%BA%AC")[0] == \
        links.split_key("https://ja.example.invalid/wiki/東京")[0]
    assert links.absolute("//cdn.example.invalid/x") == "https://cdn.example.invalid/x"
    assert links.absolute(r"https://a.example.invalid/x\_y") == "https://a.example.invalid/x_y"
    assert links.absolute("mailto:a@b.example.invalid") is None and links.absolute("/posts/x/") is None
    for reserved in ("http://localhost:1313/", "http://127.0.0.1:8080/", "http://192.168.0.10/",
                     "https://example.com/api", "https://sub.example.org/", "https://x.invalid/", "http://[::1]/"):
        assert links.excluded(reserved, ()), reserved
    assert not links.excluded("https://gohugo.io/", ())
    assert links.excluded("https://jp.linkedin.com/in/x", ["linkedin.com"])
    assert links.excluded("https://twitter.com/a/status/1", ["https://twitter.com/*/status/*"])
    assert not links.excluded("https://twitter.com/a", ["https://twitter.com/*/status/*"])
    assert links.parse_duration("7d") == 7 * 86400 and links.parse_duration(90) == 90
    assert links.duration_error("soon")


def test_default_settings_never_fetch_reserved_hosts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     guard: list[str]) -> None:
    root = site(tmp_path, {"post.md": EVERY_PLACE})

    def refuse(*args: Any) -> Any:
        raise AssertionError(f"fetched {args[0]}")

    monkeypatch.setattr(links, "request", refuse)
    diagnostics = api.lint_paths([str(root)], select=["BT7"], settings={"links.check-anchors": True})
    assert diagnostics == [] and guard == []


# --------------------------------------------------------------------------- statuses
def test_every_answer_reported_at_the_url(tmp_path: Path, server: Server) -> None:
    u = server.url
    root = site(tmp_path, {"post.md": f"""\
[ok]({u('/ok')}) [missing]({u('/missing')}) [gone]({u('/gone')})
[old]({u('/old')}#present) [chain]({u('/chain')}) [temp]({u('/temp')}) [308]({u('/perm308')})
[slow]({u('/slow')}) [flaky]({u('/flaky')}) [limited]({u('/limited')}) [down]({u('/down')})
"""})
    start = time.monotonic()
    found = by_code(lint(root, ["BT701", "BT702"], **{"links.retries": 1}), root)
    elapsed = time.monotonic() - start
    assert found["BT701"] == [
        (u("/missing"), f"broken link {u('/missing')}: 404 Not Found"),
        (u("/gone"), f"broken link {u('/gone')}: 410 Gone"),
        (u("/slow"), f"broken link {u('/slow')}: no answer within 1 s"),
        (u("/down"), f"broken link {u('/down')}: 500 Internal Server Error"),
    ]
    assert found["BT702"] == [
        (u("/old") + "#present", f"permanent redirect (301) to {u('/new')}"),
        (u("/chain"), f"permanent redirect (301) to {u('/hop')}"),  # up to the temporary hop
        (u("/perm308"), f"permanent redirect (308) to {u('/new')}"),
    ]
    hits = {path: len(times) for path, times in server.hits.items()}
    assert hits["/slow"] == 1  # a timeout is not retried
    assert hits["/flaky"] == 2 and hits["/down"] == 2  # 500: retried once (links.retries = 1)
    assert hits["/limited"] == 2
    gap = server.hits["/limited"][1] - server.hits["/limited"][0]
    assert gap >= 0.95  # Retry-After: 1 honoured
    assert elapsed < 6


def test_retry_after_beyond_the_limit_is_left_for_the_next_run(tmp_path: Path, server: Server,
                                                               capfd: pytest.CaptureFixture[str]) -> None:
    root = site(tmp_path, {"post.md": f"[x]({server.url('/patience')})\n"})
    assert lint(root, ["BT701"]) == []  # 429 is not "broken"
    assert "could not be verified" in capfd.readouterr().err
    assert lint(root, ["BT701"]) == []
    assert len(server.hits["/patience"]) == 2  # not cached: asked again


def test_dns_failure_is_broken(tmp_path: Path, guard: list[str]) -> None:
    root = site(tmp_path, {"post.md": "[x](https://no-such-host.blogtools-test.invalid/page)\n"})
    found = by_code(lint(root, ["BT701"]), root)
    assert found == {"BT701": [("https://no-such-host.blogtools-test.invalid/page",
                                "broken link https://no-such-host.blogtools-test.invalid/page: DNS lookup failed")]}
    assert guard == ["dns no-such-host.blogtools-test.invalid"]  # refused by the guard, never sent
    guard.clear()


def test_tls_error_is_broken(tmp_path: Path, tls_server: Server) -> None:
    url = tls_server.url("/ok", "https")
    root = site(tmp_path, {"post.md": f"[x]({url})\n"})
    [(where, message)] = by_code(lint(root, ["BT701"]), root)["BT701"]
    assert where == url
    assert message.startswith(f"broken link {url}: TLS error: certificate verify failed"), message


def test_https_twin(tmp_path: Path, tls_server: Server, certificates: tuple[Path, Path, Path],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates[0]))
    u = tls_server.url
    text = f"[a]({u('/ok')}) [b]({u('/missing')}) [c]({u('/to-https')}) [d]({u('/ok', 'https')})\n"
    root = site(tmp_path, {"post.md": text, "other.md": f'<iframe src="{u("/page")}"></iframe>\n'})
    found = by_code(lint(root, ["BT703"]), root)
    assert found == {"BT703": [
        (u("/page"), f"{u('/page')} also works over HTTPS: use https://"),
        (u("/ok"), f"{u('/ok')} also works over HTTPS: use https://"),
    ]}  # /missing's twin is a 404 too; /to-https already redirects to https (BT702's case)
    fixed = cli(tmp_path, "links", "--fix", "--unsafe-fixes", "--ignore", "BT701,BT702", str(root),
                env={"REQUESTS_CA_BUNDLE": str(certificates[0])})
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (root / "content" / "post.md").read_text() == text.replace("[a](http://", "[a](https://")
    assert (root / "content" / "other.md").read_text() == f'<iframe src="{u("/page", "https")}"></iframe>\n'


def test_anchors(tmp_path: Path, server: Server) -> None:
    u = server.url
    root = site(tmp_path, {"post.md": f"""\
[here]({u('/page')}#present) [named]({u('/page')}#named) [gone]({u('/page')}#absent)
[top]({u('/page')}#top) [redirected]({u('/old')}#nowhere)
"""})
    found = by_code(lint(root, ["BT704"], **{"links.check-anchors": True}), root)
    assert found == {"BT704": [
        (u("/page") + "#absent", f"anchor #absent not found on {u('/page')}"),
        (u("/old") + "#nowhere", f"anchor #nowhere not found on {u('/old')}"),
    ]}
    assert len(server.hits["/page"]) == 1  # three fragments, one page, one request
    assert lint(root, ["BT704"]) == []  # off by default


# --------------------------------------------------------------------------- cache, offline
def test_second_run_within_the_ttl_makes_no_requests(tmp_path: Path, server: Server) -> None:
    u = server.url
    root = site(tmp_path, {"a.md": f"[a]({u('/ok')}) [b]({u('/missing')})\n", "b.md": f"[c]({u('/old')})\n"})
    first = lint(root, ["BT7"])
    assert server.requests > 0
    server.reset()
    second = lint(root, ["BT7"])
    assert server.connections == 0 and server.requests == 0
    assert [d.to_json() for d in second] == [d.to_json() for d in first]
    # one post changes: only its new URL is checked
    (root / "content" / "b.md").write_text(f"[c]({u('/old')}) [d]({u('/fresh')})\n")
    lint(root, ["BT7"])
    assert list(server.hits) == ["/fresh"]
    # failures expire first: with ttl-error = 0 the 404 is asked again, the good URLs are not
    server.reset()
    lint(root, ["BT701"], **{"links.ttl-error": 0})
    assert list(server.hits) == ["/missing"]


def test_offline_never_touches_the_network(tmp_path: Path, server: Server, capfd: pytest.CaptureFixture[str]) -> None:
    u = server.url
    root = site(tmp_path, {"a.md": f"[a]({u('/missing')})\n"})
    online = lint(root, ["BT701"])
    (root / "content" / "b.md").write_text(f"[b]({u('/gone')})\n")
    server.reset()
    offline = lint(root, ["BT701"], **{"links.offline": True, "links.ttl-error": 0})  # stale entries still answer
    assert server.connections == 0
    assert [d.message for d in offline] == [d.message for d in online]  # /gone: not in the cache, not reported
    assert "offline: 1 external URL not in the cache" in capfd.readouterr().err


def test_exclusions_and_suppressions(tmp_path: Path, server: Server) -> None:
    u = server.url
    root = site(tmp_path, {"a.md": f"[a]({u('/missing')}) [b]({u('/gone')})\n"})
    assert lint(root, ["BT701"], **{"links.exclude": [u("/miss*")]})[0].message.endswith("410 Gone")
    assert list(server.hits) == ["/gone"]
    assert lint(root, ["BT701"], **{"links.exclude": ["127.0.0.1"]}) == []
    (root / "content" / "a.md").write_text(f"<!-- blogtools-disable-next-line BT701 -->\n[b]({u('/gone')})\n")
    assert lint(root, ["BT701"]) == []


def test_per_host_concurrency_and_rate(tmp_path: Path, server: Server) -> None:
    u = server.url
    root = site(tmp_path, {"a.md": "".join(f"[x]({u(f'/sleep?{i}')})\n" for i in range(6))})
    lint(root, ["BT701"], **{"links.per-host": 2})
    assert server.max_active == 2
    server.reset()
    root = site(tmp_path, {"b.md": "".join(f"[x]({u(f'/ok?{i}')})\n" for i in range(4))})
    lint(root, ["BT701"], **{"links.per-host": 4, "links.rate": 5})
    starts = sorted(t for times in server.hits.values() for t in times)
    assert len(starts) == 4 and all(b - a >= 0.18 for a, b in zip(starts, starts[1:])), starts


def test_only_the_requested_files_are_fetched(tmp_path: Path, server: Server) -> None:
    """pre-commit passes the staged posts; the rest of the site is context, not fetched."""
    import blogtools_rules.external_links as rules
    from blogtools.facts import extract
    from blogtools.lint.rule import RunContext
    from blogtools.site import Site

    pages = [extract(Document.from_text(str(tmp_path / name), f"[x]({server.url('/' + name)})\n"))
             for name in ("staged.md", "other.md")]
    the_site = Site(str(tmp_path), pages=pages)
    rule = rules.ExternalLinkBroken({**FAST})
    rule.context = RunContext(requested=frozenset({pages[0]["abspath"]}))  # as the Runner sets it
    assert list(rule.check_site(the_site)) == []
    assert list(server.hits) == ["/staged.md"]


# --------------------------------------------------------------------------- the commands
def test_links_command_formats_and_exit_codes(tmp_path: Path, server: Server) -> None:
    u = server.url
    root = site(tmp_path, {"a.md": f"Text.\n\n[x]({u('/missing')})\n", "b.md": f"[y]({u('/ok')})\n"})
    r = cli(tmp_path, "links", str(root))
    assert r.returncode == 1
    assert f"site/content/a.md:3:5: BT701 broken link {u('/missing')}: 404 Not Found" in r.stdout
    assert "\r" not in r.stderr  # no progress bar without a terminal
    r = cli(tmp_path, "links", "--output-format", "json", str(root))
    [d] = json.loads(r.stdout)
    assert (d["code"], d["line"], d["column"], d["end_column"]) == ("BT701", 3, 5, 5 + len(u("/missing")))
    r = cli(tmp_path, "links", "--output-format", "github", str(root / "content" / "b.md"))
    assert (r.returncode, r.stdout) == (0, "")
    r = cli(tmp_path, "lint", "--external", "--select", "BT701", "--output-format", "github", str(root))
    assert r.returncode == 1 and r.stdout.startswith("::error file=")


def test_lint_without_external_never_checks(tmp_path: Path, server: Server) -> None:
    """What the pre-commit hook runs: no request, whatever is selected, unless asked."""
    root = site(tmp_path, {"a.md": f"[x]({server.url('/missing')})\n"})
    for args in (["lint", "--select", "ALL"], ["lint", "--select", "BT701"], ["links", "--list"]):
        r = cli(tmp_path, *args, "--no-cache", str(root))
        assert "BT701" not in r.stdout, (args, r.stdout)
    assert f"{server.url('/missing')}\n  site/content/a.md:1:5: link\n" in r.stdout  # --list lists, no more
    assert server.connections == 0
    r = cli(tmp_path, "lint", "--external", "--offline", "--select", "BT7", str(root))
    assert r.returncode == 0 and server.connections == 0  # offline, nothing cached: nothing reported
    assert "not in the cache" in r.stderr


def test_bad_option_is_a_config_error(tmp_path: Path) -> None:
    root = site(tmp_path, {"a.md": "x\n"})
    (root / "blogtools.toml").write_text('[links]\nttl-ok = "soon"\n')
    r = cli(tmp_path, "links", str(root))
    assert r.returncode == 2 and "links.ttl-ok" in r.stderr


def test_progress_bar_only_on_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, drawn in ((Tty(), True), (io.StringIO(), False)):
        bar = links.Progress(3, "Checking", stream)
        for _ in range(3):
            bar.advance()
        bar.close()
        assert ("3/3" in stream.getvalue()) is (drawn and not os.environ.get("CI"))
