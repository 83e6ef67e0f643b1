"""Help → About: the version, the licence, the questionnaires' attribution, where this
journal and the data folder are, and the third-party components with their licences.

Nothing in it is a link: Onset opens no web page and makes no connection. The paths can be
selected and copied.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.about import COMPONENTS, INSTRUMENTS_ATTRIBUTION, PROJECT_LICENCE, version_line
from tracker.ui.widgets.layout import list_table, muted_label, title_label

DESCRIPTION = (
    "A private journal for ketamine treatment for anxiety. It records and shows; it never "
    "diagnoses or advises. Questionnaires are scored exactly as published. Onset makes no "
    "network connections."
)


def _plain(text: str, *, selectable: bool = False, muted: bool = False) -> QLabel:
    label = muted_label(text) if muted else QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    if selectable:
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    label.setAccessibleName(text)
    return label


class AboutDialog(QDialog):
    def __init__(self, journal_path: Path, data_folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Onset")
        self.setAccessibleName("About Onset")
        self.journal_path = journal_path
        self.data_folder = data_folder

        heading = title_label(version_line(), "pageTitle")
        heading.setAccessibleName(version_line())
        self.sections: list[tuple[str, str]] = [
            ("", DESCRIPTION),
            ("Licence", f"Onset is free software under the {PROJECT_LICENCE} licence."),
            ("Questionnaires", INSTRUMENTS_ATTRIBUTION),
            ("This journal", str(journal_path)),
            ("Data folder", str(data_folder)),
        ]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(heading)
        for title, text in self.sections:
            if title:
                layout.addSpacing(8)
                layout.addWidget(title_label(title))
            path = title in ("This journal", "Data folder")
            layout.addWidget(_plain(text, selectable=path, muted=path))

        layout.addSpacing(8)
        layout.addWidget(title_label("Third-party components"))
        self.components = QTableWidget(len(COMPONENTS), 2)
        header = list_table(self.components, "Third-party components and their licences")
        self.components.setHorizontalHeaderLabels(["Component", "Licence"])
        self.components.setWordWrap(True)
        for row, component in enumerate(COMPONENTS):
            name = QTableWidgetItem(component.name)
            name.setToolTip(component.what)
            self.components.setItem(row, 0, name)
            self.components.setItem(row, 1, QTableWidgetItem(component.licence))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.components.resizeRowsToContents()
        self.components.setMinimumHeight(220)
        layout.addWidget(self.components, 1)
        layout.addWidget(
            _plain(
                "THIRD-PARTY-NOTICES.md, installed with Onset, names their authors and says "
                "how the Qt libraries can be replaced.",
                muted=True,
            )
        )

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        # Close has the focus, not the first path: Enter or Escape closes at once.
        close.setDefault(True)
        self.close_button = close
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
        self.resize(640, 720)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and copying)."""
        lines = [version_line()]
        for title, text in self.sections:
            lines.extend([title, text] if title else [text])
        lines.append("Third-party components")
        lines.extend(f"{c.name}: {c.licence}" for c in COMPONENTS)
        return "\n".join(lines)
