"""Settings → Backups: the list (date, kind, entry counts, OK or the problem), Back up now,
and a restore that backs the journal up first, reopens it and says what happened, so the
restore can itself be undone the same way."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import dark_palette
from tracker.journal import Journal
from tracker.storage import backup
from tracker.storage.backup import BEFORE_RESTORE, MANUAL, backup_folder, make_backup
from tracker.storage.errors import BackupFailed
from tracker.ui.app.launch import Launcher
from tracker.ui.app.main_window import MainWindow
from tracker.ui.pages.backups import COLUMNS, BackupsPanel
from tracker.ui.pages.settings import SettingsView


def fill(path: Path, count: int, start: int = 0) -> None:
    with Journal.open(path, create=True, backups=False) as journal:
        for n in range(start, start + count):
            journal.add_checkin(f"2026-01-{n % 28 + 1:02d}T{n % 24:02d}:00", n % 11)


@pytest.fixture
def journal_with_backups(journal_path: Path) -> Path:
    """Ten check-ins backed up by hand last week, a broken copy, then five more check-ins."""
    fill(journal_path, 10)
    with Journal.open(journal_path, backups=False) as journal:
        journal.add_session("2026-01-02T10:00", "iv", dose_mg=35.0)
    make_backup(journal_path, MANUAL, now=datetime(2026, 1, 20, 9, 30))
    broken = backup_folder(journal_path) / "journal-2026-01-21-093000-daily.onset"
    broken.write_bytes(b"SQLite format 3\x00" + bytes(40))
    fill(journal_path, 5, start=10)
    return journal_path


def settings_of(qtbot, window: MainWindow) -> SettingsView:  # type: ignore[no-untyped-def]
    window.show_view("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsView)
    qtbot.waitUntil(lambda: page.backups.backups != [])
    return page


def row_texts(panel: BackupsPanel, row: int) -> list[str]:
    texts = []
    for column in range(len(COLUMNS)):
        item = panel.table.item(row, column)
        texts.append(item.text() if item is not None else "")
    return texts


def open_window(qtbot, launcher: Launcher, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = launcher.open_journal(path)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    return window


def test_the_list_says_when_why_what_and_whether_each_copy_is_good(
    qtbot, journal_with_backups: Path, shots_dir: Path, qapp, palette_restored
) -> None:
    launcher = Launcher()
    window = open_window(qtbot, launcher, journal_with_backups)
    panel = settings_of(qtbot, window).backups
    assert [b.reason for b in panel.backups] == ["daily", "daily", "manual"], "newest first"
    today = row_texts(panel, 0)  # the first open today made a daily copy
    assert today[1:] == ["daily", "15", "0", "1", "0", "OK"]
    assert row_texts(panel, 1)[:3] == [
        "Wed 21 Jan 2026, 09:30",
        "daily",
        "Cannot be restored: the journal file is damaged: it is cut short",
    ]
    assert row_texts(panel, 2) == [
        "Tue 20 Jan 2026, 09:30",
        "made by hand",
        "10",
        "0",
        "1",
        "0",
        "OK",
    ]
    panel.table.selectRow(1)
    assert not panel.restore_button.isEnabled(), "a damaged copy cannot be restored"
    panel.table.selectRow(2)
    assert panel.restore_button.isEnabled()
    for theme in ("light", "dark"):
        if theme == "dark":
            qapp.setPalette(dark_palette())
        QApplication.processEvents()
        assert window.grab().save(str(shots_dir / f"settings-backups-{theme}.png"))
    window.close()


def test_back_up_now_adds_a_copy_made_by_hand_or_says_why_not(
    qtbot, journal_with_backups: Path, monkeypatch
) -> None:
    window = open_window(qtbot, Launcher(), journal_with_backups)
    panel = settings_of(qtbot, window).backups
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    chosen = panel.selected()
    assert chosen is not None and chosen.reason == MANUAL and chosen.total == 16
    assert len(panel.backups) == 4
    assert panel.message.text().startswith(f"Backed up now, as {chosen.path.name}")

    def refuse(*_args: object, **_kwargs: object) -> Path:
        raise BackupFailed(backup_folder(journal_with_backups), "the disk is full")

    monkeypatch.setattr("tracker.ui.pages.backups.make_backup", refuse)
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == (
        "No backup was made: the disk is full. Your journal was not changed."
    )
    assert panel.message.property("error") is True and len(panel.backups) == 4
    window.close()


def confirm_restore(qtbot, panel: BackupsPanel, row: int) -> QMessageBox:  # type: ignore[no-untyped-def]
    panel.table.selectRow(row)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    assert box is not None and box.isVisible()
    return box


def test_a_restore_backs_up_first_reopens_the_journal_and_can_itself_be_undone(
    qtbot, journal_with_backups: Path, shots_dir: Path
) -> None:
    launcher = Launcher()
    window = open_window(qtbot, launcher, journal_with_backups)
    panel = settings_of(qtbot, window).backups

    box = confirm_restore(qtbot, panel, 2)
    assert box.text() == "Restore the backup from Tue 20 Jan 2026, 09:30 (made by hand)?"
    words = box.informativeText()
    assert "10 check-ins and 1 treatment session" in words
    assert "backed up first" in words and "can itself be undone" in words
    assert box.defaultButton().text() == "Cancel", "the safe choice is the default"
    assert box.grab().save(str(shots_dir / "settings-backups-confirm-light.png"))
    [restore] = [b for b in box.buttons() if b.text() == "Back up and restore"]
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)

    assert not window.isVisible(), "the window on the old journal is gone"
    reopened = launcher.windows[journal_with_backups.absolute()]
    qtbot.addWidget(reopened)
    assert reopened is not window and reopened.current_view() == "settings"
    assert reopened.journal.count("checkin") == 10 and reopened.journal.count("session") == 1
    [told] = [b for b in reopened.findChildren(QMessageBox) if b.isVisible()]
    assert told.text() == "Restored the backup from Tue 20 Jan 2026, 09:30 (made by hand)."
    assert "made before a restore" in told.informativeText()
    assert told.grab().save(str(shots_dir / "settings-backups-restored-light.png"))
    told.close()
    new_panel = settings_of(qtbot, reopened).backups
    assert "Restored the backup from" in new_panel.message.text()
    assert not reopened.undo_stack.canUndo(), "no undo step refers to the old journal"
    QApplication.processEvents()
    assert reopened.size() == window.size(), "the new window takes the old one's place"
    assert reopened.grab().save(str(shots_dir / "settings-backups-after-restore-light.png"))

    # Undo the restore: the copy made just before it holds all fifteen check-ins.
    [before_row] = [i for i, b in enumerate(new_panel.backups) if b.reason == BEFORE_RESTORE]
    assert new_panel.backups[before_row].counts["checkin"] == 15
    box = confirm_restore(qtbot, new_panel, before_row)
    [restore] = [b for b in box.buttons() if b.text() == "Back up and restore"]
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    again = launcher.windows[journal_with_backups.absolute()]
    qtbot.addWidget(again)
    assert again.journal.count("checkin") == 15
    again.close()


def test_a_restore_that_is_refused_reopens_the_journal_unchanged_and_says_why(
    qtbot, journal_with_backups: Path, monkeypatch
) -> None:
    from tracker.storage.errors import JournalBusy

    def busy(journal: Path, _backup: Path) -> Path:
        raise JournalBusy(journal, backup._IN_USE)

    launcher = Launcher()
    window = open_window(qtbot, launcher, journal_with_backups)
    panel = settings_of(qtbot, window).backups
    monkeypatch.setattr(backup, "restore_backup", busy)
    box = confirm_restore(qtbot, panel, 2)
    [restore] = [b for b in box.buttons() if b.text() == "Back up and restore"]
    qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
    reopened = launcher.windows[journal_with_backups.absolute()]
    qtbot.addWidget(reopened)
    assert reopened.journal.count("checkin") == 15
    [told] = [b for b in reopened.findChildren(QMessageBox) if b.isVisible()]
    assert told.text() == "The backup was not restored."
    assert "still open in Onset or another program" in told.informativeText()
    told.close()
    reopened.close()


def test_the_demo_journal_has_no_backups(qtbot) -> None:
    from tracker.paths import demo_journal

    window = Launcher().open_journal(demo_journal(), demo=True)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.show_view("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsView)
    assert not page.backups.back_up_button.isEnabled()
    assert not page.backups.restore_button.isEnabled()
    assert not backup_folder(window.journal.path).exists(), "sample data is not backed up"
    window.close()
