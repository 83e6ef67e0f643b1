"""A checkpoint killed midway: the journal file's header already counts pages that are
still only in the -wal file. SQLite recovers that state by replaying the log, so Onset must
open it as a healthy journal, never call it damaged."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tracker.journal import Journal
from tracker.storage.connection import inspect

ROWS = 400


def _killed_checkpoint(tmp_path: Path) -> Path:
    """The files a checkpoint killed after writing page 1 leaves behind.

    A checkpoint copies pages from the log into the file in page order, so page 1 (whose
    header holds the page count) is written first and the file grows only as the later
    pages follow. The log is reset only when all of them are written.
    """
    live = tmp_path / "live" / "journal.onset"
    live.parent.mkdir()
    with Journal.open(live, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-01T08:00", 1)
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("BEGIN")
    for n in range(ROWS):
        writer.execute(
            "INSERT INTO checkins (at, sort_at, anxiety, note, fingerprint) VALUES (?, ?, ?, ?, ?)",
            (
                f"2026-02-01T08:{n % 60:02d}",
                f"2026-02-01T08:{n % 60:02d}:00",
                n % 11,
                "a long note " * 40,
                f"fp{n}",
            ),
        )
    writer.execute("COMMIT")
    killed = tmp_path / "killed" / "journal.onset"
    killed.parent.mkdir()
    shutil.copyfile(live, killed)  # the file as it was before the checkpoint
    shutil.copyfile(f"{live}-wal", f"{killed}-wal")  # the log, not yet reset
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.close()
    page_size = 4096
    first_page = live.read_bytes()[:page_size]
    assert killed.stat().st_size < live.stat().st_size  # the pages still to be copied
    with killed.open("r+b") as handle:
        handle.write(first_page)  # the header now counts pages the file does not have yet
    return killed


def test_a_journal_left_by_a_killed_checkpoint_opens_with_every_entry(tmp_path: Path) -> None:
    killed = _killed_checkpoint(tmp_path)
    header_pages = int.from_bytes(killed.read_bytes()[28:32], "big")
    assert killed.stat().st_size < header_pages * 4096  # what the size check used to refuse
    assert inspect(killed) >= 1
    with Journal.open(killed, backups=False) as journal:
        assert journal.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert journal.count("checkin") == 1 + ROWS


def test_a_journal_cut_short_without_a_log_is_still_called_damaged(tmp_path: Path) -> None:
    import pytest

    from tracker.storage.errors import DamagedJournal

    killed = _killed_checkpoint(tmp_path)
    Path(f"{killed}-wal").unlink()
    with pytest.raises(DamagedJournal, match="cut short"):
        inspect(killed)
