"""The 0–10 scale, the app's main input: one focus stop, keys 0–9 and arrows.

The painted bar is a real QAbstractSlider underneath, so assistive technology finds an
adjustable element (role Slider) with a value it can read and set; its name says the
rating in words ("Anxiety right now, 7 of 10", or "not chosen" before there is one,
since a slider always holds some number).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSlider,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from tracker.ui.style import mix
from tracker.ui.widgets.layout import muted_label

if TYPE_CHECKING:
    # Only named in annotations: Qt makes these types when the first such event arrives.
    from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPaintEvent, QWheelEvent


SCALE_MAX = 10
# After typing "1", a "0" within this many milliseconds means 10.
TEN_KEY_MS = 900


class ScaleBar(QAbstractSlider):
    """Eleven numbered segments 0–10 painted in palette colours; keys and mouse choose.

    `rating()` is None until something is chosen; the slider's own value (what assistive
    technology reads) is then 0 and the accessible name says "not chosen". A value set
    through the slider (a screen reader's "set value") chooses that rating.
    """

    ratingChanged = Signal(object)

    def __init__(self, optional: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(0, SCALE_MAX)
        self.setSingleStep(1)
        self.setPageStep(1)
        self._value: int | None = None
        self._syncing = False
        self.valueChanged.connect(self._slider_moved)
        self._hover: int | None = None
        self._optional = optional
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._typed = QTimer(self)
        self._typed.setSingleShot(True)
        self._typed.setInterval(TEN_KEY_MS)

    def rating(self) -> int | None:
        return self._value

    def set_rating(self, value: int | None) -> None:
        if value is not None:
            value = max(0, min(SCALE_MAX, int(value)))
        if value == self._value:
            return
        self._value = value
        self._syncing = True
        try:
            self.setValue(0 if value is None else value)
        finally:
            self._syncing = False
        self.update()
        self.ratingChanged.emit(value)

    def _slider_moved(self, value: int) -> None:
        if not self._syncing:
            self.set_rating(value)

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # scrolling the form over a scale must not change a rating

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
                self.set_rating(index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position().x())
        if event.buttons() & Qt.MouseButton.LeftButton and index is not None:
            self.set_rating(index)
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
            self.set_rating(0 if current is None else current + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Minus):
            self.set_rating(0 if current is None else current - 1)
        elif key == Qt.Key.Key_Home:
            self.set_rating(0)
        elif key == Qt.Key.Key_End:
            self.set_rating(SCALE_MAX)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._optional:
            self.set_rating(None)
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            if digit == 0 and current == 1 and self._typed.isActive():
                self.set_rating(10)
            else:
                self.set_rating(digit)
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
        self.bar = ScaleBar(optional, self)
        self.bar.setAccessibleName(name)
        self._range_words = ", ".join(t.replace("  ", " ") for t in (low_text, high_text) if t)
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
        self.bar.ratingChanged.connect(self._changed)
        self._changed(None)
        self.fit_readout()

    def fit_readout(self) -> None:
        """Room for "10" in the readout's font; measured again when a style sheet put on
        after this was made changes that font (the first window is styled once built)."""
        self.readout.ensurePolished()
        width = self.readout.fontMetrics().horizontalAdvance("10") + 16
        self.readout.setFixedSize(width, self.bar.sizeHint().height())

    @property
    def field_name(self) -> str:
        """What the scale is called, without the value its accessible name also says."""
        return self._name

    def value(self) -> int | None:
        return self.bar.rating()

    def setValue(self, value: int | None) -> None:
        self.bar.set_rating(value)

    def _changed(self, value: int | None) -> None:
        self.readout.setText("" if value is None else str(value))
        words = f"not chosen, 0 to {SCALE_MAX}" if value is None else f"{value} of {SCALE_MAX}"
        self.readout.setToolTip(words)
        self.bar.setAccessibleName(f"{self._name}, {words}")
        self.bar.setAccessibleDescription(
            f"{self._range_words}. Arrow keys or a digit choose" if self._range_words else ""
        )
        self.valueChanged.emit(value)
