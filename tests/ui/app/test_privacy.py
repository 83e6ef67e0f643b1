"""Settings → Privacy, the passphrase at opening, and the lock, driven through the widgets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.ui.conftest import dark_palette
from tracker.journal import Journal
from tracker.storage import crypto
from tracker.storage.encryption import encrypt
from tracker.ui.app.launch import Launcher, OpenFailure
from tracker.ui.app.lock import SETTING, LockScreen
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.export import PLAIN_EXPORT, ExportDialog
from tracker.ui.dialogs.passphrase import NEVER_RECOVERED, RETRY_PAUSE_MS, WRONG
from tracker.ui.pages.privacy import ENCRYPTED, PLAIN, PrivacySection
from tracker.ui.pages.settings import SettingsView

NOTE = "walked past the tulip field"


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("ONSET_PASSPHRASE", raising=False)
    crypto.forget_all()
    yield
    crypto.forget_all()


def _journal(path: Path) -> Path:
    with Journal.open(path, create=True) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note=NOTE)
    return path


def _window(qtbot, journal: Journal) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(journal, owns_journal=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _privacy(window: MainWindow) -> PrivacySection:
    window.show_view("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsView)
    return page.privacy


def _type(qtbot, field: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    field.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)


def _encrypted_window(qtbot, tmp_path: Path, passphrase: str = "tulip key"):  # type: ignore[no-untyped-def]
    path = _journal(tmp_path / "journal.onset")
    encrypt(path, passphrase)
    return _window(qtbot, Journal.open(path))


def test_protect_change_and_remove_the_passphrase_from_settings(qtbot, tmp_path: Path) -> None:
    path = _journal(tmp_path / "journal.onset")
    window = _window(qtbot, Journal.open(path))
    privacy = _privacy(window)
    assert privacy.state.text() == PLAIN and privacy.protect.isVisible()
    assert not window.actions_by_name["lock"].isEnabled()

    # Protect: typed twice, with the warning that no one can recover a lost passphrase.
    dialog = privacy.ask_protect()
    qtbot.waitExposed(dialog)
    assert any(label.text() == NEVER_RECOVERED for label in dialog.findChildren(QLabel))
    _type(qtbot, dialog.first, "first secret")
    _type(qtbot, dialog.second, "first secreT")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not the same" in dialog.error.text()
    assert not crypto.could_be_encrypted(path)
    _type(qtbot, dialog.second, "first secret")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: crypto.could_be_encrypted(path))
    assert NOTE.encode() not in path.read_bytes()
    assert privacy.state.text() == ENCRYPTED and privacy.change.isVisible()
    assert window.actions_by_name["lock"].isEnabled()
    # The window goes on working on the encrypted file.
    window.journal.add_checkin("2026-01-06T21:10", 4, note="after protecting")
    assert window.journal.count("checkin") == 2
    assert privacy.lock_when_idle.isChecked() and privacy.minutes.value() == 5

    # Change: the current one is checked first.
    dialog = privacy.ask_change()
    _type(qtbot, dialog.current, "not it")
    _type(qtbot, dialog.first, "second secret")
    _type(qtbot, dialog.second, "second secret")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not right" in dialog.error.text()
    _type(qtbot, dialog.current, "first secret")
    _type(qtbot, dialog.first, "second secret")
    _type(qtbot, dialog.second, "second secret")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "changed" in privacy.message.text())
    assert crypto.opens_with(path, "second secret")
    assert not crypto.opens_with(path, "first secret")

    # Remove: the current passphrase again; a wrong one is said calmly.
    remove = privacy.ask_remove()
    prompt = remove.prompt
    _type(qtbot, prompt.field, "first secret")
    qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)
    assert prompt.error.text() == WRONG and crypto.could_be_encrypted(path)
    qtbot.waitUntil(prompt.ok.isEnabled, timeout=RETRY_PAUSE_MS * 4)
    _type(qtbot, prompt.field, "second secret")
    qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not crypto.could_be_encrypted(path))
    assert privacy.state.text() == PLAIN
    assert window.journal.count("checkin") == 2
    assert not window.actions_by_name["lock"].isEnabled()
    window.close()
    # No passphrase reached a file: not the journal's folder, its backups, the settings.
    from PySide6.QtCore import QSettings

    QSettings().sync()
    places = [tmp_path, Path(os.environ["XDG_DATA_HOME"]), Path(QSettings().fileName()).parent]
    for place in places:
        for file in place.rglob("*") if place.is_dir() else []:
            if file.is_file():
                data = file.read_bytes()
                for secret in (b"first secret", b"second secret"):
                    assert secret not in data, file


def test_opening_an_encrypted_journal_asks_a_wrong_one_then_the_right_one(
    qtbot, tmp_path: Path
) -> None:
    path = _journal(tmp_path / "journal.onset")
    encrypt(path, "right one")
    crypto.forget_all()
    before = path.read_bytes()
    launcher = Launcher()
    steps: list[str] = []

    def answer() -> None:
        dialog = launcher.asking
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        prompt = dialog.prompt  # type: ignore[attr-defined]
        if not steps:
            _type(qtbot, prompt.field, "wrong one")
            qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)
            steps.append(prompt.error.text())
            assert path.read_bytes() == before  # a wrong passphrase touches nothing
        if not prompt.ok.isEnabled():  # the short pause after a wrong one
            QTimer.singleShot(50, answer)
            return
        _type(qtbot, prompt.field, "right one")
        qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    window = launcher.open_journal(path)
    assert steps == [WRONG]
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.journal.checkins()[0].note == NOTE
    window.close()


def test_cancelling_the_passphrase_opens_nothing_and_says_why(qtbot, tmp_path: Path) -> None:
    path = _journal(tmp_path / "journal.onset")
    encrypt(path, "right one")
    crypto.forget_all()
    launcher = Launcher()

    def cancel() -> None:
        if launcher.asking is None:
            QTimer.singleShot(20, cancel)
            return
        launcher.asking.reject()

    QTimer.singleShot(0, cancel)
    failure = launcher.open_journal(path)
    assert isinstance(failure, OpenFailure)
    assert "passphrase was not given" in failure.detail and failure.error is None
    assert not launcher.windows


def test_the_idle_lock_hides_everything_and_keeps_an_open_forms_input(
    qtbot, tmp_path: Path
) -> None:
    window = _encrypted_window(qtbot, tmp_path)
    assert window.journal.setting(SETTING) is None  # 5 minutes by default when encrypted
    assert window._idle is not None and window._idle.timer.interval() == 5 * 60_000
    window.show_view("history")
    session = window.open_session()
    qtbot.waitExposed(session)
    session.notes.setPlainText("half-written: the room felt far away")
    session.clinic.setText("North clinic")

    window._idle.timer.setInterval(30)  # as if five minutes passed without a key or a click
    window._idle.timer.start()
    qtbot.waitUntil(lambda: window.locked)
    lock_screen = window.centralWidget().currentWidget()  # type: ignore[attr-defined]
    assert isinstance(lock_screen, LockScreen) and lock_screen.isVisible()
    assert not window.pages.isVisible() and not window.nav.isVisible()
    assert not session.isVisible()
    assert not window.statusBar().isVisible()
    # Nothing on screen holds health data: only the prompt's own words are visible.
    visible = [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]
    assert all("tulip" not in text and "room" not in text for text in visible), visible
    # Shortcuts do nothing while locked, and closing asks nothing about the hidden form.
    assert not window.actions_by_name["session"].isEnabled()
    assert not window.close() and window.locked and not session.isVisible()

    prompt = lock_screen.prompt
    _type(qtbot, prompt.field, "tulip kez")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    assert prompt.error.text() == WRONG and window.locked
    qtbot.waitUntil(prompt.ok.isEnabled, timeout=RETRY_PAUSE_MS * 4)
    _type(qtbot, prompt.field, "tulip key")
    qtbot.keyClick(prompt.field, Qt.Key.Key_Return)
    assert not window.locked
    assert session.isVisible() and window.pages.isVisible()
    assert session.notes.toPlainText() == "half-written: the room felt far away"
    assert session.clinic.text() == "North clinic"
    assert prompt.field.text() == ""  # the passphrase is not kept in the widget
    assert window._idle.timer.isActive()
    window.close()


def test_ctrl_l_locks_at_once_and_the_setting_changes_the_idle_minutes(
    qtbot, tmp_path: Path
) -> None:
    window = _encrypted_window(qtbot, tmp_path)
    privacy = _privacy(window)
    privacy.minutes.setValue(12)
    assert window.journal.setting(SETTING) == "12"
    assert window._idle is not None and window._idle.timer.interval() == 12 * 60_000
    privacy.lock_when_idle.setChecked(False)
    assert window.journal.setting(SETTING) == "0" and not window._idle.timer.isActive()

    window.show_view("today")
    assert window.actions_by_name["lock"].isEnabled()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    # Closing a locked window decides nothing about what was typed: it stays locked.
    assert not window.close() and window.isVisible() and window.locked
    assert "Unlock first" in window._lock_screen.prompt.error.text()  # type: ignore[union-attr]
    window.unlock()
    window.close()


def test_a_plain_journal_has_no_lock_and_no_idle_watcher(qtbot, tmp_path: Path) -> None:
    window = _window(qtbot, Journal.open(_journal(tmp_path / "journal.onset")))
    assert window._idle is None and not window.lock()
    window.close()


def test_the_export_dialog_says_an_export_of_an_encrypted_journal_is_plain(
    qtbot, tmp_path: Path
) -> None:
    window = _encrypted_window(qtbot, tmp_path)
    dialog = ExportDialog(window.journal, window)
    qtbot.addWidget(dialog)
    assert dialog.plain_notice is not None and dialog.plain_notice.text() == PLAIN_EXPORT
    plain = _window(qtbot, Journal.open(_journal(tmp_path / "plain" / "journal.onset")))
    assert ExportDialog(plain.journal, plain).plain_notice is None
    window.close()
    plain.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshots_of_the_privacy_dialogs_and_the_lock(
    qtbot, qapp, tmp_path: Path, shots_dir: Path, theme: str, palette_restored
) -> None:
    if theme == "dark":
        qapp.setPalette(dark_palette())
    window = _encrypted_window(qtbot, tmp_path)
    privacy = _privacy(window)
    QApplication.processEvents()
    privacy.grab().save(str(shots_dir / f"ui-privacy-{theme}.png"))
    dialog = privacy.ask_change()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(shots_dir / f"ui-change-passphrase-{theme}.png"))
    dialog.reject()
    window.lock()
    QApplication.processEvents()
    assert window.grab().save(str(shots_dir / f"ui-locked-{theme}.png"))
    window.unlock()
    window.close()


def test_the_backups_list_says_which_passphrase_and_restore_asks_for_it(
    qtbot, tmp_path: Path
) -> None:
    from tracker.storage.encryption import change_passphrase
    from tracker.ui.pages.backups import BackupsPanel

    path = _journal(tmp_path / "journal.onset")
    encrypt(path, "old words")
    change_passphrase(path, "new words")
    crypto.forget_all()
    crypto.remember("new words")
    window = _window(qtbot, Journal.open(path))
    window.show_view("settings")
    page = window.page("settings")
    assert isinstance(page, SettingsView)
    panel: BackupsPanel = page.backups
    panel.refresh()
    texts = [
        panel.table.item(row, 2).text()
        for row in range(panel.table.rowCount())
        if panel.table.item(row, 2) is not None
    ]
    assert any("passphrase in use before it was changed on" in t for t in texts), texts
    assert any(t == "1" for t in texts)  # today's copy opens with the current one
    old = next(
        row
        for row, info in enumerate(panel.backups)
        if info.locked and info.reason == "before-passphrase"
    )
    panel.table.selectRow(old)
    assert panel.restore_button.isEnabled()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    dialog = panel.passphrase_dialog
    assert dialog is not None and dialog.isVisible()
    prompt = dialog.prompt  # type: ignore[attr-defined]
    _type(qtbot, prompt.field, "new words")  # the journal's own does not open it
    qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)
    assert prompt.error.text() == WRONG
    qtbot.waitUntil(prompt.ok.isEnabled, timeout=RETRY_PAUSE_MS * 4)
    _type(qtbot, prompt.field, "old words")
    qtbot.mouseClick(prompt.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.confirm_box is not None and panel.confirm_box.isVisible())
    assert "1 check-in" in panel.confirm_box.informativeText()  # type: ignore[union-attr]
    panel.confirm_box.reject()  # type: ignore[union-attr]
    window.close()


def test_the_demo_journal_has_nothing_to_protect(qtbot) -> None:
    from tracker.demo import create_demo_journal
    from tracker.paths import demo_journal
    from tracker.ui.pages.privacy import DEMO

    window = _window(qtbot, create_demo_journal(demo_journal()))
    privacy = _privacy(window)
    assert privacy.state.text() == DEMO and not privacy.protect.isEnabled()
    window.close()
