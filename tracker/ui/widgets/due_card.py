"""Today's "Due now" card: the same list as `due`, each item with what to do about it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from tracker import reminders
from tracker.domain.due import DueItem
from tracker.journal import Journal
from tracker.ui.widgets.layout import card, clear_layout, muted_label
from tracker.wording import reflect_title, short_day


class DueCard(QWidget):
    """What is due now, from tracker.reminders.due_items; refreshed with Today."""

    questionnaireRequested = Signal(str)
    reflectionRequested = Signal(object)  # the DueItem of a prompt
    promptDismissed = Signal(object)  # the DueItem of a prompt
    followupRequested = Signal()

    def __init__(self, journal: Journal, parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self.clock: Callable[[], datetime] = datetime.now
        self.items: list[DueItem] = []
        self.frame, layout = card("Due now")
        self.frame.setParent(self)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(0, 1)
        layout.addLayout(self.grid)
        self.buttons: list[QPushButton] = []
        self._shown: list[QWidget] = []
        outer = QGridLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame)

    def refresh(self) -> None:
        now = self.clock()
        self.items = reminders.due_items(self.journal, now)
        for old in self._shown:
            old.hide()
        clear_layout(self.grid)
        self.buttons = []
        self._shown = []
        if not self.items:
            self.empty = muted_label("Nothing is due.")
            self.grid.addWidget(self.empty, 0, 0)
            self._shown.append(self.empty)
            return
        for row, item in enumerate(self.items):
            text = QLabel(self._words(item, now))
            text.setWordWrap(True)
            self.grid.addWidget(text, row, 0)
            self._shown.append(text)
            for column, button in enumerate(self._buttons(item, now), start=1):
                self.grid.addWidget(button, row, column)
                self.buttons.append(button)
                self._shown.append(button)

    def _words(self, item: DueItem, now: datetime) -> str:
        if item.kind == "reflection":
            from tracker.domain.between import PROMPT_QUESTIONS

            assert item.prompt is not None
            return f"{reflect_title(item.session_at, now)}: {PROMPT_QUESTIONS[item.prompt]}"
        if item.kind == "planned_session" and item.at is not None:
            return f"Planned session {short_day(item.at.date(), now.date())}, {item.at:%H:%M}"
        return reminders.due_words(item, now.date())

    def _buttons(self, item: DueItem, now: datetime) -> list[QPushButton]:
        def button(text: str, name: str, action: Callable[[], None]) -> QPushButton:
            made = QPushButton(text)
            made.setAccessibleName(name)
            made.clicked.connect(lambda _checked=False: action())
            return made

        if item.kind == "questionnaire":
            what = item.what or ""
            return [
                button(
                    f"Take {what}…",
                    f"Take the {what} questionnaire",
                    lambda: self.questionnaireRequested.emit(what),
                )
            ]
        if item.kind == "reflection":
            title = reflect_title(item.session_at, now)
            return [
                button("Reflect…", title, lambda: self.reflectionRequested.emit(item)),
                button(
                    "Not now",
                    f"Dismiss this prompt: {title}",
                    lambda: self.promptDismissed.emit(item),
                ),
            ]
        if item.kind == "followup":
            return [button("Answer…", "Answer the follow-up check", self.followupRequested.emit)]
        return []


__all__ = ["DueCard"]
