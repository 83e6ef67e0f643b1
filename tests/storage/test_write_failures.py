"""A write that fails (disk full, read-only, locked) says why, leaves nothing half-written,
and the same Journal object works again once the cause is gone."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import sqlite_error
from tracker.domain.entries import Checkin
from tracker.journal import KINDS, Journal
from tracker.storage.errors import JournalBusy, JournalError, JournalWriteError


@pytest.fixture
def journal(journal_path: Path) -> Iterator[Journal]:
    with Journal.open(journal_path, create=True, backups=False) as opened:
        opened.add_checkin("2026-01-01T09:00", 5, note="first")
        opened.add_session("2026-01-02T10:00", "iv", dose_mg=35.0)
        opened.add_side_effect("2026-01-02T11:00", "nausea", "mild", session_at="2026-01-02T10:00")
        opened.set_setting("reminder", "21:00")
        yield opened


def everything(journal: Journal) -> tuple[Any, ...]:
    stored = {kind: [e.to_json() for e in journal.entries(kind)] for kind in KINDS}
    return stored, journal.setting("reminder")


def many(count: int = 300) -> list[Checkin]:
    return [
        Checkin.from_json(
            {
                "at": f"2026-03-01T{n // 60:02d}:{n % 60:02d}",
                "anxiety": n % 11,
                "note": "a long evening note " * 40,
            }
        )
        for n in range(count)
    ]


LONG = "a note long enough to need pages of its own " * 200

# Every kind of change the Journal makes, each on the journal fixture above.
CHANGES: dict[str, Callable[[Journal], object]] = {
    "add": lambda j: j.add_checkin("2026-02-01T09:00", 3, note=LONG),
    "add many": lambda j: j.add_many(many()),
    "update": lambda j: j.update(replace(j.checkins()[0], note=LONG)),
    "delete": lambda j: j.delete(j.sessions()[0]),
    "setting": lambda j: j.set_setting("reminder", "08:00"),
    "import": lambda j: j.import_entries([(f"checkins[{n}]", e) for n, e in enumerate(many())]),
}
GROWING = ("add", "add many", "update", "import")


def fail_then_recover(
    journal: Journal,
    change: Callable[[Journal], object],
    cause: Callable[[], object],
    cure: Callable[[], object],
    error: type[JournalError],
    words: str,
) -> None:
    before = everything(journal)
    heard: list[object] = []
    journal.subscribe(heard.append)
    cause()
    with pytest.raises(error) as caught:
        change(journal)
    assert str(caught.value).startswith(f"{journal.path}: ") and words in str(caught.value)
    assert not journal.connection.in_transaction
    assert everything(journal) == before and heard == []  # nothing stored, nothing announced
    cure()
    change(journal)
    assert everything(journal) != before and heard
    ok = journal.connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert ok == "ok"


@pytest.mark.parametrize("name", GROWING)
def test_a_full_disk_refuses_the_whole_change_and_the_journal_works_once_there_is_room(
    journal: Journal, name: str
) -> None:
    conn = journal.connection
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    fail_then_recover(
        journal,
        CHANGES[name],
        lambda: conn.execute(f"PRAGMA max_page_count = {pages}"),  # SQLite's own SQLITE_FULL
        lambda: conn.execute("PRAGMA max_page_count = 1073741823"),
        JournalWriteError,
        "the disk is full; nothing was saved",
    )


class WriteFails:
    """The journal's connection, except that its next write statement raises `error`."""

    def __init__(self, real: sqlite3.Connection, error: sqlite3.Error, at: tuple[str, ...]):
        self.real, self.error, self.at, self.armed = real, error, at, True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.armed and sql.lstrip().upper().startswith(self.at):
            self.armed = False
            raise self.error
        return self.real.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@contextlib.contextmanager
def failing(journal: Journal, error: sqlite3.Error, at: tuple[str, ...]) -> Iterator[None]:
    real = journal.connection
    journal._conn = journal._repo.conn = WriteFails(real, error, at)  # type: ignore[assignment]
    try:
        yield
    finally:
        journal._conn = journal._repo.conn = real


@pytest.mark.parametrize("name", CHANGES)
@pytest.mark.parametrize(
    ("error", "words"),
    [
        (sqlite_error("database or disk is full", sqlite3.SQLITE_FULL), "the disk is full"),
        # SQLITE_IOERR_WRITE: an extended code, sorted by its primary part.
        (sqlite_error("disk I/O error", 778), "the disk reported an error; nothing was saved"),
    ],
)
def test_any_change_the_disk_refuses_midway_is_rolled_back_whole(
    journal: Journal, name: str, error: sqlite3.Error, words: str
) -> None:
    with failing(journal, error, ("INSERT", "UPDATE", "DELETE")):
        fail_then_recover(journal, CHANGES[name], list, list, JournalWriteError, words)


def test_a_commit_the_disk_refuses_is_rolled_back_and_the_next_one_succeeds(
    journal: Journal,
) -> None:
    full = sqlite_error("database or disk is full", sqlite3.SQLITE_FULL)
    with failing(journal, full, ("COMMIT",)):
        fail_then_recover(
            journal, CHANGES["add many"], list, list, JournalWriteError, "the disk is full"
        )


@pytest.mark.parametrize("name", CHANGES)
def test_a_read_only_journal_refuses_the_change_and_works_once_it_is_writable(
    journal: Journal, name: str
) -> None:
    conn = journal.connection
    fail_then_recover(
        journal,
        CHANGES[name],
        lambda: conn.execute("PRAGMA query_only = ON"),  # SQLite's own SQLITE_READONLY
        lambda: conn.execute("PRAGMA query_only = OFF"),
        JournalWriteError,
        "read-only",
    )


@pytest.mark.parametrize("name", CHANGES)
def test_a_journal_locked_by_another_program_says_so_and_works_once_it_is_free(
    journal: Journal, name: str
) -> None:
    journal.connection.execute("PRAGMA busy_timeout = 20")
    other = sqlite3.connect(journal.path, isolation_level=None)
    try:
        fail_then_recover(
            journal,
            CHANGES[name],
            lambda: other.execute("BEGIN IMMEDIATE"),
            lambda: other.execute("ROLLBACK"),
            JournalBusy,
            "another program is using the journal file",
        )
    finally:
        other.close()


def test_a_journal_file_opened_read_only_refuses_writes_in_words(journal_path: Path) -> None:
    with Journal.open(journal_path, create=True, backups=False) as writable:
        writable.add_checkin("2026-01-01T09:00", 5)
    conn = sqlite3.connect(f"file:{journal_path}?mode=ro", uri=True, isolation_level=None)
    read_only = Journal(journal_path, conn)
    with read_only:
        with pytest.raises(JournalWriteError, match="read-only"):
            read_only.add_checkin("2026-02-01T09:00", 3)
        assert read_only.count("checkin") == 1 and not conn.in_transaction
