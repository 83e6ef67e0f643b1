"""File → Export summary…: the dialog makes the same PDF as the command line.

The save-file dialog is replaced by a function returning a path in tmp_path; everything
else is the real dialog, driven with the keyboard and the mouse.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QInputMethodEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.io.test_report import page_texts
from tests.io.test_report_journal import Facts, fill_journal
from tracker.app import main
from tracker.journal import Journal
from tracker.ui.dialogs import export as export_dialog
from tracker.ui.dialogs.export import LAST_EXPORT, ExportDialog

ZOE = "Zoë Ørsted-Łukasiewicz"
PROVIDER = "Dr Ελένη Παπαδοπούλου"


@pytest.fixture
def filled(journal: Journal) -> Facts:
    """Sixteen days ending two days ago: inside the dialog's default 90 days, small and fast."""
    return fill_journal(journal, date.today() - timedelta(days=17), 16)


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Answer the save-file dialog with the next path of the returned list."""
    answers: list[Path] = []

    def answer(*args: object, **_kwargs: object) -> tuple[str, str]:
        suggested = Path(str(args[2]))
        assert suggested.name == f"onset-summary-{date.today().isoformat()}.pdf"
        return (str(answers.pop(0)), "PDF documents (*.pdf)") if answers else ("", "")

    monkeypatch.setattr(export_dialog.QFileDialog, "getSaveFileName", answer)
    return answers


def _open(qtbot: QtBot, journal: Journal) -> ExportDialog:
    dialog = ExportDialog(journal)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def type_text(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """Type like a person: plain keys for ASCII, an input-method commit for ë, Ł, Greek…

    (QTest's keyClicks only knows Latin-1 keys and aborts on anything else.)
    """
    field.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(field, char)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(char)
            QApplication.sendEvent(field, event)
    assert field.text().endswith(text)


def _cli(journal: Journal, out: Path, start: date, end: date, *extra: str) -> None:
    args = ["export", "pdf", "--out", str(out), "--from", start.isoformat()]
    args += ["--to", end.isoformat(), "--journal", str(journal.path), *extra]
    assert main(args) == 0


def test_defaults_and_every_control_is_named(qtbot: QtBot, journal: Journal) -> None:
    dialog = _open(qtbot, journal)
    today = date.today()
    assert dialog.preset.currentData() == "90"
    assert dialog.period() == (today - timedelta(days=89), today)
    assert not dialog.notes_box.isChecked()
    assert all(box.isChecked() for box in dialog.section_boxes.values())
    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if w.isVisible()
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)
    ]
    assert len(controls) >= 11
    for control in controls:
        assert control.accessibleName(), control
    assert dialog.focusWidget() is dialog.preset
    # Choosing a preset fills the dates; typing a date makes the period custom.
    dialog.preset.setCurrentIndex(dialog.preset.findData("30"))
    assert dialog.period() == (today - timedelta(days=29), today)
    dialog.start_edit.setDate(dialog.end_edit.date().addDays(1))
    assert dialog.preset.currentData() == "custom"
    assert not dialog.save_button.isEnabled()
    assert "first day is after the last day" in dialog.result_label.text()


def test_since_the_last_export_is_the_default_once_there_was_one(
    qtbot: QtBot, journal: Journal
) -> None:
    last = date.today() - timedelta(days=20)
    journal.set_setting(LAST_EXPORT, last.isoformat())
    dialog = _open(qtbot, journal)
    assert dialog.preset.currentData() == "since_last"
    assert dialog.period() == (last, date.today())


def test_the_dialog_and_the_command_line_make_the_same_report(
    qtbot: QtBot,
    journal: Journal,
    filled: Facts,
    save_to: list[Path],
    tmp_path: Path,
    shots_dir: Path,
) -> None:
    dialog = _open(qtbot, journal)
    type_text(qtbot, dialog.name_edit, ZOE)
    type_text(qtbot, dialog.provider_edit, PROVIDER)
    save_to.append(tmp_path / "from-dialog")  # the dialog adds .pdf
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    made = tmp_path / "from-dialog.pdf"
    assert made.is_file()
    assert dialog.saved_path == made
    assert "Saved “from-dialog.pdf” (without your notes)" in dialog.result_label.text()
    assert journal.setting(LAST_EXPORT) == date.today().isoformat()

    start, end = dialog.period()
    from_cli = tmp_path / "from-cli.pdf"
    _cli(journal, from_cli, start, end, "--name", ZOE, "--provider", PROVIDER)
    pages = page_texts(made)
    assert pages == page_texts(from_cli)
    assert ZOE in pages[0] and f"Prepared for: {PROVIDER}" in pages[0]
    assert f"Sessions in this period: {len(journal.sessions(start, end))} " in pages[0]
    assert not any(note in " ".join(pages) for note in filled.notes)

    dialog.grab().save(str(shots_dir / "export-dialog-light.png"))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    try:
        app.setPalette(_dark_palette())
        qtbot.waitUntil(lambda: dialog.palette().color(QPalette.ColorRole.Window).lightness() < 80)
        dialog.grab().save(str(shots_dir / "export-dialog-dark.png"))
    finally:
        app.setPalette(light)


def test_notes_go_in_only_when_ticked_with_the_keyboard(
    qtbot: QtBot, journal: Journal, filled: Facts, save_to: list[Path], tmp_path: Path
) -> None:
    dialog = _open(qtbot, journal)
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.notes_box.isChecked)  # a mnemonic clicks after a short animation
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.name_edit
    assert isinstance(dialog.focusWidget(), QLineEdit)
    save_to.append(tmp_path / "with-notes.pdf")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # Enter presses "Save PDF…"
    made = tmp_path / "with-notes.pdf"
    assert made.is_file()
    assert "(with your notes)" in dialog.result_label.text()
    start, end = dialog.period()
    from_cli = tmp_path / "cli-notes.pdf"
    _cli(journal, from_cli, start, end, "--notes")
    text = " ".join(page_texts(made))
    assert text == " ".join(page_texts(from_cli))
    assert filled.notes and all(note in text for note in filled.notes)


def test_a_cancelled_save_writes_nothing(
    qtbot: QtBot, journal: Journal, save_to: list[Path], tmp_path: Path
) -> None:
    dialog = _open(qtbot, journal)
    button: QAbstractButton = dialog.save_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # no answer: the user cancelled
    assert dialog.saved_path is None
    assert not dialog.result_frame.isVisible()
    assert journal.setting(LAST_EXPORT) is None
    assert not list(tmp_path.glob("*.pdf"))


def _dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1f2226",
        QPalette.ColorRole.WindowText: "#e6e8eb",
        QPalette.ColorRole.Base: "#272a2f",
        QPalette.ColorRole.AlternateBase: "#2d3136",
        QPalette.ColorRole.Text: "#e6e8eb",
        QPalette.ColorRole.Button: "#2d3136",
        QPalette.ColorRole.ButtonText: "#e6e8eb",
        QPalette.ColorRole.Highlight: "#7fa7c9",
        QPalette.ColorRole.HighlightedText: "#101214",
        QPalette.ColorRole.PlaceholderText: "#8c939b",
        QPalette.ColorRole.Light: "#4a5058",
        QPalette.ColorRole.Midlight: "#3a3f46",
        QPalette.ColorRole.Mid: "#5a616a",
        QPalette.ColorRole.Dark: "#16181b",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("since_last", [False, True])
def test_the_dialog_opens_with_no_error(qtbot: QtBot, journal: Journal, since_last: bool) -> None:
    journal.add_checkin("2026-01-05T21:10", 6)
    if since_last:
        journal.set_setting(LAST_EXPORT, (date.today() - timedelta(days=10)).isoformat())
    dialog = ExportDialog(journal)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.result_frame.isVisible(), dialog.result_label.text()
    assert dialog.save_button.isEnabled()
    start, end = dialog.period()
    assert start <= end == date.today()
    # A real mistake still says so, and fixing it takes the message away.
    dialog.start_edit.setDate(dialog.end_edit.date().addDays(1))
    assert dialog.result_frame.isVisible() and not dialog.save_button.isEnabled()
    dialog.start_edit.setDate(dialog.end_edit.date())
    assert not dialog.result_frame.isVisible() and dialog.save_button.isEnabled()


def test_a_summary_is_never_saved_over_the_journal(
    qtbot: QtBot, journal: Journal, save_to: list[Path], tmp_path: Path
) -> None:
    before = journal.path.read_bytes()
    link = tmp_path / "summary.pdf"
    link.symlink_to(journal.path)  # a name that looks like a PDF, pointing at the journal
    save_to.append(link)
    dialog = _open(qtbot, journal)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_path is None
    assert dialog.result_frame.isVisible()
    assert "journal itself" in dialog.result_label.text()
    assert link.is_symlink() and journal.path.read_bytes() == before
