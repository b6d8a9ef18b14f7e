"""BT202: an internal link that reaches no page, alias or file of the site."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule
from blogtools.site import MODEL_FACTS, SiteModel, markdown_url

_MALFORMED = re.compile(r"^\s*/+https?:|^\s*(?:h?t?tps?|https?s)(?::/(?!/)|//)|.*\\", re.I)


class LinkTargetMissing(Rule):
    """Internal link to a URL the site does not have.

    What it does
        Computes every page's URL the way the generator does (sections, bundles, ``slug``,
        ``url``, ``permalinks``, aliases, bundle resources, static files, taxonomy pages)
        and reports a link to the site itself that lands on none of them, with the
        closest existing URL as a suggestion. Relative links are resolved against the
        page's URL, as a browser does. Hugo's ``{{< ref >}}``/``{{< relref >}}`` and
        Jekyll's ``{% post_url %}`` targets are checked against the content files. A page
        that exists on disk but was not among the linted files still counts.

    Why it matters
        A link that worked in the editor 404s on the built site: the section is
        ``/posts/`` but the link says ``/post/``, or the bundle was renamed after a Medium
        import. Nothing in the Markdown shows it; readers find it first.

    Example
        ::

            [以前の記事](/post/2022-03-22)
            [MLCT #5 の記事](/posts/2018-07-15)

    Use instead
        ::

            [以前の記事](/posts/2022-03-22/)
            [MLCT #5 の記事](/posts/2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct/)

    Fix safety
        Unsafe: the suggestion is the closest URL the site has (same last segment, a longer
        name starting with it, or a similar name), which is a guess at what the author
        meant. The fix keeps the link's ``#fragment``. No fix when nothing is close.
    """

    code = "BT202"
    name = "link-target-missing"
    summary = "Internal link to a URL that is no page, alias or file of the site"
    severity = "error"
    fixable = "sometimes"
    site_wide = True
    reads_facts = MODEL_FACTS

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        model = site.model()
        md_links_work = model.profile.rewrites_markdown_links
        seen: set[tuple[str, tuple[int, ...], str]] = set()  # (a reference definition used twice: once)
        for page, link, ref, target in model.each_link(self.context.requested):
            if target is not None or ref is None or not ref.path or _MALFORMED.match(link.get("url") or ""):
                continue  # found, external, or malformed (BT205's)
            if ref.path.lower().endswith((".md", ".markdown")) and not md_links_work \
                    and _source_exists(model, page, link["url"]):
                continue  # a link to the Markdown source: BT206
            if not model.content_exists(ref.path) and not model.another_site(ref.path) \
                    and not _found_by_hook(model, page, link):
                key = (page.path, tuple(link.get("url_pos") or ()), link.get("url") or "")
                if key in seen:
                    continue
                seen.add(key)
                yield self._missing(model, page.facts or {}, link, ref)
        for page in model.report_pages(self.context.requested):
            yield from self._templates(model, page)

    def _missing(self, model: SiteModel, f: dict[str, Any], link: dict[str, Any], ref: Any) -> Diagnostic:
        url = link["url"]
        written = link.get("written") or url  # (Liquid evaluated by the profile: the source's text)
        shown = repr(written) if written == url else f"{written!r} ({url!r} on the built site)"
        found = [model.href(u) for u in model.suggest(ref.path)]
        start, end = link.get("url_span") or (-1, -1)
        if found:
            new = markdown_url(found[0]) + (("#" + url.split("#", 1)[1]) if "#" in url else "")
            d = self.at(f["path"], tuple(link["url_pos"]),
                        f"link to {shown}: no page, alias or file has this URL; did you mean {found[0]!r}?",
                        offsets=(start, end))
            if start >= 0:
                d.fix = Fix((Edit(start, end, new),), safe=False, description=f"link to {found[0]}")
            return d
        return self.at(f["path"], tuple(link["url_pos"]),
                       f"link to {shown}: no page, alias or file has this URL", offsets=(max(start, 0), max(end, 0)))

    def _templates(self, model: SiteModel, page: Any) -> Iterator[Diagnostic]:
        f = page.facts or {}
        extra = f.get("site") or {}
        if model.profile.name == "hugo":
            for sc in extra.get("shortcodes") or ():
                if sc[0] in ("ref", "relref") and not sc[2]:
                    args = sc[6] if len(sc) > 6 else []
                    target = next((a for a in args if a[0] in (0, "path")), None)
                    if target is not None and not model.find_content(target[1], page):
                        yield self.at(f["path"], tuple(target[3]),
                                      f"{{{{< {sc[0]} >}}}} target {target[1]!r} is no content file: "
                                      "Hugo stops the build (REF_NOT_FOUND)", offsets=tuple(target[2]))
        if model.profile.name == "jekyll":
            for tag, arg, p, span in extra.get("liquid") or ():
                name = arg.strip().strip("\"'")
                if tag == "post_url" and name and not model.find_content(name, page) \
                        and not _post_exists(model, name):
                    yield self.at(f["path"], tuple(p), f"{{% post_url {name} %}}: no post in _posts is named "
                                  f"{name!r}; Jekyll stops the build", offsets=tuple(span))
                elif tag == "link" and name and "{{" not in name and _no_file(model, name):
                    yield self.at(f["path"], tuple(p), f"{{% link {name} %}}: no file of the site is at {name!r}; "
                                  "Jekyll stops the build", offsets=tuple(span))


def _found_by_hook(model: SiteModel, page: Any, link: dict[str, Any]) -> bool:
    """Hugo's embedded link render hook (multilingual sites) looks a destination up as a page
    path first: ``posts/x/`` from any page is the page ``posts/x``."""
    if link.get("kind") == "image" or not model.profile.embedded_hook("link"):
        return False
    url = (link.get("url") or "").split("#", 1)[0].split("?", 1)[0]
    return bool(url) and model.find_content("/" + url.lstrip("/"), page)


def _source_exists(model: SiteModel, page: Any, url: str) -> bool:
    import os
    from urllib.parse import unquote

    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        return any(os.path.isfile(os.path.join(d, path.lstrip("/"))) for d, _ in model.content_dirs)
    return os.path.isfile(os.path.normpath(os.path.join(os.path.dirname(page.abspath), path)))


def _no_file(model: SiteModel, name: str) -> bool:
    """A ``{% link %}`` target that names no file of the site (Jekyll's LinkTag fails)."""
    url_of_file = getattr(model.profile, "url_of_file", None)
    return url_of_file is not None and url_of_file(name) is None


def _post_exists(model: SiteModel, name: str) -> bool:
    return name.rsplit("/", 1)[-1] in model._stems()
