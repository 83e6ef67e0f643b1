"""A text field for numbers that says so when it holds anything else.

Letters are not dropped silently ("7o" must never become 7 kg): what is typed stays, and
the field reports at once that it is not a number (`problemChanged`, shown under it by
FieldErrors); the form refuses to save until it is fixed.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)

_NUMBER = re.compile(r"^\s*\d+([.,]\d*)?\s*$")
_WHOLE = re.compile(r"^\s*\d+\s*$")


class NumberField(QLineEdit):
    """A short text field for a number; the journal's own rules decide what is plausible."""

    problemChanged = Signal(str)  # why the text is not a number, or "" once it is

    def __init__(
        self,
        name: str,
        *,
        whole: bool = True,
        placeholder: str = "",
        width_chars: int = 6,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.whole = whole
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)
        self.setMaxLength(12)
        self._problem = ""
        self.textChanged.connect(self._check)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * width_chars + 24)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _check(self, _text: str = "") -> None:
        problem = self.read()[1] or ""
        if problem != self._problem:
            self._problem = problem
            self.problemChanged.emit(problem)

    def problem(self) -> str:
        return self._problem

    def read(self) -> tuple[float | int | None, str | None]:
        """(value, None), (None, None) when empty, or (None, why it is not a number)."""
        text = self.text().strip()
        if not text:
            return None, None
        if self.whole:
            if not _WHOLE.match(text):
                return None, f"“{text}” is not a whole number: enter digits only"
            return int(text), None
        if not _NUMBER.match(text):
            return None, f"“{text}” is not a number: enter digits, with a point for decimals"
        return float(text.replace(",", ".")), None

    def set_number(self, value: float | None) -> None:
        if value is None:
            self.clear()
        elif self.whole or float(value).is_integer():
            self.setText(str(int(value)))
        else:
            self.setText(f"{value:g}")
