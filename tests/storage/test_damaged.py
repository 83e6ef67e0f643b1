"""A damaged journal: refused in words that name the file, never written to, and the newest
good backup puts the entries back. Also a damaged -wal log and a read-only folder."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core_support import REPO, python_env, run_cli, snapshot, sqlite_error
from tests.storage.test_backup import entries
from tracker.journal import Journal
from tracker.storage.backup import (
    MANUAL,
    backup_folder,
    damaged_log,
    make_backup,
    newest_good_backup,
    restore_backup,
)
from tracker.storage.errors import (
    DamagedJournal,
    JournalError,
    JournalWarning,
    JournalWriteError,
    NotAJournal,
)

PAGE = 4096


@pytest.fixture(scope="module")
def good_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of several dozen pages with one backup, then one more entry after it."""
    path = tmp_path_factory.mktemp("good") / "journal.onset"
    with Journal.open(path, create=True, backups=False) as journal:
        for n in range(200):
            journal.add_checkin(
                f"2026-01-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}",
                n % 11,
                note=f"an evening note number {n} " * 3,
            )
        journal.add_session("2026-01-02T10:00", "iv", dose_mg=35.0)
        journal.add_assessment("GAD-7", "2026-01-03T09:00", [2, 1, 3, 0, 1, 2, 1])
    make_backup(path, MANUAL)
    with Journal.open(path, backups=False) as journal:
        journal.add_checkin("2026-02-01T08:00", 1, note="after the backup")
    return path


def root_page(path: Path, name: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(
            conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = ?", (name,)).fetchone()[0]
        )
    finally:
        conn.close()


def truncated(at: int | Callable[[int], int]) -> Callable[[bytes, Path], bytes]:
    return lambda data, _: data[: at(len(data)) if callable(at) else at]


def header_set(offset: int, value: bytes) -> Callable[[bytes, Path], bytes]:
    return lambda data, _: data[:offset] + value + data[offset + len(value) :]


def page_of(name: str, change: Callable[[bytes], bytes]) -> Callable[[bytes, Path], bytes]:
    def damage(data: bytes, original: Path) -> bytes:
        start = (root_page(original, name) - 1) * PAGE
        return data[:start] + change(data[start : start + PAGE]) + data[start + PAGE :]

    return damage


def flipped_header(page: bytes) -> bytes:
    return bytes(b ^ 0xFF for b in page[:16]) + page[16:]


def index_key_changed(page: bytes) -> bytes:
    """One hex digit of one fingerprint in the index: every page still well formed."""
    at = page.index(b"0", 40)  # the first '0' inside a stored key
    return page[:at] + b"1" + page[at + 1 :]


# name: (how the file is damaged, the error it gets, words its message holds)
KINDS: dict[str, tuple[Callable[[bytes, Path], bytes], type[JournalError], str]] = {
    "cut inside the SQLite header": (truncated(10), DamagedJournal, "cut short"),
    "cut inside the file header": (truncated(60), DamagedJournal, "cut short"),
    "cut after the file header": (truncated(100), DamagedJournal, "cut short"),
    "cut inside the second page": (truncated(PAGE + 1000), DamagedJournal, "cut short"),
    "last page missing": (truncated(lambda n: n - PAGE), DamagedJournal, "cut short"),
    "last byte missing": (truncated(lambda n: n - 1), DamagedJournal, "cut short"),
    "no bytes at all": (truncated(0), NotAJournal, "empty (0 bytes)"),
    "header: magic flipped": (header_set(3, b"\xff"), NotAJournal, "not a SQLite database"),
    "header: page size": (header_set(16, b"\x03\x00"), DamagedJournal, "header is not valid"),
    "header: read version": (header_set(19, b"\x07"), DamagedJournal, "damaged"),
    "header: format number": (
        header_set(60, b"\xff\xff\xff\xff"),
        DamagedJournal,
        "format number (4294967295) is not valid",
    ),
    "page header flipped": (page_of("checkins", flipped_header), DamagedJournal, "damaged"),
    "page zeroed": (page_of("checkins", lambda p: bytes(len(p))), DamagedJournal, "damaged"),
    "index out of step": (
        page_of("checkins_by_fingerprint", index_key_changed),
        DamagedJournal,
        "integrity check fails",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_journal_is_refused_untouched_and_the_newest_good_backup_restores_it(
    good_journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    damage, error, words = KINDS[kind]
    path = tmp_path / "journal.onset"
    shutil.copytree(backup_folder(good_journal), backup_folder(path))
    path.write_bytes(damage(good_journal.read_bytes(), good_journal))
    damaged = path.read_bytes()
    before = snapshot(path)

    with pytest.raises(error) as caught:
        Journal.open(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and words in message
    assert snapshot(path) == before

    for command in (["summary"], ["export", "json", "--out", str(tmp_path / "out.json")]):
        result = run_cli([*command, "--journal", str(path)], capsys)
        assert (result.code, result.err) == (1, f"onset: {message}\n")
    assert snapshot(path) == before and not (tmp_path / "out.json").exists()

    good = newest_good_backup(path)
    assert good is not None and good.parent == backup_folder(path)
    kept = restore_backup(path, good)
    assert kept is not None and kept.read_bytes() == damaged  # the damaged file, kept as it was
    with Journal.open(path) as journal:
        assert journal.count("checkin") == 200 and journal.count("session") == 1
    assert entries(path) == entries(good)


def test_an_index_out_of_step_is_what_the_full_check_finds(
    good_journal: Path, tmp_path: Path
) -> None:
    damage = KINDS["index out of step"][0]
    path = tmp_path / "journal.onset"
    path.write_bytes(damage(good_journal.read_bytes(), good_journal))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    finally:
        conn.close()


def test_a_folder_where_the_journal_should_be_is_refused_and_never_replaced(
    good_journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "journal.onset"
    shutil.copytree(backup_folder(good_journal), backup_folder(path))
    path.mkdir()
    (path / "inside.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(NotAJournal, match="folder") as caught:
        Journal.open(path)
    result = run_cli(["summary", "--journal", str(path)], capsys)
    assert (result.code, result.err) == (1, f"onset: {caught.value}\n")
    good = newest_good_backup(path)
    assert good is not None
    with pytest.raises(NotAJournal, match="move it away first"):
        restore_backup(path, good)
    assert [p.name for p in path.iterdir()] == ["inside.txt"]


def test_with_no_good_backup_there_is_nothing_to_offer(tmp_path: Path) -> None:
    path = tmp_path / "journal.onset"
    assert newest_good_backup(path) is None
    backup_folder(path).mkdir()
    (backup_folder(path) / "journal-2026-01-01-000000-daily.onset").write_bytes(b"broken")
    assert newest_good_backup(path) is None


# -- the -wal log of recent changes --------------------------------------------------------------

WAL_ENTRIES = 40


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """A journal's file and its -wal as a crash leaves them: 40 saved check-ins in the log."""
    folder = tmp_path_factory.mktemp("crashed")
    path = folder / "journal.onset"
    with Journal.open(path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-01T09:00", 5)
        journal.connection.execute("PRAGMA wal_autocheckpoint = 0")
        journal.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for n in range(WAL_ENTRIES):
            journal.add_checkin(f"2026-01-02T{n // 60:02d}:{n % 60:02d}", n % 11, note="x" * 3000)
        return path.read_bytes(), Path(f"{path}-wal").read_bytes()


def place(tmp_path: Path, files: tuple[bytes, bytes]) -> Path:
    path = tmp_path / "journal.onset"
    path.write_bytes(files[0])
    Path(f"{path}-wal").write_bytes(files[1])
    return path


def middle_damaged(wal: bytes) -> bytes:
    middle = len(wal) // 2
    return wal[:middle] + b"\xff" * 64 + wal[middle + 64 :]


def test_the_log_a_crash_leaves_is_replayed_without_a_word(
    crashed: tuple[bytes, bytes], tmp_path: Path
) -> None:
    path = place(tmp_path, crashed)
    assert damaged_log(path) is None
    with Journal.open(path) as journal:  # a JournalWarning here would fail the test
        assert journal.count("checkin") == 1 + WAL_ENTRIES
    torn = place(tmp_path, (crashed[0], crashed[1][: len(crashed[1]) - 1000]))
    assert damaged_log(torn) is None  # an unfinished last write is what a kill leaves


@pytest.mark.parametrize(
    "damage", [middle_damaged, lambda wal: b"\x00" * 32 + wal[32:]], ids=["frame", "header"]
)
def test_a_damaged_log_is_kept_before_sqlite_drops_it_and_the_person_is_told(
    crashed: tuple[bytes, bytes], tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    wal = damage(crashed[1])
    path = place(tmp_path, (crashed[0], wal))
    assert damaged_log(path) is not None

    with pytest.warns(JournalWarning, match="log of recent changes") as caught:
        journal = Journal.open(path)
    with journal:
        readable = journal.count("checkin")
        assert 1 <= readable < 1 + WAL_ENTRIES  # what precedes the damage is still there
        ok = journal.connection.execute("PRAGMA integrity_check").fetchone()[0]
        assert ok == "ok"
    (kept,) = backup_folder(path).glob("journal.onset-wal.damaged-*")
    assert kept.read_bytes() == wal and str(kept) in str(caught[0].message)


def test_a_damaged_log_that_cannot_be_kept_stops_the_opening(
    crashed: tuple[bytes, bytes], tmp_path: Path
) -> None:
    path = place(tmp_path, (crashed[0], middle_damaged(crashed[1])))
    (tmp_path / "backups").write_text("in the way", encoding="utf-8")
    before = snapshot(path), Path(f"{path}-wal").read_bytes()
    with pytest.raises(DamagedJournal, match="could not be kept"):
        Journal.open(path)
    assert (snapshot(path), Path(f"{path}-wal").read_bytes()) == before


def test_a_restore_never_lets_the_old_log_touch_the_restored_journal(
    crashed: tuple[bytes, bytes], good_journal: Path, tmp_path: Path
) -> None:
    path = place(tmp_path, crashed)
    path.write_bytes(KINDS["header: page size"][0](crashed[0], path))  # damaged, log beside it
    shutil.copytree(backup_folder(good_journal), backup_folder(path))
    good = newest_good_backup(path)
    assert good is not None

    kept = restore_backup(path, good)

    assert kept is not None and Path(f"{kept}-wal").read_bytes() == crashed[1]
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert entries(path) == entries(good)
    with Journal.open(path) as journal:
        assert journal.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    path.unlink()  # the journal gone, its log left behind: set aside, not applied
    Path(f"{path}-wal").write_bytes(crashed[1])
    assert restore_backup(path, good) is None
    assert not Path(f"{path}-wal").exists() and entries(path) == entries(good)
    (left,) = backup_folder(path).glob("journal.onset-wal.left-*")
    assert left.read_bytes() == crashed[1]


# -- a read-only folder --------------------------------------------------------------------------


def run_bound_by_permissions(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `python main.py …` so that file permissions apply (root would ignore them: as
    root the child runs without capabilities)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be enforced")
        prefix = [setpriv, "--bounding-set=-all"]
    return subprocess.run(
        [*prefix, sys.executable, "main.py", *args],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_journal_in_a_read_only_folder_is_read_but_never_written(
    good_journal: Path, tmp_path: Path
) -> None:
    # Reading needs nothing written: summary and export work on a read-only folder (they
    # used to fail with "unable to open database file"); a write command says "read-only".
    folder = tmp_path / "journal folder"
    folder.mkdir()
    path = folder / "journal.onset"
    shutil.copyfile(good_journal, path)
    before = path.read_bytes()
    out = tmp_path / "export.json"
    other = tmp_path / "other.json"
    other.write_text('{"format": "onset-journal", "version": 1}', encoding="utf-8")
    os.chmod(folder, 0o500)
    try:
        summary = run_bound_by_permissions(["summary", "--journal", str(path)])
        export = run_bound_by_permissions(
            ["export", "json", "--out", str(out), "--journal", str(path)]
        )
        imported = run_bound_by_permissions(["import", str(other), "--journal", str(path)])
    finally:
        os.chmod(folder, 0o700)

    assert summary.returncode == 0, summary.stderr
    assert "sessions: 1" in summary.stdout
    assert export.returncode == 0, export.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["checkins"]) >= 1
    assert imported.returncode == 1
    assert imported.stderr.startswith(f"onset: {path}: ") and "read-only" in imported.stderr
    assert str(folder) in imported.stderr and "Traceback" not in imported.stderr
    assert path.read_bytes() == before and sorted(os.listdir(folder)) == ["journal.onset"]


def test_the_read_only_message_names_what_is_read_only(tmp_path: Path) -> None:
    from tracker.storage.connection import describe_error

    # Sorted by SQLite's code, whatever the words: SQLITE_READONLY_DIRECTORY (a file
    # Onset cannot write beside the journal) is an extended SQLITE_READONLY.
    readonly = sqlite_error("attempt to write a readonly database", 1544)
    error = describe_error(tmp_path / "j.onset", readonly)
    assert isinstance(error, JournalWriteError) and "read-only" in error.reason
