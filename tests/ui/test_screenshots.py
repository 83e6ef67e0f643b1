"""Screenshots of every window and dialog in a light and a dark palette, for a person to
look at (saved to the shots folder; see tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.conftest import choose, dark_palette
from tracker.demo import create_demo_journal
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow


def save(widget: QWidget, folder: Path, name: str) -> Path:
    QApplication.processEvents()
    path = folder / f"ui-{name}.png"
    image = widget.grab().toImage()
    assert not image.isNull() and image.width() > 300 and image.height() > 200
    assert image.save(str(path))
    return path


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots(
    qtbot, qapp, tmp_path: Path, shots_dir: Path, theme: str, palette_restored
) -> None:
    if theme == "dark":
        qapp.setPalette(dark_palette())
    suffix = f"-{theme}"
    shots: list[Path] = []

    # First run: an empty journal.
    empty = Journal.open(tmp_path / "empty.onset", create=True)
    first = MainWindow(empty, owns_journal=True)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    shots.append(save(first, shots_dir, "first-run" + suffix))
    first.close()

    # A few weeks of sample entries for everything else.
    journal = create_demo_journal(tmp_path / "demo.onset")
    window = MainWindow(journal, owns_journal=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    choose(qtbot, window.today.form.anxiety, 4)
    choose(qtbot, window.today.form.mood, 6)
    qtbot.keyClicks(window.today.form.sleep, "7.5")
    shots.append(save(window, shots_dir, "today" + suffix))
    window.show_view("history")
    history = window.page("history")
    history.table.selectRow(2)
    shots.append(save(window, shots_dir, "history" + suffix))
    window.show_view("settings")
    shots.append(save(window, shots_dir, "settings" + suffix))
    window.show_view("today")

    questionnaire = window.open_questionnaire("PHQ-9")
    for question, value in zip(questionnaire.questions[:5], [1, 2, 1, 0, 2], strict=True):
        qtbot.mouseClick(question.buttons[value], Qt.MouseButton.LeftButton)
    shots.append(save(questionnaire, shots_dir, "questionnaire" + suffix))
    qtbot.mouseClick(questionnaire.questions[8].buttons[1], Qt.MouseButton.LeftButton)
    assert questionnaire.safety is not None
    shots.append(save(questionnaire.safety, shots_dir, "item9-safety" + suffix))
    qtbot.mouseClick(questionnaire.safety.read_button, Qt.MouseButton.LeftButton)
    for question in questionnaire.questions[5:8]:
        qtbot.mouseClick(question.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(questionnaire.save_button, Qt.MouseButton.LeftButton)
    shots.append(save(questionnaire, shots_dir, "questionnaire-result" + suffix))
    questionnaire.done_button.click()

    session = window.open_session()
    session.unit.setCurrentText("mg/kg")
    qtbot.keyClicks(session.dose, "0.5")
    qtbot.keyClicks(session.bp_before.systolic, "400")
    qtbot.keyClicks(session.bp_before.diastolic, "80")
    qtbot.keyClicks(session.hr_after, "300")
    choose(qtbot, session.anxiety_before, 7)
    choose(qtbot, session.dissociation, 5)
    qtbot.mouseClick(session.save_button, Qt.MouseButton.LeftButton)
    shots.append(save(session, shots_dir, "session-form" + suffix))
    session.reject()

    effects = window.open_side_effects()
    effects.tick("nausea")
    effects.tick("dizziness")
    qtbot.keyClicks(effects.search, "head")
    shots.append(save(effects, shots_dir, "side-effects" + suffix))
    effects.reject()
    window.close()

    # The demo journal's window is marked as such.
    demo = MainWindow(create_demo_journal(tmp_path / "demo2.onset"), demo=True, owns_journal=True)
    qtbot.addWidget(demo)
    demo.show()
    qtbot.waitExposed(demo)
    shots.append(save(demo, shots_dir, "demo-window" + suffix))
    demo.close()

    assert all(path.stat().st_size > 5000 for path in shots)
