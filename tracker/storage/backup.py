"""Backups: whole copies of the journal in a `backups/` folder beside it.

A mistake, a crash or a failing disk should never cost more than a day of entries. A copy is
taken with SQLite's backup API (a consistent snapshot, even of a journal in use), checked,
and only then given its real name, so a file with a backup's name is always a whole journal.
The folder and the files are readable by their owner only.

The first open of each day makes a daily copy. The newest 7 daily copies are kept; as older
ones age out, the newest of each calendar week becomes that week's copy, and the newest 8
weekly copies are kept. Copies made by hand, before a format update and before a restore
are never deleted here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import struct
import warnings
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, Protocol

from tracker.storage import crypto, leftovers
from tracker.storage.connection import (
    FILE_MODE,
    FOLDER_MODE,
    MigrationHook,
    describe_error,
    inspect,
    structural_problems,
)
from tracker.storage.errors import (
    BackupFailed,
    DamagedJournal,
    JournalBusy,
    JournalError,
    JournalNotFound,
    JournalWarning,
    JournalWriteError,
    NotAJournal,
)
from tracker.storage.repository import TABLES

FOLDER_NAME = "backups"
DAILY = "daily"
WEEKLY = "weekly"
MANUAL = "manual"
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"
BEFORE_PASSPHRASE = "before-passphrase"
REASONS = (DAILY, WEEKLY, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE, BEFORE_PASSPHRASE)
REASON_LABELS = {
    DAILY: "daily",
    WEEKLY: "weekly",
    MANUAL: "made by hand",
    BEFORE_MIGRATION: "before a format update",
    BEFORE_RESTORE: "before a restore",
    BEFORE_PASSPHRASE: "before a passphrase change",
}
KEEP_DAILY = 7
KEEP_WEEKLY = 8
_STAMP = "%Y-%m-%d-%H%M%S"
# A temporary copy older than this was left by a process that died while copying.
_STALE = timedelta(hours=1)
_IN_USE = "the journal is still open in Onset or another program (in use); close it, then restore"


class OpenJournal(Protocol):
    """What a backup needs of an open Journal (storage does not import the facade)."""

    path: Path

    @property
    def connection(self) -> sqlite3.Connection: ...


_NO_COUNTS: Mapping[str, int] = MappingProxyType({})


class BackupInfo(NamedTuple):
    """One backup as the Settings list and `backups` show it."""

    path: Path
    made_at: datetime
    reason: str
    counts: Mapping[str, int] = _NO_COUNTS  # entries per kind
    problem: str | None = None  # why it cannot be restored
    encrypted: bool = False
    locked: bool = False  # encrypted with a passphrase not given (an earlier one)

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class _Found(NamedTuple):
    path: Path
    made_at: datetime
    reason: str
    number: int


def _journal(path: Path | str) -> Path:
    return Path(path).expanduser().absolute()


def backup_folder(journal_path: Path | str) -> Path:
    return _journal(journal_path).parent / FOLDER_NAME


# -- names -----------------------------------------------------------------------------------


def _name(journal: Path, made_at: datetime, reason: str, number: int = 1) -> str:
    extra = f"-{number}" if number > 1 else ""
    return f"{journal.stem}-{made_at.strftime(_STAMP)}-{reason}{extra}{journal.suffix}"


def _found(journal: Path) -> list[_Found]:
    """This journal's backups, known by their names alone, oldest first."""
    reasons = "|".join(re.escape(r) for r in REASONS)
    pattern = re.compile(
        rf"{re.escape(journal.stem)}-(\d{{4}})-(\d\d)-(\d\d)-(\d\d)(\d\d)(\d\d)"
        rf"-({reasons})(?:-(\d+))?"
        rf"{re.escape(journal.suffix)}"
    )
    try:
        names = os.listdir(journal.parent / FOLDER_NAME)
    except OSError:
        return []
    found = []
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        # The stamp's six numbers, read directly: strptime would load the locale machinery
        # on the way to the first window (the daily backup lists these at every open).
        try:
            year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
            made_at = datetime(year, month, day, hour, minute, second)
        except ValueError:  # a hand-made name such as month 13
            continue
        number = int(match[8] or 1)
        found.append(_Found(journal.parent / FOLDER_NAME / name, made_at, match[7], number))
    return sorted(found, key=lambda f: (f.made_at, f.number))


def _unused(folder: Path, journal: Path, made_at: datetime, reason: str) -> Path:
    number = 1
    while (folder / _name(journal, made_at, reason, number)).exists():
        number += 1
    return folder / _name(journal, made_at, reason, number)


def resolve(journal_path: Path | str, given: Path | str) -> Path:
    """A backup named on the command line: a path, or a file name in the backups folder."""
    given = Path(given).expanduser()
    inside = backup_folder(journal_path) / given
    return inside if not given.exists() and given.name == str(given) and inside.exists() else given


# -- making one ------------------------------------------------------------------------------


def make_backup(
    source: OpenJournal | sqlite3.Connection | Path | str,
    reason: str = MANUAL,
    *,
    journal_path: Path | str | None = None,
    now: datetime | None = None,
) -> Path:
    """Copy a journal into its backups folder; return the copy's path.

    `source` is an open Journal, a connection together with `journal_path`, or the path of
    a journal file, which is checked first and then only read.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    if isinstance(source, sqlite3.Connection | crypto.CipherConnection):
        if journal_path is None:
            raise TypeError("a backup from a connection needs journal_path")
        return _back_up(source, _journal(journal_path), reason, now)
    if isinstance(source, Path | str):
        journal = _journal(source)
        if not journal.exists():
            raise JournalNotFound(journal, "there is no journal file here")
        inspect(journal)
        with _reading(journal) as conn:
            return _back_up(conn, journal, reason, now)
    return _back_up(source.connection, _journal(source.path), reason, now)


def _back_up(conn: sqlite3.Connection, journal: Path, reason: str, now: datetime | None) -> Path:
    made_at = (now or datetime.now()).replace(microsecond=0)
    try:
        folder = _ready_folder(journal)
        target = _unused(folder, journal, made_at, reason)
    except OSError as exc:
        raise BackupFailed(
            backup_folder(journal), f"the backups folder cannot be used ({_why(exc)})"
        ) from None
    temporary = folder / f".{target.name}.{os.getpid()}.part"
    try:
        _copy(conn, temporary, journal)
        os.replace(temporary, target)
        _sync_folder(folder)
    except OSError as exc:
        raise BackupFailed(target, f"the backup could not be written ({_why(exc)})") from None
    except sqlite3.Error as exc:
        reason_text = describe_error(journal, exc).reason
        raise BackupFailed(target, f"the backup could not be made ({reason_text})") from None
    finally:
        _remove(temporary, Path(f"{temporary}-journal"))
    return target


def _copy(conn: sqlite3.Connection, temporary: Path, journal: Path) -> None:
    """A checked, self-contained copy of what `conn` sees, in a new owner-only file."""
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    copy = crypto.connect_copy(conn, temporary)  # encrypted with the journal's own key
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        # A row that breaks its table's rules is copied as it is and reported when read:
        # refusing the copy would leave the patient with no backup at all.
        healthy = not structural_problems(copy)
    finally:
        copy.close()
    if not healthy:
        raise DamagedJournal(journal, "the journal file is damaged (its check fails); no copy made")


def _ready_folder(journal: Path) -> Path:
    folder = journal.parent / FOLDER_NAME
    try:
        folder.mkdir(mode=FOLDER_MODE)
    except FileExistsError:
        # Made earlier, by Onset or by the patient (maybe a symlink to a shared folder):
        # its permissions are not ours to change. The copies inside are owner-only.
        if not folder.is_dir():
            raise
    else:
        with contextlib.suppress(OSError):  # a umask may have narrowed mkdir's mode
            os.chmod(folder, FOLDER_MODE)
    _clear_stale(folder)
    return folder


def _clear_stale(folder: Path) -> None:
    """Remove temporary copies left by a process that was killed while copying."""
    leftovers.clear(folder, None, ("part",))
    limit = (datetime.now() - _STALE).timestamp()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and (
                entry.name.endswith(".part") or entry.name.endswith(".part-journal")
            ):
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < limit:
                        os.unlink(entry.path)


# -- the daily copy and its rotation ---------------------------------------------------------


def daily_backup(
    conn: sqlite3.Connection, journal_path: Path | str, *, now: datetime | None = None
) -> Path | None:
    """On the first open of a day, copy the journal and apply the keeping rule.

    Never raises: a journal that opened is usable even when its backup is not, so a failure
    is a JournalWarning the window shows. An empty journal has nothing to keep.
    """
    journal = _journal(journal_path)
    now = now or datetime.now()
    try:
        if not _has_entries(conn) or _has_daily(journal, now.date()):
            return None
        made = _back_up(conn, journal, DAILY, now)
    except (JournalError, sqlite3.Error, OSError) as exc:
        why = exc.reason if isinstance(exc, JournalError) else str(exc)
        warnings.warn(
            JournalWarning(journal, f"today's backup could not be made: {why}"), stacklevel=2
        )
        return None
    rotate(journal)
    return made


def _has_entries(conn: sqlite3.Connection) -> bool:
    query = " OR ".join(f"EXISTS (SELECT 1 FROM {table})" for table in TABLES.values())
    return bool(conn.execute(f"SELECT {query}").fetchone()[0])


def _has_daily(journal: Path, day: date) -> bool:
    return any(f.reason == DAILY and f.made_at.date() == day for f in _found(journal))


def rotate(
    journal_path: Path | str, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY
) -> list[Path]:
    """Keep the newest daily copies; the newest aged-out copy of a week becomes its weekly
    copy; keep the newest weekly copies. Return the copies deleted."""
    journal = _journal(journal_path)
    found = _found(journal)
    dailies = [f for f in found if f.reason == DAILY]
    aged = dailies[: max(len(dailies) - keep_daily, 0)]
    weeks: dict[tuple[int, int], list[_Found]] = {}
    for copy in found:
        if copy.reason == WEEKLY or copy in aged:
            weeks.setdefault(_week(copy.made_at), []).append(copy)
    kept_weeks = set(sorted(weeks)[-keep_weekly:]) if keep_weekly > 0 else set()
    deleted = []
    for week, copies in weeks.items():
        newest = copies[-1]  # `found` is oldest first
        for copy in copies:
            if copy is newest and week in kept_weeks:
                if copy.reason == DAILY:
                    with contextlib.suppress(OSError):
                        target = _unused(copy.path.parent, journal, copy.made_at, WEEKLY)
                        os.replace(copy.path, target)
            else:
                with contextlib.suppress(OSError):
                    copy.path.unlink()
                    deleted.append(copy.path)
    return deleted


def _week(moment: datetime) -> tuple[int, int]:
    iso = moment.isocalendar()
    return iso.year, iso.week


# -- listing and checking --------------------------------------------------------------------


def list_backups(journal_path: Path | str) -> list[BackupInfo]:
    """Every backup of this journal, newest first, each checked and counted."""
    return [_describe(found) for found in reversed(_found(_journal(journal_path)))]


def _describe(found: _Found) -> BackupInfo:
    encrypted = crypto.could_be_encrypted(found.path)
    try:
        inspect(found.path)
        with _reading(found.path) as conn:
            counts = {
                kind: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for kind, table in TABLES.items()
            }
    except (crypto.PassphraseNeeded, crypto.WrongPassphrase):
        why = "it is encrypted with a passphrase that was not given"
        return BackupInfo(found.path, found.made_at, found.reason, {}, why, True, True)
    except JournalError as exc:
        return BackupInfo(found.path, found.made_at, found.reason, {}, exc.reason, encrypted)
    except sqlite3.Error as exc:
        reason = describe_error(found.path, exc).reason
        return BackupInfo(found.path, found.made_at, found.reason, {}, reason, encrypted)
    return BackupInfo(found.path, found.made_at, found.reason, counts, None, encrypted)


def newest_good_backup(journal_path: Path | str) -> Path | None:
    """The newest backup that passes every check: what to offer when the journal is damaged."""
    for found in reversed(_found(_journal(journal_path))):
        try:
            inspect(found.path)
        except JournalError:
            continue
        return found.path
    return None


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        conn = crypto.open_file(path, read_only=True)
    except sqlite3.Error as exc:
        raise describe_error(path, exc) from None
    try:
        yield conn
    finally:
        conn.close()


# -- restoring -------------------------------------------------------------------------------


def restore_backup(
    journal_path: Path | str, backup_path: Path | str, *, now: datetime | None = None
) -> Path | None:
    """Put a backup in place of the journal; return the copy kept of the journal as it was
    (None when there was no journal), so that a restore can itself be undone.

    Nothing is replaced unless the backup passes every check. Close every Journal open on
    this file first: while another connection uses it, the restore is refused.
    """
    # Through a symlink the real file is restored and the link stays as it was.
    journal = Path(os.path.realpath(_journal(journal_path)))
    source = _journal(backup_path)
    if journal.is_dir():
        raise NotAJournal(
            journal, "there is a folder in the journal file's place; move it away first"
        )
    if not source.is_file():
        raise JournalNotFound(source, "there is no backup file here")
    if journal.exists() and os.path.samefile(journal, source):
        raise JournalError(source, "this is the journal itself, not a backup of it")
    inspect(source)
    if journal.exists() and not os.access(journal, os.W_OK):
        raise JournalWriteError(
            journal,
            "the journal file is read-only or marked unchangeable (chattr +i); "
            "nothing was replaced",
        )
    if journal.parent.exists() and not os.access(journal.parent, os.W_OK | os.X_OK):
        raise JournalWriteError(
            journal, f"its folder ({journal.parent}) is read-only; nothing was replaced"
        )
    try:
        journal.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalWriteError(journal, f"its folder cannot be made ({_why(exc)})") from None
    temporary = journal.parent / f".{journal.name}.{os.getpid()}.restoring"
    held: sqlite3.Connection | None = None
    try:
        with _reading(source) as conn:
            _copy(conn, temporary, source)
        held = _hold(journal)
        if held is not None:
            safety: Path | None = _back_up(held, journal, BEFORE_RESTORE, now)
            _lock(held, journal)
        else:
            safety = _keep_as_found(journal, now)
        if os.name == "nt":  # Windows cannot replace a file that is still open
            _release(held)
            held = None
        os.replace(temporary, journal)
        _sync_folder(journal.parent)
    except OSError as exc:
        raise JournalWriteError(
            journal, f"the backup could not be put in place ({_why(exc)}); nothing was replaced"
        ) from None
    except sqlite3.Error as exc:
        raise describe_error(journal, exc) from None
    finally:
        _release(held)
        _remove(temporary, Path(f"{temporary}-journal"))
    inspect(journal)
    return safety


def _hold(journal: Path) -> sqlite3.Connection | None:
    """Exclusive hold of a good journal, its log folded in; None when there is none to hold.

    Leaving WAL mode needs every other connection closed, so a journal still in use is
    refused here rather than replaced under a program that would go on writing to it.
    """
    if not journal.exists():
        return None
    try:
        inspect(journal)
    except JournalBusy:
        # Another program holds it locked: busy is never damaged. Treating it so would
        # delete its live log and replace the file under it.
        raise JournalBusy(journal, _IN_USE) from None
    except JournalWriteError:
        raise
    except JournalError:
        return None
    conn = crypto.open_file(journal)
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        _leave_wal(conn, journal)
    except BaseException:
        conn.close()
        raise
    return conn


def _leave_wal(conn: sqlite3.Connection, journal: Path) -> None:
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in (
            sqlite3.SQLITE_BUSY,
            sqlite3.SQLITE_LOCKED,
        ):
            raise
        mode = "busy"
    if str(mode).lower() != "delete":
        raise JournalBusy(journal, _IN_USE)


def _lock(conn: sqlite3.Connection, journal: Path) -> None:
    """Keep everyone out until the file is replaced (the copy is taken first: a backup from
    a connection inside a write transaction would wait for itself)."""
    try:
        conn.execute("BEGIN EXCLUSIVE")
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    except sqlite3.OperationalError:
        mode = "busy"
    if mode.lower() != "delete":  # someone opened it and went back to WAL in between
        raise JournalBusy(journal, _IN_USE)


def _release(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _keep_as_found(journal: Path, now: datetime | None) -> Path | None:
    """Keep a byte copy of a journal that cannot be opened (and of its log), then clear the
    log away so that it is never applied to the restored file."""
    made_at = (now or datetime.now()).replace(microsecond=0)
    folder = _ready_folder(journal)
    kept: Path | None = None
    log = Path(f"{journal}-wal")
    if journal.exists():
        kept = _unused(folder, journal, made_at, BEFORE_RESTORE)
        _copy_file(journal, kept)
        if log.exists():
            _copy_file(log, Path(f"{kept}-wal"))
    elif log.exists():
        _copy_file(log, folder / f"{journal.name}-wal.left-{made_at.strftime(_STAMP)}")
    _remove(log, Path(f"{journal}-shm"))
    return kept


def _copy_file(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        _remove(temporary)


# -- opening ---------------------------------------------------------------------------------


def guard_opening(journal_path: Path | str, then: MigrationHook | None = None) -> MigrationHook:
    """Before a journal is opened: set aside a damaged log of recent changes, and return the
    migration hook that backs the journal up once before its format changes."""
    journal = _journal(journal_path)
    _keep_damaged_log(journal)
    backed_up = False

    def before_migration(conn: sqlite3.Connection, version: int) -> None:
        nonlocal backed_up
        if not backed_up:
            try:
                _back_up(conn, journal, BEFORE_MIGRATION, None)
            except JournalError as exc:
                raise BackupFailed(
                    journal,
                    f"the journal's format was not updated because a backup could not be made "
                    f"first ({exc.reason}); the journal was not changed",
                ) from None
            backed_up = True
        if then is not None:
            then(conn, version)

    return before_migration


def _keep_damaged_log(journal: Path) -> None:
    problem = damaged_log(journal)
    if problem is None:
        return
    try:
        folder = _ready_folder(journal)
        kept = folder / f"{journal.name}-wal.damaged-{datetime.now().strftime(_STAMP)}"
        _copy_file(Path(f"{journal}-wal"), kept)
    except OSError as exc:
        raise DamagedJournal(
            journal,
            f"{problem}, and a copy of it could not be kept ({_why(exc)}); the journal was "
            "not opened, so that nothing more is lost",
        ) from None
    warnings.warn(
        JournalWarning(
            journal,
            f"{problem}: changes saved after the damage could not be read. "
            f"A copy of the log was kept as {kept}",
        ),
        stacklevel=3,
    )


# The -wal file format (sqlite.org/fileformat2.html#walformat): a 32-byte header, then frames
# of a 24-byte header and one page. The magic number says the checksum's byte order.
_WAL_ORDER = {0x377F0682: "<", 0x377F0683: ">"}
_WAL_VERSION = 3007000


def damaged_log(journal_path: Path | str) -> str | None:
    """Say so when the journal's -wal file holds saved changes that SQLite would skip.

    SQLite replays a log up to its first bad frame and drops the rest when the journal is
    next closed. A kill leaves at most one unfinished transaction at the end; a commit of
    the log's current generation after a bad frame is damage, and it is lost unless kept.
    """
    log = Path(f"{_journal(journal_path)}-wal")
    try:
        data = log.read_bytes()
    except OSError:
        return None
    if len(data) < 32:
        return None
    magic, version, page_size, _, salt1, salt2, sum1, sum2 = struct.unpack_from(">8I", data)
    order = _WAL_ORDER.get(magic)
    problem = f"the log of recent changes beside the journal ({log.name}) is damaged"
    if (
        order is None
        or version != _WAL_VERSION
        or not 512 <= page_size <= 65536
        or page_size & (page_size - 1)
        or _checksum(data, 0, 24, (0, 0), order) != (sum1, sum2)
    ):
        return problem if len(data) >= 32 + 24 + 512 else None
    frame = 24 + page_size
    sums, intact = (sum1, sum2), True
    for offset in range(32, len(data) - frame + 1, frame):
        page, commit, frame_salt1, frame_salt2, frame_sum1, frame_sum2 = struct.unpack_from(
            ">6I", data, offset
        )
        current = (frame_salt1, frame_salt2) == (salt1, salt2)
        if intact:
            if current and page:
                sums = _checksum(data, offset, offset + 8, sums, order)
                sums = _checksum(data, offset + 24, offset + frame, sums, order)
                if sums == (frame_sum1, frame_sum2):
                    continue
            intact = False  # the end of what SQLite replays
        elif current and commit:
            return problem
    return None


def _checksum(
    data: bytes, start: int, end: int, sums: tuple[int, int], order: str
) -> tuple[int, int]:
    first, second = sums
    words = iter(struct.unpack_from(f"{order}{(end - start) // 4}I", data, start))
    for a, b in zip(words, words, strict=True):
        first = (first + a + second) & 0xFFFFFFFF
        second = (second + b + first) & 0xFFFFFFFF
    return first, second


# -- small helpers ---------------------------------------------------------------------------


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (a no-op where folders cannot be opened, as on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
