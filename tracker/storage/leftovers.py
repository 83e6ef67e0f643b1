"""Temporary files a killed process left behind: hidden copies of health data.

Every temporary file Onset writes carries the id of the process writing it
(`.journal.onset.4242.creating`, `.journal.onset.4242.restoring`, `.out.json.4242.x1y2.part`).
One whose process is gone can never be finished; it is removed at the next open (or the
next export to the same place). A file of a process still running is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

# Where the process id is not a safe test (Windows reuses and cannot probe them), a
# leftover is removed once it is this old.
_OLD_S = 24 * 3600
_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _gone(pid: int, path: Path) -> bool:
    if os.name == "nt":  # os.kill would end the process there
        try:
            return time.time() - path.stat().st_mtime > _OLD_S
        except OSError:
            return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: alive
        return False
    return False


def _pattern(name: str | None, kinds: str) -> re.Pattern[str]:
    suffixes = "|".join(re.escape(s) for s in _SUFFIXES if s)
    named = ".+?" if name is None else re.escape(name)
    return re.compile(rf"\.{named}\.(\d+)\.(?:[^/]*\.)?(?:{kinds})(?:{suffixes})?")


def clear(folder: Path, name: str | None, kinds: tuple[str, ...]) -> list[Path]:
    """Remove `.{name}.{pid}…{kind}` files in `folder` whose process is gone (any name
    when `name` is None)."""
    pattern = _pattern(name, "|".join(re.escape(k) for k in kinds))
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for entry in names:
        match = pattern.fullmatch(entry)
        if match is None:
            continue
        path = folder / entry
        if _gone(int(match[1]), path):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def clear_beside_journal(journal: Path) -> list[Path]:
    """A killed creation, restore or export beside the journal."""
    return clear(journal.parent, journal.name, ("creating", "restoring", "part"))
