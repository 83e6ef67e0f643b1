"""The session form: every field of journal-format.md, the other dose figure shown as you
type, implausible values refused beside their field with nothing stored, a duplicate
session time refused, and 'add side effects for this session'."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import choose
from tracker.domain.entries import TreatmentSession
from tracker.journal import Journal
from tracker.ui.dialogs.side_effects import SideEffectsDialog

WHEN = datetime(2026, 1, 6, 10, 0)


def test_every_field_is_stored(qtbot, window, journal: Journal) -> None:
    form = window.open_session()
    form.time.set_value(WHEN)
    form.route.setCurrentIndex(form.route.findData("iv"))
    form.unit.setCurrentText("mg/kg")
    qtbot.keyClicks(form.dose, "0.5")
    qtbot.keyClicks(form.weight, "70")
    assert form.dose_hint.text() == "= 35 mg", "the other figure is shown as you type"
    qtbot.keyClicks(form.duration, "40")
    qtbot.keyClicks(form.bp_before.systolic, "128")
    qtbot.keyClicks(form.bp_before.diastolic, "82")
    qtbot.keyClicks(form.bp_after.systolic, "142")
    qtbot.keyClicks(form.bp_after.diastolic, "90")
    qtbot.keyClicks(form.hr_before, "72")
    qtbot.keyClicks(form.hr_after, "80")
    choose(qtbot, form.anxiety_before, 7)
    choose(qtbot, form.anxiety_after, 3)
    choose(qtbot, form.dissociation, 6)
    qtbot.keyClicks(form.clinic, "Riverside")
    qtbot.keyClicks(form.notes, "calm afterwards")
    qtbot.keyClicks(form.bp_mid.systolic, "150")
    qtbot.keyClicks(form.bp_mid.diastolic, "95")
    qtbot.keyClicks(form.bp_mid_min, "35")
    choose(qtbot, form.sleepiness, 4)
    qtbot.keyClicks(form.ready_after, "110")
    qtbot.keyClicks(form.intention, "let it come")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    [stored] = journal.sessions()
    assert stored.to_json() == {
        "at": "2026-01-06T10:00",
        "route": "iv",
        "dose_mg": 35.0,
        "dose_mg_per_kg": 0.5,
        "weight_kg": 70.0,
        "duration_min": 40,
        "bp_before": [128, 82],
        "bp_after": [142, 90],
        "heart_rate_before": 72,
        "heart_rate_after": 80,
        "anxiety_before": 7,
        "anxiety_after": 3,
        "dissociation": 6,
        "clinic": "Riverside",
        "notes": "calm afterwards",
        "devices": None,
        "bp_mid": [150, 95],
        "bp_mid_min": 35,
        "sleepiness": 4,
        "ready_after_min": 110,
        "intention": "let it come",
    }
    assert stored.dose_mg is None, "what was entered (mg/kg) is what is stored"
    assert not form.isVisible()


def test_dose_in_mg_shows_mg_per_kg(qtbot, window) -> None:
    form = window.open_session()
    form.unit.setCurrentText("mg")
    qtbot.keyClicks(form.dose, "84")
    assert "body weight" in form.dose_hint.text()
    qtbot.keyClicks(form.weight, "80")
    assert form.dose_hint.text() == "= 1.05 mg/kg"
    form.route.setCurrentIndex(form.route.findData("intranasal"))
    assert form.route_hint.isVisible() and "28 mg per device" in form.route_hint.text()


def test_implausible_values_are_refused_beside_their_field(qtbot, window, journal) -> None:
    form = window.open_session()
    qtbot.keyClicks(form.dose, "2000")
    qtbot.keyClicks(form.bp_before.systolic, "400")
    qtbot.keyClicks(form.bp_before.diastolic, "80")
    qtbot.keyClicks(form.bp_after.systolic, "120")  # diastolic missing
    qtbot.keyClicks(form.hr_before, "300")
    qtbot.keyClicks(form.weight, "10")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert form.errors.message("bp_after") == (
        "Enter both numbers, systolic / diastolic (e.g. 120 / 80)"
    )
    assert journal.count("session") == 0
    # Once the form can be read, the domain's own rules judge the values.
    qtbot.keyClicks(form.bp_after.diastolic, "80")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.errors.message("dose_mg") == (
        "2000 mg must be above 0 and at most 1000 mg\n10 kg is outside 20–400 kg"
    ), "dose and weight share one row, and both messages show"
    assert form.errors.message("bp_before") == "Systolic 400 is outside 50–300"
    assert form.errors.message("heart_rate_before") == "300 bpm is outside 20–250 bpm"
    assert form.errors.message("bp_after") == ""
    assert form.isVisible()
    assert journal.count("session") == 0

    for field, text in (
        (form.dose, "35"),
        (form.bp_before.systolic, "130"),
        (form.hr_before, "70"),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    form.weight.clear()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert journal.count("session") == 1


def test_a_duplicate_session_time_is_refused_inline(qtbot, window, journal: Journal) -> None:
    journal.add_session(WHEN, "iv")
    form = window.open_session()
    form.time.set_value(WHEN)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.errors.message("at") == "There is already a session at 2026-01-06T10:00"
    assert form.isVisible()
    assert journal.count("session") == 1


def test_dissociation_is_the_patients_own_rating(qtbot, window) -> None:
    form = window.open_session()
    words = " ".join(label.text() for label in form.findChildren(QLabel))
    words += " ".join(w.accessibleName() for w in form.findChildren(type(form.dissociation.bar)))
    assert "CADSS" not in words
    assert "your own rating" in form.dissociation.bar.accessibleName()


def test_new_session_starts_from_the_last_route_weight_and_clinic(qtbot, window, journal) -> None:
    journal.add_session(WHEN, "intranasal", dose_mg=56.0, weight_kg=81.0, clinic="North")
    form = window.open_session()
    assert form.route.currentData() == "intranasal"
    assert (form.weight.text(), form.clinic.text(), form.dose.text()) == ("81", "North", "")


def test_save_and_add_side_effects_for_this_session(qtbot, window, journal: Journal) -> None:
    form = window.open_session()
    form.time.set_value(WHEN)
    qtbot.mouseClick(form.side_effects_button, Qt.MouseButton.LeftButton)
    [session] = journal.sessions()
    [effects] = [d for d in window.findChildren(SideEffectsDialog) if d.isVisible()]
    assert effects.selected_session() == session.at

    effects.tick("nausea")
    qtbot.mouseClick(effects.save_button, Qt.MouseButton.LeftButton)
    [effect] = journal.side_effects()
    assert effect.session_at == session.at


def test_editing_a_session_keeps_its_id(qtbot, window, journal: Journal) -> None:
    stored = journal.add_session(WHEN, "iv", dose_mg=35.0, weight_kg=70.0)
    form = window.open_entry(stored)
    assert form.dose.text() == "35" and form.unit.currentText() == "mg"
    form.dose.clear()
    qtbot.keyClicks(form.dose, "40")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    [updated] = journal.sessions()
    assert isinstance(updated, TreatmentSession)
    assert (updated.id, updated.dose_mg) == (stored.id, 40.0)


def test_esketamine_devices_set_the_dose_and_show_for_intranasal_only(
    qtbot, window, journal: Journal
) -> None:
    form = window.open_session()
    form.time.set_value(WHEN)
    form.route.setCurrentIndex(form.route.findData("iv"))
    assert not form.devices.isVisible(), "devices are counted for intranasal esketamine only"
    form.route.setCurrentIndex(form.route.findData("intranasal"))
    assert form.devices.isVisible()
    form.devices.setFocus()
    qtbot.keyClick(form.devices, Qt.Key.Key_Down)
    qtbot.keyClick(form.devices, Qt.Key.Key_Down)
    qtbot.keyClick(form.devices, Qt.Key.Key_Down)
    assert form.devices.currentData() == 3
    # 3 devices × 28 mg = 84 mg, in mg.
    assert (form.dose.text(), form.unit.currentText()) == ("84", "mg")
    qtbot.keyClicks(form.bp_mid.systolic, "150")
    qtbot.keyClicks(form.bp_mid.diastolic, "95")  # no minute typed: the usual 40
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    [stored] = journal.sessions()
    assert (stored.devices, stored.dose_mg, stored.bp_mid, stored.bp_mid_min) == (
        3,
        84.0,
        (150, 95),
        40,
    )
    # Editing shows what was stored, and a changed dose that no longer matches is refused
    # beside the dose with the import's words.
    edit = window.open_entry(stored)
    assert edit.devices.currentData() == 3 and edit.bp_mid_min.text() == "40"
    edit.dose.setText("56")
    qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    assert "56 mg does not match 3 devices × 28 mg = 84 mg" in edit.errors.message("dose_mg")
    assert journal.sessions() == [stored]


def test_the_new_fields_are_refused_like_the_import_refuses_them(
    qtbot, window, journal: Journal
) -> None:
    form = window.open_session()
    form.time.set_value(WHEN)
    qtbot.keyClicks(form.bp_mid.systolic, "90")
    qtbot.keyClicks(form.bp_mid.diastolic, "95")
    qtbot.keyClicks(form.bp_mid_min, "300")
    qtbot.keyClicks(form.ready_after, "700")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    # The reading and its minute share one line of messages, beside them.
    assert form.errors.message("bp_mid").splitlines() == [
        "Systolic 90 must be above diastolic 95",
        "300 min is outside 1–240 min",
    ]
    assert form.errors.message("ready_after_min") == "700 min is outside 0–600 min"
    assert journal.sessions() == []
    # A minute with no reading is refused too.
    form.bp_mid.set_pair(None)
    form.bp_mid_min.setText("40")
    form.ready_after.clear()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.errors.message("bp_mid_min") == "The minute needs the mid-session reading beside it"
    assert journal.sessions() == []


def test_letters_in_a_number_field_are_refused_visibly_never_dropped(
    qtbot, window, journal: Journal
) -> None:
    form = window.open_session()
    form.time.set_value(WHEN)
    qtbot.keyClicks(form.dose, "35")
    qtbot.keyClicks(form.weight, "7o")  # a slip of the finger: o for 0
    assert form.weight.text() == "7o", "what was typed stays as typed"
    assert form.errors.message("weight_kg").startswith("“7o” is not a number")
    assert form.errors._fields["weight_kg"][0].isVisible(), "said at once, before Save"
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert journal.count("session") == 0, "never stored as 7 kg"
    # Fixing the field takes the message away at once.
    qtbot.keyClick(form.weight, Qt.Key.Key_Backspace)
    qtbot.keyClicks(form.weight, "0")
    assert form.errors.message("weight_kg") == ""
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    [stored] = journal.sessions()
    assert (stored.dose_mg, stored.weight_kg) == (35.0, 70.0)


def test_a_whole_number_field_refuses_a_decimal_visibly(qtbot, window) -> None:
    form = window.open_session()
    qtbot.keyClicks(form.hr_before, "7.2")
    assert form.errors.message("heart_rate_before").startswith("“7.2” is not a whole number")


def test_an_error_clears_when_its_field_is_changed(qtbot, window, journal: Journal) -> None:
    form = window.open_session()
    form.time.set_value(WHEN)
    qtbot.keyClicks(form.dose, "2000")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.errors.message("dose_mg") != ""
    qtbot.keyClick(form.dose, Qt.Key.Key_Backspace)  # 200: the field changed
    assert form.errors.message("dose_mg") == ""
    assert journal.count("session") == 0


def test_the_check_in_error_clears_when_a_rating_is_chosen(qtbot, window) -> None:
    today = window.today
    qtbot.mouseClick(today.save_button, Qt.MouseButton.LeftButton)
    assert today.form.errors.message("anxiety").startswith("Choose how anxious")
    choose(qtbot, today.form.anxiety, 4)
    assert today.form.errors.message("anxiety") == ""


def test_the_dose_example_follows_the_unit(qtbot, window, journal: Journal) -> None:
    form = window.open_session()
    assert (form.unit.currentText(), form.dose.placeholderText()) == ("mg", "e.g. 35")
    form.unit.setCurrentText("mg/kg")
    assert form.dose.placeholderText() == "e.g. 0.5"
    form.reject()
    # After a session logged per kg, the example is last time's dose in the unit shown.
    journal.add_session("2026-01-06T10:00", "iv", dose_mg_per_kg=0.6, weight_kg=70.0)
    again = window.open_session()
    assert (again.unit.currentText(), again.dose.placeholderText()) == ("mg/kg", "last 0.6")
    again.unit.setCurrentText("mg")
    assert again.dose.placeholderText() == "e.g. 35"
