"""The PDF report opens, holds the patient's figures as text, and embeds the plots."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import unicodedata
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from rehab_coach.cli import main
from rehab_coach.reports.charts import LATIN_FONT, report_font
from rehab_coach.reports.pdf import build_document, write_pdf_report
from rehab_coach.session.exports import collect
from rehab_coach.session.exports.summary import exercise_summaries
from rehab_coach.session.store import open_store
from rehab_coach.session.store.demo import seed_demo

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_report_contains_the_figures(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "r.db")
    patient = seed_demo(store, days=14, name="Ann Example")
    record = collect(store, patient.code)
    path = tmp_path / "report.pdf"
    write_pdf_report(store, record, path)

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Page size:" in info and "A4" in info and "Rehab Coach report DEMO-01" in info
    text = " ".join(pdf_text(path).split())
    assert "DEMO-01" in text and "Ann Example" in text
    assert "10 of 12 prescribed exercise sessions done (83 %)" in text
    names = {"squat": "Squat", "shoulder_abduction": "Shoulder abduction"}
    for summary in exercise_summaries(record):
        assert names[summary.exercise_id] in text and summary.exercise_id not in text  # readable names, not ids
        assert f"{summary.best_angle:.1f}" in text
        assert f"{summary.first_quality:.1f}" in text and f"{summary.last_quality:.1f}" in text
    for detail in record.sessions:  # every session's row, with its figures
        s = detail.session
        assert f"{s.started_at.astimezone():%Y-%m-%d %H:%M}" in text
        assert f"{s.mean_quality:.1f}" in text and f"{s.mean_rom:.1f}" in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    # per exercise: range of motion (deg) and quality (score) on their own axes, and the last session's curves
    assert len(images.strip().splitlines()) - 2 == 3 * len(exercise_summaries(record))
    assert "target 105" in text and "primary.target" not in text


def test_export_command_writes_all_three(qapp, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.db"
    seed_demo(open_store(db), days=7)
    out = tmp_path / "out"
    out.mkdir()
    code = main(
        [
            "export",
            "DEMO-01",
            "--db",
            str(db),
            "--csv",
            str(out / "r.csv"),
            "--pdf",
            str(out / "r.pdf"),
            "--fhir",
            str(out / "r.json"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "r.csv:" in printed and "r.pdf: report with" in printed and "observations" in printed
    assert "DEMO-01" in pdf_text(out / "r.pdf")
    assert main(["export", "NOPE", "--db", str(db), "--csv", str(out / "x.csv")]) == 2
    assert main(["export", "DEMO-01", "--db", str(db)]) == 3


def visible_characters(text: str) -> list[str]:
    """The characters of `text` without spaces and images (U+FFFC), a typeset ligature (ﬁ) as its letters."""
    expanded = "".join(unicodedata.normalize("NFKC", c) if 0xFB00 <= ord(c) <= 0xFB06 else c for c in text)
    return sorted(c for c in expanded if not c.isspace() and c != "\ufffc")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_pdf_text_layer_holds_every_character_of_the_page(qapp, tmp_path: Path, language: str) -> None:  # type: ignore[no-untyped-def]
    """Set in Noto Sans CJK, Qt's writer dropped the digits of "DEMO-01" and "2 x 8" from the text
    layer and named 至 and 角 by their look-alike radicals ⾄ and ⻆: searches and copies failed."""
    if language == "zh" and report_font("zh") == LATIN_FONT:
        pytest.skip("no CJK font installed (scripts/setup.sh installs fonts-noto-cjk)")
    store = open_store(tmp_path / "r.db")
    seed_demo(store, days=14, name="Ann Example")
    record = collect(store, "DEMO-01")
    path = tmp_path / f"report_{language}.pdf"
    write_pdf_report(store, record, path, language)
    page = build_document(store, record, language=language).toPlainText()
    text = pdf_text(path)
    assert "DEMO-01" in text and "2 x 8" in text
    assert visible_characters(text) == visible_characters(page)


def test_the_pdf_period_is_the_range_the_therapist_chose(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """It showed the first to the last session's day, whatever range was exported."""
    store = open_store(tmp_path / "r.db")
    patient = seed_demo(store, days=14, name="Ann Example")
    days = [s.started_at.astimezone().date() for s in store.sessions_for(patient.id)]
    first_day = min(days) - dt.timedelta(days=3)
    last_day = max(days) + dt.timedelta(days=4)
    since = dt.datetime.combine(first_day, dt.time()).astimezone()
    until = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()).astimezone()  # exclusive
    path = tmp_path / "report.pdf"
    write_pdf_report(store, collect(store, "DEMO-01", since=since, until=until), path)
    text = " ".join(pdf_text(path).split())
    assert f"Period: {first_day:%Y-%m-%d} to {last_day:%Y-%m-%d}" in text
    assert f"from {first_day:%Y-%m-%d} to {last_day:%Y-%m-%d}" in text  # the adherence over the same days


def test_exports_are_readable_by_their_owner_only(qapp, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Reports were 0600 but the exports 0644: patient data is private wherever it is written."""
    db = tmp_path / "cli.db"
    seed_demo(open_store(db), days=3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_text("an older export\n")
    (out / "old.csv").chmod(0o644)  # written over: it must not keep the wider mode
    old_umask = os.umask(0o022)  # the usual umask, which gave 0644
    try:
        code = main(
            ["export", "DEMO-01", "--db", str(db), "--csv", str(out / "old.csv")]
            + ["--pdf", str(out / "r.pdf"), "--fhir", str(out / "r.json")]
        )
    finally:
        os.umask(old_umask)
    assert code == 0
    capsys.readouterr()
    for name in ("old.csv", "r.pdf", "r.json"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    assert "an older export" not in (out / "old.csv").read_text()
