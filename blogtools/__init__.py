"""blogtools: lint, fix and migrate blog content (Markdown with YAML/TOML/JSON front matter)."""

__version__ = "0.1.0"
