"""Front matter keys each generator defines, with the type its value must have.

Types: string, bool, int, number, date (a date, a date-time or a string holding one),
path (a site path, not a URL), url (a URL or a path), strings / paths (a list of them),
table, tables (a list of tables), list, any; "a|b" accepts either.
Taxonomy keys (tags, categories, and on Hugo those the site config declares) are added by
the rules; theme and user keys come from the `front-matter.keys` option.
Sources: FORMATS.md in the project docs, the generators' front matter documentation.
(A Python module rather than a data file: reading it costs no TOML parser on start-up.)
"""

SCHEMAS: dict[str, dict[str, str]] = {
    "hugo": {
        "aliases": "paths",
        "build": "table",
        "cascade": "table|tables",
        "date": "date",
        "description": "string",
        "draft": "bool",
        "expiryDate": "date",
        "headless": "bool",
        "isCJKLanguage": "bool",
        "keywords": "strings",
        "lastmod": "date",
        "layout": "string",
        "linkTitle": "string",
        "markup": "string",
        "menus": "string|strings|table",
        "outputs": "strings",
        "params": "table",
        "publishDate": "date",
        "resources": "tables",
        "sitemap": "table",
        "slug": "string",
        "summary": "string",
        "title": "string",
        "translationKey": "string",
        "type": "string",
        "url": "path",
        "weight": "int",
    },
    "jekyll": {
        "layout": "string",
        "title": "string",
        "date": "date",
        "categories": "taxonomy",
        "category": "string",
        "tags": "taxonomy",
        "tag": "string",
        "permalink": "path",
        "excerpt_separator": "string",
        "published": "bool",
        "description": "string",
        # widely used plugins: jekyll-redirect-from, jekyll-last-modified-at, jekyll-seo-tag
        "redirect_from": "path|paths",
        "redirect_to": "url|strings",
        "last_modified_at": "date",
        "image": "url|table",
    },
    "zola": {
        "title": "string",
        "description": "string",
        "date": "date",
        "updated": "date",
        "weight": "int",
        "draft": "bool",
        "slug": "string",
        "path": "path",
        "aliases": "paths",
        "authors": "strings",
        "in_search_index": "bool",
        "template": "string",
        "render": "bool",
        "taxonomies": "table",
        "extra": "table",
    },
    # A site without a known generator: the keys every blog tool agrees on.
    "plain": {
        "title": "string",
        "description": "string",
        "date": "date",
        "lastmod": "date",
        "draft": "bool",
        "slug": "string",
        "aliases": "paths",
    },
}
