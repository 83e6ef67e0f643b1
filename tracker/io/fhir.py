"""A FHIR R4 Bundle a clinic system can read: questionnaire answers and totals, LOINC-coded.

Each assessment becomes a QuestionnaireResponse (item answers coded with LOINC answer
codes) and an Observation carrying its total score, derived from the response.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from tracker.domain.entries import Assessment
from tracker.domain.instruments import instrument
from tracker.journal import Journal
from tracker.storage.repository import fingerprint

LOINC = "http://loinc.org"
_NAMESPACE = uuid.UUID("7b0c8a52-3f7e-4d55-9a59-6c1d0e3a5f10")


def fhir_datetime(at: datetime) -> str:
    """FHIR needs seconds and an offset with a time; a wall-clock time gets this machine's.

    The written time is kept as it is: in the hour a clock change skips, converting would
    move it (00:30 can become 23:30 of the day before).
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=at.astimezone().tzinfo)
    return at.replace(microsecond=0).isoformat(timespec="seconds")


def _urn(assessment: Assessment, what: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, what + fingerprint(assessment))}"


def questionnaire_response(assessment: Assessment) -> dict[str, Any]:
    definition = instrument(assessment.instrument)
    items = []
    for item, answer in zip(definition.items, assessment.answers, strict=True):
        option = definition.options[answer]
        entry: dict[str, Any] = {
            "linkId": str(item.number),
            "text": item.text,
            "answer": [
                {"valueCoding": {"system": LOINC, "code": option.loinc, "display": option.label}}
            ],
        }
        if item.loinc:
            entry["code"] = [{"system": LOINC, "code": item.loinc, "display": item.text}]
        items.append(entry)
    items.append(
        {
            "linkId": "total",
            "code": [{"system": LOINC, "code": definition.total_loinc}],
            "text": f"{definition.id} total score",
            "answer": [{"valueInteger": assessment.total}],
        }
    )
    if assessment.difficulty is not None:
        items.append(
            {
                "linkId": "difficulty",
                "text": definition.difficulty_text,
                "answer": [{"valueString": definition.difficulty_options[assessment.difficulty]}],
            }
        )
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": f"{LOINC}/q/{definition.panel_loinc}",
        "authored": fhir_datetime(assessment.at),
        "source": {"display": "the patient (self-reported in Onset)"},
        "item": items,
    }


def total_observation(assessment: Assessment, response_urn: str) -> dict[str, Any]:
    definition = instrument(assessment.instrument)
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                        "display": "Survey",
                    }
                ]
            }
        ],
        "code": {
            "coding": [
                {
                    "system": LOINC,
                    "code": definition.total_loinc,
                    "display": f"{definition.id} total score",
                }
            ],
            "text": f"{definition.id} total score",
        },
        "effectiveDateTime": fhir_datetime(assessment.at),
        "valueInteger": assessment.total,
        "interpretation": [{"text": f"{definition.band(assessment.total).label} range"}],
        "derivedFrom": [{"reference": response_urn}],
    }


def export_bundle(
    journal: Journal, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    entries = []
    for assessment in journal.assessments(start, end):
        response_urn = _urn(assessment, "qr:")
        entries.append({"fullUrl": response_urn, "resource": questionnaire_response(assessment)})
        entries.append(
            {
                "fullUrl": _urn(assessment, "obs:"),
                "resource": total_observation(assessment, response_urn),
            }
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": datetime.now().astimezone().isoformat(timespec="seconds"),
        "entry": entries,
    }
