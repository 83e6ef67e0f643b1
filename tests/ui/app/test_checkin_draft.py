"""A half-typed check-in on Today survives a crash: it is kept as a draft inside the journal
about a second after each change (one transaction, no undo step, no page refresh), put back
at the next open with a line saying so, and forgotten once saved or discarded."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.core_support import REPO, python_env
from tests.ui.conftest import choose, close_discarding, dark_palette
from tracker.journal import Journal, JournalChange
from tracker.ui.app.main_window import MainWindow

DRIVER = Path(__file__).with_name("checkin_draft_driver.py")


def type_check_in(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    form = window.today.form
    choose(qtbot, form.anxiety, 6)
    choose(qtbot, form.mood, 4)
    qtbot.keyClicks(form.sleep, "7o")  # kept as typed, mistake included
    qtbot.keyClicks(form.note, "slept badly")
    form.time.edit.setDateTime(QDateTime(QDate(2026, 3, 3), QTime(21, 10)))


def wait_for_draft(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: not window.today.drafts.pending() and window.journal.draft("checkin") is not None,
        timeout=5000,
    )


def crash(window: MainWindow) -> None:
    """Gone without a closeEvent: no question, nothing saved, nothing forgotten."""
    window.today.drafts.stop()
    window.hide()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def form_values(window: MainWindow) -> tuple[object, ...]:
    form = window.today.form
    return (
        form.anxiety.value(),
        form.mood.value(),
        form.sleep.text(),
        form.note.toPlainText(),
        None if form.time.follows_now() else form.time.value(),
    )


TYPED = (6, 4, "7o", "slept badly", datetime(2026, 3, 3, 21, 10))


@pytest.fixture
def reopened(qtbot, journal_path: Path) -> Iterator[tuple[Journal, MainWindow]]:  # type: ignore[no-untyped-def]
    """A check-in typed, its draft kept, the process 'crashed'; then the journal and a
    window opened again on it.

    The draft is written at once, as the keeper's timer writes it a second after the
    typing: the tests that wait for the timer, and the killed app, show that it fires; the
    tests here are about what the next open does with the draft."""
    journal = Journal.open(journal_path, create=True)
    window = MainWindow(journal)
    window.show()
    qtbot.waitExposed(window)
    type_check_in(qtbot, window)
    assert window.today.drafts.pending()
    window.today.drafts.write_now()
    assert journal.draft("checkin") is not None
    crash(window)
    journal.close()
    again = Journal.open(journal_path)
    window = MainWindow(again)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield again, window
    close_discarding(window)
    again.close()


def test_a_crash_loses_nothing_typed_and_the_form_says_it_is_not_saved(reopened) -> None:  # type: ignore[no-untyped-def]
    journal, window = reopened
    assert form_values(window) == TYPED
    today = window.today
    assert today.draft_notice.isVisible()
    # The clock time of the last draft write, which was today (the test just ran).
    words = today.draft_text.accessibleName()
    assert words.startswith("Restored what you were typing today at ")
    assert words.endswith(" — not saved yet")
    assert journal.count("checkin") == 0, "a restored draft is not a saved check-in"
    assert window.unsaved_forms() == [today], "closing still asks about it"


def test_saving_a_restored_draft_stores_it_and_forgets_the_draft(qtbot, reopened) -> None:  # type: ignore[no-untyped-def]
    journal, window = reopened
    today = window.today
    today.form.sleep.clear()
    qtbot.keyClicks(today.form.sleep, "7")
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)
    [stored] = journal.checkins()
    assert (stored.anxiety, stored.mood, stored.sleep_hours, stored.note, stored.at) == (
        6,
        4,
        7.0,
        "slept badly",
        datetime(2026, 3, 3, 21, 10),
    )
    assert journal.draft("checkin") is None
    assert not today.draft_notice.isVisible()


def test_discard_on_the_notice_empties_the_form_and_forgets_the_draft(qtbot, reopened) -> None:  # type: ignore[no-untyped-def]
    journal, window = reopened
    today = window.today
    qtbot.mouseClick(today.draft_discard, Qt.MouseButton.LeftButton)
    assert not today.form.has_input() and not today.draft_notice.isVisible()
    assert journal.draft("checkin") is None and journal.count("checkin") == 0


def test_discard_on_closing_forgets_the_draft_and_cancel_keeps_it(qtbot, reopened) -> None:  # type: ignore[no-untyped-def]
    journal, window = reopened
    window.close()
    box = window.close_prompt
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert window.isVisible() and journal.draft("checkin") is not None
    window.close()
    box = window.close_prompt
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    with Journal.open(journal.path) as after:
        assert after.draft("checkin") is None and after.count("checkin") == 0


def test_the_draft_is_no_undo_step_no_change_and_saving_clears_it(qtbot, window, journal) -> None:  # type: ignore[no-untyped-def]
    heard: list[JournalChange] = []
    journal.subscribe(heard.append)
    refreshes: list[int] = []
    today = window.today
    today._changes._refresh = lambda: refreshes.append(1)
    type_check_in(qtbot, window)
    wait_for_draft(qtbot, window)
    assert heard == [] and refreshes == [], "a draft is not a change to the record"
    assert window.undo_stack.count() == 0
    kept = json.loads(journal.draft("checkin"))
    assert kept["fields"]["note"] == "slept badly" and kept["fields"]["anxiety"] == 6
    today.form.sleep.clear()
    qtbot.keyClicks(today.form.sleep, "7.5")
    qtbot.keyClick(today.form.note, Qt.Key.Key_Return)  # Enter saves
    assert journal.count("checkin") == 1
    assert journal.draft("checkin") is None
    assert window.undo_stack.count() == 1, "the save is the only step"
    assert [change.action for change in heard] == ["add"]
    # Emptied by the save, the form writes no new draft.
    qtbot.wait(1300)
    assert journal.draft("checkin") is None
    window.undo_stack.undo()
    assert journal.count("checkin") == 0 and journal.draft("checkin") is None


def test_a_draft_write_is_one_transaction_and_leaves_the_form_alone(qtbot, window, journal) -> None:  # type: ignore[no-untyped-def]
    today = window.today
    type_check_in(qtbot, window)
    today.form.note.setFocus()
    cursor = today.form.note.textCursor()
    cursor.setPosition(4)
    today.form.note.setTextCursor(cursor)
    before = form_values(window)
    statements: list[str] = []
    journal.connection.set_trace_callback(statements.append)
    try:
        wait_for_draft(qtbot, window)
    finally:
        journal.connection.set_trace_callback(None)
    writes = [s.split()[0].upper() for s in statements if not s.upper().startswith("SELECT")]
    assert writes == ["BEGIN", "INSERT", "COMMIT"]
    assert form_values(window) == before
    assert QApplication.focusWidget() is today.form.note
    assert today.form.note.textCursor().position() == 4
    assert today.form.note.document().isUndoAvailable(), "the note's own typing is undoable"
    # No change since: no second write.
    statements.clear()
    journal.connection.set_trace_callback(statements.append)
    today.drafts.write_now()
    journal.connection.set_trace_callback(None)
    assert statements == []


def test_emptying_the_form_by_hand_forgets_the_draft(qtbot, window, journal) -> None:  # type: ignore[no-untyped-def]
    form = window.today.form
    qtbot.keyClicks(form.note, "x")
    wait_for_draft(qtbot, window)
    form.note.selectAll()
    qtbot.keyClick(form.note, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: journal.draft("checkin") is None, timeout=5000)


@pytest.mark.parametrize(
    "kept",
    [
        "{not json",
        '{"version": 1, "kept_at": "yesterday", "fields": {}}',
        '{"version": 99, "kept_at": "2026-03-03T21:10:00", "fields": {"note": "x"}}',
        '{"version": 1, "kept_at": "2026-03-03T21:10:00", "fields": ["note"]}',
    ],
)
def test_an_unreadable_draft_opens_an_empty_form(qtbot, journal, kept: str) -> None:  # type: ignore[no-untyped-def]
    journal.keep_draft("checkin", kept)
    window = MainWindow(journal)
    qtbot.addWidget(window)
    assert not window.today.form.has_input() and window.today.draft_notice.isHidden()
    close_discarding(window)


def test_wrong_values_in_a_draft_are_left_out(qtbot, journal) -> None:  # type: ignore[no-untyped-def]
    fields = {"anxiety": 99, "mood": True, "sleep_hours": 7, "note": "kept", "at": "9999-99"}
    journal.keep_draft(
        "checkin", json.dumps({"version": 1, "kept_at": "2026-03-03T21:10:00", "fields": fields})
    )
    window = MainWindow(journal)
    qtbot.addWidget(window)
    assert form_values(window) == (None, None, "", "kept", None)
    assert window.today.draft_text.accessibleName().endswith("at 21:10 — not saved yet")
    close_discarding(window)


def test_a_killed_app_leaves_the_draft_and_the_next_open_restores_it(
    qtbot, journal_path: Path
) -> None:  # type: ignore[no-untyped-def]
    Journal.open(journal_path, create=True).close()
    child = subprocess.run(
        [sys.executable, str(DRIVER), str(journal_path)],
        cwd=REPO,
        env=python_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    with Journal.open(journal_path) as journal:
        assert journal.count("checkin") == 0
        window = MainWindow(journal)
        qtbot.addWidget(window)
        window.show()
        typed = (7, 3, "5.5", "woke at 4, heart racing", datetime(2026, 3, 3, 6, 40))
        assert form_values(window) == typed
        assert window.today.draft_notice.isVisible()
        close_discarding(window)


def test_screenshots_of_the_restored_notice(  # type: ignore[no-untyped-def]
    reopened, shots_dir: Path, qapp, palette_restored
) -> None:
    _journal, window = reopened
    card = window.today.draft_notice.parentWidget()
    assert card is not None
    for theme in ("light", "dark"):
        if theme == "dark":
            qapp.setPalette(dark_palette())
        QApplication.processEvents()
        assert card.grab().save(str(shots_dir / f"today-draft-restored-{theme}.png"))


@pytest.mark.parametrize(
    ("kept_at", "said"),
    [
        # 2026-03-03 is a Tuesday; "today" below is Friday 2026-03-06.
        (datetime(2026, 3, 6, 8, 5), "today at 08:05"),
        (datetime(2026, 3, 5, 23, 59), "yesterday at 23:59"),
        (datetime(2026, 3, 3, 21, 10), "on Tuesday at 21:10"),
        (datetime(2026, 2, 27, 21, 10), "on Fri 27 Feb at 21:10"),  # a week ago: the date
        (datetime(2025, 12, 30, 7, 0), "on Tue 30 Dec 2025 at 07:00"),
    ],
)
def test_the_notice_says_when_the_input_was_typed(kept_at: datetime, said: str) -> None:
    from datetime import date

    from tracker.ui.widgets.draft import restored_words

    assert restored_words(kept_at, date(2026, 3, 6)) == (
        f"Restored what you were typing {said} — not saved yet"
    )


def test_a_draft_that_cannot_be_written_leaves_the_form_and_tries_again(  # type: ignore[no-untyped-def]
    qtbot, window, journal, monkeypatch, caplog
) -> None:
    from tracker.storage.errors import JournalWriteError

    real = journal.keep_draft

    def full_disk(form: str, text: str | None) -> None:
        raise JournalWriteError(journal.path, "the disk is full")

    monkeypatch.setattr(journal, "keep_draft", full_disk)
    type_check_in(qtbot, window)
    qtbot.waitUntil(lambda: "was not kept" in caplog.text, timeout=5000)
    assert form_values(window) == TYPED and journal.draft("checkin") is None
    monkeypatch.setattr(journal, "keep_draft", real)
    qtbot.keyClicks(window.today.form.note, "!")  # the next change writes it
    wait_for_draft(qtbot, window)
    assert json.loads(journal.draft("checkin"))["fields"]["note"] == "slept badly!"
