"""Help → About: version, licence, the questionnaires' attribution word for word, where the
journal and the data folder are, the third-party components; no links; keyboard-closable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.conftest import dark_palette
from tracker import __version__
from tracker.paths import data_folder
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.about import AboutDialog

ATTRIBUTION = (
    "PHQ-9 and GAD-7 were developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt "
    "Kroenke and colleagues, with an educational grant from Pfizer Inc.; no permission is "
    "required to reproduce, translate, display or distribute them."
)


def _open(qtbot: QtBot, window: MainWindow) -> AboutDialog:
    window.actions_by_name["about"].trigger()
    dialogs = [d for d in window.findChildren(AboutDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitExposed(dialogs[0])
    return dialogs[0]


def test_help_about_says_what_the_issue_asks(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    shown = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert f"Onset {__version__}" in shown
    assert "Onset is free software under the MIT licence." in shown
    assert ATTRIBUTION in shown
    assert str(window.journal.path) in shown
    assert str(data_folder()) in shown
    assert any("never diagnoses or advises" in text for text in shown)
    table = dialog.components
    rows = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert rows["Qt 6"] == "LGPL-3.0"
    assert rows["PySide6 and Shiboken6"] == "LGPL-3.0"
    assert rows["matplotlib"].startswith("Matplotlib licence")
    assert rows["fpdf2"] == "LGPL-3.0"
    assert rows["Python"] == "PSF-2.0"
    assert table.accessibleName() == "Third-party components and their licences"
    everything = "\n".join([*shown, *rows, *rows.values(), dialog.text()])
    assert "http" not in everything and "<a " not in everything and "www." not in everything
    assert all(not label.openExternalLinks() for label in dialog.findChildren(QLabel))


def test_the_paths_can_be_copied_and_escape_closes(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open(qtbot, window)
    path_label = next(
        label for label in dialog.findChildren(QLabel) if label.text() == str(window.journal.path)
    )
    assert path_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert path_label.focusPolicy() == Qt.FocusPolicy.StrongFocus
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    again = _open(qtbot, window)
    close = again.close_button
    assert close.text() == "Close" and close.isDefault()
    qtbot.waitUntil(lambda: again.focusWidget() is close)
    qtbot.keyClick(close, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not again.isVisible())


def test_about_screenshots(
    qtbot: QtBot, window: MainWindow, shots_dir: Path, palette_restored: None
) -> None:
    dialog = _open(qtbot, window)
    dialog.grab().save(str(shots_dir / "about-light.png"))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setPalette(dark_palette())
    qtbot.waitUntil(lambda: dialog.palette().color(QPalette.ColorRole.Window).lightness() < 80)
    dialog.grab().save(str(shots_dir / "about-dark.png"))
    # Nothing is cut off: the table shows every row's licence in full when scrolled to.
    table = dialog.components
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance("PySide6 and Shiboken6")
