"""The parts of a form row: a label tied to its field, an error line, a note field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from tracker.ui.widgets.errors import ErrorLabel


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
