"""The Treatment page, 'Took a dose' from Today and the Record menu, planned sessions
(shown, matched, missed, dismissed) and undo of all of it, driven through real widgets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import dark_palette, unnamed_focus_stops
from tests.ui.test_screenshots import save
from tracker.domain.entries import Medication, PlannedSession
from tracker.journal import Journal
from tracker.ui.app.main_window import MainWindow
from tracker.ui.dialogs.treatment import DoseDialog, MedicineDialog, PlanDialog
from tracker.ui.pages.treatment import TreatmentView

TODAY = date.today()
NOW = datetime.now().replace(second=0, microsecond=0)


def treatment(window: MainWindow) -> TreatmentView:
    window.show_view("treatment")
    page = window.page("treatment")
    assert isinstance(page, TreatmentView)
    return page


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def active(cls: type) -> object:
    found = QApplication.activeModalWidget() or QApplication.activeWindow()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible()]
    assert dialogs, f"no {cls.__name__} open (active: {found})"
    return dialogs[-1]


def test_adding_a_medicine_and_stopping_it_is_an_edit(qtbot, window, journal: Journal) -> None:
    page = treatment(window)
    click(qtbot, page.add_button)
    form = active(MedicineDialog)
    assert isinstance(form, MedicineDialog)
    qtbot.keyClicks(form.name, "  Lorazepam ")
    form.medication_class.setCurrentIndex(form.medication_class.findData("benzodiazepine"))
    form.schedule.setCurrentIndex(form.schedule.findData("as_needed"))
    assert not form.times.isEnabled(), "times a day are for a regular medicine"
    qtbot.keyClicks(form.dose, "1")
    form.started.set_value(TODAY - timedelta(days=60))
    click(qtbot, form.save_button)
    [stored] = journal.medications()
    assert (stored.name, stored.medication_class, stored.schedule, stored.dose_mg) == (
        "Lorazepam",
        "benzodiazepine",
        "as_needed",
        1.0,
    )
    assert page.entry_rows() == [stored] and page.current.rowCount() == 1
    # Stopping: the same medicine, now with its last day; it moves to Past.
    page.current.selectRow(0)
    click(qtbot, page.stop_button)
    stop = active(MedicineDialog)
    assert isinstance(stop, MedicineDialog) and stop.is_stopped.isChecked()
    stop.stopped.set_value(TODAY - timedelta(days=2))
    click(qtbot, stop.save_button)
    [stopped] = journal.medications()
    assert stopped.id == stored.id and stopped.stopped == TODAY - timedelta(days=2)
    assert (page.current.rowCount(), page.past.rowCount()) == (0, 1)
    # Undo puts it back as current, redo stops it again; nothing was deleted on the way.
    window.undo_stack.undo()
    assert journal.medications() == [stored]
    assert (page.current.rowCount(), page.past.rowCount()) == (1, 0)
    window.undo_stack.redo()
    assert journal.medications() == [stopped]


def test_the_medicine_form_refuses_what_the_import_refuses(qtbot, window, journal: Journal) -> None:
    form = window.open_medicine()
    assert isinstance(form, MedicineDialog)
    form.started.set_value(date(2026, 1, 10))
    form.is_stopped.setChecked(True)
    form.stopped.set_value(date(2026, 1, 1))
    form.schedule.setCurrentIndex(form.schedule.findData("regular"))
    qtbot.keyClicks(form.times, "30")
    click(qtbot, form.save_button)
    assert form.errors.message("name") == "Must not be empty"
    assert form.errors.message("stopped") == "2026-01-01 is before it started (2026-01-10)"
    assert form.errors.message("times_per_day") == "30 is outside 1–24"
    assert journal.medications() == []
    # A start too far ahead is a typo in the year.
    form.is_stopped.setChecked(False)
    form.times.clear()
    qtbot.keyClicks(form.name, "sertraline")
    form.started.set_value(TODAY + timedelta(days=30))
    click(qtbot, form.save_button)
    assert "more than a day in the future" in form.errors.message("started")
    assert journal.medications() == []


def test_took_a_dose_from_today_and_the_record_menu(qtbot, window, journal: Journal) -> None:
    assert not window.today.dose_button.isVisible(), "no as-needed medicine yet"
    # From the Record menu with none: it says where to add one, and shows the page.
    box = window.open_dose()
    assert isinstance(box, QMessageBox) and window.current_view() == "treatment"
    box.close()
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", TODAY - timedelta(days=9),
                           dose_mg=0.5)  # fmt: skip
    journal.add_medication("sertraline", "antidepressant", "regular", TODAY - timedelta(days=90),
                           dose_mg=50.0, times_per_day=1)  # fmt: skip
    window.show_view("today")
    window.today.refresh()
    assert window.today.dose_button.isVisible()
    click(qtbot, window.today.dose_button)
    dialog = active(DoseDialog)
    assert isinstance(dialog, DoseDialog)
    # Only the as-needed medicine is offered, its usual amount filled in: one step.
    assert [dialog.medicine.itemText(i) for i in range(dialog.medicine.count())] == [
        "lorazepam, usually 0.5 mg"
    ]
    assert dialog.dose.text() == "0.5"
    before = datetime.now().replace(second=0, microsecond=0)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    [dose] = journal.medication_doses()
    assert (dose.medication, dose.dose_mg) == ("lorazepam", 0.5)
    assert before <= dose.at <= datetime.now(), "taken now, unless the time was changed"
    # The keyboard: Ctrl+D opens it from anywhere in the window.
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    second = active(DoseDialog)
    assert isinstance(second, DoseDialog) and second is not dialog
    second.dose.setText("1")
    click(qtbot, second.save_button)
    assert [d.dose_mg for d in journal.medication_doses()] == [0.5, 1.0]
    # Undo takes the last dose away, then the first.
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert journal.medication_doses() == []
    window.undo_stack.redo()
    assert [d.dose_mg for d in journal.medication_doses()] == [0.5]


def test_a_medicine_with_doses_is_not_deleted_and_says_why(qtbot, window, journal: Journal) -> None:
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", TODAY - timedelta(days=9))
    journal.add_medication_dose(NOW - timedelta(hours=3), "lorazepam")
    page = treatment(window)
    page.current.selectRow(0)
    assert not page.delete_medicine()
    assert page.refusal is not None and "has 1 recorded dose" in page.refusal.informativeText()
    assert len(journal.medications()) == 1


def test_planned_sessions_shown_matched_missed_and_dismissed(
    qtbot, window, journal: Journal
) -> None:
    missed = journal.add_planned_session(NOW - timedelta(days=3), "intranasal")
    held = journal.add_planned_session(NOW - timedelta(days=1), "intranasal")
    ahead = journal.add_planned_session(NOW + timedelta(days=4), "intranasal", note="booster")
    window.today.refresh()
    plan_line = window.today.plan_label.text()
    assert plan_line.startswith("Next planned session: ") and "intranasal" in plan_line
    assert window.today.missed_label.text().count("no session logged") == 1
    page = treatment(window)
    states = [page.plans.item(r, 2).text() for r in range(page.plans.rowCount())]
    # Ahead first, then the past, latest first; nothing logged yet.
    assert states == ["Planned", "Missed (no session logged that day)"] * 1 + [
        "Missed (no session logged that day)"
    ]
    # Logging a session on a planned day marks that plan held.
    form = window.open_session()
    # Noon of the planned day: two hours after the plan would be the next day after 22:00.
    form.time.set_value(held.at.replace(hour=12, minute=0))
    form.route.setCurrentIndex(form.route.findData("intranasal"))
    click(qtbot, form.save_button)
    states = [page.plans.item(r, 2).text() for r in range(page.plans.rowCount())]
    assert states[1].startswith("Held, session at ")
    # The missed one is dismissed with a button; undo brings it back as missed.
    page.plans.selectRow(2)
    assert page.dismiss_button.isEnabled()
    click(qtbot, page.dismiss_button)
    [view] = [v for v in journal.plans() if v.plan.id == missed.id]
    assert view.state == "dismissed"
    window.show_view("today")  # a hidden page catches up when shown
    assert window.today.missed_label.text() == ""
    window.show_view("treatment")
    window.undo_stack.undo()
    [view] = [v for v in journal.plans() if v.plan.id == missed.id]
    assert view.state == "missed"
    assert [v.plan for v in journal.plans() if v.state == "ahead"] == [ahead]


def test_planning_a_session_from_the_record_menu(qtbot, window, journal: Journal) -> None:
    window.actions_by_name["plan"].trigger()
    dialog = active(PlanDialog)
    assert isinstance(dialog, PlanDialog)
    when = (NOW + timedelta(days=7)).replace(hour=10, minute=0)
    dialog.time.set_value(when)
    dialog.route.setCurrentIndex(dialog.route.findData("iv"))
    qtbot.keyClicks(dialog.notes, "first booster")
    click(qtbot, dialog.save_button)
    assert [p.to_json() for p in journal.planned_sessions()] == [
        PlannedSession(at=when, route="iv", note="first booster").to_json()
    ]
    # More than two years ahead is refused beside the time.
    again = window.open_plan()
    assert isinstance(again, PlanDialog)
    again.time.set_value(NOW + timedelta(days=800))
    click(qtbot, again.save_button)
    assert "more than two years in the future" in again.errors.message("at")
    assert len(journal.planned_sessions()) == 1


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_treatment_screenshots(
    qtbot, qapp, tmp_path: Path, shots_dir: Path, theme: str, palette_restored
) -> None:
    if theme == "dark":
        qapp.setPalette(dark_palette())
    journal = Journal.open(tmp_path / "j.onset", create=True)
    journal.add_medication("Lorazepam", "benzodiazepine", "as_needed", TODAY - timedelta(days=70),
                           dose_mg=1.0)  # fmt: skip
    journal.add_medication("Sertraline", "antidepressant", "regular", TODAY - timedelta(days=400),
                           dose_mg=100.0, times_per_day=1)  # fmt: skip
    journal.add_medication("Zolpidem", "z_drug", "as_needed", TODAY - timedelta(days=300),
                           dose_mg=5.0, stopped=TODAY - timedelta(days=100))  # fmt: skip
    for days in (1, 4, 9):
        journal.add_medication_dose(NOW - timedelta(days=days, hours=2), "lorazepam")
    journal.add_session(NOW - timedelta(days=2), "intranasal", devices=2)
    journal.add_planned_session(NOW - timedelta(days=2), "intranasal")
    journal.add_planned_session(NOW - timedelta(days=5), "intranasal", note="clinic closed")
    journal.add_planned_session(NOW + timedelta(days=5), "intranasal", note="booster")
    window = MainWindow(journal, owns_journal=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    save(window, shots_dir, f"today-treatment-{theme}")
    treatment(window).current.selectRow(0)
    save(window, shots_dir, f"treatment-{theme}")
    assert unnamed_focus_stops(window.page("treatment")) == []
    medicine = window.open_medicine()
    assert unnamed_focus_stops(medicine) == []
    save(medicine, shots_dir, f"medicine-form-{theme}")
    medicine.close()
    dose = window.open_dose()
    assert unnamed_focus_stops(dose) == []
    save(dose, shots_dir, f"dose-form-{theme}")
    dose.close()
    plan = window.open_plan()
    assert unnamed_focus_stops(plan) == []
    save(plan, shots_dir, f"plan-form-{theme}")
    plan.close()
    session = window.open_session()
    session.route.setCurrentIndex(session.route.findData("intranasal"))
    save(session, shots_dir, f"session-form-v2-{theme}")
    session.close()
    assert isinstance(journal.medications()[0], Medication)


def test_a_new_plan_follows_the_last_session_even_one_with_an_offset(
    qtbot, window, journal: Journal
) -> None:
    last = (NOW - timedelta(days=2)).replace(hour=9, minute=30)
    journal.add_session(f"{last:%Y-%m-%dT%H:%M}+01:00", "intranasal", devices=2)
    dialog = window.open_plan()
    assert isinstance(dialog, PlanDialog)
    assert dialog.route.currentData() == "intranasal"
    proposed = dialog.time.value()
    assert (proposed.hour, proposed.minute) == (9, 30)
    assert proposed.date() == max(last, datetime.now()).date() + timedelta(days=7)


def test_the_dose_form_refuses_what_the_import_refuses(qtbot, window, journal: Journal) -> None:
    journal.add_medication("lorazepam", "benzodiazepine", "as_needed", TODAY - timedelta(days=9),
                           dose_mg=1.0)  # fmt: skip
    dialog = window.open_dose()
    assert isinstance(dialog, DoseDialog)
    dialog.dose.setText("0")
    dialog.time.set_value(NOW + timedelta(days=3))
    click(qtbot, dialog.save_button)
    assert dialog.errors.message("dose_mg") == "0 mg must be above 0 and at most 10000 mg"
    assert "more than a day in the future" in dialog.errors.message("at")
    # Before the medicine's period: no medicine of that name was current then.
    dialog.dose.setText("1")
    dialog.time.set_value(NOW - timedelta(days=30))
    click(qtbot, dialog.save_button)
    assert "No medicine named lorazepam is recorded as taken on" in dialog.errors.message(
        "medication"
    )
    assert journal.medication_doses() == []
