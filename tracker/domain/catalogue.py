"""The side-effect catalogue (resources/side_effects.json) and user-named effects."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import NamedTuple

from tracker.resources import ResourceError, read_resource, resource_path

OTHER_PREFIX = "other:"
MAX_OTHER_NAME = 80
SEVERITIES = ("mild", "moderate", "severe")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class Effect(NamedTuple):
    id: str
    label: str
    group: str


@cache
def catalogue() -> dict[str, Effect]:
    try:
        data = json.loads(read_resource("side_effects.json"))
        effects = {e["id"]: Effect(e["id"], e["label"], e["group"]) for e in data["effects"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise ResourceError(resource_path("side_effects.json"), f"not a catalogue ({exc})") from exc
    for effect_id in effects:
        if not _ID.match(effect_id):
            raise ValueError(f"side_effects.json: {effect_id!r} is not a snake_case id")
    return effects


def effect_problem(effect: str) -> str | None:
    """Why `effect` is not a catalogue id or `other:<name>`, or None when it is fine."""
    if effect.startswith(OTHER_PREFIX):
        name = effect[len(OTHER_PREFIX) :].strip()
        if not name:
            return "other: needs a name after it"
        if len(name) > MAX_OTHER_NAME:
            return f"a name of your own is at most {MAX_OTHER_NAME} characters"
        return None
    if effect in catalogue():
        return None
    return f"{effect!r} is not in the side-effect catalogue (use other:<name> for your own)"


def other(name: str) -> str:
    return OTHER_PREFIX + " ".join(name.split())


def effect_label(effect: str) -> str:
    if effect.startswith(OTHER_PREFIX):
        return effect[len(OTHER_PREFIX) :].strip()
    found = catalogue().get(effect)
    return found.label if found else effect
