"""The PDF report's section on the standard clinical tests: every trial of the period with the value in
force, what the patient read, the norm and each cut-off with its source, flags and corrections; a trend
chart per test done more than once; and the full citation of every source a result was read against."""

from __future__ import annotations

import html

from rehab_coach.i18n import N_, translate
from rehab_coach.reports.charts import Chart, Series
from rehab_coach.session.clinical.history import ResultHistory, correction_text, result_history
from rehab_coach.session.clinical.norms import NormSource
from rehab_coach.session.clinical.words import SIDES
from rehab_coach.session.exports.record import PatientRecord

TEST_COLUMNS = (N_("Date"), N_("Test"), N_("Result"), N_("For the patient"), N_("Norm and cut-offs"), N_("Notes"))
SIDE_COLORS = {None: "#1f77b4", "right": "#1f77b4", "left": "#2ca02c"}


def history_of(record: PatientRecord, language: str) -> ResultHistory:
    return result_history(record.clinical, record.patient, language)


def clinical_section(record: PatientRecord, language: str) -> tuple[str, list[Chart]]:
    """The section's HTML (empty when no test was done in the period) and its charts, in order; the
    caller places each chart where the HTML says `<!--chart N-->`."""
    if not record.clinical:
        return "", []
    lang = language
    history = history_of(record, lang)
    rows = []
    for row in reversed(history.rows):  # oldest first, as the rest of the report
        notes = [*row.flags]
        if row.info.correction is not None:
            notes.append(correction_text(row.info, lang))
        if row.info.value is None:
            notes.insert(0, row.details[0])
        norm = "<br>".join(html.escape(line) for line in row.norm_lines)
        if row.past_a_cutoff:
            norm = f"<b>&#9888;</b> {norm}"
        rows.append(
            f"<tr><td style='white-space: nowrap'>{row.day:%Y-%m-%d}</td><td>{html.escape(row.name)}</td>"
            f"<td>{html.escape(row.value)}</td><td>{html.escape(row.words)}</td><td>{norm}</td>"
            f"<td>{'<br>'.join(html.escape(n) for n in notes)}</td></tr>"
        )
    header = "<tr>" + "".join(f"<th>{html.escape(translate(c, lang))}</th>" for c in TEST_COLUMNS) + "</tr>"
    intro = translate(
        'Timed by the camera from the start signal. The patient read the words in the column "For the patient"; '
        "norms are published reference values, not a diagnosis.",
        lang,
    )
    title = translate("Standard clinical tests", lang)
    parts = [
        f"<h2 style='page-break-before: always'>{html.escape(title)}</h2>",
        f"<p>{html.escape(intro)}</p>",
        f"<table border='1' cellspacing='0' width='100%'>{header}{''.join(rows)}</table>",
    ]
    charts = []
    for trend in history.trends:
        if len(trend.points) < 2:
            continue
        days = sorted({p.day for p in trend.points})
        index = {day: i for i, day in enumerate(days)}
        series = []
        for side in dict.fromkeys(p.side for p in trend.points):
            label = trend.name if side is None else translate(SIDES[side], lang)
            points = [(float(index[p.day]), p.value) for p in trend.points if p.side == side]
            series.append(Series(label, points, color=SIDE_COLORS.get(side, "#1f77b4"), markers=True))
        step = max(1, len(days) // 6)
        ticks = [(float(i), f"{day:%d %b}") for i, day in enumerate(days) if i % step == 0]
        unit = translate("stands", lang) if trend.unit == "stands" else translate("seconds", lang)
        charts.append(Chart(trend.name, unit, series, x_label=translate("test date", lang), x_ticks=ticks))
        parts.append(f"<!--chart {len(charts) - 1}-->")
    sources = _sources(history)
    if sources:
        items = "".join(f"<li>{html.escape(s.citation)}{_url(s)}</li>" for s in sources)
        heading = translate("Norms from", lang)
        parts.append(f"<p><b>{html.escape(heading)}</b></p><ul>{items}</ul>")
    return "".join(parts), charts


def _sources(history: ResultHistory) -> list[NormSource]:
    found: dict[str, NormSource] = {}
    for row in history.rows:
        if row.norm is None:
            continue
        if row.norm.source is not None:
            found.setdefault(row.norm.source.id, row.norm.source)
        for cut in row.norm.cutoffs:
            found.setdefault(cut.source.id, cut.source)
    return list(found.values())


def _url(source: NormSource) -> str:
    return f" {html.escape(source.url)}" if source.url else ""
