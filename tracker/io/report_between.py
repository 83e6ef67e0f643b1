"""The report's wording for what is written between sessions.

Follow-up checks go on page 1: every answer above "none", as the patient gave it,
recorded and not interpreted. Reflections are private notes: they appear only in the
Notes section, when the patient includes notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracker.domain.between import PROMPT_QUESTIONS, FollowUp, Reflection
from tracker.formatting import date_time, long_date

# How each question reads for a clinician, in the questions' order.
CLINICAL_LABELS = {
    "bladder_pain": "bladder or lower abdominal pain",
    "urgency": "urinary urgency",
    "frequency": "urinary frequency",
    "blood_in_urine": "blood in the urine",
    "memory": "memory problems",
    "concentration": "trouble concentrating",
    "craving": "craving for ketamine",
    "use_outside_treatment": "ketamine use outside treatment",
}


def followup_lines(followups: Sequence[FollowUp]) -> list[str]:
    """One line per check with an answer above "none"; one line when every answer was none."""
    if not followups:
        return []
    lines = []
    for check in followups:
        above = check.above_none()
        if above:
            said = "; ".join(f"{CLINICAL_LABELS[key]}: {level}" for key, level in above)
            lines.append(f"Follow-up check of {long_date(check.at)}: {said}.")
    if not lines:
        count = len(followups)
        checks = "The follow-up check" if count == 1 else f"All {count} follow-up checks"
        lines.append(f"{checks} of this period answered “none” to every question.")
    return lines


def reflection_notes(reflections: Sequence[Reflection]) -> list[tuple[datetime, str, str]]:
    """(time, where it was written, text) of each reflection, for the Notes section."""
    out = []
    for reflection in reflections:
        where = "Reflection"
        if reflection.session_at is not None:
            where += f" on the session of {date_time(reflection.session_at)}"
        if reflection.prompt is not None:
            where += f" ({PROMPT_QUESTIONS[reflection.prompt]})"
        out.append((reflection.at, where, reflection.text))
    return out
