"""Inline refusals: a red line under the field that caused it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
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


class FieldErrors:
    """Maps each Problem.place of the domain rules to the message label beside its field."""

    def __init__(self, general: ErrorLabel):
        self._general = general
        self._fields: dict[str, tuple[ErrorLabel, QWidget]] = {}

    def add(self, place: str, label: ErrorLabel, widget: QWidget) -> None:
        self._fields[place] = (label, widget)

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
