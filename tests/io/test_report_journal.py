"""A realistic journal made from code, for the report tests (90 days and a year).

Ketamine induction twice a week, then maintenance every three weeks; daily check-ins
whose anxiety falls for a few days after each session; weekly GAD-7 and fortnightly
PHQ-9 drifting down; side effects after sessions. Seeded, so every run is the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tracker.domain.entries import Assessment, Checkin, Entry, SideEffect, TreatmentSession
from tracker.domain.times import wall_clock
from tracker.journal import Journal

INDUCTION_DAYS = (10, 13, 17, 20, 24, 27)
MAINTENANCE_EVERY = 21
WEIGHT_KG = 70.0
NOTES = (
    "Tense morning, better after a walk.",
    "Slept badly; worried about work.",
    "Café with Zoë, felt almost normal.",
    "Quiet day. Read in the park.",
    "Hard evening — old worries came back.",
)


@dataclass
class Facts:
    """What the generator put in, for tests to compare against."""

    first_day: date
    last_day: date
    item9_days: list[date] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _answers(total: int, items: int, rng: random.Random, fixed: dict[int, int]) -> list[int]:
    """Item answers 0–3 adding up to `total` (clamped), with some items fixed."""
    answers = [0] * items
    for index, value in fixed.items():
        answers[index] = value
    free = [i for i in range(items) if i not in fixed]
    left = max(0, min(total - sum(answers), 3 * len(free)))
    while left:
        index = rng.choice(free)
        if answers[index] < 3:
            answers[index] += 1
            left -= 1
    return answers


def _level(day: int) -> float:
    """The underlying anxiety level (0–10): 7.5 before treatment, easing to about 4."""
    if day < INDUCTION_DAYS[0]:
        return 7.5
    return 7.5 - 4.2 * min(1.0, (day - INDUCTION_DAYS[0]) / 70)


def fill_journal(journal: Journal, first_day: date, days: int, *, seed: int = 5) -> Facts:
    """Fill `journal` with `days` days from `first_day` and say what went in."""
    rng = random.Random(seed)
    facts = Facts(first_day, first_day + timedelta(days=days - 1))
    session_days = list(INDUCTION_DAYS)
    while session_days[-1] + MAINTENANCE_EVERY < days - 2:
        session_days.append(session_days[-1] + MAINTENANCE_EVERY)
    entries: list[Entry] = []
    sessions: list[TreatmentSession] = []
    for number, offset in enumerate(session_days):
        at = datetime.combine(first_day + timedelta(days=offset), time(10, 0))
        intranasal = number == 8
        per_kg = 0.5 if number < 3 else 0.6 if number < 6 else 0.75
        sessions.append(
            TreatmentSession(
                at=at,
                route="intranasal" if intranasal else "iv",
                dose_mg=56.0 if intranasal else round(per_kg * WEIGHT_KG, 1),
                dose_mg_per_kg=None if intranasal else per_kg,
                weight_kg=None if intranasal else WEIGHT_KG,
                duration_min=120 if intranasal else 40,
                bp_before=(122 + rng.randint(-6, 6), 79 + rng.randint(-4, 4)),
                bp_after=(136 + rng.randint(-6, 8), 86 + rng.randint(-4, 5)),
                heart_rate_before=70 + rng.randint(-5, 5),
                heart_rate_after=79 + rng.randint(-5, 6),
                anxiety_before=min(10, round(_level(offset)) + rng.randint(0, 1)),
                anxiety_after=max(0, round(_level(offset)) - 4 + rng.randint(0, 1)),
                dissociation=rng.randint(3, 7),
                clinic="Harbour Clinic",
                notes="Music helped." if number == 1 else None,
            )
        )
    entries += sessions

    def relief(day: int, hour: float) -> float:
        """How far below the level the rating sits: most on the day after a session."""
        lift = 0.0
        for offset in session_days:
            since = day + hour / 24 - (offset + 10 / 24)
            if 0 < since < 6:
                lift = max(lift, 3.2 * (1 - since / 6) if since > 0.15 else 2.5)
        return lift

    for day in range(days):
        current = first_day + timedelta(days=day)
        hours = [20.5]
        if day in session_days:
            hours = [8.0, 14.0, 20.5]
        elif rng.random() < 0.08:
            continue
        for hour in hours:
            at = datetime.combine(current, time(int(hour), int(hour % 1 * 60)))
            anxiety = round(_level(day) - relief(day, hour) + rng.uniform(-0.8, 0.8))
            anxiety = max(0, min(10, anxiety))
            note = None
            if hour == 20.5 and day % 6 == 2:
                note = NOTES[(day // 6) % len(NOTES)]
                facts.notes.append(note)
            entries.append(
                Checkin(
                    at=at,
                    anxiety=anxiety,
                    mood=max(0, min(10, 10 - anxiety + rng.randint(-1, 1))),
                    sleep_hours=round(rng.uniform(5.5, 8.5) * 2) / 2,
                    note=note,
                )
            )

    phq_number = 0
    for day in range(1, days, 7):
        at = datetime.combine(first_day + timedelta(days=day), time(9, 0))
        base = _level(day) * 2.1 + rng.uniform(-1.5, 1.5)
        gad_total = max(0, min(21, round(base)))
        entries.append(
            Assessment("GAD-7", at, tuple(_answers(gad_total, 7, rng, {})), rng.choice((1, 2)))
        )
        if (day // 7) % 2 == 0:
            phq_number += 1
            item9 = 1 if phq_number in (2, 5) else 0
            if item9:
                facts.item9_days.append(at.date())
            phq_total = max(0, min(27, round(base * 1.05)))
            answers = _answers(phq_total, 9, rng, {8: item9})
            entries.append(Assessment("PHQ-9", at + timedelta(minutes=10), tuple(answers), 1))

    effects = (("nausea", "mild"), ("dizziness", "moderate"), ("dissociation", "mild"))
    for number, session in enumerate(sessions):
        start = wall_clock(session.at)
        for index, (effect, severity) in enumerate(effects):
            if rng.random() < (0.7 if index == 0 else 0.45):
                entries.append(
                    SideEffect(
                        at=start + timedelta(minutes=30 + 20 * index),
                        effect=effect,
                        severity=severity,
                        duration_min=rng.choice((20, 45, 90, 180)),
                        session_at=session.at,
                    )
                )
        if number == 2:
            entries.append(
                SideEffect(
                    at=start + timedelta(hours=3),
                    effect="headache",
                    severity="severe",
                    duration_min=300,
                    session_at=session.at,
                    note="Needed to lie down in a dark room.",
                )
            )
        if number == 4:
            entries.append(
                SideEffect(
                    at=start + timedelta(hours=1),
                    effect="other:Tingling in hands",
                    severity="mild",
                    duration_min=15,
                    session_at=session.at,
                )
            )
    journal.add_many(entries)
    return facts


def test_the_generated_journal_has_what_the_report_tests_need(journal: Journal) -> None:
    facts = fill_journal(journal, date(2026, 1, 5), 90)
    assert len(journal.sessions()) == 8
    assert facts.item9_days and facts.notes
    gad = journal.change("GAD-7")
    assert gad is not None and gad.baseline_before_treatment and gad.response
    assert journal.side_effects()[0].session_at is not None
