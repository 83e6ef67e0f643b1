"""The main window: navigation, pages made when first shown (Charts only then), menus and
shortcuts, the status line naming the journal, exports through tracker.io."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox

from tracker.journal import Journal
from tracker.ui.app.main_window import VIEWS, MainWindow


def test_only_today_is_built_at_start(qtbot, window: MainWindow) -> None:
    assert window.created_pages() == ["today"]
    assert window.current_view() == "today"
    assert window.nav.count() == len(VIEWS)
    assert [window.nav.item(i).text() for i in range(5)] == [
        "Today",
        "History",
        "Charts",
        "Treatment",
        "Settings",
    ]


def test_navigation_by_list_and_shortcut(qtbot, window: MainWindow) -> None:
    window.nav.setCurrentRow(4)
    assert window.current_view() == "settings" and "settings" in window.created_pages()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "history"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "today"


def test_menus_and_keyboard_shortcuts(qtbot, window: MainWindow) -> None:
    keys = {name: a.shortcut().toString() for name, a in window.actions_by_name.items()}
    assert keys["checkin"] == "Ctrl+N"
    assert keys["questionnaire_GAD-7"] == "Ctrl+G"
    assert keys["questionnaire_PHQ-9"] == "Ctrl+Shift+P"
    assert keys["session"] == "Ctrl+T"
    assert keys["side_effects"] == "Ctrl+E"
    assert keys["undo"] == "Ctrl+Z"
    assert keys["redo"] == "Ctrl+Shift+Z"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Record", "&View", "&Help"]
    for name in (
        "new",
        "open",
        "export_json",
        "export_csv",
        "export_fhir",
        "export_summary",
        "quit",
    ):
        assert name in window.actions_by_name


def test_status_line_names_the_journal(window: MainWindow, journal: Journal) -> None:
    assert window.journal_label.text() == f"Journal: {journal.path}"
    assert journal.path.name in window.windowTitle()


def test_charts_page_is_made_the_first_time_it_is_shown(qtbot, window: MainWindow) -> None:
    from tracker.ui.pages.charts import ChartsView

    assert "charts" not in window.created_pages()
    window.show_view("charts")
    assert isinstance(window.page("charts"), ChartsView)
    assert window.pages.currentWidget() is window.page("charts")


def test_clicking_an_entry_in_a_chart_opens_it_to_edit(qtbot, window: MainWindow, journal) -> None:
    from PySide6.QtWidgets import QApplication

    from tracker.ui.dialogs.session import SessionDialog
    from tracker.ui.pages.charts import ChartsView

    session = journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0, clinic="Riverside")
    window.show_view("charts")
    charts = window.page("charts")
    assert isinstance(charts, ChartsView)
    charts.entry_activated.emit("session", session.id)

    def opened() -> list[SessionDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, SessionDialog)]

    qtbot.waitUntil(lambda: any(d.isVisible() for d in opened()))
    (dialog,) = [d for d in opened() if d.isVisible()]
    assert dialog.findChild(QLineEdit, None) is not None
    assert any(e.text() == "Riverside" for e in dialog.findChildren(QLineEdit))
    dialog.reject()


def test_exports_go_through_tracker_io(qtbot, window: MainWindow, journal, tmp_path: Path) -> None:
    journal.add_checkin("2026-01-05T21:10", anxiety=6)
    journal.add_assessment("GAD-7", "2026-01-05T09:00", [1] * 7)
    data = json.loads(window.export_to("json", tmp_path / "j.json").read_text())
    assert data["format"] == "onset-journal" and len(data["checkins"]) == 1
    folder = window.export_to("csv", tmp_path / "csv")
    assert sorted(p.suffix for p in folder.iterdir()) == [".csv"] * 9  # one per kind of entry
    bundle = json.loads(window.export_to("fhir", tmp_path / "b.json").read_text())
    assert bundle["resourceType"] == "Bundle" and bundle["entry"]
    assert "Exported to" in window.statusBar().currentMessage()
    assert window.export_to("json", tmp_path / "missing" / "deep" / "x.json") is None


@pytest.mark.skipif(
    importlib.util.find_spec("tracker.ui.dialogs.export") is None,
    reason="tracker/ui/dialogs/export.py (another helper's work) is not there yet",
)
def test_export_summary_opens_the_export_dialog(qtbot, window: MainWindow) -> None:
    from tracker.ui.dialogs.export import ExportDialog

    window.actions_by_name["export_summary"].trigger()
    dialogs = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].reject()


def test_help_says_where_the_data_is(qtbot, window: MainWindow, journal) -> None:
    box = window.where_is_my_data()
    assert str(journal.path) in box.informativeText()
    assert "no network connections" in box.informativeText()
    box.close()
    about = window.about()
    assert "never diagnoses or advises" in about.text()
    about.close()


def test_record_actions_open_their_forms(qtbot, window: MainWindow) -> None:
    from tracker.ui.dialogs.questionnaire import QuestionnaireDialog
    from tracker.ui.dialogs.session import SessionDialog
    from tracker.ui.dialogs.side_effects import SideEffectsDialog

    for name, kind in (
        ("questionnaire_PHQ-9", QuestionnaireDialog),
        ("session", SessionDialog),
        ("side_effects", SideEffectsDialog),
    ):
        window.actions_by_name[name].trigger()
        [dialog] = [d for d in window.findChildren(kind) if d.isVisible()]
        assert isinstance(dialog, QDialog)
        dialog.reject()


def test_closing_the_window_closes_its_forms(qtbot, journal: Journal) -> None:
    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.show()
    form = window.open_session()
    questionnaire = window.open_questionnaire("PHQ-9")
    qtbot.mouseClick(questionnaire.questions[8].buttons[2], Qt.MouseButton.LeftButton)
    window.close()  # a half-done questionnaire: asked first (tests/ui/app/test_unsaved_input.py)
    assert window.isVisible() and window.close_prompt is not None
    qtbot.mouseClick(
        window.close_prompt.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton
    )
    assert not window.isVisible()
    assert not form.isVisible() and not questionnaire.isVisible()
    assert journal.count("assessment") == 0
    assert questionnaire.safety is not None and not questionnaire.safety.isVisible()


def test_a_palette_change_restyles_the_open_window(qtbot, qapp, window, palette_restored) -> None:
    from tests.ui.conftest import dark_palette

    def icon_ink() -> str:
        image = window.nav.item(0).icon().pixmap(64, 64).toImage()
        inks = [image.pixelColor(x, y) for x in range(64) for y in range(64)]
        darkest = min((c for c in inks if c.alpha() > 200), key=lambda c: c.lightness())
        return darkest.name()

    light_ink = icon_ink()
    light_sheet = qapp.styleSheet()
    qapp.setPalette(dark_palette())
    assert qapp.styleSheet() != light_sheet, "the style sheet follows the palette"
    assert icon_ink() != light_ink, "icons are drawn again in the new text colour"
