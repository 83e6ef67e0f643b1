"""Sample data for 'Explore with sample data': a few plausible weeks in a separate journal.

The demo journal is its own file (tracker.paths.demo_journal()), made fresh each time it
is opened so its dates end around today; nothing here ever touches the real journal.
No Qt: this is plain journal code.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tracker.domain.entries import Assessment, Checkin, Entry, SideEffect, TreatmentSession
from tracker.domain.instruments import instrument
from tracker.journal import Journal

DAYS = 35
SEED = 11
# Days (from the start) of the treatment sessions: twice a week for three weeks, then one.
SESSION_DAYS = (7, 10, 14, 17, 21, 24, 31)
# Questionnaire totals over time: (day, total).
GAD7_TOTALS = ((0, 16), (7, 15), (14, 12), (21, 9), (28, 7))
PHQ9_TOTALS = ((0, 12), (14, 9), (28, 6))
WEIGHT_KG = 72.0
NOTES = (
    "tense day at work",
    "walked by the river, felt lighter",
    "slept badly, racing thoughts",
    "good talk with my sister",
    "calm evening",
    "on edge before the meeting",
    "read for an hour without worrying",
)
SESSION_NOTES = ("felt calm afterwards", "music helped during the session", "floaty for an hour")
AFTER_SESSION = (
    ("dissociation", "moderate", 45),
    ("nausea", "mild", 30),
    ("dizziness", "mild", 20),
    ("increased_blood_pressure", "mild", 60),
    ("fatigue", "mild", 180),
)


def _answers(instrument_id: str, total: int, scored_items: int | None = None) -> tuple[int, ...]:
    """Answers adding up to `total`, spread evenly over the first `scored_items` items."""
    count = len(instrument(instrument_id).items)
    spread = scored_items or count
    answers = [0] * count
    for index in range(total):
        answers[index % spread] += 1
    return tuple(answers)


def sample_entries(today: date) -> list[Entry]:
    """A baseline week, then ketamine sessions, with anxiety that eases over five weeks."""
    rng = random.Random(SEED)
    start = today - timedelta(days=DAYS)
    entries: list[Entry] = []
    sessions: dict[int, TreatmentSession] = {}
    for index, day in enumerate(SESSION_DAYS):
        at = datetime.combine(start + timedelta(days=day), time(10, 0))
        before = 7 - index // 2
        session = TreatmentSession(
            at=at,
            route="iv",
            dose_mg_per_kg=0.5,
            weight_kg=WEIGHT_KG,
            duration_min=40,
            bp_before=(122 + rng.randint(0, 8), 78 + rng.randint(0, 6)),
            bp_after=(136 + rng.randint(0, 10), 86 + rng.randint(0, 6)),
            heart_rate_before=70 + rng.randint(0, 8),
            heart_rate_after=78 + rng.randint(0, 8),
            anxiety_before=before,
            anxiety_after=max(0, before - 4),
            dissociation=6 - index // 3,
            clinic="Riverside Clinic",
            notes=SESSION_NOTES[index % 3] if index % 3 == 0 else None,
        )
        sessions[day] = session
        entries.append(session)
    for day, session in sessions.items():
        for number, (effect, severity, minutes) in enumerate(AFTER_SESSION):
            if (day + number) % 3 and number:
                continue
            entries.append(
                SideEffect(
                    at=session.at + timedelta(minutes=50 + 10 * number),
                    effect=effect,
                    severity=severity,
                    duration_min=minutes,
                    session_at=session.at,
                )
            )
    for day, total in GAD7_TOTALS:
        at = datetime.combine(start + timedelta(days=day), time(9, 0))
        entries.append(Assessment("GAD-7", at, _answers("GAD-7", total)))
    for day, total in PHQ9_TOTALS:
        at = datetime.combine(start + timedelta(days=day), time(9, 10))
        entries.append(Assessment("PHQ-9", at, _answers("PHQ-9", total, scored_items=8)))
    last_session = -100
    for day in range(DAYS):
        if day in sessions:
            last_session = day
        since = day - last_session
        # Relief after a session, drifting back over a few days, on a slowly easing trend.
        level = (
            7.5 - 3.5 * day / DAYS - (2.5 if since == 0 else 2.0 / (1 + since) if since < 5 else 0)
        )
        anxiety = max(0, min(10, round(level + rng.uniform(-1, 1))))
        entries.append(
            Checkin(
                at=datetime.combine(start + timedelta(days=day), time(21, rng.randint(0, 50))),
                anxiety=anxiety,
                mood=max(0, min(10, 9 - anxiety + rng.randint(-1, 1))),
                sleep_hours=rng.choice((5.5, 6.0, 6.5, 7.0, 7.5, 8.0)),
                note=NOTES[day % len(NOTES)] if day % 4 == 0 else None,
            )
        )
    return entries


def remove_journal_files(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def create_demo_journal(path: Path, today: date | None = None) -> Journal:
    """Make the demo journal afresh at `path` and return it open."""
    remove_journal_files(path)
    # Regenerated sample data each time: nothing worth a backup copy.
    journal = Journal.open(path, create=True, backups=False)
    try:
        entries = sample_entries(today or date.today())
        # Sessions first, so the side effects can link to them in the same transaction.
        entries.sort(key=lambda e: e.KIND != "session")
        journal.add_many(entries)
        journal.set_setting("reminder.PHQ-9.enabled", "1")
    except BaseException:
        journal.close()
        raise
    return journal
