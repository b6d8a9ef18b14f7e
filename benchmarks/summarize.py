#!/usr/bin/env python3
"""Tables for ACCURACY.md and the rules' measured precision, from accuracy.py's JSON files.

    python benchmarks/summarize.py RESULTS.json... [--commit REV] [--precision rules/data/precision.toml]

Prints the per-corpus table and the per-rule table (default rules, all corpora together) in
the format of ``benchmarks/ACCURACY.md``. With ``--precision``, rewrites that file's summary
of every default rule from these runs (an opt-in rule keeps its entry: it was not part of the
measured run).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUILD = ("BT202", "BT206", "BT301", "BT302", "BT303")


def pct(n: int, d: int) -> str:
    return f"{round(100 * n / d)}%" if d else "–"


def corpus_row(d: dict) -> str:
    run = d["runs"]["default rules"]
    rules = run["rules"]
    rc = run["recall"]

    def tpfp(*codes: str) -> str:
        got = [rules[c] for c in codes if c in rules]
        return f"{sum(r['tp'] for r in got)}/{sum(r['fp'] for r in got)}" if got else "–"

    other = [r for c, r in rules.items() if c not in BUILD]
    tp, fp = sum(r["tp"] for r in other), sum(r["fp"] for r in other)
    judged = f"{tp}/{fp} ({pct(tp, tp + fp)})" if tp + fp else "–"
    recall = pct(rc["found"], rc["broken_in_build"]) if rc["broken_in_build"] else "–"
    return (f"| {d['corpus']} | {run['total']} | {tpfp('BT202')} | {tpfp('BT301')} | {rc['broken_in_build']} | "
            f"{rc['found']} | {recall} | {judged} |")


def rule_totals(results: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for d in results:
        for code, r in d["runs"]["default rules"]["rules"].items():
            t = out.setdefault(code, {"code": code, "name": r.get("name", ""), "findings": 0, "tp": 0, "fp": 0,
                                      "unjudged": 0})
            t["findings"] += r["findings"] if "findings" in r else r["tp"] + r["fp"] + r["unjudged"]
            t["tp"] += r["tp"]
            t["fp"] += r["fp"]
            t["unjudged"] += r["unjudged"]
    return dict(sorted(out.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", nargs="+")
    ap.add_argument("--commit", default="")
    ap.add_argument("--precision", help="rewrite this precision.toml's default rules from the runs")
    args = ap.parse_args(argv)
    results = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.results]
    commit = args.commit or results[0].get("blogtools_commit", "")
    print("| corpus | findings | BT202 TP/FP | BT301 TP/FP | broken in build | found | recall | "
          "other rules, judged TP/FP (precision) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for d in results:
        print(corpus_row(d))
    totals = rule_totals(results)
    print()
    print("| rule | name | findings | TP | FP | unjudged | precision |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for code, t in totals.items():
        shown = f"{code} (build)" if code in BUILD else code
        print(f"| {shown} | {t['name']} | {t['findings']} | {t['tp']} | {t['fp']} | {t['unjudged']} | "
              f"{pct(t['tp'], t['tp'] + t['fp'])} |")
    if args.precision:
        write_precision(Path(args.precision), totals, commit, len(results))
    return 0


def write_precision(path: Path, totals: dict[str, dict], commit: str, blogs: int) -> None:
    import tomllib

    from blogtools.lint.registry import all_rules

    old = tomllib.loads(path.read_text(encoding="utf-8"))
    head = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    head = [h if not h.startswith("# Written from") else
            f"# Written from the run at {commit} (benchmarks/ACCURACY.md, section \"After (round 3)\")." for h in head]
    lines = head + [""]
    for code, rule in sorted(all_rules().items()):
        if not rule.default_enabled:
            summary = (old.get(code) or {}).get("summary") or "Opt-in: not part of the default run that was measured."
        elif code in totals:
            t = totals[code]
            judged = t["tp"] + t["fp"]
            against = "against their real builds" if code in BUILD else "in the judged sample"
            if judged:
                summary = (f"{t['tp']} of {judged} judged findings right ({pct(t['tp'], judged)}) {against}, on "
                           f"{blogs} real blogs at {commit} ({t['findings']} findings, {t['unjudged']} not judged).")
            else:
                summary = f"{t['findings']} findings on {blogs} real blogs at {commit}, none judged yet."
        else:
            summary = f"No finding on the {blogs} development blogs at {commit}: not measured."
        lines += [f"[{code}]", f"summary = {json.dumps(summary, ensure_ascii=False)}", ""]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
