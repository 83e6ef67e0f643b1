"""The four-weekly follow-up check as a QuestionnaireResponse of Onset's own questionnaire:
eight questions, each answered none / mild / moderate / severe in Onset's code system.
Recorded as answered, not interpreted."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from tracker.domain.between import FOLLOWUP_KEYS, FOLLOWUP_QUESTIONS, FollowUp
from tracker.io.fhir.common import coding, fhir_datetime, onset_codes, onset_system, reference

FOLLOWUP_QUESTIONNAIRE = "urn:onset-journal:questionnaire:followup"


def followup_response(check: FollowUp, patient: str, zone: tzinfo | None = None) -> dict[str, Any]:
    items = []
    for key, level in zip(FOLLOWUP_KEYS, check.answers, strict=True):
        item: dict[str, Any] = {"linkId": key, "text": FOLLOWUP_QUESTIONS[key]}
        if level:
            code = f"level-{level}"
            answer = coding(onset_system(), code, onset_codes()[code])
            item["answer"] = [{"valueCoding": answer}]
        items.append(item)
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": FOLLOWUP_QUESTIONNAIRE,
        "status": "completed",
        "subject": reference(patient),
        "authored": fhir_datetime(check.at, zone),
        "author": reference(patient),
        "item": items,
    }
