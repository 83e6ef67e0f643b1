"""Names for every focus stop, so a screen reader announces each one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QWidget,
)


def name_unnamed(root: QWidget) -> None:
    """Give buttons and selectable labels their text as accessible name, and the inner
    parts of spin boxes and combo boxes their owner's name, so every focus stop is
    announced by name."""
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or widget.accessibleName():
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            widget.setAccessibleName(widget.text().replace("&", "").rstrip(" …."))
            continue
        if isinstance(widget, QLabel) and widget.text():
            # A selectable message text (message boxes): announced by what it says.
            from PySide6.QtGui import QTextDocument

            document = QTextDocument()
            document.setHtml(widget.text())
            widget.setAccessibleName(document.toPlainText()[:200])
            continue
        owner = widget.parentWidget()
        # inherits() asks Qt's own type information, so no Python class is made for a kind
        # of field the page does not have.
        while owner is not None and not (
            owner.inherits("QAbstractSpinBox") or owner.inherits("QComboBox")
        ):
            owner = owner.parentWidget()
        if owner is not None and owner.accessibleName():
            widget.setAccessibleName(owner.accessibleName())
