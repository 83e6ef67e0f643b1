"""`reflections` and `followups` in JSON version 2: the documented example, links, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import run_cli
from tracker.domain.between import FOLLOWUP_KEYS
from tracker.journal import Journal

SESSION = {"at": "2026-01-08T10:00", "route": "intranasal", "dose_mg": 84.0}
REFLECTION = {
    "at": "2026-01-09T20:00",
    "session_at": "2026-01-08T10:00",
    "prompt": "still_with_you",
    "text": "lighter in the morning",
}
FOLLOWUP = {
    "at": "2026-02-05T09:00",
    "answers": {
        "bladder_pain": "none",
        "urgency": "mild",
        "frequency": "none",
        "blood_in_urine": "none",
        "memory": "none",
        "concentration": "mild",
        "craving": "none",
        "use_outside_treatment": "none",
    },
    "note": "",
}


def document(**sections: Any) -> dict[str, Any]:
    return {"format": "onset-journal", "version": 2, **sections}


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_documented_lists_import_and_export_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(
        tmp_path / "in.json",
        document(sessions=[SESSION], reflections=[REFLECTION], followups=[FOLLOWUP]),
    )
    journal = ["--journal", str(tmp_path / "j.onset")]
    assert run_cli(["import", str(source), *journal], capsys).code == 0
    assert run_cli(["import", str(source), *journal], capsys).code == 0  # adds nothing
    out = tmp_path / "out.json"
    assert run_cli(["export", "json", "--out", str(out), *journal], capsys).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["reflections"] == [REFLECTION]
    assert data["followups"] == [FOLLOWUP]
    assert list(data["followups"][0]["answers"]) == list(FOLLOWUP_KEYS)


def test_a_ranged_export_brings_the_session_a_reflection_is_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "j.onset"
    write(tmp_path / "in.json", document(sessions=[SESSION], reflections=[REFLECTION]))
    assert run_cli(["import", str(tmp_path / "in.json"), "--journal", str(path)], capsys).code == 0
    out = tmp_path / "day.json"
    args = ["export", "json", "--out", str(out), "--from", "2026-01-09", "--to", "2026-01-09"]
    assert run_cli([*args, "--journal", str(path)], capsys).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["at"] for s in data["sessions"]] == ["2026-01-08T10:00"]
    # ... so that the export imports on its own into an empty journal.
    empty = tmp_path / "empty.onset"
    assert run_cli(["import", str(out), "--journal", str(empty)], capsys).code == 0
    with Journal.open(empty, backups=False) as copy:
        assert [r.to_json() for r in copy.reflections()] == [REFLECTION]


def test_every_problem_is_listed_with_its_place_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_followup = FOLLOWUP | {"answers": FOLLOWUP["answers"] | {"memory": "some"}}
    source = write(
        tmp_path / "bad.json",
        document(
            checkins=[{"at": "2026-01-05T21:10", "anxiety": 6}],
            reflections=[REFLECTION, {"at": "2026-01-09T21:00", "text": ""}],
            followups=[bad_followup],
        ),
    )
    path = tmp_path / "j.onset"
    result = run_cli(["import", str(source), "--journal", str(path)], capsys)
    assert result.code == 1
    assert (
        "reflections[0].session_at: there is no session at 2026-01-08T10:00 in this file or "
        "the journal" in result.err
    )
    assert "reflections[1].text: is empty" in result.err
    assert "followups[0].answers: memory: 'some' is not one of" in result.err
    if path.exists():
        with Journal.open(path, backups=False) as journal:
            assert journal.is_empty()


def test_the_lists_must_be_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "bad.json", document(reflections={"text": "x"}, followups="none"))
    result = run_cli(["import", str(source), "--journal", str(tmp_path / "j.onset")], capsys)
    assert result.code == 1
    assert "reflections: must be a list, not an object" in result.err
    assert "followups: must be a list, not text" in result.err


def test_csv_has_a_file_for_reflections_and_one_for_followups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv

    source = write(
        tmp_path / "in.json",
        document(sessions=[SESSION], reflections=[REFLECTION], followups=[FOLLOWUP]),
    )
    journal = ["--journal", str(tmp_path / "j.onset")]
    assert run_cli(["import", str(source), *journal], capsys).code == 0
    out = tmp_path / "csv"
    assert run_cli(["export", "csv", "--out", str(out), *journal], capsys).code == 0
    with (out / "reflections.csv").open(encoding="utf-8", newline="") as handle:
        reflections = list(csv.DictReader(handle))
    assert reflections == [
        {
            "at": "2026-01-09T20:00",
            "date": "2026-01-09",
            "session_at": "2026-01-08T10:00",
            "prompt": "still_with_you",
            "text": "lighter in the morning",
        }
    ]
    with (out / "followups.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["at", "date", *FOLLOWUP_KEYS, "note"]
        (row,) = list(reader)
    assert (row["urgency"], row["concentration"], row["memory"]) == ("mild", "mild", "none")
