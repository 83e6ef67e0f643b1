"""What is due, from the journal: questionnaires by the cadence the user chose, reflection
prompts, the follow-up check and planned sessions (the rules: tracker.domain.due).

GAD-7 asks about the last two weeks, so it is offered on a cadence (weekly by default)
rather than daily; PHQ-9 reminders are off until the user turns them on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from tracker.domain.between import PROMPT_QUESTIONS
from tracker.domain.due import KINDS as DUE_KINDS
from tracker.domain.due import (
    PLANNED_AHEAD,
    PROMPTS_LAPSE,
    QUIET_FROM,
    QUIET_UNTIL,
    DueItem,
    Planned,
    QuestionnaireState,
    due_now,
    kinds_to_notify,
)
from tracker.domain.entries import Assessment
from tracker.domain.instruments import instrument, instruments
from tracker.journal import Journal
from tracker.wording import days_ago, short_day, when

if TYPE_CHECKING:
    from tracker.storage.between_rows import DueContext

ON_BY_DEFAULT = frozenset({"GAD-7"})
MIN_DAYS, MAX_DAYS = 1, 90


def _enabled_key(instrument_id: str) -> str:
    return f"reminder.{instrument_id}.enabled"


def _days_key(instrument_id: str) -> str:
    return f"reminder.{instrument_id}.every_days"


def reminder_enabled(journal: Journal, instrument_id: str) -> bool:
    default = "1" if instrument_id in ON_BY_DEFAULT else "0"
    return journal.setting(_enabled_key(instrument_id), default) == "1"


def cadence_days(journal: Journal, instrument_id: str) -> int:
    default = instrument(instrument_id).default_cadence_days
    try:
        days = int(journal.setting(_days_key(instrument_id), str(default)) or default)
    except ValueError:
        return default
    return min(MAX_DAYS, max(MIN_DAYS, days))


def set_reminder(journal: Journal, instrument_id: str, *, enabled: bool, every_days: int) -> None:
    journal.set_setting(_enabled_key(instrument_id), "1" if enabled else "0")
    journal.set_setting(_days_key(instrument_id), str(min(MAX_DAYS, max(MIN_DAYS, every_days))))


class Due(NamedTuple):
    instrument_id: str
    last: Assessment | None
    due_on: date | None

    def is_due(self, today: date) -> bool:
        return self.due_on is None or self.due_on <= today

    def words(self, today: date) -> str:
        """'due now', 'next due Sat 28 Nov (in 7 days)'."""
        if self.due_on is None or self.due_on <= today:
            return "due now"
        return f"next due {short_day(self.due_on, today)} ({days_ago(self.due_on, today)})"


def due(journal: Journal, instrument_id: str, last: Assessment | None = None) -> Due:
    """When `instrument_id` is next due; `last` saves the query when it is already known."""
    last = last or journal.latest_assessment(instrument_id)
    if last is None:
        return Due(instrument_id, None, None)
    return Due(
        instrument_id, last, last.at.date() + timedelta(days=cadence_days(journal, instrument_id))
    )


def reminders(journal: Journal) -> list[Due]:
    return [due(journal, i) for i in instruments() if reminder_enabled(journal, i)]


def planned_sessions(journal: Journal, now: datetime) -> Sequence[Planned]:
    """The planned sessions that could start within PLANNED_AHEAD of `now`: one bounded
    query over the days concerned (a day either side, for times written with an offset)."""
    first = now.date() - timedelta(days=1)
    last = (now + PLANNED_AHEAD).date() + timedelta(days=1)
    return journal.planned_sessions(first, last)


def due_items(journal: Journal, now: datetime, context: DueContext | None = None) -> list[DueItem]:
    """Everything due at `now` (local wall-clock time): the `due` command and Today.
    `context` is journal.due_context(now, PROMPTS_LAPSE) when the caller has it already."""
    states = []
    for instrument_id in instruments():
        if reminder_enabled(journal, instrument_id):
            last = journal.latest_assessment(instrument_id)
            every = cadence_days(journal, instrument_id)
            states.append(QuestionnaireState(instrument_id, every, last.at if last else None))
    # Bounded queries only (Today opens as fast on ten years as on one week).
    if context is None:
        context = journal.due_context(now, PROMPTS_LAPSE)
    return due_now(
        now,
        questionnaires=states,
        sessions=context.sessions,
        answered_prompts=context.answered,
        dismissed_prompts=context.dismissed,
        followups=context.followups,
        planned=planned_sessions(journal, now),
    )


def due_words(item: DueItem, today: date) -> str:
    """One line saying what is due, as the command line and Today show it."""
    if item.kind == "questionnaire":
        since = "" if item.since is None else f", due since {short_day(item.since.date(), today)}"
        return f"{item.what} questionnaire{since}"
    if item.kind == "reflection":
        assert item.session_at is not None and item.prompt is not None
        day = short_day(item.session_at.date(), today)
        return f"Reflect on {day}'s session: {PROMPT_QUESTIONS[item.prompt]}"
    if item.kind == "followup":
        since = "" if item.since is None else f", due since {short_day(item.since.date(), today)}"
        return f"The follow-up check{since}"
    assert item.at is not None
    return f"Planned session: {when(item.at, today)}"


# -- notifications and the tray: what the patient chose, kept in the journal -----------------

QUIET_FROM_KEY, QUIET_UNTIL_KEY = "notify.quiet_from", "notify.quiet_until"
KEEP_IN_TRAY_KEY = "tray.keep_on_close"


def _clock_time(text: str | None, default: time) -> time:
    try:
        return time.fromisoformat(text) if text else default
    except ValueError:
        return default


def quiet_hours(journal: Journal) -> tuple[time, time]:
    """When no notice is shown (default 21:00 up to 09:00)."""
    return (
        _clock_time(journal.setting(QUIET_FROM_KEY), QUIET_FROM),
        _clock_time(journal.setting(QUIET_UNTIL_KEY), QUIET_UNTIL),
    )


def set_quiet_hours(journal: Journal, start: time, end: time) -> None:
    journal.set_setting(QUIET_FROM_KEY, start.strftime("%H:%M"))
    journal.set_setting(QUIET_UNTIL_KEY, end.strftime("%H:%M"))


def last_notified(journal: Journal) -> dict[str, date]:
    out = {}
    for kind in DUE_KINDS:
        text = journal.setting(f"notify.last.{kind}")
        try:
            if text:
                out[kind] = date.fromisoformat(text)
        except ValueError:
            continue
    return out


def mark_notified(journal: Journal, kinds: Sequence[str], day: date) -> None:
    for kind in kinds:
        journal.set_setting(f"notify.last.{kind}", day.isoformat())


def keep_in_tray(journal: Journal) -> bool | None:
    """Whether closing the window keeps Onset in the tray; None until the patient is asked."""
    value = journal.setting(KEEP_IN_TRAY_KEY)
    return None if value is None else value == "1"


def set_keep_in_tray(journal: Journal, keep: bool) -> None:
    journal.set_setting(KEEP_IN_TRAY_KEY, "1" if keep else "0")


def notices_due(journal: Journal, now: datetime) -> list[str]:
    """The kinds to announce at `now`: due, outside quiet hours, not yet announced today."""
    start, end = quiet_hours(journal)
    items = due_items(journal, now)
    return kinds_to_notify(items, now, last_notified(journal), start, end)
