"""Reflections from Today and from History, the follow-up check, the Due card (real widgets)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.ui.conftest import dark_palette, unnamed_focus_stops
from tracker.domain.between import FOLLOWUP_KEYS
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.followup import FollowUpDialog
from tracker.ui.dialogs.reflection import ReflectionDialog
from tracker.ui.pages.history import HistoryView

# Friday 9 January 2026, 10:30; the last session was Thursday 10:00, the first 30 days ago.
NOW = datetime(2026, 1, 9, 10, 30)
THURSDAY = datetime(2026, 1, 8, 10, 0)


def window_at(qtbot, journal: Journal, now: datetime = NOW) -> MainWindow:  # type: ignore[no-untyped-def]
    shown = MainWindow(journal)
    shown.clock = lambda: now
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.today.refresh()
    return shown


def open_dialog(kind: type[QDialog]) -> QDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, found
    found[0].activateWindow()
    QApplication.processEvents()
    return found[0]


def button_named(root: QWidget, name: str):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    found = [b for b in root.findChildren(QPushButton) if b.accessibleName() == name]
    assert len(found) == 1, [b.accessibleName() for b in root.findChildren(QPushButton)]
    return found[0]


def test_a_reflection_written_from_today_answers_the_prompt(qtbot, journal: Journal) -> None:
    journal.add_session(THURSDAY, "intranasal", dose_mg=84.0)
    window = window_at(qtbot, journal)
    card = window.today.due_card
    assert [i.prompt for i in card.items if i.kind == "reflection"] == ["still_with_you"]
    reflect = button_named(card, "Reflect on Thursday's session")
    qtbot.mouseClick(reflect, Qt.MouseButton.LeftButton)
    dialog = open_dialog(ReflectionDialog)
    assert dialog.windowTitle() == "Reflect on Thursday's session"
    assert dialog.question.text() == "What is still with you today?"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text)
    qtbot.keyClicks(dialog.text, "lighter in the morning")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (stored,) = journal.reflections()
    assert stored.to_json() == {
        "at": "2026-01-09T10:30",
        "session_at": "2026-01-08T10:00",
        "prompt": "still_with_you",
        "text": "lighter in the morning",
    }
    assert not dialog.isVisible()
    assert [i for i in card.items if i.kind == "reflection"] == []
    # Undo takes it back, and the prompt is due again.
    window.actions_by_name["undo"].trigger()
    assert journal.reflections() == []
    assert [i.prompt for i in card.items if i.kind == "reflection"] == ["still_with_you"]


def test_an_empty_reflection_is_not_saved_and_says_why(qtbot, journal: Journal) -> None:
    journal.add_session(THURSDAY, "iv")
    window = window_at(qtbot, journal)
    window.open_reflection(THURSDAY, "still_with_you")
    dialog = open_dialog(ReflectionDialog)
    qtbot.keyClicks(dialog.text, "   ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and journal.reflections() == []
    assert "Write something first" in dialog.errors.message("text")
    dialog.discard()  # typed text: Cancel would ask first


def test_not_now_puts_the_prompt_away(qtbot, journal: Journal) -> None:
    journal.add_session(THURSDAY, "iv")
    window = window_at(qtbot, journal)
    card = window.today.due_card
    qtbot.mouseClick(
        button_named(card, "Dismiss this prompt: Reflect on Thursday's session"),
        Qt.MouseButton.LeftButton,
    )
    assert journal.dismissed_prompts() == [(THURSDAY, "still_with_you")]
    assert [i for i in card.items if i.kind == "reflection"] == []


def test_a_reflection_from_the_session_in_history(qtbot, journal: Journal) -> None:
    journal.add_session(THURSDAY, "iv")
    journal.add_checkin(datetime(2026, 1, 8, 21, 0), 4)
    window = window_at(qtbot, journal)
    window.show_view("history")
    history = window.page("history")
    assert isinstance(history, HistoryView)
    history.table.setFocus()
    history.table.selectRow(1)  # newest first: the check-in, then the session
    assert history.reflect_button.isEnabled()
    history.table.selectRow(0)
    assert not history.reflect_button.isEnabled()
    history.table.selectRow(1)
    qtbot.mouseClick(history.reflect_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(ReflectionDialog)
    assert dialog.windowTitle() == "Reflect on Thursday's session"
    assert not dialog.question.isVisible()  # no prompt: a free reflection on that session
    qtbot.keyClicks(dialog.text, "the colours")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (stored,) = journal.reflections()
    assert (stored.session_at, stored.prompt, stored.text) == (THURSDAY, None, "the colours")
    # It shows in History, and opens there to be edited.
    assert history.model.entry_at(0).KIND == "reflection"
    assert "the colours" in history.model.data(history.model.index(0, 2))
    history.edit_row(0)
    editing = open_dialog(ReflectionDialog)
    assert editing.text.toPlainText() == "the colours"
    editing.text.setPlainText("the colours, and quiet")
    qtbot.mouseClick(editing.save_button, Qt.MouseButton.LeftButton)
    assert [r.text for r in journal.reflections()] == ["the colours, and quiet"]


def test_the_followup_check_from_today_by_keyboard_alone(qtbot, journal: Journal) -> None:
    journal.add_session(NOW - timedelta(days=30), "iv")
    journal.add_session(THURSDAY, "iv")
    window = window_at(qtbot, journal)
    card = window.today.due_card
    assert "followup" in [i.kind for i in card.items]
    button = button_named(card, "Answer the follow-up check")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    dialog = open_dialog(FollowUpDialog)
    assert isinstance(dialog, FollowUpDialog)
    assert unnamed_focus_stops(dialog) == []
    # The first question has the focus on "None"; Space chooses it, Right moves to "Mild".
    first = dialog.buttons_by_question["bladder_pain"]["none"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert dialog.answer("bladder_pain") == "none"
    # Tab to the next question, Right twice: "Moderate" for urgency.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused in dialog.buttons_by_question["urgency"].values()
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert dialog.answer("urgency") == "moderate"
    # Saving with questions open says which, and stores nothing.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Still to answer" in dialog.errors.message("answers")
    assert "blood in the urine" in dialog.errors.message("answers")
    assert journal.followups() == []
    dialog.none_to_all.setFocus()
    qtbot.keyClick(dialog.none_to_all, Qt.Key.Key_Space)
    assert QApplication.focusWidget() is dialog.save_button
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    (stored,) = journal.followups()
    assert stored.at == NOW
    assert stored.above_none() == [("urgency", "moderate")]
    assert [k for k in FOLLOWUP_KEYS if stored.by_question[k] == "none"] == [
        k for k in FOLLOWUP_KEYS if k != "urgency"
    ]
    assert "followup" not in [i.kind for i in card.items]
    # History lists it with what was above "none".
    window.show_view("history")
    history = window.page("history")
    assert isinstance(history, HistoryView)
    assert history.model.entry_at(0).KIND == "followup"
    assert "a sudden, strong need to pass urine: moderate" in history.model.data(
        history.model.index(0, 2)
    )


def test_screenshots_of_the_new_views(
    qtbot, qapp, journal: Journal, shots_dir: Path, palette_restored
) -> None:
    journal.add_assessment("GAD-7", "2025-12-26T09:00", [2] * 7)
    journal.add_session(NOW - timedelta(days=30), "iv", dose_mg=35.0)
    journal.add_session(THURSDAY, "intranasal", dose_mg=84.0)
    for theme in ("light", "dark"):
        if theme == "dark":
            qapp.setPalette(dark_palette())
        window = window_at(qtbot, journal)
        QApplication.processEvents()
        assert window.grab().save(str(shots_dir / f"between-today-{theme}.png"))
        window.open_reflection(THURSDAY, "still_with_you")
        reflection = open_dialog(ReflectionDialog)
        reflection.text.setPlainText("lighter in the morning; the tightness came back at noon")
        QApplication.processEvents()
        assert reflection.grab().save(str(shots_dir / f"between-reflection-{theme}.png"))
        reflection.discard()
        window.open_followup()
        followup = open_dialog(FollowUpDialog)
        assert isinstance(followup, FollowUpDialog)
        followup.choose("urgency", "mild")
        followup.choose("bladder_pain", "none")
        QApplication.processEvents()
        assert followup.grab().save(str(shots_dir / f"between-followup-{theme}.png"))
        followup.discard()
        window.close()
