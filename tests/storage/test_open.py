"""Opening a journal: a file that is not a usable journal is refused in words, untouched."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core_support import counts, document, run_cli, snapshot, write_json
from tracker.journal import Journal
from tracker.storage.errors import JournalError, JournalNotFound, NewerJournal, NotAJournal
from tracker.storage.migrations import APPLICATION_ID, SCHEMA_VERSION


def _newer(path: Path) -> None:
    with Journal.open(path, create=True) as journal:
        journal.add_checkin("2026-01-05T21:10", 6)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _text(path: Path) -> None:
    path.write_text('{"format": "onset-journal", "version": 1}\n', encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("keep me", encoding="utf-8")


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not yours')")
    conn.commit()
    conn.close()


def _other_program_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


BAD_FILES: dict[str, tuple[Callable[[Path], None], type[JournalError], str]] = {
    "newer": (_newer, NewerJournal, "newer version of Onset"),
    "garbage": (_garbage, NotAJournal, "not an Onset journal"),
    "text": (_text, NotAJournal, "not a SQLite database"),
    "empty": (_empty, NotAJournal, "empty (0 bytes)"),
    "folder": (_folder, NotAJournal, "folder"),
    "other program": (_other_program, NotAJournal, "another program"),
    "other program, WAL": (_other_program_wal, NotAJournal, "another program"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_an_unusable_file_is_refused_by_the_journal_and_left_as_it_was(
    tmp_path: Path, case: str
) -> None:
    make, error, words = BAD_FILES[case]
    path = tmp_path / "journal.onset"
    make(path)
    before = snapshot(path)
    for create in (False, True):
        with pytest.raises(error, match=re.escape(words)) as caught:
            Journal.open(path, create=create)
        assert str(path) in str(caught.value)
    assert snapshot(path) == before


@pytest.mark.parametrize("case", BAD_FILES)
def test_an_unusable_file_is_refused_by_every_command_and_left_as_it_was(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, _, words = BAD_FILES[case]
    path = tmp_path / "journal.onset"
    make(path)
    data = write_json(
        tmp_path / "in.json", document(checkins=[{"at": "2026-01-05T21:10", "anxiety": 6}])
    )
    before = snapshot(path)
    commands = [
        ["import", str(data)],
        ["export", "json", "--out", str(tmp_path / "out.json")],
        ["export", "csv", "--out", str(tmp_path / "csv")],
        ["export", "fhir", "--out", str(tmp_path / "out.fhir.json")],
        ["summary", "--json"],
    ]
    for argv in commands:
        result = run_cli([*argv, "--journal", str(path)], capsys)
        assert result.code == 1, (argv, result)
        assert words in result.err, (argv, result.err)
        assert str(path) in result.err
        assert result.out == ""
        assert snapshot(path) == before, argv
    assert not (tmp_path / "out.json").exists()
    assert not (tmp_path / "csv").exists()
    assert not (tmp_path / "out.fhir.json").exists()


def test_the_newer_journal_message_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "journal.onset"
    _newer(path)
    with pytest.raises(NewerJournal) as caught:
        Journal.open(path)
    message = str(caught.value)
    assert f"format {SCHEMA_VERSION + 1}" in message
    assert "Update Onset" in message
    assert "not changed" in message


def test_a_missing_journal_is_not_created_by_export_or_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere" / "journal.onset"
    with pytest.raises(JournalNotFound, match="no journal file here"):
        Journal.open(path)
    for argv in (
        ["summary"],
        ["summary", "--json"],
        ["export", "json", "--out", str(tmp_path / "out.json")],
        ["export", "csv", "--out", str(tmp_path / "csv")],
        ["export", "fhir", "--out", str(tmp_path / "out.fhir.json")],
    ):
        result = run_cli([*argv, "--journal", str(path)], capsys)
        assert result.code == 1, argv
        assert "there is no journal file here" in result.err
        assert not path.parent.exists(), argv
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_missing_journal_is_created_by_import_private_to_its_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_json(
        tmp_path / "in.json", document(checkins=[{"at": "2026-01-05T21:10", "anxiety": 6}])
    )
    path = tmp_path / "made" / "deeper" / "journal.onset"
    result = run_cli(["import", str(data), "--journal", str(path)], capsys)
    assert result.code == 0, result.err
    assert "imported 1 entries" in result.out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert counts(path)["checkin"] == 1
    assert {p.name for p in path.parent.iterdir()} - {"backups"} == {"journal.onset"}


def test_a_new_journal_is_a_complete_onset_journal(tmp_path: Path) -> None:
    path = tmp_path / "private" / "journal.onset"
    with Journal.open(path, create=True) as journal:
        conn = journal.connection
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        journal.add_checkin("2026-01-05T21:10", 6)
        # The write-ahead log holds entries too: it must be as private as the journal.
        for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert {p.name for p in path.parent.iterdir()} - {"backups"} == {"journal.onset"}


def test_a_journal_made_readable_to_others_is_made_private_again(tmp_path: Path) -> None:
    path = tmp_path / "journal.onset"
    Journal.open(path, create=True).close()
    os.chmod(path, 0o644)
    Journal.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_folder_given_as_the_journal_to_import_into_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_json(tmp_path / "in.json", document())
    result = run_cli(["import", str(data), "--journal", str(tmp_path)], capsys)
    assert result.code == 1
    assert "folder" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]
