"""What the Relief view and the PDF say about relief after sessions, in the same words.

Plain Python (no matplotlib, no Qt): the headline, the per-session table and the course
chart's data come from here, so the app and the PDF cannot drift apart. Numbers and
durations are worded by tracker.formatting.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tracker.domain.entries import ROUTE_LABELS
from tracker.domain.onset import (
    NO_RATINGS,
    NO_RELIEF,
    NO_RELIEF_YET,
    NOT_ANALYSED,
    SERIES_FIRST,
    SOURCE_BEFORE,
    SOURCE_LAST,
    SOURCE_MEAN,
    TOO_EARLY,
    ReliefAnalysis,
    SessionRelief,
)
from tracker.domain.thresholds import RELIEF_AT_HOURS, RELIEF_FRACTION, RELIEF_MIN_PRE_LEVEL
from tracker.formatting import (
    at_least_days,
    date_time,
    day_after,
    days_or_hours,
    hours_text,
    number,
    plural,
)

RELIEF_HEADINGS = (
    "No.",
    "Session",
    "Series",
    "Before",
    "Acute (in clinic)",
    "Time to relief",
    f"At {RELIEF_AT_HOURS} h",
    "Held until",
)
SERIES_WORDS = {SERIES_FIRST: "first series", "booster": "booster"}
SOURCE_WORDS = {
    SOURCE_BEFORE: "own rating",
    SOURCE_LAST: "check-in",
    SOURCE_MEAN: "mean of check-ins",
}
STILL = "still in relief"


def _relief_words() -> str:
    return f"an anxiety rating at least {int(RELIEF_FRACTION * 100)}% below the level before"


def headline(analysis: ReliefAnalysis) -> str:
    """The answer in one sentence a patient understands, and a second when a session is
    too recent to tell."""
    sessions = analysis.per_session
    if not sessions:
        return "No sessions recorded yet, so there is no relief to show."
    early = _too_early_sentence(analysis)
    with_relief = analysis.sessions_with_relief
    if not with_relief:
        analysed = analysis.sessions_analysed
        if analysed:
            text = (
                f"None of the {plural(analysed, 'analysed session')} brought relief "
                f"({_relief_words()})."
                if analysed > 1
                else f"The one analysed session brought no relief ({_relief_words()})."
            )
        elif early:
            return early
        else:
            text = (
                "No session could be analysed yet: each needs an anxiety rating before it "
                f"of at least {RELIEF_MIN_PRE_LEVEL} and ratings after it."
            )
        return f"{text} {early}".strip()
    assert analysis.median_hours_to_relief is not None
    text = f"Relief came within a median of {hours_text(analysis.median_hours_to_relief)}"
    held = analysis.held
    if held.reached and held.days is not None:
        text += f" and held until a median of {day_after(held.days)}"
    elif held.more_than_days is not None:
        text += (
            "; the median day it held until is not reached "
            f"(more than {days_or_hours(held.more_than_days)})"
        )
    still = analysis.still_in_relief
    if still:
        text += f"; {plural(still, 'session')} still in relief"
    return f"{text}. {early}".strip()


def _too_early_sentence(analysis: ReliefAnalysis) -> str:
    early = analysis.too_early
    if not early:
        return ""
    if len(early) == 1:
        return (
            f"The session of {date_time(early[0].session_at)} is too early to tell: "
            "no anxiety rating since it yet."
        )
    return f"{len(early)} sessions are too early to tell: no anxiety rating since them yet."


def counts(analysis: ReliefAnalysis) -> str:
    """The counts behind the headline, always with how many sessions were censored."""
    sessions = analysis.per_session
    if not sessions:
        return ""
    analysed = analysis.sessions_analysed
    parts = [
        f"{analysed} of {plural(len(sessions), 'session')} analysed; "
        f"{analysis.sessions_with_relief} brought relief ({_relief_words()})"
    ]
    if analysis.sessions_with_relief:
        parts.append(
            f"{plural(analysis.held.censored, 'session')} still in relief when "
            "their ratings ended (censored)"
        )
    at_24h = [s for s in sessions if s.relief_at_24h is not None]
    if at_24h:
        yes = sum(1 for s in at_24h if s.relief_at_24h)
        parts.append(f"relief at {RELIEF_AT_HOURS} hours in {yes} of {len(at_24h)} known")
    acute = [s for s in sessions if s.acute_relief is not None]
    if acute:
        yes = sum(1 for s in acute if s.acute_relief)
        parts.append(f"relief right after, in the clinic, in {yes} of {len(acute)}")
    text = "; ".join(parts) + "."
    skipped = Counter(_reason_short(s) for s in sessions if s.status == NOT_ANALYSED)
    skipped.update(_reason_short(s) for s in sessions if s.status == NO_RATINGS)
    if skipped:
        text += " Not analysed: " + "; ".join(f"{r} ({n})" for r, n in skipped.items()) + "."
    return text


def _reason_short(one: SessionRelief) -> str:
    if one.status == NO_RATINGS:
        return "no rating after the session"
    if one.pre_level is None:
        return "no rating before the session"
    return f"level before below {RELIEF_MIN_PRE_LEVEL}"


def level_text(one: SessionRelief) -> str:
    if one.pre_level is None:
        return "—"
    return f"{number(float(one.pre_level), 1)} ({SOURCE_WORDS.get(one.pre_level_source, '')})"


def acute_text(one: SessionRelief) -> str:
    """'8 → 2, relief'; '—' when no rating right after was recorded."""
    if one.acute_after is None or one.pre_level is None:
        return "—"
    text = f"{number(float(one.pre_level), 1)} → {one.acute_after}"
    if one.acute_relief is None:
        return text
    return f"{text}, {'relief' if one.acute_relief else 'no relief'}"


def time_to_relief_text(one: SessionRelief) -> str:
    if one.status == NOT_ANALYSED:
        return f"not analysed: {one.reason}"
    if one.status == TOO_EARLY:
        return "too early to tell"
    if one.status == NO_RATINGS:
        return "no rating after it"
    if one.status == NO_RELIEF_YET:
        return "no relief yet"
    if one.status == NO_RELIEF or one.hours_to_relief is None:
        return "no relief"
    return hours_text(one.hours_to_relief)


def at_24h_text(one: SessionRelief) -> str:
    if one.relief_at_24h is None:
        return "—" if one.status in (NOT_ANALYSED, TOO_EARLY) else "not known"
    return "relief" if one.relief_at_24h else "no relief"


def held_until_text(one: SessionRelief) -> str:
    """'day 4.5'; '≥ 2.5 days (still in relief)' for a censored session; '—' otherwise."""
    if one.relief_lost_after_days is None:
        return "—"
    if one.censored:
        return f"{at_least_days(one.relief_lost_after_days)} ({STILL})"
    return day_after(one.relief_lost_after_days)


def session_row(one: SessionRelief) -> list[str]:
    """One row under RELIEF_HEADINGS."""
    return [
        str(one.number),
        f"{date_time(one.session_at)}, {ROUTE_LABELS.get(one.route, one.route).lower()}",
        SERIES_WORDS.get(one.series, one.series),
        level_text(one),
        acute_text(one),
        time_to_relief_text(one),
        at_24h_text(one),
        held_until_text(one),
    ]


def session_hover(one: SessionRelief) -> str:
    """What a point of the course chart says when pointed at."""
    row = session_row(one)
    return (
        f"Session {row[0]} ({row[2]}), {row[1]}\n"
        f"Acute: {row[4]}\nTime to relief: {row[5]}\n"
        f"At {RELIEF_AT_HOURS} h: {row[6]}\nHeld until: {row[7]}"
    )


@dataclass(frozen=True)
class CoursePoint:
    """One session on the course chart: its number and days until relief was lost."""

    number: int
    series: str
    days: float | None  # None: no relief, or nothing to show
    censored: bool
    status: str


def course_points(analysis: ReliefAnalysis) -> list[CoursePoint]:
    return [
        CoursePoint(s.number, s.series, s.relief_lost_after_days, s.censored, s.status)
        for s in analysis.per_session
    ]


def describe_course(analysis: ReliefAnalysis) -> str:
    """The course chart in words, for screen readers and the text under the chart."""
    points = [p for p in course_points(analysis) if p.days is not None]
    if not points:
        return "No session has a day until which relief held yet."
    words = ", ".join(
        f"{p.number}: {'≥ ' if p.censored else ''}{day_after(p.days or 0.0)}" for p in points
    )
    return f"Day until which relief held, by session number: {words}."
