"""Hugo term pages that keep a source's archive URLs: Hatena's ``/archive/category/NAME``,
WordPress's ``/category/SLUG/`` and ``/tag/SLUG/``."""

from __future__ import annotations

from blogtools.migrate.model import Post, SourceSite


def term_pages(taxonomy: str, terms: dict[str, list[str]], origin: str, what: str,
               site: SourceSite | None = None) -> list[Post]:
    """A Hugo term page (``content/<taxonomy>/<term>/_index.md``) per term name, whose old
    URLs (``terms[name]``) become its aliases. A term whose Hugo URL cannot be served as it
    is (a dot folder, ``#``, ``?`` or ``%`` in it) is reported in the site's warnings."""
    from blogtools.migrate._hugo import make_path

    label = "category" if taxonomy == "categories" else taxonomy.removesuffix("s")
    folders: dict[str, tuple[str, list[str]]] = {}
    for name, urls in terms.items():
        folder = make_path(name.strip())
        if folder and not folder.startswith(".") and not any(c in folder for c in "/#?%"):
            got = folders.setdefault(folder, (name, []))
            got[1].extend(u for u in urls if u not in got[1])
        elif site is not None and f"{label} {name!r}" not in " ".join(site.warnings):
            # a dot folder is not served, a "#" or "?" in the term URL cuts it in the browser
            site.warnings.append(f"{label} {name!r}: Hugo's term URL /{taxonomy}/{folder}/ cannot be served as it "
                                 f"is; its old page {', '.join(urls)} is not kept")
    out = []
    for folder, (name, urls) in sorted(folders.items()):
        page = Post(f"({label} {name})", {"title": name}, "", kind="page", origin=origin,
                    page_path=f"{taxonomy}/{folder}/_index", old_urls=list(urls))
        page.note(what)
        out.append(page)
    return out
