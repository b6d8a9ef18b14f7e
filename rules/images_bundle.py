"""BT302: an image path into another or an old bundle (or the site root) while the file is in this bundle."""

from __future__ import annotations

from typing import Any, Iterator

from blogtools.lint.rule import Diagnostic, Edit, Fix, Option, Rule
from blogtools.site import MODEL_FACTS, markdown_url
from blogtools.rulesupport.images import FRONT_MATTER_KEYS, SHORTCODE_PARAMS, each

FRONT_MATTER_STYLE = Option("images.front-matter-style", "relative",
                            "how the fix writes a front matter image: 'relative' to the bundle (Hugo's own "
                            "templates and most themes look it up among the page's resources) or 'absolute'",
                            type=str, choices=("relative", "absolute"))


class ImageOutsideBundle(Rule):
    """Image path into another or an old bundle, or the site root, while the file is in this bundle.

    What it does
        Reports an image (body, front matter, shortcode parameter) whose path goes through
        another page's folder or the site root, when the same file is in the page's own
        bundle: ``/posts/<old bundle name>/images/2.png`` after a Medium import was
        renamed, ``/posts/<other post>/images/1.png`` copied from another post (reported
        when both files are identical), or ``images: "/1.png"`` that resolves at the site
        root while ``1.png`` sits next to ``index.md``.

    Why it matters
        The path breaks as soon as a folder is renamed (and the stale ones already are
        broken), and the post's images depend on another post staying where it is.
        A bundle-relative path moves with the bundle.

    Example
        ::

            image: "/posts/2018-07-15_...-を開催してきました-sharpmlct/images/2.png"
            ![image](/posts/2018-07-15_...-を開催してきました-sharpmlct/images/2.png)

    Use instead
        ::

            image: "images/2.png"
            ![image](images/2.png)

    Fix safety
        Safe: the new path names the same file, now in the page's own bundle (for an
        existing file in another bundle the two files are compared byte for byte first).
        Body images become relative when the page's URL is a folder (Hugo publishes the
        bundle's files there); otherwise, and for front matter with
        ``images.front-matter-style = "absolute"``, the fix writes the absolute URL of the
        file under the page.

    Options
        ``images.front-matter-style``, ``images.front-matter-keys``, ``images.shortcode-params``.
    """

    code = "BT302"
    name = "image-outside-bundle"
    summary = "Image path into another or an old bundle, or the site root, while the file is in this bundle"
    severity = "error"
    fixable = "safe"
    site_wide = True
    reads_facts = MODEL_FACTS
    options = (FRONT_MATTER_STYLE, FRONT_MATTER_KEYS, SHORTCODE_PARAMS)

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        absolute = self.option("images.front-matter-style") == "absolute"
        for model, page, ref, tail in each(self, site, "bundle"):
            relative = page.url.endswith("/") and page.resource_url == page.url
            if ref.where == "front matter" and absolute:
                relative = False
            new = tail if relative else page.resource_url + tail
            split = model.split(ref.url, page)
            path = split.path if split is not None else ""
            folder = path[: len(path) - len(tail)] if path.endswith("/" + tail) or path == tail else ""
            if folder == "/" or not folder:
                why = "resolves at the site root, where there is no such file"
            elif model.resolve(folder) is None:
                why = f"points into {folder!r}, which is no page (an old bundle name?)"
            else:
                why = f"points into another page's folder ({folder!r})"
            where = f"front matter {ref.key!r}" if ref.where == "front matter" else "image"
            d = self.at(page.path, ref.pos, f"{where} {ref.url!r} {why}; the file is in this bundle: use {new!r}",
                        offsets=ref.span or (0, 0))
            if ref.span is not None:
                text = markdown_url(new) if ref.where == "body" else new
                d.fix = Fix((Edit(ref.span[0], ref.span[1], text),), safe=True, description=f"use {new}")
            yield d
