"""Every add, edit and delete, from anywhere in the app, can be undone and redone
(Ctrl+Z / Ctrl+Shift+Z); redo brings entries back with the same ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import choose
from tracker.domain.entries import Checkin
from tracker.journal import Journal
from tracker.ui.app.editing import Editor


def test_add_undo_redo_with_the_keyboard(qtbot, window, journal: Journal) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    choose(qtbot, window.today.form.anxiety, 7)
    qtbot.mouseClick(window.today.save_button, Qt.MouseButton.LeftButton)
    [added] = journal.checkins()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert journal.count("checkin") == 0
    assert window.today.checkin_status.text() == "No check-in yet today."
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    [back] = journal.checkins()
    assert back == added, "redo restores the same entry with the same id"


def test_several_side_effects_undo_as_one_step(qtbot, window, journal: Journal) -> None:
    dialog = window.open_side_effects()
    for effect in ("nausea", "headache", "fatigue"):
        dialog.tick(effect)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    ids = sorted(e.id for e in journal.side_effects())
    window.actions_by_name["undo"].trigger()
    assert journal.count("side_effect") == 0
    window.actions_by_name["redo"].trigger()
    assert sorted(e.id for e in journal.side_effects()) == ids


def test_questionnaire_and_session_adds_are_undoable(qtbot, window, journal: Journal) -> None:
    form = window.open_session()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    dialog = window.open_questionnaire("GAD-7")
    for question in dialog.questions:
        qtbot.mouseClick(question.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.undo_stack.count() == 2
    window.actions_by_name["undo"].trigger()
    assert (journal.count("assessment"), journal.count("session")) == (0, 1)
    window.actions_by_name["undo"].trigger()
    assert journal.count("session") == 0
    window.actions_by_name["redo"].trigger()
    window.actions_by_name["redo"].trigger()
    assert (journal.count("assessment"), journal.count("session")) == (1, 1)


def test_an_undo_the_journal_refuses_is_reported_not_raised(qtbot, window, journal) -> None:
    checkin = journal.add_checkin("2026-01-05T21:10", anxiety=6)
    window.editor.delete(checkin)
    journal.add_checkin("2026-01-05T21:10", anxiety=6)  # the same id is taken again
    messages: list[str] = []
    window.editor.failed.connect(messages.append)
    window.actions_by_name["undo"].trigger()
    assert messages and messages[0].startswith("Could not delete check-in")
    assert journal.count("checkin") == 1
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and boxes[0].text() == messages[0]


def test_editor_without_a_window(journal: Journal) -> None:
    editor = Editor(journal)
    assert editor.add([]) == [] and editor.stack.count() == 0, "nothing added, no step"
    [first, second] = editor.add(
        [
            Checkin(at=datetime(2026, 1, 5, 9, 0), anxiety=3),
            Checkin(at=datetime(2026, 1, 5, 21, 0), anxiety=5),
        ]
    )
    assert editor.stack.undoText() == "Add 2 check-ins"
    edited = editor.update(first, replace(first, anxiety=4))
    editor.delete(second)
    assert [c.anxiety for c in journal.checkins()] == [4]
    editor.stack.undo()
    editor.stack.undo()
    assert [(c.id, c.anxiety) for c in journal.checkins()] == [(first.id, 3), (second.id, 5)]
    editor.stack.redo()
    assert journal.checkins() == [edited, second]
