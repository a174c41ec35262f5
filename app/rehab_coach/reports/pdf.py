"""The PDF report for the clinical record: QTextDocument laid out onto a QPdfWriter.

Text stays text in the PDF (a clinician can search and copy it; the tests read it back
with pdftotext) and the plots are images painted by `charts.py`. Needs only a
QGuiApplication, so `rehab-coach export --pdf` works without a display.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from rehab_coach import __version__
from rehab_coach.reports.charts import Chart, Series, render_chart
from rehab_coach.reports.names import exercise_name, fault_name, readable
from rehab_coach.session.exports.record import PatientRecord
from rehab_coach.session.exports.summary import ExerciseSummary, exercise_summaries
from rehab_coach.session.store import Store, adherence, pain_flags, weekdays_names
from rehab_coach.session.store.analytics import local_day
from rehab_coach.session.store.views import SessionDetail, SessionInfo

PAGE_WIDTH_PX = 680  # the document's layout width; images are scaled to fit it
MAX_OVERLAID_REPS = 40
CURVE_COLORS = {True: "#1f77b4", False: "#d62728"}  # complete reps blue, partial ones red


def ensure_gui_app() -> QGuiApplication:
    """A QGuiApplication for painting; headless (offscreen) when there is no display."""
    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    return app  # type: ignore[return-value]


def write_pdf_report(store: Store, record: PatientRecord, path: Path | str) -> None:
    """Write the report; an unwritable path raises OSError (Qt alone would only log that it wrote nothing)."""
    pdf = render_pdf_report(store, record)
    Path(path).write_bytes(pdf)


def render_pdf_report(store: Store, record: PatientRecord) -> bytes:
    app = ensure_gui_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"Rehab Coach report {record.patient.code}")
    writer.setCreator(f"Rehab Coach {__version__}")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    # Lay the document out in screen pixels over the printable area: print_ scales it to
    # the writer's resolution, so 10 pt stays 10 pt and full-width images span the page.
    area = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    screen = app.primaryScreen()
    dpi = screen.logicalDotsPerInchX() if screen else 96.0
    page = QSizeF(area.width() * dpi / 72, area.height() * dpi / 72)
    document = build_document(store, record, int(page.width()))
    document.setPageSize(page)
    document.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    pdf = bytes(buffer.data().data())
    if not pdf.startswith(b"%PDF"):
        raise RuntimeError("Qt produced no PDF")  # a bug of ours, not the user's path
    return pdf


def build_document(store: Store, record: PatientRecord, width: int = PAGE_WIDTH_PX) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultStyleSheet(
        "body { font-family: 'DejaVu Sans'; font-size: 10pt; } table { font-size: 8.5pt; } "
        "th { background: #e8eef4; text-align: left; } td, th { padding: 3px; }"
    )
    summaries = exercise_summaries(record)
    parts = [
        _header(record),
        _flags(record),
        _program(record),
        _adherence(store, record),
        _check_ins(record),
        _summary_table(summaries),
    ]
    for number, summary in enumerate(summaries):
        details = [d for d in record.sessions if d.session.exercise_id == summary.exercise_id]
        parts.append(f"<h2 style='page-break-before: always'>{html.escape(exercise_name(summary.exercise_id))}</h2>")
        charts = (
            ("rom", _rom_trend_chart(details)),
            ("quality", _quality_trend_chart(details)),
            ("curves", _curve_chart(details[-1])),
        )
        for kind, chart in charts:
            name = f"chart://{number}/{kind}"
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), render_chart(chart))
            parts.append(f'<p><img src="{name}" width="{width - 8}"></p>')
    parts.append("<h2 style='page-break-before: always'>Sessions</h2>" + _sessions_table(record.sessions))
    parts.append(
        f"<p style='color:#666'>Generated {dt.datetime.now().astimezone():%Y-%m-%d %H:%M} by Rehab Coach "
        f"{__version__}. Angles come from markerless video pose estimation and are not a goniometer "
        "measurement.</p>"
    )
    document.setHtml("<html><body>" + "".join(parts) + "</body></html>")
    document.setTextWidth(width)
    return document


def _fmt(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def _period(record: PatientRecord) -> str:
    days = [local_day(d.session.started_at) for d in record.sessions]
    if not days:
        return "no sessions"
    return f"{min(days):%Y-%m-%d} to {max(days):%Y-%m-%d}"


def _header(record: PatientRecord) -> str:
    p = record.patient
    return (
        f"<h1>Exercise report</h1><p><b>Patient:</b> {html.escape(p.code)} ({html.escape(p.display_name)})<br>"
        f"<b>Period:</b> {_period(record)}<br><b>Sessions:</b> {len(record.sessions)}</p>"
    )


def _flags(record: PatientRecord) -> str:
    """Pain the patient reported after exercising that needs the therapist's attention, first thing."""
    flags = pain_flags([d.session for d in record.sessions])
    if not flags:
        return ""
    items = "".join(
        f"<li>{flag.started_at.astimezone():%Y-%m-%d} {html.escape(exercise_name(flag.exercise_id))}: "
        f"{html.escape(flag.describe())}</li>"
        for flag in sorted(flags.values(), key=lambda f: f.started_at)
    )
    return f"<h2 style='color:#b00020'>&#9888; Flags</h2><ul style='color:#b00020'>{items}</ul>"


def _check_ins(record: PatientRecord) -> str:
    answered = [d.session for d in record.sessions if d.session.pain is not None or d.session.effort is not None]
    if not answered:
        return ""
    pains = [s.pain for s in answered if s.pain is not None]
    efforts = [s.effort for s in answered if s.effort is not None]
    text = [f"{len(answered)} of {len(record.sessions)} sessions answered"]
    if pains:
        text.append(f"pain (0-10) last {pains[-1]}, highest {max(pains)}")
    if efforts:
        text.append(f"effort (Borg CR10) last {efforts[-1]}, mean {sum(efforts) / len(efforts):.1f}")
    return "<h2>Pain and effort after exercising</h2><p>" + "; ".join(text) + ".</p>"


def _reps_cell(detail: SessionDetail) -> str:
    s = detail.session
    cell = f"{s.reps_complete} / {s.reps_partial}"
    if detail.corrections:
        last = detail.corrections[-1]
        cell += (
            f"<br><i>corrected to {last.corrected_count} ({html.escape(last.reason)}, "
            f"{last.corrected_at.astimezone():%Y-%m-%d})</i>"
        )
    return cell


def settings_text(overrides: dict[str, object]) -> str:
    """A program item's own settings in words: "target 95°, rest 30 s" rather than dotted ids."""
    words = {
        "primary.target": "target {}",
        "dosage.rest_seconds": "rest {} s",
        "hold.seconds": "hold {} s",
        "side": "side: {}",
    }
    parts = []
    for key, value in overrides.items():
        if key in ("dosage.sets", "dosage.reps"):
            continue  # in the dosage column
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(words[key].format(shown) if key in words else f"{readable(key.split('.')[-1])} = {shown}")
    return ", ".join(parts)


def _program(record: PatientRecord) -> str:
    program = record.program
    if program is None:
        return "<h2>Program</h2><p>No program.</p>"
    rows = "".join(
        f"<tr><td>{html.escape(exercise_name(i.exercise_id))}</td><td>{i.sets} x {i.reps}</td>"
        f"<td>{html.escape(settings_text(i.overrides) or '-')}</td></tr>"
        for i in program.items
    )
    days = ", ".join(weekdays_names(program.weekdays))
    return (
        f"<h2>Program</h2><p>{html.escape(program.name or 'Current program')}, since {program.start_date}, on {days}</p>"
        f"<table border='1' cellspacing='0' width='100%'><tr><th>Exercise</th><th>Dosage</th>"
        f"<th>Patient-specific settings</th></tr>{rows}</table>"
    )


def _adherence(store: Store, record: PatientRecord) -> str:
    days = [local_day(d.session.started_at) for d in record.sessions]
    if not days:
        return ""
    start = record.since.astimezone().date() if record.since else min(days)
    end = (record.until.astimezone().date() - dt.timedelta(days=1)) if record.until else max(days)
    result = adherence(store, record.patient.id, start, end)
    ratio = f"{100 * result.ratio:.0f} %" if result.ratio is not None else "n/a"
    return (
        f"<h2>Adherence</h2><p>{result.done} of {result.prescribed} prescribed exercise sessions done "
        f"({ratio}) from {start} to {end}; {result.partial} more started but not finished.</p>"
    )


def _summary_table(summaries: list[ExerciseSummary]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(exercise_name(s.exercise_id))}</td><td>{s.sessions}</td><td>{s.complete_reps}</td>"
        f"<td>{_fmt(s.first_rom)} &rarr; {_fmt(s.last_rom)}</td><td>{_fmt(s.best_angle)}</td>"
        f"<td>{_fmt(s.first_quality)} &rarr; {_fmt(s.last_quality)}</td>"
        f"<td>{html.escape(', '.join(f'{fault_name(f)} ({n})' for f, n in s.top_faults) or '-')}</td></tr>"
        for s in summaries
    )
    return (
        "<h2>Summary</h2><table border='1' cellspacing='0' width='100%'><tr><th>Exercise</th><th>Sessions</th>"
        "<th>Complete reps</th><th>Mean excursion, first &rarr; last (deg)</th><th>Best angle (deg)</th>"
        f"<th>Quality, first &rarr; last</th><th>Most frequent faults</th></tr>{rows}</table>"
    )


def _sessions_table(sessions: list[SessionDetail]) -> str:
    rows = []
    flags = pain_flags([d.session for d in sessions])
    for d in sessions:
        s = d.session
        pain = "-" if s.pain is None else f"{s.pain}"
        if s.id in flags:
            pain = f"<b style='color:#b00020'>{pain} &#9888;</b>"
        effort = "-" if s.effort is None else f"{s.effort}"
        faults: dict[str, int] = {}
        for rep in d.reps:
            for fault in rep.faults:
                faults[fault] = faults.get(fault, 0) + 1
        rows.append(
            f"<tr><td style='white-space: nowrap'>{s.started_at.astimezone():%Y-%m-%d %H:%M}</td><td>{html.escape(exercise_name(s.exercise_id))}</td>"
            f"<td>{s.status}</td><td>{_reps_cell(d)}</td><td>{pain} / {effort}</td><td>{_fmt(s.mean_quality)}</td>"
            f"<td>{_fmt(s.mean_rom)}</td><td>{_fmt(s.best_extreme)}</td>"
            f"<td>{html.escape(', '.join(f'{fault_name(f)} ({n})' for f, n in faults.items()) or '-')}</td></tr>"
        )
    return (
        "<table border='1' cellspacing='0' width='100%'><tr><th>Date</th><th>Exercise</th>"
        "<th>Status</th><th>Reps complete / partial</th><th>Pain / effort</th><th>Mean quality</th><th>Mean excursion (deg)</th>"
        f"<th>Best angle (deg)</th><th>Faults</th></tr>{''.join(rows)}</table>"
    )


def _date_ticks(rated: list[SessionInfo]) -> list[tuple[float, str]]:
    step = max(1, len(rated) // 6)
    return [(float(i), f"{local_day(s.started_at):%d %b}") for i, s in enumerate(rated) if i % step == 0]


def _rom_trend_chart(details: list[SessionDetail]) -> Chart:
    """Degrees on their own axis: a score on the same axis would flatten one or the other."""
    rated = [d.session for d in details if d.session.reps_complete]
    rom = [(i, s.mean_rom) for i, s in enumerate(rated) if s.mean_rom is not None]
    best = [(i, s.max_rom) for i, s in enumerate(rated) if s.max_rom is not None]
    return Chart(
        "Range of motion per session",
        "excursion (deg)",
        [Series("Mean excursion (deg)", rom, markers=True), Series("Best excursion (deg)", best, markers=True)],
        x_label="session date",
        x_ticks=_date_ticks(rated),
    )


def _quality_trend_chart(details: list[SessionDetail]) -> Chart:
    rated = [d.session for d in details if d.session.reps_complete]
    quality = [(i, s.mean_quality) for i, s in enumerate(rated) if s.mean_quality is not None]
    return Chart(
        "Movement quality per session",
        "score (0-100)",
        [Series("Mean quality (0-100)", quality, markers=True)],
        x_label="session date",
        x_ticks=_date_ticks(rated),
    )


def _curve_chart(detail: SessionDetail) -> Chart:
    s = detail.session
    reps = [r for r in detail.reps if r.curve][:MAX_OVERLAID_REPS]
    series = [
        Series(
            "complete rep" if r.complete else "partial rep",
            [(t - r.start_t, v) for t, v in r.curve],
            color=CURVE_COLORS[r.complete],
        )
        for r in reps
    ]
    day = f"{s.started_at.astimezone():%Y-%m-%d}"
    return Chart(
        f"Every rep of the last session ({day}), {s.measure or 'angle'}",
        "deg",
        series,
        x_label="seconds into the rep",
        reference=s.target,
        reference_label=f"target {s.target:g}" if s.target is not None else "",
    )
