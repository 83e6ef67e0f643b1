"""How entries, days and scores read on screen, in the user's words.

No Qt here, so the wording is easy to test. Day and month names are spelled out in code
rather than taken from the C locale, which Qt may have switched to the system language.
"""

from __future__ import annotations

from datetime import date, datetime

from tracker.domain.between import FOLLOWUP_QUESTIONS, PROMPT_QUESTIONS, FollowUp, Reflection
from tracker.domain.catalogue import effect_label
from tracker.domain.entries import (
    MEDICATION_CLASS_SHORT,
    ROUTE_LABELS,
    Assessment,
    Checkin,
    Entry,
    MedicationDose,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.instruments import instrument
from tracker.domain.times import DAY_NAMES
from tracker.formatting import long_day as long_day  # the date words live there
from tracker.formatting import number
from tracker.formatting import short_day as short_day
from tracker.formatting import when as when

KIND_LABELS = {
    "checkin": "Check-in",
    "assessment": "Questionnaire",
    "session": "Treatment session",
    "side_effect": "Side effect",
    "reflection": "Reflection",
    "followup": "Follow-up check",
    "medication": "Medicine",
    "medication_dose": "Dose taken",
    "planned_session": "Planned session",
}
KIND_PLURALS = {
    "checkin": "Check-ins",
    "assessment": "Questionnaires",
    "session": "Treatment sessions",
    "side_effect": "Side effects",
    "reflection": "Reflections",
    "followup": "Follow-up checks",
    "medication": "Medicines",
    "medication_dose": "Doses taken",
    "planned_session": "Planned sessions",
}
SEVERITY_LABELS = {"mild": "Mild", "moderate": "Moderate", "severe": "Severe"}
NOTE_PREVIEW = 60


def num(value: float) -> str:
    """A number without a pointless '.0': 7, 6.5, 0.35 (tracker.formatting.number)."""
    return number(value)


def days_ago(then: date, today: date) -> str:
    days = (today - then).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"


def score_text(assessment: Assessment) -> str:
    """Neutral words from the instrument data: 'GAD-7 total 12 (moderate range)'."""
    return instrument(assessment.instrument).describe(assessment.total)


def safety_answers(assessment: Assessment) -> list[tuple[int, str]]:
    """Safety items (PHQ-9 item 9) answered above 'Not at all': (item number, answer)."""
    definition = instrument(assessment.instrument)
    found = []
    for item in definition.safety_items:
        if item <= len(assessment.answers) and assessment.answers[item - 1] > 0:
            found.append((item, definition.option_label(assessment.answers[item - 1])))
    return found


def dose_text(session: TreatmentSession) -> str:
    mg, per_kg = session.effective_dose_mg, session.effective_dose_mg_per_kg
    if mg is not None and per_kg is not None:
        return f"{num(mg)} mg ({num(per_kg)} mg/kg)"
    if mg is not None:
        return f"{num(mg)} mg"
    if per_kg is not None:
        return f"{num(per_kg)} mg/kg"
    return ""


def _preview(note: str | None) -> str:
    text = " ".join((note or "").split())
    if len(text) > NOTE_PREVIEW:
        text = text[: NOTE_PREVIEW - 1].rstrip() + "…"
    return f"“{text}”" if text else ""


def entry_title(entry: Entry) -> str:
    """The short name of an entry: 'Check-in', 'GAD-7', 'Nausea'."""
    if isinstance(entry, Assessment):
        return entry.instrument
    if isinstance(entry, SideEffect):
        return effect_label(entry.effect)
    if isinstance(entry, TreatmentSession):
        return ROUTE_LABELS.get(entry.route, entry.route)
    return KIND_LABELS[entry.KIND]


def entry_summary(entry: Entry, today: date | None = None) -> str:
    """One line that says what an entry recorded, for the history table."""
    parts: list[str] = []
    if isinstance(entry, Checkin):
        parts.append(f"Anxiety {entry.anxiety}/10")
        if entry.mood is not None:
            parts.append(f"mood {entry.mood}/10")
        if entry.sleep_hours is not None:
            parts.append(f"slept {num(entry.sleep_hours)} h")
        parts.append(_preview(entry.note))
    elif isinstance(entry, Assessment):
        parts.append(score_text(entry))
        for number, answer in safety_answers(entry):
            parts.append(f"item {number} answered “{answer}”")
    elif isinstance(entry, TreatmentSession):
        parts.append(ROUTE_LABELS.get(entry.route, entry.route))
        parts.append(dose_text(entry))
        if entry.duration_min is not None:
            parts.append(f"{entry.duration_min} min")
        if entry.anxiety_before is not None and entry.anxiety_after is not None:
            parts.append(f"anxiety {entry.anxiety_before} → {entry.anxiety_after}")
        if entry.dissociation is not None:
            parts.append(f"dissociation {entry.dissociation}/10 (own rating)")
    elif isinstance(entry, MedicationDose):
        parts.append(entry.medication)
        if entry.dose_mg is not None:
            parts.append(f"{num(entry.dose_mg)} mg")
        parts.append(_preview(entry.note))
    elif isinstance(entry, SideEffect):
        parts.append(f"{effect_label(entry.effect)}, {entry.severity}")
        if entry.duration_min is not None:
            parts.append(f"{entry.duration_min} min")
        if entry.session_at is not None:
            parts.append(f"after the session of {when(entry.session_at, today)}")
        parts.append(_preview(entry.note))
    elif isinstance(entry, Reflection):
        if entry.session_at is not None:
            parts.append(f"on the session of {when(entry.session_at, today)}")
        if entry.prompt is not None:
            parts.append(PROMPT_QUESTIONS[entry.prompt])
        parts.append(_preview(entry.text))
    elif isinstance(entry, FollowUp):
        above = entry.above_none()
        said = [f"{FOLLOWUP_QUESTIONS[k].lower()}: {v}" for k, v in above]
        parts.append("; ".join(said) if said else "none to every question")
        parts.append(_preview(entry.note))
    return " · ".join(p for p in parts if p)


def class_names(classes: tuple[str, ...] | list[str]) -> str:
    """'benzodiazepine, MAOI': lower case inside a sentence, but for an abbreviation."""
    names = [MEDICATION_CLASS_SHORT.get(c, c) for c in classes]
    return ", ".join(n if n[:2].isupper() else n[:1].lower() + n[1:] for n in names)


def classes_text(classes: tuple[str, ...] | list[str]) -> str:
    """'in the 24 h before: benzodiazepine, antidepressant' (recorded, not judged)."""
    return "in the 24 h before: " + class_names(classes)


def reflect_title(session_at: datetime | None, now: datetime) -> str:
    """'Reflect on Tuesday's session' within a week, else 'Reflect on the session of …'."""
    if session_at is None:
        return "Write a reflection"
    days = (now.date() - session_at.date()).days
    if days == 0:
        return "Reflect on today's session"
    if 0 < days < 7:
        return f"Reflect on {DAY_NAMES[session_at.weekday()]}'s session"
    return f"Reflect on the session of {when(session_at, now.date())}"
