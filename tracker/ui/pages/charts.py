"""The Charts page: symptoms over time, relief after sessions, questionnaires item by item.

Importing this module is what pulls in matplotlib; the main window imports it lazily,
the first time the Charts page is shown. The numbers come from tracker.charts.data and
tracker.domain.onset, the words from tracker.charts.relief (the same as the PDF's); this
module only lays out, draws and answers the mouse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import Event, MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QDate, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from tracker.charts.data import (
    ItemsData,
    ItemSeries,
    TrajectoryData,
    describe_entry,
    describe_items,
    describe_trajectory,
    items_data,
    relief_rule_text,
    trajectory_data,
)
from tracker.charts.figures import (
    COMPACT_BELOW_IN,
    course_figure,
    item_label,
    items_figure,
    refit,
    side_effect_row,
    to_num,
    trajectory_figure,
)
from tracker.charts.relief import (
    RELIEF_HEADINGS,
    counts,
    describe_course,
    headline,
    session_hover,
    session_row,
)
from tracker.domain.entries import Entry
from tracker.domain.onset import ReliefAnalysis, SessionRelief
from tracker.domain.times import wall_clock
from tracker.formatting import date_time
from tracker.journal import ALL_KINDS, Journal, JournalChange
from tracker.ui import remembered
from tracker.ui.accessibility import name_unnamed
from tracker.ui.models.changes import changes_of
from tracker.ui.style import is_dark
from tracker.ui.widgets.layout import list_table, muted_label, title_label
from tracker.wording import class_names

# (button text, days back from today; None = everything; -1 = the custom dates)
RANGES: tuple[tuple[str, int | None], ...] = (
    ("30 days", 30),
    ("90 days", 90),
    ("1 year", 365),
    ("All", None),
    ("Custom", -1),
)
DEFAULT_RANGE = "90 days"
# Where the chosen range is remembered between runs (tracker.ui.remembered).
RANGE_KEY, START_KEY, END_KEY = "charts/range", "charts/custom_start", "charts/custom_end"
# The relief table's last column: the classes of other medicines before each session.
MEDICINES_HEADING = "Other medicines, 24 h before"
# Medicines and plans change the marks on the session row.
ENTRY_KINDS = frozenset(ALL_KINDS)
# How close (in screen pixels) the pointer must be to a point or a session line.
POINT_RADIUS_PX = 7.0
LINE_RADIUS_PX = 4.0
SAVE_FILTERS = "PNG image (*.png);;SVG image (*.svg)"


@dataclass
class _Targets:
    """Points of one axes that the pointer can find; `hit_at(i)` names the i-th point's
    entry (only when pointed at, so a long journal costs nothing until then)."""

    x: np.ndarray
    y: np.ndarray
    hit_at: Callable[[int], Hit]


def _entry_targets(
    x: np.ndarray, y: Sequence[float] | np.ndarray, entries: Sequence[Entry], kind: str
) -> _Targets:
    return _Targets(x, np.asarray(y, dtype=float), lambda i: _hit(kind, entries[i]))


@dataclass
class Hit:
    kind: str
    entry_id: int
    text: str


class ChartCanvas(FigureCanvasQTAgg):
    """A matplotlib canvas that finds the entry under the pointer and says what it is."""

    def __init__(self, figure: Figure, name: str, parent: QWidget | None = None):
        super().__init__(figure)
        self.setParent(parent)
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(420, 300))
        self.targets: dict[Axes, list[_Targets]] = {}
        self.line_targets: dict[Axes, _Targets] = {}
        self.hovered: Hit | None = None
        self.on_activate: Callable[[Hit], None] | None = None
        self.on_resized: Callable[[], None] | None = None
        self.mpl_connect("motion_notify_event", self._moved)
        self.mpl_connect("button_press_event", self._pressed)
        self.mpl_connect("figure_leave_event", self._left)
        self.mpl_connect("resize_event", self._resized)

    def hit(self, x: float, y: float) -> Hit | None:
        """The entry nearest to display point (x, y), if one is close enough."""
        ratio = self.device_pixel_ratio or 1.0
        for ax in self.figure.axes:
            if not ax.bbox.contains(x, y):
                # Markers on the top edge (sessions by route) stand a little outside.
                grown = ax.bbox.padded(POINT_RADIUS_PX * ratio)
                if not grown.contains(x, y):
                    continue
            best: tuple[float, Hit] | None = None
            for group in self.targets.get(ax, []):
                if not len(group.x):
                    continue
                shown = ax.transData.transform(np.column_stack((group.x, group.y)))
                distance = np.hypot(shown[:, 0] - x, shown[:, 1] - y)
                index = int(np.argmin(distance))
                if distance[index] <= POINT_RADIUS_PX * ratio and (
                    best is None or distance[index] < best[0]
                ):
                    best = (float(distance[index]), group.hit_at(index))
            if best is not None:
                return best[1]
            lines = self.line_targets.get(ax)
            if lines is not None and len(lines.x) and ax.bbox.contains(x, y):
                shown_x = ax.transData.transform(np.column_stack((lines.x, lines.x * 0)))[:, 0]
                distance = np.abs(shown_x - x)
                index = int(np.argmin(distance))
                if distance[index] <= LINE_RADIUS_PX * ratio:
                    return lines.hit_at(index)
        return None

    def _moved(self, event: Event) -> None:
        assert isinstance(event, MouseEvent)
        found = self.hit(event.x, event.y)
        self.hovered = found
        if found is None:
            self.unsetCursor()
            QToolTip.hideText()
            return
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        QToolTip.showText(QCursor.pos(), found.text + "\nClick to open", self)

    def _pressed(self, event: Event) -> None:
        assert isinstance(event, MouseEvent)
        if event.button != 1:
            return
        found = self.hit(event.x, event.y)
        if found is not None and self.on_activate is not None:
            self.on_activate(found)

    def _left(self, _event: Event) -> None:
        self.hovered = None
        self.unsetCursor()

    def _resized(self, _event: Event) -> None:
        refit(self.figure)
        if self.on_resized is not None:
            self.on_resized()


def _hit(kind: str, entry: Entry) -> Hit:
    assert entry.id is not None
    return Hit(kind, entry.id, describe_entry(entry))


class WrappedText(QLabel):
    """A word-wrapped label that always asks its layout for the height of all its lines
    (inside tabs, Qt would otherwise give it one line and clip the rest)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        height = self.heightForWidth(max(self.width(), 1))
        if height > 0 and height != self.minimumHeight():
            self.setMinimumHeight(height)


def _summary_label(name: str) -> QLabel:
    """A text summary under a chart: what a screen reader reads instead of the picture."""
    label = WrappedText()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _set_summary(label: QLabel, canvas: QWidget, text: str) -> None:
    label.setText(text)
    label.setAccessibleDescription(text)
    canvas.setAccessibleDescription(text)


class ChartsView(QWidget):
    """Both charts with their range and save buttons, the onset table and the texts.

    Clicking a point or a session line emits `entry_activated(kind, entry_id)`; the main
    window opens that entry's edit dialog. The view redraws when the journal changes.
    """

    entry_activated = Signal(str, int)

    def __init__(self, journal: Journal, parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self.today: Callable[[], date] = date.today
        self.trajectory: TrajectoryData | None = None
        self.onset: ReliefAnalysis | None = None
        self.onset_classes: dict[int | None, tuple[str, ...]] = {}
        self.items: ItemsData | None = None
        self._dirty = {"trajectory": True, "onset": True, "items": True}
        # The canvas size each chart was last built for; a rebuild follows a big change.
        self._drawn_size: dict[str, QSize] = {}
        self._range_days: int | None = 90

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Charts")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._trajectory_page(), "Symptoms over time")
        self.tabs.addTab(self._onset_page(), "Relief after sessions")
        self.tabs.addTab(self._items_page(), "Item by item")
        self.tabs.setTabToolTip(0, "Questionnaire totals, daily anxiety, sessions, side effects")
        self.tabs.setTabToolTip(1, "How soon anxiety fell after each session, and until when")
        self.tabs.setTabToolTip(2, "Each questionnaire item's answer, over the same dates")
        self.tabs.tabBar().setAccessibleName("Choose a chart")
        self.tabs.currentChanged.connect(lambda _index: self._refresh_visible())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title_label("Charts", "pageTitle"))
        layout.addWidget(self.tabs, 1)

        # Journal changes arrive in bursts (an import); redraw once, when the loop is idle.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh_visible)
        # After a resize settles, rebuild so the legend's columns fit the new width.
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(250)
        self._resize_timer.timeout.connect(self._rebuild_after_resize)

        name_unnamed(self)
        changes_of(journal).changed.connect(self._journal_changed)

    # -- pages -------------------------------------------------------------------------------

    def _trajectory_page(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Symptoms over time")
        self.range_buttons: dict[str, QPushButton] = {}
        self.range_group = QButtonGroup(self)
        self.range_group.setExclusive(True)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        # The chosen range stands out as the palette's highlight, in light and dark alike.
        page.setStyleSheet(
            "QPushButton:checked { background: palette(highlight); "
            "color: palette(highlighted-text); border: 1px solid palette(highlight); "
            "border-radius: 4px; padding: 4px 10px; }"
        )
        shown_label = QLabel("Show")
        bar.addWidget(shown_label)
        for text, days in RANGES:
            button = QPushButton(text + ("…" if days == -1 else ""))
            button.setCheckable(True)
            button.setAccessibleName(
                "Show custom dates"
                if days == -1
                else f"Show {'all entries' if days is None else 'the last ' + text}"
            )
            button.setChecked(text == DEFAULT_RANGE)
            self.range_group.addButton(button)
            self.range_buttons[text] = button
            button.clicked.connect(lambda _checked=False, d=days: self._choose_range(d))
            bar.addWidget(button)
        self.custom_start = QDateEdit()
        self.custom_start.setAccessibleName("Charts from date")
        self.custom_end = QDateEdit()
        self.custom_end.setAccessibleName("Charts to date")
        self.custom_to = QLabel("to")
        today = QDate.currentDate()
        self.custom_start.setDate(today.addDays(-89))
        self.custom_end.setDate(today)
        for edit in (self.custom_start, self.custom_end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.dateChanged.connect(lambda _date: self._custom_changed())
        self._restore_range()
        bar.addWidget(self.custom_start)
        bar.addWidget(self.custom_to)
        bar.addWidget(self.custom_end)
        bar.addStretch(1)
        self.save_trajectory_button = QPushButton("Save image…")
        self.save_trajectory_button.setAccessibleName("Save the symptoms chart as an image")
        self.save_trajectory_button.clicked.connect(lambda: self._ask_save("trajectory"))
        bar.addWidget(self.save_trajectory_button)

        self.trajectory_canvas = ChartCanvas(Figure(dpi=100), "Symptoms over time chart", page)
        self.trajectory_canvas.on_activate = self._activate
        self.trajectory_canvas.on_resized = lambda: self._resize_timer.start()
        self.trajectory_text = _summary_label("Symptoms over time, in words")

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.trajectory_canvas, 1)
        layout.addWidget(self.trajectory_text)
        return page

    def _onset_page(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Relief after sessions")
        self.relief_headline = QLabel()
        self.relief_headline.setObjectName("reliefHeadline")
        self.relief_headline.setWordWrap(True)
        self.relief_headline.setStyleSheet("font-weight: 600; font-size: 11pt;")
        self.relief_headline.setAccessibleName("Relief after sessions, in one sentence")
        self.relief_headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_onset_button = QPushButton("Save image…")
        self.save_onset_button.setAccessibleName("Save the relief chart as an image")
        self.save_onset_button.clicked.connect(lambda: self._ask_save("onset"))
        bar = QHBoxLayout()
        bar.addWidget(self.relief_headline, 1)
        bar.addWidget(self.save_onset_button, 0, Qt.AlignmentFlag.AlignTop)
        self.onset_text = _summary_label("Relief after sessions, the counts")

        self.onset_canvas = ChartCanvas(Figure(dpi=100), "Relief course chart", page)
        self.onset_canvas.setMinimumSize(QSize(420, 220))
        self.onset_canvas.on_activate = self._activate
        self.onset_canvas.on_resized = lambda: self._resize_timer.start()

        headings = [*RELIEF_HEADINGS, MEDICINES_HEADING]
        self.onset_table = QTableWidget(0, len(headings))
        self.onset_table.setHorizontalHeaderLabels(headings)
        header = list_table(self.onset_table, "Relief after each session")
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headings) - 1, QHeaderView.ResizeMode.Stretch)
        self.onset_table.itemActivated.connect(self._table_activated)
        self.onset_table.setMinimumHeight(140)

        self.onset_rules = muted_label(relief_rule_text())
        self.onset_rules.setWordWrap(True)
        self.onset_rules.setAccessibleName("How relief is counted")
        self.onset_rules.setAccessibleDescription(relief_rule_text())

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.onset_text)
        layout.addWidget(self.onset_canvas, 3)
        layout.addWidget(self.onset_table, 2)
        layout.addWidget(self.onset_rules)
        return page

    def _items_page(self) -> QWidget:
        page = QWidget()
        page.setAccessibleName("Questionnaires item by item")
        self.save_items_button = QPushButton("Save image…")
        self.save_items_button.setAccessibleName("Save the item-by-item chart as an image")
        self.save_items_button.clicked.connect(lambda: self._ask_save("items"))
        note = muted_label("The dates chosen under Symptoms over time.")
        bar = QHBoxLayout()
        bar.addWidget(note, 1)
        bar.addWidget(self.save_items_button, 0, Qt.AlignmentFlag.AlignTop)
        self.items_canvas = ChartCanvas(Figure(dpi=100), "Questionnaire items chart", page)
        self.items_canvas.on_activate = self._activate
        self.items_canvas.on_resized = lambda: self._resize_timer.start()
        self.items_text = _summary_label("Questionnaire items, in words")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.items_canvas, 1)
        layout.addWidget(self.items_text)
        return page

    # -- range -------------------------------------------------------------------------------

    def _show_custom(self, shown: bool) -> None:
        for widget in (self.custom_start, self.custom_to, self.custom_end):
            widget.setVisible(shown)

    def _restore_range(self) -> None:
        """The range chosen last time (QSettings), else DEFAULT_RANGE."""
        chosen = remembered.recall_text(RANGE_KEY, DEFAULT_RANGE)
        if chosen not in self.range_buttons:
            chosen = DEFAULT_RANGE
        start, end = remembered.recall_day(START_KEY), remembered.recall_day(END_KEY)
        if chosen == "Custom" and start is not None and end is not None:
            for edit, day in ((self.custom_start, start), (self.custom_end, end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        elif chosen == "Custom":
            chosen = DEFAULT_RANGE
        self.range_buttons[chosen].setChecked(True)
        self._range_days = dict(RANGES)[chosen]
        self._show_custom(self._range_days == -1)

    def _remember_range(self) -> None:
        text = next(t for t, d in RANGES if d == self._range_days)
        remembered.remember(RANGE_KEY, text)
        if self._range_days == -1:
            start, end = self.chosen_range()
            assert start is not None and end is not None
            remembered.remember(START_KEY, start.isoformat())
            remembered.remember(END_KEY, end.isoformat())

    def _choose_range(self, days: int | None) -> None:
        self._range_days = days
        self._remember_range()
        self._show_custom(days == -1)
        self._mark_dirty("trajectory", "items")
        self._refresh_visible()

    def _custom_changed(self) -> None:
        if self._range_days == -1:
            self._remember_range()
            self._mark_dirty("trajectory", "items")
            self._refresh_visible()

    def set_custom_range(self, start: date, end: date) -> None:
        """Show the days `start`–`end` (inclusive), as the Custom button does."""
        for edit, day in ((self.custom_start, start), (self.custom_end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.range_buttons["Custom"].setChecked(True)
        self._choose_range(-1)

    def chosen_range(self) -> tuple[date | None, date | None]:
        """The days the trajectory shows: (None, None) is everything in the journal."""
        days = self._range_days
        if days is None:
            return None, None
        if days == -1:
            start = self.custom_start.date().toPython()
            end = self.custom_end.date().toPython()
            assert isinstance(start, date) and isinstance(end, date)
            return min(start, end), max(start, end)
        end = self.today()
        latest = self._latest_entry_day()
        if latest is not None and latest < end - timedelta(days=days - 1):
            # A journal that has gone quiet opens on its last days with entries, not on
            # an empty stretch; the text under the chart names the days shown.
            end = latest
        return end - timedelta(days=days - 1), end

    def _latest_entry_day(self) -> date | None:
        newest = self.journal.history_page(limit=1)
        return wall_clock(newest[0].at_value).date() if newest else None

    # -- drawing -----------------------------------------------------------------------------

    def _journal_changed(self, change: JournalChange) -> None:
        kinds = change.kinds
        if kinds & ENTRY_KINDS:
            self._mark_dirty("trajectory", "onset", "items")
        elif "settings" in kinds:
            # The journal's time zone decides real elapsed hours after each session.
            self._mark_dirty("onset")
        else:
            return
        self._refresh_timer.start()

    def _mark_dirty(self, *charts: str) -> None:
        for chart in charts:
            self._dirty[chart] = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_visible()

    def changeEvent(self, event: QEvent) -> None:
        """A new palette (the system switching light/dark) redraws both charts in it."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._mark_dirty("trajectory", "onset", "items")
            self._refresh_timer.start()

    def _dark(self) -> bool:
        return is_dark(self.palette())

    def _refresh_visible(self) -> None:
        """Redraw the chart on the current tab if anything it shows has changed."""
        if not self.isVisible():
            return
        chart = ("trajectory", "onset", "items")[self.tabs.currentIndex()]
        if self._dirty[chart]:
            self.redraw(chart)

    def redraw(self, chart: str) -> None:
        """Gather the chart's data again and draw it now."""
        self._dirty[chart] = False
        if chart == "trajectory":
            start, end = self.chosen_range()
            self.trajectory = trajectory_data(self.journal, start, end)
            self._draw_trajectory()
        elif chart == "onset":
            self.onset = self.journal.relief()
            sessions = self.journal.sessions()
            found = self.journal.medication_classes(sessions)
            self.onset_classes = {s.id: c for s, c in zip(sessions, found, strict=True)}
            self._draw_onset()
        else:
            start, end = self.chosen_range()
            self.items = items_data(trajectory_data(self.journal, start, end))
            self._draw_items()

    def _rebuild_after_resize(self) -> None:
        for chart, canvas in (
            ("trajectory", self.trajectory_canvas),
            ("onset", self.onset_canvas),
            ("items", self.items_canvas),
        ):
            drawn = self._drawn_size.get(chart)
            if drawn is None or not canvas.isVisible():
                continue
            now = canvas.size()
            if abs(drawn.width() - now.width()) > 40 or abs(drawn.height() - now.height()) > 40:
                if chart == "trajectory":
                    self._draw_trajectory()
                elif chart == "onset":
                    self._draw_onset()
                else:
                    self._draw_items()

    def _paint(self, canvas: ChartCanvas, figure: Figure) -> None:
        figure.set_facecolor(self.palette().color(QPalette.ColorRole.Window).name())
        # One coalesced draw on the next paint, whatever else asks for one meanwhile.
        canvas.draw_idle()

    @staticmethod
    def _settle(text: QLabel) -> None:
        """Lay the page out now that its summary text is known, so the canvas has its
        final size before the figure is built for it (one draw, not two)."""
        page = text.parentWidget()
        layout = page.layout() if page is not None else None
        if layout is not None:
            layout.activate()

    def _draw_trajectory(self) -> None:
        data = self.trajectory
        if data is None:
            return
        canvas = self.trajectory_canvas
        _set_summary(self.trajectory_text, canvas, describe_trajectory(data))
        self._settle(self.trajectory_text)
        figure = trajectory_figure(data, dark=self._dark(), into=canvas.figure)
        canvas.targets, canvas.line_targets = {}, {}
        for ax in figure.axes:
            label = ax.get_label()
            if label in data.series:
                one = data.series[label]
                canvas.targets[ax] = [
                    _entry_targets(to_num(one.times), one.totals, one.entries, "assessment")
                ]
            elif label == "anxiety":
                anxiety = data.anxiety
                canvas.targets[ax] = [
                    _entry_targets(
                        to_num(anxiety.times), anxiety.values, anxiety.entries, "checkin"
                    )
                ]
            elif label == "side_effects":
                compact = figure.get_size_inches()[1] < COMPACT_BELOW_IN
                rows = [side_effect_row(s, compact) for s in data.side_effect_severities]
                canvas.targets[ax] = [
                    _entry_targets(
                        to_num(data.side_effect_times), rows, data.side_effects, "side_effect"
                    )
                ]
            canvas.line_targets[ax] = _entry_targets(
                to_num(data.session_times), np.zeros(len(data.sessions)), data.sessions, "session"
            )
        if figure.axes and data.sessions:
            # The route markers along the top edge of the first panel.
            top = figure.axes[0]
            ys = top.transAxes.transform([(0, 1)])[0][1]
            y_data = top.transData.inverted().transform([(0, ys)])[0][1]
            canvas.targets.setdefault(top, []).append(
                _entry_targets(
                    to_num(data.session_times),
                    np.full(len(data.sessions), y_data),
                    data.sessions,
                    "session",
                )
            )
        self._paint(canvas, figure)
        self._drawn_size["trajectory"] = canvas.size()

    def _draw_onset(self) -> None:
        analysis = self.onset
        if analysis is None:
            return
        canvas = self.onset_canvas
        said = headline(analysis)
        self.relief_headline.setText(said)
        self.relief_headline.setAccessibleDescription(said)
        _set_summary(self.onset_text, canvas, counts(analysis))
        canvas.setAccessibleDescription(f"{said} {describe_course(analysis)}")
        self._fill_table(analysis)
        self._settle(self.onset_text)
        figure = course_figure(analysis, dark=self._dark(), into=canvas.figure)
        canvas.targets, canvas.line_targets = {}, {}
        shown = [
            s
            for s in analysis.per_session
            if s.session_id is not None
            and (s.relief_lost_after_days is not None or s.status in _CROSSED)
        ]
        if figure.axes and shown:
            xs = np.asarray([float(s.number) for s in shown])
            ys = np.asarray([s.relief_lost_after_days or 0.0 for s in shown])
            canvas.targets[figure.axes[0]] = [_Targets(xs, ys, lambda i: _relief_hit(shown[i]))]
        self._paint(canvas, figure)
        self._drawn_size["onset"] = canvas.size()

    def _fill_table(self, analysis: ReliefAnalysis) -> None:
        table = self.onset_table
        table.setRowCount(len(analysis.per_session))
        headings = [*RELIEF_HEADINGS, MEDICINES_HEADING]
        for row, one in enumerate(analysis.per_session):
            classes = self.onset_classes.get(one.session_id, ())
            cells = [*session_row(one), class_names(classes) or "—"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, one.session_id)
                item.setToolTip(f"{headings[column]}: {text}")
                table.setItem(row, column, item)

    def _draw_items(self) -> None:
        data = self.items
        if data is None:
            return
        canvas = self.items_canvas
        _set_summary(self.items_text, canvas, describe_items(data))
        self._settle(self.items_text)
        figure = items_figure(data, dark=self._dark(), into=canvas.figure)
        canvas.targets, canvas.line_targets = {}, {}
        by_name = {one.instrument: one for one in data.instruments}
        for ax in figure.axes:
            one = by_name.get(str(ax.get_label()))
            if one is not None and one.times:
                canvas.targets[ax] = [_item_targets(one)]
        self._paint(canvas, figure)
        self._drawn_size["items"] = canvas.size()

    def _table_activated(self, item: QTableWidgetItem) -> None:
        session_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(session_id, int):
            self.entry_activated.emit("session", session_id)

    def _activate(self, hit: Hit) -> None:
        self.entry_activated.emit(hit.kind, hit.entry_id)

    # -- saving ------------------------------------------------------------------------------

    def _ask_save(self, chart: str) -> None:
        name = {"trajectory": "onset-symptoms", "onset": "onset-relief"}.get(chart, "onset-items")
        suggested = str(Path.home() / f"{name}-{self.today().isoformat()}.png")
        path, chosen_filter = QFileDialog.getSaveFileName(
            self, "Save chart as image", suggested, SAVE_FILTERS
        )
        if not path:
            return
        if not Path(path).suffix:
            path += ".svg" if chosen_filter.startswith("SVG") else ".png"
        self.save_chart(chart, Path(path))

    def save_chart(self, chart: str, path: Path) -> Path:
        """Save a chart at a standard size (10 × 6 in, or 10 × 5 for relief) as PNG or SVG."""
        held = {"trajectory": self.trajectory, "onset": self.onset, "items": self.items}
        if self._dirty[chart] or held[chart] is None:
            self.redraw(chart)
        fmt = "svg" if path.suffix.lower() == ".svg" else "png"
        dark = self._dark()
        if chart == "trajectory":
            assert self.trajectory is not None
            figure = trajectory_figure(self.trajectory, dark=dark)
        elif chart == "onset":
            assert self.onset is not None
            figure = course_figure(self.onset, dark=dark, height_in=5)
        else:
            assert self.items is not None
            figure = items_figure(self.items, dark=dark)
        figure.savefig(path, format=fmt, dpi=150 if fmt == "png" else 100)
        return path


_CROSSED = ("no_relief", "no_relief_yet")


def _item_targets(one: ItemSeries) -> _Targets:
    """Every cell of one questionnaire's grid: pointing at it names the item and answer;
    a click opens that questionnaire."""
    count = len(one.items)
    columns = len(one.times)
    xs = np.repeat(np.arange(columns, dtype=float), count)
    ys = np.tile(np.arange(count, dtype=float), columns)

    def hit_at(i: int) -> Hit:
        col, row = divmod(i, count)
        value = one.answers[col][row]
        text = (
            f"{item_label(row + 1, one.items[row], 200)}\n"
            f"{value} {one.options[value]} · {one.instrument}, {date_time(one.times[col])}"
        )
        return Hit("assessment", one.ids[col] or 0, text)

    return _Targets(xs, ys, hit_at)


def _relief_hit(one: SessionRelief) -> Hit:
    """Hover text for a session's point on the course chart: its row, in words."""
    assert one.session_id is not None
    return Hit("session", one.session_id, session_hover(one))
