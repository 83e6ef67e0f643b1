"""Checking a FHIR export: a third-party R4 validator, and the rules it does not check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fhir.resources.bundle import Bundle
from pydantic import ValidationError

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ONSET = "urn:onset-journal:codes"
# R4 dateTime with a time: seconds and an offset are required.
FHIR_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# The resource types Onset writes that have a `subject` in R4.
WITH_SUBJECT = ("Observation", "QuestionnaireResponse", "MedicationAdministration")
TIME_KEYS = ("authored", "effectiveDateTime", "start", "end", "timestamp")


def r4_errors(bundle: dict[str, Any]) -> list[str]:
    """Every error fhir.resources (R4 4.0.1) finds in the bundle and its resources."""
    try:
        Bundle.parse_obj(bundle)
    except ValidationError as exc:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    return []


def walk(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) for every key of every object inside `value`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from walk(inner, f"{path}[{index}]")


def rule_errors(bundle: dict[str, Any]) -> list[str]:
    """What the validator leaves unchecked: time format, fullUrls, references, subjects."""
    problems = []
    urls = [e["fullUrl"] for e in bundle["entry"]]
    if len(set(urls)) != len(urls):
        problems.append("two entries share a fullUrl")
    problems += [f"{url} is not a urn:uuid" for url in urls if not URN.match(url)]
    patients = [e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    if len(patients) != 1:
        problems.append(f"{len(patients)} Patients")
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] in WITH_SUBJECT and "subject" not in resource:
            problems.append(f"{entry['fullUrl']} ({resource['resourceType']}) has no subject")
    for path, key, value in walk(bundle):
        if key in TIME_KEYS and isinstance(value, str) and not FHIR_TIME.match(value):
            problems.append(f"{path}.{key} = {value!r} lacks seconds or an offset")
        if key == "reference" and value not in urls:
            problems.append(f"{path}.reference = {value!r} is not in the bundle")
        if key == "subject" and value != {"reference": patients[0]}:
            problems.append(f"{path}.subject = {value!r} is not the Patient")
    return problems


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codes(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in resource["code"]["coding"]]


def coded(bundle: dict[str, Any], system: str, code: str) -> list[dict[str, Any]]:
    """The Observations whose code is system#code."""
    return [r for r in resources(bundle, "Observation") if (system, code) in codes(r)]


def url_of(bundle: dict[str, Any], resource: dict[str, Any]) -> str:
    for entry in bundle["entry"]:
        if entry["resource"] is resource:
            return str(entry["fullUrl"])
    raise KeyError("not in the bundle")
