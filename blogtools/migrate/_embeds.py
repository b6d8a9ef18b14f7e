"""Embeds in the new site: which shortcode each provider gets, and the templates the
migrator writes for the ones Hugo does not ship.

Detection is :mod:`blogtools.embeds` (the shared provider table); the call is written by
:func:`blogtools.embeds.hugo_shortcode` for the shortcodes the new site will have: Hugo's
built-ins (``youtube``, ``vimeo``, ``x``, ``instagram``) and, for ``speakerdeck``,
``gist`` and ``slideshare``, the source site's own template when it has one, else ours.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from blogtools import embeds

BUILTINS = ("youtube", "vimeo", "x", "instagram", "figure")
# shortcodes Hugo no longer ships (or never did): the migrator writes a template for each
PROJECT_SHORTCODES = ("speakerdeck", "gist", "slideshare", "tex")
_SITE: dict[str, str] = {}  # name → template path of the current run


def configure(source_layouts: list[str], root: str | None = None) -> None:
    """Use the source's own templates (``layouts/shortcodes/NAME.html``) where it has them:
    regular files only, and with ``root`` only those whose real path is inside it."""
    from blogtools import safefs

    _SITE.clear()
    root_real = os.path.realpath(root) if root else None
    for name in PROJECT_SHORTCODES:
        for folder in source_layouts:
            for sub in ("shortcodes", "_shortcodes"):
                path = os.path.join(folder, sub, f"{name}.html")
                if (os.path.isfile(path) and name not in _SITE
                        and (root_real is None or safefs.is_inside(path, root_real))):
                    _SITE[name] = path


_OURS: dict[str, str] = {}


def _ours(name: str) -> str:
    """A file holding our template (hugo_shortcode reads a template's parameters from disk)."""
    if name not in _OURS:
        if not _OURS.get(""):
            import atexit
            import shutil

            _OURS[""] = tempfile.mkdtemp(prefix="blogtools-shortcodes-")
            atexit.register(shutil.rmtree, _OURS[""], True)
        path = os.path.join(_OURS[""], f"{name}.html")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(TEMPLATES[name])
        _OURS[name] = path
    return _OURS[name]


def call(embed: Any) -> str | None:
    """The shortcode call for a detected :class:`blogtools.embeds.Embed` (None: none fits,
    or it would lose the archived text of a tweet or Instagram blockquote, which then stays:
    :func:`blogtools.embeds.shortcode_loses_text`, the rule BT610 follows too)."""
    if embed.form == "blockquote" and embeds.shortcode_loses_text(embed):
        return None
    shortcodes = {name: "" for name in BUILTINS}
    for name in PROJECT_SHORTCODES:
        shortcodes[name] = _SITE.get(name) or _ours(name)
    return embeds.hugo_shortcode(embed, shortcodes)


def detect_html(snippet: str) -> Any:
    return embeds.detect_html(snippet)


def detect_url(url: str) -> Any:
    return embeds.detect_url(url)


def make(provider: str, ident: str, **params: str) -> Any:
    return embeds.Embed(provider, ident, "url", tuple(sorted((k, v) for k, v in params.items() if v)))


# written into layouts/shortcodes/ (never over a template the site has); shared with BT602
TEMPLATES = embeds.HUGO_TEMPLATES
