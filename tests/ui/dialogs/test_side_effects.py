"""Side effects: several at once from the searchable catalogue or named by the user, each
with severity and time, linked to a session, stored in one transaction."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from tracker.journal import Journal


def test_several_effects_in_one_transaction(qtbot, window, journal: Journal, monkeypatch) -> None:
    session = journal.add_session(datetime(2026, 1, 6, 10, 0), "iv")
    calls: list[int] = []
    original = journal.add_many
    monkeypatch.setattr(
        journal, "add_many", lambda entries: calls.append(len(entries)) or original(entries)
    )

    dialog = window.open_side_effects()
    qtbot.keyClicks(dialog.search, "nause")
    visible = [i.text() for i in dialog.catalogue_items() if not i.isHidden()]
    assert visible == ["Nausea"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # the only match is ticked
    assert list(dialog.rows) == ["nausea"]
    assert dialog.isVisible(), "Enter in the search field never saves the dialog"
    dialog.tick("dizziness")
    qtbot.keyClicks(dialog.search, "tingling  fingers")
    assert dialog.add_own.text() == "Add “tingling fingers”"
    qtbot.mouseClick(dialog.add_own, Qt.MouseButton.LeftButton)
    assert list(dialog.rows) == ["nausea", "dizziness", "other:tingling fingers"]

    nausea = dialog.rows["nausea"]
    nausea.severity.setCurrentIndex(nausea.severity.findData("moderate"))
    nausea.time.set_value(datetime(2026, 1, 6, 11, 0))
    qtbot.keyClicks(nausea.duration, "30")
    dialog.select_session(session.at)
    qtbot.keyClicks(dialog.note, "on the way home")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert calls == [3], "all three in one add_many call: one transaction"
    stored = {e.effect: e for e in journal.side_effects()}
    assert set(stored) == {"nausea", "dizziness", "other:tingling fingers"}
    assert stored["nausea"].severity == "moderate"
    assert stored["nausea"].at == datetime(2026, 1, 6, 11, 0)
    assert stored["nausea"].duration_min == 30
    assert stored["dizziness"].severity == "mild"
    assert all(e.session_at == session.at for e in stored.values())
    assert all(e.note == "on the way home" for e in stored.values())
    assert window.undo_stack.count() == 1, "one undo step for the lot"


def test_unticking_removes_the_row(qtbot, window) -> None:
    dialog = window.open_side_effects()
    dialog.tick("headache")
    qtbot.mouseClick(dialog.rows["headache"].remove, Qt.MouseButton.LeftButton)
    assert not dialog.rows
    item = next(i for i in dialog.catalogue_items() if i.text() == "Headache")
    assert item.checkState() == Qt.CheckState.Unchecked


def test_nothing_chosen_or_bad_duration_stores_nothing(qtbot, window, journal: Journal) -> None:
    dialog = window.open_side_effects()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.general_error.text() == "Choose at least one side effect to save."
    dialog.tick("nausea")
    dialog.tick("headache")
    qtbot.keyClicks(dialog.rows["headache"].duration, "99999")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.rows["headache"].error.text() == "99999 min is outside 0–43200 min"
    assert journal.count("side_effect") == 0, "all or nothing"


def test_editing_one_side_effect(qtbot, window, journal: Journal) -> None:
    stored = journal.add_side_effect("2026-01-06T11:00", "nausea", "mild")
    dialog = window.open_entry(stored)
    assert not dialog.picker.isVisible()
    row = dialog.rows["nausea"]
    row.severity.setCurrentIndex(row.severity.findData("severe"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [updated] = journal.side_effects()
    assert (updated.id, updated.severity) == (stored.id, "severe")
