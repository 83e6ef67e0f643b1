"""Small building blocks shared by the forms: the 0–10 scale, the time field, inline
errors, number fields and cards. Each is one focus stop with an accessible name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QRectF, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette, QPen, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.errors import Problem
from tracker.ui.style import mix

if TYPE_CHECKING:
    # Only named in annotations: Qt makes these types when the first such event arrives.
    from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPaintEvent

SCALE_MAX = 10
# After typing "1", a "0" within this many milliseconds means 10.
TEN_KEY_MS = 900


def now_minute() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class _ScaleBar(QWidget):
    """Eleven numbered segments 0–10 painted in palette colours; keys and mouse choose."""

    valueChanged = Signal(object)

    def __init__(self, optional: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self._value: int | None = None
        self._hover: int | None = None
        self._optional = optional
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._typed = QTimer(self)
        self._typed.setSingleShot(True)
        self._typed.setInterval(TEN_KEY_MS)

    def value(self) -> int | None:
        return self._value

    def setValue(self, value: int | None) -> None:
        if value is not None:
            value = max(0, min(SCALE_MAX, int(value)))
        if value == self._value:
            return
        self._value = value
        self.update()
        self.valueChanged.emit(value)

    def _segment_width(self) -> int:
        return max(26, self.fontMetrics().horizontalAdvance("10") + 14)

    def sizeHint(self) -> QSize:
        width = (SCALE_MAX + 1) * (self._segment_width() + 4) + 2
        return QSize(width, self.fontMetrics().height() + 20)

    def minimumSizeHint(self) -> QSize:
        return QSize((SCALE_MAX + 1) * 24, self.fontMetrics().height() + 20)

    def _rects(self) -> list[QRectF]:
        margin, gap = 3.0, 4.0
        count = SCALE_MAX + 1
        width = (self.width() - 2 * margin - gap * (count - 1)) / count
        height = self.height() - 2 * margin
        return [QRectF(margin + i * (width + gap), margin, width, height) for i in range(count)]

    def _index_at(self, x: float) -> int | None:
        for index, rect in enumerate(self._rects()):
            if rect.left() - 2 <= x <= rect.right() + 2:
                return index
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        chosen_text = palette.color(QPalette.ColorRole.HighlightedText)
        enabled = self.isEnabled()
        for index, rect in enumerate(self._rects()):
            fill = mix(base, text, 0.05)
            border = mix(text, base, 0.72)
            ink = text if enabled else mix(text, base, 0.5)
            if self._value is not None and index < self._value:
                fill = mix(highlight, base, 0.8)
                border = mix(highlight, base, 0.5)
            if index == self._value:
                fill, border, ink = highlight, highlight, chosen_text
            elif index == self._hover and enabled:
                border = highlight
            painter.setPen(QPen(border, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            painter.setPen(ink)
            font = painter.font()
            font.setBold(index == self._value)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index))
        if self.hasFocus():
            ring = QPen(highlight, 2)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            index = self._index_at(event.position().x())
            if index is not None:
                self.setValue(index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position().x())
        if event.buttons() & Qt.MouseButton.LeftButton and index is not None:
            self.setValue(index)
        if index != self._hover:
            self._hover = index
            self.update()

    def leaveEvent(self, event: object) -> None:
        self._hover = None
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self._value
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Plus):
            self.setValue(0 if current is None else current + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Minus):
            self.setValue(0 if current is None else current - 1)
        elif key == Qt.Key.Key_Home:
            self.setValue(0)
        elif key == Qt.Key.Key_End:
            self.setValue(SCALE_MAX)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._optional:
            self.setValue(None)
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            if digit == 0 and current == 1 and self._typed.isActive():
                self.setValue(10)
            else:
                self.setValue(digit)
            self._typed.start()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)


class ScaleInput(QWidget):
    """A 0–10 rating with the chosen number always shown beside it.

    `optional` scales start empty and can be cleared (Delete); a required one starts empty
    too, so nobody's rating is ever a default the app picked for them.
    """

    valueChanged = Signal(object)

    def __init__(
        self,
        name: str,
        *,
        optional: bool = True,
        low_text: str = "",
        high_text: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._name = name
        self.bar = _ScaleBar(optional, self)
        self.bar.setAccessibleName(name)
        self.readout = QLabel("", self)
        self.readout.setObjectName("bigNumber")
        self.readout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFocusProxy(self.bar)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(0, 1)
        grid.addWidget(self.bar, 0, 0)
        grid.addWidget(self.readout, 0, 1, 2, 1, Qt.AlignmentFlag.AlignTop)
        if low_text or high_text:
            captions = QHBoxLayout()
            captions.setContentsMargins(4, 0, 4, 0)
            captions.addWidget(muted_label(low_text))
            captions.addStretch(1)
            captions.addWidget(muted_label(high_text))
            grid.addLayout(captions, 1, 0)
        self.bar.valueChanged.connect(self._changed)
        self._changed(None)
        self.readout.ensurePolished()
        width = self.readout.fontMetrics().horizontalAdvance("10") + 16
        self.readout.setFixedSize(width, self.bar.sizeHint().height())

    def value(self) -> int | None:
        return self.bar.value()

    def setValue(self, value: int | None) -> None:
        self.bar.setValue(value)

    def _changed(self, value: int | None) -> None:
        self.readout.setText("" if value is None else str(value))
        words = "not chosen" if value is None else f"{value} of {SCALE_MAX}"
        self.readout.setToolTip(words)
        self.bar.setAccessibleDescription(f"{self._name}: {words}")
        self.valueChanged.emit(value)


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


class ErrorLabel(QLabel):
    """An inline message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("error", True)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class FieldErrors:
    """Maps each Problem.place of the domain rules to the message label beside its field."""

    def __init__(self, general: ErrorLabel):
        self._general = general
        self._fields: dict[str, tuple[ErrorLabel, QWidget]] = {}

    def add(self, place: str, label: ErrorLabel, widget: QWidget) -> None:
        self._fields[place] = (label, widget)

    def clear(self) -> None:
        self._general.show_message("")
        for label, _widget in self._fields.values():
            label.show_message("")

    def show(self, problems: Iterable[Problem]) -> None:
        """Show every problem beside its field and put the cursor in the first one."""
        messages: dict[int, tuple[ErrorLabel, list[str]]] = {}
        first: QWidget | None = None
        for problem in problems:
            place = re.split(r"[.\[]", problem.place, maxsplit=1)[0]
            if place in self._fields:
                label, widget = self._fields[place]
                text = sentence(problem.message)
                first = first or widget
            else:
                label = self._general
                text = sentence(str(problem) if problem.place else problem.message)
            messages.setdefault(id(label), (label, []))[1].append(text)
        for label, lines in messages.values():
            label.show_message("\n".join(dict.fromkeys(lines)))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def message(self, place: str) -> str:
        """The message shown for a field ("" for the form as a whole), for tests."""
        return (self._fields[place][0] if place else self._general).text()


_NUMBER = re.compile(r"^\s*\d+([.,]\d*)?\s*$")
_WHOLE = re.compile(r"^\s*\d+\s*$")


class NumberField(QLineEdit):
    """A short text field for a number; the journal's own rules decide what is plausible."""

    def __init__(
        self,
        name: str,
        *,
        whole: bool = True,
        placeholder: str = "",
        width_chars: int = 6,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.whole = whole
        self.setAccessibleName(name)
        self.setPlaceholderText(placeholder)
        pattern = r"\d{0,5}" if whole else r"\d{0,5}([.,]\d{0,3})?"
        self.setValidator(QRegularExpressionValidator(pattern, self))
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * width_chars + 24)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def read(self) -> tuple[float | int | None, str | None]:
        """(value, None), (None, None) when empty, or (None, why it is not a number)."""
        text = self.text().strip()
        if not text:
            return None, None
        if self.whole:
            if not _WHOLE.match(text):
                return None, "Enter a whole number"
            return int(text), None
        if not _NUMBER.match(text):
            return None, "Enter a number"
        return float(text.replace(",", ".")), None

    def set_number(self, value: float | None) -> None:
        if value is None:
            self.clear()
        elif self.whole or float(value).is_integer():
            self.setText(str(int(value)))
        else:
            self.setText(f"{value:g}")


def muted_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("muted", True)
    return label


def title_label(text: str, object_name: str = "cardTitle") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    return label


def card(title: str = "", parent: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A rounded panel on the page background, with an optional heading."""
    frame = QFrame(parent)
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(10)
    if title:
        layout.addWidget(title_label(title))
    return frame, layout


def scroll_page(content: QWidget) -> QScrollArea:
    """A page that scrolls when the window is small; not a focus stop itself."""
    area = QScrollArea()
    area.setObjectName("page")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)
    return area


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            child = item.layout()
            assert child is not None
            clear_layout(child)


def list_table(table: QTableView, name: str) -> QHeaderView:
    """Make a table a read-only list: whole rows, one at a time, quiet lines; return its header."""
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    return header


def ask_to_confirm(
    parent: QWidget,
    title: str,
    question: str,
    details: str,
    action: str,
    role: QMessageBox.ButtonRole,
    on_accept: Callable[[], None],
) -> QMessageBox:
    """Ask before something weighty, with Cancel as the default; opened, not blocking."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    box.setInformativeText(details)
    button = box.addButton(action, role)
    button.setAccessibleName(action)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    box.setDefaultButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    button.clicked.connect(on_accept)
    name_unnamed(box)
    box.open()
    return box


def name_unnamed(root: QWidget) -> None:
    """Give buttons and selectable labels their text as accessible name, and the inner
    parts of spin boxes and combo boxes their owner's name, so every focus stop is
    announced by name."""
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or widget.accessibleName():
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            widget.setAccessibleName(widget.text().replace("&", "").rstrip(" …."))
            continue
        if isinstance(widget, QLabel) and widget.text():
            # A selectable message text (message boxes): announced by what it says.
            from PySide6.QtGui import QTextDocument

            document = QTextDocument()
            document.setHtml(widget.text())
            widget.setAccessibleName(document.toPlainText()[:200])
            continue
        owner = widget.parentWidget()
        # inherits() asks Qt's own type information, so no Python class is made for a kind
        # of field the page does not have.
        while owner is not None and not (
            owner.inherits("QAbstractSpinBox") or owner.inherits("QComboBox")
        ):
            owner = owner.parentWidget()
        if owner is not None and owner.accessibleName():
            widget.setAccessibleName(owner.accessibleName())
