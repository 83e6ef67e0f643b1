"""History's "When" column: the year is shown only for entries from another year, judged by
today's date at the time the row is drawn (a window left open over New Year stays right)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tracker.journal import Journal
from tracker.ui.models import history
from tracker.ui.models.history import HistoryModel


def clock_at(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Make History's idea of today `day`."""

    class Fixed(date):
        @classmethod
        def today(cls) -> Fixed:
            return cls(day.year, day.month, day.day)

    monkeypatch.setattr(history, "date", Fixed)


def shown(model: HistoryModel) -> list[tuple[str, str]]:
    """(When, What was recorded) of every row, as the table shows them."""
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    return [(model.index(r, 0).data(), model.index(r, 2).data()) for r in range(model.rowCount())]


def test_the_year_is_shown_only_for_other_years(journal: Journal, monkeypatch) -> None:
    clock_at(monkeypatch, date(2026, 11, 21))
    journal.add_checkin("2026-11-20T21:11", anxiety=3)
    journal.add_checkin("2025-11-20T21:11", anxiety=5)
    journal.add_session("2025-12-31T10:00", "iv")
    journal.add_side_effect("2026-01-01T09:00", "nausea", "mild", session_at="2025-12-31T10:00")
    model = HistoryModel(journal)
    rows = shown(model)
    assert [when for when, _ in rows] == [
        "Fri 20 Nov, 21:11",
        "Thu 1 Jan, 09:00",
        "Wed 31 Dec 2025, 10:00",
        "Thu 20 Nov 2025, 21:11",
    ]
    assert "after the session of Wed 31 Dec 2025, 10:00" in rows[1][1]
    tooltip = model.index(3, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Thu 20 Nov 2025, 21:11"


def test_an_open_table_gains_the_year_after_new_year(journal: Journal, monkeypatch) -> None:
    clock_at(monkeypatch, date(2026, 12, 31))
    journal.add_checkin("2026-12-31T21:10", anxiety=4)
    model = HistoryModel(journal)
    assert shown(model)[0][0] == "Thu 31 Dec, 21:10"
    clock_at(monkeypatch, date(2027, 1, 1))  # no reload: the same rows, drawn again
    assert shown(model)[0][0] == "Thu 31 Dec 2026, 21:10"
