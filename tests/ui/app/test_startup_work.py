"""Work the first window leaves until it is needed: the greeting of an empty journal is made
only when shown, and icons are drawn when Qt asks for a size (the same pixels as before)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPalette

from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow
from tracker.ui.style import _render, _svg, icon, muted_colour


def test_the_greeting_is_made_only_when_the_journal_is_empty(qtbot, journal: Journal) -> None:
    entry = journal.add_checkin("2026-01-05T21:10", anxiety=6)
    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.today._welcome is None, "not made for a journal with entries"
    window.editor.delete(entry)
    assert window.today.welcome.isVisible(), "made and shown once the journal is empty"
    layout = window.today._column
    assert layout.indexOf(window.today.welcome) == 1, "under the title, as before"


@pytest.mark.parametrize(
    ("mode", "role"),
    [
        (QIcon.Mode.Normal, QPalette.ColorRole.WindowText),
        (QIcon.Mode.Selected, QPalette.ColorRole.HighlightedText),
        (QIcon.Mode.Disabled, None),
    ],
)
def test_icons_are_drawn_on_demand_in_palette_colours(qapp, mode, role) -> None:
    palette = qapp.palette()
    colour = muted_colour(palette) if role is None else palette.color(role)
    expected = _render(_svg("history").replace("currentColor", colour.name()), QSize(20, 20))
    drawn = icon("history", palette).pixmap(QSize(20, 20), mode)
    assert drawn.toImage() == expected.toImage()
