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


def _inputs(root: QWidget) -> list[tuple[QWidget, Any]]:
    """Every input under a form with what it holds (_read), in the form's order."""
    found: list[tuple[QWidget, Any]] = []

    def walk(widget: QWidget) -> None:
        for child in widget.children():
            if not isinstance(child, QWidget) or isinstance(child, QDialog):
                continue
            value = _read(child)
            if value is not None:
                found.append((child, value))
            if not isinstance(child, _WHOLE):
                walk(child)

    walk(root)
    return found


def form_state(root: QWidget) -> tuple[Any, ...]:
    return tuple(value for _widget, value in _inputs(root))


def _name(widget: QWidget) -> str:
    """An input's accessible name; for a made-up one (a time field, a 0–10 scale), that of
    the part of it that takes the focus, which carries the name."""
    if isinstance(widget, ScaleInput):
        return widget.field_name  # its accessible name says its value too
    if widget.accessibleName():
        return widget.accessibleName()
    proxy = widget.focusProxy()
    if proxy is not None and proxy.accessibleName():
        return proxy.accessibleName()
    for part in widget.findChildren(QWidget):
        if part.focusPolicy() != Qt.FocusPolicy.NoFocus and part.accessibleName():
            return part.accessibleName()
    return widget.objectName()


def _keyed(root: QWidget) -> dict[str, tuple[QWidget, Any]]:
    """The inputs (and what they hold) by what a screen reader calls them (the n-th of a
    name, when names repeat): a key that stays with its field when rows come back in
    another order."""
    keyed: dict[str, tuple[QWidget, Any]] = {}
    seen: dict[str, int] = {}
    for widget, value in _inputs(root):
        name = _name(widget)
        keyed[f"{name}#{seen.get(name, 0)}"] = (widget, value)
        seen[name] = seen.get(name, 0) + 1
    return keyed


def state_fields(root: QWidget) -> list[Any]:
    """What the form holds as JSON values (a crash draft of a dialog): for each input its
    kind, its key (_keyed) and its value; times as ISO text."""
    fields: list[Any] = []
    for key, (_widget, value) in _keyed(root).items():
        kind, *rest = value
        if kind == "time":
            rest = [rest[0].isoformat(timespec="seconds") if rest[0] is not None else None]
        elif kind == "ticks":
            rest = [[list(tick) for tick in rest[0]]]
        fields.append([kind, key, *rest])
    return fields


def restore_fields(root: QWidget, fields: list[Any]) -> bool:
    """Put state_fields() back, each value into the input of the same kind and key, in the
    order kept: a choice may add inputs (a ticked side effect adds its row), so the form is
    looked at again after each one. False when some value found no such input (the form is
    made differently now): the others are back all the same."""
    whole = True
    for field in fields:
        if not isinstance(field, list) or len(field) < 2:
            whole = False
            continue
        kind, key, *rest = field
        found = _keyed(root).get(str(key))
        if found is None or found[1][0] != kind:
            whole = False
            continue
        widget = found[0]
        try:
            _put(widget, [kind, *rest])
        except (TypeError, ValueError, IndexError):
            whole = False  # one unreadable value: the rest still come back
    return whole and len(_inputs(root)) == len(fields)


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
