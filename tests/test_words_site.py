"""Site-wide word and vocabulary rules (BT402 rare-spelling, BT403 vocabulary-near-duplicate)
on the example site and the words-* fixture sites, through the API and the command line."""

from __future__ import annotations

import json
import random
import shutil
import string
import time
from pathlib import Path


from blogtools import api, words
from blogtools.site import Site
from tests.conftest import EXAMPLE, FIXTURES, text_at

import rapidfuzz  # noqa: E402,F401  (a dependency of blogtools: never skipped)

DRIFT = FIXTURES / "sites" / "words-drift"
PRECISION = FIXTURES / "sites" / "words-precision"


def findings(site: Path, select: list[str], settings: dict | None = None) -> list[tuple[str, int, int, str, str, str]]:
    """(file, line, column, code, text at the position, fix) for every diagnostic."""
    out = []
    for d in api.lint_paths([str(site)], select=select, settings=settings):
        text = Path(d.path).read_text(encoding="utf-8")
        at = text_at(text, d.line, d.column, d.end_line, d.end_column)
        fix = ""
        if d.fix:
            (edit,) = d.fix.edits
            assert text[edit.start : edit.end] == at  # the fix replaces exactly the reported text
            assert not d.fix.safe
            fix = edit.content
        out.append((Path(d.path).name if Path(d.path).name != "index.md" else Path(d.path).parent.name,
                    d.line, d.column, d.code, at, fix))
    return sorted(out)


SAME_URL = {"vocabulary.same-url": True}  # report the variants Hugo merges into one term page too


def test_same_url_variants_are_opt_in_on_hugo() -> None:
    """On a Hugo site "Mlct"/"mlct" and "open source"/"open-source" are one term page:
    nothing is split, so by default they are not reported; "Machine Learning" (term page
    machine-learning) and "machinelearning" are two pages, and the misspellings stay."""
    assert findings(EXAMPLE, ["BT402", "BT403"]) == sorted([
        ("2022-02-22", 13, 10, "BT402", "Learing", "Learning"),
        ("k8s-gpu-node-memo.md", 6, 5, "BT403", "kubenetes", "kubernetes"),
        ("2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct", 11, 4, "BT403",
         "Machine Learning", "machinelearning"),
    ])


def test_example_site_typo_link_and_tag_drift() -> None:
    assert findings(EXAMPLE, ["BT402", "BT403"], SAME_URL) == sorted([
        ("2022-02-22", 13, 10, "BT402", "Learing", "Learning"),
        ("k8s-gpu-node-memo.md", 6, 5, "BT403", "kubenetes", "kubernetes"),
        ("2021-04-18", 8, 5, "BT403", "open source", "open-source"),
        ("2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct", 11, 4, "BT403",
         "Machine Learning", "machinelearning"),
        ("2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct", 12, 4, "BT403", "Mlct", "mlct"),
        ("2018-07-15_machine-learning-casual-talks-sharp5-を開催しました-sharpmlct", 15, 4, "BT403", "Event", "event"),
    ])


def test_example_site_messages_say_why() -> None:
    diags = {d.code: d for d in api.lint_paths([str(EXAMPLE)], select=["BT402", "BT403"]) if d.line in (13, 6)}
    assert diags["BT402"].message.startswith('"Learing" looks like a misspelling of "Learning": "learing" is on 1 page')
    assert '"Machine Learning" is written elsewhere' in diags["BT402"].message
    assert diags["BT403"].message == ('tag "kubenetes" looks like a misspelling of "kubernetes": '
                                      '"kubernetes" is on 3 pages, "kubenetes" on 1 page (a known misspelling)')


def test_drift_site() -> None:
    assert findings(DRIFT, ["BT402", "BT403"], SAME_URL) == sorted([
        # the seed-001 situation: MLCT x3, the name, the name - connpass, and the typo for one URL
        ("2022-restart.md", 10, 10, "BT402", "Learing", "Learning"),
        # beside kana, after an emoji: the column counts code points
        ("2023-monitoring.md", 11, 32, "BT402", "Learing", "Learning"),
        # a heading; the phrase "Prometheus Operator" is written elsewhere
        ("2023-monitoring.md", 9, 15, "BT402", "Opertor", "Operator"),
        # only another link to the same (normalised) URL confirms it
        ("2023-ci-2.md", 10, 26, "BT402", "Pipelnes", "Pipelines"),
        ("2022-restart.md", 6, 5, "BT403", "Kubernets", "kubernetes"),
        ("2022-restart.md", 7, 5, "BT403", "ﾃｽﾄ", "テスト"),
        ("2023-ci-2.md", 6, 5, "BT403", "open_source", "open-source"),
        ("2023-ci-2.md", 7, 5, "BT403", "ＡＷＳ", "aws"),
        ("2023-coreml-2.md", 5, 5, "BT403", "iPhone", "iphone"),
        ("2023-monitoring.md", 5, 5, "BT403", "reviedog", "reviewdog"),
    ])


def test_same_target_evidence_is_named() -> None:
    (d,) = [d for d in api.lint_paths([str(DRIFT)], select=["BT402"]) if "Pipelnes" in d.message]
    assert d.message.endswith('another link to kubeflow.org/docs/components/pipelines reads "Kubeflow Pipelines"')


def test_precision_site_has_no_findings() -> None:
    assert findings(PRECISION, ["BT401", "BT402", "BT403", "BT5"]) == []


def test_precision_site_candidates_exist_but_lack_context() -> None:
    """The quiet result is not for lack of candidates: the context rejects them."""
    from blogtools.lint.runner import Runner, discover
    from blogtools.config import Config
    from blogtools.site import load_site

    config = Config(root=str(PRECISION))
    runner = Runner(config, [], load_site(str(PRECISION)), jobs=1, use_cache=False)
    pages = [r.facts for r in runner.lint_files(discover([str(PRECISION)], config).files)]
    counts = words.word_counts(pages)
    suspects = {(s.rare, s.common) for s in words.word_suspects(counts, counts)}
    assert suspects == {("causal", "casual"), ("leaning", "learning"), ("modals", "models")}


def test_options_narrow_and_widen(tmp_path: Path) -> None:
    assert findings(DRIFT, ["BT402"], {"words.ignore": ["learing", "Pipelnes"]}) == [
        ("2023-monitoring.md", 9, 15, "BT402", "Opertor", "Operator")]
    assert findings(DRIFT, ["BT402"], {"words.scope": ["link-text"]}) == sorted([
        ("2022-restart.md", 10, 10, "BT402", "Learing", "Learning"),
        ("2023-monitoring.md", 11, 32, "BT402", "Learing", "Learning"),
        ("2023-ci-2.md", 10, 26, "BT402", "Pipelnes", "Pipelines")])
    assert [f[4] for f in findings(DRIFT, ["BT403"], {"vocabulary.ignore": ["kubenetes", "Kubernets", "iphone"]})] \
        == ["ﾃｽﾄ", "open_source", "ＡＷＳ", "reviedog"]
    assert findings(DRIFT, ["BT403"], {"vocabulary.keys": ["categories"]}) == []


def test_jekyll_space_separated_tags(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    posts = tmp_path / "_posts"
    posts.mkdir()
    for i in range(3):
        (posts / f"2020-01-0{i + 1}-a.md").write_text(f"---\ntags: kubernetes mlops\n---\n本文 {i}\n", encoding="utf-8")
    (posts / "2020-01-09-b.md").write_text("---\ntag: kubenetes Mlops\n---\n本文\n", encoding="utf-8")
    assert findings(tmp_path, ["BT403"]) == [("2020-01-09-b.md", 2, 6, "BT403", "kubenetes", "kubernetes"),
                                             ("2020-01-09-b.md", 2, 16, "BT403", "Mlops", "mlops")]


def test_jekyll_compares_posts_terms_only_and_added_words_are_other_names(tmp_path: Path) -> None:
    """site.tags holds posts only: a collection document's "Tensorflow" splits no list, and
    the posts' own counts decide. "AlphaGoZero" adds a word to "AlphaZero" (another program),
    "Deep Q-Learning" to "deep learning": no misspellings."""
    (tmp_path / "_config.yml").write_text("title: x\ncollections:\n  books:\n    output: true\n", encoding="utf-8")
    posts, books = tmp_path / "_posts", tmp_path / "_books"
    posts.mkdir()
    books.mkdir()
    for i in range(3):
        (posts / f"2020-01-0{i + 1}-a.md").write_text(
            f"---\ntags: [TensorFlow, AlphaZero, deep learning]\n---\n本文 {i}\n", encoding="utf-8")
    (posts / "2020-02-01-b.md").write_text("---\ntags: [Tensorflow, AlphaGoZero, Deep Q-Learning]\n---\n本文\n",
                                           encoding="utf-8")
    for i in range(5):
        (books / f"ch{i}.md").write_text("---\ntitle: c\ntags: [Tensorflow, tensorflow]\n---\n本文\n", encoding="utf-8")
    assert findings(tmp_path, ["BT403"]) == [("2020-02-01-b.md", 2, 8, "BT403", "Tensorflow", "TensorFlow")]


def test_cli_json_and_unsafe_fix(tmp_path: Path, cli) -> None:
    site = tmp_path / "site"
    shutil.copytree(DRIFT, site)
    (site / "blogtools.toml").write_text("[vocabulary]\nsame-url = true\n", encoding="utf-8")
    result = cli("lint", str(site), "--select", "BT402,BT403", "--output-format", "json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    items = data if isinstance(data, list) else data.get("diagnostics", data)
    assert len(items) == 10
    # The command line extracts only the facts BT402/BT403 list (Rule.reads_facts): this
    # finding's evidence is another link's text, from the link labels of the "words" facts.
    assert any("Pipelnes" in d["message"] and "another link to" in d["message"] for d in items)
    for d in items:
        text = Path(d["path"]).read_text(encoding="utf-8") if Path(d["path"]).is_absolute() else \
            (tmp_path / d["path"]).read_text(encoding="utf-8")
        assert text_at(text, d["line"], d["column"], d["end_line"], d["end_column"])
    result = cli("lint", str(site), "--select", "BT402,BT403", "--fix", "--unsafe-fixes")
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = (site / "content/posts/2022-restart.md").read_text(encoding="utf-8")
    assert "[Machine Learning Casual Talks](https://mlct.connpass.com/)" in fixed
    assert "  - kubernetes\n  - テスト\n" in fixed
    assert "`Learing`" in fixed  # code is never touched


def test_without_rapidfuzz_the_fuzzy_parts_are_skipped_with_a_note(tmp_path: Path, cli) -> None:
    block = tmp_path / "block"
    (block / "rapidfuzz").mkdir(parents=True)
    (block / "rapidfuzz" / "__init__.py").write_text("raise ImportError('blocked for this test')\n")
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    (site / "blogtools.toml").write_text("[vocabulary]\nsame-url = true\n", encoding="utf-8")
    result = cli("lint", str(site), "--select", "BT402,BT403", "--no-cache",
                 env={"PYTHONPATH": str(block), "BLOGTOOLS_CACHE_DIR": str(tmp_path / "c")})
    assert result.returncode == 1, result.stderr
    assert "BT402 rare-spelling skipped: install rapidfuzz" in result.stderr
    assert "BT403 vocabulary-near-duplicate: spelling comparison skipped" in result.stderr
    assert result.stderr.count("rapidfuzz") == 2
    assert "open source" in result.stdout and "kubenetes" not in result.stdout and "BT402" not in result.stdout


def _synthetic_site(n: int) -> Site:
    """Facts of ``n`` pages: 8,000 words, 400 tags, a misspelt label word or tag now and then."""
    rng = random.Random(5)
    vocab = sorted({"".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 11)))
                    for _ in range(8000)})
    common = [w for w in vocab if len(w) >= 7][:150]
    tags = vocab[:400]
    pages = []
    for i in range(n):
        ws = set(rng.sample(vocab, 40))
        label = sorted(rng.sample(sorted(ws), 8))
        bigrams = set()
        w = common[i % len(common)]
        if i % 97 == 0:  # "lead misspelt" in a heading; "lead correct" written on other pages
            w = common[i // 97]
            typo = w[:3] + w[4:]
            label += ["lead", typo]
            ws |= {"lead", typo}
        else:
            ws.add(w)
            bigrams.add(f"lead_{w}")
        page_tags = rng.sample(tags, 4)
        if i % 89 == 0:
            t = page_tags[0]
            page_tags[0] = t[:1] + t[2:] if len(t) > 5 else t.upper()
        terms = "\x1e".join(f"tags\x1f{t}\x1f{k}\x1f{10 + k * 10}\x1f{10 + k * 10 + len(t)}\x1f{3 + k}\x1f5"
                            f"\x1f{3 + k}\x1f{5 + len(t)}" for k, t in enumerate(page_tags))
        pages.append({"path": f"p{i}.md", "links": [], "words": {
            "v": words.FACTS_VERSION, "w": " ".join(sorted(ws)), "c": "", "lw": " ".join(sorted(label)),
            "bg": " ".join(sorted(bigrams)), "labels": "h\x1f100\x1f9\x1f4\x1f\x1f" + " ".join(label),
            "terms": terms}})
    return Site("/synthetic", "hugo", None, {}, pages)


def test_site_rules_scale_near_linearly() -> None:
    """10,000 pages of facts: both rules together well under the budget of a warm run."""
    from blogtools.lint.registry import all_rules

    site = _synthetic_site(10000)
    rules = [all_rules()[c]({}) for c in ("BT402", "BT403")]
    start = time.perf_counter()
    found = [d for r in rules for d in r.check_site(site)]
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, elapsed  # ~0.1 s on an idle laptop; generous for loaded CI machines
    assert {d.code for d in found} == {"BT402", "BT403"}
    assert sum(d.code == "BT402" for d in found) == len(range(0, 10000, 97))
