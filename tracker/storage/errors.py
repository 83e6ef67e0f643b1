"""Why a journal file could not be opened or written, in words a person can act on."""

from __future__ import annotations

from pathlib import Path


class JournalError(Exception):
    """A journal file problem; the message names the file and what is wrong."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class JournalNotFound(JournalError):
    pass


class NotAJournal(JournalError):
    pass


class NewerJournal(JournalError):
    pass


class DamagedJournal(JournalError):
    pass


class JournalBusy(JournalError):
    """Another program holds the file locked."""


class JournalWriteError(JournalError):
    """A write failed (disk full, read-only); nothing was half-written."""


class BackupFailed(JournalWriteError):
    """A backup could not be made; the journal itself was not changed."""


class JournalWarning(UserWarning):
    """Something a person should know that did not stop the journal from opening
    (today's backup failed, a damaged log of recent changes was set aside)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
