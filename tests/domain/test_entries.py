"""Entries: one rule table for the forms and the import, every problem listed, exact JSON."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tracker.domain.catalogue import catalogue, effect_label, other
from tracker.domain.entries import (
    ROUTES,
    Assessment,
    Checkin,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.errors import ValidationError
from tracker.domain.times import day_bounds, format_at, parse_at, parse_day, sort_key

AT = datetime(2026, 1, 5, 21, 10)


def problems_of(entry_type: Any, data: dict[str, Any], place: str = "x[0]") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        entry_type.from_json(data, place)
    return [str(p) for p in caught.value.problems]


def test_a_form_and_the_import_refuse_a_value_with_the_same_words() -> None:
    form = Checkin(at=AT, anxiety=11, mood=-1, sleep_hours=30.0)
    words = [str(p) for p in form.problems()]
    assert words == [
        "anxiety: 11 is outside 0–10",
        "mood: -1 is outside 0–10",
        "sleep_hours: 30 h is outside 0–24 h",
    ]
    imported = problems_of(
        Checkin, {"at": "2026-01-05T21:10", "anxiety": 11, "mood": -1, "sleep_hours": 30}, ""
    )
    assert imported == words
    with pytest.raises(ValidationError):
        form.check()
    assert Checkin(at=AT, anxiety=10).check().anxiety == 10


def test_one_entry_with_several_problems_lists_all_of_them() -> None:
    found = problems_of(
        Assessment,
        {"instrument": "GAD-7", "at": "2026-01-05T09:00", "answers": [1] * 8, "difficulty": 7},
        "assessments[2]",
    )
    assert found == [
        "assessments[2].difficulty: 7 is outside 0–3",
        "assessments[2].answers: GAD-7 has 7 items, got 8 answers",
    ]
    found = problems_of(
        Assessment, {"instrument": "GAD-8", "at": "2026-01-05T09:00", "answers": [1], "x": 1}
    )
    assert found == ["x[0].instrument: 'GAD-8' is not one of GAD-7, PHQ-9"]
    found = problems_of(
        TreatmentSession,
        {
            "at": "2026-01-06T10:00",
            "route": "iv",
            "dose_mg": 35,
            "dose_mg_per_kg": 0.5,
            "weight_kg": 100,
            "dissociation": 12,
        },
    )
    assert found == [
        "x[0].dissociation: 12 is outside 0–10",
        "x[0].dose_mg: 35 mg does not match 0.5 mg/kg × 100 kg = 50 mg",
    ]


def test_a_missing_core_value_is_listed_and_nothing_else_breaks() -> None:
    assert problems_of(Assessment, {"at": "2026-01-05T09:00"}) == [
        "x[0].instrument: is required",
        "x[0].answers: is required",
    ]
    assert problems_of(SideEffect, {"effect": "nausea"}) == [
        "x[0].at: is required",
        "x[0].severity: is required",
    ]
    assert problems_of(TreatmentSession, {"at": "2026-01-06T10:00", "route": 3}) == [
        "x[0].route: must be text, not a number"
    ]


def test_an_assessment_keeps_no_total_of_its_own() -> None:
    phq = Assessment("PHQ-9", AT, (3,) * 9, difficulty=2)
    assert (phq.total, phq.severity) == (27, "severe")
    assert phq.to_json() == {
        "instrument": "PHQ-9",
        "at": "2026-01-05T21:10",
        "answers": [3] * 9,
        "difficulty": 2,
        "total": 27,
        "severity": "severe",
    }
    assert Assessment.from_json(phq.to_json()) == phq


def test_entries_read_back_from_their_own_json() -> None:
    entries = [
        Checkin(at=AT, anxiety=0, mood=10, sleep_hours=0.0, note=""),
        Assessment("GAD-7", AT, (0,) * 7),
        TreatmentSession(
            at=AT,
            route="im",
            dose_mg=35.0,
            dose_mg_per_kg=0.5,
            weight_kg=70.0,
            duration_min=0,
            bp_before=(300, 200),
            bp_after=(51, 20),
            heart_rate_before=20,
            heart_rate_after=250,
            anxiety_before=0,
            anxiety_after=10,
            dissociation=10,
            clinic="c",
            notes="n",
        ),
        SideEffect(
            at=AT,
            effect=other("  my   own  "),
            severity="severe",
            duration_min=43_200,
            session_at=AT - timedelta(hours=1),
            note="n",
        ),
    ]
    for entry in entries:
        assert entry.problems() == []
        assert type(entry).from_json(entry.to_json()) == entry


def test_a_dose_is_kept_as_entered_and_the_other_unit_derived() -> None:
    per_kg = TreatmentSession(at=AT, route="iv", dose_mg_per_kg=0.5, weight_kg=70.0)
    assert per_kg.to_json()["dose_mg"] == 35.0
    assert per_kg.dose_mg is None
    mg = TreatmentSession(at=AT, route="iv", dose_mg=35.0, weight_kg=70.0)
    assert mg.to_json()["dose_mg_per_kg"] == 0.5
    assert TreatmentSession(at=AT, route="iv", dose_mg=35.0).to_json()["dose_mg_per_kg"] is None


@pytest.mark.parametrize(
    "session",
    [
        # An oral fixed dose is often above 5 mg/kg; a derived mg/kg out of range is not written.
        TreatmentSession(at=AT, route="oral", dose_mg=300.0, weight_kg=55.0),
        TreatmentSession(at=AT, route="iv", dose_mg_per_kg=4.0, weight_kg=300.0),
        TreatmentSession(at=AT, route="im", dose_mg=0.01, weight_kg=400.0),
    ],
)
def test_an_exported_session_always_imports_back(session: TreatmentSession) -> None:
    assert session.problems() == []
    written = session.to_json()
    back = TreatmentSession.from_json(written)
    assert back == session
    assert back.to_json() == written


def test_routes_are_those_of_the_format() -> None:
    assert ROUTES == ("iv", "im", "subcutaneous", "intranasal", "oral", "sublingual", "other")


def test_the_catalogue_holds_every_effect_the_reference_names() -> None:
    ids = set(catalogue())
    named = {
        "increased_blood_pressure",
        "increased_heart_rate",
        "dizziness",
        "nausea",
        "vomiting",
        "fatigue",
        "cognitive_disturbance",
        "distress",
        "dissociation",
        "altered_perception",
        "hallucinations",
        "headache",
        "blurred_vision",
        "urinary_symptoms",
        "memory_concentration_problems",
        "craving",
    }
    assert named <= ids
    assert effect_label("other:tingling") == "tingling"
    assert effect_label("nausea") == "Nausea"
    long_name = SideEffect(at=AT, effect="other:" + "x" * 81, severity="mild")
    assert [p.place for p in long_name.problems()] == ["effect"]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("2026-01-05T23:30", "2026-01-05T23:30"),
        ("2026-01-05T23:30:00", "2026-01-05T23:30"),
        ("2026-01-05T23:30:07", "2026-01-05T23:30:07"),
        ("2026-01-05T23:30+05:00", "2026-01-05T23:30+05:00"),
        ("2026-01-05T23:30:07-11:00", "2026-01-05T23:30:07-11:00"),
        ("2026-01-05T23:30Z", "2026-01-05T23:30+00:00"),
    ],
)
def test_a_time_keeps_its_wall_clock_and_its_day(written: str, kept: str) -> None:
    at = parse_at(written)
    assert format_at(at) == kept
    assert sort_key(at).startswith("2026-01-05T23:30")


@pytest.mark.parametrize(
    "bad", ["2026-01-05", "2026-01-05 23:30", "2026-02-30T10:00", "2026-01-05T24:00", "", 5, None]
)
def test_a_time_that_is_not_one_is_refused_in_words(bad: Any) -> None:
    with pytest.raises(ValueError, match=r"time|date"):
        parse_at(bad)


def test_a_day_range_runs_from_midnight_to_the_next_midnight() -> None:
    day = parse_day("2026-01-05")
    assert day_bounds(day, day) == ("2026-01-05", "2026-01-06")
    assert day_bounds(None, None) == (None, None)
    with pytest.raises(ValueError):
        parse_day("2026-1-5")
    at = datetime(2026, 1, 5, 23, 30, tzinfo=timezone(timedelta(hours=14)))
    low, high = day_bounds(day, day)
    assert low is not None and high is not None
    assert low <= sort_key(at) < high
