"""Every message box of the app: telling something, asking before something weighty, and
saying why a change to the journal failed. All are titled "Onset", named for screen
readers, and (except where a caller must wait) opened without blocking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tracker.storage.errors import JournalError
from tracker.ui.accessibility import name_unnamed

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

# QMessageBox is imported where a box is made: its Python type (and its enums) are made on
# first use, which need not be on the way to the first window.


def ask_to_confirm(
    parent: QWidget,
    title: str,
    question: str,
    details: str,
    action: str,
    role: QMessageBox.ButtonRole,
    on_accept: Callable[[], object],
) -> QMessageBox:
    """Ask before something weighty, with Cancel as the default; opened, not blocking."""
    from PySide6.QtWidgets import QMessageBox

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


# A time this far past the clock is taken for a slip (a wrong day or month), not a clock
# a little fast: saving it asks first.
FUTURE_SLACK = timedelta(minutes=5)


def is_future(at: datetime, now: datetime | None = None) -> bool:
    now = now or datetime.now()
    return at.replace(tzinfo=None) > now + FUTURE_SLACK


def _moment(at: datetime) -> str:
    return f"{at:%a} {at.day} {at:%b %Y, %H:%M}"


def ask_future(
    parent: QWidget, what: str, at: datetime, on_accept: Callable[[], object]
) -> QMessageBox:
    """A check-in dated in the future is most likely a slip: ask before saving it."""
    from PySide6.QtWidgets import QMessageBox

    return ask_to_confirm(
        parent,
        "Onset",
        f"This {what} is dated in the future: {_moment(at)}.",
        f"It is now {_moment(datetime.now())}. Save it with the later time anyway, or "
        "cancel and correct the time.",
        "Save with that time",
        QMessageBox.ButtonRole.AcceptRole,
        on_accept,
    )


def ask_save_discard(
    parent: QWidget,
    question: str,
    details: str,
    on_save: Callable[[], None],
    on_discard: Callable[[], None],
) -> QMessageBox:
    """Save / Discard / Cancel for typed input about to go; Save is the default, Escape
    cancels (nothing happens, the input stays). Opened, not blocking."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Onset")
    box.setText(question)
    box.setInformativeText(details)
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    box.button(buttons.Save).setAccessibleName("Save")
    box.button(buttons.Discard).setAccessibleName("Discard what was typed")
    box.button(buttons.Cancel).setAccessibleName("Cancel")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    save, discard = box.button(buttons.Save), box.button(buttons.Discard)

    def answered(_result: int) -> None:
        clicked = box.clickedButton()
        if clicked is save:
            on_save()
        elif clicked is discard:
            on_discard()

    box.finished.connect(answered)
    name_unnamed(box)
    box.open()
    return box


def message_box(
    parent: QWidget | None,
    text: str,
    detail: str = "",
    *,
    warning: bool = True,
    extra: tuple[str, Callable[[], object]] | None = None,
) -> QMessageBox:
    """A message with an OK button, made but not shown; `extra` adds an action button."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information)
    box.setWindowTitle("Onset")
    box.setText(text)
    box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    if extra is not None:
        label, action = extra
        button = box.addButton(label, QMessageBox.ButtonRole.ActionRole)
        button.setAccessibleName(label)
        button.clicked.connect(action)
    name_unnamed(box)
    return box


def tell(
    parent: QWidget | None,
    text: str,
    detail: str = "",
    *,
    warning: bool = True,
    extra: tuple[str, Callable[[], object]] | None = None,
) -> QMessageBox:
    """A message over `parent`, opened without blocking and gone once closed."""
    box = message_box(parent, text, detail, warning=warning, extra=extra)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def journal_error_box(parent: QWidget | None, exc: JournalError, what: str) -> QMessageBox:
    """A clear message naming the journal file and the reason (made; the caller opens it)."""
    box = message_box(parent, what, f"{exc.reason}\n\nJournal file: {exc.path}")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box
