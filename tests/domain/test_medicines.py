"""Other medicines and planned sessions: the 24-hour rule, periods, the plan's states."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from tracker.domain.entries import (
    Medication,
    MedicationDose,
    PlannedSession,
    TreatmentSession,
    future_problems,
)
from tracker.domain.errors import ValidationError
from tracker.domain.medicines import (
    classes_before,
    classes_by_session,
    doses_per_week,
    next_plan,
    overlap_problems,
    plan_states,
)

SESSION = datetime(2026, 3, 10, 10, 0)


def regular(name: str, cls: str, started: date, stopped: date | None = None) -> Medication:
    return Medication(name, cls, "regular", started, times_per_day=1, stopped=stopped)


def as_needed(name: str, cls: str, started: date, stopped: date | None = None) -> Medication:
    return Medication(name, cls, "as_needed", started, dose_mg=1.0, stopped=stopped)


def dose(at: datetime, name: str) -> MedicationDose:
    return MedicationDose(at=at, medication=name, dose_mg=1.0)


def test_a_regular_medicine_started_on_the_session_day_counts() -> None:
    # Active that day (10 March), even if the first tablet came after the 10:00 session:
    # the reference counts a regular medicine by its day, not by the hour.
    sertraline = regular("sertraline", "antidepressant", date(2026, 3, 10))
    assert classes_before(SESSION, [sertraline], []) == ("antidepressant",)


def test_a_regular_medicine_stopped_the_day_before_does_not_count() -> None:
    # Last taken on 9 March: not active on 10 March, so not listed for the session.
    clonazepam = regular("clonazepam", "benzodiazepine", date(2026, 1, 1), date(2026, 3, 9))
    assert classes_before(SESSION, [clonazepam], []) == ()
    # Stopped on the session day itself it was still active that day.
    same_day = regular("clonazepam", "benzodiazepine", date(2026, 1, 1), date(2026, 3, 10))
    assert classes_before(SESSION, [same_day], []) == ("benzodiazepine",)


def test_an_as_needed_dose_counts_by_its_time() -> None:
    lorazepam = as_needed("Lorazepam", "benzodiazepine", date(2025, 11, 1))
    # 23 h before 10 March 10:00 is 9 March 11:00: inside the 24 h.
    assert classes_before(SESSION, [lorazepam], [dose(datetime(2026, 3, 9, 11), "lorazepam")]) == (
        "benzodiazepine",
    )
    # 25 h before is 9 March 09:00: outside.
    assert classes_before(SESSION, [lorazepam], [dose(datetime(2026, 3, 9, 9), "lorazepam")]) == ()
    # A dose after the start does not count for this session.
    assert (
        classes_before(SESSION, [lorazepam], [dose(datetime(2026, 3, 10, 11), "LORAZEPAM")]) == ()
    )
    # The medicine being current is not enough for an as-needed one: no dose, no class.
    assert classes_before(SESSION, [lorazepam], []) == ()


def test_two_periods_of_the_same_medicine() -> None:
    # Diazepam as needed in January, then again from 1 March with another class recorded
    # for the second period (a correction): each dose takes the class of its own period.
    first = as_needed("diazepam", "benzodiazepine", date(2026, 1, 1), date(2026, 1, 31))
    second = as_needed("Diazepam", "other", date(2026, 3, 1))
    doses = [
        dose(datetime(2026, 1, 20, 22), "diazepam"),
        dose(datetime(2026, 3, 9, 22), "diazepam"),
    ]
    assert classes_before(datetime(2026, 1, 21, 10), [first, second], doses) == ("benzodiazepine",)
    assert classes_before(SESSION, [first, second], doses) == ("other",)
    # A dose between the periods belongs to neither and counts for nothing.
    gap = [dose(datetime(2026, 2, 14, 22), "diazepam")]
    assert classes_before(datetime(2026, 2, 15, 10), [first, second], gap) == ()
    # A regular medicine in two periods counts only on days inside one of them.
    a = regular("lithium", "lithium", date(2026, 1, 1), date(2026, 1, 31))
    b = regular("lithium", "lithium", date(2026, 3, 1))
    assert classes_before(datetime(2026, 2, 15, 10), [a, b], []) == ()
    assert classes_before(SESSION, [a, b], []) == ("lithium",)


def test_classes_come_in_the_reference_order_once_each() -> None:
    medicines = [
        regular("zolpidem", "z_drug", date(2026, 1, 1)),
        regular("sertraline", "antidepressant", date(2026, 1, 1)),
        as_needed("lorazepam", "benzodiazepine", date(2026, 1, 1)),
        as_needed("alprazolam", "benzodiazepine", date(2026, 1, 1)),
    ]
    doses = [
        dose(datetime(2026, 3, 9, 22), "lorazepam"),
        dose(datetime(2026, 3, 10, 7), "alprazolam"),
    ]
    assert classes_before(SESSION, medicines, doses) == (
        "benzodiazepine",
        "z_drug",
        "antidepressant",
    )


def test_per_session_classes_match_the_one_session_rule() -> None:
    medicines = [as_needed("lorazepam", "benzodiazepine", date(2026, 1, 1))]
    doses = [dose(datetime(2026, 3, d, 21), "lorazepam") for d in (1, 5, 9)]
    sessions = [
        TreatmentSession(at=datetime(2026, 3, d, 10), route="iv") for d in (2, 4, 6, 10, 12)
    ]
    expected = [classes_before(s.at, medicines, doses) for s in sessions]
    assert classes_by_session(sessions, medicines, doses) == expected
    assert expected == [("benzodiazepine",), (), ("benzodiazepine",), ("benzodiazepine",), ()]


def test_periods_of_one_name_must_not_overlap() -> None:
    a = regular("Lorazepam", "benzodiazepine", date(2026, 1, 1), date(2026, 1, 31))
    b = regular("lorazepam ", "benzodiazepine", date(2026, 1, 31))
    c = regular("LORAZEPAM", "benzodiazepine", date(2026, 2, 1))
    found = overlap_problems([("medications[0]", a), ("medications[1]", b)])
    assert [str(p) for p in found] == [
        "medications[1].started: lorazepam  since 2026-01-31 overlaps medications[0] "
        "(Lorazepam from 2026-01-01 to 2026-01-31)"
    ]
    assert overlap_problems([("medications[0]", a), ("medications[1]", c)]) == []
    # An open period overlaps any later one; another name never does.
    assert overlap_problems(
        [("m[0]", c), ("m[1]", regular("lorazepam", "other", date(2027, 1, 1)))]
    )
    assert (
        overlap_problems([("m[0]", c), ("m[1]", regular("diazepam", "other", date(2026, 2, 1)))])
        == []
    )
    # Against the journal: the same medicine again is not an overlap, a changed one is.
    assert overlap_problems([("m[0]", a)], [a.with_id(4)]) == []
    changed = regular("lorazepam", "benzodiazepine", date(2026, 1, 10))
    assert [str(p) for p in overlap_problems([("", changed)], [a.with_id(4)])] == [
        "started: lorazepam since 2026-01-10 overlaps Lorazepam from 2026-01-01 to 2026-01-31 "
        "already in the journal"
    ]


def problems(entry_type: Any, data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        entry_type.from_json(data, "x[0]")
    return [str(p) for p in caught.value.problems]


def test_every_medicine_rule_through_the_import_and_the_form() -> None:
    good = {"name": "lorazepam", "class": "benzodiazepine", "dose_mg": 1.0,
            "schedule": "as_needed", "times_per_day": None, "started": "2025-11-01",
            "stopped": None, "note": ""}  # fmt: skip
    medicine = Medication.from_json(good)
    assert medicine.to_json() == good
    assert problems(Medication, {**good, "class": "sedative", "schedule": "daily"}) == [
        "x[0].class: 'sedative' is not one of benzodiazepine, z_drug, stimulant, maoi, "
        "lamotrigine, naltrexone, antidepressant, antipsychotic, lithium, opioid, other",
        "x[0].schedule: 'daily' is not one of regular, as_needed",
    ]
    assert problems(Medication, {**good, "stopped": "2025-10-31", "times_per_day": 2}) == [
        "x[0].stopped: 2025-10-31 is before it started (2025-11-01)",
        "x[0].times_per_day: is for a regular medicine, not one taken as needed",
    ]
    assert problems(Medication, {**good, "started": "2025-11-31", "dose_mg": 0}) == [
        "x[0].started: '2025-11-31' is not a real date",
        "x[0].dose_mg: 0 mg must be above 0 and at most 10000 mg",
    ]
    assert problems(Medication, {**good, "started": "1899-12-31", "name": "  "}) == [
        "x[0].started: 1899-12-31 is outside 1900–2100",
        "x[0].name: must not be empty",
    ]
    assert problems(Medication, {"name": "x", "times_per_day": 25, "started": 20250101}) == [
        "x[0].started: must be a date written YYYY-MM-DD, not a number",
        "x[0].class: is required",
        "x[0].schedule: is required",
        "x[0].times_per_day: 25 is outside 1–24",
    ]
    # The form builds the entry directly: the same words.
    form = Medication("lorazepam", "benzodiazepine", "as_needed", date(2025, 11, 1),
                      stopped=date(2025, 10, 31))  # fmt: skip
    assert [str(p) for p in form.problems()] == [
        "stopped: 2025-10-31 is before it started (2025-11-01)"
    ]


def test_every_dose_and_plan_rule() -> None:
    good = {"at": "2026-01-07T22:00", "medication": "lorazepam", "dose_mg": 1.0, "note": ""}
    assert MedicationDose.from_json(good).to_json() == good
    assert problems(MedicationDose, {**good, "medication": "", "dose_mg": -1}) == [
        "x[0].dose_mg: -1 mg must be above 0 and at most 10000 mg",
        "x[0].medication: must not be empty",
    ]
    assert problems(MedicationDose, {"at": "2101-01-01T00:00"}) == [
        "x[0].at: 2101-01-01T00:00 is outside 1900–2100",
        "x[0].medication: is required",
    ]
    plan = {"at": "2026-01-15T10:00", "route": "intranasal", "note": ""}
    assert PlannedSession.from_json(plan).to_json() == plan | {"dismissed": False}
    assert problems(PlannedSession, {**plan, "route": "nasal", "dismissed": "no"}) == [
        "x[0].dismissed: must be true or false, not text",
        "x[0].route: 'nasal' is not one of iv, im, subcutaneous, intranasal, oral, "
        "sublingual, other",
    ]


def test_how_far_ahead_an_entry_may_lie() -> None:
    now = datetime(2026, 6, 1, 12, 0)
    tomorrow = MedicationDose(at=datetime(2026, 6, 2, 12, 0), medication="x")
    assert future_problems(tomorrow, now) == []
    later = MedicationDose(at=datetime(2026, 6, 2, 12, 1), medication="x")
    assert [str(p) for p in future_problems(later, now)] == [
        "at: 2026-06-02T12:01 is more than a day in the future"
    ]
    plan = PlannedSession(at=datetime(2028, 6, 1, 10, 0), route="iv")
    assert future_problems(plan, now) == []
    too_far = PlannedSession(at=datetime(2028, 6, 3, 10, 0), route="iv")
    assert [str(p) for p in future_problems(too_far, now)] == [
        "at: 2028-06-03T10:00 is more than two years in the future"
    ]
    # A known stop date may lie ahead; a start may not.
    medicine = Medication("x", "other", "regular", date(2026, 6, 3), stopped=date(2026, 9, 1))
    assert [str(p) for p in future_problems(medicine, now)] == [
        "started: 2026-06-03 is more than a day in the future"
    ]


def test_session_devices_mid_reading_and_the_new_fields() -> None:
    data = {"at": "2026-01-08T10:00", "route": "intranasal", "devices": 3,
            "bp_mid": [150, 95], "sleepiness": 4, "ready_after_min": 110,
            "intention": "notice the tightness"}  # fmt: skip
    session = TreatmentSession.from_json(data)
    # 3 devices × 28 mg = 84 mg when no dose was written; the reading at the usual 40 min.
    assert (session.dose_mg, session.bp_mid, session.bp_mid_min) == (84.0, (150, 95), 40)
    assert session.to_json()["dose_mg"] == 84.0
    assert problems(TreatmentSession, {**data, "dose_mg": 56}) == [
        "x[0].dose_mg: 56 mg does not match 3 devices × 28 mg = 84 mg"
    ]
    assert problems(TreatmentSession, {**data, "route": "iv"}) == [
        "x[0].devices: are counted for intranasal esketamine only"
    ]
    assert problems(
        TreatmentSession,
        {
            **data,
            "devices": 4,
            "bp_mid": [90, 95],
            "bp_mid_min": 241,
            "sleepiness": 11,
            "ready_after_min": 601,
        },
    ) == [
        "x[0].devices: 4 is outside 1–3",
        "x[0].bp_mid: systolic 90 must be above diastolic 95",
        "x[0].bp_mid_min: 241 min is outside 1–240 min",
        "x[0].sleepiness: 11 is outside 0–10",
        "x[0].ready_after_min: 601 min is outside 0–600 min",
    ]
    assert problems(
        TreatmentSession, {"at": "2026-01-08T10:00", "route": "iv", "bp_mid_min": 30}
    ) == ["x[0].bp_mid_min: the minute needs the mid-session reading beside it"]
    # A session of version 1 reads as before, the new fields empty.
    old = TreatmentSession.from_json({"at": "2026-01-08T10:00", "route": "iv", "dose_mg": 35})
    assert (old.devices, old.bp_mid, old.bp_mid_min, old.intention) == (None, None, None, None)


def test_plans_are_done_ahead_missed_or_dismissed() -> None:
    now = datetime(2026, 3, 10, 12, 0)
    plans = [
        PlannedSession(at=datetime(2026, 3, 3, 10), route="iv"),  # held at another hour
        PlannedSession(at=datetime(2026, 3, 6, 10), route="iv"),  # nothing that day
        PlannedSession(at=datetime(2026, 3, 7, 10), route="iv", dismissed=True),
        PlannedSession(at=datetime(2026, 3, 10, 9), route="iv"),  # today, not yet logged
        PlannedSession(at=datetime(2026, 3, 17, 10), route="iv"),
    ]
    sessions = [TreatmentSession(at=datetime(2026, 3, 3, 15, 30), route="iv")]
    views = plan_states(plans, sessions, now)
    assert [v.state for v in views] == ["done", "missed", "dismissed", "ahead", "ahead"]
    assert views[0].session == sessions[0]
    found = next_plan(views)
    assert found is not None and found.plan == plans[3]
    assert next_plan(plan_states(plans[:3], sessions, now)) is None


def test_doses_per_week() -> None:
    doses = [dose(datetime(2026, 3, d, 21), "x") for d in (1, 2, 7, 8, 20)]
    # Weeks from 1 March: 1–7 (three doses), 8–14 (one), 15–21 (one), 22 alone (none).
    assert doses_per_week(doses, date(2026, 3, 1), date(2026, 3, 22)) == [
        (date(2026, 3, 1), 3),
        (date(2026, 3, 8), 1),
        (date(2026, 3, 15), 1),
        (date(2026, 3, 22), 0),
    ]


def test_the_24_hours_are_real_hours_across_a_clock_change() -> None:
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    lorazepam = as_needed("lorazepam", "benzodiazepine", date(2026, 1, 1))
    # Clocks go forward at 02:00 on 29 March 2026: from 28 March 09:30 to 29 March 10:00 is
    # 24.5 h on the wall clock but 23.5 real hours, inside the 24 h.
    session = datetime(2026, 3, 29, 10, 0)
    dose = [dose_at := MedicationDose(at=datetime(2026, 3, 28, 9, 30), medication="lorazepam")]
    assert dose_at.at.hour == 9
    assert classes_before(session, [lorazepam], dose, berlin) == ("benzodiazepine",)
    # Without the zone (or with UTC) it is 24.5 h: outside.
    assert classes_before(session, [lorazepam], dose, ZoneInfo("UTC")) == ()
    # A dose written with another offset is converted with it: 22:00 in New York on the
    # 28th is 04:00 on the 29th in Berlin, 5 real hours before the session.
    far = [MedicationDose(at=datetime.fromisoformat("2026-03-28T22:00-04:00"),
                          medication="lorazepam")]  # fmt: skip
    assert classes_before(session, [lorazepam], far, berlin) == ("benzodiazepine",)
    sessions = [TreatmentSession(at=session, route="iv")]
    assert classes_by_session(sessions, [lorazepam], dose + far, berlin) == [("benzodiazepine",)]
