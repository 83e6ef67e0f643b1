"""Screenshots of every window and dialog in a light and a dark palette, for a person to
look at (saved to the shots folder; see tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.ui.conftest import choose, dark_palette
from tracker.demo import create_demo_journal
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow


def save(widget: QWidget, folder: Path, name: str, small: bool = False) -> Path:
    """`small`: a message box, not a window."""
    QApplication.processEvents()
    path = folder / f"ui-{name}.png"
    image = widget.grab().toImage()
    least = (200, 80) if small else (300, 200)
    assert not image.isNull() and image.width() > least[0] and image.height() > least[1]
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
    first.resize(1140, 800)  # the test screen is smaller: a remembered size would shrink
    first.show()
    qtbot.waitExposed(first)
    shots.append(save(first, shots_dir, "first-run" + suffix))
    first.close()

    # A few weeks of sample entries for everything else.
    journal = create_demo_journal(tmp_path / "demo.onset")
    window = MainWindow(journal, owns_journal=True)
    qtbot.addWidget(window)
    window.resize(1140, 800)
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
    # Deleting a session names the side effects that lose their link.
    sessions = [
        r for r in range(history.model.rowCount()) if history.model.entry_at(r).KIND == "session"
    ]
    history.table.selectRow(sessions[0])
    history.delete_selected()
    shots.append(save(history.confirm_box, shots_dir, "delete-confirmation" + suffix, small=True))
    history.confirm_box.reject()
    edit = window.open_entry(next(e for e in journal.history_page(("checkin",), limit=1)))
    shots.append(save(edit, shots_dir, "edit-checkin" + suffix))
    edit.reject()
    window.show_view("settings")
    shots.append(save(window, shots_dir, "settings" + suffix))
    window.show_view("today")
    export = window.export_summary()
    assert export is not None
    shots.append(save(export, shots_dir, "export" + suffix))
    export.reject()

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
    qtbot.keyClicks(session.weight, "7o")  # refused at once, as typed
    choose(qtbot, session.anxiety_before, 7)
    choose(qtbot, session.dissociation, 5)
    qtbot.mouseClick(session.save_button, Qt.MouseButton.LeftButton)
    shots.append(save(session, shots_dir, "session-form" + suffix))
    session.reject()  # typed input: asks first
    assert session.unsaved_prompt is not None
    shots.append(
        save(session.unsaved_prompt, shots_dir, "unsaved-form-question" + suffix, small=True)
    )
    session.unsaved_prompt.button(QMessageBox.StandardButton.Discard).click()

    effects = window.open_side_effects()
    effects.tick("nausea")
    effects.tick("dizziness")
    qtbot.keyClicks(effects.search, "head")
    shots.append(save(effects, shots_dir, "side-effects" + suffix))
    effects.discard()

    # A check-in dated tomorrow asks first; closing with it unsaved asks too.
    window.today.form.time.set_value(datetime.now().replace(microsecond=0) + timedelta(days=1))
    window.today.save_checkin()
    shots.append(save(window.today.future_box, shots_dir, "future-question" + suffix, small=True))
    window.today.future_box.reject()
    window.close()
    assert window.close_prompt is not None
    shots.append(save(window.close_prompt, shots_dir, "close-question" + suffix, small=True))
    window.close_prompt.button(QMessageBox.StandardButton.Discard).click()
    assert not window.isVisible()

    # The demo journal's window is marked as such.
    demo = MainWindow(create_demo_journal(tmp_path / "demo2.onset"), demo=True, owns_journal=True)
    qtbot.addWidget(demo)
    demo.resize(1140, 800)
    demo.show()
    qtbot.waitExposed(demo)
    shots.append(save(demo, shots_dir, "demo-window" + suffix))
    demo.close()

    assert all(path.stat().st_size > 3000 for path in shots)
