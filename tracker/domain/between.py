"""What the patient writes between sessions: reflections and the follow-up check.

A reflection is free text, optionally linked to a session and to one of three prompts
offered after it (clinical-reference.md, "Between sessions"). The follow-up check asks
eight questions every four weeks while sessions continue, each answered none / mild /
moderate / severe; it is recorded as answered and never scored or interpreted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from tracker.domain.entries import LEVELS, MAX_NOTE, Entry, Rule
from tracker.domain.errors import Problem
from tracker.domain.times import format_at

# Each prompt, how long after the session it is offered, and its question.
PROMPTS = ("what_came_up", "still_with_you", "feels_different")
PROMPT_AFTER: dict[str, timedelta] = {
    "what_came_up": timedelta(hours=2),
    "still_with_you": timedelta(hours=24),
    "feels_different": timedelta(days=7),
}
PROMPT_QUESTIONS = {
    "what_came_up": "What came up during or after the session?",
    "still_with_you": "What is still with you today?",
    "feels_different": "What feels different from before?",
}

# The follow-up check's questions, in the order they are asked and exported.
FOLLOWUP_KEYS = (
    "bladder_pain",
    "urgency",
    "frequency",
    "blood_in_urine",
    "memory",
    "concentration",
    "craving",
    "use_outside_treatment",
)
FOLLOWUP_QUESTIONS = {
    "bladder_pain": "Pain in the bladder or lower belly",
    "urgency": "A sudden, strong need to pass urine",
    "frequency": "Passing urine more often than usual",
    "blood_in_urine": "Blood in the urine",
    "memory": "Problems with memory",
    "concentration": "Trouble concentrating",
    "craving": "Craving for ketamine",
    "use_outside_treatment": "Using ketamine outside treatment",
}

REFLECTION_RULES = {
    "at": Rule("at", required=True),
    "session_at": Rule("at"),
    "prompt": Rule("choice", choices=PROMPTS),
    "text": Rule("text", required=True, max_len=MAX_NOTE),
}
FOLLOWUP_RULES = {
    "at": Rule("at", required=True),
    "answers": Rule("levels", required=True, choices=FOLLOWUP_KEYS),
    "note": Rule("text", max_len=MAX_NOTE),
}


@dataclass(frozen=True)
class Reflection(Entry):
    """Free text written between sessions, optionally answering a prompt about one."""

    KIND: ClassVar[str] = "reflection"
    SECTION: ClassVar[str] = "reflections"
    RULES: ClassVar[Mapping[str, Rule]] = REFLECTION_RULES

    at: datetime
    text: str
    session_at: datetime | None = None
    prompt: str | None = None

    def extra_problems(self) -> list[Problem]:
        problems = []
        if not self.text.strip():
            problems.append(Problem("text", "is empty"))
        if self.prompt is not None and self.session_at is None:
            problems.append(Problem("prompt", "answers a session's prompt, so needs session_at"))
        return problems

    def to_json(self) -> dict[str, Any]:
        return {
            "at": format_at(self.at),
            "session_at": None if self.session_at is None else format_at(self.session_at),
            "prompt": self.prompt,
            "text": self.text,
        }


@dataclass(frozen=True)
class FollowUp(Entry):
    """The four-weekly follow-up check: one level per question of FOLLOWUP_KEYS."""

    KIND: ClassVar[str] = "followup"
    SECTION: ClassVar[str] = "followups"
    RULES: ClassVar[Mapping[str, Rule]] = FOLLOWUP_RULES

    at: datetime
    answers: tuple[str, ...]
    note: str | None = None

    @classmethod
    def from_answers(
        cls, at: datetime, answers: Mapping[str, str], note: str | None = None
    ) -> FollowUp:
        """Build one from {question: level}; a question left out counts as unanswered."""
        return cls(at=at, answers=tuple(answers.get(k, "") for k in FOLLOWUP_KEYS), note=note)

    @property
    def by_question(self) -> dict[str, str]:
        return dict(zip(FOLLOWUP_KEYS, self.answers, strict=False))

    def above_none(self) -> list[tuple[str, str]]:
        """(question, level) for every answer other than "none", in the questions' order."""
        return [(k, v) for k, v in self.by_question.items() if v != "none"]

    def to_json(self) -> dict[str, Any]:
        return {"at": format_at(self.at), "answers": self.by_question, "note": self.note}


BETWEEN_TYPES: tuple[type[Entry], ...] = (Reflection, FollowUp)
__all__ = [
    "BETWEEN_TYPES",
    "FOLLOWUP_KEYS",
    "FOLLOWUP_QUESTIONS",
    "LEVELS",
    "PROMPTS",
    "PROMPT_AFTER",
    "PROMPT_QUESTIONS",
    "FollowUp",
    "Reflection",
]
