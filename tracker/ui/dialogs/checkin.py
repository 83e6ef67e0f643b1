"""Editing a stored check-in from History: the same form as on Today."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import Checkin
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.dialogs.messages import ask_future, is_future
from tracker.ui.widgets.checkin_form import CheckinForm


class CheckinDialog(EntryDialog):
    """Editing a stored check-in (from History): the same form as on Today."""

    FORM = "checkin"

    def __init__(self, editor: Editor, entry: Checkin, parent: QWidget | None = None):
        super().__init__(editor, "Edit check-in", parent)
        self.entry = entry
        self.form = CheckinForm(self)
        self.form.load(entry)
        self.errors = self.form.errors
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(14)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def save(self, *, future_confirmed: bool = False) -> bool:
        self.form.errors.clear()
        entry, problems = self.form.build()
        if problems or entry is None:
            self.form.errors.show(problems)
            return False
        if is_future(entry.at) and not is_future(self.entry.at) and not future_confirmed:
            # Moved into the future: most likely a slip of the day or month.
            self.future_box = ask_future(self, "check-in", entry.at, self._save_future)
            return False
        return self.store(lambda: [self.editor.update(self.entry, entry)])

    def _save_future(self) -> None:
        if self.save(future_confirmed=True):
            self.done(QDialog.DialogCode.Accepted)
