"""History: every entry in one table, filled lazily page by page from the journal
(tracker.ui.models.history); filters by kind and period, edit and delete."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
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

from tracker.domain.catalogue import effect_label
from tracker.domain.entries import Entry, TreatmentSession
from tracker.journal import Journal
from tracker.storage.errors import JournalError
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import ask_to_confirm, journal_error_box
from tracker.ui.models.changes import PageRefresh
from tracker.ui.models.history import HISTORY_KINDS, HistoryModel
from tracker.ui.widgets.layout import list_table, muted_label, title_label
from tracker.wording import KIND_LABELS, KIND_PLURALS, entry_summary, when

ModelIndex = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole
PERIODS = (
    ("All time", None),
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 3 months", 91),
    ("Last 12 months", 365),
    ("Custom range", -1),
)


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
        self.kind.addItem("All entries", HISTORY_KINDS)
        for kind in HISTORY_KINDS:
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
        # The table loads as it scrolls, so Qt's own Ctrl+End would stop at the last row
        # loaded so far; this one reaches the far end of the journal.
        last_key = QShortcut(QKeySequence(QKeySequence.StandardKey.MoveToEndOfDocument), self.table)
        last_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        last_key.activated.connect(self.go_to_last)
        self._show_range(False)
        self._update_state()
        self._update_buttons()
        # A medicine's change can change what a session row says of the 24 h before it.
        self._changes = PageRefresh(self, journal, self.refresh, (*HISTORY_KINDS, "medication"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._changes.shown()

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
            filtered = self.model.kinds != HISTORY_KINDS or self.model.start or self.model.end
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

    def go_to_last(self) -> None:
        """Select the last row of the whole (filtered) journal: the oldest entry when the
        table runs newest first."""
        self.model.fetch_all()
        last = self.model.rowCount() - 1
        if last >= 0:
            index = self.model.index(last, 0)
            self.table.setCurrentIndex(index)
            self.table.selectRow(last)
            self.table.scrollTo(index)

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
        """Ask first, naming what else the delete touches; it can then be undone (Ctrl+Z)."""
        entry = self.selected_entry()
        if entry is None:
            return
        self.confirm_box = ask_to_confirm(
            self,
            "Delete entry",
            f"Delete this {KIND_LABELS[entry.KIND].lower()}?",
            f"{when(entry.at_value)}\n{entry_summary(entry)}\n\n"
            + self._unlinked_words(entry)
            + "You can bring it back with Edit → Undo (Ctrl+Z).",
            "Delete",
            QMessageBox.ButtonRole.DestructiveRole,
            lambda: self._delete(entry),
        )

    def _unlinked_words(self, entry: Entry) -> str:
        """A session's side effects stay, but lose their link to it: say which."""
        if not isinstance(entry, TreatmentSession):
            return ""
        linked = [
            e for e in self.journal.side_effects(start=entry.at.date()) if e.session_at == entry.at
        ]
        if not linked:
            return ""
        names = ", ".join(dict.fromkeys(effect_label(e.effect) for e in linked))
        count = "1 side effect" if len(linked) == 1 else f"{len(linked)} side effects"
        return (
            f"{count} logged after this session ({names}) will stay in the journal but "
            "will no longer be linked to a session.\n\n"
        )

    def _delete(self, entry: Entry) -> None:
        try:
            self.editor.delete(entry)
        except JournalError as exc:
            journal_error_box(self, exc, "The entry was not deleted.").open()
        except KeyError:
            self.refresh()  # already gone (another program changed the journal)
