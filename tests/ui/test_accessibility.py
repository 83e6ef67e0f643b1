"""Every focus stop in every window and dialog has an accessible name, and the check-in
form's tab order follows the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import press, unnamed_focus_stops
from tracker.journal import Journal
from tracker.ui.app.main_window import VIEWS
from tracker.ui.dialogs.safety import SafetyMessage


def test_every_focus_stop_has_a_name(qtbot, window, journal: Journal) -> None:
    journal.add_session("2026-01-06T10:00", "iv")
    for view in VIEWS:
        window.show_view(view)
    dialogs = [
        window.open_questionnaire("PHQ-9"),
        window.open_session(),
        window.open_side_effects(),
        window.open_entry(journal.add_checkin("2026-01-05T21:10", anxiety=6)),
    ]
    effects = dialogs[2]
    effects.tick("nausea")
    effects.search.setText("own effect")
    effects.add_own.click()
    safety = SafetyMessage("item text", "Several days")
    qtbot.addWidget(safety)
    for root in [window, *dialogs, safety]:
        assert unnamed_focus_stops(root) == [], type(root).__name__
    history = window.page("history")
    history.table.selectRow(0)
    history.delete_selected()
    assert history.confirm_box is not None
    assert unnamed_focus_stops(history.confirm_box) == []
    history.confirm_box.reject()


def test_check_in_tab_order(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    form = window.today.form
    window.actions_by_name["checkin"].trigger()
    order = [form.anxiety.bar]
    for _ in range(5):
        press(qtbot, Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        form.anxiety.bar,
        form.mood.bar,
        form.sleep,
        form.note,
        form.time.edit,
        form.time.now_button,
    ], "one Tab per field, the time field included"


def _iface(widget):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAccessible

    QAccessible.setActive(True)
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None and found.isValid()
    return found


def test_the_scales_are_sliders_with_a_value_read_and_set_through_qaccessible(
    qtbot, window, journal: Journal
) -> None:
    from PySide6.QtGui import QAccessible

    name = QAccessible.Text.Name
    form = window.today.form
    anxiety = _iface(form.anxiety.bar)
    assert anxiety.role() == QAccessible.Role.Slider
    assert anxiety.text(name) == "Anxiety right now, not chosen, 0 to 10"
    values = anxiety.valueInterface()
    assert (values.minimumValue(), values.maximumValue()) == (0, 10)
    form.anxiety.bar.setFocus()
    qtbot.keyClick(form.anxiety.bar, Qt.Key.Key_7)
    assert anxiety.text(name) == "Anxiety right now, 7 of 10"
    assert values.currentValue() == 7
    qtbot.keyClick(form.anxiety.bar, Qt.Key.Key_Right)  # arrow keys change it
    assert (values.currentValue(), anxiety.text(name)) == (8, "Anxiety right now, 8 of 10")
    # A screen reader's "set value" chooses the rating the form saves.
    values.setCurrentValue(3)
    mood = _iface(form.mood.bar)
    mood.valueInterface().setCurrentValue(6)
    assert mood.text(name) == "Mood (optional), 6 of 10"
    assert "0 very low, 10 very good" in mood.text(QAccessible.Text.Description)
    qtbot.keyClick(form.anxiety.bar, Qt.Key.Key_Return)
    [stored] = journal.checkins()
    assert (stored.anxiety, stored.mood) == (3, 6)


def test_every_combo_box_is_labelled_for_screen_readers(qtbot, window, journal) -> None:
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QComboBox

    journal.add_session("2026-01-06T10:00", "iv")
    for view in VIEWS:
        window.show_view(view)
    effects = window.open_side_effects()
    effects.tick("nausea")
    roots = [window, window.open_session(), effects, window.export_summary()]
    unlabelled, seen = [], []
    for root in roots:
        for combo in root.findChildren(QComboBox):
            if not combo.isVisibleTo(root):
                continue
            seen.append(combo.accessibleName())
            iface = _iface(combo)
            labels = [
                other.text(QAccessible.Text.Name)
                for other, relation in iface.relations()
                if relation & QAccessible.RelationFlag.Label
            ]
            if not labels:
                unlabelled.append(f"{combo.accessibleName()} in {type(root).__name__}")
    assert unlabelled == []
    # History's two, the session's route and unit, a side effect's severity and session,
    # the export's period.
    assert {"Dose unit", "Route", "Period"} <= set(seen) and len(seen) >= 7, seen


def test_questionnaire_answers_carry_their_question(qtbot, window) -> None:
    from PySide6.QtGui import QAccessible

    from tracker.domain.instruments import instrument

    dialog = window.open_questionnaire("PHQ-9")
    items = instrument("PHQ-9").items
    first = _iface(dialog.questions[0].buttons[0]).text(QAccessible.Text.Name)
    assert first == f"1. {items[0].text}: Not at all"
    ninth = _iface(dialog.questions[8].buttons[3]).text(QAccessible.Text.Name)
    assert ninth.startswith(f"9. {items[8].text}") and ninth.endswith("Nearly every day")
    difficulty = _iface(dialog.difficulty.buttons[0]).text(QAccessible.Text.Name)
    assert difficulty.startswith(instrument("PHQ-9").difficulty_text)


def test_examples_in_empty_fields_are_not_read_as_values(qtbot, window, journal) -> None:
    from PySide6.QtGui import QAccessible

    from tracker.ui.widgets.number_field import NumberField

    journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0, weight_kg=70.0)
    roots = [window.today, window.open_session()]
    checked = 0
    for root in roots:
        for field in root.findChildren(NumberField):
            placeholder = field.placeholderText()
            if not placeholder or field.text():
                continue
            iface = _iface(field)
            assert iface.text(QAccessible.Text.Value) == "", field.accessibleName()
            assert placeholder not in iface.text(QAccessible.Text.Name)
            # What a screen reader may say of the example says it is one.
            assert placeholder.startswith(("e.g. ", "last ")), placeholder
            checked += 1
    assert checked >= 9
