"""The Relief view's words and course chart, and the item-by-item chart, on known journals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.charts.data import ItemsData, describe_items, items_data, trajectory_data
from tracker.charts.figures import course_figure, items_figure, point_sessions
from tracker.charts.relief import (
    RELIEF_HEADINGS,
    counts,
    describe_course,
    headline,
    session_row,
)
from tracker.domain.entries import Checkin, TreatmentSession
from tracker.domain.onset import ReliefAnalysis, analyse_relief
from tracker.journal import Journal

START = datetime(2026, 3, 4, 10)
LATER = datetime(2027, 1, 1, tzinfo=UTC)


def _story(now: datetime = LATER) -> ReliefAnalysis:
    """Four sessions: relief lost, relief still holding, no relief, not analysable.

    1. 4 March 10:00, own rating 8 (L 5.6), right after 2; check-ins 21:00 (11 h) 4,
       next day 09:00 (23 h) 5, then 7 and 8 at 59 h and 83 h: lost at 59 h = day 2.5.
    2. 6 days later (first series), own rating 8: 9.5 h → 3, 33.5 h → 4, and nothing more
       before the next session: still in relief at 33.5 h, "≥ 1.4 days".
    3. 20 days after the first (a 14-day gap: a booster), own rating 6 (L 4.2): 8 h → 5,
       30 h → 6: no relief.
    4. 30 days after the first, own rating 2: not analysed (below 3).
    Median time to relief: (11 + 9.5) / 2 = 10.25 h, "10.2 hours". At 24 h: session 1
    23 h → 5 (relief), session 2 33.5 h → 4 (relief), session 3 30 h → 6 (no): 2 of 3.
    Kaplan–Meier over sessions 1 and 2: 1.3958 censored leaves first, then the loss at
    2.4583 with one at risk: the median is day 2.5.
    """
    sessions = [
        TreatmentSession(at=START, route="iv", anxiety_before=8, anxiety_after=2),
        TreatmentSession(at=START + timedelta(days=6), route="iv", anxiety_before=8),
        TreatmentSession(at=START + timedelta(days=20), route="intranasal", anxiety_before=6),
        TreatmentSession(at=START + timedelta(days=30), route="iv", anxiety_before=2),
    ]
    sessions = [s.with_id(i + 1) for i, s in enumerate(sessions)]
    hours = [
        (11, 4), (23, 5), (59, 7), (83, 8),
        (6 * 24 + 9.5, 3), (6 * 24 + 33.5, 4),
        (20 * 24 + 8, 5), (20 * 24 + 30, 6),
    ]  # fmt: skip
    checkins = [Checkin(at=START + timedelta(hours=h), anxiety=a) for h, a in hours]
    return analyse_relief(sessions, checkins, ZoneInfo("UTC"), now)


def test_the_headline_says_it_in_one_sentence() -> None:
    analysis = _story()
    assert headline(analysis) == (
        "Relief came within a median of 10.2 hours and held until a median of day 2.5; "
        "1 session still in relief."
    )
    assert counts(analysis) == (
        "3 of 4 sessions analysed; 2 brought relief (an anxiety rating at least 30% below "
        "the level before); 1 session still in relief when their ratings ended (censored); "
        "relief at 24 hours in 2 of 3 known; relief right after, in the clinic, in 1 of 1. "
        "Not analysed: level before below 3 (1)."
    )


def test_the_table_rows() -> None:
    rows = [session_row(one) for one in _story().per_session]
    assert len(RELIEF_HEADINGS) == len(rows[0])
    assert rows[0] == [
        "1",
        "4 Mar 2026 10:00, intravenous infusion",
        "first series",
        "8 (own rating)",
        "8 → 2, relief",
        "11 hours",
        "relief",  # 23 h (5 ≤ 5.6) is the nearest to 24 h
        "day 2.5",  # 59 h = 2.458 days
    ]
    # 24 h: 33.5 h (4 ≤ 5.6) is the only rating 12–48 h after session 2.
    assert rows[1][5:] == ["9.5 hours", "relief", "≥ 1.4 days (still in relief)"]
    assert rows[2][2:] == ["booster", "6 (own rating)", "—", "no relief", "no relief", "—"]
    assert rows[3][5:] == ["not analysed: pre-session level 2 is below 3", "—", "—"]


def test_a_session_minutes_old_reads_too_early_never_zero_days() -> None:
    session = TreatmentSession(at=START, route="iv", anxiety_before=8, anxiety_after=3)
    now = (START + timedelta(minutes=12)).replace(tzinfo=UTC)
    analysis = analyse_relief([session.with_id(1)], [], ZoneInfo("UTC"), now)
    said = headline(analysis)
    assert said == (
        "The session of 4 Mar 2026 10:00 is too early to tell: no anxiety rating since it yet."
    )
    assert "0.0" not in said and "0 days" not in said
    assert session_row(analysis.per_session[0])[5:] == ["too early to tell", "—", "—"]


def test_a_median_not_reached_says_so() -> None:
    # One session, relief at 11 h and still at 35 h when ratings stop: censored, so the
    # Kaplan–Meier share never falls to one half.
    session = TreatmentSession(at=START, route="iv", anxiety_before=8).with_id(1)
    checkins = [Checkin(at=START + timedelta(hours=h), anxiety=3) for h in (11, 35)]
    analysis = analyse_relief([session], checkins, ZoneInfo("UTC"), LATER)
    assert headline(analysis) == (
        "Relief came within a median of 11 hours; the median day it held until is not "
        "reached (more than 1.5 days); 1 session still in relief."
    )


def test_no_sessions_and_no_relief() -> None:
    assert headline(analyse_relief([], [], None, LATER)) == (
        "No sessions recorded yet, so there is no relief to show."
    )
    session = TreatmentSession(at=START, route="iv", anxiety_before=8).with_id(1)
    checkins = [Checkin(at=START + timedelta(hours=5), anxiety=7)]
    analysis = analyse_relief([session], checkins, None, LATER)
    assert headline(analysis) == (
        "The one analysed session brought no relief (an anxiety rating at least 30% below "
        "the level before)."
    )


def test_the_course_chart_marks_series_and_censoring() -> None:
    analysis = _story()
    figure = course_figure(analysis)
    (ax,) = figure.axes
    assert ax.get_label() == "course"
    by_label = {c.get_label(): c for c in ax.collections}
    lost, censored, none = by_label["lost"], by_label["censored"], by_label["no relief"]
    assert [p.number for p in lost.sessions] == [1]  # type: ignore[attr-defined]
    assert [p.number for p in censored.sessions] == [2]  # type: ignore[attr-defined]
    assert [p.number for p in none.sessions] == [3]  # type: ignore[attr-defined]
    assert lost.get_offsets().tolist() == [[1.0, 59 / 24]]
    # Censored points are hollow: no face colour.
    assert censored.get_facecolors().size == 0 or censored.get_facecolors()[0][3] == 0
    # Boosters in another colour than the first series.
    assert (none.get_edgecolors() != lost.get_edgecolors()).any()
    assert sorted(n for _, _, n in point_sessions(ax)) == [1, 2, 3]
    assert describe_course(analysis) == (
        "Day until which relief held, by session number: 1: day 2.5, 2: ≥ day 1.4."
    )
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "First series" in legend and "Booster" in legend
    assert "Still in relief: at least that day" in legend


def test_the_course_chart_with_nothing_to_show() -> None:
    figure = course_figure(analyse_relief([], [], None, LATER), dark=True)
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert texts == ["No session has relief figures yet"]


def test_items_come_from_the_instrument_data(journal: Journal) -> None:
    journal.add_assessment("GAD-7", "2026-01-05T09:00", [3, 2, 3, 2, 2, 2, 2])
    journal.add_assessment("GAD-7", "2026-02-05T09:00", [1, 0, 1, 0, 2, 1, 0])
    journal.add_assessment("PHQ-9", "2026-01-05T09:10", [1] * 9)
    data = items_data(trajectory_data(journal, date(2026, 1, 1), date(2026, 2, 28)))
    gad, phq = data.instruments
    assert gad.items[0] == "Feeling nervous, anxious, or on edge"
    assert len(gad.items) == 7 and len(phq.items) == 9
    assert gad.options == ["Not at all", "Several days", "More than half the days",
                           "Nearly every day"]  # fmt: skip
    assert gad.answers == [(3, 2, 3, 2, 2, 2, 2), (1, 0, 1, 0, 2, 1, 0)]
    figure = items_figure(data)
    axes = {ax.get_label(): ax for ax in figure.axes}
    grid = axes["GAD-7"].images[0].get_array()
    # Rows are items, columns dates: item 1 went 3 → 1.
    assert grid.shape == (7, 2) and (grid[0, 0], grid[0, 1]) == (3, 1)
    labels = [t.get_text() for t in axes["GAD-7"].get_yticklabels()]
    assert labels[0] == "1  Feeling nervous, anxious, or on edge"
    assert describe_items(data).startswith(
        "GAD-7, 2 questionnaires from 5 January 2026 to 5 February 2026; answers 0–3 "
        "(0 Not at all, 1 Several days, 2 More than half the days, 3 Nearly every day): "
        "item 1 3 → 1, item 2 2 → 0"
    )


def test_no_questionnaire_in_range() -> None:
    empty = ItemsData(date(2026, 1, 1), date(2026, 1, 2), [])
    assert describe_items(empty) == "No questionnaire in this range, so no items to show."
    assert [t.get_text() for t in items_figure(empty).axes[0].texts] == [
        "No questionnaire in this range"
    ]


def test_a_session_with_nothing_rated_after_it_is_not_called_no_relief() -> None:
    # Own rating 8 before, then no check-in before its window closed: nothing is known
    # about relief, so it is not analysed, never "brought no relief".
    session = TreatmentSession(at=START, route="iv", anxiety_before=8).with_id(1)
    analysis = analyse_relief([session], [], None, LATER)
    assert headline(analysis) == (
        "No session could be analysed yet: each needs an anxiety rating before it of at "
        "least 3 and ratings after it."
    )
    assert counts(analysis) == (
        "0 of 1 session analysed; 0 brought relief (an anxiety rating at least 30% below the "
        "level before). Not analysed: no rating after the session (1)."
    )
    assert session_row(analysis.per_session[0])[5:] == ["no rating after it", "not known", "—"]
