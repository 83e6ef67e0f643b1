"""Inline refusals: a red line under the field that caused it, gone once the field is
changed (a number field says at once, and until fixed, that it holds no number)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from tracker.domain.errors import Problem
from tracker.ui.widgets.layout import sentence


class ErrorLabel(QLabel):
    """An inline message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("error", True)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def _on_edit(widget: QWidget, slot: object) -> None:
    """Connect the signal by which a person changes this kind of field, if it has one."""
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(slot)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif widget.inherits("QComboBox"):
        # Asked of Qt first: the Python type is made only for a form that has a combo box.
        from PySide6.QtWidgets import QComboBox

        assert isinstance(widget, QComboBox)
        widget.activated.connect(slot)
    elif isinstance(widget, QDateTimeEdit):
        widget.dateTimeChanged.connect(slot)
    elif isinstance(widget, QAbstractButton) and widget.isCheckable():
        widget.toggled.connect(slot)
    else:
        changed = getattr(widget, "valueChanged", None)  # the 0–10 scales
        if changed is not None:
            changed.connect(slot)


class FieldErrors:
    """Maps each Problem.place of the domain rules to the message label beside its field."""

    def __init__(self, general: ErrorLabel):
        self._general = general
        self._fields: dict[str, tuple[ErrorLabel, QWidget]] = {}

    def add(
        self, place: str, label: ErrorLabel, widget: QWidget, watch: QWidget | None = None
    ) -> None:
        """`widget` takes the focus on a refusal; editing `watch` (default: the widget) or
        anything in it takes the message away, and a number field shows its own problem."""
        self._fields[place] = (label, widget)
        root = watch or widget
        for part in [root, *root.findChildren(QWidget)]:
            _on_edit(part, lambda *_a, lbl=label, p=part: self._edited(lbl, p))
            problems = getattr(part, "problemChanged", None)
            if problems is not None:
                problems.connect(lambda text, lbl=label: lbl.show_message(sentence(text)))

    def _edited(self, label: ErrorLabel, part: QWidget) -> None:
        if label is self._general:
            return
        problem = getattr(part, "problem", None)
        label.show_message(sentence(problem()) if problem is not None and problem() else "")

    def clear(self) -> None:
        self._general.show_message("")
        for label, _widget in self._fields.values():
            label.show_message("")

    def show(self, problems: Iterable[Problem]) -> None:
        """Show every problem beside its field and put the cursor in the first one."""
        messages: dict[int, tuple[ErrorLabel, list[str]]] = {}
        first: QWidget | None = None
        for problem in problems:
            place = re.split(r"[.\[]", problem.place, maxsplit=1)[0]
            if place in self._fields:
                label, widget = self._fields[place]
                text = sentence(problem.message)
                first = first or widget
            else:
                label = self._general
                text = sentence(str(problem) if problem.place else problem.message)
            messages.setdefault(id(label), (label, []))[1].append(text)
        for label, lines in messages.values():
            label.show_message("\n".join(dict.fromkeys(lines)))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def message(self, place: str) -> str:
        """The message shown for a field ("" for the form as a whole), for tests."""
        return (self._fields[place][0] if place else self._general).text()
