"""Run Onset as `python main.py --journal J` does, type a session into its form, and die
by SIGKILL as soon as the form's draft is in the journal: a crash with nothing saved.

Used by tests/ui/dialogs/test_dialog_drafts.py: python session_draft_driver.py JOURNAL
"""

from __future__ import annotations

import sys

from PySide6.QtTest import QTest

from tests.ui.driver_support import die_once, run
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.session import SessionDialog
from tracker.ui.widgets.draft import DIALOG_DRAFTS
from tracker.ui.widgets.scale import ScaleInput


def click_scale(scale: ScaleInput, value: int) -> None:
    from PySide6.QtCore import QPoint, Qt

    centre = scale.bar._rects()[value].center()
    QTest.mouseClick(
        scale.bar, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
    )


def fill_session(form: SessionDialog) -> None:
    """The session the tests type: the same in this process and in theirs."""
    from datetime import datetime

    form.route.setCurrentIndex(form.route.findData("iv"))
    form.route.activated.emit(form.route.currentIndex())
    form.unit.setCurrentText("mg/kg")
    QTest.keyClicks(form.dose, "0.5")
    QTest.keyClicks(form.weight, "70")
    QTest.keyClicks(form.duration, "40")
    QTest.keyClicks(form.bp_before.systolic, "128")
    QTest.keyClicks(form.bp_before.diastolic, "82")
    click_scale(form.anxiety_before, 7)
    QTest.keyClicks(form.clinic, "Riverside")
    QTest.keyClicks(form.notes, "felt far away, then calm")
    form.time.edit.setDateTime(datetime(2026, 3, 3, 10, 15))


def typed(window: MainWindow) -> None:
    fill_session(window.open_session())

    def kept() -> bool:
        names = window.journal.draft_forms(DIALOG_DRAFTS)
        text = window.journal.draft(names[0]) if names else None
        return text is not None and "then calm" in text and "2026-03-03T10:15" in text

    die_once(kept)


if __name__ == "__main__":
    sys.exit(run(typed))
