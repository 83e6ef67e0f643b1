"""The main window: navigation (Today, History, Charts, Settings), menus, the status line.

Only Today is built at start-up; the other pages are made the first time they are shown
(Charts imports matplotlib only then). Every add, edit and delete goes through one
Editor, so Edit → Undo/Redo covers them all, and every page refreshes from the journal's
single change signal (tracker.ui.models.changes), to which each page subscribes itself.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.between import FollowUp, Reflection
from tracker.domain.entries import (
    Assessment,
    Checkin,
    Entry,
    Medication,
    MedicationDose,
    PlannedSession,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.errors import ValidationError
from tracker.domain.instruments import instruments
from tracker.journal import ALL_KINDS, Journal
from tracker.paths import data_folder
from tracker.storage.crypto import is_encrypted_connection
from tracker.storage.errors import JournalError
from tracker.ui.accessibility import name_unnamed
from tracker.ui.app.editing import Editor
from tracker.ui.app.views import VIEW_TITLES, VIEWS
from tracker.ui.dialogs.messages import ask_save_discard, journal_error_box, tell
from tracker.ui.pages.today import TodayView
from tracker.ui.style import ensure_style, icon
from tracker.ui.widgets.layout import muted_label, notice_bar

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QShowEvent
    from PySide6.QtWidgets import QDialog, QMessageBox

    from tracker.domain.due import DueItem
    from tracker.storage.lock import JournalLock
    from tracker.ui.app.lock import IdleLock
    from tracker.ui.app.tray import TrayReminders
    from tracker.ui.dialogs.about import AboutDialog
    from tracker.ui.dialogs.entry_dialog import EntryDialog
    from tracker.ui.dialogs.questionnaire import QuestionnaireDialog
    from tracker.ui.dialogs.session import SessionDialog
    from tracker.ui.dialogs.side_effects import SideEffectsDialog
    from tracker.ui.widgets.unsaved import UnsavedInput

DAMAGE_CHECK_MS = 1500
GEOMETRY_KEY = "window/geometry"
QUESTIONNAIRE_KEYS = {"GAD-7": "Ctrl+G", "PHQ-9": "Ctrl+Shift+P"}
# The tray icon comes a moment after the window, off the path to the first window.
TRAY_DELAY_MS = 1500


class MainWindow(QMainWindow):
    """One window on one journal."""

    openJournalRequested = Signal(object, bool)  # path, create when missing
    demoRequested = Signal()
    closed = Signal(object)

    def __init__(
        self,
        journal: Journal,
        *,
        demo: bool = False,
        owns_journal: bool = False,
        lock: JournalLock | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.journal = journal
        self.demo = demo
        self._owns_journal = owns_journal
        self._lock = lock
        self._closed = False
        self.undo_stack = QUndoStack(self)
        self.editor = Editor(journal, self.undo_stack)
        self.editor.failed.connect(self._edit_failed)
        self.actions_by_name: dict[str, QAction] = {}
        # The local time as the window sees it; tests set a fixed one.
        self._clock: Callable[[], datetime] = datetime.now
        self.tray: TrayReminders | None = None
        # Closing with unsaved input asks first (closeEvent); these follow that question.
        self.close_prompt: QMessageBox | None = None
        self._leaving = False
        self._quitting = False
        self._drafts_looked_for = False

        self.setWindowTitle(
            "Onset — Demo journal (sample data)" if demo else f"Onset — {journal.path.name}"
        )
        self.pages = QStackedWidget()
        self._pages: dict[str, QWidget | None] = dict.fromkeys(VIEWS)
        self.today = TodayView(journal, self.editor)
        self._install_page("today", self.today)
        self.today.questionnaireRequested.connect(self.open_questionnaire)
        self.today.sessionRequested.connect(self.open_session)
        self.today.sideEffectsRequested.connect(self.open_side_effects)
        self.today.doseRequested.connect(self.open_dose)
        self.today.treatmentRequested.connect(lambda: self.show_view("treatment"))
        self.today.demoRequested.connect(self.demoRequested)
        due = self.today.due_card
        due.questionnaireRequested.connect(self.open_questionnaire)
        due.reflectionRequested.connect(
            lambda item: self.open_reflection(item.session_at, item.prompt)
        )
        due.promptDismissed.connect(self._dismiss_prompt)
        due.followupRequested.connect(self.open_followup)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setAccessibleName("Pages")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(0)
        row_height = self.fontMetrics().height() + 22
        for name in VIEWS:
            item = QListWidgetItem(VIEW_TITLES[name])
            item.setSizeHint(QSize(0, row_height))
            self.nav.addItem(item)
        self.nav.setFixedWidth(self.fontMetrics().horizontalAdvance("Treatment") + 96)
        self.nav.currentRowChanged.connect(lambda row: self.show_view(VIEWS[row]))
        self._paint_icons()

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        if demo:
            right.addWidget(self._demo_banner())
        right.addWidget(self.pages, 1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addLayout(right, 1)
        # The window's content, and (made when first needed) the lock screen in its place.
        self._screens = QStackedWidget()
        self._screens.addWidget(central)
        self.setCentralWidget(self._screens)
        self.locked = False
        self._lock_screen: QWidget | None = None
        self._hidden_dialogs: list[QDialog] = []
        self._enabled_actions: list[QAction] = []
        self._idle: IdleLock | None = None

        where = "Demo journal (sample data)" if demo else "Journal"
        self.journal_label = muted_label(f"{where}: {journal.path}")
        self.journal_label.setToolTip(str(journal.path))
        self.statusBar().addPermanentWidget(self.journal_label)
        self.statusBar().setSizeGripEnabled(True)
        self._build_menus()
        self._arm_lock()
        self.nav.setCurrentRow(0)
        # The application's style sheet goes on once the first window's widgets are all in
        # place: set before, every widget added to a styled parent would be styled again
        # (a third of the window's making, on a 10-year journal). Idempotent for later
        # windows, which are made with the style already on.
        ensure_style()
        self.today.form.fit_to_style()
        self._restore_geometry()
        # Damaged rows are looked for once the window is up: a full read, off the path to
        # the first window.
        self.damaged_box: QMessageBox | None = None
        QTimer.singleShot(DAMAGE_CHECK_MS, self.check_damaged_entries)
        if not demo:
            # Through a weak reference: the timer must not keep a closed window alive.
            ref = weakref.ref(self)
            QTimer.singleShot(TRAY_DELAY_MS, self, lambda: _start_tray_of(ref))
        # Today and the window's own controls name every focus stop where they are made
        # (tests/ui/test_accessibility.py checks), so no name_unnamed() pass here: asking
        # Qt for every child would make a Python object for each of Qt's inner parts (scroll
        # bars, item models, text layouts), a few milliseconds before the first window for
        # nothing. Pages made later (History, Charts, Settings) still get one.

    # -- pages --------------------------------------------------------------------------

    def _install_page(self, name: str, page: QWidget) -> None:
        self.pages.addWidget(page)
        self._pages[name] = page

    def page(self, name: str) -> QWidget:
        """The page for a view, made the first time it is asked for."""
        existing = self._pages[name]
        if existing is not None:
            return existing
        page: QWidget
        if name == "history":
            from tracker.ui.pages.history import HistoryView

            page = HistoryView(self.journal, self.editor)
            page.editRequested.connect(self.open_entry)
            page.reflectRequested.connect(lambda session: self.open_reflection(session.at))
        elif name == "settings":
            from tracker.ui.pages.settings import SettingsView

            page = SettingsView(self.journal)
            page.reopenRequested.connect(self.openJournalRequested)  # restore a backup
            from tracker.ui.app.tray import tray_available
            from tracker.ui.pages.reminder_settings import ReminderSettings

            tray = self.tray.available if self.tray is not None else tray_available()
            page.add_section(ReminderSettings(self.journal, tray))
            page.privacy.converter = self.convert_journal
            page.privacy.lockChanged.connect(self._arm_lock)
        elif name == "treatment":
            from tracker.ui.pages.treatment import TreatmentView

            page = TreatmentView(self.journal, self.editor)
            page.doseRequested.connect(self.open_dose)
        else:
            page = self._charts_page()
        self._install_page(name, page)
        name_unnamed(page)
        return page

    def _charts_page(self) -> QWidget:
        try:
            from tracker.ui.pages.charts import ChartsView
        except ImportError as exc:
            # The charts module is optional at this point; say so rather than fail.
            placeholder = QLabel(f"Charts are not available in this version ({exc}).")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return placeholder
        charts = ChartsView(self.journal)
        charts.entry_activated.connect(self._edit_by_id)
        return charts

    def show_view(self, name: str) -> None:
        if name not in VIEWS:
            raise ValueError(f"no view {name!r}; choose one of {', '.join(VIEWS)}")
        page = self.page(name)
        self.pages.setCurrentWidget(page)
        row = VIEWS.index(name)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)

    def _restore_geometry(self) -> None:
        """Size and place as the window was last closed (QSettings), else a default size."""
        from tracker.ui import remembered

        saved = remembered.recall_text(GEOMETRY_KEY)  # base64 of Qt's saveGeometry()
        if not (saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))):
            self.resize(1140, 800)

    def current_view(self) -> str:
        return VIEWS[self.nav.currentRow()]

    def created_pages(self) -> list[str]:
        return [name for name, page in self._pages.items() if page is not None]

    # -- look ---------------------------------------------------------------------------

    def _paint_icons(self) -> None:
        palette = self.palette()
        for row, name in enumerate(VIEWS):
            item = self.nav.item(row)
            if item is not None:
                item.setIcon(icon(name, palette))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._drafts_looked_for:
            # Forms left filled in when Onset last stopped (a crash, a killed process) open
            # again as they were, once the window is on screen.
            self._drafts_looked_for = True
            QTimer.singleShot(0, self, self.reopen_drafts)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()
        super().changeEvent(event)

    def _demo_banner(self) -> QWidget:
        text = QLabel(
            "<b>Demo journal with sample data.</b> Nothing here is yours, and your own "
            "journal is not touched."
        )
        text.setWordWrap(True)
        close = QPushButton("Close the demo")
        close.setAccessibleName("Close the demo journal")
        close.clicked.connect(self.close)
        return notice_bar("demoBanner", text, close, (28, 10, 20, 10))

    # -- menus --------------------------------------------------------------------------

    def _action(
        self,
        menu_name: str,
        name: str,
        text: str,
        slot: Callable[[], object],
        *keys: QKeySequence | str | QKeySequence.StandardKey,
    ) -> QAction:
        action = QAction(text, self)
        shortcuts: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, QKeySequence.StandardKey):
                # Every binding of the platform (Close is Ctrl+F4 and Ctrl+W on Linux);
                # QKeySequence(key) would keep only the first.
                shortcuts += QKeySequence.keyBindings(key)
            else:
                shortcuts.append(key if isinstance(key, QKeySequence) else QKeySequence(key))
        shortcuts = list({k.toString(): k for k in shortcuts if not k.isEmpty()}.values())
        if shortcuts:
            action.setShortcuts(shortcuts)
        action.triggered.connect(lambda _checked=False: slot())
        self._menus[menu_name].addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {
            "file": bar.addMenu("&File"),
            "edit": bar.addMenu("&Edit"),
            "record": bar.addMenu("&Record"),
            "view": bar.addMenu("&View"),
            "help": bar.addMenu("&Help"),
        }
        self._action("file", "new", "&New journal…", self.new_journal)
        self._action(
            "file", "open", "&Open journal…", self.open_journal, QKeySequence.StandardKey.Open
        )
        self._menus["file"].addSeparator()
        export = self._menus["file"].addMenu("&Export")
        self._menus["export"] = export
        self._action("export", "export_json", "Journal as &JSON…", lambda: self.export_to("json"))
        self._action("export", "export_csv", "Spreadsheets (&CSV)…", lambda: self.export_to("csv"))
        self._action("export", "export_fhir", "&FHIR bundle…", lambda: self.export_to("fhir"))
        self._action(
            "file", "export_summary", "Export &summary…", self.export_summary, "Ctrl+Shift+E"
        )
        self._menus["file"].addSeparator()
        lock = self._action("file", "lock", "&Lock", self.lock, "Ctrl+L")
        lock.setEnabled(is_encrypted_connection(self.journal.connection))
        self._action("file", "close", "&Close window", self.close, QKeySequence.StandardKey.Close)
        # Quit has no standard binding on some platforms (none on Windows): Ctrl+Q everywhere.
        self._action(
            "file", "quit", "&Quit", self.quit_app, QKeySequence.StandardKey.Quit, "Ctrl+Q"
        )

        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo_keys = [QKeySequence("Ctrl+Shift+Z")]
        if QKeySequence(QKeySequence.StandardKey.Redo) != redo_keys[0]:
            redo_keys.append(QKeySequence(QKeySequence.StandardKey.Redo))
        redo.setShortcuts(redo_keys)
        self._menus["edit"].addAction(undo)
        self._menus["edit"].addAction(redo)
        self.actions_by_name["undo"], self.actions_by_name["redo"] = undo, redo

        self._action("record", "checkin", "&Check-in", self.open_checkin, "Ctrl+N")
        for instrument_id in instruments():
            key = QUESTIONNAIRE_KEYS.get(instrument_id)
            self._action(
                "record",
                f"questionnaire_{instrument_id}",
                f"{instrument_id} questionnaire…",
                partial(self.open_questionnaire, instrument_id),
                *([key] if key else []),
            )
        self._action("record", "session", "Treatment &session…", self.open_session, "Ctrl+T")
        self._action("record", "side_effects", "Side &effects…", self.open_side_effects, "Ctrl+E")
        self._menus["record"].addSeparator()
        self._action("record", "dose", "Took a &dose…", self.open_dose, "Ctrl+D")
        self._action("record", "medicine", "Other &medicine…", self.open_medicine)
        self._action("record", "plan", "&Planned session…", self.open_plan)

        for number, name in enumerate(VIEWS, start=1):
            view_keys: list[QKeySequence | str] = [f"Ctrl+{number}"]
            if name == "settings":
                view_keys.append(QKeySequence(QKeySequence.StandardKey.Preferences))
            self._action(
                "view", f"view_{name}", VIEW_TITLES[name], partial(self.show_view, name), *view_keys
            )

        self._action("help", "where", "&Where is my data?", self.where_is_my_data)
        self._action("help", "about", "&About Onset", self.about)

    # -- recording ----------------------------------------------------------------------

    def _present(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        name_unnamed(dialog)
        dialog.open()

    def open_checkin(self) -> None:
        self.show_view("today")
        self.today.focus_checkin()

    def open_questionnaire(
        self, instrument_id: str, entry: Assessment | None = None
    ) -> QuestionnaireDialog:
        from tracker.ui.dialogs.questionnaire import QuestionnaireDialog

        dialog = QuestionnaireDialog(self.editor, instrument_id, entry, self)
        self._present(dialog)
        return dialog

    def open_session(self, entry: TreatmentSession | None = None) -> SessionDialog:
        from tracker.ui.dialogs.session import SessionDialog

        dialog = SessionDialog(self.editor, entry, self)
        dialog.sideEffectsRequested.connect(lambda session: self.open_side_effects(session))
        self._present(dialog)
        return dialog

    def open_side_effects(
        self, session: TreatmentSession | None = None, entry: SideEffect | None = None
    ) -> SideEffectsDialog:
        from tracker.ui.dialogs.side_effects import SideEffectsDialog

        dialog = SideEffectsDialog(self.editor, session, entry, self)
        self._present(dialog)
        return dialog

    def open_reflection(
        self, session_at: datetime | None = None, prompt: str | None = None
    ) -> QDialog:
        from tracker.ui.dialogs.reflection import ReflectionDialog

        dialog = ReflectionDialog(
            self.editor, session_at=session_at, prompt=prompt, clock=self.clock, parent=self
        )
        self._present(dialog)
        return dialog

    def open_followup(self) -> QDialog:
        from tracker.ui.dialogs.followup import FollowUpDialog

        dialog = FollowUpDialog(self.editor, clock=self.clock, parent=self)
        self._present(dialog)
        return dialog

    def _dismiss_prompt(self, item: DueItem) -> None:
        if item.session_at is None or item.prompt is None:
            return
        try:
            self.journal.dismiss_prompt(item.session_at, item.prompt, self.clock())
        except (JournalError, ValidationError) as exc:
            self._tell("The prompt could not be put away.", str(exc))

    def open_dose(self) -> QDialog:
        """Took a dose of a current as-needed medicine; with none, say where to add one."""
        from PySide6.QtWidgets import QMessageBox

        from tracker.ui.dialogs.treatment import DoseDialog
        from tracker.ui.pages.treatment import current_as_needed

        medicines = current_as_needed(self.journal)
        if not medicines:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Took a dose")
            box.setText("No medicine taken as needed is recorded as current.")
            box.setInformativeText(
                "Add it on the Treatment page (Other medicines), taken “As needed”; "
                "then its doses can be recorded here in one step."
            )
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            self._present(box)
            self.show_view("treatment")
            return box
        dialog = DoseDialog(self.editor, medicines, parent=self)
        self._present(dialog)
        return dialog

    def open_medicine(self) -> QDialog:
        from tracker.ui.dialogs.treatment import MedicineDialog

        dialog = MedicineDialog(self.editor, parent=self)
        self._present(dialog)
        return dialog

    def open_plan(self) -> QDialog:
        from tracker.ui.dialogs.treatment import PlanDialog

        dialog = PlanDialog(self.editor, parent=self)
        self._present(dialog)
        return dialog

    def open_entry(self, entry: Entry) -> QDialog:
        """Open a stored entry in the same form that made it, to edit it."""
        if isinstance(entry, Reflection):
            from tracker.ui.dialogs.reflection import ReflectionDialog

            dialog: QDialog = ReflectionDialog(self.editor, entry=entry, parent=self)
            self._present(dialog)
            return dialog
        if isinstance(entry, FollowUp):
            from tracker.ui.dialogs.followup import FollowUpDialog

            dialog = FollowUpDialog(self.editor, entry, parent=self)
            self._present(dialog)
            return dialog
        if isinstance(entry, Assessment):
            return self.open_questionnaire(entry.instrument, entry)
        if isinstance(entry, TreatmentSession):
            return self.open_session(entry)
        if isinstance(entry, SideEffect):
            return self.open_side_effects(entry=entry)
        if isinstance(entry, MedicationDose):
            from tracker.ui.dialogs.treatment import DoseDialog

            day = entry.at.date()
            taken = [m for m in self.journal.medications(day, day) if m.schedule == "as_needed"]
            held = entry.taken_of(self.journal.medications(day, day))
            if held is not None and held not in taken:
                taken.append(held)
            dose = DoseDialog(self.editor, taken, entry, self)
            self._present(dose)
            return dose
        if isinstance(entry, Medication | PlannedSession):
            from tracker.ui.dialogs.treatment import MedicineDialog, PlanDialog

            dialog = (
                MedicineDialog(self.editor, entry, parent=self)
                if isinstance(entry, Medication)
                else PlanDialog(self.editor, entry, parent=self)
            )
            self._present(dialog)
            return dialog
        assert isinstance(entry, Checkin)
        from tracker.ui.dialogs.checkin import CheckinDialog

        checkin = CheckinDialog(self.editor, entry, self)
        self._present(checkin)
        return checkin

    # -- forms left unsaved by a crash ------------------------------------------------

    def reopen_drafts(self) -> list[EntryDialog]:
        """Open again, filled in as they were, the entry forms whose input was kept as a
        draft when Onset stopped without closing them. A form that cannot be made again
        (its entry is gone) or is laid out differently now gives its words in a message
        instead, so that none of them is lost."""
        import sqlite3

        from tracker.ui.widgets.draft import DIALOG_DRAFTS, read_draft

        if self._closed or self.locked:
            return []
        try:
            names = self.journal.draft_forms(DIALOG_DRAFTS)
        except (JournalError, sqlite3.Error):
            return []
        opened: list[EntryDialog] = []
        for name in names:
            draft = read_draft(self.journal, name)
            if draft is None:
                continue  # unreadable: logged, and left in the journal as it is
            recipe = draft.fields.get("recipe")
            dialog = self._open_recipe(recipe if isinstance(recipe, dict) else {})
            if dialog is None:
                self._give_back_words(name, draft.fields, opened=False)
                continue
            opened.append(dialog)
            if not dialog.restore_draft(name, draft):
                self._give_back_words(name, draft.fields, opened=True)
        return opened

    def _open_recipe(self, recipe: dict[str, object]) -> EntryDialog | None:
        from tracker.ui.dialogs.entry_dialog import EntryDialog

        form, kind, entry_id = recipe.get("form"), recipe.get("kind"), recipe.get("entry")
        dialog: QDialog | None = None
        if isinstance(entry_id, int):
            entry = self.journal.get(kind, entry_id) if kind in ALL_KINDS else None
            if entry is None:
                return None
            dialog = self.open_entry(entry)
        elif form == "session":
            dialog = self.open_session()
        elif form == "questionnaire" and recipe.get("instrument") in QUESTIONNAIRE_KEYS:
            dialog = self.open_questionnaire(str(recipe["instrument"]))
        elif form == "side_effects":
            dialog = self.open_side_effects()
        elif form == "reflection":
            at, prompt = recipe.get("session_at"), recipe.get("prompt")
            try:
                session_at = datetime.fromisoformat(at) if isinstance(at, str) else None
            except ValueError:
                session_at = None
            dialog = self.open_reflection(session_at, prompt if isinstance(prompt, str) else None)
        elif form == "followup":
            dialog = self.open_followup()
        elif form == "medicine":
            dialog = self.open_medicine()
        elif form == "plan":
            dialog = self.open_plan()
        elif form == "dose":
            dialog = self.open_dose()
        return dialog if isinstance(dialog, EntryDialog) else None

    def _give_back_words(self, name: str, kept: dict[str, object], *, opened: bool) -> None:
        """A draft whose form cannot be filled again, or not all of it: show what was typed
        in words. A form that could not be opened lets its draft go; an opened one keeps it
        while it stays open."""
        fields = kept.get("fields")
        words = [
            str(field[2])
            for field in (fields if isinstance(fields, list) else [])
            if isinstance(field, list) and len(field) > 2 and field[0] == "text" and field[2]
        ]
        title = str(kept.get("title") or "a form")
        if words:
            how = (
                "it is open again, but not all of it could be put back"
                if opened
                else "it cannot be opened again as it was"
            )
            box = self._tell(
                f"You were filling in “{title}” when Onset stopped; {how}.",
                "What you had typed is below, to copy:\n\n" + "\n\n".join(words),
            )
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if not opened:
            with contextlib.suppress(JournalError):
                self.journal.keep_draft(name, None)

    def _edit_by_id(self, kind: str, entry_id: int) -> None:
        entry = self.journal.get(kind, entry_id)
        if entry is not None:
            self.open_entry(entry)

    def _edit_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)
        self._tell(message, warning=True)

    # -- files --------------------------------------------------------------------------

    def _start_folder(self) -> str:
        return str(self.journal.path.parent if not self.demo else data_folder())

    def new_journal(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getSaveFileName(
            self,
            "New journal",
            str(Path(self._start_folder()) / "new journal.onset"),
            "Onset journals (*.onset)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        target = Path(path)
        if target.suffix != ".onset":
            target = target.with_name(target.name + ".onset")
        if target.exists():
            self._tell(
                "There is already a file there.",
                f"{target}\n\nChoose another name, or use File → Open journal to open it.",
            )
            return
        self.openJournalRequested.emit(target, True)

    def open_journal(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self, "Open journal", self._start_folder(), "Onset journals (*.onset);;All files (*)"
        )
        if path:
            self.openJournalRequested.emit(Path(path), False)

    def export_to(self, kind: str, target: Path | None = None) -> Path | None:
        """Export the whole journal as JSON, CSV (a folder) or FHIR; ask where when not told."""
        if target is None:
            target = self._ask_export_target(kind)
            if target is None:
                return None
        from tracker.io.exports import write_export

        try:
            write_export(self.journal, kind, target)
        except JournalError as exc:
            journal_error_box(self, exc, "The export was not written.").open()
            return None
        except OSError as exc:
            self._tell(
                "The export was not written.", f"{exc.filename or target}: {exc.strerror or exc}"
            )
            return None
        self.statusBar().showMessage(f"Exported to {target}", 10_000)
        return target

    def _ask_export_target(self, kind: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        start = Path.home()
        stem = f"onset-{'demo' if self.demo else 'journal'}"
        # An encrypted journal's exports are plain files, as asked: the title says so.
        encrypted = is_encrypted_connection(self.journal.connection)
        plain = " (the file will not be encrypted)" if encrypted else ""
        if kind == "csv":
            folder = QFileDialog.getExistingDirectory(
                self, f"Export CSV files into a folder{plain}", str(start)
            )
            return Path(folder) / stem if folder else None
        suffix, label = (
            (".json", "JSON (*.json)") if kind == "json" else (".fhir.json", "FHIR JSON (*.json)")
        )
        path, _filter = QFileDialog.getSaveFileName(
            self, f"Export{plain}", str(start / f"{stem}{suffix}"), label
        )
        return Path(path) if path else None

    def export_summary(self) -> QDialog | None:
        try:
            from tracker.ui.dialogs.export import ExportDialog
        except ImportError as exc:
            self._tell("The summary export is not available in this version.", str(exc))
            return None
        dialog = ExportDialog(self.journal, self)
        self._present(dialog)
        return dialog

    # -- help ---------------------------------------------------------------------------

    def _tell(
        self,
        text: str,
        detail: str = "",
        *,
        warning: bool = False,
        extra: tuple[str, Callable[[], object]] | None = None,
    ) -> QMessageBox:
        return tell(self, text, detail, warning=warning, extra=extra)

    def check_damaged_entries(self) -> QMessageBox | None:
        """List stored entries that cannot be read, and offer to delete them."""
        if self._closed:
            return None
        from tracker.ui.dialogs.damaged import offer_to_delete

        try:
            found = self.journal.scan_unreadable()
        except JournalError:
            return None
        if not found:
            return None
        self.damaged_box = offer_to_delete(
            self, self.journal, found, lambda said: self.statusBar().showMessage(said, 30_000)
        )
        return self.damaged_box

    def tell_opening_notes(self, notes: list[str]) -> QMessageBox:
        """What did not stop the journal opening but should be known (e.g. a failed backup)."""
        self.statusBar().showMessage(notes[0], 15_000)
        return self._tell(
            "Your journal is open, but something needs your attention.",
            "\n\n".join([*notes, f"Journal file: {self.journal.path}"]),
            warning=True,
        )

    def where_is_my_data(self) -> QMessageBox:
        box = self._tell(
            "Your journal is one file on this computer.",
            f"{self.journal.path}\n\nOnset makes no network connections; nothing leaves this "
            "computer unless you export it.",
            extra=("Show in folder", self._show_folder),
        )
        return box

    def _show_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.journal.path.parent)))

    def about(self) -> AboutDialog:
        from tracker.ui.dialogs.about import AboutDialog

        dialog = AboutDialog(self.journal.path, data_folder(), self)
        self._present(dialog)
        return dialog

    def quit_app(self) -> None:
        """Close every Onset window; one with unsaved input asks first, and the quit goes on
        once it is answered (or stops there on Cancel)."""
        from PySide6.QtWidgets import QApplication

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        # Shown windows first, then any waiting in the tray: those close for good too, and
        # one holding typed input comes forward to ask about it.
        for window in sorted(windows, key=lambda w: not w.isVisible()):
            window._quitting = True
            if not window.isVisible() and window.unsaved_forms():
                window.bring_forward()
            if not window.close():
                return
        QApplication.closeAllWindows()

    # -- the tray -----------------------------------------------------------------------

    @property
    def clock(self) -> Callable[[], datetime]:
        """The local time as the window sees it (Today's due list, notices, new entries)."""
        return self._clock

    @clock.setter
    def clock(self, clock: Callable[[], datetime]) -> None:
        # Handed on rather than read back through the window, so nothing below holds it.
        self._clock = clock
        self.today.due_card.clock = clock
        if self.tray is not None:
            self.tray.clock = clock

    def start_tray(self, available: bool | None = None) -> TrayReminders | None:
        """The tray icon and its notices (once); None where the system has no tray."""
        from tracker.ui.app.tray import TrayReminders

        if self.tray is None:
            self.tray = TrayReminders(
                self.journal, clock=self._clock, available=available, parent=self
            )
            self.tray.openRequested.connect(self.bring_forward)
            self.tray.quitRequested.connect(self.quit_app)
            self.tray.locked = self.locked
            self.tray.check()
        return self.tray if self.tray.available else None

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def ask_keep_in_tray(self) -> bool:
        """Asked once, the first time the window is closed while a tray is there."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Onset",
            "Keep Onset running in the tray when this window is closed?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setInformativeText(
            "It can then tell you when a check-in is due. You can change this in Settings."
        )
        name_unnamed(box)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _hide_to_tray(self) -> bool:
        from tracker import reminders

        if self._quitting or self.tray is None or not self.tray.available:
            return False
        keep = reminders.keep_in_tray(self.journal)
        if keep is None:
            keep = self.ask_keep_in_tray()
            with contextlib.suppress(JournalError):
                reminders.set_keep_in_tray(self.journal, keep)
        if keep:
            self.hide()
        return keep

    # -- closing ------------------------------------------------------------------------

    def _dialogs(self) -> list[QDialog]:
        """The dialogs over this window, made by it or by any of its pages, outer first.

        Dialogs are windows of their own, so they are found among the application's
        windows by their parent chain; findChildren() would make a Python object for every
        one of Qt's inner parts of the window as well.
        """
        from PySide6.QtWidgets import QApplication, QDialog

        found: list[tuple[int, QDialog]] = []
        for window in QApplication.topLevelWidgets():
            if not isinstance(window, QDialog):
                continue
            depth, owner = 0, window.parentWidget()
            while owner is not None and owner is not self:
                depth, owner = depth + 1, owner.parentWidget()
            if owner is self:
                found.append((depth, window))
        return [dialog for _depth, dialog in sorted(found, key=lambda pair: pair[0])]

    # -- the lock and the journal's encryption --------------------------------------------

    def _arm_lock(self) -> None:
        """Watch for idleness when the journal is encrypted (and only then: a plain journal
        pays nothing per event)."""
        encrypted = is_encrypted_connection(self.journal.connection)
        if "lock" in self.actions_by_name:
            self.actions_by_name["lock"].setEnabled(encrypted and not self.locked)
        if encrypted and self._idle is None:
            from tracker.ui.app.lock import IdleLock

            self._idle = IdleLock(self.journal, self.lock, self)
        elif self._idle is not None:
            if encrypted:
                self._idle.rearm()
            else:
                self._idle.stop()
                self._idle = None

    def lock(self) -> bool:
        """Hide every entry, chart and dialog behind the passphrase prompt. Open forms are
        hidden, not closed: what was typed in them is there after unlocking."""
        if self.locked or not is_encrypted_connection(self.journal.connection):
            return False
        from tracker.ui.app.lock import LockScreen

        self.locked = True
        if self.tray is not None:
            self.tray.locked = True
        if self._idle is not None:
            self._idle.pause()
        self._hidden_dialogs = [d for d in self._dialogs() if d.isVisible()]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        self._enabled_actions = [a for a in self.actions_by_name.values() if a.isEnabled()]
        for action in self._enabled_actions:
            action.setEnabled(False)
        for menu in self._menus.values():
            menu.menuAction().setEnabled(False)
        self.statusBar().clearMessage()
        self.statusBar().hide()
        if self._lock_screen is None:
            self._lock_screen = LockScreen(self.journal, self.unlock)
            self._screens.addWidget(self._lock_screen)
            name_unnamed(self._lock_screen)
        self._screens.setCurrentWidget(self._lock_screen)
        assert isinstance(self._lock_screen, LockScreen)
        self._lock_screen.prompt.field.setFocus()
        return True

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        if self.tray is not None:
            self.tray.locked = False
            self.tray.check()  # what came due while locked is announced now
        self._screens.setCurrentIndex(0)
        for menu in self._menus.values():
            menu.menuAction().setEnabled(True)
        for action in self._enabled_actions:
            action.setEnabled(True)
        self.statusBar().show()
        for dialog in self._hidden_dialogs:
            dialog.show()
        self._hidden_dialogs = []
        self._arm_lock()

    def convert_journal(self, change: Callable[[Path], object]) -> str | None:
        """Close the journal, let `change` replace the file (encrypt, decrypt, change the
        passphrase), open it again; the reason when it failed (the journal is as it was)."""
        from PySide6.QtWidgets import QApplication

        problem = None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.journal.close()
            try:
                change(self.journal.path)
            except JournalError as exc:
                problem = exc.reason
            finally:
                self.journal.reopen()
        finally:
            QApplication.restoreOverrideCursor()
        self._arm_lock()
        return problem

    def unsaved_forms(self) -> list[UnsavedInput]:
        """Every form of this window holding input not saved yet: Today's check-in, then
        the entry dialogs over the window, outer first."""
        found: list[UnsavedInput] = []
        if self.today.has_unsaved_input():
            found.append(self.today)
        for dialog in self._dialogs():
            has = getattr(dialog, "has_unsaved_input", None)
            if dialog.isVisible() and has is not None and has():
                found.append(cast("UnsavedInput", dialog))
        return found

    def _ask_before_closing(self, unsaved: list[UnsavedInput]) -> None:
        if self.close_prompt is not None and self.close_prompt.isVisible():
            self.close_prompt.raise_()
            return
        listed = "; ".join(form.unsaved_what() for form in unsaved)
        self.close_prompt = ask_save_discard(
            self,
            "Save what you typed before closing?",
            f"Not saved yet: {listed}.",
            self._save_then_close,
            self._leave,
        )
        self.close_prompt.finished.connect(self._close_answered)

    def _close_answered(self) -> None:
        self.close_prompt = None
        if not self._leaving:
            self._quitting = False  # Cancel (or a refused save) stops a quit too

    def _save_then_close(self) -> None:
        for form in self.unsaved_forms():
            if not form.save_unsaved():  # its problems are shown beside its fields
                form.show_unsaved()
                self.statusBar().showMessage("Not closed: something could not be saved.", 10_000)
                return
        self._leave()

    def _leave(self) -> None:
        """Close now, whatever is still typed (after Save, or Discard)."""
        self._leaving = True
        if self._quitting:
            self.quit_app()
        else:
            self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Kept in the tray, the window is only hidden (a locked one stays locked): whatever
        # is typed in it stays.
        if not self._leaving and self._hide_to_tray():
            event.ignore()
            return
        if self.locked:
            # Nothing is decided about hidden forms without the passphrase: no save, no
            # discard. What was typed stays until the window is unlocked.
            event.ignore()
            self._quitting = False
            if self._lock_screen is not None:
                from tracker.ui.app.lock import LockScreen

                assert isinstance(self._lock_screen, LockScreen)
                self._lock_screen.prompt.error.show_message(
                    "Unlock first to close the window: what you were typing is kept."
                )
            return
        if not self._leaving:
            unsaved = self.unsaved_forms()
            if unsaved:
                event.ignore()
                self._ask_before_closing(unsaved)
                return
        self._leaving = True
        if self.tray is not None:
            self.tray.stop()
        from tracker.ui import remembered

        remembered.remember(
            GEOMETRY_KEY, bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        )
        self.today.window_closing()
        # Forms still open would write to a closed journal: they go with the window.
        for dialog in self._dialogs():
            if dialog.isVisible():
                dialog.done(dialog.DialogCode.Rejected)
        self._closed = True
        if self._idle is not None:
            self._idle.stop()
        if self._owns_journal:
            self.journal.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.closed.emit(self)
        super().closeEvent(event)


def _start_tray_of(ref: weakref.ref[MainWindow]) -> None:
    window = ref()
    if window is not None:
        window.start_tray()
