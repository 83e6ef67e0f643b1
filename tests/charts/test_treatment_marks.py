"""Planned sessions as hollow markers and a mark on sessions preceded by a benzodiazepine:
what the chart is handed, and the drawn chart for a person to look at."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tracker.charts.data import trajectory_data
from tracker.charts.figures import trajectory_figure
from tracker.journal import Journal

TODAY = date.today()


def at(days: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY + timedelta(days=days), datetime.min.time()).replace(hour=hour)


@pytest.fixture
def planned(journal: Journal) -> Journal:
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", TODAY - timedelta(days=60))
    for day in range(-40, 1):
        journal.add_checkin(at(day, 21), 7 - (day + 40) // 8)
    for day in (-35, -28, -21, -14):
        journal.add_session(at(day), "intranasal", devices=2)
    journal.add_medication_dose(at(-15, 22), "lorazepam")  # 12 h before day -14's session
    journal.add_medication_dose(at(-30, 22), "lorazepam")  # 60 h before day -28's: no mark
    journal.add_planned_session(at(-14), "intranasal")  # held
    journal.add_planned_session(at(-7), "intranasal")  # missed
    journal.add_planned_session(at(-5), "intranasal", dismissed=True)  # dismissed
    journal.add_planned_session(at(7), "intranasal")  # ahead
    return journal


def test_the_chart_is_handed_the_plans_and_the_marked_sessions(planned: Journal) -> None:
    data = trajectory_data(planned, None, None)
    # "All" reaches the plan a week ahead.
    assert data.end == TODAY + timedelta(days=7)
    # Held and dismissed plans are not drawn; missed and ahead ones are, hollow.
    assert data.planned_times == [at(-7), at(7)]
    assert data.planned_missed == [True, False]
    assert data.benzodiazepine_times == [at(-14)]
    ranged = trajectory_data(planned, TODAY - timedelta(days=10), TODAY)
    assert ranged.planned_times == [at(-7)] and ranged.benzodiazepine_times == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_marks_are_drawn(planned: Journal, dark: bool, shots_dir: Path) -> None:
    figure = trajectory_figure(trajectory_data(planned, None, None), dark=dark)
    labels = {c.get_label() for ax in figure.axes for c in ax.collections}
    assert {"Planned session", "Planned, no session logged"} <= labels
    assert "Benzodiazepine in the 24 h before" in labels
    hollow = next(
        c for ax in figure.axes for c in ax.collections if c.get_label() == "Planned session"
    )
    assert hollow.get_facecolors().size == 0 or hollow.get_facecolors()[0][3] == 0
    path = shots_dir / f"chart-trajectory-plans-{'dark' if dark else 'light'}.png"
    figure.savefig(path, dpi=110)
    assert path.stat().st_size > 10_000
