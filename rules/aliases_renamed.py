"""BT214: a Medium import whose bundle folder was renamed without an alias for its old URL."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.site import MODEL_FACTS, image_refs, is_remote, url_key, value_span
from blogtools.urls import unquote, urlsplit

MEDIUM_CDN = ("cdn-images-1.medium.com", "cdn-images-2.medium.com", "miro.medium.com")


def medium_signals(facts: dict[str, Any]) -> list[str]:
    """Why a page looks imported from Medium (empty when it does not)."""
    why = []
    for link in facts.get("links") or ():
        url = link.get("url") or ""
        if "medium.com" not in url:
            continue
        host = urlsplit(url).netloc.lower()
        if host in MEDIUM_CDN:
            why.append("Medium CDN images")
        elif host == "medium.com" or host.endswith(".medium.com"):
            why.append("medium.com links")
    data = {str(k).lower(): v for k, v in ((facts.get("front_matter") or {}).get("data") or {}).items()}
    if "subtitle" in data and ("images" in data or "image" in data):
        why.append("medium-to-hugo front matter (subtitle, images)")
    return sorted(set(why))


class AliasMissingAfterRename(Rule):
    """Post imported from Medium whose folder was renamed without an alias for its old URL.

    What it does
        For a page that looks imported from Medium (images on Medium's CDN, links to
        ``medium.com``, the ``subtitle``/``images`` front matter medium-to-hugo writes),
        looks for absolute paths into a sibling folder that no longer exists
        (``/posts/<old name>/images/2.png``) while the same file sits in the page's own
        bundle: the bundle was renamed. If no alias catches the old URL
        ``/posts/<old name>/``, it is reported.

    Why it matters
        The old URL was live, shared and indexed; after the rename it 404s. The importer
        added an alias for the Medium URL, but nobody adds one for the blog's own old URL.
        (The stale image paths themselves are BT302.)

    Example
        ::

            # content/posts/2018-07-15_...-を開催しました-sharpmlct/index.md
            image: "/posts/2018-07-15_...-を開催してきました-sharpmlct/images/2.png"
            aliases: "/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d"

    Use instead
        ::

            aliases:
              - "/organizing-mlct-5-as-a-newcomer-4a7c19e2b05d"
              - "/posts/2018-07-15_...-を開催してきました-sharpmlct/"

    Fix safety
        Unsafe: the old URL is inferred from the stale paths. The fix adds it (a string
        ``aliases`` becomes a list; with no ``aliases`` key one is added); an alias only
        adds a redirect page, but the inference deserves a look.
    """

    code = "BT214"
    name = "alias-missing-after-rename"
    summary = "Medium import whose folder was renamed without an alias for its old URL"
    severity = "warning"
    fixable = "sometimes"
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        for page in model.report_pages(self.context.requested):  # each page is judged on its own against the model
            f = page.facts or {}
            if not page.leaf or not page.url.endswith("/") or not medium_signals(f):
                continue
            parent = page.url.rstrip("/").rsplit("/", 1)[0] + "/"
            current = page.url.rstrip("/").rsplit("/", 1)[-1]
            olds: dict[str, Any] = {}
            for ref in image_refs(f, html=False):
                if is_remote(ref.url) or not ref.url.startswith(parent):
                    continue
                rest = unquote(ref.url.split("#", 1)[0].split("?", 1)[0])[len(parent):]
                name, _, tail = rest.partition("/")
                if not tail or name == current or url_key(parent + name + "/") in model.by_url:
                    continue
                if model.resolve(parent + name + "/") is not None or not model.locate(page.bundle_dir, tail.split("/")):
                    continue
                olds.setdefault(name, ref)
            have = {url_key(a.url) for a in page.aliases if a.url}
            for name, ref in olds.items():
                old = parent + name + "/"
                if url_key(old) in have:
                    continue
                yield self._report(f, page, old, ref)

    def _report(self, f: dict[str, Any], page: Any, old: str, ref: Any) -> Diagnostic:
        data = (f.get("front_matter") or {}).get("data") or {}
        key = next((k for k in data if str(k).lower() == "aliases"), None)
        where = f"front matter {ref.key!r}" if ref.key else f"line {ref.pos[0]}"
        msg = (f"imported from Medium and renamed: the old URL {old!r} ({where} still points into it) has no "
               "alias and now 404s; add it to aliases")
        fix = None
        pos, offsets = tuple(ref.pos), ref.span or (0, 0)
        extra = f.get("site") or {}
        if key is not None and isinstance(data[key], str):
            hit = value_span(f, key)
            if hit is not None:
                a, b, p, exact, quote = hit
                pos, offsets = tuple(p), (a, b)
                if exact:
                    q = quote or '"'
                    fix = Fix((Edit(a - len(quote), b + len(quote), f"[{q}{data[key]}{q}, \"{old}\"]"),),
                              safe=False, description=f"add the alias {old}")
        elif key is not None and isinstance(data[key], list) and data[key]:
            hit = value_span(f, f"{key}.{len(data[key]) - 1}")
            if hit is not None:
                pos = tuple(hit[2])
                offsets = (hit[0], hit[1])
        elif key is None and extra.get("fm"):
            fmt, start, _end = extra["fm"]
            line = f'aliases = ["{old}"]\n' if fmt == "toml" else f'aliases: ["{old}"]\n'
            fix = Fix((Edit(start, start, line),), safe=False, description=f"add the alias {old}")
        d = self.at(f["path"], pos, msg, offsets=offsets)
        d.fix = fix
        return d
