"""The greeting an empty journal shows: what the journal is for, in three lines, and two
ways to begin (a baseline GAD-7, or a look around a separate demo journal)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tracker.ui.widgets.layout import muted_label, title_label

WELCOME_LINES = (
    "Onset is a private journal for your ketamine treatment for anxiety.",
    "Note how you feel each day, your questionnaires, your sessions and any side effects.",
    "It all stays in one file on this computer; you choose what to share with your care team.",
)
BASELINE_HINT = (
    "A GAD-7 taken before your first session is the baseline that later scores are compared with."
)


class WelcomePanel(QFrame):
    """Shown on Today while the journal is empty."""

    baselineRequested = Signal()
    demoRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("notice")
        title = title_label("Welcome to Onset", "pageTitle")
        lines = QLabel("<br>".join(WELCOME_LINES))
        lines.setWordWrap(True)
        hint = muted_label(BASELINE_HINT)
        hint.setWordWrap(True)
        self.baseline_button = QPushButton("Record a baseline GAD-7…")
        self.baseline_button.setAccessibleName("Record a baseline GAD-7")
        self.baseline_button.setDefault(True)
        self.demo_button = QPushButton("Explore with sample data")
        self.demo_button.setAccessibleName("Explore with sample data, in a separate demo journal")
        self.demo_button.setToolTip(
            "Opens a separate demo journal; yours stays empty and untouched"
        )
        self.baseline_button.clicked.connect(self.baselineRequested)
        self.demo_button.clicked.connect(self.demoRequested)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.baseline_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(lines)
        layout.addWidget(hint)
        layout.addSpacing(4)
        layout.addLayout(buttons)
