"""File → Export summary…: choose the period and what to include, then save the PDF.

The dialog only collects choices; `tracker.io.report.write_report` makes the PDF (the
same call the command line makes), so both give the same report. Check-in notes stay
out unless the patient ticks the box each time: they are private until the patient says.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.times import day_of
from tracker.io.report import (
    SECTION_TITLES,
    SECTIONS,
    ReportOptions,
    default_file_name,
    write_report,
)
from tracker.io.report_data import long_date
from tracker.journal import Journal
from tracker.storage.errors import JournalError
from tracker.ui.style import ensure_style, set_muted

# Settings kept in the journal so the next export starts where this one left off.
LAST_EXPORT = "report.last_export"
LAST_FOLDER = "report.folder"
PATIENT_NAME = "report.patient_name"
PROVIDER_NAME = "report.provider_name"

SINCE_LAST, CUSTOM, EVERYTHING = "since_last", "custom", "everything"
# (key, label, days including today)
PRESETS: tuple[tuple[str, str, int], ...] = (
    ("30", "Last 30 days", 30),
    ("90", "Last 90 days", 90),
    ("182", "Last 6 months", 182),
    ("365", "Last 12 months", 365),
)
DEFAULT_PRESET = "90"
SECTION_CHOICES = {
    "onset": "Relief after each session: course chart and a table per session",
    "sessions": "Treatment sessions: dose, vital signs, anxiety before and after",
    "side_effects": "Side effects by session and severity",
    "questionnaires": "Every questionnaire, item by item",
}
DATE_FORMAT = "d MMM yyyy"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


# Said wherever an encrypted journal is exported: the export is a plain file, as asked.
PLAIN_EXPORT = (
    "Your journal is encrypted, but this export will not be: anyone who opens the file "
    "can read it. Keep it somewhere safe, and delete it when you no longer need it."
)


class ExportDialog(QDialog):
    """Collects the report's period and contents, asks where to save, and says how it went."""

    def __init__(self, journal: Journal, parent: QWidget | None = None):
        super().__init__(parent)
        ensure_style()
        self.journal = journal
        self.saved_path: Path | None = None
        self._setting_dates = False
        self.setWindowTitle("Export summary")
        self.setModal(True)

        intro = QLabel(
            "A PDF to hand your provider: the key figures on the first page, "
            "the detail behind them after it."
        )
        intro.setWordWrap(True)
        set_muted(intro)

        self.preset = QComboBox()
        self.preset.setAccessibleName("Period")
        self._last_export = self._stored_day(LAST_EXPORT)
        if self._last_export is not None:
            self.preset.addItem(
                f"Since the last export ({long_date(self._last_export)})", SINCE_LAST
            )
        for key, label, _days in PRESETS:
            self.preset.addItem(label, key)
        self.preset.addItem("Everything in the journal", EVERYTHING)
        self.preset.addItem("Custom dates", CUSTOM)

        self.start_edit = self._date_edit("First day of the period")
        self.end_edit = self._date_edit("Last day of the period")
        dates = QHBoxLayout()
        dates.setSpacing(8)
        from_label = QLabel("&From")
        from_label.setBuddy(self.start_edit)
        to_label = QLabel("&to")
        to_label.setBuddy(self.end_edit)
        dates.addWidget(from_label)
        dates.addWidget(self.start_edit, 1)
        dates.addWidget(to_label)
        dates.addWidget(self.end_edit, 1)

        self.name_edit = QLineEdit(journal.setting(PATIENT_NAME) or "")
        self.name_edit.setPlaceholderText("Optional: printed at the top")
        self.name_edit.setAccessibleName("Patient name")
        self.name_edit.setMaxLength(120)
        self.provider_edit = QLineEdit(journal.setting(PROVIDER_NAME) or "")
        self.provider_edit.setPlaceholderText("Optional: who the summary is for")
        self.provider_edit.setAccessibleName("Provider name")
        self.provider_edit.setMaxLength(120)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow(self._buddy("&Period", self.preset), self.preset)
        form.addRow("", dates)
        form.addRow(self._buddy("Patient &name", self.name_edit), self.name_edit)
        form.addRow(self._buddy("P&rovider", self.provider_edit), self.provider_edit)

        contents = QGroupBox("After the first page, include")
        boxes = QVBoxLayout(contents)
        boxes.setSpacing(6)
        self.section_boxes: dict[str, QCheckBox] = {}
        for key in SECTIONS:
            box = QCheckBox(SECTION_CHOICES.get(key, SECTION_TITLES[key]))
            box.setChecked(True)
            box.setAccessibleName(f"Include: {SECTION_TITLES[key]}")
            boxes.addWidget(box)
            self.section_boxes[key] = box
        self.notes_box = QCheckBox("My n&otes from check-ins, sessions and side effects")
        self.notes_box.setChecked(False)
        self.notes_box.setAccessibleName("Include my notes")
        self.notes_box.setAccessibleDescription(
            "Off unless you tick it: your notes are private until you choose to share them."
        )
        notes_hint = QLabel("Off unless you tick it: your notes stay private otherwise.")
        notes_hint.setWordWrap(True)
        set_muted(notes_hint)
        notes_hint.setContentsMargins(24, 0, 0, 0)
        boxes.addSpacing(4)
        boxes.addWidget(self.notes_box)
        boxes.addWidget(notes_hint)

        self.result_frame = QFrame()
        self.result_frame.setObjectName("notice")
        result_layout = QVBoxLayout(self.result_frame)
        result_layout.setContentsMargins(12, 10, 12, 10)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAccessibleName("Export result")
        result_layout.addWidget(self.result_label)
        self.result_frame.hide()

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save PDF…")
        self.save_button.setAccessibleName("Save PDF")
        self.save_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(14)
        layout.addWidget(intro)
        from tracker.storage import crypto

        self.plain_notice: QLabel | None = None
        if crypto.is_encrypted_connection(journal.connection):
            self.plain_notice = QLabel(PLAIN_EXPORT)
            self.plain_notice.setWordWrap(True)
            self.plain_notice.setAccessibleName("The export is not encrypted")
            layout.addWidget(self.plain_notice)
        layout.addLayout(form)
        layout.addWidget(contents)
        layout.addWidget(self.result_frame)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.start_edit.dateChanged.connect(self._dates_edited)
        self.end_edit.dateChanged.connect(self._dates_edited)
        default = SINCE_LAST if self._last_export is not None else DEFAULT_PRESET
        self.preset.setCurrentIndex(self.preset.findData(default))
        self._preset_chosen()
        self.setMinimumWidth(520)
        self.preset.setFocus()

    # -- building ---------------------------------------------------------------------------

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setAccessibleName(name)
        edit.setMaximumDate(_qdate(date.today() + timedelta(days=366)))
        return edit

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _stored_day(self, key: str) -> date | None:
        value = self.journal.setting(key)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None

    # -- the period -------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        return _day(self.start_edit.date()), _day(self.end_edit.date())

    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        today = date.today()
        if key == CUSTOM:
            return
        if key == SINCE_LAST and self._last_export is not None:
            start = min(self._last_export, today)
        elif key == EVERYTHING:
            first = self.journal.history_page(descending=False, limit=1)
            start = min(day_of(first[0].at_value), today) if first else today
        else:
            days = next(d for k, _label, d in PRESETS if k == key)
            start = today - timedelta(days=days - 1)
        self._setting_dates = True
        try:
            self.start_edit.setDate(_qdate(start))
            self.end_edit.setDate(_qdate(today))
        finally:
            self._setting_dates = False
        self._check_period()

    def _dates_edited(self) -> None:
        if self._setting_dates:
            return  # half-way through setting both days; _preset_chosen checks after
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.preset.blockSignals(False)
        self._check_period()

    def _check_period(self) -> bool:
        start, end = self.period()
        ok = start <= end
        self.save_button.setEnabled(ok)
        if not ok:
            self._show_result("The first day is after the last day: change one of them.", True)
        elif not self.result_frame.isHidden() and self.result_label.property("error"):
            # isHidden, not isVisible: before the dialog is shown nothing is "visible".
            self.result_frame.hide()
        return ok

    # -- saving -----------------------------------------------------------------------------

    def options(self) -> ReportOptions:
        start, end = self.period()
        return ReportOptions(
            start=start,
            end=end,
            patient_name=self.name_edit.text().strip() or None,
            provider_name=self.provider_edit.text().strip() or None,
            include_notes=self.notes_box.isChecked(),
            sections=tuple(k for k, box in self.section_boxes.items() if box.isChecked()),
        )

    def _suggested_path(self) -> str:
        folder = Path(self.journal.setting(LAST_FOLDER) or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        return str(folder / default_file_name())

    def save(self) -> None:
        """Ask where to save, write the PDF, and say plainly what happened."""
        if not self._check_period():
            return
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save summary as", self._suggested_path(), "PDF documents (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        options = self.options()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_report(self.journal, path, options)
        except (OSError, JournalError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self._show_result(
                f"The summary could not be saved: {reason}. Nothing was written.", True
            )
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.saved_path = path
        try:  # only remembered for next time: the PDF is written either way
            self.journal.set_setting(LAST_EXPORT, date.today().isoformat())
            self.journal.set_setting(LAST_FOLDER, str(path.parent))
            self.journal.set_setting(PATIENT_NAME, options.patient_name or "")
            self.journal.set_setting(PROVIDER_NAME, options.provider_name or "")
        except JournalError:
            pass
        notes = "with your notes" if options.include_notes else "without your notes"
        self._show_result(f"Saved “{path.name}” ({notes}) in {path.parent}.", False)
        self.close_button.setFocus()

    def _show_result(self, text: str, error: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setProperty("error", error)
        self.result_label.style().unpolish(self.result_label)
        self.result_label.style().polish(self.result_label)
        self.result_frame.show()
