"""Image references and how they resolve, shared by the image rules (BT301 missing, BT302
bundle, BT303 case, BT304 Medium CDN): the options naming where images are written, and one
classification of every image of a page per site model."""

from __future__ import annotations

import filecmp
from typing import Any, Iterator

from blogtools.lint.rule import Option, Rule
from blogtools.site import (
    DEFAULT_IMAGE_KEYS, DEFAULT_IMAGE_SHORTCODES, ImageRef, Page, SiteModel, Target, image_refs, is_remote,
    resolve_image,
)
from blogtools.urls import unquote


def _str_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"expected a list of strings, got {value!r}"
    return None


FRONT_MATTER_KEYS = Option("images.front-matter-keys", list(DEFAULT_IMAGE_KEYS),
                           "front matter keys holding image paths (dotted for nested keys)", validate=_str_list)
SHORTCODE_PARAMS = Option("images.shortcode-params", list(DEFAULT_IMAGE_SHORTCODES),
                          "shortcode parameters holding image paths, as name.param", validate=_str_list)


def refs(rule: Rule, model: SiteModel, page: Page) -> list[ImageRef]:
    return image_refs(page.facts or {}, rule.option("images.front-matter-keys"),
                      rule.option("images.shortcode-params"), html=model.profile.raw_html_rendered)


def classified(rule: Rule, model: SiteModel, page: Page) -> list[tuple[ImageRef, str, Any]]:
    """(reference, status, detail) of every image of a page, computed once per model."""
    key = ("images", page.abspath, tuple(rule.option("images.front-matter-keys")),
           tuple(rule.option("images.shortcode-params")))
    return model.memo(key, lambda: [(ref, *classify(model, page, ref)) for ref in refs(rule, model, page)])


def each(rule: Rule, site: Any, status: str) -> Iterator[tuple[SiteModel, Page, ImageRef, Any]]:
    """(model, page, reference, detail) of every image of the reported pages classified as
    ``status``."""
    model = site.model()
    for page in model.report_pages(rule.context.requested):
        for ref, got, detail in classified(rule, model, page):
            if got == status:
                yield model, page, ref, detail


def classify(model: SiteModel, page: Page, ref: ImageRef) -> tuple[str, Any]:
    """("remote"|"ok"|"case"|"bundle"|"missing", detail) for one image reference.

    ``case``: the file exists with another case (detail: the Target); ``bundle``: the path
    points into another or an old bundle, or the site root, while the same file is in this
    page's bundle (detail: the path relative to the bundle); ``missing``: nothing found.
    """
    url = ref.url.strip()
    if not url or is_remote(url):
        return "remote", None
    if not model.profile.judges_links:
        return "unknown", None  # (a site whose URLs the model does not know)
    if model.base_path and url.startswith("/"):
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        if model._in_site(path) is None:
            # A site served under a path (/blog/): in the body, "/img/a.png" is the host's,
            # outside the site, and cannot be judged from it. Templates usually put the base
            # path in front of a front matter value (relURL): read it as the site's path.
            if ref.where in ("front matter", "shortcode") and model.resolve(path) is not None:
                return "ok", model.resolve(path)
            return "outside", None
    target = resolve_image(model, page, ref)
    if target is not None:
        if target.kind == "resource" and target.page is not None and target.page is not page and page.bundle_dir:
            tail = _tail_in_bundle(model, page, url)
            if tail and _same_file(model, page, tail, target.file):
                return "bundle", tail
        return "ok", target
    loose = _case_insensitive(model, page, ref)
    if loose is not None:
        if loose.kind == "resource" and loose.page is page and model.profile.embedded_hook("image"):
            return "ok", loose  # Hugo's embedded image hook finds a page resource whatever its case
        return "case", loose
    tail = _tail_in_bundle(model, page, url) if page.bundle_dir else ""
    if tail:
        return "bundle", tail
    split = model.split(url, page)
    if split is not None and split.path and model.another_site(split.path):
        return "outside", None  # another repository's GitHub Pages site may serve it
    return "missing", None


def _case_insensitive(model: SiteModel, page: Page, ref: ImageRef) -> Target | None:
    url = ref.url.strip()
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if ref.where in ("front matter", "shortcode") and not path.startswith("/") and page.bundle_dir:
        hit = model.locate(page.bundle_dir, path.split("/"), exact=False, branch=not page.leaf)
        if hit:
            return Target("resource", page.resource_url + path, page, file=hit)
        if ref.where == "front matter":
            return model.find_file("/" + path, exact=False)
    split = model.split(url, page)
    if split is None or not split.path:
        return None
    return model.find_file(split.path, exact=False)


def _tail_in_bundle(model: SiteModel, page: Page, url: str) -> str:
    """The longest tail of ``url``'s path that is a file of the page's bundle ("" when none)."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    parts = [p for p in path.split("/") if p not in ("", ".")]
    for k in range(len(parts)):
        tail = parts[k:]
        if ".." in tail:
            continue
        if model.locate(page.bundle_dir, tail, branch=not page.leaf):
            return "/".join(tail)
    return ""


def _same_file(model: SiteModel, page: Page, tail: str, other: str) -> bool:
    import os

    mine = os.path.join(page.bundle_dir, *tail.split("/"))
    try:
        return filecmp.cmp(mine, other, shallow=False)
    except OSError:
        return False
