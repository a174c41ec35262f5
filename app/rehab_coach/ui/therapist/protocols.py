"""Protocols on the therapist screens: the list (search, what each holds, rename, delete, start this
patient's program from one) and saving the program being edited as one. The store keeps them
(`rehab_coach.session.store.protocols`); the list is read on a worker thread (`NewestRead`), again
at each keystroke of the search, the newest read's answer shown."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rehab_coach.engine.templates import Library
from rehab_coach.session.prescribing import program_summary, progression_lines
from rehab_coach.session.store import (
    ProgramSpec,
    ProtocolInfo,
    ProtocolNameTaken,
    Store,
    StoreError,
    delete_protocol,
    list_protocols,
    rename_protocol,
    save_protocol,
)
from rehab_coach.ui.background import NewestRead
from rehab_coach.ui.strings import tr
from rehab_coach.ui.therapist.dialog_parts import error_label, save_cancel_buttons

PROTOCOL_ROLE = Qt.ItemDataRole.UserRole + 1


class ProtocolsDialog(QDialog):
    """Every protocol. `chosen` is the one to start this patient's program from, once accepted."""

    def __init__(
        self,
        store: Store,
        library: Library,
        parent: QWidget | None = None,
        language: str = "en",
        *,
        can_use: bool = True,
    ) -> None:
        super().__init__(parent)
        self.store, self.library, self.language = store, library, language
        lang = language
        self.chosen: ProtocolInfo | None = None
        self.reads = NewestRead(self, "protocols")
        self.setWindowTitle(tr("Protocols", lang))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search protocols", lang))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.name = QLineEdit()
        self.rename_button = QPushButton(tr("Rename", lang))
        self.delete_button = QPushButton(tr("Delete…", lang))
        self.use_button = QPushButton(tr("Start this patient's program from it", lang))
        self.use_button.setVisible(can_use)
        close = QPushButton(tr("Close", lang))
        self.status = error_label()
        self.status.setWordWrap(True)
        # Deleting asks once more, in the dialog itself (no second window to lose behind the first).
        self.confirm = QWidget()
        self.confirm_text = QLabel()
        self.confirm_yes = QPushButton(tr("Delete", lang))
        confirm_no = QPushButton(tr("Keep", lang))
        confirm_row = QHBoxLayout(self.confirm)
        confirm_row.setContentsMargins(0, 0, 0, 0)
        confirm_row.addWidget(self.confirm_text, 1)
        confirm_row.addWidget(self.confirm_yes)
        confirm_row.addWidget(confirm_no)
        self.confirm.hide()
        rename_row = QHBoxLayout()
        rename_row.addWidget(QLabel(tr("Name", lang)))
        rename_row.addWidget(self.name, 1)
        rename_row.addWidget(self.rename_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.use_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.detail)
        layout.addLayout(rename_row)
        layout.addWidget(self.confirm)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.search.textChanged.connect(lambda _text: self.refresh())
        self.list.currentRowChanged.connect(lambda _row: self._show_selected())
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.ask_delete)
        self.confirm_yes.clicked.connect(self.delete)
        confirm_no.clicked.connect(self.confirm.hide)
        self.use_button.clicked.connect(self.use)
        close.clicked.connect(self.reject)
        self.resize(680, 520)
        self._show_selected()  # nothing to rename or delete before the list is read
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        """Read the protocols the search finds, on the worker; `select`: the one to choose once shown."""
        store, search = self.store, self.search.text()
        if not self.list.count():
            self.detail.setText(tr("Loading…", self.language))
        self.reads.read(
            lambda: list_protocols(store, search),
            lambda protocols: self._show(protocols, select),
            lambda error: self.status.setText(tr("This cannot be read now: {0}", self.language, error)),
        )

    @property
    def loaded(self) -> bool:
        return not self.reads.loading

    def _show(self, protocols: list[ProtocolInfo], select: int | None) -> None:
        self.list.clear()
        for protocol in protocols:
            row = QListWidgetItem(protocol.name)
            row.setData(PROTOCOL_ROLE, protocol)
            self.list.addItem(row)
        ids = [p.id for p in protocols]
        if protocols:
            self.list.setCurrentRow(ids.index(select) if select in ids else 0)
        elif not self.search.text().strip():
            self.detail.setText(
                tr("No protocols yet. Save a program as a protocol from the program editor.", self.language)
            )
        else:
            self.detail.setText(tr("No protocol matches.", self.language))
        self._show_selected()

    def names(self) -> list[str]:
        """The protocols listed, for tests."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def selected(self) -> ProtocolInfo | None:
        row = self.list.currentItem()
        return row.data(PROTOCOL_ROLE) if row is not None else None

    def _show_selected(self) -> None:
        protocol = self.selected()
        self.confirm.hide()
        for widget in (self.name, self.rename_button, self.delete_button, self.use_button):
            widget.setEnabled(protocol is not None)
        if protocol is None:
            self.name.clear()
            return
        self.status.clear()
        self.name.setText(protocol.name)
        lines = [program_summary(protocol.items, protocol.weekdays, self.library, self.language)]
        lines += progression_lines(protocol.items, self.library, self.language)
        if protocol.notes:
            lines.append(protocol.notes)
        self.detail.setText("\n".join(lines))

    def rename(self) -> None:
        protocol = self.selected()
        if protocol is None:
            return
        try:
            renamed = rename_protocol(self.store, protocol.id, self.name.text())
        except StoreError as exc:
            self.status.setText(str(exc))
            return
        self.refresh(select=renamed.id)

    def ask_delete(self) -> None:
        protocol = self.selected()
        if protocol is not None:
            self.confirm_text.setText(
                tr("Delete the protocol “{0}”? Programs started from it stay.", self.language, protocol.name)
            )
            self.confirm.show()

    def delete(self) -> None:
        protocol = self.selected()
        if protocol is None:
            return
        try:
            delete_protocol(self.store, protocol.id)
        except StoreError as exc:
            self.status.setText(str(exc))
            return
        self.refresh()

    def use(self) -> None:
        self.chosen = self.selected()
        if self.chosen is not None:
            self.accept()


class SaveProtocolDialog(QDialog):
    """Save the program being edited as a protocol. A name in use is refused with the reason, and a
    tick box then offers to replace that protocol."""

    def __init__(self, store: Store, spec: ProgramSpec, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.store, self.spec, self.language = store, spec, language
        lang = language
        self.saved: ProtocolInfo | None = None
        self.setWindowTitle(tr("Save as protocol", lang))
        self.name = QLineEdit(spec.name)
        self.name.setPlaceholderText(tr("e.g. TKA weeks 0-2", lang))
        self.replace = QCheckBox(tr("Replace the protocol of that name", lang))
        self.replace.hide()
        self.error = error_label()
        self.error.setWordWrap(True)
        note = QLabel(tr("Exercises, dosage, targets, progressions and days are saved; the start date is not.", lang))
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(tr("Protocol name", lang), self.name)
        form.addRow(note)
        form.addRow(self.replace)
        form.addRow(self.error)
        form.addRow(save_cancel_buttons(self, self.save, lang))
        self.name.textChanged.connect(lambda _text: self.replace.setChecked(False))

    def save(self) -> None:
        try:
            self.saved = save_protocol(self.store, self.name.text(), self.spec, replace=self.replace.isChecked())
        except ProtocolNameTaken as exc:
            self.error.setText(str(exc))
            self.replace.show()
            return
        except StoreError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
