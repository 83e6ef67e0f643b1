"""A journal holding a year-9999 questionnaire and a note that is not UTF-8: the app opens,
shows every other entry, lists the damaged ones, and deletes them after a backup."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.core_support import REPO, python_env
from tests.ui.conftest import dark_palette
from tracker.journal import Journal
from tracker.storage.backup import list_backups
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.damaged import DELETE


def damaged_journal(path: Path) -> Path:
    with Journal.open(path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note="tense day")
        journal.add_checkin("2026-01-06T21:10", 4, note="a note to spoil")
        journal.add_assessment("GAD-7", "2026-01-05T09:00", [2, 1, 3, 0, 1, 2, 1])
        journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(
        "INSERT INTO assessments (instrument, at, sort_at, answers, total, fingerprint) "
        "VALUES ('GAD-7', '9999-12-31T09:00', '9999-12-31T09:00:00', '[3,3,3,3,3,3,3]', 21, 'x')"
    )
    conn.execute("UPDATE checkins SET note = CAST(x'ff41fe' AS TEXT) WHERE id = 2")
    conn.close()
    return path


def test_the_app_lists_damaged_entries_and_deletes_them_after_a_backup(
    qtbot, tmp_path: Path, shots_dir: Path, palette_restored: None
) -> None:
    path = damaged_journal(tmp_path / "journal.onset")
    journal = Journal.open(path)
    window = MainWindow(journal, owns_journal=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_view("history")
    history = window.page("history")
    assert history.model.rowCount() == 3  # everything readable is shown

    box = window.check_damaged_entries()
    assert isinstance(box, QMessageBox)
    assert box.text() == "2 entries in your journal are damaged and cannot be shown."
    listed = box.informativeText()
    assert "check-in at 2026-01-06T21:10 (checkins row 2): note holds text that is not" in listed
    assert "questionnaire at 9999-12-31T09:00 (assessments row 2)" in listed
    assert "outside 1900–2100" in listed
    for theme in ("light", "dark"):
        if theme == "dark":
            box.setPalette(dark_palette())
        box.grab().save(str(shots_dir / f"damaged-entries-{theme}.png"))

    delete = next(b for b in box.buttons() if b.text() == DELETE)
    assert delete.accessibleName() == DELETE
    delete.click()
    assert "2 damaged entries deleted" in window.statusBar().currentMessage()
    assert journal.scan_unreadable() == []
    assert journal.count("checkin") == 1 and journal.count("assessment") == 1
    assert history.model.rowCount() == 3

    # The backup made first holds the damaged rows as they were.
    (backup,) = [b for b in list_backups(path) if b.reason == "manual"]
    assert backup.counts["assessment"] == 2 and backup.counts["checkin"] == 2
    window.close()


def test_a_journal_without_damage_asks_nothing(window: MainWindow) -> None:
    assert window.check_damaged_entries() is None


def test_smoke_opens_a_damaged_journal_on_every_view(tmp_path: Path) -> None:
    path = damaged_journal(tmp_path / "journal.onset")
    for view in ("today", "history", "charts", "settings", "all"):
        command = [sys.executable, "-X", "importtime", "main.py", "--smoke", "--view", view]
        done = subprocess.run(
            [*command, "--journal", str(path)],
            cwd=REPO,
            env=python_env() | {"QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (view, done.stderr[-3000:])
        assert "Traceback" not in done.stderr
    # `--view all` built every page in turn.
    for page in ("history", "charts", "settings"):
        assert f"tracker.ui.pages.{page}\n" in done.stderr, page
