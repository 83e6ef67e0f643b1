"""Encrypting a journal, removing its encryption, changing its passphrase.

Each goes through a new file: the journal is held so that no one else reads or writes it,
written whole into a new file beside it (SQLCipher's `sqlcipher_export`), checked, synced
to disk, and only then renamed over the journal. A kill at any moment leaves either the
journal as it was or the converted one, whole; a temporary file left by a kill is removed
by the next conversion. The journal as it was is kept in backups/ (encrypted: after
`encrypt` the copy is encrypted too, since a plain copy would undo the point of it).

The journal records when its passphrase was set, changed or removed (only the times), so
that the backups list can say which passphrase an older backup needs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tracker.storage import backup, crypto
from tracker.storage.connection import FILE_MODE, describe_error, inspect
from tracker.storage.errors import (
    DamagedJournal,
    JournalBusy,
    JournalError,
    JournalNotFound,
    JournalWriteError,
)
from tracker.storage.repository import TABLES

HISTORY = "passphrase_changes"
SET, CHANGED, REMOVED = "set", "changed", "removed"
_IN_USE = "the journal is open in Onset or another program; close it, then try again"

# Called with the name of each step as it is reached (the crash tests use it).
Step = Callable[[str], None]


@dataclass(frozen=True)
class Converted:
    kept: Path  # the journal as it was, in backups/
    backups_encrypted: int = 0  # plain backups encrypted along with the journal


def encrypt(
    path: Path | str, passphrase: str, *, now: datetime | None = None, step: Step | None = None
) -> Converted:
    """Encrypt a plain journal with `passphrase`, and its plain backups with it."""
    if not passphrase:
        raise ValueError("an empty passphrase")
    journal = _existing(path)
    if crypto.could_be_encrypted(journal):
        inspect(journal)  # a wrong passphrase is said as such
        raise JournalError(journal, "this journal is already encrypted; nothing was changed")
    kept = _convert(journal, passphrase, SET, now, step)
    crypto.remember(passphrase)
    return Converted(kept, encrypt_backups(journal))


def decrypt(
    path: Path | str, *, now: datetime | None = None, step: Step | None = None
) -> Converted:
    """Remove the encryption (its passphrase must be known to crypto)."""
    journal = _existing(path)
    if not crypto.could_be_encrypted(journal):
        inspect(journal)
        raise JournalError(journal, "this journal is not encrypted; nothing was changed")
    return Converted(_convert(journal, None, REMOVED, now, step))


def change_passphrase(
    path: Path | str, new: str, *, now: datetime | None = None, step: Step | None = None
) -> Converted:
    """Encrypt the journal with a new passphrase (the current one must be known to crypto).
    Backups made before keep the passphrase they were made with."""
    if not new:
        raise ValueError("an empty passphrase")
    journal = _existing(path)
    if not crypto.could_be_encrypted(journal):
        inspect(journal)
        raise JournalError(journal, "this journal is not encrypted; use encrypt to protect it")
    kept = _convert(journal, new, CHANGED, now, step)
    crypto.remember(new)
    return Converted(kept)


def _existing(path: Path | str) -> Path:
    journal = Path(path).expanduser().absolute()
    if not journal.exists():
        raise JournalNotFound(journal, "there is no journal file here")
    if journal.is_symlink():
        # Renaming the new file over a link would replace the link and leave the file it
        # points to as it was: plain, after an encrypt.
        raise JournalError(
            journal,
            f"this is a link to {journal.resolve()}; give that path instead. Nothing was changed",
        )
    return journal


def _convert(
    journal: Path, passphrase: str | None, change: str, now: datetime | None, step: Step | None
) -> Path:
    inspect(journal)
    made_at = (now or datetime.now()).replace(microsecond=0)
    reached = step or (lambda _name: None)
    folder = journal.parent
    temporary = folder / f".{journal.name}.{os.getpid()}.converting"
    kept: Path | None = None
    source: crypto.CipherConnection | None = None
    try:
        source = crypto.open_for_conversion(journal)
        _hold(source, journal)
        _clear_stale(journal)
        reached("held")
        history = [*_history(source), {"at": made_at.isoformat(), "change": change}]
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        key, _ = crypto.export_to(
            source, temporary, passphrase, settings={HISTORY: json.dumps(history)}
        )
        version = source.execute("PRAGMA data_version").fetchone()[0]
        reached("exported")
        _sync_file(temporary)
        _verify(temporary, key, _counts(source), journal)
        reached("checked")
        kept = _keep(journal, temporary, change, made_at)
        reached("kept")
        source.execute("BEGIN EXCLUSIVE")
        if source.execute("PRAGMA data_version").fetchone()[0] != version:
            raise JournalBusy(journal, _IN_USE)
        if os.name == "nt":  # Windows cannot replace a file that is still open
            source.close()
            source = None
        os.replace(temporary, journal)
        backup._sync_folder(folder)
        reached("replaced")
    except OSError as exc:
        raise JournalWriteError(
            journal, f"the journal could not be converted ({backup._why(exc)}); it was not changed"
        ) from None
    except sqlite3.Error as exc:
        raise describe_error(journal, exc) from None
    finally:
        if source is not None:
            with contextlib.suppress(sqlite3.Error):
                source.close()
        backup._remove(temporary, Path(f"{temporary}-journal"))
    return kept


def _hold(source: crypto.CipherConnection, journal: Path) -> None:
    """Fold the log into the file and refuse when anyone else has the journal open."""
    try:
        source.execute("PRAGMA busy_timeout = 0")
        mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
            raise
        mode = "busy"
    if str(mode).lower() != "delete":
        raise JournalBusy(journal, _IN_USE)


def _clear_stale(journal: Path) -> None:
    """Temporary files of a conversion that was killed (the journal is held: none is live)."""
    prefix = f".{journal.name}."
    with contextlib.suppress(OSError), os.scandir(journal.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and ".converting" in entry.name:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _history(conn: crypto.CipherConnection) -> list[dict[str, str]]:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (HISTORY,)).fetchone()
    try:
        found = json.loads(row[0]) if row else []
    except ValueError:
        return []
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _counts(conn: crypto.CipherConnection | sqlite3.Connection) -> dict[str, int]:
    return {
        kind: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for kind, table in TABLES.items()
    }


def _verify(path: Path, key: bytes | None, expected: dict[str, int], journal: Path) -> None:
    conn = crypto.open_converted(path, key)
    try:
        healthy = conn.execute("PRAGMA integrity_check(1)").fetchone()[0] == "ok"
        same = healthy and _counts(conn) == expected
    finally:
        conn.close()
    if not same:
        raise DamagedJournal(journal, "the converted copy did not check out; nothing was changed")


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep(journal: Path, converted: Path, change: str, made_at: datetime) -> Path:
    """Keep the journal as it was in backups/: the old file itself (a hard link, which the
    rename then leaves as the only name of the old file, or a copy), or for `encrypt` a
    copy of the encrypted file, so that no plain copy is left behind."""
    folder = backup._ready_folder(journal)
    target = backup._unused(folder, journal, made_at, backup.BEFORE_PASSPHRASE)
    if change == SET:
        backup._copy_file(converted, target)  # never a link: the journal would share it
        _sync_file(target)
    else:
        try:
            os.link(journal, target)
        except OSError:
            backup._copy_file(journal, target)
            _sync_file(target)
    backup._sync_folder(folder)
    return target


# -- backups ---------------------------------------------------------------------------------


def encrypt_backups(journal_path: Path | str) -> int:
    """Encrypt the plain backups of an encrypted journal with the journal's passphrase (the
    first known to crypto that opens it); return how many were encrypted."""
    journal = _existing(journal_path)
    conn = crypto.open_encrypted(journal, read_only=True)
    try:
        salt = getattr(conn, "salt", None)
    finally:
        conn.close()
    passphrase = next(
        (p for p in crypto._keyring.passphrases if crypto.opens_with(journal, p)), None
    )
    if passphrase is None:
        return 0
    done = 0
    for info in backup.list_backups(journal):
        if info.encrypted or not info.ok:
            continue
        _encrypt_copy(info.path, passphrase, salt)
        done += 1
    return done


def _encrypt_copy(path: Path, passphrase: str, salt: bytes | None) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        source = crypto.CipherConnection(crypto._connect_raw(str(path)), None, None)
        try:
            expected = _counts(source)
            key, _ = crypto.export_to(source, temporary, passphrase, salt=salt)
        finally:
            source.close()
        _sync_file(temporary)
        _verify(temporary, key, expected, path)
        os.replace(temporary, path)
        backup._sync_folder(path.parent)
    finally:
        backup._remove(temporary)


def passphrase_history(conn: sqlite3.Connection) -> list[tuple[datetime, str]]:
    """When the journal's passphrase was set, changed or removed, oldest first."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (HISTORY,)).fetchone()
        found = json.loads(row[0]) if row else []
    except (sqlite3.Error, ValueError):
        return []
    events = []
    for event in found if isinstance(found, list) else []:
        with contextlib.suppress(TypeError, ValueError, KeyError):
            events.append((datetime.fromisoformat(event["at"]), str(event["change"])))
    return sorted(events)


def passphrase_needed(
    journal: Path, info: backup.BackupInfo, history: list[tuple[datetime, str]]
) -> str:
    """Which passphrase a backup needs, in words (after list_backups has opened it)."""
    if not info.encrypted:
        return "not encrypted"
    if crypto.same_key(journal, info.path):
        return "encrypted with the current passphrase"
    later = [(at, change) for at, change in history if at >= info.made_at]
    if later:
        at, change = later[0]
        what = "removed" if change == REMOVED else "changed"
        return (
            f"encrypted with the passphrase in use before it was {what} on "
            f"{at:%Y-%m-%d %H:%M}: restoring it needs that passphrase"
        )
    return "encrypted with another passphrase: restoring it needs the one it was made with"
