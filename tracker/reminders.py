"""When a questionnaire is due, from the cadence the user chose (stored in the journal).

GAD-7 asks about the last two weeks, so it is offered on a cadence (weekly by default)
rather than daily; PHQ-9 reminders are off until the user turns them on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.entries import Assessment
from tracker.domain.instruments import instrument, instruments
from tracker.journal import Journal
from tracker.wording import days_ago, short_day

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


@dataclass(frozen=True)
class Due:
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
