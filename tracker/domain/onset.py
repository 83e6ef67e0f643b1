"""How fast relief came after each session, and how long it lasted.

Pure domain code (no Qt, no SQL): the Charts view, the PDF and `summary --json` all draw
on the same numbers. The rules and their thresholds are those of
`tracker.domain.thresholds` (RELIEF_* and PRE_LEVEL_*), so every face shows the same ones.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from tracker.domain.entries import Checkin, TreatmentSession
from tracker.domain.thresholds import (
    PRE_LEVEL_LAST_HOURS,
    PRE_LEVEL_MEAN_HOURS,
    RELIEF_FRACTION,
    RELIEF_MIN_PRE_LEVEL,
    RELIEF_WINDOW_DAYS,
)
from tracker.domain.times import format_at, wall_clock

SOURCE_BEFORE = "anxiety_before"
SOURCE_LAST = f"check-in within {PRE_LEVEL_LAST_HOURS} h"
SOURCE_MEAN = f"mean of check-ins within {PRE_LEVEL_MEAN_HOURS} h"
SOURCE_NONE = "none"

# Times (hours since the start) at which the median curve is read: log-spaced, 15 min–14 d.
_MEDIAN_GRID_STEPS = 48
_MEDIAN_GRID_FIRST_HOURS = 0.25
# The median curve is drawn only where at least this many sessions have a reading.
_MEDIAN_MIN_SESSIONS = 2


@dataclass(frozen=True)
class SessionOnset:
    """One session's pre-session level and what its anxiety ratings did afterwards."""

    session_at: datetime
    route: str
    pre_level: float | None
    pre_level_source: str
    analysable: bool
    reason: str | None = None
    hours_to_relief: float | None = None
    relief_ended_after_days: float | None = None
    open_ended: bool = False
    # (hours since the session's start, rating relative to the pre-level: -0.3 = 30% below)
    curve: list[tuple[float, float]] = field(default_factory=list)
    session_id: int | None = None
    window_days: float = float(RELIEF_WINDOW_DAYS)

    @property
    def had_relief(self) -> bool:
        return self.hours_to_relief is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "session_at": format_at(self.session_at),
            "route": self.route,
            "pre_level": _round(self.pre_level),
            "pre_level_source": self.pre_level_source,
            "analysable": self.analysable,
            "reason": self.reason,
            "hours_to_relief": _round(self.hours_to_relief),
            "relief_ended_after_days": _round(self.relief_ended_after_days),
            "open_ended": self.open_ended,
        }


@dataclass(frozen=True)
class OnsetAnalysis:
    """Every session's onset and durability, and medians over the sessions with relief."""

    per_session: list[SessionOnset]
    sessions_analysed: int
    sessions_with_relief: int
    median_hours_to_relief: float | None
    median_relief_ended_after_days: float | None
    # The median of the analysable sessions' curves, read on a log-spaced time grid.
    median_curve: list[tuple[float, float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `onset` block of `summary --json`."""
        return {
            "sessions_analysed": self.sessions_analysed,
            "sessions_with_relief": self.sessions_with_relief,
            "median_hours_to_relief": _round(self.median_hours_to_relief),
            "median_relief_ended_after_days": _round(self.median_relief_ended_after_days),
            "per_session": [s.to_json() for s in self.per_session],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def relief_limit(pre_level: float | Fraction) -> Fraction:
    """The highest rating that still counts as relief for this pre-session level."""
    return Fraction(pre_level) * (1 - RELIEF_FRACTION)


def is_relief(rating: float | Fraction, pre_level: float | Fraction) -> bool:
    """At least RELIEF_FRACTION below the pre-level; exactly that fraction counts."""
    return Fraction(rating) <= relief_limit(pre_level)


def pre_session_level(
    start: datetime, anxiety_before: int | None, before: Sequence[tuple[datetime, int]]
) -> tuple[Fraction | None, str]:
    """The level a session is measured against, and where it came from.

    `before` holds (time, anxiety) of check-ins earlier than `start`, in time order.
    """
    if anxiety_before is not None:
        return Fraction(anxiety_before), SOURCE_BEFORE
    last_from = start - timedelta(hours=PRE_LEVEL_LAST_HOURS)
    recent = [a for t, a in before if last_from <= t < start]
    if recent:
        return Fraction(recent[-1]), SOURCE_LAST
    mean_from = start - timedelta(hours=PRE_LEVEL_MEAN_HOURS)
    nearby = [a for t, a in before if mean_from <= t < start]
    if nearby:
        return Fraction(sum(nearby), len(nearby)), SOURCE_MEAN
    return None, SOURCE_NONE


def analyse_onset(
    sessions: Sequence[TreatmentSession], checkins: Sequence[Checkin]
) -> OnsetAnalysis:
    """For each session: pre-level, hours to the first relief rating, and when relief ended.

    Ratings are the session's `anxiety_after` (at start + duration, or the start when no
    duration is known) and the check-ins from the start until the next session or
    RELIEF_WINDOW_DAYS. Medians are over the sessions with relief; an open-ended relief
    counts at its last relief rating (a lower bound).
    """
    ordered_sessions = sorted(sessions, key=lambda s: wall_clock(s.at))
    ratings = sorted(((wall_clock(c.at), c.anxiety) for c in checkins), key=lambda r: r[0])
    times = [t for t, _ in ratings]
    per_session: list[SessionOnset] = []
    for index, session in enumerate(ordered_sessions):
        start = wall_clock(session.at)
        window_end = start + timedelta(days=RELIEF_WINDOW_DAYS)
        later = [wall_clock(s.at) for s in ordered_sessions[index + 1 :]]
        later = [t for t in later if t > start]
        if later and later[0] < window_end:
            window_end = later[0]
        per_session.append(_analyse_session(session, start, window_end, ratings, times))
    with_relief = [s for s in per_session if s.had_relief]
    hours = [s.hours_to_relief for s in with_relief if s.hours_to_relief is not None]
    ended = [
        s.relief_ended_after_days for s in with_relief if s.relief_ended_after_days is not None
    ]
    return OnsetAnalysis(
        per_session=per_session,
        sessions_analysed=sum(1 for s in per_session if s.analysable),
        sessions_with_relief=len(with_relief),
        median_hours_to_relief=statistics.median(hours) if hours else None,
        median_relief_ended_after_days=statistics.median(ended) if ended else None,
        median_curve=median_curve([s for s in per_session if s.analysable]),
    )


def _analyse_session(
    session: TreatmentSession,
    start: datetime,
    window_end: datetime,
    ratings: Sequence[tuple[datetime, int]],
    times: Sequence[datetime],
) -> SessionOnset:
    import bisect

    first_before = bisect.bisect_left(times, start - timedelta(hours=PRE_LEVEL_MEAN_HOURS))
    at_start = bisect.bisect_left(times, start)
    pre, source = pre_session_level(start, session.anxiety_before, ratings[first_before:at_start])
    window_days = _hours(window_end - start) / 24
    common: dict[str, Any] = {
        "session_at": session.at,
        "route": session.route,
        "session_id": session.id,
        "window_days": window_days,
        "pre_level": None if pre is None else float(pre),
        "pre_level_source": source,
    }
    if pre is None:
        reason = (
            "no anxiety rating before the session (no 'anxiety before', "
            f"no check-in in the {PRE_LEVEL_MEAN_HOURS} h before it)"
        )
        return SessionOnset(analysable=False, reason=reason, **common)
    if pre < RELIEF_MIN_PRE_LEVEL:
        reason = (
            f"pre-session level {_level_text(pre)} is below {RELIEF_MIN_PRE_LEVEL}, "
            "too low to show relief"
        )
        return SessionOnset(analysable=False, reason=reason, **common)

    after: list[tuple[datetime, int]] = []
    if session.anxiety_after is not None:
        after_at = start + timedelta(minutes=session.duration_min or 0)
        if after_at < window_end:
            after.append((after_at, session.anxiety_after))
    at_end = bisect.bisect_left(times, window_end)
    after.extend(ratings[at_start:at_end])
    after.sort(key=lambda r: r[0])  # stable: anxiety_after first on a tie
    if not after:
        reason = "no anxiety rating after the session, before the next one or 14 days"
        return SessionOnset(analysable=False, reason=reason, **common)

    curve = [(_hours(t - start), float(Fraction(a) / pre - 1)) for t, a in after]
    hours_to_relief: float | None = None
    ended_days: float | None = None
    open_ended = False
    last_relief: datetime | None = None
    for t, a in after:
        relief = is_relief(a, pre)
        if hours_to_relief is None:
            if relief:
                hours_to_relief = _hours(t - start)
                last_relief = t
            continue
        if not relief:
            ended_days = _hours(t - start) / 24
            break
        last_relief = t
    if hours_to_relief is not None and ended_days is None:
        assert last_relief is not None
        ended_days = _hours(last_relief - start) / 24
        open_ended = True
    return SessionOnset(
        analysable=True,
        hours_to_relief=hours_to_relief,
        relief_ended_after_days=ended_days,
        open_ended=open_ended,
        curve=curve,
        **common,
    )


def _level_text(level: Fraction) -> str:
    return str(int(level)) if level.denominator == 1 else f"{float(level):.1f}"


def median_curve(analysed: Sequence[SessionOnset]) -> list[tuple[float, float]]:
    """The median relative rating over time: each curve holds its last reading until its
    window ends; a grid time counts where at least two sessions have a reading."""
    if len(analysed) < _MEDIAN_MIN_SESSIONS:
        return []
    last_hours = RELIEF_WINDOW_DAYS * 24
    ratio = (last_hours / _MEDIAN_GRID_FIRST_HOURS) ** (1 / (_MEDIAN_GRID_STEPS - 1))
    grid = [_MEDIAN_GRID_FIRST_HOURS * ratio**i for i in range(_MEDIAN_GRID_STEPS)]
    out: list[tuple[float, float]] = []
    for hours in grid:
        values = []
        for s in analysed:
            if not s.curve or hours < s.curve[0][0] or hours > s.window_days * 24 + 1e-9:
                continue
            held = [v for h, v in s.curve if h <= hours]
            if held:
                values.append(held[-1])
        if len(values) >= _MEDIAN_MIN_SESSIONS:
            out.append((hours, float(statistics.median(values))))
    return out
