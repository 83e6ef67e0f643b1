"""The follow-up check: eight questions, each none / mild / moderate / severe.

Made to be answered in a few seconds: every row is a group of four choices that the
arrow keys move through, Tab goes to the next question, and "None to all" answers every
question still open with "none". Nothing is preselected: an answer is always chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.between import FOLLOWUP_KEYS, FOLLOWUP_QUESTIONS, LEVELS, FollowUp
from tracker.domain.errors import Problem
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.layout import muted_label, title_label

LEVEL_LABELS = {"none": "None", "mild": "Mild", "moderate": "Moderate", "severe": "Severe"}


class FollowUpDialog(EntryDialog):
    """A new follow-up check, or a stored one to edit."""

    FORM = "followup"

    def __init__(
        self,
        editor: Editor,
        entry: FollowUp | None = None,
        clock: Callable[[], datetime] = datetime.now,
        parent: QWidget | None = None,
    ):
        super().__init__(editor, "Edit follow-up check" if entry else "Follow-up check", parent)
        self.entry, self.clock = entry, clock
        heading = title_label("Since the last check, have you had…")
        intro = muted_label(
            "Asked every four weeks while sessions continue. Your answers are recorded as "
            "you give them, for you and your clinic to see."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        for column, level in enumerate(LEVELS, start=1):
            label = muted_label(LEVEL_LABELS[level])
            grid.addWidget(label, 0, column, Qt.AlignmentFlag.AlignCenter)
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons_by_question: dict[str, dict[str, QRadioButton]] = {}
        for row, key in enumerate(FOLLOWUP_KEYS, start=1):
            question = QLabel(FOLLOWUP_QUESTIONS[key])
            grid.addWidget(question, row, 0)
            group = QButtonGroup(self)
            group.setExclusive(True)
            self.groups[key] = group
            self.buttons_by_question[key] = {}
            for column, level in enumerate(LEVELS, start=1):
                button = QRadioButton()
                button.setAccessibleName(f"{FOLLOWUP_QUESTIONS[key]}: {LEVEL_LABELS[level]}")
                group.addButton(button, column - 1)
                self.buttons_by_question[key][level] = button
                grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignCenter)
        grid.setColumnStretch(0, 1)
        self.none_to_all = QPushButton("None to all the rest")
        self.none_to_all.setAccessibleName("Answer none to every question not yet answered")
        self.none_to_all.clicked.connect(self.answer_rest_none)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Note (optional)")
        self.answers_error = ErrorLabel()
        self.note_error = ErrorLabel()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.none_to_all, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.answers_error)
        layout.addWidget(self.note)
        layout.addWidget(self.note_error)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        first = self.buttons_by_question[FOLLOWUP_KEYS[0]]["none"]
        self.errors.add("answers", self.answers_error, first)
        self.errors.add("note", self.note_error, self.note)
        if entry is not None:
            for key, level in entry.by_question.items():
                self.choose(key, level)
            self.note.setText(entry.note or "")
        first.setFocus()
        self.resize(620, self.sizeHint().height())

    def choose(self, key: str, level: str) -> None:
        self.buttons_by_question[key][level].setChecked(True)

    def answer(self, key: str) -> str | None:
        checked = self.groups[key].checkedId()
        return None if checked < 0 else LEVELS[checked]

    def answer_rest_none(self) -> None:
        for key in FOLLOWUP_KEYS:
            if self.answer(key) is None:
                self.choose(key, "none")
        self.save_button.setFocus()

    def save(self) -> bool:
        self.errors.clear()
        answers = {key: self.answer(key) for key in FOLLOWUP_KEYS}
        open_questions = [FOLLOWUP_QUESTIONS[k].lower() for k, v in answers.items() if v is None]
        if open_questions:
            first = next(k for k, v in answers.items() if v is None)
            self.errors.show(
                [
                    Problem(
                        "answers",
                        "Still to answer (none is an answer): " + "; ".join(open_questions),
                    )
                ]
            )
            self.buttons_by_question[first]["none"].setFocus()
            return False
        chosen = {k: v for k, v in answers.items() if v is not None}
        note = self.note.text() or None
        before = self.entry
        if before is not None:
            changed = replace(FollowUp.from_answers(before.at, chosen, note), id=before.id)
            return self.store(lambda: [self.editor.update(before, changed)])
        made = FollowUp.from_answers(self.clock().replace(second=0, microsecond=0), chosen, note)
        return self.store(lambda: self.editor.add([made]))
