"""The Charts page driven as a person would: range buttons, pointing at and clicking points,
the text under each chart, the relief table, saving, and redrawing on journal changes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import SIGNAL, QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QTabBar, QWidget

from tests.charts.synthetic import STORY_END, fill, story_entries
from tests.ui.conftest import dark_palette, unnamed_focus_stops
from tracker.charts.data import describe_trajectory, trajectory_data
from tracker.charts.figures import to_num
from tracker.charts.relief import counts, headline
from tracker.journal import Journal
from tracker.ui.pages.charts import ChartsView
from tracker.ui.style import ensure_style


@pytest.fixture
def story(journal: Journal) -> Journal:
    journal.add_many(story_entries())
    return journal


def _view(qtbot, journal: Journal, width: int = 1100, height: int = 820) -> ChartsView:  # type: ignore[no-untyped-def]
    ensure_style()
    view = ChartsView(journal)
    view.today = lambda: STORY_END
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def _panel(view: ChartsView, label: str):  # type: ignore[no-untyped-def]
    return next(ax for ax in view.trajectory_canvas.figure.axes if ax.get_label() == label)


def _widget_point(canvas, ax, x: float, y: float) -> QPoint:  # type: ignore[no-untyped-def]
    """Where data point (x, y) of `ax` is, in the canvas widget's own coordinates."""
    px, py = ax.transData.transform((x, y))
    ratio = canvas.device_pixel_ratio or 1.0
    return QPoint(round(px / ratio), round(canvas.height() - py / ratio))


def _shown_days(view: ChartsView) -> float:
    low, high = view.trajectory_canvas.figure.axes[-1].get_xlim()
    return high - low


def test_range_buttons_change_the_plotted_range(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    assert view.range_buttons["90 days"].isChecked()
    assert view.trajectory is not None and view.trajectory.start == date(2026, 1, 30)
    assert _shown_days(view) == pytest.approx(90, rel=0.02)

    qtbot.mouseClick(view.range_buttons["30 days"], Qt.MouseButton.LeftButton)
    assert view.trajectory.start == date(2026, 3, 31)
    assert _shown_days(view) == pytest.approx(30, rel=0.02)
    assert len(_panel(view, "anxiety").lines[0].get_xdata()) == 30

    qtbot.mouseClick(view.range_buttons["All"], Qt.MouseButton.LeftButton)
    assert (view.trajectory.start, view.trajectory.end) == (date(2026, 3, 1), STORY_END)
    assert len(_panel(view, "anxiety").lines[0].get_xdata()) == 60

    assert not view.custom_start.isVisible()
    qtbot.mouseClick(view.range_buttons["Custom"], Qt.MouseButton.LeftButton)
    assert view.custom_start.isVisible() and view.custom_end.isVisible()
    view.custom_start.setDate(date(2026, 3, 10))
    view.custom_end.setDate(date(2026, 3, 19))
    assert (view.trajectory.start, view.trajectory.end) == (date(2026, 3, 10), date(2026, 3, 19))
    assert len(_panel(view, "anxiety").lines[0].get_xdata()) == 10
    assert _shown_days(view) == pytest.approx(10, rel=0.02)
    assert unnamed_focus_stops(view) == []


def test_pointing_at_a_point_names_it_and_clicking_opens_it(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    qtbot.mouseClick(view.range_buttons["All"], Qt.MouseButton.LeftButton)
    canvas = view.trajectory_canvas
    gad = _panel(view, "GAD-7")
    target = story.assessments(instrument="GAD-7")[1]  # 15 March, total 11
    where = _widget_point(canvas, gad, to_num([target.at])[0], 11)

    qtbot.mouseMove(canvas, where)
    qtbot.waitUntil(lambda: canvas.hovered is not None)
    assert canvas.hovered is not None
    assert canvas.hovered.text.startswith("GAD-7 total 11 (moderate range)\n15 March 2026")
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    assert signal.args == ["assessment", target.id]

    # A session line, clicked in the anxiety panel well away from any check-in.
    session = story.sessions()[1]
    anxiety = _panel(view, "anxiety")
    where = _widget_point(canvas, anxiety, to_num([session.at])[0], 8.5)
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    assert signal.args == ["session", session.id]

    # The severe side effect on 11 March, in the strip below.
    effect = next(e for e in story.side_effects() if e.severity == "severe")
    strip = _panel(view, "side_effects")
    where = _widget_point(canvas, strip, to_num([effect.at])[0], 2)
    qtbot.mouseMove(canvas, where)
    qtbot.waitUntil(lambda: canvas.hovered is not None and canvas.hovered.kind == "side_effect")
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    assert signal.args == ["side_effect", effect.id]

    # Empty space: nothing is named, nothing opens.
    with qtbot.assertNotEmitted(view.entry_activated):
        empty = _widget_point(canvas, gad, to_num([datetime(2026, 4, 20)])[0], 19)
        qtbot.mouseMove(canvas, empty)
        qtbot.waitUntil(lambda: canvas.hovered is None)
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=empty)


def test_text_summary_is_read_by_screen_readers(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    expected = describe_trajectory(trajectory_data(story, date(2026, 1, 30), STORY_END))
    label = view.trajectory_text
    assert label.text() == expected and label.accessibleDescription() == expected
    assert label.accessibleName() and label.wordWrap()
    assert view.trajectory_canvas.accessibleDescription() == expected
    assert "GAD-7 total went from 16 (severe range) on 1 March" in expected


def test_redraws_when_the_journal_changes(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    story.add_checkin(datetime(2026, 4, 29, 8), 9)
    qtbot.waitUntil(lambda: "61 check-ins" in view.trajectory_text.text())
    assert max(_panel(view, "anxiety").lines[0].get_ydata()) == 9


def test_relief_tab_table_and_activation(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    assert view.onset is None  # drawn only when its tab is first shown
    bar = view.tabs.findChild(QTabBar)
    assert bar is not None
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: view.onset is not None)
    analysis = story.relief()
    # The same words as the PDF's: the headline and the counts of tracker.charts.relief.
    assert (
        view.relief_headline.text()
        == headline(analysis)
        == (
            "Relief came within a median of 11 hours; the median day it held until is not "
            "reached (more than 6.5 days); 1 session still in relief."
        )
    )
    assert view.onset_text.text() == counts(analysis)
    assert "30%" in view.onset_rules.text() and "14 days" in view.onset_rules.text()
    table = view.onset_table
    assert table.rowCount() == 3
    # Session 1: own rating 8 (L 5.6); 4 right after in the clinic (acute, kept apart);
    # the first check-in after the session's end, 21:00 (11 h), is 4: relief at 11 hours,
    # not at the 40-minute acute rating. Every rating after is 4 until the next session a
    # week later: still in relief at the last one, 4 + 6 days 21:00 = 155 h = 6.46 days.
    assert [table.item(0, c).text() for c in range(table.columnCount())] == [
        "1",
        "4 Mar 2026 10:00, intravenous infusion",
        "first series",
        "8 (own rating)",
        "8 → 4, relief",
        "11 hours",
        "relief",
        "≥ 6.5 days (still in relief)",
        "—",  # no other medicine recorded
    ]
    # Session 2: the last check-in before it, 10 March 21:00, is 4: L 2.8, no relief.
    assert table.item(1, 3).text() == "4 (check-in)"
    assert table.item(1, 5).text() == "no relief"
    # Session 3 comes 21 days after session 2: a booster.
    assert table.item(2, 2).text() == "booster"

    table.setFocus()
    table.setCurrentCell(2, 0)
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert signal.args == ["session", story.sessions()[2].id]

    # Clicking session 1's point on the course chart opens that session.
    canvas = view.onset_canvas
    (ax,) = canvas.figure.axes
    first = analysis.per_session[0]
    where = _widget_point(canvas, ax, 1.0, first.relief_lost_after_days or 0.0)
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    assert signal.args == ["session", story.sessions()[0].id]
    qtbot.mouseMove(canvas, where)
    qtbot.waitUntil(lambda: canvas.hovered is not None)
    assert canvas.hovered is not None
    assert canvas.hovered.text.startswith("Session 1 (first series), 4 Mar 2026 10:00")


def test_relief_follows_a_change_of_time_zone(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.onset is not None)
    before = view.onset
    story.set_time_zone("Pacific/Kiritimati")
    qtbot.waitUntil(lambda: view.onset is not before)
    assert view.relief_headline.text() == headline(story.relief())


def test_item_by_item_tab(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    bar = view.tabs.findChild(QTabBar)
    assert bar is not None
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    qtbot.waitUntil(lambda: view.items is not None)
    axes = {ax.get_label(): ax for ax in view.items_canvas.figure.axes}
    assert set(axes) == {"GAD-7", "PHQ-9"}
    # GAD-7 of 1 March: item 1 answered 3, of 29 April: 1 (synthetic story).
    grid = axes["GAD-7"].images[0].get_array()
    assert grid.shape == (7, 3) and (grid[0, 0], grid[0, 2]) == (3, 1)
    assert "item 1 3 → 1" in view.items_text.text()
    canvas = view.items_canvas
    where = _widget_point(canvas, axes["GAD-7"], 0, 0)
    with qtbot.waitSignal(view.entry_activated) as signal:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=where)
    first = story.assessments(instrument="GAD-7")[0]
    assert signal.args == ["assessment", first.id]
    qtbot.mouseMove(canvas, where)
    qtbot.waitUntil(lambda: canvas.hovered is not None)
    assert canvas.hovered is not None
    assert canvas.hovered.text.startswith("1  Feeling nervous, anxious, or on edge\n3 ")


def test_save_as_png_and_svg(qtbot, story: Journal, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    chosen = iter(
        [
            (str(tmp_path / "symptoms.svg"), "SVG image (*.svg)"),
            (str(tmp_path / "relief"), "PNG image (*.png)"),
        ]
    )
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(chosen))
    qtbot.mouseClick(view.save_trajectory_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "symptoms.svg").read_text(encoding="utf-8").rstrip().endswith("</svg>")
    qtbot.mouseClick(view.save_onset_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "relief.png").read_bytes().startswith(b"\x89PNG")


def test_a_destroyed_view_is_dropped_from_the_change_signal(
    story: Journal, qapp: QApplication
) -> None:
    from tracker.ui.models.changes import changes_of

    adapter = changes_of(story)
    before = adapter.receivers(SIGNAL("changed(PyObject)"))
    view = ChartsView(story)
    assert adapter.receivers(SIGNAL("changed(PyObject)")) == before + 1
    shiboken6.delete(view)
    assert adapter.receivers(SIGNAL("changed(PyObject)")) == before
    story.add_checkin(datetime(2026, 4, 29, 8), 5)  # no listener left to trip over
    assert story.listener_count() == 1  # the one adapter


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots(
    qtbot, journal: Journal, shots_dir: Path, palette_restored, dark: bool
) -> None:  # type: ignore[no-untyped-def]
    fill(journal, STORY_END, 365)
    if dark:
        QApplication.instance().setPalette(dark_palette())  # type: ignore[union-attr]
    view = _view(qtbot, journal, 1180, 860)
    qtbot.mouseClick(view.range_buttons["1 year"], Qt.MouseButton.LeftButton)
    look = "dark" if dark else "light"
    assert np.isclose(_shown_days(view), 365, rtol=0.02)
    _wait_for_whole_text(qtbot, view.trajectory_text)
    view.grab().save(str(shots_dir / f"charts-view-symptoms-{look}.png"))
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.onset is not None)
    _wait_for_whole_text(qtbot, view.onset_text)
    view.grab().save(str(shots_dir / f"charts-view-relief-{look}.png"))
    view.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: view.items is not None)
    _wait_for_whole_text(qtbot, view.items_text)
    view.grab().save(str(shots_dir / f"charts-view-items-{look}.png"))


def _wait_for_whole_text(qtbot, label) -> None:  # type: ignore[no-untyped-def]
    """The summary grows to all its lines once the layout has run, and nothing below it
    or the page's edge cuts it off."""

    def whole() -> bool:
        box = label.geometry()
        if not box.height() >= label.heightForWidth(label.width()) > 0:
            return False
        below = [
            w.geometry().top()
            for w in label.parentWidget().findChildren(QWidget)
            if w.parentWidget() is label.parentWidget() and w.geometry().top() > box.top()
        ]
        return box.bottom() < min(below, default=label.parentWidget().height())

    qtbot.waitUntil(whole)


def test_follows_a_palette_change(qtbot, story: Journal, palette_restored) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    figure = view.trajectory_canvas.figure
    assert sum(figure.get_facecolor()[:3]) > 2.0
    QApplication.instance().setPalette(dark_palette())  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: sum(figure.get_facecolor()[:3]) < 1.0)
    gad = _panel(view, "GAD-7")
    line = next(line for line in gad.lines if line.get_label() == "GAD-7 total")
    assert line.get_color() == "#56B4E9"


def test_a_journal_gone_quiet_opens_on_its_last_entries(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    # Four months after the story's last entry, 90 days back from today would be empty.
    ensure_style()
    view = ChartsView(story)
    view.today = lambda: date(2026, 8, 29)
    qtbot.addWidget(view)
    view.resize(1100, 820)
    view.show()
    qtbot.waitExposed(view)
    assert view.trajectory is not None
    assert (view.trajectory.start, view.trajectory.end) == (date(2026, 1, 30), STORY_END)
    assert not view.trajectory.is_empty


def test_an_empty_range_says_so_once(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, story)
    view.set_custom_range(date(2025, 1, 1), date(2025, 1, 31))
    texts = [t.get_text() for ax in view.trajectory_canvas.figure.axes for t in ax.texts]
    assert texts.count("Nothing recorded in this range") == 1
    assert not [t for t in texts if t.startswith("No ") and t.endswith("in this range")]


def test_the_relief_table_names_the_medicines_before_each_session(qtbot, story: Journal) -> None:  # type: ignore[no-untyped-def]
    # A lorazepam dose the evening before session 1 (4 March 10:00, 12 h before) and none
    # before the others; a regular antidepressant from 5 March: sessions 2 and 3.
    story.add_medication("lorazepam", "benzodiazepine", "as_needed", "2026-01-01")
    story.add_medication("sertraline", "antidepressant", "regular", "2026-03-05",
                         times_per_day=1)  # fmt: skip
    story.add_medication_dose("2026-03-03T22:00", "lorazepam")
    view = _view(qtbot, story)
    bar = view.tabs.findChild(QTabBar)
    assert bar is not None
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: view.onset is not None)
    table = view.onset_table
    last = table.columnCount() - 1
    assert table.horizontalHeaderItem(last).text() == "Other medicines, 24 h before"
    assert [table.item(r, last).text() for r in range(3)] == [
        "benzodiazepine",
        "antidepressant",
        "antidepressant",
    ]
