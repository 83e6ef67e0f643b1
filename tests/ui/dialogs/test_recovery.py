"""A journal that cannot be opened: the recovery dialog names the file and what is wrong,
never writes to it, and restores the newest good backup (keeping the damaged file), opens
another journal, or quits. At start-up and from File → Open journal…"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from tests.storage.test_damaged import header_set, index_key_changed, page_of, truncated
from tests.ui.conftest import dark_palette
from tracker.journal import Journal
from tracker.storage.backup import MANUAL, backup_folder, make_backup
from tracker.storage.errors import JournalError
from tracker.storage.migrations import SCHEMA_VERSION
from tracker.ui.app.launch import Launcher, OpenFailure, lock_path, parse_args, start
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs import recovery
from tracker.ui.dialogs.recovery import RecoveryDialog

CHECKINS = 60


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with a manual backup of 60 check-ins and a session, then one more entry."""
    path = tmp_path_factory.mktemp("good") / "journal.onset"
    with Journal.open(path, create=True, backups=False) as journal:
        for n in range(CHECKINS):
            journal.add_checkin(
                f"2026-01-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}", n % 11, note=f"note {n}"
            )
        journal.add_session("2026-01-02T10:00", "iv", dose_mg=35.0)
    make_backup(path, MANUAL)
    with Journal.open(path, backups=False) as journal:
        journal.add_checkin("2026-02-01T08:00", 1, note="after the backup")
    return path


Damage = Callable[[bytes, Path], bytes]
NEWER = header_set(60, (SCHEMA_VERSION + 1).to_bytes(4, "big"))
# name: (damage, the dialog's heading, words of the reason, a restore is offered)
KINDS: dict[str, tuple[Damage, str, str, bool]] = {
    "truncated": (truncated(lambda n: n - 4096), "damaged", "cut short", True),
    "bad header": (header_set(16, b"\x03\x00"), "damaged", "header is not valid", True),
    "integrity check fails": (
        page_of("checkins_by_fingerprint", index_key_changed),
        "damaged",
        "integrity check fails",
        True,
    ),
    "not a journal": (lambda _d, _p: b"shopping list\n" * 400, "not an Onset journal", "", True),
    "newer version": (NEWER, "newer version", "Update Onset", True),
}


def damaged_copy(good: Path, folder: Path, damage: Damage | None) -> Path:
    path = folder / "journal.onset"
    shutil.copytree(backup_folder(good), backup_folder(path))
    if damage is None:  # a folder where the journal file should be
        path.mkdir()
        (path / "inside.txt").write_text("keep me", encoding="utf-8")
    else:
        path.write_bytes(damage(good.read_bytes(), good))
    return path


def refusal(path: Path) -> JournalError:
    with pytest.raises(JournalError) as caught:
        Journal.open(path)
    return caught.value


def visible(widget: QWidget) -> bool:
    return widget.isVisibleTo(widget.window())


def keep(qtbot, dialog: RecoveryDialog) -> RecoveryDialog:  # type: ignore[no-untyped-def]
    """Register a dialog with qtbot, kept alive after it closes so the test can look at it."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_damage_is_named_and_the_file_is_left_alone(
    qtbot, good: Path, tmp_path: Path, kind: str
) -> None:
    damage, heading, words, restorable = KINDS[kind]
    path = damaged_copy(good, tmp_path, damage)
    before = path.read_bytes()
    dialog = RecoveryDialog(refusal(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert heading in dialog.heading.text()
    assert dialog.path_label.text() == str(path)
    assert words in dialog.reason.text()
    assert "has not changed this file" in dialog.untouched.text()
    assert visible(dialog.restore_button) is restorable
    assert "The newest good backup is from" in dialog.backup_text.text() or kind == "newer version"
    assert "60 check-ins and 1 treatment session" in dialog.backup_text.text()
    assert visible(dialog.open_button) and dialog.close_button.text() == "Quit Onset"
    assert path.read_bytes() == before and not lock_path(path).exists()
    if kind == "newer version":
        assert "Updating Onset opens this journal" in dialog.backup_text.text()
        assert dialog.close_button.isDefault(), "restoring an older copy is not the default"
    else:
        assert dialog.restore_button.isDefault()


def test_a_folder_where_the_journal_should_be_is_named_and_never_replaced(
    qtbot, good: Path, tmp_path: Path
) -> None:
    path = damaged_copy(good, tmp_path, None)
    dialog = RecoveryDialog(refusal(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.heading.text() == "There is a folder in the journal file's place."
    assert "Move or rename the folder" in dialog.untouched.text()
    assert not visible(dialog.restore_button) and visible(dialog.retry_button)
    assert [p.name for p in path.iterdir()] == ["inside.txt"]


def test_no_good_backup_is_said_plainly(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "journal.onset"
    path.write_bytes(b"SQLite format 3\x00" + bytes(50))
    dialog = RecoveryDialog(refusal(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.backup_text.text() == "There is no good backup of this journal to restore."
    assert not visible(dialog.restore_button) and visible(dialog.open_button)


def test_at_start_up_the_newest_good_backup_is_restored_and_the_journal_opens(
    qtbot, good: Path, tmp_path: Path
) -> None:
    path = damaged_copy(good, tmp_path, truncated(lambda n: n - 4096))
    damaged = path.read_bytes()
    launcher = Launcher()
    dialog = start(parse_args(["--journal", str(path), "--view", "history"]), launcher)
    assert isinstance(dialog, RecoveryDialog) and dialog.isVisible()
    keep(qtbot, dialog)
    assert launcher.windows == {} and not launcher.opened_any

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    window = launcher.windows[path]
    qtbot.addWidget(window)
    assert window.isVisible() and window.current_view() == "history"
    assert window.journal.count("checkin") == CHECKINS and window.journal.count("session") == 1
    assert dialog.pages.currentIndex() == 1
    backup, kept = dialog.restored or (None, None)
    assert backup is not None and kept is not None
    assert kept.read_bytes() == damaged, "the damaged file is kept, byte for byte"
    words = dialog.done_text.text()
    assert "60 check-ins and 1 treatment session" in words and "(made by hand)" in words
    assert str(kept) in words and "kept as a copy" in words
    assert "Restored the backup from" in window.statusBar().currentMessage()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    window.close()


def test_at_start_up_another_journal_can_be_opened_or_onset_quit(
    qtbot, good: Path, tmp_path: Path, monkeypatch
) -> None:
    path = damaged_copy(good, tmp_path, header_set(16, b"\x03\x00"))
    also_bad = tmp_path / "other" / "notes.onset"
    also_bad.parent.mkdir()
    also_bad.write_text("not a journal", encoding="utf-8")
    fine = tmp_path / "fine.onset"
    Journal.open(fine, create=True, backups=False).close()
    answers = [also_bad, fine]
    monkeypatch.setattr(recovery, "ask_for_journal", lambda *_args: answers.pop(0))

    launcher = Launcher()
    dialog = start(parse_args(["--journal", str(path)]), launcher)
    assert isinstance(dialog, RecoveryDialog)
    keep(qtbot, dialog)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.path_label.text() == str(also_bad), "the new problem"
    assert "not an Onset journal" in dialog.reason.text()
    assert dialog.backup_text.text() == "There is no good backup of this journal to restore."
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    window = launcher.windows[fine]
    qtbot.addWidget(window)
    assert not dialog.isVisible() and window.isVisible()
    window.close()

    again = start(parse_args(["--journal", str(path)]), Launcher())
    assert isinstance(again, RecoveryDialog)
    keep(qtbot, again)
    qtbot.mouseClick(again.close_button, Qt.MouseButton.LeftButton)
    assert not again.isVisible()
    assert path.read_bytes() == header_set(16, b"\x03\x00")(good.read_bytes(), good)


def test_file_open_inside_the_app_offers_the_same_recovery(
    qtbot, good: Path, tmp_path: Path, monkeypatch, shots_dir: Path, qapp, palette_restored
) -> None:
    launcher = Launcher()
    first = launcher.open_journal(tmp_path / "mine.onset")
    assert isinstance(first, MainWindow)
    qtbot.addWidget(first)
    folder = tmp_path / "copy"
    folder.mkdir()
    path = damaged_copy(good, folder, page_of("checkins_by_fingerprint", index_key_changed))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))
    first.actions_by_name["open"].trigger()
    [dialog] = [keep(qtbot, d) for d in first.findChildren(RecoveryDialog) if d.isVisible()]
    assert dialog.close_button.text() == "Cancel" and dialog.isModal()
    assert "integrity check fails" in dialog.reason.text()
    for theme in ("light", "dark"):
        if theme == "dark":
            qapp.setPalette(dark_palette())
        QApplication.processEvents()
        assert dialog.grab().save(str(shots_dir / f"recovery-dialog-{theme}.png"))

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    restored = launcher.windows[path]
    qtbot.addWidget(restored)
    assert restored.journal.count("checkin") == CHECKINS
    assert dialog.restored is not None
    assert dialog.grab().save(str(shots_dir / "recovery-restored-dark.png"))
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert first.isVisible() and first.journal.path == tmp_path / "mine.onset"
    restored.close()
    first.close()


def test_a_restore_that_fails_says_why_and_keeps_the_dialog(
    qtbot, good: Path, tmp_path: Path, monkeypatch
) -> None:
    from tracker.storage import backup
    from tracker.storage.errors import JournalWriteError

    path = damaged_copy(good, tmp_path, truncated(lambda n: n - 4096))
    before = path.read_bytes()

    def refuse(journal: Path, _backup: Path) -> Path:
        raise JournalWriteError(journal, "the backup could not be put in place (disk full)")

    monkeypatch.setattr(backup, "restore_backup", refuse)
    launcher = Launcher()
    failure = launcher.open_journal(path)
    assert isinstance(failure, OpenFailure) and failure.error is not None
    dialog = keep(qtbot, launcher.recover(failure))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.pages.currentIndex() == 0
    assert "The backup was not restored." in dialog.problem.text()
    assert "disk full" in dialog.problem.text()
    assert launcher.windows == {} and path.read_bytes() == before
    assert not lock_path(path).exists()


def test_once_the_folder_is_moved_away_try_again_opens_the_journal(
    qtbot, good: Path, tmp_path: Path
) -> None:
    path = damaged_copy(good, tmp_path, None)
    launcher = Launcher()
    dialog = start(parse_args(["--journal", str(path)]), launcher)
    assert isinstance(dialog, RecoveryDialog)
    keep(qtbot, dialog)
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "folder" in dialog.heading.text(), "still in the way"
    path.rename(tmp_path / "moved away")
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    window = launcher.windows[path]
    qtbot.addWidget(window)
    assert not dialog.isVisible() and window.journal.is_empty()
    assert (tmp_path / "moved away" / "inside.txt").read_text(encoding="utf-8") == "keep me"
    window.close()
