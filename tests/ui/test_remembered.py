"""What the window remembers between runs (QSettings, in a temporary folder for tests):
its size and place, and the Charts range; never the user's real settings file."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt

from tracker.journal import Journal
from tracker.ui import remembered
from tracker.ui.app.main_window import MainWindow


def test_the_settings_file_is_a_temporary_one(tmp_path_factory) -> None:
    where = Path(remembered.settings().fileName())
    assert str(where).startswith(str(tmp_path_factory.getbasetemp()))
    assert not str(where).startswith(os.path.expanduser("~/.config"))


def test_the_window_reopens_at_its_last_size_and_place(qtbot, journal: Journal) -> None:
    first = MainWindow(journal)
    qtbot.addWidget(first)
    assert first.size() == QSize(1140, 800), "the default the first time"
    first.show()
    # Within the test screen (800 × 600), and wider than the least width the window allows
    # (Today's one column, about 650 px).
    first.resize(700, 500)
    first.move(QPoint(40, 30))
    qtbot.waitUntil(lambda: first.size() == QSize(700, 500))
    place = first.pos()
    first.close()
    again = MainWindow(journal)
    qtbot.addWidget(again)
    again.show()
    assert again.size() == QSize(700, 500)
    assert again.pos() == place


def test_a_damaged_settings_value_is_ignored(qtbot, journal: Journal) -> None:
    remembered.remember("window/geometry", "bm90IGEgZ2VvbWV0cnk=")  # "not a geometry"
    window = MainWindow(journal)
    qtbot.addWidget(window)
    assert window.size() == QSize(1140, 800)


@pytest.mark.parametrize("choice", ["1 year", "All", "Custom"])
def test_the_charts_range_is_remembered(qtbot, journal: Journal, choice: str) -> None:
    from tracker.ui.pages.charts import ChartsView

    view = ChartsView(journal)
    qtbot.addWidget(view)
    assert view.range_buttons["90 days"].isChecked(), "the default the first time"
    if choice == "Custom":
        view.set_custom_range(date(2026, 2, 1), date(2026, 3, 15))
    else:
        qtbot.mouseClick(view.range_buttons[choice], Qt.MouseButton.LeftButton)
    shown = view.chosen_range()
    again = ChartsView(journal)
    qtbot.addWidget(again)
    assert again.range_buttons[choice].isChecked()
    assert again.chosen_range() == shown
    if choice == "Custom":
        assert shown == (date(2026, 2, 1), date(2026, 3, 15))
        assert again.custom_start.isVisibleTo(again)


def test_the_settings_file_holds_text_only(qtbot, journal: Journal) -> None:
    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.show()
    window.close()
    text = Path(remembered.settings().fileName()).read_text(encoding="utf-8")
    assert "geometry=" in text and "PyObjectWrapper" not in text  # nothing pickled


@pytest.mark.parametrize(
    "stored",
    [
        {"charts/range": "bogus"},
        {"charts/range": "Custom", "charts/custom_start": "2026-13-45"},
        {"charts/range": "Custom"},
    ],
)
def test_a_damaged_charts_range_falls_back_to_the_default(qtbot, journal, stored) -> None:
    from tracker.ui.pages.charts import ChartsView

    for key, value in stored.items():
        remembered.remember(key, value)
    view = ChartsView(journal)
    qtbot.addWidget(view)
    assert view.range_buttons["90 days"].isChecked()
    assert not view.custom_start.isVisibleTo(view)
