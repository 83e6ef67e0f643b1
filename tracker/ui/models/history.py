"""The History table's model: every entry merged in time order, fetched a page at a time.

HistoryModel is a QAbstractTableModel over Journal.history_count/history_page: it holds
only the rows scrolled to so far (canFetchMore/fetchMore), so ten years open as fast as
an empty journal. Sorting is by time; filters are kind and a date range.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from tracker.domain.entries import Entry, TreatmentSession
from tracker.journal import BETWEEN_KINDS, KINDS, Journal
from tracker.wording import KIND_LABELS, classes_text, entry_summary, when

# Every kind of entry History lists: doses taken too, so that a mistaken one can be edited
# or deleted, and what was written between sessions.
HISTORY_KINDS = (*KINDS, "medication_dose", *BETWEEN_KINDS)
ModelIndex = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole


class HistoryModel(QAbstractTableModel):
    """Rows are entries of every kind merged in time order, fetched a page at a time."""

    COLUMNS = ("When", "Kind", "What was recorded")
    PAGE = 200

    def __init__(self, journal: Journal, parent: Any = None, page_size: int = 200):
        super().__init__(parent)
        self.journal = journal
        self.page_size = page_size
        self.kinds: tuple[str, ...] = HISTORY_KINDS
        self.start: date | None = None
        self.end: date | None = None
        self.descending = True
        self._rows: list[Entry] = []
        self._classes: dict[int | None, tuple[str, ...]] = {}
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
        if not parent.isValid():
            self._fetch(self.page_size)

    def fetch_all(self) -> None:
        """Every row still unloaded, in one query (Ctrl+End: the far end of the journal)."""
        if self.canFetchMore():
            self._fetch(self._total - len(self._rows))

    def _fetch(self, count: int) -> None:
        page = self.journal.history_page(
            self.kinds,
            self.start,
            self.end,
            descending=self.descending,
            limit=count,
            offset=len(self._rows),
        )
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self._note_medicines(page)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def _note_medicines(self, page: Sequence[Entry]) -> None:
        """The classes of medicine taken in the 24 h before each session of the page: one
        look at the medicines and doses around the page, not one per row."""
        sessions = [e for e in page if isinstance(e, TreatmentSession)]
        if sessions:
            found = self.journal.medication_classes(sessions)
            for session, classes in zip(sessions, found, strict=True):
                self._classes[session.id] = classes

    def reload(self, keep_loaded: bool = False) -> None:
        """Count again and start over; with keep_loaded, load as many rows as before."""
        wanted = len(self._rows) if keep_loaded else 0
        self.beginResetModel()
        self._rows = []
        self._classes = {}
        self._total = self._count()
        self.endResetModel()
        while self.canFetchMore() and (not self._rows or len(self._rows) < wanted):
            self.fetchMore()

    def set_filter(self, kinds: Sequence[str], start: date | None, end: date | None) -> None:
        self.kinds = tuple(k for k in HISTORY_KINDS if k in kinds)
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
            summary = entry_summary(entry, today)
            classes = self._classes.get(entry.id) if isinstance(entry, TreatmentSession) else None
            if classes:
                summary += " · " + classes_text(classes)
            return summary
        if role == ENTRY_ROLE:
            return entry
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None
