"""What the therapist's edit dialogs share: Save and Cancel in the dialog's own language, and the
line that says what is wrong with an entry."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from rehab_coach.ui.strings import tr

ERROR_COLOUR = "#b00020"


def save_cancel_buttons(dialog: QDialog, save: Callable[[], None], language: str) -> QDialogButtonBox:
    """Save runs `save` (which accepts the dialog once the entry is stored); Cancel rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save", language))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel", language))
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(f"color: {ERROR_COLOUR}")
    return label
