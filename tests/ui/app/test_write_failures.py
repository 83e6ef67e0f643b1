"""A write that fails (disk full, read-only, locked by another program), from every form:
the person is told why, what they typed stays in the form, nothing is half-written, and
the next save works once the cause is gone. Undo/redo keep their place on the stack."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.core_support import sqlite_error
from tests.ui.conftest import choose
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow

WORDS = {
    "full": "the disk is full",
    "read-only": "read-only",
    "locked": "another program is using the journal file",
}


class FailingWrites:
    """The journal's connection, except that every write raises while armed."""

    def __init__(self, real: sqlite3.Connection, error: str, skip: int = 0):
        self.real, self.error, self.skip = real, error, skip

    def _check(self, sql: str) -> None:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            if self.skip:
                self.skip -= 1
            else:
                raise sqlite_error(self.error, sqlite3.SQLITE_FULL)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self.real.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self.real.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@contextmanager
def failing(journal: Journal, cause: str, *, skip: int = 0) -> Iterator[None]:
    """Writes fail for `cause` inside the block and work again after it (the cure)."""
    real = journal.connection
    other: sqlite3.Connection | None = None
    if cause == "full":
        fake = FailingWrites(real, "database or disk is full", skip)
        journal._conn = journal._repo.conn = fake  # type: ignore[assignment]
    elif cause == "read-only":
        real.execute("PRAGMA query_only = ON")  # SQLite's own SQLITE_READONLY
    else:
        real.execute("PRAGMA busy_timeout = 20")
        other = sqlite3.connect(journal.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        journal._conn = journal._repo.conn = real
        real.execute("PRAGMA query_only = OFF")
        if other is not None:
            other.execute("ROLLBACK")
            other.close()


def told(cause: str, journal: Journal) -> QMessageBox:
    """The one message box on screen; it names the cause and the journal file."""
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert len(boxes) == 1, [b.text() for b in boxes]
    box = boxes[0]
    text = f"{box.text()} {box.informativeText()}"
    assert WORDS[cause] in text and str(journal.path) in text
    return box


def healthy(journal: Journal) -> bool:
    return bool(journal.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok")


@pytest.mark.parametrize("cause", WORDS)
def test_a_check_in_on_today_stays_in_the_form_until_it_can_be_saved(
    qtbot, window: MainWindow, journal: Journal, cause: str
) -> None:
    form = window.today.form
    choose(qtbot, form.anxiety, 6)
    qtbot.keyClicks(form.sleep, "6.5")
    qtbot.keyClicks(form.note, "a hard morning")
    with failing(journal, cause):
        qtbot.mouseClick(window.today.save_button, Qt.MouseButton.LeftButton)
        box = told(cause, journal)
    assert box.text() == "The check-in was not saved."
    assert (form.anxiety.value(), form.sleep.text()) == (6, "6.5")
    assert form.note.toPlainText() == "a hard morning"
    assert journal.count("checkin") == 0 and not window.undo_stack.canUndo()
    box.close()
    qtbot.mouseClick(window.today.save_button, Qt.MouseButton.LeftButton)
    [saved] = journal.checkins()
    assert (saved.anxiety, saved.sleep_hours, saved.note) == (6, 6.5, "a hard morning")
    assert form.note.toPlainText() == "" and healthy(journal)


def test_a_questionnaire_keeps_its_answers(qtbot, window: MainWindow, journal: Journal) -> None:
    dialog = window.open_questionnaire("GAD-7")
    for question, value in zip(dialog.questions, [2, 1, 3, 0, 1, 2, 1], strict=True):
        qtbot.mouseClick(question.buttons[value], Qt.MouseButton.LeftButton)
    with failing(journal, "full"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        box = told("full", journal)
    assert box.text() == "Nothing was saved."
    assert dialog.isVisible() and dialog.pages.currentIndex() == 0
    assert dialog.answers() == [2, 1, 3, 0, 1, 2, 1] and journal.count("assessment") == 0
    box.close()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [saved] = journal.assessments()
    assert saved.answers == (2, 1, 3, 0, 1, 2, 1) and dialog.pages.currentIndex() == 1


def test_a_session_form_keeps_what_was_typed(qtbot, window: MainWindow, journal: Journal) -> None:
    dialog = window.open_session()
    qtbot.keyClicks(dialog.dose, "35")
    qtbot.keyClicks(dialog.clinic, "Riverside Clinic")
    qtbot.keyClicks(dialog.notes, "calm afterwards")
    with failing(journal, "read-only"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        told("read-only", journal).close()
    assert dialog.isVisible() and journal.count("session") == 0
    assert (dialog.dose.text(), dialog.clinic.text()) == ("35", "Riverside Clinic")
    assert dialog.notes.toPlainText() == "calm afterwards"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [saved] = journal.sessions()
    assert (saved.dose_mg, saved.clinic, saved.notes) == (
        35.0,
        "Riverside Clinic",
        "calm afterwards",
    )
    assert not dialog.isVisible()


def test_side_effects_are_all_saved_or_none(qtbot, window: MainWindow, journal: Journal) -> None:
    dialog = window.open_side_effects()
    for effect in ("nausea", "dizziness", "headache"):
        dialog.tick(effect)
    qtbot.keyClicks(dialog.note, "after the session")
    with failing(journal, "full", skip=2):  # the third of three rows fails
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        told("full", journal).close()
    assert journal.count("side_effect") == 0, "nothing half-written"
    assert sorted(dialog.rows) == ["dizziness", "headache", "nausea"]
    assert dialog.note.toPlainText() == "after the session"
    with failing(journal, "locked"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        told("locked", journal).close()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert journal.count("side_effect") == 3 and healthy(journal)


def test_an_edit_from_history_and_a_delete_change_nothing_until_they_can(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add_checkin("2026-01-05T21:10", 6, note="before")
    window.show_view("history")
    history = window.page("history")
    history.table.selectRow(0)
    [entry] = journal.checkins()
    dialog = window.open_entry(entry)
    dialog.form.note.setPlainText("after")
    with failing(journal, "full"):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        told("full", journal).close()
    assert journal.checkins() == [entry] and dialog.form.note.toPlainText() == "after"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert journal.checkins()[0].note == "after" and not dialog.isVisible()

    history.table.selectRow(0)
    with failing(journal, "read-only"):
        history.delete_selected()
        [delete] = [b for b in history.confirm_box.buttons() if b.text() == "Delete"]
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
        box = told("read-only", journal)
    assert box.text() == "The entry was not deleted." and journal.count("checkin") == 1
    box.close()
    history.table.selectRow(0)
    history.delete_selected()
    [delete] = [b for b in history.confirm_box.buttons() if b.text() == "Delete"]
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert journal.count("checkin") == 0


def test_undo_and_redo_that_fail_keep_their_place_and_work_later(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    dialog = window.open_side_effects()
    for effect in ("nausea", "dizziness", "headache"):
        dialog.tick(effect)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    ids = sorted(e.id for e in journal.side_effects())
    stack, undo, redo = (
        window.undo_stack,
        window.actions_by_name["undo"],
        window.actions_by_name["redo"],
    )
    assert (stack.index(), stack.undoText()) == (1, "Add 3 side effects")

    with failing(journal, "full", skip=1):  # the second of three deletes fails
        undo.trigger()
        box = told("full", journal)
    assert box.text().startswith("Could not undo “Add 3 side effects”: the disk is full")
    box.close()
    assert journal.count("side_effect") == 3, "an undo is whole or not at all"
    assert (stack.index(), stack.count(), stack.undoText()) == (1, 1, "Add 3 side effects")
    assert undo.isEnabled() and not redo.isEnabled()

    undo.trigger()  # the cause is gone: the same step works
    assert journal.count("side_effect") == 0 and (stack.index(), stack.canRedo()) == (0, True)

    with failing(journal, "locked"):
        redo.trigger()
        told("locked", journal).close()
    assert journal.count("side_effect") == 0
    assert (stack.index(), stack.redoText()) == (0, "Add 3 side effects") and redo.isEnabled()
    redo.trigger()
    assert sorted(e.id for e in journal.side_effects()) == ids and stack.index() == 1
    assert healthy(journal)


def test_a_reminder_setting_that_cannot_be_saved_shows_what_is_stored(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    window.show_view("settings")
    settings = window.page("settings")
    check, _days = settings.reminder_boxes["GAD-7"]
    assert check.isChecked()
    with failing(journal, "read-only"):
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert check.isChecked(), "back to what the journal holds"
    assert "could not be saved: the journal file or its folder is read-only" in (
        settings.reminder_error.text()
    )
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert not check.isChecked() and journal.setting("reminder.GAD-7.enabled") == "0"
    assert settings.reminder_error.isHidden()


def test_an_export_dialog_save_whose_settings_cannot_be_stored_still_reports_the_pdf(
    qtbot, journal: Journal, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from tracker.ui.dialogs.export import ExportDialog

    journal.add_checkin("2026-01-05T21:10", 6)
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    dialog = ExportDialog(journal)
    qtbot.addWidget(dialog)
    dialog.show()
    with failing(journal, "read-only"):
        dialog.save()
    assert target.exists() and "Saved “summary.pdf”" in dialog.result_label.text()
