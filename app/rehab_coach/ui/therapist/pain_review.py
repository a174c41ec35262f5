"""A patient's pain flags in words (what, when), and the dialog in which a therapist marks them
reviewed: who reviewed (a name or initials, kept with the review) and an optional note. The flags
stay in the record; only "Needs attention" lets go of them."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from rehab_coach.i18n import day_text
from rehab_coach.reports.names import exercise_name
from rehab_coach.session.store import FlagReview, PainFlag, Store, StoreError
from rehab_coach.ui.strings import tr
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons

FLAG_COLOUR = "#D55E00"


def flag_when(flag: PainFlag, language: str) -> str:
    """Which exercise and when: "Squat, 12 Mar 09:00" (local time)."""
    moment = flag.started_at.astimezone()
    return f"{exercise_name(flag.exercise_id, language=language)}, {day_text(moment, language)} {moment:%H:%M}"


def flag_text(flag: PainFlag, language: str) -> str:
    """What and when: "pain 8/10, pain up 3→8 · Squat, 12 Mar 09:00"."""
    return f"{flag.describe(language)} · {flag_when(flag, language)}"


def review_text(review: FlagReview, language: str) -> str:
    moment = review.reviewed_at.astimezone()
    text = tr("reviewed by {0}, {1} {2}", language, review.reviewed_by, day_text(moment, language), f"{moment:%H:%M}")
    return f"{text}: {review.note}" if review.note else text


class PainReviewDialog(QDialog):
    """Mark a patient's open pain flags reviewed; each is ticked, and any may be left for later."""

    last_reviewer = ""  # the name typed last time in this app: one therapist reviews several patients

    def __init__(
        self, store: Store, flags: list[PainFlag], parent: QWidget | None = None, language: str = "en"
    ) -> None:
        super().__init__(parent)
        self.store, self.flags, self.language = store, flags, language
        lang = language
        self.saved: list[FlagReview] = []
        self.setWindowTitle(tr("Mark pain flags reviewed", lang))
        intro = QLabel(
            tr(
                "The patient reported this pain after exercising. Once you have looked at it (and contacted the "
                "patient where needed), mark it reviewed: it leaves Needs attention and stays in the record.",
                lang,
            )
        )
        intro.setWordWrap(True)
        self.ticks = [QCheckBox(flag_text(flag, lang)) for flag in flags]
        for tick in self.ticks:
            tick.setChecked(True)
        self.reviewer = QLineEdit(PainReviewDialog.last_reviewer)
        self.reviewer.setPlaceholderText(tr("your name or initials", lang))
        self.reviewer.setMaxLength(100)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("optional, e.g. 'called the patient, squats paused'", lang))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for tick in self.ticks:
            layout.addWidget(tick)
        form = QFormLayout()
        form.addRow(tr("Reviewed by", lang), self.reviewer)
        form.addRow(tr("Note", lang), self.note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_cancel_buttons(self, self.save, lang))

    def save(self) -> None:
        chosen = [flag.session_id for flag, tick in zip(self.flags, self.ticks, strict=True) if tick.isChecked()]
        if not chosen:
            self.error.setText(tr("Tick the flags you have reviewed.", self.language))
            return
        try:
            self.saved = self.store.review_pain_flags(chosen, self.reviewer.text(), self.note.text())
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        PainReviewDialog.last_reviewer = self.reviewer.text().strip()
        self.accept()
