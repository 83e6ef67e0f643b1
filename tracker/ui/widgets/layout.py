"""Labels, cards, scrolling pages and list tables: how pages are laid out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QHeaderView, QPushButton, QTableView


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def muted_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("muted", True)
    return label


def title_label(text: str, object_name: str = "cardTitle") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    return label


def card(title: str = "", parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A rounded panel on the page background, with an optional heading."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(10)
    if title:
        layout.addWidget(title_label(title))
    return frame, layout


def scroll_page(content: QWidget) -> QScrollArea:
    """A page that scrolls when the window is small; not a focus stop itself."""
    area = QScrollArea()
    area.setObjectName("page")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)
    return area


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            child = item.layout()
            assert child is not None
            clear_layout(child)


def list_table(table: QTableView, name: str) -> QHeaderView:
    """Make a table a read-only list: whole rows, one at a time, quiet lines; return its header."""
    table.setAccessibleName(name)
    table.setSelectionBehavior(table.SelectionBehavior.SelectRows)
    table.setSelectionMode(table.SelectionMode.SingleSelection)
    table.setEditTriggers(table.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    return header


def notice_bar(
    name: str, words: QLabel, button: QPushButton, margins: tuple[int, int, int, int]
) -> QFrame:
    """A band of words with one button at its end (the style sheet colours it by `name`):
    a restored draft, the demo journal."""
    bar = QFrame()
    bar.setObjectName(name)
    row = QHBoxLayout(bar)
    row.setContentsMargins(*margins)
    row.addWidget(words, 1)
    row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
    return bar
