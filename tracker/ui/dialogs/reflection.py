"""Writing a reflection: free text, about a session and one of its prompts when there is one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from tracker.domain.between import PROMPT_QUESTIONS, Reflection
from tracker.domain.entries import MAX_NOTE
from tracker.domain.errors import Problem
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.layout import muted_label, title_label
from tracker.wording import reflect_title, when


class ReflectionDialog(EntryDialog):
    """A new reflection (about a session and prompt, or neither), or one to edit."""

    FORM = "reflection"

    def __init__(
        self,
        editor: Editor,
        *,
        session_at: datetime | None = None,
        prompt: str | None = None,
        entry: Reflection | None = None,
        clock: Callable[[], datetime] = datetime.now,
        parent: QWidget | None = None,
    ):
        if entry is not None:
            session_at, prompt = entry.session_at, entry.prompt
        now = clock()
        title = reflect_title(session_at, now)
        super().__init__(editor, "Edit reflection" if entry else title, parent)
        self.entry, self.session_at, self.prompt, self.clock = entry, session_at, prompt, clock

        self.heading = title_label(title)
        self.question = QLabel(PROMPT_QUESTIONS[prompt] if prompt else "")
        self.question.setWordWrap(True)
        self.question.setVisible(prompt is not None)
        about = f"The session of {when(session_at, now.date())}" if session_at else ""
        self.about = muted_label(about)
        self.about.setVisible(bool(about))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Reflection")
        self.text.setPlaceholderText("Write as much or as little as you like.")
        self.text.setTabChangesFocus(True)
        if entry is not None:
            self.text.setPlainText(entry.text)
        self.privacy = muted_label(
            "A private note: it stays out of the appointment summary unless you include notes."
        )
        self.privacy.setWordWrap(True)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        self.text_error = ErrorLabel()
        for widget in (self.heading, self.about, self.question, self.text, self.text_error):
            layout.addWidget(widget)
        layout.addWidget(self.privacy)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.errors.add("text", self.text_error, self.text)
        self.resize(560, 420)
        self.text.setFocus()

    def draft_extras(self) -> dict[str, Any]:
        at = self.session_at.isoformat() if self.session_at is not None else None
        return {"session_at": at, "prompt": self.prompt}

    def save(self) -> bool:
        self.errors.clear()
        words = self.text.toPlainText()
        if not words.strip():
            self.errors.show([Problem("text", "Write something first, or press Cancel.")])
            return False
        if len(words) > MAX_NOTE:
            self.errors.show([Problem("text", f"is longer than {MAX_NOTE} characters")])
            return False
        before = self.entry
        if before is not None:
            changed = replace(before, text=words)
            return self.store(lambda: [self.editor.update(before, changed)])
        made = Reflection(
            at=self.clock().replace(second=0, microsecond=0),
            text=words,
            session_at=self.session_at,
            prompt=self.prompt,
        )
        return self.store(lambda: self.editor.add([made]))
