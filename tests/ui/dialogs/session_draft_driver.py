"""Run Onset as `python main.py --journal J` does, type a session into its form, and die
by SIGKILL as soon as the form's draft is in the journal: a crash with nothing saved.

Used by tests/ui/dialogs/test_dialog_drafts.py: python session_draft_driver.py JOURNAL
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import datetime

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tracker.app import main


def _typed(window: object) -> None:
    from tracker.ui.app.main_window import MainWindow
    from tracker.ui.dialogs.entry_dialog import DRAFT_FORM

    assert isinstance(window, MainWindow)
    form = window.open_session()
    form.route.setCurrentIndex(form.route.findData("iv"))
    form.route.activated.emit(form.route.currentIndex())
    form.unit.setCurrentText("mg/kg")
    QTest.keyClicks(form.dose, "0.5")
    QTest.keyClicks(form.weight, "70")
    QTest.keyClicks(form.duration, "40")
    QTest.keyClicks(form.bp_before.systolic, "128")
    QTest.keyClicks(form.bp_before.diastolic, "82")
    centre = form.anxiety_before.bar._rects()[7].center()
    QTest.mouseClick(
        form.anxiety_before.bar,
        Qt.MouseButton.LeftButton,
        pos=QPoint(int(centre.x()), int(centre.y())),
    )
    QTest.keyClicks(form.clinic, "Riverside")
    QTest.keyClicks(form.notes, "felt far away, then calm")
    form.time.edit.setDateTime(datetime(2026, 3, 3, 10, 15))

    def die_once_kept() -> None:
        names = window.journal.draft_forms(DRAFT_FORM)
        text = window.journal.draft(names[0]) if names else None
        if text is None or "then calm" not in text or "2026-03-03T10:15" not in text:
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
