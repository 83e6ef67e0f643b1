"""Settings: a column of sections (group boxes), each saved to the journal as it changes.

Other parts of the app add their own section with `SettingsView.add_section(box)`.
A setting the journal cannot store (disk full, read-only) is put back as it was, with the
reason shown under the section.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tracker import reminders
from tracker.domain.instruments import instruments
from tracker.domain.times import is_zone_name, machine_zone_name
from tracker.journal import Journal
from tracker.paths import demo_journal
from tracker.storage.errors import JournalError
from tracker.ui.pages.backups import BackupsPanel
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.layout import muted_label, scroll_page, title_label

PRIVACY = (
    "Onset makes no network connections. Everything stays in this one file on this "
    "computer unless you export it."
)


ZONE_EXPLAINED = (
    "Times you enter are read in this time zone, so the hours between a session and a "
    "check-in are real hours, also across a daylight-saving change. The day an entry "
    "belongs to never changes. Set when the journal was made; change it if you moved."
)


class ZoneBox(QComboBox):
    """An editable list of IANA time zones; the full list is read from the system's zone
    data only when first opened or typed into, so the page opens without that cost."""

    def __init__(self, current: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self._filled = False
        self.addItem(current)
        completer = self.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def fill(self) -> None:
        if self._filled:
            return
        self._filled = True
        from zoneinfo import available_timezones

        current = self.currentText()
        names = sorted(n for n in available_timezones() if "/" in n or n == "UTC")
        with QSignalBlocker(self):
            self.clear()
            self.addItems(names)
            self.setEditText(current)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.fill()
        super().keyPressEvent(event)

    def showPopup(self) -> None:
        self.fill()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.fill()
        super().focusInEvent(event)


class SettingsView(QWidget):
    """The Settings page; `sections` lists its group boxes in order."""

    # A RestoreRequest from the Backups section, on its way to the window's
    # openJournalRequested (same signature), which the Launcher answers.
    reopenRequested = Signal(object, bool)

    def __init__(self, journal: Journal, parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self.sections: list[QGroupBox] = []
        self._content = QWidget()
        self._column = QVBoxLayout(self._content)
        self._column.setContentsMargins(28, 22, 28, 24)
        self._column.setSpacing(16)
        self._column.addWidget(title_label("Settings", "pageTitle"))
        self._column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll_page(self._content))
        self.reminder_boxes: dict[str, tuple[QCheckBox, QSpinBox]] = {}
        self.reminder_error = ErrorLabel()
        self.add_section(self._reminders())
        self.add_section(self._time_zone())
        self.add_section(self._journal_file())
        from tracker.ui.pages.privacy import PrivacySection

        demo = journal.path == demo_journal().expanduser().absolute()
        self.privacy = PrivacySection(journal, demo=demo)
        self.add_section(self.privacy)
        self.backups = BackupsPanel(journal, demo=demo)
        self.backups.restoreRequested.connect(lambda r: self.reopenRequested.emit(r, False))
        self.add_section(self.backups)

    def add_section(self, box: QGroupBox) -> None:
        """Append a section (a QGroupBox) below the others."""
        box.setMaximumWidth(760)
        self._column.insertWidget(self._column.count() - 1, box)
        self.sections.append(box)

    # -- sections -----------------------------------------------------------------------

    def _reminders(self) -> QGroupBox:
        box = QGroupBox("Questionnaire reminders")
        grid = QGridLayout(box)
        grid.setContentsMargins(16, 14, 16, 14)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        explain = muted_label(
            "Today shows when a questionnaire is due. Both ask about the last two weeks, "
            "so taking them every day would change what they measure."
        )
        explain.setWordWrap(True)
        grid.addWidget(explain, 0, 0, 1, 4)
        for row, instrument_id in enumerate(instruments(), start=1):
            check = QCheckBox(f"Remind me when {instrument_id} is due")
            check.setAccessibleName(f"Remind me when {instrument_id} is due")
            check.setChecked(reminders.reminder_enabled(self.journal, instrument_id))
            days = QSpinBox()
            days.setRange(reminders.MIN_DAYS, reminders.MAX_DAYS)
            days.setValue(reminders.cadence_days(self.journal, instrument_id))
            days.setSuffix(" days")
            days.setAccessibleName(f"{instrument_id} every how many days")
            every = QLabel("every")
            every.setBuddy(days)
            days.setEnabled(check.isChecked())
            grid.addWidget(check, row, 0)
            grid.addWidget(every, row, 1)
            grid.addWidget(days, row, 2)
            check.toggled.connect(lambda _on, i=instrument_id: self._save_reminder(i))
            days.valueChanged.connect(lambda _n, i=instrument_id: self._save_reminder(i))
            self.reminder_boxes[instrument_id] = (check, days)
        grid.addWidget(self.reminder_error, len(self.reminder_boxes) + 1, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        return box

    def _save_reminder(self, instrument_id: str) -> None:
        check, days = self.reminder_boxes[instrument_id]
        days.setEnabled(check.isChecked())
        self.reminder_error.show_message("")
        try:
            reminders.set_reminder(
                self.journal, instrument_id, enabled=check.isChecked(), every_days=days.value()
            )
        except JournalError as exc:
            # Show what is stored, not what could not be saved.
            with QSignalBlocker(check), QSignalBlocker(days):
                check.setChecked(reminders.reminder_enabled(self.journal, instrument_id))
                days.setValue(reminders.cadence_days(self.journal, instrument_id))
                days.setEnabled(check.isChecked())
            self.reminder_error.show_message(
                f"The reminder could not be saved: {exc.reason.rstrip('.')}. "
                "What is shown here is what the journal holds."
            )

    def _time_zone(self) -> QGroupBox:
        box = QGroupBox("Time zone")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        explain = muted_label(ZONE_EXPLAINED)
        explain.setWordWrap(True)
        current = self.journal.time_zone_name() or "UTC"
        self.zone_box = ZoneBox(current)
        self.zone_box.setAccessibleName("The journal's time zone")
        self.zone_box.setMinimumWidth(280)
        label = QLabel("Time zone")
        label.setBuddy(self.zone_box)
        self.zone_error = ErrorLabel()
        self.zone_note = muted_label("")
        self.zone_note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.zone_box)
        row.addStretch(1)
        layout.addWidget(explain)
        layout.addLayout(row)
        layout.addWidget(self.zone_note)
        layout.addWidget(self.zone_error)
        self.zone_box.activated.connect(lambda _i: self._save_zone())
        line = self.zone_box.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._save_zone)
            line.textEdited.connect(lambda _text: self.zone_box.fill())
        self._show_zone_note()
        return box

    def _show_zone_note(self) -> None:
        machine = machine_zone_name()
        kept = self.journal.time_zone_name()
        text = ""
        if machine and kept and machine != kept:
            text = f"This computer is set to {machine}."
        self.zone_note.setText(text)
        self.zone_note.setVisible(bool(text))

    def _save_zone(self) -> None:
        name = self.zone_box.currentText().strip()
        kept = self.journal.time_zone_name() or "UTC"
        if name == kept:
            return
        if not is_zone_name(name):
            self.zone_error.show_message(
                f"“{name}” is not a time zone this computer knows; choose one from the list, "
                "such as Europe/Berlin or America/New_York. The journal still uses "
                f"{kept}."
            )
            with QSignalBlocker(self.zone_box):
                self.zone_box.setEditText(kept)
            return
        try:
            self.journal.set_time_zone(name)
        except JournalError as exc:
            with QSignalBlocker(self.zone_box):
                self.zone_box.setEditText(kept)
            self.zone_error.show_message(
                f"The time zone could not be saved: {exc.reason.rstrip('.')}. "
                f"The journal still uses {kept}."
            )
            return
        self.zone_error.show_message("")
        self._show_zone_note()

    def _journal_file(self) -> QGroupBox:
        box = QGroupBox("Journal file")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        path = QLabel(str(self.journal.path))
        path.setWordWrap(True)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path.setAccessibleName("Journal file")
        privacy = muted_label(PRIVACY)
        privacy.setWordWrap(True)
        show = QPushButton("Show in folder")
        show.setAccessibleName("Show the journal's folder")
        show.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.journal.path.parent)))
        )
        row = QHBoxLayout()
        row.addWidget(show)
        row.addStretch(1)
        layout.addWidget(path)
        layout.addWidget(privacy)
        layout.addLayout(row)
        return box
