"""The date-and-time field every entry form uses, with a 'now' button."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QWidget,
)


def now_minute() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


class TimeEdit(QDateTimeEdit):
    """A date-and-time field that Tab leaves at once (arrow keys move between its parts)."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(name)
        self.lineEdit().setAccessibleName(name)

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class TimeField(QWidget):
    """When an entry happened: now by default (kept current while untouched), changeable."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = TimeEdit(name, self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy   HH:mm")
        self.edit.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.now_button = QToolButton(self)
        self.now_button.setText("Now")
        self.now_button.setAccessibleName(f"{name}: set to now")
        self.now_button.setToolTip("Set the time to now")
        self.setFocusProxy(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.edit)
        layout.addWidget(self.now_button)
        layout.addStretch(1)
        self._follows_now = True
        self._setting = False
        self._tick = QTimer(self)
        self._tick.setInterval(20_000)
        self._tick.timeout.connect(self._refresh)
        self._tick.start()
        self.edit.dateTimeChanged.connect(self._edited)
        self.now_button.clicked.connect(self.reset_to_now)
        self._refresh()

    def _show(self, at: datetime) -> None:
        self._setting = True
        try:
            day, clock = QDate(at.year, at.month, at.day), QTime(at.hour, at.minute, at.second)
            self.edit.setDateTime(QDateTime(day, clock))
        finally:
            self._setting = False

    def _refresh(self) -> None:
        if self._follows_now:
            self._show(now_minute())

    def _edited(self) -> None:
        if not self._setting:
            self._follows_now = False

    def updating(self) -> bool:
        """True while the field itself sets the shown time (following the clock)."""
        return self._setting

    def follows_now(self) -> bool:
        return self._follows_now

    def value(self) -> datetime:
        if self._follows_now:
            return now_minute()
        value = self.edit.dateTime().toPython()
        assert isinstance(value, datetime)
        return value.replace(second=0, microsecond=0)

    def set_value(self, at: datetime) -> None:
        self._follows_now = False
        self._show(at.replace(tzinfo=None))

    def reset_to_now(self) -> None:
        self._follows_now = True
        self._refresh()
