"""Editing a stored check-in from History: the same form as on Today."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import Checkin
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.widgets.checkin_form import CheckinForm


class CheckinDialog(EntryDialog):
    """Editing a stored check-in (from History): the same form as on Today."""

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

    def save(self) -> bool:
        self.form.errors.clear()
        entry, problems = self.form.build()
        if problems or entry is None:
            self.form.errors.show(problems)
            return False
        return self.store(lambda: [self.editor.update(self.entry, entry)])
