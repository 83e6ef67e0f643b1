"""The check-in form, used on Today and when a check-in is edited from History."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tracker.domain.entries import Checkin
from tracker.domain.errors import Problem
from tracker.ui.widgets.errors import ErrorLabel, FieldErrors
from tracker.ui.widgets.form_rows import field_row, note_field, note_text
from tracker.ui.widgets.number_field import NumberField
from tracker.ui.widgets.scale import ScaleInput
from tracker.ui.widgets.time_field import TimeField

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _own_undo(field: QObject) -> bool:
    """Whether a text field has typing of its own to undo."""
    if isinstance(field, QLineEdit):
        return field.isUndoAvailable()
    if isinstance(field, QPlainTextEdit):
        return field.document().isUndoAvailable()
    edit = field.findChild(QLineEdit) if isinstance(field, QWidget) else None
    return edit is not None and edit.isUndoAvailable()


class CheckinForm(QWidget):
    """Anxiety 0–10 (required), mood 0–10, hours slept, a note and the time (now).

    Enter in any field submits it (Shift+Enter starts a new line in the note); Ctrl+Z in a
    text field undoes that field's own typing, and when there is none it is left to the
    window's Edit → Undo, so right after a save it undoes the save whatever has the focus.
    """

    submitted = Signal()
    edited = Signal()  # a value changed by the person, not by reset() or load()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._quiet = False
        self.anxiety = ScaleInput(
            "Anxiety right now",
            optional=False,
            low_text="0  not anxious",
            high_text="10  extremely anxious",
        )
        self.mood = ScaleInput("Mood (optional)", low_text="0  very low", high_text="10  very good")
        self.sleep = NumberField("Hours slept last night", whole=False, placeholder="e.g. 7.5")
        self.note = note_field("Note", lines=2)
        self.note.setPlaceholderText("Anything you want to remember about today (optional)")
        self.time = TimeField("Time of the check-in")
        self.general_error = ErrorLabel()
        self.errors = FieldErrors(self.general_error)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        rows: list[tuple[str, str, QWidget]] = [
            ("&Anxiety", "anxiety", self.anxiety),
            ("&Mood", "mood", self.mood),
            ("Hours &slept", "sleep_hours", self.sleep),
            ("&Note", "note", self.note),
            ("&Time", "at", self.time),
        ]
        row = 0
        for text, place, widget in rows:
            error = field_row(grid, row, text, widget, tall=place in ("anxiety", "mood", "note"))
            self.errors.add(place, error, widget)
            row += 2
        grid.addWidget(self.general_error, row, 0, 1, 2)
        self.anxiety.bar.setMinimumHeight(self.anxiety.bar.sizeHint().height())
        self.setTabOrder(self.anxiety.bar, self.mood.bar)
        self.setTabOrder(self.mood.bar, self.sleep)
        self.setTabOrder(self.sleep, self.note)
        self.setTabOrder(self.note, self.time.edit)
        self.setTabOrder(self.time.edit, self.time.now_button)
        self.note.setAccessibleDescription(
            "Enter saves the check-in; Shift+Enter starts a new line"
        )
        for field in (self.anxiety.bar, self.mood.bar, self.sleep, self.note, self.time.edit):
            field.installEventFilter(self)
        for changed in (self.anxiety.valueChanged, self.mood.valueChanged):
            changed.connect(self._edited)
        self.sleep.textChanged.connect(self._edited)
        self.note.textChanged.connect(self._edited)
        self.time.edit.dateTimeChanged.connect(self._edited)

    def fit_to_style(self) -> None:
        """Measure again what was measured in fonts the style sheet has since changed."""
        self.anxiety.fit_readout()
        self.mood.fit_readout()

    def _edited(self, *_args: object) -> None:
        if not self._quiet and not self.time.updating():
            self.edited.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if event.key() in _ENTER and not (shifted and watched is self.note):
                self.submitted.emit()
                return True
        elif (
            kind == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and not _own_undo(watched)
        ):
            return True  # not taken by the field: the window's Undo gets it
        return super().eventFilter(watched, event)

    def has_input(self) -> bool:
        """Anything typed or chosen that is not saved yet (a time left at 'now' is not)."""
        return (
            self.anxiety.value() is not None
            or self.mood.value() is not None
            or bool(self.sleep.text().strip())
            or bool(self.note.toPlainText().strip())
            or not self.time.follows_now()
        )

    def build(self) -> tuple[Checkin | None, list[Problem]]:
        """The check-in as typed, or the problems that keep it from being stored."""
        problems: list[Problem] = []
        sleep, why = self.sleep.read()
        if why:
            problems.append(Problem("sleep_hours", why))
        anxiety = self.anxiety.value()
        if anxiety is None:
            problems.append(Problem("anxiety", "Choose how anxious you feel, from 0 to 10"))
        if problems or anxiety is None:
            return None, problems
        entry = Checkin(
            at=self.time.value(),
            anxiety=anxiety,
            mood=self.mood.value(),
            sleep_hours=None if sleep is None else float(sleep),
            note=note_text(self.note),
        )
        return entry, entry.problems()

    def load(self, entry: Checkin) -> None:
        self._quiet = True
        try:
            self.anxiety.setValue(entry.anxiety)
            self.mood.setValue(entry.mood)
            self.sleep.set_number(entry.sleep_hours)
            self.note.setPlainText(entry.note or "")
            self.time.set_value(entry.at)
        finally:
            self._quiet = False

    def draft(self) -> dict[str, Any] | None:
        """What is typed, as it stands (sleep and note as typed, "7o" included), for a
        draft; None when the form holds nothing."""
        if not self.has_input():
            return None
        return {
            "anxiety": self.anxiety.value(),
            "mood": self.mood.value(),
            "sleep_hours": self.sleep.text(),
            "note": self.note.toPlainText(),
            "at": None if self.time.follows_now() else self.time.value().isoformat(),
        }

    def restore(self, fields: dict[str, Any]) -> None:
        """Put a draft back; a value that is not what draft() writes is left out."""

        def rating(value: object) -> int | None:
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            return value if 0 <= value <= 10 else None

        def text(value: object) -> str:
            return value if isinstance(value, str) else ""

        at = None
        if isinstance(fields.get("at"), str):
            try:
                at = datetime.fromisoformat(fields["at"])
            except ValueError:
                at = None
        self._quiet = True
        try:
            self.anxiety.setValue(rating(fields.get("anxiety")))
            self.mood.setValue(rating(fields.get("mood")))
            self.sleep.setText(text(fields.get("sleep_hours")))
            self.note.setPlainText(text(fields.get("note")))
            if at is None:
                self.time.reset_to_now()
            else:
                self.time.set_value(at)
        finally:
            self._quiet = False

    def reset(self) -> None:
        """Empty again after a save. setText/setPlainText (not clear()) also forget each
        field's own undo history, so the next Ctrl+Z undoes the save, not the emptying."""
        self._quiet = True
        try:
            self.anxiety.setValue(None)
            self.mood.setValue(None)
            self.sleep.setText("")
            self.note.setPlainText("")
            self.time.reset_to_now()
            self.errors.clear()
        finally:
            self._quiet = False
