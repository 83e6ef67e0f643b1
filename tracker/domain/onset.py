"""How fast relief came after each session, and how long it held.

The method of clinical-reference.md, "Relief after a session: the method". Pure domain
code (no Qt, no SQL): the Charts page, the PDF and `summary --json` all draw on these
numbers, and every threshold is a named constant of `tracker.domain.thresholds`.

Times are real elapsed time: an entry's `at` with a UTC offset is converted with it, one
without is read in the journal's time zone (`tracker.domain.times.instant`).
"""

from __future__ import annotations

import bisect
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Any

from tracker.domain.entries import Checkin, TreatmentSession
from tracker.domain.thresholds import (
    FIRST_SERIES_GAP_DAYS,
    MEDIAN_SHARE,
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
from tracker.domain.times import day_of, format_at, instant

SOURCE_BEFORE = "anxiety_before"
SOURCE_LAST = f"check-in within {PRE_LEVEL_LAST_HOURS} h"
SOURCE_MEAN = f"mean of check-ins within {PRE_LEVEL_MEAN_HOURS} h"
SOURCE_NONE = "none"

SERIES_FIRST = "first"
SERIES_BOOSTER = "booster"

# What became of one session, in the order a reader meets them.
NOT_ANALYSED = "not_analysed"  # no usable pre-session level
TOO_EARLY = "too_early"  # no rating since the session yet, and more may come
NO_RATINGS = "no_ratings"  # its window ended with no rating in it
NO_RELIEF = "no_relief"  # ratings in a closed window, none of them relief
NO_RELIEF_YET = "no_relief_yet"  # ratings so far, none relief, the window still open
RELIEF_LOST = "relief_lost"
STILL_IN_RELIEF = "still_in_relief"  # censored at its last relief rating
ANALYSED = (NO_RELIEF, NO_RELIEF_YET, RELIEF_LOST, STILL_IN_RELIEF)

REASON_NO_LEVEL = (
    "no anxiety rating before the session (no 'anxiety right before', "
    f"no check-in in the {PRE_LEVEL_MEAN_HOURS} h before it)"
)
REASON_TOO_EARLY = "too early to tell: no anxiety rating since the session yet"
REASON_NO_RATINGS = (
    f"no anxiety rating after the session, before the next one or {RELIEF_WINDOW_DAYS} days"
)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


@dataclass(frozen=True)
class SessionRelief:
    """One session: its level before, the acute rating, and what the ratings after it did."""

    session_at: datetime
    number: int
    series: str
    route: str
    pre_level: Fraction | None
    pre_level_source: str
    status: str
    reason: str | None = None
    acute_after: int | None = None
    acute_relief: bool | None = None
    hours_to_relief: float | None = None
    relief_at_24h: bool | None = None
    # Days from the start to the rating where relief was lost; for a censored session, to
    # its last relief rating (a lower bound).
    relief_lost_after_days: float | None = None
    censored: bool = False
    # (hours since the start, rating) of every rating counted, in time order.
    ratings: tuple[tuple[float, int], ...] = ()
    session_id: int | None = None

    @property
    def analysable(self) -> bool:
        """It has a level before and ratings after: its figures say something."""
        return self.status in ANALYSED

    @property
    def had_relief(self) -> bool:
        return self.hours_to_relief is not None

    @property
    def limit(self) -> Fraction | None:
        return None if self.pre_level is None else relief_limit(self.pre_level)

    def to_json(self) -> dict[str, Any]:
        """One row of the `per_session` list of `summary --json` (version 2)."""
        level = self.pre_level
        return {
            "session_at": format_at(self.session_at),
            "number": self.number,
            "series": self.series,
            "route": self.route,
            "pre_level": None
            if level is None
            else (int(level) if level.denominator == 1 else _round(float(level))),
            "pre_level_source": self.pre_level_source,
            "analysable": self.analysable,
            "reason": self.reason,
            "status": self.status,
            "acute_after": self.acute_after,
            "acute_relief": self.acute_relief,
            "hours_to_relief": _round(self.hours_to_relief),
            "relief_at_24h": self.relief_at_24h,
            "relief_lost_after_days": _round(self.relief_lost_after_days),
            "censored": self.censored,
        }


@dataclass(frozen=True)
class MedianEstimate:
    """The Kaplan–Meier median of days until relief was lost."""

    days: float | None  # None when not reached
    reached: bool
    censored: int
    sessions: int
    # When not reached: the longest time observed (the median is beyond it).
    more_than_days: float | None = None


@dataclass(frozen=True)
class ReliefAnalysis:
    """Every session's relief, and what they say together."""

    per_session: list[SessionRelief]
    median_hours_to_relief: float | None
    held: MedianEstimate
    # Kaplan–Meier steps: (days, share still in relief) after each time with a loss.
    survival: list[tuple[float, float]] = field(default_factory=list)

    @property
    def sessions_analysed(self) -> int:
        return sum(1 for s in self.per_session if s.analysable)

    @property
    def sessions_with_relief(self) -> int:
        return sum(1 for s in self.per_session if s.had_relief)

    @property
    def still_in_relief(self) -> int:
        return sum(1 for s in self.per_session if s.censored)

    @property
    def too_early(self) -> list[SessionRelief]:
        return [s for s in self.per_session if s.status == TOO_EARLY]

    def only(self, sessions: Sequence[SessionRelief]) -> ReliefAnalysis:
        """The same analysis over some of its sessions (a report's period)."""
        return summarise(list(sessions))

    def to_json(self) -> dict[str, Any]:
        """The `onset` block of `summary --json` version 2 (journal-format.md)."""
        rated = [s for s in self.per_session if s.acute_relief is not None]
        at_24h = [s for s in self.per_session if s.relief_at_24h is not None]
        return {
            "sessions_analysed": self.sessions_analysed,
            "acute": {
                "sessions_with_rating": len(rated),
                "with_relief": sum(1 for s in rated if s.acute_relief),
            },
            "sessions_with_relief": self.sessions_with_relief,
            "median_hours_to_relief": _round(self.median_hours_to_relief),
            "relief_at_24h": {
                "known": len(at_24h),
                "with_relief": sum(1 for s in at_24h if s.relief_at_24h),
            },
            "relief_lost": {
                "median_days": _round(self.held.days),
                "median_reached": self.held.reached,
                "censored": self.held.censored,
                "method": "kaplan-meier",
                "more_than_days": _round(self.held.more_than_days),
            },
            "too_early": len(self.too_early),
            "per_session": [s.to_json() for s in self.per_session],
        }


def relief_limit(pre_level: float | Fraction) -> Fraction:
    """L: the highest rating that still counts as relief for this pre-session level."""
    return Fraction(pre_level) * (1 - RELIEF_FRACTION)


def is_relief(rating: float | Fraction, pre_level: float | Fraction) -> bool:
    """At or below L; exactly 30% below counts."""
    return Fraction(rating) <= relief_limit(pre_level)


def pre_session_level(
    anxiety_before: int | None, before: Sequence[tuple[float, int]]
) -> tuple[Fraction | None, str]:
    """P and where it came from.

    `before` holds (hours before the start, rating) of check-ins before it, nearest last.
    """
    if anxiety_before is not None:
        return Fraction(anxiety_before), SOURCE_BEFORE
    recent = [a for h, a in before if 0 < h <= PRE_LEVEL_LAST_HOURS]
    if recent:
        return Fraction(recent[-1]), SOURCE_LAST
    nearby = [a for h, a in before if 0 < h <= PRE_LEVEL_MEAN_HOURS]
    if nearby:
        return Fraction(sum(nearby), len(nearby)), SOURCE_MEAN
    return None, SOURCE_NONE


def kaplan_meier(times: Sequence[tuple[float, bool]]) -> list[tuple[float, float]]:
    """The share still in relief after each time with a loss: (time, share).

    `times` holds (time, lost) per session; lost False is censored. A session censored at
    the time of a loss is still at risk at that time (the usual convention).
    """
    share = Fraction(1)
    steps: list[tuple[float, float]] = []
    at_risk = len(times)
    for time in sorted({t for t, _ in times}):
        lost = sum(1 for t, was_lost in times if t == time and was_lost)
        leaving = sum(1 for t, _ in times if t == time)
        if lost:
            share *= 1 - Fraction(lost, at_risk)
            steps.append((time, float(share)))
        at_risk -= leaving
    return steps


def kaplan_meier_median(times: Sequence[tuple[float, bool]]) -> MedianEstimate:
    """The first time the estimated share still in relief is at or below one half.

    Where the curve sits at exactly one half, the median is the middle of that flat stretch:
    half-way to the next loss, or to the last time observed when no loss follows. With
    nothing censored this is the plain median.
    """
    censored = sum(1 for _, lost in times if not lost)
    if not times:
        return MedianEstimate(None, False, 0, 0)
    share = Fraction(1)
    at_risk = len(times)
    ordered = sorted({t for t, _ in times})
    last = ordered[-1]
    exactly_half_at: float | None = None
    for time in ordered:
        lost = sum(1 for t, was_lost in times if t == time and was_lost)
        leaving = sum(1 for t, _ in times if t == time)
        if lost:
            share *= 1 - Fraction(lost, at_risk)
            if exactly_half_at is not None:
                return MedianEstimate((exactly_half_at + time) / 2, True, censored, len(times))
            if share < MEDIAN_SHARE:
                return MedianEstimate(time, True, censored, len(times))
            if share == MEDIAN_SHARE:
                exactly_half_at = time
        at_risk -= leaving
    if exactly_half_at is not None:
        return MedianEstimate((exactly_half_at + last) / 2, True, censored, len(times))
    return MedianEstimate(None, False, censored, len(times), more_than_days=last)


def _series(sessions: Sequence[TreatmentSession]) -> list[str]:
    """First series while each session starts within FIRST_SERIES_GAP_DAYS calendar days
    of the one before (calendar days, so a weekly session stays weekly across a clock
    change); every session after the first longer gap is a booster."""
    out: list[str] = []
    previous = None
    boosters = False
    for session in sessions:
        day = day_of(session.at)
        if previous is not None and (day - previous).days > FIRST_SERIES_GAP_DAYS:
            boosters = True
        out.append(SERIES_BOOSTER if boosters else SERIES_FIRST)
        previous = day
    return out


def analyse_relief(
    sessions: Sequence[TreatmentSession],
    checkins: Sequence[Checkin],
    zone: tzinfo | None,
    now: datetime | None = None,
) -> ReliefAnalysis:
    """Relief after every session, in time order and numbered from 1.

    `zone` reads the times written without an offset (None: the machine's local time);
    `now` (default: the real now) tells a window that may still get ratings from one that
    has ended.
    """
    moment = instant(now, zone) if now is not None else datetime.now(UTC)
    placed = sorted(((instant(s.at, zone), s) for s in sessions), key=lambda p: p[0])
    rated = sorted((instant(c.at, zone), c.anxiety) for c in checkins)
    times = [t for t, _ in rated]
    series = _series([s for _, s in placed])
    per_session = []
    for index, (start, session) in enumerate(placed):
        next_start = placed[index + 1][0] if index + 1 < len(placed) else None
        per_session.append(
            _one_session(session, index + 1, series[index], start, next_start, rated, times, moment)
        )
    return summarise(per_session)


def summarise(per_session: list[SessionRelief]) -> ReliefAnalysis:
    """The figures across sessions: plain median time to relief, Kaplan–Meier median day."""
    hours = [s.hours_to_relief for s in per_session if s.hours_to_relief is not None]
    held = [
        (s.relief_lost_after_days, not s.censored)
        for s in per_session
        if s.had_relief and s.relief_lost_after_days is not None
    ]
    return ReliefAnalysis(
        per_session=per_session,
        median_hours_to_relief=statistics.median(hours) if hours else None,
        held=kaplan_meier_median(held),
        survival=kaplan_meier(held),
    )


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _shift(at: datetime, delta: timedelta) -> datetime:
    """`at` moved by `delta`, stopping at the ends of the calendar (year 1, year 9999)."""
    try:
        return at + delta
    except OverflowError:
        return (
            datetime.max.replace(tzinfo=UTC)
            if delta > timedelta(0)
            else datetime.min.replace(tzinfo=UTC)
        )


def _one_session(
    session: TreatmentSession,
    number: int,
    series: str,
    start: datetime,
    next_start: datetime | None,
    rated: Sequence[tuple[datetime, int]],
    times: Sequence[datetime],
    now: datetime,
) -> SessionRelief:
    first_before = bisect.bisect_left(times, _shift(start, -timedelta(hours=PRE_LEVEL_MEAN_HOURS)))
    at_start = bisect.bisect_left(times, start)
    before = [(_hours(start - t), a) for t, a in rated[first_before:at_start]]
    pre, source = pre_session_level(session.anxiety_before, before)
    common: dict[str, Any] = {
        "session_at": session.at,
        "number": number,
        "series": series,
        "route": session.route,
        "session_id": session.id,
        "pre_level": pre,
        "pre_level_source": source,
        "acute_after": session.anxiety_after,
    }
    if pre is None:
        return SessionRelief(status=NOT_ANALYSED, reason=REASON_NO_LEVEL, **common)
    if pre < RELIEF_MIN_PRE_LEVEL:
        reason = f"pre-session level {_level(pre)} is below {RELIEF_MIN_PRE_LEVEL}"
        return SessionRelief(status=NOT_ANALYSED, reason=reason, **common)
    limit = relief_limit(pre)
    if session.anxiety_after is not None:
        common["acute_relief"] = session.anxiety_after <= limit

    end = _shift(start, timedelta(minutes=session.duration_min or 0))
    window_end = _shift(start, timedelta(days=RELIEF_WINDOW_DAYS))
    if next_start is not None and next_start > start:
        window_end = min(window_end, next_start)
    window_open = now < window_end
    first = bisect.bisect_right(times, end)
    last = bisect.bisect_left(times, window_end)
    after = [(_hours(t - start), a) for t, a in rated[first:last]]
    common["ratings"] = tuple(after)
    if not after:
        if window_open:
            return SessionRelief(status=TOO_EARLY, reason=REASON_TOO_EARLY, **common)
        return SessionRelief(status=NO_RATINGS, reason=REASON_NO_RATINGS, **common)

    common["relief_at_24h"] = _relief_at_24h(after, limit)
    first_relief = next((i for i, (_, a) in enumerate(after) if a <= limit), None)
    if first_relief is None:
        return SessionRelief(status=NO_RELIEF_YET if window_open else NO_RELIEF, **common)
    common["hours_to_relief"] = after[first_relief][0]
    lost_at = _relief_lost(after, first_relief, limit)
    if lost_at is not None:
        return SessionRelief(
            status=RELIEF_LOST, relief_lost_after_days=after[lost_at][0] / 24, **common
        )
    # No loss: the last rating counted is a relief rating (a last one above the limit
    # would have been a loss), and relief held at least until then.
    return SessionRelief(
        status=STILL_IN_RELIEF, relief_lost_after_days=after[-1][0] / 24, censored=True, **common
    )


def _relief_at_24h(after: Sequence[tuple[float, int]], limit: Fraction) -> bool | None:
    """The rating nearest RELIEF_AT_HOURS among those in the span; the earlier on a tie."""
    span = [(h, a) for h, a in after if RELIEF_AT_FROM_HOURS <= h <= RELIEF_AT_TO_HOURS]
    if not span:
        return None
    _, rating = min(span, key=lambda r: (abs(r[0] - RELIEF_AT_HOURS), r[0]))
    return rating <= limit


def _relief_lost(
    after: Sequence[tuple[float, int]], first_relief: int, limit: Fraction
) -> int | None:
    """Index of the rating where relief was lost: the first above the limit followed by
    RELIEF_LOST_AFTER_RATINGS - 1 more above it, or one above it that the window ends on."""
    for i in range(first_relief + 1, len(after)):
        following = after[i : i + RELIEF_LOST_AFTER_RATINGS]
        if all(a > limit for _, a in following):
            return i
    return None


def _level(level: Fraction) -> str:
    return str(int(level)) if level.denominator == 1 else f"{float(level):.1f}"
