"""What the window remembers between runs that is not part of the journal: its size and
place on screen, the Charts range. Kept with QSettings in the user's own settings file
(an INI file: ~/.config/Onset/Onset.ini on Linux), never in the journal, so a journal
moved to another computer carries none of it. Tests point QSettings at a temporary
folder (tests/conftest.py).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings

ORGANISATION = APPLICATION = "Onset"


def settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def recall_text(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return value if isinstance(value, str) else default


def recall_day(key: str) -> date | None:
    try:
        return date.fromisoformat(recall_text(key))
    except ValueError:  # missing, or a hand-edited file: forget it
        return None


def remember(key: str, value: str) -> None:
    """Only text is kept: PySide stores any other Python value pickled, and reading it
    back would load pickle on the way to the first window."""
    settings().setValue(key, value)
