"""A damaged reflection or follow-up row is read past like any other damaged row: named,
left out of what the reads give, found by the full scan and deletable, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.core_support import REPO, python_env, run_cli
from tests.storage.test_hostage import Capsys, damage
from tracker.domain.between import FOLLOWUP_KEYS, FollowUp, Reflection
from tracker.journal import Journal


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "journal.onset"
    with Journal.open(path, create=True, backups=False) as journal:
        for day in (3, 4, 5):
            journal.add(Reflection(at=datetime(2026, 3, day, 20, 0), text=f"evening {day}"))
        for day in (6, 27):
            answers = dict.fromkeys(FOLLOWUP_KEYS, "none")
            journal.add(FollowUp.from_answers(datetime(2026, 3, day, 9, 0), answers))
    return path


DAMAGE = {
    "reflection, garbage time": ("UPDATE reflections SET at = 'soon' WHERE id = 2", "reflection"),
    "reflection, bytes time": ("UPDATE reflections SET at = x'00ff' WHERE id = 2", "reflection"),
    "reflection, non-UTF-8 text": (
        "UPDATE reflections SET text = CAST(x'fffe41' AS TEXT) WHERE id = 2",
        "reflection",
    ),
    "reflection, no words": ("UPDATE reflections SET text = '   ' WHERE id = 2", "reflection"),
    "follow-up, garbage time": ("UPDATE followups SET at = 'later' WHERE id = 2", "followup"),
    "follow-up, unknown level": (
        "UPDATE followups SET urgency = 'extreme' WHERE id = 2",
        "followup",
    ),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_row_between_sessions_is_read_past_found_and_deletable(
    written: Path, case: str
) -> None:
    sql, kind = DAMAGE[case]
    damage(written, sql)
    with Journal.open(written, backups=False) as journal:
        readable = journal.reflections() if kind == "reflection" else journal.followups()
        assert len(readable) == (2 if kind == "reflection" else 1)
        assert [(u.kind, u.entry_id) for u in journal.unreadable()] == [(kind, 2)]
        [found] = journal.scan_unreadable()
        assert (found.kind, found.entry_id) == (kind, 2)
        assert "row 2" in str(found) and found.problem
        assert journal.delete_unreadable([found]) == 1
        assert journal.scan_unreadable() == []
        assert len(journal.reflections()) == (2 if kind == "reflection" else 3)
        assert len(journal.followups()) == (2 if kind == "reflection" else 1)


def test_the_command_line_names_a_damaged_reflection_and_exports_the_rest(
    written: Path, tmp_path: Path, capsys: Capsys
) -> None:
    damage(written, "UPDATE reflections SET at = 'soon' WHERE id = 2")
    result = run_cli(
        ["export", "json", "--out", str(tmp_path / "a.json"), "--journal", str(written)], capsys
    )
    assert result.code == 3, result
    assert "row 2" in result.err and "Traceback" not in result.err


@pytest.fixture
def damaged_session_time(tmp_path: Path) -> Path:
    """Two recent sessions, the later one's time damaged."""
    path = tmp_path / "sessions.onset"
    now = datetime.now().replace(second=0, microsecond=0)
    with Journal.open(path, create=True, backups=False) as journal:
        journal.add_session(now - timedelta(days=3), "iv", dose_mg_per_kg=0.5)
        journal.add_session(now - timedelta(days=1), "iv", dose_mg_per_kg=0.5)
    damage(path, "UPDATE sessions SET at = 'soon' WHERE id = 2")
    return path


def test_due_says_what_is_due_without_a_damaged_session_and_names_it(
    damaged_session_time: Path, capsys: Capsys
) -> None:
    result = run_cli(["due", "--journal", str(damaged_session_time)], capsys)
    assert result.code == 3, result
    assert "Traceback" not in result.err and "sessions row 2" in result.err
    assert "left out of what is due" in result.err
    assert "Reflect on" in result.out  # the readable session still asks for its reflection
    as_json = run_cli(["due", "--json", "--journal", str(damaged_session_time)], capsys)
    assert as_json.code == 3
    assert [item["kind"] for item in json.loads(as_json.out)["due"]].count("reflection") == 1


def test_the_window_opens_on_a_journal_with_a_damaged_session_time(
    damaged_session_time: Path,
) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "main.py"),
            "--journal",
            str(damaged_session_time),
            "--smoke",
            "--view",
            "all",
        ],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
