"""What every entry form shares (saving through the Editor, inline refusals), and the
check-in form used both on Today and when a check-in is edited from History."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import Checkin, Entry
from tracker.domain.errors import Problem, ValidationError
from tracker.storage.errors import JournalError
from tracker.ui.editing import Editor
from tracker.ui.widgets import (
    ErrorLabel,
    FieldErrors,
    NumberField,
    ScaleInput,
    TimeField,
    name_unnamed,
)


def journal_error_box(parent: QWidget | None, exc: JournalError, what: str) -> QMessageBox:
    """A clear message naming the journal file and the reason; shown without blocking."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Onset")
    box.setText(what)
    box.setInformativeText(f"{exc.reason}\n\nJournal file: {exc.path}")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    name_unnamed(box)
    return box


def note_field(name: str, lines: int = 3) -> QPlainTextEdit:
    field = QPlainTextEdit()
    field.setAccessibleName(name)
    field.setTabChangesFocus(True)
    line = field.fontMetrics().lineSpacing()
    field.setFixedHeight(line * lines + 14)
    return field


def note_text(field: QPlainTextEdit) -> str | None:
    text = field.toPlainText().strip()
    return text or None


def buddy(text: str, widget: QWidget) -> QLabel:
    """A field label whose &mnemonic moves the keyboard focus to its field."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def field_row(grid: QGridLayout, row: int, text: str, widget: QWidget, *, tall: bool) -> ErrorLabel:
    """A labelled field in grid rows `row` and `row + 1`, with its error line under it."""
    label = buddy(text, widget.focusProxy() or widget)
    if tall:
        label.setContentsMargins(0, 8, 0, 0)
    align = Qt.AlignmentFlag.AlignTop if tall else Qt.AlignmentFlag.AlignVCenter
    grid.addWidget(label, row, 0, align)
    grid.addWidget(widget, row, 1)
    error = ErrorLabel()
    grid.addWidget(error, row + 1, 1)
    return error


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
