"""The JSON interchange file: exports read back exactly, imports are all or nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import (
    counts,
    document,
    run_cli,
    sample_document,
    snapshot,
    write_json,
)
from tracker.io.journal_json import VERSION, export_document, load_file, read_document
from tracker.journal import Journal

Capsys = pytest.CaptureFixture[str]


def export(journal: Path, out: Path, capsys: Capsys, *extra: str) -> dict[str, Any]:
    result = run_cli(
        ["export", "json", "--out", str(out), "--journal", str(journal), *extra], capsys
    )
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


def imported(path: Path, journal: Path, capsys: Capsys) -> str:
    result = run_cli(["import", str(path), "--journal", str(journal)], capsys)
    assert result.code == 0, result.err
    return result.out


def without_stamp(data: dict[str, Any]) -> dict[str, Any]:
    stamp = data.pop("exported_at")
    assert isinstance(stamp, str) and stamp[10] == "T"
    return data


def test_export_import_export_gives_the_same_json(tmp_path: Path, capsys: Capsys) -> None:
    source = write_json(tmp_path / "source.json", sample_document())
    imported(source, tmp_path / "a.onset", capsys)
    first = export(tmp_path / "a.onset", tmp_path / "first.json", capsys)
    imported(tmp_path / "first.json", tmp_path / "b.onset", capsys)
    second = export(tmp_path / "b.onset", tmp_path / "second.json", capsys)
    assert without_stamp(first) == without_stamp(second)
    assert first["format"] == "onset-journal" and first["version"] == VERSION
    # Every field written in the source comes back as written (times keep seconds, offsets).
    for section, entries in sample_document().items():
        if not isinstance(entries, list):
            continue
        for given, got in zip(entries, first[section], strict=True):
            assert {k: got[k] for k in given if given[k] is not None} == {
                k: v for k, v in given.items() if v is not None and k != "session_at"
            } | ({"session_at": got["session_at"]} if "session_at" in given else {})
    with Journal.open(tmp_path / "a.onset") as one, Journal.open(tmp_path / "b.onset") as two:
        for kind in ("checkin", "assessment", "session", "side_effect"):
            strip = [e.with_id(None) for e in one.entries(kind)]
            assert strip == [e.with_id(None) for e in two.entries(kind)], kind


def test_the_documented_example_reads_exactly(tmp_path: Path, capsys: Capsys) -> None:
    example = {
        "format": "onset-journal",
        "version": 1,
        "exported_at": "2026-03-01T18:00:00+01:00",
        "checkins": [
            {
                "at": "2026-01-05T21:10",
                "anxiety": 6,
                "mood": 4,
                "sleep_hours": 6.5,
                "note": "tense day",
            }
        ],
        "assessments": [
            {
                "instrument": "GAD-7",
                "at": "2026-01-05T09:00",
                "answers": [2, 1, 3, 0, 1, 2, 1],
                "difficulty": 1,
                "total": 10,
                "severity": "moderate",
            }
        ],
        "sessions": [
            {
                "at": "2026-01-06T10:00",
                "route": "iv",
                "dose_mg": 35.0,
                "dose_mg_per_kg": 0.5,
                "weight_kg": 70.0,
                "duration_min": 40,
                "bp_before": [128, 82],
                "bp_after": [142, 90],
                "heart_rate_before": 72,
                "heart_rate_after": 80,
                "anxiety_before": 7,
                "anxiety_after": 3,
                "dissociation": 6,
                "clinic": "",
                "notes": "",
            }
        ],
        "side_effects": [
            {
                "at": "2026-01-06T11:00",
                "effect": "nausea",
                "severity": "mild",
                "duration_min": 30,
                "session_at": "2026-01-06T10:00",
                "note": "",
            }
        ],
    }
    out = imported(write_json(tmp_path / "example.json", example), tmp_path / "j.onset", capsys)
    assert out.startswith("imported 4 entries")
    again = export(tmp_path / "j.onset", tmp_path / "again.json", capsys)
    again.pop("exported_at")
    example.pop("exported_at")
    # Written back as version 2: the same entries, the session with the fields version 2
    # added (all empty), and the new lists (empty).
    v2_fields = ("devices", "bp_mid", "bp_mid_min", "sleepiness", "ready_after_min", "intention")
    assert again == example | {
        "version": VERSION,
        "sessions": [example["sessions"][0] | dict.fromkeys(v2_fields)],
        "medications": [],
        "medication_doses": [],
        "planned_sessions": [],
        "reflections": [],
        "followups": [],
    }


def test_importing_a_file_twice_adds_nothing(tmp_path: Path, capsys: Capsys) -> None:
    source = write_json(tmp_path / "source.json", sample_document())
    journal = tmp_path / "j.onset"
    assert imported(source, journal, capsys).startswith("imported 12 entries")
    after_first = counts(journal)
    assert imported(source, journal, capsys) == ("imported 0 entries; 12 already in the journal\n")
    assert counts(journal) == after_first


def test_importing_its_own_export_adds_nothing(tmp_path: Path, capsys: Capsys) -> None:
    """Also when the export writes a link's time differently (with the session's offset)."""
    journal = tmp_path / "j.onset"
    imported(write_json(tmp_path / "source.json", sample_document()), journal, capsys)
    before = counts(journal)
    export(journal, tmp_path / "out.json", capsys)
    assert imported(tmp_path / "out.json", journal, capsys).startswith("imported 0 entries")
    assert counts(journal) == before


def test_two_identical_checkins_both_round_trip(tmp_path: Path, capsys: Capsys) -> None:
    same = {"at": "2026-01-05T21:10", "anxiety": 6, "mood": None, "sleep_hours": None, "note": None}
    source = write_json(tmp_path / "twice.json", document(checkins=[same, dict(same)]))
    journal = tmp_path / "j.onset"
    assert imported(source, journal, capsys).startswith("imported 2 entries")
    data = export(journal, tmp_path / "out.json", capsys)
    assert data["checkins"] == [same, same]
    fresh = tmp_path / "fresh.onset"
    imported(tmp_path / "out.json", fresh, capsys)
    assert counts(fresh)["checkin"] == 2
    imported(tmp_path / "out.json", fresh, capsys)
    assert counts(fresh)["checkin"] == 2


def test_a_ranged_export_holds_exactly_those_days(tmp_path: Path, capsys: Capsys) -> None:
    journal = tmp_path / "j.onset"
    imported(write_json(tmp_path / "source.json", sample_document()), journal, capsys)
    data = export(
        journal, tmp_path / "out.json", capsys, "--from", "2026-01-06", "--to", "2026-01-09"
    )
    days = {
        e["at"][:10]
        for section in ("checkins", "assessments", "sessions", "side_effects")
        for e in data[section]
    }
    assert days == {"2026-01-06", "2026-01-09"}
    assert [s["at"] for s in data["sessions"]] == ["2026-01-06T10:00", "2026-01-09T10:00+01:00"]


def test_the_journal_api_and_the_file_agree(journal: Journal) -> None:
    report = journal.import_entries(read_document(sample_document()))
    assert report.added == {
        "checkin": 3,
        "assessment": 3,
        "session": 3,
        "side_effect": 3,
        "medication": 0,
        "medication_dose": 0,
        "planned_session": 0,
        "reflection": 0,
        "followup": 0,
    }
    data = export_document(journal)
    assert [c["anxiety"] for c in data["checkins"]] == [6, 7, 5]
    # The derived mg/kg of a 300 mg oral dose at 55 kg (5.45) is above what may be entered.
    oral = data["sessions"][2]
    assert (oral["dose_mg"], oral["dose_mg_per_kg"], oral["weight_kg"]) == (300.0, None, 55.0)
    assert read_document(json.loads(json.dumps(data)))


# -- refusals: every rule of journal-format.md -----------------------------------------

CHECKIN = {"at": "2026-01-05T21:10", "anxiety": 6}
GAD = {
    "instrument": "GAD-7",
    "at": "2026-01-05T09:00",
    "answers": [2, 1, 3, 0, 1, 2, 1],
    "difficulty": 1,
    "total": 10,
    "severity": "moderate",
}
PHQ = {"instrument": "PHQ-9", "at": "2026-01-05T09:00", "answers": [1] * 9}
SESSION = {"at": "2026-01-06T10:00", "route": "iv"}
EFFECT = {"at": "2026-01-06T11:00", "effect": "nausea", "severity": "mild"}

REFUSED: list[tuple[str, Any, str]] = [
    # 0–10 scales
    ("checkins", CHECKIN | {"anxiety": 11}, "anxiety: 11 is outside 0–10"),
    ("checkins", CHECKIN | {"anxiety": -1}, "anxiety: -1 is outside 0–10"),
    ("checkins", CHECKIN | {"mood": 11}, "mood: 11 is outside 0–10"),
    ("sessions", SESSION | {"anxiety_before": 12}, "anxiety_before: 12 is outside 0–10"),
    ("sessions", SESSION | {"anxiety_after": -3}, "anxiety_after: -3 is outside 0–10"),
    ("sessions", SESSION | {"dissociation": 11}, "dissociation: 11 is outside 0–10"),
    ("checkins", {"at": "2026-01-05T21:10"}, "anxiety: is required"),
    # wrong types
    ("checkins", CHECKIN | {"anxiety": "6"}, "anxiety: must be a whole number, not text"),
    ("checkins", CHECKIN | {"anxiety": True}, "anxiety: must be a whole number, not true/false"),
    ("checkins", CHECKIN | {"anxiety": 6.5}, "anxiety: must be a whole number, not 6.5"),
    ("checkins", CHECKIN | {"sleep_hours": "7"}, "sleep_hours: must be a number, not text"),
    ("checkins", CHECKIN | {"sleep_hours": 25}, "sleep_hours: 25 h is outside 0–24 h"),
    ("checkins", CHECKIN | {"note": 5}, "note: must be text, not a number"),
    (
        "sessions",
        SESSION | {"heart_rate_before": 71.5},
        "heart_rate_before: must be a whole number, not 71.5",
    ),
    ("checkins", "tense", "must be an object, not text"),
    # assessments
    (
        "assessments",
        GAD | {"instrument": "GAD-8"},
        "instrument: 'GAD-8' is not one of GAD-7, PHQ-9",
    ),
    ("assessments", GAD | {"instrument": None}, "instrument: is required"),
    ("assessments", GAD | {"answers": [1] * 8}, "answers: GAD-7 has 7 items, got 8 answers"),
    ("assessments", PHQ | {"answers": [1] * 7}, "answers: PHQ-9 has 9 items, got 7 answers"),
    ("assessments", GAD | {"answers": [4, 1, 3, 0, 1, 2, 1]}, "answers[0]: 4 is outside 0–3"),
    ("assessments", GAD | {"answers": [2, 1, 3, 0, 1, 2, -1]}, "answers[6]: -1 is outside 0–3"),
    (
        "assessments",
        GAD | {"answers": [2, 1, 3, 0, 1, 2, 1.5]},
        "answers: every answer must be a whole number",
    ),
    (
        "assessments",
        GAD | {"answers": "2130121"},
        "answers: must be a list of item answers, not text",
    ),
    ("assessments", GAD | {"difficulty": 4}, "difficulty: 4 is outside 0–3"),
    ("assessments", GAD | {"difficulty": "very"}, "difficulty: must be a whole number, not text"),
    ("assessments", GAD | {"total": 11}, "total: says 11 but the answers add up to 10"),
    (
        "assessments",
        GAD | {"severity": "mild"},
        "severity: says 'mild' but a total of 10 is 'moderate'",
    ),
    (
        "assessments",
        PHQ | {"severity": "none–minimal"},
        "severity: says 'none–minimal' but a total of 9 is 'mild'",
    ),
    # sessions
    (
        "sessions",
        SESSION | {"route": "nasal"},
        "route: 'nasal' is not one of iv, im, subcutaneous, intranasal, oral, sublingual, other",
    ),
    ("sessions", {"at": "2026-01-06T10:00"}, "route: is required"),
    ("sessions", SESSION | {"bp_before": [400, 80]}, "bp_before: systolic 400 is outside 50–300"),
    ("sessions", SESSION | {"bp_before": [40, 30]}, "bp_before: systolic 40 is outside 50–300"),
    ("sessions", SESSION | {"bp_after": [120, 10]}, "bp_after: diastolic 10 is outside 20–200"),
    ("sessions", SESSION | {"bp_after": [120, 210]}, "bp_after: diastolic 210 is outside 20–200"),
    (
        "sessions",
        SESSION | {"bp_before": [80, 120]},
        "bp_before: systolic 80 must be above diastolic 120",
    ),
    (
        "sessions",
        SESSION | {"bp_before": [90, 90]},
        "bp_before: systolic 90 must be above diastolic 90",
    ),
    (
        "sessions",
        SESSION | {"bp_before": [120]},
        "bp_before: must be [systolic, diastolic], two whole numbers in mmHg",
    ),
    (
        "sessions",
        SESSION | {"bp_before": "120/80"},
        "bp_before: must be [systolic, diastolic], two whole numbers in mmHg",
    ),
    (
        "sessions",
        SESSION | {"bp_before": {"systolic": 120, "diastolic": 80}},
        "bp_before: must be [systolic, diastolic], two whole numbers in mmHg",
    ),
    (
        "sessions",
        SESSION | {"heart_rate_before": 19},
        "heart_rate_before: 19 bpm is outside 20–250 bpm",
    ),
    (
        "sessions",
        SESSION | {"heart_rate_after": 251},
        "heart_rate_after: 251 bpm is outside 20–250 bpm",
    ),
    ("sessions", SESSION | {"weight_kg": 19.5}, "weight_kg: 19.5 kg is outside 20–400 kg"),
    ("sessions", SESSION | {"weight_kg": 401}, "weight_kg: 401 kg is outside 20–400 kg"),
    ("sessions", SESSION | {"dose_mg": 0}, "dose_mg: 0 mg must be above 0 and at most 1000 mg"),
    (
        "sessions",
        SESSION | {"dose_mg": 35, "dose_mg_per_kg": 0.5, "weight_kg": 100},
        "dose_mg: 35 mg does not match 0.5 mg/kg × 100 kg = 50 mg",
    ),
    ("sessions", SESSION | {"duration_min": -5}, "duration_min: -5 min is outside 0–1440 min"),
    # side effects
    (
        "side_effects",
        EFFECT | {"effect": "sneezing"},
        "effect: 'sneezing' is not in the side-effect catalogue (use other:<name> for your own)",
    ),
    ("side_effects", EFFECT | {"effect": "other:"}, "effect: other: needs a name after it"),
    ("side_effects", EFFECT | {"effect": "other:   "}, "effect: other: needs a name after it"),
    (
        "side_effects",
        EFFECT | {"effect": "Nausea"},
        "effect: 'Nausea' is not in the side-effect catalogue (use other:<name> for your own)",
    ),
    (
        "side_effects",
        EFFECT | {"severity": "extreme"},
        "severity: 'extreme' is not one of mild, moderate, severe",
    ),
    ("side_effects", EFFECT | {"severity": None}, "severity: is required"),
    (
        "side_effects",
        EFFECT | {"session_at": "2026-01-19T10:00"},
        "session_at: there is no session at 2026-01-19T10:00 in this file or the journal",
    ),
    (
        "side_effects",
        EFFECT | {"session_at": "after the session"},
        "session_at: 'after the session' is not a time written YYYY-MM-DDTHH:MM",
    ),
    # times
    (
        "checkins",
        CHECKIN | {"at": "2026-01-05 21:10"},
        "at: '2026-01-05 21:10' is not a time written YYYY-MM-DDTHH:MM",
    ),
    (
        "checkins",
        CHECKIN | {"at": "2026-02-30T10:00"},
        "at: '2026-02-30T10:00' is not a real date and time",
    ),
    (
        "checkins",
        CHECKIN | {"at": "2026-01-05T24:00"},
        "at: '2026-01-05T24:00' is not a real date and time",
    ),
    (
        "checkins",
        CHECKIN | {"at": "05/01/2026 21:10"},
        "at: '05/01/2026 21:10' is not a time written YYYY-MM-DDTHH:MM",
    ),
    (
        "checkins",
        CHECKIN | {"at": 1767647400},
        "at: must be a time written YYYY-MM-DDTHH:MM, not a number",
    ),
    ("checkins", CHECKIN | {"at": None}, "at: is required"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with one entry of each kind, made once and copied for every refusal."""
    path = tmp_path_factory.mktemp("template") / "journal.onset"
    with Journal.open(path, create=True) as journal:
        journal.add_session("2026-01-02T10:00", "iv")
        journal.add_checkin("2026-01-01T21:10", 5)
        journal.add_assessment("GAD-7", "2026-01-01T09:00", [1] * 7)
        journal.add_side_effect(
            "2026-01-02T10:30", "headache", "mild", session_at="2026-01-02T10:00"
        )
    return path


def refused(
    template: Path, tmp_path: Path, capsys: Capsys, data: object, raw: bytes | None = None
) -> str:
    """Import `data` and check the refusal: exit 1, nothing written. Return stderr."""
    journal = tmp_path / "journal.onset"
    journal.write_bytes(template.read_bytes())
    source = tmp_path / "given" / "in.json"
    source.parent.mkdir()
    if raw is None:
        write_json(source, data)
    else:
        source.write_bytes(raw)
    entries = counts(journal)
    before = snapshot(journal, backups_may_change=True)
    result = run_cli(["import", str(source), "--journal", str(journal)], capsys)
    assert result.code == 1, result
    assert result.out == ""
    assert snapshot(journal, backups_may_change=True) == before
    assert counts(journal) == entries
    return result.err


@pytest.mark.parametrize(("section", "entry", "problem"), REFUSED)
def test_an_import_breaking_a_rule_is_refused_whole(
    template: Path, tmp_path: Path, capsys: Capsys, section: str, entry: Any, problem: str
) -> None:
    good = sample_document()
    good[section].append(entry)
    where = f"{section}[{len(good[section]) - 1}]"
    err = refused(template, tmp_path, capsys, good)
    lines = err.splitlines()
    assert lines[0] == "onset: the data was refused; nothing was written:"
    expected = (
        f"{where}: {problem}" if problem.startswith("must be an object") else (f"{where}.{problem}")
    )
    assert lines[1:] == [f"  {expected}"]


def test_every_problem_in_a_file_is_listed_with_its_place(
    template: Path, tmp_path: Path, capsys: Capsys
) -> None:
    data = document(
        checkins=[CHECKIN, CHECKIN | {"anxiety": 11, "mood": "low"}],
        assessments=[GAD | {"total": 12, "difficulty": 9}],
        sessions=[
            SESSION,
            SESSION | {"at": "2026-01-07T10:00", "bp_before": [400, 80], "heart_rate_after": 300},
        ],
        side_effects=[EFFECT | {"effect": "other:", "severity": "awful"}],
    )
    err = refused(template, tmp_path, capsys, data)
    assert err.splitlines()[1:] == [
        "  checkins[1].mood: must be a whole number, not text",
        "  checkins[1].anxiety: 11 is outside 0–10",
        "  assessments[0].difficulty: 9 is outside 0–3",
        "  assessments[0].total: says 12 but the answers add up to 10",
        "  sessions[1].bp_before: systolic 400 is outside 50–300",
        "  sessions[1].heart_rate_after: 300 bpm is outside 20–250 bpm",
        "  side_effects[0].effect: other: needs a name after it",
        "  side_effects[0].severity: 'awful' is not one of mild, moderate, severe",
    ]


@pytest.mark.parametrize(
    ("data", "raw", "says"),
    [
        (None, b"{not json", "is not valid JSON (line 1, column 2"),
        (None, b"", "is not valid JSON"),
        (None, b"\xff\xfe\x00garbage", "is not a text file in UTF-8"),
        ([CHECKIN], None, "this is not an Onset journal file (a list at the top)"),
        ("onset-journal", None, "this is not an Onset journal file (text at the top)"),
        (
            {"format": "other-app", "version": 1},
            None,
            'format: this is not an Onset journal file (expected "onset-journal")',
        ),
        ({"version": 1, "checkins": [CHECKIN]}, None, "format: this is not an Onset journal"),
        (
            {"format": "onset-journal", "version": VERSION + 1, "checkins": [CHECKIN]},
            None,
            f"version: the file is format version {VERSION + 1}, written by a newer Onset; "
            f"this version reads up to {VERSION}",
        ),
        (
            {"format": "onset-journal", "version": "1"},
            None,
            "version: must be a whole number of at least 1",
        ),
        (
            {"format": "onset-journal", "checkins": []},
            None,
            "version: must be a whole number of at least 1",
        ),
        (
            {"format": "onset-journal", "version": 1, "checkins": {"at": "2026-01-05T21:10"}},
            None,
            "checkins: must be a list, not an object",
        ),
    ],
)
def test_a_file_that_is_not_an_onset_journal_is_refused(
    template: Path, tmp_path: Path, capsys: Capsys, data: Any, raw: bytes | None, says: str
) -> None:
    err = refused(template, tmp_path, capsys, data, raw)
    assert says in err


def test_an_import_file_that_is_missing_or_a_folder_is_refused(
    template: Path, tmp_path: Path, capsys: Capsys
) -> None:
    journal = tmp_path / "journal.onset"
    journal.write_bytes(template.read_bytes())
    before = snapshot(journal, backups_may_change=True)
    for source, says in ((tmp_path / "absent.json", "does not exist"), (tmp_path, "is a folder")):
        result = run_cli(["import", str(source), "--journal", str(journal)], capsys)
        assert (result.code, result.out) == (1, "")
        assert says in result.err
    assert snapshot(journal, backups_may_change=True) == before
    nowhere = tmp_path / "not-made.onset"
    result = run_cli(["import", str(tmp_path / "absent.json"), "--journal", str(nowhere)], capsys)
    assert result.code == 1
    assert not nowhere.exists()


def test_reading_a_file_checks_it_without_a_journal(tmp_path: Path) -> None:
    placed = load_file(write_json(tmp_path / "s.json", sample_document()))
    assert [place for place, _ in placed][:2] == ["checkins[0]", "checkins[1]"]
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(document(checkins=[CHECKIN])).encode())
    assert len(load_file(with_bom)) == 1
    same = copy.deepcopy(sample_document())
    assert read_document(same) == read_document(sample_document())


def test_a_ranged_export_brings_the_session_its_side_effect_followed(
    tmp_path: Path, capsys: Capsys
) -> None:
    source = tmp_path / "source.onset"
    with Journal.open(source, create=True, backups=False) as journal:
        journal.add_session("2026-01-31T23:00", "iv", dose_mg=35.0)
        journal.add_side_effect("2026-02-01T01:00", "nausea", "mild", session_at="2026-01-31T23:00")
    data = export(source, tmp_path / "feb.json", capsys, "--from", "2026-02-01")
    assert [s["at"] for s in data["sessions"]] == ["2026-01-31T23:00"]
    assert [e["session_at"] for e in data["side_effects"]] == ["2026-01-31T23:00"]
    fresh = tmp_path / "fresh.onset"
    imported(tmp_path / "feb.json", fresh, capsys)
    with Journal.open(fresh, backups=False) as journal:
        (effect,) = journal.side_effects()
        assert effect.session_at is not None and effect.session_at.day == 31


def test_a_refused_import_into_a_missing_journal_creates_nothing(
    tmp_path: Path, capsys: Capsys
) -> None:
    # The dangling link is only visible with the whole file in view, not entry by entry.
    bad = write_json(
        tmp_path / "bad.json",
        document(
            checkins=[{"at": "2026-01-05T21:10", "anxiety": 12}],
            side_effects=[
                {
                    "at": "2026-01-06T11:00",
                    "effect": "nausea",
                    "severity": "mild",
                    "session_at": "2026-01-06T10:00",
                }
            ],
        ),
    )
    folder = tmp_path / "new-folder"
    result = run_cli(["import", str(bad), "--journal", str(folder / "j.onset")], capsys)
    assert result.code == 1
    # Both problems at once: the range on the check-in and the link of the side effect.
    assert "checkins[0].anxiety: 12 is outside 0–10" in result.err
    assert "side_effects[0].session_at: there is no session at 2026-01-06T10:00" in result.err
    assert not folder.exists()


def test_a_session_clashing_with_a_different_one_in_the_journal_is_listed_up_front(
    tmp_path: Path, capsys: Capsys
) -> None:
    target = tmp_path / "j.onset"
    with Journal.open(target, create=True, backups=False) as journal:
        journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
    before = counts(target)
    clash = write_json(
        tmp_path / "clash.json",
        document(
            sessions=[{"at": "2026-01-06T10:00", "route": "im", "dose_mg": 50.0}],
            checkins=[{"at": "2026-01-05T21:10", "anxiety": "high"}],
        ),
    )
    result = run_cli(["import", str(clash), "--journal", str(target)], capsys)
    assert result.code == 1
    assert "sessions[0].at: the journal already has a different session at 2026-01-06T10:00" in (
        result.err
    )
    assert "checkins[0].anxiety: must be a whole number, not text" in result.err
    assert counts(target) == before
