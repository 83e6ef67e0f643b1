"""Onset and durability of relief after sessions, on small journals with known answers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tracker.domain.entries import Checkin, TreatmentSession
from tracker.domain.onset import (
    SOURCE_BEFORE,
    SOURCE_LAST,
    SOURCE_MEAN,
    SOURCE_NONE,
    analyse_onset,
)
from tracker.domain.thresholds import (
    PRE_LEVEL_LAST_HOURS,
    PRE_LEVEL_MEAN_HOURS,
    RELIEF_FRACTION,
    RELIEF_MIN_PRE_LEVEL,
    RELIEF_WINDOW_DAYS,
)

START = datetime(2026, 3, 4, 10, 0)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def session(hours: float = 0, **fields: object) -> TreatmentSession:
    return TreatmentSession(at=at(hours), route=str(fields.pop("route", "iv")), **fields)  # type: ignore[arg-type]


def checkins(*pairs: tuple[float, int]) -> list[Checkin]:
    return [Checkin(at=at(h), anxiety=a) for h, a in pairs]


def test_thresholds_are_the_named_constants() -> None:
    assert pytest.approx(0.30) == RELIEF_FRACTION
    assert (RELIEF_WINDOW_DAYS, RELIEF_MIN_PRE_LEVEL) == (14, 3)
    assert (PRE_LEVEL_LAST_HOURS, PRE_LEVEL_MEAN_HOURS) == (24, 72)


def test_relief_at_two_hours_lasting_four_days() -> None:
    s = session(anxiety_before=8, anxiety_after=7, duration_min=40)
    ratings = checkins((2, 4), (24, 3), (48, 5), (72, 4), (96, 7), (120, 3))
    result = analyse_onset([s], ratings)
    one = result.per_session[0]
    assert one.analysable and one.pre_level == 8 and one.pre_level_source == SOURCE_BEFORE
    assert one.hours_to_relief == pytest.approx(2)
    assert one.relief_ended_after_days == pytest.approx(4)
    assert not one.open_ended
    # anxiety_after counts at the session's end: start + 40 minutes.
    assert one.curve[0] == (pytest.approx(40 / 60), pytest.approx(7 / 8 - 1))
    assert [h for h, _ in one.curve[1:]] == [2, 24, 48, 72, 96, 120]
    assert result.sessions_analysed == result.sessions_with_relief == 1


def test_anxiety_after_can_be_the_first_relief() -> None:
    s = session(anxiety_before=8, anxiety_after=2, duration_min=30)
    one = analyse_onset([s], checkins((20, 7))).per_session[0]
    assert one.hours_to_relief == pytest.approx(0.5)
    assert one.relief_ended_after_days == pytest.approx(20 / 24)


def test_anxiety_after_without_duration_counts_at_the_start() -> None:
    one = analyse_onset([session(anxiety_before=6, anxiety_after=3)], []).per_session[0]
    assert one.hours_to_relief == 0
    assert one.curve == [(0, -0.5)]


def test_no_relief() -> None:
    s = session(anxiety_before=8, anxiety_after=7)
    one = analyse_onset([s], checkins((3, 6), (30, 7), (80, 8))).per_session[0]
    assert one.analysable
    assert one.hours_to_relief is None and one.relief_ended_after_days is None
    assert not one.open_ended
    result = analyse_onset([s], checkins((3, 6)))
    assert (result.sessions_analysed, result.sessions_with_relief) == (1, 0)
    assert result.median_hours_to_relief is None
    assert result.median_relief_ended_after_days is None


def test_relief_still_open_at_the_next_session() -> None:
    first = session(0, anxiety_before=8)
    second = session(7 * 24, anxiety_before=5)
    # Relief on every rating until the next session; the 9 after it belongs to the second.
    ratings = checkins((5, 4), (30, 3), (100, 5), (150, 4), (7 * 24 + 1, 9))
    result = analyse_onset([second, first], ratings)  # any order in
    one = result.per_session[0]
    assert one.session_at == first.at
    assert one.hours_to_relief == pytest.approx(5)
    assert one.open_ended
    assert one.relief_ended_after_days == pytest.approx(150 / 24)  # its last relief rating
    assert one.curve[-1][0] == 150
    other = result.per_session[1]
    assert other.curve == [(pytest.approx(1), pytest.approx(9 / 5 - 1))]


def test_window_ends_after_fourteen_days() -> None:
    ratings = checkins((10, 2), (13 * 24, 2), (15 * 24, 9))
    one = analyse_onset([session(anxiety_before=8)], ratings).per_session[0]
    assert one.open_ended
    assert one.relief_ended_after_days == pytest.approx(13)
    assert [h for h, _ in one.curve] == [10, 13 * 24]


def test_session_with_no_pre_session_data() -> None:
    s = session()
    # A check-in 80 hours before is outside both lookbacks.
    one = analyse_onset([s], checkins((-80, 9), (2, 1))).per_session[0]
    assert not one.analysable
    assert one.pre_level is None and one.pre_level_source == SOURCE_NONE
    assert one.reason is not None and "no anxiety rating before the session" in one.reason
    assert one.hours_to_relief is None and one.curve == []


def test_two_sessions_a_day_apart() -> None:
    first = session(0, anxiety_before=8, anxiety_after=6, duration_min=40)
    second = session(24, anxiety_before=6, anxiety_after=3, duration_min=40)
    ratings = checkins((4, 6), (20, 6), (30, 4), (48, 5), (72, 6))
    result = analyse_onset([first, second], ratings)
    a, b = result.per_session
    # First: every rating is above 8 × 0.7 = 5.6 until the second session starts.
    assert [h for h, _ in a.curve] == [pytest.approx(40 / 60), 4, 20]
    assert a.hours_to_relief is None
    # Second: 3 at its end (relief, 6 × 0.7 = 4.2), 4 still relief, 5 is not.
    assert b.hours_to_relief == pytest.approx(40 / 60)
    assert b.relief_ended_after_days == pytest.approx(24 / 24)
    assert not b.open_ended
    assert (result.sessions_analysed, result.sessions_with_relief) == (2, 1)


def test_pre_level_from_anxiety_before_first() -> None:
    ratings = checkins((-2, 9), (-30, 9))
    one = analyse_onset([session(anxiety_before=6)], ratings).per_session[0]
    assert (one.pre_level, one.pre_level_source) == (6, SOURCE_BEFORE)


def test_pre_level_from_the_last_check_in_within_24_hours() -> None:
    ratings = checkins((-30, 4), (-20, 9), (-3, 7), (0.5, 2))
    one = analyse_onset([session()], ratings).per_session[0]
    assert (one.pre_level, one.pre_level_source) == (7, SOURCE_LAST)
    assert one.hours_to_relief == pytest.approx(0.5)


def test_pre_level_from_the_mean_of_check_ins_within_72_hours() -> None:
    ratings = checkins((-80, 1), (-70, 6), (-50, 7), (-25, 8), (3, 2))
    one = analyse_onset([session()], ratings).per_session[0]
    assert one.pre_level_source == SOURCE_MEAN
    assert one.pre_level == pytest.approx(7)
    # At exactly 24 hours before, a check-in is within the 24 h lookback.
    edge = analyse_onset([session()], checkins((-24, 5))).per_session[0]
    assert edge.pre_level_source == SOURCE_LAST


def test_pre_level_below_three_is_not_analysable() -> None:
    one = analyse_onset([session(anxiety_before=2)], checkins((1, 0))).per_session[0]
    assert not one.analysable
    assert one.pre_level == 2
    assert one.reason is not None and "below 3" in one.reason
    mean = analyse_onset([session()], checkins((-60, 2), (-40, 3), (1, 0))).per_session[0]
    assert mean.pre_level == pytest.approx(2.5) and not mean.analysable
    assert mean.reason is not None and "2.5 is below 3" in mean.reason
    three = analyse_onset([session(anxiety_before=3)], checkins((1, 2))).per_session[0]
    assert three.analysable and three.hours_to_relief == 1  # 2 ≤ 3 × 0.7


def test_no_rating_after_the_session_is_not_analysable() -> None:
    one = analyse_onset([session(anxiety_before=8)], checkins((-5, 7))).per_session[0]
    assert not one.analysable
    assert one.reason is not None and "no anxiety rating after" in one.reason


def test_exactly_thirty_percent_counts_as_relief() -> None:
    exact = analyse_onset([session(anxiety_before=10)], checkins((1, 7))).per_session[0]
    assert exact.hours_to_relief == 1
    short = analyse_onset([session(anxiety_before=10)], checkins((1, 8))).per_session[0]
    assert short.hours_to_relief is None
    # A mean pre-level: (7 + 8 + 5) / 3 = 20/3, and 70% of it is 4.67: 4 is relief, 5 not.
    ratings = checkins((-70, 7), (-50, 8), (-30, 5))
    assert analyse_onset([session()], [*ratings, *checkins((2, 4))]).per_session[0].had_relief
    assert not analyse_onset([session()], [*ratings, *checkins((2, 5))]).per_session[0].had_relief


def test_medians_over_sessions_with_relief() -> None:
    day = 24
    sessions = [
        session(0, anxiety_before=8),
        session(10 * day, anxiety_before=8),
        session(20 * day, anxiety_before=8),
        session(30 * day, anxiety_before=8),  # no relief: left out of the medians
        session(40 * day, anxiety_before=1),  # not analysable: left out
    ]
    ratings = checkins(
        (1, 4),
        (2 * day, 8),  # relief at 1 h, ended after 2 days
        (10 * day + 3, 4),
        (10 * day + 4 * day, 8),  # 3 h, 4 days
        (20 * day + 6, 4),
        (20 * day + 5 * day, 7),  # 6 h, 5 days
        (30 * day + 2, 8),
        (40 * day + 2, 0),
    )
    result = analyse_onset(sessions, ratings)
    assert (result.sessions_analysed, result.sessions_with_relief) == (4, 3)
    assert result.median_hours_to_relief == pytest.approx(3)
    assert result.median_relief_ended_after_days == pytest.approx(4)
    assert result.median_curve  # four analysable curves give a median curve
    assert all(-1 <= v <= 1 for _, v in result.median_curve)


def test_json_block() -> None:
    sessions = [session(0, anxiety_before=8, route="intranasal"), session(30, route="iv")]
    ratings = checkins((2.5, 4), (26, 7), (40, 6))
    block = analyse_onset(sessions, ratings).to_json()
    assert block["sessions_analysed"] == 2
    assert block["sessions_with_relief"] == 1
    assert block["median_hours_to_relief"] == 2.5
    assert block["median_relief_ended_after_days"] == pytest.approx(1.08)
    first, second = block["per_session"]
    assert {
        k: first[k]
        for k in (
            "session_at",
            "pre_level",
            "hours_to_relief",
            "relief_ended_after_days",
            "open_ended",
        )
    } == {
        "session_at": "2026-03-04T10:00",
        "pre_level": 8.0,
        "hours_to_relief": 2.5,
        "relief_ended_after_days": 1.08,
        "open_ended": False,
    }
    assert second["pre_level"] == 7.0 and second["hours_to_relief"] is None
    assert second["relief_ended_after_days"] is None and second["open_ended"] is False
    empty = analyse_onset([], []).to_json()
    assert empty == {
        "sessions_analysed": 0,
        "sessions_with_relief": 0,
        "median_hours_to_relief": None,
        "median_relief_ended_after_days": None,
        "per_session": [],
    }


def test_summary_json_has_the_onset_block(journal) -> None:  # type: ignore[no-untyped-def]
    journal.add_session(START, "iv", anxiety_before=8, anxiety_after=4, duration_min=40)
    journal.add_checkin(at(5), 3)
    onset = journal.summary()["onset"]
    assert onset["sessions_analysed"] == 1
    assert onset["median_hours_to_relief"] == pytest.approx(0.67)
    assert onset["per_session"][0]["open_ended"] is True
