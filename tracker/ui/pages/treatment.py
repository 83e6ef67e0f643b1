"""Treatment: the sessions planned, and the other medicines, current and past.

A plan shows whether a session was logged on its day; one in the past with none shows as
missed until the patient dismisses it. Stopping a medicine is an edit (its last day), so
its history stays; taking it again later is a new period under the same name.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import (
    MEDICATION_CLASS_SHORT,
    ROUTE_LABELS,
    SCHEDULE_LABELS,
    Entry,
    Medication,
)
from tracker.domain.errors import ValidationError
from tracker.domain.medicines import PlanView
from tracker.journal import Journal
from tracker.storage.errors import JournalError
from tracker.ui.accessibility import name_unnamed
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import journal_error_box
from tracker.ui.models.changes import PageRefresh
from tracker.ui.widgets.layout import (
    card,
    list_table,
    muted_label,
    scroll_page,
    sentence,
    title_label,
)
from tracker.wording import long_day, num, short_day

PLAN_STATES = {
    "ahead": "Planned",
    "done": "Held",
    "missed": "Missed (no session logged that day)",
    "dismissed": "Missed, dismissed",
}
KINDS_SHOWN = frozenset({"medication", "medication_dose", "planned_session", "session"})


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button


def medicine_dose_text(medicine: Medication) -> str:
    parts = []
    if medicine.dose_mg is not None:
        parts.append(f"{num(medicine.dose_mg)} mg")
    if medicine.schedule == "regular" and medicine.times_per_day:
        parts.append(f"{medicine.times_per_day}× a day")
    else:
        parts.append(SCHEDULE_LABELS[medicine.schedule].lower())
    return ", ".join(parts)


def current_as_needed(journal: Journal) -> list[Medication]:
    """The medicines taken as needed whose period holds today: what 'Took a dose' offers."""
    today = date.today()
    return [m for m in journal.medications(today, today) if m.schedule == "as_needed"]


class TreatmentView(QWidget):
    """Planned sessions and other medicines, each with its own actions."""

    doseRequested = Signal()

    def __init__(self, journal: Journal, editor: Editor, parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self.editor = editor
        self.refusal: QMessageBox | None = None
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(28, 22, 28, 24)
        column.setSpacing(16)
        column.addWidget(title_label("Treatment", "pageTitle"))
        column.addWidget(self._plans_card())
        column.addWidget(self._medicines_card())
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll_page(content))
        self.refresh()
        self._changes = PageRefresh(self, journal, self.refresh, KINDS_SHOWN)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._changes.shown()

    # -- building -----------------------------------------------------------------------

    def _table(self, name: str, headings: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headings))
        list_table(table, name)
        table.setHorizontalHeaderLabels(headings)
        table.setMinimumHeight(table.fontMetrics().height() * 6)
        table.setMaximumHeight(table.fontMetrics().height() * 12)
        table.itemSelectionChanged.connect(self._update_buttons)
        return table

    def _plans_card(self) -> QWidget:
        frame, layout = card("Planned sessions")
        self.plans_hint = muted_label()
        self.plans_hint.setWordWrap(True)
        self.plans = self._table("Planned sessions", ["When", "Route", "State", "Note"])
        self.plans.doubleClicked.connect(lambda _i: self.edit_plan())
        self.plan_button = _button("Plan a session…", "Plan a session")
        self.edit_plan_button = _button("Edit…", "Edit the planned session")
        self.dismiss_button = _button("Dismiss", "Dismiss the missed planned session")
        self.delete_plan_button = _button("Delete", "Delete the planned session")
        self.plan_button.clicked.connect(self.add_plan)
        self.edit_plan_button.clicked.connect(self.edit_plan)
        self.dismiss_button.clicked.connect(self.dismiss_plan)
        self.delete_plan_button.clicked.connect(self.delete_plan)
        layout.addWidget(self.plans_hint)
        layout.addWidget(self.plans)
        layout.addLayout(
            self._row(
                self.plan_button,
                self.edit_plan_button,
                self.dismiss_button,
                self.delete_plan_button,
            )
        )
        return frame

    def _medicines_card(self) -> QWidget:
        frame, layout = card("Other medicines")
        intro = muted_label(
            "What you take besides ketamine, and when. Each session shows the classes "
            "taken in the 24 hours before it: a regular medicine on the days it is "
            "taken, an as-needed one by the time of each dose."
        )
        intro.setWordWrap(True)
        self.current = self._table(
            "Current medicines", ["Name", "Class", "Dose", "Since", "Doses in 30 days"]
        )
        self.past = self._table("Past medicines", ["Name", "Class", "Dose", "From", "Until"])
        for table in (self.current, self.past):
            table.doubleClicked.connect(lambda _i, t=table: self.edit_medicine(t))
        self.add_button = _button("Add a medicine…", "Add a medicine")
        self.edit_button = _button("Edit…", "Edit the medicine")
        self.stop_button = _button("No longer taking…", "Record the last day it was taken")
        self.dose_button = _button("Took a dose…", "Took a dose of an as-needed medicine")
        self.delete_button = _button("Delete", "Delete the medicine")
        self.add_button.clicked.connect(self.add_medicine)
        self.edit_button.clicked.connect(lambda: self.edit_medicine())
        self.stop_button.clicked.connect(self.stop_medicine)
        self.dose_button.clicked.connect(self.doseRequested)
        self.delete_button.clicked.connect(self.delete_medicine)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Current"))
        layout.addWidget(self.current)
        layout.addLayout(
            self._row(
                self.add_button,
                self.edit_button,
                self.stop_button,
                self.dose_button,
                self.delete_button,
            )
        )
        layout.addWidget(QLabel("Past"))
        layout.addWidget(self.past)
        return frame

    @staticmethod
    def _row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in buttons:
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        today = date.today()
        self._fill_plans(self.journal.plans(datetime.now()), today)
        self._fill_medicines(today)
        self._update_buttons()

    def _fill_plans(self, views: list[PlanView], today: date) -> None:
        self.plans.setRowCount(0)
        # What is ahead first (soonest first), then the past (latest first).
        ahead = sorted((v for v in views if v.state == "ahead"), key=lambda v: v.plan.at)
        past = sorted(
            (v for v in views if v.state != "ahead"), key=lambda v: v.plan.at, reverse=True
        )
        for view in ahead + past:
            row = self.plans.rowCount()
            self.plans.insertRow(row)
            plan = view.plan
            state = PLAN_STATES[view.state]
            if view.state == "done" and view.session is not None:
                state = f"Held, session at {view.session.at:%H:%M}"
            cells = [
                f"{short_day(plan.at.date(), today)} {plan.at:%H:%M}",
                ROUTE_LABELS.get(plan.route, plan.route),
                state,
                " ".join((plan.note or "").split()),
            ]
            for column, text in enumerate(cells):
                self.plans.setItem(row, column, _item(text, view))
        missed = sum(1 for v in views if v.state == "missed")
        if not views:
            self.plans_hint.setText(
                "No sessions planned. A plan is matched to the session you log on its day."
            )
        elif ahead:
            first = ahead[0].plan
            self.plans_hint.setText(
                f"Next: {long_day(first.at.date())} at {first.at:%H:%M}"
                + (f"; {missed} missed" if missed else "")
            )
        else:
            self.plans_hint.setText(f"Nothing planned ahead; {missed} missed" if missed else "")
        self.plans.resizeColumnsToContents()

    def _fill_medicines(self, today: date) -> None:
        medicines = self.journal.medications()
        recent = self.journal.medication_doses(today - timedelta(days=29), today)
        self.current.setRowCount(0)
        self.past.setRowCount(0)
        for medicine in medicines:
            cls = MEDICATION_CLASS_SHORT[medicine.medication_class]
            if medicine.stopped is None or medicine.stopped >= today:
                count = sum(1 for d in recent if d.taken_of([medicine]) is not None)
                cells = [
                    medicine.name,
                    cls,
                    medicine_dose_text(medicine),
                    short_day(medicine.started, today),
                    str(count) if medicine.schedule == "as_needed" else "",
                ]
                table = self.current
            else:
                cells = [
                    medicine.name,
                    cls,
                    medicine_dose_text(medicine),
                    short_day(medicine.started, today),
                    short_day(medicine.stopped, today),
                ]
                table = self.past
            row = table.rowCount()
            table.insertRow(row)
            for column, text in enumerate(cells):
                table.setItem(row, column, _item(text, medicine))
        for table in (self.current, self.past):
            table.resizeColumnsToContents()

    def _update_buttons(self) -> None:
        plan = self._selected_plan()
        self.edit_plan_button.setEnabled(plan is not None)
        self.delete_plan_button.setEnabled(plan is not None)
        self.dismiss_button.setEnabled(plan is not None and plan.state == "missed")
        medicine = self._selected_medicine()
        self.edit_button.setEnabled(medicine is not None)
        self.delete_button.setEnabled(medicine is not None)
        self.stop_button.setEnabled(isinstance(self._selected(self.current), Medication))
        self.dose_button.setEnabled(bool(current_as_needed(self.journal)))

    # -- selection ----------------------------------------------------------------------

    @staticmethod
    def _selected(table: QTableWidget) -> object:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        item = table.item(rows[0].row(), 0)
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _selected_plan(self) -> PlanView | None:
        found = self._selected(self.plans)
        return found if isinstance(found, PlanView) else None

    def _selected_medicine(self, table: QTableWidget | None = None) -> Medication | None:
        tables = [table] if table is not None else [self.current, self.past]
        for candidate in tables:
            found = self._selected(candidate)
            if isinstance(found, Medication) and (table is not None or candidate.hasFocus()):
                return found
        for candidate in tables:
            found = self._selected(candidate)
            if isinstance(found, Medication):
                return found
        return None

    # -- actions ------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def add_plan(self) -> QWidget:
        from tracker.ui.dialogs.treatment import PlanDialog

        dialog = PlanDialog(self.editor, parent=self)
        self._open(dialog)
        return dialog

    def edit_plan(self) -> QWidget | None:
        from tracker.ui.dialogs.treatment import PlanDialog

        view = self._selected_plan()
        if view is None:
            return None
        dialog = PlanDialog(self.editor, view.plan, parent=self)
        self._open(dialog)
        return dialog

    def _change(self, action: object, what: str) -> bool:
        try:
            assert callable(action)
            action()
        except ValidationError as exc:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Onset")
            box.setText(f"{what}.")
            box.setInformativeText(sentence("\n".join(p.message for p in exc.problems)))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            name_unnamed(box)
            self.refusal = box
            box.open()
            return False
        except JournalError as exc:
            journal_error_box(self, exc, f"{what}: nothing was changed.").open()
            return False
        return True

    def dismiss_plan(self) -> bool:
        view = self._selected_plan()
        if view is None or view.state != "missed":
            return False
        plan = view.plan
        from dataclasses import replace

        return self._change(
            lambda: self.editor.update(plan, replace(plan, dismissed=True)),
            "The plan was not dismissed",
        )

    def delete_plan(self) -> bool:
        view = self._selected_plan()
        if view is None:
            return False
        return self._change(lambda: self.editor.delete(view.plan), "The plan was not deleted")

    def add_medicine(self) -> QWidget:
        from tracker.ui.dialogs.treatment import MedicineDialog

        dialog = MedicineDialog(self.editor, parent=self)
        self._open(dialog)
        return dialog

    def edit_medicine(
        self, table: QTableWidget | None = None, *, stopping: bool = False
    ) -> QWidget | None:
        from tracker.ui.dialogs.treatment import MedicineDialog

        medicine = self._selected_medicine(table)
        if medicine is None:
            return None
        dialog = MedicineDialog(self.editor, medicine, parent=self, stopping=stopping)
        self._open(dialog)
        return dialog

    def stop_medicine(self) -> QWidget | None:
        return self.edit_medicine(self.current, stopping=True)

    def delete_medicine(self) -> bool:
        medicine = self._selected_medicine()
        if medicine is None:
            return False
        return self._change(lambda: self.editor.delete(medicine), "The medicine was not deleted")

    def entry_rows(self) -> list[Entry]:
        """What the tables show, for tests."""
        out: list[Entry] = []
        for table in (self.plans, self.current, self.past):
            for row in range(table.rowCount()):
                item = table.item(row, 0)
                data = item.data(Qt.ItemDataRole.UserRole) if item else None
                found = data.plan if isinstance(data, PlanView) else data
                if isinstance(found, Entry):
                    out.append(found)
        return out
