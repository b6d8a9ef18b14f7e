"""Rules, diagnostics and fixes as data.

A rule is a class in a module of ``blogtools_rules`` (the repository's ``rules/`` folder) or
of a package registered under the ``blogtools.rules`` entry point group. Its metadata are
class constants; its docstring is its documentation (What it does / Why it matters /
Example / Fix safety, optionally Use instead / Options). ``check(doc, site)`` yields
diagnostics for one document; a site-wide rule also implements ``check_site(site)`` over the
facts of every document. Rules never write: a diagnostic carries a :class:`Fix`, a list of
:class:`Edit` on offsets of the document text, and only the central fixer applies it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator

from blogtools.record import dataclass

if TYPE_CHECKING:
    from blogtools.document import Document

SEVERITIES = ("error", "warning", "info")
DOC_SECTIONS = ("What it does", "Why it matters", "Example", "Fix safety")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``."""

    start: int
    end: int
    content: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # see Diagnostic.__reduce__
        return (Edit, (self.start, self.end, self.content))


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits that go in together. The fix applier checks the result before writing: the front
    matter keeps every value the edits do not touch, and the body renders the same outside the
    edits. ``markup`` says the fix changes the element structure inside its edits (a raw
    embed becoming a shortcode); without it the element structure must stay the same too."""

    edits: tuple[Edit, ...]
    safe: bool = True
    description: str = ""
    markup: bool = False
    creates: tuple[tuple[str, str], ...] = ()  # (absolute path, text): new files, never over one

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # see Diagnostic.__reduce__
        return (Fix, (self.edits, self.safe, self.description, self.markup, self.creates))


@dataclass(slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    fix: Fix | None = None
    start: int = 0  # offsets, kept for the fixer and for suppressions
    end: int = 0

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Cached results hold tens of thousands of diagnostics: a constructor call unpickles
        # several times faster than the generic slots-dataclass __setstate__.
        return (Diagnostic, (self.path, self.line, self.column, self.end_line, self.end_column, self.code,
                             self.name, self.severity, self.message, self.fix, self.start, self.end))

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_json(self) -> dict[str, Any]:
        out = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "fixable": self.fixable,
            "fix": None,
        }
        if self.fix is not None:
            out["fix"] = {
                "safe": self.fix.safe,
                "description": self.fix.description,
                "edits": [{"start": e.start, "end": e.end, "content": e.content} for e in self.fix.edits],
            }
        return out


@dataclass(frozen=True, slots=True)
class Option:
    """A rule option, set in config under its dotted ``key`` (e.g. ``front-matter.format``)."""

    key: str
    default: Any
    help: str = ""
    type: type | tuple[type, ...] = object
    choices: tuple[Any, ...] | None = None
    validate: Callable[[Any], str | None] | None = None

    def check(self, value: Any) -> str | None:
        """An error message for a bad value, or None."""
        if self.type is not object and not isinstance(value, self.type):
            names = self.type if isinstance(self.type, tuple) else (self.type,)
            expected = " or ".join(t.__name__ for t in names)
            return f"expected {expected}, got {type(value).__name__} {value!r}"
        if self.choices is not None and value not in self.choices:
            return f"expected one of {', '.join(map(str, self.choices))}, got {value!r}"
        if self.validate is not None:
            return self.validate(value)
        return None


@dataclass(frozen=True, slots=True)
class RunContext:
    """What one run asks of every rule: the :class:`~blogtools.lint.runner.Runner` holds it
    and hands it to the rule instances it makes (``rule.context``); an instance made
    elsewhere has the class default, a whole-site run that builds fix text."""

    # Absolute paths of the files reported on (a pre-commit run names a few; the rest of the
    # site is read for context only); None: every file.
    requested: frozenset[str] | None = None
    # Whether fix text is wanted (--fix, --diff, the editor); a plain lint run only needs to
    # know that a fix exists, and a costly one (a whole front matter conversion) is skipped.
    fix_mode: bool = True


class Rule:
    """Base class of every rule. Subclasses set the constants and implement ``check``."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    severity: ClassVar[str] = "warning"
    fixable: ClassVar[str | None] = None  # None | "safe" | "unsafe" | "sometimes"
    default_enabled: ClassVar[bool] = True
    tags: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[Option, ...]] = ()
    # Rules needing the network or site-wide facts say so; the runner plans accordingly.
    needs_network: ClassVar[bool] = False
    site_wide: ClassVar[bool] = False
    # The facts of each page a site-wide rule reads (names in blogtools.facts.EXTRACTORS;
    # blogtools.site.MODEL_FACTS for a rule that uses the site model); None: every fact.
    # A run whose site-wide rules all list theirs extracts only those.
    reads_facts: ClassVar[tuple[str, ...] | None] = None
    # The run's options (set on the instances a Runner makes; this default elsewhere).
    context: RunContext = RunContext()

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.settings = settings or {}

    def option(self, key: str) -> Any:
        for opt in self.options:
            if opt.key == key:
                return self.settings.get(key, opt.default)
        raise KeyError(key)

    def check(self, doc: "Document", site: Any) -> Iterator[Diagnostic]:
        return iter(())

    def check_site(self, site: Any) -> Iterator[Diagnostic]:
        return iter(())

    @classmethod
    def cache_key(cls, settings: dict[str, Any]) -> str:
        """What results depend on besides the file and the settings (a data file's mtime)."""
        return ""

    # -- helpers ---------------------------------------------------------------------
    def diagnostic(
        self,
        doc: "Document",
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
        severity: str | None = None,
    ) -> Diagnostic:
        line, column = doc.position(start)
        end_line, end_column = doc.position(max(end, start))
        return Diagnostic(
            doc.path, line, column, end_line, end_column, self.code, self.name,
            severity or self.severity, message, fix, start, end,
        )

    def at(
        self,
        path: str,
        pos: tuple[int, int, int, int],
        message: str,
        severity: str | None = None,
        offsets: tuple[int, int] = (0, 0),
    ) -> Diagnostic:
        """A diagnostic from stored facts: ``pos`` is (line, column, end_line, end_column)."""
        line, column, end_line, end_column = pos
        return Diagnostic(path, line, column, end_line, end_column, self.code, self.name,
                          severity or self.severity, message, None, *offsets)

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def missing_doc_sections(cls) -> list[str]:
        text = cls.doc()
        return [s for s in DOC_SECTIONS if f"{s}\n" not in text and not text.rstrip().endswith(s)]
