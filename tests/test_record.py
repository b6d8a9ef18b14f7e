"""blogtools.record: the subset of dataclasses blogtools relies on, behaving the same way."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from blogtools.record import FrozenInstanceError, dataclass, field


@dataclass(slots=True)
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    n: int = 1


@dataclass(frozen=True)
class Loose:
    name: str


@dataclass
class Counted:
    items: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def __post_init__(self) -> None:
        self.total = sum(self.items.values())


def test_init_defaults_and_factories_are_fresh() -> None:
    a, b = Point(1), Point(2, 3)
    assert (a.x, a.y, a.tags, b.y) == (1, 0, [], 3)
    a.tags.append("t")
    assert Point(5).tags == []  # a new list per instance
    with pytest.raises(TypeError):
        Point()  # x is required
    assert Point(x=4, note="n").note == "n"


def test_repr_and_eq_respect_field_options() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=[])"
    assert Point(1, note="a") == Point(1, note="b")  # note is not compared
    assert Point(1) != Point(2)
    assert Point(1) != (1, 0, [])
    with pytest.raises(TypeError):
        hash(Point(1))  # mutable records are unhashable, as with dataclasses


def test_frozen_records_refuse_assignment_and_hash_by_value() -> None:
    k = Key("a")
    with pytest.raises(FrozenInstanceError):
        k.name = "b"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        Loose("x").name = "y"  # type: ignore[misc]
    assert hash(Key("a", 2)) == hash(Key("a", 2))
    assert {Key("a"), Key("a"), Key("b")} == {Key("a"), Key("b")}


def test_slots_have_no_instance_dict() -> None:
    assert not hasattr(Point(1), "__dict__")
    with pytest.raises(AttributeError):
        Point(1).other = 1  # type: ignore[attr-defined]


def test_post_init_runs() -> None:
    assert Counted({"a": 2, "b": 3}).total == 5


@pytest.mark.parametrize("value", [Point(1, 2, ["t"], "n"), Key("k", 3), Loose("l"), Counted({"a": 1})])
def test_records_survive_pickling(value: object) -> None:
    back = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == value and type(back) is type(value)


def test_the_lint_path_does_not_import_dataclasses_or_inspect() -> None:
    # The reason this module exists: both cost start-up time on every pre-commit run.
    code = ("import sys; import blogtools.lint.runner, blogtools.lint.registry as r; r.all_rules(); "
            "print(sorted(m for m in ('dataclasses', 'inspect') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
