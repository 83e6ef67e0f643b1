"""Settings → Backups: the copies kept beside the journal, a backup on demand, and a restore
that first backs up the journal as it is, so that the restore can itself be undone.

A restore needs the journal closed, so the panel only asks for it (restoreRequested); the
Launcher closes the window, puts the backup in place and opens the journal again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.journal import KINDS, Journal
from tracker.storage.backup import (
    MANUAL,
    REASON_LABELS,
    BackupInfo,
    backup_folder,
    list_backups,
    make_backup,
)
from tracker.storage.errors import JournalError
from tracker.ui.dialogs.messages import ask_to_confirm
from tracker.ui.dialogs.passphrase import ask_backup_passphrase, passphrase_words
from tracker.ui.dialogs.recovery import counts_text, made_words
from tracker.ui.widgets.layout import list_table, muted_label, sentence
from tracker.wording import KIND_PLURALS, when

HEADINGS = {"session": "Sessions"}
COLUMNS = ("Made", "Why", *(HEADINGS.get(k, KIND_PLURALS[k]) for k in KINDS), "State")
SHOWN_ROWS = (3, 8)  # the list grows with the backups, then scrolls
FIRST_COUNT = 2
STATE = len(COLUMNS) - 1
EXPLAIN = (
    "Onset copies your journal into a backups folder beside it the first time you open it "
    "each day, and keeps the last 7 daily and 8 weekly copies. Copies you make here and "
    "those made before a restore or a format update stay until you delete them from the "
    "backups folder."
)


@dataclass
class RestoreRequest:
    """Put `backup` in place of the journal at `journal`; whoever does it sets `outcome`."""

    journal: Path
    backup: BackupInfo
    outcome: str | None = None


class BackupsPanel(QGroupBox):
    """The Backups section of Settings."""

    restoreRequested = Signal(object)  # a RestoreRequest

    def __init__(self, journal: Journal, *, demo: bool = False, parent: QWidget | None = None):
        super().__init__("Backups", parent)
        self.journal = journal
        self.demo = demo
        self.backups: list[BackupInfo] = []
        self.confirm_box: QMessageBox | None = None
        self.passphrase_dialog: QDialog | None = None
        self._listed = False

        explain = muted_label(
            "The demo journal is sample data made afresh each time it opens, so it has no backups."
            if demo
            else EXPLAIN
        )
        explain.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        header = list_table(self.table, "Backups")
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fit_height(0)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.ask_restore())

        self.back_up_button = QPushButton("Back up now")
        self.back_up_button.setAccessibleName("Back up the journal now")
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("Restore…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.clicked.connect(self.ask_restore)
        self.folder_button = QPushButton("Show backups folder")
        self.folder_button.setAccessibleName("Show the backups folder")
        self.folder_button.clicked.connect(self._show_folder)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Backup status")
        self.message.hide()

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        layout.addWidget(explain)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        for widget in (self.table, self.back_up_button, self.folder_button):
            widget.setEnabled(not demo)
        self.restore_button.setEnabled(False)

    # -- the list -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._listed and not self.demo:
            # Listing checks every copy: after the page is on screen, not before.
            self._listed = True
            QTimer.singleShot(0, self.refresh)

    def refresh(self, select: Path | None = None) -> None:
        """List the backups again (newest first), each checked and counted."""
        self._listed = True
        self.backups = list_backups(self.journal.path)
        self.table.setRowCount(0)
        self.table.clearSpans()
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            self._fill_row(row, info)
        if not self.backups:
            self.table.setRowCount(1)
            self.table.setSpan(0, 0, 1, len(COLUMNS))
            empty = QTableWidgetItem(
                "No backups yet: the first is made the first time Onset opens a journal with "
                "entries in it on a new day. Back up now makes one at once."
            )
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(0, 0, empty)
        self._fit_height(self.table.rowCount())
        rows = [i for i, info in enumerate(self.backups) if info.path == select]
        if rows:
            self.table.selectRow(rows[0])
        self._selection_changed()

    def _fit_height(self, rows: int) -> None:
        shown = min(max(rows, SHOWN_ROWS[0]), SHOWN_ROWS[1])
        header = self.table.horizontalHeader().sizeHint().height()
        row = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + shown * row + 2 * self.table.frameWidth() + 2)

    def _fill_row(self, row: int, info: BackupInfo) -> None:
        def cell(column: int, text: str, *, number: bool = False) -> QTableWidgetItem:
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if number:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(str(info.path))
            self.table.setItem(row, column, item)
            return item

        cell(0, when(info.made_at))
        cell(1, REASON_LABELS.get(info.reason, info.reason))
        if info.locked:
            # Encrypted with a passphrase not given here: say which one it needs.
            self.table.setSpan(row, FIRST_COUNT, 1, len(COLUMNS) - FIRST_COUNT)
            cell(FIRST_COUNT, sentence(passphrase_words(self.journal, info)))
        elif info.ok:
            for offset, kind in enumerate(KINDS):
                cell(FIRST_COUNT + offset, str(info.counts.get(kind, 0)), number=True)
            cell(STATE, "OK")
        else:
            # A copy that cannot be restored says why, across the count columns.
            self.table.setSpan(row, FIRST_COUNT, 1, len(COLUMNS) - FIRST_COUNT)
            problem = cell(FIRST_COUNT, f"Cannot be restored: {info.problem}")
            problem.setToolTip(f"{info.path}\n{sentence(info.problem or '')}")
            font = problem.font()
            font.setItalic(True)  # the palette's own text colour, so light and dark both read
            problem.setFont(font)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.backups):
            return None
        return self.backups[rows[0].row()]

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(
            not self.demo and chosen is not None and (chosen.ok or chosen.locked)
        )

    # -- acting -------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setProperty("muted", not error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def back_up_now(self) -> Path | None:
        try:
            made = make_backup(self.journal, MANUAL)
        except JournalError as exc:
            self.show_message(
                f"No backup was made: {exc.reason.rstrip('.')}. Your journal was not changed.",
                error=True,
            )
            return None
        self.refresh(select=made)
        self.show_message(f"Backed up now, as {made.name} in {made.parent}.")
        return made

    def ask_restore(self) -> QMessageBox | None:
        """Confirm first; the message says the journal is backed up before it is replaced."""
        chosen = self.selected()
        if chosen is not None and chosen.locked and not self.demo:
            self.passphrase_dialog = ask_backup_passphrase(self, chosen, self._unlocked)
            return None
        if chosen is None or not chosen.ok or self.demo:
            return None
        self.confirm_box = ask_to_confirm(
            self,
            "Restore a backup",
            f"Restore the backup from {made_words(chosen)}?",
            f"Your journal will be replaced by this copy, with {counts_text(chosen)}. "
            "Entries made after it are not in it.\n\n"
            "Your journal as it is now is backed up first (as a backup made before a "
            "restore), so this restore can itself be undone by restoring that copy.\n\n"
            "The window reopens the journal; forms that are open close without saving.",
            "Back up and restore",
            QMessageBox.ButtonRole.AcceptRole,
            lambda: self._restore(chosen),
        )
        return self.confirm_box

    def _unlocked(self, chosen: BackupInfo) -> None:
        """Its passphrase was given: list it again (now counted), then confirm as usual."""
        self.refresh(select=chosen.path)
        self.ask_restore()

    def _restore(self, chosen: BackupInfo) -> None:
        request = RestoreRequest(self.journal.path, chosen)
        self.restoreRequested.emit(request)
        if request.outcome is None:  # nobody could close the journal to restore it
            self.show_message(
                "The backup was not restored: this window cannot reopen its journal. Close "
                f"Onset, then run: python main.py restore {chosen.path.name}",
                error=True,
            )

    def _show_folder(self) -> None:
        folder = backup_folder(self.journal.path)
        shown = folder if folder.exists() else folder.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(shown)))
