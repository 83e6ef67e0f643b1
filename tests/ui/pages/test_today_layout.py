"""Today at every width the window allows: its cards stand in two columns where they fit and
in one below that, so the page never scrolls sideways and no card or button is cut off.

Screenshots at 800 px, at the window's least width and at its default size, in a light and
a dark palette, go to the shots folder for a person to look at (see tests/conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from tests.ui.conftest import close_discarding, dark_palette
from tracker import reminders
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow
from tracker.ui.pages.today import ONE_COLUMN_WIDEST, TodayView
from tracker.ui.widgets.checkin_form import CheckinForm

DEFAULT = QSize(1140, 800)  # MainWindow._restore_geometry, the first time


def ago(days: int) -> datetime:
    return datetime.now().replace(second=0, microsecond=0) - timedelta(days=days)


def due_questionnaire(journal: Journal) -> None:
    journal.add_assessment("GAD-7", ago(8), [2, 2, 2, 2, 2, 1, 1])
    reminders.set_reminder(journal, "GAD-7", enabled=True, every_days=7)


def fill(journal: Journal) -> None:
    """Every card with its longest content: a due questionnaire, a reflection prompt (two
    buttons), a last session, a missed plan, an as-needed medicine and a restored draft."""
    due_questionnaire(journal)
    journal.add_session(ago(3), "iv", dose_mg_per_kg=0.5, weight_kg=70.0)
    journal.add_planned_session(ago(2), "intranasal")
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", ago(30).date())
    kept = ago(1)
    fields = {"anxiety": 6, "mood": None, "sleep_hours": "", "note": "tense", "at": None}
    draft = {"version": 1, "kept_at": kept.isoformat(timespec="seconds"), "fields": fields}
    journal.keep_draft("checkin", json.dumps(draft))


def open_window(qtbot, journal: Journal) -> MainWindow:  # type: ignore[no-untyped-def]
    shown = MainWindow(journal)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    settle()
    return shown


@pytest.fixture
def filled(qtbot, journal: Journal) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    fill(journal)
    window = open_window(qtbot, journal)
    assert window.today.draft_notice.isVisible() and window.today.dose_button.isVisible()
    assert len(window.today.due_card.buttons) == 3  # Take GAD-7…, Reflect…, Not now
    yield window
    close_discarding(window)


def settle() -> None:
    """Let the layouts settle: a change posts a layout request, which can post another
    (a widget added to a shown layout is shown a moment later; the window's least width
    follows its page's)."""
    for _ in range(3):
        QApplication.processEvents()


def at_width(window: MainWindow, width: int, height: int = 700) -> None:
    window.resize(width, height)
    settle()


def least_width(window: MainWindow) -> int:
    """The narrowest the window lets itself be made."""
    at_width(window, 1)
    return window.width()


def cards(today: TodayView) -> list[QWidget]:
    questionnaires = today.take_buttons["GAD-7"].parentWidget()
    treatment = today.session_button.parentWidget()
    shown = [today.checkin_card, today.due_card, questionnaires, treatment]
    if today._welcome is not None and today._welcome.isVisible():
        shown.append(today._welcome)
    return shown


def cut_off(today: TodayView) -> list[str]:
    """Whatever does not show whole: a card past the right edge of the page's viewport, a
    button or label narrower than it needs (its text cut), a child sticking out of its card."""
    viewport = today.scroll_area.viewport()
    found = []
    for card in cards(today):
        place = QRect(card.mapTo(viewport, QPoint(0, 0)), card.size())
        if place.left() < 0 or place.right() >= viewport.width():
            found.append(f"{card.objectName() or type(card).__name__} at {place}")
        for child in card.findChildren(QWidget):
            if not child.isVisible() or not isinstance(child, QAbstractButton | QLabel):
                continue
            inside = QRect(child.mapTo(card, QPoint(0, 0)), child.size())
            if child.width() < child.minimumSizeHint().width() or not card.rect().contains(inside):
                found.append(f"{type(child).__name__} {child.text()!r} at {inside}")
    return found


def scrolls_sideways(today: TodayView) -> bool:
    bar = today.scroll_area.horizontalScrollBar()
    return bar.isVisible() and bar.maximum() > 0


def test_at_800_px_the_cards_stand_in_one_column_that_fits(qtbot, filled: MainWindow) -> None:
    today = filled.today
    at_width(filled, 800)
    assert filled.width() == 800
    assert not scrolls_sideways(today)
    assert today.scroll_area.horizontalScrollBar().maximum() == 0
    assert cut_off(today) == []
    assert not today.side_by_side()
    assert today.due_card.y() > today.checkin_card.geometry().bottom(), "one under the other"


def test_at_the_least_width_the_window_allows_nothing_is_cut_off(qtbot, filled: MainWindow) -> None:
    today = filled.today
    narrowest = least_width(filled)
    assert 300 < narrowest < 800, "the window stops where Today's one column stops"
    assert not scrolls_sideways(today)
    assert today.scroll_area.horizontalScrollBar().maximum() == 0
    assert cut_off(today) == []
    # Today is what holds the window there: one pixel less would not fit its column.
    assert today.width() == today.minimumWidth()


def test_an_empty_journal_fits_at_the_least_width_too(qtbot, journal: Journal) -> None:
    window = open_window(qtbot, journal)
    today = window.today
    assert today.welcome.isVisible()
    for width in (least_width(window), 800):
        at_width(window, width)
        assert not scrolls_sideways(today), width
        assert cut_off(today) == [], width
    close_discarding(window)


def test_at_the_default_size_the_columns_stand_side_by_side(qtbot, filled: MainWindow) -> None:
    today = filled.today
    at_width(filled, DEFAULT.width(), DEFAULT.height())
    assert filled.size() == DEFAULT
    assert today.side_by_side()
    checkin, due = today.checkin_card.geometry(), today.due_card.geometry()
    assert due.left() > checkin.right() and due.top() == checkin.top()
    assert checkin.width() == 560, "the check-in as wide as before the columns could stack"
    assert not scrolls_sideways(today)
    assert cut_off(today) == []


def test_every_width_between_fits_and_the_columns_come_back(qtbot, filled: MainWindow) -> None:
    today = filled.today
    widths = [*range(least_width(filled), 1400, 37), 1400, DEFAULT.width()]
    stacked = []
    for width in widths:
        at_width(filled, width)
        assert not scrolls_sideways(today), width
        assert cut_off(today) == [], width
        stacked.append(not today.side_by_side())
    assert stacked[0] and not stacked[-1]
    # One column up to a width, two from there on: no width where it flips back.
    assert stacked == sorted(stacked, reverse=True)
    # In one column the page stops growing where lines would only stretch apart.
    at_width(filled, max(w for w, one in zip(widths, stacked, strict=True) if one))
    assert today.scroll_area.widget().width() == ONE_COLUMN_WIDEST
    assert today.scroll_area.viewport().width() > ONE_COLUMN_WIDEST


def test_what_becomes_due_while_shown_still_fits(qtbot, journal: Journal) -> None:
    """A reflection prompt (two buttons) appearing on a shown page widens the side column:
    the page decides again without waiting for a resize."""
    due_questionnaire(journal)
    window = open_window(qtbot, journal)
    today = window.today
    # Just wide enough for two columns with the narrower side column.
    width = 800
    at_width(window, width)
    while not today.side_by_side():
        width += 4
        at_width(window, width)
    journal.add_session(ago(3), "iv", dose_mg=35.0)
    assert len(today.due_card.buttons) == 3  # Take GAD-7…, Reflect…, Not now
    settle()
    assert not today.side_by_side()
    assert not scrolls_sideways(today)
    assert cut_off(today) == []
    close_discarding(window)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots_of_today_at_three_widths(  # type: ignore[no-untyped-def]
    qtbot, qapp, journal: Journal, shots_dir: Path, theme: str, palette_restored
) -> None:
    if theme == "dark":
        qapp.setPalette(dark_palette())
    fill(journal)
    window = open_window(qtbot, journal)
    sizes = {
        "800": QSize(800, 700),
        "least": QSize(least_width(window), 700),
        "default": DEFAULT,
    }
    for name, size in sizes.items():
        at_width(window, size.width(), size.height())
        assert not scrolls_sideways(window.today), name
        assert window.grab().save(str(shots_dir / f"today-width-{name}-{theme}.png"))
    close_discarding(window)


def test_the_chosen_number_shows_whole_once_the_style_is_on(qtbot, filled: MainWindow) -> None:
    """The first window is styled once its widgets are made: the 0–10 readouts measured
    before are measured again in the style's larger font, so "10" is not cut at its sides."""
    form = CheckinForm()
    qtbot.addWidget(form)
    readout = form.anxiety.readout
    readout.setStyleSheet("font-size: 40pt")  # as a style sheet put on afterwards would
    assert readout.width() < readout.fontMetrics().horizontalAdvance("10")
    form.fit_to_style()
    assert readout.width() > readout.fontMetrics().horizontalAdvance("10")
    for scale in (filled.today.form.anxiety, filled.today.form.mood):
        scale.setValue(10)
        assert scale.readout.width() > scale.readout.fontMetrics().horizontalAdvance("10")
