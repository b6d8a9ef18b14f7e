"""A plain folder of Markdown (no generator): read on GitHub, in an editor or a wiki.

Every file is published at its own path (``/notes/a.md``), links to ``.md`` files work as
they are, any file in the folder can be linked or shown, and headings get GitHub's anchors.
Raw HTML is shown (GitHub sanitises it, but it is not dropped).
"""

from __future__ import annotations

from blogtools.generators import Generator


class Plain(Generator):
    name = "plain"
