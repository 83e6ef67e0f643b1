"""Message boxes: asking before something weighty, and saying why a change failed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
)

from tracker.storage.errors import JournalError
from tracker.ui.accessibility import name_unnamed


def ask_to_confirm(
    parent: QWidget,
    title: str,
    question: str,
    details: str,
    action: str,
    role: QMessageBox.ButtonRole,
    on_accept: Callable[[], None],
) -> QMessageBox:
    """Ask before something weighty, with Cancel as the default; opened, not blocking."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(details)
    button = box.addButton(action, role)
    button.setAccessibleName(action)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    box.setDefaultButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    button.clicked.connect(on_accept)
    name_unnamed(box)
    box.open()
    return box


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
