"""An entry at 23:30 stays on its own day, whatever time zone the machine is in."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import finish, start_python
from tracker.io.fhir import fhir_datetime

# Everything a person could ask of the journal about 5 January 2026, asked in one process
# whose time zone is set by TZ. It prints what it found as JSON.
ASK = r"""
import csv, io, json, sys
from contextlib import redirect_stdout
from datetime import date, datetime
from pathlib import Path
from typing import Any
from tracker.cli import main
from tracker.journal import Journal

folder = Path(sys.argv[1])
path = folder / "journal.onset"
day = date(2026, 1, 5)
with Journal.open(path, create=True) as journal:
    journal.add_checkin("2026-01-04T23:59", 1)
    journal.add_checkin("2026-01-05T23:30", 7)
    journal.add_checkin("2026-01-05T23:30+05:00", 8)
    journal.add_checkin("2026-01-06T00:00", 2)
    journal.add_assessment("GAD-7", "2026-01-05T23:30", [3, 2, 3, 2, 2, 2, 2])
    journal.add_assessment("PHQ-9", "2026-01-05T23:40+05:00", [1] * 9)
    journal.add_session("2026-01-05T23:45", "iv")
    journal.add_side_effect("2026-01-05T23:50", "nausea", "mild", session_at="2026-01-05T23:45")
    journal.add_assessment("GAD-7", "2026-01-20T09:00", [1] * 7)
    found = {
        kind: [e.to_json()["at"] for e in journal.entries(kind, day, day)]
        for kind in ("checkin", "assessment", "session", "side_effect")
    }
    found["history"] = [e.to_json()["at"] for e in journal.history_page(start=day, end=day)]
    found["count"] = journal.history_count(start=day, end=day)
    found["summary"] = journal.summary()

def run(*argv):
    with redirect_stdout(io.StringIO()):
        code = main([*argv, "--journal", str(path), "--from", "2026-01-05", "--to", "2026-01-05"])
    assert code == 0, argv

run("export", "json", "--out", str(folder / "day.json"))
run("export", "csv", "--out", str(folder / "csv"))
run("export", "fhir", "--out", str(folder / "day.fhir.json"))
found["json"] = json.loads((folder / "day.json").read_text())
found["csv"] = {
    name: [row["date"] + " " + row["at"] for row in csv.DictReader(
        (folder / "csv" / f"{name}.csv").open(encoding="utf-8"))]
    for name in ("checkins", "assessments", "sessions", "side_effects")
}
bundle = json.loads((folder / "day.fhir.json").read_text())
from tests.io.fhir_support import r4_errors, rule_errors
found["fhir_errors"] = r4_errors(bundle) + rule_errors(bundle)
timed = ("checkin", "70274-6", "44261-6")  # check-ins and questionnaire totals
found["fhir"] = [
    r.get("authored") or r["effectiveDateTime"]
    for r in (e["resource"] for e in bundle["entry"])
    if r["resourceType"] == "QuestionnaireResponse"
    or r.get("code", {}).get("coding", [{}])[0].get("code") in timed
]
found["offset_hours"] = datetime(2026, 1, 5, 12).astimezone().utcoffset().total_seconds() / 3600
print(json.dumps(found))
"""

ZONES = {"Etc/GMT+12": -12.0, "Pacific/Kiritimati": 14.0}
Answers = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Answers:
    """Both zones asked at once, in two processes started together."""
    started = {}
    for zone in ZONES:
        folder = tmp_path_factory.mktemp(zone.replace("/", "-"))
        started[zone] = start_python(ASK, str(folder), TZ=zone)
    return {zone: json.loads(finish(child)) for zone, child in started.items()}


@pytest.mark.parametrize("zone", ZONES)
def test_the_machine_really_was_in_that_zone(answers: Answers, zone: str) -> None:
    assert answers[zone]["offset_hours"] == ZONES[zone]


@pytest.mark.parametrize("zone", ZONES)
def test_queries_keep_a_late_entry_on_its_day(answers: Answers, zone: str) -> None:
    found = answers[zone]
    assert found["checkin"] == ["2026-01-05T23:30", "2026-01-05T23:30+05:00"]
    assert found["assessment"] == ["2026-01-05T23:30", "2026-01-05T23:40+05:00"]
    assert found["session"] == ["2026-01-05T23:45"]
    assert found["side_effect"] == ["2026-01-05T23:50"]
    assert found["count"] == 6
    assert found["history"] == [
        "2026-01-05T23:50",
        "2026-01-05T23:45",
        "2026-01-05T23:40+05:00",
        "2026-01-05T23:30+05:00",
        "2026-01-05T23:30",
        "2026-01-05T23:30",
    ]


@pytest.mark.parametrize("zone", ZONES)
def test_the_summary_keeps_a_late_entry_on_its_day(answers: Answers, zone: str) -> None:
    summary = answers[zone]["summary"]
    assert summary["GAD-7"]["baseline"]["at"] == "2026-01-05T23:30"
    assert summary["GAD-7"]["baseline_before_treatment"] is True
    assert summary["PHQ-9"]["baseline"]["at"] == "2026-01-05T23:40+05:00"
    assert summary["sessions"] == {
        "count": 1,
        "first": "2026-01-05T23:45",
        "last": "2026-01-05T23:45",
    }


@pytest.mark.parametrize("zone", ZONES)
def test_every_export_keeps_a_late_entry_on_its_day(answers: Answers, zone: str) -> None:
    found = answers[zone]
    data = found["json"]
    assert [c["at"] for c in data["checkins"]] == ["2026-01-05T23:30", "2026-01-05T23:30+05:00"]
    assert [a["at"] for a in data["assessments"]] == ["2026-01-05T23:30", "2026-01-05T23:40+05:00"]
    assert [s["at"] for s in data["sessions"]] == ["2026-01-05T23:45"]
    assert data["side_effects"][0]["session_at"] == "2026-01-05T23:45"
    assert found["csv"] == {
        "checkins": ["2026-01-05 2026-01-05T23:30", "2026-01-05 2026-01-05T23:30+05:00"],
        "assessments": ["2026-01-05 2026-01-05T23:30", "2026-01-05 2026-01-05T23:40+05:00"],
        "sessions": ["2026-01-05 2026-01-05T23:45"],
        "side_effects": ["2026-01-05 2026-01-05T23:50"],
    }
    hours = int(ZONES[zone])
    local = f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"
    assert found["fhir_errors"] == []
    # Check-ins first, then each assessment's response and total.
    assert found["fhir"] == [
        f"2026-01-05T23:30:00{local}",
        "2026-01-05T23:30:00+05:00",
        f"2026-01-05T23:30:00{local}",
        f"2026-01-05T23:30:00{local}",
        "2026-01-05T23:40:00+05:00",
        "2026-01-05T23:40:00+05:00",
    ]


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Switch this process's local time zone (TZ + tzset) and put it back afterwards."""
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("zone", "written"),
    [
        ("America/Santiago", "2026-09-06T00:30"),  # clocks jump from 00:00 to 01:00
        ("America/New_York", "2026-03-08T02:30"),  # clocks jump from 02:00 to 03:00
        ("Europe/Berlin", "2026-10-25T02:30"),  # 02:00–03:00 happens twice
    ],
)
def test_fhir_keeps_the_written_time_across_a_clock_change(
    machine_zone: None, monkeypatch: pytest.MonkeyPatch, zone: str, written: str
) -> None:
    if not Path("/usr/share/zoneinfo", zone).exists() and "TZDIR" not in os.environ:
        pytest.skip(f"no time zone data for {zone}")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    stamped = fhir_datetime(datetime.fromisoformat(written))
    assert stamped.startswith(written + ":00"), stamped
