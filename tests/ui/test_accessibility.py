"""Every focus stop in every window and dialog has an accessible name, and the check-in
form's tab order follows the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, unnamed_focus_stops
from tracker.journal import Journal
from tracker.ui.app.main_window import VIEWS
from tracker.ui.dialogs.safety import SafetyMessage


def test_every_focus_stop_has_a_name(qtbot, window, journal: Journal) -> None:
    journal.add_session("2026-01-06T10:00", "iv")
    for view in VIEWS:
        window.show_view(view)
    dialogs = [
        window.open_questionnaire("PHQ-9"),
        window.open_session(),
        window.open_side_effects(),
        window.open_entry(journal.add_checkin("2026-01-05T21:10", anxiety=6)),
    ]
    effects = dialogs[2]
    effects.tick("nausea")
    effects.search.setText("own effect")
    effects.add_own.click()
    safety = SafetyMessage("item text", "Several days")
    qtbot.addWidget(safety)
    for root in [window, *dialogs, safety]:
        assert unnamed_focus_stops(root) == [], type(root).__name__
    history = window.page("history")
    history.table.selectRow(0)
    history.delete_selected()
    assert history.confirm_box is not None
    assert unnamed_focus_stops(history.confirm_box) == []
    history.confirm_box.reject()


def test_check_in_tab_order(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    form = window.today.form
    window.actions_by_name["checkin"].trigger()
    order = [form.anxiety.bar]
    for _ in range(5):
        press(qtbot, Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        form.anxiety.bar,
        form.mood.bar,
        form.sleep,
        form.note,
        form.time.edit,
        form.time.now_button,
    ], "one Tab per field, the time field included"
