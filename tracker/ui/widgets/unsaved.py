"""What a form holds now, to tell whether anything was typed since it was opened or saved.

`form_state(root)` reads every input under a form (text, choices, ticks, 0–10 scales, the
time unless it still follows the clock) into one comparable value; a form keeps the state
it had when shown or last saved, and has unsaved input while the two differ. Windows of
their own (a message over the form) are not part of it.
"""

from __future__ import annotations

from datetime import datetime
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


def _inputs(root: QWidget) -> list[QWidget]:
    """The widgets form_state() reads, in the same order."""
    found: list[QWidget] = []

    def walk(widget: QWidget) -> None:
        for child in widget.children():
            if not isinstance(child, QWidget) or isinstance(child, QDialog):
                continue
            if _read(child) is not None:
                found.append(child)
            if not isinstance(child, _WHOLE):
                walk(child)

    walk(root)
    return found


def state_fields(root: QWidget) -> list[Any]:
    """form_state() as JSON values (a crash draft of a dialog): times as ISO text."""
    fields: list[Any] = []
    for value in form_state(root):
        kind, *rest = value
        if kind == "time":
            rest = [rest[0].isoformat(timespec="seconds") if rest[0] is not None else None]
        elif kind == "ticks":
            rest = [[list(tick) for tick in rest[0]]]
        fields.append([kind, *rest])
    return fields


def restore_fields(root: QWidget, fields: list[Any]) -> bool:
    """Put state_fields() back into a form made the same way. False, and nothing changed,
    when the form is not laid out as it was (another kind of input at some place)."""
    widgets = _inputs(root)
    if len(widgets) != len(fields):
        return False
    for widget, field in zip(widgets, fields, strict=True):
        now = _read(widget)
        if not isinstance(field, list) or not field or now is None or now[0] != field[0]:
            return False
    for widget, field in zip(widgets, fields, strict=True):
        try:
            _put(widget, field)
        except (TypeError, ValueError, IndexError):
            continue  # one unreadable value: the rest still come back
    return True


def _put(widget: QWidget, field: list[Any]) -> None:
    kind = field[0]
    if isinstance(widget, TimeField):
        if field[1] is not None:
            widget.set_value(datetime.fromisoformat(field[1]))
    elif isinstance(widget, ScaleInput):
        widget.setValue(None if field[1] is None else int(field[1]))
    elif isinstance(widget, QLineEdit):
        widget.setText(str(field[1]))
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.setPlainText(str(field[1]))
    elif isinstance(widget, QComboBox):
        index, text = int(field[1]), str(field[2])
        if widget.itemText(index) != text:
            index = widget.findText(text)
        if index >= 0:
            widget.setCurrentIndex(index)
            widget.activated.emit(index)  # as if chosen: forms that follow a choice follow
    elif isinstance(widget, QAbstractSpinBox):
        line = widget.lineEdit()
        if line is not None:
            line.setText(str(field[1]))
            widget.interpretText()
    elif isinstance(widget, QAbstractButton) and kind == "tick":
        widget.setChecked(bool(field[1]))
    elif isinstance(widget, QListWidget):
        ticked = {str(text): bool(on) for text, on in field[1]}
        for row in range(widget.count()):
            item = widget.item(row)
            if item is not None and item.text() in ticked:
                state = Qt.CheckState.Checked if ticked[item.text()] else Qt.CheckState.Unchecked
                item.setCheckState(state)


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
