"""The tray: notices on a fake clock and their wording, closing to the tray, Settings, --tray."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import dark_palette, unnamed_focus_stops
from tracker import autostart, reminders
from tracker.domain.due import NOTICE_TEXT
from tracker.journal import Journal
from tracker.ui.app import tray as tray_module
from tracker.ui.app.launch import Launcher, parse_args, start
from tracker.ui.app.main_window import MainWindow
from tracker.ui.pages.reminder_settings import NO_TRAY, ReminderSettings

PRIVATE_WORDS = ("ketamine", "anxiety", "gad", "phq", "score", "bladder", "craving", "session")


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Start-at-login files go to a scratch home, never the real one."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path / "home"


def tray_window(qtbot, journal: Journal, clock: Clock) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(journal)
    window.clock = clock
    # The question asked on the first close would wait for a person; tests answer it.
    window.ask_keep_in_tray = lambda: False  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.start_tray(available=True) is not None
    return window


def test_a_notice_comes_once_a_day_outside_quiet_hours_in_plain_words(
    qtbot, journal: Journal
) -> None:
    # GAD-7 reminders are on by default and it was never taken: it is due at once.
    clock = Clock(datetime(2026, 1, 9, 8, 0))
    window = tray_window(qtbot, journal, clock)
    tray = window.tray
    assert tray is not None and tray.icon is not None
    shown: list[str] = []
    tray.noticeShown.connect(shown.append)
    assert tray.check() == []  # 08:00 is in the quiet hours (21:00–09:00)
    clock.now = datetime(2026, 1, 9, 9, 0)
    assert tray.check() == ["questionnaire"]
    assert shown == [NOTICE_TEXT] == ["Onset: a check-in is due"]
    clock.now = datetime(2026, 1, 9, 15, 0)
    assert tray.check() == []  # once a day for each kind
    # A session yesterday: a reflection prompt is a new kind today, said in the same words.
    journal.add_session("2026-01-08T10:00", "iv")
    assert tray.check() == ["reflection"]
    clock.now = datetime(2026, 1, 10, 9, 0)
    assert tray.check() == ["questionnaire", "reflection"]
    assert shown == [NOTICE_TEXT] * 3
    # Nothing the tray shows names anything private.
    said = [
        NOTICE_TEXT,
        tray.icon.toolTip(),
        *(a.text() for a in tray.icon.contextMenu().actions()),
    ]
    assert tray.icon.toolTip() == "Onset"
    for text in said:
        for word in PRIVATE_WORDS:
            assert word not in text.lower(), (word, text)


def test_quiet_hours_chosen_in_the_journal_are_kept(qtbot, journal: Journal) -> None:
    from datetime import time

    reminders.set_quiet_hours(journal, time(22, 30), time(7, 0))
    clock = Clock(datetime(2026, 1, 9, 7, 0))
    window = tray_window(qtbot, journal, clock)
    assert window.tray is not None
    # start_tray checked at 07:00 already: outside the chosen quiet hours, so said then.
    assert reminders.last_notified(journal) == {"questionnaire": datetime(2026, 1, 9).date()}


def test_closing_keeps_onset_in_the_tray_when_chosen_asked_only_once(
    qtbot, journal: Journal
) -> None:
    window = tray_window(qtbot, journal, Clock(datetime(2026, 1, 9, 8, 0)))
    asked: list[bool] = []
    window.ask_keep_in_tray = lambda: asked.append(True) or True  # type: ignore[method-assign]
    closed: list[object] = []
    window.closed.connect(closed.append)
    window.close()
    assert asked == [True] and not window.isVisible() and closed == []
    assert reminders.keep_in_tray(journal) is True
    assert journal.count("checkin") == 0  # the journal is still open and usable
    window.bring_forward()
    assert window.isVisible()
    window.close()
    assert asked == [True]  # not asked again
    assert not window.isVisible() and closed == []
    # Quit (from the tray menu or File → Quit) closes for good.
    assert window.tray is not None
    window.tray.quitRequested.emit()
    assert closed == [window]


def test_closing_when_the_patient_says_no_closes_and_is_remembered(qtbot, journal: Journal) -> None:
    window = tray_window(qtbot, journal, Clock(datetime(2026, 1, 9, 8, 0)))
    window.ask_keep_in_tray = lambda: False  # type: ignore[method-assign]
    closed: list[object] = []
    window.closed.connect(closed.append)
    window.close()
    assert closed == [window]
    assert reminders.keep_in_tray(journal) is False


def test_without_a_tray_settings_say_notifications_are_not_available(
    qtbot, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.show()
    window.show_view("settings")
    section = window.page("settings").findChild(ReminderSettings)
    assert isinstance(section, ReminderSettings)
    assert section.unavailable.isVisible() and section.unavailable.text() == NO_TRAY
    assert not section.at_login.isEnabled() and not section.keep.isEnabled()
    assert window.start_tray() is None  # no icon, no notices; Today still lists what is due
    assert window.tray is not None and window.tray.check() == []


def test_settings_turn_start_at_login_on_and_off_and_keep_quiet_hours(
    qtbot, qapp, journal: Journal, home: Path, shots_dir: Path, palette_restored
) -> None:
    from PySide6.QtCore import QTime

    section = ReminderSettings(journal, tray=True)
    qtbot.addWidget(section)
    section.resize(720, section.sizeHint().height())
    section.show()
    assert unnamed_focus_stops(section) == []
    assert not section.unavailable.isVisible()
    section.at_login.setChecked(True)
    entry = home / ".config" / "autostart" / "onset.desktop"
    assert entry.is_file() and autostart.is_enabled()
    assert f"--journal {journal.path}" in entry.read_text(encoding="utf-8")
    section.at_login.setChecked(False)
    assert not entry.exists()
    section.quiet_from.setTime(QTime(22, 0))
    section.quiet_until.setTime(QTime(7, 30))
    assert reminders.quiet_hours(journal)[0].strftime("%H:%M") == "22:00"
    assert reminders.quiet_hours(journal)[1].strftime("%H:%M") == "07:30"
    section.keep.setChecked(True)
    assert reminders.keep_in_tray(journal) is True
    for theme in ("light", "dark"):
        if theme == "dark":
            qapp.setPalette(dark_palette())
        QApplication.processEvents()
        assert section.grab().save(str(shots_dir / f"between-settings-{theme}.png"))
    unavailable = ReminderSettings(journal, tray=False)
    qtbot.addWidget(unavailable)
    unavailable.resize(720, unavailable.sizeHint().height())
    unavailable.show()
    QApplication.processEvents()
    assert unavailable.grab().save(str(shots_dir / "between-settings-no-tray-dark.png"))


def test_a_folder_that_cannot_hold_the_entry_is_said_and_the_box_stays_off(
    qtbot, journal: Journal, home: Path
) -> None:
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "autostart").write_text("in the way", encoding="utf-8")
    section = ReminderSettings(journal, tray=True)
    qtbot.addWidget(section)
    section.at_login.setChecked(True)
    assert not section.at_login.isChecked()
    assert section.error.text().startswith("Not changed:")


def test_tray_start_opens_no_window_where_there_is_a_tray(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j.onset"
    monkeypatch.setattr(tray_module, "tray_available", lambda: True)
    launcher = Launcher()
    window = start(parse_args(["--journal", str(path), "--tray"]), launcher)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert not window.isVisible() and window.tray is not None and window.tray.available
    window.quit_app()
    # Without a tray the window opens as usual.
    monkeypatch.setattr(tray_module, "tray_available", lambda: False)
    second = start(parse_args(["--journal", str(path), "--tray"]), Launcher())
    assert isinstance(second, MainWindow)
    qtbot.addWidget(second)
    assert second.isVisible()
    second.close()


def test_a_locked_window_keeps_the_tray_silent_and_shows_no_private_dialog(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog, QLabel

    from tracker.storage import crypto
    from tracker.storage.encryption import encrypt
    from tracker.ui.app.lock import LockScreen

    monkeypatch.delenv("ONSET_PASSPHRASE", raising=False)
    crypto.forget_all()
    path = tmp_path / "journal.onset"
    with Journal.open(path, create=True, backups=False) as made:
        made.add_session("2026-01-08T10:00", "iv", dose_mg=35.0, notes="the room felt far away")
    encrypt(path, "tulip key")
    journal = Journal.open(path, backups=False)
    try:
        # 08:00 on Friday, in the quiet hours: the tray's first check says nothing yet.
        clock = Clock(datetime(2026, 1, 9, 8, 0))
        window = tray_window(qtbot, journal, clock)
        tray = window.tray
        assert tray is not None and tray.icon is not None
        shown: list[str] = []
        tray.noticeShown.connect(shown.append)
        reflection = window.open_reflection()
        qtbot.waitExposed(reflection)
        assert reflection.isVisible()
        assert window.lock()
        assert window.locked and tray.locked
        # 09:00: a GAD-7 and a reflection prompt are due, outside the quiet hours.
        clock.now = datetime(2026, 1, 9, 9, 0)
        # Locked: no notice, however much is due, and none is used up for later.
        shown.clear()
        tray.notify()
        assert tray.check() == [] and shown == []
        assert reminders.last_notified(journal) == {}
        # The icon says only "Onset", and its menu only opens or quits.
        said = [tray.icon.toolTip(), *(a.text() for a in tray.icon.contextMenu().actions())]
        assert tray.icon.toolTip() == "Onset"
        for text in said:
            assert not any(word in text.lower() for word in PRIVATE_WORDS), text
        # Asked to come forward from the tray, the window shows its lock screen, nothing else.
        tray.openRequested.emit()
        assert window.locked
        assert isinstance(window.centralWidget().currentWidget(), LockScreen)  # type: ignore[attr-defined]
        assert not window.pages.isVisible()
        assert not reflection.isVisible()
        open_dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, QDialog)]
        assert not any(d.isVisible() for d in open_dialogs), open_dialogs
        visible = [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]
        assert all("room" not in text and "GAD" not in text for text in visible), visible
        # Unlocked, what came due while locked is announced, and the form comes back.
        window.unlock()
        assert not tray.locked and reflection.isVisible()
        assert shown == [NOTICE_TEXT]
        window.close()
    finally:
        journal.close()
        crypto.forget_all()
