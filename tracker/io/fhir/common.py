"""What every FHIR resource Onset writes shares: times, identities, code systems, references.

The code lists live in resources/fhir/: `onset-codes.json` is Onset's own code system (for
what LOINC has no term for: a patient's own 0–10 ratings, side effects, routes) and
`external-codes.json` the LOINC, UCUM and RxNorm codes beyond the instrument files, each
checked against the source named in `resources/fhir/sources.md`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from tracker.domain.entries import Entry
from tracker.domain.times import sort_key
from tracker.resources import resource_path

# A per-journal namespace for the identities of exported resources, kept in the journal's
# settings: the same entry of the same journal always gets the same urn:uuid, and two
# journals never share one (two people's check-ins at the same minute stay two resources).
NAMESPACE_SETTING = "fhir.namespace"


@cache
def _external() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resource_path("fhir", "external-codes.json").read_text(encoding="utf-8")
    )
    return data


@cache
def onset_codes() -> dict[str, str]:
    """Onset's own codes, code → display, in the order resources/fhir/onset-codes.json lists."""
    data = json.loads(resource_path("fhir", "onset-codes.json").read_text(encoding="utf-8"))
    return {c["code"]: c["display"] for c in data["concept"]}


@cache
def onset_system() -> str:
    data = json.loads(resource_path("fhir", "onset-codes.json").read_text(encoding="utf-8"))
    system: str = data["system"]
    return system


def external(key: str) -> Any:
    return _external()[key]


LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def fhir_datetime(at: datetime, zone: tzinfo | None = None) -> str:
    """A FHIR dateTime (seconds and an offset) that keeps the written wall-clock time.

    A time written with an offset keeps it. A wall-clock time gets the offset its zone had
    at that moment: `zone` when the journal knows its zone, otherwise this machine's. The
    written time itself never moves: in the hour a clock change skips, converting would
    (00:30 could become 23:30 of the day before).
    """
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone if zone is not None else _machine_offset(at))
    return at.replace(microsecond=0).isoformat(timespec="seconds")


def _machine_offset(at: datetime) -> tzinfo | None:
    """This machine's offset at wall-clock time `at`, even at the ends of the calendar.

    The C library cannot convert year 1 or late 9999 (the offset would take it past the
    calendar); the offset of the same day in the nearest year it can convert is used then.
    """
    try:
        return at.astimezone().tzinfo
    except (OverflowError, ValueError, OSError):
        probe = at.replace(year=1972 if at.year < 1972 else 9996)  # leap years: 29 Feb fits
        return probe.astimezone().tzinfo


def later(at: datetime, minutes: int) -> datetime | None:
    """The wall-clock time `minutes` after `at`, or None past the end of the calendar."""
    try:
        return at + timedelta(minutes=minutes)
    except OverflowError:
        return None


@dataclass(frozen=True)
class Ids:
    """Stable `urn:uuid:` identities for one journal's resources."""

    namespace: uuid.UUID

    def _urn(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.namespace, name)}"

    def patient(self) -> str:
        return self._urn("patient")

    def of(self, entry: Entry, part: str = "") -> str:
        """The entry's own row and time make its identity: an edit of its values keeps the
        identity (a clinic system sees the correction), a different entry never shares it.
        """
        if entry.id is None:
            raise ValueError("only stored entries can be exported")
        name = f"{entry.KIND}/{entry.id}/{sort_key(entry.at_value)}"
        return self._urn(f"{name}#{part}" if part else name)


def reference(urn: str) -> dict[str, str]:
    return {"reference": urn}


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def onset_concept(code: str, text: str | None = None) -> dict[str, Any]:
    """A CodeableConcept in Onset's code system; `text` overrides the display as its text."""
    display = onset_codes()[code]  # a code missing from resources/ fails here, loudly
    return {"coding": [coding(onset_system(), code, display)], "text": text or display}


def loinc_concept(code: str, display: str, text: str | None = None) -> dict[str, Any]:
    return {"coding": [coding(LOINC, code, display)], "text": text or display}


def category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [coding(CATEGORY, code, display)]}]


SURVEY = category("survey", "Survey")
VITAL_SIGNS = category("vital-signs", "Vital Signs")


def quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    number: float | int = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": unit, "system": UCUM, "code": code}


def observation(
    code: dict[str, Any],
    category_: list[dict[str, Any]],
    patient: str,
    effective: dict[str, Any],
    **rest: Any,
) -> dict[str, Any]:
    """An Observation with what every one of Onset's has: final, coded, about the patient."""
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": category_,
        "code": code,
        "subject": reference(patient),
        **effective,
        **rest,
    }


def effective_at(at: datetime, zone: tzinfo | None) -> dict[str, str]:
    return {"effectiveDateTime": fhir_datetime(at, zone)}


def effective_span(
    at: datetime, minutes: int | None, zone: tzinfo | None, prefix: str = "effective"
) -> dict[str, Any]:
    """A moment, or the period from `at` over `minutes` when the length is known."""
    end = later(at, minutes) if minutes is not None else None
    if end is None:
        return {f"{prefix}DateTime": fhir_datetime(at, zone)}
    return {f"{prefix}Period": {"start": fhir_datetime(at, zone), "end": fhir_datetime(end, zone)}}
