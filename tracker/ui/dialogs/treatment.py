"""Forms for what surrounds the sessions: a medicine, a dose taken, a planned session.

Each is judged by the domain's own rules (the ones the import uses) and stored through the
Editor, so every change can be undone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import (
    MAX_NAME,
    MEDICATION_CLASS_LABELS,
    MEDICATION_CLASSES,
    ROUTE_LABELS,
    ROUTES,
    SCHEDULE_LABELS,
    SCHEDULES,
    Entry,
    Medication,
    MedicationDose,
    PlannedSession,
    future_problems,
)
from tracker.domain.errors import Problem
from tracker.domain.times import wall_clock
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.widgets.form_rows import field_row, note_field, note_text
from tracker.ui.widgets.layout import muted_label, title_label
from tracker.ui.widgets.number_field import NumberField
from tracker.ui.widgets.time_field import TimeField
from tracker.wording import num


class DayField(QWidget):
    """A calendar date (no time), for when a medicine was started or stopped."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy")
        self.edit.setMinimumDate(QDate(1900, 1, 1))
        self.edit.setMaximumDate(QDate(2100, 12, 31))
        self.edit.setDate(QDate.currentDate())
        self.setFocusProxy(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch(1)

    def value(self) -> date:
        found = self.edit.date().toPython()
        assert isinstance(found, date)
        return found

    def set_value(self, day: date) -> None:
        self.edit.setDate(QDate(day.year, day.month, day.day))


class _Form(EntryDialog):
    """A short form: a title, rows of label / field / message, Save and Cancel."""

    def __init__(self, editor: Editor, title: str, parent: QWidget | None = None):
        super().__init__(editor, title, parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self._row = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(title_label(title, "pageTitle"))
        layout.addSpacing(10)
        layout.addLayout(self.grid)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def row(self, label: str, widget: QWidget, *places: str, tall: bool = False) -> None:
        error = field_row(self.grid, self._row, label, widget, tall=tall)
        for place in places:
            self.errors.add(place, error, widget.focusProxy() or widget)
        self._row += 2

    def note(self, text: str) -> None:
        hint = muted_label(text)
        hint.setWordWrap(True)
        self.grid.addWidget(hint, self._row, 1)
        self._row += 1

    def judged(self, entry: Entry, extra: list[Problem]) -> list[Problem]:
        return extra + entry.problems() + future_problems(entry, datetime.now())

    def keep(self, before: Entry | None, after: Entry) -> bool:
        if before is None:
            return self.store(lambda: self.editor.add([after]))
        return self.store(lambda: [self.editor.update(before, after)])


class MedicineDialog(_Form):
    """Add or edit a medicine; recording when it was stopped is an edit of the same form."""

    FORM = "medicine"

    def __init__(
        self,
        editor: Editor,
        entry: Medication | None = None,
        parent: QWidget | None = None,
        *,
        stopping: bool = False,
    ):
        title = "Add a medicine" if entry is None else f"Edit {entry.name}"
        super().__init__(editor, title, parent)
        self.entry = entry
        self.name = QLineEdit()
        self.name.setAccessibleName("Medicine name")
        self.name.setMaxLength(MAX_NAME)
        self.name.setPlaceholderText("e.g. lorazepam")
        self.medication_class = QComboBox()
        self.medication_class.setAccessibleName("Class of medicine")
        for cls in MEDICATION_CLASSES:
            self.medication_class.addItem(MEDICATION_CLASS_LABELS[cls], cls)
        self.dose = NumberField("Usual dose in mg", whole=False, placeholder="e.g. 1")
        self.schedule = QComboBox()
        self.schedule.setAccessibleName("How it is taken")
        for schedule in SCHEDULES:
            self.schedule.addItem(SCHEDULE_LABELS[schedule], schedule)
        self.times = NumberField("Times a day", placeholder="e.g. 2", width_chars=6)
        self.started = DayField("Started on")
        self.is_stopped = QCheckBox("No longer taken since")
        self.is_stopped.setAccessibleName("No longer taken")
        self.stopped = DayField("Last day taken")
        self.notes = note_field("Note about the medicine", lines=2)

        dose_row = QWidget()
        dose_layout = QHBoxLayout(dose_row)
        dose_layout.setContentsMargins(0, 0, 0, 0)
        dose_layout.addWidget(self.dose)
        dose_layout.addWidget(muted_label("mg"))
        dose_layout.addStretch(1)
        dose_row.setFocusProxy(self.dose)
        schedule_row = QWidget()
        schedule_layout = QHBoxLayout(schedule_row)
        schedule_layout.setContentsMargins(0, 0, 0, 0)
        schedule_layout.addWidget(self.schedule)
        schedule_layout.addSpacing(12)
        schedule_layout.addWidget(self.times)
        self.times_label = muted_label("times a day")
        schedule_layout.addWidget(self.times_label)
        schedule_layout.addStretch(1)
        schedule_row.setFocusProxy(self.schedule)
        stop_row = QWidget()
        stop_layout = QHBoxLayout(stop_row)
        stop_layout.setContentsMargins(0, 0, 0, 0)
        stop_layout.addWidget(self.is_stopped)
        stop_layout.addWidget(self.stopped)
        stop_layout.addStretch(1)
        stop_row.setFocusProxy(self.is_stopped)

        self.row("&Name", self.name, "name")
        self.row("&Class", self.medication_class, "class")
        self.row("Usual &dose", dose_row, "dose_mg")
        self.row("&Taken", schedule_row, "schedule", "times_per_day")
        self.row("&Started", self.started, "started")
        self.row("Sto&pped", stop_row, "stopped")
        self.note(
            "Taking it again later is a new entry with the same name, from the day it "
            "started again."
        )
        self.row("N&ote", self.notes, "note", tall=True)

        self.schedule.currentIndexChanged.connect(self._schedule_changed)
        self.is_stopped.toggled.connect(self.stopped.setEnabled)
        self.stopped.setEnabled(False)
        if entry is not None:
            self.load(entry)
        self._schedule_changed()
        self.resize(620, self.sizeHint().height())
        if stopping:
            self.is_stopped.setChecked(True)
            self.stopped.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _schedule_changed(self) -> None:
        regular = self.schedule.currentData() == "regular"
        self.times.setEnabled(regular)
        self.times_label.setEnabled(regular)

    def load(self, entry: Medication) -> None:
        self.name.setText(entry.name)
        self.medication_class.setCurrentIndex(
            max(0, self.medication_class.findData(entry.medication_class))
        )
        self.dose.set_number(entry.dose_mg)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(entry.schedule)))
        self.times.set_number(entry.times_per_day)
        self.started.set_value(entry.started)
        self.is_stopped.setChecked(entry.stopped is not None)
        if entry.stopped is not None:
            self.stopped.set_value(entry.stopped)
        self.notes.setPlainText(entry.note or "")

    def build(self) -> tuple[Medication | None, list[Problem]]:
        problems: list[Problem] = []
        dose, why = self.dose.read()
        if why:
            problems.append(Problem("dose_mg", why))
        regular = self.schedule.currentData() == "regular"
        times, why = self.times.read() if regular else (None, None)
        if why:
            problems.append(Problem("times_per_day", why))
        if problems:
            return None, problems
        entry = Medication(
            name=" ".join(self.name.text().split()),
            medication_class=str(self.medication_class.currentData()),
            schedule=str(self.schedule.currentData()),
            started=self.started.value(),
            dose_mg=None if dose is None else float(dose),
            times_per_day=None if times is None else int(times),
            stopped=self.stopped.value() if self.is_stopped.isChecked() else None,
            note=note_text(self.notes),
        )
        return entry, self.judged(entry, [])

    def save(self) -> bool:
        self.errors.clear()
        entry, problems = self.build()
        if problems or entry is None:
            self.errors.show(problems)
            return False
        return self.keep(self.entry, entry)


class DoseDialog(_Form):
    """Took a dose: one of the current as-needed medicines, now, its usual amount."""

    FORM = "dose"

    def __init__(
        self,
        editor: Editor,
        medicines: list[Medication],
        entry: MedicationDose | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(editor, "Took a dose" if entry is None else "Edit a dose", parent)
        self.entry = entry
        self.medicines = medicines
        self.medicine = QComboBox()
        self.medicine.setAccessibleName("Medicine taken")
        for medicine in medicines:
            usual = f", usually {num(medicine.dose_mg)} mg" if medicine.dose_mg else ""
            self.medicine.addItem(f"{medicine.name}{usual}", medicine)
        self.time = TimeField("When the dose was taken")
        self.dose = NumberField("Amount taken in mg", whole=False, placeholder="e.g. 1")
        self.notes = note_field("Note about the dose", lines=2)
        dose_row = QWidget()
        dose_layout = QHBoxLayout(dose_row)
        dose_layout.setContentsMargins(0, 0, 0, 0)
        dose_layout.addWidget(self.dose)
        dose_layout.addWidget(muted_label("mg"))
        dose_layout.addStretch(1)
        dose_row.setFocusProxy(self.dose)
        self.row("&Medicine", self.medicine, "medication")
        self.row("&When", self.time, "at")
        self.row("&Amount", dose_row, "dose_mg")
        self.row("N&ote", self.notes, "note", tall=True)
        self.medicine.currentIndexChanged.connect(self._medicine_changed)
        if entry is not None:
            self.time.set_value(entry.at)
            found = next(
                (i for i, m in enumerate(medicines) if entry.taken_of([m]) is not None), -1
            )
            if found < 0:
                self.medicine.addItem(entry.medication, None)
                found = self.medicine.count() - 1
            self.medicine.setCurrentIndex(found)
            self.dose.set_number(entry.dose_mg)
            self.notes.setPlainText(entry.note or "")
        else:
            self._medicine_changed()
        self.resize(560, self.sizeHint().height())
        self.medicine.setFocus(Qt.FocusReason.OtherFocusReason)

    def _medicine_changed(self) -> None:
        medicine = self.medicine.currentData()
        if isinstance(medicine, Medication):
            self.dose.set_number(medicine.dose_mg)

    def save(self) -> bool:
        self.errors.clear()
        dose, why = self.dose.read()
        if why:
            self.errors.show([Problem("dose_mg", why)])
            return False
        medicine = self.medicine.currentData()
        name = medicine.name if isinstance(medicine, Medication) else self.medicine.currentText()
        entry = MedicationDose(
            at=self.time.value(),
            medication=name,
            dose_mg=None if dose is None else float(dose),
            note=note_text(self.notes),
        )
        problems = self.judged(entry, [])
        if problems:
            self.errors.show(problems)
            return False
        return self.keep(self.entry, entry)


class PlanDialog(_Form):
    """Plan a session: when and how it is expected; it is matched to the session logged
    on its day."""

    FORM = "plan"

    def __init__(
        self, editor: Editor, entry: PlannedSession | None = None, parent: QWidget | None = None
    ):
        super().__init__(
            editor, "Plan a session" if entry is None else "Edit a planned session", parent
        )
        self.entry = entry
        self.time = TimeField("Planned time")
        self.route = QComboBox()
        self.route.setAccessibleName("Planned route")
        for route in ROUTES:
            self.route.addItem(ROUTE_LABELS[route], route)
        self.notes = note_field("Note about the planned session", lines=2)
        self.row("&When", self.time, "at")
        self.row("&Route", self.route, "route")
        self.row("N&ote", self.notes, "note", tall=True)
        if entry is not None:
            self.time.set_value(entry.at)
            self.route.setCurrentIndex(max(0, self.route.findData(entry.route)))
            self.notes.setPlainText(entry.note or "")
        else:
            last = editor.journal.history_page(("session",), limit=1)
            if last:
                # The same route and hour as the last session, a week on (or a week from
                # today when that has passed): the commonest next step.
                previous = wall_clock(last[0].at_value)
                route = getattr(last[0], "route", "iv")
                self.route.setCurrentIndex(max(0, self.route.findData(route)))
                base = max(previous, datetime.now()).replace(
                    hour=previous.hour, minute=previous.minute, second=0, microsecond=0
                )
                self.time.set_value(base + timedelta(days=7))
        self.resize(560, self.sizeHint().height())
        self.time.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> bool:
        self.errors.clear()
        entry = PlannedSession(
            at=self.time.value(),
            route=str(self.route.currentData()),
            note=note_text(self.notes),
            dismissed=self.entry.dismissed if self.entry is not None else False,
        )
        problems = self.judged(entry, [])
        if problems:
            self.errors.show(problems)
            return False
        return self.keep(self.entry, entry)
