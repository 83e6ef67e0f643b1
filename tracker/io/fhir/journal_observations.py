"""Check-ins and side effects as Observations in Onset's code system.

A check-in is one Observation whose components are the anxiety and mood ratings (0–10) and
the hours slept (UCUM `h`). A side effect is an Observation coded with the effect (its own
name as the text for one the patient named), its severity as the value, over its duration
when known, and `partOf` the session it followed.

Side effects are Observations rather than AdverseEvents: an R4 AdverseEvent has no place
for how long the effect lasted, and its `suspectEntity` states a suspected cause, where the
patient's journal only records that the effect followed a session.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from tracker.domain.catalogue import OTHER_PREFIX, effect_label
from tracker.domain.entries import Checkin, SideEffect
from tracker.domain.times import format_at
from tracker.io.fhir.common import (
    SURVEY,
    effective_at,
    effective_span,
    observation,
    onset_concept,
    quantity,
    reference,
)


def checkin_observation(
    checkin: Checkin, patient: str, zone: tzinfo | None = None
) -> dict[str, Any]:
    components: list[dict[str, Any]] = [
        {"code": onset_concept("checkin-anxiety"), "valueInteger": checkin.anxiety}
    ]
    if checkin.mood is not None:
        components.append({"code": onset_concept("checkin-mood"), "valueInteger": checkin.mood})
    if checkin.sleep_hours is not None:
        components.append(
            {
                "code": onset_concept("sleep-hours"),
                "valueQuantity": quantity(checkin.sleep_hours, "h", "h"),
            }
        )
    return observation(
        onset_concept("checkin"),
        SURVEY,
        patient,
        effective_at(checkin.at, zone),
        performer=[reference(patient)],
        component=components,
    )


def effect_code(effect: str) -> str:
    if effect.startswith(OTHER_PREFIX):
        return "side-effect-other"
    return "side-effect-" + effect.replace("_", "-")


def side_effect_observation(
    effect: SideEffect,
    patient: str,
    session: str | None,
    zone: tzinfo | None = None,
) -> dict[str, Any]:
    """`session` is the urn of the session it followed when that is in the same export."""
    rest: dict[str, Any] = {}
    if session is not None:
        rest["partOf"] = [reference(session)]
    elif effect.session_at is not None:
        # The session is outside the exported days: named, not referenced.
        rest["partOf"] = [{"display": f"the session of {format_at(effect.session_at)}"}]
    code = effect_code(effect.effect)
    name = effect_label(effect.effect)
    return observation(
        onset_concept(code, name),
        SURVEY,
        patient,
        effective_span(effect.at, effect.duration_min, zone),
        performer=[reference(patient)],
        valueCodeableConcept=onset_concept(f"severity-{effect.severity}"),
        **rest,
    )
