"""Scores of a counter against the counts made by eye: per clip, then grouped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ClipResult:
    file: str
    exercise: str
    view: str
    reps: int
    partial_reps: int
    app_reps: int
    app_partial: int
    naive_reps: int | None
    detected_view: str = ""
    faults: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # id -> {"truth": [...], "app": [...]}
    naive_right: int | None = None  # the naive counter on the right side
    source: str = ""  # the repository (or other origin) the clip came from: leave-one-source-out groups by it
    frames: int = 0
    frames_with_person: int = 0

    @property
    def tolerance(self) -> int:
        return 1 if self.partial_reps > 0 else 0

    def within(self, count: int | None) -> bool:
        return count is not None and abs(count - self.reps) <= self.tolerance

    @property
    def naive_better_side(self) -> int | None:
        """The naive counter on whichever side came closer to the truth, chosen afterwards: a bar
        no live counter can reach (it would have to know the answer), the fairest to the naive one."""
        counts = [c for c in (self.naive_reps, self.naive_right) if c is not None]
        return min(counts, key=lambda c: abs(c - self.reps)) if counts else None


@dataclass
class Totals:
    clips: int
    exact: int
    within_tolerance: int
    off_by_one: int
    relative_mae: float | None

    @classmethod
    def of(cls, results: list[ClipResult], count: Callable[[ClipResult], int | None]) -> Totals:
        pairs = [(r, c) for r in results if (c := count(r)) is not None]
        errors = [abs(c - r.reps) / max(r.reps, 1) for r, c in pairs]
        return cls(
            clips=len(pairs),
            exact=sum(c == r.reps for r, c in pairs),
            within_tolerance=sum(r.within(c) for r, c in pairs),
            off_by_one=sum(abs(c - r.reps) == 1 for r, c in pairs),
            relative_mae=round(sum(errors) / len(errors), 3) if errors else None,
        )


def _app(r: ClipResult) -> int:
    return r.app_reps


def _naive(r: ClipResult) -> int | None:
    return r.naive_reps


def _naive_better(r: ClipResult) -> int | None:
    return r.naive_better_side


def _grouped(results: list[ClipResult], key: Callable[[ClipResult], str]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[ClipResult]] = {}
    for r in results:
        groups.setdefault(key(r), []).append(r)
    out = {}
    for name, members in sorted(groups.items()):
        naive_members = [r for r in members if r.naive_reps is not None]
        out[name] = {
            "app": asdict(Totals.of(members, _app)),
            # Compared on the clips the naive counter can count, so the two numbers are like for like.
            "app_where_naive_applies": asdict(Totals.of(naive_members, _app)),
            "naive": asdict(Totals.of(members, _naive)),
            "naive_better_side": asdict(Totals.of(members, _naive_better)),
        }
    return out


def fault_scores(results: Iterable[ClipResult]) -> dict[str, dict[str, Any]]:
    """Precision and recall per fault over the reps of the clips that label it."""
    counts: dict[str, list[int]] = {}
    for r in results:
        for fault, sets in r.faults.items():
            truth, app = set(sets["truth"]), set(sets["app"])
            tp_fp_fn = counts.setdefault(fault, [0, 0, 0])
            tp_fp_fn[0] += len(truth & app)
            tp_fp_fn[1] += len(app - truth)
            tp_fp_fn[2] += len(truth - app)
    out = {}
    for fault, (tp, fp, fn) in sorted(counts.items()):
        out[fault] = {
            "true_positives": tp,
            "false_positives": fp,
            "false_negatives": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        }
    return out


def summarise(results: list[ClipResult]) -> dict[str, Any]:
    applies = [r for r in results if r.naive_reps is not None]
    return {
        "clips": [
            {
                **asdict(r),
                "app_within_tolerance": r.within(r.app_reps),
                "naive_within_tolerance": r.within(r.naive_reps),
                "naive_better_side": r.naive_better_side,
            }
            for r in results
        ],
        "totals": {
            "app": asdict(Totals.of(results, _app)),
            "app_where_naive_applies": asdict(Totals.of(applies, _app)),
            "naive": asdict(Totals.of(results, _naive)),
            "naive_better_side": asdict(Totals.of(results, _naive_better)),
        },
        "by_exercise": _grouped(results, lambda r: r.exercise),
        "by_view": _grouped(results, lambda r: r.view),
        "faults": fault_scores(results),
    }


def _within(clip: dict[str, Any], count: int | None) -> bool:
    return count is not None and abs(count - clip["reps"]) <= (1 if clip["partial_reps"] else 0)


def _cell(count: int | None, ok: bool) -> str:
    return "n/a" if count is None else f"{count}{'' if ok else ' ✗'}"


def format_table(summary: dict[str, Any]) -> str:
    rows = [("clip", "exercise", "view", "seen", "truth", "app", "naive", "naive, better side")]
    for c in summary["clips"]:
        rows.append(
            (
                c["file"],
                c["exercise"],
                c["view"],
                c["detected_view"] or "-",
                f"{c['reps']} + {c['partial_reps']}",
                f"{_cell(c['app_reps'], c['app_within_tolerance'])} + {c['app_partial']}",
                _cell(c["naive_reps"], c["naive_within_tolerance"]),
                _cell(c["naive_better_side"], _within(c, c["naive_better_side"])),
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("✗ = outside edge tolerance (|count - reps| > 1 when the clip has partial reps, else > 0)")
    lines.append("")
    lines += _totals_lines("all clips", summary["totals"])
    for title, groups in (("exercise", summary["by_exercise"]), ("view", summary["by_view"])):
        lines.append("")
        lines.append(f"by {title}:")
        for name, totals in groups.items():
            lines += _totals_lines(f"  {name}", totals)
    if summary["faults"]:
        lines.append("")
        lines.append("faults (over labelled reps):")
        for fault, s in summary["faults"].items():
            lines.append(
                f"  {fault}: precision {s['precision']}, recall {s['recall']} "
                f"(tp {s['true_positives']}, fp {s['false_positives']}, fn {s['false_negatives']})"
            )
    return "\n".join(lines)


def _describe(t: dict[str, Any]) -> str:
    mae = "-" if t["relative_mae"] is None else f"{t['relative_mae']:.3f}"
    return (
        f"{t['within_tolerance']}/{t['clips']} within tolerance, {t['exact']} exact, "
        f"{t['off_by_one']} off by one, relative MAE {mae}"
    )


def _totals_lines(title: str, totals: dict[str, Any]) -> list[str]:
    lines = [f"{title}: app {_describe(totals['app'])}"]
    if totals["naive"]["clips"]:
        lines.append(
            f"{' ' * len(title)}  naive {_describe(totals['naive'])}"
            f"  (app on the same clips: {totals['app_where_naive_applies']['within_tolerance']}"
            f"/{totals['app_where_naive_applies']['clips']})"
        )
        lines.append(
            f"{' ' * len(title)}  naive, better side chosen afterwards: {_describe(totals['naive_better_side'])}"
        )
    return lines


def summarise_thinned(full: list[ClipResult], thinned: dict[str, list[ClipResult]]) -> dict[str, Any]:
    """Each thinning's counts beside the full rate's, per clip and in total."""
    return {
        "clips": [
            {
                "file": r.file,
                "reps": r.reps,
                "partial_reps": r.partial_reps,
                "every frame": r.app_reps,
                **{label: results[i].app_reps for label, results in thinned.items()},
            }
            for i, r in enumerate(full)
        ],
        "totals": {
            "every frame": asdict(Totals.of(full, _app)),
            **{label: asdict(Totals.of(results, _app)) for label, results in thinned.items()},
        },
        "frames_with_person": {
            "every frame": _person_share(full),
            **{label: _person_share(results) for label, results in thinned.items()},
        },
    }


def _person_share(results: list[ClipResult]) -> float:
    frames = sum(r.frames for r in results)
    return round(sum(r.frames_with_person for r in results) / frames, 3) if frames else 0.0


def format_thinned(thinned: dict[str, Any]) -> str:
    labels = list(thinned["totals"])
    rows = [("clip", "truth", *labels)]
    for c in thinned["clips"]:
        counts = (_cell(c[label], _within(c, c[label])) for label in labels)
        rows.append((c["file"], f"{c['reps']} + {c['partial_reps']}", *counts))
    rows.append(("within tolerance", "", *(f"{thinned['totals'][label]['within_tolerance']}" for label in labels)))
    rows.append(("frames with the patient", "", *(f"{thinned['frames_with_person'][label]:.0%}" for label in labels)))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(len(lines) - 2, "  ".join("-" * w for w in widths))
    return "thinned streams (a slow computer):\n" + "\n".join(lines)


def format_loso(loso: dict[str, Any], in_sample: dict[str, Any]) -> str:
    lines = [
        "leave-one-source-out (parameters chosen without the held-out source's clips):",
        f"  in sample (defaults): {_describe(in_sample)}",
        f"  leave-one-source-out: {_describe(loso['totals'])}",
    ]
    changed = {source: params for source, params in loso["chosen"].items() if params != "defaults"}
    lines.append(
        f"  sources whose fold chose other parameters than the defaults: {len(changed)} of {len(loso['chosen'])}"
    )
    lines += [f"    without {source}: {params}" for source, params in changed.items()]
    return "\n".join(lines)
