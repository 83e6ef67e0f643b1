"""SIGKILL at random moments during `python main.py import`: every time, the journal holds
all of the import or none of it, and passes SQLite's integrity check."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core_support import REPO, python_env
from tracker.journal import Journal
from tracker.storage.backup import list_backups

IMPORTED = 4000
KILLS = 24
AT_ONCE = 2


def import_command(big: Path, journal: Path) -> list[str]:
    return [sys.executable, "main.py", "import", str(big), "--journal", str(journal)]


def checkins(path: Path) -> int:
    """How many check-ins the journal holds, opened as the app opens it: a damaged log or
    journal would raise here (and a JournalWarning fails the test)."""
    with Journal.open(path) as journal:
        assert journal.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return journal.count("checkin")


@pytest.mark.slow
def test_a_killed_import_leaves_all_of_it_or_none_of_it(tmp_path: Path) -> None:
    base = tmp_path / "base.onset"
    with Journal.open(base, create=True, backups=False) as journal:
        for day in range(1, 4):
            journal.add_checkin(f"2025-12-{day:02d}T20:00", day, note="before the import")
    big = tmp_path / "big.json"
    big.write_text(
        json.dumps(
            {
                "format": "onset-journal",
                "version": 1,
                "checkins": [
                    {
                        "at": f"2026-{n // 672 % 12 + 1:02d}-{n // 24 % 28 + 1:02d}"
                        f"T{n % 24:02d}:{n // 7 % 60:02d}",
                        "anxiety": n % 11,
                        "mood": n % 7,
                        "note": f"imported note {n} " * 20,  # spills past the page cache
                    }
                    for n in range(IMPORTED)
                ],
            }
        ),
        encoding="utf-8",
    )

    # One whole run: what "all of it" looks like, and how long the import takes.
    whole = tmp_path / "whole" / "journal.onset"
    whole.parent.mkdir()
    shutil.copyfile(base, whole)
    started = time.monotonic()
    done = subprocess.run(
        import_command(big, whole), cwd=REPO, env=python_env(), capture_output=True, text=True
    )
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert checkins(whole) == 3 + IMPORTED

    chance = random.Random()
    outcomes: list[int] = []
    for batch in range(0, KILLS, AT_ONCE):  # two at a time: both cores busy, half the wait
        children = []
        started = time.monotonic()
        for attempt in range(batch, batch + AT_ONCE):
            journal = tmp_path / f"run {attempt}" / "journal.onset"
            journal.parent.mkdir()
            shutil.copyfile(base, journal)
            child = subprocess.Popen(
                import_command(big, journal),
                cwd=REPO,
                env=python_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            deadline = chance.uniform(0.2, 1.4) * duration
            children.append((deadline, journal, child))
        for deadline, _, child in sorted(children, key=lambda c: c[0]):
            try:  # waiting on the child is the delay: it is killed wherever it has got to
                child.wait(timeout=max(deadline - (time.monotonic() - started), 0))
            except subprocess.TimeoutExpired:
                child.kill()
            _, err = child.communicate()
            assert child.returncode in (0, -9), err
        for _, journal, _ in children:
            found = checkins(journal)
            assert found in (3, 3 + IMPORTED), f"{journal.parent.name} left {found} check-ins"
            assert all(b.ok for b in list_backups(journal))
            outcomes.append(found)

    assert 3 in outcomes  # at least some kills landed before the commit
