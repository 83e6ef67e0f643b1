"""Today: the quick check-in, what is due, the last session and the latest scores.

Every query here is bounded (counts and 'latest' lookups), so Today opens as fast on ten
years of entries as on an empty journal. The greeting for an empty journal is made only
when it is first shown. The check-in stands beside the other cards where the window is wide
enough and above them where it is not, so the page never scrolls sideways.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker import reminders
from tracker.domain.entries import ROUTE_LABELS, Checkin, TreatmentSession
from tracker.domain.errors import ValidationError
from tracker.domain.instruments import instruments
from tracker.journal import Journal
from tracker.storage.errors import JournalError
from tracker.ui.app.editing import Editor
from tracker.ui.dialogs.messages import ask_future, is_future, journal_error_box
from tracker.ui.models.changes import PageRefresh
from tracker.ui.widgets.checkin_form import CheckinForm
from tracker.ui.widgets.draft import DraftKeeper, restored_words
from tracker.ui.widgets.due_card import DueCard
from tracker.ui.widgets.layout import (
    card,
    muted_label,
    notice_bar,
    scroll_page,
    sentence,
    title_label,
)
from tracker.wording import (
    days_ago,
    dose_text,
    entry_title,
    long_day,
    safety_answers,
    score_text,
    short_day,
    when,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent, QShowEvent

    from tracker.ui.pages.welcome import WelcomePanel


# The page's side margins: the usual ones, and narrower ones when the cards stand in one
# column; the gap between cards; the check-in card's least width beside the other column.
MARGIN = 28
NARROW_MARGIN = 16
GAP = 16
CHECKIN_WIDTH = 560
# The widest the page grows in one column: beyond it the 0–10 segments and the lines of
# text stretch apart rather than read better.
ONE_COLUMN_WIDEST = 720
UNBOUNDED = 16777215  # Qt's QWIDGETSIZE_MAX


def _wrapped(text: str = "", muted: bool = False) -> QLabel:
    label = muted_label(text) if muted else QLabel(text)
    label.setWordWrap(True)
    return label


class TodayView(QWidget):
    """The page a patient opens every day."""

    questionnaireRequested = Signal(str)
    sessionRequested = Signal()
    sideEffectsRequested = Signal()
    demoRequested = Signal()
    doseRequested = Signal()
    treatmentRequested = Signal()

    def __init__(self, journal: Journal, editor: Editor, parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self.editor = editor
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(MARGIN, 22, MARGIN, 24)
        column.setSpacing(16)

        self.title = title_label("Today", "pageTitle")
        self.day = muted_label()
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addSpacing(12)
        heading.addWidget(self.day, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        column.addLayout(heading)
        self._column = column
        self._welcome: WelcomePanel | None = None
        self._saved_line = False

        # The check-in beside the other cards; in one column when the page is too narrow
        # for both (see _fit_columns).
        columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.setSpacing(GAP)
        self.checkin_card = self._checkin_card()
        columns.addWidget(self.checkin_card, 3, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.setSpacing(GAP)
        self.due_card = DueCard(journal)
        side.addWidget(self.due_card)
        side.addWidget(self._questionnaires_card())
        side.addWidget(self._treatment_card())
        side.addStretch(1)
        columns.addLayout(side, 2)
        column.addLayout(columns)
        column.addStretch(1)
        self.columns = columns
        self._side = side
        self._content = content

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scroll_page(content)
        layout.addWidget(self.scroll_area)
        self.refresh()
        self._restore_draft()
        self._changes = PageRefresh(self, journal, self.refresh)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._changes.shown()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    # -- the columns --------------------------------------------------------------------

    def side_by_side(self) -> bool:
        """Whether the check-in and the other cards stand in two columns."""
        return self.columns.direction() == QBoxLayout.Direction.LeftToRight

    def _fit_columns(self) -> None:
        """Two columns where they fit without scrolling sideways, else one, no wider than
        reads well; and the page (so the window) never narrower than its one column.

        Counted with room for the vertical scroll bar whether or not it is shown, so the
        choice does not flip when the bar comes and goes.
        """
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        checkin = self.checkin_card.minimumSizeHint().width()
        side = self._side.minimumSize().width()
        welcome = 0
        if self._welcome is not None and not self._welcome.isHidden():
            welcome = self._welcome.minimumSizeHint().width()
        one_column = max(checkin, side, welcome) + 2 * NARROW_MARGIN
        if self.minimumWidth() != one_column + bar:
            self.setMinimumWidth(one_column + bar)
        two_columns = max(max(checkin, CHECKIN_WIDTH) + GAP + side, welcome) + 2 * MARGIN
        wide = self.width() - bar >= two_columns
        content = self._content
        widest = UNBOUNDED if wide else max(ONE_COLUMN_WIDEST, one_column)
        if content.maximumWidth() != widest:
            content.setMaximumWidth(widest)
        if wide == self.side_by_side():
            return
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        margin = MARGIN if wide else NARROW_MARGIN
        self._column.setContentsMargins(margin, 22, margin, 24)
        self.checkin_card.setMinimumWidth(CHECKIN_WIDTH if wide else 0)

    @property
    def welcome(self) -> WelcomePanel:
        """The greeting under the title, made (hidden) the first time it is needed."""
        if self._welcome is None:
            from tracker.ui.pages.welcome import WelcomePanel

            panel = WelcomePanel()
            panel.hide()
            panel.baselineRequested.connect(lambda: self.questionnaireRequested.emit("GAD-7"))
            panel.demoRequested.connect(self.demoRequested)
            self._column.insertWidget(1, panel)
            self._welcome = panel
        return self._welcome

    # -- cards --------------------------------------------------------------------------

    def _checkin_card(self) -> QWidget:
        frame, layout = card("How are you right now?")
        self.form = CheckinForm()
        self.save_button = QPushButton("Save check-in")
        self.save_button.setAccessibleName("Save check-in")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_checkin)
        self.form.submitted.connect(self.save_checkin)
        self.form.edited.connect(self._forget_saved_line)
        # Typed input is kept in the journal as it is typed, so a crash loses none of it.
        self.drafts = DraftKeeper(self.journal, "checkin", self.form.draft, self)
        self.form.edited.connect(self.drafts.changed)
        self.form.time.now_button.clicked.connect(self.drafts.changed)
        self.checkin_status = _wrapped(muted=True)
        footer = QHBoxLayout()
        footer.addWidget(self.checkin_status, 1)
        footer.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self._draft_notice())
        layout.addWidget(self.form)
        layout.addLayout(footer)
        frame.setMinimumWidth(CHECKIN_WIDTH)
        return frame

    def _draft_notice(self) -> QWidget:
        """The line that says the form holds a restored draft, not a saved check-in."""
        self.draft_text = _wrapped()
        self.draft_discard = QPushButton("Discard")
        self.draft_discard.setAccessibleName("Discard the restored check-in")
        self.draft_discard.clicked.connect(self.discard_draft)
        self.draft_notice = notice_bar("notice", self.draft_text, self.draft_discard, (12, 6, 8, 6))
        self.draft_notice.hide()
        return self.draft_notice

    def _questionnaires_card(self) -> QWidget:
        frame, layout = card("Questionnaires")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(0, 1)
        self.due_labels: dict[str, QLabel] = {}
        self.score_labels: dict[str, QLabel] = {}
        self.take_buttons: dict[str, QPushButton] = {}
        for row, instrument_id in enumerate(instruments()):
            status = QVBoxLayout()
            status.setSpacing(2)
            self.score_labels[instrument_id] = _wrapped()
            self.due_labels[instrument_id] = _wrapped(muted=True)
            status.addWidget(self.score_labels[instrument_id])
            status.addWidget(self.due_labels[instrument_id])
            button = QPushButton(f"Take {instrument_id}…")
            button.setAccessibleName(f"Take the {instrument_id} questionnaire")
            button.clicked.connect(
                lambda _c=False, i=instrument_id: self.questionnaireRequested.emit(i)
            )
            self.take_buttons[instrument_id] = button
            grid.addLayout(status, row, 0)
            grid.addWidget(button, row, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(grid)
        return frame

    def _treatment_card(self) -> QWidget:
        frame, layout = card("Treatment")
        self.session_label = _wrapped()
        self.session_when = _wrapped(muted=True)
        self.session_button = QPushButton("Log a session…")
        self.session_button.setAccessibleName("Log a treatment session")
        self.side_effects_button = QPushButton("Log side effects…")
        self.side_effects_button.setAccessibleName("Log side effects")
        self.session_button.clicked.connect(self.sessionRequested)
        self.side_effects_button.clicked.connect(self.sideEffectsRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.session_button)
        buttons.addWidget(self.side_effects_button)
        buttons.addStretch(1)
        self.plan_label = _wrapped()
        self.plan_label.setTextFormat(Qt.TextFormat.PlainText)
        self.missed_label = _wrapped(muted=True)
        self.missed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.dose_button = QPushButton("Took a dose…")
        self.dose_button.setAccessibleName("Took a dose of an as-needed medicine")
        self.dose_button.clicked.connect(self.doseRequested)
        self.treatment_button = QPushButton("Plans and medicines…")
        self.treatment_button.setAccessibleName("Open planned sessions and other medicines")
        self.treatment_button.clicked.connect(self.treatmentRequested)
        more = QHBoxLayout()
        more.addWidget(self.dose_button)
        more.addWidget(self.treatment_button)
        more.addStretch(1)
        layout.addWidget(self.session_label)
        layout.addWidget(self.session_when)
        layout.addLayout(buttons)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.missed_label)
        layout.addLayout(more)
        return frame

    # -- refresh ------------------------------------------------------------------------

    def refresh(self) -> None:
        today = date.today()
        self.day.setText(long_day(today))
        if self.journal.is_empty():
            self.welcome.show()
        elif self._welcome is not None:
            self._welcome.hide()
        self._refresh_checkin(today)
        self._refresh_questionnaires(today)
        self._refresh_treatment(today)
        self.due_card.refresh()
        if self.isVisible():
            # What is due changes what fits. Asked once the new rows are shown (Qt shows
            # a widget added to a shown layout a moment later); before the first show, the
            # first resize decides.
            QTimer.singleShot(0, self, self._fit_columns)

    def _refresh_checkin(self, today: date) -> None:
        self._saved_line = False
        latest = self.journal.history_page(("checkin",), today, today, limit=1)
        if latest and isinstance(latest[0], Checkin):
            entry = latest[0]
            count = self.journal.count("checkin", today, today)
            times = "1 check-in" if count == 1 else f"{count} check-ins"
            self.checkin_status.setText(
                f"{times} today; the last at {entry.at:%H:%M}, anxiety {entry.anxiety}/10."
            )
        else:
            self.checkin_status.setText("No check-in yet today.")

    def _refresh_questionnaires(self, today: date) -> None:
        for instrument_id in instruments():
            latest = self.journal.latest_assessment(instrument_id)
            lines: list[str] = []
            if latest is None:
                score = f"{instrument_id} not taken yet"
            else:
                score = score_text(latest)
                taken = latest.at.date()
                lines.append(f"Taken {short_day(taken, today)} ({days_ago(taken, today)})")
                lines += [f"Item {n} answered “{a}”" for n, a in safety_answers(latest)]
            if reminders.reminder_enabled(self.journal, instrument_id):
                status = reminders.due(self.journal, instrument_id, latest)
                words = sentence(status.words(today))
                lines.append(f"<b>{words}</b>" if status.is_due(today) else words)
            else:
                lines.append("Reminders off")
            self.score_labels[instrument_id].setText(score)
            self.due_labels[instrument_id].setText("<br>".join(lines))

    def _refresh_treatment(self, today: date) -> None:
        latest = self.journal.history_page(("session",), limit=1)
        if latest and isinstance(latest[0], TreatmentSession):
            session = latest[0]
            dose = dose_text(session)
            self.session_label.setText(
                f"Last session: {entry_title(session)}" + (f", {dose}" if dose else "")
            )
            self.session_when.setText(
                f"{when(session.at, today)} · {days_ago(session.at.date(), today)}"
            )
        else:
            self.session_label.setText("No sessions logged yet.")
            self.session_when.setText("")
        self.session_when.setVisible(bool(self.session_when.text()))
        self._refresh_plans(today)

    def _refresh_plans(self, today: date) -> None:
        plan = self.journal.upcoming_plan(today)
        if plan is not None:
            route = ROUTE_LABELS.get(plan.route, plan.route)
            self.plan_label.setText(
                f"Next planned session: {when(plan.at, today)}, {route.lower()}"
            )
        else:
            self.plan_label.setText("")
        missed = self.journal.missed_plans(today)
        if missed:
            latest = missed[0]
            self.missed_label.setText(
                f"Planned for {short_day(latest.at.date(), today)}, no session logged"
                + (f" (and {len(missed) - 1} more)" if len(missed) > 1 else "")
                + ". Dismiss it under Plans and medicines."
            )
        else:
            self.missed_label.setText("")
        self.plan_label.setVisible(bool(self.plan_label.text()))
        self.missed_label.setVisible(bool(self.missed_label.text()))
        self.dose_button.setVisible(
            any(m.schedule == "as_needed" for m in self.journal.medications(today, today))
        )

    # -- the check-in -------------------------------------------------------------------

    def _forget_saved_line(self) -> None:
        """A new value not saved yet: the last "Saved: …" line no longer describes the form."""
        if self._saved_line:
            self._saved_line = False
            self._refresh_checkin(date.today())

    # -- the draft ----------------------------------------------------------------------

    def _restore_draft(self) -> None:
        kept = self.drafts.kept()
        if kept is None:
            return
        self.form.restore(kept.fields)
        if not self.form.has_input():  # nothing in it this form can show
            self.drafts.forget()
            return
        words = restored_words(kept.kept_at)
        said, _dash, rest = words.partition(" — ")
        self.draft_text.setText(f"<b>{said}</b> —&nbsp;{rest.replace(' ', '&nbsp;')}.")
        self.draft_text.setAccessibleName(words)
        self.draft_notice.show()

    def discard_draft(self) -> None:
        """Empty the form and forget its draft (the notice's Discard)."""
        self.form.reset()
        self.drafts.forget()
        self.draft_notice.hide()
        self.focus_checkin()

    def window_closing(self) -> None:
        """The window closes after its question was answered (Save, Discard) or with
        nothing typed: no draft is left for the next open."""
        self.drafts.forget()

    # -- unsaved input (tracker.ui.widgets.unsaved.UnsavedInput) ------------------------

    def has_unsaved_input(self) -> bool:
        return self.form.has_input()

    def unsaved_what(self) -> str:
        return "the check-in on Today"

    def save_unsaved(self) -> bool:
        return self.save_checkin()

    def show_unsaved(self) -> None:
        self.focus_checkin()

    def focus_checkin(self) -> None:
        self.form.anxiety.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_checkin(self, *, future_confirmed: bool = False) -> bool:
        self.form.errors.clear()
        entry, problems = self.form.build()
        if problems or entry is None:
            self.form.errors.show(problems)
            return False
        if is_future(entry.at) and not future_confirmed:
            self.future_box = ask_future(
                self, "check-in", entry.at, lambda: self.save_checkin(future_confirmed=True)
            )
            return False
        try:
            self.editor.add([entry])
        except ValidationError as exc:
            self.form.errors.show(exc.problems)
            return False
        except JournalError as exc:
            journal_error_box(self, exc, "The check-in was not saved.").open()
            return False
        self.form.reset()
        self.drafts.forget()
        self.draft_notice.hide()
        self.checkin_status.setText(
            f"Saved: anxiety {entry.anxiety}/10 at {entry.at:%H:%M}. Ctrl+Z undoes it."
        )
        self._saved_line = True
        return True
