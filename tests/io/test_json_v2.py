"""JSON version 2: medicines, doses, the plan and the clinic's session fields, exactly as
journal-format.md; version-1 files still import; every refusal whole and placed."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import counts, run_cli, sample_document, snapshot, write_json
from tracker.domain.between import FOLLOWUP_KEYS
from tracker.journal import ALL_KINDS, Journal

Capsys = pytest.CaptureFixture[str]

# The example of journal-format.md, "JSON, version 2" (without reflections and follow-ups,
# which belong to a later format step), with a medicine current at the dose's time.
EXAMPLE: dict[str, Any] = {
    "format": "onset-journal",
    "version": 2,
    "sessions": [
        {"at": "2026-01-08T10:00", "route": "intranasal", "devices": 3, "dose_mg": 84.0,
         "bp_mid": [150, 95], "bp_mid_min": 40, "sleepiness": 4, "ready_after_min": 110,
         "intention": "notice the tightness in my chest without fighting it"}
    ],
    "medications": [
        {"name": "lorazepam", "class": "benzodiazepine", "dose_mg": 1.0,
         "schedule": "as_needed", "times_per_day": None, "started": "2025-11-01",
         "stopped": None, "note": ""}
    ],
    "medication_doses": [
        {"at": "2026-01-07T22:00", "medication": "lorazepam", "dose_mg": 1.0, "note": ""}
    ],
    "planned_sessions": [{"at": "2026-01-15T10:00", "route": "intranasal", "note": ""}],
}  # fmt: skip


def full_document() -> dict[str, Any]:
    """Version 1's sample with everything version 2 adds, and two periods of one medicine."""
    document = sample_document() | copy.deepcopy(EXAMPLE)
    document["sessions"] = sample_document()["sessions"] + EXAMPLE["sessions"]
    document["medications"] += [
        {"name": "Sertraline", "class": "antidepressant", "dose_mg": 50.0,
         "schedule": "regular", "times_per_day": 1, "started": "2025-06-01",
         "stopped": "2025-12-20", "note": "mornings"},
        {"name": "sertraline", "class": "antidepressant", "dose_mg": 100.0,
         "schedule": "regular", "times_per_day": 1, "started": "2026-01-03",
         "stopped": None, "note": None},
    ]  # fmt: skip
    document["medication_doses"].append(
        {"at": "2026-01-05T23:30+01:00", "medication": "LORAZEPAM", "dose_mg": 0.5, "note": None}
    )
    document["planned_sessions"].append(
        {"at": "2026-01-07T10:00", "route": "iv", "note": "booked", "dismissed": True}
    )
    # What is written between sessions shares the one document: a reflection on a session
    # of the file, a free one, and a follow-up check.
    session_at = document["sessions"][0]["at"]
    document["reflections"] = [
        {"at": "2026-01-08T20:00", "session_at": session_at, "prompt": "what_came_up",
         "text": "the lake again, calmer"},
        {"at": "2026-01-09T21:00", "session_at": None, "prompt": None, "text": "tired"},
    ]  # fmt: skip
    document["followups"] = [
        {"at": "2026-01-20T09:30", "answers": dict.fromkeys(FOLLOWUP_KEYS, "none")
         | {"memory": "mild"}, "note": None},
    ]  # fmt: skip
    return document


def cli(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    result = run_cli(list(argv), capsys)
    return result.code, result.out, result.err


def export(journal: Path, out: Path, capsys: Capsys, *extra: str) -> dict[str, Any]:
    code, _, err = cli(
        capsys, "export", "json", "--out", str(out), "--journal", str(journal), *extra
    )
    assert code == 0, err
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    data.pop("exported_at")
    return data


def test_the_documented_example_reads_and_writes_back_exactly(
    tmp_path: Path, capsys: Capsys
) -> None:
    source = write_json(tmp_path / "example.json", EXAMPLE)
    code, out, err = cli(capsys, "import", str(source), "--journal", str(tmp_path / "j.onset"))
    assert code == 0, err
    assert out.startswith("imported 4 entries")
    again = export(tmp_path / "j.onset", tmp_path / "again.json", capsys)
    assert again["version"] == 2
    assert again["medications"] == EXAMPLE["medications"]
    assert again["medication_doses"] == EXAMPLE["medication_doses"]
    # A plan is written with whether it was dismissed (a field version 2 may add).
    assert again["planned_sessions"] == [EXAMPLE["planned_sessions"][0] | {"dismissed": False}]
    session = again["sessions"][0]
    assert {k: session[k] for k in EXAMPLE["sessions"][0]} == EXAMPLE["sessions"][0]
    # One version-2 document: what is written between sessions is listed too (none here).
    assert again["reflections"] == [] and again["followups"] == []


def test_export_import_export_is_identical_and_a_second_import_adds_nothing(
    tmp_path: Path, capsys: Capsys
) -> None:
    source = write_json(tmp_path / "source.json", full_document())
    a, b = tmp_path / "a.onset", tmp_path / "b.onset"
    assert cli(capsys, "import", str(source), "--journal", str(a))[0] == 0
    first = export(a, tmp_path / "first.json", capsys)
    assert cli(capsys, "import", str(tmp_path / "first.json"), "--journal", str(b))[0] == 0
    second = export(b, tmp_path / "second.json", capsys)
    assert first == second
    assert [r["text"] for r in first["reflections"]] == ["the lake again, calmer", "tired"]
    assert first["followups"][0]["answers"]["memory"] == "mild"
    assert [m["started"] for m in first["medications"]] == [
        "2025-06-01",
        "2025-11-01",
        "2026-01-03",
    ]
    # The same file again, and the journal's own export, add nothing.
    for again in (source, tmp_path / "first.json"):
        code, out, _ = cli(capsys, "import", str(again), "--journal", str(a))
        assert code == 0 and out.startswith("imported 0 entries"), out
    with Journal.open(a) as one, Journal.open(b) as two:
        for kind in ALL_KINDS:
            assert [e.with_id(None) for e in one.entries(kind)] == [
                e.with_id(None) for e in two.entries(kind)
            ], kind


def test_a_version_1_file_still_imports(tmp_path: Path, capsys: Capsys) -> None:
    source = write_json(tmp_path / "v1.json", sample_document())
    code, out, err = cli(capsys, "import", str(source), "--journal", str(tmp_path / "j.onset"))
    assert code == 0, err
    assert out.startswith("imported 12 entries")


def refusal(tmp_path: Path, capsys: Capsys, document: dict[str, Any]) -> list[str]:
    """Import into a journal holding the full document; expect a whole refusal."""
    journal = tmp_path / "journal.onset"
    if not journal.exists():
        base = write_json(tmp_path / "base.json", full_document())
        assert cli(capsys, "import", str(base), "--journal", str(journal))[0] == 0
    source = write_json(tmp_path / "in.json", document)
    before, entries = snapshot(journal, backups_may_change=True), counts(journal)
    code, out, err = cli(capsys, "import", str(source), "--journal", str(journal))
    assert (code, out) == (1, ""), err
    assert snapshot(journal, backups_may_change=True) == before and counts(journal) == entries
    return [line.strip() for line in err.splitlines()[1:]]


def test_every_problem_of_a_version_2_file_is_listed_with_its_place(
    tmp_path: Path, capsys: Capsys
) -> None:
    document = {
        "format": "onset-journal",
        "version": 2,
        "checkins": [{"at": "2026-01-20T09:00", "anxiety": 4}],  # fine on its own
        "sessions": [
            {"at": "2026-01-20T10:00", "route": "iv", "devices": 2, "ready_after_min": 700},
            {"at": "2026-01-21T10:00", "route": "intranasal", "devices": 2, "dose_mg": 84},
        ],
        "medications": [
            # Overlaps the journal's open lorazepam period (since 2025-11-01).
            {"name": "Lorazepam", "class": "benzodiazepine", "schedule": "as_needed",
             "started": "2026-01-10"},
            {"name": "zolpidem", "class": "sleep", "schedule": "regular", "started": "2026-01-10",
             "stopped": "2026-01-01"},
            {"name": "quetiapine", "class": "antipsychotic", "schedule": "regular",
             "started": "2026-01-01", "stopped": "2026-01-31"},
            {"name": "Quetiapine", "class": "antipsychotic", "schedule": "regular",
             "started": "2026-01-31"},
        ],
        "medication_doses": [
            {"at": "2026-01-20T22:00", "medication": "diazepam"},
            {"at": "2025-10-01T22:00", "medication": "lorazepam"},
            {"at": "2099-01-01T22:00", "medication": "lorazepam"},  # the open period holds it
        ],
        "planned_sessions": [
            {"at": "2031-01-01T10:00", "route": "iv"},
            {"at": "1899-06-01T10:00", "route": "iv"},
        ],
    }  # fmt: skip
    assert refusal(tmp_path, capsys, document) == [
        "sessions[0].ready_after_min: 700 min is outside 0–600 min",
        "sessions[0].devices: are counted for intranasal esketamine only",
        "sessions[1].dose_mg: 84 mg does not match 2 devices × 28 mg = 56 mg",
        "medications[1].class: 'sleep' is not one of benzodiazepine, z_drug, stimulant, maoi, "
        "lamotrigine, naltrexone, antidepressant, antipsychotic, lithium, opioid, other",
        "medications[1].stopped: 2026-01-01 is before it started (2026-01-10)",
        "medication_doses[2].at: 2099-01-01T22:00 is more than a day in the future",
        "planned_sessions[0].at: 2031-01-01T10:00 is more than two years in the future",
        "planned_sessions[1].at: 1899-06-01T10:00 is outside 1900–2100",
        "medications[0].started: Lorazepam since 2026-01-10 overlaps lorazepam since "
        "2025-11-01 already in the journal",
        "medications[3].started: Quetiapine since 2026-01-31 overlaps medications[2] "
        "(quetiapine from 2026-01-01 to 2026-01-31)",
        "medication_doses[0].medication: no medicine named diazepam is recorded as taken on "
        "2026-01-20, in this file or the journal",
        "medication_doses[1].medication: no medicine named lorazepam is recorded as taken on "
        "2025-10-01, in this file or the journal",
    ]


def test_a_dose_may_lean_on_a_medicine_in_the_same_file_or_the_journal(
    tmp_path: Path, capsys: Capsys
) -> None:
    journal = tmp_path / "j.onset"
    first = write_json(tmp_path / "one.json", EXAMPLE)
    assert cli(capsys, "import", str(first), "--journal", str(journal))[0] == 0
    later = {
        "format": "onset-journal",
        "version": 2,
        "medications": [{"name": "Zolpidem", "class": "z_drug", "schedule": "as_needed",
                         "started": "2026-02-01"}],
        "medication_doses": [
            {"at": "2026-02-02T23:00", "medication": "zolpidem"},  # in this file
            {"at": "2026-02-02T23:05", "medication": "Lorazepam"},  # in the journal
        ],
    }  # fmt: skip
    code, out, err = cli(capsys, "import", str(write_json(tmp_path / "two.json", later)),
                         "--journal", str(journal))  # fmt: skip
    assert code == 0, err
    assert out.startswith("imported 3 entries")


def test_a_ranged_export_brings_the_medicines_current_in_the_range(
    tmp_path: Path, capsys: Capsys
) -> None:
    journal = tmp_path / "j.onset"
    source = write_json(tmp_path / "full.json", full_document())
    assert cli(capsys, "import", str(source), "--journal", str(journal))[0] == 0
    ranged = export(
        journal, tmp_path / "r.json", capsys, "--from", "2026-01-07", "--to", "2026-01-08"
    )
    # Sertraline's first period ended 2025-12-20: out. Lorazepam (since 2025-11-01) and the
    # second sertraline period (since 2026-01-03) were current: in, though started before.
    assert [(m["name"], m["started"]) for m in ranged["medications"]] == [
        ("lorazepam", "2025-11-01"),
        ("sertraline", "2026-01-03"),
    ]
    assert [d["at"] for d in ranged["medication_doses"]] == ["2026-01-07T22:00"]
    assert [p["at"] for p in ranged["planned_sessions"]] == ["2026-01-07T10:00"]
    # It imports on its own.
    code, _, err = cli(
        capsys, "import", str(tmp_path / "r.json"), "--journal", str(tmp_path / "n.onset")
    )
    assert code == 0, err


def test_csv_gains_the_new_kinds(tmp_path: Path, capsys: Capsys) -> None:
    journal = tmp_path / "j.onset"
    assert cli(capsys, "import", str(write_json(tmp_path / "f.json", full_document())),
               "--journal", str(journal))[0] == 0  # fmt: skip
    out = tmp_path / "csv"
    assert cli(capsys, "export", "csv", "--out", str(out), "--journal", str(journal))[0] == 0

    def rows(name: str) -> list[dict[str, str]]:
        with (out / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    assert [r["name"] for r in rows("medications.csv")] == ["Sertraline", "lorazepam", "sertraline"]
    assert rows("medications.csv")[1]["class"] == "benzodiazepine"
    assert [(r["date"], r["medication"]) for r in rows("medication_doses.csv")] == [
        ("2026-01-05", "LORAZEPAM"),
        ("2026-01-07", "lorazepam"),
    ]
    assert [(r["at"], r["dismissed"]) for r in rows("planned_sessions.csv")] == [
        ("2026-01-07T10:00", "True"),
        ("2026-01-15T10:00", "False"),
    ]
    (session,) = [r for r in rows("sessions.csv") if r["at"] == "2026-01-08T10:00"]
    assert (session["devices"], session["bp_mid_systolic"], session["bp_mid_diastolic"]) == (
        "3",
        "150",
        "95",
    )
    assert (session["bp_mid_min"], session["ready_after_min"]) == ("40", "110")
