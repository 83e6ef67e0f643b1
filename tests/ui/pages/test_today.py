"""Today: the quick check-in stores what was typed; due questionnaires, the last session and
the latest scores read in neutral words; refusals are shown and store nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import choose, press
from tracker import reminders
from tracker.journal import Journal


def test_check_in_stores_what_was_typed(qtbot, window, journal: Journal) -> None:
    today = window.today
    choose(qtbot, today.form.anxiety, 6)
    choose(qtbot, today.form.mood, 4)
    assert today.form.anxiety.readout.text() == "6"
    qtbot.keyClicks(today.form.sleep, "6.5")
    qtbot.keyClicks(today.form.note, "tense day")
    before = datetime.now().replace(second=0, microsecond=0)
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)

    [stored] = journal.checkins()
    assert (stored.anxiety, stored.mood, stored.sleep_hours, stored.note) == (
        6,
        4,
        6.5,
        "tense day",
    )
    assert abs(stored.at - before) <= timedelta(minutes=1)
    assert today.form.anxiety.value() is None, "the form is ready for the next check-in"
    assert "Saved: anxiety 6/10" in today.checkin_status.text()


def test_check_in_by_keyboard_with_a_changed_time(qtbot, window, journal: Journal) -> None:
    today = window.today
    window.actions_by_name["checkin"].trigger()
    assert today.form.anxiety.bar.hasFocus()
    press(qtbot, Qt.Key.Key_3)
    press(qtbot, Qt.Key.Key_Tab)  # mood: skipped
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(today.form.sleep, "8")
    earlier = datetime(2026, 1, 5, 21, 10)
    today.form.time.set_value(earlier)
    press(qtbot, Qt.Key.Key_Return)  # Enter in hours slept saves

    [stored] = journal.checkins()
    assert (stored.at, stored.anxiety, stored.mood, stored.sleep_hours) == (earlier, 3, None, 8.0)
    assert today.form.time.follows_now(), "after saving, the time is 'now' again"


def test_check_in_refuses_without_a_rating_and_stores_nothing(qtbot, window, journal) -> None:
    today = window.today
    qtbot.keyClicks(today.form.sleep, "30")
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)
    assert today.form.errors.message("anxiety") == "Choose how anxious you feel, from 0 to 10"
    assert journal.count("checkin") == 0

    choose(qtbot, today.form.anxiety, 5)
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)
    assert today.form.errors.message("sleep_hours") == "30 h is outside 0–24 h"
    assert today.form.errors.message("anxiety") == ""
    assert journal.count("checkin") == 0


def test_today_shows_due_last_session_and_latest_scores(qtbot, journal: Journal) -> None:
    from tracker.ui.app.main_window import MainWindow

    now = datetime.now().replace(second=0, microsecond=0)
    journal.add_assessment("GAD-7", now - timedelta(days=8), [2, 2, 2, 2, 2, 1, 1])
    journal.add_session(now - timedelta(days=3), "iv", dose_mg_per_kg=0.5, weight_kg=70.0)
    window = MainWindow(journal)
    qtbot.addWidget(window)
    today = window.today

    assert today.score_labels["GAD-7"].text() == "GAD-7 total 12 (moderate range)"
    assert "8 days ago" in today.due_labels["GAD-7"].text()
    assert "<b>Due now</b>" in today.due_labels["GAD-7"].text()
    assert today.score_labels["PHQ-9"].text() == "PHQ-9 not taken yet"
    assert today.due_labels["PHQ-9"].text() == "Reminders off"
    assert today.session_label.text() == "Last session: Intravenous infusion, 35 mg (0.5 mg/kg)"
    assert today.session_when.text().endswith("3 days ago")

    # Settings change the cadence; Today follows from the change signal: while the window
    # is hidden Today is only marked stale, and it refreshes when it is shown.
    reminders.set_reminder(journal, "GAD-7", enabled=True, every_days=14)
    assert "Next due" not in today.due_labels["GAD-7"].text()
    window.show()
    qtbot.waitExposed(window)
    assert "Next due" in today.due_labels["GAD-7"].text()
    reminders.set_reminder(journal, "PHQ-9", enabled=True, every_days=14)
    assert today.due_labels["PHQ-9"].text() == "<b>Due now</b>"


def test_today_refreshes_from_the_journal_change_signal(qtbot, window, journal) -> None:
    assert window.today.checkin_status.text() == "No check-in yet today."
    journal.add_checkin(datetime.now().replace(second=0, microsecond=0), anxiety=4)
    assert "1 check-in today" in window.today.checkin_status.text()


def test_today_never_loads_whole_kinds(qtbot, journal: Journal, monkeypatch) -> None:
    """Today's queries are bounded: counts and latest-entry lookups, never every entry."""
    from tracker.ui.app.main_window import MainWindow

    journal.add_checkin("2026-01-05T21:10", anxiety=6)
    for name in ("entries", "checkins", "assessments", "sessions", "side_effects"):
        monkeypatch.setattr(journal, name, pytest.fail)
    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.today.refresh()


def test_a_check_in_in_the_future_asks_first(qtbot, window, journal) -> None:
    from PySide6.QtWidgets import QMessageBox

    today = window.today
    tomorrow = datetime.now().replace(second=0, microsecond=0) + timedelta(days=1)
    choose(qtbot, today.form.anxiety, 5)
    today.form.time.set_value(tomorrow)
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)
    box = today.future_box
    assert box.isVisible() and "dated in the future" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert journal.count("checkin") == 0 and today.form.anxiety.value() == 5  # kept
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)
    keep = next(b for b in today.future_box.buttons() if b.text() == "Save with that time")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    [stored] = journal.checkins()
    assert stored.at == tomorrow and stored.anxiety == 5


def test_a_check_in_moved_into_the_future_asks_first(qtbot, window, journal) -> None:
    from PySide6.QtWidgets import QMessageBox

    stored = journal.add_checkin(datetime(2026, 1, 5, 21, 10), anxiety=6)
    dialog = window.open_entry(stored)
    later = datetime.now().replace(second=0, microsecond=0) + timedelta(days=30)
    dialog.form.time.set_value(later)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.future_box.isVisible()
    dialog.future_box.button(QMessageBox.StandardButton.Cancel).click()
    assert journal.checkins()[0].at == datetime(2026, 1, 5, 21, 10)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    keep = next(b for b in dialog.future_box.buttons() if b.text() == "Save with that time")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert journal.checkins()[0].at == later and not dialog.isVisible()
