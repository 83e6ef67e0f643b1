"""History: a lazily paging table model over the journal (no widget needed to test it),
filters and sort, edit in the same forms, delete with a confirmation, and undo/redo."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import choose
from tracker.domain.entries import Checkin
from tracker.journal import Journal
from tracker.ui.dialogs.checkin import CheckinDialog
from tracker.ui.models.history import HistoryModel
from tracker.ui.pages.history import HistoryView

START = datetime(2025, 1, 1, 21, 0)


def fill(journal: Journal, days: int) -> None:
    journal.add_many([Checkin(at=START + timedelta(days=d), anxiety=d % 11) for d in range(days)])


def test_model_pages_lazily(journal: Journal) -> None:
    fill(journal, 450)
    model = HistoryModel(journal, page_size=200)
    assert model.total() == 450
    assert model.rowCount() == 0, "nothing is read until the table asks"
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 200
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    newest = model.index(0, 0).data()
    assert newest.startswith("Thu 26 Mar") and newest.endswith(", 21:00"), "newest first"
    assert model.index(0, 1).data() == "Check-in"
    assert model.index(0, 2).data() == f"Anxiety {449 % 11}/10"


def test_model_filters_and_sorts(journal: Journal) -> None:
    fill(journal, 30)
    journal.add_assessment("GAD-7", START + timedelta(days=3, hours=-12), [1] * 7)
    model = HistoryModel(journal)
    model.set_filter(("assessment",), None, None)
    assert (model.total(), model.rowCount()) == (1, 1)
    assert model.index(0, 2).data() == "GAD-7 total 7 (mild range)"
    model.set_filter(("checkin", "assessment"), date(2025, 1, 2), date(2025, 1, 4))
    assert model.total() == 4
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.entry_at(r).KIND for r in range(4)] == [
        "checkin",
        "checkin",
        "assessment",
        "checkin",
    ]
    assert model.entry_at(0).at_value == datetime(2025, 1, 2, 21, 0)


def test_view_filters_and_shows_an_empty_state(qtbot, window, journal: Journal) -> None:
    fill(journal, 3)
    window.show_view("history")
    history = window.page("history")
    assert isinstance(history, HistoryView)
    assert history.count.text() == "3 entries"
    history.kind.setCurrentIndex(history.kind.findText("Side effects"))
    assert history.empty.isVisible() and history.empty.text() == "Nothing matches these filters."
    history.kind.setCurrentIndex(0)
    history.period.setCurrentIndex(history.period.findText("Custom range"))
    assert history.start.isVisible()
    history.start.setDate(date(2025, 1, 2))
    history.end.setDate(date(2025, 1, 2))
    assert history.model.total() == 1


def test_delete_asks_first_and_can_be_undone(qtbot, window, journal: Journal) -> None:
    session = journal.add_session("2026-01-06T10:00", "iv")
    effect = journal.add_side_effect(
        "2026-01-06T11:00", "nausea", "mild", session_at="2026-01-06T10:00"
    )
    window.show_view("history")
    history = window.page("history")
    row = history.model.row_of("session", session.id)
    history.table.selectRow(row)
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    box = history.confirm_box
    assert box is not None and box.isVisible()
    assert "Delete this treatment session?" in box.text()
    # The side effect stays but loses its link to the session: said before, not after.
    assert (
        "1 side effect logged after this session (Nausea) will stay in the journal but will "
        "no longer be linked to a session." in box.informativeText()
    )
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert journal.count("session") == 1, "cancel deletes nothing"

    history.table.selectRow(row)
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    delete = next(b for b in history.confirm_box.buttons() if b.text() == "Delete")
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert journal.count("session") == 0
    assert journal.side_effects()[0].session_at is None
    assert history.model.total() == 1, "the table follows the change signal"

    window.actions_by_name["undo"].trigger()
    [back] = journal.sessions()
    assert back.id == session.id, "undo puts it back with the same id"
    assert journal.get("side_effect", effect.id).session_at == back.at, "and the same links"
    assert history.model.total() == 2
    window.actions_by_name["redo"].trigger()
    assert journal.count("session") == 0


def test_edit_opens_the_same_form_and_undo_reverts(qtbot, window, journal: Journal) -> None:
    stored = journal.add_checkin("2026-01-05T21:10", anxiety=6, note="tense")
    window.show_view("history")
    history = window.page("history")
    history.table.selectRow(0)
    qtbot.mouseClick(history.edit_button, Qt.MouseButton.LeftButton)
    [dialog] = [d for d in window.findChildren(CheckinDialog) if d.isVisible()]
    assert dialog.form.anxiety.value() == 6 and dialog.form.note.toPlainText() == "tense"
    choose(qtbot, dialog.form.anxiety, 2)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert journal.checkins()[0].anxiety == 2
    assert history.model.index(0, 2).data().startswith("Anxiety 2/10")

    assert window.actions_by_name["undo"].text().replace("&", "") == "Undo Edit check-in"
    window.actions_by_name["undo"].trigger()
    [reverted] = journal.checkins()
    assert (reverted.id, reverted.anxiety) == (stored.id, 6)
    window.actions_by_name["redo"].trigger()
    assert journal.checkins()[0].anxiety == 2


def test_refresh_keeps_the_loaded_rows_and_selection(qtbot, window, journal: Journal) -> None:
    fill(journal, 250)
    window.show_view("history")
    history = window.page("history")
    history.model.fetchMore(QModelIndex())
    assert history.model.rowCount() == 250
    history.table.selectRow(240)
    chosen = history.selected_entry()
    journal.add_checkin("2026-06-01T09:00", anxiety=1)
    assert history.model.rowCount() == 251
    assert history.selected_entry() == chosen


def test_a_session_shows_the_classes_taken_in_the_24_hours_before_it(journal: Journal) -> None:
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", "2026-01-01")
    journal.add_medication("phenelzine", "maoi", "regular", "2026-01-07", times_per_day=2)
    journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)  # dose 12 h before
    journal.add_session("2026-01-08T10:00", "iv", dose_mg=35.0)  # dose 60 h before; MAOI
    journal.add_session("2026-01-03T10:00", "iv", dose_mg=35.0)  # nothing yet
    model = HistoryModel(journal)
    model.set_filter(("session",), None, None)
    rows = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert rows == [
        "Intravenous infusion · 35 mg · in the 24 h before: MAOI",
        "Intravenous infusion · 35 mg · in the 24 h before: benzodiazepine",
        "Intravenous infusion · 35 mg",
    ]


def test_a_dose_is_listed_edited_and_deleted_from_history(qtbot, window, journal: Journal) -> None:
    from tracker.ui.dialogs.treatment import DoseDialog

    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", "2026-01-01",
                           dose_mg=1.0)  # fmt: skip
    journal.add_medication_dose("2026-01-05T22:00", "lorazepam", dose_mg=1.0)
    window.show_view("history")
    page = window.page("history")
    assert isinstance(page, HistoryView)
    assert page.model.index(0, 1).data() == "Dose taken"
    assert page.model.index(0, 2).data() == "lorazepam · 1 mg"
    dialog = window.open_entry(page.model.entry_at(0))
    assert isinstance(dialog, DoseDialog)
    dialog.dose.setText("0.5")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [d.dose_mg for d in journal.medication_doses()] == [0.5]
    window.undo_stack.undo()
    assert [d.dose_mg for d in journal.medication_doses()] == [1.0]


def test_deleting_an_unlinked_entry_mentions_no_side_effects(qtbot, window, journal) -> None:
    journal.add_session("2026-01-06T10:00", "iv")
    journal.add_side_effect("2026-01-06T11:00", "nausea", "mild")  # not linked
    window.show_view("history")
    history = window.page("history")
    history.table.selectRow(history.model.row_of("session", journal.sessions()[0].id))
    qtbot.mouseClick(history.delete_button, Qt.MouseButton.LeftButton)
    assert "side effect" not in history.confirm_box.informativeText()
    history.confirm_box.button(QMessageBox.StandardButton.Cancel).click()


def test_ctrl_end_reaches_the_oldest_entry_of_ten_years(qtbot, window, journal) -> None:
    from datetime import datetime, timedelta

    from tracker.domain.entries import Checkin

    first = datetime(2016, 12, 1, 21, 0)
    days = 3653  # ten years, a check-in each evening
    journal.add_many([Checkin(at=first + timedelta(days=n), anxiety=n % 11) for n in range(days)])
    window.show_view("history")
    history = window.page("history")
    assert history.model.rowCount() < days, "loaded a page at a time"
    history.table.setFocus()
    history.table.selectRow(0)
    qtbot.keyClick(history.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    oldest = history.selected_entry()
    assert oldest is not None and oldest.at_value == first
    assert history.model.rowCount() == days
    assert history.table.currentIndex().row() == days - 1
