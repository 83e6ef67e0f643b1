"""Helpers for driving the real widgets: a window on a fresh journal, clicking a 0–10
scale, pressing keys where the keyboard focus is, and a dark palette for screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow
from tracker.ui.widgets.scale import ScaleInput

DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1f2023",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#36383c",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.Highlight: "#4a7fb5",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#2b2d30",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8c8f94",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.Light: "#4a4d52",
    QPalette.ColorRole.Midlight: "#3d4044",
    QPalette.ColorRole.Mid: "#303236",
    QPalette.ColorRole.Dark: "#1a1b1d",
    QPalette.ColorRole.Shadow: "#000000",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour).darker(130))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7d8086"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#7d8086"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#7d8086"))
    return palette


@pytest.fixture(autouse=True)
def _closed_widgets_deleted() -> Iterator[None]:
    """Delete what a test closed before the next test starts. pytest-qt closes the widgets
    a test registered and calls deleteLater(), which waits for an event loop that may not
    run for dozens of tests: thousands of widgets piled up, and each palette change (the
    dark screenshots, and putting the palette back) restyled every one of them, 2 to 3 s
    a time late in the run."""
    yield
    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def palette_restored(qapp: QApplication) -> Iterator[None]:
    """Put the application palette back after a test that changes it."""
    original = QPalette(qapp.palette())
    yield
    qapp.setPalette(original)


@pytest.fixture
def window(qtbot, journal: Journal) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    shown = MainWindow(journal)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    close_discarding(shown)


def close_discarding(window: MainWindow) -> None:
    """Close a window as Discard would, whatever a test left typed in it."""
    window._leaving = True
    window.close()


def choose(qtbot, scale: ScaleInput, value: int) -> None:  # type: ignore[no-untyped-def]
    """Click the segment of a 0–10 scale, as a person would."""
    centre = scale.bar._rects()[value].center()
    qtbot.mouseClick(
        scale.bar, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
    )


def press(qtbot, key: Qt.Key, text: str = "") -> QWidget:  # type: ignore[no-untyped-def]
    """Press a key where the keyboard focus is; return the widget that had it."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key)
    return target


def unnamed_focus_stops(root: QWidget) -> list[str]:
    """Every widget that can take the keyboard focus but has no accessible name."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not widget.accessibleName():
            owner = type(widget.parent()).__name__
            found.append(f"{type(widget).__name__} {widget.objectName()!r} in {owner}")
    return found


def fresh_journal(path: Path) -> Journal:
    return Journal.open(path, create=True)
