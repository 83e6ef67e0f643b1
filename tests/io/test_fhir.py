"""The FHIR export: valid R4 (checked by fhir.resources 6.1.0) and every mapping exact.

Expected values are worked out by hand from tests/core_support.sample_document() and
clinical-reference.md; each test says where its figures come from.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.core_support import REPO, document, run_cli, sample_document
from tests.io.fhir_support import (
    FHIR_TIME,
    LOINC,
    ONSET,
    UCUM,
    coded,
    codes,
    r4_errors,
    resources,
    rule_errors,
    url_of,
)
from tracker.io.fhir import export_bundle, fhir_datetime
from tracker.io.journal_json import read_document
from tracker.journal import Journal

Capsys = pytest.CaptureFixture[str]
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
PHQ9_LINKS = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
    "44258-2", "44252-5", "44253-3", "44260-8",
]  # fmt: skip
GAD7_LINKS = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


def assert_valid(bundle: dict[str, Any]) -> None:
    errors = r4_errors(bundle) + rule_errors(bundle)
    assert errors == [], f"{len(errors)} errors, first: {errors[:5]}"


def journal_from(path: Path, data: dict[str, Any]) -> Path:
    with Journal.open(path, create=True) as journal:
        journal.import_entries(read_document(data))
    return path


def export(path: Path, tmp_path: Path, capsys: Capsys, *extra: str) -> dict[str, Any]:
    out = tmp_path / "bundle.fhir.json"
    result = run_cli(["export", "fhir", "--out", str(out), "--journal", str(path), *extra], capsys)
    assert result.code == 0, result.err
    bundle: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(bundle)
    return bundle


# -- a two-year journal -----------------------------------------------------------------


def _generated(years: int) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(
        "make_journal", REPO / "benchmarks" / "make_journal.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_journal"] = module  # its dataclasses look themselves up by module
    try:
        spec.loader.exec_module(module)
        made: dict[str, Any] = module.make_journal(years)
    finally:
        del sys.modules["make_journal"]
    return made


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the FHIR bundle, the JSON export) of a generated two-year journal, both by the CLI."""
    from tracker.cli import main

    folder = tmp_path_factory.mktemp("two-years")
    path = journal_from(folder / "journal.onset", _generated(2))
    with contextlib.redirect_stdout(io.StringIO()):
        for fmt in ("fhir", "json"):
            argv = ["export", fmt, "--out", str(folder / fmt), "--journal", str(path)]
            assert main(argv) == 0
    read = (json.loads((folder / name).read_text(encoding="utf-8")) for name in ("fhir", "json"))
    bundle, exported = read
    return bundle, exported


def test_a_two_year_journal_exports_with_no_r4_error(two_years: Any) -> None:
    bundle, exported = two_years
    assert len(exported["checkins"]) > 600 and len(exported["sessions"]) > 20  # really 2 years
    assert r4_errors(bundle) == []
    assert rule_errors(bundle) == []


def test_each_kind_of_entry_has_as_many_resources_as_the_json_export(two_years: Any) -> None:
    bundle, exported = two_years
    assessments, sessions = exported["assessments"], exported["sessions"]
    assert len(coded(bundle, ONSET, "checkin")) == len(exported["checkins"])
    followups = exported.get("followups", [])
    assert len(resources(bundle, "QuestionnaireResponse")) == len(assessments) + len(followups)
    totals = coded(bundle, LOINC, "70274-6") + coded(bundle, LOINC, "44261-6")
    assert len(totals) == len(assessments)
    doses, medicines = exported.get("medication_doses", []), exported.get("medications", [])
    assert len(resources(bundle, "MedicationAdministration")) == len(sessions) + len(doses)
    assert len(resources(bundle, "MedicationStatement")) == len(medicines)
    effects = [
        r for r in resources(bundle, "Observation") if codes(r)[0][1].startswith("side-effect-")
    ]
    assert len(effects) == len(exported["side_effects"])
    positive = [a for a in assessments if a["instrument"] == "PHQ-9" and a["answers"][8] > 0]
    assert len(coded(bundle, LOINC, "44260-8")) == len(positive)
    for key, code in (("bp_before", "85354-9"), ("heart_rate_before", "8867-4")):
        after = key.replace("before", "after")
        written = sum(s.get(key) is not None for s in sessions)
        written += sum(s.get(after) is not None for s in sessions)
        if key == "bp_before":
            written += sum(s.get("bp_mid") is not None for s in sessions)
        assert len(coded(bundle, LOINC, code)) == written
    for key in ("anxiety_before", "anxiety_after", "dissociation"):
        code = "session-" + key.replace("_", "-")
        assert len(coded(bundle, ONSET, code)) == sum(s.get(key) is not None for s in sessions)
    assert len(resources(bundle, "Patient")) == 1
    assert len(bundle["entry"]) == len({e["fullUrl"] for e in bundle["entry"]})


def test_every_code_is_listed_where_the_readme_and_resources_say(two_years: Any) -> None:
    bundle, _ = two_years
    listed = json.loads((REPO / "resources" / "fhir" / "onset-codes.json").read_text("utf-8"))
    assert listed["system"] == ONSET
    known = {c["code"] for c in listed["concept"]}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    sources = (REPO / "resources" / "fhir" / "sources.md").read_text(encoding="utf-8")
    assert ONSET in readme
    for code in known:
        assert f"`{code}`" in readme, f"README does not list {code}"
    seen: set[tuple[str, str]] = set()
    for path, _key, value in _codings(bundle):
        seen.add((value["system"], value["code"]))
        assert value["system"] in (LOINC, ONSET, RXNORM, UCUM) or "hl7.org" in value["system"], path
    for system, code in seen:
        if system == ONSET:
            assert code in known, code
        if system in (LOINC, RXNORM):
            assert code in sources, f"{code} has no recorded source"


def _codings(bundle: dict[str, Any]) -> Any:
    from tests.io.fhir_support import walk

    for path, key, value in walk(bundle):
        if isinstance(value, dict) and "system" in value and "code" in value:
            yield path, key, value


def test_every_catalogue_effect_has_an_onset_code() -> None:
    from tracker.domain.catalogue import catalogue
    from tracker.io.fhir.common import onset_codes

    for effect in catalogue():
        assert "side-effect-" + effect.replace("_", "-") in onset_codes()


# -- hand-made journals -----------------------------------------------------------------


@pytest.fixture
def sample(journal_path: Path) -> Path:
    return journal_from(journal_path, sample_document())


def test_the_patient_is_named_only_when_a_name_is_given(
    sample: Path, tmp_path: Path, capsys: Capsys
) -> None:
    unnamed = resources(export(sample, tmp_path, capsys), "Patient")
    assert unnamed == [{"resourceType": "Patient"}]
    named = resources(export(sample, tmp_path, capsys, "--name", "  Ana   Lima "), "Patient")
    assert named == [{"resourceType": "Patient", "name": [{"text": "Ana Lima"}]}]


def test_questionnaires_are_responses_keyed_by_loinc_item_codes(
    sample: Path, tmp_path: Path, capsys: Capsys
) -> None:
    bundle = export(sample, tmp_path, capsys)
    gad, phq, gad2 = resources(bundle, "QuestionnaireResponse")
    # GAD-7 of 2026-01-05 09:00, answers 2 1 3 0 1 2 1 = 10 (moderate), difficulty 1.
    assert gad["questionnaire"] == "http://loinc.org/q/69737-5"
    assert gad["status"] == "completed"
    assert gad["authored"].startswith("2026-01-05T09:00:00")
    assert [i["linkId"] for i in gad["item"]] == [*GAD7_LINKS, "70274-6", "difficulty"]
    answers = [i["answer"][0]["valueCoding"]["code"] for i in gad["item"][:7]]
    assert answers == ["LA6570-1", "LA6569-3", "LA6571-9", "LA6568-5", "LA6569-3", "LA6570-1",
                       "LA6569-3"]  # fmt: skip
    assert gad["item"][0]["answer"][0]["valueCoding"] == {
        "system": LOINC,
        "code": "LA6570-1",
        "display": "More than half the days",
    }
    assert gad["item"][7]["answer"] == [{"valueInteger": 10}]
    assert gad["item"][8]["answer"][0]["valueCoding"] == {
        "system": LOINC,
        "code": "LA6573-5",
        "display": "Somewhat difficult",
    }
    # PHQ-9 of 09:10, answers 1 2 1 2 1 1 0 0 1 = 9, no difficulty given.
    assert phq["questionnaire"] == "http://loinc.org/q/44249-1"
    assert [i["linkId"] for i in phq["item"]] == [*PHQ9_LINKS, "44261-6"]
    assert phq["item"][9]["answer"] == [{"valueInteger": 9}]
    for response in (gad, phq, gad2):
        assert all("code" not in item for item in response["item"])  # R4 has none there
        patient = response["subject"]
        assert response["author"] == response["source"] == patient

    totals = coded(bundle, LOINC, "70274-6") + coded(bundle, LOINC, "44261-6")
    assert [t["valueInteger"] for t in totals] == [10, 4, 9]  # GAD-7 1 1 0 0 1 0 1 = 4
    assert totals[0]["derivedFrom"] == [{"reference": url_of(bundle, gad)}]
    assert totals[2]["derivedFrom"] == [{"reference": url_of(bundle, phq)}]
    assert totals[0]["effectiveDateTime"] == gad["authored"]
    assert totals[0]["interpretation"] == [{"text": "moderate range"}]
    assert totals[2]["interpretation"] == [{"text": "mild range"}]


def test_a_positive_item_9_is_its_own_observation(
    journal_path: Path, tmp_path: Path, capsys: Capsys
) -> None:
    data = document(
        assessments=[
            {"instrument": "PHQ-9", "at": "2026-02-01T20:15", "answers": [0] * 8 + [2],
             "difficulty": 3},
            {"instrument": "PHQ-9", "at": "2026-02-15T20:15", "answers": [1] * 8 + [0]},
        ]
    )  # fmt: skip
    bundle = export(journal_from(journal_path, data), tmp_path, capsys)
    flagged = coded(bundle, LOINC, "44260-8")
    assert len(flagged) == 1  # the answer 0 of 15 February is in its response only
    response = resources(bundle, "QuestionnaireResponse")[0]
    assert flagged[0]["valueCodeableConcept"] == {
        "coding": [{"system": LOINC, "code": "LA6570-1", "display": "More than half the days"}],
        "text": "More than half the days",
    }
    assert flagged[0]["derivedFrom"] == [{"reference": url_of(bundle, response)}]
    assert flagged[0]["effectiveDateTime"] == response["authored"]
    assert flagged[0]["category"][0]["coding"][0]["code"] == "survey"
    assert response["item"][-1] == {
        "linkId": "69722-7",
        "text": response["item"][-1]["text"],
        "answer": [
            {"valueCoding": {"system": LOINC, "code": "LA6574-3", "display": "Extremely difficult"}}
        ],
    }


def test_a_session_with_every_vital(sample: Path, tmp_path: Path, capsys: Capsys) -> None:
    bundle = export(sample, tmp_path, capsys)
    iv, nasal, oral = resources(bundle, "MedicationAdministration")
    # 2026-01-06 10:00, iv, 35 mg = 0.5 mg/kg × 70 kg, 40 minutes, clinic North.
    assert iv["status"] == "completed"
    assert iv["medicationCodeableConcept"] == {"text": "ketamine"}
    start, end = iv["effectivePeriod"]["start"], iv["effectivePeriod"]["end"]
    assert start.startswith("2026-01-06T10:00:00") and end.startswith("2026-01-06T10:40:00")
    assert iv["dosage"]["dose"] == {"value": 35, "unit": "mg", "system": UCUM, "code": "mg"}
    assert iv["dosage"]["text"] == "35 mg (0.5 mg/kg at 70 kg)"
    assert iv["dosage"]["route"]["coding"] == [
        {"system": ONSET, "code": "route-iv", "display": "Intravenous infusion"}
    ]
    assert iv["note"] == [{"text": "Clinic: North"}]
    session = url_of(bundle, iv)
    part = [
        r for r in resources(bundle, "Observation") if r.get("partOf") == [{"reference": session}]
    ]
    by_code = {(codes(r)[0][1], r["code"]["text"]): r for r in part}
    bp_before = by_code[("85354-9", "Blood pressure before the session")]
    bp_after = by_code[("85354-9", "Blood pressure after the session")]
    hr_before = by_code[("8867-4", "Heart rate before the session")]
    hr_after = by_code[("8867-4", "Heart rate after the session")]
    for reading in (bp_before, bp_after, hr_before, hr_after):
        assert reading["category"][0]["coding"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs",
            "display": "Vital Signs",
        }
    assert bp_before["effectiveDateTime"] == start and hr_before["effectiveDateTime"] == start
    assert bp_after["effectiveDateTime"] == end and hr_after["effectiveDateTime"] == end

    def pressure(reading: dict[str, Any]) -> list[tuple[str, int, str, str]]:
        return [
            (
                c["code"]["coding"][0]["code"],
                c["valueQuantity"]["value"],
                c["valueQuantity"]["system"],
                c["valueQuantity"]["code"],
            )
            for c in reading["component"]
        ]

    assert pressure(bp_before) == [("8480-6", 128, UCUM, "mm[Hg]"), ("8462-4", 82, UCUM, "mm[Hg]")]
    assert pressure(bp_after) == [("8480-6", 142, UCUM, "mm[Hg]"), ("8462-4", 90, UCUM, "mm[Hg]")]
    assert hr_before["valueQuantity"] == {
        "value": 72, "unit": "beats/minute", "system": UCUM, "code": "/min"
    }  # fmt: skip
    assert hr_after["valueQuantity"]["value"] == 80
    ratings = {codes(r)[0][1]: r for r in part if codes(r)[0][0] == ONSET}
    assert ratings["session-anxiety-before"]["valueInteger"] == 7
    assert ratings["session-anxiety-before"]["effectiveDateTime"] == start
    assert ratings["session-anxiety-after"]["valueInteger"] == 3
    assert ratings["session-anxiety-after"]["effectiveDateTime"] == end
    assert ratings["session-dissociation"]["valueInteger"] == 6
    assert ratings["session-dissociation"]["effectivePeriod"] == {"start": start, "end": end}
    assert len(part) == 8  # 4 vital signs, 3 ratings, and the nausea that followed

    # Intranasal is esketamine, the one medicine a source confirmed an RxNorm code for.
    assert nasal["medicationCodeableConcept"] == {
        "text": "esketamine",
        "coding": [{"system": RXNORM, "code": "2201623", "display": "esketamine Nasal Spray"}],
    }
    assert nasal["effectiveDateTime"] == "2026-01-09T10:00:00+01:00"  # its own offset kept
    assert nasal["dosage"]["dose"]["value"] == 56
    # 300 mg oral at 55 kg is 5.45 mg/kg, beyond the 5 mg/kg that may be entered: like the
    # JSON export, the export does not state a per-kg dose nobody entered.
    assert oral["dosage"]["text"] == "300 mg"


def test_a_session_without_a_dose_or_length_says_only_what_is_known(
    journal_path: Path, tmp_path: Path, capsys: Capsys
) -> None:
    data = document(
        sessions=[{"at": "2026-03-02T14:00", "route": "im", "bp_after": [130, 85],
                   "anxiety_after": 2},
                  {"at": "2026-03-09T14:00", "route": "subcutaneous", "dose_mg_per_kg": 0.5}],
    )  # fmt: skip
    bundle = export(journal_from(journal_path, data), tmp_path, capsys)
    session, per_kg = resources(bundle, "MedicationAdministration")
    assert "dosage" not in session
    assert session["note"] == [{"text": "Route: Intramuscular; dose not recorded"}]
    assert per_kg["note"] == [{"text": "Route: Subcutaneous; dose 0.5 mg/kg, weight not recorded"}]
    assert session["effectiveDateTime"].startswith("2026-03-02T14:00:00")
    (bp,) = coded(bundle, LOINC, "85354-9")
    # No length: "after" is known only to be from the start on.
    assert bp["effectivePeriod"] == {"start": session["effectiveDateTime"]}
    assert coded(bundle, ONSET, "session-anxiety-after")[0]["effectivePeriod"] == {
        "start": session["effectiveDateTime"]
    }


def test_side_effects_keep_their_name_severity_time_and_session(
    sample: Path, tmp_path: Path, capsys: Capsys
) -> None:
    bundle = export(sample, tmp_path, capsys)
    iv, nasal, _ = resources(bundle, "MedicationAdministration")
    (nausea,) = coded(bundle, ONSET, "side-effect-nausea")
    (other,) = coded(bundle, ONSET, "side-effect-other")
    (headache,) = coded(bundle, ONSET, "side-effect-headache")
    assert nausea["effectivePeriod"]["start"].startswith("2026-01-06T11:00:00")
    assert nausea["effectivePeriod"]["end"].startswith("2026-01-06T11:30:00")  # 30 minutes
    assert nausea["partOf"] == [{"reference": url_of(bundle, iv)}]
    assert nausea["valueCodeableConcept"]["coding"][0]["code"] == "severity-mild"
    assert other["code"] == {
        "coding": [
            {
                "system": ONSET,
                "code": "side-effect-other",
                "display": "Side effect named by the patient",
            }
        ],
        "text": "tingling hands",
    }
    assert other["valueCodeableConcept"]["coding"][0]["code"] == "severity-moderate"
    assert other["partOf"] == [{"reference": url_of(bundle, nasal)}]
    assert "partOf" not in headache
    assert headache["valueCodeableConcept"]["coding"][0]["code"] == "severity-severe"


def test_a_side_effect_whose_session_is_outside_the_days_names_it(
    journal_path: Path, tmp_path: Path, capsys: Capsys
) -> None:
    data = document(
        sessions=[{"at": "2026-01-06T22:00", "route": "oral", "dose_mg": 150}],
        side_effects=[{"at": "2026-01-07T08:00", "effect": "headache", "severity": "mild",
                       "session_at": "2026-01-06T22:00"}],
    )  # fmt: skip
    path = journal_from(journal_path, data)
    both = export(path, tmp_path, capsys)
    (session,) = resources(both, "MedicationAdministration")
    assert coded(both, ONSET, "side-effect-headache")[0]["partOf"] == [
        {"reference": url_of(both, session)}
    ]
    alone = export(path, tmp_path, capsys, "--from", "2026-01-07")
    assert resources(alone, "MedicationAdministration") == []
    assert coded(alone, ONSET, "side-effect-headache")[0]["partOf"] == [
        {"display": "the session of 2026-01-06T22:00"}
    ]


def test_check_ins_are_observations_with_their_ratings_and_sleep_in_hours(
    sample: Path, tmp_path: Path, capsys: Capsys
) -> None:
    bundle = export(sample, tmp_path, capsys)
    first, late, offset = coded(bundle, ONSET, "checkin")
    assert [
        (c["code"]["coding"][0]["code"], c.get("valueInteger")) for c in first["component"]
    ] == [
        ("checkin-anxiety", 6),
        ("checkin-mood", 4),
        ("sleep-hours", None),
    ]
    assert first["component"][2]["valueQuantity"] == {
        "value": 6.5, "unit": "h", "system": UCUM, "code": "h"
    }  # fmt: skip
    assert [c["code"]["coding"][0]["code"] for c in late["component"]] == ["checkin-anxiety"]
    assert late["effectiveDateTime"].startswith("2026-01-05T23:30:00")
    assert offset["effectiveDateTime"] == "2026-01-06T08:15:30+01:00"
    assert "note" not in first  # a check-in note is the patient's own, not for the clinic file


def test_the_same_entry_gets_the_same_full_url_in_every_export(
    sample: Path, tmp_path: Path, capsys: Capsys
) -> None:
    first = export(sample, tmp_path, capsys)
    second = export(sample, tmp_path, capsys, "--name", "Ana")
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    # Correcting a value keeps the identity, so a clinic system sees the correction.
    with Journal.open(sample) as journal:
        checkin = journal.checkins()[0]
        journal.update(replace(checkin, anxiety=2))
    third = export(sample, tmp_path, capsys)
    assert [e["fullUrl"] for e in third["entry"]] == [e["fullUrl"] for e in first["entry"]]
    assert coded(third, ONSET, "checkin")[0]["component"][0]["valueInteger"] == 2
    # Another journal holding the very same entries shares none of them.
    other = export(journal_from(tmp_path / "other.onset", sample_document()), tmp_path, capsys)
    assert not {e["fullUrl"] for e in other["entry"]} & {e["fullUrl"] for e in first["entry"]}


# -- local times ------------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "offset"), [("Pacific/Kiritimati", "+14:00"),
                                              ("Etc/GMT+12", "-12:00")])  # fmt: skip
def test_a_late_entry_stays_on_its_day_far_east_and_far_west(
    journal_path: Path, tmp_path: Path, zone: str, offset: str
) -> None:
    data = document(
        checkins=[{"at": "2026-01-05T23:30", "anxiety": 4}],
        sessions=[{"at": "2026-01-05T23:30", "route": "iv", "duration_min": 40,
                   "bp_after": [120, 80]}],
        assessments=[{"instrument": "GAD-7", "at": "2026-01-05T23:30", "answers": [1] * 7}],
        side_effects=[{"at": "2026-01-05T23:59", "effect": "other:=cmd", "severity": "mild",
                       "session_at": "2026-01-05T23:30"}],
    )  # fmt: skip
    with Journal.open(journal_from(journal_path, data)) as journal:
        bundle = export_bundle(journal, zone=ZoneInfo(zone))
    assert_valid(bundle)
    (checkin,) = coded(bundle, ONSET, "checkin")
    assert checkin["effectiveDateTime"] == f"2026-01-05T23:30:00{offset}"
    (response,) = resources(bundle, "QuestionnaireResponse")
    assert response["authored"] == f"2026-01-05T23:30:00{offset}"
    (session,) = resources(bundle, "MedicationAdministration")
    # 40 minutes after 23:30 is 00:10 of the next day, wall clock.
    assert session["effectivePeriod"] == {
        "start": f"2026-01-05T23:30:00{offset}",
        "end": f"2026-01-06T00:10:00{offset}",
    }
    (effect,) = coded(bundle, ONSET, "side-effect-other")
    assert effect["effectiveDateTime"] == f"2026-01-05T23:59:00{offset}"
    assert effect["code"]["text"] == "=cmd"  # JSON is not a spreadsheet: kept as written


def test_wall_clock_times_take_the_journal_s_own_zone(journal_path: Path) -> None:
    data = document(checkins=[{"at": "2026-07-01T21:10", "anxiety": 4},
                              {"at": "2026-12-01T21:10", "anxiety": 5}])  # fmt: skip
    with Journal.open(journal_from(journal_path, data)) as journal:
        journal.set_time_zone("America/New_York")
        bundle = export_bundle(journal)
    assert_valid(bundle)
    # New York is UTC-4 in July (summer time) and UTC-5 in December, whatever this
    # machine's own zone is.
    times = sorted(c["effectiveDateTime"] for c in coded(bundle, ONSET, "checkin"))
    assert times == ["2026-07-01T21:10:00-04:00", "2026-12-01T21:10:00-05:00"]


def test_medicines_doses_and_the_mid_session_reading(journal_path: Path) -> None:
    data = document(
        sessions=[{"at": "2026-01-08T10:00", "route": "intranasal", "devices": 3,
                   "bp_mid": [150, 95], "bp_mid_min": 40}],
        medications=[
            {"name": "lorazepam", "class": "benzodiazepine", "dose_mg": 1.0,
             "schedule": "as_needed", "started": "2025-11-01", "stopped": None},
            {"name": "sertraline", "class": "antidepressant", "dose_mg": 50.0,
             "schedule": "regular", "times_per_day": 1, "started": "2025-06-01",
             "stopped": "2025-12-31"},
        ],
        medication_doses=[{"at": "2026-01-07T22:00", "medication": "lorazepam", "dose_mg": 1.0}],
    )  # fmt: skip
    data["version"] = 2
    with Journal.open(journal_from(journal_path, data)) as journal:
        journal.set_time_zone("Europe/Berlin")
        bundle = export_bundle(journal)
    assert_valid(bundle)
    statements = {
        r["medicationCodeableConcept"]["text"]: r for r in resources(bundle, "MedicationStatement")
    }
    lorazepam, sertraline = statements["lorazepam"], statements["sertraline"]
    assert lorazepam["status"] == "active" and lorazepam["category"]["text"] == "Benzodiazepine"
    assert lorazepam["effectivePeriod"] == {"start": "2025-11-01"}
    assert lorazepam["dosage"][0]["asNeededBoolean"] is True
    assert sertraline["status"] == "completed"
    assert sertraline["effectivePeriod"] == {"start": "2025-06-01", "end": "2025-12-31"}
    assert sertraline["dosage"][0]["timing"]["repeat"] == {
        "frequency": 1,
        "period": 1,
        "periodUnit": "d",
    }
    (dose,) = [
        r
        for r in resources(bundle, "MedicationAdministration")
        if r["medicationCodeableConcept"]["text"] == "lorazepam"
    ]
    assert dose["effectiveDateTime"] == "2026-01-07T22:00:00+01:00"
    assert dose["dosage"]["dose"]["value"] == 1 and dose["dosage"]["dose"]["code"] == "mg"
    by_url = {
        e["resource"]["resourceType"]
        + e["resource"].get("medicationCodeableConcept", {}).get("text", ""): e["fullUrl"]
        for e in bundle["entry"]
    }
    assert dose["supportingInformation"] == [{"reference": by_url["MedicationStatementlorazepam"]}]
    # 28 mg x 3 devices; the mid-session reading 40 minutes after a 10:00 start.
    (session,) = [
        r
        for r in resources(bundle, "MedicationAdministration")
        if r["medicationCodeableConcept"]["text"] == "esketamine"
    ]
    assert session["dosage"]["dose"]["value"] == 84
    (mid,) = [r for r in coded(bundle, LOINC, "85354-9") if "during" in r["code"]["text"]]
    assert mid["effectiveDateTime"] == "2026-01-08T10:40:00+01:00"
    assert [c["valueQuantity"]["value"] for c in mid["component"]] == [150, 95]


def test_the_follow_up_check_is_a_response_of_onset_s_own_questionnaire(
    journal_path: Path,
) -> None:
    answers = dict.fromkeys(
        ["bladder_pain", "urgency", "frequency", "blood_in_urine", "memory",
         "concentration", "craving", "use_outside_treatment"], "none",
    )  # fmt: skip
    answers |= {"urgency": "mild", "craving": "severe"}
    data = document(
        followups=[{"at": "2026-02-05T09:00", "answers": answers, "note": "private words"}]
    )
    data["version"] = 2
    with Journal.open(journal_from(journal_path, data)) as journal:
        journal.set_time_zone("Europe/Berlin")
        bundle = export_bundle(journal)
    assert_valid(bundle)
    responses = [r for r in resources(bundle, "QuestionnaireResponse")
                 if r["questionnaire"] == "urn:onset-journal:questionnaire:followup"]  # fmt: skip
    (response,) = responses
    assert response["authored"] == "2026-02-05T09:00:00+01:00"
    got = {i["linkId"]: i["answer"][0]["valueCoding"]["code"] for i in response["item"]}
    assert got == {key: f"level-{level}" for key, level in answers.items()}
    assert all(i["answer"][0]["valueCoding"]["system"] == ONSET for i in response["item"])
    assert "private words" not in json.dumps(bundle)  # the note stays out, as other notes do


def test_a_written_offset_is_kept_whatever_the_zone() -> None:
    at = datetime.fromisoformat("2026-01-05T23:30+05:00")
    assert fhir_datetime(at, ZoneInfo("Etc/GMT+12")) == "2026-01-05T23:30:00+05:00"
    # In the journal's zone, a summer time takes that zone's summer offset.
    berlin = ZoneInfo("Europe/Berlin")
    assert fhir_datetime(datetime(2026, 7, 1, 23, 30), berlin) == "2026-07-01T23:30:00+02:00"
    assert fhir_datetime(datetime(2026, 1, 5, 23, 30), berlin) == "2026-01-05T23:30:00+01:00"


# -- hostile journals -------------------------------------------------------------------


def test_entries_at_the_ends_of_the_calendar_export(
    journal_path: Path, tmp_path: Path, capsys: Capsys
) -> None:
    # Times outside 1900–2100 are refused on import (journal-format.md). A journal that
    # already holds some exports everything else and names them (exit 3).
    import sqlite3

    journal_from(journal_path, document(checkins=[{"at": "2026-01-05T08:00", "anxiety": 2}]))
    conn = sqlite3.connect(journal_path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(
        "INSERT INTO checkins (at, sort_at, anxiety, fingerprint) "
        "VALUES ('0001-01-01T00:00', '0001-01-01T00:00:00', 1, 'a')"
    )
    conn.execute(
        "INSERT INTO sessions (at, sort_at, route, duration_min, fingerprint) "
        "VALUES ('9999-12-31T23:50', '9999-12-31T23:50:00', 'iv', 40, 'b')"
    )
    conn.close()
    out = tmp_path / "bundle.fhir.json"
    result = run_cli(["export", "fhir", "--out", str(out), "--journal", str(journal_path)], capsys)
    assert result.code == 3, result
    assert "checkins row 2" in result.err and "sessions row 1" in result.err
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert_valid(bundle)
    (checkin,) = coded(bundle, ONSET, "checkin")
    assert checkin["effectiveDateTime"].startswith("2026-01-05T08:00:00")
    assert resources(bundle, "MedicationAdministration") == []


def test_a_journal_that_cannot_keep_its_namespace_still_exports_and_says_so(
    sample: Path, tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.storage.errors import JournalWriteError

    def refuse(self: Journal, key: str, value: str) -> None:
        raise JournalWriteError(self.path, "the journal file is read-only")

    monkeypatch.setattr(Journal, "set_setting", refuse)
    out = tmp_path / "bundle.json"
    result = run_cli(["export", "fhir", "--out", str(out), "--journal", str(sample)], capsys)
    assert result.code == 0, result.err
    assert "could not keep the identity of its FHIR resources" in result.err
    assert "the journal file is read-only" in result.err
    assert_valid(json.loads(out.read_text(encoding="utf-8")))


def test_a_damaged_namespace_setting_is_replaced(sample: Path) -> None:
    from tracker.io.fhir import journal_ids
    from tracker.io.fhir.common import NAMESPACE_SETTING

    with Journal.open(sample) as journal:
        journal.set_setting(NAMESPACE_SETTING, "not a uuid \x00")
        made = journal_ids(journal)
        assert journal.setting(NAMESPACE_SETTING) == str(made.namespace)
        assert journal_ids(journal) == made


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set this process's time zone (TZ + tzset); put it back afterwards."""
    import time

    def switch(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("zone", "offset"), [("Pacific/Kiritimati", "+14:00"),
                                              ("Etc/GMT+12", "-12:00")])  # fmt: skip
def test_the_machine_offset_reaches_the_ends_of_the_calendar(
    machine_zone: Any, zone: str, offset: str
) -> None:
    machine_zone(zone)
    assert fhir_datetime(datetime(2026, 1, 5, 23, 30)) == f"2026-01-05T23:30:00{offset}"
    assert fhir_datetime(datetime(9999, 12, 31, 23, 30)) == f"9999-12-31T23:30:00{offset}"
    # Year 1 gets the zone's earliest known offset (Kiritimati was -10:40 before 1979);
    # the written time is what must not move.
    assert FHIR_TIME.match(fhir_datetime(datetime(1, 1, 1, 0, 0)))
    assert fhir_datetime(datetime(1, 1, 1, 0, 0)).startswith("0001-01-01T00:00:00")
    assert fhir_datetime(datetime(4, 2, 29, 12, 0)).startswith("0004-02-29T12:00:00")


@pytest.mark.parametrize("fmt", ["fhir", "pdf"])
def test_a_name_that_is_not_utf8_is_refused_before_anything_is_written(
    sample: Path, tmp_path: Path, capsys: Capsys, fmt: str
) -> None:
    out = tmp_path / f"out.{fmt}"
    name = b"Ana \xff".decode("utf-8", "surrogateescape")  # what Python makes of such argv
    argv = ["export", fmt, "--out", str(out), "--name", name, "--journal", str(sample)]
    result = run_cli(argv, capsys)
    assert result.code == 2
    assert "the name is not readable text" in result.err
    assert not out.exists()
