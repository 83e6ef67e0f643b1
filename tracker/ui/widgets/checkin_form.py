"""The check-in form, used on Today and when a check-in is edited from History."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QWidget,
)

from tracker.domain.entries import Checkin
from tracker.domain.errors import Problem
from tracker.ui.widgets.errors import ErrorLabel, FieldErrors
from tracker.ui.widgets.form_rows import field_row, note_field, note_text
from tracker.ui.widgets.number_field import NumberField
from tracker.ui.widgets.scale import ScaleInput
from tracker.ui.widgets.time_field import TimeField


class CheckinForm(QWidget):
    """Anxiety 0–10 (required), mood 0–10, hours slept, a note and the time (now)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.anxiety = ScaleInput(
            "Anxiety right now, 0 to 10",
            optional=False,
            low_text="0  not anxious",
            high_text="10  extremely anxious",
        )
        self.mood = ScaleInput(
            "Mood, 0 to 10 (optional)", low_text="0  very low", high_text="10  very good"
        )
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
        self.anxiety.setValue(entry.anxiety)
        self.mood.setValue(entry.mood)
        self.sleep.set_number(entry.sleep_hours)
        self.note.setPlainText(entry.note or "")
        self.time.set_value(entry.at)

    def reset(self) -> None:
        self.anxiety.setValue(None)
        self.mood.setValue(None)
        self.sleep.clear()
        self.note.clear()
        self.time.reset_to_now()
        self.errors.clear()
