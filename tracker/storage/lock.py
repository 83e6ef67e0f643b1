"""One writer per journal: a lock file beside it (`journal.onset.lock`).

The app holds it while a window has the journal open; `import` and `restore` hold it while
they write. The lock is the operating system's lock on the open file, so it goes away with
the process that held it, however that process ended: a crash leaves at most an unlocked
file, which the next holder takes over. The file also says which process holds it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tracker.storage.errors import JournalBusy, JournalWriteError

WAIT_MS = 200
_POLL_S = 0.02
IN_USE = "the journal is open in Onset or in use by another program; close it there, then try again"


def lock_path(journal: Path | str) -> Path:
    """Beside the real file, so a journal opened through a symlink has the same lock."""
    journal = Path(os.path.realpath(Path(journal).expanduser()))
    return journal.with_name(journal.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # lock the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class JournalLock:
    """The journal's single-writer lock; `acquire` raises JournalBusy when it is held."""

    def __init__(self, journal: Path | str):
        self.journal = Path(journal)
        self.path = lock_path(self.journal)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait_ms: int = WAIT_MS) -> JournalLock:
        deadline = time.monotonic() + wait_ms / 1000
        while True:
            if self._try_once():
                return self
            if time.monotonic() >= deadline:
                raise JournalBusy(self.journal, IN_USE)
            time.sleep(_POLL_S)

    def _try_once(self) -> bool:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise JournalWriteError(
                self.journal,
                f"its lock file ({self.path.name}) cannot be written beside it "
                f"({exc.strerror}); the folder may be read-only",
            ) from None
        try:
            if not _try_lock(fd):
                os.close(fd)
                return False
            # The holder before may have removed the file between our open and our lock:
            # then this lock is on a file nobody else will look at. Start again.
            if os.fstat(fd).st_ino != os.stat(self.path).st_ino:
                os.close(fd)
                return False
        except FileNotFoundError:
            os.close(fd)
            return False
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # removed while still locked, so no one takes it midway
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None

    def __enter__(self) -> JournalLock:
        return self if self.held else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextlib.contextmanager
def holding(journal: Path | str, wait_ms: int = WAIT_MS) -> Iterator[JournalLock]:
    """Hold the journal's lock for a write from the command line."""
    lock = JournalLock(journal).acquire(wait_ms)
    try:
        yield lock
    finally:
        lock.release()
