"""Copy from patient...: pick another patient (searched by name or code, accents ignored) whose current
program the editor loads for this patient (`rehab_coach.session.prescribing` chooses and copies). The
programs are read once, on a worker thread, with "Loading…" meanwhile; the search only filters them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.engine.templates import Library
from rehab_coach.session.prescribing import CopySource, copy_sources, matching, program_summary
from rehab_coach.session.store import Store
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import tr

SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1


class CopyProgramDialog(QDialog):
    """`chosen` is the patient and program picked, once accepted."""

    def __init__(
        self,
        store: Store,
        library: Library,
        patient_id: int | None,
        parent: QWidget | None = None,
        language: str = "en",
    ) -> None:
        super().__init__(parent)
        self.store, self.library, self.patient_id, self.language = store, library, patient_id, language
        lang = language
        self.chosen: CopySource | None = None
        self.sources: list[CopySource] = []  # every other patient's program, read on the worker
        self.reads = NewestRead(self, "copy-sources")
        self.setWindowTitle(tr("Copy a program from another patient", lang))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search name or code", lang))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        note = QLabel(tr("The copy opens in the editor for this patient; nothing is saved until you save it.", lang))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.copy_button.setText(tr("Copy", lang))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel", lang))
        buttons.accepted.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self.refresh)
        self.list.currentRowChanged.connect(lambda _row: self.copy_button.setEnabled(self.list.currentRow() >= 0))
        self.list.itemDoubleClicked.connect(lambda _item: self.copy())
        self.resize(640, 480)
        self.empty.setText(tr("Loading…", lang))
        self.copy_button.setEnabled(False)
        self.reads.read(
            lambda: copy_sources(store, patient_id),
            self._read,
            lambda error: self.empty.setText(tr("This cannot be read now: {0}", lang, error)),
        )

    @property
    def loaded(self) -> bool:
        return not self.reads.loading

    def _read(self, sources: list[CopySource]) -> None:
        self.sources = sources
        self.refresh()

    def refresh(self) -> None:
        """The programs read, filtered by the search (no read)."""
        if not self.loaded:
            return  # still "Loading…": the search applies once they are read
        lang = self.language
        self.list.clear()
        sources = matching(self.sources, self.search.text())
        for source in sources:
            patient, program = source.patient, source.program
            title = f"{patient.display_name}  [{patient.code}]"
            if program.name:
                title += f" · {program.name}"
            row = QListWidgetItem(
                f"{title}\n{program_summary(program.as_spec().items, program.weekdays, self.library, lang)}"
            )
            row.setData(SOURCE_ROLE, source)
            self.list.addItem(row)
        if sources:
            self.list.setCurrentRow(0)
            self.empty.clear()
        else:
            self.empty.setText(
                tr("No patient matches.", lang)
                if self.search.text().strip()
                else tr("No other patient has a program yet.", lang)
            )
        self.copy_button.setEnabled(bool(sources))

    def shown(self) -> list[str]:
        """The patient codes listed, for tests."""
        return [self.list.item(i).data(SOURCE_ROLE).patient.code for i in range(self.list.count())]

    def copy(self) -> None:
        row = self.list.currentItem()
        if row is None:
            return
        self.chosen = row.data(SOURCE_ROLE)
        self.accept()
