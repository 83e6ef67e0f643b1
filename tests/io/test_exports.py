"""CSV and FHIR exports: what a spreadsheet or a clinic system reads from the journal."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import run_cli, sample_document
from tracker.domain.instruments import instrument
from tracker.io.journal_json import read_document
from tracker.journal import Journal

Capsys = pytest.CaptureFixture[str]
LOINC = "http://loinc.org"
FHIR_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture
def filled(journal_path: Path) -> Path:
    with Journal.open(journal_path, create=True) as journal:
        journal.import_entries(read_document(sample_document()))
    return journal_path


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_csv_export_writes_a_file_per_kind_with_headers_and_iso_dates(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    out = tmp_path / "csv"
    result = run_cli(["export", "csv", "--out", str(out), "--journal", str(filled)], capsys)
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.iterdir()) == [
        "assessments.csv",
        "checkins.csv",
        "followups.csv",
        "reflections.csv",
        "sessions.csv",
        "side_effects.csv",
    ]
    headers = {p.stem: read_csv(p)[0] for p in out.iterdir()}
    assert headers["checkins"] == ["at", "date", "anxiety", "mood", "sleep_hours", "note"]
    assert headers["assessments"] == [
        "at",
        "date",
        "instrument",
        *(f"item_{n}" for n in range(1, 10)),
        "difficulty",
        "total",
        "severity",
    ]
    assert headers["sessions"][:3] == ["at", "date", "route"]
    assert {"bp_before_systolic", "bp_before_diastolic", "heart_rate_after", "dissociation"} <= (
        set(headers["sessions"])
    )
    assert headers["side_effects"] == [
        "at",
        "date",
        "effect",
        "severity",
        "duration_min",
        "session_at",
        "note",
    ]
    document = sample_document()
    for stem, section in (
        ("checkins", "checkins"),
        ("assessments", "assessments"),
        ("sessions", "sessions"),
        ("side_effects", "side_effects"),
    ):
        _, rows = read_csv(out / f"{stem}.csv")
        assert len(rows) == len(document[section])
        for row in rows:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["date"])
            assert row["at"].startswith(row["date"] + "T")
    _, checkins = read_csv(out / "checkins.csv")
    assert checkins[0] == {
        "at": "2026-01-05T21:10",
        "date": "2026-01-05",
        "anxiety": "6",
        "mood": "4",
        "sleep_hours": "6.5",
        "note": "tense day",
    }
    assert checkins[2]["at"] == "2026-01-06T08:15:30+01:00"
    assert checkins[2]["note"] == "é ✓"
    _, assessments = read_csv(out / "assessments.csv")
    gad = assessments[0]
    assert [gad[f"item_{n}"] for n in range(1, 8)] == ["2", "1", "3", "0", "1", "2", "1"]
    assert (gad["item_8"], gad["item_9"], gad["total"], gad["severity"]) == (
        "",
        "",
        "10",
        "moderate",
    )
    assert assessments[1]["item_9"] == "1"
    _, sessions = read_csv(out / "sessions.csv")
    assert (sessions[0]["bp_before_systolic"], sessions[0]["bp_before_diastolic"]) == ("128", "82")
    assert sessions[1]["bp_before_systolic"] == ""
    _, effects = read_csv(out / "side_effects.csv")
    assert effects[0]["session_at"] == "2026-01-06T10:00"
    assert effects[1]["effect"] == "other:tingling hands"


def test_a_ranged_csv_export_keeps_only_those_days(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    out = tmp_path / "csv"
    argv = ["export", "csv", "--out", str(out), "--from", "2026-01-05", "--to", "2026-01-05"]
    assert run_cli([*argv, "--journal", str(filled)], capsys).code == 0
    _, checkins = read_csv(out / "checkins.csv")
    assert [c["at"] for c in checkins] == ["2026-01-05T21:10", "2026-01-05T23:30"]
    assert read_csv(out / "sessions.csv")[1] == []


def fhir(filled: Path, tmp_path: Path, capsys: Capsys) -> dict[str, Any]:
    out = tmp_path / "bundle.json"
    result = run_cli(["export", "fhir", "--out", str(out), "--journal", str(filled)], capsys)
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def test_fhir_export_is_a_bundle_of_responses_and_total_observations(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    bundle = fhir(filled, tmp_path, capsys)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    assert FHIR_TIME.match(bundle["timestamp"])
    resources = [e["resource"] for e in bundle["entry"]]
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    assessments = sample_document()["assessments"]
    assert len(responses) == len(observations) == len(assessments) == 3
    assert len({e["fullUrl"] for e in bundle["entry"]}) == 6
    urls = {id(e["resource"]): e["fullUrl"] for e in bundle["entry"]}

    for given, response, observation in zip(assessments, responses, observations, strict=True):
        definition = instrument(given["instrument"])
        assert response["status"] == "completed"
        assert response["questionnaire"].endswith(definition.panel_loinc)
        assert FHIR_TIME.match(response["authored"])
        assert response["authored"].startswith(given["at"] + ":00")
        items = {item["linkId"]: item for item in response["item"]}
        for number, answer in enumerate(given["answers"], start=1):
            coding = items[str(number)]["answer"][0]["valueCoding"]
            option = definition.options[answer]
            assert coding == {"system": LOINC, "code": option.loinc, "display": option.label}
            assert items[str(number)]["text"] == definition.items[number - 1].text
        total = sum(given["answers"])
        assert items["total"]["answer"] == [{"valueInteger": total}]
        assert items["total"]["code"][0]["code"] == definition.total_loinc

        assert observation["status"] == "final"
        assert observation["code"]["coding"][0] == {
            "system": LOINC,
            "code": definition.total_loinc,
            "display": f"{definition.id} total score",
        }
        assert observation["valueInteger"] == total
        assert observation["effectiveDateTime"] == response["authored"]
        assert observation["derivedFrom"] == [{"reference": urls[id(response)]}]
        assert observation["category"][0]["coding"][0]["code"] == "survey"

    gad_items = {i["linkId"]: i for i in responses[0]["item"]}
    assert gad_items["1"]["code"] == [
        {"system": LOINC, "code": "69725-0", "display": "Feeling nervous, anxious, or on edge"}
    ]
    assert gad_items["difficulty"]["answer"] == [{"valueString": "Somewhat difficult"}]
    phq_items = {i["linkId"]: i for i in responses[1]["item"]}
    assert phq_items["9"]["code"][0]["code"] == "44260-8"
    assert "code" not in phq_items["1"]
    assert "difficulty" not in phq_items
    assert observations[0]["valueInteger"] == 10
    assert observations[0]["interpretation"] == [{"text": "moderate range"}]
    assert observations[1]["code"]["coding"][0]["code"] == "44261-6"


def test_fhir_resources_have_the_same_ids_on_every_export(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    first = fhir(filled, tmp_path, capsys)
    second = fhir(filled, tmp_path, capsys)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in first["entry"])


def test_an_export_to_a_place_that_cannot_be_written_fails_cleanly(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for fmt, out in (
        ("json", tmp_path / "no" / "dir" / "x.json"),
        ("csv", blocker),
        ("fhir", tmp_path / "no" / "x.json"),
    ):
        result = run_cli(["export", fmt, "--out", str(out), "--journal", str(filled)], capsys)
        assert result.code == 1, (fmt, result)
        assert "nothing was written" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["a-file", filled.name, *(["backups"] if (tmp_path / "backups").exists() else [])]
    )
