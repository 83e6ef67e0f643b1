"""First run: an empty journal greets the user, offers a baseline GAD-7, and 'Explore with
sample data' opens a separate demo journal, clearly marked, never mixed into the real one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tracker.journal import Journal
from tracker.paths import demo_journal
from tracker.ui.app.launch import Launcher
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.questionnaire import QuestionnaireDialog
from tracker.ui.pages.welcome import WELCOME_LINES


def test_an_empty_journal_greets_and_offers_a_baseline(qtbot, window, journal: Journal) -> None:
    welcome = window.today.welcome
    assert welcome.isVisible()
    assert len(WELCOME_LINES) == 3
    qtbot.mouseClick(welcome.baseline_button, Qt.MouseButton.LeftButton)
    [dialog] = [d for d in window.findChildren(QuestionnaireDialog) if d.isVisible()]
    assert dialog.instrument.id == "GAD-7"
    for question in dialog.questions:
        qtbot.mouseClick(question.buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert journal.count("assessment") == 1
    assert not welcome.isVisible(), "the greeting goes once the journal has an entry"


def test_sample_data_opens_a_separate_marked_demo_journal(qtbot, tmp_path) -> None:
    launcher = Launcher()
    real = launcher.open_journal(tmp_path / "mine.onset")
    assert isinstance(real, MainWindow)
    qtbot.addWidget(real)
    qtbot.mouseClick(real.today.welcome.demo_button, Qt.MouseButton.LeftButton)

    demo = launcher.windows[demo_journal().absolute()]
    qtbot.addWidget(demo)
    assert demo is not real and demo.demo
    assert "Demo journal (sample data)" in demo.windowTitle()
    assert "Demo journal (sample data)" in demo.journal_label.text()
    assert demo.journal.path == demo_journal().absolute()
    assert demo.journal.count("session") >= 5 and demo.journal.count("checkin") >= 28
    assert not demo.today.welcome.isVisible()
    assert real.journal.is_empty(), "nothing is mixed into the real journal"
    demo.close()
    real.close()
