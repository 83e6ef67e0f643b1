"""The command line's side of encryption: where a passphrase comes from, and the
`encrypt`, `decrypt` and `change-passphrase` commands of journal-format.md.

A passphrase comes, in this order, from `--passphrase-file F` (its first line), the
`ONSET_PASSPHRASE` environment variable, or the terminal (never echoed). With no terminal
and neither of the others, the command stops with a message instead of waiting.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.paths import default_journal
from tracker.storage import crypto
from tracker.storage.errors import JournalError, JournalNotFound

if TYPE_CHECKING:
    from tracker.storage.backup import BackupInfo

COMMANDS = ("encrypt", "decrypt", "change-passphrase")


class PassphraseMissing(JournalError):
    """No passphrase was given where one is needed."""


def add_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The passphrase options, on the main parser and on each command's."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        default=default,
        metavar="F",
        help="read the journal's passphrase from the first line of F "
        "(else ONSET_PASSPHRASE, else the terminal asks)",
    )


def add_commands(
    commands: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
) -> None:
    commands.add_parser(
        "encrypt", parents=parents, help="encrypt the journal and its backups with a passphrase"
    )
    commands.add_parser("decrypt", parents=parents, help="remove the journal's encryption")
    changer = commands.add_parser(
        "change-passphrase", parents=parents, help="encrypt the journal with a new passphrase"
    )
    changer.add_argument(
        "--new-passphrase-file",
        type=Path,
        default=None,
        metavar="F",
        help="read the new passphrase from the first line of F "
        "(else ONSET_NEW_PASSPHRASE, else the terminal asks)",
    )


def add_restore_option(restorer: argparse.ArgumentParser) -> None:
    restorer.add_argument(
        "--backup-passphrase-file",
        type=Path,
        default=None,
        metavar="F",
        help="the passphrase of an encrypted backup made with another passphrase "
        "(else ONSET_BACKUP_PASSPHRASE, else the terminal asks)",
    )


def _read_first_line(path: Path, journal: Path) -> str:
    try:
        with path.expanduser().open("rb") as handle:
            first = handle.readline()
    except OSError as exc:
        raise PassphraseMissing(
            journal, f"the passphrase file {path} cannot be read ({exc.strerror or exc})"
        ) from None
    try:
        text = first.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise PassphraseMissing(journal, f"the passphrase file {path} is not UTF-8 text") from None
    if not text:
        raise PassphraseMissing(journal, f"the first line of {path} is empty: no passphrase")
    return text


def passphrase(
    journal: Path,
    file: Path | None,
    variable: str,
    prompt: str,
    *,
    confirm: bool = False,
) -> str:
    """A passphrase from the file, else the environment variable, else the terminal."""
    if file is not None:
        return _read_first_line(file, journal)
    from_environment = os.environ.get(variable)
    if from_environment:
        return from_environment
    if not sys.stdin.isatty():
        raise PassphraseMissing(
            journal,
            f"a passphrase is needed and there is no terminal to ask it on: give it with "
            f"{_option_for(variable)} F (its first line) or the {variable} environment "
            "variable; nothing was changed",
        )
    try:
        typed = getpass.getpass(prompt)
        if confirm and getpass.getpass("The same passphrase again: ") != typed:
            raise PassphraseMissing(
                journal, "the two passphrases typed were not the same; nothing was changed"
            )
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        raise PassphraseMissing(journal, "no passphrase was typed; nothing was changed") from None
    if not typed:
        raise PassphraseMissing(journal, "an empty passphrase was typed; nothing was changed")
    return typed


def _option_for(variable: str) -> str:
    return {
        "ONSET_PASSPHRASE": "--passphrase-file",
        "ONSET_NEW_PASSPHRASE": "--new-passphrase-file",
        "ONSET_BACKUP_PASSPHRASE": "--backup-passphrase-file",
    }[variable]


def unlock(args: argparse.Namespace, path: Path | None = None) -> None:
    """Before a command opens an encrypted journal: find its passphrase and keep it in
    memory for this process. A plain journal needs nothing."""
    journal = Path(path or args.journal or default_journal()).expanduser()
    if crypto.could_be_encrypted(journal):
        given = passphrase(
            journal,
            getattr(args, "passphrase_file", None),
            "ONSET_PASSPHRASE",
            f"Passphrase of {journal.name}: ",
        )
        if not crypto.opens_with(journal, given):
            raise crypto.WrongPassphrase(journal, crypto.WRONG)
        crypto.remember(given)


def unlock_backup(args: argparse.Namespace, backup: Path) -> None:
    """Before a restore: the passphrase of an encrypted backup that the journal's own
    passphrase does not open (one made before the passphrase was changed)."""
    if not crypto.could_be_encrypted(backup):
        return
    if any(crypto.opens_with(backup, p) for p in crypto._keyring.passphrases):
        return
    given = passphrase(
        backup,
        args.backup_passphrase_file,
        "ONSET_BACKUP_PASSPHRASE",
        f"Passphrase this backup was made with ({backup.name}): ",
    )
    if not crypto.opens_with(backup, given):
        raise crypto.WrongPassphrase(backup, crypto.WRONG.replace("journal", "backup"))
    crypto.remember(given)


def holding(journal: Path) -> Any:
    """The journal's single-writer lock for a conversion: a window or an import that has
    the journal open is never swapped out from under it."""
    from tracker.storage.lock import holding as hold

    return hold(journal)


def _existing(args: argparse.Namespace) -> Path:
    journal = Path(args.journal or default_journal()).expanduser()
    if not journal.exists():
        raise JournalNotFound(journal, "there is no journal file here")
    return journal


def cmd_encrypt(args: argparse.Namespace) -> int:
    from tracker.storage.connection import inspect
    from tracker.storage.encryption import encrypt, encrypt_backups

    journal = _existing(args)
    if crypto.could_be_encrypted(journal):
        unlock(args)
        inspect(journal)
        # A conversion stopped before its backups were done: finish them now.
        finished = encrypt_backups(journal)
        if not finished:
            raise JournalError(journal, "this journal is already encrypted; nothing was changed")
        print(f"the journal was already encrypted; encrypted {finished} plain backup(s) too")
        return 0
    new = passphrase(
        journal,
        args.passphrase_file,
        "ONSET_PASSPHRASE",
        "New passphrase (if it is lost, no one can recover the journal): ",
        confirm=True,
    )
    with holding(journal):
        done = encrypt(journal, new)
    print(f"encrypted {journal}")
    if done.backups_encrypted:
        print(f"encrypted {done.backups_encrypted} backup(s) with the same passphrase")
    print(f"the journal as it was is kept, encrypted, in {done.kept}")
    print("keep the passphrase safe: if it is lost, no one can recover the journal")
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from tracker.storage.encryption import decrypt

    journal = _existing(args)
    unlock(args)
    with holding(journal):
        done = decrypt(journal)
    print(f"removed the encryption of {journal}: it is a plain file again")
    print(f"the encrypted journal is kept in {done.kept} (it needs the passphrase)")
    return 0


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from tracker.storage.connection import inspect
    from tracker.storage.encryption import change_passphrase

    journal = _existing(args)
    if not crypto.could_be_encrypted(journal):
        inspect(journal)
        raise JournalError(journal, "this journal is not encrypted; use encrypt to protect it")
    unlock(args)
    inspect(journal)  # the current passphrase is checked before a new one is asked
    new = passphrase(
        journal,
        args.new_passphrase_file,
        "ONSET_NEW_PASSPHRASE",
        "New passphrase: ",
        confirm=True,
    )
    with holding(journal):
        done = change_passphrase(journal, new)
    print(f"changed the passphrase of {journal}")
    print(f"the journal as it was is kept in {done.kept}; it and older backups need the old one")
    return 0


def passphrase_history(journal: Path) -> list[tuple[datetime, str]]:
    """When the journal's passphrase was set, changed or removed (empty when unknown)."""
    from tracker.storage.connection import inspect
    from tracker.storage.encryption import passphrase_history as read_history

    try:
        inspect(journal)
        conn = crypto.open_file(journal, read_only=True)
    except (JournalError, sqlite3.Error):
        return []
    try:
        return read_history(conn)
    finally:
        conn.close()


def needs(journal: Path, info: BackupInfo, history: list[tuple[datetime, str]]) -> str:
    from tracker.storage.encryption import passphrase_needed

    return passphrase_needed(journal, info, history)
