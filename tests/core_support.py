"""Shared pieces of the journal-core tests: sample documents, the CLI, file snapshots."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def document(**sections: list[dict[str, Any]]) -> dict[str, Any]:
    """An `onset-journal` version 1 document holding the given sections."""
    return {"format": "onset-journal", "version": 1, **sections}


def sample_document() -> dict[str, Any]:
    """A little of everything the format allows: each kind, offsets, links, derived doses."""
    return document(
        checkins=[
            {
                "at": "2026-01-05T21:10",
                "anxiety": 6,
                "mood": 4,
                "sleep_hours": 6.5,
                "note": "tense day",
            },
            {"at": "2026-01-05T23:30", "anxiety": 7},
            {"at": "2026-01-06T08:15:30+01:00", "anxiety": 5, "mood": 5, "note": "é ✓"},
        ],
        assessments=[
            {
                "instrument": "GAD-7",
                "at": "2026-01-05T09:00",
                "answers": [2, 1, 3, 0, 1, 2, 1],
                "difficulty": 1,
                "total": 10,
                "severity": "moderate",
            },
            {
                "instrument": "PHQ-9",
                "at": "2026-01-05T09:10",
                "answers": [1, 2, 1, 2, 1, 1, 0, 0, 1],
                "difficulty": None,
            },
            {"instrument": "GAD-7", "at": "2026-01-20T09:00", "answers": [1, 1, 0, 0, 1, 0, 1]},
        ],
        sessions=[
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
                "clinic": "North",
                "notes": "",
            },
            {"at": "2026-01-09T10:00+01:00", "route": "intranasal", "dose_mg": 56.0},
            {"at": "2026-01-13T10:00", "route": "oral", "dose_mg": 300.0, "weight_kg": 55.0},
        ],
        side_effects=[
            {
                "at": "2026-01-06T11:00",
                "effect": "nausea",
                "severity": "mild",
                "duration_min": 30,
                "session_at": "2026-01-06T10:00",
                "note": "",
            },
            {
                "at": "2026-01-09T12:00",
                "effect": "other:tingling hands",
                "severity": "moderate",
                "session_at": "2026-01-09T10:00",
            },
            {"at": "2026-01-10T07:00", "effect": "headache", "severity": "severe"},
        ],
    )


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Result:
    """Run the command line in this process, as `python main.py …` would."""
    from tracker.app import main

    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse leaves through SystemExit on a wrong command line
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def snapshot(path: Path, *, backups_may_change: bool = False) -> tuple[Any, ...]:
    """Everything that would show a file was touched: its bytes, its mtime, its neighbours.

    Opening a usable journal may take the day's backup into backups/ beside it; a caller
    that allows that says so.
    """
    neighbours = sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else []
    if backups_may_change:
        neighbours = [name for name in neighbours if name != "backups"]
    if path.is_file():
        stat = path.stat()
        return path.read_bytes(), stat.st_mtime_ns, stat.st_mode, neighbours
    return path.exists(), path.is_dir(), neighbours


def counts(path: Path) -> dict[str, int]:
    from tracker.journal import KINDS, Journal

    with Journal.open(path) as journal:
        return {kind: journal.count(kind) for kind in KINDS}


def python_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ONSET_JOURNAL", "TZ")}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def start_python(code: str, *args: str, **env: str) -> subprocess.Popen[str]:
    """Start `code` in a fresh interpreter (no state shared with the test process)."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=REPO,
        env=python_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 60) -> str:
    """Wait for a started interpreter; fail with its stderr unless it exited with 0."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"child failed ({process.returncode}):\n{err}"
    return out


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    """An error as SQLite raises it: its message and its result code (sqlite_errorcode)."""
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error
