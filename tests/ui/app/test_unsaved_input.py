"""Nothing typed is lost: closing the window, Quit, Escape or Cancel on a form holding
unsaved input asks Save / Discard / Cancel first; Enter saves the check-in from any field;
after a save Ctrl+Z undoes it wherever the focus is; a new value clears the "Saved" line."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.ui.conftest import choose
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow

B = QMessageBox.StandardButton


def answer(qtbot, box: QMessageBox | None, button: QMessageBox.StandardButton) -> None:  # type: ignore[no-untyped-def]
    assert box is not None and box.isVisible(), "a question was expected"
    assert box.defaultButton() is box.button(B.Save)
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)


def half_filled(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = window.today.form
    choose(qtbot, form.anxiety, 6)
    qtbot.keyClicks(form.sleep, "7.5")
    qtbot.keyClicks(form.note, "slept badly")


@pytest.mark.parametrize("how", ["ctrl+w", "close button", "quit"])
def test_closing_with_a_half_filled_check_in_asks_and_cancel_keeps_it(
    qtbot, window: MainWindow, journal: Journal, how: str
) -> None:
    half_filled(qtbot, window)
    if how == "ctrl+w":
        window.activateWindow()
        qtbot.keyClick(window.today.form.note, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    elif how == "quit":
        window.actions_by_name["quit"].trigger()
    else:
        window.close()
    assert window.isVisible()
    assert "the check-in on Today" in window.close_prompt.informativeText()  # type: ignore[union-attr]
    answer(qtbot, window.close_prompt, B.Cancel)
    assert window.isVisible() and journal.count("checkin") == 0
    form = window.today.form
    assert (form.anxiety.value(), form.sleep.text(), form.note.toPlainText()) == (
        6,
        "7.5",
        "slept badly",
    )


def test_save_stores_the_check_in_then_closes(qtbot, window: MainWindow, journal) -> None:
    half_filled(qtbot, window)
    window.close()
    answer(qtbot, window.close_prompt, B.Save)
    assert not window.isVisible()
    [stored] = journal.checkins()
    assert (stored.anxiety, stored.sleep_hours, stored.note) == (6, 7.5, "slept badly")


def test_discard_closes_and_stores_nothing(qtbot, window: MainWindow, journal) -> None:
    half_filled(qtbot, window)
    window.close()
    answer(qtbot, window.close_prompt, B.Discard)
    assert not window.isVisible() and journal.count("checkin") == 0


def test_a_save_that_is_refused_keeps_the_window_open(qtbot, window, journal) -> None:
    qtbot.keyClicks(window.today.form.sleep, "30")  # no rating, and 30 h
    window.close()
    answer(qtbot, window.close_prompt, B.Save)
    assert window.isVisible() and journal.count("checkin") == 0
    assert window.today.form.errors.message("anxiety").startswith("Choose how anxious")


def test_an_empty_form_closes_at_once(qtbot, window: MainWindow) -> None:
    window.open_session()
    window.close()
    assert not window.isVisible() and window.close_prompt is None


def test_closing_asks_about_an_open_session_form_and_saves_it(qtbot, window, journal) -> None:
    form = window.open_session()
    qtbot.keyClicks(form.dose, "35")
    window.close()
    assert "Log a treatment session" in window.close_prompt.informativeText()  # type: ignore[union-attr]
    answer(qtbot, window.close_prompt, B.Save)
    assert not window.isVisible()
    assert [s.dose_mg for s in journal.sessions()] == [35.0]


@pytest.mark.parametrize("how", ["escape", "cancel"])
def test_escape_or_cancel_on_a_filled_session_form_asks(qtbot, window, journal, how) -> None:
    form = window.open_session()
    qtbot.keyClicks(form.dose, "35")
    if how == "escape":
        qtbot.keyClick(form.dose, Qt.Key.Key_Escape)
    else:
        qtbot.mouseClick(
            form.buttons.button(form.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )
    assert form.isVisible()
    answer(qtbot, form.unsaved_prompt, B.Cancel)
    assert form.isVisible() and form.dose.text() == "35"
    qtbot.keyClick(form.dose, Qt.Key.Key_Escape)
    answer(qtbot, form.unsaved_prompt, B.Discard)
    assert not form.isVisible() and journal.count("session") == 0


def test_escape_on_a_half_done_phq9_asks_and_save_points_at_what_is_missing(
    qtbot, window, journal
) -> None:
    form = window.open_questionnaire("PHQ-9")
    for question in form.questions[:4]:
        qtbot.mouseClick(question.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    answer(qtbot, form.unsaved_prompt, B.Save)
    assert form.isVisible() and journal.count("assessment") == 0  # not every item answered
    assert "Items 5, 6, 7, 8 and 9 are not answered yet" in form.general_error.text()
    assert form.answers()[:4] == [1, 1, 1, 1]


def test_an_unchanged_form_closes_on_escape_without_asking(qtbot, window) -> None:
    form = window.open_questionnaire("GAD-7")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible() and form.unsaved_prompt is None


def test_an_edited_check_in_asks_and_save_updates_it(qtbot, window, journal) -> None:
    stored = journal.add_checkin(datetime(2026, 1, 5, 21, 10), anxiety=6)
    dialog = window.open_entry(stored)
    qtbot.waitExposed(dialog)
    choose(qtbot, dialog.form.anxiety, 3)
    qtbot.keyClick(dialog.form.anxiety.bar, Qt.Key.Key_Escape)
    answer(qtbot, dialog.unsaved_prompt, B.Save)
    assert not dialog.isVisible()
    assert [c.anxiety for c in journal.checkins()] == [3]


@pytest.mark.parametrize("field", ["anxiety", "mood", "sleep", "note", "time"])
def test_enter_saves_the_check_in_from_any_field(qtbot, window, journal, field) -> None:
    form = window.today.form
    choose(qtbot, form.anxiety, 4)
    choose(qtbot, form.mood, 6)
    target: QWidget = {
        "anxiety": form.anxiety.bar,
        "mood": form.mood.bar,
        "sleep": form.sleep,
        "note": form.note,
        "time": form.time.edit,
    }[field]
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Return)
    [stored] = journal.checkins()
    assert (stored.anxiety, stored.mood) == (4, 6)
    assert window.today.checkin_status.text().startswith("Saved: anxiety 4/10")


def test_shift_enter_in_the_note_starts_a_new_line(qtbot, window, journal) -> None:
    form = window.today.form
    qtbot.keyClicks(form.note, "first")
    qtbot.keyClick(form.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(form.note, "second")
    assert form.note.toPlainText() == "first\nsecond" and journal.count("checkin") == 0


@pytest.mark.parametrize("field", ["sleep", "note", "anxiety", "time"])
def test_after_a_save_ctrl_z_undoes_it_whatever_has_the_focus(qtbot, window, journal, field):  # type: ignore[no-untyped-def]
    form = window.today.form
    window.activateWindow()
    choose(qtbot, form.anxiety, 5)
    qtbot.keyClicks(form.sleep, "6")
    qtbot.keyClicks(form.note, "tired")
    target = {
        "sleep": form.sleep,
        "note": form.note,
        "anxiety": form.anxiety.bar,
        "time": form.time.edit,
    }[field]
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert journal.count("checkin") == 1
    assert QApplication.focusWidget() is target
    undo = QKeySequence(QKeySequence.StandardKey.Undo)[0]
    qtbot.keyClick(target, undo.key(), undo.keyboardModifiers())
    assert journal.count("checkin") == 0, "Ctrl+Z undid the save"
    assert window.undo_stack.index() == 0


def test_ctrl_z_still_undoes_typing_in_a_field_first(qtbot, window, journal) -> None:
    form = window.today.form
    journal_before = window.undo_stack.count()
    qtbot.keyClicks(form.sleep, "67")
    qtbot.keyClick(form.sleep, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert form.sleep.text() in ("6", "")  # the field's own typing went back
    assert window.undo_stack.count() == journal_before


def test_a_new_value_clears_the_old_saved_line(qtbot, window, journal) -> None:
    today = window.today
    choose(qtbot, today.form.anxiety, 6)
    qtbot.keyClick(today.form.anxiety.bar, Qt.Key.Key_Return)
    assert today.checkin_status.text().startswith("Saved: anxiety 6/10")
    qtbot.keyClick(today.form.anxiety.bar, Qt.Key.Key_3)  # a new, unsaved rating
    assert not today.checkin_status.text().startswith("Saved")
    assert today.checkin_status.text().startswith("1 check-in today")


def test_the_window_lists_its_unsaved_forms_for_anything_that_must_keep_them(
    qtbot, window: MainWindow
) -> None:
    assert window.unsaved_forms() == []
    form = window.open_session()
    qtbot.keyClicks(form.clinic, "North")
    choose(qtbot, window.today.form.mood, 2)
    assert [f.unsaved_what() for f in window.unsaved_forms()] == [
        "the check-in on Today",
        "the form “Log a treatment session”",
    ]
    # The clock moving on is not input.
    form.time._refresh()
    window.today.form.time._refresh()
    assert len(window.unsaved_forms()) == 2


def test_quit_with_two_windows_stops_at_cancel(qtbot, window: MainWindow, tmp_path) -> None:
    other = MainWindow(Journal.open(tmp_path / "other.onset", create=True), owns_journal=True)
    qtbot.addWidget(other)
    other.show()
    choose(qtbot, other.today.form.anxiety, 2)
    half_filled(qtbot, window)
    window.actions_by_name["quit"].trigger()
    asking = [w for w in (window, other) if w.close_prompt is not None]
    assert len(asking) == 1 and window.isVisible() and other.isVisible()
    answer(qtbot, asking[0].close_prompt, B.Cancel)
    assert window.isVisible() and other.isVisible(), "Cancel stops the quit"
    window.actions_by_name["quit"].trigger()
    first = next(w for w in (window, other) if w.close_prompt is not None)
    answer(qtbot, first.close_prompt, B.Discard)  # the quit goes on to the next window
    second = next(w for w in (window, other) if w.isVisible())
    answer(qtbot, second.close_prompt, B.Discard)
    assert not window.isVisible() and not other.isVisible()
