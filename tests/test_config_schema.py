"""The JSON schema of blogtools.toml is generated from the definitions that validate the
config, shipped in the package, and agrees with the validator on real configs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from blogtools import _toml
from blogtools.config import CORE_KEYS, ConfigError, json_schema, load, option_keys
from tests.conftest import ROOT, require_module, run_cli

SHIPPED = ROOT / "blogtools" / "data" / "blogtools.schema.json"


def _validator():
    require_module("jsonschema", "pip install jsonschema (in the test extra)")
    import jsonschema

    return jsonschema.Draft202012Validator(json_schema())


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == json_schema(), \
        "blogtools/data/blogtools.schema.json is stale: run python tools/update_readme.py"
    r = run_cli("schema", cwd=ROOT)
    assert json.loads(r.stdout) == json_schema()


def test_every_key_the_validator_knows_is_in_the_schema() -> None:
    schema = json_schema()
    assert set(CORE_KEYS) <= set(schema["properties"])
    for key in option_keys():
        node = schema
        for part in key.split("."):
            node = node["properties"][part]
        assert node, key


def _readme_configs() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(r"```toml\n(.*?)```", text, re.S) if "blogtools.toml" in m.group(1)]


def _fixture_configs() -> list[Path]:
    return sorted(p for p in (ROOT / "fixtures").rglob("blogtools.toml"))


@pytest.mark.parametrize("source", ["readme"] + [str(p.relative_to(ROOT)) for p in _fixture_configs()])
def test_example_configs_validate_with_both(source: str, tmp_path: Path) -> None:
    texts = _readme_configs() if source == "readme" else [(ROOT / source).read_text(encoding="utf-8")]
    assert texts
    validator = _validator()
    for text in texts:
        data = _toml.tomllib().loads(text)
        assert not list(validator.iter_errors(data)), text
        (tmp_path / "blogtools.toml").write_text(text, encoding="utf-8")
        load(str(tmp_path))  # the validator accepts it too


@pytest.mark.parametrize("bad", ['generator = "gatsby"\n', "jobs = -1\n", "[links]\nchek-anchors = true\n",
                                 'select = "BT2"\n', "[links]\ntimeout = \"slow\"\n"])
def test_bad_configs_are_refused_by_both(bad: str, tmp_path: Path) -> None:
    data = _toml.tomllib().loads(bad)
    assert list(_validator().iter_errors(data)), bad
    (tmp_path / "blogtools.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError):
        load(str(tmp_path))
