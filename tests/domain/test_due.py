"""What is due, at the edges, with a fake clock (every `now` is given explicitly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from tracker.domain.due import (
    NOTICE_TEXT,
    DueItem,
    QuestionnaireState,
    due_now,
    followup_due,
    in_quiet_hours,
    kinds_to_notify,
    planned_due,
    prompts_due,
    questionnaires_due,
)

TUESDAY = datetime(2026, 1, 6, 10, 0)  # a session, Tuesday 6 January 10:00
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Plan:
    at: datetime


# -- reflection prompts ------------------------------------------------------------------------


def test_the_first_prompt_comes_due_exactly_two_hours_after_the_session() -> None:
    assert prompts_due([TUESDAY], [], [], TUESDAY + timedelta(hours=2) - MINUTE) == []
    assert prompts_due([TUESDAY], [], [], TUESDAY + timedelta(hours=2)) == [
        DueItem("reflection", prompt="what_came_up", session_at=TUESDAY)
    ]


def test_a_reflection_answering_the_prompt_closes_it_until_the_next_one() -> None:
    answered = [(TUESDAY, "what_came_up")]
    assert prompts_due([TUESDAY], answered, [], TUESDAY + timedelta(hours=3)) == []
    # 24 h after: the next prompt, answered or not before.
    day_after = TUESDAY + timedelta(hours=24)
    assert [i.prompt for i in prompts_due([TUESDAY], answered, [], day_after)] == ["still_with_you"]
    # A reflection on another session, or with another prompt, does not answer it.
    other = [(TUESDAY + timedelta(days=1), "what_came_up"), (TUESDAY, "feels_different")]
    assert len(prompts_due([TUESDAY], other, [], TUESDAY + timedelta(hours=3))) == 1


def test_an_unanswered_prompt_gives_way_to_the_next_and_a_dismissed_one_stays_closed() -> None:
    week = TUESDAY + timedelta(days=7)
    assert [i.prompt for i in prompts_due([TUESDAY], [], [], week)] == ["feels_different"]
    assert prompts_due([TUESDAY], [], [(TUESDAY, "feels_different")], week) == []


def test_prompts_lapse_two_weeks_after_the_session() -> None:
    assert len(prompts_due([TUESDAY], [], [], TUESDAY + timedelta(days=14) - MINUTE)) == 1
    assert prompts_due([TUESDAY], [], [], TUESDAY + timedelta(days=14)) == []


def test_each_recent_session_has_its_own_prompt_and_offsets_do_not_move_times() -> None:
    friday = datetime(2026, 1, 9, 10, 0, tzinfo=timezone(timedelta(hours=5)))
    now = datetime(2026, 1, 9, 12, 0)  # Friday 12:00 wall clock: 2 h after Friday's session
    found = prompts_due([friday, TUESDAY], [], [], now)
    assert [(i.session_at, i.prompt) for i in found] == [
        (TUESDAY, "still_with_you"),
        (datetime(2026, 1, 9, 10, 0), "what_came_up"),
    ]


# -- the follow-up check -----------------------------------------------------------------------


def test_the_first_followup_is_four_weeks_after_the_first_session() -> None:
    sessions = [TUESDAY, TUESDAY + timedelta(days=21)]
    first_due = TUESDAY + timedelta(days=28)
    assert followup_due(sessions, [], first_due - MINUTE) is None
    assert followup_due(sessions, [], first_due) == DueItem("followup", since=None)


def test_the_followup_is_due_28_days_after_the_last_one() -> None:
    sessions = [TUESDAY + timedelta(days=7 * n) for n in range(10)]
    last = datetime(2026, 2, 5, 9, 0)
    assert followup_due(sessions, [last], last + timedelta(days=28) - MINUTE) is None
    assert followup_due(sessions, [last], last + timedelta(days=28)) == DueItem(
        "followup", since=datetime(2026, 3, 5, 9, 0)
    )


def test_no_followup_once_sessions_have_stopped_for_eight_weeks() -> None:
    last_session = TUESDAY + timedelta(days=14)
    stopped = last_session + timedelta(weeks=8)
    # Due (first one was owed from 3 February) right up to the eight weeks ...
    assert followup_due([TUESDAY, last_session], [], stopped - MINUTE) is not None
    # ... and not from then on.
    assert followup_due([TUESDAY, last_session], [], stopped) is None


def test_no_followup_before_any_session_has_happened() -> None:
    assert followup_due([], [], TUESDAY) is None
    assert followup_due([TUESDAY + timedelta(days=60)], [], TUESDAY + timedelta(days=40)) is None


# -- planned sessions --------------------------------------------------------------------------


def test_a_planned_session_23_hours_ahead_is_due_and_25_hours_ahead_is_not() -> None:
    now = datetime(2026, 1, 14, 11, 0)
    soon, later = Plan(now + timedelta(hours=23)), Plan(now + timedelta(hours=25))
    assert planned_due([later, soon], [], now) == [DueItem("planned_session", at=soon.at)]
    assert planned_due([Plan(now + timedelta(hours=24))], [], now) != []
    assert planned_due([Plan(now - MINUTE)], [], now) == []


def test_a_planned_session_already_logged_that_day_is_not_due() -> None:
    now = datetime(2026, 1, 15, 8, 0)
    plan = Plan(datetime(2026, 1, 15, 10, 0))
    assert planned_due([plan], [date(2026, 1, 15)], now) == []


# -- questionnaires ----------------------------------------------------------------------------


def test_a_questionnaire_is_due_from_the_day_its_cadence_runs_out() -> None:
    last = datetime(2026, 1, 2, 9, 0)
    weekly = [QuestionnaireState("GAD-7", 7, last)]
    assert questionnaires_due(weekly, datetime(2026, 1, 8, 23, 59)) == []
    assert questionnaires_due(weekly, datetime(2026, 1, 9, 0, 0)) == [
        DueItem("questionnaire", what="GAD-7", since=datetime(2026, 1, 9, 9, 0))
    ]
    never = [QuestionnaireState("PHQ-9", 14, None)]
    assert questionnaires_due(never, last) == [DueItem("questionnaire", what="PHQ-9")]


def test_the_whole_list_comes_in_kind_order_as_journal_format_shows() -> None:
    now = datetime(2026, 1, 9, 10, 30)
    found = due_now(
        now,
        questionnaires=[QuestionnaireState("GAD-7", 7, datetime(2025, 12, 26, 9, 0))],
        sessions=[datetime(2025, 12, 10, 10, 0), datetime(2026, 1, 8, 10, 0)],
        planned=[Plan(datetime(2026, 1, 10, 10, 0))],
    )
    assert [i.to_json() for i in found] == [
        {"kind": "questionnaire", "what": "GAD-7", "since": "2026-01-02T09:00"},
        {"kind": "reflection", "prompt": "still_with_you", "session_at": "2026-01-08T10:00"},
        {"kind": "followup", "since": None},
        {"kind": "planned_session", "at": "2026-01-10T10:00"},
    ]


# -- notifications -----------------------------------------------------------------------------


def test_quiet_hours_run_from_21_00_up_to_09_00() -> None:
    day = date(2026, 1, 9)
    assert in_quiet_hours(datetime.combine(day, time(21, 0)))
    assert in_quiet_hours(datetime.combine(day, time(3, 0)))
    assert in_quiet_hours(datetime.combine(day, time(8, 59)))
    assert not in_quiet_hours(datetime.combine(day, time(9, 0)))
    assert not in_quiet_hours(datetime.combine(day, time(20, 59)))
    # Chosen hours that do not cross midnight, and none at all.
    assert in_quiet_hours(datetime.combine(day, time(13, 0)), time(12, 0), time(14, 0))
    assert not in_quiet_hours(datetime.combine(day, time(23, 0)), time(12, 0), time(14, 0))
    assert not in_quiet_hours(datetime.combine(day, time(23, 0)), time(9, 0), time(9, 0))


def test_at_most_one_notice_a_day_per_kind_and_none_in_quiet_hours() -> None:
    items = [DueItem("questionnaire", what="GAD-7"), DueItem("followup")]
    morning = datetime(2026, 1, 9, 9, 0)
    assert kinds_to_notify(items, morning, {}) == ["questionnaire", "followup"]
    told = {"questionnaire": date(2026, 1, 9), "followup": date(2026, 1, 8)}
    assert kinds_to_notify(items, morning, told) == ["followup"]
    assert kinds_to_notify(items, datetime(2026, 1, 9, 22, 0), {}) == []
    assert kinds_to_notify(items, datetime(2026, 1, 10, 9, 0), told) == [
        "questionnaire",
        "followup",
    ]


def test_the_notice_names_no_symptom_medicine_or_score() -> None:
    assert NOTICE_TEXT == "Onset: a check-in is due"
    for word in ("ketamine", "anxiety", "GAD", "PHQ", "bladder", "craving", "score", "dose"):
        assert word.lower() not in NOTICE_TEXT.lower()


def test_entries_dated_in_year_9999_neither_crash_nor_make_anything_due() -> None:
    far = datetime(9999, 12, 31, 23, 0)
    now = datetime(2026, 1, 9, 10, 0)
    assert questionnaires_due([QuestionnaireState("GAD-7", 90, far)], now) == []
    assert prompts_due([far], [], [], now) == []
    assert followup_due([far], [far], now) is None
    assert planned_due([Plan(far)], [far.date()], now) == []
    # At the very end of the calendar, nothing overflows either.
    assert planned_due([Plan(far)], [], datetime(9999, 12, 31, 22, 0)) == [
        DueItem("planned_session", at=far)
    ]
