"""Other medicines around the sessions, and the plan of sessions to come.

Recorded, never advised: this module answers which classes of medicine were taken in the
24 hours before a session (clinical-reference.md, "Other medicines") and whether a
planned session was held, is still ahead, or was missed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from tracker.domain.entries import (
    MEDICATION_CLASSES,
    Medication,
    MedicationDose,
    PlannedSession,
    TreatmentSession,
)
from tracker.domain.errors import Problem
from tracker.domain.times import day_of, elapsed_hours, wall_clock

# The span before a session in which a medicine taken counts (the REMS form asks about
# current use at each session; the journal shows the day before it).
WINDOW = timedelta(hours=24)
# Wall-clock times may differ from real ones by an offset written with an entry (up to
# 26 h apart between zones) or a clock change; candidates are taken this much wider.
_MARGIN = timedelta(hours=27)


def _ordered(classes: Iterable[str]) -> tuple[str, ...]:
    found = set(classes)
    return tuple(c for c in MEDICATION_CLASSES if c in found)


def classes_before(
    session_at: datetime,
    medicines: Sequence[Medication],
    doses: Sequence[MedicationDose],
    zone: tzinfo | None = None,
) -> tuple[str, ...]:
    """The classes taken in the 24 h before a session starts, in the reference's order.

    A regular medicine counts when its period holds the session's day; a dose counts by
    its own time, when it lies in the 24 real hours up to the start (read in the journal's
    time zone `zone`, so a night across a clock change is an hour shorter or longer; a
    dose at the start itself counts, one exactly 24 h before counts too).
    """
    day = wall_clock(session_at).date()
    found = [m.medication_class for m in medicines if m.schedule == "regular" and m.active_on(day)]
    limit = WINDOW.total_seconds() / 3600
    for dose in doses:
        if 0 <= elapsed_hours(dose.at, session_at, zone) <= limit:
            medicine = dose.taken_of(medicines)
            if medicine is not None:
                found.append(medicine.medication_class)
    return _ordered(found)


def classes_by_session(
    sessions: Sequence[TreatmentSession],
    medicines: Sequence[Medication],
    doses: Sequence[MedicationDose],
    zone: tzinfo | None = None,
) -> list[tuple[str, ...]]:
    """`classes_before` for each session, in the sessions' order, without rescanning doses:
    only the doses within a day and a margin (offsets, clock changes) on the wall clock are
    looked at, then judged in real time."""
    ordered_doses = sorted(doses, key=lambda d: wall_clock(d.at))
    times = [wall_clock(d.at) for d in ordered_doses]
    out = []
    for session in sessions:
        start = wall_clock(session.at)
        low = bisect_left(times, start - WINDOW - _MARGIN)
        high = bisect_right(times, start + _MARGIN)
        out.append(classes_before(session.at, medicines, ordered_doses[low:high], zone))
    return out


def overlap_problems(
    placed: Sequence[tuple[str, Medication]], stored: Sequence[Medication] = ()
) -> list[Problem]:
    """Two periods of one medicine (by name, any case) that share a day.

    `placed` are new medicines with their places; `stored` those already in the journal.
    A new medicine identical to a stored one is the same medicine (an import run twice).
    """
    problems: list[Problem] = []
    seen: list[tuple[str, Medication]] = []
    for place, medicine in placed:
        for other_place, other in seen:
            if medicine.overlaps(other) and medicine.values() != other.values():
                problems.append(
                    Problem(
                        f"{place}.started",
                        f"{medicine.name} {medicine.period_text()} overlaps {other_place} "
                        f"({other.name} {other.period_text()})",
                    )
                )
                break
        else:
            for other in stored:
                if medicine.overlaps(other) and medicine.id != other.id:
                    if medicine.values() == other.values():
                        continue
                    problems.append(
                        Problem(
                            f"{place}.started" if place else "started",
                            f"{medicine.name} {medicine.period_text()} overlaps "
                            f"{other.name} {other.period_text()} already in the journal",
                        )
                    )
                    break
        seen.append((place, medicine))
    return problems


PlanState = Literal["done", "ahead", "missed", "dismissed"]


@dataclass(frozen=True)
class PlanView:
    plan: PlannedSession
    state: PlanState
    session: TreatmentSession | None = None


def plan_states(
    plans: Sequence[PlannedSession], sessions: Sequence[TreatmentSession], now: datetime
) -> list[PlanView]:
    """Each plan with its state: done when a session was logged on its day; ahead until
    its day has passed; then missed, until the patient dismisses it."""
    by_day: dict[date, TreatmentSession] = {}
    for session in sessions:
        by_day.setdefault(day_of(session.at), session)
    today = wall_clock(now).date()
    out = []
    for plan in plans:
        day = day_of(plan.at)
        held = by_day.get(day)
        if held is not None:
            out.append(PlanView(plan, "done", held))
        elif day >= today:
            out.append(PlanView(plan, "ahead"))
        elif plan.dismissed:
            out.append(PlanView(plan, "dismissed"))
        else:
            out.append(PlanView(plan, "missed"))
    return out


def next_plan(views: Sequence[PlanView]) -> PlanView | None:
    """The next planned session not yet held: today's or a later one, earliest first."""
    ahead = [v for v in views if v.state == "ahead"]
    return min(ahead, key=lambda v: wall_clock(v.plan.at), default=None)


def doses_per_week(
    doses: Sequence[MedicationDose], start: date, end: date
) -> list[tuple[date, int]]:
    """As-needed doses counted per week (weeks starting on `start`), for the PDF."""
    weeks: list[tuple[date, int]] = []
    first = start
    while first <= end:
        last = min(first + timedelta(days=6), end)
        count = sum(1 for d in doses if first <= day_of(d.at) <= last)
        weeks.append((first, count))
        first += timedelta(days=7)
    return weeks
