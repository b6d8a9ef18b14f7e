"""``@dataclass`` for the start-up path, without :mod:`dataclasses`' start-up cost.

The standard decorator costs about 1 ms per class (several generated methods, each
compiled with ``exec``; ``inspect`` imported by the module), and blogtools defines some forty
small records: 25-35 ms of a one-file run whose budget is 150 ms. This decorator keeps the
subset blogtools uses: ``__init__`` (generated once, as fast as the standard one), defaults
and ``field(default_factory=..., repr=..., compare=...)``, ``__post_init__``, ``__repr__``,
``__eq__``, ``frozen=True`` (no assignment; hashable) and ``slots=True``. Slotted records
pickle through their constructor.
"""

from __future__ import annotations

from typing import Any, Callable

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class _Field:
    __slots__ = ("name", "default", "default_factory", "repr", "compare")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING, repr: bool = True,
                 compare: bool = True) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | Any = _MISSING, repr: bool = True,
          compare: bool = True) -> Any:
    return _Field(default, default_factory, repr, compare)


def dataclass(cls: type | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    def wrap(c: type) -> type:
        return _process(c, frozen, slots)

    return wrap if cls is None else wrap(cls)


def _own_fields(cls: type) -> list[_Field]:
    out = []
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if isinstance(annotation, str) and annotation.replace("typing.", "").startswith("ClassVar"):
            continue
        value = cls.__dict__.get(name, _MISSING)
        f = value if isinstance(value, _Field) else _Field(default=value)
        f.name = name
        out.append(f)
    return out


def _process(cls: type, frozen: bool, slots: bool) -> type:
    inherited: dict[str, _Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in getattr(base, "__record_fields__", ()):
            inherited[f.name] = f
    for f in _own_fields(cls):
        inherited[f.name] = f
    fields = tuple(inherited.values())
    names = tuple(f.name for f in fields)

    scope: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, lines = [], []
    for f in fields:
        if f.default_factory is not _MISSING:
            scope[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_factory_{f.name}() if {f.name} is _MISSING else {f.name}"
        elif f.default is not _MISSING:
            scope[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
            value = f.name
        else:
            params.append(f.name)
            value = f.name
        lines.append(f"_set(self, {f.name!r}, {value})" if frozen else f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    {line}\n" for line in lines or ["pass"])
    exec(source, scope)  # noqa: S102 - code built from the class's own field names

    members: dict[str, Any] = {"__init__": scope["__init__"], "__record_fields__": fields}
    shown = tuple(f.name for f in fields if f.repr)
    compared = tuple(f.name for f in fields if f.compare)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in compared)

    members["__repr__"] = __repr__
    members["__eq__"] = __eq__
    if frozen:
        def __setattr__(self: Any, name: str, value: Any) -> None:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self: Any, name: str) -> None:
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        def __hash__(self: Any) -> int:
            return hash(tuple(getattr(self, n) for n in compared))

        members.update(__setattr__=__setattr__, __delattr__=__delattr__, __hash__=__hash__)
    else:
        members["__hash__"] = None  # mutable and compared by value, as with dataclasses
    if slots and "__reduce__" not in cls.__dict__:
        def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
            return (type(self), tuple(getattr(self, n) for n in names))

        members["__reduce__"] = __reduce__

    if slots:
        body = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
        taken = {s for base in cls.__mro__[1:] for s in getattr(base, "__slots__", ())}
        body["__slots__"] = tuple(n for n in names if n not in taken)
        for key, value in members.items():
            if key not in cls.__dict__ or key in ("__init__", "__record_fields__"):
                body[key] = value
        new = type(cls)(cls.__name__, cls.__bases__, body)
        new.__qualname__ = cls.__qualname__
        return new
    for name in names:  # class attributes holding field() markers would shadow nothing: drop them
        if isinstance(cls.__dict__.get(name), _Field):
            delattr(cls, name)
    for key, value in members.items():
        if key not in cls.__dict__ or key in ("__init__", "__record_fields__"):
            setattr(cls, key, value)
    return cls
