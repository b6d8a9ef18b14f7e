"""BT104: a required front matter key (``title``, ``date`` by default) is missing or empty."""

from __future__ import annotations

import os
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Rule
from blogtools.rulesupport import memo
from blogtools.rulesupport.frontmatter import REQUIRED, fence_span, find_key, loaded, report_span

def _dateless(doc: Document, site: Any) -> bool:
    """A page that needs no ``date``: a Hugo section page (``_index.md``, ``_index.ja.md``),
    a page at the top of the content folder (about, search, privacy), a page outside the
    sections listed in ``params.mainSections`` when the site lists them, and every Jekyll
    file (a post's date comes from its file name; a page has none)."""
    generator = getattr(site, "generator", "plain")
    if generator == "jekyll":
        return True
    name = os.path.basename(doc.abspath or doc.path)
    if name.startswith("_index.") or name == "_index":
        return True
    if generator != "hugo":
        return False
    found = _in_content(doc, site)
    if found is None:
        return False
    parts = found[1]
    if len(parts) == 1 or len(parts) == 2 and parts[1].startswith("index."):
        return True  # content/about.md, content/about/index.md
    main = site.setting("params.mainSections", None)
    if isinstance(main, list) and main:
        return parts[0] not in {str(m) for m in main}
    return False


def _in_content(doc: Document, site: Any) -> tuple[str, list[str]] | None:
    """(the Hugo content folder holding the document, the parts of its path below it)."""
    full = os.path.abspath(doc.abspath or doc.path)
    for folder in site.content_folders() or ():
        root = os.path.abspath(folder).rstrip(os.sep)
        if full.startswith(root + os.sep):
            return root, full[len(root) + 1:].split(os.sep)
    return None


def _bundle_resource(doc: Document, site: Any) -> bool:
    """A Hugo content file below a leaf bundle's folder (one holding ``index.md``), other
    than that ``index.md``: Hugo makes it a page resource, not a page (a real theme keeps its
    home widgets as ``content/home/*.md`` in a headless bundle; 17 false BT104 there)."""
    if getattr(site, "generator", "") != "hugo":
        return False
    found = _in_content(doc, site)
    if found is None:
        return False
    root, parts = found
    is_index = os.path.splitext(parts[-1])[0] == "index"
    for depth in range(len(parts) - 1, 0, -1):  # the document's own folder, then those above
        here = os.path.join(root, *parts[:depth])
        if (depth < len(parts) - 1 or not is_index) and any(
                os.path.isfile(os.path.join(here, "index" + ext)) for ext in (".md", ".markdown", ".html")):
            return True
    return False


def _titled_by_name(doc: Document, site: Any) -> bool:
    """A Jekyll document whose title Jekyll makes from its file name when the front matter
    has none (``Document#populate_title``): a post or draft (``_posts/2020-01-02-my-post.md``
    is "My Post"), or a collection's document; or the home page and the 404 page, whose
    title is the site's (themes and jekyll-seo-tag write ``site.title``; minima's own
    ``404.html`` has none); or a file Jekyll does not publish (excluded, in a ``_`` folder).
    Other pages get no title of their own."""
    if getattr(site, "generator", "plain") != "jekyll":
        return False
    full = os.path.abspath(doc.abspath or doc.path)
    root = os.path.abspath(site.root).rstrip(os.sep) + os.sep
    if not full.startswith(root):
        parts = full.split(os.sep)
        return "_posts" in parts[:-1] or "_drafts" in parts[:-1]
    rel = full[len(root):].replace(os.sep, "/")
    if "/" not in rel and os.path.splitext(rel)[0] in ("index", "404"):
        return True
    try:
        profile = site.profile
        kind = profile.kind_of(rel)[0]
        if profile.excluded(rel):
            return True  # not part of the site (exclude:): no page to show a title on
    except Exception:  # noqa: BLE001 - an odd config: only the folder names count
        parts = rel.split("/")
        return "_posts" in parts[:-1] or "_drafts" in parts[:-1]
    return kind in ("post", "draft", "collection", "skip")


def _lookup(data: Any, dotted: str) -> tuple[tuple[str, ...], Any] | None:
    """Written path and value of a dotted key, matching each part ignoring case."""
    path: tuple[str, ...] = ()
    for part in dotted.split("."):
        key = find_key(data, part) if isinstance(data, dict) else None
        if key is None:
            return None
        path, data = path + (key,), data[key]
    return path, data


class FrontMatterRequired(Rule):
    """A key every post must have is missing or empty.

    What it does
        Reports each key of ``front-matter.required`` (default ``title`` and ``date``) that
        a post lacks, at the opening fence, and each that is present but empty (``null``,
        ``""``, only spaces, ``[]``), at the key. A key written in another case (``Title``)
        counts as present: BT105 renames it. ``date`` is required of posts only: not of Hugo
        section pages (``_index.md``, ``_index.ja.md``), pages at the top of the content
        folder (``about.md``, ``search.md``), pages outside ``params.mainSections`` when the
        site sets it, nor of Jekyll files (a post's date is in its file name). ``title``
        is not required of Jekyll posts, drafts and collection documents either: Jekyll
        makes it from the file name (``2020-01-02-my-post.md`` is "My Post"); nor of a
        Jekyll site's home page and 404 page, which show the site's title, nor of files
        Jekyll does not publish (``exclude``, ``_`` folders). Nothing is required of a
        draft (``draft: true``: not published, work in progress). A file
        without front matter (a README, a partial) is not a post and is not checked.

    Why it matters
        A post without ``date`` sorts as 0001-01-01 in Hugo lists and feeds and drops out of
        "recent posts"; one without ``title`` shows its file name in lists, tabs and shares.

    Example
        ::

            ---
            title: "MLOps 勉強会で登壇した感想"
            tags: [mlops]
            ---

    Use instead
        ::

            ---
            title: "MLOps 勉強会で登壇した感想"
            date: 2022-05-04T01:21:41+09:00
            tags: [mlops]
            ---

    Fix safety
        No automatic fix: the value is the author's to give.

    Options
        ``front-matter.required``: a list of keys, dotted for nested ones (``cover.image``).
    """

    code = "BT104"
    name = "front-matter-required-key"
    summary = "A required front matter key (title, date) is missing or empty"
    severity = "warning"
    options = (REQUIRED,)

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        fm = loaded(doc)
        if fm is None:
            return
        if _bundle_resource(doc, site) or fm.data.get("headless") is True or fm.data.get("draft") is True:
            return  # a resource of a leaf bundle, a headless page, a draft: nothing is published
        required = memo(self, site, "required", lambda: [k for k in self.option("front-matter.required") if k])
        if any(k.lower() == "date" for k in required) and _dateless(doc, site):
            required = [k for k in required if k.lower() != "date"]
        if any(k.lower() == "title" for k in required) and (_titled_by_name(doc, site)
                                                             or getattr(site, "generator", "") == "jekyll"):
            # (a Jekyll page without title shows the site's: themes and jekyll-seo-tag fall
            # back to site.title; 25 such pages on one real site were all intended)
            required = [k for k in required if k.lower() != "title"]
        for dotted in required:
            found = _lookup(fm.data, dotted)
            if found is None:
                yield self.diagnostic(doc, *fence_span(doc, fm), f"required key {dotted!r} is missing")
                continue
            path, value = found
            if value is None or value == [] or value == {} or isinstance(value, str) and not value.strip():
                yield self.diagnostic(doc, *report_span(doc, fm, path), f"required key {dotted!r} is empty")
