"""Where an export may be written: never over the journal, its side files or its backups.

An export named onto the journal itself (`--out J --journal J`, a symlink to it, a path with
`..` in it) would replace the patient's whole record with a copy of part of it. Paths are
compared after resolving links, and by device and inode, so no spelling slips past.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tracker.storage.errors import JournalError

SIDE_FILES = ("-wal", "-shm", "-journal", ".lock")
STDOUT = "-"


class OutputRefused(JournalError):
    """The output path would overwrite something that must not be overwritten."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(path, f"{reason}; nothing was written")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _protected(journal: Path) -> tuple[list[Path], list[Path]]:
    """The journal's files (compared exactly) and its folders (compared as parents)."""
    real = Path(os.path.realpath(journal))
    files = [journal, real]
    for base in (journal, real):
        files += [base.with_name(base.name + side) for side in SIDE_FILES]
    folders = [journal.parent / "backups", real.parent / "backups"]
    return files, folders


def check_output(out: Path, journal: Path, *, folder: bool = False) -> Path:
    """The path to write to (a symlink's target, so the link itself stays), or OutputRefused.

    `folder` is for the CSV export, which writes several files into a folder.
    """
    out = Path(out).expanduser()
    journal = Path(journal).expanduser().absolute()
    target = Path(os.path.realpath(out))
    files, folders = _protected(journal)
    real_files = {Path(os.path.realpath(f)) for f in files}
    real_folders = {Path(os.path.realpath(f)) for f in folders}
    same = _identity(target)
    taken = same is not None and same in {_identity(f) for f in files}
    if target in real_files or taken:
        raise OutputRefused(out, "this is the journal itself or one of its files; choose another")
    if (
        target in real_folders
        or any(folder_ in target.parents for folder_ in real_folders)
        or (same is not None and same in {_identity(f) for f in folders})
    ):
        raise OutputRefused(
            out, "this is inside the journal's backups folder; choose another place"
        )
    if folder:
        if target.exists() and not target.is_dir():
            raise OutputRefused(out, "this is a file, not a folder; the CSV export needs a folder")
        return target
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputRefused(out, f"it cannot be used ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise OutputRefused(out, "this is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise OutputRefused(
            out, "this is a device or a pipe, not a file; use --out - for standard output"
        )
    return target
