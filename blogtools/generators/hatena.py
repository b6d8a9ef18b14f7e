"""A Hatena Blog tree synced with blogsync (``blogsync.yaml``; ``<blog>/entry/...md`` with
``Title:``, ``Category:``, ``Date:``, ``URL:``, ``EditURL:`` and ``Draft:`` headers).

Not a profile of its own yet: it is recognised so that nothing is said wrongly. The header
keys are blogsync's (renaming them would break ``blogsync push``), so no front matter rule
runs; URLs come from Hatena, not from file paths, so internal links and images are not
judged. File, link-text, footnote and word checks run as on any Markdown.
"""

from __future__ import annotations

from blogtools.generators.plain import Plain


class Hatena(Plain):
    name = "hatena"
    quiet_codes = ("BT1",)
    judges_links = False
    notice = ("a Hatena Blog tree (blogsync): its header keys (Title, Category, Date, URL, EditURL) and "
              "internal URLs are not checked, since blogtools has no Hatena profile yet; file, link-text, "
              "footnote and word checks run")
