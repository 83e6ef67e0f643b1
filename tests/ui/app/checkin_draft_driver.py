"""Run Onset as `python main.py --journal J` does, type a check-in into Today, and die by
SIGKILL as soon as its draft is in the journal: a crash with nothing saved.

Used by tests/ui/app/test_checkin_draft.py: python checkin_draft_driver.py JOURNAL
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtTest import QTest

from tests.ui.driver_support import die_once, run
from tracker.ui.app.main_window import MainWindow


def typed(window: MainWindow) -> None:
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
    die_once(
        lambda: not window.today.drafts.pending() and window.journal.draft("checkin") is not None
    )


if __name__ == "__main__":
    sys.exit(run(typed))
