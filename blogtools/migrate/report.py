"""``DIR/MIGRATION.md`` and its JSON twin ``DIR/migration.json``: per post what was
converted, what was kept raw, every warning, old URL → new URL; totals at the end.

Both are deterministic (no clock, no absolute paths) so a re-run that changes nothing
writes the same report.
"""

from __future__ import annotations

import json
import os
from typing import Any


def data(result: Any) -> dict[str, Any]:
    opts = result.options
    posts = []
    losses = result.verify.losses if result.verify is not None else {}
    owned = result.verify.baseline if result.verify is not None else {}
    for p in result.posts:
        aliases = p.meta.get("aliases") or []
        posts.append({
            "source": p.source, "output": p.out_path, "kind": p.kind, "origin": p.origin,
            "title": p.title, "url": p.url, "draft": p.draft,
            "old_urls": [{"old": u, "new": p.url, "alias": a} for u, a in _pairs(p.old_urls, aliases, p.url)],
            "converted": list(p.converted), "kept_raw": list(p.kept_raw), "warnings": list(p.warnings),
            "lint_fixes": result.fixes.get(p.out_path, 0),
        })
        if p.source in losses:
            posts[-1]["lost"] = list(losses[p.source])
        if p.source in owned:  # lint errors of the new page that the source already had
            posts[-1]["source_lint"] = list(owned[p.source])
    totals = {
        "posts": sum(1 for p in result.posts if p.kind == "post"),
        "pages": sum(1 for p in result.posts if p.kind == "page"),
        "drafts": sum(1 for p in result.posts if p.draft),
        "skipped": len(result.skipped),
        "aliases": sum(len(p.meta.get("aliases") or []) for p in result.posts),
        "converted": sum(len(p.converted) for p in result.posts),
        "kept_raw": sum(len(p.kept_raw) for p in result.posts),
        "warnings": sum(len(p.warnings) for p in result.posts) + len(result.site.warnings if result.site else []),
        "lint_fixes": sum(result.fixes.values()),
        "images_downloaded": result.downloads.get("downloaded", 0),
        "images_failed": result.downloads.get("failed", 0),
    }
    out: dict[str, Any] = {
        "source": {"path": opts.src.replace(os.sep, "/"), "format": result.site.kind if result.site else None},
        "target": "hugo",
        "options": {"front_matter": opts.front_matter, "slug": opts.slug, "ascii_slugs": opts.ascii_slugs,
                    "images": opts.images},
        "site": {"notes": list(result.notes), "warnings": list(result.site.warnings if result.site else []),
                 "unsafe_html": result.unsafe, "lint_fix_rules": list(result.fix_rules)},
        "posts": posts,
        "skipped": [{"source": s, "reason": why} for s, why in result.skipped],
        "totals": totals,
    }
    if result.verify is not None:
        out["verify"] = result.verify.to_json()
    return out


def _pairs(old_urls: list[str], aliases: list[str], url: str) -> list[tuple[str, str | None]]:
    from blogtools.migrate._hugo import normalise_url

    out = []
    for old in old_urls:
        alias = normalise_url(old)
        if not alias.endswith(("/", ".html")):
            alias += "/"
        out.append((old, alias if alias in aliases else None))
    return out


def markdown(d: dict[str, Any]) -> str:
    lines = [f"# Migration report: {d['source']['path']} ({d['source']['format']}) → Hugo", ""]
    opts = d["options"]
    lines.append(f"Options: front matter {opts['front_matter']}, slugs {opts['slug']}"
                 f"{' (ASCII)' if opts['ascii_slugs'] else ''}, images {opts['images']}.")
    lines.append("")
    site = d["site"]
    if site["notes"] or site["warnings"] or site["unsafe_html"]:
        lines += ["## Site", ""]
        lines += [f"- {n}" for n in site["notes"]]
        lines += [f"- warning: {w}" for w in site["warnings"]]
        if site["unsafe_html"]:
            lines.append("- raw HTML kept in some posts: `markup.goldmark.renderer.unsafe = true` set in hugo.toml")
        lines.append("")
    lines += ["## Posts", ""]
    for p in d["posts"]:
        lines.append(f"### {p['title'] or p['source']}")
        lines.append("")
        lines.append(f"- source: `{p['source']}` → `{p['output']}`" + (" (draft)" if p["draft"] else ""))
        lines.append(f"- URL: `{p['url']}`")
        for u in p["old_urls"]:
            how = "alias" if u["alias"] else "same URL" if u["old"].rstrip("/") == p["url"].rstrip("/") else "not kept"
            lines.append(f"- old URL `{u['old']}` → `{p['url']}` ({how})")
        for c in p["converted"]:
            lines.append(f"- converted: {c}")
        for r in p["kept_raw"]:
            lines.append(f"- kept raw: {r}")
        for w in p["warnings"]:
            lines.append(f"- warning: {w}")
        if p["lint_fixes"]:
            lines.append(f"- lint fixes applied: {p['lint_fixes']}")
        for x in p.get("lost") or []:
            lines.append(f"- LOST (verify, against the source's build): {x}")
        for x in p.get("source_lint") or []:
            lines.append(f"- lint (verify): {x}")
        lines.append("")
    if d["skipped"]:
        lines += ["## Not migrated", ""]
        lines += [f"- `{s['source']}`: {s['reason']}" for s in d["skipped"]]
        lines.append("")
    if "verify" in d:
        v = d["verify"]
        lines += ["## Verify", "", f"- result: {'passed' if v['ok'] else 'FAILED'}"]
        failed = v.get("failed") or {}
        for k in sorted(v["checked"]):
            what = k.replace("_", " ")
            if k == "lint_errors":
                owned = v.get("source_lint") or {}
                lines.append(f"- lint errors made by the migration: {v['checked'][k]}"
                             + "".join(f"; {what}: {n}" for what, n in owned.items()))
                lines += [f"- the source linted: {x}" for x in v.get("source_lint_how") or []]
            else:
                lines.append(f"- {what}: {failed.get(k, 0)} of {v['checked'][k]} failed")
        if v.get("hugo"):
            lines.append(f"- built with: {v['hugo']}")
        if v.get("compared"):
            lines.append(f"- compared with: {v['compared']}")
        urls = v.get("source_page_urls") or {}
        if urls.get("total"):
            lines.append(f"- page and feed URLs the source served, kept: {urls['kept']} of {urls['total']}")
        if v.get("lost"):
            lines.append("- lost: " + ", ".join(f"{n} {k}" for k, n in v["lost"].items()))
        lines += [f"- not compared: {x}" for x in v.get("not_compared") or []]
        lines += [f"- problem: {x}" for x in v["problems"]]
        lines.append("")
    t = d["totals"]
    lines += ["## Totals", ""]
    lines += [f"- {k.replace('_', ' ')}: {t[k]}" for k in t]
    return "\n".join(lines).rstrip() + "\n"


def write(root: str, result: Any) -> dict[str, Any]:
    """Both reports. Text that cannot be written as UTF-8 (a lone surrogate in a path or a
    reason) is written as its escape (``\\ud800``): in the JSON that is the same string."""
    d = data(result)
    with open(os.path.join(root, "migration.json"), "w", encoding="utf-8", errors="backslashreplace",
              newline="\n") as fh:
        json.dump(d, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    with open(os.path.join(root, "MIGRATION.md"), "w", encoding="utf-8", errors="backslashreplace",
              newline="\n") as fh:
        fh.write(markdown(d))
    return d


def summary(result: Any) -> str:
    t = data(result)["totals"]
    return (f"{t['posts']} posts, {t['pages']} pages ({t['drafts']} drafts), {t['aliases']} aliases, "
            f"{t['kept_raw']} kept raw, {t['warnings']} warnings, {t['skipped']} not migrated, "
            f"{t['images_downloaded']} images downloaded ({t['images_failed']} failed), {t['lint_fixes']} lint fixes"
            + (", raw HTML rendered (unsafe = true in hugo.toml)" if result.unsafe else ""))
