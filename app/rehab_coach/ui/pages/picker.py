"""Pick the exercise: one large row per template, keyboard first (arrows + Enter)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from rehab_coach.engine.templates import Template
from rehab_coach.ui.strings import tr


def dosage_text(template: Template) -> str:
    d = template.dosage
    if template.kind == "hold" and template.hold is not None:
        return f"{d.sets} sets × {d.reps} holds of {template.hold.seconds:.0f} s"
    return f"{d.sets} sets × {d.reps} reps"


def describe(template: Template, language: str) -> str:
    return f"{template.name.get(language)}\n{tr(f'{template.view} view', language)} · {dosage_text(template)}"


class PickerPage(QWidget):
    chosen = Signal(str)  # template id

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        title = QLabel(tr("Choose an exercise", language))
        title.setObjectName("title")
        self.errors = QLabel()
        self.errors.setObjectName("muted")
        self.errors.setWordWrap(True)
        self.list = QListWidget()
        self.list.itemActivated.connect(lambda item: self.chosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.errors)

    def set_templates(self, templates: list[Template], errors: dict[str, str]) -> None:
        self.list.clear()
        for template in templates:
            item = QListWidgetItem(describe(template, self.language))
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        # A broken template file is reported, not hidden: a clinic may be editing one.
        self.errors.setText("\n".join(f"Not loaded: {message}" for message in errors.values()))
        self.errors.setVisible(bool(errors))

    def focus_list(self) -> None:
        self.list.setFocus()
