"""A checkpoint killed after writing page 1 leaves a journal file shorter than its header
says; the rest is whole in the log beside it, and the journal must open with every entry."""

from __future__ import annotations

import shutil
import sqlite3
import struct
from pathlib import Path

from tracker.journal import Journal


def test_a_journal_cut_short_by_a_killed_checkpoint_opens_from_its_log(tmp_path: Path) -> None:
    path = tmp_path / "journal.onset"
    with Journal.open(path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-01T20:00", 3, note="before")
    small = path.stat().st_size

    # New pages go to the log only, and a copy is taken while the log is still there.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN")
    for n in range(400):
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)", (f"k{n}", "long value " * 40)
        )
    conn.execute("COMMIT")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    copy = crashed / "journal.onset"
    shutil.copyfile(path, copy)
    shutil.copyfile(f"{path}-wal", f"{copy}-wal")
    conn.close()

    # What a checkpoint writes first: page 1, with the grown page count, and nothing after.
    log = Path(f"{copy}-wal").read_bytes()
    page_size = struct.unpack_from(">I", log, 8)[0]
    frames = range(32, len(log) - 24 - page_size + 1, 24 + page_size)
    first_page = [f for f in frames if struct.unpack_from(">I", log, f)[0] == 1][-1]
    data = bytearray(copy.read_bytes())
    data[:page_size] = log[first_page + 24 : first_page + 24 + page_size]
    copy.write_bytes(bytes(data))
    pages = int.from_bytes(data[28:32], "big")
    assert copy.stat().st_size == small < pages * page_size  # "cut short" by the header

    with Journal.open(copy, backups=False) as journal:
        assert journal.count("checkin") == 1
        assert journal.setting("k399") == "long value " * 40
