"""Medicines, doses and plans in the journal: links kept, periods apart, edits undoable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from tracker.domain.entries import Medication, MedicationDose, TreatmentSession
from tracker.domain.errors import ValidationError
from tracker.journal import Journal, JournalChange


def lorazepam(journal: Journal) -> Medication:
    return journal.add_medication(
        "Lorazepam", "benzodiazepine", "as_needed", "2026-01-01", dose_mg=1.0
    )


def test_a_dose_needs_a_medicine_of_that_name_current_on_its_day(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="no medicine named lorazepam is recorded as taken"):
        journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    lorazepam(journal)
    with pytest.raises(ValidationError, match="taken on 2025-12-31"):
        journal.add_medication_dose("2025-12-31T22:00", "lorazepam")
    dose = journal.add_medication_dose("2026-01-05T22:00", "LORAZEPAM ", dose_mg=0.5)
    assert journal.medication_doses() == [dose]


def test_periods_of_one_medicine_stay_apart(journal: Journal) -> None:
    first = lorazepam(journal)
    with pytest.raises(ValidationError, match="already recorded since 2026-01-01"):
        journal.add_medication("lorazepam", "benzodiazepine", "regular", "2026-03-01")
    stopped = journal.update(replace(first, stopped=date(2026, 2, 28)))
    again = journal.add_medication("lorazepam", "benzodiazepine", "regular", "2026-03-01")
    assert journal.medications() == [stopped, again]
    # Moving the first stop past the second start is refused, and nothing changes.
    with pytest.raises(ValidationError, match="already recorded since 2026-03-01"):
        journal.update(replace(stopped, stopped=date(2026, 3, 1)))
    assert journal.medications() == [stopped, again]


def test_stopping_cannot_strand_a_recorded_dose(journal: Journal) -> None:
    medicine = lorazepam(journal)
    journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    journal.add_medication_dose("2026-01-09T22:00", "lorazepam")
    with pytest.raises(ValidationError) as caught:
        journal.update(replace(medicine, stopped=date(2026, 1, 4)))
    assert [str(p) for p in caught.value.problems] == [
        "stopped: 2 recorded doses (2026-01-05 to 2026-01-09) would fall outside "
        "from 2026-01-01 to 2026-01-04"
    ]
    with pytest.raises(ValidationError, match=r"started: 1 recorded dose \(2026-01-05\)"):
        journal.update(replace(medicine, started=date(2026, 1, 6)))
    assert journal.medications() == [medicine]
    journal.update(replace(medicine, stopped=date(2026, 1, 9)))


def test_renaming_a_medicine_takes_its_doses_along(journal: Journal) -> None:
    medicine = lorazepam(journal)
    journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    seen: list[JournalChange] = []
    journal.subscribe(seen.append)
    journal.update(replace(medicine, name="Ativan"))
    assert [d.medication for d in journal.medication_doses()] == ["Ativan"]
    assert [c.kinds for c in seen] == [frozenset({"medication", "medication_dose"})]
    journal.update(medicine)  # the undo of the rename
    assert [d.medication for d in journal.medication_doses()] == ["Lorazepam"]


def test_a_medicine_with_doses_is_not_deleted(journal: Journal) -> None:
    medicine = lorazepam(journal)
    dose = journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    with pytest.raises(ValidationError, match="has 1 recorded dose; delete it first"):
        journal.delete(medicine)
    journal.delete(dose)
    removal = journal.delete(medicine)
    assert journal.medications() == []
    journal.restore(removal)
    assert journal.medications() == [medicine]


def test_classes_per_session_from_the_journal(journal: Journal) -> None:
    lorazepam(journal)
    journal.add_medication("sertraline", "antidepressant", "regular", "2026-01-03",
                           times_per_day=1)  # fmt: skip
    journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    sessions = [
        journal.add_session("2026-01-02T10:00", "iv"),
        journal.add_session("2026-01-06T10:00", "iv"),
        journal.add_session("2026-01-08T10:00", "iv"),
    ]
    assert journal.medication_classes(sessions) == [
        (),
        ("benzodiazepine", "antidepressant"),
        ("antidepressant",),
    ]


def test_plans_are_matched_to_the_sessions_logged_on_their_day(journal: Journal) -> None:
    missed = journal.add_planned_session("2026-01-05T10:00", "intranasal")
    held = journal.add_planned_session("2026-01-08T10:00", "intranasal")
    ahead = journal.add_planned_session("2026-01-20T10:00", "intranasal")
    session = journal.add_session("2026-01-08T11:30", "intranasal", devices=2)
    now = datetime(2026, 1, 10, 9, 0)
    views = journal.plans(now)
    assert [(v.plan, v.state) for v in views] == [
        (missed, "missed"),
        (held, "done"),
        (ahead, "ahead"),
    ]
    assert views[1].session == session and session.dose_mg == 56.0
    journal.update(replace(missed, dismissed=True))
    assert [v.state for v in journal.plans(now)] == ["dismissed", "done", "ahead"]
    journal.delete(session)
    assert [v.state for v in journal.plans(now)] == ["dismissed", "missed", "ahead"]


def test_a_session_of_version_2_is_stored_and_read_back_whole(journal: Journal) -> None:
    session = journal.add(
        TreatmentSession(
            at=datetime(2026, 1, 8, 10, 0),
            route="intranasal",
            devices=3,
            bp_mid=(150, 95),
            bp_mid_min=35,
            sleepiness=4,
            ready_after_min=110,
            intention="notice the tightness",
        )
    )
    assert journal.sessions() == [session]
    assert session.dose_mg == 84.0


def test_the_storage_refuses_a_dose_without_its_medicine_even_from_a_direct_add(
    journal: Journal,
) -> None:
    with pytest.raises(ValidationError):
        journal.add(MedicationDose(at=datetime(2026, 1, 5, 22), medication="x"))
    assert journal.medication_doses() == []


def test_today_s_bounded_plan_queries_agree_with_the_full_rule(journal: Journal) -> None:
    for day, hour in ((3, 10), (5, 10), (6, 9), (8, 10), (12, 10), (15, 18)):
        journal.add_planned_session(f"2026-01-{day:02d}T{hour:02d}:00", "iv")
    journal.add_planned_session("2026-01-04T10:00", "iv", dismissed=True)
    for day in (5, 12):  # held at another hour than planned
        journal.add_session(f"2026-01-{day:02d}T15:30", "iv")
    today = date(2026, 1, 8)
    views = journal.plans(datetime(2026, 1, 8, 20, 0))
    ahead = [v.plan for v in views if v.state == "ahead"]
    missed = [v.plan for v in views if v.state == "missed"]
    # 8 Jan is today: still ahead even late in the day, until a session is logged on it.
    assert [p.at.day for p in ahead] == [8, 15]
    assert journal.upcoming_plan(today) == ahead[0]
    assert journal.missed_plans(today) == list(reversed(missed))
    assert [p.at.day for p in missed] == [3, 6]
    assert journal.upcoming_plan(date(2026, 1, 16)) is None


def test_summary_lists_the_classes_before_each_session(journal: Journal) -> None:
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", "2026-01-01")
    journal.add_medication("sertraline", "antidepressant", "regular", "2026-01-01",
                           times_per_day=1)  # fmt: skip
    journal.add_medication_dose("2026-01-05T22:00", "lorazepam")
    journal.add_session("2026-01-06T10:00", "iv", anxiety_before=8)
    journal.add_session("2026-01-13T10:00", "iv", anxiety_before=8)
    rows = journal.summary(now=datetime(2026, 2, 1))["onset"]["per_session"]
    assert [(r["session_at"], r["medication_classes_24h"]) for r in rows] == [
        ("2026-01-06T10:00", ["benzodiazepine", "antidepressant"]),
        ("2026-01-13T10:00", ["antidepressant"]),
    ]
