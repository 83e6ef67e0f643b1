"""The treatment-session form: every session field of journal-format.md.

Values are judged by the domain's own rules (TreatmentSession.problems()), so the form
refuses exactly what an import would, with the same words, beside the field concerned.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.entries import (
    DEFAULT_BP_MID_MIN,
    MAX_CLINIC,
    MAX_DEVICES,
    MG_PER_DEVICE,
    ROUTE_LABELS,
    ROUTES,
    TreatmentSession,
)
from tracker.domain.errors import Problem
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.widgets.form_rows import buddy, field_row, note_field, note_text
from tracker.ui.widgets.layout import muted_label, title_label
from tracker.ui.widgets.number_field import NumberField
from tracker.ui.widgets.scale import ScaleInput
from tracker.ui.widgets.time_field import TimeField
from tracker.wording import num

UNITS = ("mg", "mg/kg")
DOSE_EXAMPLES = {"mg": "e.g. 35", "mg/kg": "e.g. 0.5"}
ESKETAMINE_HINT = "Esketamine nasal spray: 28 mg per device (56 mg = 2 devices, 84 mg = 3)."


class BloodPressureField(QWidget):
    """Systolic / diastolic in mmHg, as two short number fields."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.systolic = NumberField(f"{name}, systolic", placeholder="e.g. 120", width_chars=7)
        self.diastolic = NumberField(f"{name}, diastolic", placeholder="e.g. 80", width_chars=7)
        self.setFocusProxy(self.systolic)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.systolic)
        layout.addWidget(QLabel("/"))
        layout.addWidget(self.diastolic)
        layout.addWidget(muted_label("mmHg"))
        layout.addStretch(1)

    def read(self) -> tuple[tuple[int, int] | None, str | None]:
        systolic, why_s = self.systolic.read()
        diastolic, why_d = self.diastolic.read()
        if why_s or why_d:
            return None, why_s or why_d
        if systolic is None and diastolic is None:
            return None, None
        if systolic is None or diastolic is None:
            return None, "Enter both numbers, systolic / diastolic (e.g. 120 / 80)"
        return (int(systolic), int(diastolic)), None

    def set_pair(self, value: tuple[int, int] | None) -> None:
        self.systolic.set_number(value[0] if value else None)
        self.diastolic.set_number(value[1] if value else None)


def with_unit(field: QWidget, unit: str) -> QWidget:
    """The field at its natural width, then its unit (if any), left-aligned."""
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(field)
    if unit:
        layout.addWidget(muted_label(unit))
    layout.addStretch(1)
    box.setFocusProxy(field)
    return box


class SessionDialog(EntryDialog):
    """Log (or edit) a treatment session; nothing is stored until every field is valid."""

    FORM = "session"

    sideEffectsRequested = Signal(object)  # the stored TreatmentSession

    def __init__(
        self, editor: Editor, entry: TreatmentSession | None = None, parent: QWidget | None = None
    ):
        super().__init__(
            editor, "Edit treatment session" if entry else "Log a treatment session", parent
        )
        self.entry = entry
        self._last_dose: dict[str, float | None] = {}
        self._build()
        if entry is not None:
            self.load(entry)
        else:
            self._prefill_from_last()
        self._update_dose_example()
        self._update_dose_hint()
        # Tall enough for the whole form without scrolling, when the screen allows.
        fits = self._content.sizeHint().height() + self.buttons.sizeHint().height() + 40
        screen = self.screen().availableGeometry().height() if self.screen() else fits
        self.resize(780, min(fits, int(screen * 0.9)))
        self.time.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.time = TimeField("Session time")
        self.route = QComboBox()
        self.route.setAccessibleName("Route")
        for route in ROUTES:
            self.route.addItem(ROUTE_LABELS[route], route)
        self.route_hint = muted_label(ESKETAMINE_HINT)
        self.route_hint.setWordWrap(True)
        self.dose = NumberField("Dose", whole=False, width_chars=7)
        self.unit = QComboBox()
        self.unit.setAccessibleName("Dose unit")
        self.unit.addItems(UNITS)
        self.weight = NumberField("Body weight in kg", whole=False, placeholder="e.g. 70")
        self.dose_hint = muted_label()
        self.dose_hint.setWordWrap(True)  # a long hint wraps rather than widen the form
        self.duration = NumberField("Duration in minutes", placeholder="e.g. 40")
        self.bp_before = BloodPressureField("Blood pressure before")
        self.bp_after = BloodPressureField("Blood pressure after")
        self.hr_before = NumberField(
            "Heart rate before, beats per minute", placeholder="e.g. 72", width_chars=7
        )
        self.hr_after = NumberField(
            "Heart rate after, beats per minute", placeholder="e.g. 80", width_chars=7
        )
        self.anxiety_before = ScaleInput(
            "Anxiety right before (optional)", low_text="0  none", high_text="10  extreme"
        )
        self.anxiety_after = ScaleInput(
            "Anxiety right after (optional)", low_text="0  none", high_text="10  extreme"
        )
        self.dissociation = ScaleInput(
            "How dissociated you felt, your own rating (optional)",
            low_text="0  not at all",
            high_text="10  completely",
        )
        self.clinic = QLineEdit()
        self.clinic.setAccessibleName("Clinic")
        self.clinic.setMaxLength(MAX_CLINIC)
        self.clinic.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 44)
        self.notes = note_field("Notes about the session")
        # What a clinic records per session (clinical-reference.md), all optional.
        self.devices = QComboBox()
        self.devices.setAccessibleName("Esketamine devices used")
        self.devices.addItem("Not counted", None)
        for count in range(1, MAX_DEVICES + 1):
            self.devices.addItem(
                f"{count} device{'s' if count > 1 else ''} ({count * MG_PER_DEVICE} mg)", count
            )
        self.bp_mid = BloodPressureField("Blood pressure during the session")
        self.bp_mid_min = NumberField(
            "Minutes after the start of the mid-session reading",
            placeholder=f"e.g. {DEFAULT_BP_MID_MIN}",
            width_chars=7,
        )
        self.sleepiness = ScaleInput(
            "Sleepiness, your own rating 0 to 10 (optional)",
            low_text="0  wide awake",
            high_text="10  could not stay awake",
        )
        self.ready_after = NumberField(
            "Minutes from the start until you felt clear enough to leave",
            placeholder="e.g. 110",
            width_chars=8,
        )
        self.intention = note_field("Your intention for the session", lines=2)

        dose_row = QWidget()
        dose_layout = QHBoxLayout(dose_row)
        dose_layout.setContentsMargins(0, 0, 0, 0)
        dose_layout.setSpacing(6)
        dose_layout.addWidget(self.dose)
        # A buddy label: on Linux a screen reader names a combo box by its value and finds
        # what it is for through the label's labelled-by relation.
        dose_layout.addWidget(buddy("un&it", self.unit))
        dose_layout.addWidget(self.unit)
        dose_layout.addSpacing(18)
        weight_label = buddy("Body &weight", self.weight)
        dose_layout.addWidget(weight_label)
        dose_layout.addWidget(self.weight)
        dose_layout.addWidget(muted_label("kg"))
        dose_layout.addSpacing(12)
        dose_layout.addWidget(self.dose_hint, 1)
        dose_row.setFocusProxy(self.dose)

        content = self._content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(24, 20, 24, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self._grid_row = 0

        def heading(text: str) -> None:
            if self._grid_row:
                grid.setRowMinimumHeight(self._grid_row, 14)
                self._grid_row += 1
            grid.addWidget(title_label(text), self._grid_row, 0, 1, 2)
            self._grid_row += 1

        def field(
            label: str,
            widget: QWidget,
            *places: str,
            tall: bool = False,
            note: QLabel | None = None,
        ) -> None:
            error = field_row(grid, self._grid_row, label, widget, tall=tall)
            target = widget.focusProxy() or widget
            for place in places:
                self.errors.add(place, error, target, watch=widget)
            self._grid_row += 2
            if note is not None:
                note.setWordWrap(True)
                grid.addWidget(note, self._grid_row, 1)
                self._grid_row += 1

        title = title_label(self.windowTitle(), "pageTitle")
        grid.addWidget(title, 0, 0, 1, 2)
        self._grid_row = 1
        grid.setRowMinimumHeight(self._grid_row, 10)
        self._grid_row += 1
        field("&When", self.time, "at")
        field("&Intention", self.intention, "intention", tall=True)
        field("&Route", with_unit(self.route, ""), "route", note=self.route_hint)
        self._devices_row = self._grid_row
        field("De&vices", with_unit(self.devices, ""), "devices")
        field("&Dose", dose_row, "dose_mg", "dose_mg_per_kg", "weight_kg")
        field("D&uration", with_unit(self.duration, "min"), "duration_min")

        heading("Before and after")
        field("Blood pressure &before", self.bp_before, "bp_before")
        field("Heart rate b&efore", with_unit(self.hr_before, "bpm"), "heart_rate_before")
        field("Anxiety right be&fore", self.anxiety_before, "anxiety_before", tall=True)
        mid_row = QWidget()
        mid_layout = QHBoxLayout(mid_row)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.setSpacing(6)
        mid_layout.addWidget(self.bp_mid)
        mid_layout.addSpacing(12)
        mid_layout.addWidget(buddy("at &minute", self.bp_mid_min))
        mid_layout.addWidget(self.bp_mid_min)
        mid_layout.addStretch(1)
        mid_row.setFocusProxy(self.bp_mid)
        mid_note = muted_label(
            f"Clinics usually take it about {DEFAULT_BP_MID_MIN} minutes after the start."
        )
        field("Blood pressure durin&g", mid_row, "bp_mid", "bp_mid_min", note=mid_note)
        field("Blood pressure &after", self.bp_after, "bp_after")
        field("Heart rate af&ter", with_unit(self.hr_after, "bpm"), "heart_rate_after")
        field("Anxiety right after", self.anxiety_after, "anxiety_after", tall=True)
        field(
            "Read&y to leave after",
            with_unit(self.ready_after, "min from the start"),
            "ready_after_min",
        )

        heading("How it felt")
        dissociation_note = muted_label(
            "Your own rating of how detached or unreal you felt. It is not a clinical scale."
        )
        field("Dissociation", self.dissociation, "dissociation", tall=True, note=dissociation_note)
        sleepiness_note = muted_label(
            "Your own rating of how sleepy you felt. It is not the clinic's sedation scale."
        )
        field("Sleepiness", self.sleepiness, "sleepiness", tall=True, note=sleepiness_note)
        field("C&linic", with_unit(self.clinic, ""), "clinic")
        field("&Notes", self.notes, "notes", tall=True)
        grid.addWidget(self.general_error, self._grid_row, 0, 1, 2)
        grid.setRowStretch(self._grid_row + 1, 1)

        scroll = QScrollArea()
        scroll.setObjectName("page")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(content)

        self.side_effects_button = QPushButton("Save and add side effects…")
        self.side_effects_button.setAccessibleName("Save and add side effects for this session")
        self.side_effects_button.setAutoDefault(False)
        self.side_effects_button.clicked.connect(self._save_and_add_side_effects)
        footer = QHBoxLayout()
        footer.setContentsMargins(24, 8, 24, 16)
        footer.addWidget(self.side_effects_button)
        footer.addStretch(1)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        layout.addLayout(footer)

        self.route.currentIndexChanged.connect(self._update_route_hint)
        self.devices.currentIndexChanged.connect(self._devices_chosen)
        for changed in (self.dose.textChanged, self.weight.textChanged):
            changed.connect(self._update_dose_hint)
        self.unit.currentIndexChanged.connect(self._update_dose_hint)
        self.unit.currentIndexChanged.connect(self._update_dose_example)
        self._update_route_hint()

    # -- live hints ---------------------------------------------------------------------

    def _update_route_hint(self) -> None:
        intranasal = self.route.currentData() == "intranasal"
        self.route_hint.setVisible(intranasal)
        grid = self._content.layout()
        assert isinstance(grid, QGridLayout)
        for row in (self._devices_row, self._devices_row + 1):
            for column in (0, 1):
                item = grid.itemAtPosition(row, column)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.setVisible(intranasal)

    def _devices_chosen(self) -> None:
        """The dose follows the devices: 28 mg each."""
        count = self.devices.currentData()
        if count is None:
            return
        self.unit.setCurrentText("mg")
        self.dose.set_number(MG_PER_DEVICE * int(count))

    def _update_dose_example(self) -> None:
        """The example in the empty dose field is in the unit chosen: last time's dose in
        that unit when there is one, else a typical figure (35 mg, 0.5 mg/kg)."""
        unit = self.unit.currentText()
        last = self._last_dose.get(unit)
        example = f"last {num(last)}" if last is not None else DOSE_EXAMPLES[unit]
        self.dose.setPlaceholderText(example)

    def _update_dose_hint(self) -> None:
        """Show the other figure as the dose is typed: mg ↔ mg/kg via the body weight."""
        dose, dose_problem = self.dose.read()
        weight, weight_problem = self.weight.read()
        text = ""
        if dose is not None and not dose_problem:
            if weight is None or weight_problem or weight <= 0:
                text = (
                    "Add your body weight to see the dose per kg"
                    if self.unit.currentText() == "mg"
                    else "Add your body weight to see the dose in mg"
                )
            elif self.unit.currentText() == "mg":
                text = f"= {num(round(dose / weight, 3))} mg/kg"
            else:
                text = f"= {num(round(dose * weight, 2))} mg"
        self.dose_hint.setText(text)

    # -- loading and saving -------------------------------------------------------------

    def _prefill_from_last(self) -> None:
        """Route, weight and clinic as last time: most sessions repeat them."""
        last = self.editor.journal.history_page(("session",), limit=1)
        if not last or not isinstance(last[0], TreatmentSession):
            return
        session = last[0]
        self.route.setCurrentIndex(max(0, self.route.findData(session.route)))
        self.weight.set_number(session.weight_kg)
        self.clinic.setText(session.clinic or "")
        self._last_dose = {"mg": session.dose_mg, "mg/kg": session.dose_mg_per_kg}
        if session.dose_mg_per_kg is not None:
            self.unit.setCurrentText("mg/kg")
        self._update_dose_example()

    def load(self, entry: TreatmentSession) -> None:
        self.time.set_value(entry.at)
        self.route.setCurrentIndex(max(0, self.route.findData(entry.route)))
        if entry.dose_mg is None and entry.dose_mg_per_kg is not None:
            self.unit.setCurrentText("mg/kg")
            self.dose.set_number(entry.dose_mg_per_kg)
        else:
            self.unit.setCurrentText("mg")
            self.dose.set_number(entry.dose_mg)
        self.weight.set_number(entry.weight_kg)
        self.duration.set_number(entry.duration_min)
        self.bp_before.set_pair(entry.bp_before)
        self.bp_after.set_pair(entry.bp_after)
        self.hr_before.set_number(entry.heart_rate_before)
        self.hr_after.set_number(entry.heart_rate_after)
        self.anxiety_before.setValue(entry.anxiety_before)
        self.anxiety_after.setValue(entry.anxiety_after)
        self.dissociation.setValue(entry.dissociation)
        self.clinic.setText(entry.clinic or "")
        self.notes.setPlainText(entry.notes or "")
        self.devices.blockSignals(True)
        self.devices.setCurrentIndex(max(0, self.devices.findData(entry.devices)))
        self.devices.blockSignals(False)
        self.bp_mid.set_pair(entry.bp_mid)
        self.bp_mid_min.set_number(entry.bp_mid_min if entry.bp_mid else None)
        self.sleepiness.setValue(entry.sleepiness)
        self.ready_after.set_number(entry.ready_after_min)
        self.intention.setPlainText(entry.intention or "")

    def build(self) -> tuple[TreatmentSession | None, list[Problem]]:
        """The session as typed, or every problem that keeps it from being stored."""
        problems: list[Problem] = []

        def read(place: str, field: NumberField) -> float | int | None:
            value, why = field.read()
            if why:
                problems.append(Problem(place, why))
            return value

        dose_place = "dose_mg" if self.unit.currentText() == "mg" else "dose_mg_per_kg"
        dose = read(dose_place, self.dose)
        weight = read("weight_kg", self.weight)
        duration = read("duration_min", self.duration)
        hr_before = read("heart_rate_before", self.hr_before)
        hr_after = read("heart_rate_after", self.hr_after)
        mid_min = read("bp_mid_min", self.bp_mid_min)
        ready_after = read("ready_after_min", self.ready_after)
        pairs = {}
        bp_fields = (
            ("bp_before", self.bp_before),
            ("bp_after", self.bp_after),
            ("bp_mid", self.bp_mid),
        )
        for place, bp_field in bp_fields:
            pairs[place], why = bp_field.read()
            if why:
                problems.append(Problem(place, why))
        if problems:
            return None, problems
        session = TreatmentSession(
            at=self.time.value(),
            route=str(self.route.currentData()),
            dose_mg=float(dose) if dose is not None and dose_place == "dose_mg" else None,
            dose_mg_per_kg=float(dose) if dose is not None and dose_place != "dose_mg" else None,
            weight_kg=None if weight is None else float(weight),
            duration_min=None if duration is None else int(duration),
            bp_before=pairs["bp_before"],
            bp_after=pairs["bp_after"],
            heart_rate_before=None if hr_before is None else int(hr_before),
            heart_rate_after=None if hr_after is None else int(hr_after),
            anxiety_before=self.anxiety_before.value(),
            anxiety_after=self.anxiety_after.value(),
            dissociation=self.dissociation.value(),
            clinic=self.clinic.text().strip() or None,
            notes=note_text(self.notes),
            devices=(
                self.devices.currentData() if self.route.currentData() == "intranasal" else None
            ),
            bp_mid=pairs["bp_mid"],
            bp_mid_min=None if mid_min is None else int(mid_min),
            sleepiness=self.sleepiness.value(),
            ready_after_min=None if ready_after is None else int(ready_after),
            intention=note_text(self.intention),
        )
        return session, session.problems()

    def save(self) -> bool:
        self.errors.clear()
        session, problems = self.build()
        if problems or session is None:
            self.errors.show(problems)
            return False
        entry = self.entry
        if entry is None:
            return self.store(lambda: self.editor.add([session]))
        return self.store(lambda: [self.editor.update(entry, session)])

    def _save_and_add_side_effects(self) -> None:
        stored: list[TreatmentSession] = []
        self.saved.connect(stored.extend)
        try:
            ok = self.save()
        finally:
            self.saved.disconnect(stored.extend)
        if ok:
            self.done(SessionDialog.DialogCode.Accepted)
            self.sideEffectsRequested.emit(stored[0])
