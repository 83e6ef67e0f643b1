"""What a form holds now, to tell whether anything was typed since it was opened or saved.

`form_state(root)` reads every input under a form (text, choices, ticks, 0–10 scales, the
time unless it still follows the clock) into one comparable value; a form keeps the state
it had when shown or last saved, and has unsaved input while the two differ. Windows of
their own (a message over the form) are not part of it.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tracker.ui.widgets.scale import ScaleInput
from tracker.ui.widgets.time_field import TimeField


def _read(widget: QWidget) -> Any:
    """The input one widget holds, or None when it holds none (or is looked into)."""
    if isinstance(widget, TimeField):
        return ("time", None if widget.follows_now() else widget.value())
    if isinstance(widget, ScaleInput):
        return ("scale", widget.value())
    if isinstance(widget, QLineEdit):
        return None if widget.isReadOnly() else ("text", widget.text())
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return None if widget.isReadOnly() else ("text", widget.toPlainText())
    if isinstance(widget, QComboBox):
        return ("choice", widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractSpinBox):
        return ("spin", widget.text())
    if isinstance(widget, QAbstractButton):
        return ("tick", widget.isChecked()) if widget.isCheckable() else None
    if isinstance(widget, QListWidget):
        ticks = []
        for row in range(widget.count()):
            item = widget.item(row)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                ticks.append((item.text(), item.checkState() == Qt.CheckState.Checked))
        return ("ticks", tuple(ticks))
    return None


# Widgets read whole: what is inside them (a combo's line edit, a spin box's text) is theirs.
_WHOLE = (TimeField, ScaleInput, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox)


def form_state(root: QWidget) -> tuple[Any, ...]:
    found: list[Any] = []

    def walk(widget: QWidget) -> None:
        for child in widget.children():
            if not isinstance(child, QWidget) or isinstance(child, QDialog):
                continue
            value = _read(child)
            if value is not None:
                found.append(value)
            if not isinstance(child, _WHOLE):
                walk(child)

    walk(root)
    return tuple(found)


class UnsavedInput(Protocol):
    """A form that can hold typed input not yet in the journal (Today's check-in, an entry
    dialog). The window asks each before it closes; anything that hides the window (a lock)
    can ask the same."""

    def has_unsaved_input(self) -> bool: ...

    def unsaved_what(self) -> str:
        """In words, for a question: "the check-in on Today"."""
        ...

    def save_unsaved(self) -> bool:
        """Save it as the form's own Save would; False (problems shown) when refused."""
        ...

    def show_unsaved(self) -> None:
        """Bring the form forward, e.g. to show why it could not be saved."""
        ...
