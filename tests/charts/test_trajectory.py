"""The trajectory chart: the data gathered from the journal and what is handed to matplotlib."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgba

from tests.charts.synthetic import STORY_END, story_entries
from tracker.charts.data import rolling_mean, trajectory_data
from tracker.charts.figures import describe_trajectory, to_num, trajectory_figure
from tracker.journal import Journal


@pytest.fixture
def story(journal: Journal) -> Journal:
    journal.add_many(story_entries())
    return journal


def _axes(fig, label):  # type: ignore[no-untyped-def]
    return next(ax for ax in fig.axes if ax.get_label() == label)


def _line(ax, label):  # type: ignore[no-untyped-def]
    return next(line for line in ax.lines if line.get_label() == label)


def _hlines(ax) -> list[float]:  # type: ignore[no-untyped-def]
    """The y of every horizontal reference line across the panel."""
    return sorted(
        float(line.get_ydata()[0])
        for line in ax.lines
        if len(set(line.get_ydata())) == 1 and list(line.get_xdata()) == [0, 1]
    )


def test_data_of_the_whole_journal(story: Journal) -> None:
    data = trajectory_data(story, None, None)
    assert (data.start, data.end) == (date(2026, 3, 1), STORY_END)
    gad = data.series["GAD-7"]
    assert gad.totals == [16, 11, 7]
    assert gad.times == [
        datetime(2026, 3, 1, 9),
        datetime(2026, 3, 15, 9),
        datetime(2026, 4, 29, 9),
    ]
    assert (gad.baseline, gad.baseline_before_treatment) == (16, True)
    assert (gad.response_level, gad.remission_below) == (8, 5)
    assert [(b.low, b.high, b.label) for b in gad.bands] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 21, "severe"),
    ]
    phq = data.series["PHQ-9"]
    assert (phq.totals, phq.baseline, phq.response_level) == ([14, 6], 14, 7)
    assert [b.high for b in phq.bands] == [4, 9, 14, 19, 27]
    assert len(data.anxiety.values) == 60
    assert data.anxiety.rolling_mean[0] == 7  # only 1 March in its window
    assert data.anxiety.rolling_mean[3] == pytest.approx((7 * 3 + 4) / 4)
    assert data.anxiety.rolling_mean[-1] == 4
    assert data.session_routes == ["iv", "iv", "intranasal"]
    assert data.side_effect_severities == ["mild", "severe", "moderate"]
    assert data.side_effect_labels[0].lower().startswith("nausea")


def test_range_filters_points_but_the_baseline_stays(story: Journal) -> None:
    data = trajectory_data(story, date(2026, 4, 1), date(2026, 4, 29))
    gad = data.series["GAD-7"]
    assert gad.totals == [7] and gad.baseline == 16 and gad.taken_ever
    assert data.session_routes == ["intranasal"]
    assert len(data.anxiety.values) == 29
    # The first 7-day mean reaches back before the range: 26–31 March were all 4.
    assert data.anxiety.rolling_mean[0] == 4
    assert len(data.anxiety.rolling_times) == 29


def test_rolling_mean_breaks_over_gaps() -> None:
    points = [(datetime(2026, 1, 1, 21), 6), (datetime(2026, 1, 2, 21), 2)]
    times, means = rolling_mean(points, date(2026, 1, 1), date(2026, 1, 10))
    assert times[0] == datetime(2026, 1, 1, 12)
    assert means[:2] == [6, 4]
    assert means[7] == 2  # 2 January is still in the window ending 8 January
    assert means[8:] == [None, None]


def test_figure_hands_matplotlib_the_series_bands_and_levels(story: Journal) -> None:
    data = trajectory_data(story, None, None)
    fig = trajectory_figure(data)
    assert [ax.get_label() for ax in fig.axes] == ["GAD-7", "PHQ-9", "anxiety", "side_effects"]

    gad = _axes(fig, "GAD-7")
    line = _line(gad, "GAD-7 total")
    assert list(line.get_ydata()) == [16, 11, 7]
    assert np.allclose(line.get_xdata(), to_num(data.series["GAD-7"].times))
    bands = next(c for c in gad.collections if isinstance(c, PolyCollection))
    extents = [(p.vertices[:, 1].min(), p.vertices[:, 1].max()) for p in bands.get_paths()]
    assert extents == [(-0.6, 4.5), (4.5, 9.5), (9.5, 14.5), (14.5, 21.6)]
    alphas = [float(c[3]) for c in bands.get_facecolors()]
    assert alphas == sorted(alphas) and alphas[0] == 0 < alphas[-1]
    assert [t.get_text() for t in gad.texts] == ["minimal", "mild", "moderate", "severe"]
    # Baseline 16, 50% response at 8, remission below 5 (drawn between 4 and 5).
    assert _hlines(gad) == [4.5, 8, 16]
    assert gad.get_ylim() == (-0.6, 21.6)

    phq = _axes(fig, "PHQ-9")
    assert list(_line(phq, "PHQ-9 total").get_ydata()) == [14, 6]
    assert _hlines(phq) == [4.5, 7, 14]
    assert [t.get_text() for t in phq.texts][-2:] == ["moderately severe", "severe"]

    anxiety = _axes(fig, "anxiety")
    checkins = _line(anxiety, "Check-in")
    assert len(checkins.get_xdata()) == 60 and checkins.get_linestyle() == "None"
    mean = _line(anxiety, "7-day mean")
    assert mean.get_ydata()[0] == 7 and mean.get_ydata()[-1] == 4

    strip = _axes(fig, "side_effects")
    scatters = {c.get_label(): c for c in strip.collections if isinstance(c, PathCollection)}
    sizes = [scatters[f"Side effect ({s})"].get_sizes()[0] for s in ("mild", "moderate", "severe")]
    assert sizes == sorted(sizes) and len(set(sizes)) == 3
    effect_x = scatters["Side effect (severe)"].get_offsets()[:, 0]
    assert np.allclose(effect_x, to_num([datetime(2026, 3, 11, 12)]))


def test_sessions_are_one_line_collection_told_apart_by_route(story: Journal) -> None:
    data = trajectory_data(story, None, None)
    fig = trajectory_figure(data)
    sessions = [a for a in fig.artists if isinstance(a, LineCollection)]
    assert len(sessions) == 1
    lines = sessions[0]
    segments = lines.get_segments()
    assert np.allclose([s[0][0] for s in segments], to_num(data.session_times))
    # Each line runs from the bottom of the side-effect strip to the top of the first panel.
    top, bottom = fig.axes[0].get_position().y1, fig.axes[-1].get_position().y0
    assert all(np.allclose([s[0][1], s[1][1]], [bottom, top]) for s in segments)
    styles = lines.get_linestyles()
    assert styles[0] == styles[1] != styles[2]  # iv, iv, intranasal
    markers = {c.get_label(): c for c in fig.axes[0].collections if isinstance(c, PathCollection)}
    assert len(markers["Session: iv"].get_offsets()) == 2
    assert len(markers["Session: intranasal"].get_offsets()) == 1
    assert markers["Session: iv"].get_paths()[0] != markers["Session: intranasal"].get_paths()[0]
    legend = [t.get_text() for t in fig.legends[0].get_texts() if t.get_text().strip()]
    assert legend == [
        "GAD-7",
        "PHQ-9",
        "Daily anxiety",
        "7-day mean",
        "Baseline",
        "50% response",
        "Remission (<5)",
        "IV session",
        "Intranasal session",
    ]


def test_range_sets_the_time_axis(story: Journal) -> None:
    data = trajectory_data(story, date(2026, 4, 1), date(2026, 4, 29))
    fig = trajectory_figure(data)
    low, high = fig.axes[-1].get_xlim()
    start, end = to_num([datetime(2026, 4, 1), datetime(2026, 4, 30)])
    assert start - 0.5 < low < start and end < high < end + 0.5


def test_colours_follow_the_palette(story: Journal) -> None:
    data = trajectory_data(story, None, None)
    light, dark = trajectory_figure(data), trajectory_figure(data, dark=True)
    assert light.get_facecolor() == to_rgba("#ffffff")
    assert sum(dark.get_facecolor()[:3]) < 0.5
    # Okabe–Ito blue on light, its sky blue on dark.
    assert _line(light.axes[0], "GAD-7 total").get_color() == "#0072B2"
    assert _line(dark.axes[0], "GAD-7 total").get_color() == "#56B4E9"


def test_empty_journal_says_so(journal: Journal) -> None:
    data = trajectory_data(journal, None, None)
    assert data.is_empty and data.start == data.end == date.today()
    fig = trajectory_figure(data)
    assert [ax.get_label() for ax in fig.axes] == ["anxiety", "side_effects"]
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "Nothing recorded in this range" in texts
    assert describe_trajectory(data).endswith("Nothing was recorded in this range.")


def test_text_summary(story: Journal) -> None:
    text = describe_trajectory(trajectory_data(story, None, None))
    assert text == (
        "From 1 March to 29 April 2026. "
        "GAD-7 total went from 16 (severe range) on 1 March to 7 (mild range) on 29 April 2026; "
        "3 questionnaires. Baseline 16 (before treatment); 50% response level 8; remission "
        "below 5. PHQ-9 total went from 14 (moderate range) on 2 March to 6 (mild range) on "
        "28 April 2026; 2 questionnaires. Baseline 14 (before treatment); 50% response level "
        "7; remission below 5. Daily anxiety: 60 check-ins; 7-day mean 7.0 at the start of the "
        "range and 4.0 at the end. 3 sessions: intravenous infusion × 2, intranasal "
        "(esketamine) × 1. 3 side effects: 1 mild, 1 moderate, 1 severe."
    )


def test_chart_data_does_not_import_matplotlib() -> None:
    code = (
        "import sys, tracker.charts, tracker.charts.data, tracker.charts.relief, "
        "tracker.domain.onset, tracker.formatting, tracker.journal;"
        "assert 'matplotlib' not in sys.modules and 'numpy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_short_figure_packs_tighter(story: Journal, shots_dir) -> None:  # type: ignore[no-untyped-def]
    """The PDF's chart (180 × 78 mm): one-line labels, fewer ticks, one side-effect row,
    a two-row legend, and band names only where they fit."""
    data = trajectory_data(story, None, None)
    fig = trajectory_figure(data, width_in=180 / 25.4, height_in=78 / 25.4)
    gad, phq, _, strip = fig.axes
    assert [ax.get_ylabel() for ax in fig.axes] == ["GAD-7", "PHQ-9", "Anxiety", "Side\neffects"]
    assert list(gad.get_yticks()) == [0, 10, 21]
    assert {
        tuple(c.get_offsets()[:, 1]) for c in strip.collections if c.get_label() != "guides"
    } == {(0.0,)}
    assert len(fig.legends[0].get_texts()) <= 2 * 5
    assert all(t.get_visible() for t in phq.texts)  # five PHQ-9 bands still named
    fig.savefig(shots_dir / "chart-trajectory-pdf-size.png", dpi=150)
    tiny = trajectory_figure(data, width_in=7, height_in=2.4)
    names = [t for t in tiny.axes[1].texts if hasattr(t, "band_span")]
    assert not all(t.get_visible() for t in names)  # crowded names give way
    assert any(t.get_visible() for t in names)  # the wide "severe" band keeps its name
