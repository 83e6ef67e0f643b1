"""Backups: whole, owner-only copies; one a day, kept by a 7-daily / 8-weekly rule; restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import FIXTURES, run_cli, snapshot
from tracker.journal import KINDS, Journal
from tracker.storage import backup, connection, migrations
from tracker.storage.backup import (
    BEFORE_MIGRATION,
    DAILY,
    MANUAL,
    WEEKLY,
    backup_folder,
    daily_backup,
    list_backups,
    make_backup,
    restore_backup,
)
from tracker.storage.errors import (
    BackupFailed,
    DamagedJournal,
    JournalBusy,
    JournalWarning,
    NotAJournal,
)
from tracker.storage.repository import Repository


def fill(path: Path, checkins: int = 3, start: int = 1) -> None:
    with Journal.open(path, create=True, backups=False) as journal:
        for day in range(start, start + checkins):
            journal.add_checkin(f"2026-01-{day:02d}T09:00", day % 11, note=f"day {day}")
        if start == 1:
            journal.add_session("2026-01-02T10:00", "iv", dose_mg=35.0)


def entries(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Every entry of a journal file, read without changing it (a backup, or a v1 copy).

    An older file is read through an in-memory copy brought up to the current schema.
    """
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        source.backup(conn)
        connection.migrate(conn)
        repo = Repository(conn)
        return {kind: [e.to_json() for e in repo.list_entries(kind)] for kind in KINDS}
    finally:
        source.close()
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_a_whole_owner_only_journal_taken_while_the_journal_is_in_use(
    journal_path: Path,
) -> None:
    fill(journal_path)
    with Journal.open(journal_path, backups=False) as journal:
        journal.add_checkin("2026-02-01T08:00", 4)  # still in the -wal, not yet checkpointed
        other = sqlite3.connect(journal_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO settings (key, value) VALUES ('half', 'not committed')"
        )  # another writer mid-transaction: not in the copy
        made = make_backup(journal, MANUAL)
        other.execute("ROLLBACK")
        other.close()
        expected = {kind: [e.to_json() for e in journal.entries(kind)] for kind in KINDS}

    assert made.parent == backup_folder(journal_path) == journal_path.parent / "backups"
    assert mode(made.parent) == 0o700 and mode(made) == 0o600
    assert entries(made) == expected and len(expected["checkin"]) == 4
    assert not Path(f"{made}-wal").exists()
    assert made.read_bytes()[18:20] == b"\x01\x01"  # a self-contained file, not WAL mode
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT count(*) FROM settings WHERE key = 'half'").fetchone()[0] == 0
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert [p.name for p in made.parent.iterdir()] == [made.name]  # no temporary left


def test_a_backup_can_be_made_from_a_journal_a_connection_or_a_closed_file(
    journal_path: Path,
) -> None:
    fill(journal_path)
    main_file = journal_path.read_bytes()
    from_file = make_backup(journal_path, MANUAL, now=datetime(2026, 3, 1, 9, 0, 0))
    assert journal_path.read_bytes() == main_file  # only read
    with Journal.open(journal_path, backups=False) as journal:
        from_connection = make_backup(
            journal.connection, MANUAL, journal_path=journal_path, now=datetime(2026, 3, 1, 9)
        )
    assert from_file.name == "journal-2026-03-01-090000-manual.onset"
    assert from_connection.name == "journal-2026-03-01-090000-manual-2.onset"
    assert entries(from_file) == entries(from_connection) == entries(journal_path)


def test_a_backup_needs_a_journal_and_a_folder_it_can_write(
    journal_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(Exception, match="there is no journal file here"):
        make_backup(journal_path)
    fill(journal_path)
    (tmp_path / "backups").write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(BackupFailed, match="backups folder cannot be used") as caught:
        make_backup(journal_path)
    assert str(tmp_path / "backups") in str(caught.value)


def test_the_list_reads_names_and_counts_and_ignores_everything_else(
    journal_path: Path,
) -> None:
    fill(journal_path)
    made = {
        reason: make_backup(journal_path, reason, now=datetime(2026, 3, day, 8, 30, 15))
        for day, reason in enumerate((DAILY, WEEKLY, MANUAL, BEFORE_MIGRATION), start=1)
    }
    folder = backup_folder(journal_path)
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    (folder / "other-2026-03-05-083015-daily.onset").write_bytes(made[DAILY].read_bytes())
    (folder / ".journal-2026-03-06-083015-daily.onset.77.part").write_bytes(b"half")
    (folder / "journal-2026-13-45-083015-daily.onset").write_bytes(b"no such day")
    (folder / "journal-2026-03-07-083015-daily.onset").write_bytes(b"SQLite format 3\x00" * 2)

    found = list_backups(journal_path)

    assert [(b.made_at, b.reason) for b in found] == [
        (datetime(2026, 3, 7, 8, 30, 15), DAILY),
        (datetime(2026, 3, 4, 8, 30, 15), BEFORE_MIGRATION),
        (datetime(2026, 3, 3, 8, 30, 15), MANUAL),
        (datetime(2026, 3, 2, 8, 30, 15), WEEKLY),
        (datetime(2026, 3, 1, 8, 30, 15), DAILY),
    ]
    broken, *good = found
    assert not broken.ok and broken.problem and "damaged" in broken.problem
    assert all(b.ok and b.problem is None for b in good)
    assert [dict(b.counts) for b in good] == [
        {"checkin": 3, "assessment": 0, "session": 1, "side_effect": 0}
    ] * 4
    assert good[0].total == 4


def days(first: date, count: int, step: int = 1) -> list[datetime]:
    return [
        datetime.combine(first + timedelta(days=n * step), datetime.min.time()).replace(hour=9)
        for n in range(count)
    ]


def expected_rotation(opened: list[datetime]) -> tuple[list[date], list[date]]:
    """The rule in words: the 7 newest dailies; of older days, the newest one of each of the
    8 newest weeks."""
    dailies = opened[-7:]
    by_week: dict[tuple[int, int], datetime] = {}
    for moment in opened[:-7]:
        by_week[moment.isocalendar()[:2]] = moment
    weeklies = [by_week[week] for week in sorted(by_week)[-8:]]
    return [d.date() for d in dailies], [w.date() for w in weeklies]


@pytest.mark.parametrize("step", [1, 3], ids=["every day", "every third day"])
def test_daily_backups_keep_the_last_7_days_and_the_last_8_weeks(
    journal_path: Path, step: int
) -> None:
    fill(journal_path)
    opened = days(date(2026, 1, 1), 120 // step, step)
    with Journal.open(journal_path, backups=False) as journal:
        made = make_backup(journal, MANUAL, now=opened[0] - timedelta(days=400))
        for moment in opened:
            assert daily_backup(journal.connection, journal_path, now=moment) is not None
            later = moment + timedelta(hours=5)
            assert daily_backup(journal.connection, journal_path, now=later) is None

    found = list_backups(journal_path)
    dailies, weeklies = expected_rotation(opened)
    assert [b.made_at.date() for b in found if b.reason == DAILY] == dailies[::-1]
    assert [b.made_at.date() for b in found if b.reason == WEEKLY] == weeklies[::-1]
    assert [b.path for b in found if b.reason == MANUAL] == [made]  # never rotated away
    assert len(found) == 7 + 8 + 1
    assert all(b.ok and b.counts["checkin"] == 3 for b in found)


def test_the_first_open_of_a_day_backs_up_once_and_an_empty_journal_not_at_all(
    journal_path: Path,
) -> None:
    with Journal.open(journal_path, create=True) as journal:
        assert list_backups(journal_path) == []  # nothing to keep yet
        journal.add_checkin("2026-01-05T21:10", 6)
    with Journal.open(journal_path):
        pass
    with Journal.open(journal_path):
        pass
    found = list_backups(journal_path)
    assert [(b.reason, b.made_at.date(), b.total) for b in found] == [(DAILY, date.today(), 1)]
    shutil.rmtree(backup_folder(journal_path))
    with Journal.open(journal_path, backups=False):
        pass
    assert not backup_folder(journal_path).exists()


def test_a_daily_backup_that_fails_is_a_warning_and_the_journal_still_opens(
    journal_path: Path,
) -> None:
    fill(journal_path)
    blocker = journal_path.parent / "backups"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.warns(JournalWarning, match="today's backup could not be made") as caught:
        journal = Journal.open(journal_path)
    with journal:
        assert journal.count("checkin") == 3
        journal.add_checkin("2026-02-01T08:00", 2)
    assert str(journal_path) in str(caught[0].message)
    assert blocker.read_text(encoding="utf-8") == "a file where the folder should be"


def test_a_daily_copy_that_fails_keeps_the_earlier_backups_and_leaves_no_temporary(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(journal_path)
    with Journal.open(journal_path, backups=False) as journal:
        for moment in days(date(2026, 1, 1), 30):
            daily_backup(journal.connection, journal_path, now=moment)
        before = sorted(p.name for p in backup_folder(journal_path).iterdir())

        def full(conn: sqlite3.Connection, temporary: Path, journal: Path) -> None:
            temporary.write_bytes(b"half a copy")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(backup, "_copy", full)
        with pytest.warns(JournalWarning, match="No space left on device"):
            late = datetime(2026, 3, 1, 9)
            assert daily_backup(journal.connection, journal_path, now=late) is None
    assert sorted(p.name for p in backup_folder(journal_path).iterdir()) == before


@pytest.fixture
def version_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A harmless second schema step, as the next format update would add one."""
    step = "CREATE TABLE reminders (id INTEGER PRIMARY KEY, note TEXT);"
    steps = [*migrations.MIGRATIONS, step]
    for module in (migrations, connection):
        monkeypatch.setattr(module, "MIGRATIONS", steps)
        monkeypatch.setattr(module, "SCHEMA_VERSION", len(steps))


# The newest saved format: the "version_2" step comes right after it.
CURRENT = migrations.SCHEMA_VERSION


def saved_current(path: Path) -> Path:
    """A copy of the saved journal of the newest format."""
    shutil.copyfile(FIXTURES / f"journal-v{CURRENT}.onset", path)
    return path


@pytest.mark.usefixtures("version_2")
def test_a_format_update_backs_the_saved_journal_up_first_and_that_backup_opens(
    journal_path: Path,
) -> None:
    saved_current(journal_path)
    before = entries(journal_path)
    assert sum(len(found) for found in before.values()) > 5
    seen: list[tuple[int, list[str]]] = []

    def hook(conn: sqlite3.Connection, version: int) -> None:
        seen.append((version, [b.reason for b in list_backups(journal_path)]))

    with Journal.open(journal_path, before_migration=hook) as journal:
        assert connection.schema_version(journal.connection) == CURRENT + 1
        assert {kind: [e.to_json() for e in journal.entries(kind)] for kind in KINDS} == before

    assert seen == [(CURRENT + 1, [BEFORE_MIGRATION])]  # the copy existed before the step ran
    (copy,) = [b for b in list_backups(journal_path) if b.reason == BEFORE_MIGRATION]
    assert copy.ok and copy.total == sum(len(found) for found in before.values())
    assert connection.inspect(copy.path) == CURRENT and entries(copy.path) == before
    with Journal.open(copy.path, backups=False) as reopened:  # it opens (and updates) too
        assert reopened.count("checkin") == len(before["checkin"])


@pytest.mark.usefixtures("version_2")
def test_no_backup_means_no_format_update(journal_path: Path) -> None:
    saved_current(journal_path)
    (journal_path.parent / "backups").write_text("in the way", encoding="utf-8")
    before = snapshot(journal_path)
    with pytest.raises(BackupFailed, match="format was not updated") as caught:
        Journal.open(journal_path)
    assert str(journal_path) in str(caught.value)
    assert snapshot(journal_path)[0] == before[0]
    assert connection.inspect(journal_path) == CURRENT


def test_a_restore_keeps_the_journal_as_it_was_so_it_can_be_undone(journal_path: Path) -> None:
    fill(journal_path)
    older = make_backup(journal_path, MANUAL, now=datetime(2026, 1, 4, 9))
    old_entries = entries(journal_path)
    fill(journal_path, checkins=5, start=10)
    newer_entries = entries(journal_path)

    kept = restore_backup(journal_path, older, now=datetime(2026, 1, 20, 9))

    assert kept is not None and kept.name == "journal-2026-01-20-090000-before-restore.onset"
    assert entries(journal_path) == old_entries and entries(kept) == newer_entries
    assert mode(journal_path) == 0o600
    assert [p.name for p in journal_path.parent.iterdir() if p.name.startswith(".")] == []
    with Journal.open(journal_path, backups=False) as journal:
        assert journal.count("checkin") == 3
        journal.add_checkin("2026-02-01T08:00", 3)  # a restored journal is a working journal

    undo = restore_backup(journal_path, kept)
    assert undo is not None and entries(journal_path) == newer_entries


def test_a_restore_refuses_a_bad_backup_and_changes_nothing(
    journal_path: Path, tmp_path: Path
) -> None:
    fill(journal_path)
    good = make_backup(journal_path, MANUAL)
    bad = good.with_name("journal-2026-01-01-000000-manual.onset")
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    before = snapshot(journal_path), sorted(os.listdir(backup_folder(journal_path)))

    with pytest.raises(DamagedJournal, match="cut short") as caught:
        restore_backup(journal_path, bad)
    assert str(bad) in str(caught.value)
    with pytest.raises(NotAJournal, match="not a SQLite database"):
        restore_backup(journal_path, FIXTURES / "make_fixtures.py")
    with pytest.raises(Exception, match="there is no backup file here"):
        restore_backup(journal_path, tmp_path / "missing.onset")
    with pytest.raises(Exception, match="the journal itself"):
        restore_backup(journal_path, journal_path)
    assert (snapshot(journal_path), sorted(os.listdir(backup_folder(journal_path)))) == before


def test_a_restore_waits_until_nothing_else_has_the_journal_open(journal_path: Path) -> None:
    fill(journal_path)
    good = make_backup(journal_path, MANUAL)
    with Journal.open(journal_path, backups=False) as journal:
        journal.add_checkin("2026-02-01T08:00", 1)
        with pytest.raises(JournalBusy, match="still open"):
            restore_backup(journal_path, good)
        journal.add_checkin("2026-02-02T08:00", 2)  # the open journal was not disturbed
        assert journal.count("checkin") == 5
    assert restore_backup(journal_path, good) is not None
    assert len(entries(journal_path)["checkin"]) == 3


def test_a_restore_makes_a_missing_journal_and_will_not_replace_a_folder(
    journal_path: Path, tmp_path: Path
) -> None:
    fill(journal_path)
    good = make_backup(journal_path, MANUAL)
    expected = entries(journal_path)

    elsewhere = tmp_path / "new place" / "journal.onset"
    assert restore_backup(elsewhere, good) is None
    assert entries(elsewhere) == expected and mode(elsewhere) == 0o600

    journal_path.unlink()
    journal_path.mkdir()
    (journal_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NotAJournal, match="a folder in the journal file's place"):
        restore_backup(journal_path, good)
    assert (journal_path / "keep.txt").read_text(encoding="utf-8") == "mine"


# -- the command line --------------------------------------------------------------------------


def test_backup_backups_and_restore_on_the_command_line(
    journal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = ["--journal", str(journal_path)]
    missing = run_cli(["backup", *journal], capsys)
    assert missing.code == 1 and "there is no journal file here" in missing.err
    none_yet = run_cli(["backups", *journal], capsys)
    assert none_yet.code == 0 and "no backups of" in none_yet.out

    fill(journal_path)
    made = run_cli(["backup", *journal], capsys)
    assert made.code == 0, made.err
    (copy,) = backup_folder(journal_path).iterdir()
    assert str(copy) in made.out
    fill(journal_path, checkins=2, start=20)

    listed = run_cli(["backups", *journal], capsys)
    assert listed.code == 0
    assert "made by hand" in listed.out and "3 check-ins, 1 session" in listed.out
    assert copy.name in listed.out

    restored = run_cli(["restore", copy.name, *journal], capsys)  # a name in backups/ will do
    assert restored.code == 0, restored.err
    assert "before-restore" in restored.out and len(entries(journal_path)["checkin"]) == 3

    broken = backup_folder(journal_path) / "journal-2020-01-01-000000-manual.onset"
    broken.write_bytes(b"SQLite format 3\x00" + bytes(200))
    refused = run_cli(["restore", str(broken), *journal], capsys)
    assert refused.code == 1 and str(broken) in refused.err and "damaged" in refused.err
    listed = run_cli(["backups", *journal], capsys)
    assert "NOT USABLE" in listed.out

    assert run_cli(["restore", *journal], capsys).code == 2
    assert run_cli(["backups", "--journal"], capsys).code == 2
