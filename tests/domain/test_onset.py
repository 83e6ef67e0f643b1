"""Relief after sessions on hand-made journals, one per rule of clinical-reference.md.

Every expected value is worked out by hand in the comments. Unless a test says otherwise
the journal's zone is UTC (no clock changes) and "now" is long after every window, so
windows are closed.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.entries import Checkin, TreatmentSession
from tracker.domain.onset import (
    NO_RATINGS,
    NO_RELIEF,
    NOT_ANALYSED,
    RELIEF_LOST,
    SOURCE_BEFORE,
    SOURCE_LAST,
    SOURCE_MEAN,
    SOURCE_NONE,
    STILL_IN_RELIEF,
    TOO_EARLY,
    ReliefAnalysis,
    analyse_relief,
    kaplan_meier_median,
)
from tracker.domain.thresholds import (
    FIRST_SERIES_GAP_DAYS,
    PRE_LEVEL_LAST_HOURS,
    PRE_LEVEL_MEAN_HOURS,
    RELIEF_AT_FROM_HOURS,
    RELIEF_AT_HOURS,
    RELIEF_AT_TO_HOURS,
    RELIEF_FRACTION,
    RELIEF_LOST_AFTER_RATINGS,
    RELIEF_MIN_PRE_LEVEL,
    RELIEF_WINDOW_DAYS,
)
from tracker.domain.times import parse_at

START = datetime(2026, 3, 4, 10, 0)
LATER = datetime(2027, 1, 1, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def session(hours: float = 0, **fields: object) -> TreatmentSession:
    return TreatmentSession(at=at(hours), route=str(fields.pop("route", "iv")), **fields)  # type: ignore[arg-type]


def checkins(*pairs: tuple[float, int]) -> list[Checkin]:
    return [Checkin(at=at(h), anxiety=a) for h, a in pairs]


def analyse(
    sessions: list[TreatmentSession], ratings: list[Checkin], now: datetime = LATER
) -> ReliefAnalysis:
    return analyse_relief(sessions, ratings, UTC_ZONE, now)


def one(s: TreatmentSession, ratings: list[Checkin], now: datetime = LATER):  # type: ignore[no-untyped-def]
    return analyse([s], ratings, now).per_session[0]


def test_thresholds_are_the_named_constants_of_the_reference() -> None:
    assert pytest.approx(0.30) == RELIEF_FRACTION
    assert (RELIEF_WINDOW_DAYS, RELIEF_MIN_PRE_LEVEL) == (14, 3)
    assert (PRE_LEVEL_LAST_HOURS, PRE_LEVEL_MEAN_HOURS) == (24, 72)
    assert (RELIEF_AT_HOURS, RELIEF_AT_FROM_HOURS, RELIEF_AT_TO_HOURS) == (24, 12, 48)
    assert (RELIEF_LOST_AFTER_RATINGS, FIRST_SERIES_GAP_DAYS) == (2, 7)


def test_the_acute_rating_is_kept_apart() -> None:
    # P = 8 (own rating), L = 8 × 0.7 = 5.6. Right after, in the clinic: 2, relief.
    # The check-ins after the session's end (start + 40 min) are 7 at 6 h and 6 at 20 h:
    # neither is at or below 5.6, so there is no relief after this session, whatever the
    # acute rating said; it is not a "time to relief" of 40 minutes.
    s = session(anxiety_before=8, anxiety_after=2, duration_min=40)
    got = one(s, checkins((6, 7), (20, 6)))
    assert (got.acute_after, got.acute_relief) == (2, True)
    assert got.status == NO_RELIEF
    assert got.hours_to_relief is None and got.relief_lost_after_days is None
    # 24 h: 20 h is the only rating 12–48 h after the start: 6 > 5.6, no relief.
    assert got.relief_at_24h is False
    assert got.to_json()["acute_relief"] is True


def test_a_check_in_before_the_session_ends_does_not_count() -> None:
    # A 60-minute infusion: a check-in at 30 min is during the session, not after its end.
    s = session(anxiety_before=8, duration_min=60)
    got = one(s, checkins((0.5, 2), (3, 7)))
    assert got.status == NO_RELIEF and got.ratings == ((3, 7),)


def test_a_single_bad_evening_does_not_end_relief() -> None:
    # P = 8, L = 5.6. Relief first at 10 h (4). At 34 h a 7 (above L), but the next
    # rating, 58 h, is 4 again: one bad evening. 82 h: 5 (relief). The window ends with no
    # loss: censored at the last relief rating, 82 h = 3.4167 days, shown "≥ 3.4 days".
    got = one(session(anxiety_before=8), checkins((10, 4), (34, 7), (58, 4), (82, 5)))
    assert got.hours_to_relief == 10
    assert got.status == STILL_IN_RELIEF and got.censored
    assert got.relief_lost_after_days == pytest.approx(82 / 24)
    # 24 h: the ratings 12–48 h after are 34 h only (10 h is before the span): 7, no.
    assert got.relief_at_24h is False


def test_two_ratings_in_a_row_above_the_limit_end_relief_at_the_first() -> None:
    # P = 8, L = 5.6: relief at 10 h; 34 h: 7 and 58 h: 8, two in a row above L, so relief
    # was lost at 34 h = 1.4167 days ("held until day 1.4"), although 82 h is 3 again.
    got = one(session(anxiety_before=8), checkins((10, 4), (34, 7), (58, 8), (82, 3)))
    assert got.status == RELIEF_LOST and not got.censored
    assert got.relief_lost_after_days == pytest.approx(34 / 24)


def test_relief_is_lost_at_the_last_rating_in_the_window_when_it_is_above_the_limit() -> None:
    # P = 8, L = 5.6: relief at 10 h (4), 34 h: 5 (still relief), 58 h: 7 above L and the
    # last rating of the window: lost there, 58 h = 2.4167 days.
    got = one(session(anxiety_before=8), checkins((10, 4), (34, 5), (58, 7)))
    assert got.status == RELIEF_LOST
    assert got.relief_lost_after_days == pytest.approx(58 / 24)


def test_censored_when_the_ratings_stop() -> None:
    # P = 8 (last check-in 2 h before: 8), L = 5.6. 10 h: 4, 34 h: 3, then nothing.
    # Censored at 34 h = 1.4167 days: "≥ 1.4 days".
    got = one(session(), checkins((-2, 8), (10, 4), (34, 3)))
    assert (got.pre_level, got.pre_level_source) == (8, SOURCE_LAST)
    assert got.status == STILL_IN_RELIEF and got.censored
    assert got.relief_lost_after_days == pytest.approx(34 / 24)
    assert got.to_json()["relief_lost_after_days"] == 1.42


def test_censored_when_the_next_session_comes() -> None:
    # Session 1 at 0 h (P 8, L 5.6); session 2 at 72 h. Session 1's window ends at 72 h:
    # 10 h: 4, 34 h: 3, 60 h: 4, all relief: censored at 60 h = 2.5 days. The 80 h and
    # 90 h ratings (8, 9) belong to session 2 and do not end session 1's relief.
    # Session 2 has no own rating; its P is the last check-in in the 24 h before it,
    # 60 h: 4, L = 2.8; 80 h: 8 and 90 h: 9: no relief.
    ratings = checkins((10, 4), (34, 3), (60, 4), (80, 8), (90, 9))
    first, second = analyse([session(0, anxiety_before=8), session(72)], ratings).per_session
    assert first.status == STILL_IN_RELIEF
    assert first.relief_lost_after_days == pytest.approx(2.5)
    assert (second.pre_level, second.status) == (4, NO_RELIEF)


def test_the_window_ends_fourteen_days_after_the_start() -> None:
    # Relief at 10 h, then every day a 3 until day 13, and an 8 on day 15 (outside).
    # Censored at the day-13 rating (13 days + 10 h = 13.4167 days).
    pairs = [(10 + 24 * d, 3) for d in range(14)] + [(24 * 15, 8)]
    got = one(session(anxiety_before=8), checkins(*pairs))
    assert got.censored
    assert got.relief_lost_after_days == pytest.approx(13 + 10 / 24)


def test_a_session_minutes_old_is_too_early_to_tell() -> None:
    # Logged 10 minutes ago, nothing rated since: never "0.0 days".
    s = session(anxiety_before=8, anxiety_after=3, duration_min=0)
    now = at(10 / 60).replace(tzinfo=UTC)
    got = one(s, [], now)
    assert got.status == TOO_EARLY and not got.analysable
    assert got.reason == "too early to tell: no anxiety rating since the session yet"
    assert got.relief_lost_after_days is None and got.hours_to_relief is None
    analysis = analyse([s], [], now)
    assert analysis.sessions_analysed == 0 and analysis.held.days is None
    assert analysis.to_json()["too_early"] == 1
    # The same session with its window closed and still nothing rated: no rating after,
    # not analysed (never "no relief": nothing was rated).
    closed = analyse([s], [])
    assert closed.per_session[0].status == NO_RATINGS
    assert (
        closed.sessions_analysed == 0 and closed.to_json()["per_session"][0]["analysable"] is False
    )


def test_relief_at_24_hours_takes_the_nearest_rating_and_the_earlier_on_a_tie() -> None:
    # P = 10, L = 7. 11 h: 2 is outside 12–48 h. 18 h: 6 (relief) and 30 h: 9 (not) are
    # both 6 h from 24 h: the earlier, 18 h, decides: relief at 24 h.
    got = one(session(anxiety_before=10), checkins((11, 2), (18, 6), (30, 9)))
    assert got.relief_at_24h is True
    # Without the tie, 25 h (9) is nearer than 18 h: no relief at 24 h.
    got = one(session(anxiety_before=10), checkins((18, 6), (25, 9)))
    assert got.relief_at_24h is False
    # Nothing 12–48 h after: not known. 48 h itself counts.
    assert one(session(anxiety_before=10), checkins((5, 6), (49, 6))).relief_at_24h is None
    assert one(session(anxiety_before=10), checkins((48, 6))).relief_at_24h is True


def test_exactly_thirty_percent_below_counts_as_relief() -> None:
    # P = 10: L = 7.0 exactly; a 7 is relief, an 8 is not.
    assert one(session(anxiety_before=10), checkins((5, 7))).hours_to_relief == 5
    assert one(session(anxiety_before=10), checkins((5, 8))).hours_to_relief is None


def test_pre_level_sources_in_order() -> None:
    # Own rating first, even with check-ins before.
    got = one(session(anxiety_before=6), checkins((-1, 9), (5, 2)))
    assert (got.pre_level, got.pre_level_source) == (6, SOURCE_BEFORE)
    # Else the last check-in in the 24 h before: -30 h is too early, -20 h counts.
    got = one(session(), checkins((-30, 9), (-20, 7), (5, 2)))
    assert (got.pre_level, got.pre_level_source) == (7, SOURCE_LAST)
    # Else the mean of the check-ins 24–72 h before: (6 + 9) / 2 = 7.5; -80 h is outside.
    got = one(session(), checkins((-80, 1), (-70, 6), (-30, 9), (5, 2)))
    assert (float(got.pre_level or 0), got.pre_level_source) == (7.5, SOURCE_MEAN)
    assert got.to_json()["pre_level"] == 7.5


def test_sessions_that_cannot_be_analysed_say_why() -> None:
    got = one(session(), checkins((5, 2)))
    assert got.status == NOT_ANALYSED and got.pre_level_source == SOURCE_NONE
    assert got.reason is not None and "no anxiety rating before" in got.reason
    low = one(session(anxiety_before=2), checkins((5, 0)))
    assert low.status == NOT_ANALYSED and low.reason == "pre-session level 2 is below 3"


def test_first_series_and_boosters() -> None:
    # Days 0, 2, 4, 7 (3 days after 4), 14 (exactly 7 after): the first series. Day 30
    # (16 days later) starts the boosters; day 33 is a booster though only 3 days later.
    days = [0, 2, 4, 7, 14, 30, 33]
    got = analyse([session(24 * d) for d in days], []).per_session
    assert [s.number for s in got] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.series for s in got] == ["first"] * 5 + ["booster"] * 2


def test_kaplan_meier_with_censoring() -> None:
    # Four sessions with relief: lost at day 2, censored at 3, lost at 4, censored at 5.
    # Share still in relief: after day 2, 1 − 1/4 = 0.75; day 3 leaves censored (2 at
    # risk); after day 4, 0.75 × (1 − 1/2) = 0.375 ≤ 0.5: the median is day 4, where the
    # plain median of the four numbers (3.5) would understate it.
    got = kaplan_meier_median([(2, True), (3, False), (4, True), (5, False)])
    assert (got.days, got.reached, got.censored) == (4, True, 2)


def test_kaplan_meier_not_reached() -> None:
    # Censored at 2, lost at 3 (3 at risk: 1 − 1/3 = 0.667), censored at 4 and 5: the
    # share never falls to one half: "not reached (more than 5 days)".
    got = kaplan_meier_median([(2, False), (3, True), (4, False), (5, False)])
    assert (got.days, got.reached, got.more_than_days, got.censored) == (None, False, 5, 3)


def test_the_median_across_sessions() -> None:
    # Three sessions 16 days apart (so each window is whole; the second and third are
    # boosters). P = 8, L = 5.6 for each.
    # Session 1: relief at 10 h, lost at 34 h (7 and 8 in a row) = 1.4167 days.
    # Session 2: relief at 6 h, censored at its last rating, 30 h = 1.25 days.
    # Session 3: one rating, 8: no relief.
    # Median time to relief: plain median of 10 and 6 = 8 hours. Kaplan–Meier over the two
    # with relief, in time order: 1.25 censored (leaves, 1 still at risk), then the loss at
    # 1.4167 with 1 at risk: share 0 ≤ 0.5, so the median is day 1.4167 (34 h).
    gap = 16 * 24
    ratings = checkins(
        (10, 4), (34, 7), (58, 8),
        (gap + 6, 3), (gap + 30, 3),
        (2 * gap + 5, 8),
    )  # fmt: skip
    sessions = [session(0, anxiety_before=8), session(gap, anxiety_before=8)]
    sessions.append(session(2 * gap, anxiety_before=8))
    got = analyse(sessions, ratings)
    assert got.median_hours_to_relief == 8
    assert got.held.reached and got.held.days == pytest.approx(34 / 24)
    assert (got.held.censored, got.sessions_with_relief, got.sessions_analysed) == (1, 2, 3)
    assert [s.series for s in got.per_session] == ["first", "booster", "booster"]


# -- real elapsed time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "rated", "hours"),
    [
        # Europe/Berlin springs forward on 29 March 2026 at 02:00 → 03:00: 20:00 to 08:00
        # is 12 wall-clock hours but 11 real ones.
        ("Europe/Berlin", "2026-03-28T20:00", "2026-03-29T08:00", 11),
        # …and falls back on 25 October 2026 at 03:00 → 02:00: 13 real hours.
        ("Europe/Berlin", "2026-10-24T20:00", "2026-10-25T08:00", 13),
        # America/New_York: 8 March 2026 (spring) and 1 November 2026 (autumn).
        ("America/New_York", "2026-03-07T20:00", "2026-03-08T08:00", 11),
        ("America/New_York", "2026-10-31T20:00", "2026-11-01T08:00", 13),
        # Offsets written in `at` are used as written, whatever the journal's zone:
        # 20:00+01:00 is 19:00 UTC, 08:00+02:00 is 06:00 UTC: 11 hours.
        ("America/New_York", "2026-03-28T20:00+01:00", "2026-03-29T08:00+02:00", 11),
        ("UTC", "2026-10-24T20:00+02:00", "2026-10-25T08:00+01:00", 13),
        # One with and one without: 20:00 in Berlin (CET, 19:00 UTC) to 08:00+02:00
        # (06:00 UTC): 11 hours.
        ("Europe/Berlin", "2026-03-28T20:00", "2026-03-29T08:00+02:00", 11),
        # New York 20:00 EDT on 31 October is 00:00 UTC; 08:00-05:00 is 13:00 UTC: 13 h.
        ("America/New_York", "2026-10-31T20:00", "2026-11-01T08:00-05:00", 13),
        # No clock change: 12 hours.
        ("Europe/Berlin", "2026-05-02T20:00", "2026-05-03T08:00", 12),
    ],
)
def test_hours_are_real_time_across_clock_changes(
    zone: str, start: str, rated: str, hours: float
) -> None:
    s = TreatmentSession(at=parse_at(start), route="iv", anxiety_before=8)
    c = Checkin(at=parse_at(rated), anxiety=3)
    got = analyse_relief([s], [c], ZoneInfo(zone), LATER).per_session[0]
    assert got.hours_to_relief == pytest.approx(hours)


def test_a_night_across_the_change_decides_relief_at_24_hours() -> None:
    # Berlin, autumn: session 24 October 2026 10:00; a rating 25 October 10:00 is 25 real
    # hours later, one 25 October 08:00 is 23 real hours: both 1 h from 24 h, a tie,
    # and the earlier (08:00, relief) decides. On wall clocks they would be 22 h and 24 h.
    s = TreatmentSession(at=parse_at("2026-10-24T10:00"), route="iv", anxiety_before=10)
    ratings = [
        Checkin(at=parse_at("2026-10-25T08:00"), anxiety=6),
        Checkin(at=parse_at("2026-10-25T10:00"), anxiety=9),
    ]
    got = analyse_relief([s], ratings, ZoneInfo("Europe/Berlin"), LATER).per_session[0]
    assert [h for h, _ in got.ratings] == [pytest.approx(23), pytest.approx(25)]
    assert got.relief_at_24h is True


# -- the JSON block --------------------------------------------------------------------------


def test_the_json_block_has_the_documented_fields() -> None:
    got = analyse([session(anxiety_before=8, anxiety_after=2)], checkins((10, 4), (34, 3)))
    block = got.to_json()
    assert {
        "sessions_analysed",
        "acute",
        "sessions_with_relief",
        "median_hours_to_relief",
        "relief_at_24h",
        "relief_lost",
        "per_session",
    } <= set(block)
    assert block["relief_lost"] == {
        "median_days": None,
        "median_reached": False,
        "censored": 1,
        "method": "kaplan-meier",
        "more_than_days": 1.42,
    }
    row = block["per_session"][0]
    assert {
        "session_at": "2026-03-04T10:00",
        "number": 1,
        "series": "first",
        "route": "iv",
        "pre_level": 8,
        "pre_level_source": "anxiety_before",
        "analysable": True,
        "reason": None,
        "acute_after": 2,
        "acute_relief": True,
        "hours_to_relief": 10.0,
        "relief_at_24h": True,
        "relief_lost_after_days": 1.42,
        "censored": True,
    }.items() <= row.items()


# -- the Kaplan–Meier median, as a property ---------------------------------------------------

durations = st.lists(
    st.integers(min_value=1, max_value=400).map(lambda n: n / 8), min_size=1, max_size=25
)


@given(durations)
def test_with_nothing_censored_the_kaplan_meier_median_is_the_plain_median(
    days: list[float],
) -> None:
    got = kaplan_meier_median([(d, True) for d in days])
    assert got.reached and got.censored == 0
    assert got.days == pytest.approx(statistics.median(days))


@given(durations, st.data())
def test_censoring_never_lowers_the_median(days: list[float], data: st.DataObject) -> None:
    censored = data.draw(st.lists(st.booleans(), min_size=len(days), max_size=len(days)))
    plain = kaplan_meier_median([(d, True) for d in days])
    with_censoring = kaplan_meier_median([(d, not c) for d, c in zip(days, censored, strict=True)])
    assert plain.days is not None
    if with_censoring.reached:
        assert with_censoring.days is not None
        assert with_censoring.days >= plain.days - 1e-9
