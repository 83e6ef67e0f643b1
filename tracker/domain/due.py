"""What is due now: one computation behind `due`, the Today list and the tray's notices.

Everything here works on plain values and an explicit `now` (local wall-clock time), so
it is tested with a fake clock. Times are compared as wall-clock readings: an offset
written with an entry never moves it.

- A questionnaire is due by the cadence the patient chose (tracker.reminders).
- A reflection prompt is offered PROMPT_AFTER a session; only the latest prompt of a
  session that has come due is shown (an earlier one left unanswered gives way to it),
  until it is answered (a reflection on that session with that prompt) or dismissed, and
  no longer than PROMPTS_LAPSE after the session.
- The follow-up check is due FOLLOWUP_EVERY after the last one (the first one that long
  after the first session) while sessions continue: not once the last session is
  SESSIONS_STOPPED or more in the past.
- A planned session is due when it starts within PLANNED_AHEAD from now and no session
  has been logged on its day yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, Protocol

from tracker.domain.between import PROMPT_AFTER, PROMPTS
from tracker.domain.times import format_at, wall_clock

PROMPTS_LAPSE = timedelta(days=14)
FOLLOWUP_EVERY = timedelta(days=28)
SESSIONS_STOPPED = timedelta(weeks=8)
PLANNED_AHEAD = timedelta(hours=24)
KINDS = ("questionnaire", "reflection", "followup", "planned_session")


class Planned(Protocol):
    """Anything with the time a session is planned for."""

    @property
    def at(self) -> datetime: ...


class QuestionnaireState(NamedTuple):
    """One instrument whose reminder is on: its cadence and when it was last answered."""

    instrument: str
    every_days: int
    last_at: datetime | None


class DueItem(NamedTuple):
    """One thing due. `since` is when the cadence ran out (None: never done before)."""

    kind: str
    what: str | None = None  # the instrument of a questionnaire
    prompt: str | None = None  # the prompt of a reflection
    session_at: datetime | None = None  # the session a reflection prompt is about
    since: datetime | None = None
    at: datetime | None = None  # a planned session's time

    def to_json(self) -> dict[str, Any]:
        def at(value: datetime | None) -> str | None:
            return None if value is None else format_at(value)

        if self.kind == "questionnaire":
            return {"kind": self.kind, "what": self.what, "since": at(self.since)}
        if self.kind == "reflection":
            return {"kind": self.kind, "prompt": self.prompt, "session_at": at(self.session_at)}
        if self.kind == "followup":
            return {"kind": self.kind, "since": at(self.since)}
        return {"kind": self.kind, "at": at(self.at)}


def questionnaires_due(states: Iterable[QuestionnaireState], now: datetime) -> list[DueItem]:
    """Due from the start of the day the cadence runs out (never answered: due now)."""
    out = []
    for state in states:
        if state.last_at is None:
            out.append(DueItem("questionnaire", what=state.instrument))
            continue
        last = wall_clock(state.last_at)
        if last > wall_clock(now):
            continue  # answered "in the future" (a mistyped year): not due before then
        since = last + timedelta(days=state.every_days)
        if since.date() <= wall_clock(now).date():
            out.append(DueItem("questionnaire", what=state.instrument, since=since))
    return out


def prompts_due(
    sessions: Iterable[datetime],
    answered: Iterable[tuple[datetime, str]],
    dismissed: Iterable[tuple[datetime, str]],
    now: datetime,
) -> list[DueItem]:
    """The latest prompt of each session that has come due and is still open, oldest first.

    `answered` and `dismissed` hold (session time, prompt) pairs.
    """
    now = wall_clock(now)
    closed = {(wall_clock(s), p) for s, p in (*answered, *dismissed)}
    out = []
    for start in sorted({wall_clock(s) for s in sessions}):
        if not start <= now < start + PROMPTS_LAPSE:
            continue
        come_due = [p for p in PROMPTS if start + PROMPT_AFTER[p] <= now]
        if come_due and (start, come_due[-1]) not in closed:
            out.append(DueItem("reflection", prompt=come_due[-1], session_at=start))
    return out


def followup_due(
    sessions: Iterable[datetime], followups: Iterable[datetime], now: datetime
) -> DueItem | None:
    now = wall_clock(now)
    started = sorted(wall_clock(s) for s in sessions if wall_clock(s) <= now)
    if not started or now - started[-1] >= SESSIONS_STOPPED:
        return None
    done = sorted(wall_clock(f) for f in followups if wall_clock(f) <= now)
    since = done[-1] + FOLLOWUP_EVERY if done else None
    next_at = since if since is not None else started[0] + FOLLOWUP_EVERY
    return DueItem("followup", since=since) if next_at <= now else None


def planned_due(
    planned: Iterable[Planned], logged_days: Iterable[date], now: datetime
) -> list[DueItem]:
    now = wall_clock(now)
    logged = set(logged_days)
    out = []
    for plan in sorted(planned, key=lambda p: wall_clock(p.at)):
        at = wall_clock(plan.at)
        if now < at and at - now <= PLANNED_AHEAD and at.date() not in logged:
            out.append(DueItem("planned_session", at=at))
    return out


def due_now(
    now: datetime,
    *,
    questionnaires: Sequence[QuestionnaireState] = (),
    sessions: Sequence[datetime] = (),
    answered_prompts: Sequence[tuple[datetime, str]] = (),
    dismissed_prompts: Sequence[tuple[datetime, str]] = (),
    followups: Sequence[datetime] = (),
    planned: Sequence[Planned] = (),
) -> list[DueItem]:
    """Everything due at `now`, in the order of KINDS."""
    out = questionnaires_due(questionnaires, now)
    out += prompts_due(sessions, answered_prompts, dismissed_prompts, now)
    followup = followup_due(sessions, followups, now)
    if followup is not None:
        out.append(followup)
    out += planned_due(planned, {wall_clock(s).date() for s in sessions}, now)
    return out


# -- notifications ---------------------------------------------------------------------------

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(9, 0)
# The one wording of every notice: it may show on a lock screen, so it never names a
# symptom, a medicine, a score or a kind of treatment.
NOTICE_TITLE = "Onset"
NOTICE_TEXT = "Onset: a check-in is due"


def in_quiet_hours(
    now: datetime, quiet_from: time = QUIET_FROM, quiet_until: time = QUIET_UNTIL
) -> bool:
    """Quiet from `quiet_from` up to (not including) `quiet_until`; it may span midnight."""
    moment = wall_clock(now).time()
    if quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= moment < quiet_until
    return moment >= quiet_from or moment < quiet_until


def kinds_to_notify(
    items: Iterable[DueItem],
    now: datetime,
    last_notified: Mapping[str, date],
    quiet_from: time = QUIET_FROM,
    quiet_until: time = QUIET_UNTIL,
) -> list[str]:
    """The kinds of due item to announce now: none in quiet hours, each at most once a day."""
    if in_quiet_hours(now, quiet_from, quiet_until):
        return []
    today = wall_clock(now).date()
    kinds = {item.kind for item in items}
    return [k for k in KINDS if k in kinds and last_notified.get(k) != today]
