"""blogtools: lint, fix and migrate blog content (Markdown with YAML/TOML/JSON front matter)."""

__version__ = "0.1.0"


def submodules(package: object) -> list[str]:
    """Names of a package's public modules, from a folder listing (``pkgutil.iter_modules``
    imports :mod:`inspect`, several milliseconds of every start)."""
    import os

    names = set()
    for folder in getattr(package, "__path__", ()):
        try:
            listing = os.listdir(folder)
        except OSError:
            continue
        names.update(n[:-3] for n in listing if n.endswith(".py") and not n.startswith("_"))
    return sorted(names)
