"""GAD-7 and PHQ-9 as a QuestionnaireResponse, its total as an Observation, a positive item 9.

Items are identified the way LOINC's own forms do: `linkId` is the item's LOINC code and the
answer a LOINC answer code, so a system that knows the LOINC form (`questionnaire` is its
canonical, http://loinc.org/q/<panel>) can read every answer. R4 has no `code` on a
response item; the codes live in the linkIds.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from tracker.domain.entries import Assessment
from tracker.domain.instruments import Instrument, instrument
from tracker.io.fhir.common import (
    LOINC,
    SURVEY,
    Ids,
    coding,
    effective_at,
    external,
    fhir_datetime,
    loinc_concept,
    observation,
    reference,
)

DIFFICULTY_LINK = "difficulty"  # GAD-7: no LOINC item code for it was confirmed


def _item_link(definition: Instrument, number: int) -> str:
    code = definition.items[number - 1].loinc
    if not code:
        raise ValueError(f"{definition.id} item {number} has no LOINC code")
    return code


def _difficulty(definition: Instrument, answer: int) -> dict[str, Any]:
    link: str = external("difficulty_item").get(definition.id, DIFFICULTY_LINK)
    option = external("difficulty_answers")[answer]
    return {
        "linkId": link,
        "text": definition.difficulty_text,
        "answer": [{"valueCoding": coding(LOINC, option["loinc"], option["label"])}],
    }


def questionnaire_response(
    assessment: Assessment, patient: str, zone: tzinfo | None = None
) -> dict[str, Any]:
    definition = instrument(assessment.instrument)
    items: list[dict[str, Any]] = []
    for number, answer in enumerate(assessment.answers, start=1):
        option = definition.options[answer]
        items.append(
            {
                "linkId": _item_link(definition, number),
                "text": definition.items[number - 1].text,
                "answer": [{"valueCoding": coding(LOINC, option.loinc, option.label)}],
            }
        )
    items.append(
        {
            "linkId": definition.total_loinc,
            "text": f"{definition.id} total score",
            "answer": [{"valueInteger": assessment.total}],
        }
    )
    if assessment.difficulty is not None:
        items.append(_difficulty(definition, assessment.difficulty))
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{LOINC}/q/{definition.panel_loinc}",
        "status": "completed",
        "subject": reference(patient),
        "authored": fhir_datetime(assessment.at, zone),
        "author": reference(patient),
        "source": reference(patient),
        "item": items,
    }


def total_observation(
    assessment: Assessment, patient: str, response: str, zone: tzinfo | None = None
) -> dict[str, Any]:
    definition = instrument(assessment.instrument)
    name = f"{definition.id} total score"
    return observation(
        loinc_concept(definition.total_loinc, name),
        SURVEY,
        patient,
        effective_at(assessment.at, zone),
        performer=[reference(patient)],
        valueInteger=assessment.total,
        interpretation=[{"text": f"{definition.band(assessment.total).label} range"}],
        derivedFrom=[reference(response)],
    )


def safety_observations(
    assessment: Assessment, patient: str, response: str, zone: tzinfo | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """Each safety item (PHQ-9 item 9) answered above "Not at all", as its own Observation,
    so a system that reads Observations and not responses still sees it.
    """
    definition = instrument(assessment.instrument)
    found = []
    for number in definition.safety_items:
        answer = assessment.answers[number - 1]
        if answer == 0:
            continue
        item = definition.items[number - 1]
        option = definition.options[answer]
        resource = observation(
            loinc_concept(_item_link(definition, number), item.text),
            SURVEY,
            patient,
            effective_at(assessment.at, zone),
            performer=[reference(patient)],
            valueCodeableConcept={
                "coding": [coding(LOINC, option.loinc, option.label)],
                "text": option.label,
            },
            derivedFrom=[reference(response)],
        )
        found.append((number, resource))
    return found


def assessment_entries(
    assessment: Assessment, ids: Ids, zone: tzinfo | None = None
) -> list[dict[str, Any]]:
    patient = ids.patient()
    response = ids.of(assessment, "response")
    entries = [
        {"fullUrl": response, "resource": questionnaire_response(assessment, patient, zone)},
        {
            "fullUrl": ids.of(assessment, "total"),
            "resource": total_observation(assessment, patient, response, zone),
        },
    ]
    for number, resource in safety_observations(assessment, patient, response, zone):
        entries.append({"fullUrl": ids.of(assessment, f"item-{number}"), "resource": resource})
    return entries
