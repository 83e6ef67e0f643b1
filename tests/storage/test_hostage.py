"""No file, value or command can take the journal hostage: each way found to lose entries,
lock a patient out or leak a traceback, reproduced, and what happens now."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.core_support import REPO, python_env, run_cli, sample_document, write_json
from tracker.io.journal_json import read_document
from tracker.journal import Journal
from tracker.storage.backup import list_backups, make_backup

Capsys = pytest.CaptureFixture[str]


@pytest.fixture
def filled(journal_path: Path) -> Path:
    with Journal.open(journal_path, create=True, backups=False) as journal:
        journal.import_entries(read_document(sample_document()))
    return journal_path


def entries(path: Path) -> int:
    with Journal.open(path, backups=False) as journal:
        return sum(journal.count(kind) for kind in ("checkin", "assessment", "session"))


def damage(path: Path, sql: str, *params: object) -> None:
    """Write into a stored row past the table's own rules, as a failing disk or another
    program might."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(sql, params)
    conn.close()


# -- 1. an export never replaces the journal --------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["journal", "wal", "shm", "lock", "backups", "symlink", "dotdot"],
)
@pytest.mark.parametrize("fmt", ["json", "fhir", "pdf"])
def test_an_export_onto_the_journal_or_its_files_is_refused(
    filled: Path, tmp_path: Path, capsys: Capsys, fmt: str, target: str
) -> None:
    # Before: `export json --out J --journal J` replaced the journal with the export.
    backup = make_backup(filled)
    with Journal.open(filled, backups=False):  # a reader keeps -wal and -shm in place
        outs = {
            "journal": filled,
            "wal": Path(f"{filled}-wal"),
            "shm": Path(f"{filled}-shm"),
            "lock": Path(f"{filled}.lock"),
            "backups": backup,
            "symlink": tmp_path / "link.json",
            "dotdot": filled.parent / "sub" / ".." / filled.name,
        }
        (tmp_path / "link.json").symlink_to(filled)
        (filled.parent / "sub").mkdir()
        before = {p: p.read_bytes() for p in (filled, backup)}
        out = outs[target]
        result = run_cli(["export", fmt, "--out", str(out), "--journal", str(filled)], capsys)
    assert result.code == 1, result
    assert "nothing was written" in result.err and "wrote" not in result.out
    assert all(p.read_bytes() == data for p, data in before.items())
    assert entries(filled) == 9


def test_a_csv_export_into_the_backups_folder_is_refused(filled: Path, capsys: Capsys) -> None:
    make_backup(filled)
    folder = filled.parent / "backups"
    result = run_cli(["export", "csv", "--out", str(folder), "--journal", str(filled)], capsys)
    assert result.code == 1 and "backups folder" in result.err
    assert not any(p.suffix == ".csv" for p in folder.iterdir())


# -- 13. --out through a symlink, onto a pipe or device, or to standard output --------------


def test_an_export_through_a_symlink_writes_its_target_and_keeps_the_link(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = run_cli(["export", "json", "--out", str(link), "--journal", str(filled)], capsys)
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(json.loads(real.read_text(encoding="utf-8"))["checkins"]) == 3


def test_an_export_onto_a_pipe_or_device_is_refused(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for out in (fifo, Path("/dev/null")):
        result = run_cli(["export", "json", "--out", str(out), "--journal", str(filled)], capsys)
        assert result.code == 1 and "device or a pipe" in result.err, result
    assert fifo.exists() and not fifo.is_file()
    assert Path("/dev/null").is_char_device()


def test_out_dash_writes_the_export_to_standard_output(filled: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "export", "json", "--out", "-", "--journal", str(filled)],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["sessions"]) == 3
    assert not (REPO / "-").exists()


# -- 3. two imports of the same file at once add it once ------------------------------------


def test_two_imports_of_the_same_file_at_once_add_everything_once(
    filled: Path, tmp_path: Path
) -> None:
    # Before, both read the fingerprints before BEGIN IMMEDIATE: each added everything,
    # and with sessions in the file the second failed with "there is already a session".
    many = sample_document()
    many["checkins"] = [
        {"at": f"2025-{m:02d}-{d:02d}T08:00", "anxiety": d % 11}
        for m in range(1, 13)
        for d in range(1, 29)
    ]
    many["sessions"] += [
        {"at": f"2025-{m:02d}-15T10:{d:02d}", "route": "iv"}
        for m in range(1, 13)
        for d in range(10)
    ]
    source = write_json(tmp_path / "many.json", many)
    placed = read_document(many)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        with Journal.open(filled, backups=False) as journal:
            barrier.wait()
            try:
                results.append(journal.import_entries(placed))
            except Exception as exc:  # the test reports any refusal below
                results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    added = sorted(getattr(r, "total_added", -1) for r in results)
    # 336 check-ins and 120 sessions are new; the file's own 9 are there already.
    assert added == [0, 336 + 120], results
    with Journal.open(filled, backups=False) as journal:
        assert journal.count("checkin") == 3 + 336
        assert journal.count("session") == 3 + 120
    assert source.exists()


def test_two_import_commands_of_the_same_file_at_once_the_second_adds_nothing(
    filled: Path, tmp_path: Path
) -> None:
    many = sample_document()
    many["sessions"] += [{"at": f"2025-{m:02d}-15T10:00", "route": "iv"} for m in range(1, 13)]
    source = write_json(tmp_path / "many.json", many)
    command = [sys.executable, "main.py", "import", str(source), "--journal", str(filled)]
    children = [
        subprocess.Popen(
            command, cwd=REPO, env=python_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    said = sorted(child.communicate(timeout=120)[0].decode() for child in children)
    assert [child.returncode for child in children] == [0, 0]
    assert said[0].startswith("imported 0 entries; 24 already in the journal"), said
    assert said[1].startswith("imported 12 entries"), said
    with Journal.open(filled, backups=False) as journal:
        assert journal.count("session") == 3 + 12


# -- 6. a row that breaks its table's rules does not stop backups ----------------------


def test_a_row_breaking_its_rules_is_backed_up_and_reported_not_a_reason_to_stop(
    filled: Path, capsys: Capsys
) -> None:
    damage(filled, "UPDATE checkins SET anxiety = 99 WHERE note = 'tense day'")
    # Before: every daily and manual backup failed as "damaged", shown only as a warning.
    result = run_cli(["backup", "--journal", str(filled)], capsys)
    assert result.code == 0, result.err
    assert [b.ok for b in list_backups(filled)] == [True]
    with Journal.open(filled) as journal:  # the daily backup too, with no warning
        assert journal.count("checkin") == 3
        assert [u.kind for u in journal.scan_unreadable()] == ["checkin"]
    assert len(list_backups(filled)) == 2


# -- 7. dates outside 1900-2100 or too far ahead -----------------------------------------


@pytest.mark.parametrize("at", ["9999-12-31T09:00", "0001-01-01T09:00", "1899-12-31T23:59"])
def test_an_import_with_a_date_outside_1900_to_2100_is_refused(
    journal_path: Path, tmp_path: Path, capsys: Capsys, at: str
) -> None:
    doc = {"format": "onset-journal", "version": 1}
    doc["assessments"] = [{"instrument": "GAD-7", "at": at, "answers": [1] * 7}]
    source = write_json(tmp_path / "far.json", doc)
    result = run_cli(["import", str(source), "--journal", str(journal_path)], capsys)
    assert result.code == 1
    assert "assessments[0].at" in result.err and "1900–2100" in result.err
    assert not journal_path.exists()


def test_an_import_more_than_a_day_ahead_is_refused(
    journal_path: Path, tmp_path: Path, capsys: Capsys
) -> None:
    from datetime import datetime, timedelta

    later = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    soon = (datetime.now() + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M")
    doc = {"format": "onset-journal", "version": 1}
    doc["checkins"] = [{"at": later, "anxiety": 3}]
    result = run_cli(
        ["import", str(write_json(tmp_path / "a.json", doc)), "--journal", str(journal_path)],
        capsys,
    )
    assert result.code == 1 and "checkins[0].at" in result.err and "future" in result.err
    doc["checkins"] = [{"at": soon, "anxiety": 3}]  # within a day: a time zone away
    result = run_cli(
        ["import", str(write_json(tmp_path / "b.json", doc)), "--journal", str(journal_path)],
        capsys,
    )
    assert result.code == 0, result.err


@pytest.mark.parametrize("at", ["9999-12-31T09:00:00", "0001-01-01T00:00:00"])
def test_a_journal_already_holding_year_9999_reads_reports_and_deletes_it(
    filled: Path, tmp_path: Path, capsys: Capsys, at: str
) -> None:
    damage(
        filled,
        "INSERT INTO assessments (instrument, at, sort_at, answers, total, fingerprint) "
        "VALUES ('GAD-7', ?, ?, '[3,3,3,3,3,3,3]', 21, 'x')",
        at[:16],
        at,
    )
    for command in (
        ["summary", "--json"],
        ["export", "json", "--out", str(tmp_path / "a.json")],
        ["export", "fhir", "--out", str(tmp_path / "a.fhir")],
        ["export", "pdf", "--out", str(tmp_path / "a.pdf")],
        ["export", "csv", "--out", str(tmp_path / "csv")],
        ["export", "json", "--out", str(tmp_path / "b.json"), "--to", "9999-12-31"],
    ):
        result = run_cli([*command, "--journal", str(filled)], capsys)
        assert result.code == 3, (command, result)
        assert "questionnaire at " + at[:16] in result.err and "assessments row" in result.err
    exported = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert len(exported["assessments"]) == 3  # every readable one
    with Journal.open(filled, backups=False) as journal:
        found = journal.scan_unreadable()
        assert [u.kind for u in found] == ["assessment"]
        assert journal.delete_unreadable(found) == 1
        assert journal.scan_unreadable() == [] and journal.count("assessment") == 3


# -- 8. a damaged row never stops the rest ------------------------------------------------

DAMAGE = {
    "non-UTF-8 note": ("UPDATE checkins SET note = CAST(x'fffe41' AS TEXT) WHERE id = 1", ()),
    "non-UTF-8 clinic": ("UPDATE sessions SET clinic = CAST(x'c3' AS TEXT) WHERE id = 1", ()),
    "garbage time": ("UPDATE checkins SET at = 'yesterday-ish' WHERE id = 1", ()),
    "bytes time": ("UPDATE checkins SET at = x'00ff' WHERE id = 1", ()),
    "unknown questionnaire": ("UPDATE assessments SET instrument = 'BDI' WHERE id = 1", ()),
    "wrong number of answers": ("UPDATE assessments SET answers = '[1,2]' WHERE id = 1", ()),
    "answers not a list": ("UPDATE assessments SET answers = '{' WHERE id = 1", ()),
    "text in a number": ("UPDATE checkins SET anxiety = 'high' WHERE id = 1", ()),
    "route unknown": ("UPDATE sessions SET route = 'teleport' WHERE id = 1", ()),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_a_damaged_row_is_named_and_the_rest_exported(
    filled: Path, tmp_path: Path, capsys: Capsys, case: str
) -> None:
    sql, params = DAMAGE[case]
    damage(filled, sql, *params)
    for command in (
        ["summary"],
        ["export", "json", "--out", str(tmp_path / "a.json")],
        ["export", "csv", "--out", str(tmp_path / "csv")],
        ["export", "fhir", "--out", str(tmp_path / "a.fhir")],
        ["export", "pdf", "--out", str(tmp_path / "a.pdf")],
    ):
        result = run_cli([*command, "--journal", str(filled)], capsys)
        assert result.code == 3, (command, result)
        assert "row 1" in result.err and "Traceback" not in result.err
    exported = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    total = sum(len(exported[k]) for k in ("checkins", "assessments", "sessions"))
    assert total == 9 - 1  # everything but the damaged one


def test_a_null_time_in_a_journal_opens_and_is_reported(filled: Path, capsys: Capsys) -> None:
    # A NULL in a NOT NULL column fails SQLite's read-only integrity check, which used to
    # make the whole journal "damaged" and unopenable.
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    schema = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'checkins'").fetchone()[0]
    conn.execute(
        "UPDATE sqlite_schema SET sql = ? WHERE name = 'checkins'",
        (schema.replace("at TEXT NOT NULL", "at TEXT", 1),),
    )
    conn.close()
    conn = sqlite3.connect(filled, isolation_level=None)
    conn.execute("UPDATE checkins SET at = NULL WHERE id = 2")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_schema SET sql = ? WHERE name = 'checkins'", (schema,))
    conn.close()
    result = run_cli(["summary", "--journal", str(filled)], capsys)
    assert result.code == 3 and "checkins row 2" in result.err, result


# -- 9. import refuses what is not a regular file, at once ---------------------------------


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/urandom", "fifo"])
def test_import_from_a_device_or_pipe_is_refused_at_once(
    journal_path: Path, tmp_path: Path, capsys: Capsys, source: str
) -> None:
    path = Path(source)
    if source == "fifo":
        path = tmp_path / "fifo"
        os.mkfifo(path)  # nobody writes to it: reading would wait forever
    result = run_cli(["import", str(path), "--journal", str(journal_path)], capsys)
    assert result.code == 1 and "not a journal file" in result.err, result
    assert not journal_path.exists()


# -- 11. a CSV export that fails midway leaves the old set whole -------------------------


def test_a_csv_export_failing_on_the_third_file_replaces_none(
    filled: Path, tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from tracker.io import csv_export

    out = tmp_path / "csv"
    out.mkdir()
    for name in csv_export.FILES.values():
        (out / name).write_text("old\n", encoding="utf-8")
    (out / "mine.txt").write_text("the patient's own file", encoding="utf-8")
    real_fsync, calls = os.fsync, []

    def third_fails(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(csv_export.os, "fsync", third_fails)
    result = run_cli(["export", "csv", "--out", str(out), "--journal", str(filled)], capsys)
    monkeypatch.undo()
    assert result.code == 1 and "the disk is full" in result.err
    assert f"{out}:" in result.err and ".part" not in result.err
    assert sorted(p.name for p in out.iterdir()) == sorted([*csv_export.FILES.values(), "mine.txt"])
    assert all((out / n).read_text(encoding="utf-8") == "old\n" for n in csv_export.FILES.values())


# -- 13. two programs creating the same journal at once ------------------------------------


def test_two_programs_creating_the_same_journal_both_end_with_one_journal(
    tmp_path: Path,
) -> None:
    # Before, 29 of 40 rounds refused the second with "a file appeared here".
    errors: list[BaseException] = []
    for round_ in range(15):
        path = tmp_path / f"round {round_}" / "journal.onset"
        barrier = threading.Barrier(2)

        def create(n: int, path: Path = path, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                with Journal.open(path, create=True, backups=False) as journal:
                    journal.add_checkin(f"2026-01-0{n + 1}T08:00", n)
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=create, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        with Journal.open(path, backups=False) as journal:
            assert journal.count("checkin") == 2  # both saves are in the one journal
        assert sorted(p.name for p in path.parent.iterdir() if ".creating" in p.name) == []


def io_error() -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = sqlite3.SQLITE_IOERR_WRITE  # type: ignore[attr-defined]
    return error


def test_a_disk_i_o_error_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.storage import connection

    monkeypatch.setattr(connection, "disk_full", lambda path: True)
    error = connection.describe_error(tmp_path / "j", io_error())
    assert "the disk is full" in error.reason
    monkeypatch.setattr(connection, "disk_full", lambda path: False)
    error = connection.describe_error(tmp_path / "j", io_error())
    assert "the disk reported an error" in error.reason


# -- 2. restore while another program holds the journal -------------------------------------


def test_restore_while_another_program_holds_the_journal_says_in_use(
    filled: Path, capsys: Capsys
) -> None:
    backup = make_backup(filled)
    other = sqlite3.connect(filled, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO settings (key, value) VALUES ('other', 'program')")
    try:
        # Before: busy was taken for damaged; the live -wal/-shm were deleted and the file
        # replaced, so the other program's next save landed in no file.
        result = run_cli(["restore", str(backup), "--journal", str(filled)], capsys)
        assert result.code == 1 and "in use" in result.err, result
        other.execute("COMMIT")
    finally:
        other.close()
    with Journal.open(filled, backups=False) as journal:
        assert journal.setting("other") == "program"


def test_restore_and_import_are_refused_while_the_app_holds_the_lock(
    filled: Path, tmp_path: Path, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker import cli
    from tracker.storage.lock import JournalLock

    monkeypatch.setattr(cli, "WRITER_WAIT_MS", 50)
    backup = make_backup(filled)
    source = write_json(tmp_path / "s.json", sample_document())
    with JournalLock(filled).acquire():  # what a window holds while the journal is open
        restore = run_cli(["restore", str(backup), "--journal", str(filled)], capsys)
        imported = run_cli(["import", str(source), "--journal", str(filled)], capsys)
    for result in (restore, imported):  # after waiting a moment for it
        assert result.code == 1 and "open in Onset" in result.err, result
    # Once the window is closed they go ahead.
    assert run_cli(["import", str(source), "--journal", str(filled)], capsys).code == 0
    assert run_cli(["restore", str(backup), "--journal", str(filled)], capsys).code == 0


def test_the_lock_dies_with_its_process(filled: Path) -> None:
    from tracker.storage.lock import JournalLock, lock_path

    code = (
        "import os, sys; from tracker.storage.lock import JournalLock; "
        "JournalLock(sys.argv[1]).acquire(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(filled)], cwd=REPO, env=python_env())
    assert lock_path(filled).exists()  # killed holders leave the file, not the lock
    with JournalLock(filled).acquire(wait_ms=0):
        pass
    assert not lock_path(filled).exists()


# -- 4. restore through a symlink ------------------------------------------------------------


def test_restore_on_a_symlinked_journal_restores_the_target_and_keeps_the_link(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    backup = make_backup(filled)
    with Journal.open(filled, backups=False) as journal:
        journal.add_checkin("2026-02-01T08:00", 1)
    link = tmp_path / "elsewhere" / "link.onset"
    link.parent.mkdir()
    link.symlink_to(filled)
    result = run_cli(["restore", str(backup), "--journal", str(link)], capsys)
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(filled)
    with Journal.open(filled, backups=False) as journal:
        assert journal.count("checkin") == 3  # the real file holds the restored data


# -- 5. a symlinked backups folder keeps its permissions ------------------------------------


def test_a_symlinked_backups_folder_is_never_chmodded(filled: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    (filled.parent / "backups").symlink_to(shared)
    made = make_backup(filled)
    assert (shared.stat().st_mode & 0o7777) == 0o1777  # before: drwx------
    assert made.parent == filled.parent / "backups" and (made.stat().st_mode & 0o777) == 0o600


# -- 10. a journal that cannot be written ----------------------------------------------------


def test_restore_onto_a_file_that_cannot_be_written_says_so(filled: Path) -> None:
    from tests.storage.test_damaged import run_bound_by_permissions

    backup = make_backup(filled)
    before = filled.read_bytes()
    os.chmod(filled, 0o400)
    try:
        result = run_bound_by_permissions(["restore", str(backup), "--journal", str(filled)])
    finally:
        os.chmod(filled, 0o600)
    assert result.returncode == 1, result.stderr
    assert "read-only" in result.stderr and "disk reported an error" not in result.stderr
    assert filled.read_bytes() == before


# -- 12. what a killed process left behind -------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_hidden_copies_left_by_killed_processes_are_removed_at_the_next_open(
    filled: Path, tmp_path: Path, capsys: Capsys
) -> None:
    dead, alive = _dead_pid(), os.getppid()
    folder = filled.parent
    left = [
        folder / f".{filled.name}.{dead}.ab12cd34.creating",
        folder / f".{filled.name}.{dead}.ab12cd34.creating-wal",
        folder / f".{filled.name}.{dead}.restoring",
        folder / f".{filled.name}.{dead}.restoring-journal",
    ]
    running = folder / f".{filled.name}.{alive}.restoring"  # another process, still at it
    mine = folder / ".notes.txt"  # not Onset's
    for path in [*left, running, mine]:
        path.write_bytes(b"health data")
    out = tmp_path / "export.json"
    part = tmp_path / f".export.json.{dead}.x1y2z3.part"
    part.write_bytes(b"half an export")

    with Journal.open(filled, backups=False):
        pass
    assert not any(p.exists() for p in left)
    assert running.exists() and mine.exists()
    run_cli(["export", "json", "--out", str(out), "--journal", str(filled)], capsys)
    assert not part.exists() and out.exists()


def test_the_windows_exports_refuse_the_journal_too(filled: Path) -> None:
    # The window's File → Export and its summary dialog write through these two.
    from tracker.io.exports import write_export
    from tracker.io.output import OutputRefused
    from tracker.io.report import ReportOptions, write_report

    before = filled.read_bytes()
    with Journal.open(filled, backups=False) as journal:
        for kind in ("json", "fhir", "pdf"):
            with pytest.raises(OutputRefused, match="the journal itself"):
                write_export(journal, kind, filled)
        with pytest.raises(OutputRefused, match="the journal itself"):
            write_report(journal, filled, ReportOptions())
    assert filled.read_bytes() == before
