"""What every entry dialog shares: saving through the Editor, inline refusals, and never
losing what was typed: Escape, Cancel or the close button on a changed form ask
Save / Discard / Cancel first, and while a form holds unsaved input it is kept in the
journal as a draft (tracker.ui.widgets.draft), so that a crash or a killed process loses
none of it: the window opens the form again at the next start, filled in as it was.

A dialog takes part by naming its form (`FORM`) and anything else it is made from
(`draft_extras()`); the window's `reopen_drafts()` follows that recipe."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import Entry
from tracker.domain.errors import ValidationError
from tracker.storage.errors import JournalError
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import ask_save_discard, journal_error_box
from tracker.ui.widgets.draft import DIALOG_DRAFTS, Draft, DraftKeeper, restored_words
from tracker.ui.widgets.errors import ErrorLabel, FieldErrors
from tracker.ui.widgets.layout import notice_bar
from tracker.ui.widgets.unsaved import form_state, restore_fields, state_fields

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

# How often an open form is looked at for input to keep: at most one small write a second
# while someone types, none while nothing changes.
DRAFT_POLL_MS = 1000


class EntryDialog(QDialog):
    """A form dialog: Save builds the entry, the domain rules judge it, the Editor stores it.

    Nothing is stored until every problem is gone; each refusal shows beside its field.
    """

    saved = Signal(list)
    # The form's name in a crash draft's recipe (MainWindow.reopen_drafts); None: no draft.
    FORM: ClassVar[str | None] = None

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
        self._keeper: DraftKeeper | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(DRAFT_POLL_MS)
        self._poll.timeout.connect(self.keep_draft)
        self.restored_note: QWidget | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._kept is None:
            self._kept = form_state(self)
        if self._keeper is None and self.FORM is not None:
            # Each open form keeps its own draft: two forms of one kind never share one.
            self._adopt_draft(f"{DIALOG_DRAFTS}{time.time_ns()}")
        if self._keeper is not None:
            self._poll.start()

    def _adopt_draft(self, name: str) -> None:
        if self._keeper is not None:
            self._keeper.stop()
            self._keeper.deleteLater()
        self._keeper = DraftKeeper(self.editor.journal, name, self._draft_fields, self)

    # -- the crash draft ----------------------------------------------------------------

    def draft_recipe(self) -> dict[str, Any]:
        """How the window makes this form again (MainWindow.reopen_drafts), as JSON values:
        the form, the entry it edits (its kind and id) and the form's own extras."""
        entry = getattr(self, "entry", None)
        edited = entry if isinstance(entry, Entry) and entry.id is not None else None
        return {
            "form": self.FORM,
            "kind": edited.KIND if edited else None,
            "entry": edited.id if edited else None,
            **self.draft_extras(),
        }

    def draft_extras(self) -> dict[str, Any]:
        """What else making this form again needs (a questionnaire: which one)."""
        return {}

    def prepare_restore(self, recipe: dict[str, Any]) -> None:
        """Make what a draft's fields need that the form does not make by itself (before
        restore_draft puts the values back)."""

    def _draft_fields(self) -> dict[str, Any] | None:
        if not self.has_unsaved_input():
            return None
        return {
            "recipe": self.draft_recipe(),
            "title": self.windowTitle(),
            "fields": state_fields(self),
        }

    def keep_draft(self) -> None:
        """Write what the form holds now, if it changed since the last write."""
        if self._keeper is not None:
            self._keeper.write_now()

    def restore_draft(self, name: str, draft: Draft) -> bool:
        """Fill the form as it was when the draft `name` was kept, say so at its top, and
        keep that draft from now on. False when not every value found its place (the form
        is made differently now): the caller gives the typed words back."""
        self._adopt_draft(name)
        fields, recipe = draft.fields.get("fields"), draft.fields.get("recipe")
        if not isinstance(fields, list):
            return False
        if isinstance(recipe, dict):
            self.prepare_restore(recipe)
        whole = restore_fields(self, fields)
        # The same notice as Today's restored check-in, above the form.
        words = QLabel(restored_words(draft.kept_at) + ".")
        words.setWordWrap(True)
        words.setAccessibleName(words.text())
        discard = QPushButton("Discard")
        discard.setAccessibleName("Discard the restored input and close the form")
        discard.clicked.connect(self.discard)
        note = notice_bar("notice", words, discard, (12, 6, 8, 6))
        holder = QWidget()
        around = QVBoxLayout(holder)
        around.setContentsMargins(16, 12, 16, 0)
        around.addWidget(note)
        layout = self.layout()
        if layout is not None and hasattr(layout, "insertWidget"):
            layout.insertWidget(0, holder)
        self.restored_note = words
        return whole

    def _forget_draft(self) -> None:
        self._poll.stop()
        if self._keeper is not None:
            self._keeper.forget()

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

    def done(self, result: int) -> None:
        # Saved, discarded, or closed with nothing typed: no draft is left behind.
        self._forget_draft()
        super().done(result)

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
        if self._keeper is not None:
            self._keeper.forget()
        self.saved.emit(stored)
        return True
