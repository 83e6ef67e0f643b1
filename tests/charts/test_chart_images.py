"""The charts drawn for a 1-year and a 10-year journal, light and dark, saved for a person
to look at (tests/conftest.py's `shots_dir`), plus the SVG the PDF report embeds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from matplotlib.collections import LineCollection

from tests.charts.synthetic import STORY_END, fill
from tracker.charts.data import items_data, trajectory_data
from tracker.charts.figures import course_figure, items_figure, trajectory_figure
from tracker.journal import Journal


@pytest.fixture(scope="module", params=[1, 10], ids=["1y", "10y"])
def long_journal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Journal]:
    years = int(request.param)
    path = tmp_path_factory.mktemp(f"journal-{years}y") / "journal.onset"
    with Journal.open(path, create=True) as journal:
        fill(journal, STORY_END, 365 * years)
        yield journal


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_both_charts_saved(long_journal: Journal, dark: bool, shots_dir: Path) -> None:
    years = round((long_journal.checkins()[-1].at - long_journal.checkins()[0].at).days / 365)
    counts = Counter(e.KIND for e in long_journal.history_page(limit=100_000))
    if years == 10:
        # The size the brief calls a 10-year journal.
        assert 3_700 <= counts["checkin"] <= 4_200
        assert 500 <= len(long_journal.assessments(instrument="GAD-7")) <= 540
        assert 85 <= counts["session"] <= 100
    look = "dark" if dark else "light"

    data = trajectory_data(long_journal, None, None)
    figure = trajectory_figure(data, dark=dark)
    shown = {ax.get_label(): ax for ax in figure.axes}
    assert len(shown["anxiety"].lines[0].get_xdata()) == counts["checkin"]
    (sessions,) = (a for a in figure.artists if isinstance(a, LineCollection))
    assert len(sessions.get_segments()) == counts["session"]
    path = shots_dir / f"chart-trajectory-{years}y-{look}.png"
    figure.savefig(path, dpi=110)
    assert path.stat().st_size > 20_000

    analysis = long_journal.relief()
    assert analysis.sessions_analysed >= counts["session"] * 0.8
    course = course_figure(analysis, dark=dark)
    path = shots_dir / f"chart-relief-{years}y-{look}.png"
    course.savefig(path, dpi=110)
    assert path.stat().st_size > 20_000

    recent = trajectory_data(long_journal, STORY_END - timedelta(days=120), STORY_END)
    items = items_figure(items_data(recent), dark=dark)
    assert {ax.get_label() for ax in items.axes} == {"GAD-7", "PHQ-9"}
    path = shots_dir / f"chart-items-{years}y-{look}.png"
    items.savefig(path, dpi=110)
    assert path.stat().st_size > 20_000
    if years == 1 and not dark:
        svg = shots_dir / "chart-trajectory-1y-light.svg"
        figure.savefig(svg, format="svg")
        text = svg.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "</svg>" in text
