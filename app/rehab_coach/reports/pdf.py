"""The PDF report for the clinical record: QTextDocument laid out onto a QPdfWriter.

In the therapist's language (the core's gettext catalogue); Latin letters and digits are set in
the Latin font and Chinese in a CJK one (charts.report_font_families), and text_layer.py mends what
Qt's writer maps wrongly, so the text layer carries every character the page shows.

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

from rehab_coach import __version__, i18n
from rehab_coach.engine.anatomy import NOT_MEASURABLE, session_unmeasurable
from rehab_coach.engine.clinical import is_clinical_test
from rehab_coach.engine.units import session_units
from rehab_coach.i18n import N_, translate
from rehab_coach.paths import replace_private
from rehab_coach.reports.charts import LATIN_FONT, Chart, Series, render_chart, report_font, report_font_families
from rehab_coach.reports.clinical_section import clinical_section
from rehab_coach.reports.names import exercise_name, fault_name, readable
from rehab_coach.reports.text_layer import mend_cjk_text_layer
from rehab_coach.session.exports.record import PatientRecord
from rehab_coach.session.exports.summary import ExerciseSummary, exercise_summaries
from rehab_coach.session.pain_rule import PainFlag
from rehab_coach.session.progression import ProgressionRule, ProgressionStatus
from rehab_coach.session.store import Store, adherence, today_plan, weekdays_names
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


def screen_dpi(app: QGuiApplication | None = None) -> float:
    """The primary screen's logical pixels per inch, which the report's layout is measured in."""
    screen = (app or ensure_gui_app()).primaryScreen()
    return screen.logicalDotsPerInchX() if screen else 96.0


def write_pdf_report(
    store: Store, record: PatientRecord, path: Path | str, language: str | None = None, *, dpi: float | None = None
) -> None:
    """Write the report; an unwritable path raises OSError (Qt alone would only log that it wrote nothing).
    Safe on a worker thread given `dpi` (the screen is the GUI thread's to ask)."""
    pdf = render_pdf_report(store, record, language, dpi=dpi)
    with replace_private(path, "wb") as handle:  # patient data: 0600, whole or not at all
        handle.write(pdf)


def render_pdf_report(
    store: Store, record: PatientRecord, language: str | None = None, *, dpi: float | None = None
) -> bytes:
    """The report in `language` (default: the one set with rehab_coach.i18n.set_language), laid out
    at `dpi` screen pixels per inch (default: the primary screen's, asked here)."""
    app = ensure_gui_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    lang = language or i18n.get_language()
    writer.setTitle(translate("Rehab Coach report {0}", lang, record.patient.code))
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
    if dpi is None:
        dpi = screen_dpi(app)
    page = QSizeF(area.width() * dpi / 72, area.height() * dpi / 72)
    document = build_document(store, record, int(page.width()), lang)
    document.setPageSize(page)
    document.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    pdf = bytes(buffer.data().data())
    if not pdf.startswith(b"%PDF"):
        raise RuntimeError("Qt produced no PDF")  # a bug of ours, not the user's path
    cjk_font = report_font(lang)
    return pdf if cjk_font == LATIN_FONT else mend_cjk_text_layer(pdf, cjk_font)


def build_document(
    store: Store, record: PatientRecord, width: int = PAGE_WIDTH_PX, language: str | None = None
) -> QTextDocument:
    lang = language or i18n.get_language()
    document = QTextDocument()
    families = ", ".join(f"'{family}'" for family in report_font_families(lang))
    document.setDefaultStyleSheet(
        f"body {{ font-family: {families}; font-size: 10pt; }} table {{ font-size: 8.5pt; }} "
        "th { background: #e8eef4; text-align: left; } td, th { padding: 3px; }"
    )
    summaries = exercise_summaries(record)
    parts = [
        _header(record, lang),
        _flags(record, lang),
        _program(store, record, lang),
        _adherence(store, record, lang),
        _check_ins(record, lang),
        _summary_table(summaries, lang),
    ]
    for number, summary in enumerate(summaries):
        details = [d for d in record.sessions if d.session.exercise_id == summary.exercise_id]
        title = html.escape(exercise_name(summary.exercise_id, language=lang))
        parts.append(f"<h2 style='page-break-before: always'>{title}</h2>")
        charts = (
            ("rom", _rom_trend_chart(details, lang)),
            ("quality", _quality_trend_chart(details, lang)),
            ("curves", _curve_chart(details[-1], lang)),
        )
        for kind, chart in charts:
            name = f"chart://{number}/{kind}"
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), render_chart(chart, lang))
            parts.append(f'<p><img src="{name}" width="{width - 8}"></p>')
    tests_html, test_charts = clinical_section(record, lang)
    for number, chart in enumerate(test_charts):
        name = f"chart://tests/{number}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), render_chart(chart, lang))
        tests_html = tests_html.replace(f"<!--chart {number}-->", f'<p><img src="{name}" width="{width - 8}"></p>')
    parts.append(tests_html)
    parts.append(_tag("h2", translate("Sessions", lang), "page-break-before: always") + _sessions_table(record, lang))
    generated = translate(
        "Generated {0} by Rehab Coach {1}. Angles come from markerless video pose estimation and are not a "
        "goniometer measurement.",
        lang,
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M}",
        __version__,
    )
    parts.append(f"<p style='color:#666'>{html.escape(generated)}</p>")
    document.setHtml("<html><body>" + "".join(parts) + "</body></html>")
    document.setTextWidth(width)
    return document


def _fmt(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def _angle(value: float | None, detail: SessionDetail, lang: str) -> str:
    """A session's angle, or why it has none: never a made-up number (engine/anatomy.py)."""
    if value is None and session_unmeasurable(detail.reps, detail.session.measure):
        return html.escape(translate(NOT_MEASURABLE, lang))
    return _fmt(value)


def report_period(record: PatientRecord) -> tuple[dt.date, dt.date] | None:
    """The days the report covers, both included: the range the therapist chose, each open end
    filled by the first or last session (the record's `until` is exclusive)."""
    days = [local_day(d.session.started_at) for d in record.sessions]
    start = record.since.astimezone().date() if record.since else min(days, default=None)
    end = (record.until.astimezone().date() - dt.timedelta(days=1)) if record.until else max(days, default=None)
    return None if start is None or end is None else (start, end)


def _period(record: PatientRecord, lang: str) -> str:
    period = report_period(record)
    if period is None:
        return translate("no sessions", lang)
    return translate("{0} to {1}", lang, f"{period[0]:%Y-%m-%d}", f"{period[1]:%Y-%m-%d}")


def _header(record: PatientRecord, lang: str) -> str:
    p = record.patient
    return (
        _tag("h1", translate("Exercise report", lang))
        + "<p>"
        + _tag("b", translate("Patient:", lang))
        + f" {html.escape(p.code)} ({html.escape(p.display_name)})<br>"
        + _tag("b", translate("Period:", lang))
        + f" {_period(record, lang)}<br>"
        + _tag("b", translate("Sessions:", lang))
        + f" {len(record.sessions)}</p>"
    )


def _flags(record: PatientRecord, lang: str) -> str:
    """Pain the patient reported after exercising that needs the therapist's attention, first thing."""
    flags = record.pain_flags
    if not flags:
        return ""
    items = "".join(
        f"<li>{flag.started_at.astimezone():%Y-%m-%d} {html.escape(exercise_name(flag.exercise_id, language=lang))}: "
        f"{html.escape(flag.describe(lang))}{html.escape(_review_text(flag, lang))}</li>"
        for flag in sorted(flags.values(), key=lambda f: f.started_at)
    )
    return _tag("h2", "⚠ " + translate("Flags", lang), "color:#b00020") + f"<ul style='color:#b00020'>{items}</ul>"


def _review_text(flag: PainFlag, lang: str) -> str:
    """Who saw the flag and when, or that nobody has yet."""
    review = flag.review
    if review is None:
        return " (" + translate("not reviewed yet", lang) + ")"
    text = translate(
        "reviewed by {0} on {1}", lang, review.reviewed_by, f"{review.reviewed_at.astimezone():%Y-%m-%d %H:%M}"
    )
    return f" ({text}" + (f": {review.note})" if review.note else ")")


def _check_ins(record: PatientRecord, lang: str) -> str:
    answered = [d.session for d in record.sessions if d.session.pain is not None or d.session.effort is not None]
    if not answered:
        return ""
    pains = [s.pain for s in answered if s.pain is not None]
    efforts = [s.effort for s in answered if s.effort is not None]
    text = [translate("{0} of {1} sessions answered", lang, len(answered), len(record.sessions))]
    if pains:
        text.append(translate("pain (0-10) last {0}, highest {1}", lang, pains[-1], max(pains)))
    if efforts:
        mean = f"{sum(efforts) / len(efforts):.1f}"
        text.append(translate("effort (Borg CR10) last {0}, mean {1}", lang, efforts[-1], mean))
    return (
        _tag("h2", translate("Pain and effort after exercising", lang))
        + "<p>"
        + translate("; ", lang).join(text)
        + translate(".", lang)
        + "</p>"
    )


def _reps_cell(detail: SessionDetail, lang: str) -> str:
    s = detail.session
    cell = f"{s.reps_complete} / {s.reps_partial}"
    if detail.corrections:
        last = detail.corrections[-1]
        day = f"{last.corrected_at.astimezone():%Y-%m-%d}"
        cell += "<br><i>" + html.escape(
            translate("corrected to {0} ({1}, {2})", lang, last.corrected_count, last.reason, day)
        )
        cell += "</i>"
    return cell


SETTING_WORDS = {  # a program item's override keys in words
    "primary.target": N_("target {0}"),
    "dosage.rest_seconds": N_("rest {0} s"),
    "hold.seconds": N_("hold {0} s"),
    "side": N_("side: {0}"),
}
DAY_WORDS = {
    "mon": N_("Mon"),
    "tue": N_("Tue"),
    "wed": N_("Wed"),
    "thu": N_("Thu"),
    "fri": N_("Fri"),
    "sat": N_("Sat"),
    "sun": N_("Sun"),
}


def settings_text(overrides: dict[str, object], language: str | None = None) -> str:
    """A program item's own settings in words: "target 95°, rest 30 s" rather than dotted ids."""
    parts = []
    for key, value in overrides.items():
        if key in ("dosage.sets", "dosage.reps"):
            continue  # in the dosage column
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        if key in SETTING_WORDS:
            parts.append(translate(SETTING_WORDS[key], language, shown))
        else:
            parts.append(f"{readable(key.split('.')[-1])} = {shown}")
    return translate(", ", language).join(parts)


def _program(store: Store, record: PatientRecord, lang: str) -> str:
    program = record.program
    heading = _tag("h2", translate("Program", lang))
    if program is None:
        return heading + _tag("p", translate("No program.", lang))
    # Where each progression stands on the day the report is made: the dosage the patient is asked now.
    today = {entry.item.id: entry.progression for entry in today_plan(store, program.patient_id).items}
    rows = "".join(
        f"<tr><td>{html.escape(exercise_name(i.exercise_id, language=lang))}</td><td>{i.sets} x {i.reps}</td>"
        f"<td>{html.escape(settings_text(i.overrides, lang) or '-')}</td>"
        f"<td>{_progression_cell(i.progression, today.get(i.id), lang)}</td></tr>"
        for i in program.items
    )
    days = translate(", ", lang).join(translate(DAY_WORDS[day], lang) for day in weekdays_names(program.weekdays))
    name = program.name or translate("Current program", lang)
    since = translate("{0}, since {1}, on {2}", lang, name, program.start_date, days)
    return (
        f"{heading}<p>{html.escape(since)}</p>"
        f"<table border='1' cellspacing='0' width='100%'>{_header_row(PROGRAM_COLUMNS, lang)}{rows}</table>"
    )


def _progression_cell(rule: ProgressionRule | None, status: ProgressionStatus | None, lang: str) -> str:
    if rule is None:
        return "-"
    text = html.escape(rule.describe(lang))
    if status is not None:
        text += "<br>" + html.escape(translate("Now: {0}", lang, status.reason(lang)))
    return text


def _adherence(store: Store, record: PatientRecord, lang: str) -> str:
    period = report_period(record)
    if period is None or not record.sessions:
        return ""
    start, end = period
    result = adherence(store, record.patient.id, start, end)
    ratio = f"{100 * result.ratio:.0f} %" if result.ratio is not None else translate("n/a", lang)
    words = translate(
        "{0} of {1} prescribed exercise sessions done ({2}) from {3} to {4}; {5} more started but not finished.",
        lang,
        result.done,
        result.prescribed,
        ratio,
        start,
        end,
        result.partial,
    )
    return _tag("h2", translate("Adherence", lang)) + _tag("p", words)


def _faults_text(faults: list[tuple[str, int]] | dict[str, int], exercise_id: str, lang: str) -> str:
    pairs = faults.items() if isinstance(faults, dict) else faults
    return translate(", ", lang).join(f"{fault_name(f, exercise_id, language=lang)} ({n})" for f, n in pairs) or "-"


def _header_row(names: tuple[str, ...], lang: str) -> str:
    return "<tr>" + "".join(_tag("th", translate(name, lang)) for name in names) + "</tr>"


def _tag(tag: str, text: str, style: str = "") -> str:
    """`text` (plain, escaped here) in an element."""
    styled = f" style='{style}'" if style else ""
    return f"<{tag}{styled}>{html.escape(text)}</{tag}>"


PROGRAM_COLUMNS = (N_("Exercise"), N_("Dosage"), N_("Patient-specific settings"), N_("Progression"))
SUMMARY_COLUMNS = (
    N_("Exercise"),
    N_("Sessions"),
    N_("Complete reps"),
    N_("Mean excursion, first → last (deg)"),
    N_("Best angle (deg)"),
    N_("Quality, first → last"),
    N_("Most frequent faults"),
)
SESSION_COLUMNS = (
    N_("Date"),
    N_("Exercise"),
    N_("Status"),
    N_("Reps complete / partial"),
    N_("Pain / effort"),
    N_("Mean quality"),
    N_("Mean excursion (deg)"),
    N_("Best angle (deg)"),
    N_("Faults"),
)
STATUS_WORDS = {
    "completed": N_("completed"),
    "stopped": N_("stopped"),
    "interrupted": N_("interrupted"),
    "in_progress": N_("in progress"),
}


def _summary_table(summaries: list[ExerciseSummary], lang: str) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(exercise_name(s.exercise_id, language=lang))}</td><td>{s.sessions}</td>"
        f"<td>{s.complete_reps}</td><td>{_fmt(s.first_rom)} &rarr; {_fmt(s.last_rom)}</td><td>{_fmt(s.best_angle)}</td>"
        f"<td>{_fmt(s.first_quality)} &rarr; {_fmt(s.last_quality)}</td>"
        f"<td>{html.escape(_faults_text(s.top_faults, s.exercise_id, lang))}</td></tr>"
        for s in summaries
    )
    return (
        _tag("h2", translate("Summary", lang)) + "<table border='1' cellspacing='0' width='100%'>"
        f"{_header_row(SUMMARY_COLUMNS, lang)}{rows}</table>"
    )


def _sessions_table(record: PatientRecord, lang: str) -> str:
    rows = []
    flags = record.pain_flags
    for d in record.sessions:
        s = d.session
        if is_clinical_test(s.exercise_id):
            continue  # their own section says what a test session holds
        pain = "-" if s.pain is None else f"{s.pain}"
        if s.id in flags:
            pain = f"<b style='color:#b00020'>{pain} &#9888;</b>"
        effort = "-" if s.effort is None else f"{s.effort}"
        faults: dict[str, int] = {}
        for rep in d.reps:
            for fault in rep.faults:
                faults[fault] = faults.get(fault, 0) + 1
        status = translate(STATUS_WORDS[s.status], lang) if s.status in STATUS_WORDS else s.status
        rows.append(
            f"<tr><td style='white-space: nowrap'>{s.started_at.astimezone():%Y-%m-%d %H:%M}</td>"
            f"<td>{html.escape(exercise_name(s.exercise_id, language=lang))}</td><td>{html.escape(status)}</td>"
            f"<td>{_reps_cell(d, lang)}</td><td>{pain} / {effort}</td><td>{_fmt(s.mean_quality)}</td>"
            f"<td>{_angle(s.mean_rom, d, lang)}</td><td>{_angle(s.best_extreme, d, lang)}</td>"
            f"<td>{html.escape(_faults_text(faults, s.exercise_id, lang))}</td></tr>"
        )
    return f"<table border='1' cellspacing='0' width='100%'>{_header_row(SESSION_COLUMNS, lang)}{''.join(rows)}</table>"


def _date_ticks(rated: list[SessionInfo], lang: str) -> list[tuple[float, str]]:
    step = max(1, len(rated) // 6)
    return [(float(i), i18n.day_text(local_day(s.started_at), lang)) for i, s in enumerate(rated) if i % step == 0]


def _rom_trend_chart(details: list[SessionDetail], lang: str) -> Chart:
    """Degrees on their own axis: a score on the same axis would flatten one or the other."""
    rated = [d.session for d in details if d.session.reps_complete]
    units = session_units(details[0].session.exercise_id, None, lang)
    rom = [(i, s.mean_rom) for i, s in enumerate(rated) if s.mean_rom is not None]
    best = [(i, s.max_rom) for i, s in enumerate(rated) if s.max_rom is not None]
    return Chart(
        translate("Range of motion per session", lang),
        units.excursion_label,
        [
            Series(translate("Mean excursion (deg)", lang), rom, markers=True),
            Series(translate("Best excursion (deg)", lang), best, markers=True),
        ],
        x_label=translate("session date", lang),
        x_ticks=_date_ticks(rated, lang),
    )


def _quality_trend_chart(details: list[SessionDetail], lang: str) -> Chart:
    rated = [d.session for d in details if d.session.reps_complete]
    quality = [(i, s.mean_quality) for i, s in enumerate(rated) if s.mean_quality is not None]
    return Chart(
        translate("Movement quality per session", lang),
        translate("score (0-100)", lang),
        [Series(translate("Mean quality (0-100)", lang), quality, markers=True)],
        x_label=translate("session date", lang),
        x_ticks=_date_ticks(rated, lang),
    )


def _curve_chart(detail: SessionDetail, lang: str) -> Chart:
    s = detail.session
    reps = [r for r in detail.reps if r.curve][:MAX_OVERLAID_REPS]
    series = [
        Series(
            translate("complete rep", lang) if r.complete else translate("partial rep", lang),
            [(t - r.start_t, v) for t, v in r.curve],
            color=CURVE_COLORS[r.complete],
        )
        for r in reps
    ]
    day = f"{s.started_at.astimezone():%Y-%m-%d}"
    units = session_units(s.exercise_id, s.measure, lang)
    return Chart(
        translate("Every rep of the last session ({0}), {1}", lang, day, units.name or translate("angle", lang)),
        units.axis_label,
        series,
        x_label=translate("seconds into the rep", lang),
        reference=s.target,
        reference_label=translate("target {0}", lang, f"{s.target:g}") if s.target is not None else "",
    )
