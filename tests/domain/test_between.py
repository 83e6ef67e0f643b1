"""Reflections and the follow-up check go through the same rule table as every entry."""

from __future__ import annotations

from datetime import datetime

import pytest

from tracker.domain.between import FOLLOWUP_KEYS, FollowUp, Reflection
from tracker.domain.errors import ValidationError

ALL_NONE = dict.fromkeys(FOLLOWUP_KEYS, "none")


def test_a_reflection_reads_back_what_journal_format_shows() -> None:
    data = {
        "at": "2026-01-09T20:00",
        "session_at": "2026-01-08T10:00",
        "prompt": "still_with_you",
        "text": "lighter in the morning",
    }
    reflection = Reflection.from_json(data)
    assert reflection.session_at == datetime(2026, 1, 8, 10, 0)
    assert reflection.to_json() == data


def test_a_reflection_without_session_or_prompt_is_a_plain_note() -> None:
    found = Reflection.from_json({"at": "2026-01-09T20:00", "text": "quiet day"})
    assert (found.session_at, found.prompt) == (None, None)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"at": "2026-01-09T20:00"}, "text: is required"),
        ({"at": "2026-01-09T20:00", "text": "  \n"}, "text: is empty"),
        (
            {"at": "2026-01-09T20:00", "text": "x", "prompt": "how_was_it", "session_at": None},
            "prompt: 'how_was_it' is not one of what_came_up, still_with_you, feels_different",
        ),
        (
            {"at": "2026-01-09T20:00", "text": "x", "prompt": "what_came_up"},
            "prompt: answers a session's prompt, so needs session_at",
        ),
        ({"at": "2026-01-09T20:00", "text": 5}, "text: must be text, not a number"),
        ({"at": "2026-01-09T20:00", "text": "x" * 20_001}, "longer than 20000"),
        ({"at": "9999-01-09", "text": "x"}, "at: '9999-01-09' is not a time"),
    ],
)
def test_a_reflection_is_refused_with_a_reason(data: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Reflection.from_json(data, "reflections[0]")
    assert any(problem in str(p) for p in caught.value.problems), caught.value.problems
    assert all(p.place.startswith("reflections[0]") for p in caught.value.problems)


def test_a_followup_reads_back_all_eight_answers_in_order() -> None:
    answers = ALL_NONE | {"urgency": "mild", "concentration": "severe"}
    data = {"at": "2026-02-05T09:00", "answers": answers, "note": ""}
    found = FollowUp.from_json(data)
    assert found.answers[1] == "mild"
    assert found.above_none() == [("urgency", "mild"), ("concentration", "severe")]
    assert found.to_json() == data
    assert list(found.to_json()["answers"]) == list(FOLLOWUP_KEYS)


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({k: v for k, v in ALL_NONE.items() if k != "memory"}, ["memory is missing"]),
        (ALL_NONE | {"sleep": "none"}, ["'sleep' is not a question here"]),
        (ALL_NONE | {"craving": "very"}, ["craving: 'very' is not one of none, mild"]),
        (ALL_NONE | {"craving": 2}, ["craving: a number is not one of"]),
        ([0] * 8, ["must be an object of answers, not a list"]),
    ],
)
def test_a_followup_names_every_wrong_answer(answers: object, words: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        FollowUp.from_json({"at": "2026-02-05T09:00", "answers": answers})
    text = str(caught.value)
    assert text.startswith("answers: ")
    for word in words:
        assert word in text


def test_a_followup_built_in_code_must_answer_every_question() -> None:
    at = datetime(2026, 2, 5, 9, 0)
    FollowUp.from_answers(at, ALL_NONE).check()
    with pytest.raises(ValidationError, match="for each of the 8 questions"):
        FollowUp.from_answers(at, {"urgency": "mild"}).check()
