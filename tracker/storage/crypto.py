"""Encryption at rest: SQLCipher for encrypted journals, their keys held in memory only.

A plain journal is opened with the standard library's sqlite3 and this module never loads
SQLCipher for it. An encrypted journal is a SQLCipher 4 database with SQLCipher's default
settings (AES-256, a per-file random salt in the first 16 bytes, PBKDF2-HMAC-SHA512 with
256,000 iterations). The passphrase is stretched once per file salt with those very
settings and the key is handed to SQLCipher as a raw key, so that the several connections
a command opens (the check, the journal, a backup) pay for one key derivation, not three;
the file still opens with `PRAGMA key = 'passphrase'` in any SQLCipher 4 tool.

Passphrases and keys live in this process's memory only: never in a file, a log, an error
message or a setting.

SQLCipher's errors are its own classes; a connection from here turns them into the
standard library's matching sqlite3 errors, so the rest of the storage code catches one
family of errors whichever driver is underneath.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, cast
from urllib.parse import quote

from tracker.storage.errors import JournalError

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLCipher 4's defaults, repeated here only to derive the same key SQLCipher would.
PAGE_SIZE = 4096
SALT_BYTES = 16
KDF_ITERATIONS = 256_000
KEY_BYTES = 32


class PassphraseNeeded(JournalError):
    """The file is encrypted (or is not a journal at all) and no passphrase was given."""


class WrongPassphrase(JournalError):
    """No passphrase given opens the file."""


NEEDED = "this journal is encrypted: its passphrase is needed to open it; the file was not changed"
WRONG = (
    "the passphrase does not open this journal (or the file is not an Onset journal); "
    "the file was not changed"
)


# -- what the file is ------------------------------------------------------------------------


def could_be_encrypted(path: Path | str) -> bool:
    """True when the file is not plain SQLite but has the shape of a SQLCipher database.

    An encrypted file looks like random bytes, so only the passphrase tells an encrypted
    journal from whole pages of garbage; anything else is plainly not a journal.
    """
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as handle:
            head = handle.read(100)
    except OSError:
        return False
    if size < PAGE_SIZE or size % PAGE_SIZE or head.startswith(SQLITE_HEADER):
        return False
    # A plain SQLite file with a damaged first line still has the rest of SQLite's header:
    # the fixed payload fractions (64, 32, 32) and 20 reserved zero bytes. In an encrypted
    # file these 23 bytes are ciphertext; the chance of them matching is 2^-184.
    return not (head[21:24] == b"\x40\x20\x20" and head[72:92] == bytes(20))


def _salt(path: Path | str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """The key SQLCipher 4 derives from `passphrase` for a file with this salt."""
    return hashlib.pbkdf2_hmac(
        "sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES
    )


# -- the passphrases known to this process ---------------------------------------------------


class _Keyring:
    """Passphrases given in this process, newest first, and the keys derived from them."""

    def __init__(self) -> None:
        self.passphrases: list[str] = []
        self._derived: dict[tuple[bytes, str], bytes] = {}
        self.opened: dict[bytes, bytes] = {}  # salt -> the key that opened a file with it

    def add(self, passphrase: str) -> None:
        if passphrase in self.passphrases:
            self.passphrases.remove(passphrase)
        self.passphrases.insert(0, passphrase)

    def key(self, passphrase: str, salt: bytes) -> bytes:
        found = self._derived.get((salt, passphrase))
        if found is None:
            found = self._derived[(salt, passphrase)] = derive_key(passphrase, salt)
        return found

    def clear(self) -> None:
        self.passphrases.clear()
        self._derived.clear()
        self.opened.clear()


_keyring = _Keyring()


def remember(passphrase: str) -> None:
    """Use this passphrase (first) for encrypted files opened from now on."""
    if not passphrase:
        raise ValueError("an empty passphrase")
    _keyring.add(passphrase)


def forget_all() -> None:
    """Drop every passphrase and key this process holds."""
    _keyring.clear()


def known_passphrases() -> int:
    return len(_keyring.passphrases)


def same_key(first: Path, second: Path) -> bool:
    """True when both encrypted files were opened in this process with the same key."""
    try:
        one, other = _keyring.opened.get(_salt(first)), _keyring.opened.get(_salt(second))
    except OSError:
        return False
    return one is not None and one == other


def opens_with(path: Path | str, passphrase: str) -> bool:
    """True when this passphrase opens the encrypted file (the file is only read)."""
    try:
        conn = _open_with_key(Path(path), _keyring.key(passphrase, _salt(path)), read_only=True)
    except (OSError, sqlite3.Error):
        return False
    conn.close()
    return True


# -- the SQLCipher driver --------------------------------------------------------------------


def _driver() -> ModuleType:
    import sqlcipher3.dbapi2 as driver  # loaded only when an encrypted file is met

    return driver


# The standard library's error class for each of SQLCipher's, most specific first.
_ERROR_NAMES = (
    "IntegrityError",
    "OperationalError",
    "ProgrammingError",
    "NotSupportedError",
    "DataError",
    "InternalError",
    "DatabaseError",
    "InterfaceError",
    "Error",
)


def _as_sqlite3(exc: Exception) -> sqlite3.Error:
    driver = _driver()
    for name in _ERROR_NAMES:
        if isinstance(exc, getattr(driver, name)):
            translated: sqlite3.Error = getattr(sqlite3, name)(*exc.args)
            return translated
    return sqlite3.Error(*exc.args)


def _translated(exc: Exception) -> Exception:
    """SQLCipher's error as the standard library's; any other exception as it is."""
    return _as_sqlite3(exc) if type(exc).__module__.startswith("sqlcipher3") else exc


class _Cursor:
    """Rows come straight from SQLCipher's cursor; only an error is translated."""

    def __init__(self, cursor: Any):
        self._cursor = cursor

    def __iter__(self) -> Iterator[Any]:
        return self._rows()

    def _rows(self) -> Iterator[Any]:
        try:
            yield from self._cursor
        except Exception as exc:
            raise _translated(exc) from None

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except Exception as exc:
            raise _translated(exc) from None

    def fetchall(self) -> list[Any]:
        try:
            return list(self._cursor.fetchall())
        except Exception as exc:
            raise _translated(exc) from None

    def fetchmany(self, size: int = 1) -> list[Any]:
        try:
            return list(self._cursor.fetchmany(size))
        except Exception as exc:
            raise _translated(exc) from None

    @property
    def lastrowid(self) -> int | None:
        return cast(int | None, self._cursor.lastrowid)

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def description(self) -> Any:
        return self._cursor.description

    def close(self) -> None:
        self._cursor.close()


class CipherConnection:
    """A SQLCipher connection that speaks like an sqlite3.Connection (the parts we use)."""

    def __init__(self, raw: Any, key: bytes | None, salt: bytes | None):
        self._raw = raw
        self.key = key  # None: a plain file opened through SQLCipher (conversions only)
        self.salt = salt

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> Any:
        try:
            return _Cursor(self._raw.execute(sql, parameters))
        except Exception as exc:
            raise _translated(exc) from None

    def executemany(self, sql: str, rows: Any) -> Any:
        try:
            return _Cursor(self._raw.executemany(sql, rows))
        except Exception as exc:
            raise _translated(exc) from None

    def backup(self, target: Any, **kwargs: Any) -> None:
        raw_target = target._raw if isinstance(target, CipherConnection) else target
        try:
            self._raw.backup(raw_target, **kwargs)
        except Exception as exc:
            raise _translated(exc) from None

    def set_trace_callback(self, callback: Callable[[str], object] | None) -> None:
        self._raw.set_trace_callback(callback)

    @property
    def in_transaction(self) -> bool:
        return bool(self._raw.in_transaction)

    def commit(self) -> None:
        self._call(self._raw.commit)

    def rollback(self) -> None:
        self._call(self._raw.rollback)

    def close(self) -> None:
        self._call(self._raw.close)

    @staticmethod
    def _call(method: Callable[[], object]) -> None:
        try:
            method()
        except Exception as exc:
            raise _translated(exc) from None

    def __enter__(self) -> CipherConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _raw_key(key: bytes, salt: bytes | None = None) -> str:
    # Hex digits only: nothing from the user is ever spliced into SQL.
    return f"x'{key.hex()}{salt.hex() if salt else ''}'"


def _connect_raw(target: str, *, uri: bool = False, timeout: float = 5.0) -> Any:
    driver = _driver()
    try:
        raw = driver.connect(
            target, uri=uri, isolation_level=None, check_same_thread=False, timeout=timeout
        )
        # SQLCipher logs a failed key to stderr by default; a wrong passphrase is said once,
        # in words, by the caller.
        raw.execute("PRAGMA cipher_log_level = NONE")
    except Exception as exc:
        raise _translated(exc) from None
    return raw


def _open_with_key(
    path: Path, key: bytes, *, read_only: bool = False, uri_query: str = ""
) -> CipherConnection:
    if read_only and not uri_query:
        # As for a plain journal: with no log beside it, `immutable` leaves no -wal/-shm.
        query = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
    else:
        query = uri_query
    target = f"file:{quote(str(path))}?{query}" if query else str(path)
    raw = _connect_raw(target, uri=bool(query))
    conn = CipherConnection(raw, key, _salt(path))
    try:
        conn.execute(f'PRAGMA key = "{_raw_key(key)}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        raise
    return conn


def open_encrypted(
    path: Path, *, read_only: bool = False, uri_query: str = ""
) -> sqlite3.Connection:
    """Open an encrypted file with the first known passphrase that opens it."""
    if not _keyring.passphrases:
        raise PassphraseNeeded(path, NEEDED)
    try:
        salt = _salt(path)
    except OSError as exc:
        raise JournalError(path, f"the file cannot be read ({exc.strerror})") from None
    last: sqlite3.Error | None = None
    for passphrase in list(_keyring.passphrases):
        key = _keyring.key(passphrase, salt)
        try:
            conn = _open_with_key(path, key, read_only=read_only, uri_query=uri_query)
        except sqlite3.DatabaseError as exc:
            if "not a database" not in str(exc).lower():
                raise
            last = exc
            continue
        _keyring.opened[salt] = key
        return cast(sqlite3.Connection, conn)
    assert last is not None
    raise WrongPassphrase(path, WRONG)


def open_file(path: Path, *, read_only: bool = False, uri_query: str = "") -> sqlite3.Connection:
    """The journal or backup at `path` through the right driver: sqlite3 for a plain file,
    SQLCipher with a known passphrase for an encrypted one."""
    if could_be_encrypted(path):
        return open_encrypted(path, read_only=read_only, uri_query=uri_query)
    query = uri_query or ("mode=ro" if read_only else "")
    if query:
        return sqlite3.connect(f"file:{quote(str(path))}?{query}", uri=True, isolation_level=None)
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


def connect_copy(source: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A connection to a new file that `source.backup()` can fill: encrypted with the very
    key (and salt) of `source` when it is encrypted, plain otherwise."""
    if not isinstance(source, CipherConnection):
        return sqlite3.connect(path, isolation_level=None)
    raw = _connect_raw(str(path))
    copy = CipherConnection(raw, source.key, source.salt)
    if source.key is not None:
        copy.execute(f'PRAGMA key = "{_raw_key(source.key, source.salt)}"')
    return cast(sqlite3.Connection, copy)


def is_encrypted_connection(conn: object) -> bool:
    return isinstance(conn, CipherConnection) and conn.key is not None


# -- converting ------------------------------------------------------------------------------

# Called at each step of a conversion with the step's name (crash tests stop here).
StepHook = Callable[[str], None]


def open_for_conversion(path: Path) -> CipherConnection:
    """The journal through SQLCipher whichever it is, plain or encrypted (its key known)."""
    if could_be_encrypted(path):
        return cast(CipherConnection, open_encrypted(path))
    return CipherConnection(_connect_raw(str(path)), None, None)


def export_to(
    source: CipherConnection,
    target: Path,
    passphrase: str | None,
    *,
    salt: bytes | None = None,
    settings: dict[str, str] | None = None,
) -> tuple[bytes | None, bytes | None]:
    """Write the whole of `source` into the new file `target`: encrypted with a key derived
    from `passphrase` and `salt` (a new random one unless given), or plain when `passphrase`
    is None; `settings` are stored in it on the way. Return the key and salt used (the key
    derivation is SQLCipher's own, done here once)."""
    if passphrase is None:
        key_sql, key, salt = "", None, None
    else:
        salt = salt or os.urandom(SALT_BYTES)
        key = _keyring.key(passphrase, salt)
        key_sql = _raw_key(key, salt)
    source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), key_sql))
    try:
        source.execute("BEGIN EXCLUSIVE")
        try:
            source.execute("SELECT sqlcipher_export('converted')")
            for pragma in ("user_version", "application_id"):
                value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
                source.execute(f"PRAGMA converted.{pragma} = {value}")
            for name, value_text in (settings or {}).items():
                source.execute(
                    "INSERT INTO converted.settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (name, value_text),
                )
            source.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                source.execute("ROLLBACK")
            raise
    finally:
        source.execute("DETACH DATABASE converted")
    return key, salt


def open_converted(path: Path, key: bytes | None) -> sqlite3.Connection:
    """The freshly converted file, read-only, with the key it was written with."""
    if key is None:
        return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
    return cast(sqlite3.Connection, _open_with_key(path, key, read_only=True))
