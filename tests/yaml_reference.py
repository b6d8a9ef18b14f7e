"""The reference the front matter loader is compared with: ruamel.yaml's round-trip loader
(YAML 1.2), turned into the same plain data, positions and duplicates.

This was blogtools' general YAML path before libyaml (``blogtools/yamlload.py``) replaced it;
tests/test_yamlload.py runs both on every fixture and on generated front matter, and every
difference must be one of the kinds it lists. Only the tests import it.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Mapping, Set
from typing import Any

from blogtools.yamlload import MAX_NODES, Loaded, Path, Span, YamlError

_constructor_class: Any = None


def load(text: str) -> Loaded:
    """Load any YAML with ruamel's round-trip loader (no Python objects built)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True
    yaml.Constructor = _recording_constructor()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. ReusedAnchorWarning on stderr
            data = yaml.load(text)
    except Exception as exc:  # ruamel raises many kinds; all mean "bad YAML"
        raise _yaml_error(exc, text) from None
    converter = _Converter(yaml.constructor)
    if _expanded_size(data, {}, set()) > MAX_NODES:
        raise YamlError(f"front matter expands to more than {MAX_NODES} nodes")
    plain = converter.convert(data, ())
    converter.duplicates.sort(key=lambda dup: (dup[1], dup[2]))
    return Loaded({} if plain is None else plain, converter.positions,
                  converter.duplicates)


def _recording_constructor() -> Any:
    """A RoundTripConstructor that remembers the nodes behind each collection."""
    global _constructor_class
    if _constructor_class is not None:
        return _constructor_class
    from ruamel.yaml.constructor import RoundTripConstructor

    class RecordingConstructor(RoundTripConstructor):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # id(collection) -> (collection, node, {key: key_node}, [(key, key_node)])
            self.mappings: dict[int, tuple[Any, Any, dict[Any, Any], list[Any]]] = {}
            self.sequences: dict[int, tuple[Any, Any]] = {}

        def construct_mapping(self, node: Any, maptyp: Any, deep: bool = False) -> Any:
            self.mappings[id(maptyp)] = (maptyp, node, {}, [])
            return super().construct_mapping(node, maptyp, deep=deep)

        def check_mapping_key(self, node: Any, key_node: Any, mapping: Any,
                              key: Any, value: Any) -> bool:
            unique = bool(super().check_mapping_key(node, key_node, mapping, key, value))
            record = self.mappings.get(id(mapping))
            if record is not None:
                if unique:
                    record[2][key] = key_node
                else:
                    record[3].append((key, key_node))
            return unique

        def construct_rt_sequence(self, node: Any, seqtyp: Any, deep: bool = False) -> Any:
            self.sequences[id(seqtyp)] = (seqtyp, node)
            return super().construct_rt_sequence(node, seqtyp, deep=deep)

    _constructor_class = RecordingConstructor
    return RecordingConstructor


def _expanded_size(obj: Any, memo: dict[int, int], active: set[int]) -> int:
    """Node count once aliases are expanded, computed on the shared object graph.

    Aliased collections are the same Python object, so memoising by identity
    keeps this linear in the document even for a "billion laughs".
    """
    if isinstance(obj, dict):
        children: Any = obj.values()
    elif isinstance(obj, list):
        children = list.__iter__(obj)
    else:
        return 1
    key = id(obj)
    if key in memo:
        return memo[key]
    if key in active:
        return 1  # a recursive alias; the converter refuses it
    active.add(key)
    total = 1 + sum(_expanded_size(child, memo, active) for child in children)
    active.discard(key)
    memo[key] = total
    return total


def _yaml_error(exc: Exception, text: str) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    message = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    message = (str(message).strip().splitlines() or [type(exc).__name__])[0]
    if mark is not None:
        return YamlError(message, mark.line, mark.column)
    position = getattr(exc, "position", None)
    if isinstance(position, int):  # ReaderError: offset in the text
        before = text[:position]
        return YamlError(message, before.count("\n"), position - before.rfind("\n") - 1)
    return YamlError(message)


def _node_end(node: Any) -> tuple[int, int]:
    """End of a node; for block collections the end of the last item's value."""
    seen: set[int] = set()
    while getattr(node, "flow_style", True) is False and node.value and id(node) not in seen:
        seen.add(id(node))  # recursive aliases make the node graph cyclic
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark.line, node.end_mark.column


class _Converter:
    """ruamel round-trip objects -> plain data, positions and duplicates."""

    def __init__(self, constructor: Any) -> None:
        self.mappings = constructor.mappings
        self.sequences = constructor.sequences
        self.positions: dict[Path, Span] = {}
        self.duplicates: list[tuple[Path, int, int]] = []
        self.count = 0
        self.active: set[int] = set()

    def tick(self) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(f"front matter expands to more than {MAX_NODES} nodes")

    def convert(self, obj: Any, path: Path) -> Any:
        self.tick()
        if isinstance(obj, dict):
            return self.enter(obj, path, self.convert_mapping)
        if isinstance(obj, (list, tuple)):
            return self.enter(obj, path, self.convert_sequence)
        if isinstance(obj, Set):  # !!set
            return {_plain_key(item) for item in obj}
        return _plain_scalar(obj)

    def enter(self, obj: Any, path: Path, method: Any) -> Any:
        if id(obj) in self.active:
            raise YamlError("front matter contains a recursive alias")
        self.active.add(id(obj))
        try:
            return method(obj, path)
        finally:
            self.active.discard(id(obj))

    def convert_mapping(self, obj: Any, path: Path) -> dict[Any, Any]:
        record = self.mappings.get(id(obj))
        value_nodes = {} if record is None else {id(k): v for k, v in record[1].value}
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            plain_key = _plain_key(key)
            out[plain_key] = self.convert(value, path + (plain_key,))
            if record is not None:
                self.mapping_span(obj, record, value_nodes, key, path + (plain_key,))
        if record is not None:
            for key, key_node in record[3]:
                mark = key_node.start_mark
                self.duplicates.append((path + (_plain_key(key),), mark.line, mark.column))
        return out

    def mapping_span(self, obj: Any, record: Any, value_nodes: dict[int, Any],
                     key: Any, path: Path) -> None:
        key_node = record[2].get(key)
        line_cols = getattr(getattr(obj, "lc", None), "data", None)
        line_col = line_cols.get(key) if isinstance(line_cols, dict) else None
        value_node = None if key_node is None else value_nodes.get(id(key_node))
        if line_col is None or value_node is None:
            return  # e.g. a key merged in with "<<"
        self.positions[path] = (*line_col[:4], *_node_end(value_node))

    def convert_sequence(self, obj: Any, path: Path) -> list[Any]:
        record = self.sequences.get(id(obj))
        line_cols = getattr(getattr(obj, "lc", None), "data", None)
        if record is None or not isinstance(line_cols, dict):
            line_cols = {}
        nodes = record[1].value if record is not None else []
        out = []
        items = list.__iter__(obj) if isinstance(obj, list) else iter(obj)
        for index, value in enumerate(items):
            out.append(self.convert(value, path + (index,)))
            line_col = line_cols.get(index)
            if line_col is not None and index < len(nodes):
                line, col = line_col[:2]
                self.positions[path + (index,)] = (line, col, line, col, *_node_end(nodes[index]))
        return out


def _plain_key(key: Any) -> Any:
    if isinstance(key, tuple):  # CommentedKeySeq
        return tuple(_plain_key(item) for item in key)
    if isinstance(key, Mapping):  # CommentedKeyMap, or ordereddict: a tuple of pairs, as blogtools
        return tuple((_plain_key(k), _plain_key(v)) for k, v in key.items())
    return _plain_scalar(key)


def _plain_scalar(obj: Any) -> Any:
    """Strip ruamel's scalar subclasses (ScalarInt, TimeStamp, ...)."""
    kind = type(obj)
    if kind in (str, int, float, bool, type(None), _dt.date):
        return obj
    if isinstance(obj, _dt.datetime):
        return _plain_datetime(obj)
    if isinstance(obj, _dt.date):
        return _dt.date(obj.year, obj.month, obj.day)
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, bool) or type(obj).__name__ == "ScalarBoolean":
        return bool(obj)
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return float(obj)
    if hasattr(obj, "value") and type(obj).__name__ == "TaggedScalar":
        return _plain_scalar(obj.value)
    return obj


def _plain_datetime(value: _dt.datetime) -> _dt.datetime:
    """A plain datetime carrying the offset as written (see module docstring)."""
    offset = value.utcoffset()
    extra = getattr(value, "_yaml", None)
    if offset is None and extra and extra.get("tz"):
        # older ruamel: naive UTC value, written offset kept in _yaml["delta"]
        offset = extra.get("delta") or _dt.timedelta(0)
        value = value + offset
    tzinfo = None if offset is None else _dt.timezone(offset)
    return _dt.datetime(value.year, value.month, value.day, value.hour,
                        value.minute, value.second, value.microsecond, tzinfo)
