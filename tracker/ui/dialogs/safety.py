"""The item-9 safety message (clinical-reference.md, "Item 9 safety").

Shown at once when a safety item (PHQ-9 item 9) is answered above "Not at all", with no
network: crisis resources, and a reminder that nobody monitors the journal. It cannot be
dismissed by accident: no close button, Escape does nothing, Enter does nothing until the
person moves to the button; only "I have read this" closes it. The answer is never hidden
or changed. A "Not at all" answer shows nothing, and certainly nothing reassuring.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from tracker.ui.widgets.layout import muted_label, title_label

HEADING = "If you are having thoughts of death or of hurting yourself"
OPENING = (
    "Please reach out to someone now. You do not have to wait for your next appointment, "
    "and you do not have to manage this alone."
)
RESOURCES = (
    ("In the US", "call or text <b>988</b>, the Suicide &amp; Crisis Lifeline, any time."),
    ("Elsewhere", "call your <b>local emergency number</b>."),
    ("In danger right now", "call your local emergency number."),
)
NOT_MONITORED = (
    "This journal is not monitored by anyone. Nobody is told about your answers, so "
    "please tell someone you trust, or your treatment team."
)
ACKNOWLEDGE = "I have read this"


def resources_html() -> str:
    return "<br>".join(f"<b>{place}:</b> {what}" for place, what in RESOURCES)


def plain(html: str) -> str:
    return html.replace("<br>", "\n").replace("<b>", "").replace("</b>", "").replace("&amp;", "&")


class SafetyMessage(QDialog):
    """The calm, hard-to-dismiss-by-accident message with crisis resources."""

    acknowledged = Signal()

    def __init__(self, item_text: str, answer: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._read = False
        self.setWindowTitle("About your answer")
        # A title bar without a close button: only the explicit button closes it.
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
        )
        self.setModal(True)

        heading = title_label(HEADING)
        heading.setWordWrap(True)
        opening = QLabel(OPENING)
        opening.setWordWrap(True)

        box = QFrame()
        box.setObjectName("notice")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(16, 12, 16, 12)
        self.resources = QLabel(resources_html())
        self.resources.setWordWrap(True)
        self.resources.setTextFormat(Qt.TextFormat.RichText)
        box_layout.addWidget(self.resources)

        self.not_monitored = QLabel(NOT_MONITORED)
        self.not_monitored.setWordWrap(True)
        self.answer = muted_label(
            f"Your answer to “{escape(item_text)}”: <b>{escape(answer)}</b>. "
            "It stays in your journal as you gave it."
        )
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.answer.setWordWrap(True)

        # The message itself takes the focus first, so a key press meant for the
        # questionnaire cannot close it; a screen reader reads it whole.
        self.message = QWidget()
        self.message.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.message.setAccessibleName("Safety message")
        self.message.setAccessibleDescription(
            " ".join([HEADING + ".", OPENING, plain(resources_html()), NOT_MONITORED])
        )
        inner = QVBoxLayout(self.message)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        for widget in (heading, opening, box, self.not_monitored, self.answer):
            inner.addWidget(widget)

        self.read_button = QPushButton(ACKNOWLEDGE)
        self.read_button.setAccessibleName(ACKNOWLEDGE)
        self.read_button.setAutoDefault(False)
        self.read_button.setDefault(False)
        self.read_button.clicked.connect(self._acknowledge)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(18)
        layout.addWidget(self.message)
        layout.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(520)
        self.message.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.message.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        """Everything the message says, as plain text (for tests and copying)."""
        return "\n".join(
            [HEADING, OPENING, plain(resources_html()), NOT_MONITORED, plain(self.answer.text())]
        )

    def _acknowledge(self) -> None:
        self._read = True
        self.acknowledged.emit()
        self.accept()

    def reject(self) -> None:
        # Escape and the window manager's close both end up here: ignored until read.
        if self._read:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.read_button.hasFocus():
            # The button is not a default button (so Enter elsewhere cannot close the
            # message), and such a button ignores Enter: press it here, on purpose.
            event.accept()
            self.read_button.click()
            return
        if enter or event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._read:
            super().closeEvent(event)
        else:
            event.ignore()
