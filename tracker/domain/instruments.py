"""Questionnaires as data: each instrument is a JSON file in resources/instruments/.

Adding a third instrument is a new file there, not new code. Every file is checked when
it is loaded, so a broken definition can never score anything.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from tracker.resources import ResourceError, read_resource, resource_files


class Option(NamedTuple):
    value: int
    label: str
    loinc: str


class Item(NamedTuple):
    number: int
    text: str
    loinc: str | None


class Band(NamedTuple):
    min: int
    max: int
    severity: str
    label: str


class Instrument(NamedTuple):
    id: str
    name: str
    source: str
    stem: str
    recall_days: int
    default_cadence_days: int
    panel_loinc: str
    total_loinc: str
    options: tuple[Option, ...]
    items: tuple[Item, ...]
    difficulty_text: str
    difficulty_options: tuple[str, ...]
    bands: tuple[Band, ...]
    cut_point: int
    safety_items: tuple[int, ...]

    @property
    def max_total(self) -> int:
        return len(self.items) * max(o.value for o in self.options)

    @property
    def max_answer(self) -> int:
        return max(o.value for o in self.options)

    def score(self, answers: list[int] | tuple[int, ...]) -> int:
        """The published total: the plain sum of the item answers."""
        if len(answers) != len(self.items):
            raise ValueError(f"{self.id} has {len(self.items)} items, got {len(answers)} answers")
        for a in answers:
            if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a <= self.max_answer:
                raise ValueError(f"answers are whole numbers 0–{self.max_answer}, got {a!r}")
        return sum(answers)

    def band(self, total: int) -> Band:
        for band in self.bands:
            if band.min <= total <= band.max:
                return band
        raise ValueError(f"{self.id} total {total} is outside 0–{self.max_total}")

    def severity(self, total: int) -> str:
        return self.band(total).severity

    def describe(self, total: int) -> str:
        """Neutral words: 'GAD-7 total 12 (moderate range)'."""
        return f"{self.id} total {total} ({self.band(total).label} range)"

    def option_label(self, value: int) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        raise ValueError(f"no answer {value} in {self.id}")


class InstrumentDefinitionError(ValueError):
    pass


def _require(cond: bool, path: Path, message: str) -> None:
    if not cond:
        raise InstrumentDefinitionError(f"{path.name}: {message}")


def parse_instrument(data: dict[str, Any], path: Path) -> Instrument:
    """Build an instrument from its JSON and check that it can be scored without gaps."""
    try:
        options = tuple(
            Option(int(o["value"]), str(o["label"]), str(o["loinc"])) for o in data["options"]
        )
        items = tuple(Item(int(i["number"]), str(i["text"]), i.get("loinc")) for i in data["items"])
        bands = tuple(
            Band(int(b["min"]), int(b["max"]), str(b["severity"]), str(b["label"]))
            for b in data["bands"]
        )
        instrument = Instrument(
            id=str(data["id"]),
            name=str(data["name"]),
            source=str(data["source"]),
            stem=str(data["stem"]),
            recall_days=int(data["recall_days"]),
            default_cadence_days=int(data["default_cadence_days"]),
            panel_loinc=str(data["panel_loinc"]),
            total_loinc=str(data["total_loinc"]),
            options=options,
            items=items,
            difficulty_text=str(data["difficulty"]["text"]),
            difficulty_options=tuple(str(o) for o in data["difficulty"]["options"]),
            bands=bands,
            cut_point=int(data["cut_point"]),
            safety_items=tuple(int(n) for n in data.get("safety_items", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InstrumentDefinitionError(f"{path.name}: malformed definition ({exc})") from exc

    _require(bool(items), path, "no items")
    _require([i.number for i in items] == list(range(1, len(items) + 1)), path, "items not 1..n")
    values = [o.value for o in options]
    _require(values == list(range(len(values))), path, "answer values must be 0..n in order")
    _require(bands[0].min == 0, path, "bands must start at 0")
    _require(bands[-1].max == instrument.max_total, path, "bands must end at the maximum total")
    for lower, upper in pairwise(bands):
        _require(
            upper.min == lower.max + 1, path, f"bands {lower.label}/{upper.label} overlap or gap"
        )
    _require(len(instrument.difficulty_options) == len(options), path, "difficulty options")
    _require(all(1 <= n <= len(items) for n in instrument.safety_items), path, "safety item")
    return instrument


@cache
def instruments() -> dict[str, Instrument]:
    """Every instrument shipped in resources/instruments/, by id (GAD-7, PHQ-9)."""
    found: dict[str, Instrument] = {}
    for path in resource_files("instruments", "*.json"):
        try:
            instrument = parse_instrument(json.loads(read_resource("instruments", path.name)), path)
        except ValueError as exc:  # not JSON, or not a valid definition
            raise ResourceError(path, str(exc)) from exc
        if instrument.id in found:
            raise ResourceError(path, f"a second definition of {instrument.id}")
        found[instrument.id] = instrument
    return found


def instrument(instrument_id: str) -> Instrument:
    try:
        return instruments()[instrument_id]
    except KeyError:
        raise KeyError(f"unknown instrument {instrument_id!r}") from None
