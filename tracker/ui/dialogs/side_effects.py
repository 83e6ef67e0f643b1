"""Log one or several side effects at once (one transaction), from the catalogue or named
by the user (`other:<name>`), each with its severity and time, optionally linked to the
session it followed."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.catalogue import OTHER_PREFIX, SEVERITIES, catalogue, effect_label, other
from tracker.domain.entries import SideEffect, TreatmentSession
from tracker.domain.errors import Problem
from tracker.domain.times import format_at, parse_at
from tracker.ui.accessibility import name_unnamed
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.entry_dialog import EntryDialog
from tracker.ui.widgets.errors import ErrorLabel
from tracker.ui.widgets.form_rows import buddy, note_field, note_text
from tracker.ui.widgets.layout import muted_label, sentence, title_label
from tracker.ui.widgets.number_field import NumberField
from tracker.ui.widgets.time_field import TimeField
from tracker.wording import SEVERITY_LABELS, entry_title, when

GROUP_TITLES = {"acute": "During or soon after a session", "longer-term": "Longer-term"}
RECENT_SESSIONS = 30
EFFECT_ROLE = Qt.ItemDataRole.UserRole


class SearchField(QLineEdit):
    """Enter here ticks the one match (or adds your own); it never saves the dialog."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class EffectRow(QFrame):
    """One chosen effect: its severity, when it started and how long it lasted."""

    removeRequested = Signal(str)

    def __init__(self, effect: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.effect = effect
        name = effect_label(effect)
        self.setObjectName("questionItem")
        self.title = QLabel(
            f"<b>{escape(name)}</b>" + (" (your own)" if effect.startswith("other:") else "")
        )
        self.title.setWordWrap(True)
        self.severity = QComboBox()
        self.severity.setAccessibleName(f"Severity of {name}")
        for severity in SEVERITIES:
            self.severity.addItem(SEVERITY_LABELS[severity], severity)
        self.time = TimeField(f"When {name} started")
        self.duration = NumberField(f"How long {name} lasted, in minutes", placeholder="min")
        self.remove = QToolButton()
        self.remove.setText("Remove")
        self.remove.setAccessibleName(f"Remove {name}")
        self.remove.clicked.connect(lambda: self.removeRequested.emit(self.effect))
        self.error = ErrorLabel()

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.remove)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(buddy("Se&verity", self.severity))
        controls.addWidget(self.severity)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Started"))
        controls.addWidget(self.time)
        controls.addSpacing(12)
        controls.addWidget(QLabel("Lasted"))
        controls.addWidget(self.duration)
        controls.addWidget(muted_label("min"))
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 8, 2, 10)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(controls)
        layout.addWidget(self.error)
        name_unnamed(self)  # rows come and go after the dialog is shown

    def build(
        self, session_at: datetime | None, note: str | None
    ) -> tuple[SideEffect | None, list[Problem]]:
        duration, why = self.duration.read()
        if why:
            return None, [Problem("duration_min", why)]
        entry = SideEffect(
            at=self.time.value(),
            effect=self.effect,
            severity=str(self.severity.currentData()),
            duration_min=None if duration is None else int(duration),
            session_at=session_at,
            note=note,
        )
        return entry, entry.problems()

    def show_problems(self, problems: list[Problem]) -> None:
        self.error.show_message("\n".join(sentence(p.message) for p in problems))

    def load(self, entry: SideEffect) -> None:
        self.severity.setCurrentIndex(max(0, self.severity.findData(entry.severity)))
        self.time.set_value(entry.at)
        self.duration.set_number(entry.duration_min)


class SideEffectsDialog(EntryDialog):
    """Pick effects from the searchable catalogue (or name your own), then save them all."""

    FORM = "side_effects"

    def __init__(
        self,
        editor: Editor,
        session: TreatmentSession | None = None,
        entry: SideEffect | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(editor, "Edit side effect" if entry else "Log side effects", parent)
        self.entry = entry
        self.rows: dict[str, EffectRow] = {}
        self._build()
        self._fill_sessions(session.at if session else entry.session_at if entry else None)
        if entry is not None:
            self.picker.hide()
            row = self._add_row(entry.effect)
            row.load(entry)
            row.remove.hide()
            self.note.setPlainText(entry.note or "")
        self.resize(760, 780 if entry is None else 460)
        (self.search if entry is None else self.rows[entry.effect].severity).setFocus()

    # -- building -----------------------------------------------------------------------

    def draft_extras(self) -> dict[str, Any]:
        # Effects added by name are not in the list to tick: the recipe names them.
        return {"own": [e[len(OTHER_PREFIX) :] for e in self.rows if e.startswith(OTHER_PREFIX)]}

    def prepare_restore(self, recipe: dict[str, Any]) -> None:
        own = recipe.get("own")
        for name in own if isinstance(own, list) else []:
            if isinstance(name, str) and name.strip() and other(name) not in self.rows:
                self._add_row(other(name))

    def _build(self) -> None:
        self.picker = QWidget()
        self.search = SearchField()
        self.search.setAccessibleName("Search side effects")
        self.search.setPlaceholderText("Search, or type the name of another effect")
        self.search.setClearButtonEnabled(True)
        self.add_own = QPushButton("Add your own")
        self.add_own.setAccessibleName("Add your own side effect by name")
        self.add_own.setAutoDefault(False)
        self.add_own.setEnabled(False)
        self.catalogue = QListWidget()
        self.catalogue.setAccessibleName("Side effects catalogue; Space ticks an effect")
        self._fill_catalogue()
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.add_own)
        picker_layout = QVBoxLayout(self.picker)
        picker_layout.setContentsMargins(0, 0, 0, 0)
        picker_layout.setSpacing(8)
        picker_layout.addLayout(search_row)
        picker_layout.addWidget(self.catalogue)
        self.no_match = muted_label()
        self.no_match.setWordWrap(True)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.no_match.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.no_match.hide()
        picker_layout.addWidget(self.no_match, 1)

        chosen = QWidget()
        self.rows_layout = QVBoxLayout(chosen)
        self.rows_layout.setContentsMargins(0, 0, 10, 0)
        self.rows_layout.setSpacing(0)
        self.empty = muted_label(
            "Tick one or more effects above; each gets its own severity and time."
        )
        self.empty.setWordWrap(True)
        self.rows_layout.addWidget(self.empty)
        self.rows_layout.addStretch(1)
        self.rows_scroll = QScrollArea()
        self.rows_scroll.setObjectName("page")
        self.rows_scroll.setWidgetResizable(True)
        self.rows_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.rows_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rows_scroll.setWidget(chosen)

        self.session = QComboBox()
        self.session.setAccessibleName("The session these effects followed")
        self.note = note_field("Note, saved with each effect", lines=2)
        session_error, note_error = ErrorLabel(), ErrorLabel()
        self.errors.add("session_at", session_error, self.session)
        self.errors.add("note", note_error, self.note)
        form = QGridLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(4)
        form.setColumnStretch(1, 1)
        form.addWidget(buddy("After &session", self.session), 0, 0)
        form.addWidget(self.session, 0, 1)
        form.addWidget(session_error, 1, 1)
        note_label = buddy("&Note", self.note)
        form.addWidget(note_label, 2, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.note, 2, 1)
        form.addWidget(note_error, 3, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title_label(self.windowTitle(), "pageTitle"))
        layout.addWidget(self.picker, 3)
        layout.addWidget(title_label("Chosen" if self.entry is None else "Side effect"))
        layout.addWidget(self.rows_scroll, 4)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._search_entered)
        self.add_own.clicked.connect(self._add_own)
        self.catalogue.itemChanged.connect(self._ticked)

    def _fill_catalogue(self) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        for effect in catalogue().values():
            groups.setdefault(effect.group, []).append((effect.id, effect.label))
        for group, effects in groups.items():
            header = QListWidgetItem(GROUP_TITLES.get(group, group.capitalize()))
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not ticked, not chosen
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            self.catalogue.addItem(header)
            for effect_id, label in effects:
                item = QListWidgetItem(label)
                item.setData(EFFECT_ROLE, effect_id)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(Qt.CheckState.Unchecked)
                self.catalogue.addItem(item)

    def _fill_sessions(self, selected: datetime | None) -> None:
        self.session.addItem("Not linked to a session", None)
        recent = self.editor.journal.history_page(("session",), limit=RECENT_SESSIONS)
        sessions = [s for s in recent if isinstance(s, TreatmentSession)]
        if selected is not None and all(s.at != selected for s in sessions):
            # An older session than the recent ones: look up just that day.
            day = selected.date()
            sessions += [s for s in self.editor.journal.sessions(day, day) if s.at == selected]
        for session in sessions:
            # Item data is the interchange text: Qt would turn a datetime into a QDateTime.
            self.session.addItem(
                f"{when(session.at)} · {entry_title(session)}", format_at(session.at)
            )
        if selected is not None:
            self.select_session(selected)

    def select_session(self, at: datetime | None) -> None:
        index = self.session.findData(None if at is None else format_at(at))
        self.session.setCurrentIndex(max(0, index))

    def selected_session(self) -> datetime | None:
        data = self.session.currentData()
        return parse_at(data) if isinstance(data, str) else None

    # -- choosing -----------------------------------------------------------------------

    def catalogue_items(self) -> list[QListWidgetItem]:
        items = (self.catalogue.item(i) for i in range(self.catalogue.count()))
        return [item for item in items if item is not None and item.data(EFFECT_ROLE)]

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        header: QListWidgetItem | None = None
        header_needed = False
        for index in range(self.catalogue.count()):
            item = self.catalogue.item(index)
            if item is None:
                continue
            if not item.data(EFFECT_ROLE):
                if header is not None:
                    header.setHidden(not header_needed)
                header, header_needed = item, False
                continue
            item.setHidden(not all(w in item.text().casefold() for w in words))
            header_needed = header_needed or not item.isHidden()
        if header is not None:
            header.setHidden(not header_needed)
        name = " ".join(text.split())
        exact = any(item.text().casefold() == name.casefold() for item in self.catalogue_items())
        self.add_own.setEnabled(bool(name) and not exact)
        self.add_own.setText(f"Add “{name}”" if name and not exact else "Add your own")
        nothing = bool(words) and all(item.isHidden() for item in self.catalogue_items())
        self.no_match.setText(
            f"“{name}” is not in the list. Add it as your own with the button above, or Enter."
        )
        self.no_match.setVisible(nothing)
        self.catalogue.setVisible(not nothing)

    def _search_entered(self) -> None:
        visible = [i for i in self.catalogue_items() if not i.isHidden()]
        if len(visible) == 1 and self.search.text().strip():
            visible[0].setCheckState(Qt.CheckState.Checked)
            self.search.clear()
        elif self.add_own.isEnabled():
            self._add_own()

    def _add_own(self) -> None:
        name = " ".join(self.search.text().split())
        if not name:
            return
        self._add_row(other(name))
        self.search.clear()

    def _ticked(self, item: QListWidgetItem) -> None:
        effect = str(item.data(EFFECT_ROLE))
        if item.checkState() == Qt.CheckState.Checked:
            self._add_row(effect)
        else:
            self._remove_row(effect)

    def _add_row(self, effect: str) -> EffectRow:
        if effect in self.rows:
            return self.rows[effect]
        row = EffectRow(effect)
        row.removeRequested.connect(self._remove_row)
        self.rows[effect] = row
        self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
        self.empty.hide()
        self.general_error.show_message("")
        return row

    def _remove_row(self, effect: str) -> None:
        row = self.rows.pop(effect, None)
        if row is not None:
            row.hide()
            row.deleteLater()
        for item in self.catalogue_items():
            if item.data(EFFECT_ROLE) == effect and item.checkState() == Qt.CheckState.Checked:
                item.setCheckState(Qt.CheckState.Unchecked)
        self.empty.setVisible(not self.rows)

    def tick(self, effect: str) -> None:
        """Tick a catalogue effect by id (the same as clicking its box)."""
        for item in self.catalogue_items():
            if item.data(EFFECT_ROLE) == effect:
                item.setCheckState(Qt.CheckState.Checked)

    # -- saving -------------------------------------------------------------------------

    def save(self) -> bool:
        self.errors.clear()
        if not self.rows:
            self.general_error.show_message("Choose at least one side effect to save.")
            self.search.setFocus()
            return False
        session_at = self.selected_session()
        note = note_text(self.note)
        entries: list[SideEffect] = []
        shared: list[Problem] = []  # the note and the session belong to every row
        for row in self.rows.values():
            entry, problems = row.build(session_at, note)
            row.show_problems([p for p in problems if p.place not in ("note", "session_at")])
            shared += [p for p in problems if p.place in ("note", "session_at")]
            if entry is not None and not problems:
                entries.append(entry)
        if shared:
            self.errors.show(shared)
        if len(entries) < len(self.rows):
            return False
        current = self.entry
        if current is None:
            return self.store(lambda: self.editor.add(entries))
        return self.store(lambda: [self.editor.update(current, entries[0])])
