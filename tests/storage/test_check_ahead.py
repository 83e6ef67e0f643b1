"""The journal's full check, started in a thread while the app loads (check_ahead), is used
at the opening only when the file has not changed since; a file changed or damaged after it
is checked again, and a damaged one is refused exactly as without it."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage.test_damaged import KINDS, good_journal  # noqa: F401 - a fixture
from tracker.journal import Journal
from tracker.storage import connection
from tracker.storage.errors import DamagedJournal


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of the thread of every full check made."""
    made: list[str] = []
    real = connection._inspect

    def counted(path: Path) -> int:
        made.append(threading.current_thread().name)
        return real(path)

    monkeypatch.setattr(connection, "_inspect", counted)
    yield made
    connection._ahead.clear()


@pytest.fixture
def journal_copy(good_journal: Path, tmp_path: Path) -> Path:  # noqa: F811
    path = tmp_path / "journal.onset"
    shutil.copyfile(good_journal, path)
    return path


def wait_ahead(path: Path) -> None:
    connection._ahead[path.absolute()].thread.join(timeout=30)


def test_the_opening_takes_the_answer_of_the_check_made_ahead(
    journal_copy: Path, checks: list[str]
) -> None:
    connection.check_ahead(journal_copy)
    wait_ahead(journal_copy)
    with Journal.open(journal_copy, backups=False) as journal:
        assert journal.count("checkin") == 201
    assert checks == ["onset-journal-check"], "checked once, in its thread, not again"
    assert connection._ahead == {}


def test_a_journal_written_after_the_check_is_checked_again(
    journal_copy: Path, checks: list[str]
) -> None:
    connection.check_ahead(journal_copy)
    wait_ahead(journal_copy)
    with Journal.open(journal_copy, backups=False) as other:  # another program, meanwhile
        other.add_checkin("2026-02-02T08:00", 2)
    checks.clear()
    with Journal.open(journal_copy, backups=False) as journal:
        assert journal.count("checkin") == 202
    assert checks == [threading.current_thread().name]


@pytest.mark.parametrize("kind", ["index out of step", "page zeroed"])
def test_damage_after_the_check_is_still_refused(
    journal_copy: Path, checks: list[str], kind: str
) -> None:
    connection.check_ahead(journal_copy)
    wait_ahead(journal_copy)
    damage, error, words = KINDS[kind]
    # The damaged bytes are worked out on another copy: reading this one would leave a log
    # file beside it, a change of its own.
    twin = journal_copy.with_name("twin.onset")
    shutil.copyfile(journal_copy, twin)
    damaged = damage(twin.read_bytes(), twin)
    stat = journal_copy.stat()
    # Rewritten in place, the same size, its modification time put back: only the change
    # time, which no program can set, tells.
    with journal_copy.open("r+b") as handle:
        handle.write(damaged)
    os.utime(journal_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not Path(f"{journal_copy}-wal").exists()
    with pytest.raises(error, match=words):
        Journal.open(journal_copy, backups=False)


def test_a_damaged_journal_checked_ahead_is_refused_as_before(
    good_journal: Path,  # noqa: F811
    tmp_path: Path,
    checks: list[str],
) -> None:
    damage, _error, words = KINDS["index out of step"]
    path = tmp_path / "journal.onset"
    path.write_bytes(damage(good_journal.read_bytes(), good_journal))
    connection.check_ahead(path)
    wait_ahead(path)
    with pytest.raises(DamagedJournal, match=words):
        Journal.open(path, backups=False)
    assert checks == ["onset-journal-check", threading.current_thread().name]


def test_nothing_is_checked_ahead_for_a_missing_file(tmp_path: Path) -> None:
    connection.check_ahead(tmp_path / "none.onset")
    assert connection._ahead == {}
