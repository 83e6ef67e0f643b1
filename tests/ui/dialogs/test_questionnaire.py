"""The questionnaire dialog: built from the instrument data, refuses to save until every
item is answered, shows the total and band, works from the keyboard alone, and shows the
item-9 safety message at once for any answer above "Not at all"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import press
from tracker.domain.instruments import instrument
from tracker.journal import Journal
from tracker.ui.dialogs.questionnaire import QuestionnaireDialog


def answer(qtbot, dialog: QuestionnaireDialog, values: list[int]) -> None:  # type: ignore[no-untyped-def]
    for question, value in zip(dialog.questions, values, strict=False):
        qtbot.mouseClick(question.buttons[value], Qt.MouseButton.LeftButton)


def test_items_are_the_instrument_data_verbatim(qtbot, window) -> None:
    dialog = window.open_questionnaire("PHQ-9")
    definition = instrument("PHQ-9")
    visible = [label.text() for label in dialog.findChildren(QLabel)]
    assert definition.stem in visible
    for item, question in zip(definition.items, dialog.questions, strict=True):
        assert question.text.text() == f"{item.number}. {item.text}"
        assert [b.text() for b in question.buttons] == [o.label for o in definition.options]
    assert dialog.difficulty.text.text().startswith(definition.difficulty_text)


def test_saves_and_shows_total_and_band(qtbot, window, journal: Journal) -> None:
    dialog = window.open_questionnaire("GAD-7")
    answer(qtbot, dialog, [2, 1, 3, 0, 1, 2, 1])
    qtbot.mouseClick(dialog.difficulty.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    [stored] = journal.assessments()
    assert (stored.instrument, stored.answers, stored.difficulty) == (
        "GAD-7",
        (2, 1, 3, 0, 1, 2, 1),
        1,
    )
    assert dialog.pages.currentIndex() == 1
    assert dialog.result_words() == "GAD-7 total 10 (moderate range)"
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_will_not_save_until_every_item_is_answered(qtbot, window, journal: Journal) -> None:
    dialog = window.open_questionnaire("GAD-7")
    answer(qtbot, dialog, [1, 1, 1, 1, 1])
    assert dialog.progress.text() == "5 of 7 answered"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Items 6 and 7 are not answered yet" in dialog.general_error.text()
    assert dialog.general_error.isVisible()
    assert dialog.focusWidget() is dialog.questions[5].buttons[0]
    assert journal.count("assessment") == 0
    assert dialog.pages.currentIndex() == 0


def test_keyboard_only(qtbot, window, journal: Journal) -> None:
    dialog = window.open_questionnaire("GAD-7")
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.questions[0].buttons[0].hasFocus())
    # Item 1 with the arrow keys and Space, item 2 the same after Tab.
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    assert dialog.questions[1].buttons[0].hasFocus()
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Tab)
    # Items 3–7 with the number keys, which answer and move on.
    for key in (Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_0, Qt.Key.Key_2, Qt.Key.Key_1):
        press(qtbot, key)
    assert dialog.difficulty.buttons[0].hasFocus()
    press(qtbot, Qt.Key.Key_2)  # difficulty, then the time field has the focus
    assert dialog.time.edit.hasFocus()
    press(qtbot, Qt.Key.Key_Return)  # Enter saves

    [stored] = journal.assessments()
    assert stored.answers == (2, 0, 3, 1, 0, 2, 1)
    assert stored.difficulty == 2
    assert dialog.result_words() == "GAD-7 total 9 (mild range)"
    assert dialog.done_button.hasFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()


@pytest.mark.parametrize("value", [1, 2, 3])
def test_item_9_above_not_at_all_shows_the_safety_message_at_once(
    qtbot, window, journal: Journal, value: int
) -> None:
    dialog = window.open_questionnaire("PHQ-9")
    qtbot.mouseClick(dialog.questions[8].buttons[value], Qt.MouseButton.LeftButton)
    safety = dialog.safety
    assert safety is not None and safety.isVisible(), "shown at once, before anything else"
    text = safety.text()
    assert "call or text 988" in text and "Suicide & Crisis Lifeline" in text
    assert "local emergency number" in text
    assert "not monitored by anyone" in text
    assert instrument("PHQ-9").options[value].label in text, "the answer is named, not hidden"

    # Not dismissable by accident: Escape, Enter, the window's close and reject do nothing.
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Return)
    safety.close()
    safety.reject()
    assert safety.isVisible()
    qtbot.mouseClick(safety.read_button, Qt.MouseButton.LeftButton)
    assert not safety.isVisible()

    assert dialog.questions[8].value() == value, "the answer stays as given"
    assert dialog.safety_notice.isVisible(), "the resources stay on the form"
    answer(qtbot, dialog, [1, 1, 1, 1, 1, 1, 1, 1])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [stored] = journal.assessments()
    assert stored.answers[8] == value
    assert dialog.result_safety.isVisible()
    assert "988" in dialog.result_safety_text.text()


def test_item_9_not_at_all_shows_nothing(qtbot, window, journal: Journal) -> None:
    dialog = window.open_questionnaire("PHQ-9")
    answer(qtbot, dialog, [0] * 9)
    assert dialog.safety is None
    assert not dialog.safety_notice.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.result_safety.isVisible()
    shown = " ".join(
        label.text() for label in dialog.findChildren(QLabel) if label.isVisible()
    ).lower()
    for reassuring in ("safe", "no risk", "good news", "reassur", "nothing to worry"):
        assert reassuring not in shown
    assert journal.assessments()[0].total == 0


def test_editing_a_stored_questionnaire(qtbot, window, journal: Journal) -> None:
    stored = journal.add_assessment("GAD-7", "2026-01-05T09:00", [1, 1, 1, 1, 1, 1, 1])
    dialog = window.open_entry(stored)
    assert isinstance(dialog, QuestionnaireDialog)
    assert dialog.answers() == [1] * 7
    qtbot.mouseClick(dialog.questions[0].buttons[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    [updated] = journal.assessments()
    assert updated.id == stored.id and updated.answers[0] == 3
    assert str(updated.at) == "2026-01-05 09:00:00", "the time stays as it was"
    assert dialog.focusWidget() is dialog.done_button


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_the_focused_i_have_read_this_button_takes_enter(qtbot, window, key) -> None:
    dialog = window.open_questionnaire("PHQ-9")
    qtbot.mouseClick(dialog.questions[8].buttons[2], Qt.MouseButton.LeftButton)
    safety = dialog.safety
    assert safety is not None and safety.isVisible()
    safety.activateWindow()
    qtbot.waitUntil(safety.isActiveWindow)
    assert press(qtbot, Qt.Key.Key_Return) is safety.message  # Enter here does nothing
    assert safety.isVisible()
    press(qtbot, Qt.Key.Key_Tab)
    assert safety.read_button.hasFocus()
    press(qtbot, key)
    assert not safety.isVisible()
    assert dialog.questions[8].value() == 2
