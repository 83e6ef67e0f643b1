"""What every entry dialog shares: saving through the Editor, inline refusals."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QWidget,
)

from tracker.domain.entries import Entry
from tracker.domain.errors import ValidationError
from tracker.storage.errors import JournalError
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import journal_error_box
from tracker.ui.widgets.errors import ErrorLabel, FieldErrors


class EntryDialog(QDialog):
    """A form dialog: Save builds the entry, the domain rules judge it, the Editor stores it.

    Nothing is stored until every problem is gone; each refusal shows beside its field.
    """

    saved = Signal(list)

    def __init__(self, editor: Editor, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.editor = editor
        self.general_error = ErrorLabel()
        self.errors = FieldErrors(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        if self.save():
            super().accept()

    def save(self) -> bool:
        raise NotImplementedError

    def store(self, action: Callable[[], Sequence[Entry]]) -> bool:
        """Run one Editor action; show a refusal inline, a journal failure in a message."""
        try:
            stored = list(action())
        except ValidationError as exc:
            self.errors.show(exc.problems)
            return False
        except JournalError as exc:
            journal_error_box(self, exc, "Nothing was saved.").open()
            return False
        self.saved.emit(stored)
        return True
