"""Asking for a passphrase: to open or unlock an encrypted journal, or to set a new one.

A wrong passphrase is said calmly and the field is ready again after a short pause; there
is no lock-out. What is typed is only ever held in memory.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.journal import Journal
from tracker.storage.backup import BackupInfo
from tracker.ui.widgets.errors import ErrorLabel

# After a wrong passphrase the field is ready again after this pause: enough to slow a
# guessing script a little, short enough never to feel like a punishment.
RETRY_PAUSE_MS = 700
NEVER_RECOVERED = (
    "Keep this passphrase somewhere safe. If it is lost, no one can recover the journal: "
    "not you, not Onset's makers, not anyone. There is no reset."
)
WRONG = "That passphrase does not open this journal. Check it and try again."


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class PassphrasePrompt(QWidget):
    """A passphrase field that checks what is typed with `check` (True when it opens)."""

    def __init__(
        self,
        check: Callable[[str], bool],
        text: str,
        button: str = "Open",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._check = check
        self.passphrase: str | None = None
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.field = password_field("Passphrase")
        self.label.setBuddy(self.field)
        self.error = ErrorLabel()
        self.error.setAccessibleName("Passphrase message")
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setAccessibleName(button)
        self.ok.setDefault(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.field.returnPressed.connect(self.try_passphrase)
        self.ok.clicked.connect(self.try_passphrase)
        self.accepted: list[Callable[[str], None]] = []

    def try_passphrase(self) -> bool:
        typed = self.field.text()
        if not typed or not self.ok.isEnabled():
            return False
        QWidget.setCursor(self, Qt.CursorShape.WaitCursor)
        try:
            right = self._check(typed)
        finally:
            self.unsetCursor()
        if not right:
            self.error.show_message(WRONG)
            self.field.selectAll()
            self.ok.setEnabled(False)
            self.field.setReadOnly(True)
            QTimer.singleShot(RETRY_PAUSE_MS, self._ready_again)
            return False
        self.error.show_message("")
        self.field.clear()  # the widget keeps no copy once it is used
        for then in list(self.accepted):
            then(typed)
        return True

    def _ready_again(self) -> None:
        self.ok.setEnabled(True)
        self.field.setReadOnly(False)
        self.field.setFocus()


class OpenPassphraseDialog(QDialog):
    """Opening an encrypted journal: its passphrase, checked before the dialog closes."""

    def __init__(self, name: str, check: Callable[[str], bool], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Onset — Encrypted journal")
        self.passphrase: str | None = None
        self.prompt = PassphrasePrompt(
            check, f"“{name}” is encrypted. Type its passphrase to open it.", "Open", self
        )
        cancel = self.prompt.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.clicked.connect(self.reject)
        self.prompt.accepted.append(self._opened)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        self.setMinimumWidth(420)

    def _opened(self, passphrase: str) -> None:
        self.passphrase = passphrase
        self.accept()


class NewPassphraseDialog(QDialog):
    """A new passphrase, typed twice, with the plain warning that it cannot be recovered."""

    def __init__(
        self,
        title: str,
        *,
        current: Callable[[str], bool] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._current_check = current
        self.passphrase: str | None = None
        form = QFormLayout()
        self.current = password_field("Current passphrase")
        if current is not None:
            form.addRow("&Current passphrase", self.current)
        self.first = password_field("New passphrase")
        self.second = password_field("New passphrase again")
        form.addRow("&New passphrase", self.first)
        form.addRow("&Again", self.second)
        warning = QLabel(NEVER_RECOVERED)
        warning.setWordWrap(True)
        warning.setObjectName("passphraseWarning")
        warning.setAccessibleName("Warning")
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Protect" if current is None else "Change")
        self.ok.setAccessibleName(self.ok.text())
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _try(self) -> None:
        first, second = self.first.text(), self.second.text()
        if self._current_check is not None and not self._current_check(self.current.text()):
            self.error.show_message("The current passphrase is not right.")
            self.current.setFocus()
            return
        if not first:
            self.error.show_message("Type a passphrase.")
            self.first.setFocus()
            return
        if first != second:
            self.error.show_message("The two passphrases are not the same. Type them again.")
            self.second.clear()
            self.second.setFocus()
            return
        self.passphrase = first
        for field in (self.current, self.first, self.second):
            field.clear()
        self.accept()


def passphrase_words(journal: Journal, info: BackupInfo) -> str:
    """Which passphrase a backup of this journal needs, in words."""
    from tracker.storage.encryption import passphrase_history, passphrase_needed

    history = passphrase_history(journal.connection)
    return passphrase_needed(journal.path, info, history).replace(
        "restoring it needs that passphrase", "select it and Restore to type that passphrase"
    )


def ask_backup_passphrase(
    parent: QWidget, info: BackupInfo, then: Callable[[BackupInfo], None]
) -> OpenPassphraseDialog:
    """Ask for the passphrase a backup was made with; `then` runs once it opens it."""
    from tracker.storage import crypto

    dialog = OpenPassphraseDialog(
        info.path.name, lambda typed: crypto.opens_with(info.path, typed), parent
    )
    dialog.setWindowTitle("Onset — Encrypted backup")
    dialog.prompt.label.setText(
        "This backup was made with another passphrase (one in use before a change). "
        "Type that passphrase to restore it. After the restore, the journal opens with it."
    )
    dialog.prompt.ok.setText("Continue")
    dialog.prompt.ok.setAccessibleName("Continue")

    def opened() -> None:
        if dialog.passphrase:
            crypto.remember(dialog.passphrase)
            dialog.passphrase = None
            then(info)

    dialog.accepted.connect(opened)
    dialog.open()
    return dialog
