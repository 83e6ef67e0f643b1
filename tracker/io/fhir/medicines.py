"""The patient's other medicines as MedicationStatements, and each dose taken as a
MedicationAdministration: what a clinic reconciles before a ketamine session.

The medicine is written as text, as the patient named it (no drug code is claimed), and its
class (clinical-reference.md, "Other medicines") as the statement's category, in words.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from tracker.domain.entries import MEDICATION_CLASS_LABELS, Medication, MedicationDose
from tracker.io.fhir.common import fhir_datetime, quantity, reference


def _dosage(medicine: Medication) -> dict[str, Any]:
    dosage: dict[str, Any] = {}
    words = []
    if medicine.dose_mg is not None:
        dosage["doseAndRate"] = [{"doseQuantity": quantity(medicine.dose_mg, "mg", "mg")}]
        words.append(f"{medicine.dose_mg:g} mg")
    if medicine.schedule == "as_needed":
        dosage["asNeededBoolean"] = True
        words.append("as needed")
    else:
        if medicine.times_per_day is not None:
            repeat = {"frequency": medicine.times_per_day, "period": 1, "periodUnit": "d"}
            dosage["timing"] = {"repeat": repeat}
            words.append(f"{medicine.times_per_day} times a day")
        else:
            words.append("regularly")
    dosage["text"] = ", ".join(words)
    return dosage


def medication_statement(medicine: Medication, patient: str) -> dict[str, Any]:
    period = {"start": medicine.started.isoformat()}
    if medicine.stopped is not None:
        period["end"] = medicine.stopped.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": "active" if medicine.stopped is None else "completed",
        "category": {"text": MEDICATION_CLASS_LABELS[medicine.medication_class]},
        "medicationCodeableConcept": {"text": medicine.name},
        "subject": reference(patient),
        "effectivePeriod": period,
        "dosage": [_dosage(medicine)],
    }
    return resource


def dose_administration(
    dose: MedicationDose, statement: str | None, patient: str, zone: tzinfo | None
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "status": "completed",
        "medicationCodeableConcept": {"text": dose.medication},
        "subject": reference(patient),
        "effectiveDateTime": fhir_datetime(dose.at, zone),
    }
    if statement is not None:
        resource["supportingInformation"] = [reference(statement)]
    if dose.dose_mg is not None:
        resource["dosage"] = {
            "text": f"{dose.dose_mg:g} mg",
            "dose": quantity(dose.dose_mg, "mg", "mg"),
        }
    return resource
