"""A text field for numbers that says so when it holds anything else."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)

_NUMBER = re.compile(r"^\s*\d+([.,]\d*)?\s*$")
_WHOLE = re.compile(r"^\s*\d+\s*$")


class NumberField(QLineEdit):
    """A short text field for a number; the journal's own rules decide what is plausible."""

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
        pattern = r"\d{0,5}" if whole else r"\d{0,5}([.,]\d{0,3})?"
        self.setValidator(QRegularExpressionValidator(pattern, self))
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * width_chars + 24)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def read(self) -> tuple[float | int | None, str | None]:
        """(value, None), (None, None) when empty, or (None, why it is not a number)."""
        text = self.text().strip()
        if not text:
            return None, None
        if self.whole:
            if not _WHOLE.match(text):
                return None, "Enter a whole number"
            return int(text), None
        if not _NUMBER.match(text):
            return None, "Enter a number"
        return float(text.replace(",", ".")), None

    def set_number(self, value: float | None) -> None:
        if value is None:
            self.clear()
        elif self.whole or float(value).is_integer():
            self.setText(str(int(value)))
        else:
            self.setText(f"{value:g}")
