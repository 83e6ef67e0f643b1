"""The command line: exit 0 done, 1 data refused or journal unusable, 2 wrong command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core_support import (
    REPO,
    document,
    python_env,
    run_cli,
    sample_document,
    snapshot,
    write_json,
)
from tracker.app import is_command
from tracker.journal import Journal

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def filled(journal_path: Path) -> Path:
    from tracker.io.journal_json import read_document

    with Journal.open(journal_path, create=True) as journal:
        journal.import_entries(read_document(sample_document()))
    return journal_path


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["export", "xml", "--out", "x"], "invalid choice: 'xml'"),
        (["export", "json"], "the following arguments are required: --out"),
        (["export", "csv", "--journal", "J"], "the following arguments are required: --out"),
        (["export", "json", "--out", "x", "--from", "2026-13-01"], "is not a real date"),
        (["export", "json", "--out", "x", "--from", "5 Jan 2026"], "is not a date written"),
        (["export", "fhir", "--out", "x", "--to", "2026-02-30"], "is not a real date"),
        (
            ["export", "json", "--out", "x", "--from", "2026-01-06", "--to", "2026-01-05"],
            "--from is after --to",
        ),
        (["import"], "the following arguments are required: file"),
        (["summary", "--yaml"], "unrecognized arguments: --yaml"),
        (["summary", "--journal"], "expected one argument"),
    ],
)
def test_a_wrong_command_line_exits_2_and_touches_nothing(
    tmp_path: Path, capsys: Capsys, argv: list[str], says: str
) -> None:
    journal = tmp_path / "journal.onset"
    argv = [str(journal) if word == "J" else word for word in argv]
    argv = [str(tmp_path / "x") if word == "x" else word for word in argv]
    if "--journal" not in argv:
        argv += ["--journal", str(journal)]
    result = run_cli(argv, capsys)
    assert result.code == 2, result
    assert says in result.err
    assert result.out == ""
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_command_exits_2_without_opening_a_window(tmp_path: Path) -> None:
    env = python_env(QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "main.py", "frobnicate", "--journal", str(tmp_path / "j.onset")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "frobnicate" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_main_py_runs_the_commands(filled: Path, tmp_path: Path) -> None:
    env = python_env(XDG_DATA_HOME=str(tmp_path))
    summary = subprocess.run(
        [sys.executable, "main.py", "summary", "--json", "--journal", str(filled)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["GAD-7"]["change"] == -6
    refused = subprocess.run(
        [
            sys.executable,
            "main.py",
            "export",
            "json",
            "--out",
            str(tmp_path / "x.json"),
            "--from",
            "2026-01-32",
            "--journal",
            str(filled),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "2026-01-32" in refused.stderr
    assert not (tmp_path / "x.json").exists()


def test_the_journal_option_may_come_first(filled: Path, capsys: Capsys) -> None:
    assert is_command(["--journal", "summary", "summary"])
    assert not is_command(["--journal", "summary"])
    assert not is_command(["--smoke"])
    result = run_cli(["--journal", str(filled), "summary", "--json"], capsys)
    assert result.code == 0, result.err
    assert json.loads(result.out)["sessions"]["count"] == 3


def test_done_exits_0_and_says_what_was_done(filled: Path, tmp_path: Path, capsys: Capsys) -> None:
    for fmt, out in (("json", "a.json"), ("csv", "csv"), ("fhir", "b.json")):
        result = run_cli(
            ["export", fmt, "--out", str(tmp_path / out), "--journal", str(filled)], capsys
        )
        assert (result.code, result.out, result.err) == (0, f"wrote {tmp_path / out}\n", "")
    source = write_json(
        tmp_path / "more.json", document(checkins=[{"at": "2026-02-01T08:00", "anxiety": 2}])
    )
    result = run_cli(["import", str(source), "--journal", str(filled)], capsys)
    assert (result.code, result.err) == (0, "")
    assert result.out == "imported 1 entries (1 checkin(s)); 0 already in the journal\n"


def test_refused_data_exits_1_with_each_problem_on_stderr(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    source = write_json(
        tmp_path / "bad.json",
        document(
            sessions=[{"at": "2026-03-01T10:00", "route": "iv", "bp_before": [400, 80]}],
            checkins=[{"at": "2026-03-01T08:00", "anxiety": 6.5}],
        ),
    )
    before = snapshot(filled, backups_may_change=True)
    result = run_cli(["import", str(source), "--journal", str(filled)], capsys)
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        "onset: the data was refused; nothing was written:",
        "  checkins[0].anxiety: must be a whole number, not 6.5",
        "  sessions[0].bp_before: systolic 400 is outside 50–300",
    ]
    assert snapshot(filled, backups_may_change=True) == before


def test_the_default_journal_is_in_the_data_folder(
    tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    result = run_cli(["summary"], capsys)
    assert result.code == 1
    assert str(tmp_path / "onset" / "journal.onset") in result.err
    source = write_json(tmp_path / "in.json", document())
    assert run_cli(["import", str(source)], capsys).code == 0
    assert (tmp_path / "onset" / "journal.onset").is_file()
    monkeypatch.setenv("ONSET_JOURNAL", str(tmp_path / "elsewhere.onset"))
    assert run_cli(["import", str(source)], capsys).code == 0
    assert (tmp_path / "elsewhere.onset").is_file()


def test_the_summary_text_reads_plainly(filled: Path, capsys: Capsys) -> None:
    result = run_cli(["summary", "--journal", str(filled)], capsys)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == (
        "GAD-7: baseline 10 (moderate) on 2026-01-05; latest 4 (minimal) on 2026-01-20; "
        "change -6 (-60.0%); response reached, remission reached, "
        "minimal important difference reached"
    )
    assert lines[1].startswith("PHQ-9: baseline 9 (mild) on 2026-01-05")
    assert "sessions: 3, first 2026-01-06, last 2026-01-13" in lines
