"""A treatment session as a MedicationAdministration, with what was measured around it.

Blood pressure and heart rate are vital-signs Observations (LOINC, UCUM units); the
patient's own ratings (anxiety before and after, dissociation) are Observations in Onset's
code system. All of them are `partOf` the session.

When the session's length is known the readings "after" are timed at its end; when it is
not, they carry a period that starts with the session and has no end, which says no more
than is known.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from tracker.domain.entries import ROUTE_LABELS, TreatmentSession
from tracker.io.fhir.common import (
    LOINC,
    RXNORM,
    SURVEY,
    VITAL_SIGNS,
    Ids,
    coding,
    effective_span,
    external,
    fhir_datetime,
    later,
    observation,
    onset_concept,
    quantity,
    reference,
)

BP_PROFILE = "http://hl7.org/fhir/StructureDefinition/bp"
HEART_RATE_PROFILE = "http://hl7.org/fhir/StructureDefinition/heartrate"


def medicine(session: TreatmentSession) -> str:
    """Onset's routes: intranasal is esketamine (Spravato); every other route is ketamine."""
    return "esketamine" if session.route == "intranasal" else "ketamine"


def _medication(session: TreatmentSession) -> dict[str, Any]:
    name = medicine(session)
    code = external("medicines")[name]  # an RxNorm code only where a source confirmed it
    concept: dict[str, Any] = {"text": name}
    if code:
        concept["coding"] = [coding(RXNORM, code["code"], code["display"])]
    return concept


def _number(value: float) -> str:
    return f"{value:g}"


def _dose_text(dose: float, per_kg: float | None, weight: float | None) -> str:
    text = f"{_number(dose)} mg"
    if per_kg is not None and weight is not None:
        text += f" ({_number(per_kg)} mg/kg at {_number(weight)} kg)"
    elif per_kg is not None:
        text += f" ({_number(per_kg)} mg/kg)"
    return text


def medication_administration(
    session: TreatmentSession, patient: str, zone: tzinfo | None = None
) -> dict[str, Any]:
    route_label = ROUTE_LABELS[session.route]
    route = onset_concept(f"route-{session.route}", route_label)
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "status": "completed",
        "medicationCodeableConcept": _medication(session),
        "subject": reference(patient),
        **effective_span(session.at, session.duration_min, zone),
    }
    # The doses as the JSON export gives them: entered, or derived when within what may be
    # entered (300 mg oral at 55 kg is not also given as 5.45 mg/kg).
    written = session.to_json()
    dose, per_kg = written["dose_mg"], written["dose_mg_per_kg"]
    notes = []
    if dose is not None:
        resource["dosage"] = {
            "text": _dose_text(dose, per_kg, session.weight_kg),
            "route": route,
            "dose": quantity(dose, "mg", "mg"),
        }
    else:
        # R4 wants a dose or a rate in any dosage; without one the route goes in a note.
        given = f"{_number(per_kg)} mg/kg, weight not recorded" if per_kg else "not recorded"
        notes.append(f"Route: {route_label}; dose {given}")
    if session.clinic and session.clinic.strip():
        notes.append(f"Clinic: {session.clinic.strip()}")
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


def _end(session: TreatmentSession) -> datetime | None:
    return None if session.duration_min is None else later(session.at, session.duration_min)


def _after(session: TreatmentSession, zone: tzinfo | None) -> dict[str, Any]:
    """When the "after" readings were taken: the session's end, or from its start on."""
    end = _end(session)
    if end is None:
        return {"effectivePeriod": {"start": fhir_datetime(session.at, zone)}}
    return {"effectiveDateTime": fhir_datetime(end, zone)}


def _before(session: TreatmentSession, zone: tzinfo | None) -> dict[str, Any]:
    return {"effectiveDateTime": fhir_datetime(session.at, zone)}


def _vital_code(key: str, text: str | None = None) -> dict[str, Any]:
    found = external("vitals")[key]
    return {
        "coding": [coding(LOINC, found["code"], found["display"])],
        "text": text or found["display"],
    }


def blood_pressure(
    pair: tuple[int, int], when: str, effective: dict[str, Any], patient: str, session: str
) -> dict[str, Any]:
    systolic, diastolic = pair
    return observation(
        _vital_code("blood_pressure", f"Blood pressure {when} the session"),
        VITAL_SIGNS,
        patient,
        effective,
        meta={"profile": [BP_PROFILE]},
        partOf=[reference(session)],
        component=[
            {
                "code": _vital_code("systolic"),
                "valueQuantity": quantity(systolic, "mmHg", "mm[Hg]"),
            },
            {
                "code": _vital_code("diastolic"),
                "valueQuantity": quantity(diastolic, "mmHg", "mm[Hg]"),
            },
        ],
    )


def heart_rate(
    value: int, when: str, effective: dict[str, Any], patient: str, session: str
) -> dict[str, Any]:
    return observation(
        _vital_code("heart_rate", f"Heart rate {when} the session"),
        VITAL_SIGNS,
        patient,
        effective,
        meta={"profile": [HEART_RATE_PROFILE]},
        partOf=[reference(session)],
        valueQuantity=quantity(value, "beats/minute", "/min"),
    )


def rating(
    code: str, value: int, effective: dict[str, Any], patient: str, session: str
) -> dict[str, Any]:
    return observation(
        onset_concept(code),
        SURVEY,
        patient,
        effective,
        performer=[reference(patient)],
        partOf=[reference(session)],
        valueInteger=value,
    )


def session_entries(
    session: TreatmentSession, ids: Ids, zone: tzinfo | None = None
) -> list[dict[str, Any]]:
    patient = ids.patient()
    own = ids.of(session)
    entries = [{"fullUrl": own, "resource": medication_administration(session, patient, zone)}]
    before, after = _before(session, zone), _after(session, zone)
    found: list[tuple[str, dict[str, Any]]] = []
    for when, effective, pair, rate in (
        ("before", before, session.bp_before, session.heart_rate_before),
        ("after", after, session.bp_after, session.heart_rate_after),
    ):
        if pair is not None:
            found.append((f"bp-{when}", blood_pressure(pair, when, effective, patient, own)))
        if rate is not None:
            found.append((f"hr-{when}", heart_rate(rate, when, effective, patient, own)))
    if session.anxiety_before is not None:
        found.append(
            (
                "anxiety-before",
                rating("session-anxiety-before", session.anxiety_before, before, patient, own),
            )
        )
    if session.anxiety_after is not None:
        found.append(
            (
                "anxiety-after",
                rating("session-anxiety-after", session.anxiety_after, after, patient, own),
            )
        )
    if session.dissociation is not None:
        during = {"effectivePeriod": _period(session, zone)}
        found.append(
            (
                "dissociation",
                rating("session-dissociation", session.dissociation, during, patient, own),
            )
        )
    entries += [{"fullUrl": ids.of(session, part), "resource": r} for part, r in found]
    return entries


def _period(session: TreatmentSession, zone: tzinfo | None) -> dict[str, str]:
    period = {"start": fhir_datetime(session.at, zone)}
    end = _end(session)
    if end is not None:
        period["end"] = fhir_datetime(end, zone)
    return period
