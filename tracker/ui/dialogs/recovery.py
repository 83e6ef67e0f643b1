"""The dialog for a journal that cannot be opened: it names the file and what is wrong,
never writes to it, and offers the newest good backup, another journal, or to stop.

The dialog only shows and asks; the Launcher (tracker.ui.app.launch) does the restoring and
opening under the journal's lock, then tells the dialog how it went. Nothing here blocks,
so a test drives it with qtbot like any other widget.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from tracker.storage.backup import REASON_LABELS, BackupInfo, list_backups, newest_good_backup
from tracker.storage.errors import (
    DamagedJournal,
    JournalError,
    JournalNotFound,
    NewerJournal,
    NotAJournal,
)
from tracker.ui.accessibility import name_unnamed
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.layout import muted_label, sentence, title_label
from tracker.wording import KIND_PLURALS, when

# Problems a backup can mend: the file is there but is not a journal this Onset can use.
RESTORABLE = (DamagedJournal, NotAJournal, NewerJournal, JournalNotFound)


def counts_text(info: BackupInfo) -> str:
    """'42 check-ins, 5 questionnaires, 7 treatment sessions and 12 side effects' (kinds
    with none left out)."""
    parts = []
    for kind, count in info.counts.items():
        if not count:
            continue
        plural = KIND_PLURALS.get(kind, kind).lower()
        parts.append(f"{count} {plural[:-1] if count == 1 else plural}")
    if not parts:
        return "no entries"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def made_words(info: BackupInfo) -> str:
    """'Tue 3 Mar 2026, 09:00 (daily)'."""
    return f"{when(info.made_at)} ({REASON_LABELS.get(info.reason, info.reason)})"


def offers_restore(error: JournalError) -> bool:
    """Whether putting a backup in place is a fitting answer to this problem."""
    return isinstance(error, RESTORABLE) and not error.path.is_dir()


def newest_good(journal: Path) -> BackupInfo | None:
    """The newest backup that passes every check, described (date, kind, entry counts)."""
    good = newest_good_backup(journal)
    if good is None:
        return None
    for info in list_backups(journal):
        if info.path == good and info.ok:
            return info
    return None


def heading_for(error: JournalError) -> str:
    if error.path.is_dir():
        return "There is a folder in the journal file's place."
    if isinstance(error, JournalNotFound):
        return "There is no journal file here."
    if isinstance(error, NewerJournal):
        return "This journal is from a newer version of Onset."
    if isinstance(error, DamagedJournal):
        return "This journal file is damaged."
    if isinstance(error, NotAJournal):
        return "This file is not an Onset journal."
    return "Onset could not open this journal."


def ask_for_journal(parent: QWidget | None, start: Path) -> Path | None:
    """The file dialog for 'Open another journal…' (tests replace this function)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Open journal", str(start), "Onset journals (*.onset);;All files (*)"
    )
    return Path(chosen) if chosen else None


class RecoveryDialog(QDialog):
    """What is wrong with a journal, and the ways on from there."""

    restoreRequested = Signal(object)  # the backup's BackupInfo
    openAnotherRequested = Signal(object)  # the chosen journal's Path
    retryRequested = Signal()

    def __init__(self, error: JournalError, *, in_app: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Onset — the journal cannot be opened")
        self.setModal(parent is not None)
        self.error = error
        self.backup: BackupInfo | None = None
        self.restored: tuple[BackupInfo, Path | None] | None = None

        self.heading = title_label("", "pageTitle")
        self.heading.setWordWrap(True)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setObjectName("pathText")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.untouched = muted_label()
        self.untouched.setWordWrap(True)
        self.backup_text = QLabel()
        self.backup_text.setWordWrap(True)
        self.backup_text.setTextFormat(Qt.TextFormat.RichText)
        self.problem = ErrorLabel()
        # Paths and reasons are shown as they are, whatever characters a name holds.
        for label in (self.path_label, self.reason, self.untouched, self.problem):
            label.setTextFormat(Qt.TextFormat.PlainText)

        self.restore_button = QPushButton("Restore this backup")
        self.restore_button.setAccessibleName("Restore the newest good backup")
        self.restore_button.clicked.connect(self._restore)
        self.retry_button = QPushButton("Try again")
        self.retry_button.setAccessibleName("Try opening the journal again")
        self.retry_button.clicked.connect(self.retryRequested)
        self.open_button = QPushButton("Open another journal…")
        self.open_button.setAccessibleName("Open another journal")
        self.open_button.clicked.connect(self._open_another)
        self.close_button = QPushButton("Cancel" if in_app else "Quit Onset")
        self.close_button.setAccessibleName(self.close_button.text())
        self.close_button.clicked.connect(self.reject)
        for button in (self.restore_button, self.retry_button, self.open_button):
            button.setAutoDefault(False)

        problem_page = QWidget()
        column = QVBoxLayout(problem_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        pixmap = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        icon.setPixmap(pixmap.pixmap(size, size))
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.heading, 1)
        column.addLayout(top)
        column.addWidget(self.path_label)
        column.addWidget(self.reason)
        column.addWidget(self.untouched)
        column.addSpacing(4)
        column.addWidget(self.backup_text)
        column.addWidget(self.problem)
        column.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)

        self.done_heading = title_label("Your journal was restored and is open.", "pageTitle")
        self.done_text = QLabel()
        self.done_text.setWordWrap(True)
        self.done_text.setTextFormat(Qt.TextFormat.PlainText)
        self.done_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setAccessibleName("Continue to the journal")
        self.continue_button.clicked.connect(self.accept)
        done_page = QWidget()
        done = QVBoxLayout(done_page)
        done.setContentsMargins(0, 0, 0, 0)
        done.setSpacing(10)
        done.addWidget(self.done_heading)
        done.addWidget(self.done_text)
        done.addStretch(1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.continue_button)
        done.addLayout(done_row)

        self.pages = QStackedWidget()
        self.pages.addWidget(problem_page)
        self.pages.addWidget(done_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.addWidget(self.pages)
        self.set_error(error)
        self.resize(max(620, self.sizeHint().width()), self.sizeHint().height())

    # -- what is wrong ------------------------------------------------------------------

    def set_error(self, error: JournalError) -> None:
        """Show a (new) problem: another journal chosen here may have its own."""
        self.error = error
        path = error.path
        self.heading.setText(heading_for(error))
        self.path_label.setText(str(path))
        self.path_label.setAccessibleName(f"Journal file: {path}")
        reason = sentence(error.reason.strip())
        self.reason.setText(reason if reason.endswith(".") else reason + ".")
        if path.is_dir():
            self.untouched.setText(
                "Nothing in the folder was changed. Move or rename the folder, then choose "
                "Try again; or open another journal."
            )
        elif path.exists():
            self.untouched.setText("Onset has not changed this file and will not write to it.")
        else:
            self.untouched.setText("")
        self.untouched.setVisible(bool(self.untouched.text()))
        self.problem.show_message("")
        restorable = offers_restore(error)
        self.backup = newest_good(path) if restorable else None
        self.backup_text.setText(self._backup_words(restorable))
        self.backup_text.setVisible(bool(self.backup_text.text()))
        self.restore_button.setVisible(restorable and self.backup is not None)
        self.retry_button.setVisible(not restorable)
        newer = isinstance(error, NewerJournal)
        default = (
            self.restore_button
            if restorable and self.backup is not None and not newer
            else self.retry_button
            if not restorable
            else self.close_button
        )
        for button in (self.restore_button, self.retry_button, self.close_button):
            button.setDefault(button is default)
        self.pages.setCurrentIndex(0)
        name_unnamed(self)

    def _backup_words(self, restorable: bool) -> str:
        info = self.backup
        if not restorable:
            return ""
        if info is None:
            return "There is no good backup of this journal to restore."
        made = html.escape(made_words(info))
        counts = html.escape(counts_text(info))
        keep = (
            "The file as it is now is kept as a copy in the backups folder, so nothing is "
            "thrown away."
        )
        if not self.error.path.exists():
            keep = ""
        if isinstance(self.error, NewerJournal):
            return (
                "Updating Onset opens this journal as it is. If you cannot update, the newest "
                f"backup this version can read is from {made}, with {counts}; entries made "
                f"after it are not in it. {keep}"
            )
        return (
            f"<b>The newest good backup is from {made}</b>, with {counts}. "
            f"Entries made after it are not in it. {keep}"
        )

    def show_problem(self, text: str) -> None:
        """Say why the last choice did not work (shown under the backup, in red)."""
        self.pages.setCurrentIndex(0)
        self.problem.show_message(text)

    # -- choices ------------------------------------------------------------------------

    def _restore(self) -> None:
        if self.backup is not None:
            self.problem.show_message("")
            self.restoreRequested.emit(self.backup)

    def _open_another(self) -> None:
        chosen = ask_for_journal(self, self.error.path.parent)
        if chosen is not None:
            self.problem.show_message("")
            self.openAnotherRequested.emit(chosen)

    def show_restored(self, backup: BackupInfo, kept: Path | None) -> None:
        """The journal is back and open: say which backup was used and where the old file is."""
        self.restored = (backup, kept)
        lines = [
            f"It now holds the backup from {made_words(backup)}: {counts_text(backup)}. "
            "Entries made after that backup are not in it."
        ]
        if kept is not None:
            lines.append(f"The file that could not be opened was kept as a copy:\n{kept}")
        self.done_text.setText("\n\n".join(lines))
        self.pages.setCurrentIndex(1)
        self.continue_button.setDefault(True)
        self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)
        name_unnamed(self)
