"""BT301: a local image (body, front matter, shortcode parameter) that does not exist."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport.images import FRONT_MATTER_KEYS, SHORTCODE_PARAMS, each
from blogtools.site import MODEL_FACTS, ImageRef, Page, SiteModel, url_key


class ImageMissing(Rule):
    """Local image that does not exist on the built site.

    What it does
        Resolves every local image a page names, the way the generator publishes files:
        body images (``![alt](path)``) relative to the page's URL, ``<img src>`` (and the
        ``src`` of ``<audio>``, ``<video>``, ``<source>``, ``<track>``) when raw HTML is rendered, front matter keys (``image``, ``images``, ``cover.image``,
        ``featured_image``, ``featuredImage``; configurable) and shortcode parameters
        (``{{< figure src=... >}}``; configurable) through the page's own resources first,
        as Hugo's templates do. An image found nowhere (no bundle resource, no static
        file) is reported. A path into an old bundle whose file is in this bundle, and a
        path wrong only in case, are reported by BT302 and BT303 instead.

    Why it matters
        A missing image is a broken picture in the post, or a missing preview card when
        the post is shared (``images`` feed Open Graph and Twitter cards).

    Example
        ::

            ![構成図](/images/architecture.png)    # no static/images/architecture.png

    Use instead
        Put the file in the page bundle and link it relatively (``images/architecture.png``),
        or fix the path.

    Fix safety
        No fix: there is no file to point at.

    Options
        ``images.front-matter-keys``, ``images.shortcode-params``.
    """

    code = "BT301"
    name = "image-missing"
    summary = "Local image (body, front matter, shortcode) that does not exist"
    severity = "error"
    fixable = None
    site_wide = True
    reads_facts = MODEL_FACTS
    options = (FRONT_MATTER_KEYS, SHORTCODE_PARAMS)

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        for model, page, ref, _ in each(self, site, "missing"):
            where = f"front matter {ref.key!r}" if ref.where == "front matter" else \
                f"shortcode {ref.key}" if ref.where == "shortcode" else \
                f"<{ref.key} src>" if ref.where == "html" and ref.key else "image"
            nothing = "no page resource or static file" if model.profile.name == "hugo" else "no file"
            yield self.at(page.path, ref.pos, f"{where} {_shown(page, ref)} not found: {nothing} at "
                          f"this path{_hint(model, page, ref)}", offsets=ref.span or (0, 0))


def _shown(page: Page, ref: ImageRef) -> str:
    """The image as the message shows it: as written in the source, and where the generator
    made another URL of it (Liquid evaluated, a layout's prefix), that URL too."""
    facts = page.facts or {}
    written = None
    if ref.where == "front matter":
        written = ((facts.get("front_matter") or {}).get("written") or {}).get(ref.key)
        if written is not None:
            return f"{written!r} (the layout writes {ref.url!r})"
    elif ref.where == "body":
        written = next((link.get("written") for link in facts.get("links") or ()
                        if link.get("kind") == "image" and tuple(link.get("url_pos") or ()) == ref.pos), None)
        if written is not None:
            return f"{written!r} ({ref.url!r} on the built site)"
    return repr(ref.url)


def _hint(model: SiteModel, page: Page, ref: ImageRef) -> str:
    """For an absolute path into a folder of a section that is no page: say so."""
    if not ref.url.startswith("/") or model.profile.name != "hugo":
        return ""  # (bundles and sections are Hugo's)
    split = model.split(ref.url, page)
    if split is None or not split.path.startswith("/"):
        return ""
    parts = split.path.strip("/").split("/")
    for k in range(len(parts) - 1, 0, -1):
        folder = "/" + "/".join(parts[:k]) + "/"
        if model.resolve(folder) is not None:
            return ""
        parent = model.by_url.get(url_key("/" + "/".join(parts[: k - 1]) + "/"))
        if parent is not None and parent.kind in ("section", "home"):
            return f" (no page lives at {model.href(folder)!r}: a renamed or deleted bundle?)"
    return ""
