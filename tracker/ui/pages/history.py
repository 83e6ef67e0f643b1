"""History: every entry in one table, filled lazily page by page from the journal.

HistoryModel is a QAbstractTableModel over Journal.history_count/history_page: it holds
only the rows scrolled to so far (canFetchMore/fetchMore), so ten years open as fast as
an empty journal. Sorting is by time; filters are kind and a date range.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import Entry, TreatmentSession
from tracker.journal import BETWEEN_KINDS, Journal
from tracker.journal import KINDS as ENTRY_KINDS
from tracker.storage.errors import JournalError
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import ask_to_confirm, journal_error_box
from tracker.ui.widgets.layout import list_table, muted_label, title_label
from tracker.wording import KIND_LABELS, KIND_PLURALS, entry_summary, when

ModelIndex = QModelIndex | QPersistentModelIndex
KINDS = (*ENTRY_KINDS, *BETWEEN_KINDS)
ENTRY_ROLE = Qt.ItemDataRole.UserRole
PERIODS = (
    ("All time", None),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 3 months", 91),
    ("Last 12 months", 365),
    ("Custom range", -1),
)


class HistoryModel(QAbstractTableModel):
    """Rows are entries of every kind merged in time order, fetched a page at a time."""

    COLUMNS = ("When", "Kind", "What was recorded")
    PAGE = 200

    def __init__(self, journal: Journal, parent: Any = None, page_size: int = PAGE):
        super().__init__(parent)
        self.journal = journal
        self.page_size = page_size
        self.kinds: tuple[str, ...] = KINDS
        self.start: date | None = None
        self.end: date | None = None
        self.descending = True
        self._rows: list[Entry] = []
        self._total = 0
        self._total = self._count()

    # -- the lazy part ------------------------------------------------------------------

    def _count(self) -> int:
        return self.journal.history_count(self.kinds, self.start, self.end)

    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self.journal.history_page(
            self.kinds,
            self.start,
            self.end,
            descending=self.descending,
            limit=self.page_size,
            offset=len(self._rows),
        )
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def reload(self, keep_loaded: bool = False) -> None:
        """Count again and start over; with keep_loaded, load as many rows as before."""
        wanted = len(self._rows) if keep_loaded else 0
        self.beginResetModel()
        self._rows = []
        self._total = self._count()
        self.endResetModel()
        while self.canFetchMore() and (not self._rows or len(self._rows) < wanted):
            self.fetchMore()

    def set_filter(self, kinds: Sequence[str], start: date | None, end: date | None) -> None:
        self.kinds = tuple(k for k in KINDS if k in kinds)
        self.start, self.end = start, end
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Every column sorts by time: the table is a timeline."""
        descending = order == Qt.SortOrder.DescendingOrder
        if descending != self.descending or not self._rows:
            self.descending = descending
            self.reload()

    # -- the table ----------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def entry_at(self, row: int) -> Entry:
        return self._rows[row]

    def row_of(self, kind: str, entry_id: int | None) -> int | None:
        for row, entry in enumerate(self._rows):
            if kind == entry.KIND and entry.id == entry_id:
                return row
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            # Dates carry their year only when it is not this year's; "this year" is asked
            # each time, so a window left open over New Year's Eve reads right next morning.
            today = date.today()
            if index.column() == 0:
                return when(entry.at_value, today)
            if index.column() == 1:
                return KIND_LABELS[entry.KIND]
            return entry_summary(entry, today)
        if role == ENTRY_ROLE:
            return entry
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


class HistoryView(QWidget):
    """The History page: filters, the lazily filled table, edit and delete (undoable)."""

    editRequested = Signal(object)
    reflectRequested = Signal(object)  # the selected session

    def __init__(self, journal: Journal, editor: Editor, parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self.editor = editor
        self.model = HistoryModel(journal, self)
        self.confirm_box: QMessageBox | None = None

        title = title_label("History", "pageTitle")
        self.count = muted_label()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Show which kind of entry")
        self.kind.addItem("All entries", KINDS)
        for kind in KINDS:
            self.kind.addItem(KIND_PLURALS[kind], (kind,))
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        today = QDate.currentDate()
        self.start = QDateEdit(today.addDays(-30))
        self.start.setAccessibleName("From date")
        self.end = QDateEdit(today)
        self.end.setAccessibleName("To date")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.range_to = QLabel("to")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected entry")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected entry")
        self.reflect_button = QPushButton("Reflect…")
        self.reflect_button.setAccessibleName("Write a reflection on the selected session")

        self.table = QTableView()
        self.table.setModel(self.model)
        header = list_table(self.table, "Journal entries")
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(
            0, self.fontMetrics().horizontalAdvance("Wed 30 Sep 2026, 22:22") + 28
        )
        self.table.setColumnWidth(1, self.fontMetrics().horizontalAdvance("Treatment session") + 28)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_time_sort)

        self.empty = muted_label()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(12)
        heading.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        show_label = QLabel("&Show")
        show_label.setBuddy(self.kind)
        period_label = QLabel("&Period")
        period_label.setBuddy(self.period)
        filters.addWidget(show_label)
        filters.addWidget(self.kind)
        filters.addSpacing(14)
        for part in (period_label, self.period, self.start, self.range_to, self.end):
            filters.addWidget(part)
        filters.addStretch(1)
        filters.addWidget(self.reflect_button)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 20)
        layout.setSpacing(12)
        layout.addLayout(heading)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)

        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.period.currentIndexChanged.connect(self.apply_filter)
        self.start.dateChanged.connect(self.apply_filter)
        self.end.dateChanged.connect(self.apply_filter)
        self.table.activated.connect(lambda index: self.edit_row(index.row()))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.reflect_button.clicked.connect(self.reflect_on_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_state)
        self.model.rowsInserted.connect(self._update_state)
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.activated.connect(self.delete_selected)
        self._show_range(False)
        self._update_state()
        self._update_buttons()

    # -- filters and refresh ------------------------------------------------------------

    def _show_range(self, visible: bool) -> None:
        for widget in (self.start, self.range_to, self.end):
            widget.setVisible(visible)

    def _range(self) -> tuple[date | None, date | None]:
        days = self.period.currentData()
        if days is None:
            return None, None
        if days < 0:
            start, end = self.start.date().toPython(), self.end.date().toPython()
            assert isinstance(start, date) and isinstance(end, date)
            return (start, end) if start <= end else (end, start)
        today = date.today()
        return today - timedelta(days=days - 1), today

    def apply_filter(self) -> None:
        self._show_range(self.period.currentData() == -1)
        start, end = self._range()
        self.model.set_filter(self.kind.currentData(), start, end)

    def refresh(self) -> None:
        """After any change: count again, keep as many rows and the same selection."""
        selected = self.selected_entry()
        self.model.reload(keep_loaded=True)
        if selected is not None:
            row = self.model.row_of(selected.KIND, selected.id)
            if row is not None:
                self.table.selectRow(row)

    def _keep_time_sort(self, section: int, order: Qt.SortOrder) -> None:
        if section != 0:
            self.table.horizontalHeader().setSortIndicator(0, order)

    def _update_state(self) -> None:
        total = self.model.total()
        self.count.setText("1 entry" if total == 1 else f"{total} entries")
        if total:
            self.stack.setCurrentWidget(self.table)
        else:
            filtered = self.model.kinds != KINDS or self.model.start or self.model.end
            self.empty.setText("Nothing matches these filters." if filtered else "No entries yet.")
            self.stack.setCurrentWidget(self.empty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected_entry()
        has = selected is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.reflect_button.setEnabled(isinstance(selected, TreatmentSession))

    # -- acting on entries --------------------------------------------------------------

    def selected_entry(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.entry_at(rows[0].row())

    def edit_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.editRequested.emit(self.model.entry_at(row))

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.editRequested.emit(entry)

    def reflect_on_selected(self) -> None:
        entry = self.selected_entry()
        if isinstance(entry, TreatmentSession):
            self.reflectRequested.emit(entry)

    def delete_selected(self) -> None:
        """Ask first; the delete itself can then be undone (Ctrl+Z)."""
        entry = self.selected_entry()
        if entry is None:
            return
        self.confirm_box = ask_to_confirm(
            self,
            "Delete entry",
            f"Delete this {KIND_LABELS[entry.KIND].lower()}?",
            f"{when(entry.at_value)}\n{entry_summary(entry)}\n\n"
            "You can bring it back with Edit → Undo (Ctrl+Z).",
            "Delete",
            QMessageBox.ButtonRole.DestructiveRole,
            lambda: self._delete(entry),
        )

    def _delete(self, entry: Entry) -> None:
        try:
            self.editor.delete(entry)
        except JournalError as exc:
            journal_error_box(self, exc, "The entry was not deleted.").open()
        except KeyError:
            self.refresh()  # already gone (another program changed the journal)
