"""The journal's time zone in Settings: shown, changed from the keyboard, refused when it
is not a zone, and put back when the journal cannot store it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.app.test_write_failures import failing
from tests.ui.conftest import dark_palette
from tracker.domain.times import ZONE_SETTING
from tracker.journal import Journal
from tracker.ui.pages.settings import SettingsView
from tracker.ui.style import ensure_style


def _settings(qtbot, journal: Journal) -> SettingsView:  # type: ignore[no-untyped-def]
    ensure_style()
    view = SettingsView(journal)
    qtbot.addWidget(view)
    view.resize(900, 900)
    view.show()
    qtbot.waitExposed(view)
    return view


def _type_zone(qtbot, view: SettingsView, name: str) -> None:  # type: ignore[no-untyped-def]
    box = view.zone_box
    box.setFocus()
    line = box.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, name)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_a_new_journal_keeps_the_machine_zone_and_settings_shows_it(
    qtbot, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # The test machine's zone, as the journal stored it when it was made.
    stored = journal.setting(ZONE_SETTING)
    view = _settings(qtbot, journal)
    assert view.zone_box.accessibleName() == "The journal's time zone"
    assert view.zone_box.currentText() == (stored or "UTC")


def test_choosing_another_zone_is_stored(qtbot, journal: Journal) -> None:  # type: ignore[no-untyped-def]
    view = _settings(qtbot, journal)
    _type_zone(qtbot, view, "Europe/Berlin")
    assert journal.setting(ZONE_SETTING) == "Europe/Berlin"
    assert journal.time_zone_name() == "Europe/Berlin"
    assert view.zone_error.isHidden()
    # The full list was read when the box was first used.
    assert view.zone_box.findText("America/New_York") >= 0


def test_a_name_that_is_not_a_zone_is_refused(qtbot, journal: Journal) -> None:  # type: ignore[no-untyped-def]
    journal.set_time_zone("America/New_York")
    view = _settings(qtbot, journal)
    _type_zone(qtbot, view, "Mars/Olympus")
    assert journal.setting(ZONE_SETTING) == "America/New_York"
    assert view.zone_box.currentText() == "America/New_York"
    assert "“Mars/Olympus” is not a time zone this computer knows" in view.zone_error.text()


def test_a_zone_the_journal_cannot_store_is_put_back(qtbot, journal: Journal) -> None:  # type: ignore[no-untyped-def]
    journal.set_time_zone("America/New_York")
    view = _settings(qtbot, journal)
    with failing(journal, "read-only"):
        _type_zone(qtbot, view, "Europe/Berlin")
    assert journal.setting(ZONE_SETTING) == "America/New_York"
    assert view.zone_box.currentText() == "America/New_York"
    assert "could not be saved" in view.zone_error.text()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshot(qtbot, journal: Journal, shots_dir: Path, palette_restored, dark: bool) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    if dark:
        QApplication.instance().setPalette(dark_palette())  # type: ignore[union-attr]
    journal.set_time_zone("America/New_York")
    view = _settings(qtbot, journal)
    box = next(b for b in view.sections if b.title() == "Time zone")
    box.grab().save(str(shots_dir / f"settings-time-zone-{'dark' if dark else 'light'}.png"))
