"""BT305: generic alt text (``image``, ``画像``, a file name)."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Option, Rule

GENERIC = ["image", "img", "images", "photo", "picture", "pic", "screenshot", "screen shot", "figure", "graph",
           "alt", "alt text", "thumbnail", "untitled", "画像", "写真", "図", "イメージ", "スクリーンショット",
           "スクショ", "キャプチャ"]
_FILE_NAME = re.compile(r"^[\w.-]*\.(?:png|jpe?g|gif|webp|svg|avif|heic|bmp)$|^(?:IMG|DSC|PXL|Screenshot)[_ -]?[\w-]*$",
                        re.I)


def _str_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"expected a list of strings, got {value!r}"
    return None


class ImageAltGeneric(Rule):
    """Image whose alt text says nothing about it.

    What it does
        Reports images whose alt text is a placeholder (``image``, ``photo``,
        ``screenshot``, ``画像``, ``写真``, ...; configurable) or a file name
        (``IMG_1234.jpg``, ``1.png``). Empty alt text is left alone: it is the right way
        to mark a purely decorative image.

    Why it matters
        Screen readers read the alt text aloud, search engines index it, and it is shown
        when the image fails to load. Medium's export writes ``image`` for every picture.

    Example
        ::

            ![image](images/2.png)

    Use instead
        ::

            ![運営に加わりたいと相談したときのメッセージ](images/2.png)

    Fix safety
        No fix: only the author knows what the image shows.

    Options
        ``images.generic-alt``: the placeholder texts (compared without case and spaces).
    """

    code = "BT305"
    name = "image-alt-generic"
    summary = "Image with generic alt text (image, 画像, a file name)"
    severity = "warning"
    fixable = None
    default_enabled = False  # style: opt-in (see "Default rules" in the README)
    options = (Option("images.generic-alt", GENERIC, "alt texts that describe nothing", validate=_str_list),)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        generic = self.__dict__.get("_generic")
        if generic is None:  # the options do not change during a run: normalise the list once
            generic = self._generic = {" ".join(g.lower().split()) for g in self.option("images.generic-alt")}
        for node in doc.nodes("image"):
            alt = " ".join(node.text.split())
            if not alt or node.text_start < 0:
                continue
            if alt.lower() in generic or _FILE_NAME.match(alt):
                yield self.diagnostic(doc, node.text_start, node.text_end,
                                      f"alt text {alt!r} says nothing about the image: describe what it shows")
