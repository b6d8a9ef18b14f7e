"""Content builds: a site built by its own generator with bare layouts, for ``--verify``.

A theme's header, menus and sidebars are not what a migration has to keep; the post's
content is. So each side is built from a *copy* of the site in a temporary folder (SRC and
DIR are never written: Jekyll writes caches beside its source, Hugo its resources) whose page
layouts are replaced by bare ones that write only the content in
``<div id="blogtools-content">`` (:data:`blogtools.migrate.compare.MARKER`):

- **Hugo** (a Hugo source, and the new site): ``layouts/single.html`` and ``list.html`` hold
  ``.Content`` (lists do not paginate: whether the theme did is not known); the site's and
  its themes' shortcodes, partials and render hooks (``_markup``) are kept, since they make
  the content; the theme's other files stay (its config and i18n), its page layouts do not.
  Hugo's ``x`` shortcode, which needs the network, writes the status link it embeds.
- **Jekyll**: every layout becomes ``{{ content }}`` in the marker; the site's own
  ``_plugins/*.rb`` are not run (as on GitHub Pages) unless ``plugins`` says so (``migrate
  --jekyll-plugins``: arbitrary Ruby of the source, so never by default; a plugin file that
  stops the build, a gem it requires that is not installed, is left out and said so), the
  plugins of ``plugins:`` that are installed are; the theme gem goes (its layouts are
  replaced anyway), the includes it would provide are built empty and a Liquid tag of a plugin that is not installed writes
  nothing (both are listed as not compared); stylesheets with front matter (which import
  the theme) are left out, as they are no content.

Every file of the built folder is a URL the source served: pages, aliases and
``redirect_from`` pages, taxonomy pages, feeds, sitemaps, static files.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections.abc import Iterable
from typing import Any

from blogtools.migrate.compare import MARKER
from blogtools.record import dataclass, field

HUGO_KEEP = ("shortcodes", "_shortcodes", "_markup", "_default/_markup")
HUGO_PARTIALS = ("partials", "_partials")
PARTIAL_CALL = re.compile(r"""\bpartial(?:Cached)?\s+["`]([^"`]+)["`]""")
HUGO_SINGLE = f'<div id="{MARKER}">{{{{ .Content }}}}</div>\n'
HUGO_LIST = HUGO_SINGLE
# Hugo's x shortcode fetches the post at build time and writes nothing offline: for the
# comparison it writes what it embeds (the status link), as the source's blockquote holds it
HUGO_STUBS = {
    "x": '<blockquote class="twitter-tweet"><a href="https://x.com/{{ .Get "user" }}/status/{{ .Get "id" }}"></a></blockquote>\n',
}
JEKYLL_LAYOUT = f'<div id="{MARKER}">{{{{ content }}}}</div>\n'
JEKYLL_SKIP = {"_site", "_layouts", ".jekyll-cache", ".sass-cache", "node_modules", "vendor", ".bundle", "Gemfile",
               "Gemfile.lock", "gems.rb", "gems.locked"}
HUGO_SKIP = {"public", "resources", "layouts", "themes", "node_modules", "go.mod", "go.sum"}  # modules: no network
TIMEOUT = 900.0


@dataclass
class Build:
    ok: bool = False
    generator: str = ""  # "hugo", "jekyll"
    public: str = ""  # the built folder
    problem: str = ""  # why there is no build
    log: str = ""
    notes: list[str] = field(default_factory=list)
    # (source path, Liquid) → what Jekyll rendered for it in that page's context (None: it failed)
    rendered: dict[tuple[str, str], str | None] = field(default_factory=dict)


def copy_site(src: str, dest: str, skip_top: set[str], hidden_in: str = "") -> None:
    """``src`` copied into ``dest``: regular files inside ``src`` only (a link out of it is
    not followed), hidden entries and the top-level folders ``skip_top`` left out, except the
    hidden files and folders directly under ``hidden_in``, which Hugo publishes from
    ``static/`` (:func:`blogtools.migrate.util.walk_static`)."""
    from blogtools.migrate.pipeline import _copy
    from blogtools.migrate.util import Guard, rel, walk, walk_static

    guard = Guard(src)
    skip = {os.path.join(src, s) for s in skip_top}
    paths: Iterable[str] = walk(src, None, guard, follow=True)
    top = os.path.join(src, hidden_in) if hidden_in else ""
    if top:
        paths = itertools.chain((p for p in paths if not p.startswith(top + os.sep)), walk_static(top, guard))
    for path in paths:
        if any(path == s or path.startswith(s + os.sep) for s in skip):
            continue
        if not guard.allow(path):
            continue
        target = os.path.join(dest, rel(path, src))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            _copy(guard, path, target)
        except OSError:
            continue


def _run(cmd: list[str], cwd: str, timeout: float = TIMEOUT, env: dict[str, str] | None = None) -> tuple[int, str]:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout, cwd=cwd, env=env)
    except subprocess.TimeoutExpired:
        return 124, f"{os.path.basename(cmd[0])} did not finish in {timeout:g} s"
    except OSError as exc:
        return 126, f"cannot run {cmd[0]}: {exc}"
    return proc.returncode, (proc.stdout or "") + (proc.stderr or "")


def _errors(log: str, limit: int = 3) -> str:
    lines = [l.strip() for l in log.splitlines() if re.search(r"error|exception", l, re.I)]
    return " | ".join(lines[:limit])[:600] or log.strip()[-600:]


# --------------------------------------------------------------------------- Hugo
def hugo_content_build(site: str, tmp: str, label: str = "the source", exe: str | None = None) -> Build:
    """``site`` (a Hugo site) built with bare layouts into ``tmp/public`` by the Hugo ``exe``
    (default: the one installed); ``tmp`` is emptied first (a build again with another Hugo)."""
    import shutil

    from blogtools.migrate.verify import hugo_binary, log_level_args

    b = Build(generator="hugo")
    exe = exe or hugo_binary()
    if exe is None:
        b.problem = "Hugo is not installed"
        return b
    shutil.rmtree(tmp, ignore_errors=True)
    work = os.path.join(tmp, "site")
    copy_site(site, work, HUGO_SKIP, hidden_in="static")
    moved = _html_documents_to_static(work)
    if moved:
        b.notes.append(f"{label}: {moved} HTML file(s) without front matter under content/ (which this Hugo"
                       " refuses as content) built as static files, as the migration writes them")
    layouts = os.path.join(work, "layouts")
    roots: list[str] = []
    themes = os.path.join(site, "themes")
    if os.path.isdir(themes):
        for name in sorted(os.listdir(themes), reverse=True):
            theme = os.path.join(themes, name)
            if not os.path.isdir(theme) or name.startswith("."):
                continue
            copy_site(theme, os.path.join(work, "themes", name), {"layouts", "static", "exampleSite", "node_modules",
                                                                   "images", "resources", "public"})
            os.makedirs(os.path.join(work, "themes", name), exist_ok=True)
            roots.append(os.path.join(theme, "layouts"))
    roots.append(os.path.join(site, "layouts"))
    for root in roots:  # the site's own last: it wins over its themes
        for sub in HUGO_KEEP:
            if os.path.isdir(os.path.join(root, sub)):
                copy_site(os.path.join(root, sub), os.path.join(layouts, sub), set())
    os.makedirs(layouts, exist_ok=True)
    _needed_partials(roots, layouts, os.path.realpath(site))
    for name, text in HUGO_STUBS.items():
        if not any(os.path.exists(os.path.join(layouts, sub, name + ".html")) for sub in ("shortcodes", "_shortcodes")):
            os.makedirs(os.path.join(layouts, "_shortcodes"), exist_ok=True)
            with open(os.path.join(layouts, "_shortcodes", name + ".html"), "w", encoding="utf-8") as fh:
                fh.write(text)
    from blogtools.programs import program_version

    version = program_version(exe)
    # Hugo before 0.146 looks page layouts up in _default/ only
    bare = os.path.join(layouts, "_default") if version is not None and version < (0, 146, 0) else layouts
    os.makedirs(bare, exist_ok=True)
    for name, text in (("single.html", HUGO_SINGLE), ("list.html", HUGO_LIST)):
        with open(os.path.join(bare, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    b.public = os.path.join(tmp, "public")
    env = dict(os.environ)
    env.pop("HUGO_ENVIRONMENT", None)
    for _ in range(4):
        code, b.log = _run([exe, "--source", work, "--destination", b.public, "--noBuildLock", "--enableGitInfo=false", "--cacheDir",
                            os.path.join(tmp, "cache")] + log_level_args(exe), work, env=env)
        missing = re.search(r'module "([^"\\]+)" not found', b.log) if code else None
        if not missing or ".." in missing.group(1).split("/") or os.path.exists(
                os.path.join(work, "themes", missing.group(1))):
            break
        # the theme is not there (a submodule not checked out): its layouts are not needed
        os.makedirs(os.path.join(work, "themes", missing.group(1)))
        b.notes.append(f"{label}: theme {missing.group(1)!r} is missing; its content was built without it")
    b.ok = code == 0
    if not b.ok:
        b.problem = f"hugo exited with {code}: {_errors(b.log)}"
    return b


def _html_documents_to_static(work: str) -> int:
    """``content/**/x.html`` without front matter → ``static/`` at the same path (see
    :func:`blogtools.migrate.sources.hugo.html_document`); returns how many."""
    from blogtools.migrate.sources.hugo import html_document

    content = os.path.join(work, "content")
    moved = 0
    for dirpath, _dirs, files in os.walk(content):
        for n in files:
            path = os.path.join(dirpath, n)
            if html_document(path, None):
                dest = os.path.join(work, "static", os.path.relpath(path, content))
                if not os.path.exists(dest):
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    os.replace(path, dest)
                    moved += 1
                else:
                    os.remove(path)
    return moved


def _needed_partials(roots: list[str], layouts: str, site_real: str) -> None:
    """The partials the kept shortcodes and render hooks call (and those they call): only
    these, since every partial is parsed and an unused one may not parse in this Hugo."""
    from blogtools import safefs

    seen: set[str] = set()
    todo = []
    for dirpath, _dirs, files in os.walk(layouts):
        for n in files:
            with open(os.path.join(dirpath, n), encoding="utf-8", errors="replace") as fh:
                todo += PARTIAL_CALL.findall(fh.read())
    while todo:
        name = todo.pop()
        if name in seen or ".." in name.split("/"):
            continue
        seen.add(name)
        for root in reversed(roots):  # the site's own first
            found = False
            for sub in HUGO_PARTIALS:
                for cand in (name, name + ".html"):
                    path = os.path.join(root, sub, cand)
                    if os.path.isfile(path) and safefs.is_inside(path, site_real):
                        dest = os.path.join(layouts, sub, cand)
                        os.makedirs(os.path.dirname(dest), exist_ok=True)
                        with open(path, encoding="utf-8", errors="replace") as fh:
                            text = fh.read()
                        with open(dest, "w", encoding="utf-8") as fh:
                            fh.write(text)
                        todo += PARTIAL_CALL.findall(text)
                        found = True
                        break
                if found:
                    break
            if found:
                break


# --------------------------------------------------------------------------- Jekyll
def jekyll_content_build(site: str, tmp: str, config: dict[str, Any] | None = None, plugins: bool = False,
                         render: Iterable[tuple[str, str]] = (), keep_layouts: Iterable[str] = ()) -> Build:
    """``site`` (a Jekyll site) built by Jekyll with bare layouts into ``tmp/public`` (but the
    site's own layouts named in ``keep_layouts``: those a feed is rendered into); with
    ``plugins`` the site's own ``_plugins`` run, and each (source path, Liquid) of ``render``
    is rendered in that page's context once the site is rendered (``Build.rendered``)."""
    from blogtools.programs import find_program

    b = Build(generator="jekyll")
    exe = find_program("jekyll")
    if exe is None:
        b.problem = "Jekyll is not installed (apt-get install jekyll ruby-jekyll-redirect-from ruby-jekyll-feed)"
        return b
    config = config if config is not None else _jekyll_config(site)
    work = os.path.join(tmp, "site")
    copy_site(site, work, JEKYLL_SKIP)
    names = {"default", "post", "page", "home"}
    layouts_dir = os.path.join(site, str(config.get("layouts_dir") or "_layouts"))
    if os.path.isdir(layouts_dir):
        own = {os.path.splitext(n)[0] for n in os.listdir(layouts_dir)}
        names = (names | own) - (own & set(keep_layouts))
    out_layouts = os.path.join(work, str(config.get("layouts_dir") or "_layouts"))
    os.makedirs(out_layouts, exist_ok=True)
    for name in sorted(names):
        with open(os.path.join(out_layouts, name + ".html"), "w", encoding="utf-8") as fh:
            fh.write(JEKYLL_LAYOUT)
    if keep_layouts and os.path.isdir(layouts_dir):
        import shutil

        for n in os.listdir(layouts_dir):
            path = os.path.join(layouts_dir, n)
            if os.path.splitext(n)[0] in set(keep_layouts) and os.path.isfile(path) and not os.path.islink(path):
                shutil.copyfile(path, os.path.join(out_layouts, n))
    for dirpath, _dirs, files in os.walk(work):
        for n in files:
            if n.endswith((".scss", ".sass")):
                path = os.path.join(dirpath, n)
                with open(path, "rb") as fh:
                    if fh.read(3) == b"---":
                        os.remove(path)
    stubs = _stub_includes(work, str(config.get("includes_dir") or "_includes"))
    if stubs:
        b.notes.append(f"{len(stubs)} include(s) the site does not hold (its theme's, not installed) built empty,"
                       " so what they write is not compared: " + ", ".join(stubs[:10]) + (" …" if len(stubs) > 10 else ""))
    import json

    # Jekyll loads every .rb under each folder of `plugins_dir` (a string or a list, `~`
    # expanded): the build's config names them itself, so only blogtools' folder runs unless
    # --jekyll-plugins; then the site's folders that lie inside the copy run too
    ours = os.path.join(work, OUR_PLUGINS)
    root = os.path.join(os.path.normpath(work), "")
    value = config.get("plugins_dir") or "_plugins"
    site_dirs = []
    for d in value if isinstance(value, list) else [value]:
        path = os.path.normpath(os.path.join(work, str(d)))
        inside = isinstance(d, str) and not d.startswith("~") and path.startswith(root)
        if inside and os.path.isdir(path) and not plugins:
            import shutil

            shutil.rmtree(path)  # (not published either)
            b.notes.append("the site's _plugins were not run (as on GitHub Pages; --jekyll-plugins runs them)")
        elif inside and plugins:
            site_dirs.append(path)
        elif plugins:
            b.notes.append(f"plugins_dir {d!r} is outside the site: its plugins were not run")
    render = list(dict.fromkeys(render))
    env = dict(os.environ)
    os.makedirs(ours, exist_ok=True)
    if plugins and render:
        with open(os.path.join(ours, RENDER_PLUGIN), "w", encoding="utf-8") as fh:
            fh.write(RENDER_LIQUID)
        env["BLOGTOOLS_LIQUID_IN"] = os.path.join(tmp, "liquid-in.json")
        env["BLOGTOOLS_LIQUID_OUT"] = os.path.join(tmp, "liquid-out.json")
        with open(env["BLOGTOOLS_LIQUID_IN"], "w", encoding="utf-8") as fh:
            json.dump([list(r) for r in render], fh)
    with open(os.path.join(ours, LINK_PLUGIN), "w", encoding="utf-8") as fh:
        fh.write(LINK_INDEX)
    wanted = [p for p in (config.get("plugins") or config.get("gems") or []) if isinstance(p, str)]
    installed = _installed_gems()
    gems = [p for p in wanted if p in installed]
    if len(gems) < len(wanted):
        b.notes.append("Jekyll plugins not installed, so not run: " + ", ".join(p for p in wanted if p not in installed))
    override = os.path.join(tmp, "blogtools-verify.yml")
    with open(override, "w", encoding="utf-8") as fh:  # JSON is YAML
        json.dump({"plugins": gems, "incremental": False, "plugins_dir": site_dirs + [ours]}, fh)
    configs = [os.path.join(work, n) for n in ("_config.yml", "_config.yaml", "_config.toml")
               if os.path.isfile(os.path.join(work, n))][:1]
    for path in configs:  # the theme gem goes (a later config cannot unset it: Jekyll keeps old values for null)
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            text = fh.read()
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(re.sub(r"(?m)^theme[ \t]*:.*$", "", text))
    b.public = os.path.join(tmp, "public")
    env["JEKYLL_ENV"] = "production"
    env["JEKYLL_NO_BUNDLER_REQUIRE"] = "true"  # the installed plugins, not a Gemfile's
    env.setdefault("LANG", "C.UTF-8")
    stubbed: list[str] = []
    budget = sum(len(files) for d in site_dirs for _p, _d, files in os.walk(d))
    for _ in range(12 + budget):
        code, b.log = _run([exe, "build", "--source", work, "--destination", b.public, "--disable-disk-cache",
                            "--config", ",".join(configs + [override])] + (["--trace"] if plugins else []), work, env=env)
        broken = _failing_plugin(b.log, site_dirs) if code and plugins else None
        if broken:  # a plugin that cannot run here (a gem not installed, a file the copy lacks): left out
            os.remove(broken[0])
            b.notes.append(f"{os.path.relpath(broken[0], work)} not run: it stops the build here ({broken[1]})")
            continue
        unknown = re.search(r"Unknown tag '(\w+)'", b.log) if code else None
        failing = re.search(r"Liquid Exception: (.*?) in (\S+?)(?:\x1b\[0m)?$", b.log, re.M) if code else None
        if failing and not unknown and _drop_page(work, failing.group(2)):
            # a page whose Liquid fails here (data a plugin of the site would make): left out
            b.notes.append(f"{failing.group(2)} not built: Liquid fails on it here ({failing.group(1)[:120]})")
            continue
        if not unknown or unknown.group(1) in stubbed:
            break
        stubbed.append(unknown.group(1))  # a plugin's tag: written as nothing, and said so
        with open(os.path.join(ours, "blogtools_stub_tags.rb"), "w", encoding="utf-8") as fh:
            fh.write(STUB_TAGS % " ".join(stubbed))
    if stubbed:
        b.notes.append("Liquid tags of plugins that are not installed written as nothing (not compared): "
                       + ", ".join(stubbed))
    b.ok = code == 0
    if not b.ok:
        b.problem = f"jekyll exited with {code}: {_errors(b.log)}"
    elif plugins and render:
        try:
            with open(env["BLOGTOOLS_LIQUID_OUT"], encoding="utf-8") as fh:
                out = json.load(fh)
        except (OSError, ValueError):
            out = []
        b.rendered = {(r[0], r[1]): v if isinstance(v, str) else None for r, v in zip(render, out)}
    return b


def _failing_plugin(log: str, site_dirs: list[str]) -> tuple[str, str] | None:
    """(the file of the site's plugin folders, at any depth, that the error's trace names
    first, why) when the build stopped there (``--trace``): the plugin cannot run in this copy."""
    m = None
    for d in site_dirs:
        found = re.search(rf"{re.escape(d + os.sep)}([^:\s]+\.rb):\d+", log)
        if found and (m is None or found.start() < m.start()):
            m = found
    path = os.path.normpath(m.group(0).rsplit(":", 1)[0]) if m else ""
    if m is None or not any(path.startswith(os.path.join(d, "")) for d in site_dirs) or not os.path.isfile(path):
        return None
    gem = re.search(r"cannot load such file -- ([\w./-]+)", log)
    said = re.search(r"(?m)^\S+:\d+:in [`'][^'\n]*': (.+)$", log)  # the top of the trace: the exception
    why = f"it requires {gem.group(1)}, which is not installed" if gem else said.group(1) if said else "an error"
    return path, re.sub(r"\x1b\[[0-9;]*m", "", why).strip()[:160]


OUR_PLUGINS = "_blogtools_plugins"  # blogtools' own Ruby, the only plugins run without --jekyll-plugins
LINK_PLUGIN = "blogtools_link_index.rb"
# Jekyll 4.3's {% link %} scans every file of the site for each tag: a site with many posts
# linking to each other builds in quadratic time (ruby-lang, 4,700 posts: two languages of it
# take 25 s, all seventeen did not finish in 15 min). The same lookup through an index built
# once per render: the first file with that relative path, as the scan finds it; a path the
# index lacks goes to Jekyll's own tag (its error message).
LINK_INDEX = """# written by blogtools into its copy of the site: {% link %} found through an index
module BlogtoolsLinkIndex
  def render(context)
    @context = context
    site = context.registers[:site]
    index = site.instance_variable_get(:@blogtools_link_index)
    unless index
      index = {}
      site.each_site_file { |item| index[item.relative_path] ||= item }
      site.instance_variable_set(:@blogtools_link_index, index)
    end
    relative_path = Liquid::Template.parse(@relative_path).render(context)
    item = index[relative_path] || index[Jekyll::PathManager.join("", relative_path)]
    item ? relative_url(item) : super
  end
end
Jekyll::Tags::Link.prepend(BlogtoolsLinkIndex)
Jekyll::Hooks.register(:site, :pre_render) { |site| site.instance_variable_set(:@blogtools_link_index, nil) }
"""
RENDER_PLUGIN = "zz_blogtools_render_liquid.rb"
# Liquid of the site's plugins rendered where Jekyll renders it: in the page's context, with
# the site's payload and filters, once the site is rendered (the build's output is unchanged)
RENDER_LIQUID = """# written by blogtools migrate into its copy of the site
require "json"
Jekyll::Hooks.register :site, :post_render do |site, payload|
  wanted = JSON.parse(File.read(ENV.fetch("BLOGTOOLS_LIQUID_IN")))
  docs = {}
  (site.pages + site.documents).each { |d| docs[d.relative_path] = d }
  out = wanted.map do |path, liquid|
    doc = docs[path]
    next nil if doc.nil?
    begin
      payload["page"] = doc.to_liquid
      Liquid::Template.parse(liquid).render!(payload, registers: { site: site, page: payload["page"] })
    rescue StandardError, SyntaxError
      nil
    end
  end
  File.write(ENV.fetch("BLOGTOOLS_LIQUID_OUT"), JSON.generate(out))
end
"""
STUB_TAGS = """# written by blogtools verify into its copy of the site
class BlogtoolsStubTag < Liquid::Tag
  def render(_context)
    ""
  end
end
%%w(%s).each { |name| Liquid::Template.register_tag(name, BlogtoolsStubTag) }
"""
def _drop_page(work: str, rel_path: str) -> bool:
    """Remove ``rel_path`` (as Jekyll names it in an error) from the copy; False when it is
    no file of it (a layout or include, whose removal would change every page)."""
    path = os.path.normpath(os.path.join(work, rel_path))
    if not path.startswith(work + os.sep) or not os.path.isfile(path) or "/_" in "/" + rel_path.replace(os.sep, "/"):
        return False
    os.remove(path)
    return True


INCLUDE = re.compile(r"{%-?\s*include(?:_cached)?\s+([\w./-]+)")
INCLUDE_CACHED = re.compile(r"({%-?\s*)include_cached\b")


def _stub_includes(work: str, includes_dir: str) -> list[str]:
    """Empty files for the includes pages use that the site does not hold (a theme gem's):
    Jekyll stops at the first missing one. Returns their names. ``include_cached`` (a plugin
    tag that writes what ``include`` writes) becomes ``include``."""
    folder = os.path.join(work, includes_dir)
    wanted: set[str] = set()
    for dirpath, dirs, files in os.walk(work):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for n in files:
            if n.endswith((".md", ".markdown", ".html", ".htm", ".xml", ".txt", ".liquid", ".mkd", ".mkdn")):
                with open(os.path.join(dirpath, n), encoding="utf-8", errors="replace") as fh:
                    text = fh.read()
                if "include" in text:
                    wanted.update(INCLUDE.findall(text))
                if "include_cached" in text:  # jekyll-include-cache's tag: the same output as include
                    with open(os.path.join(dirpath, n), "w", encoding="utf-8") as fh:
                        fh.write(INCLUDE_CACHED.sub(r"\1include", text))
    stubs = []
    for name in sorted(wanted):
        path = os.path.normpath(os.path.join(folder, name))
        if ".." in name.split("/") or os.path.exists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").close()
        stubs.append(name)
    return stubs


def _jekyll_config(site: str) -> dict[str, Any]:
    from blogtools.yamlload import load

    try:
        with open(os.path.join(site, "_config.yml"), encoding="utf-8") as fh:
            data = load(fh.read()).data
    except Exception:  # noqa: BLE001 - no config, or one Jekyll will complain about itself
        return {}
    return data if isinstance(data, dict) else {}


_GEMS: list[set[str]] = []


def _installed_gems() -> set[str]:
    from blogtools.programs import find_program

    if not _GEMS:
        ruby = find_program("ruby")
        names: set[str] = set()
        if ruby:
            code, out = _run([ruby, "-e", "puts Gem::Specification.map(&:name)"], os.getcwd(), timeout=60)
            if code == 0:
                names = {l.strip() for l in out.splitlines() if l.strip()}
        _GEMS.append(names)
    return _GEMS[0]
