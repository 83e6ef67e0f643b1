"""The four kinds of journal entry and every rule that decides whether one can be kept.

The rules live in one table (`FIELDS`) that both the JSON import and the GUI forms go
through, so a value the import refuses is refused by the forms too, with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal, TypeVar

from tracker.domain.catalogue import SEVERITIES, effect_problem
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.instruments import instrument, instruments
from tracker.domain.times import format_at, parse_at, parse_day, type_name

ROUTES = ("iv", "im", "subcutaneous", "intranasal", "oral", "sublingual", "other")
ROUTE_LABELS = {
    "iv": "Intravenous infusion",
    "im": "Intramuscular",
    "subcutaneous": "Subcutaneous",
    "intranasal": "Intranasal (esketamine)",
    "oral": "Oral",
    "sublingual": "Sublingual (lozenge/troche)",
    "other": "Other",
}
MAX_NOTE = 20_000
MAX_CLINIC = 200
# A recorded dose may differ from mg/kg × weight by rounding; beyond this it is a typo.
DOSE_TOLERANCE_MG = 1.0
DOSE_TOLERANCE_FRACTION = 0.05
# Intranasal esketamine comes in 28 mg devices; a session uses one to three.
MG_PER_DEVICE = 28
MAX_DEVICES = 3
# The mid-session reading is taken about 40 minutes after dosing (the REMS form).
DEFAULT_BP_MID_MIN = 40
MAX_NAME = 100
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_AHEAD = timedelta(days=1)
# A planned session may lie up to two years ahead (journal-format.md, version 2).
MAX_PLAN_AHEAD = timedelta(days=2 * 365 + 1)
# Larger than any field allows by far; a bigger integer is refused before any arithmetic.
_FAR_TOO_LARGE = 10**15


@dataclass(frozen=True)
class Rule:
    """How one field is checked: its type, whether it is required, and its range."""

    kind: Literal[
        "at", "day", "int", "num", "text", "choice", "bool", "bp", "answers", "effect", "levels"
    ]
    required: bool = False
    low: float | None = None
    high: float | None = None
    low_exclusive: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()
    max_len: int = 0


def _scale() -> Rule:
    return Rule("int", low=0, high=10)


CHECKIN_RULES = {
    "at": Rule("at", required=True),
    "anxiety": Rule("int", required=True, low=0, high=10),
    "mood": _scale(),
    "sleep_hours": Rule("num", low=0, high=24, unit=" h"),
    "note": Rule("text", max_len=MAX_NOTE),
}
ASSESSMENT_RULES = {
    "instrument": Rule("choice", required=True),
    "at": Rule("at", required=True),
    "answers": Rule("answers", required=True),
    "difficulty": Rule("int", low=0, high=3),
}
SESSION_RULES = {
    "at": Rule("at", required=True),
    "route": Rule("choice", required=True, choices=ROUTES),
    "dose_mg": Rule("num", low=0, high=1000, low_exclusive=True, unit=" mg"),
    "dose_mg_per_kg": Rule("num", low=0, high=5, low_exclusive=True, unit=" mg/kg"),
    "weight_kg": Rule("num", low=20, high=400, unit=" kg"),
    "duration_min": Rule("int", low=0, high=1440, unit=" min"),
    "bp_before": Rule("bp"),
    "bp_after": Rule("bp"),
    "heart_rate_before": Rule("int", low=20, high=250, unit=" bpm"),
    "heart_rate_after": Rule("int", low=20, high=250, unit=" bpm"),
    "anxiety_before": _scale(),
    "anxiety_after": _scale(),
    "dissociation": _scale(),
    "clinic": Rule("text", max_len=MAX_CLINIC),
    "notes": Rule("text", max_len=MAX_NOTE),
    # Added in format version 2: what a clinic records per session (clinical-reference.md).
    "devices": Rule("int", low=1, high=MAX_DEVICES),
    "bp_mid": Rule("bp"),
    "bp_mid_min": Rule("int", low=1, high=240, unit=" min"),
    "sleepiness": _scale(),
    "ready_after_min": Rule("int", low=0, high=600, unit=" min"),
    "intention": Rule("text", max_len=MAX_NOTE),
}
SIDE_EFFECT_RULES = {
    "at": Rule("at", required=True),
    "effect": Rule("effect", required=True),
    "severity": Rule("choice", required=True, choices=SEVERITIES),
    "duration_min": Rule("int", low=0, high=43_200, unit=" min"),
    "session_at": Rule("at"),
    "note": Rule("text", max_len=MAX_NOTE),
}
# A "levels" rule: one of these for each question named in the rule's `choices`.
LEVELS = ("none", "mild", "moderate", "severe")
BP_SYSTOLIC = (50, 300)
BP_DIASTOLIC = (20, 200)


def _num_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


def _range_problem(rule: Rule, value: float) -> str | None:
    assert rule.low is not None and rule.high is not None
    below = value <= rule.low if rule.low_exclusive else value < rule.low
    if below or value > rule.high:
        if rule.low_exclusive:
            span = f"above {_num_text(rule.low)} and at most {_num_text(rule.high)}{rule.unit}"
            return f"{_num_text(value)}{rule.unit} must be {span}"
        span = f"{_num_text(rule.low)}–{_num_text(rule.high)}{rule.unit}"
        return f"{_num_text(value)}{rule.unit.strip() and rule.unit} is outside {span}"
    return None


def year_problem(at: datetime) -> str | None:
    """Times are kept between 1900 and 2100 (journal-format.md): beyond that a date is a
    typo, and date arithmetic near year 1 or 9999 would fail."""
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        return f"{format_at(at)} is outside {FIRST_YEAR}–{LAST_YEAR}"
    return None


def _day_year_problem(day: date) -> str | None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return f"{day.isoformat()} is outside {FIRST_YEAR}–{LAST_YEAR}"
    return None


def future_problems(entry: Entry, now: datetime | None = None) -> list[Problem]:
    """A time more than a day after `now` (local wall clock) is refused on import and in
    the forms; a planned session may lie up to two years ahead, and a medicine's known
    last day may lie ahead too (its start may not)."""
    now = (now or datetime.now()).replace(tzinfo=None)
    planned = entry.KIND == "planned_session"
    limit = now + (MAX_PLAN_AHEAD if planned else MAX_AHEAD)
    span = "two years" if planned else "a day"
    problems = []
    for name, value in entry.values().items():
        if name == "stopped" or value is None or name == "session_at":
            continue
        if isinstance(value, datetime):
            moment, text = value.replace(tzinfo=None), format_at(value)
        elif isinstance(value, date):
            moment, text = datetime.combine(value, datetime.min.time()), value.isoformat()
        else:
            continue
        if moment > limit:
            problems.append(Problem(name, f"{text} is more than {span} in the future"))
    return problems


def _bp_problems(value: tuple[int, int]) -> list[str]:
    systolic, diastolic = value
    out = []
    if not BP_SYSTOLIC[0] <= systolic <= BP_SYSTOLIC[1]:
        out.append(f"systolic {systolic} is outside {BP_SYSTOLIC[0]}–{BP_SYSTOLIC[1]}")
    if not BP_DIASTOLIC[0] <= diastolic <= BP_DIASTOLIC[1]:
        out.append(f"diastolic {diastolic} is outside {BP_DIASTOLIC[0]}–{BP_DIASTOLIC[1]}")
    if not out and systolic <= diastolic:
        out.append(f"systolic {systolic} must be above diastolic {diastolic}")
    return out


def _coerce(rule: Rule, raw: Any) -> tuple[Any, str | None]:
    """Turn a JSON value into the field's Python value, or say why it cannot be."""
    if rule.kind == "at":
        try:
            return parse_at(raw), None
        except ValueError as exc:
            return None, str(exc)
    if rule.kind == "day":
        if not isinstance(raw, str):
            return None, f"must be a date written YYYY-MM-DD, not {type_name(raw)}"
        try:
            return parse_day(raw), None
        except ValueError as exc:
            return None, str(exc)
    if rule.kind in ("int", "num") and type(raw) is int and abs(raw) > _FAR_TOO_LARGE:
        # Beyond every range here, and too large even to become a float for the message.
        return None, "is far too large a number"
    if rule.kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None, f"must be a whole number, not {type_name(raw)}"
        if isinstance(raw, float):
            if not math.isfinite(raw) or not raw.is_integer():
                return None, f"must be a whole number, not {raw!r}"
            raw = int(raw)
        return raw, None
    if rule.kind == "num":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None, f"must be a number, not {type_name(raw)}"
        if not math.isfinite(raw):
            return None, "must be a finite number"
        return float(raw), None
    if rule.kind in ("text", "choice", "effect"):
        if not isinstance(raw, str):
            return None, f"must be text, not {type_name(raw)}"
        if not raw.isascii():
            try:
                raw.encode("utf-8")  # a lone surrogate (from a JSON "\ud800") cannot be stored
            except UnicodeEncodeError:
                return None, "contains a broken character (a lone surrogate)"
        return raw, None
    if rule.kind == "bool":
        if not isinstance(raw, bool):
            return None, f"must be true or false, not {type_name(raw)}"
        return raw, None
    if rule.kind == "bp":
        if (
            not isinstance(raw, list | tuple)
            or len(raw) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in raw)
        ):
            return None, "must be [systolic, diastolic], two whole numbers in mmHg"
        return (int(raw[0]), int(raw[1])), None
    if rule.kind == "answers":
        if not isinstance(raw, list | tuple):
            return None, f"must be a list of item answers, not {type_name(raw)}"
        if any(isinstance(v, bool) or not isinstance(v, int) for v in raw):
            return None, "every answer must be a whole number"
        return tuple(raw), None
    if rule.kind == "levels":
        return _coerce_levels(rule, raw)
    raise AssertionError(rule.kind)


def _coerce_levels(rule: Rule, raw: Any) -> tuple[Any, str | None]:
    """An object answering each question of `rule.choices` with a level, as a tuple in order."""
    if not isinstance(raw, dict):
        return None, f"must be an object of answers, not {type_name(raw)}"
    wrong = [f"{key!r} is not a question here" for key in raw if key not in rule.choices]
    wrong += [f"{key} is missing" for key in rule.choices if key not in raw]
    for key in rule.choices:
        value = raw.get(key)
        if key in raw and (not isinstance(value, str) or value not in LEVELS):
            shown = repr(value) if isinstance(value, str) else type_name(value)
            wrong.append(f"{key}: {shown} is not one of {', '.join(LEVELS)}")
    if wrong:
        return None, "; ".join(wrong)
    return tuple(raw[key] for key in rule.choices), None


def _value_problems(rules: Mapping[str, Rule], values: Mapping[str, Any]) -> list[Problem]:
    """Range and membership checks on already-typed values (None means absent)."""
    problems: list[Problem] = []
    for name, rule in rules.items():
        value = values.get(name)
        if value is None:
            if rule.required:
                problems.append(Problem(name, "is required"))
            continue
        message: str | None = None
        if rule.kind == "at":
            message = year_problem(value)
        elif rule.kind == "day":
            message = _day_year_problem(value)
        elif rule.kind in ("int", "num"):
            message = _range_problem(rule, value)
        elif rule.kind == "text":
            if len(value) > rule.max_len:
                message = f"is longer than {rule.max_len} characters"
        elif rule.kind == "choice" and rule.choices and value not in rule.choices:
            message = f"{value!r} is not one of {', '.join(rule.choices)}"
        elif rule.kind == "effect":
            message = effect_problem(value)
        elif rule.kind == "bp":
            problems.extend(Problem(name, m) for m in _bp_problems(value))
        elif rule.kind == "levels" and (
            len(value) != len(rule.choices) or any(v not in LEVELS for v in value)
        ):
            levels, count = ", ".join(LEVELS), len(rule.choices)
            message = f"needs one of {levels} for each of the {count} questions"
        if message:
            problems.append(Problem(name, message))
    return problems


E = TypeVar("E", bound="Entry")


@dataclass(frozen=True)
class Entry:
    """Common behaviour of every entry: checking, and the interchange form."""

    KIND: ClassVar[str]
    SECTION: ClassVar[str]
    RULES: ClassVar[Mapping[str, Rule]]

    # Keyword-only so that each kind lists its own fields first; None until stored.
    id: int | None = field(default=None, kw_only=True)

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "id"}

    def problems(self) -> list[Problem]:
        return _value_problems(self.RULES, self.values()) + self.extra_problems()

    def extra_problems(self) -> list[Problem]:
        return []

    def check(self: E) -> E:
        """Return self, or raise ValidationError listing every problem."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems)
        return self

    def with_id(self: E, entry_id: int | None) -> E:
        return replace(self, id=entry_id)

    @property
    def at_value(self) -> datetime:
        return getattr(self, "at")  # noqa: B009 - every entry kind has `at`

    @classmethod
    def from_json(cls: type[E], data: object, place: str = "") -> E:
        """Build an entry from interchange JSON, or raise every problem with its place."""
        if not isinstance(data, dict):
            raise ValidationError([Problem(place, f"must be an object, not {type_name(data)}")])
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, rule in cls.RULES.items():
            raw = data.get(name)
            if raw is None:
                values[name] = None
                continue
            value, message = _coerce(rule, raw)
            if message:
                problems.append(Problem(name, message))
                values[name] = _UNREADABLE
            else:
                values[name] = value
        readable = {k: v for k, v in values.items() if v is not _UNREADABLE}
        problems += _value_problems({k: r for k, r in cls.RULES.items() if k in readable}, readable)
        problems += cls._json_problems(data, readable)
        # The cross-field checks run too whenever the core values could be read, so one
        # entry's problems are all listed at once (a field already named is not repeated).
        core_read = all(readable.get(n) is not None for n, r in cls.RULES.items() if r.required)
        entry = cls._build(readable) if core_read else None
        if entry is not None:
            named = {p.place for p in problems}
            problems += [p for p in entry.extra_problems() if p.place not in named]
        if problems or entry is None:
            raise ValidationError(problems).within(place)
        return entry

    @classmethod
    def _build(cls: type[E], values: dict[str, Any]) -> E:
        return cls(id=None, **values)

    @classmethod
    def _json_problems(cls, data: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
        return []

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.values().items():
            if isinstance(value, datetime):
                value = format_at(value)
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


_UNREADABLE = object()


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Checkin(Entry):
    """A daily check-in: the single-item anxiety rating, mood, sleep and a note."""

    KIND: ClassVar[str] = "checkin"
    SECTION: ClassVar[str] = "checkins"
    RULES: ClassVar[Mapping[str, Rule]] = CHECKIN_RULES

    at: datetime
    anxiety: int
    mood: int | None = None
    sleep_hours: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Assessment(Entry):
    """A GAD-7 or PHQ-9 questionnaire; total and severity always come from the answers."""

    KIND: ClassVar[str] = "assessment"
    SECTION: ClassVar[str] = "assessments"
    RULES: ClassVar[Mapping[str, Rule]] = ASSESSMENT_RULES

    instrument: str
    at: datetime
    answers: tuple[int, ...]
    difficulty: int | None = None

    @property
    def total(self) -> int:
        return instrument(self.instrument).score(self.answers)

    @property
    def severity(self) -> str:
        return instrument(self.instrument).severity(self.total)

    def extra_problems(self) -> list[Problem]:
        if self.instrument not in instruments():
            known = ", ".join(instruments())
            return [Problem("instrument", f"{self.instrument!r} is not one of {known}")]
        definition = instrument(self.instrument)
        problems = []
        if len(self.answers) != len(definition.items):
            problems.append(
                Problem(
                    "answers",
                    f"{self.instrument} has {len(definition.items)} items, "
                    f"got {len(self.answers)} answers",
                )
            )
        top = definition.max_answer
        for index, answer in enumerate(self.answers):
            if not 0 <= answer <= top:
                problems.append(Problem(f"answers[{index}]", f"{answer} is outside 0–{top}"))
        return problems

    @classmethod
    def _json_problems(cls, data: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
        # The written total and severity must agree with what the answers add up to.
        name, answers = values.get("instrument"), values.get("answers")
        if name not in instruments() or answers is None:
            return []
        definition = instrument(name)
        try:
            total = definition.score(list(answers))
        except ValueError:
            return []
        problems = []
        written_total = data.get("total")
        if written_total is not None and written_total != total:
            problems.append(
                Problem("total", f"says {written_total!r} but the answers add up to {total}")
            )
        written_severity = data.get("severity")
        if written_severity is not None and written_severity != definition.severity(total):
            problems.append(
                Problem(
                    "severity",
                    f"says {written_severity!r} but a total of {total} is "
                    f"{definition.severity(total)!r}",
                )
            )
        return problems

    def to_json(self) -> dict[str, Any]:
        out = {
            "instrument": self.instrument,
            "at": format_at(self.at),
            "answers": list(self.answers),
            "difficulty": self.difficulty,
        }
        out["total"] = self.total
        out["severity"] = self.severity
        return out


@dataclass(frozen=True)
class TreatmentSession(Entry):
    """One ketamine treatment session as the patient logged it."""

    KIND: ClassVar[str] = "session"
    SECTION: ClassVar[str] = "sessions"
    RULES: ClassVar[Mapping[str, Rule]] = SESSION_RULES

    at: datetime
    route: str
    dose_mg: float | None = None
    dose_mg_per_kg: float | None = None
    weight_kg: float | None = None
    duration_min: int | None = None
    bp_before: tuple[int, int] | None = None
    bp_after: tuple[int, int] | None = None
    heart_rate_before: int | None = None
    heart_rate_after: int | None = None
    anxiety_before: int | None = None
    anxiety_after: int | None = None
    dissociation: int | None = None
    clinic: str | None = None
    notes: str | None = None
    devices: int | None = None
    bp_mid: tuple[int, int] | None = None
    bp_mid_min: int | None = None
    sleepiness: int | None = None
    ready_after_min: int | None = None
    intention: str | None = None

    def __post_init__(self) -> None:
        # The dose of intranasal esketamine follows from its devices, and a mid-session
        # reading without its minute was taken at the usual 40 minutes.
        devices = self.devices
        if self.dose_mg is None and isinstance(devices, int) and _is_count(devices):
            object.__setattr__(self, "dose_mg", float(MG_PER_DEVICE * devices))
        if self.bp_mid is not None and self.bp_mid_min is None:
            object.__setattr__(self, "bp_mid_min", DEFAULT_BP_MID_MIN)

    @property
    def effective_dose_mg(self) -> float | None:
        """The dose in mg as entered, else derived from mg/kg and weight."""
        if self.dose_mg is not None:
            return self.dose_mg
        if self.dose_mg_per_kg is not None and self.weight_kg is not None:
            return round(self.dose_mg_per_kg * self.weight_kg, 2)
        return None

    @property
    def effective_dose_mg_per_kg(self) -> float | None:
        """The dose in mg/kg as entered, else derived from mg and weight."""
        if self.dose_mg_per_kg is not None:
            return self.dose_mg_per_kg
        if self.dose_mg is not None and self.weight_kg:
            return round(self.dose_mg / self.weight_kg, 3)
        return None

    def extra_problems(self) -> list[Problem]:
        problems = self._device_problems()
        if self.bp_mid is None and self.bp_mid_min is not None:
            problems.append(
                Problem("bp_mid_min", "the minute needs the mid-session reading beside it")
            )
        mg, per_kg, weight = self.dose_mg, self.dose_mg_per_kg, self.weight_kg
        if mg is None or per_kg is None or weight is None:
            return problems
        expected = per_kg * weight
        if abs(mg - expected) > max(DOSE_TOLERANCE_MG, DOSE_TOLERANCE_FRACTION * expected):
            problems.append(
                Problem(
                    "dose_mg",
                    f"{_num_text(mg)} mg does not match {_num_text(per_kg)} mg/kg × "
                    f"{_num_text(weight)} kg = {_num_text(round(expected, 1))} mg",
                )
            )
        return problems

    def _device_problems(self) -> list[Problem]:
        if self.devices is None:
            return []
        if self.route != "intranasal":
            return [Problem("devices", "are counted for intranasal esketamine only")]
        if not _is_count(self.devices) or not 1 <= self.devices <= MAX_DEVICES:
            return []  # the range check has said so
        expected = MG_PER_DEVICE * self.devices
        if self.dose_mg is not None and abs(self.dose_mg - expected) > DOSE_TOLERANCE_MG:
            return [
                Problem(
                    "dose_mg",
                    f"{_num_text(self.dose_mg)} mg does not match {self.devices} "
                    f"device{'s' if self.devices > 1 else ''} × {MG_PER_DEVICE} mg = "
                    f"{expected} mg",
                )
            ]
        return []

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["dose_mg"] = self.effective_dose_mg
        out["dose_mg_per_kg"] = self.effective_dose_mg_per_kg
        # A derived value outside what may be entered (300 mg oral at 55 kg is 5.45 mg/kg)
        # is left out, so that every export imports back.
        for name in ("dose_mg", "dose_mg_per_kg"):
            if out[name] is not None and _range_problem(SESSION_RULES[name], out[name]):
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class SideEffect(Entry):
    """A side effect with its severity, optionally linked to the session it followed."""

    KIND: ClassVar[str] = "side_effect"
    SECTION: ClassVar[str] = "side_effects"
    RULES: ClassVar[Mapping[str, Rule]] = SIDE_EFFECT_RULES

    at: datetime
    effect: str
    severity: str
    duration_min: int | None = None
    session_at: datetime | None = None
    note: str | None = None


MEDICATION_CLASSES = (
    "benzodiazepine",
    "z_drug",
    "stimulant",
    "maoi",
    "lamotrigine",
    "naltrexone",
    "antidepressant",
    "antipsychotic",
    "lithium",
    "opioid",
    "other",
)
MEDICATION_CLASS_LABELS = {
    "benzodiazepine": "Benzodiazepine",
    "z_drug": "Sleep medicine (non-benzodiazepine, e.g. zolpidem)",
    "stimulant": "Stimulant",
    "maoi": "MAOI",
    "lamotrigine": "Lamotrigine",
    "naltrexone": "Naltrexone",
    "antidepressant": "Antidepressant",
    "antipsychotic": "Antipsychotic",
    "lithium": "Lithium",
    "opioid": "Opioid",
    "other": "Other",
}
# Short forms for table cells and chart labels.
MEDICATION_CLASS_SHORT = MEDICATION_CLASS_LABELS | {"z_drug": "Z-drug (sleep)"}
SCHEDULES = ("regular", "as_needed")
SCHEDULE_LABELS = {"regular": "Regular", "as_needed": "As needed"}

# A rule's name that is not the entry's attribute name (`class` is Python's own word).
ATTRIBUTES = {"class": "medication_class"}
MEDICATION_RULES = {
    "name": Rule("text", required=True, max_len=MAX_NAME),
    "class": Rule("choice", required=True, choices=MEDICATION_CLASSES),
    "dose_mg": Rule("num", low=0, high=10_000, low_exclusive=True, unit=" mg"),
    "schedule": Rule("choice", required=True, choices=SCHEDULES),
    "times_per_day": Rule("int", low=1, high=24),
    "started": Rule("day", required=True),
    "stopped": Rule("day"),
    "note": Rule("text", max_len=MAX_NOTE),
}
MEDICATION_DOSE_RULES = {
    "at": Rule("at", required=True),
    "medication": Rule("text", required=True, max_len=MAX_NAME),
    "dose_mg": Rule("num", low=0, high=10_000, low_exclusive=True, unit=" mg"),
    "note": Rule("text", max_len=MAX_NOTE),
}
PLANNED_SESSION_RULES = {
    "at": Rule("at", required=True),
    "route": Rule("choice", required=True, choices=ROUTES),
    "note": Rule("text", max_len=MAX_NOTE),
    "dismissed": Rule("bool"),
}


def name_key(name: str) -> str:
    """A medicine's identity: its name without case or surrounding spaces."""
    return " ".join(name.split()).casefold()


def _name_problems(place: str, name: str) -> list[Problem]:
    if not name.strip():
        return [Problem(place, "must not be empty")]
    if any(ch in name for ch in "\n\r\t"):
        return [Problem(place, "must be one line")]
    return []


@dataclass(frozen=True)
class Medication(Entry):
    """Another medicine the patient takes, over one period from `started` to `stopped`.

    The same medicine taken again later is a second Medication with the same name and a
    period that does not overlap the first; stopping one is an edit that sets `stopped`.
    """

    KIND: ClassVar[str] = "medication"
    SECTION: ClassVar[str] = "medications"
    RULES: ClassVar[Mapping[str, Rule]] = MEDICATION_RULES

    name: str
    medication_class: str
    schedule: str
    started: date
    dose_mg: float | None = None
    times_per_day: int | None = None
    stopped: date | None = None
    note: str | None = None

    def values(self) -> dict[str, Any]:
        # In the interchange form the class is `class`, a word Python keeps for itself.
        return {
            "name": self.name,
            "class": self.medication_class,
            "dose_mg": self.dose_mg,
            "schedule": self.schedule,
            "times_per_day": self.times_per_day,
            "started": self.started,
            "stopped": self.stopped,
            "note": self.note,
        }

    @classmethod
    def _build(cls, values: dict[str, Any]) -> Medication:
        values = dict(values)
        values["medication_class"] = values.pop("class")
        return cls(id=None, **values)

    @property
    def at_value(self) -> datetime:
        return datetime.combine(self.started, datetime.min.time())

    @property
    def key(self) -> str:
        return name_key(self.name)

    def active_on(self, day: date) -> bool:
        return self.started <= day and (self.stopped is None or day <= self.stopped)

    def overlaps(self, other: Medication) -> bool:
        """Whether the two periods share a day (an open period runs on for ever)."""
        if self.key != other.key:
            return False
        self_ends_before = self.stopped is not None and self.stopped < other.started
        other_ends_before = other.stopped is not None and other.stopped < self.started
        return not (self_ends_before or other_ends_before)

    def period_text(self) -> str:
        start = self.started.isoformat()
        return f"from {start} to {self.stopped.isoformat()}" if self.stopped else f"since {start}"

    def extra_problems(self) -> list[Problem]:
        problems = _name_problems("name", self.name)
        if self.stopped is not None and self.stopped < self.started:
            problems.append(
                Problem(
                    "stopped",
                    f"{self.stopped.isoformat()} is before it started ({self.started.isoformat()})",
                )
            )
        if self.schedule == "as_needed" and self.times_per_day is not None:
            problems.append(
                Problem("times_per_day", "is for a regular medicine, not one taken as needed")
            )
        return problems


@dataclass(frozen=True)
class MedicationDose(Entry):
    """One dose taken, of the medicine of that name whose period holds its time."""

    KIND: ClassVar[str] = "medication_dose"
    SECTION: ClassVar[str] = "medication_doses"
    RULES: ClassVar[Mapping[str, Rule]] = MEDICATION_DOSE_RULES

    at: datetime
    medication: str
    dose_mg: float | None = None
    note: str | None = None

    def extra_problems(self) -> list[Problem]:
        return _name_problems("medication", self.medication)

    def taken_of(self, medicines: Sequence[Medication]) -> Medication | None:
        """The medicine this dose was of: same name, its period holding the dose's day."""
        key, day = name_key(self.medication), self.at.date()
        for medicine in medicines:
            if medicine.key == key and medicine.active_on(day):
                return medicine
        return None


@dataclass(frozen=True)
class PlannedSession(Entry):
    """A session the patient expects; it is done once a session is logged on its day."""

    KIND: ClassVar[str] = "planned_session"
    SECTION: ClassVar[str] = "planned_sessions"
    RULES: ClassVar[Mapping[str, Rule]] = PLANNED_SESSION_RULES

    at: datetime
    route: str
    note: str | None = None
    dismissed: bool | None = None

    def __post_init__(self) -> None:
        if self.dismissed is None:
            object.__setattr__(self, "dismissed", False)


ENTRY_TYPES: tuple[type[Entry], ...] = (
    Checkin,
    Assessment,
    TreatmentSession,
    SideEffect,
    Medication,
    MedicationDose,
    PlannedSession,
)
BY_KIND: dict[str, type[Entry]] = {t.KIND: t for t in ENTRY_TYPES}
BY_SECTION: dict[str, type[Entry]] = {t.SECTION: t for t in ENTRY_TYPES}
