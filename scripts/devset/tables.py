"""Markdown tables for docs/accuracy.md from `rehab-coach evaluate --json` results.

    python scripts/devset/tables.py RESULTS.json MANIFEST.json

Per clip: source, view, truth, the app, the naive counter (left side, and its better side chosen
afterwards), the app leave-one-source-out; then totals by exercise and by view; then the
thinned rates.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _mark(count: int | None, clip: dict[str, Any]) -> str:
    if count is None:
        return "n/a"
    ok = abs(count - clip["reps"]) <= (1 if clip["partial_reps"] else 0)
    return f"{count}" if ok else f"**{count}**"


def clip_table(results: dict[str, Any], sources: dict[str, str]) -> list[str]:
    loso = results.get("leave_one_source_out", {}).get("clips", {})
    lines = [
        "| clip | source | view (seen) | truth | app | naive | naive, better side | app, LOSO |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in results["clips"]:
        lines.append(
            f"| {Path(c['file']).stem} | {sources.get(Path(c['file']).name, '?')} | {c['view']} ({c['detected_view']}) "
            f"| {c['reps']} + {c['partial_reps']} | {_mark(c['app_reps'], c)} + {c['app_partial']} "
            f"| {_mark(c['naive_reps'], c)} | {_mark(c['naive_better_side'], c)} | {_mark(loso.get(c['file']), c)} |"
        )
    return lines


def _totals(t: dict[str, Any]) -> str:
    return f"{t['within_tolerance']}/{t['clips']}" if t["clips"] else "-"


def group_table(results: dict[str, Any], key: str) -> list[str]:
    lines = [
        f"| {key.removeprefix('by_')} | app | naive | naive, better side | app on the naive's clips |",
        "|---|---|---|---|---|",
    ]
    for name, g in results[key].items():
        lines.append(
            f"| {name} | {_totals(g['app'])} | {_totals(g['naive'])} | {_totals(g['naive_better_side'])} "
            f"| {_totals(g['app_where_naive_applies'])} |"
        )
    return lines


def thinned_table(results: dict[str, Any]) -> list[str]:
    totals = results["thinned"]["totals"]
    lines = ["| | " + " | ".join(totals) + " |", "|---" * (len(totals) + 1) + "|"]
    lines.append("| within tolerance | " + " | ".join(_totals(t) for t in totals.values()) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("manifest", type=Path)
    args = parser.parse_args()
    results = json.loads(args.results.read_text(encoding="utf-8"))
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    sources = {Path(c["file"]).name: c.get("repo", "?") for c in manifest}
    out = clip_table(results, sources) + [""] + group_table(results, "by_exercise") + [""]
    out += group_table(results, "by_view")
    if "thinned" in results:
        out += [""] + thinned_table(results)
    print("\n".join(out))


if __name__ == "__main__":
    main()
