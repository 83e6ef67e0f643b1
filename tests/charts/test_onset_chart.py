"""The relief chart: each session's curve, the median curve and the relief level."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from matplotlib.collections import LineCollection

from tracker.charts.data import describe_onset, session_relief_ended, session_time_to_relief
from tracker.charts.figures import onset_figure
from tracker.domain.entries import Checkin, TreatmentSession
from tracker.domain.onset import analyse_onset

START = datetime(2026, 3, 4, 10)


def _analysis():  # type: ignore[no-untyped-def]
    sessions = [
        TreatmentSession(at=START, route="iv", anxiety_before=8, anxiety_after=4, duration_min=40),
        TreatmentSession(at=START + timedelta(days=7), route="iv", anxiety_before=6),
        TreatmentSession(at=START + timedelta(days=14), route="iv", anxiety_before=2),
        TreatmentSession(at=START + timedelta(days=21), route="intranasal"),
    ]
    sessions = [s.with_id(i + 1) for i, s in enumerate(sessions)]
    ratings = [
        (START + timedelta(hours=h), a)
        for h, a in ((11, 3), (35, 4), (59, 6), (7 * 24 + 11, 6), (7 * 24 + 35, 5))
    ]
    checkins = [Checkin(at=t, anxiety=a) for t, a in ratings]
    return analyse_onset(sessions, checkins)


def test_curves_median_and_relief_level() -> None:
    analysis = _analysis()
    fig = onset_figure(analysis)
    (ax,) = fig.axes
    assert ax.get_label() == "onset" and ax.get_xscale() == "log"
    low, high = ax.get_xlim()
    assert low < 0.25 and 14 * 24 < high < 16 * 24
    curves = next(c for c in ax.collections if isinstance(c, LineCollection))
    segments = curves.get_segments()
    assert len(segments) == 2  # sessions 1 and 2; 3 (level 2) and 4 (no data) are not analysed
    first = segments[0]
    assert np.allclose(first[:, 0], [40 / 60, 11, 35, 59])
    assert np.allclose(first[:, 1], [4 / 8 - 1, 3 / 8 - 1, 4 / 8 - 1, 6 / 8 - 1])
    # Session 1 had relief (blue), session 2 none (muted).
    assert tuple(curves.get_colors()[0][:3]) != tuple(curves.get_colors()[1][:3])
    lines = {line.get_label(): line for line in ax.lines}
    assert "median" in lines
    assert len(lines["median"].get_xdata()) == len(analysis.median_curve) > 0
    relief = [line for line in ax.lines if list(line.get_ydata()) == [-0.3, -0.3]]
    assert len(relief) == 1
    first_relief = next(c for c in ax.collections if c.get_label() == "first relief")
    assert np.allclose(first_relief.get_offsets(), [[40 / 60, -0.5]])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [
        "Session with relief (1)",
        "Session without relief (1)",
        "First relief rating",
        "Median of sessions",
        "Relief: 30% or more below",
    ]


def test_readings_at_the_very_start_are_drawn_at_fifteen_minutes() -> None:
    session = TreatmentSession(at=START, route="iv", anxiety_before=8, anxiety_after=2)
    fig = onset_figure(analyse_onset([session], []))
    curves = next(c for c in fig.axes[0].collections if isinstance(c, LineCollection))
    assert curves.get_segments()[0][0][0] == pytest.approx(0.25)


def test_no_sessions_says_so() -> None:
    fig = onset_figure(analyse_onset([], []), dark=True)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["No session has enough anxiety ratings to analyse yet"]
    assert describe_onset(analyse_onset([], [])) == (
        "No sessions recorded yet, so there is no relief to show."
    )


def test_text_summary_and_table_words() -> None:
    analysis = _analysis()
    assert describe_onset(analysis) == (
        "2 of 4 sessions could be analysed; 1 brought relief (an anxiety rating at least 30% "
        "below the pre-session level). Median time to relief: 40 minutes; median time until "
        "relief ended: 2.5 days. Not analysed: pre-session level below 3 (1); no anxiety "
        "rating before the session (1)."
    )
    first, second, third, _ = analysis.per_session
    assert session_time_to_relief(first) == "40 minutes"
    assert session_relief_ended(first) == "after 2.5 days"
    assert session_time_to_relief(second) == "no relief"
    assert session_relief_ended(second) == "–"
    assert session_time_to_relief(third) == "not analysed"
