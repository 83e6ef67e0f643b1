"""The lock: after some idle minutes, or on Ctrl+L, an encrypted journal's window hides
every entry, chart and dialog behind a passphrase prompt.

Nothing is closed or thrown away: pages and open forms stay in memory as they were, with
whatever was typed in them, and come back after the passphrase.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QVBoxLayout, QWidget

from tracker.journal import Journal
from tracker.storage import crypto
from tracker.ui.dialogs.passphrase import PassphrasePrompt
from tracker.ui.widgets.layout import muted_label, title_label

SETTING = "lock_after_minutes"
DEFAULT_MINUTES = 5  # when the journal is encrypted; 0 in the setting means never
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def is_encrypted(journal: Journal) -> bool:
    return crypto.is_encrypted_connection(journal.connection)


def lock_minutes(journal: Journal) -> int:
    """Idle minutes before the lock; 0 for never (and always 0 for a plain journal)."""
    if not is_encrypted(journal):
        return 0
    try:
        return max(0, min(int(journal.setting(SETTING) or DEFAULT_MINUTES), 24 * 60))
    except ValueError:
        return DEFAULT_MINUTES


class LockScreen(QWidget):
    """What a locked window shows: no health data, only the prompt."""

    def __init__(self, journal: Journal, unlocked: Callable[[], None]):
        super().__init__()
        self.setObjectName("lockScreen")
        path = journal.path
        self.prompt = PassphrasePrompt(
            lambda typed: crypto.opens_with(path, typed),
            f"Type the passphrase of “{path.name}” to go on.",
            "Unlock",
        )
        self.prompt.accepted.append(lambda _typed: unlocked())
        card = QFrame()
        card.setObjectName("card")
        # A fixed width lets the wrapped lines take their full height.
        card.setFixedWidth(440)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(title_label("Onset is locked", "pageTitle"))
        hint = muted_label("Your entries are hidden. Anything you were typing is kept.")
        hint.setWordWrap(True)
        inner.addWidget(hint)
        inner.setSpacing(10)
        inner.addWidget(self.prompt)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)


class IdleLock(QObject):
    """Locks the window after its journal's idle minutes without a key or mouse event."""

    def __init__(self, journal: Journal, lock: Callable[[], object], parent: QObject):
        super().__init__(parent)
        self._journal = journal
        self._lock = lock
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.rearm()

    def rearm(self) -> None:
        minutes = lock_minutes(self._journal)
        if minutes:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def pause(self) -> None:
        self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()  # the same interval again
        return False
