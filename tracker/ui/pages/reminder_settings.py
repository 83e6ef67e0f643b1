"""Settings → "Notifications and start-up": the tray, quiet hours, starting at login."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QSignalBlocker, QTime
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QTimeEdit, QWidget

from tracker import autostart, reminders
from tracker.journal import Journal
from tracker.paths import default_journal
from tracker.storage.errors import JournalError
from tracker.ui.accessibility import name_unnamed
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.layout import muted_label

NO_TRAY = (
    "Notifications are not available here: this desktop has no tray (notification area). "
    "Today still shows what is due whenever Onset is open."
)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


class ReminderSettings(QGroupBox):
    """Keep in the tray on close, quiet hours, and the opt-in start at login."""

    def __init__(self, journal: Journal, tray: bool, parent: QWidget | None = None):
        super().__init__("Notifications and start-up", parent)
        self.journal = journal
        self.tray = tray
        grid = QGridLayout(self)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        explain = muted_label(
            "While Onset runs in the tray it says when something comes due, at most once a "
            "day for each kind, in plain words that name nothing private: "
            "“Onset: a check-in is due”."
        )
        explain.setWordWrap(True)
        self.unavailable = QLabel(NO_TRAY)
        self.unavailable.setWordWrap(True)
        self.unavailable.setVisible(not tray)
        self.keep = QCheckBox("Keep Onset in the tray when the window is closed")
        self.keep.setAccessibleName("Keep Onset in the tray when the window is closed")
        self.keep.setChecked(bool(reminders.keep_in_tray(journal)))
        quiet_from, quiet_until = reminders.quiet_hours(journal)
        self.quiet_from = QTimeEdit(_qtime(quiet_from))
        self.quiet_from.setAccessibleName("Quiet hours from")
        self.quiet_until = QTimeEdit(_qtime(quiet_until))
        self.quiet_until.setAccessibleName("Quiet hours until")
        for edit in (self.quiet_from, self.quiet_until):
            edit.setDisplayFormat("HH:mm")
        quiet_label = QLabel("No notices from")
        quiet_label.setBuddy(self.quiet_from)
        until_label = QLabel("until")
        until_label.setBuddy(self.quiet_until)
        self.at_login = QCheckBox("Start Onset at login, in the tray")
        self.at_login.setAccessibleName("Start Onset at login, in the tray")
        self.at_login.setChecked(autostart.is_enabled())
        self.error = ErrorLabel()
        for widget in (self.keep, self.quiet_from, self.quiet_until, self.at_login):
            widget.setEnabled(tray)

        grid.addWidget(explain, 0, 0, 1, 5)
        grid.addWidget(self.unavailable, 1, 0, 1, 5)
        grid.addWidget(self.keep, 2, 0, 1, 5)
        grid.addWidget(quiet_label, 3, 0)
        grid.addWidget(self.quiet_from, 3, 1)
        grid.addWidget(until_label, 3, 2)
        grid.addWidget(self.quiet_until, 3, 3)
        grid.addWidget(self.at_login, 4, 0, 1, 5)
        grid.addWidget(self.error, 5, 0, 1, 5)
        grid.setColumnStretch(4, 1)

        self.keep.toggled.connect(self._save_keep)
        self.quiet_from.timeChanged.connect(self._save_quiet)
        self.quiet_until.timeChanged.connect(self._save_quiet)
        self.at_login.toggled.connect(self._save_at_login)
        name_unnamed(self)

    def _save_keep(self, on: bool) -> None:
        self.error.show_message("")
        try:
            reminders.set_keep_in_tray(self.journal, on)
        except JournalError as exc:
            with QSignalBlocker(self.keep):
                self.keep.setChecked(bool(reminders.keep_in_tray(self.journal)))
            self.error.show_message(f"Not saved: {exc.reason.rstrip('.')}.")

    def _save_quiet(self) -> None:
        self.error.show_message("")
        start = self.quiet_from.time().toPython()
        end = self.quiet_until.time().toPython()
        assert isinstance(start, time) and isinstance(end, time)
        try:
            reminders.set_quiet_hours(self.journal, start, end)
        except JournalError as exc:
            stored_from, stored_until = reminders.quiet_hours(self.journal)
            with QSignalBlocker(self.quiet_from), QSignalBlocker(self.quiet_until):
                self.quiet_from.setTime(_qtime(stored_from))
                self.quiet_until.setTime(_qtime(stored_until))
            self.error.show_message(f"Not saved: {exc.reason.rstrip('.')}.")

    def _save_at_login(self, on: bool) -> None:
        self.error.show_message("")
        default = default_journal().expanduser().absolute()
        journal = None if self.journal.path == default else self.journal.path
        try:
            if on:
                autostart.enable(autostart.launch_command(journal))
            else:
                autostart.disable()
        except autostart.AutostartError as exc:
            with QSignalBlocker(self.at_login):
                self.at_login.setChecked(autostart.is_enabled())
            self.error.show_message(f"Not changed: {exc}")
