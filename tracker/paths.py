"""Where a journal lives by default: the platform's per-user data folder (no Qt needed).

On Windows that is %LOCALAPPDATA%\\Onset. Onset 0.1 used %APPDATA%\\Onset, which roams: on a
domain PC it is copied to a server at every sign-out, and a health journal has no business
there. A journal found at the old place is moved once, with its backups, by
move_from_roaming(): every file is copied, synced and compared before the journal appears
at the new place, and only then are the old copies removed. Until that has happened (the
journal was open elsewhere, a copy failed) Onset keeps using the journal where it is, so it
never starts an empty journal beside the real one.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import NamedTuple

APP_FOLDER = "Onset"
JOURNAL_NAME = "journal.onset"

# Beside a journal while some process has it open (or died with it open): not moved then.
IN_USE_SUFFIXES = (".lock", "-wal", "-shm", "-journal")
_PART = ".moving"


def _on_windows() -> bool:
    # One place to ask, so that tests can play Windows here without the rest of the process.
    return sys.platform == "win32"


def _windows_folder(variable: str, *fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home().joinpath(*fallback)) / APP_FOLDER


def data_folder() -> Path:
    if _on_windows():
        # Local, not Roaming: see the module's docstring.
        return _windows_folder("LOCALAPPDATA", "AppData", "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_FOLDER.lower()


def roaming_folder() -> Path:
    """Windows: where Onset 0.1 kept the journal (%APPDATA%\\Onset)."""
    return _windows_folder("APPDATA", "AppData", "Roaming")


def default_journal() -> Path:
    """$ONSET_JOURNAL when set, else the per-user data folder's journal.

    On Windows, a journal still at the old roaming place (not moved yet) is used there.
    """
    override = os.environ.get("ONSET_JOURNAL")
    if override:
        return Path(override).expanduser()
    journal = data_folder() / JOURNAL_NAME
    if _on_windows() and not os.path.lexists(journal):
        old = roaming_folder() / JOURNAL_NAME
        if old.is_file():
            return old
    return journal


def demo_journal() -> Path:
    """The sample-data journal: its own file, never mixed into the real one."""
    return data_folder() / "demo.onset"


class Moved(NamedTuple):
    """What move_journal_folder did: the journal and how many files came with it."""

    old: Path
    new: Path
    files: int
    left_behind: tuple[Path, ...] = ()


class MoveError(Exception):
    """The journal was not moved; it stays, complete, where it was."""


def move_from_roaming() -> Moved | None:
    """Windows, once: the default journal from %APPDATA%\\Onset to %LOCALAPPDATA%\\Onset.

    None when there is nothing to move (other systems, $ONSET_JOURNAL set, already moved).
    Raises MoveError when it could not be done this time; the journal is then used where
    it is (default_journal) and the move is tried again at the next start.
    """
    if not _on_windows() or os.environ.get("ONSET_JOURNAL"):
        return None
    return move_journal_folder(roaming_folder(), data_folder())


def move_journal_folder(old: Path, new: Path) -> Moved | None:
    """Move the journal in `old` and every file beside it (backups…) into `new`.

    Each file is copied under a temporary name, synced, compared byte for byte with the
    original and then renamed into place; the journal file goes last, so its appearance in
    `new` means everything else is already there. A file of the same name already in `new`
    is never overwritten: the old one stays where it was. The originals are removed only
    after the journal is in place.
    """
    journal = old / JOURNAL_NAME
    if not journal.is_file() or journal.is_symlink() or os.path.lexists(new / JOURNAL_NAME):
        return None
    with contextlib.suppress(OSError):
        if old.resolve() == new.resolve():
            return None
    busy = [journal.with_name(JOURNAL_NAME + s) for s in IN_USE_SUFFIXES]
    if any(os.path.lexists(p) for p in busy):
        raise MoveError(f"{journal} is open in another Onset (or was not closed); not moved yet")
    files = [p for p in _files_under(old) if p != journal and p not in busy]
    copied: list[Path] = []
    kept: list[Path] = []
    try:
        for source in files:
            target = new / source.relative_to(old)
            if os.path.lexists(target):
                if not _same_content(source, target):
                    kept.append(source)
                    continue
            else:
                _copy_checked(source, target)
            copied.append(source)
        _copy_checked(journal, new / JOURNAL_NAME)
    except OSError as exc:
        raise MoveError(f"{journal} could not be moved to {new}: {exc}") from exc
    left = list(kept)
    for source in [*copied, journal]:
        try:
            source.unlink()
        except OSError:
            left.append(source)
    for folder in sorted({p.parent for p in files}, key=lambda p: len(p.parts), reverse=True):
        if folder != old:
            with contextlib.suppress(OSError):
                folder.rmdir()
    with contextlib.suppress(OSError):
        old.rmdir()
    return Moved(old, new, len(copied) + 1, tuple(left))


def _files_under(folder: Path) -> list[Path]:
    """Regular files under `folder`, not following links, leaving out our own part files."""
    found: list[Path] = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        for name in names:
            path = here / name
            if path.is_file() and not path.is_symlink() and not name.endswith(_PART):
                found.append(path)
    return sorted(found)


def _digest(path: Path) -> str:
    import hashlib  # only when moving: it loads OpenSSL

    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _same_content(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and _digest(a) == _digest(b)
    except OSError:
        return False


def _copy_checked(source: Path, target: Path) -> None:
    """Copy, sync, compare, then rename into place; nothing is left under `target` on failure."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    part = target.with_name(target.name + _PART)
    try:
        with source.open("rb") as reading, part.open("wb") as writing:
            for block in iter(lambda: reading.read(1 << 20), b""):
                writing.write(block)
            writing.flush()
            os.fsync(writing.fileno())
        if not _same_content(source, part):
            raise OSError(f"the copy of {source.name} differs from the original")
        with contextlib.suppress(OSError):
            os.chmod(part, 0o600)
        if os.path.lexists(target):
            raise OSError(f"{target} appeared during the move")
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
