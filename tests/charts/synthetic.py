"""Believable synthetic journals for chart tests: a course of treatment with known shape.

Three weeks of baseline, six IV sessions over three weeks, then boosters every five to
seven weeks (some intranasal later on); daily anxiety falls for a few days after each
session and drifts down over the months; GAD-7 weekly, PHQ-9 fortnightly, side effects
after about half the sessions. Seeded, so every run draws the same pictures.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from tracker.domain.entries import Assessment, Checkin, Entry, SideEffect, TreatmentSession

EFFECTS = ("nausea", "dizziness", "headache", "fatigue", "dissociation", "blurred_vision")


def _answers(total: int, items: int, rng: random.Random, zero_last: bool = False) -> list[int]:
    """Item answers 0–3 adding up to `total` (the last item kept at 0 when asked)."""
    slots = items - 1 if zero_last else items
    total = max(0, min(total, 3 * slots))
    answers = [0] * slots
    for _ in range(total):
        open_items = [i for i, a in enumerate(answers) if a < 3]
        answers[rng.choice(open_items)] += 1
    return answers + ([0] if zero_last else [])


def session_days(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=d) for d in (0, 3, 7, 10, 14, 17)]
    day = days[-1]
    rng = random.Random(7)
    while True:
        day += timedelta(days=rng.randint(35, 49))
        if day > last:
            return days
        days.append(day)


def synthetic_entries(end: date, days: int, seed: int = 1) -> list[Entry]:
    """Entries for the `days` days ending on `end`."""
    rng = random.Random(seed)
    start = end - timedelta(days=days - 1)
    treatment = start + timedelta(days=min(21, days // 6))
    sessions: list[TreatmentSession] = []
    for index, day in enumerate(session_days(treatment, end)):
        route = "intranasal" if index >= 30 and index % 3 == 0 else "iv"
        at = datetime.combine(day, time(10, 0))
        before = rng.randint(5, 8)
        # Some sessions lack the before/after ratings: check-ins stand in for them.
        rated = rng.random() < 0.8
        sessions.append(
            TreatmentSession(
                at=at,
                route=route,
                dose_mg=56.0 if route == "intranasal" else 35.0,
                duration_min=40 if route == "iv" else 120,
                anxiety_before=before if rated else None,
                anxiety_after=max(0, before - rng.randint(1, 5)) if rated else None,
                dissociation=rng.randint(2, 7),
            )
        )
    entries: list[Entry] = list(sessions)
    session_starts = [s.at for s in sessions]
    # How much relief each session brought (some hardly any).
    strength = {s.at: rng.choice((0.3, 2.0, 3.0, 3.5)) for s in sessions}

    def level(at: datetime) -> float:
        """The underlying anxiety at a moment: trend plus relief after the last session."""
        elapsed = (at.date() - treatment).days
        trend = 7.2 if elapsed < 0 else 7.2 - 3.4 * min(1.0, elapsed / 200)
        earlier = [s for s in session_starts if s <= at]
        relief = 0.0
        if earlier:
            since = (at - earlier[-1]).total_seconds() / 86400
            relief = strength[earlier[-1]] * max(0.0, 1 - since / 6)
        return trend - relief

    day = start
    while day <= end:
        for hour in (21,) if rng.random() < 0.9 else (9, 21):
            at = datetime.combine(day, time(hour, rng.randint(0, 59)))
            value = round(level(at) + rng.gauss(0, 1.0))
            if rng.random() < 0.97:
                entries.append(
                    Checkin(
                        at=at,
                        anxiety=max(0, min(10, value)),
                        mood=max(0, min(10, 10 - value + rng.randint(-1, 1))),
                    )
                )
        if (day - start).days % 7 == 0:
            at = datetime.combine(day, time(9, 0))
            total = round(level(at) * 2.2 + rng.gauss(0, 1.5))
            entries.append(Assessment("GAD-7", at, tuple(_answers(total, 7, rng))))
        if (day - start).days % 14 == 3:
            at = datetime.combine(day, time(9, 30))
            total = round(level(at) * 1.9 + rng.gauss(0, 1.5))
            entries.append(Assessment("PHQ-9", at, tuple(_answers(total, 9, rng, True))))
        day += timedelta(days=1)

    for s in sessions:
        if rng.random() < 0.5:
            continue
        for _ in range(rng.randint(1, 2)):
            severity = rng.choices(("mild", "moderate", "severe"), (6, 3, 1))[0]
            entries.append(
                SideEffect(
                    at=s.at + timedelta(minutes=rng.randint(20, 180)),
                    effect=rng.choice(EFFECTS),
                    severity=severity,
                    session_at=s.at,
                )
            )
    return entries


def fill(journal: object, end: date, days: int, seed: int = 1) -> None:
    """Add a synthetic journal of `days` days ending on `end`, in one transaction."""
    entries = synthetic_entries(end, days, seed)
    journal.add_many(entries)  # type: ignore[attr-defined]


STORY_END = date(2026, 4, 29)


def story_entries() -> list[Entry]:
    """A short course with known numbers, for exact assertions.

    GAD-7 16 → 11 → 7, PHQ-9 14 → 6, sessions on 4 and 11 March (IV) and 1 April
    (intranasal), a check-in at 21:00 every day from 1 March to 29 April (7 until the first
    session, then 4), and one side effect after each session (mild, severe, moderate).
    """
    entries: list[Entry] = [
        Assessment("GAD-7", datetime(2026, 3, 1, 9), (3, 3, 2, 2, 2, 2, 2)),
        Assessment("GAD-7", datetime(2026, 3, 15, 9), (2, 2, 2, 2, 1, 1, 1)),
        Assessment("GAD-7", datetime(2026, 4, 29, 9), (1, 1, 1, 1, 1, 1, 1)),
        Assessment("PHQ-9", datetime(2026, 3, 2, 9), (2, 2, 2, 2, 2, 2, 1, 1, 0)),
        Assessment("PHQ-9", datetime(2026, 4, 28, 9), (1, 1, 1, 1, 1, 1, 0, 0, 0)),
        TreatmentSession(
            at=datetime(2026, 3, 4, 10),
            route="iv",
            dose_mg=35.0,
            duration_min=40,
            anxiety_before=8,
            anxiety_after=4,
        ),
        TreatmentSession(at=datetime(2026, 3, 11, 10), route="iv", dose_mg=35.0),
        TreatmentSession(at=datetime(2026, 4, 1, 10), route="intranasal", dose_mg=56.0),
        SideEffect(datetime(2026, 3, 4, 11), "nausea", "mild", session_at=datetime(2026, 3, 4, 10)),
        SideEffect(datetime(2026, 3, 11, 12), "dizziness", "severe"),
        SideEffect(datetime(2026, 4, 1, 12), "headache", "moderate"),
    ]
    day = date(2026, 3, 1)
    while day <= STORY_END:
        value = 7 if day < date(2026, 3, 4) else 4
        entries.append(Checkin(at=datetime.combine(day, time(21)), anxiety=value))
        day += timedelta(days=1)
    return entries
