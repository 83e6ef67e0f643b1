"""Run Onset as `python main.py --journal J` does, type a check-in into Today, and die by
SIGKILL as soon as its draft is in the journal: a crash with nothing saved.

Used by tests/ui/app/test_checkin_draft.py: python checkin_draft_driver.py JOURNAL
"""

from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tracker.app import main


def _typed(window: object) -> None:
    from tracker.ui.app.main_window import MainWindow

    assert isinstance(window, MainWindow)
    form = window.today.form
    centre = form.anxiety.bar._rects()[7].center()
    QTest.mouseClick(
        form.anxiety.bar, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
    )
    form.mood.bar.setFocus()
    QTest.keyClick(form.mood.bar, Qt.Key.Key_3)
    QTest.keyClicks(form.sleep, "5.5")
    QTest.keyClicks(form.note, "woke at 4, heart racing")
    form.time.edit.setDateTime(QDateTime(QDate(2026, 3, 3), QTime(6, 40)))

    def die_once_kept() -> None:
        if window.today.drafts.pending() or window.journal.draft("checkin") is None:
            QTimer.singleShot(50, die_once_kept)
            return
        os.kill(os.getpid(), signal.SIGKILL)

    QTimer.singleShot(50, die_once_kept)


def _find_window() -> None:
    from tracker.ui.app.main_window import MainWindow

    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            _typed(window)
            return
    QTimer.singleShot(50, _find_window)


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    QTimer.singleShot(0, _find_window)
    sys.exit(main(["--journal", sys.argv[1]]))
