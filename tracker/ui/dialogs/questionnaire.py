"""The GAD-7 / PHQ-9 questionnaire, built from the instrument data (resources/instruments).

Stem and items verbatim, four answers each as radio buttons; Tab moves between items,
arrow keys and Space choose, and the keys 0–3 answer the focused item and move on. It will
not save until every item is answered, then shows the total and band in neutral words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import Assessment
from tracker.domain.instruments import Instrument, instrument
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.dialogs.safety import NOT_MONITORED, SafetyMessage, resources_html
from tracker.ui.widgets.form_rows import buddy
from tracker.ui.widgets.layout import muted_label, title_label
from tracker.ui.widgets.time_field import TimeField
from tracker.wording import safety_answers, score_text


class Question(QFrame):
    """One item: its words and one radio button per answer; keys 0–3 answer it."""

    answered = Signal(int, int)  # item index, answer value
    advance = Signal(int)  # item index whose answer was typed: move on

    def __init__(
        self,
        index: int,
        heading: str,
        options: tuple[str, ...],
        accessible_prefix: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.index = index
        self.setObjectName("questionItem")
        self.text = QLabel(heading)
        self.text.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QRadioButton] = []
        answers = QGridLayout()
        answers.setContentsMargins(18, 0, 0, 0)
        answers.setHorizontalSpacing(12)
        for value, option in enumerate(options):
            button = QRadioButton(option)
            # The question goes with every answer: a screen reader moving between answers
            # (or landing on one) says what is being answered, not just "Item 1".
            button.setAccessibleName(f"{accessible_prefix}: {option}")
            button.setAccessibleDescription(f"answer {value} of {len(options) - 1}")
            # As wide as its words, so a click anywhere on the button chooses it.
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            self.group.addButton(button, value)
            self.buttons.append(button)
            answers.addWidget(button, 0, value, Qt.AlignmentFlag.AlignLeft)
            answers.setColumnStretch(value, 1)
        self.group.idClicked.connect(lambda value: self.answered.emit(self.index, value))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 10, 2, 12)
        layout.setSpacing(8)
        layout.addWidget(self.text)
        layout.addLayout(answers)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def set_value(self, value: int | None) -> None:
        if value is None:
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.buttons[value].setChecked(True)

    def focus_target(self) -> QRadioButton:
        value = self.value()
        return self.buttons[0 if value is None else value]

    def choose(self, value: int) -> None:
        """Answer as if clicked (keyboard shortcut), keeping the keyboard focus with it."""
        self.buttons[value].setChecked(True)
        self.buttons[value].setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.answered.emit(self.index, value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        digit = event.key() - Qt.Key.Key_0
        if (
            0 <= digit < len(self.buttons)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.choose(digit)
            self.advance.emit(self.index)
            return
        super().keyPressEvent(event)


class QuestionnaireDialog(EntryDialog):
    """Take (or edit) a GAD-7 or PHQ-9; the total is always computed from the answers."""

    FORM = "questionnaire"

    questions: list[Question]
    difficulty: Question
    time: TimeField
    safety_notice: QFrame
    items_area: QScrollArea

    def __init__(
        self,
        editor: Editor,
        instrument_id: str,
        entry: Assessment | None = None,
        parent: QWidget | None = None,
    ):
        self.instrument: Instrument = instrument(instrument_id)
        verb = "Edit" if entry else "Take"
        super().__init__(editor, f"{verb} {instrument_id}", parent)
        self.entry = entry
        self.safety: SafetyMessage | None = None
        self._safety_seen: dict[int, int] = {}
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._form_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        if entry is not None:
            for question, value in zip(self.questions, entry.answers, strict=True):
                question.set_value(value)
            self.difficulty.set_value(entry.difficulty)
            self.time.set_value(entry.at)
            self._safety_seen = {
                n - 1: v
                for n, v in enumerate(entry.answers, 1)
                if n in self.instrument.safety_items
            }
            self.safety_notice.setVisible(any(self._safety_seen.values()))
        self._update_progress()
        self.resize(820, 720)
        self.questions[0].focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building -----------------------------------------------------------------------

    def draft_extras(self) -> dict[str, Any]:
        return {"instrument": self.instrument.id}

    def _form_page(self) -> QWidget:
        definition = self.instrument
        page = QWidget()
        title = title_label(definition.id, "pageTitle")
        subtitle = muted_label(definition.name)
        stem = QLabel(definition.stem)
        stem.setObjectName("cardTitle")
        stem.setWordWrap(True)

        items = QWidget()
        items_layout = QVBoxLayout(items)
        items_layout.setContentsMargins(0, 0, 12, 0)
        items_layout.setSpacing(0)
        options = tuple(o.label for o in definition.options)
        self.questions: list[Question] = []
        for index, item in enumerate(definition.items):
            question = Question(
                index, f"{item.number}. {item.text}", options, f"{item.number}. {item.text}"
            )
            question.answered.connect(self._answered)
            question.advance.connect(self._advance)
            question.text.setAccessibleName(item.text)
            items_layout.addWidget(question)
            self.questions.append(question)
        self.difficulty = Question(
            len(definition.items),
            f"{definition.difficulty_text} (optional, not scored)",
            definition.difficulty_options,
            definition.difficulty_text,
        )
        self.difficulty.advance.connect(lambda _i: self.time.setFocus())
        self.difficulty.answered.connect(lambda *_: self._update_progress())
        items_layout.addWidget(self.difficulty)
        items_layout.addStretch(1)
        self.items_area = QScrollArea()
        self.items_area.setObjectName("page")
        self.items_area.setWidgetResizable(True)
        self.items_area.setFrameShape(QFrame.Shape.NoFrame)
        self.items_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.items_area.setWidget(items)

        self.safety_notice = QFrame()
        self.safety_notice.setObjectName("notice")
        notice_layout = QVBoxLayout(self.safety_notice)
        notice_layout.setContentsMargins(14, 10, 14, 10)
        notice_text = QLabel(f"{resources_html()}<br><br>{NOT_MONITORED}")
        notice_text.setWordWrap(True)
        notice_layout.addWidget(notice_text)
        self.safety_notice.hide()

        self.time = TimeField("When the questionnaire was taken")
        self.progress = muted_label()
        hint = muted_label(
            "Keyboard: Tab goes to the next item; arrow keys and Space, or the keys 0–3, "
            "choose an answer."
        )
        time_row = QHBoxLayout()
        time_row.addWidget(buddy("&Taken", self.time))
        time_row.addWidget(self.time, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.progress)
        footer.addStretch(1)
        footer.addWidget(self.buttons)
        self.save_button.setText("Save")

        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addWidget(stem)
        layout.addWidget(self.items_area, 1)
        layout.addWidget(self.safety_notice)
        layout.addLayout(time_row)
        layout.addWidget(hint)
        layout.addWidget(self.general_error)
        layout.addLayout(footer)
        self.errors.add("at", self.general_error, self.time.edit)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_title = title_label("Saved", "pageTitle")
        self.result_text = QLabel()
        self.result_text.setObjectName("resultText")
        self.result_text.setWordWrap(True)
        self.result_detail = muted_label()
        self.result_detail.setWordWrap(True)
        self.result_safety = QFrame()
        self.result_safety.setObjectName("notice")
        safety_layout = QVBoxLayout(self.result_safety)
        safety_layout.setContentsMargins(14, 10, 14, 10)
        self.result_safety_text = QLabel()
        self.result_safety_text.setWordWrap(True)
        safety_layout.addWidget(self.result_safety_text)
        self.done_button = QPushButton("Done")
        self.done_button.setAccessibleName("Done")
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self._finish)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(32, 32, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_text)
        layout.addWidget(self.result_detail)
        layout.addWidget(self.result_safety)
        layout.addStretch(1)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    # -- answering ----------------------------------------------------------------------

    def answers(self) -> list[int | None]:
        return [q.value() for q in self.questions]

    def _answered(self, index: int, value: int) -> None:
        self._update_progress()
        if index + 1 in self.instrument.safety_items:
            # Shown at once, before anything else; the answer stays as given.
            self.safety_notice.setVisible(value > 0)
            previous = self._safety_seen.get(index, 0)
            self._safety_seen[index] = value
            if value > 0 and value != previous:
                self._show_safety(index, value)

    def _show_safety(self, index: int, value: int) -> None:
        item = self.instrument.items[index]
        self.safety = SafetyMessage(item.text, self.instrument.option_label(value), self)
        self.safety.acknowledged.connect(self._after_safety)
        self.safety.open()

    def _after_safety(self) -> None:
        self.safety_notice.show()
        question = (
            next((q for q in self.questions if q.value() is None), None) or self.questions[-1]
        )
        question.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _advance(self, index: int) -> None:
        if self.safety is not None and self.safety.isVisible():
            return
        target = [*self.questions[index + 1 :], self.difficulty][0]
        target.focus_target().setFocus(Qt.FocusReason.TabFocusReason)
        self.items_area.ensureWidgetVisible(target)

    def _update_progress(self) -> None:
        done = sum(v is not None for v in self.answers())
        self.progress.setText(f"{done} of {len(self.questions)} answered")
        if done == len(self.questions):
            self.general_error.show_message("")

    # -- saving -------------------------------------------------------------------------

    def save(self) -> bool:
        self.errors.clear()
        answers = self.answers()
        missing = [i for i, value in enumerate(answers) if value is None]
        if missing:
            numbers = [str(self.instrument.items[i].number) for i in missing]
            listed = (
                numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
            )
            noun = "Item" if len(numbers) == 1 else "Items"
            verb = "is" if len(numbers) == 1 else "are"
            self.general_error.show_message(
                f"Please answer every item to save. {noun} {listed} {verb} not answered yet."
            )
            target = self.questions[missing[0]]
            target.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
            self.items_area.ensureWidgetVisible(target)
            return False
        assessment = Assessment(
            self.instrument.id,
            self.time.value(),
            tuple(v for v in answers if v is not None),
            difficulty=self.difficulty.value(),
        )
        problems = assessment.problems()
        if problems:
            self.errors.show(problems)
            return False
        entry = self.entry
        if entry is None:
            stored = self.store(lambda: self.editor.add([assessment]))
        else:
            stored = self.store(lambda: [self.editor.update(entry, assessment)])
        if stored:
            self._show_result(assessment)
        return stored

    def accept(self) -> None:
        # Saving moves to the result page; the dialog closes from its Done button.
        self.save()

    def _show_result(self, assessment: Assessment) -> None:
        self.result_text.setText(score_text(assessment))
        self.result_detail.setText(
            f"The total is the sum of the {len(assessment.answers)} item answers "
            f"(0–{self.instrument.max_total}). It is in your journal now; "
            "Ctrl+Z undoes it."
        )
        flagged = safety_answers(assessment)
        if flagged:
            answered = "; ".join(f"item {n}: “{a}”" for n, a in flagged)
            self.result_safety_text.setText(
                f"You answered {answered}.<br><br>{resources_html()}<br><br>{NOT_MONITORED}"
            )
        self.result_safety.setVisible(bool(flagged))
        self.pages.setCurrentIndex(1)
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _finish(self) -> None:
        self.done(QuestionnaireDialog.DialogCode.Accepted)

    def result_words(self) -> str:
        return self.result_text.text()
