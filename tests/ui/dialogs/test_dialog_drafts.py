"""A half-filled entry form survives a crash: while it holds unsaved input it is kept in the
journal as a draft (at most once a second), and at the next start the window opens the form
again, filled in as it was and saying so. Saved, discarded or closed with nothing typed, it
leaves no draft. A form that cannot be made again gives its words back in a message."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from tests.core_support import REPO, python_env
from tests.ui.conftest import close_discarding, dark_palette
from tests.ui.dialogs.session_draft_driver import fill_session
from tracker.domain.entries import TreatmentSession
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.dialogs.questionnaire import QuestionnaireDialog
from tracker.ui.dialogs.session import SessionDialog
from tracker.ui.dialogs.side_effects import SideEffectsDialog
from tracker.ui.widgets.draft import DIALOG_DRAFTS

DRIVER = Path(__file__).with_name("session_draft_driver.py")


def open_window(qtbot, journal: Journal, *, crashes: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(journal)
    if not crashes:  # a window that 'crashes' is deleted by the test itself
        qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def crash(window: MainWindow) -> None:
    """Gone without a closeEvent or a dialog's done(): no question, nothing forgotten."""
    for dialog in window.findChildren(EntryDialog):
        dialog._poll.stop()
    window.hide()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def crash_and_reopen(qtbot, journal: Journal, window: MainWindow, form: EntryDialog, kind):  # type: ignore[no-untyped-def]
    """Keep the form's draft, 'crash', open the journal and a window again; return the new
    journal, window and the form of that kind the window opened again by itself."""
    form.keep_draft()
    crash(window)
    journal.close()
    again = Journal.open(journal.path)
    window = open_window(qtbot, again)
    qtbot.waitUntil(lambda: bool(visible_forms(kind)), timeout=5000)
    [restored] = visible_forms(kind)
    assert isinstance(restored, kind)
    return again, window, restored


def session_values(form: SessionDialog) -> tuple[object, ...]:
    return (
        form.route.currentData(),
        form.unit.currentText(),
        form.dose.text(),
        form.weight.text(),
        form.duration.text(),
        form.bp_before.systolic.text(),
        form.bp_before.diastolic.text(),
        form.anxiety_before.value(),
        form.clinic.text(),
        form.notes.toPlainText(),
        form.time.value(),
    )


TYPED = ("iv", "mg/kg", "0.5", "70", "40", "128", "82", 7, "Riverside", "felt far away, then calm")


def visible_forms(kind: type[EntryDialog]) -> list[EntryDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


@pytest.fixture
def reopened(qtbot, journal_path: Path) -> Iterator[tuple[Journal, MainWindow, SessionDialog]]:  # type: ignore[no-untyped-def]
    """A session typed into its form, its draft kept, the process 'crashed'; then the
    journal and a window opened again on it."""
    journal = Journal.open(journal_path, create=True)
    window = open_window(qtbot, journal, crashes=True)
    form = window.open_session()
    qtbot.waitExposed(form)
    fill_session(form)
    form.keep_draft()
    assert len(journal.draft_forms(DIALOG_DRAFTS)) == 1
    again, window, restored = crash_and_reopen(qtbot, journal, window, form, SessionDialog)
    yield again, window, restored
    close_discarding(window)
    again.close()


def test_a_crash_reopens_the_session_form_as_it_was(reopened) -> None:  # type: ignore[no-untyped-def]
    journal, window, form = reopened
    assert session_values(form) == (*TYPED, datetime(2026, 3, 3, 10, 15))
    assert form.restored_note is not None and form.restored_note.isVisible()
    assert form.restored_note.accessibleName().startswith("Restored what you were typing today")
    assert journal.count("session") == 0, "a restored draft is not a saved session"
    assert form.has_unsaved_input(), "Escape and closing still ask about it"
    assert window.unsaved_forms() == [form]


def test_saving_the_restored_form_stores_it_and_forgets_the_draft(qtbot, reopened) -> None:  # type: ignore[no-untyped-def]
    journal, _window, form = reopened
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    [stored] = journal.sessions()
    assert isinstance(stored, TreatmentSession)
    assert (stored.route, stored.dose_mg_per_kg, stored.weight_kg) == ("iv", 0.5, 70.0)
    assert stored.duration_min == 40
    assert (stored.bp_before, stored.anxiety_before) == ((128, 82), 7)
    assert (stored.clinic, stored.notes, stored.at) == (
        "Riverside",
        "felt far away, then calm",
        datetime(2026, 3, 3, 10, 15),
    )
    assert journal.draft_forms(DIALOG_DRAFTS) == []


def test_discarding_the_restored_form_forgets_the_draft(qtbot, reopened) -> None:  # type: ignore[no-untyped-def]
    journal, _window, form = reopened
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    box = form.unsaved_prompt
    assert box is not None
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert journal.draft_forms(DIALOG_DRAFTS) == [] and journal.count("session") == 0


def test_a_form_closed_with_nothing_typed_keeps_no_draft(qtbot, window, journal) -> None:  # type: ignore[no-untyped-def]
    form = window.open_session()
    qtbot.waitExposed(form)
    form.keep_draft()
    assert journal.draft_forms(DIALOG_DRAFTS) == []
    qtbot.keyClicks(form.clinic, "x")
    form.keep_draft()
    assert len(journal.draft_forms(DIALOG_DRAFTS)) == 1
    form.clinic.clear()  # typed, then taken back: nothing unsaved
    form.keep_draft()
    assert journal.draft_forms(DIALOG_DRAFTS) == []
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_a_draft_is_written_while_typing_without_a_save(qtbot, window, journal) -> None:  # type: ignore[no-untyped-def]
    form = window.open_session()
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.notes, "shaky")
    qtbot.waitUntil(lambda: len(journal.draft_forms(DIALOG_DRAFTS)) == 1, timeout=3000)
    assert journal.count("session") == 0
    close_discarding(window)
    assert journal.draft_forms(DIALOG_DRAFTS) == [], "closing the window as asked leaves none"


def test_a_half_answered_questionnaire_comes_back(qtbot, journal_path: Path) -> None:  # type: ignore[no-untyped-def]
    journal = Journal.open(journal_path, create=True)
    window = open_window(qtbot, journal, crashes=True)
    form = window.open_questionnaire("PHQ-9")
    qtbot.waitExposed(form)
    for question in form.questions[:3]:
        question.choose(2)
    again, window, restored = crash_and_reopen(qtbot, journal, window, form, QuestionnaireDialog)
    assert restored.instrument.id == "PHQ-9"
    assert restored.answers() == [2, 2, 2, None, None, None, None, None, None]
    assert again.count("assessment") == 0
    close_discarding(window)
    again.close()


def test_a_form_whose_entry_is_gone_gives_its_words_back(qtbot, journal_path: Path) -> None:  # type: ignore[no-untyped-def]
    journal = Journal.open(journal_path, create=True)
    session = journal.add_session(datetime(2026, 3, 1, 9, 0), "iv", dose_mg_per_kg=0.5)
    window = open_window(qtbot, journal, crashes=True)
    form = window.open_session(session)
    qtbot.waitExposed(form)
    qtbot.keyClicks(form.notes, "the music helped")
    form.keep_draft()
    crash(window)
    assert session.id is not None
    journal.delete(session)  # deleted elsewhere meanwhile
    journal.close()
    again = Journal.open(journal_path)
    window = open_window(qtbot, again)
    qtbot.waitUntil(
        lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in window.children()),
        timeout=5000,
    )
    [box] = [w for w in window.children() if isinstance(w, QMessageBox) and w.isVisible()]
    assert "Edit treatment session" in box.text()
    assert "the music helped" in box.informativeText()
    assert again.draft_forms(DIALOG_DRAFTS) == []
    assert not visible_forms(SessionDialog)
    box.close()
    close_discarding(window)
    again.close()


def test_a_killed_process_loses_no_word_of_a_session_form(qtbot, journal_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real thing: Onset started as a person starts it, a session typed into its form,
    the process killed by SIGKILL as soon as the draft is in the journal."""
    Journal.open(journal_path, create=True).close()
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(journal_path)],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode(errors="replace")[-2000:]
    journal = Journal.open(journal_path)
    window = open_window(qtbot, journal)
    qtbot.waitUntil(lambda: bool(visible_forms(SessionDialog)), timeout=5000)
    [form] = visible_forms(SessionDialog)
    assert isinstance(form, SessionDialog)
    assert session_values(form) == (*TYPED, datetime(2026, 3, 3, 10, 15))
    assert journal.count("session") == 0
    close_discarding(window)
    journal.close()


def test_screenshots_of_a_restored_form(  # type: ignore[no-untyped-def]
    reopened, shots_dir: Path, qapp, palette_restored
) -> None:
    _journal, _window, form = reopened
    for theme in ("light", "dark"):
        if theme == "dark":
            qapp.setPalette(dark_palette())
        QApplication.processEvents()
        assert form.grab().save(str(shots_dir / f"session-draft-restored-{theme}.png"))


def test_discard_on_the_notice_closes_the_form_and_forgets_the_draft(qtbot, reopened) -> None:  # type: ignore[no-untyped-def]
    journal, _window, form = reopened
    [discard] = [
        b
        for b in form.findChildren(QPushButton)
        if b.accessibleName() == "Discard the restored input and close the form"
    ]
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert journal.draft_forms(DIALOG_DRAFTS) == [] and journal.count("session") == 0


def test_side_effects_ticked_with_their_details_come_back(qtbot, journal_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Ticking a side effect adds its row: the rows come back with what was set in them."""
    journal = Journal.open(journal_path, create=True)
    window = open_window(qtbot, journal, crashes=True)
    form = window.open_side_effects()
    qtbot.waitExposed(form)
    form.tick("nausea")
    form.tick("dizziness")
    qtbot.keyClicks(form.search, "tingling fingers")
    qtbot.mouseClick(form.add_own, Qt.MouseButton.LeftButton)  # one of their own, by name
    qtbot.keyClicks(form.rows["other:tingling fingers"].duration, "15")
    nausea = form.rows["nausea"]
    nausea.severity.setCurrentIndex(nausea.severity.findData("moderate"))
    nausea.time.set_value(datetime(2026, 3, 3, 11, 0))
    qtbot.keyClicks(nausea.duration, "30")
    qtbot.keyClicks(form.note, "on the way home")
    again, window, restored = crash_and_reopen(qtbot, journal, window, form, SideEffectsDialog)
    # The rows come back in the list's order; each with its own details, never another's.
    assert sorted(restored.rows) == ["dizziness", "nausea", "other:tingling fingers"]
    assert restored.rows["other:tingling fingers"].duration.text() == "15"
    assert restored.rows["dizziness"].duration.text() == ""
    assert restored.rows["dizziness"].severity.currentData() != "moderate"
    back = restored.rows["nausea"]
    assert back.severity.currentData() == "moderate"
    assert back.time.value() == datetime(2026, 3, 3, 11, 0)
    assert back.duration.text() == "30"
    assert restored.note.toPlainText() == "on the way home"
    assert restored.restored_note is not None
    qtbot.mouseClick(restored.save_button, Qt.MouseButton.LeftButton)
    assert sorted(e.effect for e in again.side_effects()) == [
        "dizziness",
        "nausea",
        "other:tingling fingers",
    ]
    assert again.draft_forms(DIALOG_DRAFTS) == []
    close_discarding(window)
    again.close()
