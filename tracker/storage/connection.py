"""Opening a journal file: every check happens before anything is written to it.

A file that is missing (unless we are asked to create it), empty, not SQLite, another
program's database, damaged, or from a newer Onset is refused and left byte-for-byte as
it was: those checks read the file directly or through a read-only connection.

The full check reads the whole file (about 2 ms per year of entries). The desktop app
starts it in a thread as soon as it knows which journal it will open (check_ahead), so
that it runs while Qt loads; opening the journal then uses its answer when the file has not
changed since, and checks again when it has.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from tracker.storage import crypto, leftovers
from tracker.storage.errors import (
    DamagedJournal,
    JournalBusy,
    JournalError,
    JournalNotFound,
    JournalWriteError,
    NewerJournal,
    NotAJournal,
)
from tracker.storage.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tracker.storage.repository import decode_text

SQLITE_HEADER = b"SQLite format 3\x00"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
BUSY_TIMEOUT_MS = 3000
# A format number further ahead than this is a damaged header, not a newer Onset.
PLAUSIBLE_FORMATS_AHEAD = 1000


def _read_only(path: Path, encrypted: bool = False) -> sqlite3.Connection:
    # With no log beside the file there is nothing to replay: `immutable` reads the file
    # alone and, unlike plain read-only, leaves no -wal/-shm files beside it.
    immutable = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    if encrypted:
        return crypto.open_encrypted(path, uri_query=f"mode=ro{immutable}")
    uri = f"file:{quote(str(path))}?mode=ro{immutable}"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _check_header(path: Path) -> bool:
    """Check what can be checked from the bytes; True for a file that may be encrypted."""
    if path.is_dir():
        raise NotAJournal(path, "this is a folder, not a journal file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except PermissionError:
        raise JournalError(path, "you do not have permission to read this file") from None
    except OSError as exc:
        raise JournalError(path, f"the file cannot be read ({exc.strerror})") from None
    if size == 0:
        raise NotAJournal(path, "the file is empty (0 bytes); it is not an Onset journal")
    if SQLITE_HEADER.startswith(header):
        raise DamagedJournal(path, "the journal file is damaged: it is cut short")
    if not header.startswith(SQLITE_HEADER):
        if crypto.could_be_encrypted(path):
            return True  # only its passphrase can tell an encrypted journal from noise
        raise NotAJournal(path, "this file is not an Onset journal (it is not a SQLite database)")
    if len(header) < 100:
        raise DamagedJournal(path, "the journal file is damaged: it is cut short")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedJournal(path, "the journal file is damaged: its header is not valid")
    # While a -wal file holds pages not yet copied back (a checkpoint killed midway writes
    # page 1, with the new page count, before the pages it counts), the file is legitimately
    # shorter than its header says: SQLite replays the log, and its own check decides.
    if not _log_holds_pages(path) and (size % page_size or (pages and size < pages * page_size)):
        raise DamagedJournal(path, "the journal file is damaged: it is cut short")
    # Another program's database or a newer journal is refused from the header alone: even
    # a read-only SQLite connection would leave -wal/-shm files beside one in WAL mode.
    _check_identity(
        path, int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big")
    )
    return False


def _log_holds_pages(path: Path) -> bool:
    """True when a -wal file beside the journal is long enough to hold a page (its header
    is 32 bytes, each frame 24 bytes and a page of at least 512)."""
    try:
        return Path(f"{path}-wal").stat().st_size >= 32 + 24 + 512
    except OSError:
        return False


def _check_identity(path: Path, application_id: int, version: int) -> None:
    if application_id != APPLICATION_ID:
        raise NotAJournal(
            path, "this is a SQLite database of another program, not an Onset journal"
        )
    if not 1 <= version <= SCHEMA_VERSION + PLAUSIBLE_FORMATS_AHEAD:
        raise DamagedJournal(
            path, f"the journal file is damaged: its format number ({version}) is not valid"
        )
    if version > SCHEMA_VERSION:
        raise NewerJournal(
            path,
            f"this journal was written by a newer version of Onset (format {version}; "
            f"this version reads up to {SCHEMA_VERSION}). Update Onset to open it; "
            "the file was not changed.",
        )


# -- the full check, ahead of time ----------------------------------------------------------

_Signature = tuple[tuple[int, int, int, int] | None, ...]


def _signature(path: Path) -> _Signature:
    """What changes when anything writes to the journal or its log. The change time is set
    by the system on every write and cannot be put back, unlike the modification time."""
    found: list[tuple[int, int, int, int] | None] = []
    for part in (path, Path(f"{path}-wal")):
        try:
            stat = part.stat()
        except OSError:
            found.append(None)
        else:
            found.append((stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
    return tuple(found)


class _Ahead:
    """The checks of inspect() on one plain journal, run in a thread of their own."""

    def __init__(self, path: Path):
        self.path = path
        self.version: int | None = None
        self.before = self.after = _signature(path)
        self.thread = threading.Thread(target=self._run, name="onset-journal-check", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.version = _inspect(self.path)
        except BaseException:  # any problem: the opening checks again, and says it
            self.version = None
        self.after = _signature(self.path)

    def answer(self) -> int | None:
        """The schema version, when the file was whole and has not changed since."""
        self.thread.join()
        if self.version is None or not self.before == self.after == _signature(self.path):
            return None
        return self.version


_ahead: dict[Path, _Ahead] = {}


def _key(path: Path) -> Path:
    return Path(path).expanduser().absolute()


def check_ahead(path: Path) -> None:
    """Start checking a plain journal in a thread; inspect() takes the answer later."""
    key = _key(path)
    if key in _ahead:
        return
    try:
        if not key.is_file() or crypto.could_be_encrypted(key):
            return  # nothing to check yet, or only its passphrase can open it
    except OSError:
        return
    _ahead[key] = _Ahead(key)


def inspect(path: Path) -> int:
    """Check an existing file without writing to it; return its schema version."""
    ahead = _ahead.pop(_key(path), None)
    if ahead is not None:
        version = ahead.answer()
        if version is not None:
            return version
    return _inspect(path)


def _inspect(path: Path) -> int:
    encrypted = _check_header(path)
    try:
        probe = _read_only(path, encrypted)
    except sqlite3.Error as exc:
        raise DamagedJournal(path, f"the journal file cannot be opened ({exc})") from None
    try:
        application_id = probe.execute("PRAGMA application_id").fetchone()[0]
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        _check_identity(path, application_id, version)
        # The full check: quick_check misses index entries that no longer match their rows,
        # which would make time-range reads silently skip entries.
        if structural_problems(probe, "integrity_check"):
            raise DamagedJournal(path, "the journal file is damaged (its integrity check fails)")
    except sqlite3.DatabaseError as exc:
        raise describe_error(path, exc) from None
    except UnicodeDecodeError:  # damaged names or text in the file's own schema
        raise DamagedJournal(path, "the journal file is damaged (unreadable text)") from None
    finally:
        probe.close()
    return int(version)


# What an integrity check says about one row breaking its table's rules (a NULL time, a
# value out of range): the file itself is whole, and reading reports that row on its own.
_ROW_RULES = ("NULL value in ", "CHECK constraint failed in ")
_CHECK_LIMIT = 1000


def structural_problems(conn: sqlite3.Connection, check: str = "quick_check") -> list[str]:
    """What SQLite's check finds wrong with the file itself, leaving out single rows that
    break their table's own rules. Empty when the file is whole."""
    found = [str(r[0]) for r in conn.execute(f"PRAGMA {check}({_CHECK_LIMIT})")]
    if found == ["ok"]:
        return []
    # SQLite checks the file's structure before the rows' rules, so a list full of row
    # messages says the structure was whole.
    return [m for m in found if not m.startswith(_ROW_RULES)]


def describe_error(path: Path, exc: sqlite3.Error) -> JournalError:
    """Turn an sqlite3 error into a message a person can act on.

    Sorted by SQLite's own result code (its primary part: the low byte), which does not
    change with SQLite's wording; an error the sqlite3 module raised itself carries none.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = _code_from_text(str(exc)) if code is None else code & 0xFF
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return JournalBusy(path, "another program is using the journal file; try again shortly")
    if primary == sqlite3.SQLITE_FULL:
        return JournalWriteError(path, "the disk is full; nothing was saved")
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN):
        return JournalWriteError(path, read_only_reason(path))
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT):
        return DamagedJournal(path, f"the journal file is damaged ({exc})")
    if primary is None and "database disk image is malformed" in str(exc):
        # SQLCipher's driver raises SQLITE_CORRUPT without its code (a page failing its
        # HMAC while the schema is read): the same damage.
        return DamagedJournal(path, f"the journal file is damaged ({exc})")
    if primary == sqlite3.SQLITE_IOERR:
        if disk_full(path):  # a write into the -wal file on a full disk comes as IOERR
            return JournalWriteError(path, "the disk is full; nothing was saved")
        return JournalWriteError(path, "the disk reported an error; nothing was saved")
    if primary == sqlite3.SQLITE_ERROR and "unsupported file format" in str(exc):
        # A schema format newer than this SQLite reads comes only as SQLITE_ERROR.
        return DamagedJournal(path, f"the journal file is damaged ({exc})")
    return JournalError(path, f"the journal could not be used ({exc})")


# SQLite's own words for its result codes (sqlite3_errstr), for a driver whose errors carry
# no code: sqlcipher3, used for encrypted journals, does not set sqlite_errorcode.
_ERRSTR = {
    "database disk image is malformed": sqlite3.SQLITE_CORRUPT,
    "file is not a database": sqlite3.SQLITE_NOTADB,
    "database is locked": sqlite3.SQLITE_BUSY,
    "database table is locked": sqlite3.SQLITE_LOCKED,
    "database or disk is full": sqlite3.SQLITE_FULL,
    "attempt to write a readonly database": sqlite3.SQLITE_READONLY,
    "unable to open database file": sqlite3.SQLITE_CANTOPEN,
    "disk I/O error": sqlite3.SQLITE_IOERR,
}


def _code_from_text(text: str) -> int | None:
    return next((code for words, code in _ERRSTR.items() if text.startswith(words)), None)


# Less room than this left on the journal's disk: a failed write is the disk being full.
_NEARLY_FULL = 1024 * 1024


def disk_full(path: Path) -> bool:
    try:
        found = os.statvfs(path.parent)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return found.f_bavail * found.f_frsize < _NEARLY_FULL


def read_only_reason(path: Path) -> str:
    if path.exists() and not os.access(path, os.W_OK):
        return "the journal file is read-only"
    if not os.access(path.parent, os.W_OK):
        return f"its folder ({path.parent}) is read-only, and Onset writes beside the journal"
    return "the journal file or its folder is read-only"


def _create_journal(path: Path) -> None:
    """Make a complete empty journal beside `path`, then rename it into place.

    Either a whole journal appears at `path` or nothing does; a crash midway leaves only a
    temporary file, never a half-made journal.
    """
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as exc:
            raise JournalWriteError(
                path, f"the folder cannot be created ({exc.strerror})"
            ) from None
    # The process id names it for the clean-up of a killed creation; the random part keeps
    # two threads of one process apart.
    temporary = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.creating"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        os.close(fd)
        conn = sqlite3.connect(temporary, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate(conn)
        finally:
            conn.close()
        try:
            # A link never replaces: when another program made the journal at the same
            # moment, its file stays and is opened instead of this one.
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(temporary, path)
    except OSError as exc:
        raise JournalWriteError(path, f"the journal cannot be created ({exc.strerror})") from None
    except sqlite3.Error as exc:
        raise describe_error(path, exc) from None
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def writable(path: Path) -> bool:
    """Whether Onset can write the journal: the file, and its folder (for -wal and -shm)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def connect_read_only(path: Path | str) -> sqlite3.Connection:
    """A journal that cannot be written (read-only file, folder or disk), opened to read."""
    path = Path(path).expanduser()
    if not path.exists():
        raise JournalNotFound(path, "there is no journal file here")
    version = inspect(path)
    if version < SCHEMA_VERSION:
        raise JournalWriteError(
            path, f"{read_only_reason(path)}, and its format needs an update before reading"
        )
    try:
        conn = _read_only(path)
        conn.text_factory = decode_text
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise describe_error(path, exc) from None
    return conn


def connect(
    path: Path | str, *, create: bool = False, before_migration: MigrationHook | None = None
) -> sqlite3.Connection:
    """Open (or, with create=True, make) a journal and bring its schema up to date."""
    path = Path(path).expanduser()
    if not path.exists() and not path.is_symlink():
        if not create:
            raise JournalNotFound(path, "there is no journal file here")
        _create_journal(path)
    inspect(path)
    if not writable(path):
        raise JournalWriteError(path, read_only_reason(path))
    leftovers.clear_beside_journal(path)
    try:
        conn = crypto.open_file(path)
    except sqlite3.Error as exc:
        raise describe_error(path, exc) from None
    try:
        conn.text_factory = decode_text
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise JournalError(path, "the journal could not be switched to write-ahead logging")
        # FULL: a commit is on disk before it is reported, so a crash loses nothing said saved.
        conn.execute("PRAGMA synchronous = FULL")
        migrate(conn, before_migration)
    except sqlite3.Error as exc:
        conn.close()
        raise describe_error(path, exc) from None
    except BaseException:
        conn.close()
        raise
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o777 != FILE_MODE:
            os.chmod(path, FILE_MODE)
    return conn


# Called with the open connection and the version about to be applied, before each step
# on an existing journal: the place to take a backup before its schema changes.
MigrationHook = Callable[[sqlite3.Connection, int], None]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, before_step: MigrationHook | None = None) -> list[int]:
    """Apply the missing steps, each with its version bump in one transaction."""
    applied = []
    current = schema_version(conn)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        if before_step is not None and current > 0:
            before_step(conn, version)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One user action = one transaction: all of it is stored, or none of it."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise describe_error(path, exc) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        if isinstance(exc, sqlite3.IntegrityError):
            raise
        raise describe_error(path, exc) from None
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
