"""CSV exports and failing exports: what a spreadsheet reads from the journal.

The FHIR export has its own tests in test_fhir.py."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from tests.core_support import document, run_cli, sample_document
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
        "medication_doses.csv",
        "medications.csv",
        "planned_sessions.csv",
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


# Text a spreadsheet would run as a formula, and what reaches the spreadsheet instead.
FORMULAS = {
    '=HYPERLINK("x")': '\'=HYPERLINK("x")',
    "+1+1": "'+1+1",
    "-2+3": "'-2+3",
    "@SUM(A1)": "'@SUM(A1)",
    "\t=1": "'\t=1",
    "\r=1": "'\r=1",
    "a = b": "a = b",  # only the first character counts
    "'quoted": "'quoted",
}


@pytest.fixture
def hostile(journal_path: Path) -> Path:
    notes = [{"at": f"2026-01-0{n}T09:00", "anxiety": 3, "note": note}
             for n, note in enumerate(FORMULAS, start=1)]  # fmt: skip
    data = document(
        checkins=notes,
        sessions=[{"at": "2026-01-02T10:00", "route": "iv", "clinic": "=cmd|' /C calc'!A0",
                   "notes": "-1"}],
        side_effects=[{"at": "2026-01-03T10:00", "effect": "other:@evil", "severity": "mild"}],
    )  # fmt: skip
    with Journal.open(journal_path, create=True) as journal:
        journal.import_entries(read_document(data))
    return journal_path


def test_csv_text_that_would_run_as_a_formula_is_written_as_text(
    hostile: Path, tmp_path: Path, capsys: Capsys
) -> None:
    out = tmp_path / "csv"
    assert (
        run_cli(["export", "csv", "--out", str(out), "--journal", str(hostile)], capsys).code == 0
    )
    _, checkins = read_csv(out / "checkins.csv")
    assert [c["note"] for c in checkins] == list(FORMULAS.values())
    _, sessions = read_csv(out / "sessions.csv")
    assert (sessions[0]["clinic"], sessions[0]["notes"]) == ("'=cmd|' /C calc'!A0", "'-1")
    _, effects = read_csv(out / "side_effects.csv")
    assert effects[0]["effect"] == "other:@evil"  # starts with "o": nothing to guard
    # Numbers and times are not text and stay as they are.
    assert checkins[0]["anxiety"] == "3" and checkins[0]["at"] == "2026-01-01T09:00"
    assert not (out / "checkins.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_pandas_reads_a_formula_note_back_as_text(
    hostile: Path, tmp_path: Path, capsys: Capsys
) -> None:
    pandas = pytest.importorskip("pandas")
    out = tmp_path / "csv"
    argv = ["export", "csv", "--out", str(out), "--excel", "--journal", str(hostile)]
    assert run_cli(argv, capsys).code == 0
    frame = pandas.read_csv(out / "checkins.csv", encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == ["at", "date", "anxiety", "mood", "sleep_hours", "note"]
    assert frame["note"].iloc[0] == '\'=HYPERLINK("x")'
    assert list(frame["note"]) == list(FORMULAS.values())


def test_excel_csv_starts_with_a_byte_order_mark_and_keeps_accents(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    out = tmp_path / "csv"
    argv = ["export", "csv", "--out", str(out), "--excel", "--journal", str(filled)]
    assert run_cli(argv, capsys).code == 0
    for path in out.iterdir():
        # A medicine has a period, not a time: its file starts with its name.
        first = b"name,class," if path.name == "medications.csv" else b"at,date,"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf" + first), path.name
    with (out / "checkins.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["at"] == "2026-01-05T21:10"  # the mark is not glued to the first header
    assert rows[2]["note"] == "é ✓"
