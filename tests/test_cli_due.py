"""`due [--json]` as journal-format.md shows it, on a fixed clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.core_support import run_cli, snapshot
from tracker import cli_due
from tracker.domain.between import FOLLOWUP_KEYS, FollowUp, Reflection
from tracker.journal import Journal

NOW = datetime(2026, 1, 9, 10, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_due, "now", lambda: NOW)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    made = tmp_path / "j.onset"
    with Journal.open(made, create=True, backups=False) as journal:
        journal.add_assessment("GAD-7", "2025-12-26T09:00", [2] * 7)
        journal.add_session("2025-12-10T10:00", "iv", dose_mg=35.0)
        journal.add_session("2026-01-08T10:00", "intranasal", dose_mg=84.0)
    return made


def test_due_json_lists_each_kind_as_documented(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(["due", "--json", "--journal", str(path)], capsys)
    assert result.code == 0, result.err
    # GAD-7 weekly, last 26 Dec 09:00: due since 2 Jan 09:00. Thursday's session at 10:00 was
    # 24.5 h ago: its second prompt. The first session (10 Dec) was more than 28 days ago
    # and sessions continue: the first follow-up check, never done before.
    assert json.loads(result.out) == {
        "now": "2026-01-09T10:30+01:00",
        "due": [
            {"kind": "questionnaire", "what": "GAD-7", "since": "2026-01-02T09:00"},
            {"kind": "reflection", "prompt": "still_with_you", "session_at": "2026-01-08T10:00"},
            {"kind": "followup", "since": None},
        ],
    }


def test_answering_closes_what_was_due_and_the_text_form_says_so(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = run_cli(["due", "--journal", str(path)], capsys).out
    assert text.splitlines() == [
        "Due now:",
        "  GAD-7 questionnaire, due since Fri 2 Jan",
        "  Reflect on Thu 8 Jan's session: What is still with you today?",
        "  The follow-up check",
    ]
    with Journal.open(path, backups=False) as journal:
        journal.add_assessment("GAD-7", "2026-01-09T10:00", [1] * 7)
        journal.add(
            Reflection(
                at=datetime(2026, 1, 9, 10, 5),
                text="quieter",
                session_at=datetime(2026, 1, 8, 10, 0),
                prompt="still_with_you",
            )
        )
        journal.add(
            FollowUp.from_answers(
                datetime(2026, 1, 9, 10, 10), dict.fromkeys(FOLLOWUP_KEYS, "none")
            )
        )
    assert run_cli(["due", "--journal", str(path)], capsys).out == "Nothing is due now.\n"
    result = run_cli(["due", "--json", "--journal", str(path)], capsys)
    assert json.loads(result.out)["due"] == []


def test_due_on_a_missing_journal_fails_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.onset"
    result = run_cli(["due", "--journal", str(missing)], capsys)
    assert result.code == 1 and "there is no journal file here" in result.err
    assert not missing.exists()


def test_due_reads_without_changing_the_journal(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(path, backups_may_change=True)
    assert run_cli(["due", "--json", "--journal", str(path)], capsys).code == 0
    assert snapshot(path, backups_may_change=True)[0] == before[0]


def test_due_json_lists_a_planned_session_within_24_hours(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Journal.open(path, backups=False) as journal:
        # Friday 9 Jan 10:30: Saturday 10:00 is 23.5 h ahead (due), Saturday 11:00 is
        # 24.5 h ahead (not yet), 1 March is weeks away (not read at all: the query is
        # bounded to the days around the next 24 h).
        journal.add_planned_session("2026-01-10T11:00", "intranasal")
        journal.add_planned_session("2026-01-10T10:00", "intranasal", note="bring a book")
        journal.add_planned_session("2026-03-01T10:00", "intranasal")
    result = run_cli(["due", "--json", "--journal", str(path)], capsys)
    assert result.code == 0, result.err
    found = json.loads(result.out)
    planned = [i for i in found["due"] if i["kind"] == "planned_session"]
    assert planned == [{"kind": "planned_session", "at": "2026-01-10T10:00"}]
