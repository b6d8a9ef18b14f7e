"""Built-in blogtools rules, one module per concern (installed as ``blogtools_rules``).

Codes: BT0xx files and front matter syntax, BT1xx front matter content, BT2xx links,
BT3xx images, BT4xx words and vocabulary, BT5xx footnotes, BT6xx embeds and content the
generator drops, BT7xx external links. A retired code stays listed in ``RETIRED`` so it is
never reused.
"""

RETIRED: dict[str, str] = {}
