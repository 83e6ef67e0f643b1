"""Settings → Privacy: protect the journal with a passphrase, change it, remove it, and
how soon an idle window locks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker.journal import Journal
from tracker.storage import crypto
from tracker.storage.errors import JournalError
from tracker.ui.app.lock import DEFAULT_MINUTES, SETTING, is_encrypted, lock_minutes
from tracker.ui.dialogs.passphrase import NewPassphraseDialog, OpenPassphraseDialog
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.layout import muted_label

ENCRYPTED = (
    "This journal is encrypted. Without its passphrase the file and its backups cannot be "
    "read, by anyone. Exports you make are plain files."
)
PLAIN = (
    "This journal is not encrypted: anyone who copies the file, or one of its backups, "
    "can read every entry. Protect it with a passphrase to encrypt it."
)

DEMO = (
    "The demo journal is sample data made afresh each time it opens: there is nothing to protect."
)


class PrivacySection(QGroupBox):
    lockChanged = Signal()

    def __init__(self, journal: Journal, *, demo: bool = False, parent: QWidget | None = None):
        super().__init__("Privacy", parent)
        self.journal = journal
        self.demo = demo
        # The window's MainWindow.convert_journal: it closes the journal around a change of
        # the file and returns the problem, if any.
        self.converter: Callable[[Callable[[Path], object]], str | None] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Encryption")
        layout.addWidget(self.state)
        buttons = QHBoxLayout()
        self.protect = QPushButton("Protect with a passphrase…")
        self.change = QPushButton("Change passphrase…")
        self.remove = QPushButton("Remove passphrase…")
        for button in (self.protect, self.change, self.remove):
            button.setAccessibleName(button.text().rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        lock_row = QHBoxLayout()
        self.lock_when_idle = QCheckBox("Lock the window after")
        self.lock_when_idle.setAccessibleName("Lock the window when idle")
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(" minutes idle")
        self.minutes.setAccessibleName("Minutes idle before the lock")
        lock_row.addWidget(self.lock_when_idle)
        lock_row.addWidget(self.minutes)
        lock_row.addStretch(1)
        layout.addLayout(lock_row)
        self.lock_hint = muted_label("Ctrl+L locks it at once.")
        layout.addWidget(self.lock_hint)
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        self.protect.clicked.connect(self.ask_protect)
        self.change.clicked.connect(self.ask_change)
        self.remove.clicked.connect(self.ask_remove)
        self.lock_when_idle.toggled.connect(self._save_lock)
        self.minutes.valueChanged.connect(self._save_lock)
        self.refresh()

    def refresh(self) -> None:
        encrypted = is_encrypted(self.journal)
        self.state.setText(DEMO if self.demo else ENCRYPTED if encrypted else PLAIN)
        self.protect.setEnabled(not self.demo)
        self.protect.setVisible(not encrypted)
        self.change.setVisible(encrypted)
        self.remove.setVisible(encrypted)
        minutes = lock_minutes(self.journal)
        with QSignalBlocker(self.lock_when_idle), QSignalBlocker(self.minutes):
            self.lock_when_idle.setChecked(bool(minutes))
            self.minutes.setValue(minutes or DEFAULT_MINUTES)
        for widget in (self.lock_when_idle, self.minutes, self.lock_hint):
            widget.setEnabled(encrypted)
        self.minutes.setEnabled(encrypted and bool(minutes))

    def _check_current(self, typed: str) -> bool:
        return crypto.opens_with(self.journal.path, typed)

    def _convert(self, change: Callable[[Path], object], done: str) -> bool:
        self.message.show_message("")
        problem = self.converter(change) if self.converter is not None else "no window"
        self.refresh()
        if problem is not None:
            self.message.show_message(f"Nothing was changed: {problem.rstrip('.')}.")
            return False
        self.message.setProperty("error", False)
        self.message.show_message(done)
        self.message.setProperty("error", True)
        return True

    # -- the three actions (each returns its dialog, so tests and keyboards can drive it) -----

    def ask_protect(self) -> NewPassphraseDialog:
        dialog = NewPassphraseDialog("Protect the journal with a passphrase", parent=self)
        dialog.accepted.connect(lambda: self._protect(dialog))
        dialog.open()
        return dialog

    def _protect(self, dialog: NewPassphraseDialog) -> None:
        from tracker.storage.encryption import encrypt

        passphrase = dialog.passphrase
        dialog.passphrase = None
        if passphrase:
            self._convert(
                lambda path: encrypt(path, passphrase),
                "The journal is encrypted, and so are its backups. Keep the passphrase safe.",
            )
            self.lockChanged.emit()

    def ask_change(self) -> NewPassphraseDialog:
        dialog = NewPassphraseDialog(
            "Change the passphrase", current=self._check_current, parent=self
        )
        dialog.accepted.connect(lambda: self._change(dialog))
        dialog.open()
        return dialog

    def _change(self, dialog: NewPassphraseDialog) -> None:
        from tracker.storage.encryption import change_passphrase

        passphrase = dialog.passphrase
        dialog.passphrase = None
        if passphrase:
            self._convert(
                lambda path: change_passphrase(path, passphrase),
                "The passphrase was changed. Backups made before need the old one.",
            )

    def ask_remove(self) -> OpenPassphraseDialog:
        dialog = OpenPassphraseDialog(self.journal.path.name, self._check_current, self)
        dialog.setWindowTitle("Remove the passphrase")
        dialog.prompt.label.setText(
            "Without a passphrase, anyone who copies the journal file or a new backup can "
            "read it. Backups made while it was encrypted stay encrypted. Type the current "
            "passphrase to remove it."
        )
        dialog.prompt.ok.setText("Remove")
        dialog.prompt.ok.setAccessibleName("Remove")
        dialog.accepted.connect(lambda: self._remove(dialog))
        dialog.open()
        return dialog

    def _remove(self, dialog: OpenPassphraseDialog) -> None:
        from tracker.storage.encryption import decrypt

        dialog.passphrase = None
        self._convert(decrypt, "The journal is no longer encrypted.")
        self.lockChanged.emit()

    def _save_lock(self) -> None:
        on = self.lock_when_idle.isChecked()
        self.minutes.setEnabled(on)
        try:
            self.journal.set_setting(SETTING, str(self.minutes.value() if on else 0))
        except JournalError as exc:
            self.message.show_message(f"The setting could not be saved: {exc.reason}")
            return
        self.lockChanged.emit()
