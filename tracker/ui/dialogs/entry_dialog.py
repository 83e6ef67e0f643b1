"""What every entry dialog shares: saving through the Editor, inline refusals, and never
losing what was typed: Escape, Cancel or the close button on a changed form ask
Save / Discard / Cancel first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QWidget,
)

from tracker.domain.entries import Entry
from tracker.domain.errors import ValidationError
from tracker.storage.errors import JournalError
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import ask_save_discard, journal_error_box
from tracker.ui.widgets.errors import ErrorLabel, FieldErrors
from tracker.ui.widgets.unsaved import form_state

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent


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
        # The form as shown (or last saved); it has unsaved input while it differs.
        self._kept: tuple[Any, ...] | None = None
        self.unsaved_prompt: QMessageBox | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._kept is None:
            self._kept = form_state(self)

    # -- unsaved input (tracker.ui.widgets.unsaved.UnsavedInput) ------------------------

    def has_unsaved_input(self) -> bool:
        return self._kept is not None and form_state(self) != self._kept

    def unsaved_what(self) -> str:
        return f"the form “{self.windowTitle()}”"

    def save_unsaved(self) -> bool:
        return self.save()

    def show_unsaved(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    def reject(self) -> None:
        """Escape, Cancel, the close button: a changed form asks before anything is lost."""
        if not self.has_unsaved_input():
            super().reject()
            return
        if self.unsaved_prompt is not None and self.unsaved_prompt.isVisible():
            return
        self.unsaved_prompt = ask_save_discard(
            self,
            "Save what you typed?",
            f"{self.windowTitle()}: closing it now would lose what you typed.",
            self.accept,
            self.discard,
        )
        self.unsaved_prompt.destroyed.connect(self._prompt_gone)

    def _prompt_gone(self) -> None:
        self.unsaved_prompt = None

    def discard(self) -> None:
        """Close without saving, as asked."""
        self._kept = None
        super().reject()

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
        self._kept = form_state(self)
        self.saved.emit(stored)
        return True
