"""Front matter rules (BT101-BT110) beyond the case files: site-wide format policy, the CLI's
--fix round trip, generator and config dependent behaviour, odd data, idempotent fixes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtools import api, fmedit, frontmatter
from blogtools.lint.registry import all_rules
from blogtools.site import Site
from tests.conftest import EXAMPLE, FIXTURES, ROOT

SITES = FIXTURES / "sites" / "front-matter"
MINE = [r for code, r in all_rules().items() if code.startswith("BT1")]
MLOPS = "content/posts/mlops-study-talk.md"


def _copy(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(SITES / name, tmp_path / name))


def _data(text: str) -> dict:
    return frontmatter.parse(text).data


def test_every_rule_is_documented_and_in_range() -> None:
    assert len(MINE) >= 10
    for rule in MINE:
        assert not rule.missing_doc_sections(), rule.code
        assert "Use instead" in rule.doc() and rule.summary and rule.name.startswith("front-matter-")


def test_rule_command_prints_the_doc(cli) -> None:
    r = cli("rule", "BT101")
    assert r.returncode == 0 and "front-matter-format" in r.stdout and "Fix safety" in r.stdout


# --------------------------------------------------------------------------- BT101 site-wide
def test_the_minority_format_is_reported_at_its_fence() -> None:
    diags = api.lint_paths([str(SITES / "mixed-hugo")], select=["BT101"])
    assert [(Path(d.path).name, d.line, d.column, d.end_column) for d in diags] == [("mlops-study-talk.md", 1, 1, 4)]
    assert "3 of 4 posts use YAML" in diags[0].message
    assert diags[0].fix is not None and not diags[0].fix.safe
    assert diags[0].fix.edits[0].content.startswith("---\nauthor: \"Aya Nishimura\"\n")


def test_a_tie_goes_to_yaml_and_any_turns_the_policy_off() -> None:
    diags = api.lint_paths([str(SITES / "tie")], select=["BT101"])
    assert [Path(d.path).name for d in diags] == ["toml-post.md"]
    assert api.lint_paths([str(SITES / "tie")], select=["BT101"], settings={"front-matter.format": "any"}) == []
    forced = api.lint_paths([str(SITES / "tie")], select=["BT101"], settings={"front-matter.format": "toml"})
    assert [Path(d.path).name for d in forced] == ["yaml-post.md"]


def test_jekyll_reads_only_yaml() -> None:
    diags = api.lint_paths([str(SITES / "jekyll")], select=["BT101"])
    assert [(Path(d.path).name, d.severity) for d in diags] == [("2016-06-13-toml-by-mistake.md", "error")]


def test_cli_converts_the_toml_post_and_back(cli, tmp_path: Path) -> None:
    site = _copy(tmp_path, "mixed-hugo")
    posts = sorted(site.rglob("*.md"))
    before = {p: p.read_bytes() for p in posts}
    r = cli("lint", ".", "--select", "BT101", "--fix", "--unsafe-fixes", cwd=site)
    assert r.returncode == 0, r.stdout + r.stderr
    mlops = site / MLOPS
    converted = mlops.read_text(encoding="utf-8")
    assert converted.startswith("---\n") and "share: true\n" in converted
    assert fmedit.same_data(_data(converted), _data(before[mlops].decode()))
    assert converted.endswith(before[mlops].decode().split("+++\n", 2)[2])  # the body is untouched
    assert all(p.read_bytes() == before[p] for p in posts if p != mlops)
    again = cli("lint", ".", "--select", "BT101", "--fix", "--unsafe-fixes", cwd=site)
    assert again.returncode == 0 and mlops.read_text(encoding="utf-8") == converted
    (site / "blogtools.toml").write_text('[front-matter]\nformat = "toml"\n', encoding="utf-8")
    back = cli("lint", ".", "--select", "BT101", "--fix", "--unsafe-fixes", cwd=site)
    assert back.returncode == 0, back.stdout + back.stderr
    assert mlops.read_bytes() == before[mlops]  # TOML → YAML → TOML gives the original text
    for p in posts:
        assert p.read_text(encoding="utf-8").startswith("+++\n")
        assert fmedit.same_data(_data(p.read_text(encoding="utf-8")), _data(before[p].decode()))


def test_without_unsafe_fixes_nothing_is_converted(cli, tmp_path: Path) -> None:
    site = _copy(tmp_path, "mixed-hugo")
    before = (site / MLOPS).read_bytes()
    r = cli("lint", ".", "--select", "BT101", "--fix", cwd=site)
    assert r.returncode == 1 and "BT101" in r.stdout
    assert (site / MLOPS).read_bytes() == before


def test_clean_posts_are_byte_identical_after_fix(cli, tmp_path: Path) -> None:
    site = _copy(tmp_path, "mixed-hugo")
    clean = [site / "content/posts/2020-06-13/index.md", site / "content/posts/2021-01-10/index.md"]
    before = [p.read_bytes() for p in clean]
    first = cli("lint", ".", "--select", "BT1", "--fix", "--unsafe-fixes", cwd=site)
    assert "Traceback" not in first.stderr
    assert [p.read_bytes() for p in clean] == before
    snapshot = {p: p.read_bytes() for p in site.rglob("*.md")}
    cli("lint", ".", "--select", "BT1", "--fix", "--unsafe-fixes", cwd=site)
    assert {p: p.read_bytes() for p in site.rglob("*.md")} == snapshot  # a second --fix changes nothing


# --------------------------------------------------------------------------- site config
def test_timezone_fills_the_offset_unsafely(cli, tmp_path: Path) -> None:
    site = _copy(tmp_path, "mixed-hugo")
    memo = site / "content/posts/k8s-gpu-node-memo.md"
    cli("lint", ".", "--select", "BT106", "--fix", cwd=site)
    assert "lastmod: 2021-08-04T00:30:00\n" in memo.read_text(encoding="utf-8")
    cli("lint", ".", "--select", "BT106", "--fix", "--unsafe-fixes", cwd=site)
    text = memo.read_text(encoding="utf-8")
    assert "lastmod: 2021-08-04T00:30:00+09:00\n" in text and "date: 2021-08-03\n" in text


def test_taxonomies_come_from_the_hugo_config() -> None:
    diags = api.lint_paths([str(SITES / "mixed-hugo")], select=["BT108"])
    assert [(Path(d.path).name, d.line) for d in diags] == [("k8s-gpu-node-memo.md", 6)]
    assert "'series'" in diags[0].message


def test_declared_keys_from_config(cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.blogtools.front-matter.keys]\nshare = \"bool\"\ncover.image = \"path\"\n", encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text('---\ntitle: "x"\nshare: "false"\ncover:\n  image: https://cdn.example.com/a.png\n---\n',
                    encoding="utf-8")
    r = cli("lint", "post.md", "--select", "BT102", "--generator", "hugo", cwd=tmp_path)
    assert "post.md:3:8: BT102 [~] 'share' should be true or false" in r.stdout  # [~]: an unsafe fix
    assert "post.md:5:10: BT102 'cover.image' should be a path" in r.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.blogtools.front-matter.keys]\nshare = "boolean"\n',
                                             encoding="utf-8")
    bad = cli("lint", "post.md", cwd=tmp_path)
    assert bad.returncode == 2 and "front-matter.keys" in bad.stderr and "'share'" in bad.stderr


def test_tag_and_date_policy_from_blogtools_toml(cli, tmp_path: Path) -> None:
    (tmp_path / "blogtools.toml").write_text(
        '[tags]\ncase = "lower"\n[tags.aliases]\n"Machine Learning" = "machinelearning"\n'
        '[dates]\nstyle = "jekyll"\n', encoding="utf-8")
    post = tmp_path / "post.md"
    post.write_text('---\ntitle: "x"\ndate: 2018-07-15T09:31:28+09:00\ntags: ["Machine Learning ", "MLCT"]\n---\n',
                    encoding="utf-8")
    r = cli("lint", "post.md", "--select", "BT106,BT108", "--fix", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert post.read_text(encoding="utf-8") == (
        '---\ntitle: "x"\ndate: 2018-07-15 09:31:28 +0900\ntags: ["machinelearning", "mlct"]\n---\n')


def test_unknown_option_values_are_config_errors(cli, tmp_path: Path) -> None:
    (tmp_path / "blogtools.toml").write_text('[front-matter]\nformat = "xml"\n', encoding="utf-8")
    (tmp_path / "post.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    r = cli("lint", "post.md", cwd=tmp_path)
    assert r.returncode == 2 and "front-matter.format" in r.stderr


# --------------------------------------------------------------------------- odd data
ODD = [
    "---\ntags: 5\ndate: [2020]\ntitle: 3\ndraft: {a: 1}\ncategories: {x: y}\n---\n",
    "---\ntitle: [unclosed\n---\n",
    "---\n- just\n- a list\n---\n",
    "---\n---\n",
    "---\n1: a\n2020-01-01: b\ntrue: c\n---\n",
    "---\ntags:\n  - {a: 1}\n  - [x]\n  -\n  - null\naliases: [3, {}]\n---\n",
    "---\ndate: \"\"\nlastmod: null\nexpiryDate: \"soon\"\nupdated: 9999-12-31T23:59:59\n---\n",
    "+++\ntags = \"a, b\"\n[[resources]]\nsrc = 1\n+++\n",
    '{"title": null, "tags": "x", "date": 5}\n',
    '{"title": "x",\n "date": }\n',
    "no front matter at all\n",
    "",
    "\ufeff---\r\ntitle: \" x \"\r\ntags: [\"a \", \"a\"]\r\n---\r\n",
]


@pytest.mark.parametrize("schema", ["hugo", "jekyll", "zola", "plain", "none"])
@pytest.mark.parametrize("text", ODD)
def test_odd_data_never_crashes(text: str, schema: str) -> None:
    options = {"front-matter.schema": schema, "front-matter.unknown-keys": True, "front-matter.format": "toml"}
    diags = api.lint_text(text, "content/posts/2020-01-01/index.md", [r.code for r in MINE], options)
    assert not [d for d in diags if "internal error" in d.message], diags
    fixed = api.fix_text(text, "post.md", [r.code for r in MINE], True, options)
    assert api.fix_text(fixed, "post.md", [r.code for r in MINE], True, options) == fixed


# --------------------------------------------------------------------------- properties
MESSY = {
    "title": st.sampled_from(["勉強会を開催しました", " 前後に空白　", "", "   "]),
    "Title": st.just("はてなのタイトル"),
    "date": st.sampled_from(["2019-10-29 10:00:00 +0900", "2018-07-15T09:31:28.466Z", "2019/10/29", "未定",
                             "2021-08-03"]),
    "lastmod": st.sampled_from(["2016-06-13", "2021-01-10T21:05:00"]),
    "tags": st.one_of(st.sampled_from(["ml kubernetes", "mlops, k8s", "POEM"]),
                      st.lists(st.sampled_from(["Machine Learning ", "mlct", "Mlct", "", " 勉強会", "POEM",
                                                "mlct "]), max_size=5)),
    "Tags": st.lists(st.just("x"), max_size=1),
    "tag": st.just("single"),
    "category": st.just("blog"),
    "categories": st.lists(st.sampled_from(["tech", "Tech", " "]), max_size=3),
    "description": st.sampled_from(["", " 説明 ", "説明"]),
    "draft": st.sampled_from(["false", "true", False]),
    "weight": st.sampled_from(["3", 3]),
    "aliases": st.sampled_from(["/old-slug-e0f55bd85083", ["/a/", "https://old.example.jp/x"]]),
    "images": st.just([]),
    "redirect_from": st.just(["/2016/06/13/x.html"]),
}
FRONT = st.dictionaries(st.sampled_from(sorted(MESSY)), st.none(), max_size=8).flatmap(
    lambda keys: st.fixed_dictionaries({k: MESSY[k] for k in keys}))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONT, st.sampled_from(["yaml", "toml", "json"]), st.sampled_from(["auto", "yaml", "toml"]),
       st.sampled_from(["hugo", "jekyll"]), st.booleans())
def test_fixes_are_idempotent(data: dict, fmt: str, target: str, schema: str, unsafe: bool) -> None:
    text = fmedit.render_block(data, fmt) + "\n本文です。\n"
    options = {"front-matter.schema": schema, "front-matter.format": target, "tags.case": "lower",
               "tags.aliases": {"Machine Learning": "machinelearning"}}
    codes = [r.code for r in MINE]
    fixed = api.fix_text(text, "content/posts/2019-10-29/index.md", codes, unsafe, options)
    assert fixed.endswith("\n本文です。\n")
    again = api.lint_text(fixed, "content/posts/2019-10-29/index.md", codes, options)
    assert not [d for d in again if d.fix and (d.fix.safe or unsafe)], (fixed, again)
    assert api.fix_text(fixed, "content/posts/2019-10-29/index.md", codes, unsafe, options) == fixed
    assert frontmatter.parse(fixed).error is None


# --------------------------------------------------------------------------- cost
def test_check_is_cheap_on_the_example_site() -> None:
    from blogtools.document import Document
    from blogtools.lint.runner import lint_document

    site = Site(str(EXAMPLE), "hugo", config={"timeZone": "Asia/Tokyo"})
    rules = [cls({}) for cls in MINE]
    paths = sorted((EXAMPLE / "content").rglob("*.md"))
    docs = [Document.read(str(p)) for p in paths]
    for doc in docs:  # parse once, as the runner does before the rules run
        doc.front_matter
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            lint_document(doc, rules, site)
    per_file = (time.perf_counter() - start) / (rounds * len(docs))
    assert per_file < 0.002, f"{per_file * 1e6:.0f} µs per file"


def test_no_round_trip_library_is_imported_to_lint() -> None:
    code = (
        "import sys\n"
        "from blogtools import api\n"
        f"diags = api.lint_paths([{str(EXAMPLE)!r}], select=['BT1'])\n"
        "print(sorted(m for m in ('tomlkit', 'ruamel.yaml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "tomlkit" not in out.stdout


def test_a_tab_at_the_end_of_a_line_is_a_blank_as_hugo_and_jekyll_read_it() -> None:
    # Hugo's Go YAML and Jekyll's libyaml build such a post; ruamel alone refuses it.
    text = "---\nauthors:\n- mika\t\t\ntags: [文章設計]\t\n---\n本文\n"
    fm = frontmatter.parse(text)
    assert fm.error is None and fm.data == {"authors": ["mika"], "tags": ["文章設計"]}
    span = fm.span("authors", 0)
    assert text[span.value_start : span.value_end] == "mika"  # offsets are the file's
    assert frontmatter.parse("---\ntags:\n\t- mika\n---\n").error is not None  # a tab as indentation is not
