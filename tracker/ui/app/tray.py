"""The tray icon and its notices: reminders that reach the patient while Onset runs.

Once a minute (and when asked) the due list is computed; a kind of item that has come
due is announced at most once a day, never in quiet hours, always with the same words
(tracker.domain.due.NOTICE_TEXT), which name no symptom, medicine or score, since a
notice may show on a lock screen. The icon's tooltip and menu say only "Onset".
Where the system has no tray there is no icon and no notice; Today still shows what
is due, and Settings says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from tracker import reminders
from tracker.domain.due import NOTICE_TEXT, NOTICE_TITLE
from tracker.journal import Journal
from tracker.storage.errors import JournalError

CHECK_EVERY_MS = 60_000


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class TrayReminders(QObject):
    """The icon, its menu, and the check that shows a notice when something comes due."""

    noticeShown = Signal(str)
    openRequested = Signal()
    quitRequested = Signal()

    def __init__(
        self,
        journal: Journal,
        *,
        clock: Callable[[], datetime] = datetime.now,
        available: bool | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.journal = journal
        self.clock = clock
        self.available = tray_available() if available is None else available
        self.icon: QSystemTrayIcon | None = None
        self.menu: QMenu | None = None
        # Set while the window is locked: no notice is shown then, and none is used up.
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        if self.available:
            self._make_icon()
            self.timer.start()

    def _make_icon(self) -> None:
        from tracker.ui.style import app_icon

        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip("Onset")
        self.menu = QMenu()
        show = QAction("Open Onset", self.menu)
        show.triggered.connect(lambda _checked=False: self.openRequested.emit())
        leave = QAction("Quit Onset", self.menu)
        leave.triggered.connect(lambda _checked=False: self.quitRequested.emit())
        self.menu.addAction(show)
        self.menu.addSeparator()
        self.menu.addAction(leave)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.openRequested)
        self.icon.show()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.openRequested.emit()

    def check(self) -> list[str]:
        """Announce what has come due; return the kinds announced (none without a tray)."""
        if not self.available or self.locked:
            return []
        now = self.clock()
        try:
            kinds = reminders.notices_due(self.journal, now)
            if kinds:
                reminders.mark_notified(self.journal, kinds, now.date())
        except JournalError:
            return []  # the journal cannot be read or written now; the next check tries again
        if kinds:
            self.notify()
        return kinds

    def notify(self) -> None:
        if self.locked:
            return
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(
                NOTICE_TITLE, NOTICE_TEXT, QSystemTrayIcon.MessageIcon.Information, 15_000
            )
        self.noticeShown.emit(NOTICE_TEXT)

    def stop(self) -> None:
        self.timer.stop()
        if self.icon is not None:
            self.icon.hide()
